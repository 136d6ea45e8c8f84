#!/usr/bin/env bash
# The main job on the built-in demo data: builds, then generates the demo data
# set (demo-data/, UCF11 layout), extracts features, runs the default sweep
# (the study's grid plus bilstm and mean_pool) into experiments.db:
#   - on a display, in the workbench (vidrnn-workbench --reproduce): generation
#     progress, live curves, the runs table and comparisons as runs complete;
#   - headless, with the CLI (vidrnn demo), which prints the report, then saves
#     a screenshot of the workbench on the finished store.
# Either resumes the other's sweep: completed cells are never repeated.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${VIDRNN_PRESET:-dev}
bash "$here/tools/build.sh" "$preset"
bin="$here/build/$preset/app"
"$bin/vidrnn" info
"$bin/vidrnn" models --input-dim 512 --classes 11
cd "$here"
export VIDRNN_CACHE=${VIDRNN_CACHE:-$here/.cache/features}
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/vidrnn-workbench" --reproduce "$@"
fi
"$bin/vidrnn" demo
mkdir -p "$here/build/screenshots"
QT_QPA_PLATFORM=offscreen "$bin/vidrnn-workbench" --screenshot "$here/build/screenshots/workbench.png"
echo "no display: workbench rendered to build/screenshots/workbench.png"
