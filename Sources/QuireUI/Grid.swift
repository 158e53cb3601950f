/// What a cell means, not how it looks: the terminal layer maps roles to colours and
/// attributes, so a theme or a monochrome terminal changes only that mapping.
public enum Role: UInt8, Sendable, CaseIterable {
  case normal
  case dim
  case title
  case heading
  case border
  case borderFocused
  case selection
  case selectionUnfocused
  case unread
  /// The mark and title of a paper already read.
  case read
  case label
  case tag
  case status
  case statusMessage
  case statusError
  case input
  case cursor
  case completion
  /// Text that a search or filter matched.
  case match
  case matchSelected
  /// The match n/N went to.
  case matchCurrent
}

/// One cell of the screen. A double-width character occupies its cell and the next,
/// which holds a continuation (`width == 0`).
public struct Cell: Equatable, Sendable {
  public var text: String
  public var width: UInt8
  public var role: Role

  public static let blank = Cell(text: " ", width: 1, role: .normal)

  public init(text: String, width: UInt8, role: Role) {
    self.text = text
    self.width = width
    self.role = role
  }
}

/// A rectangle of the screen in rows and columns.
public struct Rect: Equatable, Sendable {
  public var row: Int
  public var col: Int
  public var rows: Int
  public var cols: Int

  public init(row: Int, col: Int, rows: Int, cols: Int) {
    self.row = row
    self.col = col
    self.rows = max(0, rows)
    self.cols = max(0, cols)
  }

  /// The rectangle inside a one-cell border.
  public var inner: Rect { Rect(row: row + 1, col: col + 1, rows: rows - 2, cols: cols - 2) }
  public var isEmpty: Bool { rows <= 0 || cols <= 0 }
  public var maxRow: Int { row + rows }
}

/// An in-memory screen. Panes draw into it and never touch the terminal; tests compare
/// its text with expected lines, and the terminal layer copies it to curses.
public struct Grid: Equatable, Sendable {
  public let rows: Int
  public let cols: Int
  public private(set) var cells: [Cell]

  public init(rows: Int, cols: Int) {
    self.rows = max(0, rows)
    self.cols = max(0, cols)
    self.cells = Array(repeating: .blank, count: self.rows * self.cols)
  }

  public subscript(row: Int, col: Int) -> Cell {
    cells[row * cols + col]
  }

  /// Writes text at a position, clipped to `limit` columns (and to the grid); returns the
  /// columns used. Every character passes through `TerminalText.glyph`, so nothing unsafe
  /// is ever stored. A wide character that would straddle the limit becomes a space.
  @discardableResult
  public mutating func put(_ text: String, row: Int, col: Int, limit: Int? = nil, role: Role = .normal) -> Int {
    guard row >= 0, row < rows, col < cols else { return 0 }
    let end = min(cols, col + (limit ?? cols))
    var x = col
    if TerminalText.isPrintableASCII(text) {
      // One cell a byte, with no glyph analysis: most of a screen is drawn this way.
      for byte in text.utf8 {
        guard x < end else { break }
        if x >= 0 { set(row, x, Cell(text: String(Unicode.Scalar(byte)), width: 1, role: role)) }
        x += 1
      }
      return max(0, x - col)
    }
    for glyph in TerminalText.glyphs(text) {
      guard x < end else { break }
      if x < 0 {
        x += glyph.width
        continue
      }
      if x + glyph.width > end {
        set(row, x, Cell(text: " ", width: 1, role: role))
        x += 1
        break
      }
      set(row, x, Cell(text: glyph.text, width: UInt8(glyph.width), role: role))
      if glyph.width == 2 { set(row, x + 1, Cell(text: "", width: 0, role: role)) }
      x += glyph.width
    }
    return max(0, x - col)
  }

  /// Fills a rectangle with blanks of one role.
  public mutating func fill(_ rect: Rect, role: Role = .normal) {
    for r in max(0, rect.row)..<min(rows, rect.maxRow) {
      for c in max(0, rect.col)..<min(cols, rect.col + rect.cols) {
        set(r, c, Cell(text: " ", width: 1, role: role))
      }
    }
  }

  /// Changes the role of cells already drawn, as for a selection bar. Matches stay
  /// marked on it.
  public mutating func paint(row: Int, col: Int, cols count: Int, role: Role) {
    guard row >= 0, row < rows else { return }
    for c in max(0, col)..<min(cols, col + count) {
      let isMatch = cells[row * cols + c].role == .match
      cells[row * cols + c].role = isMatch && (role == .selection || role == .selectionUnfocused) ? .matchSelected : role
    }
  }

  /// Writes text with some stretches marked (ranges of unicode scalar offsets into it, as
  /// `TextNormalizer.matchRanges` gives them); returns the columns used.
  @discardableResult
  public mutating func put(
    _ text: String, row: Int, col: Int, limit: Int? = nil, role: Role = .normal, marking marks: [Range<Int>],
    markRole: Role = .match, current: Range<Int>? = nil
  ) -> Int {
    guard !marks.isEmpty else { return put(text, row: row, col: col, limit: limit, role: role) }
    let scalars = Array(text.unicodeScalars)
    var pieces: [(Range<Int>, Role)] = []
    var cursor = 0
    for mark in marks {
      let start = min(max(cursor, mark.lowerBound), scalars.count)
      let end = min(mark.upperBound, scalars.count)
      if start > cursor { pieces.append((cursor..<start, role)) }
      if end > start { pieces.append((start..<end, mark == current ? .matchCurrent : markRole)) }
      cursor = max(cursor, end)
    }
    if cursor < scalars.count { pieces.append((cursor..<scalars.count, role)) }
    let total = limit ?? cols
    var used = 0
    for (range, pieceRole) in pieces where used < total {
      var piece = String.UnicodeScalarView()
      piece.append(contentsOf: scalars[range])
      used += put(String(piece), row: row, col: col + used, limit: total - used, role: pieceRole)
    }
    return used
  }

  /// A box-drawing border with a title in its top edge.
  public mutating func box(_ rect: Rect, title: String, focused: Bool) {
    guard rect.rows >= 2, rect.cols >= 2 else { return }
    let role: Role = focused ? .borderFocused : .border
    let top = rect.row
    let bottom = rect.maxRow - 1
    let left = rect.col
    let right = rect.col + rect.cols - 1
    for c in left...right {
      put("─", row: top, col: c, limit: 1, role: role)
      put("─", row: bottom, col: c, limit: 1, role: role)
    }
    for r in top...bottom {
      put("│", row: r, col: left, limit: 1, role: role)
      put("│", row: r, col: right, limit: 1, role: role)
    }
    put("┌", row: top, col: left, limit: 1, role: role)
    put("┐", row: top, col: right, limit: 1, role: role)
    put("└", row: bottom, col: left, limit: 1, role: role)
    put("┘", row: bottom, col: right, limit: 1, role: role)
    if rect.cols > 6 {
      put(" \(title) ", row: top, col: left + 1, limit: rect.cols - 3, role: focused ? .heading : role)
    }
  }

  /// Keeps double-width characters whole: overwriting either half clears the other.
  private mutating func set(_ row: Int, _ col: Int, _ cell: Cell) {
    let index = row * cols + col
    let old = cells[index]
    if old.width == 0, col > 0, cells[index - 1].width == 2 {
      cells[index - 1] = Cell(text: " ", width: 1, role: cells[index - 1].role)
    }
    if old.width == 2, col + 1 < cols, cell.width != 2 {
      cells[index + 1] = Cell(text: " ", width: 1, role: cells[index + 1].role)
    }
    cells[index] = cell
  }

  /// The screen as text, one string per row, continuation cells omitted: what a
  /// terminal capture of the same screen would read.
  public var lines: [String] {
    (0..<rows).map { r in
      var line = ""
      for c in 0..<cols where self[r, c].width > 0 { line += self[r, c].text }
      return line
    }
  }

  /// The rows with trailing spaces removed, joined by newlines, for snapshot tests.
  public var text: String {
    lines.map { line in
      var trimmed = Substring(line)
      while trimmed.last == " " { trimmed = trimmed.dropLast() }
      return String(trimmed)
    }.joined(separator: "\n")
  }
}
