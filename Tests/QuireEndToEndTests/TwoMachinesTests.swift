import Foundation
import Testing

/// A laptop and a desktop read from one starting state, diverge (reads, tags, notes on
/// the same papers), and are merged: with `quire merge` both ways, and through git with
/// `quire merge-driver`. Every way gives the same file, holding every change that was not
/// superseded by a newer one.
@Suite(
  "Two machines, one reading state", .enabled(if: Tmux.isAvailable, "tmux is not installed"),
  .timeLimit(.minutes(2)))
struct TwoMachinesTests {
  // The first three papers of the built-in list.
  static let leshno = "f040727cead619c8"
  static let hardt = "4c4432d3f81e5e57"
  static let zhang = "8e0ba1f65171a1dc"

  /// A scratch home signing its changes as `device`.
  struct Machine {
    let scratch: Scratch
    let device: String

    var environment: [String: String] { scratch.environment.merging(["QUIRE_DEVICE": device]) { $1 } }

    @discardableResult
    func quire(_ arguments: [String], editor: String? = nil) async throws -> ProcessResult {
      var environment = environment
      if let editor { environment["EDITOR"] = editor }
      let result = try await Run.process(scratch.quire, arguments, environment: environment)
      #expect(result.status == 0, "quire \(arguments.joined(separator: " ")): \(result)")
      return result
    }

    /// An editor that writes `text` as the note. Run by `sh`, not executed itself: a file
    /// just written can still be open for writing in a child another test forked meanwhile,
    /// and executing it then fails ("Text file busy").
    func noteEditor(_ text: String) throws -> String {
      let script = try scratch.write(
        "editor-\(UUID().uuidString.prefix(6)).sh", "printf '%s\\n' \(shellQuote(text)) > \"$1\"\n")
      return "sh " + shellQuote(script)
    }

    var state: String { scratch.read(scratch.statePath) ?? "" }
  }

  @Test func divergedCopiesMergeTheSameEveryWay() async throws {
    let laptop = Machine(scratch: try Scratch(), device: "laptop")
    let desktop = Machine(scratch: try Scratch(), device: "desktop")
    defer {
      laptop.scratch.remove()
      desktop.scratch.remove()
    }

    // The common start: read on the laptop, with a tag and a note, copied to the desktop.
    try await laptop.quire(["mark", Self.leshno, "--read"])
    try await laptop.quire(["tag", Self.leshno, "+theory"])
    try await laptop.quire(["note", Self.leshno], editor: try laptop.noteEditor("first thoughts"))
    let start = laptop.state
    try desktop.scratch.write(desktop.scratch.statePath, start)

    // The desktop, first: tags, a note, a paper read, another marked unread.
    try await desktop.quire(["tag", Self.leshno, "+gan"])
    try await desktop.quire(["note", Self.leshno], editor: try desktop.noteEditor("desktop: the proof needs width"))
    try await desktop.quire(["mark", Self.zhang, "--read"])
    try await desktop.quire(["mark", Self.hardt, "--read"])

    // Then the laptop, in the reader: the second paper (Hardt) marked read, then unread
    // again, which is newer than the desktop's read; then a tag swapped and a note of its own.
    let (tmux, run) = try await startQuire(laptop.scratch, cols: 120, environment: ["QUIRE_DEVICE": "laptop"])
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "1/13")
    try await tmux.press("j")
    try await tmux.waitForScreen(containing: "2/13")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked read")
    try await tmux.press("r")
    try await tmux.waitForScreen(containing: "marked unread")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
    try await laptop.quire(["tag", Self.leshno, "-theory", "+deep"])
    try await laptop.quire(["note", Self.leshno], editor: try laptop.noteEditor("laptop: see section 3"))

    let laptopCopy = try laptop.scratch.write("laptop-copy.json", laptop.state)
    let desktopCopy = try desktop.scratch.write("desktop-copy.json", desktop.state)
    #expect(laptop.state != desktop.state)

    // --dry-run says what would change, and writes nothing.
    let before = laptop.state
    let dry = try await laptop.quire(["merge", "--dry-run", desktopCopy])
    #expect(dry.stdout.contains("\(Self.zhang)  read"), "\(dry.stdout)")
    #expect(dry.stdout.contains("nothing written (--dry-run)"), "\(dry.stdout)")
    #expect(laptop.state == before)

    // Both ways.
    let intoLaptop = try await laptop.quire(["merge", desktopCopy])
    let intoDesktop = try await desktop.quire(["merge", laptopCopy])
    #expect(intoLaptop.stdout.contains("\(Self.leshno)  tagged gan"), "\(intoLaptop.stdout)")
    #expect(intoLaptop.stdout.contains("conflict: the note was edited apart on desktop and laptop"), "\(intoLaptop.stdout)")
    #expect(intoLaptop.stdout.contains("1 conflict"), "\(intoLaptop.stdout)")
    #expect(intoDesktop.stdout.contains("\(Self.leshno)  tagged deep, untagged theory"), "\(intoDesktop.stdout)")
    #expect(intoDesktop.stdout.contains("\(Self.hardt)  unread"), "\(intoDesktop.stdout)")
    let merged = laptop.state
    #expect(merged == desktop.state, "laptop:\n\(merged)\ndesktop:\n\(desktop.state)")
    try Self.expectEveryChange(in: merged)

    // Merging again changes nothing.
    let again = try await laptop.quire(["merge", desktopCopy])
    #expect(again.stdout.contains("nothing new"), "\(again.stdout)")
    #expect(laptop.state == merged)

    // Through git, each branch merging the other, with the driver as README sets it up.
    let gitPath = try Self.findGit()
    let repository = laptop.scratch.path("repository")
    func git(_ arguments: [String]) async throws -> ProcessResult {
      let result = try await Run.process(
        gitPath, arguments, environment: laptop.environment.merging(["GIT_CONFIG_NOSYSTEM": "1"]) { $1 }, directory: repository)
      #expect(result.status == 0, "git \(arguments.joined(separator: " ")): \(result)")
      return result
    }
    try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
    _ = try await git(["init", "-q", "-b", "main"])
    _ = try await git(["config", "user.name", "Test"])
    _ = try await git(["config", "user.email", "test@example.org"])
    _ = try await git(["config", "merge.quire.name", "quire reading state"])
    _ = try await git(["config", "merge.quire.driver", "\(shellQuote(laptop.scratch.quire)) merge-driver %O %A %B"])
    try laptop.scratch.write(repository + "/.gitattributes", "state.json merge=quire\n")
    try laptop.scratch.write(repository + "/state.json", start)
    _ = try await git(["add", "."])
    _ = try await git(["commit", "-q", "-m", "start"])
    _ = try await git(["checkout", "-q", "-b", "desktop"])
    try laptop.scratch.write(repository + "/state.json", try String(contentsOfFile: desktopCopy, encoding: .utf8))
    _ = try await git(["commit", "-q", "-am", "desktop"])
    _ = try await git(["checkout", "-q", "main"])
    try laptop.scratch.write(repository + "/state.json", try String(contentsOfFile: laptopCopy, encoding: .utf8))
    _ = try await git(["commit", "-q", "-am", "laptop"])
    _ = try await git(["branch", "-q", "laptop"])
    let mainMerge = try await git(["merge", "-q", "--no-edit", "desktop"])
    #expect(mainMerge.stderr.contains("quire: merged the reading state"), "\(mainMerge)")
    let viaGit = laptop.scratch.read(repository + "/state.json") ?? ""
    #expect(!viaGit.contains("<<<<<<<"))
    #expect(viaGit == merged, "git:\n\(viaGit)\nquire merge:\n\(merged)")
    _ = try await git(["checkout", "-q", "desktop"])
    _ = try await git(["merge", "-q", "--no-edit", "laptop"])
    #expect(laptop.scratch.read(repository + "/state.json") == merged)

    // The reader shows the note's two versions, each marked with where it was written.
    let (viewer, shown) = try await startQuire(laptop.scratch, cols: 120, rows: 40, name: "after")
    defer { viewer.kill() }
    let screen = try await viewer.waitForScreen(containing: "[version from desktop")
    #expect(screen.contains("[version from laptop"))
    try await viewer.press("q")
    try await expectCleanExit(viewer, shown, status: 0)
  }

  @Test func badCopiesAndBadDeviceNamesAreNamedAndChangeNothing() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    _ = try await scratch.runQuire(["mark", Self.leshno, "--read"])
    let state = scratch.read(scratch.statePath) ?? ""
    #expect(state.contains("\"changed\""))
    let broken = try scratch.write(
      "broken.json", "{\"format\": \"quire-state\", \"version\": 1, \"papers\": {\n  \"a\": {\"status\": \"read\", \"tags\": [], \"changed\": {\"status\": \"yesterday\"}}\n}}\n")
    let cases: [([String], [String: String], String)] = [
      (["merge", scratch.path("missing.json")], [:], "missing.json: does not exist"),
      (["merge", broken], [:], "broken.json: line 2: paper \"a\": expected \"changed\".\"status\" to be when it changed and on which device, in the form \"2026-11-29T23:47:05.123Z laptop-3fa2\""),
      (["merge", scratch.statePath], [:], "is the state being merged into"),
      (["merge-driver", broken, scratch.statePath, broken], [:], "left for you to merge by hand"),
      (["mark", Self.hardt, "--read"], ["QUIRE_DEVICE": "my laptop"], "QUIRE_DEVICE 'my laptop' is not a device name"),
    ]
    for (arguments, extra, message) in cases {
      let result = try await Run.process(scratch.quire, arguments, environment: scratch.environment.merging(extra) { $1 })
      #expect(result.status == 1, "\(arguments): \(result)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(scratch.read(scratch.statePath) == state, "\(arguments) changed the state")
    }
    // A device file that is not a name stops quire before it changes anything, and `quire check` names it.
    try scratch.write(scratch.stateHome + "/quire/device", "two words\n")
    let marked = try await scratch.runQuire(["mark", Self.hardt, "--read"])
    #expect(marked.status == 1 && marked.stderr.contains("quire/device: expected this device's name"), "\(marked)")
    let checked = try await scratch.runQuire(["check"])
    #expect(checked.stdout.contains("quire/device: expected this device's name"), "\(checked)")
    #expect(scratch.read(scratch.statePath) == state)
  }

  /// Every change that no newer change to the same field replaced, in the merged file.
  static func expectEveryChange(in file: String) throws {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any])
    let papers = try #require(root["papers"] as? [String: [String: Any]])
    let leshno = try #require(papers[leshno])
    #expect(leshno["status"] as? String == "read")
    #expect(Set(leshno["tags"] as? [String] ?? []) == ["gan", "deep"])  // theory was removed
    let note = leshno["note"] as? String ?? ""
    #expect(note.contains("[version from desktop") && note.contains("desktop: the proof needs width"), "\(note)")
    #expect(note.contains("[version from laptop") && note.contains("laptop: see section 3"), "\(note)")
    #expect(!note.contains("first thoughts"))  // both versions replaced it
    let changed = try #require(leshno["changed"] as? [String: Any])
    #expect((changed["untagged"] as? [String: String])?["theory"]?.hasSuffix(" laptop") == true)
    #expect(papers[hardt]?["status"] as? String == "unread")  // the laptop's unread is newer than the desktop's read
    #expect((papers[hardt]?["changed"] as? [String: String])?["status"]?.hasSuffix(" laptop") == true)
    #expect(papers[zhang]?["status"] as? String == "read")
  }

  static func findGit() throws -> String {
    for folder in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: folder + "/git") {
      return folder + "/git"
    }
    throw E2EFailure("git is not installed")
  }
}
