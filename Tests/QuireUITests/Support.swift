import QuireModel

@testable import QuireUI

/// A reader on the built-in reading list, as a fresh user sees it.
func makeState(rows: Int = 30, cols: Int = 120, reading: ReadingState = ReadingState(), library: Library = BuiltinLibrary.load()) -> AppState {
  AppState(library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: rows, cols: cols))
}

extension AppState {
  /// Sends keys through the update function; returns every effect asked for.
  @discardableResult
  mutating func press(_ keys: Key...) -> [Effect] {
    var effects: [Effect] = []
    for key in keys { effects += Reader.update(&self, .key(key)) }
    return effects
  }

  /// Types text one character at a time.
  @discardableResult
  mutating func type(_ text: String) -> [Effect] {
    var effects: [Effect] = []
    for character in text { effects += Reader.update(&self, .key(character == " " ? .space : .char(character))) }
    return effects
  }

  var selectedTitle: String? { selectedPaper?.displayTitle }
}

extension TerminalText {
  /// Joins wrapped lines back into running text, for checking that nothing was lost.
  static func collapseWhitespaceForTest(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " }).joined(separator: " ")
  }
}
