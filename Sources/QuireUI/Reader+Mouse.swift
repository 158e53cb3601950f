/// Clicks and the wheel, worked out from the layout alone so that they are tested without
/// a terminal.
///
/// - A click in the list selects the paper under it and focuses the list; a click in the
///   viewer focuses the viewer. The wheel scrolls the pane under the pointer, whichever
///   has the focus.
/// - Help, the view list and the mark-all question are boxes over the panes: a click
///   outside one closes it and goes no further. A click on a view picks it.
/// - The tag editor and the prompts sit beside the panes: a click on a pane closes them (a
///   search is kept, as Enter keeps it; the filter line and the tag editor close as Esc
///   closes them) and then acts on the pane.
extension Reader {
  /// Lines the wheel moves at a time, as most terminal programs do.
  static let wheelStep = 3

  static func mouse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
    guard !state.layout.tooSmall else { return [] }
    let layout = state.layout
    switch state.overlay {
    case .help(let offset):
      if event.kind == .press {
        if !layout.helpBox.contains(row: event.row, col: event.col) { state.overlay = nil }
        return []
      }
      scrollHelp(to: offset + (event.kind == .wheelDown ? wheelStep : -wheelStep), &state)
      return []
    case .stats(let view):
      if event.kind == .press {
        if !layout.helpBox.contains(row: event.row, col: event.col) { state.overlay = nil }
        return []
      }
      scrollStats(view, to: view.offset + (event.kind == .wheelDown ? wheelStep : -wheelStep), &state)
      return []
    case .views(var list):
      viewListMouse(event, &list, &state)
      return []
    case .confirmMarkAllRead:
      if event.kind == .press {
        state.overlay = nil
        state.message = .info("nothing marked")
      }
      return []
    case .tagEditor, .filter, .title:
      guard event.kind == .press else {
        // The list moving under the tag editor would leave it on a paper no longer shown.
        if layout.viewer.contains(row: event.row, col: event.col), !isOverPrompt(event, layout) { scroll(event, &state) }
        return []
      }
      guard !isOverPrompt(event, layout) else { return [] }
      if case .filter = state.overlay { state.message = .info("filter unchanged") }
      if case .title = state.overlay { state.message = .info("title unchanged") }
      state.overlay = nil
    case .search:
      if event.kind != .press {
        // The wheel moves the selection as Up and Down do while typing.
        scroll(event, &state)
        return []
      }
      guard !isOverPrompt(event, layout) else { return [] }
      state.overlay = nil
    case nil:
      break
    }
    if event.kind == .press {
      click(event, &state)
    } else {
      scroll(event, &state)
    }
    return []
  }

  /// The tag editor's box or the prompt on the status line.
  static func isOverPrompt(_ event: MouseEvent, _ layout: Layout) -> Bool {
    if let tags = layout.tags, tags.contains(row: event.row, col: event.col) { return true }
    return layout.status.contains(row: event.row, col: event.col)
  }

  static func click(_ event: MouseEvent, _ state: inout AppState) {
    let layout = state.layout
    if layout.list.contains(row: event.row, col: event.col) {
      state.focus = .list
      let inner = layout.list.inner
      guard inner.contains(row: event.row, col: event.col) else { return }
      let position = state.listOffset + event.row - inner.row
      if position < state.shown.count { state.select(position) }
    } else if layout.viewer.contains(row: event.row, col: event.col) {
      state.focus = .viewer
    }
  }

  static func scroll(_ event: MouseEvent, _ state: inout AppState) {
    let layout = state.layout
    let step = event.kind == .wheelDown ? wheelStep : -wheelStep
    if layout.list.contains(row: event.row, col: event.col) {
      state.scrollList(by: step)
    } else if layout.viewer.contains(row: event.row, col: event.col) {
      state.scrollViewer(by: step)
    }
  }

  static func viewListMouse(_ event: MouseEvent, _ list: inout ViewList, _ state: inout AppState) {
    let box = ViewListBox(list, in: state.layout.helpBox)
    switch event.kind {
    case .wheelUp: list.selected = max(0, list.selected - 1)
    case .wheelDown: list.selected = min(list.entries.count - 1, list.selected + 1)
    case .press:
      guard box.rect.contains(row: event.row, col: event.col) else {
        state.overlay = nil
        return
      }
      guard let index = box.entry(atRow: event.row) else { break }
      state.overlay = nil
      state.switchView(to: index == 0 ? nil : index - 1)
      if state.message == nil { state.message = .info("view: \(state.viewName)") }
      return
    }
    state.overlay = .views(list)
  }

  /// Help scrolled to `offset`, kept within its text as the keys keep it.
  static func scrollHelp(to offset: Int, _ state: inout AppState) {
    let box = state.layout.helpBox.inner
    let lines = HelpOverlay.lines(
      for: state.keymap, statePath: state.statePath, keymapPath: state.keymapPath, configPath: state.configPath,
      width: box.cols - 2
    ).count
    state.overlay = .help(offset: max(0, min(offset, lines - box.rows)))
  }
}

extension AppState {
  /// Moves the list's view, not the selection, as lazygit and htop do: the selection
  /// moves only as far as it must to stay on screen.
  mutating func scrollList(by delta: Int) {
    let rows = max(1, layout.list.inner.rows)
    listOffset = max(0, min(listOffset + delta, shown.count - rows))
    if selected < listOffset { select(listOffset) }
    if selected >= listOffset + rows { select(listOffset + rows - 1) }
  }
}

/// Where the view list is drawn and which entries show: shared by the renderer and the
/// mouse, so a click lands on the entry drawn under it.
struct ViewListBox {
  var rect: Rect
  /// The first entry shown, and how many rows of entries there are.
  var first: Int
  var rows: Int
  private var count: Int

  init(_ list: ViewList, in box: Rect) {
    rect = Rect(row: box.row, col: box.col, rows: min(box.rows, list.entries.count + 4), cols: box.cols)
    rows = max(0, rect.inner.rows - 1)
    first = max(0, min(list.selected - rows / 2, list.entries.count - rows))
    count = list.entries.count
  }

  func entry(atRow row: Int) -> Int? {
    let inner = rect.inner
    guard row >= inner.row, row < inner.row + rows else { return nil }
    let index = first + row - inner.row
    return index < count ? index : nil
  }
}
