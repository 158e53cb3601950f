import Foundation

/// Text normalisation shared by the parsers and the library.
public enum TextNormalizer {
  /// A comparison key: case and accents folded, punctuation dropped, words single-spaced.
  /// Two listings whose abstracts differ only by a final period get the same key.
  public static func key(_ text: String) -> String {
    let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    var out = ""
    out.reserveCapacity(folded.utf8.count)
    var pendingSpace = false
    for scalar in folded.unicodeScalars {
      if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        if pendingSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
        pendingSpace = false
        out.unicodeScalars.append(scalar)
      } else {
        pendingSpace = true
      }
    }
    return out
  }

  /// Collapses runs of white space (including line breaks) into single spaces and trims.
  public static func collapseWhitespace(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
