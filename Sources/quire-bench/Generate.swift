import ArgumentParser
import Foundation
import QuireModel

extension QuireBench {
  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a generated library where quire keeps a user's: library.jsonl and state.json under a data folder.",
      discussion: """
        Point XDG_DATA_HOME at the folder to open it: `XDG_DATA_HOME=/tmp/big quire`. The papers are the same \
        as `search` types into, for the same count.
        """)

    @Option(help: "Papers in the generated library.")
    var papers = 100_000

    @Argument(help: "The data folder; quire/library.jsonl and quire/state.json are written inside it.")
    var folder: String

    func run() throws {
      let (listings, states) = SyntheticLibrary.make(count: papers)
      let library = Library(name: "synthetic", listings: listings)
      var reading = ReadingState()
      for (index, state) in states { reading[library[index].id] = state }
      let environment = ["XDG_DATA_HOME": (folder as NSString).standardizingPath]
      let store = LibraryStore(path: LibraryStore.defaultPath(environment: environment))
      try store.save(library.papers)
      let state = StateStore(path: StateStore.defaultPath(environment: environment))
      try state.save(reading)
      for path in [store.path, state.path] {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("\(path): \(size / 1_000_000) MB")
      }
    }
  }
}
