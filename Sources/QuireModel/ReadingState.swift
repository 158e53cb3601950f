import Foundation

/// Whether a paper has been read.
public enum ReadStatus: String, Sendable, Equatable {
  case unread
  case read

  public var toggled: ReadStatus { self == .read ? .unread : .read }
}

/// What the reader has done with one paper.
public struct PaperState: Equatable, Sendable {
  /// Set to unread, the time read goes with it, whoever sets it.
  public var status: ReadStatus {
    didSet { if status == .unread { readAt = nil } }
  }
  /// In the order they were added; never duplicated.
  public var tags: [String]
  /// The reader's own note on the paper; nil when there is none (never empty).
  public var note: String?
  /// The title the reader gave the paper, shown instead of the listing's; nil when there is
  /// none (never empty). Kept here, not in the library, so that a re-import keeps it.
  public var title: String?
  /// When the paper was last marked read, in whole seconds; nil while it is unread and for
  /// papers read before quire kept the time.
  public var readAt: Date?
  /// When and where each field last changed, for merging copies made on other devices.
  public var stamps = PaperStamps.none

  public init(status: ReadStatus = .unread, tags: [String] = [], note: String? = nil, title: String? = nil, readAt: Date? = nil) {
    self.status = status
    self.tags = tags
    self.note = note
    self.title = title
    self.readAt = status == .read ? readAt.map(Self.wholeSeconds) : nil
  }

  /// Marks the paper read or unread; reading it records when (to the second, as saved).
  public mutating func setStatus(_ new: ReadStatus, at now: Date) {
    guard new != status else { return }
    status = new
    readAt = new == .read ? Self.wholeSeconds(now) : nil
  }

  static func wholeSeconds(_ date: Date) -> Date {
    Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
  }

  public static let untouched = PaperState()

  /// The fields alone, without when and where they changed.
  public var unstamped: PaperState {
    var fields = self
    fields.stamps = .none
    return fields
  }

  public var isUntouched: Bool { self == .untouched }
}

/// Reading status and tags for every paper the reader has touched, keyed by paper id.
/// Papers not present are unread and untagged. Entries for papers that are not in the
/// library being shown are kept: the same state serves every library quire opens.
public struct ReadingState: Equatable, Sendable {
  public private(set) var papers: [PaperID: PaperState]

  public init(papers: [PaperID: PaperState] = [:]) {
    self.papers = papers.filter { !$0.value.isUntouched }
  }

  /// For a reader that has left untouched papers out already: at a million papers, the
  /// filter's copy of the dictionary is a noticeable part of start-up.
  init(untouchedLeftOut papers: [PaperID: PaperState]) {
    self.papers = papers
  }

  public subscript(id: PaperID) -> PaperState {
    get { papers[id] ?? .untouched }
    set { papers[id] = newValue.isUntouched ? nil : newValue }
  }

  /// A tag as the user means it: trimmed, with inner white space turned into one dash, so
  /// that a tag is always one word ("deep learning" → "deep-learning").
  public static func normalizeTag(_ raw: String) -> String {
    raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: "-")
  }
}
