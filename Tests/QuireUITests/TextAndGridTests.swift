import Testing

@testable import QuireUI

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Text in the terminal")
struct TerminalTextTests {
  @Test("columns: ASCII 1, CJK and emoji 2, combining marks 0")
  func widths() {
    #expect(TerminalText.width("abc") == 3)
    #expect(TerminalText.width("日本語") == 6)
    #expect(TerminalText.width("e\u{301}") == 1)  // e + combining acute is one cell
    #expect(TerminalText.width("ℓ1") == 2)
    #expect(TerminalText.width("🎉") == 2)
    #expect(TerminalText.width("Ｆｕｌｌ") == 8)
    #expect(TerminalText.width("한국어") == 6)
  }

  #if canImport(Glibc)
    /// curses measures text with wcwidth; if quire measured differently a pane would
    /// overflow by a column. Runs where a C.UTF-8 locale exists.
    @Test("every code point is as wide as glibc's wcwidth says")
    func matchesWcwidth() throws {
      guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return }
      let previous = uselocale(utf8)
      defer {
        uselocale(previous)
        freelocale(utf8)
      }
      // Glibc's Swift module leaves wcwidth out (it needs _XOPEN_SOURCE); look it up.
      typealias WcwidthFunction = @convention(c) (Int32) -> Int32
      let symbol = try #require(dlsym(dlopen(nil, RTLD_NOW), "wcwidth"))
      let wcwidth = unsafeBitCast(symbol, to: WcwidthFunction.self)
      #expect(wcwidth(0x4E00) == 2, "the C.UTF-8 locale is not in force")
      var mismatches: [String] = []
      for value in UInt32(0x300)...0x10FFFF {
        guard let scalar = Unicode.Scalar(value) else { continue }
        let theirs = Int(wcwidth(Int32(bitPattern: value)))
        if TerminalText.columns(of: scalar) != theirs, mismatches.count < 10 {
          mismatches.append("U+\(String(value, radix: 16, uppercase: true)): quire \(TerminalText.columns(of: scalar)), wcwidth \(theirs)")
        }
      }
      #expect(mismatches.isEmpty, "run scripts/generate-width-table.py: \(mismatches)")
    }
  #endif

  @Test("flags, emoji sequences and variation selectors measure as curses draws them")
  func emojiSequences() {
    #expect(TerminalText.width("🇺🇸") == 2)  // two regional indicators, one column each
    #expect(TerminalText.glyphs("☺\u{FE0F}").map(\.text) == ["☺"])  // the selector is not sent
    #expect(TerminalText.width("👨\u{200D}👩") == 4)
    #expect(TerminalText.glyphs("e\u{301}x").map(\.text) == ["e\u{301}", "x"])
  }

  @Test("wrapping is linear: a 200,000-character word is cut into lines at once")
  func longWord() {
    let lines = TerminalText.wrap("start " + String(repeating: "a", count: 200_000) + " end", width: 50)
    #expect(lines.count == 4002)
    #expect(lines.first == "start")
    #expect(lines.last == "end")
    #expect(lines.allSatisfy { TerminalText.width($0) <= 50 })
  }

  @Test("messages for stderr lose their escape sequences")
  func sanitizedMessages() {
    #expect(TerminalText.sanitized("a.txt:1: found '\u{1b}]0;PWNED\u{07}'\nnext") == "a.txt:1: found '␛]0;PWNED␇'\nnext")
  }

  @Test("control characters and escape sequences become visible placeholders")
  func placeholders() {
    #expect(TerminalText.glyph(for: "\u{1b}")?.text == "␛")
    #expect(TerminalText.glyph(for: "\u{07}")?.text == "␇")
    #expect(TerminalText.glyph(for: "\u{00}")?.text == "␀")
    #expect(TerminalText.glyph(for: "\u{7f}")?.text == "␡")
    #expect(TerminalText.glyph(for: "\u{9b}")?.text == "\u{FFFD}")  // C1 CSI
    #expect(TerminalText.glyph(for: "\u{202E}")?.text == "\u{FFFD}")  // right-to-left override
    #expect(TerminalText.glyph(for: "\t")?.text == " ")
    #expect(TerminalText.glyph(for: "\u{200B}") == nil)  // zero-width space takes no cell
    // A lone combining mark is shown on a dotted circle rather than merging into a border.
    #expect(TerminalText.glyph(for: "\u{301}")?.width == 1)
  }

  @Test("every glyph is free of C0, DEL and C1 controls")
  func noControlsEver() {
    for value in UInt32(0)...0x2100 {
      guard let scalar = Unicode.Scalar(value), let glyph = TerminalText.glyph(for: Character(scalar)) else { continue }
      for out in glyph.text.unicodeScalars {
        #expect(!(out.value < 0x20 || (0x7F...0x9F).contains(out.value)), "U+\(String(value, radix: 16))")
      }
    }
  }

  @Test("truncation counts columns and ends in an ellipsis")
  func truncation() {
    #expect(TerminalText.truncate("Hello world", to: 20) == "Hello world")
    #expect(TerminalText.truncate("Hello world", to: 6) == "Hello…")
    #expect(TerminalText.truncate("日本語の論文", to: 6) == "日本…")
    #expect(TerminalText.width(TerminalText.truncate("日本語の論文", to: 6)) <= 6)
  }

  @Test("wrapping breaks at spaces, splits long words, and respects wide characters")
  func wrapping() {
    #expect(TerminalText.wrap("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
    #expect(TerminalText.wrap("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
    #expect(TerminalText.wrap("日本語の論文タイトル", width: 7) == ["日本語", "の論文", "タイト", "ル"])
    #expect(TerminalText.wrap("", width: 5) == [""])
  }
}

@Suite("Grid")
struct GridTests {
  @Test("text is clipped to the limit and the grid")
  func clipping() {
    var grid = Grid(rows: 2, cols: 8)
    grid.put("abcdefghij", row: 0, col: 2, limit: 4)
    grid.put("xyz", row: 1, col: 6)
    #expect(grid.lines == ["  abcd  ", "      xy"])
  }

  @Test("a wide character takes two cells; one that would straddle the edge becomes a space")
  func wideCharacters() {
    var grid = Grid(rows: 1, cols: 5)
    let used = grid.put("a日本", row: 0, col: 0)
    #expect(used == 5)
    #expect(grid[0, 1].width == 2)
    #expect(grid[0, 2].width == 0)
    #expect(grid.lines == ["a日本"])
    var edge = Grid(rows: 1, cols: 4)
    edge.put("ab日", row: 0, col: 1)
    #expect(edge.lines == [" ab "])
  }

  @Test("overwriting half of a wide character clears the other half")
  func overwriteHalf() {
    var grid = Grid(rows: 1, cols: 4)
    grid.put("日本", row: 0, col: 0)
    grid.put("x", row: 0, col: 1)
    #expect(grid.lines == [" x本"])
    grid.put("y", row: 0, col: 2)
    #expect(grid.lines == [" xy "])
  }

  @Test("boxes have a title in the top border")
  func box() {
    var grid = Grid(rows: 3, cols: 12)
    grid.box(Rect(row: 0, col: 0, rows: 3, cols: 12), title: "Tags", focused: false)
    #expect(grid.text == "┌ Tags ────┐\n│          │\n└──────────┘")
  }

  @Test("a hostile string leaves no escape in the grid")
  func hostile() {
    var grid = Grid(rows: 1, cols: 40)
    grid.put("x\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}31m", row: 0, col: 0)
    #expect(grid.text == "x␛]0;pwned␇␛[2J\u{FFFD}31m")
  }
}
