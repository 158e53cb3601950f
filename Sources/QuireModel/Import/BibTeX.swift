import Foundation

/// One entry of a BibTeX file, with its macros expanded and its TeX still in place.
public struct BibTeXEntry: Equatable, Sendable {
  public var type: String  // lower-cased: "article", "inproceedings", …
  public var key: String
  /// Field names lower-cased, in file order; values with `@string` macros and `#`
  /// concatenation resolved and outer braces or quotes removed.
  public var fields: [(name: String, value: String)]
  public var line: Int

  public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

  public static func == (a: BibTeXEntry, b: BibTeXEntry) -> Bool {
    a.type == b.type && a.key == b.key && a.line == b.line
      && a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
  }
}

/// Reads BibTeX as people write it: `@string` macros and `#` concatenation, nested braces,
/// quoted values, `@comment` and `@preamble`, any case in entry types and field names,
/// trailing commas, CRLF, month macros. A malformed entry is reported as
/// `file:line:column: what was expected` and skipped; the rest of the file still reads.
public struct BibTeXParser {
  public struct Result: Sendable {
    public var entries: [BibTeXEntry]
    public var diagnostics: [Diagnostic]
  }

  let file: String

  public init(file: String) { self.file = file }

  /// `progress` hears how much of the text has been read, from 0 to 1, and the entries
  /// read so far, now and then.
  public func parse(_ text: String, progress: ((Double, Int) -> Void)? = nil) -> Result {
    var reader = Reader(scalars: Array(text.unicodeScalars), file: file)
    return reader.run(progress: progress)
  }

  /// Month macros every BibTeX style defines.
  static let months: [String: String] = [
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
  ]

  struct Failure: Error {
    var index: Int
    var message: String
    /// Where reading can go on: the next entry, when the failure found it.
    var resume: Int? = nil
  }

  struct Reader {
    let scalars: [Unicode.Scalar]
    let file: String
    var position = 0
    var macros = BibTeXParser.months
    var entries: [BibTeXEntry] = []
    var diagnostics: [Diagnostic] = []
    /// Offsets where lines start, for turning a position into line:column.
    let lineStarts: [Int]

    init(scalars: [Unicode.Scalar], file: String) {
      self.scalars = scalars
      self.file = file
      var starts = [0]
      for (index, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(index + 1) }
      lineStarts = starts
    }

    func location(_ index: Int) -> (line: Int, column: Int) {
      var low = 0
      var high = lineStarts.count
      while low + 1 < high {
        let mid = (low + high) / 2
        if lineStarts[mid] <= index { low = mid } else { high = mid }
      }
      return (low + 1, index - lineStarts[low] + 1)
    }

    mutating func run(progress: ((Double, Int) -> Void)? = nil) -> Result {
      while let at = nextAt() {
        if let progress, entries.count % 256 == 0 { progress(Double(at) / Double(max(1, scalars.count)), entries.count) }
        position = at + 1
        do {
          try entry(startingAt: at)
        } catch {
          let place = location(min(error.index, scalars.count))
          diagnostics.append(Diagnostic(file: file, line: place.line, column: place.column, message: error.message, skipped: true))
          // Resume at the next entry: an "@" that starts a line.
          position = error.resume ?? max(position, error.index)
          while position < scalars.count {
            if scalars[position] == "@", position == 0 || isLineStart(position) { break }
            position += 1
          }
        }
      }
      return Result(entries: entries, diagnostics: diagnostics)
    }

    func isLineStart(_ index: Int) -> Bool {
      var back = index - 1
      while back >= 0, scalars[back] == " " || scalars[back] == "\t" { back -= 1 }
      return back < 0 || scalars[back] == "\n" || scalars[back] == "\r"
    }

    /// Text between entries is a comment, as BibTeX has it.
    mutating func nextAt() -> Int? {
      while position < scalars.count {
        if scalars[position] == "@" { return position }
        position += 1
      }
      return nil
    }

    mutating func entry(startingAt at: Int) throws(Failure) {
      skipSpace()
      let type = identifier().lowercased()
      guard !type.isEmpty else { throw Failure(index: position, message: "expected an entry type after '@'") }
      skipSpace()
      guard position < scalars.count, scalars[position] == "{" || scalars[position] == "(" else {
        throw Failure(index: position, message: "expected '{' or '(' after '@\(type)'")
      }
      let close: Unicode.Scalar = scalars[position] == "{" ? "}" : ")"
      position += 1
      switch type {
      case "comment":
        // Everything up to the matching brace, ignored.
        _ = try balanced(until: close, from: at)
      case "preamble":
        skipSpace()
        _ = try value()
        try expectClose(close)
      case "string":
        skipSpace()
        let name = identifier().lowercased()
        guard !name.isEmpty else { throw Failure(index: position, message: "expected a macro name in @string") }
        skipSpace()
        try expect("=", "after the macro name '\(name)'")
        skipSpace()
        macros[name] = try value()
        skipSpace()
        try expectClose(close)
      default:
        try regularEntry(type: type, close: close, at: at)
      }
    }

    mutating func regularEntry(type: String, close: Unicode.Scalar, at: Int) throws(Failure) {
      skipSpace()
      var key = ""
      while position < scalars.count, scalars[position] != ",", scalars[position] != close,
        !scalars[position].properties.isWhitespace
      {
        key.unicodeScalars.append(scalars[position])
        position += 1
      }
      skipSpace()
      guard position < scalars.count, scalars[position] == "," || scalars[position] == close else {
        throw Failure(index: position, message: "expected ',' after the citation key '\(key)'")
      }
      var fields: [(name: String, value: String)] = []
      while true {
        skipSpace()
        guard position < scalars.count else {
          throw Failure(index: position, message: "expected '\(close)' to close the entry '\(key)' started at line \(location(at).line)")
        }
        if scalars[position] == close {
          position += 1
          break
        }
        if scalars[position] == "," {
          position += 1
          continue
        }
        let nameStart = position
        let name = identifier().lowercased()
        guard !name.isEmpty else {
          throw Failure(index: nameStart, message: "expected a field name or '\(close)' in entry '\(key)'")
        }
        skipSpace()
        try expect("=", "after the field name '\(name)'")
        skipSpace()
        let fieldValue = try value()
        // A field given twice keeps its first value, as BibTeX does.
        if !fields.contains(where: { $0.name == name }) { fields.append((name, fieldValue)) }
        skipSpace()
        guard position < scalars.count, scalars[position] == "," || scalars[position] == close else {
          throw Failure(index: position, message: "expected ',' or '\(close)' after the value of '\(name)'")
        }
      }
      entries.append(BibTeXEntry(type: type, key: key, fields: fields, line: location(at).line))
    }

    /// A value: pieces joined by `#`, each `{braced}`, `"quoted"`, a number or a macro.
    mutating func value() throws(Failure) -> String {
      var result = ""
      while true {
        skipSpace()
        guard position < scalars.count else { throw Failure(index: position, message: "expected a value") }
        let scalar = scalars[position]
        if scalar == "{" {
          position += 1
          result += try balanced(until: "}", from: position - 1)
        } else if scalar == "\"" {
          position += 1
          result += try quoted()
        } else if scalar.properties.numericType != nil {
          while position < scalars.count, scalars[position].properties.numericType != nil {
            result.unicodeScalars.append(scalars[position])
            position += 1
          }
        } else {
          let start = position
          let name = identifier().lowercased()
          guard !name.isEmpty else {
            throw Failure(index: start, message: "expected a value: {braced}, \"quoted\", a number or a macro name")
          }
          guard let expansion = macros[name] else {
            let place = location(start)
            diagnostics.append(Diagnostic(file: file, line: place.line, column: place.column, message: "unknown macro '\(name)'; kept as written"))
            result += name
            skipSpace()
            if position < scalars.count, scalars[position] == "#" {
              position += 1
              continue
            }
            return result
          }
          result += expansion
        }
        skipSpace()
        if position < scalars.count, scalars[position] == "#" {
          position += 1
          continue
        }
        return result
      }
    }

    /// The text up to the brace that closes one already read, nested braces kept.
    mutating func balanced(until close: Unicode.Scalar, from start: Int) throws(Failure) -> String {
      let open: Unicode.Scalar = close == "}" ? "{" : "("
      var depth = 0
      var out = String.UnicodeScalarView()
      while position < scalars.count {
        let scalar = scalars[position]
        if scalar == "@", isLineStart(position) {
          // An entry starting on its own line: the brace before it was never closed.
          throw Failure(index: start, message: "expected '\(close)' to match this '\(open)'", resume: position)
        }
        position += 1
        if scalar == open { depth += 1 }
        if scalar == close {
          if depth == 0 { return String(out) }
          depth -= 1
        }
        out.append(scalar)
      }
      throw Failure(index: start, message: "expected '\(close)' to match this '\(open)'")
    }

    /// A "quoted" value; braces inside may hold quotes.
    mutating func quoted() throws(Failure) -> String {
      let start = position - 1
      var depth = 0
      var out = String.UnicodeScalarView()
      while position < scalars.count {
        let scalar = scalars[position]
        if scalar == "@", isLineStart(position) {
          throw Failure(index: start, message: "expected '\"' to close this quoted value", resume: position)
        }
        position += 1
        if scalar == "{" { depth += 1 }
        if scalar == "}" { depth -= 1 }
        if scalar == "\"" && depth == 0 { return String(out) }
        out.append(scalar)
      }
      throw Failure(index: start, message: "expected '\"' to close this quoted value")
    }

    mutating func identifier() -> String {
      var out = String.UnicodeScalarView()
      while position < scalars.count {
        let scalar = scalars[position]
        let isName =
          scalar.properties.isAlphabetic || scalar.properties.numericType != nil
          || "-_:.+/'!?&*<>[]|".unicodeScalars.contains(scalar)
        guard isName else { break }
        out.append(scalar)
        position += 1
      }
      return String(out)
    }

    mutating func skipSpace() {
      while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    mutating func expect(_ scalar: Unicode.Scalar, _ context: String) throws(Failure) {
      guard position < scalars.count, scalars[position] == scalar else {
        throw Failure(index: position, message: "expected '\(scalar)' \(context)")
      }
      position += 1
    }

    mutating func expectClose(_ close: Unicode.Scalar) throws(Failure) {
      skipSpace()
      try expect(close, "to close the entry")
    }
  }
}
