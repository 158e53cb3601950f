import QuireModel

/// What happens to the reader: keys, a resize, the outcome of a save, the clock.
public enum Message: Sendable, Equatable {
  case key(Key)
  case mouse(MouseEvent)
  case resize(ScreenSize)
  case saveFinished(error: String?)
  /// Papers another process (a second quire, `quire import`, a script) changed on disk,
  /// already merged with this reader's own changes: adopt them as they are.
  case changedElsewhere([PaperID: PaperState])
  /// Sent now and then while idle, so a failed save is retried.
  case tick
  /// Something went wrong outside the update that the user should hear of.
  case problem(String)
  /// The search index, built in the background, is ready.
  case indexReady(SearchIndex)
  /// The reading state arranged for searching and counting, built in the background from
  /// the state as it was at start.
  case countsReady(ReadingIndex, start: ReadingState)
  /// A background fetch of the subscriptions moved on.
  case fetchProgress(FetchProgress)
  /// A background fetch is over: what it brought, merged and read back.
  case fetchFinished(FetchCompletion)
  /// The editor asked for by `.editNote` closed with the file saved: the note as it was
  /// handed over and as it came back (nil: none, or emptied).
  case noteEdited(PaperID, before: String?, after: String?)
  /// The statistics counted in the background for the opening `request`.
  case statsCounted(ReadingStats, request: Int)
}

/// The end of a background fetch, as the reader takes it in.
public struct FetchCompletion: Sendable, Equatable {
  /// The library read again with the fetched papers in, when it changed and the reader
  /// shows the library (not a file given on the command line).
  public var library: Library?
  public var fetched: FetchedPapers
  /// "3 new papers, 1 updated", and each failed source with its reason.
  public var summary: String
  public var failures: [String]
  /// Reading state the fetch saved (a subscription's tags), to adopt as it is.
  public var changes: [PaperID: PaperState]

  public init(library: Library?, fetched: FetchedPapers, summary: String, failures: [String], changes: [PaperID: PaperState] = [:]) {
    self.library = library
    self.fetched = fetched
    self.summary = summary
    self.failures = failures
    self.changes = changes
  }

  public static func == (a: FetchCompletion, b: FetchCompletion) -> Bool {
    a.library?.count == b.library?.count && a.library?.name == b.library?.name && a.fetched == b.fetched && a.summary == b.summary
      && a.failures == b.failures && a.changes == b.changes
  }
}

/// Input and output the update asks for; the program carries them out and reports back.
public enum Effect: Sendable, Equatable {
  /// Write `state.reading` to disk, then send `.saveFinished`.
  case save
  /// Write how the reader was left (the sort order) to the session file.
  case saveSession
  /// Repaint the whole terminal, not only what changed.
  case redraw
  /// Fetch the subscriptions in the background; progress and the end come back as
  /// `.fetchProgress` and `.fetchFinished`.
  case fetch
  /// Build the search index and the counts for the library now shown, in the background
  /// (`.indexReady`, `.countsReady`).
  case buildIndexes
  /// Hand the terminal to the user's editor on the paper's note; the result comes back as
  /// `.noteEdited`, a failure as `.problem`.
  case editNote(PaperID, current: String?)
  /// Hand the terminal to the user's browser on a URL; a failure comes back as `.problem`.
  case openLink(String)
  /// Put text on the system clipboard through the terminal (OSC 52).
  case copyToClipboard(String)
  /// Count the statistics in the background (`AppState.statsCount`); `.statsCounted`
  /// brings them.
  case countStats(request: Int)
  case quit
}

/// The one place the reader's state changes: (state, message) → state, plus effects.
///
/// The state is `inout` rather than returned because it holds the reading state of up to a
/// million papers: a returned copy would be copied whole on the next write.
public enum Reader {
  public static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    let effects = take(message, &state)
    // Whatever the message changed is one step for undo, named by what the status line said.
    state.history.commit(description: state.message?.text ?? "a change")
    return effects
  }

  static func take(_ message: Message, _ state: inout AppState) -> [Effect] {
    switch message {
    case .resize(let size):
      state.size = size
      state.clampScroll()
      return []
    case .saveFinished(let error):
      if let error {
        let first = state.saveStatus == .pending
        state.saveStatus = .failed(error)
        if first { state.message = .error("\(error) — kept in memory, saving again") }
      } else {
        if case .failed = state.saveStatus { state.message = .info("saved after all") }
        state.saveStatus = .saved
        state.unsaved = []
      }
      return []
    case .changedElsewhere(let changes):
      guard !changes.isEmpty else { return [] }
      // Like a toggle here, the list is not filtered again: nothing moves under the reader.
      // Papers whose stamps alone changed (another copy learnt when a field changed) are
      // taken in silently: nothing the reader sees changed.
      let seen = changes.filter { state.reading[$0.key].unstamped != $0.value.unstamped }.count
      for (id, entry) in changes { state.adoptFromElsewhere(entry, of: id) }
      guard seen > 0 else { return [] }
      let note = "\(seen) paper\(seen == 1 ? "" : "s") changed by another quire, merged"
      // Said beside what the key just did, not instead of it.
      if let said = state.message {
        if said.kind == .info { state.message = .info(said.text + " · " + note) }
      } else {
        state.message = .info(note)
      }
      return []
    case .tick:
      if case .failed = state.saveStatus { return [.save] }
      return []
    case .problem(let text):
      state.message = .error(text)
      return []
    case .indexReady(let index):
      state.adopt(index)
      state.clampScroll()
      return state.completeStatsYears()
    case .statsCounted(let stats, let request):
      state.takeStats(stats, request: request)
      // Counted without years, and the index has come since.
      return state.completeStatsYears()
    case .countsReady(let counts, let start):
      state.adoptCounts(counts, start: start)
      state.clampScroll()
      return []
    case .fetchProgress(let progress):
      state.fetchActivity?.take(progress)
      return []
    case .fetchFinished(let completion):
      return state.finishFetch(completion)
    case .mouse(let event):
      state.message = nil
      let effects = mouse(event, &state)
      state.clampScroll()
      return effects
    case .noteEdited(let id, let before, let after):
      return noteEdited(id, before: before, after: after, &state)
    case .key(let key):
      // While the terminal is too small nothing is on screen to act on: only quitting
      // and redrawing work, so no key changes what the user cannot see.
      if state.layout.tooSmall {
        // In a prompt q is a letter, as everywhere else in one.
        let command = state.keymap.command(for: key, in: state.keyContext == .input ? .input : .list)
        if command == .quit { return [.quit] }
        if command == .redraw { return [.redraw] }
        return []
      }
      state.message = nil
      let effects = handle(key, &state)
      state.clampScroll()
      return effects
    }
  }

  // MARK: - Keys

  static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    // A prompt redraws on C-l, as a shell's line does, and the line stays as typed.
    if state.keyContext == .input, state.keymap.command(for: key, in: .input) == .redraw { return [.redraw] }
    switch state.overlay {
    case .help(let offset):
      return helpKey(key, offset: offset, &state)
    case .stats(let view):
      return statsKey(key, view, &state)
    case .confirmMarkAllRead:
      state.overlay = nil
      if key == .char("y") || key == .char("Y") { return markAllShownRead(&state) }
      state.message = .info("nothing marked")
      return []
    case .title(var prompt):
      return titleKey(key, &prompt, &state)
    case .tagEditor(var editor):
      let effects = tagEditorKey(key, &editor, &state)
      if case .tagEditor = state.overlay { state.overlay = .tagEditor(editor) }
      return effects
    case .search(var prompt):
      return searchKey(key, &prompt, &state)
    case .filter(var prompt):
      filterKey(key, &prompt, &state)
      return []
    case .views(var list):
      viewListKey(key, &list, &state)
      return []
    case nil:
      guard let command = state.keymap.command(for: key, in: state.keyContext) else {
        state.message = .info("\(key) is not bound here · ? shows the keys")
        return []
      }
      return perform(command, &state)
    }
  }

  static func perform(_ command: Command, _ state: inout AppState) -> [Effect] {
    let inViewer = state.focus == .viewer
    switch command {
    case .down: inViewer ? state.scrollViewer(by: 1) : state.moveSelection(by: 1)
    case .up: inViewer ? state.scrollViewer(by: -1) : state.moveSelection(by: -1)
    case .pageDown:
      inViewer ? state.scrollViewer(by: state.viewerPage) : state.moveSelection(by: state.listPage)
    case .pageUp:
      inViewer ? state.scrollViewer(by: -state.viewerPage) : state.moveSelection(by: -state.listPage)
    case .halfPageDown:
      inViewer
        ? state.scrollViewer(by: max(1, state.viewerPage / 2)) : state.moveSelection(by: max(1, state.listPage / 2))
    case .halfPageUp:
      inViewer
        ? state.scrollViewer(by: -max(1, state.viewerPage / 2)) : state.moveSelection(by: -max(1, state.listPage / 2))
    case .top: inViewer ? (state.viewerOffset = 0) : state.select(0)
    case .bottom: inViewer ? (state.viewerOffset = Int.max / 2) : state.select(state.shown.count - 1)
    case .open:
      guard state.selectedPaper != nil else {
        state.message = .info("no paper to open")
        return []
      }
      state.focus = .viewer
    case .focusNext, .focusPrevious:
      state.focus = state.focus == .list ? .viewer : .list
    case .back:
      state.focus = .list
    case .toggleRead:
      return toggleRead(&state)
    case .markAllRead:
      let unread = state.shown.reduce(0) { count, index in
        count + (state.reading[state.library[index].id].status == .unread ? 1 : 0)
      }
      if unread == 0 {
        state.message = .info("every paper shown is already read")
      } else {
        state.overlay = .confirmMarkAllRead(count: unread)
      }
    case .editTags:
      guard let paper = state.selectedPaper else {
        state.message = .info("no paper to tag")
        return []
      }
      var editor = TagEditor(paper: paper.id)
      let marked = state.markedInLibrary
      if !marked.isEmpty { editor.bulk = BulkTags(papers: marked, tags: AppState.tagCounts(of: marked, in: state.reading)) }
      state.overlay = .tagEditor(editor)
    case .undo:
      return undo(&state)
    case .redo:
      return redo(&state)
    case .toggleMark:
      return toggleMark(&state)
    case .markShown:
      return markShown(&state)
    case .clearMarks:
      return clearMarks(&state)
    case .editTitle:
      return editTitle(&state)
    case .editNote:
      return editNote(&state)
    case .openLink:
      return openLink(&state)
    case .copyLink:
      return copyLink(&state)
    case .toggleUnreadOnly:
      state.filter.unreadOnly.toggle()
      state.refresh()
      state.reportEmpty()
    case .search:
      // A kept search comes back to be refined.
      state.overlay = .search(
        SearchPrompt(input: LineInput(text: state.filter.search), before: state.snapshot, scope: state.countWithoutSearch()))
    case .nextMatch, .previousMatch:
      stepMatch(forward: command == .nextMatch, &state)
    case .filter:
      state.overlay = .filter(FilterPrompt(input: LineInput(text: state.filter.query)))
    case .clearFilters:
      let wasActive = state.filter.isActive
      state.filter = Filter()
      state.refresh()
      state.message = .info(wasActive ? "filter cleared" : "no filter to clear")
    case .sort, .reverseSort:
      let next = command == .sort ? state.sort.nextKey : Sorting(state.sort.key, descending: !state.sort.descending)
      state.setSort(next)
      state.message = .info("sort: \(next.label)")
      return [.saveSession]
    case .fetch:
      return state.startFetch()
    case .views:
      guard !state.views.isEmpty else {
        state.message = .info("no saved views yet: add view \"NAME\" = \"QUERY\" to the config (? shows where)")
        return []
      }
      let entries = state.viewListEntries()
      guard entries.count == state.views.count + 1 else {
        state.message = .info("building the search index for \(state.library.count) papers… try again in a moment")
        return []
      }
      state.overlay = .views(ViewList(entries: entries, selected: (state.currentView ?? -1) + 1))
    case .nextView, .previousView:
      guard !state.views.isEmpty else {
        state.message = .info("no saved views yet: add view \"NAME\" = \"QUERY\" to the config (? shows where)")
        return []
      }
      // Every paper, then each view in turn.
      let count = state.views.count + 1
      let current = (state.currentView ?? -1) + 1
      let next = (current + (command == .nextView ? 1 : count - 1)) % count
      state.switchView(to: next == 0 ? nil : next - 1)
      if state.message == nil { state.message = .info("view: \(state.viewName)") }
    case .help:
      state.overlay = .help(offset: 0)
    case .stats:
      return state.openStats()
    case .redraw:
      return [.redraw]
    case .quit:
      return [.quit]
    case .accept, .cancel, .complete, .deleteBackward, .clearInput, .deleteWord, .lineStart, .lineEnd, .selectPreviousTag,
      .selectNextTag, .removeTag:
      break  // only bound in the input context
    }
    return []
  }

  static func toggleRead(_ state: inout AppState) -> [Effect] {
    if !state.marks.isEmpty { return toggleMarkedRead(&state) }
    guard let paper = state.selectedPaper else {
      state.message = .info("no paper selected")
      return []
    }
    var entry = state.reading[paper.id]
    entry.setStatus(entry.status.toggled, at: state.clock())
    state.setState(entry, of: paper.id)
    state.message = .info(entry.status == .read ? "marked read" : "marked unread")
    return [.save]
  }

  static func markAllShownRead(_ state: inout AppState) -> [Effect] {
    let now = state.clock()
    var changed = 0
    for index in state.shown {
      let id = state.library.id(at: index)
      var entry = state.reading[id]
      guard entry.status == .unread else { continue }
      entry.setStatus(.read, at: now)
      state.setState(entry, of: id)
      changed += 1
    }
    state.message = .info("marked \(changed) paper\(changed == 1 ? "" : "s") read")
    return changed > 0 ? [.save] : []
  }

  // MARK: - Overlays

  static func helpKey(_ key: Key, offset: Int, _ state: inout AppState) -> [Effect] {
    let page = max(1, state.layout.helpBox.inner.rows - 1)
    switch state.keymap.command(for: key, in: .list) {
    case .down: state.overlay = .help(offset: offset + 1)
    case .up: state.overlay = .help(offset: max(0, offset - 1))
    case .pageDown, .halfPageDown: state.overlay = .help(offset: offset + page)
    case .pageUp, .halfPageUp: state.overlay = .help(offset: max(0, offset - page))
    case .top: state.overlay = .help(offset: 0)
    case .bottom: state.overlay = .help(offset: Int.max / 2)
    case .redraw: return [.redraw]
    default:
      state.overlay = nil  // any other key closes help, as in less and tig
      return []
    }
    // Keep the offset within the text, so that scrolling back up starts at once.
    if case .help(let wanted) = state.overlay {
      let box = state.layout.helpBox.inner
      let lines = HelpOverlay.lines(
        for: state.keymap, statePath: state.statePath, keymapPath: state.keymapPath, configPath: state.configPath,
        width: box.cols - 2
      ).count
      state.overlay = .help(offset: max(0, min(wanted, lines - box.rows)))
    }
    return []
  }

  static func tagEditorKey(_ key: Key, _ editor: inout TagEditor, _ state: inout AppState) -> [Effect] {
    if var bulk = editor.bulk {
      defer { editor.bulk = bulk }
      return bulkTagEditorKey(key, &editor, &bulk, &state)
    }
    var tags = state.reading[editor.paper].tags
    switch state.keymap.command(for: key, in: .input) {
    case .cancel:
      state.overlay = nil
      return []
    case .accept:
      let typed = editor.input.text
      editor.input = LineInput()
      if typed.allSatisfy({ $0 == " " }) {
        state.overlay = nil
        return []
      }
      if typed.hasPrefix("-") {
        let name = ReadingState.normalizeTag(String(typed.dropFirst()))
        guard let position = tags.firstIndex(of: name) else {
          state.message = .info("this paper has no tag '\(name)'")
          return []
        }
        return removeTag(at: position, &editor, &state)
      }
      let name = ReadingState.normalizeTag(typed)
      guard !tags.contains(name) else {
        state.message = .info("already tagged '\(name)'")
        return []
      }
      tags.append(name)
      var entry = state.reading[editor.paper]
      entry.tags = tags
      state.setState(entry, of: editor.paper)
      state.message = .info("tagged '\(name)'")
      return [.save]
    case .complete:
      complete(&editor.input, from: state.tagCompletions(excluding: tags), &state)
    case .deleteBackward:
      if editor.input.deleteBackward() {
        // A character went.
      } else if !editor.input.text.isEmpty {
        // The cursor is at the start: nothing before it to delete.
      } else if let selected = editor.selectedTag {
        return removeTag(at: selected, &editor, &state)
      } else if !tags.isEmpty {
        editor.selectedTag = tags.count - 1
        state.message = .info("Backspace again removes '\(tags[tags.count - 1])'")
      }
    case .removeTag:
      if let selected = editor.selectedTag { return removeTag(at: selected, &editor, &state) }
      state.message = .info("select a tag with Left/Right first")
    case let command:
      editor.edit(command, key, chips: tags.count)
    }
    return []
  }

  static func removeTag(at position: Int, _ editor: inout TagEditor, _ state: inout AppState) -> [Effect] {
    var entry = state.reading[editor.paper]
    guard entry.tags.indices.contains(position) else { return [] }
    let name = entry.tags.remove(at: position)
    state.setState(entry, of: editor.paper)
    // The next tag (or the one before, at the end) is selected, so several go in a row.
    editor.selectedTag = entry.tags.isEmpty ? nil : min(position, entry.tags.count - 1)
    state.message = .info("removed tag '\(name)'")
    return [.save]
  }

  /// Shell-style completion: the first Tab extends to the longest common prefix, or takes
  /// the only candidate; further Tabs cycle through the candidates.
  static func complete(_ input: inout LineInput, from all: [String], _ state: inout AppState, what: String = "tag") {
    if let index = input.completionIndex, !input.completions.isEmpty {
      let next = (index + 1) % input.completions.count
      input.completionIndex = next
      input.text = input.completions[next]
      return
    }
    let typed = input.text.lowercased()
    let candidates = all.filter { $0.lowercased().hasPrefix(typed) }
    guard let first = candidates.first else {
      state.message = .info(typed.isEmpty ? "no \(what)s yet" : "no \(what) starts with '\(input.text)'")
      return
    }
    if candidates.count == 1 {
      input.text = first
      return
    }
    let common = candidates.dropFirst().reduce(first) { prefix, name in
      String(zip(prefix, name).prefix { $0.0.lowercased() == $0.1.lowercased() }.map(\.0))
    }
    if common.count > input.text.count {
      input.text = common
    } else {
      input.completions = candidates
      input.completionIndex = 0
      input.text = candidates[0]
    }
    state.message = .info("\(candidates.count) \(what)s: " + candidates.prefix(8).joined(separator: " · "))
  }
}

extension TagEditor {
  /// The keys both tag editors (one paper, the marked papers) share: editing the line and
  /// picking a chip among `chips`.
  mutating func edit(_ command: Command?, _ key: Key, chips: Int) {
    switch command {
    case .clearInput: input = LineInput()
    case .deleteWord: input.deleteWordBackward()
    case .lineStart: input.moveToStart()
    case .lineEnd: input.moveToEnd()
    case .selectPreviousTag:
      guard chips > 0 else { break }
      selectedTag = max(0, (selectedTag ?? chips) - 1)
    case .selectNextTag:
      guard let selected = selectedTag else { break }
      selectedTag = selected + 1 < chips ? selected + 1 : nil
    default:
      if let character = key.typedCharacter {
        input.insert(character)
        selectedTag = nil
      }
    }
  }
}

// MARK: - State changes that keep the derived counts right

extension AppState {
  /// Every change to a paper's state goes through here, so counts stay exact in O(1).
  /// Every change to a paper's state goes through here. The user's own are stamped with
  /// the time and this device, so that they win over older changes made elsewhere when
  /// copies of the state merge; another process's are taken with their own stamps.
  mutating func setState(_ new: PaperState, of id: PaperID, stamped: Bool = true) {
    let old = reading[id]
    let new = stamped ? old.recording(new, at: Stamp.now(on: device, clock: clock())) : new
    if old == new { return }
    if readingIndex == nil {
      // Counted when the counts arrive, from the state as it is then.
      changedBeforeCounts.insert(id)
    } else if let index = library.index(of: id) {
      readingIndex?.update(index, from: old, to: new)
      if old.status == .unread && new.status == .read { unreadCount -= 1 }
      if old.status == .read && new.status == .unread { unreadCount += 1 }
      for tag in old.tags where !new.tags.contains(tag) {
        tagUse[tag, default: 1] -= 1
        if tagUse[tag] == 0 { tagUse[tag] = nil }
      }
      for tag in new.tags where !old.tags.contains(tag) { tagUse[tag, default: 0] += 1 }
    }
    if !recordingPaused { history.record(id, from: old, to: new) }
    if sessionBase[id] == nil { sessionBase[id] = old }
    reading[id] = new
    readingVersion += 1
    unsaved.insert(id)
    saveStatus = .pending
  }

  /// A state saved by another process: counted like a change here, but already on disk.
  mutating func adoptFromElsewhere(_ new: PaperState, of id: PaperID) {
    let (wasUnsaved, status) = (unsaved.contains(id), saveStatus)
    recordingPaused = true
    defer { recordingPaused = false }
    let (sessionBefore, old) = (sessionBase[id], reading[id])
    setState(new, of: id, stamped: false)
    if !wasUnsaved { unsaved.remove(id) }
    // Not this session's doing: the quit summary leaves it out. A paper this session had
    // changed takes the other's fields into its starting point, so only this session's own
    // fields differ from it at the end.
    sessionBase[id] = sessionBefore.map { PaperState.merge(base: old, ours: new, theirs: $0) }
    saveStatus = status
  }

  /// Tags in use, most used first, for completion.
  func tagCompletions(excluding present: [String]) -> [String] {
    tagUse.filter { !present.contains($0.key) }
      .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .map(\.key)
  }

  mutating func moveSelection(by delta: Int) {
    select(selected + delta)
  }

  mutating func select(_ position: Int) {
    let clamped = max(0, min(shown.count - 1, position))
    if clamped != selected {
      viewerOffset = 0
      currentMatch = nil
    }
    selected = max(0, clamped)
  }

  mutating func scrollViewer(by delta: Int) {
    viewerOffset = max(0, viewerOffset + delta)
  }

  var listPage: Int { max(1, layout.list.inner.rows) }
  var viewerPage: Int { max(1, layout.viewer.inner.rows - 1) }

  /// Keeps the selection on screen and the viewer within its text. Costs only the rows
  /// on screen plus the selected paper's abstract.
  mutating func clampScroll() {
    // A terminal too small to show the panes keeps the positions for when it grows.
    guard !layout.tooSmall else { return }
    let rows = max(1, layout.list.inner.rows)
    if selected < listOffset { listOffset = selected }
    if selected >= listOffset + rows { listOffset = selected - rows + 1 }
    listOffset = max(0, min(listOffset, max(0, shown.count - rows)))
    let viewer = layout.viewerText
    if let paper = selectedPaper, viewer.cols > 0 {
      let lines = detail(for: paper, width: viewer.cols)
      detailCache = DetailCache(paper: paper.id, width: viewer.cols, state: reading[paper.id], lines: lines)
      viewerOffset = max(0, min(viewerOffset, lines.count - viewer.rows))
    } else {
      viewerOffset = 0
    }
  }

  /// The viewer's lines for a paper: wrapped once per paper, width and state, then reused
  /// by every scroll and redraw.
  func detail(for paper: Paper, width: Int) -> [DetailLine] {
    let entry = reading[paper.id]
    if let cache = detailCache, cache.paper == paper.id, cache.width == width, cache.state == entry {
      return cache.lines
    }
    return PaperDetail.lines(for: paper, state: entry, width: width, fetched: fetchNote(paper.id))
  }
}
