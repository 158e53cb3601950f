import Foundation
import Testing

/// One command of the tree ArgumentParser describes (`quire --experimental-dump-help`),
/// read here on its own rather than through the generator, so that a command or option the
/// generator leaves out is caught.
struct DescribedCommand {
  var path: [String]
  var options: [String]
  var positionals: [String]
  var subcommands: [DescribedCommand]

  init(_ object: [String: Any], parent: [String] = []) {
    path = parent + [(object["commandName"] as? String) ?? "?"]
    options = []
    positionals = []
    for argument in object["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
      if argument["kind"] as? String == "positional" {
        positionals.append(argument["valueName"] as? String ?? "?")
        continue
      }
      for name in argument["names"] as? [[String: Any]] ?? [] {
        let text = name["name"] as? String ?? "?"
        options.append(name["kind"] as? String == "short" ? "-" + text : "--" + text)
      }
    }
    subcommands = (object["subcommands"] as? [[String: Any]] ?? [])
      .filter { $0["shouldDisplay"] as? Bool ?? true }
      .map { DescribedCommand($0, parent: parent + [(object["commandName"] as? String) ?? "?"]) }
  }

  var all: [DescribedCommand] { [self] + subcommands.flatMap(\.all) }

  static func load(_ scratch: Scratch) async throws -> DescribedCommand {
    let dump = try await scratch.runQuire(["--experimental-dump-help"])
    #expect(dump.status == 0, "\(dump)")
    let root = try jsonObject(dump.stdout)
    return DescribedCommand(try #require(root["command"] as? [String: Any]))
  }
}

/// A program on the PATH, or nil.
func installed(_ name: String) -> String? {
  for folder in ["/usr/local/bin", "/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
    return folder + "/" + name
  }
  return nil
}

@Suite("Manual page and shell completions", .timeLimit(.minutes(1)))
struct ManualAndCompletionTests {
  /// How roff writes an option: every hyphen escaped.
  static func roff(_ text: String) -> String { text.replacingOccurrences(of: "-", with: "\\-") }

  @Test func theManualNamesEveryCommandAndOption() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let tree = try await DescribedCommand.load(scratch)
    #expect(tree.subcommands.map { $0.path.last! }.contains("mark"))
    #expect(tree.subcommands.map { $0.path.last! }.contains("tag"))
    #expect(!tree.subcommands.contains { $0.path.last == "generate-manual" }, "the generator itself is hidden")

    let result = try await scratch.runQuire(["generate-manual"])
    #expect(result.status == 0, "\(result)")
    let page = result.stdout
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "FILES", "ENVIRONMENT"] {
      #expect(page.contains(".SH \"\(section)\"\n"), "no \(section) section")
    }
    for command in tree.all {
      let name = command.path.joined(separator: " ")
      if command.path.count > 1 {
        // A heading of its own, and a synopsis.
        #expect(page.contains(".SS \"\(Self.roff(name))\"\n"), "no section for \(name)")
        #expect(page.contains(".SY \"\(Self.roff(name))\"\n"), "no synopsis for \(name)")
      }
      let described = Self.describedNames(in: Self.section(of: name, in: page))
      for option in command.options {
        #expect(described.contains(Self.roff(option)), "\(name): \(option) is not described")
      }
      for positional in command.positionals {
        #expect(described.contains("<\(Self.roff(positional))>"), "\(name): <\(positional)> is not described")
      }
    }
    #expect(page.contains("state.json") && page.contains("XDG_DATA_HOME") && page.contains("NO_COLOR"))
    let ascii = page.unicodeScalars.allSatisfy { $0.isASCII }
    #expect(ascii, "roff escapes stand for everything else")
    #expect(!page.split(separator: "\n").contains { $0.hasPrefix("'") }, "no line may start as a request by accident")

    let file = scratch.path("quire.1")
    let written = try await scratch.runQuire(["generate-manual", "--output", file])
    #expect(written.status == 0, "\(written)")
    #expect(scratch.read(file) == page)
  }

  /// The names a section describes: the words of each term (the line after `.TP`), as in
  /// `\fB\-o, \-\-output <output>\fR`.
  static func describedNames(in section: String) -> Set<String> {
    let lines = section.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var names: Set<String> = []
    for (index, line) in lines.enumerated() where index > 0 && lines[index - 1] == ".TP" {
      let plain = line.replacingOccurrences(of: "\\fB", with: "").replacingOccurrences(of: "\\fR", with: "")
      for word in plain.split(whereSeparator: { $0 == " " || $0 == "," }) { names.insert(String(word)) }
    }
    return names
  }

  /// The part of the page about one command: its .SS section, or up to COMMANDS for the top.
  static func section(of name: String, in page: String) -> String {
    let heading = name.contains(" ") ? ".SS \"\(roff(name))\"\n" : ".SH \"OPTIONS\"\n"
    guard let start = page.range(of: heading) else { return "" }
    let rest = page[start.upperBound...]
    let end = rest.range(of: "\n.SS \"")?.lowerBound ?? rest.range(of: "\n.SH ")?.lowerBound ?? rest.endIndex
    return String(rest[..<end])
  }

  @Test(.enabled(if: installed("groff") != nil, "groff is not installed"))
  func theManualRendersWithoutWarnings() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = scratch.path("quire.1")
    #expect(try await scratch.runQuire(["generate-manual", "--output", file]).status == 0)
    let check = try await Run.process(try #require(installed("groff")), ["-man", "-Tutf8", "-ww", "-z", file])
    #expect(check.status == 0 && check.stderr.isEmpty, "\(check)")
    let rendered = try await Run.process(
      try #require(installed("groff")), ["-man", "-Tutf8", "-P-c", "-P-b", "-P-u", file], environment: ["LANG": "C.UTF-8"])
    #expect(rendered.stderr.isEmpty, "\(rendered)")
    #expect(rendered.stdout.contains("quire mark"), "\(rendered.stdout.prefix(400))")
    #expect(rendered.stdout.contains("--unread"))
    if let man = installed("man") {
      let viewed = try await Run.process(man, ["--warnings", "-l", file], environment: ["MANPAGER": "cat", "PAGER": "cat", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"])
      #expect(viewed.status == 0 && viewed.stderr.isEmpty, "\(viewed)")
    }
  }

  @Test(.enabled(if: installed("bash") != nil, "bash is not installed"))
  func bashCompletesEveryCommandAndOption() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let tree = try await DescribedCommand.load(scratch)
    let lines = ["quire "] + tree.subcommands.map { "quire \($0.path.last!) -" }
    let answers = try await Self.bashCompletions(lines, scratch: scratch)
    let top = try #require(answers["quire "], "\(answers)")
    for command in tree.subcommands {
      let name = command.path.last!
      #expect(top.contains(name), "quire <Tab> does not offer \(name)")
      let offered = try #require(answers["quire \(name) -"], "\(answers)")
      for option in command.options where option.hasPrefix("--") {
        #expect(offered.contains(option), "quire \(name) -<Tab> does not offer \(option): \(offered.sorted())")
      }
    }
  }

  /// What bash offers on Tab at the end of each line, with quire's script loaded.
  static func bashCompletions(_ lines: [String], scratch: Scratch) async throws -> [String: Set<String>] {
    let script = try await scratch.runQuire(["--generate-completion-script", "bash"])
    #expect(script.status == 0, "\(script)")
    let file = try scratch.write("quire.bash", script.stdout)
    let driver = """
      source \(shellQuote(file))
      while IFS= read -r line; do
        read -r -a COMP_WORDS <<< "$line"
        [[ "$line" == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$line"; COMP_POINT=${#line}; COMPREPLY=()
        _quire quire "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
        echo "$line => ${COMPREPLY[*]}"
      done
      """
    let driverFile = try scratch.write("driver.bash", driver)
    let input = try scratch.write("input", lines.joined(separator: "\n") + "\n")
    var environment = scratch.environment
    // The script runs quire itself to complete ids and tags.
    environment["PATH"] = (scratch.quire as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
    let result = try await Run.process(
      try #require(installed("bash")), ["-c", "bash \(shellQuote(driverFile)) < \(shellQuote(input))"], environment: environment)
    #expect(result.status == 0, "\(result)")
    return Dictionary(uniqueKeysWithValues: result.stdoutLines.compactMap { line -> (String, Set<String>)? in
      let parts = line.components(separatedBy: " => ")
      return parts.count == 2 ? (parts[0], Set(parts[1].split(separator: " ").map(String.init))) : nil
    })
  }

  @Test(.enabled(if: installed("bash") != nil, "bash is not installed"))
  func bashCompletesPaperIDsAndTags() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    #expect(try await scratch.runQuire(["tag", ids[0], "+theory", "+to-read"]).status == 0)
    let first = String(ids[1].prefix(1))
    let answers = try await Self.bashCompletions(
      ["quire mark \(first)", "quire mark \(ids[2])", "quire tag \(ids[3]) +", "quire tag \(ids[3]) -th"], scratch: scratch)
    #expect(answers["quire mark \(first)"] == Set(ids.filter { $0.hasPrefix(first) }), "\(answers)")
    #expect(answers["quire mark \(ids[2])"] == [ids[2]], "\(answers)")
    #expect(answers["quire tag \(ids[3]) +"] == ["+theory", "+to-read"], "\(answers)")
    #expect(answers["quire tag \(ids[3]) -th"] == ["-theory"], "\(answers)")
  }

  @Test(arguments: ["zsh", "fish"])
  func zshAndFishScriptsNameEveryCommandAndOption(shell: String) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let tree = try await DescribedCommand.load(scratch)
    let script = try await scratch.runQuire(["--generate-completion-script", shell])
    #expect(script.status == 0, "\(script)")
    for command in tree.subcommands {
      #expect(script.stdout.contains(command.path.last!), "\(shell): no \(command.path.last!)")
      for option in command.options where option.hasPrefix("--") {
        #expect(script.stdout.contains(String(option.dropFirst(2))), "\(shell): no \(option) for \(command.path.last!)")
      }
    }
    // Checked by the shell itself where it is installed.
    if let program = installed(shell) {
      let file = try scratch.write("quire." + shell, script.stdout)
      let check = try await Run.process(program, ["-n", file])
      #expect(check.status == 0 && check.stderr.isEmpty, "\(check)")
    }
  }
}
