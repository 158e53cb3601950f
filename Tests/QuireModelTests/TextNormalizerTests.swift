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
