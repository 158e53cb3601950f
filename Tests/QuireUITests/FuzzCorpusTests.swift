// The keymap fuzz target's parser call (Fuzz/Targets/keymap.swift) and the regression test
// that runs its seed corpus and crashers through the same call. Compiled here as a test
// and by scripts/fuzz.sh with `-D QUIRE_FUZZ` into the fuzzer; see
// Tests/QuireModelTests/FuzzCorpusTests.swift for the other targets.

import Foundation
import QuireModel
import QuireUI

#if !QUIRE_FUZZ
  import Testing
#endif

public enum UIFuzz {
  public static let targets: [String: @Sendable (UnsafeRawBufferPointer) -> [String]] = ["keymap": keymap]

  /// A user's keymap file, applied over the built-in one as quire reads it (a String,
  /// bad bytes repaired). Every problem names a line the file has, and the keymap in
  /// force, written out as `quire keys` prints it, reads back as the same keymap.
  public static func keymap(_ bytes: UnsafeRawBufferPointer) -> [String] {
    var keymap = Keymap.builtinDefault
    let diagnostics = keymap.apply(String(decoding: bytes, as: UTF8.self), file: "keymap")
    var problems: [String] = []
    let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    for diagnostic in diagnostics where diagnostic.line < 1 || diagnostic.line > lines {
      problems.append("diagnostic names line \(diagnostic.line) of \(lines): \(diagnostic)")
    }
    let dumped = keymap.dump()
    var again = Keymap()
    let dumpProblems = again.apply(dumped, file: "quire keys")
    if !dumpProblems.isEmpty {
      problems.append("`quire keys` output does not read back: \(dumpProblems.map(\.description).joined(separator: "; "))")
    }
    if again != keymap { problems.append("`quire keys` output reads back as another keymap") }
    return problems
  }
}

#if !QUIRE_FUZZ
  @Suite("Fuzz corpus and regressions (keymap)")
  struct FuzzCorpusTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()

    static func inputs() -> [String] {
      var found: [String] = []
      for folder in ["Fuzz/Corpus", "Fuzz/Regressions"] {
        for target in UIFuzz.targets.keys.sorted() {
          let path = repository.appendingPathComponent(folder).appendingPathComponent(target).path
          let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
          for name in names.sorted() where !name.hasPrefix(".") {
            found.append("\(folder)/\(target)/\(name)")
          }
        }
      }
      return found
    }

    @Test("the keymap target has seeds")
    func hasSeeds() {
      #expect(Self.inputs().contains { $0.hasPrefix("Fuzz/Corpus/keymap/") })
    }

    @Test("each keymap input runs through the target without a broken invariant", arguments: inputs())
    func run(_ input: String) throws {
      let target = input.split(separator: "/")[2]
      let data = try Data(contentsOf: Self.repository.appendingPathComponent(input))
      let problems = data.withUnsafeBytes { UIFuzz.targets[String(target)]!($0) }
      #expect(problems.isEmpty, "\(input): \(problems.joined(separator: "; "))")
    }
  }
#endif
