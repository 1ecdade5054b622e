/* cli.c - subcommand dispatch, shared helpers, and list / tag / untag. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "config.h"
#include "json.h"
#include "notebook.h"
#include "rules.h"
#include "save.h"
#include "sanitize.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv, FILE *out, FILE *err);
	const char *synopsis;
	const char *help;       /* NULL: the command prints its own --help */
};

static int cmd_help(int argc, char **argv, FILE *out, FILE *err);

static const struct command commands[] = {
	{ "list", cli_cmd_list, "list FILE [--json]",
	  "List the cells of a notebook: index, type, tags and the first line of source.\n"
	  "  --json      print a JSON array of {index, id, cell_type, tags, first_line}\n" },
	{ "tag", cli_cmd_tag, "tag FILE CELL TAG... [--force]",
	  "Add tags to a cell and save losslessly (only that cell's tags change).\n"
	  "CELL is a 0-based index or id:CELL_ID.  A tag already present is a no-op.\n"
	  "Assignment tags (prefix from the configuration, default assignment:) must\n"
	  "follow the tag rules; a tag that breaks one is refused (exit 2).\n"
	  "  -f, --force overwrite even if the file changed on disk since it was read\n"
	  "              (not a big notebook rewritten in place: see SAVING in celltag(1))\n"
	  "  -q, --quiet print nothing on success\n"
	  "  --config FILE  configuration file (tag prefix)\n" },
	{ "untag", cli_cmd_tag, "untag FILE CELL TAG... [--force]",
	  "Remove tags from a cell and save losslessly.  A missing tag is a no-op.\n"
	  "Removing the last tag deletes the cell's \"tags\" key (as Classic Notebook).\n"
	  "  -f, --force overwrite even if the file changed on disk since it was read\n"
	  "              (not a big notebook rewritten in place: see SAVING in celltag(1))\n"
	  "  -q, --quiet print nothing on success\n"
	  "  --config FILE  configuration file\n" },
	{ "lint", cli_cmd_lint, "lint PATH... [--json] [--strict] [--lesson L] [--config FILE]",
	  NULL },
	{ "coverage", cli_cmd_coverage,
	  "coverage PATH... [--format F] [--json] [--lesson L] [--config FILE]",
	  NULL },
	{ "suggest", cli_cmd_suggest, "suggest FILE [--apply] [--json] [--lesson L] [--config FILE]",
	  NULL },
	{ "apply", cli_cmd_apply, "apply PLAN.yaml [--dry-run] [--force] [--config FILE]",
	  "Apply a batch plan of tag edits (YAML).  Every notebook is loaded and every\n"
	  "step checked before anything is written; unchanged notebooks are not written.\n"
	  "  -n, --dry-run  print the changes and write nothing\n"
	  "  -f, --force    save even if a notebook changed on disk since it was loaded\n"
	  "  --config FILE  configuration file\n"
	  "Exit: 0 ok, 2 usage, 3 invalid plan/config/notebook (nothing written),\n"
	  "4 a save failed, 5 a notebook changed on disk.\n" },
	{ "help", cmd_help, "help [SUBCOMMAND]", "Show help for a subcommand.\n" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_is_command(const char *name)
{
	return find_command(name) != NULL;
}

static void print_usage(FILE *out)
{
	fprintf(out,
	        "usage: celltag [options] NOTEBOOK|FOLDER...   open the editor (TUI)\n"
	        "       celltag SUBCOMMAND [options] ARGS...\n"
	        "\n"
	        "Tag Jupyter notebook cells with assignment tags, losslessly.\n"
	        "\n"
	        "Subcommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %s\n", commands[i].synopsis);
	fprintf(out,
	        "\n"
	        "Editor options:\n"
	        "  -R, --read-only     open for review; edits are refused\n"
	        "  --theme NAME        colour theme (default, light, high-contrast, monochrome)\n"
	        "  --no-color          attributes only (also NO_COLOR=1)\n"
	        "  --config FILE       configuration file (default ~/.config/celltag/config.yaml)\n"
	        "  --script FILE       read keys from FILE (headless; with --size COLSxROWS)\n"
	        "\n"
	        "Exit status: 0 ok, 1 findings, 2 usage, 3 invalid input, 4 write failed,\n"
	        "5 file changed on disk.  See celltag(1) and `celltag help SUBCOMMAND`.\n");
}

static int cmd_help(int argc, char **argv, FILE *out, FILE *err)
{
	if (argc < 2) {
		print_usage(out);
		return CLI_EXIT_OK;
	}
	const struct command *c = find_command(argv[1]);
	if (!c)
		return cli_usage_error(err, "help", "unknown subcommand '%s'", argv[1]);
	if (!c->help) {
		char *hargv[] = { (char *)c->name, (char *)"--help", NULL };
		return c->run(2, hargv, out, err);
	}
	fprintf(out, "usage: celltag %s\n\n%s", c->synopsis, c->help);
	return CLI_EXIT_OK;
}

int cli_run(int argc, char **argv, FILE *out, FILE *err)
{
	if (argc < 2) {
		print_usage(err);
		return CLI_EXIT_USAGE;
	}
	const char *a = argv[1];
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		print_usage(out);
		return CLI_EXIT_OK;
	}
	if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
		fprintf(out, "celltag %s\n", CELLTAG_VERSION);
		return CLI_EXIT_OK;
	}
	const struct command *c = find_command(a);
	if (!c)
		return cli_usage_error(err, NULL, "unknown subcommand '%s' (see celltag --help)", a);
	/* `celltag CMD --help` anywhere before "--" */
	for (int i = 2; c->help && i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fprintf(out, "usage: celltag %s\n\n%s", c->synopsis, c->help);
			return CLI_EXIT_OK;
		}
	int rc = c->run(argc - 1, argv + 1, out, err);
	/* A full disk or a closed pipe must not pass for success. */
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(err, "celltag: %s: error writing output: %s\n", a, strerror(errno));
		if (rc == CLI_EXIT_OK || rc == CLI_EXIT_FINDINGS)
			rc = CLI_EXIT_WRITE;
	}
	return rc;
}

int cli_exit_for(enum ct_status s)
{
	switch (s) {
	case CT_OK:
		return CLI_EXIT_OK;
	case CT_USAGE:
	case CT_TAG:
	case CT_CELL:
		return CLI_EXIT_USAGE;
	case CT_WRITE:
		return CLI_EXIT_WRITE;
	case CT_CONFLICT:
		return CLI_EXIT_CONFLICT;
	default:
		return CLI_EXIT_INPUT;
	}
}

void cli_print_error(FILE *err, const struct ct_error *e)
{
	char buf[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
	ct_error_format(e, buf, sizeof buf);
	/* File names and messages can hold anything a file name can. */
	fputs("celltag: ", err);
	cli_write_escaped(err, buf, strlen(buf), 0);
	fputc('\n', err);
}

int cli_usage_error(FILE *err, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("celltag: ", err);
	if (cmd)
		fprintf(err, "%s: ", cmd);
	vfprintf(err, fmt, ap);
	fputc('\n', err);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

/* ---- escaping for plain-text output ---------------------------------- */

/* One implementation of "what is safe to print" for the TUI and the CLI. */
void cli_write_escaped(FILE *out, const char *s, size_t len, int max_cols)
{
	sanitize_escape_plain_fp(out, s, len, max_cols, 0);
}

/* ---- list ------------------------------------------------------------- */

static const char *type_badge(const struct nb_cell *c)
{
	switch (c->kind) {
	case NB_CODE: return "code";
	case NB_MARKDOWN: return "md";
	case NB_RAW: return "raw";
	default: return c->cell_type;
	}
}

static size_t first_line_len(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return i;
	return len;
}

static int list_json(const struct notebook *nb, FILE *out, FILE *err)
{
	cJSON *arr = cJSON_CreateArray();
	if (!arr)
		goto nomem;
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o))
			goto nomem;
		cJSON_AddNumberToObject(o, "index", (double)i);
		if (c->id)
			cJSON_AddStringToObject(o, "id", c->id);
		else
			cJSON_AddNullToObject(o, "id");
		cJSON_AddStringToObject(o, "cell_type", c->cell_type);
		cJSON *tags = cJSON_AddArrayToObject(o, "tags");
		for (size_t t = 0; tags && t < c->ntags; t++)
			cJSON_AddItemToArray(tags, cJSON_CreateString(c->tags[t]));
		size_t fl = first_line_len(c->source, c->source_len);
		char *line = strndup(c->source, fl);
		if (!line)
			goto nomem;
		cJSON_AddStringToObject(o, "first_line", line);
		free(line);
		/* why the cell's tags cannot be edited (for example tags that are
		 * not a list of strings), null when they can */
		const char *ro = c->readonly_reason ? c->readonly_reason : nb->readonly_reason;
		if (ro)
			cJSON_AddStringToObject(o, "readonly", ro);
		else
			cJSON_AddNullToObject(o, "readonly");
	}
	if (!cli_json_print(out, arr))
		goto nomem;
	cJSON_Delete(arr);
	return CLI_EXIT_OK;
nomem:
	cJSON_Delete(arr);
	fprintf(err, "celltag: %s: out of memory\n", nb->path);
	return CLI_EXIT_INPUT;
}

int cli_cmd_list(int argc, char **argv, FILE *out, FILE *err)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	optind = 0;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch == 'j')
			json = true;
		else
			return cli_usage_error(err, "list", "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error(err, "list", "expected one notebook (usage: celltag list FILE [--json])");
	struct notebook *nb;
	struct ct_error e;
	if (notebook_load(argv[optind], &nb, &e) != CT_OK) {
		cli_print_error(err, &e);
		return cli_exit_for(e.status);
	}
	int rc = CLI_EXIT_OK;
	if (json) {
		rc = list_json(nb, out, err);
	} else {
		int w = nb->ncells > 999 ? (nb->ncells > 99999 ? 7 : 5) : 3;
		for (size_t i = 0; i < nb->ncells; i++) {
			const struct nb_cell *c = &nb->cells[i];
			fprintf(out, "%*zu  %-4s  [", w, i, type_badge(c));
			/* Readable in 80 columns: the tags get at most 40 of them, the
			 * first line what is left (--json has everything). */
			int room = 40;
			for (size_t t = 0; t < c->ntags && room > 0; t++) {
				if (t) {
					fputs(", ", out);
					room -= 2;
				}
				if (room < 8 && t + 1 <= c->ntags) {
					fprintf(out, "+%zu", c->ntags - t);
					room = 0;
					break;
				}
				char buf[256];
				sanitize_escape_plain(c->tags[t], strlen(c->tags[t]), room, 0, buf,
				                      sizeof buf);
				fputs(buf, out);
				for (const char *q = buf; *q; q++)
					room -= ((unsigned char)*q & 0xc0) != 0x80;   /* characters */
			}
			fputs("]  ", out);
			int used = w + 2 + 4 + 2 + 1 + (40 - (room > 0 ? room : 0)) + 3;
			int left = 80 - used;
			cli_write_escaped(out, c->source, first_line_len(c->source, c->source_len),
			                  left < 20 ? 20 : left);
			fputc('\n', out);
		}
	}
	notebook_free(&nb);
	return rc;
}

/* ---- tag / untag ------------------------------------------------------ */

/* Test hook: CELLTAG_TEST_KILL_AT_STEP=N raises SIGKILL at save step N, so
 * tests of the real binary can interrupt a save at every step. */
static void kill_hook(enum save_step step, void *ctx)
{
	int at = *(int *)ctx;
	if ((int)step == at)
		raise(SIGKILL);
}

void cli_save_options(struct save_options *o, int *kill_step);
void cli_save_options(struct save_options *o, int *kill_step)
{
	const char *k = getenv("CELLTAG_TEST_KILL_AT_STEP");
	if (k && *k) {
		*kill_step = atoi(k);
		o->step_hook = kill_hook;
		o->step_ctx = kill_step;
	}
}

struct tag_job {
	const char *path, *spec;
	char **tags;
	int ntags;
	bool add, force, quiet;
};

/* save_options.before_commit of an early load: wait for its check. */
struct early_commit {
	struct nb_check *check;
	bool differs;               /* the whole load found something else */
	bool failed;                /* the whole load failed */
};

static enum ct_status early_commit(void *ctx, struct notebook *nb, struct ct_error *err)
{
	struct early_commit *ec = ctx;
	enum ct_status st = notebook_check_finish(&ec->check, nb, &ec->differs, err);
	ec->failed = st != CT_OK && !ec->differs;
	return st;
}

/* Load, edit and save once.  With `early` (notebook_load_cell_early) the
 * save of a big file starts while the rest of it is still being checked; an
 * error of that check is reported as the load's (nothing is written, and
 * nothing else printed), and when the check found another file or other
 * whole-file facts, *again asks for a second run without `early`.  Only the
 * named cell is kept in memory: every cell is still checked, but tagging one
 * cell of 50,000 needs no model of the others.  Nor are a big file's bytes:
 * they are read a window at a time while parsed, and the save copies them
 * from the file held open. */
static int tag_run(const struct tag_job *j, bool early, FILE *out, FILE *err, bool *again)
{
	struct notebook *nb = NULL;
	struct ct_error e;
	struct early_commit ec = { NULL, false, false };
	char *msgs = NULL;
	size_t msgs_len = 0;
	/* What goes to `out` waits until the whole file is known to load. */
	FILE *mo = open_memstream(&msgs, &msgs_len);
	*again = false;
	enum ct_status st = early && mo
	                    ? notebook_load_cell_early(j->path, j->spec, NB_RELEASE_MIN, &nb, &ec.check,
	                                               &e)
	                    : notebook_load_cell_lean(j->path, j->spec, NB_RELEASE_MIN, &nb, &e);
	FILE *o = mo ? mo : out;
	size_t cell = 0, shown = 0;
	if (st != CT_OK || (st = notebook_find_cell(nb, j->spec, &cell, &e)) != CT_OK)
		goto done;
	shown = nb->cells[cell].index;
	for (int i = 0; i < j->ntags; i++) {
		bool changed;
		st = j->add ? notebook_tag_add(nb, cell, j->tags[i], &changed, &e)
		            : notebook_tag_remove(nb, cell, j->tags[i], &changed, &e);
		if (st != CT_OK)
			goto done;
		if (!changed && !j->quiet) {
			fprintf(o, "%s: cell %zu: ", j->path, shown);
			cli_write_escaped(o, j->tags[i], strlen(j->tags[i]), 0);
			fputs(j->add ? ": already tagged\n" : ": not tagged\n", o);
		}
	}
	if (!notebook_modified(nb)) {
		if (!j->quiet)
			fprintf(o, "%s: no change; file not written\n", j->path);
		goto done;
	}
	struct save_options so = { .force = j->force };
	int kill_step = -1;
	cli_save_options(&so, &kill_step);
	if (ec.check) {
		so.before_commit = early_commit;
		so.commit_ctx = &ec;
	}
	if ((st = notebook_save(&nb, &so, false, &e)) != CT_OK)
		goto done;
	if (!j->quiet) {
		const struct nb_cell *c = &nb->cells[cell];
		fprintf(o, "%s: cell %zu: tags now [", j->path, shown);
		for (size_t t = 0; t < c->ntags; t++) {
			if (t)
				fputs(", ", o);
			cli_write_escaped(o, c->tags[t], strlen(c->tags[t]), 0);
		}
		fputs("]\n", o);
	}
done:
	/* An unfinished check (no save, or a save that failed before it): its
	 * failure is the one to report, as the load's. */
	if (ec.check) {
		struct ct_error ce;
		enum ct_status cs = early_commit(&ec, nb, &ce);
		if (cs != CT_OK) {
			st = cs;
			e = ce;
		}
	}
	int rc = CLI_EXIT_OK;
	if (mo) {
		fclose(mo);
		if (!ec.differs && !ec.failed)
			fwrite(msgs, 1, msgs_len, out);
		free(msgs);
	}
	if (ec.differs) {
		*again = true;
	} else if (st != CT_OK) {
		cli_print_error(err, &e);
		rc = cli_exit_for(st);
	}
	notebook_free(&nb);
	return rc;
}

int cli_cmd_tag(int argc, char **argv, FILE *out, FILE *err)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *config_path = NULL;
	bool add = strcmp(cmd, "tag") == 0, force = false, quiet = false;
	optind = 0;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "fq", opts, NULL)) != -1) {
		if (ch == 'f')
			force = true;
		else if (ch == 'q')
			quiet = true;
		else if (ch == 'c')
			config_path = optarg;
		else
			return cli_usage_error(err, cmd, "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind < 3)
		return cli_usage_error(err, cmd, "usage: celltag %s FILE CELL TAG...", cmd);
	struct ct_config cfg;
	int crc = cli_config_load(&cfg, config_path, err);
	if (crc != CLI_EXIT_OK)
		return crc;
	/* Check every new tag before touching anything. */
	for (int i = optind + 2; add && i < argc; i++) {
		const char *why = NULL;
		enum rules_code code = rules_check_tag(&cfg, argv[i], &why);
		if (code == RULE_OK)
			continue;
		fputs("celltag: ", err);
		fputs(rules_code_severity(code) == RULES_ERROR ? "invalid tag '" : "warning: tag '", err);
		cli_write_escaped(err, argv[i], strlen(argv[i]), 0);
		fprintf(err, "': %s [%s]\n", why ? why : rules_code_description(code),
		        rules_code_name(code));
		if (rules_code_severity(code) == RULES_ERROR) {
			config_free(&cfg);
			return CLI_EXIT_USAGE;
		}
	}
	config_free(&cfg);
	struct tag_job job = { argv[optind], argv[optind + 1], argv + optind + 2,
	                       argc - optind - 2, add, force, quiet };
	bool again = false;
	int rc = tag_run(&job, true, out, err, &again);
	if (again)
		rc = tag_run(&job, false, out, err, &again);
	return rc;
}
