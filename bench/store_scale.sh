#!/usr/bin/env bash
# The CLI and the workbench on stores of 0, 1k, 10k and 50k runs, made the same
# way: one real run trained on the tiny demo, cloned with all its rows.
#
#   bash bench/store_scale.sh [BUILD_DIR] [OUT_DIR]
#
# CLI: median of 3 wall times and the peak memory of each command (GNU time).
# Workbench (offscreen): each action's time and longest UI-thread stall
# (bench_store_scale --workbench). Writes OUT_DIR/cli.tsv and
# OUT_DIR/workbench-N.jsonl; tools/bench.sh runs it as section "store" and
# bench/report.py renders them (section 7 of docs/BENCHMARKS.md):
#   python3 bench/report.py --results DIR --section store --out FILE
# renders this section alone from DIR/store-scale.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build/dev}
out=${2:-$build/bench-results/store-scale}
mkdir -p "$out"
cli=$build/app/vidrnn
tool=$build/bench/bench_store_scale
for f in "$cli" "$tool"; do
  [ -x "$f" ] || { echo "store_scale.sh: $f is not built" >&2; exit 1; }
done
work=$out/stores
mkdir -p "$work"

# --- one real run, then the stores ------------------------------------------
if [ ! -s "$work/source.db" ]; then
  "$cli" -q data generate --out "$work/demo" --preset tiny >/dev/null
  "$cli" -q --threads 2 --db "$work/source.db" train --data "$work/demo" --arch gru \
    --hidden 32 --epochs 3 --size 32 --frames 4 --device cpu --cache "$work/cache" >/dev/null
fi
sizes=(0 1000 10000 50000)
for n in "${sizes[@]}"; do
  [ -s "$work/store-$n.db" ] || "$tool" --grow "$work/source.db" "$work/store-$n.db" "$n"
done

# --- CLI ---------------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run_cli() {  # run_cli NAME STORE ARGS... -> "name<TAB>store<TAB>median s<TAB>max MB"
  local name=$1 store=$2
  shift 2
  local times=() mem=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$out/time.txt" "$cli" --db "$store" "$@" >/dev/null 2>&1 || true
    read -r t m <"$out/time.txt"
    times+=("$t")
    [ "$m" -gt "$mem" ] && mem=$m
  done
  printf '%s\t%s\t%s\t%.0f\n' "$name" "$(basename "$store" .db)" \
    "$(printf '%s\n' "${times[@]}" | median)" "$((mem / 1024))"
}
: >"$out/cli.tsv"
for n in "${sizes[@]}"; do
  store=$work/store-$n.db
  id=$("$cli" --db "$store" runs list --limit 1 --json | sed -n 's/^ *"id": \([0-9]*\),/\1/p' | head -1)
  id=${id:-1}
  {
    run_cli "--version" "$store" --version
    run_cli "runs list" "$store" runs list
    run_cli "runs list --limit 20" "$store" runs list --limit 20
    run_cli "runs list --json" "$store" runs list --json
    run_cli "runs show" "$store" runs show "$id"
    run_cli "report" "$store" report
    run_cli "store check" "$store" store check
  } | tee -a "$out/cli.tsv"
done

# --- workbench ----------------------------------------------------------------
for n in 1000 10000 50000; do
  cp "$work/store-$n.db" "$work/wb-$n.db"
  QT_QPA_PLATFORM=offscreen "$tool" --workbench "$work/wb-$n.db" | tee "$out/workbench-$n.jsonl"
  rm -f "$work/wb-$n.db" "$work/wb-$n.db-wal" "$work/wb-$n.db-shm"
done
echo "results in $out"
