import Dispatch
import Foundation

/// A library's text folded once, so that a query is answered by scanning bytes instead of
/// folding every field of every paper on every keystroke, as `Query.matches` does.
///
/// `evaluate` gives exactly the papers `Query.matches` accepts. The folded text of all
/// papers lies in one buffer, in three sections: the short fields of every paper (title,
/// authors, venue), then every abstract, then every DOI and arXiv id. Each field is
/// followed by a separator byte (and authors are separated by another); folded needles
/// never contain these bytes, so a match never spans two fields or two authors. A text term
/// is then one sequential pass over a section (SIMD-filtered, split over the cores) rather
/// than one search per paper: a title or author term reads only the short fields, a tenth
/// of the text, and an unfielded term reads the abstracts of only the papers whose short
/// fields do not match.
public final class SearchIndex: Sendable {
  /// The number of papers indexed: the library's count when the index was built.
  public let count: Int
  /// The folded text, then `padding` zero bytes so that vector loads may run past the end.
  let text: Column<UInt8>
  let front: Section
  let abstracts: Section
  let identifiers: Section
  /// The words of each field from title to abstract, by `Slot.rawValue`: rare needles are
  /// looked up here instead of read for.
  let words: [WordIndex]
  let years: Column<Int>
  /// The papers with a year (`years` holds 0 for the others).
  let dated: PaperSet
  /// Seconds since 1970; NaN for papers with no date added, which no range contains.
  let addedSeconds: Column<Double>
  /// Papers whose folded text has characters that byte comparison cannot judge alone
  /// (see `FoldedText.isPlain`): text terms check these as `Query.matches` does.
  let exotic: PaperSet
  /// How often each byte occurs in (a sample of) the text: a needle is looked for by its
  /// rarest bytes.
  let byteFrequency: Column<Int>
  /// Every paper's id, for `id:` without going to the library's papers.
  let ids: PaperIDs

  static let fieldSeparator: UInt8 = 0x1E
  static let authorSeparator: UInt8 = 0x1F
  static let padding = 64

  /// The fields, in their order in the buffer.
  enum Slot: Int, Comparable {
    case title, authors, venue, abstract, doi, arxiv

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
  }

  /// Some neighbouring fields of every paper, paper after paper: one part of the buffer.
  struct Section: Sendable {
    let slots: ClosedRange<Slot>
    /// Where each field starts in the buffer: one offset per slot per paper, then where
    /// the section ends. A field ends one byte (its separator) before the next one starts.
    let starts: Column<Int>
    /// Where the section lies in the buffer: from the first start to the last.
    let bounds: ClosedRange<Int>

    /// With `starts` holding at least the section's end, which is not before its start.
    init(slots: ClosedRange<Slot>, starts: Column<Int>) {
      self.slots = slots
      self.starts = starts
      bounds = starts[0]...starts[starts.count - 1]
    }

    /// The section of `papers` papers whose fields start at `starts`, from `start` to
    /// `end` in the buffer; nil when `starts` does not fit. Only both ends are checked, in
    /// constant time: `window` keeps every search inside the section whatever lies between.
    init?(slots: ClosedRange<Slot>, starts: Column<Int>, papers: Int, from start: Int, to end: Int) {
      let width = slots.upperBound.rawValue - slots.lowerBound.rawValue + 1
      guard start <= end, starts.count == papers * width + 1, starts[0] == start, starts[starts.count - 1] == end
      else { return nil }
      self.init(slots: slots, starts: starts)
    }

    var width: Int { slots.upperBound.rawValue - slots.lowerBound.rawValue + 1 }

    /// Where a paper's fields `slots` (some of this section's) lie, without the separator
    /// after the last. Always inside the section, even if a damaged file's starts are not
    /// in order (each clamp costs a conditional move).
    func window(of paper: Int, _ slots: ClosedRange<Slot>) -> Range<Int> {
      let first = paper * width + slots.lowerBound.rawValue - self.slots.lowerBound.rawValue
      let last = paper * width + slots.upperBound.rawValue - self.slots.lowerBound.rawValue
      let lower = min(max(starts[first], bounds.lowerBound), bounds.upperBound)
      return lower..<min(max(starts[last + 1] &- 1, lower), bounds.upperBound)
    }

    /// Where a paper's part of the section starts (for `count`, where the section ends).
    func start(of paper: Int) -> Int { starts[paper * width] }
  }

  public init(library: Library) {
    let papers = library.papers
    let pieces = Self.split(papers.indices, into: papers.count >= 2_000 ? Self.workerCount : 1)
    let folded = Self.concurrentMap(pieces) { FoldedPiece(papers[$0]) }

    // The pieces' sections, joined section by section, straight into the text's column (the
    // text is most of the index: a copy would double what building it takes at its peak).
    let length = folded.reduce(0) { $0 + $1.front.count + $1.abstracts.count + $1.identifiers.count }
    var sectionStarts: [[Int]] = []
    var frequencies: [Int] = []
    let text = Column<UInt8>(count: length + Self.padding) { text in
      var end = 0
      for (part, starts, width) in [
        (\FoldedPiece.front, \FoldedPiece.frontStarts, 3), (\.abstracts, \.abstractStarts, 1),
        (\.identifiers, \.identifierStarts, 2),
      ] {
        var joined: [Int] = []
        joined.reserveCapacity(papers.count * width + 1)
        for piece in folded {
          let base = end
          joined.append(contentsOf: piece[keyPath: starts].lazy.map { $0 + base })
          end = UnsafeMutableBufferPointer(rebasing: text[end...]).initialize(fromContentsOf: piece[keyPath: part]) + end
        }
        joined.append(end)
        sectionStarts.append(joined)
      }
      frequencies = Self.sampleFrequencies(UnsafeBufferPointer(rebasing: text[..<end]))
      UnsafeMutableBufferPointer(rebasing: text[end...]).initialize(repeating: 0)
    }
    self.text = text
    front = Section(slots: .title ... .venue, starts: Column(sectionStarts[0]))
    abstracts = Section(slots: .abstract ... .abstract, starts: Column(sectionStarts[1]))
    identifiers = Section(slots: .doi ... .arxiv, starts: Column(sectionStarts[2]))
    byteFrequency = Column(frequencies)

    var exotic = PaperSet(capacity: papers.count)
    for (range, piece) in zip(pieces, folded) {
      for offset in piece.exotic { exotic.insert(range.lowerBound + offset) }
    }
    var years = [Int](repeating: 0, count: papers.count)
    var dated = PaperSet(capacity: papers.count)
    var addedSeconds = [Double](repeating: .nan, count: papers.count)
    for (index, paper) in papers.enumerated() {
      if let year = paper.year {
        years[index] = year
        dated.insert(index)
      }
      if let added = paper.added { addedSeconds[index] = added.timeIntervalSince1970 }
    }
    let sections = [front, front, front, abstracts]
    self.words = Self.concurrentMap(Array(Slot.title.rawValue...Slot.abstract.rawValue)) { slot in
      let section = sections[slot]
      let field = Slot(rawValue: slot)!
      return WordIndex(text: text, paperCount: papers.count) { section.window(of: $0, field...field) }
    }
    self.count = papers.count
    self.exotic = exotic
    self.years = Column(years)
    self.dated = dated
    self.addedSeconds = Column(addedSeconds)
    self.ids = PaperIDs(papers.lazy.map(\.id))
  }

  /// An index of parts that fit together: one read from a file.
  init(
    count: Int, text: Column<UInt8>, front: Section, abstracts: Section, identifiers: Section, words: [WordIndex],
    years: Column<Int>, dated: PaperSet, addedSeconds: Column<Double>, exotic: PaperSet, byteFrequency: Column<Int>,
    ids: PaperIDs
  ) {
    self.count = count
    self.text = text
    self.front = front
    self.abstracts = abstracts
    self.identifiers = identifiers
    self.words = words
    self.years = years
    self.dated = dated
    self.addedSeconds = addedSeconds
    self.exotic = exotic
    self.byteFrequency = byteFrequency
    self.ids = ids
  }

  /// Roughly the bytes the index holds (for an opened index, the size of its file).
  public var memoryFootprint: Int {
    let sections = [front, abstracts, identifiers].reduce(0) { $0 + $1.starts.byteCount }
    return text.byteCount + sections + years.byteCount + addedSeconds.byteCount + byteFrequency.byteCount
      + (dated.capacity / 8) * 2 + ids.memoryFootprint + words.reduce(0) { $0 + $1.memoryFootprint }
  }

  /// The papers (by index in `library`) that `query` matches: exactly those for which
  /// `query.matches(paper, reading[paper.id])` holds, restricted to `within` when given.
  /// Pass the previous result as `within` when the query has only been narrowed (typing
  /// on at the end of a word): then only those papers are looked at.
  ///
  /// `library` must be the library the index was built from.
  public func evaluate(_ query: Query, reading: ReadingState, library: Library, within: PaperSet? = nil) -> PaperSet {
    evaluate(query, reading: ReadingIndex(reading: reading, library: library), library: library, within: within)
  }

  /// The same, with the reading state already arranged for searching: what the reader
  /// does, keeping a `ReadingIndex` up to date rather than building one per keystroke.
  public func evaluate(_ query: Query, reading: ReadingIndex, library: Library, within: PaperSet? = nil) -> PaperSet {
    precondition(library.count == count, "the search index was built for \(count) papers, not \(library.count)")
    let candidates = within ?? PaperSet(capacity: count, full: true)
    precondition(candidates.capacity == count, "`within` holds \(candidates.capacity) papers, not \(count)")
    var evaluation = Evaluation(index: self, reading: reading, lookup: library.idLookup)
    return evaluation.matches(query, among: candidates)
  }
}

// MARK: - Evaluating a query

/// One evaluation: the query's terms are answered as sets, each looking only at the
/// papers that can still match (`among`). It never goes to the library: everything it needs
/// is in the index, which may have been opened from a file while the library's papers are
/// still on disk.
private struct Evaluation {
  let index: SearchIndex
  let reading: ReadingIndex
  /// Only for `is:new`, whose few papers are known by id.
  let lookup: Library.IDLookup

  mutating func matches(_ query: Query, among candidates: PaperSet) -> PaperSet {
    if candidates.isEmpty { return candidates }
    switch query {
    case .everything:
      return candidates
    case .year(let range):
      return index.filter(candidates) { index.isDated($0) && range.contains(index.year(of: $0)) }
    case .added(let range):
      return index.filter(candidates) { range.contains(index.addedSeconds(of: $0)) }
    case .status(let status):
      return statusMatches(status, among: candidates)
    case .fetched(let papers):
      var found = PaperSet(capacity: candidates.capacity)
      for id in papers { if let position = lookup.index(of: id), candidates.contains(position) { found.insert(position) } }
      return found
    case .not(let inner):
      return candidates.subtracting(matches(inner, among: candidates))
    case .and(let parts):
      // Each part only looks at the papers every earlier part kept; cheap parts go first (the
      // order changes the time taken, never the result).
      var running = candidates
      for part in parts.sorted(by: { Self.cost(of: $0) < Self.cost(of: $1) }) {
        running = matches(part, among: running)
        if running.isEmpty { break }
      }
      return running
    case .or(let parts):
      // A paper one part has matched need not be looked at by the others.
      var found = PaperSet(capacity: candidates.capacity)
      var remaining = candidates
      for part in parts {
        let hits = matches(part, among: remaining)
        found.formUnion(hits)
        remaining.subtract(hits)
        if remaining.isEmpty { break }
      }
      return found
    case .text(let text, let field):
      return textMatches(text, field, among: candidates)
    }
  }

  /// A rough order of cost, for ordering the parts of an `and`.
  static func cost(of query: Query) -> Int {
    switch query {
    case .everything, .year, .added, .status, .fetched: return 0
    case .text(_, .tag?), .text(_, .note?), .text(_, .id?): return 1
    case .text(_, .title?), .text(_, .author?), .text(_, .venue?), .text(_, .doi?), .text(_, .arxiv?): return 2
    case .text: return 3
    case .not, .and, .or: return 4
    }
  }

  mutating func statusMatches(_ status: ReadStatus, among candidates: PaperSet) -> PaperSet {
    status == .read ? candidates.intersection(reading.read) : candidates.subtracting(reading.read)
  }

  mutating func textMatches(_ text: String, _ field: Query.Field?, among candidates: PaperSet) -> PaperSet {
    let key = TextNormalizer.key(text)
    if key.isEmpty { return candidates }
    let needle = Needle(key)
    switch field {
    case .title:
      let found = index.search(needle, in: .title ... .title, among: candidates)
      return found.union(papers(among: candidates.subtracting(found), withTitles: needle.isFound))
    case .author: return index.search(needle, in: .authors ... .authors, among: candidates)
    case .venue: return index.search(needle, in: .venue ... .venue, among: candidates)
    case .abstract: return index.search(needle, in: .abstract ... .abstract, among: candidates)
    case .doi: return index.search(needle, in: .doi ... .doi, among: candidates)
    case .arxiv: return index.search(needle, in: .arxiv ... .arxiv, among: candidates)
    case .tag:
      return papers(among: candidates, taggedWith: { $0 == key })
    case .note:
      return papers(among: candidates, withNotes: needle.isFound)
    case .id:
      return index.ids.papers(among: candidates, withPrefix: text.lowercased())
    case nil:
      // The short fields first: the abstracts of papers found there need not be read.
      var found = index.search(needle, in: .title ... .venue, among: candidates)
      found.formUnion(index.search(needle, in: .abstract ... .abstract, among: candidates.subtracting(found)))
      found.formUnion(papers(among: candidates.subtracting(found), taggedWith: needle.isFound))
      found.formUnion(papers(among: candidates.subtracting(found), withNotes: needle.isFound))
      found.formUnion(papers(among: candidates.subtracting(found), withTitles: needle.isFound))
      return found
    }
  }

  /// The candidates carrying a tag (folded) that passes the test.
  func papers(among candidates: PaperSet, taggedWith test: (String) -> Bool) -> PaperSet {
    var found = PaperSet(capacity: candidates.capacity)
    if candidates.isEmpty { return found }
    for (tag, papers) in reading.papersByTag where test(tag) { found.formUnion(papers.intersection(candidates)) }
    return found
  }

  /// The candidates with a title of the reader's (folded) that passes the test.
  func papers(among candidates: PaperSet, withTitles test: (String) -> Bool) -> PaperSet {
    var found = PaperSet(capacity: candidates.capacity)
    if candidates.isEmpty { return found }
    for (paper, title) in reading.titles where candidates.contains(paper) && test(title) { found.insert(paper) }
    return found
  }

  /// The candidates with a note (folded) that passes the test.
  func papers(among candidates: PaperSet, withNotes test: (String) -> Bool) -> PaperSet {
    var found = PaperSet(capacity: candidates.capacity)
    if candidates.isEmpty { return found }
    for (paper, note) in reading.notes where candidates.contains(paper) && test(note) { found.insert(paper) }
    return found
  }
}

extension SearchIndex {
  fileprivate func isDated(_ paper: Int) -> Bool { dated.contains(paper) }
  fileprivate func year(of paper: Int) -> Int { years[paper] }
  fileprivate func addedSeconds(of paper: Int) -> Double { addedSeconds[paper] }

  /// The candidates that pass a test.
  fileprivate func filter(_ candidates: PaperSet, _ test: (Int) -> Bool) -> PaperSet {
    var found = PaperSet(capacity: candidates.capacity)
    for paper in candidates where test(paper) { found.insert(paper) }
    return found
  }
}

// MARK: - Searching the folded text

extension SearchIndex {
  /// The candidates with the needle inside one of the fields `slots` (authors one by one),
  /// which lie in one section.
  fileprivate func search(_ needle: Needle, in slots: ClosedRange<Slot>, among candidates: PaperSet) -> PaperSet {
    if candidates.isEmpty { return candidates }
    let section = [front, abstracts, identifiers].first { $0.slots.contains(slots.lowerBound) }!
    precondition(section.slots.contains(slots.upperBound), "fields \(slots) span two sections")
    // Bytes decide for plain text; the rest is checked the way `Query.matches` does.
    let byBytes = needle.isPlain ? candidates.subtracting(exotic) : PaperSet(capacity: count)
    var found = PaperSet(capacity: count)
    if slots.upperBound.rawValue <= Slot.abstract.rawValue {
      // Field by field, each only among the papers not found in an earlier one.
      for slot in slots.lowerBound.rawValue...slots.upperBound.rawValue {
        let remaining = byBytes.subtracting(found)
        if remaining.isEmpty { break }
        found.formUnion(searchWords(in: section, Slot(rawValue: slot)!, for: needle, among: remaining))
      }
    } else {
      found = scan(section, slots, for: needle, among: byBytes)
    }
    for paper in candidates.subtracting(byBytes) where slowlyMatches(paper, needle, in: section, slots) {
      found.insert(paper)
    }
    return found
  }

  /// The candidates whose field's bytes contain the needle's. A rare word is looked up in
  /// the field's word index rather than read for; a phrase is read for only in the papers
  /// that have words holding each of its parts.
  private func searchWords(in section: Section, _ slot: Slot, for needle: Needle, among candidates: PaperSet) -> PaperSet {
    if candidates.isEmpty { return candidates }
    // Beyond this many papers listed, reading the text (which stops at each paper's first
    // match) is as quick as going through the lists.
    let limit = 16 * count
    let parts = needle.bytes.split(separator: 0x20)
    // Each part of a phrase lies inside one word: only papers with a word holding every
    // part can hold the phrase. Parts used too often to narrow anything are passed over.
    var narrowed: PaperSet?
    for part in parts.sorted(by: { $0.count > $1.count }) {
      guard let papers = words[slot.rawValue].papers(containing: Array(part), among: narrowed ?? candidates, limit: limit)
      else { continue }
      narrowed = papers
      if papers.isEmpty { break }
    }
    guard let narrowed else { return scan(section, slot...slot, for: needle, among: candidates) }
    // A needle within one word is found exactly; a phrase is checked in what is left.
    return parts.count == 1 ? narrowed : scan(section, slot...slot, for: needle, among: narrowed)
  }

  /// The candidates whose bytes in `slots` contain the needle's: split over the cores when
  /// there is much text to read.
  private func scan(
    _ section: Section, _ slots: ClosedRange<Slot>, for needle: Needle, among candidates: PaperSet
  ) -> PaperSet {
    if candidates.isEmpty { return candidates }
    let searcher = ByteSearcher(needle.bytes, frequencies: byteFrequency)
    let sectionBytes = section.start(of: count) - section.start(of: 0)
    let bytesToRead = candidates.count * sectionBytes / count
    let workers = bytesToRead >= 4_000_000 ? Self.workerCount : 1
    let pieces = Self.split(0..<count, into: workers) { section.start(of: $0) }
    let found = Self.concurrentMap(pieces) { papers in
      self.scan(papers, of: section, slots, searcher, candidates)
    }
    return found.dropFirst().reduce(into: found[0]) { $0.formUnion($1) }
  }

  /// One piece of a scan: the candidates among `papers` whose fields hold the needle. Runs
  /// of neighbouring candidates are read as one stream.
  private func scan(
    _ papers: Range<Int>, of section: Section, _ slots: ClosedRange<Slot>, _ searcher: ByteSearcher,
    _ candidates: PaperSet
  ) -> PaperSet {
    var found = PaperSet(capacity: count)
    text.withUnsafeBytes { text in
      searcher.needle.withUnsafeBytes { needle in
        var next = candidates.firstMember(from: papers.lowerBound)
        while let first = next, first < papers.upperBound {
          let end = min(candidates.firstNonMember(from: first), papers.upperBound)
          scanRun(first..<end, of: section, slots, text.baseAddress!, needle.baseAddress!, searcher, into: &found)
          next = candidates.firstMember(from: end)
        }
      }
    }
    return found
  }

  /// Reads the section's part for a run of neighbouring papers as one stream of bytes. A
  /// match outside the fields `slots` (a title when searching authors) is passed over; after
  /// a match the rest of that paper is skipped.
  private func scanRun(
    _ run: Range<Int>, of section: Section, _ slots: ClosedRange<Slot>, _ base: UnsafeRawPointer,
    _ needle: UnsafeRawPointer, _ searcher: ByteSearcher, into found: inout PaperSet
  ) {
    let length = searcher.needle.count
    var paper = run.lowerBound
    var position = section.window(of: paper, slots).lowerBound
    let stop = section.window(of: run.upperBound - 1, slots).upperBound
    while let hit = searcher.firstMatch(in: base, needle: needle, from: position, to: stop) {
      // (A hit lies before the run's end, so the first test only holds for a damaged file.)
      while paper + 1 < run.upperBound, section.start(of: paper + 1) <= hit { paper += 1 }
      let fields = section.window(of: paper, slots)
      if hit < fields.lowerBound {
        position = fields.lowerBound
        continue
      }
      if hit + length <= fields.upperBound { found.insert(paper) }
      paper += 1
      guard paper < run.upperBound else { return }
      position = section.window(of: paper, slots).lowerBound
    }
  }

  /// Whether the needle is in one of the fields, compared as `Query.matches` compares: used
  /// for text that byte comparison cannot judge (see `FoldedText.isPlain`).
  private func slowlyMatches(_ paper: Int, _ needle: Needle, in section: Section, _ slots: ClosedRange<Slot>) -> Bool {
    for slot in slots.lowerBound.rawValue...slots.upperBound.rawValue {
      let slot = Slot(rawValue: slot)!
      let field = text[section.window(of: paper, slot...slot)]
      let values = slot == .authors ? field.split(separator: Self.authorSeparator) : [field]
      if values.contains(where: { String(decoding: $0, as: UTF8.self).contains(needle.string) }) { return true }
    }
    return false
  }
}

// MARK: - Building

extension SearchIndex {
  /// The folded text of some neighbouring papers, built on one core: each section's bytes,
  /// and where each field starts in them.
  fileprivate struct FoldedPiece: Sendable {
    var front: [UInt8] = []
    var frontStarts: [Int] = []
    var abstracts: [UInt8] = []
    var abstractStarts: [Int] = []
    var identifiers: [UInt8] = []
    var identifierStarts: [Int] = []
    /// The papers (counted from the piece's first) with text that is not plain.
    var exotic: [Int] = []

    init(_ papers: ArraySlice<Paper>) {
      var plainness = FoldedText.PlainnessCache()
      for (offset, paper) in papers.enumerated() {
        var plain = true
        /// Appends the folded values as one field: separated by `authorSeparator`, then
        /// ended by `fieldSeparator`.
        func field(_ values: [String?], to bytes: inout [UInt8], starts: inout [Int]) {
          starts.append(bytes.count)
          for (position, value) in values.enumerated() {
            if position > 0 { bytes.append(authorSeparator) }
            guard let value else { continue }
            let key = TextNormalizer.key(value)
            bytes.append(contentsOf: key.utf8)
            if plain, !plainness.isPlain(key) { plain = false }
          }
          bytes.append(fieldSeparator)
        }
        field([paper.title], to: &front, starts: &frontStarts)
        field(paper.authors, to: &front, starts: &frontStarts)
        field([paper.venue], to: &front, starts: &frontStarts)
        field([paper.abstract], to: &abstracts, starts: &abstractStarts)
        field([paper.doi], to: &identifiers, starts: &identifierStarts)
        field([paper.arxiv], to: &identifiers, starts: &identifierStarts)
        if !plain { exotic.append(offset) }
      }
    }
  }

  /// Counts bytes over about two million places spread through the text.
  fileprivate static func sampleFrequencies(_ text: UnsafeBufferPointer<UInt8>) -> [Int] {
    var frequency = [Int](repeating: 0, count: 256)
    let step = max(1, text.count / 2_000_000)
    var position = 0
    while position < text.count {
      frequency[Int(text[position])] += 1
      position += step
    }
    return frequency
  }
}

// MARK: - Running on every core

extension SearchIndex {
  /// How many pieces work is split into: one per core (up to 8).
  static let workerCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))

  /// Splits a range of papers into `pieces` neighbouring ranges of about equal size, where
  /// size is measured by `position` (a paper's start in the text, or by default its index).
  static func split(_ papers: Range<Int>, into pieces: Int, position: (Int) -> Int = { $0 }) -> [Range<Int>] {
    guard pieces > 1, papers.count >= pieces else { return [papers] }
    let low = position(papers.lowerBound)
    let high = position(papers.upperBound)
    var bounds = [papers.lowerBound]
    for piece in 1..<pieces {
      let target = low + (high - low) * piece / pieces
      // The first paper at or past the target: a binary search, as positions only grow.
      var range = bounds.last!..<papers.upperBound
      while !range.isEmpty {
        let middle = range.lowerBound + range.count / 2
        range = position(middle) < target ? (middle + 1)..<range.upperBound : range.lowerBound..<middle
      }
      bounds.append(range.lowerBound)
    }
    bounds.append(papers.upperBound)
    return zip(bounds, bounds.dropFirst()).map { $0..<$1 }.filter { !$0.isEmpty }
  }

  /// `transform` applied to each element, on as many cores as there are elements.
  static func concurrentMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) -> Result
  ) -> [Result] {
    if elements.count <= 1 { return elements.map(transform) }
    let results = Results<Result>(count: elements.count)
    DispatchQueue.concurrentPerform(iterations: elements.count) { position in
      results[position] = transform(elements[position])
    }
    return results.values
  }

  /// The results of concurrent work, one slot per worker, behind a lock.
  private final class Results<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(position: Int) -> Value? {
      get { locked { slots[position] } }
      set { locked { slots[position] = newValue } }
    }

    var values: [Value] { locked { slots.map { $0! } } }

    private func locked<T>(_ body: () -> T) -> T {
      lock.lock()
      defer { lock.unlock() }
      return body()
    }
  }
}

// MARK: - Needles and bytes

/// A folded needle and how it is compared.
private struct Needle: Sendable {
  let string: String
  let bytes: [UInt8]
  /// Whether byte comparison gives the same answer as `String.contains` (see `FoldedText`).
  let isPlain: Bool

  init(_ folded: String) {
    string = folded
    bytes = Array(folded.utf8)
    var cache = FoldedText.PlainnessCache()
    isPlain = cache.isPlain(folded)
  }

  /// Whether a folded text (a tag or a note) contains the needle, as `Query.matches` decides.
  func isFound(in folded: String) -> Bool {
    var cache = FoldedText.PlainnessCache()
    guard isPlain, cache.isPlain(folded) else { return folded.contains(string) }
    var folded = folded
    return folded.withUTF8 { text in
      bytes.withUnsafeBufferPointer { needle in
        guard text.count >= needle.count else { return false }
        return (0...(text.count - needle.count)).contains { start in
          text[start] == needle[0] && memcmp(text.baseAddress! + start, needle.baseAddress!, needle.count) == 0
        }
      }
    }
  }
}

/// Which folded text byte comparison can judge.
///
/// `Query.matches` uses Foundation's `String.contains`, which treats canonically
/// equivalent text as equal (a precomposed Hangul syllable and its jamo) and will not match
/// inside a composed character (half of "각", or a letter before a combining sound mark).
/// For text made only of plain scalars — ones that are their own canonical composition,
/// combine with nothing and stand as a character on their own — that is exactly a byte
/// comparison of the UTF-8: checked over every scalar `TextNormalizer.key` can produce,
/// against random neighbours. Almost all folded text is plain (accents are folded away, and
/// CJK, Greek, Cyrillic, kana and Hangul syllables are plain); the rest is compared slowly.
enum FoldedText {
  static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return true }
    let properties = scalar.properties
    if properties.canonicalCombiningClass != .notReordered || properties.isGraphemeExtend
      || properties.isFullCompositionExclusion
    {
      return false
    }
    // Joins nothing on either side (conjoining jamo, prepended and spacing letters do).
    let alone = String(scalar)
    return ("a" + alone + "a").count == 3 && (alone + alone).count == 2
  }

  /// Remembers the verdict for each non-ASCII scalar seen.
  struct PlainnessCache {
    private var known: [UInt32: Bool] = [:]

    mutating func isPlain(_ folded: String) -> Bool {
      if Self.isASCII(folded) { return true }
      for scalar in folded.unicodeScalars where !scalar.isASCII {
        let plain = known[scalar.value] ?? FoldedText.isPlain(scalar)
        known[scalar.value] = plain
        if !plain { return false }
      }
      return true
    }

    private static func isASCII(_ text: String) -> Bool {
      var text = text
      return text.withUTF8 { bytes in
        // Eight bytes at a time: ASCII bytes have no high bit.
        var position = 0
        var high: UInt64 = 0
        while position + 8 <= bytes.count {
          high |= UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self)
          position += 8
        }
        while position < bytes.count {
          high |= UInt64(bytes[position])
          position += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
      }
    }
  }
}

/// Finds a needle's bytes in text: a vector filter on two of its bytes (the rarest) picks
/// the few places worth comparing in full.
private struct ByteSearcher: Sendable {
  let needle: [UInt8]
  /// Offsets in the needle of the two bytes the filter compares.
  let firstProbe: Int
  let secondProbe: Int
  /// The needle's first (up to) eight bytes, as a little-endian word, and which bits of a
  /// word they fill: most needles are compared with one load.
  let head: UInt64
  let headMask: UInt64

  init(_ needle: [UInt8], frequencies: Column<Int>?) {
    precondition(!needle.isEmpty, "an empty needle matches everywhere and is never searched for")
    self.needle = needle
    // The rarest byte, then the rarest byte of another word: the letters of a common word
    // come together ("network" has both k and w), while two words rarely follow each other
    // by chance. Failing that, the rarest other byte, or the same byte elsewhere.
    let rarity = needle.indices.filter { needle[$0] != 0x20 }.sorted { a, b in
      let fa = frequencies?[Int(needle[a])] ?? 0
      let fb = frequencies?[Int(needle[b])] ?? 0
      return fa != fb ? fa < fb : a < b
    }
    let word = needle.indices.map { position in needle[..<position].count { $0 == 0x20 } }
    let first = rarity.first ?? 0
    let others = rarity.dropFirst().filter { needle[$0] != needle[first] }
    firstProbe = first
    secondProbe = others.first { word[$0] != word[first] } ?? others.first ?? rarity.dropFirst().first ?? first
    var head: UInt64 = 0
    for (offset, byte) in needle.prefix(8).enumerated() { head |= UInt64(byte) << (8 * UInt64(offset)) }
    self.head = head
    headMask = needle.count >= 8 ? ~0 : (1 << (8 * UInt64(needle.count))) - 1
  }

  /// The first place in `from..<to` where the whole needle lies (ending by `to`). The text
  /// must be readable for `SearchIndex.padding` bytes past `to`.
  func firstMatch(in text: UnsafeRawPointer, needle: UnsafeRawPointer, from: Int, to: Int) -> Int? {
    let lastStart = to - self.needle.count
    var start = from
    guard start <= lastStart else { return nil }
    let first = SIMD32<UInt8>(repeating: self.needle[firstProbe])
    let second = SIMD32<UInt8>(repeating: self.needle[secondProbe])
    let firstText = text + firstProbe
    let secondText = text + secondProbe
    /// The starts in `at..<at + 32` that have both probe bytes.
    @inline(__always) func candidates(_ at: Int) -> SIMDMask<SIMD32<Int8>> {
      (firstText.loadUnaligned(fromByteOffset: at, as: SIMD32<UInt8>.self) .== first)
        .& (secondText.loadUnaligned(fromByteOffset: at, as: SIMD32<UInt8>.self) .== second)
    }
    // 128 starts at a time while all of them can hold the needle: the loads stay inside
    // the text, and one test covers four vectors.
    while start &+ 127 <= lastStart {
      let a = candidates(start)
      let b = candidates(start &+ 32)
      let c = candidates(start &+ 64)
      let d = candidates(start &+ 96)
      if Self.isAnySet((a .| b) .| (c .| d)) {
        let low = Self.bits(a) | Self.bits(b) << 32
        let high = Self.bits(c) | Self.bits(d) << 32
        if let hit = confirm(text, needle, low, from: start, upTo: lastStart)
          ?? confirm(text, needle, high, from: start &+ 64, upTo: lastStart)
        {
          return hit
        }
      }
      start &+= 128
    }
    // Then 32 at a time; these loads may read into the padding, and `confirm` looks only at
    // starts that can hold the needle.
    while start <= lastStart {
      let a = candidates(start)
      if Self.isAnySet(a), let hit = confirm(text, needle, Self.bits(a), from: start, upTo: lastStart) { return hit }
      start &+= 32
    }
    return nil
  }

  /// The first start (of those in `candidates`, bit i standing for `from + i`, up to
  /// `lastStart`) where the whole needle lies.
  @inline(__always)
  private func confirm(
    _ text: UnsafeRawPointer, _ needle: UnsafeRawPointer, _ candidates: UInt64, from: Int, upTo lastStart: Int
  ) -> Int? {
    var candidates = candidates
    while candidates != 0 {
      let start = from &+ candidates.trailingZeroBitCount
      if start > lastStart { return nil }
      // The padding after the text makes the eight-byte load safe.
      if text.loadUnaligned(fromByteOffset: start, as: UInt64.self) & headMask == head,
        self.needle.count <= 8 || memcmp(text + start + 8, needle + 8, self.needle.count - 8) == 0
      {
        return start
      }
      candidates &= candidates &- 1
    }
    return nil
  }

  /// `any(mask)`, without the generic reduction Swift calls out of line.
  @inline(__always)
  private static func isAnySet(_ mask: SIMDMask<SIMD32<Int8>>) -> Bool {
    let lanes = unsafeBitCast(mask, to: SIMD4<UInt64>.self)
    return (lanes[0] | lanes[1]) | (lanes[2] | lanes[3]) != 0
  }

  /// The mask as 32 bits, lane i as bit i (what SSE's movemask gives, which Swift lacks).
  @inline(__always)
  private static func bits(_ mask: SIMDMask<SIMD32<Int8>>) -> UInt64 {
    let lanes = unsafeBitCast(mask, to: SIMD4<UInt64>.self)
    /// The top bits of a word's eight bytes, gathered into its top byte by one multiply.
    @inline(__always) func gather(_ word: UInt64) -> UInt64 {
      ((word & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
    }
    return gather(lanes[0]) | gather(lanes[1]) << 8 | gather(lanes[2]) << 16 | gather(lanes[3]) << 24
  }
}

/// Two indexes are the same when they are one index: an index is never changed once built.
extension SearchIndex: Equatable {
  public static func == (a: SearchIndex, b: SearchIndex) -> Bool { a === b }
}
