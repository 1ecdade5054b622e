#!/usr/bin/env bash
# key_cost.sh - a key press must cost the same on 50,000 cells as on 50.
#
# The editor draws only the visible rows and keeps counts up to date per
# edit, so its work per key does not grow with the notebook.  This guard
# counts instructions (valgrind's callgrind: deterministic, so a busy
# machine cannot fail it) of the real binary running the bench's keys
# (moves, a filter change, a search, a tag toggle) through --script, minus
# those of opening and quitting, on a 50-cell and a 50,000-cell notebook,
# and fails when the big one costs more than 1.5x the small one per key
# (the target of `make bench`).  Any per-key pass over every cell (say,
# redrawing or recounting all rows) costs millions more there and fails it.
# Skipped, with a notice, without valgrind.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bin=${CELLTAG_BIN:-$PWD/build/celltag}
[ -x "$bin" ] || { echo "key_cost: $bin not built"; exit 1; }
if ! command -v valgrind >/dev/null 2>&1; then
	echo "key_cost: skipped: valgrind not found (apt-get install valgrind)"
	exit 0
fi
tmp=$(mktemp -d /tmp/celltag-key-cost.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

# A notebook of $1 cells in Jupyter's layout: a markdown heading every
# fifth cell, code cells with a stub to fill in, every third one tagged.
make_notebook() {
	awk -v n="$1" 'BEGIN {
		printf "{\n \"cells\": [\n"
		for (i = 0; i < n; i++) {
			if (i % 5 == 0)
				printf "  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"m%07d\",\n   \"metadata\": {},\n   \"source\": [\n    \"## Exercise %d\"\n   ]\n  }", i, i / 5 + 1
			else {
				tags = (i % 3 == 0) ? sprintf("\n    \"tags\": [\n     \"assignment:lesson-01-exercise-%d\"\n    ]\n   ", i) : ""
				printf "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": null,\n   \"id\": \"c%07d\",\n   \"metadata\": {%s},\n   \"outputs\": [],\n   \"source\": [\n    \"def total_%d(values):\\n\",\n    \"    # YOUR CODE HERE\\n\",\n    \"    pass\"\n   ]\n  }", i, tags, i
			}
			printf (i + 1 < n) ? ",\n" : "\n"
		}
		printf " ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"
	}'
}

make_notebook 50 >"$tmp/small.ipynb"
make_notebook 50000 >"$tmp/big.ipynb"
printf 'q\n' >"$tmp/quit.keys"
# As tests/bench/bench.py's TUI_KEYS, with 200 moves instead of 1,000: moves
# go 25 down and 25 up so that all of them really move on 50 cells too.
{
	for _ in 1 2 3 4; do
		for _ in $(seq 25); do echo j; done
		for _ in $(seq 25); do echo k; done
	done
	printf 'f\n/\n:type YOUR CODE\n<Enter>\nt\n<Enter>\n'
} >"$tmp/keys.keys"

# Instructions of one headless run (the "summary:" line of callgrind).
instructions() {
	local out=$tmp/cg.out
	rm -f "$out"
	HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state CELLTAG_SCRIPT= \
		valgrind --tool=callgrind --callgrind-out-file="$out" -q \
		"$bin" --script "$1" --size 120x40 "$2" >/dev/null 2>"$tmp/err" </dev/null ||
		{ echo "key_cost: $bin --script $1 $2 failed:" >&2; cat "$tmp/err" >&2; return 1; }
	awk '/^summary:/ { print $2 }' "$out"
}

cost() {
	local open keys
	open=$(instructions "$tmp/quit.keys" "$1") || return 1
	keys=$(instructions "$tmp/keys.keys" "$1") || return 1
	[ -n "$open" ] && [ -n "$keys" ] || { echo "key_cost: no callgrind summary" >&2; return 1; }
	echo $((keys - open))
}

small=$(cost "$tmp/small.ipynb") || exit 1
big=$(cost "$tmp/big.ipynb") || exit 1
echo "key_cost: 205 keys cost $small instructions on 50 cells, $big on 50,000 cells" \
     "($(awk -v a="$small" -v b="$big" 'BEGIN { printf "%.2fx", b / a }'))"
if [ "$small" -le 0 ] || [ "$big" -gt $((small * 3 / 2)) ]; then
	echo "FAIL: key presses on 50,000 cells cost more than 1.5x those on 50"
	exit 1
fi
echo "key_cost: passed"
