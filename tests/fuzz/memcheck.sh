#!/bin/bash
# memcheck.sh - run celltag's CLI commands and scripted TUI sessions under
# valgrind memcheck (make valgrind).
#
#   memcheck.sh /abs/path/to/celltag
#
# Every run uses --leak-check=full --error-exitcode=1 (plus
# --errors-for-leak-kinds=definite,indirect so that a leak fails the run);
# the exit status the command itself should have is checked too, so an
# error path counts as tested only when it is the expected one.  Each run
# works on a copy of the fixtures in a temp dir.  Exit 0 when every run is
# clean; otherwise the logs of the failing runs are printed.
set -u
bin=${1:?usage: memcheck.sh CELLTAG_BINARY}
repo=$(cd "$(dirname "$0")/../.." && pwd)
command -v valgrind >/dev/null || { echo "memcheck: valgrind not installed" >&2; exit 2; }
tmp=$(mktemp -d /tmp/celltag-memcheck-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -r "$repo/tests/data/hostile" "$tmp/h"
cp -r "$repo/tests/data/tui" "$tmp/tui"
cp -r "$repo/tests/data/plans" "$tmp/plans"
cp -r "$repo/tests/data/course" "$tmp/course" 2>/dev/null
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config TERM=xterm-256color LC_ALL=C.UTF-8

runs=0 failed=0
# vg WANT_EXIT ARGS...: run celltag under memcheck from $tmp.
vg() {
	want=$1; shift
	runs=$((runs + 1))
	log=$tmp/vg.$runs.log
	(cd "$tmp" && valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	  --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	  --log-file="$log" "$bin" "$@" >"$tmp/out.$runs" 2>"$tmp/err.$runs" </dev/null)
	rc=$?
	if [ $rc -eq 99 ] || [ -s "$log" ]; then
		failed=$((failed + 1))
		echo "MEMCHECK FAIL ($rc): celltag $*"; sed 's/^/    /' "$log" | head -60
	elif [ "$rc" != "$want" ]; then
		failed=$((failed + 1))
		echo "EXIT $rc (want $want): celltag $*"; sed 's/^/    /' "$tmp/err.$runs" | head -5
	else
		echo "ok   celltag $*"
	fi
}

# CLI: reading, every fixture (valid and refused)
for f in "$tmp"/h/*.ipynb; do
	name=h/$(basename "$f")
	if "$bin" list "$f" >/dev/null 2>&1; then want=0; else want=3; fi
	vg $want list "$name"
done
vg 0 list --json h/escapes-cells.ipynb
vg 0 list tui/lesson-03.ipynb
# CLI: edits (tag, untag, read-only, conflict-free save)
vg 0 tag h/base.ipynb 2 assignment:lesson-03-exercise-2
vg 0 untag h/base.ipynb 2 assignment:lesson-03-exercise-2
vg 0 tag h/crlf.ipynb 0 new-tag
vg 0 tag h/numbers.ipynb 1 x
vg 2 tag h/base.ipynb 99 x
vg 2 tag h/base.ipynb 0 'a,b'
vg 3 tag h/badutf8-source.ipynb 0 x
vg 3 tag h/dupkeys.ipynb 0 x
vg 3 list h/does-not-exist.ipynb
vg 3 frobnicate.ipynb
vg 2 tag
vg 0 help
# CLI: the rules commands and plans (tui/course holds a broken notebook)
vg 0 lint tui/lesson-03.ipynb
vg 3 lint tui/course
vg 3 coverage tui/course
vg 0 coverage --format json tui/lesson-03.ipynb
vg 0 coverage --format csv tui/lesson-03.ipynb
# several threads (the default is one per CPU; these force more)
vg 3 lint -j 4 course
vg 3 coverage -j 3 --format json course
vg 0 suggest tui/lesson-03.ipynb
vg 0 apply --dry-run plans/main.yaml

# TUI: scripted sessions (tag, add with completion, undo/redo, search,
# filter, help, resize, save, quit), on a normal and a hostile notebook.
cat >"$tmp/session.keys" <<'KEYS'
j
j
t
a
:type assignment:lesson-03-exercise-9
<Enter>
u
<C-r>
/
:type FizzBuzz
<Enter>
n
f
f
?
q
:resize 40x12
G
g
:resize 120x40
<Tab>
j
<Tab>
w
q
KEYS
cat >"$tmp/hostile.keys" <<'KEYS'
j
j
j
t
:resize 30x8
j
j
k
w
q
KEYS
cp "$tmp/tui/lesson-03.ipynb" "$tmp/tui-session.ipynb"
vg 0 --size 80x24 --script "$tmp/session.keys" "tui-session.ipynb"
vg 0 --size 80x24 --script "$tmp/hostile.keys" "h/escapes-cells.ipynb"
vg 0 --size 100x30 --script "$tmp/session.keys" tui/course
vg 0 --size 80x24 --no-color --theme monochrome --script "$tmp/hostile.keys" "h/escapes.ipynb"
# A 5 MB notebook older than the clock: loaded lean (bytes given back while
# parsing, saved from the file held open).
awk -v n=1400 -f "$repo/tests/tmux/_image_notebook.awk" > "$tmp/lean.ipynb"
sleep 0.1
vg 0 --size 80x24 --script "$tmp/session.keys" "lean.ipynb"
# tag and untag on it: read lean, saved while a thread checks the rest
# (notebook_load_cell_early); a bad end writes nothing.
sleep 0.1
vg 0 tag lean.ipynb 7 assignment:lesson-01-exercise-7
sleep 0.1
vg 0 untag lean.ipynb 7 assignment:lesson-01-exercise-7
head -c 3000000 "$tmp/lean.ipynb" > "$tmp/lean-cut.ipynb"
cat "$tmp/lean.ipynb" >> "$tmp/lean-cut.ipynb"
sleep 0.1
vg 3 tag lean-cut.ipynb 7 assignment:lesson-01-exercise-7

echo "memcheck: $runs runs, $failed failed"
[ $failed -eq 0 ]
