import Foundation
import QuireModel
import Testing

@testable import QuireUI

/// A reader whose clock stands still, so read times can be compared.
private func fixedState() -> AppState {
  let now = Date(timeIntervalSince1970: 1_796_000_000.75)
  return AppState(
    library: BuiltinLibrary.load(), reading: ReadingState(), keymap: .builtinDefault, size: ScreenSize(rows: 30, cols: 120),
    clock: { now })
}

@Suite("Undo and redo")
struct UndoTests {
  @Test("u undoes a status change and says what; C-r redoes it; the read time comes back with it")
  func undoStatus() {
    var state = fixedState()
    let paper = state.selectedPaper!.id
    #expect(state.press(.char("r")) == [.save])
    let readAt = state.reading[paper].readAt
    #expect(readAt == Date(timeIntervalSince1970: 1_796_000_000))
    #expect(state.press(.char("u")) == [.save])
    #expect(state.reading[paper].unstamped == PaperState())
    #expect(state.message?.text == "undone: marked read · C-r redoes")
    #expect(state.unreadCount == 13)
    #expect(state.press(.ctrl("r")) == [.save])
    #expect(state.reading[paper].status == .read)
    #expect(state.reading[paper].readAt == readAt)
    #expect(state.message?.text == "redone: marked read")
    #expect(state.unreadCount == 12)
    state.press(.char("u"))
    #expect(state.press(.char("u")).isEmpty)
    #expect(state.message?.text == "nothing to undo")
  }

  @Test("each tag added in the editor is a step of its own")
  func undoTags() {
    var state = makeState()
    let paper = state.selectedPaper!.id
    state.press(.char("t"))
    state.type("gan")
    state.press(.enter)
    state.type("theory")
    state.press(.enter, .escape)
    #expect(state.reading[paper].tags == ["gan", "theory"])
    state.press(.char("u"))
    #expect(state.reading[paper].tags == ["gan"])
    #expect(state.message?.text == "undone: tagged 'theory' · C-r redoes")
    state.press(.char("u"))
    #expect(state.reading[paper].tags == [])
    #expect(state.tagUse.isEmpty)
  }

  @Test("mark all read is undone in one step")
  func undoMarkAll() {
    var state = makeState()
    state.press(.char("A"), .char("y"))
    #expect(state.unreadCount == 0)
    #expect(state.press(.char("u")) == [.save])
    #expect(state.unreadCount == 13)
    #expect(state.reading.papers.values.allSatisfy { $0.unstamped.isUntouched })
    #expect(state.message?.text == "undone: marked 13 papers read · C-r redoes")
    state.press(.ctrl("r"))
    #expect(state.unreadCount == 0)
  }

  @Test("a note from the editor is undone like any change")
  func undoNote() {
    var state = makeState()
    let paper = state.selectedPaper!.id
    #expect(Reader.update(&state, .noteEdited(paper, before: nil, after: "read with §3")) == [.save])
    #expect(state.reading[paper].note == "read with §3")
    state.press(.char("u"))
    #expect(state.reading[paper].note == nil)
    #expect(state.message?.text == "undone: note added · C-r redoes")
  }

  @Test("a new change after an undo leaves nothing to redo")
  func newChangeClearsRedo() {
    var state = makeState()
    state.press(.char("r"), .char("u"), .char("j"), .char("r"))
    #expect(state.press(.ctrl("r")).isEmpty)
    #expect(state.message?.text == "nothing to redo")
  }

  @Test("undo takes back only the fields it changed: another quire's tag on the same paper stays, and is not undoable")
  func undoKeepsOtherChanges() {
    var state = makeState()
    let paper = state.selectedPaper!.id
    state.press(.char("r"))
    _ = Reader.update(&state, .saveFinished(error: nil))
    _ = Reader.update(&state, .changedElsewhere([paper: PaperState(status: .read, tags: ["from-laptop"])]))
    state.press(.char("u"))
    #expect(state.reading[paper].unstamped == PaperState(status: .unread, tags: ["from-laptop"]))
    state.press(.char("u"))
    #expect(state.message?.text == "nothing to undo")
    #expect(state.reading[paper].tags == ["from-laptop"])
  }

  @Test("undoing a change to one paper selects that paper again")
  func undoSelectsThePaper() {
    var state = makeState()
    let paper = state.selectedPaper!.id
    state.press(.char("r"), .char("j"), .char("j"), .char("j"))
    #expect(state.selected == 3)
    state.press(.char("u"))
    #expect(state.selectedPaper?.id == paper)
  }

  @Test("history is as long as the session: fifty changes, fifty undos")
  func longHistory() {
    var state = makeState()
    for _ in 0..<50 { state.press(.char("r")) }
    #expect(state.history.done.count == 50)
    for _ in 0..<50 { state.press(.char("u")) }
    #expect(state.reading.papers.values.allSatisfy { $0.unstamped.isUntouched })
    #expect(state.press(.char("u")).isEmpty)
  }
}

@Suite("Marks and bulk actions")
struct MarkTests {
  @Test("m marks the paper and moves down; the list shows * and counts the marks")
  func markOne() {
    var state = makeState()
    let first = state.selectedPaper!.id
    #expect(state.press(.char("m")).isEmpty)
    #expect(state.marks == [first])
    #expect(state.selected == 1)
    #expect(state.message?.text == "1 marked · r reads them · t tags them · Esc unmarks")
    let lines = Renderer.render(state).lines
    #expect(lines[1].contains("Papers · 1 marked"))
    #expect(lines[2].hasPrefix("│ *●"))
    #expect(lines[3].hasPrefix("│▸ ●"))
    // Again on the same paper: unmarked.
    state.press(.char("k"), .char("m"))
    #expect(state.marks.isEmpty)
    #expect(!Renderer.render(state).lines[2].contains("*"))
  }

  @Test("r with papers marked reads them all, then unreads them all; one undo each")
  func bulkRead() {
    var state = makeState()
    state.press(.char("m"), .char("j"), .char("m"))  // papers 0 and 2
    state.press(.char("g"))
    #expect(state.press(.char("r")) == [.save])
    #expect(state.message?.text == "marked 2 papers read")
    #expect(state.unreadCount == 11)
    #expect(state.reading[state.library[1].id].status == .unread)
    state.press(.char("r"))
    #expect(state.message?.text == "marked 2 papers unread")
    #expect(state.unreadCount == 13)
    state.press(.char("u"))
    #expect(state.unreadCount == 11)
    #expect(state.message?.text == "undone: marked 2 papers unread · C-r redoes")
  }

  @Test("M marks every paper shown, M again unmarks them, Esc unmarks all")
  func markShown() {
    var state = makeState()
    state.press(.char("f"))
    state.type("year:2016")
    state.press(.enter)
    let shown = Set(state.shown.map { state.library[$0].id })
    #expect(shown.count > 1 && shown.count < 13)
    state.press(.char("M"))
    #expect(state.marks == shown)
    state.press(.char("M"))
    #expect(state.marks.isEmpty)
    state.press(.char("M"), .char("F"))
    #expect(state.marks == shown)  // marks outlive the filter
    state.press(.escape)
    #expect(state.marks.isEmpty)
    #expect(state.message?.text == "unmarked \(shown.count) papers")
  }

  @Test("marked papers filtered out of sight are still acted on")
  func marksBeyondTheFilter() {
    var state = makeState()
    state.press(.char("m"), .char("m"))
    let marked = state.marks
    state.press(.char("/"))
    state.type("zzzz-nothing")
    state.press(.enter)
    #expect(state.shown.isEmpty)
    state.press(.char("r"))
    #expect(marked.allSatisfy { state.reading[$0].status == .read })
  }

  @Test("t with papers marked adds and removes a tag on all of them; chips count the carriers")
  func bulkTags() throws {
    var state = makeState()
    let first = state.selectedPaper!.id
    state.press(.char("t"))
    state.type("old")
    state.press(.enter, .escape)
    state.press(.char("m"), .char("m"), .char("m"))
    let marked = state.marks
    #expect(marked.count == 3)
    state.press(.char("t"))
    guard case .tagEditor(let editor) = state.overlay else {
      Issue.record("no tag editor")
      return
    }
    #expect(editor.bulk?.papers.count == 3)
    var screen = Renderer.render(state).lines.joined(separator: "\n")
    #expect(screen.contains("Tags of 3 marked papers"))
    #expect(screen.contains("old 1/3 ×"))
    state.type("gan")
    #expect(state.press(.enter) == [.save])
    #expect(state.message?.text == "tagged 3 papers 'gan'")
    #expect(marked.allSatisfy { state.reading[$0].tags.contains("gan") })
    screen = Renderer.render(state).lines.joined(separator: "\n")
    #expect(screen.contains("gan 3/3 ×"))
    state.type("-old")
    state.press(.enter)
    #expect(state.reading[first].tags == ["gan"])
    #expect(state.message?.text == "removed tag 'old' from 1 paper")
    // Backspace on an empty line picks the last chip; again removes it from all.
    state.press(.backspace)
    #expect(state.press(.backspace) == [.save])
    #expect(marked.allSatisfy { state.reading[$0].tags.isEmpty })
    state.press(.escape, .char("u"))
    #expect(marked.allSatisfy { state.reading[$0].tags == ["gan"] })
    #expect(state.message?.text == "undone: removed tag 'gan' from 3 papers · C-r redoes")
  }
}

@Suite("A title of the reader's own")
struct TitleTests {
  func untitled(_ state: inout AppState) throws -> PaperID {
    let position = try #require(state.shown.firstIndex { !state.library[$0].hasTitle })
    state.select(position)
    return state.selectedPaper!.id
  }

  @Test("T gives an untitled paper a title; undo takes it back; an empty line removes it")
  func titleUntitled() throws {
    var state = makeState()
    let paper = try untitled(&state)
    state.press(.char("T"))
    guard case .title(let prompt) = state.overlay else {
      Issue.record("no title prompt")
      return
    }
    #expect(prompt.input.text.isEmpty)
    state.type("A  paper   without a title ")
    #expect(Renderer.render(state).lines.last?.hasPrefix(" title: A  paper   without a title") == true)
    #expect(state.press(.enter) == [.save])
    #expect(state.reading[paper].title == "A paper without a title")
    #expect(state.message?.text == "titled 'A paper without a title'")
    state.press(.char("T"))
    guard case .title(let again) = state.overlay else {
      Issue.record("no title prompt")
      return
    }
    #expect(again.input.text == "A paper without a title")
    state.press(.ctrl("u"), .enter)
    #expect(state.reading[paper].title == nil)
    #expect(state.message?.text == "title removed: the paper is untitled again")
    state.press(.char("u"))
    #expect(state.reading[paper].title == "A paper without a title")
  }

  @Test("a titled paper's title can be mended; typing the listing's title back takes the override away")
  func titleMended() throws {
    var state = makeState()
    state.select(try #require(state.shown.firstIndex { state.library[$0].hasTitle }))
    let paper = state.selectedPaper!
    let listed = try #require(paper.title)
    state.press(.char("T"))
    state.type(" (mended)")
    state.press(.enter)
    #expect(state.reading[paper.id].title == listed + " (mended)")
    state.press(.char("T"))
    for _ in 0..<" (mended)".count { state.press(.backspace) }
    state.press(.enter)
    #expect(state.reading[paper.id].title == nil)
    #expect(state.message?.text == "title back to the listing's")
  }

  @Test("Esc leaves the title as it was; letters type themselves in the title line")
  func titleCancelled() {
    var state = makeState()
    let paper = state.selectedPaper!.id
    state.press(.char("T"))
    state.type("qu")
    #expect(state.overlay != nil)
    #expect(state.press(.escape).isEmpty)
    #expect(state.overlay == nil)
    #expect(state.reading[paper].title == nil)
    #expect(state.message?.text == "title unchanged")
  }
}
