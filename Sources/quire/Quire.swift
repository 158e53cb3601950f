import ArgumentParser
import Foundation
import QuireModel
import QuireTerminal
import QuireUI

@main
struct Quire: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quire",
    abstract: "A terminal reader for research papers.",
    discussion: """
      quire [FILE] [--state PATH] opens the reader on FILE (any format `quire import` reads), or on the built-in reading list plus everything imported.

      Reading status, tags, notes, your titles and when each paper was read are saved to $XDG_DATA_HOME/quire/state.json (~/.local/share/quire/state.json); imported and fetched papers are kept beside it in library.jsonl. Subscriptions (quire subscribe, quire fetch, R in the reader) live in $XDG_CONFIG_HOME/quire/config. Keys: keymaps/default.keymap, or keymaps/emacs.keymap with --keymap emacs (or `keymap emacs` in the config), overridden by $XDG_CONFIG_HOME/quire/keymap.
      """,
    subcommands: [
      Open.self, List.self, Import.self, Export.self, Note.self, Fetch.self, Subscribe.self, Unsubscribe.self, Subscriptions.self, Check.self, Keys.self, StatsCommand.self,
      Mark.self, Tag.self, Merge.self, MergeDriver.self, GenerateManual.self,
    ],
    defaultSubcommand: Open.self
  )

  /// ArgumentParser's own messages quote the arguments as given (`found '…'`): made safe
  /// for the terminal like every other message, then printed where it would print them.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let message = fullMessage(for: error)
      let code = exitCode(for: error)
      if !message.isEmpty {
        let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
        stream.write(Data((TerminalText.sanitized(message) + "\n").utf8))
      }
      Foundation.exit(code.rawValue)
    }
  }
}

/// Options every command that reads the library shares.
struct LibraryOptions: ParsableArguments {
  @Argument(help: "A file to open (any format `quire import` reads). Without it, the built-in reading list and everything imported.", completion: .file())
  var file: String?

  @Option(name: .long, help: "The state file (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
  var state: String?

  var environment: [String: String] { ProcessInfo.processInfo.environment }

  var statePath: String { state ?? StateStore.defaultPath(environment: environment) }

  func loadLibrary(progress: ((LoadingProgress) -> Void)? = nil) throws -> Library {
    try Self.loadLibrary(file: file, environment: environment, progress: progress)
  }

  static func loadLibrary(
    file: String?, environment: [String: String], progress: ((LoadingProgress) -> Void)? = nil
  ) throws -> Library {
    do {
      return try LibraryLoader.load(file: file, environment: environment, progress: progress)
    } catch {
      throw QuireFailure(message: error.description)
    }
  }

  func loadState() throws -> (state: ReadingState, mark: StateDiskMark) {
    try Self.loadState(path: statePath)
  }

  /// The name this machine signs its changes with; a bad `QUIRE_DEVICE` or device file is
  /// reported before anything is changed.
  static func device(environment: [String: String]) throws -> String {
    do {
      return try DeviceName.current(environment: environment)
    } catch {
      throw QuireFailure(message: error.description)
    }
  }

  static func loadState(path: String) throws -> (state: ReadingState, mark: StateDiskMark) {
    do {
      return try StateStore(path: path).loadMarked()
    } catch {
      throw QuireFailure(message: error.description)
    }
  }
}

/// A failure to report as it is, without ArgumentParser's usage text. Messages quote file
/// names and file contents, so they are made safe for the terminal first.
struct QuireFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { TerminalText.sanitized(message) }
}

/// A line on stderr, with anything that could act on the terminal made visible.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((TerminalText.sanitized(message) + "\n").utf8))
}

extension Quire {
  struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open the reader (the default command).")

    @OptionGroup var options: LibraryOptions

    @Option(help: ArgumentHelp(KeymapLoader.optionHelp, valueName: "name-or-path"), completion: .file(extensions: ["keymap"]))
    var keymap: String?

    func run() throws {
      guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        // The files' own problems first: they are what a script most needs to hear of.
        _ = try options.loadLibrary()
        _ = try options.loadState()
        throw QuireFailure(message: "the reader needs a terminal; `quire list` prints the library as JSON Lines")
      }
      let (reading, mark) = try options.loadState()
      let device = try LibraryOptions.device(environment: options.environment)
      let configPath = Config.defaultPath(environment: options.environment)
      let config = Config.load(path: configPath)
      let (keymap, keymapProblems) = try KeymapLoader.load(
        environment: options.environment, option: self.keymap, config: config, configPath: configPath)
      // The terminal starts before a large library is read, so that reading it shows
      // progress rather than a blank screen.
      let terminal = Terminal(environment: options.environment)
      terminal.use(config.look)
      try terminal.start()
      SignalTrap.install()
      let started = Date()
      var lastDrawn = Date.distantPast
      let library: Library
      do {
        library = try options.loadLibrary { progress in
          if let signalNumber = SignalTrap.take() {
            terminal.stop()
            SignalTrap.exitAsSignalled(signalNumber)
          }
          let now = Date()
          guard now.timeIntervalSince(started) > 0.2, now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
          lastDrawn = now
          terminal.draw(LoadingScreen.render(progress, size: terminal.size))
        }
      } catch {
        terminal.stop()
        throw error
      }
      var session = ReaderSession(
        library: library, reading: reading, loaded: mark, keymap: keymap,
        keymapPath: KeymapLoader.userPath(environment: options.environment), config: config,
        configPath: configPath, problems: keymapProblems, store: StateStore(path: options.statePath),
        sessionStore: SessionStore(path: SessionStore.defaultPath(environment: options.environment)),
        terminal: terminal, libraryFile: options.file, environment: options.environment, device: device)
      if try !session.run() { throw ExitCode.failure }
      // On the shell's screen, now the reader's is gone. The reader only runs with standard
      // output on a terminal, so this goes to the user, never into a script's pipe.
      print(session.state.sessionSummary.line)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the papers a query matches (all without one) as JSON Lines: one paper a line, with its status, tags and note.",
      discussion: """
        The query language is the reader's (README, or ? in the reader): words, "phrases", title: author: venue: abstract: tag: note: id: doi: arxiv:, year:2016 year:>=2015 year:2014..2017, added:<7d, is:read is:unread, is:new is:updated (the last fetch's papers), - or not, or, parentheses. Quote it for the shell, or pass its words as separate arguments:
          quire list 'tag:gan (author:arora or author:ma) year:>=2016 -is:read'
          quire list --count is:unread
          quire list --sort year:desc --limit 10 neural
        """)

    // Unrecognised arguments belong to the query, so that `-is:read` needs no `--`.
    @Argument(parsing: .allUnrecognized, help: "The query; several arguments are joined with spaces.")
    var query: [String] = []

    @Option(help: "Sort by \(SortKey.allCases.map(\.rawValue).joined(separator: ", ")); add :desc for descending (year:desc). Default: as listed.")
    var sort: String?

    @Option(help: "Print at most this many papers.")
    var limit: Int?

    @Flag(help: "Print only the number of papers that match.")
    var count = false

    @Option(name: .long, help: "Read this file (any format `quire import` reads) instead of the built-in list plus everything imported.", completion: .file())
    var file: String?

    @Option(name: .long, help: "The state file (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
    var state: String?

    func validate() throws {
      // A mistyped option would otherwise quietly become part of the query.
      if let option = query.first(where: { $0.hasPrefix("--") && $0 != "--" }) {
        throw ValidationError("unknown option '\(option)'")
      }
      if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
      if let sort, Sorting(parsing: sort) == nil {
        throw ValidationError("--sort: expected one of \(SortKey.allCases.map(\.rawValue).joined(separator: ", ")), optionally with :desc; found '\(sort)'")
      }
    }

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let text = query.filter { $0 != "--" }.joined(separator: " ")
      let parsed: Query
      do {
        parsed = try Query.parse(text, fetched: FetchLog.load(path: FetchLog.defaultPath(environment: environment), setAside: false).log.fetched)
      } catch {
        // The query with a caret under the column, as a compiler points at an error.
        let caret = String(repeating: " ", count: max(0, error.column - 1)) + "^"
        printError("quire: query, column \(error.column): \(error.message)\n  \(text)\n  \(caret)")
        throw ExitCode(2)
      }
      let library = try LibraryOptions.loadLibrary(file: file, environment: environment)
      let reading = try LibraryOptions.loadState(path: state ?? StateStore.defaultPath(environment: environment)).state
      for problem in library.diagnostics { printError(problem.description) }
      let matches: PaperSet? = parsed == .everything ? nil : SearchIndexCache(environment: environment).openOrBuild(library).index.evaluate(parsed, reading: reading, library: library, within: nil)
      if count {
        print(matches?.count ?? library.count)
        return
      }
      let order = sort.flatMap(Sorting.init(parsing:)) ?? .listed
      var out = ""
      var printed = 0
      for index in library.indices(sortedBy: order, reading: reading) where matches?.contains(index) ?? true {
        if let limit, printed >= limit { break }
        let paper = library[index]
        out += PaperExport.jsonLine(paper, state: reading[paper.id]) + "\n"
        printed += 1
        if out.utf8.count > 1 << 16 {
          FileHandle.standardOutput.write(Data(out.utf8))
          out = ""
        }
      }
      FileHandle.standardOutput.write(Data(out.utf8))
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add papers from BibTeX, RIS, arXiv Atom, RSS, CSL-JSON, quire's JSON Lines or reading-list files to your library.",
      discussion: """
        The format is recognised from the content; --format names it when that fails. Papers already in the library (same DOI, same arXiv id in any version, same title with the same first author and year where known, or same abstract when untitled) are merged, not added twice. The library is kept in $XDG_DATA_HOME/quire/library.jsonl and replaced whole or not at all. `-` reads standard input.
        """)

    @Argument(help: "Files to import; - for standard input.", completion: .file())
    var files: [String]

    @Option(help: "The format of every file: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ImportFormat?

    /// Status and tags from an export are taken where the paper has no state of its own
    /// yet: what was done here since is never overwritten.
    func applyCarriedState(_ carried: [(Listing, PaperState)], known: Library, environment: [String: String]) throws {
      let stateStore = StateStore(path: StateStore.defaultPath(environment: environment))
      let now = Stamp.now(on: try LibraryOptions.device(environment: environment))
      var taken = 0
      do {
        // Read, changed and written with other processes' saves held off: a reader open in
        // another terminal loses nothing.
        try stateStore.update { reading in
          for (listing, state) in carried {
            guard let id = known.id(of: listing) else { continue }
            if reading[id].isUntouched {
              reading.record(state, of: id, at: now)
              taken += 1
            }
          }
          return taken > 0
        }
      } catch {
        throw QuireFailure(message: error.description)
      }
      guard taken > 0 else { return }
      print("state: status and tags taken for \(taken) paper\(taken == 1 ? "" : "s") that had none")
    }

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let store = LibraryStore(path: LibraryStore.defaultPath(environment: environment))
      // Held to the end: a fetch (or another import) merging meanwhile waits, and then
      // merges into what this one wrote.
      let lock = store.lockForWriting()
      defer { withExtendedLifetime(lock) {} }
      let existing: [Listing]
      do { existing = try store.load() } catch { throw QuireFailure(message: error.description) }
      // Everything already known, to tell new papers from ones merged into known papers.
      var known = Library(name: "known", listings: BuiltinLibrary.listings + existing)
      var imported: LibraryInBackground?
      var carried: [(Listing, PaperState)] = []  // reading state that came with the papers
      var failed = false
      let importTime = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
      for file in files {
        let name = file == "-" ? "<stdin>" : file
        guard var result = read(file, name: name) else {
          failed = true
          continue
        }
        for problem in result.diagnostics { printError(problem.description) }
        // Taken out of the result, so that setting the moment of import copies nothing.
        var listings = result.listings
        result.listings = []
        // The moment of import is when the paper joined the library (kept from an export).
        for index in listings.indices where listings[index].added == nil { listings[index].added = importTime }
        if !listings.isEmpty {
          imported = imported ?? LibraryInBackground(name: "imported", listings: existing)
          imported?.add(listings)
        }
        var new = 0
        var merged = 0
        for (index, listing) in listings.enumerated() {
          if known.add(listing) { new += 1 } else { merged += 1 }
          if let state = result.states?[index], !state.isUntouched { carried.append((listing, state)) }
        }
        let skipped = result.diagnostics.filter(\.skipped).count
        let repaired = result.diagnostics.count - skipped
        var summary = "\(name) (\(result.format.rawValue)): \(listings.count) entries: \(new) added, \(merged) already in the library"
        if skipped > 0 { summary += ", \(skipped) skipped" }
        if repaired > 0 { summary += ", \(repaired) read with a problem" }
        if skipped + repaired > 0 { summary += " (reasons and places above)" }
        print(TerminalText.sanitized(summary))
      }
      // The state first: killed between the two, the state names papers the library does
      // not hold yet, which is harmless, and importing again finds their state taken.
      if !carried.isEmpty { try applyCarriedState(carried, known: known, environment: environment) }
      if let imported {
        let library = imported.finished()
        do { try store.save(library.papers) } catch { throw QuireFailure(message: error.description) }
        print("library: \(library.count) imported papers in \(store.path)")
      }
      if failed { throw ExitCode.failure }
    }

    /// A file's listings, or nil once the reason it has none is told. The file's bytes are
    /// let go as soon as they are read: a large library's are large.
    func read(_ file: String, name: String) -> Importer.FileResult? {
      let data: Data
      if file == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
      } else {
        guard let contents = FileManager.default.contents(atPath: file) else {
          printError("quire: cannot read \(file): \(FileManager.default.fileExists(atPath: file) ? "permission denied or a folder" : "no such file")")
          return nil
        }
        data = contents
      }
      let bar = ProgressLine(label: "importing \(name)")
      do {
        let result = try Importer.read(data, file: name, format: format, progress: bar?.update)
        bar?.finish()
        return result
      } catch {
        bar?.finish()
        printError("quire: \(error.description)")
        return nil
      }
    }

    /// The library to save, the stored papers and then every imported listing, built on
    /// another core while this one reads the next file and tells new papers from known
    /// ones. The library is only touched on the builder's serial queue.
    final class LibraryInBackground: @unchecked Sendable {
      private let queue = DispatchQueue(label: "quire.import.library")
      private var library: Library?

      init(name: String, listings: [Listing]) {
        queue.async { self.library = Library(name: name, listings: listings) }
      }

      func add(_ listings: [Listing]) {
        queue.async { for listing in listings { self.library!.add(listing) } }
      }

      /// The library once every listing handed over is in.
      func finished() -> Library { queue.sync { library! } }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the library, or the papers a filter picks, as BibTeX, CSL-JSON, RIS, Markdown or JSON Lines.")

    @OptionGroup var options: LibraryOptions

    @Option(help: "bibtex, csl-json, ris, markdown or jsonl.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "Write to this file (replaced whole, or not at all) instead of standard output.")
    var output: String?

    @Flag(help: "Only unread papers.") var unread = false
    @Flag(help: "Only read papers.") var read = false
    @Option(help: "Only papers with this tag.") var tag: String?
    @Option(help: "Only papers this query matches (the language of `quire list` and the reader's filter).") var query: String?

    func run() throws {
      let library = try options.loadLibrary()
      let reading = try options.loadState().state
      let tagName = tag.map(ReadingState.normalizeTag)
      var matches: PaperSet?
      if let query {
        do {
          let parsed = try Query.parse(query, fetched: FetchLog.load(path: FetchLog.defaultPath(environment: options.environment), setAside: false).log.fetched)
          if parsed != .everything {
            matches = SearchIndexCache(environment: options.environment).openOrBuild(library).index.evaluate(parsed, reading: reading, library: library, within: nil)
          }
        } catch {
          throw QuireFailure(message: "--query, column \(error.column): \(error.message)")
        }
      }
      // Decoded once: a library opened on quire's file decodes its papers on every `papers`.
      let all = library.papers
      let papers = all.indices.filter { matches?.contains($0) ?? true }.map { all[$0] }.filter { paper in
        let state = reading[paper.id]
        if unread && state.status != .unread { return false }
        if read && state.status != .read { return false }
        if let tagName, !state.tags.contains(tagName) { return false }
        return true
      }
      let text = Exporter.write(papers, states: { reading[$0] }, format: format)
      guard let output else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
      }
      do { try DurableFile.replace(path: output, with: Data(text.utf8)) } catch { throw QuireFailure(message: error.description) }
      printError("quire: wrote \(papers.count) papers to \(output)")
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check the library (or FILE), the keymap, the config, the state file and the device name; print each problem as file:line[:column]: message.")

    @OptionGroup var options: LibraryOptions

    func run() throws {
      let library = try options.loadLibrary()
      var problems = library.diagnostics.map(\.description)
      let configPath = Config.defaultPath(environment: options.environment)
      let config = Config.load(path: configPath)
      problems += try KeymapLoader.load(environment: options.environment, option: nil, config: config, configPath: configPath)
        .problems.map(\.description)
      problems += config.diagnostics.map(\.description)
      do { _ = try StateStore(path: options.statePath).load() } catch { problems.append(error.description) }
      do { _ = try DeviceName.current(environment: options.environment) } catch { problems.append(error.description) }
      for problem in problems { print(TerminalText.sanitized(problem)) }
      print("\(library.count) papers; \(problems.isEmpty ? "no problems" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")")")
      if !problems.isEmpty { throw ExitCode(1) }
    }
  }

  struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the key bindings in force, in the keymap file format.")

    @Option(help: ArgumentHelp(KeymapLoader.optionHelp, valueName: "name-or-path"), completion: .file(extensions: ["keymap"]))
    var keymap: String?

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let configPath = Config.defaultPath(environment: environment)
      let (keymap, problems) = try KeymapLoader.load(
        environment: environment, option: keymap, config: Config.load(path: configPath), configPath: configPath)
      for problem in problems { printError(problem.description) }
      print(keymap.dump(), terminator: "")
    }
  }
}

/// The built-in keymap with the user's file applied on top.
enum KeymapLoader {
  static func userPath(environment: [String: String]) -> String {
    if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/quire/keymap" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/quire/keymap"
  }

  static func load(environment: [String: String], base: Keymap = .builtinDefault) -> (keymap: Keymap, problems: [Diagnostic]) {
    var keymap = base
    let path = userPath(environment: environment)
    guard FileManager.default.fileExists(atPath: path) else { return (keymap, []) }
    do {
      let text = try FileText.read(path)
      let problems = keymap.apply(text, file: path)
      return (keymap, problems)
    } catch {
      return (keymap, [Diagnostic(file: path, line: 0, message: "\(error)")])
    }
  }
}

extension ImportFormat: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

/// A progress bar on standard error, drawn only when it is a terminal, at most ten times a
/// second: share done, entries so far, rate and the time left.
final class ProgressLine {
  private let label: String
  private let started = Date()
  private var lastDrawn = Date.distantPast
  private var drawn = false

  /// Nil when standard error is not a terminal: scripts and logs stay clean.
  init?(label: String) {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    self.label = TerminalText.sanitized(label)
  }

  func update(_ fraction: Double, _ count: Int) {
    let now = Date()
    let elapsed = now.timeIntervalSince(started)
    guard elapsed > 0.3, now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
    lastDrawn = now
    let done = min(1, max(0, fraction))
    let width = 24
    let filled = Int(done * Double(width))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let left = done > 0.01 ? elapsed * (1 - done) / done : 0
    let rate = Int(Double(count) / elapsed)
    let line = "\(label)  \(bar) \(Int(done * 100))%  \(count) entries read, \(rate)/s, ~\(Self.seconds(left)) left"
    // Never wider than the terminal: a wrapped line would not be redrawn in place by "\r",
    // and every update would push the screen up a row.
    let text = "\r" + TerminalText.truncate(line, to: Self.terminalWidth() - 1) + "\u{1B}[K"
    FileHandle.standardError.write(Data(text.utf8))
    drawn = true
  }

  func finish() {
    if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  /// Standard error's terminal width; 80 when it cannot be told.
  static func terminalWidth() -> Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  static func seconds(_ value: Double) -> String {
    value < 60 ? "\(Int(value.rounded()))s" : "\(Int(value) / 60)m\(Int(value) % 60)s"
  }
}
