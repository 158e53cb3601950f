import Foundation
import Testing

@testable import QuireModel

@Suite("Import")
struct ImporterTests {
  @Test("formats are recognised from their content, whatever the file is called", arguments: [
    ("@article{k, title={T}}", ImportFormat.bibtex), ("% comment\n@Book{x,\n}", .bibtex),
    ("TY  - JOUR\nTI  - T\nER  - \n", .ris), ("<?xml version=\"1.0\"?><feed></feed>", .atom),
    ("[{\"title\": \"T\"}]", .cslJSON), ("{\"title\": \"T\"}\n{\"title\": \"U\"}\n", .jsonl),
    ("{\n  \"items\": []\n}", .cslJSON), ("- Paper added: T", .readingList),
    ("\u{FEFF}  - Published: 1 May 2020\n", .readingList),
  ])
  func detect(text: String, format: ImportFormat) {
    #expect(ImportFormat.detect(text, name: "no-extension") == format)
  }

  @Test("the name is only a hint, used when the content says nothing")
  func nameHint() {
    #expect(ImportFormat.detect("", name: "refs.bib") == .bibtex)
    #expect(ImportFormat.detect("just words", name: "notes") == nil)
  }

  @Test("files that are not text, or not UTF-8, are refused with a clear reason")
  func notText() {
    #expect(throws: Importer.ReadError.self) { try Importer.read(Data([0x40, 0x00, 0x41]), file: "x.bib") }
    #expect(throws: Importer.ReadError.self) { try Importer.read(Data([0x40, 0xC3, 0x28]), file: "x.bib") }
    do { _ = try Importer.read(Data("just words".utf8), file: "notes") } catch {
      #expect(error.description.contains("--format"))
    }
  }

  @Test("the library store keeps papers without reading state and reads them back")
  func store() throws {
    let path = NSTemporaryDirectory() + "quire-store-\(UUID().uuidString)/library.jsonl"
    let library = BuiltinLibrary.load()
    try LibraryStore(path: path).save(library.papers)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("\"status\""))
    let again = Library(name: "again", listings: try LibraryStore(path: path).load())
    #expect(again.papers.map(\.id) == library.papers.map(\.id))
    try "not json\n".write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: StateStore.LoadError.self) { try LibraryStore(path: path).load() }
  }
}
