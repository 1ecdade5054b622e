/* screen_prompt.c - the frame around the screens: status line, message
 * line, the prompt's line editor and dialogs. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"

const struct screen_ops *screen_for(enum app_screen s)
{
	switch (s) {
	case APP_SCREEN_COURSE: return &screen_course_ops;
	case APP_SCREEN_HELP:   return &screen_help_ops;
	default:                return &screen_notebook_ops;
	}
}

void screen_draw_status(struct app *app, struct display *d)
{
	int y = d->rows - 2, w = d->cols, x = 0;
	attr_t bar = display_attr(d, THEME_STATUS_BAR);
	char buf[512];

	if (y < 0)
		return;
	display_fill(d, y, 0, w, bar);
	if (app->prompt.kind != APP_PROMPT_NONE && app->prompt.error[0]) {
		display_printf(d, y, 0, w, display_attr(d, THEME_PROMPT_ERROR), " %s",
		               app->prompt.error);
		return;
	}
	if (app->screen == APP_SCREEN_HELP) {
		size_t last = app->help_top + (size_t)app->page_rows;
		if (last > app->help_lines)
			last = app->help_lines;
		display_printf(d, y, 0, w, bar,
		               " Help  lines %zu-%zu of %zu  (j/k scroll, q or Esc "
		               "closes)", app->help_top + 1, last, app->help_lines);
		return;
	}
	if (app->screen == APP_SCREEN_COURSE) {
		size_t ex = 0, tg = 0, un = 0, lint = 0, dirty = 0;
		for (size_t i = 0; i < app->ndocs; i++) {
			ex += app->docs[i].n_exercise;
			tg += app->docs[i].n_tagged;
			un += app->docs[i].n_untagged;
			lint += app->docs[i].n_lint;
			dirty += app_doc_dirty(&app->docs[i]);
		}
		char right[64];
		snprintf(right, sizeof right, " %zu/%zu ", app->course_sel + 1,
		         app->ndocs);
		int rw = (int)strlen(right);
		x += display_text(d, y, x, w - x, " ", 1, bar);
		if (app->course_root) {
			snprintf(buf, sizeof buf, "%s/", app->course_root);
			x += display_text_fit(d, y, x, w - x > 30 ? 30 : w - x, buf,
			                      strlen(buf),
			                      display_attr(d, THEME_STATUS_FILE));
			x += display_text(d, y, x, w - x, "  ", 2, bar);
		}
		if (app->force_readonly && w - x - rw > 5) {
			x += display_text(d, y, x, w - x, "[RO]", 4,
			                  display_attr(d, THEME_BADGE_READONLY));
			x += display_text(d, y, x, w - x, "  ", 2, bar);
		}
		if (dirty && w - x - rw > 4) {
			snprintf(buf, sizeof buf, "[%zu unsaved]", dirty);
			x += display_text_fit(d, y, x, w - x - rw, buf, strlen(buf),
			                      display_attr(d, THEME_BADGE_MODIFIED) |
			                      A_REVERSE);
			x += display_text(d, y, x, w - x, "  ", 2, bar);
		}
		snprintf(buf, sizeof buf,
		         "%zu notebook%s, %zu exercise%s: %zu tagged, %zu untagged; "
		         "%zu lint error%s", app->ndocs, app->ndocs == 1 ? "" : "s",
		         ex, ex == 1 ? "" : "s", tg, un, lint, lint == 1 ? "" : "s");
		if (w - x - rw > 0)
			x += display_text_fit(d, y, x, w - x - rw, buf, strlen(buf), bar);
		if (w - rw > 0)
			display_text(d, y, w - rw, rw, right, strlen(right), bar);
		return;
	}
	struct app_doc *doc = app_doc(app);
	if (!doc || !doc->nb)
		return;
	x += display_text(d, y, x, w - x, " ", 1, bar);
	const char *name = app_doc_name(doc);
	x += display_text_fit(d, y, x, w - x > 30 ? 30 : w - x, name, strlen(name),
	                      display_attr(d, THEME_STATUS_FILE));
	if (app_doc_dirty(doc) && x + 4 <= w) {
		x += display_text(d, y, x, w - x, " ", 1, bar);
		x += display_text(d, y, x, w - x, "[+]", 3,
		                  display_attr(d, THEME_BADGE_MODIFIED) | A_REVERSE);
	}
	if (doc->readonly && x + 5 <= w) {
		x += display_text(d, y, x, w - x, " ", 1, bar);
		x += display_text(d, y, x, w - x, "[RO]", 4,
		                  display_attr(d, THEME_BADGE_READONLY));
	}
	/* The filter hides cells: it comes before the counts, which are
	 * cut first when the line is short. */
	if (doc->filter != APP_FILTER_ALL && x + 4 <= w) {
		static const char *const short_names[APP_FILTER_COUNT] = {
			"all", "exercises", "untagged", "tagged" };
		x += display_text(d, y, x, w - x, " ", 1, bar);
		snprintf(buf, sizeof buf, "[%s]", short_names[doc->filter]);
		x += display_text_fit(d, y, x, w - x, buf, strlen(buf),
		                      display_attr(d, THEME_STATUS_FILE));
	}
	if (app->loading) {
		/* A preview (tui.c): the counts are not known yet. */
		snprintf(buf, sizeof buf, "  first %zu cells; reading the rest...",
		         doc->nb->ncells);
		if (x < w)
			display_text_fit(d, y, x, w - x, buf, strlen(buf), bar);
		return;
	}
	size_t ci = app_selected_index(app);
	char right[64];
	if (ci != SIZE_MAX)
		snprintf(right, sizeof right, " %zu/%zu ", ci + 1, doc->nb->ncells);
	else
		snprintf(right, sizeof right, " -/%zu ", doc->nb->ncells);
	int rw = (int)strlen(right);
	int room = w - x - rw;
	/* Longest form that fits: the tagged/exercise ratio is what matters. */
	for (int form = 0; form < 3; form++) {
		size_t ex = doc->n_exercise, tg = doc->n_tagged, un = doc->n_untagged;
		if (form == 0)
			snprintf(buf, sizeof buf, "  %zu exercise%s: %zu tagged, "
			         "%zu untagged", ex, ex == 1 ? "" : "s", tg, un);
		else if (form == 1)
			snprintf(buf, sizeof buf, "  %zu/%zu tagged, %zu untagged",
			         tg, ex, un);
		else
			snprintf(buf, sizeof buf, " %zu/%zu tagged", tg, ex);
		if ((int)strlen(buf) <= room)
			break;
	}
	if (room > 0)
		display_text_fit(d, y, x, room, buf, strlen(buf), bar);
	if (w - rw > x)
		display_text(d, y, w - rw, rw, right, strlen(right), bar);
}

/* The prompt: label, then the text scrolled so the cursor stays visible;
 * the character under the cursor is drawn in the cursor style. */
static void draw_prompt(struct app *app, struct display *d, int y)
{
	const struct app_prompt *p = &app->prompt;
	attr_t la = display_attr(d, THEME_PROMPT_LABEL);
	attr_t ta = display_attr(d, THEME_PROMPT_TEXT);
	attr_t ca = display_attr(d, THEME_PROMPT_CURSOR);
	int w = d->cols;
	int x = display_text(d, y, 0, w, p->label, strlen(p->label), la);
	int room = w - x - 1;
	size_t start = 0;

	if (room < 1)
		return;
	while (start < p->cur && sanitize_width(p->buf + start, p->cur - start) >= room) {
		start++;
		while (start < p->cur && ((unsigned char)p->buf[start] & 0xc0) == 0x80)
			start++;
	}
	int used = display_text(d, y, x, room, p->buf + start, p->cur - start, ta);
	x += used;
	if (p->cur < p->len) {
		size_t n = 1;
		while (p->cur + n < p->len &&
		       ((unsigned char)p->buf[p->cur + n] & 0xc0) == 0x80)
			n++;
		int cw = display_text(d, y, x, w - x, p->buf + p->cur, n, ca);
		x += cw;
		display_text(d, y, x, w - x, p->buf + p->cur + n,
		             p->len - p->cur - n, ta);
	} else {
		wattrset(stdscr, ca);
		mvaddch(y, x, ' ');
	}
}

static void draw_pick(struct app *app, struct display *d)
{
	const struct app_dialog *dl = &app->dialog;
	int w = 0, h = (int)dl->nitems + 2;

	for (size_t i = 0; i < dl->nitems; i++) {
		int tw = sanitize_width(dl->items[i], strlen(dl->items[i]));
		if (tw > w)
			w = tw;
	}
	w += 6;
	if (w < 24)
		w = 24;
	if (w > d->cols - 2)
		w = d->cols - 2;
	if (h > d->rows - 2)
		h = d->rows - 2;
	int y0 = (d->rows - 2 - h) / 2, x0 = (d->cols - w) / 2;
	attr_t bor = display_attr(d, THEME_DIALOG_BORDER);
	attr_t txt = display_attr(d, THEME_DIALOG_TEXT);
	attr_t sel = display_attr(d, THEME_DIALOG_SELECTED);

	for (int r = 0; r < h; r++)
		display_fill(d, y0 + r, x0, w, txt);
	display_hline(d, y0, x0 + 1, w - 2, bor);
	display_hline(d, y0 + h - 1, x0 + 1, w - 2, bor);
	display_vline(d, y0 + 1, x0, h - 2, bor);
	display_vline(d, y0 + 1, x0 + w - 1, h - 2, bor);
	display_corner(d, y0, x0, DL_UL, bor);
	display_corner(d, y0, x0 + w - 1, DL_UR, bor);
	display_corner(d, y0 + h - 1, x0, DL_LL, bor);
	display_corner(d, y0 + h - 1, x0 + w - 1, DL_LR, bor);
	display_printf(d, y0, x0 + 2, w - 4, display_attr(d, THEME_DIALOG_TITLE),
	               " Remove tag ");
	for (int r = 0; r < h - 2 && (size_t)r < dl->nitems; r++) {
		attr_t a = (size_t)r == dl->sel ? sel : txt;
		display_fill(d, y0 + 1 + r, x0 + 1, w - 2, a);
		char num[16];
		snprintf(num, sizeof num, "%d ", r + 1);
		int x = x0 + 2 + display_text(d, y0 + 1 + r, x0 + 2, 2, num, 2, a);
		display_text_fit(d, y0 + 1 + r, x, w - (x - x0) - 2, dl->items[r],
		                 strlen(dl->items[r]), a);
	}
}

void screen_draw_message(struct app *app, struct display *d)
{
	int y = d->rows - 1;
	attr_t a;

	if (y < 0)
		return;
	display_fill(d, y, 0, d->cols, display_attr(d, THEME_MSG_INFO));
	if (app->dialog.kind != APP_DIALOG_NONE) {
		display_text_fit(d, y, 0, d->cols, app->dialog.text,
		                 strlen(app->dialog.text),
		                 display_attr(d, THEME_MSG_WARNING));
		if (app->dialog.kind == APP_DIALOG_PICK_TAG)
			draw_pick(app, d);
		return;
	}
	if (app->prompt.kind != APP_PROMPT_NONE) {
		draw_prompt(app, d, y);
		return;
	}
	switch (app->msg_kind) {
	case APP_MSG_ERROR: a = display_attr(d, THEME_MSG_ERROR); break;
	case APP_MSG_WARN:  a = display_attr(d, THEME_MSG_WARNING); break;
	default:            a = display_attr(d, THEME_MSG_INFO); break;
	}
	if (app->msg[0])
		display_text_fit(d, y, 0, d->cols, app->msg, strlen(app->msg), a);
}

void screen_draw_frame(struct app *app, struct display *d)
{
	wattrset(stdscr, A_NORMAL);
	werase(stdscr);
	if (d->rows >= 3)
		screen_for(app->screen)->draw(app, d);
	screen_draw_status(app, d);
	screen_draw_message(app, d);
}
