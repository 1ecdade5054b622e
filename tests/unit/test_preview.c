/* test_preview.c - the first cells of a big notebook, shown while the rest
 * loads: notebook_load_preview() and the editor's first screen.
 *
 * The preview must hold exactly the cells that are whole in the bytes read,
 * equal to the full load's, wherever the cut falls; it can be neither
 * edited nor saved; and the editor replaces it with the full load (or, when
 * the end of the file is broken, reports that and touches nothing).
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "display.h"
#include "dump.h"
#include "keymap.h"
#include "notebook.h"
#include "screen.h"
#include "save.h"
#include "theme.h"
#include "tui.h"
#include "testutil.h"

static char *tmpdir;

static void setup(void)
{
	tmpdir = tu_tmpdir();
}

static void teardown(void)
{
	tu_rmtree(&tmpdir);
}

TestSuite(preview, .init = setup, .fini = teardown, .timeout = 60);

/* A Jupyter-style notebook of `ncells` cells: markdown every fourth, code
 * cells with an output of `outlen` base64-like bytes, some tagged. */
static char *make_notebook(size_t ncells, size_t outlen, size_t *len)
{
	size_t cap = 256 + ncells * (outlen + 512);
	char *s = malloc(cap), *p = s;
	cr_assert_not_null(s);
	p += sprintf(p, "{\n \"cells\": [\n");
	for (size_t i = 0; i < ncells; i++) {
		if (i % 4 == 0) {
			p += sprintf(p, "  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"m%zu\",\n"
			             "   \"metadata\": {},\n   \"source\": [\n"
			             "    \"## Exercise %zu\"\n   ]\n  }", i, i / 4 + 1);
		} else {
			p += sprintf(p, "  {\n   \"cell_type\": \"code\",\n"
			             "   \"execution_count\": %zu,\n   \"id\": \"c%zu\",\n"
			             "   \"metadata\": {%s},\n   \"outputs\": [\n    {\n"
			             "     \"data\": {\n      \"image/png\": \"", i, i,
			             i % 3 == 0 ? "\n    \"tags\": [\n     \"assignment:lesson-01-"
			                          "exercise-1\"\n    ]\n   " : "");
			for (size_t k = 0; k < outlen; k++)
				*p++ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef+/"[(i + k) % 34];
			p += sprintf(p, "\"\n     },\n     \"metadata\": {},\n"
			             "     \"output_type\": \"display_data\"\n    }\n   ],\n"
			             "   \"source\": [\n    \"def f_%zu(x):\\n\",\n"
			             "    \"    # YOUR CODE HERE\"\n   ]\n  }", i);
		}
		p += sprintf(p, "%s\n", i + 1 < ncells ? "," : "");
	}
	p += sprintf(p, " ],\n \"metadata\": {},\n \"nbformat\": 4,\n"
	             " \"nbformat_minor\": 5\n}\n");
	*len = (size_t)(p - s);
	cr_assert_lt(*len, cap);
	return s;
}

/* The file at path still holds exactly s[0, len). */
static void assert_unchanged(const char *path, const char *s, size_t len)
{
	size_t n;
	char *after = tu_read(path, &n);
	cr_assert(after && n == len && memcmp(after, s, len) == 0, "%s changed", path);
	free(after);
}

static void assert_same_cell(const struct nb_cell *a, const struct nb_cell *b)
{
	cr_assert_eq(a->kind, b->kind, "cell %zu", (size_t)b->index);
	cr_assert_str_eq(a->cell_type, b->cell_type);
	cr_assert_eq(a->source_len, b->source_len, "cell %zu", (size_t)b->index);
	cr_assert(memcmp(a->source, b->source, a->source_len) == 0, "cell %zu", (size_t)b->index);
	cr_assert_str_eq(a->id ? a->id : "", b->id ? b->id : "");
	cr_assert_eq(a->ntags, b->ntags, "cell %zu", (size_t)b->index);
	for (size_t t = 0; t < a->ntags; t++)
		cr_assert_str_eq(a->tags[t], b->tags[t]);
	cr_assert_eq(a->execution_count, b->execution_count);
	cr_assert_eq(a->layout.object.start, b->layout.object.start);
	cr_assert_eq(a->layout.object.end, b->layout.object.end);
}

Test(preview, cells_match_the_full_load)
{
	size_t len;
	char *s = make_notebook(3000, 2000, &len);     /* about 7 MB */
	const char *path = tu_path(tmpdir, "big.ipynb");
	cr_assert(tu_write(path, s, len));
	struct notebook *full = NULL, *pre = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(path, &full, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_load_preview(path, 40, &pre, &err), CT_OK, "%s", err.msg);
	cr_assert(pre->preview);
	cr_assert_geq(pre->ncells, 40);
	cr_assert_lt(pre->ncells, full->ncells, "the preview read the whole file");
	cr_assert_leq(pre->len, NB_PREVIEW_FIRST, "read %zu bytes for 40 cells", pre->len);
	for (size_t i = 0; i < pre->ncells; i++)
		assert_same_cell(&pre->cells[i], &full->cells[i]);
	/* Asked for more cells than the first megabyte holds: it reads more. */
	notebook_free(&pre);
	cr_assert_eq(notebook_load_preview(path, 1500, &pre, &err), CT_OK, "%s", err.msg);
	cr_assert_geq(pre->ncells, 1500);
	cr_assert_gt(pre->len, NB_PREVIEW_FIRST);
	for (size_t i = 0; i < pre->ncells; i++)
		assert_same_cell(&pre->cells[i], &full->cells[i]);
	notebook_free(&pre);
	notebook_free(&full);
	free(s);
}

Test(preview, a_cut_anywhere_keeps_exactly_the_whole_cells)
{
	size_t len;
	char *s = make_notebook(12, 40, &len);
	struct notebook *full = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer(s, len, "x.ipynb", &full, &err), CT_OK, "%s",
	             err.msg);
	const char *path = tu_path(tmpdir, "cut.ipynb");
	size_t with_cells = 0;
	for (size_t cut = 0; cut <= len; cut++) {
		cr_assert(tu_write(path, s, cut));
		size_t whole = 0;
		while (whole < full->ncells && full->cells[whole].layout.object.end <= cut)
			whole++;
		struct notebook *pre = NULL;
		enum ct_status st = notebook_load_preview(path, 100, &pre, &err);
		if (whole == 0) {
			cr_assert_eq(st, CT_FORMAT, "cut at %zu: %s", cut, ct_status_name(st));
			cr_assert_null(pre);
			continue;
		}
		cr_assert_eq(st, CT_OK, "cut at %zu: %s", cut, err.msg);
		cr_assert_eq(pre->ncells, whole, "cut at %zu: %zu cells, %zu whole", cut,
		             pre->ncells, whole);
		for (size_t i = 0; i < whole; i++)
			assert_same_cell(&pre->cells[i], &full->cells[i]);
		with_cells++;
		notebook_free(&pre);
	}
	cr_assert_gt(with_cells, len / 2);
	notebook_free(&full);
	free(s);
}

/* Two "cells" lists (a read-only notebook; the full load keeps the last):
 * the preview shows the list being read at the cut, the second one from its
 * key on. */
Test(preview, a_second_cells_list_starts_over)
{
	const char *nb = "{\"cells\": [{\"cell_type\": \"markdown\", \"metadata\": {}, "
	                 "\"source\": \"first\"}], \"cells\": [{\"cell_type\": \"code\", "
	                 "\"metadata\": {}, \"outputs\": [], \"source\": \"second\"}], "
	                 "\"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
	const char *second = strstr(nb + 10, "\"cells\"");
	size_t len = strlen(nb), at = (size_t)(second - nb);
	struct notebook *pre = NULL;
	struct ct_error err;
	/* before the second key: the first list's cell */
	cr_assert_eq(notebook_preview_buffer(nb, at, "dup.ipynb", &pre, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(pre->ncells, 1);
	cr_assert_str_eq(pre->cells[0].source, "first");
	notebook_free(&pre);
	/* after the key, before its list: nothing whole yet */
	cr_assert_eq(notebook_preview_buffer(nb, at + 8, "dup.ipynb", &pre, &err), CT_FORMAT);
	cr_assert_null(pre);
	/* all of it: the second list, as the full load */
	cr_assert_eq(notebook_preview_buffer(nb, len, "dup.ipynb", &pre, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(pre->ncells, 1);
	cr_assert_str_eq(pre->cells[0].source, "second");
	struct notebook *full = NULL;
	cr_assert_eq(notebook_load_buffer(nb, len, "dup.ipynb", &full, &err), CT_OK, "%s", err.msg);
	cr_assert_not_null(full->readonly_reason);
	cr_assert_str_eq(full->cells[0].source, "second");
	notebook_free(&full);
	notebook_free(&pre);
}

Test(preview, is_neither_edited_nor_saved)
{
	size_t len;
	char *s = make_notebook(400, 4000, &len);
	const char *path = tu_path(tmpdir, "ro.ipynb");
	cr_assert(tu_write(path, s, len));
	struct notebook *pre = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_preview(path, 10, &pre, &err), CT_OK, "%s", err.msg);
	cr_assert_not_null(pre->readonly_reason);
	cr_assert_neq(notebook_tag_add(pre, 1, "assignment:lesson-01-exercise-2", NULL, &err),
	              CT_OK);
	cr_assert_eq(notebook_save(&pre, NULL, false, &err), CT_USAGE);
	char *out = NULL;
	size_t olen;
	cr_assert_eq(notebook_render(pre, &out, &olen, &err), CT_USAGE);
	cr_assert_null(out);
	notebook_free(&pre);
	assert_unchanged(path, s, len);
	free(s);
}

Test(preview, no_whole_cell_in_the_first_32_mb)
{
	size_t len;
	char *s = make_notebook(2, (size_t)33 << 20, &len);
	const char *path = tu_path(tmpdir, "huge-cell.ipynb");
	cr_assert(tu_write(path, s, len));
	free(s);
	struct notebook *pre = NULL;
	struct ct_error err;
	/* cell 0 is markdown and whole; asking for two finds only it */
	cr_assert_eq(notebook_load_preview(path, 2, &pre, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(pre->ncells, 1);
	cr_assert_leq(pre->len, NB_PREVIEW_MAX);
	notebook_free(&pre);
	/* a notebook whose first cell is over the limit has no preview */
	const char *head = "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"";
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(head, f);
	for (size_t i = 0; i < ((size_t)33 << 20) / 64; i++)
		fputs("0123456789012345678901234567890123456789012345678901234567890123", f);
	fputs("\"}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}", f);
	fclose(f);
	cr_assert_eq(notebook_load_preview(path, 2, &pre, &err), CT_FORMAT);
	cr_assert_null(pre);
	cr_assert(strstr(err.msg, "no whole cell"), "%s", err.msg);
}

/* The screen drawn from a preview: the cells read so far, and a status line
 * that says the rest is being read (no counts it cannot know). */
Test(preview, first_screen_says_it_is_loading)
{
	size_t len;
	char *s = make_notebook(400, 4000, &len);
	const char *path = tu_path(tmpdir, "draw.ipynb");
	cr_assert(tu_write(path, s, len));
	free(s);
	tu_tui_env(tmpdir);
	struct notebook *pre = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_preview(path, 24, &pre, &err), CT_OK, "%s", err.msg);
	size_t shown = pre->ncells;

	struct ct_config cfg;
	struct keymap km;
	struct theme theme;
	struct display d;
	struct app app;
	config_init_defaults(&cfg);
	keymap_init(&km);
	cr_assert_eq(theme_find("default", NULL, NULL, &theme, &err), CT_OK);
	struct display_opts o = { .headless = true, .cols = 100, .rows = 24, .theme = &theme,
	                          .color_mode = THEME_COLORS_NEVER };
	cr_assert_eq(display_open(&d, &o, &err), CT_OK, "%s", err.msg);
	app_init(&app, &cfg, &km, false);
	app_add_notebook(&app, pre);
	app.loading = true;
	app.loading_cells = 4000;       /* the index column is sized for it */
	screen_draw_frame(&app, &d);
	const char *dump = tu_path(tmpdir, "preview.screen");
	cr_assert_eq(dump_display(dump, &err), CT_OK, "%s", err.msg);
	display_close(&d);
	app_free(&app);
	config_free(&cfg);

	size_t n;
	char *scr = tu_read(dump, &n);
	char want[64];
	snprintf(want, sizeof want, " %zu cells so far ", shown);
	cr_assert(strstr(scr, want), "no '%s' in:\n%s", want, scr);
	snprintf(want, sizeof want, "first %zu cells; reading the rest...", shown);
	cr_assert(strstr(scr, want), "no '%s' in:\n%s", want, scr);
	cr_assert(strstr(scr, "## Exercise 1"), "the first cell is not shown:\n%s", scr);
	cr_assert(strstr(scr, "\n    0 md "), "index column not 4 wide:\n%s", scr);
	cr_assert(strstr(scr, "def f_1(x):"), "the second cell is not shown:\n%s", scr);
	cr_assert_null(strstr(scr, "tagged"), "counts shown before they are known:\n%s", scr);
	free(scr);
}

/* A notebook of about 19 MB (above the editor's 16 MB preview size) named
 * `name` in tmpdir, made the working folder with the editor's environment,
 * $CELLTAG_TIMING set to timing.txt and the script `keys` holding `script`.
 * `broken`: its last line is invalid JSON.  Returns the bytes written. */
static char *stage_big(const char *name, bool broken, const char *script, size_t *len)
{
	char *s = make_notebook(5000, 5000, len);
	cr_assert_gt(*len, (size_t)16 << 20);
	if (broken)
		s[*len - 3] = ',';                       /* "5\n}" -> "5,}" */
	cr_assert(tu_write(tu_path(tmpdir, name), s, *len));
	cr_assert_eq(chdir(tmpdir), 0);
	tu_tui_env(tmpdir);
	setenv("CELLTAG_TIMING", "timing.txt", 1);
	FILE *k = fopen("keys", "w");
	cr_assert_not_null(k);
	fputs(script, k);
	fclose(k);
	return s;
}

/* The editor on a notebook above its preview size (16 MB): the first screen
 * comes from the preview ($CELLTAG_TIMING says so), the keys then act on the
 * whole notebook. */
Test(preview, editor_shows_the_start_then_the_whole_notebook)
{
	size_t len;
	char *s = stage_big("big.ipynb", false, "G\n:save-display end.screen\nq\n", &len);
	const char *path = tu_path(tmpdir, "big.ipynb");
	char *argv[] = { (char *)"celltag", (char *)"--size", (char *)"100x30",
	                 (char *)"--script", (char *)"keys", (char *)"big.ipynb", NULL };
	cr_assert_eq(tui_main(6, argv), 0);
	unsetenv("CELLTAG_TIMING");

	size_t n;
	char *t = tu_read("timing.txt", &n);
	cr_assert_not_null(t, "no $CELLTAG_TIMING file");
	long long ns;
	size_t cells = 0;
	cr_assert_eq(sscanf(t, "first-screen %lld preview %zu", &ns, &cells), 2,
	             "the first screen was not a preview: %s", t);
	cr_assert_geq(cells, 30, "a preview of %zu cells does not fill 30 rows", cells);
	cr_assert_lt(cells, 5000);
	free(t);
	char *scr = tu_read("end.screen", &n);
	cr_assert(strstr(scr, "5000/5000"), "G did not reach the last cell:\n%s", scr);
	cr_assert_null(strstr(scr, "so far"), "still a preview after loading:\n%s", scr);
	free(scr);
	assert_unchanged(path, s, len);
	free(s);
}

Test(preview, editor_reports_a_broken_end_after_the_preview)
{
	size_t len;
	char *s = stage_big("broken.ipynb", true, "q\n", &len);
	const char *path = tu_path(tmpdir, "broken.ipynb");
	char *argv[] = { (char *)"celltag", (char *)"--script", (char *)"keys",
	                 (char *)"broken.ipynb", NULL };
	cr_redirect_stderr();
	int rc = tui_main(4, argv);
	unsetenv("CELLTAG_TIMING");
	cr_assert_eq(rc, 3, "exit %d for a broken notebook", rc);
	size_t n;
	char *t = tu_read("timing.txt", &n);
	cr_assert_not_null(t);
	cr_assert(strstr(t, " preview "), "no preview was drawn: %s", t);
	free(t);
	fflush(stderr);
	char line[512] = "";
	FILE *e = cr_get_redirected_stderr();
	cr_assert_not_null(fgets(line, sizeof line, e));
	cr_assert(strncmp(line, "celltag: broken.ipynb:", 22) == 0, "error: %s", line);
	cr_assert(strstr(line, "invalid JSON"), "error: %s", line);
	assert_unchanged(path, s, len);
	free(s);
}
