/* cli_coverage.c - `celltag coverage PATH... [--format table|markdown|csv|json]`.
 *
 * One row per notebook in path order.  The notebook column is the path
 * relative to the argument when a single folder is given, else the path as
 * found.  Notebooks that cannot be read keep their row, with the error.
 *
 * table     aligned columns NOTEBOOK CODE EXERCISES TAGGED UNTAGGED TAG IDS,
 *           cut to 80 columns, then a TOTAL line
 * markdown  | Notebook | Tagged Cells | Tag IDs | Code Cells |
 *           Exercise Cells | Untagged Exercises |, then a **Total** row
 * csv       notebook,code_cells,exercise_cells,tagged_cells,
 *           untagged_exercises,tag_ids,lint_errors,lint_warnings,error
 *           (tag ids separated by spaces; RFC 4180 quoting; control
 *           characters escaped as \e, \n, \xNN like the plain output)
 * json      { "version": 1,
 *             "notebooks": [ { "notebook", "path", "code_cells",
 *                 "exercise_cells", "tagged_cells", "untagged_exercises",
 *                 "lint_errors", "lint_warnings", "lint_infos",
 *                 "tag_ids": [..] }
 *               or { "notebook", "path", "error": { "status", "message",
 *                 "line", "col" } } ],
 *             "totals": { "notebooks", "failed", "code_cells",
 *                 "exercise_cells", "tagged_cells", "untagged_exercises",
 *                 "lint_errors", "lint_warnings" } }
 *
 * Exit: 0, or 3 when a notebook could not be read (errors also go to
 * stderr as "celltag: FILE:LINE:COL: message"), 2 usage.
 */
#include "cli.h"
#include "cli_common.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "coverage.h"
#include "detect.h"
#include "parallel.h"
#include "sanitize.h"
#include "walk.h"

#define TABLE_COLS 80
#define NAME_MAX_COLS 28

enum cov_format { FMT_TABLE, FMT_MARKDOWN, FMT_CSV, FMT_JSON };

static const char coverage_help[] =
	"usage: celltag coverage PATH... [--format table|markdown|csv|json]\n"
	"                        [--lesson L] [--config FILE] [-j N]\n"
	"\n"
	"Per notebook: code cells, exercise cells, cells with an assignment tag,\n"
	"exercise cells without one, and the assignment tag ids.\n"
	"  -f, --format F  table (default), markdown, csv or json\n"
	"  --json          the same as --format json\n"
	"  --lesson L      lesson the notebooks belong to (default: file name)\n"
	"  --config FILE   configuration file\n"
	"  -j, --jobs N    notebooks read at once (default: one per CPU, within 1 GiB)\n"
	"Exit: 0 ok, 2 usage, 3 a notebook could not be read (its row shows why).\n";

struct cov_row {
	const char *name;               /* display name (into walk entry) */
	struct coverage_row row;
	bool oom;
};

/* What every thread of the scan shares, read-only. */
struct cov_scan {
	const struct walk_list *list;
	const struct ct_config *cfg;
	const struct detector *det;
	const char *lesson;
	struct cov_row *rows;           /* item i writes rows[i] only */
};

static void scan_one(void *ctx, size_t i)
{
	const struct cov_scan *sc = ctx;
	const struct walk_entry *w = &sc->list->v[i];
	struct cov_row *r = &sc->rows[i];
	if (w->error.status != CT_OK) {
		r->row.path = strdup(w->path);
		r->row.error = w->error;
		r->oom = !r->row.path;
		return;
	}
	struct ct_error le;
	ct_error_clear(&le);
	r->oom = coverage_scan_file_with(w->path, sc->cfg, sc->det, sc->lesson,
	                                 &r->row, &le) == CT_NOMEM;
}

/* ---- table ------------------------------------------------------------ */

/* Write s escaped, cut to max columns; pad to `pad` columns (left
 * aligned) when pad > 0.  A cut name keeps its end (the file name). */
static void put_cell(FILE *out, const char *s, int max, int pad, bool keep_end)
{
	char buf[1024];
	size_t len = strlen(s);
	int w = sanitize_width(s, len);
	if (keep_end && max > 3 && w > max) {
		/* drop leading bytes until it fits, on a character boundary */
		size_t off = 0;
		while (off < len && sanitize_width(s + off, len - off) > max - 3) {
			off++;
			while (off < len && ((unsigned char)s[off] & 0xc0) == 0x80)
				off++;
		}
		sanitize_escape_plain(s + off, len - off, max - 3, 0, buf + 3,
		                      sizeof buf - 3);
		memcpy(buf, "...", 3);
	} else {
		sanitize_escape_plain(s, len, max, 0, buf, sizeof buf);
	}
	fputs(buf, out);
	for (int k = sanitize_width(buf, strlen(buf)); k < pad; k++)
		fputc(' ', out);
}

static void join_ids(const struct coverage_row *r, const char *sep,
                     char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->ntag_ids && n + 1 < size; i++) {
		int w = snprintf(buf + n, size - n, "%s%s", i ? sep : "",
		                 r->tag_ids[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n >= size)
		buf[size - 1] = '\0';
}

static void print_table(FILE *out, const struct cov_row *rows, size_t n,
                        const struct coverage_totals *t)
{
	char total[64];
	snprintf(total, sizeof total, "TOTAL (%zu)", t->notebooks);
	int namew = (int)strlen(total);
	for (size_t i = 0; i < n; i++) {
		int w = sanitize_width(rows[i].name, strlen(rows[i].name));
		if (w > namew)
			namew = w;
	}
	if (namew > NAME_MAX_COLS)
		namew = NAME_MAX_COLS;
	/* NOTEBOOK  CODE  EXERCISES  TAGGED  UNTAGGED  TAG IDS */
	int rest = TABLE_COLS - (namew + 2 + 4 + 2 + 9 + 2 + 6 + 2 + 8 + 2);
	if (rest < 8)
		rest = 8;

	put_cell(out, "NOTEBOOK", namew, namew, false);
	fprintf(out, "  %4s  %9s  %6s  %8s  TAG IDS\n", "CODE", "EXERCISES",
	        "TAGGED", "UNTAGGED");
	char ids[65536];
	for (size_t i = 0; i < n; i++) {
		const struct coverage_row *r = &rows[i].row;
		put_cell(out, rows[i].name, namew, namew, true);
		if (!r->ok) {
			char msg[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
			ct_error_format(&r->error, msg, sizeof msg);
			fputs("  error: ", out);
			put_cell(out, msg, TABLE_COLS - namew - 9, 0, false);
			fputc('\n', out);
			continue;
		}
		fprintf(out, "  %4zu  %9zu  %6zu  %8zu  ", r->code_cells,
		        r->exercise_cells, r->tagged_cells, r->untagged_exercises);
		join_ids(r, ", ", ids, sizeof ids);
		put_cell(out, ids, rest, 0, false);
		fputc('\n', out);
	}
	put_cell(out, total, namew, namew, false);
	fprintf(out, "  %4zu  %9zu  %6zu  %8zu", t->code_cells,
	        t->exercise_cells, t->tagged_cells, t->untagged_exercises);
	if (t->failed)
		fprintf(out, "  %zu unreadable", t->failed);
	fputc('\n', out);
}

/* ---- markdown --------------------------------------------------------- */

/* Escaped text with '|' as "\|" so it stays in its cell. */
static void md_text(FILE *out, const char *s)
{
	const char *p = s;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		sanitize_escape_plain_fp(out, p, len, 0, 0);
		if (!bar)
			break;
		fputs("\\|", out);
		p = bar + 1;
	}
}

static void print_markdown(FILE *out, const struct cov_row *rows, size_t n,
                           const struct coverage_totals *t)
{
	fputs("| Notebook | Tagged Cells | Tag IDs | Code Cells | "
	      "Exercise Cells | Untagged Exercises |\n"
	      "|---|---:|---|---:|---:|---:|\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct coverage_row *r = &rows[i].row;
		fputs("| ", out);
		md_text(out, rows[i].name);
		if (!r->ok) {
			char msg[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
			ct_error_format(&r->error, msg, sizeof msg);
			fputs(" | error: ", out);
			md_text(out, msg);
			fputs(" | | | | |\n", out);
			continue;
		}
		fprintf(out, " | %zu | ", r->tagged_cells);
		for (size_t k = 0; k < r->ntag_ids; k++) {
			bool tick = !strchr(r->tag_ids[k], '`');
			fputs(k ? ", " : "", out);
			fputs(tick ? "`" : "", out);
			md_text(out, r->tag_ids[k]);
			fputs(tick ? "`" : "", out);
		}
		fprintf(out, " | %zu | %zu | %zu |\n", r->code_cells,
		        r->exercise_cells, r->untagged_exercises);
	}
	fprintf(out, "| **Total** (%zu notebook%s", t->notebooks,
	        t->notebooks == 1 ? "" : "s");
	if (t->failed)
		fprintf(out, ", %zu unreadable", t->failed);
	fprintf(out, ") | %zu | %zu tags | %zu | %zu | %zu |\n", t->tagged_cells,
	        t->tag_ids, t->code_cells, t->exercise_cells,
	        t->untagged_exercises);
}

/* ---- csv -------------------------------------------------------------- */

/* A CSV field: terminal controls escaped as in plain output (a CSV is
 * often looked at with cat), then RFC 4180 quoting when needed. */
static void csv_field(FILE *out, const char *raw)
{
	size_t len = strlen(raw);
	size_t need = sanitize_escape_plain(raw, len, 0, 0, NULL, 0);
	char *s = malloc(need + 1);
	if (!s)
		return;
	sanitize_escape_plain(raw, len, 0, 0, s, need + 1);
	if (!strpbrk(s, ",\"")) {
		fputs(s, out);
	} else {
		fputc('"', out);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	}
	free(s);
}

static void print_csv(FILE *out, const struct cov_row *rows, size_t n)
{
	char ids[65536];
	fputs("notebook,code_cells,exercise_cells,tagged_cells,"
	      "untagged_exercises,tag_ids,lint_errors,lint_warnings,error\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		const struct coverage_row *r = &rows[i].row;
		csv_field(out, rows[i].name);
		if (!r->ok) {
			char msg[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
			ct_error_format(&r->error, msg, sizeof msg);
			fputs(",,,,,,,,", out);
			csv_field(out, msg);
			fputc('\n', out);
			continue;
		}
		fprintf(out, ",%zu,%zu,%zu,%zu,", r->code_cells,
		        r->exercise_cells, r->tagged_cells, r->untagged_exercises);
		join_ids(r, " ", ids, sizeof ids);
		csv_field(out, ids);
		fprintf(out, ",%zu,%zu,\n", r->lint_errors, r->lint_warnings);
	}
}

/* ---- json ------------------------------------------------------------- */

static bool print_json(FILE *out, const struct cov_row *rows, size_t n,
                       const struct coverage_totals *t)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = cJSON_CreateArray();
	cJSON *tot = cJSON_CreateObject();
	if (!root || !arr || !tot) {
		cJSON_Delete(root);
		cJSON_Delete(arr);
		cJSON_Delete(tot);
		return false;
	}
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddItemToObject(root, "notebooks", arr);
	for (size_t i = 0; i < n; i++) {
		const struct coverage_row *r = &rows[i].row;
		cJSON *o = cJSON_CreateObject();
		if (!o)
			continue;
		cJSON_AddStringToObject(o, "notebook", rows[i].name);
		cJSON_AddStringToObject(o, "path", r->path ? r->path : "");
		if (!r->ok) {
			cli_json_error_fields(cJSON_AddObjectToObject(o, "error"),
			                      &r->error);
		} else {
			cJSON_AddNumberToObject(o, "code_cells", (double)r->code_cells);
			cJSON_AddNumberToObject(o, "exercise_cells",
			                        (double)r->exercise_cells);
			cJSON_AddNumberToObject(o, "tagged_cells",
			                        (double)r->tagged_cells);
			cJSON_AddNumberToObject(o, "untagged_exercises",
			                        (double)r->untagged_exercises);
			cJSON_AddNumberToObject(o, "lint_errors",
			                        (double)r->lint_errors);
			cJSON_AddNumberToObject(o, "lint_warnings",
			                        (double)r->lint_warnings);
			cJSON_AddNumberToObject(o, "lint_infos", (double)r->lint_infos);
			cJSON *ids = cJSON_AddArrayToObject(o, "tag_ids");
			for (size_t k = 0; k < r->ntag_ids && ids; k++)
				cJSON_AddItemToArray(ids,
				                     cJSON_CreateString(r->tag_ids[k]));
		}
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddNumberToObject(tot, "notebooks", (double)t->notebooks);
	cJSON_AddNumberToObject(tot, "failed", (double)t->failed);
	cJSON_AddNumberToObject(tot, "code_cells", (double)t->code_cells);
	cJSON_AddNumberToObject(tot, "exercise_cells", (double)t->exercise_cells);
	cJSON_AddNumberToObject(tot, "tagged_cells", (double)t->tagged_cells);
	cJSON_AddNumberToObject(tot, "untagged_exercises",
	                        (double)t->untagged_exercises);
	cJSON_AddNumberToObject(tot, "lint_errors", (double)t->lint_errors);
	cJSON_AddNumberToObject(tot, "lint_warnings", (double)t->lint_warnings);
	cJSON_AddItemToObject(root, "totals", tot);
	bool ok = cli_json_print(out, root);
	cJSON_Delete(root);
	return ok;
}

int cli_cmd_coverage(int argc, char **argv, FILE *out, FILE *err)
{
	static const char *const formats[] = {
		[FMT_TABLE] = "table", [FMT_MARKDOWN] = "markdown",
		[FMT_CSV] = "csv", [FMT_JSON] = "json", NULL
	};
	struct cli_opts o;
	int rc = cli_opts_parse(argc, argv, "coverage", CLI_OPT_JSON | CLI_OPT_JOBS, formats, coverage_help,
	                        &o, out, err);
	if (rc >= 0)
		return rc;
	if (o.json)                     /* every listing command takes --json */
		o.format = FMT_JSON;
	if (o.first >= argc)
		return cli_usage_error(err, "coverage", "no PATH given (usage: "
		                       "celltag coverage PATH... [--format F])");

	struct ct_config cfg;
	if ((rc = cli_config_load(&cfg, o.config, err)) != CLI_EXIT_OK)
		return rc;

	struct walk_list list = { 0 };
	struct detector *det = NULL;
	struct cov_row *rows = NULL;
	struct coverage_totals totals = { 0 };
	size_t nrows = 0;
	bool oom = !cli_collect(argv + o.first, (size_t)(argc - o.first), &cfg,
	                        &list, &det);
	/* One folder: names relative to it. */
	bool relative = argc - o.first == 1 && list.root_is_dir;
	if (!oom && !(rows = calloc(list.n + 1, sizeof *rows)))
		oom = true;

	if (!oom) {
		struct cov_scan sc = { &list, &cfg, det, o.lesson, rows };
		parallel_for(list.n, cli_jobs(&o, &list), scan_one, &sc);
		nrows = list.n;
	}
	for (size_t i = 0; i < nrows; i++) {
		struct cov_row *r = &rows[i];
		r->name = relative ? list.v[i].rel : list.v[i].path;
		oom |= r->oom;
		if (!r->row.ok)
			cli_report(err, &r->row.error, r->row.error.status,
			           list.v[i].path);
		coverage_totals_add(&totals, &r->row);
	}

	if (!oom) {
		switch ((enum cov_format)o.format) {
		case FMT_TABLE: print_table(out, rows, nrows, &totals); break;
		case FMT_MARKDOWN: print_markdown(out, rows, nrows, &totals); break;
		case FMT_CSV: print_csv(out, rows, nrows); break;
		case FMT_JSON: oom = !print_json(out, rows, nrows, &totals); break;
		}
	}
	for (size_t i = 0; i < nrows; i++)
		coverage_row_free(&rows[i].row);
	free(rows);
	detector_free(&det);
	walk_list_free(&list);
	config_free(&cfg);
	if (oom) {
		fprintf(err, "celltag: coverage: out of memory\n");
		return CLI_EXIT_INPUT;
	}
	return totals.failed ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}
