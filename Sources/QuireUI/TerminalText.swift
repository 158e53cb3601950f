/// How text meets the terminal: every character is made safe to print and measured in
/// columns exactly as curses measures it (glibc's `wcwidth`, one code point at a time).
/// Text from files is untrusted, so this is the only way text reaches a grid.
public enum TerminalText {
  /// One cell's worth of text: a printable base and up to four combining marks, and the
  /// columns it takes (1 or 2).
  public struct Glyph: Equatable, Sendable {
    public var text: String
    public var width: Int
  }

  /// The glyphs of a text, in order. Control characters (C0, DEL, C1), escape sequences
  /// and bidirectional overrides become visible placeholders; characters that take no
  /// column attach to the glyph before them, or are dropped when they would change how a
  /// terminal measures it (variation selectors, joiners).
  public static func glyphs<S: StringProtocol>(_ text: S) -> GlyphSequence<S.UnicodeScalarView> {
    GlyphSequence(scalars: text.unicodeScalars)
  }

  public struct GlyphSequence<Scalars: Sequence<Unicode.Scalar>>: Sequence {
    let scalars: Scalars

    public func makeIterator() -> Iterator { Iterator(scalars: scalars.makeIterator()) }

    public struct Iterator: IteratorProtocol {
      var scalars: Scalars.Iterator
      var lookahead: Unicode.Scalar?

      init(scalars: Scalars.Iterator) { self.scalars = scalars }

      public mutating func next() -> Glyph? {
        while let scalar = lookahead ?? scalars.next() {
          lookahead = nil
          var glyph: Glyph
          if let placeholder = TerminalText.placeholder(for: scalar) {
            return Glyph(text: placeholder, width: 1)  // marks after a placeholder go alone
          }
          switch TerminalText.columns(of: scalar) {
          case 0:
            guard TerminalText.isCombiningMark(scalar) else { continue }  // invisible: drop
            glyph = Glyph(text: "\u{25CC}" + String(scalar), width: 1)  // a mark with no base
          case -1:
            return Glyph(text: "\u{FFFD}", width: 1)
          case let width:
            glyph = Glyph(text: String(scalar), width: width)
          }
          // Attach the combining marks that follow (curses keeps up to five per cell).
          var marks = 0
          while let next = scalars.next() {
            if TerminalText.placeholder(for: next) == nil, TerminalText.columns(of: next) == 0 {
              if TerminalText.isCombiningMark(next), marks < 4 {
                glyph.text.unicodeScalars.append(next)
                marks += 1
              }
              continue
            }
            lookahead = next
            break
          }
          return glyph
        }
        return nil
      }
    }
  }

  /// The first glyph of a character, for single-key labels.
  public static func glyph(for character: Character) -> Glyph? {
    var iterator = glyphs(String(character)).makeIterator()
    return iterator.next()
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

  /// A mark drawn on the character before it. Variation selectors are not: a terminal
  /// may widen an emoji for one, and curses would not know.
  static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0xFE00...0xFE0F, 0xE0100...0xE01EF: return false
    default: break
    }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .spacingMark: return true
    default: return false
    }
  }

  /// Columns a code point takes, as glibc's `wcwidth` says under a UTF-8 locale: 0, 1, 2,
  /// or -1 for non-printable.
  public static func columns(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x300 { return value < 0x20 || (0x7F...0x9F).contains(value) ? -1 : 1 }
    if contains(WidthTable.zeroWidth, value) { return 0 }
    if contains(WidthTable.doubleWidth, value) { return 2 }
    if contains(WidthTable.nonPrintable, value) { return -1 }
    return 1
  }

  private static func contains(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
    var low = 0
    var high = ranges.count
    while low < high {
      let mid = (low + high) / 2
      if ranges[mid].upperBound < value {
        low = mid + 1
      } else {
        high = mid
      }
    }
    return low < ranges.count && ranges[low].contains(value)
  }

  /// Columns a whole string takes once made safe to draw.
  public static func width<S: StringProtocol>(_ text: S) -> Int {
    // Printable ASCII, most of what a list row holds, is one column a byte.
    if isPrintableASCII(text) { return text.utf8.count }
    var total = 0
    for glyph in glyphs(text) { total += glyph.width }
    return total
  }

  /// `min(width(text), limit)`, measuring no further than the limit: for text that may be
  /// a megabyte long (a pasted abstract, a hostile tag) when only a few columns matter.
  public static func width<S: StringProtocol>(_ text: S, upTo limit: Int) -> Int {
    guard limit > 0 else { return 0 }
    let utf8 = text.utf8
    // A printable ASCII prefix of `limit` bytes is already `limit` columns.
    var ascii = 0
    for byte in utf8 {
      guard byte >= 0x20 && byte < 0x7F else { break }
      ascii += 1
      if ascii == limit { return limit }
    }
    if ascii == utf8.count { return ascii }
    var total = 0
    for glyph in glyphs(text) {
      total += glyph.width
      if total >= limit { return limit }
    }
    return total
  }

  /// Whether every byte is printable ASCII (space to tilde): such text needs no cleaning,
  /// and each byte takes one column.
  static func isPrintableASCII<S: StringProtocol>(_ text: S) -> Bool {
    text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  /// The string, made safe, cut to at most `width` columns and ending in "…" when cut.
  public static func truncate(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    if isPrintableASCII(text) {
      let count = text.utf8.count
      return count <= width ? text : String(text.utf8.prefix(width - 1))! + "…"
    }
    var out = ""
    var used = 0
    var cutAt: (text: String, used: Int)?  // where to cut if the rest does not fit
    for glyph in glyphs(text) {
      if used + glyph.width > width - 1, cutAt == nil { cutAt = (out, used) }
      if used + glyph.width > width { return (cutAt?.text ?? out) + "…" }
      out += glyph.text
      used += glyph.width
    }
    return out
  }

  /// Text made safe for a terminal that is not under curses (messages on stderr).
  public static func sanitized(_ text: String) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if !out.isEmpty { out += "\n" }
      for glyph in glyphs(line) { out += glyph.text }
    }
    return out
  }

  /// Breaks text into lines of at most `width` columns at spaces; a word longer than a
  /// line is broken inside. Line breaks in the text start new lines. Linear in the text.
  ///
  /// Lines come from the glyphs of the text (so they are as safe as `glyphs` makes them);
  /// runs of ASCII, most of any abstract, are taken a run at a time rather than a glyph at
  /// a time, which gives the same lines: each such byte is a glyph of its own unless a
  /// combining mark follows it, and that byte goes the glyph way.
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var wrapper = Wrapper(width: width)
    var text = text
    text.withUTF8 { bytes in
      var start = 0
      while true {
        // Paragraphs end at "\n"; a "\r" before it belongs to the break ("\r\n").
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        let paragraphEnd = end > start && end < bytes.count && bytes[end - 1] == 0x0D ? end - 1 : end
        wrapper.paragraph(UnsafeBufferPointer(rebasing: bytes[start..<paragraphEnd]))
        guard end < bytes.count else { break }
        start = end + 1
      }
    }
    return wrapper.lines
  }

  /// The state of `wrap`: the lines made, the line being filled and the word being read.
  struct Wrapper {
    let width: Int
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    var word = ""
    var wordWidth = 0

    init(width: Int) { self.width = width }

    mutating func paragraph(_ bytes: UnsafeBufferPointer<UInt8>) {
      var index = 0
      while index < bytes.count {
        // A run of ASCII. A printable byte is a glyph of one column, a control one a
        // placeholder (which never takes marks), but a printable byte followed by what is not
        // ASCII goes the glyph way: a combining mark would join it.
        var end = index
        while end < bytes.count, bytes[end] < 0x80 { end += 1 }
        if end < bytes.count, end > index, bytes[end - 1] >= 0x20, bytes[end - 1] < 0x7F { end -= 1 }
        var runStart = index
        for position in index..<end {
          let byte = bytes[position]
          if byte > 0x20 && byte < 0x7F { continue }
          addASCII(UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
          if byte == 0x20 || byte == 0x09 {
            placeWord()  // a tab's placeholder is a space
          } else {
            add(Glyph(text: TerminalText.placeholder(for: Unicode.Scalar(byte))!, width: 1))
          }
          runStart = position + 1
        }
        addASCII(UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
        guard end < bytes.count else { break }
        // The rest, up to the next ASCII byte (always the start of a glyph), glyph by glyph.
        var next = end + 1
        while next < bytes.count, bytes[next] >= 0x80 { next += 1 }
        for glyph in TerminalText.glyphs(String(decoding: UnsafeBufferPointer(rebasing: bytes[end..<next]), as: UTF8.self)) {
          add(glyph)
        }
        index = next
      }
      placeWord()
      lines.append(line)
      line = ""
      lineWidth = 0
    }

    /// Printable ASCII without spaces: part of a word, one column a byte.
    mutating func addASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
      var rest = bytes
      while !rest.isEmpty {
        if wordWidth + 1 > width { breakWord() }
        let taken = min(rest.count, width - wordWidth)
        word += String(decoding: UnsafeBufferPointer(rebasing: rest[0..<taken]), as: UTF8.self)
        wordWidth += taken
        rest = UnsafeBufferPointer(rebasing: rest[taken...])
      }
    }

    mutating func add(_ glyph: Glyph) {
      if glyph.text == " " {
        placeWord()
        return
      }
      if wordWidth + glyph.width > width { breakWord() }
      word += glyph.text
      wordWidth += glyph.width
    }

    /// A word longer than a line: what is gathered fills a line of its own.
    mutating func breakWord() {
      if lineWidth > 0 { lines.append(line) }
      lines.append(word)
      line = ""
      lineWidth = 0
      word = ""
      wordWidth = 0
    }

    mutating func placeWord() {
      guard !word.isEmpty else { return }
      if lineWidth == 0 {
        line = word
        lineWidth = wordWidth
      } else if lineWidth + 1 + wordWidth <= width {
        line += " " + word
        lineWidth += 1 + wordWidth
      } else {
        lines.append(line)
        line = word
        lineWidth = wordWidth
      }
      word = ""
      wordWidth = 0
    }
  }
}
