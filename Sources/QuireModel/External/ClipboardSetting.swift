/// Whether `copy-link` may put text on the system clipboard, and how: the `clipboard` line
/// of the config. Off unless asked for, because OSC 52 lets a program set the clipboard of
/// whoever's terminal it runs in, and some users would rather no program did.
public enum ClipboardSetting: String, CaseIterable, Equatable, Sendable {
  case off
  /// The terminal's own clipboard escape, `ESC ] 52 ; c ; BASE64 BEL`: works over ssh and
  /// inside tmux (with `set-clipboard on`), needs no clipboard program.
  case osc52

  /// The most text sent in one OSC 52 sequence. Terminals cap it (tmux and some xterms at
  /// about 100 kB encoded); no link comes near it, and anything that does is not copied.
  public static let maximumBytes = 4096
}
