/* test_coverage.c - coverage rows (core/coverage.c) and the folder walk
 * (core/walk.c). */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "coverage.h"
#include "walk.h"
#include "rules_testutil.h"
#include "testutil.h"

#define COURSE "tests/data/course"

Test(coverage, scan_notebook_counts)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD_M("# Lesson 3", "\"tags\": [\"assignment:lesson-03-exercise-9\"]"),
		TCODE("import math"),
		TCODE_M("# YOUR CODE HERE", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"),
		TCODE("raise NotImplementedError"),
		TCODE_M("x = 1", "\"tags\": [\"hide\", \"assignment:Bad\"]"));
	cr_assert_not_null(nb);
	struct coverage_row row;
	struct ct_error err;
	cr_assert_eq(coverage_scan_notebook(nb, NULL, NULL, NULL, NULL, &row, &err),
	             CT_OK, "%s", err.msg);
	cr_expect(row.ok);
	cr_expect_str_eq(row.path, "lesson_03.ipynb");
	cr_expect_eq(row.cells, 5);
	cr_expect_eq(row.code_cells, 4);
	cr_expect_eq(row.exercise_cells, 2);
	cr_expect_eq(row.tagged_cells, 3);
	cr_expect_eq(row.untagged_exercises, 1);
	cr_expect_eq(row.lint_errors, 1);       /* assignment:Bad */
	cr_expect_eq(row.lint_warnings, 1);     /* tag on markdown */
	cr_expect_eq(row.lint_infos, 1);        /* untagged exercise */
	cr_assert_eq(row.ntag_ids, 3);
	cr_expect_str_eq(row.tag_ids[0], "lesson-03-exercise-9");
	cr_expect_str_eq(row.tag_ids[1], "lesson-03-exercise-1");
	cr_expect_str_eq(row.tag_ids[2], "Bad");

	struct coverage_totals t = { 0 };
	coverage_totals_add(&t, &row);
	coverage_totals_add(&t, &row);
	cr_expect_eq(t.notebooks, 2);
	cr_expect_eq(t.exercise_cells, 4);
	cr_expect_eq(t.tag_ids, 6);
	cr_expect_eq(t.failed, 0);
	coverage_row_free(&row);
	cr_expect_null(row.path);
	notebook_free(&nb);
}

Test(coverage, scan_file_fixture)
{
	struct coverage_row row;
	struct ct_error err;
	cr_assert_eq(coverage_scan_file(COURSE "/lesson_01.ipynb", NULL, &row, &err),
	             CT_OK, "%s", err.msg);
	cr_expect(row.ok);
	cr_expect_eq(row.code_cells, 4);
	cr_expect_eq(row.exercise_cells, 2);
	cr_expect_eq(row.tagged_cells, 1);
	cr_expect_eq(row.untagged_exercises, 1);
	cr_expect_eq(row.lint_errors + row.lint_warnings, 0);
	cr_assert_eq(row.ntag_ids, 1);
	cr_expect_str_eq(row.tag_ids[0], "lesson-01-exercise-1");
	coverage_row_free(&row);
}

Test(coverage, scan_file_failure_keeps_row)
{
	struct coverage_row row;
	struct ct_error err;
	enum ct_status st = coverage_scan_file(COURSE "/broken.ipynb", NULL, &row,
	                                       &err);
	cr_expect_eq(st, CT_SYNTAX);
	cr_expect_not(row.ok);
	cr_expect_str_eq(row.path, COURSE "/broken.ipynb");
	cr_expect_eq(row.error.status, CT_SYNTAX);
	cr_expect_gt(row.error.line, 0);
	cr_expect_eq(err.status, CT_SYNTAX);
	struct coverage_totals t = { 0 };
	coverage_totals_add(&t, &row);
	cr_expect_eq(t.failed, 1);
	coverage_row_free(&row);

	st = coverage_scan_file(COURSE "/no-such.ipynb", NULL, &row, &err);
	cr_expect_eq(st, CT_NOTFOUND);
	cr_expect_not(row.ok);
	coverage_row_free(&row);
}

Test(coverage, configured_prefix)
{
	struct ct_config cfg;
	config_init_defaults(&cfg);
	cfg.tag_prefix = "hide-";
	struct coverage_row row;
	cr_assert_eq(coverage_scan_file(COURSE "/lesson_02.ipynb", &cfg, &row,
	                                NULL), CT_OK);
	cr_expect_eq(row.tagged_cells, 1);
	cr_assert_eq(row.ntag_ids, 1);
	cr_expect_str_eq(row.tag_ids[0], "input");
	coverage_row_free(&row);
}

Test(walk, course_sorted_and_skipping_hidden)
{
	struct walk_list l = { 0 };
	cr_assert_eq(walk_collect(COURSE, &l, NULL), CT_OK);
	cr_expect(l.root_is_dir);
	static const char *const want[] = {
		"Lesson 3a.ipynb", "broken.ipynb", "lesson_01.ipynb",
		"lesson_02.ipynb", "week4/lesson-4.ipynb",
	};
	cr_assert_eq(l.n, 5, "%zu entries", l.n);
	for (size_t i = 0; i < l.n; i++) {
		cr_expect_str_eq(l.v[i].rel, want[i]);
		cr_expect_eq(l.v[i].error.status, CT_OK);
		cr_expect(strncmp(l.v[i].path, COURSE "/", strlen(COURSE) + 1) == 0);
	}
	walk_list_free(&l);
	cr_expect_null(l.v);

	/* a trailing slash does not double */
	cr_assert_eq(walk_collect(COURSE "/", &l, NULL), CT_OK);
	cr_expect_str_eq(l.v[0].path, COURSE "/Lesson 3a.ipynb");
	cr_expect_str_eq(l.v[0].rel, "Lesson 3a.ipynb");
	walk_list_free(&l);
}

Test(walk, file_and_missing_roots)
{
	struct walk_list l = { 0 };
	cr_assert_eq(walk_collect(COURSE "/notes.txt", &l, NULL), CT_OK);
	cr_assert_eq(walk_collect("no/such/path.ipynb", &l, NULL), CT_OK);
	cr_assert_eq(l.n, 2);
	cr_expect_not(l.root_is_dir);
	cr_expect_str_eq(l.v[0].rel, COURSE "/notes.txt");  /* taken as given */
	cr_expect_str_eq(l.v[1].path, "no/such/path.ipynb");
	walk_list_free(&l);
	cr_expect(walk_skip_name(".ipynb_checkpoints"));
	cr_expect(walk_skip_name(".~lesson.ipynb"));
	cr_expect_not(walk_skip_name("lesson.ipynb"));
}

Test(walk, sort_merges_roots_and_drops_repeats)
{
	struct walk_list l = { 0 };
	cr_assert_eq(walk_collect(COURSE "/week4", &l, NULL), CT_OK);
	cr_assert_eq(walk_collect(COURSE "/lesson_02.ipynb", &l, NULL), CT_OK);
	cr_assert_eq(walk_collect(COURSE "/", &l, NULL), CT_OK);
	cr_assert_eq(walk_collect(COURSE "/lesson_02.ipynb", &l, NULL), CT_OK);
	cr_assert_eq(l.n, 8, "%zu entries", l.n);
	walk_list_sort(&l);
	static const char *const want[] = {
		COURSE "/Lesson 3a.ipynb", COURSE "/broken.ipynb",
		COURSE "/lesson_01.ipynb", COURSE "/lesson_02.ipynb",
		COURSE "/week4/lesson-4.ipynb",
	};
	cr_assert_eq(l.n, 5, "%zu entries", l.n);
	for (size_t i = 0; i < l.n; i++)
		cr_expect_str_eq(l.v[i].path, want[i]);
	walk_list_free(&l);
	walk_list_sort(&l);     /* empty: nothing to do */
	cr_expect_eq(l.n, 0);
}

Test(walk, unreadable_folder_is_an_entry)
{
	if (geteuid() == 0)
		cr_skip_test("running as root: permissions are not enforced");
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/locked", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert(tu_write(tu_path(dir, "a.ipynb"), "{}", 2));
	chmod(sub, 0);
	struct walk_list l = { 0 };
	cr_assert_eq(walk_collect(dir, &l, NULL), CT_OK);
	chmod(sub, 0700);
	cr_assert_eq(l.n, 2);
	cr_expect_eq(l.v[0].error.status, CT_OK);
	cr_expect_eq(l.v[1].error.status, CT_IO);
	cr_expect_str_eq(l.v[1].rel, "locked");
	walk_list_free(&l);
	rmdir(sub);
	unlink(tu_path(dir, "a.ipynb"));
	rmdir(dir);
	free(dir);
}
