import ArgumentParser
import Foundation
import QuireModel
import QuireUI

// MARK: - quire merge, quire merge-driver

extension Quire {
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Merge other copies of the reading state into this one: another machine's, a sync tool's conflict file.",
      discussion: """
        Paper by paper and field by field the newer change wins: every change in a state file carries when it was made and on which device. Tags merge one by one, and a tag removed stays removed unless it was added again later. A note edited in both copies keeps both versions, each marked with its device and time, until you edit the note again. Prints what changed and what conflicted; with --dry-run writes nothing. A reader open meanwhile takes the merge in. Examples:
          quire merge ~/Sync/quire/state.sync-conflict-20261129-234705-7QKZ3GD.json
          quire merge --dry-run /mnt/laptop/home/me/.local/share/quire/state.json
        """)

    @Argument(help: "State files to merge in (any quire's state.json).", completion: .file(extensions: ["json"]))
    var others: [String]

    @Flag(help: "Say what would change, and write nothing.")
    var dryRun = false

    @Option(name: .long, help: "The state file to merge into (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
    var state: String?

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let store = StateStore(path: state ?? StateStore.defaultPath(environment: environment))
      let copies = try others.map { path in (path, try StateFiles.loadOther(path, into: store.path)) }
      var reports: [(String, StateMergeReport)] = []
      func mergeAll(into reading: inout ReadingState) {
        reports = copies.map { path, other in
          var report = StateMergeReport()
          reading.merge(other, reporting: &report)
          return (path, report)
        }
      }
      if dryRun {
        var reading = try LibraryOptions.loadState(path: store.path).state
        mergeAll(into: &reading)
      } else {
        do {
          // Under the state's lock, read with what an open reader journalled, written whole:
          // the reader finds state.json replaced and merges it with its own.
          try store.update { reading in
            let before = reading
            mergeAll(into: &reading)
            return reading != before
          }
        } catch {
          throw QuireFailure(message: error.description)
        }
      }
      let titles = try? LibraryLoader.load(file: nil, environment: environment)
      for (path, report) in reports {
        print(TerminalText.sanitized(MergeReportText.lines(report, from: path, titles: titles).joined(separator: "\n")))
      }
      let total = reports.reduce(into: StateMergeReport()) { total, next in
        total.papers += next.1.papers
        total.olderKept += next.1.olderKept
      }
      print(TerminalText.sanitized(MergeReportText.summary(total, dryRun: dryRun, statePath: store.path)))
    }
  }

  struct MergeDriver: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge-driver",
      abstract: "Merge two versions of state.json for git, without conflict markers.",
      discussion: """
        Git runs it as `quire merge-driver %O %A %B` and takes the result from %A. %O, the common ancestor, is not needed: the changes' stamps say which is newer. A file quire cannot read leaves the merge to you (exit 1). Set it up once per repository:
          echo 'state.json merge=quire' >> .gitattributes
          git config merge.quire.name 'quire reading state'
          git config merge.quire.driver 'quire merge-driver %O %A %B'
        """)

    @Argument(help: "The common ancestor's version (%O); not read.", completion: .file())
    var ancestor: String

    @Argument(help: "This branch's version (%A); the merge is written here.", completion: .file())
    var current: String

    @Argument(help: "The other branch's version (%B).", completion: .file())
    var other: String

    func run() throws {
      var reading: ReadingState
      let theirs: ReadingState
      do {
        reading = try StateFiles.loadCopy(current)
        theirs = try StateFiles.loadCopy(other)
      } catch {
        throw QuireFailure(message: "\(error); left for you to merge by hand")
      }
      var report = StateMergeReport()
      reading.merge(theirs, reporting: &report)
      do {
        try DurableFile.replace(path: current, with: StateStore.encode(reading))
      } catch {
        throw QuireFailure(message: error.description)
      }
      // Git shows what a driver prints: a line, on stderr, so that nothing mistakes it for data.
      let conflicts = report.conflicts.count
      var line = "quire: merged the reading state: \(Plural.papers(report.papers.count)) changed"
      if conflicts > 0 { line += ", \(conflicts) note\(conflicts == 1 ? "" : "s") kept in both versions" }
      printError(line)
    }
  }
}

/// Reading other copies of the state: whole, as they are, never created.
enum StateFiles {
  /// A copy that must exist: a missing file is a mistyped name, not an empty state.
  static func loadCopy(_ path: String) throws(StateStore.LoadError) -> ReadingState {
    guard FileManager.default.fileExists(atPath: path) else {
      throw StateStore.LoadError(path: path, reason: "does not exist")
    }
    return try StateStore(path: path).load()
  }

  /// Another copy to merge into the state at `statePath`; the state itself is refused, as
  /// merging it would do nothing and naming it is surely a slip.
  static func loadOther(_ path: String, into statePath: String) throws -> ReadingState {
    let target = URL(fileURLWithPath: statePath).resolvingSymlinksInPath().path
    if URL(fileURLWithPath: path).resolvingSymlinksInPath().path == target {
      throw QuireFailure(message: "\(path) is the state being merged into; name another copy")
    }
    do {
      return try loadCopy(path)
    } catch {
      throw QuireFailure(message: error.description)
    }
  }
}

/// What `quire merge` prints.
enum MergeReportText {
  /// A line per paper changed, with its title when the library has the paper.
  static func lines(_ report: StateMergeReport, from path: String, titles: Library?) -> [String] {
    var lines = ["from \(path):"]
    if report.papers.isEmpty { lines.append("  nothing new") }
    for paper in report.papers {
      let title = titles?[paper.id].map { " · " + Self.shortened($0.displayTitle) } ?? ""
      var said = paper.changes
      if let devices = paper.conflict {
        // The conflict says what happened to the note.
        said.removeAll { $0.hasPrefix("note") }
        said.append("conflict: the note was edited apart on \(devices.joined(separator: " and ")), both versions kept")
      }
      lines.append("  \(paper.id.rawValue)  \(said.joined(separator: ", "))\(title)")
    }
    return lines
  }

  static func shortened(_ title: String) -> String {
    title.count <= 60 ? title : String(title.prefix(59)) + "…"
  }

  static func summary(_ total: StateMergeReport, dryRun: Bool, statePath: String) -> String {
    let conflicts = total.conflicts.count
    var line = "\(Plural.papers(total.papers.count)) changed, \(conflicts) conflict\(conflicts == 1 ? "" : "s")"
    if total.olderKept > 0 {
      line += "; \(total.olderKept) older value\(total.olderKept == 1 ? "" : "s") not taken"
    }
    return line + (dryRun ? "; nothing written (--dry-run)" : total.papers.isEmpty ? "" : "; saved to \(statePath)")
  }
}
