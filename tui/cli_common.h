/* cli_common.h - what the lint, coverage, suggest and apply subcommands
 * share: the common options, loading the configuration, error lines for a
 * named file, escaped text and JSON output.  No curses.
 */
#ifndef CELLTAG_TUI_CLI_COMMON_H
#define CELLTAG_TUI_CLI_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "detect.h"
#include "status.h"
#include "walk.h"

/* Options a subcommand takes besides --lesson L, --config FILE and
 * -h/--help (which every caller of cli_opts_parse takes). */
enum cli_opt_flag {
	CLI_OPT_JSON   = 1 << 0,        /* --json */
	CLI_OPT_STRICT = 1 << 1,        /* --strict */
	CLI_OPT_APPLY  = 1 << 2,        /* --apply */
	CLI_OPT_JOBS   = 1 << 3         /* -j/--jobs N */
};

struct cli_opts {
	bool json, strict, apply;
	int format;             /* index into the formats given; 0 by default */
	const char *lesson;     /* --lesson, NULL when not given */
	const char *config;     /* --config, NULL: the default file */
	unsigned jobs;          /* --jobs, 0: one per CPU (parallel.h) */
	int first;              /* argv index of the first operand */
};

/* Parse the options of `cmd` (argv[0] is the subcommand name; operands
 * may come before options).  `formats`, when not NULL, is a NULL-terminated
 * list of names for -f/--format F.  Returns -1 to go on, else the exit
 * status to return: CLI_EXIT_OK after printing `help` to out for -h/--help,
 * CLI_EXIT_USAGE after an error line on err. */
int cli_opts_parse(int argc, char **argv, const char *cmd, unsigned accept,
                   const char *const *formats, const char *help,
                   struct cli_opts *o, FILE *out, FILE *err);

/* Defaults, then the configuration file `path` (NULL: the default one,
 * which may be missing).  Returns CLI_EXIT_OK, or prints the error, frees
 * cfg and returns the exit status. */
int cli_config_load(struct ct_config *cfg, const char *path, FILE *err);

/* The notebooks under the npaths paths into list (zero-initialised;
 * sorted, each path once: walk.h) and a detector for cfg into *det, so
 * that every notebook is then loaded and detected once.  False when out of
 * memory (free list and *det, which starts NULL, all the same). */
bool cli_collect(char **paths, size_t npaths, const struct ct_config *cfg,
                 struct walk_list *list, struct detector **det);

/* Threads for reading the notebooks of list: --jobs when given, else one
 * per CPU but no more than keep about CLI_JOBS_BYTES of the largest
 * notebooks in memory at once (16 threads on 200 MB notebooks would hold
 * 3 GB).  At least 1. */
#define CLI_JOBS_BYTES ((unsigned long long)1 << 30)
unsigned cli_jobs(const struct cli_opts *o, const struct walk_list *list);

/* Print e as an error line, naming `file` when e names no file (file may
 * be NULL).  Returns the exit status for st (never CLI_EXIT_OK). */
int cli_report(FILE *err, struct ct_error *e, enum ct_status st,
               const char *file);

/* Write s escaped like cli_write_escaped; printable ASCII, the common case,
 * goes out as it is without the per-character escaper. */
void cli_put_text(FILE *out, const char *s);

/* Add "status", "message", "line" and "col" of e to the object o. */
void cli_json_error_fields(cJSON *o, const struct ct_error *e);

/* Print root as indented JSON and a newline.  False when out of memory. */
bool cli_json_print(FILE *out, const cJSON *root);

#endif
