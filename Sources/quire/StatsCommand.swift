import ArgumentParser
import Foundation
import QuireModel
import QuireUI

extension Quire {
  struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract: "Print reading statistics: papers read per week, read and unread papers by tag and by year, and totals.",
      discussion: """
        The numbers of the reader's statistics view (= in the reader), for the library and state `quire list` reads. Weeks are ISO weeks (Monday to Sunday) in the local time zone ($TZ), the current week last. Text is laid out for $COLUMNS columns (80 without it); --json prints one object whose shape README documents.
        """)

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "How many weeks the chart covers, the current week included (1 to 520).")
    var weeks = StatsView.weeks

    @Option(name: .long, help: "Read this file (any format `quire import` reads) instead of the built-in list plus everything imported.", completion: .file())
    var file: String?

    @Option(name: .long, help: "The state file (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
    var state: String?

    func validate() throws {
      guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 520; found \(weeks)") }
    }

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let library = try LibraryOptions.loadLibrary(file: file, environment: environment)
      let reading = try LibraryOptions.loadState(path: state ?? StateStore.defaultPath(environment: environment)).state
      for problem in library.diagnostics { printError(problem.description) }
      // A library read from quire's file decodes a paper only when asked: its years come
      // from the search index kept in the cache (built once, as `quire list` builds it).
      let years =
        PaperYears.available(for: library, index: nil)
        ?? PaperYears(index: SearchIndexCache(environment: environment).openOrBuild(library).index)
      let now = Date()
      let stats = ReadingStats.count(library: library, reading: reading, years: years, now: now, timeZone: .current, weeks: weeks)
      if json {
        print(stats.json(now: now, timeZone: .current))
        return
      }
      let width = environment["COLUMNS"].flatMap { Int($0) }.map { max(40, min($0, 400)) } ?? 80
      let text = StatsText.lines(stats, width: width).map { line in
        var text = Substring(TerminalText.sanitized(line.text))
        while text.last == " " { text = text.dropLast() }
        return String(text)
      }
      print(text.joined(separator: "\n"))
    }
  }
}
