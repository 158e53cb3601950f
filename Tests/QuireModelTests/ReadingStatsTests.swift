import Foundation
import Testing

@testable import QuireModel

@Suite("Reading statistics")
struct ReadingStatsTests {
  /// A library of papers with these years (nil: none), titled "Paper 0", "Paper 1", ….
  static func library(years: [Int?]) -> Library {
    Library(
      name: "test",
      listings: years.enumerated().map { index, year in
        Listing(title: "Paper \(index)", year: year, source: SourceLocation(file: "test", line: index + 1))
      })
  }

  static let berlin = TimeZone(identifier: "Europe/Berlin")!
  static let utc = TimeZone(identifier: "UTC")!

  /// A moment given as a wall-clock time in a zone.
  static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, in zone: TimeZone)
    -> Date
  {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
  }

  static func read(at date: Date?, tags: [String] = [], note: String? = nil) -> PaperState {
    PaperState(status: .read, tags: tags, note: note, readAt: date)
  }

  @Test func anEmptyLibraryHasEveryWeekAtZeroAndNothingElse() {
    let stats = ReadingStats.count(
      library: Self.library(years: []), reading: ReadingState(), years: PaperYears(library: Self.library(years: [])),
      now: Self.date(2026, 11, 25, 12, in: Self.utc), timeZone: Self.utc, weeks: 12)
    #expect(stats.weeks.count == 12)
    #expect(stats.weeks.allSatisfy { $0.read == 0 })
    #expect(stats.weeks.last?.week.isoDate == "2026-11-23")
    #expect(stats.weeks.first?.week.isoDate == "2026-09-07")
    #expect(stats.byTag.isEmpty)
    #expect(stats.byYear == [])
    #expect(stats.totals == ReadingStats.Totals())
    #expect(stats.readAtUnknown == 0 && stats.readEarlier == 0)
  }

  @Test func weeksStartOnMondayAtMidnightInTheUsersZone() {
    let library = Self.library(years: [2020, 2020, 2020, 2020])
    var reading = ReadingState()
    // Monday 23 November at midnight, Berlin time: the first second of the current week.
    reading[library[0].id] = Self.read(at: Self.date(2026, 11, 23, 0, 0, 0, in: Self.berlin))
    // One second earlier: Sunday, the week before.
    reading[library[1].id] = Self.read(at: Self.date(2026, 11, 22, 23, 59, 59, in: Self.berlin))
    // Sunday evening of the current week, after `now`: still this week.
    reading[library[2].id] = Self.read(at: Self.date(2026, 11, 29, 23, 0, 0, in: Self.berlin))
    // Unread papers have no time and count in no week.
    reading[library[3].id] = PaperState(status: .unread, tags: ["x"])
    let now = Self.date(2026, 11, 25, 12, in: Self.berlin)

    let berlin = ReadingStats.count(library: library, reading: reading, years: nil, now: now, timeZone: Self.berlin, weeks: 3)
    #expect(berlin.weeks.map(\.week.isoDate) == ["2026-11-09", "2026-11-16", "2026-11-23"])
    #expect(berlin.weeks.map(\.read) == [0, 1, 2])
    #expect(berlin.weeks.map(\.week.label) == [" 9 Nov", "16 Nov", "23 Nov"])
    #expect(berlin.weeks.last?.week.isoName == "2026-W48")

    // The same moments in UTC: Berlin's Monday midnight is Sunday 23:00 there, the week before.
    let utc = ReadingStats.count(library: library, reading: reading, years: nil, now: now, timeZone: Self.utc, weeks: 3)
    #expect(utc.weeks.map(\.read) == [0, 2, 1])
  }

  @Test func aWeekWithTheClockChangeIsAnHourLongerAndCountsItsLastHour() throws {
    // Berlin leaves summer time on Sunday 25 October 2026.
    let now = Self.date(2026, 10, 28, 12, in: Self.berlin)
    let weeks = ReadingWeek.last(2, before: now, in: Self.berlin)
    let changed = try #require(weeks.first)
    #expect(changed.isoDate == "2026-10-19")
    #expect(changed.end.timeIntervalSince(changed.start) == 7 * 86_400 + 3_600)
    let library = Self.library(years: [nil, nil])
    var reading = ReadingState()
    reading[library[0].id] = Self.read(at: Self.date(2026, 10, 25, 23, 30, in: Self.berlin))
    reading[library[1].id] = Self.read(at: Self.date(2026, 10, 26, 0, 0, in: Self.berlin))
    let stats = ReadingStats.count(library: library, reading: reading, years: nil, now: now, timeZone: Self.berlin, weeks: 2)
    #expect(stats.weeks.map(\.read) == [1, 1])
  }

  @Test func isoWeeksAcrossNewYear() {
    // 2026 has 53 ISO weeks; 4 January 2027 starts week 1 of 2027.
    let weeks = ReadingWeek.last(3, before: Self.date(2027, 1, 6, in: Self.utc), in: Self.utc)
    #expect(weeks.map(\.isoName) == ["2026-W52", "2026-W53", "2027-W01"])
    #expect(weeks.map(\.isoDate) == ["2026-12-21", "2026-12-28", "2027-01-04"])
    #expect(weeks.map(\.label) == ["21 Dec", "28 Dec", " 4 Jan"])
    // A Sunday belongs to the week that began the Monday before.
    #expect(ReadingWeek.last(1, before: Self.date(2027, 1, 3, 23, 59, in: Self.utc), in: Self.utc).first?.isoName == "2026-W53")
  }

  @Test func readPapersWithoutATimeOrBeforeTheWindowAreCountedApart() {
    let library = Self.library(years: [2001, 2002, 2003, 2004])
    var reading = ReadingState()
    reading[library[0].id] = Self.read(at: nil)
    reading[library[1].id] = Self.read(at: nil)
    reading[library[2].id] = Self.read(at: Self.date(2025, 1, 1, in: Self.utc))
    reading[library[3].id] = Self.read(at: Self.date(2026, 11, 24, in: Self.utc))
    let stats = ReadingStats.count(
      library: library, reading: reading, years: nil, now: Self.date(2026, 11, 25, in: Self.utc), timeZone: Self.utc, weeks: 4)
    #expect(stats.readAtUnknown == 2)
    #expect(stats.readEarlier == 1)
    #expect(stats.weeks.map(\.read) == [0, 0, 0, 1])
    #expect(stats.totals.read == 4)
  }

  @Test func yearsNewestFirstWithPapersWithoutAYearLast() throws {
    let library = Self.library(years: [2016, nil, 1993, 2016, nil, 20016])
    var reading = ReadingState()
    reading[library[0].id] = Self.read(at: nil)
    reading[library[1].id] = Self.read(at: nil)
    let stats = ReadingStats.count(
      library: library, reading: reading, years: PaperYears(library: library), now: Date(), timeZone: Self.utc)
    let rows = try #require(stats.byYear)
    #expect(rows.map(\.year) == [20016, 2016, 1993, nil])
    #expect(rows.map(\.tally) == [.init(read: 0, unread: 1), .init(read: 1, unread: 1), .init(read: 0, unread: 1), .init(read: 1, unread: 1)])
    // Without years (a large library before its index is built) the rest is still counted.
    let withoutYears = ReadingStats.count(library: library, reading: reading, years: nil, now: Date(), timeZone: Self.utc)
    #expect(withoutYears.byYear == nil)
    #expect(withoutYears.totals == stats.totals)
  }

  @Test func yearsFromTheSearchIndexAgreeWithThePapers() {
    let library = Self.library(years: [2016, nil, 1993, 2016, nil, 1870, 2026])
    var reading = ReadingState()
    reading[library[2].id] = Self.read(at: nil)
    reading[library[4].id] = Self.read(at: nil)
    let fromPapers = ReadingStats.count(library: library, reading: reading, years: PaperYears(library: library), now: Date(), timeZone: Self.utc)
    let fromIndex = ReadingStats.count(
      library: library, reading: reading, years: PaperYears(index: SearchIndex(library: library)), now: Date(), timeZone: Self.utc)
    #expect(fromIndex.byYear == fromPapers.byYear)
    #expect(fromPapers.byYear?.count == 5)
  }

  @Test func tagsMostUsedFirstAndTotals() {
    let library = Self.library(years: [2020, 2020, 2020, 2020, 2020])
    var reading = ReadingState()
    reading[library[0].id] = Self.read(at: nil, tags: ["theory", "gan"], note: "good")
    reading[library[1].id] = PaperState(status: .unread, tags: ["theory"])
    reading[library[2].id] = PaperState(status: .unread, tags: ["theory", "apple"])
    reading[library[3].id] = PaperState(status: .unread, note: "later")
    // A paper of another library: its state is kept, but it is not counted here.
    reading[PaperID("elsewhere")] = Self.read(at: Date(), tags: ["theory", "zzz"])
    let stats = ReadingStats.count(library: library, reading: reading, years: PaperYears(library: library), now: Date(), timeZone: Self.utc)
    #expect(stats.byTag.map(\.tag) == ["theory", "apple", "gan"])
    #expect(stats.byTag.map(\.tally) == [.init(read: 1, unread: 2), .init(read: 0, unread: 1), .init(read: 1, unread: 0)])
    #expect(stats.totals.papers == 5)
    #expect(stats.totals.read == 1)
    #expect(stats.totals.unread == 4)
    #expect(stats.totals.tagged == 3)
    #expect(stats.totals.withNotes == 2)
    #expect(stats.weeks.allSatisfy { $0.read == 0 })
  }

  @Test func jsonHasTheDocumentedShape() throws {
    let library = Self.library(years: [2016, nil])
    var reading = ReadingState()
    reading[library[0].id] = Self.read(at: Self.date(2026, 11, 24, in: Self.utc), tags: ["a/b \"q\""])
    let now = Self.date(2026, 11, 25, in: Self.utc)
    let stats = ReadingStats.count(library: library, reading: reading, years: PaperYears(library: library), now: now, timeZone: Self.utc, weeks: 2)
    let text = stats.json(now: now, timeZone: Self.utc)
    let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(Set(root.keys) == ["version", "now", "timeZone", "weeks", "readEarlier", "readAtUnknown", "byTag", "byYear", "totals"])
    #expect(root["version"] as? Int == 1)
    #expect(root["now"] as? String == "2026-11-25T00:00:00Z")
    #expect(root["timeZone"] as? String == Self.utc.identifier)
    let weeks = try #require(root["weeks"] as? [[String: Any]])
    #expect(weeks.map { $0["week"] as? String } == ["2026-W47", "2026-W48"])
    #expect(weeks.map { $0["start"] as? String } == ["2026-11-16", "2026-11-23"])
    #expect(weeks.map { $0["read"] as? Int } == [0, 1])
    let tags = try #require(root["byTag"] as? [[String: Any]])
    #expect(tags.first?["tag"] as? String == "a/b \"q\"")
    let years = try #require(root["byYear"] as? [[String: Any]])
    #expect(years.count == 2)
    #expect(years[0]["year"] as? Int == 2016 && years[0]["read"] as? Int == 1)
    #expect(years[1]["year"] is NSNull, "a paper without a year is under \"year\": null")
    let totals = try #require(root["totals"] as? [String: Int])
    #expect(totals == ["papers": 2, "read": 1, "unread": 1, "tagged": 1, "withNotes": 0])
  }
}
