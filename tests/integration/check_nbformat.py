#!/usr/bin/python3
"""celltag against Jupyter's own library (python3-nbformat).

For every notebook of the test course (tests/integration/course), of the demo
course (demo/, when present) and of the shared corpus (../shared/corpus or
$CELLTAG_CORPUS, when present), working on copies in a temporary folder:

  * `celltag list FILE --json` reports exactly the tags nbformat.read sees;
  * celltag edits a few cells (tag, untag, a non-ASCII tag); then
      - nbformat.validate passes on the result whenever it passed before,
      - nbformat.read sees exactly the tags celltag now reports, and they are
        the expected ones,
      - for a file already in Jupyter's format (what nbformat.write would
        write, byte for byte), nbformat.write of the result reproduces
        celltag's bytes exactly;
  * tag then untag (two runs) on a tagged cell and on a cell without a
    `tags` key gives the original bytes back;
  * a batch plan (`celltag apply`) over a copy of the test course gives
    valid notebooks with exactly the planned tags, and --dry-run none;
  * a cell whose `tags` is not a list of strings cannot be edited (exit 3);
  * a file celltag refuses (nbformat 3, invalid JSON...) exits 3 and is left
    byte-identical.

Usage: /usr/bin/python3 tests/integration/check_nbformat.py
"""
import os
import sys
import tempfile

import ctlib

TAG_NEW = "assignment:itest-exercise-1"
TAG_UNICODE = "itest: \u00fcbung \u2713"   # space, colon, non-ASCII: all valid
TAG_RT = "itest-roundtrip"


def edit(res, label, path, verb, cell, tag):
    p = ctlib.run(verb, path, str(cell), tag)
    res.check(p.returncode == 0, f"{label}: celltag {verb} cell {cell} {tag!r}",
              f"exit {p.returncode}: {p.stderr.strip()}")
    return p.returncode == 0


def check_one(res, label, path):
    orig = ctlib.read_bytes(path)
    valid0 = ctlib.is_valid(orig)
    canon0 = ctlib.is_canonical(orig)

    reported, status, errtext = ctlib.reported_tags(path)
    if reported is None:
        # Refused: must be "unreadable or invalid input" and leave the file.
        res.check(status == 3, f"{label}: refused with exit 3", f"exit {status}: {errtext.strip()}")
        res.check(errtext.startswith("celltag: "), f"{label}: error line starts with 'celltag: '",
                  errtext.strip())
        res.check(ctlib.read_bytes(path) == orig, f"{label}: refused file unchanged")
        return "refused"

    try:
        seen = ctlib.nbformat_tags(orig)
    except Exception as e:  # nbformat cannot read it but celltag can
        res.skip(f"{label}: nbformat cannot read the original ({type(e).__name__})")
        return "skipped"

    res.check(all(reported.get(i) == t for i, t in seen.items()),
              f"{label}: list --json agrees with nbformat.read before editing",
              f"celltag {reported} nbformat {seen}")

    ncells = len(reported)
    # Cells whose tags nbformat does not see as a list of strings must be
    # refused (exit 3), leaving the file as it was.
    for i in sorted(set(reported) - set(seen))[:2]:
        p = ctlib.run("tag", path, str(i), TAG_NEW)
        res.check(p.returncode == 3 and ctlib.read_bytes(path) == orig,
                  f"{label}: tagging cell {i} (tags not a list of strings) is refused",
                  f"exit {p.returncode}: {p.stderr.strip()}")
    if ncells == 0:
        return "empty"
    editable = sorted(seen)          # cells whose tags are a list of strings
    if not editable:
        return "no editable cell"
    expected = {i: list(t) for i, t in seen.items()}

    # 1. add a tag to the first editable cell
    first = editable[0]
    if TAG_NEW not in expected[first] and edit(res, label, path, "tag", first, TAG_NEW):
        expected[first].append(TAG_NEW)
    # 2. remove the first tag of the first already tagged cell
    tagged = [i for i in editable if seen[i]]
    if tagged:
        i = tagged[0]
        victim = expected[i][0]
        if edit(res, label, path, "untag", i, victim):
            expected[i].remove(victim)
    # 3. a non-ASCII tag on the last editable cell
    last = editable[-1]
    if TAG_UNICODE not in expected[last] and edit(res, label, path, "tag", last, TAG_UNICODE):
        expected[last].append(TAG_UNICODE)

    after = ctlib.read_bytes(path)
    if valid0:
        res.check(ctlib.is_valid(after), f"{label}: nbformat.validate passes after editing")
    seen_after = ctlib.nbformat_tags(after)
    res.check(seen_after == expected, f"{label}: nbformat.read sees the expected tags",
              f"expected {expected} got {seen_after}")
    reported_after, status, errtext = ctlib.reported_tags(path)
    res.check(reported_after is not None and
              all(reported_after.get(i) == t for i, t in seen_after.items()),
              f"{label}: list --json agrees with nbformat.read after editing",
              f"celltag {reported_after} nbformat {seen_after} {errtext.strip()}")
    if canon0:
        res.check(ctlib.jupyter_bytes(ctlib.nb_reads(after)) == after,
                  f"{label}: nbformat.write reproduces celltag's bytes (file was canonical)")
    return "edited"


def check_roundtrip(res, label, path):
    """Adding then removing a tag, in two celltag runs, is byte-identical."""
    orig = ctlib.read_bytes(path)
    reported, _, _ = ctlib.reported_tags(path)
    if reported is None:
        return
    try:
        seen = ctlib.nbformat_tags(orig)
    except Exception:
        return
    # A cell with tags, and a cell without a `tags` key: removing the last
    # tag removes the key again (the empty-list policy, notebook.h).
    cells = ctlib.nb_reads(orig).get("cells", [])
    tagged = [i for i, t in sorted(seen.items()) if t and TAG_RT not in t]
    keyless = [i for i in sorted(seen) if "tags" not in cells[i].get("metadata", {})]
    for i in (tagged[:1] + keyless[:1]):
        if edit(res, label, path, "tag", i, TAG_RT) and edit(res, label, path, "untag", i, TAG_RT):
            res.check(ctlib.read_bytes(path) == orig,
                      f"{label}: tag+untag on cell {i} is byte-identical")


def check_tree(res, name, src, tmp):
    dst = ctlib.copy_tree(src, os.path.join(tmp, name))
    counts = {}
    for path in ctlib.notebooks_under(dst):
        label = f"{name}/{os.path.relpath(path, dst)}"
        rt = os.path.join(tmp, "rt.ipynb")
        with open(rt, "wb") as f:
            f.write(ctlib.read_bytes(path))
        outcome = check_one(res, label, path)
        counts[outcome] = counts.get(outcome, 0) + 1
        check_roundtrip(res, label + " (round trip)", rt)
        os.unlink(rt)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    print(f"{name}: {sum(counts.values())} notebooks ({summary})", flush=True)
    return sum(counts.values())


PLAN = """\
notebooks:
{entries}"""
PLAN_ENTRY = """\
  - path: {path}
    cells:
      - regex: "^# YOUR CODE HERE"
        type: code
        add: [assignment:{lesson}-exercise-2]
      - index: 6
        remove: [hide-input]
      - match: "Read, then solve"
        add: [intro]
"""


def check_plan(res, tmp):
    """`celltag apply` on a copy of the course: a dry run writes nothing, the
    real run gives valid notebooks with exactly the planned tags."""
    dst = ctlib.copy_tree(ctlib.COURSE, os.path.join(tmp, "plan-course"))
    names = ["lesson-01-intro/lesson-01.ipynb", "lesson-04-strings/lesson-04.ipynb",
             "misc/compact.ipynb", "misc/ascii.ipynb", "misc/empty-tags.ipynb"]
    before = {n: ctlib.read_bytes(os.path.join(dst, n)) for n in names}
    entries = "".join(PLAN_ENTRY.format(path=n, lesson="lesson-%02d" % i)
                      for i, n in enumerate(names))
    plan = os.path.join(dst, "plan.yaml")
    with open(plan, "w") as f:
        f.write(PLAN.format(entries=entries))
    p = ctlib.run("apply", "--dry-run", plan)
    res.check(p.returncode == 0, "apply --dry-run", f"exit {p.returncode}: {p.stderr.strip()}")
    res.check(all(ctlib.read_bytes(os.path.join(dst, n)) == before[n] for n in names),
              "apply --dry-run writes nothing")
    p = ctlib.run("apply", plan)
    if not res.check(p.returncode == 0, "apply", f"exit {p.returncode}: {p.stderr.strip()}"):
        return
    for i, n in enumerate(names):
        orig, after = before[n], ctlib.read_bytes(os.path.join(dst, n))
        expected = ctlib.nbformat_tags(orig)
        expected[5] = expected[5] + ["assignment:lesson-%02d-exercise-2" % i]
        expected[6] = [t for t in expected[6] if t != "hide-input"]
        expected[0] = expected[0] + ["intro"]
        res.check(ctlib.nbformat_tags(after) == expected, f"plan/{n}: nbformat sees the planned tags",
                  f"expected {expected} got {ctlib.nbformat_tags(after)}")
        if ctlib.is_valid(orig):
            res.check(ctlib.is_valid(after), f"plan/{n}: still valid")
        if ctlib.is_canonical(orig):
            res.check(ctlib.is_canonical(after), f"plan/{n}: still in Jupyter's format")
    print(f"plan: {len(names)} notebooks changed by one plan", flush=True)


def main():
    ctlib.celltag_bin()
    res = ctlib.Results("nbformat")
    with tempfile.TemporaryDirectory(prefix="celltag-itest-") as tmp:
        res.check(check_tree(res, "course", ctlib.COURSE, tmp) >= 8, "the test course has 8 notebooks")
        check_plan(res, tmp)
        if ctlib.notebooks_under(ctlib.DEMO):
            check_tree(res, "demo", ctlib.DEMO, tmp)
        else:
            res.skip("demo course not found (demo/ has no notebooks)")
        corpus = ctlib.corpus_dir()
        if corpus:
            check_tree(res, "corpus", corpus, tmp)
        else:
            res.skip("corpus not found (../shared/corpus or $CELLTAG_CORPUS)")
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
