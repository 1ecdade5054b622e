/* lint.c - tag findings for one notebook (see lint.h). */
#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "strset.h"
#include "suggest.h"

#define TAG_SHOW 80     /* bytes of a tag quoted in a message */

void lint_report_free(struct lint_report *rep)
{
	if (!rep)
		return;
	free(rep->findings);
	memset(rep, 0, sizeof *rep);
}

size_t lint_count_code(const struct lint_report *rep, enum rules_code code)
{
	size_t n = 0;
	for (size_t i = 0; i < rep->n; i++)
		n += rep->findings[i].code == code;
	return n;
}

static bool add(struct lint_report *rep, long cell, enum rules_code code,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static bool add(struct lint_report *rep, long cell, enum rules_code code,
                const char *fmt, ...)
{
	if (rep->counts_only) {
		rep->count[rules_code_severity(code)]++;
		return true;
	}
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 16;
		struct lint_finding *f = realloc(rep->findings, cap * sizeof *f);
		if (!f)
			return false;
		rep->findings = f;
		rep->cap = cap;
	}
	struct lint_finding *f = &rep->findings[rep->n++];
	f->cell = cell;
	f->code = code;
	f->severity = rules_code_severity(code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof f->message, fmt, ap);
	va_end(ap);
	rep->count[f->severity]++;
	return true;
}

/* A tag shortened for a message, cut on a UTF-8 character boundary. */
static const char *show(const char *tag, char *buf, size_t size)
{
	size_t len = strlen(tag);
	if (len < size && len <= TAG_SHOW)
		return tag;
	size_t n = TAG_SHOW < size - 4 ? TAG_SHOW : size - 4;
	while (n > 0 && ((unsigned char)tag[n] & 0xc0) == 0x80)
		n--;
	memcpy(buf, tag, n);
	strcpy(buf + n, "...");
	return buf;
}

static int finding_cmp(const void *a, const void *b)
{
	const struct lint_finding *x = a, *y = b;
	if (x->cell != y->cell)
		return x->cell < y->cell ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	return strcmp(x->message, y->message);
}

struct tagref {
	const char *tag;
	size_t index;
};

static int tagref_cmp(const void *a, const void *b)
{
	const struct tagref *x = a, *y = b;
	int c = strcmp(x->tag, y->tag);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Schema and id checks of one cell's tags.  Returns false on OOM. */
static bool lint_cell_tags(const struct nb_cell *c, const struct ct_config *cfg,
                           const char *expected, struct lint_report *rep)
{
	const char *prefix = rules_prefix(cfg);
	size_t plen = strlen(prefix);
	long ci = (long)c->index;
	char b1[TAG_SHOW + 8], b2[LESSON_MAX];

	for (size_t t = 0; t < c->ntags; t++) {
		const char *tag = c->tags[t];
		const char *why;
		enum rules_code code = rules_check_tag(cfg, tag, &why);
		const char *s = show(tag, b1, sizeof b1);
		bool ok = true;
		switch (code) {
		case RULE_OK:
			break;
		case RULE_TAG_EMPTY:
			ok = add(rep, ci, code, "empty tag");
			break;
		case RULE_TAG_COMMA:
			ok = add(rep, ci, code, "tag '%s' contains a comma", s);
			break;
		case RULE_TAG_INVALID:
			ok = add(rep, ci, code, "tag '%s': %s", s, why);
			break;
		case RULE_ASSIGN_SHAPE:
			ok = add(rep, ci, code, "assignment tag '%s' does not "
			         "follow lesson-<NN>-<kind>-<n>", s);
			break;
		case RULE_ASSIGN_PREFIX_CASE:
			ok = add(rep, ci, code, "tag '%s' looks like an assignment "
			         "tag but the prefix is not '%s'", s, prefix);
			break;
		case RULE_ASSIGN_EMPTY:
			ok = add(rep, ci, code, "assignment tag '%s' has nothing "
			         "after the prefix", s);
			break;
		default:
			ok = add(rep, ci, code, "invalid assignment tag '%s': %s",
			         s, why);
			break;
		}
		if (!ok)
			return false;
		/* Lesson: only for usable ids. */
		if ((code == RULE_OK || code == RULE_ASSIGN_SHAPE) && expected &&
		    strncmp(tag, prefix, plen) == 0 &&
		    rules_tag_lesson(cfg, tag, b2, sizeof b2) &&
		    !lesson_equal(b2, expected) &&
		    !add(rep, ci, RULE_ASSIGN_LESSON, "assignment tag '%s' names "
		         "%s, but the notebook is %s", s, b2, expected))
			return false;
	}

	/* Duplicates within the cell: sort references, report later ones. */
	if (c->ntags > 1) {
		struct tagref small[16], *refs = small;
		if (c->ntags > 16 && !(refs = malloc(c->ntags * sizeof *refs)))
			return false;
		for (size_t t = 0; t < c->ntags; t++)
			refs[t] = (struct tagref){ c->tags[t], t };
		qsort(refs, c->ntags, sizeof *refs, tagref_cmp);
		bool ok = true;
		for (size_t t = 1; t < c->ntags && ok; t++)
			if (strcmp(refs[t].tag, refs[t - 1].tag) == 0)
				ok = add(rep, ci, RULE_TAG_DUPLICATE,
				         "tag '%s' appears more than once",
				         show(refs[t].tag, b1, sizeof b1));
		if (refs != small)
			free(refs);
		if (!ok)
			return false;
	}
	return true;
}

enum ct_status lint_notebook(const struct notebook *nb,
                             const struct ct_config *cfg,
                             const struct detect_result *det,
                             const char *lesson_option,
                             struct lint_report *rep, struct ct_error *err)
{
	struct detect_result *owned = NULL;
	struct suggest_plan plan = { 0 };
	struct strset seen = { 0 };
	size_t first = rep->n;
	char expected[LESSON_MAX], b1[TAG_SHOW + 8];
	enum ct_status st = CT_OK;

	if ((st = notebook_require_whole(nb, err)) != CT_OK)
		return st;
	if (!det) {
		if ((st = detect_notebook_alloc(NULL, cfg, nb, &owned, err)))
			return st;
		det = owned;
	}
	bool have_expected = lesson_expected(nb->path, cfg, lesson_option,
	                                     expected, sizeof expected, NULL);
	if (!rep->counts_only &&
	    (st = suggest_notebook(nb, cfg, det, lesson_option, &plan, err))
	    != CT_OK)
		goto out;

	size_t ntags = 0;
	for (size_t i = 0; i < nb->ncells; i++)
		ntags += nb->cells[i].ntags;
	if (!strset_init(&seen, ntags))
		goto nomem;

	if (nb->readonly_reason &&
	    !add(rep, -1, RULE_NOTEBOOK_READONLY, "notebook cannot be edited: %s",
	         nb->readonly_reason))
		goto nomem;

	size_t k = 0;   /* next plan item */
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		long ci = (long)i;

		if (c->readonly_reason) {
			/* The loader says why in words; map them to codes. */
			const char *why = c->readonly_reason;
			enum rules_code code = RULE_CELL_READONLY;
			if (strstr(why, "tags is not"))
				code = RULE_TAGS_NOT_ARRAY;
			else if (strstr(why, "a tag "))
				code = RULE_TAG_INVALID;
			if (!add(rep, ci, code, "%s", why))
				goto nomem;
			continue;
		}
		if (!lint_cell_tags(c, cfg, have_expected ? expected : NULL, rep))
			goto nomem;

		size_t nassign = 0;
		const char *first_assign = NULL;
		for (size_t t = 0; t < c->ntags; t++) {
			const char *tag = c->tags[t];
			if (!rules_is_assignment(cfg, tag))
				continue;
			if (!first_assign)
				first_assign = tag;
			nassign++;
			size_t where;
			bool found;
			if (!strset_add(&seen, tag, i, &found))
				goto nomem;
			if (found && strset_get(&seen, tag, &where) && where != i &&
			    !add(rep, ci, RULE_ASSIGN_DUPLICATE, "assignment tag "
			         "'%s' is also on cell %zu",
			         show(tag, b1, sizeof b1), where))
				goto nomem;
		}
		if (nassign > 1 &&
		    !add(rep, ci, RULE_ASSIGN_MULTIPLE, "cell has %zu assignment "
		         "tags; the platform reads only the first ('%s')",
		         nassign, show(first_assign, b1, sizeof b1)))
			goto nomem;
		if (nassign > 0 && c->kind != NB_CODE &&
		    !add(rep, ci, RULE_ASSIGN_NOT_CODE, "assignment tag on a %s "
		         "cell", c->kind == NB_MARKDOWN ? "markdown" :
		         c->kind == NB_RAW ? "raw" : "non-code"))
			goto nomem;

		while (k < plan.n && plan.items[k].cell < i)
			k++;
		if (det[i].is_exercise && nassign == 0) {
			const char *sugg = k < plan.n && plan.items[k].cell == i
			                   ? plan.items[k].tag : NULL;
			if (!add(rep, ci, RULE_EXERCISE_UNTAGGED, "exercise cell "
			         "(%s) has no assignment tag%s%s",
			         detect_reason_name(det[i].reason),
			         sugg ? "; suggested: " : "", sugg ? sugg : ""))
				goto nomem;
		}
	}
	if (rep->n > first)
		qsort(rep->findings + first, rep->n - first,
		      sizeof *rep->findings, finding_cmp);
	goto out;
nomem:
	st = ct_error_set(err, CT_NOMEM, NULL, "out of memory");
out:
	strset_free(&seen);
	suggest_plan_free(&plan);
	free(owned);
	return st;
}
