import Foundation
import Testing

@testable import QuireModel

@Suite("Import")
struct ImporterTests {
  @Test("formats are recognised from their content, whatever the file is called", arguments: [
    ("@article{k, title={T}}", ImportFormat.bibtex), ("% comment\n@Book{x,\n}", .bibtex),
    ("TY  - JOUR\nTI  - T\nER  - \n", .ris), ("<?xml version=\"1.0\"?><feed></feed>", .atom),
    ("[{\"title\": \"T\"}]", .cslJSON), ("{\"title\": \"T\"}\n{\"title\": \"U\"}\n", .jsonl),
    ("{\n  \"items\": []\n}", .cslJSON), ("- Paper added: T", .readingList),
    ("\u{FEFF}  - Published: 1 May 2020\n", .readingList),
  ])
  func detect(text: String, format: ImportFormat) {
    #expect(ImportFormat.detect(text, name: "no-extension") == format)
  }

  @Test("the name is only a hint, used when the content says nothing")
  func nameHint() {
    #expect(ImportFormat.detect("", name: "refs.bib") == .bibtex)
    #expect(ImportFormat.detect("just words", name: "notes") == nil)
  }

  @Test("files that are not text, or not UTF-8, are refused with a clear reason")
  func notText() {
    #expect(throws: Importer.ReadError.self) { try Importer.read(Data([0x40, 0x00, 0x41]), file: "x.bib") }
    #expect(throws: Importer.ReadError.self) { try Importer.read(Data([0x40, 0xC3, 0x28]), file: "x.bib") }
    do { _ = try Importer.read(Data("just words".utf8), file: "notes") } catch {
      #expect(error.description.contains("--format"))
    }
  }

  @Test("identifiers written many ways", arguments: [
    ("https://doi.org/10.1063/1.4944470", "10.1063/1.4944470"), ("doi:10.1000/ABC", "10.1000/abc"),
    ("http://dx.doi.org/10.1/x", "10.1/x"), ("https://example.org/paper", nil),
  ])
  func dois(raw: String, expected: String?) {
    #expect(Identifier.doi(raw) == expected)
  }

  @Test("arXiv ids, any version", arguments: [
    ("http://arxiv.org/abs/1703.00573v5", "1703.00573"), ("arXiv:1703.00573", "1703.00573"),
    ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"), ("https://example.org/a.pdf", nil),
  ])
  func arxivIDs(raw: String, expected: String?) {
    #expect(Identifier.arxiv(raw) == expected)
  }

  @Test("the same paper by DOI or arXiv id is one paper, whatever its title says; the first id stays")
  func mergeByIdentifier() {
    let bib = BibTeXParser(file: "a.bib").parse(#"""
      @inproceedings{a, title = {Generalization and Equilibrium in GANs}, author = {Arora, Sanjeev},
        year = 2017, eprint = {1703.00573}, archivePrefix = {arXiv}}
      @article{b, title = {Inelastic effects}, doi = {10.1063/1.4944470}, year = 2016}
      """#).entries.map { $0.listing(file: "a.bib") }
    let atom = AtomParser(file: "f.xml").parse(Data(AtomTests.feed.utf8)).entries.map { $0.listing(file: "f.xml") }
    var other = Listing(title: "Inelastic effects in molecular transport junctions", source: SourceLocation(file: "r.ris", line: 1))
    other.links = [PaperLink(label: "doi", url: "https://doi.org/10.1063/1.4944470")]
    var library = Library(name: "x", listings: bib)
    let ids = library.papers.map(\.id)
    #expect(library.add(atom[0]) == false)  // arXiv 1703.00573v5: the BibTeX paper
    #expect(library.add(other) == false)  // same DOI, longer title
    #expect(library.count == 2)
    #expect(library.papers.map(\.id) == ids)
    #expect(library[0].arxiv == "1703.00573")
    #expect(library[0].abstract?.hasPrefix("We show that training") == true)  // gained from the feed
    #expect(library[1].alternates.first?.title == "Inelastic effects in molecular transport junctions")
  }

  @Test("same title: one paper if first author and year agree (or are unknown), two if not")
  func sameTitle() {
    let text = #"""
      @article{a, title = {Introduction}, author = {Smith, Ann}, year = 2001}
      @article{b, title = {Introduction}, author = {Jones, Bob}, year = 2001}
      @article{c, title = {{I}ntroduction.}, author = {Smith, A.}, year = 2001, journal = {J}}
      @article{d, title = {Introduction}, author = {Smith, Ann}, year = 2019}
      """#
    let listings = BibTeXParser(file: "t.bib").parse(text).entries.map { $0.listing(file: "t.bib") }
    var library = Library(name: "t", listings: listings)
    #expect(library.count == 3)  // a and c are one paper; b and d are others
    #expect(library[0].venue == "J")
    #expect(Set(library.papers.map(\.id)).count == 3)
    // A listing known only by its title joins the first paper of that title.
    #expect(library.add(Listing(title: "Introduction", source: SourceLocation(file: "r", line: 1))) == false)
    // Rebuilt in the same order, every paper keeps its id.
    #expect(Library(name: "again", listings: listings).papers.map(\.id) == library.papers.map(\.id))
  }

  @Test("every format reports progress while it reads a large file", arguments: ImportFormat.allCases)
  func progress(format: ImportFormat) throws {
    let library = Library(name: "big", listings: (0..<3_000).map { n in
      var listing = Listing(title: "Paper \(n)", authors: ["Ann Smith"], year: 2000, source: SourceLocation(file: "g", line: n))
      listing.abstract = "An abstract"
      return listing
    })
    let text: String
    switch format {
    case .readingList:
      text = (0..<3_000).map { "- Published: 1 May 2020\n**authors:** A B\n**abstract:** Paper \($0) abstract.\n" }.joined()
    case .atom:
      text = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n" + (0..<3_000).map { "<entry>\n<id>http://arxiv.org/abs/2001.\(10000 + $0)v1</id>\n<title>Paper \($0)</title>\n</entry>\n" }.joined() + "</feed>\n"
    case .rss:
      text = "<rss version=\"2.0\"><channel>\n" + (0..<3_000).map { "<item>\n<guid>oai:arXiv.org:2001.\(10000 + $0)v1</guid>\n<title>Paper \($0)</title>\n</item>\n" }.joined() + "</channel></rss>\n"
    default:
      text = Exporter.write(library.papers, states: { _ in PaperState() }, format: ExportFormat(rawValue: format.rawValue)!)
    }
    var reports: [(Double, Int)] = []
    let result = try Importer.read(Data(text.utf8), file: "big", format: format) { reports.append(($0, $1)) }
    #expect(result.listings.count == 3_000)
    #expect(reports.count >= 2, "\(format.rawValue) reported \(reports.count) times")
    #expect(reports.allSatisfy { $0.0 >= 0 && $0.0 <= 1 })
    #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 <= $1.0 }, "progress never goes back")
  }

  @Test("the library store keeps papers without reading state and reads them back")
  func store() throws {
    let path = NSTemporaryDirectory() + "quire-store-\(UUID().uuidString)/library.jsonl"
    let library = BuiltinLibrary.load()
    try LibraryStore(path: path).save(library.papers)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("\"status\""))
    let again = Library(name: "again", listings: try LibraryStore(path: path).load())
    #expect(again.papers.map(\.id) == library.papers.map(\.id))
    try "not json\n".write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: StateStore.LoadError.self) { try LibraryStore(path: path).load() }
  }
}
