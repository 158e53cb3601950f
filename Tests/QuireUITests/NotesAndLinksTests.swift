import QuireModel
import Testing

@testable import QuireUI

/// A library of papers made for the link and note tests, one per case.
private func linkLibrary() -> Library {
  func paper(_ title: String, links: [PaperLink] = [], doi: String? = nil, arxiv: String? = nil) -> Listing {
    var listing = Listing(title: title, links: links, abstract: "About \(title).", source: SourceLocation(file: "links.txt", line: 1))
    listing.doi = doi
    listing.arxiv = arxiv
    return listing
  }
  return Library(name: "links", listings: [
    paper("With a URL", links: [PaperLink(label: "PDF"), PaperLink(label: "site", url: "https://example.org/paper")], doi: "10.1000/xyz"),
    paper("Three addresses", links: [
      PaperLink(label: "one", url: "https://one.example/a"), PaperLink(label: "two", url: "http://two.example/b"),
    ], doi: "10.1000/three"),
    paper("Only a DOI", doi: "10.1063/1.4944470"),
    paper("Only arXiv", arxiv: "1703.00573"),
    paper("Labels only", links: [PaperLink(label: "PDF"), PaperLink(label: "Code")]),
    paper("Nothing"),
    paper("A DOI link counted once", links: [PaperLink(label: "doi:10.5/x", url: "https://doi.org/10.5/x")], doi: "10.5/x"),
    paper("Not web addresses", links: [
      PaperLink(label: "local", url: "file:///etc/passwd"), PaperLink(label: "ctrl", url: "https://evil.example/\u{1B}]52;c;AAAA\u{07}"),
      PaperLink(label: "relative", url: "paper.pdf"),
    ], arxiv: "hep-th/9901001"),
  ])
}

private func linkState(clipboard: ClipboardSetting = .off) -> AppState {
  var state = makeState(library: linkLibrary())
  state.clipboard = clipboard
  return state
}

@Suite("Update: notes in an editor")
struct NoteEditingTests {
  @Test("e asks for the selected paper's note in the editor, with the note as it is")
  func asksForTheEditor() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[1].id] = PaperState(tags: ["theory"], note: "read §3 again")
    var state = makeState(reading: reading, library: library)
    #expect(state.press(.char("e")) == [.editNote(library[0].id, current: nil)])
    state.press(.char("j"))
    #expect(state.press(.char("e")) == [.editNote(library[1].id, current: "read §3 again")])
    // The viewer has the same key.
    state.press(.enter)
    #expect(state.press(.char("e")) == [.editNote(library[1].id, current: "read §3 again")])
    // Asking changes nothing yet.
    #expect(state.saveStatus == .saved)
    #expect(state.unsaved.isEmpty)
  }

  @Test("with no paper shown, e says so and runs nothing")
  func nothingSelected() {
    var state = makeState()
    state.press(.char("f"))
    state.type("tag:nothing-has-this")
    state.press(.enter)
    #expect(state.shown.isEmpty)
    #expect(state.press(.char("e")) == [])
    #expect(state.message?.text == "no paper to write a note on")
  }

  @Test("the edited note is applied through setState and saved")
  func applied() {
    var state = makeState()
    let id = state.library[2].id
    let effects = Reader.update(&state, .noteEdited(id, before: nil, after: "line one\nline two"))
    #expect(effects == [.save])
    #expect(state.reading[id].note == "line one\nline two")
    #expect(state.unsaved.contains(id))
    #expect(state.reading[id].stamps.note?.device == "here")
    #expect(state.saveStatus == .pending)
    #expect(state.message?.text == "note added")
    // A second edit replaces it; status and tags are kept.
    var tagged = state.reading[id]
    tagged.tags = ["gan"]
    state.setState(tagged, of: id)
    #expect(Reader.update(&state, .noteEdited(id, before: "line one\nline two", after: "shorter")) == [.save])
    #expect(state.reading[id].unstamped == PaperState(tags: ["gan"], note: "shorter"))
    #expect(state.message?.text == "note saved")
  }

  @Test("a file left as it was says note unchanged and saves nothing")
  func unchanged() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[0].id] = PaperState(note: "kept")
    var state = makeState(reading: reading, library: library)
    #expect(Reader.update(&state, .noteEdited(library[0].id, before: "kept", after: "kept")) == [])
    #expect(state.message?.text == "note unchanged")
    #expect(state.saveStatus == .saved)
    #expect(state.unsaved.isEmpty)
    #expect(Reader.update(&state, .noteEdited(library[1].id, before: nil, after: nil)) == [])
    #expect(state.message?.text == "note unchanged")
    #expect(state.reading[library[1].id].isUntouched)
  }

  @Test("an emptied file removes the note")
  func emptied() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[0].id] = PaperState(note: "to go")
    var state = makeState(reading: reading, library: library)
    #expect(Reader.update(&state, .noteEdited(library[0].id, before: "to go", after: nil)) == [.save])
    #expect(state.reading[library[0].id].note == nil)
    #expect(state.reading[library[0].id].unstamped.isUntouched)  // nothing else was set: untouched again
    #expect(state.reading[library[0].id].stamps.note != nil)  // the removal is kept, for merging
    #expect(state.message?.text == "note removed")
  }

  @Test("a failed editor leaves the note as it was and says why")
  func failed() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[0].id] = PaperState(note: "safe")
    var state = makeState(reading: reading, library: library)
    state.press(.char("e"))
    let why = "the editor 'vim' exited with status 1; note kept as it was"
    #expect(Reader.update(&state, .problem(why)) == [])
    #expect(state.message == .error(why))
    #expect(state.reading[library[0].id].note == "safe")
    #expect(state.saveStatus == .saved)
  }

  @Test("an unchanged file does not undo a change another quire made to the note meanwhile")
  func changedElsewhereMeanwhile() {
    var state = makeState()
    let id = state.library[0].id
    _ = Reader.update(&state, .changedElsewhere([id: PaperState(note: "from the other terminal")]))
    #expect(Reader.update(&state, .noteEdited(id, before: nil, after: nil)) == [])
    #expect(state.reading[id].note == "from the other terminal")
  }

  @Test("the tidy note: trailing newlines and blanks go, CRLF becomes LF, white space alone is no note")
  func normalized() {
    #expect(NoteText.normalized("first\nsecond\n\n\n") == "first\nsecond")
    #expect(NoteText.normalized("  indented\r\nkept  \r\n") == "  indented\nkept")
    #expect(NoteText.normalized("") == nil)
    #expect(NoteText.normalized(" \n\t\n") == nil)
    #expect(NoteText.fileContents(nil) == "")
    #expect(NoteText.fileContents("one\ntwo") == "one\ntwo\n")
  }
}

@Suite("Notes in the viewer and in search")
struct NoteDisplayTests {
  @Test("a note of several lines is drawn under a heading, a line each, indented")
  func multiLine() throws {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[0].id] = PaperState(note: "Compare with Cybenko (1989).\n\nCheck the proof of Theorem 1.")
    let state = makeState(rows: 30, cols: 100, reading: reading, library: library)
    let lines = Renderer.render(state).lines.map { line in
      // The viewer's column, without the frame.
      String(line.dropFirst(52).dropLast(1)).replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
    }
    let heading = try #require(lines.firstIndex(of: "note:"))
    #expect(Array(lines[heading...].prefix(4)) == ["note:", "  Compare with Cybenko (1989).", "", "  Check the proof of Theorem 1."])
    #expect(lines[heading - 1].hasPrefix("status: unread"))
  }

  @Test("a long note line wraps inside its indent; a note of one line stays beside its label")
  func wrapping() throws {
    let long = "This note line is long enough that it must be wrapped at the viewer's width twice over at least."
    let detail = PaperDetail.lines(for: BuiltinLibrary.load()[0], state: PaperState(note: "short\n" + long), width: 40)
    let start = try #require(detail.firstIndex { $0.text == "note:" })
    #expect(detail[start].role == .heading)
    let body = detail[(start + 1)...].prefix { !$0.text.isEmpty }.map(\.text)
    #expect(body.count >= 4)
    #expect(body.allSatisfy { $0.hasPrefix("  ") && TerminalText.width($0) <= 40 })
    #expect(TerminalText.collapseWhitespaceForTest(body.dropFirst().joined(separator: " ")) == long)
    let single = PaperDetail.lines(for: BuiltinLibrary.load()[0], state: PaperState(note: "one line"), width: 40)
    #expect(single.contains(DetailLine(text: "note: one line", role: .tag)))
  }

  @Test("a hostile note is drawn inert, its escapes as visible placeholders")
  func hostile() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    let esc = "\u{1B}"
    reading[library[0].id] = PaperState(
      note: "title \(esc)]0;PWNED\u{07} clip \(esc)]52;c;UFdORUQ=\u{07}\nclear \(esc)[2J bidi \u{202E}abc\u{2028}sep \r cr")
    for (rows, cols) in [(30, 120), (24, 80), (14, 50)] {
      var state = makeState(rows: rows, cols: cols, reading: reading, library: library)
      state.press(.enter)
      let grid = Renderer.render(state)
      HostileTextTests.expectInert(grid, "hostile note at \(cols)×\(rows)")
      if cols == 120 { #expect(grid.text.contains("␛]0;PWNED␇")) }
    }
  }

  @Test("a note is found by note: and by plain words, in every line of it")
  func search() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[3].id] = PaperState(note: "first line\nmentions zeppelins")
    var state = makeState(reading: reading, library: library)
    state.press(.char("f"))
    state.type("note:zeppelin")
    state.press(.enter)
    #expect(state.shown == [3])
    state.press(.char("F"), .char("/"))
    state.type("zeppelins")
    state.press(.enter)
    #expect(state.shown == [3])
    state.press(.char("F"), .char("f"))
    state.type("-note:zeppelin")
    state.press(.enter)
    #expect(state.shown.count == library.count - 1)
  }

  @Test("an edited note is found by search at once")
  func searchAfterEditing() {
    var state = makeState()
    let id = state.library[5].id
    _ = Reader.update(&state, .noteEdited(id, before: nil, after: "quaternions everywhere"))
    state.press(.char("/"))
    state.type("quaternions")
    state.press(.enter)
    #expect(state.shown == [5])
  }
}

@Suite("Update: links")
struct LinkTests {
  @Test("o opens the paper's own URL first, and says so")
  func ownURL() {
    var state = linkState()
    #expect(state.press(.char("o")) == [.openLink("https://example.org/paper")])
    // Its DOI is an address too: the first of two.
    #expect(state.message?.text == "opening https://example.org/paper (1 of 2)")
  }

  @Test("several addresses: the first is opened and the count said")
  func several() {
    var state = linkState()
    state.press(.char("j"))
    #expect(state.press(.char("o")) == [.openLink("https://one.example/a")])
    #expect(state.message?.text == "opening https://one.example/a (1 of 3)")
  }

  @Test("a DOI becomes https://doi.org/…, an arXiv id https://arxiv.org/abs/…")
  func identifiers() {
    var state = linkState()
    state.press(.char("j"), .char("j"))
    #expect(state.press(.char("o")) == [.openLink("https://doi.org/10.1063/1.4944470")])
    #expect(state.message?.text == "opening https://doi.org/10.1063/1.4944470")
    state.press(.char("j"))
    #expect(state.press(.char("o")) == [.openLink("https://arxiv.org/abs/1703.00573")])
  }

  @Test("a paper with only link labels says so and opens nothing")
  func labelsOnly() {
    var state = linkState()
    state.press(.char("j"), .char("j"), .char("j"), .char("j"))
    #expect(state.press(.char("o")) == [])
    #expect(state.message?.text == "this paper has only link labels (PDF, Code), no URL")
    #expect(state.press(.char("y")) == [])
    #expect(state.message?.text == "this paper has only link labels (PDF, Code), no URL")
    state.press(.char("j"))
    #expect(state.press(.char("o")) == [])
    #expect(state.message?.text == "this paper has no link: no URL, DOI or arXiv id")
  }

  @Test("the built-in list's labels are named, as the user's list has them")
  func builtinLabels() {
    var state = makeState()
    #expect(state.press(.char("o")) == [])
    #expect(state.message?.text == "this paper has only link labels (ScienceDirect), no URL")
  }

  @Test("a DOI given as a link and as the DOI is one address, not two")
  func deduplicated() {
    var state = linkState()
    state.select(6)
    #expect(state.press(.char("o")) == [.openLink("https://doi.org/10.5/x")])
    #expect(state.message?.text == "opening https://doi.org/10.5/x")
  }

  @Test("file:, relative and control-character links are never opened; the arXiv id is")
  func notWebAddresses() {
    var state = linkState()
    state.select(7)
    #expect(state.press(.char("o")) == [.openLink("https://arxiv.org/abs/hep-th/9901001")])
    #expect(PaperWebLink.webAddress("https://a.example/x\ny") == nil)
    #expect(PaperWebLink.webAddress("https:///nohost") == nil)
    #expect(PaperWebLink.webAddress("javascript:alert(1)") == nil)
    #expect(PaperWebLink.webAddress(" doi:10.1000/ABC ") == "https://doi.org/10.1000/abc")
    #expect(PaperWebLink.webAddress("arXiv:1703.00573v5") == "https://arxiv.org/abs/1703.00573")
    #expect(PaperWebLink.webAddress("HTTPS://Example.org/A B") == "https://Example.org/A%20B")
    // Shell syntax is only text to a URL: it is kept exactly, to be handed over as one argument.
    #expect(PaperWebLink.webAddress("https://x.example/$(touch${IFS}/tmp/p);`id`") == "https://x.example/$(touch${IFS}/tmp/p);`id`")
  }

  @Test("y without clipboard osc52 shows the link and how to allow copying, and copies nothing")
  func copyNotAllowed() {
    var state = linkState()
    #expect(state.press(.char("y")) == [])
    #expect(state.message?.text == "link: https://example.org/paper (1 of 2) · not copied: add clipboard osc52 to the config (? shows where)")
  }

  @Test("y with clipboard osc52 shows the link and copies it")
  func copyAllowed() {
    var state = linkState(clipboard: .osc52)
    state.press(.char("j"), .char("j"), .char("j"))
    #expect(state.press(.char("y")) == [.copyToClipboard("https://arxiv.org/abs/1703.00573")])
    #expect(state.message?.text == "link: https://arxiv.org/abs/1703.00573 · copied")
  }

  @Test("a link too long for OSC 52 is shown, not copied")
  func copyTooLong() {
    let url = "https://long.example/" + String(repeating: "a", count: ClipboardSetting.maximumBytes)
    var state = makeState(library: Library(name: "long", listings: [
      Listing(title: "Long", links: [PaperLink(label: "x", url: url)], source: SourceLocation(file: "f", line: 1))
    ]))
    state.clipboard = .osc52
    #expect(state.press(.char("y")) == [])
    #expect(state.message?.text.hasPrefix("link: https://long.example/aaa") == true)
    #expect(state.message?.text.hasSuffix("too long to copy (over \(ClipboardSetting.maximumBytes) bytes)") == true)
  }

  @Test("a browser that failed says why on the status line")
  func browserFailed() {
    var state = linkState()
    state.press(.char("o"))
    _ = Reader.update(&state, .problem("the browser 'w3m' exited with status 1"))
    #expect(state.message == .error("the browser 'w3m' exited with status 1"))
  }
}

@Suite("Editor and browser commands")
struct ProgramCommandTests {
  @Test("$VISUAL, else $EDITOR, else vi; the file is always $1")
  func editor() {
    #expect(EditorCommand(environment: ["VISUAL": "vim -u NONE", "EDITOR": "nano"]).script == "vim -u NONE \"$1\"")
    #expect(EditorCommand(environment: ["VISUAL": "  ", "EDITOR": "code -w"]).script == "code -w \"$1\"")
    #expect(EditorCommand(environment: ["VISUAL": "", "EDITOR": ""]).command == "vi")
    #expect(EditorCommand(environment: [:]).name == "vi")
    #expect(EditorCommand(environment: ["EDITOR": "'/opt/My Editor/ed' -w"]).name == "ed")
    #expect(BrowserCommand(command: "/usr/bin/w3m -o x").name == "w3m")
  }

  @Test("$BROWSER: a colon-separated list, %s where the URL goes, the URL never in the script")
  func browser() {
    #expect(BrowserCommand.candidates(environment: [:]) == [BrowserCommand(command: "xdg-open")])
    #expect(BrowserCommand.candidates(environment: ["BROWSER": ""]) == [BrowserCommand(command: "xdg-open")])
    let list = BrowserCommand.candidates(environment: ["BROWSER": "w3m:firefox --new-tab %s::lynx '%s'"])
    #expect(list.map(\.command) == ["w3m", "firefox --new-tab %s", "lynx '%s'"])
    #expect(list.map(\.script) == ["w3m \"$1\"", "firefox --new-tab \"$1\"", "lynx \"$1\""])
    #expect(BrowserCommand(command: "open -u \"%s\" --pct 100%%").script == "open -u \"$1\" --pct 100%")
    #expect(BrowserCommand(command: "echo %%s").script == "echo %s \"$1\"")
  }

  @Test("the config's clipboard line: osc52 or off, anything else reported as file:line:column")
  func clipboardConfig() {
    #expect(Config.parse("", file: "c").clipboard == .off)
    #expect(Config.parse("clipboard osc52\n", file: "c").clipboard == .osc52)
    #expect(Config.parse("clipboard osc52\nclipboard off # changed my mind\n", file: "c").clipboard == .off)
    let bad = Config.parse("view \"a\" = \"b\"\nclipboard yes\nclipboard\nclipboard osc52 now\n", file: "/home/u/.config/quire/config")
    #expect(bad.clipboard == .off)
    #expect(bad.views.count == 1)
    #expect(bad.diagnostics.map(\.description) == [
      "/home/u/.config/quire/config:2:11: expected osc52 or off after clipboard; found 'yes'",
      "/home/u/.config/quire/config:3:10: expected clipboard followed by osc52 or off",
      "/home/u/.config/quire/config:4:17: unexpected 'now' after clipboard osc52",
    ])
  }

  @Test("e, o and y are bound by default, and help describes them")
  func keys() {
    let keymap = Keymap.builtinDefault
    #expect(keymap.command(for: .char("e"), in: .list) == .editNote)
    #expect(keymap.command(for: .char("e"), in: .viewer) == .editNote)
    #expect(keymap.command(for: .char("o"), in: .list) == .openLink)
    #expect(keymap.command(for: .char("y"), in: .viewer) == .copyLink)
    let help = HelpOverlay.lines(for: keymap, statePath: "", width: 100).map(\.text).joined(separator: "\n")
    #expect(help.contains("edit the selected paper's note"))
    #expect(help.contains("open the paper's link"))
  }
}
