import Foundation
import Testing

@testable import QuireModel

@Suite("Atom")
struct AtomTests {
  static let feed = """
    <?xml version="1.0" encoding="UTF-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
      <title>query</title>
      <entry>
        <id>http://arxiv.org/abs/1703.00573v5</id>
        <published>2017-03-02T01:37:02Z</published>
        <title>Generalization and Equilibrium in
          Generative Adversarial Nets (GANs)</title>
        <summary>  We show that training of generative adversarial network (GAN)
    may not have good generalization properties.</summary>
        <author><name>Sanjeev Arora</name></author>
        <author><name>Rong Ge</name><arxiv:affiliation>Duke</arxiv:affiliation></author>
        <arxiv:doi>10.5555/1</arxiv:doi>
        <arxiv:journal_ref>ICML 2017</arxiv:journal_ref>
        <link href="http://arxiv.org/abs/1703.00573v5" rel="alternate" type="text/html"/>
        <link title="pdf" href="http://arxiv.org/pdf/1703.00573v5" rel="related" type="application/pdf"/>
        <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
        <category term="stat.ML" scheme="http://arxiv.org/schemas/atom"/>
      </entry>
    </feed>
    """

  @Test("an arXiv entry: id and version, title, authors, summary, dates, DOI, journal, categories, links")
  func entry() throws {
    let result = AtomParser(file: "a.xml").parse(Data(Self.feed.utf8))
    #expect(result.diagnostics.isEmpty)
    let entry = try #require(result.entries.first)
    #expect(entry.arxivID?.id == "1703.00573")
    #expect(entry.arxivID?.version == 5)
    #expect(entry.authors == ["Sanjeev Arora", "Rong Ge"])
    #expect(entry.categories == ["cs.LG", "stat.ML"])
    #expect(entry.line == 4)
    let listing = entry.listing(file: "a.xml")
    #expect(listing.title == "Generalization and Equilibrium in Generative Adversarial Nets (GANs)")
    #expect(listing.abstract == "We show that training of generative adversarial network (GAN) may not have good generalization properties.")
    #expect(listing.venue == "ICML 2017")
    #expect(listing.year == 2017)
    #expect(listing.published == PublishedDate(year: 2017, month: 3, day: 2))
    #expect(listing.links.map(\.label) == ["arXiv:1703.00573v5", "doi:10.5555/1", "pdf"])
    #expect(listing.categories == ["cs.LG", "stat.ML"])
    let paper = Library(name: "a", listings: [listing])[0]
    #expect(paper.arxiv == "1703.00573" && paper.doi == "10.5555/1" && paper.categories == ["cs.LG", "stat.ML"])
    let back = JSONLinesParser(file: "x").parse(PaperExport.jsonLine(paper, state: nil)).listings[0]
    #expect(back.categories == ["cs.LG", "stat.ML"])
    #expect(paper.arxivVersion == 5)
    #expect(back.arxivVersion == 5)
  }

  @Test("broken XML is reported with line and column; what came before is kept")
  func broken() {
    let text = Self.feed.replacingOccurrences(of: "</feed>", with: "<entry><title>cut off")
    let result = AtomParser(file: "t.xml").parse(Data(text.utf8))
    #expect(result.entries.count == 1)
    #expect(result.diagnostics.first?.description.hasPrefix("t.xml:") == true)
    #expect(result.diagnostics.first?.column != nil)
    let notAFeed = AtomParser(file: "h.html").parse(Data("<html><body>Rate limited</body></html>".utf8))
    #expect(notAFeed.diagnostics.map(\.message) == ["expected an Atom <feed> element"])
  }

  @Test(
    "real arXiv API responses, 2020 and 2026 layouts",
    .enabled(if: FileManager.default.fileExists(atPath: BibTeXTests.realworld), "../shared is not beside the package"),
    arguments: [("atom-01-joe-antognini-zoia.xml", 1), ("atom-03-zhangyee-fastpaper-cli.xml", 3)])
  func realworld(file: String, expected: Int) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: BibTeXTests.realworld + "/" + file))
    let result = AtomParser(file: file).parse(data)
    #expect(result.diagnostics.isEmpty)
    #expect(result.entries.count == expected)
    for entry in result.entries {
      #expect(entry.arxivID != nil && !entry.title.isEmpty && !entry.authors.isEmpty && !entry.summary.isEmpty)
    }
    if file.hasPrefix("atom-01") {
      #expect(result.entries[0].doi == "10.1063/1.4944470")
      #expect(result.entries[0].journalRef == "J. Chem. Phys. 144, 124107 (2016)")
    } else {
      #expect(result.entries[0].title.hasPrefix("Déjà vu"))
    }
  }
}
