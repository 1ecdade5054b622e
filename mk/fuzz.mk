# mk/fuzz.mk - fuzzing (libFuzzer) and memcheck (valgrind) targets.
#
#   make fuzz            every fuzz target for FUZZ_SECONDS (60) each
#   make fuzz-short      every target for FUZZ_SHORT_SECONDS (20) each (in
#                        make check; skipped when clang/libFuzzer is missing)
#   make fuzz-regress    replay the committed crash/regression inputs only
#   make fuzz-build      just build the targets into $(FUZZ_BUILD)/fuzz/
#   make fuzz-one FUZZ_TARGET=notebook_roundtrip FUZZ_SECONDS=1800
#   make valgrind        CLI commands and a scripted TUI session under memcheck
#
# The core (and, for the TUI modules, tui/) is rebuilt with clang and
# -fsanitize=fuzzer-no-link,address,undefined in its own build dir
# ($(FUZZ_BUILD), default build-fuzz) through the main Makefile's rules, so
# no other build dir is touched.  Seeds come from our own fixtures and, when
# present, ../shared/corpus (or $CELLTAG_CORPUS); they are copied at run time
# into $(FUZZ_BUILD)/seeds/, never into git.  The inputs libFuzzer finds go to
# $(FUZZ_BUILD)/corpus/TARGET (kept between runs), crashes to
# $(FUZZ_BUILD)/crashes/, logs to $(FUZZ_BUILD)/logs/.  A crash input worth
# keeping is minimized into tests/data/hostile/fuzz/TARGET/ (replayed by
# fuzz-regress and by the unit tests).

FUZZ_BUILD         ?= build-fuzz
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SHORT_SECONDS ?= 20
FUZZ_MAX_LEN       ?= 131072
FUZZ_RSS_MB        ?= 2048
FUZZ_TARGET        ?= notebook_roundtrip
VALGRIND_BUILD     ?= build-valgrind

# Targets and what must exist for each to build (modules land over time).
FUZZ_ALL := notebook_load notebook_roundtrip notebook_suggest config theme plan sanitize keymap
fuzz_req_notebook_load      := core/notebook.c
fuzz_req_notebook_roundtrip := core/save.c
fuzz_req_notebook_suggest   := core/suggest.c
fuzz_req_config             := core/config.c
fuzz_req_theme              := tui/theme.c
fuzz_req_plan               := core/plan.c
fuzz_req_sanitize           := tui/sanitize.c
fuzz_req_keymap             := tui/input.c
FUZZ_TARGETS := $(foreach t,$(FUZZ_ALL),$(if $(and \
                  $(wildcard tests/fuzz/fuzz_$(t).c),$(wildcard $(fuzz_req_$(t)))),$(t)))

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined

.PHONY: fuzz fuzz-short fuzz-short-run fuzz-regress fuzz-build fuzz-one fuzz-bins valgrind

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  FUZZ_TARGETS="$(FUZZ_TARGETS)" \
	  OPTFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	  EXTRA_LDFLAGS="$(FUZZ_SAN)" fuzz-bins

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  sh tests/fuzz/run.sh $(FUZZ_BUILD) $$t $(FUZZ_SECONDS) $(FUZZ_MAX_LEN) $(FUZZ_RSS_MB) || exit 1; \
	done; sh tests/fuzz/run.sh $(FUZZ_BUILD) --summary $(FUZZ_TARGETS)

# In `make check` (about 3.5 minutes: ~50 s build, 20 s per target).
# Skipped with a notice when clang with libFuzzer is not installed.
CHECK_EXTRA += fuzz-short
FUZZ_HAVE_CC = $(shell printf 'int LLVMFuzzerTestOneInput(const char*d,long n){return 0;}' | \
                 $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1 && echo yes)

fuzz-short:
	@if [ "$(FUZZ_HAVE_CC)" != yes ]; then \
	  echo "fuzz-short: skipped: $(FUZZ_CC) with -fsanitize=fuzzer not found (apt-get install clang)"; \
	else $(MAKE) --no-print-directory fuzz-short-run; fi

fuzz-short-run: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  sh tests/fuzz/run.sh $(FUZZ_BUILD) $$t $(FUZZ_SHORT_SECONDS) 16384 $(FUZZ_RSS_MB) || exit 1; \
	done; sh tests/fuzz/run.sh $(FUZZ_BUILD) --summary $(FUZZ_TARGETS)

fuzz-one:
	@$(MAKE) --no-print-directory fuzz-build FUZZ_TARGETS=$(FUZZ_TARGET)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGET) $(FUZZ_SECONDS) $(FUZZ_MAX_LEN) $(FUZZ_RSS_MB)

fuzz-regress: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  sh tests/fuzz/run.sh $(FUZZ_BUILD) $$t 0 $(FUZZ_MAX_LEN) $(FUZZ_RSS_MB) || exit 1; done

# --- run inside the sub-make above, where BUILD is $(FUZZ_BUILD) ---------
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_TUI_LIB := $(BUILD)/libtui-fuzz.a

fuzz-bins: $(FUZZ_BINS)

# tui/ objects in an archive: a target links only the members it uses.
$(FUZZ_TUI_LIB): $(TUI_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_notebook_%: tests/fuzz/fuzz_notebook_%.c tests/fuzz/fuzz_check.h tests/fuzz/nb_compare.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/fuzz/fuzz_config $(BUILD)/fuzz/fuzz_plan: $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_check.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/fuzz/fuzz_theme $(BUILD)/fuzz/fuzz_sanitize $(BUILD)/fuzz/fuzz_keymap: $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_check.h $(FUZZ_TUI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(BUILD)/gen -Itests/fuzz -fsanitize=fuzzer -o $@ $< $(FUZZ_TUI_LIB) $(LIB) $(LDLIBS_ALL)

# --- memcheck -------------------------------------------------------------
valgrind:
	@$(MAKE) -s --no-print-directory BUILD=$(VALGRIND_BUILD) OPTFLAGS="-O1 -g" all
	@sh tests/fuzz/memcheck.sh $(abspath $(VALGRIND_BUILD)/celltag)
