// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "quire",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "quire", targets: ["quire"]),
    .executable(name: "quire-bench", targets: ["quire-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
  ],
  targets: [
    // The only C surface: ncursesw, with a shim for what Swift cannot import directly.
    .systemLibrary(
      name: "CNCursesW",
      pkgConfig: "ncursesw",
      providers: [.apt(["libncursesw5-dev"])]
    ),
    // Papers, the library, reading state, parsers and persistence. Knows nothing of terminals.
    .target(name: "QuireModel"),
    // Application state, the update function, key bindings, layout and panes drawn into a grid.
    .target(name: "QuireUI", dependencies: ["QuireModel"]),
    // The one small layer that calls curses.
    .target(name: "QuireTerminal", dependencies: ["CNCursesW", "QuireUI"]),
    .executableTarget(
      name: "quire",
      dependencies: [
        "QuireModel", "QuireUI", "QuireTerminal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Measurements on generated libraries, run in release builds (README: Benchmarks).
    .executableTarget(
      name: "quire-bench",
      dependencies: [
        "QuireModel", "QuireUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // A small HTTP server on 127.0.0.1 for the tests of fetching: recorded feeds and every
    // way a server can fail, without the internet.
    .target(name: "QuireTestSupport"),
    .testTarget(
      name: "QuireModelTests",
      dependencies: ["QuireModel", "QuireTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
    ),
    .testTarget(name: "QuireUITests", dependencies: ["QuireUI", "QuireModel"]),
    .testTarget(name: "QuireEndToEndTests", dependencies: ["quire", "QuireTestSupport"]),
  ]
)
