import Foundation

/// What quire remembers of fetching, beside the library (`fetch.json`): each source's
/// validators (ETag, Last-Modified) and when it was last asked, and which papers the
/// last fetch that brought any brought. A cache: when it is lost or unreadable, the next
/// fetch asks every source afresh and the library's dedup keeps papers single.
public struct FetchLog: Equatable, Sendable, Codable {
  public struct Source: Equatable, Sendable, Codable {
    /// The URL these validators belong to: a subscription given a new URL starts afresh.
    public var url: String
    public var etag: String?
    public var lastModified: String?
    /// When the source was last asked (successfully or not), and last answered.
    public var attempted: Date?
    public var succeeded: Date?
    /// Why the last attempt failed; nil when it did not.
    public var error: String?

    public init(url: String) { self.url = url }
  }

  public var sources: [String: Source] = [:]
  /// When the last fetch that brought new or updated papers finished.
  public var lastFetch: Date?
  /// The papers it brought, and those it brought a new arXiv version of.
  public var new: [PaperID] = []
  public var updated: [PaperID] = []

  public init() {}

  public static func defaultPath(environment: [String: String]) -> String {
    (StateStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/fetch.json"
  }

  /// The papers of the last fetch, as a query's `is:new` and `is:updated` see them.
  public var fetched: FetchedPapers { FetchedPapers(new: Set(new), updated: Set(updated), at: lastFetch) }

  /// The log at `path`; an empty one when there is none. One that cannot be read is set
  /// aside as `fetch.json.broken` (it is only a cache) and the problem is told.
  /// Readers that write nothing (`quire list`, the reader's marks) pass `setAside: false`.
  public static func load(path: String, setAside: Bool = true) -> (log: FetchLog, problem: String?) {
    guard let data = FileManager.default.contents(atPath: path) else { return (FetchLog(), nil) }
    do {
      return (try decoder.decode(FetchLog.self, from: data), nil)
    } catch {
      guard setAside else { return (FetchLog(), "\(path): not a fetch log quire can read (\(Self.reason(error))); is:new matches nothing") }
      let aside = path + ".broken"
      try? FileManager.default.removeItem(atPath: aside)
      let moved = (try? FileManager.default.moveItem(atPath: path, toPath: aside)) != nil
      return (FetchLog(), "\(path): not a fetch log quire can read (\(Self.reason(error))); every source is asked afresh" + (moved ? "; the file was kept as \(aside)" : ""))
    }
  }

  public func save(path: String) throws(StateStore.SaveError) {
    let data = (try? Self.encoder.encode(self)) ?? Data("{}".utf8)
    try DurableFile.replace(path: path, with: data + Data("\n".utf8))
  }

  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }()

  static let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }()

  static func reason(_ error: Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return path.isEmpty ? "not JSON" : "at \(path): \(context.debugDescription)"
    case DecodingError.keyNotFound(let key, _):
      return "expected a field \(key.stringValue)"
    default:
      return "not JSON"
    }
  }
}

extension PaperID: Codable {
  public init(from decoder: Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// The papers the last fetch brought: what `is:new` and `is:updated` match and the list
/// marks.
public struct FetchedPapers: Equatable, Sendable {
  public var new: Set<PaperID>
  public var updated: Set<PaperID>
  public var at: Date?

  public init(new: Set<PaperID> = [], updated: Set<PaperID> = [], at: Date? = nil) {
    self.new = new
    self.updated = updated
    self.at = at
  }

  public static let none = FetchedPapers()
}
