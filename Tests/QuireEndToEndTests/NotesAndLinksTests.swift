import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Notes in an editor and links in a browser, with both replaced by shell scripts that
/// record what they were given, and the clipboard read back from tmux.
@Suite(
  "Notes and links in a terminal", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct NotesAndLinksTests {
  /// An executable shell script in the scratch folder. Written by a shell of its own: a
  /// file this process had open for writing could be inherited, open, by a child another
  /// test is starting at that moment, and running the script would then fail with "text
  /// file busy".
  @discardableResult
  func script(_ scratch: Scratch, _ name: String, _ body: String) async throws -> String {
    let path = scratch.path(name)
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let result = try await Run.process("/bin/sh", ["-c", "printf '%s\\n' \"$1\" > \"$0\" && chmod 755 \"$0\"", path, "#!/bin/sh\n" + body])
    guard result.status == 0 else { throw E2EFailure("cannot write the script \(path): \(result)") }
    return path
  }

  /// The built-in list's papers as `quire list` prints them: ids in order.
  func builtinIDs(_ scratch: Scratch) async throws -> [String] {
    let list = try await scratch.runQuire(["list"])
    return try list.stdoutLines.map { try #require(jsonObject($0)["id"] as? String) }
  }

  /// The note `quire list` reports for a paper, read from the saved state.
  func savedNote(_ scratch: Scratch, _ id: String) async throws -> String? {
    let list = try await scratch.runQuire(["list", "id:\(id)"])
    let line = try #require(list.stdoutLines.first, "no paper \(id): \(list)")
    return try jsonObject(line)["note"] as? String
  }

  /// Checks that C-l repaints exactly what is on screen, all but the status line.
  func expectSameAfterRedraw(_ tmux: TmuxSession, _ before: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let panes = { (screen: String) in screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast(2) }
    try await tmux.press("C-l")
    let after = try await tmux.waitForScreen("the message gone after C-l") { $0 != before }
    #expect(panes(after) == panes(before), "before:\n\(before)\nafter:\n\(after)", sourceLocation: sourceLocation)
  }

  // MARK: - Notes

  @Test func anEditorScriptAddsToTheNoteAndTheReaderComesBackWhole() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await builtinIDs(scratch)
    let temporary = scratch.path("tmp")
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    // A path with a space and an argument: the command goes through the shell as written.
    let editor = try await script(scratch, "my editor/append.sh", """
      file="$2"
      printf '%s|' "$#" "$1" > \(shellQuote(scratch.path("editor-args")))
      stat -c '%a %n' "$file" > \(shellQuote(scratch.path("editor-file")))
      cat "$file" > \(shellQuote(scratch.path("editor-saw")))
      echo "appended by the editor" >> "$file"
      # Something on the terminal that the reader must paint over when it comes back.
      echo EDITOR-WAS-HERE
      """)
    let (tmux, run) = try await startQuire(
      scratch, environment: ["VISUAL": shellQuote(editor) + " --flag", "EDITOR": "false", "TMPDIR": temporary])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("j", "e")
    let back = try await tmux.waitForScreen(containing: "note added")
    #expect(back.contains("note: appended by the editor"))
    #expect(!back.contains("EDITOR-WAS-HERE"))
    #expect(back.contains("┌ Papers"))
    #expect(statusLine(back).contains("2/13"))
    // Painted whole: what a forced redraw paints is what is there already (but the status
    // line, where the key's message gives way to the hints).
    try await expectSameAfterRedraw(tmux, back)

    #expect(scratch.read(scratch.path("editor-args")) == "2|--flag|")
    let file = try #require(scratch.read(scratch.path("editor-file")))
    #expect(file.hasPrefix("600 \(temporary)/quire-note-\(ids[1])-"), "\(file)")
    #expect(file.hasSuffix(".md\n"), "\(file)")
    #expect(scratch.read(scratch.path("editor-saw")) == "")
    // Removed once read back.
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)

    // Again: the note comes in as it is and goes out with one more line, shown under a heading.
    try await tmux.press("e")
    let twice = try await tmux.waitForScreen(containing: "note saved")
    #expect(scratch.read(scratch.path("editor-saw")) == "appended by the editor\n")
    let lines = twice.split(separator: "\n").map(String.init)
    let heading = try #require(lines.firstIndex { $0.contains("│ note:") }, "\(twice)")
    #expect(lines[heading + 1].contains("│   appended by the editor"))
    #expect(lines[heading + 2].contains("│   appended by the editor"))

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    // In state.json itself, once the reader has folded its journal in on quitting.
    let state = try jsonObject(try #require(scratch.read(scratch.statePath)))
    let papers = try #require(state["papers"] as? [String: Any])
    let entry = try #require(papers[ids[1]] as? [String: Any], "\(state)")
    #expect(entry["note"] as? String == "appended by the editor\nappended by the editor")
  }

  @Test func ctrlCAndAResizeWhileTheEditorRunsLeaveTheReaderWorking() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let started = scratch.path("editor-started")
    let finish = scratch.path("editor-may-finish")
    // Like vim, the editor takes Ctrl-C itself and goes on.
    let editor = try await script(scratch, "slow.sh", """
      trap 'echo interrupted >> "$1"' INT
      touch \(shellQuote(started))
      while [ ! -e \(shellQuote(finish)) ]; do sleep 0.05; done
      echo "written after the resize" >> "$1"
      """)
    let (tmux, run) = try await startQuire(scratch, environment: ["VISUAL": editor])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("e")
    _ = try await waitUntil("the editor to start") { FileManager.default.fileExists(atPath: started) ? true : nil }
    try await tmux.press("C-c")
    try await tmux.resize(cols: 80, rows: 24)
    try await Task.sleep(for: .milliseconds(200))
    try scratch.write(finish, "")
    let back = try await tmux.waitForScreen(containing: "note added")
    let lines = back.split(separator: "\n", omittingEmptySubsequences: false)
    // Drawn for the new size: 80 columns, the status line on row 24.
    #expect(lines.prefix(24).allSatisfy { displayWidth(String($0)) <= 80 })
    #expect(statusLine(back).hasPrefix(" 1/13"))
    #expect(lines.count >= 24 && statusLine(back) == String(lines[23]))
    #expect(back.contains("interrupted"))
    #expect(back.contains("written after the resize"))
    try await expectSameAfterRedraw(tmux, back)
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func aHostileNoteIsShownInert() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let editor = try await script(scratch, "hostile.sh", #"printf 'title \033]2;PWNED-NOTE\007 clear \033[2J bell \007 end\n' > "$1""#)
    let (tmux, run) = try await startQuire(scratch, cols: 160, environment: ["VISUAL": editor])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    let title = try await tmux.display("#{pane_title}")
    try await tmux.press("e")
    let shown = try await tmux.waitForScreen(containing: "note added")
    #expect(shown.contains("note: title ␛]2;PWNED-NOTE␇ clear ␛[2J bell ␇ end"))
    #expect(try await tmux.display("#{pane_title}") == title)
    #expect(shown.contains("┌ Papers"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    // Kept as text, escapes and all: only drawing makes them inert.
    let ids = try await builtinIDs(scratch)
    #expect(try await savedNote(scratch, ids[0]) == "title \u{1B}]2;PWNED-NOTE\u{07} clear \u{1B}[2J bell \u{07} end")
  }

  @Test func aFailingEditorKeepsTheNoteAndSaysWhy() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await builtinIDs(scratch)
    try scratch.write(scratch.statePath, """
      {"format": "quire-state", "version": 1, "papers": {"\(ids[0])": {"status": "unread", "tags": [], "note": "keep me"}}}
      """)
    let editor = try await script(scratch, "fail.sh", "echo 'scribbled' > \"$1\"\nexit 3")
    let (tmux, run) = try await startQuire(scratch, cols: 140, environment: ["VISUAL": editor])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "note: keep me")
    try await tmux.press("e")
    let failed = try await tmux.waitForScreen(containing: "exited with status 3")
    #expect(statusLine(failed).contains("the editor 'fail.sh' exited with status 3; note kept as it was"))
    #expect(failed.contains("note: keep me"))
    #expect(!failed.contains("scribbled"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    #expect(try await savedNote(scratch, ids[0]) == "keep me")
  }

  @Test func anEditorThatCannotBeStartedIsNamed() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 140, environment: ["EDITOR": "/nonexistent/editor -w"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("e")
    let failed = try await tmux.waitForScreen(containing: "could not be started")
    #expect(statusLine(failed).contains("the editor 'editor' could not be started (set $VISUAL or $EDITOR)"))
    #expect(failed.contains("┌ Papers"))
    #expect(!failed.contains("not found"))  // the shell's complaint was painted over
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    #expect(scratch.read(scratch.statePath) == nil)  // nothing changed, nothing saved
  }

  @Test func quireNoteBesideAnOpenReader() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await builtinIDs(scratch)
    let (tmux, run) = try await startQuire(scratch)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    // A change of the reader's own, saved, to be merged with the note rather than lost.
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")

    let editor = try await script(scratch, "write.sh", "printf 'from the command line\\n\\n' >> \"$1\"")
    var environment = scratch.environment
    environment["EDITOR"] = editor
    let result = try await Run.process(scratch.quire, ["note", ids[0]], environment: environment)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == "note saved for \(ids[0])\n")

    let merged = try await tmux.waitForScreen(containing: "changed by another quire, merged", timeout: .seconds(8))
    #expect(merged.contains("note: from the command line"))
    // The same file again, unchanged: nothing to save.
    let again = try await Run.process(scratch.quire, ["note", String(ids[0].prefix(10))], environment: scratch.environment.merging(["EDITOR": "true"]) { $1 })
    #expect(again.stdout == "note unchanged\n", "\(again)")

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    let list = try await scratch.runQuire(["list", "id:\(ids[0])"])
    let paper = try jsonObject(try #require(list.stdoutLines.first))
    #expect(paper["note"] as? String == "from the command line")
    #expect(paper["status"] as? String == "read")
  }

  @Test func quireNoteRefusesAnUnknownID() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let result = try await Run.process(scratch.quire, ["note", "zzzz"], environment: scratch.environment.merging(["EDITOR": "true"]) { $1 })
    #expect(result.status != 0)
    #expect(result.stderr.contains("no paper has the id 'zzzz'"), "\(result)")
    #expect(result.stderr.contains("quire list"))
    #expect(scratch.read(scratch.statePath) == nil)
  }

  // MARK: - Links

  /// Papers with one kind of link each, as a JSON Lines file.
  func linkFile(_ scratch: Scratch, hostileURL: String) throws -> String {
    let hostile = String(decoding: try JSONSerialization.data(withJSONObject: hostileURL, options: .fragmentsAllowed), as: UTF8.self)
    return try scratch.write("links.jsonl", """
      {"title": "Only a DOI", "doi": "10.1063/1.4944470"}
      {"title": "Only an arXiv id", "arxiv": "1703.00573"}
      {"title": "Hostile link", "links": [{"label": "evil", "url": \(hostile)}, {"label": "b", "url": "https://b.example/"}]}
      {"title": "Labels only", "links": [{"label": "[PDF]"}, {"label": "Code"}]}

      """)
  }

  @Test func aBrowserScriptGetsTheExactURL() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let pwned = scratch.path("pwned")
    let hostileURL = "https://example.com/a;touch${IFS}\(pwned)-1;$(touch \(pwned)-2)`touch${IFS}\(pwned)-3`'\"x"
    let file = try linkFile(scratch, hostileURL: hostileURL)
    let record = scratch.path("browser-got")
    let browser = try await script(scratch, "browser.sh", "printf '%s\\n' \"$#\" \"$@\" > \(shellQuote(record))")
    // The first entry cannot be started; the second is used, with the URL where %s is.
    let (tmux, run) = try await startQuire(scratch, [file], environment: ["BROWSER": "no-such-browser:\(browser) --new %s"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/4")

    try await tmux.press("o")
    try await tmux.waitForScreen(containing: "opening https://doi.org/10.1063/1.4944470")
    #expect(try await waitUntil("the browser's record") { scratch.read(record) } == "2\n--new\nhttps://doi.org/10.1063/1.4944470\n")
    unlink(record)

    try await tmux.press("j", "o")
    try await tmux.waitForScreen(containing: "opening https://arxiv.org/abs/1703.00573")
    #expect(try await waitUntil("the browser's record") { scratch.read(record) } == "2\n--new\nhttps://arxiv.org/abs/1703.00573\n")
    unlink(record)

    try await tmux.press("j", "o")
    try await tmux.waitForScreen(containing: "opening https://example.com/a;touch${IFS}")
    let got = try await waitUntil("the browser's record") { scratch.read(record) }
    // One argument, exactly the link (its one space written %20); nothing in it ran.
    #expect(got == "2\n--new\n\(hostileURL.replacingOccurrences(of: " ", with: "%20"))\n")
    for n in 1...3 { #expect(!FileManager.default.fileExists(atPath: "\(pwned)-\(n)")) }

    try await tmux.press("j", "o")
    let labels = try await tmux.waitForScreen(containing: "only link labels")
    #expect(statusLine(labels).contains("this paper has only link labels ([PDF], Code), no URL"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func aBrowserThatFailsIsReported() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = try linkFile(scratch, hostileURL: "https://a.example/")
    let browser = try await script(scratch, "broken.sh", "exit 4")
    let (tmux, run) = try await startQuire(scratch, [file], environment: ["BROWSER": browser])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/4")
    try await tmux.press("o")
    let failed = try await tmux.waitForScreen(containing: "exited with status 4")
    #expect(statusLine(failed).contains("the browser 'broken.sh' exited with status 4"))
    #expect(failed.contains("┌ Papers"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  /// tmux with `set-clipboard on` takes an application's OSC 52 into a paste buffer, which
  /// `show-buffer` prints: what the terminal was asked to copy, exactly.
  @Test func copyingByOSC52OnlyWhenTheConfigSaysSo() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = try linkFile(scratch, hostileURL: "https://a.example/")

    do {
      // Wide enough for the whole message.
      let (tmux, run) = try await startQuire(scratch, [file], cols: 160, name: "off")
      defer { tmux.kill() }
      try await tmux.run(["set-option", "-g", "set-clipboard", "on"])
      try await tmux.waitForScreen(containing: "1/4")
      try await tmux.press("y")
      let shown = try await tmux.waitForScreen(containing: "link: https://doi.org/10.1063/1.4944470")
      #expect(statusLine(shown).contains("not copied: add clipboard osc52 to the config (? shows where)"))
      try await Task.sleep(for: .milliseconds(300))
      #expect(try await tmux.run(["list-buffers"]).stdout == "")
      try await tmux.press("q")
      try await expectCleanExit(tmux, run, status: 0)
    }

    try scratch.write(scratch.configPath, "clipboard osc52\n")
    let (tmux, run) = try await startQuire(scratch, [file], name: "on")
    defer { tmux.kill() }
    try await tmux.run(["set-option", "-g", "set-clipboard", "on"])
    try await tmux.waitForScreen(containing: "1/4")
    try await tmux.press("j", "y")
    let copied = try await tmux.waitForScreen(containing: "· copied")
    #expect(statusLine(copied).contains("link: https://arxiv.org/abs/1703.00573 · copied"))
    let buffer = try await waitUntil("tmux to hold the copied link") { () -> String? in
      let result = try await tmux.run(["show-buffer"])
      return result.status == 0 ? result.stdout : nil
    }
    #expect(buffer == "https://arxiv.org/abs/1703.00573")
    // The screen was not disturbed by the escape.
    try await expectSameAfterRedraw(tmux, copied)
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }

  @Test func quireCheckReportsABadClipboardLine() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.write(scratch.configPath, "clipboard always\n")
    let result = try await scratch.runQuire(["check"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("\(scratch.configPath):1:11: expected osc52 or off after clipboard; found 'always'"), "\(result)")
  }
}
