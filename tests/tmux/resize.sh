#!/bin/bash
# The layout follows the terminal size at once: side by side when wide,
# the list alone when tiny, and back.
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/nb.ipynb"
tm_start 120 40 "$CELLTAG_BIN nb.ipynb"
tm_wait "4 exercises: 1 tagged"
tm_capture | grep -q "^─ 13 cells ─*┬─ cell 0 markdown" || tm_fail "not side by side at 120x40"
tm resize-window -t t -x 40 -y 12
tm_wait "1/4 tagged"
tm_capture | grep -q "cell 0 markdown" && tm_fail "preview shown at 40x12"
tm resize-window -t t -x 80 -y 24
tm_wait "4 exercises: 1 tagged"
tm_capture | grep -q "^─ cell 0 markdown" || tm_fail "not stacked at 80x24"
tm_capture | grep -q "^─ 13 cells" || tm_fail "no list title at 80x24"
tm_keys 'q'
tm_gone
echo "ok: resize redraws with the right layout"
