#!/usr/bin/env bash
# faults.sh - faults that need a real celltag process (the in-process ones
# are in tests/unit/test_faults.c):
#   - the file size limit (ulimit -f) hit while saving: SIGXFSZ must not kill
#     celltag; exit 4, one error line, original intact, no temp file left;
#   - output to a full device (/dev/full): a write error is an error, not
#     exit 0 with truncated output;
#   - a FIFO or a directory given as a notebook: exit 3 at once, no hang;
#   - a file name with a newline or an escape sequence: one error line, no
#     raw control character on the terminal.
# Uses $CELLTAG_BIN (set by make check); works in a temp dir.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bin=${CELLTAG_BIN:-$PWD/build/celltag}
[ -x "$bin" ] || { echo "faults: $bin not built"; exit 1; }
tmp=$(mktemp -d /tmp/celltag-faults-sh.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else fail "$what"; fi; }

one_line() { [ "$(wc -l <"$1")" -eq 1 ] && [ -s "$1" ]; }
no_controls() { ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1"; }
no_temps() { [ -z "$(find "$1" -name '.*.celltag-*' -print -quit)" ]; }

# A ~400 KB notebook in nbformat's layout.
big=$tmp/big.ipynb
{
	printf '{\n "cells": [\n'
	for i in $(seq 0 199); do
		[ "$i" -gt 0 ] && printf ',\n'
		printf '  {\n   "cell_type": "code",\n   "execution_count": null,\n'
		printf '   "id": "c%d",\n   "metadata": {},\n   "outputs": [],\n' "$i"
		printf '   "source": [\n    "%s"\n   ]\n  }' "$(head -c 2000 /dev/zero | tr '\0' x)"
	done
	printf '\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n'
} >"$big"
cp "$big" "$tmp/big.orig"

# 1. ulimit -f: 100 blocks (100 KB with bash's 1024-byte unit) < file size
( ulimit -f 100; exec "$bin" tag "$big" 0 x ) >"$tmp/out" 2>"$tmp/err"
st=$?
check "ulimit -f: exit 4 (got $st; 153 = killed by SIGXFSZ)" test "$st" -eq 4
check "ulimit -f: one error line" one_line "$tmp/err"
check "ulimit -f: error names the file" grep -q "^celltag: $big: " "$tmp/err"
check "ulimit -f: original intact" cmp -s "$big" "$tmp/big.orig"
check "ulimit -f: no temporary file left" no_temps "$tmp"
find "$tmp" -name '.*.celltag-*' -delete

# 2. a full output device
"$bin" list "$big" >/dev/full 2>"$tmp/err"
st=$?
check "list >/dev/full: non-zero exit (got $st)" test "$st" -ne 0
check "list >/dev/full: says so on stderr" test -s "$tmp/err"
"$bin" list --json "$big" >/dev/full 2>"$tmp/err"
st=$?
check "list --json >/dev/full: non-zero exit (got $st)" test "$st" -ne 0

# 3. not a regular file: no hang
mkfifo "$tmp/fifo.ipynb"
mkdir "$tmp/dir.ipynb"
for f in "$tmp/fifo.ipynb" "$tmp/dir.ipynb" /dev/zero; do
	for cmd in "list" "tag"; do
		if [ "$cmd" = tag ]; then args=("$f" 0 x); else args=("$f"); fi
		timeout 10 "$bin" "$cmd" "${args[@]}" >/dev/null 2>"$tmp/err"
		st=$?
		check "$cmd $f: exit 3 (got $st; 124 = hung)" test "$st" -eq 3
		check "$cmd $f: one error line" one_line "$tmp/err"
	done
done

# 4. hostile file names in error lines
for name in $'evil\nname.ipynb' $'evil\e[2J\e]0;pwned\aname.ipynb' $'bidi\u202egnp.ipynb'; do
	cp tests/data/hostile/badutf8-source.ipynb "$tmp/$name"
	"$bin" list "$tmp/$name" >/dev/null 2>"$tmp/err"
	st=$?
	check "hostile name: exit 3 (got $st)" test "$st" -eq 3
	check "hostile name: one error line" one_line "$tmp/err"
	check "hostile name: no raw control characters" no_controls "$tmp/err"
	check "hostile name: no raw bidi override" \
		bash -c '! grep -q $'"'"'\u202e'"'"' "$1"' _ "$tmp/err"
done

echo "faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
