/* main.c - argv -> a CLI subcommand or the TUI. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "tui.h"

int main(int argc, char **argv)
{
	/* A file size limit (ulimit -f) must fail a save with an error, not kill
	 * us half-way: with SIGXFSZ ignored, write() returns EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2)
		return cli_run(argc, argv, stdout, stderr);
	const char *a = argv[1];
	if (cli_is_command(a) || strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
	    strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)
		return cli_run(argc, argv, stdout, stderr);
	/* A bare word that is no file is a mistyped subcommand, not a notebook:
	 * say so (exit 2) instead of "no such file". */
	struct stat st;
	if (a[0] != '-' && !strchr(a, '/') && !strchr(a, '.') && stat(a, &st) != 0)
		return cli_run(argc, argv, stdout, stderr);
	return tui_main(argc, argv);
}
