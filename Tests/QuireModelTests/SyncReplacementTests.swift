import Foundation
import Testing

@testable import QuireModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A running quire on a desktop while a sync tool (Syncthing, Dropbox, git) puts the
/// laptop's copy of the state in place: renamed over state.json, or over its journal. The
/// running quire must take the laptop's newer changes in, keep its own, and leave on disk a
/// state that has both.
@Suite("A sync tool replaces the state under a running quire")
struct SyncReplacementTests {
  typealias Process = SharedStateTests.Process

  let root: String
  var desktop: String { root + "/desktop" }
  var laptop: String { root + "/laptop" }
  var desktopPath: String { desktop + "/state.json" }
  var laptopPath: String { laptop + "/state.json" }

  init() throws {
    root = NSTemporaryDirectory() + "quire-sync-tests-" + UUID().uuidString
    for folder in [root + "/desktop", root + "/laptop"] {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
  }

  /// The laptop starts from the desktop's state as it is now, as after an earlier sync.
  func copyToLaptop() throws {
    for name in ["state.json", "state.json.journal"] where FileManager.default.fileExists(atPath: desktop + "/" + name) {
      try FileManager.default.copyItem(atPath: desktop + "/" + name, toPath: laptop + "/" + name)
    }
  }

  /// Puts the laptop's file in the desktop's folder as Syncthing does: written beside it
  /// under a temporary name, then renamed over it, so the desktop's file is a new inode.
  func sync(_ name: String = "state.json") throws {
    let temporary = desktop + "/.syncthing.\(name).tmp"
    try FileManager.default.copyItem(atPath: laptop + "/" + name, toPath: temporary)
    guard rename(temporary, desktop + "/" + name) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: desktop + "/" + name])
    }
  }

  func desktopDisk() throws -> ReadingState { try StateStore(path: desktopPath).load() }

  static let morning = Date(timeIntervalSince1970: 1_795_990_000)
  static let evening = Date(timeIntervalSince1970: 1_796_020_000)

  /// Both devices change the same papers after a sync; each has the newer change of some
  /// field. The desktop has some changes folded into state.json and one in its journal;
  /// the laptop has folded all of its into its state.json, which lacks the desktop's.
  func divergedCopies() throws -> (desktop: Process, expected: [String: PaperState]) {
    let one = try Process(path: desktopPath, device: "desktop")
    one.change("p") { $0.tags = ["shared"] }
    one.change("q") { $0.note = "base" }
    try one.save()
    try copyToLaptop()
    let two = try Process(path: laptopPath, device: "laptop")
    // Made in this order, so that each device has the newer change of some field.
    two.change("p") { $0.title = "Laptop's title" }
    one.change("p") {
      $0.setStatus(.read, at: Self.morning)
      $0.title = "Desktop's title"
    }
    one.change("q") { $0.tags = ["desk"] }
    try one.save()
    try one.compact()
    two.change("p") { $0.tags.append("lap") }
    two.change("q") { $0.setStatus(.read, at: Self.evening) }
    one.change("r") { $0.note = "journalled" }
    try one.save()
    two.change("s") { $0.tags = ["new"] }
    try two.compact()
    return (
      one,
      [
        "p": PaperState(status: .read, tags: ["shared", "lap"], title: "Desktop's title", readAt: Self.morning),
        "q": PaperState(status: .read, tags: ["desk"], note: "base", readAt: Self.evening),
        "r": PaperState(note: "journalled"),
        "s": PaperState(tags: ["new"]),
      ]
    )
  }

  func expectBoth(_ state: ReadingState, _ expected: [String: PaperState], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for (id, paper) in expected {
      #expect(state[PaperID(id)].unstamped == paper, "paper \(id)", sourceLocation: sourceLocation)
    }
    // The stamps say which device made which change.
    let p = state[PaperID("p")].stamps
    #expect(p.reading?.device == "desktop" && p.title?.device == "desktop", "\(p)", sourceLocation: sourceLocation)
    #expect(p.tags.first { $0.tag == "lap" }?.stamp.device == "laptop", "\(p)", sourceLocation: sourceLocation)
    #expect(state[PaperID("q")].stamps.reading?.device == "laptop", sourceLocation: sourceLocation)
  }

  @Test("state.json replaced by the laptop's copy: refresh takes its newer fields, keeps the desktop's, and writes back what the copy lacks")
  func refreshAfterReplacement() throws {
    let (one, expected) = try divergedCopies()
    try sync()
    try one.refresh()
    expectBoth(one.state, expected)
    // Written back at once, not only at the next save: another process reading now sees both.
    let disk = try desktopDisk()
    expectBoth(disk, expected)
    #expect(disk == one.state)
    // And a second look finds nothing new.
    #expect(try one.writer.refresh(one.state).isEmpty)
    try one.compact()
    #expect(try desktopDisk() == one.state)
  }

  @Test("state.json replaced by the laptop's copy: the next save, with a change of its own, merges and writes back")
  func saveAfterReplacement() throws {
    let (one, diverged) = try divergedCopies()
    var expected = diverged
    try sync()
    one.change("t") { $0.note = "after the sync" }
    expected["t"] = PaperState(note: "after the sync")
    try one.save()
    expectBoth(one.state, expected)
    let disk = try desktopDisk()
    expectBoth(disk, expected)
    #expect(disk == one.state)
  }

  @Test("the journal removed under the same state.json (the other device folded it in): what it held is written back")
  func journalRemoved() throws {
    let one = try Process(path: desktopPath, device: "desktop")
    one.change("a") { $0.tags = ["base"] }
    try one.compact()
    one.change("a") { $0.setStatus(.read, at: Self.morning) }
    one.change("b") { $0.note = "in the journal" }
    try one.save()
    try FileManager.default.removeItem(atPath: desktopPath + ".journal")
    try one.refresh()
    let disk = try desktopDisk()
    #expect(disk[PaperID("a")].unstamped == PaperState(status: .read, tags: ["base"], readAt: Self.morning))
    #expect(disk[PaperID("b")].note == "in the journal")
    #expect(disk == one.state)

    // Removed again, and this time a save of a new change is what finds it gone.
    try FileManager.default.removeItem(atPath: desktopPath + ".journal")
    one.change("c") { $0.tags = ["later"] }
    try one.save()
    let after = try desktopDisk()
    #expect(after[PaperID("a")].status == .read && after[PaperID("b")].note == "in the journal")
    #expect(after[PaperID("c")].tags == ["later"])
    #expect(after == one.state)
  }

  @Test("the journal replaced by the laptop's under the same state.json: the laptop's lines taken in, nothing of either lost")
  func journalReplaced() throws {
    let one = try Process(path: desktopPath, device: "desktop")
    one.change("a") { $0.tags = ["base"] }
    try one.compact()
    try copyToLaptop()
    let two = try Process(path: laptopPath, device: "laptop")
    one.change("a") { $0.setStatus(.read, at: Self.morning) }
    one.change("b") { $0.note = "desktop's" }
    try one.save()
    two.change("a") { $0.tags.append("lap") }
    two.change("d") { $0.setStatus(.read, at: Self.evening) }
    try two.save()
    try sync("state.json.journal")

    try one.refresh()
    let expected: [String: PaperState] = [
      "a": PaperState(status: .read, tags: ["base", "lap"], readAt: Self.morning),
      "b": PaperState(note: "desktop's"),
      "d": PaperState(status: .read, readAt: Self.evening),
    ]
    for (id, paper) in expected { #expect(one.state[PaperID(id)].unstamped == paper, "paper \(id)") }
    let disk = try desktopDisk()
    #expect(disk == one.state)
  }

  @Test("a newer state.json put under an older journal: loading keeps the newer fields; a line without stamps still replaces")
  func newerStateUnderOlderJournal() throws {
    let one = try Process(path: desktopPath, device: "desktop")
    one.change("p") {
      $0.setStatus(.read, at: Self.morning)
      $0.tags = ["base"]
    }
    try one.compact()
    try copyToLaptop()
    let two = try Process(path: laptopPath, device: "laptop")
    one.change("p") {
      $0.title = "older title"
      $0.tags.append("journalled")
    }
    try one.save()
    two.change("p") {
      $0.title = "newer title"
      $0.setStatus(.unread, at: Self.evening)
    }
    try two.compact()
    try sync()

    // The journal's line for p is older than the new state.json's title and status, but
    // has a tag the laptop never saw.
    #expect(try desktopDisk()[PaperID("p")].unstamped == PaperState(tags: ["base", "journalled"], title: "newer title"))

    // A line an older quire wrote, without stamps, is the paper's whole state, as it was then.
    let journal = try FileHandle(forWritingTo: URL(fileURLWithPath: desktopPath + ".journal"))
    journal.seekToEndOfFile()
    journal.write(Data("{\"id\": \"p\", \"status\": \"read\", \"tags\": [\"legacy\"]}\n".utf8))
    try journal.close()
    #expect(try desktopDisk()[PaperID("p")] == PaperState(status: .read, tags: ["legacy"]))
  }

  @Test("a note edited on both devices: after the live merge both versions are in it, each marked with its device")
  func concurrentNotes() throws {
    let one = try Process(path: desktopPath, device: "desktop")
    one.change("p") { $0.note = "the base note" }
    try one.compact()
    try copyToLaptop()
    let two = try Process(path: laptopPath, device: "laptop")
    one.change("p") { $0.note = "desktop's thoughts" }
    try one.save()
    two.change("p") { $0.note = "laptop's thoughts" }
    try two.compact()
    try sync()
    try one.refresh()

    let note = try #require(one.state[PaperID("p")].note)
    let desk = try #require(note.range(of: "[version from desktop, "), "\(note)")
    let lap = try #require(note.range(of: "[version from laptop, "), "\(note)")
    #expect(desk.lowerBound < lap.lowerBound, "older version first: \(note)")
    #expect(note.contains("]\ndesktop's thoughts") && note.contains("]\nlaptop's thoughts"), "\(note)")
    #expect(!note.contains("the base note"), "both edits had seen it: \(note)")
    let disk = try desktopDisk()
    #expect(disk[PaperID("p")].note == note)
    #expect(disk[PaperID("p")].stamps.noteVersions.map(\.stamp.device) == ["desktop", "laptop"])
    #expect(disk == one.state)
  }

  @Test("a tag removed here stays removed though the replacing copy still has it; one added there afterwards is present")
  func tagRemovalAgainstOlderCopy() throws {
    let one = try Process(path: desktopPath, device: "desktop")
    one.change("p") { $0.tags = ["gone", "kept", "again"] }
    try one.compact()
    try copyToLaptop()
    let two = try Process(path: laptopPath, device: "laptop")
    one.change("p") { $0.tags.removeAll { $0 == "gone" || $0 == "again" } }
    try one.save()
    try one.compact()
    // After the desktop's removals: a new tag, and one the desktop removed, taken off and put back.
    two.change("p") { $0.tags.append("there") }
    two.change("p") { $0.tags.removeAll { $0 == "again" } }
    two.change("p") { $0.tags.append("again") }
    try two.compact()
    #expect(try StateStore(path: laptopPath).load()[PaperID("p")].tags.contains("gone"))
    try sync()
    try one.refresh()

    #expect(one.state[PaperID("p")].tags == ["kept", "there", "again"])
    let disk = try desktopDisk()
    #expect(disk[PaperID("p")].tags == ["kept", "there", "again"])
    #expect(disk[PaperID("p")].stamps.tags.contains { $0.tag == "gone" && !$0.present && $0.stamp.device == "desktop" })
    #expect(disk == one.state)
  }
}
