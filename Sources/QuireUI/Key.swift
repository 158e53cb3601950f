/// A key press, decoded by the terminal layer and named the way keymap files name it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
  case char(Character)
  case ctrl(Character)  // "C-d": a lowercase letter, or "_" (C-_, which C-/ also sends)
  case enter, tab, backTab, escape, backspace, delete, insert, space
  case up, down, left, right, pageUp, pageDown, home, end
  case function(Int)
  /// Alt (Meta) with a key: the terminal sends Esc and the key together.
  case alt(Character)

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
      // Terminals send one byte, 31, for both.
      if letter == "_" || letter == "/" {
        self = .ctrl("_")
        return
      }
      guard letter.isASCII, letter.isLetter else { return nil }
      self = .ctrl(letter)
      return
    }
    if name.hasPrefix("M-"), name.count == 3, let character = name.last,
      case .char(let plain)? = Key(name: String(character))
    {
      self = .alt(plain)
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
    case .alt(let c): return "M-\(c)"
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

extension Key {
  /// What the characters that came right after an Esc mean. Alone, Esc is Esc; with one
  /// character it is Alt with that key; `[` or `O` start a cursor or function key that
  /// the terminal description did not name (tmux's Home is `Esc [ 1 ~`). Nil for a
  /// sequence quire does not know, which is ignored rather than read as Esc and letters.
  public static func afterEscape(_ following: [Unicode.Scalar]) -> Key? {
    guard let first = following.first else { return .escape }
    if following.count == 1 {
      switch first {
      case "\u{7F}", "\u{08}": return nil
      default:
        guard case .char(let c)? = Key.plain(first) else { return nil }
        return .alt(c)
      }
    }
    let body = String(String.UnicodeScalarView(following.dropFirst()))
    switch (first, body) {
    case ("[", "A"), ("O", "A"): return .up
    case ("[", "B"), ("O", "B"): return .down
    case ("[", "C"), ("O", "C"): return .right
    case ("[", "D"), ("O", "D"): return .left
    case ("[", "H"), ("O", "H"), ("[", "1~"), ("[", "7~"): return .home
    case ("[", "F"), ("O", "F"), ("[", "4~"), ("[", "8~"): return .end
    case ("[", "2~"): return .insert
    case ("[", "3~"): return .delete
    case ("[", "5~"): return .pageUp
    case ("[", "6~"): return .pageDown
    case ("[", "Z"): return .backTab
    case ("O", "P"), ("[", "11~"): return .function(1)
    case ("O", "Q"), ("[", "12~"): return .function(2)
    case ("O", "R"), ("[", "13~"): return .function(3)
    case ("O", "S"), ("[", "14~"): return .function(4)
    default: return nil
    }
  }

  /// A printable character as a key.
  static func plain(_ scalar: Unicode.Scalar) -> Key? {
    if scalar == " " { return .space }
    return Key(name: String(scalar))
  }

  /// True once `following` (what came after an Esc) is a whole sequence.
  public static func escapeSequenceIsComplete(_ following: [Unicode.Scalar]) -> Bool {
    guard let first = following.first else { return false }
    if following.count == 1 { return first != "[" && first != "O" }
    if first == "O" { return true }
    // An X10 mouse report: `[M` and three bytes, any of which may look like a final byte.
    if first == "[", following[1] == "M" { return following.count >= 5 }
    // CSI: parameters and intermediates, then one final byte from @ to ~.
    return (0x40...0x7E).contains(following.last!.value)
  }
}
