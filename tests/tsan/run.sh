#!/bin/bash
# run.sh BIN - the threaded paths of celltag under ThreadSanitizer (make tsan).
#
# BIN is built with -fsanitize=thread (Criterion's runner cannot start under
# TSan, so the real binary is driven instead): lint and coverage reading 300
# notebooks on 1 to 16 threads, a 44 MB notebook read in parallel parts, and
# the TUI opening a course.  Any race report fails (TSAN exits 66), and the
# threaded outputs must equal the one-thread ones.
set -u
bin=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66${TSAN_OPTIONS:+ $TSAN_OPTIONS}"
export XDG_CONFIG_HOME=$work/config HOME=$work
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "tsan: FAIL: $*"; }

# 300 notebooks, copies of the course fixture including the broken one.
mkdir -p "$work/many"
srcs=("$here/tests/data/course/lesson_01.ipynb" "$here/tests/data/course/Lesson 3a.ipynb"
      "$here/tests/data/course/week4/lesson-4.ipynb" "$here/tests/data/course/lesson_02.ipynb"
      "$here/tests/data/course/broken.ipynb")
for i in $(seq 0 299); do
	cp "${srcs[i % 5]}" "$(printf '%s/many/nb%03d-lesson-%02d.ipynb' "$work" "$i" $((i % 7 + 1)))"
done

for cmd in "lint" "lint --json" "coverage" "coverage --format csv"; do
	for dir in "$here/tests/data/course" "$work/many"; do
		"$bin" $cmd "$dir" -j 1 >"$work/one.out" 2>"$work/one.err"
		want=$?
		[ $want = 66 ] && { bad "$cmd -j 1: race report"; cat "$work/one.err"; continue; }
		for j in 2 4 16; do
			"$bin" $cmd "$dir" -j $j >"$work/j.out" 2>"$work/j.err"
			rc=$?
			if [ $rc = 66 ]; then
				bad "$cmd $dir -j $j: race report"; head -40 "$work/j.err"
			elif [ $rc != $want ] || ! cmp -s "$work/one.out" "$work/j.out" ||
			     ! cmp -s "$work/one.err" "$work/j.err"; then
				bad "$cmd $dir -j $j: differs from -j 1 (exit $rc, want $want)"
			else
				ok
			fi
		done
	done
done

# A notebook over the parallel-read threshold (32 MB).
python3 - "$work/big.ipynb" <<'PY'
import json, random, sys
rng = random.Random(7)
b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
cells = []
for i in range(110):
    blob = "".join(rng.choice(b64) for _ in range(400000))
    cells.append({"cell_type": "code", "execution_count": i + 1, "id": "c%d" % i,
                  "metadata": {}, "outputs": [{"data": {"image/png": blob},
                  "metadata": {}, "output_type": "display_data"}],
                  "source": ["x = %d" % i]})
nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
with open(sys.argv[1], "w") as f:
    json.dump(nb, f, indent=1, sort_keys=True, ensure_ascii=False)
    f.write("\n")
PY
cp "$work/big.ipynb" "$work/big.orig"
# Settled (older than the clock): tag, untag and the editor then read it
# while parsing, with a reader thread (notebook.c, stream_reader).
sleep 0.1
if "$bin" list "$work/big.ipynb" >"$work/list.out" 2>"$work/list.err" &&
   [ "$(wc -l <"$work/list.out")" = 110 ]; then ok; else bad "list of a 44 MB notebook"; head -20 "$work/list.err"; fi
if "$bin" tag -q "$work/big.ipynb" 5 assignment:lesson-01-exercise-1 2>"$work/tag.err" &&
   sleep 0.1 &&
   "$bin" untag -q "$work/big.ipynb" 5 assignment:lesson-01-exercise-1 2>>"$work/tag.err" &&
   cmp -s "$work/big.ipynb" "$work/big.orig"; then ok; else bad "tag/untag of a 44 MB notebook"; head -20 "$work/tag.err"; fi
sleep 0.1
printf 'j\nt\n<Enter>\nw\nq\n' >"$work/bigkeys"
if "$bin" --script "$work/bigkeys" "$work/big.ipynb" >/dev/null 2>"$work/tui-big.err" &&
   sleep 0.1 &&
   "$bin" untag -q "$work/big.ipynb" 1 assignment:lesson-big-exercise-1 2>>"$work/tui-big.err" &&
   cmp -s "$work/big.ipynb" "$work/big.orig"; then ok
else bad "the editor tagging a 44 MB notebook"; head -40 "$work/tui-big.err"; fi

# The TUI opening a course (notebooks load on several threads), then quitting.
printf 'j\nj\n<Enter>\nq\nq\n' >"$work/keys"
if "$bin" --script "$work/keys" "$work/many" >/dev/null 2>"$work/tui.err"; then ok
else bad "TUI course open (exit $?)"; head -40 "$work/tui.err"; fi

echo "tsan: $pass passed, $fail failed"
[ $fail = 0 ]
