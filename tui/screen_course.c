/* screen_course.c - the course screen: one row per notebook. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"

/* A notebook's path in `width` columns: whole when it fits, else the
 * file name whole after as much of the folder as fits ("less…/03 Loops
 * .ipynb"), else the file name cut in the middle. */
static int draw_path(struct display *d, int y, int x, int width,
                     const char *path, attr_t attr)
{
	size_t len = strlen(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);

	if (sanitize_width(path, len) <= width)
		return display_text(d, y, x, width, path, len, attr);
	int bw = sanitize_width(base, blen);
	if (!slash || bw + 3 > width)
		return display_text_mid(d, y, x, width, base, blen, attr);
	int used = display_text(d, y, x, width - bw - 2, path,
	                        (size_t)(base - path), attr);
	wattrset(stdscr, attr);
	mvwaddstr(stdscr, y, x + used, d->utf8 ? "\xe2\x80\xa6/" : "~/");
	used += 2;
	return used + display_text(d, y, x + used, width - used, base, blen, attr);
}

/* Coverage column: 3 blanks, a bar of COVBAR cells, a blank, "100%". */
#define COVBAR 8
#define COVW (3 + COVBAR + 5)

/* The bar and percentage of tagged exercises; "-" when there are none.
 * `cursor` is the cursor row's attribute (0 elsewhere): the bar is then
 * drawn in it (full and shaded blocks still differ without colour). */
static void draw_coverage(struct display *d, int y, int x, size_t tagged,
                          size_t total, attr_t cursor, attr_t row)
{
	char pct[16];
	attr_t ok = cursor ? cursor : display_attr(d, THEME_COURSE_OK);
	attr_t rest = cursor ? cursor : display_attr(d, THEME_BORDER);

	if (total == 0) {
		display_text(d, y, x + COVBAR + 1, 4, "   -", 4, row);
		return;
	}
	if (tagged > total)
		tagged = total;
	int full = (int)((tagged * COVBAR + total / 2) / total);
	if (full == COVBAR && tagged < total)
		full = COVBAR - 1;          /* never show "done" when it is not */
	if (full == 0 && tagged > 0)
		full = 1;
	for (int i = 0; i < COVBAR; i++) {
		wattrset(stdscr, i < full ? ok : rest);
		if (d->utf8)
			mvaddstr(y, x + i, i < full ? "\xe2\x96\x88" : "\xe2\x96\x91");
		else
			mvaddch(y, x + i, i < full ? '#' : '.');
	}
	/* nearest percent (2 of 3 is 67%), but 100% only when all are tagged */
	size_t percent = (tagged * 100 + total / 2) / total;
	if (percent == 100 && tagged < total)
		percent = 99;
	snprintf(pct, sizeof pct, "%3zu%%", percent);
	display_text(d, y, x + COVBAR + 1, 4, pct, strlen(pct), row);
}

static void course_draw(struct app *app, struct display *d)
{
	int h = d->rows - 2, w = d->cols;
	int numw = 8 * 5 + 1;            /* five columns of 8 */
	int namew = w - numw - 1;
	attr_t hdr = display_attr(d, THEME_COURSE_HEADER);
	char buf[128];

	if (h < 2)
		return;
	if (namew < 10) {                /* narrow: fewer columns */
		numw = 8 * 2 + 1;
		namew = w - numw - 1;
	}
	bool narrow = numw < 40;
	/* Wide screens get a coverage bar: tagged / exercises at a glance. */
	bool bar = !narrow && w >= 100;
	if (bar) {
		numw += COVW;
		namew -= COVW;
	}
	app_layout(app, h - 1, 0);
	display_fill(d, 0, 0, w, hdr);
	display_text(d, 0, 1, namew, "Notebook", 8, hdr);
	if (narrow)
		snprintf(buf, sizeof buf, "%8s%8s", "Exerc.", "Untag.");
	else
		snprintf(buf, sizeof buf, "%8s%8s%8s%8s%8s%s", "Cells", "Exerc.",
		         "Tagged", "Untag.", "Lint", bar ? "   Coverage" : "");
	display_text(d, 0, w - numw, numw, buf, strlen(buf), hdr);

	for (int r = 0; r < h - 1; r++) {
		size_t i = app->course_top + (size_t)r;
		int y = r + 1;
		attr_t row = display_attr(d, THEME_COURSE_ROW);
		if (i >= app->ndocs) {
			display_fill(d, y, 0, w, row);
			continue;
		}
		struct app_doc *doc = &app->docs[i];
		bool cur = i == app->course_sel;
		if (cur)
			row = display_attr(d, THEME_COURSE_CURSOR);
		display_fill(d, y, 0, w, row);
		wattrset(stdscr, cur ? row : display_attr(d, THEME_BADGE_MODIFIED));
		mvaddch(y, 0, app_doc_dirty(doc) ? '+' : ' ');
		const char *name = app_doc_course_name(doc);
		int used = draw_path(d, y, 1, namew, name, row);
		if (!doc->nb) {
			/* The reason gets all the room the numbers would take. */
			int ex = 1 + used + 2;
			const char *why = app_doc_load_reason(doc);
			unsigned long ln, col;
			int n = 0;
			/* "12:10: invalid UTF-8" reads better as
			 * "invalid UTF-8 (line 12, column 10)". */
			if (sscanf(why, "%lu:%lu: %n", &ln, &col, &n) == 2 && n > 0)
				display_printf(d, y, ex, w - ex,
				               cur ? row : display_attr(d, THEME_COURSE_BAD),
				               "error: %s (line %lu, column %lu)", why + n,
				               ln, col);
			else
				display_printf(d, y, ex, w - ex,
				               cur ? row : display_attr(d, THEME_COURSE_BAD),
				               "error: %s", why);
			continue;
		}
		size_t vals[5] = { doc->nb->ncells, doc->n_exercise, doc->n_tagged,
		                   doc->n_untagged, doc->n_lint };
		int x = w - numw;
		for (int k = 0; k < 5; k++) {
			if (narrow && k != 1 && k != 3)
				continue;
			enum theme_element e = THEME_COURSE_ROW;
			if (k == 3)
				e = vals[3] ? THEME_COURSE_WARN
				            : vals[1] ? THEME_COURSE_OK : THEME_COURSE_ROW;
			if (k == 4 && vals[4])
				e = THEME_COURSE_BAD;
			snprintf(buf, sizeof buf, "%8zu", vals[k]);
			display_text(d, y, x, 8, buf, strlen(buf),
			             cur ? row : display_attr(d, e));
			x += 8;
		}
		if (bar)
			draw_coverage(d, y, x + 3, doc->n_tagged, doc->n_exercise,
			              cur ? row : 0, row);
	}
}

static bool course_handle(struct app *app, struct display *d,
                          const struct input_event *ev)
{
	if (ev->kind != INPUT_MOUSE)
		return false;
	if (ev->mouse == MOUSE_CLICK && ev->y >= 1 && ev->y < d->rows - 2) {
		size_t i = app->course_top + (size_t)(ev->y - 1);
		if (i < app->ndocs)
			app->course_sel = i;
		return true;
	}
	if (ev->mouse != MOUSE_CLICK) {
		app_action(app, ev->mouse == MOUSE_WHEEL_UP ? ACTION_CELL_PREV
		                                            : ACTION_CELL_NEXT);
		return true;
	}
	return false;
}

const struct screen_ops screen_course_ops = {
	.name = "course",
	.draw = course_draw,
	.handle = course_handle,
	.done = NULL,
};
