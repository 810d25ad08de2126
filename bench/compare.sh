#!/usr/bin/env bash
# This racecheck beside an earlier one, in one run: each row runs both binaries on the same
# model and options, one right after the other (so a change in the machine's load hits both),
# and prints verdicts, states, seconds and the speed-up.
# Usage: bench/compare.sh [revision] [racecheck binary]
#   revision  the earlier racecheck (default: 6611515, the last commit before issue 15's
#             reductions); built once into /tmp/racecheck-<revision> with a Release build
#   binary    this racecheck (default: build/racecheck)
# Every run stops at BENCH_SECONDS (default 120): a "limit" row is one that ran out of time.
# Not a test: numbers depend on the machine and its load. Record them in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
revision=${1:-6611515}
bin=${2:-build/racecheck}
seconds=${BENCH_SECONDS:-120}
old_dir=/tmp/racecheck-$revision
old=$old_dir/build/racecheck

if [ ! -x "$old" ]; then
  [ -d "$old_dir" ] || git worktree add --detach "$old_dir" "$revision" >&2
  cmake -S "$old_dir" -B "$old_dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "$old_dir/build" --target racecheck >&2
fi

row() {
  local name=$1
  shift
  local before after
  before=$("$old" -q --format json --max-seconds "$seconds" "$@" || true)
  after=$("$bin" -q --format json --max-seconds "$seconds" "$@" || true)
  python3 bench/compare_row.py "$name" "$before" "$after"
}

echo "model                          | before: verdict, states, seconds | now: verdict, states, seconds | speed-up"
for n in 7 8 10 12; do row "withdraw_optimistic N=$n" --set "N=$n" bench/withdraw_optimistic.cr; done
for n in 20 48; do row "withdraw_mutex N=$n" --set "N=$n" bench/withdraw_mutex.cr; done
row "counter N=5" --set N=5 bench/counter.cr
row "withdrawers N=16" --set N=16 bench/withdrawers.cr
row "philosophers N=7" --set N=7 bench/philosophers.cr
row "withdraw_redlock_fenced z3" --engine z3 models/withdraw_redlock_fenced.cr
row "reliable_queue_lmove z3" --engine z3 models/reliable_queue_lmove.cr
row "oncall_serializable3 z3" --engine z3 bench/oncall_serializable3.cr
row "transfer_ring_for_update z3" --engine z3 bench/transfer_ring_for_update.cr
