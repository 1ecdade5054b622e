# celltag - build, test, install.  See README.md.
#   make            build libcelltag.a and celltag into $(BUILD)/
#   make run        install missing Debian packages, build, open the demo course
#   make check      install missing Debian packages, build, run every test
#   make asan       every unit/CLI/TUI test under ASan+UBSan
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each
#   make bench      benchmarks against cp/cat/nbformat/json/jq (bench-quick: small)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/celltag
MANPREFIX ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
BUILD     ?= build
SHELL     := /bin/bash
CC        ?= cc

# Build and test needs (README explains each): the four libraries, tmux for the
# end-to-end tests, mandoc for the man page lint, clang + libclang-rt-dev for
# the libFuzzer pass, valgrind for `make valgrind`, python3-nbformat and jq
# as the reference writers the tests and benchmarks compare with.
DEBIAN_PACKAGES := libncurses-dev libcjson-dev libyaml-dev libcriterion-dev tmux mandoc pkg-config \
                   clang libclang-rt-dev valgrind python3 python3-nbformat jq

NCURSES_PC := $(shell $(PKG_CONFIG) --exists ncursesw 2>/dev/null && echo ncursesw || echo ncurses)
PC_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(NCURSES_PC) libcjson yaml-0.1 2>/dev/null)
PC_LIBS    := $(shell $(PKG_CONFIG) --libs $(NCURSES_PC) libcjson yaml-0.1 2>/dev/null)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wwrite-strings -Wformat=2 -Wundef -Wpointer-arith -Wno-unused-parameter
OPTFLAGS ?= -O2 -g
CFLAGS   ?= $(OPTFLAGS)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) \
             -Icore -Itui $(PC_CFLAGS) \
             -DCELLTAG_VERSION='"$(VERSION)"' -DCELLTAG_DATADIR='"$(DATADIR)"'
LDLIBS_ALL = $(PC_LIBS) -pthread $(EXTRA_LDFLAGS)

CORE_SRC := $(sort $(wildcard core/*.c))
TUI_SRC  := $(sort $(filter-out tui/main.c,$(wildcard tui/*.c)))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
GEN_HDR  := $(BUILD)/gen/builtin_themes.h

LIB      := $(BUILD)/libcelltag.a
BIN      := $(BUILD)/celltag
TESTBIN  := $(BUILD)/unit_tests

.PHONY: all deps run check check-unit check-shell check-tmux check-man check-layering \
        asan fuzz bench bench-quick install uninstall clean
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(BUILD)/gen -MMD -MP -c -o $@ $<

$(LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/tui/main.o $(TUI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/tui/main.o $(TUI_OBJ) $(LIB) $(LDLIBS_ALL)

$(TESTBIN): $(TEST_OBJ) $(TUI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(TEST_OBJ) $(TUI_OBJ) $(LIB) $(LDLIBS_ALL) -lcriterion

# Built-in copy of the themes, so the binary works with no theme files.
$(GEN_HDR): $(wildcard themes/*.yaml) mk/embed.sh
	@mkdir -p $(dir $@)
	sh mk/embed.sh themes $@
$(BUILD)/tui/theme_builtin.o: $(GEN_HDR)

deps:
	@sh mk/deps.sh $(DEBIAN_PACKAGES)

run: deps
	@$(MAKE) --no-print-directory all
	@sh mk/run-demo.sh $(BIN)

check: deps
	@$(MAKE) --no-print-directory check-layering all $(TESTBIN)
	@$(MAKE) --no-print-directory check-unit check-shell check-man check-tmux $(CHECK_EXTRA)

check-unit: $(TESTBIN)
	CELLTAG_BIN=$(abspath $(BIN)) $(TESTBIN) --jobs 2 --timeout 120

check-shell: $(BIN)
	@for t in $(sort $(wildcard tests/shell/[!_]*.sh)); do \
	  echo "== $$t"; CELLTAG_BIN=$(abspath $(BIN)) bash $$t || exit 1; done

check-tmux: $(BIN)
	@for t in $(sort $(wildcard tests/tmux/[!_]*.sh)); do \
	  echo "== $$t"; CELLTAG_BIN=$(abspath $(BIN)) bash $$t || exit 1; done

check-man:
	@for m in $(wildcard man/*.[1-9]); do mandoc -T lint -W warning $$m || exit 1; done
	@echo "man pages: lint clean"

# core/ is a library: no curses, no exit().
check-layering:
	@! grep -nE '#include[[:space:]]*<n?curses' core/*.c core/*.h tui/cli*.c 2>/dev/null || \
	  { echo "curses included in core/ or tui/cli*.c"; exit 1; }
	@! grep -nE '\<(exit|abort)[[:space:]]*\(' core/*.c 2>/dev/null || \
	  { echo "exit()/abort() in core/"; exit 1; }

asan:
	$(MAKE) --no-print-directory BUILD=build-asan OPTFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all build-asan/unit_tests
	@# Criterion counts a test that leaks as passed, so the log is checked too.
	@# Leaks do not change exit codes (LSAN exitcode=0): mk/asan-check.sh
	@# judges them from the log, where Criterion's own can be told apart.
	set -o pipefail; ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=exitcode=0 \
	  CELLTAG_BIN=$(abspath build-asan/celltag) build-asan/unit_tests --jobs 2 --timeout 300 \
	  2>&1 | tee build-asan/unit_tests.log
	@sh mk/asan-check.sh build-asan/unit_tests.log

# install / uninstall live in mk/install.mk.

clean:
	rm -rf build build-* 

# Fragments (mk/*.mk) add targets; they may append to CHECK_EXTRA (targets
# that `make check` runs after the built-in ones) and INSTALL_EXTRA.
CHECK_EXTRA ?=
-include mk/*.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
