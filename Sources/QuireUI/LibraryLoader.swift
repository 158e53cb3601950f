import Foundation
import QuireModel

/// Opens the library the reader shows: a file named on the command line, or the built-in
/// reading list plus everything imported (quire's library file, read as papers are shown).
public enum LibraryLoader {
  public struct Failure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// `progress` hears, now and then, what is being read and how far along it is.
  public static func load(
    file: String?, environment: [String: String], progress: ((LoadingProgress) -> Void)? = nil
  ) throws(Failure) -> Library {
    guard let file else { return try loadDefault(environment: environment, progress: progress) }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: file))
    } catch {
      throw Failure(message: "cannot open \(file): \(FileManager.default.fileExists(atPath: file) ? "cannot be read" : "no such file")")
    }
    do {
      let name = (file as NSString).lastPathComponent
      let result = try Importer.read(data, file: file, progress: progress.map { report in
        { report(LoadingProgress(what: name, fraction: $0, papers: $1)) }
      })
      return Library(name: name, listings: result.listings, diagnostics: result.diagnostics)
    } catch {
      throw Failure(message: "cannot open \(error.description)")
    }
  }

  static func loadDefault(environment: [String: String], progress: ((LoadingProgress) -> Void)?) throws(Failure) -> Library {
    let path = LibraryStore.defaultPath(environment: environment)
    guard FileManager.default.fileExists(atPath: path) else { return BuiltinLibrary.load() }
    let name = (path as NSString).lastPathComponent
    do {
      var library = try Library.open(
        name: BuiltinLibrary.displayName, builtin: BuiltinLibrary.listings, storedAt: path,
        tableCache: SearchIndexCache(environment: environment).tablePath(for: path),
        progress: progress.map { report in { report(LoadingProgress(what: name, fraction: $0, papers: $1)) } })
      let builtinCount = BuiltinLibrary.load().count
      if library.count > builtinCount { library.name = "built-in list + \(library.count - builtinCount) imported" }
      return library
    } catch {
      throw Failure(message: "\(error.description)\nquire will not overwrite a library file it cannot read; fix it or move it aside.")
    }
  }
}
