import ArgumentParser
import Foundation
import QuireModel
import QuireUI

extension QuireBench {
  struct StatsProbe: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract: "Time counting the reading statistics and opening and scrolling the reader's statistics view.",
      discussion: """
        The generated library of `search`, without its abstracts (the statistics never read them, and leaving \
        them out makes a million papers quick to build), stored in a library file and opened from it, with the read papers given times over the last 30 weeks \
        (one in ten with none, as if read before quire kept times). The search index is built first, as the \
        reader has it once it has started: the years come from it.
        """)

    @Option(help: "Papers in the generated library.")
    var papers = 100_000

    @Option(help: "How many times each measurement is repeated.")
    var rounds = 5

    func run() throws {
      print("generating \(papers) papers…")
      var (listings, states) = SyntheticLibrary.make(count: papers)
      for index in listings.indices { listings[index].abstract = nil }
      // Stored as quire stores a user's library and opened from the file, as a library of
      // this size is in use: papers decoded as shown, ids looked up in the file's table.
      let folder = NSTemporaryDirectory() + "quire-bench-stats-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let path = folder + "/library.jsonl"
      try LibraryStore(path: path).save(Library(name: "synthetic", listings: listings).papers)
      listings = []
      let library = try Library.open(name: "synthetic", builtin: [], storedAt: path)
      let now = Date()
      var reading = ReadingState()
      var number = 0
      for (index, var state) in states {
        if state.status == .read {
          number += 1
          // Spread over 30 weeks, one in ten with no time.
          state.readAt = number % 10 == 0 ? nil : now.addingTimeInterval(-Double(number % (30 * 7)) * 86_400)
        }
        reading[library[index].id] = state
      }
      states = [:]
      let index = SearchIndex(library: library)
      print("library: \(library.count) papers, \(reading.papers.count) with a reading state")

      let years = PaperYears(index: index)
      var stats: ReadingStats?
      let fromIndex = time(rounds) {
        stats = ReadingStats.count(library: library, reading: reading, years: years, now: now, weeks: StatsView.weeks)
      }
      let withoutYears = time(rounds) {
        stats = ReadingStats.count(library: library, reading: reading, years: nil, now: now, weeks: StatsView.weeks)
      }
      precondition(stats?.totals.papers == library.count)

      var state = AppState(
        library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: 40, cols: 140), indexComing: true)
      _ = Reader.update(&state, .indexReady(index))
      var opens: [Double] = []
      var counts: [Double] = []
      var scrolls: [Double] = []
      for _ in 0..<rounds {
        // The key: the overlay opens, and a large library's count is asked for.
        var effects: [Effect] = []
        opens.append(
          time(1) {
            effects = Reader.update(&state, .key(.char("=")))
            precondition(Renderer.render(state).rows == 40)
          })
        // What the session then runs on another core, and the screen once it is in.
        if case .countStats(let request)? = effects.first {
          counts.append(
            time(1) {
              _ = Reader.update(&state, .statsCounted(state.statsCount()(), request: request))
              precondition(Renderer.render(state).rows == 40)
            })
        }
        for _ in 0..<20 {
          scrolls.append(
            time(1) {
              _ = Reader.update(&state, .key(.char("j")))
              precondition(Renderer.render(state).rows == 40)
            })
        }
        _ = Reader.update(&state, .key(.char("x")))
      }
      let countedWhere = counts.isEmpty ? "at once, on the key" : "in the background"
      print(String(format: "counting, years from the search index:  %8.2f ms (median of %d)", fromIndex, rounds))
      print(String(format: "counting, years not known yet:          %8.2f ms", withoutYears))
      print(String(format: "the key = (view open, screen drawn):    %8.2f ms median, %.2f ms p95; counted %@", Stats.median(opens), Stats.percentile(opens, 95), countedWhere))
      if !counts.isEmpty {
        print(String(format: "background count until drawn:           %8.2f ms median", Stats.median(counts)))
      }
      print(String(format: "scrolling it (j), screen drawn:         %8.2f ms median, %.2f ms p95", Stats.median(scrolls), Stats.percentile(scrolls, 95)))
    }

    /// The median of `rounds` runs of `work`, in milliseconds.
    private func time(_ rounds: Int, _ work: () -> Void) -> Double {
      var times: [Double] = []
      for _ in 0..<max(1, rounds) {
        let start = Clock.now
        work()
        times.append(Clock.ms(start, Clock.now))
      }
      return Stats.median(times)
    }
  }
}
