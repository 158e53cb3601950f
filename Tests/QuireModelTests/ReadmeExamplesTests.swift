import Foundation
import Testing

@testable import QuireModel

/// The format examples in README.md are real: each is read as a paper, without a problem.
@Suite("README examples")
struct ReadmeExamplesTests {
  static func blocks() throws -> [(language: String, text: String)] {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let lines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
    var blocks: [(String, String)] = []
    var current: (String, [String])?
    for line in lines {
      if line.hasPrefix("```") {
        if let open = current {
          blocks.append((open.0, open.1.joined(separator: "\n")))
          current = nil
        } else {
          current = (String(line.dropFirst(3)), [])
        }
      } else if current != nil {
        current!.1.append(line)
      }
    }
    return blocks
  }

  @Test("every import format has an example in README, and each example imports cleanly")
  func examples() throws {
    var formats: Set<ImportFormat> = []
    for (language, text) in try Self.blocks() {
      let isExample =
        language == "bibtex" || language == "xml" || (language == "json" && !text.contains("quire-state"))
        || text.hasPrefix("TY  -") || text.hasPrefix("{\"title\"") || text.hasPrefix("- Published:")
      guard isExample else { continue }
      let result = try Importer.read(Data(text.utf8), file: "README.md")
      #expect(result.diagnostics.isEmpty, "\(result.format): \(result.diagnostics)")
      #expect(!result.listings.isEmpty, "\(result.format) example read no paper")
      #expect(result.listings.allSatisfy { $0.title != nil || $0.abstract != nil })
      formats.insert(result.format)
    }
    #expect(formats == Set(ImportFormat.allCases), "missing: \(Set(ImportFormat.allCases).subtracting(formats))")
  }

  @Test("the state.json example is exactly what quire writes, stamps and all, and merges with itself to itself")
  func stateExample() throws {
    let example = try #require(Self.blocks().first { $0.language == "json" && $0.text.contains("\"quire-state\"") }).text + "\n"
    let data = Data(example.utf8)
    #expect(StateLayoutParser.stateFile(data) != nil, "not in quire's own layout")
    let state = try StateStore.decode(data, path: "README.md")
    #expect(String(decoding: StateStore.encode(state), as: UTF8.self) == example)
    let paper = state[PaperID("f040727cead619c8")]
    #expect(paper.stamps.tags.map(\.tag) == ["gan", "to-read"])
    #expect(paper.stamps.note?.device == "desktop-91c2")
    var merged = state
    #expect(merged.merge(state).isEmpty)
  }
}
