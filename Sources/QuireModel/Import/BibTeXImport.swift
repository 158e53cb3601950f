import Foundation

/// A BibTeX file read into listings on all cores. The text is cut into parts just before
/// entries that start a line, and each part is read and converted on its own. A reader
/// that starts an entry reads it to its end, as reading the whole text would, so where an
/// entry runs on past its part (BibTeX's reader stops an unclosed brace or quote before an
/// entry that starts a line, but a few other mistakes run on), the next part is read
/// again from where that entry ended. An `@string` macro, which later entries may use,
/// makes every part depend on the text before it: such files are read in one piece.
enum BibTeXImport {
  struct Result: Sendable {
    var listings: [Listing]
    var diagnostics: [Diagnostic]
    /// The reading state each entry carried, when the file is quire's own export.
    var states: [PaperState]?
  }

  /// Parts of about this many bytes: a few per core for a large file, none for a small one.
  static let partSize = 4 << 20

  /// The listings of the BibTeX these bytes hold, or nil when they are not valid UTF-8.
  /// `progress` hears the share done, from 0 to 1, and the entries read so far.
  static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, file: String, partSize: Int = partSize, progress: ((Double, Int) -> Void)?
  ) -> Result? {
    let parts = self.parts(of: bytes, size: partSize)
    // Cut before an ASCII byte, the text is valid UTF-8 exactly when every part is.
    let text = SharedBytes(buffer: bytes)
    var valid = true
    Parallel.forEachRound(of: parts, smallestShare: 1) { range in
      UTF8Text.isValid(UnsafeBufferPointer(rebasing: text.buffer[range]))
    } collect: { round in
      valid = valid && !round.contains(false)
    }
    guard valid else { return nil }
    let lines = BibTeXParser.LineStarts(bytes)
    if parts.count > 1, !mayDefineMacros(bytes),
      let result = readInParts(bytes, parts: parts, lines: lines, file: file, progress: progress)
    {
      return result
    }
    var reader = BibTeXParser.Reader(bytes: bytes, lines: lines, file: file)
    // Reading the entries is the first half of the work, turning their TeX into text the second.
    let parsed = reader.run(progress: progress.map { report in { report($0 / 2, $1) } })
    let count = parsed.entries.count
    let halfway = progress.map { report in { (done: Int) in report(0.5 + Double(done) / Double(2 * count), count) } }
    let converted = Parallel.map(parsed.entries, progress: halfway) { Converted($0, file: file) }
    return result(converted, diagnostics: parsed.diagnostics)
  }

  /// An entry as a listing, with the reading state it carries.
  struct Converted: Sendable {
    var listing: Listing
    var state: PaperState
    /// Whether the entry came from quire's own export, which carries status and tags.
    var isOurs: Bool

    init(_ entry: BibTeXEntry, file: String) {
      listing = entry.listing(file: file)
      state = entry.carriedState
      isOurs = entry["quire-status"] != nil
    }
  }

  static func result(_ converted: [Converted], diagnostics: [Diagnostic]) -> Result {
    // quire's own BibTeX export carries status and tags; other BibTeX's keywords are
    // the authors', not the reader's, and are left alone.
    let ours = converted.contains { $0.isOurs }
    return Result(listings: converted.map(\.listing), diagnostics: diagnostics, states: ours ? converted.map(\.state) : nil)
  }

  /// Entries read from one place to another, converted.
  struct Stretch: Sendable {
    var converted: [Converted]
    var diagnostics: [Diagnostic]
    /// Where the entry after the last one read starts; nil at the end of the text.
    var next: Int?
    var metMacroDefinition: Bool

    /// The entries that start from `start` (where an entry may start) up to `stop`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, stop: Int, lines: BibTeXParser.LineStarts, file: String) {
      var reader = BibTeXParser.Reader(bytes: bytes, from: start, stop: stop, lines: lines, file: file)
      let parsed = reader.run()
      converted = parsed.entries.map { Converted($0, file: file) }
      diagnostics = parsed.diagnostics
      next = reader.next
      metMacroDefinition = reader.metMacroDefinition
    }
  }

  /// The parts read on all cores and joined as the whole text reads, or nil when an
  /// `@string` turns up after all. The bytes must be valid UTF-8.
  static func readInParts(
    _ bytes: UnsafeBufferPointer<UInt8>, parts: [Range<Int>], lines: BibTeXParser.LineStarts, file: String,
    progress: ((Double, Int) -> Void)?
  ) -> Result? {
    let text = SharedBytes(buffer: bytes)
    var converted: [Converted] = []
    var diagnostics: [Diagnostic] = []
    var macros = false
    // Where the whole text's reading would start its next entry: nil once it has ended.
    var expected: Int? = 0
    var done = 0
    Parallel.forEachRound(of: parts, smallestShare: 1) { range in
      Stretch(text.buffer, from: range.lowerBound, stop: range.upperBound, lines: lines, file: file)
    } collect: { round in
      for (range, stretch) in zip(parts[done..<(done + round.count)], round) {
        guard let start = expected, start < range.upperBound else { continue }  // an entry ran past this part
        // Read again from where the entry that ran into this part ended.
        let taken =
          start == range.lowerBound ? stretch : Stretch(bytes, from: start, stop: range.upperBound, lines: lines, file: file)
        converted.append(contentsOf: taken.converted)
        diagnostics.append(contentsOf: taken.diagnostics)
        macros = macros || taken.metMacroDefinition
        expected = taken.next
      }
      done += round.count
      progress?(Double(done) / Double(parts.count), converted.count)
    }
    return macros ? nil : result(converted, diagnostics: diagnostics)
  }

  /// The text cut before entries that start a line, in parts of about `size` bytes.
  static func parts(of bytes: UnsafeBufferPointer<UInt8>, size: Int) -> [Range<Int>] {
    var starts = [0]
    var target = size
    while target < bytes.count {
      guard let at = nextEntryStartingALine(in: bytes, from: target) else { break }
      starts.append(at)
      target = at + size
    }
    return zip(starts, starts.dropFirst() + [bytes.count]).map { $0..<$1 }
  }

  /// The first "@" at or after `from` with only spaces and tabs before it on its line.
  static func nextEntryStartingALine(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    var index = from
    while index < bytes.count {
      guard let found = memchr(bytes.baseAddress! + index, Int32(UInt8(ascii: "@")), bytes.count - index) else { return nil }
      let at = UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress!)
      var back = at - 1
      while back >= 0, bytes[back] == UInt8(ascii: " ") || bytes[back] == UInt8(ascii: "\t") { back -= 1 }
      if back < 0 || bytes[back] == UInt8(ascii: "\n") || bytes[back] == UInt8(ascii: "\r") { return at }
      index = at + 1
    }
    return nil
  }

  /// Whether any "@" may begin an `@string`: "@", then anything that could be white space,
  /// then "string" in any case. Said yes to more often than needed, never less.
  static func mayDefineMacros(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let word = Array("string".utf8)
    var index = 0
    while index < bytes.count {
      guard let found = memchr(bytes.baseAddress! + index, Int32(UInt8(ascii: "@")), bytes.count - index) else { return false }
      var next = UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress!) + 1
      // White space outside ASCII is rare: every byte outside ASCII is taken for some.
      while next < bytes.count, UTF8Text.isASCIIWhitespace(bytes[next]) || bytes[next] >= 0x80 { next += 1 }
      if next + word.count <= bytes.count, (0..<word.count).allSatisfy({ bytes[next + $0] | 0x20 == word[$0] }) {
        return true
      }
      index = next
    }
    return false
  }
}

/// The file's bytes, shared with the cores that read its parts. Only read while they
/// work, and the owner keeps them alive until all are done.
private struct SharedBytes: @unchecked Sendable {
  let buffer: UnsafeBufferPointer<UInt8>
}
