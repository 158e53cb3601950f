import Foundation
import Testing

/// The ids of the built-in reading list's papers, in the order `quire list` prints them.
func listedIDs(_ scratch: Scratch) async throws -> [String] {
  let list = try await scratch.runQuire(["list"])
  #expect(list.status == 0, "\(list)")
  return try list.stdoutLines.map { try #require(try jsonObject($0)["id"] as? String) }
}

/// One paper's line of `quire list`.
func listed(_ scratch: Scratch, id: String) async throws -> [String: Any] {
  let list = try await scratch.runQuire(["list", "id:" + id])
  #expect(list.status == 0, "\(list)")
  return try jsonObject(try #require(list.stdoutLines.first, "no paper \(id): \(list)"))
}

/// The saved state of every paper, state.json and the journal together, as `quire list` sees it.
func savedPapers(_ scratch: Scratch) async throws -> [String: [String: Any]] {
  var papers: [String: [String: Any]] = [:]
  for line in try await scratch.runQuire(["list"]).stdoutLines {
    let paper = try jsonObject(line)
    papers[try #require(paper["id"] as? String)] = paper
  }
  return papers
}

@Suite("quire mark and quire tag", .timeLimit(.minutes(1)))
struct StateCommandTests {
  @Test func markSetsStatusAndTimeAndSaysWhatChanged() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    try #require(ids.count == 13)

    let before = Date().timeIntervalSince1970.rounded(.down)
    let first = try await scratch.runQuire(["mark", ids[1], String(ids[2].prefix(8)), "--read"])
    #expect(first.status == 0, "\(first)")
    #expect(first.stdout == "marked 2 papers read\n", "\(first)")
    let again = try await scratch.runQuire(["mark", ids[2], ids[3], ids[3], "--read"])
    #expect(again.stdout == "marked 1 paper read; 1 already was\n", "\(again)")

    let paper = try await listed(scratch, id: ids[1])
    #expect(paper["status"] as? String == "read")
    let read = try #require(paper["read"] as? String, "\(paper)")
    let readAt = try #require(ISO8601DateFormatter().date(from: read)).timeIntervalSince1970
    #expect(readAt >= before && readAt <= Date().timeIntervalSince1970 + 1, "\(read)")
    let state = try #require(scratch.read(scratch.statePath))
    #expect(state.contains("\"read\": \"\(read)\""), "\(state)")

    let unread = try await scratch.runQuire(["mark", ids[1], ids[5], "--unread"])
    #expect(unread.stdout == "marked 1 paper unread; 1 already was\n", "\(unread)")
    let now = try await listed(scratch, id: ids[1])
    #expect(now["status"] as? String == "unread" && now["read"] == nil, "\(now)")
    #expect(try await scratch.runQuire(["list", "--count", "is:read"]).stdout == "2\n")
  }

  @Test func tagAddsAndRemovesAndSaysWhatChanged() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    let added = try await scratch.runQuire(["tag", ids[0], ids[4], "+gan", "+deep learning", "-absent"])
    #expect(added.status == 0, "\(added)")
    #expect(added.stdoutLines == [
      "+gan: added to 2 papers", "+deep-learning: added to 2 papers", "-absent: none of the 2 papers had it",
    ], "\(added)")
    let removed = try await scratch.runQuire(["tag", ids[4], "-gan", ids[6], "+gan"])
    // The last word about a tag decides.
    #expect(removed.stdoutLines == ["+gan: added to 1 paper; 1 had it already"], "\(removed)")
    #expect(try await listed(scratch, id: ids[0])["tags"] as? [String] == ["gan", "deep-learning"])
    #expect(try await listed(scratch, id: ids[6])["tags"] as? [String] == ["gan"])
    let off = try await scratch.runQuire(["tag", ids[0], "-gan"])
    #expect(off.stdoutLines == ["-gan: removed from 1 paper"], "\(off)")
    #expect(try await listed(scratch, id: ids[0])["tags"] as? [String] == ["deep-learning"])
  }

  @Test func unknownOrAmbiguousIDsChangeNothing() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    // Two ids sharing a first character make that character ambiguous.
    let firsts = Dictionary(grouping: ids, by: { $0.prefix(1) })
    let shared = try #require(firsts.first { $0.value.count > 1 }?.key, "\(ids)")

    for arguments in [
      ["mark", ids[0], "0000000000000000", "--read"], ["mark", ids[0], String(shared), "--read"],
      ["tag", ids[0], "nonsense", "+x"],
    ] {
      let result = try await scratch.runQuire(arguments)
      #expect(result.status == 1, "\(arguments): \(result)")
      #expect(result.stderr.contains("nothing changed"), "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(!FileManager.default.fileExists(atPath: scratch.statePath), "\(arguments) wrote a state")
    }
    let unknown = try await scratch.runQuire(["mark", "0000000000000000", "--read"])
    #expect(unknown.stderr.contains("no paper has the id '0000000000000000'"), "\(unknown)")
    let ambiguous = try await scratch.runQuire(["mark", String(shared), "--read"])
    #expect(ambiguous.stderr.contains("\(shared) begins \(firsts[shared]!.count) papers' ids"), "\(ambiguous)")

    for arguments in [["mark", ids[0]], ["mark", "--read"], ["tag", ids[0]], ["tag", "+x"], ["tag", ids[0], "+"]] {
      let result = try await scratch.runQuire(arguments)
      #expect(result.status == 64, "\(arguments): usage error expected, \(result)")
    }
    #expect(!FileManager.default.fileExists(atPath: scratch.statePath))
  }

  @Test func aStateFileThatCannotBeReadIsNotWrittenOver() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    let broken = "{\"format\": \"quire-state\", \"version\": 1, \"papers\": {\"\(ids[0])\": {\"status\": \"read\", \"read\": \"soon\"}}}"
    try scratch.write(scratch.statePath, broken)
    let result = try await scratch.runQuire(["mark", ids[1], "--read"])
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains(scratch.statePath) && result.stderr.contains("\"read\" to be the time it was read"), "\(result)")
    #expect(scratch.read(scratch.statePath) == broken)
  }
}

@Suite("Titles given by the reader", .timeLimit(.minutes(1)))
struct TitleOverrideTests {
  static let bibtex = """
    @article{erdos, title = {Random Graphs}, author = {Erd{\\H{o}}s, P{\\'a}l}, year = 1959}
    @article{untitled, author = {Ann Nobody}, year = 2001, abstract = {A paper whose listing lost its title.}}

    """

  /// state.json as quire writes it, with a title for each paper named.
  static func state(_ titles: [(id: String, title: String)]) throws -> String {
    let lines = try titles.sorted { $0.id < $1.id }.map { entry in
      let title = String(decoding: try JSONSerialization.data(withJSONObject: entry.title, options: .fragmentsAllowed), as: UTF8.self)
      return "    \"\(entry.id)\": {\"status\": \"read\", \"tags\": [], \"title\": \(title), \"read\": \"2026-11-29T23:47:05Z\"}"
    }
    return "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n" + lines.joined(separator: ",\n") + "\n  }\n}\n"
  }

  @Test func theOverrideIsListedExportedFoundAndSurvivesReimport() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = try scratch.write("refs.bib", Self.bibtex)
    #expect(try await scratch.runQuire(["import", file]).status == 0)
    let graphs = try #require(try await scratch.runQuire(["list", "title:random"]).stdoutLines.first)
    let untitled = try #require(try await scratch.runQuire(["list", "author:nobody"]).stdoutLines.first)
    let graphsID = try #require(try jsonObject(graphs)["id"] as? String)
    let untitledID = try #require(try jsonObject(untitled)["id"] as? String)
    try scratch.write(scratch.statePath, try Self.state([(graphsID, "Erdős–Rényi, my notes"), (untitledID, "Lost and Found")]))

    // Importing the same file again: same papers, same ids, and the titles given stay.
    let again = try await scratch.runQuire(["import", file])
    #expect(again.stdout.contains("2 entries: 0 added, 2 already in the library"), "\(again)")
    let paper = try await listed(scratch, id: graphsID)
    #expect(paper["title"] as? String == "Erdős–Rényi, my notes")
    #expect(paper["listedTitle"] as? String == "Random Graphs")
    #expect(paper["read"] as? String == "2026-11-29T23:47:05Z")
    let found = try await listed(scratch, id: untitledID)
    #expect(found["title"] as? String == "Lost and Found" && found["untitled"] as? Bool == false, "\(found)")
    #expect(found["listedTitle"] is NSNull, "\(found)")

    // Found by the title given, with title: and without.
    #expect(try await scratch.runQuire(["list", "--count", "title:renyi"]).stdout == "1\n")
    #expect(try await scratch.runQuire(["list", "--count", "lost found"]).stdout == "1\n")

    // Exports show it; quire's own formats carry it, and the listing's title, back in.
    let markdown = try await scratch.runQuire(["export", "--format", "markdown"])
    #expect(markdown.stdout.contains("**Lost and Found**") && markdown.stdout.contains("**Erdős–Rényi, my notes**"), "\(markdown)")
    for format in ["jsonl", "bibtex"] {
      let out = scratch.path("export." + format)
      #expect(try await scratch.runQuire(["export", "--format", format, "--query", "is:read", "--output", out]).status == 0)
      let elsewhere = try Scratch()
      defer { elsewhere.remove() }
      let imported = try await elsewhere.runQuire(["import", out])
      #expect(imported.stdout.contains("state: status and tags taken for 2 papers"), "\(format): \(imported)")
      let back = try await listed(elsewhere, id: graphsID)
      #expect(back["title"] as? String == "Erdős–Rényi, my notes", "\(format): \(back)")
      #expect(back["read"] as? String == "2026-11-29T23:47:05Z", "\(format): \(back)")
      #expect(try await listed(elsewhere, id: untitledID)["title"] as? String == "Lost and Found", "\(format)")
    }
  }
}

@Suite(
  "quire mark and quire tag beside an open reader", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct StateCommandsBesideReaderTests {
  @Test func theReaderShowsTheChangeAndKeepsItWhenItSavesItsOwn() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    let (tmux, run) = try await startQuire(scratch, cols: 120, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    #expect(try await scratch.runQuire(["mark", ids[1], ids[2], "--read"]).status == 0)
    #expect(try await scratch.runQuire(["tag", ids[1], "+beside"]).status == 0)

    // It looks every 3 seconds.
    let merged = try await tmux.waitForScreen("the merge", timeout: .seconds(8)) {
      $0.contains("changed by another quire, merged") && $0.contains("#beside")
    }
    #expect(merged.contains("11 unread"), "\(merged)")
    let rows = merged.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(rows[3].hasPrefix("│ ○") && rows[3].contains("#beside"), "\(merged)")
    #expect(rows[4].hasPrefix("│ ○"), "\(merged)")

    // A change in the reader afterwards, to the same paper and another: nothing is lost.
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "2/13")
    try await tmux.press("t")
    try await tmux.waitForScreen(containing: "┌ Tags")
    try await tmux.type("mine")
    try await tmux.waitForScreen(containing: "add: mine")
    try await tmux.press("Enter")
    try await tmux.waitForScreen(containing: "tagged 'mine'")
    try await tmux.press("Escape")
    try await tmux.waitForScreen(notContaining: "┌ Tags")
    try await tmux.press("j", "j", "j")
    try await tmux.waitForScreen(containing: "5/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    // And one more from outside while the reader has saved its own: merged both ways.
    #expect(try await scratch.runQuire(["tag", ids[4], "+outside"]).status == 0)
    try await tmux.waitForScreen(containing: "#outside", timeout: .seconds(8))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)

    let papers = try await savedPapers(scratch)
    let second = try #require(papers[ids[1]])
    #expect(second["status"] as? String == "read" && second["read"] is String, "\(second)")
    #expect(second["tags"] as? [String] == ["beside", "mine"], "\(second)")
    #expect(papers[ids[2]]?["status"] as? String == "read")
    #expect(papers[ids[4]]?["status"] as? String == "read")
    #expect(papers[ids[4]]?["tags"] as? [String] == ["outside"])
    #expect(try await scratch.runQuire(["list", "--count", "is:read"]).stdout == "3\n")
    // Folded into state.json on quitting: the file itself has every change.
    let file = try #require(scratch.read(scratch.statePath))
    #expect(file.contains("\"beside\", \"mine\"") && file.contains("\"outside\""), "\(file)")
  }
}
