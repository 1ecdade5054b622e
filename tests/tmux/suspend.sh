#!/bin/bash
# Ctrl-Z suspends to the shell with the terminal restored; fg brings the
# editor back with its state.
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/nb.ipynb"
tm_start 80 24 "$CELLTAG_BIN nb.ipynb"
tm_wait "13 cells"
tm_keys ']'
tm_wait "4/13"
tm_keys C-z
tm_wait "Stopped"
tm_keys "clear; echo SHELL-IS-BACK" Enter
tm_wait "SHELL-IS-BACK"
tm_keys "fg" Enter
tm_wait "4/13"
shpid=$(tm display-message -p -t t '#{pane_pid}')
tm_keys 'q'
# The shell forgot the "; echo" of the stopped job: wait for the process.
for _ in $(seq 200); do
	[ -z "$(tm_children "$shpid" celltag)" ] && break
	sleep 0.05
done
[ -n "$(tm_children "$shpid" celltag)" ] && tm_fail "celltag still running after q"
echo "ok: Ctrl-Z suspends and fg resumes"
