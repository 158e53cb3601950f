import ArgumentParser
import Foundation
import QuireModel
import QuireUI

extension QuireBench {
  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Time merging a fetched feed into a stored library, and reading the library again as the reader does after a fetch.",
      discussion: """
        A library of --papers generated papers is stored as quire stores a user's (library.jsonl). A feed of \
        --entries entries (half of them papers the library has, half new) is read from Atom text, as a fetch reads \
        it, and merged as `quire fetch` merges it: the library file read, the papers deduplicated, the file written \
        whole, the fetch log written. The network is left out: it is the server's time, not quire's.
        """)

    @Option(help: "Papers in the stored library.")
    var papers = 100_000

    @Option(help: "Entries in the fetched feed.")
    var entries = 100

    @Option(help: "How many times the merge is timed (each on the library as it was).")
    var rounds = 3

    func run() throws {
      let folder = NSTemporaryDirectory() + "quire-bench-fetch-\(getpid())"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let files = FetchFiles(library: folder + "/library.jsonl", state: folder + "/state.json", log: folder + "/fetch.json")
      print("generating \(papers) papers…")
      let (listings, _) = SyntheticLibrary.make(count: papers)
      let pristine = folder + "/library.pristine.jsonl"
      try LibraryStore(path: pristine).save(Library(name: "stored", listings: listings).papers)
      print("library.jsonl: \(Save.size(pristine) / 1_000_000) MB")

      let feed = Self.atom(known: Array(listings.prefix(entries / 2)), new: entries - entries / 2)
      let read = try Importer.read(feed, file: "feed")
      let subscription = Subscription(name: "bench", url: "https://export.arxiv.org/api/query", tags: ["fetched"])
      let outcome = SourceOutcome(subscription: subscription, result: .fetched(read), log: FetchLog.Source(url: subscription.url))

      var mergeTimes: [Double] = []
      var report: FetchReport?
      for _ in 0..<rounds {
        try? FileManager.default.removeItem(atPath: files.library)
        try FileManager.default.copyItem(atPath: pristine, toPath: files.library)
        for path in [files.state, files.log] { try? FileManager.default.removeItem(atPath: path) }
        let start = DispatchTime.now()
        report = try FetchMerge.apply([outcome], files: files, builtin: BuiltinLibrary.listings, at: Date(), device: "bench")
        mergeTimes.append(Save.milliseconds(since: start))
      }
      let merged = try require(report)
      print(String(format: "merge %d entries (%@): median %.0f ms, max %.0f ms; library.jsonl written whole: %d MB",
        read.listings.count, merged.sources[0].summary, Save.percentile(mergeTimes.sorted(), 50), mergeTimes.max() ?? 0,
        Save.size(files.library) / 1_000_000))

      // What the reader does on another thread once the merge is done.
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_DATA_HOME"] = folder + "/data"
      environment["XDG_CACHE_HOME"] = folder + "/cache"
      try FileManager.default.createDirectory(atPath: folder + "/data/quire", withIntermediateDirectories: true)
      try FileManager.default.moveItem(atPath: files.library, toPath: folder + "/data/quire/library.jsonl")
      var reloadTimes: [Double] = []
      for _ in 0..<rounds {
        let start = DispatchTime.now()
        let library = try LibraryLoader.load(file: nil, environment: environment)
        reloadTimes.append(Save.milliseconds(since: start))
        precondition(library.count >= papers)
      }
      print(String(format: "read the library again (the reader, in the background): median %.0f ms", Save.percentile(reloadTimes.sorted(), 50)))
    }

    /// An arXiv API response with `known` papers again and `new` papers not seen before.
    static func atom(known: [Listing], new: Int) -> Data {
      func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      }
      var text = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      func entry(id: String, title: String, authors: [String], abstract: String, year: Int) {
        text += "<entry><id>http://arxiv.org/abs/\(id)v1</id><title>\(escaped(title))</title>"
        text += authors.map { "<author><name>\(escaped($0))</name></author>" }.joined()
        text += "<summary>\(escaped(abstract))</summary><published>\(year)-11-27T18:00:00Z</published></entry>\n"
      }
      // A known paper comes back under its title, first author and year (the generated
      // papers carry no arXiv id), as a feed lists a paper imported from BibTeX.
      for (number, listing) in known.enumerated() {
        entry(
          id: "2611.\(String(10000 + number))", title: listing.title ?? "Untitled", authors: listing.authors, abstract: listing.abstract ?? "",
          year: listing.year ?? 2026)
      }
      for number in 0..<new {
        entry(id: "2611.\(String(20000 + number))", title: "A fetched paper number \(number) on generalization", authors: ["Ines Okafor"], abstract: "New results \(number).", year: 2026)
      }
      return Data((text + "</feed>\n").utf8)
    }
  }
}

private func require<T>(_ value: T?) throws -> T {
  guard let value else { throw ValidationError("the merge gave no report") }
  return value
}
