import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A search index kept in a file, so that quire need not build it again at the next start:
/// the file is mapped into memory and the index's columns point into the mapping, so
/// opening it costs the same at ten papers as at a million, and only the pages a search
/// touches are ever read.
///
/// Layout (numbers in the byte order and word size of the machine that wrote the file: a
/// machine of another order or size refuses it rather than convert every offset):
///
///     0    header: magic, version, byte order, word size, column count, paper count,
///          fingerprint length, file length, checksum (64 bytes)
///     64   the column table: for each column, its offset and length in bytes (16 bytes each)
///     ...  the fingerprint, UTF-8
///     ...  the columns, in `SearchIndex.storedColumns` order, each starting on a multiple
///          of 64 bytes (zeros between), the last ending at the end of the file
///
/// The checksum covers the header, table and fingerprint. The columns are not summed, as
/// that would mean reading the whole file at every start: damage inside them goes unseen,
/// but the search never reads outside a column whatever its offsets say (see
/// `Section.window`), so it gives wrong results, not a crash.
extension SearchIndex {
  /// Why an index could not be written.
  public struct WriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot write the search index to \(path): \(reason)" }
  }

  /// Writes the index to a file, replacing it atomically: a crash at any moment leaves the
  /// old file or the new one whole. `fingerprint` names what the index was built from
  /// (`open` gives nil for any other).
  public func write(to path: String, fingerprint: String) throws {
    try ColumnFile.write(storedColumns, paperCount: count, to: path, fingerprint: fingerprint)
  }

  /// The index in a file `write` wrote with this fingerprint, mapped into memory; nil when
  /// there is no such file, or it was written for something else (another fingerprint, or
  /// another version of the format) or is damaged (truncated, or its header changed).
  /// Costs the same whatever the number of papers: nothing is read but the header and the
  /// first and last elements of each column of offsets.
  public static func open(path: String, fingerprint: String) -> SearchIndex? {
    guard let storage = IndexFileReader.map(path) else { return nil }
    guard var file = IndexFileReader(storage: storage, fingerprint: Array(fingerprint.utf8)) else { return nil }
    return SearchIndex(reading: &file)
  }

  /// The columns a file holds, in order: `init(reading:)` reads them in the same order.
  private var storedColumns: [any StorableColumn] {
    var columns: [any StorableColumn] = [
      text, front.starts, abstracts.starts, identifiers.starts, years, addedSeconds, Column(dated.words), Column(exotic.words),
      byteFrequency,
    ]
    columns += ids.columns
    for field in words { columns += field.columns }
    return columns
  }

  /// The index in a mapped file, reading its columns in `storedColumns` order, when they
  /// fit together.
  private convenience init?(reading file: inout IndexFileReader) {
    let count = file.paperCount
    let wordCount = count / 64 + (count % 64 == 0 ? 0 : 1)
    guard let text = file.next(UInt8.self), text.count >= Self.padding,
      let frontStarts = file.next(Int.self), let frontEnd = frontStarts.last,
      let abstractStarts = file.next(Int.self), let abstractsEnd = abstractStarts.last,
      let identifierStarts = file.next(Int.self),
      // The sections follow each other in the text, then comes the padding.
      let front = Section(slots: .title ... .venue, starts: frontStarts, papers: count, from: 0, to: frontEnd),
      let abstracts = Section(
        slots: .abstract ... .abstract, starts: abstractStarts, papers: count, from: frontEnd, to: abstractsEnd),
      let identifiers = Section(
        slots: .doi ... .arxiv, starts: identifierStarts, papers: count, from: abstracts.bounds.upperBound,
        to: text.count - Self.padding),
      let years = file.next(Int.self, count: count), let addedSeconds = file.next(Double.self, count: count),
      let datedWords = file.next(UInt64.self, count: wordCount), let dated = PaperSet(capacity: count, words: datedWords),
      let exoticWords = file.next(UInt64.self, count: wordCount),
      let exotic = PaperSet(capacity: count, words: exoticWords),
      let byteFrequency = file.next(Int.self, count: 256),
      let idBytes = file.next(UInt8.self), let idStarts = file.next(Int.self),
      let ids = PaperIDs(bytes: idBytes, starts: idStarts, papers: count)
    else { return nil }
    var words: [WordIndex] = []
    for _ in Slot.title.rawValue...Slot.abstract.rawValue {
      guard let vocabulary = file.next(UInt8.self), let wordStarts = file.next(Int.self),
        let postingStarts = file.next(Int.self), let papers = file.next(UInt32.self),
        let field = WordIndex(
          vocabulary: vocabulary, wordStarts: wordStarts, postingStarts: postingStarts, papers: papers,
          paperCount: count)
      else { return nil }
      words.append(field)
    }
    guard file.isAtEnd else { return nil }
    // Most searches read the short fields, their offsets and the word lists: ask for them to
    // be read from disk ahead, in the background, so that the first search does not wait
    // for them page by page. The abstracts' text and paper lists, most of the file, are left
    // to be read as searches reach them: a rare word never reads the abstracts, and a scan
    // reads them in order, which the kernel's read-ahead serves. (`MADV_RANDOM` would stop
    // that read-ahead, so it is not given.)
    text.willNeed(0..<frontEnd)
    frontStarts.willNeed()
    years.willNeed()
    addedSeconds.willNeed()
    for (slot, field) in words.enumerated() {
      field.vocabulary.willNeed()
      field.wordStarts.willNeed()
      field.postingStarts.willNeed()
      if slot != Slot.abstract.rawValue { field.papers.willNeed() }
    }
    self.init(
      count: count, text: text, front: front, abstracts: abstracts, identifiers: identifiers, words: words,
      years: years, dated: dated, addedSeconds: addedSeconds, exotic: exotic, byteFrequency: byteFrequency, ids: ids)
  }
}

// MARK: - The layout of a file

/// Where everything lies in an index file, from the columns' lengths.
struct IndexFileLayout {
  static let magic: [UInt8] = Array("quireidx".utf8)
  /// Raised whenever what the file holds, or how, changes.
  static let version: UInt32 = 1
  /// Written as the machine orders its bytes: read back on a machine of the other order,
  /// it comes out reversed.
  static let byteOrderMark: UInt32 = 0x0102_0304
  static let headerSize = 64
  static let tableEntrySize = 16
  static let columnAlignment = 64

  /// Where each column starts.
  let offsets: [Int]
  /// Everything before the first column: header, table and fingerprint.
  let header: [UInt8]

  init(columnLengths: [Int], fingerprint: [UInt8], paperCount: Int) {
    let dataStart = Self.headerSize + columnLengths.count * Self.tableEntrySize + fingerprint.count
    var offsets: [Int] = []
    var end = dataStart
    for length in columnLengths {
      let offset = Self.aligned(end)
      offsets.append(offset)
      end = offset + length
    }
    self.offsets = offsets

    var header: [UInt8] = []
    header.reserveCapacity(dataStart)
    func append<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: value) { header.append(contentsOf: $0) }
    }
    header += Self.magic
    append(Self.version)
    append(Self.byteOrderMark)
    append(UInt32(MemoryLayout<Int>.size))
    append(UInt32(columnLengths.count))
    append(UInt64(paperCount))
    append(UInt64(fingerprint.count))
    append(UInt64(end))
    append(UInt64(0))  // the checksum, filled in below
    append(UInt64(0))
    for (offset, length) in zip(offsets, columnLengths) {
      append(UInt64(offset))
      append(UInt64(length))
    }
    header += fingerprint
    let checksum = Self.checksum(header)
    withUnsafeBytes(of: checksum) { header.replaceSubrange(Self.checksumOffset..<(Self.checksumOffset + 8), with: $0) }
    self.header = header
  }

  static let checksumOffset = 48

  static func aligned(_ offset: Int) -> Int {
    (offset + columnAlignment - 1) / columnAlignment * columnAlignment
  }

  /// FNV-1a over the bytes, with the checksum's own eight counted as zeros.
  static func checksum(_ bytes: some Collection<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for (position, byte) in bytes.enumerated() {
      let counted = (checksumOffset..<(checksumOffset + 8)).contains(position) ? 0 : byte
      hash = (hash ^ UInt64(counted)) &* 0x0000_0100_0000_01B3
    }
    return hash
  }
}

// MARK: - Writing

/// A new file written beside the one it replaces, then renamed over it.
struct IndexFileWriter {
  let path: String
  let descriptor: Int32
  private(set) var written = 0

  /// Writes a temporary file in the same folder with `body`, flushes it to disk and renames
  /// it to `path`; on any failure the temporary file is removed and `path` left as it was.
  static func replace(_ path: String, _ body: (inout IndexFileWriter) throws -> Void) throws {
    let folder = (path as NSString).deletingLastPathComponent
    let temporary =
      (folder.isEmpty ? "." : folder) + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
    func fail(_ what: String, _ code: Int32 = errno) -> SearchIndex.WriteError {
      SearchIndex.WriteError(path: path, reason: "\(String(cString: strerror(code))) (\(what))")
    }
    if !folder.isEmpty {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw SearchIndex.WriteError(path: path, reason: "its folder \(folder) cannot be created")
      }
    }
    // A temporary file left by a crash of a process with the same pid is stale: start over,
    // and never write through a link someone put in its place.
    unlink(temporary)
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    if descriptor < 0 { throw fail("creating a temporary file") }
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    var file = IndexFileWriter(path: path, descriptor: descriptor)
    do {
      try body(&file)
    } catch {
      close(descriptor)
      throw error
    }
    if fsync(descriptor) != 0 {
      let code = errno
      close(descriptor)
      throw fail("flushing to disk", code)
    }
    if close(descriptor) != 0 { throw fail("closing") }
    if rename(temporary, path) != 0 { throw fail("renaming into place") }
    renamed = true
    // The rename itself reaches the disk with the folder.
    let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderDescriptor >= 0 {
      _ = fsync(folderDescriptor)
      close(folderDescriptor)
    }
  }

  mutating func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      let result = writeBytes(descriptor, bytes.baseAddress! + done, bytes.count - done)
      if result < 0 {
        if errno == EINTR { continue }
        throw SearchIndex.WriteError(path: path, reason: "\(String(cString: strerror(errno))) (writing)")
      }
      done += result
    }
    written += done
  }

  /// Zeros up to `offset`, where the next column starts.
  mutating func write(zerosUpTo offset: Int) throws {
    precondition(offset >= written, "columns are written in order")
    try write([UInt8](repeating: 0, count: offset - written))
  }
}

/// write(2), by a name the writer's own `write` does not hide.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

// MARK: - Reading

/// An index file mapped into memory, its header checked, handing out its columns in order.
struct IndexFileReader {
  let storage: ColumnStorage
  let paperCount: Int
  /// Each column's place in the file, in bytes.
  private let table: [Range<Int>]
  private var next = 0

  /// The whole file at `path`, mapped read-only; nil when it cannot be opened or mapped, or
  /// is not a regular file.
  static func map(_ path: String) -> ColumnStorage? {
    // Non-blocking, so that a FIFO put in the file's place cannot hang quire.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
      status.st_size >= IndexFileLayout.headerSize
    else { return nil }
    return ColumnStorage(mapping: descriptor, byteCount: Int(status.st_size))
  }

  /// Checks the header: nil unless it is whole, unchanged (by its checksum), of this format
  /// and this machine's byte order and word size, with this fingerprint, and every column
  /// lies inside the file, aligned, after the header and before the next.
  init?(storage: ColumnStorage, fingerprint: [UInt8]) {
    let file = storage.bytes
    let size = file.count
    guard size >= IndexFileLayout.headerSize else { return nil }
    func integer<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
      file.loadUnaligned(fromByteOffset: offset, as: T.self)
    }
    guard file.prefix(8).elementsEqual(IndexFileLayout.magic),
      integer(UInt32.self, at: 8) == IndexFileLayout.version,
      integer(UInt32.self, at: 12) == IndexFileLayout.byteOrderMark,
      integer(UInt32.self, at: 16) == UInt32(MemoryLayout<Int>.size)
    else { return nil }
    let columnCount = Int(integer(UInt32.self, at: 20))
    let paperCount = integer(UInt64.self, at: 24)
    let fingerprintLength = integer(UInt64.self, at: 32)
    // Each paper takes at least eight bytes (its year), so a count past the size is damage;
    // checking that first keeps the arithmetic below from overflowing.
    guard integer(UInt64.self, at: 40) == UInt64(size), paperCount <= UInt64(size),
      fingerprintLength == UInt64(fingerprint.count)
    else { return nil }
    let tableEnd = IndexFileLayout.headerSize + columnCount * IndexFileLayout.tableEntrySize
    let dataStart = tableEnd + fingerprint.count
    guard dataStart <= size,
      IndexFileLayout.checksum(file[..<dataStart]) == integer(UInt64.self, at: IndexFileLayout.checksumOffset),
      file[tableEnd..<dataStart].elementsEqual(fingerprint)
    else { return nil }
    var table: [Range<Int>] = []
    var end = dataStart
    for column in 0..<columnCount {
      let entry = IndexFileLayout.headerSize + column * IndexFileLayout.tableEntrySize
      let offset = integer(UInt64.self, at: entry)
      let length = integer(UInt64.self, at: entry + 8)
      guard offset >= UInt64(end), offset <= UInt64(size), length <= UInt64(size) - offset,
        offset % UInt64(IndexFileLayout.columnAlignment) == 0
      else { return nil }
      table.append(Int(offset)..<Int(offset + length))
      end = Int(offset + length)
    }
    guard end == size else { return nil }
    self.storage = storage
    self.paperCount = Int(paperCount)
    self.table = table
  }

  var isAtEnd: Bool { next == table.count }

  /// The next column, of elements of `type` (`count` of them, when given); nil when there
  /// is none or its length does not fit.
  mutating func next<Element: BitwiseCopyable & Sendable>(_ type: Element.Type, count: Int? = nil) -> Column<Element>? {
    guard next < table.count else { return nil }
    let place = table[next]
    next += 1
    let stride = MemoryLayout<Element>.stride
    guard place.count % stride == 0, count.map({ $0 == place.count / stride }) ?? true else { return nil }
    return Column(storage: storage, byteOffset: place.lowerBound, count: place.count / stride)
  }

}
