/* cli_suggest.c - `celltag suggest` (stub until implemented). */
#include "cli.h"

int cli_cmd_suggest(int argc, char **argv, FILE *out, FILE *err)
{
	(void)argc; (void)argv; (void)out;
	fprintf(err, "celltag: suggest: not implemented yet\n");
	return CLI_EXIT_USAGE;
}
