#!/usr/bin/env bash
# Here (the development machine): gathers what bench/gpu/run.sh needs on a GPU
# machine that has LibTorch but none of vidrnn's other libraries, into .gpu/
# (ignored by git; name it in the device tool's carry):
#   .gpu/debs    Debian packages unpacked there into a private prefix: the
#                headers and libraries the trainer and benchmarks link
#                (nlohmann-json, SQLite, Google Benchmark, OpenSSL's libcrypto
#                for checkpoints' sha256) and OpenCV's
#                headers (the engine's other LibTorch sources are compiled
#                there, not linked);
#   .gpu/bundle  real features of the small demo preset (gpu_check --prepare).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$here/build/dev}
dest=$here/.gpu
grep -qx '/.gpu/' "$here/.git/info/exclude" 2>/dev/null || echo '/.gpu/' >>"$here/.git/info/exclude"
mkdir -p "$dest/debs"
(cd "$dest/debs" && apt-get download -q -o APT::Sandbox::User=root nlohmann-json3-dev libsqlite3-dev libsqlite3-0 \
   libbenchmark-dev libbenchmark1debian libssl-dev libssl3 libopencv-core-dev libopencv-imgproc-dev \
   libopencv-videoio-dev libopencv-imgcodecs-dev >/dev/null)
data=$dest/demo-data
"$build/app/vidrnn" data generate --out "$data" --preset small >/dev/null
"$build/bench/gpu_check" --prepare --data="$data" --cache="$dest/cache" --out="$dest/bundle" \
  --frames=12 --size=64
rm -rf "$dest/cache" "$data"
du -sh "$dest"/*
