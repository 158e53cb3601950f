/// What a colour is for, as `color` lines in the config name it. The reader draws each
/// part of the screen in one of these roles, and a theme says how each role looks.
public enum ColorRole: String, CaseIterable, Sendable {
  case normal
  case selection
  /// The selection while the other pane has the focus.
  case selectionUnfocused = "selection-unfocused"
  case unread
  case read
  case tag
  case match
  /// The match n/N went to.
  case matchCurrent = "match-current"
  case status
  case statusMessage = "status-message"
  case error
  case title
  case heading
  case border
  case borderFocused = "border-focused"
  case dim
  /// A paper without a title, shown by a label made from its abstract.
  case label
  case input
  case cursor
  case completion

  public var name: String { rawValue }
}
