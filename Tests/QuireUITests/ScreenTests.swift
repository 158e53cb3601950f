import QuireModel
import Testing

@testable import QuireUI

/// Whole screens drawn into an in-memory grid and compared with the expected text.
@Suite("Screens")
struct ScreenTests {
  static let fixture = """
    - Published: 02 March 2018

    **authors:** 山田 太郎, Ana Müller, Chen Wei**journal:** 情報処理学会論文誌**publication year:** 2018**links:** J-STAGE

    **abstract:** 深層学習の汎化について. We study generalization in deep networks trained on kanji, kana and Hangul (한국어) text.

    - Published: 01 November 2017

    **authors:** M Leshno, VY Lin, A Pinkus, S Schocken**journal:** Neural Networks**publication year:** 1993**links:** ScienceDirect

    **abstract:** Several researchers characterized the activation function under which multilayer feedforward networks can act as universal approximators.

    - Paper added: 日本語の論文タイトル: 深層ネットワークの表現力
    - Paper added: Why are Deep Nets Reversible. A Simple Theory
    """

  func state(rows: Int, cols: Int) -> AppState {
    let library = Library.parse(readingList: Self.fixture, file: "fixture.txt", name: "fixture.txt")
    var reading = ReadingState()
    reading[library[1].id] = PaperState(status: .read, tags: ["theory"])
    return AppState(library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: rows, cols: cols))
  }

  @Test("side by side on a wide terminal")
  func wide() {
    var state = state(rows: 16, cols: 100)
    state.press(.char("j"), .char("j"))
    expectScreen(Renderer.render(state), """
       quire · fixture.txt                                             4 papers · 3 unread · filter: none
      ┌ Papers ────────────────────────────────────────┐┌ Paper ─────────────────────────────────────────┐
      │ ● 2018 山田, Müller +1  ‹深層学習の汎化につい… ││ 日本語の論文タイトル: 深層ネットワークの表現力 │
      │ ○ 1993 Leshno, Lin +2   ‹Several resea… #theory││ status: unread · tags: none                    │
      │▸● ―                     日本語の論文タイトル: …││                                                │
      │ ● ―                     Why are Deep Nets Reve…││ No abstract in fixture.txt.                    │
      │                                                ││                                                │
      │                                                ││                                                │
      │                                                ││                                                │
      │                                                ││                                                │
      │                                                ││                                                │
      │                                                ││                                                │
      │                                                ││                                                │
      │                                                ││                                                │
      └────────────────────────────────────────────────┘└────────────────────────────────────────────────┘
       3/4 shown · 3 unread · 4 total  j/k move · ⏎ open · r read · t tags · / search · f filter    saved
      """)
  }

  @Test("stacked on a narrow terminal, with double-width text in both panes")
  func narrow() {
    let state = state(rows: 20, cols: 50)
    expectScreen(Renderer.render(state), """
       quire · fixture.txt          4 papers · 3 unread
      ┌ Papers ────────────────────────────────────────┐
      │▸● 2018 山田, Müller +1  ‹深層学習の汎化につい… │
      │ ○ 1993 Leshno, Lin +2   ‹Several resea… #theory│
      │ ● ―                     日本語の論文タイトル: …│
      │ ● ―                     Why are Deep Nets Reve…│
      │                                                │
      └────────────────────────────────────────────────┘
      ┌ Paper ─────────────────────────────────────────┐
      │ ‹山田 et al. (2018) — 深層学習の汎化について.  │
      │ We study generalization in deep networks…›     │
      │ 山田 太郎, Ana Müller, Chen Wei                │
      │ 情報処理学会論文誌 · 2018 ·                    │
      │ published 2 Mar 2018                           │
      │ links: J-STAGE                                 │
      │ status: unread · tags: none                    │
      │                                                │
      │ 深層学習の汎化について. We study               │
      └────────────────────────────────────────── 81% ─┘
       1/4 shown · 3 unread · 4 total  j/k move   saved
      """)
  }

  @Test("the tag editor opens below the viewer with its tags, input and completion")
  func tagEditor() {
    var state = state(rows: 16, cols: 100)
    state.press(.char("t"))
    state.type("th")
    let lines = Renderer.render(state).lines
    #expect(lines[10].hasPrefix("│                                                │┌ Tags ─"))
    #expect(lines[11].contains("no tags yet"))
    #expect(lines[12].contains("add: theory"))
  }

  @Test("tags that do not fit in the editor are counted, and the selected one is shown")
  func manyTags() {
    var state = state(rows: 16, cols: 100)
    state.press(.char("t"))
    for n in 1...8 {
      state.type("tag-number-\(n)")
      state.press(.enter)
    }
    var row = Renderer.render(state).lines[11]
    #expect(row.contains("tag-number-1 ×"))
    #expect(row.contains("+6"))
    state.press(.left)  // the last tag, far off to the right
    row = Renderer.render(state).lines[11]
    #expect(row.contains("tag-number-8 ×"))
    #expect(row.contains("+"))
  }

  @Test("a tag wider than the editor is shortened and the others still show")
  func overlongTag() {
    var state = state(rows: 10, cols: 40)
    state.press(.char("t"))
    for tag in ["this-is-an-extremely-long-tag-name-that-exceeds-the-width", "漢字タグ", "ml"] {
      state.type(tag)
      state.press(.enter)
    }
    let lines = Renderer.render(state).lines
    let row = try! #require(lines.first { $0.contains("this-is-an") })
    #expect(row.contains("… ×"))
    #expect(row.contains("漢字タグ ×"))
    for line in lines { #expect(TerminalText.width(line) == 40) }
  }

  @Test("the viewer shows DOI, arXiv id, categories and other listings' titles")
  func identifiersInViewer() {
    var first = Listing(title: "Generalization and Equilibrium in GANs", source: SourceLocation(file: "a.bib", line: 3))
    first.links = [PaperLink(label: "doi", url: "https://doi.org/10.5555/1"), PaperLink(label: "arXiv", url: "https://arxiv.org/abs/1703.00573v5")]
    first.categories = ["cs.LG", "stat.ML"]
    var second = Listing(title: "Generalization and equilibrium in generative adversarial nets", source: SourceLocation(file: "b.xml", line: 9))
    second.arxiv = "1703.00573"
    let paper = Library(name: "x", listings: [first, second])[0]
    let text = PaperDetail.lines(for: paper, state: PaperState(), width: 200).map(\.text).joined(separator: "\n")
    #expect(text.contains("doi:10.5555/1 · arXiv:1703.00573 · categories: cs.LG, stat.ML"))
    #expect(text.contains("also listed (line 9): “Generalization and equilibrium in generative adversarial nets”"))
  }

  @Test("a terminal too small for the layout shows a short message, and recovers")
  func tooSmall() {
    var state = state(rows: 8, cols: 30)
    expectScreen(Renderer.render(state), """
       quire needs 40×10 (now 30×8)







      """)
    _ = Reader.update(&state, .resize(ScreenSize(rows: 10, cols: 40)))
    #expect(Renderer.render(state).text.contains("┌ Papers"))
  }

  @Test("every row of every pane is exactly as wide as the screen, at many sizes")
  func noOverflow() {
    for (rows, cols) in [(10, 40), (12, 41), (24, 80), (30, 99), (30, 100), (40, 137), (50, 200)] {
      var state = state(rows: rows, cols: cols)
      for key: Key in [.char("j"), .char("t")] {
        state.press(key)
        let grid = Renderer.render(state)
        for line in grid.lines { #expect(TerminalText.width(line) == cols, "\(rows)×\(cols): \(line)") }
      }
    }
  }

  @Test("panes never overlap and stay on screen, with and without the tag editor")
  func layoutFits() {
    for rows in 10...60 {
      for cols in stride(from: 40, through: 220, by: 7) {
        for editor in [false, true] {
          let layout = Layout(size: ScreenSize(rows: rows, cols: cols), tagEditorOpen: editor)
          var rects = [layout.header, layout.list, layout.viewer, layout.status]
          if let tags = layout.tags { rects.append(tags) }
          rects = rects.filter { !$0.isEmpty }
          for rect in rects {
            #expect(rect.row >= 0 && rect.maxRow <= rows && rect.col >= 0 && rect.col + rect.cols <= cols)
          }
          for (i, a) in rects.enumerated() {
            for b in rects.dropFirst(i + 1) {
              let apart = a.maxRow <= b.row || b.maxRow <= a.row || a.col + a.cols <= b.col || b.col + b.cols <= a.col
              #expect(apart, "\(rows)×\(cols) editor: \(editor): \(a) overlaps \(b)")
            }
          }
          #expect(layout.list.inner.rows >= 1, "\(rows)×\(cols): no room for a paper")
        }
      }
    }
  }

  @Test("on a narrow status line a message and the save state push the counts aside")
  func narrowStatus() {
    var state = state(rows: 10, cols: 40)
    state.press(.char("r"))
    _ = Reader.update(&state, .saveFinished(error: "cannot save /x/state.json: No space left on device (writing)"))
    let status = Renderer.render(state).lines.last ?? ""
    #expect(status.hasPrefix(" 1/4  cannot save"))
    #expect(status.hasSuffix("NOT SAVED "))
  }

  func expectScreen(_ grid: Grid, _ expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let actual = grid.text
    if actual != expected {
      let diff = zip(actual.split(separator: "\n", omittingEmptySubsequences: false), expected.split(separator: "\n", omittingEmptySubsequences: false))
        .enumerated().filter { $0.element.0 != $0.element.1 }
        .map { "row \($0.offset):\n  got:      \($0.element.0)\n  expected: \($0.element.1)" }
      Issue.record("screen differs:\n\(diff.joined(separator: "\n"))\n--- whole screen ---\n\(actual)", sourceLocation: sourceLocation)
    }
  }
}

@Suite("Loading screen")
struct LoadingScreenTests {
  @Test("reading a large library shows the file, a bar, the share and the papers so far")
  func loading() {
    let grid = LoadingScreen.render(LoadingProgress(what: "library.jsonl", fraction: 0.45, papers: 45_000), size: ScreenSize(rows: 10, cols: 60))
    let lines = grid.lines
    #expect(lines[0].hasPrefix(" quire · reading library.jsonl"))
    #expect(lines[5].contains("█") && lines[5].contains("░"))
    #expect(lines[5].contains(" 45%  45000 papers"))
    #expect(lines[9].contains("Ctrl-C stops"))
    // Any size, down to nothing, draws without trouble.
    for (rows, cols) in [(0, 0), (1, 1), (2, 10), (3, 200)] {
      #expect(LoadingScreen.render(LoadingProgress(what: "x", fraction: 2, papers: 1), size: ScreenSize(rows: rows, cols: cols)).rows == rows)
    }
  }
}
