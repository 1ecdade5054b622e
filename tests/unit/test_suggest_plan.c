/* test_suggest_plan.c - the fast ways of planning suggestions against the
 * direct one (core/suggest.c).
 *
 * suggest_notebook plans templates with one {n} in the space of numbers,
 * and the editor keeps a lazy plan across accepted suggestions
 * (suggest_plan_survives_accept) instead of planning again at every `t`.
 * Both are only correct if they give exactly what the direct method gives:
 * the same cells, tags, reasons and errors, on thousands of generated
 * notebooks whose tags crowd the template's candidates (numbers taken,
 * "-2" suffixes, leading zeros, other lessons, tags of other shapes), on
 * the test data and on the corpus.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "suggest.h"
#include "rules_testutil.h"
#include "testutil.h"

TestSuite(suggest_plan, .timeout = 300);

static unsigned long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

static const char *const templates[] = {
	NULL,                                   /* the default */
	"{prefix}{lesson}-q{n}",
	"{prefix}{n}-{lesson}",
	"{prefix}{lesson}{n}",
	"{prefix}{lesson}-exercise-{n}-x",
	"{lesson}-exercise-{n}",                /* not an assignment tag */
	"{prefix}{lesson}-{n}-{n}",             /* two {n}: the direct way */
	"{prefix}{lesson}-fixed",               /* no {n}: stuck */
	"{prefix}{lesson}-{n}-Bad Tag",         /* refused by the rules */
};
#define NTEMPLATES (sizeof templates / sizeof templates[0])

/* Tags near the candidates of every template above. */
static const char *const vocabulary[] = {
	"assignment:lesson-03-exercise-1", "assignment:lesson-03-exercise-2",
	"assignment:lesson-03-exercise-3", "assignment:lesson-03-exercise-3-2",
	"assignment:lesson-03-exercise-03", "assignment:lesson-03-exercise-1-1",
	"assignment:lesson-03-exercise-", "assignment:lesson-03-exercise-1-x",
	"assignment:lesson-04-exercise-1", "assignment:lesson-04-exercise-2",
	"assignment:lesson-03-q1", "assignment:lesson-03-q2", "assignment:1-lesson-03",
	"assignment:2-lesson-03", "assignment:lesson-031", "assignment:lesson-032",
	"lesson-03-exercise-1", "lesson-03-exercise-2", "assignment:lesson-03-1-1",
	"assignment:lesson-03-fixed", "solution", "assignment:lesson-03-exercise-2-2",
};
#define NVOCAB (sizeof vocabulary / sizeof vocabulary[0])

static const char *const headings[] = {
	"## Exercise 1", "## Exercise 2", "## Exercise 3", "## Exercise 3.1",
	"## Exercise 3.2", "## Exercise 4.1", "## Exercise 1", "Some text",
	"## Problem 2a", "## Exercise 03",
};
static const char *const sources[] = {
	"# YOUR CODE HERE", "raise NotImplementedError()", "def f(x):\n    pass",
	"x = 1", "print('demo')",
};

/* A random notebook: headings, exercise and other code cells, tags. */
static struct notebook *random_notebook(void)
{
	static const char *const names[] = { "lesson_03.ipynb", "Lesson 4.ipynb", "notes.ipynb" };
	struct tcell cells[48];
	char meta[48][256];
	size_t n = 2 + rnd(46);
	for (size_t i = 0; i < n; i++) {
		meta[i][0] = '\0';
		if (rnd(4) == 0) {
			cells[i] = (struct tcell)TMD(headings[rnd(sizeof headings / sizeof headings[0])]);
			continue;
		}
		cells[i] = (struct tcell)TCODE(sources[rnd(sizeof sources / sizeof sources[0])]);
		if (rnd(3) == 0) {
			unsigned k = 1 + rnd(2);
			size_t len = (size_t)snprintf(meta[i], sizeof meta[i], "\"tags\": [");
			for (unsigned t = 0; t < k; t++)
				len += (size_t)snprintf(meta[i] + len, sizeof meta[i] - len, "%s\"%s\"",
				                        t ? ", " : "", vocabulary[rnd(NVOCAB)]);
			snprintf(meta[i] + len, sizeof meta[i] - len, "]");
			/* Duplicate tags in one cell make it read-only: fine too. */
			cells[i].meta = meta[i];
		}
	}
	return tu_nb(names[rnd(3)], cells, n);
}

static void config_for(struct ct_config *cfg, size_t t)
{
	config_init_defaults(cfg);
	if (templates[t])
		cfg->suggestion = templates[t];
}

/* The plans are equal, tag for tag (a lazy `a` through suggest_plan_tag). */
static void expect_same_plan(const struct suggest_plan *a, const struct suggest_plan *b,
                             const struct ct_config *cfg, const char *what)
{
	cr_assert_eq(a->n, b->n, "%s: %zu suggestions, direct %zu", what, a->n, b->n);
	cr_assert_str_eq(a->lesson, b->lesson, "%s", what);
	cr_assert_eq(a->lesson_source, b->lesson_source, "%s", what);
	for (size_t k = 0; k < a->n; k++) {
		const struct suggestion *x = &a->items[k], *y = &b->items[k];
		char tag[RULES_TAG_MAX];
		struct ct_error err;
		cr_assert_eq(suggest_plan_tag(a, x, cfg, tag, sizeof tag, &err), CT_OK, "%s: %s",
		             what, err.msg);
		cr_assert(x->cell == y->cell && x->reason == y->reason && x->named == y->named,
		          "%s: item %zu: cell %zu vs %zu", what, k, x->cell, y->cell);
		cr_assert_str_eq(tag, y->tag, "%s: item %zu (cell %zu)", what, k, x->cell);
	}
}

struct counts {
	size_t plans, items, errors, lazy_errors;
};

/* suggest_notebook and suggest_notebook_lazy against the direct method. */
static void compare_methods(struct notebook *nb, const struct ct_config *cfg, const char *what,
                            struct counts *c)
{
	struct suggest_plan fast, lazy, direct;
	struct ct_error ef, el, ed;
	enum ct_status sf = suggest_notebook(nb, cfg, NULL, NULL, &fast, &ef);
	enum ct_status sl = suggest_notebook_lazy(nb, cfg, NULL, NULL, &lazy, &el);
	enum ct_status sd = suggest_notebook_direct(nb, cfg, NULL, NULL, &direct, &ed);

	c->plans++;
	cr_assert_eq(sf, sd, "%s: status %d, direct %d (%s)", what, (int)sf, (int)sd, ed.msg);
	if (sd != CT_OK) {
		c->errors++;
		cr_assert_str_eq(ef.msg, ed.msg, "%s", what);
		/* Tags the rules refuse are the lazy plan's to report, one by
		 * one: the first one refused is the direct method's error. */
		if (sl == CT_OK) {
			c->lazy_errors++;
			size_t k = 0;
			char tag[RULES_TAG_MAX];
			while (k < lazy.n &&
			       suggest_plan_tag(&lazy, &lazy.items[k], cfg, tag, sizeof tag, &el) == CT_OK)
				k++;
			cr_assert_lt(k, lazy.n, "%s: the lazy plan has no refused tag", what);
			cr_assert_str_eq(el.msg, ed.msg, "%s", what);
			suggest_plan_free(&lazy);
		} else {
			cr_assert_str_eq(el.msg, ed.msg, "%s", what);
		}
		return;
	}
	cr_assert_eq(sl, CT_OK, "%s: lazy: %s", what, el.msg);
	c->items += direct.n;
	expect_same_plan(&fast, &direct, cfg, what);
	expect_same_plan(&lazy, &direct, cfg, what);
	suggest_plan_free(&fast);
	suggest_plan_free(&lazy);
	suggest_plan_free(&direct);
}

Test(suggest_plan, numbers_equal_the_direct_method_on_generated_notebooks)
{
	struct counts c = { 0 };
	rng_state = 42;
	for (int r = 0; r < 3000; r++) {
		struct notebook *nb = random_notebook();
		cr_assert_not_null(nb);
		for (size_t t = 0; t < NTEMPLATES; t++) {
			struct ct_config cfg;
			char what[64];
			config_for(&cfg, t);
			snprintf(what, sizeof what, "notebook %d, template %zu", r, t);
			compare_methods(nb, &cfg, what, &c);
		}
		notebook_free(&nb);
	}
	cr_log_info("suggest_plan: %zu plans, %zu suggestions, %zu errors (%zu left to the lazy "
	            "plan's lookups)", c.plans, c.items, c.errors, c.lazy_errors);
	cr_assert_gt(c.items, 100000);
	cr_assert_gt(c.errors, 0);
	cr_assert_gt(c.lazy_errors, 0);
}

static void compare_tree(const char *dir, struct counts *c)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			compare_tree(path, c);
			continue;
		}
		size_t l = strlen(path), len;
		if (l < 6 || strcmp(path + l - 6, ".ipynb") != 0)
			continue;
		char *data = tu_read(path, &len);
		struct notebook *nb = NULL;
		struct ct_error err;
		if (data && notebook_load_buffer(data, len, path, &nb, &err) == CT_OK) {
			for (size_t t = 0; t < NTEMPLATES; t++) {
				struct ct_config cfg;
				config_for(&cfg, t);
				compare_methods(nb, &cfg, path, c);
			}
		}
		notebook_free(&nb);
		free(data);
	}
	closedir(d);
}

/* Templates made of random pieces, braces that almost make a placeholder
 * included: the split around {n} must agree with suggest_expand. */
Test(suggest_plan, numbers_equal_the_direct_method_for_random_templates)
{
	static const char *const pieces[] = {
		"{prefix}", "{lesson}", "{n}", "-", "x", "{", "}", "{{n}", "{n}}", "{lesson",
		"{prefix", "n}", "ex", "ß", "-exercise-", "{N}", "{n}{n}",
	};
	struct counts c = { 0 };
	size_t single = 0;
	rng_state = 99;
	for (int r = 0; r < 4000; r++) {
		char tmpl[256] = "";
		unsigned k = 1 + rnd(6);
		for (unsigned i = 0; i < k; i++)
			strcat(tmpl, pieces[rnd(sizeof pieces / sizeof pieces[0])]);
		const char *p = strstr(tmpl, "{n}");
		single += p && !strstr(p + 3, "{n}");
		struct notebook *nb = random_notebook();
		struct ct_config cfg;
		char what[320];
		config_init_defaults(&cfg);
		cfg.suggestion = tmpl;
		snprintf(what, sizeof what, "notebook %d, template '%s'", r, tmpl);
		compare_methods(nb, &cfg, what, &c);
		notebook_free(&nb);
	}
	cr_log_info("suggest_plan: %zu random templates (%zu with one {n}), %zu suggestions, "
	            "%zu errors", c.plans, single, c.items, c.errors);
	cr_assert_gt(single, 1000);
	cr_assert_gt(c.items, 10000);
}

Test(suggest_plan, numbers_equal_the_direct_method_on_real_notebooks)
{
	struct counts c = { 0 };
	compare_tree("tests/data", &c);
	const char *corpus = tu_corpus_dir();
	if (corpus)
		compare_tree(corpus, &c);
	else
		cr_log_warn("corpus not found: only the test data was compared");
	cr_log_info("suggest_plan: real notebooks: %zu plans, %zu suggestions", c.plans, c.items);
	cr_assert_gt(c.items, 0);
}

/* Accept suggestions one by one, as the editor does, and check after
 * each that the kept plan minus the accepted ones is the plan a fresh
 * (direct) planning gives, whenever suggest_plan_survives_accept says so. */
Test(suggest_plan, accepted_suggestions_keep_the_plan_exact)
{
	size_t kept = 0, replanned = 0;
	rng_state = 7;
	for (int r = 0; r < 3000; r++) {
		struct notebook *nb = random_notebook();
		size_t t = rnd(6);              /* the templates with one {n} */
		struct ct_config cfg;
		struct ct_error err;
		struct suggest_plan plan;
		config_for(&cfg, t);
		if (suggest_notebook_lazy(nb, &cfg, NULL, NULL, &plan, &err) != CT_OK) {
			notebook_free(&nb);
			continue;
		}
		bool *taken = calloc(plan.n + 1, sizeof *taken);
		for (size_t step = 0; step < plan.n; step++) {
			size_t k = rnd((unsigned)plan.n);
			if (taken[k])
				continue;
			char tag[RULES_TAG_MAX];
			bool changed;
			if (suggest_plan_tag(&plan, &plan.items[k], &cfg, tag, sizeof tag, &err) != CT_OK)
				break;
			cr_assert_eq(notebook_tag_add(nb, plan.items[k].cell, tag, &changed, &err), CT_OK,
			             "%s", err.msg);
			if (!suggest_plan_survives_accept(&plan, &cfg, tag)) {
				replanned++;
				break;
			}
			kept++;
			taken[k] = true;
			struct suggest_plan fresh;
			cr_assert_eq(suggest_notebook_direct(nb, &cfg, NULL, NULL, &fresh, &err), CT_OK,
			             "%s", err.msg);
			size_t j = 0;
			for (size_t i = 0; i < plan.n; i++) {
				if (taken[i])
					continue;
				char mine[RULES_TAG_MAX];
				cr_assert_lt(j, fresh.n, "notebook %d: fewer suggestions after accepting", r);
				cr_assert_eq(suggest_plan_tag(&plan, &plan.items[i], &cfg, mine, sizeof mine,
				                              &err), CT_OK);
				cr_assert_eq(plan.items[i].cell, fresh.items[j].cell,
				             "notebook %d, template %zu: cell %zu vs %zu", r, t,
				             plan.items[i].cell, fresh.items[j].cell);
				cr_assert_str_eq(mine, fresh.items[j].tag, "notebook %d, template %zu, cell %zu",
				                 r, t, plan.items[i].cell);
				j++;
			}
			cr_assert_eq(j, fresh.n, "notebook %d: more suggestions after accepting", r);
			suggest_plan_free(&fresh);
		}
		free(taken);
		suggest_plan_free(&plan);
		notebook_free(&nb);
	}
	cr_log_info("suggest_plan: %zu accepted suggestions kept the plan, %zu needed a new one",
	            kept, replanned);
	cr_assert_gt(kept, 10000);
	cr_assert_gt(replanned, 0);
}

Test(suggest_plan, lookups_find_items_by_cell)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE("# YOUR CODE HERE"),
		TCODE("print(1)"),
		TCODE("raise NotImplementedError"));
	struct suggest_plan plan;
	struct ct_error err;
	cr_assert_eq(suggest_notebook_lazy(nb, NULL, NULL, NULL, &plan, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan.n, 2);
	cr_assert_null(plan.items[0].tag, "a lazy plan writes out no tag");
	cr_assert_eq(suggest_plan_find(&plan, 0), &plan.items[0]);
	cr_assert_null(suggest_plan_find(&plan, 1));
	cr_assert_eq(suggest_plan_find(&plan, 2), &plan.items[1]);
	cr_assert_null(suggest_plan_find(&plan, 3));
	char tag[RULES_TAG_MAX];
	cr_assert_eq(suggest_plan_tag(&plan, &plan.items[1], NULL, tag, sizeof tag, &err), CT_OK);
	cr_assert_str_eq(tag, "assignment:lesson-03-exercise-2");
	cr_assert_eq(suggest_plan_tag(&plan, &plan.items[1], NULL, tag, 8, &err), CT_TAG);
	suggest_plan_free(&plan);
	notebook_free(&nb);
}
