import QuireModel

/// Which keymap the user's own file applies on top of: a built-in one by name
/// (`--keymap emacs`, `keymap emacs` in the config) or a keymap file by its path.
public enum KeymapChoice: Equatable, Sendable {
  case builtin(String)
  case file(String)

  /// The built-in keymaps, by the names `--keymap` and the config take.
  public static let builtins: [(name: String, text: String)] = [
    ("default", BuiltinKeymaps.defaultKeymap), ("emacs", BuiltinKeymaps.emacsKeymap),
  ]

  public static var builtinNames: [String] { builtins.map(\.name) }

  /// A name without a slash is a built-in keymap's; anything else is a path, taken from
  /// `folder` when relative (the config's folder for a config line). An unknown name
  /// fails with the names there are.
  public static func parse(_ text: String, relativeTo folder: String?, home: String?) -> Result<KeymapChoice, UnknownKeymap> {
    if !text.contains("/") && !text.hasSuffix(".keymap") {
      guard builtinNames.contains(text) else { return .failure(UnknownKeymap(name: text)) }
      return .success(.builtin(text))
    }
    if text.hasPrefix("~/"), let home { return .success(.file(home + text.dropFirst())) }
    if text.hasPrefix("/") || folder == nil { return .success(.file(text)) }
    return .success(.file(folder! + "/" + text))
  }

  public struct UnknownKeymap: Error, Equatable, CustomStringConvertible {
    public var name: String
    public var description: String {
      "unknown keymap '\(name)'; expected one of: \(KeymapChoice.builtinNames.joined(separator: ", ")), or the path of a keymap file"
    }
  }

  /// How the help overlay names it.
  public var origin: String {
    switch self {
    case .builtin(let name): return "the built-in keymaps/\(name).keymap"
    case .file(let path): return path
    }
  }
}

extension Keymap {
  /// A built-in keymap by name; nil for a name that is not built in.
  public static func builtin(named name: String) -> Keymap? {
    if name == "default" { return .builtinDefault }
    guard let text = KeymapChoice.builtins.first(where: { $0.name == name })?.text else { return nil }
    var keymap = Keymap()
    let problems = keymap.apply(text, file: "<built-in \(name).keymap>")
    precondition(problems.isEmpty, "built-in keymap \(name): \(problems)")
    keymap.origin = KeymapChoice.builtin(name).origin
    return keymap
  }
}
