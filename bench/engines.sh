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
  local engine=$1 model=$2 n=$3
  shift 3
  "$bin" -q --format json --engine "$engine" --max-seconds "$limit" --set "N=$n" "$@" "bench/$model.cr" 2>/tmp/engines_stderr.$$ |
    python3 -c '
import json, sys
engine, model, n, extra = sys.argv[1:5]
text = sys.stdin.read()
if not text.strip():
    err = open(sys.argv[5]).read().strip().splitlines()
    print(f"{model:<18} {extra:<10} N={n:<3} {engine:<9} refused: {err[0][:90] if err else \"(no output)\"}")
    sys.exit()
r = json.loads(text)
s = r["stats"]
what = (f"states={s[\"states\"]:<10}" if engine == "explicit"
        else f"depth={s[\"depth\"]:<3} vars={s.get(\"solver\", {}).get(\"variables\", 0):<6} "
             f"constraints={s.get(\"solver\", {}).get(\"constraints\", 0):<6}")
print(f"{model:<18} {extra:<10} N={n:<3} {engine:<9} {r[\"verdict\"]:<12} {s[\"seconds\"]:8.2f} s  {what}")
' "$engine" "$model" "$n" "$*" /tmp/engines_stderr.$$
  rm -f /tmp/engines_stderr.$$
}

# Small values: amounts 10 + self (bench/withdrawers.cr, instances told apart by their amount).
for n in 2 3 4 5 6 7 8; do
  run explicit withdrawers "$n"
  run z3 withdrawers "$n"
done
# Small ranges: every amount in 1..3 and every start in 0..3 (interchangeable instances).
for n in 2 3 4 5 6 7 8; do
  run explicit withdrawers_range "$n" --set MAX=3
  run z3 withdrawers_range "$n" --set MAX=3
done
# Large ranges: every amount in 1..10^9 and every start in 0..10^9.
for n in 2 3 4 5 6 7 8 10 12; do
  run explicit withdrawers_range "$n" --set MAX=1000000000
  run z3 withdrawers_range "$n" --set MAX=1000000000
done
