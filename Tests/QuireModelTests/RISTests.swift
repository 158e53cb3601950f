import Foundation
import Testing

@testable import QuireModel

@Suite("RIS")
struct RISTests {
  @Test("records, repeated tags, wrapped lines, CRLF and the paper they describe")
  func records() throws {
    let text = "TY  - JOUR\r\nAU  - Perozzi, Bryan\r\nAU  - Kapoor, Amol\r\nTI  - MixHop: Higher-Order Graph\r\n      Convolutional Architectures\r\nPY  - 2019/06/01\r\nJO  - PMLR\r\nDO  - 10.1/x\r\nUR  - https://a.org\r\nUR  - https://b.org\r\nKW  - graphs\r\nER  - \r\n\r\nTY  - BOOK\r\nTI  - Second\r\nER  -\r\n"
    let result = RISParser(file: "r.ris").parse(text)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.records.count == 2)
    let listing = result.records[0].listing(file: "r.ris")
    #expect(listing.title == "MixHop: Higher-Order Graph Convolutional Architectures")
    #expect(listing.authors == ["Bryan Perozzi", "Amol Kapoor"])
    #expect(listing.year == 2019)
    #expect(listing.venue == "PMLR")
    #expect(listing.links.map(\.url) == ["https://doi.org/10.1/x", "https://a.org", "https://b.org"])
    #expect(result.records[1].line == 14)
  }

  @Test("problems name the line; records still read")
  func problems() {
    let text = "stray\nAU  - Early, Bird\nTY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\n"
    let result = RISParser(file: "bad.ris").parse(text)
    #expect(result.records.count == 2)
    #expect(result.diagnostics.map(\.description) == [
      "bad.ris:1:1: expected a 'XX  - value' line, found 'stray'",
      "bad.ris:2:1: 'AU' outside a record; expected 'TY  - TYPE' first",
      "bad.ris:5:1: expected 'ER  -' to end the record started at line 3 before a new 'TY'",
      "bad.ris:6:1: expected 'ER  -' to end the record started at line 5",
    ])
  }

  @Test(
    "a real RIS export: every record read",
    .enabled(if: FileManager.default.fileExists(atPath: BibTeXTests.realworld), "../shared is not beside the package"))
  func realworld() throws {
    let file = "ris-01-tengann-IAV_PPI_Graph_Embedding_Review.ris"
    let result = RISParser(file: file).parse(try FileText.read(BibTeXTests.realworld + "/" + file))
    #expect(result.records.count == 76)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
    let listings = result.records.map { $0.listing(file: file) }
    #expect(listings.allSatisfy { $0.title != nil && !$0.authors.isEmpty })
    #expect(listings[0].title == "MixHop: Higher-Order Graph Convolutional Architectures via Sparsified Neighborhood Mixing")
  }
}
