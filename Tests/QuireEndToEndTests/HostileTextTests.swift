import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Hostile text end to end: a library whose titles, authors, venues, abstracts and tags hold
/// control characters, escape sequences of every kind, C1 controls, bidirectional controls,
/// zero-width characters, NUL and a megabyte line, lines of `library.jsonl` that are not
/// UTF-8, and a keymap and a config whose bad lines quote all of that back. quire runs on it
/// in tmux while `pipe-pane` records every byte it writes to the terminal; the bytes must
/// hold no escape sequence but the ones curses writes for this terminal, and the screen
/// must show the hostile text as visible placeholders with its layout intact. The messages
/// `quire check`, `quire keys`, `quire import` and `quire list` print are checked the same
/// way, byte for byte. The corpus is made here, at run time: NUL and invalid UTF-8 do not
/// belong in a repository's text files.
@Suite(
  "Hostile text in a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(3)))
struct HostileTextTerminalTests {
  @Test func everyHostileStringReachesTheTerminalInert() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let papers = try HostileCorpus.writeFiles(scratch)
    let imported = try await runCapturingBytes(scratch, ["import", scratch.path("hostile.jsonl")])
    #expect(imported.status == 0, "\(imported)")
    try HostileCorpus.appendDamagedLines(scratch)
    let total = 13 + papers + HostileCorpus.damagedLines.count
    let rows = 30
    let cols = 120

    let capture = scratch.path("terminal.bytes")
    let (tmux, run) = try await startQuireRecordingBytes(scratch, capture: capture, cols: cols, rows: rows)
    defer { tmux.kill() }
    let titleBefore = try await tmux.display("#{pane_title}")

    var screens: [String] = []
    func look(_ what: String, _ condition: (String) -> Bool) async throws -> String {
      let screen = try await tmux.waitForScreen(what, timeout: .seconds(30), where: condition)
      expectIntactLayout(screen, cols: cols, rows: rows)
      screens.append(screen)
      return screen
    }

    // The first screen: the keymap's first bad line on the status line, quoted inert.
    let first = try await look("1/\(total)") { statusLine($0).contains("1/\(total)") }
    #expect(statusLine(first).contains("keymap:1: unknown key '␛]0;PWNED"), "\(statusLine(first))")

    // Every paper selected in turn, so that each abstract is drawn in the viewer.
    for position in 2...total {
      try await tmux.press("j")
      _ = try await look("\(position)/\(total)") { statusLine($0).contains(" \(position)/\(total) ") }
    }
    // The last is the damaged line's; the megabyte abstract and tag are above it.
    try await tmux.press("k", "k", "k", "k", "k")
    let huge = try await look("the megabyte abstract") { $0.contains("Huge abstract") && statusLine($0).contains(" \(total - 5)/") }
    #expect(huge.contains("␛]0;PWNED-MB␇"), "\(huge)")
    // Its end, in the viewer.
    try await tmux.press("Tab", "G")
    _ = try await look("the end of the megabyte abstract") { $0.contains(" 100% ") }
    try await tmux.press("g", "Tab")
    _ = try await look("the list again") { $0.contains(" 0% ") }

    // The tag editor on the CSI paper's hostile tag; a tag typed with hostile characters.
    try await tmux.press("g")
    _ = try await look("the first paper") { statusLine($0).contains(" 1/\(total) ") }
    let csi = 13 + 1 + HostileCorpus.strings.firstIndex { $0.name == "csi" }!
    for position in 2...csi {
      try await tmux.press("j")
      _ = try await look("\(position)/\(total)") { statusLine($0).contains(" \(position)/\(total) ") }
    }
    let selected = try await tmux.screen()
    #expect(selected.split(separator: "\n").contains { $0.contains("▸") && $0.contains("T-csi") }, "\(selected)")
    try await tmux.press("t")
    let editor = try await look("the tag editor") { $0.contains("┌ Tags") }
    #expect(editor.contains("tag-csi-CSI:␛[2J␛[H"), "\(editor)")
    try await tmux.type("typed\u{9B}31m\u{202E}rlo\u{200B}zw")
    try await tmux.press("C-v")  // not bound: said so on the status line
    try await tmux.press("Enter")
    let added = try await look("the typed tag") { $0.contains("typed\u{FFFD}31m\u{FFFD}rlozw") }
    #expect(added.contains("┌ Tags"))
    try await tmux.press("Left", "Left")
    try await Task.sleep(for: .milliseconds(200))
    try await tmux.press("Escape")
    _ = try await look("the editor closed") { !$0.contains("┌ Tags") }

    // A search typed with control keys and hostile characters, then let go.
    try await tmux.press("/")
    try await tmux.type("PWNED")
    try await tmux.press("C-v")
    try await tmux.type("\u{9D}\u{202E}")
    _ = try await look("the search") { statusLine($0).hasPrefix(" /PWNED") }
    try await tmux.press("Escape")
    _ = try await look("the search closed") { !statusLine($0).hasPrefix(" /") }

    // The views, one named with a title escape; switched to, it is in the header.
    try await tmux.press("v")
    let views = try await look("the views") { $0.contains("┌ Views") }
    #expect(views.contains("␛]0;PWNED-VIEW␇"), "\(views)")
    try await tmux.press("j", "Enter")
    let header = try await look("the hostile view in the header") { $0.split(separator: "\n").first?.contains("view: ␛]0;PWNED-VIEW␇") == true }
    #expect(!header.contains("┌ Views"))

    try await tmux.press("q")
    let status = try await run.exitStatus(timeout: .seconds(30))
    #expect(status == 0)
    _ = try await tmux.waitForScreen(containing: "quire exited 0")

    // Nothing reached the terminal as a command: no title set, no window renamed (the name
    // otherwise follows the program running), nothing sent to the clipboard.
    #expect(try await tmux.display("#{pane_title}") == titleBefore)
    let window = try await tmux.display("#{window_name}")
    #expect(!window.contains("PWNED"), "the window was renamed: \(window)")
    let buffers = try await tmux.run(["list-buffers"])
    #expect(buffers.stdout.isEmpty, "a paste buffer was set (OSC 52?): \(buffers.stdout)")

    // Every byte written to the terminal.
    let bytes = try await waitUntil("the recorded bytes to end with quire's exit", timeout: .seconds(10)) { () -> [UInt8]? in
      guard let data = FileManager.default.contents(atPath: capture) else { return nil }
      let bytes = [UInt8](data)
      return bytes.count > 0 && String(decoding: bytes.suffix(200), as: UTF8.self).contains("quire exited 0") ? bytes : nil
    }
    try await tmux.run(["pipe-pane", "-t", tmux.target])
    // Recorded from before quire started: the first bytes are curses' own start (smcup).
    #expect(String(decoding: bytes.prefix(8), as: UTF8.self) == "\u{1B}[?1049h", "\(String(decoding: bytes.prefix(40), as: UTF8.self).debugDescription)")
    let violations = TerminalBytes.violations(in: bytes, rows: rows, cols: cols)
    #expect(violations.isEmpty, "\(violations.count) sequences quire should not have written:\n\(violations.prefix(20).joined(separator: "\n"))")
    let leaks = TerminalBytes.hostileFragments(HostileCorpus.fragments, in: bytes)
    #expect(leaks.isEmpty, "hostile text reached the terminal as it was:\n\(leaks.prefix(20).joined(separator: "\n"))")

    // The judges find what they must: each hostile string written raw among the bytes is
    // caught, but for a lone CR, LF or TAB (curses moves the cursor with them too: a leak
    // of one would break the layout checked above) and zero-width characters (invisible
    // and inert either way).
    for (name, text) in HostileCorpus.strings where !["cr", "lf", "tab", "zw"].contains(name) {
      let spliced = bytes + Array("T-\(name) \(text)".utf8)
      let caught = !TerminalBytes.violations(in: spliced, rows: rows, cols: cols).isEmpty
        || !TerminalBytes.hostileFragments(HostileCorpus.fragments, in: spliced).isEmpty
      #expect(caught, "\(name) written raw would not be caught")
    }

    // What was drawn, inert but visible: the placeholders are on the screens seen.
    let seen = screens.joined(separator: "\n")
    for placeholder in HostileCorpus.placeholders {
      #expect(seen.contains(placeholder), "\(placeholder.debugDescription) was never on screen")
    }
  }

  @Test func messagesQuoteHostileLinesInertAndShort() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    _ = try HostileCorpus.writeFiles(scratch)
    let imported = try await runCapturingBytes(scratch, ["import", scratch.path("hostile.jsonl")])
    #expect(imported.status == 0, "\(imported)")

    // quire check: every problem of the keymap and the config, one short inert line each.
    let check = try await runCapturingBytes(scratch, ["check"])
    #expect(check.status == 1)
    expectPlainOutput(check.stdout, "quire check's output")
    expectPlainOutput(check.stderr, "quire check's errors")
    let lines = String(decoding: check.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    let keymap = scratch.keymapPath
    let config = scratch.configPath
    for expected in [
      "\(keymap):1: unknown key '␛]0;PWNED-KEYMAP␇'; expected a character",
      "\(keymap):2: unknown action '␛]52;c;UFdORUQtQ0xJUA==␇'",
      "\(keymap):3: unknown context '␛[2J'",
      "\(keymap):4: unknown key '␛P+q544e␛\\'",
      "\(keymap):5: unknown command '<U+009B>2J<U+009D>0;PWNED<U+009C>'",
      "\(keymap):6: unknown key '<U+202E>'",
      "\(keymap):7: unknown key 'z<U+200B>'",
      "\(keymap):8: unknown command '␀bind␀'",
      "\(keymap):9: unknown key '\u{FFFD}",
      "\(keymap):10: unknown key '␛[31m␛[31m",
      "\(keymap):12: unknown key '␛_PWNED-APC␛\\'",
      "\(config):2:",
      "\(config):3:1: unknown setting '␛]52;c;UFdORUQ'",
      "\(config):4:",
      "\(config):6:",
      "\(config):7:1: unknown setting '␀␀view'",
    ] {
      #expect(lines.contains { $0.hasPrefix(expected) }, "no line starts \(expected.debugDescription):\n\(lines.joined(separator: "\n").prefix(3000))")
    }
    // The megabyte lines are quoted in part, saying how much was left out, and end with
    // what was expected.
    let long = try #require(lines.first { $0.hasPrefix("\(keymap):10:") })
    #expect(long.contains("characters left out"))
    #expect(long.hasSuffix("PageUp, PageDown, Home, End"))
    #expect(check.stdout.count < 16_000, "quire check wrote \(check.stdout.count) bytes")

    // quire keys: the keymap's problems on stderr, the bindings on stdout.
    let keys = try await runCapturingBytes(scratch, ["keys"])
    #expect(keys.status == 0)
    expectPlainOutput(keys.stdout, "quire keys' output")
    expectPlainOutput(keys.stderr, "quire keys' errors")
    #expect(String(decoding: keys.stderr, as: UTF8.self).contains("\(keymap):1: unknown key '␛]0;PWNED-KEYMAP␇'"))

    // Files that are not text or not UTF-8 are refused with a message naming them; a file's
    // own hostile name is shown inert.
    let evilName = scratch.path("evil\u{1B}]0;PWNED-NAME\u{07}.txt")
    try Data("- Paper added: fine\n- Published: \u{1B}]0;PWNED-DATE\u{07}\n\u{9B}2J stray line\n".utf8)
      .write(to: URL(fileURLWithPath: evilName))
    for (arguments, expected) in [
      (["import", scratch.path("not-utf8.bib")], "not-utf8.bib: not valid UTF-8"),
      (["import", scratch.path("nul.bib")], "nul.bib: not a text file (it contains NUL bytes)"),
      (["check", scratch.path("not-utf8.bib")], "not valid UTF-8"),
      (["list", "--file", scratch.path("nul.bib")], "contains NUL bytes"),
      (["check", evilName], "evil␛]0;PWNED-NAME␇.txt:2:"),
      (["import", evilName], "evil␛]0;PWNED-NAME␇.txt"),
      (["import", scratch.path("hostile.bib")], "hostile.bib"),
    ] {
      let result = try await runCapturingBytes(scratch, arguments)
      expectPlainOutput(result.stdout, "\(arguments.joined(separator: " ")): output")
      expectPlainOutput(result.stderr, "\(arguments.joined(separator: " ")): errors")
      let text = String(decoding: result.stdout + result.stderr, as: UTF8.self)
      #expect(text.contains(expected), "\(arguments): \(text.prefix(2000))")
    }

    // quire list: JSON Lines (controls escaped); the library's damaged lines shown as such.
    try HostileCorpus.appendDamagedLines(scratch)
    let list = try await runCapturingBytes(scratch, ["list"])
    #expect(list.status == 0)
    expectPlainOutput(list.stdout, "quire list's output")
    expectPlainOutput(list.stderr, "quire list's errors")

    // The command line's own complaints quote the arguments given.
    for arguments in [["list", "--sort", "\u{1B}]0;PWNED\u{07}"], ["list", "--\u{1B}[2Jx"], ["export", "--format", "\u{9B}31m"]] {
      let refused = try await runCapturingBytes(scratch, arguments)
      #expect(refused.status != 0)
      #expect(!refused.stderr.isEmpty)
      expectPlainOutput(refused.stdout, "quire \(arguments[0])'s output")
      expectPlainOutput(refused.stderr, "quire \(arguments[0])'s complaint about its arguments")
    }
  }

  // MARK: - Checks

  /// Row 0 is the header, the last row the status line, and every box keeps its borders
  /// in place, every row exactly `cols` wide.
  func expectIntactLayout(_ screen: String, cols: Int, rows: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count >= rows, "\(lines.count) rows:\n\(screen)", sourceLocation: sourceLocation)
    guard lines.count >= rows else { return }
    #expect(lines[0].hasPrefix(" quire · "), "the header is gone:\n\(screen)", sourceLocation: sourceLocation)
    #expect(lines[rows - 1].hasSuffix("saved"), "the status line is gone:\n\(screen)", sourceLocation: sourceLocation)
    #expect(lines[1].hasPrefix("┌ Papers"), "the list's border moved:\n\(screen)", sourceLocation: sourceLocation)
    var corners: [Int]?
    for (index, line) in lines.prefix(rows).enumerated() where index > 0 && index < rows - 1 {
      let cells = columns(of: line)
      if line.hasPrefix("┌") {
        corners = cells.filter { "┌┐".contains($0.character) }.map(\.column)
        #expect(corners?.last == cols - 1, "row \(index): \(line)\n\(screen)", sourceLocation: sourceLocation)
      } else if line.hasPrefix("└") {
        corners = nil
      } else if let corners {
        let bars = cells.filter { "│┌┐└┘".contains($0.character) }.map(\.column)
        // Overlays (the views, help) lie across the panes; the panes' outer borders stay.
        #expect(bars.first == corners.first && bars.last == corners.last, "row \(index) is misaligned: \(line)\n\(screen)", sourceLocation: sourceLocation)
        #expect(displayWidth(line) == cols, "row \(index) is \(displayWidth(line)) columns wide: \(line)", sourceLocation: sourceLocation)
      }
    }
  }

  /// Output for a terminal that is not under curses (messages, JSON Lines): UTF-8 with no
  /// control character but the newline, no escape, no C1 control, and no bidirectional
  /// control (JSON Lines carry those as they are: they are data, and reorder, not command).
  func expectPlainOutput(
    _ bytes: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      Issue.record("\(what) is not UTF-8", sourceLocation: sourceLocation)
      return
    }
    var found: [String] = []
    for (offset, scalar) in text.unicodeScalars.enumerated() where scalar != "\n" {
      if TerminalBytes.isControl(scalar) || TerminalBytes.isBidirectionalControl(scalar) {
        found.append("U+\(String(scalar.value, radix: 16, uppercase: true)) at scalar \(offset)")
      }
    }
    #expect(found.isEmpty, "\(what): \(found.prefix(10).joined(separator: ", "))\n\(text.prefix(1500).debugDescription)", sourceLocation: sourceLocation)
  }
}

// MARK: - Recording what quire writes

/// A process's exit status and its output, byte for byte.
struct RawResult: CustomStringConvertible {
  var status: Int32
  var stdout: [UInt8]
  var stderr: [UInt8]
  var description: String {
    "status \(status)\n--- stdout ---\n\(String(decoding: stdout.prefix(4000), as: UTF8.self))\n--- stderr ---\n\(String(decoding: stderr.prefix(4000), as: UTF8.self))"
  }
}

/// Runs quire without a terminal, its output going to files read back as bytes (`Run`
/// decodes its output as text, which would repair what must be seen as it is).
func runCapturingBytes(_ scratch: Scratch, _ arguments: [String]) async throws -> RawResult {
  let id = UUID().uuidString.prefix(8)
  let out = scratch.path("out-\(id)")
  let err = scratch.path("err-\(id)")
  let result = try await Run.process(
    "/bin/sh", ["-c", "out=$1 err=$2; shift 2; exec \"$@\" > \"$out\" 2> \"$err\"", "sh", out, err, scratch.quire] + arguments,
    environment: scratch.environment)
  defer {
    try? FileManager.default.removeItem(atPath: out)
    try? FileManager.default.removeItem(atPath: err)
  }
  return RawResult(
    status: result.status, stdout: [UInt8](FileManager.default.contents(atPath: out) ?? Data()),
    stderr: [UInt8](FileManager.default.contents(atPath: err) ?? Data()))
}

/// quire in the wrapper script, in a pane whose output is recorded from before quire
/// starts: the pane waits for a file to appear, `pipe-pane -O` is attached, then the file
/// is made. `capture` then holds every byte the pane received.
func startQuireRecordingBytes(
  _ scratch: Scratch, _ arguments: [String] = [], capture: String, cols: Int, rows: Int
) async throws -> (TmuxSession, WrappedQuire) {
  let run = try scratch.wrappedQuire(arguments, name: "recorded")
  let go = scratch.path("go")
  let command = "while [ ! -e \(shellQuote(go)) ]; do sleep 0.05; done; " + run.shellCommand
  let session = try await TmuxSession.start(cols: cols, rows: rows, command: command)
  do {
    // An OSC 52 that got through would then show as a paste buffer.
    try await session.run(["set-option", "-s", "set-clipboard", "on"])
    let piped = try await session.run(["pipe-pane", "-O", "-t", session.target, "exec cat >> \(shellQuote(capture))"])
    guard piped.status == 0 else { throw E2EFailure("pipe-pane failed: \(piped)") }
    _ = try await waitUntil("pipe-pane to be attached") {
      try await session.display("#{pane_pipe}") == "1" ? true : nil
    }
    _ = FileManager.default.createFile(atPath: go, contents: Data())
  } catch {
    session.kill()
    throw error
  }
  return (session, run)
}

// MARK: - Judging the bytes

/// What curses may write to an xterm-256color terminal, and nothing else: CSI sequences of
/// the kinds its terminfo entry uses (SGR with the attributes and colours quire's palette
/// maps to, cursor addressing inside the screen, erasing, scrolling regions, the modes of
/// `smcup`/`rmcup`/`smkx`/`rmkx`/`civis`/`cnorm`/`smam`/`rmir`, and `XM`'s SGR mouse reports
/// on and off), `ESC ( B` of `sgr0`,
/// `ESC =`/`ESC >` (keypad), `ESC M` (reverse index), and the C0 controls curses moves the
/// cursor with (CR, LF, BS, TAB). No OSC, DCS, APC, PM or SOS, no other escape, no C1
/// control, no bidirectional control, no NUL, no BEL (quire never beeps).
enum TerminalBytes {
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  static func isBidirectionalControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  static let sgrParameters: Set<Int> = Set([0, 1, 2, 3, 4, 5, 7, 8, 22, 23, 24, 25, 27, 28, 39, 49] + Array(30...37) + Array(40...47) + Array(90...97) + Array(100...107))
  static let modes: Set<String> = ["?1049", "?1", "?25", "?12", "?7", "4", "?1034", "?1006;1000"]

  /// Each escape or control that does not belong, with its offset and what surrounds it.
  static func violations(in bytes: [UInt8], rows: Int, cols: Int) -> [String] {
    guard let text = String(validating: bytes, as: UTF8.self) else { return ["the output is not UTF-8"] }
    let scalars = Array(text.unicodeScalars)
    var found: [String] = []
    func report(_ index: Int, _ length: Int, _ why: String) {
      let sequence = String(String.UnicodeScalarView(scalars[index..<min(scalars.count, index + max(length, 1))]))
      let before = String(String.UnicodeScalarView(scalars[max(0, index - 20)..<index]))
      found.append("scalar \(index): \(why): \(sequence.debugDescription) after \(before.debugDescription)")
    }
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "\u{1B}" {
        guard index + 1 < scalars.count else {
          report(index, 1, "a lone ESC at the end")
          break
        }
        let next = scalars[index + 1]
        switch next {
        case "[":
          var end = index + 2
          var parameters = ""
          while end < scalars.count, (0x30...0x3F).contains(scalars[end].value) {
            parameters.unicodeScalars.append(scalars[end])
            end += 1
          }
          var intermediates = ""
          while end < scalars.count, (0x20...0x2F).contains(scalars[end].value) {
            intermediates.unicodeScalars.append(scalars[end])
            end += 1
          }
          guard end < scalars.count, (0x40...0x7E).contains(scalars[end].value) else {
            report(index, end - index + 1, "an unfinished CSI")
            index = end
            continue
          }
          if let why = judgeCSI(parameters: parameters, intermediates: intermediates, final: scalars[end], rows: rows, cols: cols) {
            report(index, end - index + 1, why)
          }
          index = end + 1
        case "(":
          if index + 2 < scalars.count, scalars[index + 2] == "B" {
            index += 3
          } else {
            report(index, 3, "a character set curses does not choose")
            index += 2
          }
        case "=", ">", "M":
          index += 2
        case "]": report(index, 12, "an OSC (operating system command: titles, clipboard)"); index += 2
        case "P": report(index, 12, "a DCS (device control string)"); index += 2
        case "_": report(index, 12, "an APC (application program command)"); index += 2
        case "^": report(index, 12, "a PM (privacy message)"); index += 2
        case "X": report(index, 12, "an SOS (start of string)"); index += 2
        default: report(index, 2, "an escape curses does not write"); index += 2
        }
        continue
      }
      if isControl(scalar), !["\r", "\n", "\u{08}", "\t"].contains(scalar) {
        report(index, 1, "the control character U+\(String(scalar.value, radix: 16, uppercase: true))")
      } else if isBidirectionalControl(scalar) {
        report(index, 1, "the bidirectional control U+\(String(scalar.value, radix: 16, uppercase: true))")
      }
      index += 1
    }
    return found
  }

  /// Why a CSI sequence is not one curses writes, or nil.
  static func judgeCSI(parameters: String, intermediates: String, final: Unicode.Scalar, rows: Int, cols: Int) -> String? {
    guard intermediates.isEmpty else { return "a CSI with intermediates" }
    let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
    func number(in range: ClosedRange<Int>) -> Bool {
      parameters.isEmpty || (numbers.count == 1 && numbers[0].map(range.contains) == true)
    }
    switch final {
    case "m":
      var values = numbers.map { $0 ?? 0 }
      while let first = values.first {
        if (first == 38 || first == 48), values.count >= 3, values[1] == 5, (0...255).contains(values[2]) {
          values.removeFirst(3)
        } else if sgrParameters.contains(first) {
          values.removeFirst()
        } else {
          return "an SGR attribute curses does not set here"
        }
      }
      return nil
    case "H":
      if parameters.isEmpty { return nil }
      guard numbers.count == 2, let row = numbers[0], let col = numbers[1], (1...rows).contains(row), (1...cols).contains(col)
      else { return "the cursor sent outside the screen" }
      return nil
    case "d", "A", "B", "L", "M", "S", "T": return number(in: 1...rows) ? nil : "a vertical move or scroll beyond the screen"
    case "G", "C", "D", "X", "@", "P", "b": return number(in: 1...cols) ? nil : "a horizontal move beyond the screen"
    case "J", "K": return number(in: 0...2) ? nil : "an erase curses does not write"
    case "r":
      guard numbers.count == 2, let top = numbers[0], let bottom = numbers[1], 1 <= top, top <= bottom, bottom <= rows
      else { return "a scrolling region outside the screen" }
      return nil
    case "t": return parameters == "22;0;0" || parameters == "23;0;0" ? nil : "a window operation (only smcup's and rmcup's title stack are curses')"
    case "h", "l": return modes.contains(parameters) ? nil : "a mode curses does not set"
    default: return "a CSI sequence curses does not write (final \(final))"
    }
  }

  /// The hostile fragments (each starting at a control character of the corpus) that
  /// appear in the bytes as they were in the files.
  static func hostileFragments(_ fragments: [String], in bytes: [UInt8]) -> [String] {
    fragments.filter { fragment in
      let needle = Array(fragment.utf8)
      guard let first = needle.first else { return false }
      var index = 0
      while let found = bytes[index...].firstIndex(of: first) {
        if found + needle.count <= bytes.count, bytes[found..<(found + needle.count)].elementsEqual(needle) { return true }
        index = found + 1
      }
      return false
    }.map(\.debugDescription)
  }
}

// MARK: - The corpus

/// The hostile library, keymap and config, written into a scratch folder at run time.
enum HostileCorpus {
  static let esc = "\u{1B}"

  /// Named hostile strings, placed in the titles, authors, venues, abstracts and tags of a
  /// library to import.
  static let strings: [(name: String, text: String)] = [
    ("c0", "C0:" + String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) })) + ":end"),
    ("bel", "ring\u{07}bell:end"),
    ("bs", "back\u{08}\u{08}space:end"),
    ("cr", "carriage\rreturn:end"),
    ("lf", "line\nfeed:end"),
    ("tab", "tab\there:end"),
    ("del", "DEL:\u{7F}:end"),
    ("c1", "C1:" + String(String.UnicodeScalarView((0x80..<0xA0).map { Unicode.Scalar(UInt8($0)) })) + ":end"),
    ("csi", "CSI:\(esc)[2J\(esc)[H\(esc)[31;1mRED\(esc)[0mb\(esc)[4711;4711Hc\(esc)[6nd\(esc)[?1049le\(esc)[?25lf\(esc)[8;5;5t:end"),
    ("osc0", "OSC0:\(esc)]0;PWNED-TITLE-0\u{07}:end"),
    ("osc2", "OSC2:\(esc)]2;PWNED-TITLE-2\(esc)\\:end"),
    ("osc52", "OSC52:\(esc)]52;c;UFdORUQtQ0xJUA==\u{07}:end"),
    ("dcs", "DCS:\(esc)P+q544e\(esc)\\\(esc)Ptmux;\(esc)\(esc)]2;PWNED-PASS\u{07}\(esc)\\:end"),
    ("apc", "APC:\(esc)_PWNED-APC\(esc)\\:end"),
    ("pm", "PM:\(esc)^PWNED-PM\(esc)\\:end"),
    ("sos", "SOS:\(esc)XPWNED-SOS\(esc)\\:end"),
    ("csi8", "CSI8:\u{9B}2J\u{9B}31mRED8:end"),
    ("c1strings", "C1STR:\u{9D}0;PWNED-C1\u{9C}\u{90}DCS8\u{9C}\u{9F}APC8\u{9C}:end"),
    ("esck", "ESCK:\(esc)kPWNED-WINDOW\(esc)\\:end"),  // screen's and tmux's window name
    ("escmisc", "MISC:\(esc)c\(esc)#8\(esc)(0lqk\(esc)(B\(esc)7\(esc)8\(esc)M\(esc)=:end"),
    ("bidi", "BIDI:\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{202E}e\u{2066}f\u{2067}g\u{2068}h\u{2069}i\u{200E}j\u{200F}k\u{061C}l:end"),
    ("zw", "ZW:zero\u{200B}width\u{200C}non\u{200D}joiner\u{FEFF}bom\u{2060}wj:end"),
    ("nul", "NUL:\u{0}\u{0}:end"),
  ]

  /// A megabyte of abstract, and of tag, hostile all through.
  static let megabyteAbstract: String = {
    let piece = "words and \(esc)]0;PWNED-MB\u{07} more \u{9B}2J text \u{202E}reversed\u{202C} "
    return String(repeating: piece, count: (1 << 20) / piece.utf8.count + 1)
  }()
  static let megabyteTag = "mb" + String(repeating: "\(esc)[31m\u{200B}", count: (1 << 20) / 8)

  /// Lines of `library.jsonl` that are not UTF-8, or not JSON (a raw NUL, a raw ESC), each
  /// with a paper id so that it takes its place in the list as a damaged line.
  static let damagedLines: [[UInt8]] = [
    Array(#"{"id":"00000000000000a1","title":"RAW-C1 "#.utf8) + Array(0x80...0x9F) + Array(#""}"#.utf8),
    Array(#"{"id":"00000000000000a2","title":"OVERLONG "#.utf8) + [0xC0, 0xAF] + Array(" SURROGATE ".utf8) + [0xED, 0xA0, 0x80]
      + Array(" CUT ".utf8) + [0xE2, 0x82] + Array(#""}"#.utf8),
    Array(#"{"id":"00000000000000a3","title":"NUL "#.utf8) + [0, 0] + Array(#""}"#.utf8),
    Array(#"{"id":"00000000000000a4","title":"ESC "#.utf8) + Array("\(esc)]0;PWNED-RAW\u{07}".utf8) + Array(#""}"#.utf8),
  ]

  /// The keymap: each bad line is quoted back in its problem.
  static let keymap: [UInt8] = {
    var lines: [[UInt8]] = [
      "bind \(esc)]0;PWNED-KEYMAP\u{07} quit",  // 1
      "bind x \(esc)]52;c;UFdORUQtQ0xJUA==\u{07}",  // 2
      "bind y down \(esc)[2J",  // 3
      "unbind \(esc)P+q544e\(esc)\\",  // 4
      "\u{9B}2J\u{9D}0;PWNED\u{9C} bind",  // 5
      "bind \u{202E} quit",  // 6
      "bind z\u{200B} quit",  // 7
      "\u{0}bind\u{0} q quit",  // 8
    ].map { Array($0.utf8) }
    lines.append(Array("bind ".utf8) + [0x80, 0x9B, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xE2, 0x82] + Array(" quit".utf8))  // 9
    lines.append(Array(("bind " + String(repeating: "\(esc)[31m", count: 200_000) + " quit").utf8))  // 10: a megabyte
    lines.append(Array("bind j\rdown".utf8))  // 11
    lines.append(Array("bind \(esc)_PWNED-APC\(esc)\\ quit".utf8))  // 12
    return lines.joined(separator: [0x0A]) + [0x0A]
  }()

  /// The config: one view named with a title escape (valid, so shown), and bad lines.
  static let config: [UInt8] = {
    var lines: [[UInt8]] = [
      "view \"\(esc)]0;PWNED-VIEW\u{07}\" = \"is:unread\"",  // 1
      "view \"ok\" = \"\(esc)[2J tag:(\"",  // 2
      "\(esc)]52;c;UFdORUQ=\u{07} = 1",  // 3
      "view \"bidi\u{202E}evil\" = \"x\" extra",  // 4
    ].map { Array($0.utf8) }
    lines.append(Array("view \"".utf8) + [0x80, 0xFF, 0xFE] + Array("\" = \"(\"".utf8))  // 5
    lines.append(Array(("view \"" + String(repeating: "\(esc)]0;x\u{07}", count: 150_000) + "\" = \"(\"").utf8))  // 6
    lines.append([0, 0] + Array("view".utf8))  // 7
    return lines.joined(separator: [0x0A]) + [0x0A]
  }()

  /// Writes the library to import (`hostile.jsonl`), the keymap, the config, and files
  /// `quire import` must refuse; returns how many papers the library holds.
  static func writeFiles(_ scratch: Scratch) throws -> Int {
    var lines: [String] = []
    for (index, (name, text)) in strings.enumerated() {
      let fields: [(String, String)] = [
        ("title", "T-\(name) \(text)"), ("venue", "V-\(name) \(text)"), ("abstract", "Abstract \(name): \(text) and more words."),
      ]
      var line = "{" + fields.map { "\(json($0.0)):\(json($0.1))" }.joined(separator: ",")
      line += ",\"authors\":[\(json("A-\(name) \(text)")),\"Plain Author\"],\"year\":\(2000 + index),\"tags\":[\(json("tag-\(name)-\(text)"))]}"
      lines.append(line)
    }
    lines.append("{\"title\":\"Huge abstract\",\"authors\":[\"Big Writer\"],\"year\":1999,\"abstract\":\(json(megabyteAbstract)),\"tags\":[\"huge\"]}")
    lines.append("{\"title\":\"Huge tag\",\"authors\":[\"Tag Writer\"],\"year\":1998,\"abstract\":\"short\",\"tags\":[\(json(megabyteTag)),\"small\"]}")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: scratch.path("hostile.jsonl")))

    try FileManager.default.createDirectory(
      atPath: (scratch.keymapPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(keymap).write(to: URL(fileURLWithPath: scratch.keymapPath))
    try Data(config).write(to: URL(fileURLWithPath: scratch.configPath))
    // Refused whole: not UTF-8, and not text.
    try Data(Array("@article{a,\n  title = {Bad ".utf8) + [0xC0, 0xAF, 0x80] + Array("},\n}\n".utf8))
      .write(to: URL(fileURLWithPath: scratch.path("not-utf8.bib")))
    try Data(Array("@article{a,\n  title = {NUL ".utf8) + [0, 0] + Array("},\n}\n".utf8))
      .write(to: URL(fileURLWithPath: scratch.path("nul.bib")))
    // Read, its problems quoting it.
    try Data(
      """
      @article{\(esc)]0;PWNED-KEY\u{07},
        title = {BibTeX \(esc)]2;PWNED-BIB\u{07} title \u{9B}2J},
        author = {Evil, \(esc)[2J and Other, \u{202E}Reversed},
        journal = pwnedmacro\(esc)[31m,
        year = {20\(esc)[5n16},
      }
      @\(esc)]0;PWNED-TYPE\u{07}{k2, title = {x}}

      """.utf8
    ).write(to: URL(fileURLWithPath: scratch.path("hostile.bib")))
    return strings.count + 2
  }

  static func appendDamagedLines(_ scratch: Scratch) throws {
    let path = scratch.dataHome + "/quire/library.jsonl"
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    for line in damagedLines { try handle.write(contentsOf: line + [0x0A]) }
  }

  /// A JSON string literal: quotes, backslashes and every C0 control escaped, the rest
  /// (C1 controls, bidirectional controls) as it is.
  static func json(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// Pieces of the corpus that must not reach the terminal as they are: each escape,
  /// control or bidirectional character with the two characters before it and the few
  /// after it. A leak writes them as they are, in one run with the text around them; the
  /// text before keeps curses' own sequences (`ESC [ ? 1049 l` ends every session) from
  /// matching.
  static let fragments: [String] = {
    var found: Set<String> = []
    for (_, text) in strings + [("mb", String(megabyteAbstract.prefix(200))), ("tag", String(megabyteTag.prefix(200)))] {
      let scalars = Array(text.unicodeScalars)
      for (index, scalar) in scalars.enumerated()
      where TerminalBytes.isControl(scalar) || TerminalBytes.isBidirectionalControl(scalar) {
        let end = min(scalars.count, index + 6)
        let fragment = scalars[max(0, index - 2)..<end]
        guard fragment.count >= 5 else { continue }
        // CR, LF, BS and TAB move the cursor in what curses writes too: a fragment starting
        // with one counts only if it holds another control (a leak of these alone would
        // show on the screen instead, which is checked).
        if ["\r", "\n", "\u{08}", "\t"].contains(scalar),
          fragment.filter({ TerminalBytes.isControl($0) || TerminalBytes.isBidirectionalControl($0) }).count < 2
        {
          continue
        }
        found.insert(String(String.UnicodeScalarView(fragment)))
      }
    }
    return found.sorted()
  }()

  /// What the screens must show: each hostile sequence as visible placeholders.
  static let placeholders: [String] = [
    "C0:␀␁␂␃␄␅␆␇␈", "ring␇bell", "back␈␈space", "carriage␍return", "␡", "C1:\u{FFFD}\u{FFFD}",
    "␛[2J␛[H␛[31;1mRED", "␛]0;PWNED-TITLE-0␇", "␛]2;PWNED-TITLE-2␛\\", "␛]52;c;UFdORUQtQ0xJUA==␇",
    "␛P+q544e␛\\", "␛_PWNED-APC␛\\", "␛^PWNED-PM␛\\", "␛XPWNED-SOS␛\\", "CSI8:\u{FFFD}2J", "\u{FFFD}0;PWNED-C1",
    "MISC:␛c␛#8␛(0lqk", "ESCK:␛kPWNED-WINDOW␛\\:end", "BIDI:\u{FFFD}a\u{FFFD}b", "ZW:zerowidthnonjoinerbomwj:end", "NUL:␀␀:end",
    "␛]0;PWNED-MB␇", "mb␛[31m␛[31m", "of library.jsonl cannot be read›",
  ]
}
