#!/usr/bin/env bash
# There (a GPU machine, from the repository root, .gpu/ carried; see
# prepare.sh): builds bench/gpu/ against the machine's own LibTorch (PyTorch's
# bundled one), then runs, each on CUDA:
#   1. the training step of every architecture, C++ and Python;
#   2. ConvLSTM fast path against the per-step form (outputs compared);
#   3. the engine's trainer on real demo features, on CUDA and on the CPU.
# Results land in $OUT (default /tmp/gpu-out): JSON for bench/report.py and logs.
#   bash bench/gpu/run.sh [SECTIONS]    SECTIONS: any of 1 2 3 (default: all)
set -uo pipefail
sections=" ${*:-1 2 3} "
want() { [[ "$sections" == *" $1 "* ]]; }
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
date -u +%Y-%m-%dT%H:%M:%SZ >"$OUT/date.txt"
deps=/tmp/vidrnn-gpu-deps
mkdir -p "$deps"
for f in .gpu/debs/*.deb; do dpkg -x "$f" "$deps"; done
lib=$deps/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$lib:${LD_LIBRARY_PATH:-}
# OpenSSL's headers are split between usr/include and its multiarch folder.
export CPATH=$deps/usr/include:$deps/usr/include/x86_64-linux-gnu${CPATH:+:$CPATH}
export PYTHONUNBUFFERED=1
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  nproc
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
  ${CXX:-c++} --version | head -1
} 2>&1 | tee "$OUT/machine.txt"
torch_cmake=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
t0=$(date +%s)
cmake -S bench/gpu -B /tmp/vidrnn-gpu-build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch_cmake" -DOPENCV_HEADERS="$deps/usr/include/opencv4" \
  -Dnlohmann_json_DIR="$deps/usr/share/cmake/nlohmann_json" \
  -Dbenchmark_DIR="$lib/cmake/benchmark" \
  -DSQLite3_INCLUDE_DIR="$deps/usr/include" -DSQLite3_LIBRARY="$lib/libsqlite3.so" \
  -DOPENSSL_ROOT_DIR="$deps/usr" -DOPENSSL_CRYPTO_LIBRARY="$lib/libcrypto.so" \
  >/tmp/vidrnn-gpu-configure.log 2>&1 || { tail -30 /tmp/vidrnn-gpu-configure.log; exit 1; }
grep -E "LibTorch|CUDA" /tmp/vidrnn-gpu-configure.log | head -5
cmake --build /tmp/vidrnn-gpu-build -- -k 0 >"$OUT/build.log" 2>&1
echo "build: exit $? in $(( $(date +%s) - t0 )) s"
grep -E "error|warning" "$OUT/build.log" | head -40
b=/tmp/vidrnn-gpu-build
reps="--repetitions=5 --min-time=0.2"
if want 1; then
echo "== 1. training step on CUDA (Python)"
python3 bench/train_step.py --device cuda --repetitions 5 --min-time 0.2 \
  --out "$OUT/train-py-cuda.json"
echo "== 1. training step on CUDA (C++)"
[ -x $b/bench_train ] && $b/bench_train --device=cuda $reps \
  --benchmark_out="$OUT/train-cpp-cuda.json" --benchmark_out_format=json 2>&1 | grep -v "^---"
fi
if want 2; then
echo "== 2. ConvLSTM on CUDA"
[ -x $b/bench_convlstm ] && $b/bench_convlstm --device=cuda --hidden=64,128,256,512 $reps \
  --benchmark_out="$OUT/convlstm-cuda.json" --benchmark_out_format=json 2>&1 | grep -v "^---"
fi
if want 3; then
echo "== 3. backbone and trainer on CUDA and CPU"
[ -x $b/gpu_check ] && $b/gpu_check --bundle=.gpu/bundle --devices=cuda,cpu \
  --json="$OUT/gpu-check.json"
echo "gpu_check: exit $?"
fi
