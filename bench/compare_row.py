"""Formats two racecheck JSON reports of one run, before and now, as a row (bench/compare.sh)."""
import json
import sys


def summary(text):
    """(verdict, states or constraints, seconds) of one report, or None when it printed none."""
    try:
        report = json.loads(text)["results"][0]["reports"][0]
    except (ValueError, KeyError, IndexError):
        return None
    stats = report["stats"]
    verdict = "limit" if report["verdict"] == "inconclusive" else report["verdict"]
    return verdict, stats.get("states", 0), stats["seconds"]


def cell(s):
    if s is None:
        return f"{'no report':<32}"
    # The z3 engine stores no states.
    states = f"{s[1]:>11,}" if s[1] else f"{'-':>11}"
    return f"{s[0]:<10} {states} {s[2]:>8.2f} s"


before, now = summary(sys.argv[2]), summary(sys.argv[3])
speed = ""
if before and now and now[2] > 0:
    # A run stopped by the time limit took at least that long: the speed-up is at least this.
    speed = f"{'>=' if before[0] == 'limit' else ''}{before[2] / now[2]:.1f}x"
print(f"{sys.argv[1]:<30} | {cell(before)} | {cell(now)} | {speed}")
