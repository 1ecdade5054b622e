/* cli_apply.c - `celltag apply PLAN.yaml [--dry-run] [--force] [--config FILE]`.
 *
 * Runs a batch plan (core/plan.h): everything is loaded and checked before
 * anything is written.  Output, per notebook that changes:
 *   PATH:
 *     cell 4 [a1b2c3]: -draft +assignment:lesson-03-exercise-1
 * then one summary line.  Exit statuses: 0 done (or nothing to do), 2 usage,
 * 3 invalid plan, configuration or notebook (nothing written), 4 a save
 * failed, 5 a notebook changed on disk (without --force).  After a failed
 * save, stderr lists which notebooks were written and which were not. */
#include "cli.h"
#include "cli_common.h"

#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "notebook.h"
#include "plan.h"
#include "save.h"

static const char apply_usage[] =
	"usage: celltag apply PLAN.yaml [--dry-run] [--force] [--config FILE]\n";

static bool tag_in(const char *tag, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tag, list[i]) == 0)
			return true;
	return false;
}

/* Print one notebook's changes: each cell whose tags differ from the
 * loaded ones, removals first. */
static void print_changes(FILE *out, const struct plan_notebook *pn)
{
	const struct notebook *nb = pn->nb;

	cli_put_text(out, pn->resolved);
	if (!notebook_modified(nb)) {
		fputs(": unchanged\n", out);
		return;
	}
	fputs(":\n", out);
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		bool any = false;

		for (size_t t = 0; t < c->nloaded_tags; t++)
			any |= !tag_in(c->loaded_tags[t], c->tags, c->ntags);
		for (size_t t = 0; t < c->ntags; t++)
			any |= !tag_in(c->tags[t], c->loaded_tags, c->nloaded_tags);
		if (!any)
			continue;
		fprintf(out, "  cell %zu", i);
		if (c->id) {
			fputs(" [", out);
			cli_put_text(out, c->id);
			fputc(']', out);
		}
		fputc(':', out);
		for (size_t t = 0; t < c->nloaded_tags; t++)
			if (!tag_in(c->loaded_tags[t], c->tags, c->ntags)) {
				fputs(" -", out);
				cli_put_text(out, c->loaded_tags[t]);
			}
		for (size_t t = 0; t < c->ntags; t++)
			if (!tag_in(c->tags[t], c->loaded_tags, c->nloaded_tags)) {
				fputs(" +", out);
				cli_put_text(out, c->tags[t]);
			}
		fputc('\n', out);
	}
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* After a failed save: which notebooks were written, which were not. */
static void print_save_report(FILE *err, const struct plan *p)
{
	for (size_t i = 0; i < p->nnotebooks; i++) {
		const struct plan_notebook *pn = &p->notebooks[i];
		const char *what;

		switch (pn->state) {
		case PLAN_NB_WRITTEN:     what = "written: "; break;
		case PLAN_NB_FAILED:      what = "NOT written (failed): "; break;
		case PLAN_NB_NOT_WRITTEN: what = "NOT written: "; break;
		default:                  continue;   /* unchanged */
		}
		fprintf(err, "celltag: apply: %s", what);
		cli_put_text(err, pn->resolved);
		fputc('\n', err);
	}
}

int cli_cmd_apply(int argc, char **argv, FILE *out, FILE *err)
{
	const char *plan_path = NULL, *config_path = NULL;
	bool dry_run = false, force = false, options = true;
	struct ct_config cfg;
	struct ct_error e;
	struct plan *plan = NULL;
	struct save_options so = { 0 };
	enum ct_status st;
	size_t changed, unchanged;
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options && strcmp(a, "--") == 0) {
			options = false;
		} else if (options && (strcmp(a, "--dry-run") == 0 || strcmp(a, "-n") == 0)) {
			dry_run = true;
		} else if (options && (strcmp(a, "--force") == 0 || strcmp(a, "-f") == 0)) {
			force = true;
		} else if (options && strcmp(a, "--config") == 0) {
			if (++i >= argc)
				return cli_usage_error(err, "apply", "--config needs a FILE");
			config_path = argv[i];
		} else if (options && strncmp(a, "--config=", 9) == 0) {
			config_path = a + 9;
		} else if (options && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			fputs(apply_usage, out);
			return CLI_EXIT_OK;
		} else if (options && a[0] == '-' && a[1]) {
			return cli_usage_error(err, "apply", "unknown option '%s'", a);
		} else if (plan_path) {
			return cli_usage_error(err, "apply", "one plan at a time ('%s' and '%s')",
			                       plan_path, a);
		} else {
			plan_path = a;
		}
	}
	if (!plan_path) {
		fputs(apply_usage, err);
		return CLI_EXIT_USAGE;
	}
	if (config_path && !config_path[0])
		return cli_usage_error(err, "apply", "--config needs a FILE");

	if ((rc = cli_config_load(&cfg, config_path, err)) != CLI_EXIT_OK)
		return rc;
	/* Every problem found before a write is "invalid input": exit 3. */
	ct_error_clear(&e);
	if ((st = plan_load(plan_path, &cfg, &plan, &e)) != CT_OK ||
	    (st = plan_prepare(plan, &e)) != CT_OK) {
		cli_print_error(err, &e);
		fputs("celltag: apply: nothing written\n", err);
		rc = CLI_EXIT_INPUT;
		goto done;
	}

	changed = plan_changed_count(plan);
	unchanged = plan->nnotebooks - changed;
	for (size_t i = 0; i < plan->nnotebooks; i++)
		print_changes(out, &plan->notebooks[i]);
	if (dry_run) {
		fprintf(out, "dry run: %zu notebook%s would change, %zu unchanged; "
		        "nothing written\n", changed, plural(changed), unchanged);
		rc = CLI_EXIT_OK;
		goto done;
	}
	so.force = force;
	if ((st = plan_save(plan, &so, &e)) != CT_OK) {
		cli_print_error(err, &e);
		print_save_report(err, plan);
		rc = st == CT_CONFLICT ? CLI_EXIT_CONFLICT : CLI_EXIT_WRITE;
		goto done;
	}
	fprintf(out, "wrote %zu notebook%s, %zu unchanged\n", changed,
	        plural(changed), unchanged);
	rc = CLI_EXIT_OK;
done:
	plan_free(&plan);
	config_free(&cfg);
	return rc;
}
