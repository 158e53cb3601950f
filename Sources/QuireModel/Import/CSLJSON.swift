import Foundation

/// Reads CSL-JSON, what Zotero and pandoc write: an array of items with `title`,
/// `author` ([{family, given}] or {literal}), `container-title`, `issued.date-parts`,
/// `abstract`, `DOI` and `URL`.
public struct CSLJSONParser {
  public struct Result: Sendable {
    public var listings: [Listing]
    public var diagnostics: [Diagnostic]
  }

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears the share of items done and the items so far, now and then.
  public func parse(_ data: Data, progress: ((Double, Int) -> Void)? = nil) -> Result {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      let (line, column) = JSONErrors.location(of: error, in: data)
      return Result(listings: [], diagnostics: [
        Diagnostic(file: file, line: line, column: column, message: "expected CSL-JSON, an array of items: \(JSONErrors.reason(error))", skipped: true)
      ])
    }
    // pandoc writes an array; some tools write {"items": [...]} or one item.
    let items: [Any]
    if let array = object as? [Any] {
      items = array
    } else if let wrapper = object as? [String: Any], let array = wrapper["items"] as? [Any] {
      items = array
    } else if let single = object as? [String: Any] {
      items = [single]
    } else {
      return Result(listings: [], diagnostics: [Diagnostic(file: file, line: 1, column: 1, message: "expected CSL-JSON, an array of items", skipped: true)])
    }
    var listings: [Listing] = []
    var diagnostics: [Diagnostic] = []
    let starts = JSONErrors.itemLines(in: data)
    for (index, value) in items.enumerated() {
      if let progress, index % 256 == 0 { progress(Double(index) / Double(items.count), index) }
      let line = index < starts.count ? starts[index] : 1
      guard let item = value as? [String: Any] else {
        diagnostics.append(Diagnostic(file: file, line: line, message: "item \(index + 1): expected an object", skipped: true))
        continue
      }
      var listing = Listing(source: SourceLocation(file: file, line: line))
      if let title = item["title"] as? String, !title.isEmpty { listing.title = TextNormalizer.collapseWhitespace(title) }
      for person in (item["author"] as? [[String: Any]]) ?? (item["editor"] as? [[String: Any]]) ?? [] {
        let literal = person["literal"] as? String
        let family = [person["non-dropping-particle"] as? String, person["family"] as? String].compactMap { $0 }.joined(separator: " ")
        let name = literal ?? Paper.joinName(given: person["given"] as? String ?? "", family: family)
        let clean = TextNormalizer.collapseWhitespace(name)
        if !clean.isEmpty { listing.authors.append(clean) }
      }
      for field in ["container-title", "event-title", "publisher"] {
        if let venue = item[field] as? String, !venue.isEmpty {
          listing.venue = TextNormalizer.collapseWhitespace(venue)
          break
        }
      }
      if let issued = item["issued"] as? [String: Any], let parts = (issued["date-parts"] as? [[Any]])?.first {
        let numbers = parts.compactMap { ($0 as? Int) ?? ($0 as? String).flatMap { Int($0) } }
        if let year = numbers.first, (1000...9999).contains(year) { listing.year = year }
        if numbers.count >= 3, (1...12).contains(numbers[1]), (1...31).contains(numbers[2]) {
          listing.published = PublishedDate(year: numbers[0], month: numbers[1], day: numbers[2])
        }
      }
      if let abstract = item["abstract"] as? String, !abstract.isEmpty {
        listing.abstract = TextNormalizer.collapseWhitespace(abstract)
      }
      if let doi = item["DOI"] as? String, !doi.isEmpty {
        listing.links.append(PaperLink(label: "doi:\(doi)", url: "https://doi.org/\(doi)"))
      }
      if let url = item["URL"] as? String, !url.isEmpty, !listing.links.contains(where: { $0.url == url }) {
        listing.links.append(PaperLink(label: url, url: url))
      }
      if listing.title == nil && listing.authors.isEmpty && listing.abstract == nil {
        diagnostics.append(Diagnostic(file: file, line: line, message: "item \(index + 1): expected a title, authors or an abstract", skipped: true))
        continue
      }
      listings.append(listing)
    }
    return Result(listings: listings, diagnostics: diagnostics)
  }
}

/// Turning Foundation's JSON errors into file positions.
enum JSONErrors {
  static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    return nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? nsError.localizedDescription
  }

  /// Line and column of a syntax error, from the character offset Foundation reports.
  static func location(of error: Error, in data: Data) -> (Int, Int) {
    let message = reason(error)
    guard let range = message.range(of: "around character "),
      let offset = Int(message[range.upperBound...].prefix { $0.isNumber }), offset <= data.count
    else { return (1, 1) }
    var line = 1
    var column = 1
    for byte in data.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }

  /// The line each top-level array item starts on, found by scanning outside strings:
  /// JSONSerialization does not say where values were.
  static func itemLines(in data: Data) -> [Int] {
    var lines: [Int] = []
    var line = 1
    var depth = 0
    var inString = false
    var escaped = false
    var expectingItem = false
    for byte in data {
      if byte == UInt8(ascii: "\n") { line += 1 }
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      if byte <= 0x20 { continue }
      if depth == 1, expectingItem, byte != UInt8(ascii: "]") {
        lines.append(line)
        expectingItem = false
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
        if depth == 1 { expectingItem = true }
      case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
      case UInt8(ascii: ","): if depth == 1 { expectingItem = true }
      default: break
      }
    }
    return lines
  }
}
