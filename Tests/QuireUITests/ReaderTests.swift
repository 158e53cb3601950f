import Foundation
import QuireModel
import Testing

@testable import QuireUI

@Suite("Update: moving")
struct MovingTests {
  @Test("j/k and arrows move one paper, stopping at the ends")
  func stepByStep() {
    var state = makeState()
    state.press(.char("j"), .down)
    #expect(state.selected == 2)
    state.press(.char("k"))
    #expect(state.selected == 1)
    state.press(.up, .up, .up)
    #expect(state.selected == 0)
    state.press(.char("G"), .char("j"))
    #expect(state.selected == 12)
  }

  @Test("g/G, Home/End jump to the ends")
  func ends() {
    var state = makeState()
    state.press(.end)
    #expect(state.selected == 12)
    state.press(.home)
    #expect(state.selected == 0)
    state.press(.char("G"))
    #expect(state.selected == 12)
    state.press(.char("g"))
    #expect(state.selected == 0)
  }

  @Test("pages move by the list's height; the selection stays on screen")
  func paging() {
    var state = makeState(rows: 12, cols: 120)  // 8 rows of papers
    #expect(state.layout.list.inner.rows == 8)
    state.press(.pageDown)
    #expect(state.selected == 8)
    #expect(state.listOffset == 1)
    state.press(.ctrl("u"))
    #expect(state.selected == 4)
    #expect(state.listOffset == 1)
    state.press(.pageUp)
    #expect(state.selected == 0)
    #expect(state.listOffset == 0)
    state.press(.ctrl("d"))
    #expect(state.selected == 4)
    state.press(.space)
    #expect(state.selected == 12)
    #expect(state.listOffset == 5)
  }

  @Test("Enter opens the paper in the viewer, where moving keys scroll; Esc returns")
  func viewerScrolls() {
    var state = makeState(rows: 14, cols: 60)
    state.press(.enter)
    #expect(state.focus == .viewer)
    state.press(.char("j"), .char("j"))
    #expect(state.selected == 0)
    #expect(state.viewerOffset == 2)
    state.press(.char("G"))
    let bottom = state.viewerOffset
    #expect(bottom > 2)
    state.press(.char("j"))
    #expect(state.viewerOffset == bottom)  // never past the end
    state.press(.char("g"))
    #expect(state.viewerOffset == 0)
    state.press(.escape)
    #expect(state.focus == .list)
    state.press(.tab)
    #expect(state.focus == .viewer)
    state.press(.char("q"))
    #expect(state.focus == .list)
    state.press(.backTab)
    #expect(state.focus == .viewer)
  }

  @Test("scrolling to the end of the viewer shows the abstract's last words, at every size")
  func viewerReachesTheEnd() {
    for (rows, cols) in [(10, 40), (12, 45), (24, 60), (24, 80), (30, 100), (40, 120)] {
      var state = makeState(rows: rows, cols: cols)
      for position in 0..<state.shown.count {
        state.press(.char("g"))
        for _ in 0..<position { state.press(.char("j")) }
        guard let abstract = state.selectedPaper?.abstract else { continue }
        state.press(.enter, .char("G"), .escape)
        let lastWord = String(abstract.split(separator: " ").last!)
        let screen = Renderer.render(state).text
        #expect(screen.contains(lastWord), "\(rows)×\(cols), paper \(position): '\(lastWord)' not on screen")
      }
    }
  }

  @Test("a new selection starts the viewer at the top")
  func viewerResets() {
    var state = makeState(rows: 14, cols: 60)
    state.press(.enter, .char("j"), .char("j"), .tab, .char("j"))
    #expect(state.selected == 1)
    #expect(state.viewerOffset == 0)
  }

  @Test("shrinking through too small and back keeps the scroll positions")
  func tooSmallKeepsPositions() {
    var state = makeState(rows: 14, cols: 60)
    for _ in 0..<5 { state.press(.char("j")) }
    state.press(.enter, .char("j"), .char("j"))
    let (list, viewer) = (state.listOffset, state.viewerOffset)
    #expect(list == 3)
    #expect(viewer == 2)
    _ = Reader.update(&state, .resize(ScreenSize(rows: 6, cols: 20)))
    _ = Reader.update(&state, .resize(ScreenSize(rows: 14, cols: 60)))
    #expect(state.listOffset == list)
    #expect(state.viewerOffset == viewer)
  }

  @Test("resizing keeps the selection visible")
  func resize() {
    var state = makeState()
    state.press(.char("G"))
    _ = Reader.update(&state, .resize(ScreenSize(rows: 10, cols: 40)))
    let rows = state.layout.list.inner.rows
    #expect(state.selected >= state.listOffset && state.selected < state.listOffset + rows)
    _ = Reader.update(&state, .resize(ScreenSize(rows: 5, cols: 20)))
    #expect(state.layout.tooSmall)
    _ = Reader.update(&state, .resize(ScreenSize(rows: 30, cols: 120)))
    #expect(state.selected == 12)
  }

  @Test("while the terminal is too small, keys change nothing but quit still works")
  func tooSmallIgnoresKeys() {
    var state = makeState(rows: 8, cols: 30)
    #expect(state.press(.char("r"), .char("t"), .char("j")).isEmpty)
    #expect(state.reading.papers.isEmpty)
    #expect(state.overlay == nil)
    #expect(state.selected == 0)
    #expect(state.press(.char("q")) == [.quit])
  }

  @Test("an unbound key says so and changes nothing")
  func unbound() {
    var state = makeState()
    let effects = state.press(.char("Z"))
    #expect(effects.isEmpty)
    #expect(state.message?.text.contains("Z is not bound") == true)
    #expect(state.selected == 0)
  }
}

@Suite("Update: reading status")
struct StatusTests {
  @Test("r toggles read and unread, keeps the unread count, and asks for a save")
  func toggle() {
    var state = makeState()
    let id = state.selectedPaper!.id
    #expect(state.press(.char("r")) == [.save])
    #expect(state.reading[id].status == .read)
    #expect(state.unreadCount == 12)
    #expect(state.saveStatus == .pending)
    #expect(state.message == .info("marked read"))
    state.press(.char("r"))
    #expect(state.reading[id].status == .unread)
    #expect(state.unreadCount == 13)
    #expect(state.reading.papers.values.allSatisfy { $0.unstamped.isUntouched })
  }

  @Test("mark all shown read asks first; n leaves everything as it was")
  func markAllCancelled() {
    var state = makeState()
    #expect(state.press(.char("A")).isEmpty)
    #expect(state.overlay == .confirmMarkAllRead(count: 13))
    #expect(Renderer.render(state).lines.last?.contains("Mark 13 shown papers read? (y/n)") == true)
    #expect(state.press(.char("n")).isEmpty)
    #expect(state.overlay == nil)
    #expect(state.unreadCount == 13)
  }

  @Test("mark all shown read marks only what is shown")
  func markAllShown() {
    var state = makeState()
    state.press(.char("r"), .char("U"))  // first read; show unread only
    #expect(state.shown.count == 12)
    state.press(.char("j"), .char("t"))
    state.type("keep")
    state.press(.enter, .escape)
    state.press(.char("f"))
    state.type("keep")
    state.press(.enter)
    #expect(state.shown.count == 1)
    state.press(.char("A"))
    #expect(state.press(.char("y")) == [.save])
    #expect(state.unreadCount == 11)
    #expect(state.message == .info("marked 1 paper read"))
    state.press(.char("A"))
    #expect(state.overlay == nil)
    #expect(state.message?.text == "every paper shown is already read")
  }

  @Test("counts follow the saved state at start, ignoring papers not in this library")
  func initialCounts() {
    var reading = ReadingState()
    let library = BuiltinLibrary.load()
    reading[library[0].id] = PaperState(status: .read, tags: ["a"])
    reading[PaperID("not-in-this-library")] = PaperState(status: .read, tags: ["b"])
    let state = makeState(reading: reading, library: library)
    #expect(state.unreadCount == 12)
    #expect(state.tagUse == ["a": 1])  // completion offers only tags of papers on screen
  }

  @Test("NOT SAVED stays on a narrow status line after the message has gone")
  func notSavedStaysVisible() {
    var state = makeState(rows: 10, cols: 40)
    state.press(.char("r"))
    _ = Reader.update(&state, .saveFinished(error: "cannot save /x/state.json: Read-only file system (creating a temporary file)"))
    state.press(.char("j"))
    #expect(state.message == nil)
    #expect(Renderer.render(state).lines.last?.hasSuffix("NOT SAVED ") == true)
  }

  @Test("NOT SAVED stays in sight while a prompt is open")
  func notSavedDuringPrompts() {
    var state = makeState(rows: 10, cols: 40)
    state.press(.char("j"), .char("t"))
    state.type("x")
    state.press(.enter, .escape, .char("r"))
    _ = Reader.update(&state, .saveFinished(error: "cannot save /x: Read-only file system"))
    state.press(.char("A"))
    #expect(Renderer.render(state).lines.last?.hasSuffix("NOT SAVED ") == true)
    state.press(.char("n"), .char("f"))
    #expect(Renderer.render(state).lines.last?.hasSuffix("NOT SAVED ") == true)
  }

  @Test("on a narrow status line the filter in force stays in sight, in whole words")
  func narrowFilter() {
    var state = makeState(rows: 12, cols: 50)
    state.press(.char("U"))
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.contains("filter: unread"))
    #expect(!status.contains("…"))
  }

  @Test("save results: failure is shown and retried on tick, success clears it")
  func saveOutcomes() {
    var state = makeState()
    state.press(.char("r"))
    _ = Reader.update(&state, .saveFinished(error: "cannot save /x/state.json: No space left on device"))
    #expect(state.saveStatus == .failed("cannot save /x/state.json: No space left on device"))
    #expect(state.message?.kind == .error)
    #expect(state.message?.text.contains("No space left on device") == true)
    #expect(Renderer.render(state).lines.last?.contains("NOT SAVED") == true)
    #expect(Reader.update(&state, .tick) == [.save])
    _ = Reader.update(&state, .saveFinished(error: nil))
    #expect(state.saveStatus == .saved)
    #expect(state.message == .info("saved after all"))
    #expect(Reader.update(&state, .tick).isEmpty)
  }

  @Test("a change is stamped with the time and this device, field by field, and stays unsaved until saved")
  func changesAreStamped() throws {
    let times = MovingClock(Date(timeIntervalSince1970: 1_764_460_000))
    var state = AppState(
      library: BuiltinLibrary.load(), reading: ReadingState(), keymap: .builtinDefault,
      size: ScreenSize(rows: 30, cols: 120), device: "laptop-3fa2", clock: { times.now })
    let first = try #require(state.selectedPaper).id
    state.press(.char("r"))
    times.now += 2.5
    state.press(.char("t"))
    state.type("x")
    state.press(.enter, .escape)
    let stamps = state.reading[first].stamps
    #expect(stamps.reading == Stamp(time: 1_764_460_000_000, device: "laptop-3fa2"))
    #expect(stamps.tags == [.init(tag: "x", present: true, stamp: Stamp(time: 1_764_460_002_500, device: "laptop-3fa2"))])
    #expect(stamps.note == nil && stamps.title == nil)
    #expect(state.unsaved == [first])
    _ = Reader.update(&state, .saveFinished(error: nil))
    #expect(state.unsaved.isEmpty)
    // Untagging keeps the removal, stamped, so that a copy which never saw it cannot bring it back.
    state.press(.char("t"), .backspace, .backspace, .escape)
    #expect(state.reading[first].tags.isEmpty)
    #expect(state.reading[first].stamps.tags.map(\.present) == [false])
  }

  @Test("changes another quire saved are adopted: counts follow, nothing is marked unsaved, and the key's own message stays")
  func changedElsewhere() throws {
    var state = makeState()
    let ids = state.shown.prefix(3).map { state.library[$0].id }
    state.press(.char("r"))
    let effects = Reader.update(&state, .changedElsewhere([
      ids[1]: PaperState(status: .read, tags: ["theirs"]), ids[2]: PaperState(tags: ["other"]),
    ]))
    #expect(effects.isEmpty)
    #expect(state.reading[ids[1]] == PaperState(status: .read, tags: ["theirs"]))
    #expect(state.unreadCount == 11)
    #expect(state.tagUse == ["theirs": 1, "other": 1])
    #expect(state.unsaved == [ids[0]])
    #expect(state.saveStatus == .pending)
    #expect(state.message == .info("marked read · 2 papers changed by another quire, merged"))
    _ = Reader.update(&state, .saveFinished(error: nil))
    _ = Reader.update(&state, .changedElsewhere([ids[0]: PaperState()]))
    #expect(state.unreadCount == 12)
    #expect(state.saveStatus == .saved)
    #expect(state.unsaved.isEmpty)
    // Another copy's stamps for what is already here: taken in, and nothing said.
    state.press(.char("j"))
    var restamped = state.reading[ids[1]]
    restamped.stamps.reading = Stamp(time: 1, device: "laptop-3fa2")
    _ = Reader.update(&state, .changedElsewhere([ids[1]: restamped]))
    #expect(state.reading[ids[1]] == restamped)
    #expect(state.message == nil)
  }

  @Test("q quits, C-l redraws")
  func quitAndRedraw() {
    var state = makeState()
    #expect(state.press(.char("q")) == [.quit])
    #expect(state.press(.ctrl("l")) == [.redraw])
  }
}

@Suite("Update: tags")
struct TagTests {
  @Test("t opens the editor; typing and Enter adds; Enter on an empty line closes")
  func addTags() {
    var state = makeState()
    let id = state.selectedPaper!.id
    state.press(.char("t"))
    #expect(state.isTagEditorOpen)
    state.type("theory")
    #expect(state.press(.enter) == [.save])
    state.type("deep learning")  // white space becomes a dash
    state.press(.enter)
    #expect(state.reading[id].tags == ["theory", "deep-learning"])
    state.type("theory")
    #expect(state.press(.enter).isEmpty)
    #expect(state.message?.text == "already tagged 'theory'")
    state.press(.enter)
    #expect(state.overlay == nil)
  }

  @Test("letters that are keys elsewhere type themselves in the editor")
  func lettersType() {
    var state = makeState()
    state.press(.char("t"))
    state.type("qjkrtug?")
    guard case .tagEditor(let editor) = state.overlay else {
      Issue.record("editor closed")
      return
    }
    #expect(editor.input.text == "qjkrtug?")
    #expect(state.selected == 0)
  }

  @Test("Tab completes from tags used in the library, most used first")
  func completion() {
    var state = makeState()
    for (n, tag) in ["theory", "theano", "gan"].enumerated() {
      state.press(.char("g"))
      for _ in 0..<n { state.press(.char("j")) }
      state.press(.char("t"))
      state.type(tag)
      state.press(.enter, .escape)
    }
    state.press(.char("G"), .char("t"))
    state.type("g")
    state.press(.tab)
    #expect(editorText(state) == "gan")
    state.press(.ctrl("u"))
    state.type("th")
    state.press(.tab)
    #expect(editorText(state) == "the")  // the common prefix first
    state.press(.tab)
    #expect(editorText(state) == "theano")  // then the candidates in turn, equal use alphabetical
    state.press(.tab)
    #expect(editorText(state) == "theory")
    state.press(.tab)
    #expect(editorText(state) == "theano")
    state.press(.enter)
    #expect(state.reading[state.selectedPaper!.id].tags == ["theano"])
  }

  @Test("Tab first extends to the common prefix")
  func commonPrefix() {
    var state = makeState()
    state.press(.char("t"))
    state.type("generalization")
    state.press(.enter)
    state.type("generative")
    state.press(.enter, .escape, .char("j"), .char("t"))
    state.type("g")
    state.press(.tab)
    #expect(editorText(state) == "genera")
    state.press(.tab)
    #expect(editorText(state) == "generalization")
  }

  @Test("Backspace on an empty line selects the last tag, then removes it")
  func removeWithBackspace() {
    var state = makeState()
    let id = state.selectedPaper!.id
    state.press(.char("t"))
    state.type("a")
    state.press(.enter)
    state.type("b")
    state.press(.enter)
    state.press(.backspace)
    #expect(state.reading[id].tags == ["a", "b"])
    #expect(state.press(.backspace) == [.save])
    #expect(state.reading[id].tags == ["a"])
    #expect(state.message?.text == "removed tag 'b'")
  }

  @Test("Left/Right pick a tag, Delete removes it; -name Enter removes by name")
  func removeOthers() {
    var state = makeState()
    let id = state.selectedPaper!.id
    state.press(.char("t"))
    for tag in ["a", "b", "c"] {
      state.type(tag)
      state.press(.enter)
    }
    state.press(.left, .left, .delete)
    #expect(state.reading[id].tags == ["a", "c"])
    state.type("-a")
    state.press(.enter)
    #expect(state.reading[id].tags == ["c"])
    state.type("-zzz")
    #expect(state.press(.enter).isEmpty)
    #expect(state.message?.text == "this paper has no tag 'zzz'")
  }

  @Test("Alt with a key neither closes the editor nor acts on the paper")
  func altInEditor() {
    var state = makeState()
    state.press(.char("t"), .alt("r"), .alt("q"))
    #expect(state.isTagEditorOpen)
    #expect(state.reading.papers.isEmpty)
    state.press(.escape, .alt("r"))
    #expect(state.message?.text.hasPrefix("M-r is not bound") == true)
    #expect(state.reading.papers.isEmpty)
  }

  @Test("Delete selects the next tag, so several go in a row")
  func deleteInARow() {
    var state = makeState()
    let id = state.selectedPaper!.id
    state.press(.char("t"))
    for tag in ["a", "b", "c", "d"] {
      state.type(tag)
      state.press(.enter)
    }
    state.press(.left, .left, .left, .delete, .delete)
    #expect(state.reading[id].tags == ["a", "d"])
    state.press(.delete, .delete)
    #expect(state.reading[id].tags.isEmpty)
  }

  @Test("Esc closes the editor without adding what was typed")
  func escape() {
    var state = makeState()
    state.press(.char("t"))
    state.type("unfinished")
    #expect(state.press(.escape).isEmpty)
    #expect(state.overlay == nil)
    #expect(state.reading.papers.isEmpty)
  }

  func editorText(_ state: AppState) -> String? {
    if case .tagEditor(let editor) = state.overlay { return editor.input.text }
    return nil
  }
}

@Suite("Update: filters")
struct FilterTests {
  @Test("U shows only unread papers, keeping the selection; U again shows all")
  func unreadOnly() {
    var state = makeState()
    state.press(.char("j"), .char("r"), .char("j"), .char("j"))
    let selected = state.selectedPaper!.id
    state.press(.char("U"))
    #expect(state.filter.unreadOnly)
    #expect(state.shown.count == 12)
    #expect(state.selectedPaper!.id == selected)
    #expect(Renderer.render(state).lines.last?.contains("filter: unread") == true)
    state.press(.char("U"))
    #expect(state.shown.count == 13)
    #expect(state.selectedPaper!.id == selected)
  }

  @Test("a paper marked read stays in the unread view until the filter changes")
  func stableView() {
    var state = makeState()
    state.press(.char("U"), .char("r"))
    #expect(state.shown.count == 13)
    #expect(state.unreadCount == 12)
  }

  @Test("f filters with a query, Tab completes fields and tags; F clears every filter")
  func queryFilter() {
    var state = makeState()
    state.press(.char("j"), .char("t"))
    state.type("theory")
    state.press(.enter, .escape, .char("G"), .char("t"))
    state.type("theory")
    state.press(.enter, .escape)
    state.press(.char("f"))
    state.type("ta")
    state.press(.tab)
    state.type("th")
    state.press(.tab)
    guard case .filter(let prompt) = state.overlay else {
      Issue.record("the filter line is not open")
      return
    }
    #expect(prompt.input.text == "tag:theory")
    state.press(.enter)
    #expect(state.filter.query == "tag:theory")
    #expect(state.shown.count == 2)
    #expect(state.selected == 1)  // the last paper, still selected
    state.press(.char("U"))
    #expect(state.filter.summary == "unread · tag:theory")
    state.press(.char("F"))
    #expect(state.filter == Filter())
    #expect(state.shown.count == 13)
  }

  @Test("a bad filter names the column, stays open to be mended, and the old filter stays in force")
  func badFilter() {
    var state = makeState()
    state.press(.char("f"))
    state.type("year:>=2016")
    state.press(.enter)
    let filtered = state.shown.count
    #expect(filtered < 13)
    state.press(.char("f"), .ctrl("u"))
    state.type("(author:arora")
    state.press(.enter)
    guard case .filter(let prompt) = state.overlay else {
      Issue.record("the filter line closed on a bad query")
      return
    }
    #expect(prompt.error?.column == 14)
    #expect(state.message?.text.contains("column 14") == true)
    #expect(state.filter.query == "year:>=2016")
    #expect(state.shown.count == filtered)
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.contains("✗ column 14"))
    state.type(")")
    state.press(.enter)
    #expect(state.overlay == nil)
    #expect(state.filter.query == "(author:arora)")
    #expect(state.shown.allSatisfy { state.library[$0].authors.contains { $0.contains("Arora") } })
  }

  @Test("a filter that matches nothing says so; keys that need a paper do nothing")
  func emptyView() {
    var state = makeState()
    state.press(.char("A"), .char("y"), .char("U"))
    #expect(state.shown.isEmpty)
    #expect(state.message?.text == "no paper matches unread · F clears the filter")
    #expect(state.press(.char("r")).isEmpty)
    #expect(state.message?.text == "no paper selected")
    state.press(.char("t"))
    #expect(state.overlay == nil)
    state.press(.enter, .char("j"), .char("G"))
    #expect(Renderer.render(state).text.contains("No paper matches unread"))
  }
}

@Suite("Update: help")
struct HelpTests {
  @Test("? opens help generated from the bindings; moving keys scroll it; another key closes it")
  func help() {
    var state = makeState(rows: 16, cols: 90)
    state.press(.char("?"))
    #expect(state.overlay == .help(offset: 0))
    let screen = Renderer.render(state).text
    #expect(screen.contains("Keys · j/k scroll · other keys close"))
    #expect(screen.contains("j Down              move down"))
    state.press(.char("j"), .char("j"))
    #expect(state.overlay == .help(offset: 2))
    state.press(.char("G"))
    guard case .help(let bottom) = state.overlay else {
      Issue.record("help closed")
      return
    }
    #expect(bottom > 2 && bottom < 100)
    state.press(.char("k"))
    #expect(state.overlay == .help(offset: bottom - 1))
    state.press(.char("x"))
    #expect(state.overlay == nil)
    #expect(state.selected == 0)
  }

  @Test("help wraps to the overlay: every line fits and every action's help can be read")
  func helpWraps() {
    for width in [36, 60, 80] {
      let lines = HelpOverlay.lines(for: .builtinDefault, statePath: "/s", keymapPath: "/k", width: width)
      #expect(lines.allSatisfy { TerminalText.width($0.text) <= width }, "width \(width)")
      let text = TerminalText.collapseWhitespaceForTest(lines.map(\.text).joined(separator: " "))
      for command in Command.allCases {
        #expect(text.contains(command.help), "width \(width): \(command.name)")
      }
    }
  }

  @Test("help follows the user's bindings")
  func helpFollowsKeymap() {
    var state = makeState(rows: 40, cols: 100)
    state.keymap.apply("bind x toggle-read\nunbind r", file: "user")
    state.press(.char("?"))
    let screen = Renderer.render(state).text
    #expect(screen.contains("x                   mark read / unread"))
    #expect(!screen.contains("r                   mark read / unread"))
  }
}
