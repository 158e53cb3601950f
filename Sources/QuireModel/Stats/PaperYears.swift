/// Where the statistics find each paper's year. A library read from quire's library file
/// decodes a paper only when it is shown (a million of them take seconds), so its years are
/// taken from the search index, which holds every year in one array.
public struct PaperYears: Sendable {
  private enum Source: Sendable {
    case index(SearchIndex)
    case library(Library)
  }

  private let source: Source

  /// From a search index built for the library counted (the same papers in the same order).
  public init(index: SearchIndex) { source = .index(index) }

  /// From the library's papers themselves: for a library held in memory, where that is fast.
  public init(library: Library) { source = .library(library) }

  /// The years of a library, when they can be had without decoding stored papers: from the
  /// index when there is one for it, from the papers when they are all in memory.
  public static func available(for library: Library, index: SearchIndex?) -> PaperYears? {
    if let index, index.count == library.count { return PaperYears(index: index) }
    return library.storedIdentity == nil ? PaperYears(library: library) : nil
  }

  /// Calls `body` with each paper's index and year (nil when it has none), in order.
  func forEach(count: Int, _ body: (Int, Int?) -> Void) {
    switch source {
    case .index(let index):
      for paper in 0..<min(count, index.count) {
        body(paper, index.dated.contains(paper) ? index.years[paper] : nil)
      }
      if count > index.count { for paper in index.count..<count { body(paper, nil) } }
    case .library(let library):
      for paper in 0..<count { body(paper, library[paper].year) }
    }
  }
}
