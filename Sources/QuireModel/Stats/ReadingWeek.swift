import Foundation

/// One ISO 8601 week (it starts on Monday; week 1 holds the year's first Thursday) in a
/// given time zone, so that "this week" is the user's week and not UTC's.
public struct ReadingWeek: Equatable, Sendable {
  /// Monday at midnight, local time.
  public var start: Date
  /// The next Monday at midnight: a day of a week with a daylight-saving change is not
  /// 24 hours long, so the end is not `start` plus seven days.
  public var end: Date
  /// Monday's date as written locally.
  public var year: Int
  public var month: Int
  public var day: Int
  /// The ISO week-numbering year and week ("2026-W48"): around New Year they differ from
  /// the calendar year of `start`.
  public var isoYear: Int
  public var isoWeek: Int

  /// "23 Nov": the Monday, the same in every locale, as a terminal column needs.
  public var label: String {
    let day = self.day < 10 ? " \(self.day)" : "\(self.day)"
    return "\(day) \(Self.monthNames[month - 1])"
  }

  /// "2026-11-23".
  public var isoDate: String {
    "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
  }

  /// "2026-W48".
  public var isoName: String { "\(isoYear)-W\(isoWeek < 10 ? "0" : "")\(isoWeek)" }

  static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// The `count` weeks up to and including the one `now` falls in, oldest first.
  public static func last(_ count: Int, before now: Date, in timeZone: TimeZone) -> [ReadingWeek] {
    guard count > 0 else { return [] }
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = timeZone
    // The ISO calendar's weeks start on Monday with four days in the first week.
    guard let current = calendar.dateInterval(of: .weekOfYear, for: now) else { return [] }
    var weeks: [ReadingWeek] = []
    weeks.reserveCapacity(count)
    var start = current.start
    for _ in 0..<count {
      guard let week = week(starting: start, calendar: calendar) else { break }
      weeks.append(week)
      guard let previous = calendar.date(byAdding: .weekOfYear, value: -1, to: start) else { break }
      start = previous
    }
    return weeks.reversed()
  }

  private static func week(starting start: Date, calendar: Calendar) -> ReadingWeek? {
    guard let end = calendar.date(byAdding: .weekOfYear, value: 1, to: start) else { return nil }
    let parts = calendar.dateComponents([.year, .month, .day, .weekOfYear, .yearForWeekOfYear], from: start)
    guard let year = parts.year, let month = parts.month, let day = parts.day, let isoWeek = parts.weekOfYear,
      let isoYear = parts.yearForWeekOfYear
    else { return nil }
    return ReadingWeek(start: start, end: end, year: year, month: month, day: day, isoYear: isoYear, isoWeek: isoWeek)
  }
}
