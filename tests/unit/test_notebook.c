/* test_notebook.c - load, model, edits and lossless rendering of the core. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notebook.h"
#include "save.h"
#include "testutil.h"

#define STYLES "tests/data/styles/"

static struct notebook *load_ok(const char *path)
{
	struct notebook *nb = NULL;
	struct ct_error e;
	enum ct_status st = notebook_load(path, &nb, &e);
	cr_assert_eq(st, CT_OK, "%s: %s (line %ld col %ld)", path, e.msg, e.line, e.col);
	cr_assert_not_null(nb);
	return nb;
}

static struct notebook *load_str(const char *json)
{
	struct notebook *nb = NULL;
	struct ct_error e;
	enum ct_status st = notebook_load_buffer(json, strlen(json), "mem.ipynb", &nb, &e);
	cr_assert_eq(st, CT_OK, "%s", e.msg);
	return nb;
}

static enum ct_status load_err(const char *json, struct ct_error *e)
{
	struct notebook *nb = NULL;
	enum ct_status st = notebook_load_buffer(json, strlen(json), "bad.ipynb", &nb, e);
	cr_assert_null(nb);
	cr_assert_eq(e->status, st);
	return st;
}

static void assert_render_equals(const struct notebook *nb, const char *want, size_t wlen)
{
	char *out;
	size_t len;
	cr_assert_eq(notebook_render(nb, &out, &len, NULL), CT_OK);
	if (len != wlen || memcmp(out, want, len) != 0) {
		fprintf(stderr, "--- rendered (%zu bytes)\n%.*s\n--- expected (%zu bytes)\n%.*s\n", len,
		        (int)len, out, wlen, (int)wlen, want);
		cr_assert_fail("rendered bytes differ from expected");
	}
	free(out);
}

/* ---- every writer style ------------------------------------------------ */

/* Parameters hold arrays, not pointers: Criterion may run each test in a
 * freshly executed process where static addresses differ. */
struct style_case {
	char name[32];
};

static struct style_case base_styles[] = { { "jupyter" }, { "colab" }, { "indent4" },
                                           { "indent0" }, { "compact" }, { "compact-spaced" },
                                           { "tabs" }, { "crlf" } };

ParameterizedTestParameters(styles, base_edit_matches_writer)
{
	return cr_make_param_array(struct style_case, base_styles,
	                           sizeof base_styles / sizeof base_styles[0]);
}

ParameterizedTest(struct style_case *style, styles, base_edit_matches_writer)
{
	char path[256], exp[256];
	snprintf(path, sizeof path, STYLES "%s.ipynb", style->name);
	snprintf(exp, sizeof exp, STYLES "%s.expected", style->name);
	size_t olen, elen;
	char *orig = tu_read(path, &olen), *want = tu_read(exp, &elen);
	cr_assert(orig && want);
	struct notebook *nb = load_ok(path);

	/* the model */
	cr_assert_eq(nb->ncells, 5);
	cr_assert_eq(nb->nbformat, 4);
	cr_assert_eq(nb->nbformat_minor, 5);
	cr_assert_eq(nb->cells[0].kind, NB_MARKDOWN);
	cr_assert_str_eq(nb->cells[0].source, "# Lesson 3\nIntro text");
	cr_assert_str_eq(nb->cells[1].id, "c1");
	cr_assert_str_eq(nb->cells[1].source, "def add(a, b):\n    # YOUR CODE HERE\n    pass");
	cr_assert_eq(nb->cells[1].execution_count, -1);
	cr_assert_eq(nb->cells[2].execution_count, 3);
	cr_assert_eq(nb->cells[3].ntags, 1);
	cr_assert_str_eq(nb->cells[3].tags[0], "keep-me");
	cr_assert(nb->cells[4].had_tags_key);
	cr_assert_eq(nb->cells[4].ntags, 0);
	cr_assert_not(nb->cells[1].had_tags_key);

	/* no edit: identical bytes */
	assert_render_equals(nb, orig, olen);

	/* the edit the fixture generator also made, in the writer's style */
	bool ch;
	cr_assert_eq(notebook_tag_add(nb, 1, "assignment:lesson-03-exercise-1", &ch, NULL), CT_OK);
	cr_assert(ch);
	cr_assert_eq(notebook_tag_add(nb, 2, "assignment:lesson-03-exercise-2", &ch, NULL), CT_OK);
	cr_assert_eq(notebook_tag_remove(nb, 3, "keep-me", &ch, NULL), CT_OK);
	cr_assert(ch);
	cr_assert_eq(notebook_tag_add(nb, 4, "x", &ch, NULL), CT_OK);
	cr_assert(notebook_modified(nb));
	assert_render_equals(nb, want, elen);

	/* and back: original bytes */
	notebook_tag_remove(nb, 1, "assignment:lesson-03-exercise-1", &ch, NULL);
	notebook_tag_remove(nb, 2, "assignment:lesson-03-exercise-2", &ch, NULL);
	notebook_tag_add(nb, 3, "keep-me", &ch, NULL);
	notebook_tag_remove(nb, 4, "x", &ch, NULL);
	cr_assert_not(notebook_modified(nb));
	assert_render_equals(nb, orig, olen);

	/* the edited bytes load again and hold the new tags */
	notebook_free(&nb);
	struct ct_error e;
	cr_assert_eq(notebook_load_buffer(want, elen, "x", &nb, &e), CT_OK, "%s", e.msg);
	cr_assert_str_eq(nb->cells[1].tags[0], "assignment:lesson-03-exercise-1");
	cr_assert_eq(nb->cells[3].ntags, 0);
	cr_assert_not(nb->cells[3].had_tags_key);
	cr_assert_str_eq(nb->cells[4].tags[0], "x");
	/* tag then untag across a reload gives the original back where the cell
	 * had no tags key */
	cr_assert_eq(notebook_tag_remove(nb, 1, "assignment:lesson-03-exercise-1", &ch, NULL), CT_OK);
	cr_assert_eq(notebook_tag_remove(nb, 2, "assignment:lesson-03-exercise-2", &ch, NULL), CT_OK);
	cr_assert_eq(notebook_tag_add(nb, 3, "keep-me", &ch, NULL), CT_OK);
	cr_assert_eq(notebook_tag_remove(nb, 4, "x", &ch, NULL), CT_OK);
	char *out;
	size_t len;
	notebook_render(nb, &out, &len, NULL);
	/* cell 4 had "tags": [] originally; across a reload its key is dropped */
	struct notebook *back;
	cr_assert_eq(notebook_load_buffer(out, len, "y", &back, &e), CT_OK, "%s", e.msg);
	cr_assert_eq(back->cells[4].ntags, 0);
	cr_assert_not(back->cells[4].had_tags_key);
	cr_assert_eq(back->cells[3].ntags, 1);
	notebook_free(&back);
	free(out);
	notebook_free(&nb);
	free(orig);
	free(want);
}

Test(styles, detected_style)
{
	struct notebook *nb = load_ok(STYLES "jupyter.ipynb");
	cr_assert_str_eq(nb->style.newline, "\n");
	cr_assert_str_eq(nb->style.indent, " ");
	cr_assert_str_eq(nb->style.colon, ": ");
	cr_assert(nb->style.final_newline);
	cr_assert_not(nb->style.ascii_only);
	notebook_free(&nb);
	nb = load_ok(STYLES "crlf.ipynb");
	cr_assert_str_eq(nb->style.newline, "\r\n");
	notebook_free(&nb);
	nb = load_ok(STYLES "compact.ipynb");
	cr_assert_str_eq(nb->style.newline, "");
	cr_assert_str_eq(nb->style.colon, ":");
	cr_assert_str_eq(nb->style.comma, ",");
	cr_assert_not(nb->style.final_newline);
	notebook_free(&nb);
	nb = load_ok(STYLES "tabs.ipynb");
	cr_assert_str_eq(nb->style.indent, "\t");
	notebook_free(&nb);
	nb = load_ok(STYLES "escaped.ipynb");
	cr_assert(nb->style.ascii_only);
	notebook_free(&nb);
}

static void unicode_case(const char *name)
{
	char path[256], exp[256];
	snprintf(path, sizeof path, STYLES "%s.ipynb", name);
	snprintf(exp, sizeof exp, STYLES "%s.expected", name);
	size_t elen;
	char *want = tu_read(exp, &elen);
	struct notebook *nb = load_ok(path);
	cr_assert_str_eq(nb->cells[0].source, "# \xc3\x9c" "bung 1 \xe2\x80\x94 \xe7\xbb\x83\xe4\xb9\xa0 \xf0\x9f\x98\x80\n");
	cr_assert_str_eq(nb->cells[1].tags[0], "caf\xc3\xa9");
	cr_assert_str_eq(nb->cells[2].source, "source as one string\nsecond line");
	cr_assert_eq(notebook_tag_add(nb, 2, "\xc3\xbc" "bung-\xf0\x9f\x98\x80", NULL, NULL), CT_OK);
	assert_render_equals(nb, want, elen);
	notebook_free(&nb);
	free(want);
}

Test(styles, unicode_raw_and_escaped)
{
	unicode_case("unicode");
	unicode_case("escaped");
}

Test(styles, numbers_survive_an_edit)
{
	size_t olen;
	char *orig = tu_read(STYLES "numbers.ipynb", &olen);
	struct notebook *nb = load_ok(STYLES "numbers.ipynb");
	cr_assert_eq(notebook_tag_add(nb, 0, "t", NULL, NULL), CT_OK);
	char *out;
	size_t len;
	notebook_render(nb, &out, &len, NULL);
	cr_assert_not_null(memmem(out, len, "\"f\": 1.0", 8));
	cr_assert_not_null(memmem(out, len, "\"g\": 1E5", 8));
	cr_assert_not_null(memmem(out, len, "\"k\": -0.0", 9));
	cr_assert_not_null(memmem(out, len, "\"m\": 1e999", 10));
	cr_assert_not_null(memmem(out, len, "3.141592653589793", 17));
	cr_assert_not_null(memmem(out, len, "12345678901234567890", 20));
	cr_assert_eq(len, olen + strlen(",\n    \"tags\": [\n     \"t\"\n    ]"));
	free(out);
	free(orig);
	notebook_free(&nb);
}

Test(styles, zero_cells)
{
	size_t olen;
	char *orig = tu_read(STYLES "empty-cells.ipynb", &olen);
	struct notebook *nb = load_ok(STYLES "empty-cells.ipynb");
	cr_assert_eq(nb->ncells, 0);
	assert_render_equals(nb, orig, olen);
	size_t idx;
	struct ct_error e;
	cr_assert_eq(notebook_find_cell(nb, "0", &idx, &e), CT_CELL);
	cr_assert_eq(notebook_tag_add(nb, 0, "x", NULL, &e), CT_CELL);
	notebook_free(&nb);
	free(orig);
}

/* ---- model details ------------------------------------------------------ */

Test(model, source_string_list_and_escapes)
{
	struct notebook *nb = load_str(
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [],"
		" \"execution_count\": 7, \"source\": \"a\\tb\\u00e9\\ud83d\\ude00\\n\\\"q\\\"\"},"
		"{\"cell_type\": \"weird\", \"metadata\": {}, \"source\": [\"x\\n\", \"y\"]},"
		"{\"cell_type\": \"raw\", \"metadata\": {}, \"source\": []}],"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 99}");
	cr_assert_eq(nb->ncells, 3);
	cr_assert_str_eq(nb->cells[0].source, "a\tb\xc3\xa9\xf0\x9f\x98\x80\n\"q\"");
	cr_assert_eq(nb->cells[0].execution_count, 7);
	cr_assert_eq(nb->cells[1].kind, NB_OTHER);
	cr_assert_str_eq(nb->cells[1].cell_type, "weird");
	cr_assert_str_eq(nb->cells[1].source, "x\ny");
	cr_assert_eq(nb->cells[2].kind, NB_RAW);
	cr_assert_str_eq(nb->cells[2].source, "");
	cr_assert_eq(nb->nbformat_minor, 99);
	notebook_free(&nb);
}

Test(model, nbgrader_flags)
{
	struct notebook *nb = load_str(
		"{\"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [],"
		" \"metadata\": {\"nbgrader\": {\"grade\": true, \"solution\": false, \"locked\": false,"
		" \"grade_id\": \"q1\", \"points\": 2.5, \"schema_version\": 3}}}],"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 0}");
	const struct nb_cell *c = &nb->cells[0];
	cr_assert(c->nbgrader && c->nbgrader->present);
	cr_assert(c->nbgrader->grade);
	cr_assert_not(c->nbgrader->solution);
	cr_assert_str_eq(c->nbgrader->grade_id, "q1");
	cr_assert_float_eq(c->nbgrader->points, 2.5, 1e-9);
	notebook_free(&nb);
}

Test(model, tags_of_wrong_type_load_read_only)
{
	struct notebook *nb = load_str(
		"{\"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [],"
		" \"metadata\": {\"tags\": \"BAD\"}},"
		"{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [], \"metadata\": {\"tags\": [1]}},"
		"{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": []},"
		"{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [], \"metadata\": {\"tags\": [\"ok\"]}}],"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
	struct ct_error e;
	cr_assert_not_null(nb->cells[0].readonly_reason);
	cr_assert_eq(notebook_tag_add(nb, 0, "x", NULL, &e), CT_READONLY);
	cr_assert_not_null(strstr(e.msg, "not a list of strings"), "%s", e.msg);
	cr_assert_eq(notebook_tag_add(nb, 1, "x", NULL, &e), CT_READONLY);
	cr_assert_eq(notebook_tag_add(nb, 2, "x", NULL, &e), CT_READONLY);
	cr_assert_not_null(strstr(e.msg, "no metadata"), "%s", e.msg);
	cr_assert_eq(notebook_tag_add(nb, 3, "y", NULL, &e), CT_OK);
	cr_assert_eq(nb->cells[3].ntags, 2);
	notebook_free(&nb);
}

Test(model, duplicate_keys_make_it_read_only)
{
	struct notebook *nb = load_str(
		"{\"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [],"
		" \"metadata\": {\"tags\": [\"a\"], \"tags\": [\"b\"]}}],"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
	cr_assert_str_eq(nb->cells[0].tags[0], "b", "the last duplicate wins, as in Python");
	cr_assert_eq(notebook_tag_add(nb, 0, "x", NULL, NULL), CT_READONLY);
	notebook_free(&nb);
	nb = load_str("{\"cells\": [], \"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
	cr_assert_not_null(nb->readonly_reason);
	notebook_free(&nb);
}

Test(model, find_cell)
{
	struct notebook *nb = load_ok(STYLES "jupyter.ipynb");
	size_t i = 99;
	struct ct_error e;
	cr_assert_eq(notebook_find_cell(nb, "3", &i, &e), CT_OK);
	cr_assert_eq(i, 3);
	cr_assert_eq(notebook_find_cell(nb, "id:c2", &i, &e), CT_OK);
	cr_assert_eq(i, 2);
	cr_assert_eq(notebook_find_cell(nb, "id:nope", &i, &e), CT_CELL);
	cr_assert_eq(notebook_find_cell(nb, "5", &i, &e), CT_CELL);
	cr_assert_not_null(strstr(e.msg, "5 cells"), "%s", e.msg);
	cr_assert_eq(notebook_find_cell(nb, "-1", &i, &e), CT_USAGE);
	cr_assert_eq(notebook_find_cell(nb, "1x", &i, &e), CT_USAGE);
	cr_assert_eq(notebook_find_cell(nb, "", &i, &e), CT_USAGE);
	cr_assert_eq(notebook_find_cell(nb, "99999999999999999999999", &i, &e), CT_USAGE);
	notebook_free(&nb);
}

/* ---- tag edits and schema ---------------------------------------------- */

Test(tags, schema)
{
	const char *why = NULL;
	cr_assert(tag_schema_valid("assignment:lesson-03-exercise-1", &why));
	cr_assert(tag_schema_valid("with space", &why));
	cr_assert_not(tag_schema_valid("", &why));
	cr_assert_not_null(why);
	cr_assert_not(tag_schema_valid("a,b", &why));
	cr_assert_not_null(strstr(why, "comma"));
	cr_assert_not(tag_schema_valid("a\x1b[31m", &why));
	cr_assert_not(tag_schema_valid("a\xc2\x85", &why));
	cr_assert_not(tag_schema_valid("\xff", &why));
	cr_assert_not(tag_schema_valid(NULL, &why));
}

Test(tags, add_remove_set)
{
	struct notebook *nb = load_ok(STYLES "jupyter.ipynb");
	bool ch = true;
	struct ct_error e;
	cr_assert_eq(notebook_tag_add(nb, 3, "keep-me", &ch, &e), CT_OK);
	cr_assert_not(ch, "adding a present tag is a no-op");
	cr_assert_not(notebook_modified(nb));
	cr_assert_eq(notebook_tag_remove(nb, 1, "absent", &ch, &e), CT_OK);
	cr_assert_not(ch);
	cr_assert_eq(notebook_tag_add(nb, 3, "a,b", &ch, &e), CT_TAG);
	cr_assert_eq(notebook_tag_add(nb, 3, "second", &ch, &e), CT_OK);
	cr_assert_str_eq(nb->cells[3].tags[1], "second", "appended at the end");
	cr_assert_str_eq(nb->cells[3].loaded_tags[0], "keep-me");
	cr_assert_eq(nb->cells[3].nloaded_tags, 1);
	const char *dup[] = { "x", "x" };
	cr_assert_eq(notebook_tags_set(nb, 3, dup, 2, &ch, &e), CT_TAG);
	const char *fresh[] = { "b", "a" };
	cr_assert_eq(notebook_tags_set(nb, 3, fresh, 2, &ch, &e), CT_OK);
	cr_assert(ch);
	cr_assert_str_eq(nb->cells[3].tags[0], "b");
	const char *orig[] = { "keep-me" };
	cr_assert_eq(notebook_tags_set(nb, 3, orig, 1, &ch, &e), CT_OK);
	cr_assert_not(notebook_modified(nb));
	cr_assert_eq(notebook_tag_add(nb, 9, "x", &ch, &e), CT_CELL);
	notebook_free(&nb);
}

Test(tags, set_back_to_a_loaded_invalid_list)
{
	struct notebook *nb = load_str(
		"{\"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [],"
		" \"metadata\": {\"tags\": [\"a,b\", \"x\", \"x\"]}}],"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
	const char *loaded[] = { "a,b", "x", "x" };
	const char *one[] = { "x" };
	struct ct_error e;
	cr_assert_eq(notebook_tags_set(nb, 0, one, 1, NULL, &e), CT_OK);
	cr_assert(notebook_modified(nb));
	cr_assert_eq(notebook_tags_set(nb, 0, loaded, 3, NULL, &e), CT_OK, "%s", e.msg);
	cr_assert_not(notebook_modified(nb));
	const char *bad[] = { "a,b", "x" };
	cr_assert_eq(notebook_tags_set(nb, 0, bad, 2, NULL, &e), CT_TAG);
	notebook_free(&nb);
}

Test(tags, escaping_like_python)
{
	struct notebook *nb = load_ok(STYLES "jupyter.ipynb");
	cr_assert_eq(notebook_tag_add(nb, 1, "q\"b\\s/", NULL, NULL), CT_OK);
	char *out;
	size_t len;
	notebook_render(nb, &out, &len, NULL);
	cr_assert_not_null(memmem(out, len, "\"q\\\"b\\\\s/\"", 9));
	free(out);
	notebook_free(&nb);
}

Test(tags, insertion_keeps_sorted_position)
{
	struct notebook *nb = load_str(
		"{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {\n"
		"    \"a\": 1,\n    \"zeta\": 2\n   },\n   \"source\": []\n  }\n ],\n"
		" \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
	notebook_tag_add(nb, 0, "t", NULL, NULL);
	char *out;
	size_t len;
	notebook_render(nb, &out, &len, NULL);
	cr_assert_not_null(strstr(out, "    \"a\": 1,\n    \"tags\": [\n     \"t\"\n    ],\n    \"zeta\": 2\n"),
	                   "%s", out);
	free(out);
	notebook_free(&nb);
}

/* ---- errors ------------------------------------------------------------- */

Test(errors, files)
{
	struct notebook *nb;
	struct ct_error e;
	cr_assert_eq(notebook_load("tests/data/styles/does-not-exist.ipynb", &nb, &e), CT_NOTFOUND);
	cr_assert_null(nb);
	cr_assert_str_eq(e.path, "tests/data/styles/does-not-exist.ipynb");
	cr_assert_eq(notebook_load("tests/data/styles", &nb, &e), CT_NOTREG);
	cr_assert_not_null(strstr(e.msg, "directory"));
	cr_assert_eq(notebook_load("/dev/null", &nb, &e), CT_NOTREG);
	char *d = tu_tmpdir();
	cr_assert(tu_write(tu_path(d, "empty.ipynb"), "", 0));
	cr_assert_eq(notebook_load(tu_path(d, "empty.ipynb"), &nb, &e), CT_SYNTAX);
	cr_assert_not_null(strstr(e.msg, "empty"));
	symlink("loop2", tu_path(d, "loop1"));
	symlink("loop1", tu_path(d, "loop2"));
	cr_assert_eq(notebook_load(tu_path(d, "loop1"), &nb, &e), CT_IO);
	cr_assert_not_null(strstr(e.msg, "symbolic links"), "%s", e.msg);
	tu_rmtree(&d);
}

struct err_case {
	char json[160];
	enum ct_status status;
	long line, col;
	char needle[40];
};

static struct err_case err_cases[] = {
	{ "{\"cells\": [", CT_SYNTAX, 1, 12, "end of file" },
	{ "{\"cells\": [],\n \"nbformat\": 4,\n \"nbformat_minor\": 5, \"metadata\": {}}\n}", CT_SYNTAX, 4, 1, "after the notebook" },
	{ "{\"cells\": [],\n \"x\": tru}", CT_SYNTAX, 2, 7, "literal" },
	{ "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"\xff\"}]}", CT_UTF8, 1, 45, "UTF-8" },
	{ "[1, 2]", CT_FORMAT, 1, 1, "top level" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}}", CT_FORMAT, 0, 0, "cells" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": {}}", CT_FORMAT, 1, 47, "not a list" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": [1]}", CT_FORMAT, 1, 48, "cell 0 is not an object" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": [{\"metadata\": {}}]}", CT_FORMAT, 1, 48, "no cell_type" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": [{\"cell_type\": 3, \"metadata\": {}}]}", CT_FORMAT, 1, 62, "cell_type" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": [{\"cell_type\": \"code\", \"metadata\": []}]}", CT_FORMAT, 1, 82, "metadata" },
	{ "{\"nbformat\": 4, \"nbformat_minor\": 5, \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"source\": 5}]}", CT_FORMAT, 1, 96, "source" },
	{ "{\"nbformat\": 3, \"nbformat_minor\": 0, \"worksheets\": []}", CT_VERSION, 0, 0, "nbformat 3" },
	{ "{\"nbformat\": 5, \"nbformat_minor\": 0, \"cells\": []}", CT_VERSION, 0, 0, "nbformat 5" },
	{ "{\"worksheets\": []}", CT_VERSION, 0, 0, "nbformat 3" },
	{ "{\"nbformat\": -1, \"nbformat_minor\": 0, \"cells\": []}", CT_VERSION, 0, 0, "nbformat -1" },
	{ "{\"nbformat\": 0, \"nbformat_minor\": 0, \"cells\": []}", CT_VERSION, 0, 0, "nbformat 0" },
	{ "{\"nbformat\": 4.0, \"nbformat_minor\": 0, \"cells\": []}", CT_FORMAT, 1, 14, "integer" },
	{ "{\"nbformat\": \"4\", \"nbformat_minor\": 0, \"cells\": []}", CT_FORMAT, 1, 14, "integer" },
	{ "{\"cells\": [], \"nbformat\": 4}", CT_FORMAT, 0, 0, "nbformat_minor" },
	{ "{\"a\": 01}", CT_SYNTAX, 1, 7, "number" },
	{ "{\"a\": \"x\ty\"}", CT_SYNTAX, 1, 9, "control" },
	{ "{\"a\": \"\\x\"}", CT_SYNTAX, 1, 8, "escape" },
	{ "{\"a\": \"\\u12g4\"}", CT_SYNTAX, 1, 8, "escape" },
	{ "\r\n{\r\n\"a\": [1,,2]}", CT_SYNTAX, 3, 9, "value" },
};

ParameterizedTestParameters(errors, malformed)
{
	return cr_make_param_array(struct err_case, err_cases, sizeof err_cases / sizeof err_cases[0]);
}

ParameterizedTest(struct err_case *c, errors, malformed)
{
	struct ct_error e;
	enum ct_status st = load_err(c->json, &e);
	cr_assert_eq(st, c->status, "%s: got %s (%s)", c->json, ct_status_name(st), e.msg);
	cr_assert_eq(e.line, c->line, "%s: line %ld, want %ld (%s)", c->json, e.line, c->line, e.msg);
	cr_assert_eq(e.col, c->col, "%s: col %ld, want %ld (%s)", c->json, e.col, c->col, e.msg);
	cr_assert_not_null(strstr(e.msg, c->needle), "%s: message '%s' lacks '%s'", c->json, e.msg,
	                   c->needle);
	cr_assert_str_eq(e.path, "bad.ipynb");
	cr_assert_null(strchr(e.msg, '\n'));
	char line[8192];
	ct_error_format(&e, line, sizeof line);
	cr_assert(strncmp(line, "bad.ipynb:", 10) == 0, "%s", line);
}

Test(errors, nesting_limit)
{
	size_t n = 100000;
	char *s = malloc(2 * n + 1);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	struct notebook *nb;
	struct ct_error e;
	cr_assert_eq(notebook_load_buffer(s, 2 * n, "deep", &nb, &e), CT_SYNTAX);
	cr_assert_not_null(strstr(e.msg, "too deep"), "%s", e.msg);
	free(s);
}

Test(errors, truncated_at_every_offset)
{
	size_t len;
	char *orig = tu_read(STYLES "jupyter.ipynb", &len);
	/* every proper prefix that is not the whole notebook must fail cleanly */
	size_t last_brace = len;
	while (last_brace > 0 && orig[last_brace - 1] != '}')
		last_brace--;
	for (size_t cut = 0; cut < last_brace; cut++) {
		struct notebook *nb;
		struct ct_error e;
		enum ct_status st = notebook_load_buffer(orig, cut, "t", &nb, &e);
		cr_assert_neq(st, CT_OK, "prefix of %zu bytes loaded", cut);
		cr_assert(e.line >= 1 || cut == 0 || st != CT_SYNTAX, "no position at cut %zu", cut);
	}
	free(orig);
}

Test(errors, bom_is_accepted_and_kept)
{
	size_t len;
	char *orig = tu_read(STYLES "jupyter.ipynb", &len);
	char *b = malloc(len + 3);
	memcpy(b, "\xef\xbb\xbf", 3);
	memcpy(b + 3, orig, len);
	struct notebook *nb;
	cr_assert_eq(notebook_load_buffer(b, len + 3, "bom", &nb, NULL), CT_OK);
	notebook_tag_add(nb, 1, "t", NULL, NULL);
	char *out;
	size_t olen;
	notebook_render(nb, &out, &olen, NULL);
	cr_assert(memcmp(out, "\xef\xbb\xbf{", 4) == 0);
	free(out);
	notebook_free(&nb);
	free(b);
	free(orig);
}

Test(hash, stable_and_sensitive)
{
	cr_assert_eq(ct_hash_bytes("abc", 3), ct_hash_bytes("abc", 3));
	cr_assert_neq(ct_hash_bytes("abc", 3), ct_hash_bytes("abd", 3));
	cr_assert_neq(ct_hash_bytes("abcdefgh1", 9), ct_hash_bytes("abcdefgh2", 9));
	cr_assert_neq(ct_hash_bytes("", 0), ct_hash_bytes("\0", 1));
}

/* Files are read in 8 MB parts (notebook.c read_all): one thread below
 * 32 MB, several above.  The loaded bytes must be the file's, in order;
 * every part holds different bytes, so a part read into the wrong place
 * shows.  ncells of 400 KB each. */
static void load_in_parts(int ncells, size_t min_size)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	const char *path = tu_path(dir, "big.ipynb");
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static char blob[400001];
	unsigned long x = 12345;
	fputs("{\n \"cells\": [\n", f);
	for (int i = 0; i < ncells; i++) {
		for (size_t k = 0; k < sizeof blob - 1; k++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			blob[k] = b64[(x >> 58) & 63];
		}
		fprintf(f, "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": %d,\n"
		        "   \"metadata\": {},\n   \"outputs\": [\n    {\n     \"data\": {\n"
		        "      \"image/png\": \"%s\"\n     },\n     \"metadata\": {},\n"
		        "     \"output_type\": \"display_data\"\n    }\n   ],\n"
		        "   \"source\": \"cell %d\"\n  }%s\n", i + 1, blob, i,
		        i + 1 < ncells ? "," : "");
	}
	fputs(" ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n", f);
	cr_assert_eq(fclose(f), 0);

	size_t len;
	char *bytes = tu_read(path, &len);
	cr_assert_not_null(bytes);
	cr_assert_gt(len, min_size);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(nb->len, len);
	cr_assert(memcmp(nb->data, bytes, len) == 0, "loaded bytes differ from the file");
	cr_expect_eq(nb->ncells, (size_t)ncells);
	char last[32];
	snprintf(last, sizeof last, "cell %d", ncells - 1);
	cr_expect_str_eq(nb->cells[ncells - 1].source, last);
	notebook_free(&nb);
	free(bytes);
	tu_rmtree(&dir);
}

Test(model, big_file_read_in_parts_gives_the_file, .timeout = 120)
{
	load_in_parts(50, (size_t)16 << 20);    /* 20 MB: one thread */
	load_in_parts(110, (size_t)40 << 20);   /* 44 MB: several */
}
