import Foundation

/// What the reader remembers about how it was left, as opposed to what was read: the
/// sort order for now. Kept in `$XDG_STATE_HOME/quire/session.json`, apart from
/// state.json, because it belongs to one machine and should not travel or merge with it.
public struct Session: Equatable, Sendable {
  public var sort = Sorting.listed

  public init(sort: Sorting = .listed) { self.sort = sort }
}

public struct SessionStore: Sendable {
  public let path: String

  public init(path: String) { self.path = path }

  /// `$XDG_STATE_HOME/quire/session.json`, falling back to `~/.local/state/quire/session.json`.
  public static func defaultPath(environment: [String: String]) -> String {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return state + "/quire/session.json"
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/state/quire/session.json"
  }

  /// The remembered session, or the defaults with a problem to show when the file cannot
  /// be understood. A missing file is simply the defaults.
  public func load() -> (Session, Diagnostic?) {
    guard let data = FileManager.default.contents(atPath: path) else { return (Session(), nil) }
    func problem(_ message: String) -> (Session, Diagnostic?) {
      (Session(), Diagnostic(file: path, line: 1, message: message + "; using the defaults", skipped: true))
    }
    guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
      return problem("expected a JSON object such as {\"sort\": \"year:desc\"}")
    }
    var session = Session()
    if let text = root["sort"] {
      guard let text = text as? String, let sort = Sorting(parsing: text) else {
        let keys = SortKey.allCases.map(\.rawValue).joined(separator: ", ")
        return problem("expected \"sort\" to be one of \(keys), optionally with :desc")
      }
      session.sort = sort
    }
    return (session, nil)
  }

  public func save(_ session: Session) throws(StateStore.SaveError) {
    let text = "{\"sort\": \(StateStore.jsonString(session.sort.description))}\n"
    try DurableFile.replace(path: path, with: Data(text.utf8))
  }
}
