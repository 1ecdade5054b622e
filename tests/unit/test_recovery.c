/* test_recovery.c - recovery files: write, read, match, apply. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notebook.h"
#include "recovery.h"

static char dir[64];
static char nbpath[128];

static void setup(void)
{
	char cmd[512];
	snprintf(dir, sizeof dir, "/tmp/celltag-recovery-XXXXXX");
	cr_assert(mkdtemp(dir));
	snprintf(nbpath, sizeof nbpath, "%s/nb.ipynb", dir);
	snprintf(cmd, sizeof cmd, "cp tests/data/tui/lesson-03.ipynb '%s'", nbpath);
	cr_assert_eq(system(cmd), 0);
	setenv("XDG_STATE_HOME", dir, 1);
}

static void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	system(cmd);
}

TestSuite(recovery, .init = setup, .fini = teardown);

static struct notebook *load(void)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(nbpath, &nb, &err), CT_OK, "%s", err.msg);
	return nb;
}

Test(recovery, path_beside_the_notebook)
{
	char buf[256];
	cr_assert_str_eq(recovery_path_beside("a/b/nb.ipynb", buf, sizeof buf),
	                 "a/b/.nb.ipynb.celltag-recovery");
	cr_assert_str_eq(recovery_path_beside("nb.ipynb", buf, sizeof buf),
	                 ".nb.ipynb.celltag-recovery");
	cr_assert_null(recovery_path_beside("nb.ipynb", buf, 5));
}

Test(recovery, nothing_written_when_unmodified)
{
	struct notebook *nb = load();
	char used[512] = "";
	char buf[512];
	cr_assert_eq(recovery_write(nb, used, sizeof used, NULL), CT_OK);
	cr_assert_str_eq(used, "");
	cr_assert_null(recovery_find(nbpath, buf, sizeof buf));
	notebook_free(&nb);
}

Test(recovery, round_trip_applies_to_the_same_notebook)
{
	struct notebook *nb = load(), *nb2;
	struct recovery *rec = NULL;
	struct ct_error err;
	char used[512], found[512];
	const char *tags[] = { "odd % tag", "assignment:lesson-03-exercise-1" };
	size_t n = 0;

	cr_assert_eq(notebook_tags_set(nb, 3, tags, 2, NULL, &err), CT_OK);
	cr_assert_eq(notebook_tag_remove(nb, 11, "locked", NULL, &err), CT_OK);
	cr_assert_eq(recovery_write(nb, used, sizeof used, &err), CT_OK, "%s", err.msg);
	cr_assert(strstr(used, "/.nb.ipynb.celltag-recovery"));
	cr_assert_str_eq(recovery_find(nbpath, found, sizeof found), used);

	cr_assert_eq(recovery_read(used, &rec, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(rec->ncells, 2);
	cr_assert_eq(rec->cells[0].index, 3);
	cr_assert_str_eq(rec->cells[0].id, "c03");
	cr_assert_eq(rec->cells[0].ntags, 2);
	cr_assert_str_eq(rec->cells[0].tags[0], "odd % tag");
	cr_assert_eq(rec->cells[1].ntags, 1);
	cr_assert_str_eq(rec->cells[1].tags[0], "tests");

	nb2 = load();
	cr_assert(recovery_matches(rec, nb2));
	cr_assert_eq(recovery_apply(rec, nb2, &n, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(n, 2);
	cr_assert_eq(nb2->cells[3].ntags, 2);
	cr_assert_str_eq(nb2->cells[3].tags[1], "assignment:lesson-03-exercise-1");
	cr_assert_not(cell_has_tag(&nb2->cells[11], "locked"));
	recovery_free(&rec);
	cr_assert_null(rec);
	notebook_free(&nb);
	notebook_free(&nb2);
}

Test(recovery, does_not_match_a_changed_notebook)
{
	struct notebook *nb = load(), *nb2;
	struct recovery *rec = NULL;
	struct ct_error err;
	char used[512];
	FILE *f;

	cr_assert_eq(notebook_tag_add(nb, 3, "x", NULL, &err), CT_OK);
	cr_assert_eq(recovery_write(nb, used, sizeof used, &err), CT_OK);
	f = fopen(nbpath, "a");
	fputs(" ", f);
	fclose(f);
	nb2 = load();
	cr_assert_eq(recovery_read(used, &rec, &err), CT_OK);
	cr_assert_not(recovery_matches(rec, nb2));
	recovery_free(&rec);
	notebook_free(&nb);
	notebook_free(&nb2);
}

/* Files written before notebook_hash took four lanes say "celltag-recovery 1"
 * and hold the one-lane hash: they still match the notebook they were made
 * for (and only it), in memory or released (read from the file held). */
Test(recovery, version_1_files_match_by_the_old_hash)
{
	struct notebook *nb = load(), *lean = NULL;
	struct recovery *rec = NULL;
	struct ct_error err;
	char used[512], path[600];
	cr_assert_eq(notebook_tag_add(nb, 3, "x", NULL, &err), CT_OK);
	cr_assert_eq(recovery_write(nb, used, sizeof used, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(recovery_read(used, &rec, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(rec->version, 2);
	cr_assert_eq(rec->hash, notebook_hash(nb));
	cr_assert_neq(notebook_hash(nb), notebook_hash_legacy(nb), "the two hashes agree");
	recovery_free(&rec);

	for (int good = 0; good < 2; good++) {
		snprintf(path, sizeof path, "%s/v1.recovery", dir);
		FILE *f = fopen(path, "w");
		cr_assert_not_null(f);
		fprintf(f, "celltag-recovery 1\npath %s\nhash %016llx\ncell 3 c03 1\ntag x\n", nbpath,
		        (unsigned long long)(good ? ct_hash_bytes(nb->data, nb->len)
		                                  : notebook_hash(nb)));
		fclose(f);
		cr_assert_eq(recovery_read(path, &rec, &err), CT_OK, "%s", err.msg);
		cr_assert_eq(rec->version, 1);
		cr_assert_eq(recovery_matches(rec, nb), good, "good %d", good);
		struct timespec ts = { 0, 40 * 1000 * 1000 };
		nanosleep(&ts, NULL);   /* settled, so the lean load releases it */
		cr_assert_eq(notebook_load_lean(nbpath, 0, &lean, &err), CT_OK, "%s", err.msg);
		cr_assert(lean->released);
		cr_assert_eq(recovery_matches(rec, lean), good, "released, good %d", good);
		notebook_free(&lean);
		recovery_free(&rec);
	}
	notebook_free(&nb);
}

Test(recovery, falls_back_to_the_state_folder)
{
	struct notebook *nb = load();
	struct ct_error err;
	char used[512], want[512];

	if (geteuid() == 0)
		cr_skip_test("running as root: folder permissions are not enforced");
	cr_assert_eq(notebook_tag_add(nb, 3, "x", NULL, &err), CT_OK);
	chmod(dir, 0555);
	cr_assert_eq(recovery_write(nb, used, sizeof used, &err), CT_OK, "%s", err.msg);
	chmod(dir, 0755);
	cr_assert_str_eq(used, recovery_path_state(nbpath, want, sizeof want));
	notebook_free(&nb);
}

Test(recovery, refuses_malformed_files)
{
	char path[256];
	struct recovery *rec = NULL;
	struct ct_error err;
	const char *bad[] = {
		"not a recovery file\n",
		"celltag-recovery 1\npath /x\nhash 1\ncell 1 - 2\ntag a\n",  /* truncated */
		"celltag-recovery 1\npath /x\nhash 1\nbogus line\n",
		"celltag-recovery 1\nhash 1\n",                             /* no path */
	};
	snprintf(path, sizeof path, "%s/r", dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		cr_expect_eq(recovery_read(path, &rec, &err), CT_FORMAT, "case %zu", i);
		cr_expect_null(rec);
	}
	cr_assert_eq(recovery_read("/nonexistent/r", &rec, &err), CT_NOTFOUND);
}
