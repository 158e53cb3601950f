/// How every colour role looks. The built-in themes are complete; `color` lines in the
/// config change single roles of the one chosen.
public struct Theme: Equatable, Sendable {
  public var name: String
  public private(set) var styles: [ColorRole: TextStyle]

  public init(name: String, styles: [ColorRole: TextStyle]) {
    self.name = name
    self.styles = styles
  }

  public subscript(role: ColorRole) -> TextStyle {
    get { styles[role] ?? .plain }
    set { styles[role] = newValue }
  }

  public static let builtinNames = ["default", "light", "monochrome"]

  public static func builtin(named name: String) -> Theme? {
    switch name {
    case "default": return .standard
    case "light": return .light
    case "monochrome": return .monochrome
    default: return nil
    }
  }

  /// Colours on a dark background, the look quire always had.
  public static let standard = Theme(name: "default", styles: [
    .normal: TextStyle(),
    .selection: TextStyle(.index(0), .index(6), .bold),
    .selectionUnfocused: TextStyle(.default, .default, .reverse),
    .unread: TextStyle(.index(2), .default, .bold),
    .read: TextStyle(),
    .tag: TextStyle(.index(5)),
    .match: TextStyle(.index(3), .default, [.bold, .underline]),
    .matchCurrent: TextStyle(.default, .default, [.reverse, .bold, .underline]),
    .status: TextStyle(.default, .default, .reverse),
    .statusMessage: TextStyle(.default, .default, [.reverse, .bold]),
    .error: TextStyle(.index(1), .default, .bold),
    .title: TextStyle(.default, .default, .bold),
    .heading: TextStyle(.index(3), .default, .bold),
    .border: TextStyle(),
    .borderFocused: TextStyle(.index(6), .default, .bold),
    .dim: TextStyle(.default, .default, .dim),
    .label: TextStyle(.default, .default, .dim),
    .input: TextStyle(.default, .default, .bold),
    .cursor: TextStyle(.default, .default, .reverse),
    .completion: TextStyle(.default, .default, .dim),
  ])

  /// For a light background: no yellow or cyan text, darker greens and blues.
  public static let light: Theme = {
    var theme = standard
    theme.name = "light"
    theme[.selection] = TextStyle(.index(15), .index(25), .bold)
    theme[.unread] = TextStyle(.index(28), .default, .bold)
    theme[.tag] = TextStyle(.index(90))
    theme[.match] = TextStyle(.index(124), .default, [.bold, .underline])
    theme[.error] = TextStyle(.index(160), .default, .bold)
    theme[.heading] = TextStyle(.index(25), .default, .bold)
    theme[.borderFocused] = TextStyle(.index(25), .default, .bold)
    return theme
  }()

  /// Attributes only: what quire draws where colour is off (NO_COLOR, or a terminal
  /// without colours), every role still told apart.
  public static let monochrome: Theme = {
    var theme = Theme(name: "monochrome", styles: [:])
    for role in ColorRole.allCases { theme[role] = TextStyle(.default, .default, standard[role].attributes) }
    // Bars that colour alone set apart are reversed instead.
    theme[.selection] = TextStyle(.default, .default, [.reverse, .bold])
    theme[.error] = TextStyle(.default, .default, [.reverse, .bold])
    return theme
  }()
}
