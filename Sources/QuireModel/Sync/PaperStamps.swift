import Foundation

/// When, and on which device, each field of a paper's state last changed: what a
/// `PaperState` carries so that two copies of the state merge without asking
/// (`StampedPaperState` does the merging).
///
/// Only stamps a device wrote are kept. A state saved before quire stamped its changes has
/// none; such fields are given stamps older than any real one when merged (see
/// `StampedPaperState.init(_:)`), so that any change made since wins over them.
public struct PaperStamps: Hashable, Sendable {
  /// A tag's last addition or removal.
  public struct TagChange: Hashable, Sendable {
    public var tag: String
    public var present: Bool
    public var stamp: Stamp

    public init(tag: String, present: Bool, stamp: Stamp) {
      self.tag = tag
      self.present = present
      self.stamp = stamp
    }
  }

  struct Fields: Hashable, Sendable {
    var reading: Stamp?
    var tags: [TagChange] = []
    var note: Stamp?
    var noteSeen: Stamp?
    var noteVersions: [StampedNote.Version] = []
    var title: Stamp?
  }

  /// Kept apart, behind one reference, so that a paper's state stays small: a million of
  /// them saved before stamps existed carry a nil each, not a hundred empty bytes.
  private final class Storage: Sendable {
    let fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private var storage: Storage?

  private var fields: Fields { storage?.fields ?? Fields() }

  private mutating func change(_ edit: (inout Fields) -> Void) {
    var fields = fields
    edit(&fields)
    storage = fields == Fields() ? nil : Storage(fields)
  }

  public static func == (a: PaperStamps, b: PaperStamps) -> Bool {
    a.storage === b.storage || a.fields == b.fields
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

  /// The status and the time read, which change together.
  public var reading: Stamp? {
    get { fields.reading }
    set { change { $0.reading = newValue } }
  }
  /// Tags present first, in the order of the paper's tags, then tags removed, by name.
  public var tags: [TagChange] {
    get { fields.tags }
    set { change { $0.tags = newValue } }
  }
  /// The one version of the note (or of its removal) while the note is not in conflict.
  public var note: Stamp? {
    get { fields.note }
    set { change { $0.note = newValue } }
  }
  /// The newest version of the note its writer had seen.
  public var noteSeen: Stamp? {
    get { fields.noteSeen }
    set { change { $0.noteSeen = newValue } }
  }
  /// Every version, while versions written apart are kept side by side; empty otherwise.
  public var noteVersions: [StampedNote.Version] {
    get { fields.noteVersions }
    set { change { $0.noteVersions = newValue } }
  }
  public var title: Stamp? {
    get { fields.title }
    set { change { $0.title = newValue } }
  }

  public init() {}

  /// Stamps made whole at once: readers build them field by field, and each change to a
  /// `PaperStamps` makes its storage anew.
  init(_ fields: Fields) {
    storage = fields == Fields() ? nil : Storage(fields)
  }

  public static let none = PaperStamps()

  public var isEmpty: Bool { storage == nil }

  func stamp(ofTag tag: String) -> Stamp? { tags.first { $0.tag == tag }?.stamp }
}

/// A stamp read from a file or written by a device: `2026-11-29T23:47:05.123Z laptop-3fa2`.
extension Stamp {
  /// Stamps of fields saved before quire stamped them: older than any real change, and
  /// never written.
  public static func unknown(at time: Int64 = 0) -> Stamp { Stamp(time: time, device: "") }

  public var isKnown: Bool { !device.isEmpty }

  /// Now, on `device`.
  public static func now(on device: String, clock: Date = Date()) -> Stamp {
    Stamp(time: Int64((clock.timeIntervalSince1970 * 1000).rounded(.down)), device: device)
  }

  public var date: Date { Date(timeIntervalSince1970: Double(time) / 1000) }

  /// `2026-11-29T23:47:05.123Z laptop-3fa2`.
  public var text: String {
    var out: [UInt8] = []
    append(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// An unknown stamp (a note edited over one saved before quire stamped changes) is its
  /// time alone.
  func append(to out: inout [UInt8]) {
    StampTime.append(time, to: &out)
    guard isKnown else { return }
    out.append(0x20)
    out.append(contentsOf: Array(device.utf8))
  }

  /// The form `text` writes, with a device name as `DeviceName` allows; nil otherwise.
  public init?(text: String) {
    var text = text
    guard let parsed = text.withUTF8({ Stamp(bytes: $0) }) else { return nil }
    self = parsed
  }

  init?(bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count >= StampTime.length, let time = StampTime.parse(UnsafeBufferPointer(rebasing: bytes[..<StampTime.length]))
    else { return nil }
    if bytes.count == StampTime.length {
      self = .unknown(at: time)
      return
    }
    guard bytes.count > StampTime.length + 1, bytes[StampTime.length] == 0x20 else { return nil }
    let device = UnsafeBufferPointer(rebasing: bytes[(StampTime.length + 1)...])
    guard DeviceName.isValid(device) else { return nil }
    self.init(time: time, device: String(decoding: device, as: UTF8.self))
  }

  /// How a complaint about a bad stamp shows the form.
  public static let example = "2026-11-29T23:47:05.123Z laptop-3fa2"
}

/// A stamp's time: UTC to the millisecond, `2026-11-29T23:47:05.123Z`.
enum StampTime {
  static let length = 24

  static func append(_ milliseconds: Int64, to out: inout [UInt8]) {
    let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    let fraction = Int(milliseconds - seconds * 1000)
    ReadTime.append(Date(timeIntervalSince1970: Double(seconds)), to: &out)
    out.removeLast()  // the Z, which goes after the milliseconds
    out.append(0x2E)
    out.append(0x30 + UInt8(fraction / 100))
    out.append(0x30 + UInt8(fraction / 10 % 10))
    out.append(0x30 + UInt8(fraction % 10))
    out.append(0x5A)
  }

  static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard b.count == length, b[19] == 0x2E, b[23] == 0x5A, let seconds = ReadTime.seconds(b) else { return nil }
    var fraction: Int64 = 0
    for index in 20..<23 {
      let digit = Int64(b[index]) &- 0x30
      guard digit >= 0, digit <= 9 else { return nil }
      fraction = fraction * 10 + digit
    }
    return Int64(seconds) * 1000 + fraction
  }
}

extension StampedPaperState {
  /// The paper's state with its stamps, ready to merge. Fields without a stamp (saved
  /// before quire stamped changes) get unknown ones, older than any real stamp: the time
  /// read for the status, and for tags their place in the list, so that their order holds.
  public init(_ paper: PaperState) {
    self.init()
    let stamps = paper.stamps
    if let stamp = stamps.reading ?? paper.unknownReadingStamp {
      reading = Stamped(Reading(status: paper.status, readAt: paper.readAt), stamp)
    }
    var entries: [String: StampedTags.Entry] = [:]
    for change in stamps.tags { entries[change.tag] = StampedTags.Entry(present: change.present, stamp: change.stamp) }
    for (position, tag) in paper.tags.enumerated() {
      if entries[tag]?.present != true {
        entries[tag] = StampedTags.Entry(present: true, stamp: .unknown(at: Int64(position)))
      }
    }
    tags = StampedTags(entries: entries)
    if !stamps.noteVersions.isEmpty {
      note = StampedNote(versions: stamps.noteVersions)
    } else if paper.note != nil || stamps.note != nil {
      note = StampedNote(versions: [.init(text: paper.note, stamp: stamps.note ?? .unknown(), basis: stamps.noteSeen)])
    }
    if paper.title != nil || stamps.title != nil {
      title = Stamped(paper.title, stamps.title ?? .unknown())
    }
  }

  /// What the reader works with, with the stamps a device wrote.
  public var paperState: PaperState {
    var paper = PaperState(
      status: reading?.value.status ?? .unread, tags: tags.tags, note: note.text, title: title?.value ?? nil,
      readAt: reading?.value.readAt)
    var stamps = PaperStamps.Fields()
    stamps.reading = reading?.stamp.known
    let present = Dictionary(uniqueKeysWithValues: tags.entries.filter(\.value.present).map { ($0.key, $0.value.stamp) })
    for tag in paper.tags {
      if let stamp = present[tag]?.known { stamps.tags.append(.init(tag: tag, present: true, stamp: stamp)) }
    }
    for (tag, entry) in tags.entries.sorted(by: { $0.key < $1.key }) where !entry.present && entry.stamp.isKnown {
      stamps.tags.append(.init(tag: tag, present: false, stamp: entry.stamp))
    }
    if note.versions.count > 1 {
      stamps.noteVersions = note.versions
    } else if let only = note.versions.first {
      stamps.note = only.stamp.known
      stamps.noteSeen = only.basis
    }
    stamps.title = title?.stamp.known
    paper.stamps = PaperStamps(stamps)
    return paper
  }
}

extension Stamp {
  /// Nil for an unknown stamp, which is never kept: it is made again from the fields.
  var known: Stamp? { isKnown ? self : nil }
}

extension PaperState {
  /// The two copies of a paper's state merged: per field the newer change wins, tags merge
  /// one by one with removals kept, and notes written apart are both kept.
  public static func merged(_ a: PaperState, _ b: PaperState) -> PaperState {
    if a == b { return a }
    return StampedPaperState.merge(StampedPaperState(a), StampedPaperState(b)).paperState
  }

  /// The stamp a status saved before stamps counts as: from the time it was read, or older
  /// than everything when that is not known; none for a paper that was never read.
  var unknownReadingStamp: Stamp? {
    status == .unread ? nil : .unknown(at: readAt.map { Int64($0.timeIntervalSince1970) * 1000 } ?? 0)
  }

  /// `new`'s fields, stamped `stamp` where they differ from this state's; the rest keep
  /// their stamps. `new`'s own stamps are not looked at.
  public func recording(_ new: PaperState, at stamp: Stamp) -> PaperState {
    var unstamped = new
    unstamped.stamps = stamps
    if unstamped == self { return self }
    // Marking read or unread, alone, is most changes, and a bulk one makes a million:
    // stamped directly, as the general way below would.
    var sameBesideReading = unstamped
    sameBesideReading.status = status
    sameBesideReading.readAt = readAt
    if sameBesideReading == self {
      unstamped.stamps.reading = stamp.after(stamps.reading ?? unknownReadingStamp)
      return unstamped
    }
    var stamped = StampedPaperState(self)
    stamped.record(new, at: stamp)
    return stamped.paperState
  }
}

extension ReadingState {
  /// Sets a paper's state as a change made now on `device`: the fields that differ are stamped.
  public mutating func record(_ new: PaperState, of id: PaperID, at stamp: Stamp) {
    self[id] = self[id].recording(new, at: stamp)
  }

  /// Every paper of `other` merged into this state, paper by paper and field by field.
  /// Returns the papers whose state changed.
  @discardableResult
  public mutating func merge(_ other: ReadingState) -> [PaperID] {
    var changed: [PaperID] = []
    for (id, theirs) in other.papers {
      let ours = self[id]
      let merged = PaperState.merged(ours, theirs)
      if merged != ours {
        self[id] = merged
        changed.append(id)
      }
    }
    return changed
  }
}
