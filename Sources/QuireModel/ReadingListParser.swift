import Foundation

/// Reads quire's first input format, the reading list:
///
///     - Published: 01 November 2017
///
///     **authors:** M Leshno, VY Lin**journal:** Neural Networks**publication year:** 1993**links:** ScienceDirect
///
///     **abstract:** Several researchers characterized …
///
///     - Paper added: Why are Deep Nets Reversible
///
/// Fields are `**name:** value` pairs that may run together on one line; values may sit in
/// parentheses, be empty, and links may be labels without URLs. Problems become diagnostics
/// naming the line and what was expected; the rest of the file still loads.
public struct ReadingListParser {
  public struct Result: Sendable {
    public var listings: [Listing]
    public var diagnostics: [Diagnostic]
  }

  /// The field names the format knows, as written between `**` and `:**`.
  public static let fieldNames = ["authors", "journal", "publication year", "links", "abstract"]

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears the share of lines read and the entries so far, now and then.
  public func parse(_ text: String, progress: ((Double, Int) -> Void)? = nil) -> Result {
    var listings: [Listing] = []
    var diagnostics: [Diagnostic] = []
    var current: Listing?
    var lastField: String?
    var continued = false  // the current abstract went on over more lines

    var lineNumber = 0
    var column = 1  // where the current line's text starts
    func problem(_ line: Int, _ message: String, at exact: Int? = nil, skipped: Bool = false) {
      diagnostics.append(
        Diagnostic(file: file, line: line, column: exact ?? (line == lineNumber ? column : 1), message: message, skipped: skipped))
    }

    func finish() {
      guard var listing = current else { return }
      current = nil
      lastField = nil
      if continued { listing.abstract = listing.abstract.map(TextNormalizer.collapseWhitespace) }
      continued = false
      if listing.authors.isEmpty && listing.abstract == nil && listing.title == nil {
        // One problem per line is enough: a bad date already points at this entry.
        let start = listing.source.line
        if diagnostics.reversed().prefix(while: { $0.line >= start }).contains(where: { $0.line == start }) { return }
        problem(listing.source.line, "entry has no authors or abstract; expected '**authors:**' and '**abstract:**' fields after '- Published:'", skipped: true)
        return
      }
      listings.append(listing)
    }

    // Split on \n only and drop a trailing \r, so CRLF files read the same and a stray
    // \r inside a line is kept for the display layer to show, not silently lost.
    let lines = Self.lines(of: text)
    for var line in lines {
      lineNumber += 1
      if let progress, lineNumber % 1024 == 0 { progress(Double(lineNumber) / Double(lines.count), listings.count) }
      if line.utf8.last == UInt8(ascii: "\r") { line = line.dropLast() }
      let trimmed = line.trimmingSpaces()
      if trimmed.isEmpty { continue }
      column = line[..<trimmed.startIndex].count + 1

      if trimmed.hasPrefix("- ") {
        finish()
        let body = trimmed.dropFirst(2).trimmingSpaces()
        if let rest = body.dropPrefix("Published:") {
          let value = rest.trimmingSpaces()
          var listing = Listing(source: SourceLocation(file: file, line: lineNumber))
          if let date = Self.parseDate(value) {
            listing.published = date
            listing.added = date.date
          } else {
            problem(
              lineNumber, "expected a date such as '01 November 2017' after 'Published:', found '\(value.prefix(40))'",
              at: line[..<value.startIndex].count + 1)
          }
          current = listing
        } else if let rest = body.dropPrefix("Paper added:") {
          let title = TextNormalizer.collapseWhitespace(String(rest))
          if title.isEmpty {
            problem(lineNumber, "expected a title after 'Paper added:'", skipped: true)
          } else {
            listings.append(Listing(title: title, source: SourceLocation(file: file, line: lineNumber)))
          }
        } else {
          problem(lineNumber, "expected '- Published: DATE' or '- Paper added: TITLE', found '\(body.prefix(40))'")
        }
        continue
      }

      guard current != nil else {
        problem(lineNumber, "expected '- Published: DATE' or '- Paper added: TITLE' to start an entry, found '\(trimmed.prefix(40))'")
        continue
      }

      let pieces = Self.splitFields(trimmed)
      if let lead = pieces.lead {
        if let field = lastField, field == "abstract" {
          // A line break inside an abstract: the text continues the field.
          // Appended as it is and collapsed once at the end of the entry: collapsing on
          // every line would cost the square of a long hard-wrapped abstract.
          current!.abstract = (current!.abstract ?? "") + " " + lead
          continued = true
        } else {
          problem(lineNumber, "expected a '**field:** value' pair, found '\(lead.prefix(40))'")
        }
      }
      for (name, value) in pieces.fields {
        lastField = name
        apply(field: name, value: value, to: &current!, line: lineNumber, problem: { problem($0, $1) })
      }
    }
    finish()
    // An entry's own problems are found when it ends, after those of its lines: sort them.
    diagnostics = diagnostics.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    return Result(listings: listings, diagnostics: diagnostics)
  }

  private func apply(
    field: String, value rawValue: String, to listing: inout Listing, line: Int,
    problem: (Int, String) -> Void
  ) {
    // Values start after "**name:**", usually with one space: trimmed first, most values
    // need no collapsing and take the fast path.
    let value = TextNormalizer.collapseWhitespace(String(rawValue.trimmingSpaces()))
    switch field {
    case "authors":
      listing.authors = Self.splitAuthors(value)
    case "journal":
      let venue = Self.unwrapParentheses(value)
      listing.venue = venue.isEmpty ? nil : venue
    case "publication year":
      let text = Self.unwrapParentheses(value)
      if text.isEmpty { break }
      if let year = Int(text), (1000...9999).contains(year) {
        listing.year = year
      } else {
        problem(line, "expected a year such as 2016 or (2016) in 'publication year', found '\(text.prefix(40))'")
      }
    case "links":
      listing.links = Self.splitLinks(value)
    case "abstract":
      listing.abstract = value.isEmpty ? nil : value
    default:
      let known = Self.fieldNames.joined(separator: ", ")
      problem(line, "unknown field '\(field)'; expected one of: \(known)")
    }
  }

  // MARK: - Pieces of the format

  /// The lines of a text, split at "\n" bytes: much faster than splitting Characters, and
  /// "\r\n" (one Character in Swift) splits the same way.
  static func lines(of text: String) -> [Substring] {
    var lines: [Substring] = []
    let utf8 = text.utf8
    var start = utf8.startIndex
    var index = start
    while index != utf8.endIndex {
      if utf8[index] == UInt8(ascii: "\n") {
        lines.append(text[start..<index])
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    lines.append(text[start..<utf8.endIndex])
    return lines
  }

  /// Where an ASCII needle starts in a line, searching its bytes.
  static func find(_ needle: StaticString, in line: Substring, from: Substring.Index) -> Range<Substring.Index>? {
    let bytes = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    let utf8 = line.utf8
    var index = from
    while index != utf8.endIndex {
      if utf8[index] == bytes[0] {
        var probe = index
        var matched = 0
        while matched < bytes.count, probe != utf8.endIndex, utf8[probe] == bytes[matched] {
          matched += 1
          probe = utf8.index(after: probe)
        }
        if matched == bytes.count { return index..<probe }
      }
      index = utf8.index(after: index)
    }
    return nil
  }

  /// Splits `**a:** x**b:** y` into [("a", "x"), ("b", "y")]; text before the first
  /// marker is returned as `lead`.
  static func splitFields(_ line: Substring) -> (lead: String?, fields: [(String, String)]) {
    var fields: [(String, String)] = []
    var lead: String?
    var rest = line[...]
    var pendingName: String?
    while true {
      guard let open = find("**", in: rest, from: rest.startIndex),
        let close = find(":**", in: rest, from: open.upperBound),
        !rest[open.upperBound..<close.lowerBound].utf8.contains(UInt8(ascii: "*"))
      else {
        let text = String(rest)
        if let name = pendingName {
          fields.append((name, text))
        } else if !text.trimmingSpaces().isEmpty {
          lead = String(text.trimmingSpaces())
        }
        break
      }
      let before = String(rest[..<open.lowerBound])
      if let name = pendingName {
        fields.append((name, before))
      } else if !before.trimmingSpaces().isEmpty {
        lead = String(before.trimmingSpaces())
      }
      pendingName = rest[open.upperBound..<close.lowerBound].trimmingSpaces().lowercased()
      rest = rest[close.upperBound...]
    }
    return (lead, fields)
  }

  /// "(ICML 2014)" → "ICML 2014"; a value only partly in parentheses is left alone.
  static func unwrapParentheses(_ value: String) -> String {
    let trimmed = value.trimmingSpaces()
    guard trimmed.hasPrefix("("), trimmed.hasSuffix(")"), trimmed.count >= 2 else {
      return String(trimmed)
    }
    let inner = trimmed.dropFirst().dropLast()
    // "(a) and (b)" is not one parenthesised value.
    var depth = 0
    for ch in inner {
      if ch == "(" { depth += 1 }
      if ch == ")" {
        depth -= 1
        if depth < 0 { return String(trimmed) }
      }
    }
    return String(inner.trimmingSpaces())
  }

  static func splitAuthors(_ value: String) -> [String] {
    value.split(separator: ",")
      .flatMap { $0.components(separatedBy: " and ") }
      .map { String($0.trimmingSpaces()) }
      .filter { !$0.isEmpty }
  }

  /// "arxiv (preprint), IEEE" → two labels; commas inside parentheses do not split.
  static func splitLinks(_ value: String) -> [PaperLink] {
    var items: [String] = []
    var current = ""
    var depth = 0
    for ch in value {
      if ch == "(" { depth += 1 }
      if ch == ")" { depth = max(0, depth - 1) }
      if ch == "," && depth == 0 {
        items.append(current)
        current = ""
      } else {
        current.append(ch)
      }
    }
    items.append(current)
    return items.map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty }.map(Self.link)
  }

  /// A link token: a bare URL, a Markdown `[label](url)`, `label <url>`, or just a label.
  static func link(_ token: String) -> PaperLink {
    if token.hasPrefix("["), let mid = token.range(of: "]("), token.hasSuffix(")") {
      let label = String(token[token.index(after: token.startIndex)..<mid.lowerBound])
      let url = String(token[mid.upperBound..<token.index(before: token.endIndex)])
      return PaperLink(label: label.isEmpty ? url : label, url: url)
    }
    if let open = token.lastIndex(of: "<"), token.hasSuffix(">") {
      let url = String(token[token.index(after: open)..<token.index(before: token.endIndex)])
      if isURL(url) {
        let label = String(token[..<open].trimmingSpaces())
        return PaperLink(label: label.isEmpty ? url : label, url: url)
      }
    }
    if isURL(token) { return PaperLink(label: token, url: token) }
    return PaperLink(label: token)
  }

  static func isURL(_ text: String) -> Bool {
    text.hasPrefix("https://") || text.hasPrefix("http://") || text.hasPrefix("doi:")
  }

  /// "01 November 2017" or "1 Nov 2017".
  static func parseDate(_ value: Substring) -> PublishedDate? {
    let parts = value.split(separator: " ")
    guard parts.count == 3, let day = Int(parts[0]), let year = Int(parts[2]),
      (1...31).contains(day), (1000...9999).contains(year)
    else { return nil }
    let name = parts[1].lowercased()
    guard name.count >= 3,
      let month = PublishedDate.monthNames.firstIndex(where: { $0.hasPrefix(name) })
    else { return nil }
    return PublishedDate(year: year, month: month + 1, day: day)
  }
}

extension StringProtocol {
  func trimmingSpaces() -> SubSequence {
    var start = startIndex
    var end = endIndex
    while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
    while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
      end = index(before: end)
    }
    return self[start..<end]
  }
}

extension Substring {
  func dropPrefix(_ prefix: String) -> Substring? {
    hasPrefix(prefix) ? dropFirst(prefix.count) : nil
  }
}
