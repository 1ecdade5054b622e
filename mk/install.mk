# install / uninstall (owned by the packaging work; see README).
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(MANPREFIX)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/celltag
	install -m 644 themes/*.yaml $(DESTDIR)$(DATADIR)/themes/
	install -m 444 man/celltag.1 $(DESTDIR)$(MANPREFIX)/man1/celltag.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/celltag $(DESTDIR)$(MANPREFIX)/man1/celltag.1
	rm -rf $(DESTDIR)$(DATADIR)
