#!/bin/bash
# SIGHUP with unsaved edits writes a recovery file beside the notebook (the
# notebook is untouched); reopening offers the edits, which apply and save.
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/nb.ipynb"
tm_start 100 30 "$CELLTAG_BIN nb.ipynb"
tm_wait "13 cells"
tm_keys ']' 't'
tm_wait "Assignment tag:"
tm_keys Enter
tm_wait "[+]"
pid=$(tm_pid)
[ -n "$pid" ] || tm_fail "celltag pid not found"
kill -HUP "$pid"
tm_gone
tm_capture | grep -q "CELLTAG-EXIT=129" || tm_fail "exit status not 129"
[ -f "$TM_DIR/.nb.ipynb.celltag-recovery" ] || tm_fail "no recovery file"
cmp "$TM_DIR/nb.ipynb" "$TM_REPO/tests/data/tui/lesson-03.ipynb" || tm_fail "notebook changed"
tm_keys "clear; $CELLTAG_BIN nb.ipynb; echo CELLTAG-EXIT2=\$?" Enter
tm_wait "Unsaved edits of 1 cell from an earlier session"
tm_keys 'a'
tm_wait "Applied recovered edits to 1 cell"
tm_wait "<assignment:lesson-03-exercise-1>"
tm_keys 'w'
tm_wait "Saved nb.ipynb"
tm_keys 'q'
tm_wait "CELLTAG-EXIT2=0"
[ -f "$TM_DIR/.nb.ipynb.celltag-recovery" ] && tm_fail "recovery file left behind"
cmp "$TM_DIR/nb.ipynb" "$TM_REPO/tests/data/tui/lesson-03.expected-tagged.ipynb" || tm_fail "recovered save differs"
echo "ok: SIGHUP writes recovery; reopening applies it"
