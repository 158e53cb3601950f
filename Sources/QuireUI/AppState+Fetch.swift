import Foundation
import QuireModel

/// A background fetch under way, as the status line tells it.
public struct FetchActivity: Equatable, Sendable {
  public var total: Int
  public var finished = 0
  public var failed = 0
  /// What is happening now: "asking arXiv cs.LG", "waiting 3 s for export.arxiv.org".
  public var now = "starting"

  public init(total: Int) { self.total = total }

  mutating func take(_ progress: FetchProgress) {
    switch progress {
    case .asking(let name): now = "asking \(name)"
    case .waiting(let name, let host, let seconds): now = "\(name): waiting \(Duration.spoken(seconds)) for \(host)"
    case .retrying(let name, let reason, let seconds): now = "\(name): \(reason); again in \(Duration.spoken(seconds))"
    case .finished(let name, let summary, let failedNow):
      finished += 1
      if failedNow {
        failed += 1
        now = "\(name) failed: \(summary)"
      }
    }
  }

  /// "fetching 2/5 · asking arXiv cs.LG".
  public var text: String {
    "fetching \(min(finished, total))/\(total)" + (failed > 0 ? " (\(failed) failed)" : "") + " · " + now
  }
}

extension AppState {
  /// The view of what the last fetch brought, offered when there are subscriptions.
  public static let newView = SavedView(name: "New", query: "is:new or is:updated")

  /// Parses a query of this reader: relative dates from its clock, `is:new` from the
  /// last fetch.
  func parse(_ text: String) throws(QueryError) -> Query {
    try Query.parse(text, now: clock(), fetched: fetched)
  }

  /// Starts a fetch, unless one is running or there is nothing to fetch.
  mutating func startFetch() -> [Effect] {
    if fetchActivity != nil {
      message = .info("a fetch is already running: " + fetchActivity!.text)
      return []
    }
    guard subscriptionCount > 0 else {
      message = .info("no subscriptions to fetch; `quire subscribe URL` adds one (README: Subscriptions)")
      return []
    }
    fetchActivity = FetchActivity(total: subscriptionCount)
    return [.fetch]
  }

  /// Takes in what a fetch brought: the library read again, with the selection, the view
  /// and the filter kept; the new papers marked.
  mutating func finishFetch(_ completion: FetchCompletion) -> [Effect] {
    fetchActivity = nil
    for (id, entry) in completion.changes { adoptFromElsewhere(entry, of: id) }
    var effects: [Effect] = []
    fetched = completion.fetched
    if let newLibrary = completion.library {
      replaceLibrary(with: newLibrary)
      effects.append(.buildIndexes)
    } else {
      reparseQueries()
    }
    detailCache = nil
    // The reasons before the hint: they are what must not be cut off.
    var parts = ["fetched: " + completion.summary] + completion.failures
    if !completion.fetched.new.isEmpty || !completion.fetched.updated.isEmpty, let viewKey = keymap.keys(for: .views, in: .list).first {
      parts.append("marked N (U: new version); \(viewKey) shows the view New")
    }
    let text = parts.joined(separator: " · ")
    message = completion.failures.isEmpty ? .info(text) : .error(text)
    return effects
  }

  /// Whether the list gives a column to the marks of the last fetch.
  public var showsFetchMarks: Bool { subscriptionCount > 0 || !fetched.new.isEmpty || !fetched.updated.isEmpty }

  /// Shows `newLibrary` in place of the library: the same paper stays selected, the same
  /// papers stay shown until the search index for the new library answers the query again.
  mutating func replaceLibrary(with newLibrary: Library) {
    let selectedID = shown.indices.contains(selected) ? library.id(at: shown[selected]) : nil
    let filtered = combinedQuery != .everything
    let shownIDs = filtered ? shown.map { library.id(at: $0) } : []
    library = newLibrary
    // Counted again in the background, as at start: changes meanwhile are caught up then.
    readingIndex = nil
    changedBeforeCounts = []
    searchIndex = nil
    indexComing = true
    lastResult = nil
    setOrder(library.indices(sortedBy: sort, reading: reading))
    reparseQueries()
    if filtered {
      // The papers shown before, where they are now, until the query is answered again.
      let lookup = library.idLookup
      shown = inOrder(PaperSet(capacity: library.count, members: shownIDs.compactMap { lookup.index(of: $0) }))
      waitingForIndex = true
    } else {
      shown = order
    }
    select(paperAt: selectedID.flatMap { library.index(of: $0) })
  }

  /// The view's and the filter's queries parsed again: `is:new` names other papers now.
  mutating func reparseQueries() {
    if let currentView, let query = try? parse(views[currentView].query) { viewQuery = query }
    if let query = try? parse(filter.query) { filter.parsedQuery = query }
    if let search = try? parse(filter.search) { filter.parsedSearch = search }
    lastResult = nil
    if searchIndex != nil { refresh() }
  }

  /// The viewer's line for a paper the last fetch brought: "new in the fetch of 29 Nov 2026".
  func fetchNote(_ id: PaperID) -> String? {
    guard let mark = fetchMark(id) else { return nil }
    let when = fetched.at.map { " of \(PublishedDate($0).display)" } ?? ""
    return mark == "N" ? "new in the last fetch\(when)" : "a new arXiv version in the last fetch\(when)"
  }

  /// Whether a paper came with the last fetch: "N" new, "U" a new version, nil neither.
  public func fetchMark(_ id: PaperID) -> Character? {
    if fetched.new.contains(id) { return "N" }
    if fetched.updated.contains(id) { return "U" }
    return nil
  }
}
