/* theme_curses.h - apply a parsed theme to an ncurses screen.
 *
 * Call theme_apply() once after initscr()/newterm() (and again after
 * switching themes).  It decides the colour depth (true colour is not used:
 * #rrggbb maps to the nearest xterm-256 colour), calls start_color() and
 * use_default_colors() (when available), registers one colour pair per
 * distinct (fg, bg) and stores an attr_t per element for the drawer.
 *
 * Without colours (NO_COLOR set and non-empty, --no-color, has_colors()
 * false as for TERM=dumb or vt100, fewer than 8 colours), every element
 * gets the
 * monochrome attributes of the THEME_ELEMENTS `mono` column, unless the
 * theme itself uses no colour at all (attrs_only), which applies as is.
 * With 8 or 16 colours, colours are mapped to the nearest available one.
 *
 * The struct is plain data owned by the caller; nothing to free.
 */
#ifndef CELLTAG_TUI_THEME_CURSES_H
#define CELLTAG_TUI_THEME_CURSES_H

#include <stdbool.h>

#include <curses.h>

#include "theme.h"

struct theme_applied {
	attr_t attr[THEME_ELEMENT_COUNT]; /* A_* | COLOR_PAIR(n) per element */
	int ncolors;          /* colours used: 0 (none), 8, 16 or 256 */
	int npairs;           /* colour pairs registered */
};

enum theme_color_mode {
	THEME_COLORS_AUTO,    /* use colours when the terminal and env allow */
	THEME_COLORS_NEVER    /* --no-color: attributes only */
};

/* True when colours may be used as far as the user is concerned: mode is
 * AUTO and NO_COLOR is unset or empty.  The terminal's side (TERM=dumb,
 * vt100, ...: no colour capability) is has_colors(), which theme_apply
 * checks, so a headless newterm("xterm-256color") gets colours whatever
 * $TERM says.  Needs no curses. */
bool theme_colors_allowed(enum theme_color_mode mode);

/* Apply `t` to the current screen (curses must be initialised).  Never
 * fails: falls back to fewer colours, then to attributes only. */
void theme_apply(const struct theme *t, enum theme_color_mode mode,
                 struct theme_applied *out);

/* Attributes to draw element `e` with (wattrset(win, theme_attr(a, e))). */
attr_t theme_attr(const struct theme_applied *a, enum theme_element e);

#endif
