"""Formats one racecheck JSON report (or its refusal on stderr) as a row of bench/engines.sh.
Usage: engine_row.py ENGINE MODEL N LABEL STDERR_FILE < report.json"""
import json
import sys

engine, model, n, label, stderr_file = sys.argv[1:6]
head = f"{model:<18} {label:<10} N={n:<3} {engine:<9}"
text = sys.stdin.read()
if not text.strip():
    lines = open(stderr_file).read().strip().splitlines()
    print(f"{head} refused: {lines[0][:100] if lines else '(no output)'}")
    sys.exit()
# Schema version 2: a refused model is a result without reports, its diagnostics saying why.
result = json.loads(text)["results"][0]
if not result["reports"]:
    message = result["diagnostics"][0]["message"] if result["diagnostics"] else "(no message)"
    print(f"{head} refused: {message[:100]}")
    sys.exit()
report = result["reports"][0]
stats = report["stats"]
if engine == "explicit":
    what = f"states={stats['states']:<10} peak {stats['peak_memory_bytes'] / 2**20:7.1f} MiB"
else:
    solver = stats.get("solver") or {}
    what = (f"depth={stats['depth']:<3} variables={solver.get('variables', 0):<6} "
            f"constraints={solver.get('constraints', 0):<6}")
verdict = report["verdict"]
if verdict == "inconclusive":
    verdict = "limit"
print(f"{head} {verdict:<9} {stats['seconds']:8.2f} s  {what}")
