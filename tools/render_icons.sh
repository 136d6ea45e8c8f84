#!/usr/bin/env bash
# Renders the committed PNG icons from resources/icons/vidrnn.svg (run after
# editing the SVG; needs rsvg-convert from librsvg2-bin). The build does not
# run this: the PNGs are committed, so building needs no SVG renderer.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
icons="$here/resources/icons"
for size in 16 22 24 32 48 64 128 256; do
  rsvg-convert -w "$size" -h "$size" "$icons/vidrnn.svg" -o "$icons/png/vidrnn-$size.png"
done
