"""Helpers shared by celltag's integration tests (Debian's python3-nbformat).

Run by `make check-integration` with /usr/bin/python3, from the repo root.
Environment: CELLTAG_BIN (the binary; default build/celltag), CELLTAG_CORPUS
(default ../shared/corpus).  Nothing here writes outside temporary folders.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COURSE = os.path.join(ROOT, "tests", "integration", "course")
DEMO = os.path.join(ROOT, "demo")

# nbformat logs invalid notebooks and warns about missing ids; the tests
# judge validity themselves.
warnings.simplefilter("ignore")
import logging  # noqa: E402
logging.getLogger("nbformat").setLevel(logging.CRITICAL)
logging.getLogger().setLevel(logging.CRITICAL)


def celltag_bin():
    b = os.environ.get("CELLTAG_BIN") or os.path.join(ROOT, "build", "celltag")
    if not os.access(b, os.X_OK):
        sys.exit(f"integration: celltag binary not found: {b} (set CELLTAG_BIN)")
    return b


def corpus_dir():
    """The shared corpus, or None (then the caller prints a skip notice)."""
    d = os.environ.get("CELLTAG_CORPUS") or os.path.join(ROOT, "..", "shared", "corpus")
    return d if os.path.isdir(d) else None


def notebooks_under(top):
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if f.endswith(".ipynb") and not f.startswith(".~"):
                out.append(os.path.join(dirpath, f))
    return out


def copy_tree(src, dst):
    """Copy a folder of notebooks into a temp folder (the originals are never
    edited: corpus files are read-only input)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".*"))
    for dirpath, _, filenames in os.walk(dst):
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    return dst


def run(*args, check=False, env=None, timeout=120):
    """Run celltag; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    e.pop("CELLTAG_SCRIPT", None)
    e["NO_COLOR"] = "1"
    e.setdefault("XDG_CONFIG_HOME", tempfile.gettempdir() + "/celltag-itest-noconfig")
    if env:
        e.update(env)
    p = subprocess.run([celltag_bin(), *args], capture_output=True, env=e,
                       timeout=timeout)
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    if check and p.returncode != 0:
        raise RuntimeError(f"celltag {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


def reported_tags(path):
    """Tags per cell index as `celltag list FILE --json` reports them, or
    (None, exit status, stderr) when celltag refused the file."""
    # Options first: works whether or not the parser permutes arguments.
    p = run("list", "--json", path)
    if p.returncode != 0:
        return None, p.returncode, p.stderr
    try:
        return cells_from_list_json(json.loads(p.stdout)), 0, ""
    except (ValueError, KeyError, TypeError) as e:
        return None, -1, f"list --json printed no cell list ({type(e).__name__}: {e})"


def cells_from_list_json(doc):
    """{index: [tags]} from the --json document of `celltag list FILE`: an
    array of {index, id, cell_type, tags, first_line}."""
    if isinstance(doc, dict):
        doc = doc["cells"]
    return {int(c["index"]): list(c["tags"]) for c in doc}


def jupyter_bytes(nb):
    """The bytes nbformat.write() puts in a file for this notebook."""
    s = nbformat.writes(nb)
    if not s.endswith("\n"):
        s += "\n"
    return s.encode("utf-8")


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def nb_reads(data):
    return nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT)


def is_valid(data):
    """nbformat.validate on the document as stored (no read-time repairs)."""
    try:
        d = json.loads(data.decode("utf-8"))
        nbformat.validate(d, repair_duplicate_cell_ids=False, strip_invalid_metadata=False)
        return True
    except TypeError:
        # older nbformat without the repair keywords
        try:
            nbformat.validate(json.loads(data.decode("utf-8")))
            return True
        except Exception:
            return False
    except Exception:
        return False


def is_canonical(data):
    """True when the file is byte for byte what Jupyter would write."""
    try:
        return jupyter_bytes(nb_reads(data)) == data
    except Exception:
        return False


def nbformat_tags(data):
    """{index: [tags]} as nbformat.read sees them (v4 only); cells whose tags
    are not a list of strings are left out."""
    nb = nb_reads(data)
    out = {}
    for i, c in enumerate(nb.get("cells", [])):
        t = c.get("metadata", {}).get("tags", [])
        if isinstance(t, list) and all(isinstance(x, str) for x in t):
            out[i] = list(t)
    return out


class Results:
    """Counts checks and prints failures; ends with the plain closing line
    'N passed, N failed' that CI reads."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}" + (f": {detail}" if detail else ""), flush=True)
        return cond

    def skip(self, what):
        self.skipped += 1
        print(f"skipped: {what}", flush=True)

    def finish(self):
        tail = f", {self.skipped} skipped" if self.skipped else ""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed{tail}", flush=True)
        return 1 if self.failed else 0
