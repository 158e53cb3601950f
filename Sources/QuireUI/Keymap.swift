import QuireModel

/// Key bindings, read from line-based files in the spirit of newsboat's `bind-key` and
/// tig's `bind`:
///
///     bind KEY ACTION [CONTEXT]     # e.g. "bind C-d half-page-down", "bind Esc back viewer"
///     unbind KEY [CONTEXT]
///
/// A later line overrides an earlier one for the same key and context, so a user file only
/// lists what it changes. A bad line is reported as `file:line: message` and skipped.
public struct Keymap: Sendable, Equatable {
  public private(set) var bindings: [KeyContext: [Key: Command]] = [:]
  /// The order bindings were made in, so help and hints list keys as the file does.
  private var order: [KeyContext: [Key]] = [:]
  /// Where the bindings came from before the user's file, for the help overlay.
  public var origin = "the built-in keymaps/default.keymap"

  public init() {}

  /// The built-in `keymaps/default.keymap`.
  public static let builtinDefault: Keymap = {
    var keymap = Keymap()
    let problems = keymap.apply(BuiltinKeymaps.defaultKeymap, file: "<built-in default.keymap>")
    precondition(problems.isEmpty, "built-in keymap: \(problems)")
    return keymap
  }()

  /// What a key does in a pane. Panes fall back to global bindings; text input does not,
  /// so that `q` typed into the tag editor is a letter, not quit.
  public func command(for key: Key, in context: KeyContext) -> Command? {
    if let command = bindings[context]?[key] { return command }
    return context == .input ? nil : bindings[.global]?[key]
  }

  /// The keys bound to a command in a context (global ones included for panes), in order.
  public func keys(for command: Command, in context: KeyContext) -> [Key] {
    var contexts = [context]
    if context != .input && context != .global { contexts.append(.global) }
    var keys: [Key] = []
    for c in contexts {
      for key in order[c] ?? [] where bindings[c]?[key] == command && !keys.contains(key) {
        // A pane binding shadows the global one for the same key.
        if c == .global, bindings[context]?[key] != nil, context != .global { continue }
        keys.append(key)
      }
    }
    return keys
  }

  public mutating func bind(_ key: Key, to command: Command, in context: KeyContext) {
    if bindings[context, default: [:]].updateValue(command, forKey: key) == nil {
      order[context, default: []].append(key)
    }
  }

  public mutating func unbind(_ key: Key, in context: KeyContext) {
    bindings[context]?[key] = nil
    order[context]?.removeAll { $0 == key }
  }

  /// Applies the lines of a keymap file; returns the problems found. Valid lines apply
  /// even when others are wrong.
  @discardableResult
  public mutating func apply(_ text: String, file: String) -> [Diagnostic] {
    var problems: [Diagnostic] = []
    var lineNumber = 0
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      lineNumber += 1
      var line = Substring(rawLine)
      if line.hasSuffix("\r") { line = line.dropLast() }
      // "#" starts a comment, except as the key itself ("bind # help").
      let words = Self.words(line)
      guard let verb = words.first else { continue }
      func problem(_ message: String) {
        problems.append(Diagnostic(file: file, line: lineNumber, message: message))
      }
      switch verb {
      case "bind", "bind-key":
        guard words.count == 3 || words.count == 4 else {
          problem("expected 'bind KEY ACTION [CONTEXT]'")
          continue
        }
        guard let key = Key(name: words[1]) else {
          problem("unknown key '\(words[1])'; expected a character, C-x, F1…F12, or one of \(Self.keyNameList)")
          continue
        }
        guard let command = Command(rawValue: words[2]) else {
          problem("unknown action '\(words[2])'; `quire keys` lists the actions")
          continue
        }
        var context = KeyContext.global
        if words.count == 4 {
          guard let named = KeyContext(rawValue: words[3]) else {
            problem("unknown context '\(words[3])'; expected one of: \(KeyContext.allCases.map(\.rawValue).joined(separator: ", "))")
            continue
          }
          context = named
        } else if command.isInputCommand {
          context = .input
        }
        // Redrawing belongs to panes and prompts alike, as C-l does in a shell's line editor.
        if command.isInputCommand != (context == .input), command != .redraw {
          problem(command.isInputCommand
            ? "action '\(command.name)' applies only in the input context"
            : "action '\(command.name)' does not apply in the input context")
          continue
        }
        bind(key, to: command, in: context)
      case "unbind", "unbind-key":
        guard words.count == 2 || words.count == 3 else {
          problem("expected 'unbind KEY [CONTEXT]'")
          continue
        }
        guard let key = Key(name: words[1]) else {
          problem("unknown key '\(words[1])'")
          continue
        }
        var context = KeyContext.global
        if words.count == 3 {
          guard let named = KeyContext(rawValue: words[2]) else {
            problem("unknown context '\(words[2])'")
            continue
          }
          context = named
        }
        unbind(key, in: context)
      default:
        problem("unknown command '\(verb)'; expected 'bind' or 'unbind'")
      }
    }
    return problems
  }

  static let keyNameList = "Enter, Tab, BackTab, Esc, Space, Backspace, Delete, Insert, Up, Down, Left, Right, PageUp, PageDown, Home, End"

  /// Splits a line into words, dropping a `#` comment; a lone `#` right after `bind` or
  /// `unbind` is the key, not a comment.
  static func words(_ line: Substring) -> [String] {
    var words: [String] = []
    for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      if word.hasPrefix("#") && !(words.count == 1 && word == "#") { break }
      words.append(String(word))
    }
    return words
  }

  /// The whole keymap written out in the file format, as `quire keys` prints it.
  public func dump() -> String {
    var out = ""
    for context in KeyContext.allCases {
      for key in order[context] ?? [] {
        guard let command = bindings[context]?[key] else { continue }
        let suffix = context == .global || (context == .input && command.isInputCommand) ? "" : " \(context.rawValue)"
        out += "bind \(key) \(command.name)\(suffix)\n"
      }
    }
    return out
  }
}

extension Command {
  /// Commands that only make sense while typing into the tag editor or a prompt.
  public var isInputCommand: Bool {
    switch self {
    case .accept, .cancel, .complete, .deleteBackward, .clearInput, .deleteWord, .lineStart, .lineEnd,
      .selectPreviousTag, .selectNextTag, .removeTag:
      return true
    default:
      return false
    }
  }
}
