import Foundation

/// The papers quire shows, in the order their files list them, each paper once.
public struct Library: Sendable {
  /// What the library was read from, for the header ("reading list (built-in)").
  public var name: String
  /// The papers held in memory: all of them, or those before `stored`'s.
  private var head: [Paper]
  /// The papers of quire's library file, after `head`, decoded as they are shown.
  private var stored: StoredPapers?
  public private(set) var diagnostics: [Diagnostic]
  private var indexByID: [PaperID: Int] = [:]
  /// Papers by identity key: a title (or abstract) can belong to several papers that
  /// differ by first author or year.
  private var indexByKey: [String: [Int]] = [:]
  private var indexByDOI: [String: Int] = [:]
  private var indexByArxiv: [String: Int] = [:]

  public init(name: String, listings: [Listing], diagnostics: [Diagnostic] = []) {
    self.name = name
    self.head = []
    self.diagnostics = diagnostics
    head.reserveCapacity(listings.count)
    indexByID.reserveCapacity(listings.count)
    indexByKey.reserveCapacity(listings.count)
    for listing in listings { add(listing) }
  }

  /// Adds a listing: merged into the paper it is (same DOI, same arXiv id, or the same
  /// title, or abstract when untitled), or a new paper. True when it was new.
  @discardableResult
  public mutating func add(_ listing: Listing) -> Bool {
    materialize()
    let key = Paper.identityKey(of: listing)
    let (doi, arxiv) = Self.identifiers(of: listing)
    if let index = doi.flatMap({ indexByDOI[$0] }) ?? arxiv.flatMap({ indexByArxiv[$0] }) ?? sameTitled(listing, key: key) {
      head[index].merge(listing)
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
    let index = head.count
    indexByKey[key, default: []].append(index)
    indexByID[paper.id] = index
    if let doi { indexByDOI[doi] = index }
    if let arxiv { indexByArxiv[arxiv] = index }
    head.append(paper)
    return true
  }

  public var count: Int { head.count + (stored?.count ?? 0) }

  /// Every paper, in order. For a library opened on quire's library file this decodes every
  /// stored paper (on all cores): for work that reads them all, not for drawing a screen.
  public var papers: [Paper] {
    guard let stored else { return head }
    return head + stored.allPapers()
  }

  /// The id of the paper a listing is, if the library has it (by DOI, arXiv id or key).
  public func id(of listing: Listing) -> PaperID? {
    if stored != nil {
      var whole = self
      whole.materialize()
      return whole.id(of: listing)
    }
    let (doi, arxiv) = Self.identifiers(of: listing)
    let index = doi.flatMap { indexByDOI[$0] } ?? arxiv.flatMap { indexByArxiv[$0] }
      ?? sameTitled(listing, key: Paper.identityKey(of: listing))
    return index.map { head[$0].id }
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
      let paper = head[index]
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

  public func index(of id: PaperID) -> Int? {
    if let index = indexByID[id] { return index }
    return stored?.index(of: id).map { head.count + $0 }
  }

  /// What `index(of:)` needs, apart: for looking up many ids in a row without copying
  /// the whole library value on each call.
  public struct IDLookup {
    fileprivate let inMemory: [PaperID: Int]
    fileprivate let stored: StoredPapers?
    fileprivate let storedFrom: Int

    public func index(of id: PaperID) -> Int? {
      if let index = inMemory[id] { return index }
      return stored?.index(of: id).map { storedFrom + $0 }
    }
  }

  public var idLookup: IDLookup { IDLookup(inMemory: indexByID, stored: stored, storedFrom: head.count) }

  public subscript(index: Int) -> Paper {
    index < head.count ? head[index] : stored!.paper(at: index - head.count)
  }

  public subscript(id: PaperID) -> Paper? { index(of: id).map { self[$0] } }

  /// The id of the paper at `index`, without decoding a stored paper.
  public func id(at index: Int) -> PaperID {
    index < head.count ? head[index].id : stored!.id(at: index - head.count)
  }

  /// The library quire opens by default: `builtin` (the reading list's listings), then the
  /// papers of quire's library file at `path`, read as they are shown. A stored paper that
  /// is also a built-in one (same id) is merged into it, as `add` would.
  public static func open(
    name: String, builtin: [Listing], storedAt path: String, tableCache: String? = nil,
    progress: ((Double, Int) -> Void)? = nil
  ) throws(StoredPapers.OpenError) -> Library {
    var library = Library(name: name, listings: builtin)
    let store = try StoredPapers(path: path, skipping: Set(library.head.map(\.id)), tableCache: tableCache, progress: progress)
    for (number, text) in store.skippedLines {
      let decoded = text.withUnsafeBytes { StoredLine.decode($0) }
      guard case .success(let line) = decoded else { continue }
      var listing = line.listing
      listing.source = SourceLocation(file: path, line: number)
      library.add(listing)
      for var alternate in line.alternates {
        alternate.source = listing.source
        library.add(alternate)
      }
    }
    library.stored = store.count > 0 ? store : nil
    return library
  }

  /// What identifies this library's contents for a cache kept on disk: the library file's
  /// identity and the papers before it. Nil for a library held only in memory.
  public var storedIdentity: (path: String, fingerprint: String)? {
    guard let stored else { return nil }
    let head = StableHash.fnv1a64Hex(self.head.map(\.id.rawValue).joined(separator: ","))
    return (stored.path, "\(stored.identity)|head:\(self.head.count):\(head)|papers:\(count)")
  }

  /// Brings every stored paper into memory, with what `add` needs to merge more in.
  mutating func materialize() {
    guard let store = stored else { return }
    stored = nil
    for index in 0..<store.count {
      let paper = store.paper(at: index)
      let key = Paper.identityKey(of: Listing(paper))
      let position = head.count
      indexByKey[key, default: []].append(position)
      if indexByID[paper.id] == nil { indexByID[paper.id] = position }
      if let doi = paper.doi, indexByDOI[doi] == nil { indexByDOI[doi] = position }
      if let arxiv = paper.arxiv, indexByArxiv[arxiv] == nil { indexByArxiv[arxiv] = position }
      head.append(paper)
    }
  }

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
    // The latest arXiv version known wins, with the date it appeared and its abstract,
    // which authors often rewrite. The title stays: it names the paper (its id), and the
    // reading state is kept under that name.
    let olderVersion = other.arxivVersion.map { $0 < (arxivVersion ?? 0) } ?? false
    if let version = other.arxivVersion, version > (arxivVersion ?? 0) {
      if arxivVersion != nil, let theirs = other.abstract, !theirs.isEmpty { abstract = theirs }
      arxivVersion = version
      updated = other.updated ?? updated
    }
    if arxiv == nil { arxiv = otherArxiv }
    if let theirs = other.abstract, theirs.count > (abstract?.count ?? 0), !olderVersion { abstract = theirs }
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

extension Listing {
  /// A paper's own fields as a listing: what identifies it when it is merged again.
  init(_ paper: Paper) {
    self.init(
      title: paper.title, authors: paper.authors, venue: paper.venue, year: paper.year, published: paper.published,
      links: paper.links, abstract: paper.abstract, source: paper.source)
    doi = paper.doi
    arxiv = paper.arxiv
    categories = paper.categories
    arxivVersion = paper.arxivVersion
    updated = paper.updated
    added = paper.added
    extra = paper.extra
  }
}
