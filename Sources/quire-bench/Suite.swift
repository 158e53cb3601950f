import ArgumentParser
import Foundation
import QuireModel
import QuireUI

/// The benchmark suite: generated libraries of 10,000, 100,000 and 1,000,000 papers stored
/// as quire stores a user's, every budgeted operation measured at each size in fresh
/// processes, reference points on the same files, and the table written to BENCHMARKS.md.
extension QuireBench {
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure every budgeted operation at 10k, 100k and 1M papers and write BENCHMARKS.md.",
      discussion: """
        Libraries are generated once into --data and reused while the generator is unchanged. Each size is \
        measured in fresh processes: the first session builds the search index and keeps it, as the reader \
        does on its first start; start-up is then timed over --starts runs, and a last session times keys, \
        search and saving and reports its peak memory. Reference points (cat, orjson when installed, grep -c) \
        run on the same library files.
        """)

    @Option(help: "Library sizes, comma-separated.")
    var sizes = "10000,100000,1000000"

    @Option(help: "Where the generated libraries are kept between runs.")
    var data = "/var/tmp/quire-bench"

    @Option(help: "Where to write the report (nothing is written when empty).")
    var output = "BENCHMARKS.md"

    @Option(help: "How many fresh processes time start-up at each size.")
    var starts = 7

    func run() throws {
      let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")) }
      guard !counts.isEmpty else { throw ValidationError("--sizes: expected numbers such as 10000,100000") }
      let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
      let quire = (me as NSString).deletingLastPathComponent + "/quire"
      guard FileManager.default.isExecutableFile(atPath: quire) else {
        throw ValidationError("quire is not built beside quire-bench (\(quire)); run `swift build -c release` first")
      }
      var results: [SizeResult] = []
      for count in counts {
        let result = try measure(count, bench: me, quire: quire)
        results.append(result)
        print(Report.sizeSummary(result))
      }
      var report = Report(results: results, machine: Machine.describe())
      report.outside = Self.startFromOutside()
      let text = report.markdown()
      print("")
      print(report.table())
      if !output.isEmpty {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
        print("\nwritten to \(output)")
      }
      if !report.allWithinBudget { throw ExitCode(3) }
    }

    /// scripts/startup-time.sh's last line: the release binary started in tmux on 100,000
    /// papers, timed until the list is on screen. Nil without tmux or the script.
    static func startFromOutside() -> String? {
      let script = FileManager.default.currentDirectoryPath + "/scripts/startup-time.sh"
      guard FileManager.default.isExecutableFile(atPath: script),
        (try? Reference.capture("/usr/bin/env", ["sh", "-c", "command -v tmux"])) != nil
      else { return nil }
      print("start-up from outside: scripts/startup-time.sh 100000…")
      let output = try? Reference.capture(script, ["100000", "9"])
      return output?.split(separator: "\n").last.map(String.init)
    }

    func measure(_ count: Int, bench: String, quire: String) throws -> SizeResult {
      let folder = data + "/\(count)"
      let library = StoredLibrary(folder: folder, papers: count)
      try library.prepare(log: { print("[\(count)] \($0)") })
      var result = SizeResult(papers: count, libraryBytes: library.libraryBytes, stateBytes: library.stateBytes)

      // First start: no kept index, so the session builds and keeps it.
      try? FileManager.default.removeItem(atPath: library.cache)
      try library.restoreState()
      print("[\(count)] first session (builds the search index)…")
      let first = try Child.session(bench, library, startOnly: false)
      result.firstIndexMs = first.indexMs
      result.firstPeakRSS = first.peakRSSBytes

      print("[\(count)] start-up, \(starts) fresh processes…")
      var startTimes: [Double] = []
      var parts: [SessionFigures] = []
      for _ in 0..<starts {
        try library.restoreState()
        let figures = try Child.session(bench, library, startOnly: true)
        startTimes.append(figures.startMs)
        parts.append(figures)
      }
      result.startMs = Stats.median(startTimes)
      let middle = parts.sorted { $0.startMs < $1.startMs }[parts.count / 2]
      result.startParts = (middle.libraryMs, middle.stateMs, middle.firstScreenMs)

      print("[\(count)] session with the kept index: keys, search, saving, memory…")
      try library.restoreState()
      let session = try Child.session(bench, library, startOnly: false)
      result.session = session
      try library.restoreState()

      print("[\(count)] importing BibTeX…")
      result.bibtexBytes = library.bibtexBytes
      result.importSeconds = try Child.importBibTeX(quire, library)

      print("[\(count)] reference points…")
      result.catMs = Reference.timed(3, "cat \"$1\" > /dev/null", library.libraryPath)
      // Into a variable, not /dev/null: GNU grep stops at the first match when its output is /dev/null.
      result.grepMs = Reference.timed(3, "n=$(grep -c generalization \"$1\")", library.libraryPath)
      result.orjsonMs = Reference.orjson(library.libraryPath)
      result.quireParseMs = try Child.parseAll(bench, library)
      result.quireFindMs = try Child.find(bench, library, "generalization")
      return result
    }
  }
}

/// A generated library on disk, where quire would keep it, with a pristine copy of its state.
struct StoredLibrary {
  let folder: String
  let papers: Int
  /// Bump when the generator changes, so kept libraries are made again.
  static let generatorVersion = "1"

  var environment: [String: String] { ["XDG_DATA_HOME": folder, "XDG_CACHE_HOME": cache, "HOME": folder] }
  var libraryPath: String { folder + "/quire/library.jsonl" }
  var statePath: String { folder + "/quire/state.json" }
  var pristineState: String { folder + "/state.pristine.json" }
  var bibtexPath: String { folder + "/library.bib" }
  var cache: String { folder + "/cache" }
  var marker: String { folder + "/generated" }

  var libraryBytes: Int { Self.size(libraryPath) }
  var stateBytes: Int { Self.size(pristineState) }
  var bibtexBytes: Int { Self.size(bibtexPath) }

  static func size(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
  }

  func prepare(log: (String) -> Void) throws {
    let expected = "\(Self.generatorVersion) \(papers)"
    if (try? String(contentsOfFile: marker, encoding: .utf8)) == expected, Self.size(libraryPath) > 0, Self.size(bibtexPath) > 0 {
      log("using the library generated earlier in \(folder)")
      return
    }
    log("generating \(papers) papers into \(folder)…")
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.createDirectory(atPath: folder + "/quire", withIntermediateDirectories: true)
    let (listings, states) = SyntheticLibrary.make(count: papers)
    let library = Library(name: "synthetic", listings: listings)
    var reading = ReadingState()
    for (index, state) in states { reading[library[index].id] = state }
    try LibraryStore(path: libraryPath).save(library.papers)
    try StateStore(path: pristineState).save(reading)
    log("writing the same papers as BibTeX…")
    let bibtex = Exporter.write(library.papers, states: { _ in .untouched }, format: .bibtex)
    try Data(bibtex.utf8).write(to: URL(fileURLWithPath: bibtexPath))
    try expected.write(toFile: marker, atomically: true, encoding: .utf8)
  }

  /// Sessions change the state (they toggle and tag papers): each starts from the same one.
  func restoreState() throws {
    let quireFolder = folder + "/quire"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: quireFolder)) ?? [] where name != "library.jsonl" {
      try FileManager.default.removeItem(atPath: quireFolder + "/" + name)
    }
    try FileManager.default.copyItem(atPath: pristineState, toPath: statePath)
  }
}

/// The measurements that run in processes of their own.
enum Child {
  static func session(_ bench: String, _ library: StoredLibrary, startOnly: Bool) throws -> SessionFigures {
    var arguments = ["session", "--data", library.folder, "--cache", library.cache]
    if startOnly { arguments.append("--start-only") }
    let output = try Reference.capture(bench, arguments)
    return try JSONDecoder().decode(SessionFigures.self, from: Data(output.utf8))
  }

  static func parseAll(_ bench: String, _ library: StoredLibrary) throws -> Double {
    let output = try Reference.capture(bench, ["parse-all", "--data", library.folder])
    return Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
  }

  static func find(_ bench: String, _ library: StoredLibrary, _ word: String) throws -> Double {
    let output = try Reference.capture(bench, ["find", "--data", library.folder, "--cache", library.cache, word])
    return Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
  }

  /// `quire import` of the library's BibTeX into an empty data folder, timed from outside.
  static func importBibTeX(_ quire: String, _ library: StoredLibrary) throws -> Double {
    let scratch = library.folder + "/import-scratch"
    try? FileManager.default.removeItem(atPath: scratch)
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let start = Clock.now
    _ = try Reference.capture(quire, ["import", library.bibtexPath], environment: ["XDG_DATA_HOME": scratch, "HOME": scratch])
    return Clock.ms(start, Clock.now) / 1000
  }
}

/// Other programs on the same files, for scale.
enum Reference {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs a program to the end; with `discardOutput` its output goes to /dev/null, so that
  /// only the program's own work is timed.
  static func run(_ program: String, _ arguments: [String], discardOutput: Bool = false) throws {
    guard discardOutput else {
      _ = try capture(program, arguments)
      return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 { throw Failure(description: "\(program) exited with \(process.terminationStatus)") }
  }

  @discardableResult
  static func capture(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let environment {
      var merged = ProcessInfo.processInfo.environment
      merged.merge(environment) { _, new in new }
      process.environment = merged
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    let collected = Collected()
    // Read while it runs: a full pipe would block the child.
    let reader = Thread {
      collected.set(pipe.fileHandleForReading.readDataToEndOfFile())
    }
    reader.start()
    try process.run()
    process.waitUntilExit()
    while !collected.done { usleep(1000) }
    let output = String(decoding: collected.data, as: UTF8.self)
    // grep -c exits 1 when it finds nothing; anything else is a failure.
    if process.terminationStatus != 0, !(program.hasSuffix("grep") && process.terminationStatus == 1) {
      throw Failure(description: "\(program) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return output
  }

  final class Collected: @unchecked Sendable {
    // Written once by the reader thread, read after `done`; the lock orders the two.
    private let lock = NSLock()
    private var value = Data()
    private var finished = false
    func set(_ data: Data) { lock.withLock { value = data; finished = true } }
    var done: Bool { lock.withLock { finished } }
    var data: Data { lock.withLock { value } }
  }

  static func median(_ times: Int, _ body: () throws -> Void) -> Double {
    var taken: [Double] = []
    for _ in 0..<times {
      let start = Clock.now
      do { try body() } catch { return .nan }
      taken.append(Clock.ms(start, Clock.now))
    }
    return Stats.median(taken)
  }

  /// A shell command's time as the shell measures it, around the command alone: starting
  /// a process from Foundation costs tens of milliseconds, which would swamp `cat` on a
  /// small file. The median of `times` runs.
  static func timed(_ times: Int, _ command: String, _ argument: String) -> Double {
    let script = "s=$EPOCHREALTIME; \(command); e=$EPOCHREALTIME; echo \"$s $e\""
    var taken: [Double] = []
    for _ in 0..<times {
      guard let output = try? capture("/bin/bash", ["-c", script, "bash", argument]) else { return .nan }
      let parts = output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
      guard parts.count == 2 else { return .nan }
      taken.append((parts[1] - parts[0]) * 1000)
    }
    return Stats.median(taken)
  }

  /// Parsing every line with orjson, when Python has it; nil otherwise.
  static func orjson(_ path: String) -> Double? {
    let script = """
      import sys, time
      try:
          import orjson
      except ImportError:
          print("none"); sys.exit(0)
      best = None
      for _ in range(3):
          start = time.perf_counter()
          with open(sys.argv[1], "rb") as f:
              for line in f:
                  orjson.loads(line)
          taken = (time.perf_counter() - start) * 1000
          best = taken if best is None else sorted([best, taken])[0]
      print(best)
      """
    // The python3 on PATH, as a user would run it.
    guard let output = try? capture("/usr/bin/env", ["python3", "-c", script, path]) else { return nil }
    return Double(output.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

enum Machine {
  static func describe() -> [(String, String)] {
    var facts: [(String, String)] = []
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last
    facts.append(("CPU", (model.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown") + ", \(ProcessInfo.processInfo.activeProcessorCount) cores"))
    facts.append(("memory", "\(ProcessInfo.processInfo.physicalMemory >> 30) GiB"))
    let os = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8))?.split(separator: "\n")
      .first { $0.hasPrefix("PRETTY_NAME=") }?.dropFirst(12).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    facts.append(("system", os ?? ProcessInfo.processInfo.operatingSystemVersionString))
    let swift = (try? Reference.capture("/usr/bin/env", ["swift", "--version"]))?.split(separator: "\n").first.map(String.init)
    facts.append(("Swift", swift ?? "unknown"))
    let commit = (try? Reference.capture("/usr/bin/env", ["git", "rev-parse", "--short", "HEAD"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
    let dirty = (try? Reference.capture("/usr/bin/env", ["git", "status", "--porcelain", "--untracked-files=no"]))?.isEmpty == false
    facts.append(("commit", (commit ?? "unknown") + (dirty ? " (with uncommitted changes)" : "")))
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    facts.append(("date", formatter.string(from: Date())))
    return facts
  }
}
