import Foundation

/// Text normalisation shared by the parsers and the library. These run over every
/// abstract at start-up, so they work on UTF-8 bytes and ASCII never leaves the fast path.
public enum TextNormalizer {
  /// A comparison key: case and accents folded, punctuation dropped, words single-spaced.
  /// Two listings whose abstracts differ only by a final period get the same key.
  public static func key(_ text: String) -> String {
    UTF8Text.withBytes(of: text) { bytes in
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      var pendingSpace = false
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte < 0x80 {
          index += 1
          let folded: UInt8
          switch byte {
          case 0x30...0x39, 0x61...0x7A: folded = byte
          case 0x41...0x5A: folded = byte + 0x20
          default:
            pendingSpace = true
            continue
          }
          if pendingSpace && !out.isEmpty { out.append(0x20) }
          pendingSpace = false
          out.append(folded)
          continue
        }
        let (scalar, length) = UTF8Text.scalar(in: bytes, at: index)
        index += length
        switch KeyFold.of(scalar) {
        case .mark:
          // A combining accent belongs to the letter before it: drop it, keep the word whole.
          continue
        case .letters(let letters) where letters.isEmpty:
          pendingSpace = true
        case .letters(let letters):
          if pendingSpace && !out.isEmpty { out.append(0x20) }
          pendingSpace = false
          out.append(contentsOf: letters)
        }
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// Collapses runs of white space (including line breaks) into single spaces and trims.
  /// Returns the text itself when there is nothing to collapse, the usual case.
  public static func collapseWhitespace(_ text: String) -> String {
    UTF8Text.withBytes(of: text) { bytes in isCollapsed(bytes) ? text : collapsed(bytes) }
  }

  /// `collapseWhitespace` of the text these UTF-8 bytes (valid) spell.
  static func collapseWhitespace(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
    isCollapsed(bytes) ? String(decoding: bytes, as: UTF8.self) : collapsed(bytes)
  }

  private static func collapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var pendingSpace = false
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      let length = UTF8Text.length(ofScalarStartingWith: byte)
      if byte < 0x80 ? UTF8Text.isASCIIWhitespace(byte) : isWideSpace(UTF8Text.scalar(in: bytes, at: index).scalar.value) {
        pendingSpace = true
      } else {
        if pendingSpace && !out.isEmpty { out.append(0x20) }
        pendingSpace = false
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
      }
      index += length
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// True when no white space needs collapsing: single spaces between words only, and no
  /// white space outside ASCII.
  private static func isCollapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var previous: UInt8 = 0x20
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x09...0x0D: return false
      case 0x20 where previous == 0x20: return false
      // The lead bytes of the wide spaces: look at the whole scalar.
      case 0xC2, 0xE1, 0xE2, 0xE3:
        if isWideSpace(UTF8Text.scalar(in: bytes, at: index).scalar.value) { return false }
      default: break
      }
      previous = byte
      index += 1
    }
    return previous != 0x20 || bytes.isEmpty
  }

  /// White space outside ASCII: NEL, no-break space, and the spaces of U+2000 and up.
  private static func isWideSpace(_ value: UInt32) -> Bool {
    switch value {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }
}

/// How `TextNormalizer.key` folds a scalar outside ASCII: dropped as a combining mark, or
/// the letters and digits it folds to (é → e, ß → ss), none meaning it breaks a word.
enum KeyFold: Sendable {
  case mark
  case letters([UInt8])

  static func of(_ scalar: Unicode.Scalar) -> KeyFold {
    let value = Int(scalar.value)
    if value < latin.count { return latin[value] }
    return folding(scalar)
  }

  /// The scalars below U+0300, folded once: Foundation's folding is slow and Latin letters
  /// with accents are common.
  private static let latin: [KeyFold] = (0..<0x300).map { folding(Unicode.Scalar(UInt32($0))!) }

  private static func folding(_ scalar: Unicode.Scalar) -> KeyFold {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
    default: break
    }
    let folded = String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    var letters: [UInt8] = []
    for piece in folded.unicodeScalars where piece.properties.isAlphabetic || piece.properties.numericType != nil {
      letters.append(contentsOf: String(piece).utf8)
    }
    return .letters(letters)
  }
}

extension TextNormalizer {
  /// The same folding as `key`, also saying where each folded byte came from: the range of
  /// unicode scalars (offsets in `text.unicodeScalars`) it stands for, so that a match in
  /// folded text can be marked in the original. Accents that were dropped belong to the
  /// letter before them. Slow; for the few lines on screen.
  public static func keyWithOrigins(_ text: String) -> (key: [UInt8], origins: [Range<Int>]) {
    var out: [UInt8] = []
    var origins: [Range<Int>] = []
    var pendingSpace = false
    var spaceOrigin = 0
    func emit(_ bytes: some Sequence<UInt8>, from start: Int, to end: Int) {
      if pendingSpace && !out.isEmpty {
        out.append(0x20)
        origins.append(spaceOrigin..<start)
      }
      pendingSpace = false
      for byte in bytes {
        out.append(byte)
        origins.append(start..<end)
      }
    }
    func skip(_ offset: Int) {
      if !pendingSpace { spaceOrigin = offset }
      pendingSpace = true
    }
    var offset = 0
    for scalar in text.unicodeScalars {
      defer { offset += 1 }
      let value = scalar.value
      if value < 0x80 {
        switch value {
        case 0x30...0x39, 0x61...0x7A: emit(CollectionOfOne(UInt8(value)), from: offset, to: offset + 1)
        case 0x41...0x5A: emit(CollectionOfOne(UInt8(value + 0x20)), from: offset, to: offset + 1)
        default: skip(offset)
        }
        continue
      }
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark:
        // Stretch the letter before over its accent.
        if !pendingSpace, let last = origins.last, last.upperBound == offset {
          var index = origins.count - 1
          while index >= 0, origins[index] == last {
            origins[index] = last.lowerBound..<(offset + 1)
            index -= 1
          }
        }
        continue
      default: break
      }
      let folded = String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
      var kept = false
      for piece in folded.unicodeScalars where piece.properties.isAlphabetic || piece.properties.numericType != nil {
        emit(String(piece).utf8, from: offset, to: offset + 1)
        kept = true
      }
      if !kept { skip(offset) }
    }
    return (out, origins)
  }

  /// Where the folded needles occur in `text`, as ranges of unicode scalar offsets,
  /// sorted and merged.
  public static func matchRanges(of needles: [String], in text: String) -> [Range<Int>] {
    guard !needles.isEmpty, !text.isEmpty else { return [] }
    let (key, origins) = keyWithOrigins(text)
    var ranges: [Range<Int>] = []
    for needle in needles {
      let bytes = Array(needle.utf8)
      guard !bytes.isEmpty, bytes.count <= key.count else { continue }
      var start = 0
      while start + bytes.count <= key.count {
        if key[start] == bytes[0] && key[start..<(start + bytes.count)].elementsEqual(bytes) {
          ranges.append(origins[start].lowerBound..<origins[start + bytes.count - 1].upperBound)
          start += bytes.count
        } else {
          start += 1
        }
      }
    }
    ranges.sort { $0.lowerBound < $1.lowerBound }
    var merged: [Range<Int>] = []
    for range in ranges {
      if let last = merged.last, range.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    return merged
  }
}
