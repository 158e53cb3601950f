import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A value shared between the serving threads. NSCondition rather than Mutex because `stop()`
/// has to wait for those threads to finish, and the package still declares macOS 13.
final class Guarded<Value: Sendable>: @unchecked Sendable {  // `value` is only touched under `condition`
  private let condition = NSCondition()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    condition.lock()
    defer {
      condition.broadcast()
      condition.unlock()
    }
    return try body(&value)
  }

  /// Whether `done` came true before `deadline`.
  func wait(until deadline: Date, for done: (Value) -> Bool) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !done(value) {
      if !condition.wait(until: deadline) { return done(value) }
    }
    return true
  }
}

/// Sends all of `data`. False once the client has gone (or `stop()` shut the socket down);
/// MSG_NOSIGNAL because a vanished client must give EPIPE, not kill the test process.
func sendAll(_ fd: Int32, _ data: Data) -> Bool {
  data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
    var offset = 0
    while offset < buffer.count {
      let sent = send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
      if sent < 0 && errno == EINTR { continue }
      if sent <= 0 { return false }
      offset += sent
    }
    return true
  }
}

/// Reads up to the blank line that ends a request head; nil if the client closes first or
/// sends more than 64 KiB of head.
func receiveHead(_ fd: Int32) -> [UInt8]? {
  var head: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  let end: [UInt8] = Array("\r\n\r\n".utf8)
  while head.count < 65536 {
    let count = recv(fd, &chunk, chunk.count, 0)
    if count < 0 && errno == EINTR { continue }
    if count <= 0 { return nil }
    head += chunk[0..<count]
    if let range = head.firstRange(of: end) { return Array(head[..<range.lowerBound]) }
  }
  return nil
}

/// Waits up to `seconds` (for ever if nil) while the client stays connected, discarding
/// anything it sends. True if the time ran out with the client still there; false once it
/// has closed, or `stop()` has shut the socket down, which is what ends a hang or a delay.
func waitWhileConnected(_ fd: Int32, seconds: Double?) -> Bool {
  let deadline = seconds.map { Date() + $0 }
  var scratch = [UInt8](repeating: 0, count: 1024)
  while true {
    var timeout: Int32 = -1
    if let deadline {
      let left = deadline.timeIntervalSinceNow
      if left <= 0 { return true }
      timeout = Int32(clamping: Int((left * 1000).rounded(.up)))
    }
    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let ready = poll(&poller, 1, timeout)
    if ready < 0 && errno == EINTR { continue }
    if ready < 0 { return false }
    if ready == 0 { continue }
    let count = recv(fd, &scratch, scratch.count, 0)
    if count < 0 && errno == EINTR { continue }
    if count <= 0 { return false }
  }
}

/// An IMF-fixdate (RFC 9110), built by hand so that no locale can change it.
func httpDate(_ date: Date) -> String {
  var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
  var parts = tm()
  gmtime_r(&seconds, &parts)
  let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
  return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
    + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
}

func reasonPhrase(_ status: Int) -> String {
  switch status {
  case 200: "OK"
  case 201: "Created"
  case 204: "No Content"
  case 206: "Partial Content"
  case 301: "Moved Permanently"
  case 302: "Found"
  case 303: "See Other"
  case 304: "Not Modified"
  case 307: "Temporary Redirect"
  case 308: "Permanent Redirect"
  case 400: "Bad Request"
  case 401: "Unauthorized"
  case 403: "Forbidden"
  case 404: "Not Found"
  case 410: "Gone"
  case 429: "Too Many Requests"
  case 500: "Internal Server Error"
  case 502: "Bad Gateway"
  case 503: "Service Unavailable"
  case 504: "Gateway Timeout"
  default: "Status \(status)"
  }
}
