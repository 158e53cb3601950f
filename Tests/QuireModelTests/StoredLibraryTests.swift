import Foundation
import Testing

@testable import QuireModel

@Suite("JSON reader")
struct JSONReaderTests {
  @Test("reads what JSONSerialization reads, the same way")
  func agreesWithFoundation() throws {
    let texts = [
      #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-12.5e2,"g":"\u00e9\"\\\/\b\f\n\r\t","h":[]}"#,
      #"[1, 2.5, -0, 1e3, "x", {"k": [{}]}]"#,
      #"  "tab\there"  "#,
      #"{"emoji":"\ud83d\ude00 😀","cjk":"山田"}"#,
      "123456789012345",
    ]
    for text in texts {
      let ours = try JSONReader.parse(text)
      let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
      #expect(Self.same(ours, theirs), "\(text)")
    }
  }

  static func same(_ value: JSONValue, _ other: Any) -> Bool {
    switch value {
    case .null: return other is NSNull
    case .bool(let b): return (other as? Bool) == b
    case .number(let n): return (other as? NSNumber)?.doubleValue == n
    case .string(let s): return other as? String == s
    case .array(let items):
      guard let theirs = other as? [Any], theirs.count == items.count else { return false }
      return zip(items, theirs).allSatisfy { same($0, $1) }
    case .object(let members):
      guard let theirs = other as? [String: Any], theirs.count == members.count else { return false }
      return members.allSatisfy { member in theirs[member.key].map { same(member.value, $0) } ?? false }
    }
  }

  @Test("refuses what is not JSON, saying where", arguments: [
    (#"{"a":1,}"#, 7), (#"{"a" 1}"#, 5), ("[1,2", 4), (#""abc"#, 4), ("tru", 0), (#"{"a":01}"#, 6),
    ("\"a\u{01}b\"", 2), (#""\x""#, 2), ("[1] x", 4), ("", 0), (#""\ud83d"x"#, 8),
  ])
  func refuses(text: String, offset: Int) {
    #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(text) }
    do {
      _ = try JSONReader.parse(text)
    } catch {
      #expect(error.offset == offset, "\(text): \(error)")
    }
  }

  @Test("invalid UTF-8 and hostile nesting are refused, not crashed on")
  func hostile() {
    #expect(throws: JSONSyntaxError.self) { try JSONReader.parse([0x22, 0xFF, 0xFE, 0x22]) }
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(deep) }
    // A lone surrogate becomes U+FFFD, as Foundation reads it.
    #expect((try? JSONReader.parse(#""\udc00""#)) == .string("\u{FFFD}"))
  }
}

@Suite("library file read as papers are shown")
struct StoredLibraryTests {
  static func folder() throws -> String {
    let path = NSTemporaryDirectory() + "quire-stored-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// What `quire import` keeps: papers with alternates, identifiers, and one paper that is
  /// also in the built-in list.
  static func storedListings() -> [Listing] {
    var listings: [Listing] = []
    for n in 0..<300 {
      var listing = Listing(title: "Paper number \(n) on résumé learning", authors: ["Ann Author\(n % 7)", "Bo Li"], venue: "Venue \(n % 5)", year: 1990 + n % 30, abstract: "Abstract \(n) " + String(repeating: "words ", count: n % 40), source: SourceLocation(file: "x", line: n))
      if n % 10 == 0 { listing.doi = "10.1000/\(n)" }
      if n % 15 == 0 { listing.arxiv = "1703.\(10000 + n)" }
      if n % 3 == 0 { listing.added = Date(timeIntervalSince1970: 1_700_000_000 + Double(n)) }
      listings.append(listing)
      if n % 20 == 0 {
        var again = listing
        again.year = 2020
        again.venue = "Elsewhere"
        listings.append(again)
      }
    }
    // Same title as a built-in paper, same author: merged into it. And an untitled one.
    var builtin = BuiltinLibrary.load()[0]
    builtin.venue = nil
    listings.append(Listing(title: builtin.title, authors: builtin.authors, year: builtin.year, abstract: "stored abstract", source: SourceLocation(file: "x", line: 999)))
    listings.append(Listing(title: nil, authors: ["No Title"], abstract: "An abstract alone names this paper.", source: SourceLocation(file: "x", line: 1000)))
    return listings
  }

  /// The library as quire read it before: every stored listing added to the built-in list.
  static func eager(_ path: String) throws -> Library {
    let stored = JSONLinesParser(file: path).parse(try String(contentsOfFile: path, encoding: .utf8)).listings
    var library = Library(name: "eager", listings: BuiltinLibrary.listings)
    for listing in stored { library.add(listing) }
    return library
  }

  @Test("opening the library file gives the papers reading it whole gave, in the same order", arguments: [1 << 23, 1000, 97])
  func sameAsEager(chunk: Int) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/library.jsonl"
    let imported = Library(name: "imported", listings: Self.storedListings())
    try LibraryStore(path: path).save(imported.papers)

    let eager = try Self.eager(path)
    let lazy = try Library.open(name: "lazy", builtin: BuiltinLibrary.listings, storedAt: path)
    // Reading the file in small pieces cuts lines across reads: the same table comes out.
    let whole = try StoredPapers(path: path)
    let pieces = try StoredPapers(path: path, chunkSize: chunk)
    #expect(pieces.count == whole.count)
    for index in 0..<whole.count {
      #expect(pieces.id(at: index) == whole.id(at: index))
      #expect(pieces.lineNumber(of: index) == whole.lineNumber(of: index))
      #expect(pieces.paper(at: index) == whole.paper(at: index))
    }
    #expect(lazy.count == eager.count)
    expectSamePapers(lazy, eager)
    for index in 0..<eager.count {
      let paper = eager[index]
      #expect(lazy.index(of: paper.id) == index)
      #expect(lazy[index].alternates.count == paper.alternates.count)
      #expect(lazy[index].added == paper.added)
      #expect(lazy[index].arxiv == paper.arxiv)
    }
    #expect(lazy.storedIdentity != nil)
    #expect(eager.storedIdentity == nil)
  }

  @Test("lines cut across reads, CRLF endings, blank lines and ids written otherwise")
  func oddFiles() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/library.jsonl"
    let lines = [
      #"{"id":"00000000000000aa","title":"First","authors":["A B"]}"#,
      "",
      #"{"title":"No id at all","authors":["C D"]}"# + "\r",
      #"{"id":"custom-id-2","title":"Custom id"}"#,
      "   ",
      #"{"id":"00000000000000AB","title":"Upper-case hex"}"#,
    ]
    try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    for chunk in [1 << 20, 7, 1] {
      let store = try StoredPapers(path: path, chunkSize: chunk)
      #expect(store.count == 4)
      #expect(store.paper(at: 0).title == "First")
      #expect(store.id(at: 0) == PaperID("00000000000000aa"))
      #expect(store.paper(at: 1).title == "No id at all")
      #expect(store.lineNumber(of: 1) == 3)
      #expect(store.id(at: 1) == PaperID(identityKey: Paper.identityKey(of: Listing(title: "No id at all", source: SourceLocation(file: "", line: 0)))))
      #expect(store.index(of: PaperID("custom-id-2")) == 2)
      #expect(store.index(of: PaperID("00000000000000AB")) == 3)
      #expect(store.index(of: PaperID("00000000000000ab")) == nil)
      #expect(store.paper(at: 3).id == PaperID("00000000000000AB"))
    }
  }

  @Test("a line that is not a paper is refused with its line and column, not shown half read")
  func brokenLine() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/library.jsonl"
    try Data((#"{"id":"00000000000000aa","title":"Fine"}"# + "\n" + #"{"title": "broken", }"#).utf8).write(to: URL(fileURLWithPath: path))
    #expect {
      _ = try StoredPapers(path: path)
    } throws: { error in
      let text = "\(error)"
      return text.contains("library.jsonl") && text.contains("line 2") && text.contains("column 21")
    }
  }

  @Test("a line that looks right at its start but is damaged inside reads as a paper saying so")
  func damagedInside() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/library.jsonl"
    try Data(#"{"id":"00000000000000aa","title":"Fine", "authors": [1,}"#.utf8).write(to: URL(fileURLWithPath: path))
    let store = try StoredPapers(path: path)
    let paper = store.paper(at: 0)
    #expect(paper.displayTitle.contains("line 1 of library.jsonl cannot be read"))
    #expect(paper.abstract?.contains("column") == true)
  }

  @Test("adding to an opened library brings its papers into memory first, then merges as before")
  func addAfterOpen() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/library.jsonl"
    let imported = Library(name: "imported", listings: Self.storedListings())
    try LibraryStore(path: path).save(imported.papers)
    var lazy = try Library.open(name: "lazy", builtin: BuiltinLibrary.listings, storedAt: path)
    var eager = try Self.eager(path)
    var again = Listing(title: "Paper number 3 on résumé learning", authors: ["Ann Author3"], year: 1993, source: SourceLocation(file: "y", line: 1))
    again.venue = "A third venue"
    #expect(lazy.add(again) == eager.add(again))
    let fresh = Listing(title: "Something new", source: SourceLocation(file: "y", line: 2))
    #expect(lazy.add(fresh) == eager.add(fresh))
    expectSamePapers(lazy, eager)
    #expect(lazy.id(of: again) == eager.id(of: again))
  }
}
