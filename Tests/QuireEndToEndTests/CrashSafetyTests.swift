import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Nothing lost: kills at random moments, two readers on one state, saves that fail, links,
/// fatal signals, and a terminal resized without mercy. Each drives the real binary.
@Suite("Crash safety", .timeLimit(.minutes(10)))
struct CrashSafetyTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test(.enabled(if: python != nil, "python3 is not installed"))
  func killedAtRandomMomentsNothingSavedIsLost() async throws {
    let quire = try QuireBinary.require()
    // The documented full run is `scripts/kill-test.py --kills 1000` (README: Crash safety).
    let result = try await Run.process(
      Self.python!, [Self.repository + "/scripts/kill-test.py", "--kills", "100", "--import-kills", "10", "--fetch-kills", "10", "--quire", quire],
      environment: nil, directory: nil)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("100 reader kills"), "\(result)")
    #expect(result.stdout.contains("10 fetch kills"), "\(result)")
    print(result.stdout)
  }

  // MARK: - Two readers

  @Test func twoReadersAndAnImportLoseNoChange() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let ids = try await scratch.runQuire(["list"]).stdoutLines.map { try #require(jsonObject($0)["id"] as? String) }
    let (one, runOne) = try await startQuire(scratch, name: "one")
    defer { one.kill() }
    let (two, runTwo) = try await startQuire(scratch, name: "two")
    defer { two.kill() }
    try await one.waitForScreen(containing: "1/13")
    try await two.waitForScreen(containing: "1/13")

    // Both change the first paper, each a different field.
    try await one.press("r")
    try await one.waitForScreen(containing: "marked read")
    try await two.press("t")
    try await two.type("from-two")
    try await two.press("Enter")
    // Two saw one's change to the paper when it saved its own.
    let merged = try await two.waitForScreen(containing: "12 unread")
    #expect(merged.contains("status: read · tags: from-two"), "\(merged)")
    try await two.press("Escape")
    try await two.waitForScreen(notContaining: "┌ Tags")

    // An import carrying state for the third paper, while both readers are open.
    let export = scratch.path("carried.jsonl")
    let exported = try await scratch.runQuire(["export", "--format", "jsonl", "-o", export])
    #expect(exported.status == 0, "\(exported)")
    let lines = try #require(scratch.read(export)).split(separator: "\n").map(String.init)
    var third = try jsonObject(lines[2])
    third["status"] = "read"
    third["tags"] = ["carried"]
    _ = try scratch.write(export, String(decoding: try JSONSerialization.data(withJSONObject: third), as: UTF8.self) + "\n")
    let imported = try await scratch.runQuire(["import", export])
    #expect(imported.stdout.contains("status and tags taken for 1 paper"), "\(imported)")

    // One goes on reading: the second paper, then quits, folding the journal in.
    try await one.press("j")
    try await one.press("r")
    try await one.waitForScreen(containing: "marked read")
    try await one.press("q")
    try await expectCleanExit(one, runOne, status: 0)

    // Two, still open, tags the fourth paper and quits.
    try await two.press("j", "j", "j", "t")
    try await two.type("late")
    try await two.press("Enter")
    try await two.waitForScreen(containing: "#late")
    try await two.press("Escape")
    try await two.waitForScreen(notContaining: "┌ Tags")
    try await two.press("q")
    try await expectCleanExit(two, runTwo, status: 0)

    let state = try jsonObject(try #require(scratch.read(scratch.statePath)))
    let papers = try #require(state["papers"] as? [String: [String: Any]])
    #expect(papers[ids[0]]?["status"] as? String == "read")
    #expect(papers[ids[0]]?["tags"] as? [String] == ["from-two"])
    #expect(papers[ids[1]]?["status"] as? String == "read")
    #expect(papers[ids[2]]?["status"] as? String == "read")
    #expect(papers[ids[2]]?["tags"] as? [String] == ["carried"])
    #expect(papers[ids[3]]?["tags"] as? [String] == ["late"])
    #expect(papers.count == 4, "\(papers)")
    #expect(!FileManager.default.fileExists(atPath: scratch.statePath + ".journal"))
  }

  // MARK: - Saving fails, then works again

  /// A small file system of its own, mounted for the test; nil where mounting is not
  /// allowed (not root, or a container without the right).
  final class Mount {
    let path: String

    init?(at path: String, options: String) {
      self.path = path
      try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      guard Run.processSync("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", path])?.status == 0 else { return nil }
    }

    func remount(_ options: String) -> Bool {
      Run.processSync("/bin/mount", ["-o", "remount," + options, path])?.status == 0
    }

    func unmount() { _ = Run.processSync("/bin/umount", ["-l", path]) }
  }

  static let canMount: Bool = {
    let probe = NSTemporaryDirectory() + "quire-mount-probe-\(getpid())"
    guard let mount = Mount(at: probe, options: "size=64k") else { return false }
    mount.unmount()
    try? FileManager.default.removeItem(atPath: probe)
    return true
  }()

  @Test(.enabled(if: canMount, "mounting a tmpfs is not allowed here"))
  func readOnlyFolderKeepsChangesInMemoryUntilWritable() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let mount = try #require(Mount(at: scratch.path("disk"), options: "size=1m"))
    defer { mount.unmount() }
    let statePath = mount.path + "/state.json"
    let original = #"{"format": "quire-state", "version": 1, "papers": {"x": {"status": "read"}}}"# + "\n"
    _ = try scratch.write(statePath, original)
    #expect(mount.remount("ro"))

    let (tmux, run) = try await startQuire(scratch, ["--state", statePath], cols: 200)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    let failed = try await tmux.waitForScreen(containing: "NOT SAVED")
    #expect(statusLine(failed).contains("Read-only file system"), "\(failed)")
    try await tmux.press("j", "t")
    try await tmux.type("while-read-only")
    try await tmux.press("Enter")
    try await tmux.waitForScreen(containing: "#while-read-only")
    try await tmux.press("Escape")
    try await tmux.waitForScreen(notContaining: "┌ Tags")
    #expect(scratch.read(statePath) == original, "the state file changed on a read-only disk")

    #expect(mount.remount("rw"))
    let saved = try await tmux.waitForScreen(containing: "saved after all", timeout: .seconds(15))
    #expect(!saved.contains("NOT SAVED"))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    let text = try #require(scratch.read(statePath))
    let papers = try #require(try jsonObject(text)["papers"] as? [String: [String: Any]])
    #expect(papers["x"]?["status"] as? String == "read", "the earlier state was lost")
    #expect(papers.filter { $0.key != "x" && $0.value["status"] as? String == "read" }.count == 1, "\(papers)")
    #expect(papers.values.contains { $0["tags"] as? [String] == ["while-read-only"] })
    #expect(papers.count == 3)
  }

  @Test(.enabled(if: canMount, "mounting a tmpfs is not allowed here"))
  func fullDiskKeepsChangesInMemoryUntilThereIsRoom() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let mount = try #require(Mount(at: scratch.path("disk"), options: "size=64k"))
    defer { mount.unmount() }
    let statePath = mount.path + "/state.json"
    let original = #"{"format": "quire-state", "version": 1, "papers": {"x": {"status": "read"}}}"# + "\n"
    _ = try scratch.write(statePath, original)
    // Fill every block that is left.
    let filler = mount.path + "/filler"
    _ = Run.processSync("/bin/dd", ["if=/dev/zero", "of=" + filler, "bs=4096"])

    let (tmux, run) = try await startQuire(scratch, ["--state", statePath], cols: 200)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    let failed = try await tmux.waitForScreen(containing: "NOT SAVED")
    #expect(statusLine(failed).contains("No space left on device"), "\(failed)")
    try await tmux.press("j", "r")
    #expect(scratch.read(statePath) == original, "the state file changed on a full disk")
    // A journal cut short must not be left behind to run into the next save.
    #expect((scratch.read(statePath + ".journal") ?? "").allSatisfy { $0 != "\0" })

    try FileManager.default.removeItem(atPath: filler)
    try await tmux.waitForScreen(containing: "saved after all", timeout: .seconds(15))
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    let text = try #require(scratch.read(statePath))
    let papers = try #require(try jsonObject(text)["papers"] as? [String: [String: Any]])
    #expect(papers.count == 3, "\(papers)")
    #expect(papers.values.allSatisfy { $0["status"] as? String == "read" })
  }

  @Test func stateLinkedToADeviceIsRefusedAndTheDeviceLeftAlone() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try FileManager.default.createDirectory(atPath: scratch.dataHome + "/quire", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: scratch.statePath, withDestinationPath: "/dev/full")
    let listed = try await scratch.runQuire(["list"])
    #expect(listed.status == 1)
    #expect(listed.stderr.contains("not a regular file"), "\(listed)")
    var info = stat()
    #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "/dev/full is no longer a device")
  }

  @Test func symlinkedStateIsWrittenThroughItsLinkKeepingPermissions() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let synced = scratch.path("Sync/quire-state.json")
    _ = try scratch.write(synced, #"{"format": "quire-state", "version": 1, "papers": {}}"# + "\n")
    #expect(chmod(synced, 0o640) == 0)
    try FileManager.default.createDirectory(atPath: scratch.dataHome + "/quire", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: scratch.statePath, withDestinationPath: synced)

    let (tmux, run) = try await startQuire(scratch)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)

    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.statePath) == synced)
    var info = stat()
    #expect(stat(synced, &info) == 0 && info.st_mode & 0o777 == 0o640)
    #expect(scratch.read(synced)?.contains("\"read\"") == true)
    #expect(!FileManager.default.fileExists(atPath: synced + ".journal"))
  }

  // MARK: - Fatal signals and the terminal

  enum Fatal: String, CaseIterable, Sendable {
    case segv, abrt, quit

    var number: Int32 {
      switch self {
      case .segv: SIGSEGV
      case .abrt: SIGABRT
      case .quit: SIGQUIT
      }
    }
  }

  @Test(arguments: Fatal.allCases)
  func fatalSignalStillRestoresTheTerminal(_ fatal: Fatal) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // Swift's own crash report would wait for a key on a terminal.
    let (tmux, run) = try await startQuire(scratch, environment: ["SWIFT_BACKTRACE": "enable=no"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    let pid = try await run.pid()
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    // Sent to quire alone: Ctrl-\ would reach the test's wrapper shell too.
    #expect(kill(pid, fatal.number) == 0)
    try await expectCleanExit(tmux, run, status: 128 + fatal.number)
    // Saved before the crash: every change is saved as it is made.
    #expect(scratch.read(scratch.statePath)?.contains("\"read\"") == true)
  }

  @Test func resizeStormDownToOneByOne() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (tmux, run) = try await startQuire(scratch, cols: 100, rows: 30)
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    let pid = try await run.pid()
    var generator = SystemRandomNumberGenerator()
    let sizes = [(1, 1), (2, 1), (1, 2), (3, 3), (40, 10), (39, 9), (200, 60)]
    for round in 0..<150 {
      let (cols, rows) = round % 3 == 0
        ? sizes[round / 3 % sizes.count] : (Int.random(in: 1...160, using: &generator), Int.random(in: 1...50, using: &generator))
      try await tmux.run(["resize-window", "-t", tmux.target, "-x", "\(cols)", "-y", "\(rows)"])
      if round % 10 == 0 { try await tmux.press("j") }
      // A burst of SIGWINCH between redraws, too.
      if round % 25 == 0 { for _ in 0..<20 { kill(pid, SIGWINCH) } }
    }
    try await tmux.resize(cols: 1, rows: 1)
    try await Task.sleep(for: .milliseconds(200))
    #expect(!processHasEnded(pid), "quire ended at 1×1")
    try await tmux.resize(cols: 100, rows: 30)
    let back = try await tmux.waitForScreen(containing: "/13")
    #expect(back.contains("┌ Papers"), "\(back)")
    #expect(try await tmux.lines().allSatisfy { displayWidth($0) <= 100 })
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }
}
