/// A hash that never changes between runs, machines or Swift versions (unlike `Hasher`),
/// so ids derived from it stay stable in saved state.
public enum StableHash {
  /// 64-bit FNV-1a of the UTF-8 bytes, as 16 lowercase hex digits.
  public static func fnv1a64Hex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
