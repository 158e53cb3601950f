import Foundation
import Testing

/// `quire stats` as a plain program, and the reader's statistics view and quit summary in
/// a real terminal.
@Suite("Statistics", .timeLimit(.minutes(1)))
struct StatsCommandTests {
  /// Ids of the built-in list's papers, in order, as `quire list` prints them.
  static func builtinIDs(_ scratch: Scratch) async throws -> [String] {
    let list = try await scratch.runQuire(["list"])
    return try list.stdoutLines.map { try #require(try jsonObject($0)["id"] as? String) }
  }

  /// Two built-in papers read (state.json keeps no time for them yet) and three tagged.
  static func writeState(_ scratch: Scratch) async throws -> [String] {
    let ids = try await builtinIDs(scratch)
    try #require(ids.count == 13)
    let state = """
      {"format": "quire-state", "version": 1, "papers": {
        "\(ids[0])": {"status": "read", "tags": ["theory"]},
        "\(ids[1])": {"status": "read", "tags": []},
        "\(ids[2])": {"status": "unread", "tags": ["theory", "gan\\u001b[31m"], "note": "later"}
      }}
      """
    try scratch.write(scratch.statePath, state)
    return ids
  }

  /// The current ISO week's Monday, as the chart labels it ("23 Nov").
  static func thisWeeksLabel() -> String {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let monday = calendar.dateInterval(of: .weekOfYear, for: Date())!.start
    let parts = calendar.dateComponents([.day, .month], from: monday)
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return String(format: "%2d ", parts.day!) + months[parts.month! - 1]
  }

  func run(_ scratch: Scratch, _ arguments: [String], columns: Int? = nil) async throws -> ProcessResult {
    var environment = scratch.environment
    environment["TZ"] = "UTC"
    if let columns { environment["COLUMNS"] = "\(columns)" }
    return try await Run.process(scratch.quire, arguments, environment: environment)
  }

  @Test func textHasTheChartAndTablesWithinTheColumns() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    _ = try await Self.writeState(scratch)
    for columns in [60, 80] {
      let result = try await run(scratch, ["stats"], columns: columns == 80 ? nil : columns)
      #expect(result.status == 0, "\(result)")
      let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      #expect(lines.first == "13 papers · 2 read · 11 unread · 2 tagged · 1 with a note")
      #expect(lines.contains("Papers read per week, last 12 weeks"))
      let weekRows = lines.filter { $0.range(of: #"^[ 0-9]{2} [A-Z][a-z]{2} "#, options: .regularExpression) != nil }
      #expect(weekRows.count == 12, "\(result.stdout)")
      #expect(weekRows.last == Self.thisWeeksLabel() + " 0", "\(result.stdout)")
      #expect(lines.contains("+ 2 read when quire did not keep the time"))
      #expect(lines.contains { $0.hasPrefix("By tag ") && $0.hasSuffix("read  unread") })
      let theory = try #require(lines.first { $0.hasPrefix("  theory ") })
      #expect(theory.contains("1       1  "), "read 1, unread 1: \(theory)")
      #expect(theory.contains("█") && theory.contains("░"))
      // The escape character of a hostile tag is shown, never sent.
      #expect(!result.stdout.contains("\u{1B}"))
      #expect(lines.contains { $0.hasPrefix("  gan") })
      let noYear = try #require(lines.first { $0.hasPrefix("  no year ") }, "\(result.stdout)")
      #expect(noYear.contains(" 0       4  "), "\(noYear)")
      for line in lines { #expect(line.count <= columns, "wider than \(columns): \(line)") }
    }
  }

  @Test func jsonHasWeeksTagsYearsAndTotals() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    _ = try await Self.writeState(scratch)
    let result = try await run(scratch, ["stats", "--json", "--weeks", "3"])
    #expect(result.status == 0, "\(result)")
    let root = try jsonObject(result.stdout)
    #expect(root["version"] as? Int == 1)
    let weeks = try #require(root["weeks"] as? [[String: Any]])
    #expect(weeks.count == 3)
    #expect(weeks.allSatisfy { $0["read"] as? Int == 0 })
    let starts = weeks.compactMap { $0["start"] as? String }
    #expect(starts.count == 3 && starts == starts.sorted(), "oldest first: \(starts)")
    #expect(weeks.allSatisfy { ($0["week"] as? String)?.range(of: #"^\d{4}-W\d{2}$"#, options: .regularExpression) != nil })
    #expect(root["readAtUnknown"] as? Int == 2)
    #expect(root["readEarlier"] as? Int == 0)
    let tags = try #require(root["byTag"] as? [[String: Any]])
    #expect(tags.map { $0["tag"] as? String } == ["theory", "gan\u{1B}[31m"])
    #expect(tags.first?["read"] as? Int == 1 && tags.first?["unread"] as? Int == 1)
    let years = try #require(root["byYear"] as? [[String: Any]])
    #expect(years.last?["year"] is NSNull)
    #expect(years.reduce(0) { $0 + ($1["read"] as? Int ?? 0) + ($1["unread"] as? Int ?? 0) } == 13)
    let totals = try #require(root["totals"] as? [String: Int])
    #expect(totals == ["papers": 13, "read": 2, "unread": 11, "tagged": 2, "withNotes": 1])
  }

  @Test func aFileIsCountedInsteadOfTheLibraryAndBadWeeksAreRefused() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = try scratch.write(
      "list.md", readingList(["- Paper added: A first paper", "- Paper added: A second paper"]))
    let result = try await run(scratch, ["stats", "--json", "--file", file])
    #expect(result.status == 0, "\(result)")
    let totals = try #require(try jsonObject(result.stdout)["totals"] as? [String: Int])
    #expect(totals["papers"] == 2)
    let years = try #require(try jsonObject(result.stdout)["byYear"] as? [[String: Any]])
    #expect(years.count == 1 && years[0]["year"] is NSNull && years[0]["unread"] as? Int == 2)

    let refused = try await run(scratch, ["stats", "--weeks", "0"])
    #expect(refused.status == 64, "\(refused)")
    #expect(refused.stderr.contains("--weeks must be between 1 and 520"), "\(refused)")
    #expect(refused.stdout.isEmpty)
  }
}

@Suite("Statistics in a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"), .timeLimit(.minutes(1)))
struct StatsInTerminalTests {
  @Test func papersReadShowInTheChartAndTheSummaryIsPrintedOnQuitting() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 100, rows: 30, environment: ["TZ": "UTC"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "12 unread")
    try await tmux.press("j", "r")
    try await tmux.waitForScreen(containing: "11 unread")
    try await tmux.press("t")
    try await tmux.waitForScreen(containing: "┌ Tags")
    try await tmux.type("theory")
    try await tmux.press("Enter", "Escape")
    try await tmux.waitForScreen(notContaining: "┌ Tags")

    try await tmux.press("=")
    let screen = try await tmux.waitForScreen(containing: "Papers read per week")
    #expect(screen.contains("13 papers · 2 read · 11 unread · 1 tagged · 0 with notes"), "\(screen)")
    // This week's row: a full bar (the most read of any week) and the count at its end.
    let label = StatsCommandTests.thisWeeksLabel()
    let row = try #require(screen.split(separator: "\n").first { $0.contains("│ \(label) ") }, "\(screen)")
    #expect(row.contains(String(repeating: "█", count: 40) + " 2 │"), "\(row)")
    try await tmux.press("x")
    try await tmux.waitForScreen(notContaining: "Papers read per week")

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    let after = try await tmux.screen()
    let lines = after.split(separator: "\n").map(String.init)
    let summary = try #require(lines.firstIndex { $0.hasPrefix("quire: ") }, "no summary on the shell's screen:\n\(after)")
    #expect(lines[summary].range(of: #"^quire: 2 papers read, 1 tagged in \d+ s$"#, options: .regularExpression) != nil, "\(lines[summary])")
    let exited = try #require(lines.firstIndex { $0 == "quire exited 0" })
    #expect(summary < exited, "the summary comes before the shell goes on:\n\(after)")
  }

  @Test func aSessionThatChangedNothingSaysSo() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 60, rows: 15)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    // Read and unread again: nothing to tell.
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked unread")
    try await tmux.press("=")
    try await tmux.waitForScreen(containing: "Statistics")
    try await tmux.press("q")
    try await tmux.waitForScreen(notContaining: "Statistics")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    let after = try await tmux.screen()
    #expect(after.range(of: #"quire: nothing changed in \d+ s\n"#, options: .regularExpression) != nil, "\(after)")
  }
}
