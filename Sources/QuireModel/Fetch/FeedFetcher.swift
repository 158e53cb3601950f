import Foundation

/// What became of asking one source.
public struct SourceOutcome: Sendable {
  public enum Result: Sendable {
    /// The source's papers, read as `quire import` reads a file.
    case fetched(Importer.FileResult)
    /// The server said nothing changed since the last fetch (304).
    case notModified
    /// Asked too recently; it may be asked again at this moment.
    case tooSoon(until: Date)
    case failed(String)
  }

  public var subscription: Subscription
  public var result: Result
  /// The source's entry in the fetch log, after this attempt.
  public var log: FetchLog.Source

  public init(subscription: Subscription, result: Result, log: FetchLog.Source) {
    self.subscription = subscription
    self.result = result
    self.log = log
  }
}

/// What a fetch in progress tells whoever shows it: one line per source on a terminal,
/// the status line in the reader.
public enum FetchProgress: Sendable, Equatable {
  case asking(String)
  case waiting(String, host: String, seconds: Double)
  case retrying(String, reason: String, seconds: Double)
  case finished(String, summary: String, failed: Bool)
}

/// Fetches subscriptions, several at once, politely: conditional requests with the
/// validators of the last answer, the configured wait between requests to one host,
/// retries with backoff for failures that may pass, and no source asked more often than
/// its interval allows.
public struct FeedFetcher: Sendable {
  public var settings: FetchSettings
  public var log: FetchLog
  public var environment: [String: String]
  /// Ask even sources asked less than their interval ago.
  public var force = false
  let now: @Sendable () -> Date
  let sleep: @Sendable (Double) -> Void

  public init(
    settings: FetchSettings, log: FetchLog, environment: [String: String], force: Bool = false,
    now: @escaping @Sendable () -> Date = { Date() }, sleep: @escaping @Sendable (Double) -> Void = { if $0 > 0 { Thread.sleep(forTimeInterval: $0) } }
  ) {
    self.settings = settings
    self.log = log
    self.environment = environment
    self.force = force
    self.now = now
    self.sleep = sleep
  }

  /// Every subscription's outcome, in the order given. Returns when all are done.
  public func fetch(_ subscriptions: [Subscription], progress: @escaping @Sendable (FetchProgress) -> Void = { _ in }) -> [SourceOutcome] {
    let outcomes = Outcomes(count: subscriptions.count)
    let gate = HostGate(now: now)
    let slots = DispatchSemaphore(value: max(1, settings.concurrency))
    let group = DispatchGroup()
    for (position, subscription) in subscriptions.enumerated() {
      slots.wait()
      group.enter()
      let fetcher = self
      let thread = Thread {
        let outcome = fetcher.fetch(subscription, gate: gate, progress: progress)
        switch outcome.result {
        case .fetched(let result): progress(.finished(subscription.name, summary: "\(result.listings.count) entries", failed: false))
        case .notModified: progress(.finished(subscription.name, summary: "not modified", failed: false))
        case .failed(let reason): progress(.finished(subscription.name, summary: reason, failed: true))
        case .tooSoon: break  // told as it was decided
        }
        outcomes.set(position, outcome)
        slots.signal()
        group.leave()
      }
      thread.stackSize = 4 << 20
      thread.start()
    }
    group.wait()
    return outcomes.all
  }

  func fetch(_ subscription: Subscription, gate: HostGate, progress: @escaping @Sendable (FetchProgress) -> Void) -> SourceOutcome {
    let name = subscription.name
    var entry = log.sources[name].flatMap { $0.url == subscription.url ? $0 : nil } ?? FetchLog.Source(url: subscription.url)
    let interval = subscription.interval ?? settings.interval
    if !force, let last = entry.attempted, now().timeIntervalSince(last) < interval {
      let next = last.addingTimeInterval(interval)
      progress(.finished(name, summary: "asked \(Duration.spoken(now().timeIntervalSince(last))) ago; not before \(Duration.spoken(next.timeIntervalSince(now()))) from now (--force asks anyway)", failed: false))
      return SourceOutcome(subscription: subscription, result: .tooSoon(until: next), log: entry)
    }
    progress(.asking(name))
    entry.attempted = now()
    let result: SourceOutcome.Result
    switch subscription.location(environment: environment) {
    case .unsupported(let scheme):
      result = .failed("'\(scheme):' URLs are not fetched; expected http, https or file")
    case .file(let path):
      result = readFile(path, subscription: subscription)
    case .web(let url):
      result = fetchWeb(url, subscription: subscription, entry: &entry, gate: gate, progress: progress)
    }
    switch result {
    case .failed(let reason): entry.error = reason
    default:
      entry.error = nil
      entry.succeeded = entry.attempted
    }
    return SourceOutcome(subscription: subscription, result: result, log: entry)
  }

  func readFile(_ path: String, subscription: Subscription) -> SourceOutcome.Result {
    // The size first: a file past the limit is refused without being read into memory.
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > settings.maxSize {
      return .failed(HTTPClient.Failure.tooLarge(limit: settings.maxSize).description)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failed("cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")")
    }
    guard data.count <= settings.maxSize else { return .failed(HTTPClient.Failure.tooLarge(limit: settings.maxSize).description) }
    return Self.read(data, label: path, format: subscription.format)
  }

  func fetchWeb(
    _ url: String, subscription: Subscription, entry: inout FetchLog.Source, gate: HostGate,
    progress: @escaping @Sendable (FetchProgress) -> Void
  ) -> SourceOutcome.Result {
    let name = subscription.name
    let host = URLComponents(string: url)?.host?.lowercased() ?? ""
    var headers: [String: String] = ["Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"]
    if let etag = entry.etag { headers["If-None-Match"] = etag }
    if let modified = entry.lastModified { headers["If-Modified-Since"] = modified }
    var attempt = 0
    while true {
      let wait = gate.reserve(host: host, interval: settings.hostInterval(host)).timeIntervalSince(now())
      if wait > 0.05 { progress(.waiting(name, host: host, seconds: wait)) }
      sleep(wait)
      let answer = HTTPClient.get(url, headers: headers, timeout: settings.timeout, maxSize: settings.maxSize)
      let retry: (reason: String, after: Double?)
      switch answer {
      case .failure(let failure):
        guard failure.isTransient else { return .failed(failure.description) }
        retry = (failure.description, nil)
      case .success(let response):
        switch response.status {
        case 200..<300:
          if let refusal = Self.notAFeed(response) { return .failed(refusal) }
          let result = Self.read(response.body, label: url, format: subscription.format)
          if case .fetched = result {
            entry.etag = response.header("ETag")
            entry.lastModified = response.header("Last-Modified")
          }
          return result
        case 304:
          guard entry.etag != nil || entry.lastModified != nil else {
            return .failed("answered 304 Not Modified to a request that was not conditional")
          }
          return .notModified
        case 429, 500..<600:
          retry = ("answered \(Self.statusText(response.status))", response.header("Retry-After").flatMap(Double.init))
        default:
          return .failed("answered \(Self.statusText(response.status))")
        }
      }
      attempt += 1
      guard attempt <= settings.retries else {
        return .failed(retry.reason + (settings.retries > 0 ? " (asked \(attempt) times)" : ""))
      }
      // A server's own Retry-After is kept when it is reasonable; a longer one ends the fetch.
      let delay = retry.after ?? settings.backoff * pow(2, Double(attempt - 1))
      if delay > max(60, settings.timeout) {
        return .failed(retry.reason + "; it asks to wait \(Duration.spoken(delay)), so this fetch gives up")
      }
      progress(.retrying(name, reason: retry.reason, seconds: delay))
      sleep(delay)
    }
  }

  /// Why a response is not a feed, judged from its type and first bytes; nil when it may be.
  static func notAFeed(_ response: HTTPClient.Response) -> String? {
    let type = (response.header("Content-Type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    if type.hasPrefix("image/") || type.hasPrefix("audio/") || type.hasPrefix("video/") || ["application/pdf", "application/zip", "application/gzip"].contains(type) {
      return "sent \(type), not a feed"
    }
    let head = String(decoding: response.body.prefix(512), as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }.lowercased()
    if type == "text/html" || type == "application/xhtml+xml" || head.hasPrefix("<!doctype html") || head.hasPrefix("<html") {
      return "sent an HTML page" + (type.isEmpty ? "" : " (\(type))") + ", not a feed: is the URL the feed's own?"
    }
    if response.body.isEmpty { return "sent an empty response, not a feed" }
    return nil
  }

  /// The papers in a source's bytes. A feed whose XML breaks off is refused whole: its
  /// papers before the break are not taken, so that a truncated answer adds nothing.
  static func read(_ data: Data, label: String, format: ImportFormat?) -> SourceOutcome.Result {
    let result: Importer.FileResult
    do {
      result = try Importer.read(data, file: label, format: format)
    } catch {
      return .failed(error.description)
    }
    if let broken = result.diagnostics.first(where: { $0.skipped && ($0.message.contains("the rest of the file is not read") || $0.message.contains("before the end of the file")) }) {
      return .failed("a malformed or truncated feed: " + broken.description)
    }
    if result.listings.isEmpty, let problem = result.diagnostics.first {
      return .failed(problem.description)
    }
    return .fetched(result)
  }

  static func statusText(_ status: Int) -> String {
    let reason = HTTPURLResponseReason.phrase(status)
    return reason.isEmpty ? "HTTP \(status)" : "\(status) \(reason)"
  }
}

/// The next moment a request may go to each host, handed out one at a time.
final class HostGate: @unchecked Sendable {
  // `next` is only touched under `lock`.
  private let lock = NSLock()
  private var next: [String: Date] = [:]
  private let now: @Sendable () -> Date

  init(now: @escaping @Sendable () -> Date) { self.now = now }

  /// When a request to `host` may go, reserving that moment: the next caller gets one
  /// `interval` later.
  func reserve(host: String, interval: Double) -> Date {
    lock.withLock {
      let slot = max(now(), next[host] ?? .distantPast)
      next[host] = slot.addingTimeInterval(interval)
      return slot
    }
  }
}

/// Outcomes filled in by the fetching threads, each in its own place.
final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [SourceOutcome?]

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func set(_ position: Int, _ outcome: SourceOutcome) { lock.withLock { values[position] = outcome } }

  var all: [SourceOutcome] { lock.withLock { values.map { $0! } } }
}

enum HTTPURLResponseReason {
  static func phrase(_ status: Int) -> String {
    switch status {
    case 304: return "Not Modified"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 410: return "Gone"
    case 429: return "Too Many Requests"
    case 500: return "Internal Server Error"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    default: return ""
    }
  }
}
