import Foundation

extension Paper {
  /// The paper as the reader sees and finds it: with the title they gave it, when they gave
  /// one. The id stays the listing's, so the override never changes which paper it is.
  public func titled(by state: PaperState) -> Paper {
    guard let title = state.title else { return self }
    var paper = self
    paper.title = title
    return paper
  }
}
