# install / uninstall (PREFIX, DESTDIR; see README "Install").
#
# The completion files get $(DATADIR) too, to list installed theme names.
# The binary finds its themes in $(DATADIR)/themes: the Makefile compiles
# that path in (-DCELLTAG_DATADIR), without DESTDIR, so a staged install
# (DESTDIR=/tmp/pkg) works once the files are moved to PREFIX.  A binary
# built for one PREFIX looks in that PREFIX only: rebuild after changing it.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
INSTALL     ?= install

INSTALL_THEMES := $(notdir $(wildcard themes/*.yaml))
INSTALL_MAN1   := $(notdir $(wildcard man/*.1))
INSTALL_MAN5   := $(notdir $(wildcard man/*.5))
INSTALL_EXTRA  ?=

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes \
	  $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(BINDIR)/celltag
	$(if $(INSTALL_THEMES),$(INSTALL) -m 644 $(addprefix themes/,$(INSTALL_THEMES)) $(DESTDIR)$(DATADIR)/themes/)
	$(if $(INSTALL_MAN1),$(INSTALL) -m 444 $(addprefix man/,$(INSTALL_MAN1)) $(DESTDIR)$(MANPREFIX)/man1/)
	$(if $(INSTALL_MAN5),$(INSTALL) -m 444 $(addprefix man/,$(INSTALL_MAN5)) $(DESTDIR)$(MANPREFIX)/man5/)
	sed 's|@DATADIR@|$(DATADIR)|g' completion/celltag.bash > $(DESTDIR)$(BASHCOMPDIR)/celltag
	sed 's|@DATADIR@|$(DATADIR)|g' completion/_celltag > $(DESTDIR)$(ZSHCOMPDIR)/_celltag
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/celltag $(DESTDIR)$(ZSHCOMPDIR)/_celltag
	$(if $(INSTALL_EXTRA),$(MAKE) --no-print-directory $(INSTALL_EXTRA))

# Removes exactly what install put there; $(DATADIR) is celltag's own folder.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/celltag
	rm -f $(addprefix $(DESTDIR)$(MANPREFIX)/man1/,$(INSTALL_MAN1))
	rm -f $(addprefix $(DESTDIR)$(MANPREFIX)/man5/,$(INSTALL_MAN5))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/celltag $(DESTDIR)$(ZSHCOMPDIR)/_celltag
	rm -rf $(DESTDIR)$(DATADIR)

# The compiled-in paths and version must follow PREFIX/DATADIR and VERSION:
# make does not track flags, so the files that use them depend on a stamp
# holding the current values, rewritten only when they change (git's
# GIT-CFLAGS trick).  `make install PREFIX=~/.local` after a plain `make`
# therefore rebuilds what it must instead of installing a binary that looks
# for its themes in /usr/local.
BUILD_STAMP := $(BUILD)/paths.stamp
BUILD_STAMP_TEXT := DATADIR=$(DATADIR) VERSION=$(VERSION)
$(BUILD_STAMP): FORCE
	@mkdir -p $(dir $@)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(BUILD_STAMP_TEXT)' ]; then \
	  printf '%s\n' '$(BUILD_STAMP_TEXT)' > $@; fi
$(BUILD)/tui/theme.o $(BUILD)/tui/cli.o: $(BUILD_STAMP)
.PHONY: FORCE
FORCE:
