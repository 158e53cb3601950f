/// The reading state arranged for searching: which papers (by library index) are read, and
/// the tags and notes of those that have any, already folded. The reader keeps one up to
/// date change by change, so a search never maps ids to papers or folds a tag again: with
/// tens of thousands of papers touched that would cost more than the search itself.
public struct ReadingIndex: Sendable {
  /// The papers read.
  public private(set) var read: PaperSet
  /// Papers with tags or a note, in no particular order, with their folded text.
  private(set) var annotated: [Annotation] = []
  /// Where each annotated paper sits in `annotated`.
  private var position: [Int: Int] = [:]

  struct Annotation: Sendable {
    var paper: Int
    var tags: [String]
    var note: String?
  }

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
    let tags = state.tags.map(TextNormalizer.key)
    let note = state.note.map(TextNormalizer.key)
    if let at = position[paper] {
      if tags.isEmpty && note == nil {
        // Swap-remove: order does not matter, and removal stays O(1).
        let last = annotated.removeLast()
        if at < annotated.count {
          annotated[at] = last
          position[last.paper] = at
        }
        position[paper] = nil
      } else {
        annotated[at].tags = tags
        annotated[at].note = note
      }
    } else if !tags.isEmpty || note != nil {
      position[paper] = annotated.count
      annotated.append(Annotation(paper: paper, tags: tags, note: note))
    }
  }
}
