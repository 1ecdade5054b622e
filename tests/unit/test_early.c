/* test_early.c - notebook_load_cell_early(): `celltag tag` starts saving a
 * big notebook while a thread still checks the rest of it.
 *
 * The promise: what is committed is what notebook_load_cell_lean (read
 * whole, then edit, then save) would have written, byte for byte, and a file
 * the whole load refuses is refused with that load's error and left alone.
 * So:
 *  - for every notebook of the test data and of the corpus and several cells
 *    of each, the early load plus its check gives the whole load's result:
 *    the same error (message, line:column) when the whole load fails, else the
 *    same model once checked, and the bytes rendered before the check equal
 *    the whole load's for the same edit;
 *  - a save waits for the check (save_options.before_commit): an error after
 *    the cell writes nothing and leaves no temporary file; without the check
 *    notebook_save refuses to commit;
 *  - through `celltag tag` on files over NB_RELEASE_MIN: the same bytes as
 *    without the early load; a bad end of file prints only the load's error;
 *    facts of the whole file the start cannot know (duplicate keys after the
 *    cells, \u escapes that set the style) make it run again the usual way.
 */
#include <criterion/criterion.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "notebook.h"
#include "save.h"
#include "testutil.h"
#include "../fuzz/nb_compare.h"

#define PROBE_TAG "assignment:early-probe-1"

TestSuite(early, .timeout = 300);

static char *render(const struct notebook *nb, size_t *len)
{
	char *out = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_render(nb, &out, len, &err), CT_OK, "%s: %s", nb->path, err.msg);
	return out;
}

struct tally {
	size_t loads, early, late_errors, differs;
};

static void check_spec(const char *path, const char *spec, struct tally *t)
{
	struct notebook *whole = NULL, *nb = NULL;
	struct nb_check *check = NULL;
	struct ct_error werr, err;
	enum ct_status ws = notebook_load_cell_lean(path, spec, 0, &whole, &werr);
	enum ct_status st = notebook_load_cell_early(path, spec, 0, &nb, &check, &err);
	t->loads++;
	if (st != CT_OK) {
		cr_assert_null(check);
		cr_assert_eq(st, ws, "%s [%s]: early %d, whole %d", path, spec, (int)st, (int)ws);
		cr_assert_str_eq(err.msg, werr.msg);
		cr_assert(err.line == werr.line && err.col == werr.col);
		return;
	}
	t->early += check != NULL;
	/* Edit and render before the check, as the save does. */
	size_t cell, n1 = 0, n2 = 0;
	char *early_bytes = NULL, *whole_bytes = NULL;
	bool found = notebook_find_cell(nb, spec, &cell, &err) == CT_OK;
	if (found && !nb->cells[cell].readonly_reason && !nb->readonly_reason) {
		cr_assert_eq(notebook_tag_add(nb, cell, PROBE_TAG, NULL, &err), CT_OK, "%s", err.msg);
		early_bytes = render(nb, &n1);
	}
	bool differs = true;
	enum ct_status cs = notebook_check_finish(&check, nb, &differs, &err);
	cr_assert_null(check);
	if (ws != CT_OK) {
		/* Failed after the cell: the whole load's error, nothing else. */
		t->late_errors++;
		cr_assert_eq(cs, ws, "%s [%s]: check %d, whole %d (%s)", path, spec, (int)cs, (int)ws,
		             werr.msg);
		cr_assert_not(differs);
		cr_assert_str_eq(err.msg, werr.msg);
		cr_assert(err.line == werr.line && err.col == werr.col, "%s [%s]: %ld:%ld vs %ld:%ld",
		          path, spec, err.line, err.col, werr.line, werr.col);
	} else if (differs) {
		t->differs++;
		cr_assert_eq(cs, CT_CONFLICT);
	} else {
		cr_assert_eq(cs, CT_OK, "%s [%s]: %s", path, spec, err.msg);
		cr_assert_not(nb->early_);
		const char *d = nbc_notebook_diff(nb, whole);
		cr_assert_null(d, "%s [%s]: checked early load differs in %s", path, spec, d);
		cr_assert_eq(nb->ncells, whole->ncells);
		for (size_t i = 0; i < nb->ncells; i++)
			cr_assert_null(notebook_cell_diff(&nb->cells[i], &whole->cells[i], true));
		if (early_bytes) {
			cr_assert_eq(notebook_tag_add(whole, cell, PROBE_TAG, NULL, &werr), CT_OK);
			whole_bytes = render(whole, &n2);
			cr_assert(n1 == n2 && memcmp(early_bytes, whole_bytes, n1) == 0,
			          "%s [%s]: rendered before the check, %zu bytes; whole, %zu", path,
			          spec, n1, n2);
		}
	}
	free(early_bytes);
	free(whole_bytes);
	notebook_free(&nb);
	notebook_free(&whole);
}

static void check_file(const char *path, void *ctx)
{
	struct notebook *full = NULL;
	struct ct_error err;
	size_t n = 3;
	char spec[64];
	if (notebook_load(path, &full, &err) == CT_OK)
		n = full->ncells;
	for (size_t k = 0; k < 3; k++) {
		snprintf(spec, sizeof spec, "%zu", k == 0 ? 0 : k == 1 ? n / 2 : n ? n - 1 : 0);
		check_spec(path, spec, ctx);
	}
	if (full && n && full->cells[n / 2].id && strlen(full->cells[n / 2].id) < 40) {
		snprintf(spec, sizeof spec, "id:%s", full->cells[n / 2].id);
		check_spec(path, spec, ctx);
	}
	snprintf(spec, sizeof spec, "%zu", n + 7);
	check_spec(path, spec, ctx);
	notebook_free(&full);
}

Test(early, same_as_the_whole_load_on_the_test_data)
{
	struct tally t = { 0 };
	tu_each_notebook("tests/data", check_file, &t);
	cr_log_info("early: test data: %zu loads, %zu early, %zu failing after the cell, "
	            "%zu redone", t.loads, t.early, t.late_errors, t.differs);
	cr_assert_gt(t.early, 100);
	cr_assert_gt(t.late_errors, 0);
	cr_assert_gt(t.differs, 0);
}

Test(early, same_as_the_whole_load_on_the_corpus)
{
	const char *dir = tu_corpus_dir();
	if (!dir) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		cr_skip_test("corpus not found");
	}
	struct tally t = { 0 };
	tu_each_notebook(dir, check_file, &t);
	cr_log_info("early: corpus: %zu loads, %zu early, %zu failing after the cell, %zu redone",
	            t.loads, t.early, t.late_errors, t.differs);
	cr_assert_gt(t.early, 50);
}

/* ---- big generated notebooks ------------------------------------------ */

struct buf {
	char *p;
	size_t len;
};

/* A Jupyter-format notebook of `ncells` code cells with 40 KB outputs (over
 * NB_RELEASE_MIN from 110 cells), `last` replacing the last cell and
 * `after` put after the cells list. */
static struct buf big(size_t ncells, const char *last, const char *after)
{
	struct buf b = { NULL, 0 };
	FILE *f = open_memstream(&b.p, &b.len);
	cr_assert_not_null(f);
	fputs("{\n \"cells\": [\n", f);
	for (size_t i = 0; i < ncells; i++) {
		if (i + 1 == ncells && last) {
			fprintf(f, "%s\n", last);
			break;
		}
		fprintf(f, "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": %zu,\n"
		        "   \"id\": \"c%zu\",\n   \"metadata\": {},\n   \"outputs\": [\n    {\n"
		        "     \"data\": {\n      \"image/png\": \"", i + 1, i);
		for (int k = 0; k < 40000; k++)
			fputc("ABCDEFGHabcdefgh0123456789+/"[(k * 7 + i) % 28], f);
		fprintf(f, "\"\n     },\n     \"metadata\": {},\n     \"output_type\": \"display_data\"\n"
		        "    }\n   ],\n   \"source\": [\n    \"def f_%zu():\\n\",\n    \"    pass\"\n"
		        "   ]\n  }%s\n", i, i + 1 < ncells ? "," : "");
	}
	fprintf(f, " ],\n%s \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n",
	        after ? after : "");
	fclose(f);
	return b;
}

struct fixture {
	char *dir;
	char path[4096];
	struct buf orig;
};

static void fixture_make(struct fixture *f, const char *last, const char *after)
{
	f->dir = tu_tmpdir();
	snprintf(f->path, sizeof f->path, "%s/big.ipynb", f->dir);
	f->orig = big(120, last, after);
	cr_assert_gt(f->orig.len, NB_RELEASE_MIN);
	cr_assert(tu_write(f->path, f->orig.p, f->orig.len));
	tu_settle();
}

static void fixture_free(struct fixture *f)
{
	free(f->orig.p);
	tu_rmtree(&f->dir);
}

static void assert_untouched(const struct fixture *f, const char *what)
{
	size_t len;
	char *now = tu_read(f->path, &len);
	cr_assert(now && len == f->orig.len && memcmp(now, f->orig.p, len) == 0,
	          "%s: the file was changed", what);
	free(now);
	cr_assert_eq(tu_count_entries(f->dir), 1, "%s: a temporary file was left", what);
}

static enum ct_status finish_hook(void *ctx, struct notebook *nb, struct ct_error *err)
{
	bool differs;
	return notebook_check_finish(ctx, nb, &differs, err);
}

#define BAD_LAST "  {\"cell_type\": \"code\" \"metadata\": {}, \"outputs\": [], \"source\": \"x\"}"

Test(early, a_save_waits_for_the_check_and_a_late_error_writes_nothing)
{
	struct fixture f;
	fixture_make(&f, BAD_LAST, NULL);
	struct notebook *nb = NULL, *whole = NULL;
	struct nb_check *check = NULL;
	struct ct_error err, werr;
	cr_assert_neq(notebook_load_cell_lean(f.path, "5", 0, &whole, &werr), CT_OK);
	cr_assert_eq(notebook_load_cell_early(f.path, "5", 0, &nb, &check, &err), CT_OK, "%s",
	             err.msg);
	cr_assert_not_null(check, "not loaded early");
	cr_assert(nb->early_);
	cr_assert_eq(notebook_tag_add(nb, 0, PROBE_TAG, NULL, &err), CT_OK);
	struct save_options so = { .before_commit = finish_hook, .commit_ctx = &check };
	enum ct_status st = notebook_save(&nb, &so, false, &err);
	cr_assert_eq(st, werr.status, "save %d (%s), whole load %d", (int)st, err.msg,
	             (int)werr.status);
	cr_assert_str_eq(err.msg, werr.msg);
	cr_assert(err.line == werr.line && err.col == werr.col);
	cr_assert_null(check, "the check was not finished");
	assert_untouched(&f, "a late syntax error");
	notebook_free(&nb);
	fixture_free(&f);
}

Test(early, an_unchecked_notebook_is_not_committed)
{
	struct fixture f;
	fixture_make(&f, NULL, NULL);
	struct notebook *nb = NULL;
	struct nb_check *check = NULL;
	struct ct_error err;
	bool differs;
	cr_assert_eq(notebook_load_cell_early(f.path, "5", 0, &nb, &check, &err), CT_OK);
	cr_assert_not_null(check);
	cr_assert_eq(notebook_tag_add(nb, 0, PROBE_TAG, NULL, &err), CT_OK);
	cr_assert_eq(notebook_save(&nb, NULL, false, &err), CT_USAGE);
	assert_untouched(&f, "no check");
	cr_assert_eq(notebook_check_finish(&check, nb, &differs, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_save(&nb, NULL, false, &err), CT_OK, "%s", err.msg);
	notebook_free(&nb);
	fixture_free(&f);
}

/* ---- through `celltag tag` -------------------------------------------- */

struct run {
	int rc;
	char out[4096], err[4096];
};

static struct run run_cli(int argc, const char **argv)
{
	struct run r;
	FILE *o = tmpfile(), *e = tmpfile();
	cr_assert(o && e);
	r.rc = cli_run(argc, (char **)argv, o, e);
	rewind(o);
	rewind(e);
	r.out[fread(r.out, 1, sizeof r.out - 1, o)] = '\0';
	r.err[fread(r.err, 1, sizeof r.err - 1, e)] = '\0';
	fclose(o);
	fclose(e);
	return r;
}

/* What tagging `spec` with `tag` (and `tag2`) must write: the whole load,
 * edited. */
static char *expected(const char *path, const char *spec, const char *tag, const char *tag2,
                      size_t *len)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	size_t cell;
	cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_find_cell(nb, spec, &cell, &err), CT_OK);
	cr_assert_eq(notebook_tag_add(nb, cell, tag, NULL, &err), CT_OK);
	if (tag2)
		cr_assert_eq(notebook_tag_add(nb, cell, tag2, NULL, &err), CT_OK);
	char *out = render(nb, len);
	notebook_free(&nb);
	return out;
}

static void assert_file(const char *path, const char *data, size_t len, const char *what)
{
	size_t n;
	char *now = tu_read(path, &n);
	cr_assert(now && n == len && memcmp(now, data, len) == 0, "%s: %zu bytes, expected %zu",
	          what, n, len);
	free(now);
}

Test(early, tag_writes_what_the_whole_load_would)
{
	struct fixture f;
	fixture_make(&f, NULL, NULL);
	size_t len;
	char *want = expected(f.path, "7", "assignment:lesson-01-exercise-7", "x", &len);
	const char *tag[] = { "celltag", "tag", f.path, "7", "assignment:lesson-01-exercise-7",
	                      "x" };
	struct run r = run_cli(6, tag);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "tags now [assignment:lesson-01-exercise-7, x]"), "%s", r.out);
	assert_file(f.path, want, len, "tag");
	/* Again: both already there, nothing written. */
	tu_settle();
	r = run_cli(6, tag);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "assignment:lesson-01-exercise-7: already tagged") &&
	          strstr(r.out, "no change; file not written"), "%s", r.out);
	assert_file(f.path, want, len, "tag again");
	tu_settle();
	const char *untag[] = { "celltag", "untag", f.path, "7", "assignment:lesson-01-exercise-7",
	                        "x" };
	r = run_cli(6, untag);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	assert_file(f.path, f.orig.p, f.orig.len, "untag");
	free(want);
	fixture_free(&f);
}

Test(early, a_bad_end_prints_only_the_load_error)
{
	struct fixture f;
	fixture_make(&f, BAD_LAST, NULL);
	struct notebook *nb = NULL;
	struct ct_error werr;
	cr_assert_neq(notebook_load_cell_lean(f.path, "5", 0, &nb, &werr), CT_OK);
	char line[64];
	snprintf(line, sizeof line, ":%ld:%ld: ", werr.line, werr.col);
	/* A new tag (a save), then one already there (no save). */
	const char *tag[] = { "celltag", "tag", f.path, "5", "assignment:lesson-01-exercise-5" };
	for (int round = 0; round < 2; round++) {
		struct run r = run_cli(5, tag);
		cr_assert_eq(r.rc, CLI_EXIT_INPUT, "round %d: exit %d: %s", round, r.rc, r.err);
		cr_assert_str_empty(r.out, "round %d: printed %s", round, r.out);
		cr_assert(strstr(r.err, werr.msg) && strstr(r.err, line), "round %d: %s", round, r.err);
		assert_untouched(&f, "a bad end");
		if (round == 0) {
			/* The same file with the tag already on cell 5. */
			size_t len;
			char *with = NULL;
			struct notebook *whole = NULL;
			struct ct_error e;
			const char *p = strstr(f.orig.p, "\"id\": \"c5\"");
			cr_assert_not_null(p);
			const char *meta = strstr(p, "\"metadata\": {}");
			size_t at = (size_t)(meta - f.orig.p) + strlen("\"metadata\": ");
			FILE *m = open_memstream(&with, &len);
			fprintf(m, "%.*s{\"tags\": [\"assignment:lesson-01-exercise-5\"]}%s", (int)at,
			        f.orig.p, f.orig.p + at + 2);
			fclose(m);
			free(f.orig.p);
			f.orig.p = with;
			f.orig.len = len;
			cr_assert(tu_write(f.path, with, len));
			tu_settle();
			cr_assert_neq(notebook_load_cell_lean(f.path, "5", 0, &whole, &e), CT_OK);
			werr = e;
			snprintf(line, sizeof line, ":%ld:%ld: ", werr.line, werr.col);
		}
	}
	notebook_free(&nb);
	fixture_free(&f);
}

Test(early, whole_file_facts_make_it_run_again_the_usual_way)
{
	/* A duplicate key after the cells: the notebook is read-only. */
	struct fixture f;
	fixture_make(&f, NULL, " \"nbformat_minor\": 4,\n");
	const char *tag[] = { "celltag", "tag", f.path, "5", "assignment:lesson-01-exercise-5" };
	struct run r = run_cli(5, tag);
	cr_assert_eq(r.rc, CLI_EXIT_INPUT, "exit %d: %s", r.rc, r.err);
	cr_assert(strstr(r.err, "duplicate top-level keys"), "%s", r.err);
	cr_assert_str_empty(r.out);
	assert_untouched(&f, "duplicate keys");
	fixture_free(&f);

	/* A \u escape after the cell: the file escapes non-ASCII, so a new
	 * tag's é must be written as \u00e9, as the whole load knows. */
	const char *esc = "  {\"cell_type\": \"markdown\", \"id\": \"m\", \"metadata\": {}, "
	                  "\"source\": \"caf\\u00e9\"}";
	fixture_make(&f, esc, NULL);
	size_t len;
	char *want = expected(f.path, "5", "caf\xc3\xa9", NULL, &len);
	cr_assert(memmem(want, len, "\"caf\\u00e9\"", 11), "the fixture does not escape");
	const char *tag2[] = { "celltag", "tag", f.path, "5", "caf\xc3\xa9" };
	r = run_cli(5, tag2);
	cr_assert_eq(r.rc, 0, "exit %d: %s", r.rc, r.err);
	assert_file(f.path, want, len, "escaped style");
	free(want);
	fixture_free(&f);
}
