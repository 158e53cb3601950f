import Foundation

/// The formats `quire export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
  case bibtex
  case cslJSON = "csl-json"
  case ris
  case markdown
  case jsonl
}

/// Writes papers, with their reading state, in formats other tools read.
public enum Exporter {
  public static func write(_ papers: [Paper], states: (PaperID) -> PaperState, format: ExportFormat) -> String {
    switch format {
    case .jsonl: return papers.map { PaperExport.jsonLine($0, state: states($0.id)) + "\n" }.joined()
    case .bibtex: return bibtex(papers, states: states)
    // Other tools get the title the reader gave: it is the one they chose to cite.
    case .cslJSON: return cslJSON(papers.map { $0.titled(by: states($0.id)) })
    case .ris: return ris(papers.map { $0.titled(by: states($0.id)) })
    case .markdown: return markdown(papers.map { $0.titled(by: states($0.id)) }, states: states)
    }
  }

  // MARK: - BibTeX

  /// Citation keys: family name, year and first real title word, made unique with a, b, …
  static func citationKeys(_ papers: [Paper]) -> [String] {
    let skip: Set<String> = ["a", "an", "the", "on", "of", "in", "for", "and", "to", "with"]
    var used: [String: Int] = [:]
    return papers.map { paper in
      let family = TextNormalizer.key(paper.familyNames.first ?? "anon").replacingOccurrences(of: " ", with: "")
      let word = TextNormalizer.key(paper.title ?? paper.abstract ?? "").split(separator: " ")
        .first { !skip.contains(String($0)) }.map(String.init) ?? "paper"
      let base = (family.isEmpty ? "anon" : family) + (paper.year.map(String.init) ?? "") + word
      let ascii = String(base.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }.map(Character.init))
      let clean = ascii.isEmpty ? "paper" : ascii
      let seen = used[clean, default: 0]
      used[clean] = seen + 1
      return seen == 0 ? clean : clean + String(Unicode.Scalar(UInt8(96 + min(seen, 26))))
    }
  }

  /// A key or field name BibTeX reads as one word.
  static func isCitationKey(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-_:./+".unicodeScalars.contains($0)) }
  }

  /// Braces that open and close in order: the value can go back inside braces unchanged.
  static func balanced(_ text: String) -> Bool {
    var depth = 0
    for character in text {
      if character == "{" { depth += 1 }
      if character == "}" {
        depth -= 1
        if depth < 0 { return false }
      }
    }
    return depth == 0
  }

  /// A value BibTeX reads back as written: specials escaped, braces balanced, and the
  /// ligatures TeX would make (`--`, ``` `` ```, `''`, `~`) broken with an empty group.
  static func bibtexValue(_ text: String) -> String {
    var out = ""
    var previous: Character?
    for character in text {
      defer { previous = character }
      if let previous, previous == character, character == "-" || character == "`" || character == "'" {
        out += "{}"
      }
      switch character {
      case "~": out += "\\textasciitilde{}"
      case "&", "%", "$", "#", "_": out += "\\" + String(character)
      case "{": out += "\\{"
      case "}": out += "\\}"
      case "\\": out += "\\textbackslash{}"
      default: out.append(character)
      }
    }
    return "{" + out + "}"
  }

  static func bibtex(_ papers: [Paper], states: (PaperID) -> PaperState) -> String {
    var out = ""
    // An imported entry keeps its own key where it is still unique.
    var usedKeys: [String: Int] = [:]
    for paper in papers { if let key = paper.extra["bibtex:key"] { usedKeys[key, default: 0] += 1 } }
    for (paper, generated) in zip(papers, citationKeys(papers)) {
      let own = paper.extra["bibtex:key"].flatMap { usedKeys[$0] == 1 && Self.isCitationKey($0) ? $0 : nil }
      let key = own ?? generated
      let type = paper.extra["bibtex:type"].flatMap { $0.allSatisfy { $0.isLetter } ? $0 : nil } ?? "article"
      var fields: [(String, String)] = []
      let state = states(paper.id)
      // Double braces keep the title's case: styles and pandoc would lower-case it.
      if let title = state.title ?? paper.title { fields.append(("title", "{" + bibtexValue(title) + "}")) }
      if !paper.authors.isEmpty { fields.append(("author", bibtexValue(paper.authors.joined(separator: " and ")))) }
      if let venue = paper.venue {
        // The venue goes in the field its entry type reads it from.
        let field: String
        switch type.lowercased() {
        case "inproceedings", "incollection", "conference": field = "booktitle"
        case "phdthesis", "mastersthesis": field = "school"
        case "techreport": field = "institution"
        case "misc", "online": field = "howpublished"
        case "book", "inbook": field = "publisher"
        default: field = "journal"
        }
        fields.append((field, bibtexValue(venue)))
      }
      if let year = paper.year { fields.append(("year", String(year))) }
      if let doi = paper.doi { fields.append(("doi", bibtexValue(doi))) }
      if let arxiv = paper.arxiv {
        fields.append(("eprint", bibtexValue(arxiv)))
        fields.append(("archiveprefix", "{arXiv}"))
      }
      if let url = paper.links.compactMap(\.url).first { fields.append(("url", bibtexValue(url))) }
      if let abstract = paper.abstract { fields.append(("abstract", bibtexValue(abstract))) }
      // Fields quire keeps but does not use go back as they were written.
      for name in paper.extra.keys.sorted() where !name.hasPrefix("bibtex:") && Self.isCitationKey(name) {
        let value = paper.extra[name]!
        fields.append((name, Self.balanced(value) ? "{\(value)}" : bibtexValue(value)))
      }
      fields.append(("quire-id", "{\(paper.id.rawValue)}"))
      fields.append(("quire-status", "{\(state.status.rawValue)}"))
      if state.status == .read, let readAt = state.readAt { fields.append(("quire-read", "{\(ReadTime.text(readAt))}")) }
      // The listing's own title, which the paper's id comes from, so an import finds the same paper.
      if state.title != nil { fields.append(("quire-listed-title", "{" + bibtexValue(paper.title ?? "") + "}")) }
      if !state.tags.isEmpty { fields.append(("keywords", bibtexValue(state.tags.joined(separator: ", ")))) }
      out += "@\(type){\(key),\n" + fields.map { "  \($0.0) = \($0.1)" }.joined(separator: ",\n") + "\n}\n\n"
    }
    return out
  }

  // MARK: - CSL-JSON

  static func cslJSON(_ papers: [Paper]) -> String {
    let s = StateStore.jsonString
    let items = zip(papers, citationKeys(papers)).map { paper, key -> String in
      var fields = ["\"id\": \(s(key))", "\"type\": \"article-journal\""]
      if let title = paper.title { fields.append("\"title\": \(s(title))") }
      if !paper.authors.isEmpty {
        let names = paper.authors.map { full -> String in
          let (given, family) = Paper.splitName(full)
          return given.isEmpty ? "{\"family\": \(s(family))}" : "{\"family\": \(s(family)), \"given\": \(s(given))}"
        }
        fields.append("\"author\": [\(names.joined(separator: ", "))]")
      }
      if let venue = paper.venue { fields.append("\"container-title\": \(s(venue))") }
      // The year of publication; a reading list's "Published" is when the paper was listed.
      if let published = paper.published, published.year == paper.year {
        fields.append("\"issued\": {\"date-parts\": [[\(published.year), \(published.month), \(published.day)]]}")
      } else if let year = paper.year {
        fields.append("\"issued\": {\"date-parts\": [[\(year)]]}")
      }
      if let abstract = paper.abstract { fields.append("\"abstract\": \(s(abstract))") }
      if let doi = paper.doi { fields.append("\"DOI\": \(s(doi))") }
      if let url = paper.links.compactMap(\.url).first { fields.append("\"URL\": \(s(url))") }
      return "  {\n    " + fields.joined(separator: ",\n    ") + "\n  }"
    }
    return "[\n" + items.joined(separator: ",\n") + "\n]\n"
  }

  // MARK: - RIS

  static func ris(_ papers: [Paper]) -> String {
    var out = ""
    for paper in papers {
      var lines = ["TY  - JOUR"]
      if let title = paper.title { lines.append("TI  - \(title)") }
      for full in paper.authors {
        let (given, family) = Paper.splitName(full)
        lines.append("AU  - " + (given.isEmpty ? family : "\(family), \(given)"))
      }
      if let venue = paper.venue { lines.append("JO  - \(venue)") }
      if let year = paper.year { lines.append("PY  - \(year)") }
      if let abstract = paper.abstract { lines.append("AB  - \(abstract)") }
      if let doi = paper.doi { lines.append("DO  - \(doi)") }
      for url in paper.links.compactMap(\.url) { lines.append("UR  - \(url)") }
      lines.append("ER  - ")
      out += lines.joined(separator: "\n") + "\n\n"
    }
    return out
  }

  // MARK: - Markdown

  /// A reading list for people: unread first, then read, with authors, venue and tags.
  static func markdown(_ papers: [Paper], states: (PaperID) -> PaperState) -> String {
    var out = "# Reading list\n"
    for status in [ReadStatus.unread, .read] {
      let group = papers.filter { states($0.id).status == status }
      guard !group.isEmpty else { continue }
      out += "\n## \(status == .unread ? "To read" : "Read") (\(group.count))\n\n"
      for paper in group {
        var line = "- **\(paper.displayTitle)**"
        if !paper.authors.isEmpty { line += " — \(paper.authors.joined(separator: ", "))" }
        let facts = [paper.venue, paper.year.map(String.init)].compactMap { $0 }
        if !facts.isEmpty { line += " (\(facts.joined(separator: ", ")))" }
        if let url = paper.links.compactMap(\.url).first { line += " <\(url)>" }
        let tags = states(paper.id).tags
        if !tags.isEmpty { line += " " + tags.map { "`#\($0)`" }.joined(separator: " ") }
        out += line + "\n"
      }
    }
    return out
  }
}
