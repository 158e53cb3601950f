import Foundation
import QuireModel
import Testing

@testable import QuireUI

/// A title the reader gave a paper, as the list and the viewer show it and search finds it.
@Suite("Titles given by the reader, on screen")
struct TitleOverrideScreenTests {
  func state(rows: Int = 12, cols: Int = 100) -> AppState {
    let library = Library.parse(readingList: ScreenTests.fixture, file: "fixture.txt", name: "fixture.txt")
    var reading = ReadingState()
    // The first paper has no title in its listing; the last is renamed with hostile text,
    // which shows with its controls made visible.
    reading[library[0].id] = PaperState(title: "Generalization in kanji nets")
    reading[library[3].id] = PaperState(status: .read, tags: ["x"], title: "\u{1b}[2JReversible \u{202E}nets\u{7}")
    return AppState(library: library, reading: reading, keymap: .builtinDefault, size: ScreenSize(rows: rows, cols: cols))
  }

  @Test("the list row and the viewer heading show the title given; the viewer names the listing's")
  func shown() {
    var state = state()
    ScreenTests().expectScreen(Renderer.render(state), """
       quire · fixture.txt                                             4 papers · 3 unread · filter: none
      ┌ Papers ────────────────────────────────────────┐┌ Paper ─────────────────────────────────────────┐
      │▸● 2018 山田, Müller +1  Generalization in kanj…││ Generalization in kanji nets                   │
      │ ● 1993 Leshno, Lin +2   ‹Several researchers c…││ your title; listed as untitled                 │
      │ ● ―                     日本語の論文タイトル: …││ 山田 太郎, Ana Müller, Chen Wei                │
      │ ○ ―                     ␛[2JReversible \u{FFFD}net… #x││ 情報処理学会論文誌 · 2018 ·                    │
      │                                                ││ published\u{00A0}2\u{00A0}Mar\u{00A0}2018                           │
      │                                                ││ links: J-STAGE                                 │
      │                                                ││ status: unread · tags: none                    │
      │                                                ││                                                │
      └────────────────────────────────────────────────┘└────────────────────────────────────────── 72% ─┘
       1/4 shown · 3 unread · 4 total  j/k move · ⏎ open · r read · t tags · / search · f filter    saved
      """)
    state.press(.char("G"))
    let screen = Renderer.render(state).text
    #expect(screen.contains("│ ␛[2JReversible \u{FFFD}nets␇ "), "\(screen)")
    #expect(screen.contains("your title; listed as “Why are Deep Nets"), "\(screen)")
    #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0 == "\u{202E}" }, "raw controls reached the grid")
  }

  @Test("search finds a paper by the title given, and keeps finding it by its listing's")
  func found() {
    var state = state()
    state.press(.char("/"))
    state.type("kanji nets")
    #expect(state.shown == [0], "\(state.shown)")
    var other = self.state()
    other.press(.char("/"))
    other.type("simple theory")
    #expect(other.shown == [3])
  }
}

@Suite("The time a paper was read, in the reader")
struct ReadTimeInReaderTests {
  @Test("r records when, by the reader's clock, to the second; marking unread forgets it; so does mark all read")
  func recorded() {
    let moment = Date(timeIntervalSince1970: 1_795_996_025.6)
    let library = BuiltinLibrary.load()
    var state = AppState(
      library: library, reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
      clock: { moment })
    let id = library.id(at: 0)
    state.press(.char("r"))
    #expect(state.reading[id].status == .read)
    #expect(state.reading[id].readAt == Date(timeIntervalSince1970: 1_795_996_025))
    state.press(.char("r"))
    #expect(state.reading[id].unstamped == PaperState())
    _ = Reader.markAllShownRead(&state)
    #expect(state.reading.papers.count == library.count)
    #expect(state.reading.papers.values.allSatisfy { $0.readAt == Date(timeIntervalSince1970: 1_795_996_025) })
  }
}
