import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finding tmux.
enum Tmux {
  static let path: String? = {
    var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    folders += ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"]
    for folder in folders where !folder.isEmpty {
      let candidate = folder + "/tmux"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }()

  static var isAvailable: Bool { path != nil }
}

/// A tmux server of the test's own (`tmux -L quire-e2e-<uuid>`) with one session whose
/// pane runs a command: the terminal quire is tested in. Kill it with `kill()`, in a
/// `defer`, so that no server outlives a failed test.
final class TmuxSession: Sendable {
  let socket: String
  let target = "e2e"
  let tmux: String

  /// The environment tmux itself runs in: the runner's, with a UTF-8 locale and a known
  /// shell, and without $TMUX in case the tests run inside tmux.
  private let environment: [String: String]

  private init(tmux: String) {
    self.tmux = tmux
    socket = "quire-e2e-" + UUID().uuidString.lowercased()
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    environment["TMUX_PANE"] = nil
    environment["LC_ALL"] = "C.UTF-8"
    environment["LANG"] = "C.UTF-8"
    environment["SHELL"] = "/bin/sh"
    self.environment = environment
  }

  /// Starts a server and a detached `cols`×`rows` session whose pane runs `command` (a
  /// /bin/sh command line). The pane stays after its command ends, so it can be read.
  static func start(cols: Int, rows: Int, command: String) async throws -> TmuxSession {
    guard let path = Tmux.path else { throw E2EFailure("tmux is not installed") }
    let session = TmuxSession(tmux: path)
    let result = try await session.run([
      "start-server", ";",
      "set-option", "-g", "remain-on-exit", "on", ";",
      "set-option", "-g", "default-shell", "/bin/sh", ";",
      "new-session", "-d", "-s", session.target, "-x", "\(cols)", "-y", "\(rows)", command,
    ])
    guard result.status == 0 else {
      session.kill()
      throw E2EFailure("tmux new-session failed: \(result)")
    }
    return session
  }

  /// Runs a tmux command on this server.
  @discardableResult
  func run(_ arguments: [String]) async throws -> ProcessResult {
    try await Run.process(tmux, ["-u", "-f", "/dev/null", "-L", socket] + arguments, environment: environment)
  }

  /// Ends the server and everything running in it, and removes its socket, which tmux
  /// leaves behind. Safe to call more than once.
  func kill() {
    Run.processSync(tmux, ["-f", "/dev/null", "-L", socket, "kill-server"], environment: environment)
    // Where tmux puts a -L socket: $TMUX_TMPDIR or /tmp, then tmux-UID.
    let folder = environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    unlink("\(folder)/tmux-\(getuid())/\(socket)")
  }

  // MARK: - Looking

  /// The visible screen, one line per row (tmux trims trailing spaces).
  func screen() async throws -> String {
    let result = try await run(["capture-pane", "-p", "-t", target])
    guard result.status == 0 else { throw E2EFailure("capture-pane failed: \(result)") }
    return result.stdout
  }

  func lines() async throws -> [String] {
    try await screen().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// A `#{format}` of the pane, e.g. `#{pane_title}`.
  func display(_ format: String) async throws -> String {
    try await run(["display-message", "-p", "-t", target, format]).stdout
      .trimmingCharacters(in: .newlines)
  }

  /// Polls the screen every 50 ms until `condition` holds; fails with the last screen.
  @discardableResult
  func waitForScreen(
    _ what: String, timeout: Duration = .seconds(10), where condition: (String) -> Bool
  ) async throws -> String {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var last = ""
    while true {
      last = try await screen()
      if condition(last) { return last }
      if clock.now >= deadline {
        throw E2EFailure("timed out after \(timeout) waiting for the screen to show \(what); last screen:\n\(last)")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  @discardableResult
  func waitForScreen(containing text: String, timeout: Duration = .seconds(10)) async throws -> String {
    try await waitForScreen("\"\(text)\"", timeout: timeout) { $0.contains(text) }
  }

  @discardableResult
  func waitForScreen(notContaining text: String, timeout: Duration = .seconds(10)) async throws -> String {
    try await waitForScreen("no \"\(text)\"", timeout: timeout) { !$0.contains(text) }
  }

  // MARK: - Typing

  /// Key names as tmux knows them: `j`, `Enter`, `Escape`, `C-c`.
  func press(_ keys: String...) async throws {
    for key in keys {
      try await run(["send-keys", "-t", target, key])
      // Not synchronisation, only spacing, so keys are not read as one escape sequence.
      try await Task.sleep(for: .milliseconds(30))
    }
  }

  /// Text typed as it is.
  func type(_ text: String) async throws {
    try await run(["send-keys", "-t", target, "-l", text])
    try await Task.sleep(for: .milliseconds(30))
  }

  func resize(cols: Int, rows: Int) async throws {
    let result = try await run(["resize-window", "-t", target, "-x", "\(cols)", "-y", "\(rows)"])
    guard result.status == 0 else { throw E2EFailure("resize-window failed: \(result)") }
  }
}
