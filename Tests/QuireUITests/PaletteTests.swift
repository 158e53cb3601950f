import QuireModel
import Testing

@testable import QuireUI

/// Themes worked out for terminals of every kind, without a terminal.
@Suite("Colour palette")
struct PaletteTests {
  static let xterm256 = TerminalCapabilities(colors: 256, pairs: 256)
  static let xterm8 = TerminalCapabilities(colors: 8, pairs: 64)

  func look(_ config: String) -> LookSettings {
    let parsed = Config.parse(config, file: "config")
    #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
    return parsed.look
  }

  func colors(of role: Role, _ palette: CellPalette) -> (Int16, Int16)? {
    let pair = palette[role].pair
    guard pair != 0 else { return nil }
    return palette.pairs.first { $0.number == pair }.map { ($0.foreground, $0.background) }
  }

  @Test("a 256-colour terminal gets the colours asked for, and the attributes")
  func colors256() throws {
    let palette = CellPalette(look: look("color unread 208 default bold\ncolor selection 231 24 underline"), for: Self.xterm256)
    #expect(try #require(colors(of: .unread, palette)) == (208, -1))
    #expect(palette[.unread].attributes == .bold)
    #expect(try #require(colors(of: .selection, palette)) == (231, 24))
    #expect(palette[.selection].attributes == .underline)
    // The rest of the default theme is untouched.
    #expect(try #require(colors(of: .tag, palette)) == (5, -1))
    #expect(palette[.normal] == CellStyle(attributes: [], pair: 0))
  }

  @Test("on 8 colours a colour above 7 becomes the nearest of the 8")
  func colors8() throws {
    let palette = CellPalette(
      look: look("color unread 208\ncolor tag bright-red\ncolor selection 21 bright-black\ncolor read 250"), for: Self.xterm8)
    #expect(try #require(colors(of: .unread, palette)) == (3, -1), "orange is nearest yellow")
    #expect(try #require(colors(of: .tag, palette)).0 == 1)
    #expect(try #require(colors(of: .selection, palette)) == (4, 7), "grey is nearest white, not magenta")
    #expect(try #require(colors(of: .read, palette)).0 == 7)
    for pair in palette.pairs {
      #expect((-1...7).contains(pair.foreground) && (-1...7).contains(pair.background))
    }
  }

  @Test("nearest colours by RGB", arguments: [(9, 8, 1), (10, 8, 2), (12, 8, 4), (15, 8, 7), (196, 16, 9), (46, 8, 2), (232, 8, 0), (255, 16, 7), (231, 16, 15), (8, 8, 7), (5, 8, 5)])
  func nearest(index: Int, among: Int, expected: Int) {
    #expect(XtermPalette.nearest(to: index, among: among) == expected)
  }

  @Test("without colour: no pairs, attributes only, and every role still told apart")
  func monochrome() {
    let palette = CellPalette(look: look("theme light\ncolor tag red default underline"), for: .monochrome)
    #expect(palette.pairs.isEmpty)
    for role in Role.allCases { #expect(palette[role].pair == 0) }
    #expect(palette[.selection].attributes.contains(.reverse))
    #expect(palette[.selectionUnfocused].attributes.contains(.reverse))
    #expect(palette[.status].attributes.contains(.reverse))
    #expect(palette[.statusError].attributes.contains(.reverse))
    #expect(palette[.cursor].attributes.contains(.reverse))
    #expect(palette[.matchCurrent].attributes.contains(.reverse))
    #expect(palette[.matchSelected].attributes.isSuperset(of: [.reverse, .underline]), "a match shows on the selection bar")
    #expect(palette[.match].attributes.contains(.underline))
    #expect(palette[.unread].attributes.contains(.bold))
    #expect(palette[.tag].attributes == .underline, "a color line's attributes apply without colour too")
  }

  @Test("a terminal with fewer than 8 colours is drawn as one without colour")
  func fewColors() {
    let palette = CellPalette(look: LookSettings(), for: TerminalCapabilities(colors: 2, pairs: 2))
    #expect(palette.pairs.isEmpty)
    #expect(palette[.selection].attributes.contains(.reverse))
  }

  @Test("the monochrome theme on a colour terminal uses no colour")
  func monochromeTheme() {
    let palette = CellPalette(look: look("theme monochrome"), for: Self.xterm256)
    #expect(palette.pairs.isEmpty)
    #expect(palette[.selection].attributes == [.reverse, .bold])
  }

  @Test("the built-in themes differ, and each gives every role a style")
  func builtinThemes() {
    for name in Theme.builtinNames {
      let theme = Theme.builtin(named: name)!
      for role in ColorRole.allCases { #expect(theme.styles[role] != nil, "\(name) has no \(role.name)") }
    }
    #expect(Theme.light[.selection] != Theme.standard[.selection])
    #expect(Theme.light[.match].foreground != .index(3), "no yellow text on a light background")
  }

  @Test("a match on the selection bar takes the bar's colours and the match's attributes")
  func matchSelected() throws {
    let palette = CellPalette(look: LookSettings(), for: Self.xterm256)
    #expect(palette[.matchSelected].pair == palette[.selection].pair)
    #expect(palette[.matchSelected].attributes == [.bold, .underline])
  }

  @Test("pairs are shared by roles of the same colours, and never more than the terminal holds")
  func pairs() {
    let palette = CellPalette(look: LookSettings(), for: Self.xterm256)
    #expect(palette[.heading].pair == palette[.match].pair)
    #expect(Set(palette.pairs.map(\.number)).count == palette.pairs.count)
    let tight = CellPalette(look: LookSettings(), for: TerminalCapabilities(colors: 8, pairs: 3))
    #expect(tight.pairs.count == 2)
    #expect(Role.allCases.allSatisfy { tight[$0].pair <= 2 })
  }

  @Test("without the terminal's own colours, default is white on black")
  func noDefaultColors() throws {
    let palette = CellPalette(look: LookSettings(), for: TerminalCapabilities(colors: 8, pairs: 64, defaultColors: false))
    #expect(try #require(colors(of: .unread, palette)) == (2, 0))
    #expect(try #require(colors(of: .normal, palette)) == (7, 0))
  }

  @Test("read papers are drawn in the read role, mark and title; unread ones' mark in unread")
  func readRole() throws {
    var state = makeState()
    let titled = try #require(state.shown.firstIndex { state.library[$0].hasTitle && $0 > 0 })
    for _ in 0..<titled { state.press(.char("j")) }
    state.press(.char("r"), .char("j"))
    let grid = Renderer.render(state)
    let row = state.layout.list.inner.row + titled
    let col = state.layout.list.inner.col + 1
    #expect(grid[row, col].text == "○")
    #expect(grid[row, col].role == .read)
    let title = (0..<grid.cols).filter { grid[row, $0].role == .read && grid[row, $0].text != " " }
    #expect(title.count > 10, "the title is drawn in the read role too")
    #expect(grid[row - 1, col].role == .unread)
  }
}
