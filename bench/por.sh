#!/usr/bin/env bash
# Partial-order reduction, on and off: states, seconds and reduced expansions per model, for the
# bench/ models at a few sizes and every model in models/ (and models/anomalies/).
# Usage: bench/por.sh [racecheck binary]   (default: build/racecheck)
# Not a test: numbers depend on the machine and its load. Record them in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/racecheck}

row() {
  local name=$1
  shift
  local on off
  on=$("$bin" -q --format json "$@" || true)
  off=$("$bin" -q --format json --no-por "$@" || true)
  python3 bench/por_row.py "$name" "$on" "$off"
}

for n in 3 4 5; do row "counter N=$n" --set "N=$n" bench/counter.cr; done
for n in 8 12 16; do row "withdrawers N=$n" --set "N=$n" bench/withdrawers.cr; done
for n in 4 6 8; do row "philosophers N=$n" --set "N=$n" bench/philosophers.cr; done
for model in models/*.cr models/anomalies/*.cr; do row "$(basename "$model" .cr)" --max-seconds 120 "$model"; done
