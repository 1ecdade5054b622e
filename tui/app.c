/* app.c - the editor's state machine (app.h).  No curses here. */
#include "app.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"
#include "detect.h"
#include "lint.h"
#include "parallel.h"
#include "recovery.h"
#include "rules.h"
#include "save.h"
#include "suggest.h"
#include "walk.h"

/* ---------------------------------------------------------------------
 * Adapters to the rules engine (core/detect.h, suggest.h, coverage.h), so
 * the rest of the app does not depend on how the rules are computed.
 */

static struct detector *app_detector(struct app *app)
{
	if (!app->det && detector_new(app->cfg, &app->det, NULL) != CT_OK)
		app->det = NULL;
	return app->det;
}

/* Detection of every cell, for the caller to free; NULL without a detector
 * (or memory).  Not kept: see app_doc.info. */
static struct detect_result *doc_detect(struct app *app, const struct app_doc *doc)
{
	struct detector *det = app_detector(app);
	size_t n = doc->nb ? doc->nb->ncells : 0;
	struct detect_result *r = det && n ? calloc(n, sizeof *r) : NULL;

	if (r)
		detect_notebook(det, doc->nb, r);
	return r;
}

static void plan_free(struct app_doc *doc)
{
	if (doc->plan)
		suggest_plan_free(doc->plan);
	free(doc->plan);
	free(doc->plan_taken);
	doc->plan = NULL;
	doc->plan_taken = NULL;
	doc->plan_ok = false;
}

/* Plan the suggestions of the whole notebook (with its analysis, and again
 * after tag edits other than accepted suggestions); `det` as doc_detect's,
 * NULL to detect here. */
static void adapt_plan(struct app *app, struct app_doc *doc, const struct detect_result *det)
{
	struct detect_result *own = NULL;

	plan_free(doc);
	if (!doc->nb || doc->nb->ncells == 0)
		return;
	if (!det && !(det = own = doc_detect(app, doc)))
		return;
	doc->plan = calloc(1, sizeof *doc->plan);
	if (!doc->plan) {
		free(own);
		return;
	}
	enum ct_status st = suggest_notebook_lazy(doc->nb, app->cfg, det, NULL, doc->plan, NULL);
	free(own);
	if (st != CT_OK ||
	    !(doc->plan_taken = calloc(doc->plan->n + 1, sizeof *doc->plan_taken))) {
		plan_free(doc);
		return;
	}
	doc->plan_ok = true;
}

/* The plan's suggestion for a cell, NULL when the plan has none for it. */
static const struct suggestion *plan_lookup(struct app *app, struct app_doc *doc, size_t cell)
{
	if (!doc->plan_ok)
		adapt_plan(app, doc, NULL);
	if (!doc->plan_ok)
		return NULL;
	const struct suggestion *s = suggest_plan_find(doc->plan, cell);
	return s && !doc->plan_taken[s - doc->plan->items] ? s : NULL;
}

static bool adapt_suggest(struct app *app, struct app_doc *doc,
                          size_t cell, char *buf, size_t size,
                          struct ct_error *err)
{
	const struct suggestion *s = plan_lookup(app, doc, cell);
	if (s)
		return suggest_plan_tag(doc->plan, s, app->cfg, buf, size, err) == CT_OK;
	/* Cells the plan has nothing for (not exercises, tagged, read-only)
	 * and plan errors: the one-cell question gives the answer or why.
	 * Read-only and tagged cells are answered before detection is looked
	 * at, so only the others detect the notebook again (as planning does;
	 * without it suggest_for_cell would detect by itself, slower). */
	const struct nb_cell *c = &doc->nb->cells[cell];
	struct detect_result *det = c->readonly_reason || app_cell_is_tagged(doc, cell)
	                            ? NULL : doc_detect(app, doc);
	bool ok = suggest_for_cell(doc->nb, cell, app->cfg, det, NULL, buf, size, err) == CT_OK;
	free(det);
	return ok;
}

/* Lint errors of the open notebook, reusing its detection (detecting again
 * through coverage_scan_notebook was 14% of opening 50,000 cells). */
static size_t adapt_lint_errors(struct app *app, const struct app_doc *doc,
                                const struct detect_result *det)
{
	struct lint_report rep;
	struct detect_result *own = det ? NULL : doc_detect(app, doc);
	size_t n = 0;

	memset(&rep, 0, sizeof rep);
	rep.counts_only = true;
	if (lint_notebook(doc->nb, app->cfg, det ? det : own, NULL, &rep, NULL) == CT_OK)
		n = rep.count[RULES_ERROR];
	lint_report_free(&rep);
	free(own);
	return n;
}

/* --------------------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		/* The front end may abort on out-of-memory (htop's xMalloc). */
		fputs("celltag: out of memory\n", stderr);
		abort();
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

void app_message(struct app *app, enum app_msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->msg, sizeof app->msg, fmt, ap);
	va_end(ap);
	app->msg_kind = kind;
}

void app_init(struct app *app, const struct ct_config *cfg,
              const struct keymap *km, bool readonly)
{
	memset(app, 0, sizeof *app);
	app->cfg = cfg;
	app->km = km;
	app->force_readonly = readonly;
	app->release_min = NB_RELEASE_MIN;
	app->list_rows = 10;
	app->preview_rows = 10;
	app->preview_total_cell = SIZE_MAX;
	app->page_rows = 10;
}

const char *app_doc_course_name(const struct app_doc *doc)
{
	size_t n = strlen(doc->path);
	return doc->name_off && doc->name_off < n ? doc->path + doc->name_off
	                                          : doc->path;
}

const char *app_doc_load_reason(const struct app_doc *doc)
{
	size_t n = strlen(doc->path);
	const char *e = doc->load_error;
	/* The error names the file first ("path:2:24: ..."); the row does. */
	if (strncmp(e, doc->path, n) == 0 && e[n] == ':')
		e += n + 1;
	while (*e == ' ')
		e++;
	return e;
}

const char *app_doc_name(const struct app_doc *doc)
{
	const char *s = strrchr(doc->path, '/');
	return s && s[1] ? s + 1 : doc->path;
}

bool app_is_assignment_tag(const struct app *app, const char *tag)
{
	return rules_is_assignment(app->cfg, tag);
}

static bool cell_has_assignment(const struct app *app, const struct nb_cell *c)
{
	for (size_t t = 0; t < c->ntags; t++)
		if (rules_is_assignment(app->cfg, c->tags[t]))
			return true;
	return false;
}

/* Counts contributed by one cell, so edits can update them in O(1). */
static void doc_count_cell(struct app *app, struct app_doc *doc, size_t i,
                           int sign)
{
	struct app_cellinfo *in = &doc->info[i];
	bool tagged = cell_has_assignment(app, &doc->nb->cells[i]);
	bool ex = (in->flags & CELLINFO_EXERCISE) || tagged;

	if (sign > 0) {
		in->flags = (uint8_t)((in->flags & ~CELLINFO_TAGGED) |
		                      (tagged ? CELLINFO_TAGGED : 0));
		doc->n_exercise += ex;
		doc->n_tagged += tagged;
		doc->n_untagged += ex && !tagged;
	} else {
		doc->n_exercise -= ex;
		doc->n_tagged -= tagged;
		doc->n_untagged -= ex && !tagged;
	}
}

bool app_cell_is_tagged(const struct app_doc *doc, size_t cell)
{
	return doc->info[cell].flags & CELLINFO_TAGGED;
}

const char *app_cell_why(struct app *app, const struct app_doc *doc, size_t cell, char *buf,
                         size_t size)
{
	if (!doc->info || cell >= doc->nb->ncells || doc->info[cell].reason == DETECT_NONE)
		return NULL;
	enum detect_reason r = (enum detect_reason)doc->info[cell].reason;
	snprintf(buf, size, "%s", detect_reason_name(r));
	const char *pattern = NULL;
	const struct nb_cell *c = &doc->nb->cells[cell];
	/* The pattern of this one cell, found as detection found it. */
	if (r == DETECT_PLACEHOLDER && app_detector(app) &&
	    detect_placeholder(app->det, c->source, c->source_len, &pattern) && pattern) {
		size_t l = strlen(buf);
		snprintf(buf + l, size - l, " '%s'", pattern);
	}
	return buf;
}

bool app_cell_is_exercise(const struct app_doc *doc, size_t cell)
{
	return doc->info[cell].flags & (CELLINFO_EXERCISE | CELLINFO_TAGGED);
}

static bool cell_untagged_ex(const struct app_doc *doc, size_t cell)
{
	return (doc->info[cell].flags & CELLINFO_EXERCISE) &&
	       !(doc->info[cell].flags & CELLINFO_TAGGED);
}

static bool filter_match(const struct app_doc *doc, size_t i)
{
	switch (doc->filter) {
	case APP_FILTER_EXERCISE: return app_cell_is_exercise(doc, i);
	case APP_FILTER_UNTAGGED: return cell_untagged_ex(doc, i);
	case APP_FILTER_TAGGED:   return doc->nb->cells[i].ntags > 0;
	default:                  return true;
	}
}

const char *app_filter_name(enum app_filter f)
{
	static const char *const names[] = { "all", "exercises",
	                                     "untagged exercises", "tagged" };
	return f < APP_FILTER_COUNT ? names[f] : "?";
}

size_t app_selected_index(struct app *app)
{
	struct app_doc *doc = app_doc(app);
	if (!doc || !doc->nb || doc->nrows == 0)
		return SIZE_MAX;
	return doc->rows[doc->sel];
}

/* Rebuild the row list for the filter, keeping the selected cell (or the
 * next one after it) selected. */
static void doc_rebuild_rows(struct app_doc *doc)
{
	size_t keep = doc->nrows ? doc->rows[doc->sel] : 0;
	size_t n = 0;

	if (!doc->nb)
		return;
	for (size_t i = 0; i < doc->nb->ncells; i++)
		if (filter_match(doc, i))
			doc->rows[n++] = i;
	doc->nrows = n;
	doc->sel = 0;
	for (size_t r = 0; r < n; r++)
		if (doc->rows[r] >= keep) {
			doc->sel = r;
			break;
		} else
			doc->sel = r;
}

static void doc_analyse(struct app *app, struct app_doc *doc)
{
	size_t n = doc->nb->ncells;

	free(doc->info);
	free(doc->rows);
	doc->info = NULL;
	doc->rows = NULL;
	/* Plan and lint first, from a detection given back before the per-cell
	 * arrays are made: at most one of them is in memory beside the model
	 * (with 50,000 cells that is the editor's peak). */
	struct detect_result *det = doc_detect(app, doc);
	uint8_t *reason = det ? xrealloc(NULL, n) : NULL;
	adapt_plan(app, doc, det);
	if (det)
		doc->n_lint = adapt_lint_errors(app, doc, det);
	for (size_t i = 0; det && i < n; i++)
		reason[i] = (uint8_t)(det[i].is_exercise ? det[i].reason : DETECT_NONE);
	free(det);
	doc->info = xrealloc(NULL, n * sizeof *doc->info);
	memset(doc->info, 0, n * sizeof *doc->info);
	for (size_t i = 0; reason && i < n; i++) {
		doc->info[i].reason = reason[i];
		if (reason[i] != DETECT_NONE)
			doc->info[i].flags |= CELLINFO_EXERCISE;
	}
	free(reason);
	doc->rows = xrealloc(NULL, n * sizeof *doc->rows);
	doc->n_exercise = doc->n_tagged = doc->n_untagged = 0;
	for (size_t i = 0; i < n; i++)
		doc_count_cell(app, doc, i, +1);
	if (!det)
		doc->n_lint = adapt_lint_errors(app, doc, NULL);
	doc->nrows = 0;
	doc->sel = 0;
	doc_rebuild_rows(doc);
}

static void doc_set_readonly(struct app *app, struct app_doc *doc)
{
	doc->readonly = false;
	doc->ro_reason[0] = '\0';
	if (app->force_readonly) {
		doc->readonly = true;
		snprintf(doc->ro_reason, sizeof doc->ro_reason, "opened with -R");
	} else if (doc->nb && doc->nb->readonly_reason) {
		doc->readonly = true;
		snprintf(doc->ro_reason, sizeof doc->ro_reason, "%s",
		         doc->nb->readonly_reason);
	} else if (doc->nb && doc->nb->from_file &&
	           access(doc->path, W_OK) != 0) {
		doc->readonly = true;
		snprintf(doc->ro_reason, sizeof doc->ro_reason,
		         "no write permission");
	}
}

static struct app_doc *app_new_doc(struct app *app, const char *path)
{
	app->docs = xrealloc(app->docs, (app->ndocs + 1) * sizeof *app->docs);
	struct app_doc *doc = &app->docs[app->ndocs++];
	memset(doc, 0, sizeof *doc);
	doc->path = xstrdup(path);
	return doc;
}

void app_add_notebook(struct app *app, struct notebook *nb)
{
	struct app_doc *doc = app_new_doc(app, nb->path ? nb->path : "(memory)");
	doc->nb = nb;
	doc_analyse(app, doc);
	doc_set_readonly(app, doc);
	app->cur = app->ndocs - 1;
	app->screen = APP_SCREEN_NOTEBOOK;
}

static void doc_load(struct app *app, struct app_doc *doc)
{
	struct ct_error err;

	ct_error_clear(&err);
	if (notebook_load_lean(doc->path, app->release_min, &doc->nb, &err) != CT_OK) {
		ct_error_format(&err, doc->load_error, sizeof doc->load_error);
		doc->nb = NULL;
		return;
	}
	doc_analyse(app, doc);
	doc_set_readonly(app, doc);
}

struct load_batch {
	struct app *app;
	size_t first;                   /* docs index of item 0 */
};

static void load_one(void *ctx, size_t i)
{
	struct load_batch *lb = ctx;
	struct app_doc *doc = &lb->app->docs[lb->first + i];
	if (!doc->load_error[0])        /* else the walk already said why */
		doc_load(lb->app, doc);
}

/* The notebooks under the paths come from core/walk.c, as for `celltag
 * lint` and `coverage`: the same files, hidden ones and checkpoints
 * skipped, symbolic links to folders not followed, each file once. */
enum ct_status app_open(struct app *app, char *const *paths, size_t npaths,
                        struct ct_error *err)
{
	struct walk_list wl = { 0 };
	size_t nfolders = 0;

	for (size_t i = 0; i < npaths; i++) {
		if (walk_collect(paths[i], &wl, err) != CT_OK) {
			walk_list_free(&wl);
			return CT_NOMEM;
		}
		if (!wl.root_is_dir)
			continue;
		if (++nfolders == 1) {
			/* for the save-as prompt: the folder, without its final '/' */
			free(app->course_root);
			app->course_root = xstrdup(paths[i]);
			size_t l = strlen(app->course_root);
			while (l > 1 && app->course_root[l - 1] == '/')
				app->course_root[--l] = '\0';
		}
	}
	walk_list_sort(&wl);
	size_t n = wl.n;
	if (nfolders != 1 || n == 0 || npaths != 1) {
		free(app->course_root);
		app->course_root = NULL;
	}
	if (n == 0) {
		walk_list_free(&wl);
		return ct_error_set(err, CT_NOTFOUND, npaths ? paths[0] : NULL,
		                    "no notebooks found");
	}
	size_t first = app->ndocs;
	for (size_t i = 0; i < n; i++) {
		const struct walk_entry *w = &wl.v[i];
		struct app_doc *doc = app_new_doc(app, w->path);
		/* Course rows read better relative to the folder given:
		 * "lesson-01.ipynb", not "course/lesson-01.ipynb". */
		doc->name_off = (size_t)(w->rel - w->path);
		if (w->error.status != CT_OK)
			ct_error_format(&w->error, doc->load_error,
			                sizeof doc->load_error);
	}
	walk_list_free(&wl);
	/* The notebooks load side by side (as `celltag coverage` reads them);
	 * the detector they share is made first, and each load writes only
	 * its own doc. */
	app_detector(app);
	struct load_batch lb = { app, first };
	parallel_for(n, parallel_jobs(0, n), load_one, &lb);

	app->course = nfolders > 0 || app->ndocs > 1;
	if (!app->course) {
		struct app_doc *doc = &app->docs[0];
		if (!doc->nb) {
			struct ct_error e2;
			ct_error_clear(&e2);
			/* Reload to get the structured error for the caller. */
			struct notebook *nb = NULL;
			enum ct_status st = notebook_load(doc->path, &nb, &e2);
			notebook_free(&nb);
			if (err)
				*err = e2;
			return st == CT_OK ? CT_IO : st;
		}
		app->screen = APP_SCREEN_NOTEBOOK;
		app->cur = 0;
	} else
		app->screen = APP_SCREEN_COURSE;
	if (app->screen == APP_SCREEN_NOTEBOOK) {
		struct app_doc *doc = app_doc(app);
		if (doc->readonly && !app->force_readonly)
			app_message(app, APP_MSG_WARN, "Read-only: %s",
			            doc->ro_reason);
	}
	if (!app->msg[0])
		app_message(app, APP_MSG_INFO, "%s",
		            app->screen == APP_SCREEN_COURSE
		            ? "Enter opens a notebook, ? shows the keys, q quits"
		            : "] next untagged exercise, t tag, w save, ? keys, q quit");
	return CT_OK;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void doc_free_history(struct app_doc *doc)
{
	for (size_t i = 0; i < doc->nhist; i++) {
		free_list(doc->hist[i].before, doc->hist[i].nbefore);
		free_list(doc->hist[i].after, doc->hist[i].nafter);
	}
	free(doc->hist);
	doc->hist = NULL;
	doc->nhist = doc->hpos = doc->hcap = 0;
}

void app_free(struct app *app)
{
	for (size_t i = 0; i < app->ndocs; i++) {
		struct app_doc *doc = &app->docs[i];
		notebook_free(&doc->nb);
		free(doc->info);
		plan_free(doc);
		free(doc->rows);
		free(doc->path);
		doc_free_history(doc);
	}
	free(app->docs);
	app->docs = NULL;
	app->ndocs = 0;
	free(app->course_root);
	app->course_root = NULL;
	detector_free(&app->det);
}

struct app_doc *app_doc(struct app *app)
{
	return app->ndocs ? &app->docs[app->cur] : NULL;
}

const struct nb_cell *app_selected_cell(struct app *app)
{
	size_t i = app_selected_index(app);
	return i == SIZE_MAX ? NULL : &app_doc(app)->nb->cells[i];
}

bool app_doc_dirty(const struct app_doc *doc)
{
	return doc->nb && notebook_modified(doc->nb);
}

bool app_any_dirty(const struct app *app)
{
	for (size_t i = 0; i < app->ndocs; i++)
		if (app_doc_dirty(&app->docs[i]))
			return true;
	return false;
}

static bool is_blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

const char *app_first_line(struct app_doc *doc, size_t cell, size_t *len)
{
	struct app_cellinfo *in = &doc->info[cell];
	const struct nb_cell *c = &doc->nb->cells[cell];

	if (!(in->flags & CELLINFO_LINE)) {
		const char *s = c->source, *end = s + c->source_len;
		in->first_off = 0;
		in->first_len = 0;
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
			if (!is_blank_line(s, l)) {
				in->first_off = (uint32_t)(s - c->source);
				in->first_len = (uint32_t)l;
				break;
			}
			if (!nl)
				break;
			s = nl + 1;
		}
		in->flags |= CELLINFO_LINE;
	}
	*len = in->first_len;
	return c->source + in->first_off;
}

size_t app_cell_lines(struct app_doc *doc, size_t cell)
{
	struct app_cellinfo *in = &doc->info[cell];
	const struct nb_cell *c = &doc->nb->cells[cell];

	if (!(in->flags & CELLINFO_LINES)) {
		size_t n = 1;
		for (size_t i = 0; i < c->source_len; i++)
			n += c->source[i] == '\n';
		if (c->source_len && c->source[c->source_len - 1] == '\n')
			n--;
		in->nlines = (uint32_t)n;
		in->flags |= CELLINFO_LINES;
	}
	return in->nlines;
}

/* ---------------------------------------------------------------------
 * Moving around
 */

static void doc_fix_scroll(struct app *app, struct app_doc *doc)
{
	size_t rows = app->list_rows > 0 ? (size_t)app->list_rows : 1;

	if (doc->nrows == 0) {
		doc->sel = doc->top = 0;
		return;
	}
	if (doc->sel >= doc->nrows)
		doc->sel = doc->nrows - 1;
	if (doc->sel < doc->top)
		doc->top = doc->sel;
	if (doc->sel >= doc->top + rows)
		doc->top = doc->sel - rows + 1;
	if (doc->top + rows > doc->nrows)
		doc->top = doc->nrows > rows ? doc->nrows - rows : 0;
}

static void doc_select(struct app *app, struct app_doc *doc, size_t row)
{
	if (doc->nrows == 0)
		return;
	if (row >= doc->nrows)
		row = doc->nrows - 1;
	if (row != doc->sel)
		doc->pscroll = 0;
	doc->sel = row;
	doc_fix_scroll(app, doc);
}

/* Select cell `cell`, clearing the filter when it hides the cell. */
static void doc_select_cell(struct app *app, struct app_doc *doc, size_t cell)
{
	size_t lo = 0, hi = doc->nrows;

	while (lo < hi) {             /* rows are sorted by cell index */
		size_t mid = (lo + hi) / 2;
		if (doc->rows[mid] < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < doc->nrows && doc->rows[lo] == cell) {
		doc_select(app, doc, lo);
		return;
	}
	doc->filter = APP_FILTER_ALL;
	doc_rebuild_rows(doc);
	doc_select(app, doc, cell);
	app_message(app, APP_MSG_INFO, "Filter cleared to show cell %zu", cell);
}

void app_layout(struct app *app, int list_rows, int preview_rows)
{
	app->list_rows = list_rows > 0 ? list_rows : 1;
	app->preview_rows = preview_rows;
	app->page_rows = app->list_rows;
	struct app_doc *doc = app_doc(app);
	if (doc && doc->nb)
		doc_fix_scroll(app, doc);
	if (app->course && app->ndocs) {
		size_t rows = (size_t)app->list_rows;
		if (app->course_sel < app->course_top)
			app->course_top = app->course_sel;
		if (app->course_sel >= app->course_top + rows)
			app->course_top = app->course_sel - rows + 1;
	}
}

void app_select_row(struct app *app, size_t row)
{
	if (app->screen == APP_SCREEN_COURSE) {
		if (row < app->ndocs)
			app->course_sel = row;
		return;
	}
	struct app_doc *doc = app_doc(app);
	if (doc && doc->nb && row < doc->nrows) {
		app->focus = APP_FOCUS_LIST;
		doc_select(app, doc, row);
	}
}

static void preview_scroll(struct app *app, struct app_doc *doc, long delta)
{
	size_t cell = app_selected_index(app);
	if (cell == SIZE_MAX)
		return;
	size_t lines = app->preview_total_cell == cell && app->preview_total
	             ? app->preview_total : app_cell_lines(doc, cell);
	size_t rows = app->preview_rows > 0 ? (size_t)app->preview_rows : 1;
	size_t max = lines > rows ? lines - rows : 0;
	long p = (long)doc->pscroll + delta;
	if (p < 0)
		p = 0;
	if ((size_t)p > max)
		p = (long)max;
	doc->pscroll = (size_t)p;
}

void app_scroll(struct app *app, bool preview, long delta)
{
	struct app_doc *doc = app_doc(app);
	if (!doc || !doc->nb)
		return;
	if (preview) {
		preview_scroll(app, doc, delta);
		return;
	}
	long s = (long)doc->sel + delta;
	if (s < 0)
		s = 0;
	doc_select(app, doc, (size_t)s);
}

/* ---------------------------------------------------------------------
 * Tag edits: every edit goes through doc_set_tags, which records it.
 */

static char **copy_list(const char *const *v, size_t n)
{
	char **c = xrealloc(NULL, (n ? n : 1) * sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

/* Set the tags and update counts and rows; no history. */
static enum ct_status doc_apply_tags(struct app *app, struct app_doc *doc,
                                     size_t cell, const char *const *tags,
                                     size_t ntags, bool *changed,
                                     struct ct_error *err)
{
	enum ct_status st;

	doc_count_cell(app, doc, cell, -1);
	st = notebook_tags_set(doc->nb, cell, tags, ntags, changed, err);
	doc_count_cell(app, doc, cell, +1);
	if (st == CT_OK && *changed)
		doc->plan_ok = false;   /* see app_doc.plan */
	if (st == CT_OK && *changed && doc->filter != APP_FILTER_ALL) {
		doc_rebuild_rows(doc);
		doc_fix_scroll(app, doc);
	}
	return st;
}

static bool doc_set_tags(struct app *app, struct app_doc *doc, size_t cell,
                         const char *const *tags, size_t ntags)
{
	const struct nb_cell *c = &doc->nb->cells[cell];
	struct ct_error err;
	bool changed = false;
	char **before = copy_list(c->tags, c->ntags);
	size_t nbefore = c->ntags;

	ct_error_clear(&err);
	if (doc_apply_tags(app, doc, cell, tags, ntags, &changed, &err) != CT_OK) {
		app_message(app, APP_MSG_ERROR, "%s", err.msg);
		free_list(before, nbefore);
		return false;
	}
	if (!changed) {
		free_list(before, nbefore);
		return false;
	}
	/* Drop the redo tail, then append. */
	for (size_t i = doc->hpos; i < doc->nhist; i++) {
		free_list(doc->hist[i].before, doc->hist[i].nbefore);
		free_list(doc->hist[i].after, doc->hist[i].nafter);
	}
	doc->nhist = doc->hpos;
	if (doc->nhist == doc->hcap) {
		doc->hcap = doc->hcap ? doc->hcap * 2 : 16;
		doc->hist = xrealloc(doc->hist, doc->hcap * sizeof *doc->hist);
	}
	struct app_edit *e = &doc->hist[doc->nhist++];
	e->cell = cell;
	e->before = before;
	e->nbefore = nbefore;
	e->after = copy_list(tags, ntags);
	e->nafter = ntags;
	doc->hpos = doc->nhist;
	return true;
}

static bool check_editable(struct app *app, struct app_doc *doc,
                           const struct nb_cell *c)
{
	if (doc->readonly) {
		app_message(app, APP_MSG_ERROR, "Read-only: %s", doc->ro_reason);
		return false;
	}
	if (!c) {
		app_message(app, APP_MSG_ERROR, "No cell selected");
		return false;
	}
	if (c->readonly_reason) {
		app_message(app, APP_MSG_ERROR, "Cell %zu is read-only: %s",
		            (size_t)c->index, c->readonly_reason);
		return false;
	}
	return true;
}

static void undo_redo(struct app *app, struct app_doc *doc, bool redo)
{
	struct ct_error err;
	bool changed;

	if (doc->readonly) {
		app_message(app, APP_MSG_ERROR, "Read-only: %s", doc->ro_reason);
		return;
	}
	if (redo ? doc->hpos >= doc->nhist : doc->hpos == 0) {
		app_message(app, APP_MSG_INFO, redo ? "Nothing to redo"
		                                    : "Nothing to undo");
		return;
	}
	struct app_edit *e = &doc->hist[redo ? doc->hpos : doc->hpos - 1];
	ct_error_clear(&err);
	if (doc_apply_tags(app, doc, e->cell,
	                   (const char *const *)(redo ? e->after : e->before),
	                   redo ? e->nafter : e->nbefore, &changed,
	                   &err) != CT_OK) {
		app_message(app, APP_MSG_ERROR, "%s", err.msg);
		return;
	}
	doc->hpos += redo ? 1 : (size_t)-1;
	doc_select_cell(app, doc, e->cell);
	app_message(app, APP_MSG_INFO, "%s tag edit on cell %zu (%zu/%zu)",
	            redo ? "Redid" : "Undid", e->cell, doc->hpos, doc->nhist);
}

/* Validate one tag for the prompt: false with p->error set when refused. */
static bool validate_tag(struct app *app, const char *tag, char *why,
                         size_t size)
{
	const char *reason = NULL;
	enum rules_code rc;

	if (!tag_schema_valid(tag, &reason)) {
		snprintf(why, size, "invalid tag: %s", reason ? reason : "?");
		return false;
	}
	rc = rules_check_tag(app->cfg, tag, &reason);
	if (rc != RULE_OK && rules_code_severity(rc) == RULES_ERROR) {
		snprintf(why, size, "invalid tag: %s [%s]",
		         reason ? reason : rules_code_description(rc),
		         rules_code_name(rc));
		return false;
	}
	if (rc != RULE_OK)
		snprintf(why, size, "warning: %s [%s]",
		         reason ? reason : rules_code_description(rc),
		         rules_code_name(rc));
	else
		why[0] = '\0';
	return true;
}

static void trim(char *s)
{
	size_t n = strlen(s), a = 0;
	while (a < n && isspace((unsigned char)s[a]))
		a++;
	while (n > a && isspace((unsigned char)s[n - 1]))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
}

static bool add_tag(struct app *app, struct app_doc *doc, size_t cell,
                    const char *tag)
{
	const struct nb_cell *c = &doc->nb->cells[cell];
	const char **v;

	v = xrealloc(NULL, (c->ntags + 1) * sizeof *v);
	for (size_t i = 0; i < c->ntags; i++)
		v[i] = c->tags[i];
	v[c->ntags] = tag;
	bool ok = doc_set_tags(app, doc, cell, v, c->ntags + 1);
	free(v);
	return ok;
}

static void remove_tags(struct app *app, struct app_doc *doc, size_t cell,
                        bool assignment_only, const char *only)
{
	const struct nb_cell *c = &doc->nb->cells[cell];
	const char **v = xrealloc(NULL, (c->ntags ? c->ntags : 1) * sizeof *v);
	size_t n = 0;
	char removed[256] = "";

	for (size_t i = 0; i < c->ntags; i++) {
		bool drop = only ? strcmp(c->tags[i], only) == 0
		                 : !assignment_only ||
		                   rules_is_assignment(app->cfg, c->tags[i]);
		if (drop && !removed[0])
			snprintf(removed, sizeof removed, "%s", c->tags[i]);
		if (!drop)
			v[n++] = c->tags[i];
	}
	if (doc_set_tags(app, doc, cell, v, n))
		app_message(app, APP_MSG_INFO, "Removed '%s' from cell %zu "
		            "(u undoes)", removed, cell);
	free(v);
}

/* ---------------------------------------------------------------------
 * Prompt line editor (UTF-8 aware: the cursor moves by code points).
 */

static size_t utf8_prev(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)s[pos] & 0xc0) == 0x80)
		pos--;
	return pos;
}

static size_t utf8_next(const char *s, size_t len, size_t pos)
{
	if (pos >= len)
		return len;
	pos++;
	while (pos < len && ((unsigned char)s[pos] & 0xc0) == 0x80)
		pos++;
	return pos;
}

void prompt_set(struct app_prompt *p, const char *text)
{
	size_t n = strlen(text);
	if (n >= APP_PROMPT_MAX)
		n = APP_PROMPT_MAX - 1;
	memcpy(p->buf, text, n);
	p->buf[n] = '\0';
	p->len = p->cur = n;
	p->completing = false;
}

void prompt_insert(struct app_prompt *p, const char *s, size_t n)
{
	if (p->len + n >= APP_PROMPT_MAX)
		return;
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, s, n);
	p->len += n;
	p->cur += n;
}

static void prompt_delete(struct app_prompt *p, size_t from, size_t to)
{
	memmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	p->cur = from;
}

static size_t encode_utf8(int cp, char *u)
{
	if (cp < 0x80) { u[0] = (char)cp; return 1; }
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | (cp >> 18));
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool prompt_edit_key(struct app_prompt *p, int key)
{
	switch (key) {
	case CTK_LEFT:
		p->cur = utf8_prev(p->buf, p->cur);
		break;
	case CTK_RIGHT:
		p->cur = utf8_next(p->buf, p->len, p->cur);
		break;
	case CTK_HOME: case CTK_CTRL('A'):
		p->cur = 0;
		break;
	case CTK_END: case CTK_CTRL('E'):
		p->cur = p->len;
		break;
	case CTK_BS: case CTK_CTRL('H'):
		if (p->cur > 0)
			prompt_delete(p, utf8_prev(p->buf, p->cur), p->cur);
		break;
	case CTK_DEL: case CTK_CTRL('D'):
		if (p->cur < p->len)
			prompt_delete(p, p->cur, utf8_next(p->buf, p->len, p->cur));
		break;
	case CTK_CTRL('U'):
		prompt_delete(p, 0, p->cur);
		break;
	case CTK_CTRL('K'):
		p->buf[p->cur] = '\0';
		p->len = p->cur;
		break;
	case CTK_CTRL('W'): {
		size_t e = p->cur, s = e;
		while (s > 0 && p->buf[s - 1] == ' ')
			s--;
		while (s > 0 && p->buf[s - 1] != ' ')
			s--;
		prompt_delete(p, s, e);
		break;
	}
	default:
		if (key >= 0x20 && key < CTK_SPECIAL && key != 0x7f) {
			char u[4];
			prompt_insert(p, u, encode_utf8(key, u));
			break;
		}
		return false;
	}
	p->completing = false;
	p->error[0] = '\0';
	return true;
}

static void prompt_open(struct app *app, enum app_prompt_kind kind,
                        const char *label, const char *text)
{
	struct app_prompt *p = &app->prompt;
	memset(p, 0, sizeof *p);
	p->kind = kind;
	snprintf(p->label, sizeof p->label, "%s", label);
	prompt_set(p, text);
	app->msg[0] = '\0';
	app->msg_kind = APP_MSG_NONE;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Tab completion from the tags used in the notebook: each Tab replaces the
 * text with the next tag (in sorted order) that starts with what was typed.
 * O(T log T) for T tags in the notebook, only when Tab is pressed. */
static void prompt_complete(struct app *app, struct app_doc *doc)
{
	struct app_prompt *p = &app->prompt;
	const char **v = NULL;
	size_t n = 0, cap = 0, nu = 0;

	if (!p->completing) {
		snprintf(p->comp_base, sizeof p->comp_base, "%s", p->buf);
		p->comp_next = 0;
		p->completing = true;
	}
	size_t bl = strlen(p->comp_base);
	for (size_t i = 0; i < doc->nb->ncells; i++) {
		const struct nb_cell *c = &doc->nb->cells[i];
		for (size_t t = 0; t < c->ntags; t++) {
			if (strncmp(c->tags[t], p->comp_base, bl) != 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[n++] = c->tags[t];
		}
	}
	if (n == 0) {
		app_message(app, APP_MSG_INFO, "No tag starts with '%s'", p->comp_base);
		return;
	}
	qsort(v, n, sizeof *v, cmp_strp);
	for (size_t i = 0; i < n; i++)       /* unique */
		if (nu == 0 || strcmp(v[nu - 1], v[i]) != 0)
			v[nu++] = v[i];
	if (p->comp_next >= nu)
		p->comp_next = 0;
	prompt_set(p, v[p->comp_next++]);
	p->completing = true;
	app_message(app, APP_MSG_INFO, "%zu matching tag%s (Tab for the next)",
	            nu, nu == 1 ? "" : "s");
	free(v);
}

static bool smartcase_match(const char *s, size_t len, const char *pat, bool icase)
{
	size_t n = strlen(pat);
	if (n == 0 || n > len)
		return false;
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;
		while (k < n && (icase ? tolower((unsigned char)s[i + k]) ==
		                             tolower((unsigned char)pat[k])
		                       : s[i + k] == pat[k]))
			k++;
		if (k == n)
			return true;
	}
	return false;
}

static bool search_icase(const char *pat)
{
	for (const char *s = pat; *s; s++)
		if (isupper((unsigned char)*s))
			return false;
	return true;
}

size_t app_search_marks(const struct app *app, const char *line, size_t len,
                        size_t *marks, size_t cap)
{
	const char *pat = app->search;
	size_t n = strlen(pat), k = 0;
	bool icase = search_icase(pat);

	if (n == 0)
		return 0;
	for (size_t i = 0; i + n <= len && k < cap;) {
		size_t j = 0;
		while (j < n && (icase ? tolower((unsigned char)line[i + j]) ==
		                         tolower((unsigned char)pat[j])
		                       : line[i + j] == pat[j]))
			j++;
		if (j == n) {
			marks[2 * k] = i;
			marks[2 * k + 1] = i + n;
			k++;
			i += n;
		} else
			i++;
	}
	return k;
}

static void search_go(struct app *app, struct app_doc *doc, bool backward,
                      bool include_current)
{
	bool icase = search_icase(app->search);
	size_t n = doc->nrows;

	if (!app->search[0]) {
		app_message(app, APP_MSG_INFO, "No search pattern (press /)");
		return;
	}
	for (size_t k = include_current ? 0 : 1; k <= n && n; k++) {
		size_t r = backward ? (doc->sel + n - k % n) % n : (doc->sel + k) % n;
		const struct nb_cell *c = &doc->nb->cells[doc->rows[r]];
		if (smartcase_match(c->source, c->source_len, app->search, icase)) {
			bool wrapped = backward ? r > doc->sel : r < doc->sel;
			doc_select(app, doc, r);
			if (wrapped)
				app_message(app, APP_MSG_INFO, "Search wrapped: /%s",
				            app->search);
			else
				app_message(app, APP_MSG_INFO, "/%s", app->search);
			return;
		}
		if (k == n)
			break;
	}
	app_message(app, APP_MSG_ERROR, "Pattern not found: %s", app->search);
}

static void untagged_jump(struct app *app, struct app_doc *doc, bool backward)
{
	size_t n = doc->nb->ncells;
	size_t cur = app_selected_index(app);

	if (doc->n_untagged == 0 || n == 0) {
		app_message(app, APP_MSG_INFO, "No untagged exercise cells");
		return;
	}
	if (cur == SIZE_MAX)
		cur = backward ? 0 : n - 1;
	for (size_t k = 1; k <= n; k++) {
		size_t i = backward ? (cur + n - k) % n : (cur + k) % n;
		if (cell_untagged_ex(doc, i)) {
			bool wrapped = backward ? i >= cur : i <= cur;
			doc_select_cell(app, doc, i);
			app->focus = APP_FOCUS_LIST;
			if (wrapped)
				app_message(app, APP_MSG_INFO,
				            "Wrapped: untagged exercise %zu of %zu left",
				            i, doc->n_untagged);
			else if (!app->msg[0] || app->msg_kind != APP_MSG_INFO ||
			         strncmp(app->msg, "Filter", 6) != 0)
				app_message(app, APP_MSG_INFO,
				            "Untagged exercise cell %zu (%zu left)",
				            i, doc->n_untagged);
			return;
		}
	}
}

/* Split a comma-separated list into a new vector of trimmed tags. */
static size_t split_tags(char *s, char **out, size_t cap)
{
	size_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(s, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		trim(tok);
		if (tok[0] && n < cap)
			out[n++] = tok;
	}
	return n;
}

/* Another cell carrying `tag` (lint's assignment-duplicate), or SIZE_MAX.
 * O(tags in the notebook), once per accepted tag. */
static size_t find_tag_elsewhere(const struct app_doc *doc, size_t cell,
                                 const char *tag)
{
	for (size_t i = 0; i < doc->nb->ncells; i++)
		if (i != cell && cell_has_tag(&doc->nb->cells[i], tag))
			return i;
	return SIZE_MAX;
}

static void prompt_accept(struct app *app)
{
	struct app_prompt *p = &app->prompt;
	struct app_doc *doc = app_doc(app);
	size_t cell = app_selected_index(app);
	char text[APP_PROMPT_MAX];
	char why[256];

	snprintf(text, sizeof text, "%s", p->buf);
	if (p->kind == APP_PROMPT_SEARCH) {
		if (text[0])
			snprintf(app->search, sizeof app->search, "%s", text);
		p->kind = APP_PROMPT_NONE;
		search_go(app, doc, false, false);
		return;
	}
	if (cell == SIZE_MAX) {
		p->kind = APP_PROMPT_NONE;
		return;
	}
	if (p->kind == APP_PROMPT_TAG_EDIT) {
		char *tags[256];
		size_t n = split_tags(text, tags, 256);
		for (size_t i = 0; i < n; i++) {
			if (!validate_tag(app, tags[i], why, sizeof why)) {
				snprintf(p->error, sizeof p->error, "'%s': %s", tags[i], why);
				return;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(tags[i], tags[j]) == 0) {
					snprintf(p->error, sizeof p->error,
					         "'%s' is listed twice (tags must be unique)",
					         tags[i]);
					return;
				}
		}
		p->kind = APP_PROMPT_NONE;
		if (doc_set_tags(app, doc, cell, (const char *const *)tags, n))
			app_message(app, APP_MSG_INFO, "Cell %zu: %zu tag%s", cell, n,
			            n == 1 ? "" : "s");
		else if (app->msg_kind != APP_MSG_ERROR)
			app_message(app, APP_MSG_INFO, "Tags unchanged");
		return;
	}
	trim(text);
	if (!text[0]) {
		snprintf(p->error, sizeof p->error,
		         "invalid tag: empty (Esc cancels)");
		return;
	}
	if (!validate_tag(app, text, why, sizeof why)) {
		snprintf(p->error, sizeof p->error, "%s", why);
		return;
	}
	/* Taking the planned suggestion keeps the plan exact. */
	const struct suggestion *s = p->kind == APP_PROMPT_TAG_TOGGLE && doc->plan_ok
	                             ? plan_lookup(app, doc, cell) : NULL;
	char planned[RULES_TAG_MAX];
	if (s && (suggest_plan_tag(doc->plan, s, app->cfg, planned, sizeof planned, NULL) != CT_OK ||
	          strcmp(planned, text) != 0))
		s = NULL;
	p->kind = APP_PROMPT_NONE;
	if (cell_has_tag(&doc->nb->cells[cell], text)) {
		app_message(app, APP_MSG_INFO, "Cell %zu already has '%s'", cell, text);
		return;
	}
	if (!add_tag(app, doc, cell, text))
		return;     /* the error is in the message line */
	bool kept = s && suggest_plan_survives_accept(doc->plan, app->cfg, text);
	if (kept) {
		doc->plan_taken[s - doc->plan->items] = true;
		doc->plan_ok = true;
	}
	/* A suggestion is never a tag used elsewhere: no need to look. */
	size_t other = app_is_assignment_tag(app, text) && !kept
	             ? find_tag_elsewhere(doc, cell, text) : SIZE_MAX;
	if (other != SIZE_MAX)
		app_message(app, APP_MSG_WARN, "Tagged cell %zu: %s, but cell %zu "
		            "has it too [assignment-duplicate]", cell, text, other);
	else if (why[0])
		app_message(app, APP_MSG_WARN, "Tagged cell %zu: %s (%s)", cell, text, why);
	else
		app_message(app, APP_MSG_INFO, "Tagged cell %zu: %s", cell, text);
}

static void prompt_key(struct app *app, int key)
{
	struct app_prompt *p = &app->prompt;

	if (key == CTK_ESC || key == CTK_CTRL('C') || key == CTK_CTRL('G')) {
		p->kind = APP_PROMPT_NONE;
		app_message(app, APP_MSG_INFO, "Cancelled");
		return;
	}
	if (key == CTK_ENTER) {
		prompt_accept(app);
		return;
	}
	if (key == CTK_TAB && p->kind == APP_PROMPT_TAG_ADD) {
		prompt_complete(app, app_doc(app));
		return;
	}
	if (prompt_edit_key(p, key) && app->msg_kind == APP_MSG_INFO)
		app->msg[0] = '\0';
}

/* ---------------------------------------------------------------------
 * Dialogs
 */

static void dialog_open(struct app *app, enum app_dialog_kind kind,
                        const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void dialog_open(struct app *app, enum app_dialog_kind kind,
                        const char *fmt, ...)
{
	va_list ap;
	struct app_dialog *d = &app->dialog;
	bool then_quit = d->then_quit && kind == APP_DIALOG_CONFLICT;

	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->doc = app->cur;
	d->then_quit = then_quit;
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof d->text, fmt, ap);
	va_end(ap);
	app->msg[0] = '\0';
	app->msg_kind = APP_MSG_NONE;
}

static void doc_reload(struct app *app, struct app_doc *doc, bool reapply)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	size_t keep = doc->nrows ? doc->rows[doc->sel] : 0;

	ct_error_clear(&err);
	if (notebook_load_lean(doc->path, app->release_min, &nb, &err) != CT_OK) {
		char buf[1024];
		app_message(app, APP_MSG_ERROR, "Reload failed: %s",
		            ct_error_format(&err, buf, sizeof buf));
		return;
	}
	/* The pending edits, to reapply to the new file when asked. */
	struct recovery *rec = NULL;
	if (reapply && recovery_from_notebook(doc->nb, &rec, &err) != CT_OK) {
		notebook_free(&nb);
		app_message(app, APP_MSG_ERROR, "Reload failed: %s", err.msg);
		return;
	}
	notebook_free(&doc->nb);
	doc->nb = nb;
	doc_free_history(doc);
	/* Each cell found again (by id, else by place) gets its edited tag
	 * list; cells gone from the file, or whose list the new file refuses,
	 * are counted and reported. */
	size_t applied = 0, missed = 0;
	if (rec && recovery_reapply(rec, nb, &applied, &missed, &err) != CT_OK)
		missed = rec->ncells;
	recovery_free(&rec);
	doc_analyse(app, doc);
	doc_set_readonly(app, doc);
	if (keep < nb->ncells)
		doc_select_cell(app, doc, keep);
	if (!reapply)
		app_message(app, APP_MSG_INFO, "Reloaded %s from disk", app_doc_name(doc));
	else if (missed)
		app_message(app, APP_MSG_WARN, "Reloaded %s: edits reapplied to %zu cell%s, "
		            "%zu could not be (cell gone or tags refused); not saved yet",
		            app_doc_name(doc), applied, applied == 1 ? "" : "s", missed);
	else
		app_message(app, APP_MSG_INFO, "Reloaded %s: edits reapplied to %zu cell%s; "
		            "not saved yet", app_doc_name(doc), applied, applied == 1 ? "" : "s");
}

/* Save one document.  Returns false when it did not end saved (error, or a
 * conflict dialog was opened). */
static bool doc_save(struct app *app, size_t idx, bool force)
{
	struct app_doc *doc = &app->docs[idx];
	struct save_options opts = { .force = force };
	struct ct_error err;
	size_t nmod;

	if (doc->readonly) {
		app_message(app, APP_MSG_ERROR, "Read-only: %s", doc->ro_reason);
		return false;
	}
	if (!app_doc_dirty(doc)) {
		app_message(app, APP_MSG_INFO, "No changes to save");
		return true;
	}
	nmod = doc->nb->nmodified;
	ct_error_clear(&err);
	enum ct_status st = notebook_save(&doc->nb, &opts, true, &err);
	if (st == CT_CONFLICT && force && doc->nb->released) {
		/* The loaded bytes were only on disk, and they are gone. */
		app->cur = idx;
		dialog_open(app, APP_DIALOG_REAPPLY,
		            "Cannot overwrite %s: it was rewritten in place and the loaded "
		            "version is gone. [r]eload it and reapply your edits, [c]ancel",
		            app_doc_name(doc));
		app->dialog.doc = idx;
		return false;
	}
	if (st == CT_CONFLICT) {
		app->cur = idx;
		dialog_open(app, APP_DIALOG_CONFLICT,
		            "%s changed on disk: [o]verwrite, [r]eload "
		            "(drop edits), [c]ancel",
		            app_doc_name(doc));
		app->dialog.doc = idx;
		return false;
	}
	if (st != CT_OK) {
		char buf[1024];
		app_message(app, APP_MSG_ERROR, "Save failed: %s",
		            ct_error_format(&err, buf, sizeof buf));
		return false;
	}
	/* The baseline is the saved file now; cell count is unchanged. */
	doc->n_lint = adapt_lint_errors(app, doc, NULL);
	app_message(app, APP_MSG_INFO, "Saved %s (%zu cell%s changed)",
	            app_doc_name(doc), nmod, nmod == 1 ? "" : "s");
	return true;
}

static bool save_all(struct app *app)
{
	for (size_t i = 0; i < app->ndocs; i++)
		if (app_doc_dirty(&app->docs[i]) && !doc_save(app, i, false))
			return false;
	return true;
}

static void recovery_offer(struct app *app, struct app_doc *doc)
{
	char path[4096];
	struct recovery *rec = NULL;
	struct ct_error err;

	if (doc->recovery_checked || !doc->nb)
		return;
	doc->recovery_checked = true;
	if (!recovery_find(doc->path, path, sizeof path))
		return;
	ct_error_clear(&err);
	if (recovery_read(path, &rec, &err) != CT_OK) {
		app_message(app, APP_MSG_WARN, "Unreadable recovery file %s: %s",
		            path, err.msg);
		return;
	}
	if (recovery_matches(rec, doc->nb) && !doc->readonly)
		dialog_open(app, APP_DIALOG_RECOVERY,
		            "Unsaved edits of %zu cell%s from an earlier session: "
		            "[a]pply, [d]iscard, [l]ater",
		            rec->ncells, rec->ncells == 1 ? "" : "s");
	else if (!recovery_matches(rec, doc->nb))
		dialog_open(app, APP_DIALOG_RECOVERY_STALE,
		            "Recovered edits are for another version of %s: "
		            "[d]iscard them, [k]eep the file", app_doc_name(doc));
	else {
		app_message(app, APP_MSG_WARN,
		            "Recovery file %s not applied: read-only", path);
		recovery_free(&rec);
		return;
	}
	snprintf(app->dialog.recovery_path, sizeof app->dialog.recovery_path,
	         "%s", path);
	recovery_free(&rec);
}

static void recovery_apply_dialog(struct app *app, struct app_doc *doc)
{
	struct recovery *rec = NULL;
	struct ct_error err;
	size_t n = 0;

	ct_error_clear(&err);
	if (recovery_read(app->dialog.recovery_path, &rec, &err) != CT_OK) {
		app_message(app, APP_MSG_ERROR, "Recovery failed: %s", err.msg);
		return;
	}
	/* Through doc_set_tags so each cell is one undoable edit. */
	for (size_t i = 0; i < rec->ncells; i++) {
		const struct recovery_cell *rc = &rec->cells[i];
		size_t idx = rc->index;
		if (rc->id) {
			char spec[600];
			snprintf(spec, sizeof spec, "id:%s", rc->id);
			if (notebook_find_cell(doc->nb, spec, &idx, NULL) != CT_OK)
				continue;
		}
		if (idx < doc->nb->ncells &&
		    doc_set_tags(app, doc, idx, (const char *const *)rc->tags,
		                 rc->ntags))
			n++;
	}
	recovery_free(&rec);
	unlink(app->dialog.recovery_path);
	app_message(app, APP_MSG_INFO,
	            "Applied recovered edits to %zu cell%s (not saved yet)",
	            n, n == 1 ? "" : "s");
}

static void dialog_key(struct app *app, int key)
{
	struct app_dialog *d = &app->dialog;
	struct app_doc *doc = &app->docs[d->doc];
	int c = key < 0x80 ? tolower(key) : key;
	bool cancel = key == CTK_ESC || key == CTK_CTRL('C') || c == 'c';

	switch (d->kind) {
	case APP_DIALOG_QUIT:
		if (c == 's') {
			d->kind = APP_DIALOG_NONE;
			d->then_quit = true;
			if (save_all(app))
				app->quit = true;
			else if (app->dialog.kind != APP_DIALOG_CONFLICT)
				app->dialog.then_quit = false;
		} else if (c == 'd' || c == 'y') {
			d->kind = APP_DIALOG_NONE;
			app->quit = true;
		} else if (cancel || c == 'n') {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Quit cancelled");
		}
		break;
	case APP_DIALOG_CONFLICT:
		if (c == 'o') {
			bool then_quit = d->then_quit;
			d->kind = APP_DIALOG_NONE;
			if (doc_save(app, d->doc, true) && then_quit) {
				if (save_all(app))
					app->quit = true;
			}
		} else if (c == 'r') {
			size_t n = doc->nb->nmodified;
			dialog_open(app, APP_DIALOG_RELOAD,
			            "Drop unsaved edits of %zu cell%s and reload "
			            "%s? [y]es, [n]o", n, n == 1 ? "" : "s",
			            app_doc_name(doc));
			app->dialog.doc = (size_t)(doc - app->docs);
		} else if (cancel) {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Save cancelled; edits kept");
		}
		break;
	case APP_DIALOG_RELOAD:
		if (c == 'y') {
			d->kind = APP_DIALOG_NONE;
			doc_reload(app, doc, false);
		} else if (c == 'n' || cancel) {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Reload cancelled; edits kept");
		}
		break;
	case APP_DIALOG_PICK_TAG:
		if (key == 'j' || key == CTK_DOWN) {
			if (d->sel + 1 < d->nitems)
				d->sel++;
		} else if (key == 'k' || key == CTK_UP) {
			if (d->sel > 0)
				d->sel--;
		} else if (key >= '1' && key <= '9' &&
		           (size_t)(key - '1') < d->nitems) {
			d->sel = (size_t)(key - '1');
			key = CTK_ENTER;
		} else if (key == CTK_ESC || key == 'q' || key == CTK_CTRL('C')) {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Cancelled");
		}
		if (key == CTK_ENTER && d->kind == APP_DIALOG_PICK_TAG) {
			char tag[1024];
			snprintf(tag, sizeof tag, "%s", d->items[d->sel]);
			d->kind = APP_DIALOG_NONE;
			remove_tags(app, doc, d->cell, false, tag);
		}
		break;
	case APP_DIALOG_RECOVERY:
		if (c == 'a') {
			d->kind = APP_DIALOG_NONE;
			recovery_apply_dialog(app, doc);
		} else if (c == 'd') {
			d->kind = APP_DIALOG_NONE;
			unlink(d->recovery_path);
			app_message(app, APP_MSG_INFO, "Recovered edits discarded");
		} else if (c == 'l' || cancel) {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Recovery file kept: %s",
			            d->recovery_path);
		}
		break;
	case APP_DIALOG_REAPPLY:
		if (c == 'r' || c == 'y') {
			d->kind = APP_DIALOG_NONE;
			doc_reload(app, doc, true);
		} else if (cancel || c == 'n') {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Save cancelled; edits kept");
		}
		break;
	case APP_DIALOG_RECOVERY_STALE:
		if (c == 'd') {
			d->kind = APP_DIALOG_NONE;
			unlink(d->recovery_path);
			app_message(app, APP_MSG_INFO, "Recovered edits discarded");
		} else if (c == 'k' || cancel) {
			d->kind = APP_DIALOG_NONE;
			app_message(app, APP_MSG_INFO, "Recovery file kept: %s",
			            d->recovery_path);
		}
		break;
	case APP_DIALOG_NONE:
		break;
	}
}

/* ---------------------------------------------------------------------
 * Actions per screen
 */

static void do_quit(struct app *app)
{
	size_t n = 0;
	for (size_t i = 0; i < app->ndocs; i++)
		n += app_doc_dirty(&app->docs[i]);
	if (n == 0) {
		app->quit = true;
		return;
	}
	if (app->ndocs == 1 || n == 1) {
		size_t i = 0;
		while (!app_doc_dirty(&app->docs[i]))
			i++;
		dialog_open(app, APP_DIALOG_QUIT,
		            "%s has unsaved edits: [s]ave, [d]iscard, [c]ancel",
		            app_doc_name(&app->docs[i]));
		app->dialog.doc = i;
	} else
		dialog_open(app, APP_DIALOG_QUIT,
		            "%zu notebooks have unsaved edits: [s]ave all, "
		            "[d]iscard, [c]ancel", n);
}

static void back_to_course(struct app *app)
{
	struct app_doc *doc = app_doc(app);
	app->screen = APP_SCREEN_COURSE;
	app->course_sel = app->cur;
	app_layout(app, app->list_rows, 0);
	if (doc && app_doc_dirty(doc))
		app_message(app, APP_MSG_INFO, "%s keeps its unsaved edits (+); "
		            "w saves all, q quits", app_doc_name(doc));
	else
		app->msg[0] = '\0';
}

void app_quit(struct app *app)
{
	if (app->dialog.kind == APP_DIALOG_NONE)
		do_quit(app);
}

static void open_doc(struct app *app, size_t idx)
{
	struct app_doc *doc = &app->docs[idx];
	if (!doc->nb) {
		app_message(app, APP_MSG_ERROR, "%s", doc->load_error);
		return;
	}
	app->cur = idx;
	app->screen = APP_SCREEN_NOTEBOOK;
	app->focus = APP_FOCUS_LIST;
	if (doc->readonly && !app->force_readonly)
		app_message(app, APP_MSG_WARN, "Read-only: %s", doc->ro_reason);
	else
		app->msg[0] = '\0';
	recovery_offer(app, doc);
}

static void notebook_action(struct app *app, enum action a)
{
	struct app_doc *doc = app_doc(app);
	bool pv = app->focus == APP_FOCUS_PREVIEW;
	size_t page = app->page_rows > 1 ? (size_t)app->page_rows - 1 : 1;
	size_t ppage = app->preview_rows > 1 ? (size_t)app->preview_rows - 1 : 1;
	size_t cell = app_selected_index(app);
	const struct nb_cell *c = cell == SIZE_MAX ? NULL : &doc->nb->cells[cell];

	switch (a) {
	case ACTION_CELL_NEXT:
		if (pv) preview_scroll(app, doc, 1);
		else if (doc->nrows) doc_select(app, doc, doc->sel + 1);
		break;
	case ACTION_CELL_PREV:
		if (pv) preview_scroll(app, doc, -1);
		else if (doc->sel > 0) doc_select(app, doc, doc->sel - 1);
		break;
	case ACTION_PAGE_DOWN:
		if (pv) preview_scroll(app, doc, (long)ppage);
		else if (doc->nrows) {
			doc_select(app, doc, doc->sel + page);
			if (doc->top + (size_t)app->list_rows < doc->nrows)
				doc->top = doc->sel;
			doc_fix_scroll(app, doc);
		}
		break;
	case ACTION_PAGE_UP:
		if (pv) preview_scroll(app, doc, -(long)ppage);
		else doc_select(app, doc, doc->sel > page ? doc->sel - page : 0);
		break;
	case ACTION_FIRST:
		if (pv) doc->pscroll = 0;
		else doc_select(app, doc, 0);
		break;
	case ACTION_LAST:
		if (pv) preview_scroll(app, doc, 1L << 30);
		else if (doc->nrows) doc_select(app, doc, doc->nrows - 1);
		break;
	case ACTION_FOCUS_TOGGLE:
		app->focus = pv ? APP_FOCUS_LIST : APP_FOCUS_PREVIEW;
		app_message(app, APP_MSG_INFO, "Focus: %s",
		            pv ? "cell list" : "preview (moves scroll it; Esc or "
		            "Tab returns)");
		break;
	case ACTION_OPEN:
		/* Enter "opens" the cell: the preview takes the keys. */
		if (!pv && c) {
			app->focus = APP_FOCUS_PREVIEW;
			app_message(app, APP_MSG_INFO, "Focus: preview (moves scroll "
			            "it; Esc or Tab returns)");
		}
		break;
	case ACTION_TAG_TOGGLE:
		if (!check_editable(app, doc, c))
			break;
		if (app_cell_is_tagged(doc, cell))
			remove_tags(app, doc, cell, true, NULL);
		else {
			char sug[RULES_TAG_MAX];
			struct ct_error err;
			ct_error_clear(&err);
			if (!adapt_suggest(app, doc, cell, sug, sizeof sug, &err)) {
				app_message(app, APP_MSG_ERROR, "No suggestion: %s", err.msg);
				sug[0] = '\0';
			}
			prompt_open(app, APP_PROMPT_TAG_TOGGLE, "Assignment tag: ", sug);
		}
		break;
	case ACTION_TAG_ADD:
		if (check_editable(app, doc, c))
			prompt_open(app, APP_PROMPT_TAG_ADD, "Add tag: ", "");
		break;
	case ACTION_TAG_REMOVE:
		if (!check_editable(app, doc, c))
			break;
		if (c->ntags == 0)
			app_message(app, APP_MSG_INFO, "Cell %zu has no tags", cell);
		else if (c->ntags == 1)
			remove_tags(app, doc, cell, false, c->tags[0]);
		else {
			dialog_open(app, APP_DIALOG_PICK_TAG,
			            "Remove which tag? (j/k, Enter, 1-9; Esc cancels)");
			app->dialog.items = c->tags;
			app->dialog.nitems = c->ntags;
			app->dialog.cell = cell;
		}
		break;
	case ACTION_TAG_EDIT:
		if (check_editable(app, doc, c)) {
			char buf[APP_PROMPT_MAX];
			size_t used = 0;
			buf[0] = '\0';
			for (size_t t = 0; t < c->ntags; t++) {
				int n = snprintf(buf + used, sizeof buf - used, "%s%s",
				                 t ? ", " : "", c->tags[t]);
				if (n < 0 || (size_t)n >= sizeof buf - used)
					break;
				used += (size_t)n;
			}
			prompt_open(app, APP_PROMPT_TAG_EDIT, "Tags (comma-separated): ",
			            buf);
		}
		break;
	case ACTION_UNTAGGED_NEXT:
	case ACTION_UNTAGGED_PREV:
		untagged_jump(app, doc, a == ACTION_UNTAGGED_PREV);
		break;
	case ACTION_SEARCH:
		prompt_open(app, APP_PROMPT_SEARCH, "/", "");
		break;
	case ACTION_SEARCH_NEXT:
	case ACTION_SEARCH_PREV:
		search_go(app, doc, a == ACTION_SEARCH_PREV, false);
		break;
	case ACTION_FILTER_CYCLE:
		doc->filter = (enum app_filter)((doc->filter + 1) % APP_FILTER_COUNT);
		doc_rebuild_rows(doc);
		doc->pscroll = 0;
		doc_fix_scroll(app, doc);
		app_message(app, APP_MSG_INFO, "Filter: %s (%zu cell%s)",
		            app_filter_name(doc->filter), doc->nrows,
		            doc->nrows == 1 ? "" : "s");
		break;
	case ACTION_UNDO:
	case ACTION_REDO:
		undo_redo(app, doc, a == ACTION_REDO);
		break;
	case ACTION_SAVE:
		doc_save(app, app->cur, false);
		break;
	case ACTION_BACK:
		if (app->course)
			back_to_course(app);
		break;
	default:
		break;
	}
}

static void course_action(struct app *app, enum action a)
{
	size_t page = app->page_rows > 1 ? (size_t)app->page_rows - 1 : 1;
	size_t n = app->ndocs;

	switch (a) {
	case ACTION_CELL_NEXT:
		if (app->course_sel + 1 < n) app->course_sel++;
		break;
	case ACTION_CELL_PREV:
		if (app->course_sel > 0) app->course_sel--;
		break;
	case ACTION_PAGE_DOWN:
		app->course_sel = app->course_sel + page < n ? app->course_sel + page
		                                             : n - 1;
		break;
	case ACTION_PAGE_UP:
		app->course_sel = app->course_sel > page ? app->course_sel - page : 0;
		break;
	case ACTION_FIRST:
		app->course_sel = 0;
		break;
	case ACTION_LAST:
		app->course_sel = n - 1;
		break;
	case ACTION_OPEN:
	case ACTION_FOCUS_TOGGLE:
		open_doc(app, app->course_sel);
		break;
	case ACTION_SAVE:
		if (save_all(app) && app->dialog.kind == APP_DIALOG_NONE)
			app_message(app, APP_MSG_INFO, "All notebooks saved");
		break;
	case ACTION_UNTAGGED_NEXT:
		for (size_t k = 1; k <= n; k++) {
			size_t i = (app->course_sel + k) % n;
			if (app->docs[i].nb && app->docs[i].n_untagged) {
				app->course_sel = i;
				return;
			}
		}
		app_message(app, APP_MSG_INFO, "No untagged exercise cells");
		break;
	default:
		break;
	}
	app_layout(app, app->list_rows, app->preview_rows);
}

static void help_action(struct app *app, enum action a)
{
	size_t page = app->page_rows > 1 ? (size_t)app->page_rows - 1 : 1;
	size_t lines = app->help_lines ? app->help_lines : ACTION_COUNT;
	size_t max = lines > (size_t)app->page_rows
	           ? lines - (size_t)app->page_rows : 0;

	switch (a) {
	case ACTION_CELL_NEXT: app->help_top++; break;
	case ACTION_CELL_PREV: if (app->help_top) app->help_top--; break;
	case ACTION_PAGE_DOWN: app->help_top += page; break;
	case ACTION_PAGE_UP:
		app->help_top = app->help_top > page ? app->help_top - page : 0;
		break;
	case ACTION_FIRST: app->help_top = 0; break;
	case ACTION_LAST: app->help_top = max; break;
	case ACTION_HELP: case ACTION_QUIT: case ACTION_BACK: case ACTION_OPEN:
		app->screen = app->help_return;
		break;
	default:
		break;
	}
	if (app->help_top > max)
		app->help_top = max;
}

void app_action(struct app *app, enum action a)
{
	if (app->screen == APP_SCREEN_HELP) {
		help_action(app, a);
		return;
	}
	switch (a) {
	case ACTION_HELP:
		app->help_return = app->screen;
		app->screen = APP_SCREEN_HELP;
		app->help_top = 0;
		return;
	case ACTION_QUIT:
		/* As in tig: q closes the notebook opened from the course
		 * screen (edits stay, marked + there); q there quits. */
		if (app->screen == APP_SCREEN_NOTEBOOK && app->course) {
			back_to_course(app);
			return;
		}
		do_quit(app);
		return;
	case ACTION_REDRAW:
		return;
	case ACTION_SUSPEND:
		app->suspend = true;
		return;
	default:
		break;
	}
	if (app->screen == APP_SCREEN_COURSE)
		course_action(app, a);
	else if (app_doc(app) && app_doc(app)->nb)
		notebook_action(app, a);
}

void app_key(struct app *app, int key)
{
	if (key == CTK_RESIZE || key == CTK_MOUSE)
		return;
	if (app->dialog.kind != APP_DIALOG_NONE) {
		dialog_key(app, key);
		return;
	}
	if (app->prompt.kind != APP_PROMPT_NONE) {
		prompt_key(app, key);
		return;
	}
	/* A recovery offer waits for the first key on a freshly opened
	 * notebook screen (single-notebook mode). */
	enum action a = keymap_lookup(app->km, key);
	if (key == CTK_ESC) {
		if (app->screen == APP_SCREEN_HELP)
			app->screen = app->help_return;
		else if (app->screen == APP_SCREEN_NOTEBOOK)
			app->focus = APP_FOCUS_LIST;
		app->msg[0] = '\0';
		app->msg_kind = APP_MSG_NONE;
		return;
	}
	if (a == ACTION_QUIT && key == CTK_CTRL('C')) {
		/* C-c leaves the whole editor from any screen (asking first). */
		app->msg[0] = '\0';
		do_quit(app);
		return;
	}
	if (a == ACTION_NONE) {
		char name[KEYMAP_NAME_MAX];
		app_message(app, APP_MSG_INFO, "Unbound key %s (? for help)",
		            keymap_key_name(key, name, sizeof name));
		return;
	}
	if (app->msg_kind != APP_MSG_NONE)
		app->msg[0] = '\0', app->msg_kind = APP_MSG_NONE;
	app_action(app, a);
}

/* Called once the UI is up, so offers appear as dialogs. */
void app_start(struct app *app)
{
	if (app->screen == APP_SCREEN_NOTEBOOK && app_doc(app))
		recovery_offer(app, app_doc(app));
}

size_t app_write_recovery(struct app *app)
{
	size_t n = 0;
	for (size_t i = 0; i < app->ndocs; i++) {
		struct app_doc *doc = &app->docs[i];
		if (app_doc_dirty(doc) && recovery_write(doc->nb, NULL, 0, NULL) == CT_OK)
			n++;
	}
	return n;
}
