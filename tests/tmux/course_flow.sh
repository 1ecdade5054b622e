#!/bin/bash
# The course screen as a user meets it: rows relative to the folder, Enter
# opens a notebook, q comes back (tig-like) with the edit kept and marked,
# the counts follow, w saves every notebook, q quits.
. "$(dirname "$0")/_lib.sh"
mkdir -p "$TM_DIR/course/unit-1"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/course/unit-1/lesson-03.ipynb"
cp "$TM_REPO/tests/data/tui/course/lesson-04.ipynb" "$TM_DIR/course/lesson-04.ipynb"
tm_start 80 24 "$CELLTAG_BIN course"
tm_wait "2 notebooks, 6 exercises: 3 tagged, 3 untagged"
tm_capture | grep -q "^ unit-1/lesson-03.ipynb " || tm_fail "row not relative to the folder"
tm_capture | grep -q "course/unit-1" && tm_fail "folder argument repeated in the rows"
tm_keys j Enter
tm_wait "─ 13 cells"
tm_keys ']' 't'
tm_wait "Assignment tag:"
tm_keys Enter
tm_wait "[+]"
tm_keys 'q'
tm_wait "keeps its unsaved edits"
tm_capture | grep -q "^+unit-1/lesson-03.ipynb .* 13 .* 4 .* 2 .* 2 " ||
	tm_fail "course row not marked or counts not updated"
tm_capture | grep -qF "[1 unsaved]" || tm_fail "no unsaved count in the status line"
tm_keys 'w'
tm_wait "All notebooks saved"
tm_capture | grep -qF "[1 unsaved]" && tm_fail "still unsaved after w"
tm_keys 'q'
tm_gone
tm_capture | grep -q "CELLTAG-EXIT=0" || tm_fail "exit status not 0"
cmp -s "$TM_DIR/course/unit-1/lesson-03.ipynb" "$TM_REPO/tests/data/tui/lesson-03.expected-tagged.ipynb" ||
	tm_fail "saved file differs from the expected tagged notebook"
echo "ok: course screen: open, q back with edits kept, save all, quit"
