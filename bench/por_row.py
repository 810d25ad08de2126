"""One row of bench/por.sh: a model's states and seconds with and without partial-order reduction."""
import json
import sys


def report(text):
    reports = json.loads(text)["results"][0]["reports"]
    return reports[0] if reports else None


name, on, off = sys.argv[1], report(sys.argv[2]), report(sys.argv[3])
if on is None or off is None:
    print(f"{name:<38} not run by the explicit engine")
    sys.exit(0)
a, b = on["stats"], off["stats"]
ratio = b["states"] / a["states"] if a["states"] else float("nan")
same = "" if on["verdict"] == off["verdict"] else "  VERDICTS DIFFER"
print(f"{name:<38} {on['verdict']:<12} por: {a['states']:>9} states {a['seconds']:7.2f} s "
      f"(reduced {a.get('reduced_expansions', 0):>8})   no-por: {b['states']:>9} states {b['seconds']:7.2f} s"
      f"   x{ratio:5.2f}{same}")
