/// A problem found in an input file, reported as `file:line: message` (or
/// `file:line:column: message` where the column is known) and never fatal: the rest of the
/// file still loads.
///
/// Messages quote what the file holds, and files are untrusted, so `description` is inert
/// and short whatever they quote: control characters are shown as control pictures (`␛`
/// for ESC, `␀` for NUL), C1 controls, bidirectional controls and other invisible
/// characters as their code point (`<U+202E>`), and a message longer than a few lines of a
/// terminal keeps its start and its end (what was expected) around a count of what was left
/// out. `message` keeps the text as it was made.
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
    Self.inert(file) + ":\(line):" + (column.map { "\($0):" } ?? "") + " " + Self.shortened(Self.inert(message))
  }

  /// Characters a message keeps before and after what it leaves out.
  static let keptHead = 240
  static let keptTail = 200

  /// Text from a file made visible and harmless to print: C0 controls and DEL become their
  /// control pictures (U+2400–U+2421), and C1 controls, line and paragraph separators,
  /// bidirectional controls, zero-width and other invisible format characters become
  /// `<U+XXXX>`, so that `unknown key 'z<U+200B>'` says why `z` was not taken.
  public static func inert(_ text: String) -> String {
    // Nearly every message is printable ASCII, or has nothing to show: returned as it is.
    guard text.unicodeScalars.contains(where: needsShowing) else { return text }
    // Runs between the characters shown are copied whole (appending scalars one by one to
    // a String is quick; `append(contentsOf:)` on a scalar view is not, at a megabyte).
    let scalars = text.unicodeScalars
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var runStart = scalars.startIndex
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      guard needsShowing(scalar) else {
        index = scalars.index(after: index)
        continue
      }
      out += Substring(scalars[runStart..<index])
      switch scalar.value {
      case 0x00..<0x20: out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
      case 0x7F: out += "\u{2421}"
      default:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
      }
      index = scalars.index(after: index)
      runStart = index
    }
    out += Substring(scalars[runStart..<index])
    return out
  }

  /// Controls (C0, DEL, C1), line and paragraph separators, and format characters: the
  /// bidirectional controls, zero-width spaces and joiners, the byte order mark, soft
  /// hyphens, tag characters.
  @inline(__always)
  static func needsShowing(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value >= 0x20 && value < 0x7F { return false }
    if value < 0xA0 { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
  }

  /// A message cut in the middle when it is longer than `keptHead + keptTail` characters
  /// (a quoted line a megabyte long), saying how much was left out.
  static func shortened(_ text: String) -> String {
    // Characters, not bytes or scalars, so nothing is cut inside one.
    guard text.utf8.count > keptHead + keptTail, text.count > keptHead + keptTail + 40 else { return text }
    let head = text.prefix(keptHead)
    let tail = text.suffix(keptTail)
    let omitted = text.count - keptHead - keptTail
    return "\(head)… (\(omitted) characters left out) …\(tail)"
  }
}
