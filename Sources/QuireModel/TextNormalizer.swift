import Foundation

/// Text normalisation shared by the parsers and the library. These run over every
/// abstract at start-up, so they work on UTF-8 bytes and ASCII never leaves the fast path.
public enum TextNormalizer {
  /// A comparison key: case and accents folded, punctuation dropped, words single-spaced.
  /// Two listings whose abstracts differ only by a final period get the same key.
  public static func key(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    func emit(_ byte: UInt8) {
      if pendingSpace && !out.isEmpty { out.append(0x20) }
      pendingSpace = false
      out.append(byte)
    }
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x80 {
        switch value {
        case 0x30...0x39, 0x61...0x7A: emit(UInt8(value))
        case 0x41...0x5A: emit(UInt8(value + 0x20))
        default: pendingSpace = true
        }
        continue
      }
      // A combining accent belongs to the letter before it: drop it, keep the word whole.
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark: continue
      default: break
      }
      // Rare: fold this one character (é → e, Å → a, ß → ss) and keep letters and digits.
      let folded = String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
      var kept = false
      for piece in folded.unicodeScalars where piece.properties.isAlphabetic || piece.properties.numericType != nil {
        if pendingSpace && !out.isEmpty { out.append(0x20) }
        pendingSpace = false
        out.append(contentsOf: String(piece).utf8)
        kept = true
      }
      if !kept { pendingSpace = true }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Collapses runs of white space (including line breaks) into single spaces and trims.
  /// Returns the text itself when there is nothing to collapse, the usual case.
  public static func collapseWhitespace(_ text: String) -> String {
    if isCollapsed(text) { return text }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x80 ? (value == 0x20 || (0x09...0x0D).contains(value)) : isWideSpace(value) {
        pendingSpace = true
        continue
      }
      if pendingSpace && !out.isEmpty { out.append(0x20) }
      pendingSpace = false
      if value < 0x80 {
        out.append(UInt8(value))
      } else {
        out.append(contentsOf: UTF8.encode(scalar)!)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// True when no white space needs collapsing: single spaces between words only, and no
  /// byte that could start a non-ASCII space.
  private static func isCollapsed(_ text: String) -> Bool {
    var previous: UInt8 = 0x20
    for byte in text.utf8 {
      switch byte {
      case 0x09...0x0D, 0xC2, 0xE1, 0xE2, 0xE3: return false
      case 0x20 where previous == 0x20: return false
      default: previous = byte
      }
    }
    return previous != 0x20 || text.isEmpty
  }

  /// White space outside ASCII: NEL, no-break space, and the spaces of U+2000 and up.
  private static func isWideSpace(_ value: UInt32) -> Bool {
    switch value {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }
}
