import Foundation

/// What a fetch did, source by source, once merged into the library.
public struct FetchReport: Sendable {
  public struct Source: Sendable {
    public enum Kind: Sendable, Equatable {
      /// Papers the library did not have, papers given a new arXiv version, and papers
      /// it had already.
      case merged(new: Int, updated: Int, known: Int)
      case notModified
      case tooSoon(until: Date)
      case failed(String)
    }

    public var name: String
    public var kind: Kind
    /// Entries the source's text could not give whole (file:line: message).
    public var problems: [Diagnostic] = []
    /// "arXiv:2411.01234 v1 → v2", for each paper updated.
    public var versions: [String] = []

    /// "12 new, 1 updated, 40 already in the library", "not modified", "failed: …".
    public var summary: String {
      switch kind {
      case .merged(let new, let updated, let known):
        var parts = ["\(new) new"]
        if updated > 0 { parts.append("\(updated) updated (\(versions.prefix(3).joined(separator: ", "))\(versions.count > 3 ? ", …" : ""))") }
        parts.append("\(known) already in the library")
        if !problems.isEmpty { parts.append("\(problems.count) entr\(problems.count == 1 ? "y" : "ies") with problems") }
        return parts.joined(separator: ", ")
      case .notModified: return "not modified since the last fetch"
      case .tooSoon(let until):
        return "not asked: asked less than its interval ago (next after \(Timestamp.iso(until)); --force asks anyway)"
      case .failed(let reason): return "failed: \(reason)"
      }
    }

    public var isFailure: Bool {
      if case .failed = kind { return true }
      return false
    }
  }

  public var sources: [Source]
  public var new: [PaperID] = []
  public var updated: [PaperID] = []
  /// A problem with quire's own fetch log, which was set aside.
  public var logProblem: String?

  public var failed: Int { sources.filter(\.isFailure).count }

  /// "3 new, 1 updated, 1 of 4 sources failed".
  public var summary: String {
    var parts = ["\(new.count) new paper\(new.count == 1 ? "" : "s")"]
    if !updated.isEmpty { parts.append("\(updated.count) updated") }
    let asked = sources.filter { if case .tooSoon = $0.kind { return false } else { return true } }.count
    if asked < sources.count { parts.append("\(sources.count - asked) not due yet") }
    if failed > 0 { parts.append("\(failed) of \(sources.count) source\(sources.count == 1 ? "" : "s") failed") }
    return parts.joined(separator: ", ")
  }
}

/// Where fetching reads and writes: the library file, the reading state (for the tags a
/// subscription gives) and the fetch log.
public struct FetchFiles: Sendable {
  public var library: String
  public var state: String
  public var log: String

  public init(library: String, state: String, log: String) {
    self.library = library
    self.state = state
    self.log = log
  }

  public init(environment: [String: String]) {
    self.init(
      library: LibraryStore.defaultPath(environment: environment), state: StateStore.defaultPath(environment: environment),
      log: FetchLog.defaultPath(environment: environment))
  }
}

/// Merges what sources sent into the library the way `quire import` does: a paper seen in
/// two feeds, or already imported, is one paper; a newer arXiv version updates it.
/// Everything fetched goes in at once or not at all: the library file is replaced whole,
/// after the tags for the new papers are saved, and the log last. A fetch killed between
/// them finds the papers already in the library next time.
public enum FetchMerge {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// `device` signs the tags given to new papers.
  public static func apply(
    _ outcomes: [SourceOutcome], files: FetchFiles, builtin: [Listing], at now: Date, device: String
  ) throws(Failure) -> FetchReport {
    // One fetch at a time merges: another (the reader's, a second terminal's) waits for
    // this one's file to be written and then merges into it.
    let store = LibraryStore(path: files.library)
    let lock = store.lockForWriting()
    defer { withExtendedLifetime(lock) {} }
    let existing: [Listing]
    do { existing = try store.load() } catch { throw Failure(description: "\(error.description); nothing fetched was merged") }
    var known = Library(name: "known", listings: builtin + existing)
    var fetched: [Listing] = []
    var report = FetchReport(sources: [])
    // Positions in `fetched` of the listings that were new papers and new versions, with
    // the tags their subscription gives.
    var newListings: [(position: Int, tags: [String])] = []
    var updatedListings: [Int] = []
    let added = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
    for outcome in outcomes {
      var source = FetchReport.Source(name: outcome.subscription.name, kind: .notModified)
      switch outcome.result {
      case .notModified: source.kind = .notModified
      case .tooSoon(let until): source.kind = .tooSoon(until: until)
      case .failed(let reason): source.kind = .failed(reason)
      case .fetched(let result):
        source.problems = result.diagnostics
        var counts = (new: 0, updated: 0, known: 0)
        for var listing in result.listings {
          if listing.added == nil { listing.added = added }
          let before = known.id(of: listing).flatMap { known[$0] }
          if known.add(listing) {
            counts.new += 1
            newListings.append((fetched.count, outcome.subscription.tags))
          } else if let before, let old = before.arxivVersion, let version = listing.arxivVersion, version > old {
            counts.updated += 1
            updatedListings.append(fetched.count)
            source.versions.append("\(before.arxiv.map { "arXiv:\($0)" } ?? before.id.rawValue) v\(old) → v\(version)")
          } else {
            counts.known += 1
          }
          fetched.append(listing)
        }
        source.kind = .merged(new: counts.new, updated: counts.updated, known: counts.known)
      }
      report.sources.append(source)
    }
    let changed = !newListings.isEmpty || !updatedListings.isEmpty
    if changed {
      var library = Library(name: "imported", listings: existing)
      for listing in fetched { library.add(listing) }
      // The ids the reader will know the papers by: those of the library file.
      var tagsForNew: [PaperID: [String]] = [:]
      for (position, tags) in newListings {
        guard let id = library.id(of: fetched[position]) else { continue }
        report.new.append(id)
        if !tags.isEmpty { tagsForNew[id, default: []] += tags }
      }
      report.new = unique(report.new)
      let new = Set(report.new)
      report.updated = unique(updatedListings.compactMap { library.id(of: fetched[$0]) }).filter { !new.contains($0) }
      // The tags first: killed between the two, the state names papers the library does
      // not hold yet, which is harmless.
      if !tagsForNew.isEmpty {
        do {
          try StateStore(path: files.state).update { reading in
            for (id, tags) in tagsForNew {
              var state = reading[id]
              for tag in tags where !state.tags.contains(tag) { state.tags.append(tag) }
              reading.record(state, of: id, at: .now(on: device, clock: now))
            }
            return true
          }
        } catch {
          throw Failure(description: "\(error.description); nothing fetched was merged")
        }
      }
      do { try store.save(library.papers) } catch { throw Failure(description: "\(error.description); nothing fetched was merged") }
    }
    // The log as it is now on disk: another fetch may have written it since this began.
    var (log, problem) = FetchLog.load(path: files.log)
    report.logProblem = problem
    for outcome in outcomes { log.sources[outcome.subscription.name] = outcome.log }
    if changed {
      log.lastFetch = now
      log.new = report.new
      log.updated = report.updated
    }
    do { try log.save(path: files.log) } catch {
      // Only validators and times are lost: the next fetch asks again in full.
      report.logProblem = error.description
    }
    return report
  }

  static func unique(_ ids: [PaperID]) -> [PaperID] {
    var seen = Set<PaperID>()
    return ids.filter { seen.insert($0).inserted }
  }
}
