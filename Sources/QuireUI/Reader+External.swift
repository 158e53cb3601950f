import QuireModel

/// Keys that hand work to programs outside quire (the editor, the browser, the clipboard).
/// The update only decides and asks, by an `Effect`; the session runs the program and
/// reports back, so all of this is tested without running anything.
extension Reader {
  static func editNote(_ state: inout AppState) -> [Effect] {
    guard let paper = state.selectedPaper else {
      state.message = .info("no paper to write a note on")
      return []
    }
    return [.editNote(paper.id, current: state.reading[paper.id].note)]
  }

  /// The edited note, taken as any change is (undoable, saved). Compared with the note as it
  /// was handed to the editor, not as it is now: a note another quire changed meanwhile is
  /// not overwritten by a file the user left as it was.
  static func noteEdited(_ id: PaperID, before: String?, after: String?, _ state: inout AppState) -> [Effect] {
    guard after != before else {
      state.message = .info("note unchanged")
      return []
    }
    var entry = state.reading[id]
    entry.note = after
    state.setState(entry, of: id)
    state.message = .info(after == nil ? "note removed" : before == nil ? "note added" : "note saved")
    return [.save]
  }

  static func openLink(_ state: inout AppState) -> [Effect] {
    guard let url = chosenLink(&state) else { return [] }
    state.message = .info("opening \(url.text)\(url.others)")
    return [.openLink(url.text)]
  }

  static func copyLink(_ state: inout AppState) -> [Effect] {
    guard let url = chosenLink(&state) else { return [] }
    let shown = "link: \(url.text)\(url.others)"
    switch state.clipboard {
    case .off:
      state.message = .info(shown + " · not copied: add clipboard osc52 to the config (? shows where)")
      return []
    case .osc52:
      guard url.text.utf8.count <= ClipboardSetting.maximumBytes else {
        state.message = .info(shown + " · too long to copy (over \(ClipboardSetting.maximumBytes) bytes)")
        return []
      }
      state.message = .info(shown + " · copied")
      return [.copyToClipboard(url.text)]
    }
  }

  /// The selected paper's first web address, and a word on the others; nil once the status
  /// line says why there is none.
  private static func chosenLink(_ state: inout AppState) -> (text: String, others: String)? {
    guard let paper = state.selectedPaper else {
      state.message = .info("no paper selected")
      return nil
    }
    switch PaperWebLink(paper) {
    case .found(let url, let count):
      return (url, count > 1 ? " (1 of \(count))" : "")
    case .labelsOnly(let labels):
      state.message = .info("this paper has only link labels (\(labels.joined(separator: ", "))), no URL")
    case .none:
      state.message = .info("this paper has no link: no URL, DOI or arXiv id")
    }
    return nil
  }
}
