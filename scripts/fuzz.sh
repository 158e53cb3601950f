#!/usr/bin/env bash
# Builds quire's libFuzzer targets (AddressSanitizer on) and runs them on the seed corpus.
#
#   scripts/fuzz.sh [--seconds N] [--save-corpus] [--build-only] [TARGET...]
#
# TARGET is one of the names under Fuzz/Targets/ (default: all of them), each run for N
# seconds (default 60) on a copy of Fuzz/Corpus/TARGET and Fuzz/Regressions/TARGET, so the
# repository is not written to unless --save-corpus asks to merge the inputs that found
# new code into Fuzz/Corpus/. One line per target; exits 1 when any target crashed, leaked,
# hung (an input over 10 s) or ran out of memory, printing the input that did it.
#
# The build is cached in .build-fuzz/ (git-ignored) and redone only for what changed. It
# compiles the QuireModel and QuireUI sources with swiftc directly (the package has no
# library products to depend on), from a snapshot, so edits made meanwhile do not break it.
# The fuzz targets' parser calls live in Tests/Quire{Model,UI}Tests/FuzzCorpusTests.swift,
# shared with the regression tests that `swift test` runs.
#
# Environment: QUIRE_FUZZ_BUILD (build folder, default .build-fuzz), SWIFTC (compiler).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=60
save_corpus=0
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --save-corpus) save_corpus=1; shift ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds wants a whole number, not '$seconds'" >&2; exit 2 ;; esac

all_targets=(readinglist bibtex atom ris csljson jsonlines config query state keymap)
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  if [ ! -f "Fuzz/Targets/$target.swift" ]; then
    echo "fuzz.sh: no target '$target'; targets: ${all_targets[*]}" >&2
    exit 2
  fi
done

# Whether libFuzzer checks for leaks after each input that leaves memory allocated. Where
# Foundation keeps memory per input (XMLParser's error messages, an empty file read), that
# check would run after nearly every input, 30 times slower; those targets are checked for
# leaks once, when the run ends (AddressSanitizer's own check at exit, which fails the run
# with the allocating stack but cannot name the input).
leaks_per_input() {
  case "$1" in
    atom|state) echo 0 ;;
    *) echo 1 ;;
  esac
}

# Memory a target may reach. Foundation's XMLParser on Linux keeps a little memory of every
# document it parses, whatever the document and with no delegate at all (a plain loop of
# XMLParser(data:).parse() grows about 26 bytes a parse; under the fuzzer its kept error
# messages come to about 630 bytes an input): over a 10-minute run of millions of inputs the
# atom target passes 2 GB through no fault of quire's. 6 GB lasts about 20 minutes.
rss_limit() {
  case "$1" in
    atom) echo 6144 ;;
    *) echo 2048 ;;
  esac
}

# Longest input tried, per target; libFuzzer starts short and grows towards it.
max_len() {
  case "$1" in
    query) echo 4096 ;;
    config|keymap) echo 16384 ;;
    *) echo 65536 ;;
  esac
}

build="${QUIRE_FUZZ_BUILD:-$root/.build-fuzz}"
swiftc="${SWIFTC:-swiftc}"
command -v "$swiftc" >/dev/null || { echo "fuzz.sh: $swiftc not found; install a Swift toolchain" >&2; exit 2; }
# -sanitize=fuzzer needs the toolchain's libclang_rt.fuzzer (swift.org toolchains on Linux
# have it; Xcode's does not).
resource_dir=$("$swiftc" -print-target-info | sed -n 's/.*"runtimeResourcePath": "\(.*\)".*/\1/p' | head -1)
if [ -n "$resource_dir" ] && [ -z "$(find "$resource_dir/clang/lib" -name 'libclang_rt.fuzzer*.a' 2>/dev/null | head -1)" ]; then
  echo "fuzz.sh: this toolchain has no libclang_rt.fuzzer (looked in $resource_dir/clang/lib); use a swift.org toolchain on Linux" >&2
  exit 2
fi

flags=(-O -wmo -g -enable-testing -sanitize=fuzzer,address -parse-as-library -swift-version 6)
mkdir -p "$build"/{src,modules,lib,bin,stamps,artifacts,work}

# --- Build -------------------------------------------------------------------------------

# A snapshot of what is compiled: other work on the sources cannot change them mid-build.
# QUIRE_FUZZ_REUSE_SOURCES=1 keeps the last snapshot of Sources/ (refreshing only the fuzz
# targets and their parser calls), for work on the fuzzers while Sources/ keeps changing.
snapshot() {
  if [ "${QUIRE_FUZZ_REUSE_SOURCES:-0}" = 1 ] && [ -d "$build/src/QuireModel" ]; then
    rm -rf "$build/src/Targets"
    cp -R Fuzz/Targets "$build/src/"
    cp Tests/QuireModelTests/FuzzCorpusTests.swift "$build/src/harness/QuireModelTests/"
    cp Tests/QuireUITests/FuzzCorpusTests.swift "$build/src/harness/QuireUITests/"
    return
  fi
  rm -rf "$build/src.new"
  mkdir -p "$build/src.new/harness/QuireModelTests" "$build/src.new/harness/QuireUITests"
  cp -R Sources/QuireModel Sources/QuireUI Fuzz/Targets "$build/src.new/"
  cp Tests/QuireModelTests/FuzzCorpusTests.swift "$build/src.new/harness/QuireModelTests/"
  cp Tests/QuireUITests/FuzzCorpusTests.swift "$build/src.new/harness/QuireUITests/"
  rm -rf "$build/src"
  mv "$build/src.new" "$build/src"
}

# The hash of files and of the compiler and flags, which decides whether to build again.
fingerprint() {
  {
    "$swiftc" --version 2>&1
    echo "${flags[*]}"
    for input in "$@"; do
      if [ -f "$input" ]; then sha256sum "$input"; else cat "$input"; fi
    done
  } | sha256sum | cut -c1-32
}

# build NAME OUTPUT INPUTS... -- SWIFTC-ARGUMENTS...: runs swiftc unless NAME's inputs are
# unchanged since OUTPUT was last built.
built_anything=0
build_step() {
  local name="$1" output="$2"
  shift 2
  local inputs=()
  while [ "$1" != "--" ]; do inputs+=("$1"); shift; done
  shift
  local stamp="$build/stamps/$name" print
  print=$(fingerprint "${inputs[@]}")
  if [ -f "$output" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$print" ]; then return 0; fi
  echo "fuzz.sh: building $name" >&2
  local started=$SECONDS
  local status=0
  "$swiftc" "${flags[@]}" "$@" -o "$output" >"$build/stamps/$name.log" 2>&1 || status=$?
  # gold warns of every AddressSanitizer helper it cannot export; nothing to act on.
  grep -v "warning: Cannot export local symbol '__asan" "$build/stamps/$name.log" >&2 || true
  if [ $status -ne 0 ]; then
    echo "fuzz.sh: building $name failed" >&2
    rm -f "$stamp"
    exit 2
  fi
  echo "$print" >"$stamp"
  echo "fuzz.sh: built $name in $((SECONDS - started)) s" >&2
  built_anything=1
}

build_all() {
  local src="$build/src" m="$build/modules" l="$build/lib"
  local model_sources ui_sources
  mapfile -t model_sources < <(find "$src/QuireModel" -name '*.swift' | LC_ALL=C sort)
  mapfile -t ui_sources < <(find "$src/QuireUI" -name '*.swift' | LC_ALL=C sort)
  build_step QuireModel "$l/libQuireModel.a" "${model_sources[@]}" -- \
    -module-name QuireModel -emit-module -emit-module-path "$m/QuireModel.swiftmodule" \
    -emit-library -static "${model_sources[@]}"
  build_step QuireUI "$l/libQuireUI.a" "$build/stamps/QuireModel" "${ui_sources[@]}" -- \
    -module-name QuireUI -I "$m" -emit-module -emit-module-path "$m/QuireUI.swiftmodule" \
    -emit-library -static "${ui_sources[@]}"
  build_step QuireModelFuzz "$l/libQuireModelFuzz.a" "$build/stamps/QuireModel" "$src/harness/QuireModelTests/FuzzCorpusTests.swift" -- \
    -D QUIRE_FUZZ -module-name QuireModelFuzz -I "$m" -emit-module -emit-module-path "$m/QuireModelFuzz.swiftmodule" \
    -emit-library -static "$src/harness/QuireModelTests/FuzzCorpusTests.swift"
  build_step QuireUIFuzz "$l/libQuireUIFuzz.a" "$build/stamps/QuireUI" "$src/harness/QuireUITests/FuzzCorpusTests.swift" -- \
    -D QUIRE_FUZZ -module-name QuireUIFuzz -I "$m" -emit-module -emit-module-path "$m/QuireUIFuzz.swiftmodule" \
    -emit-library -static "$src/harness/QuireUITests/FuzzCorpusTests.swift"
  local target
  for target in "${targets[@]}"; do
    local libraries=(-lQuireModelFuzz -lQuireModel) deps=("$build/stamps/QuireModelFuzz")
    if [ "$target" = keymap ]; then
      libraries=(-lQuireUIFuzz -lQuireUI -lQuireModel)
      deps=("$build/stamps/QuireUIFuzz")
    fi
    build_step "fuzz-$target" "$build/bin/fuzz-$target" "${deps[@]}" "$src/Targets/$target.swift" -- \
      -module-name "fuzz_$target" -I "$m" -L "$l" "$src/Targets/$target.swift" "${libraries[@]}"
  done
}

build_started=$SECONDS
snapshot
build_all
[ $built_anything = 0 ] || echo "fuzz.sh: build took $((SECONDS - build_started)) s" >&2
if [ $build_only = 1 ]; then
  for target in "${targets[@]}"; do echo "$build/bin/fuzz-$target"; done
  exit 0
fi

# --- Run ---------------------------------------------------------------------------------

# The Swift runtime's backtracer would hold a crashing fuzzer while it symbolicates.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:symbolize=1:handle_abort=1}"
# Foundation's own leaks, not quire's (each explained in the file).
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/Fuzz/lsan-suppressions.txt:print_suppressions=0}"

running_pid=""
trap '[ -z "$running_pid" ] || kill "$running_pid" 2>/dev/null; exit 130' INT TERM

failures=0
printf '%-12s %-8s %12s %8s %10s %s\n' target result executions seconds "exec/s" "corpus / input"
for target in "${targets[@]}"; do
  work="$build/work/$target"
  artifacts="$build/artifacts/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$artifacts"
  for seeds in "Fuzz/Corpus/$target" "Fuzz/Regressions/$target"; do
    [ -d "$seeds" ] || continue
    find "$seeds" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$work/corpus/" \;
  done
  seeded=$(find "$work/corpus" -type f | wc -l)
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb="$(rss_limit "$target")" -max_len="$(max_len "$target")"
    -print_final_stats=1 -artifact_prefix="$artifacts/" -detect_leaks="$(leaks_per_input "$target")")
  [ -f "Fuzz/Dictionaries/$target.dict" ] && options+=(-dict="Fuzz/Dictionaries/$target.dict")
  before=$(find "$artifacts" -type f | wc -l)
  touch "$work/started"
  started=$SECONDS
  set +e
  "$build/bin/fuzz-$target" "${options[@]}" "$work/corpus" >"$work/log" 2>&1 &
  running_pid=$!
  wait "$running_pid"
  status=$?
  set -e
  rm -rf "/dev/shm/quire-fuzz-$running_pid" "${TMPDIR:-/tmp}/quire-fuzz-$running_pid"
  running_pid=""
  elapsed=$((SECONDS - started))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  corpus=$(find "$work/corpus" -type f | wc -l)
  # The input that failed: the artifact this run wrote.
  input=$(find "$artifacts" -type f -newer "$work/started" 2>/dev/null | head -1)
  [ -n "$input" ] || input=$( (grep -o "Test unit written to .*" "$work/log" || true) | tail -1 | sed 's/^Test unit written to //')
  if [ $status -eq 0 ] && [ "$(find "$artifacts" -type f | wc -l)" -eq "$before" ]; then
    result=ok
    detail="$seeded → $corpus"
  else
    failures=$((failures + 1))
    case "$(basename "${input:-none}")" in
      crash-*) result=CRASH ;;
      leak-*) result=LEAK ;;
      timeout-*) result=TIMEOUT ;;
      oom-*) result=OOM ;;
      slow-unit-*) result=SLOW ;;
      *) if grep -q "ERROR: LeakSanitizer" "$work/log"; then result=LEAK; else result="FAILED($status)"; fi ;;
    esac
    detail="${input:-no input written (a leak found at exit names only where it was allocated)}"
  fi
  printf '%-12s %-8s %12s %8s %10s %s\n' "$target" "$result" "${runs:-?}" "$elapsed" "${rate:-?}" "$detail"
  if [ "$result" != ok ]; then
    grep -m1 -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|Fatal error|broken invariant" "$work/log" | sed 's/^/    /' || true
    saved_log="$artifacts/$(basename "${input:-run-$(date +%Y%m%d-%H%M%S)}").log"
    cp "$work/log" "$saved_log"
    echo "    log: $saved_log"
    [ -z "$input" ] || echo "    reproduce: SWIFT_BACKTRACE=enable=no $build/bin/fuzz-$target $input"
  fi
  if [ $save_corpus = 1 ] && [ "$result" = ok ]; then
    # Only the inputs that reach code the repository's seeds do not.
    mkdir -p "Fuzz/Corpus/$target"
    "$build/bin/fuzz-$target" -merge=1 -max_len="$(max_len "$target")" "Fuzz/Corpus/$target" "$work/corpus" >"$work/merge.log" 2>&1 \
      && echo "    merged: $(sed -n 's/.*MERGE-OUTER: \([0-9]*\) new files.*/\1/p' "$work/merge.log") new inputs into Fuzz/Corpus/$target" \
      || echo "    merging into Fuzz/Corpus/$target failed; see $work/merge.log"
  fi
done
[ $failures -eq 0 ] || { echo "fuzz.sh: $failures of ${#targets[@]} targets failed" >&2; exit 1; }
