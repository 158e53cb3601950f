import Foundation

/// Reads quire's own JSON Lines, as `quire list` prints them: one paper a line, with its
/// reading status, tags, note, the title the reader gave and when they read it, so that an
/// export comes back as it went out.
public struct JSONLinesParser {
  public struct Result: Sendable {
    public var listings: [Listing]
    /// The reading state each listing carried, in the same order.
    public var states: [PaperState]
    public var diagnostics: [Diagnostic]
  }

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears the share of lines read and the papers so far, now and then.
  public func parse(_ text: String, progress: ((Double, Int) -> Void)? = nil) -> Result {
    var copy = text
    return copy.withUTF8 { parse(UnsafeRawBufferPointer($0), progress: progress) }
  }

  public func parse(_ bytes: UnsafeRawBufferPointer, progress: ((Double, Int) -> Void)? = nil) -> Result {
    var result = Result(listings: [], states: [], diagnostics: [])
    var lineNumber = 0
    var start = 0
    while start <= bytes.count {
      let end = JSONLines.lineEnd(in: bytes, from: start)
      lineNumber += 1
      if let progress, lineNumber % 1024 == 0 { progress(Double(start) / Double(max(bytes.count, 1)), result.listings.count) }
      let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
      start = end + 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      switch StoredLine.decode(line) {
      case .failure(let problem):
        result.diagnostics.append(Diagnostic(file: file, line: lineNumber, column: problem.column, message: problem.message, skipped: true))
      case .success(var stored):
        stored.listing.source = SourceLocation(file: file, line: lineNumber)
        result.listings.append(stored.listing)
        result.states.append(stored.state)
        // Other listings of the same paper travel with it.
        for var alternate in stored.alternates {
          alternate.source = stored.listing.source
          result.listings.append(alternate)
          result.states.append(stored.state)
        }
      }
    }
    return result
  }
}

enum JSONLines {
  /// Where the line starting at `start` ends: its newline, or the end of the bytes.
  static func lineEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    guard start < bytes.count, let base = bytes.baseAddress else { return bytes.count }
    guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
    return base.distance(to: UnsafeRawPointer(found))
  }
}

/// One line of quire's JSON Lines, decoded: the paper's main listing, the other listings
/// it was merged from, and the reading state an export carries.
struct StoredLine {
  var id: String?
  var listing: Listing
  var alternates: [Listing]
  var state: PaperState

  struct Problem: Error {
    var column: Int
    var message: String
  }

  static func decode(_ line: UnsafeRawBufferPointer) -> Swift.Result<StoredLine, Problem> {
    let value: JSONValue
    do {
      value = try JSONReader.parse(line)
    } catch {
      return .failure(Problem(column: error.offset + 1, message: "expected one JSON object per line, as `quire list` writes (\(error.expected) at column \(error.offset + 1))"))
    }
    guard case .object = value else {
      return .failure(Problem(column: 1, message: "expected one JSON object per line, as `quire list` writes"))
    }
    return decode(value)
  }

  static func decode(_ paper: JSONValue) -> Swift.Result<StoredLine, Problem> {
    var listing = Listing(source: SourceLocation(file: "", line: 0))
    var state = PaperState()
    if let listed = paper["listedTitle"] {
      // Written with a title the reader gave: "title" is theirs, this the listing's own.
      if let title = listed.string, !title.isEmpty { listing.title = title }
      if let given = paper["title"]?.string, !given.isEmpty { state.title = given }
    } else if paper["untitled"]?.bool != true, let title = paper["title"]?.string, !title.isEmpty {
      listing.title = title
    }
    listing.authors = paper["authors"]?.strings ?? []
    listing.year = paper["year"]?.int
    listing.venue = paper["venue"]?.string
    listing.published = paper["published"]?.string.flatMap(day)
    listing.added = paper["added"]?.string.flatMap(Timestamp.parse)
    for link in paper["links"]?.array ?? [] {
      guard let label = link["label"]?.string else { continue }
      listing.links.append(PaperLink(label: label, url: link["url"]?.string))
    }
    listing.abstract = paper["abstract"]?.string
    listing.doi = paper["doi"]?.string
    listing.arxiv = paper["arxiv"]?.string
    listing.categories = paper["categories"]?.strings ?? []
    listing.arxivVersion = paper["arxivVersion"]?.int
    if let extra = paper["extra"]?.members {
      for (key, value) in extra { if let text = value.string { listing.extra[key] = text } }
    }
    listing.updated = paper["updated"]?.string.flatMap(day)
    if listing.title == nil && listing.abstract == nil && listing.authors.isEmpty {
      return .failure(Problem(column: 1, message: "expected a paper with a title, authors or an abstract"))
    }
    if let status = paper["status"]?.string.flatMap(ReadStatus.init(rawValue:)) { state.status = status }
    if state.status == .read, let read = paper["read"]?.string.flatMap(Timestamp.parse) { state.readAt = read }
    if let note = paper["note"]?.string, !note.isEmpty { state.note = note }
    for tag in (paper["tags"]?.strings ?? []).map(ReadingState.normalizeTag) where !tag.isEmpty && !state.tags.contains(tag) {
      state.tags.append(tag)
    }
    var alternates: [Listing] = []
    for other in paper["alsoListed"]?.array ?? [] {
      var alternate = listing
      alternate.year = other["year"]?.int
      alternate.venue = other["venue"]?.string
      alternate.authors = other["authors"]?.strings ?? listing.authors
      alternates.append(alternate)
    }
    return .success(StoredLine(id: paper["id"]?.string, listing: listing, alternates: alternates, state: state))
  }

  /// "2017-11-01"
  static func day(_ iso: String) -> PublishedDate? {
    // "YYYY-MM-DD" from its bytes, as every stored paper has one.
    var text = iso
    let canonical = text.withUTF8 { b -> PublishedDate? in
      guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
      var digits: [Int] = []
      for index in [0, 1, 2, 3, 5, 6, 8, 9] {
        let digit = Int(b[index]) - 0x30
        guard digit >= 0, digit <= 9 else { return nil }
        digits.append(digit)
      }
      let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
      let (month, day) = (digits[4] * 10 + digits[5], digits[6] * 10 + digits[7])
      guard (1...12).contains(month), (1...31).contains(day) else { return nil }
      return PublishedDate(year: year, month: month, day: day)
    }
    if let canonical { return canonical }
    let parts = iso.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
    return PublishedDate(year: parts[0], month: parts[1], day: parts[2])
  }
}
