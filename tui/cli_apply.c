/* cli_apply.c - `celltag apply` (stub until implemented). */
#include "cli.h"

int cli_cmd_apply(int argc, char **argv, FILE *out, FILE *err)
{
	(void)argc; (void)argv; (void)out;
	fprintf(err, "celltag: apply: not implemented yet\n");
	return CLI_EXIT_USAGE;
}
