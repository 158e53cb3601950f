import ArgumentParser
import Foundation
import QuireModel
import QuireUI

extension Quire {
  struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Edit a paper's note in $VISUAL or $EDITOR (vi without either).",
      discussion: """
        ID is a paper's id as `quire list` prints it; a prefix that only one paper has is enough. Emptying the file removes the note. The note is saved the way the reader saves, merged with what other quires saved meanwhile, so a reader open in another terminal takes it in within a few seconds.
        """)

    @Argument(help: "The paper's id, as `quire list` prints it (a unique prefix is enough).")
    var id: String

    @Option(name: .long, help: "Look the paper up in this file (any format `quire import` reads) instead of the built-in list plus everything imported.", completion: .file())
    var file: String?

    @Option(name: .long, help: "The state file (default: $XDG_DATA_HOME/quire/state.json).", completion: .file())
    var state: String?

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      let library = try LibraryOptions.loadLibrary(file: file, environment: environment)
      let paper = try PaperLookup.find([id], in: library)[0]
      let store = StateStore(path: state ?? StateStore.defaultPath(environment: environment))
      let (reading, mark) = try LibraryOptions.loadState(path: store.path)
      let before = reading[paper]
      switch ExternalEditor(environment: environment).edit(before.note, of: paper) {
      case .failed(let reason):
        throw QuireFailure(message: reason)
      case .edited(let note):
        guard note != before.note else {
          print("note unchanged")
          return
        }
        var changed = reading
        var edited = before
        edited.note = note
        changed.record(edited, of: paper, at: .now(on: try LibraryOptions.device(environment: environment)))
        do {
          // The reader's own way of saving: under the lock, merged per field with whatever
          // another process saved since the state was read, appended to the journal that an
          // open reader reads now and then.
          let writer = StateWriter(store: store, loaded: mark)
          let merged = try writer.save(changed, changed: [paper])
          writer.foldOnFinish(changed.adopting(merged), changed: [])
        } catch {
          throw QuireFailure(message: error.description)
        }
        print(note == nil ? "note removed from \(paper)" : "note saved for \(paper)")
      }
    }
  }
}
