import Foundation

/// How far the reader has got through a library: papers read per week, read and unread
/// counts by tag and by year, and totals. Counted by `ReadingStats.count`, drawn by the
/// reader's statistics view and printed by `quire stats`.
public struct ReadingStats: Equatable, Sendable {
  /// Read and unread papers of one group (a tag, a year, the whole library).
  public struct Tally: Equatable, Sendable {
    public var read = 0
    public var unread = 0
    public var total: Int { read + unread }

    public init(read: Int = 0, unread: Int = 0) {
      self.read = read
      self.unread = unread
    }

    mutating func add(read isRead: Bool) {
      if isRead { read += 1 } else { unread += 1 }
    }
  }

  public struct TagRow: Equatable, Sendable {
    public var tag: String
    public var tally: Tally
  }

  public struct YearRow: Equatable, Sendable {
    /// Nil for the papers whose listings give no year.
    public var year: Int?
    public var tally: Tally
  }

  public struct Totals: Equatable, Sendable {
    public var papers = 0
    public var read = 0
    public var unread: Int { papers - read }
    /// Papers with at least one tag.
    public var tagged = 0
    public var withNotes = 0
  }

  /// The weeks asked for, oldest first, the current week last; weeks without a paper read
  /// are there with a count of 0.
  public var weeks: [WeekCount]
  /// Read papers with no time: read before quire kept the time, or marked read elsewhere.
  public var readAtUnknown: Int
  /// Read papers whose time is before the first week shown.
  public var readEarlier: Int
  /// Most used first; ties by name.
  public var byTag: [TagRow]
  /// Newest first, "no year" last. Nil while the years are not known: a large library's
  /// years come from the search index, which the reader builds in the background.
  public var byYear: [YearRow]?
  public var totals: Totals
}

/// Papers read in one ISO week (Monday to Sunday in the user's time zone).
public struct WeekCount: Equatable, Sendable {
  public var week: ReadingWeek
  public var read: Int
}
