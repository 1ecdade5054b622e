/* cli_lint.c - `celltag lint` (stub until implemented). */
#include "cli.h"

int cli_cmd_lint(int argc, char **argv, FILE *out, FILE *err)
{
	(void)argc; (void)argv; (void)out;
	fprintf(err, "celltag: lint: not implemented yet\n");
	return CLI_EXIT_USAGE;
}
