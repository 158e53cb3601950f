import Foundation
import QuireModel

/// The search index of the library quire keeps, saved in the cache folder so that the next
/// start opens it at once instead of folding every paper again (a minute at a million).
/// It is only a cache: when the library file changes, or the index is missing or damaged,
/// it is built again and replaced.
public struct SearchIndexCache: Sendable {
  /// `$XDG_CACHE_HOME/quire`, or `~/.cache/quire`.
  public let folder: String

  public init(environment: [String: String]) {
    if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
      folder = cache + "/quire"
    } else {
      folder = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/quire"
    }
  }

  /// Where the index of the library file at `libraryPath` is kept.
  public func path(for libraryPath: String) -> String {
    folder + "/search-\(StableHash.fnv1a64Hex(libraryPath)).index"
  }

  /// Where the line table of the library file at `libraryPath` is kept.
  public func tablePath(for libraryPath: String) -> String {
    folder + "/lines-\(StableHash.fnv1a64Hex(libraryPath)).table"
  }

  /// The library's kept index, or one built now (and kept, when the library is quire's
  /// own file); `built` says which.
  public func openOrBuild(_ library: Library) -> (index: SearchIndex, built: Bool) {
    guard let (libraryPath, fingerprint) = library.storedIdentity else { return (SearchIndex(library: library), true) }
    let path = path(for: libraryPath)
    if let kept = SearchIndex.open(path: path, fingerprint: fingerprint), kept.count == library.count {
      return (kept, false)
    }
    let index = SearchIndex(library: library)
    // A cache that cannot be written costs the next start time, nothing else.
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try? index.write(to: path, fingerprint: fingerprint)
    return (index, true)
  }
}
