import Foundation
import Synchronization

/// Steps that treat many items alike, shared among the cores: an import turns every entry
/// into a listing and every paper into a line, each independently of the others.
enum Parallel {
  /// `transform` of each item, in order. `progress` hears, on this thread, how many items
  /// are done, now and then.
  static func map<Item: Sendable, Result: Sendable>(
    _ items: [Item], progress: ((Int) -> Void)? = nil, _ transform: @Sendable (Item) -> Result
  ) -> [Result] {
    var results: [Result] = []
    results.reserveCapacity(items.count)
    forEachRound(of: items, transform) { round in
      results.append(contentsOf: round)
      progress?(results.count)
    }
    return results
  }

  /// `transform` of each item, handed to `collect` in order a round at a time, on this
  /// thread: what a round produces can be used, and freed, before the next one starts.
  /// Below `smallestShare` items per core, handing work to another core costs more than
  /// it saves.
  static func forEachRound<Item: Sendable, Result: Sendable>(
    of items: [Item], smallestShare: Int = 256, roundSize: Int? = nil, _ transform: @Sendable (Item) -> Result,
    collect: ([Result]) -> Void
  ) {
    let workers = ProcessInfo.processInfo.activeProcessorCount
    guard workers > 1, items.count >= 2 * smallestShare else {
      if !items.isEmpty { collect(items.map(transform)) }
      return
    }
    // Several shares per core, taken as cores come free, so that one slow share does not
    // hold the others up; rounds of a sixteenth by default, so that progress moves.
    let sharesPerRound = workers * 4
    let size = max(sharesPerRound * smallestShare, roundSize ?? items.count / 16)
    var start = 0
    while start < items.count {
      let round = start..<min(items.count, start + size)
      let shares = max(1, min(sharesPerRound, round.count / smallestShare))
      let pieces = Mutex<[Int: [Result]]>([:])
      DispatchQueue.concurrentPerform(iterations: shares) { share in
        let range = (round.lowerBound + round.count * share / shares)..<(round.lowerBound + round.count * (share + 1) / shares)
        let piece = items[range].map(transform)
        pieces.withLock { $0[share] = piece }
      }
      collect(pieces.withLock { all in (0..<shares).flatMap { all[$0]! } })
      start = round.upperBound
    }
  }
}
