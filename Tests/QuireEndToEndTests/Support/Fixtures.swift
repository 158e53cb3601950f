import Foundation
import Testing

/// Starts quire in the wrapper script inside a fresh tmux server. The caller must
/// `defer { session.kill() }` at once.
func startQuire(
  _ scratch: Scratch, _ arguments: [String] = [], cols: Int = 100, rows: Int = 30, name: String = "run",
  environment: [String: String] = [:], prefix: [String] = []
) async throws -> (TmuxSession, WrappedQuire) {
  let run = try scratch.wrappedQuire(arguments, name: name, environment: environment, prefix: prefix)
  let session = try await TmuxSession.start(cols: cols, rows: rows, command: run.shellCommand)
  return (session, run)
}

/// The bottom row of a screen: quire's status line.
func statusLine(_ screen: String) -> String {
  screen.split(separator: "\n", omittingEmptySubsequences: false).last { !$0.isEmpty }.map(String.init) ?? ""
}

/// Parses JSON text into a dictionary, or fails the test.
func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
  let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(object as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
}

/// Checks what a quit or signal left behind: the exit status the wrapper shell saw, the
/// terminal settings unchanged, and the shell's own output back on the main screen.
func expectCleanExit(
  _ session: TmuxSession, _ run: WrappedQuire, status expected: Int32,
  sourceLocation: SourceLocation = #_sourceLocation
) async throws {
  let status = try await run.exitStatus()
  #expect(status == expected, "quire's exit status", sourceLocation: sourceLocation)
  let screen = try await session.waitForScreen(containing: "quire exited \(status)")
  #expect(!screen.contains("┌ Papers"), "quire's panes are still on screen:\n\(screen)", sourceLocation: sourceLocation)
  let before = try #require(run.sttyBefore, sourceLocation: sourceLocation)
  let after = try #require(run.sttyAfter, sourceLocation: sourceLocation)
  #expect(before == after, "terminal settings not restored", sourceLocation: sourceLocation)
}

/// A small reading list in quire's format: the lines, each ended by a newline.
func readingList(_ lines: [String]) -> String {
  lines.joined(separator: "\n") + "\n"
}
