import Foundation

/// The formats quire reads, recognised by their content (a file name is only a hint).
public enum ImportFormat: String, CaseIterable, Sendable {
  case readingList = "reading-list"
  case bibtex
  case atom
  case ris
  case cslJSON = "csl-json"
  case jsonl

  /// What a file holds, judged from its first meaningful text, then its name.
  public static func detect(_ text: String, name: String) -> ImportFormat? {
    var head = Substring(text.prefix(64 * 1024))
    if head.unicodeScalars.first == "\u{FEFF}" { head = head.dropFirst() }
    let trimmed = head.drop { $0.isWhitespace }
    if trimmed.hasPrefix("<") { return .atom }
    if trimmed.hasPrefix("[") { return .cslJSON }
    if trimmed.hasPrefix("{") {
      // One object per line is quire's JSON Lines; one object over many lines is CSL-JSON.
      let firstLine = trimmed.prefix { $0 != "\n" }
      if (try? JSONSerialization.jsonObject(with: Data(firstLine.utf8))) is [String: Any] { return .jsonl }
      return .cslJSON
    }
    for line in ReadingListParser.lines(of: String(head)).prefix(200) {
      let stripped = line.trimmingSpaces()
      if stripped.hasPrefix("- Published:") || stripped.hasPrefix("- Paper added:") { return .readingList }
      if RISParser.tagLine(line) != nil, line.hasPrefix("TY  -") { return .ris }
      if stripped.hasPrefix("@"), stripped.dropFirst().prefix(while: { $0.isLetter }).count > 0 { return .bibtex }
    }
    switch (name as NSString).pathExtension.lowercased() {
    case "bib", "bibtex": return .bibtex
    case "ris": return .ris
    case "xml", "atom": return .atom
    case "jsonl", "ndjson": return .jsonl
    case "json": return .cslJSON
    case "txt", "md": return .readingList
    default: return nil
    }
  }
}

/// Reads any supported file into listings, with what each carried of reading state.
public enum Importer {
  public struct FileResult: Sendable {
    public var format: ImportFormat
    public var listings: [Listing]
    public var diagnostics: [Diagnostic]
    /// The reading state each listing carried (quire's own JSON Lines only).
    public var states: [PaperState]? = nil
  }

  public struct ReadError: Error, CustomStringConvertible {
    public var description: String
  }

  /// `progress` hears the share of the file done, from 0 to 1, and the entries handled so
  /// far, for a progress bar.
  public static func read(
    _ data: Data, file: String, format forced: ImportFormat? = nil, progress: ((Double, Int) -> Void)? = nil
  ) throws(ReadError) -> FileResult {
    if data.contains(0) {
      throw ReadError(description: "\(file): not a text file (it contains NUL bytes); expected BibTeX, RIS, Atom, CSL-JSON, JSON Lines or a reading list")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ReadError(description: "\(file): not valid UTF-8; convert it first (for example with iconv -t UTF-8)")
    }
    guard let format = forced ?? ImportFormat.detect(text, name: file) else {
      throw ReadError(description: "\(file): cannot tell the format; expected BibTeX, RIS, Atom, CSL-JSON, JSON Lines or a reading list (--format names one)")
    }
    switch format {
    case .readingList:
      let result = ReadingListParser(file: file).parse(text, progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics)
    case .bibtex:
      // Reading the entries is the first half of the work, turning their TeX into text the second.
      let result = BibTeXParser(file: file).parse(text, progress: progress.map { report in { report($0 / 2, $1) } })
      var listings: [Listing] = []
      listings.reserveCapacity(result.entries.count)
      for (index, entry) in result.entries.enumerated() {
        if let progress, index % 256 == 0 {
          progress(0.5 + Double(index) / Double(2 * result.entries.count), result.entries.count)
        }
        listings.append(entry.listing(file: file))
      }
      // quire's own BibTeX export carries status and tags; other BibTeX's keywords are
      // the authors', not the reader's, and are left alone.
      let ours = result.entries.contains { $0["quire-status"] != nil }
      let states = ours ? result.entries.map(\.carriedState) : nil
      return FileResult(format: format, listings: listings, diagnostics: result.diagnostics, states: states)
    case .ris:
      let result = RISParser(file: file).parse(text, progress: progress)
      return FileResult(format: format, listings: result.records.map { $0.listing(file: file) }, diagnostics: result.diagnostics)
    case .atom:
      let result = AtomParser(file: file).parse(data, progress: progress)
      return FileResult(format: format, listings: result.entries.map { $0.listing(file: file) }, diagnostics: result.diagnostics)
    case .cslJSON:
      let result = CSLJSONParser(file: file).parse(data, progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics)
    case .jsonl:
      let result = JSONLinesParser(file: file).parse(text, progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics, states: result.states)
    }
  }
}
