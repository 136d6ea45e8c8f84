#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang (address + undefined
# sanitizers) and runs each for a bounded time, starting from the committed
# seeds (fuzz/corpus/<target>) and regression inputs (fuzz/regressions/<target>).
# Prints the executions per target. On a crash it stops non-zero and leaves
# the input under build/fuzz/artifacts/<target>/: fix the bug, then commit the
# input to fuzz/regressions/<target>/, which CTest replays in every build.
#
#   VIDRNN_FUZZ_SECONDS  time per target (default 30: the four fit in CI's budget)
#   VIDRNN_FUZZ_BUILD    build folder (default build/fuzz)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
seconds=${VIDRNN_FUZZ_SECONDS:-30}
build=${VIDRNN_FUZZ_BUILD:-$root/build/fuzz}
targets=(featurefile clipname manifest container)

if [ ! -f "$build/build.ninja" ]; then
  cxx=$(command -v clang++-14 || command -v clang++)
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
fi
cmake --build "$build"

# Scratch files of the targets (rewritten on every input) go to memory when
# it can: on ext4, truncating and rewriting a file forces it to disk, which
# slows the file-reading targets a hundredfold on a busy disk.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  TMPDIR=$(mktemp -d /dev/shm/vidrnn-fuzz.XXXXXX)
else
  TMPDIR=$(mktemp -d "$build/tmp.XXXXXX")
fi
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
total=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096
           -print_final_stats=1 -artifact_prefix="$artifacts/")
  if [ -f "$here/$t.dict" ]; then
    options+=(-dict="$here/$t.dict")
  fi
  log="$build/$t.log"
  if ! "$build/fuzz_$t" "${options[@]}" "$corpus" "$here/corpus/$t" "$here/regressions/$t" \
       >"$log" 2>&1; then
    echo "fuzz: $t failed; the input is in $artifacts, the end of $log:" >&2
    ls -l "$artifacts" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  echo "fuzz: $t: ${runs:-0} executions in $seconds s, corpus of $(find "$corpus" -type f | wc -l) inputs"
  total=$((total + ${runs:-0}))
done
echo "fuzz: $total executions over ${#targets[@]} targets, no crash"
