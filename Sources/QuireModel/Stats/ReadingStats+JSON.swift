import Foundation

extension ReadingStats {
  /// The statistics as one JSON object, keys sorted, for scripts (README: `quire stats`).
  /// The shape is part of quire's interface: fields may be added, never renamed.
  public func json(now: Date, timeZone: TimeZone) -> String {
    let document = Document(
      version: 1, now: Self.isoTimestamp(now), timeZone: timeZone.identifier,
      weeks: weeks.map { Document.Week(week: $0.week.isoName, start: $0.week.isoDate, read: $0.read) },
      readEarlier: readEarlier, readAtUnknown: readAtUnknown,
      byTag: byTag.map { Document.Tag(tag: $0.tag, read: $0.tally.read, unread: $0.tally.unread) },
      byYear: byYear?.map { Document.Year(year: $0.year, read: $0.tally.read, unread: $0.tally.unread) },
      totals: Document.Totals(
        papers: totals.papers, read: totals.read, unread: totals.unread, tagged: totals.tagged,
        withNotes: totals.withNotes))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Plain values only: encoding them cannot fail.
    guard let data = try? encoder.encode(document) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }

  static func isoTimestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  private struct Document: Encodable {
    struct Week: Encodable {
      var week: String
      var start: String
      var read: Int
    }
    struct Tag: Encodable {
      var tag: String
      var read: Int
      var unread: Int
    }
    struct Year: Encodable {
      var year: Int?
      var read: Int
      var unread: Int

      // "year": null for papers without one, rather than leaving the key out.
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(year, forKey: .year)
        try container.encode(read, forKey: .read)
        try container.encode(unread, forKey: .unread)
      }
      enum CodingKeys: String, CodingKey { case year, read, unread }
    }
    struct Totals: Encodable {
      var papers: Int
      var read: Int
      var unread: Int
      var tagged: Int
      var withNotes: Int
    }
    var version: Int
    var now: String
    var timeZone: String
    var weeks: [Week]
    var readEarlier: Int
    var readAtUnknown: Int
    var byTag: [Tag]
    var byYear: [Year]?
    var totals: Totals
  }
}
