/// A mouse report the reader acts on: where, in screen cells from the top left (0-based),
/// and what. Other buttons, releases and motion are dropped by the terminal layer.
public struct MouseEvent: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    /// The left button went down.
    case press
    case wheelUp
    case wheelDown
  }

  public var kind: Kind
  public var row: Int
  public var col: Int

  public init(_ kind: Kind, row: Int, col: Int) {
    self.kind = kind
    self.row = row
    self.col = col
  }
}

/// A mouse report curses did not decode itself, read from what followed its Esc.
public enum MouseReport: Equatable, Sendable {
  case event(MouseEvent)
  /// A report quire does not act on (a release, another button, motion): dropped whole
  /// rather than read as keys.
  case ignored

  /// SGR (`[<0;10;5M`) or X10 (`[M` and three bytes); nil when `following` is not a
  /// mouse report.
  public static func parse(_ following: [Unicode.Scalar]) -> MouseReport? {
    guard following.count >= 2, following[0] == "[" else { return nil }
    if following[1] == "<" {
      guard let final = following.last, final == "M" || final == "m" else { return nil }
      let numbers = String(String.UnicodeScalarView(following.dropFirst(2).dropLast())).split(separator: ";").map { Int($0) }
      guard numbers.count == 3, let button = numbers[0], let col = numbers[1], let row = numbers[2] else { return .ignored }
      return report(button: button, released: final == "m", row: row - 1, col: col - 1)
    }
    if following[1] == "M", following.count == 5 {
      let values = following.dropFirst(2).map { Int($0.value) - 32 }
      // X10 says "released" with button 3, whichever button it was; the wheel never is.
      return report(button: values[0], released: values[0] & 3 == 3 && values[0] & 64 == 0, row: values[2] - 1, col: values[1] - 1)
    }
    return nil
  }

  static func report(button: Int, released: Bool, row: Int, col: Int) -> MouseReport {
    // Motion (32) and releases are not acted on; Shift, Alt and Ctrl (4, 8, 16) are ignored.
    guard !released, button & 32 == 0, row >= 0, col >= 0 else { return .ignored }
    switch button & ~(4 | 8 | 16) {
    case 0: return .event(MouseEvent(.press, row: row, col: col))
    case 64: return .event(MouseEvent(.wheelUp, row: row, col: col))
    case 65: return .event(MouseEvent(.wheelDown, row: row, col: col))
    default: return .ignored
    }
  }
}

extension Rect {
  public func contains(row r: Int, col c: Int) -> Bool {
    r >= row && r < row + rows && c >= col && c < col + cols
  }
}
