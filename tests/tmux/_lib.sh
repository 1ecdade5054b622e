# _lib.sh - helpers for the tmux end-to-end tests (sourced; running it alone
# does nothing).  Each test gets its own tmux server (-L) that is killed at
# exit whatever happens, and a scratch folder.
#
#   tm_start COLS ROWS CMD...   start a session running CMD
#   tm_wait TEXT [SECONDS]      poll capture-pane until TEXT shows (default 10s)
#   tm_keys KEYS...             tmux send-keys
#   tm_gone [SECONDS]           wait until the program in the pane has exited
#   tm_fail MESSAGE             print the pane and fail

TM_SOCK="celltag-test-$$"
TM_DIR=$(mktemp -d /tmp/celltag-tmux-XXXXXX)
TM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${CELLTAG_BIN:=$TM_REPO/build/celltag}"

tm_cleanup() {
	tmux -L "$TM_SOCK" kill-server >/dev/null 2>&1 || true
	rm -rf "$TM_DIR"
}
trap tm_cleanup EXIT INT TERM HUP

if ! command -v tmux >/dev/null 2>&1; then
	echo "skipped: tmux not installed"
	exit 0
fi

tm() { tmux -L "$TM_SOCK" "$@"; }

tm_start() {
	local cols=$1 rows=$2
	shift 2
	# A plain shell as the pane's program, so the terminal state after
	# celltag exits can be inspected; the command is typed into it.
	tm -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env -i PATH=/usr/bin:/bin HOME=$TM_DIR TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$TM_DIR/config XDG_STATE_HOME=$TM_DIR/state PS1='$ ' sh" || exit 1
	tm set-option -g remain-on-exit on >/dev/null
	tm send-keys -t t "cd '$TM_DIR' && $*; echo CELLTAG-EXIT=\$?" Enter
}

tm_capture() { tm capture-pane -p -t t; }

tm_fail() {
	echo "FAIL: $*" >&2
	echo "---- pane ----" >&2
	tm_capture >&2 || true
	echo "--------------" >&2
	exit 1
}

tm_wait() {
	local text=$1 secs=${2:-10} i=0
	local n=$((secs * 20))
	while [ $i -lt $n ]; do
		if tm_capture | grep -qF -- "$text"; then return 0; fi
		sleep 0.05
		i=$((i + 1))
	done
	tm_fail "timed out waiting for: $text"
}

tm_keys() { tm send-keys -t t "$@"; }

tm_gone() { tm_wait "CELLTAG-EXIT=" "${1:-10}"; }

# PIDs of the children of $1 named $2 (from /proc: no procps needed).
tm_children() {
	local st rest ppid comm
	for st in /proc/[0-9]*/stat; do
		# (stderr first: a process that exits meanwhile is no error)
		read -r rest 2>/dev/null < "$st" || continue
		comm=${rest#*(}; comm=${comm%%)*}
		rest=${rest##*) }
		ppid=$(echo "$rest" | cut -d' ' -f2)
		if [ "$ppid" = "$1" ] && [ "$comm" = "$2" ]; then
			st=${st#/proc/}; echo "${st%/stat}"
		fi
	done
}

# PID of celltag running in the pane (child of the pane's shell).
tm_pid() {
	tm_children "$(tm display-message -p -t t '#{pane_pid}')" celltag | head -1
}
