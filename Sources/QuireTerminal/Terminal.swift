import CNCursesW
import Foundation
import QuireModel
import QuireUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the terminal reports.
public enum TerminalEvent: Equatable, Sendable {
  case key(Key)
  case mouse(MouseEvent)
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
  private var look = LookSettings()
  private var capabilities = TerminalCapabilities.monochrome
  private var palette = CellPalette(look: LookSettings(), for: .monochrome)

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
    FlowControl.turnOff()
    if colors && has_colors() {
      start_color()
      let defaults = use_default_colors() != quire_err()
      capabilities = TerminalCapabilities(colors: Int(quire_colors()), pairs: Int(quire_color_pairs()), defaultColors: defaults)
    } else {
      capabilities = .monochrome
    }
    started = true
    applyLook()
    shown = nil
    CrashRestore.install(leave: Self.leaveSequence())
  }

  /// Uses the config's theme and mouse setting from now on (before `start` too).
  public func use(_ look: LookSettings) {
    self.look = look
    if started { applyLook() }
  }

  private func applyLook() {
    palette = CellPalette(look: look, for: capabilities)
    for pair in palette.pairs { init_pair(pair.number, pair.foreground, pair.background) }
    quire_mouse(look.mouse ? 1 : 0)
    shown = nil
  }

  /// What `endwin` sends to put the screen back, short of the settings: attributes off,
  /// the cursor shown, the alternate screen left, the cursor on a line of its own.
  static func leaveSequence() -> [UInt8] {
    var bytes: [UInt8] = []
    // Mouse reports off (SGR, then X10 and button tracking), where the terminal has a mouse.
    if let mouse = tigetstr("kmous"), Int(bitPattern: mouse) != -1, Int(bitPattern: mouse) != 0 {
      bytes += Array("\u{1B}[?1006l\u{1B}[?1000l".utf8)
    }
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
    if result == quire_key_code_yes() { return decoded(Int32(character)) }
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
      // A key curses decoded itself, right behind the Esc: take the key.
      if result == quire_key_code_yes() { return decoded(Int32(next)) }
      guard let scalar = Unicode.Scalar(UInt32(next)) else { break }
      following.append(scalar)
    }
    // A mouse report curses left undecoded (its terminal description names another
    // protocol) is read here, never as Esc and letters.
    switch MouseReport.parse(following) {
    case .event(let event)?: return .mouse(event)
    case .ignored?: return .idle
    case nil: return Key.afterEscape(following).map(TerminalEvent.key) ?? .idle
    }
  }

  /// A key curses decoded: a resize, a mouse report, or a function key.
  private func decoded(_ code: Int32) -> TerminalEvent {
    if code == quire_key_resize() { return .resize(size) }
    if code == quire_key_mouse() {
      var row: Int32 = 0
      var col: Int32 = 0
      switch quire_read_mouse(&row, &col) {
      case 1: return .mouse(MouseEvent(.press, row: Int(row), col: Int(col)))
      case 4: return .mouse(MouseEvent(.wheelUp, row: Int(row), col: Int(col)))
      case 5: return .mouse(MouseEvent(.wheelDown, row: Int(row), col: Int(col)))
      default: return .idle
      }
    }
    return Self.functionKey(code).map(TerminalEvent.key) ?? .idle
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
        let style = palette[cell.role]
        _ = quire_put_cell(Int32(row), Int32(col), buffer, Self.attributes(style.attributes), style.pair)
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
    case 31: return .ctrl("_")  // also what C-/ sends
    case 28...30: return nil
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

extension Terminal {
  static func attributes(_ set: TextAttributes) -> attr_t {
    var value = quire_a_normal()
    if set.contains(.bold) { value |= quire_a_bold() }
    if set.contains(.underline) { value |= quire_a_underline() }
    if set.contains(.reverse) { value |= quire_a_reverse() }
    if set.contains(.dim) { value |= quire_a_dim() }
    if set.contains(.italic) { value |= quire_a_italic() }
    return value
  }
}

/// Ctrl-S and Ctrl-Q are keys (search, in the emacs keymap), not a pause of the output;
/// Ctrl-V and Ctrl-O are keys, not "literal next" and "discard". curses' cbreak leaves
/// these to the terminal driver; endwin puts the settings back as they were.
enum FlowControl {
  static func turnOff() {
    let fd = isatty(STDIN_FILENO) == 1 ? STDIN_FILENO : STDOUT_FILENO
    var settings = termios()
    guard tcgetattr(fd, &settings) == 0 else { return }
    settings.c_iflag &= ~tcflag_t(IXON)
    settings.c_lflag &= ~tcflag_t(IEXTEN)
    _ = tcsetattr(fd, TCSANOW, &settings)
    // curses restores its own copy of the settings after a suspend: make it this one.
    def_prog_mode()
  }
}
