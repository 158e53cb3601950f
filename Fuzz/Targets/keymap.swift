// libFuzzer entry point of the 'keymap' target; built and run by scripts/fuzz.sh.
// What it does with the bytes is UIFuzz.keymap in Tests/QuireUITests/FuzzCorpusTests.swift,
// which the regression tests run too.

import QuireUIFuzz

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let problems = UIFuzz.keymap(UnsafeRawBufferPointer(start: start, count: count))
  if !problems.isEmpty { fatalError("broken invariant: " + problems.joined(separator: "\n")) }
  return 0
}
