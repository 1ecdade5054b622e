/* test_cli_common.c - the pieces the rule subcommands share
 * (tui/cli_common.c): option parsing, error lines, escaping. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"
#include "parallel.h"
#include "testutil.h"
#include "walk.h"
#include "rules_testutil.h"

static const char *const formats[] = { "table", "csv", NULL };

/* Parse argv (NULL-terminated, argv[0] the command); returns the status
 * and the two streams' text in *out_text, *err_text (caller frees). */
static int parse(const char **argv, unsigned accept, const char *const *fmts,
                 struct cli_opts *o, char **out_text, char **err_text)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	FILE *out = tmpfile(), *err = tmpfile();
	cr_assert(out && err);
	int rc = cli_opts_parse(argc, (char **)argv, "cmd", accept, fmts,
	                        "HELP\n", o, out, err);
	*out_text = tu_stream_text(out);
	*err_text = tu_stream_text(err);
	return rc;
}

Test(cli_common, options_and_operands_in_any_order)
{
	const char *argv[] = { "cmd", "a.ipynb", "--json", "--lesson", "L3",
	                       "b", "--config=c.yaml", "--strict", NULL };
	struct cli_opts o;
	char *out, *err;
	cr_assert_eq(parse(argv, CLI_OPT_JSON | CLI_OPT_STRICT, NULL, &o, &out,
	                   &err), -1, "%s", err);
	cr_expect(o.json);
	cr_expect(o.strict);
	cr_expect_not(o.apply);
	cr_expect_str_eq(o.lesson, "L3");
	cr_expect_str_eq(o.config, "c.yaml");
	cr_expect_eq(o.format, 0);
	/* getopt moved the operands to the end */
	cr_assert_eq(o.first, 6);
	cr_expect_str_eq(argv[6], "a.ipynb");
	cr_expect_str_eq(argv[7], "b");
	cr_expect_str_eq(out, "");
	cr_expect_str_eq(err, "");
	free(out);
	free(err);
}

Test(cli_common, options_not_accepted_are_usage_errors)
{
	const char *argv[] = { "cmd", "--apply", "x", NULL };
	struct cli_opts o;
	char *out, *err;
	cr_expect_eq(parse(argv, CLI_OPT_JSON, NULL, &o, &out, &err),
	             CLI_EXIT_USAGE);
	cr_expect_str_eq(err, "celltag: cmd: unknown option or missing argument: "
	                 "'--apply' (see celltag cmd --help)\n");
	free(out);
	free(err);

	const char *argv2[] = { "cmd", "-f", "csv", NULL };
	cr_expect_eq(parse(argv2, CLI_OPT_JSON, NULL, &o, &out, &err),
	             CLI_EXIT_USAGE, "-f without formats");
	free(out);
	free(err);

	const char *argv3[] = { "cmd", "x", "--lesson", NULL };
	cr_expect_eq(parse(argv3, 0, NULL, &o, &out, &err), CLI_EXIT_USAGE);
	cr_expect(strstr(err, "'--lesson'") != NULL, "%s", err);
	free(out);
	free(err);
}

Test(cli_common, formats_and_abbreviations)
{
	struct cli_opts o;
	char *out, *err;
	const char *argv[] = { "cmd", "--form", "csv", "x", NULL };
	cr_assert_eq(parse(argv, 0, formats, &o, &out, &err), -1, "%s", err);
	cr_expect_eq(o.format, 1);
	free(out);
	free(err);

	const char *argv2[] = { "cmd", "-fxml", NULL };
	cr_expect_eq(parse(argv2, 0, formats, &o, &out, &err), CLI_EXIT_USAGE);
	cr_expect_str_eq(err, "celltag: cmd: unknown format 'xml' (table, csv)\n");
	free(out);
	free(err);

	/* --help wins only when it comes first: options are read in order */
	const char *argv3[] = { "cmd", "-h", "-f", "xml", NULL };
	cr_expect_eq(parse(argv3, 0, formats, &o, &out, &err), CLI_EXIT_OK);
	cr_expect_str_eq(out, "HELP\n");
	cr_expect_str_eq(err, "");
	free(out);
	free(err);
}

Test(cli_common, report_names_the_file_when_the_error_does_not)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	struct ct_error e;
	ct_error_set_at(&e, CT_SYNTAX, NULL, 3, 7, "bad");
	cr_expect_eq(cli_report(f, &e, CT_SYNTAX, "nb.ipynb"), CLI_EXIT_INPUT);
	ct_error_set(&e, CT_WRITE, "own.ipynb", "disk full");
	cr_expect_eq(cli_report(f, &e, CT_WRITE, "other.ipynb"), CLI_EXIT_WRITE);
	ct_error_set(&e, CT_IO, NULL, "no file");
	cr_expect_eq(cli_report(f, &e, CT_IO, NULL), CLI_EXIT_INPUT);
	char *text = tu_stream_text(f);
	cr_expect_str_eq(text, "celltag: nb.ipynb:3:7: bad\n"
	                 "celltag: own.ipynb: disk full\n"
	                 "celltag: no file\n");
	free(text);
}

Test(cli_common, put_text_escapes_only_what_needs_it)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	cli_put_text(f, "plain \\ ascii|");
	cli_put_text(f, "\n");
	cli_put_text(f, "bell\a esc\x1b[31m caf\xc3\xa9");
	char *text = tu_stream_text(f);
	cr_expect_str_eq(text, "plain \\ ascii|\\nbell\\x07 esc\\e[31m caf\xc3\xa9");
	free(text);
}

/* Default threads: one per CPU, but no more notebooks of the largest size
 * in memory at once than fit in CLI_JOBS_BYTES; --jobs is taken as given. */
Test(cli_common, jobs_keep_big_notebooks_within_a_memory_budget)
{
	char *dir = tu_tmpdir();
	cr_assert_not_null(dir);
	static const char *const names[] = { "a.ipynb", "b.ipynb", "c.ipynb" };
	for (int i = 0; i < 3; i++)
		cr_assert(tu_write(tu_path(dir, names[i]), "{}", 2));
	struct walk_list list = { 0 };
	cr_assert_eq(walk_collect(dir, &list, NULL), CT_OK);
	cr_assert_eq(list.n, 3);
	struct cli_opts o = { 0 };
	unsigned cpus = parallel_jobs(0, 3);
	cr_expect_eq(cli_jobs(&o, &list), cpus, "small notebooks: one per CPU");

	/* b.ipynb becomes 600 MB (sparse): two of them would pass 1 GiB */
	cr_assert_eq(truncate(tu_path(dir, "b.ipynb"), (off_t)600 << 20), 0);
	cr_expect_eq(cli_jobs(&o, &list), 1);
	/* 300 MB: three fit */
	cr_assert_eq(truncate(tu_path(dir, "b.ipynb"), (off_t)300 << 20), 0);
	cr_expect_eq(cli_jobs(&o, &list), cpus < 3 ? cpus : 3);
	/* --jobs is the user's word */
	cr_assert_eq(truncate(tu_path(dir, "b.ipynb"), (off_t)600 << 20), 0);
	o.jobs = 2;
	cr_expect_eq(cli_jobs(&o, &list), 2);
	o.jobs = 16;
	cr_expect_eq(cli_jobs(&o, &list), 3, "never more threads than notebooks");
	walk_list_free(&list);
	tu_rmtree(&dir);
}
