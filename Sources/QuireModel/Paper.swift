import Foundation

/// A stable identifier for a paper: the same paper gets the same id every time it is read,
/// whatever else is in the library, so saved reading state finds it again.
public struct PaperID: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let rawValue: String

  public init(_ rawValue: String) { self.rawValue = rawValue }

  /// Derives an id from a paper's identity key (see `Paper.identityKey`).
  public init(identityKey: String) {
    self.rawValue = StableHash.fnv1a64Hex(identityKey)
  }

  public var description: String { rawValue }
  public static func < (a: PaperID, b: PaperID) -> Bool { a.rawValue < b.rawValue }
}

/// A day of publication as written in a reading list ("01 November 2017").
public struct PublishedDate: Equatable, Sendable {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  static let monthNames = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
  ]

  /// "1 Nov 2017"
  public var display: String {
    let name = Self.monthNames[month - 1].prefix(3).capitalized
    return "\(day) \(name) \(year)"
  }

  /// Midnight UTC of the day, for comparing with times.
  /// Arithmetic rather than `Calendar`: a large reading list converts one date per paper.
  public var date: Date {
    Date(timeIntervalSince1970: Double(PublishedDate.daysSinceEpoch(year: year, month: month, day: day)) * 86_400)
  }

  /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The day a time falls on, in UTC.
  public init(_ date: Date) {
    let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }

  /// "2017-11-01"
  public var iso: String {
    func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(pad(month))-\(pad(day))"
  }
}

/// A link as a reading list gives it: often only a label ("arxiv (preprint)"), sometimes a URL.
public struct PaperLink: Equatable, Sendable {
  public var label: String
  public var url: String?

  public init(label: String, url: String? = nil) {
    self.label = label
    self.url = url
  }

  public var display: String {
    guard let url else { return label }
    return label == url ? url : "\(label) <\(url)>"
  }
}

/// Where a paper's text came from, for messages that point at the file.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int

  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  public var description: String { "\(file):\(line)" }
}

/// One listing of a paper in an input file. A paper listed twice keeps both listings:
/// the first gives the paper its fields, the others are kept as alternates.
public struct Listing: Equatable, Sendable {
  public var title: String?
  public var authors: [String] = []
  public var venue: String?
  public var year: Int?
  public var published: PublishedDate?
  public var links: [PaperLink] = []
  public var abstract: String?
  /// Normalised DOI ("10.1063/1.4944470") and arXiv id without version ("1703.00573"):
  /// a paper carrying either is the same paper wherever it comes from.
  public var doi: String?
  public var arxiv: String?
  /// Subject categories, as arXiv gives them ("cs.LG").
  public var categories: [String] = []
  /// The arXiv version listed ("v5") and when that version appeared.
  public var arxivVersion: Int?
  public var updated: PublishedDate?
  /// When the paper entered the user's library: the import for imported papers, the
  /// "Published" day for a reading list's (the day it was put on the list).
  public var added: Date?
  /// Fields quire does not use but keeps, as written, so an export gives them back:
  /// a BibTeX entry's type and key ("bibtex:type", "bibtex:key") and its other fields.
  public var extra: [String: String] = [:]
  public var source: SourceLocation

  public init(
    title: String? = nil, authors: [String] = [], venue: String? = nil, year: Int? = nil,
    published: PublishedDate? = nil, links: [PaperLink] = [], abstract: String? = nil,
    source: SourceLocation
  ) {
    self.title = title
    self.authors = authors
    self.venue = venue
    self.year = year
    self.published = published
    self.links = links
    self.abstract = abstract
    self.source = source
  }
}

/// A paper in the library: its best-known fields plus the other listings it was merged from.
public struct Paper: Equatable, Sendable {
  public var id: PaperID
  public var title: String?
  public var authors: [String]
  public var venue: String?
  public var year: Int?
  public var published: PublishedDate?
  public var links: [PaperLink]
  public var abstract: String?
  public var doi: String?
  public var arxiv: String?
  public var categories: [String]
  public var arxivVersion: Int?
  public var updated: PublishedDate?
  public var added: Date?
  public var extra: [String: String]
  public var source: SourceLocation
  /// Other listings of the same paper whose details differ from the fields above.
  public var alternates: [Listing]

  public init(listing: Listing, identityKey: String? = nil) {
    self.init(listing: listing, id: PaperID(identityKey: identityKey ?? Paper.identityKey(of: listing)))
  }

  /// A paper whose id is already known (as a library file gives it): its key is not folded again.
  init(listing: Listing, id: PaperID) {
    self.id = id
    self.title = listing.title
    self.authors = listing.authors
    self.venue = listing.venue
    self.year = listing.year
    self.published = listing.published
    self.links = listing.links
    self.abstract = listing.abstract
    self.doi = listing.doi
    self.arxiv = listing.arxiv
    self.categories = listing.categories
    self.arxivVersion = listing.arxivVersion
    self.updated = listing.updated
    self.added = listing.added
    self.extra = listing.extra
    self.source = listing.source
    self.alternates = []
  }

  /// What makes two listings the same paper. A title when there is one; untitled papers
  /// are known by their abstract, which survives re-listing with other venues and years.
  public static func identityKey(of listing: Listing) -> String {
    if let title = listing.title {
      let key = TextNormalizer.key(title)
      if !key.isEmpty { return "title:" + key }
    }
    if let abstract = listing.abstract {
      let key = TextNormalizer.key(abstract)
      if !key.isEmpty { return "abstract:" + key }
    }
    let names = listing.authors.map(TextNormalizer.key).joined(separator: ";")
    return "authors:\(names)|year:\(listing.year.map(String.init) ?? "")"
      + "|published:\(listing.published?.iso ?? "")"
  }

  public var hasTitle: Bool { title.map { !$0.isEmpty } ?? false }

  /// Family names: the last word of each author ("Alex M. Bronstein" → "Bronstein"), or
  /// the first for names written family-first in CJK scripts ("山田 太郎" → "山田").
  public var familyNames: [String] {
    authors.map { name in
      let familyFirst = name.unicodeScalars.first.map(Paper.isCJK) ?? false
      // The first or last word, found without splitting the whole name.
      if familyFirst { return name.split(separator: " ", maxSplits: 1).first.map(String.init) ?? name }
      var end = name.endIndex
      while end > name.startIndex, name[name.index(before: end)] == " " { end = name.index(before: end) }
      let start = name[..<end].lastIndex(of: " ").map { name.index(after: $0) } ?? name.startIndex
      return start < end ? String(name[start..<end]) : name
    }
  }

  /// A name's given and family parts, in the order the name is written in its script.
  public static func splitName(_ full: String) -> (given: String, family: String) {
    let words = full.split(separator: " ").map(String.init)
    guard words.count > 1 else { return ("", full) }
    if full.unicodeScalars.first.map(isCJK) ?? false {
      return (words.dropFirst().joined(separator: " "), words[0])
    }
    return (words.dropLast().joined(separator: " "), words[words.count - 1])
  }

  /// The name written from its parts: family first for CJK family names.
  public static func joinName(given: String, family: String) -> String {
    if given.isEmpty { return family }
    if family.isEmpty { return given }
    return family.unicodeScalars.first.map(isCJK) ?? false ? family + " " + given : given + " " + family
  }

  static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0x20000...0x2FFFD:
      return true
    default:
      return false
    }
  }

  /// "Leshno, Lin, Pinkus +1": at most `limit` family names, then how many are left out.
  public func shortAuthors(limit: Int = 3) -> String { Self.shortAuthors(familyNames, limit: limit) }

  /// The same from family names already found, for trying several limits.
  public static func shortAuthors(_ names: [String], limit: Int = 3) -> String {
    guard names.count > limit else { return names.joined(separator: ", ") }
    return names.prefix(limit).joined(separator: ", ") + " +\(names.count - limit)"
  }

  /// The title, or for an untitled paper a label made from its authors, year and abstract,
  /// marked with ‹…› so it never passes for a real title.
  public var displayTitle: String {
    if let title, !title.isEmpty { return title }
    return "‹" + labelParts.joined(separator: " — ") + "›"
  }

  /// The label without authors and year, for rows that already show them.
  public var compactLabel: String {
    if let title, !title.isEmpty { return title }
    if let opening = abstractOpening { return "‹" + opening + "›" }
    return displayTitle
  }

  private var labelParts: [String] {
    let names = familyNames
    var who = names.first ?? "Unknown author"
    if names.count == 2 { who += " & " + names[1] }
    if names.count > 2 { who += " et al." }
    if let year { who += " (\(year))" }
    var parts = [who]
    if let opening = abstractOpening { parts.append(opening) }
    return parts
  }

  /// The first words of the abstract, about 60 characters, cut at a word boundary.
  private var abstractOpening: String? {
    guard let abstract, !abstract.isEmpty else { return nil }
    // Only the opening is needed: words are split from the first few hundred characters,
    // not from an abstract that may be pages long (this is drawn for every row on screen).
    let words = abstract.prefix(200).split(whereSeparator: { $0 == " " || $0 == "\n" })
    var opening = ""
    for word in words {
      if opening.count + word.count + 1 > 60 {
        // Text without spaces (Japanese, a pasted URL) is cut inside its first word.
        return (opening.isEmpty ? String(word.prefix(60)) : opening) + "…"
      }
      opening += opening.isEmpty ? String(word) : " " + word
    }
    // White space filled the first 200 characters: the rest is cut.
    return abstract.dropFirst(200).isEmpty ? opening : opening + "…"
  }
}

/// Identifiers written many ways, reduced to one form for comparison.
public enum Identifier {
  /// "https://doi.org/10.1000/ABC" → "10.1000/abc" (DOIs are case-insensitive).
  public static func doi(_ raw: String) -> String? {
    var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
    for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"] where text.hasPrefix(prefix) {
      text.removeFirst(prefix.count)
    }
    return text.hasPrefix("10.") && text.contains("/") ? text : nil
  }

  /// "arXiv:1703.00573v5", "http://arxiv.org/abs/1703.00573v5", "hep-th/9901001" →
  /// the id without its version.
  public static func arxiv(_ raw: String) -> String? {
    var text = raw.trimmingCharacters(in: .whitespaces)
    for prefix in ["https://arxiv.org/abs/", "http://arxiv.org/abs/", "arXiv:", "arxiv:"] where text.hasPrefix(prefix) {
      text.removeFirst(prefix.count)
    }
    if let v = text.lastIndex(of: "v"), !text[text.index(after: v)...].isEmpty,
      text[text.index(after: v)...].allSatisfy(\.isNumber)
    {
      text = String(text[..<v])
    }
    let modern = text.split(separator: ".").count == 2 && text.allSatisfy { $0.isNumber || $0 == "." }
    // Old style: "hep-th/9901001", "math.GT/0309136".
    let halves = text.split(separator: "/")
    let old =
      halves.count == 2 && halves[1].count == 7 && halves[1].allSatisfy(\.isNumber)
      && halves[0].allSatisfy { $0.isLetter || $0 == "-" || $0 == "." }
    return (modern || old) && !text.isEmpty ? text : nil
  }
}

/// Moments written as ISO 8601 in UTC, to the second: "2026-11-29T13:20:05Z".
public enum Timestamp {
  /// Exactly "YYYY-MM-DDTHH:MM:SSZ", as quire writes it, read from its bytes: every paper
  /// of a library file carries one.
  static func parseCanonical(_ text: String) -> Date? {
    var text = text
    return text.withUTF8 { b -> Date? in
      guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A
      else { return nil }
      func number(_ from: Int, _ count: Int) -> Int? {
        var value = 0
        for index in from..<(from + count) {
          let digit = Int(b[index]) - 0x30
          guard digit >= 0, digit <= 9 else { return nil }
          value = value * 10 + digit
        }
        return value
      }
      guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let h = number(11, 2),
        let m = number(14, 2), let s = number(17, 2), (1...12).contains(month), (1...31).contains(day), h < 24,
        m < 60, s < 61
      else { return nil }
      let days = PublishedDate.daysSinceEpoch(year: year, month: month, day: day)
      return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + m * 60 + s))
    }
  }

  public static func iso(_ date: Date) -> String {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let day = PublishedDate(date)
    let inDay = seconds - PublishedDate.daysSinceEpoch(year: day.year, month: day.month, day: day.day) * 86_400
    func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(day.iso)T\(pad(inDay / 3600)):\(pad(inDay / 60 % 60)):\(pad(inDay % 60))Z"
  }

  /// "2026-11-29T13:20:05Z", or a bare day "2026-11-29" (midnight UTC).
  public static func parse(_ text: String) -> Date? {
    if let date = parseCanonical(text) { return date }
    let parts = text.split(separator: "T", maxSplits: 1)
    guard let dayPart = parts.first else { return nil }
    let ymd = dayPart.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    // Years of four digits, as written: a larger one would overflow the day count (or,
    // later, the seconds written back) and trap.
    guard ymd.count == 3, let year = ymd[0], let month = ymd[1], let day = ymd[2], (0...9999).contains(year),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var seconds = Double(PublishedDate.daysSinceEpoch(year: year, month: month, day: day)) * 86_400
    if parts.count == 2 {
      let clock = parts[1].hasSuffix("Z") ? parts[1].dropLast() : parts[1]
      let hms = clock.split(separator: ":").map { Int($0) }
      guard hms.count == 3, let h = hms[0], let m = hms[1], let s = hms[2], h < 24, m < 60, s < 61 else { return nil }
      seconds += Double(h * 3600 + m * 60 + s)
    }
    return Date(timeIntervalSince1970: seconds)
  }
}
