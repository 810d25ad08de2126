#!/usr/bin/env python3
"""Checks racecheck's machine-readable outputs: JSON against docs/racecheck-report.schema.json,
SARIF against the SARIF 2.1.0 rules code scanning relies on, JUnit XML for well-formedness and the
testsuite/testcase/failure structure, GitHub workflow commands for their syntax.

Usage:
  check_formats.py FILE...         one file per output; the kind comes from the extension
                                   (.json, .sarif, .junit or .xml, .github). Golden files (with
                                   their "[stderr]" and "[exit N]" trailer) are accepted as they are.
  check_formats.py --golden DIR    every golden output under DIR (tests/golden)
  check_formats.py --self-test     shows that broken outputs are caught
Exits 1 naming each file and what is wrong with it."""
import json
import pathlib
import re
import sys
import xml.etree.ElementTree as ElementTree

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads((ROOT / "docs" / "racecheck-report.schema.json").read_text())

# SARIF 2.1.0, the parts racecheck writes, with the constraints of the OASIS specification
# (sections 3.13 to 3.38) that code scanning checks on upload: 1-based lines and columns,
# levels from the fixed set, every result with a message and a located file.
SARIF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "pattern": "sarif-2\\.1\\.0"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/run"}},
    },
    "definitions": {
        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
        "region": {
            "type": "object",
            "required": ["startLine"],
            "properties": {"startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1}},
        },
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    # A URI reference: no spaces, no backslashes, no control characters.
                    "properties": {"uri": {"type": "string", "pattern": "^[A-Za-z0-9\\-._~/%:]+$"}},
                },
                "region": {"$ref": "#/definitions/region"},
            },
        },
        "location": {
            "type": "object",
            "properties": {
                "physicalLocation": {"$ref": "#/definitions/physicalLocation"},
                "message": {"$ref": "#/definitions/message"},
            },
        },
        "result": {
            "type": "object",
            "required": ["ruleId", "level", "message", "locations"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": 0},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {"$ref": "#/definitions/message"},
                "locations": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "allOf": [
                            {"$ref": "#/definitions/location"},
                            {"required": ["physicalLocation"],
                             "properties": {"physicalLocation": {"required": ["artifactLocation", "region"]}}},
                        ]
                    },
                },
                "codeFlows": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["threadFlows"],
                        "properties": {
                            "message": {"$ref": "#/definitions/message"},
                            "threadFlows": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["locations"],
                                    "properties": {
                                        "locations": {
                                            "type": "array",
                                            "minItems": 1,
                                            "items": {
                                                "type": "object",
                                                "required": ["location"],
                                                "properties": {
                                                    "location": {"$ref": "#/definitions/location"},
                                                    "executionOrder": {"type": "integer", "minimum": -1},
                                                },
                                            },
                                        }
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "run": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {
                    "type": "object",
                    "required": ["driver"],
                    "properties": {
                        "driver": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string", "minLength": 1},
                                "rules": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id"],
                                        "properties": {
                                            "id": {"type": "string", "minLength": 1},
                                            "shortDescription": {"$ref": "#/definitions/message"},
                                        },
                                    },
                                },
                            },
                        }
                    },
                },
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
            },
        },
    },
}

GITHUB_COMMAND = re.compile(
    r"^::(error|warning|notice) file=[^,:\n]+(,line=[1-9][0-9]*(,col=[1-9][0-9]*)?)?,title=[^,:\n]*::[^\n]+$")
GITHUB_CLOSING = re.compile(r"^racecheck: [0-9]+ files?: [0-9]+ checked")


def strip_golden(text):
    """The output part of a golden file: everything before its [stderr] or [exit N] line."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line == "[stderr]" or re.fullmatch(r"\[exit [0-9]+\]", line):
            return "\n".join(lines[:i]) + ("\n" if i > 0 else "")
    return text


def schema_errors(document, schema):
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))]


def check_json(text):
    report = json.loads(text)
    problems = schema_errors(report, REPORT_SCHEMA)
    if problems:
        return problems
    # The summary counts what results holds.
    results = report["results"]
    summary = report["summary"]
    counted = {
        "files": len(results),
        "checked": sum(r["status"] == "checked" for r in results),
        "model_errors": sum(r["status"] == "model_error" for r in results),
        "not_checked": sum(r["status"] == "not_checked" for r in results),
        "engines_disagree": sum(r["engines_agree"] is False for r in results),
    }
    for key, value in counted.items():
        if summary[key] != value:
            problems.append(f"summary/{key} is {summary[key]}, results hold {value}")
    judged = summary["as_expected"] + summary["not_as_expected"] + summary["without_expectation"]
    if judged != summary["checked"]:
        problems.append(f"summary: as_expected + not_as_expected + without_expectation = {judged}, "
                        f"checked = {summary['checked']}")
    for r, result in enumerate(results):
        for report_json in result["reports"]:
            if report_json["file"] != result["file"]:
                problems.append(f"results/{r}: a report of {report_json['file']} under {result['file']}")
    return problems


def check_sarif(text):
    sarif = json.loads(text)
    problems = schema_errors(sarif, SARIF_SCHEMA)
    if problems:
        return problems
    for run in sarif["runs"]:
        rules = [rule["id"] for rule in run["tool"]["driver"].get("rules", [])]
        if len(rules) != len(set(rules)):
            problems.append("tool/driver/rules: an id appears twice")
        for k, result in enumerate(run["results"]):
            if rules and result["ruleId"] not in rules:
                problems.append(f"results/{k}: ruleId {result['ruleId']} is not among the rules")
            if "ruleIndex" in result and (result["ruleIndex"] >= len(rules) or rules[result["ruleIndex"]] != result["ruleId"]):
                problems.append(f"results/{k}: ruleIndex {result['ruleIndex']} does not name {result['ruleId']}")
            for flow in result.get("codeFlows", []):
                for thread in flow["threadFlows"]:
                    orders = [step.get("executionOrder") for step in thread["locations"]]
                    if orders != sorted(orders):
                        problems.append(f"results/{k}: the steps of a codeFlow are not in execution order")
    return problems


def check_junit(text):
    problems = []
    root = ElementTree.fromstring(text.encode("utf-8"))
    if root.tag != "testsuites":
        return [f"the root element is <{root.tag}>, not <testsuites>"]
    suites = root.findall("testsuite")
    if len(suites) != 1:
        problems.append(f"{len(suites)} <testsuite> elements, not one per run")
    for suite in suites:
        cases = suite.findall("testcase")
        outcomes = {"failure": 0, "error": 0, "skipped": 0}
        for case in cases:
            for attribute in ("classname", "name"):
                if not case.get(attribute):
                    problems.append(f"a <testcase> without {attribute}")
            children = [child.tag for child in case if child.tag in outcomes]
            if len(children) > 1:
                problems.append(f"testcase {case.get('name')}: {', '.join(children)} together")
            for tag in children:
                outcomes[tag] += 1
            for child in case:
                if child.tag in ("failure", "error") and (not child.get("message") or not child.get("type")):
                    problems.append(f"testcase {case.get('name')}: <{child.tag}> without message or type")
        expected = {"tests": len(cases), "failures": outcomes["failure"], "errors": outcomes["error"],
                    "skipped": outcomes["skipped"]}
        for element in (suite, root):
            for attribute, value in expected.items():
                if element.get(attribute) != str(value):
                    problems.append(f"<{element.tag}> {attribute}=\"{element.get(attribute)}\", it holds {value}")
    return problems


def check_github(text):
    problems = []
    lines = text.rstrip("\n").split("\n")
    for n, line in enumerate(lines[:-1], 1):
        if not GITHUB_COMMAND.match(line):
            problems.append(f"line {n} is not a workflow command: {line[:80]}")
    if not GITHUB_CLOSING.match(lines[-1]):
        problems.append(f"the last line is not the run's closing line: {lines[-1][:80]}")
    return problems


CHECKS = {".json": check_json, ".sarif": check_sarif, ".junit": check_junit, ".xml": check_junit,
          ".github": check_github}


def check_file(path):
    text = strip_golden(pathlib.Path(path).read_text(encoding="utf-8"))
    if not text.strip():
        return ["no output before the exit code"]
    try:
        return CHECKS[pathlib.Path(path).suffix](text)
    except (ValueError, ElementTree.ParseError) as error:
        return [f"not well-formed: {error}"]


def self_test():
    """Each check rejects a broken output: the checks above can fail."""
    failures = []
    good = {"schema_version": 2,
            "summary": {"files": 1, "checked": 0, "as_expected": 0, "not_as_expected": 0, "without_expectation": 0,
                        "model_errors": 1, "not_checked": 0, "engines_disagree": 0},
            "results": [{"file": "m.cr", "status": "model_error", "engines_agree": None, "declared_properties": [],
                         "reports": [],
                         "diagnostics": [{"severity": "error", "file": "m.cr", "line": 2, "column": 13,
                                          "message": "x is not declared"}]}]}
    if check_json(json.dumps(good)):
        failures.append(f"a valid JSON report is refused: {check_json(json.dumps(good))}")
    broken = [
        ("no results", lambda d: d.pop("results")),
        ("schema version 1", lambda d: d.update(schema_version=1)),
        ("line 0", lambda d: d["results"][0]["diagnostics"][0].update(line=0)),
        ("a model error without an error", lambda d: d["results"][0]["diagnostics"][0].update(severity="note")),
        ("a miscounted summary", lambda d: d["summary"].update(files=2)),
    ]
    for what, change in broken:
        document = json.loads(json.dumps(good))
        change(document)
        if not check_json(json.dumps(document)):
            failures.append(f"JSON with {what} passes")
    sarif = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "racecheck", "rules": [{"id": "invariant"}]}},
                                           "results": [{"ruleId": "invariant", "ruleIndex": 0, "level": "error",
                                                        "message": {"text": "x"},
                                                        "locations": [{"physicalLocation": {
                                                            "artifactLocation": {"uri": "m.cr"},
                                                            "region": {"startLine": 3}}}]}]}]}
    if check_sarif(json.dumps(sarif)):
        failures.append(f"a valid SARIF log is refused: {check_sarif(json.dumps(sarif))}")
    for what, change in [
        ("line 0", lambda s: s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0)),
        ("a space in a URI", lambda s: s["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "artifactLocation"].update(uri="my models/m.cr")),
        ("level fatal", lambda s: s["runs"][0]["results"][0].update(level="fatal")),
        ("an unknown rule", lambda s: s["runs"][0]["results"][0].update(ruleId="race")),
        ("version 2.0.0", lambda s: s.update(version="2.0.0")),
    ]:
        document = json.loads(json.dumps(sarif))
        change(document)
        if not check_sarif(json.dumps(document)):
            failures.append(f"SARIF with {what} passes")
    junit_good = ('<testsuites tests="1" failures="1" errors="0" skipped="0"><testsuite tests="1" failures="1" '
                  'errors="0" skipped="0"><testcase classname="m" name="p"><failure message="m" type="invariant">t'
                  '</failure></testcase></testsuite></testsuites>')
    if check_junit(junit_good):
        failures.append(f"valid JUnit is refused: {check_junit(junit_good)}")
    for what, text in [("a miscount", junit_good.replace('failures="1" errors="0" skipped="0"><testsuite',
                                                         'failures="0" errors="0" skipped="0"><testsuite')),
                       ("no root testsuites", junit_good[len("<testsuites tests=\"1\" failures=\"1\" errors=\"0\" "
                                                             "skipped=\"0\">"):-len("</testsuites>")])]:
        if not check_junit(text):
            failures.append(f"JUnit with {what} passes")
    try:
        check_junit("<testsuites><testsuite>")
        failures.append("malformed XML passes")
    except ElementTree.ParseError:
        pass
    github_good = "::error file=m.cr,line=3,title=racecheck%3A x::x%0Ay\nracecheck: 1 file: 1 checked (0 as expected, 1 not)\n"
    if check_github(github_good):
        failures.append(f"valid GitHub commands are refused: {check_github(github_good)}")
    if not check_github(github_good.replace("%0A", "\n")):
        failures.append("a GitHub command broken over two lines passes")
    return failures


def main(argv):
    if argv[1:] == ["--self-test"]:
        failures = self_test()
        for failure in failures:
            print(f"self-test: {failure}")
        return 1 if failures else 0
    if len(argv) == 3 and argv[1] == "--golden":
        files = sorted(p for p in pathlib.Path(argv[2]).rglob("*") if p.suffix in CHECKS and p.is_file())
        if not files:
            print(f"no golden outputs under {argv[2]}")
            return 1
    else:
        files = [pathlib.Path(p) for p in argv[1:]]
    bad = 0
    for path in files:
        problems = check_file(path)
        if problems:
            bad += 1
            print(f"{path}:")
            for problem in problems[:20]:
                print(f"  {problem}")
    print(f"{len(files)} outputs checked, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
