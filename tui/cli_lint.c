/* cli_lint.c - `celltag lint PATH... [--json] [--strict]`.
 *
 * Output, one line per finding, sorted by file (path order), cell, severity
 * and code:
 *   FILE:CELL: severity: message [code]
 *   FILE: severity: message [code]          (about the whole notebook)
 * Unreadable notebooks are reported on stderr as "celltag: FILE:LINE:COL:
 * message" and the others are still checked.
 *
 * --json prints one object instead (cJSON):
 *   { "version": 1,
 *     "findings": [ { "file", "cell" (number or null), "severity", "code",
 *                     "message" } ... ],
 *     "errors": [ { "file", "status", "message", "line", "col" } ... ],
 *     "summary": { "notebooks", "unreadable", "errors", "warnings",
 *                  "infos" } }
 *
 * Exit: 0 no errors or warnings (with --strict: no findings at all), 1 when
 * there are, 3 when a notebook could not be read (wins over 1), 2 usage.
 */
#include "cli.h"
#include "cli_common.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "detect.h"
#include "lint.h"
#include "notebook.h"
#include "walk.h"

static const char lint_help[] =
	"usage: celltag lint PATH... [--json] [--strict] [--lesson L] [--config FILE]\n"
	"\n"
	"Check the tags of notebooks; folders are searched recursively.\n"
	"  --json          print the findings as JSON\n"
	"  --strict        exit 1 on any finding, infos included\n"
	"  --lesson L      lesson the notebooks belong to (default: file name)\n"
	"  --config FILE   configuration file\n"
	"Exit: 0 clean, 1 findings, 2 usage, 3 a notebook could not be read.\n";

static void print_finding(FILE *out, const char *file,
                          const struct lint_finding *f)
{
	cli_put_text(out, file);
	if (f->cell >= 0)
		fprintf(out, ":%ld", f->cell);
	fprintf(out, ": %s: ", rules_severity_name(f->severity));
	cli_put_text(out, f->message);
	fprintf(out, " [%s]\n", rules_code_name(f->code));
}

static cJSON *finding_json(const char *file, const struct lint_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "file", file);
	if (f->cell >= 0)
		cJSON_AddNumberToObject(o, "cell", (double)f->cell);
	else
		cJSON_AddNullToObject(o, "cell");
	cJSON_AddStringToObject(o, "severity", rules_severity_name(f->severity));
	cJSON_AddStringToObject(o, "code", rules_code_name(f->code));
	cJSON_AddStringToObject(o, "message", f->message);
	return o;
}

static cJSON *error_json(const char *file, const struct ct_error *e)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "file", file);
	cli_json_error_fields(o, e);
	return o;
}

int cli_cmd_lint(int argc, char **argv, FILE *out, FILE *err)
{
	struct cli_opts o;
	int rc = cli_opts_parse(argc, argv, "lint", CLI_OPT_JSON | CLI_OPT_STRICT,
	                        NULL, lint_help, &o, out, err);
	if (rc >= 0)
		return rc;
	char **paths = argv + o.first;
	size_t npaths = (size_t)(argc - o.first);
	if (npaths == 0)
		return cli_usage_error(err, "lint", "no PATH given (usage: "
		                       "celltag lint PATH... [--json] [--strict])");

	struct ct_config cfg;
	if ((rc = cli_config_load(&cfg, o.config, err)) != CLI_EXIT_OK)
		return rc;

	struct walk_list list = { 0 };
	struct detector *det = NULL;
	size_t counts[3] = { 0 }, unreadable = 0;
	cJSON *root = NULL, *jfind = NULL, *jerr = NULL;
	bool oom = !cli_collect(paths, npaths, &cfg, &list, &det);

	if (o.json) {
		root = cJSON_CreateObject();
		jfind = cJSON_CreateArray();
		jerr = cJSON_CreateArray();
		if (!root || !jfind || !jerr)
			oom = true;
	}

	for (size_t i = 0; i < list.n && !oom; i++) {
		struct walk_entry *w = &list.v[i];
		struct notebook *nb = NULL;
		struct ct_error le = w->error;
		enum ct_status st = le.status;
		if (st == CT_OK) {
			ct_error_clear(&le);
			st = notebook_load(w->path, &nb, &le);
		}
		if (st != CT_OK) {
			unreadable++;
			cli_report(err, &le, st, w->path);
			if (o.json)
				cJSON_AddItemToArray(jerr, error_json(w->path, &le));
			continue;
		}
		struct detect_result *res;
		if (detect_notebook_alloc(det, &cfg, nb, &res, &le) != CT_OK) {
			oom = true;
			notebook_free(&nb);
			break;
		}
		struct lint_report rep = { 0 };
		ct_error_clear(&le);
		st = lint_notebook(nb, &cfg, res, o.lesson, &rep, &le);
		if (st != CT_OK) {
			cli_report(err, &le, st, w->path);
			unreadable++;
		}
		for (size_t k = 0; k < rep.n; k++) {
			const struct lint_finding *f = &rep.findings[k];
			counts[f->severity]++;
			if (o.json)
				cJSON_AddItemToArray(jfind, finding_json(w->path, f));
			else
				print_finding(out, w->path, f);
		}
		lint_report_free(&rep);
		free(res);
		notebook_free(&nb);
	}

	if (o.json && !oom) {
		cJSON *sum = cJSON_CreateObject();
		cJSON_AddNumberToObject(root, "version", 1);
		cJSON_AddItemToObject(root, "findings", jfind);
		cJSON_AddItemToObject(root, "errors", jerr);
		jfind = jerr = NULL;
		cJSON_AddNumberToObject(sum, "notebooks", (double)list.n);
		cJSON_AddNumberToObject(sum, "unreadable", (double)unreadable);
		cJSON_AddNumberToObject(sum, "errors", (double)counts[RULES_ERROR]);
		cJSON_AddNumberToObject(sum, "warnings",
		                        (double)counts[RULES_WARNING]);
		cJSON_AddNumberToObject(sum, "infos", (double)counts[RULES_INFO]);
		cJSON_AddItemToObject(root, "summary", sum);
		oom = !cli_json_print(out, root);
	}
	cJSON_Delete(root);
	cJSON_Delete(jfind);
	cJSON_Delete(jerr);
	detector_free(&det);
	walk_list_free(&list);
	config_free(&cfg);

	if (oom) {
		fprintf(err, "celltag: lint: out of memory\n");
		return CLI_EXIT_INPUT;
	}
	if (unreadable)
		return CLI_EXIT_INPUT;
	if (counts[RULES_ERROR] || counts[RULES_WARNING] ||
	    (o.strict && counts[RULES_INFO]))
		return CLI_EXIT_FINDINGS;
	return CLI_EXIT_OK;
}
