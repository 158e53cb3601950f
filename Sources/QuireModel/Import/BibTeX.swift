import Foundation

/// One entry of a BibTeX file, with its macros expanded and its TeX still in place.
public struct BibTeXEntry: Equatable, Sendable {
  public var type: String  // lower-cased: "article", "inproceedings", …
  public var key: String
  /// Field names lower-cased, in file order; values with `@string` macros and `#`
  /// concatenation resolved and outer braces or quotes removed.
  public var fields: [(name: String, value: String)]
  public var line: Int

  public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

  public static func == (a: BibTeXEntry, b: BibTeXEntry) -> Bool {
    a.type == b.type && a.key == b.key && a.line == b.line
      && a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
  }
}

/// Reads BibTeX as people write it: `@string` macros and `#` concatenation, nested braces,
/// quoted values, `@comment` and `@preamble`, any case in entry types and field names,
/// trailing commas, CRLF, month macros. A malformed entry is reported as
/// `file:line:column: what was expected` and skipped; the rest of the file still reads.
public struct BibTeXParser {
  public struct Result: Sendable {
    public var entries: [BibTeXEntry]
    public var diagnostics: [Diagnostic]
  }

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears how much of the text has been read, from 0 to 1, and the entries
  /// read so far, now and then.
  public func parse(_ text: String, progress: ((Double, Int) -> Void)? = nil) -> Result {
    UTF8Text.withBytes(of: text) { parse(utf8: $0, progress: progress) }
  }

  /// `parse` of the text these bytes spell; they must be valid UTF-8.
  func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, progress: ((Double, Int) -> Void)? = nil) -> Result {
    var reader = Reader(bytes: bytes, lines: LineStarts(bytes), file: file)
    return reader.run(progress: progress)
  }

  /// Month macros every BibTeX style defines.
  static let months: [String: String] = [
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
  ]

  struct Failure: Error {
    /// A byte offset in the text, at the start of a unicode scalar.
    var index: Int
    var message: String
    /// Where reading can go on: the next entry, when the failure found it.
    var resume: Int? = nil
  }

  /// Where lines start in a text, as byte offsets, for turning a position into line:column.
  struct LineStarts: Sendable {
    let offsets: [Int]

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
      var starts = [0]
      if let base = bytes.baseAddress {
        var from = base
        let end = base + bytes.count
        while from < end, let newline = memchr(from, 0x0A, end - from) {
          let next = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) + 1
          starts.append(next - base)
          from = next
        }
      }
      offsets = starts
    }

    /// The line holding `index` (from 1) and where it starts.
    func line(of index: Int) -> (number: Int, start: Int) {
      var low = 0
      var high = offsets.count
      while low + 1 < high {
        let mid = (low + high) / 2
        if offsets[mid] <= index { low = mid } else { high = mid }
      }
      return (low + 1, offsets[low])
    }
  }

  /// Reads the text's UTF-8 bytes. Everything BibTeX gives a meaning to is ASCII, so a
  /// value is a slice of the bytes between its delimiters, and a scalar outside ASCII is
  /// decoded only where a name, a key or white space may hold one.
  ///
  /// A reader may be started anywhere an entry may start and stopped before entries that
  /// start at `stop` or later, to read parts of a text on several cores; an entry it has
  /// started is read to its end wherever that is, as reading the whole text would.
  /// Positions, lines and columns are those of the whole text.
  struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let stop: Int
    let file: String
    var position: Int
    var macros = BibTeXParser.months
    var entries: [BibTeXEntry] = []
    var diagnostics: [Diagnostic] = []
    let lines: LineStarts
    /// Where the next entry would start, once the reader stops; nil at the end of the text.
    private(set) var next: Int?
    /// Whether an `@string` was met: the entries after it may use its macro.
    private(set) var metMacroDefinition = false

    init(bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, stop: Int? = nil, lines: LineStarts, file: String) {
      self.bytes = bytes
      self.stop = stop ?? bytes.count
      self.position = start
      self.lines = lines
      self.file = file
    }

    /// Line and column, both from 1; the column counts unicode scalars, not bytes.
    func location(_ index: Int) -> (line: Int, column: Int) {
      let line = lines.line(of: index)
      var column = 1
      for offset in line.start..<index where bytes[offset] & 0xC0 != 0x80 { column += 1 }
      return (line.number, column)
    }

    mutating func run(progress: ((Double, Int) -> Void)? = nil) -> Result {
      while let at = nextAt() {
        if at >= stop {
          next = at
          break
        }
        if let progress, entries.count % 256 == 0 { progress(Double(at) / Double(max(1, bytes.count)), entries.count) }
        position = at + 1
        do {
          try entry(startingAt: at)
        } catch {
          let place = location(min(error.index, bytes.count))
          diagnostics.append(Diagnostic(file: file, line: place.line, column: place.column, message: error.message, skipped: true))
          // Resume at the next entry: an "@" that starts a line.
          position = error.resume ?? max(position, error.index)
          while position < bytes.count {
            if bytes[position] == Byte.at, position == 0 || isLineStart(position) { break }
            position += 1
          }
        }
      }
      return Result(entries: entries, diagnostics: diagnostics)
    }

    func isLineStart(_ index: Int) -> Bool {
      var back = index - 1
      while back >= 0, bytes[back] == Byte.space || bytes[back] == Byte.tab { back -= 1 }
      return back < 0 || bytes[back] == Byte.newline || bytes[back] == Byte.carriageReturn
    }

    /// Text between entries is a comment, as BibTeX has it.
    mutating func nextAt() -> Int? {
      while position < bytes.count {
        if bytes[position] == Byte.at { return position }
        position += 1
      }
      return nil
    }

    /// The byte at `position`, or nil at the end.
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func entry(startingAt at: Int) throws(Failure) {
      skipSpace()
      let type = identifier().lowercased()
      guard !type.isEmpty else { throw Failure(index: position, message: "expected an entry type after '@'") }
      skipSpace()
      guard let open = current, open == Byte.openBrace || open == Byte.openParen else {
        throw Failure(index: position, message: "expected '{' or '(' after '@\(type)'")
      }
      let close = open == Byte.openBrace ? Byte.closeBrace : Byte.closeParen
      position += 1
      switch type {
      case "comment":
        // Everything up to the matching brace, ignored.
        _ = try balanced(until: close, from: at)
      case "preamble":
        skipSpace()
        _ = try value()
        try expectClose(close)
      case "string":
        metMacroDefinition = true
        skipSpace()
        let name = identifier().lowercased()
        guard !name.isEmpty else { throw Failure(index: position, message: "expected a macro name in @string") }
        skipSpace()
        try expect(Byte.equals, "after the macro name '\(name)'")
        skipSpace()
        macros[name] = try value()
        skipSpace()
        try expectClose(close)
      default:
        try regularEntry(type: type, close: close, at: at)
      }
    }

    mutating func regularEntry(type: String, close: UInt8, at: Int) throws(Failure) {
      skipSpace()
      let key = citationKey(close: close)
      skipSpace()
      guard let next = current, next == Byte.comma || next == close else {
        throw Failure(index: position, message: "expected ',' after the citation key '\(key)'")
      }
      let closing = Unicode.Scalar(close)
      var fields: [(name: String, value: String)] = []
      while true {
        skipSpace()
        guard let next = current else {
          throw Failure(
            index: position, message: "expected '\(closing)' to close the entry '\(key)' started at line \(location(at).line)")
        }
        if next == close {
          position += 1
          break
        }
        if next == Byte.comma {
          position += 1
          continue
        }
        let nameStart = position
        let name = identifier().lowercased()
        guard !name.isEmpty else {
          throw Failure(index: nameStart, message: "expected a field name or '\(closing)' in entry '\(key)'")
        }
        skipSpace()
        try expect(Byte.equals, "after the field name '\(name)'")
        skipSpace()
        let fieldValue = try value()
        // A field given twice keeps its first value, as BibTeX does.
        if !fields.contains(where: { $0.name == name }) { fields.append((name, fieldValue)) }
        skipSpace()
        guard let after = current, after == Byte.comma || after == close else {
          throw Failure(index: position, message: "expected ',' or '\(closing)' after the value of '\(name)'")
        }
      }
      entries.append(BibTeXEntry(type: type, key: key, fields: fields, line: location(at).line))
    }

    /// The key up to a comma, the closing delimiter or white space.
    mutating func citationKey(close: UInt8) -> String {
      let start = position
      while let byte = current, byte != Byte.comma, byte != close {
        if byte < 0x80 {
          if UTF8Text.isASCIIWhitespace(byte) { break }
          position += 1
        } else {
          let (scalar, length) = UTF8Text.scalar(in: bytes, at: position)
          if scalar.properties.isWhitespace { break }
          position += length
        }
      }
      return text(start..<position)
    }

    /// A value: pieces joined by `#`, each `{braced}`, `"quoted"`, a number or a macro.
    mutating func value() throws(Failure) -> String {
      var result = ""
      while true {
        skipSpace()
        guard let byte = current else { throw Failure(index: position, message: "expected a value") }
        if byte == Byte.openBrace {
          position += 1
          result += try balanced(until: Byte.closeBrace, from: position - 1)
        } else if byte == Byte.quote {
          position += 1
          result += try quoted()
        } else if isNumeric(at: position) {
          let start = position
          while position < bytes.count, isNumeric(at: position) { position += UTF8Text.scalar(in: bytes, at: position).length }
          result += text(start..<position)
        } else {
          let start = position
          let name = identifier().lowercased()
          guard !name.isEmpty else {
            throw Failure(index: start, message: "expected a value: {braced}, \"quoted\", a number or a macro name")
          }
          guard let expansion = macros[name] else {
            let place = location(start)
            diagnostics.append(Diagnostic(file: file, line: place.line, column: place.column, message: "unknown macro '\(name)'; kept as written"))
            result += name
            skipSpace()
            if current == Byte.hash {
              position += 1
              continue
            }
            return result
          }
          result += expansion
        }
        skipSpace()
        if current == Byte.hash {
          position += 1
          continue
        }
        return result
      }
    }

    /// The text up to the delimiter that closes one already read, nested ones kept.
    mutating func balanced(until close: UInt8, from start: Int) throws(Failure) -> String {
      let open = close == Byte.closeBrace ? Byte.openBrace : Byte.openParen
      let unmatched = "expected '\(Unicode.Scalar(close))' to match this '\(Unicode.Scalar(open))'"
      let contentStart = position
      var depth = 0
      while position < bytes.count {
        let byte = bytes[position]
        if byte == Byte.at, isLineStart(position) {
          // An entry starting on its own line: the brace before it was never closed.
          throw Failure(index: start, message: unmatched, resume: position)
        }
        position += 1
        if byte == open { depth += 1 }
        if byte == close {
          if depth == 0 { return text(contentStart..<(position - 1)) }
          depth -= 1
        }
      }
      throw Failure(index: start, message: unmatched)
    }

    /// A "quoted" value; braces inside may hold quotes.
    mutating func quoted() throws(Failure) -> String {
      let start = position - 1
      var depth = 0
      while position < bytes.count {
        let byte = bytes[position]
        if byte == Byte.at, isLineStart(position) {
          throw Failure(index: start, message: "expected '\"' to close this quoted value", resume: position)
        }
        position += 1
        if byte == Byte.openBrace { depth += 1 }
        if byte == Byte.closeBrace { depth -= 1 }
        if byte == Byte.quote && depth == 0 { return text((start + 1)..<(position - 1)) }
      }
      throw Failure(index: start, message: "expected '\"' to close this quoted value")
    }

    /// Letters, digits (of any script) and the punctuation BibTeX allows in names.
    mutating func identifier() -> String {
      let start = position
      while let byte = current {
        if byte < 0x80 {
          guard Self.isASCIINameByte(byte) else { break }
          position += 1
        } else {
          let (scalar, length) = UTF8Text.scalar(in: bytes, at: position)
          guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { break }
          position += length
        }
      }
      return text(start..<position)
    }

    /// The ASCII a name may hold: what is alphabetic or numeric in Unicode, and "-_:.+/'!?&*<>[]|".
    static func isASCIINameByte(_ byte: UInt8) -> Bool {
      switch byte {
      case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
      case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "+"),
        UInt8(ascii: "/"), UInt8(ascii: "'"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "&"),
        UInt8(ascii: "*"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
        UInt8(ascii: "|"):
        return true
      default: return false
      }
    }

    /// A digit of any script (Unicode's numeric type), the only kind in ASCII being 0–9.
    func isNumeric(at index: Int) -> Bool {
      let byte = bytes[index]
      if byte < 0x80 { return (0x30...0x39).contains(byte) }
      return UTF8Text.scalar(in: bytes, at: index).scalar.properties.numericType != nil
    }

    mutating func skipSpace() {
      while let byte = current {
        if byte < 0x80 {
          guard UTF8Text.isASCIIWhitespace(byte) else { return }
          position += 1
        } else {
          let (scalar, length) = UTF8Text.scalar(in: bytes, at: position)
          guard scalar.properties.isWhitespace else { return }
          position += length
        }
      }
    }

    func text(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func expect(_ byte: UInt8, _ context: String) throws(Failure) {
      guard current == byte else {
        throw Failure(index: position, message: "expected '\(Unicode.Scalar(byte))' \(context)")
      }
      position += 1
    }

    mutating func expectClose(_ close: UInt8) throws(Failure) {
      skipSpace()
      try expect(close, "to close the entry")
    }
  }

  /// The ASCII bytes BibTeX gives a meaning to.
  enum Byte {
    static let at = UInt8(ascii: "@")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
    static let hash = UInt8(ascii: "#")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
  }
}
