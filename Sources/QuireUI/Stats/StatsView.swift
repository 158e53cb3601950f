import Foundation
import QuireModel

/// The statistics overlay: counted once when it opens (at a million papers that takes
/// long enough to feel on every key), then scrolled.
public struct StatsView: Equatable, Sendable {
  public var stats: ReadingStats
  public var offset: Int

  /// How many weeks the chart shows.
  public static let weeks = 12
}

extension AppState {
  /// Counts the library on screen with the reading state as it is now.
  func countStats() -> ReadingStats {
    ReadingStats.count(
      library: library, reading: reading, years: PaperYears.available(for: library, index: searchIndex), now: clock(),
      timeZone: timeZone, weeks: StatsView.weeks)
  }

  mutating func openStats() {
    overlay = .stats(StatsView(stats: countStats(), offset: 0))
  }

  /// The years of a large library come with the search index: counted again when it
  /// arrives while the statistics are open without them.
  mutating func completeStatsYears() {
    guard case .stats(var view) = overlay, view.stats.byYear == nil,
      let years = PaperYears.available(for: library, index: searchIndex)
    else { return }
    view.stats = ReadingStats.count(
      library: library, reading: reading, years: years, now: clock(), timeZone: timeZone, weeks: StatsView.weeks)
    overlay = .stats(view)
  }
}

extension Reader {
  /// Movement keys scroll; C-l redraws; any other key closes, as help does.
  static func statsKey(_ key: Key, _ view: StatsView, _ state: inout AppState) -> [Effect] {
    let box = state.layout.helpBox.inner
    let page = max(1, box.rows - 1)
    var offset = view.offset
    switch state.keymap.command(for: key, in: .list) {
    case .down: offset += 1
    case .up: offset -= 1
    case .pageDown, .halfPageDown: offset += page
    case .pageUp, .halfPageUp: offset -= page
    case .top: offset = 0
    case .bottom: offset = Int.max / 2
    case .redraw: return [.redraw]
    default:
      state.overlay = nil
      return []
    }
    // Kept within the text, so that scrolling back up starts at once.
    let lines = StatsText.lines(view.stats, width: StatsOverlay.textWidth(box)).count
    state.overlay = .stats(StatsView(stats: view.stats, offset: max(0, min(offset, lines - box.rows))))
    return []
  }
}

/// Draws the statistics over the panes, in the help overlay's box.
enum StatsOverlay {
  static func textWidth(_ inner: Rect) -> Int { max(1, inner.cols - 2) }

  static func draw(_ view: StatsView, _ rect: Rect, _ grid: inout Grid) {
    grid.fill(rect)
    grid.box(rect, title: "Statistics · j/k scroll · other keys close", focused: true)
    let inner = rect.inner
    guard !inner.isEmpty else { return }
    let lines = StatsText.lines(view.stats, width: textWidth(inner))
    let start = max(0, min(view.offset, lines.count - inner.rows))
    let end = inner.col + 1 + textWidth(inner)
    for (index, line) in lines.dropFirst(start).prefix(inner.rows).enumerated() {
      var col = inner.col + 1
      for span in line.spans where col < end {
        col += grid.put(span.text, row: inner.row + index, col: col, limit: end - col, role: span.role)
      }
    }
    if lines.count > inner.rows {
      let mark = " \(min(100, (start + inner.rows) * 100 / lines.count))% "
      grid.put(mark, row: rect.maxRow - 1, col: rect.col + rect.cols - 2 - mark.count, role: .borderFocused)
    }
  }
}
