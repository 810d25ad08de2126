#!/usr/bin/env bash
# How far past a limit the explicit engine stops (issue 13): generates models made to defeat the
# limits (one step with 2^32 choices; steps of close to a million instructions) and prints each
# run's wall time, its overshoot past --max-seconds, the verdict and the reason.
# Usage: bench/limits_explicit.sh [racecheck binary] [seconds] [cap]
#   seconds: the --max-seconds given (default 5); cap: kill a run after this many seconds
#   (default 150), for binaries from before the fix. Not a test: times depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/racecheck}
limit=${2:-5}
cap=${3:-150}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# One step, 4,294,967,296 branches, each to a state of its own.
cat >"$dir/wide_choose.cr" <<'EOF'
model wide_choose
shared x = 0
process P {
    choose n in -2147483648..2147483647
    x = n
}
EOF
# One step, 4,294,967,296 branches, all to one state (the instance finishes): no state to count.
cat >"$dir/wide_choose_one_state.cr" <<'EOF'
model wide_choose_one_state
process P {
    choose n in -2147483648..2147483647
}
EOF
# Steps of about 900,000 local instructions from many states: each of the 3 instances picks one
# of 1,001 values, loops, then writes it.
cat >"$dir/long_loops_many_states.cr" <<'EOF'
model long_loops_many_states
shared x = 0
process P[3] {
    choose k in 0..1000
    let i = 0
    while i < 300000 {
        i = i + 1
    }
    x = k
}
EOF
# Steps of about 900,000 local instructions, 2,001 branches each, that reach few states.
cat >"$dir/long_loops_few_states.cr" <<'EOF'
model long_loops_few_states
process P[4] {
    choose k in 0..2000
    let i = 0
    while i < 300000 {
        i = i + 1
    }
}
EOF

run() {
  local model=$1
  shift
  local start end rc=0
  start=$(date +%s.%N)
  timeout "$cap" "$bin" -q --format json "$@" "$dir/$model.cr" >"$dir/out.json" 2>/dev/null || rc=$?
  end=$(date +%s.%N)
  python3 - "$model" "$*" "$start" "$end" "$rc" "$limit" "$cap" "$dir/out.json" <<'EOF'
import json, sys
model, args, start, end, rc, limit, cap, out = sys.argv[1:]
wall = float(end) - float(start)
head = f"{model:<24} {args:<18} {wall:7.2f} s wall"
if rc == "124":
    print(f"{head}  killed at the {cap} s cap, no report")
    sys.exit()
report = json.load(open(out))["results"][0]["reports"][0]
stats = report["stats"]
over = f"overshoot {wall - float(limit):+6.2f} s" if "--max-seconds" in args else " " * 17
print(f"{head}  {over}  {report['verdict']:<12} states={stats['states']:<9} "
      f"transitions={stats['transitions']:<11} {report['inconclusive_reason'] or ''}")
EOF
}

run wide_choose --max-states 1000
run wide_choose --max-seconds "$limit"
run wide_choose_one_state --max-seconds "$limit"
run long_loops_many_states --max-seconds "$limit"
run long_loops_few_states --max-seconds "$limit"
