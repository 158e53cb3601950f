import ArgumentParser
import Foundation
import QuireModel
import QuireUI

/// What the shells offer on Tab for `quire mark` and `quire tag`: paper ids from the
/// library, and `+tag`/`-tag` from the tags in use. Run by the completion scripts as
/// `quire ---completion …`, so it must be quick and quiet: any problem offers nothing.
enum StateCompletions {
  /// At most this many ids: a shell listing a million is no help.
  static let limit = 200

  static func ids(startingWith prefix: String) -> [String] {
    let environment = ProcessInfo.processInfo.environment
    guard let library = try? LibraryLoader.load(file: nil, environment: environment, progress: nil) else { return [] }
    let wanted = prefix.lowercased()
    var found: [String] = []
    for index in 0..<library.count {
      let id = library.id(at: index).rawValue
      if id.hasPrefix(wanted) {
        found.append(id)
        if found.count == limit { break }
      }
    }
    return found
  }

  /// `+name` for tags in use (to add them elsewhere), `-name` to remove them.
  static func tagWords(startingWith prefix: String) -> [String] {
    guard let sign = prefix.first, sign == "+" || sign == "-" else { return ids(startingWith: prefix) }
    let environment = ProcessInfo.processInfo.environment
    guard let reading = try? StateStore(path: StateStore.defaultPath(environment: environment)).load() else { return [] }
    var tags = Set<String>()
    for entry in reading.papers.values { tags.formUnion(entry.tags) }
    return tags.sorted().map { String(sign) + $0 }.filter { $0.hasPrefix(prefix) }
  }
}
