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
/// Other processes may save the same state meanwhile: a second quire in another terminal,
/// `quire import`, a script. Every save and compaction first reads what they wrote since
/// this writer last looked (the journal's new lines, or the whole state when state.json was
/// replaced) and merges it per paper and field by the fields' stamps (`PaperState.merged`);
/// the caller adopts the result. When a sync tool put a copy in place that lacks some of
/// this process's changes, they are saved again. A lock beside the file keeps two writers from interleaving.
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
  /// What this writer last saw on disk; nil before it has looked.
  private var mark: StateDiskMark?

  /// A save of at least this many papers (and a quarter of the state) writes state.json whole.
  static let wholeFileChangeCount = 4096

  /// The journal is never folded in below this size (1 MiB unless a test says otherwise).
  public let minimumCompactionSize: Int

  /// `loaded` is the mark of the load the state being saved came from.
  public init(store: StateStore, loaded: StateDiskMark? = nil, minimumCompactionSize: Int = 1 << 20) {
    self.store = store
    mark = loaded
    self.minimumCompactionSize = minimumCompactionSize
  }

  /// Other processes' changes found on disk, merged with this process's: the state to
  /// adopt for each paper that is not as the caller has it.
  public typealias Merged = [PaperID: PaperState]

  /// Saves the papers named in `changed` (those whose state changed since the last save):
  /// appended to the journal, or, when there is no state.json yet, written as a new
  /// state.json. The papers' stamps say which of their fields are newer than another
  /// process's changes to the same papers.
  @discardableResult
  public func save(
    _ state: ReadingState, changed: some Collection<PaperID>
  ) throws(StateStore.SaveError) -> Merged {
    let lock = StateLock(statePath: store.path, exclusive: true)
    defer { lock.release() }
    var file = stat()
    guard stat(DurableFile.target(of: store.path), &file) == 0 else {
      // The journal is only ever a supplement to a state.json.
      return try compactLocked(state, changed: changed)
    }
    if changed.count >= max(Self.wholeFileChangeCount, state.papers.count / 4) {
      // A bulk change to much of the state is written whole at once: appended, it would
      // outgrow the journal's threshold and be encoded and written a second time.
      return try compactLocked(state, changed: changed)
    }
    let found = try readOthers(state)
    if changed.isEmpty && found.merged.isEmpty && found.behind.isEmpty {
      mark = found.mark
      return [:]
    }
    // The papers a sync tool's copy lacked go along, so that the disk has them again.
    let mine = Set(changed)
    let lines = journalLines(Array(changed) + found.behind.filter { !mine.contains($0) }, found, state)
    var newMark = found.mark
    var size = newMark.journalApplied
    if !lines.isEmpty {
      let appended = try store.journal.append(lines, like: file, reportingAs: store.path)
      size = appended.size
      newMark.journal = appended.identity
      newMark.journalApplied = appended.size
    }
    // Only now, with the save done: a failed save reads the others' changes again next time.
    adopt(found, state: state, changed: changed)
    mark = newMark
    if size >= max(minimumCompactionSize, Int(file.st_size) / 4), size >= retryCompactionAt {
      // The change is safe in the journal already: a failure here is not a failure to save.
      do {
        let more = try compactLocked(state.adopting(found.merged), changed: [])
        return found.merged.merging(more) { $1 }
      } catch {
        retryCompactionAt = size + minimumCompactionSize / 8
      }
    }
    return found.merged
  }

  /// Reads other processes' changes without saving: quire looks now and then while idle,
  /// so that a paper changed in another terminal shows the change here too. Gives up at
  /// once, finding nothing, while another process holds the state, unless told to wait
  /// (the last look before quitting).
  public func refresh(_ state: ReadingState, waiting: Bool = false) throws(StateStore.SaveError) -> Merged {
    guard let mark, mark.file != FileIdentity(path: DurableFile.target(of: store.path)) || mark.journal != journalIdentityNow
    else { return [:] }
    let lock = StateLock(statePath: store.path, exclusive: true, wait: waiting)
    defer { lock.release() }
    if lock.isBusy { return [:] }
    let found = try readOthers(state)
    var newMark = found.mark
    if !found.behind.isEmpty {
      // A sync tool put an older copy in place: what this process had saved goes back.
      let lines = journalLines(found.behind, found, state)
      // (Only a file found on disk can lack them, so there is one to append beside.)
      var file = stat()
      if stat(DurableFile.target(of: store.path), &file) == 0 {
        let appended = try store.journal.append(lines, like: file, reportingAs: store.path)
        newMark.journal = appended.identity
        newMark.journalApplied = appended.size
      }
    }
    adopt(found, state: state, changed: [])
    self.mark = newMark
    return found.merged
  }

  private var journalIdentityNow: FileIdentity? { FileIdentity(path: store.journal.path) }

  /// Whether changes are waiting in the journal to be folded into state.json.
  public var hasJournal: Bool { store.journal.size != nil }

  /// A state.json up to this size is written whole when a quire finishes (a reader quitting,
  /// `quire mark` done), so that between runs state.json holds everything: what git, a
  /// sync tool or a backup copies. Beyond it (a million papers: seconds to write) the
  /// journal stays, folded in as it grows, so that quitting is never slow.
  public static let foldOnFinishLimit = 8 << 20

  /// Folds the journal in if state.json is small enough (`foldOnFinishLimit`). Every change
  /// is in the journal already, so a failure here loses nothing: it is replayed instead.
  public func foldOnFinish(_ state: ReadingState, changed: some Collection<PaperID>) {
    var info = stat()
    guard hasJournal, stat(DurableFile.target(of: store.path), &info) == 0, Int(info.st_size) <= Self.foldOnFinishLimit
    else { return }
    _ = try? compact(state, changed: changed)
  }

  /// Writes the whole state to state.json, durably, then removes the journal, whose changes
  /// it now holds. `changed` as for `save`.
  @discardableResult
  public func compact(
    _ state: ReadingState, changed: some Collection<PaperID>
  ) throws(StateStore.SaveError) -> Merged {
    let lock = StateLock(statePath: store.path, exclusive: true)
    defer { lock.release() }
    return try compactLocked(state, changed: changed)
  }

  private func compactLocked(
    _ state: ReadingState, changed: some Collection<PaperID>
  ) throws(StateStore.SaveError) -> Merged {
    let found = try readOthers(state)
    if found.replaced || !primed {
      primed = false
      prepare(state)
    }
    var pending = changes
    for id in changed { pending[id] = state[id] }
    for (id, entry) in found.merged { pending[id] = entry }
    let written = folded(pending)
    try DurableFile.replace(path: store.path, with: Data(StateStore.assemble(written.map(\.line))))
    try store.journal.remove(reportingAs: store.path)
    entries = written
    changes = [:]
    mark = StateDiskMark(file: FileIdentity(path: DurableFile.target(of: store.path)), journal: nil, journalApplied: 0)
    retryCompactionAt = 0
    return found.merged
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

  // MARK: - Other processes

  private struct Found {
    var merged: Merged = [:]
    var mark: StateDiskMark
    /// state.json was replaced: lines encoded from the old one are stale.
    var replaced = false
    /// Papers whose state on disk lacks changes this process holds: the disk was replaced
    /// by a copy that had not seen them (a sync tool's), and they must be saved again.
    var behind: [PaperID] = []
  }

  /// What other processes saved since `mark`, merged with `state`: only the journal's new
  /// lines while state.json is the file last seen, the whole state when it was replaced.
  private func readOthers(_ state: ReadingState) throws(StateStore.SaveError) -> Found {
    func failed(_ error: StateStore.LoadError) -> StateStore.SaveError {
      StateStore.SaveError(path: error.path, reason: error.reason + "; not saved over, so nothing in it is lost")
    }
    let file = FileIdentity(path: DurableFile.target(of: store.path))
    guard let mark else {
      // Nothing seen yet to tell others' changes from the caller's (a writer made without
      // a load): the state given is all there is, as it was before this writer looked.
      let journal = journalIdentityNow
      return Found(mark: StateDiskMark(file: file, journal: journal, journalApplied: Int(journal?.size ?? 0)))
    }
    var found = Found(mark: mark)
    if file == nil {
      // Gone (the folder deleted, a sync tool midway, a user starting over by hand): there
      // is nothing on disk to merge, and this process's state is written whole again rather
      // than emptied to match.
      found.mark = StateDiskMark(file: nil, journal: nil, journalApplied: 0)
      found.replaced = mark.file != nil
    } else if mark.file == file, mark.journal == nil || mark.journal!.isSameFile(as: journalIdentityNow) {
      do {
        let read = try store.journal.replay(from: mark.journalApplied, known: mark.journal) { id, entry in
          found.merged[id] = entry
        }
        found.mark.journal = read.identity
        found.mark.journalApplied = read.applied
      } catch {
        throw failed(error)
      }
    } else {
      let disk: ReadingState
      do {
        let loaded = try store.loadMarkedUnlocked()
        disk = loaded.state
        found.mark = loaded.mark
      } catch {
        throw failed(error)
      }
      found.replaced = true
      // Every paper whose state differs, on either side; untouched papers are left out of both.
      for (id, entry) in disk.papers where state[id] != entry { found.merged[id] = entry }
      for id in state.papers.keys where disk.papers[id] == nil { found.merged[id] = .untouched }
    }
    // What remains is what the caller must change: others' states merged with the caller's,
    // field by field, the newer change winning. Where the merge is not what is on disk, the
    // disk lacks some of the caller's changes.
    for (id, theirs) in found.merged {
      let ours = state[id]
      let merged = PaperState.merged(ours, theirs)
      if found.replaced, merged != theirs { found.behind.append(id) }
      found.merged[id] = merged == ours ? nil : merged
    }
    return found
  }

  /// The journal lines of `ids`, as merged with what others saved.
  private func journalLines(_ ids: [PaperID], _ found: Found, _ state: ReadingState) -> [UInt8] {
    var lines: [UInt8] = []
    for id in ids { StateJournal.appendLine(id: id, entry: found.merged[id] ?? state[id], to: &lines) }
    return lines
  }

  /// Takes the merged papers into the lines to write at the next compaction.
  private func adopt(_ found: Found, state: ReadingState, changed: some Collection<PaperID>) {
    if found.replaced { primed = false }
    guard primed else { return }
    for id in changed { changes[id] = found.merged[id] ?? state[id] }
    for (id, entry) in found.merged { changes[id] = entry }
  }

  /// `entries` with `pending` merged in, in one pass.
  private func folded(_ pending: [PaperID: PaperState]) -> [(id: PaperID, line: [UInt8])] {
    guard !pending.isEmpty else { return entries }
    var merged: [(id: PaperID, line: [UInt8])] = []
    merged.reserveCapacity(entries.count + pending.count)
    var next = 0
    for id in pending.keys.sorted() {
      while next < entries.count, entries[next].id < id {
        merged.append(entries[next])
        next += 1
      }
      if next < entries.count, entries[next].id == id { next += 1 }
      let entry = pending[id]!
      if !entry.isUntouched { merged.append((id, StateStore.encodeLine(id: id, entry: entry))) }
    }
    merged.append(contentsOf: entries[next...])
    return merged
  }
}

extension ReadingState {
  /// This state with `changes` applied.
  public func adopting(_ changes: [PaperID: PaperState]) -> ReadingState {
    guard !changes.isEmpty else { return self }
    var state = self
    for (id, entry) in changes { state[id] = entry }
    return state
  }
}
