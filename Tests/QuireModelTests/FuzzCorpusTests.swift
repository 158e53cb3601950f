// The parser calls of the fuzz targets (Fuzz/Targets/*.swift) and the regression tests
// that run the seed corpus and every crasher found through the very same calls.
//
// This file is compiled twice: here, as a test, and by scripts/fuzz.sh with `-D QUIRE_FUZZ`
// into the fuzzers (with libFuzzer and AddressSanitizer), so the tests cannot drift from
// what is fuzzed. Each target returns the problems it found besides a crash: a broken
// invariant that should hold for any input (a diagnostic naming a line the input does not
// have, an import that library.jsonl cannot take back, BibTeX read in parts differing from
// it read whole, the fast state-file reader disagreeing with the general one, the search
// index disagreeing with `Query.matches`). A fuzzer traps on them; a test reports them.

import Foundation
import Synchronization

@testable import QuireModel

#if canImport(FoundationXML)
  import FoundationXML
#endif
#if !QUIRE_FUZZ
  import Testing
#endif

public enum ModelFuzz {
  /// Every target of this module by name, as `scripts/fuzz.sh` and Fuzz/Corpus/ name them.
  public static let targets: [String: @Sendable (UnsafeRawBufferPointer) -> [String]] = [
    "readinglist": readingList,
    "bibtex": bibtex,
    "atom": atom,
    "ris": ris,
    "csljson": cslJSON,
    "jsonlines": jsonLines,
    "config": config,
    "query": query,
    "state": state,
  ]

  // MARK: - Imports

  /// The reading-list format, as `quire FILE` and `quire import` read it (the bytes checked
  /// for NUL and UTF-8 first) and as the built-in list is read (a String, bad bytes repaired).
  public static func readingList(_ bytes: UnsafeRawBufferPointer) -> [String] {
    var problems = imported(bytes, as: .readingList, file: "fuzz.txt")
    let result = ReadingListParser(file: "fuzz.txt").parse(String(decoding: bytes, as: UTF8.self))
    problems += check(result.diagnostics, of: bytes, file: "fuzz.txt")
    problems += library(result.listings, written: false)
    return problems
  }

  /// BibTeX, read from the file's bytes as the importer does; then in parts of a few dozen
  /// bytes, joined as a large file's parts are, which must give what reading it whole
  /// gives; then through the String API (bad bytes repaired).
  public static func bibtex(_ bytes: UnsafeRawBufferPointer) -> [String] {
    var problems = imported(bytes, as: .bibtex, file: "fuzz.bib")
    // As the importer hands them over: without a byte order mark.
    let buffer = DetectionText.withoutByteOrderMark(bytes.bindMemory(to: UInt8.self))
    if let whole = BibTeXImport.read(buffer, file: "fuzz.bib", progress: nil), let parts = bibtexInParts(buffer, size: 48) {
      if parts.listings != whole.listings {
        problems.append("read in parts of 48 bytes, \(parts.listings.count) listings differ from the \(whole.listings.count) read whole")
      }
      if parts.diagnostics != whole.diagnostics {
        problems.append("read in parts of 48 bytes, the problems differ: \(parts.diagnostics) against \(whole.diagnostics)")
      }
      if parts.states != whole.states { problems.append("read in parts, the reading states differ from those read whole") }
    }
    let result = BibTeXParser(file: "fuzz.bib").parse(String(decoding: bytes, as: UTF8.self))
    problems += check(result.diagnostics, of: bytes, file: "fuzz.bib")
    problems += library(result.entries.map { $0.listing(file: "fuzz.bib") }, written: false)
    return problems
  }

  /// `BibTeXImport.readInParts` on one thread: the same parts, each read from its start
  /// up to the next, joined the same way. (The real one hands the parts to
  /// `DispatchQueue.concurrentPerform`, whose threads keep memory from one input to the
  /// next, so libFuzzer would run a leak check after every input, 30 times slower.) Nil
  /// when the whole is not valid UTF-8, or the text is read in one piece.
  static func bibtexInParts(_ bytes: UnsafeBufferPointer<UInt8>, size: Int) -> BibTeXImport.Result? {
    guard UTF8Text.isValid(bytes) else { return nil }
    let parts = BibTeXImport.parts(of: bytes, size: size)
    guard parts.count > 1, !BibTeXImport.mayDefineMacros(bytes) else { return nil }
    let lines = BibTeXParser.LineStarts(bytes)
    var converted: [BibTeXImport.Converted] = []
    var diagnostics: [Diagnostic] = []
    var macros = false
    var expected: Int? = 0
    for range in parts {
      let stretch = BibTeXImport.Stretch(bytes, from: range.lowerBound, stop: range.upperBound, lines: lines, file: "fuzz.bib")
      guard let start = expected, start < range.upperBound else { continue }
      let taken = start == range.lowerBound
        ? stretch : BibTeXImport.Stretch(bytes, from: start, stop: range.upperBound, lines: lines, file: "fuzz.bib")
      converted.append(contentsOf: taken.converted)
      diagnostics.append(contentsOf: taken.diagnostics)
      macros = macros || taken.metMacroDefinition
      expected = taken.next
    }
    return macros ? nil : BibTeXImport.result(converted, diagnostics: diagnostics)
  }

  /// An Atom or RSS feed, as the importer reads it (Foundation's XMLParser on the bytes):
  /// as RSS when format detection finds an `<rss>` or `<rdf:RDF>` root, as Atom otherwise.
  public static func atom(_ bytes: UnsafeRawBufferPointer) -> [String] {
    let format: ImportFormat
    switch DetectionText(Data(bytes)) {
    case .head(let text), .whole(let text): format = ImportFormat.detect(text, name: "fuzz.xml") == .rss ? .rss : .atom
    case .invalid: format = .atom
    }
    return imported(bytes, as: format, file: "fuzz.xml")
  }

  /// RIS, as the importer reads it and through the String API (bad bytes repaired).
  public static func ris(_ bytes: UnsafeRawBufferPointer) -> [String] {
    var problems = imported(bytes, as: .ris, file: "fuzz.ris")
    let result = RISParser(file: "fuzz.ris").parse(String(decoding: bytes, as: UTF8.self))
    problems += check(result.diagnostics, of: bytes, file: "fuzz.ris")
    problems += library(result.records.map { $0.listing(file: "fuzz.ris") }, written: false)
    return problems
  }

  /// CSL-JSON, as the importer reads it (JSONSerialization on the bytes).
  public static func cslJSON(_ bytes: UnsafeRawBufferPointer) -> [String] {
    imported(bytes, as: .cslJSON, file: "fuzz.json")
  }

  /// quire's JSON Lines: imported (`quire import`), and as `library.jsonl` is opened at
  /// start (`Library.open`): the line table read from the raw bytes (in chunks of 13
  /// bytes, so lines cross chunk boundaries), the lines of papers the built-in list has
  /// merged into it, and every other paper decoded from its line as it is shown.
  public static func jsonLines(_ bytes: UnsafeRawBufferPointer) -> [String] {
    var problems = imported(bytes, as: .jsonl, file: "fuzz.jsonl")
    let raw = JSONLinesParser(file: "fuzz.jsonl").parse(bytes)
    problems += check(raw.diagnostics, of: bytes, file: "fuzz.jsonl")
    if raw.states.count != raw.listings.count { problems.append("\(raw.states.count) states for \(raw.listings.count) listings") }
    let path = scratch.file("library.jsonl", bytes)
    defer { scratch.remove(path) }
    // What `Library.open` does, with a small chunk: its own reads 8 MB chunks, and
    // clearing 8 MB for every input would take most of the time.
    if let store = try? StoredPapers(path: path, skipping: Set(builtinIDs), chunkSize: 13) {
      var library = Library(name: "fuzz", listings: builtinListings)
      for (number, text) in store.skippedLines {
        guard case .success(let line) = text.withUnsafeBytes({ StoredLine.decode($0) }) else { continue }
        var listing = line.listing
        listing.source = SourceLocation(file: path, line: number)
        library.add(listing)
        for alternate in line.alternates { library.add(alternate) }
      }
      for index in 0..<store.count {
        let paper = store.paper(at: index)
        if store.index(of: paper.id) != index, store.index(of: paper.id).map({ store.id(at: $0) }) != paper.id {
          problems.append("stored paper \(index) (\(paper.id.rawValue)) is not found by its id")
        }
      }
    }
    return problems
  }

  // MARK: - Settings and queries

  /// The config file, as `Config.load` reads it.
  public static func config(_ bytes: UnsafeRawBufferPointer) -> [String] {
    let config = Config.parse(String(decoding: bytes, as: UTF8.self), file: "config")
    var problems = check(config.diagnostics, of: bytes, file: "config")
    for view in config.views where (try? Query.parse(view.query)) == nil {
      problems.append("view \"\(view.name)\" kept with a query that does not parse")
    }
    return problems
  }

  /// A query (the search line, the filter line, `quire list`, a saved view): parsed, then
  /// evaluated on the built-in list by the search index, which must find exactly what
  /// `Query.matches` finds, with and without `within`.
  public static func query(_ bytes: UnsafeRawBufferPointer) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    let query: Query
    do {
      query = try Query.parse(text, now: Date(timeIntervalSince1970: 1_800_000_000))
    } catch {
      if error.column < 1 || error.column > text.count + 1 {
        return ["error column \(error.column) outside the \(text.count) characters of the query: \(error.message)"]
      }
      return []
    }
    var problems: [String] = []
    let search = SearchFixture.shared
    let found = search.index.evaluate(query, reading: search.reading, library: search.library)
    let expected = PaperSet(
      capacity: search.papers.count,
      members: search.papers.indices.filter { query.matches(search.papers[$0], search.reading[search.papers[$0].id]) })
    if found != expected { problems.append("the search index finds \(Array(found)), Query.matches \(Array(expected))") }
    let odd = PaperSet(capacity: search.papers.count, members: stride(from: 1, to: search.papers.count, by: 2))
    var narrowed = expected
    narrowed.formIntersection(odd)
    if search.index.evaluate(query, reading: search.reading, library: search.library, within: odd) != narrowed {
      problems.append("the search index within the odd papers differs from Query.matches")
    }
    _ = query.highlightTerms
    // Typing one more character: when the query narrows the one before it, the reader
    // searches only among the papers that one found.
    if !text.isEmpty, let previous = try? Query.parse(String(text.dropLast()), now: Date(timeIntervalSince1970: 1_800_000_000)),
      query.narrows(previous)
    {
      let before = search.index.evaluate(previous, reading: search.reading, library: search.library)
      if search.index.evaluate(query, reading: search.reading, library: search.library, within: before) != found {
        problems.append("the query narrows the one without its last character, but searching among that one's papers finds others")
      }
    }
    return problems
  }

  // MARK: - Reading state

  /// `state.json` and its journal: the input up to its first NUL byte is the state file,
  /// what follows it (if there is a NUL) the journal. Loaded as quire loads them, from
  /// files; the fast reader of quire's own layout must agree with the general reader
  /// wherever it accepts a file or a journal line; and what loads must save and load again
  /// the same.
  public static func state(_ bytes: UnsafeRawBufferPointer) -> [String] {
    var problems: [String] = []
    let split = bytes.firstIndex(of: 0)
    let stateBytes = UnsafeRawBufferPointer(rebasing: bytes[..<(split ?? bytes.count)])
    let journalBytes = split.map { UnsafeRawBufferPointer(rebasing: bytes[($0 + 1)...]) }

    let data = Data(stateBytes)
    if let fast = StateLayoutParser.stateFile(data) {
      do {
        let general = try StateStore.decodeAnyLayout(data, path: "state.json")
        if ReadingState(untouchedLeftOut: fast) != general {
          problems.append("the fast reader reads other states than the general one")
        }
      } catch {
        problems.append("the fast reader accepts a state file the general one refuses: \(error.reason)")
      }
    }
    if let journalBytes {
      for line in journalBytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
        let buffer = UnsafeRawBufferPointer(rebasing: line).bindMemory(to: UInt8.self)
        guard let (id, fast) = StateLayoutParser.journalLine(buffer) else { continue }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer))) as? [String: Any],
          let generalID = object["id"] as? String
        else {
          problems.append("the fast reader accepts a journal line that is not a JSON object with an id")
          continue
        }
        let general = try? StateStore.paperState(object, id: generalID, path: "journal")
        if PaperID(generalID) != id || general != fast {
          problems.append("the fast reader reads a journal line otherwise than the general one")
        }
      }
    }

    let path = scratch.file("state.json", stateBytes)
    let journal = path + ".journal"
    if let journalBytes { scratch.put(journal, journalBytes) }
    defer {
      scratch.remove(path)
      scratch.remove(journal)
    }
    let store = StateStore(path: path)
    if let loaded = try? store.load() {
      let encoded = StateStore.encode(loaded)
      do {
        let again = try StateStore.decode(encoded, path: "encoded")
        if again != loaded { problems.append("a loaded state saved and loaded again differs") }
      } catch {
        problems.append("a loaded state, saved, cannot be loaded again: \(error.reason)")
      }
    }
    return problems
  }

  // MARK: - Shared

  /// An import of the bytes in the given format, as `quire import --format` does it, and
  /// the library made of what it read. Format detection is run too, without acting on it.
  static func imported(_ bytes: UnsafeRawBufferPointer, as format: ImportFormat, file: String) -> [String] {
    let data = Data(bytes)
    switch DetectionText(data) {
    case .head(let text), .whole(let text): _ = ImportFormat.detect(text, name: file)
    case .invalid: break
    }
    guard let result = try? Importer.read(data, file: file, format: format) else { return [] }
    var problems = check(result.diagnostics, of: bytes, file: file)
    if let states = result.states, states.count != result.listings.count {
      problems.append("\(states.count) reading states for \(result.listings.count) listings")
    }
    problems += library(result.listings)
    return problems
  }

  /// The listings made into a library, merged as quire merges them; what an import
  /// read is also `written` as `quire import` writes library.jsonl, which must read back
  /// without a problem.
  static func library(_ listings: [Listing], written: Bool = true) -> [String] {
    let library = Library(name: "fuzz", listings: listings)
    var problems: [String] = []
    if library.count > listings.count { problems.append("\(library.count) papers from \(listings.count) listings") }
    var ids = Set<PaperID>()
    for paper in library.papers where !ids.insert(paper.id).inserted {
      problems.append("two papers with the id \(paper.id.rawValue)")
    }
    guard written else { return problems }
    let file = LibraryStore.jsonLines(library.papers)
    let again = file.withUnsafeBytes { JSONLinesParser(file: "library.jsonl").parse($0) }
    if let problem = again.diagnostics.first { problems.append("library.jsonl as written does not read back: \(problem)") }
    if again.listings.count < library.count {
      problems.append("library.jsonl as written reads back \(again.listings.count) listings for \(library.count) papers")
    }
    return problems
  }

  /// Each diagnostic names the file and a line the input has (a line ends at "\n"; XML
  /// also ends one at a lone "\r").
  static func check(_ diagnostics: [Diagnostic], of bytes: UnsafeRawBufferPointer, file: String) -> [String] {
    guard !diagnostics.isEmpty else { return [] }
    var lines = 1
    for (index, byte) in bytes.enumerated() {
      if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) { lines += 1 }
    }
    var problems: [String] = []
    for diagnostic in diagnostics {
      if diagnostic.file != file { problems.append("diagnostic names the file \(diagnostic.file), not \(file): \(diagnostic)") }
      if diagnostic.line < 1 || diagnostic.line > lines {
        problems.append("diagnostic names line \(diagnostic.line) of \(lines): \(diagnostic)")
      }
      if let column = diagnostic.column, column < 1 { problems.append("diagnostic names column \(column): \(diagnostic)") }
    }
    return problems
  }

  static let builtinListings = BuiltinLibrary.listings
  static let builtinIDs = Library(name: "built-in", listings: builtinListings).papers.map(\.id)

  /// The built-in list, a reading state over it (read, tagged, with notes) and its search
  /// index, built once.
  final class SearchFixture: Sendable {
    static let shared = SearchFixture()
    let library: Library
    let papers: [Paper]
    let reading: ReadingState
    let index: SearchIndex

    init() {
      library = BuiltinLibrary.load()
      papers = library.papers
      var reading = ReadingState()
      for (number, paper) in papers.enumerated() {
        var state = PaperState(status: number % 3 == 0 ? .read : .unread)
        if number % 2 == 0 { state.tags = ["theory", "gan"].suffix(number % 4 == 0 ? 2 : 1) }
        if number % 5 == 1 { state.note = "compare with Cybenko 1989; Erdős–Rényi" }
        reading[paper.id] = state
      }
      self.reading = reading
      index = SearchIndex(library: library)
    }
  }

  /// A folder of this process's own for the files the state and library targets load.
  static let scratch = Scratch()

  final class Scratch: Sendable {
    let folder: String

    init() {
      let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
      folder = base + "/quire-fuzz-\(getpid())"
      try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      // Gone when the process ends normally (a test run); a crashing fuzzer leaves it.
      atexit { try? FileManager.default.removeItem(atPath: ModelFuzz.scratch.folder) }
    }

    private let made = Atomic<Int>(0)

    /// Writes the bytes to a new file in the folder whose name ends so; returns its path.
    /// Each call makes another file, as tests run side by side.
    func file(_ name: String, _ bytes: UnsafeRawBufferPointer) -> String {
      let path = folder + "/\(made.add(1, ordering: .relaxed).newValue)-" + name
      put(path, bytes)
      return path
    }

    func put(_ path: String, _ bytes: UnsafeRawBufferPointer) {
      let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      precondition(fd >= 0, "cannot write \(path)")
      var done = 0
      while done < bytes.count {
        let wrote = write(fd, bytes.baseAddress! + done, bytes.count - done)
        precondition(wrote > 0 || errno == EINTR, "cannot write \(path)")
        if wrote > 0 { done += wrote }
      }
      close(fd)
    }

    func remove(_ path: String) { unlink(path) }
  }
}

#if !QUIRE_FUZZ
  /// The seed corpus and every crasher the fuzzers found, run through the fuzz targets'
  /// calls in the ordinary test build: none may crash, and each keeps the invariants.
  @Suite("Fuzz corpus and regressions")
  struct FuzzCorpusTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()

    /// (target, file) for every file under Fuzz/Corpus/<target>/ and Fuzz/Regressions/<target>/.
    static func inputs(of targets: some Collection<String>) -> [String] {
      var found: [String] = []
      for folder in ["Fuzz/Corpus", "Fuzz/Regressions"] {
        for target in targets.sorted() {
          let path = repository.appendingPathComponent(folder).appendingPathComponent(target).path
          let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
          for name in names.sorted() where !name.hasPrefix(".") {
            found.append("\(folder)/\(target)/\(name)")
          }
        }
      }
      return found
    }

    @Test("every model target has seeds")
    func everyTargetHasSeeds() {
      for target in ModelFuzz.targets.keys.sorted() {
        #expect(Self.inputs(of: [target]).contains { $0.hasPrefix("Fuzz/Corpus/") }, "no seeds in Fuzz/Corpus/\(target)")
      }
    }

    @Test("each input runs through its target without a broken invariant", arguments: inputs(of: ModelFuzz.targets.keys))
    func run(_ input: String) throws {
      let target = input.split(separator: "/")[2]
      let data = try Data(contentsOf: Self.repository.appendingPathComponent(input))
      let problems = data.withUnsafeBytes { ModelFuzz.targets[String(target)]!($0) }
      #expect(problems.isEmpty, "\(input): \(problems.joined(separator: "; "))")
    }
  }
#endif
