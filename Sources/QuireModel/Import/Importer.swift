import Foundation

/// The formats quire reads, recognised by their content (a file name is only a hint).
public enum ImportFormat: String, CaseIterable, Sendable {
  case readingList = "reading-list"
  case bibtex
  case atom
  case rss
  case ris
  case cslJSON = "csl-json"
  case jsonl

  /// What a file holds, judged from its first meaningful text, then its name.
  public static func detect(_ text: String, name: String) -> ImportFormat? {
    var head = Substring(text.prefix(DetectionText.charactersLookedAt))
    if head.unicodeScalars.first == "\u{FEFF}" { head = head.dropFirst() }
    let trimmed = head.drop { $0.isWhitespace }
    // XML: RSS when its root element says so (<rss>, <rdf:RDF>), Atom otherwise.
    if trimmed.hasPrefix("<") { return XMLRoot(Array(trimmed.utf8.prefix(XMLRoot.bytesLookedAt))).isRSS ? .rss : .atom }
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
    case "rss": return .rss
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
    withoutEmptyListings(try readListings(data, file: file, format: forced, progress: progress), file: file)
  }

  /// A listing without a title, authors or an abstract is left out, with a problem at its
  /// line, as the reading-list and CSL-JSON readers do themselves: nothing tells it from
  /// another, and quire's library file does not take it back (`StoredLine.decode`), so
  /// once imported it made every later import fail. (Found by the fuzz targets: a BibTeX
  /// `@misc{key, year = 2016}`, an Atom `<entry/>`, a RIS record with only a year.)
  static func withoutEmptyListings(_ result: FileResult, file: String) -> FileResult {
    func isEmpty(_ listing: Listing) -> Bool {
      (listing.title ?? "").isEmpty && listing.authors.isEmpty && listing.abstract == nil
    }
    guard result.listings.contains(where: isEmpty) else { return result }
    var kept = result
    kept.listings = []
    kept.states = result.states.map { _ in [] }
    for (index, listing) in result.listings.enumerated() {
      if isEmpty(listing) {
        kept.diagnostics.append(
          Diagnostic(file: file, line: max(1, listing.source.line), message: "expected a title, authors or an abstract; entry left out", skipped: true))
        continue
      }
      kept.listings.append(listing)
      if let states = result.states { kept.states!.append(states[index]) }
    }
    // In the order of the file, as each reader gives its problems.
    kept.diagnostics = kept.diagnostics.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    return kept
  }

  static func readListings(
    _ data: Data, file: String, format forced: ImportFormat?, progress: ((Double, Int) -> Void)?
  ) throws(ReadError) -> FileResult {
    if data.withUnsafeBytes({ buffer in buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false }) {
      throw ReadError(description: "\(file): not a text file (it contains NUL bytes); expected BibTeX, RIS, Atom, RSS, CSL-JSON, JSON Lines or a reading list")
    }
    let notUTF8 = ReadError(description: "\(file): not valid UTF-8; convert it first (for example with iconv -t UTF-8)")
    var text: String?
    let format: ImportFormat
    if let forced {
      format = forced
    } else {
      let head: String
      switch DetectionText(data) {
      case .invalid: throw notUTF8
      case .head(let start): head = start
      case .whole(let whole):
        text = whole
        head = whole
      }
      guard let detected = ImportFormat.detect(head, name: file) else {
        // A file that is not UTF-8 is reported as such, whatever its start looks like.
        if text == nil, String(data: data, encoding: .utf8) == nil { throw notUTF8 }
        throw ReadError(description: "\(file): cannot tell the format; expected BibTeX, RIS, Atom, RSS, CSL-JSON, JSON Lines or a reading list (--format names one)")
      }
      format = detected
    }
    // Every format but BibTeX is read from the whole text, or once it is known to be text.
    func wholeText() throws(ReadError) -> String {
      guard let whole = text ?? String(data: data, encoding: .utf8) else { throw notUTF8 }
      return whole
    }
    switch format {
    case .readingList:
      let result = ReadingListParser(file: file).parse(try wholeText(), progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics)
    case .bibtex:
      // The largest libraries come as BibTeX: read from the file's bytes, on all cores.
      let read = data.withUnsafeBytes { raw in
        BibTeXImport.read(DetectionText.withoutByteOrderMark(raw.bindMemory(to: UInt8.self)), file: file, progress: progress)
      }
      guard let result = read else { throw notUTF8 }
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics, states: result.states)
    case .ris:
      let result = RISParser(file: file).parse(try wholeText(), progress: progress)
      return FileResult(format: format, listings: result.records.map { $0.listing(file: file) }, diagnostics: result.diagnostics)
    case .atom:
      try refuseHTML(wholeText(), file: file)
      let result = AtomParser(file: file).parse(data, progress: progress)
      return FileResult(format: format, listings: result.entries.map { $0.listing(file: file) }, diagnostics: result.diagnostics)
    case .rss:
      try refuseHTML(wholeText(), file: file)
      let result = RSSParser(file: file).parse(data, progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics)
    case .cslJSON:
      _ = try wholeText()
      let result = CSLJSONParser(file: file).parse(data, progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics)
    case .jsonl:
      let result = JSONLinesParser(file: file).parse(try wholeText(), progress: progress)
      return FileResult(format: format, listings: result.listings, diagnostics: result.diagnostics, states: result.states)
    }
  }

  /// An HTML page where a feed was expected (a server's error or sign-in page, saved in
  /// place of the feed) is refused, with its title, rather than read as broken XML.
  static func refuseHTML(_ text: String, file: String) throws(ReadError) {
    let head = Array(text.utf8.prefix(XMLRoot.bytesLookedAt))
    guard XMLRoot(head).isHTML else { return }
    let title = XMLRoot.htmlTitle(head).map { " titled \"\($0)\"" } ?? ""
    throw ReadError(
      description: "\(file): an HTML page\(title), not a feed (what a server sends when it fails or asks to sign in); expected BibTeX, RIS, Atom, RSS, CSL-JSON, JSON Lines or a reading list")
  }
}

/// The start of a file's text, enough to tell its format: `ImportFormat.detect` looks at
/// the first 64K characters only, so a large file need not become one String for it.
/// The text is what `String(data:encoding: .utf8)` makes of the file, byte order mark
/// dropped.
enum DetectionText {
  /// The text of a file this small or smaller is made whole.
  static let wholeLimit = 1 << 20
  /// How much of the text `ImportFormat.detect` looks at.
  static let charactersLookedAt = 64 * 1024

  case head(String)
  case whole(String)
  case invalid

  init(_ data: Data) {
    enum Start {
      case prefix(String)
      case small
      case invalid
    }
    let start = data.withUnsafeBytes { raw -> Start in
      let bytes = Self.withoutByteOrderMark(raw.bindMemory(to: UInt8.self))
      guard bytes.count > Self.wholeLimit else { return .small }
      // Cut before a scalar: a prefix of valid UTF-8 is valid, so an invalid one means
      // the whole file is not UTF-8.
      var cut = Self.wholeLimit
      while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
      let prefix = UnsafeBufferPointer(rebasing: bytes[..<cut])
      return UTF8Text.isValid(prefix) ? .prefix(String(decoding: prefix, as: UTF8.self)) : .invalid
    }
    switch start {
    case .invalid:
      self = .invalid
    // Characters may run on past the cut: the first 64K are whole when one more follows.
    case .prefix(let text) where text.count(atLeast: Self.charactersLookedAt + 1):
      self = .head(text)
    case .prefix, .small:
      self = String(data: data, encoding: .utf8).map(DetectionText.whole) ?? .invalid
    }
  }

  /// The bytes without the UTF-8 byte order mark `String(data:encoding:)` drops.
  static func withoutByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF else { return bytes }
    return UnsafeBufferPointer(rebasing: bytes[3...])
  }
}

extension String {
  /// Whether the text has `count` Characters or more, found without counting them all.
  fileprivate func count(atLeast count: Int) -> Bool {
    index(startIndex, offsetBy: count - 1, limitedBy: endIndex).map { $0 < endIndex } ?? false
  }
}
