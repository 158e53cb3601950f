/// Where a binding applies. Bindings in `global` apply in the list and the viewer unless
/// the pane has its own; `input` is for the tag editor and prompts, where any key not
/// bound there types itself.
public enum KeyContext: String, CaseIterable, Sendable {
  case global, list, viewer, input
}

/// Everything a key can be bound to, declared once: the keymap parser, the built-in
/// keymap, the help overlay and the status-line hints all read this table.
public enum Command: String, CaseIterable, Sendable {
  case down, up
  case pageDown = "page-down"
  case pageUp = "page-up"
  case halfPageDown = "half-page-down"
  case halfPageUp = "half-page-up"
  case top, bottom
  case open
  case focusNext = "focus-next"
  case focusPrevious = "focus-previous"
  case back
  case toggleRead = "toggle-read"
  case markAllRead = "mark-all-read"
  case editTags = "edit-tags"
  case editNote = "edit-note"
  case openLink = "open-link"
  case copyLink = "copy-link"
  case toggleUnreadOnly = "toggle-unread-only"
  case undo, redo
  case toggleMark = "toggle-mark"
  case markShown = "mark-shown"
  case clearMarks = "clear-marks"
  case editTitle = "edit-title"
  case stats
  case search
  case nextMatch = "next-match"
  case previousMatch = "previous-match"
  case filter
  case clearFilters = "clear-filters"
  case sort
  case reverseSort = "reverse-sort"
  case views
  case fetch
  case nextView = "next-view"
  case previousView = "previous-view"
  case help
  case redraw
  case quit
  // Text input: the tag editor and prompts.
  case accept
  case cancel
  case complete
  case deleteBackward = "delete-backward"
  case clearInput = "clear-input"
  case deleteWord = "delete-word"
  case lineStart = "line-start"
  case lineEnd = "line-end"
  case selectPreviousTag = "select-previous-tag"
  case selectNextTag = "select-next-tag"
  case removeTag = "remove-tag"

  public var name: String { rawValue }

  /// One line for the help overlay.
  public var help: String {
    switch self {
    case .down: return "move down (scroll in the viewer)"
    case .up: return "move up (scroll in the viewer)"
    case .pageDown: return "page down"
    case .pageUp: return "page up"
    case .halfPageDown: return "half a page down"
    case .halfPageUp: return "half a page up"
    case .top: return "go to the first paper (top of the abstract)"
    case .bottom: return "go to the last paper (end of the abstract)"
    case .open: return "open the selected paper in the abstract viewer"
    case .focusNext: return "focus the next pane"
    case .focusPrevious: return "focus the previous pane"
    case .back: return "back to the paper list"
    case .toggleRead: return "mark read / unread (with papers marked: all of them)"
    case .markAllRead: return "mark every shown paper read (asks first)"
    case .editTags: return "edit the selected paper's tags (with papers marked: add or remove a tag on all of them)"
    case .undo: return "undo the last change (status, tags, note, title, bulk action), back to the session's start"
    case .redo: return "redo what was undone"
    case .toggleMark: return "mark or unmark the selected paper for a bulk action, and move down"
    case .markShown: return "mark every paper shown (again: unmark them)"
    case .clearMarks: return "unmark every paper"
    case .editTitle: return "give the selected paper a title of your own (an empty line takes it away)"
    case .editNote: return "edit the selected paper's note in $VISUAL or $EDITOR (vi without either)"
    case .openLink: return "open the paper's link (its URL, else its DOI or arXiv id) with $BROWSER or xdg-open"
    case .copyLink: return "show the paper's link; copy it to the clipboard too when the config says clipboard osc52"
    case .toggleUnreadOnly: return "show only unread papers / show all"
    case .stats: return "statistics: papers read per week, read and unread by tag and by year"
    case .search: return "search as you type: the list narrows with every character (Enter keeps, Esc goes back)"
    case .nextMatch: return "go to the next match in the abstract"
    case .previousMatch: return "go to the previous match in the abstract"
    case .filter: return "filter with a query, such as tag:gan year:>=2016 -is:read (Tab completes)"
    case .fetch: return "fetch the subscriptions in the background (new papers are marked N, in the view New)"
    case .clearFilters: return "clear the filter, the search and the unread toggle"
    case .sort: return "sort by the next key: as listed, published, year, title, first author, status, date added"
    case .reverseSort: return "reverse the sort order"
    case .views: return "list the saved views with their counts"
    case .nextView: return "switch to the next saved view"
    case .previousView: return "switch to the previous saved view"
    case .help: return "show or hide this help"
    case .redraw: return "redraw the screen"
    case .quit: return "quit (every change is saved as it is made)"
    case .accept: return "add the typed tag (-name removes one) / keep the search / apply the filter"
    case .cancel: return "close the tag editor / leave the search as it was / cancel the prompt"
    case .complete: return "complete a tag, or a field name in a query"
    case .deleteBackward: return "delete a character; on an empty line, pick then remove the last tag"
    case .clearInput: return "clear the typed text"
    case .deleteWord: return "delete the word before the cursor"
    case .lineStart: return "move the cursor to the start of the line"
    case .lineEnd: return "move the cursor to the end of the line"
    case .selectPreviousTag: return "move the cursor left; in the tag editor, select the previous tag"
    case .selectNextTag: return "move the cursor right; in the tag editor, select the next tag"
    case .removeTag: return "remove the selected tag; in a prompt, delete the character under the cursor"
    }
  }

  /// A short word for the status-line hints.
  public var hint: String? {
    switch self {
    case .down: return "move"
    case .open: return "open"
    case .toggleRead: return "read"
    case .editTags: return "tags"
    case .editNote: return "note"
    case .openLink: return "open link"
    case .copyLink: return "copy link"
    case .toggleUnreadOnly: return "unread"
    case .undo: return "undo"
    case .toggleMark: return "mark"
    case .stats: return "stats"
    case .search: return "search"
    case .filter: return "filter"
    case .sort: return "sort"
    case .views: return "views"
    case .help: return "help"
    case .quit: return "quit"
    case .back: return "back"
    case .accept: return "add"
    case .complete: return "complete"
    case .cancel: return "close"
    case .removeTag: return "remove"
    default: return nil
    }
  }
}
