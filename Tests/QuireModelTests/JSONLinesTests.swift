import Testing

@testable import QuireModel

@Suite("quire's JSON Lines")
struct JSONLinesTests {
  @Test("the built-in library goes out and comes back the same: ids, fields, alternates, status, tags")
  func roundTrip() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[0].id] = PaperState(status: .read, tags: ["theory", "approximation"])
    let text = library.papers.map { PaperExport.jsonLine($0, state: reading[$0.id]) }.joined(separator: "\n")
    let result = JSONLinesParser(file: "export.jsonl").parse(text)
    #expect(result.diagnostics.isEmpty)
    let again = Library(name: "again", listings: result.listings)
    #expect(again.papers.map(\.id) == library.papers.map(\.id))
    for (a, b) in zip(again.papers, library.papers) {
      #expect(a.title == b.title && a.authors == b.authors && a.venue == b.venue && a.year == b.year)
      #expect(a.published == b.published && a.links == b.links && a.abstract == b.abstract)
      #expect(a.alternates.map(\.year) == b.alternates.map(\.year))
      #expect(a.alternates.map(\.venue) == b.alternates.map(\.venue))
    }
    #expect(result.states.first == PaperState(status: .read, tags: ["theory", "approximation"]))
  }

  @Test("a line that is not a paper is reported; the others still read")
  func badLines() {
    let text = "{\"title\": \"Fine\", \"authors\": [\"A B\"]}\nnot json\n\n{\"year\": 2020}\n"
    let result = JSONLinesParser(file: "x.jsonl").parse(text)
    #expect(result.listings.map(\.title) == ["Fine"])
    #expect(result.diagnostics.map(\.line) == [2, 4])
    #expect(result.diagnostics.first?.description.hasPrefix("x.jsonl:2:") == true)
  }
}
