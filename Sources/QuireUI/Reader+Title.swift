import QuireModel

// MARK: - A title of the reader's own

extension Reader {
  static func editTitle(_ state: inout AppState) -> [Effect] {
    guard let paper = state.selectedPaper else {
      state.message = .info("no paper selected")
      return []
    }
    // Starts from what is shown, so a mangled title is mended rather than retyped.
    let current = state.reading[paper.id].title ?? (paper.hasTitle ? paper.title ?? "" : "")
    state.overlay = .title(TitlePrompt(paper: paper.id, input: LineInput(text: current)))
    return []
  }

  static func titleKey(_ key: Key, _ prompt: inout TitlePrompt, _ state: inout AppState) -> [Effect] {
    switch state.keymap.command(for: key, in: .input) {
    case .cancel:
      state.overlay = nil
      state.message = .info("title unchanged")
      return []
    case .accept:
      state.overlay = nil
      return setTitle(prompt.input.text, of: prompt.paper, &state)
    case .complete:
      break  // nothing to complete a title from
    default:
      editLine(key, &prompt.input, &state)
    }
    state.overlay = .title(prompt)
    return []
  }

  /// An empty line, or the listing's own title, takes the reader's title away.
  static func setTitle(_ typed: String, of id: PaperID, _ state: inout AppState) -> [Effect] {
    let text = typed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let paper = state.library.index(of: id).map { state.library[$0] }
    let listed = paper?.hasTitle == true ? paper?.title : nil
    let wanted: String? = text.isEmpty || text == listed ? nil : text
    var entry = state.reading[id]
    guard entry.title != wanted else {
      state.message = .info("title unchanged")
      return []
    }
    entry.title = wanted
    state.setState(entry, of: id)
    if wanted != nil {
      state.message = .info("titled '\(text)'")
    } else {
      state.message = .info(listed == nil ? "title removed: the paper is untitled again" : "title back to the listing's")
    }
    return [.save]
  }
}
