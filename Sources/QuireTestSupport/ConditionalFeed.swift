import Foundation

/// A feed served the way a well-behaved server does: 200 with ETag and Last-Modified, and
/// 304 Not Modified (no body) to a request whose validator still matches.
///
///     let feed = ConditionalFeed(body: recorded)
///     let server = try TestHTTPServer { feed.respond(to: $0) }
public final class ConditionalFeed: Sendable {
  private struct Version: Sendable {
    var body: Data
    var number: Int
    var etag: String?
    var lastModified: String?
  }

  public let contentType: String
  private let current: Guarded<Version>

  /// Pass nil for `etag` or `lastModified` to serve a feed without that validator.
  public init(
    body: Data, contentType: String = "application/atom+xml", etag: String? = "\"v1\"",
    lastModified: String? = "Mon, 01 Jan 2024 00:00:00 GMT"
  ) {
    self.contentType = contentType
    current = Guarded(Version(body: body, number: 1, etag: etag, lastModified: lastModified))
  }

  public var etag: String? { current.withLock { $0.etag } }
  public var lastModified: String? { current.withLock { $0.lastModified } }

  /// Replaces the body; the ETag becomes "vN" and Last-Modified N hours after 2024-01-01 for
  /// the Nth version (those the feed has), so a stale validator never matches again, however
  /// quickly the update follows.
  public func update(body: Data) {
    current.withLock { version in
      version.body = body
      version.number += 1
      if version.etag != nil { version.etag = "\"v\(version.number)\"" }
      if version.lastModified != nil {
        version.lastModified = httpDate(Date(timeIntervalSince1970: 1_704_067_200 + Double(version.number) * 3600))
      }
    }
  }

  /// As RFC 9110 says, If-None-Match decides when present (a list, weak tags and "*" count);
  /// If-Modified-Since is then compared for equality, as clients send back what they were given.
  public func respond(to request: TestHTTPServer.Request) -> TestHTTPServer.Response {
    let version = current.withLock { $0 }
    var validators: [(String, String)] = []
    if let etag = version.etag { validators.append(("ETag", etag)) }
    if let lastModified = version.lastModified { validators.append(("Last-Modified", lastModified)) }

    let notModified: Bool
    if let tags = request.header("If-None-Match") {
      let sent = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      notModified = version.etag.map { etag in sent.contains { $0 == "*" || $0 == etag || $0 == "W/" + etag } } ?? false
    } else if let since = request.header("If-Modified-Since") {
      notModified = version.lastModified == since
    } else {
      notModified = false
    }
    return notModified
      ? .status(304, headers: validators)
      : .ok(body: version.body, contentType: contentType, headers: validators)
  }
}
