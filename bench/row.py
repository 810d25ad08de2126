"""Formats one racecheck JSON report as a benchmark row (used by bench/run.sh)."""
import json
import sys

# Schema version 2: the run object; its one model's one report.
report = json.load(sys.stdin)["results"][0]["reports"][0]
stats = report["stats"]
seconds = stats["seconds"]
rate = stats["states"] / seconds / 1e6 if seconds > 0 else float("nan")
name = sys.argv[1] + ("" if report.get("symmetry") else " (no symmetry)" if "withdraw_" in sys.argv[1] else "")
print(f"{name:<13} N={sys.argv[2]:<3} {report['verdict']:<12} states={stats['states']:<11} "
      f"transitions={stats['transitions']:<11} {seconds:8.2f} s {rate:6.2f} M states/s "
      f"peak {stats['peak_memory_bytes'] / 2**20:8.1f} MiB")
