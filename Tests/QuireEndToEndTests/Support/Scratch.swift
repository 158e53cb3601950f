import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failure of the end-to-end machinery (a timeout, a missing file), with enough context
/// in its description to see what went wrong without rerunning.
struct E2EFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The `quire` executable that `swift test` built next to the test bundle.
enum QuireBinary {
  /// `QUIRE_BINARY` overrides; otherwise the folder of this test process (on Linux the
  /// `…/debug/quirePackageTests.xctest` executable itself; on macOS inside the bundle).
  static let path: String? = {
    let environment = ProcessInfo.processInfo.environment
    if let override = environment["QUIRE_BINARY"], !override.isEmpty { return override }
    let exe =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<5 {
      let candidate = folder.appendingPathComponent("quire").path
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }()

  static func require() throws -> String {
    guard let path else {
      throw E2EFailure("cannot find the built quire executable next to the test bundle (\(CommandLine.arguments[0]))")
    }
    return path
  }
}

/// What a finished process left behind.
struct ProcessResult: CustomStringConvertible {
  var status: Int32
  var exitedNormally: Bool
  var stdout: String
  var stderr: String

  var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

  var description: String {
    "status \(status)\(exitedNormally ? "" : " (signal)")\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
  }
}

/// Running programs to completion, with posix_spawn rather than Foundation's `Process`.
///
/// Test code runs on pool threads that block most signals, and a spawned child inherits
/// that mask: a tmux server started that way can never be stopped by `kill-server` (which
/// is SIGTERM to itself). So children start with an empty mask and default handlers, and
/// are reaped here with waitpid. Output goes to files, never pipes: a daemon that inherited
/// a pipe would keep it open, and a full pipe would block the child.
enum Run {
  private static let outputFolder: String = {
    // Shared by every run: the files in it have unique names and are removed when read.
    let folder = NSTemporaryDirectory() + "quire-e2e-output"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }()

  struct Spawned {
    var pid: pid_t
    var outPath: String
    var errPath: String
  }

  static func spawn(
    _ executable: String, _ arguments: [String], environment: [String: String]?, directory: String?
  ) throws -> Spawned {
    let id = UUID().uuidString
    let outPath = outputFolder + "/\(id).out"
    let errPath = outputFolder + "/\(id).err"

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let environment = environment ?? ProcessInfo.processInfo.environment
    // posix_spawn_file_actions_addchdir_np is not visible from Swift: let a shell change folder.
    var executable = executable
    var arguments = arguments
    if let directory {
      arguments = ["-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
      executable = "/bin/sh"
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard result == 0 else {
      throw E2EFailure("cannot run \(executable): \(String(cString: strerror(result)))")
    }
    return Spawned(pid: pid, outPath: outPath, errPath: errPath)
  }

  private static func collect(_ spawned: Spawned, status: Int32) -> ProcessResult {
    let out = (try? Data(contentsOf: URL(fileURLWithPath: spawned.outPath))) ?? Data()
    let err = (try? Data(contentsOf: URL(fileURLWithPath: spawned.errPath))) ?? Data()
    try? FileManager.default.removeItem(atPath: spawned.outPath)
    try? FileManager.default.removeItem(atPath: spawned.errPath)
    let signal = status & 0x7f
    return ProcessResult(
      status: signal == 0 ? (status >> 8) & 0xff : signal, exitedNormally: signal == 0,
      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
  }

  /// Runs a program and waits for it, polling, without holding a thread of the test pool.
  static func process(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
  ) async throws -> ProcessResult {
    let spawned = try spawn(executable, arguments, environment: environment, directory: directory)
    var status: Int32 = 0
    var delay = 1
    while true {
      let reaped = waitpid(spawned.pid, &status, WNOHANG)
      if reaped == spawned.pid { break }
      if reaped < 0 && errno != EINTR {
        throw E2EFailure("waitpid \(spawned.pid): \(String(cString: strerror(errno)))")
      }
      try await Task.sleep(for: .milliseconds(delay))
      delay = min(delay * 2, 20)
    }
    return collect(spawned, status: status)
  }

  /// The blocking form, for `defer` blocks.
  @discardableResult
  static func processSync(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil
  ) -> ProcessResult? {
    guard let spawned = try? spawn(executable, arguments, environment: environment, directory: nil) else {
      return nil
    }
    var status: Int32 = 0
    while waitpid(spawned.pid, &status, 0) < 0 && errno == EINTR {}
    return collect(spawned, status: status)
  }
}

/// Quotes a word for /bin/sh.
func shellQuote(_ word: String) -> String {
  "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// A test's own folder: its own HOME, XDG_DATA_HOME and XDG_CONFIG_HOME, so no test sees
/// another's state or the user's.
final class Scratch: Sendable {
  let root: String
  let home: String
  let dataHome: String
  let configHome: String
  let stateHome: String
  let cacheHome: String
  let quire: String

  init() throws {
    quire = try QuireBinary.require()
    // Short and free of spaces, so paths fit on the status line and need no quoting in keys.
    root = NSTemporaryDirectory() + "quire-e2e-" + UUID().uuidString.prefix(8).lowercased()
    home = root + "/home"
    dataHome = root + "/data"
    configHome = root + "/config"
    stateHome = root + "/state"
    cacheHome = root + "/cache"
    for folder in [home, dataHome, configHome] {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
  }

  /// Where quire keeps its state by default in this scratch folder.
  var statePath: String { dataHome + "/quire/state.json" }
  var keymapPath: String { configHome + "/quire/keymap" }
  var configPath: String { configHome + "/quire/config" }
  var sessionPath: String { stateHome + "/quire/session.json" }

  /// The whole environment quire runs with: nothing of the test runner's leaks in.
  var environment: [String: String] {
    [
      "PATH": "/usr/local/bin:/usr/bin:/bin",
      "HOME": home,
      "XDG_DATA_HOME": dataHome,
      "XDG_CONFIG_HOME": configHome,
      "XDG_STATE_HOME": stateHome,
      "XDG_CACHE_HOME": cacheHome,
      "LANG": "C.UTF-8",
      "TERM": "xterm-256color",
    ]
  }

  /// `env -i NAME=value … ` for the scratch environment, ready to prefix a command.
  func envPrefix(extra: [String: String] = [:]) -> String {
    let all = environment.merging(extra) { $1 }
    return "env -i " + all.keys.sorted().map { shellQuote("\($0)=\(all[$0]!)") }.joined(separator: " ")
  }

  func path(_ name: String) -> String { root + "/" + name }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let full = name.hasPrefix("/") ? name : path(name)
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    return full
  }

  func read(_ path: String) -> String? {
    (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Runs quire to completion (no terminal) with the scratch environment.
  func runQuire(_ arguments: [String], directory: String? = nil) async throws -> ProcessResult {
    try await Run.process(quire, arguments, environment: environment, directory: directory)
  }

  /// Writes a wrapper script that records the terminal settings, runs quire with its pid in
  /// a file, records how it ended and the terminal settings again, then keeps the pane open.
  /// `prefix` runs quire under another program (strace).
  func wrappedQuire(
    _ arguments: [String], name: String = "run", environment extra: [String: String] = [:], prefix: [String] = []
  ) throws -> WrappedQuire {
    let folder = path(name)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let command = (prefix + [quire] + arguments).map(shellQuote).joined(separator: " ")
    let script = """
      d=\(shellQuote(folder))
      stty -g > "$d/stty-before"
      # Ctrl-C goes to the whole foreground group: this shell must outlive it to report.
      trap : INT
      /bin/sh -c 'echo $$ > "$0"; exec "$@"' "$d/quire.pid" \(command)
      status=$?
      echo "quire exited $status"
      stty -g > "$d/stty-after"
      echo "$status" > "$d/exit-status"
      exec sleep 3600

      """
    try write(folder + "/wrapper.sh", script)
    return WrappedQuire(
      folder: folder, shellCommand: "exec \(envPrefix(extra: extra)) /bin/sh \(shellQuote(folder + "/wrapper.sh"))")
  }

  func remove() {
    if ProcessInfo.processInfo.environment["QUIRE_E2E_KEEP"] != nil { return }
    try? FileManager.default.removeItem(atPath: root)
  }
}

/// One run of quire inside the wrapper script, and the files it leaves.
struct WrappedQuire: Sendable {
  let folder: String
  /// What the tmux pane runs.
  let shellCommand: String

  var pidFile: String { folder + "/quire.pid" }
  var exitStatusFile: String { folder + "/exit-status" }
  var sttyBeforeFile: String { folder + "/stty-before" }
  var sttyAfterFile: String { folder + "/stty-after" }

  private func contents(_ path: String) -> String? {
    (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  var sttyBefore: String? { contents(sttyBeforeFile) }
  var sttyAfter: String? { contents(sttyAfterFile) }

  /// The pid of quire, once the wrapper has started it.
  func pid(timeout: Duration = .seconds(10)) async throws -> pid_t {
    try await waitUntil("quire's pid in \(pidFile)", timeout: timeout) {
      contents(pidFile).flatMap { pid_t($0) }
    }
  }

  /// quire's exit status as the shell saw it (128+n when killed by signal n).
  func exitStatus(timeout: Duration = .seconds(10)) async throws -> Int32 {
    try await waitUntil("quire to exit (\(exitStatusFile))", timeout: timeout) {
      contents(exitStatusFile).flatMap { Int32($0) }
    }
  }
}

/// Polls every 50 ms until `check` gives a value.
func waitUntil<T>(
  _ what: String, timeout: Duration = .seconds(10), _ check: () async throws -> T?
) async throws -> T {
  let clock = ContinuousClock()
  let deadline = clock.now + timeout
  while true {
    if let value = try await check() { return value }
    if clock.now >= deadline { throw E2EFailure("timed out after \(timeout) waiting for \(what)") }
    try await Task.sleep(for: .milliseconds(50))
  }
}

/// Columns a character takes in a terminal, for checking alignment in captured screens:
/// 2 for East Asian wide and full-width characters, 0 for combining marks, 1 otherwise.
func displayWidth(_ character: Character) -> Int {
  guard let scalar = character.unicodeScalars.first else { return 0 }
  let value = scalar.value
  switch scalar.properties.generalCategory {
  case .nonspacingMark, .enclosingMark, .format: return 0
  default: break
  }
  let wide: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
    0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
  ]
  return wide.contains { $0.contains(value) } ? 2 : 1
}

/// The display columns at which each character of a captured line starts.
func columns(of line: String) -> [(column: Int, character: Character)] {
  var out: [(Int, Character)] = []
  var column = 0
  for character in line {
    out.append((column, character))
    column += displayWidth(character)
  }
  return out
}

func displayWidth(_ line: String) -> Int { line.reduce(0) { $0 + displayWidth($1) } }

/// Whether a process is gone or a zombie waiting for its parent.
func processHasEnded(_ pid: pid_t) -> Bool {
  if kill(pid, 0) != 0 { return errno == ESRCH }
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return false }
  return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}
