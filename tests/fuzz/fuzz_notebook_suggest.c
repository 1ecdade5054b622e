/* fuzz_notebook_suggest.c - libFuzzer target: suggestion plans of any
 * notebook.
 *
 * Input: a notebook (any bytes); its last byte also picks the suggestion
 * template.  Properties, when it loads:
 *  - suggest_notebook (numbers when the template has one {n}) and
 *    suggest_notebook_lazy give what suggest_notebook_direct gives: same
 *    status and message, same cells, tags, reasons, lesson; a lazy plan
 *    leaves tags the rules refuse to suggest_plan_tag, whose first refusal
 *    is the direct method's error;
 *  - after accepting suggestions as the editor does, while
 *    suggest_plan_survives_accept says the plan is kept, the kept plan
 *    minus the accepted items is a fresh plan of the edited notebook.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_check.h"
#include "notebook.h"
#include "suggest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const templates[] = {
	NULL, "{prefix}{lesson}-q{n}", "{prefix}{n}-{lesson}", "{prefix}{lesson}{n}",
	"{lesson}-exercise-{n}", "{prefix}{lesson}-{n}-{n}", "{prefix}{lesson}-fixed",
	"{prefix}{{n}}", "{prefix}{lesson}-exercise-{n}-Bad Tag", "{prefix}\xc3\x9f{n}",
	"{prefix}{lesson}-exercise-{n}x{lesson}",
};
#define NTEMPLATES (sizeof templates / sizeof templates[0])

static void tag_of(const struct suggest_plan *p, const struct suggestion *s,
                   const struct ct_config *cfg, char *buf)
{
	struct ct_error err;
	FUZZ_CHECK(suggest_plan_tag(p, s, cfg, buf, RULES_TAG_MAX, &err) == CT_OK,
	           "suggest_plan_tag: %s", err.msg);
}

static void same_plan(const struct suggest_plan *a, const struct suggest_plan *b,
                      const struct ct_config *cfg, const char *what)
{
	FUZZ_CHECK(a->n == b->n, "%s: %zu suggestions, direct %zu", what, a->n, b->n);
	FUZZ_CHECK(strcmp(a->lesson, b->lesson) == 0 && a->lesson_source == b->lesson_source,
	           "%s: lesson %s vs %s", what, a->lesson, b->lesson);
	for (size_t k = 0; k < a->n; k++) {
		char t1[RULES_TAG_MAX], t2[RULES_TAG_MAX];
		tag_of(a, &a->items[k], cfg, t1);
		tag_of(b, &b->items[k], cfg, t2);
		FUZZ_CHECK(a->items[k].cell == b->items[k].cell &&
		           a->items[k].reason == b->items[k].reason &&
		           a->items[k].named == b->items[k].named && strcmp(t1, t2) == 0,
		           "%s: item %zu: cell %zu '%s' vs cell %zu '%s'", what, k, a->items[k].cell,
		           t1, b->items[k].cell, t2);
	}
}

/* Accept the suggestions the input picks, checking the kept plan. */
static void accept_some(struct notebook *nb, const struct ct_config *cfg,
                        const uint8_t *data, size_t size)
{
	struct suggest_plan plan, fresh;
	struct ct_error err;
	if (suggest_notebook_lazy(nb, cfg, NULL, NULL, &plan, &err) != CT_OK || plan.n == 0) {
		suggest_plan_free(&plan);
		return;
	}
	bool *taken = calloc(plan.n, sizeof *taken);
	FUZZ_CHECK(taken != NULL, "out of memory");
	for (size_t step = 0; step < 4 && step < size; step++) {
		size_t k = data[step] % plan.n;
		char tag[RULES_TAG_MAX];
		bool changed;
		if (taken[k] || suggest_plan_tag(&plan, &plan.items[k], cfg, tag, sizeof tag,
		                                 &err) != CT_OK)
			break;
		if (notebook_tag_add(nb, plan.items[k].cell, tag, &changed, &err) != CT_OK)
			break;
		if (!suggest_plan_survives_accept(&plan, cfg, tag))
			break;
		taken[k] = true;
		FUZZ_CHECK(suggest_notebook_direct(nb, cfg, NULL, NULL, &fresh, &err) == CT_OK,
		           "planning again after accepting: %s", err.msg);
		size_t j = 0;
		for (size_t i = 0; i < plan.n; i++) {
			if (taken[i])
				continue;
			char mine[RULES_TAG_MAX];
			tag_of(&plan, &plan.items[i], cfg, mine);
			FUZZ_CHECK(j < fresh.n && plan.items[i].cell == fresh.items[j].cell &&
			           strcmp(mine, fresh.items[j].tag) == 0,
			           "after accepting: kept item %zu (cell %zu, '%s') differs", i,
			           plan.items[i].cell, mine);
			j++;
		}
		FUZZ_CHECK(j == fresh.n, "after accepting: %zu kept, %zu fresh", j, fresh.n);
		suggest_plan_free(&fresh);
	}
	free(taken);
	suggest_plan_free(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	if (size == 0 ||
	    notebook_load_buffer((const char *)data, size, "lesson_03.ipynb", &nb, &err) != CT_OK)
		return 0;
	struct ct_config cfg;
	config_init_defaults(&cfg);
	const char *tmpl = templates[data[size - 1] % NTEMPLATES];
	if (tmpl)
		cfg.suggestion = tmpl;

	struct suggest_plan fast, lazy, direct;
	struct ct_error ef, el, ed;
	enum ct_status sf = suggest_notebook(nb, &cfg, NULL, NULL, &fast, &ef);
	enum ct_status sl = suggest_notebook_lazy(nb, &cfg, NULL, NULL, &lazy, &el);
	enum ct_status sd = suggest_notebook_direct(nb, &cfg, NULL, NULL, &direct, &ed);
	FUZZ_CHECK(sf == sd, "status %d, direct %d (%s)", (int)sf, (int)sd, ed.msg);
	if (sd != CT_OK) {
		FUZZ_CHECK(strcmp(ef.msg, ed.msg) == 0, "error '%s', direct '%s'", ef.msg, ed.msg);
		if (sl == CT_OK) {
			size_t k = 0;
			char tag[RULES_TAG_MAX];
			while (k < lazy.n &&
			       suggest_plan_tag(&lazy, &lazy.items[k], &cfg, tag, sizeof tag, &el) == CT_OK)
				k++;
			FUZZ_CHECK(k < lazy.n && strcmp(el.msg, ed.msg) == 0,
			           "lazy plan: '%s', direct '%s'", k < lazy.n ? el.msg : "(none)", ed.msg);
			suggest_plan_free(&lazy);
		} else {
			FUZZ_CHECK(strcmp(el.msg, ed.msg) == 0, "lazy '%s', direct '%s'", el.msg, ed.msg);
		}
	} else {
		FUZZ_CHECK(sl == CT_OK, "lazy plan failed: %s", el.msg);
		same_plan(&fast, &direct, &cfg, "suggest_notebook");
		same_plan(&lazy, &direct, &cfg, "suggest_notebook_lazy");
		suggest_plan_free(&fast);
		suggest_plan_free(&lazy);
		suggest_plan_free(&direct);
		if (!nb->readonly_reason)
			accept_some(nb, &cfg, data, size);
	}
	notebook_free(&nb);
	return 0;
}
