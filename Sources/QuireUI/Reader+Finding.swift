import QuireModel

/// Keys of the search line, the filter line and the view list.
extension Reader {
  static func searchKey(_ key: Key, _ prompt: inout SearchPrompt, _ state: inout AppState) -> [Effect] {
    switch state.keymap.command(for: key, in: .input) {
    case .cancel:
      state.restore(prompt.before)
      state.overlay = nil
      return []
    case .accept:
      state.overlay = nil
      // A query that does not parse yet leaves the last good one in force, as shown.
      if state.filter.search.isEmpty {
        state.message = .info(prompt.before.filter.search.isEmpty ? "no search" : "search cleared")
      } else if state.shown.isEmpty {
        state.message = .info("no paper matches /\(state.filter.search) · F clears it")
      } else {
        state.message = .info("\(state.shown.count) found · n/N go to matches in the abstract · F clears")
      }
      return []
    case .complete:
      completeQuery(&prompt.input, &state)
    default:
      // Keys that type nothing, do nothing in a prompt, and move in the list (Up, Down,
      // PageUp…) move the selection
      // while typing goes on, as in fzf.
      if key.typedCharacter == nil, state.keymap.command(for: key, in: .input) == nil,
        let command = state.keymap.command(for: key, in: .list),
        [.down, .up, .pageDown, .pageUp, .halfPageDown, .halfPageUp].contains(command)
      {
        let focus = state.focus
        state.focus = .list
        _ = perform(command, &state)
        state.focus = focus
        state.overlay = .search(prompt)
        return []
      }
      guard editLine(key, &prompt.input, &state) else {
        state.overlay = .search(prompt)
        return []
      }
    }
    prompt.error = state.search(for: prompt.input.text)
    state.overlay = .search(prompt)
    return []
  }

  static func filterKey(_ key: Key, _ prompt: inout FilterPrompt, _ state: inout AppState) {
    switch state.keymap.command(for: key, in: .input) {
    case .cancel:
      state.overlay = nil
      state.message = .info("filter unchanged")
      return
    case .accept:
      let text = prompt.input.text.trimmingCharacters(in: .whitespaces)
      do {
        let query = try state.parse(text)
        state.overlay = nil
        state.filter.query = query == .everything ? "" : text
        state.filter.parsedQuery = query
        state.refresh()
        state.reportEmpty()
      } catch {
        // The previous filter stays in force; the line stays open to be mended, with the
        // cursor where it goes wrong.
        prompt.error = error
        prompt.input.place(error.column - 1)
        state.message = .error("column \(error.column): \(error.message) · the filter in force is unchanged")
        state.overlay = .filter(prompt)
      }
      return
    case .complete:
      completeQuery(&prompt.input, &state)
    default:
      editLine(key, &prompt.input, &state)
    }
    prompt.error = nil
    state.overlay = .filter(prompt)
  }

  /// The keys that edit a line of text; true when the text changed.
  @discardableResult
  static func editLine(_ key: Key, _ input: inout LineInput, _ state: inout AppState) -> Bool {
    let before = input.text
    switch state.keymap.command(for: key, in: .input) {
    case .deleteBackward: input.deleteBackward()
    case .deleteWord: input.deleteWordBackward()
    case .removeTag: input.deleteForward()  // Delete: in a prompt there is no tag to remove
    case .clearInput: input = LineInput()
    case .selectPreviousTag: input.moveLeft()
    case .selectNextTag: input.moveRight()
    case .lineStart: input.moveToStart()
    case .lineEnd: input.moveToEnd()
    default:
      if let character = key.typedCharacter { input.insert(character) }
    }
    return input.text != before
  }

  /// Tab in a query: completes the last word, a tag after `tag:`, or a field name.
  static func completeQuery(_ input: inout LineInput, _ state: inout AppState) {
    let text = input.text
    let wordStart = text.lastIndex(where: { $0 == " " || $0 == "(" }).map(text.index(after:)) ?? text.startIndex
    var word = String(text[wordStart...])
    let negation = word.hasPrefix("-") ? "-" : ""
    word = String(word.dropFirst(negation.count))
    let head = String(text[..<wordStart]) + negation
    var candidates: [String]
    var what = "field"
    if word.lowercased().hasPrefix("tag:") {
      candidates = state.tagCompletions(excluding: []).map { "tag:" + $0 }
      what = "tag"
    } else {
      candidates = (Query.Field.allCases.map(\.rawValue) + ["year", "added"]).map { $0 + ":" } + ["is:read", "is:unread"]
    }
    // Completion works on the last word alone, then puts the rest of the line back.
    var last = LineInput(text: word)
    if input.completionIndex != nil {
      last.completions = input.completions
      last.completionIndex = input.completionIndex
    }
    complete(&last, from: candidates, &state, what: what)
    input.text = head + last.text
    input.completions = last.completions
    input.completionIndex = last.completionIndex
  }

  static func viewListKey(_ key: Key, _ list: inout ViewList, _ state: inout AppState) {
    let last = list.entries.count - 1
    switch state.keymap.command(for: key, in: .list) {
    case .down: list.selected = min(last, list.selected + 1)
    case .up: list.selected = max(0, list.selected - 1)
    case .top: list.selected = 0
    case .bottom: list.selected = last
    case .open, .accept:
      state.overlay = nil
      state.switchView(to: list.selected == 0 ? nil : list.selected - 1)
      if state.message == nil { state.message = .info("view: \(state.viewName)") }
      return
    case .redraw: break
    default:
      state.overlay = nil  // any other key closes the list, as help does
      return
    }
    state.overlay = .views(list)
  }

  /// n/N: brings the next (or previous) line of the abstract that holds a match into view,
  /// wrapping at the ends as less does.
  static func stepMatch(forward: Bool, _ state: inout AppState) {
    guard !state.highlights.isEmpty else {
      state.message = .info("no search · / searches")
      return
    }
    guard state.selectedPaper != nil else {
      state.message = .info("no paper selected")
      return
    }
    state.focus = .viewer
    let matches = state.allMatches()
    guard !matches.isEmpty else {
      state.message = .info("no match in this paper's text")
      return
    }
    // From the match last gone to while it is in sight; otherwise from the top (or, going
    // back, the bottom) of what is on screen, so that scrolling away starts afresh.
    let rows = state.layout.viewerText.rows
    let visible = state.viewerOffset..<(state.viewerOffset + rows)
    let current =
      state.currentMatch.flatMap { visible.contains($0.line) ? ($0.line, $0.range.lowerBound) : nil }
      ?? (forward ? (state.viewerOffset - 1, Int.max) : (visible.upperBound, -1))
    let index: Int
    var wrapped = false
    if forward {
      index = matches.firstIndex { ($0.line, $0.range.lowerBound) > current } ?? 0
      wrapped = (matches[index].line, matches[index].range.lowerBound) <= current
    } else {
      index = matches.lastIndex { ($0.line, $0.range.lowerBound) < current } ?? matches.count - 1
      wrapped = (matches[index].line, matches[index].range.lowerBound) >= current
    }
    let target = matches[index]
    state.currentMatch = target
    // The match goes to the top of the viewer, as less puts it, unless it is already in sight.
    if !visible.contains(target.line) { state.viewerOffset = target.line }
    state.message = .info(
      "match \(index + 1) of \(matches.count)" + (wrapped ? (forward ? " · from the top" : " · from the end") : ""))
  }
}

extension AppState {
  var snapshot: ListSnapshot {
    ListSnapshot(
      filter: filter, shown: shown, selected: selected, listOffset: listOffset, viewerOffset: viewerOffset,
      lastResult: lastResult)
  }

  mutating func restore(_ snapshot: ListSnapshot) {
    filter = snapshot.filter
    shown = snapshot.shown
    selected = snapshot.selected
    listOffset = snapshot.listOffset
    viewerOffset = snapshot.viewerOffset
    lastResult = snapshot.lastResult
    updateHighlights()
    currentMatch = nil
  }

  /// Applies the search line's text; the error when it is not a query (yet), leaving the
  /// list as the last good text left it.
  mutating func search(for text: String) -> QueryError? {
    let query: Query
    do {
      query = try parse(text)
    } catch {
      // A phrase being typed is searched for as it grows, as if its quote were closed.
      guard error.message.hasPrefix("expected a closing \""), let closed = try? parse(text + "\"")
      else { return error }
      query = closed
    }
    filter.search = query == .everything ? "" : text.trimmingCharacters(in: .whitespaces)
    filter.parsedSearch = query
    refresh()
    return nil
  }

  /// The papers the view and filter show, without the search.
  mutating func countWithoutSearch() -> Int {
    var parts: [Query] = viewQuery == .everything ? [] : [viewQuery]
    if filter.parsedQuery != .everything { parts.append(filter.parsedQuery) }
    if filter.unreadOnly { parts.append(.status(.unread)) }
    if parts.isEmpty { return library.count }
    if filter.parsedSearch == .everything { return shown.count }
    guard let index = index(), let readingIndex else { return shown.count }
    return index.evaluate(parts.count == 1 ? parts[0] : .and(parts), reading: readingIndex, library: library).count
  }

  /// "To read", or "All papers".
  public var viewName: String { currentView.map { views[$0].name } ?? "All papers" }
}
