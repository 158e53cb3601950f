/// Any set of columns in the search index's file format: what else quire keeps beside the
/// index (the library file's line table) is written and checked the same way.
enum ColumnFile {
  static func write(_ columns: [any StorableColumn], paperCount: Int, to path: String, fingerprint: String) throws {
    let layout = IndexFileLayout(
      columnLengths: columns.map(\.byteCount), fingerprint: Array(fingerprint.utf8), paperCount: paperCount)
    try IndexFileWriter.replace(path) { file in
      try file.write(layout.header)
      for (column, offset) in zip(columns, layout.offsets) {
        try file.write(zerosUpTo: offset)
        try column.withUnsafeBytes { try file.write($0) }
      }
    }
  }
}
