#!/bin/sh
# Install the Debian packages celltag needs when some are missing.
# Usage: deps.sh PACKAGE...   (as root, or through sudo; else name them and stop)
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "celltag: installing missing packages:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "celltag: apt-get not found; please install:$missing" >&2; exit 1
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
	echo "celltag: not root and no sudo; please install:$missing" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
	echo "celltag: could not install:$missing" >&2; exit 1
fi
