#!/usr/bin/env bash
# Set-up (Debian packages; for preset torch2 also its LibTorch) and an
# incremental build of the given preset (default: dev). Sourced by demo.sh and
# test.sh; usable on its own.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-${VIDRNN_PRESET:-dev}}
bash "$here/tools/setup.sh"
if [ "$preset" = torch2 ]; then
  bash "$here/tools/setup_torch2.sh"  # the LibTorch that preset builds against
fi
cd "$here"
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
