/* cli_coverage.c - `celltag coverage` (stub until implemented). */
#include "cli.h"

int cli_cmd_coverage(int argc, char **argv, FILE *out, FILE *err)
{
	(void)argc; (void)argv; (void)out;
	fprintf(err, "celltag: coverage: not implemented yet\n");
	return CLI_EXIT_USAGE;
}
