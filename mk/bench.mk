# bench.mk - performance harness (tests/bench/, see bench.py's header).
#   make bench         full sizes (50/200 MB notebooks, 50,000 cells, 1,000-
#                      notebook course); installs the peers (nbformat, jq);
#                      rewrites tests/bench/RESULTS.md.  Several minutes.
#   make bench-quick   small sizes, about a minute; never fails on timing, only
#                      when celltag crashes or its output differs from
#                      nbformat's.  Data is generated once into
#                      tests/bench/data/ (git-ignored) and reused.
BENCH_PY   ?= python3
BENCH_ARGS ?=

# The quick run is a smoke test for `make check`: about a minute of CPU
# (callgrind counts the key presses), asserts no time, fails only on a
# celltag crash, a bad exit status, a tag-and-save output that differs from
# nbformat's, or an empty scripted first screen.
CHECK_EXTRA += bench-quick

bench: $(BIN) $(BUILD)/bench/runstat
	@sh mk/deps.sh python3 python3-nbformat jq || \
	  echo "bench: peers missing, their rows will be n/a"
	$(BENCH_PY) tests/bench/bench.py --bin $(BIN) --runstat $(BUILD)/bench/runstat --markdown tests/bench/RESULTS.md $(BENCH_ARGS)

bench-quick: $(BIN) $(BUILD)/bench/runstat
	$(BENCH_PY) tests/bench/bench.py --quick --bin $(BIN) --runstat $(BUILD)/bench/runstat $(BENCH_ARGS)

# The harness's measuring helper: forks the commands from a small process so
# their peak RSS is their own (see tests/bench/runstat.c).
$(BUILD)/bench/runstat: tests/bench/runstat.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARNINGS) -o $@ $<
