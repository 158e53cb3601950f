import Foundation
import Testing

/// Search, filter, sort and views in a real terminal, and `quire list` with queries.
@Suite(
  "Finding papers in a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct FindingInTerminalTests {
  @Test func searchNarrowsAsYouTypeAndEscGoesBack() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 120, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("j", "j")
    try await tmux.waitForScreen(containing: "3/13")
    try await tmux.press("/")
    try await tmux.type("revers")
    // "rever" already narrows to one paper: wait for the whole word, not only the count.
    let narrowed = try await tmux.waitForScreen("the search for revers") {
      statusLine($0).hasPrefix(" /revers") && $0.contains("1 of 13")
    }
    #expect(narrowed.contains("Why are Deep Nets Reversible"))
    #expect(!narrowed.contains("Leshno"))
    // Esc: every paper again, the third still selected.
    try await tmux.press("Escape")
    let back = try await tmux.waitForScreen(containing: "3/13")
    #expect(!statusLine(back).contains("/revers"))
    // Enter keeps a search; the status line shows it among the filters.
    try await tmux.press("/")
    try await tmux.type("GENERALIZ")
    try await tmux.waitForScreen(containing: " of 13")
    try await tmux.press("Enter")
    let kept = try await tmux.waitForScreen(containing: "found")
    #expect(kept.contains("filter: /GENERALIZ"))
    try await tmux.press("n")
    let stepped = try await tmux.waitForScreen(containing: "match 1 of")
    #expect(statusLine(stepped).contains("match 1 of"))
    // Esc and F apart: sent together they read as Alt-F.
    try await tmux.press("Escape")
    try await tmux.waitForScreen(notContaining: "match 1 of")
    try await tmux.press("F")
    try await tmux.waitForScreen(containing: "filter cleared")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func aBadFilterNamesTheColumnAndKeepsTheOldOne() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 120, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("f")
    try await tmux.type("author:hardt")
    try await tmux.press("Enter")
    try await tmux.waitForScreen(containing: "1/3 shown")
    try await tmux.press("f", "C-u")
    try await tmux.type("year:2016 (venue:icml")
    try await tmux.press("Enter")
    let bad = try await tmux.waitForScreen(containing: "column 22")
    #expect(statusLine(bad).contains("✗ column 22: expected ')'"))
    try await tmux.press("Escape")
    let kept = try await tmux.waitForScreen(containing: "filter unchanged")
    #expect(kept.contains("filter: author:hardt"))
    #expect(statusLine(kept).contains("1/3"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func theSortIsRememberedBetweenSessions() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    do {
      let (tmux, run) = try await startQuire(scratch, cols: 140, rows: 30, name: "first")
      defer { tmux.kill() }
      try await tmux.waitForScreen(containing: "1/13")
      try await tmux.press("s", "s")
      try await tmux.waitForScreen(containing: "sort: year ↑  ")
      try await tmux.press("S")
      let sorted = try await tmux.waitForScreen(containing: "sort: year ↓  ")
      // The newest first: a 2017 paper on top, and the same paper still selected.
      let rows = sorted.split(separator: "\n").map(String.init)
      #expect(rows[2].contains("2017"), "\(sorted)")
      #expect(rows.contains { $0.hasPrefix("│▸● 1993 Leshno") }, "\(sorted)")
      try await tmux.press("q")
      try await expectCleanExit(tmux, run, status: 0)
    }
    let session = try #require(scratch.read(scratch.sessionPath))
    #expect(try jsonObject(session)["sort"] as? String == "year:desc")
    let (tmux, run) = try await startQuire(scratch, cols: 140, rows: 30, name: "second")
    defer { tmux.kill() }
    let screen = try await tmux.waitForScreen(containing: "1/13")
    #expect(statusLine(screen).contains("sort: year ↓"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func savedViewsWithCountsAndConfigErrors() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.write(
      scratch.configPath,
      """
      # views
      view "GANs" = "gan or adversarial"
      view "Broken" = "year:>=20x"
      view "Hardt" = "author:hardt"

      """)
    let (tmux, run) = try await startQuire(scratch, cols: 140, rows: 30)
    defer { tmux.kill() }
    // The bad line is reported with its place; the others apply.
    let start = try await tmux.waitForScreen(containing: "config:3:")
    #expect(statusLine(start).contains("\(scratch.configPath):3:25:"), "\(statusLine(start))")
    try await tmux.press("v")
    let list = try await tmux.waitForScreen(containing: "┌ Views")
    #expect(list.contains("All papers"))
    #expect(list.contains("13 unread · 13 papers"))
    #expect(list.contains("GANs"))
    #expect(list.contains("Hardt"))
    #expect(list.contains("3 unread · 3 papers"))
    #expect(!list.contains("Broken"))
    try await tmux.press("G", "Enter")
    let hardt = try await tmux.waitForScreen(containing: "view: Hardt")
    #expect(statusLine(hardt).contains("1/3"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)

    let check = try await scratch.runQuire(["check"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("\(scratch.configPath):3:25: in the query of view \"Broken\""))
  }
}

@Suite("quire list with queries", .timeLimit(.minutes(1)))
struct ListQueryTests {
  @Test func queriesSortLimitAndCount() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let all = try await scratch.runQuire(["list"]).stdoutLines.map { try jsonObject($0) }
    let hardtIDs = all.filter { ($0["authors"] as? [String])?.contains { $0.contains("Hardt") } ?? false }.map { $0["id"] as! String }
    #expect(hardtIDs.count == 3)
    // Read one of them, through the state file.
    try scratch.write(
      scratch.statePath,
      """
      {"format": "quire-state", "version": 1, "papers": {"\(hardtIDs[0])": {"status": "read", "tags": ["theory"], "note": "Cybenko"}}}
      """)
    #expect(try await scratch.runQuire(["list", "--count", "author:hardt"]).stdout == "3\n")
    #expect(try await scratch.runQuire(["list", "--count", "author:hardt", "-is:read"]).stdout == "2\n")
    #expect(try await scratch.runQuire(["list", "--count", "--", "-is:read"]).stdout == "12\n")
    let typo = try await scratch.runQuire(["list", "--limt", "3"])
    #expect(typo.status != 0)
    #expect(typo.stderr.contains("unknown option '--limt'"))
    #expect(try await scratch.runQuire(["list", "--count", "note:cybenko"]).stdout == "1\n")
    #expect(try await scratch.runQuire(["list", "--count", "tag:theory or year:1993"]).stdout == "2\n")
    #expect(try await scratch.runQuire(["list", "--count"]).stdout == "13\n")
    let marked = try await scratch.runQuire(["list", "tag:theory"]).stdoutLines.map { try jsonObject($0) }
    #expect(marked.map { $0["id"] as? String } == [hardtIDs[0]])
    #expect(marked.first?["note"] as? String == "Cybenko")

    let newest = try await scratch.runQuire(["list", "--sort", "year:desc", "--limit", "2"]).stdoutLines.map { try jsonObject($0) }
    #expect(newest.count == 2)
    let years = all.compactMap { $0["year"] as? Int }.sorted(by: >)
    #expect(newest.map { $0["year"] as? Int } == Array(years.prefix(2)))
    let byTitle = try await scratch.runQuire(["list", "--sort", "title"]).stdoutLines.count
    #expect(byTitle == 13)

    let bad = try await scratch.runQuire(["list", "tag:gan (author:arora"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("quire: query, column 22: expected ')' to close the '(' at column 9"))
    #expect(bad.stderr.contains("\n  tag:gan (author:arora\n" + String(repeating: " ", count: 2 + 21) + "^"))
    let badSort = try await scratch.runQuire(["list", "--sort", "colour"])
    #expect(badSort.status != 0)
    #expect(badSort.stderr.contains("--sort: expected one of listed, published, year, title, author, status, added"))
  }

  @Test func importedPapersRecordWhenTheyWereAdded() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let bib = try scratch.write("new.bib", "@article{k, title={A Fresh Result}, author={Ann Other}, year={2026}}\n")
    #expect(try await scratch.runQuire(["import", bib]).status == 0)
    #expect(try await scratch.runQuire(["list", "--count", "added:<1d"]).stdout == "1\n")
    // The reading list's papers were added on their Published day; four have none.
    #expect(try await scratch.runQuire(["list", "--count", "added:>1d"]).stdout == "9\n")
    let fresh = try jsonObject(try #require(try await scratch.runQuire(["list", "added:<1h"]).stdoutLines.first))
    #expect(fresh["title"] as? String == "A Fresh Result")
    let added = try #require(fresh["added"] as? String)
    #expect(added.hasSuffix("Z") && added.count == 20)
  }
}

/// A library large enough that reading it takes a moment: progress, not a blank screen.
@Suite(
  "Starting on a large library", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(2)))
struct LargeLibraryStartTests {
  static func writeLibrary(_ scratch: Scratch, papers: Int) throws {
    var text = ""
    text.reserveCapacity(papers * 200)
    for number in 0..<papers {
      text += #"{"title":"Generated paper \#(number)","untitled":false,"authors":["Ann Other"],"year":2000,"#
        + #""abstract":"An abstract long enough to take a little reading, number \#(number)."}"# + "\n"
    }
    try scratch.write(scratch.dataHome + "/quire/library.jsonl", text)
  }

  /// The loading screen lasts a second or two; on a loaded machine the screen can be read
  /// too late to see it, so what quire wrote is recorded from before it starts.
  static func startRecorded(_ scratch: Scratch) async throws -> (TmuxSession, WrappedQuire) {
    try await startQuireRecordingBytes(scratch, capture: scratch.path("output"), cols: 100, rows: 20)
  }

  /// The bytes quire wrote so far, once they hold `text`.
  static func waitForOutput(containing text: String, _ scratch: Scratch) async throws -> String {
    try await waitUntil("quire to write \(text)", timeout: .seconds(30)) {
      let written = String(decoding: FileManager.default.contents(atPath: scratch.path("output")) ?? Data(), as: UTF8.self)
      return written.contains(text) ? written : nil
    }
  }

  @Test func readingShowsProgressThenTheList() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try Self.writeLibrary(scratch, papers: 60_000)
    let (tmux, run) = try await Self.startRecorded(scratch)
    defer { tmux.kill() }
    let loading = try await Self.waitForOutput(containing: "reading library.jsonl", scratch)
    #expect(loading.contains("papers"))
    try await tmux.waitForScreen(containing: "1/60013", timeout: .seconds(90))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test("the next start takes the line table and search index kept in the cache; a change goes to the journal, folded in on quit")
  func keptBetweenStarts() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try Self.writeLibrary(scratch, papers: 3_000)
    let cache = scratch.cacheHome + "/quire"
    func kept() throws -> [String: Date] {
      var files: [String: Date] = [:]
      for name in try FileManager.default.contentsOfDirectory(atPath: cache) {
        files[name] = try FileManager.default.attributesOfItem(atPath: cache + "/" + name)[.modificationDate] as? Date
      }
      return files
    }

    var (tmux, run) = try await startQuire(scratch, cols: 100, rows: 20)
    try await tmux.waitForScreen(containing: "1/3013", timeout: .seconds(60))
    try await tmux.press("/")
    try await tmux.type("number 2999.")
    try await tmux.waitForScreen(containing: "1 of 3013", timeout: .seconds(60))
    try await tmux.press("Escape", "q")
    try await expectCleanExit(tmux, run, status: 0)
    tmux.kill()
    let first = try kept()
    #expect(first.keys.contains { $0.hasPrefix("lines-") && $0.hasSuffix(".table") }, "\(first)")
    #expect(first.keys.contains { $0.hasPrefix("search-") && $0.hasSuffix(".index") }, "\(first)")

    (tmux, run) = try await startQuire(scratch, cols: 100, rows: 20)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/3013", timeout: .seconds(60))
    try await tmux.press("/")
    try await tmux.type("number 1234.")
    try await tmux.waitForScreen(containing: "1 of 3013", timeout: .seconds(30))
    try await tmux.press("Escape")
    // The first change writes state.json whole (there is none yet); the next is journalled.
    try await tmux.press("G", "r")
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: scratch.statePath) {
      try await Task.sleep(for: .milliseconds(100))
    }
    try await tmux.press("k", "r")
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: scratch.statePath + ".journal") {
      try await Task.sleep(for: .milliseconds(100))
    }
    let journal = try String(contentsOfFile: scratch.statePath + ".journal", encoding: .utf8)
    #expect(journal.contains(#""status": "read""#), "\(journal)")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    // Nothing was built again, and the change is in state.json, the journal gone.
    #expect(try kept() == first)
    #expect(!FileManager.default.fileExists(atPath: scratch.statePath + ".journal"))
    let state = try String(contentsOfFile: scratch.statePath, encoding: .utf8)
    #expect(state.components(separatedBy: #""status": "read""#).count == 3, "\(state)")
  }

  @Test func ctrlCWhileReadingGivesTheTerminalBack() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try Self.writeLibrary(scratch, papers: 60_000)
    let (tmux, run) = try await Self.startRecorded(scratch)
    defer { tmux.kill() }
    _ = try await Self.waitForOutput(containing: "reading library.jsonl", scratch)
    try await tmux.press("C-c")
    try await expectCleanExit(tmux, run, status: 130)
  }
}
