#!/usr/bin/env python3
"""Writes the writer-style fixtures of tests/unit/test_notebook.c.

Each fixture is one small notebook written the way one real writer does it.
Run from this folder; the output is committed, this script documents it.
"""
import json

def nb(cells, minor=5, meta=None):
    return {"cells": cells, "metadata": meta or {"kernelspec": {"display_name": "Python 3",
            "language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": minor}

def code(src, cid=None, meta=None, count=None, outputs=None):
    c = {"cell_type": "code", "execution_count": count, "metadata": meta if meta is not None else {},
         "outputs": outputs or [], "source": src}
    if cid: c["id"] = cid
    return c

def md(src, cid=None, meta=None):
    c = {"cell_type": "markdown", "metadata": meta if meta is not None else {}, "source": src}
    if cid: c["id"] = cid
    return c

base = nb([
    md(["# Lesson 3\n", "Intro text"], "c0"),
    code(["def add(a, b):\n", "    # YOUR CODE HERE\n", "    pass"], "c1", {}, None),
    code(["x = 1.0\n", "print(x)"], "c2", {"collapsed": False, "scrolled": True}, 3,
         [{"name": "stdout", "output_type": "stream", "text": ["1.0\n"]}]),
    code(["y = 2"], "c3", {"tags": ["keep-me"]}, 4),
    code(["z = 3"], "c4", {"tags": []}, None),
])

def dump(obj, **kw):
    return json.dumps(obj, **kw)

files = {
    # Jupyter: indent 1, sorted, ensure_ascii False, final newline
    "jupyter.ipynb": dump(base, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    # Colab-like: indent 2, insertion order, no final newline
    "colab.ipynb": dump(base, indent=2, ensure_ascii=False),
    # indent 4, sorted, no final newline (nbdime-like)
    "indent4.ipynb": dump(base, indent=4, sort_keys=True, ensure_ascii=False),
    # indent 0: newlines, no indentation
    "indent0.ipynb": dump(base, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
    # compact one line, Kaggle separators
    "compact.ipynb": dump(base, separators=(",", ":"), ensure_ascii=False),
    # compact with Python's default separators
    "compact-spaced.ipynb": dump(base, ensure_ascii=False),
    # tabs
    "tabs.ipynb": dump(base, indent="\t", sort_keys=True, ensure_ascii=False) + "\n",
}
# CRLF line endings
files["crlf.ipynb"] = files["jupyter.ipynb"].replace("\n", "\r\n")

# non-ASCII and emoji, raw and escaped
uni = nb([
    md(["# Übung 1 \u2014 \u7ec3\u4e60 \U0001F600\n"], "u0"),
    code(["s = '\u00e4\u00f6\u00fc \U0001F680'\n", "# YOUR CODE HERE"], "u1", {"tags": ["caf\u00e9"]}),
    code("source as one string\nsecond line", "u2"),
])
files["unicode.ipynb"] = dump(uni, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
files["escaped.ipynb"] = dump(uni, indent=1, sort_keys=True, ensure_ascii=True) + "\n"
files["empty-cells.ipynb"] = dump(nb([]), indent=1, sort_keys=True) + "\n"
# numbers cJSON would rewrite
nums = nb([code(["a = 1"], "n0", {"collapsed": False, "x": {"f": 1.0, "g": 1e-05, "h": 12345678901234567890}})])
text = dump(nums, indent=1, sort_keys=True) + "\n"
text = text.replace('"g": 1e-05', '"g": 1E5, "k": -0.0, "m": 1e999, "n": 3.141592653589793')
files["numbers.ipynb"] = text

for name, text in files.items():
    with open(name, "w", encoding="utf-8", newline="") as f:
        f.write(text)

# Expected bytes after the edit test_notebook.c makes on every base-style file:
#   cell 1 (metadata {}) + "assignment:lesson-03-exercise-1"
#   cell 2 (metadata with members) + "assignment:lesson-03-exercise-2"
#   cell 3 (tags ["keep-me"]) - "keep-me" + "new"... see EDITS
#   cell 4 (tags []) + "x"
# computed by making the same change to the model and writing it with the
# writer's own settings, which is what a lossless save must reproduce.
import copy

def edited(model):
    m = copy.deepcopy(model)
    c = m["cells"]
    c[1]["metadata"].setdefault("tags", []).append("assignment:lesson-03-exercise-1")
    c[2]["metadata"].setdefault("tags", []).append("assignment:lesson-03-exercise-2")
    c[3]["metadata"]["tags"].remove("keep-me")
    del c[3]["metadata"]["tags"]        # the last tag removed: key deleted
    c[4]["metadata"]["tags"].append("x")
    return m

e = edited(base)
expected = {
    "jupyter.ipynb": dump(e, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    "colab.ipynb": dump(e, indent=2, ensure_ascii=False),
    "indent4.ipynb": dump(e, indent=4, sort_keys=True, ensure_ascii=False),
    "indent0.ipynb": dump(e, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
    "compact.ipynb": dump(e, separators=(",", ":"), ensure_ascii=False),
    "compact-spaced.ipynb": dump(e, ensure_ascii=False),
    "tabs.ipynb": dump(e, indent="\t", sort_keys=True, ensure_ascii=False) + "\n",
}
expected["crlf.ipynb"] = expected["jupyter.ipynb"].replace("\n", "\r\n")
for name, text in expected.items():
    with open(name.replace(".ipynb", ".expected"), "w", encoding="utf-8", newline="") as f:
        f.write(text)

# unicode / escaped: cell 2 (no tags key) + a non-ASCII tag
u = copy.deepcopy(uni)
u["cells"][2]["metadata"]["tags"] = ["\u00fcbung-\U0001F600"]
for name, asc in (("unicode", False), ("escaped", True)):
    with open(name + ".expected", "w", encoding="utf-8", newline="") as f:
        f.write(dump(u, indent=1, sort_keys=True, ensure_ascii=asc) + "\n")
