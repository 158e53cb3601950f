import QuireModel
import Testing

@testable import QuireUI

extension AppState {
  @discardableResult
  mutating func click(row: Int, col: Int) -> [Effect] { Reader.update(&self, .mouse(MouseEvent(.press, row: row, col: col))) }

  @discardableResult
  mutating func wheel(_ kind: MouseEvent.Kind, row: Int, col: Int) -> [Effect] {
    Reader.update(&self, .mouse(MouseEvent(kind, row: row, col: col)))
  }
}

/// Clicks and the wheel, from the layout alone. At 30×120 the panes sit side by side: the
/// list's papers from row 2, column 1; the viewer from column 60.
@Suite("Mouse")
struct MouseTests {
  @Test("a click on a paper selects it and focuses the list")
  func clickSelects() {
    var state = makeState()
    state.press(.enter)
    #expect(state.focus == .viewer)
    state.click(row: 2 + 4, col: 10)
    #expect(state.selected == 4)
    #expect(state.focus == .list)
    #expect(state.message == nil, "a click is never taken for a key")
  }

  @Test("a click on the list's border focuses it without moving the selection")
  func clickBorder() {
    var state = makeState()
    state.press(.char("j"), .enter)
    state.click(row: 1, col: 20)
    #expect(state.focus == .list)
    #expect(state.selected == 1)
  }

  @Test("a click below the last paper moves nothing")
  func clickBelowLast() {
    var state = makeState()
    state.press(.char("j"))
    state.click(row: 2 + 20, col: 10)
    #expect(state.selected == 1)
    #expect(state.focus == .list)
  }

  @Test("a click on a row counts from the first paper on screen, not the first of the list")
  func clickScrolled() {
    var state = makeState(rows: 12)
    state.press(.char("G"))
    let first = state.listOffset
    #expect(first > 0)
    state.click(row: 2, col: 10)
    #expect(state.selected == first)
  }

  @Test("a click in the viewer focuses it; one on the header or the status line does nothing")
  func clickViewer() {
    var state = makeState()
    state.click(row: 10, col: 80)
    #expect(state.focus == .viewer)
    state.click(row: 0, col: 10)
    state.click(row: 29, col: 10)
    #expect(state.focus == .viewer)
    #expect(state.selected == 0)
  }

  @Test("the stacked layout: the viewer is below the list")
  func clickStacked() {
    var state = makeState(rows: 30, cols: 80)
    let viewer = state.layout.viewer
    state.click(row: viewer.row + 2, col: 5)
    #expect(state.focus == .viewer)
    state.click(row: state.layout.list.inner.row + 1, col: 5)
    #expect(state.focus == .list)
    #expect(state.selected == 1)
  }

  @Test("the wheel over the list moves the view; the selection moves only to stay on screen")
  func wheelList() {
    var state = makeState(rows: 12)
    let rows = state.layout.list.inner.rows
    #expect(rows == 8)
    state.wheel(.wheelDown, row: 4, col: 10)
    #expect(state.listOffset == 3)
    #expect(state.selected == 3)
    state.wheel(.wheelDown, row: 4, col: 10)
    #expect(state.listOffset == state.shown.count - rows)
    #expect(state.selected == state.listOffset)
    let selected = state.selected
    state.wheel(.wheelUp, row: 4, col: 10)
    #expect(state.listOffset == selected - 3)
    #expect(state.selected == selected, "still on screen, so it stays")
    state.wheel(.wheelUp, row: 4, col: 10)
    state.wheel(.wheelUp, row: 4, col: 10)
    #expect(state.listOffset == 0)
    #expect(state.selected == selected)
    state.press(.char("g"))
    state.wheel(.wheelDown, row: 4, col: 10)
    state.wheel(.wheelDown, row: 4, col: 10)
    state.wheel(.wheelUp, row: 4, col: 10)
    #expect(state.listOffset == 2)
    #expect(state.selected == 5, "pulled down to the view's top, then left where it was")
    #expect(state.focus == .list)
  }

  @Test("the wheel over the viewer scrolls the abstract, whichever pane has the focus")
  func wheelViewer() {
    var state = makeState(rows: 14)
    state.wheel(.wheelDown, row: 6, col: 80)
    #expect(state.viewerOffset == 3)
    #expect(state.focus == .list)
    #expect(state.selected == 0)
    state.wheel(.wheelUp, row: 6, col: 80)
    #expect(state.viewerOffset == 0)
  }

  @Test("help: the wheel scrolls it, a click inside keeps it, a click outside closes it")
  func help() {
    var state = makeState(rows: 14)
    state.press(.char("?"))
    let box = state.layout.helpBox
    state.wheel(.wheelDown, row: box.row + 2, col: box.col + 4)
    #expect(state.overlay == .help(offset: 3))
    state.wheel(.wheelUp, row: box.row + 2, col: box.col + 4)
    state.wheel(.wheelUp, row: box.row + 2, col: box.col + 4)
    #expect(state.overlay == .help(offset: 0))
    state.click(row: box.row + 2, col: box.col + 4)
    #expect(state.overlay == .help(offset: 0))
    state.click(row: 0, col: 0)
    #expect(state.overlay == nil)
    #expect(state.selected == 0, "the click that closed help went no further")
  }

  @Test("views: a click picks the view under it, the wheel moves the choice, a click outside closes")
  func views() throws {
    var state = FindingTests.viewsState()
    state.press(.char("v"))
    let box = ViewListBox(try #require(viewList(state)), in: state.layout.helpBox)
    state.wheel(.wheelDown, row: box.rect.row + 2, col: box.rect.col + 5)
    #expect(viewList(state)?.selected == 1)
    state.click(row: box.rect.inner.row + 2, col: box.rect.col + 5)
    #expect(state.overlay == nil)
    #expect(state.currentView == 1)
    #expect(Renderer.render(state).lines[0].contains("view: GANs"))

    state.press(.char("v"))
    state.click(row: box.rect.maxRow + 1, col: box.rect.col + 5)
    #expect(state.overlay == nil)
    #expect(state.currentView == 1, "a click outside only closes the list")
  }

  func viewList(_ state: AppState) -> ViewList? {
    if case .views(let list) = state.overlay { return list }
    return nil
  }

  @Test("the mark-all question: a click is not a yes")
  func confirm() {
    var state = makeState()
    state.press(.char("A"))
    #expect(state.overlay == .confirmMarkAllRead(count: 13))
    state.click(row: 2 + 3, col: 10)
    #expect(state.overlay == nil)
    #expect(state.unreadCount == 13)
    #expect(state.message?.text == "nothing marked")
    #expect(state.selected == 0)
  }

  @Test("the tag editor: a click inside keeps it; a click on the list closes it and selects")
  func tagEditor() throws {
    var state = makeState()
    state.press(.char("t"))
    let tags = try #require(state.layout.tags)
    state.click(row: tags.row + 1, col: tags.col + 3)
    #expect(state.isTagEditorOpen)
    // The wheel over the list would move the selection off the paper being tagged.
    state.wheel(.wheelDown, row: 4, col: 10)
    #expect(state.selected == 0)
    state.click(row: 2 + 2, col: 10)
    #expect(!state.isTagEditorOpen)
    #expect(state.selected == 2)
  }

  @Test("search: a click on a paper keeps the search, as Enter does, and selects the paper")
  func search() {
    var state = makeState()
    state.press(.char("/"))
    state.type("deep")
    let found = state.shown.count
    #expect(found > 1 && found < 13)
    state.wheel(.wheelDown, row: 4, col: 10)
    #expect(state.selected == min(found - 1, 0), "all found papers fit: nothing to scroll")
    state.click(row: 29, col: 20)
    #expect(state.overlay != nil, "a click on the prompt keeps it open")
    state.click(row: 2 + 1, col: 10)
    #expect(state.overlay == nil)
    #expect(state.filter.search == "deep")
    #expect(state.shown.count == found)
    #expect(state.selected == 1)
  }

  @Test("the filter line: a click on a pane closes it unchanged, as Esc does")
  func filter() {
    var state = makeState()
    state.press(.char("f"))
    state.type("year:2016")
    state.click(row: 10, col: 80)
    #expect(state.overlay == nil)
    #expect(state.filter.query.isEmpty)
    #expect(state.message?.text == "filter unchanged")
    #expect(state.focus == .viewer)
  }

  @Test("a terminal too small for the panes ignores the mouse")
  func tooSmall() {
    var state = makeState(rows: 5, cols: 30)
    state.click(row: 2, col: 2)
    state.wheel(.wheelDown, row: 2, col: 2)
    #expect(state.selected == 0 && state.focus == .list && state.listOffset == 0)
  }

  @Test(
    "mouse reports curses left undecoded are read whole, never as keys",
    arguments: [
      ("[<0;11;7M", MouseReport.event(MouseEvent(.press, row: 6, col: 10))),
      ("[<0;11;7m", .ignored),
      ("[<64;3;4M", .event(MouseEvent(.wheelUp, row: 3, col: 2))),
      ("[<65;3;4M", .event(MouseEvent(.wheelDown, row: 3, col: 2))),
      ("[<2;3;4M", .ignored),
      ("[<32;3;4M", .ignored),
      ("[<16;5;6M", .event(MouseEvent(.press, row: 5, col: 4))),
      ("[M +'", .event(MouseEvent(.press, row: 6, col: 10))),
      ("[M#+'", .ignored),
      ("[Ma!!", .event(MouseEvent(.wheelDown, row: 0, col: 0))),
    ])
  func reports(text: String, expected: MouseReport) {
    #expect(MouseReport.parse(Array(text.unicodeScalars)) == expected)
  }

  @Test("other sequences are not mouse reports; an X10 report is whole only with its three bytes")
  func notReports() {
    #expect(MouseReport.parse(Array("[A".unicodeScalars)) == nil)
    #expect(MouseReport.parse(Array("OP".unicodeScalars)) == nil)
    #expect(!Key.escapeSequenceIsComplete(Array("[M".unicodeScalars)))
    #expect(!Key.escapeSequenceIsComplete(Array("[M A".unicodeScalars)))
    #expect(Key.escapeSequenceIsComplete(Array("[M AB".unicodeScalars)))
    #expect(!Key.escapeSequenceIsComplete(Array("[<0;1".unicodeScalars)))
    #expect(Key.escapeSequenceIsComplete(Array("[<0;1;1M".unicodeScalars)))
  }
}
