#!/usr/bin/env bash
# How far the z3 engine overruns its limits (issue 13): wall time of --max-seconds 5 on a model
# of 20 serializable transactions and on one of 201 processes, the peak resident memory under
# --max-memory, and (with a CLI that handles Ctrl-C) the time from SIGINT to exit.
# Usage: bench/limits_overshoot.sh [racecheck binary] [runs per case, default 3]
# Not a test: numbers depend on the machine and its load. Record them in docs/z3-encoding.md.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/racecheck}
runs=${2:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Twenty serializable transactions on one row: the solver needs minutes, and Z3 took 45 to
# 118 s to free its context after 5 s of work.
cat >"$dir/serial20.cr" <<'MODEL'
model serial20
runtime threads
table counters(id key, n) { (1, 0) }
allow failure
process Increment[20] {
    transaction isolation serializable {
        let x = select n from counters where id = 1
        update counters set n = x + 1 where id = 1
    }
}
final bounded: counters[1].n <= 20
MODEL

# 201 processes (one declaration each; arrays stop at 64): every step encodes 201 movers.
{
  echo "model many201"
  echo "runtime threads"
  echo "shared x = 0"
  for i in $(seq 0 200); do
    printf 'process P%d {\n    let t = x\n    x = t + 1\n}\n' "$i"
  done
  echo "invariant small: x <= 1000"
} >"$dir/many201.cr"

# One run: wall seconds, peak resident MiB, exit code, and the reported verdict line.
measure() {
  local model=$1
  shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$dir/rss" "$bin" -q --color never "$@" "$dir/$model.cr" >"$dir/out" 2>"$dir/err"
  local rc=$?
  end=$(date +%s.%N)
  printf '%-9s %-32s wall %6.2f s  peak %5d MiB  exit %d  %s\n' "$model" "$*" "$(echo "$end - $start" | bc)" \
    "$(($(tail -1 "$dir/rss") / 1024))" "$rc" "$(head -1 "$dir/out" | cut -c1-90)"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for model in serial20 many201; do
  for _ in $(seq "$runs"); do measure "$model" --engine z3 --max-seconds 5; done
done
for limit in 100M 300M; do
  measure serial20 --engine z3 --max-memory "$limit" --max-seconds 300
done
measure serial20 --engine both --max-seconds 5

# Ctrl-C three seconds in: the time from the signal to the exit (the CLI asks the engines to
# stop; a second Ctrl-C would end the process at once). `timeout` sends it, and kills the run
# a minute later should it not stop.
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  timeout --preserve-status -s INT -k 60 3 "$bin" -q --color never --engine z3 "$dir/serial20.cr" >"$dir/out" 2>"$dir/err"
  rc=$?
  end=$(date +%s.%N)
  printf 'serial20  Ctrl-C after 3 s                  exit %.2f s after the signal, exit %d  %s\n' \
    "$(echo "$end - $start - 3" | bc)" "$rc" "$(head -1 "$dir/out" | cut -c1-70)"
done
