import Foundation

/// Where a paper's entry is in a state file, for complaints about it: the general reader
/// (JSONSerialization) knows values, not the lines they came from.
enum StateFileLines {
  /// The line of the first `"id":` key in `data`, as quire writes it, or as JSON's other
  /// way of writing the same id would escape it; nil when neither is found (say, a
  /// hand-written file escaping it some third way).
  static func line(of id: String, in data: Data) -> Int? {
    var key: [UInt8] = []
    JSONStringEncoder.append(id, to: &key)
    key.append(0x3A)  // ":"
    let plain = Array("\"\(id)\":".utf8)
    return data.withUnsafeBytes { raw -> Int? in
      let bytes = raw.bindMemory(to: UInt8.self)
      guard let offset = firstOffset(of: key, in: bytes) ?? firstOffset(of: plain, in: bytes) else { return nil }
      return 1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
  }

  private static func firstOffset(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard !needle.isEmpty, bytes.count >= needle.count, let base = bytes.baseAddress else { return nil }
    var start = 0
    while start + needle.count <= bytes.count {
      guard let found = memchr(base + start, Int32(needle[0]), bytes.count - start - needle.count + 1) else { return nil }
      let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if memcmp(base + offset, needle, needle.count) == 0 { return offset }
      start = offset + 1
    }
    return nil
  }
}
