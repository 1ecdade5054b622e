/* test_cli_apply.c - `celltag apply`, in-process through cli_run on
 * temporary copies of tests/data/plans. */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "plan_testutil.h"

static char out_text[16384], err_text[16384];

static void setup(void)
{
	plan_tmp_setup("apply");
	/* No user configuration may leak into the tests. */
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	setenv("HOME", tmpdir, 1);
}

static void read_stream(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run `celltag apply ARGS...` (NULL-terminated). */
static int run(const char *arg, ...)
{
	static char prog[] = "celltag", cmd[] = "apply";
	char *argv[16];
	int argc = 0, rc;
	FILE *out = tmpfile(), *err = tmpfile();
	va_list ap;

	cr_assert(out && err);
	argv[argc++] = prog;
	argv[argc++] = cmd;
	va_start(ap, arg);
	for (const char *a = arg; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	rc = cli_run(argc, argv, out, err);
	read_stream(out, out_text, sizeof out_text);
	read_stream(err, err_text, sizeof err_text);
	return rc;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* The file is byte-identical to `orig` and was not rewritten since `st`. */
static void expect_untouched(const char *path, const char *orig,
                             const struct stat *st)
{
	struct stat now;

	expect_same_file(path, orig);
	cr_assert_eq(stat(path, &now), 0);
	cr_expect_eq(now.st_ino, st->st_ino, "%s was replaced", path);
	cr_expect(now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	          now.st_mtim.tv_nsec == st->st_mtim.tv_nsec, "%s mtime changed", path);
}

TestSuite(cli_apply, .init = setup, .fini = plan_tmp_teardown);

Test(cli_apply, usage_errors)
{
	cr_assert_eq(run(NULL), CLI_EXIT_USAGE);
	cr_assert(strstr(err_text, "usage: celltag apply PLAN.yaml"), "%s", err_text);
	cr_assert_eq(run("--frobnicate", "p.yaml", NULL), CLI_EXIT_USAGE);
	cr_assert(strstr(err_text, "--frobnicate"), "%s", err_text);
	cr_assert_eq(run("a.yaml", "b.yaml", NULL), CLI_EXIT_USAGE);
	cr_assert_eq(run("p.yaml", "--config", NULL), CLI_EXIT_USAGE);
	cr_assert_eq(run("--help", NULL), CLI_EXIT_OK);
	cr_assert(strstr(out_text, "--dry-run"), "%s", out_text);
}

Test(cli_apply, applies_plan)
{
	char expected[2048];

	cr_assert_eq(run(tmp("plan.yaml"), NULL), CLI_EXIT_OK, "%s", err_text);
	cr_assert_str_eq(err_text, "");
	snprintf(expected, sizeof expected,
	         "%s/nb_a.ipynb:\n"
	         "  cell 1 [ex1-md]: +exercise-prompt\n"
	         "  cell 2 [a1b2c3]: -draft +assignment:lesson-03-exercise-1\n"
	         "  cell 3 [ex2-md]: +exercise-prompt\n"
	         "  cell 4 [d4e5f6]: +assignment:lesson-03-exercise-2\n"
	         "%s/nb_b.ipynb:\n"
	         "  cell 1 [m1]: +assignment:lesson-04-exercise-1\n"
	         "wrote 2 notebooks, 0 unchanged\n", tmpdir, tmpdir);
	cr_assert_str_eq(out_text, expected);
	/* Only the tags changed: the files equal what nbformat itself writes. */
	expect_same_file(tmp("nb_a.ipynb"), DATA "/nb_a.expected.ipynb");
	expect_same_file(tmp("nb_b.ipynb"), DATA "/nb_b.expected.ipynb");

	/* Applying again changes nothing and writes nothing. */
	struct stat st;
	cr_assert_eq(stat(tmp("nb_a.ipynb"), &st), 0);
	cr_assert_eq(run(tmp("plan.yaml"), NULL), CLI_EXIT_OK, "%s", err_text);
	snprintf(expected, sizeof expected,
	         "%s/nb_a.ipynb: unchanged\n%s/nb_b.ipynb: unchanged\n"
	         "wrote 0 notebooks, 2 unchanged\n", tmpdir, tmpdir);
	cr_assert_str_eq(out_text, expected);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.expected.ipynb", &st);
}

Test(cli_apply, dry_run_writes_nothing)
{
	struct stat sa, sb;

	cr_assert_eq(stat(tmp("nb_a.ipynb"), &sa), 0);
	cr_assert_eq(stat(tmp("nb_b.ipynb"), &sb), 0);
	/* Options may come before or after the plan. */
	cr_assert_eq(run("--dry-run", tmp("plan.yaml"), NULL), CLI_EXIT_OK, "%s", err_text);
	cr_assert(strstr(out_text, "  cell 2 [a1b2c3]: -draft +assignment:lesson-03-exercise-1\n"),
	          "%s", out_text);
	cr_assert(strstr(out_text, "dry run: 2 notebooks would change, 0 unchanged; "
	                           "nothing written\n"), "%s", out_text);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);
	expect_untouched(tmp("nb_b.ipynb"), DATA "/nb_b.ipynb", &sb);
	cr_assert_eq(run(tmp("plan.yaml"), "-n", NULL), CLI_EXIT_OK);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);
}

Test(cli_apply, plan_error_names_position_and_writes_nothing)
{
	struct stat sa;
	char expected[512];

	cr_assert_eq(stat(tmp("nb_a.ipynb"), &sa), 0);
	write_file(tmp("bad.yaml"),
	           "notebooks:\n"
	           "  - path: nb_a.ipynb\n"
	           "    cells:\n"
	           "      - index: 1\n"
	           "        add: [ok]\n"
	           "      - index: 2\n"
	           "        ad: [typo]\n");
	cr_assert_eq(run(tmp("bad.yaml"), NULL), CLI_EXIT_INPUT);
	snprintf(expected, sizeof expected, "celltag: %s/bad.yaml:7:9: unknown key 'ad'",
	         tmpdir);
	cr_assert(strncmp(err_text, expected, strlen(expected)) == 0, "%s", err_text);
	cr_assert(strstr(err_text, "nothing written"), "%s", err_text);
	cr_assert_str_eq(out_text, "");
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);
}

Test(cli_apply, error_in_second_notebook_writes_first_not)
{
	struct stat sa, sb;
	char expected[512];

	cr_assert_eq(stat(tmp("nb_a.ipynb"), &sa), 0);
	cr_assert_eq(stat(tmp("nb_b.ipynb"), &sb), 0);
	write_file(tmp("two.yaml"),
	           "notebooks:\n"
	           "  - path: nb_a.ipynb\n"
	           "    cells:\n"
	           "      - index: 4\n"
	           "        add: [assignment:lesson-03-exercise-2]\n"
	           "  - path: nb_b.ipynb\n"
	           "    cells:\n"
	           "      - match: \"def \"\n"
	           "        add: [x]\n");
	cr_assert_eq(run(tmp("two.yaml"), NULL), CLI_EXIT_INPUT);
	snprintf(expected, sizeof expected,
	         "celltag: %s/two.yaml:8:16: 2 cells of nb_b.ipynb match (cells 1, 2)",
	         tmpdir);
	cr_assert(strncmp(err_text, expected, strlen(expected)) == 0, "%s", err_text);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);
	expect_untouched(tmp("nb_b.ipynb"), DATA "/nb_b.ipynb", &sb);

	/* Same with a second notebook that does not load. */
	copy_file(DATA "/nb_broken.ipynb", tmp("nb_broken.ipynb"));
	write_file(tmp("broken.yaml"),
	           "notebooks:\n"
	           "  - path: nb_a.ipynb\n"
	           "    cells: [{index: 4, add: x}]\n"
	           "  - path: nb_broken.ipynb\n"
	           "    cells: []\n");
	cr_assert_eq(run(tmp("broken.yaml"), NULL), CLI_EXIT_INPUT);
	snprintf(expected, sizeof expected,
	         "celltag: %s/broken.yaml:4:11: cannot load notebook: %s/nb_broken.ipynb:",
	         tmpdir, tmpdir);
	cr_assert(strncmp(err_text, expected, strlen(expected)) == 0, "%s", err_text);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);
}

Test(cli_apply, missing_plan)
{
	cr_assert_eq(run(tmp("nope.yaml"), NULL), CLI_EXIT_INPUT);
	cr_assert(strstr(err_text, "nope.yaml"), "%s", err_text);
}

Test(cli_apply, config_is_used_and_checked)
{
	struct stat sa;
	char expected[512];

	cr_assert_eq(stat(tmp("nb_a.ipynb"), &sa), 0);
	/* A broken --config stops everything, with its own position. */
	write_file(tmp("bad-config.yaml"), "theme: dark\ncolour: red\n");
	cr_assert_eq(run(tmp("plan.yaml"), "--config", tmp("bad-config.yaml"), NULL),
	             CLI_EXIT_INPUT);
	snprintf(expected, sizeof expected, "celltag: %s/bad-config.yaml:2:1: unknown key",
	         tmpdir);
	cr_assert(strncmp(err_text, expected, strlen(expected)) == 0, "%s", err_text);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);

	/* The configured prefix decides which tags are assignment tags. */
	write_file(tmp("hw.yaml"), "tag_prefix: 'hw:'\n");
	write_file(tmp("hw-plan.yaml"),
	           "notebooks:\n  - path: nb_a.ipynb\n    cells:\n"
	           "      - index: 4\n        add: ['hw:Exercise_1']\n");
	cr_assert_eq(run(tmp("hw-plan.yaml"), "--dry-run", NULL), CLI_EXIT_OK, "%s", err_text);
	cr_assert_eq(run(tmp("hw-plan.yaml"), "--dry-run",
	                 "--config=" "/nonexistent/config.yaml", NULL), CLI_EXIT_INPUT);
	char opt[200];
	snprintf(opt, sizeof opt, "--config=%s", tmp("hw.yaml"));
	cr_assert_eq(run(tmp("hw-plan.yaml"), opt, NULL), CLI_EXIT_INPUT);
	cr_assert(strstr(err_text, "hw-plan.yaml:5:15: invalid tag 'hw:Exercise_1'"),
	          "%s", err_text);

	/* The default config file ($XDG_CONFIG_HOME/celltag/config.yaml) too. */
	char dir[200];
	snprintf(dir, sizeof dir, "%s/celltag", tmpdir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	copy_file(tmp("hw.yaml"), tmp("celltag/config.yaml"));
	cr_assert_eq(run(tmp("hw-plan.yaml"), NULL), CLI_EXIT_INPUT);
	cr_assert(strstr(err_text, "invalid tag 'hw:Exercise_1'"), "%s", err_text);
	expect_untouched(tmp("nb_a.ipynb"), DATA "/nb_a.ipynb", &sa);
}

/* A notebook of about `size` bytes with one code cell. */
static void write_big_notebook(const char *path, size_t size)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n"
	      "   \"execution_count\": null,\n   \"id\": \"big1\",\n"
	      "   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"x = '", f);
	for (size_t i = 0; i < size; i++)
		fputc('x', f);
	fputs("'\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n"
	      " \"nbformat_minor\": 5\n}\n", f);
	fclose(f);
}

Test(cli_apply, failed_save_midway_reports_what_was_written)
{
	struct stat sb;
	struct rlimit rl = { 32768, 32768 };
	char *orig;
	size_t len;

	write_big_notebook(tmp("big.ipynb"), 60000);
	orig = slurp(tmp("big.ipynb"), &len);
	cr_assert_eq(stat(tmp("big.ipynb"), &sb), 0);
	write_file(tmp("mid.yaml"),
	           "notebooks:\n"
	           "  - path: nb_a.ipynb\n"
	           "    cells: [{index: 4, add: 'assignment:lesson-03-exercise-2'}]\n"
	           "  - path: big.ipynb\n"
	           "    cells: [{id: big1, add: 'assignment:lesson-09-exercise-1'}]\n");
	/* Files over 32 KiB cannot be written (root included), so the small
	 * first notebook is saved and the big second one fails. */
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	cr_assert_eq(run(tmp("mid.yaml"), NULL), CLI_EXIT_WRITE, "%s", err_text);
	cr_assert(strstr(err_text, "written: "), "%s", err_text);
	char line[300];
	snprintf(line, sizeof line, "celltag: apply: written: %s/nb_a.ipynb\n", tmpdir);
	cr_assert(strstr(err_text, line), "%s", err_text);
	snprintf(line, sizeof line, "celltag: apply: NOT written (failed): %s/big.ipynb\n",
	         tmpdir);
	cr_assert(strstr(err_text, line), "%s", err_text);

	/* The first notebook has its new tag, the second is intact. */
	size_t la;
	char *a = slurp(tmp("nb_a.ipynb"), &la);
	cr_assert(strstr(a, "\"assignment:lesson-03-exercise-2\""));
	free(a);
	char *now = slurp(tmp("big.ipynb"), &la);
	cr_assert(la == len && memcmp(now, orig, len) == 0, "big.ipynb changed");
	free(now);
	free(orig);
	/* No temporary file left behind. */
	char cmd[300];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 5", tmpdir);
	cr_expect_eq(system(cmd), 0, "stray files in %s", tmpdir);
}

Test(cli_apply, force_and_option_forms)
{
	cr_assert_eq(run("-f", "--", tmp("plan.yaml"), NULL), CLI_EXIT_OK, "%s", err_text);
	expect_same_file(tmp("nb_a.ipynb"), DATA "/nb_a.expected.ipynb");
	cr_assert_eq(run("--force", tmp("plan.yaml"), NULL), CLI_EXIT_OK, "%s", err_text);
	cr_assert(strstr(out_text, "wrote 0 notebooks, 2 unchanged"), "%s", out_text);
	/* After "--" a dash-name is the plan, not an option. */
	cr_assert_eq(run("--", "-weird.yaml", NULL), CLI_EXIT_INPUT);
	cr_assert(strstr(err_text, "-weird.yaml"), "%s", err_text);
}
