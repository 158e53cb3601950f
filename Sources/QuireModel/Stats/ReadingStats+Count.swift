import Foundation

extension ReadingStats {
  /// Counts `library` with `reading`: one pass over the states of touched papers (states of
  /// papers not in the library are left out), then one over the years, when they are
  /// known. `now` and `timeZone` decide which weeks are shown.
  public static func count(
    library: Library, reading: ReadingState, years: PaperYears?, now: Date, timeZone: TimeZone = .current,
    weeks weekCount: Int = 12
  ) -> ReadingStats {
    let weeks = ReadingWeek.last(weekCount, before: now, in: timeZone)
    var buckets = WeekBuckets(weeks)
    let lookup = library.idLookup
    var read = PaperSet(capacity: years == nil ? 0 : library.count)
    var totals = Totals(papers: library.count)
    var unknown = 0
    var tagRow: [String: Int] = [:]
    var tagNames: [String] = []
    var tagTallies: [Tally] = []
    for (id, state) in reading.papers {
      guard let index = lookup.index(of: id) else { continue }
      let isRead = state.status == .read
      if isRead {
        totals.read += 1
        if years != nil { read.insert(index) }
        if let readAt = state.readAt { buckets.add(readAt) } else { unknown += 1 }
      }
      if state.note != nil { totals.withNotes += 1 }
      if !state.tags.isEmpty { totals.tagged += 1 }
      for tag in state.tags {
        let row: Int
        if let known = tagRow[tag] {
          row = known
        } else {
          row = tagNames.count
          tagRow[tag] = row
          tagNames.append(tag)
          tagTallies.append(Tally())
        }
        tagTallies[row].add(read: isRead)
      }
    }
    let byTag = zip(tagNames, tagTallies).map { TagRow(tag: $0, tally: $1) }.sorted {
      $0.tally.total != $1.tally.total ? $0.tally.total > $1.tally.total : $0.tag < $1.tag
    }
    return ReadingStats(
      weeks: zip(weeks, buckets.counts).map { WeekCount(week: $0, read: $1) }, readAtUnknown: unknown,
      readEarlier: buckets.earlier, byTag: byTag, byYear: years.map { yearRows($0, read: read, count: library.count) },
      totals: totals)
  }

  /// Read and unread papers by year, newest first, then those with no year.
  private static func yearRows(_ years: PaperYears, read: PaperSet, count: Int) -> [YearRow] {
    // Years of papers fall in a narrow range: an array over it is much cheaper than a
    // dictionary at a million papers. Anything outside it (a mistyped 20016) goes to `odd`.
    let first = 1000
    var common = [Tally](repeating: Tally(), count: 2000)
    var odd: [Int: Tally] = [:]
    var undated = Tally()
    years.forEach(count: count) { paper, year in
      let isRead = read.contains(paper)
      guard let year else {
        undated.add(read: isRead)
        return
      }
      if year >= first, year < first + common.count {
        common[year - first].add(read: isRead)
      } else {
        odd[year, default: Tally()].add(read: isRead)
      }
    }
    var rows = odd.map { YearRow(year: $0.key, tally: $0.value) }
    for (offset, tally) in common.enumerated() where tally.total > 0 {
      rows.append(YearRow(year: first + offset, tally: tally))
    }
    rows.sort { ($0.year ?? 0) > ($1.year ?? 0) }
    if undated.total > 0 { rows.append(YearRow(year: nil, tally: undated)) }
    return rows
  }
}

/// Read times sorted into weeks by binary search over the weeks' starts: a calendar
/// computation per paper would cost microseconds each, a million times over.
struct WeekBuckets {
  private let starts: [Double]
  private(set) var counts: [Int]
  private(set) var earlier = 0

  init(_ weeks: [ReadingWeek]) {
    starts = weeks.map(\.start.timeIntervalSinceReferenceDate)
    counts = Array(repeating: 0, count: weeks.count)
  }

  /// A time after the current week (another machine's clock ahead of this one) counts in
  /// the current week: it was read by now, as far as this reader can tell.
  mutating func add(_ date: Date) {
    let time = date.timeIntervalSinceReferenceDate
    guard let first = starts.first, time >= first else {
      earlier += 1
      return
    }
    var low = 0
    var high = starts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if starts[middle] <= time { low = middle } else { high = middle - 1 }
    }
    counts[low] += 1
  }
}
