import Foundation
import Testing

@testable import QuireModel

@Suite("CSL-JSON")
struct CSLJSONTests {
  @Test("items as pandoc and Zotero write them")
  func items() throws {
    let text = """
      [
        {
          "id": "arora2017", "type": "paper-conference",
          "title": "Generalization and Equilibrium in  Generative Adversarial Nets",
          "author": [{"family": "Arora", "given": "Sanjeev"}, {"family": "Ge", "given": "Rong"}, {"literal": "The GAN Team"}],
          "container-title": "ICML", "issued": {"date-parts": [[2017, 8, 6]]},
          "abstract": "We show.", "DOI": "10.5555/1", "URL": "https://proceedings.mlr.press/v70/arora17a.html"
        },
        42,
        {"id": "empty"},
        {"title": "Only a title", "issued": {"date-parts": [["2016"]]}}
      ]
      """
    let result = CSLJSONParser(file: "c.json").parse(Data(text.utf8))
    #expect(result.listings.count == 2)
    let first = result.listings[0]
    #expect(first.title == "Generalization and Equilibrium in Generative Adversarial Nets")
    #expect(first.authors == ["Sanjeev Arora", "Rong Ge", "The GAN Team"])
    #expect(first.venue == "ICML")
    #expect(first.year == 2017)
    #expect(first.published == PublishedDate(year: 2017, month: 8, day: 6))
    #expect(first.links.map(\.url) == ["https://doi.org/10.5555/1", "https://proceedings.mlr.press/v70/arora17a.html"])
    #expect(first.source.line == 2)
    #expect(result.listings[1].year == 2016)
    #expect(result.listings[1].source.line == 11)
    #expect(result.diagnostics.map(\.description) == [
      "c.json:9: item 2: expected an object",
      "c.json:10: item 3: expected a title, authors or an abstract",
    ])
  }

  @Test("a syntax error names line and column; nothing is imported")
  func syntax() {
    let result = CSLJSONParser(file: "bad.json").parse(Data("[\n  {\"title\": nope}\n]".utf8))
    #expect(result.listings.isEmpty)
    #expect(result.diagnostics.first?.line == 2)
    #expect(result.diagnostics.first?.column != nil)
  }
}
