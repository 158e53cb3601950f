import CNCursesW
import Foundation
import QuireModel
import QuireUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Terminal {
  /// Lends the terminal to another program (an editor, a text browser) for as long as
  /// `body` runs, as mutt and tig do: curses leaves the screen with the terminal's settings
  /// as the shell had them, and takes it back afterwards with everything repainted. A
  /// resize while away is picked up from the terminal itself, since curses was not
  /// listening; the size returned is the one to draw at.
  public func handOver<T>(_ body: () throws -> T) rethrows -> (T, size: ScreenSize) {
    guard started else { return (try body(), size) }
    // The settings curses runs with, to come back to.
    def_prog_mode()
    endwin()
    defer { takeBack() }
    return (try body(), Self.measuredSize() ?? size)
  }

  private func takeBack() {
    reset_prog_mode()
    if let measured = Self.measuredSize(), measured != size {
      resize_term(Int32(measured.rows), Int32(measured.cols))
    }
    // Nothing curses thinks is on screen is there any more.
    shown = nil
    clearok(quire_stdscr(), true)
    refresh()
  }

  /// The terminal's size as it says now.
  static func measuredSize() -> ScreenSize? {
    var size = winsize()
    for fd in [STDOUT_FILENO, STDIN_FILENO] where ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 && size.ws_col > 0 {
      return ScreenSize(rows: Int(size.ws_row), cols: Int(size.ws_col))
    }
    return nil
  }

  /// Puts text on the system clipboard with the terminal's OSC 52 escape
  /// (`ESC ] 52 ; c ; BASE64 BEL`). Only text that is safe to paste and short enough for any
  /// terminal is sent: nothing with control characters (a pasted newline or escape runs or
  /// types things), nothing over `ClipboardSetting.maximumBytes`. False when refused or not
  /// written.
  public func copyToClipboard(_ text: String) -> Bool {
    guard started, Self.isClipboardSafe(text) else { return false }
    let sequence = Array("\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}".utf8)
    // After curses' own output, which `draw` has already flushed.
    fflush(nil)
    var written = 0
    while written < sequence.count {
      let result = sequence[written...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
      if result < 0 && errno == EINTR { continue }
      guard result > 0 else { return false }
      written += result
    }
    return true
  }

  static func isClipboardSafe(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.count <= ClipboardSetting.maximumBytes
      && !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
  }
}
