/// The reading state arranged for searching: which papers (by library index) are read,
/// which carry each tag, and their notes and the titles the reader gave, already folded. The reader keeps one up to date
/// change by change, so a search never maps ids to papers or folds a tag again: with tens
/// of thousands of papers touched that would cost more than the search itself.
public struct ReadingIndex: Sendable, Equatable {
  /// The papers read.
  public private(set) var read: PaperSet
  /// The papers carrying each folded tag. A word is looked for in the few distinct tags,
  /// not in every tagged paper's tags.
  private(set) var papersByTag: [String: PaperSet] = [:]
  /// Folded notes, by paper.
  private(set) var notes: [Int: String] = [:]
  /// Folded titles the reader gave, by paper: found by `title:` and plain words, besides the
  /// listing's own title, which the search index holds.
  private(set) var titles: [Int: String] = [:]

  /// How often each tag (as written) was used by papers in the library when the index was
  /// built (`update` leaves it alone): counted here so the reader need not look every
  /// state up a second time at start.
  public private(set) var tagUse: [String: Int] = [:]

  /// From the state of every paper in `library`; states of papers not in it are left out.
  ///
  /// Built in one pass at start, where a million-paper library has hundreds of thousands
  /// of states but only dozens of distinct tags: each tag occurrence costs one look-up of
  /// the tag's number, then a bit set and a count in arrays.
  public init(reading: ReadingState, library: Library) {
    let capacity = library.count
    read = PaperSet(capacity: capacity)
    let lookup = library.idLookup
    var numbers: [String: Int] = [:]
    var written: [String] = []
    var uses: [Int] = []
    var sets: [PaperSet] = []
    var folded: [String] = []
    var setOfFolded: [String: Int] = [:]
    var setOfTag: [Int] = []
    for (id, state) in reading.papers {
      guard let index = lookup.index(of: id) else { continue }
      if state.status == .read { read.insert(index) }
      if let note = state.note { notes[index] = TextNormalizer.key(note) }
      if let title = state.title { titles[index] = TextNormalizer.key(title) }
      for tag in state.tags {
        let number: Int
        if let known = numbers[tag] {
          number = known
        } else {
          number = written.count
          numbers[tag] = number
          written.append(tag)
          uses.append(0)
          let key = TextNormalizer.key(tag)
          if let existing = setOfFolded[key] {
            setOfTag.append(existing)
          } else {
            setOfFolded[key] = sets.count
            setOfTag.append(sets.count)
            sets.append(PaperSet(capacity: capacity))
            folded.append(key)
          }
        }
        uses[number] += 1
        sets[setOfTag[number]].insert(index)
      }
    }
    for (number, tag) in written.enumerated() { tagUse[tag] = uses[number] }
    for (number, key) in folded.enumerated() { papersByTag[key] = sets[number] }
  }

  /// Records a paper's change from the state this index holds for it: only what changed is
  /// touched, so marking a million papers read never looks at their tags.
  public mutating func update(_ paper: Int, from old: PaperState, to state: PaperState) {
    if state.status != old.status {
      if state.status == .read { read.insert(paper) } else { read.remove(paper) }
    }
    if state.tags != old.tags {
      let tags = Set(state.tags.map(TextNormalizer.key))
      for key in Set(old.tags.map(TextNormalizer.key)) where !tags.contains(key) && papersByTag[key]?.contains(paper) == true {
        papersByTag[key]!.remove(paper)
        if papersByTag[key]!.isEmpty { papersByTag[key] = nil }
      }
      for key in tags { papersByTag[key, default: PaperSet(capacity: read.capacity)].insert(paper) }
    }
    if state.note != old.note { notes[paper] = state.note.map(TextNormalizer.key) }
    if state.title != old.title { titles[paper] = state.title.map(TextNormalizer.key) }
  }

  /// Records a paper's new state, whatever this index held for it.
  public mutating func update(_ paper: Int, to state: PaperState) {
    if state.status == .read { read.insert(paper) } else { read.remove(paper) }
    // A few dozen tags: looking in each is cheaper than keeping every paper's tags.
    let tags = Set(state.tags.map(TextNormalizer.key))
    for key in Array(papersByTag.keys) where !tags.contains(key) && papersByTag[key]!.contains(paper) {
      papersByTag[key]!.remove(paper)
      if papersByTag[key]!.isEmpty { papersByTag[key] = nil }
    }
    for key in tags { papersByTag[key, default: PaperSet(capacity: read.capacity)].insert(paper) }
    notes[paper] = state.note.map(TextNormalizer.key)
    titles[paper] = state.title.map(TextNormalizer.key)
  }
}
