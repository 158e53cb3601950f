import QuireModel

/// Which papers are shown and in what order: the view, the filter and the search, on the
/// library in sort order. Changed only from `Reader`.
extension AppState {
  /// The view, the filter and the search as one query.
  var combinedQuery: Query {
    var parts: [Query] = viewQuery == .everything ? [] : [viewQuery]
    parts += filter.combined
    // Nested ands are flattened, so that a longer search is seen to narrow a shorter one.
    let flat = parts.flatMap { part -> [Query] in
      if case .and(let inner) = part { return inner }
      return [part]
    }
    switch flat.count {
    case 0: return .everything
    case 1: return flat[0]
    default: return .and(flat)
    }
  }

  mutating func setOrder(_ newOrder: [Int]) {
    order = newOrder
    rank = [Int](repeating: 0, count: newOrder.count)
    for (position, index) in newOrder.enumerated() { rank[index] = position }
  }

  /// The index over the library's text: built the first time a query needs it, or nil
  /// while it is being built in the background (the session sends `.indexReady`).
  mutating func index() -> SearchIndex? {
    // A query needs the reading state's index too (is:read, tag:): wait for both.
    guard readingIndex != nil else { return nil }
    if let searchIndex { return searchIndex }
    if indexComing { return nil }
    let built = SearchIndex(library: library)
    searchIndex = built
    return built
  }

  /// Takes the counts built in the background from `start`, the state at start, and
  /// brings them up to date with the changes made since.
  mutating func adoptCounts(_ counts: ReadingIndex, start: ReadingState) {
    guard readingIndex == nil, counts.read.capacity == library.count else { return }
    var counts = counts
    var uses = counts.tagUse
    for id in changedBeforeCounts {
      guard let index = library.index(of: id) else { continue }
      let (old, new) = (start[id], reading[id])
      counts.update(index, to: new)
      for tag in old.tags where !new.tags.contains(tag) {
        uses[tag, default: 1] -= 1
        if uses[tag] == 0 { uses[tag] = nil }
      }
      for tag in new.tags where !old.tags.contains(tag) { uses[tag, default: 0] += 1 }
    }
    changedBeforeCounts = []
    tagUse = uses
    unreadCount = library.count - counts.read.count
    readingIndex = counts
    answerWaitingQuery()
  }

  /// Takes the index built in the background, and answers the query that waited for it.
  mutating func adopt(_ index: SearchIndex) {
    // One built for a library since replaced (a fetch came in) is of no use.
    guard searchIndex == nil, index.count == library.count else { return }
    searchIndex = index
    indexComing = false
    answerWaitingQuery()
  }

  mutating func answerWaitingQuery() {
    if waitingForIndex, index() != nil {
      waitingForIndex = false
      refresh()
      if message?.text.hasPrefix("building the search index") ?? false { message = nil }
      reportEmpty()
    }
  }

  /// Shows the papers the view, filter and search match, in sort order. The selected paper
  /// stays selected when it is still shown; otherwise the nearest one after it is. When
  /// the query only narrows the last one (a character typed), only the papers the last one
  /// found are looked at again.
  mutating func refresh() {
    let previous = selectedPaper.flatMap { library.index(of: $0.id) }
    let query = combinedQuery
    if query == .everything {
      shown = order
      lastResult = nil
    } else {
      let within = lastResult.flatMap { last in
        last.readingVersion == readingVersion && query.narrows(last.query) ? last.papers : nil
      }
      guard let index = index() else {
        // The list stays as it is until the index arrives; the query is answered then.
        waitingForIndex = true
        message = .info("building the search index for \(library.count) papers…")
        return
      }
      let papers = index.evaluate(query, reading: readingIndex!, library: library, within: within)
      lastResult = QueryResult(query: query, readingVersion: readingVersion, papers: papers)
      shown = inOrder(papers)
    }
    updateHighlights()
    select(paperAt: previous)
  }

  /// The papers of a set, in sort order: one pass over the order, no sorting.
  func inOrder(_ papers: PaperSet) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(papers.count)
    for index in order where papers.contains(index) { result.append(index) }
    return result
  }

  mutating func updateHighlights() {
    highlights = (filter.parsedQuery == .everything ? [] : filter.parsedQuery.highlightTerms)
      + (filter.parsedSearch == .everything ? [] : filter.parsedSearch.highlightTerms)
  }

  /// Selects the shown paper with this library index, or the nearest after it in sort order.
  mutating func select(paperAt libraryIndex: Int?) {
    let oldSelection = selectedPaper?.id
    if let libraryIndex, rank.indices.contains(libraryIndex) {
      let target = rank[libraryIndex]
      var low = 0
      var high = shown.count
      while low < high {
        let mid = (low + high) / 2
        if rank[shown[mid]] < target { low = mid + 1 } else { high = mid }
      }
      selected = min(low, max(0, shown.count - 1))
    } else {
      selected = 0
    }
    if selectedPaper?.id != oldSelection {
      viewerOffset = 0
      currentMatch = nil
    }
  }

  /// Says so when nothing is shown: the status line already carries the count otherwise.
  mutating func reportEmpty() {
    guard shown.isEmpty, library.count > 0 else { return }
    var what: [String] = []
    if let currentView { what.append("view \(views[currentView].name)") }
    if filter.isActive { what.append(filter.summary) }
    message = .info("no paper matches \(what.joined(separator: " · ")) · F clears the filter")
  }

  // MARK: - Sorting

  mutating func setSort(_ newSort: Sorting) {
    let previous = selectedPaper.flatMap { library.index(of: $0.id) }
    sort = newSort
    setOrder(library.indices(sortedBy: newSort, reading: reading))
    if combinedQuery == .everything {
      shown = order
    } else if let last = lastResult, last.readingVersion == readingVersion, last.query == combinedQuery {
      let papers = last.papers
      // The same papers, in the new order: no need to search again.
      shown = inOrder(papers)
    } else {
      refresh()
    }
    select(paperAt: previous)
    listOffset = max(0, selected - max(1, layout.list.inner.rows) / 2)
  }

  // MARK: - Views

  /// Switches to a view (nil: every paper), remembering where the old one was left.
  mutating func switchView(to view: Int?) {
    viewSelections[currentView.map { views[$0].name } ?? ""] = selectedPaper?.id
    currentView = view
    viewQuery = .everything
    if let view {
      do {
        viewQuery = try parse(views[view].query)
      } catch {
        message = .error("view \(views[view].name): \(error)")
      }
    }
    // A view starts without the last view's search.
    filter.search = ""
    filter.parsedSearch = .everything
    lastResult = nil
    refresh()
    let remembered = viewSelections[view.map { views[$0].name } ?? ""]
    select(paperAt: remembered.flatMap { library.index(of: $0) })
    listOffset = max(0, selected - max(1, layout.list.inner.rows) / 2)
    viewerOffset = 0
  }

  /// Counts for the view list: unread and total for every paper, then for each view.
  mutating func viewListEntries() -> [ViewList.Entry] {
    var entries = [ViewList.Entry(name: "All papers", query: "", unread: unreadCount, total: library.count)]
    guard let index = index(), let readingIndex else { return entries }
    for view in views {
      do {
        let query = try parse(view.query)
        let papers = index.evaluate(query, reading: readingIndex, library: library, within: nil)
        let unread = papers.subtracting(readingIndex.read).count
        entries.append(ViewList.Entry(name: view.name, query: view.query, unread: unread, total: papers.count))
      } catch {
        entries.append(ViewList.Entry(name: view.name, query: view.query, unread: 0, total: 0, problem: error.description))
      }
    }
    return entries
  }

  // MARK: - Matches in the viewer

  /// Every match in the viewer's lines, in reading order.
  func allMatches() -> [MatchPosition] {
    guard !highlights.isEmpty, let paper = selectedPaper else { return [] }
    let lines = detail(for: paper, width: layout.viewerText.cols)
    return lines.indices.flatMap { line in
      TextNormalizer.matchRanges(of: highlights, in: lines[line].text).map { MatchPosition(line: line, range: $0) }
    }
  }
}
