import Foundation
import QuireModel

/// What one session of the reader did, for the line printed on quitting: each paper
/// compared as it is now with how it was before the session first changed it, so that a
/// paper marked read and then unread again counts for nothing.
public struct SessionSummary: Equatable, Sendable {
  public var read = 0
  public var markedUnread = 0
  /// Papers that gained a tag; `untagged` those that only lost some.
  public var tagged = 0
  public var untagged = 0
  public var notesWritten = 0
  public var notesRemoved = 0
  public var titled = 0
  public var elapsed: TimeInterval

  public init(before: [PaperID: PaperState], reading: ReadingState, elapsed: TimeInterval) {
    self.elapsed = elapsed
    for (id, old) in before {
      let new = reading[id]
      if old.status != new.status { new.status == .read ? (read += 1) : (markedUnread += 1) }
      let added = new.tags.contains { !old.tags.contains($0) }
      if added {
        tagged += 1
      } else if old.tags.contains(where: { !new.tags.contains($0) }) {
        untagged += 1
      }
      if old.note != new.note { new.note == nil ? (notesRemoved += 1) : (notesWritten += 1) }
      if old.title != new.title { titled += 1 }
    }
  }

  /// "quire: 7 papers read, 3 tagged, 1 note written in 42 min", or "quire: nothing
  /// changed in 3 min".
  public var line: String {
    var parts: [String] = []
    if read > 0 { parts.append("\(StatsText.plural(read, "paper")) read") }
    if markedUnread > 0 { parts.append("\(markedUnread) marked unread") }
    if tagged > 0 { parts.append("\(tagged) tagged") }
    if untagged > 0 { parts.append("\(untagged) untagged") }
    if notesWritten > 0 { parts.append("\(StatsText.plural(notesWritten, "note")) written") }
    if notesRemoved > 0 { parts.append("\(StatsText.plural(notesRemoved, "note")) removed") }
    if titled > 0 { parts.append("\(StatsText.plural(titled, "title")) given") }
    let what = parts.isEmpty ? "nothing changed" : parts.joined(separator: ", ")
    return "quire: \(what) in \(Self.duration(elapsed))"
  }

  /// "42 s", "12 min", "1 h 5 min": whole units, rounded down.
  public static func duration(_ seconds: TimeInterval) -> String {
    let whole = max(0, Int(seconds.isFinite ? seconds : 0))
    if whole < 60 { return "\(whole) s" }
    if whole < 3600 { return "\(whole / 60) min" }
    let minutes = (whole % 3600) / 60
    return "\(whole / 3600) h" + (minutes > 0 ? " \(minutes) min" : "")
  }
}

extension AppState {
  /// The session so far, as the quit line tells it.
  public var sessionSummary: SessionSummary {
    SessionSummary(before: sessionBase, reading: reading, elapsed: clock().timeIntervalSince(sessionStarted))
  }
}
