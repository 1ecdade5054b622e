/* test_perf_guard.c - guards of the load/edit/save design, without timing.
 *
 * These tests fail when the design regresses (outputs built into a tree,
 * per-edit copies of the cell array, a save that renders the whole file in
 * memory), never because the machine is busy: they count bytes, not
 * seconds.  Two notebooks with the same 50,000 cells and sources, one with
 * ~1 MB of outputs and one with ~100 MB, must cost the same model memory.
 *
 * Counting: heap bytes in use from mallinfo2() (glibc), or from the
 * sanitizer allocator under ASan; peak resident memory from VmHWM in
 * /proc/self/status, reset through /proc/self/clear_refs (Linux), skipped
 * under sanitizers (their shadow memory and quarantine blur it).
 */
#include <criterion/criterion.h>

#include <malloc.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "config.h"
#include "keymap.h"
#include "notebook.h"
#include "save.h"
#include "status.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define PG_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PG_SANITIZED 1
#endif
#endif
#ifndef PG_SANITIZED
#define PG_SANITIZED 0
#endif

/* Present only when linked with a sanitizer runtime. */
extern size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

#define PG_CELLS 50000
#define MB ((size_t)1 << 20)

/* ---- a growable text buffer -------------------------------------------- */

struct pg_buf {
	char *p;
	size_t len, cap;
};

static void pg_add(struct pg_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		cr_assert_not_null(b->p, "out of memory building the test notebook");
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

#define PG_LIT(b, lit) pg_add((b), (lit), sizeof(lit) - 1)

static void pg_addf(struct pg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pg_addf(struct pg_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	cr_assert(n >= 0 && (size_t)n < sizeof tmp);
	pg_add(b, tmp, (size_t)n);
}

static void pg_fill(struct pg_buf *b, char c, size_t n)
{
	char chunk[1024];

	memset(chunk, c, sizeof chunk);
	while (n) {
		size_t k = n < sizeof chunk ? n : sizeof chunk;
		pg_add(b, chunk, k);
		n -= k;
	}
}

/* A Jupyter-format notebook (indent 1, sorted keys) of `ncells` code cells,
 * each with the same two-line source and a tag, and outputs of
 * `text_lines` stream lines of `line_len` characters plus one image of
 * `png_len` base64 characters.  *source_bytes gets the total source size. */
static struct pg_buf pg_notebook(size_t ncells, size_t text_lines, size_t line_len,
                                 size_t png_len, size_t *source_bytes)
{
	struct pg_buf b = { 0 };
	size_t src = 0;

	PG_LIT(&b, "{\n \"cells\": [\n");
	for (size_t i = 0; i < ncells; i++) {
		pg_addf(&b, "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": %zu,\n"
		        "   \"id\": \"c%07zu\",\n   \"metadata\": {\n    \"tags\": [\n"
		        "     \"assignment:lesson-01-exercise-%zu\"\n    ]\n   },\n"
		        "   \"outputs\": [\n    {\n     \"name\": \"stdout\",\n"
		        "     \"output_type\": \"stream\",\n     \"text\": [\n",
		        i + 1, i, i + 1);
		for (size_t l = 0; l < text_lines; l++) {
			PG_LIT(&b, "      \"");
			pg_fill(&b, 'o', line_len);
			if (l + 1 < text_lines)
				PG_LIT(&b, "\\n\",\n");
			else
				PG_LIT(&b, "\"\n");
		}
		PG_LIT(&b, "     ]\n    },\n    {\n     \"data\": {\n      \"image/png\": \"");
		pg_fill(&b, 'A', png_len);
		pg_addf(&b, "\",\n      \"text/plain\": [\n       \"<Figure size 640x480>\"\n"
		        "      ]\n     },\n     \"metadata\": {},\n     \"output_type\": \"display_data\"\n"
		        "    }\n   ],\n   \"source\": [\n    \"x_%07zu = %zu\\n\",\n"
		        "    \"# YOUR CODE HERE\"\n   ]\n  }%s\n",
		        i, i, i + 1 < ncells ? "," : "");
		src += strlen("x_0000000 = \n# YOUR CODE HERE") + (size_t)snprintf(NULL, 0, "%zu", i);
	}
	PG_LIT(&b, " ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
	*source_bytes = src;
	return b;
}

/* ---- counting ------------------------------------------------------------ */

static void *volatile pg_sink;

static size_t pg_heap_in_use(void)
{
	if (__sanitizer_get_current_allocated_bytes)
		return __sanitizer_get_current_allocated_bytes();
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
#else
	return 0;
#endif
}

/* Skip unless heap counting sees a known allocation. */
static void pg_require_heap_counter(void)
{
	size_t before = pg_heap_in_use();
	pg_sink = malloc(8 * MB);
	cr_assert_not_null(pg_sink);
	size_t during = pg_heap_in_use();
	free(pg_sink);
	pg_sink = NULL;
	if (during < before + 8 * MB)
		cr_skip_test("skipped: no heap byte counter (mallinfo2 or sanitizer) here");
}

/* VmHWM or VmRSS from /proc/self/status, in bytes; 0 when unknown. */
static size_t pg_status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t kb = 0, klen = strlen(key);

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			kb = strtoull(line + klen + 1, NULL, 10);
	fclose(f);
	return kb * 1024;
}

/* Reset the peak-RSS mark (VmHWM := VmRSS); false when not possible. */
static bool pg_reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (!f)
		return false;
	bool ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok && pg_status_kb("VmHWM") != 0;
}

/* Skip the test unless peak RSS can be measured meaningfully. */
static void pg_require_peak(void)
{
	if (PG_SANITIZED)
		cr_skip_test("skipped: peak RSS is not meaningful under sanitizers");
	if (!pg_reset_peak())
		cr_skip_test("skipped: cannot reset the peak RSS (/proc/self/clear_refs)");
}

/* Bytes of heap a loaded notebook's copy of the file takes: none when it
 * got its own mapping (big files), which the heap counters do not see. */
static size_t pg_data_heap(const struct notebook *nb)
{
	return nb->data_map_len_ ? 0 : nb->len + 1;
}

/* Model bytes of a loaded notebook: heap in use by it beyond the copy of
 * the file's bytes. */
struct pg_loaded {
	struct notebook *nb;
	size_t len, source_bytes, model;
};

static struct pg_loaded pg_load(size_t text_lines, size_t line_len, size_t png_len)
{
	struct pg_loaded r = { 0 };
	struct ct_error err;
	struct pg_buf b = pg_notebook(PG_CELLS, text_lines, line_len, png_len, &r.source_bytes);

	size_t before = pg_heap_in_use();
	enum ct_status st = notebook_load_buffer(b.p, b.len, "guard.ipynb", &r.nb, &err);
	size_t after = pg_heap_in_use();
	cr_assert_eq(st, CT_OK, "load failed: %s", err.msg);
	cr_assert_eq(r.nb->ncells, PG_CELLS);
	r.len = b.len;
	size_t grown = after - before, data = pg_data_heap(r.nb);
	cr_assert_geq(grown, data, "heap counter: %zu bytes for a %zu-byte file", grown, data);
	r.model = grown - data;
	free(b.p);
	return r;
}

/* A generous design bound for the model: per cell a few hundred bytes of
 * bookkeeping plus a small multiple of the source text; nothing scales
 * with outputs. */
static size_t pg_model_bound(size_t source_bytes)
{
	return PG_CELLS * (sizeof(struct nb_cell) + 512) + 4 * source_bytes;
}

TestSuite(perf_guard, .timeout = 300);

Test(perf_guard, model_memory_ignores_outputs)
{
	pg_require_heap_counter();
	/* ~20 bytes of outputs per cell (~1 MB), then ~2,000 (~100 MB). */
	struct pg_loaded lo = pg_load(1, 10, 10);
	size_t lo_model = lo.model, lo_len = lo.len, src = lo.source_bytes;
	notebook_free(&lo.nb);
	struct pg_loaded hi = pg_load(20, 60, 800);
	cr_assert_gt(hi.len, lo_len + 90 * MB, "test setup: outputs should add ~100 MB");
	cr_log_info("perf_guard: model %zu bytes (1 MB outputs) vs %zu bytes (%zu MB outputs), "
	            "%zu bytes of sources", lo_model, hi.model, hi.len / MB, src);

	cr_expect_leq(lo_model, pg_model_bound(src),
	              "model of %d cells takes %zu bytes, over the bound %zu", PG_CELLS,
	              lo_model, pg_model_bound(src));
	/* 100x the outputs may not cost more than 5% (or 256 KB) more model. */
	size_t slack = lo_model / 20 > 256 * 1024 ? lo_model / 20 : 256 * 1024;
	cr_expect_leq(hi.model, lo_model + slack,
	              "model grows with outputs: %zu bytes for %zu MB of file vs %zu for %zu MB",
	              hi.model, hi.len / MB, lo_model, lo_len / MB);
	notebook_free(&hi.nb);
}

Test(perf_guard, tag_edits_do_not_copy_the_notebook)
{
	pg_require_heap_counter();
	struct pg_loaded lo = pg_load(1, 10, 10);
	struct ct_error err;
	char tag[64];

	size_t before = pg_heap_in_use();
	for (size_t i = 0; i < 1000; i++) {
		bool changed = false;
		snprintf(tag, sizeof tag, "extra-%zu", i);
		cr_assert_eq(notebook_tag_add(lo.nb, i * 37 % PG_CELLS, tag, &changed, &err), CT_OK,
		             "%s", err.msg);
		cr_assert(changed);
	}
	size_t grown = pg_heap_in_use() - before;
	/* Each edit may allocate a new tag array and string (tens of bytes,
	 * arena-rounded); copying the cells or the text would be megabytes. */
	cr_expect_leq(grown, 1000 * 256 + 256 * 1024,
	              "1,000 tag edits on %d cells grew the heap by %zu bytes", PG_CELLS, grown);
	cr_expect(notebook_modified(lo.nb));
	notebook_free(&lo.nb);
}

Test(perf_guard, load_peak_is_the_copy_plus_the_model)
{
	struct pg_buf b;
	struct notebook *nb = NULL;
	struct ct_error err;
	size_t src;

	pg_require_peak();
	b = pg_notebook(PG_CELLS, 20, 60, 800, &src);
	cr_assert(pg_reset_peak());
	size_t rss0 = pg_status_kb("VmRSS");
	cr_assert_eq(notebook_load_buffer(b.p, b.len, "guard.ipynb", &nb, &err), CT_OK,
	             "%s", err.msg);
	size_t peak = pg_status_kb("VmHWM") - rss0;
	size_t allowed = b.len + b.len / 8 + pg_model_bound(src) + 16 * MB;
	cr_log_info("perf_guard: load of %zu MB peaked at +%zu MB", b.len / MB, peak / MB);
	cr_expect_leq(peak, allowed, "loading %zu MB peaked at +%zu MB (allowed %zu MB): "
	              "outputs kept twice?", b.len / MB, peak / MB, allowed / MB);
	notebook_free(&nb);
	free(b.p);
}

Test(perf_guard, save_streams_without_a_second_copy)
{
	struct pg_buf b;
	struct notebook *nb = NULL;
	struct ct_error err;
	size_t src;
	bool changed;

	pg_require_peak();
	b = pg_notebook(PG_CELLS, 20, 60, 800, &src);
	cr_assert_eq(notebook_load_buffer(b.p, b.len, "guard.ipynb", &nb, &err), CT_OK,
	             "%s", err.msg);
	free(b.p);
	cr_assert_eq(notebook_tag_add(nb, 5, "assignment:lesson-01-exercise-1x", &changed, &err),
	             CT_OK, "%s", err.msg);
	FILE *devnull = fopen("/dev/null", "w");
	cr_assert_not_null(devnull);
	cr_assert(pg_reset_peak());
	size_t rss0 = pg_status_kb("VmRSS");
	cr_assert_eq(notebook_write_fd(nb, fileno(devnull), "guard.ipynb", &err), CT_OK,
	             "%s", err.msg);
	size_t peak = pg_status_kb("VmHWM") - rss0;
	fclose(devnull);
	cr_log_info("perf_guard: writing %zu MB peaked at +%zu KB", nb->len / MB, peak / 1024);
	/* Peak RSS of tag-and-save must stay near 1x the file: the writer streams
	 * the loaded bytes through a small buffer instead of rendering a copy. */
	cr_expect_leq(peak, 16 * MB, "writing a %zu MB notebook peaked at +%zu MB: "
	              "rendered in memory?", nb->len / MB, peak / MB);
	notebook_free(&nb);
}

/* A notebook of `ncells` tiny code cells, as the bench's many50k: each cell
 * costs more as a model than as bytes, which is what a one-cell load saves. */
static struct pg_buf pg_tiny_cells(size_t ncells)
{
	struct pg_buf b = { 0 };

	PG_LIT(&b, "{\n \"cells\": [\n");
	for (size_t i = 0; i < ncells; i++)
		pg_addf(&b, "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": null,\n"
		        "   \"id\": \"c%07zu\",\n   \"metadata\": {},\n   \"outputs\": [],\n"
		        "   \"source\": [\n    \"x_%zu = %zu\"\n   ]\n  }%s\n",
		        i, i, i, i + 1 < ncells ? "," : "");
	PG_LIT(&b, " ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
	return b;
}

/* pg_tiny_cells written to dir/many.ipynb (path into `path`); its size. */
static size_t pg_tiny_file(const char *dir, char *path, size_t size)
{
	struct pg_buf b = pg_tiny_cells(PG_CELLS);
	snprintf(path, size, "%s/many.ipynb", dir);
	cr_assert(tu_write(path, b.p, b.len));
	free(b.p);
	return b.len;
}

Test(perf_guard, one_cell_load_does_not_model_the_others)
{
	pg_require_heap_counter();
	struct pg_buf b = pg_tiny_cells(PG_CELLS);
	struct notebook *nb = NULL;
	struct ct_error err;

	size_t before = pg_heap_in_use();
	cr_assert_eq(notebook_load_buffer_cell(b.p, b.len, "guard.ipynb", "49999", &nb, &err),
	             CT_OK, "%s", err.msg);
	size_t after = pg_heap_in_use();
	size_t grown = after - before, data = pg_data_heap(nb);
	cr_assert_geq(grown, data, "heap counter: %zu bytes for a %zu-byte file", grown, data);
	size_t model = grown - data;
	cr_log_info("perf_guard: one cell of %d kept in %zu bytes beyond the file's %zu", PG_CELLS,
	            model, b.len);
	cr_assert_eq(nb->ncells, 1);
	cr_assert_eq(nb->cells_in_file, PG_CELLS);
	/* The notebook, one cell, one arena chunk: the full model of these
	 * cells is about 12 MB. */
	cr_expect_leq(model, 256 * 1024, "a one-cell load of %d cells kept %zu bytes of model",
	              PG_CELLS, model);
	notebook_free(&nb);
	free(b.p);
}

Test(perf_guard, tag_command_peak_is_near_the_file)
{
	pg_require_peak();
	char *dir = tu_tmpdir();
	char path[4096];
	size_t len = pg_tiny_file(dir, path, sizeof path);
	cr_assert_geq(len, NB_RELEASE_MIN);
	/* settled: only files older than the clock are read without keeping them */
	struct timespec ts = { 0, 40 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	FILE *out = tmpfile(), *errf = tmpfile();
	cr_assert(out && errf);
	char cmd[] = "celltag", sub[] = "tag", spec[] = "49999";
	char tag[] = "assignment:lesson-01-exercise-1";
	char *argv[] = { cmd, sub, path, spec, tag, NULL };

	cr_assert(pg_reset_peak());
	size_t rss0 = pg_status_kb("VmRSS");
	int rc = cli_run(5, argv, out, errf);
	size_t peak = pg_status_kb("VmHWM") - rss0;
	cr_assert_eq(rc, 0, "celltag tag failed");
	cr_log_info("perf_guard: celltag tag on %d tiny cells (%zu MB) peaked at +%zu KB",
	            PG_CELLS, len / MB, peak / 1024);
	/* Neither the file's bytes (read a window at a time, saved from the
	 * file) nor a model of every cell (about 12 MB for these 8 MB) are
	 * kept.  Measured +1.4 MB; keeping the bytes measured +7.8 MB. */
	cr_expect_leq(peak, len / 4 + MB,
	              "celltag tag on %zu bytes peaked at +%zu bytes: the file or every cell kept?",
	              len, peak);
	fclose(out);
	fclose(errf);
	tu_rmtree(&dir);
}

/* Opening the editor on 50,000 tiny cells: the lean load gives the file's
 * bytes back while the model grows, and the analysis drops its detection
 * before the per-cell arrays are made, so the peak is about the model
 * (120 bytes a cell, strings and a detection pass), not file + model +
 * detection + arrays as before (3.1x the file in the bench). */
Test(perf_guard, editor_open_peak_is_about_the_model)
{
	pg_require_peak();
	char *dir = tu_tmpdir();
	char path[4096];
	size_t len = pg_tiny_file(dir, path, sizeof path);
	/* settled: the lean load releases only files older than the clock */
	struct timespec ts = { 0, 40 * 1000 * 1000 };
	nanosleep(&ts, NULL);

	struct keymap km;
	struct ct_config cfg;
	struct app app;
	struct ct_error err;
	char *paths[] = { path };
	keymap_init(&km);
	config_init_defaults(&cfg);
	app_init(&app, &cfg, &km, false);
	cr_assert(pg_reset_peak());
	size_t rss0 = pg_status_kb("VmRSS");
	cr_assert_eq(app_open(&app, paths, 1, &err), CT_OK, "%s", err.msg);
	size_t peak = pg_status_kb("VmHWM") - rss0;
	cr_assert(app_doc(&app)->nb->released, "the lean load kept the bytes");
	cr_log_info("perf_guard: the editor opened %d tiny cells (%zu MB) at +%zu KB", PG_CELLS,
	            len / MB, peak / 1024);
	/* Measured +10.0 MB for 8.0 MB.  Keeping the bytes adds the file (+8
	 * MB), the 200-byte cells of before +4 MB: either fails. */
	cr_expect_leq(peak, len + len * 2 / 5,
	              "opening %zu bytes peaked at +%zu bytes: file and model both kept?", len,
	              peak);
	app_free(&app);
	config_free(&cfg);
	tu_rmtree(&dir);
}
