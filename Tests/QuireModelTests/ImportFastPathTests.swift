import Foundation
import Testing

@testable import QuireModel

/// The import reads bytes where it used to read Characters and unicode scalars, and reads
/// large BibTeX files in parts on several cores. Random text built from the pieces that
/// make those paths differ (TeX, accents, combining marks, wide spaces, CRLF, other
/// scripts) must come out exactly as the earlier implementations made it.
@Suite("Import fast paths read as before")
struct ImportFastPathTests {
  static let pieces: [String] = [
    "a", "Z", "learning", " ", "  ", "\t", "\n", "\r\n", "\r", ",", ", ", "and", "AND", " and ", "others", "{", "}",
    "{}", "$", "$x^2$", "\\", "\\\\", "~", "-", "--", "---", "`", "``", "'", "''", "\"", "#", "@", "%", "&",
    "\\'", "\\'e", "\\'{e}", "{\\\"o}", "\\\"{\\i}", "\\^\\j", "{\\ss}", "\\ss{}", "\\o ", "\\L", "\\aa", "\\c{c}",
    "\\H{o}", "\\v s", "\\u{g}", "\\k", "\\emph{x}", "\\textbf {y}", "\\href{u}{t}", "\\href{u}", "\\bf", "\\cite{K}",
    "\\unknown", "\\-", "\\&", "\\,", "\\ ", "\\{", "\\}", "\\é", "\\\u{1FEF}e", "\\\u{212A}", "\\ldots", "\\euro",
    "\\textendash", "é", "e\u{301}", "a\u{308}\u{301}", "ı", "ȷ", "ö", "ß", "Ω", "\u{212B}", "\u{2126}", "ﬁ", "–", "—",
    "“", "”", "€", "™", "\u{A0}", "\u{2003}", "\u{2000}", "\u{2028}", "\u{2029}", "\u{80}", "\u{85}", "\u{1680}", "\u{3000}", "\u{202F}",
    "Ελληνικά", "Кириллица", "日本語", "한국어", "\u{1100}\u{1161}", "😀", "👍🏽", "🇫🇷", "\u{200D}", "x\u{20D7}",
    "२", "٣", "²", "½", "Ⅻ", "2017", "1999a", "０", "İ", "ǅ", "K\u{301}", "\u{FEFF}", "\u{7F}", "\u{9F}", "\u{1B}",
  ]

  static func text(_ random: inout SplitMix, pieces count: Int) -> String {
    (0..<random.next(below: count + 1)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
  }

  @Test("TeX to Unicode, author lists, years, white space, keys and JSON strings")
  func texts() {
    var random = SplitMix(seed: 7)
    for _ in 0..<4000 {
      let text = Self.text(&random, pieces: 12)
      #expect(TeXText.toUnicode(text) == ReferenceTeXText.toUnicode(text), "\(text.debugDescription)")
      #expect(BibTeXEntry.names(text) == ReferenceBibTeX.names(text), "\(text.debugDescription)")
      #expect(BibTeXEntry.leadingNumber(text) == ReferenceBibTeX.year(text), "\(text.debugDescription)")
      #expect(TextNormalizer.collapseWhitespace(text) == ReferenceText.collapseWhitespace(text), "\(text.debugDescription)")
      #expect(
        TextNormalizer.key(text) == String(decoding: TextNormalizer.keyWithOrigins(text).key, as: UTF8.self),
        "\(text.debugDescription)")
      var encoded: [UInt8] = []
      JSONStringEncoder.append(text, to: &encoded)
      #expect(String(decoding: encoded, as: UTF8.self) == StateStore.jsonString(text), "\(text.debugDescription)")
      #expect(
        BibTeXEntry.trimmingWhitespaces(text) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
    }
  }

  @Test("text called composed is what Foundation's normalisation leaves alone")
  func composed() {
    var random = SplitMix(seed: 11)
    for _ in 0..<4000 {
      let text = Self.text(&random, pieces: 6)
      UTF8Text.withBytes(of: text) { bytes in
        if UTF8Text.isComposed(bytes) {
          #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars), "\(text.debugDescription)")
        }
      }
    }
    // Accents put on by commands are composed with their letter.
    #expect(TeXText.toUnicode("Caf\\'e -- na\\\"{\\i}ve") == "Café – naïve")
  }

  static let fields = ["title", "author", "editor", "journal", "booktitle", "year", "abstract", "keywords", "doi", "url",
    "eprint", "note", "quire-status", "month"]

  /// A BibTeX file with all sorts of entries, good and broken.
  static func bibtex(_ random: inout SplitMix, entries: Int, macros: Bool) -> String {
    var out = macros ? "@string{ jmlr = {Journal of Machine Learning Research} }\n" : "comment @ text\n"
    for number in 0..<entries {
      switch random.next(below: 40) {
      case 0: out += "@article{broken\(number),\n  title = {Unclosed,\n  year = 2020\n"
      case 1: out += "@book{nokey\(number) title = oops}\n"
      case 2: out += "@article{q\(number), title = \"unclosed quote\n"
      case 3: out += "@article{\n"
      case 4: out += "@misc{m\(number), title={x}} trailing @inline{y\(number), title={Inline}}\n"
      case 5: out += "@article{u\(number),\n  journal = nips # { 2017},\n}\n"
      case 6: out += "  @comment{ skipped {nested} }\n"
      case 7: out += "@preamble{ \"\\newcommand\" }\n"
      default:
        let (open, close) = random.next(below: 10) == 0 ? ("(", ")") : ("{", "}")
        var fields: [String] = []
        for _ in 0..<random.next(below: 7) {
          let name = Self.fields[random.next(below: Self.fields.count)]
          let value: String
          switch random.next(below: 8) {
          case 0: value = "\"\(text(&random, pieces: 5).replacingOccurrences(of: "\"", with: ""))\""
          case 1: value = "\(1900 + random.next(below: 130))"
          case 2: value = macros ? "jmlr # { 2017}" : "oct"
          case 3: value = "{{\(text(&random, pieces: 8))}}"
          default: value = "{\(text(&random, pieces: 10))}"
          }
          fields.append("  \(name) = \(value)")
        }
        let separator = random.next(below: 10) == 0 ? ",\r\n" : ",\n"
        out += "@article\(open)key\(number),\n" + fields.joined(separator: separator) + "\n\(close)\n"
      }
    }
    return out
  }

  /// The whole text read at once, as `Importer` read BibTeX before it read in parts.
  static func wholeResult(_ text: String) -> BibTeXImport.Result {
    let whole = BibTeXParser(file: "f.bib").parse(text)
    let ours = whole.entries.contains { $0["quire-status"] != nil }
    return BibTeXImport.Result(
      listings: whole.entries.map { $0.listing(file: "f.bib") }, diagnostics: whole.diagnostics,
      states: ours ? whole.entries.map(\.carriedState) : nil)
  }

  static func expectSame(
    _ result: BibTeXImport.Result?, _ expected: BibTeXImport.Result, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    #expect(result?.listings == expected.listings, sourceLocation: sourceLocation)
    #expect(result?.diagnostics.map(\.description) == expected.diagnostics.map(\.description), sourceLocation: sourceLocation)
    #expect(result?.diagnostics.map(\.skipped) == expected.diagnostics.map(\.skipped), sourceLocation: sourceLocation)
    #expect(result?.states == expected.states, sourceLocation: sourceLocation)
  }

  @Test("BibTeX read in parts on several cores reads as the whole text does", arguments: [false, true])
  func parts(macros: Bool) {
    var random = SplitMix(seed: macros ? 3 : 5)
    for _ in 0..<12 {
      let text = Self.bibtex(&random, entries: 300, macros: macros)
      UTF8Text.withBytes(of: text) { bytes in
        let parts = BibTeXImport.parts(of: bytes, size: 2048)
        #expect(parts.count > 10)
        let inParts = BibTeXImport.readInParts(bytes, parts: parts, lines: .init(bytes), file: "f.bib", progress: nil)
        // Macros make every part depend on the text before it.
        #expect((inParts == nil) == macros)
        Self.expectSame(BibTeXImport.read(bytes, file: "f.bib", partSize: 2048, progress: nil), Self.wholeResult(text))
      }
    }
  }

  @Test("an entry that runs on past its part is read whole, and the next part from where it ends")
  func entryAcrossParts() {
    // The key of the first entry is the next line's "@article{a": it takes in what follows,
    // and the part that starts there is read again from the entry after it on that line.
    let text = "@article{\n@article{a, title = {First}} @misc{b, title = {Inline}}\n"
      + String(repeating: "@misc{c, title = {Filler}}\n", count: 50)
      + "@article{k, title = {No closing brace}\n" + String(repeating: "@misc{d, title = {More}}\n", count: 50)
    UTF8Text.withBytes(of: text) { bytes in
      for size in [1, 16, 100, 1000] {
        let parts = BibTeXImport.parts(of: bytes, size: size)
        let inParts = BibTeXImport.readInParts(bytes, parts: parts, lines: .init(bytes), file: "f.bib", progress: nil)
        Self.expectSame(inParts, Self.wholeResult(text))
      }
    }
    #expect(Self.wholeResult(text).listings.prefix(2).map { $0.extra["bibtex:key"] } == ["@article{a", "b"])
  }

  @Test("a file that is not UTF-8 past its first part is still refused")
  func invalidLater() throws {
    var bytes = Array(String(repeating: "@misc{c, title = {Filler}}\n", count: 500).utf8)
    bytes.insert(0xFF, at: bytes.count - 10)
    let data = Data(bytes)
    #expect(throws: Importer.ReadError.self) { try Importer.read(data, file: "f.bib", format: .bibtex) }
    #expect(bytes.withUnsafeBufferPointer { BibTeXImport.read($0, file: "f", partSize: 64, progress: nil) } == nil)
  }

  @Test("format detection looks at the start of a large file as at the whole text")
  func detectionText() {
    let large = Data(("\u{FEFF}@article{k, title = {T}}\n" + String(repeating: "% é comment line\n", count: 80_000)).utf8)
    guard case .head(let head) = DetectionText(large) else {
      Issue.record("a large file is detected from its start")
      return
    }
    let whole = String(data: large, encoding: .utf8)!
    #expect(whole.hasPrefix(head))
    #expect(ImportFormat.detect(head, name: "x") == ImportFormat.detect(whole, name: "x"))
    // Few long characters in the first megabyte: the whole text is made.
    let combining = Data(("a" + String(repeating: "\u{301}", count: 600_000)).utf8)
    guard case .whole = DetectionText(combining) else {
      Issue.record("characters longer than the start are read whole")
      return
    }
  }
}

extension ImportFastPathTests {
  @Test("the library file holds every paper's line, in order, as built from strings before")
  func libraryFile() throws {
    var random = SplitMix(seed: 13)
    // Papers listed twice carry alternates; every optional field turns up somewhere.
    let text = Self.bibtex(&random, entries: 4000, macros: false) + Self.bibtex(&random, entries: 1000, macros: false)
    var listings = try #require(UTF8Text.withBytes(of: text) { BibTeXImport.read($0, file: "f.bib", progress: nil) }).listings
    for index in listings.indices where index % 3 == 0 {
      listings[index].added = Date(timeIntervalSince1970: Double(1_700_000_000 + index % 7))
      listings[index].published = PublishedDate(year: 2017, month: 11, day: 1 + index % 28)
      listings[index].updated = PublishedDate(year: 2018, month: 1, day: 2)
      listings[index].arxivVersion = index % 5
      listings[index].categories = ["cs.LG", "stat.ML\u{2028}"]
    }
    let papers = Library(name: "l", listings: listings).papers
    #expect(papers.count > 600, "lines are written in batches of 256 on several cores")
    #expect(papers.contains { !$0.alternates.isEmpty })
    let expected = papers.map { ReferenceExport.jsonLine($0, state: nil) + "\n" }.joined()
    #expect(String(decoding: LibraryStore.jsonLines(papers), as: UTF8.self) == expected)
    var state = PaperState()
    state.status = .read
    state.tags = ["a \"tag\"", "ünï"]
    state.note = "a note\nover two lines\u{85}"
    var titled = state
    titled.title = "\u{202E}my \"own\" title\u{1b}"
    titled.readAt = Date(timeIntervalSince1970: 1_795_996_025)
    for paper in papers.prefix(300) {
      #expect(PaperExport.jsonLine(paper, state: state) == ReferenceExport.jsonLine(paper, state: state))
      #expect(PaperExport.jsonLine(paper, state: titled) == ReferenceExport.jsonLine(paper, state: titled))
    }
  }
}

/// A small seeded generator, so that a failure can be run again.
struct SplitMix {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next(below bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(bound))
  }
}
