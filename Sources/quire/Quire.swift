import ArgumentParser
import Foundation
import QuireModel
import QuireUI

@main
struct Quire: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quire",
    abstract: "A terminal reader for research papers.",
    discussion: """
      With no command, opens the reader on FILE (a reading list), or on the built-in
      reading list. Reading status and tags are saved to
      $XDG_DATA_HOME/quire/state.json (~/.local/share/quire/state.json).
      Keys: keymaps/default.keymap, overridden by $XDG_CONFIG_HOME/quire/keymap.
      """,
    subcommands: [Open.self, List.self, Check.self, Keys.self],
    defaultSubcommand: Open.self
  )
}

/// Options every command that reads the library shares.
struct LibraryOptions: ParsableArguments {
  @Argument(help: "A reading-list file. Without it, the built-in reading list.", completion: .file())
  var file: String?

  @Option(name: .long, help: "The state file (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
  var state: String?

  var environment: [String: String] { ProcessInfo.processInfo.environment }

  var statePath: String { state ?? StateStore.defaultPath(environment: environment) }

  func loadLibrary() throws -> Library {
    guard let file else { return BuiltinLibrary.load() }
    do {
      return try Library.load(readingListAt: file)
    } catch {
      throw QuireFailure(message: "cannot open \(error)")
    }
  }

  func loadState() throws -> ReadingState {
    do {
      return try StateStore(path: statePath).load()
    } catch {
      throw QuireFailure(message: error.description)
    }
  }
}

/// A failure to report as it is, without ArgumentParser's usage text. Messages quote file
/// names and file contents, so they are made safe for the terminal first.
struct QuireFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { TerminalText.sanitized(message) }
}

/// A line on stderr, with anything that could act on the terminal made visible.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((TerminalText.sanitized(message) + "\n").utf8))
}

extension Quire {
  struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open the reader (the default command).")

    @OptionGroup var options: LibraryOptions

    func run() throws {
      let library = try options.loadLibrary()
      let reading = try options.loadState()
      let (keymap, keymapProblems) = KeymapLoader.load(environment: options.environment)
      guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw QuireFailure(message: "the reader needs a terminal; `quire list` prints the library as JSON Lines")
      }
      var session = ReaderSession(
        library: library, reading: reading, keymap: keymap,
        keymapPath: KeymapLoader.userPath(environment: options.environment), problems: keymapProblems,
        store: StateStore(path: options.statePath), environment: options.environment)
      if try !session.run() { throw ExitCode.failure }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the library as JSON Lines: one paper a line, with its status and tags.")

    @OptionGroup var options: LibraryOptions

    func run() throws {
      let library = try options.loadLibrary()
      let reading = try options.loadState()
      for problem in library.diagnostics { printError(problem.description) }
      var out = ""
      for paper in library.papers {
        out += PaperExport.jsonLine(paper, state: reading[paper.id]) + "\n"
        if out.utf8.count > 1 << 16 {
          FileHandle.standardOutput.write(Data(out.utf8))
          out = ""
        }
      }
      FileHandle.standardOutput.write(Data(out.utf8))
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check the reading list, the keymap and the state file; print each problem as file:line: message.")

    @OptionGroup var options: LibraryOptions

    func run() throws {
      let library = try options.loadLibrary()
      var problems = library.diagnostics.map(\.description)
      problems += KeymapLoader.load(environment: options.environment).problems.map(\.description)
      do { _ = try StateStore(path: options.statePath).load() } catch { problems.append(error.description) }
      for problem in problems { print(TerminalText.sanitized(problem)) }
      print("\(library.count) papers; \(problems.isEmpty ? "no problems" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")")")
      if !problems.isEmpty { throw ExitCode(1) }
    }
  }

  struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the key bindings in force, in the keymap file format.")

    func run() throws {
      let (keymap, problems) = KeymapLoader.load(environment: ProcessInfo.processInfo.environment)
      for problem in problems { printError(problem.description) }
      print(keymap.dump(), terminator: "")
    }
  }
}

/// The built-in keymap with the user's file applied on top.
enum KeymapLoader {
  static func userPath(environment: [String: String]) -> String {
    if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/quire/keymap" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/quire/keymap"
  }

  static func load(environment: [String: String]) -> (keymap: Keymap, problems: [Diagnostic]) {
    var keymap = Keymap.builtinDefault
    let path = userPath(environment: environment)
    guard FileManager.default.fileExists(atPath: path) else { return (keymap, []) }
    do {
      let text = try FileText.read(path)
      let problems = keymap.apply(text, file: path)
      return (keymap, problems)
    } catch {
      return (keymap, [Diagnostic(file: path, line: 0, message: "\(error)")])
    }
  }
}
