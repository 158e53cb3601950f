import Foundation
import PropertyBased
import Testing

@testable import QuireModel

@Suite("Paper sets")
struct PaperSetTests {
  @Test("empty and full sets of every awkward size", arguments: [0, 1, 63, 64, 65, 130])
  func emptyAndFull(capacity: Int) {
    let empty = PaperSet(capacity: capacity)
    let full = PaperSet(capacity: capacity, full: true)
    #expect(empty.isEmpty)
    #expect(empty.count == 0)
    #expect(full.count == capacity)
    #expect(full.isEmpty == (capacity == 0))
    #expect(Array(full) == Array(0..<capacity))
    #expect(empty.complement == full)
    #expect(full.complement == empty)
    #expect(!full.contains(capacity))
    #expect(!full.contains(-1))
  }

  @Test("insert, remove, count and ascending iteration")
  func membership() {
    var set = PaperSet(capacity: 200)
    for member in [199, 0, 64, 63, 65, 128, 64] { set.insert(member) }
    #expect(Array(set) == [0, 63, 64, 65, 128, 199])
    #expect(set.count == 6)
    #expect(set.contains(128) && !set.contains(127))
    set.remove(64)
    set.remove(64)
    #expect(Array(set) == [0, 63, 65, 128, 199])
    #expect(set == PaperSet(capacity: 200, members: [199, 128, 65, 63, 0]))
    #expect(set != PaperSet(capacity: 201, members: [199, 128, 65, 63, 0]))
  }

  @Test("union, intersection, subtraction and complement")
  func algebra() {
    let a = PaperSet(capacity: 100, members: [1, 2, 3, 70, 99])
    let b = PaperSet(capacity: 100, members: [2, 3, 4, 70])
    #expect(Array(a.union(b)) == [1, 2, 3, 4, 70, 99])
    #expect(Array(a.intersection(b)) == [2, 3, 70])
    #expect(Array(a.subtracting(b)) == [1, 99])
    var c = a
    c.invert()
    #expect(c.count == 95)
    #expect(!c.contains(1) && c.contains(0) && c.contains(98) && !c.contains(99))
    c.invert()
    #expect(c == a)
    var d = a
    d.formIntersection(b)
    d.formUnion(PaperSet(capacity: 100, members: [50]))
    #expect(Array(d) == [2, 3, 50, 70])
  }

  @Test("first member and first non-member from a place")
  func runs() {
    let set = PaperSet(capacity: 150, members: Array(10..<70) + [140, 149])
    #expect(set.firstMember(from: 0) == 10)
    #expect(set.firstMember(from: 69) == 69)
    #expect(set.firstMember(from: 70) == 140)
    #expect(set.firstMember(from: 141) == 149)
    #expect(set.firstMember(from: 150) == nil)
    #expect(set.firstNonMember(from: 10) == 70)
    #expect(set.firstNonMember(from: 140) == 141)
    #expect(set.firstNonMember(from: 149) == 150)
    #expect(PaperSet(capacity: 64, full: true).firstNonMember(from: 0) == 64)
    #expect(PaperSet(capacity: 0).firstMember(from: 0) == nil)
  }
}

@Suite("Search index")
struct SearchIndexTests {
  struct Entry {
    var title: String?
    var authors: [String] = []
    var venue: String?
    var year: Int?
    var abstract: String?
    var doi: String?
    var arxiv: String?
    var added: Double?
  }

  static func library(_ entries: [Entry]) -> Library {
    let listings = entries.enumerated().map { number, entry in
      var listing = Listing(
        title: entry.title, authors: entry.authors, venue: entry.venue, year: entry.year, abstract: entry.abstract,
        source: SourceLocation(file: "test", line: number + 1))
      listing.doi = entry.doi
      listing.arxiv = entry.arxiv
      listing.added = entry.added.map { Date(timeIntervalSince1970: $0) }
      return listing
    }
    return Library(name: "test", listings: listings)
  }

  /// What `Query.matches` says, paper by paper.
  static func reference(_ query: Query, _ library: Library, _ reading: ReadingState) -> PaperSet {
    PaperSet(
      capacity: library.count,
      members: library.papers.indices.filter { query.matches(library.papers[$0], reading[library.papers[$0].id]) })
  }

  /// The papers found, checked against `Query.matches`, with and without `within`.
  @discardableResult
  static func found(
    _ text: String, in library: Library, reading: ReadingState = ReadingState(),
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws -> [Int] {
    let query = try Query.parse(text)
    let index = SearchIndex(library: library)
    let result = index.evaluate(query, reading: reading, library: library)
    #expect(result == reference(query, library, reading), "\(text)", sourceLocation: sourceLocation)
    let odd = PaperSet(capacity: library.count, members: stride(from: 1, to: library.count, by: 2))
    let narrowed = index.evaluate(query, reading: reading, library: library, within: odd)
    #expect(narrowed == result.intersection(odd), "\(text) within odd papers", sourceLocation: sourceLocation)
    return Array(result)
  }

  static let sample = library([
    Entry(
      title: "Résumé of Deep Learning", authors: ["Pál Erdős", "Ana Müller"], venue: "NeurIPS", year: 2015,
      abstract: "We study neural networks.", doi: "10.1000/deep.1", arxiv: "1703.00573", added: 1_000),
    Entry(
      title: "GANs for Everyone", authors: ["Ian Goodfellow"], venue: "Journal of Graphs", year: 2014,
      abstract: "Adversarial nets, résumé style.", added: 2_000),
    Entry(title: nil, authors: ["Yi Zhang"], abstract: "深層学習による画像認識", added: nil),
    Entry(title: "Smith Jones", authors: ["Smith", "Jones"], venue: nil, year: nil, abstract: nil),
  ])

  @Test("case and accents are folded: Erdos finds Erdős, resume finds résumé")
  func accents() throws {
    #expect(try Self.found("Erdos", in: Self.sample) == [0])
    #expect(try Self.found("resume", in: Self.sample) == [0, 1])
    #expect(try Self.found("RÉSUMÉ", in: Self.sample) == [0, 1])
    #expect(try Self.found("muller", in: Self.sample) == [0])
  }

  @Test("a field looks only in that field")
  func fields() throws {
    #expect(try Self.found("title:resume", in: Self.sample) == [0])
    #expect(try Self.found("abstract:resume", in: Self.sample) == [1])
    #expect(try Self.found("author:erdos", in: Self.sample) == [0])
    #expect(try Self.found("author:deep", in: Self.sample) == [])
    #expect(try Self.found("venue:graphs", in: Self.sample) == [1])
    #expect(try Self.found("doi:deep.1", in: Self.sample) == [0])
    #expect(try Self.found("arxiv:1703", in: Self.sample) == [0])
    // An unfielded word does not look in DOIs or arXiv ids.
    #expect(try Self.found("1703", in: Self.sample) == [])
    #expect(try Self.found("10 1000", in: Self.sample) == [])
  }

  @Test("a match never spans two authors or two fields")
  func boundaries() throws {
    #expect(try Self.found("\"smith jones\"", in: Self.sample) == [3])  // the title, not the authors
    #expect(try Self.found("author:\"smith jones\"", in: Self.sample) == [])
    #expect(try Self.found("\"everyone ian\"", in: Self.sample) == [])
    #expect(try Self.found("\"networks neurips\"", in: Self.sample) == [])
    // The very first and very last bytes of the text.
    #expect(try Self.found("title:res", in: Self.sample) == [0])
    #expect(try Self.found("jones", in: Self.sample) == [3])
    #expect(try Self.found("author:s", in: Self.sample) == [0, 3])
  }

  @Test("tag: is the whole tag; an unfielded word finds part of one; notes are searched")
  func tagsAndNotes() throws {
    let library = Self.sample
    var reading = ReadingState()
    reading[library.papers[0].id] = PaperState(status: .read, tags: ["GAN"])
    reading[library.papers[1].id] = PaperState(tags: ["gans", "to-read"], note: "Compare with the Wasserstein paper.")
    reading[PaperID("not-in-this-library")] = PaperState(status: .read, tags: ["gan"], note: "wasserstein")
    #expect(try Self.found("tag:gan", in: library, reading: reading) == [0])
    #expect(try Self.found("tag:GANs", in: library, reading: reading) == [1])
    #expect(try Self.found("tag:to-read", in: library, reading: reading) == [1])
    #expect(try Self.found("gan", in: library, reading: reading) == [0, 1])
    #expect(try Self.found("wasserstein", in: library, reading: reading) == [1])
    #expect(try Self.found("note:wasser", in: library, reading: reading) == [1])
    #expect(try Self.found("note:deep", in: library, reading: reading) == [])
    #expect(try Self.found("is:read", in: library, reading: reading) == [0])
    #expect(try Self.found("is:unread", in: library, reading: reading) == [1, 2, 3])
    #expect(try Self.found("-is:read gan", in: library, reading: reading) == [1])
  }

  @Test("a title the reader gave is found by title: and by plain words, as is the listing's own")
  func titleOverrides() throws {
    let library = Self.sample
    var reading = ReadingState()
    reading[library.papers[2].id] = PaperState(title: "Zebrafish Über-results")
    reading[PaperID("not-in-this-library")] = PaperState(title: "zebrafish elsewhere")
    #expect(try Self.found("title:zebrafish", in: library, reading: reading) == [2])
    #expect(try Self.found("zebra", in: library, reading: reading) == [2])
    #expect(try Self.found("title:uber", in: library, reading: reading) == [2])
    #expect(try Self.found("-title:zebrafish", in: library, reading: reading) == [0, 1, 3])
    // A titled paper given another title is found by either.
    reading[library.papers[1].id] = PaperState(title: "Adversarial zoo")
    #expect(try Self.found("title:everyone", in: library, reading: reading) == [1])
    #expect(try Self.found("title:zoo", in: library, reading: reading) == [1])
    #expect(try Self.found("zoo or zebrafish", in: library, reading: reading) == [1, 2])
  }

  @Test("years and dates added; papers without one match neither")
  func yearsAndAdded() throws {
    #expect(try Self.found("year:2015", in: Self.sample) == [0])
    #expect(try Self.found("year:>=2014", in: Self.sample) == [0, 1])
    #expect(try Self.found("-year:2015", in: Self.sample) == [1, 2, 3])
    let index = SearchIndex(library: Self.sample)
    let added = index.evaluate(.added(1_500...2_500), reading: ReadingState(), library: Self.sample)
    #expect(Array(added) == [1])
    let all = index.evaluate(.added(-1e12...1e12), reading: ReadingState(), library: Self.sample)
    #expect(Array(all) == [0, 1])
  }

  @Test("not, and, or, nested")
  func combinations() throws {
    #expect(try Self.found("deep or gans", in: Self.sample) == [0, 1])
    #expect(try Self.found("resume -deep", in: Self.sample) == [1])
    #expect(try Self.found("(erdos or zhang) year:2015", in: Self.sample) == [0])
    #expect(try Self.found("not (smith or resume)", in: Self.sample) == [2])
    #expect(try Self.found("", in: Self.sample) == [0, 1, 2, 3])
  }

  @Test("within: only those papers are looked at")
  func within() {
    let library = Self.sample
    let index = SearchIndex(library: library)
    let some = PaperSet(capacity: library.count, members: [1, 3])
    let found = index.evaluate(.text("resume", nil), reading: ReadingState(), library: library, within: some)
    #expect(Array(found) == [1])
    let none = index.evaluate(.everything, reading: ReadingState(), library: library, within: PaperSet(capacity: 4))
    #expect(none.isEmpty)
    let negated = index.evaluate(.not(.text("gans", nil)), reading: ReadingState(), library: library, within: some)
    #expect(Array(negated) == [3])
  }

  @Test("non-ASCII needles, and text byte comparison cannot judge alone")
  func unicode() throws {
    #expect(try Self.found("深層", in: Self.sample) == [2])
    #expect(try Self.found("学習による", in: Self.sample) == [2])
    #expect(try Self.found("習に", in: Self.sample) == [2])
    let hangul = Self.library([
      Entry(title: "가나"), Entry(title: "\u{1100}\u{1161}다"), Entry(title: "각"), Entry(title: "ﾊﾞ ทำ が"),
      Entry(title: "ハ"),
    ])
    for needle in ["가", "\u{1100}", "\u{1100}\u{1161}", "각", "ﾊ", "ﾊﾞ", "ท", "ทำ", "か", "が", "나", "다"] {
      try Self.found(needle, in: hangul)
      try Self.found("title:\(needle)", in: hangul)
    }
  }

  @Test("plain scalars compare the same by bytes as String.contains does; others are not plain")
  func plainness() {
    #expect(FoldedText.isPlain("가") && FoldedText.isPlain("が") && FoldedText.isPlain("深") && FoldedText.isPlain("ø"))
    #expect(!FoldedText.isPlain("\u{1100}") && !FoldedText.isPlain("\u{0E33}") && !FoldedText.isPlain("\u{F900}"))
    #expect(!FoldedText.isPlain("\u{FF9E}"))
    func bytesContain(_ text: String, _ needle: String) -> Bool {
      let text = Array(text.utf8)
      let needle = Array(needle.utf8)
      guard text.count >= needle.count else { return false }
      return (0...(text.count - needle.count)).contains { text[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
    // Scalars folding can produce, spread over the planes, next to a few others.
    let partners = ["a", "가", "が", "深", "ø", "1"]
    var checked = 0
    for value in stride(from: 0x80, through: 0x2_FFFF, by: 97) {
      guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
      for folded in TextNormalizer.key(String(scalar)).unicodeScalars where FoldedText.isPlain(folded) {
        let x = String(folded)
        for y in partners {
          for text in [x + y, y + x, "a" + x + "a" + y] {
            for needle in [x, y, x + y, y + x] {
              #expect(text.contains(needle) == bytesContain(text, needle), "\(text) / \(needle)")
            }
          }
        }
        checked += 1
      }
    }
    #expect(checked > 1_000)
  }

  @Test("a needle is found at every place in long text, and only whole")
  func everyOffset() throws {
    let filler = String(repeating: "abcdefgh ", count: 40)
    for offset in stride(from: 0, through: 300, by: 7) {
      // Short needles, and ones past eight bytes (compared in two steps), of one word and two.
      for needle in ["xqzjv", "xq zj", "xqzjv wkyzv"] {
        let text = String(filler.prefix(offset)) + needle + String(filler.dropFirst(offset).prefix(100))
        let library = Self.library([Entry(title: "one", abstract: filler), Entry(title: "two", abstract: text)])
        #expect(try Self.found("\"\(needle)\"", in: library) == [1], "\(needle) at \(offset)")
        #expect(try Self.found("\"\(needle)x\"", in: library) == [], "\(needle)x at \(offset)")
        #expect(try Self.found("\"\(needle.dropLast())q\"", in: library) == [], "changed \(needle) at \(offset)")
        #expect(try Self.found("abstract:\"\(needle)\"", in: library) == [1], "\(needle) at \(offset)")
      }
    }
    let long = String(repeating: "needle ", count: 40)
    let library = Self.library([Entry(title: "long", abstract: filler + long + filler)])
    #expect(try Self.found("\"\(long)\"", in: library) == [0])
  }

  @Test("empty needles match everything; id: is a prefix of the id")
  func emptyAndID() throws {
    #expect(try Self.found("\"!!\"", in: Self.sample) == [0, 1, 2, 3])
    #expect(try Self.found("title:-", in: Self.sample) == [0, 1, 2, 3])
    let id = Self.sample.papers[2].id.rawValue
    #expect(try Self.found("id:\(id.prefix(6).uppercased())", in: Self.sample).contains(2))
  }

  @Test("an empty library")
  func emptyLibrary() throws {
    let library = Self.library([])
    #expect(try Self.found("deep or -is:read", in: library) == [])
    #expect(SearchIndex(library: library).count == 0)
  }

  @Test("a library large enough to be built and scanned on every core agrees")
  func large() throws {
    let words = ["deep", "learning", "neural", "network", "generalization", "Erdős", "深層", "bound", "of", "the"]
    var entries: [Entry] = []
    for number in 0..<3_000 {
      let abstract = (0..<250).map { words[($0 * 7 + number * 13 + $0 / 5) % words.count] }.joined(separator: " ")
      entries.append(
        Entry(title: "Paper \(number)", authors: ["Author \(number % 17)"], year: 2000 + number % 20, abstract: abstract))
    }
    entries[2_999].abstract! += " xqzjv"
    entries[1_500].title = "xqzjv"
    let library = Self.library(entries)
    #expect(try Self.found("xqzjv", in: library) == [1_500, 2_999])
    try Self.found("generalization neural", in: library)
    try Self.found("\"paper 12\" or author:\"author 3\"", in: library)
    try Self.found("erdos -year:2005", in: library)
    // Needles so common that the text is read, and rare ones looked up in the word lists;
    // phrases narrowed by the lists of their parts, across word boundaries.
    #expect(try Self.found("e", in: library).count == 3_000)
    try Self.found("\"ep lea\" or \"rk gen\"", in: library)
    try Self.found("abstract:\"of the\" title:\"per 29\"", in: library)
    try Self.found("author:\"or 1\" -author:\"or 16\"", in: library)
  }
}

// MARK: - Generated libraries and queries

@Suite("Search index agrees with Query.matches on generated libraries")
struct SearchIndexPropertyTests {
  static let words = [
    "deep", "Learning", "Erdős", "résumé", "naïve", "深層", "学習", "neural", "net", "network", "GAN", "gans", "x-ray",
    "O'Neil", "100%", "A&B", "Ünïcödé", "théorie", "smith", "Smith-Jones", "gen", "generalization", "the", "of",
    "가", "\u{1100}\u{1161}", "각", "ﾊﾞ", "ทำ", "が", "Ω", "--", "\"quoted\"",
  ]
  static let names = ["Ana Müller", "Pál Erdős", "Yi Zhang", "Mary O'Neil", "李 明", "Smith", "J. Smith-Jones"]
  static let tags = ["gan", "GANs", "deep-learning", "Erdős", "深層", "todo", "가"]

  struct Scenario: Sendable, CustomStringConvertible {
    var library: Library
    var reading: ReadingState
    var queries: [Query]
    var within: PaperSet

    var description: String {
      let papers = library.papers.map { "\($0.title ?? "nil") / \($0.authors) / \($0.abstract ?? "nil")" }
      return "papers: \(papers)\nreading: \(reading.papers.values)\nqueries: \(queries)\nwithin: \(Array(within))"
    }
  }

  static let scenario = Generator<Scenario, Shrink.None<Scenario>> { rng in
    let library = makeLibrary(&rng)
    return Scenario(
      library: library, reading: makeReading(library, &rng), queries: (0..<12).map { _ in makeQuery(depth: 3, &rng) },
      within: PaperSet(
        capacity: library.count, members: library.papers.indices.filter { _ in Bool.random(using: &rng) }))
  }

  static func pick<T>(_ values: [T], _ rng: inout some RandomNumberGenerator) -> T {
    values[Int.random(in: 0..<values.count, using: &rng)]
  }

  /// The words whose folded text byte comparison judges alone (see `FoldedText`).
  static let plainWords = words.filter { word in
    var cache = FoldedText.PlainnessCache()
    return cache.isPlain(TextNormalizer.key(word))
  }

  static func phrase(
    _ count: ClosedRange<Int>, _ rng: inout some RandomNumberGenerator, from words: [String] = words
  ) -> String {
    let separators = [" ", " ", " ", ", ", "-", ": "]
    var text = ""
    for position in 0..<Int.random(in: count, using: &rng) {
      if position > 0 { text += pick(separators, &rng) }
      text += pick(words, &rng)
    }
    return text
  }

  /// A library of some papers; with `exotic` below 1, only that share of them may have text
  /// byte comparison cannot judge (which is slowly compared).
  static func makeLibrary(
    _ rng: inout some RandomNumberGenerator, papers: ClosedRange<Int> = 0...24, exotic: Double = 1
  ) -> Library {
    let listings = (0..<Int.random(in: papers, using: &rng)).map { number in
      let words = Double.random(in: 0..<1, using: &rng) < exotic ? words : plainWords
      var listing = Listing(source: SourceLocation(file: "generated", line: number + 1))
      if Int.random(in: 0..<8, using: &rng) > 0 { listing.title = phrase(1...5, &rng, from: words) + " \(number)" }
      listing.authors = (0..<Int.random(in: 0...3, using: &rng)).map { _ in pick(names, &rng) }
      if Bool.random(using: &rng) { listing.venue = "Journal of " + pick(words, &rng) }
      if Int.random(in: 0..<4, using: &rng) > 0 { listing.abstract = phrase(0...30, &rng, from: words) }
      if Int.random(in: 0..<4, using: &rng) > 0 { listing.year = Int.random(in: 1995...2025, using: &rng) }
      if Int.random(in: 0..<4, using: &rng) > 0 {
        listing.added = Date(timeIntervalSince1970: Double.random(in: 0...1_000, using: &rng))
      }
      if Int.random(in: 0..<3, using: &rng) == 0 { listing.doi = "10.1000/\(pick(["gen", "deep", "x"], &rng)).\(number)" }
      if Int.random(in: 0..<3, using: &rng) == 0 { listing.arxiv = "17\(Int.random(in: 10...12, using: &rng)).0\(number)" }
      return listing
    }
    return Library(name: "generated", listings: listings)
  }

  static func makeReading(_ library: Library, _ rng: inout some RandomNumberGenerator) -> ReadingState {
    var reading = ReadingState()
    for paper in library.papers where Int.random(in: 0..<5, using: &rng) < 2 {
      reading[paper.id] = PaperState(
        status: Bool.random(using: &rng) ? .read : .unread,
        tags: Array(Set((0..<Int.random(in: 0...2, using: &rng)).map { _ in pick(tags, &rng) })),
        note: Bool.random(using: &rng) ? phrase(1...6, &rng) : nil,
        title: Int.random(in: 0..<4, using: &rng) == 0 ? phrase(1...4, &rng) : nil)
    }
    reading[PaperID("elsewhere")] = PaperState(status: .read, tags: ["gan"], note: "deep")
    return reading
  }

  static func makeNeedle(_ rng: inout some RandomNumberGenerator) -> String {
    switch Int.random(in: 0..<6, using: &rng) {
    case 0: return pick(words, &rng)
    case 1, 2:
      // Part of a word or of a phrase, cut anywhere (between characters).
      let whole = Array(phrase(1...3, &rng))
      let start = Int.random(in: 0..<whole.count, using: &rng)
      let end = Int.random(in: start...min(whole.count, start + 8), using: &rng)
      return String(whole[start..<end])
    case 3: return phrase(2...3, &rng)
    case 4: return pick(tags + names, &rng)
    default: return pick(["xqzjv", "!!", "", " ", "e", "n", "0", "ou", "résumé network"], &rng)
    }
  }

  static func makeQuery(depth: Int, _ rng: inout some RandomNumberGenerator) -> Query {
    switch Int.random(in: 0..<(depth > 0 ? 12 : 7), using: &rng) {
    case 0, 1, 2:
      let fields: [Query.Field?] = [nil, nil, nil] + Query.Field.allCases.map { $0 }
      let field = pick(fields, &rng)
      if field == .id { return .text(pick(["", "a", "3", "F", "0", "c9", "e"], &rng), .id) }
      return .text(makeNeedle(&rng), field)
    case 3:
      let low = Int.random(in: 1995...2025, using: &rng)
      return .year(low...(low + Int.random(in: 0...10, using: &rng)))
    case 4:
      let low = Double.random(in: -100...1_000, using: &rng)
      return .added(low...(low + Double.random(in: 0...600, using: &rng)))
    case 5: return .status(Bool.random(using: &rng) ? .read : .unread)
    case 6: return Bool.random(using: &rng) ? .everything : .text(makeNeedle(&rng), nil)
    case 7: return .not(makeQuery(depth: depth - 1, &rng))
    case 8, 9: return .and((0..<Int.random(in: 1...3, using: &rng)).map { _ in makeQuery(depth: depth - 1, &rng) })
    default: return .or((0..<Int.random(in: 1...3, using: &rng)).map { _ in makeQuery(depth: depth - 1, &rng) })
    }
  }

  @Test("evaluate gives what Query.matches gives, with and without within")
  func agrees() async {
    await propertyCheck(count: 150, input: Self.scenario) { scenario in
      let library = scenario.library
      let index = SearchIndex(library: library)
      for query in scenario.queries {
        let expected = SearchIndexTests.reference(query, library, scenario.reading)
        #expect(index.evaluate(query, reading: scenario.reading, library: library) == expected, "\(query)")
        let narrowed = index.evaluate(query, reading: scenario.reading, library: library, within: scenario.within)
        #expect(narrowed == expected.intersection(scenario.within), "\(query) within \(Array(scenario.within))")
      }
    }
  }
}

@Suite("Reading index")
struct ReadingIndexTests {
  @Test("kept up to date change by change, it answers as one built afresh")
  func incremental() throws {
    let library = SearchIndexTests.sample
    let index = SearchIndex(library: library)
    var reading = ReadingState()
    var kept = ReadingIndex(reading: reading, library: library)
    // Tags and notes come and go, papers are read and unread again, in an order that
    // removes annotated papers from the middle as well as the end.
    let changes: [(Int, PaperState)] = [
      (0, PaperState(status: .read, tags: ["Théorie"])), (1, PaperState(tags: ["gan", "deep"])),
      (2, PaperState(status: .read, note: "Kanji ノート")), (3, PaperState(tags: ["x"])),
      (0, PaperState()), (1, PaperState(status: .read)), (3, PaperState(note: "smith again")),
      (2, PaperState(tags: ["theorie"])), (1, PaperState(tags: ["gan"])),
      (3, PaperState(title: "Zebrafish")), (0, PaperState(title: "zebra crossing", readAt: nil)), (3, PaperState()),
    ]
    let queries = [
      "is:read", "-is:read", "tag:theorie", "theor", "gan", "note:smith", "ノート", "x or kanji", "tag:gan is:unread",
      "title:zebra", "zebrafish", "-title:zebra",
    ]
    // The reader's way: told what the paper's state was, only what changed is touched.
    var diffed = kept
    for (paper, state) in changes {
      let old = reading[library[paper].id]
      reading[library[paper].id] = state
      kept.update(paper, to: state)
      diffed.update(paper, from: old, to: state)
      for text in queries {
        let query = try Query.parse(text)
        let fresh = index.evaluate(query, reading: reading, library: library)
        #expect(index.evaluate(query, reading: kept, library: library) == fresh, "\(text) after paper \(paper) changed")
        #expect(index.evaluate(query, reading: diffed, library: library) == fresh, "\(text) after paper \(paper) changed, by difference")
        #expect(fresh == SearchIndexTests.reference(query, library, reading), "\(text)")
      }
    }
  }
}

// MARK: - Index files

@Suite("Search index files")
struct SearchIndexFileTests {
  /// A folder of its own under the temporary folder, removed when the test ends.
  final class Folder {
    let path: String

    init() throws {
      path = NSTemporaryDirectory() + "/quire-index-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String = "search.index") -> String { path + "/" + name }
  }

  /// A generated library of a few thousand papers (with the words, some exotic, of the
  /// generated scenarios) and a reading state for it.
  static let generated: (library: Library, reading: ReadingState) = {
    var rng = Xoshiro(seed: (1, 2, 3, 4))
    let library = SearchIndexPropertyTests.makeLibrary(&rng, papers: 3_000...3_000, exotic: 0.05)
    return (library, SearchIndexPropertyTests.makeReading(library, &rng))
  }()

  static let queries = [
    "deep", "learning", "\"neural network\"", "title:gans", "author:erdos", "author:\"smith-jones\"", "venue:theorie",
    "abstract:\"of the\"", "doi:deep", "arxiv:1711", "year:2010", "year:>=2020 -year:2024", "added:1970-01-01",
    "resume", "naive", "深層", "学習", "가", "각", "ﾊﾞ", "ทำ", "が", "Ω", "x-ray", "o'neil", "100%", "a&b", "unicode",
    "xqzjv", "e", "tag:gan", "tag:深層", "note:deep", "is:read", "-is:read gen", "(erdos or zhang) -smith",
    "id:0", "id:a", "id:3f", "\"!!\"", "12", "\"learning 1\"",
  ]

  /// The same results from both indexes, for the fixed queries and generated ones, with and
  /// without `within`.
  static func expectSameResults(
    _ opened: SearchIndex, _ built: SearchIndex, _ library: Library, _ reading: ReadingState,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    var rng = Xoshiro(seed: (5, 6, 7, 8))
    let ids = library.papers.prefix(40).map { "id:" + $0.id.rawValue.prefix(Int.random(in: 1...16, using: &rng)) }
    var queries = try (Self.queries + ids).map { try Query.parse($0) }
    queries += (0..<100).map { _ in SearchIndexPropertyTests.makeQuery(depth: 3, &rng) }
    let odd = PaperSet(capacity: library.count, members: stride(from: 1, to: library.count, by: 2))
    let reading = ReadingIndex(reading: reading, library: library)
    var matched = 0
    for query in queries {
      let expected = built.evaluate(query, reading: reading, library: library)
      #expect(opened.evaluate(query, reading: reading, library: library) == expected, "\(query)", sourceLocation: sourceLocation)
      let narrowed = opened.evaluate(query, reading: reading, library: library, within: odd)
      #expect(narrowed == expected.intersection(odd), "\(query) within odd papers", sourceLocation: sourceLocation)
      if !expected.isEmpty && expected.count < library.count { matched += 1 }
    }
    // The queries tell papers apart: many find some papers, not all.
    if library.count > 100 { #expect(matched > queries.count / 3, sourceLocation: sourceLocation) }
  }

  @Test("an index written and opened again answers as the one built")
  func roundTrip() throws {
    let (library, reading) = Self.generated
    let built = SearchIndex(library: library)
    let folder = try Folder()
    try built.write(to: folder.file(), fingerprint: "library 1")
    let opened = try #require(SearchIndex.open(path: folder.file(), fingerprint: "library 1"))
    #expect(opened.count == library.count)
    #expect(opened != built && opened == opened)
    try Self.expectSameResults(opened, built, library, reading)
    // And against `Query.matches` itself, for a few.
    for text in ["deep -is:read", "author:erdos year:>=2000", "résumé or 가", "id:1"] {
      let query = try Query.parse(text)
      #expect(opened.evaluate(query, reading: reading, library: library) == SearchIndexTests.reference(query, library, reading), "\(text)")
    }
    // Nothing is left beside the file.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["search.index"])
  }

  @Test("the sample library, an empty one and a one-paper one survive the trip")
  func smallLibraries() throws {
    let folder = try Folder()
    for library in [SearchIndexTests.sample, SearchIndexTests.library([]), SearchIndexTests.library([.init(title: "Ω")])] {
      let built = SearchIndex(library: library)
      try built.write(to: folder.file(), fingerprint: "")
      let opened = try #require(SearchIndex.open(path: folder.file(), fingerprint: ""))
      #expect(opened.count == library.count)
      try Self.expectSameResults(opened, built, library, ReadingState())
    }
  }

  @Test("writing again replaces the file; the index opened before keeps its own")
  func replace() throws {
    let folder = try Folder()
    let first = SearchIndexTests.sample
    let second = SearchIndexTests.library([.init(title: "Another paper"), .init(title: "Deep thoughts")])
    try SearchIndex(library: first).write(to: folder.file(), fingerprint: "one")
    let old = try #require(SearchIndex.open(path: folder.file(), fingerprint: "one"))
    try SearchIndex(library: second).write(to: folder.file(), fingerprint: "two")
    #expect(SearchIndex.open(path: folder.file(), fingerprint: "one") == nil)
    let new = try #require(SearchIndex.open(path: folder.file(), fingerprint: "two"))
    #expect(Array(new.evaluate(.text("deep", nil), reading: ReadingState(), library: second)) == [1])
    #expect(Array(old.evaluate(.text("deep", nil), reading: ReadingState(), library: first)) == [0])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["search.index"])
  }

  @Test("a folder that does not exist yet is made; one that cannot be is an error")
  func folders() throws {
    let folder = try Folder()
    let index = SearchIndex(library: SearchIndexTests.sample)
    try index.write(to: folder.file("cache/quire/search.index"), fingerprint: "f")
    #expect(SearchIndex.open(path: folder.file("cache/quire/search.index"), fingerprint: "f") != nil)
    #expect(FileManager.default.createFile(atPath: folder.file("plain"), contents: Data()))
    #expect(throws: SearchIndex.WriteError.self) { try index.write(to: folder.file("plain/search.index"), fingerprint: "f") }
  }

  @Test("a missing, empty, truncated, lengthened or foreign file, or another fingerprint, opens as nil")
  func refused() throws {
    let folder = try Folder()
    let path = folder.file()
    try SearchIndex(library: SearchIndexTests.sample).write(to: path, fingerprint: "size 10 mtime 20 quire 1.0")
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(SearchIndex.open(path: path, fingerprint: "size 10 mtime 20 quire 1.0") != nil)
    #expect(SearchIndex.open(path: path, fingerprint: "size 10 mtime 21 quire 1.0") == nil)
    #expect(SearchIndex.open(path: path, fingerprint: "") == nil)
    #expect(SearchIndex.open(path: folder.file("missing"), fingerprint: "size 10 mtime 20 quire 1.0") == nil)
    #expect(SearchIndex.open(path: folder.path, fingerprint: "size 10 mtime 20 quire 1.0") == nil)

    func opens(_ bytes: Data) throws -> Bool {
      try bytes.write(to: URL(fileURLWithPath: path))
      return SearchIndex.open(path: path, fingerprint: "size 10 mtime 20 quire 1.0") != nil
    }
    #expect(try opens(whole))
    #expect(try !opens(Data()))
    for length in [1, 7, 8, 63, 64, 65, 200, whole.count / 2, whole.count - 65, whole.count - 64, whole.count - 1] {
      #expect(try !opens(whole.prefix(length)), "truncated to \(length) bytes")
    }
    #expect(try !opens(whole + [0]))
    #expect(try !opens(Data(repeating: 0, count: whole.count)))
    #expect(try !opens(Data("not an index at all, but long enough to have a header's worth of bytes in it".utf8)))
    // Any byte of the header, table or fingerprint changed.
    let headerEnd = Self.headerLength(whole)
    #expect(headerEnd > 400)
    for position in 0..<headerEnd {
      var damaged = whole
      damaged[position] ^= 0x10
      #expect(try !opens(damaged), "byte \(position) changed")
    }
  }

  @Test("a file damaged inside its columns may answer wrongly, but never crashes or reads outside")
  func damagedColumns() throws {
    var rng = Xoshiro(seed: (9, 9, 9, 9))
    let library = SearchIndexPropertyTests.makeLibrary(&rng, papers: 300...300, exotic: 0.05)
    let reading = ReadingIndex(reading: SearchIndexPropertyTests.makeReading(library, &rng), library: library)
    let folder = try Folder()
    let path = folder.file()
    try SearchIndex(library: library).write(to: path, fingerprint: "f")
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    let queries = try ["deep", "\"neural network\"", "author:smith", "title:ne", "resume", "가", "id:3", "doi:x", "arxiv:17", "year:2000"]
      .map { try Query.parse($0) }
    let columns = Self.columns(whole).filter { !$0.isEmpty }
    var opened = 0
    for round in 0..<300 {
      var damaged = whole
      // A few bytes of each column in turn, or a run of them (an offset made huge or negative).
      let column = columns[round % columns.count]
      let start = Int.random(in: column, using: &rng)
      let length = round % 3 == 0 ? Int.random(in: 1...16, using: &rng) : 1
      for position in start..<min(start + length, whole.count) { damaged[position] = UInt8.random(in: 0...255, using: &rng) }
      try damaged.write(to: URL(fileURLWithPath: path))
      guard let index = SearchIndex.open(path: path, fingerprint: "f") else { continue }
      opened += 1
      for query in queries {
        _ = index.evaluate(query, reading: reading, library: library)
        _ = index.evaluate(.not(query), reading: reading, library: library)
      }
    }
    #expect(opened > 100)
  }

  /// Where each column of a file lies, from its table.
  static func columns(_ file: Data) -> [Range<Int>] {
    func integer(at offset: Int) -> Int { (0..<8).reduce(0) { $0 | Int(file[offset + $1]) << (8 * $1) } }
    let columnCount = Int(file[20]) | Int(file[21]) << 8
    return (0..<columnCount).map { column in
      let entry = IndexFileLayout.headerSize + column * IndexFileLayout.tableEntrySize
      return integer(at: entry)..<(integer(at: entry) + integer(at: entry + 8))
    }
  }

  /// The length of a file's header, column table and fingerprint.
  static func headerLength(_ file: Data) -> Int {
    let columnCount = Int(file[20]) | Int(file[21]) << 8
    let fingerprintLength = Int(file[32]) | Int(file[33]) << 8
    return IndexFileLayout.headerSize + columnCount * IndexFileLayout.tableEntrySize + fingerprintLength
  }

  @Test("id: prefixes are compared as String.hasPrefix compares, for any id")
  func idPrefixes() {
    var rng = Xoshiro(seed: (3, 1, 4, 1))
    let alphabet = ["a", "0", "f", "-", "2", "\r", "\n", "\r\n", "e", "\u{301}", "é", "k", "\u{212A}", ";", "\u{37E}", "가", "\u{1100}", "\u{1161}"]
    func string(_ length: ClosedRange<Int>) -> String {
      (0..<Int.random(in: length, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }
    var raw = ["0123abcd0123abcd", "0123abcd0123abcd-2", "", "ABC"]
    raw += (0..<300).map { _ in string(0...6) }
    let ids = PaperIDs(raw.map { PaperID($0) })
    let all = PaperSet(capacity: raw.count, full: true)
    var prefixes = ["", "0123abcd0123abcd", "0123abcd0123abcd-", "0123abcd0123abcd-3", "abc", "\r", "e", "k"]
    prefixes += (0..<300).map { _ in string(1...3) }
    for prefix in prefixes {
      let expected = PaperSet(capacity: raw.count, members: raw.indices.filter { raw[$0].hasPrefix(prefix) })
      #expect(ids.papers(among: all, withPrefix: prefix) == expected, "\(prefix.unicodeScalars.map(\.value))")
    }
  }
}
