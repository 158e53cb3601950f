import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The name this machine signs its changes with, so that two copies of the state tell
/// their changes apart, and a note written on two machines says which version came from
/// where: the host's name and four random hex digits (`laptop-3fa2`).
///
/// It is kept in `$XDG_STATE_HOME/quire/device` (`~/.local/state/quire/device`), which is
/// this machine's own and not meant to be synced: a name copied to a second machine along
/// with the state would make its changes look like the first one's. `QUIRE_DEVICE` names
/// the device instead.
public enum DeviceName {
  /// Letters, digits, `.`, `_` and `-`, at most 32 bytes: safe in a stamp, in a file and
  /// on a terminal, and short enough to show.
  public static func isValid(_ name: String) -> Bool {
    var name = name
    return name.withUTF8 { isValid($0) }
  }

  static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard (1...32).contains(bytes.count) else { return false }
    return bytes.allSatisfy { byte in
      (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || byte == 0x2E || byte == 0x5F || byte == 0x2D
    }
  }

  public static let rule = "letters, digits, '.', '_' and '-', at most 32 of them"

  /// `$XDG_STATE_HOME/quire/device`, falling back to `~/.local/state/quire/device`.
  public static func path(environment: [String: String]) -> String {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/quire/device" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/quire/device"
  }

  /// This device's name: `QUIRE_DEVICE`, else the one kept on this machine, else a new one,
  /// kept for next time. A name that cannot be kept still serves this run.
  public static func current(environment: [String: String]) throws(Failure) -> String {
    if let given = environment["QUIRE_DEVICE"] {
      guard isValid(given) else {
        throw Failure(description: "QUIRE_DEVICE '\(Diagnostic.inert(String(given.prefix(40))))' is not a device name: expected \(rule)")
      }
      return given
    }
    let path = path(environment: environment)
    if let data = FileManager.default.contents(atPath: path) {
      let kept = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      guard isValid(kept) else {
        throw Failure(description: "\(path): expected this device's name (\(rule)); remove the file and quire makes a new one")
      }
      return kept
    }
    let made = newName()
    try? DurableFile.replace(path: path, with: Data((made + "\n").utf8))
    return made
  }

  public struct Failure: Error, CustomStringConvertible, Equatable {
    public var description: String
  }

  /// The host's first label, lower case, with what a name cannot hold left out.
  static func newName() -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let found = buffer.withUnsafeMutableBufferPointer { gethostname($0.baseAddress!, $0.count - 1) == 0 }
    var host = found ? String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self) : ""
    host = String(host.lowercased().prefix { $0 != "." }.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }.prefix(20))
    let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
    let padded = String(repeating: "0", count: 4 - suffix.count) + suffix
    return (host.isEmpty ? "device" : host) + "-" + padded
  }
}
