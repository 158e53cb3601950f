import QuireModel

/// Opens a link with `$BROWSER` (each entry of the list in turn) or `xdg-open`. The caller
/// lends the terminal, which a text browser such as w3m needs.
struct ExternalBrowser {
  let environment: [String: String]

  /// Nil when a browser took the link; otherwise why none did.
  func open(_ url: String) -> String? {
    var missing: [String] = []
    for browser in BrowserCommand.candidates(environment: environment) {
      switch ChildProcess.runShell(browser.script, arguments: [url], environment: environment) {
      case .exited(0):
        return nil
      case .exited(let status) where status == 126 || status == 127:
        // Not there: the next entry of the list may be.
        missing.append(browser.name)
      case .exited(let status):
        return "the browser '\(browser.name)' exited with status \(status)"
      case .signalled(let number):
        return "the browser '\(browser.name)' was ended by signal \(number)"
      case .notStarted(let reason):
        return "cannot run /bin/sh for the browser: \(reason)"
      }
    }
    if (environment["BROWSER"] ?? "").allSatisfy(\.isWhitespace) {
      return "cannot open the link: xdg-open could not be started; set $BROWSER to a browser (w3m, firefox, …)"
    }
    return "cannot open the link: no browser in $BROWSER could be started (tried \(missing.joined(separator: ", ")))"
  }
}
