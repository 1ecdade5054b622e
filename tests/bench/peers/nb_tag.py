#!/usr/bin/env python3
"""nb_tag.py FILE CELL TAG - peer: tag one cell with nbformat (read, edit, write).

What a Python user would write with Debian's python3-nbformat: nbformat.read,
append the tag to cells[CELL].metadata.tags, nbformat.write in place (no
fsync: nbformat.write does not sync, unlike celltag)."""
import sys

import nbformat


def main(path, cell, tag):
    nb = nbformat.read(path, as_version=4)
    tags = nb.cells[int(cell)].metadata.setdefault("tags", [])
    if tag not in tags:
        tags.append(tag)
    nbformat.write(nb, path)


if __name__ == "__main__":
    main(*sys.argv[1:4])
