/// Every paper's id (`PaperID.rawValue`) as UTF-8, one after another, so that `id:` is
/// answered without the library's papers (which may still be on disk).
struct PaperIDs: Sendable {
  let bytes: Column<UInt8>
  /// Where each paper's id starts in `bytes`, then where the last one ends.
  let starts: Column<Int>

  init(_ ids: some Sequence<PaperID>) {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    for id in ids {
      starts.append(bytes.count)
      bytes.append(contentsOf: id.rawValue.utf8)
    }
    starts.append(bytes.count)
    self.bytes = Column(bytes)
    self.starts = Column(starts)
  }

  /// The ids of `papers` papers, read from a file; nil when the starts do not fit the bytes.
  /// Only their ends are checked (in constant time): `id(of:)` stays inside `bytes`
  /// whatever lies between.
  init?(bytes: Column<UInt8>, starts: Column<Int>, papers: Int) {
    guard starts.count == papers + 1, starts[0] == 0, starts[papers] == bytes.count else { return nil }
    self.bytes = bytes
    self.starts = starts
  }

  var columns: [any StorableColumn] { [bytes, starts] }

  var memoryFootprint: Int { bytes.byteCount + starts.byteCount }

  /// The candidates whose id has the prefix, as `String.hasPrefix` decides.
  func papers(among candidates: PaperSet, withPrefix prefix: String) -> PaperSet {
    var found = PaperSet(capacity: candidates.capacity)
    let needle = Array(prefix.utf8)
    let needleIsASCII = needle.allSatisfy { $0 < 0x80 }
    bytes.withUnsafeBufferPointer { bytes in
      for paper in candidates {
        let id = UnsafeBufferPointer(rebasing: bytes[id(of: paper)])
        let matches =
          (needleIsASCII ? Self.asciiHasPrefix(id, needle) : nil)
          ?? String(decoding: id, as: UTF8.self).hasPrefix(prefix)
        if matches { found.insert(paper) }
      }
    }
    return found
  }

  /// Where a paper's id lies in `bytes`: always inside, even if a damaged file's starts
  /// are not in order.
  private func id(of paper: Int) -> Range<Int> {
    let start = min(max(starts[paper], 0), bytes.count)
    return start..<min(max(starts[paper + 1], start), bytes.count)
  }

  /// `hasPrefix` decided by bytes, for an ASCII needle, when the id's bytes up to one past
  /// the needle's length are ASCII too; nil otherwise.
  ///
  /// `hasPrefix` compares characters, as canonically equivalent: a non-ASCII character can
  /// equal an ASCII one (the Kelvin sign is K) or swallow the one before it (a combining
  /// accent after the needle's last letter). In ASCII every character is one byte but CR
  /// LF, which is one character: a needle ending in CR is not a prefix of an id with LF
  /// next.
  static func asciiHasPrefix(_ id: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool? {
    for byte in id.prefix(needle.count + 1) where byte >= 0x80 { return nil }
    guard id.count >= needle.count, id.prefix(needle.count).elementsEqual(needle) else { return false }
    if needle.last == 0x0D, id.count > needle.count, id[needle.count] == 0x0A { return false }
    return true
  }
}
