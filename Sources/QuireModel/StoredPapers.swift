import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The papers of `library.jsonl`, read when they are shown rather than at start.
///
/// Opening reads the file once to find where each line starts and which paper it holds
/// (its id, written first on every line quire writes), which costs about as much as
/// copying the file; a paper's other fields are parsed from its line when it is asked for,
/// so the first screen of a million-paper library waits for one pass over the bytes, not
/// a million JSON objects. Decoded papers are kept in a small cache: drawing a screen asks
/// for the same few dozen again and again.
public final class StoredPapers: Sendable {
  public let path: String
  /// Where each paper's line starts in the file, and its length.
  private let starts: Column<Int>
  private let lengths: Column<UInt32>
  /// Each paper's line number in the file, for messages.
  private let lineNumbers: Column<UInt32>
  /// The id of each paper: 16 hex digits as a number (how quire writes ids), with
  /// `otherIDs` for the rare id written otherwise.
  private let hexIDs: Column<UInt64>
  private let otherIDs: [Int: String]
  private let otherIndexByID: [String: Int]
  /// Open addressing over `hexIDs`: each slot is two numbers, the id and its paper's
  /// index + 1 (0 when empty). Keeping the id in the slot makes a look-up one memory
  /// access, not two: at start every paper in state.json is looked up, in random order.
  private let slots: Column<UInt64>
  /// The file stays open: an import renaming a new library over it leaves this one whole.
  private let descriptor: Int32
  private let cache = Mutex<[Int: Paper]>([:])
  private static let cacheLimit = 4096

  public var count: Int { starts.count }
  /// The file's device, inode, size and time of change when it was opened.
  public let identity: String

  public struct OpenError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
  }

  /// Reads the line table of `path`; lines whose id is in `skipping` are left out (the
  /// caller merges those itself) and handed back as (line number, bytes). `progress`
  /// hears the share of the file read and the papers found, now and then.
  ///
  /// With `tableCache`, the table is kept in that file and taken from it next time, while
  /// the library file is unchanged: opening then costs the same at any size.
  public init(
    path: String, skipping: Set<PaperID> = [], tableCache: String? = nil, progress: ((Double, Int) -> Void)? = nil,
    chunkSize: Int = 8 << 20
  ) throws(OpenError) {
    self.path = path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw OpenError(path: path, reason: "is not a regular file")
    }
    descriptor = fd
    // Which file, in which version: a search index kept for it must have been built from
    // exactly these bytes.
    identity = "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    let fingerprint = "quire-lines-2|\(path)|\(identity)|skipping:" + skipping.map(\.rawValue).sorted().joined(separator: ",")
    if let tableCache, let kept = KeptTable(path: tableCache, fingerprint: fingerprint) {
      (starts, lengths, lineNumbers, hexIDs, slots) = (kept.starts, kept.lengths, kept.lineNumbers, kept.hexIDs, kept.slots)
      (otherIDs, skippedLines) = (kept.otherIDs, kept.skipped)
      otherIndexByID = Self.firstIndices(otherIDs)
      return
    }
    var scan = LineScan(skipping: skipping)
    scan.skippingHex = Set(skipping.compactMap { Self.parseHex(Array($0.rawValue.utf8)) })
    let size = Int(info.st_size)
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var carried: [UInt8] = []  // the start of a line the last chunk cut
    var offset = 0
    while true {
      let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, chunkSize, off_t(offset)) }
      if got < 0 {
        if errno == EINTR { continue }
        close(fd)
        throw OpenError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
      }
      if got == 0 { break }
      buffer.withUnsafeBytes { raw in
        let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<got])
        var lineStart = 0
        var fileOffset = offset - carried.count
        while true {
          let end = JSONLines.lineEnd(in: chunk, from: lineStart)
          if end == chunk.count {
            carried.append(contentsOf: chunk[lineStart...])
            return
          }
          if carried.isEmpty {
            scan.line(UnsafeRawBufferPointer(rebasing: chunk[lineStart..<end]), at: fileOffset)
          } else {
            carried.append(contentsOf: chunk[lineStart..<end])
            carried.withUnsafeBytes { scan.line($0, at: fileOffset) }
            carried.removeAll(keepingCapacity: true)
          }
          lineStart = end + 1
          fileOffset = offset + lineStart
        }
      }
      offset += got
      progress?(Double(offset) / Double(max(size, 1)), scan.starts.count)
    }
    if !carried.isEmpty { carried.withUnsafeBytes { scan.line($0, at: offset - carried.count) } }
    if let problem = scan.problem {
      close(fd)
      throw OpenError(path: path, reason: problem)
    }
    starts = Column(scan.starts)
    lengths = Column(scan.lengths)
    lineNumbers = Column(scan.lineNumbers)
    hexIDs = Column(scan.hexIDs)
    otherIDs = scan.otherIDs
    skippedLines = scan.skipped
    otherIndexByID = Self.firstIndices(scan.otherIDs)
    // Twice as many slots as papers keeps probe chains short.
    var capacity = 16
    while capacity < scan.starts.count * 2 { capacity <<= 1 }
    var slots = [UInt64](repeating: 0, count: capacity * 2)
    let mask = capacity - 1
    for (index, key) in scan.hexIDs.enumerated() where scan.otherIDs.isEmpty || scan.otherIDs[index] == nil {
      var slot = Int(truncatingIfNeeded: key) & mask
      // An id written twice (a hand-edited file) is found at its first line.
      while slots[2 * slot + 1] != 0, slots[2 * slot] != key { slot = (slot + 1) & mask }
      if slots[2 * slot + 1] == 0 { (slots[2 * slot], slots[2 * slot + 1]) = (key, UInt64(index + 1)) }
    }
    self.slots = Column(slots)
    // A table that cannot be kept costs the next start a scan, nothing else.
    if let tableCache { try? KeptTable.write(self, to: tableCache, fingerprint: fingerprint) }
  }

  deinit { close(descriptor) }

  private static func firstIndices(_ ids: [Int: String]) -> [String: Int] {
    var first: [String: Int] = [:]
    for (index, id) in ids where first[id].map({ index < $0 }) ?? true { first[id] = index }
    return first
  }

  /// The line table in a file of columns (the search index's format), beside the index.
  private struct KeptTable {
    var starts: Column<Int>
    var lengths: Column<UInt32>
    var lineNumbers: Column<UInt32>
    var hexIDs: Column<UInt64>
    var slots: Column<UInt64>
    var otherIDs: [Int: String]
    var skipped: [(line: Int, text: [UInt8])]

    /// The few ids not written as hex, and the lines left out, as JSON: small, and rare.
    struct Extras: Codable {
      var otherIDs: [Int: String]
      var skippedLines: [Int]
      var skippedTexts: [[UInt8]]
    }

    init?(path: String, fingerprint: String) {
      guard let storage = IndexFileReader.map(path),
        var file = IndexFileReader(storage: storage, fingerprint: Array(fingerprint.utf8))
      else { return nil }
      let count = file.paperCount
      guard let starts = file.next(Int.self, count: count), let lengths = file.next(UInt32.self, count: count),
        let lineNumbers = file.next(UInt32.self, count: count), let hexIDs = file.next(UInt64.self, count: count),
        let slots = file.next(UInt64.self), slots.count.nonzeroBitCount == 1, slots.count >= 2 * count,
        let extrasBytes = file.next(UInt8.self), file.isAtEnd,
        let extras = try? JSONDecoder().decode(Extras.self, from: Data(extrasBytes)),
        extras.skippedLines.count == extras.skippedTexts.count
      else { return nil }
      guard extras.otherIDs.keys.allSatisfy({ (0..<count).contains($0) }) else { return nil }
      (self.starts, self.lengths, self.lineNumbers, self.hexIDs, self.slots) = (starts, lengths, lineNumbers, hexIDs, slots)
      otherIDs = extras.otherIDs
      skipped = Array(zip(extras.skippedLines, extras.skippedTexts)).map { (line: $0.0, text: $0.1) }
    }

    static func write(_ papers: StoredPapers, to path: String, fingerprint: String) throws {
      let extras = Extras(
        otherIDs: papers.otherIDs, skippedLines: papers.skippedLines.map(\.line), skippedTexts: papers.skippedLines.map(\.text))
      let columns: [any StorableColumn] = [
        papers.starts, papers.lengths, papers.lineNumbers, papers.hexIDs, papers.slots,
        Column(Array(try JSONEncoder().encode(extras))),
      ]
      try ColumnFile.write(columns, paperCount: papers.count, to: path, fingerprint: fingerprint)
    }
  }

  /// The lines left out because their ids were in `skipping`: line number and text.
  public let skippedLines: [(line: Int, text: [UInt8])]

  public func id(at index: Int) -> PaperID {
    if let other = otherIDs[index] { return PaperID(other) }
    return PaperID(Self.hex(hexIDs[index]))
  }

  public func index(of id: PaperID) -> Int? {
    let parsed = id.rawValue.utf8.withContiguousStorageIfAvailable { Self.parseHex($0) } ?? Self.parseHex(Array(id.rawValue.utf8))
    guard let key = parsed else { return otherIndexByID[id.rawValue] }
    return slots.withUnsafeBufferPointer { table -> Int? in
      let mask = table.count / 2 - 1
      var slot = Int(truncatingIfNeeded: key) & mask
      // Bounded, so that a damaged table with no empty slot cannot hold quire in a loop.
      for _ in 0...mask {
        if table[2 * slot + 1] == 0 { return nil }
        if table[2 * slot] == key {
          // A kept table is checked here rather than all at open: a damaged slot is no paper.
          let index = Int(truncatingIfNeeded: table[2 * slot + 1]) - 1
          return index >= 0 && index < count ? index : nil
        }
        slot = (slot + 1) & mask
      }
      return nil
    }
  }

  public func lineNumber(of index: Int) -> Int { Int(lineNumbers[index]) }

  /// The paper on the index-th line kept, decoded from the file.
  public func paper(at index: Int) -> Paper {
    if let cached = cache.withLock({ $0[index] }) { return cached }
    let paper = decode(index)
    cache.withLock { cache in
      if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
      cache[index] = paper
    }
    return paper
  }

  /// Every paper, decoded on all cores, for work that reads them all (building the search
  /// index, exporting).
  public func allPapers() -> [Paper] {
    let count = self.count
    let workers = count >= 4096 ? max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)) : 1
    let pieces = Mutex<[Int: [Paper]]>([:])
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let range = (count * worker / workers)..<(count * (worker + 1) / workers)
      let papers = range.map { decode($0) }
      pieces.withLock { $0[worker] = papers }
    }
    return pieces.withLock { all in (0..<workers).flatMap { all[$0]! } }
  }

  func decode(_ index: Int) -> Paper {
    let location = SourceLocation(file: path, line: lineNumber(of: index))
    let id = id(at: index)
    var bytes = [UInt8](repeating: 0, count: Int(lengths[index]))
    var done = 0
    while done < bytes.count {
      let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, $0.count - done, off_t(starts[index] + done)) }
      if got < 0, errno == EINTR { continue }
      if got <= 0 { return Self.unreadable(id: id, at: location, reason: "cannot be read again") }
      done += got
    }
    let decoded = bytes.withUnsafeBytes { StoredLine.decode($0) }
    switch decoded {
    case .failure(let problem):
      return Self.unreadable(id: id, at: location, reason: "column \(problem.column): \(problem.message)")
    case .success(var line):
      line.listing.source = location
      var paper = Paper(listing: line.listing, id: id)
      (paper.doi, paper.arxiv) = Library.identifiers(of: line.listing)
      for var alternate in line.alternates {
        alternate.source = location
        paper.merge(alternate)
      }
      return paper
    }
  }

  /// A line that cannot be understood still takes its place in the list, saying why.
  static func unreadable(id: PaperID, at location: SourceLocation, reason: String) -> Paper {
    var listing = Listing(source: location)
    listing.title = "‹line \(location.line) of \((location.file as NSString).lastPathComponent) cannot be read›"
    listing.abstract = "\(location): \(reason)"
    var paper = Paper(listing: listing)
    paper.id = id
    return paper
  }

  static func hex(_ value: UInt64) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8](repeating: 0, count: 16)
    for position in 0..<16 { out[position] = digits[Int((value >> UInt64(60 - 4 * position)) & 0xF)] }
    return String(decoding: out, as: UTF8.self)
  }

  /// 16 lowercase hex digits as a number; nil for anything else (which then could not be
  /// written back the same way).
  static func parseHex(_ bytes: some Collection<UInt8>) -> UInt64? {
    guard bytes.count == 16 else { return nil }
    var value: UInt64 = 0
    for byte in bytes {
      let digit: UInt64
      switch byte {
      case 0x30...0x39: digit = UInt64(byte - 0x30)
      case 0x61...0x66: digit = UInt64(byte - 0x61 + 10)
      default: return nil
      }
      value = value << 4 | digit
    }
    return value
  }
}

/// The line table being built while the file is read.
private struct LineScan {
  let skipping: Set<PaperID>
  var starts: [Int] = []
  var lengths: [UInt32] = []
  var lineNumbers: [UInt32] = []
  var hexIDs: [UInt64] = []
  var otherIDs: [Int: String] = [:]
  var skipped: [(line: Int, text: [UInt8])] = []
  /// `skipping`'s ids that are 16 hex digits, as numbers: compared without making a string.
  var skippingHex: Set<UInt64> = []
  var lineNumber = 0
  var problem: String?

  init(skipping: Set<PaperID>) { self.skipping = skipping }

  static let prefix = Array("{\"id\":\"".utf8)

  mutating func line(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
    lineNumber += 1
    guard problem == nil else { return }
    var trimmed = bytes.count
    while trimmed > 0, bytes[trimmed - 1] == 0x20 || bytes[trimmed - 1] == 0x0D || bytes[trimmed - 1] == 0x09 { trimmed -= 1 }
    if trimmed == 0 { return }
    // The fast path: `{"id":"0123456789abcdef",` as quire writes every line.
    var id: (hex: UInt64?, text: String)?
    if trimmed > 24, bytes[trimmed - 1] == 0x7D, bytes[0..<7].elementsEqual(Self.prefix), bytes[23] == 0x22,
      let hex = StoredPapers.parseHex(bytes[7..<23])
    {
      id = (hex, "")
    } else {
      // Anything else is parsed whole, once: an id written otherwise, or none at all.
      switch StoredLine.decode(UnsafeRawBufferPointer(rebasing: bytes[0..<trimmed])) {
      case .failure(let failure):
        problem = "line \(lineNumber), column \(failure.column): \(failure.message)"
        return
      case .success(let stored):
        let text = stored.id ?? PaperID(identityKey: Paper.identityKey(of: stored.listing)).rawValue
        id = (StoredPapers.parseHex(Array(text.utf8)), text)
      }
    }
    guard let id else { return }
    let isSkipped = id.hex.map { skippingHex.contains($0) } ?? skipping.contains(PaperID(id.text))
    if isSkipped {
      skipped.append((lineNumber, Array(bytes[0..<trimmed])))
      return
    }
    guard trimmed <= Int(UInt32.max) else {
      problem = "line \(lineNumber) is longer than 4 GB"
      return
    }
    if id.hex == nil { otherIDs[starts.count] = id.text }
    starts.append(offset)
    lengths.append(UInt32(trimmed))
    lineNumbers.append(UInt32(truncatingIfNeeded: lineNumber))
    hexIDs.append(id.hex ?? 0)
  }
}
