// libFuzzer entry point of the 'config' target; built and run by scripts/fuzz.sh.
// What it does with the bytes is ModelFuzz.config in Tests/QuireModelTests/FuzzCorpusTests.swift,
// which the regression tests run too.

import QuireModelFuzz

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let problems = ModelFuzz.config(UnsafeRawBufferPointer(start: start, count: count))
  if !problems.isEmpty { fatalError("broken invariant: " + problems.joined(separator: "\n")) }
  return 0
}
