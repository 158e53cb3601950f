/// The editor the user asked for, as a shell command: `$VISUAL`, else `$EDITOR`, else `vi`,
/// as mutt, git and tig choose. The command may carry arguments (`vim -u NONE`, `code -w`),
/// so it is run by `/bin/sh -c`, with the file to edit handed over as `$1`, never pasted
/// into the command text.
public struct EditorCommand: Equatable, Sendable {
  /// As the user wrote it.
  public let command: String

  public init(environment: [String: String]) {
    let chosen = [environment["VISUAL"], environment["EDITOR"]].lazy.compactMap { $0 }
      .first { !$0.allSatisfy(\.isWhitespace) }
    command = chosen ?? "vi"
  }

  /// The `/bin/sh -c` script: the command with the file as its last argument.
  public var script: String { command + " \"$1\"" }

  /// The program's name, for messages.
  public var name: String { ShellWords.program(of: command) }
}

/// How to open a link: each entry of `$BROWSER` in turn (a colon-separated list, as the
/// common convention has it), else `xdg-open`.
public struct BrowserCommand: Equatable, Sendable {
  /// One entry, as the user wrote it.
  public let command: String

  public init(command: String) { self.command = command }

  public static func candidates(environment: [String: String]) -> [BrowserCommand] {
    let entries = (environment["BROWSER"] ?? "").split(separator: ":").map(String.init)
      .filter { !$0.allSatisfy(\.isWhitespace) }
    return entries.isEmpty ? [BrowserCommand(command: "xdg-open")] : entries.map(BrowserCommand.init)
  }

  /// The `/bin/sh -c` script that runs the entry on the URL given as `$1`. Where the entry
  /// says `%s` the URL goes there (a quoted `'%s'` or `"%s"` included, so the quotes the
  /// user wrote do not keep `$1` from being expanded), `%%` is a `%`, and an entry without
  /// `%s` gets the URL as its last argument. The URL itself is never part of the script, so
  /// nothing in it (`$(…)`, `;`, quotes) is ever read by the shell.
  public var script: String {
    let characters = Array(command)
    var out = ""
    var placed = false
    var index = 0
    while index < characters.count {
      let rest = characters[index...]
      if rest.starts(with: ["'", "%", "s", "'"]) || rest.starts(with: ["\"", "%", "s", "\""]) {
        out += "\"$1\""
        placed = true
        index += 4
      } else if rest.starts(with: ["%", "s"]) {
        out += "\"$1\""
        placed = true
        index += 2
      } else if rest.starts(with: ["%", "%"]) {
        out += "%"
        index += 2
      } else {
        out.append(characters[index])
        index += 1
      }
    }
    return placed ? out : out + " \"$1\""
  }

  /// The program's name, for messages.
  public var name: String { ShellWords.program(of: command) }
}

/// Just enough of shell word splitting to name a program in a message.
enum ShellWords {
  /// The program a command line runs, by the last part of its path, for a status line that
  /// has little room ("'/opt/My Editor/bin/ed' -w" → "ed").
  static func program(of command: String) -> String {
    let word = first(of: command)
    let name = word.split(separator: "/").last.map(String.init) ?? word
    return name.isEmpty ? word : name
  }

  /// The first word of a command line, without its quotes ("'/opt/My Editor/bin/ed' -w" →
  /// "/opt/My Editor/bin/ed").
  static func first(of command: String) -> String {
    var word = ""
    var quote: Character?
    for character in command.drop(while: \.isWhitespace) {
      if let open = quote {
        if character == open { quote = nil } else { word.append(character) }
      } else if character == "'" || character == "\"" {
        quote = character
      } else if character.isWhitespace {
        break
      } else {
        word.append(character)
      }
    }
    return word.isEmpty ? command : word
  }
}
