import Foundation

/// The papers quire shows, in the order their files list them, each paper once.
public struct Library: Sendable {
  /// What the library was read from, for the header ("reading list (built-in)").
  public var name: String
  public private(set) var papers: [Paper]
  public private(set) var diagnostics: [Diagnostic]
  private var indexByID: [PaperID: Int] = [:]
  /// Papers by identity key: a title (or abstract) can belong to several papers that
  /// differ by first author or year.
  private var indexByKey: [String: [Int]] = [:]
  private var indexByDOI: [String: Int] = [:]
  private var indexByArxiv: [String: Int] = [:]

  public init(name: String, listings: [Listing], diagnostics: [Diagnostic] = []) {
    self.name = name
    self.papers = []
    self.diagnostics = diagnostics
    papers.reserveCapacity(listings.count)
    indexByID.reserveCapacity(listings.count)
    indexByKey.reserveCapacity(listings.count)
    for listing in listings { add(listing) }
  }

  /// Adds a listing: merged into the paper it is (same DOI, same arXiv id, or the same
  /// title, or abstract when untitled), or a new paper. True when it was new.
  @discardableResult
  public mutating func add(_ listing: Listing) -> Bool {
    let key = Paper.identityKey(of: listing)
    let (doi, arxiv) = Self.identifiers(of: listing)
    if let index = doi.flatMap({ indexByDOI[$0] }) ?? arxiv.flatMap({ indexByArxiv[$0] }) ?? sameTitled(listing, key: key) {
      papers[index].merge(listing)
      // The paper is now known by this listing's identifiers too.
      if let doi { indexByDOI[doi] = indexByDOI[doi] ?? index }
      if let arxiv { indexByArxiv[arxiv] = indexByArxiv[arxiv] ?? index }
      if !(indexByKey[key]?.contains(index) ?? false) { indexByKey[key, default: []].append(index) }
      return false
    }
    var paper = Paper(listing: listing, identityKey: key)
    paper.doi = doi
    paper.arxiv = arxiv
    if indexByID[paper.id] != nil, listing.title != nil {
      // Another paper with this title already has the plain id: this one's id also names
      // its first author and year. The library's order is kept (the built-in list first,
      // then the store in import order), so each keeps its id from run to run.
      let family = listing.authors.first.map { TextNormalizer.key(Paper.splitName($0).family) } ?? ""
      paper.id = PaperID(identityKey: key + "|author:\(family)|year:\(listing.year.map(String.init) ?? "")")
    }
    // Distinct keys whose hashes collide still get distinct ids.
    var suffix = 2
    let base = paper.id.rawValue
    while indexByID[paper.id] != nil {
      paper.id = PaperID("\(base)-\(suffix)")
      suffix += 1
    }
    let index = papers.count
    indexByKey[key, default: []].append(index)
    indexByID[paper.id] = index
    if let doi { indexByDOI[doi] = index }
    if let arxiv { indexByArxiv[arxiv] = index }
    papers.append(paper)
    return true
  }

  public var count: Int { papers.count }

  /// The id of the paper a listing is, if the library has it (by DOI, arXiv id or key).
  public func id(of listing: Listing) -> PaperID? {
    let (doi, arxiv) = Self.identifiers(of: listing)
    let index = doi.flatMap { indexByDOI[$0] } ?? arxiv.flatMap { indexByArxiv[$0] }
      ?? sameTitled(listing, key: Paper.identityKey(of: listing))
    return index.map { papers[$0].id }
  }

  /// The paper with the same title (or abstract, untitled) that this listing is: the first
  /// author's family name and the year must agree where both sides give them. Papers
  /// known only by their title, like a reading list's, match any listing of that title.
  private func sameTitled(_ listing: Listing, key: String) -> Int? {
    guard let candidates = indexByKey[key] else { return nil }
    // Untitled papers are known by their abstract alone: the same abstract is the same paper.
    guard listing.title != nil else { return candidates.first }
    let family = listing.authors.first.map { TextNormalizer.key(Paper.splitName($0).family) }
    return candidates.first { index in
      let paper = papers[index]
      if let year = listing.year, let theirs = paper.year, year != theirs,
        !paper.alternates.contains(where: { $0.year == year })
      {
        return false
      }
      if let family, let theirs = paper.authors.first.map({ TextNormalizer.key(Paper.splitName($0).family) }),
        family != theirs
      {
        return false
      }
      return true
    }
  }

  /// A listing's DOI and arXiv id. Every format puts them in links too; they are taken
  /// from there when the listing has no field for them.
  static func identifiers(of listing: Listing) -> (doi: String?, arxiv: String?) {
    let urls = listing.links.compactMap(\.url)
    return (
      listing.doi.flatMap(Identifier.doi) ?? urls.lazy.compactMap(Identifier.doi).first,
      listing.arxiv.flatMap(Identifier.arxiv) ?? urls.lazy.compactMap(Identifier.arxiv).first
    )
  }

  public func index(of id: PaperID) -> Int? { indexByID[id] }

  public subscript(index: Int) -> Paper { papers[index] }

  public subscript(id: PaperID) -> Paper? { indexByID[id].map { papers[$0] } }

  public static func parse(readingList text: String, file: String, name: String) -> Library {
    let result = ReadingListParser(file: file).parse(text)
    return Library(name: name, listings: result.listings, diagnostics: result.diagnostics)
  }
}

/// The default library: the user's reading list, built into the binary.
public enum BuiltinLibrary {
  public static let displayName = "reading list (built-in)"

  public static func load() -> Library {
    Library(name: displayName, listings: listings)
  }

  /// The built-in list's listings, to be joined with imported ones.
  public static var listings: [Listing] {
    ReadingListParser(file: "<built-in reading list>").parse(readingListText).listings
  }
}

extension Paper {
  /// Folds another listing of this paper in: nothing known is lost; a more complete value
  /// wins; the listing is kept as an alternate when any of its details differ.
  mutating func merge(_ other: Listing) {
    if !hasTitle, let title = other.title, !title.isEmpty { self.title = title }
    if authors.isEmpty { authors = other.authors }
    if venue == nil { venue = other.venue }
    if year == nil { year = other.year }
    if published == nil { published = other.published }
    // A paper was added when it first arrived, whichever listing says so.
    if let theirs = other.added, theirs < (added ?? .distantFuture) { added = theirs }
    let (otherDOI, otherArxiv) = Library.identifiers(of: other)
    if doi == nil { doi = otherDOI }
    for category in other.categories where !categories.contains(category) { categories.append(category) }
    extra.merge(other.extra) { mine, _ in mine }
    // The latest arXiv version known wins, with the date it appeared.
    if let version = other.arxivVersion, version > (arxivVersion ?? 0) {
      arxivVersion = version
      updated = other.updated ?? updated
    }
    if arxiv == nil { arxiv = otherArxiv }
    if let theirs = other.abstract, theirs.count > (abstract?.count ?? 0) { abstract = theirs }
    for link in other.links where !links.contains(where: { $0.label == link.label }) {
      links.append(link)
    }
    let differs =
      (other.title != title && other.title != nil)
      || (other.authors != authors && !other.authors.isEmpty)
      || (other.venue != venue && other.venue != nil)
      || (other.year != year && other.year != nil)
      || (other.published != published && other.published != nil)
    if differs { alternates.append(other) }
  }
}
