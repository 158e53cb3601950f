import ArgumentParser
import Foundation
import QuireModel
import QuireUI

#if canImport(Glibc)
  import Glibc
#endif

/// One reading session on a library stored as quire stores a user's, measured from inside
/// a fresh process: start-up, keys, search and saving, then the process's peak memory.
/// `quire-bench run` starts one per library size, so each peak is the session's alone.
struct SessionFigures: Codable {
  var papers = 0
  /// Start to first screen, and its parts.
  var startMs = 0.0
  var libraryMs = 0.0
  var stateMs = 0.0
  var firstScreenMs = 0.0
  /// Counting the reading state (unread, tags in use), which the reader does on another
  /// core after the first screen.
  var countsMs = 0.0
  /// Opening the search index kept from an earlier session (or building it, the first time).
  var indexMs = 0.0
  var indexBuilt = false
  /// Median and 95th percentile per key, update and drawing included.
  var keys: [String: [Double]] = [:]
  /// Bulk actions on every paper of the library, each timed once, its save apart.
  var bulk: [String: Double] = [:]
  var bulkSaveMs = 0.0
  var searchMedianMs = 0.0
  var searchP95Ms = 0.0
  var searchWorstQuery = ""
  var saveMedianMs = 0.0
  var saveP95Ms = 0.0
  var saveBytes = 0
  var peakRSSBytes = 0
}

extension QuireBench {
  struct Session: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure one reading session on a stored library (used by `run`; prints JSON).",
      shouldDisplay: false)

    @Option(help: "The data folder holding quire/library.jsonl and quire/state.json.")
    var data: String

    @Option(help: "The cache folder for the search index.")
    var cache: String

    @Flag(help: "Only measure start-up.")
    var startOnly = false

    func run() throws {
      let environment = ["XDG_DATA_HOME": data, "XDG_CACHE_HOME": cache, "HOME": data]
      var figures = SessionFigures()
      let size = ScreenSize(rows: 50, cols: 160)

      let begin = Clock.now
      let library = try LibraryLoader.load(file: nil, environment: environment)
      let loaded = Clock.now
      let store = StateStore(path: StateStore.defaultPath(environment: environment))
      let (reading, mark) = try store.loadMarked()
      let stateLoaded = Clock.now
      var state = AppState(
        library: library, reading: reading, keymap: .builtinDefault, size: size, statePath: store.path, indexComing: true,
        countsComing: true)
      _ = Reader.update(&state, .resize(size))
      let screen = Renderer.render(state)
      let drawn = Clock.now
      precondition(screen.rows == size.rows)
      figures.papers = library.count
      figures.libraryMs = Clock.ms(begin, loaded)
      figures.stateMs = Clock.ms(loaded, stateLoaded)
      figures.firstScreenMs = Clock.ms(stateLoaded, drawn)
      figures.startMs = Clock.ms(begin, drawn)
      let countsBegin = Clock.now
      let counts = ReadingIndex(reading: reading, library: library)
      figures.countsMs = Clock.ms(countsBegin, Clock.now)
      _ = Reader.update(&state, .countsReady(counts, start: reading))
      if startOnly {
        try emit(figures)
        return
      }

      let indexBegin = Clock.now
      let (index, built) = SearchIndexCache(environment: environment).openOrBuild(library)
      figures.indexMs = Clock.ms(indexBegin, Clock.now)
      figures.indexBuilt = built
      _ = Reader.update(&state, .indexReady(index))

      // Keys, each timed through the update function and a full drawing of the screen.
      let writer = StateWriter(store: store, loaded: mark)
      writer.prepare(state.reading)
      var saveTimes: [Double] = []
      var saveBytes: [Int] = []
      func press(_ key: Key, _ name: String, times: Int) {
        var taken: [Double] = []
        for _ in 0..<times {
          let start = Clock.now
          let effects = Reader.update(&state, .key(key))
          _ = Renderer.render(state)
          taken.append(Clock.ms(start, Clock.now))
          if effects.contains(where: { if case .save = $0 { return true } else { return false } }) {
            let before = SaveCounter.bytesWritten()
            let saveStart = Clock.now
            _ = try? writer.save(state.reading, changed: state.unsaved)
            saveTimes.append(Clock.ms(saveStart, Clock.now))
            saveBytes.append(SaveCounter.bytesWritten() - before)
            _ = Reader.update(&state, .saveFinished(error: nil))
          }
        }
        figures.keys[name] = Stats.summary(taken)
      }
      press(.char("j"), "move down (j)", times: 300)
      press(.pageDown, "page down", times: 100)
      press(.char("G"), "jump to end (G)", times: 50)
      press(.char("g"), "jump to top (g)", times: 50)
      press(.char("r"), "toggle read (r)", times: 200)
      press(.char("u"), "undo (u)", times: 100)
      press(.ctrl("r"), "redo (C-r)", times: 100)
      // Adding a tag: open the editor, type it, Enter, each keystroke timed.
      var tagTimes: [Double] = []
      for round in 0..<50 {
        let typed = "bench\(round % 5)".map { Key.char($0) }
        for key in [Key.char("t")] + typed + [.enter, .escape] {
          let start = Clock.now
          let effects = Reader.update(&state, .key(key))
          _ = Renderer.render(state)
          tagTimes.append(Clock.ms(start, Clock.now))
          if effects.contains(where: { if case .save = $0 { return true } else { return false } }) {
            _ = try? writer.save(state.reading, changed: state.unsaved)
            _ = Reader.update(&state, .saveFinished(error: nil))
          }
        }
        _ = Reader.update(&state, .key(.char("j")))
      }
      figures.keys["add a tag (t, type, Enter)"] = Stats.summary(tagTimes)

      // Bulk actions: every paper marked, all read at once, undone at once, unmarked.
      var bulkSaves: [Double] = []
      for (key, name) in [(Key.char("M"), "mark every paper (M)"), (.char("r"), "read every marked paper (r)"), (.char("u"), "undo that (u)"), (.escape, "unmark them (Esc)")] {
        let start = Clock.now
        let effects = Reader.update(&state, .key(key))
        _ = Renderer.render(state)
        figures.bulk[name] = Clock.ms(start, Clock.now)
        if effects.contains(where: { if case .save = $0 { return true } else { return false } }) {
          let saveStart = Clock.now
          _ = try? writer.save(state.reading, changed: state.unsaved)
          bulkSaves.append(Clock.ms(saveStart, Clock.now))
          _ = Reader.update(&state, .saveFinished(error: nil))
        }
      }
      figures.bulkSaveMs = Stats.median(bulkSaves)
      figures.saveMedianMs = Stats.median(saveTimes)
      figures.saveP95Ms = Stats.percentile(saveTimes, 95)
      figures.saveBytes = Int(Stats.median(saveBytes.map(Double.init)))

      // Search: queries typed one character at a time.
      var worst = (median: 0.0, p95: 0.0, query: "")
      for query in SearchQueries.standard {
        var times: [Double] = []
        for _ in 0..<3 {
          _ = Reader.update(&state, .key(.char("/")))
          for character in query {
            let start = Clock.now
            _ = Reader.update(&state, .key(character == " " ? .space : .char(character)))
            _ = Renderer.render(state)
            times.append(Clock.ms(start, Clock.now))
          }
          _ = Reader.update(&state, .key(.escape))
        }
        let median = Stats.median(times)
        if median > worst.median { worst = (median, Stats.percentile(times, 95), query) }
      }
      figures.searchMedianMs = worst.median
      figures.searchP95Ms = worst.p95
      figures.searchWorstQuery = worst.query
      figures.peakRSSBytes = Memory.peakResident()
      try emit(figures)
    }

    func emit(_ figures: SessionFigures) throws {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      print(String(decoding: try encoder.encode(figures), as: UTF8.self))
    }
  }
}

enum SearchQueries {
  static let standard = [
    "generalization", "xqzjv", "\"neural network\"", "erdos", "author:smith year:>=2015 deep",
    "tag:theory -is:read", "converge",
  ]
}

enum Clock {
  static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
  static func ms(_ from: UInt64, _ to: UInt64) -> Double { Double(to - from) / 1e6 }
}

enum Stats {
  static func median(_ values: [Double]) -> Double { percentile(values, 50) }

  static func percentile(_ values: [Double], _ p: Int) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, sorted.count * p / 100)]
  }

  /// [median, 95th percentile]
  static func summary(_ values: [Double]) -> [Double] { [median(values), percentile(values, 95)] }
}

enum Memory {
  /// The process's peak resident set (VmHWM), file-backed pages included.
  static func peakResident() -> Int { statusField("VmHWM:") }

  static func statusField(_ name: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(name) {
      let number = line.dropFirst(name.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first
      return (number.flatMap { Int($0) } ?? 0) * 1024
    }
    return 0
  }
}

enum SaveCounter {
  /// Bytes this process has written to storage so far (`write_bytes`… is per device and
  /// lags; `wchar` counts every write call, which is what a save costs).
  static func bytesWritten() -> Int {
    guard let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
    for line in io.split(separator: "\n") where line.hasPrefix("wchar:") {
      return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
    }
    return 0
  }
}
