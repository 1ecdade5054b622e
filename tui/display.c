/* display.c - curses start/stop and sanitised drawing (display.h). */
#include "display.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* Bytes of one line looked at to draw a row of at most a few hundred
 * columns: a megabyte-long line (minified data in a cell) must cost no
 * more per frame than a short one.  Only text made of a row's worth of
 * escape sequences or zero-width characters needs more, and is then cut
 * short, which is safe. */
#define DISPLAY_SCAN_MAX 65536

/* The one screen to restore on a crash path (set while curses is up). */
static struct display *active_display;

enum ct_status display_open(struct display *d, const struct display_opts *o,
                            struct ct_error *err)
{
	const char *term = getenv("TERM");

	memset(d, 0, sizeof *d);
	d->headless = o->headless;
	d->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!term || !*term)
		term = o->headless ? "xterm-256color" : "dumb";
	if (o->headless) {
		d->out = fopen("/dev/null", "w");
		d->in = tmpfile();
		if (!d->out || !d->in)
			goto fail;
	} else {
		d->out = stdout;
		d->in = stdin;
	}
	d->scr = newterm(term, d->out, d->in);
	if (!d->scr && !o->headless)
		d->scr = newterm("dumb", d->out, d->in);
	if (!d->scr)
		goto fail;
	set_term(d->scr);
	d->active = true;
	active_display = d;
	raw();              /* C-c, C-s, C-z reach us as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(50);
	if (o->headless)
		resizeterm(o->rows, o->cols);
	else
		wtimeout(stdscr, 200);   /* wake up to look at signal flags */
	if (o->mouse && !o->headless)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
		          BUTTON5_PRESSED, NULL);
	{
		struct theme def;
		const struct theme *t = o->theme;
		if (!t) {
			theme_init_default(&def);
			t = &def;
		}
		theme_apply(t, o->color_mode, &d->ta);
	}
	d->rows = LINES;
	d->cols = COLS;
	return CT_OK;
fail:
	if (o->headless) {
		if (d->out) fclose(d->out);
		if (d->in) fclose(d->in);
	}
	d->in = d->out = NULL;
	return ct_error_set(err, CT_IO, NULL, "cannot start the terminal (TERM=%s)",
	                    term);
}

void display_close(struct display *d)
{
	if (!d->active)
		return;
	d->active = false;
	if (active_display == d)
		active_display = NULL;
	endwin();
	delscreen(d->scr);
	d->scr = NULL;
	if (d->headless) {
		fclose(d->out);
		fclose(d->in);
	} else
		fflush(stdout);
}

void display_emergency_restore(void)
{
	if (active_display && active_display->active) {
		active_display->active = false;
		endwin();
	}
}

void display_resize(struct display *d, int cols, int rows)
{
	if (d->headless)
		resizeterm(rows, cols);
	d->rows = LINES;
	d->cols = COLS;
}

attr_t display_attr(const struct display *d, enum theme_element e)
{
	return theme_attr(&d->ta, e);
}

void display_fill(struct display *d, int y, int x, int width, attr_t attr)
{
	(void)d;
	if (width <= 0)
		return;
	wattrset(stdscr, attr);
	mvhline(y, x, ' ', width);
}

static void put_cell(const struct san_cell *c, attr_t attr, attr_t ph)
{
	wattrset(stdscr, (c->flags & SAN_PLACEHOLDER) ? ph : attr);
	waddnstr(stdscr, c->bytes, c->len);
}

int display_text_hl(struct display *d, int y, int x, int width,
                    const char *s, size_t len, const struct hl_span *spans,
                    size_t nspans, attr_t base, bool use_spans)
{
	return display_text_hl_marked(d, y, x, width, s, len, spans, nspans,
	                              base, use_spans, NULL, 0, 0);
}

int display_text_hl_marked(struct display *d, int y, int x, int width,
                           const char *s, size_t len,
                           const struct hl_span *spans, size_t nspans,
                           attr_t base, bool use_spans, const size_t *marks,
                           size_t nmarks, attr_t mark_attr)
{
	size_t m = 0;
	struct san_iter it;
	struct san_cell c;
	int used = 0;
	attr_t ph = display_attr(d, THEME_PREVIEW_PLACEHOLDER);
	const char *nl;

	if (len > DISPLAY_SCAN_MAX)
		len = DISPLAY_SCAN_MAX;
	nl = memchr(s, '\n', len);

	if (nl)
		len = (size_t)(nl - s);
	if (width <= 0)
		return 0;
	wmove(stdscr, y, x);
	san_iter_init(&it, s, len, NULL);
	while (san_next(&it, &c)) {
		attr_t a = base;
		if (used + c.width > width)
			break;
		if (use_spans && nspans) {
			enum hl_class cls = highlight_class_at(spans, nspans, c.src_off);
			if (cls != HL_TEXT)
				a = display_attr(d, theme_element_for_hl(cls));
		}
		while (m < nmarks && marks[2 * m + 1] <= c.src_off)
			m++;
		if (m < nmarks && marks[2 * m] <= c.src_off)
			a = mark_attr;
		put_cell(&c, a, ph);
		used += c.width;
	}
	return used;
}

/* Where the row that starts at `from` ends: before the first cell that
 * does not fit, or after the last blank when that keeps at least half the
 * row (words are not split unless they are longer than that). */
static size_t row_end(const char *s, size_t len, size_t from, int width)
{
	struct san_iter it;
	struct san_cell c;
	size_t after_blank = 0;
	int used = 0;

	san_iter_init(&it, s + from, len - from, NULL);
	while (san_next(&it, &c)) {
		size_t off = from + c.src_off;
		if (used + c.width > width) {
			if (!used)      /* wider than the row: skip, don't loop */
				return off + c.src_len;
			if (c.bytes[0] == ' ' && !(c.flags & SAN_PLACEHOLDER))
				return off + c.src_len;   /* the blank ends the row */
			return after_blank ? after_blank : off;
		}
		used += c.width;
		if (c.bytes[0] == ' ' && !(c.flags & SAN_PLACEHOLDER) &&
		    used * 2 >= width)
			after_blank = off + c.src_len;
	}
	return len;
}

size_t display_text_row(struct display *d, int y, int x, int width,
                        const char *s, size_t len, size_t from,
                        const struct hl_span *spans, size_t nspans,
                        attr_t base, const size_t *marks, size_t nmarks,
                        attr_t mark_attr)
{
	struct san_iter it;
	struct san_cell c;
	size_t m = 0;

	if (from >= len || width <= 0)
		return len;
	size_t stop = row_end(s, len, from, width);
	if (!d)
		return stop;
	attr_t ph = display_attr(d, THEME_PREVIEW_PLACEHOLDER);
	wmove(stdscr, y, x);
	san_iter_init(&it, s + from, stop - from, NULL);
	while (san_next(&it, &c)) {
		size_t off = from + c.src_off;
		attr_t a = base;
		if (c.width > width)
			break;
		if (nspans) {
			enum hl_class cls = highlight_class_at(spans, nspans, off);
			if (cls != HL_TEXT)
				a = display_attr(d, theme_element_for_hl(cls));
		}
		while (m < nmarks && marks[2 * m + 1] <= off)
			m++;
		if (m < nmarks && marks[2 * m] <= off)
			a = mark_attr;
		put_cell(&c, a, ph);
	}
	return stop;
}

int display_text(struct display *d, int y, int x, int width,
                 const char *s, size_t len, attr_t attr)
{
	return display_text_hl(d, y, x, width, s, len, NULL, 0, attr, false);
}

bool display_fits(const char *s, size_t len, int width)
{
	struct san_iter it;
	struct san_cell c;
	int used = 0;

	/* Stops at the first column past `width`: a megabyte-long line costs
	 * no more than a short one. */
	bool capped = len > DISPLAY_SCAN_MAX;
	if (capped)
		len = DISPLAY_SCAN_MAX;
	san_iter_init(&it, s, len, NULL);
	while (san_next(&it, &c))
		if ((used += c.width) > width)
			return false;
	return !capped;      /* there is more than was looked at */
}

/* The part of s a one-line field shows: up to the first line break, and
 * no more than DISPLAY_SCAN_MAX bytes. */
static size_t first_line(const char *s, size_t len)
{
	if (len > DISPLAY_SCAN_MAX)
		len = DISPLAY_SCAN_MAX;
	const char *nl = memchr(s, '\n', len);
	return nl ? (size_t)(nl - s) : len;
}

/* The cut marker at (y, x): one column. */
static void put_marker(const struct display *d, int y, int x, attr_t attr)
{
	wattrset(stdscr, attr);
	mvwaddstr(stdscr, y, x, d->utf8 ? "\xe2\x80\xa6" : "~");
}

int display_text_fit(struct display *d, int y, int x, int width,
                     const char *s, size_t len, attr_t attr)
{
	len = first_line(s, len);
	if (width <= 0)
		return 0;
	if (display_fits(s, len, width))
		return display_text(d, y, x, width, s, len, attr);
	/* Cut one column short and add the marker. */
	int used = display_text(d, y, x, width - 1, s, len, attr);
	put_marker(d, y, x + used, attr);
	return used + 1;
}

/* Longer input is cut at the end: walking it twice to find the middle
 * would cost O(len) per row for a hostile megabyte-long tag. */
#define MID_MAX_BYTES 4096

int display_text_mid(struct display *d, int y, int x, int width,
                     const char *s, size_t len, attr_t attr)
{
	struct san_iter it;
	struct san_cell c;

	len = first_line(s, len);
	if (width <= 0)
		return 0;
	if (display_fits(s, len, width))
		return display_text(d, y, x, width, s, len, attr);
	if (width < 5 || len > MID_MAX_BYTES)
		return display_text_fit(d, y, x, width, s, len, attr);
	int total = sanitize_width(s, len);
	/* Keep the head and the tail; the tail gets the smaller half. */
	int tail_cols = (width - 1) / 2, acc = 0;
	size_t tail_off = len;
	san_iter_init(&it, s, len, NULL);
	while (san_next(&it, &c)) {
		if (total - acc <= tail_cols) {
			tail_off = c.src_off;
			break;
		}
		acc += c.width;
	}
	int used = display_text(d, y, x, width - 1 - tail_cols, s, len, attr);
	put_marker(d, y, x + used, attr);
	used++;
	used += display_text(d, y, x + used, width - used, s + tail_off,
	                     len - tail_off, attr);
	return used;
}

int display_printf(struct display *d, int y, int x, int width, attr_t attr,
                   const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return display_text_fit(d, y, x, width, buf, strlen(buf), attr);
}

void display_hline(struct display *d, int y, int x, int n, attr_t attr)
{
	wattrset(stdscr, attr);
	if (d->utf8)
		mvhline_set(y, x, WACS_HLINE, n);
	else
		mvhline(y, x, '-', n);
}

void display_vline(struct display *d, int y, int x, int n, attr_t attr)
{
	wattrset(stdscr, attr);
	if (d->utf8)
		mvvline_set(y, x, WACS_VLINE, n);
	else
		mvvline(y, x, '|', n);
}

void display_corner(struct display *d, int y, int x, enum display_line which,
                    attr_t attr)
{
	wattrset(stdscr, attr);
	if (!d->utf8) {
		mvaddch(y, x, '+');
		return;
	}
	const cchar_t *c = which == DL_UL ? WACS_ULCORNER : which == DL_UR
	                 ? WACS_URCORNER : which == DL_LL ? WACS_LLCORNER
	                 : which == DL_TTEE ? WACS_TTEE : WACS_LRCORNER;
	mvadd_wch(y, x, c);
}
