/// Where each pane goes for a terminal size: side by side on a wide terminal, stacked on a
/// narrow one, and a short message when the terminal is too small for either.
public struct Layout: Equatable, Sendable {
  public static let minimumSize = ScreenSize(rows: 10, cols: 40)
  /// From this width on, the list and the viewer sit side by side.
  public static let sideBySideColumns = 100
  static let tagEditorRows = 5

  public var size: ScreenSize
  public var tooSmall: Bool
  public var sideBySide: Bool
  public var header: Rect
  public var list: Rect
  public var viewer: Rect
  public var tags: Rect?
  public var status: Rect

  public init(size: ScreenSize, tagEditorOpen: Bool) {
    self.size = size
    tooSmall = size.rows < Layout.minimumSize.rows || size.cols < Layout.minimumSize.cols
    sideBySide = size.cols >= Layout.sideBySideColumns
    header = Rect(row: 0, col: 0, rows: 1, cols: size.cols)
    status = Rect(row: size.rows - 1, col: 0, rows: 1, cols: size.cols)
    let bodyTop = 1
    let bodyRows = max(0, size.rows - 2)
    guard !tooSmall else {
      list = Rect(row: 0, col: 0, rows: 0, cols: 0)
      viewer = list
      tags = nil
      return
    }
    let tagRows = tagEditorOpen ? Layout.tagEditorRows : 0
    if sideBySide {
      let listCols = size.cols / 2
      list = Rect(row: bodyTop, col: 0, rows: bodyRows, cols: listCols)
      viewer = Rect(row: bodyTop, col: listCols, rows: bodyRows - tagRows, cols: size.cols - listCols)
      tags = tagEditorOpen
        ? Rect(row: bodyTop + bodyRows - tagRows, col: listCols, rows: tagRows, cols: size.cols - listCols) : nil
    } else {
      let remaining = bodyRows - tagRows
      var listRows = min(remaining, max(5, remaining * 2 / 5))
      // A viewer too short to show a line of text gives its rows to the list.
      if remaining - listRows < 3 { listRows = remaining }
      list = Rect(row: bodyTop, col: 0, rows: listRows, cols: size.cols)
      viewer = Rect(row: bodyTop + listRows, col: 0, rows: remaining - listRows, cols: size.cols)
      tags = tagEditorOpen
        ? Rect(row: bodyTop + bodyRows - tagRows, col: 0, rows: tagRows, cols: size.cols) : nil
    }
  }

  /// Where the abstract viewer's text goes: inside its border, one column of margin.
  public var viewerText: Rect {
    let inner = viewer.inner
    return Rect(row: inner.row, col: inner.col + 1, rows: inner.rows, cols: inner.cols - 2)
  }

  /// The help overlay: most of the screen, centred.
  public var helpBox: Rect {
    let cols = min(size.cols - 2, 84)
    let rows = max(3, size.rows - 4)
    return Rect(row: 2, col: (size.cols - cols) / 2, rows: rows, cols: cols)
  }
}
