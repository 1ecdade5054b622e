/* test_partial.c - notebook_load_cell(): a load that keeps one cell.
 *
 * `celltag tag` edits one cell, so it keeps only that cell's model (every
 * cell is still parsed and checked).  The promise is that nothing else
 * changes: for every notebook of the test data (and of the corpus when it
 * is there), every cell index, every cell id and some bad specs, the
 * partial load must fail exactly as the full load (status, message, line,
 * column), hold the very cell the full load's notebook_find_cell names,
 * field by field, give notebook_find_cell's errors word for word, and an
 * edit of it must render the same bytes as the same edit of the full load.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "coverage.h"
#include "detect.h"
#include "lint.h"
#include "notebook.h"
#include "recovery.h"
#include "save.h"
#include "suggest.h"
#include "testutil.h"
#include "../fuzz/nb_compare.h"

#define PROBE_TAG "assignment:partial-probe-1"

TestSuite(partial, .timeout = 300);

struct tally {
	size_t files, loadable, specs, kept, edited;
};

static char *render(const struct notebook *nb, size_t *len)
{
	char *out = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_render(nb, &out, len, &err), CT_OK, "%s", err.msg);
	return out;
}

/* One spec against the full load (NULL when it failed with `ferr`). */
static void check_spec(const char *data, size_t len, const char *name, struct notebook *full,
                       const struct ct_error *ferr, const char *spec, struct tally *t)
{
	struct notebook *part = NULL;
	struct ct_error perr;
	enum ct_status sp = notebook_load_buffer_cell(data, len, name, spec, &part, &perr);

	t->specs++;
	if (!full) {
		cr_assert_eq(sp, ferr->status, "%s [%s]: partial load %d, full load %d (%s)", name,
		             spec, (int)sp, (int)ferr->status, ferr->msg);
		cr_assert_null(part);
		cr_assert_str_eq(perr.msg, ferr->msg, "%s [%s]: message", name, spec);
		cr_assert(perr.line == ferr->line && perr.col == ferr->col,
		          "%s [%s]: at %ld:%ld, full load at %ld:%ld", name, spec, perr.line,
		          perr.col, ferr->line, ferr->col);
		return;
	}
	cr_assert_eq(sp, CT_OK, "%s [%s]: partial load failed: %s", name, spec, perr.msg);
	cr_assert(part->partial && !full->partial);
	const char *d = nbc_notebook_diff(part, full);
	cr_assert_null(d, "%s [%s]: notebooks differ in %s", name, spec, d);

	size_t fpos = 0, ppos = 0;
	struct ct_error e1, e2;
	enum ct_status f1 = notebook_find_cell(full, spec, &fpos, &e1);
	enum ct_status f2 = notebook_find_cell(part, spec, &ppos, &e2);
	cr_assert_eq(f2, f1, "%s [%s]: find_cell %d on the partial load, %d on the full", name,
	             spec, (int)f2, (int)f1);
	if (f1 != CT_OK) {
		cr_assert_str_eq(e2.msg, e1.msg, "%s [%s]: find_cell message", name, spec);
		cr_assert_eq(part->ncells, 0, "%s [%s]: kept a cell the spec does not name", name,
		             spec);
		notebook_free(&part);
		return;
	}
	t->kept++;
	cr_assert_eq(part->ncells, 1, "%s [%s]: %zu cells kept", name, spec, part->ncells);
	cr_assert_eq(ppos, 0);
	d = nbc_cell_diff(&part->cells[0], &full->cells[fpos]);
	cr_assert_null(d, "%s [%s]: cell %zu differs in %s", name, spec, fpos, d);

	/* The same edit on both renders the same bytes; undoing it gives
	 * back the file. */
	bool c1 = false, c2 = false;
	f1 = notebook_tag_add(full, fpos, PROBE_TAG, &c1, &e1);
	f2 = notebook_tag_add(part, ppos, PROBE_TAG, &c2, &e2);
	cr_assert_eq(f2, f1, "%s [%s]: tag_add %d vs %d (%s)", name, spec, (int)f2, (int)f1,
	             e1.msg);
	if (f1 != CT_OK) {
		cr_assert_str_eq(e2.msg, e1.msg, "%s [%s]: tag_add message", name, spec);
		notebook_free(&part);
		return;
	}
	cr_assert_eq(c1, c2);
	size_t n1, n2;
	char *r1 = render(full, &n1), *r2 = render(part, &n2);
	cr_assert(n1 == n2 && memcmp(r1, r2, n1) == 0,
	          "%s [%s]: the partial load renders an edit differently (%zu vs %zu bytes)",
	          name, spec, n2, n1);
	free(r1);
	free(r2);
	cr_assert_eq(notebook_tag_remove(full, fpos, PROBE_TAG, &c1, &e1), CT_OK, "%s", e1.msg);
	cr_assert_eq(notebook_tag_remove(part, ppos, PROBE_TAG, &c2, &e2), CT_OK, "%s", e2.msg);
	r2 = render(part, &n2);
	cr_assert(n2 == len && memcmp(r2, data, len) == 0, "%s [%s]: tag then untag differs",
	          name, spec);
	free(r2);
	cr_assert(!notebook_modified(full) && !notebook_modified(part));
	t->edited++;
	notebook_free(&part);
}

static void check_file(const char *path, struct tally *t)
{
	size_t len = 0;
	char *data = tu_read(path, &len);
	cr_assert_not_null(data, "cannot read %s", path);
	struct notebook *full = NULL;
	struct ct_error ferr;
	char spec[640];

	t->files++;
	if (notebook_load_buffer(data, len, path, &full, &ferr) == CT_OK)
		t->loadable++;
	/* Every index, one past the end, and a few that are far off. */
	size_t n = full ? full->cells_in_file : 2;
	for (size_t k = 0; k <= n; k++) {
		snprintf(spec, sizeof spec, "%zu", k);
		check_spec(data, len, path, full, &ferr, spec, t);
	}
	static const char *const odd[] = { "", "x", "-1", "1x", "99999999999999999999999",
	                                   "id:", "id:no-such-cell-id" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		check_spec(data, len, path, full, &ferr, odd[i], t);
	for (size_t k = 0; full && k < full->ncells; k++)
		if (full->cells[k].id && strlen(full->cells[k].id) < 600) {
			snprintf(spec, sizeof spec, "id:%s", full->cells[k].id);
			check_spec(data, len, path, full, &ferr, spec, t);
		}
	notebook_free(&full);
	free(data);
}

static void check_one(const char *path, void *t)
{
	check_file(path, t);
}

Test(partial, same_as_the_full_load_on_the_test_data)
{
	struct tally t = { 0 };
	tu_each_notebook("tests/data", check_one, &t);
	cr_log_info("partial: %zu test notebooks (%zu loadable), %zu specs, %zu cells kept, "
	            "%zu edited", t.files, t.loadable, t.specs, t.kept, t.edited);
	/* The data must exercise every branch: failures, kept cells, edits. */
	cr_assert_gt(t.files, 40);
	cr_assert_gt(t.files, t.loadable);
	cr_assert_gt(t.kept, 100);
	cr_assert_gt(t.edited, 50);
	cr_assert_gt(t.kept, t.edited);
}

Test(partial, same_as_the_full_load_on_the_corpus)
{
	const char *dir = tu_corpus_dir();
	if (!dir) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		cr_skip_test("corpus not found");
	}
	struct tally t = { 0 };
	tu_each_notebook(dir, check_one, &t);
	cr_log_info("partial: corpus: %zu notebooks (%zu loadable), %zu specs, %zu cells kept, "
	            "%zu edited", t.files, t.loadable, t.specs, t.kept, t.edited);
	cr_assert_gt(t.loadable, 0);
	cr_assert_gt(t.edited, 0);
}

/* Built in memory so each case says what it is about. */
static struct notebook *load_cell(const char *json, const char *spec)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer_cell(json, strlen(json), "t.ipynb", spec, &nb, &err),
	             CT_OK, "%s", err.msg);
	return nb;
}

static const char three_cells[] =
	"{\"cells\": [\n"
	" {\"cell_type\": \"markdown\", \"id\": \"a\", \"metadata\": {}, \"source\": \"# Ex 1\"},\n"
	" {\"cell_type\": \"code\", \"id\": \"dup\", \"metadata\": {}, \"outputs\": [],"
	" \"execution_count\": null, \"source\": \"def f():\\n    pass\"},\n"
	" {\"cell_type\": \"code\", \"id\": \"dup\", \"metadata\": {\"tags\": [\"x\"]},"
	" \"outputs\": [], \"execution_count\": 3, \"source\": \"f()\"}\n"
	"], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}\n";

Test(partial, keeps_the_named_cell_with_its_place_in_the_file)
{
	struct notebook *nb = load_cell(three_cells, "2");
	cr_assert(nb->partial);
	cr_assert_eq(nb->ncells, 1);
	cr_assert_eq(nb->cells_in_file, 3);
	cr_assert_eq(nb->cells[0].index, 2);
	cr_assert_str_eq(nb->cells[0].source, "f()");
	cr_assert_eq(nb->cells[0].execution_count, 3);
	notebook_free(&nb);

	/* As notebook_find_cell: the first cell with the id. */
	nb = load_cell(three_cells, "id:dup");
	cr_assert_eq(nb->ncells, 1);
	cr_assert_eq(nb->cells[0].index, 1);
	size_t pos = 9;
	struct ct_error err;
	cr_assert_eq(notebook_find_cell(nb, "id:dup", &pos, &err), CT_OK);
	cr_assert_eq(pos, 0);
	/* A cell that was not kept is not found, whatever the spec. */
	cr_assert_eq(notebook_find_cell(nb, "id:a", &pos, &err), CT_CELL);
	cr_assert_eq(notebook_find_cell(nb, "0", &pos, &err), CT_CELL);
	cr_assert_eq(notebook_find_cell(nb, "3", &pos, &err), CT_CELL);
	cr_assert_str_eq(err.msg, "no cell 3: the notebook has 3 cells (0-2)");
	notebook_free(&nb);
}

Test(partial, errors_after_the_kept_cell_still_fail_the_load)
{
	/* A broken value in the last cell, a structural problem in another. */
	static const char broken[] =
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"x\"},\n"
		" {\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"y\", \"outputs\": [1,]}],\n"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	static const char no_type[] =
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"x\"},\n"
		" {\"metadata\": {}, \"source\": \"y\"}],\n"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer_cell(broken, strlen(broken), "b.ipynb", "0", &nb, &err),
	             CT_SYNTAX);
	cr_assert_null(nb);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(notebook_load_buffer_cell(no_type, strlen(no_type), "b.ipynb", "0", &nb, &err),
	             CT_FORMAT);
	cr_assert_str_eq(err.msg, "cell 1 has no cell_type");
	/* Read-only reasons that come from any cell reach the notebook. */
	static const char dupkeys[] =
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"x\"},\n"
		" {\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"y\", \"source\": \"z\"}],\n"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	nb = load_cell(dupkeys, "0");
	cr_assert_str_eq(nb->readonly_reason, "a cell has duplicate keys");
	bool changed;
	cr_assert_eq(notebook_tag_add(nb, 0, PROBE_TAG, &changed, &err), CT_READONLY);
	notebook_free(&nb);
}

Test(partial, a_second_cells_list_wins_as_in_the_full_load)
{
	static const char twice[] =
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"first\"}],\n"
		" \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"source\": \"second\"},"
		" {\"cell_type\": \"raw\", \"metadata\": {}, \"source\": \"third\"}],\n"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	struct notebook *nb = load_cell(twice, "0");
	cr_assert_eq(nb->ncells, 1);
	cr_assert_eq(nb->cells_in_file, 2);
	cr_assert_str_eq(nb->cells[0].source, "second");
	notebook_free(&nb);
}

Test(partial, whole_notebook_functions_refuse_it)
{
	struct notebook *nb = load_cell(three_cells, "1");
	struct ct_config cfg;
	struct ct_error err;
	config_init_defaults(&cfg);

	struct detect_result *det = NULL;
	cr_assert_eq(detect_notebook_alloc(NULL, &cfg, nb, &det, &err), CT_USAGE);
	cr_assert_null(det);
	cr_assert_str_eq(err.msg, "only one cell was loaded; this needs the whole notebook");

	struct lint_report rep;
	memset(&rep, 0, sizeof rep);
	cr_assert_eq(lint_notebook(nb, &cfg, NULL, NULL, &rep, &err), CT_USAGE);
	lint_report_free(&rep);

	struct coverage_row row;
	cr_assert_eq(coverage_scan_notebook(nb, "t.ipynb", &cfg, NULL, NULL, &row, &err), CT_USAGE);
	coverage_row_free(&row);

	struct recovery rec = { 0 };
	size_t napplied = 0;
	cr_assert_eq(recovery_apply(&rec, nb, &napplied, &err), CT_USAGE);

	struct suggest_plan plan;
	cr_assert_eq(suggest_notebook(nb, &cfg, NULL, NULL, &plan, &err), CT_USAGE);
	char buf[128];
	cr_assert_eq(suggest_for_cell(nb, 0, &cfg, NULL, NULL, buf, sizeof buf, &err), CT_USAGE);

	/* detect_notebook fills its caller's array: nothing is an exercise
	 * without the cells around it. */
	struct detector *d = NULL;
	cr_assert_eq(detector_new(&cfg, &d, &err), CT_OK, "%s", err.msg);
	struct detect_result one = { .is_exercise = true };
	detect_notebook(d, nb, &one);
	cr_assert(!one.is_exercise);
	detector_free(&d);
	config_free(&cfg);
	notebook_free(&nb);
}
