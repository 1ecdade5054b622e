#!/bin/sh
# run-demo.sh - open the bundled demo course in the editor (make run).
# Usage: sh mk/run-demo.sh PATH/TO/celltag
# The demo notebooks are copied to a scratch folder first, so tagging and
# saving in the demo never touch the repository's copies.
set -eu
bin=${1:-build/celltag}
case $bin in /*) ;; *) bin="$(pwd)/$bin" ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
scratch="$here/.celltag-scratch/demo"
rm -rf "$scratch"
mkdir -p "$scratch"
cp "$here"/demo/*.ipynb "$scratch/"
echo "celltag: demo course copied to $scratch"
cd "$scratch/.."
exec "$bin" demo
