/* test_cli_rules.c - `celltag lint`, `coverage` and `suggest`, in-process
 * on tests/data/course and the shared corpus. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "notebook.h"
#include "rules_testutil.h"
#include "walk.h"
#include "testutil.h"

#define COURSE "tests/data/course"

struct run {
	int rc;
	char *out, *err;
};

static struct run run_cli(int argc, const char **argv)
{
	FILE *o = tmpfile(), *e = tmpfile();
	cr_assert(o && e);
	struct run r;
	r.rc = cli_run(argc, (char **)argv, o, e);
	fflush(o);
	fflush(e);
	r.out = tu_stream_text(o);
	r.err = tu_stream_text(e);
	return r;
}

#define RUN(...) run_cli( \
	(int)(sizeof((const char *[]){ "celltag", __VA_ARGS__ }) / sizeof(char *)), \
	(const char *[]){ "celltag", __VA_ARGS__ })

static void free_run(struct run *r)
{
	free(r->out);
	free(r->err);
}

static size_t count_lines(const char *s, const char *prefix)
{
	size_t n = 0;
	for (const char *p = s; p && *p;) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* No user configuration leaks into the tests. */
static void isolate(void)
{
	setenv("XDG_CONFIG_HOME", "/nonexistent/celltag-test", 1);
	setenv("HOME", "/nonexistent/celltag-test", 1);
}

TestSuite(cli_rules, .init = isolate);

/* ---- lint ------------------------------------------------------------- */

Test(cli_rules, lint_course)
{
	struct run r = RUN("lint", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT, "rc %d", r.rc);
	cr_expect_str_eq(r.out,
		COURSE "/Lesson 3a.ipynb:0: warning: assignment tag on a markdown cell [assignment-not-code]\n"
		COURSE "/Lesson 3a.ipynb:3: warning: assignment tag 'assignment:lesson-04-exercise-1' names lesson-04, but the notebook is lesson-03a [assignment-lesson]\n"
		COURSE "/Lesson 3a.ipynb:5: warning: assignment tag 'assignment:lesson-03a-ex2' does not follow lesson-<NN>-<kind>-<n> [assignment-shape]\n"
		COURSE "/lesson_01.ipynb:7: info: exercise cell (stub-body) has no assignment tag; suggested: assignment:lesson-01-exercise-2 [exercise-untagged]\n"
		COURSE "/week4/lesson-4.ipynb:1: error: invalid assignment tag 'assignment:Lesson-04-Exercise-1': assignment tag has uppercase letters [assignment-uppercase]\n"
		COURSE "/week4/lesson-4.ipynb:2: warning: cell has 2 assignment tags; the platform reads only the first ('assignment:lesson-04-exercise-2') [assignment-multiple]\n"
		COURSE "/week4/lesson-4.ipynb:3: warning: assignment tag 'assignment:lesson-04-exercise-2' is also on cell 2 [assignment-duplicate]\n");
	/* the unreadable notebook is reported with its position, once */
	cr_expect_eq(count_lines(r.err, "celltag: "), 1, "%s", r.err);
	cr_expect(strstr(r.err, "celltag: " COURSE "/broken.ipynb:3:") != NULL,
	          "%s", r.err);
	cr_expect_null(strstr(r.err, "checkpoint"));
	cr_expect_null(strstr(r.out, "checkpoint"));
	cr_expect_null(strstr(r.err, "secret"));
	free_run(&r);
}

Test(cli_rules, lint_exit_codes)
{
	struct run r = RUN("lint", COURSE "/lesson_02.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cr_expect_str_eq(r.out, "");
	cr_expect_str_eq(r.err, "");
	free_run(&r);

	r = RUN("lint", COURSE "/lesson_01.ipynb");      /* info only */
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cr_expect_eq(count_lines(r.out, COURSE), 1);
	free_run(&r);

	r = RUN("lint", "--strict", COURSE "/lesson_01.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_FINDINGS);
	free_run(&r);

	r = RUN("lint", COURSE "/lesson_02.ipynb", "--strict");  /* options last */
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	free_run(&r);

	r = RUN("lint", COURSE "/week4");
	cr_expect_eq(r.rc, CLI_EXIT_FINDINGS);
	cr_expect_eq(count_lines(r.out, COURSE "/week4/lesson-4.ipynb:"), 3);
	free_run(&r);

	r = RUN("lint", COURSE "/lesson_02.ipynb", COURSE "/broken.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	free_run(&r);
}

Test(cli_rules, lint_usage)
{
	struct run r = RUN("lint");
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	cr_expect(strstr(r.err, "celltag: lint: no PATH") != NULL, "%s", r.err);
	free_run(&r);

	r = RUN("lint", "--bogus", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	cr_expect(strstr(r.err, "--bogus") != NULL, "%s", r.err);
	free_run(&r);

	r = RUN("lint", COURSE, "--lesson");
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	free_run(&r);

	r = RUN("lint", "--help");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cr_expect(strstr(r.out, "lint") != NULL);
	free_run(&r);

	const char *argv[] = { "lint", "-h" };
	FILE *o = tmpfile(), *e = tmpfile();
	cr_expect_eq(cli_cmd_lint(2, (char **)argv, o, e), CLI_EXIT_OK);
	char *out = tu_stream_text(o);
	cr_expect(strstr(out, "--strict") != NULL, "%s", out);
	free(out);
	fclose(e);
}

Test(cli_rules, lint_lesson_option)
{
	struct run r = RUN("lint", "--lesson", "5", COURSE "/lesson_02.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_FINDINGS);
	cr_expect_eq(count_lines(r.out, COURSE "/lesson_02.ipynb:"), 2);
	cr_expect(strstr(r.out, "but the notebook is lesson-05") != NULL, "%s",
	          r.out);
	free_run(&r);
}

Test(cli_rules, lint_json)
{
	struct run r = RUN("lint", "--json", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cJSON *j = cJSON_Parse(r.out);
	cr_assert_not_null(j, "not JSON:\n%s", r.out);
	cr_expect_eq(cJSON_GetObjectItem(j, "version")->valueint, 1);
	cJSON *f = cJSON_GetObjectItem(j, "findings");
	cr_assert(cJSON_IsArray(f));
	cr_expect_eq(cJSON_GetArraySize(f), 7);
	cJSON *first = cJSON_GetArrayItem(f, 0);
	cr_expect_str_eq(cJSON_GetObjectItem(first, "file")->valuestring,
	                 COURSE "/Lesson 3a.ipynb");
	cr_expect_eq(cJSON_GetObjectItem(first, "cell")->valueint, 0);
	cr_expect_str_eq(cJSON_GetObjectItem(first, "severity")->valuestring,
	                 "warning");
	cr_expect_str_eq(cJSON_GetObjectItem(first, "code")->valuestring,
	                 "assignment-not-code");
	cJSON *errs = cJSON_GetObjectItem(j, "errors");
	cr_assert_eq(cJSON_GetArraySize(errs), 1);
	cJSON *e0 = cJSON_GetArrayItem(errs, 0);
	cr_expect_str_eq(cJSON_GetObjectItem(e0, "status")->valuestring, "SYNTAX");
	cr_expect_eq(cJSON_GetObjectItem(e0, "line")->valueint, 3);
	cJSON *s = cJSON_GetObjectItem(j, "summary");
	cr_expect_eq(cJSON_GetObjectItem(s, "notebooks")->valueint, 5);
	cr_expect_eq(cJSON_GetObjectItem(s, "unreadable")->valueint, 1);
	cr_expect_eq(cJSON_GetObjectItem(s, "errors")->valueint, 1);
	cr_expect_eq(cJSON_GetObjectItem(s, "warnings")->valueint, 5);
	cr_expect_eq(cJSON_GetObjectItem(s, "infos")->valueint, 1);
	cJSON_Delete(j);
	free_run(&r);
}

Test(cli_rules, lint_config_file)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	const char *cfg = tu_path(dir, "config.yaml");
	const char *yaml = "tag_prefix: \"hw:\"\n";
	cr_assert(tu_write(cfg, yaml, strlen(yaml)));
	/* with another prefix the assignment: tags are ordinary tags */
	struct run r = RUN("lint", "--config", cfg, COURSE "/week4/lesson-4.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK, "rc %d\n%s%s", r.rc, r.out, r.err);
	cr_expect_null(strstr(r.out, "assignment-"));
	cr_expect(strstr(r.out, "suggested: hw:lesson-04-exercise-1") != NULL,
	          "%s", r.out);
	free_run(&r);

	r = RUN("lint", "--config", tu_path(dir, "missing.yaml"), COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect(strstr(r.err, "missing.yaml") != NULL, "%s", r.err);
	free_run(&r);
	unlink(cfg);
	rmdir(dir);
	free(dir);
}

/* ---- coverage --------------------------------------------------------- */

Test(cli_rules, coverage_table)
{
	struct run r = RUN("coverage", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect_str_eq(r.out,
		"NOTEBOOK              CODE  EXERCISES  TAGGED  UNTAGGED  TAG IDS\n"
		"Lesson 3a.ipynb          3          2       3         0  lesson-03a-exercise-...\n"
		"broken.ipynb          error: " COURSE "/broken.ipynb:3:24: invalid JSO...\n"
		"lesson_01.ipynb          4          2       1         1  lesson-01-exercise-1\n"
		"lesson_02.ipynb          3          2       2         0  lesson-02-exercise-1...\n"
		"week4/lesson-4.ipynb     3          2       3         0  Lesson-04-Exercise-1...\n"
		"TOTAL (5)               13          8       9         1  1 unreadable\n");
	for (const char *p = r.out; *p;) {
		const char *nl = strchr(p, '\n');
		cr_expect_leq(nl - p, 80, "line wider than 80 columns");
		p = nl + 1;
	}
	cr_expect_eq(count_lines(r.err, "celltag: " COURSE "/broken.ipynb:3:"), 1);
	free_run(&r);
}

Test(cli_rules, coverage_markdown)
{
	struct run r = RUN("coverage", "--format", "markdown", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect(strncmp(r.out, "| Notebook | Tagged Cells | Tag IDs |", 36) == 0,
	          "%s", r.out);
	cr_expect(strstr(r.out, "| lesson_02.ipynb | 2 | `lesson-02-exercise-1`, "
	                 "`lesson-02-exercise-2` | 3 | 2 | 0 |\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "| broken.ipynb | error: ") != NULL);
	cr_expect(strstr(r.out, "| **Total** (5 notebooks, 1 unreadable) | 9 | "
	                 "10 tags | 13 | 8 | 1 |\n") != NULL, "%s", r.out);
	cr_expect_eq(count_lines(r.out, "|"), 8);
	free_run(&r);
}

Test(cli_rules, coverage_csv)
{
	struct run r = RUN("coverage", "-f", "csv", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect(strncmp(r.out, "notebook,code_cells,exercise_cells,tagged_cells,"
	                  "untagged_exercises,tag_ids,lint_errors,lint_warnings,"
	                  "error\n", 96) == 0, "%s", r.out);
	cr_expect(strstr(r.out, "\nlesson_02.ipynb,3,2,2,0,lesson-02-exercise-1 "
	                 "lesson-02-exercise-2,0,0,\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\nbroken.ipynb,,,,,,,,") != NULL);
	cr_expect_eq(count_lines(r.out, ""), 6);
	free_run(&r);
}

Test(cli_rules, coverage_json)
{
	struct run r = RUN("coverage", "--format=json", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cJSON *j = cJSON_Parse(r.out);
	cr_assert_not_null(j, "not JSON:\n%s", r.out);
	cJSON *nbs = cJSON_GetObjectItem(j, "notebooks");
	cr_assert_eq(cJSON_GetArraySize(nbs), 5);
	cJSON *b = cJSON_GetArrayItem(nbs, 1);
	cr_expect_str_eq(cJSON_GetObjectItem(b, "notebook")->valuestring,
	                 "broken.ipynb");
	cJSON *err = cJSON_GetObjectItem(b, "error");
	cr_assert_not_null(err);
	cr_expect_str_eq(cJSON_GetObjectItem(err, "status")->valuestring, "SYNTAX");
	cJSON *l1 = cJSON_GetArrayItem(nbs, 2);
	cr_expect_eq(cJSON_GetObjectItem(l1, "exercise_cells")->valueint, 2);
	cr_expect_eq(cJSON_GetObjectItem(l1, "untagged_exercises")->valueint, 1);
	cJSON *ids = cJSON_GetObjectItem(l1, "tag_ids");
	cr_assert_eq(cJSON_GetArraySize(ids), 1);
	cr_expect_str_eq(cJSON_GetArrayItem(ids, 0)->valuestring,
	                 "lesson-01-exercise-1");
	cJSON *t = cJSON_GetObjectItem(j, "totals");
	cr_expect_eq(cJSON_GetObjectItem(t, "notebooks")->valueint, 5);
	cr_expect_eq(cJSON_GetObjectItem(t, "failed")->valueint, 1);
	cr_expect_eq(cJSON_GetObjectItem(t, "tagged_cells")->valueint, 9);
	cJSON_Delete(j);
	free_run(&r);
}

Test(cli_rules, coverage_paths_and_usage)
{
	struct run r = RUN("coverage", COURSE "/lesson_02.ipynb", COURSE "/week4");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	/* two arguments: paths as found, long ones cut at the front */
	cr_expect(strstr(r.out, "\n...ta/course/lesson_02.ipynb     3 ") != NULL,
	          "%s", r.out);
	cr_expect(strstr(r.out, "\n...urse/week4/lesson-4.ipynb     3 ") != NULL,
	          "%s", r.out);
	free_run(&r);

	r = RUN("coverage", "--format", "xml", COURSE);
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	cr_expect(strstr(r.err, "xml") != NULL);
	free_run(&r);

	r = RUN("coverage");
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	free_run(&r);

	r = RUN("coverage", "no/such/dir");
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect(strstr(r.out, "no/such/dir") != NULL, "row dropped:\n%s", r.out);
	free_run(&r);
}

/* ---- suggest ---------------------------------------------------------- */

Test(cli_rules, suggest_list)
{
	struct run r = RUN("suggest", COURSE "/lesson_01.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cr_expect_str_eq(r.out, COURSE "/lesson_01.ipynb:7: "
	                 "assignment:lesson-01-exercise-2 [stub-body]\n");
	free_run(&r);

	/* "Exercise 1.2" keeps its lesson part when the lesson is another */
	r = RUN("suggest", "--lesson", "lesson-09", COURSE "/lesson_01.ipynb");
	cr_expect_str_eq(r.out, COURSE "/lesson_01.ipynb:7: "
	                 "assignment:lesson-09-exercise-1-2 [stub-body]\n");
	free_run(&r);

	r = RUN("suggest", COURSE "/lesson_02.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cr_expect_str_eq(r.out, "");
	free_run(&r);
}

Test(cli_rules, suggest_json)
{
	struct run r = RUN("suggest", "--json", COURSE "/lesson_01.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cJSON *j = cJSON_Parse(r.out);
	cr_assert_not_null(j, "%s", r.out);
	cr_expect_str_eq(cJSON_GetObjectItem(j, "lesson")->valuestring, "lesson-01");
	cr_expect_str_eq(cJSON_GetObjectItem(j, "lesson_source")->valuestring, "tags");
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(j, "applied")));
	cJSON *s = cJSON_GetObjectItem(j, "suggestions");
	cr_assert_eq(cJSON_GetArraySize(s), 1);
	cJSON *s0 = cJSON_GetArrayItem(s, 0);
	cr_expect_eq(cJSON_GetObjectItem(s0, "cell")->valueint, 7);
	cr_expect_str_eq(cJSON_GetObjectItem(s0, "tag")->valuestring,
	                 "assignment:lesson-01-exercise-2");
	cr_expect_str_eq(cJSON_GetObjectItem(s0, "reason")->valuestring, "stub-body");
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(s0, "named")));
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(s0, "id")));
	cJSON_Delete(j);
	free_run(&r);
}

Test(cli_rules, suggest_apply)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	char path[4096];
	snprintf(path, sizeof path, "%s/lesson_01.ipynb", dir);
	cr_assert(tu_copy(COURSE "/lesson_01.ipynb", path));
	size_t before_len;
	char *before = tu_read(path, &before_len);

	struct run r = RUN("suggest", "--apply", path);
	cr_expect_eq(r.rc, CLI_EXIT_OK, "%s", r.err);
	cr_expect(strstr(r.out, ":7: assignment:lesson-01-exercise-2 [stub-body]\n")
	          != NULL, "%s", r.out);
	cr_expect(strstr(r.out, ": added 1 tag\n") != NULL, "%s", r.out);
	free_run(&r);

	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s", err.msg);
	cr_expect(cell_has_tag(&nb->cells[7], "assignment:lesson-01-exercise-2"));
	cr_expect(cell_has_tag(&nb->cells[5], "assignment:lesson-01-exercise-1"));
	cr_expect_eq(nb->cells[3].ntags, 0);
	notebook_free(&nb);
	size_t after_len;
	char *after = tu_read(path, &after_len);
	cr_expect_gt(after_len, before_len);
	/* only cell 7's metadata changed: the bytes before it and from its
	 * source on are the same */
	const char *c7 = strstr(before, "def add(a, b)");
	cr_assert_not_null(c7);
	const char *meta = c7;
	while (meta > before && strncmp(meta, "\"metadata\"", 10) != 0)
		meta--;
	size_t prefix = (size_t)(meta - before);
	cr_expect_eq(memcmp(before, after, prefix), 0);
	cr_expect_str_eq(strstr(after, "def add(a, b)"), c7);
	cr_expect(strstr(after, "\"tags\": [\n     \"assignment:lesson-01-exercise-2\"\n    ]")
	          != NULL, "%s", after + prefix);

	/* nothing left to suggest; lint is clean */
	r = RUN("suggest", "--apply", path);
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cr_expect(strstr(r.out, "added 0 tags") != NULL, "%s", r.out);
	free_run(&r);
	r = RUN("lint", "--strict", path);
	cr_expect_eq(r.rc, CLI_EXIT_OK, "%s", r.out);
	free_run(&r);

	free(before);
	free(after);
	unlink(path);
	rmdir(dir);
	free(dir);
}

Test(cli_rules, suggest_apply_readonly_and_errors)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	const char *path = tu_path(dir, "lesson_02.ipynb");
	const char *json =
		"{\"cells\": [{\"cell_type\": \"code\", \"execution_count\": null, "
		"\"metadata\": {}, \"outputs\": [], \"source\": \"# YOUR CODE HERE\"}], "
		"\"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4, "
		"\"nbformat_minor\": 4}\n";
	cr_assert(tu_write(path, json, strlen(json)));
	struct run r = RUN("suggest", "--apply", path);
	cr_expect_eq(r.rc, CLI_EXIT_INPUT, "rc %d %s", r.rc, r.err);
	cr_expect(strstr(r.err, "celltag: ") != NULL);
	free_run(&r);
	size_t len;
	char *now = tu_read(path, &len);
	cr_expect_str_eq(now, json, "read-only notebook was written");
	free(now);
	unlink(path);
	rmdir(dir);
	free(dir);

	r = RUN("suggest");
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	free_run(&r);
	r = RUN("suggest", "a.ipynb", "b.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	free_run(&r);
	r = RUN("suggest", COURSE "/no-such.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect(strstr(r.err, "no-such.ipynb") != NULL);
	free_run(&r);
	r = RUN("suggest", COURSE "/broken.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_INPUT);
	cr_expect(strstr(r.err, "broken.ipynb:3:") != NULL, "%s", r.err);
	free_run(&r);
}

/* ---- the shared corpus ------------------------------------------------ */

Test(cli_rules, corpus_lint_and_coverage, .timeout = 120)
{
	const char *dir = tu_corpus_dir();
	if (!dir) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		cr_skip_test("corpus not found");
	}
	/* which notebooks fail to load on their own */
	struct walk_list l = { 0 };
	cr_assert_eq(walk_collect(dir, &l, NULL), CT_OK);
	cr_assert_gt(l.n, 0);
	size_t bad = 0;
	for (size_t i = 0; i < l.n; i++) {
		struct notebook *nb = NULL;
		if (notebook_load(l.v[i].path, &nb, NULL) != CT_OK)
			bad++;
		notebook_free(&nb);
	}

	struct run r = RUN("lint", dir);
	cr_expect_eq(r.rc, bad ? CLI_EXIT_INPUT : CLI_EXIT_FINDINGS, "rc %d", r.rc);
	cr_expect_eq(count_lines(r.err, "celltag: "), bad, "%s", r.err);
	for (size_t i = 0; i < l.n; i++) {
		struct notebook *nb = NULL;
		if (notebook_load(l.v[i].path, &nb, NULL) != CT_OK)
			cr_expect(strstr(r.err, l.v[i].path) != NULL,
			          "unreadable %s not reported", l.v[i].path);
		notebook_free(&nb);
	}
	free_run(&r);

	r = RUN("coverage", "--format", "json", dir);
	cJSON *j = cJSON_Parse(r.out);
	cr_assert_not_null(j);
	cJSON *t = cJSON_GetObjectItem(j, "totals");
	cr_expect_eq((size_t)cJSON_GetObjectItem(t, "notebooks")->valueint, l.n);
	cr_expect_eq((size_t)cJSON_GetObjectItem(t, "failed")->valueint, bad);
	cr_expect_eq((size_t)cJSON_GetArraySize(cJSON_GetObjectItem(j, "notebooks")),
	             l.n);
	fprintf(stderr, "corpus: %zu notebooks, %zu unreadable, %d exercise cells "
	        "detected\n", l.n, bad,
	        cJSON_GetObjectItem(t, "exercise_cells")->valueint);
	cJSON_Delete(j);
	free_run(&r);

	static const char *const fmts[] = { "table", "markdown", "csv" };
	for (size_t i = 0; i < 3; i++) {
		r = RUN("coverage", "--format", fmts[i], dir);
		cr_expect_eq(r.rc, bad ? CLI_EXIT_INPUT : CLI_EXIT_OK);
		cr_expect_eq(count_lines(r.err, "celltag: "), bad, "%s", r.err);
		free_run(&r);
	}
	walk_list_free(&l);
}

/* Tags and file names holding escape sequences, bidi overrides and
 * newlines never reach the output raw, in any format but JSON (where
 * cJSON escapes controls). */
static long raw_control(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; u[i]; i++) {
		if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f)
			return (long)i;
		if (u[i] == 0xe2 && u[i + 1] == 0x80 && u[i + 2] >= 0xaa &&
		    u[i + 2] <= 0xae)
			return (long)i;
	}
	return -1;
}

Test(cli_rules, hostile_tags_and_names_escaped)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	const char *path = tu_path(dir, "lesson_01\xe2\x80\xae.ipynb");
	const char *json =
		"{\"cells\": [{\"cell_type\": \"code\", \"execution_count\": null, "
		"\"metadata\": {\"tags\": [\"assignment:\\u001b[2Jx\", "
		"\"assignment:a\\u202eb\", \"x,\\ny\"]}, \"outputs\": [], "
		"\"source\": \"x\"}, {\"cell_type\": \"code\", \"execution_count\": "
		"null, \"metadata\": {}, \"outputs\": [], \"source\": "
		"\"# YOUR CODE HERE\"}], \"metadata\": {}, \"nbformat\": 4, "
		"\"nbformat_minor\": 4}\n";
	cr_assert(tu_write(path, json, strlen(json)));
	const char *cmds[][4] = {
		{ "lint", path, NULL }, { "coverage", dir, NULL },
		{ "coverage", "-f", "markdown", dir }, { "coverage", "-f", "csv", dir },
		{ "suggest", path, NULL },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		const char *argv[5] = { "celltag" };
		int argc = 1;
		for (int k = 0; k < 4 && cmds[i][k]; k++)
			argv[argc++] = cmds[i][k];
		struct run r = run_cli(argc, argv);
		cr_expect_lt(r.rc, CLI_EXIT_USAGE, "%s: rc %d %s", cmds[i][0], r.rc,
		             r.err);
		cr_expect_gt(strlen(r.out), 0, "%s: no output", cmds[i][0]);
		cr_expect_eq(raw_control(r.out), -1, "%s %s: raw control in:\n%s",
		             cmds[i][0], cmds[i][1], r.out);
		free_run(&r);
	}
	unlink(path);
	rmdir(dir);
	free(dir);
}

/* The configuration reaches detection (coverage) and the template
 * (suggest). */
Test(cli_rules, config_patterns_and_template)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	const char *cfg = tu_path(dir, "config.yaml");
	const char *yaml =
		"exercise_patterns: [\"print(\"]\n"
		"heading_words: [aufgabe]\n"
		"suggestion: \"{prefix}{lesson}-task-{n}\"\n";
	cr_assert(tu_write(cfg, yaml, strlen(yaml)));

	struct run r = RUN("coverage", "--config", cfg, "-f", "csv",
	                   COURSE "/lesson_01.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK, "%s", r.err);
	/* print( in cells 1 and 3, the (always on) stub body in cell 7; the
	 * built-in patterns (cell 5) and "Exercise" headings no longer
	 * count */
	cr_expect(strstr(r.out, COURSE "/lesson_01.ipynb,4,3,1,3,") != NULL,
	          "%s", r.out);
	free_run(&r);

	r = RUN("suggest", "--config", cfg, COURSE "/lesson_01.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK, "%s", r.err);
	cr_expect_str_eq(r.out,
		COURSE "/lesson_01.ipynb:1: assignment:lesson-01-task-1 [placeholder]\n"
		COURSE "/lesson_01.ipynb:3: assignment:lesson-01-task-2 [placeholder]\n"
		COURSE "/lesson_01.ipynb:7: assignment:lesson-01-task-3 [stub-body]\n");
	free_run(&r);
	unlink(cfg);
	rmdir(dir);
	free(dir);
}

Test(cli_rules, lint_same_file_twice_once)
{
	struct run r = RUN("lint", "--json", COURSE "/lesson_01.ipynb",
	                   COURSE "/lesson_01.ipynb");
	cr_expect_eq(r.rc, CLI_EXIT_OK);
	cJSON *j = cJSON_Parse(r.out);
	cr_assert_not_null(j);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")), 1);
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "summary"),
	                                 "notebooks")->valueint, 1);
	cJSON_Delete(j);
	free_run(&r);
}

/* ---- --jobs ------------------------------------------------------------ */

/* A folder of 300 notebooks (more than one lint batch of 256), copies of
 * the course ones including the broken one, under names that sort in a
 * known order. */
static char *many_notebooks(void)
{
	static const char *const src[] = {
		COURSE "/lesson_01.ipynb", COURSE "/Lesson 3a.ipynb",
		COURSE "/week4/lesson-4.ipynb", COURSE "/lesson_02.ipynb",
		COURSE "/broken.ipynb",
	};
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	for (int i = 0; i < 300; i++) {
		char name[64];
		snprintf(name, sizeof name, "nb%03d-lesson-%02d.ipynb", i, i % 7 + 1);
		cr_assert(tu_copy(src[i % 5], tu_path(dir, name)), "%s", name);
	}
	return dir;
}

/* celltag CMD[0..2] PATH -j JOBS (a fresh argv: getopt permutes it) */
static struct run run_jobs(const char *const cmd[3], const char *path,
                           const char *jobs)
{
	const char *argv[8];
	int argc = 0;
	argv[argc++] = "celltag";
	for (int k = 0; k < 3 && cmd[k]; k++)
		argv[argc++] = cmd[k];
	argv[argc++] = path;
	argv[argc++] = "-j";
	argv[argc++] = jobs;
	return run_cli(argc, argv);
}

/* The findings, rows, errors and exit status do not depend on how many
 * notebooks are read at once: every -j gives what -j 1 gives, in order. */
Test(cli_rules, jobs_give_the_same_output, .timeout = 120)
{
	char *dir = many_notebooks();
	const char *const cmds[][3] = {
		{ "lint", NULL, NULL }, { "lint", "--json", NULL },
		{ "coverage", NULL, NULL }, { "coverage", "--format", "json" },
		{ "coverage", "--format", "csv" },
	};
	const char *const paths[] = { COURSE, dir };
	for (size_t p = 0; p < 2; p++) {
		for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
			struct run one = run_jobs(cmds[c], paths[p], "1");
			cr_assert_neq(one.rc, CLI_EXIT_USAGE, "%s", one.err);
			/* not vacuous: the broken notebook is reported, and the big
			 * folder gives more lines than one batch */
			cr_expect(strstr(one.err, "broken") || strstr(one.err, "nb004"),
			          "%s %s: %s", cmds[c][0], paths[p], one.err);
			if (p == 1 && !cmds[c][1])
				cr_expect_gt(count_lines(one.out, dir) +
				             count_lines(one.out, "nb"), 256, "%s",
				             cmds[c][0]);
			static const char *const jobs[] = { "2", "3", "16" };
			for (size_t j = 0; j < 3; j++) {
				struct run r = run_jobs(cmds[c], paths[p], jobs[j]);
				cr_expect_eq(r.rc, one.rc, "%s -j %s", cmds[c][0], jobs[j]);
				cr_expect_str_eq(r.out, one.out, "%s %s -j %s: stdout differs",
				                 cmds[c][0], paths[p], jobs[j]);
				cr_expect_str_eq(r.err, one.err, "%s %s -j %s: stderr differs",
				                 cmds[c][0], paths[p], jobs[j]);
				free_run(&r);
			}
			free_run(&one);
		}
	}
	tu_rmtree(&dir);
}

Test(cli_rules, jobs_usage)
{
	static const char *const bad[] = { "0", "17", "x", "-1", "2x", "" };
	static const char *const cmds[] = { "lint", "coverage" };
	for (size_t c = 0; c < 2; c++) {
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			struct run r = RUN(cmds[c], COURSE, "--jobs", bad[i]);
			cr_expect_eq(r.rc, CLI_EXIT_USAGE, "%s --jobs '%s': %d",
			             cmds[c], bad[i], r.rc);
			cr_expect(strstr(r.err, "--jobs takes a number from 1 to 16") != NULL,
			          "%s", r.err);
			cr_expect_str_eq(r.out, "");
			free_run(&r);
		}
		struct run r = RUN(cmds[c], COURSE, "-j");
		cr_expect_eq(r.rc, CLI_EXIT_USAGE);
		free_run(&r);
		r = RUN(cmds[c], COURSE, "--jobs=4");
		cr_expect_eq(r.rc, CLI_EXIT_INPUT, "%s", r.err);  /* broken.ipynb */
		free_run(&r);
	}
	/* suggest reads one notebook: it does not take --jobs */
	struct run r = RUN("suggest", COURSE "/lesson_01.ipynb", "-j", "2");
	cr_expect_eq(r.rc, CLI_EXIT_USAGE);
	free_run(&r);
}
