import Foundation

/// A search over the library, parsed from the query language:
///
///     tag:gan (author:arora or author:ma) year:>=2016 -is:read "neural net"
///
/// Words must all match (in title, authors, abstract, venue or tags) unless joined by
/// `or`; `-` or `not` negates; parentheses group; `field:value` looks in one field;
/// `year:`, `added:` and `is:` test the year, the date added and the status.
public indirect enum Query: Equatable, Sendable {
  case everything
  case text(String, Field?)
  case year(ClosedRange<Int>)
  /// Added between two moments, in seconds since 1970 (`added:<7d` is resolved against the
  /// time the query was parsed).
  case added(ClosedRange<Double>)
  case status(ReadStatus)
  /// The papers the last fetch brought (`is:new`) or brought a new version of
  /// (`is:updated`), resolved when the query was parsed.
  case fetched(Set<PaperID>)
  case not(Query)
  case and([Query])
  case or([Query])

  public enum Field: String, CaseIterable, Sendable {
    case title, author, venue, tag, abstract, note, id, doi, arxiv
  }
}

/// Where a query goes wrong: the column (from 1) and what was expected there.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
  public var column: Int
  public var message: String
  public var description: String { "column \(column): \(message)" }
}

extension Query {
  /// `now` is the moment relative dates (`added:<7d`) count back from; `fetched`, the
  /// papers `is:new` and `is:updated` stand for.
  public static func parse(_ text: String, now: Date = Date(), fetched: FetchedPapers = .none) throws(QueryError) -> Query {
    var parser = QueryParser(tokens: try QueryLexer.tokens(text), length: text.count, now: now, fetched: fetched)
    return try parser.parseQuery()
  }
}

struct QueryToken: Equatable {
  enum Kind: Equatable { case word, phrase, open, close, minus }
  var kind: Kind
  var text: String
  var column: Int
}

enum QueryLexer {
  static func tokens(_ text: String) throws(QueryError) -> [QueryToken] {
    var tokens: [QueryToken] = []
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      let column = index + 1
      if character.isWhitespace {
        index += 1
        continue
      }
      if character == "(" || character == ")" {
        tokens.append(QueryToken(kind: character == "(" ? .open : .close, text: String(character), column: column))
        index += 1
        continue
      }
      if character == "-", index + 1 < characters.count, !characters[index + 1].isWhitespace,
        tokens.last.map({ $0.column + $0.text.count < column }) ?? true
      {
        tokens.append(QueryToken(kind: .minus, text: "-", column: column))
        index += 1
        continue
      }
      if character == "-", index + 1 == characters.count || characters[index + 1].isWhitespace {
        throw QueryError(column: column, message: "expected a term after '-'")
      }
      if character == "\"" {
        guard let end = characters[(index + 1)...].firstIndex(of: "\"") else {
          throw QueryError(column: column, message: "expected a closing \" for this phrase")
        }
        if end == index + 1 { throw QueryError(column: column, message: "expected words between the quotes") }
        tokens.append(QueryToken(kind: .phrase, text: String(characters[(index + 1)..<end]), column: column))
        index = end + 1
        continue
      }
      // A word runs to white space or a parenthesis; `field:"a phrase"` keeps its quotes.
      var word = ""
      while index < characters.count, !characters[index].isWhitespace, characters[index] != "(", characters[index] != ")" {
        if characters[index] == "\"", word.hasSuffix(":") {
          guard let end = characters[(index + 1)...].firstIndex(of: "\"") else {
            throw QueryError(column: index + 1, message: "expected a closing \" for this phrase")
          }
          word += String(characters[(index + 1)..<end])
          index = end + 1
          break
        }
        word.append(characters[index])
        index += 1
      }
      tokens.append(QueryToken(kind: .word, text: word, column: column))
    }
    return tokens
  }
}

struct QueryParser {
  let tokens: [QueryToken]
  let length: Int
  let now: Date
  var fetched = FetchedPapers.none
  var position = 0

  var current: QueryToken? { position < tokens.count ? tokens[position] : nil }
  var endColumn: Int { length + 1 }

  mutating func parseQuery() throws(QueryError) -> Query {
    if tokens.isEmpty { return .everything }
    let query = try parseOr()
    if let extra = current {
      throw QueryError(column: extra.column, message: extra.kind == .close ? "unexpected ')': no '(' to close" : "unexpected '\(extra.text)'")
    }
    return query
  }

  mutating func parseOr() throws(QueryError) -> Query {
    var parts = [try parseAnd()]
    while let token = current, token.kind == .word, token.text.lowercased() == "or" {
      position += 1
      guard current != nil, current?.kind != .close else {
        throw QueryError(column: current?.column ?? endColumn, message: "expected a term after 'or'")
      }
      parts.append(try parseAnd())
    }
    return parts.count == 1 ? parts[0] : .or(parts)
  }

  mutating func parseAnd() throws(QueryError) -> Query {
    var parts: [Query] = []
    while let token = current, token.kind != .close, !(token.kind == .word && token.text.lowercased() == "or") {
      // `and` may be written out; it is what two terms side by side mean anyway.
      if token.kind == .word && token.text.lowercased() == "and" {
        position += 1
        guard !parts.isEmpty, let next = current, next.kind != .close,
          !(next.kind == .word && ["and", "or"].contains(next.text.lowercased()))
        else {
          throw QueryError(column: parts.isEmpty ? token.column : current?.column ?? endColumn, message: "expected a term \(parts.isEmpty ? "before" : "after") 'and'")
        }
        continue
      }
      parts.append(try parseUnary())
    }
    guard !parts.isEmpty else {
      throw QueryError(column: current?.column ?? endColumn, message: "expected a search term")
    }
    return parts.count == 1 ? parts[0] : .and(parts)
  }

  mutating func parseUnary() throws(QueryError) -> Query {
    guard let token = current else { throw QueryError(column: endColumn, message: "expected a search term") }
    if token.kind == .minus || (token.kind == .word && token.text.lowercased() == "not") {
      position += 1
      guard current != nil else { throw QueryError(column: endColumn, message: "expected a term after '\(token.text)'") }
      return .not(try parseUnary())
    }
    return try parsePrimary()
  }

  mutating func parsePrimary() throws(QueryError) -> Query {
    guard let token = current else { throw QueryError(column: endColumn, message: "expected a search term") }
    position += 1
    switch token.kind {
    case .open:
      let inner = try parseOr()
      guard current?.kind == .close else {
        throw QueryError(column: current?.column ?? endColumn, message: "expected ')' to close the '(' at column \(token.column)")
      }
      position += 1
      return inner
    case .close:
      throw QueryError(column: token.column, message: "unexpected ')'")
    case .phrase:
      return .text(token.text, nil)
    case .minus:
      throw QueryError(column: token.column, message: "expected a term after '-'")
    case .word:
      return try term(token)
    }
  }

  func term(_ token: QueryToken) throws(QueryError) -> Query {
    guard let colon = token.text.firstIndex(of: ":"), colon != token.text.startIndex else {
      return .text(token.text, nil)
    }
    let name = token.text[..<colon].lowercased()
    let value = String(token.text[token.text.index(after: colon)...])
    let valueColumn = token.column + name.count + 1
    guard !value.isEmpty else { throw QueryError(column: valueColumn, message: "expected a value after '\(name):'") }
    switch name {
    case "year":
      return .year(try Self.years(value, column: valueColumn))
    case "added":
      return .added(try Self.added(value, column: valueColumn, now: now.timeIntervalSince1970))
    case "is":
      switch value.lowercased() {
      case "read": return .status(.read)
      case "unread": return .status(.unread)
      case "new": return .fetched(fetched.new)
      case "updated": return .fetched(fetched.updated)
      default: throw QueryError(column: valueColumn, message: "expected 'is:read', 'is:unread', 'is:new' or 'is:updated'")
      }
    default:
      guard let field = Query.Field(rawValue: name) else {
        let known = (Query.Field.allCases.map(\.rawValue) + ["year", "added", "is"]).joined(separator: ", ")
        throw QueryError(column: token.column, message: "unknown field '\(name)'; expected one of: \(known)")
      }
      return .text(value, field)
    }
  }

  /// `2016`, `>=2015`, `>2015`, `<=2017`, `<2017`, `2014..2017`.
  static func years(_ value: String, column: Int) throws(QueryError) -> ClosedRange<Int> {
    func number(_ text: Substring, at offset: Int) throws(QueryError) -> Int {
      guard let year = Int(text), (0...9999).contains(year) else {
        throw QueryError(column: column + offset, message: "expected a year such as 2016, >=2015 or 2014..2017")
      }
      return year
    }
    if let range = value.range(of: "..") {
      let low = try number(value[..<range.lowerBound], at: 0)
      let high = try number(value[range.upperBound...], at: value.distance(from: value.startIndex, to: range.upperBound))
      guard low <= high else { throw QueryError(column: column, message: "expected the earlier year first, as in 2014..2017") }
      return low...high
    }
    for (prefix, make) in [(">=", { (y: Int) in y...9999 }), ("<=", { (y: Int) in 0...y }), (">", { (y: Int) in (y + 1)...9999 }), ("<", { (y: Int) in 0...max(0, y - 1) })] {
      if value.hasPrefix(prefix) {
        return make(try number(value.dropFirst(prefix.count), at: prefix.count))
      }
    }
    let year = try number(Substring(value), at: 0)
    return year...year
  }
}

extension QueryParser {
  /// `added:<7d` (within the last 7 days), `added:>2w` (longer ago), `added:2026-11-01`
  /// (that day, UTC), `added:>=2026-11-01`, `added:2026-11-01..2026-11-29`. Units: h, d,
  /// w, m (30 days), y (365 days).
  static func added(_ value: String, column: Int, now: Double) throws(QueryError) -> ClosedRange<Double> {
    let expected = "expected an age such as <7d or >2w, or a date such as 2026-11-01 or 2026-11-01..2026-11-29"
    let endOfTime = Double(PublishedDate.daysSinceEpoch(year: 10_000, month: 1, day: 1)) * 86_400
    /// The first and last second of a day, or the moment an age points at.
    func moment(_ text: Substring, at offset: Int) throws(QueryError) -> (start: Double, end: Double, isAge: Bool) {
      if let unit = text.last?.lowercased().first, let count = Int(text.dropLast()), count >= 0, count < 100_000 {
        let seconds: Double? =
          switch unit {
          case "h": 3600
          case "d": 86_400
          case "w": 7 * 86_400
          case "m": 30 * 86_400
          case "y": 365 * 86_400
          default: nil
          }
        if let seconds {
          let point = now - Double(count) * seconds
          return (point, point, true)
        }
      }
      guard text.count == 10, let day = Timestamp.parse(String(text)) else {
        throw QueryError(column: column + offset, message: expected)
      }
      let start = day.timeIntervalSince1970
      return (start, start + 86_399.999, false)
    }
    if let range = value.range(of: "..") {
      let low = try moment(value[..<range.lowerBound], at: 0)
      let high = try moment(value[range.upperBound...], at: value.distance(from: value.startIndex, to: range.upperBound))
      // Ages count backwards: 30d..7d is from 30 days ago to 7 days ago.
      let lower = min(low.start, high.start)
      let upper = max(low.end, high.end)
      guard low.isAge == high.isAge, low.isAge || low.start <= high.start else {
        throw QueryError(column: column, message: "expected the earlier date first, as in 2026-11-01..2026-11-29")
      }
      return lower...upper
    }
    // A moment past the end of time (`>=20269-01-01`, `>99999y`) makes a range that finds
    // nothing, rather than one whose bounds are the wrong way round, which traps.
    func span(_ lower: Double, _ upper: Double) -> ClosedRange<Double> { lower...max(lower, upper) }
    for op in [">=", "<=", ">", "<"] where value.hasPrefix(op) {
      let point = try moment(value.dropFirst(op.count), at: op.count)
      if point.isAge {
        // An age: "<7d" is newer than 7 days ago, ">7d" older.
        return op.hasPrefix("<") ? span(point.start, endOfTime) : span(-endOfTime, point.start)
      }
      switch op {
      case ">=": return span(point.start, endOfTime)
      case ">": return span(point.end + 0.001, endOfTime)
      case "<=": return span(-endOfTime, point.end)
      default: return span(-endOfTime, point.start - 0.001)
      }
    }
    let point = try moment(Substring(value), at: 0)
    return point.isAge ? span(point.start, endOfTime) : point.start...point.end
  }
}

extension Query {
  /// Whether a paper matches. Text matches ignore case and accents ("Erdos" finds
  /// "Erdős") and look for the words inside the field.
  public func matches(_ paper: Paper, _ state: PaperState) -> Bool {
    switch self {
    case .everything: return true
    case .status(let status): return state.status == status
    case .fetched(let papers): return papers.contains(paper.id)
    case .year(let range): return paper.year.map(range.contains) ?? false
    case .added(let range): return paper.added.map { range.contains($0.timeIntervalSince1970) } ?? false
    case .not(let inner): return !inner.matches(paper, state)
    case .and(let parts): return parts.allSatisfy { $0.matches(paper, state) }
    case .or(let parts): return parts.contains { $0.matches(paper, state) }
    case .text(let text, let field):
      let needle = TextNormalizer.key(text)
      if needle.isEmpty { return true }
      func has(_ haystack: String?) -> Bool {
        guard let haystack else { return false }
        return TextNormalizer.key(haystack).contains(needle)
      }
      switch field {
      case .title: return has(paper.title) || has(state.title)
      case .author: return paper.authors.contains(where: has)
      case .venue: return has(paper.venue)
      case .tag: return state.tags.contains { TextNormalizer.key($0) == needle }
      case .abstract: return has(paper.abstract)
      case .note: return has(state.note)
      case .id: return paper.id.rawValue.hasPrefix(text.lowercased())
      case .doi: return has(paper.doi)
      case .arxiv: return has(paper.arxiv)
      case nil:
        return has(paper.title) || paper.authors.contains(where: has) || has(paper.venue) || has(paper.abstract)
          || state.tags.contains(where: has) || has(state.note) || has(state.title)
      }
    }
  }
}

extension Query {
  /// True when every paper this query matches is also matched by `previous`, seen from
  /// the shape of the two queries: the same terms in the same order, each the same or
  /// more demanding (a longer word), possibly with more terms after them. This is what
  /// typing one more character into a search does, so the next search only has to look
  /// at the papers the last one found. False when unsure.
  public func narrows(_ previous: Query) -> Bool {
    if self == previous { return true }
    switch (self, previous) {
    case (.and(let mine), .and(let theirs)):
      guard mine.count >= theirs.count else { return false }
      return zip(mine, theirs).allSatisfy { $0.narrows($1) }
    case (.and(let mine), _):
      return mine.first?.narrows(previous) ?? false
    case (.text(let mine, let field), .text(let theirs, let theirField)):
      guard field == theirField else { return false }
      switch field {
      case .tag: return false  // tags match whole: "ga" and "gan" find different papers
      case .id: return mine.lowercased().hasPrefix(theirs.lowercased())
      default:
        let longer = TextNormalizer.key(mine)
        let shorter = TextNormalizer.key(theirs)
        return shorter.isEmpty || longer.contains(shorter)
      }
    default:
      return false
    }
  }

  /// The folded words and phrases worth marking where they appear: text the query looks
  /// for, outside any negation.
  public var highlightTerms: [String] {
    var terms: [String] = []
    func collect(_ query: Query) {
      switch query {
      case .text(let text, let field):
        guard field == nil || [.title, .author, .venue, .abstract, .note].contains(field!) else { return }
        let key = TextNormalizer.key(text)
        if !key.isEmpty && !terms.contains(key) { terms.append(key) }
      case .and(let parts), .or(let parts): parts.forEach(collect)
      default: return
      }
    }
    collect(self)
    return terms
  }
}
