#!/usr/bin/env bash
# Compares the explicit and the z3 engine as the number of withdrawers N grows, with small value
# ranges (both engines can answer) and large ones (10^9 values per parameter: only z3 can).
# Usage: bench/engines.sh [racecheck binary] [seconds per run, default 300]
# Not a test: numbers depend on the machine. Record them in docs/performance.md ("Z3 engine").
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/racecheck}
limit=${2:-300}

run() {
  local engine=$1 model=$2 n=$3 label=$4
  shift 4
  local err
  err=$(mktemp)
  "$bin" -q --format json --engine "$engine" --max-seconds "$limit" --set "N=$n" "$@" "bench/$model.cr" 2>"$err" |
    python3 bench/engine_row.py "$engine" "$model" "$n" "$label" "$err"
  rm -f "$err"
}

# Small values: amounts 10 + self (bench/withdrawers.cr, instances told apart by their amount).
for n in 2 3 4 5 6 7 8; do
  run explicit withdrawers "$n" amounts
  run z3 withdrawers "$n" amounts
done
# Small ranges: every amount in 1..3 and every start in 0..3 (interchangeable instances).
for n in 2 3 4 5 6 7 8; do
  run explicit withdrawers_range "$n" MAX=3 --set MAX=3
  run z3 withdrawers_range "$n" MAX=3 --set MAX=3
done
# Large ranges: every amount in 1..10^9 and every start in 0..10^9.
for n in 2 3 4 5 6 7 8 10 12; do
  run explicit withdrawers_range "$n" MAX=1e9 --set MAX=1000000000
  run z3 withdrawers_range "$n" MAX=1e9 --set MAX=1000000000
done
