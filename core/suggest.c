/* suggest.c - suggested assignment tags (see suggest.h). */
#include "suggest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"

#define NO_CELL SIZE_MAX

enum ct_status suggest_expand(const char *tmpl, const char *prefix,
                              const char *lesson, const char *n,
                              char *buf, size_t size, struct ct_error *err)
{
	size_t len = 0;
	if (!tmpl)
		tmpl = CT_DEFAULT_SUGGESTION;
	/* Literal runs are copied whole; only a '{' is looked at closely (this
	 * runs for every suggestion of every notebook of a course). */
	for (const char *p = tmpl; *p;) {
		const char *ins = p, *brace = strchr(p, '{');
		size_t il = brace ? (size_t)(brace - p) : strlen(p), skip = il;
		if (il == 0) {
			skip = 1;
			il = 1;
			if (strncmp(p, "{prefix}", 8) == 0) {
				ins = prefix;
				skip = 8;
			} else if (strncmp(p, "{lesson}", 8) == 0) {
				ins = lesson;
				skip = 8;
			} else if (strncmp(p, "{n}", 3) == 0) {
				ins = n;
				skip = 3;
			}
			if (ins != p)
				il = strlen(ins);
		}
		if (len + il + 1 > size)
			return ct_error_set(err, CT_TAG, NULL,
			                    "suggested tag too long");
		memcpy(buf + len, ins, il);
		len += il;
		p += skip;
	}
	buf[len] = '\0';
	return CT_OK;
}

void suggest_number(const char *number, const char *lesson, char *buf,
                    size_t size)
{
	char ln[LESSON_MAX];
	const char *out = number;
	const char *dash = strchr(number, '-');
	if (dash && lesson_number(lesson, ln, sizeof ln)) {
		const char *first = number;
		size_t fl = (size_t)(dash - number);
		while (fl > 1 && *first == '0') {
			first++;
			fl--;
		}
		if (strlen(ln) == fl && strncmp(first, ln, fl) == 0)
			out = dash + 1;
	}
	snprintf(buf, size, "%s", out);
}

bool suggest_cell_tagged(const struct nb_cell *c, const struct ct_config *cfg)
{
	for (size_t t = 0; t < c->ntags; t++)
		if (rules_is_assignment(cfg, c->tags[t]))
			return true;
	return false;
}

void suggest_plan_free(struct suggest_plan *plan)
{
	if (!plan)
		return;
	free(plan->items);
	plan->items = NULL;
	plan->n = 0;
}

/* Is the tag free for this cell?  Taken when used in the notebook or by an
 * earlier suggestion, or reserved by a named exercise (other than `own`). */
static bool tag_free(const struct strset *used, const struct strset *reserved,
                     const char *tag, const char *own)
{
	if (strset_get(used, tag, NULL))
		return false;
	if (own && strcmp(tag, own) == 0)
		return true;
	return !strset_get(reserved, tag, NULL);
}

static enum ct_status check_tag(const struct ct_config *cfg, const char *tag,
                                struct ct_error *err)
{
	const char *why;
	enum rules_code code = rules_check_tag(cfg, tag, &why);
	if (code != RULE_OK && rules_code_severity(code) == RULES_ERROR)
		return ct_error_set(err, CT_TAG, NULL,
		                    "suggestion template gives an invalid tag "
		                    "'%.100s': %s", tag, why);
	return CT_OK;
}

/* Does cell i get a suggestion: an exercise code cell, or the `force`
 * cell, whose tags can be edited and hold no assignment tag yet? */
static bool wants_suggestion(const struct notebook *nb,
                             const struct ct_config *cfg,
                             const struct detect_result *det, size_t i,
                             size_t force)
{
	const struct nb_cell *c = &nb->cells[i];
	return ((c->kind == NB_CODE && det[i].is_exercise) || i == force) &&
	       !c->readonly_reason && !suggest_cell_tagged(c, cfg);
}

/* Build the plan; `force` is a cell to plan even if it is not an exercise
 * (NO_CELL: none). */
static enum ct_status plan_build(const struct notebook *nb,
                                 const struct ct_config *cfg,
                                 const struct detect_result *det,
                                 const char *lesson_option, size_t force,
                                 struct suggest_plan *plan,
                                 struct ct_error *err)
{
	const char *prefix = rules_prefix(cfg);
	const char *tmpl = cfg && cfg->suggestion ? cfg->suggestion
	                                          : CT_DEFAULT_SUGGESTION;
	struct strset used = { 0 }, reserved = { 0 };
	char (*own)[RULES_TAG_MAX] = NULL;     /* first candidate per item */
	enum ct_status st = CT_OK;
	size_t ntags = 0, want = 0;

	memset(plan, 0, sizeof *plan);
	plan->lesson_source = lesson_for_notebook(nb, NULL, cfg, lesson_option,
	                                          plan->lesson,
	                                          sizeof plan->lesson);
	for (size_t i = 0; i < nb->ncells; i++) {
		ntags += nb->cells[i].ntags;
		want += wants_suggestion(nb, cfg, det, i, force);
	}
	if (want == 0)
		return CT_OK;
	plan->items = calloc(want, sizeof *plan->items);
	own = calloc(want, sizeof *own);
	if (!plan->items || !own || !strset_init(&used, ntags + want) ||
	    !strset_init(&reserved, want))
		goto nomem;
	for (size_t i = 0; i < nb->ncells; i++)
		for (size_t t = 0; t < nb->cells[i].ntags; t++)
			if (!strset_add(&used, nb->cells[i].tags[t], i, NULL))
				goto nomem;

	/* Pass 1: which cells, and reserve the tags of named numbers so a
	 * counted number never takes "Exercise 2"'s tag. */
	for (size_t i = 0; i < nb->ncells; i++) {
		if (!wants_suggestion(nb, cfg, det, i, force))
			continue;
		struct suggestion *s = &plan->items[plan->n];
		s->cell = i;
		s->reason = det[i].reason;
		s->named = det[i].number[0] != '\0';
		if (s->named) {
			char n[DETECT_NUMBER_MAX];
			suggest_number(det[i].number, plan->lesson, n, sizeof n);
			st = suggest_expand(tmpl, prefix, plan->lesson, n,
			                    own[plan->n], sizeof own[plan->n], err);
			if (st != CT_OK)
				goto out;
			if (!strset_add(&reserved, own[plan->n], i, NULL))
				goto nomem;
		}
		plan->n++;
	}

	/* Pass 2: assign in cell order. */
	size_t counter = 1;
	for (size_t k = 0; k < plan->n; k++) {
		struct suggestion *s = &plan->items[k];
		if (s->named) {
			char n[DETECT_NUMBER_MAX + 24];
			char base[DETECT_NUMBER_MAX];
			suggest_number(det[s->cell].number, plan->lesson, base,
			               sizeof base);
			for (unsigned long dup = 1;; dup++) {
				if (dup == 1)
					snprintf(n, sizeof n, "%s", base);
				else
					snprintf(n, sizeof n, "%s-%lu", base, dup);
				st = suggest_expand(tmpl, prefix, plan->lesson, n,
				                    s->tag, sizeof s->tag, err);
				if (st != CT_OK)
					goto out;
				if (tag_free(&used, &reserved, s->tag, own[k]))
					break;
				if (dup > used.n + reserved.n + 1)
					goto stuck;
			}
		} else {
			for (;; counter++) {
				char n[32];
				snprintf(n, sizeof n, "%zu", counter);
				st = suggest_expand(tmpl, prefix, plan->lesson, n,
				                    s->tag, sizeof s->tag, err);
				if (st != CT_OK)
					goto out;
				if (tag_free(&used, &reserved, s->tag, NULL))
					break;
				if (counter > used.n + reserved.n + plan->n + 1)
					goto stuck;
			}
			counter++;
		}
		if ((st = check_tag(cfg, s->tag, err)) != CT_OK)
			goto out;
		if (!strset_add(&used, s->tag, s->cell, NULL))
			goto nomem;
	}
	goto out;
stuck:
	/* Only possible when the template has no {n}. */
	st = ct_error_set(err, CT_TAG, NULL,
	                  "suggestion template gives the same tag '%.100s' "
	                  "twice (does it contain {n}?)", plan->items[0].tag);
	goto out;
nomem:
	st = ct_error_set(err, CT_NOMEM, NULL, "out of memory");
out:
	free(own);
	strset_free(&used);
	strset_free(&reserved);
	if (st != CT_OK)
		suggest_plan_free(plan);
	return st;
}

enum ct_status suggest_notebook(const struct notebook *nb,
                                const struct ct_config *cfg,
                                const struct detect_result *det,
                                const char *lesson_option,
                                struct suggest_plan *plan,
                                struct ct_error *err)
{
	struct detect_result *owned = NULL;
	enum ct_status st;
	memset(plan, 0, sizeof *plan);
	if ((st = notebook_require_whole(nb, err)) != CT_OK)
		return st;
	if (!det && (st = detect_notebook_alloc(NULL, cfg, nb, &owned, err)))
		return st;
	st = plan_build(nb, cfg, det ? det : owned, lesson_option, NO_CELL,
	                plan, err);
	free(owned);
	return st;
}

enum ct_status suggest_for_cell(const struct notebook *nb, size_t cell,
                                const struct ct_config *cfg,
                                const struct detect_result *det,
                                const char *lesson_option,
                                char *buf, size_t size,
                                struct ct_error *err)
{
	if (!nb || cell >= nb->ncells)
		return ct_error_set(err, CT_CELL, nb ? nb->path : NULL,
		                    "no cell %zu", cell);
	if (nb->partial)
		return notebook_require_whole(nb, err);
	const struct nb_cell *c = &nb->cells[cell];
	if (c->readonly_reason)
		return ct_error_set(err, CT_READONLY, nb->path, "cell %zu: %s",
		                    cell, c->readonly_reason);
	for (size_t t = 0; t < c->ntags; t++) {
		if (rules_is_assignment(cfg, c->tags[t])) {
			if (strlen(c->tags[t]) >= size)
				return ct_error_set(err, CT_TAG, nb->path,
				                    "tag too long");
			strcpy(buf, c->tags[t]);
			return CT_OK;
		}
	}

	struct detect_result *owned = NULL;
	struct suggest_plan plan;
	enum ct_status st;
	if (!det && (st = detect_notebook_alloc(NULL, cfg, nb, &owned, err)))
		return st;
	st = plan_build(nb, cfg, det ? det : owned, lesson_option, cell, &plan,
	                err);
	if (st == CT_OK) {
		st = ct_error_set(err, CT_CELL, nb->path,
		                  "no suggestion for cell %zu", cell);
		for (size_t k = 0; k < plan.n; k++) {
			if (plan.items[k].cell != cell)
				continue;
			if (strlen(plan.items[k].tag) >= size) {
				st = ct_error_set(err, CT_TAG, nb->path,
				                  "tag too long");
			} else {
				strcpy(buf, plan.items[k].tag);
				ct_error_clear(err);
				st = CT_OK;
			}
			break;
		}
	}
	suggest_plan_free(&plan);
	free(owned);
	return st;
}
