import QuireModel

/// What the terminal can show, as curses reports it once started.
public struct TerminalCapabilities: Equatable, Sendable {
  /// Colours the terminal has; 0 where colour is off (NO_COLOR) or there is none.
  public var colors: Int
  /// Colour pairs it can hold, pair 0 (the terminal's own colours) included.
  public var pairs: Int
  /// Whether "the terminal's own colour" (-1) can be used in a pair (`use_default_colors`).
  public var defaultColors: Bool

  public init(colors: Int, pairs: Int, defaultColors: Bool = true) {
    self.colors = colors
    self.pairs = pairs
    self.defaultColors = defaultColors
  }

  public static let monochrome = TerminalCapabilities(colors: 0, pairs: 0)
}

/// How a cell of some role is drawn: attributes and a colour pair (0: none).
public struct CellStyle: Equatable, Sendable {
  public var attributes: TextAttributes
  public var pair: Int16
}

/// A colour pair for curses' `init_pair`: palette indices, -1 for the terminal's own.
public struct ColorPairDefinition: Equatable, Sendable {
  public var number: Int16
  public var foreground: Int16
  public var background: Int16
}

/// A theme worked out for one terminal: the pairs to define and each role's style. A pure
/// function of the themes and the terminal's capabilities, so it is tested without one.
public struct CellPalette: Equatable, Sendable {
  public private(set) var pairs: [ColorPairDefinition] = []
  private var styles: [CellStyle]

  public subscript(role: Role) -> CellStyle { styles[Int(role.rawValue)] }

  /// `theme` where the terminal has at least 8 colours, otherwise `monochrome` (which has
  /// no colours, only attributes).
  public init(theme: Theme, monochrome: Theme, for terminal: TerminalCapabilities) {
    let colored = terminal.colors >= 8
    let source = colored ? theme : monochrome
    styles = []
    for role in Role.allCases {
      let style = Self.style(of: role, in: source)
      guard colored else {
        styles.append(CellStyle(attributes: style.attributes, pair: 0))
        continue
      }
      let foreground = Self.color(style.foreground, terminal, isForeground: true)
      let background = Self.color(style.background, terminal, isForeground: false)
      styles.append(CellStyle(attributes: style.attributes, pair: pair(foreground, background, limit: terminal.pairs)))
    }
  }

  public init(look: LookSettings, for terminal: TerminalCapabilities) {
    self.init(theme: look.theme, monochrome: look.monochromeTheme, for: terminal)
  }

  /// A role's style: a match on the selection bar takes the bar's colours and keeps the
  /// match's attributes, so it shows on the bar whatever the theme.
  static func style(of role: Role, in theme: Theme) -> TextStyle {
    guard let named = role.colorRole else {
      var style = theme[.selection]
      style.attributes.formUnion(theme[.match].attributes)
      return style
    }
    return theme[named]
  }

  /// A palette index the terminal has: the colour itself, or the nearest of the first 8
  /// or 16 by RGB on a terminal with fewer than 256.
  static func color(_ color: TerminalColor, _ terminal: TerminalCapabilities, isForeground: Bool) -> Int16 {
    switch color {
    case .default:
      guard !terminal.defaultColors else { return -1 }
      return isForeground ? 7 : 0
    case .index(let index):
      if index < terminal.colors { return Int16(index) }
      return Int16(XtermPalette.nearest(to: index, among: min(terminal.colors, 16)))
    }
  }

  /// The pair for two colours, defined on first use; 0 for the terminal's own colours, or
  /// when the terminal has no room for another pair.
  private mutating func pair(_ foreground: Int16, _ background: Int16, limit: Int) -> Int16 {
    if foreground == -1 && background == -1 { return 0 }
    if let known = pairs.first(where: { $0.foreground == foreground && $0.background == background }) { return known.number }
    let number = Int16(pairs.count + 1)
    guard Int(number) < limit else { return 0 }
    pairs.append(ColorPairDefinition(number: number, foreground: foreground, background: background))
    return number
  }
}

extension Role {
  /// The role a theme names for this one; nil for a match on the selection bar, which
  /// combines two.
  public var colorRole: ColorRole? {
    switch self {
    case .normal: return .normal
    case .dim: return .dim
    case .title: return .title
    case .heading: return .heading
    case .border: return .border
    case .borderFocused: return .borderFocused
    case .selection: return .selection
    case .selectionUnfocused: return .selectionUnfocused
    case .unread: return .unread
    case .read: return .read
    case .label: return .label
    case .tag: return .tag
    case .status: return .status
    case .statusMessage: return .statusMessage
    case .statusError: return .error
    case .input: return .input
    case .cursor: return .cursor
    case .completion: return .completion
    case .match: return .match
    case .matchSelected: return nil
    case .matchCurrent: return .matchCurrent
    }
  }
}
