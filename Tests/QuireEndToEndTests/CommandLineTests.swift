import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// quire run as a plain program, no terminal: state-file checks, `check`, `list`, and the
/// binary on its own.
@Suite("Command line", .timeLimit(.minutes(1)))
struct CommandLineTests {
  @Test func builtBinaryIsNextToTheTests() throws {
    let path = try QuireBinary.require()
    #expect(FileManager.default.isExecutableFile(atPath: path))
  }

  struct BadState: Sendable, CustomTestStringConvertible {
    var name: String
    var contents: String
    var reason: String
    var testDescription: String { name }
  }

  @Test(arguments: [
    BadState(name: "not JSON", contents: "{ this is not json", reason: "not valid JSON"),
    BadState(
      name: "version 99", contents: "{\"format\": \"quire-state\", \"version\": 99, \"papers\": {}}\n",
      reason: "version 99"),
  ])
  func unreadableStateFileIsRefusedAndKept(_ bad: BadState) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let path = try scratch.write(scratch.statePath, bad.contents)
    let original = try Data(contentsOf: URL(fileURLWithPath: path))

    // The reader checks the state before it needs a terminal.
    for arguments in [[], ["list"]] {
      let result = try await scratch.runQuire(arguments)
      #expect(result.status != 0, "quire \(arguments) should fail: \(result)")
      #expect(result.stderr.contains(path), "stderr should name the file: \(result)")
      #expect(result.stderr.contains(bad.reason), "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
    }
    let check = try await scratch.runQuire(["check"])
    #expect(check.status == 1, "\(check)")
    #expect(check.stdout.contains(path))

    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original, "the state file was changed")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.dataHome + "/quire")
    #expect(leftovers == ["state.json"])
  }

  @Test func checkAndListReportMalformedReadingList() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = try scratch.write("list.md", MalformedList.text)

    let check = try await scratch.runQuire(["check", file])
    #expect(check.status == 1, "\(check)")
    let problems = check.stdoutLines.filter { $0.hasPrefix(file + ":") }
    let numbers = problems.compactMap { line in
      Int(line.dropFirst(file.count + 1).prefix { $0.isNumber })
    }
    #expect(problems.count == check.stdoutLines.count - 1, "every line but the summary is file:line: …\n\(check)")
    #expect(Set(numbers) == [7, 9], "\(check)")
    #expect(problems.contains { $0.hasPrefix("\(file):7:1: ") && $0.contains("bogus") }, "\(check)")
    #expect(problems.contains { $0.hasPrefix("\(file):9:14: ") && $0.contains("not a date") }, "\(check)")
    #expect(check.stdoutLines.last?.hasPrefix("2 papers; \(problems.count) problems") == true, "\(check)")

    let list = try await scratch.runQuire(["list", "--file", file])
    #expect(list.status == 0, "\(list)")
    #expect(list.stdoutLines.count == 2, "\(list)")
    let papers = try list.stdoutLines.map { try jsonObject($0) }
    #expect(papers.first?["authors"] as? [String] == ["Ada Lovelace", "Charles Babbage"])
    #expect(papers.first?["year"] as? Int == 1843)
    #expect(papers.first?["published"] as? String == "2017-11-01")
    #expect(papers.last?["title"] as? String == "Good Title")
    #expect(papers.last?["untitled"] as? Bool == false)
    // The problems go to stderr, so stdout stays JSON Lines.
    #expect(list.stderr.contains("\(file):7:"))
  }

  @Test func messagesNeverCarryEscapeSequencesToTheTerminal() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // A hostile file: its text is quoted back in the problems quire reports.
    let file = try scratch.write(
      "inject.txt", "- Published: \u{1b}]0;PWNED\u{07}x\n\u{1b}[2J\u{9b}31m stray\n- Paper added: ok\n")
    for arguments in [["check", file], ["list", "--file", file]] {
      let result = try await scratch.runQuire(arguments)
      let output = result.stdout + result.stderr
      #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B }, "\(result)")
      #expect(output.contains("␛]0;PWNED␇"), "\(result)")
    }
    // JSON Lines escape what they carry, too.
    let list = try await scratch.runQuire(["list", "--file", file])
    #expect(list.stdoutLines.count == 1)
  }

  @Test func unknownTerminalTypeIsReportedNotFatal() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, environment: ["TERM": "no-such-terminal"])
    defer { tmux.kill() }
    #expect(try await run.exitStatus() == 1)
    let screen = try await tmux.waitForScreen(containing: "quire exited")
    #expect(screen.contains("unknown terminal type 'no-such-terminal'"), "\(screen)")
  }

  @Test func importAddsPapersOnceAndTheReaderOpensThem() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let bib = try scratch.write("refs.txt", #"""
      @string{icml = "Proceedings of ICML"}
      @inproceedings{arora2017,
        title = {Generalization and Equilibrium in {G}enerative {A}dversarial Nets},
        author = {Arora, Sanjeev and Ge, Rong},
        booktitle = icml, year = 2017,
      }
      @article{broken, title = {Unclosed
      @article{erdos, title = {Random Graphs}, author = {Erd{\H{o}}s, P{\'a}l}, year = 1959}

      """#)
    let ris = try scratch.write("more.ris", "TY  - JOUR\nTI  - Random graphs\nAU  - Erdős, Pál\nPY  - 1959\nER  - \n")
    let first = try await scratch.runQuire(["import", bib, ris])
    #expect(first.status == 0, "\(first)")
    #expect(first.stdout.contains("refs.txt (bibtex): 2 entries: 2 added, 0 already in the library, 1 skipped (reasons and places above)"), "\(first)")
    #expect(first.stdout.contains("more.ris (ris): 1 entries: 0 added, 1 already in the library"), "\(first)")
    #expect(first.stderr.contains("\(bib):7:"), "the broken entry is named by line: \(first)")
    #expect(!first.stderr.contains("\r"), "no progress bar when standard error is not a terminal")

    let list = try await scratch.runQuire(["list"])
    #expect(list.stdoutLines.count == 15, "\(list)")
    let titles = try list.stdoutLines.map { try jsonObject($0)["title"] as? String }
    #expect(titles.contains("Random Graphs"))
    #expect(list.stdout.contains("Pál Erdős"))

    // Again: nothing new, nothing doubled.
    let again = try await scratch.runQuire(["import", bib])
    #expect(again.stdout.contains("2 entries: 0 added, 2 already in the library"), "\(again)")
    #expect(try await scratch.runQuire(["list"]).stdoutLines.count == 15)

    // Standard input, named "-".
    let piped = try await Run.process(
      "/bin/sh", ["-c", "exec \"$0\" import - < \"$1\"", scratch.quire, ris], environment: scratch.environment)
    #expect(piped.stdout.contains("<stdin> (ris): 1 entries: 0 added, 1 already in the library"), "\(piped)")

    // A file that is not text changes nothing and fails.
    let store = scratch.dataHome + "/quire/library.jsonl"
    let before = scratch.read(store)
    let binary = try scratch.write("image.bib", "GIF89a\u{0}\u{0}")
    let refused = try await scratch.runQuire(["import", binary])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("not a text file"), "\(refused)")
    #expect(scratch.read(store) == before)

    let (tmux, run) = try await startQuire(scratch, cols: 120)
    defer { tmux.kill() }
    let screen = try await tmux.waitForScreen(containing: "1/15")
    #expect(screen.contains("built-in list + 2 imported"), "header: \(screen.prefix(120))")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func exportWritesWhatTheFilterPicks() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // Two papers with state: the second read and tagged.
    let list = try await scratch.runQuire(["list"])
    let ids = try list.stdoutLines.prefix(2).map { try #require(jsonObject($0)["id"] as? String) }
    _ = try scratch.write(scratch.statePath, """
      {"format": "quire-state", "version": 1, "papers": {
        "\(ids[1])": {"status": "read", "tags": ["theory"]}
      }}
      """)
    let out = scratch.path("out/read.bib")
    let result = try await scratch.runQuire(["export", "--format", "bibtex", "--read", "--output", out])
    #expect(result.status == 0, "\(result)")
    #expect(result.stderr.contains("wrote 1 papers"), "\(result)")
    let text = try #require(scratch.read(out))
    #expect(text.components(separatedBy: "@article{").count == 2)
    #expect(text.contains("quire-id = {\(ids[1])}"))
    #expect(text.contains("keywords = {theory}"))

    let tagged = try await scratch.runQuire(["export", "--format", "jsonl", "--tag", "theory"])
    #expect(tagged.stdoutLines.count == 1)
    let unread = try await scratch.runQuire(["export", "--format", "markdown", "--unread"])
    #expect(unread.stdout.contains("## To read (12)"), "\(unread)")
  }

  @Test func statusAndTagsTravelWithAJSONLinesExportButNeverOverwrite() async throws {
    let laptop = try Scratch()
    defer { laptop.remove() }
    let desktop = try Scratch()
    defer { desktop.remove() }
    let ids = try await laptop.runQuire(["list"]).stdoutLines.prefix(2).map { try #require(jsonObject($0)["id"] as? String) }
    _ = try laptop.write(laptop.statePath, """
      {"format": "quire-state", "version": 1, "papers": {"\(ids[1])": {"status": "read", "tags": ["theory"]}}}
      """)
    let export = laptop.path("all.jsonl")
    #expect(try await laptop.runQuire(["export", "--format", "jsonl", "-o", export]).status == 0)

    let first = try await desktop.runQuire(["import", export])
    #expect(first.stdout.contains("15 entries: 0 added, 15 already in the library"), "\(first)")
    #expect(first.stdout.contains("status and tags taken for 1 paper"), "\(first)")
    let second = try jsonObject(try #require(try await desktop.runQuire(["list"]).stdoutLines.dropFirst().first))
    #expect(second["status"] as? String == "read")
    #expect(second["tags"] as? [String] == ["theory"])

    // What was done on this machine since is kept.
    _ = try desktop.write(desktop.statePath, """
      {"format": "quire-state", "version": 1, "papers": {"\(ids[1])": {"status": "unread", "tags": ["mine"]}}}
      """)
    let again = try await desktop.runQuire(["import", export])
    #expect(!again.stdout.contains("taken"), "\(again)")
    let kept = try jsonObject(try #require(try await desktop.runQuire(["list"]).stdoutLines.dropFirst().first))
    #expect(kept["tags"] as? [String] == ["mine"])
  }

  static let pandoc = ["/usr/bin/pandoc", "/usr/local/bin/pandoc"].first { FileManager.default.isExecutableFile(atPath: $0) }

  /// A real client reads what quire writes: pandoc turns quire's BibTeX into CSL-JSON and
  /// quire's CSL-JSON into BibTeX with every entry and title intact.
  @Test(.enabled(if: pandoc != nil, "pandoc is not installed"))
  func pandocReadsQuireExports() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let fixture = try scratch.write("odd.bib", #"""
      @article{odd, title = {Costs \& Benefits of 100\% Tildes~and -- Dashes}, author = {Erd{\H{o}}s, P{'a}l},
        journal = {Annals}, year = 1959, doi = {10.1000/xyz}}
      """#)
    #expect(try await scratch.runQuire(["import", fixture]).status == 0)
    let list = try await scratch.runQuire(["list"])
    let titles = try list.stdoutLines.compactMap { line -> String? in
      let paper = try jsonObject(line)
      return paper["untitled"] as? Bool == true ? nil : paper["title"] as? String
    }
    #expect(titles.count == 5)

    let bib = scratch.path("quire.bib")
    let csl = scratch.path("quire.json")
    #expect(try await scratch.runQuire(["export", "--format", "bibtex", "-o", bib]).status == 0)
    #expect(try await scratch.runQuire(["export", "--format", "csl-json", "-o", csl]).status == 0)

    let fromBib = try await Run.process(Self.pandoc!, ["-f", "bibtex", "-t", "csljson", bib], environment: scratch.environment)
    #expect(fromBib.status == 0, "\(fromBib)")
    let items = try #require(try JSONSerialization.jsonObject(with: Data(fromBib.stdout.utf8)) as? [[String: Any]])
    #expect(items.count == 14)
    #expect(Set(items.compactMap { $0["title"] as? String }) == Set(titles))

    let fromCSL = try await Run.process(Self.pandoc!, ["-f", "csljson", "-t", "bibtex", csl], environment: scratch.environment)
    #expect(fromCSL.status == 0, "\(fromCSL)")
    #expect(fromCSL.stdout.components(separatedBy: "\n@").count + (fromCSL.stdout.hasPrefix("@") ? 0 : -1) == 14, "\(fromCSL.stdout.prefix(400))")
    // pandoc protects capitals with braces; with those taken out the title is as it was.
    let bibTitles = fromCSL.stdout.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
    #expect(bibTitles.contains("Costs \\& Benefits of 100\\% Tildes and – Dashes"), "\(fromCSL.stdout.prefix(2000))")
  }

  /// An import killed at any moment leaves the library as it was, or fully updated:
  /// kills spread over the whole run, including its last moments when the file is written.
  @Test func importKilledMidwayLeavesTheLibraryWhole() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let small = try scratch.write("small.bib", "@article{a, title = {First}}\n@article{b, title = {Second}}\n")
    #expect(try await scratch.runQuire(["import", small]).status == 0)
    let store = scratch.dataHome + "/quire/library.jsonl"
    let baseline = try #require(scratch.read(store))
    var big = ""
    for n in 0..<800 {
      big += "@article{k\(n), title = {Generated paper number \(n)}, author = {Doe, Jane and Roe, Rick}, year = 2020,\n"
      big += "  abstract = {" + String(repeating: "words of an abstract ", count: 20) + "}}\n"
    }
    let bigFile = try scratch.write("big.bib", big)

    // How long a whole import takes here, so that kills can land anywhere in it.
    let clock = ContinuousClock()
    let started = clock.now
    #expect(try await scratch.runQuire(["import", bigFile]).status == 0)
    let whole = clock.now - started

    var outcomes: [Int] = []
    for fraction in [0.05, 0.5, 0.9, 0.97, 0.99, 1.5] {
      _ = try scratch.write(store, baseline)
      let spawned = try Run.spawn(scratch.quire, ["import", bigFile], environment: scratch.environment, directory: nil)
      // Past the end means after the import ended by itself, however long it took this time:
      // a loaded machine can take longer than 1.5 times the run measured above.
      if fraction <= 1 {
        try await Task.sleep(for: whole * fraction)
        kill(spawned.pid, SIGKILL)
      }
      var status: Int32 = 0
      while waitpid(spawned.pid, &status, 0) < 0 && errno == EINTR {}
      let list = try await scratch.runQuire(["list"])
      #expect(list.status == 0, "after a kill at \(fraction) of the run the library must still read: \(list.stderr)")
      outcomes.append(list.stdoutLines.count)
      for name in try FileManager.default.contentsOfDirectory(atPath: scratch.dataHome + "/quire") where name.contains(".tmp-") {
        try? FileManager.default.removeItem(atPath: scratch.dataHome + "/quire/" + name)
      }
    }
    // Before (13 built-in + 2) or after (+ 800): never anything in between.
    #expect(Set(outcomes).isSubset(of: [15, 815]), "\(outcomes)")
    #expect(outcomes.first == 15, "the earliest kill must leave the library as before: \(outcomes)")
    #expect(outcomes.last == 815, "a kill after the end changes nothing: \(outcomes)")
  }

  @Test func binaryWorksWhenCopiedAnywhere() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let folder = scratch.path("somewhere/else/bin")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let copy = folder + "/quire"
    try copyExecutable(from: scratch.quire, to: copy)
    let unrelated = scratch.path("unrelated")
    try FileManager.default.createDirectory(atPath: unrelated, withIntermediateDirectories: true)

    // As ./quire from its own folder, and by path from an unrelated one.
    let here = try await Run.process(
      "/bin/sh", ["-c", "./quire list"], environment: scratch.environment, directory: folder)
    let there = try await Run.process(copy, ["list"], environment: scratch.environment, directory: unrelated)
    for result in [here, there] {
      #expect(result.status == 0, "\(result)")
      #expect(result.stdoutLines.count == 13, "\(result)")
      #expect(result.stdoutLines.allSatisfy { (try? jsonObject($0)) != nil })
    }
    #expect(here.stdout == there.stdout)
  }
}

/// Copies a file with a descriptor no concurrently spawned child can inherit: a copy still
/// open for writing in some other test's child cannot be executed ("Text file busy").
func copyExecutable(from source: String, to destination: String) throws {
  let data = try Data(contentsOf: URL(fileURLWithPath: source))
  let fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
  guard fd >= 0 else { throw E2EFailure("cannot create \(destination): \(String(cString: strerror(errno)))") }
  defer { close(fd) }
  try data.withUnsafeBytes { buffer in
    var offset = 0
    while offset < buffer.count {
      let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw E2EFailure("cannot write \(destination): \(String(cString: strerror(errno)))") }
      offset += n
    }
  }
}

/// A suite of its own for its time limit: the import takes a second alone, but far longer
/// while the other end-to-end tests load both cores.
@Suite("Import progress on a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"), .timeLimit(.minutes(3)))
struct ImportProgressTests {
  /// On a terminal a long import shows how far it is, then clears the line for the summary.
  @Test func longImportShowsProgressOnATerminal() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // The line shows once reading has taken 0.3 s, and reading is done on both cores: with
    // 6,000 entries (or 24,000) it could be over sooner and the line never shown. Reading
    // these takes about a second.
    var big = ""
    for n in 0..<60_000 {
      big += "@article{k\(n), title = {Generated paper {\\'e} number \(n)}, author = {Doe, Jane}, year = 2020,\n"
      big += "  abstract = {" + String(repeating: "words of an {\\\"o}bstract ", count: 20) + "}}\n"
    }
    let file = try scratch.write("big.bib", big)
    let session = try await TmuxSession.start(
      cols: 120, rows: 10, command: "\(scratch.envPrefix(extra: [:])) \(shellQuote(scratch.quire)) import \(shellQuote(file)); sleep 200")
    defer { session.kill() }
    let during = try await session.waitForScreen(containing: "entries read", timeout: .seconds(80))
    #expect(during.contains("%"))
    #expect(during.contains("left"))
    let after = try await session.waitForScreen(containing: "60000 entries: 60000 added", timeout: .seconds(120))
    #expect(!after.contains("entries read"), "the progress line is cleared:\n\(after)")
  }
}
