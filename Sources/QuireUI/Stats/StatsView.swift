import Foundation
import QuireModel

/// The statistics overlay. Counted once when it opens, never on a key or a scroll; a
/// large library is counted on another core (about a second at a million papers), and
/// the overlay says so meanwhile.
public struct StatsView: Equatable, Sendable {
  /// Nil while a background count is under way.
  public var stats: ReadingStats?
  public var offset: Int
  /// Which opening this is, so that a count asked for by an earlier one is not taken.
  public var request: Int

  /// How many weeks the chart shows.
  public static let weeks = 12
}

extension AppState {
  /// A count of the library on screen with the reading state as it is now, to run here or
  /// on another thread: it holds copies of the values, not the state.
  public func statsCount() -> @Sendable () -> ReadingStats {
    let (library, reading, now, timeZone) = (library, reading, clock(), timeZone)
    let years = PaperYears.available(for: library, index: searchIndex)
    return { ReadingStats.count(library: library, reading: reading, years: years, now: now, timeZone: timeZone, weeks: StatsView.weeks) }
  }

  /// Opens the statistics, counted at once for a small library; a large one asks the
  /// session to count them in the background (`.statsCounted` brings them).
  mutating func openStats() -> [Effect] {
    statsRequests += 1
    if library.count < statsInBackgroundFrom {
      overlay = .stats(StatsView(stats: statsCount()(), offset: 0, request: statsRequests))
      return []
    }
    overlay = .stats(StatsView(stats: nil, offset: 0, request: statsRequests))
    return [.countStats(request: statsRequests)]
  }

  /// Takes a background count, if the statistics it was asked for are still open.
  mutating func takeStats(_ stats: ReadingStats, request: Int) {
    guard case .stats(var view) = overlay, view.request == request else { return }
    view.stats = stats
    overlay = .stats(view)
  }

  /// The years of a large library come with the search index: counted again when it
  /// arrives while the statistics are open without them.
  mutating func completeStatsYears() -> [Effect] {
    guard case .stats(let view) = overlay, let stats = view.stats, stats.byYear == nil,
      PaperYears.available(for: library, index: searchIndex) != nil
    else { return [] }
    return openStats()
  }

  /// The statistics are open and being counted in the background.
  public var isCountingStats: Bool {
    if case .stats(let view) = overlay { return view.stats == nil }
    return false
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
    scrollStats(view, to: offset, &state)
    return []
  }

  /// Kept within the text, so that scrolling back up starts at once.
  static func scrollStats(_ view: StatsView, to offset: Int, _ state: inout AppState) {
    let box = state.layout.helpBox.inner
    let lines = StatsOverlay.lines(view, width: StatsOverlay.textWidth(box)).count
    var moved = view
    moved.offset = max(0, min(offset, lines - box.rows))
    state.overlay = .stats(moved)
  }
}

/// Draws the statistics over the panes, in the help overlay's box.
enum StatsOverlay {
  static func textWidth(_ inner: Rect) -> Int { max(1, inner.cols - 2) }

  static func lines(_ view: StatsView, width: Int) -> [StyledLine] {
    guard let stats = view.stats else { return [StyledLine("Counting…", .dim)] }
    return StatsText.lines(stats, width: width)
  }

  static func draw(_ view: StatsView, keymap: Keymap, _ rect: Rect, _ grid: inout Grid) {
    grid.fill(rect)
    grid.box(rect, title: HelpOverlay.overlayTitle("Statistics", keymap), focused: true)
    let inner = rect.inner
    guard !inner.isEmpty else { return }
    let lines = lines(view, width: textWidth(inner))
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
