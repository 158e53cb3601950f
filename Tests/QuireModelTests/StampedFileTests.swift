import Foundation
import PropertyBased
import Testing

@testable import QuireModel

/// state.json and journal lines as they are once changes carry stamps: what is written is
/// read back the same by both readers, whole files merge by the laws the stamped model
/// promises (byte for byte, not only as values), the layout stays one paper per line with
/// the stamps last, and a hand-edited or broken `changed` object is read sensibly or
/// refused with a message that says where and what was expected.
@Suite("Stamped state file: format, round trip and merging whole files")
struct StampedFileTests {
  // MARK: - Histories on several devices

  static let devices = ["laptop-3fa2", "desktop-91c0", "tablet.b7_e"]
  /// Ids as quire makes them, and ones that need escaping.
  static let ids = ["4c4432d3f81e5e57", "2401.00001", "p \"quoted\" \\ \u{2028}", "😀\u{200F}rtl"]
  /// Tags as the user types them, already normalized; two are one tag spelled two ways (é
  /// precomposed, and e with a combining accent), as two devices' keyboards may type it.
  static let tagPool = ["theory", "caf\u{e9}-\"q\"\\\u{2028}", "cafe\u{301}-\"q\"\\\u{2028}", "\u{202E}תג-😀"]
    .map(ReadingState.normalizeTag)
  /// About 2026-11-18, in milliseconds.
  static let base: Int64 = 1_795_000_000_000

  /// One step: which device acts on which paper and how (or from which device it syncs).
  struct Step: Sendable, CustomStringConvertible {
    var device: Int
    var action: Int
    var paper: Int
    var argument: Int
    var text: String
    var description: String { "d\(device) a\(action) p\(paper) x\(argument) \(text.debugDescription)" }
  }

  /// A paper saved before stamps: its fields as generated, normalized as a saved file has them.
  struct LegacyPaper: Sendable, CustomStringConvertible {
    var paper: Int
    var read: Bool
    var tags: [String]
    var note: String?
    var title: String?
    var readAt: Int
    var description: String { "p\(paper) read \(read) tags \(tags) note \(note.debugDescription) title \(title.debugDescription) at \(readAt)" }

    var state: PaperState {
      var normalized: [String] = []
      for tag in tags.map(ReadingState.normalizeTag) where !tag.isEmpty && !normalized.contains(tag) { normalized.append(tag) }
      return PaperState(
        status: read ? .read : .unread, tags: normalized, note: note, title: title, readAt: Date(timeIntervalSince1970: Double(readAt)))
    }
  }

  /// A state saved before quire stamped changes, copied to every device, then edited on
  /// each with a clock that may run behind the others, with syncs in between.
  struct History: Sendable, CustomStringConvertible {
    var legacy: [LegacyPaper]
    /// How far device 2's clock runs behind, in milliseconds.
    var behind: Int64
    var steps: [Step]
    var description: String { "legacy \(legacy), behind \(behind), steps \(steps)" }

    /// The same history without byte order marks, which JSONSerialization drops from the
    /// start of a string: values with one do not survive the general reader unchanged.
    var withoutBOM: History {
      // By scalar: a mark followed by a combining accent is one Character with it.
      func strip(_ text: String) -> String { String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{feff}" })) }
      var history = self
      for n in history.legacy.indices {
        history.legacy[n].tags = history.legacy[n].tags.map(strip)
        history.legacy[n].note = history.legacy[n].note.map(strip)
        history.legacy[n].title = history.legacy[n].title.map(strip)
      }
      for n in history.steps.indices { history.steps[n].text = strip(history.steps[n].text) }
      return history
    }
  }

  static let text = Gen.element(of: StateStoreTests.pieces).map { $0 ?? "" }.array(of: 0...5).map { $0.joined() }

  static let legacyPaper = zip(
    Gen.int(in: 0...3), Gen.bool, text.array(of: 0...3), Gen.int(in: 0...2), text, Gen.int(in: 0...3),
    Gen.int(in: 946_684_800...1_790_000_000)
  ).map { paper, read, tags, noteKind, text, titleKind, readAt in
    LegacyPaper(
      paper: paper, read: read, tags: tags, note: noteKind == 0 ? nil : "legacy " + text, title: title(kind: titleKind, text),
      readAt: readAt)
  }

  static let step = zip(Gen.int(in: 0...2), Gen.int(in: 0...7), Gen.int(in: 0...3), Gen.int(in: 0...4), text).map {
    Step(device: $0, action: $1, paper: $2, argument: $3, text: $4)
  }

  /// Histories with every hostile piece of text, byte order marks too.
  static let history = zip(legacyPaper.array(of: 0...4), Gen.element(of: [0, 25, 2_100, 3_600_000] as [Int64]), step.array(of: 0...40))
    .map { History(legacy: $0, behind: $1 ?? 0, steps: $2) }
  static let historyWithoutBOM = history.map(\.withoutBOM)

  static func title(kind: Int, _ text: String) -> String? {
    switch kind {
    case 0: return nil
    case 1: return "T " + text
    case 2: return "\u{202E}עברית \"" + text + "\" العربية\u{2066}"
    default: return "\u{1b}[31m" + text + "\u{7}"
    }
  }

  static func legacyState(_ history: History) -> ReadingState {
    var state = ReadingState()
    for paper in history.legacy { state[PaperID(ids[paper.paper])] = paper.state }
    return state
  }

  /// Each device's copy after the history.
  static func play(_ history: History) -> [ReadingState] {
    var copies = Array(repeating: legacyState(history), count: 3)
    for (n, step) in history.steps.enumerated() {
      let stamp = Stamp(time: base + Int64(n) * 700 - (step.device == 2 ? history.behind : 0), device: devices[step.device])
      let id = PaperID(ids[step.paper])
      let other = (step.device + 1 + step.argument % 2) % 3
      var paper = copies[step.device][id]
      switch step.action {
      case 0: paper.setStatus(paper.status.toggled, at: stamp.date)
      case 1:
        let tag = step.argument < 4 ? tagPool[step.argument] : ReadingState.normalizeTag(step.text)
        if !tag.isEmpty && !paper.tags.contains(tag) { paper.tags.append(tag) }
      case 2:
        if step.argument == 4 {
          if !paper.tags.isEmpty { paper.tags.removeFirst() }
        } else {
          paper.tags.removeAll { $0 == tagPool[step.argument] }
        }
      case 3:
        switch step.argument {
        case 0: paper.note = nil
        // Edited over what is shown, conflict markers and all, as a reader reconciles.
        case 1: paper.note = (paper.note ?? "") + "\n+" + step.text
        default: paper.note = "note \(n) " + step.text
        }
      case 4: paper.title = title(kind: step.argument % 4, "\(n) " + step.text)
      case 5, 6:
        copies[step.device].merge(copies[other])
        continue
      default:
        // Synced through the file: what the other device saved, read back from its bytes.
        let data = StateStore.encode(copies[other])
        do {
          copies[step.device].merge(try StateStore.decode(data, path: "synced/state.json"))
        } catch {
          Issue.record("a saved state cannot be read back: \(error)")
        }
        continue
      }
      copies[step.device].record(paper, of: id, at: stamp)
    }
    return copies
  }

  @Test("marking read or unread is stamped directly just as the general way stamps it")
  func statusChangeShortcut() async {
    await propertyCheck(count: 200, input: Self.history, Gen.int(in: -5_000...5_000)) { history, offset in
      for copy in Self.play(history) {
        for (id, paper) in copy.papers {
          var changed = paper
          let stamp = Stamp(time: Self.base + Int64(offset), device: "tablet.b7_e")
          changed.setStatus(paper.status.toggled, at: stamp.date)
          var general = StampedPaperState(paper)
          general.record(changed, at: stamp)
          #expect(paper.recording(changed, at: stamp) == general.paperState, "\(id)")
        }
      }
    }
  }

  static func merged(_ a: ReadingState, _ b: ReadingState) -> ReadingState {
    var merged = a
    merged.merge(b)
    return merged
  }

  static func decoded(_ state: ReadingState) throws -> ReadingState {
    try StateStore.decode(StateStore.encode(state), path: "state.json")
  }

  static func containsBOM(_ bytes: some Collection<UInt8>) -> Bool {
    let bytes = Array(bytes)
    return bytes.indices.dropLast(2).contains { bytes[$0] == 0xEF && bytes[$0 + 1] == 0xBB && bytes[$0 + 2] == 0xBF }
  }

  // MARK: - Round trip

  /// Both readers read the file alike; without a byte order mark the fast one reads it and
  /// it comes back as it was. The same for each paper's journal line.
  func expectRoundTrip(_ state: ReadingState, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let data = StateStore.encode(state)
    let shown = String(decoding: data, as: UTF8.self)
    let general = Result { () throws(StateStore.LoadError) in try StateStore.decodeAnyLayout(data, path: "s") }
    let decoded = Result { () throws(StateStore.LoadError) in try StateStore.decode(data, path: "s") }
    #expect(decoded == general, "\(shown)", sourceLocation: sourceLocation)
    if !Self.containsBOM(data) {
      #expect(StateLayoutParser.stateFile(data) != nil, "not read fast: \(shown)", sourceLocation: sourceLocation)
      #expect(decoded == .success(state), "\(shown)", sourceLocation: sourceLocation)
    }
    for (id, paper) in state.papers {
      var line: [UInt8] = []
      StateJournal.appendLine(id: id, entry: paper, to: &line)
      #expect(line.last == 0x0A && line.filter { $0 == 0x0A }.count == 1, sourceLocation: sourceLocation)
      line.removeLast()
      let shownLine = String(decoding: line, as: UTF8.self)
      let fast = line.withUnsafeBufferPointer { StateLayoutParser.journalLine($0) }
      let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
      let generalID = object?["id"] as? String
      let general = generalID.flatMap { try? StateStore.paperState(object ?? [:], id: $0, path: "j") }
      if let fast {
        #expect(generalID.map { PaperID($0) } == fast.0, "\(shownLine)", sourceLocation: sourceLocation)
        #expect(general == fast.1, "\(shownLine)", sourceLocation: sourceLocation)
      }
      if !Self.containsBOM(line) {
        #expect(fast?.0 == id && fast?.1 == paper, "not read fast, or otherwise: \(shownLine)", sourceLocation: sourceLocation)
        #expect(general == paper, "\(shownLine)", sourceLocation: sourceLocation)
      }
    }
  }

  @Test("stamped states from histories on three devices are read back as written, by both readers")
  func roundTrip() async {
    await propertyCheck(count: 250, input: Self.history) { history in
      let copies = Self.play(history)
      for copy in copies { expectRoundTrip(copy) }
      expectRoundTrip(copies.dropFirst().reduce(copies[0], Self.merged))
    }
  }

  @Test("a journal of stamped lines replays onto an empty state.json as the state it holds")
  func journalReplay() async throws {
    let folder = NSTemporaryDirectory() + "quire-stamped-file-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/state.json"
    let store = StateStore(path: path)
    await propertyCheck(count: 60, input: Self.historyWithoutBOM) { history in
      let copies = Self.play(history)
      let state = copies.dropFirst().reduce(copies[0], Self.merged)
      var journal: [UInt8] = []
      for id in state.papers.keys.sorted() { StateJournal.appendLine(id: id, entry: state[id], to: &journal) }
      try StateStore.encode(ReadingState()).write(to: URL(fileURLWithPath: path))
      try Data(journal).write(to: URL(fileURLWithPath: store.journalPath))
      #expect(try store.load() == state)
      // Replayed over the state they came from, the lines change nothing.
      try StateStore.encode(state).write(to: URL(fileURLWithPath: path))
      #expect(try store.load() == state)
    }
  }

  // MARK: - Merging whole files

  @Test("whole states merge commutatively, associatively and idempotently, byte for byte")
  func mergeLaws() async throws {
    await propertyCheck(count: 300, input: Self.historyWithoutBOM) { history in
      let copies = Self.play(history)
      let (a, b, c) = (copies[0], copies[1], copies[2])
      let ab = Self.merged(a, b)
      #expect(StateStore.encode(ab) == StateStore.encode(Self.merged(b, a)))
      #expect(StateStore.encode(Self.merged(ab, c)) == StateStore.encode(Self.merged(a, Self.merged(b, c))))
      #expect(StateStore.encode(Self.merged(Self.merged(a, c), b)) == StateStore.encode(Self.merged(ab, c)))
      for copy in [a, b, c, ab] {
        var same = copy
        #expect(same.merge(copy) == [])
        #expect(same == copy)
        // A copy merged with itself as read from disk: nothing changes.
        var withDisk = copy
        let fromDisk = try Self.decoded(copy)
        #expect(withDisk.merge(fromDisk) == [])
        #expect(StateStore.encode(withDisk) == StateStore.encode(copy))
      }
      #expect(Self.merged(ab, b) == ab)
      #expect(Self.merged(ab, a) == ab)
      // Merging what two devices saved is merging their states.
      let (savedA, savedB) = (try Self.decoded(a), try Self.decoded(b))
      #expect(StateStore.encode(Self.merged(savedA, savedB)) == StateStore.encode(ab))
    }
  }

  /// A paper's note versions as a state carries them, a first note saved before stamps as
  /// one version with an unknown stamp.
  static func noteVersions(_ paper: PaperState) -> [StampedNote.Version] {
    if !paper.stamps.noteVersions.isEmpty { return paper.stamps.noteVersions }
    guard paper.note != nil || paper.stamps.note != nil else { return [] }
    return [.init(text: paper.note, stamp: paper.stamps.note ?? .unknown(), basis: paper.stamps.noteSeen)]
  }

  /// Checks one paper of `merged` against the copies it was merged from, reading their stamps
  /// as the file gives them (an unstamped field carries the value saved before stamps).
  func expectNothingLost(_ merged: PaperState, from inputs: [PaperState], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    func newest<V: Equatable>(_ stamp: (PaperState) -> Stamp?, _ value: (PaperState) -> V, _ field: String) {
      let stamped = inputs.compactMap { input in stamp(input).map { ($0, value(input)) } }
      if let top = stamped.max(by: { $0.0 < $1.0 }) {
        #expect(stamp(merged) == top.0, "\(field) stamp", sourceLocation: sourceLocation)
        #expect(stamped.filter { $0.0 == top.0 }.contains { $0.1 == value(merged) }, "\(field)", sourceLocation: sourceLocation)
      } else {
        // Never changed since stamps: every copy still has the value saved before them.
        #expect(inputs.allSatisfy { value($0) == value(merged) }, "\(field) unstamped", sourceLocation: sourceLocation)
      }
    }
    newest({ $0.stamps.reading }, { [$0.status.rawValue, $0.readAt?.description] }, "status")
    newest({ $0.stamps.title }, { $0.title }, "title")

    // Tags: per tag, its newest addition or removal; one saved before stamps and never
    // removed since is still there.
    let allTags = Set(inputs.flatMap { $0.tags + $0.stamps.tags.map(\.tag) })
    for tag in allTags {
      let changes = inputs.flatMap { $0.stamps.tags.filter { $0.tag == tag } }
      if let top = changes.max(by: { $0.stamp != $1.stamp ? $0.stamp < $1.stamp : !$0.present && $1.present }) {
        #expect(merged.tags.contains(tag) == top.present, "tag \(tag.debugDescription)", sourceLocation: sourceLocation)
        #expect(merged.stamps.tags.first { $0.tag == tag } == top, "tag \(tag.debugDescription) stamp", sourceLocation: sourceLocation)
      } else {
        #expect(merged.tags.contains(tag), "unstamped tag \(tag.debugDescription)", sourceLocation: sourceLocation)
      }
    }
    #expect(Set(merged.tags).isSubset(of: allTags), sourceLocation: sourceLocation)
    // In the order they were added: those saved before stamps first, then by stamp.
    let tagStamps = merged.tags.map { tag in merged.stamps.tags.first { $0.tag == tag }?.stamp }
    #expect(tagStamps.drop { $0 == nil }.allSatisfy { $0 != nil }, sourceLocation: sourceLocation)
    #expect(tagStamps.compactMap { $0 } == tagStamps.compactMap { $0 }.sorted(), sourceLocation: sourceLocation)

    // Notes: every version no other replaces (written knowing it) is kept, and shown.
    let versions = Set(inputs.flatMap(Self.noteVersions))
    let current = versions.filter { version in
      !versions.contains { $0.stamp > version.stamp && $0.basis.map { version.stamp <= $0 } == true }
    }
    #expect(Set(Self.noteVersions(merged)) == current, "note versions", sourceLocation: sourceLocation)
    for version in current {
      guard let text = version.text else { continue }
      #expect(merged.note?.contains(text) == true, "note text \(text.debugDescription)", sourceLocation: sourceLocation)
    }
    if current.filter({ $0.text != nil }).count > 1 {
      for version in current where version.text != nil {
        #expect(merged.note?.contains("[version from \(version.stamp.device), ") == true, sourceLocation: sourceLocation)
      }
    }
  }

  @Test("nothing is lost in a merged file but what a newer change to the same field replaced")
  func nothingLost() async throws {
    await propertyCheck(count: 300, input: Self.historyWithoutBOM) { history in
      let copies = Self.play(history)
      let merged = copies.dropFirst().reduce(copies[0], Self.merged)
      let fromDisk = try Self.decoded(merged)
      #expect(fromDisk == merged)
      let ids = Set(copies.flatMap(\.papers.keys))
      #expect(Set(merged.papers.keys) == ids)
      for id in ids {
        expectNothingLost(fromDisk[id], from: try copies.map { try Self.decoded($0)[id] })
      }
    }
  }

  @Test("one tag typed in two Unicode spellings on two devices: the newer spelling, whichever copy is merged first")
  func tagSpelledTwoWays() {
    let id = PaperID("4c4432d3f81e5e57")
    var laptop = ReadingState()
    var desktop = ReadingState()
    laptop.record(PaperState(tags: ["caf\u{e9}"]), of: id, at: Stamp(time: Self.base, device: "laptop-3fa2"))
    desktop.record(PaperState(tags: ["cafe\u{301}"]), of: id, at: Stamp(time: Self.base + 5, device: "desktop-91c0"))
    let one = StateStore.encode(Self.merged(laptop, desktop))
    #expect(one == StateStore.encode(Self.merged(desktop, laptop)))
    #expect(one == StateStore.encode(desktop))
    #expect(Self.containsBytes(one, Array("cafe\u{301}".utf8)))
  }

  static func containsBytes(_ data: Data, _ needle: [UInt8]) -> Bool {
    let bytes = Array(data)
    return bytes.indices.contains { bytes[$0...].starts(with: needle) }
  }

  // MARK: - Layout

  /// Where a JSON value that starts at `start` ends: enough of JSON to walk quire's own lines.
  static func valueEnd(_ bytes: [UInt8], _ start: Int) -> Int {
    var index = start
    var depth = 0
    var inString = false
    while index < bytes.count {
      let byte = bytes[index]
      if inString {
        if byte == 0x5C {
          index += 1
        } else if byte == 0x22 {
          inString = false
          if depth == 0 { return index + 1 }
        }
      } else {
        switch byte {
        case 0x22: inString = true
        case 0x7B, 0x5B: depth += 1
        case 0x7D, 0x5D:
          depth -= 1
          if depth == 0 { return index + 1 }
          if depth < 0 { return index }
        case 0x2C where depth == 0: return index
        default: break
        }
      }
      index += 1
    }
    return index
  }

  /// The members of the object in `bytes`, in the order written, each key decoded and its
  /// value's bytes; nil when it is not laid out as `{"k": v, "k": v}`.
  static func members(_ bytes: [UInt8]) -> [(key: String, value: [UInt8], rawKey: [UInt8])]? {
    guard bytes.first == 0x7B, bytes.last == 0x7D else { return nil }
    if bytes == [0x7B, 0x7D] { return [] }
    var members: [(String, [UInt8], [UInt8])] = []
    var index = 1
    while true {
      let keyEnd = valueEnd(bytes, index)
      guard keyEnd + 2 <= bytes.count, bytes[keyEnd] == 0x3A, bytes[keyEnd + 1] == 0x20,
        let key = try? JSONSerialization.jsonObject(with: Data(bytes[index..<keyEnd]), options: .fragmentsAllowed) as? String
      else { return nil }
      let valueStart = keyEnd + 2
      let end = valueEnd(bytes, valueStart)
      members.append((key, Array(bytes[valueStart..<end]), Array(bytes[index..<keyEnd])))
      if end == bytes.count - 1 { return members }
      guard end + 2 < bytes.count, bytes[end] == 0x2C, bytes[end + 1] == 0x20 else { return nil }
      index = end + 2
    }
  }

  static func elements(_ bytes: [UInt8]) -> [[UInt8]]? {
    guard bytes.first == 0x5B, bytes.last == 0x5D else { return nil }
    var elements: [[UInt8]] = []
    var index = 1
    while index < bytes.count - 1 {
      let end = valueEnd(bytes, index)
      elements.append(Array(bytes[index..<end]))
      guard end == bytes.count - 1 || (bytes[end] == 0x2C && bytes[end + 1] == 0x20) else { return nil }
      index = end + 2
    }
    return elements
  }

  static func isInOrder(_ keys: [String], _ order: [String]) -> Bool {
    let positions = keys.map { order.firstIndex(of: $0) ?? -1 }
    return !positions.contains(-1) && positions == positions.sorted() && Set(positions).count == positions.count
  }

  static var stampForm: Regex<(Substring, Substring?)> { #/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z( [A-Za-z0-9._-]{1,32})?"/# }

  /// One paper's line: its fields in the documented order, `changed` last, its keys in the
  /// documented order too, each stamp in the documented form.
  func expectLayout(of line: [UInt8], id: PaperID, paper: PaperState, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let shown = String(decoding: line, as: UTF8.self)
    let keyEnd = Self.valueEnd(line, 0)
    let key = try? JSONSerialization.jsonObject(with: Data(line[..<keyEnd]), options: .fragmentsAllowed) as? String
    #expect(key.map { PaperID($0) } == id, "\(shown)", sourceLocation: sourceLocation)
    guard keyEnd + 2 <= line.count, let fields = Self.members(Array(line[(keyEnd + 2)...])) else {
      Issue.record("not one object after the id: \(shown)", sourceLocation: sourceLocation)
      return
    }
    let names = fields.map(\.key)
    #expect(Self.isInOrder(names, ["status", "tags", "note", "title", "read", "changed"]), "\(names)", sourceLocation: sourceLocation)
    #expect(Array(names.prefix(2)) == ["status", "tags"], sourceLocation: sourceLocation)
    #expect(names.contains("changed") == !paper.stamps.isEmpty, "\(shown)", sourceLocation: sourceLocation)
    guard let changed = fields.first(where: { $0.key == "changed" })?.value else { return }
    guard let stamps = Self.members(changed) else {
      Issue.record("\"changed\" not laid out as an object: \(shown)", sourceLocation: sourceLocation)
      return
    }
    let stampNames = stamps.map(\.key)
    #expect(!stampNames.isEmpty, sourceLocation: sourceLocation)
    #expect(
      Self.isInOrder(stampNames, ["status", "tags", "untagged", "note", "note seen", "notes", "title"]), "\(stampNames)",
      sourceLocation: sourceLocation)
    var stampTexts: [[UInt8]] = []
    for (name, value, _) in stamps {
      switch name {
      case "tags", "untagged":
        guard let tags = Self.members(value) else {
          Issue.record("\"\(name)\" not an object: \(shown)", sourceLocation: sourceLocation)
          continue
        }
        stampTexts += tags.map(\.value)
        // Compared as written: JSONSerialization would drop a byte order mark starting a tag.
        let names = tags.map(\.rawKey)
        let written = paper.stamps.tags.filter { $0.present == (name == "tags") }.map(\.tag)
        #expect(names == written.map { Array(StateStore.jsonString($0).utf8) }, "\(shown)", sourceLocation: sourceLocation)
        if name == "tags" {
          #expect(written == paper.tags.filter(written.contains), "in the paper's order: \(shown)", sourceLocation: sourceLocation)
        } else {
          #expect(written == written.sorted() && written.allSatisfy { !paper.tags.contains($0) }, "\(shown)", sourceLocation: sourceLocation)
        }
      case "notes":
        let versions = Self.elements(value) ?? []
        #expect(versions.count > 1, "\(shown)", sourceLocation: sourceLocation)
        for version in versions {
          let members = Self.members(version) ?? []
          #expect(Self.isInOrder(members.map(\.key), ["text", "at", "seen"]) && members.contains { $0.key == "at" }, sourceLocation: sourceLocation)
          stampTexts += members.filter { $0.key != "text" }.map(\.value)
        }
      default: stampTexts.append(value)
      }
    }
    for stamp in stampTexts {
      let text = String(decoding: stamp, as: UTF8.self)
      #expect(text.wholeMatch(of: Self.stampForm) != nil, "stamp \(text)", sourceLocation: sourceLocation)
    }
  }

  /// A paper's line as quire wrote it before stamps.
  static func unstampedLine(_ id: PaperID, _ paper: PaperState) -> String {
    var line = "    " + StateStore.jsonString(id.rawValue) + ": {\"status\": \"" + paper.status.rawValue + "\", \"tags\": ["
    line += paper.tags.map(StateStore.jsonString).joined(separator: ", ") + "]"
    if let note = paper.note { line += ", \"note\": " + StateStore.jsonString(note) }
    if let title = paper.title { line += ", \"title\": " + StateStore.jsonString(title) }
    if paper.status == .read, let readAt = paper.readAt { line += ", \"read\": \"" + ReadTime.text(readAt) + "\"" }
    return line + "}"
  }

  @Test("one paper per line, sorted by id, \"changed\" last in the documented order; unstamped papers as before stamps")
  func layout() async {
    await propertyCheck(count: 250, input: Self.history) { history in
      let copies = Self.play(history)
      for state in copies + [copies.dropFirst().reduce(copies[0], Self.merged), Self.legacyState(history)] {
        let lines = Array(StateStore.encode(state)).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let ids = state.papers.keys.sorted()
        let header = ["{", "  \"format\": \"quire-state\",", "  \"version\": 1,", "  \"papers\": {"]
        #expect(lines.prefix(4).map { String(decoding: $0, as: UTF8.self) } == (ids.isEmpty ? Array(header.dropLast()) + ["  \"papers\": {}"] : header))
        guard !ids.isEmpty else { continue }
        #expect(lines.count == ids.count + 7)
        #expect(lines.suffix(3).map { String(decoding: $0, as: UTF8.self) } == ["  }", "}", ""])
        for (n, id) in ids.enumerated() {
          var line = lines[4 + n]
          #expect(line.starts(with: Array("    ".utf8)))
          #expect((line.last == 0x2C) == (n < ids.count - 1))
          if n < ids.count - 1 { line.removeLast() }
          let paper = state[id]
          if paper.stamps.isEmpty {
            #expect(String(decoding: line, as: UTF8.self) == Self.unstampedLine(id, paper))
          }
          expectLayout(of: Array(line.dropFirst(4)), id: id, paper: paper)
        }
      }
      // Copies that were never changed since stamps merge without gaining any.
      let legacy = Self.legacyState(history)
      #expect(StateStore.encode(Self.merged(legacy, legacy)) == StateStore.encode(legacy))
    }
  }

  @Test("a state file written before stamps is written back byte for byte, and merging copies of it adds no stamps")
  func fileFromBeforeStamps() throws {
    let old = #"""
      {
        "format": "quire-state",
        "version": 1,
        "papers": {
          "2401.00001": {"status": "read", "tags": ["gan", "th\#u{e9}orie-\"q\""], "note": "two\nlines \\ \u2028 \#u{1F600}", "title": "\u202eMy title", "read": "2026-11-29T23:47:05Z"},
          "4c4432d3f81e5e57": {"status": "unread", "tags": ["x"]}
        }
      }

      """#
    let data = Data(old.utf8)
    let state = try StateStore.decode(data, path: "state.json")
    #expect(state[PaperID("2401.00001")].note == "two\nlines \\ \u{2028} 😀")
    #expect(state.papers.values.allSatisfy { $0.stamps.isEmpty })
    #expect(StateStore.encode(state) == data)
    let fromDisk = try Self.decoded(state)
    #expect(StateStore.encode(Self.merged(state, fromDisk)) == data)
    var copy = state
    #expect(copy.merge(state) == [])
  }

  static let s1 = "2026-11-29T23:47:05.123Z laptop-3fa2"
  static let s2 = "2026-11-30T08:12:00.004Z desktop-91c0"
  static let s3 = "2026-11-30T09:00:00.500Z laptop-3fa2"
  static let paperFields = #""status": "read", "tags": ["gan", "theory"], "note": "see §3", "title": "My \"title\"", "read": "2026-11-29T23:47:05Z""#
  static let canonicalChanged =
    #"{"status": "\#(s1)", "tags": {"gan": "\#(s1)", "theory": "\#(s2)"}, "untagged": {"old": "\#(s2)"}, "note": "\#(s3)", "title": "\#(s1)"}"#

  /// A state file of two papers: "a", unstamped, and "b" with `changed`.
  static func file(changed: String, fields: String = paperFields) -> Data {
    Data(
      (String(decoding: StateStore.header, as: UTF8.self) + "\n    \"a\": {\"status\": \"read\", \"tags\": [\"x\"]},\n    \"b\": {"
        + fields + ", \"changed\": " + changed + "}\n  }\n}\n").utf8)
  }

  static func stamp(_ text: String) -> Stamp { Stamp(text: text)! }

  /// Paper "b" of `file(changed: canonicalChanged)`.
  static func canonicalPaper() -> PaperState {
    var paper = PaperState(
      status: .read, tags: ["gan", "theory"], note: "see §3", title: "My \"title\"", readAt: ReadTime.parse(ReadTime.example))
    paper.stamps.reading = stamp(s1)
    paper.stamps.tags = [
      .init(tag: "gan", present: true, stamp: stamp(s1)), .init(tag: "theory", present: true, stamp: stamp(s2)),
      .init(tag: "old", present: false, stamp: stamp(s2)),
    ]
    paper.stamps.note = stamp(s3)
    paper.stamps.title = stamp(s1)
    return paper
  }

  @Test("the documented line, made by recording changes, byte for byte")
  func documentedLine() throws {
    var state = ReadingState()
    let id = PaperID("b")
    var paper = PaperState(tags: ["gan", "old"])
    state[id] = paper  // saved before stamps
    paper.setStatus(.read, at: ReadTime.parse(ReadTime.example)!)
    paper.title = "My \"title\""
    state.record(paper, of: id, at: Self.stamp(Self.s1))
    paper.tags = ["gan", "theory"]
    state.record(paper, of: id, at: Self.stamp(Self.s2))
    paper = state[id]
    paper.note = "see §3"
    state.record(paper, of: id, at: Self.stamp(Self.s3))
    // gan was there before stamps: it has none of its own until changed.
    var line = StateStore.encodeLine(id: id, entry: state[id])
    #expect(
      String(decoding: line, as: UTF8.self)
        == #"    "b": {"# + Self.paperFields + #", "changed": {"status": "\#(Self.s1)", "tags": {"theory": "\#(Self.s2)"}, "untagged": {"old": "\#(Self.s2)"}, "note": "\#(Self.s3)", "title": "\#(Self.s1)"}}"#
    )
    line = []
    StateJournal.appendLine(id: id, entry: Self.canonicalPaper(), to: &line)
    #expect(String(decoding: line, as: UTF8.self) == #"{"id": "b", "# + Self.paperFields + ", \"changed\": " + Self.canonicalChanged + "}\n")
    let data = Self.file(changed: Self.canonicalChanged)
    #expect(StateLayoutParser.stateFile(data)?[id] == Self.canonicalPaper())
    #expect(StateStore.encode(try StateStore.decode(data, path: "s")) == data)
  }

  /// `changed` objects written by hand (or by another tool), which the fast reader leaves to
  /// the general one, and what the paper's state is then.
  static let handEdits: [(String, String, @Sendable (inout PaperState) -> Void)] = [
    ("keys reordered", #"{"title": "\#(s1)", "note": "\#(s3)", "untagged": {"old": "\#(s2)"}, "tags": {"theory": "\#(s2)", "gan": "\#(s1)"}, "status": "\#(s1)"}"#, { _ in }),
    ("extra spaces", #"{ "status" :"\#(s1)","tags":{"gan" : "\#(s1)" ,  "theory":"\#(s2)"},"untagged": {"old": "\#(s2)"}, "note": "\#(s3)", "title": "\#(s1)" }"#, { _ in }),
    ("tags out of order", #"{"status": "\#(s1)", "tags": {"theory": "\#(s2)", "gan": "\#(s1)"}, "untagged": {"old": "\#(s2)"}, "note": "\#(s3)", "title": "\#(s1)"}"#, { _ in }),
    ("a stamp for a tag not in the list", #"{"status": "\#(s1)", "tags": {"gan": "\#(s1)", "ghost": "\#(s3)", "theory": "\#(s2)"}, "untagged": {"old": "\#(s2)"}, "note": "\#(s3)", "title": "\#(s1)"}"#, { _ in }),
    ("an untagged tag also present", #"{"status": "\#(s1)", "tags": {"gan": "\#(s1)", "theory": "\#(s2)"}, "untagged": {"gan": "\#(s3)", "old": "\#(s2)"}, "note": "\#(s3)", "title": "\#(s1)"}"#, { _ in }),
    ("untagged out of order and not normalized", #"{"status": "\#(s1)", "tags": {"gan": "\#(s1)", "theory": "\#(s2)"}, "untagged": {"old": "\#(s2)", "deep  learning": "\#(s1)", "deep-learning": "\#(s3)", " ": "\#(s3)"}, "note": "\#(s3)", "title": "\#(s1)"}"#, { paper in
      paper.stamps.tags.insert(.init(tag: "deep-learning", present: false, stamp: StampedFileTests.stamp(StampedFileTests.s3)), at: 2)
    }),
    ("a tag stamp not normalized", #"{"status": "\#(s1)", "tags": {" gan ": "\#(s1)", "theory": "\#(s2)"}, "untagged": {"old": "\#(s2)"}, "note": "\#(s3)", "title": "\#(s1)"}"#, { _ in }),
    ("stamps without a device, quire's own for a note only", #"{"status": "2026-11-29T23:47:05.123Z", "tags": {"gan": "\#(s1)", "theory": "\#(s2)"}, "untagged": {"old": "2026-11-30T08:12:00.004Z"}, "note": "2026-11-30T09:00:00.500Z", "title": "\#(s1)"}"#, { paper in
      paper.stamps.reading = nil
      paper.stamps.tags.removeLast()
      paper.stamps.note = nil
    }),
  ]

  @Test("hand-edited \"changed\" objects are read the general way, consistently, and saved back in quire's layout", arguments: 0..<handEdits.count)
  func handEdited(_ index: Int) throws {
    let (what, changed, adjust) = Self.handEdits[index]
    let data = Self.file(changed: changed)
    #expect(StateLayoutParser.stateFile(data) == nil, "\(what): the fast reader gives up")
    let general = try StateStore.decodeAnyLayout(data, path: "s")
    #expect(try StateStore.decode(data, path: "s") == general, "\(what)")
    var expected = Self.canonicalPaper()
    adjust(&expected)
    #expect(general[PaperID("b")] == expected, "\(what)")
    #expect(general[PaperID("a")] == PaperState(status: .read, tags: ["x"]))
    // Saved again, it is in quire's layout: read fast, the same.
    let saved = StateStore.encode(general)
    #expect(StateLayoutParser.stateFile(saved).map(ReadingState.init(papers:)) == general, "\(what)")
  }

  /// Broken stamps, and what the complaint must name besides the file and the line.
  static let malformedChanges: [(String, String)] = [
    (#"{"status": "yesterday"}"#, #""changed"."status""#),
    (#"{"status": "2026-11-29T23:47:05.123Z my laptop"}"#, #""changed"."status""#),
    (#"{"status": "2026-11-29T23:47:05.123Z lap\"top"}"#, #""changed"."status""#),
    (#"{"status": "2026-13-29T23:47:05.123Z laptop-3fa2"}"#, #""changed"."status""#),
    (#"{"status": "2026-11-29T23:47:05Z laptop-3fa2"}"#, #""changed"."status""#),
    (#"{"status": "2026-11-29T23:47:05.123Z "}"#, #""changed"."status""#),
    (#"{"status": "2026-11-29T23:47:05.123Z a-device-name-far-too-long-to-be-one"}"#, #""changed"."status""#),
    (#"{"status": 1764460025123}"#, #""changed"."status""#),
    (#"{"title": null}"#, #""changed"."title""#),
    (#"{"tags": {"gan": "soon"}}"#, #""changed"."tags"."gan""#),
    (#"{"tags": ["gan"]}"#, #""changed"."tags" to be an object"#),
    (#"{"untagged": {"old": 3}}"#, #""changed"."untagged"."old""#),
    (#"{"note seen": "2026-02-30T00:00:00.000Z laptop"}"#, #""changed"."note seen""#),
    (#"{"notes": [{"text": "x"}, {"at": "\#(s1)"}]}"#, #""at", when it was written"#),
    (#"{"notes": [{"text": 3, "at": "\#(s1)"}]}"#, #""changed"."notes"."text" to be a string"#),
    (#"{"notes": 3}"#, #""changed"."notes" to be a list of the note's versions, {"text": …, "at": …, "seen": …}"#),
    (#"[]"#, #""changed" to be an object"#),
    (#""yesterday""#, #""changed" to be an object"#),
  ]

  @Test("a malformed stamp is refused, naming the file, the line, the paper and the form expected", arguments: 0..<malformedChanges.count)
  func malformedStamp(_ index: Int) throws {
    let (changed, expected) = Self.malformedChanges[index]
    let folder = NSTemporaryDirectory() + "quire-stamped-file-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/state.json"
    let data = Self.file(changed: changed)
    try data.write(to: URL(fileURLWithPath: path))
    #expect(StateLayoutParser.stateFile(data) == nil)
    do {
      _ = try StateStore(path: path).load()
      Issue.record("loaded \(changed)")
    } catch {
      #expect(error.path == path)
      #expect(error.description.hasPrefix(path + ": line 6: paper \"b\": expected "), "\(error)")
      #expect(error.reason.contains(expected), "\(error)")
      if !changed.contains("notes\": 3") && !changed.contains("\"text\": 3") {
        #expect(error.reason.contains(Stamp.example), "\(error)")
      }
    }
    // The same line in the journal: the journal and its line are named.
    let store = StateStore(path: path)
    try StateStore.encode(ReadingState()).write(to: URL(fileURLWithPath: path))
    let good = #"{"id": "a", "status": "read", "tags": [], "changed": {"status": "\#(Self.s1)"}}"#
    let bad = #"{"id": "b", "# + Self.paperFields + ", \"changed\": " + changed + "}"
    try Data((good + "\n" + bad + "\n").utf8).write(to: URL(fileURLWithPath: store.journalPath))
    do {
      _ = try store.load()
      Issue.record("loaded a journal with \(changed)")
    } catch {
      #expect(error.path == store.journalPath)
      #expect(error.reason.hasPrefix("line 2: paper \"b\": expected "), "\(error)")
      #expect(error.reason.contains(expected), "\(error)")
    }
  }
}
