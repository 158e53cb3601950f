import CNCursesW
import Foundation
import QuireUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the terminal reports.
public enum TerminalEvent: Equatable, Sendable {
  case key(Key)
  case resize(ScreenSize)
  /// Nothing happened within the timeout, or a signal arrived.
  case idle
}

/// The only place quire calls curses: start and stop the screen, copy a grid to it, read
/// keys. Everything above works on `Grid` and `Key` and never sees curses.
public final class Terminal {
  var shown: Grid?
  var started = false
  private let colors: Bool

  public init(environment: [String: String]) {
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    colors = (environment["NO_COLOR"] ?? "").isEmpty
  }

  public struct StartError: Error, CustomStringConvertible {
    public var description: String
  }

  public func start() throws {
    Self.useUTF8Locale()
    CrashRestore.remember(terminal: isatty(STDOUT_FILENO) == 1 ? STDOUT_FILENO : STDIN_FILENO)
    guard let screen = quire_newterm() else {
      let name = ProcessInfo.processInfo.environment["TERM"] ?? ""
      throw StartError(description: name.isEmpty
        ? "TERM is not set; quire needs to know the terminal type (try TERM=xterm-256color)"
        : "unknown terminal type '\(name)' (TERM); try TERM=xterm-256color")
    }
    set_term(screen)
    cbreak()  // not raw(): Ctrl-C and Ctrl-Z stay signals, handled as signals
    noecho()
    nonl()
    keypad(quire_stdscr(), true)
    intrflush(quire_stdscr(), false)
    // With the default 1 s, Esc lags and a key typed right after it reads as Alt+key.
    set_escdelay(25)
    curs_set(0)
    if colors && has_colors() {
      start_color()
      use_default_colors()
      Palette.define()
    }
    started = true
    shown = nil
    CrashRestore.install(leave: Self.leaveSequence())
  }

  /// What `endwin` sends to put the screen back, short of the settings: attributes off,
  /// the cursor shown, the alternate screen left, the cursor on a line of its own.
  static func leaveSequence() -> [UInt8] {
    var bytes: [UInt8] = []
    for capability in ["sgr0", "cnorm", "rmcup"] {
      guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
      bytes += Array(String(cString: value).utf8)
    }
    return bytes + Array("\r\n".utf8)
  }

  /// Leaves the screen as it was before quire started. Safe to call more than once.
  public func stop() {
    guard started else { return }
    started = false
    curs_set(1)
    endwin()
    CrashRestore.uninstall()
  }

  public var isStarted: Bool { started }

  public var size: ScreenSize {
    ScreenSize(rows: Int(quire_lines()), cols: Int(quire_cols()))
  }

  /// Waits up to `milliseconds` for a key.
  public func read(milliseconds: Int32) -> TerminalEvent {
    wtimeout(quire_stdscr(), milliseconds)
    var character: wint_t = 0
    let result = get_wch(&character)
    if result == quire_err() { return .idle }
    if result == quire_key_code_yes() {
      if Int32(character) == quire_key_resize() { return .resize(size) }
      return Self.functionKey(Int32(character)).map(TerminalEvent.key) ?? .idle
    }
    if character == 27 { return readAfterEscape() }
    return Self.characterKey(UInt32(character)).map(TerminalEvent.key) ?? .idle
  }

  /// Esc alone, Alt with a key, or a key sequence: whatever arrived with the Esc decides.
  private func readAfterEscape() -> TerminalEvent {
    wtimeout(quire_stdscr(), 0)
    var following: [Unicode.Scalar] = []
    while following.count < 16, !Key.escapeSequenceIsComplete(following) {
      var next: wint_t = 0
      let result = get_wch(&next)
      if result == quire_err() { break }
      if result == quire_key_code_yes() {
        // A key curses decoded itself, right behind the Esc: take the key.
        if Int32(next) == quire_key_resize() { return .resize(size) }
        return Self.functionKey(Int32(next)).map(TerminalEvent.key) ?? .idle
      }
      guard let scalar = Unicode.Scalar(UInt32(next)) else { break }
      following.append(scalar)
    }
    return Key.afterEscape(following).map(TerminalEvent.key) ?? .idle
  }

  /// Copies a grid to the screen, touching only cells that changed since the last draw.
  public func draw(_ grid: Grid, full: Bool = false) {
    if full || shown?.rows != grid.rows || shown?.cols != grid.cols {
      shown = nil
      clearok(quire_stdscr(), true)
    }
    var buffer = [wchar_t](repeating: 0, count: 8)
    for row in 0..<grid.rows {
      for col in 0..<grid.cols {
        let cell = grid[row, col]
        guard cell.width > 0 else { continue }
        if let old = shown, old[row, col] == cell,
          cell.width == 1 || (col + 1 < grid.cols && old[row, col + 1] == grid[row, col + 1])
        {
          continue
        }
        var count = 0
        for scalar in cell.text.unicodeScalars where count < 5 {
          buffer[count] = wchar_t(bitPattern: scalar.value)
          count += 1
        }
        buffer[count] = 0
        let style = Palette.style(for: cell.role, colors: colors && has_colors())
        _ = quire_put_cell(Int32(row), Int32(col), buffer, style.attributes, style.pair)
      }
    }
    shown = grid
    refresh()
  }

  // MARK: - Keys

  static func characterKey(_ value: UInt32) -> Key? {
    switch value {
    case 10, 13: return .enter
    case 9: return .tab
    case 27: return .escape
    case 8, 127: return .backspace
    case 32: return .space
    case 0: return nil
    case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
    case 28...31: return nil
    default:
      guard let scalar = Unicode.Scalar(value) else { return nil }
      return .char(Character(scalar))
    }
  }

  static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_NPAGE: return .pageDown
    case KEY_PPAGE: return .pageUp
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_BTAB: return .backTab
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_IC: return .insert
    case KEY_ENTER: return .enter
    default:
      for n in 1...12 where code == quire_key_f(Int32(n)) { return .function(n) }
      return nil
    }
  }

  /// Curses draws wide characters only under a UTF-8 locale. Use the user's; if theirs is
  /// not UTF-8 (often plain "C" in scripts and containers), fall back to C.UTF-8.
  static func useUTF8Locale() {
    setlocale(LC_ALL, "")
    if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset).uppercased().contains("UTF") { return }
    for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil { return }
  }
}

/// Roles to curses attributes and colour pairs. Every role is readable without colour.
enum Palette {
  struct Style {
    var attributes: attr_t
    var pair: Int16
  }

  enum Pair: Int16 {
    case accent = 1, unread, tag, error, selection, heading
  }

  static func define() {
    let background: Int16 = -1
    init_pair(Pair.accent.rawValue, Int16(COLOR_CYAN), background)
    init_pair(Pair.unread.rawValue, Int16(COLOR_GREEN), background)
    init_pair(Pair.tag.rawValue, Int16(COLOR_MAGENTA), background)
    init_pair(Pair.error.rawValue, Int16(COLOR_RED), background)
    init_pair(Pair.selection.rawValue, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
    init_pair(Pair.heading.rawValue, Int16(COLOR_YELLOW), background)
  }

  static func style(for role: Role, colors: Bool) -> Style {
    let bold = quire_a_bold()
    let reverse = quire_a_reverse()
    let dim = quire_a_dim()
    func pick(_ attributes: attr_t, _ pair: Pair? = nil) -> Style {
      Style(attributes: attributes, pair: colors ? (pair?.rawValue ?? 0) : 0)
    }
    switch role {
    case .normal: return pick(quire_a_normal())
    case .dim: return pick(dim)
    case .title: return pick(bold)
    case .heading: return pick(bold, .heading)
    case .border: return pick(quire_a_normal())
    case .borderFocused: return pick(bold, .accent)
    case .selection: return colors ? pick(bold, .selection) : pick(reverse | bold)
    case .selectionUnfocused: return pick(reverse)
    case .unread: return pick(bold, .unread)
    case .label: return pick(dim)
    case .tag: return pick(quire_a_normal(), .tag)
    case .status: return pick(reverse)
    case .statusMessage: return pick(reverse | bold)
    case .statusError: return colors ? pick(bold, .error) : pick(reverse | bold)
    case .input: return pick(bold)
    case .cursor: return pick(reverse)
    case .completion: return pick(dim)
    // Underlined as well as coloured, so a match reads on a monochrome terminal and on
    // the selection bar.
    case .match: return pick(bold | quire_a_underline(), .heading)
    case .matchCurrent: return pick(reverse | bold | quire_a_underline())
    case .matchSelected: return colors ? pick(bold | quire_a_underline(), .selection) : pick(reverse | bold | quire_a_underline())
    }
  }
}
