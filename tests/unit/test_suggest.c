/* test_suggest.c - suggested assignment tags (core/suggest.c). */
#include <criterion/criterion.h>

#include <string.h>

#include "config.h"
#include "suggest.h"
#include "rules_testutil.h"

static struct suggest_plan plan_of(struct notebook *nb,
                                   const struct ct_config *cfg,
                                   const char *lesson)
{
	struct suggest_plan plan;
	struct ct_error err;
	cr_assert_not_null(nb);
	enum ct_status st = suggest_notebook(nb, cfg, NULL, lesson, &plan, &err);
	cr_assert_eq(st, CT_OK, "%s", err.msg);
	return plan;
}

static void expect_plan(const struct suggest_plan *p, size_t n,
                        const size_t *cells, const char *const *tags)
{
	cr_assert_eq(p->n, n, "%zu suggestions, expected %zu", p->n, n);
	for (size_t i = 0; i < n; i++) {
		cr_expect_eq(p->items[i].cell, cells[i], "item %zu: cell %zu", i,
		             p->items[i].cell);
		cr_expect_str_eq(p->items[i].tag, tags[i], "item %zu: '%s'", i,
		                 p->items[i].tag);
	}
}

Test(suggest, sequential_numbers_in_cell_order)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE("# YOUR CODE HERE"),
		TCODE("print(1)"),
		TCODE("raise NotImplementedError"),
		TCODE("def f():\n    pass"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	expect_plan(&p, 3, (size_t[]){ 0, 2, 3 }, (const char *[]){
		"assignment:lesson-03-exercise-1",
		"assignment:lesson-03-exercise-2",
		"assignment:lesson-03-exercise-3" });
	cr_expect_str_eq(p.lesson, "lesson-03");
	cr_expect_eq(p.lesson_source, LESSON_FROM_NAME);
	cr_expect_not(p.items[0].named);
	suggest_plan_free(&p);
	cr_expect_null(p.items);
	notebook_free(&nb);
}

Test(suggest, skips_existing_tags)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE_M("# YOUR CODE HERE",
		        "\"tags\": [\"assignment:lesson-03-exercise-2\"]"),
		TCODE("# YOUR CODE HERE"),
		TCODE_M("x = 1", "\"tags\": [\"assignment:lesson-03-exercise-1\"]"),
		TCODE("# YOUR CODE HERE"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	expect_plan(&p, 2, (size_t[]){ 1, 3 }, (const char *[]){
		"assignment:lesson-03-exercise-3",
		"assignment:lesson-03-exercise-4" });
	suggest_plan_free(&p);
	notebook_free(&nb);
}

Test(suggest, named_numbers_and_lesson_prefix_dropped)
{
	struct notebook *nb = TU_NB("03 Conditionals.ipynb",
		TCODE("# TODO demo"),
		TMD("## Exercise 3.1"),
		TCODE("print(1)"),
		TCODE("print(2)"),
		TCODE("print(3)"),
		TMD("## Exercise 3.2: Bonus"),
		TCODE("# Your code here"),
		TMD("## Exercise 4.1"),
		TCODE("y = 1"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	/* counted numbers avoid the named 1 and 2 */
	expect_plan(&p, 6, (size_t[]){ 0, 2, 3, 4, 6, 8 }, (const char *[]){
		"assignment:lesson-03-exercise-3",
		"assignment:lesson-03-exercise-1",
		"assignment:lesson-03-exercise-1-2",
		"assignment:lesson-03-exercise-1-3",
		"assignment:lesson-03-exercise-2",
		"assignment:lesson-03-exercise-4-1" });
	cr_expect(p.items[1].named);
	suggest_plan_free(&p);
	notebook_free(&nb);
}

Test(suggest, named_number_taken_gets_suffix)
{
	struct notebook *nb = TU_NB("lesson_05.ipynb",
		TMD("## Exercise 2"),
		TCODE_M("x = 1", "\"tags\": [\"assignment:lesson-05-exercise-2\"]"),
		TMD("## Exercise 2"),
		TCODE("y = 1"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	expect_plan(&p, 1, (size_t[]){ 3 }, (const char *[]){
		"assignment:lesson-05-exercise-2-2" });
	suggest_plan_free(&p);
	notebook_free(&nb);
}

Test(suggest, never_collides)
{
	/* Named "Exercise 1-2" and a second cell under "Exercise 1" both want
	 * 1-2: the later one moves on. */
	struct notebook *nb = TU_NB("lesson_05.ipynb",
		TMD("## Exercise 1"),
		TCODE("a = 1"),
		TCODE("b = 1"),
		TMD("## Exercise 1.2"),
		TCODE("c = 1"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	cr_assert_eq(p.n, 3);
	for (size_t i = 0; i < p.n; i++)
		for (size_t j = i + 1; j < p.n; j++)
			cr_expect_str_neq(p.items[i].tag, p.items[j].tag);
	cr_expect_str_eq(p.items[0].tag, "assignment:lesson-05-exercise-1");
	cr_expect_str_eq(p.items[2].tag, "assignment:lesson-05-exercise-1-2");
	cr_expect_str_eq(p.items[1].tag, "assignment:lesson-05-exercise-1-3");
	suggest_plan_free(&p);
	notebook_free(&nb);
}

Test(suggest, lesson_from_existing_tags_and_option)
{
	struct notebook *nb = TU_NB("lesson_05.ipynb",
		TCODE_M("x", "\"tags\": [\"assignment:lesson-07-exercise-1\"]"),
		TCODE("# YOUR CODE HERE"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	expect_plan(&p, 1, (size_t[]){ 1 }, (const char *[]){
		"assignment:lesson-07-exercise-2" });
	cr_expect_eq(p.lesson_source, LESSON_FROM_TAGS);
	suggest_plan_free(&p);
	p = plan_of(nb, NULL, "9");
	expect_plan(&p, 1, (size_t[]){ 1 }, (const char *[]){
		"assignment:lesson-09-exercise-1" });
	suggest_plan_free(&p);
	notebook_free(&nb);
}

Test(suggest, template_and_prefix_from_config)
{
	struct ct_config cfg;
	config_init_defaults(&cfg);
	cfg.tag_prefix = "hw:";
	cfg.suggestion = "{prefix}{lesson}-practice-{n}";
	struct notebook *nb = TU_NB("lesson_02.ipynb", TCODE("# YOUR CODE HERE"));
	struct suggest_plan p = plan_of(nb, &cfg, NULL);
	expect_plan(&p, 1, (size_t[]){ 0 }, (const char *[]){
		"hw:lesson-02-practice-1" });
	suggest_plan_free(&p);

	/* a template without {n} cannot give two distinct tags */
	cfg.suggestion = "{prefix}{lesson}";
	notebook_free(&nb);
	nb = TU_NB("lesson_02.ipynb", TCODE("# YOUR CODE HERE"),
	           TCODE("# YOUR CODE HERE"));
	struct ct_error err;
	enum ct_status st = suggest_notebook(nb, &cfg, NULL, NULL, &p, &err);
	cr_expect_eq(st, CT_TAG);
	cr_expect(strstr(err.msg, "{n}") != NULL, "%s", err.msg);
	cr_expect_null(p.items);

	/* a template giving an invalid tag is refused */
	cfg.suggestion = "{prefix}{lesson} Exercise {n}";
	st = suggest_notebook(nb, &cfg, NULL, NULL, &p, &err);
	cr_expect_eq(st, CT_TAG);
	notebook_free(&nb);
}

Test(suggest, skips_tagged_and_readonly_cells)
{
	struct notebook *nb = TU_NB("lesson_02.ipynb",
		TCODE_M("# YOUR CODE HERE", "\"tags\": [\"assignment:BAD\"]"),
		TCODE_M("# YOUR CODE HERE", "\"tags\": \"not a list\""),
		TCODE_M("# YOUR CODE HERE", "\"tags\": [\"hide-input\"]"));
	struct suggest_plan p = plan_of(nb, NULL, NULL);
	expect_plan(&p, 1, (size_t[]){ 2 }, (const char *[]){
		"assignment:lesson-02-exercise-1" });
	suggest_plan_free(&p);
	notebook_free(&nb);
}

Test(suggest, for_cell)
{
	struct notebook *nb = TU_NB("lesson_02.ipynb",
		TCODE("import math"),
		TCODE("# YOUR CODE HERE"),
		TCODE_M("x", "\"tags\": [\"assignment:lesson-02-exercise-5\"]"),
		TCODE_M("y", "\"tags\": \"bad\""));
	cr_assert_not_null(nb);
	char buf[RULES_TAG_MAX];
	struct ct_error err;

	cr_expect_eq(suggest_for_cell(nb, 1, NULL, NULL, NULL, buf, sizeof buf,
	                              &err), CT_OK);
	cr_expect_str_eq(buf, "assignment:lesson-02-exercise-1");
	/* a cell not detected as an exercise gets the next number, ahead
	 * of the exercise after it */
	cr_expect_eq(suggest_for_cell(nb, 0, NULL, NULL, NULL, buf, sizeof buf,
	                              &err), CT_OK);
	cr_expect_str_eq(buf, "assignment:lesson-02-exercise-1");
	/* a tagged cell: its tag (for toggling) */
	cr_expect_eq(suggest_for_cell(nb, 2, NULL, NULL, NULL, buf, sizeof buf,
	                              &err), CT_OK);
	cr_expect_str_eq(buf, "assignment:lesson-02-exercise-5");
	cr_expect_eq(suggest_for_cell(nb, 3, NULL, NULL, NULL, buf, sizeof buf,
	                              &err), CT_READONLY);
	cr_expect_eq(suggest_for_cell(nb, 9, NULL, NULL, NULL, buf, sizeof buf,
	                              &err), CT_CELL);
	char tiny[8];
	cr_expect_eq(suggest_for_cell(nb, 1, NULL, NULL, NULL, tiny, sizeof tiny,
	                              &err), CT_TAG);
	notebook_free(&nb);
}

Test(suggest, expand_and_number)
{
	char buf[64];
	cr_expect_eq(suggest_expand("{prefix}{lesson}-exercise-{n}", "a:",
	                            "lesson-01", "3", buf, sizeof buf, NULL), CT_OK);
	cr_expect_str_eq(buf, "a:lesson-01-exercise-3");
	cr_expect_eq(suggest_expand("{x}-{n}{", "", "", "7", buf, sizeof buf,
	                            NULL), CT_OK);
	cr_expect_str_eq(buf, "{x}-7{");
	cr_expect_eq(suggest_expand("{lesson}{lesson}{lesson}", "", "0123456789",
	                            "", buf, 16, NULL), CT_TAG);

	suggest_number("3-1", "lesson-03", buf, sizeof buf);
	cr_expect_str_eq(buf, "1");
	suggest_number("03-1", "lesson-3", buf, sizeof buf);
	cr_expect_str_eq(buf, "1");
	suggest_number("3-1", "lesson-04", buf, sizeof buf);
	cr_expect_str_eq(buf, "3-1");
	suggest_number("3", "lesson-03", buf, sizeof buf);
	cr_expect_str_eq(buf, "3");
	suggest_number("6a-2", "lesson-06a", buf, sizeof buf);
	cr_expect_str_eq(buf, "2");
	suggest_number("2-1", "week-2", buf, sizeof buf);
	cr_expect_str_eq(buf, "2-1");
}
