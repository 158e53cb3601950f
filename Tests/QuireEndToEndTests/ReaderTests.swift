import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// quire in a real terminal: tmux runs it in a pane of a known size, keys go in with
/// `send-keys`, and the screen comes back with `capture-pane`.
@Suite(
  "Reader in a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct ReaderTests {
  @Test func opensTheBuiltInReadingList() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 200, rows: 40)
    defer { tmux.kill() }

    let screen = try await tmux.waitForScreen(containing: "1/13")
    #expect(screen.contains("13 papers"))
    #expect(screen.contains("13 unread"))
    #expect(screen.contains("┌ Papers "))
    #expect(screen.contains("┌ Paper "))
    // Side by side at this width: both boxes start on the same row.
    #expect(screen.split(separator: "\n").contains { $0.hasPrefix("┌ Papers ") && $0.contains("┐┌ Paper ─") })
    // The first paper has no title: a label made from its abstract, marked ‹…›.
    #expect(screen.contains("‹Several researchers characterized the activation function…›"))
    #expect(screen.contains("‹Leshno et al. (1993) — Several researchers"))
    #expect(screen.contains("Why are Deep Nets Reversible"))
    #expect(statusLine(screen).contains("1/13"))
    #expect(statusLine(screen).hasSuffix("saved"))

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func readStatusAndTagsPersist() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }

    do {
      let (tmux, run) = try await startQuire(scratch, name: "first")
      defer { tmux.kill() }
      try await tmux.waitForScreen(containing: "1/13")
      try await tmux.press("j")
      try await tmux.waitForScreen(containing: "2/13")
      try await tmux.press("r")
      let marked = try await tmux.waitForScreen(containing: "marked read")
      #expect(statusLine(marked).contains("marked read"))
      #expect(marked.contains("12 unread"))
      try await tmux.press("t")
      try await tmux.waitForScreen(containing: "┌ Tags")
      try await tmux.type("theory")
      try await tmux.waitForScreen(containing: "add: theory")
      try await tmux.press("Enter")
      try await tmux.waitForScreen(containing: "tagged 'theory'")
      try await tmux.press("Escape")
      // Wait for the editor to close, so that q reaches the list and not the editor.
      try await tmux.waitForScreen(notContaining: "┌ Tags")
      try await tmux.press("q")
      try await expectCleanExit(tmux, run, status: 0)
    }

    // The state file: valid JSON, version 1, one paper read and tagged.
    let text = try #require(scratch.read(scratch.statePath), "no state file at \(scratch.statePath)")
    let root = try jsonObject(text)
    #expect(root["version"] as? Int == 1)
    #expect(root["format"] as? String == "quire-state")
    let papers = try #require(root["papers"] as? [String: Any])
    #expect(papers.count == 1, "\(text)")
    let (savedID, savedEntry) = try #require(papers.first)
    let entry = try #require(savedEntry as? [String: Any])
    #expect(entry["status"] as? String == "read")
    #expect(entry["tags"] as? [String] == ["theory"])

    // `quire list` sees it, on the second paper.
    let list = try await scratch.runQuire(["list"])
    #expect(list.status == 0, "\(list)")
    #expect(list.stdoutLines.count == 13)
    let second = try jsonObject(try #require(list.stdoutLines.dropFirst().first))
    #expect(second["id"] as? String == savedID)
    #expect(second["status"] as? String == "read")
    #expect(second["tags"] as? [String] == ["theory"])
    let first = try jsonObject(try #require(list.stdoutLines.first))
    #expect(first["status"] as? String == "unread")
    #expect(first["tags"] as? [String] == [])

    // Reopened, the reader shows it too.
    let (tmux, run) = try await startQuire(scratch, name: "second")
    defer { tmux.kill() }
    let screen = try await tmux.waitForScreen(containing: "1/13")
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Row 0 the header, row 1 the top border, rows 2 and 3 the first two papers.
    try #require(rows.count > 3)
    #expect(rows[2].hasPrefix("│▸●"), "first paper should be selected and unread:\n\(screen)")
    #expect(rows[3].hasPrefix("│ ○"), "second paper should be read:\n\(screen)")
    #expect(rows[3].contains("#theory"))
    #expect(screen.contains("12 unread"))
    try await tmux.press("j")
    let viewer = try await tmux.waitForScreen(containing: "2/13")
    #expect(viewer.contains("status: read · tags: theory"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func stateOptionPutsTheStateElsewhere() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let elsewhere = scratch.path("elsewhere/nested/my-state.json")
    let (tmux, run) = try await startQuire(scratch, ["--state", elsewhere])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)

    let text = try #require(scratch.read(elsewhere), "no state file at \(elsewhere)")
    let papers = try #require(try jsonObject(text)["papers"] as? [String: Any])
    #expect(papers.count == 1)
    #expect(!FileManager.default.fileExists(atPath: scratch.statePath), "the default state file was written too")

    let withOption = try await scratch.runQuire(["list", "--state", elsewhere])
    #expect(try jsonObject(try #require(withOption.stdoutLines.first))["status"] as? String == "read")
    let withoutOption = try await scratch.runQuire(["list"])
    #expect(try jsonObject(try #require(withoutOption.stdoutLines.first))["status"] as? String == "unread")
  }

  enum Interruption: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sigterm, sighup, sigint, controlC

    var signalNumber: Int32 {
      switch self {
      case .sigterm: SIGTERM
      case .sighup: SIGHUP
      case .sigint, .controlC: SIGINT
      }
    }

    var testDescription: String { self == .controlC ? "C-c" : rawValue.uppercased() }
  }

  @Test(arguments: Interruption.allCases)
  func signalSavesAndRestoresTheTerminal(_ interruption: Interruption) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    let pid = try await run.pid()
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")

    if interruption == .controlC {
      try await tmux.press("C-c")
    } else {
      #expect(kill(pid, interruption.signalNumber) == 0)
    }
    try await expectCleanExit(tmux, run, status: 128 + interruption.signalNumber)

    let text = try #require(scratch.read(scratch.statePath), "no state file after \(interruption)")
    let papers = try #require(try jsonObject(text)["papers"] as? [String: Any])
    #expect(papers.count == 1)
    #expect((papers.values.first as? [String: Any])?["status"] as? String == "read")
  }

  @Test func closingTheTerminalEndsQuireAndKeepsState() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    let pid = try await run.pid()
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")

    // The terminal goes away under quire: a real hangup, not a signal sent by hand.
    try await tmux.run(["kill-pane", "-t", tmux.target])
    _ = try await waitUntil("quire (pid \(pid)) to end after its terminal closed") { processHasEnded(pid) ? true : nil }

    let text = try #require(scratch.read(scratch.statePath), "no state file after the hangup")
    let papers = try #require(try jsonObject(text)["papers"] as? [String: Any])
    #expect((papers.values.first as? [String: Any])?["status"] as? String == "read")
  }

  @Test func unsavableStateIsKeptAndRescuedOnQuit() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // A file where the state's folder should be: saving cannot succeed, even as root.
    let blocker = try scratch.write("not-a-folder", "a file, not a folder\n")
    let statePath = blocker + "/state.json"
    let temporary = scratch.path("tmp")
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    let (tmux, run) = try await startQuire(
      scratch, ["--state", statePath], cols: 200, environment: ["TMPDIR": temporary + "/"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    let failed = try await tmux.waitForScreen(containing: "NOT SAVED")
    #expect(statusLine(failed).contains("cannot save \(statePath)"), "status line: \(statusLine(failed))")
    #expect(failed.contains("12 unread"), "the change is kept on screen")

    try await tmux.press("q")
    #expect(try await run.exitStatus() == 1, "a quit that could not save must not look like success")
    let after = try await tmux.waitForScreen(containing: "quire exited")
    #expect(after.contains("your reading state was written to"), "\(after)")
    #expect(run.sttyBefore == run.sttyAfter)

    let rescued = try FileManager.default.contentsOfDirectory(atPath: temporary).filter {
      $0.hasPrefix("quire-state-rescue-")
    }
    let rescue = temporary + "/" + (try #require(rescued.first, "no rescue file in \(temporary)"))
    #expect(after.replacingOccurrences(of: "\n", with: "").contains(rescue), "the message names the rescue file")
    let list = try await scratch.runQuire(["list", "--state", rescue])
    #expect(try jsonObject(try #require(list.stdoutLines.first))["status"] as? String == "read", "\(list)")
  }

  static let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

  /// The save sequence, seen from the system calls quire makes: a temporary file in the
  /// same folder, written and flushed, renamed over state.json, then the folder flushed.
  @Test(.enabled(if: strace != nil, "strace is not installed"))
  func savingFlushesTheFileRenamesItAndFlushesTheFolder() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let log = scratch.path("strace.log")
    let (tmux, run) = try await startQuire(
      scratch, cols: 200,
      prefix: [Self.strace!, "-f", "-o", log, "-e", "trace=openat,write,fsync,fdatasync,close,rename,renameat,renameat2"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("q")
    _ = try await run.exitStatus()

    let folder = scratch.dataHome + "/quire"
    let calls = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
    func index(after start: Int, _ what: String, where match: (String) -> Bool) throws -> Int {
      let found = calls.indices.dropFirst(start).first { match(calls[$0]) }
      return try #require(found, "no \(what) after line \(start) of the strace log:\n\(calls.joined(separator: "\n"))")
    }
    func fd(of line: String) -> String { String(line.split(separator: "=").last!.trimmingCharacters(in: .whitespaces)) }

    let open = try index(after: 0, "temporary file created") {
      $0.contains("openat(") && $0.contains("\"\(folder)/.state.json.tmp-") && $0.contains("O_CREAT") && $0.contains("O_EXCL")
    }
    let file = fd(of: calls[open])
    let write = try index(after: open, "write to it") { $0.contains("write(\(file),") && $0.contains("quire-state") }
    let flush = try index(after: write, "fsync of it") { $0.contains("fsync(\(file))") }
    let close = try index(after: flush, "close of it") { $0.contains("close(\(file))") }
    let rename = try index(after: close, "rename over state.json") {
      $0.contains("rename") && $0.contains(".state.json.tmp-") && $0.contains("\"\(folder)/state.json\"")
    }
    let openFolder = try index(after: rename, "the folder opened") {
      $0.contains("openat(") && $0.contains("\"\(folder)\"") && $0.contains("O_DIRECTORY")
    }
    _ = try index(after: openFolder, "fsync of the folder") { $0.contains("fsync(\(fd(of: calls[openFolder])))") }
  }

  @Test func altKeysAndUnknownSequencesAreNotReadAsEscape() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 120)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("t")
    try await tmux.waitForScreen(containing: "add:")
    // Alt-r arrives as Esc r: read as one key, it neither closes the editor nor marks read.
    try await tmux.press("M-r")
    try await tmux.type("x")
    let screen = try await tmux.waitForScreen(containing: "add: x")
    #expect(screen.contains("13 unread"))
    try await tmux.press("Escape")
    try await tmux.waitForScreen(notContaining: "add:")
    try await tmux.press("M-q")
    try await tmux.waitForScreen(containing: "M-q is not bound")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    #expect(scratch.read(scratch.statePath) == nil, "nothing was changed, so nothing was saved")
  }

  @Test func failedSaveIsRetriedUntilItWorks() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let blocker = try scratch.write("later", "a file where the state folder will be\n")
    let statePath = blocker + "/state.json"
    let (tmux, run) = try await startQuire(scratch, ["--state", statePath], cols: 200)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "NOT SAVED")
    // The disk comes back: the change saved in memory reaches the file without a key.
    try FileManager.default.removeItem(atPath: blocker)
    try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
    let saved = try await tmux.waitForScreen(containing: "saved after all")
    #expect(!saved.contains("NOT SAVED"))
    let state = try jsonObject(try String(contentsOfFile: statePath, encoding: .utf8))
    let papers = try #require(state["papers"] as? [String: [String: Any]])
    #expect(papers.values.map { $0["status"] as? String } == ["read"])
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func malformedReadingListShowsFirstProblemAndGoodPapers() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = try scratch.write("list.md", MalformedList.text)
    let (tmux, run) = try await startQuire(scratch, [file], cols: 200, rows: 30)
    defer { tmux.kill() }
    let screen = try await tmux.waitForScreen(containing: "1/2")
    #expect(statusLine(screen).contains("\(file):7:"), "status line: \(statusLine(screen))")
    #expect(statusLine(screen).contains("+1 more"))
    #expect(screen.contains("2 papers"))
    #expect(screen.contains("Lovelace, Babbage"))
    #expect(screen.contains("Good Title"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func userKeymapAddsBindingsAndReportsBadLines() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.write(scratch.keymapPath, "bind x toggle-read\nbind zz nothing\n")

    let keys = try await scratch.runQuire(["keys"])
    #expect(keys.status == 0, "\(keys)")
    #expect(keys.stdoutLines.contains("bind x toggle-read"))
    #expect(keys.stdoutLines.contains("bind r toggle-read"), "the built-in bindings are kept")
    #expect(keys.stderr.contains("\(scratch.keymapPath):2:"), "\(keys)")

    let (tmux, run) = try await startQuire(scratch, cols: 200, rows: 30)
    defer { tmux.kill() }
    let screen = try await tmux.waitForScreen(containing: "1/13")
    #expect(statusLine(screen).contains("\(scratch.keymapPath):2:"), "status line: \(statusLine(screen))")
    #expect(statusLine(screen).contains("zz"))
    try await tmux.press("x")
    let marked = try await tmux.waitForScreen(containing: "marked read")
    #expect(marked.contains("12 unread"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func resizeToTooSmallAndBack() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 100, rows: 30)
    defer { tmux.kill() }
    let wide = try await tmux.waitForScreen(containing: "1/13")
    #expect(wide.split(separator: "\n").contains { $0.contains("┌ Papers ") && $0.contains("┌ Paper ─") })

    try await tmux.resize(cols: 30, rows: 8)
    let small = try await tmux.waitForScreen(containing: "quire needs 40×10")
    #expect(!small.contains("Papers"))

    try await tmux.resize(cols: 80, rows: 24)
    let stacked = try await tmux.waitForScreen(containing: "1/13")
    let rows = stacked.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let listTop = try #require(rows.firstIndex { $0.hasPrefix("┌ Papers ") }, "no Papers box:\n\(stacked)")
    let viewerTop = try #require(rows.firstIndex { $0.hasPrefix("┌ Paper ─") }, "no Paper box:\n\(stacked)")
    #expect(listTop < viewerTop, "stacked layout puts the list above the viewer:\n\(stacked)")
    #expect(!stacked.contains("quire needs"))
    #expect(rows.allSatisfy { displayWidth($0) <= 80 })
    #expect(stacked.contains("Leshno"))

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash"), "needs bash for job control"))
  func suspendWithControlZAndResumeWithFg() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let shell = "exec \(scratch.envPrefix(extra: ["PS1": "e2e$ "])) bash --norc --noprofile -i"
    let tmux = try await TmuxSession.start(cols: 100, rows: 30, command: shell)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "e2e$")
    let before = scratch.path("stty-before")
    let after = scratch.path("stty-after")
    try await tmux.type("stty -g > \(before); \(shellQuote(scratch.quire))")
    try await tmux.press("Enter")
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "2/13")

    try await tmux.press("C-z")
    let stopped = try await tmux.waitForScreen(containing: "Stopped")
    #expect(!stopped.contains("┌ Papers"), "quire's screen should be gone while stopped:\n\(stopped)")

    // The terminal changes size while quire is stopped.
    try await tmux.resize(cols: 80, rows: 24)
    try await tmux.type("fg")
    try await tmux.press("Enter")
    // Back where it was, whole screen redrawn at the new size: stacked, not side by side.
    let resumed = try await tmux.waitForScreen(containing: "2/13")
    let rows = resumed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let listTop = try #require(rows.firstIndex { $0.hasPrefix("┌ Papers ") }, "no Papers box:\n\(resumed)")
    let viewerTop = try #require(rows.firstIndex { $0.hasPrefix("┌ Paper ─") }, "no Paper box:\n\(resumed)")
    #expect(listTop < viewerTop, "not redrawn for 80×24:\n\(resumed)")
    #expect(rows.allSatisfy { displayWidth($0) <= 80 })
    #expect(!resumed.contains("Stopped"))
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")

    try await tmux.press("q")
    try await tmux.waitForScreen(notContaining: "┌ Papers")
    try await tmux.type("echo \"quire exited $?\"; stty -g > \(after)")
    try await tmux.press("Enter")
    let done = try await tmux.waitForScreen(containing: "quire exited 0")
    #expect(!done.contains("1/13"))
    let sttyBefore = try await waitUntil("stty -g before") { scratch.read(before) }
    let sttyAfter = try await waitUntil("stty -g after") { scratch.read(after).flatMap { $0.isEmpty ? nil : $0 } }
    #expect(sttyBefore == sttyAfter, "terminal settings not restored")
    #expect(scratch.read(scratch.statePath)?.contains("\"read\"") == true)
  }

  @Test func wideAndHostileTitlesAreDrawnSafely() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let long = "深層学習の理論的な解析と応用についての長い日本語の論文タイトルです"
    let file = try scratch.write(
      "titles.md",
      readingList([
        "- Paper added: Evil \u{1b}]0;pwned\u{07} title",
        "- Paper added: 日本語の論文タイトル",
        // Cut in the list and wrapped in the viewer, at odd widths.
        "- Paper added: \(long)",
      ]))
    // 101 columns: the viewer's text is 47 columns wide, odd, so a wide character cannot
    // simply fill it.
    let (tmux, run) = try await startQuire(scratch, [file], cols: 101, rows: 20)
    defer { tmux.kill() }
    let titleBefore = try await tmux.display("#{pane_title}")

    let first = try await tmux.waitForScreen(containing: "1/3")
    #expect(first.contains("日本語の論文タイトル"))
    #expect(first.contains("Evil ␛]0;pwned␇ title"), "the escape should show as ␛:\n\(first)")
    #expect(
      first.components(separatedBy: "Evil ␛]0;pwned␇ title").count - 1 == 2, "in the list and the viewer:\n\(first)")
    try expectAlignedBoxes(first, cols: 101)

    try await tmux.press("j")
    let second = try await tmux.waitForScreen(containing: "2/3")
    #expect(second.components(separatedBy: "日本語の論文タイトル").count - 1 == 2, "in the list and the viewer:\n\(second)")
    try expectAlignedBoxes(second, cols: 101)

    try await tmux.press("j")
    let third = try await tmux.waitForScreen(containing: "3/3")
    #expect(third.contains("深層学習の理論的な解析…"), "cut with an ellipsis in the list:\n\(third)")
    try expectAlignedBoxes(third, cols: 101)

    // Stacked, 81 columns: the long title fits the viewer on one line and not the list.
    try await tmux.resize(cols: 81, rows: 24)
    let stacked = try await tmux.waitForScreen("the stacked layout") { $0.contains("┌ Paper ─") && !$0.contains("┐┌") }
    #expect(stacked.contains(long))
    try expectAlignedBoxes(stacked, cols: 81)

    let title = try await tmux.display("#{pane_title}")
    #expect(!title.contains("pwned"), "the title escape reached the terminal: pane title is \(title)")
    #expect(title == titleBefore)
    #expect(!(try await tmux.display("#{window_name}")).contains("pwned"))

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  /// Every row inside a box has its `│` exactly under the corners of the box's top border,
  /// counting wide characters as two columns, and every row is exactly `cols` wide.
  func expectAlignedBoxes(_ screen: String, cols: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var corners: [Int]?
    var boxes = 0
    for (index, row) in rows.enumerated() {
      let cells = columns(of: row)
      if row.hasPrefix("┌") {
        corners = cells.filter { "┌┐".contains($0.character) }.map(\.column)
        boxes += 1
        #expect(corners?.last == cols - 1, "top border: \(row)", sourceLocation: sourceLocation)
      } else if row.hasPrefix("└") {
        corners = nil
      } else if let corners {
        let bars = cells.filter { $0.character == "│" }.map(\.column)
        #expect(bars == corners, "row \(index) is misaligned: \(row)\n\(screen)", sourceLocation: sourceLocation)
        #expect(
          displayWidth(row) == cols, "row \(index) is \(displayWidth(row)) columns wide: \(row)",
          sourceLocation: sourceLocation)
      }
    }
    #expect(boxes > 0, "no boxes on screen:\n\(screen)", sourceLocation: sourceLocation)
  }
}

/// A reading list with one good entry, an unknown field, a bad date and a title-only paper.
enum MalformedList {
  static let text = readingList([
    "- Published: 01 November 2017",  // 1
    "",  // 2
    "**authors:** Ada Lovelace, Charles Babbage**journal:** Notes**publication year:** 1843**links:** arxiv (preprint)",  // 3
    "",  // 4
    "**abstract:** The analytical engine weaves algebraic patterns just as the loom weaves flowers.",  // 5
    "",  // 6
    "**bogus:** x",  // 7
    "",  // 8
    "- Published: not a date",  // 9
    "",  // 10
    "- Paper added: Good Title",  // 11
  ])
}
