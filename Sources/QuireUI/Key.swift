/// A key press, decoded by the terminal layer and named the way keymap files name it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
  case char(Character)
  case ctrl(Character)  // "C-d": always a lowercase letter
  case enter, tab, backTab, escape, backspace, delete, insert, space
  case up, down, left, right, pageUp, pageDown, home, end
  case function(Int)

  /// Key names without a printable character, as written in keymap files.
  static let namedKeys: [(String, Key)] = [
    ("Enter", .enter), ("Tab", .tab), ("BackTab", .backTab), ("S-Tab", .backTab), ("Esc", .escape),
    ("Escape", .escape), ("Backspace", .backspace), ("Delete", .delete), ("Del", .delete),
    ("Insert", .insert), ("Space", .space), ("Up", .up), ("Down", .down), ("Left", .left),
    ("Right", .right), ("PageUp", .pageUp), ("PgUp", .pageUp), ("PageDown", .pageDown),
    ("PgDown", .pageDown), ("Home", .home), ("End", .end),
  ]

  /// Parses a keymap key name: a single printable character (`j`, `G`, `?`), a named key
  /// (`Enter`, `PageDown`), `C-x` for Control, or `F1` … `F12`.
  public init?(name: String) {
    if let named = Key.namedKeys.first(where: { $0.0.lowercased() == name.lowercased() }) {
      self = named.1
      return
    }
    if name.count == 1, let character = name.first {
      // Printable, visible and one column wide: a key name must be safe to show in help.
      guard !character.isWhitespace,
        character.unicodeScalars.allSatisfy({ TerminalText.placeholder(for: $0) == nil && TerminalText.columns(of: $0) >= 1 })
      else { return nil }
      self = .char(character)
      return
    }
    if name.hasPrefix("C-") || name.hasPrefix("^"), name.count == (name.hasPrefix("^") ? 2 : 3) {
      let letter = Character(name.suffix(1).lowercased())
      guard letter.isASCII, letter.isLetter else { return nil }
      self = .ctrl(letter)
      return
    }
    if name.count >= 2, name.first == "F", let n = Int(name.dropFirst()), (1...12).contains(n) {
      self = .function(n)
      return
    }
    return nil
  }

  /// The canonical name, as the help overlay and `keymaps/` show it.
  public var description: String {
    switch self {
    case .char(let c): return String(c)
    case .ctrl(let c): return "C-\(c)"
    case .function(let n): return "F\(n)"
    case .space: return "Space"
    default:
      return Key.namedKeys.first(where: { $0.1 == self })?.0 ?? "?"
    }
  }

  /// The character a key types into a text field, if it types one.
  public var typedCharacter: Character? {
    switch self {
    case .char(let c): return c
    case .space: return " "
    default: return nil
    }
  }
}
