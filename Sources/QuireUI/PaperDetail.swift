import Foundation
import QuireModel

/// A line of the abstract viewer: text already cut to the pane width, and its role.
public struct DetailLine: Equatable, Sendable {
  public var text: String
  public var role: Role
}

/// What the abstract viewer shows for a paper, wrapped to a width.
public enum PaperDetail {
  /// `fetched` says what the last fetch did to the paper, when it did anything.
  public static func lines(for paper: Paper, state: PaperState, width: Int, fetched: String? = nil) -> [DetailLine] {
    guard width > 0 else { return [] }
    var out: [DetailLine] = []
    func add(_ text: String, _ role: Role) {
      for line in TerminalText.wrap(text, width: width) { out.append(DetailLine(text: line, role: role)) }
    }
    let shown = paper.titled(by: state)
    add(shown.displayTitle, shown.hasTitle ? .title : .label)
    // The listing's own title stays in sight: it is what other tools and exports cite.
    if state.title != nil { add("your title; listed as " + (paper.hasTitle ? "“\(paper.displayTitle)”" : "untitled"), .dim) }
    if !paper.authors.isEmpty { add(paper.authors.joined(separator: ", "), .normal) }
    var facts: [String] = []
    if let venue = paper.venue { facts.append(venue) }
    if let year = paper.year { facts.append(String(year)) }
    // No-break spaces keep a date on one line when the facts wrap.
    if let published = paper.published {
      facts.append("published \(published.display)".replacingOccurrences(of: " ", with: "\u{00A0}"))
    }
    // The day it joined the library, when that is not the day it was published.
    if let added = paper.added, PublishedDate(added) != paper.published {
      facts.append("added \(PublishedDate(added).display)".replacingOccurrences(of: " ", with: "\u{00A0}"))
    }
    if !facts.isEmpty { add(facts.joined(separator: " · "), .dim) }
    var identifiers: [String] = []
    if let doi = paper.doi { identifiers.append("doi:\(doi)") }
    if let arxiv = paper.arxiv {
      var text = "arXiv:\(arxiv)" + (paper.arxivVersion.map { "v\($0)" } ?? "")
      if let updated = paper.updated { text += " (updated \(updated.display))" }
      identifiers.append(text)
    }
    if !paper.categories.isEmpty { identifiers.append("categories: " + paper.categories.joined(separator: ", ")) }
    if !identifiers.isEmpty { add(identifiers.joined(separator: " · "), .dim) }
    if !paper.links.isEmpty {
      add("links: " + paper.links.map(\.display).joined(separator: " · "), .dim)
    }
    if let fetched { add(fetched, .unread) }
    let tags = state.tags.isEmpty ? "none" : state.tags.joined(separator: " · ")
    add("status: \(state.status.rawValue) · tags: \(tags)", .tag)
    if let note = state.note { out += noteLines(note, width: width) }
    for other in paper.alternates {
      // Only what differs from the paper as shown above.
      var parts: [String] = []
      if let title = other.title, title != paper.title { parts.append("“\(title)”") }
      if let year = other.year, year != paper.year { parts.append(String(year)) }
      if let venue = other.venue, venue != paper.venue { parts.append(venue) }
      if !other.authors.isEmpty, other.authors != paper.authors { parts.append(other.authors.joined(separator: ", ")) }
      if let published = other.published, published != paper.published { parts.append("published \(published.display)") }
      if parts.isEmpty { continue }
      add("also listed (line \(other.source.line)): " + parts.joined(separator: " · "), .dim)
    }
    out.append(DetailLine(text: "", role: .normal))
    if let abstract = paper.abstract {
      add(abstract, .normal)
    } else {
      add("No abstract in \(paper.source.file == "<built-in reading list>" ? "the reading list" : paper.source.file).", .dim)
    }
    return out
  }
}
