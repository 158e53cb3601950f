import ArgumentParser
import Foundation
import QuireModel
import QuireUI

// MARK: - quire mark, quire tag

extension Quire {
  struct Mark: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Mark papers read or unread, by id; safe while a reader is open.",
      discussion: """
        IDs are as `quire list` prints them ("id"); a unique beginning of one will do. An id that names no paper, or more than one, changes nothing and exits 1. Marking read records the time. A reader open in another terminal shows the change within a few seconds. Examples:
          quire mark 3f2a9c0d11b4e7a8 --read
          quire mark 3f2a 9c01 --unread
          quire list --count is:unread
        """)

    @Argument(
      help: "Paper ids as `quire list` prints them, or unique beginnings of them.",
      completion: .custom { _, _, prefix in StateCompletions.ids(startingWith: prefix) })
    var ids: [String]

    @Flag var status: StatusChoice

    @OptionGroup var target: StateTarget

    func run() throws {
      let papers = try target.resolve(ids)
      let now = Date()
      let outcome = try target.change(papers) { entry in
        let before = entry.status
        entry.setStatus(status.readStatus, at: now)
        return before != entry.status
      }
      let word = status.readStatus.rawValue
      var line = "marked \(Plural.papers(outcome.changed)) \(word)"
      if outcome.unchanged > 0 { line += "; \(outcome.unchanged) already \(outcome.unchanged == 1 ? "was" : "were")" }
      print(line)
    }
  }

  struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add (+name) and remove (-name) tags on papers, by id; safe while a reader is open.",
      discussion: """
        IDs are as `quire list` prints them; a unique beginning of one will do. Tags are written as in the reader ("deep learning" becomes deep-learning). An id that names no paper, or more than one, changes nothing and exits 1. Examples:
          quire tag 3f2a9c0d11b4e7a8 +gan +to-read
          quire tag 3f2a 9c01 -to-read +done
        """)

    // Unrecognised arguments are the ids and tags, so that `-name` needs no `--`.
    @Argument(
      parsing: .allUnrecognized,
      help: ArgumentHelp("Paper ids, +name to add a tag and -name to remove one, in any order.", valueName: "id|+tag|-tag"),
      completion: .custom { _, _, prefix in StateCompletions.tagWords(startingWith: prefix) })
    var words: [String] = []

    @OptionGroup var target: StateTarget

    func validate() throws {
      let parsed = try TagArguments(words)
      if parsed.ids.isEmpty { throw ValidationError("expected at least one paper id (as `quire list` prints them)") }
      if parsed.edits.isEmpty { throw ValidationError("expected at least one +name to add or -name to remove") }
    }

    func run() throws {
      let parsed = try TagArguments(words)
      let papers = try target.resolve(parsed.ids)
      var counts = [Int](repeating: 0, count: parsed.edits.count)
      let outcome = try target.change(papers) { entry in
        let before = entry.tags
        for (number, edit) in parsed.edits.enumerated() {
          let had = entry.tags.contains(edit.tag)
          if edit.adds && !had {
            entry.tags.append(edit.tag)
            counts[number] += 1
          } else if !edit.adds && had {
            entry.tags.removeAll { $0 == edit.tag }
            counts[number] += 1
          }
        }
        return entry.tags != before
      }
      for (edit, count) in zip(parsed.edits, counts) {
        let others = papers.count - count
        let line: String
        switch (edit.adds, count, others) {
        case (true, 0, _): line = "+\(edit.tag): \(others == 1 ? "the paper" : "all \(others) papers") had it already"
        case (true, _, 0): line = "+\(edit.tag): added to \(Plural.papers(count))"
        case (true, _, _): line = "+\(edit.tag): added to \(Plural.papers(count)); \(others) had it already"
        case (false, 0, _): line = "-\(edit.tag): \(others == 1 ? "the paper did not have it" : "none of the \(others) papers had it")"
        case (false, _, 0): line = "-\(edit.tag): removed from \(Plural.papers(count))"
        case (false, _, _): line = "-\(edit.tag): removed from \(Plural.papers(count)); \(others) did not have it"
        }
        print(TerminalText.sanitized(line))
      }
      if outcome.changed == 0 { print("nothing changed") }
    }
  }
}

/// `--read` or `--unread`.
enum StatusChoice: String, EnumerableFlag {
  case read
  case unread

  var readStatus: ReadStatus { self == .read ? .read : .unread }

  static func help(for value: StatusChoice) -> ArgumentHelp? {
    value == .read ? "Mark them read, recording the time." : "Mark them unread."
  }
}

enum Plural {
  static func papers(_ count: Int) -> String { "\(count) paper\(count == 1 ? "" : "s")" }
}

/// `quire tag`'s words: ids, and `+name`/`-name` in the order given.
struct TagArguments {
  struct Edit: Equatable {
    var tag: String
    var adds: Bool
  }

  var ids: [String] = []
  var edits: [Edit] = []

  init(_ words: [String]) throws {
    for word in words where word != "--" {
      guard let sign = word.first, sign == "+" || sign == "-" else {
        ids.append(word)
        continue
      }
      if word.hasPrefix("--") { throw ValidationError("unknown option '\(word)'") }
      let tag = ReadingState.normalizeTag(String(word.dropFirst()))
      guard !tag.isEmpty else { throw ValidationError("'\(word)': expected a tag name after \(sign)") }
      let edit = Edit(tag: tag, adds: sign == "+")
      // The last word about a tag decides, as it would typed one after the other.
      edits.removeAll { $0.tag == tag }
      edits.append(edit)
    }
  }
}

/// Which library the ids name and which state file the change goes to, and the change itself.
struct StateTarget: ParsableArguments {
  @Option(name: .long, help: "Look the ids up in this file (any format `quire import` reads) instead of the built-in list plus everything imported.", completion: .file())
  var file: String?

  @Option(name: .long, help: "The state file (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
  var state: String?

  var environment: [String: String] { ProcessInfo.processInfo.environment }

  /// The papers the words name, each once, in the order named; an unknown or ambiguous id
  /// is an error that names it, before anything is changed.
  func resolve(_ words: [String]) throws -> [PaperID] {
    try PaperLookup.find(words, in: LibraryOptions.loadLibrary(file: file, environment: environment))
  }

  /// Changes the papers' states and saves them the way a reader saves: under the state's
  /// lock, appended to the journal and merged with whatever another process saved since,
  /// so an open reader keeps its own changes and takes these in.
  func change(_ papers: [PaperID], _ edit: (inout PaperState) -> Bool) throws -> (changed: Int, unchanged: Int) {
    let store = StateStore(path: state ?? StateStore.defaultPath(environment: environment))
    let loaded = try LibraryOptions.loadState(path: store.path)
    var reading = loaded.state
    let now = Stamp.now(on: try LibraryOptions.device(environment: environment))
    var changed: [PaperID] = []
    for id in papers {
      var entry = reading[id]
      if edit(&entry) {
        reading.record(entry, of: id, at: now)
        changed.append(id)
      }
    }
    guard !changed.isEmpty else { return (0, papers.count) }
    let writer = StateWriter(store: store, loaded: loaded.mark)
    do {
      let merged = try writer.save(reading, changed: changed)
      writer.foldOnFinish(reading.adopting(merged), changed: [])
    } catch {
      throw QuireFailure(message: error.description)
    }
    return (changed.count, papers.count - changed.count)
  }
}

/// Papers named on the command line by their ids (`quire mark`, `quire tag`, `quire note`).
enum PaperLookup {
  /// The papers the words name, each once, in the order named; an unknown or ambiguous id
  /// is an error that names it, before anything is changed.
  static func find(_ words: [String], in library: Library) throws -> [PaperID] {
    let resolver = PaperIDResolver(ids: (0..<library.count).map(library.id(at:)))
    var found: [PaperID] = []
    var problems: [String] = []
    for word in words {
      switch resolver.resolve(word) {
      case .found(let id): if !found.contains(id) { found.append(id) }
      case .unknown: problems.append("no paper has the id '\(word)' in \(library.name) (ids are as `quire list` prints them)")
      case .ambiguous(let ids):
        let shown = ids.prefix(4).map(\.rawValue).joined(separator: ", ")
        problems.append("\(word) begins \(ids.count) papers' ids (\(shown)\(ids.count > 4 ? ", …" : "")); give more of it")
      }
    }
    guard problems.isEmpty else {
      throw QuireFailure(message: problems.joined(separator: "\n") + "\nnothing changed")
    }
    return found
  }
}
