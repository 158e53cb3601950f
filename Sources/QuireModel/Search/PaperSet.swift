/// A set of papers, by their index in the library: one bit per paper, so that the sets a
/// search combines (and, or, not) cost a few thousand word operations, not hashing.
///
/// Every set has a capacity (the library's size); members are `0..<capacity`. Bits past
/// the capacity in the last word are always zero, so equal sets have equal words.
public struct PaperSet: Sendable, Equatable, Sequence {
  /// How many papers the set can hold: members are `0..<capacity`.
  public let capacity: Int
  private(set) var words: [UInt64]

  /// An empty set, or with `full`, every paper in `0..<capacity`.
  public init(capacity: Int, full: Bool = false) {
    precondition(capacity >= 0, "a paper set cannot have a negative capacity")
    self.capacity = capacity
    self.words = Array(repeating: full ? ~0 : 0, count: (capacity + 63) / 64)
    if full { clearTail() }
  }

  /// The set whose words (64 members each, the first in the lowest bit) are these; nil
  /// when they are too few or too many for the capacity, or set bits past it.
  init?(capacity: Int, words: some Collection<UInt64>) {
    guard capacity >= 0, words.count == capacity / 64 + (capacity % 64 == 0 ? 0 : 1) else { return nil }
    self.capacity = capacity
    self.words = Array(words)
    let used = capacity & 63
    if used != 0, self.words[self.words.count - 1] >> UInt64(used) != 0 { return nil }
  }

  /// The set of the given members.
  public init(capacity: Int, members: some Sequence<Int>) {
    self.init(capacity: capacity)
    for member in members { insert(member) }
  }

  public func contains(_ member: Int) -> Bool {
    guard member >= 0, member < capacity else { return false }
    return words[member >> 6] & (1 << UInt64(member & 63)) != 0
  }

  public mutating func insert(_ member: Int) {
    precondition(member >= 0 && member < capacity, "paper \(member) is outside 0..<\(capacity)")
    words[member >> 6] |= 1 << UInt64(member & 63)
  }

  public mutating func remove(_ member: Int) {
    guard member >= 0, member < capacity else { return }
    words[member >> 6] &= ~(1 << UInt64(member & 63))
  }

  /// The number of members.
  public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

  public mutating func formIntersection(_ other: PaperSet) {
    combine(with: other) { $0 & $1 }
  }

  public mutating func formUnion(_ other: PaperSet) {
    combine(with: other) { $0 | $1 }
  }

  /// Removes the members of `other`.
  public mutating func subtract(_ other: PaperSet) {
    combine(with: other) { $0 & ~$1 }
  }

  public func intersection(_ other: PaperSet) -> PaperSet {
    var result = self
    result.formIntersection(other)
    return result
  }

  public func union(_ other: PaperSet) -> PaperSet {
    var result = self
    result.formUnion(other)
    return result
  }

  public func subtracting(_ other: PaperSet) -> PaperSet {
    var result = self
    result.subtract(other)
    return result
  }

  /// Every paper in `0..<capacity` that is not a member.
  public var complement: PaperSet {
    var result = self
    result.invert()
    return result
  }

  /// Makes the set its complement within `0..<capacity`.
  public mutating func invert() {
    for index in words.indices { words[index] = ~words[index] }
    clearTail()
  }

  /// The first member at or after `start`, if any.
  public func firstMember(from start: Int) -> Int? {
    var index = Swift.max(start, 0)
    guard index < capacity else { return nil }
    var wordIndex = index >> 6
    var word = words[wordIndex] & (~0 << UInt64(index & 63))
    while word == 0 {
      wordIndex += 1
      guard wordIndex < words.count else { return nil }
      word = words[wordIndex]
    }
    index = wordIndex << 6 + word.trailingZeroBitCount
    return index
  }

  /// The first index at or after `start` that is not a member (`capacity` when none is).
  public func firstNonMember(from start: Int) -> Int {
    var index = Swift.max(start, 0)
    guard index < capacity else { return capacity }
    var wordIndex = index >> 6
    var word = ~words[wordIndex] & (~0 << UInt64(index & 63))
    while word == 0 {
      wordIndex += 1
      guard wordIndex < words.count else { return capacity }
      word = ~words[wordIndex]
    }
    index = wordIndex << 6 + word.trailingZeroBitCount
    return Swift.min(index, capacity)
  }

  /// The members in ascending order.
  public func makeIterator() -> Iterator { Iterator(words: words) }

  public var underestimatedCount: Int { count }

  public struct Iterator: IteratorProtocol {
    let words: [UInt64]
    var wordIndex = 0
    var word: UInt64

    init(words: [UInt64]) {
      self.words = words
      self.word = words.first ?? 0
    }

    public mutating func next() -> Int? {
      while word == 0 {
        wordIndex += 1
        guard wordIndex < words.count else { return nil }
        word = words[wordIndex]
      }
      let bit = word.trailingZeroBitCount
      word &= word - 1
      return wordIndex << 6 + bit
    }
  }

  private mutating func combine(with other: PaperSet, _ operation: (UInt64, UInt64) -> UInt64) {
    precondition(capacity == other.capacity, "paper sets of different capacities (\(capacity), \(other.capacity))")
    words.withUnsafeMutableBufferPointer { mine in
      other.words.withUnsafeBufferPointer { theirs in
        for index in mine.indices { mine[index] = operation(mine[index], theirs[index]) }
      }
    }
  }

  /// Zeroes the bits past the capacity in the last word, which keeps equality exact.
  private mutating func clearTail() {
    let used = capacity & 63
    if used != 0 { words[words.count - 1] &= (1 << UInt64(used)) - 1 }
  }
}

extension PaperSet: CustomStringConvertible {
  public var description: String { "PaperSet(\(capacity): \(Array(self)))" }
}
