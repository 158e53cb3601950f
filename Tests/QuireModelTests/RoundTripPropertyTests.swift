import Foundation
import PropertyBased
import Testing

@testable import QuireModel

/// Generated libraries, with the text that trips exporters up (TeX specials, braces,
/// dashes, quotes, accents, CJK), go out in every format and come back the same.
@Suite("Round trips on generated libraries")
struct RoundTripPropertyTests {
  static let words = [
    "deep", "Learning", "Erdős", "théorie", "100%", "A&B", "x_1", "{braced}", #"$\ell_1$"#, "naïve", "深層",
    "--", "O'Neil", "\"quoted\"", "#hash", "~tilde", "back\\slash", "Ünïcödé", "GANs", "a-b",
  ]
  static let names = ["Ana Müller", "Jean-Pierre Serre", "Pál Erdős", "Yi Zhang", "Plato", "Mary O'Neil", "李 明"]

  static let word = Gen.element(of: words).map { $0 ?? "word" }
  static let name = Gen.element(of: names).map { $0 ?? "Ana Müller" }

  static let paper = zip(
    word.array(of: 1...6), name.array(of: 0...4), Gen.int(in: 1900...2030),
    Gen.bool, word.array(of: 0...30), Gen.bool)

  static func library(_ specs: [([String], [String], Int, Bool, [String], Bool)]) -> Library {
    let listings = specs.enumerated().map { index, spec in
      var listing = Listing(title: (spec.0 + ["no\(index)"]).joined(separator: " "), source: SourceLocation(file: "gen", line: index + 1))
      listing.authors = spec.1
      listing.year = spec.2
      listing.venue = spec.3 ? "Journal of " + spec.0[0] : nil
      listing.abstract = spec.4.isEmpty ? nil : spec.4.joined(separator: " ")
      if spec.5 { listing.links = [PaperLink(label: "doi", url: "https://doi.org/10.1000/gen.\(index)")] }
      return listing
    }
    return Library(name: "generated", listings: listings)
  }

  @Test("export then import gives the same papers, ids and fields", arguments: [
    ExportFormat.bibtex, .cslJSON, .ris, .jsonl,
  ])
  func roundTrip(format: ExportFormat) async {
    await propertyCheck(count: 60, input: Self.paper.array(of: 1...6)) { specs in
      let library = Self.library(specs)
      let text = Exporter.write(library.papers, states: { _ in PaperState() }, format: format)
      guard let result = try? Importer.read(Data(text.utf8), file: "export", format: nil) else {
        Issue.record("could not read back \(format.rawValue):\n\(text)")
        return
      }
      #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(2))")
      let again = Library(name: "again", listings: result.listings)
      expectSamePapers(again, library)
    }
  }
}
