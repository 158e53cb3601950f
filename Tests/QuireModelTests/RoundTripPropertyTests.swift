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

  /// Titles a reader may give, hostile ones included: control characters, quotes, TeX
  /// specials, right-to-left text, a title far longer than a line. Braces only in pairs:
  /// BibTeX counts a brace even when escaped, so an unmatched one cannot go out in any field.
  static let givenTitle = zip(Gen.int(in: 0...5), word.array(of: 1...4), Gen.int(in: 1...300)).map { kind, words, length -> String? in
    let text = words.joined(separator: " ")
    switch kind {
    case 0: return nil
    case 1: return text
    case 2: return "\u{202E}עברית \"" + text + "\" العربية"
    case 3: return String(repeating: text + " ", count: length) + "end"
    case 4: return "Bell\u{7} and escape\u{1b}[2J " + text
    default: return "tab\there, {braced} " + text
    }
  }

  static let carried = zip(Gen.bool, givenTitle, Gen.int(in: 0...2_000_000_000))

  /// What a round trip must keep of a state; control characters aside, which BibTeX keeps
  /// as it keeps any text, but the general BibTeX reader folds white space.
  static func comparable(_ state: PaperState, format: ExportFormat) -> PaperState {
    var state = state
    if format == .bibtex {
      state.title = state.title.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ") }
    }
    return state
  }

  @Test("the reader's titles and read times go out and come back on the same papers", arguments: [
    ExportFormat.bibtex, .jsonl,
  ])
  func carriedStateRoundTrip(format: ExportFormat) async {
    await propertyCheck(count: 60, input: Self.paper.array(of: 1...5), Self.carried.array(of: 5...5)) { specs, carried in
      let library = Self.library(specs)
      var reading = ReadingState()
      for (paper, (read, title, seconds)) in zip(library.papers, carried) {
        reading[paper.id] = PaperState(
          status: read ? .read : .unread, tags: ["t"], title: title, readAt: Date(timeIntervalSince1970: Double(seconds)))
      }
      let text = Exporter.write(library.papers, states: { reading[$0] }, format: format)
      guard let result = try? Importer.read(Data(text.utf8), file: "export", format: nil), let states = result.states else {
        Issue.record("could not read back \(format.rawValue) with its states:\n\(text)")
        return
      }
      let again = Library(name: "again", listings: result.listings)
      expectSamePapers(again, library)
      for (listing, state) in zip(result.listings, states) {
        let id = again.id(of: listing)
        #expect(id.map { reading[$0] }.map { Self.comparable($0, format: format) } == Self.comparable(state, format: format))
      }
    }
  }
}
