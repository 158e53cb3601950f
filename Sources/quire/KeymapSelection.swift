import Foundation
import QuireModel
import QuireUI


extension KeymapLoader {
  static let optionHelp =
    "The keymap to start from: \(KeymapChoice.builtinNames.joined(separator: " or ")), or a keymap file's path (default: the config's keymap line, else default). Your keymap file applies on top."

  /// The keymap in force: the one `--keymap` names, else the config's `keymap` line, else
  /// the default; then the user's own keymap file on top. A bad `--keymap` is an error; a
  /// bad config line is a problem reported like the others, and the default is used.
  static func load(
    environment: [String: String], option: String?, config: Config, configPath: String
  ) throws -> (keymap: Keymap, problems: [Diagnostic]) {
    var problems: [Diagnostic] = []
    var base = Keymap.builtinDefault
    let home = environment["HOME"]
    if let option {
      switch KeymapChoice.parse(option, relativeTo: nil, home: home) {
      case .failure(let unknown): throw QuireFailure(message: "--keymap: \(unknown)")
      case .success(let choice):
        do {
          (base, problems) = try keymap(choice)
        } catch {
          throw QuireFailure(message: "--keymap: \(error)")
        }
      }
    } else if let line = config.look.keymap {
      let folder = (configPath as NSString).deletingLastPathComponent
      func problem(_ message: String) {
        problems.append(Diagnostic(file: configPath, line: line.line, column: line.column, message: message, skipped: true))
      }
      switch KeymapChoice.parse(line.name, relativeTo: folder, home: home) {
      case .failure(let unknown): problem(unknown.description + "; the default keymap is used")
      case .success(let choice):
        do {
          (base, problems) = try keymap(choice)
        } catch {
          problem("\(error); the default keymap is used")
        }
      }
    }
    let (keymap, userProblems) = load(environment: environment, base: base)
    return (keymap, problems + userProblems)
  }

  /// A chosen keymap on its own; a file's bad lines are problems, an unreadable file an error.
  static func keymap(_ choice: KeymapChoice) throws -> (Keymap, [Diagnostic]) {
    switch choice {
    case .builtin(let name):
      return (Keymap.builtin(named: name) ?? .builtinDefault, [])
    case .file(let path):
      guard FileManager.default.fileExists(atPath: path) else { throw KeymapFileError(message: "keymap file \(path) does not exist") }
      let text: String
      do { text = try FileText.read(path) } catch { throw KeymapFileError(message: "keymap file \(path) cannot be read: \(error)") }
      var keymap = Keymap()
      let problems = keymap.apply(text, file: path)
      keymap.origin = path
      return (keymap, problems)
    }
  }
}

struct KeymapFileError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
