import Foundation
import Testing

/// Undo, marks and bulk actions, and a title of the reader's own, through the real binary.
@Suite("Undo, marks and titles in the terminal", .serialized)
struct SessionEditingEndToEndTests {
  @Test func marksBulkActionsUndoAndATitleAreSaved() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }

    do {
      let (tmux, run) = try await startQuire(scratch)
      defer { tmux.kill() }
      try await tmux.waitForScreen(containing: "1/13")
      // The first paper of the built-in list is untitled: give it a title.
      try await tmux.press("T")
      try await tmux.waitForScreen(containing: " title: ")
      try await tmux.type("Approximation by superpositions")
      try await tmux.press("Enter")
      try await tmux.waitForScreen(containing: "titled 'Approximation by superpositions'")
      // Mark the second and third papers, read them and tag them at once.
      try await tmux.press("j")
      try await tmux.press("m")
      try await tmux.press("m")
      let marked = try await tmux.waitForScreen(containing: "Papers · 2 marked")
      #expect(marked.contains("│ *●"), "\(marked)")
      try await tmux.press("r")
      try await tmux.waitForScreen(containing: "marked 2 papers read")
      try await tmux.press("t")
      try await tmux.waitForScreen(containing: "Tags of 2 marked papers")
      try await tmux.type("gan")
      try await tmux.press("Enter")
      try await tmux.waitForScreen(containing: "tagged 2 papers 'gan'")
      try await tmux.type("keep")
      try await tmux.press("Enter")
      try await tmux.waitForScreen(containing: "keep 2/2")
      try await tmux.press("Escape")
      try await tmux.waitForScreen(notContaining: "┌ Tags")
      // One u takes back the last tag on both papers; C-r and u again show it moves as one.
      try await tmux.press("u")
      try await tmux.waitForScreen(containing: "undone: tagged 2 papers 'keep'")
      try await tmux.press("C-r")
      try await tmux.waitForScreen(containing: "redone: tagged 2 papers 'keep'")
      try await tmux.press("u")
      try await tmux.waitForScreen(containing: "undone: tagged 2 papers 'keep'")
      try await tmux.press("Escape")
      try await tmux.waitForScreen(containing: "unmarked 2 papers")
      try await tmux.press("q")
      try await expectCleanExit(tmux, run, status: 0)
    }

    let text = try #require(scratch.read(scratch.statePath), "no state file")
    let papers = try #require(try jsonObject(text)["papers"] as? [String: [String: Any]], "\(text)")
    #expect(papers.count == 3, "\(text)")
    let titled = papers.values.filter { $0["title"] as? String == "Approximation by superpositions" }
    #expect(titled.count == 1, "\(text)")
    let read = papers.values.filter { $0["status"] as? String == "read" }
    #expect(read.count == 2, "\(text)")
    #expect(read.allSatisfy { $0["tags"] as? [String] == ["gan"] }, "\(text)")
    #expect(read.allSatisfy { ($0["read"] as? String)?.hasSuffix("Z") == true }, "a read time is kept: \(text)")

    // The title is what the list shows, the next time too.
    let (tmux, run) = try await startQuire(scratch, name: "second")
    defer { tmux.kill() }
    try await tmux.waitForScreen(containing: "Approximation by superpositions")
    try await tmux.press("q")
    try await expectCleanExit(tmux, run, status: 0)
  }
}
