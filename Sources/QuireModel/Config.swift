import Foundation

/// A named query, shown in the view list with its counts, as newsboat's query feeds.
public struct SavedView: Equatable, Sendable {
  public var name: String
  public var query: String
  /// Where it was defined, for messages.
  public var line: Int

  public init(name: String, query: String, line: Int = 0) {
    self.name = name
    self.query = query
    self.line = line
  }
}

/// The user's settings, read from `$XDG_CONFIG_HOME/quire/config`:
///
///     # comments run to the end of the line
///     view "To read" = "is:unread tag:theory"
///     subscribe "Learning theory" "https://export.arxiv.org/api/query?search_query=cat:stat.ML" +theory every 6h
///     fetch-timeout 30s
///     clipboard osc52
///
/// A line that cannot be understood is reported as `file:line: message`; the other lines
/// still apply.
public struct Config: Equatable, Sendable {
  public var views: [SavedView] = []
  public var subscriptions: [Subscription] = []
  public var fetch = FetchSettings()
  public var look = LookSettings()
  /// `clipboard osc52` lets `copy-link` set the system clipboard; off by default.
  public var clipboard = ClipboardSetting.off
  public var diagnostics: [Diagnostic] = []

  public init(views: [SavedView] = [], diagnostics: [Diagnostic] = []) {
    self.views = views
    self.diagnostics = diagnostics
  }

  /// `$XDG_CONFIG_HOME/quire/config`, falling back to `~/.config/quire/config`.
  public static func defaultPath(environment: [String: String]) -> String {
    if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
      return config + "/quire/config"
    }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/quire/config"
  }

  /// The config at `path`: empty when there is no file, with a diagnostic when it exists
  /// but cannot be read.
  public static func load(path: String) -> Config {
    guard FileManager.default.fileExists(atPath: path) else { return Config() }
    do {
      return parse(try FileText.read(path), file: path)
    } catch {
      return Config(diagnostics: [Diagnostic(file: path, line: 1, message: "cannot be read; no settings applied", skipped: true)])
    }
  }

  public static func parse(_ text: String, file: String) -> Config {
    var config = Config()
    for (number, line) in ReadingListParser.lines(of: text).enumerated() {
      do throws(QueryError) {
        try config.apply(ConfigLine(text: String(line)), line: number + 1)
      } catch {
        config.diagnostics.append(Diagnostic(file: file, line: number + 1, column: error.column, message: error.message, skipped: true))
      }
    }
    return config
  }

  private mutating func apply(_ line: ConfigLine, line number: Int) throws(QueryError) {
    var line = line
    guard let command = try line.word() else { return }  // blank or a comment
    switch command.text {
    case "view":
      let usage = "expected view \"NAME\" = \"QUERY\""
      guard let name = try line.word(), !name.text.isEmpty else {
        throw QueryError(column: line.column, message: usage)
      }
      var query = try line.word()
      if query?.text == "=" && !(query?.quoted ?? true) { query = try line.word() }
      guard let query else { throw QueryError(column: line.column, message: usage) }
      if let extra = try line.word() {
        throw QueryError(column: extra.column, message: "unexpected '\(extra.text)' after the query; \(usage)")
      }
      do {
        _ = try Query.parse(query.text)
      } catch {
        // The query's own column, counted from the start of the line.
        // The query's own columns, counted from the start of the line, in the message too.
        let offset = query.column + (query.quoted ? 1 : 0) - 1
        var message = error.message
        if let range = message.range(of: #"at column (\d+)"#, options: .regularExpression),
          let inner = Int(message[range].dropFirst("at column ".count))
        {
          message.replaceSubrange(range, with: "at column \(inner + offset)")
        }
        throw QueryError(column: offset + error.column, message: "in the query of view \"\(name.text)\": \(message)")
      }
      if let earlier = views.firstIndex(where: { $0.name == name.text }) {
        let first = views[earlier].line
        views[earlier] = SavedView(name: name.text, query: query.text, line: number)
        throw QueryError(column: name.column, message: "view \"\(name.text)\" was already defined on line \(first); this definition replaces it")
      }
      views.append(SavedView(name: name.text, query: query.text, line: number))
    case "subscribe":
      try subscribe(&line, line: number)
    case "fetch-timeout", "fetch-interval":
      let seconds = try Self.value(of: command.text, in: &line, "a length of time such as 30s, 15m or 6h", Duration.parse)
      // Foundation's HTTP client counts timeouts in whole seconds.
      if command.text == "fetch-timeout" { fetch.timeout = max(1, seconds) } else { fetch.interval = seconds }
    case "fetch-max-size":
      fetch.maxSize = try Self.value(of: command.text, in: &line, "a size such as 50MB or 512KB", ByteSize.parse)
    case "fetch-retries":
      fetch.retries = try Self.value(of: command.text, in: &line, "a number of retries from 0 to 10") { Int($0).flatMap { (0...10).contains($0) ? $0 : nil } }
    case "host-interval":
      guard let host = try line.word(), !host.text.isEmpty else {
        throw QueryError(column: line.column, message: "expected host-interval HOST DURATION, such as host-interval export.arxiv.org 3s")
      }
      let seconds = try Self.value(of: "host-interval \(host.text)", in: &line, "a length of time such as 3s", Duration.parse)
      fetch.hostIntervals[host.text.lowercased()] = seconds
    case "clipboard":
      clipboard = try Self.value(of: command.text, in: &line, "osc52 or off", ClipboardSetting.init(rawValue:))
    case let setting where Self.lookSettings.contains(setting):
      try applyLook(setting, &line, line: number)
    default:
      throw QueryError(
        column: command.column,
        message: "unknown setting '\(command.text)'; expected: view, subscribe, fetch-timeout, fetch-interval, fetch-max-size, fetch-retries, host-interval, mouse, theme, color, keymap, clipboard")
    }
  }

  /// The one value a setting takes, as `parse` reads it, with nothing after it.
  private static func value<T>(
    of setting: String, in line: inout ConfigLine, _ expected: String, _ parse: (String) -> T?
  ) throws(QueryError) -> T {
    guard let word = try line.word() else { throw QueryError(column: line.column, message: "expected \(setting) followed by \(expected)") }
    guard let value = parse(word.text) else {
      throw QueryError(column: word.column, message: "expected \(expected) after \(setting); found '\(word.text)'")
    }
    if let extra = try line.word() {
      throw QueryError(column: extra.column, message: "unexpected '\(extra.text)' after \(setting) \(word.text)")
    }
    return value
  }

  private mutating func subscribe(_ line: inout ConfigLine, line number: Int) throws(QueryError) {
    let usage = "expected subscribe \"NAME\" \"URL\" [+TAG…] [every DURATION] [format FORMAT]"
    guard let name = try line.word(), !name.text.isEmpty, name.text != "=" else { throw QueryError(column: line.column, message: usage) }
    guard let url = try line.word(), !url.text.isEmpty else { throw QueryError(column: line.column, message: usage) }
    var subscription = Subscription(name: name.text, url: url.text, line: number)
    if case .unsupported(let scheme) = subscription.location(environment: [:]) {
      throw QueryError(column: url.column, message: "expected an http, https or file URL, or a path; '\(scheme):' is not one quire fetches")
    }
    while let word = try line.word() {
      if word.text.hasPrefix("+"), !word.quoted {
        let tag = ReadingState.normalizeTag(String(word.text.dropFirst()))
        guard !tag.isEmpty else { throw QueryError(column: word.column, message: "expected a tag name after '+'") }
        if !subscription.tags.contains(tag) { subscription.tags.append(tag) }
      } else if word.text == "every", !word.quoted {
        guard let value = try line.word() else { throw QueryError(column: line.column, message: "expected a length of time after every, such as 6h") }
        guard let seconds = Duration.parse(value.text) else {
          throw QueryError(column: value.column, message: "expected a length of time after every, such as 30m, 6h or 1d; found '\(value.text)'")
        }
        subscription.interval = seconds
      } else if word.text == "format", !word.quoted {
        let names = ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value = try line.word() else { throw QueryError(column: line.column, message: "expected a format after format: \(names)") }
        guard let format = ImportFormat(rawValue: value.text) else {
          throw QueryError(column: value.column, message: "expected one of \(names) after format; found '\(value.text)'")
        }
        subscription.format = format
      } else {
        throw QueryError(column: word.column, message: "unexpected '\(word.text)'; \(usage)")
      }
    }
    if let earlier = subscriptions.firstIndex(where: { $0.name == name.text }) {
      let first = subscriptions[earlier].line
      subscriptions[earlier] = subscription
      throw QueryError(column: name.column, message: "subscription \"\(name.text)\" was already defined on line \(first); this definition replaces it")
    }
    subscriptions.append(subscription)
  }
}

/// Words of a config line: bare words, or "double-quoted" with \" and \\ inside.
struct ConfigLine {
  let characters: [Character]
  var index = 0

  init(text: String) { characters = Array(text) }

  var column: Int { index + 1 }

  struct Word {
    var text: String
    var quoted: Bool
    var column: Int
  }

  mutating func word() throws(QueryError) -> Word? {
    while index < characters.count, characters[index].isWhitespace { index += 1 }
    guard index < characters.count, characters[index] != "#" else { return nil }
    let start = index
    if characters[index] == "\"" {
      index += 1
      var text = ""
      while index < characters.count {
        let character = characters[index]
        if character == "\"" {
          index += 1
          return Word(text: text, quoted: true, column: start + 1)
        }
        if character == "\\", index + 1 < characters.count {
          index += 1
        }
        text.append(characters[index])
        index += 1
      }
      throw QueryError(column: start + 1, message: "expected a closing \" for the text opened here")
    }
    var text = ""
    while index < characters.count, !characters[index].isWhitespace {
      if characters[index] == "=" && !text.isEmpty { break }
      if characters[index] == "\"" {
        throw QueryError(column: index + 1, message: "unexpected \" inside a word; put the whole text in quotes")
      }
      text.append(characters[index])
      index += 1
      if text == "=" { break }
    }
    return Word(text: text, quoted: false, column: start + 1)
  }
}
