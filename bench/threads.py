#!/usr/bin/env python3
"""One thread against two on the same runs, alternating, with a check of what the machine gave.

Usage: bench/threads.py [racecheck binary] (default: build/racecheck)
Environment: ROUNDS (default 5) alternations per run.

Each round runs one thread, then two, on each run below, and prints every wall-clock time,
the best and the median of each, and the processor time (user + system) of each run.

A virtual machine's two cores are not always two cores: when the host runs both on one of its
own, a two-thread run takes as long as its processor time, and a one-thread run's processor
time grows too. So each round also runs the one-thread search twice at once, as two processes
that share nothing: `pair` is their wall-clock time over that of one alone. Near 1.0 the machine
had two cores to give; near 2.0 it had one, and the speed-up of that round says nothing about
racecheck. Not a test: record the numbers in docs/performance.md with the load beside them.
"""
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "racecheck")
ROUNDS = int(os.environ.get("ROUNDS", "5"))
RUNS = [
    ("optimistic N=7 --no-symmetry", ["bench/withdraw_optimistic.cr", "--set", "N=7", "--no-symmetry"]),
    ("optimistic N=12", ["bench/withdraw_optimistic.cr", "--set", "N=12"]),
]


def timed(commands):
    """Runs the commands at once; returns the wall-clock time and their processor time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    processes = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for c in commands]
    for p in processes:
        if p.wait() != 0:
            sys.exit(f"failed: {' '.join(commands[0])}")
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summary(times):
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


def main():
    print(f"{BINARY}, {ROUNDS} rounds, load {os.getloadavg()[0]:.1f} at the start")
    for name, args in RUNS:
        one, two, pairs = [], [], []
        for _ in range(ROUNDS):
            command = [BINARY, *args, "-q", "--threads"]
            wall1, cpu1 = timed([command + ["1"]])
            wall2, cpu2 = timed([command + ["2"]])
            pair, _ = timed([command + ["1"], command + ["1"]])
            one.append(wall1)
            two.append(wall2)
            pairs.append(pair / wall1)
            print(f"  {name}: 1 thread {wall1:.2f} s (cpu {cpu1:.2f}), 2 threads {wall2:.2f} s "
                  f"(cpu {cpu2:.2f}), speed-up {wall1 / wall2:.2f}, pair {pair / wall1:.2f}")
        good = [one[k] / two[k] for k in range(ROUNDS) if pairs[k] < 1.15]
        print(f"{name}: 1 thread {summary(one)}; 2 threads {summary(two)}; speed-up of the medians "
              f"{statistics.median(one) / statistics.median(two):.2f}; in the {len(good)} rounds with "
              f"pair < 1.15: " + (f"median speed-up {statistics.median(good):.2f}" if good else "none"))


if __name__ == "__main__":
    main()
