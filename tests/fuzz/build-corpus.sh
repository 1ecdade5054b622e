#!/bin/sh
# build-corpus.sh - fill a seed directory for one fuzz target.
#
#   build-corpus.sh TARGET DEST [MAX_BYTES]
#
# Seeds are our own fixtures (tests/data/...) plus, for the notebook
# targets, the shared real-world corpus (../shared/corpus or
# $CELLTAG_CORPUS) when it is present.  Files are copied under content-hash
# names into DEST (a build dir), never into git.  Files above MAX_BYTES
# (default 131072) are skipped: big inputs make each execution slow without
# adding structure.
set -u
t=$1 dest=$2 max=${3:-131072}
rm -rf "$dest"
mkdir -p "$dest"

add() {  # add FILE...
	for f in "$@"; do
		[ -f "$f" ] || continue
		size=$(wc -c <"$f")
		[ "$size" -le "$max" ] || continue
		sum=$(cksum <"$f" | tr ' ' '-')
		cp "$f" "$dest/seed-$sum"
	done
}

# add_prefixed PREFIX FILE...: PREFIX bytes (octal escapes) + each file.
add_prefixed() {
	p=$1; shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		{ printf "$p"; head -c 4096 "$f"; } >"$dest/seed-p$n" 2>/dev/null || true
	done
}

n=0
corpus=${CELLTAG_CORPUS:-../shared/corpus}
case $t in
notebook_*)
	find tests/data -path tests/data/hostile/fuzz -prune -o -name '*.ipynb' -type f -print | while IFS= read -r f; do add "$f"; done
	if [ -d "$corpus" ]; then
		find "$corpus" -name '*.ipynb' -type f | while IFS= read -r f; do add "$f"; done
	else
		echo "build-corpus: skipped: corpus not found ($corpus)"
	fi
	;;
config)
	add tests/data/config/* etc/*.yaml doc/*.yaml 2>/dev/null
	printf 'tag_prefix: "assignment:"\nsuggestion: "{prefix}{lesson}-exercise-{n}"\nlesson: lesson-03\ntheme: default\nexercise_patterns: [ "YOUR CODE HERE" ]\nextra_exercise_patterns:\n  - TODO\nheading_words: [exercise, task]\nkeys: { "<C-s>": save, "x": tag-toggle }\n' >"$dest/seed-full"
	;;
theme)
	add themes/*.yaml tests/data/themes/* tests/data/tui/*.yaml 2>/dev/null
	;;
plan)
	add tests/data/plans/* 2>/dev/null
	;;
sanitize)
	# three option bytes, then text (see fuzz_sanitize.c)
	for f in tests/data/hostile/*.txt tests/data/hostile/escapes.ipynb; do
		add_prefixed '\377\004\000' "$f"
		add_prefixed '\050\044\003' "$f"
	done
	printf '\377\004\000a\tb\033[31mred\033]52;c;aGk=\007\342\200\256x\302\233y\300\200' >"$dest/seed-mix"
	printf '\012\004\000\344\270\255\346\226\207\314\201e\314\201\314\201\314\201\314\201\314\201\314\201\314\201\314\201\314\201\314\201' >"$dest/seed-wide"
	;;
keymap)
	find tests -name '*.keys' -type f | while IFS= read -r f; do add "$f"; done
	printf 'j\nj\nk\n<C-s>\n<Enter>\nlesson-03<Left><BS>\n:type hello world\n:resize 80x24\n:click 3 4\n# comment\n\n<Esc>\nq\n' >"$dest/seed-keys"
	;;
esac
# libFuzzer needs at least one input.
[ -n "$(ls -A "$dest")" ] || printf '{}' >"$dest/seed-empty"
exit 0
