import Foundation
import Testing

@testable import QuireModel

@Suite("Config file")
struct ConfigTests {
  @Test("views are read in order, with or without '=', with escapes, and comments are skipped")
  func views() {
    let config = Config.parse(
      """
      # my views
      view "To read" = "is:unread tag:theory"
      view Recent "added:<7d"   # a bare name is one word

      view "Say \\"hi\\"" = "\\"neural net\\" or gan"
      """, file: "config")
    #expect(config.diagnostics == [])
    #expect(config.views.map(\.name) == ["To read", "Recent", "Say \"hi\""])
    #expect(config.views.map(\.query) == ["is:unread tag:theory", "added:<7d", "\"neural net\" or gan"])
    #expect(config.views.map(\.line) == [2, 3, 5])
  }

  @Test("each bad line is reported as file:line:column and the rest still apply")
  func errors() {
    let config = Config.parse(
      """
      view "Good" = "tag:a"
      colour red
      view "Unclosed = x
      view "Bad query" = "(tag:a"
      view "Extra" = "x" y
      view "NoQuery"
      view "Good" = "tag:b"
      view "Also good" = "year:2016"
      """, file: "/home/u/.config/quire/config")
    #expect(config.views.map(\.name) == ["Good", "Also good"])
    #expect(config.views[0].query == "tag:b")  // the later definition replaces the earlier
    let described = config.diagnostics.map(\.description)
    #expect(described.count == 6)
    #expect(described[0] == "/home/u/.config/quire/config:2:1: unknown setting 'colour'; expected: view, subscribe, fetch-timeout, fetch-interval, fetch-max-size, fetch-retries, host-interval, mouse, theme, color, keymap, clipboard")
    #expect(described[1].hasPrefix("/home/u/.config/quire/config:3:"))
    #expect(described[1].contains("expected"))
    // The query's own error column, counted from the start of the line.
    #expect(described[2] == "/home/u/.config/quire/config:4:27: in the query of view \"Bad query\": expected ')' to close the '(' at column 21")
    #expect(described[3].contains("unexpected 'y'"))
    #expect(described[4].contains("expected view \"NAME\" = \"QUERY\""))
    #expect(described[5].contains("already defined on line 1"))
  }

  @Test("a quote inside a bare word is an error, not part of a name or query")
  func strayQuote() {
    let config = Config.parse("view \"G = \"x\"\nview Ok=\"x\"\n", file: "c")
    #expect(config.views.map(\.name) == ["Ok"])
    #expect(config.diagnostics.map(\.description) == ["c:1:13: unexpected \" inside a word; put the whole text in quotes"])
  }

  @Test("a missing config is empty; the default path follows XDG_CONFIG_HOME")
  func missingAndPath() {
    #expect(Config.load(path: "/nonexistent/quire/config") == Config())
    #expect(Config.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/quire/config")
    #expect(Config.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/quire/config")
  }
}

@Suite("Sorting")
struct SortTests {
  static func library() -> Library {
    func listing(_ title: String, _ author: String?, _ year: Int?, _ published: PublishedDate?, line: Int) -> Listing {
      var listing = Listing(title: title, authors: author.map { [$0] } ?? [], year: year, published: published, source: SourceLocation(file: "t", line: line))
      listing.added = published?.date
      return listing
    }
    return Library(name: "t", listings: [
      listing("Beta", "Zoe Ash", 2016, PublishedDate(year: 2017, month: 3, day: 1), line: 1),
      listing("alpha", "Ann Érdi", nil, nil, line: 2),
      listing("Gamma", nil, 2014, PublishedDate(year: 2017, month: 1, day: 9), line: 3),
      listing("Émile", "Bo Erdos", 2016, PublishedDate(year: 2016, month: 12, day: 30), line: 4),
    ])
  }

  @Test("each key orders as documented; missing values go last both ways; ties keep the listed order",
    arguments: [
      ("listed", ["Beta", "alpha", "Gamma", "Émile"]),
      ("listed:desc", ["Émile", "Gamma", "alpha", "Beta"]),
      ("year", ["Gamma", "Beta", "Émile", "alpha"]),
      ("-year", ["Beta", "Émile", "Gamma", "alpha"]),
      ("title", ["alpha", "Beta", "Émile", "Gamma"]),
      ("title:desc", ["Gamma", "Émile", "Beta", "alpha"]),
      // Ash, Érdi (folded: erdi), Erdos; no author last.
      ("author", ["Beta", "alpha", "Émile", "Gamma"]),
      ("published", ["Émile", "Gamma", "Beta", "alpha"]),
      ("added:desc", ["Beta", "Gamma", "Émile", "alpha"]),
    ])
  func keys(sort: String, expected: [String]) throws {
    let library = Self.library()
    let order = try #require(Sorting(parsing: sort))
    #expect(library.indices(sortedBy: order, reading: ReadingState()).map { library[$0].title! } == expected)
  }

  @Test("status puts unread first; descending puts read first")
  func status() {
    let library = Self.library()
    let reading = ReadingState(papers: [library[1].id: PaperState(status: .read)])
    #expect(library.indices(sortedBy: Sorting(.status), reading: reading) == [0, 2, 3, 1])
    #expect(library.indices(sortedBy: Sorting(.status, descending: true), reading: reading) == [1, 0, 2, 3])
  }

  @Test("sort orders are written and read back; the key cycles through every key")
  func parsing() {
    for key in SortKey.allCases {
      for descending in [false, true] {
        let order = Sorting(key, descending: descending)
        #expect(Sorting(parsing: order.description) == order)
      }
    }
    #expect(Sorting(parsing: "colour") == nil)
    #expect(Sorting(parsing: "year:sideways") == nil)
    var order = Sorting.listed
    var seen: [SortKey] = []
    for _ in SortKey.allCases {
      seen.append(order.key)
      order = order.nextKey
    }
    #expect(Set(seen).count == SortKey.allCases.count)
    #expect(order == .listed)
  }

  @Test("the session file keeps the sort; a broken one is reported, not fatal")
  func session() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quire-session-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = SessionStore(path: folder + "/quire/session.json")
    #expect(store.load().0 == Session())
    try store.save(Session(sort: Sorting(.year, descending: true)))
    #expect(store.load().0 == Session(sort: Sorting(.year, descending: true)))
    try "{\"sort\": \"colour\"}".write(toFile: store.path, atomically: true, encoding: .utf8)
    let (session, problem) = store.load()
    #expect(session == Session())
    #expect(problem?.description.contains("expected \"sort\" to be one of") == true)
    #expect(SessionStore.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/quire/session.json")
    #expect(SessionStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/quire/session.json")
  }
}
