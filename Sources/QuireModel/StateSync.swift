import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which file a path named at a moment: two reads of the same identity saw the same bytes,
/// because quire and every tool that replaces files atomically gives new contents a new
/// inode, and an append changes the size.
struct FileIdentity: Equatable, Sendable {
  var device: UInt64
  var inode: UInt64
  var size: Int64
  var modifiedSeconds: Int64
  var modifiedNanoseconds: Int64

  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    #if canImport(Glibc)
      modifiedSeconds = Int64(info.st_mtim.tv_sec)
      modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
    #else
      modifiedSeconds = Int64(info.st_mtimespec.tv_sec)
      modifiedNanoseconds = Int64(info.st_mtimespec.tv_nsec)
    #endif
  }

  /// The file at `path`, following links; nil when there is none.
  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    self.init(info)
  }

  /// Same file, whatever has been appended to it since.
  func isSameFile(as other: FileIdentity?) -> Bool {
    guard let other else { return false }
    return device == other.device && inode == other.inode
  }
}

/// What a process last saw of the state on disk: state.json, and how much of the journal
/// it has applied. Before saving, anything beyond it was written by another process (a
/// second quire, `quire import`, a sync tool), and is merged rather than overwritten.
public struct StateDiskMark: Equatable, Sendable {
  var file: FileIdentity?
  var journal: FileIdentity?
  /// Bytes of the journal applied: up to the end of its last whole line.
  var journalApplied: Int
}

/// An advisory lock beside the state file (`state.json.lock`), held only while a process
/// reads or writes the state: a few milliseconds, so a second quire waits that long at
/// most and is never refused. Where locks cannot be had (a read-only folder, a file system
/// without them) quire goes on without: the lock narrows a race, it is not what makes
/// saving safe.
struct StateLock {
  private let fd: Int32
  /// Another process holds it, and the caller chose not to wait.
  let isBusy: Bool

  init(statePath: String, exclusive: Bool, wait: Bool = true) {
    let path = DurableFile.target(of: statePath) + ".lock"
    // Readers never create it: reading leaves the folder as it was. A reader racing the
    // first writer to create it can at worst read a state that a save makes stale at once.
    var fd = exclusive ? open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644) : -1
    if fd < 0 { fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
    var busy = false
    if fd >= 0 {
      while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB)) != 0 {
        if errno == EINTR { continue }
        busy = errno == EWOULDBLOCK
        close(fd)
        fd = -1
        break
      }
    }
    self.fd = fd
    isBusy = busy
  }

  func release() {
    if fd >= 0 { close(fd) }  // closing releases the lock
  }
}

extension PaperState {
  /// Three-way merge of one paper: `base` is what this process last saw on disk, `ours` its
  /// change since, `theirs` what is on disk now. Each field this process changed keeps its
  /// change; tags merge as sets, with removals on either side respected. The title override
  /// merges as the note does, and the time read travels with the status.
  public static func merge(base: PaperState, ours: PaperState, theirs: PaperState) -> PaperState {
    var merged = theirs
    // The time read belongs to the status: taken from whichever side's status is kept, so
    // a paper is never read with the other side's time, nor unread with a time.
    if ours.status != base.status || ours.readAt != base.readAt {
      merged.status = ours.status
      merged.readAt = ours.readAt
    }
    if ours.note != base.note { merged.note = ours.note }
    if ours.title != base.title { merged.title = ours.title }
    if ours.tags != base.tags {
      let removed = Set(base.tags).subtracting(ours.tags)
      merged.tags = theirs.tags.filter { !removed.contains($0) }
      for tag in ours.tags where !base.tags.contains(tag) && !merged.tags.contains(tag) {
        merged.tags.append(tag)
      }
    }
    return merged
  }
}
