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
#include "parallel.h"
#include "walk.h"

static const char lint_help[] =
	"usage: celltag lint PATH... [--json] [--strict] [--lesson L] [--config FILE]\n"
	"                    [-j N]\n"
	"\n"
	"Check the tags of notebooks; folders are searched recursively.\n"
	"  --json          print the findings as JSON\n"
	"  --strict        exit 1 on any finding, infos included\n"
	"  --lesson L      lesson the notebooks belong to (default: file name)\n"
	"  --config FILE   configuration file\n"
	"  -j, --jobs N    notebooks read at once (default: one per CPU, within 1 GiB)\n"
	"Exit: 0 clean, 1 findings, 2 usage, 3 a notebook could not be read.\n";

/* Notebooks linted at once before their findings are printed. */
#define LINT_BATCH 256

struct lint_item {
	struct lint_report rep;
	struct ct_error err;
	enum ct_status st;
	bool loaded;                    /* false: st is the load error */
	bool oom;
};

/* What the threads of one batch share, read-only but for items[i]. */
struct lint_batch {
	const struct walk_list *list;
	size_t first;                   /* list index of items[0] */
	const struct ct_config *cfg;
	const struct detector *det;
	const char *lesson;
	struct lint_item *items;
};

static void lint_one(void *ctx, size_t i)
{
	const struct lint_batch *lb = ctx;
	const struct walk_entry *w = &lb->list->v[lb->first + i];
	struct lint_item *it = &lb->items[i];
	struct notebook *nb = NULL;
	struct detect_result *res = NULL;

	it->err = w->error;
	it->st = it->err.status;
	if (it->st == CT_OK) {
		ct_error_clear(&it->err);
		it->st = notebook_load(w->path, &nb, &it->err);
	}
	if (it->st != CT_OK) {
		it->oom = it->st == CT_NOMEM;
		return;
	}
	it->loaded = true;
	if (detect_notebook_alloc(lb->det, lb->cfg, nb, &res, &it->err) != CT_OK) {
		it->oom = true;
	} else {
		ct_error_clear(&it->err);
		it->st = lint_notebook(nb, lb->cfg, res, lb->lesson, &it->rep,
		                       &it->err);
		it->oom = it->st == CT_NOMEM;
	}
	free(res);
	notebook_free(&nb);
}

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
	int rc = cli_opts_parse(argc, argv, "lint", CLI_OPT_JSON | CLI_OPT_STRICT | CLI_OPT_JOBS,
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

	/* Notebooks are linted side by side in batches, then printed in order;
	 * a batch bounds the findings held at once. */
	struct lint_item *items = NULL;
	unsigned jobs = cli_jobs(&o, &list);
	if (!oom && !(items = calloc(LINT_BATCH, sizeof *items)))
		oom = true;
	for (size_t b = 0; b < list.n && !oom; b += LINT_BATCH) {
		size_t n = list.n - b < LINT_BATCH ? list.n - b : LINT_BATCH;
		struct lint_batch lb = { &list, b, &cfg, det, o.lesson, items };
		parallel_for(n, jobs < n ? jobs : (unsigned)n, lint_one, &lb);
		for (size_t k = 0; k < n; k++) {
			struct lint_item *it = &items[k];
			const char *path = list.v[b + k].path;
			oom |= it->oom;
			if (it->st != CT_OK && !it->oom) {
				unreadable++;
				cli_report(err, &it->err, it->st, path);
				if (o.json && !it->loaded)
					cJSON_AddItemToArray(jerr, error_json(path, &it->err));
			}
			for (size_t f = 0; f < it->rep.n && !oom; f++) {
				const struct lint_finding *fi = &it->rep.findings[f];
				counts[fi->severity]++;
				if (o.json)
					cJSON_AddItemToArray(jfind, finding_json(path, fi));
				else
					print_finding(out, path, fi);
			}
			lint_report_free(&it->rep);
			memset(it, 0, sizeof *it);
		}
	}
	free(items);

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
