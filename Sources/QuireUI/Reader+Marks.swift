import QuireModel

// MARK: - Marks and bulk actions

extension Reader {
  /// Marks or unmarks the selected paper and moves on, so that a run of papers is marked
  /// key after key, as mutt tags messages.
  static func toggleMark(_ state: inout AppState) -> [Effect] {
    guard let paper = state.selectedPaper else {
      state.message = .info("no paper to mark")
      return []
    }
    if state.marks.remove(paper.id) == nil { state.marks.insert(paper.id) }
    state.moveSelection(by: 1)
    state.message = .info(state.marksSummary)
    return []
  }

  /// Marks every paper shown; when they all are already, unmarks them.
  static func markShown(_ state: inout AppState) -> [Effect] {
    guard !state.shown.isEmpty else {
      state.message = .info("no paper shown to mark")
      return []
    }
    let ids = state.shown.map { state.library.id(at: $0) }
    if ids.allSatisfy(state.marks.contains) {
      state.marks.subtract(ids)
      state.message = .info("unmarked \(plural(ids.count, "paper")) shown" + (state.marks.isEmpty ? "" : " · \(state.marks.count) still marked"))
    } else {
      state.marks.formUnion(ids)
      state.message = .info(state.marksSummary)
    }
    return []
  }

  static func clearMarks(_ state: inout AppState) -> [Effect] {
    let count = state.marks.count
    state.marks = []
    state.message = .info(count == 0 ? "no papers are marked" : "unmarked \(plural(count, "paper"))")
    return []
  }

  /// `r` with papers marked: all of them read, or, when every one is read already, all
  /// unread. One change, undone as one.
  static func toggleMarkedRead(_ state: inout AppState) -> [Effect] {
    let ids = state.markedInLibrary
    let status: ReadStatus = ids.contains { state.reading[$0].status == .unread } ? .read : .unread
    let now = state.clock()
    var changed = 0
    for id in ids {
      var entry = state.reading[id]
      guard entry.status != status else { continue }
      entry.setStatus(status, at: now)
      state.setState(entry, of: id)
      changed += 1
    }
    state.message = .info("marked \(plural(changed, "paper")) \(status.rawValue)")
    return changed > 0 ? [.save] : []
  }

  /// Adds a tag to every marked paper (`-name` removes it from every one).
  static func bulkTag(_ typed: String, _ bulk: inout BulkTags, _ state: inout AppState) -> [Effect] {
    let removing = typed.hasPrefix("-")
    let name = ReadingState.normalizeTag(String(removing ? typed.dropFirst() : typed[...]))
    guard !name.isEmpty else { return [] }
    var changed = 0
    for id in bulk.papers {
      var entry = state.reading[id]
      if removing {
        guard let position = entry.tags.firstIndex(of: name) else { continue }
        entry.tags.remove(at: position)
      } else {
        guard !entry.tags.contains(name) else { continue }
        entry.tags.append(name)
      }
      state.setState(entry, of: id)
      changed += 1
    }
    bulk.tags = AppState.tagCounts(of: bulk.papers, in: state.reading)
    let total = bulk.papers.count
    if changed == 0 {
      state.message = .info(removing ? "no marked paper has the tag '\(name)'" : "all \(total) marked papers are tagged '\(name)' already")
      return []
    }
    state.message = .info(removing ? "removed tag '\(name)' from \(plural(changed, "paper"))" : "tagged \(plural(changed, "paper")) '\(name)'")
    return [.save]
  }

  static func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}

extension AppState {
  /// "3 marked · r reads them, t tags them · Esc unmarks", with the keys in force.
  var marksSummary: String {
    guard !marks.isEmpty else { return "no papers are marked" }
    func key(_ command: Command, _ context: KeyContext = .list) -> String? { keymap.keys(for: command, in: context).first?.description }
    var actions: [String] = []
    if let read = key(.toggleRead) { actions.append("\(read) reads them") }
    if let tags = key(.editTags) { actions.append("\(tags) tags them") }
    if let clear = key(.clearMarks) { actions.append("\(clear) unmarks") }
    return (["\(marks.count) marked"] + actions).joined(separator: " · ")
  }

  /// The marked papers the library has, in library order: marks outlive a re-read library,
  /// but a bulk action only touches papers it can show.
  var markedInLibrary: [PaperID] {
    let lookup = library.idLookup
    return marks.compactMap { id in lookup.index(of: id).map { (id, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
  }

  /// Every tag the papers carry, with how many carry it, most carried first.
  static func tagCounts(of papers: [PaperID], in reading: ReadingState) -> [(name: String, count: Int)] {
    var counts: [String: Int] = [:]
    var order: [String] = []
    for id in papers {
      for tag in reading[id].tags {
        if counts[tag] == nil { order.append(tag) }
        counts[tag, default: 0] += 1
      }
    }
    return order.enumerated().sorted { a, b in
      counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
    }.map { (name: $0.element, count: counts[$0.element]!) }
  }
}

extension Reader {
  /// The tag editor open on the marked papers: what is typed is added to all of them
  /// (`-name` removed), and a picked chip is removed from all that carry it.
  static func bulkTagEditorKey(_ key: Key, _ editor: inout TagEditor, _ bulk: inout BulkTags, _ state: inout AppState) -> [Effect] {
    let names = bulk.tags.map(\.name)
    switch state.keymap.command(for: key, in: .input) {
    case .cancel:
      state.overlay = nil
    case .accept:
      let typed = editor.input.text
      editor.input = LineInput()
      if typed.allSatisfy({ $0 == " " }) {
        state.overlay = nil
        return []
      }
      editor.selectedTag = nil
      return bulkTag(typed, &bulk, &state)
    case .complete:
      complete(&editor.input, from: state.tagCompletions(excluding: []), &state)
    case .deleteBackward:
      if editor.input.deleteBackward() || !editor.input.text.isEmpty {
        // A character went, or the cursor is at the start of what is typed.
      } else if let selected = editor.selectedTag, names.indices.contains(selected) {
        editor.selectedTag = nil
        return bulkTag("-" + names[selected], &bulk, &state)
      } else if let last = names.last {
        editor.selectedTag = names.count - 1
        state.message = .info("Backspace again removes '\(last)' from the marked papers")
      }
    case .removeTag:
      guard let selected = editor.selectedTag, names.indices.contains(selected) else {
        state.message = .info("select a tag with Left/Right first")
        break
      }
      editor.selectedTag = nil
      return bulkTag("-" + names[selected], &bulk, &state)
    case let command:
      editor.edit(command, key, chips: names.count)
    }
    return []
  }
}
