/// A problem found in an input file, reported as `file:line: message` (or
/// `file:line:column: message` where the column is known) and never fatal: the rest of the
/// file still loads.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible, Error {
  public var file: String
  public var line: Int
  public var column: Int?
  public var message: String
  /// True when what the problem is about was left out (an entry not imported), false
  /// when it was read anyway, as well as it could be.
  public var skipped: Bool

  public init(file: String, line: Int, column: Int? = nil, message: String, skipped: Bool = false) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.skipped = skipped
  }

  public var description: String {
    "\(file):\(line):" + (column.map { "\($0):" } ?? "") + " \(message)"
  }
}
