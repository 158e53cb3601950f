import Foundation
import Testing

/// The mouse, colour themes and the emacs keymap in a real terminal.
///
/// Mouse reports go in as the bytes a terminal sends, written into the pane with
/// `tmux send-keys -H`: with TERM=xterm-256color, curses asks for SGR reports
/// (`Esc [ < button ; column ; row M`, then `m` on release), and tmux passes the bytes to
/// quire as they are. (`send-keys -M` only replays a mouse event tmux itself received.)
@Suite(
  "Mouse, colours and keymaps in a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct LookTests {
  /// A left click (press and release) or a wheel step at a 1-based row and column.
  func mouse(_ tmux: TmuxSession, button: Int, row: Int, col: Int, release: Bool = true) async throws {
    var reports = ["\u{1B}[<\(button);\(col);\(row)M"]
    if release { reports.append("\u{1B}[<\(button);\(col);\(row)m") }
    for report in reports {
      try await tmux.run(["send-keys", "-t", tmux.target, "-H"] + report.utf8.map { String(format: "%02x", $0) })
    }
    try await Task.sleep(for: .milliseconds(30))
  }

  /// Rows of the screen, 1-based as the terminal counts them.
  func row(_ screen: String, _ number: Int) -> String {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.count >= number ? String(lines[number - 1]) : ""
  }

  @Test func clicksSelectAndFocusAndTheWheelScrolls() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 100, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    #expect(try await tmux.display("#{mouse_sgr_flag}") == "1", "quire asks for SGR mouse reports")

    // The list's papers start on row 3 (header, border): row 7 is the fifth paper.
    try await mouse(tmux, button: 0, row: 7, col: 10)
    try await tmux.waitForScreen(containing: "5/13")

    // A click in the viewer focuses it: the hints become the viewer's.
    let before = try await tmux.screen()
    try await mouse(tmux, button: 0, row: 7, col: 70)
    let viewer = try await tmux.waitForScreen("the viewer's hints") { statusLine($0).contains("scroll") }
    #expect(statusLine(viewer).contains("5/13"))

    // The wheel over the viewer scrolls the abstract three lines.
    let top = String(row(before, 6).dropFirst(50))
    try await mouse(tmux, button: 65, row: 10, col: 70, release: false)
    let scrolled = try await tmux.waitForScreen("the abstract scrolled") { String(self.row($0, 3).dropFirst(50)) == top }
    #expect(!statusLine(scrolled).contains("not bound"), "a mouse report was read as keys:\n\(scrolled)")

    // Back in the list by a click; the wheel there moves nothing when every paper fits.
    try await mouse(tmux, button: 0, row: 4, col: 10)
    try await tmux.waitForScreen(containing: "2/13")
    try await mouse(tmux, button: 65, row: 4, col: 10, release: false)
    try await mouse(tmux, button: 2, row: 4, col: 10)
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    #expect(try await tmux.display("#{mouse_any_flag}") == "0", "mouse reports are off again after quitting")
  }

  @Test func mouseOffLeavesTheTerminalItsSelection() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.write(scratch.configPath, "mouse off\n")
    let (tmux, run) = try await startQuire(scratch, cols: 100, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    #expect(try await tmux.display("#{mouse_any_flag}") == "0")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  /// The SGR parameters of every escape sequence on a `capture-pane -e` screen.
  func sgrParameters(_ screen: String) -> [[Int]] {
    var out: [[Int]] = []
    var rest = Substring(screen)
    while let start = rest.range(of: "\u{1B}[") {
      rest = rest[start.upperBound...]
      guard let end = rest.firstIndex(of: "m") else { break }
      out.append(rest[..<end].split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 })
      rest = rest[rest.index(after: end)...]
    }
    return out
  }

  func isColor(_ parameter: Int) -> Bool {
    (30...38).contains(parameter) || (40...48).contains(parameter) || (90...107).contains(parameter)
  }

  func coloredScreen(_ scratch: Scratch, environment: [String: String]) async throws -> String {
    try scratch.write(scratch.configPath, "theme default\ncolor unread 208 default bold\ncolor selection 231 24 bold\n")
    let (tmux, run) = try await startQuire(scratch, cols: 100, rows: 30, environment: environment)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    let screen = try await tmux.run(["capture-pane", "-e", "-p", "-t", tmux.target]).stdout
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    return screen
  }

  @Test func aThemeOnA256ColourTerminal() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let screen = try await coloredScreen(scratch, environment: ["TERM": "xterm-256color"])
    let codes = sgrParameters(screen)
    #expect(codes.contains([38, 5, 208]), "unread in colour 208:\n\(screen)")
    #expect(codes.contains([38, 5, 231]) && codes.contains([48, 5, 24]), "the selection in 231 on 24")
  }

  @Test func noColorGivesAttributesOnly() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let screen = try await coloredScreen(scratch, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
    let codes = sgrParameters(screen)
    #expect(!codes.flatMap { $0 }.contains(where: isColor), "colour codes with NO_COLOR:\n\(screen)")
    #expect(codes.contains { $0.contains(7) }, "the selection and the status line in reverse video")
    let selected = screen.split(separator: "\n").first { $0.contains("▸") }.map(String.init) ?? ""
    #expect(sgrParameters(selected).contains { $0.contains(7) }, "the selection is reversed: \(selected)")
  }

  @Test func anEightColourTerminalGetsTheNearestColours() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let screen = try await coloredScreen(scratch, environment: ["TERM": "xterm"])
    let codes = sgrParameters(screen)
    let colors = codes.flatMap { $0 }.filter(isColor)
    #expect(!colors.isEmpty)
    #expect(!colors.contains(38) && !colors.contains(48), "no 256-colour codes on 8 colours:\n\(screen)")
    #expect(colors.allSatisfy { (30...47).contains($0) }, "only the basic colours")
    #expect(colors.contains(33), "208 (orange) is drawn in yellow")
  }

  @Test func theEmacsKeymap() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, ["--keymap", "emacs"], cols: 100, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("C-n", "C-n")
    try await tmux.waitForScreen(containing: "3/13")
    try await tmux.press("C-p")
    try await tmux.waitForScreen(containing: "2/13")
    // C-s reaches quire, not the terminal's flow control.
    try await tmux.press("C-s")
    try await tmux.waitForScreen("the search line") { statusLine($0).hasPrefix(" /") }
    try await tmux.type("reversible")
    try await tmux.waitForScreen(containing: "1 of 13")
    try await tmux.press("C-g")
    try await tmux.waitForScreen(containing: "13 shown")
    try await tmux.press("M->")
    try await tmux.waitForScreen(containing: "13/13")
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "j is not bound")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func theConfigChoosesTheKeymapAndTheUsersFileStillApplies() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.write(scratch.configPath, "keymap emacs\n")
    try scratch.write(scratch.keymapPath, "bind x down\n")
    let keys = try await scratch.runQuire(["keys"])
    #expect(keys.status == 0, "\(keys)")
    #expect(keys.stdout.contains("bind C-n down\n"))
    #expect(keys.stdout.contains("bind x down\n"))
    #expect(!keys.stdout.contains("bind j down\n"))
    // --keymap wins over the config.
    let vi = try await scratch.runQuire(["keys", "--keymap", "default"])
    #expect(vi.stdout.contains("bind j down\n") && !vi.stdout.contains("bind C-n down\n"))
    let file = try scratch.write("mine.keymap", "bind z quit\n")
    let own = try await scratch.runQuire(["keys", "--keymap", file])
    #expect(own.stdout == "bind z quit\nbind x down\n")
  }

  @Test func unknownKeymapsAndBadColourLinesAreReported() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let unknown = try await scratch.runQuire(["keys", "--keymap", "vim"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("unknown keymap 'vim'; expected one of: default, emacs, or the path of a keymap file"))
    let missing = try await scratch.runQuire(["keys", "--keymap", "/nowhere/x.keymap"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("/nowhere/x.keymap does not exist"))

    try scratch.write(scratch.configPath, "color unread orange\ntheme dark\nkeymap vim\nmouse on\n")
    let check = try await scratch.runQuire(["check"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("\(scratch.configPath):1:14: expected a colour"), "\(check)")
    #expect(check.stdout.contains("\(scratch.configPath):2:7: unknown theme 'dark'; expected one of: default, light, monochrome"))
    #expect(check.stdout.contains("\(scratch.configPath):3:8: unknown keymap 'vim'"))
    #expect(check.stdout.contains("3 problems"))
  }
}
