/* test_lean.c - notebook_load_lean(): the editor's load that does not keep
 * the file's bytes in memory.
 *
 * The promise: a released notebook is the same model as notebook_load's,
 * renders and saves the same bytes for the same edits (read back from the
 * file it holds open), fails to load with the same message and line:column
 * even after giving parsed bytes back, and never writes bytes it cannot
 * prove are the loaded ones: a file rewritten in place is a conflict even
 * for a forced save, while a file replaced by rename (its old bytes still
 * readable) can be overwritten as with notebook_load.
 *
 * The lean loads here give bytes back every page (step 4096), so every
 * notebook of more than a few pages is parsed with its start unmapped: a
 * stray read of an earlier cell would crash these tests.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notebook.h"
#include "recovery.h"
#include "save.h"
#include "testutil.h"
#include "../fuzz/json_stream_check.h"
#include "../fuzz/nb_compare.h"

#define PROBE_TAG "assignment:lean-probe-1"
#define STEP 4096

TestSuite(lean, .timeout = 300);

static char *render(const struct notebook *nb, size_t *len)
{
	char *out = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_render(nb, &out, len, &err), CT_OK, "%s: %s", nb->path, err.msg);
	return out;
}

static void assert_same_render(const struct notebook *lean, const struct notebook *full,
                               const char *what)
{
	size_t n1, n2;
	char *r1 = render(full, &n1), *r2 = render(lean, &n2);
	cr_assert(n1 == n2 && memcmp(r1, r2, n1) == 0,
	          "%s: %s: the released notebook renders %zu bytes, the full load %zu",
	          full->path, what, n2, n1);
	free(r1);
	free(r2);
}

struct tally {
	size_t files, loaded, released, edits, partial;
};

/* notebook_load_cell_lean (what `celltag tag` uses) against notebook_load_cell:
 * the same status, error and position, the same kept cell, the same bytes
 * for the same edit. */
static void check_partial(const char *path, const char *spec, struct tally *t)
{
	struct notebook *full = NULL, *lean = NULL;
	struct ct_error ferr, lerr;
	enum ct_status fs = notebook_load_cell(path, spec, &full, &ferr);
	enum ct_status ls = notebook_load_lean_probe(path, spec, 0, STEP, NULL, &lean, &lerr);
	cr_assert_eq(ls, fs, "%s [%s]: lean %d, full %d (%s)", path, spec, (int)ls, (int)fs,
	             ferr.msg);
	if (fs != CT_OK) {
		cr_assert_str_eq(lerr.msg, ferr.msg, "%s [%s]: message", path, spec);
		cr_assert(lerr.line == ferr.line && lerr.col == ferr.col, "%s [%s]: position", path,
		          spec);
		return;
	}
	t->partial++;
	cr_assert(lean->partial);
	cr_assert_eq(lean->released, full->file.ctime_settled && full->len > 0);
	const char *d = nbc_notebook_diff(lean, full);
	cr_assert_null(d, "%s [%s]: notebooks differ in %s", path, spec, d);
	for (size_t i = 0; i < full->ncells; i++) {
		d = nbc_cell_diff(&lean->cells[i], &full->cells[i]);
		cr_assert_null(d, "%s [%s]: kept cell differs in %s", path, spec, d);
		struct ct_error e1, e2;
		enum ct_status s1 = notebook_tag_add(full, i, PROBE_TAG, NULL, &e1);
		cr_assert_eq(notebook_tag_add(lean, i, PROBE_TAG, NULL, &e2), s1);
	}
	assert_same_render(lean, full, spec);
	notebook_free(&lean);
	notebook_free(&full);
}

/* Edit both notebooks the same way; renders must agree after each step. */
static void check_edits(struct notebook *lean, struct notebook *full, const char *data,
                        size_t len, struct tally *t)
{
	struct ct_error e1, e2;
	bool c1, c2;
	size_t n = full->ncells, step = n > 48 ? n / 48 : 1;

	for (size_t i = 0; i < n; i += step) {
		enum ct_status s1 = notebook_tag_add(full, i, PROBE_TAG, &c1, &e1);
		enum ct_status s2 = notebook_tag_add(lean, i, PROBE_TAG, &c2, &e2);
		cr_assert_eq(s2, s1, "%s: cell %zu: tag_add %d vs %d", full->path, i, (int)s2,
		             (int)s1);
		if (s1 != CT_OK)
			continue;
		assert_same_render(lean, full, "one tag added");
		cr_assert_eq(notebook_tag_remove(full, i, PROBE_TAG, &c1, &e1), CT_OK);
		cr_assert_eq(notebook_tag_remove(lean, i, PROBE_TAG, &c2, &e2), CT_OK);
		size_t rn;
		char *r = render(lean, &rn);
		cr_assert(rn == len && memcmp(r, data, len) == 0, "%s: cell %zu: tag then untag",
		          full->path, i);
		free(r);
		t->edits++;
	}
	/* Many cells at once, loaded tags removed too. */
	for (size_t i = 0; i < n; i++) {
		const struct nb_cell *c = &full->cells[i];
		if (c->ntags && !c->readonly_reason) {
			char *first = strdup(c->tags[0]);
			notebook_tag_remove(full, i, first, NULL, &e1);
			notebook_tag_remove(lean, i, first, NULL, &e2);
			free(first);
		} else {
			notebook_tag_add(full, i, PROBE_TAG, NULL, &e1);
			notebook_tag_add(lean, i, PROBE_TAG, NULL, &e2);
		}
	}
	assert_same_render(lean, full, "every cell edited");
}

static void check_file(const char *path, struct tally *t)
{
	struct notebook *full = NULL, *lean = NULL;
	struct ct_error ferr, lerr;
	enum ct_status fs = notebook_load(path, &full, &ferr);
	enum ct_status ls = notebook_load_lean_step(path, 0, STEP, &lean, &lerr);

	t->files++;
	cr_assert_eq(ls, fs, "%s: lean load %d, full load %d (%s)", path, (int)ls, (int)fs,
	             ferr.msg);
	if (fs != CT_OK) {
		cr_assert_str_eq(lerr.msg, ferr.msg, "%s: message", path);
		cr_assert(lerr.line == ferr.line && lerr.col == ferr.col,
		          "%s: lean load fails at %ld:%ld, full load at %ld:%ld", path, lerr.line,
		          lerr.col, ferr.line, ferr.col);
		check_partial(path, "0", t);
		return;
	}
	t->loaded++;
	bool expect = full->file.ctime_settled && full->len > 0;
	cr_assert_eq(lean->released, expect, "%s: released %d, settled %d", path,
	             (int)lean->released, (int)full->file.ctime_settled);
	if (lean->released) {
		t->released++;
		cr_assert_null(lean->data);
	}
	const char *d = nbc_notebook_diff(lean, full);
	cr_assert_null(d, "%s: notebooks differ in %s", path, d);
	cr_assert_eq(lean->ncells, full->ncells);
	for (size_t i = 0; i < full->ncells; i++) {
		d = nbc_cell_diff(&lean->cells[i], &full->cells[i]);
		cr_assert_null(d, "%s: cell %zu differs in %s", path, i, d);
	}
	cr_assert_eq(notebook_hash(lean), ct_hash_content(full->data, full->len));
	cr_assert_eq(notebook_hash(full), ct_hash_content(full->data, full->len));
	cr_assert_eq(notebook_hash_legacy(lean), ct_hash_bytes(full->data, full->len));
	char *copy = malloc(full->len + 1);
	cr_assert_eq(notebook_read_bytes(lean, 0, full->len, copy, &lerr), CT_OK, "%s", lerr.msg);
	cr_assert(memcmp(copy, full->data, full->len) == 0, "%s: notebook_read_bytes", path);
	free(copy);
	check_edits(lean, full, full->data, full->len, t);
	/* One cell kept: the first, the middle one (by id too), the last, none. */
	size_t n = full->ncells;
	char spec[64];
	for (size_t k = 0; k < 3 && n; k++) {
		snprintf(spec, sizeof spec, "%zu", k == 0 ? 0 : k == 1 ? n / 2 : n - 1);
		check_partial(path, spec, t);
	}
	if (n && full->cells[n / 2].id && strlen(full->cells[n / 2].id) < 40) {
		snprintf(spec, sizeof spec, "id:%s", full->cells[n / 2].id);
		check_partial(path, spec, t);
	}
	snprintf(spec, sizeof spec, "%zu", n + 7);
	check_partial(path, spec, t);
	notebook_free(&lean);
	notebook_free(&full);
}

static void check_one(const char *path, void *t)
{
	check_file(path, t);
}

Test(lean, same_as_the_full_load_on_the_test_data)
{
	struct tally t = { 0 };
	tu_each_notebook("tests/data", check_one, &t);
	cr_log_info("lean: %zu test notebooks, %zu loaded, %zu released, %zu single-cell edits, "
	            "%zu one-cell loads", t.files, t.loaded, t.released, t.edits, t.partial);
	/* The checked-out files are older than the clock: all released. */
	cr_assert_gt(t.files, t.loaded);
	cr_assert_eq(t.released, t.loaded);
	cr_assert_gt(t.edits, 100);
	cr_assert_gt(t.partial, 100);
}

Test(lean, same_as_the_full_load_on_the_corpus)
{
	const char *dir = tu_corpus_dir();
	if (!dir) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		cr_skip_test("corpus not found");
	}
	struct tally t = { 0 };
	tu_each_notebook(dir, check_one, &t);
	cr_log_info("lean: corpus: %zu notebooks, %zu loaded, %zu released, %zu edits, %zu "
	            "one-cell loads", t.files, t.loaded, t.released, t.edits, t.partial);
	cr_assert_gt(t.released, 0);
}

/* The scanner alone, fed every notebook of the test data and the corpus a
 * few bytes at a time (json_stream_check.h): the same scan as of the whole
 * file, and, under ASan, not one read of a byte not given yet. */
struct parts_tally {
	size_t files, diffs;
};

static void check_parts(const char *path, void *ctx)
{
	struct parts_tally *t = ctx;
	size_t len;
	char *data = tu_read(path, &len);
	cr_assert_not_null(data, "%s", path);
	for (unsigned seed = 1; seed <= 3; seed++) {
		const char *d = jsc_diff(data, len, seed);
		cr_expect_null(d, "%s (seed %u): scanned in parts, %s differs", path, seed, d);
		t->diffs += d != NULL;
	}
	t->files++;
	free(data);
}

Test(lean, the_scanner_fed_in_parts_scans_as_over_the_whole)
{
	struct parts_tally t = { 0 };
	tu_each_notebook("tests/data", check_parts, &t);
	const char *dir = tu_corpus_dir();
	if (dir)
		tu_each_notebook(dir, check_parts, &t);
	else
		cr_log_warn("corpus part skipped: corpus not found");
	cr_log_info("lean: %zu files scanned in parts of 1-13 bytes, 3 ways each", t.files);
	cr_assert_gt(t.files, 70);
	cr_assert_eq(t.diffs, 0);
}

/* ---- generated notebooks ---------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static void addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		cr_assert_not_null(b->p);
	}
}

/* `ncells` small code cells; `last` replaces the last cell's text. */
static struct buf gen(size_t ncells, const char *last)
{
	struct buf b = { 0 };
	addf(&b, "{\n \"cells\": [\n");
	for (size_t i = 0; i < ncells; i++) {
		if (i + 1 == ncells && last)
			addf(&b, "%s\n", last);
		else
			addf(&b, "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": null,\n"
			     "   \"id\": \"c%05zu\",\n   \"metadata\": {%s},\n   \"outputs\": [],\n"
			     "   \"source\": [\n    \"def f_%zu():\\n\",\n    \"    return %zu\"\n   ]\n"
			     "  }%s\n", i, i % 3 == 0 ? "\n    \"tags\": [\n     \"x\"\n    ]\n   " : "",
			     i, i, i + 1 < ncells ? "," : "");
	}
	addf(&b, " ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
	return b;
}

Test(lean, errors_after_bytes_were_given_back_keep_their_line_and_column)
{
	static const char *const bad_last[] = {
		/* syntax: a missing comma */
		"  {\"cell_type\": \"code\" \"metadata\": {}, \"outputs\": [], \"source\": \"x\"}",
		/* invalid UTF-8 in a string */
		"  {\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": \"\xc3\x28\"}",
		/* structural: cell_type is not a string */
		"  {\"cell_type\": 7, \"metadata\": {}, \"outputs\": [], \"source\": \"x\"}",
		/* structural: tags not a list of strings (read-only, loads fine) */
		"  {\"cell_type\": \"code\", \"metadata\": {\"tags\": 3}, \"outputs\": [], "
		"\"source\": \"x\"}",
	};
	char *dir = tu_tmpdir();
	const char *paths[4];
	for (size_t i = 0; i < 4; i++) {
		struct buf b = gen(3000, bad_last[i]);
		char name[32];
		snprintf(name, sizeof name, "bad%zu.ipynb", i);
		paths[i] = strdup(tu_path(dir, name));
		cr_assert(tu_write(paths[i], b.p, b.len));
		cr_assert_gt(b.len, 100 * STEP, "the defect must come after many pages");
		free(b.p);
	}
	tu_settle();
	size_t failed = 0;
	for (size_t i = 0; i < 4; i++) {
		struct notebook *full = NULL, *lean = NULL;
		struct ct_error ferr, lerr;
		enum ct_status fs = notebook_load(paths[i], &full, &ferr);
		enum ct_status ls = notebook_load_lean_step(paths[i], 0, STEP, &lean, &lerr);
		cr_assert_eq(ls, fs, "%s: %d vs %d", paths[i], (int)ls, (int)fs);
		if (fs != CT_OK) {
			failed++;
			cr_assert_gt(ferr.line, 3000 * 10, "%s: the error is in the last cell", paths[i]);
			cr_assert_str_eq(lerr.msg, ferr.msg);
			cr_assert(lerr.line == ferr.line && lerr.col == ferr.col,
			          "%s: %ld:%ld vs %ld:%ld", paths[i], lerr.line, lerr.col, ferr.line,
			          ferr.col);
		} else {
			cr_assert(lean->released);
			cr_assert_not_null(full->cells[2999].readonly_reason);
			cr_assert_str_eq(lean->cells[2999].readonly_reason,
			                 full->cells[2999].readonly_reason);
		}
		notebook_free(&full);
		notebook_free(&lean);
		free((char *)paths[i]);
	}
	cr_assert_eq(failed, 3);
	tu_rmtree(&dir);
}

/* A lean load reads the file a window (STEP bytes) at a time while it
 * parses; a token cut by the end of a window must scan as if whole.  Each
 * notebook below is written once per byte offset j, after 4096 - j spaces,
 * so that the first window ends at each of its bytes in turn: inside every
 * number, literal, escape, UTF-8 sequence, CRLF and run of whitespace.  The
 * full load is the oracle, for models, renders, errors and line:column. */
static const char boundary_nb[] =
	"{\r\n \"cells\": [\r\n  {\r\n   \"cell_type\": \"code\",\r\n"
	"   \"execution_count\": 1234567890123,\r\n   \"id\": \"a1\",\r\n"
	"   \"metadata\": {\"tags\": [\"assignment:lesson-01-exercise-1\", \"x\\u00e9\\ud83d\\ude00\"],"
	" \"f\": -12.5e+10, \"g\": 0.25E-3, \"h\": [true, false, null, NaN, -Infinity, Infinity]},\r\n"
	"   \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"caf\xc3\xa9 "
	"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"]}],\r\n"
	"   \"source\": [\"def f():\\n\", \"    return 1\"]\r\n  },\r\n"
	"  {\"cell_type\": \"markdown\", \"id\": \"b2\", \"metadata\": {}, \"source\": \"# T\xc3\xaftle\"},"
	"{\"cell_type\":\"code\",\"execution_count\":null,\"id\":\"c3\",\"metadata\":{\"nbgrader\":"
	"{\"grade\":true,\"points\":2.5,\"solution\":false}},\"outputs\":[],\"source\":\"@\"}\r\n"
	" ],\r\n \"metadata\": {\"kernelspec\": {\"name\": \"python3\"}},\r\n"
	" \"nbformat\": 4,\r\n \"nbformat_minor\": 5\r\n}\r\n";

Test(lean, a_window_may_end_inside_any_token)
{
	/* What replaces '@': a valid string body, then defects of each kind. */
	static const char *const at[] = {
		"x = 1",
		"bad \\u12G4 escape",
		"cut \xe6\x97 sequence",
		"raw \x01 control",
		"\", \"n\": 01, \"m\": \"",
		"\", \"n\": nul, \"m\": \"",
		"unterminated",
	};
	char *dir = tu_tmpdir();
	struct tally t = { 0 };
	size_t failed = 0;
	for (size_t v = 0; v < sizeof at / sizeof *at; v++) {
		const char *mark = strchr(boundary_nb, '@');
		struct buf body = { 0 };
		addf(&body, "%.*s%s%s", (int)(mark - boundary_nb), boundary_nb, at[v],
		     v + 1 == sizeof at / sizeof *at ? "" : mark + 1);
		cr_assert_lt(body.len, STEP);
		char **paths = calloc(body.len + 1, sizeof *paths);
		for (size_t j = 0; j <= body.len; j++) {
			struct buf b = { 0 };
			addf(&b, "%*s%s", (int)(STEP - j), "", body.p);
			char name[48];
			snprintf(name, sizeof name, "v%zu-%zu.ipynb", v, j);
			paths[j] = strdup(tu_path(dir, name));
			cr_assert(tu_write(paths[j], b.p, b.len));
			free(b.p);
		}
		tu_settle();
		for (size_t j = 0; j <= body.len; j++) {
			struct notebook *full = NULL;
			struct ct_error ferr;
			if (notebook_load(paths[j], &full, &ferr) != CT_OK)
				failed++;
			notebook_free(&full);
			check_file(paths[j], &t);
			unlink(paths[j]);
			free(paths[j]);
		}
		free(paths);
		free(body.p);
	}
	cr_log_info("lean: %zu window ends, %zu loaded (%zu released), %zu failing as the full "
	            "load does", t.files, t.loaded, t.released, failed);
	/* Only the first notebook is valid; every one of the others fails. */
	cr_assert_eq(t.loaded, t.files - failed);
	cr_assert_gt(t.loaded, 500);
	cr_assert_eq(t.released, t.loaded);
	cr_assert_gt(failed, 6 * 500);
	tu_rmtree(&dir);
}

/* The file changing under a load that reads as it parses: cut short after
 * a few steps, or grown after the last one.  Either is the one-line "changed
 * while it was being read" of notebook_load, never a syntax error at the
 * cut, never a crash; with one cell kept too. */
struct change_probe {
	const char *path;
	size_t at;          /* act once `at` bytes are read */
	off_t cut;          /* truncate to this, or -1: append */
	int acted;
	bool failed;        /* (the reader thread may call it: no cr_assert there) */
};

static void change_file(void *ctx, size_t filled)
{
	struct change_probe *cp = ctx;
	if (cp->acted || filled < cp->at)
		return;
	cp->acted++;
	int fd = open(cp->path, O_WRONLY | O_APPEND);
	if (fd < 0) {
		cp->failed = true;
		return;
	}
	if (cp->cut >= 0)
		cp->failed |= ftruncate(fd, cp->cut) != 0;
	else
		cp->failed |= write(fd, "\n", 1) != 1;
	close(fd);
}

Test(lean, a_file_changed_while_it_is_read_fails_cleanly)
{
	char *dir = tu_tmpdir();
	const char *path = tu_path(dir, "moving.ipynb");
	struct buf b = gen(3000, NULL);
	cr_assert_gt(b.len, 100 * STEP);
	static const char *const specs[] = { NULL, "5" };
	for (int kind = 0; kind < 3; kind++) {
		for (size_t k = 0; k < 2; k++) {
			cr_assert(tu_write(path, b.p, b.len));
			tu_settle();
			/* cut inside a cell, cut at a step's end, grown at the end */
			struct change_probe cp = { path, kind == 2 ? b.len : 3 * STEP,
			                           kind == 0 ? (off_t)(5 * STEP + 77) :
			                           kind == 1 ? (off_t)(5 * STEP) : -1, 0, false };
			struct nb_lean_probe probe = { change_file, &cp };
			struct notebook *nb = NULL;
			struct ct_error err;
			enum ct_status st = notebook_load_lean_probe(path, specs[k], 0, STEP, &probe,
			                                             &nb, &err);
			cr_assert_eq(cp.acted, 1, "kind %d: the probe never ran", kind);
			cr_assert_not(cp.failed, "kind %d: could not change the file", kind);
			cr_assert_eq(st, CT_IO, "kind %d [%s]: %d %s", kind, specs[k] ? specs[k] : "all",
			             (int)st, err.msg);
			cr_assert_str_eq(err.msg, "the file changed while it was being read");
			cr_assert_null(nb);
		}
	}
	free(b.p);
	tu_rmtree(&dir);
}

/* ---- saves and conflicts ---------------------------------------------- */

struct fixture {
	char *dir;
	const char *path;
	struct buf orig;
	struct notebook *nb;
};

static void fixture_open(struct fixture *f, size_t ncells)
{
	f->dir = tu_tmpdir();
	f->path = strdup(tu_path(f->dir, "lesson.ipynb"));
	f->orig = gen(ncells, NULL);
	cr_assert(tu_write(f->path, f->orig.p, f->orig.len));
	tu_settle();
	struct ct_error err;
	cr_assert_eq(notebook_load_lean_step(f->path, 0, STEP, &f->nb, &err), CT_OK, "%s",
	             err.msg);
	cr_assert(f->nb->released, "the fixture's ctime is not settled");
	bool changed;
	cr_assert_eq(notebook_tag_add(f->nb, 1, PROBE_TAG, &changed, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_add(f->nb, ncells - 1, PROBE_TAG, &changed, &err), CT_OK);
}

/* What notebook_load + the fixture's edits render. */
static char *expected(const struct fixture *f, size_t *len)
{
	struct notebook *full = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer(f->orig.p, f->orig.len, "x", &full, &err), CT_OK);
	cr_assert_eq(notebook_tag_add(full, 1, PROBE_TAG, NULL, &err), CT_OK);
	cr_assert_eq(notebook_tag_add(full, full->ncells - 1, PROBE_TAG, NULL, &err), CT_OK);
	char *out = render(full, len);
	notebook_free(&full);
	return out;
}

static void fixture_close(struct fixture *f)
{
	notebook_free(&f->nb);
	free((char *)f->path);
	free(f->orig.p);
	tu_rmtree(&f->dir);
}

static void assert_file(const char *path, const char *data, size_t len, const char *what)
{
	size_t n;
	char *got = tu_read(path, &n);
	cr_assert_not_null(got);
	cr_assert(n == len && memcmp(got, data, len) == 0, "%s: %s (%zu bytes, want %zu)", path,
	          what, n, len);
	free(got);
}

Test(lean, save_writes_the_edits_and_untag_gives_back_the_file)
{
	struct fixture f;
	fixture_open(&f, 2000);
	size_t elen;
	char *want = expected(&f, &elen);
	struct ct_error err;
	cr_assert_eq(notebook_save(&f.nb, NULL, true, &err), CT_OK, "%s", err.msg);
	assert_file(f.path, want, elen, "saved from a released notebook");
	/* The reload after the save is lean again (released once settled). */
	cr_assert_eq(f.nb->release_min_, 0);
	cr_assert_eq(notebook_tag_remove(f.nb, 1, PROBE_TAG, NULL, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_remove(f.nb, 1999, PROBE_TAG, NULL, &err), CT_OK, "%s", err.msg);
	tu_settle();
	cr_assert_eq(notebook_save(&f.nb, NULL, true, &err), CT_OK, "%s", err.msg);
	assert_file(f.path, f.orig.p, f.orig.len, "tag then untag");
	/* Save-as to another file: the edits, with the original untouched. */
	tu_settle();
	notebook_free(&f.nb);
	cr_assert_eq(notebook_load_lean_step(f.path, 0, STEP, &f.nb, &err), CT_OK);
	cr_assert(f.nb->released);
	cr_assert_eq(notebook_tag_add(f.nb, 1, PROBE_TAG, NULL, &err), CT_OK);
	cr_assert_eq(notebook_tag_add(f.nb, 1999, PROBE_TAG, NULL, &err), CT_OK);
	struct save_options o = { .path = tu_path(f.dir, "copy.ipynb") };
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", o.path);
	o.path = copy;
	cr_assert_eq(notebook_save(&f.nb, &o, false, &err), CT_OK, "%s", err.msg);
	assert_file(copy, want, elen, "save-as");
	assert_file(f.path, f.orig.p, f.orig.len, "the original after a save-as");
	free(want);
	fixture_close(&f);
}

/* Another writer truncates the file and writes other bytes into the same
 * inode (as Jupyter saves): the loaded bytes are gone. */
Test(lean, a_file_rewritten_in_place_is_a_conflict_even_when_forced)
{
	struct fixture f;
	fixture_open(&f, 500);
	struct buf other = gen(400, NULL);
	int fd = open(f.path, O_WRONLY | O_TRUNC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, other.p, other.len), (ssize_t)other.len);
	close(fd);
	tu_settle();

	struct ct_error err;
	cr_assert_eq(notebook_save(&f.nb, NULL, true, &err), CT_CONFLICT);
	struct save_options force = { .force = true };
	cr_assert_eq(notebook_save(&f.nb, &force, true, &err), CT_CONFLICT);
	cr_assert(strstr(err.msg, "rewritten in place") != NULL, "%s", err.msg);
	char *out = NULL;
	size_t n;
	cr_assert_eq(notebook_render(f.nb, &out, &n, &err), CT_CONFLICT);
	cr_assert_null(out);
	cr_assert_eq(notebook_check_disk(f.nb, &err), CT_CONFLICT);
	assert_file(f.path, other.p, other.len, "the other writer's file, untouched");
	cr_assert_eq(tu_count_entries(f.dir), 1, "a temporary file was left");

	/* The edits are not lost: they apply to the new file by cell id. */
	struct recovery *rec = NULL;
	cr_assert_eq(recovery_from_notebook(f.nb, &rec, &err), CT_OK, "%s", err.msg);
	struct notebook *fresh = NULL;
	cr_assert_eq(notebook_load(f.path, &fresh, &err), CT_OK);
	size_t applied = 0;
	cr_assert_eq(recovery_apply(rec, fresh, &applied, &err), CT_CELL,
	             "cell c00499 is not in the new file: %s", err.msg);
	/* Best effort, as the editor reapplies: c00001 is there, c00499 not. */
	notebook_free(&fresh);
	cr_assert_eq(notebook_load(f.path, &fresh, &err), CT_OK);
	size_t missed = 0;
	cr_assert_eq(recovery_reapply(rec, fresh, &applied, &missed, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(applied, 1);
	cr_assert_eq(missed, 1);
	cr_assert(cell_has_tag(&fresh->cells[1], PROBE_TAG));
	recovery_free(&rec);
	notebook_free(&fresh);
	free(other.p);
	fixture_close(&f);
}

/* Truncated under us: a short read, never a crash, nothing written. */
Test(lean, a_truncated_file_is_a_conflict_not_a_crash)
{
	struct fixture f;
	fixture_open(&f, 500);
	cr_assert_eq(truncate(f.path, 1000), 0);
	tu_settle();
	struct ct_error err;
	struct save_options force = { .force = true };
	cr_assert_eq(notebook_save(&f.nb, &force, true, &err), CT_CONFLICT);
	struct stat st;
	cr_assert_eq(stat(f.path, &st), 0);
	cr_assert_eq(st.st_size, 1000);
	fixture_close(&f);
}

/* Replaced by rename (git checkout, vim, celltag itself): the inode we hold
 * keeps the loaded bytes, so "overwrite anyway" writes loaded + edits. */
Test(lean, a_file_replaced_by_rename_can_be_overwritten)
{
	struct fixture f;
	fixture_open(&f, 500);
	struct buf other = gen(400, NULL);
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", tu_path(f.dir, "other.tmp"));
	cr_assert(tu_write(tmp, other.p, other.len));
	cr_assert_eq(rename(tmp, f.path), 0);
	/* The rename unlinked the inode we hold, which changes its ctime; its
	 * bytes hash the same once that ctime is settled. */
	tu_settle();

	struct ct_error err;
	cr_assert_eq(notebook_save(&f.nb, NULL, true, &err), CT_CONFLICT);
	cr_assert(strstr(err.msg, "replaced") != NULL, "%s", err.msg);
	assert_file(f.path, other.p, other.len, "not overwritten without force");
	struct save_options force = { .force = true };
	cr_assert_eq(notebook_save(&f.nb, &force, true, &err), CT_OK, "%s", err.msg);
	size_t elen;
	char *want = expected(&f, &elen);
	assert_file(f.path, want, elen, "forced over a renamed file");
	free(want);
	free(other.p);
	fixture_close(&f);
}

/* Only the attributes changed (chmod changes the ctime): the bytes hash the
 * same, so the save goes ahead. */
Test(lean, a_changed_ctime_with_the_same_bytes_is_not_a_conflict)
{
	struct fixture f;
	fixture_open(&f, 500);
	cr_assert_eq(chmod(f.path, 0640), 0);
	tu_settle();
	struct ct_error err;
	cr_assert_eq(notebook_check_disk(f.nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_save(&f.nb, NULL, true, &err), CT_OK, "%s", err.msg);
	size_t elen;
	char *want = expected(&f, &elen);
	assert_file(f.path, want, elen, "saved after a chmod");
	struct stat st;
	cr_assert_eq(stat(f.path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640);
	free(want);
	fixture_close(&f);
}

/* Rewritten in place with the very same bytes: the modification time tells
 * the plain save (as for notebook_load); forced, the bytes are proven equal
 * and used. */
Test(lean, same_bytes_written_again_can_be_forced)
{
	struct fixture f;
	fixture_open(&f, 500);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	cr_assert(tu_write(f.path, f.orig.p, f.orig.len));
	tu_settle();
	struct ct_error err;
	cr_assert_eq(notebook_save(&f.nb, NULL, true, &err), CT_CONFLICT);
	struct save_options force = { .force = true };
	cr_assert_eq(notebook_save(&f.nb, &force, true, &err), CT_OK, "%s", err.msg);
	size_t elen;
	char *want = expected(&f, &elen);
	assert_file(f.path, want, elen, "forced over the same bytes");
	free(want);
	fixture_close(&f);
}

Test(lean, small_or_unsettled_files_keep_their_bytes)
{
	char *dir = tu_tmpdir();
	const char *p = tu_path(dir, "fresh.ipynb");
	char path[4096];
	snprintf(path, sizeof path, "%s", p);
	struct buf b = gen(50, NULL);
	struct ct_error err;
	struct notebook *nb = NULL;
	tu_settle();
	cr_assert(tu_write(path, b.p, b.len));
	/* Just written: the ctime may be this clock tick's, not settled. */
	cr_assert_eq(notebook_load_lean(path, 0, &nb, &err), CT_OK);
	cr_assert_eq(nb->released, nb->file.ctime_settled);
	notebook_free(&nb);
	tu_settle();
	cr_assert_eq(notebook_load_lean(path, b.len + 1, &nb, &err), CT_OK);
	cr_assert(!nb->released && nb->data, "below release_min");
	notebook_free(&nb);
	cr_assert_eq(notebook_load_lean(path, b.len, &nb, &err), CT_OK);
	cr_assert(nb->released && !nb->data, "at release_min");
	notebook_free(&nb);
	free(b.p);
	tu_rmtree(&dir);
}

/* A lost terminal: the recovery file of a released notebook records the
 * hash of the loaded bytes, so reopening the unchanged file (lean or not)
 * offers the edits, and they render as they would have been saved. */
Test(lean, recovery_of_a_released_notebook_matches_the_file)
{
	struct fixture f;
	fixture_open(&f, 500);
	struct ct_error err;
	char rpath[4096];
	snprintf(rpath, sizeof rpath, "%s", tu_path(f.dir, "edits.recovery"));
	cr_assert_eq(recovery_write_to(f.nb, rpath, &err), CT_OK, "%s", err.msg);
	struct recovery *rec = NULL;
	cr_assert_eq(recovery_read(rpath, &rec, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(rec->ncells, 2);

	struct notebook *full = NULL, *lean = NULL;
	cr_assert_eq(notebook_load(f.path, &full, &err), CT_OK);
	cr_assert_eq(notebook_load_lean_step(f.path, 0, STEP, &lean, &err), CT_OK);
	cr_assert(lean->released);
	cr_assert(recovery_matches(rec, full), "hash differs from the full load's");
	cr_assert(recovery_matches(rec, lean), "hash differs from a lean load's");
	size_t n1 = 0, n2 = 0;
	cr_assert_eq(recovery_apply(rec, full, &n1, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(recovery_apply(rec, lean, &n2, &err), CT_OK, "%s", err.msg);
	cr_assert(n1 == 2 && n2 == 2);
	size_t elen;
	char *want = expected(&f, &elen);
	size_t n;
	char *got = render(lean, &n);
	cr_assert(n == elen && memcmp(got, want, n) == 0, "recovered edits render differently");
	free(got);
	got = render(full, &n);
	cr_assert(n == elen && memcmp(got, want, n) == 0);
	free(got);
	free(want);
	/* Another version of the file: the hash no longer matches. */
	cr_assert(tu_write(f.path, f.orig.p, f.orig.len - 1));
	notebook_free(&full);
	cr_assert_eq(notebook_load(f.path, &full, &err), CT_OK, "%s", err.msg);
	cr_assert_not(recovery_matches(rec, full));
	notebook_free(&full);
	recovery_free(&rec);
	notebook_free(&lean);
	fixture_close(&f);
}

/* Each released notebook holds its file open: with most of the limit of
 * open files in use, the load keeps the bytes instead of failing later
 * opens. */
Test(lean, keeps_the_bytes_when_open_files_run_short)
{
	struct fixture f;
	fixture_open(&f, 50);
	struct rlimit rl = { 64, 64 };
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	int fds[40];
	size_t nfds = 0;
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_lean_step(f.path, 0, STEP, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert(nb->released, "with descriptors to spare, released");
	notebook_free(&nb);
	while (nfds < 40 && (fds[nfds] = open("/dev/null", O_RDONLY)) >= 0)
		nfds++;
	cr_assert_eq(nfds, 40);
	cr_assert_eq(notebook_load_lean_step(f.path, 0, STEP, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_not(nb->released, "half the limit in use: the bytes are kept");
	cr_assert_not_null(nb->data);
	notebook_free(&nb);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	fixture_close(&f);
}

/* Checked in the very clock tick of a change, a same-hash file is not yet
 * proven (a second write in that tick would leave its ctime as it is): the
 * check says so rather than trusting it.  A tick may pass between the
 * chmod and the check, so this tries a few times and accepts only the two
 * right answers. */
Test(lean, a_change_in_this_clock_tick_is_not_trusted_yet)
{
	struct fixture f;
	fixture_open(&f, 50);
	struct ct_error err;
	int unsettled = 0;
	for (int i = 0; i < 20; i++) {
		cr_assert_eq(chmod(f.path, i % 2 ? 0640 : 0644), 0);
		enum ct_status st = notebook_check_disk(f.nb, &err);
		cr_assert(st == CT_OK || (st == CT_CONFLICT && strstr(err.msg, "right now")),
		          "%d: %s", (int)st, err.msg);
		unsettled += st == CT_CONFLICT;
	}
	cr_assert_gt(unsettled, 0, "no check ran within the tick of its chmod");
	tu_settle();
	cr_assert_eq(notebook_check_disk(f.nb, &err), CT_OK, "%s", err.msg);
	fixture_close(&f);
}
