import Foundation

/// A paper's stamps in state.json and the journal: the last field of its line, present
/// only once something was changed by a quire that stamps its changes.
///
///     "changed": {"status": "2026-11-29T23:47:05.123Z laptop-3fa2", "tags": {"theory": "…"},
///       "untagged": {"gan": "…"}, "note": "…", "note seen": "…", "title": "…"}
///
/// (on one line). `tags` stamps the tags present, in their order; `untagged` the tags
/// removed, so that a copy which never saw the removal does not bring the tag back;
/// `note seen` is the newest version of the note its writer had seen. While two versions
/// of a note written apart are kept, `"notes": [{"text": "…", "at": "…", "seen": "…"}, …]`
/// holds them instead of `note` and `note seen`, and the paper's `note` shows both.
enum StampsCoding {
  static func append(_ stamps: PaperStamps, to out: inout [UInt8]) {
    out.append(contentsOf: Array(", \"changed\": {".utf8))
    var first = true
    func key(_ name: StaticString) {
      if !first { out.append(contentsOf: [0x2C, 0x20]) }
      first = false
      out.append(0x22)
      out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
      out.append(contentsOf: [0x22, 0x3A, 0x20])
    }
    func stamp(_ stamp: Stamp) {
      out.append(0x22)
      stamp.append(to: &out)
      out.append(0x22)
    }
    func tagObject(_ changes: some Sequence<PaperStamps.TagChange>) {
      out.append(0x7B)
      for (n, change) in changes.enumerated() {
        if n > 0 { out.append(contentsOf: [0x2C, 0x20]) }
        JSONStringEncoder.append(change.tag, to: &out)
        out.append(contentsOf: [0x3A, 0x20])
        stamp(change.stamp)
      }
      out.append(0x7D)
    }
    if let reading = stamps.reading {
      key("status")
      stamp(reading)
    }
    if stamps.tags.contains(where: \.present) {
      key("tags")
      tagObject(stamps.tags.lazy.filter(\.present))
    }
    if stamps.tags.contains(where: { !$0.present }) {
      key("untagged")
      tagObject(stamps.tags.lazy.filter { !$0.present })
    }
    if let note = stamps.note {
      key("note")
      stamp(note)
    }
    if let seen = stamps.noteSeen {
      key("note seen")
      stamp(seen)
    }
    if !stamps.noteVersions.isEmpty {
      key("notes")
      out.append(0x5B)
      for (n, version) in stamps.noteVersions.enumerated() {
        out.append(contentsOf: Array((n > 0 ? ", {" : "{").utf8))
        if let text = version.text {
          out.append(contentsOf: Array("\"text\": ".utf8))
          JSONStringEncoder.append(text, to: &out)
          out.append(contentsOf: [0x2C, 0x20])
        }
        out.append(contentsOf: Array("\"at\": ".utf8))
        stamp(version.stamp)
        if let seen = version.basis {
          out.append(contentsOf: Array(", \"seen\": ".utf8))
          stamp(seen)
        }
        out.append(0x7D)
      }
      out.append(0x5D)
    }
    if let title = stamps.title {
      key("title")
      stamp(title)
    }
    out.append(0x7D)
  }

  /// The stamps from a `changed` object read the general way, for `paper` as its other
  /// fields give it. Stamps of tags the paper does not have, and removals of tags it has,
  /// are dropped (a hand edit); a stamp not in the form quire writes is an error.
  static func decode(_ value: Any, paper: inout PaperState, fail: (String) -> StateStore.LoadError) throws(StateStore.LoadError) -> PaperStamps {
    let form = "in the form \"\(Stamp.example)\""
    guard let object = value as? [String: Any] else {
      throw fail("\"changed\" to be an object of when each field changed, \(form)")
    }
    func stamp(_ value: Any?, _ name: String) throws(StateStore.LoadError) -> Stamp? {
      guard let value else { return nil }
      guard let text = value as? String, let stamp = Stamp(text: text) else {
        throw fail("\"changed\".\"\(name)\" to be when it changed and on which device, \(form)")
      }
      return stamp
    }
    func tagStamps(_ name: String) throws(StateStore.LoadError) -> [String: Stamp] {
      guard let value = object[name] else { return [:] }
      guard let entries = value as? [String: Any] else {
        throw fail("\"changed\".\"\(name)\" to be an object of tags and when they changed, \(form)")
      }
      var stamps: [String: Stamp] = [:]
      for (tag, value) in entries {
        let normalized = ReadingState.normalizeTag(tag)
        guard !normalized.isEmpty, let parsed = try stamp(value, "\(name)\".\"\(tag)") else { continue }
        stamps[normalized] = max(parsed, stamps[normalized] ?? parsed)
      }
      return stamps
    }
    var stamps = PaperStamps.Fields()
    stamps.reading = try stamp(object["status"], "status")?.known
    let present = try tagStamps("tags")
    let removed = try tagStamps("untagged")
    for tag in paper.tags {
      if let stamp = present[tag] { stamps.tags.append(.init(tag: tag, present: true, stamp: stamp)) }
    }
    for (tag, stamp) in removed.sorted(by: { $0.key < $1.key }) where !paper.tags.contains(tag) && stamp.isKnown {
      stamps.tags.append(.init(tag: tag, present: false, stamp: stamp))
    }
    if let versions = object["notes"] {
      guard let list = versions as? [Any] else {
        throw fail("\"changed\".\"notes\" to be a list of the note's versions, {\"text\": …, \"at\": …, \"seen\": …}")
      }
      var parsed: [StampedNote.Version] = []
      for item in list {
        guard let version = item as? [String: Any], let at = try stamp(version["at"], "notes\".\"at") else {
          throw fail("each of \"changed\".\"notes\" to be a version of the note with \"at\", when it was written, \(form)")
        }
        let text = version["text"]
        guard text == nil || text is String else { throw fail("\"changed\".\"notes\".\"text\" to be a string") }
        parsed.append(.init(text: text as? String, stamp: at, basis: try stamp(version["seen"], "notes\".\"seen")))
      }
      let note = StampedNote(versions: parsed)
      if note.versions.count > 1 {
        stamps.noteVersions = note.versions
      } else if let only = note.versions.first {
        stamps.note = only.stamp.isKnown ? only.stamp : nil
        stamps.noteSeen = only.basis
      }
      paper.note = note.text
    } else {
      stamps.note = try stamp(object["note"], "note")?.known
      stamps.noteSeen = try stamp(object["note seen"], "note seen")
    }
    stamps.title = try stamp(object["title"], "title")?.known
    return PaperStamps(stamps)
  }
}
