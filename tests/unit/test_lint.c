/* test_lint.c - tag findings (core/lint.c), one test per finding code. */
#include <criterion/criterion.h>

#include <string.h>

#include "config.h"
#include "lint.h"
#include "rules_testutil.h"

static struct lint_report lint_of(struct notebook *nb,
                                  const struct ct_config *cfg,
                                  const char *lesson)
{
	struct lint_report rep = { 0 };
	struct ct_error err;
	cr_assert_not_null(nb);
	cr_assert_eq(lint_notebook(nb, cfg, NULL, lesson, &rep, &err), CT_OK,
	             "%s", err.msg);
	return rep;
}

/* Exactly one finding, with this code, on this cell. */
static void expect_only(const struct lint_report *rep, enum rules_code code,
                        long cell)
{
	for (size_t i = 0; i < rep->n; i++)
		cr_log_info("finding: %ld %s %s", rep->findings[i].cell,
		            rules_code_name(rep->findings[i].code),
		            rep->findings[i].message);
	cr_assert_eq(rep->n, 1, "%zu findings, expected one %s", rep->n,
	             rules_code_name(code));
	cr_expect_eq(rep->findings[0].code, code, "got %s, expected %s",
	             rules_code_name(rep->findings[0].code), rules_code_name(code));
	cr_expect_eq(rep->findings[0].cell, cell);
	cr_expect_eq(rep->findings[0].severity, rules_code_severity(code));
	cr_expect_eq(rep->count[rules_code_severity(code)], 1);
	cr_expect_null(strchr(rep->findings[0].message, '\n'));
}

#define ONE(code, cell, ...) do { \
		struct notebook *nb_ = TU_NB("lesson_03.ipynb", __VA_ARGS__); \
		struct lint_report r_ = lint_of(nb_, NULL, NULL); \
		expect_only(&r_, code, cell); \
		lint_report_free(&r_); \
		notebook_free(&nb_); \
	} while (0)

Test(lint, clean_notebook)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("# Lesson 3"),
		TCODE("import math"),
		TCODE_M("# YOUR CODE HERE",
		        "\"tags\": [\"hide-input\", \"assignment:lesson-03-exercise-1\"]"),
		TCODE_M("x = 1", "\"tags\": [\"assignment:lesson-03-exercise-2\"]"));
	struct lint_report r = lint_of(nb, NULL, NULL);
	cr_expect_eq(r.n, 0, "%zu findings", r.n);
	lint_report_free(&r);
	cr_expect_null(r.findings);
	notebook_free(&nb);
}

Test(lint, tag_empty)
{
	ONE(RULE_TAG_EMPTY, 0, TCODE_M("x", "\"tags\": [\"\"]"));
}

Test(lint, tag_comma)
{
	ONE(RULE_TAG_COMMA, 1, TCODE("x"), TCODE_M("x", "\"tags\": [\"a,b\"]"));
}

Test(lint, tag_invalid)
{
	ONE(RULE_TAG_INVALID, 0, TCODE_M("x", "\"tags\": [\"a\\u0007b\"]"));
}

Test(lint, tag_duplicate)
{
	ONE(RULE_TAG_DUPLICATE, 0,
	    TCODE_M("x", "\"tags\": [\"hide\", \"a\", \"hide\"]"));
}

Test(lint, tag_duplicate_many_tags)
{
	/* more than the on-stack buffer: the heap path */
	char meta[1024] = "\"tags\": [";
	for (int i = 0; i < 40; i++)
		sprintf(meta + strlen(meta), "%s\"t%d\"", i ? ", " : "", i % 39);
	strcat(meta, "]");
	struct notebook *nb = TU_NB("lesson_03.ipynb", TCODE_M("x", meta));
	struct lint_report r = lint_of(nb, NULL, NULL);
	cr_expect_eq(lint_count_code(&r, RULE_TAG_DUPLICATE), 1);
	cr_expect(strstr(r.findings[0].message, "'t0'") != NULL, "%s",
	          r.findings[0].message);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, tags_not_array)
{
	ONE(RULE_TAGS_NOT_ARRAY, 0, TCODE_M("x", "\"tags\": \"BAD: a string\""));
	ONE(RULE_TAGS_NOT_ARRAY, 0, TCODE_M("x", "\"tags\": [1, 2]"));
}

Test(lint, assignment_id_errors)
{
	ONE(RULE_ASSIGN_EMPTY, 0, TCODE_M("x", "\"tags\": [\"assignment:\"]"));
	ONE(RULE_ASSIGN_UPPERCASE, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:Lesson-03-exercise-1\"]"));
	ONE(RULE_ASSIGN_SPACE, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson-03 exercise-1\"]"));
	ONE(RULE_ASSIGN_UNDERSCORE, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson_03_exercise_1\"]"));
	ONE(RULE_ASSIGN_CHARS, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson-03-exercise-1.1\"]"));
	ONE(RULE_ASSIGN_HYPHEN, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson-03--exercise-1\"]"));
	ONE(RULE_ASSIGN_LENGTH, 0, TCODE_M("x", "\"tags\": [\"assignment:lesson-03-"
	    "exercise-1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]"));
}

Test(lint, cell_readonly)
{
	ONE(RULE_CELL_READONLY, 0, TCODE_M("x", "\"tags\": [\"a\"], \"tags\": [\"b\"]"));
}

Test(lint, assignment_prefix_case)
{
	ONE(RULE_ASSIGN_PREFIX_CASE, 0,
	    TCODE_M("x", "\"tags\": [\"Assignment:lesson-03-exercise-1\"]"));
}

Test(lint, assignment_multiple)
{
	ONE(RULE_ASSIGN_MULTIPLE, 0, TCODE_M("x", "\"tags\": ["
	    "\"assignment:lesson-03-exercise-1\", \"assignment:lesson-03-exercise-2\"]"));
}

Test(lint, assignment_duplicate)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE_M("x", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"),
		TCODE("y"),
		TCODE_M("z", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"),
		TCODE_M("w", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"));
	struct lint_report r = lint_of(nb, NULL, NULL);
	cr_assert_eq(r.n, 2);
	cr_expect_eq(r.findings[0].code, RULE_ASSIGN_DUPLICATE);
	cr_expect_eq(r.findings[0].cell, 2);
	cr_expect(strstr(r.findings[0].message, "cell 0") != NULL, "%s",
	          r.findings[0].message);
	cr_expect_eq(r.findings[1].cell, 3);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, assignment_not_code)
{
	ONE(RULE_ASSIGN_NOT_CODE, 0,
	    TMD_M("text", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"));
	ONE(RULE_ASSIGN_NOT_CODE, 0, ((struct tcell){ "raw", "r",
	    "\"tags\": [\"assignment:lesson-03-exercise-1\"]" }));
}

Test(lint, assignment_lesson)
{
	ONE(RULE_ASSIGN_LESSON, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson-04-exercise-1\"]"));
	/* zero padding is not a different lesson (the shape check reports
	 * it) */
	ONE(RULE_ASSIGN_SHAPE, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson-3-exercise-1\"]"));
}

Test(lint, assignment_lesson_from_option_and_unknown_name)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE_M("x", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"));
	struct lint_report r = lint_of(nb, NULL, "lesson-05");
	cr_expect_eq(lint_count_code(&r, RULE_ASSIGN_LESSON), 1);
	cr_expect(strstr(r.findings[0].message, "lesson-05") != NULL);
	lint_report_free(&r);
	notebook_free(&nb);

	/* no number in the name: nothing to compare with */
	nb = TU_NB("intro.ipynb",
		TCODE_M("x", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"));
	r = lint_of(nb, NULL, NULL);
	cr_expect_eq(r.n, 0);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, assignment_shape)
{
	ONE(RULE_ASSIGN_SHAPE, 0,
	    TCODE_M("x", "\"tags\": [\"assignment:lesson-03-homework-1\"]"));
}

Test(lint, exercise_untagged_with_suggestion)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE("import math"),
		TCODE("# YOUR CODE HERE"));
	struct lint_report r = lint_of(nb, NULL, NULL);
	expect_only(&r, RULE_EXERCISE_UNTAGGED, 1);
	cr_expect(strstr(r.findings[0].message,
	                 "assignment:lesson-03-exercise-1") != NULL, "%s",
	          r.findings[0].message);
	cr_expect(strstr(r.findings[0].message, "placeholder") != NULL);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, notebook_readonly)
{
	/* duplicate keys make the whole notebook read-only */
	const char *json = "{\"cells\": [], \"metadata\": {}, "
	                   "\"nbformat\": 4, \"nbformat_minor\": 4, "
	                   "\"nbformat_minor\": 4}";
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer(json, strlen(json), "lesson_03.ipynb",
	                                  &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_not_null(nb->readonly_reason, "loader did not mark it read-only");
	struct lint_report r = lint_of(nb, NULL, NULL);
	expect_only(&r, RULE_NOTEBOOK_READONLY, -1);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, one_id_error_per_tag_and_no_shape_then)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE_M("x", "\"tags\": [\"assignment:Lesson_04 X\"]"));
	struct lint_report r = lint_of(nb, NULL, NULL);
	expect_only(&r, RULE_ASSIGN_UPPERCASE, 0);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, sorted_and_counted)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE("# YOUR CODE HERE"),
		TCODE_M("x", "\"tags\": [\"assignment:lesson-04-exercise-1\", \"a,b\", "
		        "\"assignment:X\"]"),
		TMD_M("m", "\"tags\": [\"\"]"));
	struct lint_report r = lint_of(nb, NULL, NULL);
	for (size_t i = 1; i < r.n; i++) {
		const struct lint_finding *a = &r.findings[i - 1], *b = &r.findings[i];
		cr_expect(a->cell < b->cell ||
		          (a->cell == b->cell && a->severity <= b->severity),
		          "not sorted at %zu", i);
	}
	cr_expect_eq(r.count[RULES_ERROR], 3);      /* comma, uppercase, empty */
	cr_expect_eq(r.count[RULES_WARNING], 2);    /* lesson, multiple */
	cr_expect_eq(r.count[RULES_INFO], 1);
	cr_expect_eq(r.findings[0].cell, 0);
	cr_expect_eq(r.findings[r.n - 1].cell, 2);
	lint_report_free(&r);
	notebook_free(&nb);
}

/* counts_only (what coverage and the TUI status use) counts exactly what a
 * full lint finds, without storing findings or building suggestions. */
Test(lint, counts_only_counts_the_same)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("## Exercise 1"),
		TCODE("# YOUR CODE HERE"),
		TCODE_M("x", "\"tags\": [\"assignment:lesson-04-exercise-1\", \"a,b\", "
		        "\"assignment:X\"]"),
		TCODE_M("y", "\"tags\": [\"assignment:lesson-04-exercise-1\"]"),
		TMD_M("m", "\"tags\": [\"\"]"));
	struct lint_report full = lint_of(nb, NULL, NULL);
	struct lint_report counted = { .counts_only = true };
	struct ct_error err;
	cr_assert_eq(lint_notebook(nb, NULL, NULL, NULL, &counted, &err), CT_OK,
	             "%s", err.msg);
	cr_expect_eq(counted.n, 0);
	cr_expect_null(counted.findings);
	cr_expect_gt(full.count[RULES_ERROR], 0);
	cr_expect_gt(full.count[RULES_WARNING], 0);
	cr_expect_gt(full.count[RULES_INFO], 0);
	for (int s = 0; s < 3; s++)
		cr_expect_eq(counted.count[s], full.count[s], "severity %d: %zu vs %zu",
		             s, counted.count[s], full.count[s]);
	lint_report_free(&full);
	lint_report_free(&counted);
	notebook_free(&nb);
}

Test(lint, configured_prefix)
{
	struct ct_config cfg;
	config_init_defaults(&cfg);
	cfg.tag_prefix = "hw:";
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE_M("x", "\"tags\": [\"assignment:Whatever\", \"hw:BAD\"]"));
	struct lint_report r = lint_of(nb, &cfg, NULL);
	expect_only(&r, RULE_ASSIGN_UPPERCASE, 0);
	cr_expect(strstr(r.findings[0].message, "hw:BAD") != NULL);
	lint_report_free(&r);
	notebook_free(&nb);
}

Test(lint, long_tags_cut_in_messages)
{
	char meta[600] = "\"tags\": [\"assignment:";
	for (int i = 0; i < 300; i++)
		strcat(meta, i % 2 ? "\xc3\xa9" : "A");
	strcat(meta, "\"]");
	struct notebook *nb = TU_NB("lesson_03.ipynb", TCODE_M("x", meta));
	struct lint_report r = lint_of(nb, NULL, NULL);
	cr_assert_eq(r.n, 1);
	const char *m = r.findings[0].message;
	cr_expect(strstr(m, "...") != NULL, "%s", m);
	cr_expect(strlen(m) < LINT_MSG_MAX - 1);
	lint_report_free(&r);
	notebook_free(&nb);
}
