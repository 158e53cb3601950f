import Testing

@testable import QuireModel

@Suite("Text normalisation")
struct TextNormalizerTests {
  @Test("collapsing white space", arguments: [
    ("", ""), ("plain text", "plain text"), ("  lead", "lead"), ("trail  ", "trail"), (" ", ""),
    ("a  b", "a b"), ("a\tb\nc\r\nd", "a b c d"), ("a\u{00A0}b", "a b"), ("a \u{3000} b", "a b"),
    ("ℓ1 ball — ok", "ℓ1 ball — ok"), ("é  è", "é è"), ("x\u{2028}y", "x y"),
  ])
  func collapse(input: String, expected: String) {
    #expect(TextNormalizer.collapseWhitespace(input) == expected)
  }

  @Test("comparison keys fold case, accents and punctuation", arguments: [
    ("Hello, World!", "hello world"), ("Erdős–Rényi", "erdos renyi"), ("Re\u{301}sume\u{301}", "resume"),
    ("The end.", "the end"), ("ℓ1-minimization", "ℓ1 minimization"), ("深層 学習", "深層 学習"),
    ("  ", ""), ("Straße", "strasse"),
  ])
  func keys(input: String, expected: String) {
    #expect(TextNormalizer.key(input) == expected)
  }
}

@Suite("Marking matches in original text")
struct MatchRangeTests {
  @Test("folding with origins gives the same key as key()", arguments: [
    "Erdős", "Ünïcödé naïve", "e\u{301}te\u{301}", "ℓ1-norm, “quoted”", "深層 学習", "Straße", "  spaced   out  ", "ﬁne", "",
  ])
  func sameKey(text: String) {
    #expect(String(decoding: TextNormalizer.keyWithOrigins(text).key, as: UTF8.self) == TextNormalizer.key(text))
  }

  @Test("matches are found in the original text, accents and punctuation included")
  func ranges() {
    func marked(_ needles: [String], _ text: String) -> [String] {
      let scalars = Array(text.unicodeScalars)
      return TextNormalizer.matchRanges(of: needles, in: text).map { range in
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
      }
    }
    #expect(marked(["erdos"], "Paul Erdős and ERDOS") == ["Erdős", "ERDOS"])
    #expect(marked(["resume"], "un re\u{301}sume\u{301}.") == ["re\u{301}sume\u{301}"])
    #expect(marked(["neural net"], "Neural-Net models") == ["Neural-Net"])
    #expect(marked(["net", "neural"], "neural networks") == ["neural", "net"])
    #expect(marked(["ral", "neur"], "neural") == ["neural"])  // overlapping or touching matches merge
    #expect(marked(["深層"], "深層学習") == ["深層"])
    #expect(marked(["x"], "") == [])
    #expect(marked([], "text") == [])
  }
}
