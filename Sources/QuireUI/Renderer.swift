import QuireModel

/// Draws the whole screen for a state into a grid. Work is proportional to the cells on
/// screen plus the selected paper's abstract, never to the size of the library.
public enum Renderer {
  public static func render(_ state: AppState) -> Grid {
    var grid = Grid(rows: state.size.rows, cols: state.size.cols)
    let layout = state.layout
    if layout.tooSmall {
      let needed = Layout.minimumSize
      grid.put(
        " quire needs \(needed.cols)×\(needed.rows) (now \(state.size.cols)×\(state.size.rows))",
        row: 0, col: 0, role: .statusError)
      return grid
    }
    drawHeader(state, layout.header, &grid)
    drawList(state, layout.list, &grid)
    drawViewer(state, layout.viewer, &grid)
    if let rect = layout.tags, case .tagEditor(let editor) = state.overlay {
      drawTagEditor(state, editor, rect, &grid)
    }
    drawStatus(state, layout.status, &grid)
    if case .help(let offset) = state.overlay {
      HelpOverlay.draw(state, offset: offset, layout.helpBox, &grid)
    }
    if case .views(let list) = state.overlay {
      drawViewList(list, state, layout.helpBox, &grid)
    }
    if case .stats(let view) = state.overlay {
      StatsOverlay.draw(view, keymap: state.keymap, layout.helpBox, &grid)
    }
    return grid
  }

  // MARK: - Header

  static func drawHeader(_ state: AppState, _ rect: Rect, _ grid: inout Grid) {
    grid.fill(rect, role: .status)
    let title = " quire · \(state.library.name)" + (state.currentView.map { " · view: \(state.views[$0].name)" } ?? "")
    // The columns drawn, not the title's whole width: a view's name may be very long.
    let used = grid.put(title, row: rect.row, col: 0, limit: rect.cols, role: .status)
    let counts = "\(state.library.count) papers · \(state.countsReady ? "\(state.unreadCount)" : "…") unread"
    let filter = state.filter.isActive ? ["filter: \(state.filter.summary) "] : []
    for summary in [counts + " · filter: \(state.filter.summary) "] + filter + [counts + " "] {
      let width = TerminalText.width(summary)
      if used + 2 + width <= rect.cols {
        grid.put(summary, row: rect.row, col: rect.cols - width, role: .status)
        break
      }
    }
  }

  // MARK: - Paper list

  static func drawList(_ state: AppState, _ rect: Rect, _ grid: inout Grid) {
    let marked = state.marks.isEmpty ? "" : " · \(state.marks.count) marked"
    grid.box(rect, title: "Papers" + marked, focused: state.focus == .list && state.overlay == nil)
    let inner = rect.inner
    guard !inner.isEmpty else { return }
    if state.shown.isEmpty {
      var what: [String] = state.currentView.map { ["view \(state.views[$0].name)"] } ?? []
      if state.filter.isActive { what.append(state.filter.summary) }
      let text = state.library.count == 0 ? "The library is empty." : "No paper matches \(what.joined(separator: " · "))"
      grid.put(" " + text, row: inner.row, col: inner.col, limit: inner.cols, role: .dim)
      return
    }
    let authorCols = min(26, max(8, inner.cols / 3))
    let showsFetchMarks = state.showsFetchMarks
    let showsMarks = !state.marks.isEmpty
    let end = min(state.shown.count, state.listOffset + inner.rows)
    guard state.listOffset < end else { return }
    for position in state.listOffset..<end {
      let entry = state.reading[state.library.id(at: state.shown[position])]
      let paper = state.library[state.shown[position]].titled(by: entry)
      let row = inner.row + position - state.listOffset
      let isSelected = position == state.selected
      var col = inner.col
      col += grid.put(isSelected ? "▸" : " ", row: row, col: col, limit: 1)
      // A column for marks only while there are any, so the list does not shift otherwise.
      if showsMarks {
        col += grid.put(state.marks.contains(paper.id) ? "*" : " ", row: row, col: col, limit: 1, role: .tag)
      }
      col += grid.put(entry.status == .read ? "○" : "●", row: row, col: col, limit: 1, role: entry.status == .read ? .read : .unread)
      // A column for what the last fetch brought, where there are fetches to speak of.
      if showsFetchMarks {
        col += grid.put(state.fetchMark(paper.id).map(String.init) ?? " ", row: row, col: col, limit: 1, role: .unread)
      }
      col += grid.put(" ", row: row, col: col, limit: 1)
      let year = paper.year.map(String.init) ?? "―"
      grid.put(year, row: row, col: col, limit: 4, role: .dim)
      col += 5
      let remaining = inner.col + inner.cols - col
      guard remaining > 0 else { continue }
      let authors = fittedAuthors(paper, columns: min(authorCols, remaining))
      grid.put(authors, row: row, col: col, limit: remaining, marking: TextNormalizer.matchRanges(of: state.highlights, in: authors))
      col += min(authorCols, remaining) + 1
      let titleCols = inner.col + inner.cols - col
      if titleCols > 0 {
        // Tags sit at the right end of the row and may take up to a third of the title's room.
        var tagCols = 0
        if !entry.tags.isEmpty && titleCols >= 12 {
          let tags = TerminalText.truncate(entry.tags.map { "#" + $0 }.joined(separator: " "), to: titleCols / 3)
          tagCols = TerminalText.width(tags) + 1
          grid.put(
            tags, row: row, col: col + titleCols - tagCols + 1, limit: tagCols - 1, role: .tag,
            marking: TextNormalizer.matchRanges(of: state.highlights, in: tags))
        }
        let label = TerminalText.truncate(paper.compactLabel, to: titleCols - tagCols)
        grid.put(
          label, row: row, col: col, limit: titleCols - tagCols, role: paper.hasTitle ? (entry.status == .read ? .read : .normal) : .label,
          marking: TextNormalizer.matchRanges(of: state.highlights, in: label))
      }
      if isSelected {
        let focused = state.focus == .list
        grid.paint(row: row, col: inner.col, cols: inner.cols, role: focused ? .selection : .selectionUnfocused)
      }
    }
  }

  /// "Leshno, Lin, Pinkus +1", or fewer names ("Leshno +3") when the column is narrow.
  static func fittedAuthors(_ paper: Paper, columns: Int) -> String {
    let names = paper.familyNames
    for limit in stride(from: 3, through: 1, by: -1) {
      let text = Paper.shortAuthors(names, limit: limit)
      if TerminalText.width(text, upTo: columns + 1) <= columns { return text }
    }
    return TerminalText.truncate(Paper.shortAuthors(names, limit: 1), to: columns)
  }

  // MARK: - Abstract viewer

  static func drawViewer(_ state: AppState, _ rect: Rect, _ grid: inout Grid) {
    grid.box(rect, title: "Paper", focused: state.focus == .viewer && state.overlay == nil)
    let inner = rect.inner
    guard !inner.isEmpty else { return }
    let textRect = state.layout.viewerText
    guard let paper = state.selectedPaper else {
      grid.put("Nothing selected.", row: textRect.row, col: textRect.col, limit: textRect.cols, role: .dim)
      return
    }
    let lines = state.detail(for: paper, width: textRect.cols)
    let end = min(lines.count, state.viewerOffset + textRect.rows)
    if state.viewerOffset < end {
      for index in state.viewerOffset..<end {
        let line = lines[index]
        grid.put(
          line.text, row: textRect.row + index - state.viewerOffset, col: textRect.col, limit: textRect.cols,
          role: line.role, marking: TextNormalizer.matchRanges(of: state.highlights, in: line.text),
          current: state.currentMatch.flatMap { $0.line == index ? $0.range : nil })
      }
    }
    // Where we are in a long abstract, in the bottom border.
    if lines.count > textRect.rows {
      let percent = min(100, (state.viewerOffset + textRect.rows) * 100 / lines.count)
      let mark = " \(percent)% "
      grid.put(mark, row: rect.maxRow - 1, col: rect.col + rect.cols - 2 - mark.count, role: .border)
    }
  }

  // MARK: - Tag editor

  static func drawTagEditor(_ state: AppState, _ editor: TagEditor, _ rect: Rect, _ grid: inout Grid) {
    grid.fill(rect)
    let of = editor.bulk.map { " of \($0.papers.count) marked paper\($0.papers.count == 1 ? "" : "s")" } ?? ""
    grid.box(rect, title: "Tags" + of, focused: true)
    let inner = rect.inner
    guard inner.rows >= 2 else { return }
    // On marked papers each chip says how many of them carry the tag.
    let tags = editor.bulk.map { bulk in bulk.tags.map { "\($0.name) \($0.count)/\(bulk.papers.count)" } } ?? state.reading[editor.paper].tags
    var col = inner.col + 1
    let end = inner.col + inner.cols - 1
    if tags.isEmpty {
      grid.put("no tags yet", row: inner.row, col: col, limit: end - col, role: .dim)
    }
    // Chips from the first, or from the selected one when it would not fit; "+N" counts
    // the ones left out.
    var first = 0
    if let selected = editor.selectedTag {
      let room = end - col
      // Measured no wider than the row: a tag may be a megabyte of pasted text.
      func chipWidth(_ index: Int) -> Int { TerminalText.width(tags[index], upTo: room + 1) + 4 }
      let fitsFromStart = (0...selected).reduce(0) { $0 + chipWidth($1) } <= room
      if !fitsFromStart {
        first = selected
        var used = chipWidth(selected)
        while first > 0, used + chipWidth(first - 1) + TerminalText.width("+\(first - 1) ") <= room {
          first -= 1
          used += chipWidth(first)
        }
      }
    }
    if first > 0 { col += grid.put("+\(first) ", row: inner.row, col: col, limit: end - col, role: .dim) }
    for index in first..<tags.count {
      let rest = tags.count - index - 1
      let reserve = rest > 0 ? TerminalText.width("  +\(rest)") : 0
      // Only the first chip shown (or the selected one) is shortened when it is wider
      // than the row; any other chip that does not fit becomes part of "+N".
      let shorten = index == first || index == editor.selectedTag
      let longest = max(1, min(end - col - reserve - 2, (end - inner.col) / 2))
      let chip = (shorten ? TerminalText.truncate(tags[index], to: longest) : tags[index]) + " ×"
      let available = end - col - reserve
      if TerminalText.width(chip, upTo: max(0, available) + 1) > available, index != editor.selectedTag {
        grid.put("+\(tags.count - index)", row: inner.row, col: col, limit: max(0, end - col), role: .dim)
        break
      }
      let role: Role = editor.selectedTag == index ? .selection : .tag
      col += grid.put(chip, row: inner.row, col: col, limit: end - col, role: role)
      col += grid.put("  ", row: inner.row, col: col, limit: max(0, end - col))
    }
    let present = editor.bulk == nil ? tags : []
    drawInput(prompt: editor.bulk == nil ? "add: " : "add to all: ", editor.input, suggestions: state.tagCompletions(excluding: present), row: inner.row + 1, col: inner.col + 1, cols: inner.cols - 2, &grid)
    if inner.rows >= 3 {
      let hint = editor.bulk == nil
        ? "⏎ add · Tab complete · ⌫ on empty line removes a tag · -name ⏎ removes it · Esc close"
        : "⏎ adds to every marked paper · -name ⏎ or ⌫ on a tag removes it from all · Esc close"
      grid.put(TerminalText.truncate(hint, to: inner.cols - 2), row: inner.row + 2, col: inner.col + 1, limit: inner.cols - 2, role: .dim)
    }
  }

  /// A prompt, the text typed, a cursor, and the rest of the first completion dimmed.
  static func drawInput(
    prompt: String, _ input: LineInput, suggestions: [String], row: Int, col: Int, cols: Int, mark: Int? = nil,
    _ grid: inout Grid
  ) {
    var x = col
    let end = col + cols
    x += grid.put(prompt, row: row, col: x, limit: end - x, role: .dim)
    let characters = Array(input.text)
    let cursor = input.position
    // Scroll a long line so the cursor stays in sight, with a little of what follows it.
    let room = max(1, end - x)
    func width(_ range: Range<Int>) -> Int { range.reduce(0) { $0 + TerminalText.width(String(characters[$1])) } }
    var first = 0
    let after = min(characters.count, cursor + 8)
    while first < cursor, width(first..<after) + (after == characters.count ? 1 : 0) > room { first += 1 }
    for offset in first..<characters.count {
      guard x < end else { break }
      let role: Role = offset == cursor ? .cursor : offset == mark ? .statusError : .input
      x += grid.put(String(characters[offset]), row: row, col: x, limit: end - x, role: role)
    }
    guard cursor == characters.count, x < end else { return }
    // At the end of the line: the cursor, then the rest of the first completion dimmed.
    let typed = input.text.lowercased()
    var rest = " "
    if input.completionIndex == nil, !typed.isEmpty,
      let match = suggestions.first(where: { $0.lowercased().hasPrefix(typed) && $0.count > typed.count })
    {
      rest = String(match.dropFirst(input.text.count))
    }
    x += grid.put(String(rest.prefix(1)), row: row, col: x, limit: end - x, role: .cursor)
    grid.put(String(rest.dropFirst()), row: row, col: x, limit: max(0, end - x), role: .completion)
  }

  /// A query being typed on the status line: the text, a cursor, and either how many
  /// papers it finds or, when it is not a query yet, what is wrong and where (the character
  /// marked).
  static func drawQueryLine(
    prefix: String, _ input: LineInput, error: QueryError?, trailer: String, _ state: AppState, row: Int, cols: Int,
    _ grid: inout Grid
  ) {
    let problem = error.map { "  ✗ column \($0.column): \($0.message) " } ?? trailer
    // What is wrong matters more than the rest of a long line: the line keeps 20 columns
    // around the cursor, which the filter line puts where the error is.
    let problemCols = min(TerminalText.width(problem), max(0, cols - TerminalText.width(prefix) - 20))
    let mark = error.map { $0.column - 1 }
    drawInput(prompt: prefix, input, suggestions: [], row: row, col: 0, cols: cols - problemCols, mark: mark, &grid)
    grid.paint(row: row, col: 0, cols: TerminalText.width(prefix), role: .status)
    if problemCols > 0 {
      grid.put(
        TerminalText.truncate(problem, to: problemCols), row: row, col: cols - problemCols, limit: problemCols,
        role: error == nil ? .status : .statusError)
    }
  }

  /// The saved views, each with its unread and total counts, over the panes.
  static func drawViewList(_ list: ViewList, _ state: AppState, _ box: Rect, _ grid: inout Grid) {
    let placed = ViewListBox(list, in: box)
    let rect = placed.rect
    grid.fill(rect)
    grid.box(rect, title: "Views", focused: true)
    let inner = rect.inner
    guard inner.rows > 1, inner.cols > 10 else { return }
    let (rows, first) = (placed.rows, placed.first)
    let nameCols = list.entries.map { TerminalText.width($0.name, upTo: inner.cols / 2) }.max() ?? 0
    for (line, index) in (first..<min(list.entries.count, first + rows)).enumerated() {
      let entry = list.entries[index]
      let row = inner.row + line
      var col = inner.col
      let current = (state.currentView.map { $0 + 1 } ?? 0) == index
      col += grid.put(current ? " ● " : "   ", row: row, col: col, limit: 3, role: .unread)
      grid.put(TerminalText.truncate(entry.name, to: nameCols), row: row, col: col, limit: nameCols, role: .title)
      col += nameCols + 2
      let counts = entry.problem.map { "✗ \($0)" } ?? "\(entry.unread) unread · \(entry.total) paper\(entry.total == 1 ? "" : "s")"
      let room = inner.col + inner.cols - col
      col += grid.put(TerminalText.truncate(counts, to: room), row: row, col: col, limit: room, role: entry.problem == nil ? .normal : .statusError)
      if !entry.query.isEmpty, inner.col + inner.cols - col > 8 {
        let rest = inner.col + inner.cols - col - 2
        grid.put(TerminalText.truncate(entry.query, to: rest), row: row, col: col + 2, limit: rest, role: .dim)
      }
      if index == list.selected { grid.paint(row: row, col: inner.col, cols: inner.cols, role: .selection) }
    }
    let keys = "⏎ switch · esc close"
    grid.put(keys, row: inner.row + inner.rows - 1, col: inner.col + 1, limit: inner.cols - 1, role: .dim)
  }

  // MARK: - Status line

  static func drawStatus(_ state: AppState, _ rect: Rect, _ grid: inout Grid) {
    grid.fill(rect, role: .status)
    // The save state is drawn first and never overwritten, prompts included: it is what
    // must not be missed.
    let saveText: String
    let saveRole: Role
    switch state.saveStatus {
    case .saved: (saveText, saveRole) = ("saved ", .status)
    case .pending: (saveText, saveRole) = ("saving… ", .status)
    case .failed: (saveText, saveRole) = (rect.cols < 80 ? "NOT SAVED " : "NOT SAVED — retrying ", .statusError)
    }
    let saveCol = max(0, rect.cols - TerminalText.width(saveText))
    grid.put(saveText, row: rect.row, col: saveCol, role: saveRole)

    switch state.overlay {
    case .confirmMarkAllRead(let count):
      let prompt = " Mark \(count) shown paper\(count == 1 ? "" : "s") read? (y/n)"
      grid.put(TerminalText.truncate(prompt, to: saveCol - 1), row: rect.row, col: 0, role: .statusMessage)
      return
    case .search(let prompt):
      let found =
        prompt.error != nil ? "" : state.waitingForIndex
          ? "  building the search index… " : "  \(state.shown.count) of \(prompt.scope) "
      drawQueryLine(
        prefix: " /", prompt.input, error: prompt.error, trailer: found, state, row: rect.row, cols: saveCol - 1, &grid)
      return
    case .title(let prompt):
      drawInput(prompt: " title: ", prompt.input, suggestions: [], row: rect.row, col: 0, cols: saveCol - 1, &grid)
      grid.paint(row: rect.row, col: 0, cols: TerminalText.width(" title: "), role: .status)
      return
    case .filter(let prompt):
      drawQueryLine(
        prefix: rect.cols < 60 ? " f: " : " filter: ", prompt.input, error: prompt.error, trailer: "", state, row: rect.row,
        cols: saveCol - 1, &grid)
      return
    default:
      break
    }

    // Whole parts give way, least useful first, so that nothing is cut mid-word and the
    // filter in force stays in sight: counts, then the filter, then all but the position.
    let position = state.shown.isEmpty ? "0/0" : "\(state.selected + 1)/\(state.shown.count)"
    let unread = state.countsReady ? "\(state.unreadCount)" : "…"
    var filter = state.filter.isActive ? " · filter: \(state.filter.summary)" : ""
    if state.sort != .listed { filter += " · sort: \(state.sort.label)" }
    let candidates = [
      " \(position) shown · \(unread) unread · \(state.library.count) total\(filter)  ",
      " \(position) · \(unread) unread\(filter)  ",
      " \(position)\(filter)  ",
      " \(position)  ",
    ]
    let wanted = state.message.map { TerminalText.width($0.text, upTo: 40) } ?? 0
    // The room a message gets below is exactly what this test leaves it.
    let left = candidates.first { TerminalText.width($0) + wanted <= saveCol - 2 } ?? candidates.last!
    let col = grid.put(TerminalText.truncate(left, to: max(0, saveCol - 1)), row: rect.row, col: 0, role: .status)
    let room = max(0, saveCol - col - 2)
    if let message = state.message {
      let role: Role = message.kind == .error ? .statusError : .statusMessage
      grid.put(TerminalText.truncate(message.text, to: room), row: rect.row, col: col, limit: room, role: role)
    } else if let activity = state.fetchActivity {
      grid.put(TerminalText.truncate(activity.text, to: room), row: rect.row, col: col, limit: room, role: .statusMessage)
    } else {
      grid.put(Hints.text(for: state, width: room), row: rect.row, col: col, role: .status)
    }
  }
}

/// Key hints for the status line, made from the bindings in force.
enum Hints {
  /// As many hints as fit in `width` columns, most useful first.
  static func text(for state: AppState, width: Int) -> String {
    let context = state.keyContext
    let commands: [Command] =
      context == .input
      ? [.accept, .complete, .cancel]
      : state.focus == .viewer
        ? [.down, .back, .toggleRead, .editTags, .help, .quit]
        : [.down, .open, .toggleRead, .editTags, .search, .filter, .toggleUnreadOnly, .help, .quit]
    var parts: [String] = []
    for command in commands {
      var keys = state.keymap.keys(for: command, in: context)
      guard !keys.isEmpty, let hint = command.hint else { continue }
      if command == .down, let up = state.keymap.keys(for: .up, in: context).first {
        keys = [keys[0], up]
        parts.append("\(keys[0])/\(up) \(state.focus == .viewer ? "scroll" : hint)")
        continue
      }
      if command == .quit, state.focus == .viewer, state.keymap.command(for: keys[0], in: .viewer) != .quit {
        keys = keys.filter { state.keymap.command(for: $0, in: .viewer) == .quit }
        guard !keys.isEmpty else { continue }
      }
      parts.append("\(symbol(for: keys[0])) \(hint)")
    }
    var text = ""
    for part in parts {
      let next = text.isEmpty ? part : text + " · " + part
      if TerminalText.width(next) > width { break }
      text = next
    }
    return text
  }

  static func symbol(for key: Key) -> String {
    switch key {
    case .enter: return "⏎"
    default: return key.description
    }
  }
}

/// The help overlay: every binding in force, generated from the keymap and the action table.
enum HelpOverlay {
  /// The help text wrapped to `width` columns: each binding's help wraps under itself,
  /// or, when the overlay is narrow, goes on the lines below its keys.
  static func lines(for keymap: Keymap, statePath: String, keymapPath: String = "", configPath: String = "", width: Int) -> [DetailLine] {
    var out: [DetailLine] = []
    let keyColumn = width >= 50 ? 22 : 4
    func add(_ text: String, _ role: Role) {
      for line in TerminalText.wrap(text, width: max(1, width)) { out.append(DetailLine(text: line, role: role)) }
    }
    let sections: [(String, KeyContext)] = [
      ("Everywhere (in the viewer, moving keys scroll the abstract)", .global),
      ("In the paper list", .list),
      ("In the abstract viewer", .viewer),
      ("In the tag editor and prompts (other keys type)", .input),
    ]
    for (title, context) in sections {
      var rows: [DetailLine] = []
      for command in Command.allCases {
        // Each section lists only the bindings made in its own context.
        let keys = keymap.keys(for: command, in: context).filter { keymap.bindings[context]?[$0] == command }
        guard !keys.isEmpty else { continue }
        let names = "  " + keys.map(\.description).joined(separator: " ")
        let helpLines = TerminalText.wrap(command.help, width: max(1, width - keyColumn))
        let indent = String(repeating: " ", count: keyColumn)
        if keyColumn > 4, TerminalText.width(names) < keyColumn {
          let padded = names + String(repeating: " ", count: keyColumn - TerminalText.width(names))
          rows.append(DetailLine(text: padded + (helpLines.first ?? ""), role: .normal))
          rows += helpLines.dropFirst().map { DetailLine(text: indent + $0, role: .normal) }
        } else {
          rows.append(DetailLine(text: names, role: .normal))
          rows += helpLines.map { DetailLine(text: indent + $0, role: .dim) }
        }
      }
      guard !rows.isEmpty else { continue }
      if !out.isEmpty { out.append(DetailLine(text: "", role: .normal)) }
      add(title, .heading)
      out += rows
    }
    out.append(DetailLine(text: "", role: .normal))
    add("Queries (/ and f)", .heading)
    for line in [
      "words must all match, ignoring case and accents · \"a phrase\"",
      "title: author: venue: abstract: tag: note: id: doi: arxiv: look in one field",
      "year:2016 year:>=2015 year:2014..2017 · added:<7d added:>=2026-11-01 · is:read is:unread",
      "-word or not word excludes · a or b · ( ) group",
    ] {
      for wrapped in TerminalText.wrap(line, width: max(1, width - 2)) { out.append(DetailLine(text: "  " + wrapped, role: .normal)) }
    }
    out.append(DetailLine(text: "", role: .normal))
    let userConfig = configPath.isEmpty ? "~/.config/quire/config" : configPath
    add("Saved views: lines such as view \"To read\" = \"is:unread tag:theory\" in \(userConfig).", .dim)
    let userKeymap = keymapPath.isEmpty ? "~/.config/quire/keymap" : keymapPath
    add("Keys: \(keymap.origin), then \(userKeymap).", .dim)
    if !statePath.isEmpty { add("Reading state is saved to \(statePath)", .dim) }
    return out
  }

  /// "Keys · j/k scroll · other keys close", with the keys in force, so that the emacs
  /// keymap's boxes say C-n/C-p.
  static func overlayTitle(_ name: String, _ keymap: Keymap) -> String {
    let scroll = [Command.down, .up].compactMap { keymap.keys(for: $0, in: .list).first?.description }
    return name + " · " + (scroll.count == 2 ? "\(scroll[0])/\(scroll[1]) scroll · " : "") + "other keys close"
  }

  static func draw(_ state: AppState, offset: Int, _ rect: Rect, _ grid: inout Grid) {
    grid.fill(rect)
    grid.box(rect, title: overlayTitle("Keys", state.keymap), focused: true)
    let inner = rect.inner
    guard !inner.isEmpty else { return }
    let lines = lines(
      for: state.keymap, statePath: state.statePath, keymapPath: state.keymapPath, configPath: state.configPath,
      width: inner.cols - 2)
    let start = max(0, min(offset, lines.count - inner.rows))
    for (index, line) in lines.dropFirst(start).prefix(inner.rows).enumerated() {
      grid.put(line.text, row: inner.row + index, col: inner.col + 1, limit: inner.cols - 2, role: line.role)
    }
    if lines.count > inner.rows {
      let mark = " \(min(100, (start + inner.rows) * 100 / lines.count))% "
      grid.put(mark, row: rect.maxRow - 1, col: rect.col + rect.cols - 2 - mark.count, role: .borderFocused)
    }
  }
}
