import Foundation
import Testing

@testable import QuireModel

@Suite("RSS")
struct RSSTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/Feeds")

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent(name))
  }

  /// A fixture read as `quire import` reads it: format detected, empty items left out.
  static func imported(_ name: String) throws -> Importer.FileResult {
    try Importer.read(try fixture(name), file: name)
  }

  // MARK: - arXiv

  @Test("arXiv's cs.LG feed: new, replaced and cross-listed papers, ids and versions, abstracts without the announcement")
  func arxiv() throws {
    let result = try Self.imported("arxiv-cs.LG.rss")
    #expect(result.format == .rss)
    #expect(result.diagnostics.isEmpty)
    #expect(result.listings.count == 4)
    let (new, second, replaced, cross) = (result.listings[0], result.listings[1], result.listings[2], result.listings[3])

    #expect(result.listings.map(\.source.line) == [17, 30, 42, 55])
    #expect(result.listings.allSatisfy { $0.source.file == "arxiv-cs.LG.rss" })
    #expect(new.title == "Sparse Mixture-of-Experts Routing Under Distribution Shift")
    #expect(new.authors == ["Mirela Vasquez", "Tobias Lindqvist", "Harriet Okafor"])
    #expect(new.arxiv == "2411.14021")
    #expect(new.arxivVersion == 1)
    #expect(new.links == [PaperLink(label: "arXiv:2411.14021v1", url: "https://arxiv.org/abs/2411.14021")])
    #expect(new.categories == ["cs.LG", "stat.ML"])
    #expect(new.published == PublishedDate(year: 2024, month: 11, day: 25))
    #expect(new.updated == PublishedDate(year: 2024, month: 11, day: 25))
    #expect(new.year == 2024)
    #expect(new.venue == nil && new.doi == nil)
    // The announcement is gone; TeX stays as written, "<" included.
    let abstract = try #require(new.abstract)
    #expect(abstract.hasPrefix("Mixture-of-experts layers route each token to a few of $K$ experts,"))
    #expect(abstract.contains(#"we prove a regret of $O(\sqrt{T \log K})$ whenever $k < K$ experts are active"#))
    #expect(abstract.hasSuffix("than top-$k$ routing after the shift."))
    #expect(!abstract.contains("Announce") && !abstract.contains("\n"))

    #expect(second.authors == ["Jun-ho Park", "Ingrid Solberg"])
    #expect(second.abstract?.contains("temperature scaling, conformal prediction & ensembling of prompts") == true)
    #expect(second.abstract?.hasPrefix("Foundation models for tabular data") == true)

    // A new version of a 2023 paper, announced in November 2024.
    #expect(replaced.arxiv == "2311.09112")
    #expect(replaced.arxivVersion == 2)
    #expect(replaced.links.map(\.label) == ["arXiv:2311.09112v2"])
    #expect(replaced.published == nil)
    #expect(replaced.updated == PublishedDate(year: 2024, month: 11, day: 25))
    #expect(replaced.year == 2023)
    #expect(replaced.authors == ["Ana Beatriz Moreira", "Kenji Watanabe", "Leila Haddad", "Pieter van der Berg"])
    #expect(replaced.categories == ["cs.LG", "math.OC"])

    #expect(cross.arxiv == "2411.14590" && cross.arxivVersion == 1)
    #expect(cross.categories == ["cs.CV", "cs.LG"])
    #expect(cross.published == PublishedDate(year: 2024, month: 11, day: 25))
    #expect(cross.authors == ["Yusuf Demir", "Clara Whitfield"])
  }

  @Test("a paper from the feed is the same paper as from the arXiv API, and a later version updates it")
  func mergesWithAtom() throws {
    let atom = AtomParser(file: "f.xml").parse(Data(AtomTests.feed.utf8)).entries.map { $0.listing(file: "f.xml") }
    var library = Library(name: "x", listings: atom)
    let feed = """
      <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
      <title>Generalization and Equilibrium in Generative Adversarial Nets (GANs)</title>
      <link>https://arxiv.org/abs/1703.00573</link>
      <description>arXiv:1703.00573v6 Announce Type: replace Abstract: We show that training of GANs may not generalize.</description>
      <guid isPermaLink="false">oai:arXiv.org:1703.00573v6</guid>
      <pubDate>Mon, 25 Nov 2024 00:00:00 -0500</pubDate>
      <dc:creator>Sanjeev Arora, Rong Ge</dc:creator>
      </item></channel></rss>
      """
    let rss = try Importer.read(Data(feed.utf8), file: "cs.LG.rss")
    #expect(rss.diagnostics.isEmpty)
    #expect(library.add(rss.listings[0]) == false)
    #expect(library.count == 1)
    #expect(library[0].arxivVersion == 6)
    #expect(library[0].updated == PublishedDate(year: 2024, month: 11, day: 25))
    #expect(library[0].published == PublishedDate(year: 2017, month: 3, day: 2))
    #expect(library[0].year == 2017)
  }

  @Test("old arXiv feeds (RSS 1.0): the id in the title, authors as links, the abstract as HTML")
  func oldArxiv() throws {
    let feed = """
      <?xml version="1.0" encoding="UTF-8"?>
      <rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://arxiv.org/rss/cs.NE"><title>cs.NE updates on arXiv.org</title></channel>
      <item rdf:about="http://arxiv.org/abs/1606.04474">
      <title>Learning to learn by gradient descent by gradient descent. (arXiv:1606.04474v1 [cs.NE])</title>
      <link>http://arxiv.org/abs/1606.04474</link>
      <description rdf:parseType="Literal">&lt;p&gt;The move from hand-designed features to learned features
      in machine learning has been wildly successful.&lt;/p&gt;</description>
      <dc:creator> &lt;a href="http://arxiv.org/find/cs/1/au:+Andrychowicz_M/0/1/0/all/0/1"&gt;Marcin Andrychowicz&lt;/a&gt;, &lt;a href="http://arxiv.org/find/cs/1/au:+Denil_M/0/1/0/all/0/1"&gt;Misha Denil&lt;/a&gt;</dc:creator>
      </item>
      </rdf:RDF>
      """
    let result = try Importer.read(Data(feed.utf8), file: "old.rdf")
    #expect(result.format == .rss)
    #expect(result.diagnostics.isEmpty)
    let listing = try #require(result.listings.first)
    #expect(listing.title == "Learning to learn by gradient descent by gradient descent")
    #expect(listing.arxiv == "1606.04474" && listing.arxivVersion == 1)
    #expect(listing.authors == ["Marcin Andrychowicz", "Misha Denil"])
    #expect(listing.abstract == "The move from hand-designed features to learned features in machine learning has been wildly successful.")
    #expect(listing.year == 2016)  // no date: the id's
    #expect(listing.source.line == 4)
  }

  // MARK: - Journals

  @Test("a journal's RSS 2.0 feed: HTML descriptions, one dc:creator per author, DOIs from prism:doi, dc:identifier and the link")
  func journal() throws {
    let result = try Self.imported("journal.rss")
    #expect(result.format == .rss)
    #expect(result.diagnostics.isEmpty)
    #expect(result.listings.count == 3)
    #expect(result.listings.map(\.source.line) == [16, 36, 49])
    let (first, second, editorial) = (result.listings[0], result.listings[1], result.listings[2])

    #expect(first.title == "Learning Dynamics of k-Sparse Autoencoders")
    #expect(first.authors == ["Marta Kowalczyk", "Samuel Osei", "Lucía Fernández"])
    #expect(
      first.abstract
        == "Sparse autoencoders are widely used to read the features of large models, yet little is known about how they learn. We show that with k active latents the reconstruction error decays as O(1/k) – faster than the dense bound – and that dead latents appear only after the loss plateaus. Code is available at our repository.")
    #expect(first.doi == "10.5555/tls.2024.0412")
    #expect(first.venue == "Transactions on Learning Systems")
    #expect(first.published == PublishedDate(year: 2024, month: 11, day: 19) && first.year == 2024)
    #expect(first.updated == nil && first.arxiv == nil && first.arxivVersion == nil)
    #expect(first.categories == ["Research Article"])
    #expect(first.links == [
      PaperLink(label: "doi:10.5555/tls.2024.0412", url: "https://doi.org/10.5555/tls.2024.0412"),
      PaperLink(label: "journals.example.org", url: "https://journals.example.org/tls/article/10.5555/tls.2024.0412"),
      PaperLink(label: "pdf", url: "https://journals.example.org/tls/article/10.5555/tls.2024.0412/pdf"),
    ])

    // Escaped twice ("&amp;amp;"): once for XML, once for HTML.
    #expect(second.title == "Message Passing & Attention on Heterophilous Graphs")
    #expect(second.authors == ["Wei Chen", "Adaeze Okonkwo"])
    #expect(second.abstract?.hasSuffix("recovers 92% of the accuracy lost by message passing.") == true)
    #expect(second.abstract?.hasPrefix("Graph neural networks assume") == true)
    #expect(second.doi == "10.5555/tls.2024.0398")
    #expect(second.links.first == PaperLink(label: "doi:10.5555/tls.2024.0398", url: "https://doi.org/10.5555/tls.2024.0398"))
    #expect(second.categories == ["Research Article", "Graph Learning"])
    #expect(second.published == PublishedDate(year: 2024, month: 11, day: 15))

    // No dc:creator: RSS 2.0's author. The venue is the channel's; the link is the DOI's.
    #expect(editorial.authors == ["Rosa Delgado"])
    #expect(editorial.venue == "Transactions on Learning Systems")
    #expect(editorial.doi == "10.5555/tls.2024.0387")
    #expect(editorial.links == [PaperLink(label: "doi:10.5555/tls.2024.0387", url: "https://doi.org/10.5555/tls.2024.0387")])
    #expect(editorial.published == PublishedDate(year: 2024, month: 11, day: 12))
    #expect(editorial.abstract == "From January, every submission to the journal comes with code that runs. The editors explain why, and what runs means.")
  }

  @Test("a journal's RSS 1.0 (RDF) feed: items beside the channel, names family first, references escaped twice")
  func journalRDF() throws {
    let result = try Self.imported("journal-rdf.rss")
    #expect(result.format == .rss)
    #expect(result.diagnostics.isEmpty)
    #expect(result.listings.count == 2)
    #expect(result.listings.map(\.source.line) == [16, 30])
    let (first, correction) = (result.listings[0], result.listings[1])

    #expect(first.title == "Dendritic gating enables continual learning in spiking networks")
    #expect(first.authors == ["Élodie Moreau", "Haruto Nakamura", "Tunde Adeyemi"])
    // The description, not content:encoded's citation line.
    #expect(first.abstract?.hasPrefix("Spiking networks forget old tasks as they learn new ones. A model neuron") == true)
    #expect(first.venue == "Neural Computation Letters")
    #expect(first.doi == "10.5555/ncl-2024-0153")
    #expect(first.published == PublishedDate(year: 2024, month: 11, day: 21))
    #expect(first.links.map(\.label) == ["doi:10.5555/ncl-2024-0153", "example-press.org"])

    #expect(correction.title == "Correction: Grid cells as a basis for path integration in Drosophila")
    #expect(correction.authors == ["Ingrid Halvorsen", "Tomás Ribeiro"])
    #expect(
      correction.abstract
        == "Correction to: Neural Computation Letters (2024) \u{2014} in the original article the scale bar of Fig. 3b read 10 \u{B5}m instead of 100 \u{B5}m.")
    #expect(correction.doi == "10.5555/ncl-2024-0149")
    #expect(correction.published == PublishedDate(year: 2024, month: 11, day: 18))
  }

  @Test("every fixture's papers make a library that library.jsonl takes back")
  func libraryTakesThemBack() throws {
    for name in ["arxiv-cs.LG.rss", "journal.rss", "journal-rdf.rss"] {
      let listings = try Self.imported(name).listings
      #expect(ModelFuzz.library(listings).isEmpty, "\(name)")
      #expect(Library(name: name, listings: listings).count == listings.count)
    }
  }

  // MARK: - Detection and what is not a feed

  @Test("XML is RSS when its root element is <rss> or <rdf:RDF>, past declarations, comments and a DOCTYPE; Atom otherwise", arguments: [
    ("<rss version=\"2.0\"><channel/></rss>", ImportFormat.rss),
    ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n<!-- generated 2024-11-25 -->\n<rss>", .rss),
    ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\"\n \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n<rss version=\"0.91\">", .rss),
    ("<!DOCTYPE rss [ <!-- a <feed> here is no root --> ]><rss>", .rss),
    ("\u{FEFF}<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">", .rss),
    ("  \n<RDF xmlns=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">", .rss),
    ("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", .atom),
    ("<!-- <rss> --><feed>", .atom),
    ("<rssfeed>", .atom),
    ("<!DOCTYPE html><html><body>Rate limited</body></html>", .atom),
    ("<", .atom),
  ])
  func detect(text: String, format: ImportFormat) {
    #expect(ImportFormat.detect(text, name: "feed") == format)
  }

  @Test("the .rss extension is a hint when the content says nothing")
  func extensionHint() {
    #expect(ImportFormat.detect("", name: "cs.LG.rss") == .rss)
    #expect(ImportFormat.detect("", name: "query.xml") == .atom)
    #expect(ImportFormat(rawValue: "rss") == .rss)
  }

  @Test("an HTML page in place of a feed is refused with its title, whatever format is asked for; no papers")
  func htmlPage() throws {
    let data = try Self.fixture("not-a-feed.html")
    #expect(ImportFormat.detect(String(decoding: data, as: UTF8.self), name: "not-a-feed.html") == .atom)
    for format in [nil, ImportFormat.rss, .atom] {
      do {
        let result = try Importer.read(data, file: "feed.rss", format: format)
        Issue.record("an HTML page was read as \(result.format.rawValue): \(result.listings.count) papers, \(result.diagnostics)")
      } catch {
        #expect(error.description.hasPrefix("feed.rss: an HTML page titled \"503 Service Unavailable · journals.example.org\", not a feed"))
        #expect(error.description.contains("expected BibTeX, RIS, Atom, RSS, CSL-JSON"))
      }
    }
    // The parser alone says so too, at the <html> element.
    let result = RSSParser(file: "p.html").parse(data)
    #expect(result.listings.isEmpty)
    #expect(result.diagnostics.count == 1)
    #expect(result.diagnostics.first?.line == 2 && result.diagnostics.first?.column == 1)
    #expect(result.diagnostics.first?.skipped == true)
    #expect(result.diagnostics.first?.message.hasPrefix("expected an RSS <rss> or <rdf:RDF> element, found an HTML page titled \"503 Service Unavailable") == true)
    // Without a DOCTYPE, without a title.
    #expect(throws: Importer.ReadError.self) { try Importer.read(Data("<html><body>Rate limited</body></html>".utf8), file: "f") }
    let bare = RSSParser(file: "h").parse(Data("\n<HTML><body>Rate limited</body></HTML>".utf8))
    #expect(bare.diagnostics.map(\.line) == [2])
    #expect(bare.diagnostics.first?.message.contains("found an HTML page (what a server sends") == true)
  }

  @Test("XML that is no RSS: an Atom feed or any other document read as RSS")
  func notRSS() {
    let atom = RSSParser(file: "a.xml").parse(Data(AtomTests.feed.utf8))
    #expect(atom.listings.isEmpty)
    #expect(atom.diagnostics.map(\.message) == ["expected an RSS <rss> or <rdf:RDF> element"])
    let other = RSSParser(file: "o.xml").parse(Data("<opml version=\"2.0\"><body/></opml>".utf8))
    #expect(other.diagnostics.map(\.message) == ["expected an RSS <rss> or <rdf:RDF> element"])
    let empty = RSSParser(file: "e.rss").parse(Data())
    #expect(empty.listings.isEmpty && !empty.diagnostics.isEmpty)
  }

  // MARK: - Broken feeds

  @Test("malformed XML is reported with line and column; a fetch takes none of the feed")
  func malformed() throws {
    let text = String(decoding: try Self.fixture("arxiv-cs.LG.rss"), as: UTF8.self)
    // Line 31: the second item's title closed wrongly.
    let broken = text.replacingOccurrences(of: "Tabular Foundation Models</title>", with: "Tabular Foundation Models</titel>")
    let lines = broken.split(separator: "\n", omittingEmptySubsequences: false).count
    let result = try Importer.read(Data(broken.utf8), file: "cs.LG.rss")
    #expect(result.format == .rss)
    let problem = try #require(result.diagnostics.first)
    #expect(result.diagnostics.count == 1)
    // Foundation's parser on Linux reads on past a mismatched end tag and tells of it at
    // the end of the document, so the line is between the mistake and the end.
    #expect((31...lines).contains(problem.line), "line \(problem.line)")
    #expect(problem.column != nil)
    #expect(problem.skipped)
    #expect(problem.message.hasPrefix("expected well-formed XML: "))
    #expect(problem.message.hasSuffix("; the rest of the file is not read"))
    #expect(problem.description.hasPrefix("cs.LG.rss:\(problem.line):"))
    // What it read anyway is not taken by a fetch: the feed is refused whole.
    guard case .failed(let reason) = FeedFetcher.read(Data(broken.utf8), label: "cs.LG.rss", format: nil) else {
      Issue.record("a fetch took a malformed feed")
      return
    }
    #expect(reason.hasPrefix("a malformed or truncated feed: cs.LG.rss:\(problem.line):"))
  }

  @Test("a feed cut off (a download that stopped) is reported at a line it has; the whole items before it are kept", arguments: [
    ("Abstract: We characterise", 2), ("</item>\n    <item>\n      <title>Self-Supervised", 2), ("</channel>", 4),
  ])
  func truncated(at marker: String, kept: Int) throws {
    let text = String(decoding: try Self.fixture("arxiv-cs.LG.rss"), as: UTF8.self)
    let cut = String(text[..<text.range(of: marker)!.lowerBound])
    let lines = cut.split(separator: "\n", omittingEmptySubsequences: false).count
    let result = try Importer.read(Data(cut.utf8), file: "cut.rss")
    #expect(result.listings.count == kept)
    let problem = try #require(result.diagnostics.first)
    #expect(result.diagnostics.count == 1)
    #expect(problem.skipped)
    #expect((1...lines).contains(problem.line), "line \(problem.line) of \(lines)")
    #expect(problem.message.hasPrefix("expected well-formed XML") || problem.message.hasPrefix("expected </"))
  }

  @Test("entity declarations are refused, as in Atom; an empty item is left out with its line")
  func entitiesAndEmptyItems() throws {
    let entities = RSSParser(file: "e.rss").parse(Data("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY t \"x\">\n]>\n<rss/>".utf8))
    #expect(entities.listings.isEmpty)
    #expect(entities.diagnostics.first?.line == 3 && entities.diagnostics.first?.column == 1)
    #expect(entities.diagnostics.first?.message.contains("without entity declarations") == true)

    let empty = try Importer.read(Data("<rss><channel>\n<item/>\n<item><title>T</title></item>\n</channel></rss>".utf8), file: "e.rss")
    #expect(empty.listings.map(\.title) == ["T"])
    #expect(empty.diagnostics.map(\.line) == [2])
    #expect(empty.diagnostics.first?.message == "expected a title, authors or an abstract; entry left out")
  }

  // MARK: - Hostile text

  static func atomFeed(title: String) -> String {
    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry><id>x</id>\n<title>\(title)</title><author><name>A</name></author></entry>\n</feed>"
  }

  static func rssFeed(title: String) -> String {
    "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>\n<item>\n<title>\(title)</title><dc:creator>A</dc:creator></item>\n</channel></rss>"
  }

  @Test("hostile titles: what XML allows is kept as the Atom reader keeps it; what it refuses is a problem at its line", arguments: [
    "\u{9B}31mC1 CSI", "\u{202E}reversed\u{202C}", "zero\u{200B}width", "next\u{85}line", "line\u{2028}separator", "tab\there",
    "\u{1B}]0;PWNED\u{07}", "\u{1B}[2J", "\u{7F}delete", "&#27;[2J", "&#x9B;31m", "&#0;",
  ])
  func hostileTitles(title: String) throws {
    let atom = try Importer.read(Data(Self.atomFeed(title: title).utf8), file: "h.xml")
    let rss = try Importer.read(Data(Self.rssFeed(title: title).utf8), file: "h.rss")
    #expect(rss.format == .rss)
    #expect(rss.listings.map(\.title) == atom.listings.map(\.title))
    #expect(rss.diagnostics.map(\.line) == atom.diagnostics.map(\.line))
    // Where the parser notices depends on what it refuses (the character, or the end).
    #expect(rss.diagnostics.allSatisfy { (1...5).contains($0.line) && $0.skipped })
    // A problem quotes nothing raw.
    for problem in rss.diagnostics {
      #expect(!problem.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
    #expect(ModelFuzz.library(rss.listings).isEmpty)
  }

  @Test("references escaped twice (HTML in RSS) never decode to control characters")
  func escapedControls() throws {
    for (escaped, expected) in [
      ("&amp;#27;[2J", "\u{FFFD}[2J"), ("&amp;#x1b;]0;PWNED&amp;#7;", "\u{FFFD}]0;PWNED\u{FFFD}"), ("&amp;#x9B;31m", "\u{203A}31m"),
      ("&amp;#x81;", "\u{FFFD}"), ("&amp;#0;", "\u{FFFD}"), ("&amp;#xD800;", "\u{FFFD}"), ("&amp;#x110000;", "\u{FFFD}"),
      ("&amp;#150; en dash", "– en dash"), ("&amp;#x202E;", "\u{202E}"), ("&amp;bogus; &amp; &amp;#;", "&bogus; & &#;"),
    ] {
      let rss = try Importer.read(Data(Self.rssFeed(title: "T " + escaped).utf8), file: "h.rss")
      #expect(rss.diagnostics.isEmpty)
      #expect(rss.listings.first?.title == "T " + expected, "\(escaped)")
      let title = rss.listings.first?.title ?? ""
      #expect(!title.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(escaped)")
    }
    // An HTML page's title, quoted in the refusal, is made inert.
    let page = "<html><head><title>\u{9B}2J&#x1B;]0;PWNED&#7;</title></head></html>"
    do {
      _ = try Importer.read(Data(page.utf8), file: "p.rss")
      Issue.record("an HTML page was read")
    } catch {
      #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(error)")
    }
  }

  // MARK: - Parts

  @Test("authors: one per element, or lists split at commas, semicolons and \"and\"; family-first names turned around", arguments: [
    ("Ada Lovelace, Alan Turing", false, ["Ada Lovelace", "Alan Turing"]),
    ("Ada Lovelace, Alan Turing and Grace Hopper", false, ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
    ("Ada Lovelace, Alan Turing, and Grace Hopper", false, ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
    ("Jun-ho Park and Ingrid Solberg", false, ["Jun-ho Park", "Ingrid Solberg"]),
    ("Lovelace, Ada", false, ["Ada Lovelace"]),
    ("Lovelace, Ada", true, ["Ada Lovelace"]),
    ("van der Berg, Pieter", true, ["Pieter van der Berg"]),
    ("Lovelace, A. A.; Turing, A. M.", false, ["A. A. Lovelace", "A. M. Turing"]),
    ("Lovelace, Ada and Turing, Alan", false, ["Ada Lovelace", "Alan Turing"]),
    ("Martin Luther King, Jr.", true, ["Martin Luther King, Jr."]),
    ("Ada Lovelace et al.", false, ["Ada Lovelace"]),
    ("The LIGO Scientific Collaboration", true, ["The LIGO Scientific Collaboration"]),
    ("Ada Lovelace, ", false, ["Ada Lovelace"]),
    ("", false, []),
  ])
  func names(text: String, oneEach: Bool, expected: [String]) {
    #expect(RSSItem.names(text, oneEach: oneEach) == expected)
  }

  @Test("RSS 2.0's author: a name in parentheses after an address; an address alone names no one")
  func author() {
    var item = RSSItem()
    item.author = "ada@example.org (Ada Lovelace)"
    #expect(item.authors == ["Ada Lovelace"])
    item.author = "Ada Lovelace <ada@example.org>"
    #expect(item.authors == ["Ada Lovelace"])
    item.author = "ada@example.org"
    #expect(item.authors == [])
    item.creators = ["Alan Turing"]
    #expect(item.authors == ["Alan Turing"])
  }

  @Test("dates: RFC 822 as pubDate has them, ISO 8601 as dc:date has them", arguments: [
    ("Mon, 25 Nov 2024 00:00:00 -0500", PublishedDate(year: 2024, month: 11, day: 25), 2024),
    ("25 Nov 2024 10:00 GMT", PublishedDate(year: 2024, month: 11, day: 25), 2024),
    ("Tue, 5 Mar 24 08:00:00 +0000", PublishedDate(year: 2024, month: 3, day: 5), 2024),
    ("Wed, 31 Dec 1997 23:59:59 EST", PublishedDate(year: 1997, month: 12, day: 31), 1997),
    ("Sun, 1 Sept 2024", PublishedDate(year: 2024, month: 9, day: 1), 2024),
    ("Thu, 29 February 2024 12:00:00 GMT", PublishedDate(year: 2024, month: 2, day: 29), 2024),
    ("Nov 25, 2024", PublishedDate(year: 2024, month: 11, day: 25), 2024),
    ("2024-11-25", PublishedDate(year: 2024, month: 11, day: 25), 2024),
    ("2024-11-25T09:30:00+01:00", PublishedDate(year: 2024, month: 11, day: 25), 2024),
    ("2024-11-25+01:00", PublishedDate(year: 2024, month: 11, day: 25), 2024),
    ("2024-11", nil, 2024),
    ("2024", nil, 2024),
  ])
  func dates(text: String, day: PublishedDate?, year: Int) {
    let read = RSSItem.day(text)
    #expect(read?.day == day)
    #expect(read?.year == year)
  }

  @Test("dates that are not", arguments: [
    "Fri, 29 Feb 2023 00:00:00 GMT", "Mon, 31 Novel 2024", "2024-13-01", "2024-02-30", "yesterday", "", "12345-01-01",
    "Mon, 25 Nov 99999", "0999-01-01", "2024-1-5",
  ])
  func notDates(text: String) {
    #expect(RSSItem.day(text) == nil)
  }

  @Test("arXiv ids and versions from links, OAI identifiers and announcements")
  func arxivIDs() {
    func id(_ raw: String) -> String? { RSSItem.arxivID(raw).map { "\($0.0) \($0.1.map(String.init) ?? "-")" } }
    #expect(id("oai:arXiv.org:2411.01234v2") == "2411.01234 2")
    #expect(id("https://arxiv.org/abs/2411.01234") == "2411.01234 -")
    #expect(id("http://export.arxiv.org/abs/hep-th/9901001v3") == "hep-th/9901001 3")
    #expect(id("https://arxiv.org/abs/2411.01234v2?context=cs") == "2411.01234 2")
    #expect(RSSItem.arxivID("https://example.org/abs/2411.01234") == nil)
    #expect(RSSItem.arxivID("2411.01234") == nil)  // bare numbers are not taken for ids
    #expect(RSSItem.year(ofArxivID: "hep-th/9901001") == 1999)
    #expect(RSSItem.year(ofArxivID: "0704.0001") == 2007)
    let announcement = RSSItem.arxivAnnouncement("arXiv:2411.01234v2 Announce Type: replace-cross \nAbstract: We   show.")
    #expect(announcement?.id == "2411.01234" && announcement?.version == 2 && announcement?.type == "replace-cross")
    #expect(announcement?.abstract == "We show.")
    #expect(RSSItem.arxivAnnouncement("arXiv:2411.01234 is where we put the code.") == nil)
    #expect(RSSItem.arxivAnnouncement("See arXiv:2411.01234v2.") == nil)
  }

  @Test("HTML to text: tags that are HTML's go, TeX and comparisons stay, scripts and comments go, references decode")
  func htmlText() {
    #expect(HTMLText.plain("<p>One</p><p>Two <i>three</i>&nbsp;four</p>") == "One Two three four")
    #expect(HTMLText.plain("H<sub>2</sub>O and <b>bold</b>") == "H2O and bold")
    #expect(HTMLText.plain("$a<b$ and $x < y$ and $p<q$, $r>s$") == "$a<b$ and $x < y$ and $p<q$, $r>s$")
    #expect(HTMLText.plain("a <script type=\"text/javascript\">alert('<p>')</script> b <style>p{}</STYLE> c") == "a b c")
    #expect(HTMLText.plain("a <!-- note <p> --> b <!-- unended") == "a b")
    #expect(HTMLText.plain("<jats:p>Text with <mml:math><mml:mi>x</mml:mi></mml:math>.</jats:p>") == "Text with x.")
    #expect(HTMLText.plain("a &lt;p&gt; tag, &amp;amp;, &#x3B1;&#946; &hellip;") == "a <p> tag, &amp;, αβ …")
    #expect(HTMLText.plain("<i>Drosophila</i> <p>in a title</p>", inlineTagsOnly: true) == "Drosophila <p>in a title</p>")
    #expect(HTMLText.plain("soft&shy;hyphen") == "softhyphen")
  }

  @Test("namespaces the feed forgot to declare, and XHTML inside a description, are read")
  func sloppyFeeds() throws {
    let feed = """
      <rss version="2.0"><channel><item>
      <title>Undeclared</title>
      <dc:creator>Ada Lovelace</dc:creator><dc:creator>Alan Turing</dc:creator>
      <prism:doi>10.5555/undeclared</prism:doi>
      <description><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two <i>three</i></p></div></description>
      <dc:date>2024-11-25</dc:date>
      </item></channel></rss>
      """
    let result = RSSParser(file: "s.rss").parse(Data(feed.utf8))
    let listing = try #require(result.listings.first)
    #expect(listing.authors == ["Ada Lovelace", "Alan Turing"])
    #expect(listing.doi == "10.5555/undeclared")
    #expect(listing.abstract == "One Two three")
    #expect(listing.published == PublishedDate(year: 2024, month: 11, day: 25))
  }

  @Test("an item with only rdf:about and dc fields; categories once each; the first link counts")
  func rdfAbout() throws {
    let feed = """
      <rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <item rdf:about="https://www.example-press.org/articles/x1">
      <dc:title>Only Dublin Core</dc:title><dc:description>An abstract.</dc:description>
      </item>
      </rdf:RDF>
      """
    let listing = try #require(RSSParser(file: "r.rdf").parse(Data(feed.utf8)).listings.first)
    #expect(listing.title == "Only Dublin Core" && listing.abstract == "An abstract.")
    #expect(listing.links == [PaperLink(label: "example-press.org", url: "https://www.example-press.org/articles/x1")])
    #expect(listing.source.line == 2)
  }
}
