import Foundation

/// TeX as it appears in bibliographies, turned into the Unicode it stands for:
/// `{\"o}` → ö, `\'{e}` → é, `{\ss}` → ß, `\&` → &, `--` → –. Protective braces are
/// removed; math (`$…$`) is kept as written, which reads well enough; commands quire does
/// not know are kept as written too, so nothing silently disappears.
public enum TeXText {
  public static func toUnicode(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { "\\{}~-$`'".unicodeScalars.contains($0) }) else {
      return TextNormalizer.collapseWhitespace(text)
    }
    var converter = Converter(scalars: Array(text.unicodeScalars))
    let out = converter.run(until: nil)
    return TextNormalizer.collapseWhitespace(out.precomposedStringWithCanonicalMapping)
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

  struct Converter {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func run(until close: Unicode.Scalar?) -> String {
      var out = String.UnicodeScalarView()
      while let scalar = current {
        if let close, scalar == close {
          position += 1
          return String(out)
        }
        position += 1
        switch scalar {
        case "{":
          out.append(contentsOf: run(until: "}").unicodeScalars)
        case "}":
          break  // a stray closing brace: dropped
        case "$":
          // Math is kept as written, dollars included.
          out.append("$")
          while let next = current, next != "$" {
            out.append(next)
            position += 1
          }
          if current == "$" {
            out.append("$")
            position += 1
          }
        case "\\":
          out.append(contentsOf: command().unicodeScalars)
        case "~":
          out.append(" ")
        case "-":
          if current == "-" {
            position += 1
            if current == "-" {
              position += 1
              out.append("—")
            } else {
              out.append("–")
            }
          } else {
            out.append("-")
          }
        case "`" where current == "`":
          position += 1
          out.append("“")
        case "'" where current == "'":
          position += 1
          out.append("”")
        default:
          out.append(scalar)
        }
      }
      return String(out)
    }

    /// After a backslash: an accent, a symbol, an escaped character, a text command, or
    /// an unknown command kept as written.
    mutating func command() -> String {
      guard let first = current else { return "\\" }
      position += 1
      if !first.properties.isAlphabetic {
        if let mark = TeXText.accents[String(first)] { return accent(mark) }
        switch first {
        case "&", "%", "$", "#", "_", "{", "}": return String(first)
        case "\\", " ", ",", ";", ":", "!", "/": return " "
        case "-": return ""  // a hyphenation hint
        default: return "\\" + String(first)
        }
      }
      var name = String(first)
      while let next = current, next.properties.isAlphabetic, next.isASCII {
        name.unicodeScalars.append(next)
        position += 1
      }
      if let mark = TeXText.accents[name], name.count == 1 {
        skipSpaces()
        return accent(mark)
      }
      if let symbol = TeXText.symbols[name] {
        // "\ss{}" and "\o " end the command; the space or empty group is not text.
        if current == "{", position + 1 < scalars.count, scalars[position + 1] == "}" {
          position += 2
        } else if current == " " {
          position += 1
        }
        return symbol
      }
      if TeXText.textCommands.contains(name) {
        skipSpaces()
        if current == "{" {
          position += 1
          if name == "href" {
            _ = run(until: "}")  // the address; the text that follows is what reads
            skipSpaces()
            guard current == "{" else { return "" }
            position += 1
          }
          return run(until: "}")
        }
        return ""  // a declaration such as \bf: its effect is styling only
      }
      // Unknown: kept as written, its argument in braces too (\cite{Gregor10}).
      if current == "{" {
        position += 1
        return "\\" + name + "{" + run(until: "}") + "}"
      }
      return "\\" + name
    }

    /// The next letter (bare, in braces, or a dotless i) with a combining mark after it.
    mutating func accent(_ mark: Unicode.Scalar) -> String {
      var base: String
      if current == "{" {
        position += 1
        base = run(until: "}")
      } else if current == "\\" {
        position += 1
        base = command()
      } else if let next = current {
        position += 1
        base = String(next)
      } else {
        base = ""
      }
      // Accents go on i and j, not on their dotless forms.
      if base == "ı" { base = "i" }
      if base == "ȷ" { base = "j" }
      guard let letter = base.unicodeScalars.first else { return String(mark) }
      var out = String.UnicodeScalarView([letter])
      out.append(mark)
      out.append(contentsOf: base.unicodeScalars.dropFirst())
      return String(out)
    }

    mutating func skipSpaces() {
      while current == " " { position += 1 }
    }
  }
}
