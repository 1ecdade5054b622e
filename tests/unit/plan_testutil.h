/* plan_testutil.h - temporary copies of tests/data/plans for the plan and
 * apply tests (test_plan.c, test_cli_apply.c): a fresh folder per test with
 * nb_a.ipynb, nb_b.ipynb and main.yaml as plan.yaml. */
#ifndef CELLTAG_TESTS_PLAN_TESTUTIL_H
#define CELLTAG_TESTS_PLAN_TESTUTIL_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define DATA "tests/data/plans"

static char tmpdir[64];

static inline void copy_file(const char *from, const char *to)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* tmpdir/name (one of 8 rotating buffers). */
static inline const char *tmp(const char *name)
{
	static char paths[8][160];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name);
	return p;
}

/* Make tmpdir (named after `who`) and copy the plan fixtures into it. */
static inline void plan_tmp_setup(const char *who)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/celltag-%s-XXXXXX", who);
	cr_assert_not_null(mkdtemp(tmpdir));
	copy_file(DATA "/nb_a.ipynb", tmp("nb_a.ipynb"));
	copy_file(DATA "/nb_b.ipynb", tmp("nb_b.ipynb"));
	copy_file(DATA "/main.yaml", tmp("plan.yaml"));
}

static inline void plan_tmp_teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	cr_expect_eq(system(cmd), 0);
}

/* The whole file (malloc'ed, NUL-terminated); the test fails when it
 * cannot be read. */
static inline char *slurp(const char *path, size_t *len)
{
	char *buf = tu_read(path, len);

	cr_assert_not_null(buf, "%s", path);
	return buf;
}

static inline void expect_same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = slurp(a, &la), *y = slurp(b, &lb);

	cr_expect(la == lb && memcmp(x, y, la) == 0, "%s differs from %s", a, b);
	free(x);
	free(y);
}

#endif
