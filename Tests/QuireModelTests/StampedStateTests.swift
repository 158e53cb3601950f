import Foundation
import PropertyBased
import QuireModel
import Testing

/// Copies of one paper's state on three devices, edited and synced at random: whatever
/// happened, merging them is commutative, associative and idempotent, and nothing is lost
/// but what a newer change to the same field replaced.
@Suite("Stamped state: merging copies from several devices")
struct StampedStateTests {
  /// One step of a history: which device acts, and what it does (or which device it
  /// takes the other's copy from).
  struct Step: Sendable, CustomStringConvertible {
    var device: Int
    var action: Int
    var argument: Int
    var description: String { "d\(device) a\(action) x\(argument)" }
  }

  static let step = zip(Gen.int(in: 0...2), Gen.int(in: 0...6), Gen.int(in: 0...3)).map { Step(device: $0, action: $1, argument: $2) }
  static let history = step.array(of: 0...40)

  /// Plays a history; each device's clock is its own (one runs behind), as on real machines.
  static func play(_ steps: [Step]) -> [StampedPaperState] {
    var copies = Array(repeating: StampedPaperState(), count: 3)
    let tags = ["a", "b", "c", "d"]
    for (n, step) in steps.enumerated() {
      let clock = Int64(n * 10 - (step.device == 2 ? 25 : 0))
      let stamp = Stamp(time: clock, device: "device-\(step.device)")
      var state = copies[step.device].paperState
      switch step.action {
      case 0: state.setStatus(state.status.toggled, at: Date(timeIntervalSince1970: Double(clock)))
      case 1: if !state.tags.contains(tags[step.argument]) { state.tags.append(tags[step.argument]) }
      case 2: state.tags.removeAll { $0 == tags[step.argument] }
      case 3: state.note = step.argument == 0 ? nil : "note \(n)"
      case 4: state.title = step.argument == 0 ? nil : "title \(n)"
      default:
        // A sync: this device takes in another's copy.
        let other = step.argument % 3
        copies[step.device] = StampedPaperState.merge(copies[step.device], copies[other])
        continue
      }
      copies[step.device].record(state, at: stamp)
    }
    return copies
  }

  @Test("merge is commutative, associative and idempotent")
  func algebra() async {
    await propertyCheck(count: 400, input: Self.history) { steps in
      let copies = Self.play(steps)
      let (a, b, c) = (copies[0], copies[1], copies[2])
      #expect(StampedPaperState.merge(a, b) == StampedPaperState.merge(b, a))
      #expect(StampedPaperState.merge(StampedPaperState.merge(a, b), c) == StampedPaperState.merge(a, StampedPaperState.merge(b, c)))
      #expect(StampedPaperState.merge(a, a) == a)
      #expect(StampedPaperState.merge(StampedPaperState.merge(a, b), b) == StampedPaperState.merge(a, b))
    }
  }

  @Test("nothing is lost but what a newer change to the same field replaced")
  func nothingLost() async {
    await propertyCheck(count: 400, input: Self.history) { steps in
      let copies = Self.play(steps)
      let merged = copies.dropFirst().reduce(copies[0], StampedPaperState.merge)
      // Single values: the newest change of any copy.
      #expect(merged.reading?.stamp == copies.compactMap(\.reading?.stamp).max())
      #expect(merged.title?.stamp == copies.compactMap(\.title?.stamp).max())
      // Tags: each tag as its newest addition or removal left it.
      for tag in Set(copies.flatMap(\.tags.entries.keys)) {
        let newest = copies.compactMap { $0.tags.entries[tag] }.max { $0.stamp < $1.stamp || ($0.stamp == $1.stamp && !$0.present) }
        #expect(merged.tags.entries[tag] == newest)
      }
      // Notes: every version is still there, or replaced by one written knowing it.
      for version in copies.flatMap(\.note.versions) {
        #expect(merged.note.versions.contains(version) || merged.note.versions.contains { $0.stamp > version.stamp && ($0.basis ?? $0.stamp) >= version.stamp })
      }
    }
  }

  @Test("a note edited on two devices that had not seen each other's keeps both, marked; editing it again ends that")
  func concurrentNotes() {
    var laptop = StampedPaperState()
    laptop.record(PaperState(note: "first"), at: Stamp(time: 1_000, device: "laptop"))
    var desktop = laptop
    laptop.record(PaperState(note: "from the laptop"), at: Stamp(time: 2_000, device: "laptop"))
    desktop.record(PaperState(note: "from the desktop"), at: Stamp(time: 3_000, device: "desktop"))
    var merged = StampedPaperState.merge(laptop, desktop)
    #expect(merged.note.isConflicted)
    let text = merged.paperState.note ?? ""
    #expect(text.contains("[version from laptop, 1970-01-01T00:00:02Z]\nfrom the laptop"))
    #expect(text.contains("[version from desktop, 1970-01-01T00:00:03Z]\nfrom the desktop"))
    #expect(StampedReadingState(papers: [PaperID("p"): merged]).conflicts == [PaperID("p")])
    // Edited again, knowing both: one note, which wins over both everywhere.
    merged.record(PaperState(note: "both, reconciled"), at: Stamp(time: 4_000, device: "laptop"))
    #expect(!merged.note.isConflicted)
    #expect(StampedPaperState.merge(merged, desktop).paperState.note == "both, reconciled")
    #expect(StampedPaperState.merge(laptop, merged).paperState.note == "both, reconciled")
  }

  @Test("a removed tag stays removed when merged with a copy that never saw the removal")
  func removalsRespected() {
    var one = StampedPaperState()
    one.record(PaperState(tags: ["gan", "theory"]), at: Stamp(time: 10, device: "one"))
    let other = one
    one.record(PaperState(tags: ["theory"]), at: Stamp(time: 20, device: "one"))
    #expect(StampedPaperState.merge(other, one).paperState.tags == ["theory"])
  }

  @Test("a device whose clock is behind still changes what it has seen")
  func clockBehind() {
    var copy = StampedPaperState()
    copy.record(PaperState(status: .read, title: "Old"), at: Stamp(time: 5_000, device: "fast"))
    copy.record(PaperState(status: .unread, title: "New"), at: Stamp(time: 1_000, device: "slow"))
    #expect(copy.paperState.title == "New")
    #expect(copy.paperState.status == .unread)
    #expect(copy.title?.stamp == Stamp(time: 5_001, device: "slow"))
  }
}
