import QuireModel

// MARK: - Undo and redo

extension Reader {
  static func undo(_ state: inout AppState) -> [Effect] {
    guard let change = state.history.popUndo() else {
      state.message = .info("nothing to undo")
      return []
    }
    state.replay(change, forward: false)
    let redo = state.keymap.keys(for: .redo, in: .list).first.map { " · \($0) redoes" } ?? ""
    state.message = .info("undone: \(change.description)" + redo)
    return [.save]
  }

  static func redo(_ state: inout AppState) -> [Effect] {
    guard let change = state.history.popRedo() else {
      state.message = .info("nothing to redo")
      return []
    }
    state.replay(change, forward: true)
    state.message = .info("redone: \(change.description)")
    return [.save]
  }
}

extension AppState {
  /// Takes a change back, or makes it again. Only the fields the change touched move: a
  /// tag another quire added to the same paper since stays, as it would in a merge.
  mutating func replay(_ change: Change, forward: Bool) {
    recordingPaused = true
    defer { recordingPaused = false }
    for (id, edit) in change.edits {
      let (from, to) = forward ? (edit.before, edit.after) : (edit.after, edit.before)
      setState(PaperState.merge(base: from, ours: to, theirs: reading[id]), of: id)
    }
    // The list is not filtered again, as after a toggle; but a change to one paper shows
    // that paper, as an editor's undo shows where the text changed.
    if change.edits.count == 1, let id = change.edits.keys.first, selectedPaper?.id != id,
      let index = library.index(of: id), let position = shown.firstIndex(of: index)
    {
      select(position)
    }
  }
}
