/* test_cli_core.c - `celltag list/tag/untag/help/--version`, in-process. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "testutil.h"

struct run {
	int rc;
	char *out, *err;
};

static struct run run_cli(int argc, const char **argv)
{
	FILE *o = tmpfile(), *e = tmpfile();
	struct run r;
	r.rc = cli_run(argc, (char **)argv, o, e);
	fflush(o);
	fflush(e);
	size_t n;
	rewind(o);
	rewind(e);
	r.out = calloc(1, 1 << 20);
	r.err = calloc(1, 1 << 16);
	n = fread(r.out, 1, (1 << 20) - 1, o);
	r.out[n] = '\0';
	n = fread(r.err, 1, (1 << 16) - 1, e);
	r.err[n] = '\0';
	fclose(o);
	fclose(e);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define RUN(...) ({ const char *a_[] = { "celltag", __VA_ARGS__ }; \
                    run_cli((int)(sizeof a_ / sizeof a_[0]), a_); })

static char *dir;
static char nbpath[4200];

static void setup(void)
{
	dir = tu_tmpdir();
	snprintf(nbpath, sizeof nbpath, "%s/lesson_03.ipynb", dir);
	cr_assert(tu_copy("tests/data/styles/jupyter.ipynb", nbpath));
}

static void teardown(void)
{
	tu_rmtree(&dir);
}

TestSuite(cli_core, .init = setup, .fini = teardown);

Test(cli_core, list_plain)
{
	struct run r = RUN("list", nbpath);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert_not_null(strstr(r.out, "  0  md    []  # Lesson 3\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "  3  code  [keep-me]  y = 2\n"), "%s", r.out);
	run_free(&r);
}

Test(cli_core, list_json)
{
	struct run r = RUN("list", "--json", nbpath);
	cr_assert_eq(r.rc, 0);
	cJSON *a = cJSON_Parse(r.out);
	cr_assert_not_null(a, "%s", r.out);
	cr_assert_eq(cJSON_GetArraySize(a), 5);
	cJSON *c3 = cJSON_GetArrayItem(a, 3);
	cr_assert_eq(cJSON_GetObjectItem(c3, "index")->valueint, 3);
	cr_assert_str_eq(cJSON_GetObjectItem(c3, "id")->valuestring, "c3");
	cr_assert_str_eq(cJSON_GetObjectItem(c3, "cell_type")->valuestring, "code");
	cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(c3, "tags"), 0)->valuestring, "keep-me");
	cr_assert_str_eq(cJSON_GetObjectItem(c3, "first_line")->valuestring, "y = 2");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(c3, "readonly")));
	cJSON_Delete(a);
	run_free(&r);
	/* options may follow the file, as in the other subcommands */
	r = RUN("list", nbpath, "--json");
	cr_assert_eq(r.rc, 0, "%s", r.err);
	a = cJSON_Parse(r.out);
	cr_assert_not_null(a, "%s", r.out);
	cJSON_Delete(a);
	run_free(&r);
}

/* Write a notebook whose one cell has "tags" of the wrong type (read-only);
 * returns its bytes. */
static const char *write_readonly_cell_notebook(void)
{
	static const char nb[] =
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {\"tags\": \"BAD\"},"
		" \"outputs\": [], \"source\": []}], \"metadata\": {}, \"nbformat\": 4,"
		" \"nbformat_minor\": 5}";
	cr_assert(tu_write(nbpath, nb, sizeof nb - 1));
	return nb;
}

Test(cli_core, list_json_says_why_a_cell_is_read_only)
{
	write_readonly_cell_notebook();
	struct run r = RUN("list", "--json", nbpath);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cJSON *a = cJSON_Parse(r.out);
	cJSON *ro = cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "readonly");
	cr_assert(cJSON_IsString(ro), "%s", r.out);
	cr_assert_not_null(strstr(ro->valuestring, "not a list of strings"));
	cJSON_Delete(a);
	run_free(&r);
}

Test(cli_core, list_fits_80_columns)
{
	const char *nb = "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {\"tags\": ["
	                 "\"assignment:lesson-03-exercise-1\", \"hide-input\", \"remove-output\","
	                 " \"another-very-long-tag-name-here\"]}, \"outputs\": [], \"source\": "
	                 "[\"print('a very long first line of code that goes on and on and on and on')\"]}],"
	                 " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	cr_assert(tu_write(nbpath, nb, strlen(nb)));
	struct run r = RUN("list", nbpath);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_lt(strlen(r.out), 81, "%s", r.out);
	cr_assert_not_null(strstr(r.out, "[assignment:lesson-03-exercise-1, +3]"), "%s", r.out);
	run_free(&r);
}

Test(cli_core, list_escapes_control_characters)
{
	const char *nb =
		"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {\"tags\": [\"t\\u001b]52;c;x\\u0007\"]},"
		" \"outputs\": [], \"source\": [\"print('\\u001b[2J\\u001b]8;;http://x\\u001b\\\\\\u0085\\u202e\\b\\r')\"]}],"
		" \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	cr_assert(tu_write(nbpath, nb, strlen(nb)));
	struct run r = RUN("list", nbpath);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	for (const unsigned char *p = (const unsigned char *)r.out; *p; p++) {
		cr_assert(*p >= 0x20 || *p == '\n', "raw control byte 0x%02x in output: %s", *p, r.out);
		cr_assert(*p != 0x7f);
		cr_assert(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f), "raw C1 control");
		cr_assert(!(p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xae), "raw RLO");
	}
	cr_assert_not_null(strstr(r.out, "\\e[2J"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\\u202e"), "%s", r.out);
	run_free(&r);
}

Test(cli_core, tag_and_untag_round_trip)
{
	size_t olen;
	char *orig = tu_read(nbpath, &olen);
	struct run r = RUN("tag", nbpath, "1", "assignment:lesson-03-exercise-1");
	cr_assert_eq(r.rc, 0, "%s", r.err);
	char want[8800];
	snprintf(want, sizeof want, "%s: cell 1: tags now [assignment:lesson-03-exercise-1]\n",
	         nbpath);
	cr_assert_str_eq(r.out, want);
	run_free(&r);
	size_t len;
	char *now = tu_read(nbpath, &len);
	cr_assert_not_null(strstr(now, "   \"metadata\": {\n    \"tags\": [\n     \"assignment:lesson-03-exercise-1\"\n    ]\n   },"));
	free(now);
	r = RUN("untag", nbpath, "id:c1", "assignment:lesson-03-exercise-1");
	cr_assert_eq(r.rc, 0, "%s", r.err);
	run_free(&r);
	now = tu_read(nbpath, &len);
	cr_assert(len == olen && memcmp(now, orig, len) == 0, "tag then untag changed the file");
	free(now);
	free(orig);
}

Test(cli_core, noop_leaves_file_untouched)
{
	struct stat before, after;
	stat(nbpath, &before);
	struct run r = RUN("tag", nbpath, "3", "keep-me");
	cr_assert_eq(r.rc, 0);
	char want[8800];
	snprintf(want, sizeof want, "%s: cell 3: keep-me: already tagged\n"
	         "%s: no change; file not written\n", nbpath, nbpath);
	cr_assert_str_eq(r.out, want);
	run_free(&r);
	r = RUN("untag", nbpath, "2", "absent");
	cr_assert_eq(r.rc, 0);
	snprintf(want, sizeof want, "%s: cell 2: absent: not tagged\n"
	         "%s: no change; file not written\n", nbpath, nbpath);
	cr_assert_str_eq(r.out, want);
	run_free(&r);
	stat(nbpath, &after);
	cr_assert_eq(before.st_ino, after.st_ino, "file was rewritten");
	cr_assert_eq(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
}

Test(cli_core, errors_and_exit_codes)
{
	struct run r = RUN("tag", nbpath, "9", "x");
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	cr_assert(strncmp(r.err, "celltag: ", 9) == 0 && strstr(r.err, "no cell 9"), "%s", r.err);
	run_free(&r);
	r = RUN("tag", nbpath, "1", "a,b");
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "comma"), "%s", r.err);
	run_free(&r);
	r = RUN("tag", nbpath, "1", "assignment:Lesson_03");
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "invalid tag 'assignment:Lesson_03'"), "%s", r.err);
	run_free(&r);
	r = RUN("tag", nbpath, "1", "assignment:week2-task");
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "warning: tag 'assignment:week2-task'"), "%s", r.err);
	run_free(&r);
	r = RUN("tag", nbpath, "1");
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("list", "/nonexistent/x.ipynb");
	cr_assert_eq(r.rc, CLI_EXIT_INPUT);
	cr_assert_str_eq(r.err, "celltag: /nonexistent/x.ipynb: no such file\n");
	run_free(&r);
	cr_assert(tu_write(nbpath, "{\"cells\": [\n  1,\n", 17));
	r = RUN("list", nbpath);
	cr_assert_eq(r.rc, CLI_EXIT_INPUT);
	char want[4400];
	snprintf(want, sizeof want, "celltag: %s:3:1: invalid JSON: unexpected end of file\n", nbpath);
	cr_assert_str_eq(r.err, want);
	run_free(&r);
	r = RUN("frobnicate");
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("list", "--bogus", nbpath);
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	run_free(&r);
}

Test(cli_core, read_only_cell_is_exit_3)
{
	const char *nb = write_readonly_cell_notebook();
	struct run r = RUN("tag", nbpath, "0", "x");
	cr_assert_eq(r.rc, CLI_EXIT_INPUT);
	cr_assert_not_null(strstr(r.err, "not a list of strings"), "%s", r.err);
	run_free(&r);
	size_t len;
	char *now = tu_read(nbpath, &len);
	cr_assert_str_eq(now, nb);
	free(now);
}

Test(cli_core, help_and_version)
{
	struct run r = RUN("--version");
	cr_assert_eq(r.rc, 0);
	cr_assert(strncmp(r.out, "celltag ", 8) == 0);
	run_free(&r);
	r = RUN("--help");
	cr_assert_eq(r.rc, 0);
	for (const char *c = "list\0tag\0untag\0lint\0coverage\0suggest\0apply\0"; *c; c += strlen(c) + 1)
		cr_assert_not_null(strstr(r.out, c), "--help lacks %s", c);
	run_free(&r);
	r = RUN("help", "tag");
	cr_assert_eq(r.rc, 0);
	cr_assert_not_null(strstr(r.out, "usage: celltag tag FILE CELL TAG..."));
	run_free(&r);
	r = RUN("tag", "--help");
	cr_assert_eq(r.rc, 0);
	run_free(&r);
	r = RUN("help", "nope");
	cr_assert_eq(r.rc, CLI_EXIT_USAGE);
	run_free(&r);
}
