/// A line of text whose parts are drawn in different roles: a label dimmed, a bar in the
/// colour of read papers. Plain text (`quire stats`) takes the parts' text alone.
public struct StyledLine: Equatable, Sendable {
  public struct Span: Equatable, Sendable {
    public var text: String
    public var role: Role
  }

  public private(set) var spans: [Span] = []

  public init() {}

  public init(_ text: String, _ role: Role = .normal) { add(text, role) }

  public mutating func add(_ text: String, _ role: Role = .normal) {
    guard !text.isEmpty else { return }
    spans.append(Span(text: text, role: role))
  }

  public var text: String { spans.map(\.text).joined() }
}
