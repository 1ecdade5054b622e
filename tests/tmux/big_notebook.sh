#!/bin/bash
# A notebook above the preview size (16 MB): the editor shows its first cells
# while it reads the rest, then the whole notebook; keys typed meanwhile are
# not lost, and quitting leaves the file as it was.
. "$(dirname "$0")/_lib.sh"
# 6,000 cells, a 4 KB output in each code cell: about 20 MB.
awk -v n=6000 -f "$TM_REPO/tests/tmux/_image_notebook.awk" > "$TM_DIR/big.ipynb"
size=$(stat -c %s "$TM_DIR/big.ipynb")
[ "$size" -gt $((16 << 20)) ] || tm_fail "test notebook only $size bytes"
cp "$TM_DIR/big.ipynb" "$TM_DIR/orig.ipynb"

tm_start 120 40 "$CELLTAG_BIN big.ipynb"
# Typed at once, most likely while the file is still being read.
tm_keys j j
tm_wait "3/6000"
tm_capture | grep -qF "so far" && tm_fail "the preview's title is still shown"
tm_capture | grep -qF "reading the rest" && tm_fail "the preview's status is still shown"
tm_capture | grep -qF "6000 cells" || tm_fail "no cell count"
tm_keys q
tm_gone
tm_capture | grep -q "CELLTAG-EXIT=0" || tm_fail "exit status not 0"
cmp -s "$TM_DIR/big.ipynb" "$TM_DIR/orig.ipynb" || tm_fail "the notebook changed"

# The same notebook with a broken end: the preview is drawn, then the error
# is reported like any other, the terminal is given back, the file untouched.
sed '$ s/}/,}/' "$TM_DIR/orig.ipynb" > "$TM_DIR/broken.ipynb"
cp "$TM_DIR/broken.ipynb" "$TM_DIR/broken.orig"
tm_keys "clear; $CELLTAG_BIN broken.ipynb; echo BROKEN-EXIT=\$?" Enter
tm_wait "BROKEN-EXIT=3"
tm_capture | grep -qF "celltag: broken.ipynb:" || tm_fail "no error line naming the file"
tm_capture | grep -qF "invalid JSON" || tm_fail "the error does not say why"
tm_keys "echo shell-is-back" Enter
tm_wait "shell-is-back"
cmp -s "$TM_DIR/broken.ipynb" "$TM_DIR/broken.orig" || tm_fail "the broken notebook changed"
echo "ok: big notebook (preview, then all of it; keys typed while loading kept; a broken end reported)"
