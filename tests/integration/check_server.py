#!/usr/bin/python3
"""celltag against a real Classic Notebook server (Debian's jupyter-notebook).

Starts `python3 -m notebook` on 127.0.0.1 with a random free port and a
random token, no browser, serving a temporary folder with its own HOME and
Jupyter folders.  Then:

  * notebooks celltag tagged are fetched through the contents API
    (GET /api/contents/PATH, `Authorization: token ...`): same cells, same
    sources, and the tags celltag reports;
  * one is saved back through the API (PUT), as the browser would; celltag
    reads the result, and its bytes differ from celltag's only by what Jupyter
    itself normalises (they equal nbformat.write of celltag's file); for a
    notebook already in Jupyter's format they are identical;
  * the same for every notebook of the shared corpus celltag can edit
    (copies): the server serves the tags celltag wrote, and a save through
    Jupyter of one already in Jupyter's format is byte-identical;
  * celltag then edits the file Jupyter wrote and the server sees the edit.

The server is stopped at the end whatever happens.  Only loopback traffic:
proxies from the environment are ignored.

Usage: /usr/bin/python3 tests/integration/check_server.py
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import ctlib

PYTHON = "/usr/bin/python3"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Classic Notebook server in its own process group."""

    def __init__(self, root, home):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("JUPYTER") or k in ("IPYTHONDIR", "http_proxy", "https_proxy",
                                                "HTTP_PROXY", "HTTPS_PROXY"):
                del env[k]
        env.update(HOME=home, IPYTHONDIR=os.path.join(home, ".ipython"),
                   JUPYTER_CONFIG_DIR=os.path.join(home, "config"),
                   JUPYTER_DATA_DIR=os.path.join(home, "data"),
                   JUPYTER_RUNTIME_DIR=os.path.join(home, "runtime"),
                   JUPYTER_NO_CONFIG="1", BROWSER="true")
        self.log_path = os.path.join(home, "server.log")
        self.log = open(self.log_path, "wb")
        cmd = [PYTHON, "-m", "notebook", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}", "--port-retries=0",
               f"--NotebookApp.token={self.token}", f"--notebook-dir={root}",
               "--NotebookApp.open_browser=False"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self.proc = subprocess.Popen(cmd, cwd=home, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def request(self, method, path, body=None, token=True):
        url = self.base + path
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(url, data=data, method=method)
        if token:
            req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with OPENER.open(req, timeout=30) as r:
                return r.status, json.loads(r.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as e:
            return e.code, None

    def wait_ready(self, timeout=90):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                status, _ = self.request("GET", "/api/status")
                if status == 200:
                    return True
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.3)
        return False

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        self.log.close()

    def log_tail(self, n=30):
        with open(self.log_path, "rb") as f:
            return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")


def api_path(rel):
    return "/api/contents/" + urllib.parse.quote(rel.replace(os.sep, "/"))


def check_get(res, srv, root, rel):
    """The server's view of a celltag-edited notebook."""
    path = os.path.join(root, rel)
    status, model = srv.request("GET", api_path(rel) + "?type=notebook&content=1")
    if not res.check(status == 200 and model and model.get("type") == "notebook",
                     f"GET {rel}", f"HTTP {status}"):
        return None
    reported, st, errtext = ctlib.reported_tags(path)
    if not res.check(reported is not None, f"{rel}: celltag lists it", errtext.strip()):
        return None
    cells = model["content"]["cells"]
    nb = ctlib.nb_reads(ctlib.read_bytes(path))
    res.check(len(cells) == len(nb.cells) == len(reported),
              f"{rel}: same number of cells (server, nbformat, celltag)",
              f"{len(cells)} {len(nb.cells)} {len(reported)}")
    res.check([c.get("source") for c in cells] == [c.get("source") for c in nb.cells],
              f"{rel}: the server serves the cell sources unchanged")
    # Cells whose tags are not a list of strings are read-only to celltag.
    served = {i: c["metadata"].get("tags", []) for i, c in enumerate(cells)}
    served = {i: t for i, t in served.items()
              if isinstance(t, list) and all(isinstance(x, str) for x in t)}
    res.check(all(reported.get(i) == t for i, t in served.items()),
              f"{rel}: the server serves the tags celltag reports",
              f"server {served} celltag {reported}")
    return model


def check_put(res, srv, root, rel, model, must_be_identical, quiet=False):
    """Save through Jupyter and compare with what celltag wrote."""
    path = os.path.join(root, rel)
    before = ctlib.read_bytes(path)
    body = {"type": "notebook", "format": "json", "content": model["content"]}
    status, _ = srv.request("PUT", api_path(rel), body)
    if not res.check(status in (200, 201), f"PUT {rel}", f"HTTP {status}"):
        return
    after = ctlib.read_bytes(path)
    if not quiet:
        print(f"server: PUT {rel}: {len(before)} bytes from celltag, {len(after)} from Jupyter"
              f" ({'identical' if after == before else 'normalised'})", flush=True)
    reported, st, errtext = ctlib.reported_tags(path)
    res.check(reported is not None, f"{rel}: celltag reads the notebook Jupyter saved",
              errtext.strip())
    res.check(after == ctlib.jupyter_bytes(ctlib.nb_reads(before)),
              f"{rel}: Jupyter's save differs from celltag's only by Jupyter's normalisation")
    if must_be_identical:
        res.check(after == before, f"{rel}: Jupyter's save of celltag's canonical file is identical")
    served = {i: c["metadata"].get("tags", []) for i, c in enumerate(model["content"]["cells"])}
    res.check(reported == served, f"{rel}: tags survive Jupyter's save",
              f"celltag {reported} server {served}")


def main():
    ctlib.celltag_bin()
    res = ctlib.Results("server")
    if subprocess.run([PYTHON, "-c", "import notebook"], capture_output=True).returncode:
        res.check(False, "python3-notebook is installed (make check-integration installs it)")
        return res.finish()
    with tempfile.TemporaryDirectory(prefix="celltag-server-") as tmp:
        root = os.path.join(tmp, "root")
        home = os.path.join(tmp, "home")
        os.makedirs(root)
        os.makedirs(home)
        ctlib.copy_tree(ctlib.COURSE, os.path.join(root, "course"))
        targets = [
            ("course/lesson-01-intro/lesson-01.ipynb", True),     # canonical 4.5
            ("course/lesson-03-functions/exercises.ipynb", False),  # Colab style
            ("course/lesson-04-strings/lesson-04.ipynb", False),  # CRLF
            ("course/misc/empty-tags.ipynb", False),              # indent 4, tags: []
        ]
        for rel, _ in targets:
            p = ctlib.run("tag", os.path.join(root, rel), "1", "assignment:server-check")
            res.check(p.returncode == 0, f"celltag tag {rel}", p.stderr.strip())
            p = ctlib.run("tag", os.path.join(root, rel), "5", "\u00fcbung")
            res.check(p.returncode == 0, f"celltag tag {rel} (non-ASCII)", p.stderr.strip())

        # Corpus notebooks (copies) celltag can edit: tagged now, fetched and
        # (when already in Jupyter's format) saved back below.
        corpus_targets = []
        corpus = ctlib.corpus_dir()
        if corpus:
            ctlib.copy_tree(corpus, os.path.join(root, "corpus"))
            for path in ctlib.notebooks_under(os.path.join(root, "corpus")):
                rel = os.path.relpath(path, root)
                data = ctlib.read_bytes(path)
                try:
                    seen = ctlib.nbformat_tags(data)
                except Exception:
                    continue
                if not seen or ctlib.reported_tags(path)[0] is None:
                    continue
                p = ctlib.run("tag", path, str(min(seen)), "assignment:server-corpus")
                if p.returncode == 0:
                    corpus_targets.append((rel, ctlib.is_canonical(data)))
        else:
            res.skip("corpus not found (../shared/corpus or $CELLTAG_CORPUS)")

        # The free port is found before the server binds it; if another
        # process takes it in between, try again on a new port.
        for attempt in range(3):
            srv = Server(root, home)
            ready = srv.wait_ready()
            if ready or attempt == 2:
                break
            tail = srv.log_tail()
            srv.stop()
            if "in use" not in tail:
                break
            print(f"server: port {srv.port} was taken, retrying", flush=True)
        try:
            if not res.check(ready, "the notebook server starts",
                             "log:\n" + srv.log_tail()):
                return res.finish()
            print(f"server: Classic Notebook on {srv.base} (pid {srv.proc.pid})", flush=True)
            status, _ = srv.request("GET", "/api/contents/course", token=False)
            res.check(status in (401, 403), "the server refuses requests without the token",
                      f"HTTP {status}")
            for rel, canonical in targets:
                model = check_get(res, srv, root, rel)
                if model is not None:
                    check_put(res, srv, root, rel, model, canonical)
            ncanon = 0
            for rel, canonical in corpus_targets:
                try:
                    model = check_get(res, srv, root, rel)
                    if model is not None and canonical:
                        ncanon += 1
                        check_put(res, srv, root, rel, model, True, quiet=True)
                except Exception as e:  # one odd notebook must not hide the rest
                    res.check(False, f"{rel}: server round trip", f"{type(e).__name__}: {e}")
            if corpus:
                print(f"server: {len(corpus_targets)} corpus notebooks tagged and fetched, "
                      f"{ncanon} saved back", flush=True)
                res.check(len(corpus_targets) >= 30, "most corpus notebooks were tagged",
                          str(len(corpus_targets)))
            # celltag edits what Jupyter wrote; the server sees it.
            rel = targets[1][0]
            p = ctlib.run("untag", os.path.join(root, rel), "1", "assignment:server-check")
            res.check(p.returncode == 0, f"celltag untag {rel} after Jupyter's save", p.stderr.strip())
            model = check_get(res, srv, root, rel)
            if model is not None:
                tags1 = model["content"]["cells"][1]["metadata"].get("tags", [])
                res.check("assignment:server-check" not in tags1,
                          f"{rel}: the server sees celltag's untag", str(tags1))
                res.check(ctlib.is_canonical(ctlib.read_bytes(os.path.join(root, rel))),
                          f"{rel}: celltag keeps Jupyter's format when editing Jupyter's file")
        finally:
            srv.stop()
        res.check(srv.proc.poll() is not None, "the server is stopped")
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
