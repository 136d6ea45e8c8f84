#!/usr/bin/env bash
# The main job on the built-in demo data: builds, then `vidrnn demo` generates
# the demo data set (demo-data/, UCF11 layout), extracts features, runs the
# default sweep (the study's grid plus bilstm, mean_pool and transformer) into
# experiments.db and prints the report; then the workbench opens on those
# results (on a display) or renders a screenshot of itself (headless): the
# demo data set open, the demo's sweep in Compare, its best run in Results.
# `vidrnn-workbench --reproduce` does the same work inside the window; either
# resumes the other's sweep, completed cells are never repeated.
# VIDRNN_DEMO_STUDY=1 runs the study protocol instead (`vidrnn demo --study`:
# leave one group out x 2 seeds for four architectures at two sizes, the table
# with 95% intervals, paired tests against the best row, early classification;
# about 13 minutes on two busy cores).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${VIDRNN_PRESET:-dev}
bash "$here/tools/build.sh" "$preset"
bin="$here/build/$preset/app"
"$bin/vidrnn" info
"$bin/vidrnn" models --input-dim 512 --classes 11
cd "$here"
# The checkout is the project folder: its store is experiments.db here (an
# installed vidrnn without --db would use the XDG data folder's).
db="$here/experiments.db"
export VIDRNN_CACHE=${VIDRNN_CACHE:-$here/.cache/features}
if [ "${VIDRNN_DEMO_STUDY:-0}" = 1 ]; then
  "$bin/vidrnn" --db "$db" demo --study
else
  "$bin/vidrnn" --db "$db" demo
fi
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/vidrnn-workbench" --db "$db" "$@"
fi
mkdir -p "$here/build/screenshots"
QT_QPA_PLATFORM=offscreen "$bin/vidrnn-workbench" --db "$db" \
  --screenshot "$here/build/screenshots/workbench.png" --screenshot-delay 3000
echo "no display: workbench rendered to build/screenshots/workbench.png"
