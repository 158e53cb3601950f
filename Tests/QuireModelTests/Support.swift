import Testing

@testable import QuireModel

/// Two libraries hold the same papers: ids, and every field an export carries.
func expectSamePapers(_ again: Library, _ original: Library, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
  #expect(again.papers.map(\.id) == original.papers.map(\.id), sourceLocation: sourceLocation)
  for (a, b) in zip(again.papers, original.papers) {
    #expect(a.title == b.title, sourceLocation: sourceLocation)
    #expect(a.authors == b.authors, sourceLocation: sourceLocation)
    #expect(a.year == b.year, sourceLocation: sourceLocation)
    #expect(a.venue == b.venue, sourceLocation: sourceLocation)
    #expect(a.abstract == b.abstract, sourceLocation: sourceLocation)
    #expect(a.doi == b.doi, sourceLocation: sourceLocation)
  }
}
