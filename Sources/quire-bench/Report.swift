import Foundation

/// Everything measured at one library size.
struct SizeResult {
  var papers: Int
  var libraryBytes: Int
  var stateBytes: Int
  var startMs = 0.0
  var startParts = (library: 0.0, state: 0.0, screen: 0.0)
  var firstIndexMs = 0.0
  var firstPeakRSS = 0
  var session = SessionFigures()
  var bibtexBytes = 0
  var importSeconds = 0.0
  var catMs = 0.0
  var grepMs = 0.0
  var orjsonMs: Double?
  var quireParseMs = 0.0
  var quireFindMs = 0.0

  var million: Bool { papers >= 1_000_000 }
  /// The issue sets budgets at 100,000 and 1,000,000 papers. A smaller library is held to
  /// the 100,000 budgets of time; its memory is mostly the process's own (the Swift runtime
  /// and Foundation, about 40 MB), so no memory budget is set for it.
  var memoryBudgeted: Bool { papers >= 100_000 }
  var startBudget: Double { million ? 1500 : 150 }
  var keyBudget: Double { million ? 5 : 2 }
  var searchBudget: Double { million ? 100 : 16 }
  var memoryBudget: Double { million ? 1.5 : 2 }
  var slowestKey: (name: String, median: Double) {
    session.keys.map { ($0.key, $0.value[0]) }.max { $0.1 < $1.1 } ?? ("", 0)
  }
  var memoryRatio: Double { Double(session.peakRSSBytes) / Double(max(libraryBytes, 1)) }
  var importMBps: Double { Double(bibtexBytes) / 1e6 / max(importSeconds, 1e-9) }

  var checks: [(String, Bool)] {
    [
      ("start", startMs <= startBudget),
      ("keys", slowestKey.median <= keyBudget),
      ("search", session.searchMedianMs <= searchBudget),
      ("save", session.saveMedianMs <= 5),
      ("memory", !memoryBudgeted || memoryRatio <= memoryBudget),
      ("import", importMBps >= 20),
    ]
  }
}

struct Report {
  var results: [SizeResult]
  var machine: [(String, String)]
  /// The start-up measured from outside, in tmux, as scripts/startup-time.sh prints it.
  var outside: String?

  var allWithinBudget: Bool { results.allSatisfy { $0.checks.allSatisfy(\.1) } }

  static func sizeSummary(_ r: SizeResult) -> String {
    let failed = r.checks.filter { !$0.1 }.map(\.0)
    return "[\(r.papers)] " + (failed.isEmpty ? "every budget met" : "over budget: " + failed.joined(separator: ", "))
  }

  static func papers(_ n: Int) -> String {
    n >= 1_000_000 ? "\(n / 1_000_000)M" : n >= 1000 ? "\(n / 1000)k" : "\(n)"
  }

  static func ms(_ value: Double) -> String {
    if value.isNaN { return "–" }
    if value >= 1000 { return String(format: "%.2f s", value / 1000) }
    if value >= 100 { return String(format: "%.0f ms", value) }
    if value >= 10 { return String(format: "%.1f ms", value) }
    return String(format: "%.2f ms", value)
  }

  static func bytes(_ value: Int) -> String {
    let v = Double(value)
    if v >= 1e9 { return String(format: "%.2f GB", v / 1e9) }
    if v >= 1e6 { return String(format: "%.0f MB", v / 1e6) }
    if v >= 1e3 { return String(format: "%.0f kB", v / 1e3) }
    return "\(value) B"
  }

  static func mark(_ ok: Bool) -> String { ok ? "✓" : "✗ over" }

  /// "0.08×", or "1/250" for a small fraction, which two decimals would show as 0.00×.
  static func ratio(_ value: Double) -> String {
    if value.isNaN || value.isInfinite { return "–" }
    if value < 0.05, value > 0 { return String(format: "1/%.0f", 1 / value) }
    return String(format: "%.2f×", value)
  }

  /// The rows: operation, then one cell per size.
  func rows() -> [(String, [String])] {
    var rows: [(String, [String])] = []
    func row(_ name: String, _ cell: (SizeResult) -> String) { rows.append((name, results.map(cell))) }
    row("library on disk (library.jsonl)") { Self.bytes($0.libraryBytes) }
    row("reading state on disk (state.json)") { Self.bytes($0.stateBytes) }
    row("**start to first screen drawn** (median; budget 150 ms, 1.5 s at 1M)") {
      "\(Self.ms($0.startMs)) \(Self.mark($0.startMs <= $0.startBudget))"
    }
    row("  of which: library file's line table") { Self.ms($0.startParts.library) }
    row("  of which: state.json") { Self.ms($0.startParts.state) }
    row("  of which: reader state and first screen") { Self.ms($0.startParts.screen) }
    row("then, on another core: unread and tag counts") { Self.ms($0.session.countsMs) }
    let keyNames = results.first?.session.keys.keys.sorted() ?? []
    for name in keyNames {
      row("**key: \(name)** (median / p95; budget 2 ms, 5 ms at 1M)") { r in
        guard let v = r.session.keys[name] else { return "–" }
        return "\(Self.ms(v[0])) / \(Self.ms(v[1])) \(Self.mark(v[0] <= r.keyBudget))"
      }
    }
    for name in (results.first?.session.bulk.keys.sorted() ?? []) {
      row("bulk, on every paper: \(name)") { r in r.session.bulk[name].map(Self.ms) ?? "–" }
    }
    row("  saving a bulk change (median of the two)") { Self.ms($0.session.bulkSaveMs) }
    row("**one character typed into search** (slowest query's median / p95; budget 16 ms, 100 ms at 1M)") {
      "\(Self.ms($0.session.searchMedianMs)) / \(Self.ms($0.session.searchP95Ms)) \(Self.mark($0.session.searchMedianMs <= $0.searchBudget))"
    }
    row("  slowest query") { "`\($0.session.searchWorstQuery)`" }
    row("**saving after a status change** (median / p95; budget 5 ms)") {
      "\(Self.ms($0.session.saveMedianMs)) / \(Self.ms($0.session.saveP95Ms)) \(Self.mark($0.session.saveMedianMs <= 5))"
    }
    row("  bytes written per save (must not grow with the library)") { "\($0.session.saveBytes) B" }
    row("**peak memory of a session** (budget 2× the library, 1.5× at 1M)") {
      String(
        format: "%@ = %.2f× %@", Self.bytes($0.session.peakRSSBytes), $0.memoryRatio,
        $0.memoryBudgeted ? Self.mark($0.memoryRatio <= $0.memoryBudget) : "(no budget below 100k)")
    }
    row("**importing BibTeX** (`quire import`, budget ≥ 20 MB/s)") {
      String(format: "%@ in %.1f s = %.0f MB/s %@", Self.bytes($0.bibtexBytes), $0.importSeconds, $0.importMBps, Self.mark($0.importMBps >= 20))
    }
    row("first start only: building and keeping the search index (in the background)") { Self.ms($0.firstIndexMs) }
    row("first start only: peak memory while building it") {
      String(format: "%@ = %.2f×", Self.bytes($0.firstPeakRSS), Double($0.firstPeakRSS) / Double(max($0.libraryBytes, 1)))
    }
    row("reference: `cat library.jsonl`") { Self.ms($0.catMs) }
    row("  quire's start ÷ cat") { Self.ratio($0.startMs / $0.catMs) }
    row("reference: orjson parsing every line (Python)") { $0.orjsonMs.map(Self.ms) ?? "not installed" }
    row("  quire parsing every line") { Self.ms($0.quireParseMs) }
    row("  quire ÷ orjson") { r in r.orjsonMs.map { Self.ratio(r.quireParseMs / $0) } ?? "–" }
    row("reference: `grep -c generalization library.jsonl`") { Self.ms($0.grepMs) }
    row("  quire finding `generalization` (kept index)") { Self.ms($0.quireFindMs) }
    row("  quire ÷ grep") { Self.ratio($0.quireFindMs / $0.grepMs) }
    return rows
  }

  func table() -> String {
    let header = ["operation"] + results.map { Self.papers($0.papers) + " papers" }
    var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
    for (name, cells) in rows() { lines.append("| " + ([name] + cells).joined(separator: " | ") + " |") }
    return lines.joined(separator: "\n")
  }

  /// How each cost grows from one size to the next, beside the growth of the library.
  func growth() -> String {
    guard results.count > 1 else { return "" }
    var lines = ["| cost | " + zip(results, results.dropFirst()).map { "\(Self.papers($0.papers)) → \(Self.papers($1.papers))" }.joined(separator: " | ") + " |"]
    lines.append("|" + String(repeating: "---|", count: results.count))
    func factor(_ name: String, _ value: (SizeResult) -> Double) {
      let cells = zip(results, results.dropFirst()).map { String(format: "%.1f×", value($1) / max(value($0), 1e-9)) }
      lines.append("| \(name) | " + cells.joined(separator: " | ") + " |")
    }
    factor("papers") { Double($0.papers) }
    factor("start to first screen (linear at most)") { $0.startMs }
    factor("slowest search keystroke, median (linear at most)") { $0.session.searchMedianMs }
    factor("slowest key, median (constant)") { $0.slowestKey.median }
    factor("saving after a status change (constant)") { $0.session.saveMedianMs }
    factor("bytes per save (constant)") { Double($0.session.saveBytes) }
    factor("peak memory (linear)") { Double($0.session.peakRSSBytes) }
    factor("BibTeX import time (linear)") { $0.importSeconds }
    return lines.joined(separator: "\n")
  }

  func markdown() -> String {
    var text = """
      # Benchmarks

      Written by `swift run -c release quire-bench run` (see README, Benchmarks). Every figure is a median over \
      repeated runs in a release build; each library size is measured in fresh processes.

      """
    text += "\n"
    for (name, value) in machine { text += "- **\(name)**: \(value)\n" }
    text += "\n## Budgets and measurements\n\n" + table() + "\n"
    if let outside {
      text += "\n## Start-up from outside\n\n`scripts/startup-time.sh 100000 9` starts the release binary in tmux and polls the pane "
        + "until the list is on screen (budget 150 ms):\n\n```\n\(outside)\n```\n"
    }
    text += "\n## Growth\n\nHow each cost grows as the library grows tenfold.\n\n" + growth() + "\n"
    let failed = results.flatMap { r in r.checks.filter { !$0.1 }.map { "\(Self.papers(r.papers)) \($0.0)" } }
    text += "\n## Verdict\n\n" + (failed.isEmpty ? "Every budget is met at every size.\n" : "Over budget: \(failed.joined(separator: ", ")).\n")
    return text
  }
}
