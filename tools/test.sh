#!/usr/bin/env bash
# Builds everything and runs every test (CTest). The README's test command and
# what CI runs, in stages, each timed:
#   dev    build preset dev, run every test (arguments go to this ctest)
#   fuzz   libFuzzer targets for a bounded time each (fuzz/run.sh)
#   asan   preset dev-asan, the engine/data/store/CLI tests under
#          AddressSanitizer and UndefinedBehaviorSanitizer (tools/asan.sh)
#   torch2 PyTorch's LibTorch 2.15 with CUDA (tools/setup_torch2.sh: about
#          1.1 GB from PyPI into .venv-torch2, once), preset torch2: build
#          everything, run every test on the CPU (no GPU here: the CUDA code
#          compiles, links and loads, it never runs). It catches an API that
#          Debian's 1.13 has and 2.x lacks, or the reverse.
#   format tools/format.sh --check (clang-format 14, .clang-format), first,
#          before anything is built: every C++ source as clang-format writes
#          it (tools/format.sh rewrites them). VIDRNN_FORMAT_CHECK=0 leaves it
#          out; VIDRNN_STAGES=format runs it alone.
# VIDRNN_STAGES picks stages (default format dev fuzz asan torch2; "dev" alone when
# arguments are given, e.g. tools/test.sh -R tst_video). tools/test.sh
# --torch2 [ctest arguments] runs the torch2 stage alone.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${VIDRNN_PRESET:-dev}
format_check=${VIDRNN_FORMAT_CHECK:-1}
if [ "${1:-}" = "--torch2" ]; then
  shift
  stages=torch2
elif [ "$#" -gt 0 ]; then
  stages=${VIDRNN_STAGES:-dev}
elif [ "$format_check" = 1 ]; then
  stages=${VIDRNN_STAGES:-format dev fuzz asan torch2}
else
  stages=${VIDRNN_STAGES:-dev fuzz asan torch2}
fi

timed() {
  local name=$1
  shift
  local start=$SECONDS
  echo "=== stage $name"
  "$@"
  echo "=== stage $name passed in $((SECONDS - start)) s"
}

dev() {
  bash "$here/tools/build.sh" "$preset"
  cd "$here"
  # Two at a time, the longest first (COST): much of a test's time is
  # starting processes and waiting on them, not computing.
  ctest --preset "$preset" --timeout 900 -j 2 "$@"
  # The reliability counts the tests print (bad inputs tried, kills survived,
  # the window following two sweeps), from CTest's log of this run.
  local log="$here/build/$preset/Testing/Temporary/LastTest.log"
  if [ -f "$log" ]; then
    grep -ho 'QINFO *: [^ ]* \(bad inputs tried.*\|kills survived.*\|two sweeps.*\)' "$log" |
      sed 's/^QINFO *: /counts: /' || true
  fi
}

torch2() {
  bash "$here/tools/build.sh" torch2
  cd "$here"
  ctest --preset torch2 --timeout 900 -j 2 "$@"
}

# Packages first, whichever stages run (quiet when all are there).
bash "$here/tools/setup.sh"
for stage in $stages; do
  case $stage in
    format) timed format bash "$here/tools/format.sh" --check ;;
    dev) timed dev dev "$@" ;;
    fuzz) timed fuzz bash "$here/fuzz/run.sh" ;;
    asan) timed asan bash "$here/tools/asan.sh" ;;
    torch2) timed torch2 torch2 "$@" ;;
    *) echo "test.sh: unknown stage '$stage' (format, dev, fuzz, asan, torch2)" >&2; exit 2 ;;
  esac
done
