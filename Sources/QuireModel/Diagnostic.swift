/// A problem found in an input file, reported as `file:line: message` and never fatal:
/// the rest of the file still loads.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible, Error {
  public var file: String
  public var line: Int
  public var message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String { "\(file):\(line): \(message)" }
}
