import Foundation

/// Reads state.json and journal lines laid out exactly as quire writes them, straight from
/// the bytes. JSONSerialization builds a Foundation object for every key and value only for
/// them to be thrown away, which at a million papers is most of start-up.
///
/// It gives up (nil) at the first byte that is not in quire's layout — keys reordered, other
/// white space, a hand-edited file, anything it is unsure of — and the caller reads the
/// file the general way instead, which also explains what is wrong. So it accepts only
/// valid JSON, and never has to describe an error.
struct StateLayoutParser {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var at = 0
  /// The bytes of a string with escapes, decoded.
  private var unescaped: [UInt8] = []
  /// A paper's tags as they are read, copied out at their final size.
  private var tags: [String] = []
  /// Most papers share their list of tags with many others, so each distinct list is
  /// decoded, and its array allocated, once.
  private var tagLists = TagListCache()

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Every paper in a state file; nil when the file is not in quire's layout.
  ///
  /// A large file is read on two threads (quire reads it before anything else runs): one
  /// reads the papers, the other puts them in the dictionary, which is the larger half of
  /// the work and cannot be shared.
  static func stateFile(_ data: Data) -> [PaperID: PaperState]? {
    var table = PaperTable(capacity: data.count / 56)
    guard data.count >= 256 * 1024 else {
      return data.withUnsafeBytes { raw in
        var parser = StateLayoutParser(raw.bindMemory(to: UInt8.self))
        var untouched: [PaperID] = []
        let complete = parser.papers { id, state in
          if Self.isUntouched(state) { untouched.append(id) }
          return table.add(id, state)
        }
        return complete ? table.finished(dropping: untouched) : nil
      }
    }
    let queue = PaperQueue()
    let thread = Thread {
      data.withUnsafeBytes { raw in
        var parser = StateLayoutParser(raw.bindMemory(to: UInt8.self))
        var batch = PaperQueue.Batch()
        var untouched: [PaperID] = []
        let complete = parser.papers { id, state in
          // Told here, where the state was just made: the other thread reading a shared tag
          // list would take its memory from under this one again and again.
          if Self.isUntouched(state) { untouched.append(id) }
          batch.append((id, state))
          return batch.count < PaperQueue.batchSize || queue.send(&batch)
        }
        queue.end(complete: complete, last: batch, untouched: untouched)
      }
    }
    thread.start()
    while var batch = queue.next() {
      // Moved out, not copied: no reference counting on memory the other thread wrote.
      while let (id, state) = batch.popLast() {
        guard table.add(id, state) else {
          queue.cancel()
          while queue.next() != nil {}
          return nil
        }
      }
    }
    return queue.isComplete ? table.finished(dropping: queue.untouched) : nil
  }

  /// The general reader drops papers that are unread, untagged, without a note or a title.
  private static func isUntouched(_ state: PaperState) -> Bool {
    state.status == .unread && state.note == nil && state.tags.isEmpty && state.title == nil && state.stamps.isEmpty
  }

  /// One journal line, without its newline; nil when it is not in quire's layout.
  static func journalLine(_ line: UnsafeBufferPointer<UInt8>) -> (PaperID, PaperState)? {
    var parser = StateLayoutParser(line)
    guard parser.literal("{\"id\": "), let id = parser.string(),
      parser.literal(", "), let state = parser.fields(), parser.literal("}"), parser.at == line.count
    else { return nil }
    return (PaperID(id), state)
  }

  /// The header and every paper line, each paper handed to `take`; false when the file is
  /// not in quire's layout, or `take` said to stop.
  private mutating func papers(_ take: (PaperID, PaperState) -> Bool) -> Bool {
    guard literal(StateStore.header) else { return false }
    if literal("}\n}\n") { return at == bytes.count }
    guard literal("\n    ") else { return false }
    while true {
      guard let raw = string(), literal(": {"), let state = fields(), literal("}"), take(PaperID(raw), state) else {
        return false
      }
      if literal(",\n    ") { continue }
      return literal("\n  }\n}\n") && at == bytes.count
    }
  }

  /// `"status": "read", "tags": ["a", "b"], "note": "…", "title": "…", "read": "2026-11-29T23:47:05Z"`,
  /// the last three optional, in that order.
  private mutating func fields() -> PaperState? {
    var state = PaperState()
    guard literal("\"status\": \"") else { return nil }
    if literal("read\"") {
      state.status = .read
    } else if literal("unread\"") {
      state.status = .unread
    } else {
      return nil
    }
    guard literal(", \"tags\": [") else { return nil }
    if !literal("]") {
      let start = at
      repeat {
        guard skipString() else { return nil }
      } while literal(", ")
      guard literal("]") else { return nil }
      let list = UnsafeBufferPointer(rebasing: bytes[start..<at])
      if let known = tagLists[list] {
        state.tags = known
      } else {
        let end = at
        at = start
        guard let decoded = tagList(), at == end else { return nil }
        tagLists[list] = decoded
        state.tags = decoded
      }
    }
    if literal(", \"note\": ") {
      guard let note = string() else { return nil }
      if !note.isEmpty { state.note = note }
    }
    if literal(", \"title\": ") {
      guard let title = string() else { return nil }
      if !title.isEmpty { state.title = title }
    }
    if literal(", \"read\": \"") {
      // Exactly 20 bytes and a quote; anything else is left to the general path to explain.
      guard bytes.count - at >= 21, bytes[at + 20] == 0x22,
        let date = ReadTime.parse(UnsafeBufferPointer(rebasing: bytes[at..<at + 20]))
      else { return nil }
      at += 21
      if state.status == .read { state.readAt = date }
    }
    if literal(", \"changed\": {") {
      guard let stamps = stamps(of: &state) else { return nil }
      state.stamps = stamps
    }
    return state
  }

  /// The `changed` object after its brace, as `StampsCoding` writes it; nil for anything
  /// else, which the general path then reads and puts right (tags out of order, a stamp of
  /// a tag the paper does not have).
  private mutating func stamps(of state: inout PaperState) -> PaperStamps? {
    var stamps = PaperStamps.Fields()
    var first = true
    func key(_ name: StaticString) -> Bool {
      let start = at
      if !first && !literal(", ") { return false }
      if literal(name) {
        first = false
        return true
      }
      at = start
      return false
    }
    if key("\"status\": ") {
      guard let stamp = stamp(), stamp.isKnown else { return nil }
      stamps.reading = stamp
    }
    if key("\"tags\": {") {
      var position = 0
      repeat {
        guard let tag = string(), literal(": "), let stamp = stamp(), stamp.isKnown,
          let found = state.tags[position...].firstIndex(of: tag)
        else { return nil }
        position = found + 1
        stamps.tags.append(.init(tag: tag, present: true, stamp: stamp))
      } while literal(", ")
      guard literal("}") else { return nil }
    }
    if key("\"untagged\": {") {
      var previous: String?
      repeat {
        guard let tag = string(), literal(": "), let stamp = stamp(), stamp.isKnown, previous.map({ $0 < tag }) ?? true,
          !state.tags.contains(tag), ReadingState.normalizeTag(tag) == tag, !tag.isEmpty
        else { return nil }
        previous = tag
        stamps.tags.append(.init(tag: tag, present: false, stamp: stamp))
      } while literal(", ")
      guard literal("}") else { return nil }
    }
    if key("\"note\": ") {
      guard let stamp = stamp(), stamp.isKnown else { return nil }
      stamps.note = stamp
    }
    if key("\"note seen\": ") {
      guard let stamp = stamp() else { return nil }
      stamps.noteSeen = stamp
    }
    if key("\"notes\": [") {
      var versions: [StampedNote.Version] = []
      repeat {
        guard literal("{") else { return nil }
        var text: String?
        if literal("\"text\": ") {
          guard let written = string(), literal(", ") else { return nil }
          text = written
        }
        guard literal("\"at\": "), let at = stamp() else { return nil }
        var seen: Stamp?
        if literal(", \"seen\": ") {
          guard let stamp = stamp() else { return nil }
          seen = stamp
        }
        guard literal("}") else { return nil }
        versions.append(.init(text: text, stamp: at, basis: seen))
      } while literal(", ")
      let note = StampedNote(versions: versions)
      guard literal("]"), note.versions == versions, versions.count > 1, stamps.note == nil, stamps.noteSeen == nil,
        state.note == note.text
      else { return nil }
      stamps.noteVersions = versions
    }
    if key("\"title\": ") {
      guard let stamp = stamp(), stamp.isKnown else { return nil }
      stamps.title = stamp
    }
    guard literal("}"), !first else { return nil }
    return PaperStamps(stamps)
  }

  /// `"2026-11-29T23:47:05.123Z laptop-3fa2"`: a stamp has no escapes.
  private mutating func stamp() -> Stamp? {
    guard at < bytes.count, bytes[at] == 0x22 else { return nil }
    var end = at + 1
    while end < bytes.count, bytes[end] != 0x22 {
      if bytes[end] == 0x5C { return nil }
      end += 1
    }
    guard end < bytes.count, let stamp = Stamp(bytes: UnsafeBufferPointer(rebasing: bytes[(at + 1)..<end])) else { return nil }
    at = end + 1
    return stamp
  }

  /// `"a", "b"]`: the tags normalized as the general path does, without repeats.
  private mutating func tagList() -> [String]? {
    tags.removeAll(keepingCapacity: true)
    repeat {
      let start = at
      guard let raw = string() else { return nil }
      // Plain ASCII without white space is already a normalized tag: skip the work.
      let tag = isPlainTag(start + 1..<at - 1) ? raw : ReadingState.normalizeTag(raw)
      if !tag.isEmpty && !tags.contains(tag) { tags.append(tag) }
    } while literal(", ")
    guard literal("]") else { return nil }
    return Array(tags)
  }

  private func isPlainTag(_ range: Range<Int>) -> Bool {
    for index in range where !(0x21...0x7E).contains(bytes[index]) || bytes[index] == 0x5C { return false }
    return true
  }

  @inline(__always)
  private mutating func literal(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard bytes.count - at >= count, memcmp(bytes.baseAddress! + at, text.utf8Start, count) == 0 else { return false }
    at += count
    return true
  }

  private mutating func literal(_ text: [UInt8]) -> Bool {
    guard bytes.count - at >= text.count, memcmp(bytes.baseAddress! + at, text, text.count) == 0 else { return false }
    at += text.count
    return true
  }

  // MARK: - Strings

  /// A JSON string literal at the cursor. Nil for anything JSON forbids (raw control
  /// characters, unknown escapes, bytes that are not UTF-8), and for what the general path
  /// reads its own way: lone surrogates, and a byte order mark starting the string or
  /// following an escape, which JSONSerialization drops.
  private mutating func string() -> String? {
    guard at < bytes.count, bytes[at] == 0x22 else { return nil }
    let start = at + 1
    if startsWithByteOrderMark(start) { return nil }
    var index = start
    var ascii = true
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x22 {
        at = index + 1
        return Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: ascii)
      }
      if byte == 0x5C { return escapedString(from: start) }
      if byte < 0x20 { return nil }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    return nil
  }

  /// Moves past a string literal without decoding it; false if it does not end. What it
  /// passes over is checked when it is decoded.
  private mutating func skipString() -> Bool {
    guard at < bytes.count, bytes[at] == 0x22 else { return false }
    var index = at + 1
    while index < bytes.count {
      switch bytes[index] {
      case 0x22:
        at = index + 1
        return true
      case 0x5C: index += 2
      default: index += 1
      }
    }
    return false
  }

  private mutating func escapedString(from start: Int) -> String? {
    unescaped.removeAll(keepingCapacity: true)
    var index = start
    var ascii = true
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x22:
        at = index + 1
        return unescaped.withUnsafeBufferPointer { Self.text($0, ascii: ascii) }
      case 0x5C:
        guard index + 1 < bytes.count else { return nil }
        index += 1
        switch bytes[index] {
        case 0x22, 0x5C, 0x2F: unescaped.append(bytes[index])
        case 0x62: unescaped.append(0x08)  // \b
        case 0x66: unescaped.append(0x0C)  // \f
        case 0x6E: unescaped.append(0x0A)  // \n
        case 0x72: unescaped.append(0x0D)  // \r
        case 0x74: unescaped.append(0x09)  // \t
        case 0x75:  // \uXXXX, two of them for a character beyond the BMP
          guard var code = hex4(at: index + 1) else { return nil }
          index += 4
          if (0xDC00...0xDFFF).contains(code) { return nil }
          if (0xD800...0xDBFF).contains(code) {
            guard index + 6 < bytes.count, bytes[index + 1] == 0x5C, bytes[index + 2] == 0x75,
              let low = hex4(at: index + 3), (0xDC00...0xDFFF).contains(low)
            else { return nil }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            index += 6
          }
          let scalar = Unicode.Scalar(code)!
          if !scalar.isASCII { ascii = false }
          unescaped.append(contentsOf: UTF8.encode(scalar)!)
        default: return nil
        }
        if startsWithByteOrderMark(index + 1) { return nil }
      default:
        if byte < 0x20 { return nil }
        if byte >= 0x80 { ascii = false }
        unescaped.append(byte)
      }
      index += 1
    }
    return nil
  }

  private func startsWithByteOrderMark(_ index: Int) -> Bool {
    bytes.count - index >= 3 && bytes[index] == 0xEF && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF
  }

  private func hex4(at start: Int) -> UInt32? {
    guard start + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for index in start..<start + 4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  /// The text of UTF-8 bytes; nil if they are not valid UTF-8. Decoding repairs bad bytes
  /// with U+FFFD, so a repaired string no longer has the bytes it came from.
  private static func text(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
    let text = String(decoding: utf8, as: UTF8.self)
    if ascii { return text }
    return text.utf8.elementsEqual(utf8) ? text : nil
  }
}

/// The papers read so far. Untouched ones go only at the end, as the general reader drops
/// them, so that no duplicate id can hide among them.
private struct PaperTable {
  private var papers: [PaperID: PaperState] = [:]

  init(capacity: Int) { papers.reserveCapacity(capacity) }

  /// False for an id already read: which of two entries JSONSerialization keeps is its own
  /// affair.
  mutating func add(_ id: PaperID, _ state: PaperState) -> Bool {
    papers.updateValue(state, forKey: id) == nil
  }

  consuming func finished(dropping untouched: [PaperID]) -> [PaperID: PaperState] {
    for id in untouched { papers[id] = nil }
    return papers
  }
}

/// Papers handed from the thread that reads them to the one that fills the dictionary, a
/// batch at a time.
private final class PaperQueue: @unchecked Sendable {
  typealias Batch = [(PaperID, PaperState)]
  /// Small enough that the dictionary is not kept waiting long for the first batch.
  static let batchSize = 1024

  // Everything below is guarded by `condition`.
  private let condition = NSCondition()
  private var batches: [Batch] = []
  private var ended = false
  private var complete = false
  private var cancelled = false
  private var untouchedIDs: [PaperID] = []

  /// Hands over a batch and starts a new one; false once the reader should stop.
  func send(_ batch: inout Batch) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    batches.append(batch)
    batch = []
    batch.reserveCapacity(Self.batchSize)
    condition.signal()
    return !cancelled
  }

  func end(complete: Bool, last: Batch, untouched: [PaperID]) {
    condition.lock()
    defer { condition.unlock() }
    if !last.isEmpty { batches.append(last) }
    ended = true
    self.complete = complete
    untouchedIDs = untouched
    condition.signal()
  }

  /// The next batch, waiting for it; nil when the reader has ended and all were taken.
  func next() -> Batch? {
    condition.lock()
    defer { condition.unlock() }
    while batches.isEmpty && !ended { condition.wait() }
    return batches.isEmpty ? nil : batches.removeFirst()
  }

  /// Whether the reader read the whole file; asked after `next` returned nil.
  var isComplete: Bool {
    condition.lock()
    defer { condition.unlock() }
    return complete
  }

  /// The untouched papers the reader found; asked after `next` returned nil.
  var untouched: [PaperID] {
    condition.lock()
    defer { condition.unlock() }
    return untouchedIDs
  }

  func cancel() {
    condition.lock()
    defer { condition.unlock() }
    cancelled = true
  }
}

/// Decoded tag lists by their bytes in the file (`"a", "b"]`). A small open-addressed table:
/// the lists in a state are few, and a lookup must not allocate.
private struct TagListCache {
  private struct Slot {
    var hash: UInt64
    var bytes: [UInt8]
    var tags: [String]
  }

  private var slots = [Slot?](repeating: nil, count: 8192)
  private var count = 0

  subscript(list: UnsafeBufferPointer<UInt8>) -> [String]? {
    get {
      let hash = Self.hash(list)
      var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
      while let slot = slots[index] {
        if slot.hash == hash, slot.bytes.count == list.count,
          slot.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, list.baseAddress!, list.count) == 0 })
        {
          return slot.tags
        }
        index = (index + 1) & (slots.count - 1)
      }
      return nil
    }
    set {
      // Half full is enough: a state whose papers each have their own tags gains nothing.
      guard let tags = newValue, count < slots.count / 2 else { return }
      let hash = Self.hash(list)
      var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
      while slots[index] != nil { index = (index + 1) & (slots.count - 1) }
      slots[index] = Slot(hash: hash, bytes: Array(list), tags: tags)
      count += 1
    }
  }

  /// FNV-1a: the lists are short, and need no protection from a hostile file here.
  private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }
}
