/* suggest.c - suggested assignment tags (see suggest.h). */
#include "suggest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
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

/* suggest_number with the lesson's number worked out (ln, "" for none):
 * planning calls this for every named exercise. */
static void number_for(const char *number, const char *ln, char *buf, size_t size)
{
	const char *out = number;
	const char *dash = *ln ? strchr(number, '-') : NULL;
	if (dash) {
		const char *first = number;
		size_t fl = (size_t)(dash - number);
		while (fl > 1 && *first == '0') {
			first++;
			fl--;
		}
		if (strlen(ln) == fl && strncmp(first, ln, fl) == 0)
			out = dash + 1;
	}
	size_t n = strlen(out);
	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(buf, out, n);
	buf[n] = '\0';
}

void suggest_number(const char *number, const char *lesson, char *buf,
                    size_t size)
{
	char ln[LESSON_MAX];
	if (!lesson_number(lesson, ln, sizeof ln))
		ln[0] = '\0';
	number_for(number, ln, buf, size);
}

/* Decimal digits of v into buf (room for 21); returns buf. */
static char *utoa(unsigned long long v, char *buf)
{
	char tmp[24];
	size_t n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
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
	arena_free(&plan->arena_);
	plan->items = NULL;
	plan->n = 0;
	plan->before_ = plan->after_ = plan->numbers_ = NULL;
}

const struct suggestion *suggest_plan_find(const struct suggest_plan *plan, size_t cell)
{
	size_t lo = 0, hi = plan ? plan->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (plan->items[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (plan ? plan->n : 0) && plan->items[lo].cell == cell ? &plan->items[lo] : NULL;
}

/* Why the rest of a plan P stays exact when the suggestion T of item A is
 * added to A's tags (the notebook's tags grow by T, A wants no suggestion
 * any more), given that the lesson does not change:
 *  - an item before A picked, in P, the first candidate that was free; the
 *    candidates before it are still taken (`used` only grew; the one
 *    reservation that may go, A's own named tag, is T itself, now used,
 *    or was already used when A was planned, since A then skipped it);
 *    its pick is still free (T was free when A, later, took it);
 *  - an item after A saw T taken in P (A took it); it still is (used);
 *  - the counter of numbered items: where A took n, the next item now
 *    tries n first, finds T used and goes on from n + 1, as before.
 * The lesson (lesson_for_notebook) comes from --lesson or the config,
 * which no tag changes, or from the lesson the tags name most (else the
 * file name): a T naming no lesson leaves that count alone, and a T
 * naming the plan's lesson only adds to it (or makes it the only one,
 * the same lesson the file name gave; a new plan would then say it came
 * from the tags).  T must be an assignment tag, or A would still want a
 * suggestion. */
bool suggest_plan_survives_accept(const struct suggest_plan *plan, const struct ct_config *cfg,
                                  const char *tag)
{
	if (!plan || !tag)
		return false;
	/* Else A still wants a suggestion (a template without {prefix}). */
	if (!rules_is_assignment(cfg, tag))
		return false;
	if (plan->lesson_source == LESSON_FROM_OPTION || plan->lesson_source == LESSON_FROM_CONFIG)
		return true;
	char l[LESSON_MAX];
	if (!rules_tag_lesson(cfg, tag, l, sizeof l))
		return true;
	return strcmp(l, plan->lesson) == 0;
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

/* ---- planning ------------------------------------------------------------
 *
 * The plan is defined by the direct method, plan_direct: every candidate
 * tag is written out and looked up among the notebook's tags.  Templates
 * with exactly one {n} (the default's shape) are planned by plan_numbers in
 * the space of numbers instead: every candidate is B + x + A, with B and A
 * the template's text before and after {n} and x the number, so a
 * candidate is taken exactly when its x is the x of a tag of that shape,
 * and sets of short numbers replace sets of whole tags.  Same decisions in
 * the same order, hence the same plan and errors (suggest_notebook_direct
 * lets the tests check it); several times faster, and a lazy plan keeps
 * only the numbers (the editor plans every notebook it opens). */

enum plan_mode {
	PLAN_FULL,              /* tags written out and checked */
	PLAN_LAZY,              /* numbers only when possible (suggest_plan_tag) */
	PLAN_DIRECT             /* the direct method, tags written out */
};

/* What both methods start from: the lesson and which cells want a tag.
 * Returns the number of items (plan->n stays 0). */
static size_t plan_start(const struct notebook *nb, const struct ct_config *cfg,
                         const struct detect_result *det, const char *lesson_option,
                         size_t force, struct suggest_plan *plan, char *ln, size_t lnsize,
                         size_t *ntags)
{
	size_t want = 0;
	memset(plan, 0, sizeof *plan);
	plan->lesson_source = lesson_for_notebook(nb, NULL, cfg, lesson_option,
	                                          plan->lesson,
	                                          sizeof plan->lesson);
	if (!lesson_number(plan->lesson, ln, lnsize))
		ln[0] = '\0';
	*ntags = 0;
	for (size_t i = 0; i < nb->ncells; i++) {
		*ntags += nb->cells[i].ntags;
		want += wants_suggestion(nb, cfg, det, i, force);
	}
	return want;
}

/* The next item of pass 1, for cell i (its tag comes in pass 2). */
static struct suggestion *plan_item(struct suggest_plan *plan, const struct detect_result *det,
                                    size_t i)
{
	struct suggestion *s = &plan->items[plan->n];
	s->cell = i;
	s->reason = det[i].reason;
	s->named = det[i].number[0] != '\0';
	return s;
}

/* Build the plan the direct way; `force` is a cell to plan even if it is
 * not an exercise (NO_CELL: none). */
static enum ct_status plan_direct(const struct notebook *nb,
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
	const char **own = NULL;        /* first candidate per named item */
	char tag[RULES_TAG_MAX];
	enum ct_status st = CT_OK;
	size_t ntags = 0, want;
	char ln[LESSON_MAX];            /* the lesson's number, "" if none */

	want = plan_start(nb, cfg, det, lesson_option, force, plan, ln, sizeof ln, &ntags);
	if (want == 0)
		return CT_OK;
	plan->items = calloc(want, sizeof *plan->items);
	own = calloc(want, sizeof *own);
	plan->arena_ = arena_new();
	if (!plan->items || !own || !plan->arena_ || !strset_init(&used, ntags + want) ||
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
		const struct suggestion *s = plan_item(plan, det, i);
		if (s->named) {
			char n[DETECT_NUMBER_MAX];
			number_for(det[i].number, ln, n, sizeof n);
			st = suggest_expand(tmpl, prefix, plan->lesson, n, tag, sizeof tag, err);
			if (st != CT_OK)
				goto out;
			own[plan->n] = arena_strndup(plan->arena_, tag, strlen(tag));
			if (!own[plan->n] || !strset_add(&reserved, own[plan->n], i, NULL))
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
			number_for(det[s->cell].number, ln, base, sizeof base);
			size_t blen = strlen(base);
			memcpy(n, base, blen + 1);
			for (unsigned long dup = 1;; dup++) {
				if (dup > 1) {
					n[blen] = '-';
					utoa(dup, n + blen + 1);
				}
				st = suggest_expand(tmpl, prefix, plan->lesson, n, tag, sizeof tag,
				                    err);
				if (st != CT_OK)
					goto out;
				if (tag_free(&used, &reserved, tag, own[k]))
					break;
				if (dup > used.n + reserved.n + 1)
					goto stuck;
			}
		} else {
			for (;; counter++) {
				char n[32];
				utoa(counter, n);
				st = suggest_expand(tmpl, prefix, plan->lesson, n, tag, sizeof tag,
				                    err);
				if (st != CT_OK)
					goto out;
				if (tag_free(&used, &reserved, tag, NULL))
					break;
				if (counter > used.n + reserved.n + plan->n + 1)
					goto stuck;
			}
			counter++;
		}
		if ((st = check_tag(cfg, tag, err)) != CT_OK)
			goto out;
		s->tag = arena_strndup(plan->arena_, tag, strlen(tag));
		if (!s->tag || !strset_add(&used, s->tag, s->cell, NULL))
			goto nomem;
	}
	goto out;
stuck:
	/* Only possible when the template has no {n}. */
	st = ct_error_set(err, CT_TAG, NULL,
	                  "suggestion template gives the same tag '%.100s' "
	                  "twice (does it contain {n}?)", tag);
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

/* Sets of short strings (numbers) kept in one pool, by offset: the pool
 * may move as it grows. */
struct xpool {
	char *p;
	size_t len, cap;
};

struct xset {
	uint32_t *slot;                 /* pool offset + 1; 0 when empty */
	size_t mask;
};

static uint64_t xhash(const char *x, size_t n)
{
	uint64_t h = 1469598103934665603ULL;      /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)x[i]) * 1099511628211ULL;
	return h;
}

/* Append x (n bytes) and a NUL; false on out-of-memory. */
static bool xpool_add(struct xpool *xp, const char *x, size_t n, uint32_t *off)
{
	if (xp->len + n + 1 > xp->cap) {
		size_t cap = xp->cap ? xp->cap : 4096;
		while (cap < xp->len + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return false;
		char *q = realloc(xp->p, cap);
		if (!q)
			return false;
		xp->p = q;
		xp->cap = cap;
	}
	memcpy(xp->p + xp->len, x, n);
	xp->p[xp->len + n] = '\0';
	*off = (uint32_t)xp->len;
	xp->len += n + 1;
	return true;
}

/* Room for `expected` strings at most half full (never grown). */
static bool xset_init(struct xset *set, size_t expected)
{
	size_t cap = 16;
	while (cap < 2 * expected + 2)
		cap *= 2;
	set->slot = calloc(cap, sizeof *set->slot);
	set->mask = cap - 1;
	return set->slot != NULL;
}

/* The slot holding x, or the empty slot where it would go. */
static uint32_t *xset_find(const struct xset *set, const struct xpool *xp, const char *x,
                           size_t n)
{
	size_t i = (size_t)xhash(x, n) & set->mask;
	for (;; i = (i + 1) & set->mask) {
		uint32_t v = set->slot[i];
		if (v == 0)
			return &set->slot[i];
		const char *y = xp->p + (v - 1);
		if (memcmp(y, x, n) == 0 && y[n] == '\0')
			return &set->slot[i];
	}
}

static bool xset_has(const struct xset *set, const struct xpool *xp, const char *x, size_t n)
{
	return *xset_find(set, xp, x, n) != 0;
}

/* Add the pool's string at `off` (n bytes) unless present. */
static void xset_put(struct xset *set, const struct xpool *xp, uint32_t off, size_t n)
{
	uint32_t *slot = xset_find(set, xp, xp->p + off, n);
	if (*slot == 0)
		*slot = off + 1;
}

/* The plan's text around {n}: before_ and after_ point into the arena. */
static bool plan_frame(struct suggest_plan *plan, const char *b, size_t lb, const char *a,
                       size_t la)
{
	plan->before_ = arena_strndup(plan->arena_, b, lb);
	plan->after_ = arena_strndup(plan->arena_, a, la);
	return plan->before_ && plan->after_;
}

/* B + x + A into buf (RULES_TAG_MAX); false when it does not fit, as
 * suggest_expand's "suggested tag too long". */
static bool frame_tag(const struct suggest_plan *plan, const char *x, size_t n, char *buf)
{
	size_t lb = strlen(plan->before_), la = strlen(plan->after_);
	if (lb + n + la >= RULES_TAG_MAX)
		return false;
	memcpy(buf, plan->before_, lb);
	memcpy(buf + lb, x, n);
	memcpy(buf + lb + n, plan->after_, la + 1);
	return true;
}

/* The number-space method (see above) for a template with one {n} at
 * `at`.  PLAN_FULL writes out and checks every tag as plan_direct does;
 * PLAN_LAZY keeps the numbers. */
static enum ct_status plan_numbers(const struct notebook *nb,
                                   const struct ct_config *cfg,
                                   const struct detect_result *det,
                                   const char *lesson_option, size_t force,
                                   const char *tmpl, size_t at, enum plan_mode mode,
                                   struct suggest_plan *plan, struct ct_error *err)
{
	const char *prefix = rules_prefix(cfg);
	struct xpool xp = { 0 };
	struct xset used = { 0 }, reserved = { 0 };
	uint32_t *own = NULL;           /* pool offset of a named item's base */
	char ln[LESSON_MAX], tag[RULES_TAG_MAX], b[RULES_TAG_MAX], a[RULES_TAG_MAX];
	char *half = NULL;
	enum ct_status st = CT_OK;
	size_t ntags, want;

	want = plan_start(nb, cfg, det, lesson_option, force, plan, ln, sizeof ln, &ntags);
	if (want == 0)
		return CT_OK;
	plan->items = calloc(want, sizeof *plan->items);
	own = calloc(want, sizeof *own);
	plan->arena_ = arena_new();
	half = malloc(strlen(tmpl) + 1);
	if (!plan->items || !own || !plan->arena_ || !half || !xset_init(&used, ntags + want) ||
	    !xset_init(&reserved, want))
		goto nomem;
	/* B and A; a part that does not fit makes every candidate too long. */
	memcpy(half, tmpl, at);
	half[at] = '\0';
	if ((st = suggest_expand(half, prefix, plan->lesson, "", b, sizeof b, err)) != CT_OK ||
	    (st = suggest_expand(tmpl + at + 3, prefix, plan->lesson, "", a, sizeof a, err)) != CT_OK)
		goto out;
	size_t lb = strlen(b), la = strlen(a);
	if (!plan_frame(plan, b, lb, a, la))
		goto nomem;

	/* The numbers of the notebook's tags of the template's shape. */
	for (size_t i = 0; i < nb->ncells; i++)
		for (size_t t = 0; t < nb->cells[i].ntags; t++) {
			const char *tg = nb->cells[i].tags[t];
			size_t len = strlen(tg), n;
			uint32_t off;
			if (len < lb + la || memcmp(tg, b, lb) != 0 || memcmp(tg + len - la, a, la) != 0)
				continue;
			n = len - lb - la;
			if (xset_has(&used, &xp, tg + lb, n))
				continue;
			if (!xpool_add(&xp, tg + lb, n, &off))
				goto nomem;
			xset_put(&used, &xp, off, n);
		}

	/* Pass 1, as plan_direct's. */
	for (size_t i = 0; i < nb->ncells; i++) {
		if (!wants_suggestion(nb, cfg, det, i, force))
			continue;
		const struct suggestion *s = plan_item(plan, det, i);
		if (s->named) {
			char n[DETECT_NUMBER_MAX];
			number_for(det[i].number, ln, n, sizeof n);
			size_t nl = strlen(n);
			if (lb + nl + la >= RULES_TAG_MAX)
				goto too_long;
			if (!xpool_add(&xp, n, nl, &own[plan->n]))
				goto nomem;
			xset_put(&reserved, &xp, own[plan->n], nl);
		}
		plan->n++;
	}

	/* Pass 2, as plan_direct's: x is free when no tag has it and no named
	 * exercise but this one reserved it. */
	size_t counter = 1;
	for (size_t k = 0; k < plan->n; k++) {
		struct suggestion *s = &plan->items[k];
		char x[DETECT_NUMBER_MAX + 24];
		size_t xl;
		if (s->named) {
			const char *base = xp.p + own[k];
			size_t blen = strlen(base);
			memcpy(x, base, blen + 1);
			xl = blen;
			for (unsigned long dup = 1;; dup++) {
				if (dup > 1) {
					x[blen] = '-';
					utoa(dup, x + blen + 1);
					xl = strlen(x);
				}
				if (lb + xl + la >= RULES_TAG_MAX)
					goto too_long;
				if (!xset_has(&used, &xp, x, xl) &&
				    (strcmp(x, xp.p + own[k]) == 0 || !xset_has(&reserved, &xp, x, xl)))
					break;
			}
		} else {
			for (;; counter++) {
				xl = strlen(utoa(counter, x));
				if (lb + xl + la >= RULES_TAG_MAX)
					goto too_long;
				if (!xset_has(&used, &xp, x, xl) && !xset_has(&reserved, &xp, x, xl))
					break;
			}
			counter++;
		}
		uint32_t off;
		if (!xpool_add(&xp, x, xl, &off))
			goto nomem;
		xset_put(&used, &xp, off, xl);
		s->x_ = off;
		if (mode == PLAN_LAZY)
			continue;
		memcpy(tag, b, lb);
		memcpy(tag + lb, x, xl);
		memcpy(tag + lb + xl, a, la + 1);
		if ((st = check_tag(cfg, tag, err)) != CT_OK)
			goto out;
		if (!(s->tag = arena_strndup(plan->arena_, tag, strlen(tag))))
			goto nomem;
	}
	if (mode == PLAN_LAZY) {
		/* Keep the numbers, in a pool of their exact size. */
		plan->numbers_ = arena_alloc(plan->arena_, xp.len ? xp.len : 1);
		if (!plan->numbers_)
			goto nomem;
		memcpy(plan->numbers_, xp.p, xp.len);
	}
	goto out;
too_long:
	st = ct_error_set(err, CT_TAG, NULL, "suggested tag too long");
	goto out;
nomem:
	st = ct_error_set(err, CT_NOMEM, NULL, "out of memory");
out:
	free(half);
	free(own);
	free(xp.p);
	free(used.slot);
	free(reserved.slot);
	if (st != CT_OK)
		suggest_plan_free(plan);
	return st;
}

/* Where the template's only {n} is, or SIZE_MAX when it has none or more
 * than one (every "{n}" in it is expanded: see suggest_expand). */
static size_t single_n(const char *tmpl)
{
	const char *p = strstr(tmpl, "{n}");
	if (!p || strstr(p + 3, "{n}"))
		return SIZE_MAX;
	return (size_t)(p - tmpl);
}

static enum ct_status plan_build(const struct notebook *nb, const struct ct_config *cfg,
                                 const struct detect_result *det, const char *lesson_option,
                                 size_t force, enum plan_mode mode, struct suggest_plan *plan,
                                 struct ct_error *err)
{
	const char *tmpl = cfg && cfg->suggestion ? cfg->suggestion : CT_DEFAULT_SUGGESTION;
	size_t at = single_n(tmpl);
	if (mode == PLAN_DIRECT || at == SIZE_MAX)
		return plan_direct(nb, cfg, det, lesson_option, force, plan, err);
	return plan_numbers(nb, cfg, det, lesson_option, force, tmpl, at, mode, plan, err);
}

enum ct_status suggest_plan_tag(const struct suggest_plan *plan, const struct suggestion *s,
                                const struct ct_config *cfg, char *buf, size_t size,
                                struct ct_error *err)
{
	char tag[RULES_TAG_MAX];
	enum ct_status st;
	if (s->tag) {
		if (strlen(s->tag) >= sizeof tag)
			return ct_error_set(err, CT_TAG, NULL, "suggested tag too long");
		strcpy(tag, s->tag);
	} else {
		const char *x = plan->numbers_ + s->x_;
		if (!frame_tag(plan, x, strlen(x), tag))
			return ct_error_set(err, CT_TAG, NULL, "suggested tag too long");
		if ((st = check_tag(cfg, tag, err)) != CT_OK)
			return st;
	}
	if (strlen(tag) >= size)
		return ct_error_set(err, CT_TAG, NULL, "tag too long");
	strcpy(buf, tag);
	return CT_OK;
}

static enum ct_status notebook_plan(const struct notebook *nb, const struct ct_config *cfg,
                                    const struct detect_result *det,
                                    const char *lesson_option, enum plan_mode mode,
                                    struct suggest_plan *plan, struct ct_error *err)
{
	struct detect_result *owned = NULL;
	enum ct_status st;
	memset(plan, 0, sizeof *plan);
	if ((st = notebook_require_whole(nb, err)) != CT_OK)
		return st;
	if (!det && (st = detect_notebook_alloc(NULL, cfg, nb, &owned, err)))
		return st;
	st = plan_build(nb, cfg, det ? det : owned, lesson_option, NO_CELL, mode, plan, err);
	free(owned);
	return st;
}

enum ct_status suggest_notebook(const struct notebook *nb, const struct ct_config *cfg,
                                const struct detect_result *det, const char *lesson_option,
                                struct suggest_plan *plan, struct ct_error *err)
{
	return notebook_plan(nb, cfg, det, lesson_option, PLAN_FULL, plan, err);
}

enum ct_status suggest_notebook_lazy(const struct notebook *nb, const struct ct_config *cfg,
                                     const struct detect_result *det,
                                     const char *lesson_option, struct suggest_plan *plan,
                                     struct ct_error *err)
{
	return notebook_plan(nb, cfg, det, lesson_option, PLAN_LAZY, plan, err);
}

enum ct_status suggest_notebook_direct(const struct notebook *nb, const struct ct_config *cfg,
                                       const struct detect_result *det,
                                       const char *lesson_option, struct suggest_plan *plan,
                                       struct ct_error *err)
{
	return notebook_plan(nb, cfg, det, lesson_option, PLAN_DIRECT, plan, err);
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
	st = plan_build(nb, cfg, det ? det : owned, lesson_option, cell, PLAN_FULL, &plan,
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
