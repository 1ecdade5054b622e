#!/usr/bin/python3
"""The command-line conventions, checked on the real binary.

On copies of the test course, the demo course and the shared corpus (when
present):
  * every listing command prints valid JSON on request (`list --json`,
    `lint --json`, `coverage --format json`, `suggest --json`), and the
    commands agree with each other: the assignment tags `coverage` counts
    are the ones `list` shows;
  * output to a pipe never holds an escape sequence (colour only on a
    terminal), whatever the notebooks hold;
  * `coverage`'s table fits in 80 columns;
  * errors about a file read "celltag: FILE:LINE:COL: message" (one line,
    the position when there is one) and unreadable input exits 3;
  * usage errors exit 2 and say "celltag: ".

Usage: /usr/bin/python3 tests/integration/check_conventions.py
"""
import json
import os
import re
import sys
import tempfile

import ctlib


def check_json(res, label, argv):
    p = ctlib.run(*argv)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        res.check(False, f"{label}: {' '.join(argv[:2])} prints valid JSON", str(e))
        return None
    res.check(True, "json")
    return doc


def no_escapes(res, label, p):
    res.check("\x1b" not in p.stdout and "\x1b" not in p.stderr,
              f"{label}: no escape sequence in piped output")


def check_folder(res, name, folder):
    files = ctlib.notebooks_under(folder)
    for path in files:
        label = f"{name}/{os.path.relpath(path, folder)}"
        p = ctlib.run("list", path)
        no_escapes(res, label, p)
        if p.returncode != 0:
            res.check(p.returncode == 3, f"{label}: unreadable input exits 3", str(p.returncode))
            res.check(re.match(r"^celltag: [^\n]+: [^\n]+\n?$", p.stderr) is not None,
                      f"{label}: one 'celltag: FILE...: message' line", p.stderr)
            continue
        cells = check_json(res, label, ["list", "--json", path])
        sug = check_json(res, label, ["suggest", "--json", path])
        if sug is not None:
            res.check(isinstance(sug.get("suggestions"), list), f"{label}: suggest --json has suggestions")
        if cells is None:
            continue
        cov = check_json(res, label, ["coverage", "--format", "json", path])
        if cov is not None and cov.get("notebooks") and "tag_ids" in cov["notebooks"][0]:
            listed = sorted({t[len("assignment:"):] for c in cells for t in c["tags"]
                             if t.startswith("assignment:")})
            counted = sorted(set(cov["notebooks"][0]["tag_ids"]))
            res.check(listed == counted, f"{label}: coverage tag ids are the tags list shows",
                      f"list {listed} coverage {counted}")
            tagged = sum(1 for c in cells if any(t.startswith("assignment:") for t in c["tags"]))
            res.check(cov["notebooks"][0]["tagged_cells"] == tagged,
                      f"{label}: coverage counts the tagged cells list shows",
                      f"{cov['notebooks'][0]['tagged_cells']} vs {tagged}")
    # Whole folder at once.
    lint = check_json(res, name, ["lint", "--json", folder])
    if lint is not None:
        summ = lint.get("summary", {})
        res.check(summ.get("notebooks") == len(files) and
                  summ.get("unreadable") == len(lint.get("errors", [])),
                  f"{name}: lint --json counts every notebook and each unreadable one",
                  f"{summ} for {len(files)} files")
    p = ctlib.run("coverage", folder)
    no_escapes(res, name + " coverage", p)
    wide = [line for line in p.stdout.splitlines() if len(line) > 80]
    res.check(not wide, f"{name}: coverage table fits in 80 columns", repr(wide[:2]))
    p = ctlib.run("lint", folder)
    no_escapes(res, name + " lint", p)
    print(f"conventions: {name}: {len(files)} notebooks", flush=True)


def check_errors(res, tmp):
    bad = os.path.join(tmp, "bad.ipynb")
    with open(bad, "w") as f:
        f.write('{"nbformat": 4,\n "cells": [1,]}\n')
    for argv in (["list", bad], ["tag", bad, "0", "x"], ["lint", bad], ["suggest", bad]):
        p = ctlib.run(*argv)
        res.check(p.returncode == 3, f"{argv[0]} on invalid JSON exits 3", str(p.returncode))
        line = f"celltag: {bad}:2:"
        res.check(line in p.stderr and p.stderr.startswith("celltag: "),
                  f"{argv[0]}: error reads 'celltag: FILE:LINE:COL: message'", p.stderr.strip())
    for argv in (["list"], ["tag", bad], ["lint", "--no-such-option", bad],
                 ["coverage", "--format", "nope", bad]):
        p = ctlib.run(*argv)
        res.check(p.returncode == 2 and p.stderr.startswith("celltag: "),
                  f"usage error {' '.join(argv)} exits 2 with 'celltag: '",
                  f"exit {p.returncode}: {p.stderr.strip()}")


def main():
    ctlib.celltag_bin()
    res = ctlib.Results("conventions")
    with tempfile.TemporaryDirectory(prefix="celltag-conv-") as tmp:
        check_errors(res, tmp)
        check_folder(res, "course", ctlib.copy_tree(ctlib.COURSE, os.path.join(tmp, "course")))
        if ctlib.notebooks_under(ctlib.DEMO):
            check_folder(res, "demo", ctlib.copy_tree(ctlib.DEMO, os.path.join(tmp, "demo")))
        corpus = ctlib.corpus_dir()
        if corpus:
            check_folder(res, "corpus", ctlib.copy_tree(corpus, os.path.join(tmp, "corpus")))
        else:
            res.skip("corpus not found (../shared/corpus or $CELLTAG_CORPUS)")
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
