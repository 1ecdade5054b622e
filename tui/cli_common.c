/* cli_common.c - pieces the rule subcommands share (see cli_common.h). */
#include "cli_common.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "parallel.h"

/* Index of `name` in the NULL-terminated list, or -1. */
static int find_format(const char *const *formats, const char *name)
{
	for (int k = 0; formats[k]; k++)
		if (strcmp(name, formats[k]) == 0)
			return k;
	return -1;
}

static int unknown_format(FILE *err, const char *cmd,
                          const char *const *formats, const char *name)
{
	char names[128] = "";
	size_t n = 0;

	for (int k = 0; formats[k] && n < sizeof names; k++)
		n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
		                      k ? ", " : "", formats[k]);
	return cli_usage_error(err, cmd, "unknown format '%s' (%s)", name,
	                       names);
}

int cli_opts_parse(int argc, char **argv, const char *cmd, unsigned accept,
                   const char *const *formats, const char *help,
                   struct cli_opts *o, FILE *out, FILE *err)
{
	/* The options a subcommand does not take are left out of the table,
	 * so getopt_long reports them (and matches abbreviations only among
	 * the ones it takes). */
	enum { OPT_FORMAT = 1 << 8 };       /* given by `formats` */
	static const struct {
		unsigned flag;
		struct option opt;
	} all[] = {
		{ CLI_OPT_JSON, { "json", no_argument, NULL, 'J' } },
		{ CLI_OPT_STRICT, { "strict", no_argument, NULL, 's' } },
		{ CLI_OPT_APPLY, { "apply", no_argument, NULL, 'a' } },
		{ CLI_OPT_JOBS, { "jobs", required_argument, NULL, 'j' } },
		{ OPT_FORMAT, { "format", required_argument, NULL, 'f' } },
		{ 0, { "lesson", required_argument, NULL, 'l' } },
		{ 0, { "config", required_argument, NULL, 'c' } },
		{ 0, { "help", no_argument, NULL, 'h' } },
	};
	struct option longopts[sizeof all / sizeof all[0] + 1];
	size_t n = 0;
	int c;

	if (formats)
		accept |= OPT_FORMAT;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if ((all[i].flag & ~accept) == 0)
			longopts[n++] = all[i].opt;
	memset(&longopts[n], 0, sizeof longopts[n]);
	memset(o, 0, sizeof *o);

	optind = 0;
	opterr = 0;
	char shortopts[8] = "h";
	if (formats)
		strcat(shortopts, "f:");
	if (accept & CLI_OPT_JOBS)
		strcat(shortopts, "j:");
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o->json = true; break;
		case 'j': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    v < 1 || v > PARALLEL_MAX_JOBS)
				return cli_usage_error(err, cmd, "--jobs takes a "
				                       "number from 1 to %d, not '%s'",
				                       PARALLEL_MAX_JOBS, optarg);
			o->jobs = (unsigned)v;
			break;
		}
		case 's': o->strict = true; break;
		case 'a': o->apply = true; break;
		case 'l': o->lesson = optarg; break;
		case 'c': o->config = optarg; break;
		case 'f':
			if ((o->format = find_format(formats, optarg)) < 0)
				return unknown_format(err, cmd, formats, optarg);
			break;
		case 'h':
			fputs(help, out);
			return CLI_EXIT_OK;
		default:
			return cli_usage_error(err, cmd, "unknown option or missing "
			                       "argument: '%s' (see celltag %s "
			                       "--help)", argv[optind - 1], cmd);
		}
	}
	o->first = optind;
	return -1;
}

int cli_config_load(struct ct_config *cfg, const char *path, FILE *err)
{
	struct ct_error e;

	ct_error_clear(&e);
	config_init_defaults(cfg);
	enum ct_status st = config_load(cfg, path, &e);
	if (st == CT_OK)
		return CLI_EXIT_OK;
	config_free(cfg);
	return cli_report(err, &e, st, NULL);
}

unsigned cli_jobs(const struct cli_opts *o, const struct walk_list *list)
{
	unsigned jobs = parallel_jobs(o->jobs, list->n);
	if (o->jobs || jobs < 2)
		return jobs;
	unsigned long long largest = 0;
	for (size_t i = 0; i < list->n; i++) {
		struct stat st;
		if (list->v[i].error.status == CT_OK && stat(list->v[i].path, &st) == 0 &&
		    (unsigned long long)st.st_size > largest)
			largest = (unsigned long long)st.st_size;
	}
	if (largest && largest * jobs > CLI_JOBS_BYTES) {
		unsigned long long fit = CLI_JOBS_BYTES / largest;
		jobs = fit < 1 ? 1 : (unsigned)fit;
	}
	return jobs;
}

bool cli_collect(char **paths, size_t npaths, const struct ct_config *cfg,
                 struct walk_list *list, struct detector **det)
{
	for (size_t i = 0; i < npaths; i++)
		if (walk_collect(paths[i], list, NULL) != CT_OK)
			return false;
	walk_list_sort(list);
	return detector_new(cfg, det, NULL) == CT_OK;
}

int cli_report(FILE *err, struct ct_error *e, enum ct_status st,
               const char *file)
{
	if (file && !e->path[0])
		snprintf(e->path, sizeof e->path, "%s", file);
	cli_print_error(err, e);
	int rc = cli_exit_for(st);
	return rc == CLI_EXIT_OK ? CLI_EXIT_INPUT : rc;
}

void cli_put_text(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p >= 0x20 && *p < 0x7f)
		p++;
	if (*p == '\0')
		fputs(s, out);
	else
		cli_write_escaped(out, s, strlen(s), 0);
}

void cli_json_error_fields(cJSON *o, const struct ct_error *e)
{
	cJSON_AddStringToObject(o, "status", ct_status_name(e->status));
	cJSON_AddStringToObject(o, "message", e->msg[0] ? e->msg
	                        : ct_status_message(e->status));
	cJSON_AddNumberToObject(o, "line", (double)e->line);
	cJSON_AddNumberToObject(o, "col", (double)e->col);
}

bool cli_json_print(FILE *out, const cJSON *root)
{
	char *text = cJSON_Print(root);
	if (!text)
		return false;
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
	return true;
}
