import QuireModel

/// One paper's state before and after a change.
public struct PaperEdit: Equatable, Sendable {
  public var before: PaperState
  public var after: PaperState
}

/// What one key (or one finished note, or one bulk action) changed, undone and redone as a
/// whole: marking 300 papers read is one step back, not 300.
public struct Change: Equatable, Sendable {
  /// What the status line said when the change was made ("tagged 'gan'").
  public var description: String
  public var edits: [PaperID: PaperEdit]
}

/// The session's changes, to go back and forth through. Nothing is saved of it: it lasts
/// as long as the reader runs, as in an editor.
public struct History: Equatable, Sendable {
  public private(set) var done: [Change] = []
  public private(set) var undone: [Change] = []
  /// The edits of the message being handled, made into a change when it is over.
  private var recording: [PaperID: PaperEdit] = [:]

  public init() {}

  public var canUndo: Bool { !done.isEmpty }
  public var canRedo: Bool { !undone.isEmpty }

  /// Notes one paper's edit. Several edits of one paper in one change keep the first
  /// `before` and the last `after`.
  mutating func record(_ id: PaperID, from before: PaperState, to after: PaperState) {
    if let earlier = recording[id] {
      recording[id] = PaperEdit(before: earlier.before, after: after)
    } else {
      recording[id] = PaperEdit(before: before, after: after)
    }
  }

  /// Ends the change being recorded. A new change makes what was undone unreachable, as in
  /// every editor; edits that came back to where they started are not a change.
  mutating func commit(description: String) {
    let edits = recording.filter { $0.value.before != $0.value.after }
    recording = [:]
    guard !edits.isEmpty else { return }
    done.append(Change(description: description, edits: edits))
    undone = []
  }

  mutating func popUndo() -> Change? {
    guard let change = done.popLast() else { return nil }
    undone.append(change)
    return change
  }

  mutating func popRedo() -> Change? {
    guard let change = undone.popLast() else { return nil }
    done.append(change)
    return change
  }
}
