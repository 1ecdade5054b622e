#!/bin/bash
# The terminal is restored whatever ends the editor: SIGTERM with unsaved
# edits (which also writes a recovery file), and a crash (SIGSEGV).
. "$(dirname "$0")/_lib.sh"
cp "$TM_REPO/tests/data/tui/lesson-03.ipynb" "$TM_DIR/nb.ipynb"
tm_start 100 30 "stty -a > before.txt; $CELLTAG_BIN nb.ipynb; echo \$? > rc1.txt; stty -a > after1.txt; $CELLTAG_BIN nb.ipynb; echo \$? > rc2.txt; stty -a > after2.txt"
tm_wait "13 cells"
tm_keys ']' 't'
tm_wait "Assignment tag:"
tm_keys Enter
tm_wait "[+]"
kill -TERM "$(tm_pid)"
tm_wait "earlier session"
[ "$(cat "$TM_DIR/rc1.txt")" = 143 ] || tm_fail "exit status after SIGTERM not 143"
[ -f "$TM_DIR/.nb.ipynb.celltag-recovery" ] || tm_fail "no recovery file after SIGTERM"
cmp "$TM_DIR/nb.ipynb" "$TM_REPO/tests/data/tui/lesson-03.ipynb" || tm_fail "notebook changed"
kill -SEGV "$(tm_pid)"
tm_gone
[ "$(cat "$TM_DIR/rc2.txt")" = 139 ] || tm_fail "exit status after SIGSEGV not 139"
for f in after1 after2; do
	cmp -s "$TM_DIR/before.txt" "$TM_DIR/$f.txt" ||
		{ diff "$TM_DIR/before.txt" "$TM_DIR/$f.txt"; tm_fail "terminal modes not restored ($f)"; }
done
echo "ok: SIGTERM and SIGSEGV leave the terminal restored"
