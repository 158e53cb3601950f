/// Reading valid UTF-8 a byte at a time. The importers run over whole libraries, so they
/// look at bytes and decode a unicode scalar only where a byte is not ASCII.
enum UTF8Text {
  /// Calls `body` with the text's UTF-8, without copying a native string.
  @inline(__always)
  static func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    var text = text
    return try text.withUTF8(body)
  }

  /// Whether the bytes are valid UTF-8, checked where they lie.
  static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    do {
      _ = try UTF8Span(validating: Span(_unsafeElements: bytes))
      return true
    } catch {
      return false
    }
  }

  /// The scalar that starts at `index` and how many bytes it takes. `bytes` must be valid
  /// UTF-8 and `index` the start of a scalar.
  @inline(__always)
  static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
    let lead = UInt32(bytes[index])
    if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
    func continuation(_ offset: Int) -> UInt32 { UInt32(bytes[index + offset]) & 0x3F }
    let value: UInt32
    let length: Int
    if lead < 0xE0 {
      value = (lead & 0x1F) << 6 | continuation(1)
      length = 2
    } else if lead < 0xF0 {
      value = (lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2)
      length = 3
    } else {
      value = (lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3)
      length = 4
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
  }

  /// How many bytes the scalar whose first byte this is takes.
  @inline(__always)
  static func length(ofScalarStartingWith lead: UInt8) -> Int {
    lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
  }

  /// Whether an ASCII byte is white space as Unicode has it (`properties.isWhitespace`).
  @inline(__always)
  static func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

  /// True when every scalar is below U+0300, where no combining marks live: in such text
  /// each scalar, but for a CR LF pair, is a Character of its own.
  static func isBelowCombiningMarks(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // U+0300 is the first scalar whose UTF-8 lead byte is 0xCC or more.
    bytes.allSatisfy { $0 < 0xCC }
  }

  /// True when the text is certainly in Normalization Form C, so that Foundation's
  /// `precomposedStringWithCanonicalMapping` would return it unchanged: every scalar is
  /// below U+0300 or one of the dashes, quotes, signs and currency symbols TeX commands
  /// stand for (U+2010–U+205E, U+20A0–U+20C0, ™). None of these combines with another or
  /// has a decomposition that NFC applies. Anything else is left to Foundation.
  static func isComposed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < bytes.count {
      // ASCII, continuation bytes and the lead bytes of U+0080–U+02FF.
      if bytes[index] < 0xCC {
        index += 1
        continue
      }
      let (scalar, length) = scalar(in: bytes, at: index)
      switch scalar.value {
      case 0x2010...0x205E, 0x20A0...0x20C0, 0x2122: index += length
      default: return false
      }
    }
    return true
  }
}
