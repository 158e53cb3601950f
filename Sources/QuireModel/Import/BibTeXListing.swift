import Foundation

extension BibTeXEntry {
  /// The paper this entry describes, its TeX turned into Unicode for display.
  /// Fields that become the paper's own; every other field is kept as written.
  static let mappedFields: Set<String> = [
    "title", "author", "editor", "journal", "booktitle", "howpublished", "school", "institution", "publisher",
    "year", "abstract", "doi", "eprint", "archiveprefix", "eprinttype", "url", "quire-id", "quire-status", "keywords",
  ]

  public func listing(file: String) -> Listing {
    var listing = Listing(source: SourceLocation(file: file, line: line))
    listing.extra["bibtex:type"] = type
    if !key.isEmpty { listing.extra["bibtex:key"] = key }
    for (name, value) in fields where !Self.mappedFields.contains(name) { listing.extra[name] = value }
    if let title = self["title"].map(TeXText.toUnicode), !title.isEmpty { listing.title = title }
    listing.authors = Self.names(self["author"] ?? self["editor"] ?? "")
    for field in ["journal", "booktitle", "howpublished", "school", "institution", "publisher"] {
      if let venue = self[field].map(TeXText.toUnicode), !venue.isEmpty {
        listing.venue = venue
        break
      }
    }
    if let year = self["year"], let digits = Int(year.unicodeScalars.prefix { $0.properties.numericType != nil }.map(String.init).joined()),
      (1000...9999).contains(digits)
    {
      listing.year = digits
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

  /// The reading state quire's own export wrote: `quire-status` and tags in `keywords`.
  var carriedState: PaperState {
    var state = PaperState()
    if let status = self["quire-status"].flatMap({ ReadStatus(rawValue: $0.trimmingCharacters(in: .whitespaces)) }) {
      state.status = status
    }
    for tag in (self["keywords"] ?? "").split(separator: ",").map({ ReadingState.normalizeTag(TeXText.toUnicode(String($0))) })
    where !tag.isEmpty && !state.tags.contains(tag) {
      state.tags.append(tag)
    }
    return state
  }

  /// "Hardt, Moritz and Ma, Tengyu and others" → ["Moritz Hardt", "Tengyu Ma"]. Names are
  /// split on "and" outside braces, so "{Barnes and Noble}" stays one name.
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
      let converted = TeXText.toUnicode(ordered)
      return converted.isEmpty ? nil : converted
    }
  }
}
