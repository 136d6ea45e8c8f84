#!/usr/bin/env bash
# The run store as a cell queue on SQLite and on a throwaway PostgreSQL
# (Unix socket, fsync off as in the tests): claim latency and cells/s with
# 1, 2 and 4 worker processes, and listing 10,000 runs; then the engine's
# worker loop with simulated cells on PostgreSQL: completions per second and
# server CPU per cell against worker count (WORKERS, default 1 2 4 8 16 32
# 64; SIM_CELLS cells of SIM_EPOCHS epochs of SIM_EPOCH_MS each), server CPU
# per cell as epochs grow, and the time W = 1, 8, 32 workers take to leave a
# finished sweep of END_CELLS cells (default 1800). Prints Markdown table rows
# for docs/BENCHMARKS.md.
#   bench/store_cluster.sh [BUILD_DIR] [CELLS]
set -euo pipefail
BUILD=${1:-build/dev}
CELLS=${2:-400}
BENCH="$BUILD/bench/bench_store_cluster"
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/initdb" ] || { echo "postgresql-15 is not installed (tools/setup.sh)" >&2; exit 1; }

D=$(mktemp -d /tmp/vidrnn-bench.XXXXXX); chmod 755 "$D"; mkdir -p "$D/sock"
AS=""
if [ "$(id -u)" = 0 ]; then
  chown -R nobody:nogroup "$D"
  AS="setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env --"
fi
stop() { $AS $PGBIN/pg_ctl -D "$D/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$D"; }
trap stop EXIT
$AS $PGBIN/initdb -D "$D/data" -U vidrnn --auth=trust -N -E UTF8 --locale=C >/dev/null
$AS $PGBIN/pg_ctl -D "$D/data" -l "$D/server.log" -w -t 30 \
  -o "-k $D/sock -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
pg() { echo "postgresql:///$1?host=$D/sock&user=vidrnn"; }

echo "| backend | workers | cells | wall (s) | cells/s | claim (ms, mean) |"
echo "|---|---:|---:|---:|---:|---:|"
for w in 1 2 4; do
  $AS $PGBIN/createdb -h "$D/sock" -U vidrnn "claims$w"
  for store in "$D/claims$w.db" "$(pg "claims$w")"; do
    line=$("$BENCH" claims "$store" "$w" "$CELLS")
    backend=sqlite; case "$store" in postgresql*) backend=postgresql;; esac
    eval "$(echo "$line" | tr ' ' '\n' | grep = )"
    echo "| $backend | $w | $cells | $wall_s | $cells_per_s | $claim_ms |"
  done
done
echo
echo "| backend | runs | list all (s) |"
echo "|---|---:|---:|"
$AS $PGBIN/createdb -h "$D/sock" -U vidrnn list
for store in "$D/list.db" "$(pg list)"; do
  backend=sqlite; case "$store" in postgresql*) backend=postgresql;; esac
  "$BENCH" list "$store" 10000 >/dev/null  # creates them
  eval "$("$BENCH" list "$store" 10000 | tr ' ' '\n' | grep =)"
  echo "| $backend | $runs | $list_s |"
done

# Server CPU: the postmaster's own and its ended backends' (a backend's time
# is added to the postmaster's children's when it exits), in clock ticks.
TICK=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$(head -1 "$D/data/postmaster.pid")/stat"; }
# One simulated sweep on a new database: sets the bench's variables (cells,
# wall_s, ...) and cpu, the server's CPU per cell in ms.
#   simulate WORKERS CELLS EPOCHS EPOCH_MS
simulate() {
  n=$((n + 1)); $AS $PGBIN/createdb -h "$D/sock" -U vidrnn "sweep$n"
  "$BENCH" list "$(pg "sweep$n")" 0 >/dev/null  # schema and reference rows, outside the count
  local before; before=$(server_ticks)
  eval "$("$BENCH" sweep "$(pg "sweep$n")" "$@" | tr ' ' '\n' | grep =)"
  sleep 0.5  # the backends' exit reaches the postmaster's account
  cpu=$(awk -v t="$(( $(server_ticks) - before ))" -v hz="$TICK" -v c="$cells" 'BEGIN { printf "%.1f", 1000 * t / hz / c }')
}
SIM_CELLS=${SIM_CELLS:-256}
SIM_EPOCHS=${SIM_EPOCHS:-5}
SIM_EPOCH_MS=${SIM_EPOCH_MS:-20}
echo
echo "| workers | cells | epochs x ms | wall (s) | completions/s | claims | server CPU per cell (ms) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
n=0
for w in ${WORKERS:-1 2 4 8 16 32 64}; do
  simulate "$w" "$SIM_CELLS" "$SIM_EPOCHS" "$SIM_EPOCH_MS"
  echo "| $w | $cells | ${epochs} x $epoch_ms | $wall_s | $cells_per_s | $claims | $cpu |"
done
echo
echo "| workers | cells | epochs per cell | server CPU per cell (ms) |"
echo "|---:|---:|---:|---:|"
for e in 1 10 100; do
  simulate 4 "$SIM_CELLS" "$e" 1
  echo "| 4 | $cells | $e | $cpu |"
done
echo
echo "| workers | finished cells | all left after (s) | slowest worker (s) |"
echo "|---:|---:|---:|---:|"
for w in 1 8 32; do
  n=$((n + 1)); $AS $PGBIN/createdb -h "$D/sock" -U vidrnn "end$n"
  eval "$("$BENCH" end "$(pg "end$n")" "$w" "${END_CELLS:-1800}" | tr ' ' '\n' | grep =)"
  echo "| $w | $end_cells | $end_wall_s | $end_slowest_s |"
done
