import ArgumentParser
import Foundation
import QuireModel
import QuireUI

/// Single measurements `run` makes in processes of their own, each printing milliseconds.
extension QuireBench {
  struct ParseAll: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "parse-all", abstract: "Time decoding every paper of a stored library (used by `run`).", shouldDisplay: false)

    @Option var data: String

    func run() throws {
      let library = try LibraryLoader.load(file: nil, environment: ["XDG_DATA_HOME": data, "HOME": data])
      let start = Clock.now
      let papers = library.papers
      let taken = Clock.ms(start, Clock.now)
      precondition(papers.count == library.count)
      print(taken)
    }
  }

  struct Find: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Time finding a word in a stored library with its kept index (used by `run`).", shouldDisplay: false)

    @Option var data: String
    @Option var cache: String
    @Argument var word: String

    func run() throws {
      let environment = ["XDG_DATA_HOME": data, "XDG_CACHE_HOME": cache, "HOME": data]
      let library = try LibraryLoader.load(file: nil, environment: environment)
      let reading = try StateStore(path: StateStore.defaultPath(environment: environment)).load()
      let index = SearchIndexCache(environment: environment).openOrBuild(library).index
      let query = try Query.parse(word)
      let readingIndex = ReadingIndex(reading: reading, library: library)
      var times: [Double] = []
      for _ in 0..<5 {
        let start = Clock.now
        let found = index.evaluate(query, reading: readingIndex, library: library)
        times.append(Clock.ms(start, Clock.now))
        precondition(found.count >= 0)
      }
      print(Stats.median(times))
    }
  }
}
