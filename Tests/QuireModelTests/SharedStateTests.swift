import Foundation
import PropertyBased
import Synchronization
import Testing

@testable import QuireModel

/// Two processes saving the same state: each writer stands for one quire, with its own
/// in-memory state, as `ReaderSession` keeps it.
@Suite("Two processes, one state")
struct SharedStateTests {
  let folder: String

  init() throws {
    folder = NSTemporaryDirectory() + "quire-shared-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  var path: String { folder + "/state.json" }

  /// One quire, on a device of its own: its state, its unsaved papers and its writer.
  final class Process {
    var state: ReadingState
    var unsaved: Set<PaperID> = []
    let writer: StateWriter
    let device: String

    init(path: String, device: String? = nil, minimumCompactionSize: Int = 1 << 20) throws {
      self.device = device ?? "process-\(TestClock.shared.next())"
      let store = StateStore(path: path)
      let (state, mark) = try store.loadMarked()
      self.state = state
      writer = StateWriter(store: store, loaded: mark, minimumCompactionSize: minimumCompactionSize)
    }

    /// A change, stamped a millisecond after the last one any process made: changes made
    /// one after another are ordered as made, however fast the test runs.
    func change(_ id: String, _ edit: (inout PaperState) -> Void) {
      let paper = PaperID(id)
      var entry = state[paper]
      edit(&entry)
      state.record(entry, of: paper, at: Stamp(time: TestClock.shared.next(), device: device))
      unsaved.insert(paper)
    }

    func adopt(_ merged: StateWriter.Merged) {
      for (id, entry) in merged { state[id] = entry }
    }

    func save() throws {
      adopt(try writer.save(state, changed: unsaved))
      unsaved = []
    }

    func compact() throws {
      adopt(try writer.compact(state, changed: unsaved))
      unsaved = []
    }

    func refresh() throws { adopt(try writer.refresh(state)) }
  }

  func onDisk() throws -> ReadingState { try StateStore(path: path).load() }

  @Test("changes to different papers, saved in turn, all survive, and each side sees the other's")
  func differentPapers() throws {
    try StateStore(path: path).save(ReadingState())
    let one = try Process(path: path)
    let two = try Process(path: path)
    for round in 0..<20 {
      one.change("a\(round)") { $0.status = .read }
      try one.save()
      two.change("b\(round)") { $0.tags.append("t\(round)") }
      try two.save()
    }
    let disk = try onDisk()
    for round in 0..<20 {
      #expect(disk[PaperID("a\(round)")].status == .read)
      #expect(disk[PaperID("b\(round)")].tags == ["t\(round)"])
    }
    // Each learnt of the other's changes when it saved.
    #expect(two.state[PaperID("a19")].status == .read)
    try one.refresh()
    #expect(one.state == disk)
  }

  @Test("both change the same paper: each field keeps its change; tag removals are respected")
  func samePaper() throws {
    var start = ReadingState()
    start[PaperID("p")] = PaperState(status: .unread, tags: ["old", "keep"])
    try StateStore(path: path).save(start)
    let one = try Process(path: path)
    let two = try Process(path: path)
    one.change("p") { $0.status = .read }
    two.change("p") {
      $0.tags.removeAll { $0 == "old" }
      $0.tags.append("new")
      $0.note = "from two"
    }
    try one.save()
    try two.save()  // merges one's status into its own change
    let expected = PaperState(status: .read, tags: ["keep", "new"], note: "from two")
    #expect(try onDisk()[PaperID("p")].unstamped == expected)
    #expect(two.state[PaperID("p")].unstamped == expected)
    try one.refresh()
    #expect(one.state[PaperID("p")].unstamped == expected)
  }

  @Test("a compaction by one keeps the other's journalled changes, and the other then sees state.json replaced")
  func compactionKeepsOthers() throws {
    try StateStore(path: path).save(ReadingState())
    let one = try Process(path: path)
    let two = try Process(path: path)
    two.change("b") { $0.status = .read }
    try two.save()
    one.change("a") { $0.tags = ["x"] }
    try one.save()
    try one.compact()  // folds in two's journal line too
    #expect(!FileManager.default.fileExists(atPath: path + ".journal"))
    #expect(one.state[PaperID("b")].status == .read)
    two.change("c") { $0.note = "n" }
    try two.save()  // state.json was replaced: read whole, nothing of one's reverted
    let disk = try onDisk()
    #expect(disk[PaperID("a")].tags == ["x"])
    #expect(disk[PaperID("b")].status == .read)
    #expect(disk[PaperID("c")].note == "n")
    #expect(two.state == disk)
  }

  @Test("a whole-file update (quire import) between saves loses nothing of either")
  func updateBetweenSaves() throws {
    let one = try Process(path: path)  // no state.json yet
    one.change("a") { $0.status = .read }
    try one.save()
    try StateStore(path: path).update { state in
      state[PaperID("imported")] = PaperState(tags: ["from-export"])
      return true
    }
    one.change("a") { $0.tags = ["later"] }
    try one.save()
    let disk = try onDisk()
    #expect(disk[PaperID("a")].unstamped == PaperState(status: .read, tags: ["later"]))
    #expect(disk[PaperID("imported")].tags == ["from-export"])
    #expect(one.state == disk)
  }

  @Test("state.json deleted while quire runs: the next save writes the whole state again, nothing emptied")
  func deletedUnderneath() throws {
    var start = ReadingState()
    start[PaperID("a")] = PaperState(status: .read)
    try StateStore(path: path).save(start)
    let one = try Process(path: path)
    try FileManager.default.removeItem(atPath: folder)
    one.change("b") { $0.tags = ["new"] }
    try one.save()
    let disk = try onDisk()
    #expect(disk[PaperID("a")].status == .read)
    #expect(disk[PaperID("b")].tags == ["new"])
    #expect(one.state == disk)
  }

  @Test("a failed save merges later, against the state before its change")
  func failedSaveMergesLater() throws {
    try StateStore(path: path).save(ReadingState())
    let one = try Process(path: path)
    let two = try Process(path: path)
    one.change("p") { $0.tags = ["mine"] }
    // one's save "fails": it keeps the change unsaved while two saves the same paper.
    two.change("p") { $0.status = .read }
    try two.save()
    try two.compact()
    try one.save()
    #expect(try onDisk()[PaperID("p")].unstamped == PaperState(status: .read, tags: ["mine"]))
  }

  @Test("compactions triggered by size while another process appends: every change survives")
  func manyInterleaved() throws {
    try StateStore(path: path).save(ReadingState())
    let one = try Process(path: path, minimumCompactionSize: 512)
    let two = try Process(path: path, minimumCompactionSize: 700)
    var expected = ReadingState()
    for round in 0..<300 {
      let (process, name) = round % 3 == 0 ? (two, "two") : (one, "one")
      let id = "p\(round % 37)"
      process.change(id) { $0.tags.append("\(name)-\(round)") }
      expected[PaperID(id)].tags.append("\(name)-\(round)")
      try process.save()
    }
    let disk = try onDisk()
    for (id, entry) in expected.papers {
      #expect(Set(disk[id].tags) == Set(entry.tags), "paper \(id.rawValue)")
    }
  }

  @Test("a bulk change to much of the state is written whole, at once, with the other process's journalled change kept")
  func bulkChangeWritesWhole() throws {
    try StateStore(path: path).save(ReadingState())
    let one = try Process(path: path)
    let two = try Process(path: path)
    two.change("theirs") { $0.tags = ["from-two"] }
    try two.save()
    #expect(FileManager.default.fileExists(atPath: path + ".journal"))
    for n in 0..<StateWriter.wholeFileChangeCount { one.change("p\(n)") { $0.status = .read } }
    try one.save()
    #expect(!FileManager.default.fileExists(atPath: path + ".journal"))
    let disk = try onDisk()
    #expect(disk.papers.count == StateWriter.wholeFileChangeCount + 1)
    #expect(disk[PaperID("theirs")].tags == ["from-two"])
    #expect(one.state == disk)
    // A save of a few papers appends again.
    one.change("p0") { $0.status = .unread }
    try one.save()
    #expect(FileManager.default.fileExists(atPath: path + ".journal"))
    #expect(try onDisk() == one.state)
  }

  @Test("a journal line another process wrote badly stops the save with its line number, and is not saved over")
  func badForeignLine() throws {
    try StateStore(path: path).save(ReadingState())
    let one = try Process(path: path)
    one.change("a") { $0.status = .read }
    try one.save()
    let journal = try FileHandle(forWritingTo: URL(fileURLWithPath: path + ".journal"))
    journal.seekToEndOfFile()
    journal.write(Data("{\"id\": \"b\", \"status\": 7}\n".utf8))
    try journal.close()
    one.change("c") { $0.status = .read }
    #expect {
      try one.save()
    } throws: { error in
      "\(error)".contains("line 2") && "\(error)".contains("state.json.journal")
    }
    #expect(try String(contentsOfFile: path + ".journal", encoding: .utf8).contains("\"status\": 7"))
  }

  static let paperState = zip(
    Gen.bool, Gen.element(of: ["a", "b", "c", "d"]).map { $0 ?? "a" }.array(of: 0...4), Gen.int(in: 0...2),
    Gen.int(in: 0...2), Gen.int(in: 0...2)
  ).map { read, tags, note, title, time in
    var unique: [String] = []
    for tag in tags where !unique.contains(tag) { unique.append(tag) }
    return PaperState(
      status: read ? .read : .unread, tags: unique, note: [nil, "x", "y"][note], title: [nil, "T", "U"][title],
      readAt: Date(timeIntervalSince1970: 1_795_000_000 + Double(time) * 86_400))
  }

  @Test("merge: the title merges as the note does; the time read travels with the status")
  func mergeTitleAndTime() async {
    await propertyCheck(count: 300, input: zip(Self.paperState, Self.paperState, Self.paperState)) { base, ours, theirs in
      let merged = PaperState.merge(base: base, ours: ours, theirs: theirs)
      #expect(merged.title == (ours.title != base.title ? ours.title : theirs.title))
      // Status and time come from one side together, never one from each.
      let side = ours.status != base.status || ours.readAt != base.readAt ? ours : theirs
      #expect(merged.status == side.status && merged.readAt == side.readAt)
      #expect(merged.status == .read || merged.readAt == nil)
    }
  }

  @Test("two quires: one renames a paper, the other reads it; both changes and the time are kept")
  func titleAndTimeFromTwoProcesses() throws {
    var start = ReadingState()
    start[PaperID("p")] = PaperState(tags: ["t"])
    try StateStore(path: path).save(start)
    let one = try Process(path: path)
    let two = try Process(path: path)
    let moment = Date(timeIntervalSince1970: 1_795_996_025)
    one.change("p") { $0.title = "A better title" }
    two.change("p") { $0.setStatus(.read, at: moment) }
    try one.save()
    try two.save()
    let expected = PaperState(status: .read, tags: ["t"], title: "A better title", readAt: moment)
    #expect(try onDisk()[PaperID("p")].unstamped == expected)
    try one.refresh()
    #expect(one.state[PaperID("p")].unstamped == expected)
    // Marked unread on one side: the time goes with it, even though the other side's read stays in its base.
    one.change("p") { $0.setStatus(.unread, at: moment) }
    try one.save()
    try two.refresh()
    #expect(two.state[PaperID("p")].unstamped == PaperState(tags: ["t"], title: "A better title"))
  }

  @Test("merge: one side unchanged gives the other; both sides' tag changes combine")
  func mergeProperties() async {
    await propertyCheck(count: 300, input: zip(Self.paperState, Self.paperState, Self.paperState)) { base, ours, theirs in
      #expect(PaperState.merge(base: base, ours: base, theirs: theirs) == theirs)
      let unchallenged = PaperState.merge(base: base, ours: ours, theirs: base)
      #expect(unchallenged.status == ours.status && unchallenged.note == ours.note)
      #expect(Set(unchallenged.tags) == Set(ours.tags))
      let merged = PaperState.merge(base: base, ours: ours, theirs: theirs)
      for added in ours.tags where !base.tags.contains(added) { #expect(merged.tags.contains(added)) }
      for removed in base.tags where !ours.tags.contains(removed) { #expect(!merged.tags.contains(removed)) }
      #expect(Set(merged.tags).count == merged.tags.count)
    }
  }
}

/// Milliseconds handed out in order to every test process, so that a change made after
/// another is stamped after it.
final class TestClock: Sendable {
  static let shared = TestClock()
  private let last = Mutex<Int64>(1_795_000_000_000)

  func next() -> Int64 { last.withLock { $0 += 1; return $0 } }
}
