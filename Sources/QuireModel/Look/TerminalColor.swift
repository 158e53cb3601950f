/// A colour as a config file names it: the terminal's own default, or one of the 256
/// colours of the xterm palette (the first 16 also by name).
public enum TerminalColor: Hashable, Sendable, CustomStringConvertible {
  case `default`
  case index(Int)

  /// The names of the first 16 colours, in palette order.
  public static let names = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
    "bright-white",
  ]

  /// `default`, a name from `names` (`grey`/`gray` are bright-black), or 0–255.
  public init?(name: String) {
    let lowered = name.lowercased()
    if lowered == "default" {
      self = .default
    } else if let position = Self.names.firstIndex(of: lowered) {
      self = .index(position)
    } else if lowered == "grey" || lowered == "gray" {
      self = .index(8)
    } else if lowered.allSatisfy(\.isASCII), let number = Int(lowered), (0...255).contains(number) {
      self = .index(number)
    } else {
      return nil
    }
  }

  public var description: String {
    switch self {
    case .default: return "default"
    case .index(let n): return n < Self.names.count ? Self.names[n] : String(n)
    }
  }

  /// What the config expects where a colour goes, for messages.
  public static let expected = "a colour: default, black, red, green, yellow, blue, magenta, cyan, white, bright-… of those, or 0–255"
}

/// The xterm palette as RGB, used to pick the nearest colour a smaller terminal has.
public enum XtermPalette {
  static let basic: [(Int, Int, Int)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
    (255, 255, 255),
  ]
  static let cubeLevels = [0, 95, 135, 175, 215, 255]

  public static func rgb(_ index: Int) -> (Int, Int, Int) {
    switch index {
    case 0..<16: return basic[index]
    case 16..<232:
      let n = index - 16
      return (cubeLevels[n / 36], cubeLevels[(n / 6) % 6], cubeLevels[n % 6])
    default:
      let level = 8 + 10 * (min(255, max(232, index)) - 232)
      return (level, level, level)
    }
  }

  /// The colour among the first `count` of the palette closest to `index` in RGB,
  /// weighted as the eye weighs it ("redmean"). A grey goes to a grey (black, white), which
  /// by distance alone could be cyan or magenta.
  public static func nearest(to index: Int, among count: Int) -> Int {
    guard index >= count else { return index }
    let (r, g, b) = rgb(index)
    let isGrey = r == g && g == b
    var best = 0
    var bestDistance = Double.infinity
    for candidate in 0..<max(1, count) {
      let (cr, cg, cb) = rgb(candidate)
      if isGrey && !(cr == cg && cg == cb) { continue }
      let redMean = Double(r + cr) / 2
      let (dr, dg, db) = (Double(r - cr), Double(g - cg), Double(b - cb))
      let distance = (2 + redMean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - redMean) / 256) * db * db
      if distance < bestDistance {
        best = candidate
        bestDistance = distance
      }
    }
    return best
  }
}
