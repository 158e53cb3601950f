import Foundation
import QuireModel
import Synchronization

/// The statistics view's numbers counted on another thread. Only the latest opening's
/// count is kept: one asked for by an earlier opening, finishing later, is dropped rather
/// than taking its place.
final class StatsInBackground: Sendable {
  private struct Slot {
    var latest = 0
    var counted: (stats: ReadingStats, request: Int)?
  }

  private let slot = Mutex(Slot())

  func start(request: Int, _ count: @escaping @Sendable () -> ReadingStats) {
    slot.withLock { $0.latest = request }
    let thread = Thread { [self] in
      let stats = count()
      slot.withLock { slot in
        if slot.latest == request { slot.counted = (stats, request) }
      }
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  var isReady: Bool { slot.withLock { $0.counted != nil } }

  func take() -> (stats: ReadingStats, request: Int)? {
    slot.withLock { slot in
      defer { slot.counted = nil }
      return slot.counted
    }
  }
}
