/* test_save.c - notebook_save: baseline after a save, save-as, check_disk. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notebook.h"
#include "save.h"
#include "testutil.h"

static char *dir;

static void setup(void)
{
	dir = tu_tmpdir();
	cr_assert(tu_copy("tests/data/styles/colab.ipynb", tu_path(dir, "nb.ipynb")));
}

static void teardown(void)
{
	tu_rmtree(&dir);
}

TestSuite(save, .init = setup, .fini = teardown);

Test(save, reload_gives_a_new_baseline)
{
	const char *p = tu_path(dir, "nb.ipynb");
	struct notebook *nb;
	struct ct_error e;
	cr_assert_eq(notebook_load(p, &nb, &e), CT_OK);
	cr_assert_eq(notebook_tag_add(nb, 1, "one", NULL, &e), CT_OK);
	char *want;
	size_t wlen;
	notebook_render(nb, &want, &wlen, NULL);
	cr_assert_eq(notebook_save(&nb, NULL, true, &e), CT_OK, "%s", e.msg);
	cr_assert_not(notebook_modified(nb), "a reloaded notebook starts clean");
	cr_assert(nb->cells[1].had_tags_key);
	cr_assert_eq(notebook_check_disk(nb, &e), CT_OK, "%s", e.msg);
	size_t len;
	char *disk = tu_read(p, &len);
	cr_assert(len == wlen && memcmp(disk, want, len) == 0);
	/* a second edit and save on the new baseline */
	cr_assert_eq(notebook_tag_add(nb, 1, "two", NULL, &e), CT_OK);
	cr_assert_eq(notebook_save(&nb, NULL, true, &e), CT_OK, "%s", e.msg);
	cr_assert_eq(nb->cells[1].ntags, 2);
	cr_assert_eq(tu_count_entries(dir), 1, "a temporary file was left behind");
	free(disk);
	free(want);
	notebook_free(&nb);
}

Test(save, save_as_leaves_the_original)
{
	const char *p = tu_path(dir, "nb.ipynb"), *q = tu_path(dir, "copy.ipynb");
	size_t olen;
	char *orig = tu_read(p, &olen);
	struct notebook *nb;
	struct ct_error e;
	cr_assert_eq(notebook_load(p, &nb, &e), CT_OK);
	notebook_tag_add(nb, 0, "x", NULL, &e);
	struct save_options o = { .path = q };
	cr_assert_eq(notebook_save(&nb, &o, false, &e), CT_OK, "%s", e.msg);
	size_t len;
	char *now = tu_read(p, &len);
	cr_assert(len == olen && memcmp(now, orig, len) == 0);
	struct notebook *c;
	cr_assert_eq(notebook_load(q, &c, &e), CT_OK);
	cr_assert(cell_has_tag(&c->cells[0], "x"));
	struct stat st;
	stat(q, &st);
	cr_assert_eq(st.st_mode & 0777, 0644);
	notebook_free(&c);
	notebook_free(&nb);
	free(now);
	free(orig);
}

Test(save, memory_notebook_cannot_be_saved_in_place)
{
	struct notebook *nb;
	const char *s = "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	cr_assert_eq(notebook_load_buffer(s, strlen(s), "m", &nb, NULL), CT_OK);
	struct ct_error e;
	cr_assert_eq(notebook_save(&nb, NULL, false, &e), CT_USAGE);
	cr_assert_eq(notebook_check_disk(nb, &e), CT_USAGE);
	notebook_free(&nb);
}

Test(save, unchanged_save_is_byte_identical)
{
	const char *p = tu_path(dir, "nb.ipynb");
	size_t olen;
	char *orig = tu_read(p, &olen);
	struct notebook *nb;
	cr_assert_eq(notebook_load(p, &nb, NULL), CT_OK);
	cr_assert_eq(notebook_save(&nb, NULL, true, NULL), CT_OK);
	size_t len;
	char *now = tu_read(p, &len);
	cr_assert(len == olen && memcmp(now, orig, len) == 0);
	free(now);
	free(orig);
	notebook_free(&nb);
}
