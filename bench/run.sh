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
  "$bin" -q --format json --set "N=$n" "$@" "bench/$model.cr" | python3 -c '
import json, sys
r = json.load(sys.stdin)
s = r["stats"]
rate = s["states"] / s["seconds"] if s["seconds"] > 0 else float("nan")
print(f"{sys.argv[1]:<14} N={sys.argv[2]:<3} {r[\"verdict\"]:<12} states={s[\"states\"]:<11} "
      f"transitions={s[\"transitions\"]:<11} {s[\"seconds\"]:8.2f} s  {rate/1e6:6.2f} M states/s  "
      f"peak {s[\"peak_memory_bytes\"]/2**20:8.1f} MiB")
' "$model" "$n"
}

for n in 2 3 4 5 6 7; do run counter "$n"; done
for n in 2 4 6 8 10; do run withdrawers "$n"; done
for n in 2 3 4 5 6 7 8; do run philosophers "$n"; done
