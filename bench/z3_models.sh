#!/usr/bin/env bash
# Times every model in models/ and the slow z3 cases in bench/ (issue 15) with --engine z3, one
# run at a time (the machine is shared), each stopped at a limit (default 300 s): one row per
# model with the wall time, the exit code, the load average, Z3's conflicts (its work, counted
# alike on any machine: compare these across runs) and the verdict line.
# Usage: bench/z3_models.sh [racecheck binary] [seconds per model] [model...]
# Not a test: numbers depend on the machine and its load. Record them in docs/performance.md.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/racecheck}
limit=${2:-300}
shift $(($# < 2 ? $# : 2))
if [ $# -gt 0 ]; then
  models=("$@")
else
  models=(models/*.cr models/anomalies/*.cr bench/oncall_serializable3.cr
          bench/transfer_ring_for_update.cr bench/mutex_product.cr bench/mutex_boolean.cr)
fi
out=$(mktemp)
json=$(mktemp)
trap 'rm -f "$out" "$json"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, limit ${limit} s"
for model in "${models[@]}"; do
  [ -f "$model" ] || continue
  start=$(date +%s.%N)
  "$bin" -q --color never --engine z3 --max-seconds "$limit" --format text --output - \
    --format json --output "$json" "$model" >"$out" 2>&1
  rc=$?
  end=$(date +%s.%N)
  conflicts=$(grep -m1 '"conflicts"' "$json" | tr -dc 0-9)
  printf '%-52s %8.2f s  exit %d  load %5s  %9s conflicts  %s\n' "$model" "$(echo "$end - $start" | bc)" "$rc" \
    "$(cut -d' ' -f1 /proc/loadavg)" "${conflicts:--}" "$(grep -m1 -E '^(SAFE|VIOLATION|DEADLOCK|INCONCLUSIVE)' "$out" | cut -c1-60)"
done
