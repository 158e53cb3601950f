import Foundation

// The reading state as copies on two machines can merge without asking: every field
// carries when it was changed and by which device, so that any two copies merge the same
// way whichever is taken first, however often. A `PaperState` carries its stamps
// (`PaperStamps`) and is turned into this form to be merged.

/// When a change was made and on which device; later wins, and the device breaks ties so
/// that every copy picks the same side.
public struct Stamp: Comparable, Hashable, Sendable {
  /// Milliseconds since 1970.
  public var time: Int64
  public var device: String

  public init(time: Int64, device: String) {
    self.time = time
    self.device = device
  }

  public static func < (a: Stamp, b: Stamp) -> Bool {
    a.time != b.time ? a.time < b.time : a.device < b.device
  }

  /// This stamp, or one just after `existing` when this device's clock is behind it: a
  /// change made here must win over what it replaces, whatever the clocks say.
  public func after(_ existing: Stamp?) -> Stamp {
    guard let existing, self <= existing else { return self }
    return Stamp(time: existing.time + 1, device: device)
  }
}

/// One value and the stamp of the change that set it: the later change wins.
public struct Stamped<Value: Hashable & Sendable>: Hashable, Sendable {
  public var value: Value
  public var stamp: Stamp

  public init(_ value: Value, _ stamp: Stamp) {
    self.value = value
    self.stamp = stamp
  }

  /// The later of the two. Two values under one stamp (a device that reused a time) are
  /// ordered by their hash-independent description, so both copies still agree.
  public static func merge(_ a: Stamped, _ b: Stamped) -> Stamped {
    if a.stamp != b.stamp { return a.stamp < b.stamp ? b : a }
    if a.value == b.value { return a }
    return String(reflecting: a.value) < String(reflecting: b.value) ? b : a
  }
}

/// A paper's tags, each with the stamp of its last addition or removal: a removal is kept
/// (as absent), so that a copy which never saw the tag does not bring it back.
public struct StampedTags: Hashable, Sendable {
  public struct Entry: Hashable, Sendable {
    public var present: Bool
    public var stamp: Stamp
  }

  public private(set) var entries: [String: Entry] = [:]

  public init(entries: [String: Entry] = [:]) { self.entries = entries }

  /// The tags present, in the order they were last added.
  public var tags: [String] {
    entries.filter(\.value.present).sorted { $0.value.stamp != $1.value.stamp ? $0.value.stamp < $1.value.stamp : $0.key < $1.key }
      .map(\.key)
  }

  public mutating func add(_ tag: String, at stamp: Stamp) { entries[tag] = Entry(present: true, stamp: stamp) }
  public mutating func remove(_ tag: String, at stamp: Stamp) { entries[tag] = Entry(present: false, stamp: stamp) }

  /// Per tag, the later change wins; an addition and a removal under one stamp keep the tag.
  public static func merge(_ a: StampedTags, _ b: StampedTags) -> StampedTags {
    var merged = a
    for (tag, theirs) in b.entries {
      guard let ours = merged.entries[tag] else {
        merged.entries[tag] = theirs
        continue
      }
      if theirs.stamp > ours.stamp || (theirs.stamp == ours.stamp && theirs.present && !ours.present) {
        // Removed first: one tag typed with a different Unicode spelling (é, or e and a
        // combining accent) is the same key, and assigning would keep our spelling with
        // their stamp, so that the merged file's bytes would depend on which copy came first.
        merged.entries[tag] = nil
        merged.entries[tag] = theirs
      }
    }
    return merged
  }
}

/// A note, or the versions of it written on different devices without either seeing the
/// other's: both are kept until someone edits the note again, knowing them.
public struct StampedNote: Hashable, Sendable {
  public struct Version: Hashable, Sendable {
    /// Nil when this version removed the note.
    public var text: String?
    public var stamp: Stamp
    /// The newest version the writer had seen when writing this one; nil for a first note.
    public var basis: Stamp?

    public init(text: String?, stamp: Stamp, basis: Stamp?) {
      self.text = text
      self.stamp = stamp
      self.basis = basis
    }

    /// Written knowing `other`, so `other` is replaced by it.
    func supersedes(_ other: Version) -> Bool {
      other.stamp < stamp && basis.map { other.stamp <= $0 } == true
    }
  }

  /// Oldest first; one version except after edits that did not see each other.
  public private(set) var versions: [Version]

  public init(versions: [Version] = []) {
    self.versions = Self.current(Set(versions))
  }

  /// The versions no other version replaces, in stamp order (then by text, so that the
  /// order never depends on which copy came first).
  static func current(_ all: Set<Version>) -> [Version] {
    all.filter { version in !all.contains { $0.supersedes(version) } }.sorted {
      $0.stamp != $1.stamp ? $0.stamp < $1.stamp : ($0.text ?? "", $0.basis?.time ?? -1) < ($1.text ?? "", $1.basis?.time ?? -1)
    }
  }

  public var isConflicted: Bool { versions.filter { $0.text != nil }.count > 1 }

  /// A new note (nil removes it) written knowing every version there is now.
  public mutating func edit(_ text: String?, at stamp: Stamp) {
    let newest = versions.map(\.stamp).max()
    versions = [Version(text: text, stamp: stamp.after(newest), basis: newest)]
  }

  /// The note to show: one version as it is; several, each marked with its device and time
  /// so that the reader can see both and keep what they want.
  public var text: String? {
    let written = versions.filter { $0.text != nil }
    guard written.count > 1 else { return written.first?.text }
    return written.map { version in
      let when = Date(timeIntervalSince1970: Double(version.stamp.time) / 1000).formatted(.iso8601)
      return "[version from \(version.stamp.device), \(when)]\n" + version.text!
    }.joined(separator: "\n\n")
  }

  public static func merge(_ a: StampedNote, _ b: StampedNote) -> StampedNote {
    StampedNote(versions: a.versions + b.versions)
  }
}

/// A paper's state with every field stamped.
public struct StampedPaperState: Hashable, Sendable {
  /// The status with the time the paper was read, which always travel together.
  public struct Reading: Hashable, Sendable {
    public var status: ReadStatus
    public var readAt: Date?
  }

  public var reading: Stamped<Reading>?
  public var tags = StampedTags()
  public var note = StampedNote()
  public var title: Stamped<String?>?

  public init() {}

  /// Records the fields where `new` differs from what this state shows, stamped `stamp`.
  public mutating func record(_ new: PaperState, at stamp: Stamp) {
    let old = paperState
    if new.status != old.status || new.readAt != old.readAt {
      reading = Stamped(Reading(status: new.status, readAt: new.readAt), stamp.after(reading?.stamp))
    }
    for tag in old.tags where !new.tags.contains(tag) { tags.remove(tag, at: stamp.after(tags.entries[tag]?.stamp)) }
    // Each tag added after every tag present, so that tags keep the order they were added
    // in even when the clock has not moved between two of them.
    for tag in new.tags where !old.tags.contains(tag) {
      let newest = tags.entries.values.filter(\.present).map(\.stamp).max()
      tags.add(tag, at: stamp.after([tags.entries[tag]?.stamp, newest].compactMap { $0 }.max()))
    }
    if new.note != old.note { note.edit(new.note, at: stamp) }
    if new.title != old.title { title = Stamped(new.title, stamp.after(title?.stamp)) }
  }

  public static func merge(_ a: StampedPaperState, _ b: StampedPaperState) -> StampedPaperState {
    var merged = StampedPaperState()
    merged.reading = mergeOptional(a.reading, b.reading)
    merged.tags = StampedTags.merge(a.tags, b.tags)
    merged.note = StampedNote.merge(a.note, b.note)
    merged.title = mergeOptional(a.title, b.title)
    return merged
  }

  static func mergeOptional<Value>(_ a: Stamped<Value>?, _ b: Stamped<Value>?) -> Stamped<Value>? {
    guard let a else { return b }
    guard let b else { return a }
    return Stamped.merge(a, b)
  }
}

/// Every paper's stamped state: two copies merge paper by paper.
public struct StampedReadingState: Hashable, Sendable {
  public var papers: [PaperID: StampedPaperState]

  public init(papers: [PaperID: StampedPaperState] = [:]) { self.papers = papers }

  public static func merge(_ a: StampedReadingState, _ b: StampedReadingState) -> StampedReadingState {
    StampedReadingState(papers: a.papers.merging(b.papers) { StampedPaperState.merge($0, $1) })
  }

  /// The papers whose notes were edited on two devices that had not seen each other's.
  public var conflicts: [PaperID] { papers.filter(\.value.note.isConflicted).map(\.key).sorted() }
}
