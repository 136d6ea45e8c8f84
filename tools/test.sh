#!/usr/bin/env bash
# Builds everything and runs every test (CTest). The README's test command and
# what CI runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${VIDRNN_PRESET:-dev}
bash "$here/tools/build.sh" "$preset"
cd "$here"
ctest --preset "$preset" --timeout 900 "$@"
