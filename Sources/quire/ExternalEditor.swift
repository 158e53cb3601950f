import Foundation
import QuireModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A paper's note edited in the user's editor: written to a private file, the editor run on
/// it, read back. Shared by the reader (`e`) and `quire note`; the caller lends the terminal.
struct ExternalEditor {
  let environment: [String: String]

  enum Outcome: Equatable {
    /// The note as saved in the editor, made tidy (`NoteText.normalized`); nil when emptied.
    case edited(String?)
    /// Why the note stays as it was.
    case failed(String)
  }

  func edit(_ note: String?, of paper: PaperID) -> Outcome {
    let editor = EditorCommand(environment: environment)
    let file: NoteFile
    do {
      file = try NoteFile(paper: paper, contents: NoteText.fileContents(note), environment: environment)
    } catch {
      return .failed("\(error); note kept as it was")
    }
    defer { file.remove() }
    let kept = "note kept as it was"
    switch ChildProcess.runShell(editor.script, arguments: [file.path], environment: environment) {
    case .exited(0):
      break
    case .exited(let status) where status == 126 || status == 127:
      // The shell's own codes for a command it could not find or run.
      return .failed("the editor '\(editor.name)' could not be started (set $VISUAL or $EDITOR); \(kept)")
    case .exited(let status):
      return .failed("the editor '\(editor.name)' exited with status \(status); \(kept)")
    case .signalled(let number):
      return .failed("the editor '\(editor.name)' was ended by signal \(number); \(kept)")
    case .notStarted(let reason):
      return .failed("cannot run /bin/sh for the editor: \(reason); \(kept)")
    }
    return file.readBack()
  }
}

/// The file an editor works on: private (0600, made with mkstemps, so no one else can
/// have put anything at its name), named after the paper, with `.md` so that editors
/// colour it as text.
struct NoteFile {
  let path: String

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  init(paper: PaperID, contents: String, environment: [String: String]) throws {
    let folder = Self.folder(environment: environment)
    // Ids are hex; anything else is left out of a file name.
    let name = String(paper.rawValue.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(32))
    var template = Array("\(folder)/quire-note-\(name)-XXXXXX.md".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 3) }
    guard fd >= 0 else {
      throw Failure(description: "cannot make a file for the note in \(folder): \(String(cString: strerror(errno)))")
    }
    path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    let bytes = Array(contents.utf8)
    var written = 0
    while written < bytes.count {
      let result = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if result < 0 && errno == EINTR { continue }
      guard result > 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(path)
        throw Failure(description: "cannot write the note to \(path): \(reason)")
      }
      written += result
    }
    close(fd)
  }

  /// `$TMPDIR` when it names a folder, else /tmp.
  static func folder(environment: [String: String]) -> String {
    var isFolder: ObjCBool = false
    if var folder = environment["TMPDIR"], folder.hasPrefix("/"),
      FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
    {
      while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
      return folder
    }
    return "/tmp"
  }

  func readBack() -> ExternalEditor.Outcome {
    let kept = "note kept as it was"
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let data = FileManager.default.contents(atPath: path)
    else { return .failed("the note's file \(path) was gone when the editor closed; \(kept)") }
    if let size = attributes[.size] as? Int, size > NoteText.maximumBytes || data.count > NoteText.maximumBytes {
      return .failed("the note came back larger than \(NoteText.maximumBytes / 1024) KB; \(kept)")
    }
    return .edited(NoteText.normalized(String(decoding: data, as: UTF8.self)))
  }

  func remove() { unlink(path) }
}
