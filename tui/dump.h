/* dump.h - text and attribute dumps of the curses screen, for scripted
 * golden-screen tests (tig's :save-display).
 *
 * Text: one line per screen row, read back with mvwinnstr(), trailing
 * blanks trimmed.
 * Attributes: one line per row, "ROW:" followed by runs
 * " COUNTxFG/BG[+FLAGS]" of cells sharing colour pair and attributes, where
 * FG/BG are the pair's colours (-1 = terminal default) and FLAGS letters
 * B bold, D dim, U underline, R reverse, S standout, I italic, A alternate
 * character set.
 */
#ifndef CELLTAG_TUI_DUMP_H
#define CELLTAG_TUI_DUMP_H

#include <stdio.h>

#include "status.h"

enum ct_status dump_display(const char *path, struct ct_error *err);
enum ct_status dump_attrs(const char *path, struct ct_error *err);

/* Same, to an open stream. */
void dump_display_fp(FILE *f);
void dump_attrs_fp(FILE *f);

#endif
