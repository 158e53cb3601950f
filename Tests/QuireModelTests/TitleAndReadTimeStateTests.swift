import Foundation
import PropertyBased
import Testing

@testable import QuireModel

/// The title a reader gives a paper and the time it was read, as state.json and the
/// journal keep them.
@Suite("Title overrides and read times in the saved state")
struct TitleAndReadTimeStateTests {
  let folder: String

  init() throws {
    folder = NSTemporaryDirectory() + "quire-title-time-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  var path: String { folder + "/state.json" }

  static let noon = Date(timeIntervalSince1970: 1_795_996_025)  // 2026-11-29T23:47:05Z

  @Test("after the note, in a fixed order: \"title\", then \"read\" in UTC to the second")
  func layout() throws {
    var state = ReadingState()
    state[PaperID("a")] = PaperState(status: .read, tags: ["x"], note: "n", title: "My title", readAt: Self.noon.addingTimeInterval(0.75))
    state[PaperID("b")] = PaperState(status: .unread, title: "Only a title")
    state[PaperID("c")] = PaperState(status: .read, readAt: Self.noon)
    let text = String(decoding: StateStore.encode(state), as: UTF8.self)
    #expect(text == """
      {
        "format": "quire-state",
        "version": 1,
        "papers": {
          "a": {"status": "read", "tags": ["x"], "note": "n", "title": "My title", "read": "2026-11-29T23:47:05Z"},
          "b": {"status": "unread", "tags": [], "title": "Only a title"},
          "c": {"status": "read", "tags": [], "read": "2026-11-29T23:47:05Z"}
        }
      }

      """)
    #expect(StateLayoutParser.stateFile(Data(text.utf8)).map(ReadingState.init(papers:)) == state)
    #expect(try StateStore.decodeAnyLayout(Data(text.utf8), path: "s") == state)
  }

  @Test("a file written before titles and times were kept loads as it did")
  func oldFile() throws {
    let text = """
      {
        "format": "quire-state",
        "version": 1,
        "papers": {
          "a": {"status": "read", "tags": ["x"], "note": "n"},
          "b": {"status": "unread", "tags": ["y"]}
        }
      }

      """
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let state = try StateStore(path: path).load()
    #expect(state[PaperID("a")] == PaperState(status: .read, tags: ["x"], note: "n"))
    #expect(state[PaperID("a")].readAt == nil && state[PaperID("a")].title == nil)
    #expect(StateLayoutParser.stateFile(Data(text.utf8)) != nil, "still read fast")
  }

  @Test("an unread paper never has a time read, in the file or after loading one that says so")
  func unreadHasNoTime() throws {
    var entry = PaperState(status: .read, readAt: Self.noon)
    entry.status = .unread  // as a caller that forgets `setStatus` would leave it
    var state = ReadingState()
    state[PaperID("a")] = entry
    #expect(!String(decoding: StateStore.encode(state), as: UTF8.self).contains("\"read\": \"2026"))
    let hand = StateStore.header + Array("\n    \"a\": {\"status\": \"unread\", \"tags\": [\"t\"], \"read\": \"2026-11-29T23:47:05Z\"}\n  }\n}\n".utf8)
    let fast = try #require(StateLayoutParser.stateFile(Data(hand)))
    #expect(fast[PaperID("a")] == PaperState(tags: ["t"]))
    #expect(try StateStore.decodeAnyLayout(Data(hand), path: "s")[PaperID("a")] == PaperState(tags: ["t"]))

    var paper = PaperState()
    paper.setStatus(.read, at: Self.noon.addingTimeInterval(0.4))
    #expect(paper.readAt == Self.noon)
    paper.setStatus(.unread, at: Self.noon)
    #expect(paper.readAt == nil)
  }

  @Test(
    "a bad title or time names the file, the line and what was expected",
    arguments: [
      (#""title": 7"#, "\"title\" (the title you gave the paper) to be a string"),
      (#""read": "yesterday""#, "\"read\" to be the time it was read"),
      (#""read": "2026-02-30T10:00:00Z""#, "like \"2026-11-29T23:47:05Z\""),
      (#""read": "2026-11-29T23:47:60Z""#, "UTC to the second"),
      (#""read": "2026-11-29T23:47:05.5Z""#, "\"read\""),
      (#""read": "2026-11-29T23:47:05+01:00""#, "\"read\""),
      (#""read": 1795996025"#, "\"read\""),
    ])
  func refused(field: String, expected: String) throws {
    let text = """
      {
        "format": "quire-state",
        "version": 1,
        "papers": {
          "a": {"status": "read", "tags": []},
          "b": {"status": "read", "tags": [], \(field)}
        }
      }

      """
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    do {
      _ = try StateStore(path: path).load()
      Issue.record("loaded \(field)")
    } catch {
      #expect(error.description.hasPrefix(path + ": line 6: paper \"b\": expected "), "\(error.description)")
      #expect(error.description.contains(expected), "\(error.description)")
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text, "never overwritten")
  }

  @Test("a bad time in the journal names the journal and its line")
  func refusedInJournal() throws {
    try StateStore(path: path).save(ReadingState())
    let journal = path + ".journal"
    let lines = """
      {"id": "a", "status": "read", "tags": [], "read": "2026-11-29T23:47:05Z"}
      {"id": "b", "status": "read", "tags": [], "read": "29/11/2026"}

      """
    try lines.write(toFile: journal, atomically: false, encoding: .utf8)
    do {
      _ = try StateStore(path: path).load()
      Issue.record("loaded a bad journal")
    } catch {
      #expect(error.path == journal)
      #expect(error.reason.hasPrefix("line 2: paper \"b\": expected \"read\""), "\(error.reason)")
    }
  }

  @Test("titles and times survive the journal, compaction and a reload")
  func throughTheJournal() throws {
    let store = StateStore(path: path)
    try store.save(ReadingState())
    let (loaded, mark) = try store.loadMarked()
    let writer = StateWriter(store: store, loaded: mark)
    var state = loaded
    state[PaperID("p")] = PaperState(status: .read, title: "\u{202E}reversed \"quoted\"\n", readAt: Self.noon)
    try writer.save(state, changed: [PaperID("p")])
    #expect(String(decoding: FileManager.default.contents(atPath: path + ".journal") ?? Data(), as: UTF8.self)
      == "{\"id\": \"p\", \"status\": \"read\", \"tags\": [], \"title\": \"\\u202ereversed \\\"quoted\\\"\\n\", \"read\": \"2026-11-29T23:47:05Z\"}\n")
    #expect(try store.load() == state)
    try writer.compact(state, changed: [PaperID]())
    #expect(try store.load() == state)
  }

  // MARK: - The time's form

  @Test("times are written and read back the same, from year 0 to 9999")
  func timeRoundTrip() async {
    await propertyCheck(count: 500, input: Gen.int(in: -62_167_219_200...253_402_300_799)) { seconds in
      let date = Date(timeIntervalSince1970: Double(seconds))
      let text = ReadTime.text(date)
      #expect(text.utf8.count == 20)
      #expect(ReadTime.parse(text) == date, "\(text)")
      #expect(Timestamp.parse(text) == date, "the library's reader agrees: \(text)")
    }
  }

  @Test("only the exact form is a time", arguments: [
    "2026-11-29T23:47:05", "2026-11-29 23:47:05Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
    "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T23:60:00Z",
    "2026-11-29T23:47:60Z", "+026-11-29T23:47:05Z", "2026-11-29t23:47:05z", "", "２０２６-11-29T23:47:05Z",
  ])
  func notATime(text: String) {
    #expect(ReadTime.parse(text) == nil)
  }

  @Test("leap days are times; times beyond the form are written as its nearest")
  func edges() {
    #expect(ReadTime.parse("2024-02-29T12:00:00Z") != nil)
    #expect(ReadTime.parse("2000-02-29T12:00:00Z") != nil)
    #expect(ReadTime.text(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59Z")
    #expect(ReadTime.text(Date(timeIntervalSince1970: -1e15)) == "0000-01-01T00:00:00Z")
    #expect(ReadTime.text(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
  }
}
