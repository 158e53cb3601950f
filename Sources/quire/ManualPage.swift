import ArgumentParser
import Foundation
import QuireModel

// MARK: - The command tree, as ArgumentParser describes it

/// The part of ArgumentParser's description of a command (`--experimental-dump-help`) that
/// a manual page needs. Read from its JSON, so that the page is made from the same
/// definitions as `--help` and the shell completions, and can never fall behind them.
struct CommandDescription: Decodable {
  var commandName: String
  var abstract: String?
  var discussion: String?
  var shouldDisplay: Bool?
  var subcommands: [CommandDescription]?
  var arguments: [ArgumentDescription]?

  var isShown: Bool { shouldDisplay ?? true }
  var shownArguments: [ArgumentDescription] { (arguments ?? []).filter(\.isShown) }
  var shownSubcommands: [CommandDescription] { (subcommands ?? []).filter(\.isShown) }
}

struct ArgumentDescription: Decodable {
  struct Name: Decodable {
    var kind: String
    var name: String

    /// `--state`, `-o`.
    var spelled: String { kind == "short" || kind == "longWithSingleDash" ? "-" + name : "--" + name }
  }

  var kind: String
  var names: [Name]?
  var valueName: String?
  var abstract: String?
  var discussion: String?
  var defaultValue: String?
  var isOptional: Bool
  var isRepeating: Bool
  var shouldDisplay: Bool
  var allValues: [String]?

  var isShown: Bool { shouldDisplay }
  var isPositional: Bool { kind == "positional" }

  /// `--sort <sort>`, `-o, --output <output>`, `<files> ...`.
  var spelled: String {
    let value = valueName.map { "<\($0)>" } ?? ""
    if isPositional { return value + (isRepeating ? " ..." : "") }
    let spelledNames = (names ?? []).sorted { $0.kind == "short" && $1.kind != "short" }.map(\.spelled).joined(separator: ", ")
    return kind == "option" ? spelledNames + " " + value : spelledNames
  }

  /// As the usage line writes it: `[--limit <limit>]`.
  var synopsis: String {
    let preferred = isPositional ? spelled : ((names ?? []).first { $0.kind == "long" } ?? names?.first).map { name in
      name.spelled + (kind == "option" ? " <\(valueName ?? name.name)>" : "")
    } ?? spelled
    return isOptional ? "[\(preferred)]" : preferred
  }
}

// MARK: - The page

/// quire(1) in roff's man macros, made from the command tree: NAME, SYNOPSIS,
/// DESCRIPTION, the top command's options, every subcommand with its arguments and
/// options, FILES and ENVIRONMENT. The text is kept to ASCII, with roff's escapes for the
/// rest, so that any troff renders it without complaint.
enum ManualPage {
  static func render(_ root: CommandDescription, date: Date, version: String? = nil) -> String {
    var page = Roff()
    let day = PublishedDateText.iso(date)
    page.request("TH", ["QUIRE", "1", day, "quire" + (version.map { " " + $0 } ?? ""), "User Commands"])
    page.request("SH", ["NAME"])
    page.text("\(root.commandName) \\- " + Roff.escape(root.abstract ?? ""), escaped: true)

    page.request("SH", ["SYNOPSIS"])
    page.synopsis(root.commandName, root)
    for command in root.shownSubcommands { page.synopsis(root.commandName + " " + command.commandName, command) }

    page.request("SH", ["DESCRIPTION"])
    page.prose(root.discussion ?? root.abstract ?? "")

    if !root.shownArguments.isEmpty {
      page.request("SH", ["OPTIONS"])
      page.arguments(root.shownArguments)
    }

    page.request("SH", ["COMMANDS"])
    for command in root.shownSubcommands {
      page.subcommand(root.commandName, command)
    }

    page.request("SH", ["FILES"])
    for (path, meaning) in files {
      page.request("TP", [])
      page.text(Roff.font("I", path), escaped: true)
      page.prose(meaning)
    }

    page.request("SH", ["ENVIRONMENT"])
    for (name, meaning) in environment {
      page.request("TP", [])
      page.text(Roff.font("B", name), escaped: true)
      page.prose(meaning)
    }

    page.request("SH", ["SEE ALSO"])
    page.prose("The README that comes with quire is its full manual: the reader's keys, the query language, the config and keymap files, and the state file's format.")
    return page.output
  }

  static let files: [(String, String)] = [
    ("$XDG_DATA_HOME/quire/state.json", "Reading state: each paper's status, tags, note, the title you gave it and when you read it, one paper per line. Defaults to ~/.local/share/quire/state.json."),
    ("$XDG_DATA_HOME/quire/state.json.journal", "Changes saved since state.json was last written whole; folded into it now and then."),
    ("$XDG_DATA_HOME/quire/state.json.lock", "Held for a few milliseconds while a quire (the reader, quire import, quire mark, quire tag) reads or writes the state."),
    ("$XDG_DATA_HOME/quire/library.jsonl", "Imported and fetched papers, one JSON object per line."),
    ("$XDG_DATA_HOME/quire/fetch.json", "What the last fetch brought and when each source was asked."),
    ("$XDG_CONFIG_HOME/quire/config", "Settings and subscriptions. Defaults to ~/.config/quire/config."),
    ("$XDG_CONFIG_HOME/quire/keymap", "Key bindings over the built-in keymap (quire keys prints those in force)."),
    ("$XDG_STATE_HOME/quire/session.json", "Where the reader was: filter, selection and sort. Defaults to ~/.local/state/quire/session.json."),
    ("$XDG_CACHE_HOME/quire", "The search index, made again whenever it is missing or stale. Defaults to ~/.cache/quire."),
  ]

  static let environment: [(String, String)] = [
    ("XDG_DATA_HOME", "Where the state, the library and the fetch log are kept."),
    ("XDG_CONFIG_HOME", "Where the config and the keymap are read from."),
    ("XDG_STATE_HOME", "Where the reader's session is kept."),
    ("XDG_CACHE_HOME", "Where the search index is kept."),
    ("HOME", "The base of the defaults above when a variable is unset or not an absolute path."),
    ("TERM", "The terminal the reader draws for."),
    ("NO_COLOR", "When set, the reader draws without colour."),
  ]
}

/// "2026-11-30": the page's date, in UTC.
enum PublishedDateText {
  static func iso(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
  }
}

// MARK: - Writing roff

/// A man page as it is written, request by request.
struct Roff {
  private(set) var output = ""

  /// `.TH "QUIRE" "1" …`: every argument quoted, so spaces stay inside it.
  mutating func request(_ name: String, _ arguments: [String]) {
    output += "." + name + arguments.map { " \"" + Self.escape($0).replacingOccurrences(of: "\"", with: "\\(dq") + "\"" }.joined() + "\n"
  }

  /// A line of text; `escaped` when it carries roff escapes already.
  mutating func text(_ line: String, escaped: Bool = false) {
    let body = escaped ? line : Self.escape(line)
    // A line starting with a dot or a quote would be read as a request.
    output += (body.hasPrefix(".") || body.hasPrefix("'") ? "\\&" : "") + body + "\n"
  }

  /// Help text: paragraphs split at blank lines and line breaks; lines indented by two
  /// spaces or more (the examples) kept as they are, in a block of their own.
  mutating func prose(_ source: String) {
    var inExample = false
    for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      let isExample = line.hasPrefix("  ")
      if isExample != inExample {
        if isExample {
          request("RS", ["4"])
          request("nf", [])
        } else {
          request("fi", [])
          request("RE", [])
        }
        inExample = isExample
      }
      if isExample {
        text(String(line.drop { $0 == " " }))
      } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
        request("PP", [])
      } else {
        text(line)
      }
    }
    if inExample {
      request("fi", [])
      request("RE", [])
    }
  }

  mutating func synopsis(_ name: String, _ command: CommandDescription) {
    request("SY", [name])
    if !command.shownSubcommands.isEmpty { text("[\\fIcommand\\fR]", escaped: true) }
    for argument in command.shownArguments where !Self.isHelp(argument) {
      text(Self.escape(argument.synopsis), escaped: true)
    }
    request("YS", [])
  }

  mutating func arguments(_ arguments: [ArgumentDescription]) {
    for argument in arguments {
      request("TP", [])
      text(Self.font("B", argument.spelled), escaped: true)
      var help = argument.abstract ?? ""
      if let values = argument.allValues, !values.isEmpty, !help.contains(values[0]) {
        help += (help.isEmpty ? "" : " ") + "One of: " + values.joined(separator: ", ") + "."
      }
      if let value = argument.defaultValue, !value.isEmpty, argument.kind == "option" {
        help += (help.isEmpty ? "" : " ") + "Default: \(value)."
      }
      prose(help)
      if let discussion = argument.discussion, !discussion.isEmpty { prose(discussion) }
    }
  }

  mutating func subcommand(_ parent: String, _ command: CommandDescription) {
    request("SS", [parent + " " + command.commandName])
    prose(command.abstract ?? "")
    if let discussion = command.discussion, !discussion.isEmpty {
      request("PP", [])
      prose(discussion)
    }
    let shown = command.shownArguments
    if !shown.isEmpty {
      request("RS", ["4"])
      arguments(shown)
      request("RE", [])
    }
    for nested in command.shownSubcommands { subcommand(parent + " " + command.commandName, nested) }
  }

  static func isHelp(_ argument: ArgumentDescription) -> Bool {
    argument.names?.contains { $0.name == "help" } ?? false
  }

  /// Bold or italic text, back to the regular font after.
  static func font(_ font: String, _ text: String) -> String { "\\f" + font + escape(text) + "\\fR" }

  /// Text safe in roff, in ASCII: backslashes and hyphens escaped (a bare `-` may be set as
  /// a hyphen, which breaks copying options from the page), typographic characters as
  /// roff's names for them, anything else as its code point.
  static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\e"
      case "-": out += "\\-"
      case "\u{2014}": out += "\\(em"
      case "\u{2013}": out += "\\(en"
      case "\u{201C}": out += "\\(lq"
      case "\u{201D}": out += "\\(rq"
      case "\u{2018}": out += "\\(oq"
      case "\u{2019}": out += "\\(cq"
      case "\u{2026}": out += "..."
      case "\u{2192}": out += "\\(->"
      case "\u{00A0}": out += "\\ "
      case "\t": out += " "
      default:
        if scalar.isASCII && (scalar.value >= 0x20 && scalar.value < 0x7F) {
          out.unicodeScalars.append(scalar)
        } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
          continue  // control characters have no business in a page
        } else {
          out += String(format: "\\[u%04X]", scalar.value)
        }
      }
    }
    return out
  }
}

// MARK: - quire generate-manual

extension Quire {
  struct GenerateManual: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "generate-manual",
      abstract: "Print quire's manual page (quire.1, in roff) made from its command definitions.",
      shouldDisplay: false)

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file())
    var output: String?

    func run() throws {
      let description: CommandDescription
      do {
        description = try JSONDecoder().decode(ManualRoot.self, from: Data(Quire._dumpHelp().utf8)).command
      } catch {
        throw QuireFailure(message: "quire: cannot read the command definitions: \(error)")
      }
      // SOURCE_DATE_EPOCH, where set, makes the page the same on every build.
      let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init)
      let page = ManualPage.render(description, date: epoch.map(Date.init(timeIntervalSince1970:)) ?? Date())
      guard let output else {
        print(page, terminator: "")
        return
      }
      do { try DurableFile.replace(path: output, with: Data(page.utf8)) } catch { throw QuireFailure(message: error.description) }
    }
  }
}

/// The top of ArgumentParser's description: `{"serializationVersion": 0, "command": {…}}`.
struct ManualRoot: Decodable {
  var command: CommandDescription
}
