import Foundation

/// What merging another copy of the state into this one did, paper by paper: for
/// `quire merge` and the git merge driver to say.
public struct StateMergeReport: Equatable, Sendable {
  /// One paper whose state the merge changed.
  public struct PaperChange: Equatable, Sendable {
    public var id: PaperID
    /// What changed, in words: "read", "tagged theory", "untagged gan", "note changed", …
    public var changes: [String]
    /// Set when the paper's note now holds versions written apart: the devices they
    /// came from, oldest first.
    public var conflict: [String]?
  }

  public var papers: [PaperChange] = []
  /// Fields whose value in the other copy was different but older, so not taken.
  public var olderKept = 0

  public var conflicts: [PaperChange] { papers.filter { $0.conflict != nil } }

  public init() {}
}

extension ReadingState {
  /// Merges `other` into this state (`merge(_:)`), saying what changed here, sorted by id.
  public mutating func merge(_ other: ReadingState, reporting report: inout StateMergeReport) {
    for id in other.papers.keys.sorted() {
      let ours = self[id]
      let theirs = other[id]
      let merged = PaperState.merged(ours, theirs)
      report.olderKept += Self.fieldsDiffering(theirs, merged)
      guard merged != ours else { continue }
      self[id] = merged
      let changes = Self.describe(from: ours, to: merged)
      let devices = merged.stamps.noteVersions.filter { $0.text != nil }.map(\.stamp.device)
      let conflicted = StampedNote(versions: merged.stamps.noteVersions).isConflicted
      guard !changes.isEmpty || conflicted else { continue }  // only stamps were learnt
      report.papers.append(
        .init(id: id, changes: changes, conflict: conflicted ? devices.map { $0.isEmpty ? "an older quire" : $0 } : nil))
    }
  }

  /// How many of the values `theirs` set that the merge did not take, newer ones being
  /// here: fields it never set do not count.
  static func fieldsDiffering(_ theirs: PaperState, _ merged: PaperState) -> Int {
    var count = 0
    if theirs.status != merged.status && (theirs.status == .read || theirs.stamps.reading != nil) { count += 1 }
    count += theirs.tags.filter { !merged.tags.contains($0) }.count
    count += theirs.stamps.tags.filter { !$0.present && merged.tags.contains($0.tag) }.count
    let noteSet = theirs.note != nil || theirs.stamps.note != nil
    if noteSet, theirs.note != merged.note, !(theirs.note.map { merged.note?.contains($0) == true } ?? false) { count += 1 }
    if theirs.title != merged.title && (theirs.title != nil || theirs.stamps.title != nil) { count += 1 }
    return count
  }

  /// The differences between two states of a paper, as a reader would say them.
  public static func describe(from old: PaperState, to new: PaperState) -> [String] {
    var changes: [String] = []
    if old.status != new.status { changes.append(new.status.rawValue) }
    for tag in new.tags where !old.tags.contains(tag) { changes.append("tagged \(tag)") }
    for tag in old.tags where !new.tags.contains(tag) { changes.append("untagged \(tag)") }
    if old.note != new.note {
      changes.append(new.note == nil ? "note removed" : old.note == nil ? "note added" : "note changed")
    }
    if old.title != new.title { changes.append(new.title == nil ? "title override removed" : "retitled") }
    return changes
  }
}
