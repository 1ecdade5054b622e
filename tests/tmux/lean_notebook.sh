#!/bin/bash
# A notebook of 4 MiB or more, last changed before it was opened: the editor
# does not keep its bytes (notebook_load_lean) and saves from the file it
# holds open.  Tag, save: tag then untag gives back the file.  Then another
# writer rewrites it in place (as Jupyter saves): "overwrite" is not
# possible, the editor reloads and reapplies the edit, and the save keeps both
# the tag and the other writer's change.
. "$(dirname "$0")/_lib.sh"
# 1,200 cells with a 4 KB output in each code cell: about 5 MB.
awk -v n=1200 -v ids=1 -f "$TM_REPO/tests/tmux/_image_notebook.awk" > "$TM_DIR/lesson-07.ipynb"
size=$(stat -c %s "$TM_DIR/lesson-07.ipynb")
[ "$size" -ge $((4 << 20)) ] || tm_fail "test notebook only $size bytes"
cp "$TM_DIR/lesson-07.ipynb" "$TM_DIR/orig.ipynb"
tag=assignment:lesson-07-exercise-1
sleep 0.1      # older than the clock: the editor gives its bytes back
# Once the notebook is shown: accept the suggested tag of its first exercise.
tag_first_exercise() {
	tm_wait "1200 cells"
	tm_keys ']'
	tm_wait "Untagged exercise cell 1"
	tm_keys 't'
	tm_wait "Assignment tag: $tag"
	tm_keys Enter
	tm_wait "Tagged cell 1"
}

tm_start 120 40 "$CELLTAG_BIN lesson-07.ipynb"
tag_first_exercise
tm_keys 'w'
tm_wait "Saved lesson-07.ipynb"
tm_keys 'q'
tm_gone
tm_capture | grep -q "CELLTAG-EXIT=0" || tm_fail "exit status not 0"
grep -qF "\"$tag\"" "$TM_DIR/lesson-07.ipynb" || tm_fail "the tag was not saved"
cp "$TM_DIR/lesson-07.ipynb" "$TM_DIR/tagged.ipynb"
"$CELLTAG_BIN" untag "$TM_DIR/tagged.ipynb" 1 "$tag" > /dev/null || tm_fail "untag failed"
cmp -s "$TM_DIR/tagged.ipynb" "$TM_DIR/orig.ipynb" || tm_fail "tag then untag is not the file"

# Rewritten in place while open: reload and reapply.
cp "$TM_DIR/orig.ipynb" "$TM_DIR/lesson-07.ipynb"
sleep 0.1
tm_keys "clear; $CELLTAG_BIN lesson-07.ipynb; echo LEAN-EXIT=\$?" Enter
tag_first_exercise
printf ' ' >> "$TM_DIR/lesson-07.ipynb"        # same inode, other bytes
tm_keys 'w'
tm_wait "changed on disk"
tm_keys 'o'
tm_wait "rewritten in place"
tm_keys 'r'
tm_wait "edits reapplied to 1 cell"
tm_keys 'w'
tm_wait "Saved lesson-07.ipynb"
tm_keys 'q'
tm_wait "LEAN-EXIT=0"
cp "$TM_DIR/orig.ipynb" "$TM_DIR/want.ipynb"
printf ' ' >> "$TM_DIR/want.ipynb"
"$CELLTAG_BIN" untag "$TM_DIR/lesson-07.ipynb" 1 "$tag" > /dev/null || tm_fail "untag failed"
cmp -s "$TM_DIR/lesson-07.ipynb" "$TM_DIR/want.ipynb" ||
	tm_fail "the other writer's change or the reapplied tag is missing"
echo "ok: lean notebook (saved from the open file; rewritten in place: reloaded, edit reapplied)"
