/* fuzz_notebook_load.c - libFuzzer target: notebook_load_buffer on any bytes.
 *
 * Properties (beyond "no sanitizer report"):
 *  - success and a model go together; a failure fills the caller's error
 *    with a one-line message naming the buffer and no model;
 *  - a loaded model is consistent: spans inside the buffer, strings
 *    NUL-terminated, tags as loaded, nothing marked modified;
 *  - rendering an unedited notebook gives back the input byte for byte
 *    (the lossless promise of notebook.h);
 *  - a preview (notebook_preview_buffer) of any bytes loads or fails
 *    cleanly; of a loadable notebook (without duplicate top-level keys)
 *    cut anywhere, it holds exactly the cells that end before the cut,
 *    equal to the full load's;
 *  - a one-cell load (notebook_load_buffer_cell) fails exactly as the full
 *    load does, and otherwise holds the cell notebook_find_cell names in
 *    the full load, field by field, or none with the same error;
 *  - the scanner fed the bytes a few at a time, as a lean load feeds it a
 *    window at a time, reads none it was not given and scans as it does the
 *    whole buffer (json_stream_check.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "json_stream_check.h"
#include "nb_compare.h"
#include "notebook.h"
#include "save.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(const struct nb_span *sp, size_t len, const char *what)
{
	FUZZ_CHECK(sp->start <= sp->end && sp->end <= len,
	           "%s span [%zu,%zu) outside %zu bytes", what, (size_t)sp->start,
	           (size_t)sp->end, len);
}

static void check_model(const struct notebook *nb, const uint8_t *data,
                        size_t size)
{
	FUZZ_CHECK(nb->len == size, "len %zu != %zu", nb->len, size);
	FUZZ_CHECK(memcmp(nb->data, data, size) == 0, "data differs");
	FUZZ_CHECK(nb->nbformat == 4, "nbformat %ld", nb->nbformat);
	FUZZ_CHECK(!notebook_modified(nb), "modified right after load");
	FUZZ_CHECK(nb->nmodified == 0, "nmodified %zu", nb->nmodified);
	FUZZ_CHECK(nb->ncells == 0 || nb->cells != NULL, "cells NULL");
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		FUZZ_CHECK(c->index == i, "cell %zu has index %zu", i, (size_t)c->index);
		FUZZ_CHECK(c->cell_type != NULL, "cell %zu: no cell_type", i);
		FUZZ_CHECK(c->source != NULL, "cell %zu: source NULL", i);
		FUZZ_CHECK(c->source[c->source_len] == '\0',
		           "cell %zu: source not terminated", i);
		FUZZ_CHECK(c->ntags == c->nloaded_tags, "cell %zu: tags", i);
		for (size_t t = 0; t < c->ntags; t++) {
			FUZZ_CHECK(c->tags[t] != NULL, "cell %zu tag %zu", i, t);
			FUZZ_CHECK(c->loaded_tags[t] != NULL, "cell %zu", i);
			FUZZ_CHECK(strcmp(c->tags[t], c->loaded_tags[t]) == 0,
			           "cell %zu tag %zu", i, t);
			FUZZ_CHECK(cell_has_tag(c, c->tags[t]), "cell_has_tag");
		}
		FUZZ_CHECK(c->execution_count >= -1, "execution_count %ld",
		           (long)c->execution_count);
		check_span(&c->layout.object, size, "object");
		if (c->layout.metadata.end > 0) {
			check_span(&c->layout.metadata, size, "metadata");
			FUZZ_CHECK(c->layout.metadata.start >=
			           c->layout.object.start &&
			           c->layout.metadata.end <= c->layout.object.end,
			           "cell %zu: metadata outside its cell", i);
		}
		FUZZ_CHECK(c->layout.tags_member < (long)c->layout.nmembers,
		           "cell %zu: tags_member %ld of %zu", i,
		           (long)c->layout.tags_member, (size_t)c->layout.nmembers);
		for (size_t m = 0; m < c->layout.nmembers; m++) {
			check_span(&c->layout.members[m].key, size, "key");
			check_span(&c->layout.members[m].value, size, "value");
		}
		FUZZ_CHECK(c->had_tags_key == (c->layout.tags_member >= 0) ||
		           c->readonly_reason != NULL,
		           "cell %zu: had_tags_key disagrees with layout", i);
	}

	char *out = NULL;
	size_t outlen = 0;
	struct ct_error err;
	ct_error_clear(&err);
	enum ct_status st = notebook_render(nb, &out, &outlen, &err);
	FUZZ_CHECK(st == CT_OK, "render: %s", err.msg);
	FUZZ_CHECK(outlen == size && memcmp(out, data, size) == 0,
	           "unedited render differs from input (%zu vs %zu bytes)",
	           outlen, size);
	FUZZ_CHECK(notebook_rendered_size(nb) == size, "rendered_size");
	free(out);
}

/* The preview of data[0, cut) against the full load nb (NULL: not
 * loadable, so only a clean result is required). */
static void check_preview(const uint8_t *data, size_t cut, const struct notebook *nb)
{
	struct notebook *pre = NULL;
	struct ct_error err;
	enum ct_status st = notebook_preview_buffer((const char *)data, cut, "fuzz.ipynb",
	                                            &pre, &err);
	FUZZ_CHECK((st == CT_OK) == (pre != NULL), "preview: status %d, model %p", (int)st,
	           (void *)pre);
	if (st != CT_OK)
		FUZZ_CHECK_ERROR(&err, st);
	else
		FUZZ_CHECK(pre->preview && pre->ncells > 0 && pre->readonly_reason,
		           "preview flags");
	/* The full load keeps the last "cells" list; a cut before a second
	 * "cells" key cannot know it is coming, so notebooks with duplicate
	 * top-level keys (read-only) are only required to preview cleanly. */
	bool dup_keys = nb && nb->readonly_reason &&
	                strstr(nb->readonly_reason, "duplicate top-level keys");
	if (nb && !dup_keys) {
		size_t whole = 0;
		while (whole < nb->ncells && nb->cells[whole].layout.object.end <= cut)
			whole++;
		FUZZ_CHECK(whole == (pre ? pre->ncells : 0),
		           "preview of %zu bytes: %zu cells, %zu end before the cut", cut,
		           pre ? pre->ncells : 0, whole);
		for (size_t i = 0; i < whole; i++) {
			const struct nb_cell *a = &pre->cells[i], *b = &nb->cells[i];
			FUZZ_CHECK(a->source_len == b->source_len &&
			           memcmp(a->source, b->source, a->source_len) == 0 &&
			           a->ntags == b->ntags && a->kind == b->kind &&
			           a->layout.object.start == b->layout.object.start &&
			           a->layout.object.end == b->layout.object.end,
			           "preview cell %zu differs from the full load's", i);
			for (size_t t = 0; t < a->ntags; t++)
				FUZZ_CHECK(strcmp(a->tags[t], b->tags[t]) == 0,
				           "preview cell %zu tag %zu", i, t);
		}
	}
	notebook_free(&pre);
}

/* The one-cell load of `spec` against the full load (nb, or st/ferr). */
static void check_partial(const uint8_t *data, size_t size, const char *spec,
                          const struct notebook *nb, enum ct_status st,
                          const struct ct_error *ferr)
{
	struct notebook *part = NULL;
	struct ct_error err;
	enum ct_status sp = notebook_load_buffer_cell((const char *)data, size, "fuzz.ipynb", spec,
	                                              &part, &err);
	FUZZ_CHECK(sp == st, "[%s] one-cell load %d, full load %d", spec, (int)sp, (int)st);
	if (!nb) {
		FUZZ_CHECK(part == NULL && strcmp(err.msg, ferr->msg) == 0 &&
		           err.line == ferr->line && err.col == ferr->col,
		           "[%s] one-cell load failed otherwise: %s vs %s", spec, err.msg, ferr->msg);
		return;
	}
	const char *d = nbc_notebook_diff(part, nb);
	FUZZ_CHECK(d == NULL, "[%s] notebooks differ in %s", spec, d);
	size_t fpos = 0, ppos = 0;
	struct ct_error e1, e2;
	enum ct_status f1 = notebook_find_cell(nb, spec, &fpos, &e1);
	enum ct_status f2 = notebook_find_cell(part, spec, &ppos, &e2);
	FUZZ_CHECK(f1 == f2, "[%s] find_cell %d vs %d", spec, (int)f2, (int)f1);
	if (f1 == CT_OK) {
		FUZZ_CHECK(part->ncells == 1 && ppos == 0, "[%s] %zu cells kept", spec, part->ncells);
		d = nbc_cell_diff(&part->cells[0], &nb->cells[fpos]);
		FUZZ_CHECK(d == NULL, "[%s] cell %zu differs in %s", spec, fpos, d);
	} else {
		FUZZ_CHECK(part->ncells == 0 && strcmp(e1.msg, e2.msg) == 0,
		           "[%s] find_cell: %s vs %s", spec, e2.msg, e1.msg);
	}
	notebook_free(&part);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	const char *sd = jsc_diff((const char *)data, size, size ? data[0] : 0);
	FUZZ_CHECK(sd == NULL, "scanned in parts: %s differs", sd);
	ct_error_clear(&err);
	enum ct_status st = notebook_load_buffer((const char *)data, size,
	                                         "fuzz.ipynb", &nb, &err);
	if (st == CT_OK) {
		FUZZ_CHECK(nb != NULL, "CT_OK without a notebook");
		check_model(nb, data, size);
	} else {
		FUZZ_CHECK(nb == NULL, "failure (%d) with a notebook", (int)st);
		FUZZ_CHECK_ERROR(&err, st);
		FUZZ_CHECK(strcmp(err.path, "fuzz.ipynb") == 0,
		           "error names '%s'", err.path);
		char buf[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
		ct_error_format(&err, buf, sizeof buf);
		FUZZ_CHECK(strchr(buf, '\n') == NULL, "formatted: %s", buf);
	}
	/* One cell: one the input picks, and the id of the one before it. */
	char spec[64];
	size_t pick = size ? data[0] % 8 : 0;
	snprintf(spec, sizeof spec, "%zu", pick);
	check_partial(data, size, spec, nb, st, &err);
	if (nb && pick > 0 && pick <= nb->ncells && nb->cells[pick - 1].id &&
	    strlen(nb->cells[pick - 1].id) < sizeof spec - 4) {
		snprintf(spec, sizeof spec, "id:%s", nb->cells[pick - 1].id);
		check_partial(data, size, spec, nb, st, &err);
	}
	/* Cuts: everything, half, and one the input picks. */
	check_preview(data, size, nb);
	check_preview(data, size / 2, nb);
	if (size > 2)
		check_preview(data, (size_t)data[size - 1] * size / 256, nb);
	notebook_free(&nb);
	FUZZ_CHECK(nb == NULL, "notebook_free left a pointer");
	return 0;
}
