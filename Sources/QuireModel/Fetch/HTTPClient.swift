import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// One HTTP GET, waited for: the answer, or why there is none. Built on URLSession's
/// delegate calls, which let a response be refused as soon as it grows too large and
/// redirects be counted. (On Linux the async `data(for:)` never returns here.)
public enum HTTPClient {
  public struct Response: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data
    /// Where the answer came from, after redirects.
    public var url: String

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
  }

  public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
    case timedOut(Double)
    case tooLarge(limit: Int)
    case tooManyRedirects(Int)
    case redirectElsewhere(String)
    case connection(String)

    public var description: String {
      switch self {
      case .timedOut(let seconds): return "no answer within \(Duration.spoken(seconds)) (fetch-timeout)"
      case .tooLarge(let limit): return "the response is larger than \(ByteSize.text(limit)) (fetch-max-size); refused"
      case .tooManyRedirects(let count): return "redirected more than \(count) times (a redirect loop?)"
      case .redirectElsewhere(let url): return "redirected to \(url), which is not an http or https URL; refused"
      case .connection(let reason): return reason
      }
    }

    /// Whether asking again later may help.
    public var isTransient: Bool {
      switch self {
      case .timedOut, .connection: return true
      case .tooLarge, .tooManyRedirects, .redirectElsewhere: return false
      }
    }
  }

  static let maxRedirects = 5

  /// GET `url` with `headers`, giving up after `timeout` seconds in all, and refusing a
  /// body larger than `maxSize` bytes.
  public static func get(_ url: String, headers: [String: String] = [:], timeout: Double, maxSize: Int) -> Result<Response, Failure> {
    guard let address = URL(string: url) else { return .failure(.connection("not a URL")) }
    var request = URLRequest(url: address, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.setValue("quire (a terminal reader for research papers)", forHTTPHeaderField: "User-Agent")
    let configuration = URLSessionConfiguration.ephemeral
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.timeoutIntervalForRequest = timeout
    configuration.timeoutIntervalForResource = timeout
    let exchange = Exchange(maxSize: maxSize, timeout: timeout)
    let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
    let task = session.dataTask(with: request)
    task.resume()
    // URLSession's own timeouts cover a silent server; this one covers a server that
    // drips, and answers the user's fetch-timeout exactly.
    if exchange.done.wait(timeout: .now() + timeout) == .timedOut {
      exchange.fail(.timedOut(timeout))
      task.cancel()
      _ = exchange.done.wait(timeout: .now() + 2)
    }
    session.invalidateAndCancel()
    return exchange.result(url: url)
  }

  /// What the delegate calls gather, on URLSession's queue, read once `done` is signalled.
  final class Exchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Every field is touched under `lock`: URLSession calls on its own queue while the
    // caller may time out on another thread.
    private let lock = NSLock()
    private var response: HTTPURLResponse?
    private var body = Data()
    private var failure: Failure?
    private var redirects = 0
    private var finished = false
    let maxSize: Int
    let timeout: Double
    let done = DispatchSemaphore(value: 0)

    init(maxSize: Int, timeout: Double) {
      self.maxSize = maxSize
      self.timeout = timeout
    }

    func fail(_ reason: Failure) {
      lock.withLock { if failure == nil { failure = reason } }
    }

    func result(url: String) -> Result<Response, Failure> {
      lock.withLock {
        if let failure { return .failure(failure) }
        guard let response else { return .failure(.connection("no response")) }
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
          headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return .success(Response(status: response.statusCode, headers: headers, body: body, url: response.url?.absoluteString ?? url))
      }
    }

    func urlSession(
      _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
      completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
      let tooLarge = response.expectedContentLength > Int64(maxSize)
      lock.withLock {
        self.response = response as? HTTPURLResponse
        if tooLarge, failure == nil { failure = .tooLarge(limit: maxSize) }
      }
      completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
      let over = lock.withLock { () -> Bool in
        guard failure == nil else { return true }
        body.append(data)
        if body.count > maxSize {
          failure = .tooLarge(limit: maxSize)
          body = Data()
          return true
        }
        return false
      }
      if over { dataTask.cancel() }
    }

    func urlSession(
      _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
      newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
      let scheme = request.url?.scheme?.lowercased()
      let refusal = lock.withLock { () -> Failure? in
        redirects += 1
        if redirects > HTTPClient.maxRedirects { failure = failure ?? .tooManyRedirects(HTTPClient.maxRedirects) }
        if scheme != "http" && scheme != "https" {
          failure = failure ?? .redirectElsewhere(request.url?.absoluteString ?? "?")
        }
        return failure
      }
      if refusal != nil {
        completionHandler(nil)
        task.cancel()
      } else {
        completionHandler(request)
      }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
      lock.withLock {
        if let error, failure == nil { failure = Self.failure(error, timeout: timeout) }
        guard !finished else { return }
        finished = true
        done.signal()
      }
    }

    static func failure(_ error: Error, timeout: Double) -> Failure {
      let error = error as NSError
      switch error.code {
      case NSURLErrorTimedOut: return .timedOut(timeout)
      case NSURLErrorHTTPTooManyRedirects: return .tooManyRedirects(HTTPClient.maxRedirects)
      default:
        // Foundation on Linux puts curl's own sentence under the error.
        let underlying = (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription
        let reason = [error.localizedDescription, underlying].compactMap { $0 }.first { !$0.isEmpty && $0 != "(null)" && !$0.hasPrefix("The operation could not") }
        return .connection(reason ?? "network error \(error.code)")
      }
    }
  }
}

extension ByteSize {
  /// "50 MB", "512 KB", "900 bytes".
  public static func text(_ bytes: Int) -> String {
    if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GB" }
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
    if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) }
    return "\(bytes) bytes"
  }
}
