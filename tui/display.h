/* display.h - the curses screen: start, stop, geometry, safe text drawing.
 *
 * display_open() starts curses either on the real terminal (initscr-like,
 * through newterm on stdin/stdout) or headless for scripts: newterm() with
 * output to /dev/null and a tmpfile() as input (keys are injected above
 * curses by input.c), then resizeterm() to the requested size.  Either way
 * the theme is applied through theme_curses.h.
 *
 * Every piece of notebook text is drawn through display_text*(), which uses
 * the sanitiser (sanitize.h): control characters and escape sequences are
 * drawn as placeholders in the "preview.placeholder" style and never reach
 * the terminal.
 *
 * display_close() restores the terminal; display_emergency_restore() may be
 * called from a fatal-signal handler or atexit() and is idempotent.
 */
#ifndef CELLTAG_TUI_DISPLAY_H
#define CELLTAG_TUI_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <curses.h>

#include "highlight.h"
#include "status.h"
#include "theme.h"
#include "theme_curses.h"

struct display_opts {
	bool headless;
	int cols, rows;                /* headless size */
	const struct theme *theme;
	enum theme_color_mode color_mode;
	bool mouse;
};

struct display {
	SCREEN *scr;
	FILE *in, *out;
	bool headless, active;
	int rows, cols;
	struct theme_applied ta;
	bool utf8;                     /* locale is UTF-8 */
};

enum ct_status display_open(struct display *d, const struct display_opts *o,
                            struct ct_error *err);
void display_close(struct display *d);
void display_emergency_restore(void);

/* Headless: set a new size (script `:resize`).  Interactive: pick up the
 * terminal's size after KEY_RESIZE. */
void display_resize(struct display *d, int cols, int rows);

attr_t display_attr(const struct display *d, enum theme_element e);

/* Fill `width` columns at (y, x) with blanks in `attr`. */
void display_fill(struct display *d, int y, int x, int width, attr_t attr);

/* Draw untrusted text at (y, x) in at most `width` columns (a line: stops
 * at '\n').  Returns the columns used. */
int display_text(struct display *d, int y, int x, int width,
                 const char *s, size_t len, attr_t attr);

/* Whether the sanitised text takes at most `width` columns; O(width),
 * not O(len). */
bool display_fits(const char *s, size_t len, int width);

/* Same, cut with an ellipsis when it does not fit. */
int display_text_fit(struct display *d, int y, int x, int width,
                     const char *s, size_t len, attr_t attr);

/* Same, but cut in the middle ("assignment:les…exercise-1"), so both the
 * start and the end of a tag stay readable.  Returns the columns used. */
int display_text_mid(struct display *d, int y, int x, int width,
                     const char *s, size_t len, attr_t attr);

/* Draw a line with highlight spans (highlight.h), skipping the first
 * `skip_cols` columns (horizontal scroll is not used: pass 0). */
int display_text_hl(struct display *d, int y, int x, int width,
                    const char *s, size_t len, const struct hl_span *spans,
                    size_t nspans, attr_t base, bool use_spans);

/* Box drawing (Unicode line characters in a UTF-8 locale, else ACS). */
enum display_line { DL_HLINE, DL_VLINE, DL_UL, DL_UR, DL_LL, DL_LR, DL_TTEE };
void display_hline(struct display *d, int y, int x, int n, attr_t attr);
void display_vline(struct display *d, int y, int x, int n, attr_t attr);
void display_corner(struct display *d, int y, int x, enum display_line which,
                    attr_t attr);

/* Same, and bytes inside the ranges marks[2i] .. marks[2i+1] (search
 * matches) are drawn in `mark_attr`. */
int display_text_hl_marked(struct display *d, int y, int x, int width,
                           const char *s, size_t len,
                           const struct hl_span *spans, size_t nspans,
                           attr_t base, bool use_spans, const size_t *marks,
                           size_t nmarks, attr_t mark_attr);

/* One row of a wrapped line: draw `s` (one line, `len` bytes, no '\n')
 * from byte `from` (a cell boundary: 0 or a value this function returned)
 * in at most `width` columns, with highlight spans and search marks whose
 * offsets are relative to `s`.  Returns where the next row starts (`len`
 * when the line is done).  With d == NULL nothing is drawn: the same
 * walk measures how many rows a line takes. */
size_t display_text_row(struct display *d, int y, int x, int width,
                        const char *s, size_t len, size_t from,
                        const struct hl_span *spans, size_t nspans,
                        attr_t base, const size_t *marks, size_t nmarks,
                        attr_t mark_attr);

/* printf into a line (our own text plus names from files: sanitised). */
int display_printf(struct display *d, int y, int x, int width, attr_t attr,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
