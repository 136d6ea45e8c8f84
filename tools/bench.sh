#!/usr/bin/env bash
# Every benchmark in one go, then docs/BENCHMARKS.md (machine, results, goals).
#
#   bash tools/bench.sh [--quick]
#
# Builds the bench targets and the CLI in the dev preset (build/dev, reused
# when present), then on this machine:
#   1. a training step of every architecture, C++ (bench_train) and PyTorch
#      (bench/train_step.py, Debian's python3-torch) at the same shapes,
#      threads and BLAS, alternating per case
#   1b. the same on one thread, OpenBLAS on one thread too: CPU times that
#      other load on the machine barely changes
#   2. ConvLSTM fast path against the per-step reference form (bench_convlstm),
#      on all cores and on one thread
#   3. feature extraction end to end against the backbone alone (bench_extract)
#      on the small demo set at sizes 112 and 224
#   3r. the same on the real clips of ../shared/data/real-clips with the bundled
#      pretrained MobileNetV2, beside python3-torch running the same file
#   4. (not with --quick) the demo main job, and extraction and a ConvLSTM
#      epoch on the full demo preset (UCF11 scale), under /usr/bin/time -v
#   5. the workbench's UI-thread stalls while it generates the demo, extracts
#      and trains two runs (vidrnn-workbench --stall-probe, under Xvfb)
#   6. the LSTM and GRU step with 1 and 2 threads, OpenBLAS and reference BLAS
#   7. (section "store") the CLI and the workbench on stores of 1k, 10k and
#      50k runs (bench/store_scale.sh): wall times, UI-thread stalls, memory
#   bf16. mixed precision: the training step of every architecture in fp32 and
#      bf16 (C++ and Python autocast), the ConvLSTM layer in fp32, bf16 and as
#      the reference Python ConvLSTM (bench/convlstm_reference.py) runs it,
#      and (not with --quick; alone: --only bf16demo) the demo with
#      --precision fp32 and auto
#   torch2. the training step (one thread, fp32 and bf16) and extraction on
#      Debian's LibTorch 1.13 and PyTorch's 2.15 (preset torch2), C++ and
#      Python (python3-torch and .venv-torch2)
# --quick: hidden 64 and 256, fewer repetitions and clips, no item 4 unless
# asked for with --only 4 afterwards; for development (about 15 min on 2
# cores, item 4 another 15). The full run takes about an hour.
# --only LIST (comma-separated: 1,1b,2,2b,profile,3,3r,5,6,bf16,bf16demo,torch2,store,4) reruns those sections
# into the existing results (same mode) and rewrites the report; the doc
# lists such reruns with their date.
# --results DIR: the results folder (default build/<preset>/bench-results);
# --no-report: leave docs/BENCHMARKS.md alone (then --only may start a new
# folder, e.g. --only torch2 --results docs/bench-torch2, whose section the
# report reads from there).
# Results (JSON, logs) stay in build/dev/bench-results; demo data for the
# benchmarks in build/bench-data.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

quick=0
only=""
results_dir=""
no_report=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --only) only=${2:-}; shift ;;
    --only=*) only=${1#--only=} ;;
    --results) results_dir=${2:-}; shift ;;
    --no-report) no_report=1 ;;
    -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (--quick, --only LIST)" >&2; exit 2 ;;
  esac
  shift
done
want() {  # want SECTION: whether this run does that section
  [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]
}

preset=${VIDRNN_PRESET:-dev}
# Defaults as a user gets them: thread settings come from the options below.
unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS OMP_WAIT_POLICY GOMP_SPINCOUNT MKL_NUM_THREADS
py=/usr/bin/python3   # Debian's python3-torch, not a pyenv python on PATH
arch_dir=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
ref_blas="/usr/lib/${arch_dir}/blas"
ref_lapack="/usr/lib/${arch_dir}/lapack"

# --- set-up: the project's packages, plus what only the benchmarks need -------
bash "$here/tools/setup.sh"
extra=()
for p in libbenchmark-dev time libblas3 liblapack3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || extra+=("$p")
done
if [ "${#extra[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench.sh: missing packages: ${extra[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "bench.sh: installing ${extra[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${extra[@]}" >/dev/null
fi

# --- build ---------------------------------------------------------------------
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset" --target bench_train bench_convlstm bench_extract vidrnn \
  vidrnn-workbench bench_store_scale
bin="$here/build/$preset"
vidrnn="$bin/app/vidrnn"
# Every architecture of the registry, in its order (vidrnn/archs.h).
mapfile -t archs < <("$vidrnn" models --hidden 64 --json |
  "$py" -c 'import json, sys; print("\n".join(r["arch"] for r in json.load(sys.stdin)))')

out=${results_dir:-$bin/bench-results}
case $out in /*) ;; *) out="$here/$out" ;; esac
if [ -z "$only" ]; then
  rm -rf "$out"
elif [ "$no_report" = 1 ] && [ ! -f "$out/mode.txt" ]; then
  only_fresh=1  # sections alone into a new folder (no report to keep whole)
elif ! grep -qs "^quick=$quick " "$out/mode.txt"; then
  echo "bench.sh: --only adds to an earlier run of the same mode; run without it first" \
       "(or with/without --quick as before)" >&2
  exit 2
fi
mkdir -p "$out"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vidrnn-bench.XXXXXX")
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# Load average every 10 s: the machine may be shared, and timings with it.
(while true; do
  echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/loadavg.log"
  sleep 10
done) &
sampler=$!

if [ "$quick" = 1 ]; then
  hidden=(64 256); hidden_one=(64); reps=3; heavy_reps=1; min_time=0.2; conv_hidden=64
  conv_reps=3
  extract_clips=33; extract_reps=2; passive_reps=1
else
  hidden=(64 128 256 512); hidden_one=(64 256); reps=5; heavy_reps=2; min_time=0.5
  conv_hidden=64,256; conv_reps=5
  extract_clips=88; extract_reps=3; passive_reps=2
fi
if [ -z "$only" ] || [ "${only_fresh:-0}" = 1 ]; then
  echo "quick=$quick hidden=${hidden[*]} repetitions=$reps" >"$out/mode.txt"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$out/date.txt"
  uptime >"$out/uptime-start.txt"
else
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) sections $only, $(uptime | sed 's/.*load/load/')" \
    >>"$out/reruns.txt"
fi

"$vidrnn" info --json >"$out/info.json"
"$py" -c 'import torch, sys; print(torch.__version__, sys.version.split()[0])' \
  >"$out/python-torch.txt"
dpkg-query -W -f='${Package} ${Version}\n' libtorch-dev libbenchmark-dev libopenblas0-pthread \
  >"$out/versions.txt" 2>/dev/null || true

# A failing step is recorded (NAME.rc) and shown in the report; the rest goes on.
gbench() {  # gbench NAME CMD...: a Google Benchmark run into NAME.json
  local name=$1; shift
  local rc=0
  "$@" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
       --benchmark_counters_tabular=true 2>&1 | tee "$out/$name.log" || rc=$?
  echo "$rc" >"$out/$name.rc"
}
pybench() {  # pybench NAME CMD...: a bench/train_step.py run into NAME.json
  local name=$1; shift
  local rc=0
  "$@" --out "$out/$name.json" 2>&1 | tee "$out/$name.log" || rc=$?
  echo "$rc" >"$out/$name.rc"
}
extract_peer() {  # extract_peer NAME PYTHON ARGS...: bench/extract_peer.py into NAME.json
  # (the bundled model, 224 px, one thread; ARGS: --frames, --batch, --repetitions)
  local name=$1 python=$2; shift 2
  local rc=0
  "$python" bench/extract_peer.py resources/models/mobilenet_v2_quantized_features1280.pt \
    --size 224 --threads 1 "$@" >"$out/$name.json" 2>"$out/$name.log" || rc=$?
  echo "$rc" >"$out/$name.rc"
}

timed() {  # timed NAME CMD...: /usr/bin/time -v into NAME.time, output into NAME.log
  local name=$1; shift
  local rc=0
  echo "   $name: $*"
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$out/$name.rc"
  [ "$rc" = 0 ] || echo "bench.sh: $name failed with status $rc (see $out/$name.log)" >&2
}

# --- 1. training step, C++ then Python for each case ---------------------------
if want 1; then
# Alternating per case keeps the two sides of a ratio close in time on a
# machine whose load changes.
echo "== 1. training step"
for arch in "${archs[@]}"; do
  for h in "${hidden[@]}"; do
    gbench "train-cpp-$arch-$h" "$bin/bench/bench_train" --archs="$arch" --hidden="$h" \
      --repetitions="$reps" --heavy-repetitions="$heavy_reps" --min-time="$min_time"
    pybench "train-py-$arch-$h" "$py" bench/train_step.py --archs "$arch" --hidden "$h" \
      --repetitions "$reps" --heavy-repetitions "$heavy_reps" --min-time "$min_time"
  done
done
fi

# --- 1b. the same on one thread: CPU time measures the work, robust to load -------
if want 1b; then
echo "== 1b. training step on one thread"
for arch in "${archs[@]}"; do
  for h in "${hidden_one[@]}"; do
    gbench "train1-cpp-$arch-$h" env OPENBLAS_NUM_THREADS=1 "$bin/bench/bench_train" \
      --archs="$arch" --hidden="$h" --threads=1 --repetitions="$reps" \
      --heavy-repetitions="$heavy_reps" --min-time="$min_time"
    pybench "train1-py-$arch-$h" env OPENBLAS_NUM_THREADS=1 "$py" bench/train_step.py \
      --archs "$arch" --hidden "$h" --threads 1 --repetitions "$reps" \
      --heavy-repetitions "$heavy_reps" --min-time "$min_time"
  done
done
fi

# --- 2. ConvLSTM fast path against the reference form ---------------------------
if want 2; then
echo "== 2. ConvLSTM"
gbench convlstm "$bin/bench/bench_convlstm" --hidden="$conv_hidden" --repetitions="$conv_reps" \
  --min-time="$min_time" --experiments
fi
# --- 2b. the same on one thread -----------------------------------------------------
if want 2b; then
echo "== 2b. ConvLSTM on one thread"
gbench convlstm-1t env OPENBLAS_NUM_THREADS=1 "$bin/bench/bench_convlstm" --threads=1 \
  --hidden="$conv_hidden" --repetitions=3 --min-time="$min_time" --experiments
fi

# --- what dominates: PyTorch's profiler on the same kernels ------------------------
if want profile; then
echo "== profile"
"$py" bench/profile_step.py --out "$out/profile.json" 2>&1 | tee "$out/profile.log" || true
fi

# --- 3. feature extraction -------------------------------------------------------
if want 3; then
echo "== 3. extraction"
"$vidrnn" --quiet data generate --out build/bench-data/small --preset small >/dev/null
gbench extract "$bin/bench/bench_extract" --data=build/bench-data/small --sizes=112,224 \
  --clips="$extract_clips" --repetitions="$extract_reps" --scratch="$scratch/extract"
# Experiment: OpenMP threads that sleep at once when idle instead of spinning,
# so that the decoder thread does not stall the backbone's parallel regions.
gbench extract-passive env OMP_WAIT_POLICY=PASSIVE "$bin/bench/bench_extract" \
  --data=build/bench-data/small --sizes=112,224 --clips="$extract_clips" \
  --repetitions="$passive_reps" --scratch="$scratch/extract" --benchmark_filter='e2e|backbone'
fi

# --- 3r. real clips, bundled pretrained backbone, against python3-torch ----------
# The 14 labelled clips of ../shared/data/real-clips (long, up to 640x360, H.264
# and MPEG-4), T = 8, 224 px, mobilenet_v2 (1280-d vectors), one LibTorch thread:
# end to end against the backbone alone (issue 13's goal: >= 0.9x), and the same
# TorchScript file run by python3-torch on batches of the same shape and threads.
if want 3r; then
real=${VIDRNN_REAL_CLIPS:-$here/../shared/data/real-clips}
if [ -d "$real" ]; then
  echo "== 3r. extraction on real clips"
  gbench extract-real "$bin/bench/bench_extract" --data="$real" --sizes=224 --frames=8 \
    --backbone=mobilenet_v2 --threads=1 --repetitions=7 --scratch="$scratch/extract-real" \
    --benchmark_filter='e2e|backbone|setup'
  extract_peer extract-real-peer "$py" --frames 448 --batch 64 --repetitions 7
else
  echo "== 3r. skipped: no real clips at $real"
fi
fi

# --- 5. the GUI: UI-thread stalls during a demo-sized run --------------------------
if want 5; then
echo "== 5. GUI stall"
# The workbench's own probe (a 10 ms timer on the UI thread; each gap between
# ticks is a stall) while the window generates the small demo, extracts its
# features and trains two runs (GRU, LSTM h128, 15 epochs), as a user would in
# the window. Under Xvfb, a real X server, when it is installed; offscreen
# otherwise. Gaps over 30 ms are logged with the UI thread's own CPU time.
mkdir -p "$scratch/gui"
display=(env QT_QPA_PLATFORM=offscreen)
if command -v xvfb-run >/dev/null; then
  display=(xvfb-run -a -s "-screen 0 1600x1000x24")
fi
(cd "$scratch/gui" && timed gui-stall "${display[@]}" env VIDRNN_STALL_LOG=30 \
  "$bin/app/vidrnn-workbench" --stall-probe --no-settings --db "$scratch/gui/runs.db")
echo "${display[0]}" >"$out/gui-stall.display"
rm -rf "$scratch/gui"
fi

# --- 7. the run store at 1k, 10k and 50k runs (section "store") -------------------
if want store; then
echo "== 7. store scale"
# The CLI's commands and the workbench's actions on stores grown from one real
# run (bench/store_scale.sh); the stores (about 0.6 GB) are removed afterwards.
timed store-scale bash bench/store_scale.sh "$bin" "$out/store-scale"
rm -rf "$out/store-scale/stores"
fi

# --- 6. threads and BLAS -----------------------------------------------------------
if want 6; then
echo "== 6. threads and BLAS"
# openblas: each side's defaults (the engine holds OpenBLAS's own pool to one
# thread; PyTorch leaves it at one per core).
# openblas-cores: OpenBLAS's pool at one thread per core on both sides (the
# engine before it set the pool: LibTorch's thread setting does not reach it).
# openblas-ob1: one OpenBLAS thread on both sides (OPENBLAS_NUM_THREADS=1).
# openblas-ob1-passive: and OpenMP threads that sleep when idle (2 threads only).
cores=$(nproc)
blas_modes=(openblas openblas-cores openblas-ob1 openblas-ob1-passive)
if [ -f "$ref_blas/libblas.so.3" ]; then blas_modes+=(reference); fi
for blas in "${blas_modes[@]}"; do
  threads=(1 2)
  case "$blas" in
    reference)
      # Reference BLAS and LAPACK for these processes only (the LAPACK too, or
      # OpenBLAS comes back in through it); the system alternative is untouched.
      env_blas=(env "LD_LIBRARY_PATH=$ref_blas:$ref_lapack${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}") ;;
    openblas-cores) env_blas=(env OPENBLAS_NUM_THREADS="$cores") ;;
    openblas-ob1) env_blas=(env OPENBLAS_NUM_THREADS=1) ;;
    openblas-ob1-passive)
      env_blas=(env OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE); threads=(2) ;;
    *) env_blas=() ;;
  esac
  for t in "${threads[@]}"; do
    tag="threads-$blas-$t"
    gbench "$tag-cpp" "${env_blas[@]}" "$bin/bench/bench_train" --archs=lstm,gru --hidden=256 \
      --threads="$t" --repetitions="$reps" --min-time="$min_time"
    pybench "$tag-py" "${env_blas[@]}" "$py" bench/train_step.py --archs lstm,gru --hidden 256 \
      --threads "$t" --repetitions "$reps" --min-time "$min_time"
  done
done
fi

# --- bf16. mixed precision ------------------------------------------------------------
if want bf16; then
echo "== bf16. mixed precision"
if "$vidrnn" info --json | grep -q '"native_bf16": "none'; then
  echo "bench.sh: this CPU has no native bf16: section bf16 skipped" >&2
else
  # fp32 and bf16 of a case one after the other (a ratio from one stretch of load).
  for arch in "${archs[@]}"; do
    for h in "${hidden[@]}"; do
      gbench "bf16-train-$arch-$h" "$bin/bench/bench_train" --archs="$arch" --hidden="$h" \
        --precisions=fp32,bf16 --repetitions="$reps" --heavy-repetitions="$heavy_reps" \
        --min-time="$min_time"
      for p in fp32 bf16; do
        pybench "bf16-py-$arch-$h-$p" "$py" bench/train_step.py --archs "$arch" --hidden "$h" \
          --precision "$p" --repetitions "$reps" --heavy-repetitions "$heavy_reps" \
          --min-time "$min_time"
      done
    done
  done
  # The ConvLSTM layer: engine fp32 and bf16, then the reference Python ConvLSTM.
  for h in "${hidden[@]}"; do
    gbench "bf16-conv-$h" "$bin/bench/bench_convlstm" --hidden="$h" --bf16 \
      --repetitions="$heavy_reps" --min-time="$min_time"
    pybench "bf16-ref-$h" "$py" bench/convlstm_reference.py --hidden "$h" \
      --repetitions "$heavy_reps" --heavy-repetitions "$heavy_reps" --min-time "$min_time"
  done
fi
fi

# --- torch2. Debian's LibTorch 1.13 against PyTorch's LibTorch 2.15 (CPU) -------
# The same bench sources built twice (presets dev and torch2), and
# bench/train_step.py under Debian's python3-torch 1.13 and the project's
# .venv-torch2 (2.15), case by case in turn, fp32 and bf16. One thread and CPU
# time: other load on a shared machine barely moves a one-thread CPU time, and
# both builds get the same threads. Then extraction on the real clips, both
# builds, and its backbone's peer (bench/extract_peer.py) under both Pythons.
# Needs tools/setup_torch2.sh (run here when missing).
if want torch2; then
echo "== torch2. LibTorch 1.13 against 2.15"
bash "$here/tools/setup_torch2.sh"
if [ ! -f build/torch2/build.ninja ]; then
  cmake --preset torch2 >/dev/null
fi
cmake --build --preset torch2 --target bench_train bench_extract
t2bin="$here/build/torch2"
t2py="$here/.venv-torch2/bin/python"
"$t2py" -c 'import torch, sys; print(torch.__version__, sys.version.split()[0])' \
  >"$out/python-torch2.txt"
for arch in "${archs[@]}"; do
  for h in "${hidden_one[@]}"; do
    for side in 113 215; do
      if [ "$side" = 113 ]; then b=$bin; else b=$t2bin; fi
      gbench "t2-cpp$side-$arch-$h" env OPENBLAS_NUM_THREADS=1 "$b/bench/bench_train" \
        --archs="$arch" --hidden="$h" --threads=1 --precisions=fp32,bf16 \
        --repetitions="$reps" --heavy-repetitions="$heavy_reps" --min-time="$min_time"
    done
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
real=${VIDRNN_REAL_CLIPS:-$here/../shared/data/real-clips}
if [ -d "$real" ]; then
  for side in 113 215; do
    if [ "$side" = 113 ]; then b=$bin; else b=$t2bin; fi
    gbench "t2-extract$side" "$b/bench/bench_extract" --data="$real" --sizes=224 --frames=8 \
      --backbone=mobilenet_v2 --threads=1 --repetitions=3 --scratch="$scratch/t2-extract$side" \
      --benchmark_filter='e2e|backbone'
  done
  # The backbone's peer from each Python: the same TorchScript file on the same
  # batches (112 frames = 14 clips x 8, in batches of 64 and 48), one thread.
  for side in 113 215; do
    if [ "$side" = 113 ]; then peer=$py; else peer=$t2py; fi
    extract_peer "t2-extract-peer$side" "$peer" --frames 112 --batch 64 --repetitions 3
  done
fi
fi

# --- bf16demo. the demo in fp32 and with auto (part of bf16, not with --quick) --
if { [ "$quick" = 0 ] && want bf16; } || [[ ",$only," == *",bf16demo,"* ]]; then
echo "== bf16demo. the demo, fp32 against auto"
if "$vidrnn" info --json | grep -q '"native_bf16": "none'; then
  echo "bench.sh: this CPU has no native bf16: the demo's auto is fp32; bf16demo skipped" >&2
else
  # Fresh stores, one feature cache extracted first so that neither run pays
  # for extraction; each run's report kept to compare the accuracy tables.
  mkdir -p "$scratch/bf16"
  (cd "$scratch/bf16" && export VIDRNN_CACHE="$scratch/bf16/cache" &&
    "$vidrnn" --quiet data generate --out demo-data --preset small >/dev/null &&
    "$vidrnn" --quiet extract demo-data --size 64 --frames 12 >/dev/null &&
    timed bf16-demo-fp32 "$vidrnn" --db fp32.db demo --precision fp32 &&
    timed bf16-demo-auto "$vidrnn" --db auto.db demo --precision auto &&
    for p in fp32 auto; do
      "$vidrnn" --db "$p.db" runs list --json >"$out/bf16-demo-$p-runs.json"
    done)
  rm -rf "$scratch/bf16"
fi
fi

# --- 4. the demo main job and UCF11-scale memory (not with --quick) -------------
if { [ "$quick" = 0 ] && want 4; } || [[ ",$only," == *",4,"* ]]; then
  echo "== 4. demo and UCF11-scale memory"
  mkdir -p "$scratch/demo"
  # A fresh store and cache (without --db the store is the XDG data folder's).
  (cd "$scratch/demo" && export XDG_DATA_HOME="$scratch/demo/xdg" XDG_CACHE_HOME="$scratch/demo/xdg" &&
    timed demo "$vidrnn" demo &&
    { "$vidrnn" report --format json >"$out/demo-report.json" 2>/dev/null || true; })
  rm -rf "$scratch/demo"
  if [ -f build/bench-data/full/demo.json ]; then
    "$vidrnn" --quiet data generate --out build/bench-data/full --preset full >/dev/null
  else
    timed generate-full "$vidrnn" --quiet data generate --out build/bench-data/full --preset full
  fi
  timed extract-full "$vidrnn" --quiet extract --data build/bench-data/full --size 112 \
    --cache "$scratch/cache" --json
  timed train-full "$vidrnn" --quiet --db "$scratch/full.db" train --data build/bench-data/full \
    --arch convlstm --hidden 64 --epochs 1 --size 112 --cache "$scratch/cache" --json
fi

uptime >"$out/uptime-end.txt"
kill "$sampler" 2>/dev/null || true
sampler=""
if [ "$no_report" = 1 ]; then
  echo "results in ${out#$here/} (no report written: --no-report)"
else
  "$py" bench/report.py --results "$out" --out docs/BENCHMARKS.md
  echo "wrote docs/BENCHMARKS.md (raw results in ${out#$here/})"
fi
