import ArgumentParser
import Foundation
import QuireModel

extension QuireBench {
  struct Save: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Time saving the reading state after one status change, as the reader does, and loading it.",
      discussion: """
        A state for the given number of papers (a third read, about 40% tagged from about 50 tags, a few \
        notes) is written whole, as `quire import` would. Then single status changes are saved one by one \
        through a StateWriter, exactly as the reader saves after each keystroke: each appends to the \
        journal beside state.json and flushes it. Then the journal is folded into state.json, as when the \
        reader quits. Loading is timed through the fast reader and, for comparison, through \
        JSONSerialization (the same file with one leading space, which the fast reader declines).
        """)

    @Option(help: "Papers in the library; the state holds about 60% of them.")
    var papers = 100_000

    @Option(help: "Status changes to save, one at a time.")
    var changes = 200

    @Option(help: "The folder to write state.json in (default: a new temporary folder, removed afterwards).")
    var folder: String?

    @Option(help: .hidden)
    var timeLoadOf: String?

    @Flag(help: "Leave out the times papers were read and the titles given, as in states saved before quire kept them.")
    var withoutTimes = false

    @Flag(help: "Stamp every field with when and on which of two devices it changed, as quire now saves every change.")
    var stamped = false

    func run() throws {
      // Loads are timed in a fresh process each, as quire starts: not in one whose memory
      // is already full of the state made here.
      if let timeLoadOf {
        let start = DispatchTime.now()
        let state = try StateStore(path: timeLoadOf).load()
        print(Self.milliseconds(since: start), state.papers.count)
        return
      }
      let (reading, ids) = Self.makeState(papers: papers, times: !withoutTimes, stamped: stamped)
      let root = folder ?? NSTemporaryDirectory() + "quire-bench-save-\(getpid())"
      defer { if folder == nil { try? FileManager.default.removeItem(atPath: root) } }
      let store = StateStore(path: root + "/quire/state.json")
      try? FileManager.default.removeItem(atPath: store.journalPath)

      var start = DispatchTime.now()
      try store.save(reading)
      let stateBytes = Self.size(store.path)
      print(String(format: "state: %d papers, %d entries; state.json %.1f MB, written whole in %.0f ms",
        papers, reading.papers.count, Double(stateBytes) / 1e6, Self.milliseconds(since: start)))

      // Marked as the reader's writer is, so each save first looks for other processes' changes.
      let writer = StateWriter(store: store, loaded: try store.loadMarked().mark)
      start = DispatchTime.now()
      writer.prepare(reading)
      print(String(format: "lines encoded ahead of the first compaction (the reader does it when idle): %.0f ms", Self.milliseconds(since: start)))

      var state = reading
      var random = SeededRandom(seed: 7)
      var times: [Double] = []
      var bytes: [Int] = []
      for _ in 0..<changes {
        let id = ids.randomElement(using: &random)!
        var entry = state[id]
        entry.setStatus(entry.status.toggled, at: Date())
        state.record(entry, of: id, at: Stamp.now(on: "bench"))
        let before = Self.size(store.journalPath)
        let begin = DispatchTime.now()
        try writer.save(state, changed: Set([id]))
        times.append(Self.milliseconds(since: begin))
        bytes.append(Self.size(store.journalPath) - before)
      }
      times.sort()
      bytes.sort()
      print("")
      print(String(format: "save after one status change (%d saves): median %.2f ms, p95 %.2f ms, max %.2f ms",
        changes, Self.percentile(times, 50), Self.percentile(times, 95), times.last ?? 0))
      print("bytes written per save: median \(Self.percentile(bytes, 50)), min \(bytes.first ?? 0), max \(bytes.last ?? 0) (journal now \(Self.size(store.journalPath)) bytes)")
      let threshold = max(writer.minimumCompactionSize, stateBytes / 4)
      let line = max(1, Self.percentile(bytes, 50))
      print(String(format: "the journal is folded in at %.1f MB, about every %d saves: %.0f bytes per save amortised",
        Double(threshold) / 1e6, threshold / line, Double(line) + Double(stateBytes) / Double(max(1, threshold / line))))

      start = DispatchTime.now()
      let replayed = try store.load()
      let replayTime = Self.milliseconds(since: start)
      guard replayed == state else { throw ValidationError("state.json and the journal do not load to the saved state") }
      print(String(format: "load, state.json and a journal of %d lines: %.0f ms", changes, replayTime))

      start = DispatchTime.now()
      try writer.compact(state, changed: [])
      print(String(format: "journal folded into state.json (as on quitting): %.0f ms", Self.milliseconds(since: start)))
      guard !FileManager.default.fileExists(atPath: store.journalPath), try store.load() == state else {
        throw ValidationError("compaction did not leave state.json complete and no journal")
      }

      print("")
      let fast = try Self.timeLoads(of: store.path, runs: 5)
      let general = root + "/quire/general.json"
      try (Data(" ".utf8) + Data(contentsOf: URL(fileURLWithPath: store.path))).write(to: URL(fileURLWithPath: general))
      guard try StateStore(path: general).load() == state else { throw ValidationError("the general reader disagrees") }
      let slow = try Self.timeLoads(of: general, runs: 3)
      print(String(format: "load state.json in a fresh process: median %.0f ms (JSONSerialization: median %.0f ms)", fast, slow))
    }

    /// The papers' state as SyntheticLibrary makes it, with ids made directly rather than
    /// from generated papers, and a note on one entry in a hundred. With `times`, every read
    /// paper has the time it was read and one entry in two hundred a title of the reader's:
    /// drawn from their own generator, so that the papers, tags and notes are the same either way.
    static func makeState(papers: Int, times: Bool = true, stamped: Bool = false) -> (ReadingState, [PaperID]) {
      var random = SeededRandom(seed: 42)
      var moments = SeededRandom(seed: 43)
      var stamps = SeededRandom(seed: 44)
      var entries: [PaperID: PaperState] = [:]
      var ids: [PaperID] = []
      ids.reserveCapacity(papers)
      for _ in 0..<papers {
        let id = PaperID(String(random.next(), radix: 16).leftPadded(to: 16))
        ids.append(id)
        let read = Int.random(in: 0..<3, using: &random) == 0
        let tagCount = Int.random(in: 0...4, using: &random) * Int.random(in: 0...1, using: &random)
        guard read || tagCount > 0 else { continue }
        var state = PaperState(status: read ? .read : .unread)
        for _ in 0..<tagCount {
          let tag = SyntheticLibrary.tags.randomElement(using: &random)!
          if !state.tags.contains(tag) { state.tags.append(tag) }
        }
        if Int.random(in: 0..<100, using: &random) == 0 { state.note = "See §3, \"the bound\".\nCompare with Erdős." }
        if times {
          if read { state.readAt = Date(timeIntervalSince1970: Double(Int.random(in: 1_500_000_000..<1_800_000_000, using: &moments))) }
          if Int.random(in: 0..<200, using: &moments) == 0 { state.title = "A title of my own, \"quoted\"" }
        }
        if stamped {
          let device = Bool.random(using: &stamps) ? "laptop-3fa2" : "desktop-91c2"
          let time = Int64.random(in: 1_700_000_000_000..<1_800_000_000_000, using: &stamps)
          state = PaperState.untouched.recording(state, at: Stamp(time: time, device: device))
        }
        entries[id] = state
      }
      return (ReadingState(papers: entries), ids)
    }

    /// The median time to load the state at `path`, each time in a new process.
    static func timeLoads(of path: String, runs: Int) throws -> Double {
      var times: [Double] = []
      for _ in 0..<runs {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["save", "--time-load-of", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let time = text.split(separator: " ").first.flatMap({ Double($0) }) else {
          throw ValidationError("timing a load of \(path) failed: \(text)")
        }
        times.append(time)
      }
      return percentile(times.sorted(), 50)
    }

    static func milliseconds(since start: DispatchTime) -> Double {
      Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }

    static func percentile<T>(_ sorted: [T], _ p: Int) -> T where T: Numeric {
      sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * p / 100)]
    }

    static func size(_ path: String) -> Int {
      ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
  }
}

extension String {
  fileprivate func leftPadded(to length: Int) -> String {
    String(repeating: "0", count: max(0, length - count)) + self
  }
}
