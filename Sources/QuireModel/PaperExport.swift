import Foundation

/// A paper and its reading state as one line of JSON, for `quire list` and for scripts.
public enum PaperExport {
  /// With `state` nil the line carries no status or tags: how the library store keeps
  /// papers, the reading state being in state.json.
  public static func jsonLine(_ paper: Paper, state: PaperState?) -> String {
    let s = StateStore.jsonString
    var fields: [String] = []
    fields.append("\"id\":\(s(paper.id.rawValue))")
    fields.append("\"title\":\(s(paper.displayTitle))")
    fields.append("\"untitled\":\(paper.hasTitle ? "false" : "true")")
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
