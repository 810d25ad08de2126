#!/usr/bin/env python3
"""The docs' examples stay true: every complete model in a code block of docs/*.md and README.md
checks, and every `$ racecheck ...` block prints what the block shows.

- A block whose first line is `model NAME` is a whole model: `racecheck parse` must accept it.
  Blocks that are fragments (a process, a few declarations) are left alone: they need the rest
  of their model, which the text links to.
- A block whose first line is `$ racecheck ARGS` is run from the repository's root with ARGS
  (plus --stable, so no times, and no color). Each line the block shows must be a line of the
  output, in the same order, exactly; a line `...` stands for lines the block leaves out, and
  blank lines are not compared.

Usage: check_examples.py RACECHECK_BINARY REPOSITORY_ROOT
       check_examples.py --self-test
"""
import pathlib
import re
import subprocess
import sys
import tempfile

MODEL_HEADER = re.compile(r"model [a-z_][a-z0-9_]*")  # not `model NAME`, a syntax summary


def code_blocks(text):
    """(first line number, lines) of every fenced block in a markdown text."""
    blocks = []
    body = None
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("```"):
            if body is None:
                body, start = [], number + 1
            else:
                blocks.append((start, body))
                body = None
        elif body is not None:
            body.append(line)
    return blocks


def missing_lines(shown, actual):
    """The lines of `shown` that are not in `actual` in the same order (`...` skips)."""
    actual = [line.rstrip() for line in actual]
    missing = []
    at = 0
    for line in shown:
        line = line.rstrip()
        if not line.strip() or line.strip() in ("...", "…"):
            continue
        found = next((i for i in range(at, len(actual)) if actual[i] == line), None)
        if found is None:
            missing.append(line)
        else:
            at = found + 1
    return missing


def check_file(markdown, binary, root):
    problems = []
    name = markdown.relative_to(root)
    for start, body in code_blocks(markdown.read_text(encoding="utf-8")):
        if not body:
            continue
        first = body[0]
        if MODEL_HEADER.fullmatch(first.strip()):
            with tempfile.NamedTemporaryFile("w", suffix=".cr", encoding="utf-8") as model:
                model.write("\n".join(body) + "\n")
                model.flush()
                run = subprocess.run([binary, "parse", model.name], capture_output=True, text=True)
            if run.returncode != 0:
                problems.append(f"{name}:{start}: this model does not check:\n{run.stderr}")
        elif first.startswith("$ racecheck "):
            args = first[len("$ racecheck "):].split()
            run = subprocess.run([binary, "-q", "--color", "never", "--stable"] + args,
                                 capture_output=True, text=True, cwd=root, timeout=120)
            output = (run.stdout + run.stderr).split("\n")
            missing = missing_lines(body[1:], output)
            if missing:
                shown = "\n".join("    " + line for line in missing)
                printed = "\n".join("    " + line for line in output)
                problems.append(f"{name}:{start}: `{first[2:]}` does not print these lines, in this order:\n"
                                f"{shown}\n  it prints:\n{printed}")
    return problems


def self_test():
    blocks = code_blocks("text\n```\nmodel m\nshared x = 0\n```\n```\n$ racecheck a.cr\nSAFE\n```\n")
    assert blocks == [(3, ["model m", "shared x = 0"]), (7, ["$ racecheck a.cr", "SAFE"])], blocks
    assert missing_lines(["a", "...", "c"], ["a", "b", "c", "d"]) == []
    assert missing_lines(["c", "a"], ["a", "b", "c"]) == ["a"]  # order counts
    assert missing_lines(["a "], ["a"]) == []  # trailing spaces do not
    assert missing_lines(["withdrawn 0 → 1"], ["withdrawn 0 → 1 (line 17)"]) == ["withdrawn 0 → 1"]
    assert MODEL_HEADER.fullmatch("model withdraw")
    assert not MODEL_HEADER.fullmatch("model NAME")
    print("check_examples.py: self-test passed")


def main(argv):
    if argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, root = argv[1], pathlib.Path(argv[2]).resolve()
    files = sorted((root / "docs").glob("*.md")) + [root / "README.md"]
    problems = [p for markdown in files for p in check_file(markdown, binary, root)]
    for problem in problems:
        print(problem)
    print(f"check_examples.py: {len(files)} files, {len(problems)} examples not true")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
