import QuireModel

/// The panes that can hold focus in normal reading.
public enum Pane: Sendable, Equatable {
  case list, viewer

  var keyContext: KeyContext { self == .list ? .list : .viewer }
}

/// Terminal size in cells.
public struct ScreenSize: Equatable, Sendable {
  public var rows: Int
  public var cols: Int
  public init(rows: Int, cols: Int) {
    self.rows = rows
    self.cols = cols
  }
}

/// What narrows the paper list.
public struct Filter: Equatable, Sendable {
  public var unreadOnly = false
  public var tag: String?

  public init(unreadOnly: Bool = false, tag: String? = nil) {
    self.unreadOnly = unreadOnly
    self.tag = tag
  }

  public var isActive: Bool { unreadOnly || tag != nil }

  /// "unread, tag:gan", or "none".
  public var summary: String {
    var parts: [String] = []
    if unreadOnly { parts.append("unread") }
    if let tag { parts.append("tag:\(tag)") }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }
}

/// A single line of text being typed, with Tab completion.
public struct LineInput: Equatable, Sendable {
  public var text = ""
  /// Candidates offered by the last Tab, cycled by further Tabs.
  public var completions: [String] = []
  public var completionIndex: Int?

  public init(text: String = "") { self.text = text }
}

/// The tag editor, open on one paper.
public struct TagEditor: Equatable, Sendable {
  public var paper: PaperID
  public var input = LineInput()
  /// An existing tag picked out for removal (Left/Right, or Backspace on an empty line).
  public var selectedTag: Int?

  public init(paper: PaperID) { self.paper = paper }
}

/// What sits above the panes and takes the keys first.
public enum Overlay: Equatable, Sendable {
  case help(offset: Int)
  case tagEditor(TagEditor)
  case tagFilter(LineInput)
  case confirmMarkAllRead(count: Int)
}

public struct StatusMessage: Equatable, Sendable {
  public enum Kind: Sendable { case info, error }
  public var text: String
  public var kind: Kind

  public static func info(_ text: String) -> StatusMessage { StatusMessage(text: text, kind: .info) }
  public static func error(_ text: String) -> StatusMessage { StatusMessage(text: text, kind: .error) }
}

/// Whether what is on screen is also on disk.
public enum SaveStatus: Equatable, Sendable {
  case saved
  case pending
  case failed(String)
}

/// The viewer's wrapped lines for one paper at one width, kept between keys.
struct DetailCache: Sendable {
  var paper: PaperID
  var width: Int
  var state: PaperState
  var lines: [DetailLine]
}

/// Everything the reader shows and remembers. Changed only by `Reader.update`: the
/// properties are read-only outside this module, so derived counts cannot drift.
public struct AppState: Sendable {
  public internal(set) var library: Library
  public internal(set) var reading: ReadingState
  public var keymap: Keymap
  public internal(set) var size: ScreenSize
  public internal(set) var filter = Filter()
  /// Library indices of the papers shown, in order.
  public internal(set) var shown: [Int] = []
  /// Position in `shown` of the selected paper.
  public internal(set) var selected = 0
  public internal(set) var listOffset = 0
  public internal(set) var viewerOffset = 0
  public internal(set) var focus: Pane = .list
  public internal(set) var overlay: Overlay?
  public internal(set) var message: StatusMessage?
  public internal(set) var saveStatus: SaveStatus = .saved
  /// Papers whose state changed since the last successful save.
  public internal(set) var unsaved: Set<PaperID> = []
  var detailCache: DetailCache?
  /// Unread papers in the library, kept up to date on every change rather than recounted.
  public internal(set) var unreadCount = 0
  /// How many papers carry each tag, for completion.
  public internal(set) var tagUse: [String: Int] = [:]
  /// Where the state is saved and the user's keymap is read, for the help overlay.
  public let statePath: String
  public let keymapPath: String

  /// `problems` are those found in other files at start (the user's keymap); with the
  /// library's own, the first is shown on the status line.
  public init(
    library: Library, reading: ReadingState, keymap: Keymap, size: ScreenSize, statePath: String = "",
    keymapPath: String = "", problems: [Diagnostic] = []
  ) {
    self.library = library
    self.reading = reading
    self.keymap = keymap
    self.size = size
    self.statePath = statePath
    self.keymapPath = keymapPath
    var read = 0
    for (id, entry) in reading.papers where library.index(of: id) != nil {
      // Counts and completion speak of the library on screen, not of every list ever opened.
      if entry.status == .read { read += 1 }
      for tag in entry.tags { tagUse[tag, default: 0] += 1 }
    }
    unreadCount = library.count - read
    shown = Array(0..<library.count)
    let all = library.diagnostics + problems
    if let first = all.first {
      let more = all.count - 1
      message = .error(first.description + (more > 0 ? " (+\(more) more; `quire check` lists them)" : ""))
    }
    clampScroll()
  }

  public var selectedPaper: Paper? {
    shown.indices.contains(selected) ? library[shown[selected]] : nil
  }

  public func state(of paper: Paper) -> PaperState { reading[paper.id] }

  public var layout: Layout { Layout(size: size, tagEditorOpen: isTagEditorOpen) }

  var isTagEditorOpen: Bool {
    if case .tagEditor = overlay { return true }
    return false
  }

  /// The key context keys are looked up in right now.
  var keyContext: KeyContext {
    switch overlay {
    case .tagEditor, .tagFilter: return .input
    default: return focus.keyContext
    }
  }
}
