/// Which papers hold each word in one field: the distinct words of that field's folded
/// text over all papers, and for each the papers using it.
///
/// A needle without a space lies inside one word wherever it occurs, so the papers whose
/// abstracts contain it are exactly those using a word that contains it. Finding those
/// words in the vocabulary (a few megabytes) and joining their paper lists costs far less
/// than reading every abstract (a hundred megabytes at 100,000 papers) when the needle is
/// rare, which is when a scan is slowest: it cannot stop early in any abstract. For common
/// needles the lists are long and the scan, stopping at each paper's first match, wins;
/// `papers(containing:)` says so by returning nil.
struct WordIndex: Sendable {
  /// Every distinct word, each followed by a 0x0A byte, then `padding` bytes.
  let vocabulary: Column<UInt8>
  /// Where each word starts in `vocabulary`, then where the vocabulary ends.
  let wordStarts: Column<Int>
  /// The papers using word `w`: `papers[postingStarts[w]..<postingStarts[w + 1]]`, ascending.
  let postingStarts: Column<Int>
  let papers: Column<UInt32>
  let paperCount: Int

  static let wordEnd: UInt8 = 0x0A
  static let padding = 64

  /// Columns read from a file, when they fit together: the ends of the offsets are checked
  /// (in constant time), so that a search never reads outside a column whatever lies
  /// between them.
  init?(
    vocabulary: Column<UInt8>, wordStarts: Column<Int>, postingStarts: Column<Int>, papers: Column<UInt32>,
    paperCount: Int
  ) {
    guard vocabulary.count >= Self.padding, wordStarts.count >= 1, postingStarts.count == wordStarts.count,
      wordStarts[0] == 0, wordStarts[wordStarts.count - 1] == vocabulary.count - Self.padding,
      postingStarts[0] == 0, postingStarts[postingStarts.count - 1] == papers.count
    else { return nil }
    self.vocabulary = vocabulary
    self.wordStarts = wordStarts
    self.postingStarts = postingStarts
    self.papers = papers
    self.paperCount = paperCount
  }

  /// The columns, in the order an index file holds them.
  var columns: [any StorableColumn] { [vocabulary, wordStarts, postingStarts, papers] }

  /// From the folded text: `text[field(paper)]` is the field of a paper (authors parted by
  /// separator bytes, which end words as spaces do).
  init(text: Column<UInt8>, paperCount: Int, field: (Int) -> Range<Int>) {
    self.paperCount = paperCount
    var table = WordTable()
    var wordsOfPaper: [[Int32]] = []
    wordsOfPaper.reserveCapacity(paperCount)
    text.withUnsafeBufferPointer { bytes in
      for paper in 0..<paperCount {
        var ids: [Int32] = []
        let window = field(paper)
        var position = window.lowerBound
        let end = window.upperBound
        while position < end {
          // Words are runs of bytes that are not spaces or separators.
          while position < end, bytes[position] <= 0x20 { position += 1 }
          let wordStart = position
          while position < end, bytes[position] > 0x20 { position += 1 }
          if position > wordStart {
            ids.append(table.id(of: UnsafeBufferPointer(rebasing: bytes[wordStart..<position])))
          }
        }
        ids.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(ids.count)
        for id in ids where unique.last != id { unique.append(id) }
        wordsOfPaper.append(unique)
      }
    }
    // Paper lists, laid out one after another (counted first, then filled).
    var counts = [Int](repeating: 0, count: table.wordCount + 1)
    for ids in wordsOfPaper { for id in ids { counts[Int(id) + 1] += 1 } }
    for word in 0..<table.wordCount { counts[word + 1] += counts[word] }
    var fill = counts
    var papers = [UInt32](repeating: 0, count: counts[table.wordCount])
    for (paper, ids) in wordsOfPaper.enumerated() {
      for id in ids {
        papers[fill[Int(id)]] = UInt32(paper)
        fill[Int(id)] += 1
      }
    }
    self.postingStarts = Column(counts)
    self.papers = Column(papers)
    self.vocabulary = Column(table.bytes + [UInt8](repeating: 0, count: Self.padding))
    self.wordStarts = Column(table.starts + [table.bytes.count])
  }

  var memoryFootprint: Int { columns.reduce(0) { $0 + $1.byteCount } }

  /// The candidates whose field contains `needle` (folded bytes, no space), or nil when the
  /// words containing it are used so often that reading the text is quicker.
  func papers(containing needle: [UInt8], among candidates: PaperSet, limit: Int) -> PaperSet? {
    var words: [Int] = []
    var postings = 0
    var position = 0
    let end = wordStarts[wordStarts.count - 1]
    let first = needle[0]
    vocabulary.withUnsafeBufferPointer { vocabulary in
      needle.withUnsafeBufferPointer { needle in
        // A plain search is enough: the vocabulary is small, and this runs once per term.
        while position + needle.count <= end {
          guard vocabulary[position] == first else {
            position += 1
            continue
          }
          var matched = true
          for offset in 1..<needle.count where vocabulary[position + offset] != needle[offset] {
            matched = false
            break
          }
          guard matched else {
            position += 1
            continue
          }
          let word = wordContaining(position)
          words.append(word)
          postings += postingRange(of: word).count
          if postings > limit { return }
          // One hit per word is enough. (Always onwards, even if a damaged file's starts
          // are not in order.)
          position = max(position + 1, wordStarts[word + 1])
        }
      }
    }
    if postings > limit { return nil }
    var found = PaperSet(capacity: paperCount)
    papers.withUnsafeBufferPointer { papers in
      for word in words {
        for paper in papers[postingRange(of: word)] where candidates.contains(Int(paper)) {
          found.insert(Int(paper))
        }
      }
    }
    return found
  }

  /// Where the word's papers lie in `papers`: always inside it, even if a damaged file's
  /// starts are not in order.
  private func postingRange(of word: Int) -> Range<Int> {
    let start = min(max(postingStarts[word], 0), papers.count)
    return start..<min(max(postingStarts[word + 1], start), papers.count)
  }

  /// The word whose bytes include vocabulary position `position`.
  private func wordContaining(_ position: Int) -> Int {
    var low = 0
    var high = wordStarts.count - 1
    while low + 1 < high {
      let mid = (low + high) / 2
      if wordStarts[mid] <= position { low = mid } else { high = mid }
    }
    return low
  }
}

/// Distinct words and their ids: an open-addressing hash table over the word bytes, much
/// quicker than a Dictionary of Strings for the millions of words of a large library.
private struct WordTable {
  var bytes: [UInt8] = []
  var starts: [Int] = []
  var slots: [Int32]
  var mask: Int

  init() {
    slots = [Int32](repeating: -1, count: 1 << 16)
    mask = (1 << 16) - 1
  }

  var wordCount: Int { starts.count }

  mutating func id(of word: UnsafeBufferPointer<UInt8>) -> Int32 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in word { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let id = slots[slot]
      if id < 0 { break }
      let start = starts[Int(id)]
      let length = (Int(id) + 1 < starts.count ? starts[Int(id) + 1] : bytes.count) - start - 1
      if length == word.count && bytes[start..<(start + length)].elementsEqual(word) { return id }
      slot = (slot + 1) & mask
    }
    let id = Int32(starts.count)
    starts.append(bytes.count)
    bytes.append(contentsOf: word)
    bytes.append(WordIndex.wordEnd)
    slots[slot] = id
    if starts.count * 2 > slots.count { grow() }
    return id
  }

  /// Doubles the table, rehashing every word, so it stays at most half full.
  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    mask = slots.count - 1
    for id in 0..<starts.count {
      let start = starts[id]
      let end = (id + 1 < starts.count ? starts[id + 1] : bytes.count) - 1
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in bytes[start..<end] { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(id)
    }
  }
}
