/// `mouse on|off`, `theme NAME`, `color ROLE FOREGROUND [BACKGROUND] [ATTRIBUTE…]` and
/// `keymap NAME|PATH` lines.
extension Config {
  static let lookSettings: Set<String> = ["mouse", "theme", "color", "keymap"]

  mutating func applyLook(_ setting: String, _ line: inout ConfigLine, line number: Int) throws(QueryError) {
    switch setting {
    case "mouse":
      let value = try Self.only("mouse", "on or off", &line)
      switch value.text.lowercased() {
      case "on": look.mouse = true
      case "off": look.mouse = false
      default: throw QueryError(column: value.column, message: "expected on or off after mouse; found '\(value.text)'")
      }
    case "theme":
      let names = Theme.builtinNames.joined(separator: ", ")
      let value = try Self.only("theme", "a theme name (\(names))", &line)
      guard Theme.builtin(named: value.text.lowercased()) != nil else {
        throw QueryError(column: value.column, message: "unknown theme '\(value.text)'; expected one of: \(names)")
      }
      look.themeName = value.text.lowercased()
    case "keymap":
      let value = try Self.only("keymap", "a keymap name (default, emacs) or the path of a keymap file", &line)
      look.keymap = LookSettings.KeymapChoice(name: value.text, line: number, column: value.column)
    default:
      try color(&line, line: number)
    }
  }

  private mutating func color(_ line: inout ConfigLine, line number: Int) throws(QueryError) {
    let usage = "expected color ROLE FOREGROUND [BACKGROUND] [bold] [underline] [reverse] [dim] [italic]"
    guard let roleWord = try line.word() else { throw QueryError(column: line.column, message: usage) }
    guard let role = ColorRole(rawValue: roleWord.text.lowercased()) else {
      throw QueryError(
        column: roleWord.column,
        message: "unknown colour role '\(roleWord.text)'; expected one of: \(ColorRole.allCases.map(\.name).joined(separator: ", "))")
    }
    guard let foregroundWord = try line.word() else {
      throw QueryError(column: line.column, message: "expected a foreground colour after color \(role.name); \(usage)")
    }
    guard let foreground = TerminalColor(name: foregroundWord.text) else {
      throw QueryError(column: foregroundWord.column, message: "expected \(TerminalColor.expected); found '\(foregroundWord.text)'")
    }
    var style = TextStyle(foreground)
    var position = 0
    while let word = try line.word() {
      position += 1
      if let attribute = TextAttributes.named.first(where: { $0.0 == word.text.lowercased() })?.1 {
        style.attributes.insert(attribute)
      } else if position == 1, let background = TerminalColor(name: word.text) {
        style.background = background
      } else {
        let what = position == 1 ? " or a background colour" : ""
        throw QueryError(
          column: word.column, message: "expected bold, underline, reverse, dim or italic\(what); found '\(word.text)'")
      }
    }
    look.colors.append(LookSettings.ColorLine(role: role, style: style, line: number))
  }

  /// The one word a setting takes, with nothing after it.
  private static func only(_ setting: String, _ expected: String, _ line: inout ConfigLine) throws(QueryError) -> ConfigLine.Word {
    guard let word = try line.word() else { throw QueryError(column: line.column, message: "expected \(setting) followed by \(expected)") }
    if let extra = try line.word() {
      throw QueryError(column: extra.column, message: "unexpected '\(extra.text)' after \(setting) \(word.text)")
    }
    return word
  }
}
