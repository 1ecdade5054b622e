/* fuzz_plan.c - libFuzzer target: plan_parse (core/plan.h) on any bytes.
 *
 * Only the parse phase: plan_prepare would read files named by the input.
 * Properties: a failure is CT_PLAN (or CT_NOMEM/CT_TOOBIG) with one line
 * naming the plan and no plan; a success has, for every step, exactly one
 * selector, at least one tag, schema-valid added tags with positions, and
 * notebook paths joined to the base folder.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "notebook.h"
#include "plan.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Added tags must be schema-valid; removed ones only non-empty (a plan
 * may remove the malformed tags real files hold). */
static void check_tags(const struct plan_tag *t, size_t n, bool adding)
{
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(t[i].tag != NULL && t[i].tag[0] != '\0', "tag %zu", i);
		FUZZ_CHECK(!adding || tag_schema_valid(t[i].tag, NULL),
		           "invalid tag '%s' added", t[i].tag);
		FUZZ_CHECK(t[i].line >= 1 && t[i].col >= 1, "tag position");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan *p = NULL;
	struct ct_error err;
	ct_error_clear(&err);
	enum ct_status st = plan_parse((const char *)data, size, "fuzz.yaml",
	                               "/nonexistent/base", NULL, &p, &err);
	if (st != CT_OK) {
		FUZZ_CHECK(p == NULL, "a plan on failure");
		FUZZ_CHECK(st == CT_PLAN || st == CT_NOMEM || st == CT_TOOBIG,
		           "status %s", ct_status_name(st));
		FUZZ_CHECK_ERROR(&err, st);
		FUZZ_CHECK(strcmp(err.path, "fuzz.yaml") == 0, "path '%s'", err.path);
		return 0;
	}
	FUZZ_CHECK(p != NULL, "CT_OK without a plan");
	for (size_t i = 0; i < p->nnotebooks; i++) {
		const struct plan_notebook *n = &p->notebooks[i];
		FUZZ_CHECK(n->path && n->resolved, "notebook %zu paths", i);
		FUZZ_CHECK(n->path[0] == '/' ||
		           strncmp(n->resolved, "/nonexistent/base/", 18) == 0,
		           "'%s' resolved to '%s'", n->path, n->resolved);
		FUZZ_CHECK(n->nb == NULL && n->state == PLAN_NB_PENDING, "state");
		for (size_t s = 0; s < n->nsteps; s++) {
			const struct plan_step *sp = &n->steps[s];
			FUZZ_CHECK(sp->nadd + sp->nremove > 0, "step without tags");
			FUZZ_CHECK(sp->select == PLAN_BY_INDEX || sp->text != NULL,
			           "selector text");
			FUZZ_CHECK(sp->kind >= -1 && sp->kind <= NB_OTHER, "kind %d",
			           sp->kind);
			check_tags(sp->add, sp->nadd, true);
			check_tags(sp->remove, sp->nremove, false);
		}
	}
	FUZZ_CHECK(plan_changed_count(p) == 0, "changes before prepare");
	plan_free(&p);
	FUZZ_CHECK(p == NULL, "plan_free left a pointer");
	return 0;
}
