import ArgumentParser
import Foundation
import QuireModel
import QuireUI

/// Measurements of quire on generated libraries. Run them in a release build:
///
///     swift run -c release quire-bench search
@main
struct QuireBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quire-bench",
    abstract: "Measure quire on generated libraries (run with -c release).",
    subcommands: [Search.self, Generate.self, Session.self, Run.self, ParseAll.self, Find.self, Save.self, Fetch.self, StatsProbe.self]
  )
}

extension QuireBench {
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Type queries into the reader's search line, one character at a time, and time each keystroke.",
      discussion: """
        Each keystroke goes through the reader's update function and the screen is drawn into a grid, as in the \
        terminal (only the copy to curses is left out). The search index is built first, as the reader builds it \
        in the background at start. Every result is checked against the reference matcher.
        """)

    @Option(help: "Papers in the generated library.")
    var papers = 100_000

    @Option(help: "The budget per keystroke, in milliseconds; the run fails when a query's 95th percentile exceeds it.")
    var budget = 16.0

    @Option(help: "How many times each query is typed.")
    var rounds = 5

    @Flag(help: "Print every keystroke's time: the update, then drawing the screen.")
    var verbose = false

    @Option(name: .customLong("query"), help: "A query to type instead of the standard set (repeatable).")
    var queries: [String] = []

    @Option(help: "Write the built index to this file, open it again, and search the opened index.")
    var indexFile: String?

    func run() throws {
      print("generating \(papers) papers…")
      let (listings, states) = SyntheticLibrary.make(count: papers)
      let library = Library(name: "synthetic", listings: listings)
      var reading = ReadingState()
      for (index, state) in states { reading[library[index].id] = state }
      let bytes = listings.reduce(0) { $0 + ($1.abstract?.utf8.count ?? 0) + ($1.title?.utf8.count ?? 0) }
      print("library: \(library.count) papers, \(bytes / 1_000_000) MB of titles and abstracts")

      let started = Date()
      var index = SearchIndex(library: library)
      let buildTime = Date().timeIntervalSince(started)
      print(String(format: "search index built in %.0f ms", buildTime * 1000))
      if let indexFile { index = try reopen(index, at: indexFile) }

      let queries = !self.queries.isEmpty ? self.queries : [
        "generalization", "xqzjv", "\"neural network\"", "erdos", "author:smith year:>=2015 deep",
        "tag:theory -is:read", "converge",
      ]
      print("")
      print("query                                  keys   median      p95      max   found   reference")
      var worstMedian = 0.0
      var worstP95 = 0.0
      var slowest = 0.0
      for query in queries {
        var times: [Double] = []
        var found = 0
        for _ in 0..<rounds {
          var state = AppState(
            library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: 40, cols: 140),
            indexComing: true)
          _ = Reader.update(&state, .indexReady(index))
          _ = Reader.update(&state, .key(.char("/")))
          for character in query {
            let key: Key = character == " " ? .space : .char(character)
            let begin = DispatchTime.now().uptimeNanoseconds
            _ = Reader.update(&state, .key(key))
            let updated = DispatchTime.now().uptimeNanoseconds
            let grid = Renderer.render(state)
            let end = DispatchTime.now().uptimeNanoseconds
            precondition(grid.rows == 40)
            times.append(Double(end - begin) / 1_000_000)
            if verbose {
              print(String(format: "  %@  update %6.2f ms  draw %5.2f ms  %7d shown", String(character), Double(updated - begin) / 1e6, Double(end - updated) / 1e6, state.shown.count))
            }
          }
          found = state.shown.count
        }
        // The reference: the simple matcher, once, to check the result.
        let parsed = try Query.parse(query)
        let expected = library.papers.reduce(0) { $0 + (parsed.matches($1, reading[$1.id]) ? 1 : 0) }
        guard expected == found else {
          throw ValidationError("'\(query)': the reader showed \(found) papers, the reference matcher finds \(expected)")
        }
        times.sort()
        let median = times[times.count / 2]
        let p95 = times[min(times.count - 1, times.count * 95 / 100)]
        worstMedian = max(worstMedian, median)
        worstP95 = max(worstP95, p95)
        slowest = max(slowest, times.last!)
        let name = query.padding(toLength: 36, withPad: " ", startingAt: 0)
        print(String(format: "%@ %6d %7.2f ms %6.2f ms %6.2f ms %7d   %@", name, query.count, median, p95, times.last!, found, "agrees"))
      }
      print("")
      let verdict = worstP95 <= budget ? "within" : "OVER"
      print(String(format: "per keystroke: slowest median %.2f ms, slowest 95th percentile %.2f ms, slowest of all %.2f ms", worstMedian, worstP95, slowest))
      print(String(format: "95th percentiles %@ the %.0f ms budget at %d papers", verdict, budget, papers))
      if worstP95 > budget { throw ExitCode.failure }
    }

    /// The index written to a file and opened again from it, timing both.
    private func reopen(_ built: SearchIndex, at path: String) throws -> SearchIndex {
      let fingerprint = "quire-bench \(papers) papers"
      let writing = DispatchTime.now().uptimeNanoseconds
      try built.write(to: path, fingerprint: fingerprint)
      let opening = DispatchTime.now().uptimeNanoseconds
      guard let opened = SearchIndex.open(path: path, fingerprint: fingerprint) else {
        throw ValidationError("the index written to \(path) does not open")
      }
      let end = DispatchTime.now().uptimeNanoseconds
      let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      print(
        String(
          format: "index file: %.1f MB, written in %.0f ms, opened in %.3f ms; searching the opened index",
          Double(size) / 1e6, Double(opening - writing) / 1e6, Double(end - opening) / 1e6))
      return opened
    }
  }
}
