import Foundation
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

/// What narrows the paper list, on top of the view: the unread toggle, the filter line's
/// query and the search kept with Enter. Each query is kept as typed and as parsed.
public struct Filter: Equatable, Sendable {
  public var unreadOnly = false
  public internal(set) var query = ""
  public internal(set) var search = ""
  var parsedQuery = Query.everything
  var parsedSearch = Query.everything

  public init(unreadOnly: Bool = false) {
    self.unreadOnly = unreadOnly
  }

  public var isActive: Bool { unreadOnly || !query.isEmpty || !search.isEmpty }

  /// "unread · tag:gan · /neural", or "none".
  public var summary: String {
    var parts: [String] = []
    if unreadOnly { parts.append("unread") }
    if !query.isEmpty { parts.append(query) }
    if !search.isEmpty { parts.append("/" + search) }
    return parts.isEmpty ? "none" : parts.joined(separator: " · ")
  }

  /// Everything the filter asks for, as one query.
  var combined: [Query] {
    var parts: [Query] = []
    if parsedQuery != .everything { parts.append(parsedQuery) }
    if unreadOnly { parts.append(.status(.unread)) }
    if parsedSearch != .everything { parts.append(parsedSearch) }
    return parts
  }
}

/// A single line of text being typed, with a cursor and Tab completion.
public struct LineInput: Equatable, Sendable {
  /// Setting the text whole (a completion, a prompt filled in) puts the cursor at its end.
  public var text = "" { didSet { cursor = nil } }
  /// Where typing goes, in characters from the start; nil at the end, where it usually is.
  public private(set) var cursor: Int?
  /// Candidates offered by the last Tab, cycled by further Tabs.
  public var completions: [String] = []
  public var completionIndex: Int?

  public init(text: String = "") { self.text = text }

  /// The cursor as an offset, the end included.
  public var position: Int { cursor ?? text.count }

  mutating func place(_ offset: Int) {
    let clamped = max(0, min(offset, text.count))
    cursor = clamped == text.count ? nil : clamped
  }

  mutating func insert(_ character: Character) {
    let at = position
    text.insert(character, at: text.index(text.startIndex, offsetBy: at))
    place(at + 1)
    completions = []
    completionIndex = nil
  }

  /// Deletes the character before the cursor; false when there is none.
  @discardableResult
  mutating func deleteBackward() -> Bool {
    let at = position
    guard at > 0 else { return false }
    text.remove(at: text.index(text.startIndex, offsetBy: at - 1))
    place(at - 1)
    completions = []
    completionIndex = nil
    return true
  }

  /// Deletes the character under the cursor.
  mutating func deleteForward() {
    let at = position
    guard at < text.count else { return }
    text.remove(at: text.index(text.startIndex, offsetBy: at))
    place(at)
  }

  /// Deletes the word before the cursor and the spaces after it, as C-w does in a shell.
  mutating func deleteWordBackward() {
    var at = position
    let characters = Array(text)
    while at > 0, characters[at - 1] == " " { at -= 1 }
    while at > 0, characters[at - 1] != " " { at -= 1 }
    let end = position
    text = String(characters[..<at] + characters[end...])
    place(at)
  }

  mutating func moveLeft() { place(position - 1) }
  mutating func moveRight() { place(position + 1) }
  mutating func moveToStart() { place(0) }
  mutating func moveToEnd() { place(text.count) }
}

/// The tag editor, open on one paper or on the marked papers.
public struct TagEditor: Equatable, Sendable {
  public var paper: PaperID
  public var input = LineInput()
  /// An existing tag picked out for removal (Left/Right, or Backspace on an empty line).
  public var selectedTag: Int?
  /// When the editor is open on the marked papers: the tags any of them carries, each with
  /// how many do, kept up to date here so that drawing never walks the marks.
  public var bulk: BulkTags?

  public init(paper: PaperID) { self.paper = paper }
}

/// The marked papers a bulk tag edit applies to, and the tags they carry.
public struct BulkTags: Equatable, Sendable {
  public var papers: [PaperID]
  public var tags: [(name: String, count: Int)]

  public static func == (a: BulkTags, b: BulkTags) -> Bool {
    a.papers == b.papers && a.tags.map(\.name) == b.tags.map(\.name) && a.tags.map(\.count) == b.tags.map(\.count)
  }
}

/// The title line: a title of the reader's own for the selected paper.
public struct TitlePrompt: Equatable, Sendable {
  public var paper: PaperID
  public var input: LineInput
}

/// A match in the viewer: its line, and where in the line (unicode scalar offsets).
public struct MatchPosition: Equatable, Sendable {
  public var line: Int
  public var range: Range<Int>
}

/// The list as it was, to go back to.
struct ListSnapshot: Equatable, Sendable {
  var filter: Filter
  var shown: [Int]
  var selected: Int
  var listOffset: Int
  var viewerOffset: Int
  var lastResult: QueryResult?
}

/// The search line: narrows the list as it is typed; Enter keeps the result, Esc goes
/// back to the list as it was.
public struct SearchPrompt: Equatable, Sendable {
  public var input = LineInput()
  /// Where the text typed so far stops being a query; the list shows the last good one.
  public var error: QueryError?
  var before: ListSnapshot
  /// How many papers the view and filter show without the search: the "of N" it counts in.
  public var scope: Int
}

/// The filter line: a query applied on Enter.
public struct FilterPrompt: Equatable, Sendable {
  public var input: LineInput
  public var error: QueryError?
}

/// The list of saved views with their counts.
public struct ViewList: Equatable, Sendable {
  public struct Entry: Equatable, Sendable {
    public var name: String
    public var query: String
    public var unread: Int
    public var total: Int
    /// Why the view shows nothing, when its query does not parse.
    public var problem: String?
  }

  public var entries: [Entry]
  public var selected: Int
}

/// What sits above the panes and takes the keys first.
public enum Overlay: Equatable, Sendable {
  case help(offset: Int)
  case tagEditor(TagEditor)
  case search(SearchPrompt)
  case filter(FilterPrompt)
  case views(ViewList)
  case confirmMarkAllRead(count: Int)
  case title(TitlePrompt)
  case stats(StatsView)
}

/// The papers a query matched, kept so that typing one more character only looks again at
/// these; valid while the reading state is the one it was computed on.
struct QueryResult: Equatable, Sendable {
  var query: Query
  var readingVersion: Int
  var papers: PaperSet
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
  /// The saved views from the config, and the one shown (nil: every paper).
  public internal(set) var views: [SavedView]
  public internal(set) var currentView: Int?
  var viewQuery = Query.everything
  /// The paper selected in each view when it was left, by view name ("" for every paper).
  var viewSelections: [String: PaperID] = [:]
  public internal(set) var sort: Sorting
  /// Library indices in sort order, and each index's position in it.
  var order: [Int] = []
  var rank: [Int] = []
  /// Built on the first query, or handed over by the session, which builds it in the
  /// background at start (`indexComing`); a query made before it arrives waits for it.
  var searchIndex: SearchIndex?
  var indexComing: Bool
  var waitingForIndex = false
  /// The reading state arranged for searching, kept up to date by `setState`. Nil while
  /// the session counts it in the background at start (`countsComing`): with a million
  /// papers that takes longer than drawing the first screen.
  var readingIndex: ReadingIndex?
  /// Papers changed before the counts arrived, to bring them up to date then.
  var changedBeforeCounts: Set<PaperID> = []
  /// The counts below are known (they are not while `readingIndex` is being built).
  public var countsReady: Bool { readingIndex != nil }
  var lastResult: QueryResult?
  /// Counts changes to the reading state, so a kept query result knows when it is stale.
  var readingVersion = 0
  /// Folded words and phrases of the search and filter, marked where they appear.
  public internal(set) var highlights: [String] = []
  /// The match the last n/N went to, drawn apart from the others.
  public internal(set) var currentMatch: MatchPosition?
  /// The time `added:<7d` counts back from; fixed in tests.
  let clock: @Sendable () -> Date
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
  /// The session's changes, for undo and redo.
  public internal(set) var history = History()
  /// True while a change that is not the user's own (another quire's, undo replaying one)
  /// goes through `setState`: it is not a change to undo.
  var recordingPaused = false
  /// Papers marked for a bulk action, by id so that they stay marked when the list is
  /// sorted, filtered or read again.
  public internal(set) var marks: Set<PaperID> = []
  /// Each paper's state before this session first changed it (changes merged from another
  /// quire left out): what the summary printed on quitting compares with.
  public internal(set) var sessionBase: [PaperID: PaperState] = [:]
  public internal(set) var sessionStarted: Date
  /// The zone whose weeks the statistics count in; fixed in tests.
  var timeZone = TimeZone.current
  /// Libraries from this size on have their statistics counted in the background.
  var statsInBackgroundFrom = 100_000
  var statsRequests = 0
  var detailCache: DetailCache?
  /// Unread papers in the library, kept up to date on every change rather than recounted.
  public internal(set) var unreadCount = 0
  /// How many papers carry each tag, for completion.
  public internal(set) var tagUse: [String: Int] = [:]
  /// The papers the last fetch brought, marked in the list and matched by `is:new`.
  public internal(set) var fetched = FetchedPapers.none
  /// The fetch running in the background, if one is.
  public internal(set) var fetchActivity: FetchActivity?
  /// How many subscriptions the config has: a fetch with none only says how to add one.
  public let subscriptionCount: Int
  /// Where the state is saved and the user's keymap is read, for the help overlay.
  public let statePath: String
  public let keymapPath: String
  public let configPath: String
  /// Whether `copy-link` may set the system clipboard (the config's `clipboard` line).
  public var clipboard = ClipboardSetting.off
  /// The name this machine signs its changes with (`DeviceName`).
  public let device: String

  /// `problems` are those found in other files at start (the user's keymap); with the
  /// library's own, the first is shown on the status line.
  public init(
    library: Library, reading: ReadingState, keymap: Keymap, size: ScreenSize, statePath: String = "",
    keymapPath: String = "", configPath: String = "", problems: [Diagnostic] = [], views: [SavedView] = [], sort: Sorting = .listed,
    indexComing: Bool = false, countsComing: Bool = false, fetched: FetchedPapers = .none, subscriptionCount: Int = 0,
    device: String = "here", clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.device = device
    self.fetched = fetched
    self.subscriptionCount = subscriptionCount
    self.indexComing = indexComing
    self.library = library
    // What the last fetch brought has a view of its own, unless the user named one so.
    let offersNew = subscriptionCount > 0 || fetched.at != nil
    self.views = views + (offersNew && !views.contains { $0.name == Self.newView.name } ? [Self.newView] : [])
    self.sort = sort
    self.clock = clock
    self.sessionStarted = clock()
    self.readingIndex = countsComing ? nil : ReadingIndex(reading: reading, library: library)
    self.reading = reading
    self.keymap = keymap
    self.size = size
    self.statePath = statePath
    self.keymapPath = keymapPath
    self.configPath = configPath
    // Counts and completion speak of the library on screen, not of every list ever opened.
    if let readingIndex {
      tagUse = readingIndex.tagUse
      unreadCount = library.count - readingIndex.read.count
    }
    setOrder(library.indices(sortedBy: sort, reading: reading))
    shown = order
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
    case .tagEditor, .search, .filter, .title: return .input
    default: return focus.keyContext
    }
  }
}
