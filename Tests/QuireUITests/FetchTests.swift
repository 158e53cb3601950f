import Foundation
import QuireModel
import Testing

@testable import QuireUI

/// The reader's side of fetching: the key, the progress, and taking in what came, all
/// through the update function.
@Suite("Fetching in the reader")
struct ReaderFetchTests {
  static func listing(_ title: String, arxiv: String, version: Int = 1) -> Listing {
    var listing = Listing(title: title, authors: ["Ines Okafor"], year: 2024, abstract: "About \(title).", source: SourceLocation(file: "feed", line: 1))
    listing.arxiv = arxiv
    listing.arxivVersion = version
    return listing
  }

  static func reader(subscriptions: Int = 2, fetched: FetchedPapers = .none) -> AppState {
    AppState(
      library: BuiltinLibrary.load(), reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      fetched: fetched, subscriptionCount: subscriptions)
  }

  /// The built-in list plus two fetched papers, as the session reads it again after a fetch.
  static func fetchedLibrary() -> (Library, FetchedPapers) {
    let library = Library(name: "built-in list + 2 imported", listings: BuiltinLibrary.listings + [
      listing("PAC-Bayes Bounds for Diffusion Models", arxiv: "2411.05577"),
      listing("Margins, Norms and Double Descent", arxiv: "2411.09321"),
    ])
    let new = Set((13..<15).map { library.id(at: $0) })
    return (library, FetchedPapers(new: new, updated: [library.id(at: 1)], at: Date()))
  }

  @Test("R starts a fetch once; a second R while it runs says so; without subscriptions it says how to add one")
  func startingAFetch() {
    var state = Self.reader()
    #expect(state.press(.char("R")) == [.fetch])
    #expect(state.fetchActivity == FetchActivity(total: 2))
    #expect(state.press(.char("R")) == [])
    #expect(state.message?.text.hasPrefix("a fetch is already running") == true)

    var none = Self.reader(subscriptions: 0)
    #expect(none.press(.char("R")) == [])
    #expect(none.fetchActivity == nil)
    #expect(none.message?.text.contains("quire subscribe URL") == true)
  }

  @Test("progress shows on the status line, sources counted as they finish, failures too")
  func progress() {
    var state = Self.reader(subscriptions: 3)
    state.press(.char("R"))
    _ = Reader.update(&state, .fetchProgress(.asking("stat.ML")))
    #expect(state.fetchActivity?.text == "fetching 0/3 · asking stat.ML")
    _ = Reader.update(&state, .fetchProgress(.waiting("Arora", host: "export.arxiv.org", seconds: 3)))
    _ = Reader.update(&state, .fetchProgress(.finished("stat.ML", summary: "12 entries", failed: false)))
    _ = Reader.update(&state, .fetchProgress(.finished("Down", summary: "answered 503 Service Unavailable", failed: true)))
    #expect(state.fetchActivity?.text == "fetching 2/3 (1 failed) · Down failed: answered 503 Service Unavailable")
    let screen = Renderer.render(state).text
    #expect(screen.split(separator: "\n").last?.contains("fetching 2/3 (1 failed)") == true, "\(screen)")
    // Reading goes on meanwhile.
    state.press(.char("j"))
    #expect(state.selected == 1)
    #expect(state.fetchActivity != nil)
  }

  @Test("what came is shown with the selection kept, marked N and U, with a view of its own")
  func takingInTheFetch() throws {
    var state = Self.reader()
    state.press(.char("j"), .char("j"))
    let selected = try #require(state.selectedPaper?.id)
    state.press(.char("R"))
    let (library, fetched) = Self.fetchedLibrary()
    let effects = Reader.update(&state, .fetchFinished(FetchCompletion(library: library, fetched: fetched, summary: "2 new papers, 1 updated", failures: [])))
    #expect(effects == [.buildIndexes])
    #expect(state.fetchActivity == nil)
    #expect(state.library.count == 15)
    #expect(state.shown.count == 15)
    #expect(state.selectedPaper?.id == selected)
    #expect(state.message == .info("fetched: 2 new papers, 1 updated · marked N (U: new version); v shows the view New"))
    // The indexes for the new library are coming; the counts with them.
    _ = Reader.update(&state, .countsReady(ReadingIndex(reading: state.reading, library: state.library), start: state.reading))
    _ = Reader.update(&state, .indexReady(SearchIndex(library: state.library)))
    #expect(state.unreadCount == 15)
    let rows = Renderer.render(state).text.split(separator: "\n").map(String.init)
    #expect(rows.filter { $0.hasPrefix("│ ●N ") }.count == 2, "\(rows.joined(separator: "\n"))")
    #expect(rows.filter { $0.hasPrefix("│ ●U ") }.count == 1)
    #expect(rows.filter { $0.hasPrefix("│ ●  ") || $0.hasPrefix("│▸●  ") }.count == 12)
    // The viewer says what the fetch did to the paper.
    state.press(.char("G"))
    #expect(Renderer.render(state).text.contains("new in the last fetch of \(PublishedDate(fetched.at!).display)"))
    state.press(.char("g"), .char("j"))
    #expect(Renderer.render(state).text.contains("a new arXiv version in the last fetch"))
    // The view New: the views list offers it, and it shows the three.
    state.press(.char("v"))
    guard case .views(let list) = state.overlay else {
      Issue.record("no view list: \(String(describing: state.message))")
      return
    }
    #expect(list.entries.map(\.name) == ["All papers", "New"])
    #expect(list.entries.last?.total == 3)
    state.press(.char("j"), .enter)
    #expect(state.shown.count == 3)
  }

  @Test("a filter with is:new is answered again for the new fetch")
  func filterFollowsTheFetch() throws {
    let (library, fetched) = Self.fetchedLibrary()
    var state = AppState(
      library: library, reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      fetched: FetchedPapers(new: [library.id(at: 13)], at: Date()), subscriptionCount: 1)
    state.press(.char("f"))
    state.type("is:new")
    state.press(.enter)
    #expect(state.shown == [13])
    state.press(.char("R"))
    _ = Reader.update(&state, .fetchFinished(FetchCompletion(library: library, fetched: fetched, summary: "2 new papers", failures: [])))
    _ = Reader.update(&state, .countsReady(ReadingIndex(reading: state.reading, library: state.library), start: state.reading))
    _ = Reader.update(&state, .indexReady(SearchIndex(library: state.library)))
    #expect(state.shown == [13, 14])
  }

  @Test("a failed source is an error on the status line, with its reason; an index for an older library is not taken")
  func failures() {
    var state = Self.reader()
    state.press(.char("R"))
    _ = Reader.update(
      &state, .fetchFinished(FetchCompletion(library: nil, fetched: .none, summary: "0 new papers, 1 of 2 sources failed", failures: ["Down: answered 503 Service Unavailable"])))
    #expect(state.message == .error("fetched: 0 new papers, 1 of 2 sources failed · Down: answered 503 Service Unavailable"))
    // An index built for another library (one a fetch replaced) is dropped.
    let other = Library(name: "other", listings: [Self.listing("X", arxiv: "2411.00001")])
    _ = Reader.update(&state, .indexReady(SearchIndex(library: other)))
    state.press(.char("f"))
    state.type("year:2016")
    state.press(.enter)
    #expect(state.shown.count > 1)
  }

  @Test("C-l redraws in the tag editor and the prompts, and types nothing")
  func redrawInPrompts() {
    var state = makeState()
    state.press(.char("t"))
    state.type("k27")
    #expect(state.press(.ctrl("l")) == [.redraw])
    guard case .tagEditor(let editor) = state.overlay else {
      Issue.record("the tag editor closed")
      return
    }
    #expect(editor.input.text == "k27")
    state.press(.escape, .char("/"))
    state.type("net")
    #expect(state.press(.ctrl("l")) == [.redraw])
    guard case .search(let prompt) = state.overlay else {
      Issue.record("the search line closed")
      return
    }
    #expect(prompt.input.text == "net")
  }

  @Test("without subscriptions or fetches, the list has no column for marks")
  func noColumnWithoutFetching() {
    let rows = Renderer.render(makeState()).text.split(separator: "\n").map(String.init)
    #expect(rows[2].hasPrefix("│▸● 1993"), "\(rows[2])")
  }
}
