#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Fixed-size values side by side, in memory the column owns or in a file mapped into
/// memory: what the search index keeps its arrays in, so that an index opened from a file
/// reads its pages as searches touch them instead of copying them in.
///
/// Reading an element costs what reading an array's does (one bounds check); hot loops
/// take the whole buffer with `withUnsafeBufferPointer`.
struct Column<Element: BitwiseCopyable & Sendable>: RandomAccessCollection, @unchecked Sendable {
  // Sendable although it holds a pointer: the pointer is into `storage`, which the column
  // keeps alive, and nothing writes that memory once a column refers to it.
  private let storage: ColumnStorage
  private let base: UnsafePointer<Element>
  let count: Int

  /// A copy of the array's elements, in memory of the column's own.
  init(_ elements: [Element]) {
    self.init(count: elements.count) { column in
      _ = column.initialize(fromContentsOf: elements)
    }
  }

  /// `count` elements, which `initialize` must all set, in memory of the column's own.
  init(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
    let storage = ColumnStorage(byteCount: count * MemoryLayout<Element>.stride)
    let elements = UnsafeMutableRawPointer(mutating: storage.bytes.baseAddress!).bindMemory(to: Element.self, capacity: count)
    try initialize(UnsafeMutableBufferPointer(start: elements, count: count))
    self.init(storage: storage, byteOffset: 0, count: count)
  }

  /// The `count` elements at `byteOffset` in `storage`, which must lie inside it, suitably
  /// aligned (the caller checks both).
  init(storage: ColumnStorage, byteOffset: Int, count: Int) {
    precondition(byteOffset >= 0 && count >= 0, "a column cannot start or end before its storage")
    precondition(
      count <= (storage.bytes.count - byteOffset) / MemoryLayout<Element>.stride,
      "a column cannot run past the end of its storage")
    let start = storage.bytes.baseAddress! + byteOffset
    precondition(Int(bitPattern: start) % MemoryLayout<Element>.alignment == 0, "a column must be aligned")
    self.storage = storage
    self.base = start.assumingMemoryBound(to: Element.self)
    self.count = count
  }

  var startIndex: Int { 0 }
  var endIndex: Int { count }

  subscript(position: Int) -> Element {
    // One unsigned comparison checks both ends, as Array's subscript does.
    precondition(UInt(bitPattern: position) < UInt(bitPattern: count), "index out of range")
    return base[position]
  }

  func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
    try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: base, count: count)) }
  }

  func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    try withExtendedLifetime(storage) {
      try body(UnsafeRawBufferPointer(start: base, count: count * MemoryLayout<Element>.stride))
    }
  }

  /// Asks for the elements (those in `range`, or all) to be read from disk ahead, in the
  /// background, when the column is in a mapped file.
  func willNeed(_ range: Range<Int>? = nil) {
    let range = range ?? 0..<count
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "index out of range")
    let offset = UnsafeRawPointer(base) - storage.bytes.baseAddress!
    let stride = MemoryLayout<Element>.stride
    storage.willNeed((offset + range.lowerBound * stride)..<(offset + range.upperBound * stride))
  }

  func withContiguousStorageIfAvailable<Result>(
    _ body: (UnsafeBufferPointer<Element>) throws -> Result
  ) rethrows -> Result? {
    try withUnsafeBufferPointer(body)
  }
}

/// Memory that columns point into: a block of the heap, or a file mapped read-only.
/// Freed (or unmapped) when the last column using it goes.
final class ColumnStorage: @unchecked Sendable {
  // Sendable although it holds a pointer: the memory is written only while the storage is
  // being filled, before any column or other thread sees it (a heap block), or never (a
  // mapping is read-only), and it is released only in deinit, when nothing refers to it.
  let bytes: UnsafeRawBufferPointer
  private let isMapping: Bool

  /// Heap memory for `byteCount` bytes, aligned for any element a column holds.
  fileprivate init(byteCount: Int) {
    // Never zero bytes, so that every column has a real base address.
    let block = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
    bytes = UnsafeRawBufferPointer(start: block, count: byteCount)
    isMapping = false
  }

  /// The whole of an open file, mapped read-only; nil when it cannot be mapped (an empty
  /// file cannot). The descriptor may be closed afterwards: the mapping stays.
  init?(mapping descriptor: Int32, byteCount: Int) {
    guard byteCount > 0 else { return nil }
    // Private or shared makes no difference to a read-only mapping. The file is replaced
    // by renaming a new one over it, never rewritten in place, so the pages under a mapping
    // do not change or vanish while quire runs.
    guard let start = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, 0), start != MAP_FAILED else {
      return nil
    }
    bytes = UnsafeRawBufferPointer(start: start, count: byteCount)
    isMapping = true
  }

  /// Tells the kernel that these bytes (a column's) will be read soon, so that it reads
  /// them from disk ahead, in the background.
  func willNeed(_ range: Range<Int>) {
    guard isMapping, !range.isEmpty else { return }
    // madvise wants a page-aligned start.
    let page = Int(getpagesize())
    let start = range.lowerBound / page * page
    _ = madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), range.upperBound - start, MADV_WILLNEED)
  }

  deinit {
    if isMapping {
      munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
    } else {
      UnsafeMutableRawPointer(mutating: bytes.baseAddress!).deallocate()
    }
  }
}

/// What can be written into an index file as one column: elements' bytes, in order.
protocol StorableColumn {
  func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension StorableColumn {
  /// The bytes the elements take.
  var byteCount: Int { withUnsafeBytes { $0.count } }
}

extension Column: StorableColumn {}
