import Foundation

/// Finds papers by the ids a user types: whole, as `quire list` prints them, or a unique
/// beginning of one, as with git's commit ids.
public struct PaperIDResolver: Sendable {
  public enum Answer: Equatable, Sendable {
    case found(PaperID)
    case unknown
    /// Every id it begins, in order.
    case ambiguous([PaperID])
  }

  private let sorted: [PaperID]

  public init(ids: [PaperID]) {
    sorted = Array(Set(ids)).sorted()
  }

  public func resolve(_ typed: String) -> Answer {
    let prefix = typed.trimmingCharacters(in: .whitespaces).lowercased()
    guard !prefix.isEmpty else { return .unknown }
    // The first id not below the prefix; those that begin with it follow it in order.
    var low = 0
    var high = sorted.count
    while low < high {
      let middle = (low + high) / 2
      if sorted[middle].rawValue < prefix { low = middle + 1 } else { high = middle }
    }
    var matches: [PaperID] = []
    var index = low
    while index < sorted.count, sorted[index].rawValue.hasPrefix(prefix) {
      if sorted[index].rawValue == prefix { return .found(sorted[index]) }
      matches.append(sorted[index])
      index += 1
    }
    switch matches.count {
    case 0: return .unknown
    case 1: return .found(matches[0])
    default: return .ambiguous(matches)
    }
  }
}
