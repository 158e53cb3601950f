import Foundation
import Testing

@testable import QuireModel

@Suite("Config: mouse, theme, color and keymap")
struct LookConfigTests {
  @Test("the lines and their defaults")
  func parses() {
    #expect(Config.parse("", file: "c").look == LookSettings())
    #expect(LookSettings().mouse)
    let config = Config.parse(
      """
      mouse off
      theme light
      color unread 208
      color selection white 24 bold underline   # a comment
      color tag bright-magenta italic
      color read default default dim
      keymap emacs
      """, file: "c")
    #expect(config.diagnostics.isEmpty, "\(config.diagnostics)")
    let look = config.look
    #expect(!look.mouse)
    #expect(look.themeName == "light")
    #expect(look.keymap == LookSettings.KeymapChoice(name: "emacs", line: 7, column: 8))
    let theme = look.theme
    #expect(theme[.unread] == TextStyle(.index(208)))
    #expect(theme[.selection] == TextStyle(.index(7), .index(24), [.bold, .underline]))
    #expect(theme[.tag] == TextStyle(.index(13), .default, .italic))
    #expect(theme[.read] == TextStyle(.default, .default, .dim))
    #expect(theme[.heading] == Theme.light[.heading], "roles without a color line keep the theme's style")
  }

  @Test("color lines adjust the theme whatever the order of the lines")
  func order() {
    let look = Config.parse("color heading red\ntheme monochrome", file: "c").look
    #expect(look.theme[.heading] == TextStyle(.index(1)))
    #expect(look.theme[.selection] == Theme.monochrome[.selection])
  }

  @Test(
    "mistakes are reported with the column and what was expected",
    arguments: [
      ("mouse maybe", 7, "expected on or off"),
      ("mouse", 6, "expected mouse followed by on or off"),
      ("mouse on off", 10, "unexpected 'off'"),
      ("theme dark", 7, "unknown theme 'dark'; expected one of: default, light, monochrome"),
      ("color selction red", 7, "unknown colour role 'selction'; expected one of: normal, selection,"),
      ("color unread", 13, "expected a foreground colour after color unread"),
      ("color unread 256", 14, "expected a colour: default, black"),
      ("color unread orange", 14, "found 'orange'"),
      ("color unread red blink", 18, "expected bold, underline, reverse, dim or italic or a background colour; found 'blink'"),
      ("color unread red blue green", 23, "expected bold, underline, reverse, dim or italic; found 'green'"),
      ("color unread red bold blue", 23, "found 'blue'"),
      ("keymap", 7, "expected keymap followed by a keymap name"),
    ])
  func mistakes(line: String, column: Int, message: String) throws {
    let config = Config.parse("view \"x\" = \"y\"\n" + line, file: "config")
    let problem = try #require(config.diagnostics.first)
    #expect(config.diagnostics.count == 1)
    #expect(problem.line == 2)
    #expect(problem.column == column)
    #expect(problem.message.contains(message), "\(problem.message)")
    #expect(config.views.count == 1, "the other lines still apply")
    #expect(config.look.colors.isEmpty)
  }

  @Test("colour names and numbers")
  func colorNames() {
    #expect(TerminalColor(name: "default") == .default)
    #expect(TerminalColor(name: "Red") == .index(1))
    #expect(TerminalColor(name: "bright-white") == .index(15))
    #expect(TerminalColor(name: "grey") == .index(8))
    #expect(TerminalColor(name: "0") == .index(0))
    #expect(TerminalColor(name: "255") == .index(255))
    #expect(TerminalColor(name: "-1") == nil)
    #expect(TerminalColor(name: "٣") == nil)
    #expect(TerminalColor(name: "bright-orange") == nil)
  }
}

@Suite("README: colours")
struct ReadmeColourTests {
  @Test("the config examples in README parse without a problem")
  func configExamples() throws {
    let configs = try ReadmeExamplesTests.blocks().filter { $0.text.hasPrefix("# ~/.config/quire/config") }
    #expect(configs.count >= 3)
    for block in configs {
      let config = Config.parse(block.text, file: "README.md")
      #expect(config.diagnostics.isEmpty, "\(config.diagnostics)")
    }
    #expect(configs.contains { Config.parse($0.text, file: "README.md").look.themeName == "light" })
  }

  @Test("the roles table names every colour role")
  func rolesTable() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    for role in ColorRole.allCases { #expect(text.contains("| `\(role.name)` |"), "README's roles table lacks \(role.name)") }
  }
}
