#!/usr/bin/env python3
"""bench.py - celltag against its floor (cp, cat) and its peers (nbformat,
the json module, jq), side by side in one run.

Usage: bench.py [--quick] [--bin CELLTAG] [--runs N] [--only GROUPS]
                [--markdown FILE] [--runstat RUNSTAT]
       bench.py --from-json RESULT.json [--markdown FILE]   (re-render a table)

Every benchmark runs each tool once to warm up, then N rounds; in each round
every tool runs once, in an order rotated from round to round, so a busy
machine slows all tools alike and the ratios stay meaningful.  Reported: the
median wall time, the median CPU time (user+sys) and the peak RSS
(ru_maxrss) as measured by the small runstat helper (runstat.c), and the ratio of the median to the floor's median.
Nothing here asserts a time: a target missed is printed, never an error (so
the quick run can serve as a CI smoke test).  The exit status is non-zero
only when celltag fails (crash, wrong exit status, output not byte-identical
to nbformat's).

Groups (--only, comma-separated): tag, scan, tui, keys, startup.
Data: tests/bench/data/{full,quick} (made by gen_notebooks.py when missing);
results: tests/bench/results/bench-<time>.{json,md}.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = os.path.join(HERE, "peers")
TAG = "assignment:lesson-01-exercise-1"
TAG_CELL = "5"
# Debian's interpreter: python3-nbformat is installed for it (a pyenv or venv
# python3 earlier on PATH may lack nbformat).
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def loadavg():
    return "%.2f %.2f %.2f" % os.getloadavg()


class Step:
    """One process: argv, optional stdout file.  With first_screen, the wall
    time counted is from the start to the first full screen, as celltag
    writes it to $CELLTAG_TIMING (CPU and RSS stay the whole run's)."""

    def __init__(self, argv, stdout=os.devnull, stdin=os.devnull, first_screen=False):
        self.argv = argv
        self.stdout = stdout
        self.stdin = stdin
        self.first_screen = first_screen


RUNSTAT = None    # path of the runstat helper (see runstat.c)
REPORT = None     # its report file


def run_steps(steps, expect=(0,)):
    """Run steps one after the other under runstat; return (wall s, cpu s,
    maxrss KB, rc, error text of the failing step)."""
    wall = cpu = 0.0
    rss = 0
    for st in steps:
        env = None
        timing = REPORT + ".timing"
        if st.first_screen:
            env = dict(os.environ, CELLTAG_TIMING=timing)
            if os.path.exists(timing):
                os.unlink(timing)
        with open(st.stdout, "wb") as out, open(st.stdin, "rb") as inp:
            p = subprocess.run([RUNSTAT, REPORT] + st.argv, stdout=out, stdin=inp,
                               stderr=subprocess.PIPE, env=env)
        try:
            with open(REPORT) as f:
                w_ns, ut, stt, mrss, code, t0_ns = (int(x) for x in f.read().split())
            os.unlink(REPORT)
        except (OSError, ValueError):
            return wall, cpu, rss, 127, "%s: runstat failed: %s" % (
                st.argv[0], p.stderr.decode("utf-8", "replace")[:300])
        if st.first_screen and code == 0:
            try:
                with open(timing) as f:
                    w_ns = int(f.read().split()[1]) - t0_ns
                os.unlink(timing)
            except (OSError, ValueError, IndexError):
                return wall, cpu, rss, 127, "%s: no first-screen time in $CELLTAG_TIMING" % (
                    st.argv[0])
        wall += w_ns / 1e9
        cpu += (ut + stt) / 1e6
        rss = max(rss, mrss)
        if code not in expect:
            return wall, cpu, rss, code or 1, "%s: exit %d: %s" % (
                " ".join(st.argv[:3]), code, p.stderr.decode("utf-8", "replace")[:300])
    return wall, cpu, rss, 0, ""


class Tool:
    """A contestant: a name, a function giving the steps (and doing the
    untimed setup, e.g. copying a fresh file), an optional check."""

    def __init__(self, name, prepare, floor=False, is_celltag=False, expect=(0,)):
        self.name = name
        self.prepare = prepare
        self.floor = floor
        self.is_celltag = is_celltag
        self.expect = expect
        self.samples = []
        self.error = ""
        self.unavailable = False   # probe failed: feature missing, not a failure


def fresh_copy(src, dst):
    """Untimed setup: a fresh copy, synced so its write-back does not land
    inside the next timed step."""
    shutil.copyfile(src, dst)
    fd = os.open(dst, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def measure(tools, runs):
    """Warm up, then `runs` alternating rounds.  Tools that fail are dropped
    from later rounds (their error kept)."""
    live = [t for t in tools if not t.error]
    for t in live:
        r = run_steps(t.prepare(), t.expect)
        if r[3]:
            t.error = r[4]
    live = [t for t in live if not t.error]
    for k in range(runs):
        order = live[k % len(live):] + live[:k % len(live)] if live else []
        for t in order:
            if t.error:
                continue
            r = run_steps(t.prepare(), t.expect)
            if r[3]:
                t.error = r[4]
            else:
                t.samples.append(r[:3])


def summarize(tools):
    floor = next((t for t in tools if t.floor and t.samples), None)
    fmed = statistics.median(s[0] for s in floor.samples) if floor else None
    fcpu = statistics.median(s[1] for s in floor.samples) if floor else None
    rows = []
    for t in tools:
        if not t.samples:
            rows.append({"tool": t.name, "error": t.error or "not run"})
            continue
        wall = statistics.median(s[0] for s in t.samples)
        rows.append({"tool": t.name, "wall": wall,
                     "cpu": statistics.median(s[1] for s in t.samples),
                     "rss_kb": max(s[2] for s in t.samples),
                     "runs": len(t.samples),
                     "ratio": wall / fmed if fmed else None,
                     "cpu_ratio": statistics.median(s[1] for s in t.samples) / fcpu
                     if fcpu else None,
                     "floor": t.floor, "celltag": t.is_celltag,
                     "error": t.error})
    return rows


def fmt_time(s):
    if s is None:
        return "-"
    return "%.1f ms" % (s * 1e3) if s < 1 else "%.2f s" % s


def fmt_mb(kb):
    return "%.1f MB" % (kb / 1024.0)


class Bench:
    def __init__(self, args):
        self.quick = "--quick" in args
        self.runs = 2 if self.quick else 5
        self.bin = os.path.join(ROOT, "build", "celltag")
        self.only = None
        self.markdown = None
        self.runstat = None
        self.from_json = None
        it = iter(args)
        for a in it:
            if a == "--bin":
                self.bin = os.path.abspath(next(it))
            elif a == "--runs":
                self.runs = int(next(it))
            elif a == "--only":
                self.only = set(next(it).split(","))
            elif a == "--markdown":
                self.markdown = next(it)
            elif a == "--runstat":
                self.runstat = os.path.abspath(next(it))
            elif a == "--from-json":
                self.from_json = next(it)
        self.data = os.path.join(HERE, "data", "quick" if self.quick else "full")
        self.resdir = os.path.join(HERE, "results")
        # Per process: two runs at once (make check and a developer's make
        # bench) must not share scratch files.
        self.work = os.path.join(self.resdir, "work-%d" % os.getpid())
        self.results = []      # one dict per benchmark
        self.notes = []
        self.failed = False
        self.have_nbformat = subprocess.call(
            [PY, "-c", "import nbformat"], stderr=subprocess.DEVNULL) == 0
        self.have_jq = shutil.which("jq") is not None
        self.time_started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())

    # --- helpers -------------------------------------------------------
    def path(self, name):
        return os.path.join(self.data, name)

    def celltag_supports(self, argv, expect=(0,)):
        """Probe a subcommand once; returns "" or why it is unavailable."""
        r = run_steps([Step([self.bin] + argv)], expect)
        return "" if r[3] == 0 else r[4].strip()

    def record(self, group, name, size, tools, target=None, extra=None):
        rows = summarize(tools)
        for t, r in zip(tools, rows):
            r["unavailable"] = t.unavailable
        res = {"group": group, "name": name, "bytes": size, "load": loadavg(),
               "rows": rows, "target": target or "", "extra": extra or {}}
        self.results.append(res)
        log("  %-44s load %s" % (name, res["load"]))
        for r in rows:
            if "wall" in r:
                log("    %-22s %10s  cpu %10s  rss %10s  x%.2f%s" % (
                    r["tool"], fmt_time(r["wall"]), fmt_time(r["cpu"]),
                    fmt_mb(r["rss_kb"]), r["ratio"] or 0,
                    "  (" + r["error"] + ")" if r["error"] else ""))
            else:
                log("    %-22s n/a: %s" % (r["tool"], r["error"][:200]))
            if any(t.name == r["tool"] and t.is_celltag and t.error and not t.unavailable
                   for t in tools):
                self.failed = True
        return res

    # --- (1) tag and save --------------------------------------------
    def bench_tag(self):
        log("== tag-and-save: celltag tag FILE %s %s" % (TAG_CELL, TAG))
        probe = os.path.join(self.work, "probe.ipynb")
        fresh_copy(self.path("small.ipynb"), probe)
        why = self.celltag_supports(["tag", probe, TAG_CELL, TAG])
        for name in ("small.ipynb", "many50k.ipynb", "big50.ipynb", "big200.ipynb"):
            src = self.path(name)
            size = os.path.getsize(src)
            w = os.path.join(self.work, "tag")
            os.makedirs(w, exist_ok=True)

            def tool(label, argv_fn, floor=False, is_celltag=False, out=os.devnull):
                dst = os.path.join(w, label + ".ipynb")

                def prep():
                    fresh_copy(src, dst)
                    return argv_fn(dst)
                t = Tool(label, prep, floor, is_celltag)
                t.dst = dst
                return t

            tools = [
                tool("cp+sync (floor)", lambda d: [
                    Step(["cp", src, d + ".cp"]), Step(["sync", d + ".cp", os.path.dirname(d)])],
                    floor=True),
                tool("celltag", lambda d: [Step([self.bin, "tag", d, TAG_CELL, TAG])],
                     is_celltag=True),
            ]
            if why:
                tools[1].error, tools[1].unavailable = why, True
            if self.have_nbformat:
                tools.append(tool("nbformat", lambda d: [
                    Step([PY, os.path.join(PEERS, "nb_tag.py"), d, TAG_CELL, TAG])]))
            tools.append(tool("python json", lambda d: [
                Step([PY, os.path.join(PEERS, "json_tag.py"), d, TAG_CELL, TAG])]))
            if self.have_jq:
                tools.append(tool("jq", lambda d: [
                    Step(["jq", "--indent", "1",
                          ".cells[%s].metadata.tags |= ((. // []) + [\"%s\"])" % (TAG_CELL, TAG),
                          d], stdout=d + ".jq")]))
            measure(tools, self.runs)
            extra = {}
            # Byte identity: the last outputs of each tool, versus nbformat's.
            ref = next((t for t in tools if t.name == "nbformat" and t.samples), None)
            for t in tools:
                if t.floor or not t.samples or t is ref:
                    continue
                out = t.dst + ".jq" if t.name == "jq" else t.dst
                if ref:
                    same = filecmp_bytes(out, ref.dst)
                    extra["identical to nbformat: " + t.name] = same
                    if t.is_celltag and not same:
                        t.error = "output differs from nbformat's"
                        self.failed = True
            self.record("tag", "tag %s" % name, size, tools,
                        target="<= 3x cp+sync (50/200 MB); >= 30x faster than nbformat "
                               "(50/200 MB), >= 100x (50k cells); peak RSS <= 1.5x file",
                        extra=extra)

    # --- (2) course scan -------------------------------------------------
    def bench_scan(self):
        course = self.path("course")
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(course)
                       for f in fs if f.endswith(".ipynb"))
        size = sum(os.path.getsize(f) for f in files)
        log("== course scan: %d notebooks, %.1f MB" % (len(files), size / 1e6))
        tools = [Tool("cat (floor)", lambda: [Step(["cat"] + files)], floor=True)]
        for sub in ("coverage", "lint"):
            # lint exits 1 when it has findings (the course has untagged
            # exercises on purpose).
            exp = (0, 1) if sub == "lint" else (0,)
            t = Tool("celltag " + sub, (lambda s=sub: [Step([self.bin, s, course])]),
                     is_celltag=True, expect=exp)
            why = self.celltag_supports([sub, course], expect=exp)
            if why:
                t.error, t.unavailable = why, True
            tools.append(t)
            # The default reads one notebook per CPU; the one-thread figure
            # is shown beside it.
            if not why:
                tools.append(Tool("celltag %s -j 1" % sub,
                                  (lambda s=sub: [Step([self.bin, s, course, "-j", "1"])]),
                                  is_celltag=True, expect=exp))
        tools.append(Tool("python json scan", lambda: [
            Step([PY, os.path.join(PEERS, "scan.py"), "json", course])]))
        if self.have_nbformat:
            tools.append(Tool("nbformat scan", lambda: [
                Step([PY, os.path.join(PEERS, "scan.py"), "nbformat", course])]))
        if self.have_jq:
            tools.append(Tool("jq scan", lambda: [
                Step(["sh", os.path.join(PEERS, "jq_scan.sh"), course])]))
        measure(tools, self.runs)
        self.notes.append("celltag coverage and lint read one notebook per CPU (%d here) by "
                          "default; their CPU time is summed over the threads, so the CPU "
                          "ratio is above the wall ratio; the -j 1 rows use one thread."
                          % (os.cpu_count() or 1))
        self.record("scan", "coverage/lint of %d notebooks" % len(files), size, tools,
                    target="<= 2x cat; >= 25x faster than nbformat, >= 3x than python json")

    # --- (3) TUI first screen ---------------------------------------------
    def tui_script(self, name, keys):
        p = os.path.join(self.work, name)
        with open(p, "w") as f:
            f.write(keys)
        return p

    def bench_tui(self):
        log("== TUI: start to first full screen and quit (--script, 120x40)")
        quit_script = self.tui_script("quit.keys", TUI_QUIT)
        small = self.path("small.ipynb")
        why = self.celltag_supports(["--script", quit_script, "--size", "120x40", small])
        if not why:
            # Untimed check that the first screen really is drawn: dump it.
            dump = os.path.join(self.work, "screen.txt")
            probe = self.tui_script("probe.keys", ":save-display %s\nq\n" % dump)
            self.celltag_supports(["--script", probe, "--size", "120x40", small])
            try:
                with open(dump, encoding="utf-8", errors="replace") as f:
                    screen = f.read()
            except OSError:
                screen = ""
            lines = [x for x in screen.splitlines() if x.strip()]
            if "Exercise" in screen and len(lines) >= 20:
                self.notes.append("TUI first screen checked: %d non-blank lines of 40 "
                                  "(small.ipynb, --size 120x40)." % len(lines))
            else:
                why = "the scripted first screen looks empty (%d lines)" % len(lines)
                self.failed = True
        for name in ("small.ipynb", "many50k.ipynb", "big50.ipynb", "big200.ipynb"):
            src = self.path(name)
            bs = "%dK" % (os.path.getsize(src) // 1024 + 1)
            tools = [Tool("cat (floor)", lambda: [Step(["cat", src])], floor=True),
                     Tool("celltag TUI", lambda: [Step([self.bin, "--script", quit_script,
                                                        "--size", "120x40", src])],
                          is_celltag=True),
                     # The same run, timed to its first full screen: what the
                     # target is about (a big notebook shows its first cells
                     # while the rest loads).  CPU and RSS: the whole run.
                     Tool("celltag first screen", lambda: [Step(
                         [self.bin, "--script", quit_script, "--size", "120x40", src],
                         first_screen=True)], is_celltag=True),
                     # Reading into one buffer of the file's size, as celltag
                     # must: page faults included, unlike cat's small buffer.
                     Tool("dd into RAM", lambda: [Step(["dd", "if=" + src, "of=/dev/null",
                                                        "bs=" + bs, "count=1",
                                                        "iflag=fullblock", "status=none"])])]
            if why:
                tools[1].error, tools[1].unavailable = why, True
            measure(tools, self.runs)
            self.record("tui", "TUI open+quit %s" % name, os.path.getsize(src), tools,
                        target="<= 2x read the file (200 MB); peak RSS <= 1.5x file")

    # --- (4) key presses --------------------------------------------------
    def bench_keys(self):
        log("== TUI key presses: %s" % TUI_KEYS_DESC)
        quit_script = self.tui_script("quit.keys", TUI_QUIT)
        keys_script = self.tui_script("keys.keys", TUI_KEYS)
        small = self.path("small.ipynb")
        why = self.celltag_supports(["--script", keys_script, "--size", "120x40", small])
        per = {}
        for name in ("small.ipynb", "many50k.ipynb"):
            src = self.path(name)

            def cmd(script, s=src):
                return lambda: [Step([self.bin, "--script", script, "--size", "120x40", s])]
            tools = [Tool("open+quit (floor)", cmd(quit_script), floor=True, is_celltag=True),
                     Tool("open+keys+quit", cmd(keys_script), is_celltag=True)]
            if why:
                for t in tools:
                    t.error, t.unavailable = why, True
            measure(tools, self.runs)
            res = self.record("keys", "TUI keys %s" % name, os.path.getsize(src), tools)
            rows = res["rows"]
            if all("wall" in r for r in rows):
                per[name] = (rows[1]["wall"] - rows[0]["wall"], rows[1]["cpu"] - rows[0]["cpu"])
                res["extra"]["keys cost (wall)"] = fmt_time(per[name][0])
                res["extra"]["keys cost (cpu)"] = fmt_time(per[name][1])
        if len(per) == 2:
            a, b = per["small.ipynb"], per["many50k.ipynb"]
            self.notes.append(
                "Key presses (%s): %s on 50 cells, %s on 50,000 cells (CPU %s vs %s): "
                "x%.2f (target <= 1.5x)." % (TUI_KEYS_DESC, fmt_time(a[0]), fmt_time(b[0]),
                                            fmt_time(a[1]), fmt_time(b[1]),
                                            b[1] / a[1] if a[1] > 0 else float("nan")))
        self.key_instructions(quit_script, keys_script)

    def key_instructions(self, quit_script, keys_script):
        """The same key presses counted in instructions (callgrind), which a
        busy machine does not change: open+keys minus open+quit, per size."""
        if not shutil.which("valgrind"):
            self.notes.append("Key press instructions: skipped (valgrind not found).")
            return
        per = {}
        for name in ("small.ipynb", "many50k.ipynb"):
            counts = []
            for script in (quit_script, keys_script):
                out = os.path.join(self.work, "cg.out")
                subprocess.call(["valgrind", "--tool=callgrind", "-q",
                                 "--callgrind-out-file=" + out, self.bin, "--script", script,
                                 "--size", "120x40", self.path(name)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                with open(out) as f:
                    counts.append(next((int(l.split()[1]) for l in f
                                        if l.startswith("summary:")), 0))
            per[name] = counts[1] - counts[0]
        a, b = per["small.ipynb"], per["many50k.ipynb"]
        if a > 0:
            self.notes.append(
                "Key press instructions (callgrind; %s): %.1fM on 50 cells, %.1fM on 50,000 "
                "cells: x%.2f (target <= 1.5x)." % (TUI_KEYS_DESC, a / 1e6, b / 1e6, b / a))

    # --- (5) start-up CPU -----------------------------------------------------
    def bench_startup(self):
        log("== start-up: celltag list small.ipynb")
        src = self.path("small.ipynb")
        tools = [Tool("true (floor)", lambda: [Step(["true"])], floor=True),
                 Tool("celltag list", lambda: [Step([self.bin, "list", src])],
                      is_celltag=True)]
        why = self.celltag_supports(["list", src])
        if why:
            tools[1].error, tools[1].unavailable = why, True
        measure(tools, max(self.runs, 20))
        self.record("startup", "celltag list small.ipynb", os.path.getsize(src), tools,
                    target="CPU < 5 ms")

    # --- report ------------------------------------------------------------
    def markdown_table(self):
        lines = ["# celltag benchmarks", "",
                 "Made by `make bench%s` (tests/bench/bench.py) on %s, %d CPUs, "
                 "celltag `%s`; %d rounds after a warm-up, tools alternating; medians. "
                 "Ratio = median wall time / the floor's (cp+sync, cat or true). "
                 "CPU = user+sys of the process; RSS = peak resident set. "
                 "CPU ratio = the same with CPU times, steadier than wall times when the "
                 "machine is busy. "
                 "Load = 1/5/15-min load average when the benchmark started "
                 "(above 1 on this 2-core machine: something else was running)."
                 % ("-quick" if self.quick else "", self.time_started, os.cpu_count(),
                    os.path.relpath(self.bin, ROOT), self.runs), ""]
        lines.append("| benchmark | size | tool | wall | CPU | peak RSS | RSS/size | ratio "
                     "| CPU ratio | load |")
        lines.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
        for res in self.results:
            first = True
            for r in res["rows"]:
                head = ("%s | %.1f MB" % (res["name"], res["bytes"] / 1e6)) if first else " | "
                load = res["load"] if first else ""
                first = False
                if "wall" not in r:
                    why = " ".join(r["error"].split())
                    lines.append("| %s | %s | n/a: %s | | | | | | %s |" % (
                        head, r["tool"], why[:70].replace("|", "/"), load))
                    continue
                lines.append("| %s | %s | %s | %s | %s | %.2f | %s | %s | %s |" % (
                    head, r["tool"], fmt_time(r["wall"]), fmt_time(r["cpu"]),
                    fmt_mb(r["rss_kb"]), r["rss_kb"] * 1024.0 / res["bytes"],
                    "x%.2f" % r["ratio"] if r["ratio"] is not None else "-",
                    "x%.2f" % r["cpu_ratio"] if r.get("cpu_ratio") else "-", load))
        checks = self.target_checks()
        if checks:
            lines += ["", "## Targets of the issue", ""]
            if self.quick:
                lines += ["Quick run: the files are small stand-ins (2 and 8 MB, 2,000 cells), "
                          "so these rows only show the harness works; judge the targets on "
                          "`make bench`.", ""]
            lines += [
                      "| target | measured (wall; CPU) | met |", "|---|---|---|"]
            lines += ["| %s | %s | %s |" % c for c in checks]
        lines += ["", "## Against the targets, in detail", ""]
        lines += ["- " + v for v in self.verdicts()]
        ident = [(res["name"], k, v) for res in self.results for k, v in res["extra"].items()
                 if k.startswith("identical")]
        if ident:
            lines += ["", "## Byte identity with nbformat's output", ""]
            lines += ["- %s, %s: %s" % (n, k.split(": ")[1], "yes" if v else "NO")
                      for n, k, v in ident]
        if self.notes:
            lines += ["", "## Notes", ""] + ["- " + n for n in self.notes]
        return "\n".join(lines) + "\n"

    def target_checks(self):
        """(target, measured, verdict) rows for the issue's targets, from the
        wall ratios (the CPU ratio in parentheses)."""
        out = []

        def res_of(group, name_part):
            return next((r for r in self.results if r["group"] == group
                         and name_part in r["name"]), None)

        def row(res, tool):
            if not res:
                return None
            return next((r for r in res["rows"] if r["tool"] == tool and "wall" in r), None)

        def verdict(ok):
            return "yes" if ok else "**no**"
        for f in ("big50", "big200"):
            res = res_of("tag", f)
            c, n = row(res, "celltag"), row(res, "nbformat")
            if c:
                out.append(("tag-and-save %s <= 3x cp+sync" % f,
                            "%.2fx; %.2fx" % (c["ratio"], c["cpu_ratio"] or 0),
                            verdict(c["ratio"] <= 3)))
            if c and n:
                w, u = n["wall"] / c["wall"], n["cpu"] / max(c["cpu"], 1e-6)
                out.append(("tag-and-save %s >= 30x faster than nbformat" % f,
                            "%.0fx; %.0fx" % (w, u), verdict(w >= 30)))
            if c:
                k = c["rss_kb"] * 1024.0 / res["bytes"]
                out.append(("tag-and-save %s peak RSS <= 1.5x file" % f, "%.2fx" % k,
                            verdict(k <= 1.5)))
        res = res_of("tag", "many50k")
        c, n = row(res, "celltag"), row(res, "nbformat")
        if c and n:
            w, u = n["wall"] / c["wall"], n["cpu"] / max(c["cpu"], 1e-6)
            out.append(("tag-and-save 50,000 cells >= 100x faster than nbformat",
                        "%.0fx; %.0fx" % (w, u), verdict(w >= 100)))
        if c:
            k = c["rss_kb"] * 1024.0 / res["bytes"]
            out.append(("tag-and-save 50,000 cells peak RSS <= 1.5x file", "%.2fx" % k,
                        verdict(k <= 1.5)))
        res = res_of("scan", "")
        for sub in ("coverage", "lint"):
            c = row(res, "celltag " + sub)
            if not c:
                continue
            out.append(("%s <= 2x cat" % sub, "%.2fx; %.2fx" % (c["ratio"], c["cpu_ratio"] or 0),
                        verdict(c["ratio"] <= 2)))
            for peer, want in (("nbformat scan", 25), ("python json scan", 3)):
                p = row(res, peer)
                if p:
                    w, u = p["wall"] / c["wall"], p["cpu"] / max(c["cpu"], 1e-6)
                    out.append(("%s >= %dx faster than %s" % (sub, want, peer),
                                "%.1fx; %.1fx" % (w, u), verdict(w >= want)))
        for f in ("big50", "big200", "many50k"):
            res = res_of("tui", f)
            c, d = row(res, "celltag TUI"), row(res, "dd into RAM")
            fs = row(res, "celltag first screen")
            if fs and f == "big200":
                s = "%.2fx (whole open+quit %s)" % (
                    fs["ratio"], "%.2fx" % c["ratio"] if c else "-")
                if d and c:
                    s += "; whole load %.2fx reading into one buffer" % (c["wall"] / d["wall"])
                out.append(("TUI first screen 200 MB <= 2x reading the file (cat)", s,
                            verdict(fs["ratio"] <= 2)))
            if c:
                k = c["rss_kb"] * 1024.0 / res["bytes"]
                out.append(("TUI %s peak RSS <= 1.5x file" % f, "%.2fx" % k, verdict(k <= 1.5)))
        for n in self.notes:
            if n.startswith("Key presses") and "x" in n:
                r = float(n.rsplit("): x", 1)[1].split()[0])
                out.append(("key presses on 50,000 cells <= 1.5x on 50 (CPU)", "%.2fx" % r,
                            verdict(r <= 1.5)))
        for n in self.notes:
            if n.startswith("Key press instructions") and "x" in n and "skipped" not in n:
                r = float(n.rsplit(": x", 1)[1].split()[0])
                out.append(("key presses on 50,000 cells <= 1.5x on 50 (instructions)",
                            "%.2fx" % r, verdict(r <= 1.5)))
        res = res_of("startup", "")
        c = row(res, "celltag list")
        if c:
            out.append(("celltag list start-up CPU < 5 ms", fmt_time(c["cpu"]),
                        verdict(c["cpu"] < 0.005)))
        return out

    def verdicts(self):
        out = []

        def row(res, tool):
            return next((r for r in res["rows"] if r["tool"] == tool and "wall" in r), None)
        for res in self.results:
            if res["group"] == "tag":
                c, n = row(res, "celltag"), row(res, "nbformat")
                if not c:
                    out.append("%s: celltag not measured" % res["name"])
                    continue
                s = "%s: %.2fx cp+sync (CPU %.2fx)" % (res["name"], c["ratio"],
                                                       c["cpu_ratio"] or 0)
                for peer in ("nbformat", "python json", "jq"):
                    p = row(res, peer)
                    if p:
                        s += ", %.0fx faster than %s (CPU %.0fx)" % (
                            p["wall"] / c["wall"], peer, p["cpu"] / max(c["cpu"], 1e-6))
                s += ", RSS %.2fx file" % (c["rss_kb"] * 1024.0 / res["bytes"])
                out.append(s)
            elif res["group"] == "scan":
                for sub in ("celltag coverage", "celltag lint"):
                    c = row(res, sub)
                    if not c:
                        out.append("%s: not measured" % sub)
                        continue
                    s = "%s: %.2fx cat (CPU %.2fx)" % (sub, c["ratio"], c["cpu_ratio"] or 0)
                    for peer in ("nbformat scan", "python json scan", "jq scan"):
                        p = row(res, peer)
                        if p:
                            s += ", %.1fx faster than %s (CPU %.1fx)" % (
                                p["wall"] / c["wall"], peer, p["cpu"] / max(c["cpu"], 1e-6))
                    out.append(s)
            elif res["group"] == "tui":
                c, d = row(res, "celltag TUI"), row(res, "dd into RAM")
                if c:
                    s = "%s: %.2fx reading the file with cat (CPU %.2fx)" % (
                        res["name"], c["ratio"], c["cpu_ratio"] or 0)
                    if d:
                        s += ", %.2fx reading it into one buffer with dd (CPU %.2fx)" % (
                            c["wall"] / d["wall"], c["cpu"] / max(d["cpu"], 1e-6))
                    s += ", RSS %.2fx file" % (c["rss_kb"] * 1024.0 / res["bytes"])
                    fs = row(res, "celltag first screen")
                    if fs:
                        s += "; first full screen after %s, %.2fx cat" % (
                            fmt_time(fs["wall"]), fs["ratio"])
                    out.append(s)
            elif res["group"] == "startup":
                c = row(res, "celltag list")
                if c:
                    out.append("celltag list small.ipynb: CPU %s (target < 5 ms), wall %s" % (
                        fmt_time(c["cpu"]), fmt_time(c["wall"])))
        return out

    def render_saved(self):
        """Re-render the markdown of a saved JSON result (--from-json)."""
        with open(self.from_json) as f:
            saved = json.load(f)
        self.results, self.notes = saved["results"], saved.get("notes", [])
        self.quick, self.runs = saved["quick"], saved["runs"]
        self.time_started = saved["started"]
        self.bin = saved.get("bin", self.bin)
        for res in self.results:        # older files lack the CPU ratio
            floor = next((r for r in res["rows"] if r.get("floor") and "cpu" in r), None)
            for r in res["rows"]:
                if "cpu" in r and "cpu_ratio" not in r:
                    r["cpu_ratio"] = r["cpu"] / floor["cpu"] if floor and floor["cpu"] else None
        md = self.markdown_table()
        if self.markdown:
            with open(self.markdown, "w") as f:
                f.write(md)
        sys.stdout.write(md)
        return 0

    def main(self):
        if self.from_json:
            return self.render_saved()
        if not os.access(self.bin, os.X_OK):
            log("bench: %s not built (make BUILD=... first)" % self.bin)
            return 2
        gen = [sys.executable, os.path.join(HERE, "gen_notebooks.py")] + \
              (["--quick"] if self.quick else []) + [self.data]
        subprocess.check_call(gen, stdout=sys.stderr)
        os.makedirs(self.work, exist_ok=True)
        global RUNSTAT, REPORT
        if not self.runstat:
            # Not built by make: build it here.
            self.runstat = os.path.join(self.work, "runstat")
            subprocess.check_call([os.environ.get("CC", "cc"), "-O2", "-o", self.runstat,
                                   os.path.join(HERE, "runstat.c")])
        RUNSTAT, REPORT = self.runstat, os.path.join(self.work, "runstat.out")
        log("bench: %s, %d rounds, load %s, nbformat %s, jq %s" % (
            "quick" if self.quick else "full", self.runs, loadavg(),
            "yes" if self.have_nbformat else "no", "yes" if self.have_jq else "no"))
        groups = [("startup", self.bench_startup), ("tag", self.bench_tag),
                  ("scan", self.bench_scan), ("tui", self.bench_tui),
                  ("keys", self.bench_keys)]
        for g, fn in groups:
            if self.only is None or g in self.only:
                fn()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        md = self.markdown_table()
        base = os.path.join(self.resdir, "bench-%s%s" % (stamp, "-quick" if self.quick else ""))
        with open(base + ".json", "w") as f:
            json.dump({"started": self.time_started, "quick": self.quick, "runs": self.runs,
                       "bin": self.bin,
                       "results": self.results, "notes": self.notes}, f, indent=1)
        with open(base + ".md", "w") as f:
            f.write(md)
        if self.markdown:
            with open(self.markdown, "w") as f:
                f.write(md)
        sys.stdout.write(md)
        log("bench: results in %s.{json,md}" % os.path.relpath(base, ROOT))
        shutil.rmtree(self.work, ignore_errors=True)
        if self.failed:
            log("bench: celltag FAILED: a crash, a wrong exit status, an empty first screen "
                "or an output that differs from nbformat's (see above)")
            return 1
        return 0


def filecmp_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


# TUI scripts for --script (tui/input.h: one key name, key sequence or
# ":command" per line; the editor quits, discarding edits, at the end).
TUI_QUIT = "q\n"
TUI_KEYS_DESC = "1,000 moves, a filter change, a search, a tag toggle"
# Moves go 25 down and 25 up, so that all 1,000 really move on 50 cells too.
TUI_KEYS = ("j\n" * 25 + "k\n" * 25) * 20 + \
    "f\n/\n:type YOUR CODE\n<Enter>\nt\n<Enter>\n"


if __name__ == "__main__":
    sys.exit(Bench(sys.argv[1:]).main())
