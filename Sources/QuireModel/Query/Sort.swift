/// What the paper list is ordered by.
public enum SortKey: String, CaseIterable, Sendable {
  /// The order the files list the papers in: the built-in list, then imports as they came.
  case listed
  case published
  case year
  case title
  /// The first author's family name.
  case author
  /// Unread before read.
  case status
  case added

  /// Words for the status line and help: "year", "first author".
  public var label: String {
    switch self {
    case .listed: return "as listed"
    case .author: return "first author"
    case .added: return "date added"
    case .published: return "published"
    default: return rawValue
    }
  }
}

/// A sort key and a direction. Written `year`, `year:desc` (or `-year`), `title:asc`.
public struct Sorting: Equatable, Sendable, CustomStringConvertible {
  public var key: SortKey
  public var descending: Bool

  public init(_ key: SortKey = .listed, descending: Bool = false) {
    self.key = key
    self.descending = descending
  }

  public static let listed = Sorting()

  public init?(parsing text: String) {
    var name = Substring(text.lowercased())
    var descending = false
    if name.hasPrefix("-") {
      descending = true
      name = name.dropFirst()
    }
    if let colon = name.firstIndex(of: ":") {
      switch name[name.index(after: colon)...] {
      case "desc", "descending": descending = true
      case "asc", "ascending": descending = false
      default: return nil
      }
      name = name[..<colon]
    }
    guard let key = SortKey(rawValue: String(name)) else { return nil }
    self.init(key, descending: descending)
  }

  /// `year:desc`, `title`: what `init(parsing:)` reads back.
  public var description: String { key.rawValue + (descending ? ":desc" : "") }

  /// "year ↓", for the status line.
  public var label: String {
    key == .listed ? (descending ? "as listed, reversed" : "as listed") : key.label + (descending ? " ↓" : " ↑")
  }

  /// The next key in the cycle, keeping the direction.
  public var nextKey: Sorting {
    let all = SortKey.allCases
    let next = all[(all.firstIndex(of: key)! + 1) % all.count]
    return Sorting(next, descending: descending)
  }
}

extension Library {
  /// Library indices in the given order. Papers that lack the value sorted on (no year, no
  /// author) come last in either direction; ties keep the order listed, so the result is
  /// the same on every run.
  public func indices(sortedBy order: Sorting, reading: ReadingState) -> [Int] {
    let all = Array(0..<count)
    if order.key == .listed { return order.descending ? all.reversed() : all }
    // Every paper is looked at: decode a stored library's papers once, on all cores.
    let papers = self.papers
    switch order.key {
    case .listed:
      return order.descending ? all.reversed() : all
    case .year:
      return Self.sort(all, descending: order.descending) { papers[$0].year }
    case .published:
      return Self.sort(all, descending: order.descending) { papers[$0].published.map { $0.year * 10_000 + $0.month * 100 + $0.day } }
    case .added:
      return Self.sort(all, descending: order.descending) { papers[$0].added }
    case .title:
      var keys = papers.map { TextNormalizer.key($0.compactLabel) }
      // Sorted by the title the reader sees: theirs, where they gave one.
      for (id, entry) in reading.papers {
        if let title = entry.title, let index = index(of: id) { keys[index] = TextNormalizer.key(title) }
      }
      return Self.sort(all, descending: order.descending) { keys[$0].isEmpty ? nil : keys[$0] }
    case .author:
      let keys = papers.map { paper in paper.familyNames.first.map(TextNormalizer.key) }
      return Self.sort(all, descending: order.descending) { keys[$0].flatMap { $0.isEmpty ? nil : $0 } }
    case .status:
      // Only touched papers can be read: mark those, rather than look every paper up.
      var read = [Bool](repeating: false, count: count)
      for (id, entry) in reading.papers where entry.status == .read {
        if let index = index(of: id) { read[index] = true }
      }
      return Self.sort(all, descending: order.descending) { read[$0] ? 1 : 0 }
    }
  }

  private static func sort<Value: Comparable>(_ indices: [Int], descending: Bool, by value: (Int) -> Value?) -> [Int] {
    let keyed = indices.map { (value($0), $0) }
    return keyed.sorted { a, b in
      switch (a.0, b.0) {
      case let (x?, y?) where x != y: return descending ? x > y : x < y
      case (nil, _?): return false
      case (_?, nil): return true
      default: return a.1 < b.1
      }
    }.map(\.1)
  }
}
