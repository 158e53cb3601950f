import Foundation
import QuireTestSupport
import Synchronization
import Testing

@testable import QuireModel

/// Fetching subscriptions from a server on 127.0.0.1 that serves recorded feeds and fails
/// in every way a real one does: nothing here needs the internet.
@Suite("Fetching subscriptions")
struct FetchTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/Feeds")

  static func fixture(_ name: String) -> Data {
    (try? Data(contentsOf: fixtures.appendingPathComponent(name))) ?? Data()
  }

  /// A scratch data folder: the library, the state and the fetch log.
  struct Home {
    let root: String
    var files: FetchFiles {
      FetchFiles(library: root + "/library.jsonl", state: root + "/state.json", log: root + "/fetch.json")
    }

    init() throws {
      root = NSTemporaryDirectory() + "quire-fetch-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
    var library: [Listing] { (try? LibraryStore(path: files.library).load()) ?? [] }
    var log: FetchLog { FetchLog.load(path: files.log, setAside: false).log }
    var state: ReadingState { (try? StateStore(path: files.state).load()) ?? ReadingState() }
  }

  /// Settings fit for tests: short timeouts, no waiting between retries.
  static func settings(retries: Int = 0, timeout: Double = 5, maxSize: Int = 1 << 20) -> FetchSettings {
    var settings = FetchSettings()
    settings.retries = retries
    settings.backoff = 0.05
    settings.timeout = timeout
    settings.maxSize = maxSize
    settings.hostIntervals = [:]
    return settings
  }

  /// Fetches and merges, as `quire fetch` does.
  @discardableResult
  static func fetch(
    _ subscriptions: [Subscription], into home: Home, settings: FetchSettings = settings(), force: Bool = true,
    now: Date = Date(), progress: @escaping @Sendable (FetchProgress) -> Void = { _ in }
  ) throws -> FetchReport {
    let fetcher = FeedFetcher(settings: settings, log: home.log, environment: [:], force: force, now: { now })
    let outcomes = fetcher.fetch(subscriptions, progress: progress)
    return try FetchMerge.apply(outcomes, files: home.files, builtin: [], at: now, device: "test")
  }

  // MARK: - Merging

  @Test("two feeds merge into the library; a paper in both is one paper; the subscription's tags go on new papers")
  func twoFeedsMerge() throws {
    let home = try Home()
    let query = ConditionalFeed(body: Self.fixture("arxiv-query-1.atom"))
    let author = ConditionalFeed(body: Self.fixture("arxiv-author.atom"))
    let server = try TestHTTPServer { request in
      request.path.hasPrefix("/query") ? query.respond(to: request) : author.respond(to: request)
    }
    defer { server.stop() }
    let subscriptions = [
      Subscription(name: "Generalization", url: server.url("/query?search_query=cat:stat.ML"), tags: ["theory"]),
      Subscription(name: "Okafor", url: server.url("/author"), tags: ["okafor"]),
    ]
    let report = try Self.fetch(subscriptions, into: home)
    #expect(report.sources.map(\.kind) == [.merged(new: 3, updated: 0, known: 0), .merged(new: 1, updated: 0, known: 1)])
    #expect(report.new.count == 4)
    #expect(report.failed == 0)
    #expect(home.library.count == 4)
    #expect(Set(home.library.compactMap(\.arxiv)) == ["2411.04101", "2411.05577", "2411.07009", "2411.09321"])
    // Tags of the subscription that brought each paper first.
    let library = Library(name: "l", listings: home.library)
    let state = home.state
    let pacBayes = try #require(library.papers.first { $0.arxiv == "2411.05577" })
    #expect(state[pacBayes.id].tags == ["theory"])
    let kernel = try #require(library.papers.first { $0.arxiv == "2411.09321" })
    #expect(state[kernel.id].tags == ["okafor"])
    // The log knows the validators and the papers of this fetch, by the library's ids.
    #expect(home.log.sources["Generalization"]?.etag == query.etag)
    #expect(home.log.sources["Okafor"]?.lastModified == author.lastModified)
    #expect(Set(home.log.new) == Set(library.papers.map(\.id)))
    let newPapers = SearchIndex(library: library).evaluate(
      try Query.parse("is:new tag:okafor", fetched: home.log.fetched), reading: state, library: library)
    #expect(newPapers.map { library[$0].arxiv } == ["2411.09321"])
  }

  @Test("RSS 2.0 and RSS 1.0 feeds are fetched and merged like Atom; a replaced arXiv paper updates the one the API brought")
  func rssFeeds() throws {
    let home = try Home()
    let arxiv = ConditionalFeed(body: Self.fixture("arxiv-cs.LG.rss"), contentType: "application/rss+xml")
    let journal = ConditionalFeed(body: Self.fixture("journal.rss"), contentType: "application/rss+xml; charset=utf-8")
    let rdf = ConditionalFeed(body: Self.fixture("journal-rdf.rss"), contentType: "application/rdf+xml")
    let server = try TestHTTPServer { request in
      switch request.path {
      case "/rss/cs.LG": return arxiv.respond(to: request)
      case "/journal.rss": return journal.respond(to: request)
      default: return rdf.respond(to: request)
      }
    }
    defer { server.stop() }
    let report = try Self.fetch(
      [
        Subscription(name: "cs.LG", url: server.url("/rss/cs.LG")), Subscription(name: "Journal", url: server.url("/journal.rss")),
        Subscription(name: "RDF", url: server.url("/rdf")),
      ], into: home)
    #expect(report.failed == 0, "\(report.sources.map(\.summary))")
    let expected = [("arxiv-cs.LG.rss", "cs.LG"), ("journal.rss", "Journal"), ("journal-rdf.rss", "RDF")].map { file, name in
      (name, try? Importer.read(Self.fixture(file), file: file).listings.count)
    }
    for ((name, count), source) in zip(expected, report.sources) {
      #expect(source.name == name)
      #expect(source.kind == .merged(new: count ?? -1, updated: 0, known: 0), "\(name): \(source.summary)")
    }
    #expect(home.library.count == expected.compactMap(\.1).reduce(0, +))
    // Asked again, each answers 304.
    let again = try Self.fetch([Subscription(name: "cs.LG", url: server.url("/rss/cs.LG"))], into: home)
    #expect(again.sources.first?.kind == .notModified)
  }

  @Test("a second fetch of unchanged feeds sends conditional requests, gets 304 and changes nothing")
  func conditionalSecondFetch() throws {
    let home = try Home()
    let feed = ConditionalFeed(body: Self.fixture("arxiv-query-1.atom"))
    let server = try TestHTTPServer { feed.respond(to: $0) }
    defer { server.stop() }
    let subscription = Subscription(name: "Generalization", url: server.url("/query"), tags: ["theory"])
    try Self.fetch([subscription], into: home)
    let before = (home.bytes(home.files.library), home.bytes(home.files.state), home.log.new)
    let report = try Self.fetch([subscription], into: home, now: Date().addingTimeInterval(3600))
    #expect(report.sources.map(\.kind) == [.notModified])
    #expect(report.new.isEmpty)
    let second = try #require(server.requests.last)
    #expect(second.header("If-None-Match") == feed.etag)
    #expect(second.header("If-Modified-Since") == feed.lastModified)
    #expect(home.bytes(home.files.library) == before.0)
    #expect(home.bytes(home.files.state) == before.1)
    // What the last fetch that brought papers brought stays marked.
    #expect(home.log.new == before.2)
  }

  @Test("a new arXiv version updates the paper (abstract, version, date), keeps its id, and says so")
  func newVersionUpdates() throws {
    let home = try Home()
    let feed = ConditionalFeed(body: Self.fixture("arxiv-query-1.atom"))
    let server = try TestHTTPServer { feed.respond(to: $0) }
    defer { server.stop() }
    let subscription = Subscription(name: "Generalization", url: server.url("/query"))
    try Self.fetch([subscription], into: home)
    let oldID = try #require(Library(name: "l", listings: home.library).papers.first { $0.arxiv == "2411.04101" }?.id)
    feed.update(body: Self.fixture("arxiv-query-2.atom"))
    let report = try Self.fetch([subscription], into: home)
    #expect(report.sources.first?.kind == .merged(new: 1, updated: 1, known: 2))
    #expect(report.sources.first?.versions == ["arXiv:2411.04101 v1 → v2"])
    #expect(report.sources.first?.summary.contains("1 updated (arXiv:2411.04101 v1 → v2)") == true)
    #expect(report.updated == [oldID])
    let library = Library(name: "l", listings: home.library)
    #expect(library.count == 4)
    let paper = try #require(library[oldID])
    #expect(paper.arxivVersion == 2)
    #expect(paper.abstract?.contains("Version 2 adds experiments") == true)
    #expect(paper.updated == PublishedDate(year: 2025, month: 2, day: 14))
    #expect(home.log.updated == [oldID])
    #expect(home.log.new.count == 1)
  }

  // MARK: - Bad sources

  /// Every way a source can fail, each beside a good source that must still merge.
  static let failures: [(String, TestHTTPServer.Response, String)] = [
    ("server error", .status(500, body: Data("oops".utf8)), "answered 500 Internal Server Error"),
    ("missing", .status(404), "answered 404 Not Found"),
    ("html", .ok(body: Data("<!DOCTYPE html><html><body>Sign in</body></html>".utf8), contentType: "text/html; charset=utf-8"), "sent an HTML page (text/html)"),
    ("wrong type", .ok(body: Data([0x89, 0x50, 0x4E, 0x47]), contentType: "image/png"), "sent image/png, not a feed"),
    ("malformed", .ok(body: Data("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>A</title></entr></feed>".utf8), contentType: "application/atom+xml"), "expected well-formed XML"),
    ("cut short", .ok(body: fixture("arxiv-query-1.atom").prefix(2500), contentType: "application/atom+xml"), "a malformed or truncated feed"),
    ("truncated body", .truncated(body: fixture("arxiv-query-1.atom").prefix(1200), contentType: "application/atom+xml", declaredLength: 5000), "transfer closed with 3800 bytes remaining"),
    ("redirect loop", .redirect(to: "/loop"), "redirected more than 5 times"),
    ("slow", .delayed(seconds: 5, then: .ok(body: fixture("arxiv-author.atom"), contentType: "application/atom+xml")), "no answer within 1 s"),
    ("huge", .chunkedForever(contentType: "application/atom+xml"), "larger than 256 KB"),
    ("unsure 304", .status(304), "answered 304 Not Modified to a request that was not conditional"),
  ]

  @Test("a failing source is reported by name with its reason; the others still merge; nothing of it is taken", arguments: 0..<failures.count)
  func badSource(_ which: Int) throws {
    let (name, response, reason) = Self.failures[which]
    let home = try Home()
    let server = try TestHTTPServer { request in
      if request.path == "/good" { return .ok(body: Self.fixture("arxiv-author.atom"), contentType: "application/atom+xml") }
      if request.path == "/loop" { return .redirect(to: "/loop") }
      return response
    }
    defer { server.stop() }
    let report = try Self.fetch(
      [Subscription(name: name, url: server.url("/bad")), Subscription(name: "good", url: server.url("/good"))], into: home,
      settings: Self.settings(timeout: 1, maxSize: 256 << 10))
    let bad = try #require(report.sources.first)
    #expect(bad.name == name)
    guard case .failed(let text) = bad.kind else {
      Issue.record("\(name): expected a failure, got \(bad.kind)")
      return
    }
    #expect(text.contains(reason), "\(name): \(text)")
    #expect(report.sources.last?.kind == .merged(new: 2, updated: 0, known: 0))
    #expect(report.failed == 1)
    // Only the good source's papers: a feed that breaks off gives none of its own.
    #expect(Set(home.library.compactMap(\.arxiv)) == ["2411.05577", "2411.09321"])
    #expect(home.log.sources[name]?.error == text)
    #expect(home.log.sources["good"]?.error == nil)
  }

  @Test("a 503 is asked again after a backoff, and a later answer is taken")
  func retriesWithBackoff() throws {
    let home = try Home()
    let asked = Mutex(0)
    let server = try TestHTTPServer { _ in
      let count = asked.withLock { count in
        count += 1
        return count
      }
      return count < 3 ? .status(503, headers: [("Retry-After", "0")]) : .ok(body: Self.fixture("arxiv-author.atom"), contentType: "application/atom+xml")
    }
    defer { server.stop() }
    let events = Mutex<[FetchProgress]>([])
    let report = try Self.fetch(
      [Subscription(name: "flaky", url: server.url("/feed"))], into: home, settings: Self.settings(retries: 2),
      progress: { event in events.withLock { $0.append(event) } })
    #expect(report.sources.first?.kind == .merged(new: 2, updated: 0, known: 0))
    #expect(server.requests.count == 3)
    #expect(events.withLock { $0 }.filter { if case .retrying = $0 { return true } else { return false } }.count == 2)
  }

  @Test("retries run out: the source fails, saying how often it was asked")
  func retriesRunOut() throws {
    let home = try Home()
    let server = try TestHTTPServer { _ in .status(502) }
    defer { server.stop() }
    let report = try Self.fetch([Subscription(name: "down", url: server.url("/feed"))], into: home, settings: Self.settings(retries: 2))
    #expect(report.sources.first?.kind == .failed("answered 502 Bad Gateway (asked 3 times)"))
    #expect(server.requests.count == 3)
  }

  @Test("requests to one host are spaced by its host-interval; other hosts do not wait")
  func hostInterval() throws {
    let home = try Home()
    let times = Mutex<[Date]>([])
    let server = try TestHTTPServer { request in
      times.withLock { $0.append(Date()) }
      return .ok(body: Self.fixture(request.path == "/a" ? "arxiv-query-1.atom" : "arxiv-author.atom"), contentType: "application/atom+xml")
    }
    defer { server.stop() }
    var settings = Self.settings()
    settings.hostIntervals = ["127.0.0.1": 0.6]
    try Self.fetch(
      [Subscription(name: "a", url: server.url("/a")), Subscription(name: "b", url: server.url("/b")), Subscription(name: "c", url: server.url("/c"))],
      into: home, settings: settings)
    let sorted = times.withLock { $0 }.sorted()
    #expect(sorted.count == 3)
    for (earlier, later) in zip(sorted, sorted.dropFirst()) {
      #expect(later.timeIntervalSince(earlier) >= 0.55)
    }
  }

  @Test("a source is not asked again within its interval unless forced")
  func minimumInterval() throws {
    let home = try Home()
    let server = try TestHTTPServer { _ in .ok(body: Self.fixture("arxiv-author.atom"), contentType: "application/atom+xml") }
    defer { server.stop() }
    let subscription = Subscription(name: "daily", url: server.url("/feed"), interval: 86400)
    let start = Date()
    try Self.fetch([subscription], into: home, force: false, now: start)
    let report = try Self.fetch([subscription], into: home, force: false, now: start.addingTimeInterval(3600))
    guard case .tooSoon(let until) = report.sources.first?.kind else {
      Issue.record("expected tooSoon, got \(String(describing: report.sources.first?.kind))")
      return
    }
    #expect(abs(until.timeIntervalSince(start.addingTimeInterval(86400))) < 2)
    #expect(server.requests.count == 1)
    try Self.fetch([subscription], into: home, force: false, now: start.addingTimeInterval(86401))
    #expect(server.requests.count == 2)
    try Self.fetch([subscription], into: home, force: true, now: start.addingTimeInterval(86402))
    #expect(server.requests.count == 3)
  }

  @Test("an unreadable library file stops the merge before anything is written")
  func brokenLibraryIsLeftAlone() throws {
    let home = try Home()
    let broken = Data("{\"id\":\"1\",\"title\":\"ok\"}\nnot json\n".utf8)
    _ = FileManager.default.createFile(atPath: home.files.library, contents: broken)
    let server = try TestHTTPServer { _ in .ok(body: Self.fixture("arxiv-author.atom"), contentType: "application/atom+xml") }
    defer { server.stop() }
    #expect(throws: FetchMerge.Failure.self) {
      try Self.fetch([Subscription(name: "a", url: server.url("/feed"), tags: ["x"])], into: home)
    }
    #expect(home.bytes(home.files.library) == broken)
    #expect(home.bytes(home.files.state) == nil)
  }

  @Test("a merge waits while an import holds the library, then merges into what the import wrote")
  func waitsForTheLibraryLock() throws {
    let home = try Home()
    let server = try TestHTTPServer { _ in .ok(body: Self.fixture("arxiv-author.atom"), contentType: "application/atom+xml") }
    defer { server.stop() }
    let outcomes = FeedFetcher(settings: Self.settings(), log: FetchLog(), environment: [:]).fetch([Subscription(name: "a", url: server.url("/feed"))])
    var importing: LibraryStore.WriteLock? = LibraryStore(path: home.files.library).lockForWriting()
    let imported = Listing(title: "A paper an import brought", authors: ["Ada Lovelace"], year: 1843, source: SourceLocation(file: "i", line: 1))
    try LibraryStore(path: home.files.library).save([Paper(listing: imported)])
    let files = home.files
    let merged = Mutex<FetchReport?>(nil)
    let thread = Thread {
      let report = try? FetchMerge.apply(outcomes, files: files, builtin: [], at: Date(), device: "test")
      merged.withLock { $0 = report }
    }
    thread.start()
    Thread.sleep(forTimeInterval: 0.4)
    #expect(merged.withLock { $0 } == nil, "the merge did not wait for the lock")
    importing = nil
    let deadline = Date().addingTimeInterval(10)
    while merged.withLock({ $0 }) == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    #expect(merged.withLock { $0 }?.new.count == 2)
    #expect(Set(home.library.compactMap(\.title)).contains("A paper an import brought"))
    #expect(home.library.count == 3)
    _ = importing
  }

  @Test("a reading-list file and a file: URL are sources too")
  func fileSources() throws {
    let home = try Home()
    let list = home.root + "/list.txt"
    try """
      - Published: 12 June 2017

      **authors:** Ashish Vaswani, Noam Shazeer**journal:** **publication year:** (2017)**links:** arxiv (preprint)

      **abstract:** The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.

      """.write(toFile: list, atomically: true, encoding: .utf8)
    let report = try Self.fetch(
      [Subscription(name: "list", url: list), Subscription(name: "url", url: "file://" + list), Subscription(name: "none", url: home.root + "/missing.txt")],
      into: home)
    #expect(report.sources.map(\.kind) == [.merged(new: 1, updated: 0, known: 0), .merged(new: 0, updated: 0, known: 1), .failed("cannot read \(home.root)/missing.txt: no such file")])
    // A file past fetch-max-size is refused unread.
    let small = try Self.fetch([Subscription(name: "list", url: list)], into: home, settings: Self.settings(maxSize: 64))
    #expect(small.sources.first?.kind == .failed("the response is larger than 64 bytes (fetch-max-size); refused"))
  }

  @Test("the arXiv responses people saved are read whole when served", .enabled(if: FileManager.default.fileExists(atPath: BibTeXTests.realworld)))
  func realworldArxivResponses() throws {
    for (file, entries) in [("atom-01-joe-antognini-zoia.xml", 1), ("atom-03-zhangyee-fastpaper-cli.xml", 3)] {
      let home = try Home()
      let body = try Data(contentsOf: URL(fileURLWithPath: BibTeXTests.realworld + "/" + file))
      let feed = ConditionalFeed(body: body)
      let server = try TestHTTPServer { feed.respond(to: $0) }
      defer { server.stop() }
      let report = try Self.fetch([Subscription(name: file, url: server.url("/api/query"))], into: home)
      #expect(report.sources.first?.kind == .merged(new: entries, updated: 0, known: 0), "\(file)")
      #expect(home.library.count == entries)
    }
  }

  // MARK: - Config

  @Test("subscriptions and fetch settings are read from the config, with their problems at file:line:column")
  func config() {
    let config = Config.parse(
      """
      subscribe "Deep learning theory" "https://export.arxiv.org/api/query?search_query=cat:stat.ML+AND+abs:generalization&sortBy=submittedDate&max_results=100" +theory +To-Read every 6h
      subscribe Nature https://www.nature.com/nature.rss format rss
      subscribe "Mine" ~/papers/list.txt
      fetch-timeout 45s
      fetch-max-size 8MB
      fetch-retries 3
      fetch-interval 1h
      host-interval example.org 500ms
      subscribe "Bad" "gopher://x"
      subscribe "Worse" "https://x" every often
      fetch-retries many
      """, file: "config")
    #expect(config.subscriptions.map(\.name) == ["Deep learning theory", "Nature", "Mine"])
    #expect(config.subscriptions[0].tags == ["theory", "To-Read"])
    #expect(config.subscriptions[0].interval == 21600.0)
    #expect(config.subscriptions[1].format == .rss)
    #expect(config.subscriptions[2].location(environment: ["HOME": "/home/u"]) == .file("/home/u/papers/list.txt"))
    #expect(config.fetch.timeout == 45)
    #expect(config.fetch.maxSize == 8 << 20)
    #expect(config.fetch.retries == 3)
    #expect(config.fetch.interval == 3600)
    #expect(config.fetch.hostInterval("example.org") == 0.5)
    #expect(config.fetch.hostInterval("export.arxiv.org") == 3)
    #expect(config.diagnostics.map(\.description) == [
      "config:9:17: expected an http, https or file URL, or a path; 'gopher:' is not one quire fetches",
      "config:10:37: expected a length of time after every, such as 30m, 6h or 1d; found 'often'",
      "config:11:15: expected a number of retries from 0 to 10 after fetch-retries; found 'many'",
    ])
  }

  @Test("a subscription's config line reads back as the same subscription")
  func configLineRoundTrip() {
    let subscription = Subscription(name: "Say \"hi\" \\ there", url: "https://a.example/feed?x=1&y=\"2\"", tags: ["a", "b-c"], interval: 90 * 60, format: .atom, line: 1)
    #expect(Config.parse(subscription.configLine, file: "c").subscriptions == [subscription])
    #expect(Duration.text(90 * 60) == "90m")
    #expect(Duration.parse("250ms") == 0.25)
    #expect(Duration.parse("-3s") == nil)
    #expect(ByteSize.parse("512KB") == 512 << 10)
  }

  @Test("subscribe appends a line and unsubscribe removes it, leaving the rest of the config as written")
  func configEditing() throws {
    let home = try Home()
    let path = home.root + "/config/quire/config"
    try ConfigEditor.add(Subscription(name: "A", url: "https://a.example/feed"), to: path)
    let original = "# my views\nview \"To read\" = \"is:unread\"   # keep this comment\n"
    try original.write(toFile: path, atomically: true, encoding: .utf8)
    try ConfigEditor.add(Subscription(name: "A", url: "https://a.example/feed", tags: ["x"]), to: path)
    try ConfigEditor.add(Subscription(name: "B", url: "https://b.example/rss"), to: path)
    #expect(throws: ConfigEditor.EditError.self) { try ConfigEditor.add(Subscription(name: "B", url: "https://other"), to: path) }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == original + "subscribe \"A\" \"https://a.example/feed\" +x\nsubscribe \"B\" \"https://b.example/rss\"\n")
    #expect(try ConfigEditor.remove(named: "A", from: path) == 1)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == original + "subscribe \"B\" \"https://b.example/rss\"\n")
    #expect(try ConfigEditor.remove(named: "nope", from: path) == 0)
  }

  @Test("names made from URLs say what is subscribed")
  func suggestedNames() {
    #expect(Subscription.suggestedName(for: "https://export.arxiv.org/api/query?search_query=cat:stat.ML+AND+abs:generalization&max_results=100") == "arXiv cat:stat.ML AND abs:generalization")
    #expect(Subscription.suggestedName(for: "https://rss.arxiv.org/rss/cs.LG") == "arXiv cs.LG")
    #expect(Subscription.suggestedName(for: "https://www.nature.com/nature.rss") == "www.nature.com/nature.rss")
  }

  @Test("README's config examples read without a problem, subscriptions included")
  func readmeConfigExamples() throws {
    let configs = try ReadmeExamplesTests.blocks().map(\.text).filter { $0.hasPrefix("# ~/.config/quire/config") }
    #expect(configs.count >= 2)
    var subscriptions = 0
    for text in configs {
      let config = Config.parse(text, file: "README.md")
      #expect(config.diagnostics.isEmpty, "\(config.diagnostics)")
      subscriptions += config.subscriptions.count
    }
    #expect(subscriptions >= 3)
  }

  @Test("a broken fetch log is set aside and every source is asked afresh")
  func brokenLog() throws {
    let home = try Home()
    try "{ not json".write(toFile: home.files.log, atomically: true, encoding: .utf8)
    let (log, problem) = FetchLog.load(path: home.files.log)
    #expect(log == FetchLog())
    #expect(problem?.contains("fetch.json: not a fetch log quire can read") == true)
    #expect(FileManager.default.fileExists(atPath: home.files.log + ".broken"))
  }
}
