#!/usr/bin/env bash
# Renders the demo's exported charts into docs/figures/ as small PNGs at the
# three sizes a paper takes them (one column 8.5 x 6.5 cm / 8 pt, the default
# 12 x 7.5 cm / 9 pt, both columns 17 x 10 cm / 9 pt), the way a user gets
# them: `vidrnn-workbench --export-report DIR --export-size SIZE` on the
# demo's store (experiments.db, from tools/demo.sh; run that first), then each
# chart's PDF drawn by pdftoppm at 72 dpi (actual size on screen).
# Usage: tools/render_figures.sh [STORE]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${VIDRNN_PRESET:-dev}
db=${1:-$here/experiments.db}
bin="$here/build/$preset/app"
if [ ! -f "$db" ]; then
  echo "render_figures: no store at $db (run tools/demo.sh first)" >&2
  exit 1
fi
bash "$here/tools/build.sh" "$preset" >/dev/null
out="$here/docs/figures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$out"/*.png
mkdir -p "$out"
for size in 8.5x6.5cm@8pt 12x7.5cm@9pt 17x10cm@9pt; do
  tag=${size%%cm*}
  QT_QPA_PLATFORM=offscreen "$bin/vidrnn-workbench" --db "$db" --no-settings \
    --export-report "$work/$tag" --export-size "$size" --screenshot-delay 0 >/dev/null
  # The comparison's charts and the best run's matrix and early curve.
  best=$(ls "$work/$tag"/confusion-run*.pdf | head -1)
  run=${best##*confusion-run}
  run=${run%.pdf}
  for chart in compare-curves accuracy-vs-hidden macro-f1-vs-hidden params-vs-hidden \
               time-vs-hidden order-reliance-vs-hidden early-classification "confusion-run$run" \
               "early-run$run"; do
    [ -f "$work/$tag/$chart.pdf" ] || continue
    name=${chart/-run$run/}
    pdftoppm -png -r 72 -singlefile "$work/$tag/$chart.pdf" "$out/$name-$tag"
  done
done
ls "$out"
