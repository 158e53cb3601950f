import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a program run on quire's terminal ended.
enum ChildOutcome: Equatable {
  case exited(Int32)
  case signalled(Int32)
  /// Not even the shell could be run.
  case notStarted(String)
}

/// Runs the user's programs (editor, browser) in the foreground, on the terminal, and
/// waits for them, the way `system(3)` and mutt do.
enum ChildProcess {
  /// `/bin/sh -c script sh arguments…`: the arguments are `$1`, `$2`… to the script, so
  /// nothing in them is ever read as shell syntax.
  ///
  /// While the program runs, Ctrl-C and Ctrl-\ are its own (quire ignores them, or it would
  /// quit when the user interrupts something in the editor), and Ctrl-Z stops both, as a
  /// shell job, so `fg` brings the editor back. The program starts with every signal at its
  /// default and none blocked, whatever quire had set.
  static func runShell(_ script: String, arguments: [String], environment: [String: String]) -> ChildOutcome {
    var saved: [(Int32, sigaction)] = []
    func set(_ number: Int32, ignore: Bool) {
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = ignore ? SIG_IGN : SIG_DFL
      #else
        action.__sigaction_u.__sa_handler = ignore ? SIG_IGN : SIG_DFL
      #endif
      sigemptyset(&action.sa_mask)
      var previous = sigaction()
      sigaction(number, &action, &previous)
      saved.append((number, previous))
    }
    set(SIGINT, ignore: true)
    set(SIGQUIT, ignore: true)
    set(SIGTSTP, ignore: false)
    defer {
      for (number, previous) in saved.reversed() {
        var previous = previous
        sigaction(number, &previous, nil)
      }
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGWINCH, SIGTERM, SIGHUP, SIGCHLD] {
      sigaddset(&defaults, number)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    // The shell between quire and the program must outlive a Ctrl-C the program survives
    // (vim takes it as a key): were the shell to die of it, quire would take the terminal
    // back from an editor still running. A trap, unlike an ignored signal, is not passed on
    // to the program.
    let guarded = "trap : INT QUIT\n" + script
    let argv = (["/bin/sh", "-c", guarded, "sh"] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, envp)
    guard spawned == 0 else { return .notStarted(String(cString: strerror(spawned))) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      // A resize or a signal quire traps interrupts the wait, not the program.
      if errno != EINTR { return .notStarted(String(cString: strerror(errno))) }
    }
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
  }
}
