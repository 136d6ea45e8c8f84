#!/bin/bash
# The commands that wrote this folder (round 1: "commands.sh docs/bench-torch2/why-slower 1") and
# round2/ ("commands.sh docs/bench-torch2/why-slower/round2 0", engine only), run from the
# repository root; then, for kernels-*.txt and attribution.txt:
#   OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch2_kernels.py >kernels-113-N.txt
#   .venv-torch2/bin/python bench/torch2_kernels.py --oneDNN >kernels-215-N.txt
#   python3 bench/torch2_perf.py --case gru/64 --case gru/256 --case mean_pool/64 \
#     --case mean_pool/256 --case transformer/256 --step-ms 1.13=3.300,2.15=3.835 \
#     --step-ms 1.13=15.372,2.15=16.645 --step-ms 1.13=0.770,2.15=0.863 \
#     --step-ms 1.13=2.628,2.15=2.928 --step-ms 1.13=20.348,2.15=21.363 >attribution.txt
# tools/bench.sh's torch2 loop (same commands and options, full mode), for gru, mean_pool, transformer only
set -u
cd "$(dirname "$0")/../../.."
unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS OMP_WAIT_POLICY GOMP_SPINCOUNT MKL_NUM_THREADS
out=${1:-docs/bench-torch2/why-slower}; pyside=${2:-1}
mkdir -p "$out"
reps=5; heavy_reps=2; min_time=0.5; py=/usr/bin/python3; t2py=$PWD/.venv-torch2/bin/python
gbench() { local name=$1; shift; "$@" --benchmark_out="$out/$name.json" --benchmark_out_format=json --benchmark_counters_tabular=true >"$out/$name.log" 2>&1; echo $? >"$out/$name.rc"; }
pybench() { local name=$1; shift; "$@" --out "$out/$name.json" >"$out/$name.log" 2>&1; echo $? >"$out/$name.rc"; }
date -u +%Y-%m-%dT%H:%M:%SZ >"$out/date.txt"; uptime >"$out/uptime-start.txt"
(while true; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/loadavg.log"; sleep 10; done) & sampler=$!
for arch in gru mean_pool transformer; do
  for h in 64 256; do
    for side in 113 215; do
      if [ "$side" = 113 ]; then b=build/dev; else b=build/torch2; fi
      gbench "t2-cpp$side-$arch-$h" env OPENBLAS_NUM_THREADS=1 "$b/bench/bench_train" \
        --archs="$arch" --hidden="$h" --threads=1 --precisions=fp32,bf16 \
        --repetitions="$reps" --heavy-repetitions="$heavy_reps" --min-time="$min_time"
    done
    [ "$pyside" = 1 ] || continue
    for p in fp32 bf16; do
      pybench "t2-py113-$arch-$h-$p" env OPENBLAS_NUM_THREADS=1 "$py" bench/train_step.py \
        --archs "$arch" --hidden "$h" --threads 1 --precision "$p" --repetitions "$reps" \
        --heavy-repetitions "$heavy_reps" --min-time "$min_time"
      pybench "t2-py215-$arch-$h-$p" "$t2py" bench/train_step.py \
        --archs "$arch" --hidden "$h" --threads 1 --precision "$p" --repetitions "$reps" \
        --heavy-repetitions "$heavy_reps" --min-time "$min_time"
    done
  done
done
uptime >"$out/uptime-end.txt"; kill $sampler
