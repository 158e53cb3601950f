import Foundation
import QuireModel
import Testing

@testable import QuireUI

/// The papers the reference matcher finds, in the order listed.
func reference(_ text: String, _ state: AppState) throws -> [Int] {
  let query = try Query.parse(text)
  return state.library.papers.indices.filter { query.matches(state.library[$0], state.reading[state.library[$0].id]) }
}

@Suite("Search, filter, sort and views")
struct FindingTests {
  @Test("/ narrows the list with every character; Enter keeps the result")
  func incremental() throws {
    var state = makeState()
    state.press(.char("/"))
    var typed = ""
    for character in "generalization" {
      typed.append(character)
      state.type(String(character))
      #expect(state.shown == (try reference(typed, state)), "after \(typed)")
    }
    #expect(state.shown.count > 0 && state.shown.count < 13)
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.hasPrefix(" /generalization"))
    #expect(status.contains("\(state.shown.count) of 13"))
    state.press(.enter)
    #expect(state.overlay == nil)
    #expect(state.filter.search == "generalization")
    #expect(state.message?.text.hasPrefix("\(state.shown.count) found") == true)
    // / brings the kept search back to refine; a character deleted widens the list again.
    state.press(.char("/"))
    guard case .search(let again) = state.overlay else {
      Issue.record("no search line")
      return
    }
    #expect(again.input.text == "generalization")
    state.press(.ctrl("u"))
    state.type("deep")
    state.press(.backspace)
    #expect(state.shown == (try reference("dee", state)))
  }

  @Test("a search made while the index is built in the background waits for it, then is answered")
  func waitsForTheIndex() {
    let library = BuiltinLibrary.load()
    var state = AppState(
      library: library, reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      indexComing: true)
    state.press(.char("/"))
    state.type("revers")
    #expect(state.shown.count == 13)
    #expect(state.message?.text == "building the search index for 13 papers…")
    #expect(Renderer.render(state).lines.last?.contains("building the search index…") == true)
    _ = Reader.update(&state, .indexReady(SearchIndex(library: library)))
    #expect(state.shown.count == 1)
    #expect(state.message == nil)
    state.type("i")
    #expect(state.shown.count == 1)
  }

  @Test("counts made in the background at start: the header waits for them, changes made meanwhile are kept")
  func countsComeLater() throws {
    let library = BuiltinLibrary.load()
    var start = ReadingState()
    start[library[0].id] = PaperState(status: .read, tags: ["theory"])
    start[library[1].id] = PaperState(status: .read, tags: ["gan"])
    var state = AppState(
      library: library, reading: start, keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      indexComing: true, countsComing: true)
    #expect(!state.countsReady)
    #expect(Renderer.render(state).lines[0].contains("13 papers · … unread"))
    // Before the counts arrive: paper 0 made unread, paper 2 read and tagged.
    state.press(.char("r"))
    state.press(.char("j"), .char("j"), .char("r"))
    state.press(.char("t"))
    state.type("theory")
    state.press(.enter, .escape)
    state.press(.char("/"))
    state.type("tag:theory")
    #expect(state.message?.text == "building the search index for 13 papers…")
    _ = Reader.update(&state, .countsReady(ReadingIndex(reading: start, library: library), start: start))
    #expect(state.countsReady)
    #expect(state.unreadCount == 11)
    #expect(state.tagUse == ["theory": 2, "gan": 1])
    // Built afresh from the state as it is now, the counts are the same.
    let fresh = ReadingIndex(reading: state.reading, library: library)
    #expect(state.readingIndex?.read == fresh.read)
    #expect(state.tagUse == fresh.tagUse)
    #expect(Renderer.render(state).lines[0].contains("13 papers · 11 unread"))
    _ = Reader.update(&state, .indexReady(SearchIndex(library: library)))
    #expect(state.shown == [0, 2])
  }

  @Test("a bad filter puts the cursor where it goes wrong, to be mended in place")
  func mendInPlace() throws {
    var state = makeState(rows: 20, cols: 100)
    state.press(.char("f"))
    state.type("year:x tag:gan (author:arora or author:ma) year:>=2016 -is:read")
    state.press(.enter)
    guard case .filter(let prompt) = state.overlay else {
      Issue.record("the filter line closed")
      return
    }
    #expect(prompt.input.position == 5)
    // The error is in sight, with the message, on a line too narrow for the whole query.
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.contains("year:x"), "\(status)")
    #expect(status.contains("✗ column 6: expected a year"), "\(status)")
    state.press(.delete)
    state.type("2016")
    #expect(state.overlay != nil)
    guard case .filter(let mended) = state.overlay else { return }
    #expect(mended.input.text.hasPrefix("year:2016 tag:gan"))
    state.press(.ctrl("e"), .ctrl("w"), .ctrl("w"))
    guard case .filter(let shorter) = state.overlay else { return }
    #expect(shorter.input.text == "year:2016 tag:gan (author:arora or author:ma) ")
    state.press(.home)
    state.type("-")
    guard case .filter(let negated) = state.overlay else { return }
    #expect(negated.input.text.hasPrefix("-year:2016"))
  }

  @Test("in a search line on a terminal too small to show it, q is a letter, not quit")
  func qInPromptWhenTooSmall() {
    var state = makeState()
    state.press(.char("/"))
    _ = Reader.update(&state, .resize(ScreenSize(rows: 8, cols: 30)))
    #expect(state.press(.char("q")).isEmpty)
  }

  @Test("the search counts against what the view and filter show")
  func searchScope() {
    var state = makeState()
    state.press(.char("f"))
    state.type("year:2016")
    state.press(.enter)
    let inFilter = state.shown.count
    state.press(.char("/"))
    state.type("deep")
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.contains("\(state.shown.count) of \(inFilter) "), "\(status)")
  }

  @Test("Esc goes back to the list as it was, with the same paper selected")
  func escape() {
    var state = makeState()
    state.press(.char("j"), .char("j"), .char("j"))
    let before = state.selectedPaper?.id
    state.press(.char("/"))
    state.type("reversible")
    #expect(state.shown.count == 1)
    state.press(.escape)
    #expect(state.shown.count == 13)
    #expect(state.selectedPaper?.id == before)
    #expect(state.filter.search.isEmpty)
  }

  @Test("the selected paper stays selected while it still matches")
  func keepsSelection() throws {
    var state = makeState()
    let position = try #require(state.shown.lastIndex { state.library[$0].abstract != nil })
    for _ in 0..<position { state.press(.char("j")) }
    let last = try #require(state.selectedPaper)
    let word = try #require(last.abstract?.split(separator: " ").first(where: { $0.count > 6 }))
    state.press(.char("/"))
    state.type(String(word))
    #expect(state.selectedPaper?.id == last.id)
  }

  @Test("a search that is not a query yet says where, and the list stays as the last good text left it")
  func badSearch() {
    var state = makeState()
    state.press(.char("/"))
    state.type("deep (")
    guard case .search(let prompt) = state.overlay else {
      Issue.record("search closed")
      return
    }
    #expect(prompt.error?.column == 7)
    #expect(state.filter.search == "deep")
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.contains("✗ column 7"))
  }

  @Test("Up and Down move the selection while the search line stays open; matching tags are marked")
  func movingWhileSearching() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[1].id] = PaperState(tags: ["deepish"])
    var state = makeState(reading: reading, library: library)
    state.press(.char("/"))
    state.type("deep")
    let first = state.selectedPaper?.id
    state.press(.down)
    #expect(state.selectedPaper?.id != first)
    state.press(.up)
    #expect(state.selectedPaper?.id == first)
    guard case .search(let prompt) = state.overlay else {
      Issue.record("the search line closed")
      return
    }
    #expect(prompt.input.text == "deep")
    let grid = Renderer.render(state)
    let tagRow = (0..<grid.rows).first { row in (0..<grid.cols).contains { grid[row, $0].text == "#" } }
    let marked = tagRow.map { row in (0..<grid.cols).filter { grid[row, $0].role == .match || grid[row, $0].role == .matchSelected }.map { grid[row, $0].text }.joined() }
    #expect(marked?.contains("deep") == true)
  }

  @Test("a phrase is searched for as it is typed, before its closing quote")
  func openPhrase() throws {
    var state = makeState()
    state.press(.char("/"))
    state.type("\"neural net")
    guard case .search(let prompt) = state.overlay else {
      Issue.record("no search line")
      return
    }
    #expect(prompt.error == nil)
    #expect(state.shown == (try reference("\"neural net\"", state)))
    #expect(state.shown.count < 13)
  }

  @Test("matching ignores case and accents, in the list and on screen")
  func accents() throws {
    var erdos = Listing(title: "On random graphs", authors: ["Paul Erdős", "Alfréd Rényi"], year: 1959, source: SourceLocation(file: "t", line: 1))
    erdos.abstract = "Un résumé of random graph theory."
    let other = Listing(title: "Something else", authors: ["Ann Other"], year: 2000, source: SourceLocation(file: "t", line: 5))
    var state = makeState(library: Library(name: "t", listings: [other, erdos]))
    state.press(.char("/"))
    state.type("erdos")
    #expect(state.shown == [1])
    state.press(.ctrl("u"))
    state.type("RESUME")
    #expect(state.shown == [1])
    // The match is marked where it is on screen: the author in the list, the word in the viewer.
    state.press(.enter)
    state.press(.char("/"), .ctrl("u"))
    state.type("renyi")
    state.press(.enter)
    let grid = Renderer.render(state)
    var marked: [String] = []
    for row in 0..<grid.rows {
      var run = ""
      for col in 0..<grid.cols where grid[row, col].role == .match || grid[row, col].role == .matchSelected {
        run += grid[row, col].text
      }
      if !run.isEmpty { marked.append(run) }
    }
    #expect(marked.contains("Rényi"))  // in the list row (selected) and in the viewer's author line
    #expect(marked.count >= 2)
  }

  @Test("a paper's note is shown in the viewer and found by search")
  func notes() {
    let library = BuiltinLibrary.load()
    var reading = ReadingState()
    reading[library[4].id] = PaperState(note: "Compare with Cybenko (1989)")
    var state = makeState(reading: reading, library: library)
    state.press(.char("/"))
    state.type("cybenko")
    #expect(state.shown == [4])
    let screen = Renderer.render(state).text
    #expect(screen.contains("note: Compare with Cybenko (1989)"))
  }

  @Test("n and N go through the matches in the abstract, wrapping at the ends")
  func stepping() throws {
    var state = makeState(rows: 14, cols: 120)
    state.press(.char("/"))
    state.type("the")
    state.press(.enter)
    let matches = state.allMatches()
    // Several matches can share a line; each is a step.
    try #require(matches.count > Set(matches.map(\.line)).count)
    state.press(.char("n"))
    #expect(state.focus == .viewer)
    #expect(state.currentMatch == matches[0])
    #expect(state.message?.text == "match 1 of \(matches.count)")
    state.press(.char("n"))
    #expect(state.currentMatch == matches[1])
    state.press(.char("N"), .char("N"))
    #expect(state.currentMatch == matches[matches.count - 1])
    #expect(state.message?.text.contains("from the end") == true)
    // The match is on screen, drawn apart from the others.
    let top = state.viewerOffset
    let last = matches[matches.count - 1]
    #expect((top..<(top + state.layout.viewerText.rows)).contains(last.line))
    let grid = Renderer.render(state)
    let row = state.layout.viewerText.row + last.line - top
    #expect((0..<grid.cols).contains { grid[row, $0].role == .matchCurrent })
    // Scrolled back to the top, n starts from there again.
    state.press(.char("g"), .char("n"))
    #expect(state.currentMatch == matches.first { $0.line >= state.viewerOffset })
  }

  @Test("n without a search, or with no match in the paper, says so")
  func steppingWithout() {
    var state = makeState()
    state.press(.char("n"))
    #expect(state.message?.text.contains("no search") == true)
    // Shown for its tag, which is not marked: nothing to go to in its text.
    state.press(.char("t"))
    state.type("theory")
    state.press(.enter, .escape, .char("f"))
    state.type("tag:theory or venue:zzz")
    state.press(.enter)
    #expect(state.shown.count == 1)
    state.press(.char("n"))
    #expect(state.message?.text == "no match in this paper's text")
  }

  @Test("s cycles the sort key, S reverses; the selection stays and the choice is saved")
  func sorting() {
    var state = makeState()
    state.press(.char("j"), .char("j"))
    let selected = state.selectedPaper?.id
    let effects = state.press(.char("s"))
    #expect(effects == [.saveSession])
    #expect(state.sort == Sorting(.published))
    #expect(state.shown == state.library.indices(sortedBy: Sorting(.published), reading: state.reading))
    #expect(state.selectedPaper?.id == selected)
    #expect(Renderer.render(state).lines.last?.contains("sort: published ↑") == true)
    state.press(.char("S"))
    #expect(state.sort == Sorting(.published, descending: true))
    #expect(state.shown == state.library.indices(sortedBy: state.sort, reading: state.reading))
    // Sorting keeps a filter in force.
    state.press(.char("U"), .char("s"))
    #expect(state.sort == Sorting(.year, descending: true))
    let unreadInOrder = state.library.indices(sortedBy: state.sort, reading: state.reading).filter {
      state.reading[state.library[$0].id].status == .unread
    }
    #expect(state.shown == unreadInOrder)
  }

  @Test("the sort remembered from last time is in force at start")
  func rememberedSort() {
    let state = AppState(
      library: BuiltinLibrary.load(), reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      sort: Sorting(.title))
    #expect(state.shown == state.library.indices(sortedBy: Sorting(.title), reading: state.reading))
  }

  static func viewsState() -> AppState {
    var reading = ReadingState()
    let library = BuiltinLibrary.load()
    reading[library[0].id] = PaperState(status: .read, tags: ["theory"])
    reading[library[2].id] = PaperState(status: .unread, tags: ["theory"])
    return AppState(
      library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      views: [
        SavedView(name: "Theory to read", query: "is:unread tag:theory"),
        SavedView(name: "GANs", query: "gan or adversarial"),
        SavedView(name: "Broken", query: "(oops"),
      ])
  }

  @Test("v lists the views with unread and total counts; Enter switches")
  func viewList() throws {
    var state = Self.viewsState()
    state.press(.char("v"))
    guard case .views(let list) = state.overlay else {
      Issue.record("no view list")
      return
    }
    #expect(list.entries.map(\.name) == ["All papers", "Theory to read", "GANs", "Broken"])
    #expect(list.entries[1].unread == 1 && list.entries[1].total == 1)
    let gans = try reference("gan or adversarial", state)
    #expect(list.entries[2].total == gans.count)
    #expect(list.entries[2].unread == gans.filter { $0 != 0 && $0 != 2 }.count)
    #expect(list.entries[3].problem?.contains("column") == true)
    let screen = Renderer.render(state).text
    #expect(screen.contains("Theory to read"))
    #expect(screen.contains("1 unread · 1 paper "))
    state.press(.char("j"), .char("j"), .enter)
    #expect(state.overlay == nil)
    #expect(state.currentView == 1)
    #expect(state.shown == gans)
    #expect(Renderer.render(state).lines[0].contains("view: GANs"))
  }

  @Test("switching views keeps each view's selection")
  func viewSelections() throws {
    var state = Self.viewsState()
    state.press(.char("G"))
    let allSelection = state.selectedPaper?.id
    state.press(.char("]"), .char("]"))  // GANs
    #expect(state.currentView == 1)
    state.press(.char("j"))
    let gansSelection = try #require(state.selectedPaper?.id)
    state.press(.char("["), .char("["))  // back to every paper
    #expect(state.currentView == nil)
    #expect(state.selectedPaper?.id == allSelection)
    state.press(.char("]"), .char("]"))
    #expect(state.selectedPaper?.id == gansSelection)
  }

  @Test("without saved views, v says how to make one")
  func noViews() {
    var state = makeState()
    state.press(.char("v"))
    #expect(state.overlay == nil)
    #expect(state.message?.text.contains("view \"NAME\" = \"QUERY\"") == true)
  }
}
