import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The changes saved since state.json was last written whole, one line per changed paper:
///
///     {"id": "3f2a9c0d11b4e7a8", "status": "read", "tags": ["theory"], "note": "…", "read": "2026-11-29T23:47:05Z"}
///
/// (the fields of a state.json line: see `StateStore.appendFields`).
///
/// It is named after the state file with ".journal" added (`state.json.journal`) and lives
/// beside it — beside the link's target when the state file is a symlink, so the two travel
/// together. A line holds the paper's whole state, not a difference: replaying a line twice
/// does no harm, and a paper back to unread with no tags is written as such and replayed
/// as removed. Appending a line and flushing it costs the same however large the state is,
/// which is the point; `StateWriter` folds the journal into state.json now and then.
///
/// A crash in mid-append can leave a last line without its newline: loading ignores it,
/// and the next append cuts it off first so that it cannot run into a new line.
struct StateJournal {
  let path: String

  init(statePath: String) { path = DurableFile.target(of: statePath) + ".journal" }

  private var name: String { (path as NSString).lastPathComponent }
  private var folder: String {
    let folder = (path as NSString).deletingLastPathComponent
    return folder.isEmpty ? "." : folder
  }

  // MARK: - Lines

  static func appendLine(id: PaperID, entry: PaperState, to out: inout [UInt8]) {
    out.append(contentsOf: Array("{\"id\": ".utf8))
    StateStore.appendJSONString(id.rawValue, to: &out)
    out.append(contentsOf: [0x2C, 0x20])  // ", "
    StateStore.appendFields(of: entry, to: &out)
    out.append(contentsOf: [0x7D, 0x0A])  // "}\n"
  }

  // MARK: - Replaying

  /// Applies the journal's lines to `state` in order, each merged by its stamps: a sync
  /// tool may have put a newer state.json under an older journal. A line without stamps
  /// (from a quire that did not stamp) replaces the paper's state, as it did then. A
  /// missing journal has nothing to apply.
  @discardableResult
  func replay(onto state: inout ReadingState) throws(StateStore.LoadError) -> (identity: FileIdentity?, applied: Int) {
    try replay(from: 0, known: nil) { id, entry in
      state[id] = entry.stamps.isEmpty ? entry : PaperState.merged(state[id], entry)
    }
  }

  /// Applies the journal's whole lines in order, from byte `offset` on when the journal is
  /// still the file `known` (from its start otherwise: it was removed and made anew).
  /// Returns the journal's identity and the end of its last whole line, where the next
  /// call should start.
  func replay(
    from offset: Int, known: FileIdentity?, apply: (PaperID, PaperState) -> Void
  ) throws(StateStore.LoadError) -> (identity: FileIdentity?, applied: Int) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      // No journal, or no folder for one (the state file is missing too).
      if errno == ENOENT || errno == ENOTDIR { return (nil, 0) }
      throw StateStore.LoadError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw StateStore.LoadError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw StateStore.LoadError(path: path, reason: "is a folder; the journal of changes must be a file")
    }
    let identity = FileIdentity(info)
    let size = Int(info.st_size)
    let start = identity.isSameFile(as: known) && offset <= size ? offset : 0
    var data = [UInt8](repeating: 0, count: size - start)
    var filled = 0
    while filled < data.count {
      let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(start + filled)) }
      if n < 0, errno == EINTR { continue }
      if n < 0 {
        throw StateStore.LoadError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }  // cut short while read (a torn line removed): what is here is whole
      filled += n
    }
    var applied = start
    let failure = data.withUnsafeBufferPointer { bytes -> StateStore.LoadError? in
      let bytes = UnsafeBufferPointer(rebasing: bytes[..<filled])
      var lineStart = 0
      var number = 1
      // Only lines that end in a newline count: a last line without one is a torn append.
      while let end = bytes[lineStart...].firstIndex(of: 0x0A) {
        defer {
          lineStart = end + 1
          applied = start + lineStart
          number += 1
        }
        if end == lineStart { continue }
        let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<end])
        if let (id, entry) = StateLayoutParser.journalLine(line) {
          apply(id, entry)
          continue
        }
        do throws(StateStore.LoadError) {
          let (id, entry) = try Self.generalLine(line, number: number, path: path)
          apply(id, entry)
        } catch {
          return error
        }
      }
      return nil
    }
    if let failure {
      // Numbered from where this read began: read it all again to name the line.
      if start > 0 { _ = try replay(from: 0, known: nil) { _, _ in } }
      throw failure
    }
    return (identity, applied)
  }

  /// A line not in quire's layout, read as any JSON object, with the state file's checks.
  private static func generalLine(
    _ line: UnsafeBufferPointer<UInt8>, number: Int, path: String
  ) throws(StateStore.LoadError) -> (PaperID, PaperState) {
    let prefix = "line \(number): "
    guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: line)) as? [String: Any] else {
      throw StateStore.LoadError(
        path: path,
        reason: prefix + "expected one paper's state as a JSON object, {\"id\": …, \"status\": …, \"tags\": […]}")
    }
    guard let id = object["id"] as? String else {
      throw StateStore.LoadError(path: path, reason: prefix + "expected \"id\", the paper's id as a string")
    }
    return (PaperID(id), try StateStore.paperState(object, id: id, path: path, prefix: prefix))
  }

  // MARK: - Appending

  /// Appends `lines` and flushes them to disk. A new journal gets the state file's
  /// permissions and owner (`like`). Returns the journal's identity and size afterwards.
  func append(
    _ lines: [UInt8], like state: stat, reportingAs statePath: String
  ) throws(StateStore.SaveError) -> (identity: FileIdentity, size: Int) {
    func fail(_ what: String, _ code: Int32 = errno) -> StateStore.SaveError {
      StateStore.SaveError(path: statePath, reason: "\(String(cString: strerror(code))) (\(what) \(name))")
    }
    let (fd, created) = try openForAppending(like: state, fail: fail)
    defer { close(fd) }

    var info = stat()
    guard fstat(fd, &info) == 0 else { throw fail("examining") }
    // Left in place, a torn line would run into this save's first line.
    guard let size = cutTornLine(fd, size: Int(info.st_size)) else { throw fail("cutting a torn last line from") }
    let written = lines.withUnsafeBytes { buffer -> Int32 in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += n
      }
      return 0
    }
    if written != 0 {
      // A line cut short would run into the next save's first line.
      _ = ftruncate(fd, off_t(size))
      throw fail("appending to", written)
    }
    #if os(Linux)
      let flushed = fdatasync(fd)
    #else
      let flushed = fsync(fd)
    #endif
    if flushed != 0 { throw fail("flushing") }
    // A new file's name is in the folder, which must reach the disk too.
    if created { Self.flushFolder(folder) }
    if fstat(fd, &info) != 0 { throw fail("examining") }
    return (FileIdentity(info), Int(info.st_size))
  }

  private func openForAppending(
    like state: stat, fail: (String, Int32) -> StateStore.SaveError
  ) throws(StateStore.SaveError) -> (Int32, created: Bool) {
    // Read as well as written, to find a torn last line. Never through a link: the journal
    // is quire's own file, next to the state.
    let flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC
    while true {
      let fd = open(path, flags)
      if fd >= 0 { return (fd, false) }
      guard errno == ENOENT else { throw fail("opening", errno) }
      let mode = state.st_mode & 0o7777
      let new = open(path, flags | O_CREAT | O_EXCL, mode)
      if new >= 0 {
        // open() applied the umask; the journal must have exactly the state file's permissions.
        _ = fchmod(new, mode)
        _ = fchown(new, state.st_uid, state.st_gid)
        return (new, true)
      }
      // Someone else created it between the two calls: open theirs.
      guard errno == EEXIST else { throw fail("creating", errno) }
    }
  }

  /// Cuts a last line that has no newline (a crash in mid-append); returns the size after,
  /// or nil if it could not.
  private func cutTornLine(_ fd: Int32, size: Int) -> Int? {
    var last: UInt8 = 0
    guard size > 0 else { return 0 }
    guard pread(fd, &last, 1, off_t(size - 1)) == 1 else { return nil }
    if last == 0x0A { return size }
    var block = [UInt8](repeating: 0, count: 64 * 1024)
    var end = size
    var keep = 0
    while end > 0 {
      let start = max(0, end - block.count)
      let count = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, end - start, off_t(start)) }
      guard count == end - start else { return nil }
      if let newline = block[..<count].lastIndex(of: 0x0A) {
        keep = start + newline + 1
        break
      }
      end = start
    }
    return ftruncate(fd, off_t(keep)) == 0 ? keep : nil
  }

  // MARK: - Removing

  /// The journal's size in bytes; nil when there is none.
  var size: Int? {
    var info = stat()
    return lstat(path, &info) == 0 ? Int(info.st_size) : nil
  }

  /// Removes the journal once state.json holds all it says. No journal is fine.
  func remove(reportingAs statePath: String) throws(StateStore.SaveError) {
    if unlink(path) == 0 {
      Self.flushFolder(folder)
    } else if errno != ENOENT {
      // Left in place it would replay older changes over the new state.json.
      throw StateStore.SaveError(path: statePath, reason: "\(String(cString: strerror(errno))) (removing \(name))")
    }
  }

  static func flushFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      _ = fsync(fd)
      close(fd)
    }
  }
}
