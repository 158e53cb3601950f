import Foundation

/// Reading user files as text, with errors that name the file.
public enum FileText {
  public struct ReadError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
  }

  /// Reads a whole file as UTF-8. Invalid bytes become U+FFFD rather than failing the
  /// whole file: one bad byte should not hide a thousand good papers.
  public static func read(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        throw ReadError(path: path, reason: isDirectory.boolValue ? "is a folder, not a file" : "cannot be read (permission denied?)")
      }
      throw ReadError(path: path, reason: "no such file")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
