import Foundation
import Testing

@testable import QuireModel

@Suite("Saved reading state")
struct StateStoreTests {
  let folder: String

  init() throws {
    folder = NSTemporaryDirectory() + "quire-state-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  var path: String { folder + "/quire/state.json" }

  func sample() -> ReadingState {
    var state = ReadingState()
    state[PaperID("b")] = PaperState(status: .read, tags: ["gan", "théorie-\"quoted\""])
    state[PaperID("a")] = PaperState(status: .unread, tags: ["x"])
    state[PaperID("c")] = PaperState(status: .read)
    return state
  }

  @Test("round trip, creating the folder")
  func roundTrip() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    #expect(try store.load() == sample())
  }

  @Test("one paper per line, sorted by id, with a format version")
  func layout() throws {
    let text = String(decoding: StateStore.encode(sample()), as: UTF8.self)
    #expect(text == """
      {
        "format": "quire-state",
        "version": 1,
        "papers": {
          "a": {"status": "unread", "tags": ["x"]},
          "b": {"status": "read", "tags": ["gan", "théorie-\\"quoted\\""]},
          "c": {"status": "read", "tags": []}
        }
      }

      """)
    #expect(try JSONSerialization.jsonObject(with: StateStore.encode(ReadingState())) is [String: Any])
  }

  @Test("the writer re-encodes only changed papers and writes the same bytes as a full encode")
  func incrementalWriter() throws {
    let writer = StateWriter(store: StateStore(path: path))
    var state = sample()
    try writer.save(state, changed: [])
    state[PaperID("0")] = PaperState(status: .read, tags: ["new"])  // inserted first
    state[PaperID("b")] = PaperState()  // removed
    state[PaperID("c")] = PaperState(status: .unread, tags: ["z"])  // changed
    state[PaperID("zz")] = PaperState(status: .read)  // appended
    try writer.save(state, changed: [PaperID("0"), PaperID("b"), PaperID("c"), PaperID("zz")])
    let written = try #require(FileManager.default.contents(atPath: path))
    #expect(written == StateStore.encode(state))
    #expect(try StateStore(path: path).load() == state)
  }

  @Test("untouched papers are not stored")
  func untouchedDropped() {
    var state = sample()
    state[PaperID("c")] = PaperState()
    #expect(state.papers.count == 2)
  }

  @Test("a missing file is an empty state")
  func missing() throws {
    #expect(try StateStore(path: path).load() == ReadingState())
  }

  @Test(
    "a file that cannot be understood is refused, naming the file and the problem",
    arguments: [
      ("{ this is not json", "is not valid JSON"),
      ("[1, 2]", "expected a JSON object"),
      ("{\"papers\": {}}", "has no \"version\""),
      ("{\"format\": \"quire-state\", \"version\": 99, \"papers\": {}}", "format version 99"),
      ("{\"version\": 1, \"papers\": {\"a\": {\"status\": \"skimmed\"}}}", "\"read\" or \"unread\""),
      ("{\"version\": 1, \"papers\": {\"a\": {\"tags\": \"x\"}}}", "array of strings"),
      ("{\"format\": \"other\", \"version\": 1, \"papers\": {}}", "not a quire state file"),
    ])
  func refused(contents: String, expected: String) throws {
    try FileManager.default.createDirectory(atPath: folder + "/quire", withIntermediateDirectories: true)
    try contents.write(toFile: path, atomically: false, encoding: .utf8)
    do {
      _ = try StateStore(path: path).load()
      Issue.record("loaded a broken file")
    } catch {
      #expect(error.description.hasPrefix(path + ": "))
      #expect(error.description.contains(expected))
      #expect(error.description.contains("will not overwrite"))
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == contents)
  }

  @Test("a JSON syntax error names the line")
  func syntaxErrorLine() throws {
    try FileManager.default.createDirectory(atPath: folder + "/quire", withIntermediateDirectories: true)
    try "{\n  \"version\": 1,\n  \"papers\": {,}\n}".write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: StateStore.LoadError.self) { try StateStore(path: path).load() }
    do { _ = try StateStore(path: path).load() } catch { #expect(error.reason.contains("line 3")) }
  }

  @Test("saving keeps the file's permissions")
  func keepsPermissions() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    chmod(path, 0o600)
    try store.save(ReadingState())
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    #expect(try store.load() == ReadingState())
  }

  @Test("a symlinked state file is written through its link")
  func writesThroughSymlink() throws {
    let real = folder + "/synced/state.json"
    try FileManager.default.createDirectory(atPath: folder + "/synced", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: folder + "/quire", withIntermediateDirectories: true)
    try StateStore(path: real).save(ReadingState())
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: real)
    try StateStore(path: path).save(sample())
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == real)
    #expect(try StateStore(path: real).load() == sample())
    // No temporary files are left behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/synced") == ["state.json"])
  }

  @Test("a failed save says why and leaves the old file whole", .enabled(if: getuid() != 0))
  func failedSaveReadOnlyFolder() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    chmod(folder + "/quire", 0o500)
    defer { chmod(folder + "/quire", 0o700) }
    #expect(throws: StateStore.SaveError.self) { try store.save(ReadingState()) }
    #expect(try store.load() == sample())
  }

  @Test("a save that cannot complete reports the error and leaves the old file whole")
  func failedSaveNotAFolder() throws {
    // Works as root too: the folder's path is a file, so nothing can be created in it.
    let blocked = folder + "/blocked"
    try "not a folder".write(toFile: blocked, atomically: false, encoding: .utf8)
    let store = StateStore(path: blocked + "/state.json")
    do {
      try store.save(sample())
      Issue.record("saved into a file")
    } catch {
      #expect(error.description.hasPrefix("cannot save \(blocked)/state.json"))
    }
    #expect(try String(contentsOfFile: blocked, encoding: .utf8) == "not a folder")
  }

  @Test("a dangling symlink is refused rather than treated as empty")
  func danglingSymlink() throws {
    try FileManager.default.createDirectory(atPath: folder + "/quire", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: folder + "/gone/state.json")
    #expect(throws: StateStore.LoadError.self) { try StateStore(path: path).load() }
  }

  @Test("the default path follows XDG_DATA_HOME, then HOME")
  func defaultPath() {
    #expect(StateStore.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/quire/state.json")
    #expect(StateStore.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]) == "/h/.local/share/quire/state.json")
    #expect(StateStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/quire/state.json")
  }

  @Test("control characters and line separators are escaped in JSON strings")
  func escaping() {
    #expect(StateStore.jsonString("a\u{1b}[31m\u{2028}\t\\") == "\"a\\u001b[31m\\u2028\\t\\\\\"")
  }
}
