#!/usr/bin/env bash
# vidrnn sweep --slurm 3 on a single-node Slurm on localhost into a throwaway
# PostgreSQL (docs/cluster.md, "What the design rests on"), from an empty feature
# cache: the extraction array runs first (the workers wait on it), its three
# shards compute every clip's features exactly once and no worker computes
# any; the 12-cell sweep completes with every cell once, `sweep status` names
# the Slurm job of a running cell, and one array task cancelled with scancel
# leaves its cells to the others. Exit 77 (skipped) when a package is missing or not root
# (slurmd runs as root here); every daemon is stopped by pid on exit.
#   cluster_slurm.sh VIDRNN
set -euo pipefail
VIDRNN=$(readlink -f "$1")
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (slurmd and munged are started here)"
for tool in /usr/sbin/slurmctld:slurmctld /usr/sbin/slurmd:slurmd /usr/bin/sbatch:slurm-client \
            /usr/sbin/munged:munge /usr/lib/postgresql/15/bin/initdb:postgresql-15; do
  [ -x "${tool%%:*}" ] || skip "package ${tool##*:} is missing (tools/setup.sh installs it)"
done

D=$(mktemp -d /tmp/vidrnn-slurm.XXXXXX); chmod 755 "$D"
PGBIN=/usr/lib/postgresql/15/bin
AS="setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env --"
pids=()
cleanup() {
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet -u root 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  $AS $PGBIN/pg_ctl -D "$D/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$D"
}
trap cleanup EXIT

# PostgreSQL
mkdir -p "$D/pg/sock"; chown -R nobody:nogroup "$D/pg"
$AS $PGBIN/initdb -D "$D/pg/data" -U vidrnn --auth=trust -N -E UTF8 --locale=C >/dev/null
$AS $PGBIN/pg_ctl -D "$D/pg/data" -l "$D/pg/server.log" -w -t 30 \
  -o "-k $D/pg/sock -c listen_addresses='' -c fsync=off -c synchronous_commit=off" start >/dev/null
$AS $PGBIN/createdb -h "$D/pg/sock" -U vidrnn vidrnn
URL="postgresql:///vidrnn?host=$D/pg/sock&user=vidrnn"

# Slurm: munge, slurmctld, slurmd
mkdir -p "$D/munge" "$D/state" "$D/spool" "$D/log"
dd if=/dev/urandom of="$D/munge/munge.key" bs=1 count=1024 2>/dev/null
chown -R munge:munge "$D/munge"; chmod 755 "$D/munge"; chmod 400 "$D/munge/munge.key"
runuser -u munge -- /usr/sbin/munged --socket="$D/munge/munge.sock" --key-file="$D/munge/munge.key" \
  --pid-file="$D/munge/munged.pid" --log-file="$D/munge/munged.log" --seed-file="$D/munge/munged.seed"
pids+=("$(cat "$D/munge/munged.pid")")
H=$(hostname -s)
MEM=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
cat > "$D/slurm.conf" <<CONF
ClusterName=vidrnntest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.sock
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$MEM
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$D/slurm.conf"
/usr/sbin/slurmctld -f "$SLURM_CONF" -i -c; /usr/sbin/slurmd -f "$SLURM_CONF"
for i in $(seq 100); do
  [ -s "$D/slurmctld.pid" ] && [ -s "$D/slurmd.pid" ] && break; sleep 0.1
done
pids+=("$(cat "$D/slurmd.pid")" "$(cat "$D/slurmctld.pid")")
for i in $(seq 100); do sinfo -h -N -o %t 2>/dev/null | grep -qx idle && break; sleep 0.2; done

# The sweep: tiny demo data, an empty cache (on shared storage on a cluster)
cd "$D"
"$VIDRNN" -q data generate --out demo --preset tiny >/dev/null
clips=$("$VIDRNN" -q data scan demo --json | sed -n 's/^  "clips": \([0-9]*\),$/\1/p')
[ -n "$clips" ] || { echo "FAIL: data scan gave no clip count"; exit 1; }
DATA=(--data "$D/demo" --size 32 --frames 4 --cache "$D/cache" --device cpu --backbone resnet18)
"$VIDRNN" -q --db "$URL" store check >/dev/null
start=$(date +%s)
# Cells long enough (a few seconds each) that a running one is seen.
submitted=$("$VIDRNN" -q --threads 1 --db "$URL" sweep --archs lstm gru mean_pool --hidden 8 16 \
  --seeds 2 --split random --epochs 300 --batch 2 --patience 0 --lease 3 "${DATA[@]}" --slurm 3)
echo "$submitted"
extraction=$(echo "$submitted" | sed -n 's/^submitted extraction job array \([0-9]*\):.*/\1/p')
job=$(echo "$submitted" | sed -n 's/^submitted job array \([0-9]*\):.*/\1/p')
[ -n "$extraction" ] && [ -n "$job" ] || { echo "FAIL: not two job arrays submitted"; exit 1; }
# The workers wait for the extraction array (afterok).
depends=$(squeue -h -j "$job" -o %E | sort -u | tr '\n' ' ')
echo "workers' job $job depends on: $depends"
case "$depends" in *afterok:${extraction}*) ;; *) echo "FAIL: the workers do not wait for job $extraction"; exit 1 ;; esac

# While it runs: status names the Slurm job of a running cell; then one
# running array task is cancelled.
seen=""
for i in $(seq 300); do
  status=$("$VIDRNN" --db "$URL" sweep status || true)  # "no sweep yet" at first
  if echo "$status" | grep -q " ${job}_[0-9]"; then seen=$status; break; fi
  sleep 0.2
done
[ -n "$seen" ] || { echo "FAIL: sweep status never named job $job"; echo "$status"; exit 1; }
echo "$seen"
victim=$(echo "$seen" | grep -o " ${job}_[0-9]" | head -1 | tr -d ' ')
scancel "$victim"
echo "cancelled array task $victim"

for i in $(seq 900); do [ -z "$(squeue -h)" ] && break; sleep 0.2; done
[ -z "$(squeue -h)" ] || { echo "FAIL: the job array did not finish"; squeue; exit 1; }
final=$("$VIDRNN" --db "$URL" sweep status)
echo "$final"
echo "$final" | grep -q "12 cells: 12 done, 0 running, 0 queued, 0 failed" || { echo "FAIL"; exit 1; }
runs=$(psql -X -A -t -h "$D/pg/sock" -U vidrnn vidrnn -c \
  "SELECT count(*) || ' runs, ' || count(DISTINCT (arch, hidden, layers, fold, seed)) || ' cells, ' || sum(attempts) || ' claims, jobs ' || string_agg(DISTINCT owner_job, ',') FROM runs WHERE kind = 'trained'")
echo "slurm: $runs in $(( $(date +%s) - start )) s"
echo "$runs" | grep -q "^12 runs, 12 cells" || { echo "FAIL: not one run per cell"; exit 1; }

# Every clip's features computed exactly once, by the extraction shards
# (their summary lines), none by a worker: no entry is newer than the last
# extraction log, which the first run row follows.
computed=0
for task in 0 1 2; do
  log="$D/vidrnn-extract-${extraction}_${task}.out"
  line=$(grep -o "^shard ${task}/3 .* clips with features ([0-9]* computed, [0-9]* cached" "$log") ||
    { echo "FAIL: no summary of shard $task/3"; cat "$log"; exit 1; }
  echo "$line"
  n=$(echo "$line" | sed 's/.*(\([0-9]*\) computed, \([0-9]*\) cached/\1 \2/')
  [ "${n#* }" = 0 ] || { echo "FAIL: shard $task/3 found entries it should have made"; exit 1; }
  computed=$(( computed + ${n% *} ))
done
entries=$(find "$D/cache" -name '*.feat' | wc -l)
echo "extraction: $computed clips computed over 3 shards, $entries cache entries, $clips clips"
[ "$computed" = "$clips" ] && [ "$entries" = "$clips" ] ||
  { echo "FAIL: not every clip computed exactly once"; exit 1; }
newest_entry=$(find "$D/cache" -name '*.feat' -printf '%T@\n' | sort -n | tail -1)
last_log=$(stat -c %.Y "$D"/vidrnn-extract-"${extraction}"_*.out | sort -n | tail -1)
first_run=$(psql -X -A -t -h "$D/pg/sock" -U vidrnn vidrnn -c \
  "SELECT extract(epoch FROM min(created_at)::timestamptz) FROM runs WHERE kind = 'trained'")
echo "newest entry $newest_entry, last extraction log $last_log, first run $first_run"
awk -v e="$newest_entry" -v l="$last_log" -v r="$first_run" 'BEGIN { exit !(e <= l && l <= r) }' ||
  { echo "FAIL: features written after the extraction array, or training before it"; exit 1; }
