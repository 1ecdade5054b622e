/* test_hostile.c - hostile and malformed notebooks, through the core and
 * through the CLI.
 *
 * Table-driven: every row names a fixture (tests/data/hostile/) or a
 * generator, and the expected outcome.  For every row, whatever the
 * outcome: no crash, the file is byte-identical and has its old mtime
 * afterwards, no other file appears next to it, and a failure is a single
 * line naming the file (with line:col where the row says so, checked
 * against a position computed here from the bytes).  Rows that load go
 * through a tag edit on every editable cell, a render, a reload and an
 * untag that must give the original bytes back.
 *
 * Generated inputs (100,000 nesting levels, 10,000 keys, a 200 MB file,
 * truncations at every offset, special files) are built at run time in a
 * temp dir under /tmp.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "notebook.h"
#include "save.h"
#include "status.h"
#include "testutil.h"

#define FIXTURES "tests/data/hostile"

/* ---- helpers ----------------------------------------------------------- */

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static void hostile_setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/celltag-hostile-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
	/* no user configuration or state: results must not depend on $HOME */
	setenv("HOME", "/nonexistent-celltag-home", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-celltag-config", 1);
	setenv("XDG_STATE_HOME", "/nonexistent-celltag-state", 1);
	unsetenv("NO_COLOR");
}

static void hostile_teardown(void)
{
	if (tmpdir[0])
		nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *s = malloc(cap);
	while ((r = fread(s + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			s = realloc(s, cap *= 2);
	}
	fclose(f);
	*len = n;
	return s;
}

static void write_all(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "fopen %s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static char *tmp_path(const char *name)
{
	static char bufs[8][4096];
	static int k;
	char *b = bufs[k++ % 8];
	snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
	return b;
}

/* Number of directory entries other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* 1-based line and column (in characters) of byte `off`: LF, CRLF and a
 * lone CR end lines (only the first len bytes exist); a column counts
 * UTF-8 lead bytes (and stray bytes). */
static void position_of(const char *s, size_t len, size_t off, long *line,
                        long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
			(*line)++;
			*col = 1;
		} else if (c == '\r') {
			continue;
		} else if ((c & 0xc0) != 0x80 || c >= 0xf8) {
			(*col)++;
		}
	}
}

static void assert_one_line_error(const struct ct_error *e, const char *path)
{
	cr_assert_neq(e->msg[0], '\0', "%s: empty error message", path);
	cr_assert_null(strchr(e->msg, '\n'), "%s: multi-line message '%s'",
	               path, e->msg);
	cr_assert_str_eq(e->path, path, "the error names '%s', not '%s'",
	                 e->path, path);
}

/* Add a tag to every editable cell, render, reload, compare, then remove
 * it again: the original bytes must come back. */
static void roundtrip_edit(struct notebook *nb, const char *tag)
{
	struct ct_error err;
	size_t edited = 0;
	for (size_t i = 0; i < nb->ncells; i++) {
		bool ro = nb->readonly_reason || nb->cells[i].readonly_reason;
		enum ct_status st = notebook_tag_add(nb, i, tag, NULL, &err);
		if (ro) {
			cr_assert_eq(st, CT_READONLY, "cell %zu is read-only but "
			             "the edit gave %s", i, ct_status_name(st));
			continue;
		}
		cr_assert_eq(st, CT_OK, "cell %zu: %s", i, err.msg);
		edited++;
	}
	char *out = NULL;
	size_t outlen;
	cr_assert_eq(notebook_render(nb, &out, &outlen, &err), CT_OK);
	struct notebook *nb2 = NULL;
	cr_assert_eq(notebook_load_buffer(out, outlen, "rendered", &nb2, &err),
	             CT_OK, "the edited notebook does not load: %ld:%ld %s",
	             err.line, err.col, err.msg);
	cr_assert_eq(nb2->ncells, nb->ncells);
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *a = &nb->cells[i], *b = &nb2->cells[i];
		cr_assert_eq(a->source_len, b->source_len, "cell %zu source", i);
		cr_assert(memcmp(a->source, b->source, a->source_len) == 0);
		cr_assert_eq(b->ntags, a->ntags, "cell %zu tags", i);
		for (size_t t = 0; t < a->ntags; t++)
			cr_assert_str_eq(b->tags[t], a->tags[t]);
	}
	notebook_free(&nb2);
	free(out);
	for (size_t i = 0; i < nb->ncells; i++)
		if (!nb->readonly_reason && !nb->cells[i].readonly_reason)
			cr_assert_eq(notebook_tag_remove(nb, i, tag, NULL, &err), CT_OK);
	cr_assert_eq(notebook_render(nb, &out, &outlen, &err), CT_OK);
	cr_assert(outlen == nb->len && memcmp(out, nb->data, outlen) == 0,
	          "untagging did not give the original bytes back (%zu edited)",
	          edited);
	free(out);
}

/* ---- the table ------------------------------------------------------------ */

enum ro { RO_NONE, RO_NOTEBOOK, RO_CELL0 };

struct row {
	const char *file;           /* fixture name under tests/data/hostile */
	enum ct_status want;        /* CT_OK: must load */
	const char *needle;         /* error at the first occurrence of this */
	int delta;                  /* ... plus this many bytes */
	int from_end;               /* or this many bytes before the end */
	enum ro ro;                 /* what is read-only after a load */
};

static const struct row rows[] = {
	{ "base.ipynb",              CT_OK,      NULL, 0, 0, RO_NONE },
	{ "numbers.ipynb",           CT_OK,      NULL, 0, 0, RO_NONE },
	{ "escapes.ipynb",           CT_OK,      NULL, 0, 0, RO_NONE },
	{ "nul-surrogate.ipynb",     CT_OK,      NULL, 0, 0, RO_NONE },
	{ "bom.ipynb",               CT_OK,      NULL, 0, 0, RO_NONE },
	{ "crlf.ipynb",              CT_OK,      NULL, 0, 0, RO_NONE },
	{ "cr.ipynb",                CT_OK,      NULL, 0, 0, RO_NONE },
	{ "nan.ipynb",               CT_OK,      NULL, 0, 0, RO_NONE },
	{ "comma-tag.ipynb",         CT_OK,      NULL, 0, 0, RO_NONE },
	{ "dupkeys.ipynb",           CT_OK,      NULL, 0, 0, RO_NOTEBOOK },
	{ "dupkeys-tags.ipynb",      CT_OK,      NULL, 0, 0, RO_CELL0 },
	{ "tags-string.ipynb",       CT_OK,      NULL, 0, 0, RO_CELL0 },
	{ "tags-mixed.ipynb",        CT_OK,      NULL, 0, 0, RO_CELL0 },
	{ "badutf8-source.ipynb",    CT_UTF8,    "\xff", 0, 0, 0 },
	{ "badutf8-tag.ipynb",       CT_UTF8,    "\xc3\"", 0, 0, 0 },
	{ "overlong.ipynb",          CT_UTF8,    "\xc0", 0, 0, 0 },
	{ "cells-nonobject.ipynb",   CT_FORMAT,  "1,", 0, 0, 0 },
	{ "cells-object.ipynb",      CT_FORMAT,  "{}", 0, 0, 0 },
	{ "metadata-list.ipynb",     CT_FORMAT,  "[]", 0, 0, 0 },
	{ "nbformat-string.ipynb",   CT_FORMAT,  "\"4\"", 0, 0, 0 },
	{ "top-array.ipynb",         CT_FORMAT,  "[", 0, 0, 0 },
	{ "trailing-garbage.ipynb",  CT_SYNTAX,  NULL, 0, 2, 0 },
	{ "two-values.ipynb",        CT_SYNTAX,  "}\n{", 2, 0, 0 },
	{ "v3.ipynb",                CT_VERSION, NULL, 0, 0, 0 },
	{ "top-metadata-list.ipynb", CT_OK,      NULL, 0, 0, RO_NONE },
	{ "cell-no-metadata.ipynb",  CT_OK,      NULL, 0, 0, RO_CELL0 },
	{ "id-number.ipynb",         CT_OK,      NULL, 0, 0, RO_NONE },
	{ "tags-null.ipynb",         CT_OK,      NULL, 0, 0, RO_CELL0 },
	{ "exec-count-string.ipynb", CT_OK,      NULL, 0, 0, RO_NONE },
	{ "outputs-object.ipynb",    CT_OK,      NULL, 0, 0, RO_NONE },
	{ "unknown-cell-type.ipynb", CT_OK,      NULL, 0, 0, RO_NONE },
	{ "nbgrader-wrong.ipynb",    CT_OK,      NULL, 0, 0, RO_NONE },
	{ "minor-string.ipynb",      CT_FORMAT,  "\"5\"", 0, 0, 0 },
	{ "cell-no-type.ipynb",      CT_FORMAT,  "{\"id\"", 0, 0, 0 },
	{ "cell-type-number.ipynb",  CT_FORMAT,  "3,", 0, 0, 0 },
	{ "source-number.ipynb",     CT_FORMAT,  "42", 0, 0, 0 },
	{ "source-list-mixed.ipynb", CT_FORMAT,  "[\"a\", 1", 0, 0, 0 },
	{ "fuzz/notebook_load/nbformat-zero.ipynb",     CT_VERSION, NULL, 0, 0, 0 },
	{ "fuzz/notebook_load/nbformat-negative.ipynb", CT_VERSION, NULL, 0, 0, 0 },
};

#define NROWS (sizeof rows / sizeof rows[0])

/* Copy a fixture into the temp dir (so "untouched" covers our own copy and
 * stray files are easy to spot); returns the copy's path. */
static char *stage(const char *fixture, const char *as)
{
	char src[4096];
	size_t len;
	snprintf(src, sizeof src, "%s/%s", FIXTURES, fixture);
	char *data = read_all(src, &len);
	cr_assert_not_null(data, "fixture %s missing", src);
	char *dst = tmp_path(as);
	write_all(dst, data, len);
	free(data);
	return dst;
}

static void check_row(const struct row *r)
{
	char *path = stage(r->file, "nb.ipynb");
	size_t len;
	char *before = read_all(path, &len);
	struct stat st0, st1;
	cr_assert_eq(stat(path, &st0), 0);

	struct notebook *nb = NULL;
	struct ct_error err;
	ct_error_clear(&err);
	enum ct_status st = notebook_load(path, &nb, &err);
	cr_assert_eq(st, r->want, "%s: status %s, want %s (%s)", r->file,
	             ct_status_name(st), ct_status_name(r->want), err.msg);
	if (st == CT_OK) {
		cr_assert_not_null(nb);
		if (r->ro == RO_NOTEBOOK)
			cr_assert_not_null(nb->readonly_reason,
			                   "%s: should be read-only", r->file);
		else
			cr_assert_null(nb->readonly_reason, "%s: read-only: %s",
			               r->file, nb->readonly_reason);
		if (r->ro == RO_CELL0)
			cr_assert_not_null(nb->cells[0].readonly_reason,
			                   "%s: cell 0 should be read-only", r->file);
		roundtrip_edit(nb, "hostile:edit");
		notebook_free(&nb);
	} else {
		cr_assert_null(nb, "%s: a model on failure", r->file);
		assert_one_line_error(&err, path);
		if (r->needle || r->from_end) {
			size_t off;
			if (r->needle) {
				char *hit = memmem(before, len, r->needle,
				                   strlen(r->needle));
				cr_assert_not_null(hit, "%s: needle not in fixture", r->file);
				off = (size_t)(hit - before) + (size_t)r->delta;
			} else {
				off = len - (size_t)r->from_end;
			}
			long line, col;
			position_of(before, len, off, &line, &col);
			cr_assert(err.line == line && err.col == col,
			          "%s: error at %ld:%ld, want %ld:%ld (%s)", r->file,
			          err.line, err.col, line, col, err.msg);
		}
	}
	size_t alen;
	char *after = read_all(path, &alen);
	cr_assert(alen == len && memcmp(before, after, len) == 0,
	          "%s: the file changed", r->file);
	cr_assert_eq(stat(path, &st1), 0);
	cr_assert(st1.st_mtim.tv_sec == st0.st_mtim.tv_sec &&
	          st1.st_mtim.tv_nsec == st0.st_mtim.tv_nsec,
	          "%s: mtime changed", r->file);
	cr_assert_eq(count_entries(tmpdir), 1, "%s: stray files", r->file);
	free(before);
	free(after);
}

TestSuite(hostile, .init = hostile_setup, .fini = hostile_teardown,
          .timeout = 120);

/* One test per row, named after the fixture. */
#define ROW_TEST(name, idx) \
	Test(hostile, name) { check_row(&rows[idx]); }
ROW_TEST(row_base, 0)
ROW_TEST(row_numbers, 1)
ROW_TEST(row_escapes, 2)
ROW_TEST(row_nul_surrogate, 3)
ROW_TEST(row_bom, 4)
ROW_TEST(row_crlf, 5)
ROW_TEST(row_cr, 6)
ROW_TEST(row_nan, 7)
ROW_TEST(row_comma_tag, 8)
ROW_TEST(row_dupkeys, 9)
ROW_TEST(row_dupkeys_tags, 10)
ROW_TEST(row_tags_string, 11)
ROW_TEST(row_tags_mixed, 12)
ROW_TEST(row_badutf8_source, 13)
ROW_TEST(row_badutf8_tag, 14)
ROW_TEST(row_overlong, 15)
ROW_TEST(row_cells_nonobject, 16)
ROW_TEST(row_cells_object, 17)
ROW_TEST(row_metadata_list, 18)
ROW_TEST(row_nbformat_string, 19)
ROW_TEST(row_top_array, 20)
ROW_TEST(row_trailing_garbage, 21)
ROW_TEST(row_two_values, 22)
ROW_TEST(row_v3, 23)
ROW_TEST(row_top_metadata_list, 24)
ROW_TEST(row_cell_no_metadata, 25)
ROW_TEST(row_id_number, 26)
ROW_TEST(row_tags_null, 27)
ROW_TEST(row_exec_count_string, 28)
ROW_TEST(row_outputs_object, 29)
ROW_TEST(row_unknown_cell_type, 30)
ROW_TEST(row_nbgrader_wrong, 31)
ROW_TEST(row_minor_string, 32)
ROW_TEST(row_cell_no_type, 33)
ROW_TEST(row_cell_type_number, 34)
ROW_TEST(row_source_number, 35)
ROW_TEST(row_source_list_mixed, 36)
ROW_TEST(row_fuzz_nbformat_zero, 37)
ROW_TEST(row_fuzz_nbformat_negative, 38)

Test(hostile, rows_all_tested)
{
	cr_assert_eq(NROWS, 39, "add a ROW_TEST line for every row");
}

/* ---- truncation ----------------------------------------------------------- */

/* True when the first n bytes end inside a UTF-8 sequence. */
static bool cuts_character(const char *s, size_t n)
{
	size_t i = n, back = 0;
	while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0)
		return false;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
	return back < need;
}

/* Every prefix of a real fixture is refused with CT_SYNTAX and a position
 * inside the prefix, except the one that only lacks the final newline. */
Test(hostile, truncated_everywhere)
{
	const char *fixtures[] = { "base.ipynb", "crlf.ipynb", "escapes.ipynb",
	                           "numbers.ipynb" };
	size_t total = 0;
	for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
		char src[512];
		size_t len;
		snprintf(src, sizeof src, "%s/%s", FIXTURES, fixtures[f]);
		char *data = read_all(src, &len);
		cr_assert_not_null(data);
		size_t last = len;
		while (last > 0 && (data[last - 1] == '\n' || data[last - 1] == '\r'))
			last--;
		for (size_t n = 0; n < len; n++) {
			struct notebook *nb = NULL;
			struct ct_error err;
			enum ct_status st = notebook_load_buffer(data, n, "cut.ipynb",
			                                         &nb, &err);
			total++;
			if (n >= last) {
				cr_assert_eq(st, CT_OK, "%s cut at %zu: %s", fixtures[f],
				             n, err.msg);
				notebook_free(&nb);
				continue;
			}
			/* a cut inside a multi-byte character is invalid UTF-8 */
			enum ct_status want = cuts_character(data, n) ? CT_UTF8 : CT_SYNTAX;
			cr_assert_eq(st, want, "%s cut at %zu: %s (%s)",
			             fixtures[f], n, ct_status_name(st), err.msg);
			cr_assert_null(nb);
			assert_one_line_error(&err, "cut.ipynb");
			if (n == 0)
				continue;       /* empty: nothing to point at */
			long eline, ecol;
			position_of(data, n, n, &eline, &ecol);
			cr_assert(err.line >= 1 && err.col >= 1 &&
			          (err.line < eline || (err.line == eline &&
			                                err.col <= ecol + 1)),
			          "%s cut at %zu: error at %ld:%ld, past the end %ld:%ld",
			          fixtures[f], n, err.line, err.col, eline, ecol);
		}
		free(data);
	}
	cr_log_info("truncations tried: %zu", total);
}

/* ---- size and depth --------------------------------------------------------- */

static char *deep_notebook(size_t depth, const char *open, const char *close,
                           bool closed, size_t *len)
{
	size_t ol = strlen(open), cl = strlen(close);
	char *s = malloc(256 + depth * (ol + cl)), *p = s;
	p += sprintf(p, "{\"cells\": [], \"metadata\": {\"deep\": ");
	for (size_t i = 0; i < depth; i++, p += ol)
		memcpy(p, open, ol);
	p += sprintf(p, "0");
	for (size_t i = 0; closed && i < depth; i++, p += cl)
		memcpy(p, close, cl);
	if (closed)
		p += sprintf(p, "}, \"nbformat\": 4, \"nbformat_minor\": 5}\n");
	*len = (size_t)(p - s);
	return s;
}

Test(hostile, nesting_100000_levels)
{
	struct { const char *open, *close; bool closed; } forms[] = {
		{ "[", "]", true }, { "[", "]", false },
		{ "{\"a\": ", "}", true }, { "{\"a\": ", "}", false },
	};
	for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
		size_t len;
		char *s = deep_notebook(100000, forms[k].open, forms[k].close,
		                        forms[k].closed, &len);
		char *path = tmp_path("deep.ipynb");
		write_all(path, s, len);
		struct notebook *nb = NULL;
		struct ct_error err;
		enum ct_status st = notebook_load(path, &nb, &err);
		cr_assert(st == CT_TOOBIG || st == CT_SYNTAX,
		          "form %zu: status %s (%s)", k, ct_status_name(st), err.msg);
		assert_one_line_error(&err, path);
		cr_assert(err.line == 1 && err.col > 1000,
		          "form %zu: position %ld:%ld", k, err.line, err.col);
		free(s);
	}
	/* Deep but within the limit: loads, and stays byte-exact. */
	size_t len;
	char *s = deep_notebook(NB_MAX_DEPTH - 10, "[", "]", true, &len);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer(s, len, "ok-deep", &nb, &err), CT_OK,
	             "%d levels: %s", NB_MAX_DEPTH - 10, err.msg);
	notebook_free(&nb);
	free(s);
}

/* A notebook with `nkeys` keys in a cell's metadata and as many in the
 * notebook's (malloc'ed, length in *len). */
static char *many_keys_notebook(int nkeys, int *len)
{
	size_t cap = 64 + (size_t)nkeys * 40;
	char *keys = malloc(cap), *p = keys;
	cr_assert_not_null(keys);
	for (int i = 0; i < nkeys; i++)
		p += sprintf(p, "%s\n    \"k%05d\": %d", i ? "," : "", i, i);
	char *s = malloc(2 * cap + 1024);
	cr_assert_not_null(s);
	*len = sprintf(s, "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n"
	               "   \"id\": \"many\",\n   \"metadata\": {%s\n   },\n"
	               "   \"source\": []\n  }\n ],\n \"metadata\": {%s\n },\n"
	               " \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n", keys, keys);
	free(keys);
	return s;
}

/* CPU seconds, best of three, to load a notebook of nkeys keys. */
static double keys_load_cpu(int nkeys)
{
	int n;
	char *s = many_keys_notebook(nkeys, &n);
	double best = 1e9;
	for (int k = 0; k < 3; k++) {
		struct notebook *nb = NULL;
		struct ct_error err;
		double a = tu_cpu_seconds();
		cr_assert_eq(notebook_load_buffer(s, (size_t)n, "keys", &nb, &err),
		             CT_OK, "%s", err.msg);
		double t = tu_cpu_seconds() - a;
		if (t < best)
			best = t;
		notebook_free(&nb);
	}
	free(s);
	return best;
}

/* 10,000 keys in a cell's metadata and in the notebook's: a tag edit lands
 * in the right cell and everything else stays. */
Test(hostile, ten_thousand_keys)
{
	int n;
	char *s = many_keys_notebook(10000, &n);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer(s, (size_t)n, "keys", &nb, &err), CT_OK,
	             "%s", err.msg);
	cr_assert_eq(nb->cells[0].layout.nmembers, 10000);
	roundtrip_edit(nb, "assignment:lesson-01-exercise-1");
	notebook_free(&nb);
	free(s);
}

/* Loading is linear in the number of keys (the duplicate-key check once
 * was not): 40,000 keys cost about four times 10,000 (sixteen if
 * quadratic).  A ratio of CPU times, so a busy machine does not fail it. */
Test(hostile, many_keys_load_in_linear_time, .timeout = 60)
{
	double small = keys_load_cpu(10000), large = keys_load_cpu(40000);
	cr_log_info("keys: 10,000 %.4f s, 40,000 %.4f s of CPU", small, large);
	cr_expect(large < 8 * small + 0.005, "40,000 keys took %.4f s, 10,000 "
	          "%.4f s: not linear", large, small);
}

/* ---- values that must survive byte for byte ------------------------------- */

static char *edit_and_render(const char *fixture, size_t cell, const char *tag,
                             struct notebook **pnb, size_t *outlen)
{
	char src[512];
	snprintf(src, sizeof src, "%s/%s", FIXTURES, fixture);
	struct ct_error err;
	cr_assert_eq(notebook_load(src, pnb, &err), CT_OK, "%s: %s", fixture, err.msg);
	cr_assert_eq(notebook_tag_add(*pnb, cell, tag, NULL, &err), CT_OK, "%s", err.msg);
	char *out = NULL;
	cr_assert_eq(notebook_render(*pnb, &out, outlen, &err), CT_OK);
	return out;
}

Test(hostile, numbers_kept_through_a_tag_edit)
{
	static const char *const lexemes[] = {
		"\"big\": 123456789012345678901234567890",
		"\"inf\": 1e999", "\"negzero\": -0.0", "\"intzero\": -0",
		"\"one\": 1.0", "\"exp\": 1E5", "\"pi\": 3.141592653589793",
		"\"a\": 123456789012345678901234567890", "\"z\": 1e999",
	};
	for (size_t cell = 0; cell < 2; cell++) {
		struct notebook *nb = NULL;
		size_t n;
		char *out = edit_and_render("numbers.ipynb", cell, "t", &nb, &n);
		for (size_t k = 0; k < sizeof lexemes / sizeof lexemes[0]; k++)
			cr_assert_not_null(memmem(out, n, lexemes[k], strlen(lexemes[k])),
			                   "cell %zu edit lost '%s'", cell, lexemes[k]);
		cr_assert_gt(n, nb->len);
		free(out);
		notebook_free(&nb);
	}
}

Test(hostile, nul_and_lone_surrogates_decoded)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(FIXTURES "/nul-surrogate.ipynb", &nb, &err),
	             CT_OK, "%s", err.msg);
	static const char want[] = "nul:\0: lone high:\xef\xbf\xbd: lone low:"
	                           "\xef\xbf\xbd: pair:\xf0\x9f\x98\x80:";
	const struct nb_cell *c = &nb->cells[0];
	cr_assert_eq(c->source_len, sizeof want - 1, "length %zu", (size_t)c->source_len);
	cr_assert(memcmp(c->source, want, sizeof want - 1) == 0,
	          "decoded source differs");
	roundtrip_edit(nb, "x");
	notebook_free(&nb);
}

/* A new tag is written with the file's own line ends, and a BOM stays. */
Test(hostile, line_ends_and_bom_kept)
{
	struct { const char *file, *nl; } cases[] = {
		{ "crlf.ipynb", "\r\n" }, { "cr.ipynb", "\r" }, { "bom.ipynb", "\n" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct notebook *nb = NULL;
		size_t n;
		char *out = edit_and_render(cases[k].file, 0, "new-tag", &nb, &n);
		cr_assert_str_eq(nb->style.newline, cases[k].nl, "%s", cases[k].file);
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(cases[k].nl, "\r\n") && out[i] == '\n')
				cr_assert(i > 0 && out[i - 1] == '\r',
				          "%s: bare LF at %zu", cases[k].file, i);
			if (!strcmp(cases[k].nl, "\r\n") && out[i] == '\r')
				cr_assert(i + 1 < n && out[i + 1] == '\n',
				          "%s: bare CR at %zu", cases[k].file, i);
			if (!strcmp(cases[k].nl, "\r"))
				cr_assert_neq(out[i], '\n', "%s: LF at %zu", cases[k].file, i);
		}
		if (!strcmp(cases[k].file, "bom.ipynb"))
			cr_assert(n > 3 && memcmp(out, "\xef\xbb\xbf", 3) == 0,
			          "the BOM was dropped");
		cr_assert_not_null(memmem(out, n, "\"new-tag\"", 9));
		free(out);
		notebook_free(&nb);
	}
}

/* ---- a 200 MB notebook ----------------------------------------------------- */

Test(hostile, notebook_200mb, .timeout = 300)
{
	char *path = tmp_path("big.ipynb");
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	/* 2,000 code cells, each with a 100 KB base64-like image output. */
	static char line[100001];
	for (size_t i = 0; i < sizeof line - 1; i++)
		line[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64];
	fputs("{\n \"cells\": [\n", f);
	const int ncells = 2000;
	for (int i = 0; i < ncells; i++)
		fprintf(f, "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": %d,\n"
		        "   \"id\": \"c%d\",\n   \"metadata\": {},\n   \"outputs\": [\n"
		        "    {\n     \"data\": {\n      \"image/png\": \"%s\"\n     },\n"
		        "     \"metadata\": {},\n     \"output_type\": \"display_data\"\n"
		        "    }\n   ],\n   \"source\": [\n    \"plot(%d)\"\n   ]\n  }%s\n",
		        i + 1, i, line, i, i + 1 < ncells ? "," : "");
	fputs(" ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n", f);
	cr_assert_eq(fclose(f), 0);
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_gt(sb.st_size, 200000000);

	struct timespec t0, t1, t2;
	struct notebook *nb = NULL;
	struct ct_error err;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s", err.msg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_eq(nb->ncells, (size_t)ncells);
	cr_assert_eq(notebook_tag_add(nb, ncells - 1, "assignment:big-1", NULL, &err), CT_OK);
	cr_assert_eq(notebook_save(&nb, NULL, true, &err), CT_OK, "%s", err.msg);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	cr_assert(cell_has_tag(&nb->cells[ncells - 1], "assignment:big-1"));
	cr_assert_eq(nb->cells[0].ntags, 0);
	double load = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double save = (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9;
	cr_log_info("200 MB notebook: load %.2f s, tag+save+reload %.2f s", load, save);
	fprintf(stderr, "hostile.notebook_200mb: %lld bytes, load %.2f s, "
	        "tag+save+reload %.2f s\n", (long long)sb.st_size, load, save);
	notebook_free(&nb);
	cr_assert_eq(count_entries(tmpdir), 1, "stray files after the save");
}

/* ---- things that are not notebook files ------------------------------------ */

Test(hostile, not_regular_files)
{
	char *loop_a = tmp_path("loop-a.ipynb"), *loop_b = tmp_path("loop-b.ipynb");
	cr_assert_eq(symlink("loop-b.ipynb", loop_a), 0);
	cr_assert_eq(symlink("loop-a.ipynb", loop_b), 0);
	char *fifo = tmp_path("fifo.ipynb");
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	char *dir = tmp_path("folder.ipynb");
	cr_assert_eq(mkdir(dir, 0755), 0);
	char *dangling = tmp_path("dangling.ipynb");
	cr_assert_eq(symlink("nowhere.ipynb", dangling), 0);

	struct { const char *path; enum ct_status want; } cases[] = {
		{ loop_a, CT_IO }, { fifo, CT_NOTREG }, { dir, CT_NOTREG },
		{ "/dev/null", CT_NOTREG }, { "/dev/zero", CT_NOTREG },
		{ "/dev/tty", CT_NOTREG }, { dangling, CT_NOTFOUND },
		{ tmp_path("missing.ipynb"), CT_NOTFOUND },
	};
	alarm(20);      /* a blocking open on the FIFO fails the test */
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct notebook *nb = NULL;
		struct ct_error err;
		ct_error_clear(&err);
		enum ct_status st = notebook_load(cases[k].path, &nb, &err);
		if (st != cases[k].want && !strcmp(cases[k].path, "/dev/tty") &&
		    (st == CT_IO || st == CT_NOTFOUND))
			continue;       /* no controlling terminal: cannot open it */
		cr_assert_eq(st, cases[k].want, "%s: %s, want %s (%s)", cases[k].path,
		             ct_status_name(st), ct_status_name(cases[k].want), err.msg);
		cr_assert_null(nb);
		assert_one_line_error(&err, cases[k].path);
	}
	alarm(0);
}

/* Names with spaces, a newline and non-ASCII: load, tag, save, reload. */
Test(hostile, odd_file_names)
{
	const char *names[] = { "my notebook.ipynb", "new\nline.ipynb",
	                        "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.ipynb",
	                        "-dash.ipynb", " lead space.ipynb",
	                        "tab\there.ipynb", "quote\"back\\slash.ipynb" };
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		char *path = stage("base.ipynb", names[k]);
		struct notebook *nb = NULL;
		struct ct_error err;
		cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s", err.msg);
		cr_assert_eq(notebook_tag_add(nb, 0, "odd", NULL, &err), CT_OK);
		cr_assert_eq(notebook_save(&nb, NULL, true, &err), CT_OK,
		             "'%s': %s", names[k], err.msg);
		cr_assert(cell_has_tag(&nb->cells[0], "odd"));
		notebook_free(&nb);
		cr_assert_eq(count_entries(tmpdir), 1, "'%s': stray files", names[k]);
		cr_assert_eq(unlink(path), 0);
	}
}

/* ---- through the CLI -------------------------------------------------------- */

struct cli_result {
	int rc;
	char *out, *err;
	size_t outlen, errlen;
};

static char *slurp(FILE *f, size_t *len)
{
	fflush(f);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	*len = fread(s, 1, (size_t)n, f);
	s[*len] = '\0';
	fclose(f);
	return s;
}

static struct cli_result run_cli(int argc, const char **argv)
{
	FILE *out = tmpfile(), *err = tmpfile();
	cr_assert(out && err);
	struct cli_result r;
	r.rc = cli_run(argc, (char **)argv, out, err);
	r.out = slurp(out, &r.outlen);
	r.err = slurp(err, &r.errlen);
	return r;
}

/* Text a terminal would act on, or that hides/reorders what is shown:
 * C0 controls other than LF, DEL, C1 controls, bidi controls, zero-width
 * and format characters, and bytes that are not UTF-8 (a raw 0x80-0x9f is
 * an 8-bit C1 control to some terminals).  Returns its offset or -1. */
static long find_unsafe(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if (u[i] < 0x80) {
			cp = u[i];
			k = 1;
		} else if ((u[i] & 0xe0) == 0xc0) {
			cp = u[i] & 0x1f;
			k = 2;
		} else if ((u[i] & 0xf0) == 0xe0) {
			cp = u[i] & 0x0f;
			k = 3;
		} else if ((u[i] & 0xf8) == 0xf0) {
			cp = u[i] & 0x07;
			k = 4;
		} else {
			return (long)i;
		}
		if (i + k > n)
			return (long)i;
		for (size_t j = 1; j < k; j++) {
			if ((u[i + j] & 0xc0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (u[i + j] & 0x3f);
		}
		if ((cp < 0x20 && cp != '\n') || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
		    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff ||
		    (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f))
			return (long)i;
		i += k;
	}
	return -1;
}

/* Every refused fixture: exit 3 and exactly one line
 * "celltag: PATH:LINE:COL: message" (position where the row has one), for
 * `list` and for `tag`; the file stays untouched. */
Test(hostile, cli_errors_one_line)
{
	for (size_t i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		if (r->want == CT_OK)
			continue;
		char *path = stage(r->file, "bad.ipynb");
		size_t len;
		char *before = read_all(path, &len);
		const char *list[] = { "celltag", "list", path };
		const char *tag[] = { "celltag", "tag", path, "0", "x" };
		for (int k = 0; k < 2; k++) {
			struct cli_result res = k == 0 ? run_cli(3, list) : run_cli(5, tag);
			cr_assert_eq(res.rc, CLI_EXIT_INPUT, "%s: exit %d (%s)", r->file,
			             res.rc, res.err);
			cr_assert(res.errlen > 0 && res.err[res.errlen - 1] == '\n' &&
			          memchr(res.err, '\n', res.errlen) == res.err + res.errlen - 1,
			          "%s: not one line: '%s'", r->file, res.err);
			char prefix[4200];
			snprintf(prefix, sizeof prefix, "celltag: %s:", path);
			cr_assert(strncmp(res.err, prefix, strlen(prefix)) == 0,
			          "%s: '%s' does not start with '%s'", r->file, res.err, prefix);
			if (r->needle || r->from_end) {
				long l, c;
				char *rest = res.err + strlen(prefix);
				cr_assert(sscanf(rest, "%ld:%ld: ", &l, &c) == 2,
				          "%s: no LINE:COL in '%s'", r->file, res.err);
			}
			cr_assert_eq(find_unsafe(res.err, res.errlen), -1);
			free(res.out);
			free(res.err);
		}
		size_t alen;
		char *after = read_all(path, &alen);
		cr_assert(alen == len && memcmp(before, after, len) == 0,
		          "%s: changed by the CLI", r->file);
		free(before);
		free(after);
		unlink(path);
	}
}

/* `celltag list` on escape sequences, C1, BEL, BS, CR, bidi and zero-width
 * characters in sources and tags: none of them reaches the output raw. */
Test(hostile, cli_list_escapes_terminal_controls)
{
	const char *argv[] = { "celltag", "list", FIXTURES "/escapes-cells.ipynb" };
	struct cli_result r = run_cli(3, argv);
	cr_assert_eq(r.rc, 0, "exit %d: %s", r.rc, r.err);
	long at = find_unsafe(r.out, r.outlen);
	cr_assert_eq(at, -1, "raw control at byte %ld of:\n%s", at, r.out);
	cr_assert_eq(find_unsafe(r.err, r.errlen), -1);
	/* and what was there is shown, escaped */
	cr_assert_not_null(strstr(r.out, "\\e[31m"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\\u202e"), "%s", r.out);
	free(r.out);
	free(r.err);
}

/* A file name holding a newline or an escape sequence: the error line is
 * still one line and carries no raw control. */
Test(hostile, cli_error_escapes_file_name)
{
	const char *names[] = { "evil\nname.ipynb", "evil\x1b[2Jname.ipynb",
	                        "bidi\xe2\x80\xaegnp.ipynb" };
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		char *path = stage("badutf8-source.ipynb", names[k]);
		const char *argv[] = { "celltag", "list", path };
		struct cli_result r = run_cli(3, argv);
		cr_assert_eq(r.rc, CLI_EXIT_INPUT);
		cr_assert(r.errlen > 0 &&
		          memchr(r.err, '\n', r.errlen) == r.err + r.errlen - 1,
		          "not one line: '%s'", r.err);
		cr_assert_eq(find_unsafe(r.err, r.errlen), -1, "raw control in '%s'",
		             r.err);
		free(r.out);
		free(r.err);
		unlink(path);
	}
}

/* ---- regressions found by fuzzing (tests/data/hostile/fuzz/) -------------- */

#include "keymap.h"
#include "theme.h"

/* fuzz_keymap: every key's canonical name is printable and parses back.
 * Found: <C-@> <C-\> <C-]> <C-^> <C-_> were named "<C-`>" .. "<C-DEL>". */
Test(hostile, fuzz_keymap_names_round_trip)
{
	int keys[] = { 0, 1, 9, 10, 13, 26, 27, 28, 29, 30, 31, 127, ' ', '<', 'j',
	               0xe9, 0x1f600, CTK_UP, CTK_F1, CTK_F12, CTK_BTAB, CTK_RESIZE };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char name[KEYMAP_NAME_MAX];
		int back = -1;
		keymap_key_name(keys[i], name, sizeof name);
		for (const unsigned char *p = (const unsigned char *)name; *p; p++)
			cr_assert(*p >= 0x20 && *p != 0x7f,
			          "key %d: control character in its name", keys[i]);
		cr_assert(keymap_parse_key(name, &back) && back == keys[i],
		          "key %d is named '%s', which parses as %d", keys[i], name,
		          back);
	}
}

/* fuzz_theme: a theme that fails to parse leaves the built-in default in
 * *out (theme.h), also for a YAML reader error such as invalid UTF-8. */
Test(hostile, fuzz_theme_failure_leaves_default)
{
	size_t len;
	char *yaml = read_all(FIXTURES "/fuzz/theme/invalid-utf8-not-default.yaml", &len);
	cr_assert_not_null(yaml);
	struct theme t, def;
	struct ct_error err;
	memset(&t, 0xa5, sizeof t);
	theme_init_default(&def);
	enum ct_status st = theme_parse(yaml, len, "bad.yaml", &t, &err);
	free(yaml);
	cr_assert_eq(st, CT_THEME);
	cr_assert(memcmp(t.style, def.style, sizeof def.style) == 0,
	          "the theme after a failed parse is not the default");
}

/* ---- the editor, scripted ----------------------------------------------------- */

#include "tui.h"

/* Walk every cell of a notebook full of escape sequences, C1 controls,
 * bidi and zero-width characters with the preview open, dumping the screen
 * at each: no dump holds any of them raw, the escape sequences are shown as
 * placeholders, and the notebook is untouched after quitting. */
Test(hostile, tui_dump_has_no_raw_controls, .timeout = 60)
{
	char repo[4096];
	cr_assert_not_null(getcwd(repo, sizeof repo));
	char *nbp = stage("escapes-cells.ipynb", "esc.ipynb");
	size_t len;
	char *before = read_all(nbp, &len);
	cr_assert_eq(chdir(tmpdir), 0);
	tu_tui_env(tmpdir);

	FILE *s = fopen("walk.keys", "w");
	cr_assert_not_null(s);
	const int ncells = 10;
	for (int i = 0; i < ncells; i++)
		fprintf(s, ":save-display dump%d.screen\nj\n", i);
	fprintf(s, "<Tab>\n:save-display focus.screen\n"
	        ":resize 30x8\n:save-display narrow.screen\n");
	fclose(s);

	char *argv[] = { (char *)"celltag", (char *)"--size", (char *)"100x30",
	                 (char *)"--script", (char *)"walk.keys",
	                 (char *)"esc.ipynb", NULL };
	int rc = tui_main(6, argv);
	cr_assert_eq(rc, 0, "tui_main returned %d", rc);

	bool saw_placeholder = false;
	char name[64];
	for (int i = 0; i < ncells + 2; i++) {
		if (i < ncells)
			snprintf(name, sizeof name, "dump%d.screen", i);
		else
			snprintf(name, sizeof name, "%s.screen",
			         i == ncells ? "focus" : "narrow");
		size_t n;
		char *d = read_all(name, &n);
		cr_assert_not_null(d, "no %s", name);
		long at = find_unsafe(d, n);
		cr_assert_eq(at, -1, "%s: raw control at byte %ld:\n%s", name, at, d);
		saw_placeholder = saw_placeholder || memmem(d, n, "^[", 2);
		free(d);
	}
	cr_assert(saw_placeholder, "no ^[ placeholder shown for the escapes");
	size_t alen;
	char *after = read_all("esc.ipynb", &alen);
	cr_assert(alen == len && memcmp(after, before, len) == 0,
	          "the notebook changed");
	free(before);
	free(after);
	cr_assert_eq(chdir(repo), 0);
}

/* fuzz_notebook_roundtrip input duplicate-tags.ipynb: a loaded list with a
 * duplicate ("dup", "dup", real files have them): removing the tag removes
 * every copy, the reloaded file agrees, and adding it back gives one copy. */
Test(hostile, duplicate_tags_removed_together)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(FIXTURES "/comma-tag.ipynb", &nb, &err), CT_OK);
	const struct nb_cell *c = &nb->cells[1];
	cr_assert_eq(c->ntags, 2);
	bool changed = false;
	cr_assert_eq(notebook_tag_remove(nb, 1, "dup", &changed, &err), CT_OK,
	             "%s", err.msg);
	cr_assert(changed);
	cr_assert_eq(nb->cells[1].ntags, 0, "%zu copies left", (size_t)nb->cells[1].ntags);
	cr_assert_not(cell_has_tag(&nb->cells[1], "dup"));
	char *out = NULL;
	size_t n;
	cr_assert_eq(notebook_render(nb, &out, &n, &err), CT_OK);
	struct notebook *nb2 = NULL;
	cr_assert_eq(notebook_load_buffer(out, n, "r", &nb2, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(nb2->cells[1].ntags, 0);
	cr_assert_eq(notebook_tag_add(nb, 1, "dup", &changed, &err), CT_OK);
	cr_assert_eq(nb->cells[1].ntags, 1);
	notebook_free(&nb2);
	notebook_free(&nb);
	free(out);
}
