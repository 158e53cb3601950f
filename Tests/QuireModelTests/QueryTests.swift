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
    ("is:skimmed", 4, "expected 'is:read' or 'is:unread'"),
    ("a or", 5, "expected a term after 'or'"),
    ("\"open phrase", 1, "expected a closing \""),
    ("title:", 7, "expected a value after 'title:'"),
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
}
