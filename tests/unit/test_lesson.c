/* test_lesson.c - lesson of a notebook (core/lesson.c). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "config.h"
#include "lesson.h"
#include "rules_testutil.h"

struct name_case {
	const char *path;
	const char *lesson;
	bool found;
};

/* File scope, tests get an index (see test_detect.c). */
static const struct name_case name_cases[] = {
	{ "lesson_03.ipynb", "lesson-03", true },
	{ "lesson_06a.ipynb", "lesson-06a", true },
	{ "Lesson 6a.ipynb", "lesson-06a", true },
	{ "03 Conditionals.ipynb", "lesson-03", true },
	{ "week2/lesson-1.ipynb", "lesson-01", true },
	{ "course/week2/Lesson-1.ipynb", "lesson-01", true },
	{ "LESSON03.ipynb", "lesson-03", true },
	{ "lesson.12.ipynb", "lesson-12", true },
	{ "lesson_003.ipynb", "lesson-03", true },
	{ "lesson_0.ipynb", "lesson-00", true },
	{ "lesson-123.ipynb", "lesson-123", true },
	{ "06 Loops.ipynb", "lesson-06", true },
	{ "6A intro.ipynb", "lesson-06a", true },
	{ "python_ex_3.ipynb", "lesson-03", true },
	{ "tut2.ipynb", "lesson-02", true },
	{ "Lecture-4-Matplotlib.ipynb", "lesson-04", true },
	{ "Day 3_Multiple_Linear_Regression.ipynb", "lesson-03", true },
	{ "test4plus.ipynb", "lesson-04", true },
	{ "week3/intro_lesson_5b_loops.ipynb", "lesson-05b", true },
	{ "intro.ipynb", "lesson-intro", false },
	{ "Code_Execution.ipynb", "lesson-code-execution", false },
	{ "DAY TWO 简单线性回归.ipynb", "lesson-day-two", false },
	{ "简单.ipynb", "lesson-x", false },
	{ "", "lesson-x", false },
};
#define NNAMES (sizeof name_cases / sizeof name_cases[0])

ParameterizedTestParameters(lesson, from_path)
{
	static size_t idx[NNAMES];
	for (size_t i = 0; i < NNAMES; i++)
		idx[i] = i;
	return cr_make_param_array(size_t, idx, NNAMES);
}

ParameterizedTest(size_t *i, lesson, from_path)
{
	const struct name_case *c = &name_cases[*i];
	char buf[LESSON_MAX];
	bool found = lesson_from_path(c->path, buf, sizeof buf);
	cr_expect_eq(found, c->found, "'%s': found %d", c->path, found);
	cr_expect_str_eq(buf, c->lesson, "'%s' -> '%s', expected '%s'",
	                 c->path, buf, c->lesson);
}

Test(lesson, normalize)
{
	static const char *const cases[][2] = {
		{ "3", "lesson-03" }, { "03", "lesson-03" }, { "6a", "lesson-06a" },
		{ "6A", "lesson-06a" }, { "Lesson 6a", "lesson-06a" },
		{ "lesson_3", "lesson-03" }, { "lesson-03", "lesson-03" },
		{ " lesson-3 ", "lesson-03" }, { "Week 2", "week-2" },
		{ "intro", "intro" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[LESSON_MAX];
		cr_expect(lesson_normalize(cases[i][0], buf, sizeof buf), "%s",
		          cases[i][0]);
		cr_expect_str_eq(buf, cases[i][1], "'%s' -> '%s'", cases[i][0], buf);
	}
	char buf[LESSON_MAX];
	cr_expect_not(lesson_normalize("", buf, sizeof buf));
	cr_expect_not(lesson_normalize("---", buf, sizeof buf));
	cr_expect_not(lesson_normalize(NULL, buf, sizeof buf));
}

Test(lesson, equal_and_number)
{
	cr_expect(lesson_equal("lesson-3", "lesson-03"));
	cr_expect(lesson_equal("lesson-06a", "lesson-6a"));
	cr_expect_not(lesson_equal("lesson-06a", "lesson-06"));
	cr_expect_not(lesson_equal("lesson-03", "lesson-04"));
	cr_expect(lesson_equal("week2", "week2"));
	cr_expect_not(lesson_equal("week2", "week-2"));
	char buf[16];
	cr_expect(lesson_number("lesson-06a", buf, sizeof buf));
	cr_expect_str_eq(buf, "6a");
	cr_expect(lesson_number("lesson-00", buf, sizeof buf));
	cr_expect_str_eq(buf, "0");
	cr_expect_not(lesson_number("week2", buf, sizeof buf));
	cr_expect_not(lesson_number("lesson-03-x", buf, sizeof buf));
}

Test(lesson, from_tags_most_used_wins)
{
	struct notebook *nb = TU_NB("lesson_07.ipynb",
		TCODE_M("a", "\"tags\": [\"assignment:lesson-02-exercise-1\"]"),
		TCODE_M("b", "\"tags\": [\"assignment:lesson-05-exercise-1\"]"),
		TCODE_M("c", "\"tags\": [\"x\", \"assignment:lesson-05-exercise-2\"]"),
		TCODE("d"));
	cr_assert_not_null(nb);
	char buf[LESSON_MAX];
	cr_expect(lesson_from_tags(nb, NULL, buf, sizeof buf));
	cr_expect_str_eq(buf, "lesson-05");
	notebook_free(&nb);
}

Test(lesson, priority_option_config_tags_name)
{
	struct notebook *nb = TU_NB("lesson_07.ipynb",
		TCODE_M("a", "\"tags\": [\"assignment:lesson-05-exercise-1\"]"));
	cr_assert_not_null(nb);
	struct ct_config cfg;
	config_init_defaults(&cfg);
	char buf[LESSON_MAX];

	cr_expect_eq(lesson_for_notebook(nb, NULL, &cfg, NULL, buf, sizeof buf),
	             LESSON_FROM_TAGS);
	cr_expect_str_eq(buf, "lesson-05");

	cfg.lesson = "9";
	cr_expect_eq(lesson_for_notebook(nb, NULL, &cfg, NULL, buf, sizeof buf),
	             LESSON_FROM_CONFIG);
	cr_expect_str_eq(buf, "lesson-09");

	cr_expect_eq(lesson_for_notebook(nb, NULL, &cfg, "lesson 2", buf,
	                                 sizeof buf), LESSON_FROM_OPTION);
	cr_expect_str_eq(buf, "lesson-02");
	notebook_free(&nb);

	nb = TU_NB("lesson_07.ipynb", TCODE("a"));
	cr_assert_not_null(nb);
	cr_expect_eq(lesson_for_notebook(nb, NULL, NULL, NULL, buf, sizeof buf),
	             LESSON_FROM_NAME);
	cr_expect_str_eq(buf, "lesson-07");
	notebook_free(&nb);

	nb = TU_NB("intro.ipynb", TCODE("a"));
	cr_assert_not_null(nb);
	cr_expect_eq(lesson_for_notebook(nb, NULL, NULL, NULL, buf, sizeof buf),
	             LESSON_FALLBACK);
	cr_expect_str_eq(buf, "lesson-intro");
	notebook_free(&nb);
}

Test(lesson, expected_ignores_tags)
{
	char buf[LESSON_MAX];
	enum lesson_source src;
	cr_expect(lesson_expected("x/lesson_04.ipynb", NULL, NULL, buf,
	                          sizeof buf, &src));
	cr_expect_str_eq(buf, "lesson-04");
	cr_expect_eq(src, LESSON_FROM_NAME);
	cr_expect_not(lesson_expected("intro.ipynb", NULL, NULL, buf, sizeof buf,
	                              &src));
	cr_expect_eq(src, LESSON_FALLBACK);
	cr_expect(lesson_expected("intro.ipynb", NULL, "5", buf, sizeof buf, &src));
	cr_expect_str_eq(buf, "lesson-05");
	cr_expect_eq(src, LESSON_FROM_OPTION);
	cr_expect_str_eq(lesson_source_name(LESSON_FROM_NAME), "file name");
}
