import Foundation
import QuireModel
import Testing

@testable import QuireUI

/// The statistics overlay (=) and the summary of a session printed on quitting.
@Suite("Statistics view and session summary")
struct StatsTests {
  static let utc = TimeZone(identifier: "UTC")!
  /// Wednesday 25 November 2026, noon UTC: the current week began Monday 23 November.
  static let now = Date(timeIntervalSince1970: 1_795_608_000)
  static func day(_ offset: Double) -> Date { now.addingTimeInterval(offset * 86_400) }

  /// The built-in list with a few papers read over the last weeks, one read before quire
  /// kept times, and some tags; the clock stopped at `now`.
  static func state(rows: Int = 30, cols: Int = 120, clock: @escaping @Sendable () -> Date = { StatsTests.now }) -> AppState {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[1].id] = PaperState(status: .read, tags: ["theory"], readAt: day(-1))
    reading[library[2].id] = PaperState(status: .read, tags: ["theory", "gan"], readAt: day(-8))
    reading[library[3].id] = PaperState(status: .read, readAt: day(-7.5))
    reading[library[4].id] = PaperState(status: .read, note: "old favourite")
    reading[library[5].id] = PaperState(status: .unread, tags: ["theory"])
    var state = AppState(
      library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: rows, cols: cols), clock: clock)
    state.timeZone = utc
    return state
  }

  func view(_ state: AppState, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> StatsView? {
    guard case .stats(let view) = state.overlay else {
      Issue.record("the statistics are not open: \(String(describing: state.overlay))", sourceLocation: sourceLocation)
      return nil
    }
    return view
  }

  @Test func equalsOpensTheStatisticsOfTheLibraryAsItIsNow() throws {
    var state = Self.state()
    state.press(.char("="))
    let before = try #require(view(state)?.stats)
    #expect(before.totals.read == 4)
    #expect(before.weeks.suffix(2).map(\.read) == [2, 1])
    #expect(before.readAtUnknown == 1)
    // Any other key closes it; a paper marked read shows on opening it again.
    state.press(.char("x"))
    #expect(state.overlay == nil)
    state.press(.char("r"))
    #expect(state.reading[state.library[0].id].readAt == Self.now)
    state.press(.char("="))
    let after = try #require(view(state)?.stats)
    #expect(after.totals.read == 5)
    #expect(after.weeks.last?.read == 2)
    #expect(after.byYear?.first(where: { $0.year == 1993 })?.tally == .init(read: 1, unread: 0))
  }

  @Test func markingReadRecordsTheTimeAndUnreadForgetsIt() {
    let clock = MovingClock(Self.now)
    var state = Self.state(clock: { clock.now })
    state.press(.char("r"))
    let id = state.library[0].id
    #expect(state.reading[id].status == .read)
    #expect(state.reading[id].readAt == Self.now)
    state.press(.char("r"))
    #expect(state.reading[id].readAt == nil)
    // Mark all read: every paper it marks gets the moment it was done, to the second.
    clock.now = Self.now.addingTimeInterval(90.7)
    state.press(.char("A"), .char("y"))
    #expect(state.reading[id].readAt == Self.now.addingTimeInterval(90))
    // Papers read before keep their own time.
    #expect(state.reading[state.library[1].id].readAt == Self.day(-1))
  }

  @Test func movementKeysScrollWithinTheTextAndOtherKeysClose() throws {
    var state = Self.state(rows: 15, cols: 60)
    state.press(.char("="))
    state.press(.char("j"), .char("j"))
    #expect(try #require(view(state)).offset == 2)
    state.press(.char("k"))
    #expect(try #require(view(state)).offset == 1)
    state.press(.char("G"))
    let box = state.layout.helpBox.inner
    let lines = StatsText.lines(try #require(view(state)?.stats), width: box.cols - 2).count
    #expect(try #require(view(state)).offset == lines - box.rows)
    // Already at the end: one more line down changes nothing, and one up moves at once.
    state.press(.char("j"), .char("k"))
    #expect(try #require(view(state)).offset == lines - box.rows - 1)
    state.press(.char("g"))
    #expect(try #require(view(state)).offset == 0)
    #expect(state.press(.ctrl("l")) == [.redraw])
    state.press(.char("q"))
    #expect(state.overlay == nil)
    // q closed the statistics; it did not quit.
    #expect(state.press(.char("q")) == [.quit])
  }

  @Test func aStoredLibraryGetsItsYearsWhenTheSearchIndexArrives() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quire-stats-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("library.jsonl").path
    let papers = Library(
      name: "papers",
      listings: [2019, 2021, nil].enumerated().map { index, year in
        Listing(title: "Stored paper \(index)", year: year, source: SourceLocation(file: "x", line: index + 1))
      }
    ).papers
    try Data(papers.map { PaperExport.jsonLine($0, state: nil) + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    let library = try Library.open(name: "stored", builtin: [], storedAt: path)
    #expect(library.storedIdentity != nil, "the papers should be read from the file as shown")
    var state = AppState(
      library: library, reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 80), indexComing: true)
    state.press(.char("="))
    #expect(try #require(view(state)?.stats).byYear == nil)
    #expect(Renderer.render(state).text.contains("counting… (the years come with the search index"))
    _ = Reader.update(&state, .indexReady(SearchIndex(library: library)))
    let opened = try #require(view(state)?.stats)
    let years = try #require(opened.byYear)
    #expect(years.map(\.year) == [2021, 2019, nil])
  }

  @Test func aLargeLibraryIsCountedInTheBackgroundOncePerOpening() throws {
    var state = Self.state()
    state.statsInBackgroundFrom = state.library.count
    #expect(state.press(.char("=")) == [.countStats(request: 1)])
    #expect(state.isCountingStats)
    #expect(Renderer.render(state).text.contains("Counting…"))
    // Scrolling while it counts asks for nothing more.
    #expect(state.press(.char("j"), .char("k")) == [])
    let counted = state.statsCount()()
    _ = Reader.update(&state, .statsCounted(counted, request: 1))
    #expect(!state.isCountingStats)
    #expect(try #require(view(state)?.stats) == counted)
    #expect(Renderer.render(state).text.contains("13 papers · 4 read"))
    // A count asked for by an earlier opening is not taken by a later one.
    state.press(.char("x"), .char("r"), .char("="))
    #expect(try #require(view(state)).request == 2)
    _ = Reader.update(&state, .statsCounted(counted, request: 1))
    #expect(state.isCountingStats)
    _ = Reader.update(&state, .statsCounted(state.statsCount()(), request: 2))
    #expect(try #require(view(state)?.stats).totals.read == 5)
  }

  @Test("the statistics at 60×15")
  func small() {
    var state = Self.state(rows: 15, cols: 60)
    state.press(.char("="))
    expectScreen(
      Renderer.render(state),
      """
       quire · reading list (built-in)       13 papers · 9 unread
      ┌ Papers ──────────────────────────────────────────────────┐
      │┌ Statistics · j/k scroll · other keys close ────────────┐│
      ││ 13 papers · 4 read · 9 unread · 3 tagged               ││
      ││ 1 with a note                                          ││
      └│                                                        │┘
      ┌│ Papers read per week, last 12 weeks                    │┐
      ││  7 Sep 0                                               ││
      ││ 14 Sep 0                                               ││
      ││ 21 Sep 0                                               ││
      ││ 28 Sep 0                                               ││
      ││  5 Oct 0                                               ││
      │└────────────────────────────────────────────────── 32% ─┘│
      └──────────────────────────────────────────────────── 31% ─┘
       1/13 shown · 9 unread · 13 total  j/k move · ⏎ open  saved
      """)
  }

  @Test("the statistics at 200×60")
  func large() {
    var state = Self.state(rows: 60, cols: 200)
    state.press(.char("="))
    let box = state.layout.helpBox
    let lines = Renderer.render(state).lines.map { line in
      String(line.dropFirst(box.col).prefix(box.cols))
    }
    let inBox = lines[box.row..<box.maxRow].map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
    expectLines(
      Array(inBox),
      """
      ┌ Statistics · j/k scroll · other keys close ──────────────────────────────────────┐
      │ 13 papers · 4 read · 9 unread · 3 tagged · 1 with a note                         │
      │                                                                                  │
      │ Papers read per week, last 12 weeks                                              │
      │  7 Sep 0                                                                         │
      │ 14 Sep 0                                                                         │
      │ 21 Sep 0                                                                         │
      │ 28 Sep 0                                                                         │
      │  5 Oct 0                                                                         │
      │ 12 Oct 0                                                                         │
      │ 19 Oct 0                                                                         │
      │ 26 Oct 0                                                                         │
      │  2 Nov 0                                                                         │
      │  9 Nov 0                                                                         │
      │ 16 Nov ███████████████████████████████████████████████████████████████████████ 2 │
      │ 23 Nov ███████████████████████████████████▌ 1                                    │
      │ + 1 read when quire did not keep the time                                        │
      │                                                                                  │
      │ By tag     read  unread                                                          │
      │   theory      2       1  ████████████████░░░░░░░░                                │
      │   gan         1       0  ████████                                                │
      │                                                                                  │
      │ By year    read  unread                                                          │
      │   2017        0       2  ░░░░░░░░░░                                              │
      │   2016        3       2  ██████████████░░░░░░░░░░                                │
      │   2014        1       0  █████                                                   │
      │   1993        0       1  ░░░░░                                                   │
      │   no year     0       4  ░░░░░░░░░░░░░░░░░░░                                     │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      │                                                                                  │
      └──────────────────────────────────────────────────────────────────────────────────┘
      """)
  }

  @Test("the chart at 60×15, scrolled to: bars scaled to the narrow box")
  func smallChart() {
    var state = Self.state(rows: 15, cols: 60)
    state.press(.char("="))
    for _ in 0..<8 { state.press(.char("j")) }
    expectScreen(
      Renderer.render(state),
      """
       quire · reading list (built-in)       13 papers · 9 unread
      ┌ Papers ──────────────────────────────────────────────────┐
      │┌ Statistics · j/k scroll · other keys close ────────────┐│
      ││  5 Oct 0                                               ││
      ││ 12 Oct 0                                               ││
      └│ 19 Oct 0                                               │┘
      ┌│ 26 Oct 0                                               │┐
      ││  2 Nov 0                                               ││
      ││  9 Nov 0                                               ││
      ││ 16 Nov █████████████████████████████████████████████ 2 ││
      ││ 23 Nov ██████████████████████▌ 1                       ││
      ││ + 1 read when quire did not keep the time              ││
      │└────────────────────────────────────────────────── 60% ─┘│
      └──────────────────────────────────────────────────── 31% ─┘
       1/13 shown · 9 unread · 13 total  j/k move · ⏎ open  saved
      """)
  }

  // MARK: - The summary printed on quitting

  @Test func theSummaryCountsWhatThisSessionChanged() {
    let clock = MovingClock(Self.now)
    var state = Self.state(clock: { clock.now })
    #expect(state.sessionSummary.line == "quire: nothing changed in 0 s")
    state.press(.char("r"))  // the first paper read
    state.press(.char("j"), .char("t"))
    state.type("maths")
    state.press(.enter, .escape)
    state.press(.char("j"), .char("r"))  // a paper read before: now unread
    clock.now = Self.now.addingTimeInterval(42)
    #expect(state.sessionSummary.line == "quire: 1 paper read, 1 marked unread, 1 tagged in 42 s")
    // Undone by hand: the paper is as it was, and counts for nothing.
    state.press(.char("r"))
    clock.now = Self.now.addingTimeInterval(12 * 60 + 59)
    #expect(state.sessionSummary.line == "quire: 1 paper read, 1 tagged in 12 min")
  }

  @Test func changesMergedFromAnotherQuireAreNotThisSessions() {
    var state = Self.state()
    let (first, second) = (state.library[0].id, state.library[7].id)
    _ = Reader.update(&state, .changedElsewhere([first: PaperState(status: .read, tags: ["elsewhere"])]))
    #expect(state.reading[first].status == .read)
    #expect(state.sessionSummary.line == "quire: nothing changed in 0 s")
    // Changed here after it was changed there: compared with the state adopted.
    state.press(.char("t"))
    state.type("here")
    state.press(.enter, .escape)
    #expect(state.sessionSummary.line == "quire: 1 tagged in 0 s")
    #expect(state.sessionSummary.read == 0)
    // Changed here, then elsewhere: the paper's state before this session is kept.
    state.press(.char("j"))
    while state.selectedPaper?.id != second { state.press(.char("j")) }
    state.press(.char("r"))
    _ = Reader.update(&state, .changedElsewhere([second: PaperState(status: .read, tags: ["x"], readAt: Self.now)]))
    // Its tag came from there: the session read it, and tagged only the first paper.
    #expect(state.sessionBase[second] == PaperState(tags: ["x"]))
    #expect(state.sessionSummary.read == 1)
    #expect(state.sessionSummary.tagged == 1)
  }

  @Test func theSummaryNamesEveryKindOfChange() {
    let ids = (0..<6).map { PaperID("p\($0)") }
    var reading = ReadingState()
    reading[ids[0]] = PaperState(status: .read, readAt: Self.now)
    reading[ids[1]] = PaperState(tags: ["kept"])
    reading[ids[2]] = PaperState(note: "a note")
    reading[ids[3]] = PaperState(title: "A title")
    reading[ids[4]] = PaperState(tags: ["a", "b"], note: "changed")
    let before: [PaperID: PaperState] = [
      ids[0]: .untouched, ids[1]: PaperState(tags: ["kept", "gone"]), ids[2]: .untouched, ids[3]: .untouched,
      ids[4]: PaperState(tags: ["a"], note: "first"), ids[5]: PaperState(note: "removed"),
    ]
    let summary = SessionSummary(before: before, reading: reading, elapsed: 3_900)
    #expect(summary.line == "quire: 1 paper read, 1 tagged, 1 untagged, 2 notes written, 1 note removed, 1 title given in 1 h 5 min")
  }

  @Test func durationsAreShortAndRoundedDown() {
    #expect(SessionSummary.duration(0) == "0 s")
    #expect(SessionSummary.duration(59.9) == "59 s")
    #expect(SessionSummary.duration(60) == "1 min")
    #expect(SessionSummary.duration(42 * 60 + 30) == "42 min")
    #expect(SessionSummary.duration(3_600) == "1 h")
    #expect(SessionSummary.duration(3_600 + 5 * 60) == "1 h 5 min")
    #expect(SessionSummary.duration(26 * 3_600) == "26 h")
    // A clock set back while quire ran does not make the session negative.
    #expect(SessionSummary.duration(-5) == "0 s")
  }

  func expectScreen(_ grid: Grid, _ expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    expectLines(grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), expected, sourceLocation: sourceLocation)
  }

  func expectLines(_ actual: [String], _ expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard actual != wanted else { return }
    let rows = (0..<max(actual.count, wanted.count)).filter { (actual.indices.contains($0) ? actual[$0] : nil) != (wanted.indices.contains($0) ? wanted[$0] : nil) }
    let diff = rows.map { "row \($0):\n  got:      \(actual.indices.contains($0) ? actual[$0] : "—")\n  expected: \(wanted.indices.contains($0) ? wanted[$0] : "—")" }
    Issue.record("screen differs:\n\(diff.joined(separator: "\n"))\n--- whole screen ---\n\(actual.joined(separator: "\n"))", sourceLocation: sourceLocation)
  }
}

/// A clock a test moves by hand.
final class MovingClock: @unchecked Sendable {
  var now: Date
  init(_ now: Date) { self.now = now }
}
