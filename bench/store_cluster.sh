#!/usr/bin/env bash
# The run store as a cell queue on SQLite and on a throwaway PostgreSQL
# (Unix socket, fsync off as in the tests): claim latency and cells/s with
# 1, 2 and 4 worker processes, and listing 10,000 runs. Prints Markdown
# table rows for docs/BENCHMARKS.md.
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
