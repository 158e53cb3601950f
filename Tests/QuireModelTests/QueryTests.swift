import Testing

@testable import QuireModel

@Suite("Query language")
struct QueryTests {
  @Test("the issue's example parses into the query it says")
  func example() throws {
    let query = try Query.parse("tag:gan (author:arora or author:ma) year:>=2016 -is:read")
    #expect(query == .and([
      .text("gan", .tag),
      .or([.text("arora", .author), .text("ma", .author)]),
      .year(2016...9999),
      .not(.status(.read)),
    ]))
  }

  @Test("words, phrases, fields, years, negation, or, parentheses", arguments: [
    ("", Query.everything),
    ("deep learning", .and([.text("deep", nil), .text("learning", nil)])),
    ("\"neural net\"", .text("neural net", nil)),
    ("title:\"sparse coding\"", .text("sparse coding", .title)),
    ("year:2016", .year(2016...2016)),
    ("year:2014..2017", .year(2014...2017)),
    ("year:<2000", .year(0...1999)),
    ("not is:unread", .not(.status(.unread))),
    ("a or b or c", .or([.text("a", nil), .text("b", nil), .text("c", nil)])),
    ("x-ray", .text("x-ray", nil)),
    ("deep and learning", .and([.text("deep", nil), .text("learning", nil)])),
    ("a AND b or c", .or([.and([.text("a", nil), .text("b", nil)]), .text("c", nil)])),
  ])
  func parses(text: String, expected: Query) throws {
    #expect(try Query.parse(text) == expected)
  }

  @Test("a bad query names the column where it goes wrong", arguments: [
    ("(deep", 6, "expected ')' to close the '(' at column 1"),
    ("deep)", 5, "unexpected ')': no '(' to close"),
    ("colour:red", 1, "unknown field 'colour'"),
    ("year:twenty", 6, "expected a year"),
    ("year:2017..2014", 6, "expected the earlier year first"),
    ("is:skimmed", 4, "expected 'is:read', 'is:unread', 'is:new' or 'is:updated'"),
    ("a or", 5, "expected a term after 'or'"),
    ("\"open phrase", 1, "expected a closing \""),
    ("title:", 7, "expected a value after 'title:'"),
    ("and deep", 1, "expected a term before 'and'"),
    ("deep and", 9, "expected a term after 'and'"),
    ("deep and or x", 10, "expected a term after 'and'"),
    ("a -", 3, "expected a term after '-'"),
    ("-", 1, "expected a term after '-'"),
    ("\"\"", 1, "expected words between the quotes"),
  ])
  func errors(text: String, column: Int, message: String) {
    do {
      _ = try Query.parse(text)
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.column == column, "\(text): \(error)")
      #expect(error.message.hasPrefix(message), "\(text): \(error)")
    }
  }

  @Test("matching ignores case and accents and looks in the right fields")
  func matching() throws {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[1].id] = PaperState(status: .read, tags: ["theory"])
    func count(_ text: String) throws -> Int {
      let query = try Query.parse(text)
      return library.papers.filter { query.matches($0, reading[$0.id]) }.count
    }
    #expect(try count("") == 13)
    #expect(try count("author:hardt") == 3)
    #expect(try count("author:HARDT year:2016") == 3)
    #expect(try count("author:hardt -is:read") == 2)
    #expect(try count("tag:theory") == 1)
    #expect(try count("deep or sparse") >= 6)
    #expect(try count("\"generative adversarial\"") == 1)
    #expect(try count("year:2014..2016 venue:ICML") == 1)
    #expect(try count("title:reversible") == 1)
    #expect(try count("ℓ1") == 1)
    #expect(try count("Giryès") == 2)  // accents ignored both ways
  }

  @Test("added: takes ages and days, resolved against the time of parsing")
  func added() throws {
    let now = Timestamp.parse("2026-11-29T12:00:00Z")!
    var listing = Listing(title: "Fresh", source: SourceLocation(file: "t", line: 1))
    func matches(_ text: String, addedAt iso: String?) throws -> Bool {
      listing.added = iso.flatMap(Timestamp.parse)
      return try Query.parse(text, now: now).matches(Paper(listing: listing), PaperState())
    }
    #expect(try matches("added:<7d", addedAt: "2026-11-25T08:00:00Z"))
    #expect(try !matches("added:<7d", addedAt: "2026-11-20T08:00:00Z"))
    #expect(try matches("added:>7d", addedAt: "2026-11-20T08:00:00Z"))
    #expect(try matches("added:7d", addedAt: "2026-11-29T11:00:00Z"))
    #expect(try matches("added:<2w added:>1w", addedAt: "2026-11-20T08:00:00Z"))
    #expect(try matches("added:<36h", addedAt: "2026-11-28T08:00:00Z"))
    #expect(try matches("added:<7D", addedAt: "2026-11-25T08:00:00Z"))
    #expect(try matches("added:2026-11-20", addedAt: "2026-11-20T23:59:59Z"))
    #expect(try !matches("added:2026-11-20", addedAt: "2026-11-21T00:00:00Z"))
    #expect(try matches("added:>=2026-11-20", addedAt: "2026-11-20T00:00:00Z"))
    #expect(try !matches("added:>2026-11-20", addedAt: "2026-11-20T23:00:00Z"))
    #expect(try matches("added:<2026-11-20", addedAt: "2026-11-19T23:00:00Z"))
    #expect(try matches("added:2026-11-01..2026-11-20", addedAt: "2026-11-20T10:00:00Z"))
    #expect(try matches("added:30d..7d", addedAt: "2026-11-10T10:00:00Z"))
    #expect(try !matches("added:30d..7d", addedAt: "2026-11-25T10:00:00Z"))
    #expect(try !matches("added:<7d", addedAt: nil))  // a paper with no date added is never recent
    #expect(try matches("-added:<7d", addedAt: nil))
    for bad in ["added:soon", "added:7x", "added:2026-13-01", "added:2026-11-20..2026-11-01", "added:7d..2026-11-01"] {
      #expect(throws: QueryError.self, "\(bad)") { try Query.parse(bad, now: now) }
    }
  }

  @Test("notes are searched like any text, and by note:")
  func notes() throws {
    let paper = BuiltinLibrary.load()[0]
    let state = PaperState(status: .read, tags: [], note: "Compare with Cybenko's théorème")
    #expect(try Query.parse("cybenko").matches(paper, state))
    #expect(try Query.parse("note:theoreme").matches(paper, state))
    #expect(try !Query.parse("note:cybenko").matches(paper, PaperState()))
  }

  @Test("a longer word, or one more term, narrows a query; other edits do not",
    arguments: [
      ("neural", "neura", true), ("neural net", "neural", true), ("neural net", "neural ne", true),
      ("neura", "neural", false), ("title:gan", "gan", false), ("tag:gan", "tag:ga", false),
      ("-gan", "-ga", false), ("gan or x", "gan", false), ("id:ab12", "id:ab", true), ("year:2016", "year:2016", true),
      ("Erdős", "erdo", true),
    ])
  func narrowing(longer: String, shorter: String, narrows: Bool) throws {
    #expect(try Query.parse(longer).narrows(Query.parse(shorter)) == narrows)
  }

  @Test("highlight terms are the positive text terms, folded")
  func highlightTerms() throws {
    #expect(try Query.parse("Erdős \"Neural-Net\" -gan tag:x title:Deep (a or not b) year:2016").highlightTerms == ["erdos", "neural net", "deep", "a"])
  }
}
