import Foundation
import Testing

@testable import QuireModel

@Suite("BibTeX")
struct BibTeXTests {
  @Test("macros, concatenation, braces, quotes, comments, preamble, case, trailing commas, CRLF")
  func features() throws {
    let text = """
      Text outside entries is a comment.
      @STRING{ jmlr = "Journal of Machine Learning Research" }
      @string(pre = {Proc. })
      @Preamble{ "\\newcommand{\\noop}[1]{}" }
      @comment{ jabref-meta: databaseType:bibtex; {nested} }
      @Article{hardt2016,
        Title     = {Gradient Descent Learns {L}inear {D}ynamical Systems},
        AUTHOR    = "Hardt, Moritz and Ma, Tengyu and {Recht}, Benjamin",
        journal   = jmlr,
        booktitle = pre # "ICML" # { 2016},
        year      = 2016,
        month     = oct,
        note      = "a {"}quoted{"} word",
      }
      @misc{ nofields }
      @InProceedings(paren, title = {Parenthesised}, )\r\n
      """
    let result = BibTeXParser(file: "f.bib").parse(text)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.entries.map(\.key) == ["hardt2016", "nofields", "paren"])
    let hardt = result.entries[0]
    #expect(hardt.type == "article")
    #expect(hardt.line == 6)
    #expect(hardt["title"] == "Gradient Descent Learns {L}inear {D}ynamical Systems")
    #expect(hardt["author"] == "Hardt, Moritz and Ma, Tengyu and {Recht}, Benjamin")
    #expect(hardt["journal"] == "Journal of Machine Learning Research")
    #expect(hardt["booktitle"] == "Proc. ICML 2016")
    #expect(hardt["year"] == "2016")
    #expect(hardt["month"] == "October")
    #expect(hardt["note"] == "a {\"}quoted{\"} word")
    #expect(result.entries[2].type == "inproceedings")
    #expect(result.entries[2]["title"] == "Parenthesised")
  }

  @Test("a malformed entry is reported with line and column, and the next one still reads")
  func malformed() {
    let text = """
      @article{broken,
        title = {Unclosed,
        year = 2020
      @article{good, title = {Fine}}
      @book{nokey title = oops}
      @book{fine2, title = {Also fine}, year = 19 # 99}
      """
    let result = BibTeXParser(file: "bad.bib").parse(text)
    #expect(result.entries.map(\.key) == ["good", "fine2"])
    #expect(result.entries.last?["year"] == "1999")
    #expect(result.diagnostics.map(\.description) == [
      "bad.bib:2:11: expected '}' to match this '{'",
      "bad.bib:5:13: expected ',' after the citation key 'nokey'",
    ])
    #expect(result.diagnostics.first?.line == 2)
    #expect(result.diagnostics.allSatisfy { $0.skipped })
  }

  @Test("an unknown macro is reported where it stands and kept as written")
  func unknownMacro() {
    let result = BibTeXParser(file: "m.bib").parse("@article{k,\n  journal = nips # { 2017},\n}")
    #expect(result.entries.first?["journal"] == "nips 2017")
    #expect(result.diagnostics.map(\.description) == ["m.bib:2:13: unknown macro 'nips'; kept as written"])
    #expect(result.diagnostics.allSatisfy { !$0.skipped }, "the entry was read, so nothing was skipped")
  }

  static let realworld = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/realworld").path

  /// Entry counts from shared/realworld/README.md (pandoc / bibtexparser).
  @Test(
    "real BibTeX files people wrote: every entry read",
    .enabled(if: FileManager.default.fileExists(atPath: realworld), "../shared is not beside the package"),
    arguments: [
      ("bib-01-ifnspaml-bibliography.bib", 1843),
      ("bib-03-gpeyre-ot4ml.bib", 714),
      ("bib-06-CogComp-ccg-bibfiles-converter-test.bib", 44),
    ])
  func realworldCounts(file: String, expected: Int) throws {
    let text = try FileText.read(Self.realworld + "/" + file)
    let result = BibTeXParser(file: file).parse(text)
    #expect(result.entries.count == expected, "\(result.diagnostics.prefix(5))")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(5))")
    // Every paper reads as text: a title, authors, no TeX accents or braces left outside math.
    let listings = result.entries.map { $0.listing(file: file) }
    for listing in listings {
      let shown = [listing.title ?? ""] + listing.authors
      for text in shown {
        let outsideMath = text.split(separator: "$", omittingEmptySubsequences: false).enumerated()
          .filter { $0.offset % 2 == 0 }.map(\.element).joined()
        #expect(!outsideMath.contains("{") && !outsideMath.contains("}"), "\(file):\(listing.source.line): \(text)")
        #expect(!outsideMath.contains(#"\'"#) && !outsideMath.contains(#"\""#), "\(file):\(listing.source.line): \(text)")
      }
    }
    #expect(listings.filter { $0.title != nil }.count >= expected - 2)
  }
}
