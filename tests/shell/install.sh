#!/usr/bin/env bash
# install.sh - `make install` / `make uninstall` into temporary folders.
#
# 1. PREFIX=<tmp>/usr, DESTDIR empty: the binary is built for that prefix
#    (its theme folder is compiled in as -DCELLTAG_DATADIR), so it can run
#    from there and must find a theme that exists only in the installed
#    folder.  We run --help, --version, that theme, a subcommand, the bash
#    completion and the man pages, then uninstall: no file may be left.
# 2. DESTDIR=<tmp>/stage with PREFIX=/usr (a package build): every file lands
#    under the stage, none elsewhere, and the binary was rebuilt to look in
#    /usr (mk/install.mk's stamp); uninstall with the same variables leaves
#    no file.  (That binary is not run: its themes are not in /usr yet.)
# Builds into its own temporary BUILD folder; never touches the real system.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d /tmp/celltag-install.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else fail "$what"; fi; }
finish() { echo "install: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# Run from `make check`: do not inherit its variables (BUILD=, DESTDIR=...).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES DESTDIR PREFIX
prefix=$tmp/usr
build=$tmp/build
jobs=$(nproc 2>/dev/null || echo 2)
if ! make -s --no-print-directory -j"$jobs" BUILD="$build" PREFIX="$prefix" install >"$tmp/log" 2>&1; then
	cat "$tmp/log"; fail "make install PREFIX=$prefix"; finish
fi
ok

bin=$prefix/bin/celltag
datadir=$prefix/share/celltag
check "binary installed executable" test -x "$bin"
check "celltag.1 installed" test -f "$prefix/share/man/man1/celltag.1"
for m in man/*.5; do
	check "${m#man/} installed" test -f "$prefix/share/man/man5/${m#man/}"
done
for t in themes/*.yaml; do
	[ -e "$t" ] || continue
	check "theme ${t#themes/} installed" cmp -s "$t" "$datadir/themes/${t#themes/}"
done
check "bash completion installed" test -f "$prefix/share/bash-completion/completions/celltag"
check "zsh completion installed" test -f "$prefix/share/zsh/site-functions/_celltag"
check "completion knows the installed theme folder" \
	grep -q "_celltag_datadir='$datadir'" "$prefix/share/bash-completion/completions/celltag"
for m in "$prefix"/share/man/man*/*; do
	check "$(basename "$m") renders" sh -c 'mandoc -T utf8 "$1" >/dev/null' sh "$m"
done

# Run the installed binary: a clean environment, no config of the user's.
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_STATE_HOME=$tmp/home/.state
export NO_COLOR=1 TERM=xterm-256color LANG=C.UTF-8
unset CELLTAG_SCRIPT
mkdir -p "$HOME"
run() { timeout 30 "$bin" "$@"; }

out=$(run --help 2>&1); st=$?
check "--help exits 0" test "$st" -eq 0
check "--help prints a usage" grep -qi "usage" <<<"$out"
out=$(run --version 2>&1)
check "--version prints VERSION ($(cat VERSION))" grep -qF "$(cat VERSION)" <<<"$out"

# A theme that exists only in the installed folder.
sed 's/^name:.*/name: itest-installed/' themes/default.yaml >"$datadir/themes/itest-installed.yaml" 2>/dev/null ||
	printf 'name: itest-installed\n' >"$datadir/themes/itest-installed.yaml"
nb=$tmp/work/lesson-01.ipynb
mkdir -p "$tmp/work"
cp tests/integration/course/lesson-01-intro/lesson-01.ipynb "$nb"
printf '%s\n' ':save-display '"$tmp/screen.txt" 'q' >"$tmp/keys"
run --theme itest-installed --script "$tmp/keys" "$nb" >"$tmp/tui.out" 2>&1; st=$?
check "the TUI runs a script with a theme from the installed folder (exit $st: $(head -c 200 "$tmp/tui.out"))" test "$st" -eq 0
check "the TUI drew a screen" grep -q "lesson-01.ipynb" "$tmp/screen.txt"
check "the installed theme was found (no theme warning: $(grep -i theme "$tmp/screen.txt"))" \
	sh -c '! grep -qi "theme" "$1"' sh "$tmp/screen.txt"
rm -f "$tmp/screen.txt"
run --size 300x24 --theme itest-no-such-theme --script "$tmp/keys" "$nb" >"$tmp/tui2.out" 2>&1
check "an unknown theme is reported, naming the installed folder" \
	grep -q "no theme named 'itest-no-such-theme'.*$(basename "$prefix")" "$tmp/screen.txt"

# A subcommand.
out=$(run list "$nb" 2>&1); st=$?
check "list exits 0 (got $st: $out)" test "$st" -eq 0
check "list shows the notebook's tag" grep -qF "assignment:lesson-01-exercise-1" <<<"$out"
run tag "$nb" 5 assignment:lesson-01-exercise-2 >/dev/null 2>&1
out=$(run list --json "$nb" 2>&1)
check "tag through the installed binary" grep -qF "assignment:lesson-01-exercise-2" <<<"$out"

# Bash completion from the installed file: subcommands, themes, notebooks.
comp() {
	bash --norc --noprofile -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_celltag; printf "%s\n" "${COMPREPLY[@]}"' sh \
		"$prefix/share/bash-completion/completions/celltag" "$@"
}
check "bash completion: subcommands" grep -qx "coverage" <<<"$(comp celltag co)"
check "bash completion: installed theme" grep -qx "itest-installed" <<<"$(comp celltag --theme itest)"
check "bash completion: coverage formats" grep -qx "markdown" <<<"$(comp celltag coverage --format m)"
check "bash completion: help topics" grep -qx "list" <<<"$(comp celltag help li)"
check "bash completion: subcommand options" grep -qx -- "--dry-run" <<<"$(comp celltag apply --d)"
check "bash completion: notebooks" grep -q "lesson-01.ipynb" <<<"$(cd "$tmp/work" && comp celltag list les)"

# Zsh completion from the installed file, captured in a zsh pty: compadd is
# wrapped to print every candidate zsh adds after a <Tab>.
sh mk/deps.sh zsh >/dev/null 2>&1
if command -v zsh >/dev/null 2>&1 && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
	check "zsh completion parses" zsh -n "$prefix/share/zsh/site-functions/_celltag"
	cat >"$tmp/zcap.zsh" <<'ZSH'
# zcap.zsh FPATH_DIR LINE: the candidates zsh completes after LINE<Tab>.
zmodload zsh/zpty || exit 2
fdir=$1 cmdline=$2
init=${TMPDIR:-/tmp}/zcap.$$
cat >$init <<INIT
PROMPT=
fpath=($fdir \$fpath)
autoload -Uz compinit; compinit -u -d $init.dump
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
_zcap_mark() { print -rn -- \$'\\x01'; print }
compprefuncs=( _zcap_mark )
comppostfuncs=( _zcap_mark exit )
compadd() {
	if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "\$@"; return; fi
	local -a __hits
	builtin compadd -A __hits "\$@"
	(( \$#__hits )) && print -rl -- \$__hits
	builtin compadd "\$@"
}
print ready
INIT
zpty z zsh -f -i
zpty -w z "source $init"
line=
repeat 50; do zpty -r z line; [[ $line == ready* ]] && break; done
zpty -w z "$cmdline"$'\t'
integer on=0
while zpty -r -t z line 2>/dev/null || { sleep 0.05; zpty -r -t z line 2>/dev/null }; do
	line=${line%$'\n'}; line=${line%$'\r'}
	if [[ $line == *$'\x01'* ]]; then (( on++ )) && break; continue; fi
	(( on )) && print -r -- $line
done
zpty -d z
rm -f $init $init.dump
ZSH
	zcomp() { (cd "$tmp/work" && timeout 20 zsh -f "$tmp/zcap.zsh" "$prefix/share/zsh/site-functions" "$1" | tr -d '\r'); }
	check "zsh completion: subcommands" grep -qx "coverage" <<<"$(zcomp 'celltag co')"
	check "zsh completion: installed theme" grep -qx "itest-installed" <<<"$(zcomp 'celltag --theme itest')"
	check "zsh completion: coverage formats" grep -qx "markdown" <<<"$(zcomp 'celltag coverage --format m')"
	check "zsh completion: subcommand options" grep -qx -- "--dry-run" <<<"$(zcomp 'celltag apply --d')"
	check "zsh completion: notebooks" grep -qx "lesson-01.ipynb" <<<"$(zcomp 'celltag list les')"
else
	echo "skipped: zsh with zsh/zpty not available, zsh completion not run"
fi

# Uninstall: nothing left.
unset HOME XDG_CONFIG_HOME XDG_STATE_HOME
if make -s --no-print-directory BUILD="$build" PREFIX="$prefix" uninstall >"$tmp/log" 2>&1; then ok; else
	cat "$tmp/log"; fail "make uninstall"; fi
left=$(find "$prefix" ! -type d)
check "uninstall leaves no file (left: $left)" test -z "$left"
check "uninstall removes the theme folder" test ! -e "$datadir"

# 2. Staged install for packagers.
stage=$tmp/stage
if make -s --no-print-directory BUILD="$build" PREFIX=/usr DESTDIR="$stage" install >"$tmp/log" 2>&1; then ok; else
	cat "$tmp/log"; fail "make install DESTDIR"; fi
check "staged binary under DESTDIR/usr/bin" test -x "$stage/usr/bin/celltag"
check "staged binary was rebuilt for PREFIX=/usr (looks in /usr/share/celltag)" \
	sh -c "tr '\\0' '\\n' <'$stage/usr/bin/celltag' | grep -qx -e /usr/share/celltag -e /usr/share/celltag/themes"
check "staged themes under DESTDIR/usr/share/celltag" test -d "$stage/usr/share/celltag/themes"
check "staged completion names /usr/share/celltag" \
	grep -q "_celltag_datadir='/usr/share/celltag'" "$stage/usr/share/bash-completion/completions/celltag"
outside=$(find "$stage" -mindepth 1 -maxdepth 1 ! -name usr)
check "nothing outside DESTDIR/usr ($outside)" test -z "$outside"
make -s --no-print-directory BUILD="$build" PREFIX=/usr DESTDIR="$stage" uninstall >/dev/null 2>&1
left=$(find "$stage" ! -type d)
check "staged uninstall leaves no file (left: $left)" test -z "$left"

finish
