/* screen_notebook.c - the notebook screen: cell list and preview. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "highlight.h"
#include "sanitize.h"

struct nb_layout {
	bool list, preview, side, header;
	int list_y, list_x, list_w, list_h;
	int title_y, title_x, title_w;    /* preview title bar */
	int pv_y, pv_x, pv_w, pv_h;
};

/* Side by side when wide, stacked when tall enough, else one pane (the
 * list, or the preview while it has the focus).  The list has a title bar
 * (cell count, filter) on its first row unless the screen is tiny. */
static void layout_compute(const struct app *app, const struct display *d,
                           struct nb_layout *l)
{
	int h = d->rows - 2, w = d->cols;

	memset(l, 0, sizeof *l);
	if (h < 1)
		h = 1;
	if (w >= 110 && h >= 6) {
		l->list = l->preview = l->side = l->header = true;
		l->list_w = w * 55 / 100;   /* tags and first lines need it more */
		l->list_y = 1;
		l->list_h = h - 1;
		l->title_y = 0;
		l->title_x = l->list_w + 1;
		l->title_w = w - l->list_w - 1;
		l->pv_y = 1;
		l->pv_x = l->title_x;
		l->pv_w = l->title_w;
		l->pv_h = h - 1;
	} else if (h >= 14) {
		l->list = l->preview = l->header = true;
		l->list_w = w;
		l->list_y = 1;
		l->list_h = (h - 2) / 2;
		l->title_y = l->list_y + l->list_h;
		l->title_w = w;
		l->pv_y = l->title_y + 1;
		l->pv_w = w;
		l->pv_h = h - l->pv_y;
	} else if (app->focus == APP_FOCUS_PREVIEW) {
		l->preview = true;
		l->title_w = w;
		l->pv_y = 1;
		l->pv_w = w;
		l->pv_h = h - 1;
	} else {
		l->list = true;
		l->header = h >= 8;
		l->list_y = l->header;
		l->list_w = w;
		l->list_h = h - l->list_y;
	}
}

static int digits(size_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Bytes of a line worth searching for matches to mark in a row of
 * `width` columns: enough for any realistic text (UTF-8, tabs, a few
 * placeholders), so that marking costs O(width), not O(line). */
static size_t mark_span(size_t len, int width)
{
	size_t cap = (size_t)(width > 0 ? width : 1) * 8 + 64;
	return len < cap ? len : cap;
}

/* The first line of a cell, search matches highlighted, cut with an
 * ellipsis when it does not fit. */
static void draw_first_line(struct app *app, struct display *d, int y, int x,
                            int width, const char *s, size_t len, attr_t base)
{
	size_t marks[64];
	size_t nm = app_search_marks(app, s, mark_span(len, width), marks, 32);

	if (nm == 0) {
		display_text_fit(d, y, x, width, s, len, base);
		return;
	}
	bool cut = !display_fits(s, len, width);
	int used = display_text_hl_marked(d, y, x, cut ? width - 1 : width, s,
	                                  len, NULL, 0, base, false, marks, nm,
	                                  display_attr(d, THEME_LIST_MATCH));
	if (cut) {
		wattrset(stdscr, base);
		mvwaddstr(stdscr, y, x + used, d->utf8 ? "\xe2\x80\xa6" : "~");
	}
}

static void draw_row(struct app *app, struct display *d, struct app_doc *doc,
                     size_t row, int y, const struct nb_layout *l)
{
	size_t ci = doc->rows[row];
	const struct nb_cell *c = &doc->nb->cells[ci];
	bool cursor = row == doc->sel;
	bool untagged = app_cell_is_exercise(doc, ci) && !app_cell_is_tagged(doc, ci);
	/* While a preview shows, the index column is as wide as the whole
	 * notebook's will be (estimated), so the list does not shift later. */
	size_t ncells = app->loading && app->loading_cells > doc->nb->ncells
	                ? app->loading_cells : doc->nb->ncells;
	int iw = digits(ncells ? ncells - 1 : 0);
	int x = l->list_x, end = l->list_x + l->list_w;
	attr_t base;
	char buf[64];

	if (iw < 2)
		iw = 2;
	if (iw > 20)            /* a size_t has at most 20 digits */
		iw = 20;
	if (cursor)
		base = display_attr(d, THEME_LIST_CURSOR);
	else if (untagged)
		base = display_attr(d, THEME_LIST_UNTAGGED);
	else if (c->kind == NB_MARKDOWN)
		base = display_attr(d, THEME_LIST_MARKDOWN);
	else if (c->kind == NB_RAW || c->kind == NB_OTHER)
		base = display_attr(d, THEME_LIST_RAW);
	else
		base = display_attr(d, THEME_LIST_NORMAL);
	display_fill(d, y, x, l->list_w, base);

	/* Marker column: '!' for an untagged exercise (visible without colour). */
	wattrset(stdscr, untagged ? display_attr(d, THEME_LIST_UNTAGGED_MARKER) : base);
	mvaddch(y, x, untagged ? '!' : ' ');
	x++;
	snprintf(buf, sizeof buf, "%*zu ", iw, ci);
	x += display_text(d, y, x, end - x, buf, strlen(buf), base);

	const char *badge = c->kind == NB_CODE ? "code" : c->kind == NB_MARKDOWN
	                  ? "md  " : "raw ";
	enum theme_element be = c->kind == NB_CODE ? THEME_LIST_BADGE_CODE
	                      : c->kind == NB_MARKDOWN ? THEME_LIST_BADGE_MARKDOWN
	                      : THEME_LIST_BADGE_RAW;
	x += display_text(d, y, x, end - x, badge, 4, cursor ? base : display_attr(d, be));

	if (c->kind == NB_CODE) {
		char n[32];
		if (c->execution_count >= 0)
			snprintf(n, sizeof n, "[%ld]", (long)c->execution_count);
		else
			snprintf(n, sizeof n, "[ ]");
		snprintf(buf, sizeof buf, " %5s ", n);
		x += display_text(d, y, x, end - x, buf, strlen(buf),
		                  cursor ? base : display_attr(d, THEME_LIST_EXEC_COUNT));
	} else
		x += display_text(d, y, x, end - x, "       ", 7, base);

	/* Tag chips, each cut to half the row at most. */
	int chipmax = l->list_w / 2 > 12 ? l->list_w / 2 : 12;
	for (size_t t = 0; t < c->ntags && x < end - 4; t++) {
		const char *tag = c->tags[t];
		attr_t ca = cursor ? base : display_attr(d,
		        app_is_assignment_tag(app, tag) ? THEME_LIST_ASSIGNMENT_TAG
		                                        : THEME_LIST_TAG);
		int room = end - x - 2;
		if (room > chipmax)
			room = chipmax;
		wattrset(stdscr, ca);
		mvaddch(y, x, '<');
		x++;
		x += display_text_mid(d, y, x, room, tag, strlen(tag), ca);
		wattrset(stdscr, ca);
		mvaddch(y, x, '>');
		x += 2;
	}
	size_t flen;
	const char *first = app_first_line(doc, ci, &flen);
	if (x < end)
		draw_first_line(app, d, y, x, end - x, first, flen, base);
}

/* The list's title bar: how many cells, and the filter when one is on
 * (drawn reversed: a filter hides cells, the user must not miss it). */
static void draw_list_title(struct app *app, struct display *d, struct app_doc *doc,
                            const struct nb_layout *l)
{
	attr_t border = display_attr(d, THEME_BORDER);
	attr_t title = display_attr(d, THEME_TITLE);
	int y = l->list_y - 1, x = l->list_x + 1, end = l->list_x + l->list_w;
	size_t n = doc->nb->ncells;
	char buf[128];

	display_fill(d, y, l->list_x, l->list_w, border);
	display_hline(d, y, l->list_x, l->list_w, border);
	if (doc->filter != APP_FILTER_ALL) {
		snprintf(buf, sizeof buf, " filter: %s ", app_filter_name(doc->filter));
		x += display_text_fit(d, y, x, end - x, buf, strlen(buf),
		                      title | A_REVERSE);
		snprintf(buf, sizeof buf, " %zu of %zu cell%s ", doc->nrows, n,
		         n == 1 ? "" : "s");
	} else if (app->loading)
		snprintf(buf, sizeof buf, " %zu cells so far ", n);
	else
		snprintf(buf, sizeof buf, " %zu cell%s ", n, n == 1 ? "" : "s");
	if (x < end)
		display_text_fit(d, y, x, end - x, buf, strlen(buf), title);
}

static void draw_list(struct app *app, struct display *d, struct app_doc *doc,
                      const struct nb_layout *l)
{
	if (l->header)
		draw_list_title(app, d, doc, l);
	for (int r = 0; r < l->list_h; r++) {
		size_t row = doc->top + (size_t)r;
		if (row < doc->nrows)
			draw_row(app, d, doc, row, l->list_y + r, l);
		else
			display_fill(d, l->list_y + r, l->list_x, l->list_w,
			             display_attr(d, THEME_LIST_NORMAL));
	}
	if (doc->nb->ncells == 0)
		display_printf(d, l->list_y, l->list_x + 1, l->list_w - 1,
		               display_attr(d, THEME_LIST_NORMAL),
		               "(this notebook has no cells)");
	else if (doc->nrows == 0)
		display_printf(d, l->list_y, l->list_x + 1, l->list_w - 1,
		               display_attr(d, THEME_LIST_NORMAL),
		               "(no cells match the filter \"%s\"; f changes it)",
		               app_filter_name(doc->filter));
}

/* Where the continuation rows of a wrapped line start: under its
 * indentation, and two columns further in code (so that they do not read
 * as lines of their own); at most half the row. */
static int wrap_indent(const struct nb_cell *c, const char *s, size_t len,
                       int width)
{
	int in = 0;
	for (size_t i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		in += s[i] == '\t' ? SAN_TAB_DEFAULT - in % SAN_TAB_DEFAULT : 1;
	if (c->kind == NB_CODE)
		in += 2;
	return in < width / 2 ? in : width / 2;
}

/* Rows the selected cell takes once wrapped at `width` columns, for the
 * preview's scroll limit.  O(source) but cached: recomputed only when
 * another cell is shown or the width changes, not on every key. */
static size_t preview_total_rows(const struct nb_cell *c, int width)
{
	static struct {
		const char *src;
		size_t len, rows;
		int width;
	} cache;

	if (cache.src == c->source && cache.len == c->source_len &&
	    cache.width == width)
		return cache.rows;
	size_t rows = 0;
	const char *s = c->source, *end = s + c->source_len;
	for (;;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s), off = 0;
		int in = -1;
		do {
			if (off && in < 0)
				in = wrap_indent(c, s, len, width);
			off = display_text_row(NULL, 0, 0, off ? width - in : width, s,
			                       len, off, NULL, 0, 0, NULL, 0, 0);
			rows++;
		} while (off < len);
		if (!nl || nl + 1 == end)
			break;
		s = nl + 1;
	}
	cache.src = c->source;
	cache.len = c->source_len;
	cache.width = width;
	cache.rows = rows;
	return rows;
}

static void draw_preview(struct app *app, struct display *d,
                         struct app_doc *doc, const struct nb_layout *l)
{
	attr_t border = display_attr(d, THEME_BORDER);
	attr_t title = display_attr(d, THEME_TITLE);
	attr_t text = display_attr(d, THEME_PREVIEW_TEXT);
	size_t ci = app_selected_index(app);
	char buf[256];

	/* Title bar. */
	display_fill(d, l->title_y, l->title_x, l->title_w, border);
	display_hline(d, l->title_y, l->title_x, l->title_w, border);
	if (ci != SIZE_MAX) {
		const struct nb_cell *c = &doc->nb->cells[ci];
		int n = snprintf(buf, sizeof buf, " cell %zu %s", ci, c->cell_type);
		if (c->kind == NB_CODE && c->execution_count >= 0)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " [%ld]",
			              (long)c->execution_count);
		size_t lines = app_cell_lines(doc, ci);
		snprintf(buf + n, sizeof buf - (size_t)n, " %zu line%s%s ", lines,
		         lines == 1 ? "" : "s",
		         app->focus == APP_FOCUS_PREVIEW ? " (focus)" : "");
		int x = l->title_x + 1, end = l->title_x + l->title_w;
		/* Reversed while the preview has the keys, like an active pane. */
		x += display_text_fit(d, l->title_y, x, end - x, buf, strlen(buf),
		                      app->focus == APP_FOCUS_PREVIEW
		                      ? title | A_REVERSE : title);
		/* Why an untagged cell counts as an exercise, so that the '!'
		 * explains itself ("placeholder 'YOUR CODE HERE'"). */
		char reason[140];
		if (app_cell_is_exercise(doc, ci) && !app_cell_is_tagged(doc, ci) && x < end - 6 &&
		    app_cell_why(app, doc, ci, reason, sizeof reason)) {
			char why[200];
			snprintf(why, sizeof why, "! untagged exercise: %s", reason);
			/* the reason's name, not the pattern: "stub body" */
			size_t name = strlen("! untagged exercise: ") +
			              strlen(detect_reason_name((enum detect_reason)doc->info[ci].reason));
			for (char *p = why; *p && p < why + name; p++)
				if (*p == '-')
					*p = ' ';
			x += display_text_fit(d, l->title_y, x, end - x - 1, why,
			                      strlen(why), display_attr(d,
			                      THEME_LIST_UNTAGGED_MARKER));
			wattrset(stdscr, border);
			mvaddch(l->title_y, x, ' ');
			x++;
		}
		/* The cell's tags in full: the list may have cut them. */
		for (size_t t = 0; t < c->ntags && x < end - 6; t++) {
			const char *tag = c->tags[t];
			attr_t ca = display_attr(d, app_is_assignment_tag(app, tag)
			                            ? THEME_LIST_ASSIGNMENT_TAG
			                            : THEME_LIST_TAG);
			wattrset(stdscr, ca);
			mvaddch(l->title_y, x, '<');
			x++;
			x += display_text_mid(d, l->title_y, x, end - x - 2, tag,
			                      strlen(tag), ca);
			wattrset(stdscr, ca);
			mvaddch(l->title_y, x, '>');
			wattrset(stdscr, border);
			mvaddch(l->title_y, x + 1, ' ');
			x += 2;
		}
	}
	for (int r = 0; r < l->pv_h; r++)
		display_fill(d, l->pv_y + r, l->pv_x, l->pv_w, text);
	if (l->side) {
		display_vline(d, l->pv_y, l->list_w, l->pv_h, border);
		display_corner(d, 0, l->list_w, DL_TTEE, border);
	}
	if (ci == SIZE_MAX)
		return;

	const struct nb_cell *c = &doc->nb->cells[ci];
	enum hl_lang lang = highlight_lang_for(c->cell_type);
	size_t nlines = app_cell_lines(doc, ci);
	int gw = digits(nlines) + 1;
	hl_state st = HL_STATE_INIT;
	struct hl_span spans[128];
	const char *s = c->source, *end = s + c->source_len;
	attr_t lnattr = display_attr(d, THEME_PREVIEW_LINE_NUMBER);
	attr_t match = display_attr(d, THEME_PREVIEW_MATCH);
	size_t top = doc->pscroll, bottom = top + (size_t)l->pv_h, row = 0;

	if (l->pv_w < gw + 8)
		gw = 0;
	int tw = l->pv_w - gw;
	/* The scroll limit matters once the preview has the focus; measuring
	 * a huge cell on every move through the list would not be free. */
	if (app->focus == APP_FOCUS_PREVIEW) {
		app->preview_total = preview_total_rows(c, tw);
		app->preview_total_cell = ci;
	} else
		app->preview_total_cell = SIZE_MAX;
	/* Long lines wrap (a Markdown paragraph is one line).  Rows above the
	 * scroll position are measured, not drawn, and feed the highlighter. */
	for (size_t line = 0; s <= end && row < bottom; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		/* Colours past the first 64 KiB of a line are not worth
		 * scanning megabytes per frame (the state after such a line may
		 * be off; the text is not). */
		size_t ns = highlight_line(lang, s, len < 65536 ? len : 65536, &st,
		                           spans, 128);
		size_t marks[64], nm = 0, off = 0;
		int in = -1;
		do {
			if (off && in < 0)
				in = wrap_indent(c, s, len, tw);
			int rx = l->pv_x + gw + (off ? in : 0), rw = off ? tw - in : tw;
			if (row >= top && row < bottom) {
				int y = l->pv_y + (int)(row - top);
				/* Marks of this row only (offsets back relative to s). */
				nm = app_search_marks(app, s + off, mark_span(len - off, rw),
				                      marks, 32);
				for (size_t k = 0; k < 2 * nm; k++)
					marks[k] += off;
				if (gw && off == 0) {
					snprintf(buf, sizeof buf, "%*zu ", gw > 20 ? 19 : gw - 1,
					         line + 1);
					display_text(d, y, l->pv_x, gw, buf, strlen(buf), lnattr);
				}
				off = display_text_row(d, y, rx, rw, s, len, off, spans, ns,
				                       text, marks, nm, match);
			} else
				off = display_text_row(NULL, 0, 0, rw, s, len, off, NULL, 0,
				                       0, NULL, 0, 0);
			row++;
		} while (off < len && row < bottom);
		if (!nl)
			break;
		s = nl + 1;
		if (s == end)
			break;
	}
}

static void notebook_draw(struct app *app, struct display *d)
{
	struct app_doc *doc = app_doc(app);
	struct nb_layout l;

	layout_compute(app, d, &l);
	app_layout(app, l.list ? l.list_h : (l.pv_h > 0 ? l.pv_h : 1),
	           l.preview ? l.pv_h : 0);
	if (l.list)
		draw_list(app, d, doc, &l);
	if (l.preview)
		draw_preview(app, d, doc, &l);
}

static bool notebook_handle(struct app *app, struct display *d,
                            const struct input_event *ev)
{
	struct app_doc *doc = app_doc(app);
	struct nb_layout l;

	if (ev->kind != INPUT_MOUSE || !doc || !doc->nb)
		return false;
	layout_compute(app, d, &l);
	bool in_list = l.list && ev->y >= l.list_y && ev->y < l.list_y + l.list_h &&
	               ev->x >= l.list_x && ev->x < l.list_x + l.list_w;
	bool in_pv = l.preview && ev->y >= l.pv_y && ev->y < l.pv_y + l.pv_h &&
	             ev->x >= l.pv_x && ev->x < l.pv_x + l.pv_w;
	switch (ev->mouse) {
	case MOUSE_CLICK:
		if (in_list)
			app_select_row(app, doc->top + (size_t)(ev->y - l.list_y));
		else if (in_pv)
			app->focus = APP_FOCUS_PREVIEW;
		return in_list || in_pv;
	case MOUSE_WHEEL_UP:
	case MOUSE_WHEEL_DOWN:
		app_scroll(app, in_pv, ev->mouse == MOUSE_WHEEL_UP ? -3 : 3);
		return true;
	}
	return false;
}

const struct screen_ops screen_notebook_ops = {
	.name = "notebook",
	.draw = notebook_draw,
	.handle = notebook_handle,
	.done = NULL,
};
