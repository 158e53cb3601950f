import Foundation
import PropertyBased
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

  @Test("the writer journals only the changed papers, and compaction writes the same bytes as a full encode")
  func incrementalWriter() throws {
    let store = StateStore(path: path)
    let writer = StateWriter(store: store)
    var state = sample()
    // No state.json yet: the first save writes one.
    try writer.save(state, changed: [])
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(state))
    state[PaperID("0")] = PaperState(status: .read, tags: ["new"])  // inserted first
    state[PaperID("b")] = PaperState()  // removed
    state[PaperID("c")] = PaperState(status: .unread, tags: ["z"])  // changed
    state[PaperID("zz")] = PaperState(status: .read)  // appended
    try writer.save(state, changed: [PaperID("0"), PaperID("b"), PaperID("c"), PaperID("zz")])
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(sample()), "state.json is left alone")
    #expect(journalLines(store).count == 4)
    #expect(try store.load() == state)
    try writer.compact(state, changed: [])
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(state))
    #expect(!FileManager.default.fileExists(atPath: store.journalPath))
    #expect(try store.load() == state)
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

  // MARK: - The journal

  func journalLines(_ store: StateStore) -> [String] {
    let text = (try? String(contentsOfFile: store.journalPath, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  func journalSize(_ store: StateStore) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: store.journalPath))?[.size] as? Int) ?? 0
  }

  func journalLine(_ id: String, _ entry: PaperState) -> String {
    var bytes: [UInt8] = []
    StateJournal.appendLine(id: PaperID(id), entry: entry, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test("the journal sits beside state.json, one line per changed paper, and replays to the saved state")
  func journalReplay() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    let writer = StateWriter(store: store)
    var state = sample()
    state[PaperID("a")] = PaperState(status: .read, tags: ["x", "y"], note: "line one\nline \"two\"")
    try writer.save(state, changed: [PaperID("a")])
    state[PaperID("b")] = PaperState()
    state[PaperID("d")] = PaperState(status: .unread, tags: ["new"])
    try writer.save(state, changed: [PaperID("b"), PaperID("d")].sorted())
    state[PaperID("a")].status = .unread
    try writer.save(state, changed: [PaperID("a")])

    #expect(store.journalPath == path + ".journal")
    #expect(
      journalLines(store) == [
        #"{"id": "a", "status": "read", "tags": ["x", "y"], "note": "line one\nline \"two\""}"#,
        #"{"id": "b", "status": "unread", "tags": []}"#,
        #"{"id": "d", "status": "unread", "tags": ["new"]}"#,
        #"{"id": "a", "status": "unread", "tags": ["x", "y"], "note": "line one\nline \"two\""}"#,
      ])
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(sample()))
    #expect(try store.load() == state)
    // Every line stands alone as JSON.
    for line in journalLines(store) {
      #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
    }
  }

  @Test("a last journal line cut short by a crash is ignored, and the next save cuts it off")
  func tornLastLine() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    let read = journalLine("a", PaperState(status: .read, tags: ["x"]))
    let torn = #"{"id": "c", "status": "unr"#
    try (read + torn).write(toFile: store.journalPath, atomically: false, encoding: .utf8)
    var expected = sample()
    expected[PaperID("a")].status = .read
    #expect(try store.load() == expected)

    expected[PaperID("d")] = PaperState(status: .read)
    try StateWriter(store: store).save(expected, changed: [PaperID("d")])
    #expect(try String(contentsOfFile: store.journalPath, encoding: .utf8) == read + journalLine("d", PaperState(status: .read)))
    #expect(try store.load() == expected)

    // A journal that is nothing but a torn line.
    try torn.write(toFile: store.journalPath, atomically: false, encoding: .utf8)
    #expect(try store.load() == sample())
  }

  @Test(
    "a malformed complete journal line is refused, naming the journal and the line",
    arguments: [
      ("garbage", "line 2: expected one paper's state as a JSON object"),
      (#"["a"]"#, "line 2: expected one paper's state as a JSON object"),
      (#"{"status": "read", "tags": []}"#, "line 2: expected \"id\""),
      (#"{"id": "a", "status": "skimmed", "tags": []}"#, "line 2: paper \"a\": expected \"status\" to be \"read\" or \"unread\""),
      (#"{"id": "a", "status": "read", "tags": "x"}"#, "line 2: paper \"a\": expected \"tags\" to be an array of strings"),
    ])
  func malformedJournalLine(line: String, expected: String) throws {
    let store = StateStore(path: path)
    try store.save(sample())
    let journal = journalLine("a", PaperState(status: .read)) + line + "\n" + journalLine("c", PaperState())
    try journal.write(toFile: store.journalPath, atomically: false, encoding: .utf8)
    do {
      _ = try store.load()
      Issue.record("loaded a broken journal")
    } catch {
      #expect(error.path == store.journalPath)
      #expect(error.description.hasPrefix(store.journalPath + ": " + expected), "\(error.description)")
      #expect(error.description.contains("will not overwrite"))
    }
    // The same line last, with its newline, is complete and so refused too.
    try (journalLine("a", PaperState(status: .read)) + line + "\n").write(
      toFile: store.journalPath, atomically: false, encoding: .utf8)
    #expect(throws: StateStore.LoadError.self) { try store.load() }
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(sample()))
  }

  @Test("compaction leaves a complete state.json and no journal")
  func compaction() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    let writer = StateWriter(store: store)
    writer.prepare(sample())
    var state = sample()
    for n in 0..<20 {
      let id = PaperID(String(format: "p%02d", n))
      state[id] = PaperState(status: n.isMultiple(of: 2) ? .read : .unread, tags: ["t\(n % 3)"])
      try writer.save(state, changed: [id])
    }
    state[PaperID("a")] = PaperState()
    try writer.save(state, changed: [PaperID("a")])
    #expect(writer.hasJournal)
    try writer.compact(state, changed: [])
    #expect(!writer.hasJournal)
    #expect(!FileManager.default.fileExists(atPath: store.journalPath))
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(state))
    #expect(try store.load() == state)
    // And the writer carries on from there.
    state[PaperID("p00")] = PaperState(status: .unread, tags: ["later"])
    try writer.save(state, changed: [PaperID("p00")])
    #expect(journalLines(store).count == 1)
    try writer.compact(state, changed: [])
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(state))
  }

  @Test("the journal is folded in once it outgrows its threshold")
  func compactionAtThreshold() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    let writer = StateWriter(store: store, minimumCompactionSize: 200)
    var state = sample()
    var sizes: [Int] = []
    for n in 0..<12 {
      let id = PaperID("n\(n)")
      state[id] = PaperState(status: .read, tags: ["threshold"])
      try writer.save(state, changed: [id])
      sizes.append(journalSize(store))
      #expect(try store.load() == state)
    }
    // The journal grows to the threshold, is folded in, and starts again.
    #expect(sizes.contains(0))
    #expect(sizes.allSatisfy { $0 < 200 })
    try writer.compact(state, changed: [])
    #expect(FileManager.default.contents(atPath: path) == StateStore.encode(state))
  }

  /// `count` papers with ids of one length, a third read, some tagged.
  static func manyPapers(_ count: Int) -> ReadingState {
    var papers: [PaperID: PaperState] = [:]
    for n in 0..<count {
      papers[PaperID(String(format: "%016llx", UInt64(n) &* 0x9E37_79B9_7F4A_7C15))] = PaperState(
        status: n % 3 == 0 ? .read : .unread, tags: n % 2 == 0 ? ["tag\(n % 50)"] : [])
    }
    return ReadingState(papers: papers)
  }

  @Test("the bytes a save appends do not grow with the number of papers in the state")
  func saveBytesIndependentOfSize() throws {
    var growth: [Int] = []
    for count in [100, 100_000] {
      let store = StateStore(path: folder + "/\(count)/state.json")
      var state = Self.manyPapers(count)
      try store.save(state)
      let before = try #require(FileManager.default.contents(atPath: store.path))
      let writer = StateWriter(store: store)
      let id = PaperID("ffffffffffffffff")
      state[id] = PaperState(status: .read, tags: ["theory"])
      try writer.save(state, changed: [id])
      growth.append(journalSize(store))
      #expect(FileManager.default.contents(atPath: store.path) == before, "state.json was rewritten")
      #expect(try store.load() == state)
    }
    #expect(growth[0] == growth[1])
    #expect(growth[0] == journalLine("ffffffffffffffff", PaperState(status: .read, tags: ["theory"])).utf8.count)
  }

  @Test("a whole-file save removes the journal, so its older changes cannot come back")
  func fullSaveAfterJournal() throws {
    let store = StateStore(path: path)
    try store.save(sample())
    var journaled = sample()
    journaled[PaperID("a")] = PaperState(status: .read, tags: ["journaled"])
    try StateWriter(store: store).save(journaled, changed: [PaperID("a")])
    #expect(FileManager.default.fileExists(atPath: store.journalPath))

    var imported = try store.load()
    #expect(imported == journaled)
    imported[PaperID("a")] = PaperState(status: .unread, tags: ["imported"])
    try store.save(imported)
    #expect(!FileManager.default.fileExists(atPath: store.journalPath))
    #expect(try store.load() == imported)
  }

  @Test("the journal gets the state file's permissions and sits beside a symlink's target")
  func journalPermissionsAndSymlink() throws {
    let real = folder + "/synced/state.json"
    try FileManager.default.createDirectory(atPath: folder + "/quire", withIntermediateDirectories: true)
    try StateStore(path: real).save(sample())
    chmod(real, 0o660)
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: real)
    let store = StateStore(path: path)
    #expect(store.journalPath == real + ".journal")

    var state = sample()
    state[PaperID("z")] = PaperState(status: .read)
    let writer = StateWriter(store: store)
    try writer.save(state, changed: [PaperID("z")])
    let attributes = try FileManager.default.attributesOfItem(atPath: real + ".journal")
    #expect((attributes[.posixPermissions] as? Int) == 0o660)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/quire") == ["state.json"])
    #expect(try store.load() == state)

    try writer.compact(state, changed: [])
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == real)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/synced").sorted() == ["state.json", "state.json.lock"])
    #expect(try StateStore(path: real).load() == state)
  }

  // MARK: - Reading quire's layout fast

  /// Both readers on the same bytes: the same state, or both refusing.
  func expectSameReading(_ data: Data, fast: Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let general = Result { () throws(StateStore.LoadError) in try StateStore.decodeAnyLayout(data, path: "s") }
    let decoded = Result { () throws(StateStore.LoadError) in try StateStore.decode(data, path: "s") }
    #expect(decoded == general, "\(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
    if fast {
      #expect(
        StateLayoutParser.stateFile(data) != nil, "not read fast: \(String(decoding: data, as: UTF8.self))",
        sourceLocation: sourceLocation)
    }
  }

  /// Text that JSON strings and tag normalization trip on.
  static let pieces = [
    "a", "Z", "tag", "0", " ", "  ", "\t", "\n", "\r\n", "\r", "\"", "\\", "/", "\\u0041", "\u{0}", "\u{1}", "\u{8}",
    "\u{c}", "\u{1b}", "\u{1f}", "\u{7f}", "\u{85}", "\u{9f}", "\u{a0}", "é", "e\u{301}", "\u{301}", "\u{2028}",
    "\u{2029}", "\u{3000}", "\u{feff}", "\u{fffd}", "😀", "👩‍👩‍👧", "🇫🇷", "深層", "{", "}", "[", "]", ",", ": ",
    "null", "read",
  ]
  static let text = Gen.element(of: pieces).map { $0 ?? "" }.array(of: 0...5).map { $0.joined() }
  /// Titles the reader may give: the hostile pieces, quotes, right-to-left text and
  /// titles far longer than a line.
  static let title = zip(Gen.int(in: 0...4), text, Gen.int(in: 1...400)).map { kind, piece, length -> String? in
    switch kind {
    case 0: return nil
    case 1: return piece
    case 2: return "\u{202E}עברית \"" + piece + "\" العربية\u{2066}"
    case 3: return String(repeating: "Long \"title\" " + piece, count: length)
    default: return "\u{1b}[31m" + piece + "\u{7}"
    }
  }
  /// Times across the years the form holds, to the second.
  static let readAt = Gen.int(in: -62_167_219_200...253_402_300_799).map { Date(timeIntervalSince1970: Double($0)) }
  static let entry = zip(Gen.bool, text.array(of: 0...4), Gen.int(in: 0...2), text, title, readAt).map {
    read, tags, note, noteText, title, readAt in
    PaperState(status: read ? .read : .unread, tags: tags, note: note == 0 ? nil : noteText, title: title, readAt: readAt)
  }
  static let entries = zip(text, entry).array(of: 0...12)

  /// JSONSerialization drops a byte order mark that starts a string; the fast reader leaves
  /// such strings to it.
  static func hasByteOrderMark(_ entries: [(String, PaperState)]) -> Bool {
    entries.contains { id, entry in
      ([id] + entry.tags + [entry.note ?? "", entry.title ?? ""]).contains { $0.unicodeScalars.contains("\u{feff}") }
    }
  }

  static func state(_ entries: [(String, PaperState)]) -> ReadingState {
    ReadingState(papers: Dictionary(entries.map { (PaperID($0.0), $0.1) }, uniquingKeysWith: { $1 }))
  }

  @Test("the fast reader agrees with JSONSerialization on generated states")
  func fastReaderAgrees() async {
    await propertyCheck(count: 300, input: Self.entries) { entries in
      expectSameReading(StateStore.encode(Self.state(entries)), fast: !Self.hasByteOrderMark(entries))
    }
  }

  /// Escapes quire never writes but JSON allows: `\/`, `\b`, `\f`, `\u` in either case,
  /// surrogate pairs.
  static func escapedOtherwise(_ text: String, style: Int) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch (scalar.value, style) {
      case (0x2F, _): out += "\\/"
      case (0x08, _): out += "\\b"
      case (0x0C, _): out += "\\f"
      case (0x22, _): out += "\\\""
      case (0x5C, _): out += "\\\\"
      case (0..<0x20, _), (_, 1):
        for unit in String(scalar).utf16 {
          let hex = String(unit, radix: 16, uppercase: unit.isMultiple(of: 2))
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  @Test("the fast reader agrees with JSONSerialization on escapes quire does not write")
  func fastReaderOtherEscapes() async {
    await propertyCheck(count: 200, input: Self.entries, Gen.int(in: 0...1)) { entries, style in
      let lines = entries.map { id, entry in
        var fields = "\"status\": \"\(entry.status.rawValue)\", \"tags\": ["
          + entry.tags.map { Self.escapedOtherwise($0, style: style) }.joined(separator: ", ") + "]"
        if let note = entry.note { fields += ", \"note\": " + Self.escapedOtherwise(note, style: style) }
        if let title = entry.title { fields += ", \"title\": " + Self.escapedOtherwise(title, style: style) }
        if let readAt = entry.readAt { fields += ", \"read\": \"" + ReadTime.text(readAt) + "\"" }
        return "    " + Self.escapedOtherwise(id, style: style) + ": {" + fields + "}"
      }
      var file = String(decoding: StateStore.header, as: UTF8.self)
      file += lines.isEmpty ? "}\n}\n" : "\n" + lines.joined(separator: ",\n") + "\n  }\n}\n"
      // Two entries may share an id; then the general reader decides.
      let unique = Set(entries.map { PaperID($0.0) }).count == entries.count
      expectSameReading(Data(file.utf8), fast: unique && !Self.hasByteOrderMark(entries))
    }
  }

  @Test("journal lines read fast agree with JSONSerialization")
  func journalLinesAgree() async {
    await propertyCheck(count: 300, input: Self.text, Self.entry) { id, entry in
      var line: [UInt8] = []
      StateJournal.appendLine(id: PaperID(id), entry: entry, to: &line)
      line.removeLast()  // the newline
      let fast = line.withUnsafeBufferPointer { StateLayoutParser.journalLine($0) }
      let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
      let general = try? StateStore.paperState(object ?? [:], id: id, path: "j")
      if let fast {
        #expect(fast.0 == PaperID(object?["id"] as? String ?? "-"))
        #expect(fast.1 == general, "\(String(decoding: line, as: UTF8.self))")
      } else {
        #expect(Self.hasByteOrderMark([(id, entry)]), "not read fast: \(String(decoding: line, as: UTF8.self))")
      }
    }
  }

  @Test(
    "files in other layouts, or that the fast reader is unsure of, are read the general way",
    arguments: [
      #"{"format": "quire-state", "version": 1, "papers": {"a": {"status": "read", "tags": ["x"]}}}"#,
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"tags\": [\"x\"], \"status\": \"read\"}\n  }\n}\n",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"status\": \"read\", \"tags\": [\"x\"]}\n  }\n}",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"status\": \"read\", \"tags\": [\"x\"]},\n    \"a\": {\"status\": \"unread\", \"tags\": []}\n  }\n}\n",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"status\": \"read\", \"tags\": [\"\\ud800\"]}\n  }\n}\n",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"status\": \"read\", \"tags\": [\"x\u{1}\"]}\n  }\n}\n",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"status\": \"skimmed\", \"tags\": []}\n  }\n}\n",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {\n    \"a\": {\"status\": \"unread\", \"tags\": [\" \"]},\n    \"b\": {\"status\": \"read\", \"tags\": [\"deep  learning\", \"deep-learning\"], \"note\": \"\"}\n  }\n}\n",
      "{\n  \"format\": \"quire-state\",\n  \"version\": 1,\n  \"papers\": {}\n}\n",
    ])
  func otherLayouts(text: String) {
    expectSameReading(Data(text.utf8), fast: false)
  }

  @Test("a large file, read on two threads, agrees with JSONSerialization, duplicates and errors too")
  func largeFile() throws {
    var state = Self.manyPapers(8000)
    state[PaperID("note")] = PaperState(status: .read, tags: ["a-b", "x"], note: "two\nlines, \"quoted\" 😀")
    let data = StateStore.encode(state)
    #expect(data.count > 256 * 1024, "large enough to be read on two threads")
    #expect(StateLayoutParser.stateFile(data).map(ReadingState.init(papers:)) == (try StateStore.decodeAnyLayout(data, path: "s")))
    #expect(try StateStore.decode(data, path: "s") == state)

    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let last = lines[lines.count - 4]  // the last paper, before "  }", "}" and ""
    let duplicated = text.replacingOccurrences(of: last, with: last + ",\n" + lines[5].dropLast())
    #expect(StateLayoutParser.stateFile(Data(duplicated.utf8)) == nil)
    expectSameReading(Data(duplicated.utf8), fast: false)
    let broken = text.replacingOccurrences(of: last, with: last + ",\n    \"x\": {\"status\": \"skimmed\", \"tags\": []}")
    expectSameReading(Data(broken.utf8), fast: false)
    #expect(throws: StateStore.LoadError.self) { try StateStore.decode(Data(broken.utf8), path: "s") }
  }

  @Test("bytes that are not UTF-8 are left to the general reader")
  func invalidUTF8() {
    var bytes = StateStore.header + Array("\n    \"a\": {\"status\": \"read\", \"tags\": [\"".utf8)
    bytes += [0xC3, 0x28] + Array("\"]}\n  }\n}\n".utf8)
    #expect(StateLayoutParser.stateFile(Data(bytes)) == nil)
    expectSameReading(Data(bytes), fast: false)
  }
}
