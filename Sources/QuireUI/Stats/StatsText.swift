import QuireModel

/// The statistics laid out for a width: the totals, a bar chart of papers read per week,
/// then read and unread papers by tag and by year as tables with small bars. The reader's
/// statistics view and `quire stats` both print these lines.
public enum StatsText {
  /// Block characters filling one eighth of a cell more each: bars grow by eighths, so
  /// that weeks of 7 and 8 papers look different even in a narrow chart.
  static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
  static let full = "█"
  static let unreadCell = "░"

  public static func lines(_ stats: ReadingStats, width: Int) -> [StyledLine] {
    let width = max(20, width)
    var out = totalsLines(stats.totals, width: width)
    out.append(StyledLine())
    out += weekChart(stats, width: width)
    out.append(StyledLine())
    let tags = stats.byTag.map { (name: TerminalText.sanitized($0.tag), tally: $0.tally) }
    let years = stats.byYear?.map { (name: $0.year.map(String.init) ?? "no year", tally: $0.tally) }
    // One name column for both tables, so that their numbers line up.
    let longest = (tags + (years ?? [])).map { TerminalText.width($0.name, upTo: width) }.max() ?? 0
    let nameCols = max(TerminalText.width("By year") - 2, min(longest, max(8, width / 3)))
    out += table("By tag", tags, empty: "no tags yet", nameCols: nameCols, width: width)
    out.append(StyledLine())
    if let years {
      out += table("By year", years, empty: "no papers", nameCols: nameCols, width: width)
    } else {
      out.append(StyledLine("By year", .heading))
      out.append(StyledLine("  counting… (the years come with the search index, in a moment)", .dim))
    }
    return out
  }

  /// "13 papers · 5 read · 8 unread · 3 tagged · 1 with a note", broken between parts
  /// where the line is narrow.
  static func totalsLines(_ totals: ReadingStats.Totals, width: Int) -> [StyledLine] {
    let parts = [
      plural(totals.papers, "paper"), "\(totals.read) read", "\(totals.unread) unread", "\(totals.tagged) tagged",
      totals.withNotes == 1 ? "1 with a note" : "\(totals.withNotes) with notes",
    ]
    var lines: [String] = []
    for part in parts {
      if let last = lines.last, TerminalText.width(last + " · " + part) <= width {
        lines[lines.count - 1] = last + " · " + part
      } else {
        lines.append(part)
      }
    }
    return lines.map { StyledLine($0, .title) }
  }

  static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

  // MARK: - Papers read per week

  static func weekChart(_ stats: ReadingStats, width: Int) -> [StyledLine] {
    let weeks = stats.weeks
    var out = [StyledLine("Papers read per week, last \(plural(weeks.count, "week"))", .heading)]
    let most = weeks.map(\.read).max() ?? 0
    let countCols = String(most).count
    // "23 Nov " then the bar, a space and the count.
    let barCols = max(1, width - 7 - 1 - countCols)
    for week in weeks {
      var line = StyledLine(week.week.label + " ", .dim)
      let bar = most == 0 ? "" : bar(eighths: scaledEighths(week.read, of: most, cells: barCols))
      line.add(bar, .unread)
      line.add((bar.isEmpty ? "" : " ") + "\(week.read)", week.read == 0 ? .dim : .normal)
      out.append(line)
    }
    var notes: [String] = []
    if let first = weeks.first, stats.readEarlier > 0 {
      notes.append("\(stats.readEarlier) read before \(first.week.label.drop { $0 == " " })")
    }
    if stats.readAtUnknown > 0 { notes.append("\(stats.readAtUnknown) read when quire did not keep the time") }
    for note in notes { out.append(StyledLine("+ " + note, .dim)) }
    return out
  }

  /// A count as eighths of `cells` cells, the largest count filling them all; a count above
  /// zero is never drawn as nothing.
  static func scaledEighths(_ count: Int, of most: Int, cells: Int) -> Int {
    guard count > 0, most > 0 else { return 0 }
    let exact = Double(count) / Double(most) * Double(cells * 8)
    return max(1, Int(exact.rounded()))
  }

  static func bar(eighths: Int) -> String {
    String(repeating: full, count: eighths / 8) + Self.eighths[eighths % 8]
  }

  // MARK: - Tables

  /// A heading with the columns' names, then one row per group: name, read, unread and a
  /// bar as long as the group is large beside the largest, its read part solid.
  static func table(
    _ title: String, _ rows: [(name: String, tally: ReadingStats.Tally)], empty: String, nameCols: Int, width: Int
  ) -> [StyledLine] {
    let readCols = max(4, String(rows.map(\.tally.read).max() ?? 0).count)
    let unreadCols = max(6, String(rows.map(\.tally.unread).max() ?? 0).count)
    let numbersEnd = 2 + nameCols + 2 + readCols + 2 + unreadCols
    let barCols = max(0, min(24, width - numbersEnd - 2))
    var heading = StyledLine(pad(title, to: 2 + nameCols) + "  ", .heading)
    heading.add(padLeft("read", to: readCols) + "  " + padLeft("unread", to: unreadCols), .heading)
    var out = [heading]
    guard !rows.isEmpty else { return out + [StyledLine("  " + empty, .dim)] }
    let largest = rows.map(\.tally.total).max() ?? 0
    for row in rows {
      var line = StyledLine("  " + pad(TerminalText.truncate(row.name, to: nameCols), to: nameCols) + "  ", .tag)
      line.add(padLeft(String(row.tally.read), to: readCols) + "  " + padLeft(String(row.tally.unread), to: unreadCols))
      if barCols > 0, largest > 0 {
        let total = max(1, Int((Double(row.tally.total) / Double(largest) * Double(barCols)).rounded()))
        var read = Int((Double(row.tally.read) / Double(largest) * Double(barCols)).rounded())
        // Some read shows as some solid, and some unread as some shaded, however small.
        if row.tally.read > 0 { read = max(1, read) }
        if row.tally.unread > 0, read >= total { read = total - 1 }
        line.add("  ")
        line.add(String(repeating: full, count: max(0, read)), .unread)
        line.add(String(repeating: unreadCell, count: max(0, total - max(0, read))), .dim)
      }
      out.append(line)
    }
    return out
  }

  static func pad(_ text: String, to cols: Int) -> String {
    text + String(repeating: " ", count: max(0, cols - TerminalText.width(text)))
  }

  static func padLeft(_ text: String, to cols: Int) -> String {
    String(repeating: " ", count: max(0, cols - TerminalText.width(text))) + text
  }
}
