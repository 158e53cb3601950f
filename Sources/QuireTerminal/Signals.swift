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

/// A crash (a fault, an abort, Ctrl-\) must not leave the terminal raw and on the
/// alternate screen: the handler puts back the settings from before quire started and
/// writes curses' own "leave" sequences, then lets the signal go on to whatever handled it
/// before (Swift's crash report, or the default: core and exit status 128 + n). Only
/// async-signal-safe calls: `tcsetattr` and `write`, on values prepared before curses
/// started.
public enum CrashRestore {
  public static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT]

  /// Takes the terminal's settings now, before curses changes them.
  public static func remember(terminal fd: Int32) {
    var settings = termios()
    guard tcgetattr(fd, &settings) == 0 else { return }
    crashTerminal.fd = fd
    crashTerminal.settings = settings
    crashTerminal.hasSettings = true
  }

  /// Installs the handlers; `leave` is what puts the screen back (curses' rmcup, cnorm, sgr0).
  public static func install(leave: [UInt8]) {
    crashTerminal.leave = leave
    for number in signals {
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { number in CrashRestore.handle(number) }
      #else
        action.__sigaction_u.__sa_handler = { number in CrashRestore.handle(number) }
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      var previous = sigaction()
      sigaction(number, &action, &previous)
      crashTerminal.previous[Int(number)] = previous
    }
  }

  /// Puts the previous handlers back: after the terminal is restored there is nothing to do.
  public static func uninstall() {
    for number in signals {
      guard var previous = crashTerminal.previous[Int(number)] else { continue }
      sigaction(number, &previous, nil)
    }
  }

  private static func handle(_ number: Int32) {
    if crashTerminal.hasSettings {
      _ = tcsetattr(crashTerminal.fd, TCSANOW, &crashTerminal.settings)
      _ = crashTerminal.leave.withUnsafeBytes { write(crashTerminal.fd, $0.baseAddress, $0.count) }
    }
    // The signal is blocked while this runs: raised again, it arrives as the handler
    // returns, under the previous disposition. A fault also recurs on return by itself.
    if var previous = crashTerminal.previous[Int(number)] {
      sigaction(number, &previous, nil)
    } else {
      signal(number, SIG_DFL)
    }
    raise(number)
  }
}

/// Set before the handlers are installed and only read by them.
private struct CrashTerminal {
  var fd: Int32 = STDOUT_FILENO
  var settings = termios()
  var hasSettings = false
  var leave: [UInt8] = []
  var previous: [sigaction?] = Array(repeating: nil, count: 65)
}

nonisolated(unsafe) private var crashTerminal = CrashTerminal()
