import QuireModel
import QuireUI

/// The effects that lend the terminal to another program or write to it directly.
extension ReaderSession {
  /// The note edited with the terminal lent to the editor; what came back, as messages.
  /// The size first: the terminal may have been resized while the editor had it.
  func editNote(_ id: PaperID, current: String?) -> [Message] {
    let (outcome, size) = terminal.handOver { ExternalEditor(environment: environment).edit(current, of: id) }
    switch outcome {
    case .edited(let after): return [.resize(size), .noteEdited(id, before: current, after: after)]
    case .failed(let reason): return [.resize(size), .problem(reason)]
    }
  }

  func openLink(_ url: String) -> [Message] {
    let (problem, size) = terminal.handOver { ExternalBrowser(environment: environment).open(url) }
    return [.resize(size)] + (problem.map { [.problem($0)] } ?? [])
  }

  func copyToClipboard(_ text: String) -> [Message] {
    terminal.copyToClipboard(text) ? [] : [.problem("the link was not copied: the terminal could not be written to, or the link is not safe to paste")]
  }
}
