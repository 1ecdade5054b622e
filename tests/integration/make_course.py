#!/usr/bin/python3
"""Write the integration-test course (tests/integration/course/).

The course is committed; this script documents how each file was made and
regenerates it byte for byte:  /usr/bin/python3 tests/integration/make_course.py

Each notebook stands for a way real files differ (see
../shared/docs/notebook-format.md section 8): Jupyter's own canonical layout
(4.5 with ids, 4.4 without), Colab's indent-2 insertion order without a final
newline, CRLF line ends, a compact one-line file with string sources, ASCII
escapes, "tags": [] on every cell, nbgrader metadata and an invalid `tags`
value that celltag must refuse to edit.
"""
import json
import os
import sys

import nbformat
from nbformat import v4

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "course")


def jupyter_bytes(nb):
    """The bytes nbformat.write() puts in a file."""
    s = nbformat.writes(nb)
    if not s.endswith("\n"):
        s += "\n"
    return s.encode("utf-8")


def put(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def cells_lesson(n, topic, ids=True):
    """A lesson: title, explanation, two exercises, a solution check."""
    cells = [
        v4.new_markdown_cell(f"# Lesson {n:02d}: {topic}\n\nRead, then solve the exercises."),
        v4.new_code_cell("import math\nprint(math.pi)"),
        v4.new_markdown_cell(f"## Exercise 1\n\nWrite a function about {topic}."),
        v4.new_code_cell("def solve(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
        v4.new_markdown_cell("## Exercise 2 \u2014 \u00fcbung\n\nUnicode: \u03bb, \u2603, \U0001f600."),
        v4.new_code_cell("# YOUR CODE HERE\n"),
        v4.new_code_cell("assert solve(2) == 4"),
    ]
    cells[1].outputs = [v4.new_output("stream", name="stdout", text="3.141592653589793\n")]
    cells[1].execution_count = 1
    for i, c in enumerate(cells):
        if ids:
            c["id"] = f"l{n:02d}c{i}"
        else:
            c.pop("id", None)
    cells[3].metadata["tags"] = [f"assignment:lesson-{n:02d}-exercise-1"]
    cells[6].metadata["tags"] = ["tests", "hide-input"]
    return cells


def lesson_nb(n, topic, minor=5):
    nb = v4.new_notebook()
    nb.nbformat_minor = minor
    nb.cells = cells_lesson(n, topic, ids=minor >= 5)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.2"},
    }
    return nb


def main():
    # 1. Jupyter's canonical bytes, nbformat 4.5 with ids.
    put("lesson-01-intro/lesson-01.ipynb", jupyter_bytes(lesson_nb(1, "numbers")))

    # 2. Canonical 4.4 without ids, with nbgrader metadata and a float.
    nb = lesson_nb(2, "loops", minor=4)
    nb.cells[3].metadata["nbgrader"] = {
        "grade": False, "grade_id": "ex1", "locked": False,
        "schema_version": 3, "solution": True, "task": False}
    nb.cells[6].metadata["nbgrader"] = {
        "grade": True, "grade_id": "ex1-test", "locked": True, "points": 1.0,
        "schema_version": 3, "solution": False, "task": False}
    put("lesson-02-loops/lesson-02.ipynb", jupyter_bytes(nb))

    # 3. Colab style: indent 2, insertion order (top-level nbformat first,
    #    metadata before cell_type), no final newline, Colab ids in metadata.
    d = json.loads(nbformat.writes(lesson_nb(3, "functions", minor=0)))
    top = {"nbformat": 4, "nbformat_minor": 0, "metadata": d["metadata"], "cells": []}
    for i, c in enumerate(d["cells"]):
        cc = {"metadata": dict(c["metadata"], id=f"colab{i}"), "cell_type": c["cell_type"],
              "source": c["source"]}
        if c["cell_type"] == "code":
            cc["execution_count"] = c["execution_count"]
            cc["outputs"] = c["outputs"]
        top["cells"].append(cc)
    put("lesson-03-functions/exercises.ipynb",
        json.dumps(top, indent=2, ensure_ascii=False).encode("utf-8"))

    # 4. CRLF line ends (a Windows checkout), otherwise canonical.
    data = jupyter_bytes(lesson_nb(4, "strings")).replace(b"\n", b"\r\n")
    put("lesson-04-strings/lesson-04.ipynb", data)

    # 5. Compact one line, sources as plain strings, no final newline.
    d = json.loads(nbformat.writes(lesson_nb(5, "files")))
    for c in d["cells"]:
        c["source"] = "".join(c["source"])
    put("misc/compact.ipynb",
        json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))

    # 6. ASCII escapes (\uXXXX), indent 1, sorted, as the v3 writer did.
    d = json.loads(nbformat.writes(lesson_nb(6, "dicts")))
    put("misc/ascii.ipynb",
        (json.dumps(d, indent=1, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii"))

    # 7. "tags": [] on every cell (Kaggle learntools style), indent 4.
    d = json.loads(nbformat.writes(lesson_nb(7, "classes")))
    for c in d["cells"]:
        c["metadata"].setdefault("tags", [])
    put("misc/empty-tags.ipynb",
        (json.dumps(d, indent=4, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))

    # 8. Invalid `tags` (a string) on one cell: readable, that cell read-only.
    nb = lesson_nb(8, "errors")
    data = jupyter_bytes(nb).decode("utf-8")
    data = data.replace('"tags": [\n     "tests",\n     "hide-input"\n    ]', '"tags": "tests"', 1)
    assert '"tags": "tests"' in data
    put("misc/bad-tags.ipynb", data.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
