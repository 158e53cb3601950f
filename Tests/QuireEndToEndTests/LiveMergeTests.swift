import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A reader open on a desktop while a sync tool brings the laptop's state.json: the reader
/// takes the laptop's changes in without being asked, and what the desktop did meanwhile,
/// which the laptop's copy lacks, is not lost.
@Suite(
  "A sync tool replaces state.json under an open reader", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct LiveMergeTests {
  @Test func theReaderTakesTheLaptopsChangesInAndTheFileKeepsBothDevices() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    try #require(ids.count == 13)
    let desktop = ["QUIRE_DEVICE": "desktop"]
    // The laptop's own state folder, so the two never share a session or a device file.
    let laptop = ["QUIRE_DEVICE": "laptop", "XDG_STATE_HOME": scratch.path("laptop-state")]
    let laptopState = scratch.path("laptop/state.json")
    func onLaptop(_ arguments: [String]) async throws {
      let result = try await Run.process(
        scratch.quire, arguments + ["--state", laptopState], environment: scratch.environment.merging(laptop) { $1 })
      #expect(result.status == 0, "\(arguments): \(result)")
    }

    // Both devices start from one synced state.
    let base = try await Run.process(scratch.quire, ["tag", ids[3], "+shared"], environment: scratch.environment.merging(desktop) { $1 })
    #expect(base.status == 0, "\(base)")
    try FileManager.default.createDirectory(atPath: scratch.path("laptop"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: scratch.statePath, toPath: laptopState)

    let (tmux, run) = try await startQuire(scratch, cols: 120, rows: 30, environment: desktop)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    // On the desktop: the second paper read, the third tagged.
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "2/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "3/13")
    try await tmux.press("t")
    try await tmux.waitForScreen(containing: "┌ Tags")
    try await tmux.type("desk")
    try await tmux.waitForScreen(containing: "add: desk")
    try await tmux.press("Enter")
    try await tmux.waitForScreen(containing: "tagged 'desk'")
    try await tmux.press("Escape")
    try await tmux.waitForScreen(notContaining: "┌ Tags")
    let journal = scratch.statePath + ".journal"
    _ = try await waitUntil("the desktop's tag in its journal") { scratch.read(journal)?.contains("\"desk\"") == true ? true : nil }

    // Meanwhile on the laptop: a paper read, the desktop's third paper tagged too, the
    // shared tag taken off; then a reader opened and closed there folds it all into its state.json.
    try await onLaptop(["mark", ids[4], "--read"])
    try await onLaptop(["tag", ids[2], "+lap"])
    try await onLaptop(["tag", ids[3], "-shared"])
    let (laptopTmux, laptopRun) = try await startQuire(
      scratch, ["--state", laptopState], cols: 120, rows: 30, name: "laptop-run", environment: laptop)
    defer { laptopTmux.kill() }
    try await laptopTmux.waitForScreen(containing: "1/13")
    try await laptopTmux.press("q")
    try await expectCleanExit(laptopTmux, laptopRun, status: 0)
    #expect(!FileManager.default.fileExists(atPath: laptopState + ".journal"))
    let laptopFile = try #require(scratch.read(laptopState))
    #expect(!laptopFile.contains("\"desk\"") && !laptopFile.contains("desktop\""), "the laptop never saw the desktop's changes: \(laptopFile)")

    // The sync tool: the desktop's journal removed, as the laptop has none; the laptop's
    // state.json written beside the desktop's under a temporary name and renamed over it.
    // In this order, whenever the reader looks in between, the look that brings the
    // laptop's changes finds the desktop's on disk or writes them back.
    try FileManager.default.removeItem(atPath: journal)
    let temporary = scratch.path("data/quire/.syncthing.state.json.tmp")
    try FileManager.default.copyItem(atPath: laptopState, toPath: temporary)
    #expect(rename(temporary, scratch.statePath) == 0, "\(String(cString: strerror(errno)))")

    // It looks every 3 seconds.
    let merged = try await tmux.waitForScreen("the laptop's changes", timeout: .seconds(10)) {
      $0.contains("changed by another quire, merged") && $0.contains("#lap")
    }
    let rows = merged.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(merged.contains("11 unread"), "\(merged)")
    #expect(rows[3].hasPrefix("│ ○"), "the desktop's read kept: \(merged)")
    #expect(rows[4].contains("#desk #lap"), "both devices' tags: \(merged)")
    #expect(!rows[5].contains("#shared"), "the laptop's removal taken in: \(merged)")
    #expect(rows[6].hasPrefix("│ ○"), "the laptop's read taken in: \(merged)")

    // Written back at once, while the reader is still open: the desktop's changes are on
    // disk again for any other process (or the next sync) to see.
    let live = try await savedPapers(scratch)
    #expect(live[ids[1]]?["status"] as? String == "read", "\(live[ids[1]] ?? [:])")
    #expect(live[ids[2]]?["tags"] as? [String] == ["desk", "lap"], "\(live[ids[2]] ?? [:])")
    #expect(live[ids[3]]?["tags"] as? [String] == [], "\(live[ids[3]] ?? [:])")
    #expect(live[ids[4]]?["status"] as? String == "read", "\(live[ids[4]] ?? [:])")

    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)

    // Folded into state.json on quitting, every change stamped with the device that made it.
    #expect(!FileManager.default.fileExists(atPath: journal))
    let file = try #require(scratch.read(scratch.statePath))
    let papers = try #require(try jsonObject(file)["papers"] as? [String: [String: Any]], "\(file)")
    func changed(_ index: Int) -> [String: Any] { papers[ids[index]]?["changed"] as? [String: Any] ?? [:] }
    func stamp(_ index: Int, _ path: String...) -> String {
      var value: Any? = changed(index)
      for key in path { value = (value as? [String: Any])?[key] }
      return value as? String ?? "(none)"
    }
    #expect(papers[ids[1]]?["status"] as? String == "read")
    #expect(stamp(1, "status").hasSuffix("Z desktop"), "\(file)")
    #expect(papers[ids[2]]?["tags"] as? [String] == ["desk", "lap"], "\(file)")
    #expect(stamp(2, "tags", "desk").hasSuffix("Z desktop") && stamp(2, "tags", "lap").hasSuffix("Z laptop"), "\(file)")
    #expect(papers[ids[3]]?["tags"] as? [String] == [], "\(file)")
    #expect(stamp(3, "untagged", "shared").hasSuffix("Z laptop"), "\(file)")
    #expect(papers[ids[4]]?["status"] as? String == "read")
    #expect(stamp(4, "status").hasSuffix("Z laptop"), "\(file)")
  }
}

@Suite(
  "Quitting just after a sync tool replaced state.json", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(1)))
struct QuitAfterSyncTests {
  /// The reader looks at the disk every few seconds while idle; quitting before it has
  /// looked must not leave the laptop's copy as it came, nor write the desktop's over it.
  @Test func quittingBeforeTheReaderLookedKeepsBothDevicesChanges() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await listedIDs(scratch)
    try #require(ids.count == 13)
    let laptopState = scratch.path("laptop/state.json")

    let (tmux, run) = try await startQuire(scratch, cols: 120, rows: 30, environment: ["QUIRE_DEVICE": "desktop"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "2/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    // The first save with no state.json writes it whole: no journal holds the change.
    _ = try await waitUntil("the desktop's state.json") { scratch.read(scratch.statePath)?.contains("desktop") == true ? true : nil }
    #expect(!FileManager.default.fileExists(atPath: scratch.statePath + ".journal"))

    // The laptop's copy, made on its own, has only its change.
    let laptop = try await Run.process(
      scratch.quire, ["mark", ids[4], "--read", "--state", laptopState],
      environment: scratch.environment.merging(["QUIRE_DEVICE": "laptop", "XDG_STATE_HOME": scratch.path("laptop-state")]) { $1 })
    #expect(laptop.status == 0, "\(laptop)")
    let temporary = scratch.path("data/quire/.syncthing.state.json.tmp")
    try FileManager.default.copyItem(atPath: laptopState, toPath: temporary)
    #expect(rename(temporary, scratch.statePath) == 0, "\(String(cString: strerror(errno)))")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)

    let file = try #require(scratch.read(scratch.statePath))
    let papers = try #require(try jsonObject(file)["papers"] as? [String: [String: Any]], "\(file)")
    #expect(papers[ids[1]]?["status"] as? String == "read", "the desktop's change: \(file)")
    #expect(papers[ids[4]]?["status"] as? String == "read", "the laptop's change: \(file)")
    #expect(file.contains("Z desktop\"") && file.contains("Z laptop\""), "\(file)")
    #expect(!FileManager.default.fileExists(atPath: scratch.statePath + ".journal"))
  }
}
