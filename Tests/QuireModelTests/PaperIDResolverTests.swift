import Testing

@testable import QuireModel

@Suite("Paper ids as a user types them")
struct PaperIDResolverTests {
  static let resolver = PaperIDResolver(ids: ["3f2a9c0d11b4e7a8", "3f2b000000000000", "9c01aaaaaaaaaaaa", "3f2a9c0d11b4e7a8"].map { PaperID($0) })

  @Test("a whole id, or a beginning only one id has, names that paper; case does not matter")
  func found() {
    #expect(Self.resolver.resolve("3f2a9c0d11b4e7a8") == .found(PaperID("3f2a9c0d11b4e7a8")))
    #expect(Self.resolver.resolve("3F2A") == .found(PaperID("3f2a9c0d11b4e7a8")))
    #expect(Self.resolver.resolve(" 9c ") == .found(PaperID("9c01aaaaaaaaaaaa")))
  }

  @Test("a beginning several ids share lists them; anything else is unknown")
  func ambiguousOrUnknown() {
    #expect(Self.resolver.resolve("3f2") == .ambiguous([PaperID("3f2a9c0d11b4e7a8"), PaperID("3f2b000000000000")]))
    #expect(Self.resolver.resolve("3f2a9c0d11b4e7a80") == .unknown)
    #expect(Self.resolver.resolve("ff") == .unknown)
    #expect(Self.resolver.resolve("") == .unknown)
    #expect(PaperIDResolver(ids: []).resolve("3") == .unknown)
  }
}
