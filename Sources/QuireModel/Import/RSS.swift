import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Reads RSS feeds: RSS 2.0, as arXiv's listing feeds (rss.arxiv.org) and most journals
/// publish them, and RSS 1.0 (RDF: `<rdf:RDF>` with `<item rdf:about>`), which many journals
/// still use. Each item is a listing: its title, authors (`dc:creator`, one element per
/// author or one list, or `author`), abstract (`description` as text), date (`pubDate` or
/// `dc:date`), venue (`prism:publicationName`), DOI (`prism:doi`, `dc:identifier`, a
/// doi.org link), arXiv id and version (link, `guid`, the description's "arXiv:ID vN
/// Announce Type: …" opening), categories and link. Namespaces may be declared anywhere,
/// or (for `dc:`, `prism:`, `content:`, `arxiv:`) not at all.
public struct RSSParser {
  public struct Result: Sendable {
    public var listings: [Listing]
    public var diagnostics: [Diagnostic]
  }

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears the share of lines read and the items so far, now and then.
  public func parse(_ data: Data, progress: ((Double, Int) -> Void)? = nil) -> Result {
    // A server's error page where a feed was expected: said so, rather than an XML error
    // about its first <meta>.
    let head = [UInt8](data.prefix(XMLRoot.bytesLookedAt))
    let root = XMLRoot(head)
    if root.isHTML {
      let (line, column) = XMLRoot.position(of: root.offset, in: head)
      let title = XMLRoot.htmlTitle(head).map { " titled \"\($0)\"" } ?? ""
      return Result(listings: [], diagnostics: [
        Diagnostic(
          file: file, line: line, column: column,
          message: "expected an RSS <rss> or <rdf:RDF> element, found an HTML page\(title) (what a server sends when it fails or asks to sign in); nothing is read",
          skipped: true)
      ])
    }
    let (data, entityDeclaration) = AtomParser.safeForXMLParser(data)
    if let (line, column) = entityDeclaration {
      return Result(listings: [], diagnostics: [
        Diagnostic(file: file, line: line, column: column, message: "expected an RSS feed without entity declarations (<!ENTITY …>), which quire does not read; the rest of the file is not read", skipped: true)
      ])
    }
    let parser = XMLParser(data: data)
    let reader = Reader()
    if let progress {
      let lines = max(1, data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) })
      reader.onItem = { line, count in if count % 256 == 0 { progress(min(1, Double(line) / Double(lines)), count) } }
    }
    parser.shouldProcessNamespaces = true
    parser.delegate = reader
    let parsed = parser.parse()
    let diagnostics = AtomParser.problems(
      of: parser, parsed: parsed, unclosed: reader.open.last, sawRoot: reader.sawFeed, root: "an RSS <rss> or <rdf:RDF> element", file: file)
    let venue = TextNormalizer.collapseWhitespace(reader.channelVenue)
    return Result(listings: reader.items.map { $0.listing(file: file, channelVenue: venue) }, diagnostics: diagnostics)
  }

  /// The vocabularies an RSS item draws on, by namespace.
  enum Vocabulary: Equatable {
    case rss, rdf, dc, prism, content, arxiv, other

    init(namespace: String?, qualifiedName: String?) {
      switch namespace ?? "" {
      case "":
        // No namespace: RSS 2.0's own elements, or a prefix the feed forgot to declare
        // (XMLParser then gives the local name with no namespace).
        let prefix = qualifiedName.flatMap { name in name.firstIndex(of: ":").map { String(name[..<$0]) } }
        switch prefix {
        case nil: self = .rss
        case "dc": self = .dc
        case "prism": self = .prism
        case "content": self = .content
        case "arxiv": self = .arxiv
        case "rdf": self = .rdf
        default: self = .other
        }
      case "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/", "http://backend.userland.com/rss2",
        "http://blogs.law.harvard.edu/tech/rss":
        self = .rss
      case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": self = .rdf
      case "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/": self = .dc
      case "http://purl.org/rss/1.0/modules/content/": self = .content
      case AtomParser.arxiv: self = .arxiv
      case let other where other.hasPrefix("http://prismstandard.org/namespaces/"): self = .prism
      default: self = .other
      }
    }
  }

  /// The elements of an item quire reads.
  enum Field {
    case title, dcTitle, link, guid, description, dcDescription, content, creator, author, pubDate, dcDate, prismDate
    case category, doi, identifier, publicationName, source, announceType, prismURL

    init?(_ vocabulary: Vocabulary, _ name: String) {
      switch (vocabulary, name) {
      case (.rss, "title"): self = .title
      case (.rss, "link"): self = .link
      case (.rss, "guid"): self = .guid
      case (.rss, "description"): self = .description
      case (.rss, "author"): self = .author
      case (.rss, "pubDate"): self = .pubDate
      case (.rss, "category"): self = .category
      case (.dc, "title"): self = .dcTitle
      case (.dc, "description"): self = .dcDescription
      case (.dc, "creator"): self = .creator
      case (.dc, "date"): self = .dcDate
      case (.dc, "identifier"): self = .identifier
      case (.dc, "source"): self = .source
      case (.content, "encoded"): self = .content
      case (.prism, "doi"): self = .doi
      case (.prism, "publicationName"): self = .publicationName
      case (.prism, "publicationDate"), (.prism, "coverDate"): self = .prismDate
      case (.prism, "url"): self = .prismURL
      case (.arxiv, "announce_type"): self = .announceType
      default: return nil
      }
    }
  }

  /// Collects items as the XML streams past. Used on one thread, for one parse.
  final class Reader: NSObject, XMLParserDelegate {
    var items: [RSSItem] = []
    var sawFeed = false
    /// The channel's `prism:publicationName`, the venue of items that name none.
    var channelVenue = ""
    /// Elements opened and not yet closed, for a document that stops short.
    var open: [String] = []
    /// Told of each item read: its line and how many so far.
    var onItem: ((Int, Int) -> Void)?
    private var item: RSSItem?
    private var itemDepth = 0
    private var channelDepth: Int?
    /// The field being read and its depth. Its text takes in that of markup inside it (an
    /// XHTML description), with a space for each block element.
    private var field: (kind: Field, depth: Int)?
    private var text = ""

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      open.append(name)
      let depth = open.count
      if let field, depth > field.depth {
        if HTMLText.isBlock(name) { text += " " }
        return
      }
      let vocabulary = Vocabulary(namespace: namespaceURI, qualifiedName: qualifiedName)
      switch (vocabulary, name) {
      case (.rss, "rss"), (.rdf, "RDF"): sawFeed = true
      case (.rss, "channel") where item == nil:
        sawFeed = true
        channelDepth = depth
      case (.rss, "item") where item == nil:
        var started = RSSItem()
        started.line = parser.lineNumber
        started.about = attributes["rdf:about"] ?? attributes["about"] ?? ""
        item = started
        itemDepth = depth
      case (.rss, "enclosure") where item != nil && depth == itemDepth + 1:
        if let url = attributes["url"], attributes["type"]?.lowercased().contains("pdf") ?? false, item!.pdf == nil {
          item!.pdf = TextNormalizer.collapseWhitespace(url)
        }
      default:
        if item != nil, depth == itemDepth + 1, let kind = Field(vocabulary, name) {
          field = (kind, depth)
          text = ""
        } else if item == nil, let channelDepth, depth == channelDepth + 1, vocabulary == .prism, name == "publicationName" {
          field = (.publicationName, depth)
          text = ""
        }
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if field != nil { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
      if field != nil { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      let depth = open.count
      if !open.isEmpty { open.removeLast() }
      if let current = field {
        if depth > current.depth {
          if HTMLText.isBlock(name) { text += " " }
          return
        }
        field = nil
        if item == nil {
          if channelVenue.isEmpty { channelVenue = text }
        } else {
          item!.take(text, as: current.kind)
        }
        text = ""
        return
      }
      if item != nil, depth == itemDepth {
        items.append(item!)
        item = nil
        onItem?(parser.lineNumber, items.count)
      } else if let channelDepth, depth == channelDepth {
        self.channelDepth = nil
      }
    }
  }
}

/// One item of an RSS feed, its fields as written (white space collapsed, HTML kept).
struct RSSItem: Equatable, Sendable {
  var title = ""
  var dcTitle = ""
  var link = ""
  /// RSS 1.0's `rdf:about`: the item's URL.
  var about = ""
  var guid = ""
  var description = ""
  var dcDescription = ""
  var content = ""
  var creators: [String] = []
  var author = ""
  var pubDate = ""
  var dcDate = ""
  var prismDate = ""
  var categories: [String] = []
  var doi = ""
  var identifiers: [String] = []
  var publicationName = ""
  var source = ""
  var announceType = ""
  var prismURL = ""
  var pdf: String?
  var line = 0

  /// The text of one element: the first of each kind counts, except for the repeated ones.
  mutating func take(_ raw: String, as field: RSSParser.Field) {
    let value = TextNormalizer.collapseWhitespace(raw)
    guard !value.isEmpty else { return }
    func first(_ slot: inout String) { if slot.isEmpty { slot = value } }
    switch field {
    case .title: first(&title)
    case .dcTitle: first(&dcTitle)
    case .link: first(&link)
    case .guid: first(&guid)
    case .description: first(&description)
    case .dcDescription: first(&dcDescription)
    case .content: first(&content)
    case .creator: creators.append(value)
    case .author: first(&author)
    case .pubDate: first(&pubDate)
    case .dcDate: first(&dcDate)
    case .prismDate: first(&prismDate)
    case .category: if !categories.contains(value) { categories.append(value) }
    case .doi: first(&doi)
    case .identifier: identifiers.append(value)
    case .publicationName: first(&publicationName)
    case .source: first(&source)
    case .announceType: first(&announceType)
    case .prismURL: first(&prismURL)
    }
  }
}

extension RSSItem {
  /// The paper this item describes.
  func listing(file: String, channelVenue: String) -> Listing {
    var listing = Listing(source: SourceLocation(file: file, line: line))

    // The abstract, and arXiv's opening "arXiv:2411.01234v2 Announce Type: replace Abstract:".
    var announcement: (id: String, version: Int?, type: String)?
    for raw in [description, dcDescription, content] where !raw.isEmpty {
      if let arxiv = Self.arxivAnnouncement(raw) {
        announcement = (arxiv.id, arxiv.version, arxiv.type)
        // arXiv's abstracts are plain text with TeX: "$a<b$" is no tag.
        if !arxiv.abstract.isEmpty { listing.abstract = arxiv.abstract }
        break
      }
      let text = HTMLText.plain(raw)
      if !text.isEmpty {
        listing.abstract = text
        break
      }
    }

    var title = HTMLText.plain(title.isEmpty ? dcTitle : title, inlineTagsOnly: true)
    // Old arXiv feeds end a title with "(arXiv:1606.04474v1 [cs.NE] UPDATED)".
    let suffix = Self.withoutArxivSuffix(title)
    if let suffix { title = suffix.title }
    if !title.isEmpty { listing.title = title }

    listing.authors = authors

    // The arXiv id: the most specific place first (it carries the version).
    let candidates = [
      Self.arxivID(guid), announcement.map { ($0.id, $0.version) }, suffix.map { ($0.id, $0.version) },
      Self.arxivID(link), Self.arxivID(about),
    ].compactMap { $0 }
    let arxiv = candidates.first.map { first in
      (id: first.0, version: candidates.first { $0.0 == first.0 && $0.1 != nil }?.1)
    }

    let date = Self.day(pubDate) ?? Self.day(dcDate) ?? Self.day(prismDate)
    if let arxiv {
      // The date is when this version was announced: the paper's own date only for v1.
      let type = announceType.isEmpty ? announcement?.type ?? "" : announceType.lowercased()
      let firstVersion = arxiv.version.map { $0 == 1 } ?? !type.hasPrefix("replace")
      listing.updated = date?.day
      if firstVersion {
        listing.published = date?.day
        listing.year = date?.year ?? Self.year(ofArxivID: arxiv.id)
      } else {
        listing.year = Self.year(ofArxivID: arxiv.id) ?? date?.year
      }
      listing.arxiv = arxiv.id
      listing.arxivVersion = arxiv.version
      let name = "arXiv:\(arxiv.id)" + (arxiv.version.map { "v\($0)" } ?? "")
      listing.links.append(PaperLink(label: name, url: "https://arxiv.org/abs/\(arxiv.id)"))
    } else {
      listing.published = date?.day
      listing.year = date?.year
    }

    let doi = ([doi] + identifiers + [link, guid, prismURL, about]).lazy.compactMap(Self.doi).first
    if let doi {
      listing.doi = Identifier.doi(doi)
      listing.links.append(PaperLink(label: "doi:\(doi)", url: "https://doi.org/\(doi)"))
    }

    let venue = [publicationName, channelVenue].first { !$0.isEmpty }
      ?? (source.isEmpty || source.contains(where: \.isNumber) ? nil : source)
    if let venue { listing.venue = HTMLText.plain(venue, inlineTagsOnly: true) }

    listing.categories = categories

    // The item's own page, unless it is the arXiv or DOI link already there.
    let page = [link, prismURL, about].first { $0.hasPrefix("https://") || $0.hasPrefix("http://") }
    if let page, !listing.links.contains(where: { $0.url == page }),
      arxiv == nil || Identifier.arxiv(page) != arxiv?.id, doi == nil || Identifier.doi(page) != listing.doi
    {
      listing.links.append(PaperLink(label: Self.host(of: page), url: page))
    }
    if let pdf, pdf.hasPrefix("https://") || pdf.hasPrefix("http://"), !listing.links.contains(where: { $0.url == pdf }) {
      listing.links.append(PaperLink(label: "pdf", url: pdf))
    }
    return listing
  }

  /// The authors: each `dc:creator` element one author, or a list ("Ada Lovelace, Alan
  /// Turing and Grace Hopper", "Lovelace, Ada; Turing, Alan"); else RSS 2.0's `author`
  /// ("ada@example.org (Ada Lovelace)").
  var authors: [String] {
    var names: [String] = []
    for creator in creators {
      names += Self.names(HTMLText.plain(creator), oneEach: creators.count > 1)
    }
    if names.isEmpty, !author.isEmpty {
      var text = HTMLText.plain(author)
      if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
        text = String(text[text.index(after: open)..<close])
      } else if let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
        text = String(text[..<open]) + String(text[text.index(after: close)...])
      }
      text = TextNormalizer.collapseWhitespace(text)
      // An address alone names no one.
      if !(text.contains("@") && !text.contains(" ")) { names = Self.names(text, oneEach: false) }
    }
    return names
  }

  /// Names from one element's text. A list is split at commas, semicolons and "and"; a
  /// name written family first ("Lovelace, Ada", "van der Berg, J.") is turned around.
  static func names(_ text: String, oneEach: Bool) -> [String] {
    var text = TextNormalizer.collapseWhitespace(text)
    for tail in [", et al.", " et al.", " et al"] where text.hasSuffix(tail) {
      text.removeLast(tail.count)
      break
    }
    let trimming = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ",;"))
    func clean(_ name: some StringProtocol) -> String? {
      let name = name.trimmingCharacters(in: trimming)
      return name.isEmpty ? nil : name
    }
    // "Lovelace, Ada; Turing, Alan"
    if text.contains(";") {
      return text.split(separator: ";").compactMap { part in clean(part).map(turnedAround) }
    }
    // "Lovelace, Ada", and "Lovelace, Ada and Turing, Alan"
    let pieces = text.components(separatedBy: " and ")
    if pieces.allSatisfy(isFamilyFirst) { return pieces.compactMap { clean($0).map(turnedAround) } }
    if oneEach, !text.contains(","), pieces.count == 1 { return clean(text).map { [$0] } ?? [] }
    // "Ada Lovelace, Alan Turing, and Grace Hopper"
    var names: [String] = []
    for part in text.split(separator: ",") {
      for piece in part.components(separatedBy: " and ") {
        var piece = piece.trimmingCharacters(in: .whitespaces)
        if piece.hasPrefix("and ") { piece.removeFirst(4) }
        guard let name = clean(piece) else { continue }
        // "Martin Luther King, Jr.": a suffix belongs to the name before it.
        if ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"].contains(name), let last = names.popLast() {
          names.append("\(last), \(name)")
        } else {
          names.append(name)
        }
      }
    }
    return names
  }

  /// "Lovelace, Ada" or "van der Berg, J. M.": one comma, a family name of one word (after
  /// any lowercase particles) before it, one to three given names or initials after it.
  static func isFamilyFirst(_ name: String) -> Bool {
    let halves = name.split(separator: ",", omittingEmptySubsequences: false)
    guard halves.count == 2 else { return false }
    let family = halves[0].split(separator: " ")
    let given = halves[1].split(separator: " ")
    guard let last = family.last, !given.isEmpty, given.count <= 3, !["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"].contains(String(given[0]))
    else { return false }
    return family.dropLast().allSatisfy { $0.first?.isLowercase ?? false } && !(last.first?.isLowercase ?? true)
  }

  /// "Lovelace, Ada" → "Ada Lovelace"; a name without a comma as it is.
  static func turnedAround(_ name: String) -> String {
    guard let comma = name.firstIndex(of: ",") else { return name }
    let family = name[..<comma].trimmingCharacters(in: .whitespaces)
    let given = name[name.index(after: comma)...].trimmingCharacters(in: .whitespaces)
    return Paper.joinName(given: given, family: family)
  }

  /// "arXiv:2411.01234v2 Announce Type: replace Abstract: We …", as arXiv's feeds open a
  /// description (white space collapsed here): the id, the version, the type and the rest.
  static func arxivAnnouncement(_ raw: String) -> (id: String, version: Int?, type: String, abstract: String)? {
    let text = TextNormalizer.collapseWhitespace(raw)
    guard text.hasPrefix("arXiv:") else { return nil }
    let words = text.split(separator: " ", maxSplits: 1)
    guard let (id, version) = arxivID(String(words[0])) else { return nil }
    var rest = words.count > 1 ? words[1] : ""
    var type = ""
    if rest.hasPrefix("Announce Type:") {
      let after = rest.dropFirst("Announce Type:".count).drop { $0 == " " }
      let split = after.split(separator: " ", maxSplits: 1)
      type = split.first.map { String($0).lowercased() } ?? ""
      rest = split.count > 1 ? split[1] : ""
    }
    guard rest.hasPrefix("Abstract:") || rest.isEmpty else { return nil }
    let abstract = rest.dropFirst("Abstract:".count).drop { $0 == " " }
    return (id, version, type, String(abstract))
  }

  /// "Learning to learn. (arXiv:1606.04474v1 [cs.NE] UPDATED)": the title without what
  /// old arXiv feeds added to it, and the id and version that was.
  static func withoutArxivSuffix(_ title: String) -> (title: String, id: String, version: Int?)? {
    guard title.hasSuffix(")"), let open = title.range(of: " (arXiv:", options: .backwards) else { return nil }
    // From "arXiv:" on, without the parenthesis around it.
    let inside = title[title.index(open.lowerBound, offsetBy: 2)..<title.index(before: title.endIndex)]
    guard let word = inside.split(separator: " ").first, let (id, version) = arxivID(String(word)) else { return nil }
    var rest = title[..<open.lowerBound]
    if rest.hasSuffix(".") { rest.removeLast() }
    return (String(rest), id, version)
  }

  /// The arXiv id and version an arXiv link, an OAI identifier or "arXiv:ID" names:
  /// "https://arxiv.org/abs/2411.01234", "oai:arXiv.org:2411.01234v2", "arXiv:hep-th/9901001v3".
  static func arxivID(_ raw: String) -> (String, Int?)? {
    var text = Substring(raw.trimmingCharacters(in: .whitespaces))
    let prefixes = [
      "oai:arXiv.org:", "oai:arxiv.org:", "arXiv:", "arxiv:", "https://arxiv.org/abs/", "http://arxiv.org/abs/",
      "https://export.arxiv.org/abs/", "http://export.arxiv.org/abs/", "https://www.arxiv.org/abs/", "http://www.arxiv.org/abs/",
    ]
    guard let prefix = prefixes.first(where: { text.hasPrefix($0) }) else { return nil }
    text = text.dropFirst(prefix.count)
    if let end = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<end] }
    guard let id = Identifier.arxiv(String(text)) else { return nil }
    let tail = text.dropFirst(id.count)
    guard tail.hasPrefix("v") else { return (id, nil) }
    return (id, Int(tail.dropFirst()).flatMap { $0 > 0 ? $0 : nil })
  }

  /// The year an arXiv id was first given: "2411.01234" → 2024, "hep-th/9901001" → 1999.
  static func year(ofArxivID id: String) -> Int? {
    let digits = id.split(separator: "/").last.map { $0.prefix(2) } ?? ""
    guard digits.count == 2, let yy = Int(digits) else { return nil }
    return yy >= 91 ? 1900 + yy : 2000 + yy
  }

  /// The DOI as written ("10.1038/S41586-024-0001-X"), from "10.…", "doi:10.…",
  /// "info:doi/10.…" or a doi.org link.
  static func doi(_ raw: String) -> String? {
    var text = Substring(raw.trimmingCharacters(in: .whitespaces))
    let prefixes = [
      "info:doi/", "urn:doi:", "doi:", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
    ]
    if let prefix = prefixes.first(where: { text.lowercased().hasPrefix($0) }) { text = text.dropFirst(prefix.count) }
    guard !text.contains(" "), Identifier.doi(String(text)) != nil else { return nil }
    return String(text)
  }

  /// "https://www.nature.com/articles/x" → "nature.com", a link's label.
  static func host(of url: String) -> String {
    let rest = url.drop { $0 != "/" }.drop { $0 == "/" }
    var host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    if host.hasPrefix("www.") { host = host.dropFirst(4) }
    return host.isEmpty ? "link" : String(host)
  }

  /// The day a date names, and its year: RFC 822 ("Mon, 25 Nov 2024 00:00:00 -0500", as
  /// `pubDate` has it) or ISO 8601 ("2024-11-25", "2024-11-25T09:30:00Z", as `dc:date`
  /// has it; "2024-11" and "2024" give the year alone). The day is the one written, in
  /// the feed's own time zone.
  static func day(_ text: String) -> (day: PublishedDate?, year: Int)? {
    guard !text.isEmpty else { return nil }
    if let iso = isoDay(text) { return iso }
    return rfc822Day(text)
  }

  static let monthAbbreviations = PublishedDate.monthNames.map { String($0.prefix(3)) }

  static func rfc822Day(_ text: String) -> (day: PublishedDate?, year: Int)? {
    var words = text.split { $0 == " " || $0 == "," }.map { $0.lowercased() }
    // The weekday is optional.
    if let first = words.first, first.allSatisfy(\.isLetter), monthNumber(first) == nil { words.removeFirst() }
    guard words.count >= 3 else { return nil }
    // "25 Nov 2024", and "Nov 25 2024" as some feeds write it.
    let (dayWord, monthWord) = monthNumber(words[0]) != nil ? (words[1], words[0]) : (words[0], words[1])
    guard let day = Int(dayWord), let month = monthNumber(monthWord), words[2].allSatisfy(\.isASCII), var year = Int(words[2]) else {
      return nil
    }
    switch words[2].count {
    case 2: year += year < 50 ? 2000 : 1900
    case 4: break
    default: return nil
    }
    return validDay(year: year, month: month, day: day).map { ($0, year) }
  }

  static func monthNumber(_ word: String) -> Int? {
    guard word.count >= 3, let index = monthAbbreviations.firstIndex(of: String(word.prefix(3))) else { return nil }
    // "nov", "nov." and "november", not "novel".
    let name = PublishedDate.monthNames[index]
    let bare = word.hasSuffix(".") ? String(word.dropLast()) : word
    return name.hasPrefix(bare) || (bare == "sept" && index == 8) ? index + 1 : nil
  }

  static func isoDay(_ text: String) -> (day: PublishedDate?, year: Int)? {
    let date = text.prefix { $0 != "T" && $0 != " " && $0 != "Z" && $0 != "+" }
    let parts = date.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      parts[0].count == 4, let year = Int(parts[0])
    else { return nil }
    guard parts.count == 3 else {
      if parts.count == 2, !(parts[1].count == 2 && (1...12).contains(Int(parts[1]) ?? 0)) { return nil }
      return (nil, year)
    }
    guard parts[1].count == 2, parts[2].count == 2, let month = Int(parts[1]), let day = Int(parts[2]),
      let valid = validDay(year: year, month: month, day: day)
    else { return nil }
    return (valid, year)
  }

  static func validDay(year: Int, month: Int, day: Int) -> PublishedDate? {
    guard (1000...9999).contains(year), (1...12).contains(month), day >= 1 else { return nil }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return day <= days ? PublishedDate(year: year, month: month, day: day) : nil
  }
}

/// Text from the HTML a feed puts in a description or a title: tags removed (a block
/// element leaves a space), scripts and styles dropped, character references decoded,
/// white space collapsed. Only names of HTML elements (or prefixed ones, `<jats:p>`,
/// `<mml:mi>`) are tags, so "$a<b$" or "x < y" stay as written. A reference to a control
/// character becomes U+FFFD: XML refuses those characters, and decoding must not bring
/// them back.
enum HTMLText {
  static func plain(_ html: String, inlineTagsOnly: Bool = false) -> String {
    guard html.contains(where: { $0 == "<" || $0 == "&" }) else { return TextNormalizer.collapseWhitespace(html) }
    let s = Array(html.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < s.count {
      let c = s[i]
      if c == "<" {
        if starts(s, at: i, with: "<!--") {
          // A comment, to its end (an unended one runs to the end of the text).
          i = index(after: "-->", in: s, from: i + 4) ?? s.count
          continue
        }
        if let tag = tag(in: s, at: i), inlineTagsOnly ? isInline(tag.name) : isElement(tag.name) {
          let local = localName(tag.name)
          if !tag.closing && !tag.selfClosing && (local == "script" || local == "style") {
            i = index(after: "</\(local)", in: s, from: tag.end, caseInsensitive: true)
              .flatMap { end in s[end...].firstIndex(of: ">").map { $0 + 1 } } ?? s.count
          } else {
            i = tag.end
          }
          if isBlock(local) { out.append(" ") }
          continue
        }
      } else if c == "&", let (scalar, end) = reference(in: s, at: i) {
        if let scalar { out.append(scalar) }
        i = end
        continue
      }
      out.append(c)
      i += 1
    }
    return TextNormalizer.collapseWhitespace(String(out))
  }

  /// A start or end tag at `at`: `<name …>`, `</name>`, `<name/>`. It ends at the first
  /// `>`; a `<` before that means it was no tag, so no text is read twice over.
  static func tag(in s: [Unicode.Scalar], at start: Int) -> (name: String, closing: Bool, selfClosing: Bool, end: Int)? {
    var j = start + 1
    let closing = j < s.count && s[j] == "/"
    if closing { j += 1 }
    guard j < s.count, isASCIILetter(s[j]) else { return nil }
    let nameStart = j
    while j < s.count, isASCIILetter(s[j]) || ("0"..."9").contains(s[j]) || [":", "-", "_", "."].contains(s[j]) { j += 1 }
    let name = String(String.UnicodeScalarView(s[nameStart..<j])).lowercased()
    guard j < s.count, [" ", "\t", "\n", "\r", ">", "/"].contains(s[j]) else { return nil }
    while j < s.count, s[j] != ">" {
      if s[j] == "<" { return nil }
      j += 1
    }
    guard j < s.count else { return nil }
    return (name, closing, s[j - 1] == "/", j + 1)
  }

  static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }

  static func localName(_ name: String) -> String {
    name.lastIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
  }

  static func isElement(_ name: String) -> Bool { name.contains(":") || elements.contains(name) }
  static func isInline(_ name: String) -> Bool { name.contains(":") || inline.contains(name) }
  static func isBlock(_ name: String) -> Bool { blocks.contains(localName(name).lowercased()) }

  static func starts(_ s: [Unicode.Scalar], at index: Int, with text: String) -> Bool {
    let pattern = Array(text.unicodeScalars)
    return s.count - index >= pattern.count && Array(s[index..<(index + pattern.count)]) == pattern
  }

  /// Where the first `text` at or after `from` ends.
  static func index(after text: String, in s: [Unicode.Scalar], from: Int, caseInsensitive: Bool = false) -> Int? {
    let pattern = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
    guard !pattern.isEmpty, s.count >= pattern.count, from <= s.count - pattern.count else { return nil }
    outer: for start in from...(s.count - pattern.count) {
      for (offset, p) in pattern.enumerated() {
        var c = s[start + offset]
        if caseInsensitive, ("A"..."Z").contains(c) { c = Unicode.Scalar(c.value + 32)! }
        if c != p { continue outer }
      }
      return start + pattern.count
    }
    return nil
  }

  /// A character reference at `at`, `&amp;`, `&#8211;` or `&#x2013;`, ended by `;`: what it
  /// stands for (nil for a soft hyphen, which is dropped) and where it ends. Nil for an
  /// `&` that starts none, which stays as written.
  static func reference(in s: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar?, Int)? {
    var j = start + 1
    guard j < s.count else { return nil }
    if s[j] == "#" {
      j += 1
      let hex = j < s.count && (s[j] == "x" || s[j] == "X")
      if hex { j += 1 }
      let digitsStart = j
      var value: UInt32 = 0
      while j < s.count, j - digitsStart < 8, let digit = digitValue(s[j], hex: hex) {
        value = value * (hex ? 16 : 10) + UInt32(digit)
        j += 1
      }
      guard j > digitsStart, j < s.count, s[j] == ";" else { return nil }
      return (numbered(value), j + 1)
    }
    let nameStart = j
    while j < s.count, j - nameStart < 32, isASCIILetter(s[j]) || ("0"..."9").contains(s[j]) { j += 1 }
    guard j > nameStart, j < s.count, s[j] == ";" else { return nil }
    let name = String(String.UnicodeScalarView(s[nameStart..<j]))
    if name == "shy" { return (nil, j + 1) }
    guard let scalar = named[name] else { return nil }
    return (scalar, j + 1)
  }

  /// An ASCII digit's value, hexadecimal or decimal.
  static func digitValue(_ c: Unicode.Scalar, hex: Bool) -> UInt32? {
    switch c {
    case "0"..."9": return c.value - 0x30
    case "a"..."f" where hex: return c.value - 0x61 + 10
    case "A"..."F" where hex: return c.value - 0x41 + 10
    default: return nil
    }
  }

  /// The character `&#value;` stands for. As in HTML, 128–159 are Windows-1252's
  /// characters (`&#150;` is an en dash, as old feeds write it); a control character,
  /// a surrogate or a number past Unicode is U+FFFD.
  static func numbered(_ value: UInt32) -> Unicode.Scalar {
    switch value {
    case 0x09, 0x0A, 0x0D: return " "
    case 0x80...0x9F: return windows1252[Int(value - 0x80)].flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
    case 0...0x1F, 0x7F: return "\u{FFFD}"
    default: return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
  }

  static let windows1252: [UInt32?] = [
    0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
    nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
  ]

  /// The elements of HTML (and of JATS, which some publishers put in feeds unprefixed).
  static let elements: Set<String> = inline.union(blocks).union([
    "area", "audio", "base", "button", "canvas", "col", "colgroup", "data", "details", "dialog", "embed", "fieldset",
    "form", "head", "html", "body", "iframe", "input", "label", "legend", "link", "map", "meta", "meter", "noscript",
    "object", "optgroup", "option", "output", "param", "picture", "progress", "rp", "rt", "ruby", "script", "select",
    "source", "style", "summary", "template", "textarea", "time", "title", "track", "video", "svg", "ext-link", "xref",
    "list", "list-item",
  ])

  /// Elements that may style a title: removed there too.
  static let inline: Set<String> = [
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "math", "q", "s", "samp", "sc", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var",
    "wbr", "italic", "bold", "inline-formula",
  ]

  /// Elements that separate what is before them from what is after.
  static let blocks: Set<String> = [
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "sec",
  ]

  /// The named references feeds use: XML's five, Latin-1, typography, Greek and math.
  static let named: [String: Unicode.Scalar] = {
    let table: [(String, UInt32)] = [
      ("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22), ("apos", 0x27),
      ("nbsp", 0xA0), ("iexcl", 0xA1), ("cent", 0xA2), ("pound", 0xA3), ("curren", 0xA4), ("yen", 0xA5),
      ("brvbar", 0xA6), ("sect", 0xA7), ("uml", 0xA8), ("copy", 0xA9), ("ordf", 0xAA), ("laquo", 0xAB),
      ("not", 0xAC), ("reg", 0xAE), ("macr", 0xAF), ("deg", 0xB0), ("plusmn", 0xB1), ("sup2", 0xB2),
      ("sup3", 0xB3), ("acute", 0xB4), ("micro", 0xB5), ("para", 0xB6), ("middot", 0xB7), ("cedil", 0xB8),
      ("sup1", 0xB9), ("ordm", 0xBA), ("raquo", 0xBB), ("frac14", 0xBC), ("frac12", 0xBD), ("frac34", 0xBE),
      ("iquest", 0xBF), ("Agrave", 0xC0), ("Aacute", 0xC1), ("Acirc", 0xC2), ("Atilde", 0xC3), ("Auml", 0xC4),
      ("Aring", 0xC5), ("AElig", 0xC6), ("Ccedil", 0xC7), ("Egrave", 0xC8), ("Eacute", 0xC9), ("Ecirc", 0xCA),
      ("Euml", 0xCB), ("Igrave", 0xCC), ("Iacute", 0xCD), ("Icirc", 0xCE), ("Iuml", 0xCF), ("ETH", 0xD0),
      ("Ntilde", 0xD1), ("Ograve", 0xD2), ("Oacute", 0xD3), ("Ocirc", 0xD4), ("Otilde", 0xD5), ("Ouml", 0xD6),
      ("times", 0xD7), ("Oslash", 0xD8), ("Ugrave", 0xD9), ("Uacute", 0xDA), ("Ucirc", 0xDB), ("Uuml", 0xDC),
      ("Yacute", 0xDD), ("THORN", 0xDE), ("szlig", 0xDF), ("agrave", 0xE0), ("aacute", 0xE1), ("acirc", 0xE2),
      ("atilde", 0xE3), ("auml", 0xE4), ("aring", 0xE5), ("aelig", 0xE6), ("ccedil", 0xE7), ("egrave", 0xE8),
      ("eacute", 0xE9), ("ecirc", 0xEA), ("euml", 0xEB), ("igrave", 0xEC), ("iacute", 0xED), ("icirc", 0xEE),
      ("iuml", 0xEF), ("eth", 0xF0), ("ntilde", 0xF1), ("ograve", 0xF2), ("oacute", 0xF3), ("ocirc", 0xF4),
      ("otilde", 0xF5), ("ouml", 0xF6), ("divide", 0xF7), ("oslash", 0xF8), ("ugrave", 0xF9), ("uacute", 0xFA),
      ("ucirc", 0xFB), ("uuml", 0xFC), ("yacute", 0xFD), ("thorn", 0xFE), ("yuml", 0xFF),
      ("OElig", 0x152), ("oelig", 0x153), ("Scaron", 0x160), ("scaron", 0x161), ("Yuml", 0x178), ("fnof", 0x192),
      ("circ", 0x2C6), ("tilde", 0x2DC), ("ensp", 0x2002), ("emsp", 0x2003), ("thinsp", 0x2009),
      ("ndash", 0x2013), ("mdash", 0x2014), ("lsquo", 0x2018), ("rsquo", 0x2019), ("sbquo", 0x201A),
      ("ldquo", 0x201C), ("rdquo", 0x201D), ("bdquo", 0x201E), ("dagger", 0x2020), ("Dagger", 0x2021),
      ("bull", 0x2022), ("hellip", 0x2026), ("permil", 0x2030), ("prime", 0x2032), ("Prime", 0x2033),
      ("lsaquo", 0x2039), ("rsaquo", 0x203A), ("euro", 0x20AC), ("trade", 0x2122),
      ("Alpha", 0x391), ("Beta", 0x392), ("Gamma", 0x393), ("Delta", 0x394), ("Epsilon", 0x395), ("Zeta", 0x396),
      ("Eta", 0x397), ("Theta", 0x398), ("Iota", 0x399), ("Kappa", 0x39A), ("Lambda", 0x39B), ("Mu", 0x39C),
      ("Nu", 0x39D), ("Xi", 0x39E), ("Omicron", 0x39F), ("Pi", 0x3A0), ("Rho", 0x3A1), ("Sigma", 0x3A3),
      ("Tau", 0x3A4), ("Upsilon", 0x3A5), ("Phi", 0x3A6), ("Chi", 0x3A7), ("Psi", 0x3A8), ("Omega", 0x3A9),
      ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5), ("zeta", 0x3B6),
      ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC),
      ("nu", 0x3BD), ("xi", 0x3BE), ("omicron", 0x3BF), ("pi", 0x3C0), ("rho", 0x3C1), ("sigmaf", 0x3C2),
      ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8),
      ("omega", 0x3C9), ("thetasym", 0x3D1), ("piv", 0x3D6),
      ("larr", 0x2190), ("uarr", 0x2191), ("rarr", 0x2192), ("darr", 0x2193), ("harr", 0x2194),
      ("lArr", 0x21D0), ("rArr", 0x21D2), ("hArr", 0x21D4), ("forall", 0x2200), ("part", 0x2202),
      ("exist", 0x2203), ("empty", 0x2205), ("nabla", 0x2207), ("isin", 0x2208), ("notin", 0x2209),
      ("ni", 0x220B), ("prod", 0x220F), ("sum", 0x2211), ("minus", 0x2212), ("lowast", 0x2217),
      ("radic", 0x221A), ("prop", 0x221D), ("infin", 0x221E), ("and", 0x2227), ("or", 0x2228), ("cap", 0x2229),
      ("cup", 0x222A), ("int", 0x222B), ("sim", 0x223C), ("cong", 0x2245), ("asymp", 0x2248), ("ne", 0x2260),
      ("equiv", 0x2261), ("le", 0x2264), ("ge", 0x2265), ("sub", 0x2282), ("sup", 0x2283), ("sube", 0x2286),
      ("supe", 0x2287), ("oplus", 0x2295), ("otimes", 0x2297), ("perp", 0x22A5), ("sdot", 0x22C5),
    ]
    var named: [String: Unicode.Scalar] = [:]
    for (name, value) in table { named[name] = Unicode.Scalar(value)! }
    return named
  }()
}

/// The first element of an XML document, past its declaration, comments, processing
/// instructions and DOCTYPE: what tells RSS from Atom, and a feed from the HTML page a
/// server sends in its place.
struct XMLRoot {
  /// How much of a file is looked at: the start of the first 64K characters at most.
  static let bytesLookedAt = 64 * 1024

  /// The root element's name as written ("rss", "rdf:RDF", "feed", "html"), if found.
  var element: String?
  /// The DOCTYPE's name ("html"), if there is one.
  var doctype: String?
  /// Where the root element starts (its `<`), or where looking stopped.
  var offset = 0

  init(_ bytes: [UInt8]) {
    let n = bytes.count
    var i = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    func starts(_ text: String, caseInsensitive: Bool = false) -> Bool {
      let pattern = Array(text.utf8)
      guard n - i >= pattern.count else { return false }
      for (offset, p) in pattern.enumerated() {
        var b = bytes[i + offset]
        if caseInsensitive, b >= 0x41, b <= 0x5A { b += 0x20 }
        if b != p { return false }
      }
      return true
    }
    func skip(past text: String) {
      let pattern = Array(text.utf8)
      while i < n, !starts(text) { i += 1 }
      i = min(n, i + pattern.count)
    }
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    func isNameEnd(_ b: UInt8) -> Bool { isSpace(b) || b == 0x3E || b == 0x2F || b == 0x5B || b == 0x3C }
    while true {
      while i < n, isSpace(bytes[i]) { i += 1 }
      offset = i
      guard i < n, bytes[i] == 0x3C else { return }
      if starts("<?") {
        skip(past: "?>")
      } else if starts("<!--") {
        i += 4
        skip(past: "-->")
      } else if starts("<!doctype", caseInsensitive: true) {
        i += 9
        while i < n, isSpace(bytes[i]) { i += 1 }
        let nameStart = i
        while i < n, !isNameEnd(bytes[i]) { i += 1 }
        doctype = String(decoding: bytes[nameStart..<i], as: UTF8.self)
        // To its end: past an internal subset in brackets and quoted identifiers.
        var quote: UInt8?
        var bracket = false
        while i < n {
          let b = bytes[i]
          i += 1
          if let q = quote {
            if b == q { quote = nil }
          } else if b == 0x22 || b == 0x27 {
            quote = b
          } else if b == 0x5B {
            bracket = true
          } else if b == 0x5D {
            bracket = false
          } else if b == 0x3E, !bracket {
            break
          }
        }
      } else if starts("<!") {
        skip(past: ">")
      } else {
        var end = i + 1
        while end < n, !isNameEnd(bytes[end]) { end += 1 }
        if end > i + 1 { element = String(decoding: bytes[(i + 1)..<end], as: UTF8.self) }
        return
      }
    }
  }

  /// `<rss>`, or RSS 1.0's `<rdf:RDF>`.
  var isRSS: Bool { element == "rss" || element == "RDF" || (element?.hasSuffix(":RDF") ?? false) }

  /// `<html>` (or a page that starts at its `<head>` or `<body>`), or `<!DOCTYPE html>`.
  var isHTML: Bool {
    ["html", "head", "body"].contains(element?.lowercased() ?? "") || doctype?.lowercased() == "html"
  }

  /// Line and column (from 1, in bytes) of an offset.
  static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    let before = bytes[..<min(offset, bytes.count)]
    let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    return (before.count { $0 == 0x0A } + 1, before.count - lineStart + 1)
  }

  /// An HTML page's `<title>`, as text, short and safe to print.
  static func htmlTitle(_ bytes: [UInt8]) -> String? {
    let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    guard let open = lower.firstRange(of: Array("<title".utf8)),
      let start = lower[open.upperBound...].firstIndex(of: 0x3E).map({ $0 + 1 }),
      let close = lower[start...].firstRange(of: Array("</title".utf8))
    else { return nil }
    let title = HTMLText.plain(String(decoding: bytes[start..<close.lowerBound], as: UTF8.self))
    guard !title.isEmpty else { return nil }
    return Diagnostic.inert(title.count > 100 ? String(title.prefix(99)) + "…" : title)
  }
}
