/// How far reading a large library has got.
public struct LoadingProgress: Equatable, Sendable {
  /// The file being read ("library.jsonl").
  public var what: String
  public var fraction: Double
  public var papers: Int

  public init(what: String, fraction: Double, papers: Int) {
    self.what = what
    self.fraction = fraction
    self.papers = papers
  }
}

/// The screen shown while a large library is read at start, instead of a blank one.
public enum LoadingScreen {
  public static func render(_ progress: LoadingProgress, size: ScreenSize) -> Grid {
    var grid = Grid(rows: size.rows, cols: size.cols)
    guard size.rows > 0, size.cols > 0 else { return grid }
    grid.fill(Rect(row: 0, col: 0, rows: 1, cols: size.cols), role: .status)
    grid.put(" quire · reading \(progress.what)", row: 0, col: 0, limit: size.cols, role: .status)
    let done = max(0, min(1, progress.fraction))
    let barCols = max(0, min(30, size.cols - 24))
    let filled = Int(done * Double(barCols))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barCols - filled)
    let line = " \(bar) \(Int(done * 100))%  \(progress.papers) papers"
    grid.put(line, row: min(size.rows - 1, max(1, size.rows / 2)), col: 0, limit: size.cols)
    if size.rows > 3 {
      grid.put(" Ctrl-C stops", row: size.rows - 1, col: 0, limit: size.cols, role: .dim)
    }
    return grid
  }
}
