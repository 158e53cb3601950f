/// A JSON value read by `JSONReader`: what one line of quire's JSON Lines holds.
///
/// Objects keep their members in order as an array: the objects quire reads have a dozen
/// keys, where a linear look-up beats hashing, and the order costs nothing to keep.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(key: String, value: JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.number(x), .number(y)): return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.array(x), .array(y)): return x == y
    case let (.object(x), .object(y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The member named `key` of an object (the first, if repeated); nil otherwise.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  public var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// A number that is a whole number small enough to be an Int.
  public var int: Int? {
    guard case .number(let value) = self, value.rounded() == value, abs(value) < 9e15 else { return nil }
    return Int(value)
  }

  public var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  /// An array whose items are all strings.
  public var strings: [String]? {
    guard case .array(let items) = self else { return nil }
    var out: [String] = []
    out.reserveCapacity(items.count)
    for item in items {
      guard case .string(let text) = item else { return nil }
      out.append(text)
    }
    return out
  }

  public var members: [(key: String, value: JSONValue)]? {
    if case .object(let members) = self { return members }
    return nil
  }
}

/// Where a JSON text goes wrong: the byte offset and what was expected there.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  public var offset: Int
  public var expected: String

  public var description: String { "at byte \(offset + 1): expected \(expected)" }

  /// The line and column (both from 1, columns in bytes) of the offset in `bytes`.
  public func location(in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for byte in bytes.prefix(offset) {
      if byte == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }
}

/// A strict JSON reader (RFC 8259) working on bytes. Foundation's JSONSerialization
/// builds Objective-C-style containers and costs ten times as much; quire reads a library
/// of a million lines with this one.
public struct JSONReader {
  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  /// Deeper nesting is refused rather than risking the stack on hostile input.
  private static let depthLimit = 512

  /// Reads one JSON value filling `bytes` (white space around it allowed).
  public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue {
    var reader = JSONReader(bytes: bytes)
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    if reader.position != bytes.count { throw JSONSyntaxError(offset: reader.position, expected: "the end of the text") }
    return value
  }

  public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
    let result: Result<JSONValue, JSONSyntaxError>? = bytes.withContiguousStorageIfAvailable { buffer in
      Result { () throws(JSONSyntaxError) in try parse(UnsafeRawBufferPointer(buffer)) }
    }
    if let result { return try result.get() }
    let copy = Array(bytes)
    return try copy.withUnsafeBytes { buffer in
      Result { () throws(JSONSyntaxError) in try parse(buffer) }
    }.get()
  }

  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    var copy = text
    return try copy.withUTF8 { buffer in
      Result { () throws(JSONSyntaxError) in try parse(UnsafeRawBufferPointer(buffer)) }
    }.get()
  }

  private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  private mutating func skipSpace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  private func fail(_ expected: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, expected: expected) }

  private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    guard position < bytes.count else { throw fail("a value") }
    switch bytes[position] {
    case 0x22: return .string(try string())
    case 0x7B: return try object(depth: depth + 1)
    case 0x5B: return try array(depth: depth + 1)
    case 0x74: try literal("true"); return .bool(true)
    case 0x66: try literal("false"); return .bool(false)
    case 0x6E: try literal("null"); return .null
    case 0x2D, 0x30...0x39: return .number(try number())
    default: throw fail("a value (a string, number, object, array, true, false or null)")
    }
  }

  private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw fail("\(word)") }
    for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { throw fail("\(word)") }
    position += count
  }

  private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    if depth > Self.depthLimit { throw fail("less deeply nested values") }
    position += 1
    var members: [(key: String, value: JSONValue)] = []
    skipSpace()
    if position < bytes.count, bytes[position] == 0x7D {
      position += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard position < bytes.count, bytes[position] == 0x22 else { throw fail("a string naming a member") }
      let key = try string()
      skipSpace()
      guard position < bytes.count, bytes[position] == 0x3A else { throw fail("':' after a member's name") }
      position += 1
      skipSpace()
      members.append((key, try value(depth: depth)))
      skipSpace()
      guard position < bytes.count else { throw fail("',' or '}'") }
      if bytes[position] == 0x2C {
        position += 1
        continue
      }
      guard bytes[position] == 0x7D else { throw fail("',' or '}'") }
      position += 1
      return .object(members)
    }
  }

  private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    if depth > Self.depthLimit { throw fail("less deeply nested values") }
    position += 1
    var items: [JSONValue] = []
    skipSpace()
    if position < bytes.count, bytes[position] == 0x5D {
      position += 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try value(depth: depth))
      skipSpace()
      guard position < bytes.count else { throw fail("',' or ']'") }
      if bytes[position] == 0x2C {
        position += 1
        continue
      }
      guard bytes[position] == 0x5D else { throw fail("',' or ']'") }
      position += 1
      return .array(items)
    }
  }

  private mutating func number() throws(JSONSyntaxError) -> Double {
    let start = position
    if bytes[position] == 0x2D { position += 1 }
    func digits(_ reader: inout JSONReader) -> Int {
      let from = reader.position
      while reader.position < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.position]) { reader.position += 1 }
      return reader.position - from
    }
    guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { throw fail("a digit") }
    if bytes[position] == 0x30 {
      position += 1
    } else {
      _ = digits(&self)
    }
    var integral = true
    if position < bytes.count, bytes[position] == 0x2E {
      integral = false
      position += 1
      guard digits(&self) > 0 else { throw fail("a digit after '.'") }
    }
    if position < bytes.count, bytes[position] | 0x20 == 0x65 {
      integral = false
      position += 1
      if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
      guard digits(&self) > 0 else { throw fail("a digit in the exponent") }
    }
    // Whole numbers of up to 15 digits, nearly all numbers quire meets, need no parsing by strtod.
    if integral, position - start <= 16 {
      var value = 0
      var negative = false
      for offset in start..<position {
        let byte = bytes[offset]
        if byte == 0x2D { negative = true } else { value = value * 10 + Int(byte - 0x30) }
      }
      return Double(negative ? -value : value)
    }
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    guard let value = Double(text) else { throw JSONSyntaxError(offset: start, expected: "a number") }
    return value
  }

  /// A string, the opening quote under the cursor. Text without escapes (nearly all) is
  /// taken in one piece; invalid UTF-8 is refused, as JSON must be UTF-8.
  ///
  /// Abstracts are most of a library's bytes, so the scan for the closing quote goes 16
  /// bytes at a time, noting on the way whether any byte is outside ASCII (then the text
  /// is validated as UTF-8; ASCII needs no validation).
  private mutating func string() throws(JSONSyntaxError) -> String {
    position += 1
    let start = position
    var plain = true
    var high: UInt8 = 0
    let quote = SIMD16<UInt8>(repeating: 0x22)
    let backslash = SIMD16<UInt8>(repeating: 0x5C)
    let space = SIMD16<UInt8>(repeating: 0x20)
    var wide = SIMD16<UInt8>(repeating: 0)
    while true {
      if let base = bytes.baseAddress {
        while position + 16 <= bytes.count {
          let chunk = (base + position).loadUnaligned(as: SIMD16<UInt8>.self)
          let special = (chunk .== quote) .| (chunk .== backslash) .| (chunk .< space)
          if any(special) { break }
          wide |= chunk
          position += 16
        }
      }
      guard position < bytes.count else { break }
      let byte = bytes[position]
      if byte == 0x22 { break }
      if byte == 0x5C {
        plain = false
        position += 2
        continue
      }
      if byte < 0x20 { throw fail("a control character to be escaped in a string") }
      high |= byte
      position += 1
    }
    guard position < bytes.count else { throw JSONSyntaxError(offset: min(position, bytes.count), expected: "'\"' to end the string") }
    let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    position += 1
    if plain {
      let ascii = (high | wide.max()) < 0x80
      if ascii { return String(decoding: raw, as: UTF8.self) }
      guard let text = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
        throw JSONSyntaxError(offset: start, expected: "text in UTF-8")
      }
      return text
    }
    return try unescape(raw, from: start)
  }

  private func unescape(_ raw: UnsafeRawBufferPointer, from start: Int) throws(JSONSyntaxError) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var index = 0
    func hex4(_ at: Int) -> UInt32? {
      guard at + 4 <= raw.count else { return nil }
      var value: UInt32 = 0
      for offset in at..<(at + 4) {
        let byte = raw[offset]
        let digit: UInt32
        switch byte {
        case 0x30...0x39: digit = UInt32(byte - 0x30)
        case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
        case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
        default: return nil
        }
        value = value << 4 | digit
      }
      return value
    }
    while index < raw.count {
      let byte = raw[index]
      guard byte == 0x5C else {
        out.append(byte)
        index += 1
        continue
      }
      guard index + 1 < raw.count else { throw JSONSyntaxError(offset: start + index, expected: "an escape after '\\'") }
      let escape = raw[index + 1]
      index += 2
      switch escape {
      case 0x22: out.append(0x22)
      case 0x5C: out.append(0x5C)
      case 0x2F: out.append(0x2F)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        guard var code = hex4(index) else { throw JSONSyntaxError(offset: start + index, expected: "four hex digits after \\u") }
        index += 4
        if (0xD800..<0xDC00).contains(code) {
          // A high surrogate must be followed by its low half; a lone one becomes U+FFFD.
          if index + 6 <= raw.count, raw[index] == 0x5C, raw[index + 1] == 0x75, let low = hex4(index + 2),
            (0xDC00..<0xE000).contains(low)
          {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            index += 6
          } else {
            code = 0xFFFD
          }
        } else if (0xDC00..<0xE000).contains(code) {
          code = 0xFFFD
        }
        out.append(contentsOf: UTF8.encode(Unicode.Scalar(code)!)!)
      default:
        throw JSONSyntaxError(offset: start + index - 1, expected: "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX")
      }
    }
    guard let text = String(validating: out, as: UTF8.self) else { throw JSONSyntaxError(offset: start, expected: "text in UTF-8") }
    return text
  }
}
