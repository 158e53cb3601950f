import Foundation
import Testing

@testable import QuireModel

@Suite("Reading-list format")
struct ReadingListParserTests {
  let builtin = BuiltinLibrary.load()

  @Test("the built-in list has 13 papers: 11 full entries, 2 of them repeats, and 4 title-only")
  func builtinCounts() {
    let result = ReadingListParser(file: "seed").parse(BuiltinLibrary.readingListText)
    #expect(result.diagnostics.isEmpty)
    #expect(result.listings.count == 15)
    #expect(result.listings.filter { $0.title == nil }.count == 11)
    #expect(result.listings.filter { $0.title != nil && $0.abstract == nil }.count == 4)
    #expect(builtin.count == 13)
    #expect(builtin.diagnostics.isEmpty)
  }

  /// `../shared/seed/reading-list.txt` beside the package, present in the developers'
  /// workspace and CI but not in a user's clone.
  static let seedPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/seed/reading-list.txt").path

  @Test(
    "the built-in copy is the user's reading list, byte for byte",
    .enabled(if: FileManager.default.fileExists(atPath: seedPath), "../shared is not beside the package"))
  func builtinMatchesSeed() throws {
    let data = try #require(FileManager.default.contents(atPath: Self.seedPath))
    #expect(String(decoding: data, as: UTF8.self) == BuiltinLibrary.readingListText)
  }

  @Test("fields that run together on one line, with values in parentheses")
  func runTogetherFields() throws {
    let hardt = try #require(builtin.papers.first { $0.authors.first == "Moritz Hardt" && $0.authors.count == 3 })
    #expect(hardt.authors == ["Moritz Hardt", "Tengyu Ma", "Benjamin Recht"])
    #expect(hardt.venue == "Journal of Machine Learning Research")
    #expect(hardt.year == 2016)
    #expect(hardt.published == PublishedDate(year: 2017, month: 10, day: 11))
    #expect(hardt.links == [PaperLink(label: "arxiv (preprint)")])
    #expect(hardt.title == nil)
  }

  @Test("an empty journal is no venue, not an empty string")
  func emptyJournal() throws {
    let zhang = try #require(builtin.papers.first { $0.authors.first == "Chiyuan Zhang" })
    #expect(zhang.venue == nil)
    #expect(zhang.year == 2016)
  }

  @Test("several link labels, none a URL")
  func linkLabels() throws {
    let giryes = try #require(builtin.papers.first { $0.venue == "IEEE Transactions on Signal Processing" })
    #expect(giryes.links.map(\.label) == ["arxiv (preprint)", "IEEE"])
    #expect(giryes.links.allSatisfy { $0.url == nil })
  }

  @Test("LaTeX and symbols in abstracts are kept as written")
  func latexAndSymbols() throws {
    let moreau = try #require(builtin.papers.first { $0.authors.first == "Thomas Moreau" })
    #expect(moreau.abstract?.contains(#"\cite{Gregor10}"#) == true)
    #expect(moreau.abstract?.contains("ℓ1 ball") == true)
  }

  @Test("a paper listed twice appears once, keeping the other listing's details")
  func duplicatesMerge() throws {
    let gan = builtin.papers.filter { $0.abstract?.hasPrefix("We show that training of generative") == true }
    #expect(gan.count == 1)
    let paper = try #require(gan.first)
    // The listings differ by a final period: the more complete abstract wins.
    #expect(paper.abstract?.hasSuffix("improve some of them.") == true)
    #expect(paper.year == 2014)
    #expect(paper.venue == "ICML 2014")
    #expect(paper.links.map(\.label) == ["arxiv (preprint)", "PMLR"])
    let other = try #require(paper.alternates.first)
    #expect(other.year == 2017)
    #expect(other.venue == "Proceedings of Machine Learning Research (PMLR)")
    #expect(other.authors == ["Sanjeev Arora", "Rong Ge", "Yingyu Liang", "Tengyu Ma", "Yi Zhang"])
    #expect(other.source.line == 31)

    let giryes = builtin.papers.filter { $0.abstract?.hasPrefix("Three important properties") == true }
    #expect(giryes.count == 1)
    #expect(giryes.first?.year == 2016)
    #expect(giryes.first?.alternates.map(\.year) == [2017])
  }

  @Test("an untitled paper gets a label from authors, year and abstract, never a blank")
  func untitledLabel() throws {
    let leshno = try #require(builtin.papers.first)
    #expect(!leshno.hasTitle)
    #expect(leshno.displayTitle == "‹Leshno et al. (1993) — Several researchers characterized the activation function…›")
    #expect(leshno.compactLabel == "‹Several researchers characterized the activation function…›")
    for paper in builtin.papers { #expect(!paper.displayTitle.isEmpty) }
    let titled = try #require(builtin.papers.first { $0.hasTitle })
    #expect(titled.displayTitle == "Why are Deep Nets Reversible. A Simple Theory, With Implications for Training")
  }

  @Test("an abstract without spaces still gives a readable label")
  func labelWithoutSpaces() {
    let text = "- Published: 2 March 2018\n**authors:** 山田 太郎**abstract:** " + String(repeating: "深層学習の汎化について", count: 20)
    let paper = Library.parse(readingList: text, file: "ja.txt", name: "ja").papers[0]
    #expect(paper.compactLabel == "‹" + String(String(repeating: "深層学習の汎化について", count: 6).prefix(60)) + "…›")
    #expect(paper.displayTitle.hasPrefix("‹山田 — 深層学習"))
  }

  @Test("two authors are named in a label, more are 'et al.'")
  func labelAuthors() {
    let two = Library.parse(readingList: "- Published: 1 May 2020\n**authors:** Alice Wong, Bob Li**publication year:** 2020**abstract:** Text.", file: "f", name: "f")
    #expect(two.papers[0].displayTitle == "‹Wong & Li (2020) — Text.›")
  }

  @Test("problems are listed in line order, one per line")
  func problemOrder() {
    let text = "- Published: never\n- Published: 1 May 2020\n**authors:** A\n- Nonsense: x\n"
    let lines = ReadingListParser(file: "f").parse(text).diagnostics.map(\.line)
    #expect(lines == [1, 4])
  }

  @Test("a long hard-wrapped abstract is joined into one paragraph")
  func hardWrappedAbstract() {
    var text = "- Published: 1 May 2020\n**authors:** A B\n**abstract:** start"
    for n in 0..<3000 { text += "\n  word\(n)   " }
    let paper = Library.parse(readingList: text, file: "f", name: "f").papers[0]
    #expect(paper.abstract?.hasPrefix("start word0 word1 ") == true)
    #expect(paper.abstract?.hasSuffix("word2999") == true)
  }

  @Test("ids are stable: fixed values, the same whatever else the file holds")
  func stableIDs() throws {
    // Pinned: changing how ids are made would orphan every user's saved state.
    #expect(builtin.papers[0].id == PaperID("f040727cead619c8"))
    let alone = Library.parse(readingList: "- Paper added: Learning Functions: When is Deep Better Than Shallow", file: "x", name: "x")
    let inBuiltin = try #require(builtin.papers.first { $0.title?.hasPrefix("Learning Functions") == true })
    #expect(alone.papers[0].id == inBuiltin.id)
    // Case, accents and punctuation do not change a paper's identity.
    let variant = Library.parse(readingList: "- Paper added:  learning functions -- when is DEEP better than shallow?", file: "x", name: "x")
    #expect(variant.papers[0].id == inBuiltin.id)
    #expect(Set(builtin.papers.map(\.id)).count == builtin.count)
  }

  @Test("malformed lines are reported with file, line and what was expected; the rest loads")
  func malformedInput() {
    let text = """
      stray text before any entry
      - Published: 31 Smarch 2017

      **authors:** A One**journal:** J**publication year:** twenty**links:** x

      **abstract:** First abstract.
      **colour:** blue
      - Published: 02 January 2018

      **authors:** B Two, C Three**journal:** (K)**publication year:** (2018)**links:** arxiv

      **abstract:** Second abstract.
      - Published: 03 January 2018
      - Paper added:
      - Something else: here
      - Paper added: A Fine Title
      """
    let result = ReadingListParser(file: "bad.txt").parse(text)
    let lines = result.diagnostics.map(\.line)
    #expect(lines == [1, 2, 4, 7, 13, 14, 15])
    #expect(result.diagnostics[0].description.hasPrefix("bad.txt:1:1: expected '- Published: DATE'"))
    #expect(result.diagnostics[1].column == 14)  // where the date should be
    // Only the entry without content and the empty title leave something out.
    #expect(result.diagnostics.filter { $0.skipped }.map { $0.line } == [13, 14])
    #expect(result.diagnostics[1].message.contains("expected a date"))
    #expect(result.diagnostics[2].message.contains("expected a year"))
    #expect(result.diagnostics[3].message.contains("unknown field 'colour'"))
    #expect(result.diagnostics[4].message.contains("no authors or abstract"))
    #expect(result.diagnostics[5].message.contains("expected a title"))
    #expect(result.listings.count == 3)
    #expect(result.listings[0].authors == ["A One"])
    #expect(result.listings[0].year == nil)
    #expect(result.listings[1].venue == "K")
    #expect(result.listings[1].year == 2018)
    #expect(result.listings[2].title == "A Fine Title")
  }

  @Test("CRLF line endings and abstracts that continue on the next line")
  func crlfAndContinuation() {
    let text = "- Published: 1 Nov 2017\r\n\r\n**authors:** A B\r\n\r\n**abstract:** First line\r\ncontinues here.\r\n"
    let result = ReadingListParser(file: "crlf.txt").parse(text)
    #expect(result.diagnostics.isEmpty)
    #expect(result.listings.first?.abstract == "First line continues here.")
    #expect(result.listings.first?.published == PublishedDate(year: 2017, month: 11, day: 1))
  }

  @Test("links written as URLs keep their URL")
  func urlLinks() {
    let links = ReadingListParser.splitLinks("arxiv (preprint, v2), [PDF](https://x.org/a.pdf), https://doi.org/10.1/2, IEEE <https://ieee.org/1>")
    #expect(links == [
      PaperLink(label: "arxiv (preprint, v2)"),
      PaperLink(label: "PDF", url: "https://x.org/a.pdf"),
      PaperLink(label: "https://doi.org/10.1/2", url: "https://doi.org/10.1/2"),
      PaperLink(label: "IEEE", url: "https://ieee.org/1"),
    ])
  }

  @Test("a missing file is an error that names it")
  func missingFile() {
    #expect(throws: FileText.ReadError.self) { try FileText.read("/nonexistent/list.txt") }
    do {
      _ = try FileText.read("/nonexistent/list.txt")
    } catch {
      #expect("\(error)" == "/nonexistent/list.txt: no such file")
    }
  }
}
