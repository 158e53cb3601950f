import Foundation
import Testing

@testable import QuireUI

@Suite("Key bindings")
struct KeymapTests {
  @Test("the built-in keymap is keymaps/default.keymap, byte for byte")
  func builtinMatchesFile() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("keymaps/default.keymap")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text == BuiltinKeymaps.defaultKeymap, "run scripts/embed-resources.sh after editing keymaps/")
  }

  @Test("the built-in emacs keymap is keymaps/emacs.keymap, byte for byte")
  func emacsMatchesFile() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("keymaps/emacs.keymap")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text == BuiltinKeymaps.emacsKeymap, "run scripts/embed-resources.sh after editing keymaps/")
  }

  @Test("the emacs keymap parses, stands on its own and reaches every action")
  func emacsComplete() throws {
    var keymap = Keymap()
    #expect(keymap.apply(BuiltinKeymaps.emacsKeymap, file: "emacs.keymap").isEmpty)
    // Nothing is left out on purpose: each action has a key of its own here.
    for command in Command.allCases {
      let context: KeyContext = command.isInputCommand ? .input : command == .back ? .viewer : .list
      #expect(!keymap.keys(for: command, in: context).isEmpty, "\(command.name) has no key in emacs.keymap")
    }
    #expect(try #require(Keymap.builtin(named: "emacs")) == keymap.withOrigin("the built-in keymaps/emacs.keymap"))
  }

  @Test("the emacs keys")
  func emacsKeys() throws {
    let keymap = try #require(Keymap.builtin(named: "emacs"))
    #expect(keymap.command(for: .ctrl("n"), in: .list) == .down)
    #expect(keymap.command(for: .ctrl("p"), in: .viewer) == .up)
    #expect(keymap.command(for: .ctrl("v"), in: .list) == .pageDown)
    #expect(keymap.command(for: .alt("v"), in: .list) == .pageUp)
    #expect(keymap.command(for: .alt("<"), in: .list) == .top)
    #expect(keymap.command(for: .alt(">"), in: .list) == .bottom)
    #expect(keymap.command(for: .ctrl("s"), in: .list) == .search)
    #expect(keymap.command(for: .ctrl("g"), in: .viewer) == .back)
    #expect(keymap.command(for: .ctrl("g"), in: .input) == .cancel)
    #expect(keymap.command(for: .ctrl("f"), in: .input) == .selectNextTag)
    #expect(keymap.command(for: .ctrl("b"), in: .input) == .selectPreviousTag)
    #expect(keymap.command(for: .ctrl("f"), in: .list) == .open)
    // Vi keys are not there: j is not bound, and types itself in a prompt.
    #expect(keymap.command(for: .char("j"), in: .list) == nil)
    #expect(keymap.origin == "the built-in keymaps/emacs.keymap")
  }

  @Test("keymap names and paths")
  func choices() {
    #expect(KeymapChoice.parse("emacs", relativeTo: "/c", home: "/h") == .success(.builtin("emacs")))
    #expect(KeymapChoice.parse("default", relativeTo: nil, home: nil) == .success(.builtin("default")))
    #expect(KeymapChoice.parse("vim", relativeTo: nil, home: nil) == .failure(KeymapChoice.UnknownKeymap(name: "vim")))
    #expect(KeymapChoice.UnknownKeymap(name: "vim").description.contains("expected one of: default, emacs"))
    #expect(KeymapChoice.parse("mine.keymap", relativeTo: "/c", home: nil) == .success(.file("/c/mine.keymap")))
    #expect(KeymapChoice.parse("./k", relativeTo: nil, home: nil) == .success(.file("./k")))
    #expect(KeymapChoice.parse("~/k/mine", relativeTo: "/c", home: "/h") == .success(.file("/h/k/mine")))
    #expect(KeymapChoice.parse("/etc/k", relativeTo: "/c", home: nil) == .success(.file("/etc/k")))
    #expect(Keymap.builtin(named: "vim") == nil)
  }

  @Test("C-_ (which C-/ also sends) is a key")
  func controlUnderscore() {
    #expect(Key(name: "C-_") == .ctrl("_"))
    #expect(Key(name: "C-/") == .ctrl("_"))
    #expect(Key.ctrl("_").description == "C-_")
    #expect(Key(name: "C-1") == nil)
  }

  @Test("README names every action a keymap can use")
  func readmeListsActions() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    let words = Set(text.split(whereSeparator: { $0.isWhitespace || $0 == "`" || $0 == "," || $0 == ";" }).map(String.init))
    for command in Command.allCases { #expect(words.contains(command.name), "README lacks \(command.name)") }
  }

  @Test("the built-in keymap parses without a problem and binds every action")
  func builtinComplete() {
    var keymap = Keymap()
    #expect(keymap.apply(BuiltinKeymaps.defaultKeymap, file: "default.keymap").isEmpty)
    for command in Command.allCases {
      let context: KeyContext = command.isInputCommand ? .input : .list
      let viewerOnly: Set<Command> = [.back]
      let keys = keymap.keys(for: command, in: viewerOnly.contains(command) ? .viewer : context)
      #expect(!keys.isEmpty, "\(command.name) has no key")
    }
  }

  @Test("the default bindings the reader expects")
  func defaults() {
    let keymap = Keymap.builtinDefault
    #expect(keymap.command(for: .char("j"), in: .list) == .down)
    #expect(keymap.command(for: .down, in: .list) == .down)
    #expect(keymap.command(for: .char("k"), in: .viewer) == .up)
    #expect(keymap.command(for: .ctrl("d"), in: .list) == .halfPageDown)
    #expect(keymap.command(for: .ctrl("u"), in: .list) == .halfPageUp)
    #expect(keymap.command(for: .pageDown, in: .list) == .pageDown)
    #expect(keymap.command(for: .char("g"), in: .list) == .top)
    #expect(keymap.command(for: .char("G"), in: .list) == .bottom)
    #expect(keymap.command(for: .home, in: .list) == .top)
    #expect(keymap.command(for: .end, in: .list) == .bottom)
    #expect(keymap.command(for: .enter, in: .list) == .open)
    #expect(keymap.command(for: .tab, in: .list) == .focusNext)
    #expect(keymap.command(for: .char("r"), in: .list) == .toggleRead)
    #expect(keymap.command(for: .char("A"), in: .list) == .markAllRead)
    #expect(keymap.command(for: .char("t"), in: .list) == .editTags)
    #expect(keymap.command(for: .char("U"), in: .list) == .toggleUnreadOnly)
    #expect(keymap.command(for: .char("f"), in: .list) == .filter)
    #expect(keymap.command(for: .char("?"), in: .list) == .help)
    #expect(keymap.command(for: .function(1), in: .list) == .help)
    #expect(keymap.command(for: .char("q"), in: .list) == .quit)
    #expect(keymap.command(for: .char("q"), in: .viewer) == .back)
    #expect(keymap.command(for: .escape, in: .viewer) == .back)
    // In text input, letters type themselves.
    #expect(keymap.command(for: .char("q"), in: .input) == nil)
    #expect(keymap.command(for: .tab, in: .input) == .complete)
    #expect(keymap.command(for: .enter, in: .input) == .accept)
  }

  @Test("key names", arguments: [
    ("j", Key.char("j")), ("G", .char("G")), ("?", .char("?")), ("#", .char("#")),
    ("Enter", .enter), ("enter", .enter), ("Tab", .tab), ("PageDown", .pageDown), ("PgUp", .pageUp),
    ("C-d", .ctrl("d")), ("C-D", .ctrl("d")), ("^L", .ctrl("l")), ("F1", .function(1)), ("F12", .function(12)),
    ("Space", .space), ("Esc", .escape), ("BackTab", .backTab),
  ])
  func keyNames(name: String, key: Key) {
    #expect(Key(name: name) == key)
  }

  @Test("what follows an Esc: nothing, one key (Alt), or a key sequence")
  func afterEscape() {
    func keys(_ text: String) -> Key? { Key.afterEscape(Array(text.unicodeScalars)) }
    #expect(keys("") == .escape)
    #expect(keys("r") == .alt("r"))
    #expect(keys("A") == .alt("A"))
    #expect(keys("[1~") == .home)
    #expect(keys("[4~") == .end)
    #expect(keys("OH") == .home)
    #expect(keys("[A") == .up)
    #expect(keys("[Z") == .backTab)
    #expect(keys("[3~") == .delete)
    #expect(keys("OP") == .function(1))
    #expect(keys("[99~") == nil)  // unknown: ignored, never Esc then "~"
    #expect(keys("\u{7F}") == nil)
    #expect(!Key.escapeSequenceIsComplete(Array("[1".unicodeScalars)))
    #expect(Key.escapeSequenceIsComplete(Array("[1~".unicodeScalars)))
    #expect(Key.escapeSequenceIsComplete(Array("x".unicodeScalars)))
    #expect(!Key.escapeSequenceIsComplete(Array("O".unicodeScalars)))
    #expect(Key(name: "M-x") == .alt("x"))
    #expect(Key.alt("x").description == "M-x")
  }

  @Test("names that are not keys", arguments: ["", "jj", "F13", "F0", "C-1", "C-dd", "Ctrl-d", "PageSideways"])
  func badKeyNames(name: String) {
    #expect(Key(name: name) == nil)
  }

  @Test("a user file overrides single bindings and reports bad lines as file:line")
  func userOverrides() {
    var keymap = Keymap.builtinDefault
    let problems = keymap.apply(
      """
      # my keys
      bind x toggle-read
      bind zz down
      bind j teleport
      bind J down list   # comment after a binding
      unbind r
      bind Enter accept
      bind y accept list
      frobnicate j
      bind k up nowhere
      bind # help
      """, file: "/home/u/.config/quire/keymap")
    #expect(problems.map(\.description) == [
      "/home/u/.config/quire/keymap:3: unknown key 'zz'; expected a character, C-x, F1…F12, or one of \(Keymap.keyNameList)",
      "/home/u/.config/quire/keymap:4: unknown action 'teleport'; `quire keys` lists the actions",
      "/home/u/.config/quire/keymap:8: action 'accept' applies only in the input context",
      "/home/u/.config/quire/keymap:9: unknown command 'frobnicate'; expected 'bind' or 'unbind'",
      "/home/u/.config/quire/keymap:10: unknown context 'nowhere'; expected one of: global, list, viewer, input",
    ])
    #expect(keymap.command(for: .char("x"), in: .list) == .toggleRead)
    #expect(keymap.command(for: .char("J"), in: .list) == .down)
    #expect(keymap.command(for: .char("J"), in: .viewer) == nil)
    #expect(keymap.command(for: .char("r"), in: .list) == nil)
    #expect(keymap.command(for: .char("#"), in: .list) == .help)
    // Bindings the file does not mention are untouched.
    #expect(keymap.command(for: .char("j"), in: .list) == .down)
    #expect(keymap.command(for: .enter, in: .list) == .open)
    #expect(keymap.command(for: .enter, in: .input) == .accept)
  }

  @Test("dump writes the bindings back out in the file format, and reads back the same")
  func dumpRoundTrip() {
    var keymap = Keymap.builtinDefault
    keymap.apply("bind x toggle-read\nunbind A", file: "user")
    var again = Keymap()
    #expect(again.apply(keymap.dump(), file: "dump").isEmpty)
    #expect(again.bindings == keymap.bindings)
    #expect(keymap.dump().contains("bind x toggle-read\n"))
    #expect(keymap.dump().contains("bind Esc back viewer\n"))
    #expect(keymap.dump().contains("bind Tab complete\n"))
  }
}

extension Keymap {
  func withOrigin(_ origin: String) -> Keymap {
    var copy = self
    copy.origin = origin
    return copy
  }
}
