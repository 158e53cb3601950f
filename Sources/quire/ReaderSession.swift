import Foundation
import QuireModel
import Synchronization
import QuireTerminal
import QuireUI

/// Runs the reader: keys in, `Reader.update`, effects out, the screen drawn after each.
struct ReaderSession {
  var state: AppState
  let store: StateStore
  let writer: StateWriter
  let terminal: Terminal
  let sessionStore: SessionStore
  /// The search index, opened or built on another core while the user starts reading.
  let index = Background<SearchIndex>()
  /// The reading state counted (read papers, tags in use), likewise: at a million papers
  /// it takes longer than the first screen.
  let counts = Background<(ReadingIndex, ReadingState)>()
  /// The statistics view's numbers for a large library, and the opening they are for.
  let stats = StatsInBackground()
  /// Messages from a background fetch, taken in by the loop.
  let inbox = Inbox()
  let config: Config
  /// The file the reader was opened on; nil for the library, which a fetch adds to.
  let libraryFile: String?
  let environment: [String: String]

  init(
    library: Library, reading: ReadingState, loaded mark: StateDiskMark, keymap: Keymap, keymapPath: String, config: Config, configPath: String,
    problems: [Diagnostic], store: StateStore, sessionStore: SessionStore, terminal: Terminal, libraryFile: String?,
    environment: [String: String], device: String
  ) {
    self.store = store
    self.config = config
    self.libraryFile = libraryFile
    self.environment = environment
    self.sessionStore = sessionStore
    writer = StateWriter(store: store, loaded: mark)
    self.terminal = terminal
    let (session, sessionProblem) = sessionStore.load()
    state = AppState(
      library: library, reading: reading, keymap: keymap, size: ScreenSize(rows: 24, cols: 80),
      statePath: store.path, keymapPath: keymapPath, configPath: configPath,
      problems: problems + config.diagnostics + (sessionProblem.map { [$0] } ?? []), views: config.views,
      sort: session.sort, indexComing: true, countsComing: library.count >= Self.countInBackgroundFrom,
      fetched: FetchLog.load(path: FetchLog.defaultPath(environment: environment), setAside: false).log.fetched,
      subscriptionCount: config.subscriptions.count, device: device)
    state.clipboard = config.clipboard
  }

  /// Runs until the user quits; false if the reading state could not be saved.
  mutating func run() throws -> Bool {
    SignalTrap.install()
    if !terminal.isStarted { try terminal.start() }
    _ = Reader.update(&state, .resize(terminal.size))
    terminal.draw(Renderer.render(state), full: true)
    startIndexes(counting: !state.countsReady)
    var lastTick = Date()
    while true {
      if let signalNumber = SignalTrap.take() {
        finish()
        SignalTrap.exitAsSignalled(signalNumber)
      }
      let message: Message
      // While the counts, the statistics or a fetch are coming, look for them often: the
      // header and the statistics box wait for them.
      switch terminal.read(milliseconds: !state.countsReady || state.isCountingStats ? 20 : state.fetchActivity != nil ? 100 : 500) {
      case .key(let key): message = .key(key)
      case .mouse(let event): message = .mouse(event)
      case .resize(let size): message = .resize(size)
      case .idle where counts.isReady:
        let (built, start) = counts.take()!
        message = .countsReady(built, start: start)
      case .idle where index.isReady:
        message = .indexReady(index.take()!)
      case .idle where stats.isReady:
        let (counted, request) = stats.take()!
        message = .statsCounted(counted, request: request)
      case .idle:
        // A failed save is retried every few seconds while idle, and changes another
        // process saved are taken in.
        guard Date().timeIntervalSince(lastTick) >= 3 else { continue }
        lastTick = Date()
        message = .tick
      }
      var full = false
      var pending = [message]
      for var arrived in inbox.takeAll() {
        // The tags a subscription gives were saved by the fetch: taken in with it, quietly.
        if case .fetchFinished(var completion) = arrived, state.saveStatus == .saved, let merged = try? writer.refresh(state.reading) {
          completion.changes = merged
          arrived = .fetchFinished(completion)
        }
        pending.insert(arrived, at: pending.count - 1)
      }
      if case .tick = message, state.saveStatus == .saved, let merged = try? writer.refresh(state.reading) {
        pending.insert(.changedElsewhere(merged), at: 0)
      }
      if case .indexReady = message {} else if let built = index.take() { pending.insert(.indexReady(built), at: 0) }
      if case .countsReady = message {} else if let (built, start) = counts.take() {
        pending.insert(.countsReady(built, start: start), at: 0)
      }
      while !pending.isEmpty {
        for effect in Reader.update(&state, pending.removeFirst()) {
          switch effect {
          case .save:
            let (merged, error) = save()
            if !merged.isEmpty { pending.append(.changedElsewhere(merged)) }
            pending.append(.saveFinished(error: error))
          case .redraw: full = true
          case .fetch: startFetch()
          case .buildIndexes: startIndexes(counting: true)
          case .editNote(let id, let current):
            pending += editNote(id, current: current)
            full = true
          case .openLink(let url):
            pending += openLink(url)
            full = true
          case .copyToClipboard(let text): pending += copyToClipboard(text)
          case .countStats(let request):
            stats.start(request: request, state.statsCount())
          case .saveSession:
            // How the list was left is a convenience: failing to keep it is worth a word, no more.
            do { try sessionStore.save(Session(sort: state.sort)) } catch { pending.append(.problem(error.description)) }
          case .quit:
            return finish()
          }
        }
      }
      terminal.draw(Renderer.render(state), full: full)
    }
  }

  /// Builds the search index and, when asked, the counts for the library shown, in the
  /// background.
  func startIndexes(counting: Bool) {
    let (library, reading) = (state.library, state.reading)
    if counting { counts.start { (ReadingIndex(reading: reading, library: library), reading) } }
    let cache = SearchIndexCache(environment: environment)
    index.start { cache.openOrBuild(library).index }
  }

  /// Fetches every subscription on another thread, merges what came into the library and
  /// reads the library again; the loop hears of it through `inbox`.
  func startFetch() {
    let (config, environment, inbox, libraryFile, device) = (config, environment, inbox, libraryFile, state.device)
    let thread = Thread {
      let files = FetchFiles(environment: environment)
      let (log, logProblem) = FetchLog.load(path: files.log)
      let fetcher = FeedFetcher(settings: config.fetch, log: log, environment: environment)
      let outcomes = fetcher.fetch(config.subscriptions) { inbox.post(.fetchProgress($0)) }
      let report: FetchReport
      do {
        report = try FetchMerge.apply(outcomes, files: files, builtin: BuiltinLibrary.listings, at: Date(), device: device)
      } catch {
        inbox.post(.fetchFinished(FetchCompletion(library: nil, fetched: log.fetched, summary: "nothing merged", failures: ["\(error)"])))
        return
      }
      var failures = report.sources.compactMap { source -> String? in
        guard case .failed(let reason) = source.kind else { return nil }
        return "\(source.name): \(reason)"
      }
      if let problem = report.logProblem ?? logProblem { failures.append(problem) }
      let changed = !report.new.isEmpty || !report.updated.isEmpty
      var library: Library?
      var summary = report.summary
      if changed, libraryFile == nil {
        do {
          library = try LibraryLoader.load(file: nil, environment: environment)
        } catch {
          failures.append("the library could not be read again: \(error)")
        }
      } else if changed, let libraryFile {
        summary += " into the library (this reader shows \((libraryFile as NSString).lastPathComponent))"
      }
      let fetched = FetchLog.load(path: files.log, setAside: false).log.fetched
      inbox.post(.fetchFinished(FetchCompletion(library: library, fetched: fetched, summary: summary, failures: failures)))
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// Saves the reading state: what other processes changed meanwhile, merged, and the
  /// error text, if it failed.
  func save() -> (merged: StateWriter.Merged, error: String?) {
    do {
      return (try writer.save(state.reading, changed: state.unsaved), nil)
    } catch {
      return ([:], error.description)
    }
  }

  /// Below this many papers counting takes a few milliseconds: done before the first
  /// screen, whose header then never shows "… unread".
  static let countInBackgroundFrom = 20_000

  /// Saves what is not saved yet and restores the terminal. If the state still cannot be
  /// saved, it is written to a rescue file, the user is told where, and quire exits 1 so
  /// that scripts see the failure.
  @discardableResult
  func finish() -> Bool {
    var failure: String?
    var merged: StateWriter.Merged = [:]
    if state.saveStatus != .saved {
      (merged, failure) = save()
    } else {
      // A last look, as while idle: a sync tool may have put another copy in place since
      // the reader last looked, lacking this session's changes (written back by the look).
      merged = (try? writer.refresh(state.reading, waiting: true)) ?? [:]
    }
    // What others saved, which the whole state written below must not drop.
    let reading = state.reading.adopting(merged)
    // The next start then reads one file, and so does whatever copies state.json.
    if failure == nil { writer.foldOnFinish(reading, changed: state.unsaved) }
    terminal.stop()
    guard let failure else { return true }
    // A fresh, unguessable name: nothing can be waiting at it in a shared folder.
    let rescue = NSTemporaryDirectory() + "quire-state-rescue-\(UUID().uuidString.lowercased()).json"
    var note = "quire: \(failure)\n"
    if (try? StateStore(path: rescue).save(reading)) != nil {
      note += "quire: your reading state was written to \(rescue) instead; copy it to \(store.path) when you can.\n"
    }
    FileHandle.standardError.write(Data(TerminalText.sanitized(note).utf8))
    return false
  }
}

/// Something built on a background thread and handed to the reader when it is ready.
final class Background<Value: Sendable>: Sendable {
  private let built = Mutex<Value?>(nil)

  func start(_ work: @escaping @Sendable () -> Value) {
    let thread = Thread { [self] in
      let value = work()
      built.withLock { $0 = value }
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  var isReady: Bool { built.withLock { $0 != nil } }

  /// The value, once, when it is ready.
  func take() -> Value? {
    built.withLock { value in
      defer { value = nil }
      return value
    }
  }
}

/// Messages posted from other threads for the reader's loop.
final class Inbox: Sendable {
  private let messages = Mutex<[Message]>([])

  func post(_ message: Message) { messages.withLock { $0.append(message) } }

  func takeAll() -> [Message] {
    messages.withLock { all in
      defer { all = [] }
      return all
    }
  }
}
