/* cli_suggest.c - `celltag suggest FILE [--apply] [--json]`.
 *
 * Lists each untagged exercise cell with its suggested tag (suggest.h):
 *   FILE:CELL: TAG [reason]
 * --apply adds them (notebook_tag_add) and saves once, losslessly and
 * atomically (notebook_save); then "FILE: added N tags" follows.
 * --json prints instead:
 *   { "version": 1, "notebook": FILE, "lesson": "lesson-03",
 *     "lesson_source": "file name", "applied": false,
 *     "suggestions": [ { "cell", "id" (string or null), "tag", "reason",
 *                        "named" } ... ] }
 * Exit: 0 ok, 2 usage, 3 unreadable or read-only, 4 write failed,
 * 5 the file changed on disk since it was read (nothing written).
 */
#include "cli.h"
#include "cli_common.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "notebook.h"
#include "save.h"
#include "suggest.h"

static const char suggest_help[] =
	"usage: celltag suggest FILE [--apply] [--json] [--lesson L] [--config FILE]\n"
	"\n"
	"Suggest an assignment tag for every exercise cell without one.\n"
	"  --apply         add the suggested tags and save the notebook\n"
	"  --json          print the suggestions as JSON\n"
	"  --lesson L      lesson for the tags (default: existing tags, file name)\n"
	"  --config FILE   configuration file\n"
	"Exit: 0 ok, 2 usage, 3 unreadable, 4 write failed, 5 changed on disk.\n";

static bool print_json(FILE *out, const struct notebook *nb, const char *file,
                       const struct suggest_plan *plan, bool applied)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return false;
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddStringToObject(root, "notebook", file);
	cJSON_AddStringToObject(root, "lesson", plan->lesson);
	cJSON_AddStringToObject(root, "lesson_source",
	                        lesson_source_name(plan->lesson_source));
	cJSON_AddBoolToObject(root, "applied", applied);
	cJSON *arr = cJSON_AddArrayToObject(root, "suggestions");
	for (size_t k = 0; k < plan->n && arr; k++) {
		const struct suggestion *s = &plan->items[k];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddNumberToObject(o, "cell", (double)s->cell);
		const char *id = s->cell < nb->ncells ? nb->cells[s->cell].id : NULL;
		if (id)
			cJSON_AddStringToObject(o, "id", id);
		else
			cJSON_AddNullToObject(o, "id");
		cJSON_AddStringToObject(o, "tag", s->tag);
		cJSON_AddStringToObject(o, "reason", detect_reason_name(s->reason));
		cJSON_AddBoolToObject(o, "named", s->named);
		cJSON_AddItemToArray(arr, o);
	}
	bool ok = cli_json_print(out, root);
	cJSON_Delete(root);
	return ok;
}

int cli_cmd_suggest(int argc, char **argv, FILE *out, FILE *err)
{
	struct cli_opts o;
	int rc = cli_opts_parse(argc, argv, "suggest", CLI_OPT_APPLY | CLI_OPT_JSON,
	                        NULL, suggest_help, &o, out, err);
	if (rc >= 0)
		return rc;
	if (argc - o.first != 1)
		return cli_usage_error(err, "suggest", "expected one FILE (usage: "
		                       "celltag suggest FILE [--apply] [--json])");
	const char *file = argv[o.first];

	struct ct_config cfg;
	struct ct_error e;
	struct notebook *nb = NULL;
	struct suggest_plan plan = { 0 };
	enum ct_status st;

	if ((rc = cli_config_load(&cfg, o.config, err)) != CLI_EXIT_OK)
		return rc;
	ct_error_clear(&e);
	if ((st = notebook_load(file, &nb, &e)) != CT_OK) {
		rc = cli_report(err, &e, st, NULL);
		goto out;
	}
	if ((st = suggest_notebook(nb, &cfg, NULL, o.lesson, &plan, &e)) != CT_OK) {
		rc = cli_report(err, &e, st, file);
		goto out;
	}

	size_t added = 0;
	if (o.apply && plan.n > 0) {
		for (size_t k = 0; k < plan.n; k++) {
			bool changed = false;
			st = notebook_tag_add(nb, plan.items[k].cell,
			                      plan.items[k].tag, &changed, &e);
			if (st != CT_OK) {
				rc = cli_report(err, &e, st, file);
				goto out;
			}
			added += changed;
		}
		if ((st = notebook_save(&nb, NULL, false, &e)) != CT_OK) {
			rc = cli_report(err, &e, st, file);
			goto out;
		}
	}

	if (o.json) {
		if (!print_json(out, nb, file, &plan, o.apply && plan.n > 0)) {
			fprintf(err, "celltag: suggest: out of memory\n");
			rc = CLI_EXIT_INPUT;
		}
	} else {
		for (size_t k = 0; k < plan.n; k++) {
			const struct suggestion *s = &plan.items[k];
			cli_put_text(out, file);
			fprintf(out, ":%zu: ", s->cell);
			cli_put_text(out, s->tag);
			fprintf(out, " [%s]\n", detect_reason_name(s->reason));
		}
		if (o.apply) {
			cli_put_text(out, file);
			fprintf(out, ": added %zu tag%s\n", added,
			        added == 1 ? "" : "s");
		}
	}
out:
	suggest_plan_free(&plan);
	notebook_free(&nb);
	config_free(&cfg);
	return rc;
}
