#!/usr/bin/env python3
"""json_tag.py FILE CELL TAG - peer: tag one cell with the json module,
writing with Jupyter's settings (indent=1, sorted keys, ensure_ascii=False,
final newline), in place, no fsync."""
import json
import sys


def main(path, cell, tag):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    tags = nb["cells"][int(cell)]["metadata"].setdefault("tags", [])
    if tag not in tags:
        tags.append(tag)
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(*sys.argv[1:4])
