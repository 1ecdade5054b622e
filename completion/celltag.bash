# bash completion for celltag(1)                          -*- shell-script -*-
# Installed as $(PREFIX)/share/bash-completion/completions/celltag.
# Completes subcommands, options, theme names and .ipynb files.  The lists
# below are checked against the program by tests/shell/manual_sync.sh.

_celltag_datadir='@DATADIR@'

_celltag_subcommands='list tag untag lint coverage suggest apply help'
_celltag_tui_opts='-R --read-only --theme --no-color --no-colour --config --script --size -h --help -V --version'

_celltag_opts_for()
{
	case $1 in
	list)      echo '-j --json --help' ;;
	tag|untag) echo '-f --force -q --quiet --config --help' ;;
	lint)      echo '--json --strict --lesson --config -j --jobs --help' ;;
	coverage)  echo '-f --format --json --lesson --config -j --jobs --help' ;;
	suggest)   echo '--apply --json --lesson --config --help' ;;
	apply)     echo '-n --dry-run -f --force --config --help' ;;
	esac
}

# Theme names: built-in ones, the installed folder, the user's folder.
_celltag_themes()
{
	local d f
	printf '%s\n' default light high-contrast monochrome
	for d in "${XDG_CONFIG_HOME:-$HOME/.config}/celltag/themes" "$_celltag_datadir/themes"; do
		for f in "$d"/*.yaml; do
			[[ -e $f ]] || continue
			f=${f##*/}
			printf '%s\n' "${f%.yaml}"
		done
	done
}

# Files: .ipynb and folders (courses are folders).
_celltag_notebooks()
{
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -- "$cur"))
	COMPREPLY+=($(compgen -f -X '!*.ipynb' -- "$cur"))
	compopt -o filenames 2>/dev/null
}

_celltag()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}

	# The subcommand is the first word that does not start with '-' and is
	# not the argument of an option that takes one.
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--theme|--config|--script|--size|--lesson|--format|--jobs) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	case $prev in
	--theme)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(_celltag_themes | sort -u)" -- "$cur"))
		return ;;
	--config)
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	--format)
		[[ $cmd == coverage ]] && COMPREPLY=($(compgen -W 'table markdown csv json' -- "$cur"))
		return ;;
	-f)
		[[ $cmd == coverage ]] && { COMPREPLY=($(compgen -W 'table markdown csv json' -- "$cur")); return; } ;;
	--size|--lesson|--jobs)
		return ;;
	-j)
		[[ $cmd == lint || $cmd == coverage ]] && return ;;
	--script)
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_celltag_tui_opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_celltag_subcommands" -- "$cur"))
			_celltag_notebooks
		fi
		return
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_celltag_opts_for "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	help)
		COMPREPLY=($(compgen -W "$_celltag_subcommands" -- "$cur")) ;;
	apply)
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	*)
		_celltag_notebooks ;;
	esac
}

complete -F _celltag celltag
