/* fuzz_notebook_roundtrip.c - libFuzzer target: load, random tag edits,
 * render, reload.
 *
 * The input is a notebook (so the seed corpus is plain .ipynb files); the
 * edits are drawn from a PRNG seeded with a hash of the input, so every
 * mutation of the file also gets its own edit script.  Tags come from a
 * pool chosen to stress rendering (non-ASCII, U+2028, quotes, backslashes)
 * and from slices of the input itself.
 *
 * Properties:
 *  1. the edit API agrees with a shadow model kept here (add appends when
 *     absent, remove drops every copy, set replaces) and with tag_schema_valid();
 *     read-only cells and notebooks refuse every edit with CT_READONLY;
 *  2. the rendered bytes load again, with the same cells, ids, types,
 *     sources, execution counts, nbgrader flags, and exactly the edited tags;
 *  3. an ASCII-only file written with \u escapes stays ASCII-only, and
 *     notebook_write_fd (the save path) writes exactly the rendered bytes;
 *  4. setting every cell back to its loaded tags renders the original bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "notebook.h"
#include "save.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SHADOW_TAGS 64
#define MAX_TAG_LEN 24

static const char *const pool[] = {
	"assignment:lesson-03-exercise-1",
	"assignment:lesson-03-exercise-2",
	"parameters",
	"x",
	"caf\xc3\xa9",                          /* é */
	"\xe6\x97\xa5\xe6\x9c\xac",             /* 日本 */
	"emoji \xf0\x9f\x98\x80",               /* U+1F600, a surrogate pair */
	"line\xe2\x80\xa8sep",                  /* U+2028 */
	"quote\"back\\slash/",
	"  spaced  ",
	"\xef\xbb\xbf" "bom",                   /* U+FEFF inside */
	/* invalid by the schema: must be refused with CT_TAG */
	"",
	"a,b",
	"ctl\x01",
	"esc\x1b[31m",
	"bad\xff" "utf8",
	"\xed\xa0\x80",                          /* encoded surrogate */
};

struct rng {
	uint64_t s;
};

static uint32_t rng_next(struct rng *r)
{
	/* splitmix64: tiny and good enough to spread the edit choices. */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

struct shadow {
	char *tags[MAX_SHADOW_TAGS];
	size_t n;
	bool overflow;          /* too many to follow: compare with core only */
};

static bool shadow_has(const struct shadow *sh, const char *tag)
{
	for (size_t i = 0; i < sh->n; i++)
		if (strcmp(sh->tags[i], tag) == 0)
			return true;
	return false;
}

static void shadow_free(struct shadow *sh)
{
	for (size_t i = 0; i < sh->n; i++)
		free(sh->tags[i]);
	sh->n = 0;
}

static void shadow_load(struct shadow *sh, const struct nb_cell *c)
{
	sh->n = 0;
	sh->overflow = c->ntags > MAX_SHADOW_TAGS - 8;
	if (sh->overflow)
		return;
	for (size_t i = 0; i < c->ntags; i++)
		sh->tags[sh->n++] = strdup(c->tags[i]);
}

/* A tag: from the pool, or a slice of the input. */
static const char *pick_tag(struct rng *r, const uint8_t *data, size_t size,
                            char *buf)
{
	uint32_t k = rng_next(r);
	if (size == 0 || k % 3 != 0)
		return pool[k % (sizeof pool / sizeof pool[0])];
	size_t off = rng_next(r) % size;
	size_t n = 1 + rng_next(r) % MAX_TAG_LEN;
	if (n > size - off)
		n = size - off;
	memcpy(buf, data + off, n);
	buf[n] = '\0';
	return buf;
}

/* Would notebook_tags_set accept this list? */
static bool list_valid(const char *const *list, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (!tag_schema_valid(list[k], NULL))
			return false;
		for (size_t j = 0; j < k; j++)
			if (strcmp(list[j], list[k]) == 0)
				return false;
	}
	return true;
}

static bool editable(const struct notebook *nb, size_t i)
{
	return nb->readonly_reason == NULL &&
	       nb->cells[i].readonly_reason == NULL;
}

static void edit_once(struct notebook *nb, struct shadow *sh, struct rng *r,
                      const uint8_t *data, size_t size)
{
	size_t i = rng_next(r) % nb->ncells;
	char buf[MAX_TAG_LEN + 1];
	struct ct_error err;
	bool changed = false;
	enum ct_status st;
	uint32_t op = rng_next(r) % 8;

	ct_error_clear(&err);
	if (op < 4) {                                   /* add */
		const char *tag = pick_tag(r, data, size, buf);
		bool was = cell_has_tag(&nb->cells[i], tag);
		st = notebook_tag_add(nb, i, tag, &changed, &err);
		if (!editable(nb, i)) {
			FUZZ_CHECK(st == CT_READONLY, "add on read-only: %d", st);
			FUZZ_CHECK(!changed, "read-only cell changed");
			return;
		}
		if (!tag_schema_valid(tag, NULL)) {
			FUZZ_CHECK(st == CT_TAG, "invalid tag accepted: %d", st);
			FUZZ_CHECK(!changed, "invalid tag changed the cell");
			return;
		}
		FUZZ_CHECK(st == CT_OK, "add: %s", err.msg);
		FUZZ_CHECK(changed == !was, "add changed=%d was=%d", changed, was);
		FUZZ_CHECK(cell_has_tag(&nb->cells[i], tag), "tag not added");
		if (!sh[i].overflow && !was) {
			FUZZ_CHECK(!shadow_has(&sh[i], tag), "shadow disagrees");
			if (sh[i].n == MAX_SHADOW_TAGS)
				sh[i].overflow = true;
			else
				sh[i].tags[sh[i].n++] = strdup(tag);
		}
	} else if (op < 6) {                            /* remove */
		const struct nb_cell *c = &nb->cells[i];
		const char *tag;
		char copy[256];
		if (c->ntags > 0 && op == 4) {
			/* copy: the edit may replace the array it points into */
			snprintf(copy, sizeof copy, "%s",
			         c->tags[rng_next(r) % c->ntags]);
			tag = copy;
		} else {
			tag = pick_tag(r, data, size, buf);
		}
		bool was = cell_has_tag(c, tag);
		st = notebook_tag_remove(nb, i, tag, &changed, &err);
		if (!editable(nb, i)) {
			FUZZ_CHECK(st == CT_READONLY, "remove on read-only: %d", st);
			return;
		}
		if (!tag_schema_valid(tag, NULL) && !was) {
			FUZZ_CHECK(st == CT_OK || st == CT_TAG, "remove: %d", st);
			FUZZ_CHECK(!changed, "removing a non-tag changed");
			return;
		}
		FUZZ_CHECK(st == CT_OK, "remove: %s", err.msg);
		FUZZ_CHECK(changed == was, "remove changed=%d was=%d", changed,
		           was);
		FUZZ_CHECK(!cell_has_tag(&nb->cells[i], tag), "tag still there");
		if (!sh[i].overflow && was) {
			/* every copy goes (a loaded list may hold duplicates) */
			size_t kept = 0;
			for (size_t k = 0; k < sh[i].n; k++) {
				if (strcmp(sh[i].tags[k], tag) == 0)
					free(sh[i].tags[k]);
				else
					sh[i].tags[kept++] = sh[i].tags[k];
			}
			FUZZ_CHECK(kept < sh[i].n, "shadow lacks removed tag");
			sh[i].n = kept;
		}
	} else {                                        /* set */
		const char *list[3];
		size_t n = 0;
		if (op == 7 && !sh[i].overflow) {
			/* reversed current list, at most 3 */
			for (size_t k = sh[i].n; k > 0 && n < 3; k--)
				list[n++] = sh[i].tags[k - 1];
			if (n < sh[i].n)
				n = 0;          /* too long to reverse here: clear */
		}
		/* the list as loaded is always accepted (undo), valid or not */
		bool as_loaded = n == nb->cells[i].nloaded_tags;
		for (size_t k = 0; as_loaded && k < n; k++)
			as_loaded = strcmp(list[k], nb->cells[i].loaded_tags[k]) == 0;
		bool valid = as_loaded || list_valid(list, n);
		st = notebook_tags_set(nb, i, list, n, &changed, &err);
		if (!editable(nb, i)) {
			FUZZ_CHECK(st == CT_READONLY, "set on read-only: %d", st);
			return;
		}
		if (!valid) {
			FUZZ_CHECK(st == CT_TAG, "bad list accepted: %d", st);
			FUZZ_CHECK(!changed, "bad list changed the cell");
			return;
		}
		FUZZ_CHECK(st == CT_OK, "set: %s", err.msg);
		FUZZ_CHECK(nb->cells[i].ntags == n, "set: %zu tags, want %zu",
		           (size_t)nb->cells[i].ntags, n);
		if (!sh[i].overflow) {
			char *keep[3];
			for (size_t k = 0; k < n; k++)
				keep[k] = strdup(list[k]);
			shadow_free(&sh[i]);
			for (size_t k = 0; k < n; k++)
				sh[i].tags[k] = keep[k];
			sh[i].n = n;
		}
	}
}

static void check_tags_equal(const struct nb_cell *a, const char *const *tags,
                             size_t ntags, const char *what)
{
	FUZZ_CHECK(a->ntags == ntags, "cell %zu: %zu tags, %s has %zu",
	           (size_t)a->index, (size_t)a->ntags, what, ntags);
	for (size_t t = 0; t < ntags; t++)
		FUZZ_CHECK(strcmp(a->tags[t], tags[t]) == 0,
		           "cell %zu tag %zu: '%s' vs %s '%s'", (size_t)a->index, t,
		           a->tags[t], what, tags[t]);
}

static void check_reload(const struct notebook *nb, const char *out,
                         size_t outlen, const uint8_t *data, size_t size)
{
	struct notebook *nb2 = NULL;
	struct ct_error err;
	ct_error_clear(&err);
	enum ct_status st = notebook_load_buffer(out, outlen, "rendered.ipynb",
	                                         &nb2, &err);
	FUZZ_CHECK(st == CT_OK, "rendered notebook does not load: %ld:%ld %s",
	           err.line, err.col, err.msg);
	FUZZ_CHECK(nb2->ncells == nb->ncells, "%zu cells, was %zu",
	           nb2->ncells, nb->ncells);
	FUZZ_CHECK(nb2->nbformat_minor == nb->nbformat_minor, "minor");
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *a = &nb->cells[i], *b = &nb2->cells[i];
		FUZZ_CHECK((a->id == NULL) == (b->id == NULL) &&
		           (a->id == NULL || strcmp(a->id, b->id) == 0),
		           "cell %zu: id changed", i);
		FUZZ_CHECK(strcmp(a->cell_type, b->cell_type) == 0 &&
		           a->kind == b->kind, "cell %zu: type changed", i);
		FUZZ_CHECK(a->source_len == b->source_len &&
		           memcmp(a->source, b->source, a->source_len) == 0,
		           "cell %zu: source changed", i);
		FUZZ_CHECK(a->execution_count == b->execution_count,
		           "cell %zu: execution_count", i);
		FUZZ_CHECK(!a->nbgrader == !b->nbgrader &&
		           (!a->nbgrader ||
		            (a->nbgrader->solution == b->nbgrader->solution &&
		             a->nbgrader->grade == b->nbgrader->grade &&
		             a->nbgrader->locked == b->nbgrader->locked)),
		           "cell %zu: nbgrader changed", i);
		FUZZ_CHECK((a->readonly_reason == NULL) ==
		           (b->readonly_reason == NULL),
		           "cell %zu: read-only state changed", i);
		check_tags_equal(b, a->tags, a->ntags, "edited model");
	}
	FUZZ_CHECK(!notebook_modified(nb2), "reloaded notebook modified");

	if (nb->style.ascii_only) {
		bool in_ascii = true;
		for (size_t k = 0; k < size && in_ascii; k++)
			in_ascii = data[k] < 0x80;
		for (size_t k = 0; k < outlen && in_ascii; k++)
			FUZZ_CHECK((unsigned char)out[k] < 0x80,
			           "raw non-ASCII at %zu in an ASCII file", k);
	}
	notebook_free(&nb2);
}

/* The save path's writer produces exactly the rendered bytes. */
static void check_write_fd(const struct notebook *nb, const char *out,
                           size_t outlen)
{
	int fd = memfd_create("fuzz-write", 0);
	FUZZ_CHECK(fd >= 0, "memfd_create");
	struct ct_error err;
	FUZZ_CHECK(notebook_write_fd(nb, fd, "memfd", &err) == CT_OK,
	           "write_fd: %s", err.msg);
	off_t end = lseek(fd, 0, SEEK_END);
	FUZZ_CHECK(end == (off_t)outlen, "write_fd wrote %lld bytes, render %zu",
	           (long long)end, outlen);
	char *back = malloc(outlen ? outlen : 1);
	FUZZ_CHECK(back != NULL, "malloc");
	FUZZ_CHECK(pread(fd, back, outlen, 0) == (ssize_t)outlen, "pread");
	FUZZ_CHECK(memcmp(back, out, outlen) == 0, "write_fd bytes != render");
	free(back);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notebook *nb = NULL;
	if (notebook_load_buffer((const char *)data, size, "fuzz.ipynb", &nb,
	                         NULL) != CT_OK)
		return 0;
	if (nb->ncells == 0) {
		notebook_free(&nb);
		return 0;
	}

	struct shadow *sh = calloc(nb->ncells, sizeof *sh);
	FUZZ_CHECK(sh != NULL, "calloc");
	for (size_t i = 0; i < nb->ncells; i++)
		shadow_load(&sh[i], &nb->cells[i]);

	struct rng r = { ct_hash_bytes(data, size) };
	size_t nedits = 1 + rng_next(&r) % 12;
	for (size_t k = 0; k < nedits; k++)
		edit_once(nb, sh, &r, data, size);

	for (size_t i = 0; i < nb->ncells; i++)
		if (!sh[i].overflow)
			check_tags_equal(&nb->cells[i],
			                 (const char *const *)sh[i].tags, sh[i].n,
			                 "shadow");

	char *out = NULL;
	size_t outlen = 0;
	struct ct_error err;
	ct_error_clear(&err);
	FUZZ_CHECK(notebook_render(nb, &out, &outlen, &err) == CT_OK,
	           "render: %s", err.msg);
	FUZZ_CHECK(notebook_rendered_size(nb) == outlen, "rendered_size %zu "
	           "!= %zu", notebook_rendered_size(nb), outlen);
	if (!notebook_modified(nb))
		FUZZ_CHECK(outlen == size && memcmp(out, data, size) == 0,
		           "unmodified notebook renders other bytes");
	check_write_fd(nb, out, outlen);
	check_reload(nb, out, outlen, data, size);
	free(out);

	/* Undo every edit: the original bytes must come back. */
	for (size_t i = 0; i < nb->ncells; i++) {
		if (!editable(nb, i))
			continue;
		const struct nb_cell *c = &nb->cells[i];
		/* the loaded list is always accepted, even with tags the schema
		 * refuses, so every cell can be restored */
		enum ct_status rs = notebook_tags_set(nb, i, c->loaded_tags,
		                                      c->nloaded_tags, NULL, &err);
		FUZZ_CHECK(rs == CT_OK, "restore cell %zu: %s", i, err.msg);
	}
	FUZZ_CHECK(!notebook_modified(nb), "still modified after undo");
	FUZZ_CHECK(notebook_render(nb, &out, &outlen, &err) == CT_OK,
	           "render: %s", err.msg);
	FUZZ_CHECK(outlen == size && memcmp(out, data, size) == 0,
	           "undo does not give back the original bytes");
	free(out);
	for (size_t i = 0; i < nb->ncells; i++)
		shadow_free(&sh[i]);
	free(sh);
	notebook_free(&nb);
	return 0;
}
