import Foundation

/// Reads quire's own JSON Lines, as `quire list` prints them: one paper a line, with its
/// reading status and tags, so that an export comes back as it went out.
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
    var result = Result(listings: [], states: [], diagnostics: [])
    var lineNumber = 0
    let lines = ReadingListParser.lines(of: text)
    for line in lines {
      lineNumber += 1
      if let progress, lineNumber % 1024 == 0 { progress(Double(lineNumber) / Double(lines.count), result.listings.count) }
      if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
      let data = Data(line.utf8)
      guard let object = try? JSONSerialization.jsonObject(with: data), let paper = object as? [String: Any] else {
        var column = 1
        do { _ = try JSONSerialization.jsonObject(with: data) } catch { column = JSONErrors.location(of: error, in: data).1 }
        result.diagnostics.append(Diagnostic(file: file, line: lineNumber, column: column, message: "expected one JSON object per line, as `quire list` writes", skipped: true))
        continue
      }
      var listing = Listing(source: SourceLocation(file: file, line: lineNumber))
      if paper["untitled"] as? Bool != true, let title = paper["title"] as? String, !title.isEmpty { listing.title = title }
      listing.authors = (paper["authors"] as? [String]) ?? []
      listing.year = paper["year"] as? Int
      listing.venue = paper["venue"] as? String
      if let iso = paper["published"] as? String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        if parts.count == 3 { listing.published = PublishedDate(year: parts[0], month: parts[1], day: parts[2]) }
      }
      listing.added = (paper["added"] as? String).flatMap(Timestamp.parse)
      for link in (paper["links"] as? [[String: Any]]) ?? [] {
        guard let label = link["label"] as? String else { continue }
        listing.links.append(PaperLink(label: label, url: link["url"] as? String))
      }
      listing.abstract = paper["abstract"] as? String
      listing.doi = paper["doi"] as? String
      listing.arxiv = paper["arxiv"] as? String
      listing.categories = (paper["categories"] as? [String]) ?? []
      listing.arxivVersion = paper["arxivVersion"] as? Int
      listing.extra = (paper["extra"] as? [String: String]) ?? [:]
      if let iso = paper["updated"] as? String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        if parts.count == 3 { listing.updated = PublishedDate(year: parts[0], month: parts[1], day: parts[2]) }
      }
      if listing.title == nil && listing.abstract == nil && listing.authors.isEmpty {
        result.diagnostics.append(Diagnostic(file: file, line: lineNumber, column: 1, message: "expected a paper with a title, authors or an abstract", skipped: true))
        continue
      }
      var state = PaperState()
      if let status = (paper["status"] as? String).flatMap(ReadStatus.init(rawValue:)) { state.status = status }
      if let note = paper["note"] as? String, !note.isEmpty { state.note = note }
      for tag in ((paper["tags"] as? [String]) ?? []).map(ReadingState.normalizeTag) where !tag.isEmpty && !state.tags.contains(tag) {
        state.tags.append(tag)
      }
      result.listings.append(listing)
      result.states.append(state)
      // Other listings of the same paper travel with it.
      for other in (paper["alsoListed"] as? [[String: Any]]) ?? [] {
        var alternate = listing
        alternate.year = other["year"] as? Int
        alternate.venue = other["venue"] as? String
        alternate.authors = (other["authors"] as? [String]) ?? listing.authors
        result.listings.append(alternate)
        result.states.append(state)
      }
    }
    return result
  }
}
