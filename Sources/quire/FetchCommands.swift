import ArgumentParser
import Foundation
import QuireModel
import QuireUI

extension Quire {
  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Fetch subscriptions (all, or those named) and merge their new papers into the library.",
      discussion: """
        Sources are asked at once, each with fetch-timeout, politely: conditional requests (ETag, Last-Modified), host-interval between requests to one host (3 s for arXiv), retries with backoff, and no source asked again within its interval (fetch-interval, or its own `every`). Papers are merged as `quire import` merges them; the papers of the last fetch that brought any are `is:new` (and `is:updated` for new arXiv versions) in queries and marked in the reader. Exits 1 when a source failed; the others are merged all the same.
        """)

    @Argument(help: "Names of subscriptions to fetch (default: all).")
    var names: [String] = []

    @Flag(help: "Ask sources even if they were asked less than their interval ago.")
    var force = false

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let configPath = Config.defaultPath(environment: environment)
      let config = Config.load(path: configPath)
      for problem in config.diagnostics { printError(problem.description) }
      let chosen = try Self.choose(names, from: config.subscriptions, configPath: configPath)
      let files = FetchFiles(environment: environment)
      let device = try LibraryOptions.device(environment: environment)
      let (log, logProblem) = FetchLog.load(path: files.log)
      if let logProblem { printError("quire: \(logProblem)") }
      let board = FetchBoard(names: chosen.map(\.name))
      let fetcher = FeedFetcher(settings: config.fetch, log: log, environment: environment, force: force)
      let outcomes = fetcher.fetch(chosen) { board?.show($0) }
      board?.finish()
      let report: FetchReport
      do {
        report = try FetchMerge.apply(outcomes, files: files, builtin: BuiltinLibrary.listings, at: Date(), device: device)
      } catch {
        throw QuireFailure(message: error.description)
      }
      for source in report.sources {
        print(TerminalText.sanitized("\(source.name): \(source.summary)"))
        for problem in source.problems.prefix(5) { printError("  " + problem.description) }
        if source.problems.count > 5 { printError("  (+\(source.problems.count - 5) more)") }
      }
      if let problem = report.logProblem { printError("quire: \(problem)") }
      print("fetched: \(report.summary)" + (report.new.isEmpty ? "" : "; `quire list is:new` lists them"))
      if report.failed > 0 { throw ExitCode.failure }
    }

    /// The subscriptions named, all when none are; a name that is not one is an error
    /// that lists those there are.
    static func choose(_ names: [String], from subscriptions: [Subscription], configPath: String) throws -> [Subscription] {
      guard !subscriptions.isEmpty else {
        throw QuireFailure(message: "no subscriptions in \(configPath); add one with quire subscribe URL (README: Subscriptions)")
      }
      guard !names.isEmpty else { return subscriptions }
      return try names.map { name in
        guard let found = subscriptions.first(where: { $0.name == name }) ?? subscriptions.first(where: { $0.name.lowercased() == name.lowercased() }) else {
          throw QuireFailure(message: "no subscription named \"\(name)\"; there are: " + subscriptions.map { "\"\($0.name)\"" }.joined(separator: ", "))
        }
        return found
      }
    }
  }

  struct Subscribe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add a subscription to the config: an arXiv API query, an Atom or RSS feed, or a reading list (URL or file).",
      discussion: """
        Examples:
          quire subscribe 'https://export.arxiv.org/api/query?search_query=cat:cs.LG&sortBy=submittedDate&sortOrder=descending&max_results=100' --name 'Machine learning'
          quire subscribe 'https://export.arxiv.org/api/query?search_query=au:Arora_S&sortBy=submittedDate&max_results=50' --tag arora
          quire subscribe https://rss.arxiv.org/rss/stat.ML --every 1d
        Then `quire fetch`, or F in the reader.
        """)

    @Argument(help: "The source: an http(s) URL, a file: URL or a path.")
    var url: String

    @Option(help: "Its name (default: made from the URL).")
    var name: String?

    @Option(help: "A tag for every new paper it brings (repeat for more).")
    var tag: [String] = []

    @Option(help: "The least time between two fetches of it, such as 6h or 1d (default: fetch-interval).")
    var every: String?

    @Option(help: "Its format when the content cannot tell: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ImportFormat?

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let path = Config.defaultPath(environment: environment)
      var subscription = Subscription(name: name ?? Subscription.suggestedName(for: url), url: url, format: format)
      subscription.tags = tag.map(ReadingState.normalizeTag).filter { !$0.isEmpty }
      if let every {
        guard let seconds = Duration.parse(every) else { throw ValidationError("--every: expected a length of time such as 30m, 6h or 1d; found '\(every)'") }
        subscription.interval = seconds
      }
      if case .unsupported(let scheme) = subscription.location(environment: environment) {
        throw ValidationError("expected an http, https or file URL, or a path; '\(scheme):' is not one quire fetches")
      }
      // The line written must read back as this subscription: nothing a config cannot hold.
      let check = Config.parse(subscription.configLine, file: path)
      guard check.diagnostics.isEmpty, check.subscriptions.first == subscription.withLine(1) else {
        throw QuireFailure(message: "cannot write this subscription to the config: " + (check.diagnostics.first?.message ?? "it would not read back the same"))
      }
      do { try ConfigEditor.add(subscription, to: path) } catch { throw QuireFailure(message: error.description) }
      print(TerminalText.sanitized("subscribed: \"\(subscription.name)\" (\(path)); `quire fetch \"\(subscription.name)\"` fetches it"))
    }
  }

  struct Unsubscribe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Remove a subscription from the config. Papers it brought stay in the library.")

    @Argument(help: "The subscription's name.")
    var name: String

    func run() throws {
      let path = Config.defaultPath(environment: ProcessInfo.processInfo.environment)
      let config = Config.load(path: path)
      guard let found = config.subscriptions.first(where: { $0.name == name }) ?? config.subscriptions.first(where: { $0.name.lowercased() == name.lowercased() }) else {
        let names = config.subscriptions.map { "\"\($0.name)\"" }.joined(separator: ", ")
        throw QuireFailure(message: "no subscription named \"\(name)\" in \(path)" + (names.isEmpty ? "" : "; there are: \(names)"))
      }
      do { try ConfigEditor.remove(named: found.name, from: path) } catch { throw QuireFailure(message: error.description) }
      print(TerminalText.sanitized("unsubscribed: \"\(found.name)\"; its papers stay in the library"))
    }
  }

  struct Subscriptions: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the subscriptions, with when each was last fetched and how it went.")

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let config = Config.load(path: Config.defaultPath(environment: environment))
      for problem in config.diagnostics { printError(problem.description) }
      let (log, _) = FetchLog.load(path: FetchLog.defaultPath(environment: environment))
      if config.subscriptions.isEmpty { print("no subscriptions; add one with quire subscribe URL") }
      for subscription in config.subscriptions {
        var line = "\(subscription.name)  \(subscription.url)"
        if !subscription.tags.isEmpty { line += "  " + subscription.tags.map { "+" + $0 }.joined(separator: " ") }
        if let interval = subscription.interval { line += "  every \(Duration.text(interval))" }
        if let entry = log.sources[subscription.name], entry.url == subscription.url, let attempted = entry.attempted {
          line += "  last asked \(Timestamp.iso(attempted))" + (entry.error.map { ": failed: \($0)" } ?? ": ok")
        } else {
          line += "  never fetched"
        }
        print(TerminalText.sanitized(line))
      }
    }
  }
}

extension Subscription {
  func withLine(_ line: Int) -> Subscription {
    var copy = self
    copy.line = line
    return copy
  }
}

/// One line per source on standard error, redrawn in place as the fetch goes on: only on
/// a terminal, so scripts and logs see the summary alone.
final class FetchBoard: @unchecked Sendable {
  // Events arrive from the fetching threads: `lines` and the drawing are under `lock`.
  private let lock = NSLock()
  private let names: [String]
  private var lines: [String]
  private var drawn = false

  init?(names: [String]) {
    guard isatty(STDERR_FILENO) == 1, !names.isEmpty else { return nil }
    self.names = names
    lines = Array(repeating: "waiting", count: names.count)
  }

  func show(_ event: FetchProgress) {
    lock.withLock {
      let (name, text): (String, String)
      switch event {
      case .asking(let source): (name, text) = (source, "asking…")
      case .waiting(let source, let host, let seconds): (name, text) = (source, "waiting \(Duration.spoken(seconds)) for \(host) (host-interval)")
      case .retrying(let source, let reason, let seconds): (name, text) = (source, "\(reason); asking again in \(Duration.spoken(seconds))")
      case .finished(let source, let summary, let failed): (name, text) = (source, (failed ? "failed: " : "") + summary)
      }
      guard let position = names.firstIndex(of: name) else { return }
      lines[position] = text
      draw()
    }
  }

  func finish() {
    lock.withLock {
      guard drawn else { return }
      // The board gives way to the summary.
      FileHandle.standardError.write(Data(("\u{1B}[\(names.count)A" + "\u{1B}[J").utf8))
      drawn = false
    }
  }

  private func draw() {
    let width = ProgressLine.terminalWidth() - 1
    var text = drawn ? "\u{1B}[\(names.count)A" : ""
    for (name, line) in zip(names, lines) {
      text += "\r" + TerminalText.truncate(TerminalText.sanitized("\(name): \(line)"), to: width) + "\u{1B}[K\n"
    }
    FileHandle.standardError.write(Data(text.utf8))
    drawn = true
  }
}
