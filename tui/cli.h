/* cli.h - celltag's command-line subcommands, callable in-process.
 *
 * cli_run() never touches curses and never exits: it returns the exit
 * status, writing normal output to `out` and errors to `err`.  Exit statuses:
 *   0 success, 1 findings (lint), 2 usage error, 3 unreadable or invalid
 *   input, 4 write failed (original intact), 5 conflict (changed on disk).
 * Error lines look like "celltag: FILE:LINE:COL: message".
 */
#ifndef CELLTAG_TUI_CLI_H
#define CELLTAG_TUI_CLI_H

#include <stdio.h>

#include "status.h"

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FINDINGS = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_INPUT = 3,
	CLI_EXIT_WRITE = 4,
	CLI_EXIT_CONFLICT = 5
};

/* argv[0] is the program name, argv[1] the subcommand. */
int cli_run(int argc, char **argv, FILE *out, FILE *err);

/* True when `name` is a subcommand (main.c uses it to choose CLI or TUI). */
int cli_is_command(const char *name);

/* Map a core status to an exit status. */
int cli_exit_for(enum ct_status s);

/* Print "celltag: FILE:LINE:COL: message\n" to `err`. */
void cli_print_error(FILE *err, const struct ct_error *e);

/* Print "celltag: message\n" for usage problems; returns CLI_EXIT_USAGE. */
int cli_usage_error(FILE *err, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write `s` with control characters, escape sequences and invalid UTF-8
 * replaced by visible escapes (\e, \x07, \u202e ...), for plain-text output.
 * At most `max_cols` characters when max_cols > 0 (then "..." is added). */
void cli_write_escaped(FILE *out, const char *s, size_t len, int max_cols);

/* The subcommands: argv[0] is the subcommand name. */
int cli_cmd_list(int argc, char **argv, FILE *out, FILE *err);
int cli_cmd_tag(int argc, char **argv, FILE *out, FILE *err);     /* tag and untag */
int cli_cmd_lint(int argc, char **argv, FILE *out, FILE *err);
int cli_cmd_coverage(int argc, char **argv, FILE *out, FILE *err);
int cli_cmd_suggest(int argc, char **argv, FILE *out, FILE *err);
int cli_cmd_apply(int argc, char **argv, FILE *out, FILE *err);

#endif
