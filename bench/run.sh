#!/usr/bin/env bash
# Prints states, transitions, seconds, states/s and peak memory per model and size N.
# Usage: bench/run.sh [racecheck binary]   (default: build/racecheck; build it in Release first)
# Not a test: numbers depend on the machine. Record them in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/racecheck}

run() {
  local model=$1 n=$2
  shift 2
  "$bin" -q --format json --set "N=$n" "$@" "bench/$model.cr" | python3 bench/row.py "$model" "$n"
}

for n in 2 3 4 5 6; do run counter "$n"; done
for n in 4 8 12 16 18; do run withdrawers "$n"; done
for n in 2 3 4 5 6 7 8; do run philosophers "$n"; done
# Symmetry reduction (issue 15): identical instances, with it (default) and without.
for n in 7 8 9 10 12; do run withdraw_optimistic "$n"; done
for n in 20 48; do run withdraw_mutex "$n"; done
if [ "${BENCH_UNREDUCED:-0}" = 1 ]; then
  for n in 7 8; do run withdraw_optimistic "$n" --no-symmetry; done
  for n in 8 10 12; do run withdraw_mutex "$n" --no-symmetry; done
fi
