import Foundation
import Testing

@testable import QuireModel

@Suite("Export")
struct ExporterTests {
  /// The built-in list plus papers with awkward text, as a user's library might be.
  static func library() -> Library {
    var listings = ReadingListParser(file: "seed").parse(BuiltinLibrary.readingListText).listings
    var odd = Listing(title: "Costs & Benefits of 100% {Braced} $x_1$ Titles_with_underscores", source: SourceLocation(file: "t", line: 1))
    odd.authors = ["Pál Erdős", "Jean-Pierre Serre"]
    odd.venue = "Annals #1"
    odd.year = 1959
    odd.abstract = #"A backslash \ and a \cite{X} survive."#
    odd.links = [PaperLink(label: "doi:10.1000/xyz", url: "https://doi.org/10.1000/xyz")]
    listings.append(odd)
    return Library(name: "lib", listings: listings)
  }

  @Test("BibTeX, CSL-JSON, RIS and JSON Lines exports read back as the same papers", arguments: [
    ExportFormat.bibtex, .cslJSON, .ris, .jsonl,
  ])
  func roundTrip(format: ExportFormat) throws {
    let library = Self.library()
    let text = Exporter.write(library.papers, states: { _ in PaperState() }, format: format)
    let result = try Importer.read(Data(text.utf8), file: "export", format: nil)
    #expect(result.format == (format == .jsonl ? .jsonl : ImportFormat(rawValue: format.rawValue)))
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
    let again = Library(name: "again", listings: result.listings)
    #expect(again.count == library.count)
    expectSamePapers(again, library)
  }

  @Test("a BibTeX entry's type, key and unknown fields come back out of an export")
  func keepsUnknownFields() throws {
    let text = #"""
      @phdthesis{Knuth:thesis,
        title = {Finite Semifields and Projective Planes}, author = {Knuth, Donald E.}, school = {Caltech},
        year = 1963, pages = {1--74}, note = {With {Marshall} {H}all as advisor}, x-custom = {kept}}
      """#
    let listings = BibTeXParser(file: "k.bib").parse(text).entries.map { $0.listing(file: "k.bib") }
    let library = Library(name: "k", listings: listings)
    #expect(library[0].extra["pages"] == "1--74")
    // Through the library store and back.
    let stored = JSONLinesParser(file: "s").parse(PaperExport.jsonLine(library[0], state: nil)).listings
    let again = Library(name: "again", listings: stored)
    let out = Exporter.write(again.papers, states: { _ in PaperState() }, format: .bibtex)
    #expect(out.hasPrefix("@phdthesis{Knuth:thesis,"))
    #expect(out.contains("pages = {1--74}"))
    #expect(out.contains("note = {With {Marshall} {H}all as advisor}"))
    #expect(out.contains("x-custom = {kept}"))
    let reread = try #require(BibTeXParser(file: "o.bib").parse(out).entries.first)
    #expect(reread["pages"] == "1--74" && reread["school"] == "Caltech")
  }

  @Test("citation keys are stable, readable and unique")
  func keys() {
    let keys = Exporter.citationKeys(Self.library().papers)
    #expect(keys[0] == "leshno1993several")
    #expect(keys.last == "erdos1959costs")
    #expect(Set(keys).count == keys.count)
  }

  @Test("status and tags travel in BibTeX and Markdown")
  func stateTravels() {
    let library = Self.library()
    var reading = ReadingState()
    reading[library[0].id] = PaperState(status: .read, tags: ["theory", "nn"])
    let bib = Exporter.write([library[0]], states: { reading[$0] }, format: .bibtex)
    #expect(bib.contains("quire-status = {read}"))
    #expect(bib.contains("keywords = {theory, nn}"))
    // And come back: quire's BibTeX brings its status and tags home.
    let back = try! Importer.read(Data(bib.utf8), file: "x.bib")
    #expect(back.states == [PaperState(status: .read, tags: ["theory", "nn"])])
    let foreign = try! Importer.read(Data("@article{k, title = {T}, keywords = {graphs, nets}}".utf8), file: "y.bib")
    #expect(foreign.states == nil)
    let markdown = Exporter.write(library.papers, states: { reading[$0] }, format: .markdown)
    #expect(markdown.contains("## To read (13)"))
    #expect(markdown.contains("## Read (1)"))
    #expect(markdown.contains("`#theory` `#nn`"))
  }
}
