#!/bin/bash
# Open a notebook, jump to an untagged exercise, accept the suggested tag,
# save, quit: the file gains exactly that tag, losslessly.
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/nb.ipynb"
tm_start 120 40 "$CELLTAG_BIN nb.ipynb"
tm_wait "13 cells"
tm_keys ']'
tm_wait "Untagged exercise cell 3"
tm_keys 't'
tm_wait "Assignment tag: assignment:lesson-03-exercise-1"
tm_keys Enter
tm_wait "Tagged cell 3"
tm_keys 'w'
tm_wait "Saved nb.ipynb"
tm_keys 'q'
tm_gone
tm_capture | grep -q "CELLTAG-EXIT=0" || tm_fail "exit status not 0"
cmp "$TM_DIR/nb.ipynb" "$TM_REPO/tests/data/tui/lesson-03.expected-tagged.ipynb" ||
	{ diff -u "$TM_REPO/tests/data/tui/lesson-03.expected-tagged.ipynb" "$TM_DIR/nb.ipynb"; tm_fail "saved file differs"; }
echo "ok: basic flow (tag, save, quit; lossless)"
