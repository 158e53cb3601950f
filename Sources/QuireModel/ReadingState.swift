/// Whether a paper has been read.
public enum ReadStatus: String, Sendable, Equatable {
  case unread
  case read

  public var toggled: ReadStatus { self == .read ? .unread : .read }
}

/// What the reader has done with one paper.
public struct PaperState: Equatable, Sendable {
  public var status: ReadStatus
  /// In the order they were added; never duplicated.
  public var tags: [String]
  /// The reader's own note on the paper; nil when there is none (never empty).
  public var note: String?

  public init(status: ReadStatus = .unread, tags: [String] = [], note: String? = nil) {
    self.status = status
    self.tags = tags
    self.note = note
  }

  public static let untouched = PaperState()

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
