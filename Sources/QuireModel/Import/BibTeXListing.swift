import Foundation

extension BibTeXEntry {
  /// The paper this entry describes, its TeX turned into Unicode for display.
  /// Fields that become the paper's own; every other field is kept as written.
  static let mappedFields: Set<String> = [
    "title", "author", "editor", "journal", "booktitle", "howpublished", "school", "institution", "publisher",
    "year", "abstract", "doi", "eprint", "archiveprefix", "eprinttype", "url", "quire-id", "quire-status", "keywords",
    "quire-listed-title", "quire-read",
  ]

  public func listing(file: String) -> Listing {
    var listing = Listing(source: SourceLocation(file: file, line: line))
    listing.extra["bibtex:type"] = type
    if !key.isEmpty { listing.extra["bibtex:key"] = key }
    for (name, value) in fields where !Self.mappedFields.contains(name) { listing.extra[name] = value }
    // quire's export puts the title the reader gave in "title" and the listing's own here.
    if let title = (self["quire-listed-title"] ?? self["title"]).map(TeXText.toUnicode), !title.isEmpty { listing.title = title }
    listing.authors = Self.names(self["author"] ?? self["editor"] ?? "")
    for field in ["journal", "booktitle", "howpublished", "school", "institution", "publisher"] {
      if let venue = self[field].map(TeXText.toUnicode), !venue.isEmpty {
        listing.venue = venue
        break
      }
    }
    if let year = self["year"].flatMap(Self.leadingNumber), (1000...9999).contains(year) {
      listing.year = year
    }
    if let abstract = self["abstract"].map(TeXText.toUnicode), !abstract.isEmpty { listing.abstract = abstract }
    if let doi = self["doi"]?.trimmingSpaces(), !doi.isEmpty {
      let bare = doi.replacingOccurrences(of: "https://doi.org/", with: "").replacingOccurrences(of: "http://dx.doi.org/", with: "")
      listing.links.append(PaperLink(label: "doi:\(bare)", url: "https://doi.org/\(bare)"))
    }
    if let eprint = self["eprint"]?.trimmingSpaces(), !eprint.isEmpty,
      (self["archiveprefix"] ?? self["eprinttype"] ?? "arxiv").lowercased() == "arxiv"
    {
      listing.links.append(PaperLink(label: "arXiv:\(eprint)", url: "https://arxiv.org/abs/\(eprint)"))
    }
    if let url = self["url"]?.trimmingSpaces(), !url.isEmpty, !listing.links.contains(where: { $0.url == String(url) }) {
      listing.links.append(PaperLink(label: String(url), url: String(url)))
    }
    return listing
  }

  /// The reading state quire's own export wrote: `quire-status`, tags in `keywords`, the
  /// time read in `quire-read`, and the reader's title in `title` when `quire-listed-title`
  /// holds the listing's.
  var carriedState: PaperState {
    var state = PaperState()
    if let status = self["quire-status"].flatMap({ ReadStatus(rawValue: Self.trimmingWhitespaces($0)) }) {
      state.status = status
    }
    for tag in (self["keywords"] ?? "").split(separator: ",").map({ ReadingState.normalizeTag(TeXText.toUnicode(String($0))) })
    where !tag.isEmpty && !state.tags.contains(tag) {
      state.tags.append(tag)
    }
    if self["quire-listed-title"] != nil, let given = self["title"].map(TeXText.toUnicode), !given.isEmpty {
      state.title = given
    }
    if state.status == .read, let read = self["quire-read"].flatMap({ Timestamp.parse(Self.trimmingWhitespaces($0)) }) {
      state.readAt = read
    }
    return state
  }

  /// "Hardt, Moritz and Ma, Tengyu and others" → ["Moritz Hardt", "Tengyu Ma"]. Names are
  /// split on "and" outside braces, so "{Barnes and Noble}" stays one name.
  static func names(_ field: String) -> [String] {
    if let names = UTF8Text.withBytes(of: field, SimpleNames.names) { return names }
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
      let converted = TeXText.toUnicode(ordered)
      return converted.isEmpty ? nil : converted
    }
  }
}

extension BibTeXEntry {
  /// The number a year field starts with: "2017", "2017a" → 2017; nil when it starts with
  /// no digit. Digits of any script count, as Int reads them.
  static func leadingNumber(_ text: String) -> Int? {
    let asciiDigits = UTF8Text.withBytes(of: text) { bytes -> String? in
      var end = 0
      while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
      // A scalar outside ASCII next may be a digit of another script: the general case.
      if end < bytes.count, bytes[end] >= 0x80 { return nil }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
    }
    return Int(asciiDigits ?? text.unicodeScalars.prefix { $0.properties.numericType != nil }.map(String.init).joined())
  }

  /// Foundation's trimming of `.whitespaces`, skipped when the ends are plainly not white.
  static func trimmingWhitespaces(_ text: String) -> String {
    guard let first = text.utf8.first, let last = text.utf8.last,
      first < 0x80, last < 0x80, first != 0x20, first != 0x09, last != 0x20, last != 0x09
    else {
      return text.trimmingCharacters(in: .whitespaces)
    }
    return text
  }
}

/// Author lists whose every scalar is below U+0300 and which hold no carriage return, read
/// a byte at a time. In such text each scalar is a Character of its own, so splitting the
/// bytes gives what `BibTeXEntry.names` gets from splitting Characters, much faster.
enum SimpleNames {
  static func names(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
    guard UTF8Text.isBelowCombiningMarks(bytes), !bytes.contains(UInt8(ascii: "\r")) else { return nil }
    var raw: [[UInt8]] = []
    var current: [UInt8] = []
    var depth = 0
    var index = 0
    while index < bytes.count {
      if isSeparator(bytes[index]) {
        index += 1
        continue
      }
      let start = index
      while index < bytes.count, !isSeparator(bytes[index]) {
        if bytes[index] == UInt8(ascii: "{") { depth += 1 }
        if bytes[index] == UInt8(ascii: "}") { depth -= 1 }
        index += 1
      }
      let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
      if depth == 0, isAnd(word) {
        raw.append(current)
        current = []
        continue
      }
      if !current.isEmpty { current.append(0x20) }
      current.append(contentsOf: word)
    }
    raw.append(current)
    return raw.compactMap { name in
      if name.isEmpty || name.elementsEqual("others".utf8) { return nil }
      let converted = TeXText.toUnicode(String(decoding: ordered(name), as: UTF8.self))
      return converted.isEmpty ? nil : converted
    }
  }

  static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 }

  /// "and" in any case. Outside ASCII, nothing below U+0300 lower-cases to these letters.
  static func isAnd(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    word.count == 3 && word[0] | 0x20 == UInt8(ascii: "a") && word[1] | 0x20 == UInt8(ascii: "n")
      && word[2] | 0x20 == UInt8(ascii: "d")
  }

  /// "Last, First" → "First Last"; "Last, Jr., First" → "First Last, Jr."; commas inside
  /// braces do not count.
  static func ordered(_ name: [UInt8]) -> [UInt8] {
    var parts: [ArraySlice<UInt8>] = []
    var pieceStart = 0
    var level = 0
    for (index, byte) in name.enumerated() {
      if byte == UInt8(ascii: "{") { level += 1 }
      if byte == UInt8(ascii: "}") { level -= 1 }
      if byte == UInt8(ascii: ","), level == 0 {
        parts.append(name[pieceStart..<index])
        pieceStart = index + 1
      }
    }
    parts.append(name[pieceStart...])
    switch parts.count {
    case 2: return Array(parts[1]) + [0x20] + Array(parts[0])
    case 3: return Array(parts[2]) + [0x20] + Array(parts[0]) + Array(", ".utf8) + Array(parts[1])
    default: return name
    }
  }
}
