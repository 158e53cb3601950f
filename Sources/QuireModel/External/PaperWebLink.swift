import Foundation

/// Where a paper can be read on the web, as the reader's `open-link` and `copy-link` find
/// it: the paper's own web links first, then its DOI, then its arXiv id.
public enum PaperWebLink: Equatable, Sendable {
  /// The first address, and how many different ones the paper has in all.
  case found(url: String, count: Int)
  /// Links that name a place without saying where it is ("ScienceDirect", "[PDF]").
  case labelsOnly([String])
  /// Nothing at all to go by.
  case none

  public init(_ paper: Paper) {
    let addresses = Self.addresses(of: paper)
    if let first = addresses.first {
      self = .found(url: first, count: addresses.count)
    } else if !paper.links.isEmpty {
      self = .labelsOnly(paper.links.map(\.label))
    } else {
      self = .none
    }
  }

  /// Every web address of the paper, without repeats, best first. An importer often turns
  /// the DOI into a link as well, so the DOI's address is not counted twice.
  public static func addresses(of paper: Paper) -> [String] {
    var found: [String] = []
    var seen: Set<String> = []
    func add(_ candidate: String?) {
      guard let candidate, let url = webAddress(candidate), seen.insert(url.lowercased()).inserted else { return }
      found.append(url)
    }
    for link in paper.links { add(link.url) }
    if let doi = paper.doi { add("https://doi.org/" + doi) }
    if let arxiv = paper.arxiv { add("https://arxiv.org/abs/" + arxiv) }
    return found
  }

  /// The text as an http(s) address a browser can be given, or nil. `doi:` and `arXiv:`
  /// forms, which reading lists write as links, become their resolvers' addresses. A space
  /// inside is written `%20`, as a browser would; other white space and control characters
  /// are refused rather than repaired: such a "URL" is not one, and a browser should never
  /// be handed a guess.
  public static func webAddress(_ raw: String) -> String? {
    let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "%20")
    let lower = text.lowercased()
    var url: String
    if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
      url = text
    } else if lower.hasPrefix("doi:"), let doi = Identifier.doi(text) {
      url = "https://doi.org/" + doi
    } else if lower.hasPrefix("arxiv:"), let arxiv = Identifier.arxiv(text) {
      url = "https://arxiv.org/abs/" + arxiv
    } else {
      return nil
    }
    guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    else { return nil }
    let afterScheme = url.drop { $0 != "/" }.dropFirst(2)
    guard let host = afterScheme.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first, !host.isEmpty
    else { return nil }
    url = url.prefix { $0 != ":" }.lowercased() + url.drop { $0 != ":" }
    return url
  }
}
