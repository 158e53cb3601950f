import Foundation

/// TeX as it appears in bibliographies, turned into the Unicode it stands for:
/// `{\"o}` → ö, `\'{e}` → é, `{\ss}` → ß, `\&` → &, `--` → –. Protective braces are
/// removed; math (`$…$`) is kept as written, which reads well enough; commands quire does
/// not know are kept as written too, so nothing silently disappears.
public enum TeXText {
  public static func toUnicode(_ text: String) -> String {
    UTF8Text.withBytes(of: text) { bytes in
      guard bytes.contains(where: isSpecial) else { return TextNormalizer.collapseWhitespace(text) }
      var converter = Converter(bytes: bytes)
      converter.run(until: nil)
      return converter.out.withUnsafeBufferPointer { out in
        // Foundation's normalisation is costly and only needed where an accent command put
        // a mark after its letter, or the text brought marks or rarer scripts of its own.
        guard UTF8Text.isComposed(out) else {
          return TextNormalizer.collapseWhitespace(String(decoding: out, as: UTF8.self).precomposedStringWithCanonicalMapping)
        }
        return TextNormalizer.collapseWhitespace(utf8: out)
      }
    }
  }

  /// The bytes that make text TeX rather than plain: `\{}~-$`'`.
  @inline(__always)
  static func isSpecial(_ byte: UInt8) -> Bool {
    // One bit per special byte: $ ' - below 0x40, \ ` { } ~ from 0x40 to 0x7F.
    let low: UInt64 = 1 << 0x24 | 1 << 0x27 | 1 << 0x2D
    let high: UInt64 = 1 << (0x5C - 0x40) | 1 << (0x60 - 0x40) | 1 << (0x7B - 0x40) | 1 << (0x7D - 0x40) | 1 << (0x7E - 0x40)
    if byte < 0x40 { return low >> UInt64(byte) & 1 != 0 }
    if byte < 0x80 { return high >> UInt64(byte - 0x40) & 1 != 0 }
    return false
  }

  /// Accent commands and the combining marks they put on the next letter.
  static let accents: [String: Unicode.Scalar] = [
    "'": "\u{301}", "`": "\u{300}", "^": "\u{302}", "\"": "\u{308}", "~": "\u{303}", "=": "\u{304}",
    ".": "\u{307}", "u": "\u{306}", "v": "\u{30C}", "H": "\u{30B}", "c": "\u{327}", "k": "\u{328}",
    "r": "\u{30A}", "d": "\u{323}", "b": "\u{331}",
  ]

  /// Commands that stand for a letter or sign.
  static let symbols: [String: String] = [
    "ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "copyright": "©", "textregistered": "®", "texttrademark": "™", "dag": "†", "S": "§", "P": "¶",
    "pounds": "£", "euro": "€", "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…",
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "textbackslash": "\\", "textasciitilde": "~",
    "textasciicircum": "^", "textunderscore": "_",
  ]

  /// Commands whose argument is the text: the command goes, the text stays.
  static let textCommands: Set<String> = [
    "emph", "textit", "textbf", "textsc", "texttt", "textrm", "textsf", "textup", "textmd", "textsl",
    "mbox", "text", "mathrm", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase", "url", "href",
    "NoCaseChange", "bf", "it", "em", "sc", "rm", "tt",
  ]

  /// Turns TeX into text a byte at a time, writing UTF-8 to `out`. Every TeX special is
  /// ASCII, so bytes of other scalars are copied through untouched.
  struct Converter {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var out: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
      self.bytes = bytes
      out.reserveCapacity(bytes.count)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Converts up to `close` (consumed) or the end.
    mutating func run(until close: UInt8?) {
      while position < bytes.count {
        // Plain text up to the next special byte goes through in one copy.
        let plainStart = position
        while position < bytes.count, !TeXText.isSpecial(bytes[position]) { position += 1 }
        if position > plainStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<position])) }
        guard let byte = current else { return }
        if let close, byte == close {
          position += 1
          return
        }
        position += 1
        switch byte {
        case Byte.openBrace:
          run(until: Byte.closeBrace)
        case Byte.closeBrace:
          break  // a stray closing brace: dropped
        case Byte.dollar:
          // Math is kept as written, dollars included.
          out.append(Byte.dollar)
          while let next = current, next != Byte.dollar {
            out.append(next)
            position += 1
          }
          if current == Byte.dollar {
            out.append(Byte.dollar)
            position += 1
          }
        case Byte.backslash:
          command()
        case Byte.tilde:
          out.append(Byte.space)
        case Byte.hyphen:
          if current == Byte.hyphen {
            position += 1
            if current == Byte.hyphen {
              position += 1
              append("—")
            } else {
              append("–")
            }
          } else {
            out.append(Byte.hyphen)
          }
        case Byte.backquote where current == Byte.backquote:
          position += 1
          append("“")
        case Byte.apostrophe where current == Byte.apostrophe:
          position += 1
          append("”")
        default:
          out.append(byte)
        }
      }
    }

    mutating func append(_ text: String) { out.append(contentsOf: text.utf8) }

    /// After a backslash: an accent, a symbol, an escaped character, a text command, or
    /// an unknown command kept as written.
    mutating func command() {
      guard position < bytes.count else { return append("\\") }
      let (first, length) = UTF8Text.scalar(in: bytes, at: position)
      position += length
      if !first.properties.isAlphabetic {
        // Looked up as a string, as the tables are: a scalar canonically equivalent to an
        // accent's (U+1FEF is one for "`") is that accent.
        if let mark = TeXText.accents[String(first)] { return accent(mark) }
        switch first {
        case "&", "%", "$", "#", "_", "{", "}": out.append(UInt8(first.value))
        case "\\", " ", ",", ";", ":", "!", "/": out.append(Byte.space)
        case "-": break  // a hyphenation hint
        default:
          out.append(Byte.backslash)
          out.append(contentsOf: bytes[(position - length)..<position])
        }
        return
      }
      let nameStart = position - length
      while let next = current, (0x41...0x5A).contains(next) || (0x61...0x7A).contains(next) { position += 1 }
      let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<position]), as: UTF8.self)
      if let mark = TeXText.accents[name], name.count == 1 {
        skipSpaces()
        return accent(mark)
      }
      if let symbol = TeXText.symbols[name] {
        // "\ss{}" and "\o " end the command; the space or empty group is not text.
        if current == Byte.openBrace, position + 1 < bytes.count, bytes[position + 1] == Byte.closeBrace {
          position += 2
        } else if current == Byte.space {
          position += 1
        }
        return append(symbol)
      }
      if TeXText.textCommands.contains(name) {
        skipSpaces()
        guard current == Byte.openBrace else { return }  // a declaration such as \bf: its effect is styling only
        position += 1
        if name == "href" {
          // The address; the text that follows is what reads.
          let kept = out.count
          run(until: Byte.closeBrace)
          out.removeSubrange(kept...)
          skipSpaces()
          guard current == Byte.openBrace else { return }
          position += 1
        }
        return run(until: Byte.closeBrace)
      }
      // Unknown: kept as written, its argument in braces too (\cite{Gregor10}).
      out.append(Byte.backslash)
      out.append(contentsOf: bytes[nameStart..<position])
      if current == Byte.openBrace {
        position += 1
        out.append(Byte.openBrace)
        run(until: Byte.closeBrace)
        out.append(Byte.closeBrace)
      }
    }

    /// The next letter (bare, in braces, or a dotless i) with a combining mark after it.
    mutating func accent(_ mark: Unicode.Scalar) {
      let start = out.count
      if current == Byte.openBrace {
        position += 1
        run(until: Byte.closeBrace)
      } else if current == Byte.backslash {
        position += 1
        command()
      } else if position < bytes.count {
        let length = UTF8Text.scalar(in: bytes, at: position).length
        out.append(contentsOf: bytes[position..<(position + length)])
        position += length
      }
      // Accents go on i and j, not on their dotless forms.
      if out[start...].elementsEqual("ı".utf8) {
        out.replaceSubrange(start..., with: CollectionOfOne(UInt8(ascii: "i")))
      } else if out[start...].elementsEqual("ȷ".utf8) {
        out.replaceSubrange(start..., with: CollectionOfOne(UInt8(ascii: "j")))
      }
      let markBytes = UTF8.encode(mark)!
      guard start < out.count else { return out.append(contentsOf: markBytes) }
      let afterLetter = start + UTF8Text.length(ofScalarStartingWith: out[start])
      out.insert(contentsOf: markBytes, at: afterLetter)
    }

    mutating func skipSpaces() {
      while current == Byte.space { position += 1 }
    }
  }

  /// The ASCII bytes TeX gives a meaning to.
  enum Byte {
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let tilde = UInt8(ascii: "~")
    static let hyphen = UInt8(ascii: "-")
    static let dollar = UInt8(ascii: "$")
    static let backquote = UInt8(ascii: "`")
    static let apostrophe = UInt8(ascii: "'")
    static let space = UInt8(ascii: " ")
  }
}
