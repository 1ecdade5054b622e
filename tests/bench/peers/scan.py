#!/usr/bin/env python3
"""scan.py {json|nbformat} DIR - peer: coverage and lint scan of a course.

Walks DIR for *.ipynb (skipping .ipynb_checkpoints), loads each notebook
with the json module or with nbformat, and does roughly the work of
`celltag coverage` plus the cheap part of `celltag lint`: an exercise is a
code cell whose source holds "YOUR CODE HERE" or that follows a markdown
"## Exercise" heading; it is covered when it has an "assignment:" tag.  Lint:
tags that break the schema (empty, comma), duplicate tags in a cell, an
assignment tag used twice in the course.  Prints one line per notebook and
a total."""
import json
import os
import sys


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_nbformat(path):
    import nbformat
    return nbformat.read(path, as_version=4)


def text(src):
    return "".join(src) if isinstance(src, list) else src


def main(mode, root):
    load = load_json if mode == "json" else load_nbformat
    paths = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != ".ipynb_checkpoints")
        paths.extend(os.path.join(d, f) for f in sorted(files) if f.endswith(".ipynb"))
    seen = {}
    total_ex = total_cov = findings = 0
    out = []
    for p in paths:
        nb = load(p)
        ex = cov = 0
        after_heading = False
        for i, cell in enumerate(nb["cells"]):
            src = text(cell.get("source", ""))
            tags = cell.get("metadata", {}).get("tags", [])
            for t in tags:
                if not t or "," in t:
                    findings += 1
                if t.startswith("assignment:"):
                    if t in seen:
                        findings += 1
                    seen[t] = (p, i)
            if len(set(tags)) != len(tags):
                findings += 1
            if cell.get("cell_type") == "markdown":
                after_heading = any(line.lstrip("#").strip().lower().startswith("exercise")
                                    for line in src.splitlines() if line.startswith("#"))
                continue
            if cell.get("cell_type") == "code" and ("YOUR CODE HERE" in src or after_heading):
                ex += 1
                if any(t.startswith("assignment:") for t in tags):
                    cov += 1
                else:
                    findings += 1
            after_heading = False
        total_ex += ex
        total_cov += cov
        out.append("%s: %d/%d exercises tagged\n" % (p, cov, ex))
    sys.stdout.write("".join(out))
    sys.stdout.write("total: %d/%d exercises tagged, %d findings, %d notebooks\n"
                     % (total_cov, total_ex, findings, len(paths)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
