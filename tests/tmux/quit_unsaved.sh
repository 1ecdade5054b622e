#!/bin/bash
# Quitting with unsaved edits asks; cancel keeps editing; Ctrl-C asks the
# same; discard leaves the file untouched.
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/nb.ipynb"
tm_start 80 24 "$CELLTAG_BIN nb.ipynb"
tm_wait "13 cells"
tm_keys ']' 't'
tm_wait "Assignment tag:"
tm_keys Enter
tm_wait "[+]"
tm_keys 'q'
tm_wait "nb.ipynb has unsaved edits: [s]ave, [d]iscard, [c]ancel"
tm_keys 'c'
tm_wait "Quit cancelled"
tm_keys C-c
tm_wait "nb.ipynb has unsaved edits"
tm_keys Escape
tm_wait "Quit cancelled"
tm_keys 'q'
tm_wait "has unsaved edits"
tm_keys 'd'
tm_gone
tm_capture | grep -q "CELLTAG-EXIT=0" || tm_fail "exit status not 0"
cmp "$TM_DIR/nb.ipynb" "$TM_REPO/tests/data/tui/lesson-03.ipynb" || tm_fail "file changed"
echo "ok: quit with unsaved edits asks; discard keeps the file"
