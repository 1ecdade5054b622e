/* cli_common.c - pieces the rule subcommands share (see cli_common.h). */
#include "cli_common.h"

#include <string.h>

#include "cli.h"

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
