import Foundation

/// A paper and its reading state as one line of JSON, for `quire list` and for scripts.
public enum PaperExport {
  /// With `state` nil the line carries no status or tags: how the library store keeps
  /// papers, the reading state being in state.json.
  public static func jsonLine(_ paper: Paper, state: PaperState?) -> String {
    var line = JSONLineWriter()
    line.append(paper, state: state)
    return String(decoding: line.bytes, as: UTF8.self)
  }
}

/// Writes papers as JSON lines straight into bytes: a library file holds a line per paper,
/// and building each from small strings cost more than reading the papers in.
struct JSONLineWriter {
  private(set) var bytes: [UInt8] = []
  /// The last moment written and its text: a whole import is added at the same second.
  private var lastMoment: (date: Date, iso: [UInt8])?

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  /// One paper's line, without the line break.
  mutating func append(_ paper: Paper, state: PaperState?) {
    raw("{\"id\":")
    string(paper.id.rawValue)
    // The title the reader gave, where there is one: what they see, so what scripts see.
    let shown = state.map { paper.titled(by: $0) } ?? paper
    raw(",\"title\":")
    string(shown.displayTitle)
    raw(shown.hasTitle ? ",\"untitled\":false" : ",\"untitled\":true")
    raw(",\"authors\":")
    strings(paper.authors)
    raw(",\"year\":")
    number(paper.year)
    raw(",\"venue\":")
    string(paper.venue)
    raw(",\"published\":")
    string(paper.published?.iso)
    if let added = paper.added {
      raw(",\"added\":")
      moment(added)
    }
    raw(",\"links\":[")
    for (index, link) in paper.links.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      raw("{\"label\":")
      string(link.label)
      raw(",\"url\":")
      string(link.url)
      bytes.append(UInt8(ascii: "}"))
    }
    bytes.append(UInt8(ascii: "]"))
    if let state {
      raw(",\"status\":")
      string(state.status.rawValue)
      raw(",\"tags\":")
      strings(state.tags)
      if let note = state.note {
        raw(",\"note\":")
        string(note)
      }
      if state.title != nil {
        // The listing's own title, which the paper's id comes from: an import reads it back
        // as the listing's and "title" as the reader's, so the paper stays the same paper.
        raw(",\"listedTitle\":")
        string(paper.hasTitle ? paper.title : nil)
      }
      if state.status == .read, let readAt = state.readAt {
        raw(",\"read\":\"")
        ReadTime.append(readAt, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
      }
    }
    raw(",\"doi\":")
    string(paper.doi)
    raw(",\"arxiv\":")
    string(paper.arxiv)
    raw(",\"categories\":")
    strings(paper.categories)
    if let version = paper.arxivVersion {
      raw(",\"arxivVersion\":")
      number(version)
    }
    if !paper.extra.isEmpty {
      raw(",\"extra\":{")
      for (index, key) in paper.extra.keys.sorted().enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        string(key)
        bytes.append(UInt8(ascii: ":"))
        string(paper.extra[key]!)
      }
      bytes.append(UInt8(ascii: "}"))
    }
    if let updated = paper.updated {
      raw(",\"updated\":")
      string(updated.iso)
    }
    raw(",\"abstract\":")
    string(paper.abstract)
    raw(",\"alsoListed\":[")
    for (index, other) in paper.alternates.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      raw("{\"line\":")
      number(other.source.line)
      raw(",\"year\":")
      number(other.year)
      raw(",\"venue\":")
      string(other.venue)
      raw(",\"authors\":")
      strings(other.authors)
      bytes.append(UInt8(ascii: "}"))
    }
    raw("]}")
  }

  mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

  private mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  private mutating func string(_ text: String) { JSONStringEncoder.append(text, to: &bytes) }

  private mutating func string(_ text: String?) {
    guard let text else { return raw("null") }
    string(text)
  }

  private mutating func strings(_ texts: [String]) {
    bytes.append(UInt8(ascii: "["))
    for (index, text) in texts.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      string(text)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  private mutating func number(_ value: Int?) {
    guard let value else { return raw("null") }
    bytes.append(contentsOf: String(value).utf8)
  }

  private mutating func moment(_ date: Date) {
    if let last = lastMoment, last.date == date { return bytes.append(contentsOf: last.iso) }
    var text: [UInt8] = []
    JSONStringEncoder.append(Timestamp.iso(date), to: &text)
    lastMoment = (date, text)
    bytes.append(contentsOf: text)
  }
}

/// JSON string literals as `StateStore.appendJSONString` writes them (control characters,
/// C1 controls, line separators and bidirectional controls escaped), copying the runs between escapes whole.
enum JSONStringEncoder {
  static func append(_ text: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    UTF8Text.withBytes(of: text) { bytes in
      var runStart = 0
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
          index += 1
          continue
        }
        let length: Int
        if byte < 0x80 {
          length = 1
        } else {
          length = UTF8Text.length(ofScalarStartingWith: byte)
          // Escaped: U+0080–U+009F (C2 80–9F), U+2028–U+2029 (E2 80 A8–A9), and the
          // bidirectional controls, which would reorder what a terminal shows of the line:
          // U+200E–U+200F, U+202A–U+202E (E2 80 …), U+2066–U+2069 (E2 81 A6–A9), U+061C (D8 9C).
          let isC1 = byte == 0xC2 && bytes[index + 1] < 0xA0
          let third = length == 3 ? bytes[index + 2] : 0
          let isSeparator = byte == 0xE2 && bytes[index + 1] == 0x80 && (third == 0xA8 || third == 0xA9)
          let isBidi = (byte == 0xE2 && bytes[index + 1] == 0x80 && (third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third)))
            || (byte == 0xE2 && bytes[index + 1] == 0x81 && (0xA6...0xA9).contains(third))
            || (byte == 0xD8 && bytes[index + 1] == 0x9C)
          if !isC1 && !isSeparator && !isBidi {
            index += length
            continue
          }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        escape(UTF8Text.scalar(in: bytes, at: index).scalar.value, to: &out)
        index += length
        runStart = index
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
    }
    out.append(UInt8(ascii: "\""))
  }

  private static func escape(_ value: UInt32, to out: inout [UInt8]) {
    switch value {
    case 0x22: out.append(contentsOf: [0x5C, 0x22])
    case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
    case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
    case 0x0D: out.append(contentsOf: [0x5C, 0x72])
    case 0x09: out.append(contentsOf: [0x5C, 0x74])
    default:
      let hex = Array("0123456789abcdef".utf8)
      out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
      for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int(value >> UInt32(shift)) & 0xF]) }
    }
  }
}
