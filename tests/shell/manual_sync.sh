#!/usr/bin/env bash
# manual_sync.sh - the manual pages and completions cannot fall behind the code.
#
# Every list is derived from the code or the program's own output, never
# typed here:
#   subcommands       tui/cli.c commands[] table, and `celltag --help`
#   options           long options of tui/*.c (getopt tables, "--x" literals),
#                     short options of getopt strings and "-x" literals, and
#                     every option `celltag --help` / `celltag help CMD` prints
#   actions           tui/actions.h ACTION_INFO
#   default keys      tui/keymap.c default_bindings (key and action together)
#   prompt keys       tui/screen_help.c prompt_keys / dialog_keys
#   script commands   tui/tui.c run_command() IS("name"), input.c ":type"
#   exit statuses     tui/cli.h enum cli_exit
#   environment       getenv() calls in core/ and tui/ (test hooks excepted)
#   lint codes        core/rules.h RULES_CODE_INFO
#   exercise rules    core/detect.h reasons, core/detect.c built-in patterns
#                     and heading words
#   config keys       core/config.c config_keys[]
#   key names         tui/keymap.c key_names[] (in celltag-config.5)
#   theme elements    tui/theme.h THEME_ELEMENTS
#   theme names       themes/*.yaml
# and checks that each appears in the right manual page (as the mdoc macro
# that marks it up) and, for subcommands, options and themes, in the bash and
# zsh completions.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BIN=${CELLTAG_BIN:-build/celltag}
[ -x "$BIN" ] || { echo "manual_sync: $BIN not built"; exit 1; }

passed=0 failed=0
ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

tmp=$(mktemp -d /tmp/celltag-mansync.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

# mdoc source with escapes undone: "\-" -> "-", "\&" -> "", "\e" -> "\".
norm() { sed -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\e/\\/g' "$1"; }
for m in celltag.1 celltag-config.5 celltag-themes.5; do
	if [ -f "man/$m" ]; then norm "man/$m" >"$tmp/$m"; else
		fail "man/$m missing"; : >"$tmp/$m"; fi
done
M1=$tmp/celltag.1 MC=$tmp/celltag-config.5 MT=$tmp/celltag-themes.5
BASHC=completion/celltag.bash ZSHC=completion/_celltag

# ERE-quote a literal.
q() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }
# Does the page mark up WORD with macro MAC ("Fl", "Ic", "Cm", "Ev"...)?
# The word must be a whole macro argument.
has_macro() { grep -Eq "(^\.|[[:space:]])$2[[:space:]]+$(q "$3")([[:space:]]|$)" "$1"; }
expect_macro() { # page macro word what
	if has_macro "$1" "$2" "$3"; then ok; else fail "$4: '$3' not in $(basename "$1") (as .$2 $3)"; fi
}
expect_word() { # file word what
	if grep -Eq "(^|[^[:alnum:]_-])$(q "$2")([^[:alnum:]_-]|$)" "$1"; then ok; else fail "$3: '$2' not in $1"; fi
}
nonempty() { # list what
	if [ -n "$1" ]; then ok; else fail "no $2 found in the code (did a table move?)"; fi
}

# ---- subcommands --------------------------------------------------------
cmds=$(sed -n 's/^[[:space:]]*{ *"\([a-z][a-z-]*\)", *\(cli_cmd_[a-z_]*\|cmd_[a-z_]*\),.*/\1/p' tui/cli.c | sort -u)
nonempty "$cmds" "subcommands (tui/cli.c commands[])"
help_out=$("$BIN" --help 2>&1)
help_cmds=$(printf '%s\n' "$help_out" | awk '/^Subcommands:/{f=1;next} f&&/^[^ ]/{f=0} f&&NF{print $1}' | sort -u)
if [ "$cmds" = "$help_cmds" ]; then ok; else
	fail "--help subcommands ($(echo $help_cmds)) differ from tui/cli.c ($(echo $cmds))"; fi
for c in $cmds; do
	expect_macro "$M1" Cm "$c" "subcommand"
	expect_word "$BASHC" "$c" "bash completion subcommand"
	expect_word "$ZSHC" "$c" "zsh completion subcommand"
	if "$BIN" help "$c" >/dev/null 2>&1; then ok; else fail "celltag help $c fails"; fi
done

# ---- options ------------------------------------------------------------
src_c=$(ls tui/*.c | grep -v '_stub\.c$')
{
	# "--name" literals (strcmp dispatch) and getopt_long tables
	grep -ohE '"--[a-z][a-z0-9-]*' $src_c | sed 's/^"--//'
	grep -ohE '\{ *"[a-z][a-z0-9-]*", *(no|required|optional)_argument' $src_c |
		sed -E 's/^\{ *"([^"]*)".*/\1/'
	# options printed by the help texts
	{ printf '%s\n' "$help_out"; for c in $cmds; do "$BIN" help "$c" 2>&1; done; } |
		grep -oE '(^|[^[:alnum:]-])--[a-z][a-z0-9-]*' | sed -E 's/.*--//'
} | sort -u >"$tmp/longopts"
{
	grep -ohE 'getopt(_long)?\([^"]*"[^"]*"' $src_c | sed -E 's/.*"([^"]*)"$/\1/' | tr -d '+:-' | fold -w1
	grep -ohE '"-[a-zA-Z]"' $src_c | tr -d '"-'
	{ printf '%s\n' "$help_out"; for c in $cmds; do "$BIN" help "$c" 2>&1; done; } |
		grep -oE '(^|[[:space:],])-[a-zA-Z]([,[:space:]]|$)' | tr -dc 'a-zA-Z\n'
} | grep -E '^[a-zA-Z]$' | sort -u >"$tmp/shortopts"
nonempty "$(cat "$tmp/longopts")" "long options"
while read -r o; do
	expect_macro "$M1" Fl "-$o" "option --$o"
	expect_word "$BASHC" "--$o" "bash completion option"
	expect_word "$ZSHC" "--$o" "zsh completion option"
done <"$tmp/longopts"
while read -r o; do
	expect_macro "$M1" Fl "$o" "option -$o"
done <"$tmp/shortopts"

# ---- options documented per subcommand are accepted by that subcommand ------
# Each option the manual lists under a subcommand (or the editor's OPTIONS),
# and each option the bash completion offers for it, is run through the
# binary against a missing file: "unknown option" means the documentation
# invents or misplaces it.  Options with an argument get a harmless one.
accepts() { # cmd|"" option
	local arg=
	case "$1:$2" in
	*:--format|coverage:-f) arg=json ;;
	*:--lesson) arg=3 ;;
	*:--config|*:--script) arg=/dev/null ;;
	*:--theme) arg=default ;;
	*:--size) arg=80x24 ;;
	esac
	local out
	out=$(timeout 10 "$BIN" $1 "$2" $arg /nonexistent-celltag-dir/x.ipynb </dev/null 2>&1)
	! grep -qi "unknown option" <<<"$out"
}
subs_re=$(echo $cmds | tr ' ' '|')
awk -v re="^\\.It Cm ($subs_re)( |$)" '
	/^\.Sh SUBCOMMANDS/{f=1;next} /^\.Sh /{f=0}
	f && $0 ~ re {cmd=$3}
	f && cmd!="" {n=split($0,w," "); for(i=1;i<n;i++) if(w[i]=="Fl") print cmd, w[i+1]}
' "$M1" | sort -u >"$tmp/man_cmd_opts"
awk '/^\.Sh OPTIONS/{f=1;next} /^\.Sh /{f=0} f{n=split($0,w," "); for(i=1;i<n;i++) if(w[i]=="Fl") print w[i+1]}' "$M1" |
	sort -u >"$tmp/man_tui_opts"
nonempty "$(cat "$tmp/man_cmd_opts")" "options in celltag.1 SUBCOMMANDS"
while read -r c o; do
	case $o in -help|h) continue ;; esac
	for x in $(printf '%s' "$o" | sed -E 's/^-(.*)/--\1/; t; s/(.)/-\1 /g'); do
		if accepts "$c" "$x"; then ok; else fail "celltag.1 lists $x under $c, which refuses it"; fi
	done
done <"$tmp/man_cmd_opts"
while read -r o; do
	case $o in -help|h|-version|V) continue ;; esac
	x=$(printf '%s' "$o" | sed -E 's/^-(.*)/--\1/; t; s/^(.)$/-\1/')
	if accepts "" "$x"; then ok; else fail "celltag.1 OPTIONS lists $x, which the editor refuses"; fi
done <"$tmp/man_tui_opts"
for c in $cmds; do
	for o in $(bash -c 'source "$1"; _celltag_opts_for "$2"' sh "$BASHC" "$c"); do
		case $o in --help|-h) continue ;; esac
		[ "$c" = help ] && continue
		if accepts "$c" "$o"; then ok; else fail "bash completion offers $o for $c, which refuses it"; fi
	done
done
for o in $(bash -c 'source "$1"; echo $_celltag_tui_opts' sh "$BASHC"); do
	case $o in --help|-h|--version|-V) continue ;; esac
	if accepts "" "$o"; then ok; else fail "bash completion offers $o to the editor, which refuses it"; fi
done

# And the other way round: every option a subcommand accepts is documented
# under it in celltag.1 and offered by the bash completion for it.
awk '{ o=$2; if (o ~ /^-/) print $1, "-" o; else { n=split(o, c, ""); for (i=1;i<=n;i++) print $1, "-" c[i] } }' \
	"$tmp/man_cmd_opts" | sort -u >"$tmp/man_cmd_opts_flat"
for c in $cmds; do
	[ "$c" = help ] && continue
	comp_opts=" $(bash -c 'source "$1"; _celltag_opts_for "$2"' sh "$BASHC" "$c") "
	{ sed 's/^/--/' "$tmp/longopts"; sed 's/^/-/' "$tmp/shortopts"; } >"$tmp/allopts"
	while read -r o; do
		case $o in --help|-h|--version|-V) continue ;; esac
		accepts "$c" "$o" || continue
		if grep -qxF -- "$c $o" "$tmp/man_cmd_opts_flat"; then ok; else
			fail "$c accepts $o but celltag.1 does not list it under $c"; fi
		case $comp_opts in *" $o "*) ok ;; *)
			case $o in --*) fail "$c accepts $o but the bash completion does not offer it" ;; *) ok ;; esac ;;
		esac
	done <"$tmp/allopts"
done

# ---- actions and default key bindings ------------------------------------
actions=$(sed -n 's/^[[:space:]]*_([A-Z_]*, *"\([a-z-]*\)".*/\1/p' tui/actions.h)
nonempty "$actions" "actions (tui/actions.h)"
for a in $actions; do
	expect_macro "$M1" Ic "$a" "action"
done
# KEYS section entries: ".It" line + body, one record per entry, so a key
# and its action are checked together.
awk '/^\.Sh KEYS/{f=1;next} /^\.Sh /{f=0} f&&/^\.It /{if(r!="")print r; r=$0; next} f{r=r" "$0} END{if(r!="")print r}' "$M1" >"$tmp/keys"
[ -s "$tmp/keys" ] && ok || fail "celltag.1 has no KEYS section with .It entries"
sed -n '/default_bindings\[\] = {/,/^};/p' tui/keymap.c |
	grep -oE '\{ *"([^"\\]|\\.)+", *ACTION_[A-Z_]+ *\}' |
	sed -E 's/^\{ *"(([^"\\]|\\.)+)", *ACTION_([A-Z_]+) *\}$/\1 \3/' >"$tmp/bindings"
nonempty "$(cat "$tmp/bindings")" "default bindings (tui/keymap.c)"
while read -r key enum; do
	key=$(printf '%s' "$key" | sed 's/\\\\/\\/g')
	name=$(sed -n "s/^[[:space:]]*_($enum, *\"\([a-z-]*\)\".*/\1/p" tui/actions.h)
	# the entry that documents the action must list the key as ".Cm KEY"
	if grep -E -- "Ic $name( |$)" "$tmp/keys" | grep -Eq "(^\.It|[[:space:]])Cm[[:space:]]+$(q "$key")([[:space:]]|$)"; then ok; else
		fail "default key '$key' of action $name is not in its celltag.1 KEYS entry (.Cm $key)"; fi
done <"$tmp/bindings"

# ---- fixed keys of prompts and dialogs (tui/screen_help.c) ------------------
awk '/^\.Sh THE EDITOR/{f=1;next} /^\.Sh /{f=0} f' "$M1" >"$tmp/editor"
if [ -f tui/screen_help.c ]; then
	sed -n '/\(prompt_keys\|dialog_keys\)\[\]\[2\] = {/,/^};/p' tui/screen_help.c |
		sed -n 's/^[[:space:]]*{ *"\([^"]*\)",.*/\1/p' |
		sed -e 's/, /\n/g' -e 's| / |\n|g' >"$tmp/fixedkeys"
	nonempty "$(cat "$tmp/fixedkeys")" "prompt and dialog keys (tui/screen_help.c)"
	while read -r k; do
		expect_macro "$tmp/editor" Cm "$k" "prompt/dialog key (THE EDITOR)"
	done <"$tmp/fixedkeys"
fi

# ---- script commands (":save-display" ...) ---------------------------------
# tui/tui.c dispatches them with IS("name"); input.c handles ":type".
{
	[ -f tui/tui.c ] && grep -ohE 'IS\("[a-z][a-z-]*"\)' tui/tui.c | sed -E 's/IS\("([^"]*)"\)/\1/'
	[ -f tui/input.c ] && grep -ohE '":[a-z][a-z-]* ' tui/input.c | tr -d '": '
} | sort -u >"$tmp/colon"
while read -r c; do
	expect_macro "$M1" Ic ":$c" "script command"
done <"$tmp/colon"

# ---- exit statuses ------------------------------------------------------
codes=$(sed -n 's/^[[:space:]]*CLI_EXIT_[A-Z]* = \([0-9]*\),\{0,1\}.*/\1/p' tui/cli.h)
nonempty "$codes" "exit statuses (tui/cli.h)"
awk '/^\.Sh EXIT STATUS/{f=1;next} /^\.Sh /{f=0} f' "$M1" >"$tmp/exit"
for n in $codes; do
	if grep -Eq "^\.It (Li |Sy )?$n([[:space:]]|$)" "$tmp/exit"; then ok; else
		fail "exit status $n not in celltag.1 EXIT STATUS (.It $n)"; fi
done

# ---- environment ----------------------------------------------------------
envs=$(grep -ohE 'getenv\("[A-Z_]+"\)' core/*.c $src_c | sed -E 's/getenv\("([A-Z_]+)"\)/\1/' |
	grep -v '^CELLTAG_TEST_' | sort -u)
nonempty "$envs" "getenv() calls"
for v in $envs; do
	expect_macro "$M1" Ev "$v" "environment variable"
done
awk '/^\.Sh ENVIRONMENT/{f=1;next} /^\.Sh /{f=0} f' "$M1" >"$tmp/env"
for v in $envs; do
	if grep -Eq "^\.It Ev $v([[:space:]]|$)" "$tmp/env"; then ok; else
		fail "$v has no entry in celltag.1 ENVIRONMENT (.It Ev $v)"; fi
done

# ---- lint codes -------------------------------------------------------------
lcodes=$(sed -n 's/^[[:space:]]*_([A-Z_]*, *"\([a-z-]*\)", *\(ERROR\|WARNING\|INFO\).*/\1/p' core/rules.h | grep -vx ok)
nonempty "$lcodes" "lint codes (core/rules.h)"
for c in $lcodes; do
	expect_macro "$M1" Cm "$c" "lint code"
done

# ---- exercise detection (core/detect.h, core/detect.c) -----------------------
awk '/^\.Sh EXERCISE CELLS/{f=1;next} /^\.Sh /{f=0} f' "$M1" >"$tmp/exercise"
reasons=$(sed -n '/DETECT_REASON_INFO(_)/,/^$/p' core/detect.h | sed -n 's/^[[:space:]]*_([A-Z_]*, *"\([a-z-]*\)").*/\1/p' | grep -vx none)
nonempty "$reasons" "exercise reasons (core/detect.h)"
for r in $reasons; do
	if grep -Eq "^\.It Cm $r([[:space:]]|$)" "$tmp/exercise"; then ok; else
		fail "exercise reason $r has no entry in celltag.1 EXERCISE CELLS (.It Cm $r)"; fi
done
for arr in builtin_patterns builtin_heading_words; do
	words=$(sed -n "/$arr\[\] = {/,/^};/p" core/detect.c | grep -oE '"[^"]+"' | tr -d '"')
	nonempty "$words" "$arr (core/detect.c)"
	while IFS= read -r w; do
		[ -n "$w" ] || continue
		if grep -qF -- "$w" "$tmp/exercise" && grep -qF -- "$w" "$MC"; then ok; else
			fail "built-in '$w' ($arr) missing from celltag.1 EXERCISE CELLS or celltag-config.5"; fi
	done <<<"$words"
done

# ---- config keys ------------------------------------------------------------
ckeys=$(sed -n '/config_keys\[\] = {/,/^};/p' core/config.c | sed -n 's/^[[:space:]]*{ *"\([a-z_]*\)".*/\1/p')
nonempty "$ckeys" "config keys (core/config.c)"
for k in $ckeys; do
	if grep -Eq "^\.It Cm $k([[:space:]]|$)" "$MC"; then ok; else
		fail "config key $k has no entry in celltag-config.5 (.It Cm $k)"; fi
done

# ---- key names the keymap parses (tui/keymap.c key_names[]) ------------------
knames=$(sed -n '/key_names\[\] = {/,/^};/p' tui/keymap.c | grep -oE '\{ *"[A-Za-z-]+"' | sed -E 's/.*"(.*)"/\1/')
nonempty "$knames" "key names (tui/keymap.c)"
for k in $knames; do
	expect_macro "$MC" Cm "<$k>" "key name"
done

# ---- themes -------------------------------------------------------------------
elems=$(sed -n 's/^[[:space:]]*_([A-Z_0-9]*, *"\([a-z.-]*\)".*/\1/p' tui/theme.h)
nonempty "$elems" "theme elements (tui/theme.h)"
for e in $elems; do
	if grep -Eq "^\.It Cm $(q "$e")([[:space:]]|$)" "$MT"; then ok; else
		fail "theme element $e has no entry in celltag-themes.5 (.It Cm $e)"; fi
done
# theme file keys (strcmp(key, "...") in tui/theme.c) and attribute names
tkeys=$(grep -ohE 'strcmp\(key, "[a-z]+"\)' tui/theme.c | sed -E 's/.*"(.*)".*/\1/' | sort -u)
nonempty "$tkeys" "theme file keys (tui/theme.c)"
for k in $tkeys; do
	expect_macro "$MT" Cm "$k" "theme file key"
done
tattrs=$(sed -n '/attr_names\[\] = {/,/^};/p' tui/theme.c | grep -oE '\{ *"[a-z]+"' | sed -E 's/.*"(.*)"/\1/')
nonempty "$tattrs" "theme attribute names (tui/theme.c)"
for a in $tattrs; do
	expect_macro "$MT" Cm "$a" "theme attribute"
done
for t in themes/*.yaml; do
	[ -e "$t" ] || continue
	n=$(basename "$t" .yaml)
	expect_word "$MT" "$n" "theme name"
	expect_word "$BASHC" "$n" "bash completion theme"
	expect_word "$ZSHC" "$n" "zsh completion theme"
done

[ "$failed" -eq 0 ] || echo "manual_sync: lint codes, keys and theme elements can be regenerated with" \
	"'python3 man/update-tables.py'; the rest of the manual is prose to update by hand"
echo "manual_sync: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
