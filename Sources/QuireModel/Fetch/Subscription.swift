import Foundation

/// A source of papers quire fetches by itself: an arXiv API query, an Atom or RSS feed,
/// or a reading list, at a URL or in a file.
///
///     subscribe "Deep learning theory" "https://export.arxiv.org/api/query?search_query=…" +theory every 6h
public struct Subscription: Equatable, Sendable {
  public var name: String
  public var url: String
  /// Tags given to each paper the subscription brings that the library did not have.
  public var tags: [String]
  /// The least time between two fetches of this source; nil: the config's `fetch-interval`.
  public var interval: Double?
  /// The format, when the content cannot tell (as `quire import --format`).
  public var format: ImportFormat?
  /// Where it was defined, for messages and for `quire unsubscribe`.
  public var line: Int

  public init(name: String, url: String, tags: [String] = [], interval: Double? = nil, format: ImportFormat? = nil, line: Int = 0) {
    self.name = name
    self.url = url
    self.tags = tags
    self.interval = interval
    self.format = format
    self.line = line
  }

  /// The config line that defines this subscription.
  public var configLine: String {
    var words = ["subscribe", Self.quoted(name), Self.quoted(url)]
    words += tags.map { "+" + $0 }
    if let interval { words += ["every", Duration.text(interval)] }
    if let format { words += ["format", format.rawValue] }
    return words.joined(separator: " ")
  }

  static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// A name for a subscription made without one: what the URL asks for, briefly.
  ///
  ///     https://export.arxiv.org/api/query?search_query=cat:cs.LG&… → arXiv cat:cs.LG
  ///     https://rss.arxiv.org/rss/cs.LG                           → arXiv cs.LG
  ///     https://www.nature.com/nature.rss                          → www.nature.com/nature.rss
  public static func suggestedName(for url: String) -> String {
    guard let components = URLComponents(string: url), let host = components.host else {
      return (url as NSString).lastPathComponent.isEmpty ? url : (url as NSString).lastPathComponent
    }
    if host.hasSuffix("arxiv.org") {
      if let query = components.queryItems?.first(where: { $0.name == "search_query" })?.value, !query.isEmpty {
        return "arXiv " + query.replacingOccurrences(of: "+", with: " ")
      }
      if let ids = components.queryItems?.first(where: { $0.name == "id_list" })?.value, !ids.isEmpty {
        return "arXiv " + ids
      }
      let last = (components.path as NSString).lastPathComponent
      if !last.isEmpty, last != "/" { return "arXiv " + last }
    }
    return host + (components.path == "/" ? "" : components.path)
  }

  /// Where to read: a URL (http, https or file) or a path, with `~` for the home folder.
  public func location(environment: [String: String]) -> Location {
    if let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() {
      switch scheme {
      case "http", "https": return .web(url)
      case "file": return .file(components.path)
      default: return .unsupported(scheme)
      }
    }
    if url.hasPrefix("~/") {
      return .file((environment["HOME"] ?? NSHomeDirectory()) + url.dropFirst())
    }
    return .file(url)
  }

  public enum Location: Equatable, Sendable {
    case web(String)
    case file(String)
    case unsupported(String)
  }
}

/// How politely and how patiently quire fetches, from the config.
public struct FetchSettings: Equatable, Sendable {
  /// The longest one source may take, retries and waits included, in seconds.
  public var timeout: Double = 30
  /// A response larger than this is refused.
  public var maxSize: Int = 50 << 20
  /// How many times a source that failed for a reason that may pass (no connection, a
  /// timeout, 429, 5xx) is asked again.
  public var retries: Int = 2
  /// The first wait before asking again; each later one doubles.
  public var backoff: Double = 1
  /// The least time between two fetches of a source.
  public var interval: Double = 15 * 60
  /// The least time between two requests to the same host. The arXiv API asks for three
  /// seconds (https://info.arxiv.org/help/api/tou.html).
  public var hostIntervals: [String: Double] = ["export.arxiv.org": 3, "arxiv.org": 3, "rss.arxiv.org": 3]
  /// How many sources are fetched at once.
  public var concurrency: Int = 6

  public init() {}

  public func hostInterval(_ host: String) -> Double {
    hostIntervals[host.lowercased()] ?? 0
  }
}

/// `30s`, `15m`, `6h`, `1d`, `250ms`: lengths of time in the config.
public enum Duration {
  public static func parse(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800)]
    for (unit, scale) in units where text.hasSuffix(unit) {
      let number = text.dropLast(unit.count)
      // "ms" ends in "s": the longer unit is tried first, and a number must remain.
      guard let value = Double(number), value >= 0, value.isFinite, !number.hasPrefix("+") else { continue }
      return value * scale
    }
    return nil
  }

  /// The shortest text that parses back to `seconds`.
  public static func text(_ seconds: Double) -> String {
    for (unit, scale) in [("w", 604800.0), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= scale {
      let value = seconds / scale
      if value == value.rounded() { return "\(Int(value))\(unit)" }
    }
    if seconds == seconds.rounded() { return "\(Int(seconds))s" }
    return "\(Int((seconds * 1000).rounded()))ms"
  }

  /// "3 min", "2 h 5 min", "40 s": for messages.
  public static func spoken(_ seconds: Double) -> String {
    let total = Int(seconds.rounded(.up))
    if total < 60 { return "\(total) s" }
    if total < 3600 { return "\(total / 60) min" }
    if total < 86400 { return "\(total / 3600) h" + (total % 3600 >= 60 ? " \(total % 3600 / 60) min" : "") }
    return "\(total / 86400) d" + (total % 86400 >= 3600 ? " \(total % 86400 / 3600) h" : "")
  }
}

/// `50MB`, `512KB`, `2GB`, `1000000`: sizes in the config, in bytes (1 KB = 1024 bytes).
public enum ByteSize {
  public static func parse(_ text: String) -> Int? {
    let upper = text.uppercased()
    for (unit, scale) in [("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
    where upper.hasSuffix(unit) {
      guard let value = Double(upper.dropLast(unit.count)), value > 0, value < 1e12 else { return nil }
      return Int(value * Double(scale))
    }
    return Int(text).flatMap { $0 > 0 ? $0 : nil }
  }
}

/// Adds and removes subscriptions in the user's config file, leaving every other line as
/// it was written. The file is replaced whole or not at all.
public enum ConfigEditor {
  public struct EditError: Error, CustomStringConvertible {
    public var description: String
  }

  public static func add(_ subscription: Subscription, to path: String) throws(EditError) {
    let existing = try text(of: path)
    let config = Config.parse(existing, file: path)
    if let other = config.subscriptions.first(where: { $0.name == subscription.name }) {
      throw EditError(description: "\(path):\(other.line): a subscription named \"\(subscription.name)\" already exists (quire unsubscribe \"\(subscription.name)\" first, or choose another --name)")
    }
    var updated = existing
    if !updated.isEmpty, !updated.hasSuffix("\n") { updated += "\n" }
    updated += subscription.configLine + "\n"
    try write(updated, to: path)
  }

  /// Removes every line that subscribes `name`; the number removed (0 when none did).
  @discardableResult
  public static func remove(named name: String, from path: String) throws(EditError) -> Int {
    let existing = try text(of: path)
    var kept: [Substring] = []
    var removed = 0
    let lines = existing.split(separator: "\n", omittingEmptySubsequences: false)
    for line in lines {
      var words = ConfigLine(text: String(line))
      if (try? words.word())??.text == "subscribe", (try? words.word())??.text == name {
        removed += 1
        continue
      }
      kept.append(line)
    }
    guard removed > 0 else { return 0 }
    try write(kept.joined(separator: "\n"), to: path)
    return removed
  }

  private static func text(of path: String) throws(EditError) -> String {
    guard FileManager.default.fileExists(atPath: path) else { return "" }
    do {
      return try FileText.read(path)
    } catch {
      throw EditError(description: "\(path): cannot be read, so it is left alone")
    }
  }

  private static func write(_ text: String, to path: String) throws(EditError) {
    do {
      try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    } catch {
      throw EditError(description: "\(path): cannot create its folder: \(error.localizedDescription)")
    }
    do {
      try DurableFile.replace(path: path, with: Data(text.utf8))
    } catch {
      throw EditError(description: error.description)
    }
  }
}
