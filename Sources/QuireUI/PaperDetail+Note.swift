import QuireModel

extension PaperDetail {
  /// A note of one line beside its label, as the other facts are; a longer one under a
  /// heading, its lines kept as the user wrote them and indented so that the abstract
  /// below is not mistaken for more of the note. Made safe by `TerminalText.wrap`, like
  /// every line of the viewer.
  static func noteLines(_ note: String, width: Int) -> [DetailLine] {
    let lines = note.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    if lines.count == 1 {
      return TerminalText.wrap("note: " + note, width: width).map { DetailLine(text: $0, role: .tag) }
    }
    let indent = width > 4 ? "  " : ""
    var out = TerminalText.wrap("note:", width: width).map { DetailLine(text: $0, role: .heading) }
    for line in lines {
      for part in TerminalText.wrap(String(line), width: width - indent.count) {
        out.append(DetailLine(text: part.isEmpty ? "" : indent + part, role: .tag))
      }
    }
    return out
  }
}
