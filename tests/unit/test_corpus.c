/* test_corpus.c - the lossless promises on every real notebook of
 * ../shared/corpus (or $CELLTAG_CORPUS); skipped, with a notice, without it. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "notebook.h"
#include "save.h"
#include "testutil.h"

#define TAG "assignment:lesson-99-exercise-1"

typedef void (*file_fn)(const char *path, void *ctx);

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.ipynb below dir (two levels: owner__repo/file), sorted. */
static size_t each_notebook(const char *dir, file_fn fn, void *ctx)
{
	char *paths[512];
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		DIR *d2 = opendir(sub);
		struct dirent *f;
		while (d2 && (f = readdir(d2))) {
			size_t l = strlen(f->d_name);
			if (l > 6 && strcmp(f->d_name + l - 6, ".ipynb") == 0 && n < 512) {
				char p[8300];
				snprintf(p, sizeof p, "%s/%s", sub, f->d_name);
				paths[n++] = strdup(p);
			}
		}
		if (d2)
			closedir(d2);
	}
	if (d)
		closedir(d);
	qsort(paths, n, sizeof paths[0], cmp_str);
	for (size_t i = 0; i < n; i++) {
		fn(paths[i], ctx);
		free(paths[i]);
	}
	return n;
}

struct tally {
	int loaded, failed, version_errors, roundtrip_ok, tagged_ok, skipped_no_cell;
};

static bool cjson_cell_has_tag(const char *buf, size_t len, size_t cell, const char *tag)
{
	cJSON *root = cJSON_ParseWithLength(buf, len);
	if (!root)
		return false;
	cJSON *cells = cJSON_GetObjectItemCaseSensitive(root, "cells");
	cJSON *c = cJSON_GetArrayItem(cells, (int)cell);
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "metadata"), "tags");
	bool found = false;
	cJSON *t;
	cJSON_ArrayForEach(t, tags)
		if (cJSON_IsString(t) && strcmp(t->valuestring, tag) == 0)
			found = true;
	cJSON_Delete(root);
	return found;
}

static void check_one(const char *path, void *ctx)
{
	struct tally *t = ctx;
	struct notebook *nb;
	struct ct_error e;
	size_t olen;
	char *orig = tu_read(path, &olen);
	cr_assert_not_null(orig);
	if (notebook_load(path, &nb, &e) != CT_OK) {
		/* the documented one-line error, naming the file */
		cr_assert_str_eq(e.path, path);
		cr_assert(e.msg[0] && !strchr(e.msg, '\n'));
		cr_log_info("corpus: cannot load (as documented) %s: %s", path, e.msg);
		t->failed++;
		if (e.status == CT_VERSION)
			t->version_errors++;
		free(orig);
		return;
	}
	t->loaded++;
	char *out;
	size_t len;
	cr_assert_eq(notebook_render(nb, &out, &len, NULL), CT_OK);
	cr_assert(len == olen && memcmp(out, orig, len) == 0, "%s: no-op render differs", path);
	free(out);
	t->roundtrip_ok++;

	size_t cell = 0;
	while (cell < nb->ncells && nb->cells[cell].readonly_reason)
		cell++;
	if (cell == nb->ncells) {
		t->skipped_no_cell++;
		notebook_free(&nb);
		free(orig);
		return;
	}
	bool had_key = nb->cells[cell].had_tags_key;
	struct nb_span meta = nb->cells[cell].layout.metadata;
	cr_assert_eq(notebook_tag_add(nb, cell, TAG, NULL, &e), CT_OK, "%s: %s", path, e.msg);
	cr_assert_eq(notebook_render(nb, &out, &len, NULL), CT_OK);
	/* parses (cJSON as an independent reader) and holds the tag */
	cr_assert(cjson_cell_has_tag(out, len, cell, TAG), "%s: tag not found after edit", path);
	/* differs only inside that cell's metadata object */
	cr_assert(memcmp(out, orig, meta.start) == 0, "%s: bytes before the metadata changed", path);
	size_t tail = olen - meta.end;
	cr_assert(len >= tail && memcmp(out + len - tail, orig + meta.end, tail) == 0,
	          "%s: bytes after the metadata changed", path);
	/* our own loader reads it back with the same cells */
	struct notebook *re;
	cr_assert_eq(notebook_load_buffer(out, len, path, &re, &e), CT_OK, "%s: %s", path, e.msg);
	cr_assert_eq(re->ncells, nb->ncells);
	cr_assert(cell_has_tag(&re->cells[cell], TAG));
	/* untag across the reload: the original bytes when the cell had no key */
	cr_assert_eq(notebook_tag_remove(re, cell, TAG, NULL, &e), CT_OK);
	char *back;
	size_t blen;
	notebook_render(re, &back, &blen, NULL);
	if (!had_key || nb->cells[cell].nloaded_tags > 0)
		cr_assert(blen == olen && memcmp(back, orig, olen) == 0,
		          "%s: tag then untag (across a reload) did not give the original", path);
	free(back);
	notebook_free(&re);
	/* untag in the same session: always the original */
	cr_assert_eq(notebook_tag_remove(nb, cell, TAG, NULL, &e), CT_OK);
	free(out);
	notebook_render(nb, &out, &len, NULL);
	cr_assert(len == olen && memcmp(out, orig, len) == 0, "%s: tag then untag differs", path);
	free(out);
	t->tagged_ok++;
	notebook_free(&nb);
	free(orig);
}

Test(corpus, lossless_on_every_real_notebook, .timeout = 120)
{
	const char *dir = tu_corpus_dir();
	if (!dir) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		cr_skip_test("corpus not found");
	}
	struct tally t = { 0 };
	size_t n = each_notebook(dir, check_one, &t);
	fprintf(stderr, "corpus: %zu notebooks: %d loaded (%d byte-identical no-op saves, %d tag/untag "
	        "round trips), %d refused with the documented error (%d nbformat 3), %d with no editable cell\n",
	        n, t.loaded, t.roundtrip_ok, t.tagged_ok, t.failed, t.version_errors, t.skipped_no_cell);
	cr_assert_gt(n, 0);
	cr_assert_eq((size_t)(t.loaded + t.failed), n);
	/* every failure is an nbformat-3 file: the others must load */
	cr_assert_eq(t.failed, t.version_errors, "a corpus notebook failed to load for another reason");
}
