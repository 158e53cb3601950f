import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The last terminating signal received, set from the signal handler. An atomic store is
/// safe inside a handler; the main loop reads it between keys and quits cleanly.
private let pendingSignal = Atomic<Int32>(0)

/// SIGINT, SIGTERM and SIGHUP end quire through its normal path (save, restore the
/// terminal) instead of killing it mid-write. Install before curses starts, so that
/// curses leaves these signals to us.
public enum SignalTrap {
  public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  public static func install() {
    for signalNumber in handled {
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { number in pendingSignal.store(number, ordering: .relaxed) }
      #else
        action.__sigaction_u.__sa_handler = { number in pendingSignal.store(number, ordering: .relaxed) }
      #endif
      sigemptyset(&action.sa_mask)
      // No SA_RESTART: a signal interrupts the wait for a key, so it is acted on at once.
      action.sa_flags = 0
      sigaction(signalNumber, &action, nil)
    }
    // Writing to a terminal that has gone away must not kill us before state is saved.
    signal(SIGPIPE, SIG_IGN)
  }

  /// The signal received since the last call, if any.
  public static func take() -> Int32? {
    let number = pendingSignal.exchange(0, ordering: .relaxed)
    return number == 0 ? nil : number
  }

  /// Ends the process the way the signal would have, after cleanup.
  public static func exitAsSignalled(_ number: Int32) -> Never {
    signal(number, SIG_DFL)
    raise(number)
    exit(128 + number)
  }
}
