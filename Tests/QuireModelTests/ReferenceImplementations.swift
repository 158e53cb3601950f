import Foundation

@testable import QuireModel

// The implementations the byte-level ones replaced, kept to compare against: the import
// must read every text exactly as it did.

enum ReferenceText {
  static func collapseWhitespace(_ text: String) -> String {
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
  static func isCollapsed(_ text: String) -> Bool {
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
  static func isWideSpace(_ value: UInt32) -> Bool {
    switch value {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }
}

enum ReferenceExport {
  static func jsonLine(_ paper: Paper, state: PaperState?) -> String {
    let s = StateStore.jsonString
    var fields: [String] = []
    fields.append("\"id\":\(s(paper.id.rawValue))")
    let shown = state.map { paper.titled(by: $0) } ?? paper
    fields.append("\"title\":\(s(shown.displayTitle))")
    fields.append("\"untitled\":\(shown.hasTitle ? "false" : "true")")
    fields.append("\"authors\":[\(paper.authors.map(s).joined(separator: ","))]")
    fields.append("\"year\":\(paper.year.map(String.init) ?? "null")")
    fields.append("\"venue\":\(paper.venue.map(s) ?? "null")")
    fields.append("\"published\":\(paper.published.map { s($0.iso) } ?? "null")")
    if let added = paper.added { fields.append("\"added\":\(s(Timestamp.iso(added)))") }
    let links = paper.links.map { link in
      "{\"label\":\(s(link.label)),\"url\":\(link.url.map(s) ?? "null")}"
    }
    fields.append("\"links\":[\(links.joined(separator: ","))]")
    if let state {
      fields.append("\"status\":\(s(state.status.rawValue))")
      fields.append("\"tags\":[\(state.tags.map(s).joined(separator: ","))]")
      if let note = state.note { fields.append("\"note\":\(s(note))") }
      if state.title != nil { fields.append("\"listedTitle\":\(paper.hasTitle ? s(paper.title!) : "null")") }
      if state.status == .read, let readAt = state.readAt { fields.append("\"read\":\(s(Timestamp.iso(readAt)))") }
    }
    fields.append("\"doi\":\(paper.doi.map(s) ?? "null")")
    fields.append("\"arxiv\":\(paper.arxiv.map(s) ?? "null")")
    fields.append("\"categories\":[\(paper.categories.map(s).joined(separator: ","))]")
    if let version = paper.arxivVersion { fields.append("\"arxivVersion\":\(version)") }
    if !paper.extra.isEmpty {
      let pairs = paper.extra.keys.sorted().map { "\(s($0)):\(s(paper.extra[$0]!))" }
      fields.append("\"extra\":{\(pairs.joined(separator: ","))}")
    }
    if let updated = paper.updated { fields.append("\"updated\":\(s(updated.iso))") }
    fields.append("\"abstract\":\(paper.abstract.map(s) ?? "null")")
    let alternates = paper.alternates.map { other in
      "{\"line\":\(other.source.line),\"year\":\(other.year.map(String.init) ?? "null"),"
        + "\"venue\":\(other.venue.map(s) ?? "null"),\"authors\":[\(other.authors.map(s).joined(separator: ","))]}"
    }
    fields.append("\"alsoListed\":[\(alternates.joined(separator: ","))]")
    return "{" + fields.joined(separator: ",") + "}"
  }
}

enum ReferenceBibTeX {
  static func names(_ field: String) -> [String] {
    var names: [String] = []
    var current = ""
    var depth = 0
    let words = field.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
    for word in words {
      for character in word {
        if character == "{" { depth += 1 }
        if character == "}" { depth -= 1 }
      }
      if depth == 0, word.lowercased() == "and" {
        names.append(current)
        current = ""
        continue
      }
      current += current.isEmpty ? String(word) : " " + word
    }
    names.append(current)
    return names.compactMap { raw in
      let name = raw.trimmingSpaces()
      if name.isEmpty || name == "others" { return nil }
      // "Last, First" or "Last, Jr., First", with commas outside braces.
      var parts: [String] = []
      var piece = ""
      var level = 0
      for character in name {
        if character == "{" { level += 1 }
        if character == "}" { level -= 1 }
        if character == ",", level == 0 {
          parts.append(piece)
          piece = ""
        } else {
          piece.append(character)
        }
      }
      parts.append(piece)
      let ordered: String
      switch parts.count {
      case 2: ordered = parts[1] + " " + parts[0]
      case 3: ordered = parts[2] + " " + parts[0] + ", " + parts[1]
      default: ordered = String(name)
      }
      let converted = ReferenceTeXText.toUnicode(ordered)
      return converted.isEmpty ? nil : converted
    }
  }
  static func year(_ year: String) -> Int? {
    Int(year.unicodeScalars.prefix { $0.properties.numericType != nil }.map(String.init).joined())
  }
}


/// TeX as it appears in bibliographies, turned into the Unicode it stands for:
/// `{\"o}` → ö, `\'{e}` → é, `{\ss}` → ß, `\&` → &, `--` → –. Protective braces are
/// removed; math (`$…$`) is kept as written, which reads well enough; commands quire does
/// not know are kept as written too, so nothing silently disappears.
enum ReferenceTeXText {
  static func toUnicode(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { "\\{}~-$`'".unicodeScalars.contains($0) }) else {
      return ReferenceText.collapseWhitespace(text)
    }
    var converter = Converter(scalars: Array(text.unicodeScalars))
    let out = converter.run(until: nil)
    return ReferenceText.collapseWhitespace(out.precomposedStringWithCanonicalMapping)
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
        if let mark = ReferenceTeXText.accents[String(first)] { return accent(mark) }
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
      if let mark = ReferenceTeXText.accents[name], name.count == 1 {
        skipSpaces()
        return accent(mark)
      }
      if let symbol = ReferenceTeXText.symbols[name] {
        // "\ss{}" and "\o " end the command; the space or empty group is not text.
        if current == "{", position + 1 < scalars.count, scalars[position + 1] == "}" {
          position += 2
        } else if current == " " {
          position += 1
        }
        return symbol
      }
      if ReferenceTeXText.textCommands.contains(name) {
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
