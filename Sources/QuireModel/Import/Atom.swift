import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One entry of an Atom feed, with the arXiv extensions when present.
public struct AtomEntry: Equatable, Sendable {
  public var id = ""
  public var title = ""
  public var authors: [String] = []
  public var summary = ""
  public var published = ""
  public var updated = ""
  public var categories: [String] = []
  public var doi: String?
  public var journalRef: String?
  public var links: [PaperLink] = []
  public var line = 0

  /// "1601.00001" and 1 from "http://arxiv.org/abs/1601.00001v1"; old-style ids
  /// ("hep-th/9901001v2") too.
  public var arxivID: (id: String, version: Int?)? {
    guard let range = id.range(of: "arxiv.org/abs/") else { return nil }
    let full = String(id[range.upperBound...])
    if let v = full.lastIndex(of: "v"), let version = Int(full[full.index(after: v)...]) {
      return (String(full[..<v]), version)
    }
    return (full, nil)
  }
}

/// Reads Atom feeds such as the arXiv API's, old and new layouts (namespaces declared on
/// the root or on each element, elements in any order).
public struct AtomParser {
  public struct Result: Sendable {
    public var entries: [AtomEntry]
    public var diagnostics: [Diagnostic]
  }

  static let atom = "http://www.w3.org/2005/Atom"
  static let arxiv = "http://arxiv.org/schemas/atom"

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears the share of lines read and the entries so far, now and then.
  public func parse(_ data: Data, progress: ((Double, Int) -> Void)? = nil) -> Result {
    let (data, entityDeclaration) = Self.safeForXMLParser(data)
    if let (line, column) = entityDeclaration {
      return Result(entries: [], diagnostics: [
        Diagnostic(file: file, line: line, column: column, message: "expected an Atom feed without entity declarations (<!ENTITY …>), which quire does not read; the rest of the file is not read", skipped: true)
      ])
    }
    let parser = XMLParser(data: data)
    let reader = Reader()
    if let progress {
      let lines = max(1, data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) })
      reader.onEntry = { line, count in if count % 256 == 0 { progress(Double(line) / Double(lines), count) } }
    }
    parser.shouldProcessNamespaces = true
    parser.delegate = reader
    let parsed = parser.parse()
    let diagnostics = Self.problems(
      of: parser, parsed: parsed, unclosed: reader.open.last, sawRoot: reader.sawFeed, root: "an Atom <feed> element", file: file)
    return Result(entries: reader.entries, diagnostics: diagnostics)
  }

  /// What went wrong in one run of XMLParser over a feed, as both feed readers tell it:
  /// XML that is not well-formed, a document that stops with `unclosed` open, or no root
  /// element of the kind expected.
  static func problems(of parser: XMLParser, parsed: Bool, unclosed: String?, sawRoot: Bool, root: String, file: String) -> [Diagnostic] {
    if !parsed {
      let error = parser.parserError as NSError?
      let reason = error.flatMap { Self.xmlErrors[$0.code] } ?? error?.localizedDescription ?? "not well-formed XML"
      return [Diagnostic(file: file, line: parser.lineNumber, column: parser.columnNumber, message: "expected well-formed XML: \(reason); the rest of the file is not read", skipped: true)]
    }
    if let unclosed {
      // Some XML parsers accept a document that simply stops: say what is missing.
      return [Diagnostic(file: file, line: parser.lineNumber, column: parser.columnNumber, message: "expected </\(unclosed)> before the end of the file", skipped: true)]
    }
    return sawRoot ? [] : [Diagnostic(file: file, line: 1, column: 1, message: "expected \(root)")]
  }

  /// libxml2's commonest complaints in words; Foundation on Linux gives only their numbers
  /// ("NSXMLParserErrorDomain error 76").
  static let xmlErrors: [Int: String] = [
    4: "the document is empty", 5: "the document ends too early", 9: "a character XML does not allow (a control character?)",
    23: "expected '>' to close a tag", 26: "an entity reference that is not defined", 38: "expected '=' after an attribute name",
    39: "an attribute value without quotes", 41: "an attribute given twice", 68: "expected a name after '&' or '<'",
    73: "expected '>' to close an end tag", 76: "an end tag that does not match its start tag",
  ]

  /// The bytes to give XMLParser, and where an entity declaration is (line and column), if
  /// there is one. Foundation's XMLParser on Linux crashes (strlen of NULL) on a processing
  /// instruction without data, such as `<?page?>`: each such one gets a space before its
  /// `?>`, which libxml2 reads as the same instruction with empty data. One could also be
  /// made by an entity's value (`<!ENTITY e "&#60;?page?>">`), so a document that declares
  /// entities is not read at all: an Atom feed has none. Every `<` is looked at, even
  /// inside comments, CDATA and other instructions: libxml2 may end those elsewhere than a
  /// simple reading would, where they are malformed. (Found by the atom fuzz target.)
  static func safeForXMLParser(_ data: Data) -> (Data, entityDeclaration: (line: Int, column: Int)?) {
    data.withUnsafeBytes { raw -> (Data, (line: Int, column: Int)?) in
      let bytes = raw.bindMemory(to: UInt8.self)
      guard let base = bytes.baseAddress else { return (data, nil) }
      func starts(_ text: StaticString, at index: Int) -> Bool {
        bytes.count - index >= text.utf8CodeUnitCount && memcmp(base + index, text.utf8Start, text.utf8CodeUnitCount) == 0
      }
      var spaces: [Int] = []
      var index = 0
      while index < bytes.count, let found = memchr(base + index, 0x3C, bytes.count - index) {
        let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        index = at + 1
        if starts("<!ENTITY", at: at) {
          let lineStart = bytes[..<at].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
          return (data, (bytes[..<at].count { $0 == 0x0A } + 1, at - lineStart + 1))
        }
        guard starts("<?", at: at) else { continue }
        // The target, a name, runs to white space or "?>" (and cannot hold a "<", where the
        // next one is looked at); ending at "?>", it has no data.
        var end = at + 2
        while end < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x3C].contains(bytes[end]), !starts("?>", at: end) { end += 1 }
        if end < bytes.count, bytes[end] == 0x3F { spaces.append(end) }
      }
      guard !spaces.isEmpty else { return (data, nil) }
      var safe = Data(capacity: bytes.count + spaces.count)
      var from = 0
      for at in spaces {
        safe.append(UnsafeBufferPointer(rebasing: bytes[from..<at]))
        safe.append(0x20)
        from = at
      }
      safe.append(UnsafeBufferPointer(rebasing: bytes[from...]))
      return (safe, nil)
    }
  }

  /// Collects entries as the XML streams past. Used on one thread, for one parse.
  final class Reader: NSObject, XMLParserDelegate {
    var entries: [AtomEntry] = []
    var sawFeed = false
    /// Elements opened and not yet closed, for a document that stops short.
    var open: [String] = []
    /// Told of each entry read: its line and how many so far.
    var onEntry: ((Int, Int) -> Void)?
    private var entry: AtomEntry?
    private var text = ""
    private var inAuthor = false

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      text = ""
      open.append(name)
      switch (namespaceURI ?? "", name) {
      case (AtomParser.atom, "feed"): sawFeed = true
      case (AtomParser.atom, "entry"):
        entry = AtomEntry()
        entry?.line = parser.lineNumber
      case (AtomParser.atom, "author"): inAuthor = true
      case (AtomParser.atom, "category"):
        if let term = attributes["term"], !(entry?.categories.contains(term) ?? true) { entry?.categories.append(term) }
      case (AtomParser.atom, "link"):
        guard let href = attributes["href"] else { break }
        let label = attributes["title"] ?? (attributes["rel"] == "alternate" ? "arXiv" : attributes["rel"] ?? "link")
        if !(entry?.links.contains { $0.url == href } ?? true) { entry?.links.append(PaperLink(label: label, url: href)) }
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      let value = TextNormalizer.collapseWhitespace(text)
      text = ""
      if !open.isEmpty { open.removeLast() }
      guard entry != nil else { return }
      switch (namespaceURI ?? "", name) {
      case (AtomParser.atom, "entry"):
        entries.append(entry!)
        entry = nil
        onEntry?(parser.lineNumber, entries.count)
      case (AtomParser.atom, "id"): entry!.id = value
      case (AtomParser.atom, "title"): entry!.title = value
      case (AtomParser.atom, "summary"): entry!.summary = value
      case (AtomParser.atom, "published"): entry!.published = value
      case (AtomParser.atom, "updated"): entry!.updated = value
      case (AtomParser.atom, "name") where inAuthor: entry!.authors.append(value)
      case (AtomParser.atom, "author"): inAuthor = false
      case (AtomParser.arxiv, "doi"): entry!.doi = value
      case (AtomParser.arxiv, "journal_ref"): entry!.journalRef = value
      default: break
      }
    }
  }
}

extension AtomEntry {
  /// The paper this entry describes.
  public func listing(file: String) -> Listing {
    var listing = Listing(source: SourceLocation(file: file, line: line))
    if !title.isEmpty { listing.title = title }
    listing.authors = authors.filter { !$0.isEmpty }
    listing.venue = journalRef
    let date = published.isEmpty ? updated : published
    let parts = date.prefix(10).split(separator: "-").compactMap { Int($0) }
    if parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) {
      listing.published = PublishedDate(year: parts[0], month: parts[1], day: parts[2])
      listing.year = parts[0]
    }
    if !summary.isEmpty { listing.abstract = summary }
    listing.categories = categories
    listing.arxivVersion = arxivID?.version
    let changed = updated.prefix(10).split(separator: "-").compactMap { Int($0) }
    if changed.count == 3, (1...12).contains(changed[1]), (1...31).contains(changed[2]) {
      listing.updated = PublishedDate(year: changed[0], month: changed[1], day: changed[2])
    }
    if let arxiv = arxivID {
      let name = "arXiv:\(arxiv.id)" + (arxiv.version.map { "v\($0)" } ?? "")
      listing.links.append(PaperLink(label: name, url: "https://arxiv.org/abs/\(arxiv.id)"))
    }
    if let doi, !doi.isEmpty { listing.links.append(PaperLink(label: "doi:\(doi)", url: "https://doi.org/\(doi)")) }
    for link in links where !listing.links.contains(where: { $0.url == link.url }) && link.label == "pdf" {
      listing.links.append(link)
    }
    return listing
  }
}
