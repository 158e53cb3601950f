/// How text meets the terminal: every character is made safe to print and measured in
/// columns. Text from files is untrusted, so this is the only way text reaches a grid.
public enum TerminalText {
  /// One printable cell's worth of text: what to draw and how many columns it takes.
  public struct Glyph: Equatable, Sendable {
    public var text: String
    public var width: Int
  }

  /// Turns a character into something safe to draw. Control characters (C0, DEL, C1),
  /// escape sequences and bidirectional overrides become visible placeholders; a
  /// character that takes no column on its own (a lone zero-width space) is dropped.
  public static func glyph(for character: Character) -> Glyph? {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return nil }
    if let placeholder = placeholder(for: first) { return Glyph(text: placeholder, width: 1) }
    let width = columns(of: first)
    if width == 0 {
      // A combining mark with nothing to combine with: show it on a dotted circle.
      if first.properties.generalCategory == .nonspacingMark
        || first.properties.generalCategory == .enclosingMark
      {
        return Glyph(text: "\u{25CC}" + String(String.UnicodeScalarView(scalars.prefix(5))), width: 1)
      }
      return nil
    }
    // Keep the base and its combining marks (curses holds up to five per cell); drop
    // joiners and anything a terminal might draw at a width different from ours.
    var kept = String.UnicodeScalarView()
    kept.append(first)
    for scalar in scalars.dropFirst() where kept.count < 5 {
      let category = scalar.properties.generalCategory
      if category == .nonspacingMark || category == .enclosingMark { kept.append(scalar) }
    }
    // Width comes from the base alone, as wcwidth() sees it, so that our columns and the
    // terminal's agree; a variation selector that would widen it is not sent.
    return Glyph(text: String(kept), width: width)
  }

  /// Visible stand-ins for characters that must never reach the terminal as they are.
  static func placeholder(for scalar: Unicode.Scalar) -> String? {
    let value = scalar.value
    switch value {
    case 0x09: return " "
    case 0x00..<0x20: return String(Unicode.Scalar(0x2400 + value)!)  // ␀ … ␟, ␛ for ESC
    case 0x7F: return "\u{2421}"  // ␡
    case 0x80...0x9F: return "\u{FFFD}"
    // Bidirectional embeddings, overrides and isolates can reorder what follows them.
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return "\u{FFFD}"
    case 0xFFF9...0xFFFB: return "\u{FFFD}"
    default: return nil
    }
  }

  /// Columns a scalar takes in a terminal: 0 for marks and format characters, 2 for East
  /// Asian wide and full-width characters and emoji, 1 otherwise.
  public static func columns(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x300 { return value < 0x20 || (0x7F..<0xA0).contains(value) ? 0 : 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if (0x1160...0x11FF).contains(value) { return 0 }  // Hangul medial vowels and finals
    if scalar.properties.isEmojiPresentation { return 2 }
    for range in wideRanges where range.contains(value) { return 2 }
    return 1
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges, outside the emoji handled above.
  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
    0x17000...0x18AFF, 0x1B000...0x1B16F, 0x1F200...0x1F202, 0x1F210...0x1F23B,
    0x1F240...0x1F248, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]

  /// Columns a whole string takes once made safe to draw.
  public static func width<S: StringProtocol>(_ text: S) -> Int {
    var total = 0
    for character in text {
      if let glyph = glyph(for: character) { total += glyph.width }
    }
    return total
  }

  /// The string cut to at most `width` columns, ending in "…" when anything was cut.
  public static func truncate(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    if self.width(text) <= width { return text }
    var out = ""
    var used = 0
    for character in text {
      guard let glyph = glyph(for: character) else { continue }
      if used + glyph.width > width - 1 { break }
      out.append(character)
      used += glyph.width
    }
    return out + "…"
  }

  /// Breaks text into lines of at most `width` columns at spaces; a word longer than a
  /// line is broken inside. Line breaks in the text start new lines.
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var lineWidth = 0
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
        var piece = String(word)
        var pieceWidth = self.width(piece)
        if lineWidth > 0 && lineWidth + 1 + pieceWidth <= width {
          line += " " + piece
          lineWidth += 1 + pieceWidth
          continue
        }
        if lineWidth > 0 {
          lines.append(line)
          line = ""
          lineWidth = 0
        }
        while pieceWidth > width {
          var head = ""
          var headWidth = 0
          var rest = Substring(piece)
          while let character = rest.first {
            let w = glyph(for: character)?.width ?? 0
            if headWidth + w > width { break }
            head.append(character)
            headWidth += w
            rest = rest.dropFirst()
          }
          if head.isEmpty { break }
          lines.append(head)
          piece = String(rest)
          pieceWidth = self.width(piece)
        }
        line = piece
        lineWidth = pieceWidth
      }
      lines.append(line)
    }
    return lines
  }
}
