import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Saves the state again and again while quire runs. A save appends the changed papers to
/// the journal beside state.json (`StateJournal`), so it writes a few dozen bytes however
/// large the state is. The journal is folded into a whole new state.json (`compact`) when it
/// has grown to a quarter of state.json, or 1 MiB if that is more — so the whole-file writes
/// are paid for by that many small saves — and when quire quits.
///
/// It keeps every paper's state.json line encoded, so that folding the journal in encodes
/// only the papers that changed and copies the rest.
public final class StateWriter {
  public let store: StateStore
  /// Every stored paper's id and encoded line as of `prepare` or the last compaction,
  /// sorted by id.
  private var entries: [(id: PaperID, line: [UInt8])] = []
  /// Papers changed since `entries` were made. Kept apart, rather than inserted, so a save
  /// never moves the whole array.
  private var changes: [PaperID: PaperState] = [:]
  private var primed = false
  /// After a compaction failed, the journal size at which to try again: a disk that
  /// refuses a whole file is not asked for one on every keystroke.
  private var retryCompactionAt = 0

  /// The journal is never folded in below this size (1 MiB unless a test says otherwise).
  public let minimumCompactionSize: Int

  public init(store: StateStore, minimumCompactionSize: Int = 1 << 20) {
    self.store = store
    self.minimumCompactionSize = minimumCompactionSize
  }

  /// Saves the papers named in `changed` (those whose state changed since the last save):
  /// appended to the journal, or, when there is no state.json yet, written as a new
  /// state.json.
  public func save(_ state: ReadingState, changed: some Sequence<PaperID>) throws(StateStore.SaveError) {
    var lines: [UInt8] = []
    for id in changed {
      changes[id] = state[id]
      StateJournal.appendLine(id: id, entry: state[id], to: &lines)
    }
    var file = stat()
    guard stat(DurableFile.target(of: store.path), &file) == 0 else {
      // The journal is only ever a supplement to a state.json.
      return try compact(state, changed: [])
    }
    if lines.isEmpty { return }
    let size = try store.journal.append(lines, like: file, reportingAs: store.path)
    if size >= max(minimumCompactionSize, Int(file.st_size) / 4), size >= retryCompactionAt {
      // The change is safe in the journal already: a failure here is not a failure to save.
      do {
        try compact(state, changed: [])
      } catch {
        retryCompactionAt = size + minimumCompactionSize / 8
      }
    }
  }

  /// Whether changes are waiting in the journal to be folded into state.json.
  public var hasJournal: Bool { store.journal.size != nil }

  /// Writes the whole state to state.json, durably, then removes the journal, whose changes
  /// it now holds. `changed` as for `save`.
  public func compact(_ state: ReadingState, changed: some Sequence<PaperID>) throws(StateStore.SaveError) {
    for id in changed { changes[id] = state[id] }
    if primed {
      foldChanges()
    } else {
      prepare(state)
    }
    try DurableFile.replace(path: store.path, with: Data(StateStore.assemble(entries.map(\.line))))
    try store.journal.remove(reportingAs: store.path)
    retryCompactionAt = 0
  }

  /// Encodes every line ahead of the first compaction; quire calls it when idle, so that
  /// quitting does not wait for it.
  public func prepare(_ state: ReadingState) {
    guard !primed else { return }
    entries = state.papers.keys.sorted().map { ($0, StateStore.encodeLine(id: $0, entry: state.papers[$0]!)) }
    // The state given is the latest: every change so far is in it.
    changes = [:]
    primed = true
  }

  /// Merges the changed papers into `entries`, in one pass.
  private func foldChanges() {
    guard !changes.isEmpty else { return }
    var merged: [(id: PaperID, line: [UInt8])] = []
    merged.reserveCapacity(entries.count + changes.count)
    var next = 0
    for id in changes.keys.sorted() {
      while next < entries.count, entries[next].id < id {
        merged.append(entries[next])
        next += 1
      }
      if next < entries.count, entries[next].id == id { next += 1 }
      let entry = changes[id]!
      if !entry.isUntouched { merged.append((id, StateStore.encodeLine(id: id, entry: entry))) }
    }
    merged.append(contentsOf: entries[next...])
    entries = merged
    changes = [:]
  }
}
