/// One RIS record: its tags in file order, repeated tags (AU, KW, UR) kept in order, and
/// wrapped continuation lines joined to the value they continue.
public struct RISRecord: Equatable, Sendable {
  public var fields: [(tag: String, value: String)]
  public var line: Int

  public func values(_ tags: String...) -> [String] {
    fields.filter { tags.contains($0.tag) }.map(\.value)
  }

  public func first(_ tags: String...) -> String? {
    fields.first { tags.contains($0.tag) }?.value
  }

  public static func == (a: RISRecord, b: RISRecord) -> Bool {
    a.line == b.line && a.fields.map(\.tag) == b.fields.map(\.tag) && a.fields.map(\.value) == b.fields.map(\.value)
  }
}

/// Reads RIS, what reference managers export: `TY  - JOUR` starts a record, `ER  -` ends
/// it, `XX  - value` lines carry fields, and a line without a tag continues the previous
/// value. Problems are reported as `file:line:column: …` and reading goes on.
public struct RISParser {
  public struct Result: Sendable {
    public var records: [RISRecord]
    public var diagnostics: [Diagnostic]
  }

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears the share of lines read and the records so far, now and then.
  public func parse(_ text: String, progress: ((Double, Int) -> Void)? = nil) -> Result {
    var records: [RISRecord] = []
    var diagnostics: [Diagnostic] = []
    var current: RISRecord?
    var lineNumber = 0
    var lastWritten = 0  // the last line with text, where a missing end is reported
    let lines = ReadingListParser.lines(of: text)
    for var line in lines {
      lineNumber += 1
      if let progress, lineNumber % 1024 == 0 { progress(Double(lineNumber) / Double(lines.count), records.count) }
      if !line.isEmpty { lastWritten = lineNumber }
      if line.utf8.last == UInt8(ascii: "\r") { line = line.dropLast() }
      if lineNumber == 1, line.unicodeScalars.first == "\u{FEFF}" { line = line.dropFirst() }
      if let (tag, value) = Self.tagLine(line) {
        switch tag {
        case "TY":
          if let open = current {
            diagnostics.append(Diagnostic(file: file, line: lineNumber, column: 1, message: "expected 'ER  -' to end the record started at line \(open.line) before a new 'TY'"))
            records.append(open)
          }
          current = RISRecord(fields: [("TY", value)], line: lineNumber)
        case "ER":
          if let open = current {
            records.append(open)
          } else {
            diagnostics.append(Diagnostic(file: file, line: lineNumber, column: 1, message: "'ER' without a record; expected 'TY  - TYPE' first"))
          }
          current = nil
        default:
          if current == nil {
            diagnostics.append(Diagnostic(file: file, line: lineNumber, column: 1, message: "'\(tag)' outside a record; expected 'TY  - TYPE' first"))
          } else {
            current!.fields.append((tag, value))
          }
        }
        continue
      }
      let trimmed = line.trimmingSpaces()
      if trimmed.isEmpty { continue }
      if current != nil, !current!.fields.isEmpty {
        // A wrapped line: it continues the last value.
        let last = current!.fields.count - 1
        current!.fields[last].value += (current!.fields[last].value.isEmpty ? "" : " ") + trimmed
      } else {
        diagnostics.append(Diagnostic(file: file, line: lineNumber, column: 1, message: "expected a 'XX  - value' line, found '\(trimmed.prefix(40))'"))
      }
    }
    if let open = current {
      diagnostics.append(Diagnostic(file: file, line: lastWritten, column: 1, message: "expected 'ER  -' to end the record started at line \(open.line)"))
      records.append(open)
    }
    return Result(records: records, diagnostics: diagnostics)
  }

  /// `AU  - Perozzi, Bryan`: two capitals or a capital and a digit, two spaces, a dash.
  /// Exports differ in the spacing after the dash, and `ER  -` has no value at all.
  static func tagLine(_ line: Substring) -> (String, String)? {
    let scalars = Array(line.unicodeScalars.prefix(6))
    guard scalars.count >= 5,
      ("A"..."Z").contains(scalars[0]), ("A"..."Z").contains(scalars[1]) || ("0"..."9").contains(scalars[1]),
      scalars[2] == " ", scalars[3] == " ", scalars[4] == "-"
    else { return nil }
    let tag = String(String.UnicodeScalarView(scalars[0..<2]))
    let value = line.unicodeScalars.dropFirst(5)
    return (tag, String(String(value).trimmingSpaces()))
  }
}

extension RISRecord {
  /// The paper this record describes.
  public func listing(file: String) -> Listing {
    var listing = Listing(source: SourceLocation(file: file, line: line))
    if let title = first("TI", "T1", "CT"), !title.isEmpty { listing.title = TextNormalizer.collapseWhitespace(title) }
    listing.authors = values("AU", "A1", "A2").map { name in
      let parts = name.split(separator: ",", maxSplits: 1).map { String($0.trimmingSpaces()) }
      return TextNormalizer.collapseWhitespace(parts.count == 2 ? Paper.joinName(given: parts[1], family: parts[0]) : name)
    }.filter { !$0.isEmpty }
    if let venue = first("JO", "JF", "T2", "BT", "JA", "PB"), !venue.isEmpty { listing.venue = venue }
    if let year = first("PY", "Y1", "DA"), let digits = Int(String(year.prefix(4))), (1000...9999).contains(digits) {
      listing.year = digits
    }
    if let abstract = first("AB", "N2"), !abstract.isEmpty { listing.abstract = TextNormalizer.collapseWhitespace(abstract) }
    if let doi = first("DO"), !doi.isEmpty {
      listing.links.append(PaperLink(label: "doi:\(doi)", url: "https://doi.org/\(doi)"))
    }
    for url in values("UR", "L1", "L2") where !url.isEmpty && !listing.links.contains(where: { $0.url == url }) {
      listing.links.append(PaperLink(label: url, url: url))
    }
    return listing
  }
}
