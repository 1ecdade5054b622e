#!/bin/sh
# run.sh - run one libFuzzer target for a bounded time (see mk/fuzz.mk).
#
#   run.sh BUILD TARGET SECONDS [MAX_LEN] [RSS_MB]
#       SECONDS 0 only replays the regression inputs and the seeds.
#       FUZZ_NO_REGRESS=1 skips the regression replay.
#   run.sh BUILD --summary TARGET...
#       print executions, coverage and findings of the last run of each.
#
# First replays the committed regression inputs (tests/data/hostile/fuzz/
# TARGET/*): any failure there is a regression.  Then fuzzes with a fresh
# seed set (build-corpus.sh) plus the target's own growing corpus.  Exit
# status: 0 clean, 1 a finding (the input is in BUILD/crashes/).
set -u
build=$1; shift
here=$(dirname "$0")

if [ "$1" = "--summary" ]; then
	shift
	printf '%-20s %12s %10s %8s %8s %6s %s\n' target execs exec/s cov ft corpus crashes
	for t in "$@"; do
		log=$build/logs/$t.log
		[ -f "$log" ] || continue
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
		line=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
		cov=$(printf '%s' "$line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
		ft=$(printf '%s' "$line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
		corp=$(printf '%s' "$line" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
		crashes=$(ls "$build/crashes/" 2>/dev/null | grep -c "^$t-" || true)
		printf '%-20s %12s %10s %8s %8s %6s %s\n' "$t" "${execs:-?}" \
		  "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes"
	done
	exit 0
fi

t=$1 secs=$2 maxlen=${3:-131072} rss=${4:-2048}
bin=$build/fuzz/fuzz_$t
[ -x "$bin" ] || { echo "run.sh: $bin not built" >&2; exit 2; }
case $t in
	notebook_*) dict=$here/json.dict ;;
	config|theme|plan) dict=$here/yaml.dict ;;
	keymap) dict=$here/keys.dict ;;
	*) dict= ;;
esac
mkdir -p "$build/corpus/$t" "$build/crashes" "$build/logs"
seeds=$build/seeds/$t
sh "$here/build-corpus.sh" "$t" "$seeds" || exit 2

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# FUZZ_NO_REGRESS=1 skips the replay (to keep fuzzing while a known
# finding is still open).
reg=tests/data/hostile/fuzz/$t
if [ -z "${FUZZ_NO_REGRESS:-}" ] && [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
	echo "== fuzz $t: replaying $(ls "$reg" | wc -l) regression inputs"
	"$bin" -rss_limit_mb="$rss" -timeout=30 "$reg"/* >"$build/logs/$t.regress.log" 2>&1 || {
		tail -40 "$build/logs/$t.regress.log"; echo "fuzz $t: REGRESSION" >&2; exit 1; }
fi
if [ "$secs" = 0 ]; then
	"$bin" -rss_limit_mb="$rss" -timeout=30 -runs=0 -max_len="$maxlen" \
	  "$seeds" >"$build/logs/$t.seeds.log" 2>&1 || {
		tail -40 "$build/logs/$t.seeds.log"; echo "fuzz $t: seed input fails" >&2; exit 1; }
	echo "== fuzz $t: regression and seed inputs pass"
	exit 0
fi

echo "== fuzz $t: ${secs}s ($(ls "$seeds" | wc -l) seeds, $(ls "$build/corpus/$t" | wc -l) in corpus)"
"$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb="$rss" \
  -max_len="$maxlen" -print_final_stats=1 -use_value_profile=1 \
  ${dict:+-dict="$dict"} -artifact_prefix="$build/crashes/$t-" \
  "$build/corpus/$t" "$seeds" >"$build/logs/$t.log" 2>&1
rc=$?
grep -E '^#[0-9]+.*cov: ' "$build/logs/$t.log" | tail -1; grep -E '^Done [0-9]+ runs' "$build/logs/$t.log"
if [ $rc -ne 0 ]; then
	grep -E 'ERROR|property failed|SUMMARY|Test unit written' "$build/logs/$t.log" | head -20
	echo "fuzz $t: FINDING (exit $rc), log: $build/logs/$t.log" >&2
	exit 1
fi
exit 0
