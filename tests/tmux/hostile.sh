#!/bin/bash
# A notebook holding escape sequences: the pane shows placeholders, the
# sequences never reach the terminal (title, screen, colours untouched) and
# the terminal modes are restored at exit.
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/hostile.ipynb" "$TM_DIR/h.ipynb"
tm_start 100 30 "stty -a > before.txt; $CELLTAG_BIN h.ipynb; stty -a > after.txt"
tm_wait "4 cells"
tm_keys 'j'
tm_wait "print('^[^[red^[ and ^[ clipboard')"
tm_keys 'G'
tm_wait "<^[evil>"
tm_capture | grep -q "2 ^\[" || tm_fail "no placeholder in the preview"
title=$(tm display-message -p -t t '#{pane_title}')
case "$title" in *pwned*) tm_fail "escape sequence set the title: $title" ;; esac
tm_capture | grep -q "red" || tm_fail "text after the sequence missing"
tm_keys 'q'
tm_gone
cmp -s "$TM_DIR/before.txt" "$TM_DIR/after.txt" ||
	{ diff "$TM_DIR/before.txt" "$TM_DIR/after.txt"; tm_fail "terminal modes not restored"; }
echo "ok: escape sequences shown as placeholders; terminal restored"
