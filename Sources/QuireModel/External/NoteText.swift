import Foundation

/// A note as it comes back from an editor, made into what `PaperState.note` keeps.
public enum NoteText {
  /// Editors end a file with a newline, and trailing blank lines or spaces carry nothing:
  /// both go. A file left with nothing but white space removes the note (nil).
  public static func normalized(_ text: String) -> String? {
    // Line ends as Unix writes them, whatever the editor chose.
    let text = text.replacingOccurrences(of: "\r\n", with: "\n")
    var end = text.endIndex
    while end > text.startIndex, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
    let kept = String(text[..<end])
    return kept.allSatisfy(\.isWhitespace) ? nil : kept
  }

  /// What the editor is given for a note: the note, ended by a newline as a text file is,
  /// or an empty file.
  public static func fileContents(_ note: String?) -> String {
    guard let note, !note.isEmpty else { return "" }
    return note.hasSuffix("\n") ? note : note + "\n"
  }

  /// Larger than any note typed by hand: an editor that left more (a file pasted in by
  /// mistake, a runaway script) is refused rather than kept in every save.
  public static let maximumBytes = 1 << 20
}
