/// The reading state arranged for searching: which papers (by library index) are read,
/// which carry each tag, and their notes, already folded. The reader keeps one up to date
/// change by change, so a search never maps ids to papers or folds a tag again: with tens
/// of thousands of papers touched that would cost more than the search itself.
public struct ReadingIndex: Sendable {
  /// The papers read.
  public private(set) var read: PaperSet
  /// The papers carrying each folded tag. A word is looked for in the few distinct tags,
  /// not in every tagged paper's tags.
  private(set) var papersByTag: [String: Set<Int>] = [:]
  /// Each tagged paper's folded tags, to take it out of `papersByTag` when they change.
  private var tagsOf: [Int: [String]] = [:]
  /// Folded notes, by paper.
  private(set) var notes: [Int: String] = [:]

  /// From the state of every paper in `library`; states of papers not in it are left out.
  public init(reading: ReadingState, library: Library) {
    read = PaperSet(capacity: library.count)
    for (id, state) in reading.papers {
      guard let index = library.index(of: id) else { continue }
      update(index, to: state)
    }
  }

  /// Records a paper's new state.
  public mutating func update(_ paper: Int, to state: PaperState) {
    if state.status == .read { read.insert(paper) } else { read.remove(paper) }
    for tag in tagsOf[paper] ?? [] {
      papersByTag[tag]?.remove(paper)
      if papersByTag[tag]?.isEmpty ?? false { papersByTag[tag] = nil }
    }
    var tags: [String] = []
    for tag in state.tags.map(TextNormalizer.key) where !tags.contains(tag) {
      tags.append(tag)
      papersByTag[tag, default: []].insert(paper)
    }
    tagsOf[paper] = tags.isEmpty ? nil : tags
    notes[paper] = state.note.map(TextNormalizer.key)
  }
}
