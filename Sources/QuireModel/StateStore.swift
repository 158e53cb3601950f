import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads and writes `state.json`, the reader's status and tags.
///
/// The file is laid out one paper per line, sorted by id, so a change to one paper changes
/// one line. Saving is durable: a temporary file in the same folder is written and flushed,
/// renamed over the old file, and the folder is flushed. A symlinked state file is written
/// through its link, and the file keeps its permissions.
///
/// While quire runs, saves go to a journal beside the file instead (see `StateJournal` and
/// `StateWriter`); loading reads state.json, then replays the journal on top.
public struct StateStore: Sendable {
  public static let formatName = "quire-state"
  public static let formatVersion = 1

  public struct LoadError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
      self.path = path
      self.reason = reason
    }

    public var description: String {
      "\(path): \(reason)\nquire will not overwrite a state file it cannot read; fix it or move it aside."
    }
  }

  public struct SaveError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "cannot save \(path): \(reason)" }
  }

  public let path: String

  public init(path: String) { self.path = path }

  /// The journal of changes saved since state.json was last written whole.
  public var journalPath: String { journal.path }

  var journal: StateJournal { StateJournal(statePath: path) }

  /// `$XDG_DATA_HOME/quire/state.json`, falling back to `~/.local/share/quire/state.json`.
  public static func defaultPath(environment: [String: String]) -> String {
    if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
      return data + "/quire/state.json"
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/share/quire/state.json"
  }

  // MARK: - Loading

  /// A missing file is an empty state; a file that exists but cannot be understood is an
  /// error, so that it is never overwritten. The same goes for the journal, whose changes
  /// are applied on top.
  public func load() throws(LoadError) -> ReadingState {
    try loadMarked().state
  }

  /// The state, and a mark of what was read, from which a `StateWriter` tells later
  /// changes by other processes from its own.
  public func loadMarked() throws(LoadError) -> (state: ReadingState, mark: StateDiskMark) {
    let lock = StateLock(statePath: path, exclusive: false)
    defer { lock.release() }
    return try loadMarkedUnlocked()
  }

  func loadMarkedUnlocked() throws(LoadError) -> (state: ReadingState, mark: StateDiskMark) {
    // Taken before reading: if the file is replaced in between, the mark is older than what
    // was read, and the next save reads it all again, which is harmless.
    let file = FileIdentity(path: DurableFile.target(of: path))
    var state = try loadFile()
    let (journalIdentity, applied) = try journal.replay(onto: &state)
    return (state, StateDiskMark(file: file, journal: journalIdentity, journalApplied: applied))
  }

  /// Reads the state, changes it and writes it whole, with other processes' saves held off
  /// meanwhile, so none of theirs is lost in between (`quire import` uses it).
  public func update(_ change: (inout ReadingState) -> Bool) throws(SaveError) {
    let lock = StateLock(statePath: path, exclusive: true)
    defer { lock.release() }
    var state: ReadingState
    do {
      state = try loadMarkedUnlocked().state
    } catch {
      throw SaveError(path: path, reason: error.reason)
    }
    guard change(&state) else { return }
    try DurableFile.replace(path: path, with: Self.encode(state))
    try journal.remove(reportingAs: path)
  }

  private func loadFile() throws(LoadError) -> ReadingState {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw LoadError(path: path, reason: "is a folder; the state file must be a file")
    }
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
      // A device or a pipe never ends, or ends anew each time: not a file to keep state in.
      throw LoadError(path: path, reason: "is not a regular file (a device or a pipe?); the state file must be a file")
    }
    let url = URL(fileURLWithPath: path)
    // Mapped, a large file is parsed straight from the page cache, without a copy; quire
    // replaces the file by renaming, never rewrites it in place, so it cannot change while
    // mapped. Not every file can be mapped (a pipe, say): those are read as before.
    if let mapped = try? Data(contentsOf: url, options: .alwaysMapped) { return try Self.decode(mapped, path: path) }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      if !FileManager.default.fileExists(atPath: path) {
        // A dangling symlink is not "missing": writing through it could land anywhere.
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
          throw LoadError(path: path, reason: "is a symbolic link to a file that does not exist")
        }
        return ReadingState()
      }
      throw LoadError(path: path, reason: "cannot be read: \((error as NSError).localizedDescription)")
    }
    return try Self.decode(data, path: path)
  }

  /// Quire's own layout is read straight from the bytes; anything else, and every error, the
  /// general way.
  static func decode(_ data: Data, path: String) throws(LoadError) -> ReadingState {
    if let papers = StateLayoutParser.stateFile(data) { return ReadingState(untouchedLeftOut: papers) }
    return try decodeAnyLayout(data, path: path)
  }

  static func decodeAnyLayout(_ data: Data, path: String) throws(LoadError) -> ReadingState {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw LoadError(path: path, reason: "is not valid JSON (\(Self.describeJSONError(error, data: data)))")
    }
    guard let root = object as? [String: Any] else {
      throw LoadError(path: path, reason: "expected a JSON object at the top level")
    }
    guard let version = root["version"] as? Int else {
      throw LoadError(path: path, reason: "has no \"version\" number; expected {\"format\": \"quire-state\", \"version\": 1, …}")
    }
    if let format = root["format"] as? String, format != formatName {
      throw LoadError(path: path, reason: "is a \"\(format)\" file, not a quire state file")
    }
    guard version <= formatVersion, version >= 1 else {
      throw LoadError(path: path, reason: "has format version \(version); this quire reads version \(formatVersion) (was it written by a newer quire?)")
    }
    guard let entries = root["papers"] as? [String: Any] else {
      throw LoadError(path: path, reason: "expected a \"papers\" object mapping paper ids to their state")
    }
    var papers: [PaperID: PaperState] = [:]
    papers.reserveCapacity(entries.count)
    for (id, value) in entries {
      do {
        papers[PaperID(id)] = try paperState(value, id: id, path: path)
      } catch {
        // JSONSerialization keeps no positions: the paper's line is found again to name it.
        var located = error
        if let line = StateFileLines.line(of: id, in: data) { located.reason = "line \(line): " + error.reason }
        throw located
      }
    }
    return ReadingState(papers: papers)
  }

  /// One paper's state from its JSON object; `prefix` starts each complaint (the journal's
  /// line number).
  static func paperState(_ value: Any, id: String, path: String, prefix: String = "") throws(LoadError) -> PaperState {
    func fail(_ expected: String) -> LoadError {
      LoadError(path: path, reason: prefix + "paper \"\(id)\": expected " + expected)
    }
    guard let entry = value as? [String: Any] else { throw fail("an object with \"status\" and \"tags\"") }
    var state = PaperState()
    if let status = entry["status"] {
      guard let text = status as? String, let parsed = ReadStatus(rawValue: text) else {
        throw fail("\"status\" to be \"read\" or \"unread\"")
      }
      state.status = parsed
    }
    if let tags = entry["tags"] {
      guard let list = tags as? [String] else { throw fail("\"tags\" to be an array of strings") }
      for tag in list.map(ReadingState.normalizeTag) where !tag.isEmpty && !state.tags.contains(tag) {
        state.tags.append(tag)
      }
    }
    if let note = entry["note"] {
      guard let text = note as? String else { throw fail("\"note\" to be a string") }
      if !text.isEmpty { state.note = text }
    }
    if let title = entry["title"] {
      guard let text = title as? String else { throw fail("\"title\" (the title you gave the paper) to be a string") }
      if !text.isEmpty { state.title = text }
    }
    if let read = entry["read"] {
      guard let text = read as? String, let date = ReadTime.parse(text) else {
        throw fail("\"read\" to be the time it was read, in UTC to the second, like \"\(ReadTime.example)\"")
      }
      // Marked unread by hand without removing the time: the status decides.
      if state.status == .read { state.readAt = date }
    }
    if let changed = entry["changed"] {
      state.stamps = try StampsCoding.decode(changed, paper: &state, fail: fail)
    }
    return state
  }

  /// Foundation's message for a syntax error names the character offset; say the line too.
  static func describeJSONError(_ error: Error, data: Data) -> String {
    let (line, _) = JSONErrors.location(of: error, in: data)
    return "line \(line): " + JSONErrors.reason(error)
  }

  // MARK: - Saving

  /// The file's bytes: one paper per line, sorted by id, so diffs and merges stay small.
  public static func encode(_ state: ReadingState) -> Data {
    let ids = state.papers.keys.sorted()
    return Data(assemble(ids.map { encodeLine(id: $0, entry: state.papers[$0]!) }))
  }

  static let header = Array("{\n  \"format\": \"\(formatName)\",\n  \"version\": \(formatVersion),\n  \"papers\": {".utf8)

  /// The file from its paper lines, already in id order.
  static func assemble(_ lines: [[UInt8]]) -> [UInt8] {
    var out = header
    out.reserveCapacity(header.count + lines.reduce(16) { $0 + $1.count + 2 })
    for (n, line) in lines.enumerated() {
      out.append(contentsOf: n == 0 ? [0x0A] : [0x2C, 0x0A])  // "\n" or ",\n"
      out.append(contentsOf: line)
    }
    out.append(contentsOf: Array((lines.isEmpty ? "}\n}\n" : "\n  }\n}\n").utf8))
    return out
  }

  /// `    "id": {"status": "read", "tags": ["a", "b"], "note": "…"}`, the note only when there is one.
  static func encodeLine(id: PaperID, entry: PaperState) -> [UInt8] {
    var line = Array("    ".utf8)
    line.reserveCapacity(64)
    appendJSONString(id.rawValue, to: &line)
    line.append(contentsOf: [0x3A, 0x20, 0x7B])  // ": {"
    appendFields(of: entry, to: &line)
    line.append(0x7D)  // "}"
    return line
  }

  /// `"status": "read", "tags": ["a", "b"], "note": "…", "title": "…", "read": "2026-11-29T23:47:05Z",
  /// "changed": {…}`: a paper's state in state.json and in the journal alike, the last four
  /// only when set (`StampsCoding` writes the last).
  static func appendFields(of entry: PaperState, to line: inout [UInt8]) {
    line.append(contentsOf: Array("\"status\": \"\(entry.status.rawValue)\", \"tags\": [".utf8))
    for (n, tag) in entry.tags.enumerated() {
      if n > 0 { line.append(contentsOf: [0x2C, 0x20]) }
      appendJSONString(tag, to: &line)
    }
    line.append(0x5D)  // "]"
    if let note = entry.note {
      line.append(contentsOf: Array(", \"note\": ".utf8))
      appendJSONString(note, to: &line)
    }
    if let title = entry.title {
      line.append(contentsOf: Array(", \"title\": ".utf8))
      appendJSONString(title, to: &line)
    }
    // An unread paper has no time read, whatever a caller left in the field.
    if entry.status == .read, let readAt = entry.readAt {
      line.append(contentsOf: Array(", \"read\": \"".utf8))
      ReadTime.append(readAt, to: &line)
      line.append(0x22)
    }
    if !entry.stamps.isEmpty { StampsCoding.append(entry.stamps, to: &line) }
  }

  public static func jsonString(_ text: String) -> String {
    var out: [UInt8] = []
    appendJSONString(text, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// A JSON string literal. Control characters and line separators are escaped, so the
  /// file never carries them raw (the library file's encoder, which writes the same).
  static func appendJSONString(_ text: String, to out: inout [UInt8]) {
    JSONStringEncoder.append(text, to: &out)
  }

  /// Writes the whole state. The journal goes after the new file is safely in place: left
  /// behind, it would replay older changes over the new state; removed first, a crash in
  /// between would lose them.
  public func save(_ state: ReadingState) throws(SaveError) {
    try DurableFile.replace(path: path, with: Self.encode(state))
    try journal.remove(reportingAs: path)
  }
}

/// Replacing a file so that a crash at any moment leaves either the old or the new contents.
public enum DurableFile {
  public static func replace(path: String, with data: Data) throws(StateStore.SaveError) {
    func fail(_ what: String, _ code: Int32 = errno) -> StateStore.SaveError {
      StateStore.SaveError(path: path, reason: "\(String(cString: strerror(code))) (\(what))")
    }

    // Write through a symlink to the file it points at, rather than replacing the link.
    let target = Self.target(of: path)
    let folder = (target as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw StateStore.SaveError(path: path, reason: "its folder \(folder) cannot be created")
      }
    }

    var mode: mode_t = 0o644
    var existing = stat()
    let exists = stat(target, &existing) == 0
    if exists { mode = existing.st_mode & 0o7777 }
    if exists, (existing.st_mode & S_IFMT) != S_IFREG {
      // Renaming over a device or a pipe the user pointed the state at would replace it.
      throw StateStore.SaveError(path: path, reason: "\(target) is not a regular file")
    }

    let temporary = (folder.isEmpty ? "." : folder) + "/." + (target as NSString).lastPathComponent
      + ".tmp-\(getpid())"
    // A temporary file left by a crash of a process with the same pid is stale: start over,
    // and never write through a link someone put in its place.
    unlink(temporary)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    if fd < 0 { throw fail("creating a temporary file") }
    var ok = false
    defer {
      if !ok { unlink(temporary) }
    }
    if exists {
      // open() applied the umask; the file must keep exactly the old permissions.
      _ = fchmod(fd, mode)
      _ = fchown(fd, existing.st_uid, existing.st_gid)
    }
    let written = data.withUnsafeBytes { buffer -> Int in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return -1
        }
        offset += n
      }
      return offset
    }
    if written < 0 {
      let code = errno
      close(fd)
      throw fail("writing", code)
    }
    if fsync(fd) != 0 {
      let code = errno
      close(fd)
      throw fail("flushing to disk", code)
    }
    if close(fd) != 0 { throw fail("closing") }
    if rename(temporary, target) != 0 { throw fail("renaming into place") }
    ok = true
    removeStaleTemporaries(of: target, in: folder.isEmpty ? "." : folder)
    let dirfd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dirfd >= 0 {
      _ = fsync(dirfd)
      close(dirfd)
    }
  }

  /// Temporary files of processes that were killed while writing this file: their pid is
  /// in the name, and no such process runs any more.
  static func removeStaleTemporaries(of target: String, in folder: String) {
    let prefix = "." + (target as NSString).lastPathComponent + ".tmp-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix(prefix) {
      guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
    }
  }

  /// The file a save writes: the path, or what it links to.
  static func target(of path: String) -> String { realpathIfLink(path) ?? path }

  private static func realpathIfLink(_ path: String) -> String? {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
