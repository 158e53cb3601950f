import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 for tests: one request per connection, each connection on
/// its own thread, so a hanging answer never holds up the others.
///
/// Releasing the server stops it, and Swift may release it after its last use, before a fetch
/// from it ends: keep it alive with `defer { server.stop() }`.
public final class TestHTTPServer: Sendable {
  public struct Request: Sendable {
    public let method: String
    /// With the query string.
    public let path: String
    /// Names lower-cased; repeated headers joined with ", ".
    public let headers: [String: String]

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
  }

  public indirect enum Response: Sendable {
    /// 200 with Content-Length.
    case ok(body: Data, contentType: String, headers: [(String, String)] = [])
    /// Any status; no body or Content-Length is sent for 1xx, 204 and 304.
    case status(Int, body: Data = Data(), headers: [(String, String)] = [])
    case redirect(to: String, status: Int = 302)
    /// Sends nothing for `seconds` (less if the client leaves or `stop()` is called).
    case delayed(seconds: Double, then: Response)
    /// Declares `declaredLength` bytes, sends only `body`, then closes.
    case truncated(body: Data, contentType: String, declaredLength: Int)
    /// Reads the request and never answers, until the client leaves or `stop()`.
    case hang
    /// An endless chunked body of 64 KiB chunks of "x", until the client leaves or `stop()`;
    /// at most one chunk a millisecond, or URLSession, which cannot push back, takes tens of
    /// seconds on two cores to act on its own cancel.
    case chunkedForever(contentType: String)
  }

  public struct SocketError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public var description: String { "\(call): \(String(cString: strerror(code)))" }
  }

  public let port: Int
  // The serving threads hold the core, never the server, so that dropping the last reference
  // to the server runs deinit, which stops them.
  private let core: Core

  /// Listens on an ephemeral port of 127.0.0.1 and serves on background threads at once.
  public init(_ handler: @escaping @Sendable (Request) -> Response) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
    func fail(_ call: String) -> SocketError {
      let error = SocketError(call: call, code: errno)
      close(fd)
      return error
    }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
      }
    }
    guard bound else { throw fail("bind") }
    guard listen(fd, 64) == 0 else { throw fail("listen") }
    port = Int(UInt16(bigEndian: address.sin_port))
    core = Core(listener: fd, handler: handler)
    core.start()
  }

  deinit { core.stop() }

  public func url(_ path: String) -> String { "http://127.0.0.1:\(port)" + path }

  /// Every request received so far, in order of arrival.
  public var requests: [Request] { core.state.withLock { $0.requests } }

  /// Closes the listening socket and every open connection, then waits (at most two seconds)
  /// for the serving threads to end. Idempotent.
  public func stop() { core.stop() }
}

private struct ServerState: Sendable {
  var requests: [TestHTTPServer.Request] = []
  var connections: Set<Int32> = []
  var threads = 0
  var stopped = false
}

private final class Core: Sendable {
  typealias Response = TestHTTPServer.Response
  let listener: Int32
  let handler: @Sendable (TestHTTPServer.Request) -> Response
  let state = Guarded(ServerState())

  init(listener: Int32, handler: @escaping @Sendable (TestHTTPServer.Request) -> Response) {
    self.listener = listener
    self.handler = handler
  }

  func start() {
    spawn { self.acceptLoop() }
  }

  func stop() {
    state.withLock { state in
      guard !state.stopped else { return }
      state.stopped = true
      // shutdown() rather than close(): it wakes the threads blocked in accept, recv, send or
      // poll, and the descriptors cannot be reused while those threads still hold them.
      shutdown(listener, Int32(SHUT_RDWR))
      for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
    }
    _ = state.wait(until: Date() + 2) { $0.threads == 0 }
  }

  private func spawn(_ body: @escaping @Sendable () -> Void) {
    state.withLock { $0.threads += 1 }
    Thread.detachNewThread {
      body()
      self.state.withLock { $0.threads -= 1 }
    }
  }

  private func acceptLoop() {
    while true {
      let fd = accept(listener, nil, nil)
      if fd < 0 {
        if errno == EINTR || errno == ECONNABORTED { continue }
        break  // EINVAL once stop() has shut the listener down
      }
      // Not inherited by processes a test starts (Glibc hides accept4 behind _GNU_SOURCE).
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      let accepted = state.withLock { state in
        if state.stopped { return false }
        state.connections.insert(fd)
        return true
      }
      guard accepted else {
        close(fd)
        break
      }
      spawn { self.serve(fd) }
    }
    close(listener)
  }

  private func serve(_ fd: Int32) {
    if let head = receiveHead(fd), let request = parse(head) {
      state.withLock { $0.requests.append(request) }
      send(handler(request), to: fd, withBody: request.method != "HEAD")
    }
    // Close only once the client has read everything and closed its end: closing with unread
    // input would send a reset, and the client could lose the end of the response.
    shutdown(fd, Int32(SHUT_WR))
    _ = waitWhileConnected(fd, seconds: 1)
    state.withLock { state in
      state.connections.remove(fd)
      close(fd)
    }
  }

  private func send(_ response: Response, to fd: Int32, withBody: Bool) {
    func head(_ status: Int, _ defaults: [(String, String)], _ extra: [(String, String)] = []) -> Bool {
      let overridden = Set(extra.map { $0.0.lowercased() })
      let fields = ([("Date", httpDate(Date())), ("Connection", "close")] + defaults)
        .filter { !overridden.contains($0.0.lowercased()) } + extra
      let text = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        + fields.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n"
      return sendAll(fd, Data(text.utf8))
    }
    switch response {
    case .ok(let body, let contentType, let headers):
      if head(200, [("Content-Type", contentType), ("Content-Length", "\(body.count)")], headers), withBody {
        _ = sendAll(fd, body)
      }
    case .status(let status, let body, let headers):
      if status < 200 || status == 204 || status == 304 {
        _ = head(status, [], headers)
      } else if head(status, [("Content-Length", "\(body.count)")], headers), withBody {
        _ = sendAll(fd, body)
      }
    case .redirect(let location, let status):
      _ = head(status, [("Location", location), ("Content-Length", "0")])
    case .delayed(let seconds, let then):
      if waitWhileConnected(fd, seconds: seconds) { send(then, to: fd, withBody: withBody) }
    case .truncated(let body, let contentType, let declaredLength):
      if head(200, [("Content-Type", contentType), ("Content-Length", "\(declaredLength)")]), withBody {
        _ = sendAll(fd, body)
      }
    case .hang:
      _ = waitWhileConnected(fd, seconds: nil)
    case .chunkedForever(let contentType):
      guard head(200, [("Content-Type", contentType), ("Transfer-Encoding", "chunked")]), withBody else { return }
      let chunk = Data("10000\r\n".utf8) + Data(repeating: UInt8(ascii: "x"), count: 0x10000) + Data("\r\n".utf8)
      while sendAll(fd, chunk), waitWhileConnected(fd, seconds: 0.001) {}
    }
  }

  private func parse(_ head: [UInt8]) -> TestHTTPServer.Request? {
    let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
    let requestLine = lines[0].split(separator: " ")
    guard requestLine.count == 3 else { return nil }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    }
    return .init(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers)
  }
}
