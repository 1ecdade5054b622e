/* coverage.c - per-notebook tagging counts (see coverage.h). */
#include "coverage.h"

#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rules.h"
#include "suggest.h"

void coverage_row_free(struct coverage_row *row)
{
	if (!row)
		return;
	free(row->path);
	free(row->tag_ids);     /* pointers and strings are one block */
	memset(row, 0, sizeof *row);
}

void coverage_totals_add(struct coverage_totals *t,
                         const struct coverage_row *row)
{
	t->notebooks++;
	if (!row->ok) {
		t->failed++;
		return;
	}
	t->code_cells += row->code_cells;
	t->exercise_cells += row->exercise_cells;
	t->tagged_cells += row->tagged_cells;
	t->untagged_exercises += row->untagged_exercises;
	t->lint_errors += row->lint_errors;
	t->lint_warnings += row->lint_warnings;
	t->lint_infos += row->lint_infos;
	t->tag_ids += row->ntag_ids;
}

/* Copy the assignment tag ids into one block: pointers then strings. */
static bool collect_ids(const struct notebook *nb, const struct ct_config *cfg,
                        struct coverage_row *row)
{
	size_t plen = strlen(rules_prefix(cfg));
	size_t n = 0, bytes = 0;
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		for (size_t t = 0; t < c->ntags; t++) {
			if (rules_is_assignment(cfg, c->tags[t])) {
				n++;
				bytes += strlen(c->tags[t]) - plen + 1;
			}
		}
	}
	if (n == 0)
		return true;
	char **v = malloc(n * sizeof *v + bytes);
	if (!v)
		return false;
	char *s = (char *)(v + n);
	size_t k = 0;
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		for (size_t t = 0; t < c->ntags; t++) {
			if (!rules_is_assignment(cfg, c->tags[t]))
				continue;
			size_t l = strlen(c->tags[t] + plen);
			v[k++] = memcpy(s, c->tags[t] + plen, l + 1);
			s += l + 1;
		}
	}
	row->tag_ids = v;
	row->ntag_ids = n;
	return true;
}

enum ct_status coverage_scan_notebook(const struct notebook *nb,
                                      const char *path,
                                      const struct ct_config *cfg,
                                      const struct detector *det,
                                      const char *lesson_option,
                                      struct coverage_row *row,
                                      struct ct_error *err)
{
	struct detect_result *res = NULL;
	struct lint_report rep = { .counts_only = true };
	enum ct_status st;

	memset(row, 0, sizeof *row);
	if ((st = notebook_require_whole(nb, err)) != CT_OK)
		return st;
	row->path = strdup(path ? path : nb->path ? nb->path : "");
	if (!row->path)
		goto nomem;
	if ((st = detect_notebook_alloc(det, cfg, nb, &res, err)) != CT_OK)
		goto fail;

	row->cells = nb->ncells;
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		bool tagged = suggest_cell_tagged(c, cfg);
		row->code_cells += c->kind == NB_CODE;
		row->exercise_cells += res[i].is_exercise;
		row->tagged_cells += tagged;
		row->untagged_exercises += res[i].is_exercise && !tagged;
	}
	if ((st = lint_notebook(nb, cfg, res, lesson_option, &rep, err)) != CT_OK)
		goto fail;
	row->lint_errors = rep.count[RULES_ERROR];
	row->lint_warnings = rep.count[RULES_WARNING];
	row->lint_infos = rep.count[RULES_INFO];
	if (!collect_ids(nb, cfg, row))
		goto nomem;
	row->ok = true;
	goto out;
nomem:
	st = ct_error_set(err, CT_NOMEM, NULL, "out of memory");
fail:
	if (err)
		row->error = *err;
	else
		row->error.status = st;
out:
	lint_report_free(&rep);
	free(res);
	return st;
}

enum ct_status coverage_scan_file_with(const char *path,
                                       const struct ct_config *cfg,
                                       const struct detector *det,
                                       const char *lesson_option,
                                       struct coverage_row *row,
                                       struct ct_error *err)
{
	struct notebook *nb = NULL;
	struct ct_error e;
	ct_error_clear(&e);
	enum ct_status st = notebook_load(path, &nb, &e);
	if (st != CT_OK) {
		memset(row, 0, sizeof *row);
		row->path = strdup(path);
		row->error = e;
		if (e.status == CT_OK)
			row->error.status = st;
		if (err)
			*err = e;
		return st;
	}
	st = coverage_scan_notebook(nb, path, cfg, det, lesson_option, row, err);
	notebook_free(&nb);
	return st;
}

enum ct_status coverage_scan_file(const char *path,
                                  const struct ct_config *cfg,
                                  struct coverage_row *row,
                                  struct ct_error *err)
{
	return coverage_scan_file_with(path, cfg, NULL, NULL, row, err);
}
