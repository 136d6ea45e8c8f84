#!/bin/bash
# The commands that wrote this folder: the engine's step in both builds after
# the GRU's own loop on LibTorch 2.x (nn/recurrent.cpp, detail::gruLoop), with
# tools/bench.sh's torch2 options, two rounds (this folder, round2/), 1.13 then 2.15
# per case: the GRU at the study's four sizes, and the bf16 rows that read
# slower on 2.15 in the section's full run of 2026-12-07T13:41:00Z.
#   bash docs/bench-torch2/gru-loop/commands.sh
set -u
cd "$(dirname "$0")/../../.."
unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS OMP_WAIT_POLICY GOMP_SPINCOUNT MKL_NUM_THREADS
top=docs/bench-torch2/gru-loop
date -u +%Y-%m-%dT%H:%M:%SZ >"$top/date.txt"
(while true; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)" >>"$top/loadavg.log"; sleep 10; done) &
sampler=$!
for round in 1 2; do
  out=$top; [ "$round" = 1 ] || out=$top/round$round
  mkdir -p "$out"
  for c in gru/64 gru/128 gru/256 gru/512 transformer/256 convlstm/256; do
    arch=${c%/*}; h=${c#*/}
    for side in 113 215; do
      if [ "$side" = 113 ]; then b=build/dev; else b=build/torch2; fi
      env OPENBLAS_NUM_THREADS=1 "$b/bench/bench_train" --archs="$arch" --hidden="$h" \
        --threads=1 --precisions=fp32,bf16 --repetitions=5 --heavy-repetitions=2 \
        --min-time=0.5 --benchmark_out="$out/t2-cpp$side-$arch-$h.json" \
        --benchmark_out_format=json >"$out/t2-cpp$side-$arch-$h.log" 2>&1
      echo $? >"$out/t2-cpp$side-$arch-$h.rc"
    done
  done
done
kill "$sampler"
