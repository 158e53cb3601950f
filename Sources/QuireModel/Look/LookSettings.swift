/// The config's say on how the reader looks and is driven: `mouse`, `theme`, `color` and
/// `keymap` lines.
public struct LookSettings: Equatable, Sendable {
  /// A `color` line: one role's whole style, replacing the theme's.
  public struct ColorLine: Equatable, Sendable {
    public var role: ColorRole
    public var style: TextStyle
    public var line: Int
  }

  /// A `keymap` line: a built-in keymap's name or a keymap file's path, checked when the
  /// keymaps are loaded (the model does not know which keymaps are built in).
  public struct KeymapChoice: Equatable, Sendable {
    public var name: String
    public var line: Int
    public var column: Int
  }

  /// Off leaves clicks to the terminal, for selecting text.
  public var mouse = true
  public var themeName = "default"
  public var colors: [ColorLine] = []
  public var keymap: KeymapChoice?

  public init() {}

  /// The chosen theme with the `color` lines applied, in order.
  public var theme: Theme {
    var theme = Theme.builtin(named: themeName) ?? .standard
    for color in colors { theme[color.role] = color.style }
    return theme
  }

  /// What quire draws without colour: the monochrome theme, with the attributes the
  /// `color` lines ask for added, so a role made `underline` stays underlined.
  public var monochromeTheme: Theme {
    var theme = Theme.monochrome
    for color in colors {
      theme[color.role].attributes.formUnion(color.style.attributes)
    }
    return theme
  }
}
