import Foundation

/// The papers the user imported, kept beside state.json as quire's JSON Lines (one paper
/// a line, without reading state). `quire` opens the built-in list plus these.
public struct LibraryStore: Sendable {
  public let path: String

  public init(path: String) { self.path = path }

  public static func defaultPath(environment: [String: String]) -> String {
    (StateStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/library.jsonl"
  }

  /// The stored listings; none when there is no file yet. A file with a broken line is
  /// refused rather than half read, so that the next import cannot overwrite it.
  /// `progress` hears the share of the file read and the papers so far, now and then.
  public func load(progress: ((Double, Int) -> Void)? = nil) throws(StateStore.LoadError) -> [Listing] {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    let text: String
    do {
      text = try FileText.read(path)
    } catch {
      throw StateStore.LoadError(path: path, reason: "cannot be read")
    }
    let result = JSONLinesParser(file: path).parse(text, progress: progress)
    if let problem = result.diagnostics.first {
      throw StateStore.LoadError(path: path, reason: "line \(problem.line): \(problem.message)")
    }
    return result.listings
  }

  /// Holds `library.jsonl.lock` until released: whoever reads the library to write it back
  /// with more papers (`quire import`, a fetch) holds it, so that two such writers take
  /// turns rather than one writing over the other's papers.
  public func lockForWriting() -> WriteLock {
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    return WriteLock(StateLock(statePath: path, exclusive: true))
  }

  public final class WriteLock {
    private let lock: StateLock
    fileprivate init(_ lock: StateLock) { self.lock = lock }
    deinit { lock.release() }
  }

  /// Replaces the stored papers at once: a crash leaves the old file or the new one.
  public func save(_ papers: [Paper]) throws(StateStore.SaveError) {
    try DurableFile.replace(path: path, with: Self.jsonLines(papers))
  }

  /// The file's bytes: a line per paper.
  static func jsonLines(_ papers: [Paper]) -> Data {
    // Batches of lines are written on all cores and go into the data a round at a time:
    // a whole file built apart and then copied would be held twice at the peak.
    let batchSize = 256
    let batches = stride(from: 0, to: papers.count, by: batchSize).map { $0..<min(papers.count, $0 + batchSize) }
    var data = Data()
    Parallel.forEachRound(of: batches, smallestShare: 1, roundSize: 16) { batch in
      var writer = JSONLineWriter(capacity: batch.count * 2048)
      for paper in papers[batch] {
        writer.append(paper, state: nil)
        writer.newline()
      }
      return writer.bytes
    } collect: { round in
      for bytes in round { data.append(contentsOf: bytes) }
    }
    return data
  }
}
