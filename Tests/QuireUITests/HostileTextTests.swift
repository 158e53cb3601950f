import Foundation
import QuireModel
import Testing

@testable import QuireUI

/// Text from files is untrusted. The hostile corpus (control characters, escape sequences
/// of every kind, C1 controls, bidirectional overrides, zero-width characters, text that
/// was invalid UTF-8, NUL, a megabyte line) goes through the renderer into the in-memory
/// grid, in every pane and overlay, and every cell must come out inert: nothing a terminal
/// would act on, each cell as wide as curses will draw it, every row exactly the screen's
/// width. The end-to-end twin (Tests/QuireEndToEndTests/HostileTextTests.swift) checks the
/// bytes the real program writes to a terminal.
@Suite("Hostile text")
struct HostileTextTests {
  // MARK: - The corpus

  /// Named hostile strings; each is used as a title, an author, a venue, an abstract, a
  /// tag, a view's name and a keymap line.
  static let corpus: [(name: String, text: String)] = {
    let esc = "\u{1B}"
    var cases: [(name: String, text: String)] = [
      ("c0", "C0:" + String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) })) + ":end"),
      ("bel-bs-cr-lf-tab", "ring\u{07}back\u{08}\u{08}ret\rnew\nline\ttab:end"),
      ("del", "DEL:\u{7F}:end"),
      ("c1", "C1:" + String(String.UnicodeScalarView((0x80..<0xA0).map { Unicode.Scalar(UInt8($0)) })) + ":end"),
      ("csi", "CSI:\(esc)[2J\(esc)[H\(esc)[31;1mRED\(esc)[0m\(esc)[4711;4711H\(esc)[6n\(esc)[?1049l\(esc)[8;5;5t:end"),
      ("osc0-bel", "OSC0:\(esc)]0;PWNED-TITLE-0\u{07}:end"),
      ("osc2-st", "OSC2:\(esc)]2;PWNED-TITLE-2\(esc)\\:end"),
      ("osc52", "OSC52:\(esc)]52;c;UFdORUQtQ0xJUA==\u{07}:end"),
      ("dcs", "DCS:\(esc)P+q544e\(esc)\\\(esc)Ptmux;\(esc)\(esc)]2;PWNED-PASS\u{07}\(esc)\\:end"),
      ("apc", "APC:\(esc)_PWNED-APC\(esc)\\:end"),
      ("pm", "PM:\(esc)^PWNED-PM\(esc)\\:end"),
      ("sos", "SOS:\(esc)XPWNED-SOS\(esc)\\:end"),
      ("c1-sequences", "C1SEQ:\u{9B}2J\u{9D}0;PWNED-C1\u{9C}\u{90}DCS\u{9C}:end"),
      ("esc-misc", "MISC:\(esc)c\(esc)#8\(esc)(0lqk\(esc)(B\(esc)7\(esc)8\(esc)M\(esc)=:end"),
      ("bidi", "BIDI:\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{202E}e\u{2066}f\u{2067}g\u{2068}h\u{2069}i\u{200E}j\u{200F}k\u{061C}l:end"),
      ("zero-width", "ZW:zero\u{200B}width\u{200C}non\u{200D}joiner\u{FEFF}bom\u{2060}wj:end"),
      // What invalid UTF-8 (lone continuation bytes, overlongs, surrogates, cut sequences) becomes when read.
      ("invalid-utf8", String(decoding: [0x49, 0x4E, 0x56, 0x3A, 0x80, 0x9B, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xE2, 0x82, 0x3A, 0x65, 0x6E, 0x64] as [UInt8], as: UTF8.self)),
      ("nul", "NUL:\u{0}\u{0}:end"),
      ("marks", "MARKS:\u{301}\u{1B}\u{301}e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}:end"),
    ]
    cases.append(("wide", "WIDE:日本語の論文\u{1B}タイトル:end"))
    return cases
  }()

  /// A megabyte of abstract, hostile all through.
  static let megabyte: String = {
    let piece = "words and \u{1B}]0;PWNED\u{07} more \u{9B}2J text \u{202E}reversed\u{202C} "
    return String(repeating: piece, count: (1 << 20) / piece.utf8.count + 1)
  }()

  static func library() -> Library {
    var listings: [Listing] = []
    for (index, (name, text)) in corpus.enumerated() {
      var listing = Listing(
        title: "T-\(name) \(text)", authors: ["A-\(name) \(text)", "Plain Author"], venue: "V-\(name) \(text)",
        year: 2000 + index, links: [PaperLink(label: "L-\(name) \(text)", url: "https://example.org/\(text)")],
        abstract: "Abstract \(name): \(text) and more words after it.", source: QuireModel.SourceLocation(file: "hostile-\(name)", line: index + 1))
      listing.categories = ["cat\(text)"]
      listings.append(listing)
      // Untitled too: the list shows the abstract's opening instead.
      listings.append(Listing(abstract: "Untitled \(name): \(text)", source: QuireModel.SourceLocation(file: "h", line: 100 + index)))
    }
    listings.append(Listing(title: "Huge abstract", authors: ["Big Writer"], abstract: megabyte, source: QuireModel.SourceLocation(file: "h", line: 999)))
    return Library(name: "hostile \u{1B}]0;LIBNAME\u{07}", listings: listings)
  }

  static func reading(_ library: Library) -> ReadingState {
    var reading = ReadingState()
    for (index, paper) in library.papers.enumerated() {
      let (name, text) = corpus[index / 2 % corpus.count]
      reading[paper.id] = PaperState(
        status: index % 3 == 0 ? .read : .unread, tags: ["tag-\(name)-\(text)", "plain"], note: "note \(text)")
    }
    return reading
  }

  /// A corpus string as one word of a keymap or config line: no line breaks, spaces or tabs.
  static func oneWord(_ text: String) -> String {
    String(text.unicodeScalars.filter { $0 != "\n" && $0 != " " && $0 != "\t" }.map(Character.init))
  }

  static let keymapLines: String = corpus.map { "bind \(oneWord($0.text)) quit" }.joined(separator: "\n")
    + "\nbind " + String(repeating: "\u{1B}[31m", count: 200_000) + " quit\n"

  static let configLines: String = corpus.enumerated().map { index, entry in
    "view \"V\(index) \(oneWord(entry.text).replacingOccurrences(of: "\\", with: "\\\\"))\" = \"is:unread\""
  }.joined(separator: "\n") + "\nview \"bad\" = \"\u{1B}[2J tag:(\"\n"

  static func state(rows: Int, cols: Int) -> AppState {
    let library = library()
    var keymap = Keymap.builtinDefault
    let problems = keymap.apply(keymapLines, file: "keymap\u{1B}]0;FILE\u{07}")
    let config = Config.parse(configLines, file: "config")
    return AppState(
      library: library, reading: reading(library), keymap: keymap, size: ScreenSize(rows: rows, cols: cols),
      problems: problems + config.diagnostics, views: config.views)
  }

  // MARK: - What an inert grid is

  /// Scalars that must never be in a cell: C0, DEL, C1, bidirectional controls,
  /// interlinear annotation controls.
  static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00..<0x20, 0x7F...0x9F: return true
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFFF9...0xFFFB: return true
    case 0x2028, 0x2029: return true
    default: return false
    }
  }

  /// Every cell inert and measured as curses will measure it; every row `cols` wide.
  static func problems(in grid: Grid) -> [String] {
    var found: [String] = []
    for row in 0..<grid.rows {
      var columns = 0
      var col = 0
      while col < grid.cols {
        let cell = grid[row, col]
        let scalars = Array(cell.text.unicodeScalars)
        let at = "row \(row) col \(col) \(scalars.map { "U+" + String($0.value, radix: 16) })"
        if cell.width == 0 {
          found.append("\(at): a continuation cell without a wide character before it")
          col += 1
          continue
        }
        if let bad = scalars.first(where: isForbidden) { found.append("\(at): holds U+\(String(bad.value, radix: 16))") }
        if scalars.isEmpty || scalars.count > 5 { found.append("\(at): \(scalars.count) code points") }
        if let base = scalars.first {
          // The first code point takes the cell's columns; the rest are marks drawn on it.
          if TerminalText.columns(of: base) != Int(cell.width) { found.append("\(at): width \(cell.width) but the base takes \(TerminalText.columns(of: base))") }
          if scalars.dropFirst().contains(where: { TerminalText.columns(of: $0) != 0 }) { found.append("\(at): a mark that takes room") }
        }
        if cell.width == 2 {
          if col + 1 >= grid.cols || grid[row, col + 1].width != 0 { found.append("\(at): a wide character without its continuation") }
          col += 2
        } else {
          col += 1
        }
        columns += Int(cell.width)
      }
      if columns != grid.cols { found.append("row \(row) is \(columns) columns wide, not \(grid.cols)") }
    }
    return found
  }

  static func expectInert(_ grid: Grid, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let found = problems(in: grid)
    #expect(found.isEmpty, "\(what): \(found.prefix(5).joined(separator: "; "))\n\(grid.text)", sourceLocation: sourceLocation)
  }

  // MARK: - Tests

  @Test("every hostile paper, selected, draws inert cells in the list, the viewer and the status line", arguments: [
    (30, 120), (24, 80), (12, 41),
  ])
  func everyPaperSelected(rows: Int, cols: Int) {
    var state = Self.state(rows: rows, cols: cols)
    let count = state.shown.count
    var screens = ""
    for position in 0..<count {
      let grid = Renderer.render(state)
      Self.expectInert(grid, "paper \(position + 1) of \(count) at \(cols)×\(rows)")
      screens += grid.text + "\n"
      // Also at the end of what the viewer shows, the abstract's last line.
      if position % 7 == 0 || position == count - 1 {
        state.press(.tab, .end)
        Self.expectInert(Renderer.render(state), "paper \(position + 1), viewer at its end, at \(cols)×\(rows)")
        state.press(.home, .tab)
      }
      state.press(.down)
    }
    // The placeholders show: the text was drawn, made inert, not dropped.
    let placeholders = cols < 80 ? ["␛", "␀", "\u{FFFD}"] : ["␛[2J", "␛]0;PWNED", "␛P+q544e", "␛_PWNED-APC", "␛^PWNED-PM", "␛XPWNED-SOS", "␀", "␇", "␡", "\u{FFFD}2J"]
    for placeholder in placeholders {
      #expect(screens.contains(placeholder), "\(placeholder) is not on any screen at \(cols)×\(rows)")
    }
    #expect(screens.contains("zerowidthnonjoinerbomwj"), "zero-width characters take no room")
  }

  @Test("the status line shows a hostile keymap line's problem inert and short")
  func keymapProblemOnTheStatusLine() {
    let state = Self.state(rows: 30, cols: 120)
    let grid = Renderer.render(state)
    Self.expectInert(grid, "first screen")
    let status = grid.lines[29]
    #expect(status.contains("keymap␛]0;FILE␇:1: unknown key"), "status line: \(status)")
  }

  @Test("the tag editor, the search line, the views and help draw hostile text inert")
  func overlays() {
    var state = Self.state(rows: 30, cols: 120)
    while state.selectedPaper?.title?.hasPrefix("T-csi") != true, state.selected + 1 < state.shown.count { state.press(.down) }
    state.press(.char("t"))
    Self.expectInert(Renderer.render(state), "tag editor")
    #expect(Renderer.render(state).text.contains("tag-csi-CSI:␛[2J"))
    // Typed: a C1 CSI, a right-to-left override, a zero-width space, an Esc-less "[2J".
    for character in "ab\u{9B}c\u{202E}d\u{200B}e[2J" { state.press(.char(character)) }
    Self.expectInert(Renderer.render(state), "tag editor with hostile input")
    state.press(.enter, .left, .left)
    Self.expectInert(Renderer.render(state), "tag editor with a hostile tag selected")
    state.press(.escape)

    state.press(.char("/"))
    for character in "PWN\u{9D}\u{202E}\u{7}" { state.press(.char(character)) }
    let search = Renderer.render(state)
    Self.expectInert(search, "search line")
    state.press(.escape)

    state.press(.char("f"))
    for character in "tag:(\u{1B}[2J" { state.press(.char(character)) }
    Self.expectInert(Renderer.render(state), "filter line with a parse error")
    state.press(.escape)

    state.press(.char("v"))
    let views = Renderer.render(state)
    Self.expectInert(views, "view list")
    #expect(views.text.contains("V5 OSC0:␛]0;PWNED-TITLE-0␇"), "\(views.text)")
    state.press(.down, .down, .down, .down, .down, .enter)
    let header = Renderer.render(state)
    Self.expectInert(header, "a hostile view in the header")
    #expect(header.lines[0].contains("view: V"), "\(header.lines[0])")
    state.press(.char("?"))
    Self.expectInert(Renderer.render(state), "help")
  }

  /// Long enough that measuring it whole on every key would show (the megabyte lines are
  /// the abstract's, here, and the keymap's and config's end to end), short enough to be quick.
  @Test("a title, an author, tags, a view name and a problem 200 KB long draw inert")
  func longFields() {
    let huge = String(repeating: "x\u{1B}[2J\u{200B}", count: 30_000)
    let listing = Listing(title: huge, authors: [huge, "B"], abstract: "short", source: QuireModel.SourceLocation(file: "h", line: 1))
    let library = Library(name: huge, listings: [listing])
    var reading = ReadingState()
    reading[library[0].id] = PaperState(tags: [huge, "short", huge + "2"])
    var state = AppState(
      library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      problems: [Diagnostic(file: "k", line: 1, message: "unknown key '\(huge)'; expected a character")],
      views: [SavedView(name: huge, query: "is:unread")])
    let first = Renderer.render(state)
    Self.expectInert(first, "long fields")
    #expect(first.lines[29].contains("k:1: unknown key 'x␛[2J<U+200B>x"), "\(first.lines[29])")
    state.press(.char("t"))
    Self.expectInert(Renderer.render(state), "long tags in the editor")
    state.press(.left)
    Self.expectInert(Renderer.render(state), "a long tag selected")
    state.press(.escape, .char("v"))
    Self.expectInert(Renderer.render(state), "a long view name")
    state.press(.down, .enter)
    Self.expectInert(Renderer.render(state), "a long view name in the header")
  }

  @Test("a megabyte abstract wraps, and draws at its end")
  func megabyteAbstract() {
    var state = Self.state(rows: 30, cols: 120)
    state.press(.end)  // the huge paper is the last
    #expect(state.selectedPaper?.title == "Huge abstract")
    let lines = PaperDetail.lines(for: state.selectedPaper!, state: state.state(of: state.selectedPaper!), width: 57)
    #expect(lines.count > 10_000)
    #expect(lines.allSatisfy { TerminalText.width($0.text) <= 57 })
    state.press(.tab, .end)
    let grid = Renderer.render(state)
    Self.expectInert(grid, "the end of a megabyte abstract")
    #expect(grid.text.contains("100%"))
  }

  @Test("a screen too small for quire stays inert")
  func tooSmall() {
    Self.expectInert(Renderer.render(Self.state(rows: 5, cols: 20)), "too small")
  }

  // MARK: - TerminalText

  @Test("every code point's glyph is inert and as wide as it says")
  func everyCodePoint() {
    var bad: [String] = []
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      for glyph in TerminalText.glyphs(String(scalar)) {
        let scalars = Array(glyph.text.unicodeScalars)
        if scalars.contains(where: Self.isForbidden) || glyph.width < 1 || glyph.width > 2
          || TerminalText.columns(of: scalars[0]) != glyph.width
        {
          bad.append("U+\(String(value, radix: 16))")
        }
      }
    }
    #expect(bad.isEmpty, "\(bad.prefix(20))")
  }

  @Test("wrapping, fast on printable ASCII, makes the same lines as glyph by glyph")
  func wrapMatchesTheGlyphwiseReference() {
    var generator = SystemRandomNumberGenerator()
    let pieces = [
      "a", "b", "word", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\u{1B}", "\u{1B}[2J", "\u{9B}", "\u{301}", "é", "e\u{301}",
      "日本", "語", "\u{200B}", "\u{202E}", "\u{0}", " \u{301}", "x\u{302}\u{303}", "\u{7F}", "👩‍💻", "ab:cd", "long-long-word",
    ]
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<Int.random(in: 0...24, using: &generator) { text += pieces.randomElement(using: &generator)! }
      for width in [1, 2, 3, 5, 8, 13] {
        let fast = TerminalText.wrap(text, width: width)
        let reference = Self.referenceWrap(text, width: width)
        #expect(fast == reference, "\(text.unicodeScalars.map { String($0.value, radix: 16) }) at width \(width)")
        if fast != reference { return }
      }
    }
  }

  @Test("a width measured up to a limit is the whole width, capped")
  func widthUpTo() {
    for (_, text) in Self.corpus + [("plain", "plain ascii text"), ("", ""), ("wide", "日本語")] {
      for limit in [0, 1, 2, 5, 10, 40, 1000] {
        #expect(TerminalText.width(text, upTo: limit) == min(TerminalText.width(text), limit), "\(text) up to \(limit)")
      }
    }
    #expect(TerminalText.width(Self.megabyte, upTo: 40) == 40)
  }

  // MARK: - Diagnostics

  @Test("a problem's description quotes hostile text inert, visible and short")
  func diagnostics() {
    var keymap = Keymap.builtinDefault
    let problems = keymap.apply(Self.keymapLines, file: "km\u{1B}]0;x\u{07}")
    #expect(problems.count == Self.corpus.count + 1)
    for problem in problems {
      let text = problem.description
      #expect(!text.unicodeScalars.contains(where: Self.isForbidden), "\(text.debugDescription)")
      #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .format }, "\(text.debugDescription)")
      #expect(text.hasPrefix("km␛]0;x␇:\(problem.line): "), "\(text.prefix(80))")
      #expect(text.count < 600, "\(text.count) characters")
    }
    let described = problems.map(\.description)
    // Invisible characters are named, so the message says why the key was refused.
    #expect(described.contains { $0.contains("ZW:zero<U+200B>width<U+200C>non<U+200D>joiner<U+FEFF>bom<U+2060>wj:end") })
    #expect(described.contains { $0.contains("<U+202E>e") })
    #expect(described.contains { $0.contains("C1SEQ:<U+009B>2J") })
    #expect(described.contains { $0.contains("NUL:␀␀:end") })
    // The megabyte line: its start, how much was left out, and what was expected.
    let long = described.last!
    #expect(long.contains("unknown key '␛[31m␛[31m"), "\(long)")
    #expect(long.contains("characters left out"), "\(long)")
    #expect(long.hasSuffix("PageUp, PageDown, Home, End"), "\(long)")
    // Plain messages are unchanged.
    #expect(Diagnostic(file: "a.bib", line: 3, column: 7, message: "expected '}'").description == "a.bib:3:7: expected '}'")
    #expect(Diagnostic(file: "a.bib", line: 3, message: "Erdős – 日本語").description == "a.bib:3: Erdős – 日本語")
  }

  // MARK: - Reference

  /// The wrapping as it was, glyph by glyph: what the fast path must agree with.
  static func referenceWrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      var line = ""
      var lineWidth = 0
      var word = ""
      var wordWidth = 0
      func placeWord() {
        guard !word.isEmpty else { return }
        if lineWidth == 0 {
          line = word
          lineWidth = wordWidth
        } else if lineWidth + 1 + wordWidth <= width {
          line += " " + word
          lineWidth += 1 + wordWidth
        } else {
          lines.append(line)
          line = word
          lineWidth = wordWidth
        }
        word = ""
        wordWidth = 0
      }
      for glyph in TerminalText.glyphs(paragraph) {
        if glyph.text == " " {
          placeWord()
          continue
        }
        if wordWidth + glyph.width > width {
          if lineWidth > 0 { lines.append(line) }
          lines.append(word)
          line = ""
          lineWidth = 0
          word = ""
          wordWidth = 0
        }
        word += glyph.text
        wordWidth += glyph.width
      }
      placeWord()
      lines.append(line)
    }
    return lines
  }
}
