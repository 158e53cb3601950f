import Foundation
import QuireTestSupport
import Synchronization
import Testing

/// Subscriptions end to end: the real binary fetching from a server on 127.0.0.1 that the
/// test runs, from the command line and from the reader in tmux.
@Suite("Subscriptions end to end")
struct SubscriptionTests {
  static let feeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/Feeds")

  static func feed(_ name: String) -> Data {
    (try? Data(contentsOf: feeds.appendingPathComponent(name))) ?? Data()
  }

  @Test("subscribe, fetch, list what is new, fetch again conditionally, unsubscribe")
  func commandLine() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let query = ConditionalFeed(body: Self.feed("arxiv-query-1.atom"))
    let server = try TestHTTPServer { request in
      switch request.path {
      case "/api/query": return query.respond(to: request)
      case "/author": return .ok(body: Self.feed("arxiv-author.atom"), contentType: "application/atom+xml")
      default: return .ok(body: Data("<html><body>Sign in</body></html>".utf8), contentType: "text/html")
      }
    }
    defer { server.stop() }

    let subscribe = try await scratch.runQuire(["subscribe", server.url("/api/query"), "--name", "Generalization", "--tag", "theory"])
    #expect(subscribe.status == 0, "\(subscribe)")
    #expect(try await scratch.runQuire(["subscribe", server.url("/author"), "--name", "Okafor"]).status == 0)
    #expect(try await scratch.runQuire(["subscribe", server.url("/login"), "--name", "Journal"]).status == 0)
    let duplicate = try await scratch.runQuire(["subscribe", server.url("/other"), "--name", "Okafor"])
    #expect(duplicate.status != 0)
    #expect(duplicate.stderr.contains("a subscription named \"Okafor\" already exists"), "\(duplicate)")
    #expect(scratch.read(scratch.configPath)?.contains("subscribe \"Generalization\" \"\(server.url("/api/query"))\" +theory") == true)

    let fetch = try await scratch.runQuire(["fetch"])
    // A source failed, so the exit status says so; the others merged all the same.
    #expect(fetch.status == 1, "\(fetch)")
    #expect(fetch.stdoutLines.contains("Generalization: 3 new, 0 already in the library"), "\(fetch)")
    #expect(fetch.stdoutLines.contains("Okafor: 1 new, 1 already in the library"), "\(fetch)")
    #expect(fetch.stdoutLines.contains { $0.hasPrefix("Journal: failed: sent an HTML page (text/html)") }, "\(fetch)")
    #expect(fetch.stdoutLines.last == "fetched: 4 new papers, 1 of 3 sources failed; `quire list is:new` lists them", "\(fetch)")
    // Not a terminal: no progress board, only the summary.
    #expect(!fetch.stderr.contains("asking"), "\(fetch)")

    #expect(try await scratch.runQuire(["list", "--count", "is:new"]).stdout == "4\n")
    #expect(try await scratch.runQuire(["list", "--count", "tag:theory"]).stdout == "3\n")
    #expect(try await scratch.runQuire(["list", "--count"]).stdout == "17\n")

    // Within the interval nothing is asked; forced, the unchanged feed is asked conditionally.
    let requestsBefore = server.requests.count
    let soon = try await scratch.runQuire(["fetch", "Generalization"])
    #expect(soon.status == 0, "\(soon)")
    #expect(soon.stdout.contains("Generalization: not asked: asked less than its interval ago"), "\(soon)")
    #expect(server.requests.count == requestsBefore)
    let library = scratch.read(scratch.dataHome + "/quire/library.jsonl")
    let forced = try await scratch.runQuire(["fetch", "--force", "Generalization"])
    #expect(forced.stdoutLines.first == "Generalization: not modified since the last fetch", "\(forced)")
    #expect(server.requests.last?.header("If-None-Match") == query.etag)
    #expect(scratch.read(scratch.dataHome + "/quire/library.jsonl") == library)
    // The last fetch that brought papers still names them.
    #expect(try await scratch.runQuire(["list", "--count", "is:new"]).stdout == "4\n")

    let listed = try await scratch.runQuire(["subscriptions"])
    #expect(listed.stdoutLines.count == 3, "\(listed)")
    #expect(listed.stdoutLines.contains { $0.hasPrefix("Journal  ") && $0.contains("failed: sent an HTML page") }, "\(listed)")

    let unknown = try await scratch.runQuire(["fetch", "Nature"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("no subscription named \"Nature\"; there are: \"Generalization\", \"Okafor\", \"Journal\""), "\(unknown)")
    let unsubscribe = try await scratch.runQuire(["unsubscribe", "Journal"])
    #expect(unsubscribe.status == 0, "\(unsubscribe)")
    #expect(scratch.read(scratch.configPath)?.contains("Journal") == false)
    #expect(try await scratch.runQuire(["check"]).status == 0)
  }

  @Test("a hostile feed reaches the terminal only as inert text")
  func hostileFeed() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // XML cannot carry ESC or BEL at all (such a feed is refused as malformed), but it can
    // carry C1 controls and bidi overrides; a reading list served over HTTP carries anything.
    let atom = """
      <?xml version="1.0"?>
      <feed xmlns="http://www.w3.org/2005/Atom">
        <entry>
          <id>http://arxiv.org/abs/2411.00001v1</id>
          <title>Evil &#x9B;31m title with &#x202E;override</title>
          <author><name>Mallory &#x9D;0;pwned&#x9C;</name></author>
          <summary>Text &#x90;1$qm&#x9C; and &#x9B;2J.</summary>
        </entry>
      </feed>
      """
    let list = """
      - Published: 01 November 2024

      **authors:** Mallory \u{1B}]0;pwned\u{07}**journal:** \u{1B}[2J**publication year:** (2024)**links:** arxiv

      **abstract:** Copy this: \u{1B}]52;c;cm0gLXJmIH4=\u{07} and \u{1B}P1$qm\u{1B}\\ done.

      """
    let server = try TestHTTPServer { request in
      request.path == "/atom"
        ? .ok(body: Data(atom.utf8), contentType: "application/atom+xml")
        : .ok(body: Data(list.utf8), contentType: "text/plain; charset=utf-8")
    }
    defer { server.stop() }
    try scratch.write(
      scratch.configPath,
      "subscribe \"Evil \u{1B}[31m feed\" \"\(server.url("/atom"))\"\nsubscribe \"List\" \"\(server.url("/list"))\"\n")
    let fetch = try await scratch.runQuire(["fetch"])
    #expect(fetch.status == 0, "\(fetch)")
    #expect(fetch.stdout.contains("2 new papers"), "\(fetch)")
    for output in [fetch.stdout, fetch.stderr] {
      #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || (0x80...0x9F).contains($0.value) || $0.value == 0x202E }, "\(fetch)")
    }
    let (tmux, run) = try await startQuire(scratch)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/15")
    try await tmux.press("G")
    let last = try await tmux.waitForScreen(containing: "15/15")
    try await tmux.press("k")
    let evil = try await tmux.waitForScreen(containing: "14/15")
    #expect(evil.contains("Evil"), "\(evil)")
    #expect(last.contains("Copy this"), "\(last)")
    // The screen tmux holds has no trace of a sequence acting: no title set, no clearing.
    #expect(!(try await tmux.display("#{pane_title}")).contains("pwned"))
    #expect(last.contains("┌ Papers") && evil.contains("┌ Papers"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test("R fetches in the background: progress on the status line, new papers marked, the selection kept, a view of them")
  func readerFetches() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // One source answers only when the test lets it, so that the fetch is surely still
    // running while the test reads on.
    let release = DispatchSemaphore(value: 0)
    let server = try TestHTTPServer { request in
      switch request.path {
      case "/query":
        _ = release.wait(timeout: .now() + 30)
        return .ok(body: Self.feed("arxiv-query-1.atom"), contentType: "application/atom+xml")
      case "/author": return .ok(body: Self.feed("arxiv-author.atom"), contentType: "application/atom+xml")
      default: return .status(503)
      }
    }
    defer { server.stop() }
    try scratch.write(
      scratch.configPath,
      """
      subscribe "Generalization" "\(server.url("/query"))" +theory
      subscribe "Okafor" "\(server.url("/author"))"
      subscribe "Down" "\(server.url("/down"))"
      fetch-retries 0

      """)
    let (tmux, run) = try await startQuire(scratch, cols: 150, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("j", "j")
    try await tmux.waitForScreen(containing: "3/13")
    try await tmux.press("R")
    let during = try await tmux.waitForScreen(containing: "fetching")
    #expect(statusLine(during).contains("fetching"), "\(during)")
    // Reading goes on while it fetches.
    try await tmux.press("j")
    let reading = try await tmux.waitForScreen(containing: "4/13")
    #expect(statusLine(reading).contains("fetching "), "\(reading)")
    release.signal()
    let after = try await tmux.waitForScreen(containing: "fetched:", timeout: .seconds(20))
    let status = statusLine(after)
    #expect(status.contains("4/17"), "the selection moved:\n\(after)")
    #expect(status.contains("fetched: 4 new papers, 1 of 3 sources failed"), "\(after)")
    #expect(status.contains("Down: answered 503 Service Unavailable"), "\(after)")
    let rows = after.split(separator: "\n").map(String.init)
    #expect(rows.filter { $0.hasPrefix("│ ●N ") }.count == 4, "\(after)")
    #expect(rows.contains { $0.contains("Sharpness") && $0.contains("#theory") }, "\(after)")
    // The view of what is new.
    // The search index for the library with the new papers is built in the background;
    // until it is there, v says so and asks to try again.
    var views = ""
    for _ in 0..<40 where !views.contains("┌ Views") {
      try await tmux.press("v")
      try await Task.sleep(for: .milliseconds(250))
      views = try await tmux.screen()
    }
    #expect(views.contains("4 unread · 4 papers"), "\(views)")
    try await tmux.press("j", "Enter")
    let newView = try await tmux.waitForScreen(containing: "view: New")
    #expect(statusLine(newView).contains("1/4"), "\(newView)")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    // The fetch's files: the library and the log; the tags in the state.
    #expect(scratch.read(scratch.dataHome + "/quire/library.jsonl")?.split(separator: "\n").count == 4)
    #expect(scratch.read(scratch.dataHome + "/quire/fetch.json")?.contains("\"Down\"") == true)
    #expect(try await scratch.runQuire(["list", "--count", "tag:theory is:new"]).stdout == "3\n")
  }
}
