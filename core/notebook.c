/* notebook.c - load a notebook into the span-recording model; tag edits.
 *
 * Parsing is a directed walk with the strict scanner of json.c: only the
 * parts celltag needs (nbformat, cells, each cell's type, id, source,
 * execution count, metadata members, tags, nbgrader flags) are decoded; the
 * rest (outputs, attachments, notebook metadata) is validated and skipped.
 */
#include "notebook.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "arena.h"
#include "json.h"
#include "parallel.h"

struct parse_ctx {
	struct json_scanner js;
	struct notebook *nb;
	const char *name;
	/* first structural (non-syntax) problem */
	const char *bad_msg;
	char bad_buf[160];
	size_t bad_pos;
	size_t cells_cap;
	/* scratch, reused across cells */
	struct nb_member *members;
	size_t members_cap;
	struct nb_span *spans;
	size_t spans_cap;
	const char **strs;
	size_t strs_cap;
	bool have_nbformat, have_minor, have_cells, have_worksheets;
	bool nbformat_int;          /* "nbformat" held an integer */
	bool nomem;
	size_t cells_done;          /* cells parsed whole, before any problem */
	/* Where a cell's strings go: nb->arena, or `scratch` when only one
	 * cell is kept (notebook_load_cell); the others' are dropped. */
	struct ct_arena *arena;
	struct ct_arena *scratch;
	enum { KEEP_ALL, KEEP_INDEX, KEEP_ID, KEEP_NONE } keep;
	size_t keep_index;
	const char *keep_id;
	size_t nkept;               /* cells in nb->cells when keep != KEEP_ALL */
	/* notebook_load_lean: bytes parsed are given back every `drop_step`
	 * (to be read into again, or unmapped); see struct stream. */
	bool lean;
	size_t drop_step;
	struct stream *stream;      /* lean: the file, read as it is parsed */
	/* notebook_load_cell_early: stop once the kept cell is parsed */
	bool stop_after_kept;
	bool stopped;
};

/* A lean load reads the file while it parses it, one window (drop_step
 * bytes) at a time, into the window's place in nb->data, and hashes each
 * window as it is read.  Windows the parser has left behind are moved ahead
 * (mremap) and read into again: the same pages, already in the cache,
 * instead of fresh ones the kernel must find, clear and charge (that, not
 * the copy, was most of reading a big file into memory).  On a machine
 * with more than one CPU a reader thread reads and hashes up to
 * NB_AHEAD_WINDOWS ahead of the parser, so reading, hashing and parsing
 * overlap; the parser waits only for bytes not read yet. */
#define NB_WINDOW ((size_t)256 << 10)
#define NB_SPARE_WINDOWS 4
#define NB_AHEAD_WINDOWS 4

struct hash4 {                  /* see ct_hash_content */
	uint64_t h[4];
};

struct stream {
	int fd;
	char *base;
	size_t total;
	size_t step;                /* window size, a page multiple */
	const struct nb_lean_probe *probe;
	bool threaded;
	pthread_t thread;
	/* Below, under `mu` when threaded. */
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* any of these changed */
	size_t filled;              /* reader: bytes read and hashed */
	size_t want;                /* parser: bytes it waits for */
	size_t dropped;             /* parser: bytes given back */
	bool stop;                  /* parser: done, stop reading */
	char *spare[NB_SPARE_WINDOWS];
	size_t nspare;
	int error;                  /* errno of a failed read */
	bool shrank;                /* the file ended before `total` bytes */
	struct hash4 hash;          /* of [0, filled) */
	uint64_t hash_whole;        /* ct_hash_content of it all, once filled == total */
};

/* ---- small helpers ---------------------------------------------------- */

/* ct_hash_bytes in parts (the lean load hashes the bytes it gives back):
 * hash_start(len), hash_words over whole 8-byte words, hash_end over the
 * last len % 8 bytes. */
static const uint64_t hash_k = 0x9e3779b97f4a7c15ULL;

static uint64_t hash_start(size_t len)
{
	return 0x243f6a8885a308d3ULL ^ (len * hash_k);
}

static uint64_t hash_words(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * hash_k;
		h ^= h >> 31;
	}
	return h;
}

static uint64_t hash_end(uint64_t h, const unsigned char *p, size_t n)
{
	uint64_t t = 0;
	for (size_t j = 0; j < n; j++)
		t |= (uint64_t)p[j] << (8 * j);
	h = (h ^ t) * hash_k;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

uint64_t ct_hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t whole = len & ~(size_t)7;
	return hash_end(hash_words(hash_start(len), p, whole), p + whole, len - whole);
}

/* The content hash (notebook_hash): the same steps on four lanes, word i
 * going to lane i % 4, so four multiply chains run side by side.  With one
 * chain, hashing was a fifth of `tag`'s CPU on a 50 MB notebook (perf) and
 * the slowest part of reading it.  In parts: hash4_start, hash4_blocks over
 * whole 32-byte blocks, hash4_end over the rest. */
static void hash4_start(struct hash4 *s, size_t len)
{
	for (int j = 0; j < 4; j++)
		s->h[j] = hash_start(len) + (uint64_t)j * 0x13198a2e03707344ULL;
}

static void hash4_blocks(struct hash4 *s, const unsigned char *p, size_t n)
{
	uint64_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	for (size_t i = 0; i + 32 <= n; i += 32) {
		uint64_t w[4];
		memcpy(w, p + i, 32);
		a = (a ^ w[0]) * hash_k;
		b = (b ^ w[1]) * hash_k;
		c = (c ^ w[2]) * hash_k;
		d = (d ^ w[3]) * hash_k;
		a ^= a >> 31;
		b ^= b >> 31;
		c ^= c >> 31;
		d ^= d >> 31;
	}
	s->h[0] = a;
	s->h[1] = b;
	s->h[2] = c;
	s->h[3] = d;
}

static uint64_t hash4_end(struct hash4 *s, const unsigned char *p, size_t n)
{
	size_t blocks = n & ~(size_t)31, whole = n & ~(size_t)7;
	hash4_blocks(s, p, blocks);
	for (size_t i = blocks, j = 0; i < whole; i += 8, j++)
		s->h[j] = hash_words(s->h[j], p + i, 8);
	uint64_t h = s->h[0];
	for (int j = 1; j < 4; j++)
		h = hash_words(h, (const unsigned char *)&s->h[j], 8);
	return hash_end(h, p + whole, n - whole);
}

uint64_t ct_hash_content(const void *data, size_t len)
{
	struct hash4 s;
	hash4_start(&s, len);
	return hash4_end(&s, data, len);
}


static void structural(struct parse_ctx *c, size_t pos, const char *msg)
{
	if (!c->bad_msg) {
		c->bad_msg = msg;
		c->bad_pos = pos;
	}
}

/* "cell N<what>" */
static void structuralf(struct parse_ctx *c, size_t pos, const char *what, size_t n)
{
	if (!c->bad_msg) {
		snprintf(c->bad_buf, sizeof c->bad_buf, "cell %zu%s", n, what);
		structural(c, pos, c->bad_buf);
	}
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem, struct parse_ctx *c)
{
	if (need <= *cap)
		return p;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *q = realloc(p, ncap * elem);
	if (!q) {
		c->nomem = true;
		return NULL;
	}
	*cap = ncap;
	return q;
}

/* Does the key string at [start, end) (quotes included) equal lit?  A
 * macro, so the literal's length is a constant (strlen per key was 5% of
 * loading a notebook of many small cells). */
#define key_is(c, start, end, escaped, lit) \
	key_is_n((c), (start), (end), (escaped), (lit), sizeof(lit) - 1)

/* A key written with escapes ("\u0063ell_type" is "cell_type"): rare. */
static bool key_is_escaped(const struct parse_ctx *c, size_t start, size_t end,
                           const char *lit, size_t litlen)
{
	size_t rawlen = end - start - 2;
	char buf[256];
	if (rawlen >= sizeof buf)
		return false;
	size_t n = json_decode_string(c->js.s + start + 1, rawlen, buf, NULL);
	return n == litlen && memcmp(buf, lit, litlen) == 0;
}

/* Inline, so the compare of a literal of known length is a few
 * instructions (out of line it was an eighth of loading 50,000 cells). */
static inline bool key_is_n(const struct parse_ctx *c, size_t start,
                            size_t end, bool escaped, const char *lit,
                            size_t litlen)
{
	if (escaped)
		return key_is_escaped(c, start, end, lit, litlen);
	return end - start - 2 == litlen &&
	       memcmp(c->js.s + start + 1, lit, litlen) == 0;
}

/* Decode the string at [start, end) (quotes included) into the arena. */
static char *decode_str(struct parse_ctx *c, size_t start, size_t end, bool escaped,
                        size_t *outlen, bool *lossy)
{
	const char *raw = c->js.s + start + 1;
	size_t rawlen = end - start - 2;
	char *out;
	if (lossy)
		*lossy = false;
	if (!escaped) {
		out = arena_strndup(c->arena, raw, rawlen);
		if (outlen)
			*outlen = rawlen;
	} else {
		out = arena_alloc_bytes(c->arena, rawlen + 1);
		if (out) {
			size_t n = json_decode_string(raw, rawlen, out, lossy);
			if (outlen)
				*outlen = n;
		}
	}
	if (!out)
		c->nomem = true;
	return out;
}

/* Integer lexeme -> long; false when not a plain integer. */
static bool lexeme_long(const char *s, size_t len, long *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= len || len - i > 18)
		return false;
	long v = 0;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return true;
}

static double lexeme_double(const char *s, size_t len)
{
	char buf[64];
	if (len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return strtod(buf, NULL);
}

/* Scan an object member key and the ':' after it. */
static bool scan_key(struct parse_ctx *c, size_t *ks, size_t *ke, bool *kesc)
{
	json_skip_ws(&c->js);
	if (!json_scan_string(&c->js, ks, ke, kesc))
		return false;
	return json_expect(&c->js, ':');
}

/* After a member value: ',' (returns 1), the closing byte (returns 0: the
 * container is closed, its depth given back), or an error (-1). */
static int after_member(struct parse_ctx *c, char close)
{
	struct json_scanner *js = &c->js;
	json_skip_ws(js);
	if (js->pos >= js->len) {
		json_fail(js, js->pos, "unexpected end of file");
		return -1;
	}
	char ch = js->s[js->pos];
	if (ch == ',') {
		js->pos++;
		return 1;
	}
	if (ch == close) {
		js->pos++;
		js->depth--;
		return 0;
	}
	json_fail(js, js->pos, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	return -1;
}

/* Open an object or array at pos; returns 1 when it has members, 0 when
 * empty (already closed), -1 on error. */
static int open_container(struct parse_ctx *c, char close)
{
	struct json_scanner *js = &c->js;
	if (++js->depth > js->max_depth) {
		json_fail(js, js->pos, "nesting too deep");
		return -1;
	}
	js->pos++;
	json_skip_ws(js);
	if (js->pos < js->len && js->s[js->pos] == close) {
		js->pos++;
		js->depth--;
		return 0;
	}
	return 1;
}

/* ---- cells ------------------------------------------------------------ */

static bool parse_string_array(struct parse_ctx *c, size_t *count, bool *all_strings)
{
	struct json_scanner *js = &c->js;
	*count = 0;
	*all_strings = true;
	int r = open_container(c, ']');
	if (r <= 0)
		return r == 0;
	for (;;) {
		json_skip_ws(js);
		if (json_peek(js) == JSON_STRING) {
			size_t a, b;
			bool esc;
			if (!json_scan_string(js, &a, &b, &esc))
				return false;
			c->spans = grow(c->spans, &c->spans_cap, *count + 1, sizeof *c->spans, c);
			if (!c->spans)
				return false;
			/* Only the span is kept; span_escaped() finds out later
			 * whether the string needs decoding. */
			c->spans[*count].start = a;
			c->spans[*count].end = b;
			(*count)++;
		} else {
			*all_strings = false;
			if (!json_skip_value(js))
				return false;
		}
		r = after_member(c, ']');
		if (r <= 0)
			return r == 0;
	}
}

static bool span_escaped(const struct parse_ctx *c, struct nb_span s)
{
	return memchr(c->js.s + s.start + 1, '\\', s.end - s.start - 2) != NULL;
}

static bool parse_source(struct parse_ctx *c, struct nb_cell *cell, size_t idx)
{
	struct json_scanner *js = &c->js;
	enum json_type t = json_peek(js);
	if (t == JSON_STRING) {
		size_t a, b;
		bool esc;
		if (!json_scan_string(js, &a, &b, &esc))
			return false;
		size_t n = 0;
		cell->source = decode_str(c, a, b, esc, &n, NULL);
		cell->source_len = (uint32_t)n;
		return cell->source != NULL;
	}
	if (t != JSON_ARRAY) {
		structuralf(c, js->pos, ": source is not a string or a list of strings", idx);
		return json_skip_value(js);
	}
	size_t pos = js->pos, n;
	bool all;
	if (!parse_string_array(c, &n, &all))
		return false;
	if (!all) {
		structuralf(c, pos, ": source is not a string or a list of strings", idx);
		return true;
	}
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += c->spans[i].end - c->spans[i].start - 2;
	char *buf = arena_alloc_bytes(c->arena, total + 1);
	if (!buf) {
		c->nomem = true;
		return false;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		struct nb_span s = c->spans[i];
		const char *raw = js->s + s.start + 1;
		size_t rawlen = s.end - s.start - 2;
		if (span_escaped(c, s)) {
			o += json_decode_string(raw, rawlen, buf + o, NULL);
		} else {
			memcpy(buf + o, raw, rawlen);
			o += rawlen;
		}
	}
	buf[o] = '\0';
	cell->source = buf;
	cell->source_len = o;
	return true;
}

static bool parse_tags(struct parse_ctx *c, struct nb_cell *cell)
{
	struct json_scanner *js = &c->js;
	if (json_peek(js) != JSON_ARRAY) {
		cell->readonly_reason = "metadata.tags is not a list of strings";
		return json_skip_value(js);
	}
	size_t n;
	bool all;
	if (!parse_string_array(c, &n, &all))
		return false;
	if (!all) {
		cell->readonly_reason = "metadata.tags is not a list of strings";
		return true;
	}
	const char **tags = arena_alloc(c->arena, (n ? n : 1) * sizeof *tags);
	if (!tags) {
		c->nomem = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		bool lossy;
		struct nb_span s = c->spans[i];
		char *t = decode_str(c, s.start, s.end, span_escaped(c, s), &len, &lossy);
		if (!t)
			return false;
		if (lossy)
			cell->readonly_reason = "a tag holds a lone surrogate escape";
		else if (strlen(t) != len)
			cell->readonly_reason = "a tag holds a NUL character";
		tags[i] = t;
	}
	cell->tags = cell->loaded_tags = tags;
	cell->ntags = cell->nloaded_tags = n;
	cell->had_tags_key = true;
	return true;
}

static bool parse_bool(struct parse_ctx *c, bool *out)
{
	enum json_type t = json_peek(&c->js);
	*out = t == JSON_TRUE;
	return json_skip_value(&c->js);
}

static bool parse_nbgrader(struct parse_ctx *c, struct nb_cell *cell)
{
	struct json_scanner *js = &c->js;
	struct nb_nbgrader *g = arena_alloc(c->arena, sizeof *g);
	if (!g) {
		c->nomem = true;
		return false;
	}
	memset(g, 0, sizeof *g);
	g->present = true;
	cell->nbgrader = g;
	int r = open_container(c, '}');
	if (r <= 0)
		return r == 0;
	for (;;) {
		size_t ks, ke;
		bool kesc;
		if (!scan_key(c, &ks, &ke, &kesc))
			return false;
		bool ok;
		if (key_is(c, ks, ke, kesc, "solution"))
			ok = parse_bool(c, &g->solution);
		else if (key_is(c, ks, ke, kesc, "grade"))
			ok = parse_bool(c, &g->grade);
		else if (key_is(c, ks, ke, kesc, "locked"))
			ok = parse_bool(c, &g->locked);
		else if (key_is(c, ks, ke, kesc, "task"))
			ok = parse_bool(c, &g->task);
		else if (key_is(c, ks, ke, kesc, "grade_id") && json_peek(js) == JSON_STRING) {
			size_t a, b;
			bool esc;
			ok = json_scan_string(js, &a, &b, &esc);
			if (ok)
				g->grade_id = decode_str(c, a, b, esc, NULL, NULL);
		} else if (key_is(c, ks, ke, kesc, "points") && json_peek(js) == JSON_NUMBER) {
			size_t a, b;
			ok = json_scan_number(js, &a, &b);
			if (ok)
				g->points = lexeme_double(js->s + a, b - a);
		} else
			ok = json_skip_value(js);
		if (!ok)
			return false;
		r = after_member(c, '}');
		if (r <= 0)
			return r == 0;
	}
}

static bool parse_metadata(struct parse_ctx *c, struct nb_cell *cell)
{
	struct json_scanner *js = &c->js;
	size_t start = js->pos, n = 0;
	bool dup = false;
	int r = open_container(c, '}');
	if (r < 0)
		return false;
	while (r > 0) {
		size_t ks, ke;
		bool kesc;
		if (!scan_key(c, &ks, &ke, &kesc))
			return false;
		json_skip_ws(js);
		size_t vs = js->pos;
		const char *name = decode_str(c, ks, ke, kesc, NULL, NULL);
		if (!name)
			return false;
		bool ok;
		if (strcmp(name, "tags") == 0) {
			if (cell->layout.tags_member >= 0)
				dup = true;
			cell->layout.tags_member = (long)n;
			ok = parse_tags(c, cell);
		} else if (strcmp(name, "nbgrader") == 0 && json_peek(js) == JSON_OBJECT) {
			ok = parse_nbgrader(c, cell);
		} else {
			ok = json_skip_value(js);
		}
		if (!ok)
			return false;
		/* Only a repeated "tags" makes the edit ambiguous; other repeats are
		 * left as they are (checking them all would be quadratic). */
		c->members = grow(c->members, &c->members_cap, n + 1, sizeof *c->members, c);
		if (!c->members)
			return false;
		c->members[n].key = (struct nb_span){ ks, ke };
		c->members[n].value = (struct nb_span){ vs, js->pos };
		c->members[n].name = name;
		n++;
		if ((r = after_member(c, '}')) < 0)
			return false;
	}
	cell->layout.metadata = (struct nb_span){ start, js->pos };
	cell->layout.nmembers = n;
	if (n) {
		cell->layout.members = arena_alloc(c->arena, n * sizeof *c->members);
		if (!cell->layout.members) {
			c->nomem = true;
			return false;
		}
		memcpy(cell->layout.members, c->members, n * sizeof *c->members);
	}
	if (dup)
		cell->readonly_reason = "cell metadata has two \"tags\" keys";
	return true;
}

static enum nb_cell_kind kind_of(const char *t)
{
	if (strcmp(t, "code") == 0)
		return NB_CODE;
	if (strcmp(t, "markdown") == 0)
		return NB_MARKDOWN;
	if (strcmp(t, "raw") == 0)
		return NB_RAW;
	return NB_OTHER;
}

/* Parse cell `idx` of the file into nb->cells[slot]. */
static bool parse_cell(struct parse_ctx *c, size_t idx, size_t slot)
{
	struct json_scanner *js = &c->js;
	struct notebook *nb = c->nb;
	nb->cells = grow(nb->cells, &c->cells_cap, slot + 1, sizeof *nb->cells, c);
	if (!nb->cells)
		return false;
	struct nb_cell *cell = &nb->cells[slot];
	memset(cell, 0, sizeof *cell);
	cell->index = idx;
	cell->execution_count = -1;
	cell->layout.tags_member = -1;
	cell->source = "";
	static const char *const no_tags[1] = { NULL };
	cell->tags = cell->loaded_tags = no_tags;
	size_t start = js->pos;
	bool have_meta = false, have_type = false, have_source = false, dup = false;
	int r = open_container(c, '}');
	if (r < 0)
		return false;
	while (r > 0) {
		size_t ks, ke;
		bool kesc, ok;
		if (!scan_key(c, &ks, &ke, &kesc))
			return false;
		enum json_type t = json_peek(js);
		if (key_is(c, ks, ke, kesc, "cell_type")) {
			dup |= have_type;
			have_type = true;
			if (t == JSON_STRING) {
				size_t a, b;
				bool esc;
				ok = json_scan_string(js, &a, &b, &esc);
				if (ok) {
					/* the three usual types need no copy per cell */
					static const char *const known[] = { "code", "markdown", "raw" };
					cell->cell_type = NULL;
					for (size_t k = 0; k < 3 && !esc && !cell->cell_type; k++)
						if (b - a - 2 == strlen(known[k]) &&
						    memcmp(js->s + a + 1, known[k], b - a - 2) == 0)
							cell->cell_type = known[k];
					if (!cell->cell_type)
						cell->cell_type = decode_str(c, a, b, esc, NULL, NULL);
					ok = cell->cell_type != NULL;
				}
			} else {
				structuralf(c, js->pos, ": cell_type is not a string", idx);
				ok = json_skip_value(js);
			}
		} else if (key_is(c, ks, ke, kesc, "id") && t == JSON_STRING) {
			size_t a, b;
			bool esc;
			ok = json_scan_string(js, &a, &b, &esc);
			if (ok)
				cell->id = decode_str(c, a, b, esc, NULL, NULL);
		} else if (key_is(c, ks, ke, kesc, "source")) {
			dup |= have_source;
			have_source = true;
			ok = parse_source(c, cell, idx);
		} else if (key_is(c, ks, ke, kesc, "metadata")) {
			dup |= have_meta;
			if (t == JSON_OBJECT) {
				have_meta = true;
				cell->layout.metadata_key = (struct nb_span){ ks, ke };
				/* a duplicate metadata key: keep the last, like Python */
				cell->layout.tags_member = -1;
				cell->had_tags_key = false;
				cell->tags = cell->loaded_tags = no_tags;
				cell->ntags = cell->nloaded_tags = 0;
				cell->nbgrader = NULL;
				ok = parse_metadata(c, cell);
			} else {
				structuralf(c, js->pos, ": metadata is not an object", idx);
				ok = json_skip_value(js);
			}
		} else if (key_is(c, ks, ke, kesc, "execution_count") && t == JSON_NUMBER) {
			size_t a, b;
			ok = json_scan_number(js, &a, &b);
			long v;
			if (ok && lexeme_long(js->s + a, b - a, &v) && v >= 0 && v <= INT32_MAX)
				cell->execution_count = (int32_t)v;
		} else {
			ok = json_skip_value(js);
		}
		if (!ok)
			return false;
		if ((r = after_member(c, '}')) < 0)
			return false;
	}
	cell->layout.object = (struct nb_span){ start, js->pos };
	if (!have_type) {
		structuralf(c, start, " has no cell_type", idx);
		cell->cell_type = "";
	} else if (!cell->cell_type) {
		cell->cell_type = "";
	}
	cell->kind = kind_of(cell->cell_type);
	if (dup && !nb->readonly_reason)
		nb->readonly_reason = "a cell has duplicate keys";
	if (!have_meta && !cell->readonly_reason)
		cell->readonly_reason = "the cell has no metadata object";
	return true;
}

/* When one cell is kept: keep the cell just parsed into slot nkept if it
 * is the one named, else drop it and its strings. */
static void keep_or_drop(struct parse_ctx *c, size_t idx)
{
	const struct nb_cell *cell = &c->nb->cells[c->nkept];
	bool want = c->nkept == 0 &&
	            ((c->keep == KEEP_INDEX && idx == c->keep_index) ||
	             (c->keep == KEEP_ID && cell->id && strcmp(cell->id, c->keep_id) == 0));
	if (want) {
		arena_adopt(c->nb->arena, c->scratch);
		c->nkept++;
	} else {
		arena_reset(c->scratch);
	}
}

/* Lean load: give back the bytes before the cell just parsed, in steps of
 * drop_step (a page multiple), once they are hashed.  Nothing reads bytes of
 * earlier cells again (an error's line:column is found from the file). */
static void lean_drop(struct parse_ctx *c)
{
	struct notebook *nb = c->nb;
	size_t upto = c->js.pos - c->js.pos % c->drop_step;
	if (upto <= nb->data_dropped_)
		return;
	size_t a = nb->data_dropped_;
	struct stream *sm = c->stream;
	if (sm->threaded)
		pthread_mutex_lock(&sm->mu);
	for (; sm->nspare < NB_SPARE_WINDOWS && a < upto; a += c->drop_step)
		sm->spare[sm->nspare++] = nb->data + a;     /* to be read into again */
	sm->dropped = upto;
	if (sm->threaded) {
		pthread_cond_broadcast(&sm->cv);
		pthread_mutex_unlock(&sm->mu);
	}
	if (a < upto)
		munmap(nb->data + a, upto - a);
	nb->data_dropped_ = upto;
}

static bool parse_cells(struct parse_ctx *c)
{
	struct json_scanner *js = &c->js;
	int r = open_container(c, ']');
	if (r < 0)
		return false;
	size_t idx = 0;
	while (r > 0) {
		json_skip_ws(js);
		if (json_peek(js) == JSON_OBJECT) {
			if (!parse_cell(c, idx, c->keep == KEEP_ALL ? idx : c->nkept))
				return false;
			if (c->keep != KEEP_ALL)
				keep_or_drop(c, idx);
			if (c->stop_after_kept && c->nkept) {
				c->stopped = true;
				c->nb->ncells = c->nkept;
				c->nb->cells_in_file = idx + 1;     /* so far */
				return true;
			}
			if (c->lean)
				lean_drop(c);
			idx++;
			if (!c->bad_msg && !c->nomem)
				c->cells_done = idx;
		} else {
			structuralf(c, js->pos, " is not an object", idx);
			if (!json_skip_value(js))
				return false;
			idx++;
		}
		if ((r = after_member(c, ']')) < 0)
			return false;
	}
	size_t n = c->keep == KEEP_ALL ? idx : c->nkept;
	c->nb->ncells = n;
	c->nb->cells_in_file = idx;
	/* The array grew by doubling; give back the unused tail. */
	if (n && n < c->cells_cap) {
		struct nb_cell *shrunk = realloc(c->nb->cells, n * sizeof *shrunk);
		if (shrunk) {
			c->nb->cells = shrunk;
			c->cells_cap = n;
		}
	}
	return true;
}

/* ---- root and style --------------------------------------------------- */

static void copy_small(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool only_ws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* Style from the first top-level member: whitespace before it gives the
 * newline and indent unit, the bytes around ':' the colon; the bytes between
 * the first value and the second key the comma of compact files. */
static void detect_style_key(struct parse_ctx *c, size_t open, size_t ks)
{
	struct nb_style *st = &c->nb->style;
	const char *s = c->js.s;
	const char *ws = s + open + 1;
	size_t n = ks - open - 1;
	const char *lb = NULL;
	for (size_t i = 0; i < n; i++)
		if (ws[i] == '\n' || ws[i] == '\r') {
			lb = ws + i;
			break;
		}
	if (!lb) {
		st->newline[0] = '\0';
		st->indent[0] = '\0';
		return;
	}
	if (lb[0] == '\r' && lb + 1 < ws + n && lb[1] == '\n')
		strcpy(st->newline, "\r\n");
	else
		copy_small(st->newline, sizeof st->newline, lb, 1);
	const char *last = ws + n;
	while (last > ws && last[-1] != '\n' && last[-1] != '\r')
		last--;
	copy_small(st->indent, sizeof st->indent, last, (size_t)(ws + n - last));
}

static bool parse_root(struct parse_ctx *c)
{
	struct json_scanner *js = &c->js;
	struct notebook *nb = c->nb;
	if (json_have(js, 3) && memcmp(js->s, "\xef\xbb\xbf", 3) == 0)
		js->pos = 3;
	json_skip_ws(js);
	if (js->pos >= js->len)
		return json_fail(js, js->pos, "empty file");
	if (json_peek(js) != JSON_OBJECT) {
		size_t p = js->pos;
		if (!json_skip_value(js))
			return false;
		structural(c, p, "not a notebook: the top level is not an object");
		goto trailing;
	}
	size_t open = js->pos;
	int r = open_container(c, '}');
	if (r < 0)
		return false;
	size_t member = 0, prev_end = 0;
	int seen_cells = 0, seen_nbf = 0, seen_minor = 0;
	while (r > 0) {
		size_t ks, ke;
		bool kesc;
		json_skip_ws(js);
		if (member == 0 && js->pos < js->len && js->s[js->pos] == '"')
			detect_style_key(c, open, js->pos);
		if (member == 1 && !nb->style.newline[0]) {
			size_t n = js->pos - prev_end;
			if (n <= 3 && only_ws(js->s + prev_end + 1, n - 1))
				copy_small(nb->style.comma, sizeof nb->style.comma, js->s + prev_end, n);
		}
		if (!json_scan_string(js, &ks, &ke, &kesc))
			return false;
		if (!json_expect(js, ':'))
			return false;
		json_skip_ws(js);
		if (member == 0) {
			size_t n = js->pos - ke;
			if (n <= 3 && only_ws(js->s + ke, n) == false && !memchr(js->s + ke, '\n', n) &&
			    !memchr(js->s + ke, '\r', n))
				copy_small(nb->style.colon, sizeof nb->style.colon, js->s + ke, n);
		}
		enum json_type t = json_peek(js);
		bool ok;
		if (key_is(c, ks, ke, kesc, "cells")) {
			seen_cells++;
			c->cells_done = 0;  /* a second "cells" key starts over */
			c->have_cells = true;
			if (t == JSON_ARRAY) {
				nb->ncells = nb->cells_in_file = c->nkept = 0;
				ok = parse_cells(c);
				if (ok && c->stopped)
					return true;
			} else {
				structural(c, js->pos, "not a notebook: \"cells\" is not a list");
				ok = json_skip_value(js);
			}
		} else if (key_is(c, ks, ke, kesc, "nbformat") ||
		           key_is(c, ks, ke, kesc, "nbformat_minor")) {
			bool major = key_is(c, ks, ke, kesc, "nbformat");
			long v = -1;
			bool isint = false;
			size_t a = js->pos, b;
			if (t == JSON_NUMBER) {
				ok = json_scan_number(js, &a, &b);
				if (ok)
					isint = lexeme_long(js->s + a, b - a, &v);
				if (ok && !isint)
					structural(c, a, major ? "nbformat is not an integer"
					                       : "nbformat_minor is not an integer");
			} else {
				structural(c, a, major ? "nbformat is not an integer"
				                       : "nbformat_minor is not an integer");
				ok = json_skip_value(js);
			}
			if (major) {
				c->nbformat_int = isint;
				seen_nbf++;
				c->have_nbformat = true;
				nb->nbformat = v;
			} else {
				seen_minor++;
				c->have_minor = true;
				nb->nbformat_minor = v;
			}
		} else {
			if (key_is(c, ks, ke, kesc, "worksheets"))
				c->have_worksheets = true;
			ok = json_skip_value(js);
		}
		if (!ok)
			return false;
		prev_end = js->pos;
		json_skip_ws(js);
		member++;
		if ((r = after_member(c, '}')) < 0)
			return false;
	}
	if (seen_cells > 1 || seen_nbf > 1 || seen_minor > 1)
		nb->readonly_reason = "the notebook has duplicate top-level keys";
trailing:
	json_skip_ws(js);
	if (js->pos < js->len)
		return json_fail(js, js->pos, "unexpected data after the notebook");
	return true;
}

/* ---- load ------------------------------------------------------------- */

/* A lean load (notebook_load_lean): the open file, and how often to give
 * parsed bytes back. */
struct lean_load {
	int fd;
	size_t step;
	const struct nb_lean_probe *probe;      /* tests: told of each read */
	bool early;                             /* stop after the kept cell */
};

static enum ct_status fail_at(struct ct_error *err, enum ct_status st, const char *name,
                              const char *data, size_t len, size_t pos, const char *msg)
{
	long line, col;
	json_position(data, len, pos, &line, &col);
	return ct_error_set_at(err, st, name, line, col, "%s", msg);
}

/* The same when a lean load gave the first bytes back or had not read the
 * last ones (`avail` bytes were read): they are read from the file again
 * (`fd`) to count lines; without them, no position. */
static enum ct_status fail_at_nb(struct ct_error *err, enum ct_status st, const char *name,
                                 const struct notebook *nb, int fd, size_t avail, size_t pos,
                                 const char *msg)
{
	if (!nb->data_dropped_ && avail == nb->len)
		return fail_at(err, st, name, nb->data, nb->len, pos, msg);
	char *copy = malloc(nb->len + 1);
	bool ok = copy != NULL;
	for (size_t off = 0; ok && off < nb->len;) {
		ssize_t r = pread(fd, copy + off, nb->len - off, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		ok = r > 0;
		off += ok ? (size_t)r : 0;
	}
	if (!ok) {
		free(copy);
		return ct_error_set(err, st, name, "%s", msg);
	}
	st = fail_at(err, st, name, copy, nb->len, pos, msg);
	free(copy);
	return st;
}

static size_t read_range(int fd, char *buf, size_t off, size_t end, int *error);

/* Read and hash the window at `off`, a spare one moved there when there is
 * one (`from`, or NULL).  Returns its end, or `off` when reading failed
 * (*error an errno, else the file was short). */
static size_t stream_read(struct stream *sm, size_t off, char *from, struct hash4 *h,
                          uint64_t *whole_hash, int *error)
{
	size_t end = sm->total - off > sm->step ? off + sm->step : sm->total;
	char *w = sm->base + off;
	if (from &&
	    mremap(from, sm->step, sm->step, MREMAP_MAYMOVE | MREMAP_FIXED, w) == MAP_FAILED) {
		/* On failure the window may be gone: map fresh pages there. */
		munmap(from, sm->step);
		if (mmap(w, sm->step, PROT_READ | PROT_WRITE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
			*error = errno;
			return off;
		}
	}
	if (read_range(sm->fd, sm->base, off, end, error) != end - off)
		return off;
	/* Windows are page multiples, so only the last is not whole blocks. */
	if (end == sm->total)
		*whole_hash = hash4_end(h, (const unsigned char *)sm->base + off, end - off);
	else
		hash4_blocks(h, (const unsigned char *)sm->base + off, end - off);
	if (sm->probe)
		sm->probe->after_read(sm->probe->ctx, end);
	return end;
}

/* A spare window for [off, off + step) when it is a whole one. */
static char *stream_take_spare(struct stream *sm, size_t off)
{
	return sm->total - off >= sm->step && sm->nspare ? sm->spare[--sm->nspare] : NULL;
}

static void *stream_reader(void *arg)
{
	struct stream *sm = arg;
	pthread_mutex_lock(&sm->mu);
	size_t off = sm->filled;
	struct hash4 h = sm->hash;
	uint64_t whole_hash = 0;
	while (off < sm->total && !sm->stop) {
		/* Ahead of the parser by at most NB_AHEAD_WINDOWS, unless it waits. */
		if (off >= sm->want && off >= sm->dropped + NB_AHEAD_WINDOWS * sm->step) {
			pthread_cond_wait(&sm->cv, &sm->mu);
			continue;
		}
		char *from = stream_take_spare(sm, off);
		pthread_mutex_unlock(&sm->mu);
		int error = 0;
		size_t end = stream_read(sm, off, from, &h, &whole_hash, &error);
		bool failed = end == off;
		pthread_mutex_lock(&sm->mu);
		if (failed) {
			sm->error = error;
			sm->shrank = !error;
		} else {
			off = sm->filled = end;
			sm->hash = h;
			sm->hash_whole = whole_hash;
		}
		pthread_cond_broadcast(&sm->cv);
		if (failed)
			break;
	}
	pthread_mutex_unlock(&sm->mu);
	return NULL;
}

/* json_scanner.more of a lean load: bytes up to `need`, read by the reader
 * thread (waited for) or here. */
static void stream_more(void *ctx, struct json_scanner *js, size_t need)
{
	struct stream *sm = ctx;
	if (sm->threaded) {
		pthread_mutex_lock(&sm->mu);
		if (need > sm->want) {
			sm->want = need;
			pthread_cond_broadcast(&sm->cv);
		}
		while (sm->filled < need && !sm->error && !sm->shrank)
			pthread_cond_wait(&sm->cv, &sm->mu);
		js->len = sm->filled;
		pthread_mutex_unlock(&sm->mu);
		return;
	}
	while (sm->filled < need && !sm->error && !sm->shrank) {
		int error = 0;
		size_t end = stream_read(sm, sm->filled, stream_take_spare(sm, sm->filled), &sm->hash,
		                         &sm->hash_whole, &error);
		if (end == sm->filled) {
			sm->error = error;
			sm->shrank = !error;
		}
		sm->filled = end;
	}
	js->len = sm->filled;
}

/* Start reading: a thread when there is a second CPU to run it. */
static void stream_start(struct stream *sm)
{
	hash4_start(&sm->hash, sm->total);
	if (parallel_jobs(0, 2) < 2 || pthread_mutex_init(&sm->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&sm->cv, NULL) != 0) {
		pthread_mutex_destroy(&sm->mu);
		return;
	}
	/* The reader takes no signals: the caller's handlers run where it expects. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	sm->threaded = pthread_create(&sm->thread, NULL, stream_reader, sm) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!sm->threaded) {
		pthread_cond_destroy(&sm->cv);
		pthread_mutex_destroy(&sm->mu);
	}
}

/* Stop reading (the parse is over) and give back the spare windows. */
static void stream_end(struct stream *sm)
{
	if (sm->threaded) {
		pthread_mutex_lock(&sm->mu);
		sm->stop = true;
		pthread_cond_broadcast(&sm->cv);
		pthread_mutex_unlock(&sm->mu);
		pthread_join(sm->thread, NULL);
		pthread_cond_destroy(&sm->cv);
		pthread_mutex_destroy(&sm->mu);
		sm->threaded = false;
	}
	while (sm->nspare)
		munmap(sm->spare[--sm->nspare], sm->step);
}

/* A cell spec: 1 for an index (*v), 0 for "id:" (*id), -1 when malformed. */
static int spec_parse(const char *spec, size_t *v, const char **id)
{
	if (strncmp(spec, "id:", 3) == 0) {
		*id = spec + 3;
		return 0;
	}
	*v = 0;
	if (!*spec)
		return -1;
	for (const char *p = spec; *p; p++) {
		if (*p < '0' || *p > '9' || *v > (SIZE_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (size_t)(*p - '0');
	}
	return 1;
}

/* Parse nb->data into the model: every cell, or with `keep_spec` only the
 * cell it names (the others are checked, then dropped). */
static enum ct_status build(struct notebook *nb, const char *name, const char *keep_spec,
                            const struct lean_load *lean, struct ct_error *err)
{
	struct parse_ctx c;
	memset(&c, 0, sizeof c);
	c.nb = nb;
	c.name = name;
	c.arena = nb->arena;
	if (keep_spec) {
		int kind = spec_parse(keep_spec, &c.keep_index, &c.keep_id);
		c.keep = kind == 1 ? KEEP_INDEX : kind == 0 ? KEEP_ID : KEEP_NONE;
		c.arena = c.scratch = arena_new();
		if (!c.scratch)
			return ct_error_set(err, CT_NOMEM, name, "out of memory while loading");
		nb->partial = true;
	}
	if (lean) {
		c.lean = true;
		c.drop_step = lean->step;
		c.stop_after_kept = lean->early && keep_spec;
	}
	int fd = lean ? lean->fd : -1;
	json_init(&c.js, nb->data, nb->len, NB_MAX_DEPTH);
	struct stream sm = { .fd = fd, .base = nb->data, .total = nb->len };
	if (lean) {
		sm.step = lean->step;
		sm.probe = lean->probe;
		c.stream = &sm;
		c.js.len = 0;
		c.js.more = stream_more;
		c.js.more_ctx = &sm;
		stream_start(&sm);
	}
	strcpy(nb->style.colon, ": ");
	strcpy(nb->style.comma, ", ");
	strcpy(nb->style.newline, "\n");
	strcpy(nb->style.indent, " ");
	bool ok = parse_root(&c);
	free(c.members);
	free(c.spans);
	free(c.strs);
	arena_free(&c.scratch);
	stream_end(&sm);
	if (sm.error)
		return ct_error_set(err, CT_IO, name, "read error: %s", strerror(sm.error));
	char extra;
	if (sm.shrank ||
	    (lean && ok && !c.js.error && !c.stopped && pread(fd, &extra, 1, (off_t)nb->len) > 0))
		return ct_error_set(err, CT_IO, name, "the file changed while it was being read");
	if (c.nomem)
		return ct_error_set(err, CT_NOMEM, name, "out of memory while loading");
	if (!ok || c.js.error) {
		const char *msg = c.js.error ? c.js.error : "invalid JSON";
		enum ct_status st = c.js.utf8_error ? CT_UTF8 : CT_SYNTAX;
		if (st == CT_SYNTAX && strcmp(msg, "empty file") == 0)
			return ct_error_set(err, CT_SYNTAX, name, "empty file, not a notebook");
		char buf[200];
		if (st == CT_SYNTAX) {
			snprintf(buf, sizeof buf, "invalid JSON: %s", msg);
			msg = buf;
		}
		return fail_at_nb(err, st, name, nb, fd, c.js.len, c.js.error_pos, msg);
	}
	if (c.have_nbformat && c.nbformat_int && nb->nbformat != 4) {
		if (nb->nbformat == 3 || (nb->nbformat > 0 && nb->nbformat < 3))
			return ct_error_set(err, CT_VERSION, name,
			                    "nbformat %ld is not supported: open and save it once in "
			                    "Jupyter to upgrade it to nbformat 4", nb->nbformat);
		return ct_error_set(err, CT_VERSION, name,
		                    "nbformat %ld is not supported (celltag reads nbformat 4)",
		                    nb->nbformat);
	}
	if (!c.have_nbformat && c.have_worksheets)
		return ct_error_set(err, CT_VERSION, name,
		                    "nbformat 3 or older is not supported: open and save it once "
		                    "in Jupyter to upgrade it to nbformat 4");
	if (c.bad_msg)
		return fail_at_nb(err, CT_FORMAT, name, nb, fd, c.js.len, c.bad_pos, c.bad_msg);
	if (c.stopped) {
		/* The rest, and the facts of the whole file, are for the check
		 * (notebook_check_finish) to find; the last byte is read here. */
		char last = 0;
		nb->style.ascii_only = c.js.saw_u_escape_high && !c.js.saw_high_byte;
		nb->style.final_newline = pread(fd, &last, 1, (off_t)nb->len - 1) == 1 &&
		                          (last == '\n' || last == '\r');
		nb->early_ = true;
		return CT_OK;
	}
	if (!c.have_nbformat)
		return ct_error_set(err, CT_FORMAT, name, "not a notebook: no \"nbformat\" key");
	if (!c.have_cells)
		return ct_error_set(err, CT_FORMAT, name, "not a notebook: no \"cells\" list");
	if (!c.have_minor)
		return ct_error_set(err, CT_FORMAT, name, "not a notebook: no \"nbformat_minor\" key");
	nb->style.ascii_only = c.js.saw_u_escape_high && !c.js.saw_high_byte;
	nb->style.final_newline = nb->len > 0 &&
	                          (nb->data[nb->len - 1] == '\n' || nb->data[nb->len - 1] == '\r');
	if (lean)
		nb->hash_ = sm.hash_whole;      /* the parse reached the end: all read */
	return CT_OK;
}

/* The file's bytes.  Big files go into their own anonymous mapping, given
 * back whole when the notebook is freed, with ordinary pages: transparent
 * huge pages made reading 200 MB faster on an idle machine but up to twice
 * as slow once memory was fragmented (the kernel compacts memory to find
 * them), and read_all's prefaulting is as fast and steady. */
#define NB_MAP_MIN ((size_t)4 << 20)

static bool data_alloc(struct notebook *nb, size_t size, bool map)
{
	if ((map || size >= NB_MAP_MIN) && size < SIZE_MAX - 1) {
		void *p = mmap(NULL, size + 1, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			nb->data = p;
			nb->data_map_len_ = size + 1;
			return true;
		}
	}
	nb->data = malloc(size + 1);
	return nb->data != NULL;
}

static void data_free(struct notebook *nb)
{
	if (nb->data && nb->data_map_len_)
		munmap(nb->data + nb->data_dropped_, nb->data_map_len_ - nb->data_dropped_);
	else
		free(nb->data);
	nb->data = NULL;
	nb->data_map_len_ = 0;
	nb->data_dropped_ = 0;
}

static struct notebook *notebook_new(const char *name)
{
	struct notebook *nb = calloc(1, sizeof *nb);
	if (!nb)
		return NULL;
	nb->held_fd_ = -1;
	nb->arena = arena_new();
	nb->path = strdup(name ? name : "<memory>");
	if (!nb->arena || !nb->path) {
		notebook_free(&nb);
		return NULL;
	}
	return nb;
}

static enum ct_status finish_load(struct notebook *nb, const char *keep_spec,
                                  const struct lean_load *lean, struct notebook **out,
                                  struct ct_error *err)
{
	enum ct_status st = build(nb, nb->path, keep_spec, lean, err);
	if (st != CT_OK) {
		notebook_free(&nb);
		return st;
	}
	if (lean) {
		data_free(nb);
		nb->released = true;
	}
	*out = nb;
	return CT_OK;
}

static enum ct_status load_buffer(const char *data, size_t len, const char *name,
                                  const char *keep_spec, struct notebook **out,
                                  struct ct_error *err)
{
	*out = NULL;
	ct_error_clear(err);
	struct notebook *nb = notebook_new(name);
	if (!nb)
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	if (!data_alloc(nb, len, false)) {
		notebook_free(&nb);
		return ct_error_set(err, CT_NOMEM, name, "too large to load (%zu bytes): out of memory",
		                    len);
	}
	if (len)
		memcpy(nb->data, data, len);
	nb->data[len] = '\0';
	nb->len = len;
	return finish_load(nb, keep_spec, NULL, out, err);
}

enum ct_status notebook_load_buffer(const char *data, size_t len, const char *name,
                                    struct notebook **out, struct ct_error *err)
{
	return load_buffer(data, len, name, NULL, out, err);
}

enum ct_status notebook_load_buffer_cell(const char *data, size_t len, const char *name,
                                         const char *spec, struct notebook **out,
                                         struct ct_error *err)
{
	return load_buffer(data, len, name, spec ? spec : "", out, err);
}

/* Read [off, end) of fd into buf + off; returns the bytes read (short at
 * end of file), *error an errno. */
static size_t read_range(int fd, char *buf, size_t off, size_t end, int *error)
{
	size_t start = off;
	while (off < end) {
		ssize_t r = pread(fd, buf + off, end - off, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*error = errno;
			break;
		}
		if (r == 0)
			break;
		off += (size_t)r;
	}
	return off - start;
}

/* Files are read in 8 MB parts; big ones by several threads, each its own
 * part: copying out of the page cache and the first touch of fresh memory
 * are most of opening a 200 MB notebook, and both run in parallel on other
 * cores.  A part of a mapped buffer is prefaulted in one call first
 * (MADV_POPULATE_WRITE, Linux 5.14; older kernels fault page by page). */
#define NB_PARALLEL_READ_MIN ((size_t)32 << 20)
#define NB_READ_CHUNK ((size_t)8 << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct read_job {
	int fd;
	char *buf;
	size_t size;
	bool prefault;                  /* buf is our own mapping */
	size_t *got;                    /* bytes read, per chunk */
	int *error;                     /* errno, per chunk */
};

static void read_chunk(void *ctx, size_t i)
{
	const struct read_job *j = ctx;
	size_t off = i * NB_READ_CHUNK;
	size_t end = j->size - off < NB_READ_CHUNK ? j->size : off + NB_READ_CHUNK;
	if (j->prefault)
		madvise(j->buf + off, end - off, MADV_POPULATE_WRITE);
	j->got[i] = read_range(j->fd, j->buf, off, end, &j->error[i]);
}

/* Read `size` bytes of fd from offset 0 into buf; returns how many were
 * there (less: the file shrank), *error an errno. */
static size_t read_all(int fd, char *buf, size_t size, bool prefault,
                       int *error)
{
	size_t nchunks = (size + NB_READ_CHUNK - 1) / NB_READ_CHUNK;
	size_t *got = calloc(nchunks + 1, sizeof *got);
	int *errs = calloc(nchunks + 1, sizeof *errs);
	if (!got || !errs) {
		free(got);
		free(errs);
		return read_range(fd, buf, 0, size, error);
	}
	struct read_job j = { fd, buf, size, prefault, got, errs };
	unsigned jobs = size < NB_PARALLEL_READ_MIN ? 1 : parallel_jobs(0, nchunks);
	parallel_for(nchunks, jobs, read_chunk, &j);
	size_t total = 0;
	bool whole = true;
	for (size_t i = 0; i < nchunks; i++) {
		size_t want = size - i * NB_READ_CHUNK < NB_READ_CHUNK
		              ? size - i * NB_READ_CHUNK : NB_READ_CHUNK;
		if (errs[i] && !*error)
			*error = errs[i];
		if (whole)
			total += got[i];
		whole = whole && got[i] == want;   /* a hole: the file shrank */
	}
	free(got);
	free(errs);
	return total;
}

/* Whether the file lives on a local file system, where the kernel that
 * stamps its ctime is ours and stat() is never served from a cache.  On
 * network file systems (NFS, SMB, FUSE...) another machine's clock stamps
 * it and attributes may be cached, so the ctime proves nothing: the save
 * compares the bytes there. */
static bool local_fs(int fd)
{
	static const unsigned long local[] = {
		0xEF53,         /* ext2/3/4 */
		0x58465342,     /* xfs */
		0x9123683E,     /* btrfs */
		0x01021994,     /* tmpfs */
		0x794C7630,     /* overlayfs */
		0x2FC12FC1,     /* zfs */
		0xF2F52010,     /* f2fs */
		0x858458F6,     /* ramfs */
	};
	struct statfs sf;
	if (fstatfs(fd, &sf) != 0)
		return false;
	for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
		if ((unsigned long)sf.f_type == local[i])
			return true;
	return false;
}

/* A released notebook keeps its file open.  Descriptors are handed out
 * lowest first, so `fd` is about how many are open: past half the limit
 * (an editor on a course of hundreds of big notebooks) the bytes are kept
 * instead, and later opens still find descriptors. */
static bool fd_to_spare(int fd)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return true;
	return (rlim_t)fd < rl.rlim_cur / 2;
}

/* release_min == SIZE_MAX: keep the bytes (notebook_load). */
static enum ct_status load_file(const char *path, const char *keep_spec, size_t release_min,
                                size_t step, const struct nb_lean_probe *probe, bool early,
                                struct notebook **out, struct ct_error *err)
{
	*out = NULL;
	ct_error_clear(err);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			return ct_error_set(err, CT_NOTFOUND, path, "no such file");
		if (e == ELOOP)
			return ct_error_set(err, CT_IO, path, "cannot open: too many levels of symbolic links");
		return ct_error_set(err, CT_IO, path, "cannot open: %s", strerror(e));
	}
	/* The clock before the stat: a ctime older than it cannot be given again
	 * by a later change (see ctime_settled). */
	struct timespec opened;
	clock_gettime(CLOCK_REALTIME_COARSE, &opened);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return ct_error_set(err, CT_IO, path, "cannot stat: %s", strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return ct_error_set(err, CT_NOTREG, path, "is a directory, not a notebook file");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return ct_error_set(err, CT_NOTREG, path, "not a regular file");
	}
	if ((unsigned long long)st.st_size > NB_MAX_FILE_SIZE) {
		close(fd);
		return ct_error_set(err, CT_TOOBIG, path, "file too large (%lld bytes; the limit is %zu)",
		                    (long long)st.st_size, NB_MAX_FILE_SIZE);
	}
	/* Back to blocking reads now that it is known to be a regular file. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	bool settled = local_fs(fd) &&
	               (st.st_ctim.tv_sec < opened.tv_sec ||
	                (st.st_ctim.tv_sec == opened.tv_sec && st.st_ctim.tv_nsec < opened.tv_nsec));
	size_t size = (size_t)st.st_size;
	/* Lean: the bytes are given back page by page, so they need a mapping of
	 * their own (unmapped, a stray read faults instead of reading zeros). */
	bool lean = release_min != SIZE_MAX && settled && size > 0 && size >= release_min &&
	            fd_to_spare(fd);
	struct notebook *nb = notebook_new(path);
	if (!nb || !data_alloc(nb, size, lean)) {
		close(fd);
		notebook_free(&nb);
		return ct_error_set(err, CT_NOMEM, path, "too large to load (%zu bytes): out of memory",
		                    size);
	}
	/* A lean load reads while it parses (stream_more); others read first. */
	if (!lean || !nb->data_map_len_) {
		int rerr = 0;
		size_t got = read_all(fd, nb->data, size, nb->data_map_len_ > 0, &rerr);
		if (rerr) {
			close(fd);
			notebook_free(&nb);
			return ct_error_set(err, CT_IO, path, "read error: %s", strerror(rerr));
		}
		char extra;
		ssize_t more = got == size ? pread(fd, &extra, 1, (off_t)size) : 0;
		if (got != size || more > 0) {
			close(fd);
			notebook_free(&nb);
			return ct_error_set(err, CT_IO, path, "the file changed while it was being read");
		}
	}
	nb->data[size] = '\0';
	nb->len = size;
	nb->from_file = true;
	nb->file.dev = st.st_dev;
	nb->file.ino = st.st_ino;
	nb->file.size = st.st_size;
	nb->file.mtime = st.st_mtim;
	nb->file.ctime = st.st_ctim;
	nb->file.ctime_settled = settled;
	nb->file.mode = st.st_mode;
	nb->file.uid = st.st_uid;
	nb->file.gid = st.st_gid;
	nb->release_min_ = release_min;
	if (!lean || !nb->data_map_len_) {
		close(fd);
		return finish_load(nb, keep_spec, NULL, out, err);
	}
	long page = sysconf(_SC_PAGESIZE);
	size_t pg = page > 0 ? (size_t)page : 4096;
	struct lean_load ll = { fd, step ? (step + pg - 1) / pg * pg : NB_WINDOW, probe, early };
	enum ct_status result = finish_load(nb, keep_spec, &ll, out, err);
	if (result == CT_OK)
		(*out)->held_fd_ = fd;
	else
		close(fd);
	return result;
}

enum ct_status notebook_load(const char *path, struct notebook **out, struct ct_error *err)
{
	return load_file(path, NULL, SIZE_MAX, 0, NULL, false, out, err);
}

enum ct_status notebook_load_lean(const char *path, size_t release_min, struct notebook **out,
                                  struct ct_error *err)
{
	return load_file(path, NULL, release_min, 0, NULL, false, out, err);
}

enum ct_status notebook_load_lean_step(const char *path, size_t release_min, size_t step,
                                       struct notebook **out, struct ct_error *err)
{
	return load_file(path, NULL, release_min, step, NULL, false, out, err);
}

enum ct_status notebook_load_lean_probe(const char *path, const char *spec, size_t release_min,
                                        size_t step, const struct nb_lean_probe *probe,
                                        struct notebook **out, struct ct_error *err)
{
	return load_file(path, spec, release_min, step, probe, false, out, err);
}

enum ct_status notebook_load_cell(const char *path, const char *spec, struct notebook **out,
                                  struct ct_error *err)
{
	return load_file(path, spec ? spec : "", SIZE_MAX, 0, NULL, false, out, err);
}

enum ct_status notebook_load_cell_lean(const char *path, const char *spec, size_t release_min,
                                       struct notebook **out, struct ct_error *err)
{
	return load_file(path, spec ? spec : "", release_min, 0, NULL, false, out, err);
}

/* ---- comparing cells ---------------------------------------------------- */

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool span_same(struct nb_span a, struct nb_span b)
{
	return a.start == b.start && a.end == b.end;
}

static bool list_same(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!str_same(a[i], b[i]))
			return false;
	return true;
}

const char *notebook_cell_diff(const struct nb_cell *a, const struct nb_cell *b, bool as_loaded)
{
	if (a->index != b->index)
		return "index";
	if (!str_same(a->id, b->id))
		return "id";
	if (!str_same(a->cell_type, b->cell_type) || a->kind != b->kind)
		return "cell_type";
	if (a->source_len != b->source_len || memcmp(a->source, b->source, a->source_len) != 0)
		return "source";
	if (a->execution_count != b->execution_count)
		return "execution_count";
	if (!as_loaded && !list_same(a->tags, a->ntags, b->tags, b->ntags))
		return "tags";
	if (!list_same(a->loaded_tags, a->nloaded_tags, b->loaded_tags, b->nloaded_tags))
		return "loaded_tags";
	if (a->had_tags_key != b->had_tags_key)
		return "had_tags_key";
	if (!str_same(a->readonly_reason, b->readonly_reason))
		return "readonly_reason";
	const struct nb_nbgrader *g = a->nbgrader, *h = b->nbgrader;
	if (!g != !h)
		return "nbgrader";
	if (g && (g->present != h->present || g->solution != h->solution || g->grade != h->grade ||
	          g->locked != h->locked || g->task != h->task ||
	          !str_same(g->grade_id, h->grade_id) || !(g->points == h->points)))
		return "nbgrader";
	const struct nb_cell_layout *l = &a->layout, *m = &b->layout;
	if (!span_same(l->object, m->object) || !span_same(l->metadata_key, m->metadata_key) ||
	    !span_same(l->metadata, m->metadata) || l->tags_member != m->tags_member ||
	    l->nmembers != m->nmembers)
		return "layout";
	for (size_t i = 0; i < l->nmembers; i++)
		if (!span_same(l->members[i].key, m->members[i].key) ||
		    !span_same(l->members[i].value, m->members[i].value) ||
		    !str_same(l->members[i].name, m->members[i].name))
			return "layout.members";
	return NULL;
}

/* ---- early loads: the check of the rest, beside the caller ------------ */

struct nb_check {
	pthread_t thread;
	char *path;
	char *spec;
	size_t release_min;
	struct notebook *nb;        /* the whole load's */
	struct ct_error err;
	enum ct_status status;
};

static void *check_run(void *arg)
{
	struct nb_check *k = arg;
	k->status = load_file(k->path, k->spec, k->release_min, 0, NULL, false, &k->nb, &k->err);
	return NULL;
}

static void check_free(struct nb_check *k)
{
	notebook_free(&k->nb);
	free(k->path);
	free(k->spec);
	free(k);
}

enum ct_status notebook_load_cell_early(const char *path, const char *spec, size_t release_min,
                                        struct notebook **out, struct nb_check **check,
                                        struct ct_error *err)
{
	*check = NULL;
	spec = spec ? spec : "";
	if (parallel_jobs(0, 2) < 2)
		return notebook_load_cell_lean(path, spec, release_min, out, err);
	enum ct_status st = load_file(path, spec, release_min, 0, NULL, true, out, err);
	/* Failed before the cell: the whole load's own error, exactly. */
	if (st != CT_OK)
		return notebook_load_cell_lean(path, spec, release_min, out, err);
	if (!(*out)->early_)
		return CT_OK;           /* read whole (not lean, or no such cell) */
	struct nb_check *k = calloc(1, sizeof *k);
	if (k) {
		k->path = strdup(path);
		k->spec = strdup(spec);
		k->release_min = release_min;
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	bool started = k && k->path && k->spec &&
	               pthread_create(&k->thread, NULL, check_run, k) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started) {
		*check = k;
		return CT_OK;
	}
	if (k)
		check_free(k);
	notebook_free(out);
	return notebook_load_cell_lean(path, spec, release_min, out, err);
}

static bool same_ts(struct timespec a, struct timespec b);

/* What differs between the early load and the whole one (NULL: nothing
 * that rendering, editing or the save's checks look at). */
static const char *check_diff(const struct notebook *e, const struct notebook *w)
{
	const struct nb_fileinfo *a = &e->file, *b = &w->file;
	if (a->dev != b->dev || a->ino != b->ino || a->size != b->size ||
	    !same_ts(a->mtime, b->mtime) || !same_ts(a->ctime, b->ctime) || e->len != w->len)
		return "file";
	if (memcmp(&e->style, &w->style, sizeof e->style) != 0)
		return "style";
	if ((e->readonly_reason == NULL) != (w->readonly_reason == NULL) ||
	    (e->readonly_reason && strcmp(e->readonly_reason, w->readonly_reason) != 0))
		return "readonly_reason";
	if (e->ncells != w->ncells)
		return "cell";
	for (size_t i = 0; i < e->ncells; i++) {
		const char *d = notebook_cell_diff(&e->cells[i], &w->cells[i], true);
		if (d)
			return d;
	}
	return NULL;
}

enum ct_status notebook_check_finish(struct nb_check **check, struct notebook *nb,
                                     bool *differs, struct ct_error *err)
{
	struct nb_check *k = *check;
	*differs = false;
	if (!k)
		return CT_OK;
	*check = NULL;
	pthread_join(k->thread, NULL);
	enum ct_status st = k->status;
	const char *why;
	if (st != CT_OK) {
		*err = k->err;
	} else if ((why = check_diff(nb, k->nb)) != NULL) {
		*differs = true;
		st = ct_error_set(err, CT_CONFLICT, nb->path,
		                  "the file read whole differs from its start read early (%s)", why);
	} else {
		nb->hash_ = k->nb->hash_;
		nb->nbformat = k->nb->nbformat;
		nb->nbformat_minor = k->nb->nbformat_minor;
		nb->cells_in_file = k->nb->cells_in_file;
		nb->early_ = false;
	}
	check_free(k);
	return st;
}

/* ---- preview of a big file's first cells ------------------------------ */

/* Parse what there is of a cut file: the cells complete before the cut (and
 * before any problem) are kept, the error at the cut is not one. */
static enum ct_status build_prefix(struct notebook *nb, size_t *ncells)
{
	struct parse_ctx c;
	memset(&c, 0, sizeof c);
	c.nb = nb;
	c.name = nb->path;
	c.arena = nb->arena;
	json_init(&c.js, nb->data, nb->len, NB_MAX_DEPTH);
	strcpy(nb->style.newline, "\n");
	parse_root(&c);
	free(c.members);
	free(c.spans);
	free(c.strs);
	if (c.nomem)
		return CT_NOMEM;
	nb->ncells = nb->cells_in_file = c.cells_done;
	*ncells = c.cells_done;
	return CT_OK;
}

enum ct_status notebook_preview_buffer(const char *data, size_t len, const char *name,
                                      struct notebook **out, struct ct_error *err)
{
	*out = NULL;
	ct_error_clear(err);
	struct notebook *nb = notebook_new(name);
	if (!nb || !data_alloc(nb, len, false)) {
		notebook_free(&nb);
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	}
	if (len)
		memcpy(nb->data, data, len);
	nb->data[len] = '\0';
	nb->len = len;
	size_t n = 0;
	if (build_prefix(nb, &n) != CT_OK) {
		notebook_free(&nb);
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	}
	if (n == 0) {
		notebook_free(&nb);
		return ct_error_set(err, CT_FORMAT, name, "no whole cell in the first %zu bytes", len);
	}
	nb->preview = true;
	nb->readonly_reason = "still loading";
	*out = nb;
	return CT_OK;
}

enum ct_status notebook_load_preview(const char *path, size_t min_cells,
                                     struct notebook **out, struct ct_error *err)
{
	*out = NULL;
	ct_error_clear(err);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return ct_error_set(err, CT_IO, path, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ct_error_set(err, CT_NOTREG, path, "not a regular file");
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	size_t size = (size_t)st.st_size, have = 0, want = NB_PREVIEW_FIRST;
	char *buf = NULL;
	enum ct_status result;
	/* Twice as much each time until min_cells are whole: each try parses
	 * the bytes again, at most twice the bytes finally read in all. */
	for (;;) {
		if (want > size)
			want = size;
		char *nbuf = realloc(buf, want + 1);
		if (!nbuf) {
			result = ct_error_set(err, CT_NOMEM, path, "out of memory");
			break;
		}
		buf = nbuf;
		int rerr = 0;
		have += read_range(fd, buf, have, want, &rerr);
		if (rerr) {
			result = ct_error_set(err, CT_IO, path, "read error: %s", strerror(rerr));
			break;
		}
		result = notebook_preview_buffer(buf, have, path, out, err);
		bool last = have < want || want >= size || want >= NB_PREVIEW_MAX;
		if (result == CT_NOMEM || last || (result == CT_OK && (*out)->ncells >= min_cells))
			break;
		notebook_free(out);
		want *= 2;
	}
	free(buf);
	close(fd);
	return result;
}

void notebook_free(struct notebook **pnb)
{
	if (!pnb || !*pnb)
		return;
	struct notebook *nb = *pnb;
	free(nb->cells);
	data_free(nb);
	if (nb->held_fd_ >= 0)
		close(nb->held_fd_);
	free(nb->path);
	arena_free(&nb->arena);
	free(nb);
	*pnb = NULL;
}

/* ---- queries and edits ------------------------------------------------ */

enum ct_status notebook_find_cell(const struct notebook *nb, const char *spec,
                                  size_t *index, struct ct_error *err)
{
	size_t v = 0;
	const char *id = NULL;
	int kind = spec_parse(spec, &v, &id);
	if (kind == 0) {
		for (size_t i = 0; i < nb->ncells; i++)
			if (nb->cells[i].id && strcmp(nb->cells[i].id, id) == 0) {
				*index = i;
				return CT_OK;
			}
		return ct_error_set(err, CT_CELL, nb->path, "no cell with id \"%.200s\"", id);
	}
	if (!*spec)
		return ct_error_set(err, CT_USAGE, nb->path, "empty cell; give an index or id:ID");
	if (kind < 0)
		return ct_error_set(err, CT_USAGE, nb->path,
		                    "bad cell \"%.200s\"; give a 0-based index or id:ID", spec);
	size_t n = nb->cells_in_file;
	if (v >= n) {
		if (!n)
			return ct_error_set(err, CT_CELL, nb->path, "no cell %zu: the notebook has no cells", v);
		return ct_error_set(err, CT_CELL, nb->path,
		                    "no cell %zu: the notebook has %zu cells (0-%zu)", v, n, n - 1);
	}
	if (!nb->partial) {
		*index = v;
		return CT_OK;
	}
	for (size_t i = 0; i < nb->ncells; i++)
		if (nb->cells[i].index == v) {
			*index = i;
			return CT_OK;
		}
	return ct_error_set(err, CT_CELL, nb->path, "cell %zu was not loaded", v);
}

enum ct_status notebook_require_whole(const struct notebook *nb, struct ct_error *err)
{
	if (nb && nb->partial)
		return ct_error_set(err, CT_USAGE, nb->path,
		                    "only one cell was loaded; this needs the whole notebook");
	return CT_OK;
}

static bool lists_equal(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool cell_modified(const struct nb_cell *c)
{
	return !lists_equal(c->tags, c->ntags, c->loaded_tags, c->nloaded_tags);
}

bool notebook_modified(const struct notebook *nb)
{
	return nb && nb->nmodified > 0;
}

bool cell_has_tag(const struct nb_cell *cell, const char *tag)
{
	for (size_t i = 0; i < cell->ntags; i++)
		if (strcmp(cell->tags[i], tag) == 0)
			return true;
	return false;
}

bool tag_schema_valid(const char *tag, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	if (!tag || !*tag) {
		*why = "a tag cannot be empty";
		return false;
	}
	size_t len = strlen(tag);
	if (!utf8_valid(tag, len)) {
		*why = "a tag must be valid UTF-8";
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)tag; *p; p++) {
		if (*p == ',') {
			*why = "a tag cannot contain a comma (nbformat schema)";
			return false;
		}
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			*why = "a tag cannot contain control characters";
			return false;
		}
	}
	return true;
}

static enum ct_status check_editable(const struct notebook *nb, size_t cell,
                                     struct ct_error *err)
{
	if (cell >= nb->ncells)
		return ct_error_set(err, CT_CELL, nb->path, "no cell %zu: the notebook has %zu cells",
		                    cell, nb->ncells);
	if (nb->readonly_reason)
		return ct_error_set(err, CT_READONLY, nb->path, "read-only: %s", nb->readonly_reason);
	if (nb->cells[cell].readonly_reason)
		return ct_error_set(err, CT_READONLY, nb->path, "cell %zu is read-only: %s",
		                    (size_t)nb->cells[cell].index, nb->cells[cell].readonly_reason);
	return CT_OK;
}

/* Install a new tag list (strings copied into the arena). */
static enum ct_status install_tags(struct notebook *nb, size_t cell,
                                   const char *const *tags, size_t n, struct ct_error *err)
{
	struct nb_cell *c = &nb->cells[cell];
	bool was = cell_modified(c);
	const char **arr = arena_alloc(nb->arena, (n ? n : 1) * sizeof *arr);
	if (!arr)
		return ct_error_set(err, CT_NOMEM, nb->path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		/* Reuse loaded strings where equal, so nothing leaks in long edits. */
		const char *s = NULL;
		for (size_t j = 0; j < c->nloaded_tags && !s; j++)
			if (strcmp(c->loaded_tags[j], tags[i]) == 0)
				s = c->loaded_tags[j];
		for (size_t j = 0; j < c->ntags && !s; j++)
			if (strcmp(c->tags[j], tags[i]) == 0)
				s = c->tags[j];
		if (!s)
			s = arena_strndup(nb->arena, tags[i], strlen(tags[i]));
		if (!s)
			return ct_error_set(err, CT_NOMEM, nb->path, "out of memory");
		arr[i] = s;
	}
	c->tags = arr;
	c->ntags = n;
	bool now = cell_modified(c);
	if (now && !was)
		nb->nmodified++;
	else if (!now && was)
		nb->nmodified--;
	return CT_OK;
}

/* Add or remove one tag: the new list is built aside, then installed. */
static enum ct_status tag_edit(struct notebook *nb, size_t cell, const char *tag, bool add,
                               bool *changed, struct ct_error *err)
{
	if (changed)
		*changed = false;
	enum ct_status st = check_editable(nb, cell, err);
	if (st != CT_OK)
		return st;
	const char *why;
	if (add && !tag_schema_valid(tag, &why))
		return ct_error_set(err, CT_TAG, nb->path, "invalid tag: %s", why);
	struct nb_cell *c = &nb->cells[cell];
	if (!tag || cell_has_tag(c, tag) == add)
		return CT_OK;
	const char **tmp = malloc((c->ntags + 1) * sizeof *tmp);
	if (!tmp)
		return ct_error_set(err, CT_NOMEM, nb->path, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < c->ntags; i++)
		if (add || strcmp(c->tags[i], tag) != 0)
			tmp[n++] = c->tags[i];
	if (add)
		tmp[n++] = tag;                 /* appended at the end */
	st = install_tags(nb, cell, tmp, n, err);
	free(tmp);
	if (st == CT_OK && changed)
		*changed = true;
	return st;
}

enum ct_status notebook_tag_add(struct notebook *nb, size_t cell, const char *tag,
                                bool *changed, struct ct_error *err)
{
	return tag_edit(nb, cell, tag, true, changed, err);
}

enum ct_status notebook_tag_remove(struct notebook *nb, size_t cell, const char *tag,
                                   bool *changed, struct ct_error *err)
{
	return tag_edit(nb, cell, tag, false, changed, err);
}

enum ct_status notebook_tags_set(struct notebook *nb, size_t cell, const char *const *tags,
                                 size_t ntags, bool *changed, struct ct_error *err)
{
	if (changed)
		*changed = false;
	enum ct_status st = check_editable(nb, cell, err);
	if (st != CT_OK)
		return st;
	struct nb_cell *c = &nb->cells[cell];
	/* Going back to the loaded list is always allowed (undo), even when the
	 * file had tags the schema refuses; new lists must be valid. */
	bool back_to_loaded = lists_equal(tags, ntags, c->loaded_tags, c->nloaded_tags);
	for (size_t i = 0; i < ntags && !back_to_loaded; i++) {
		const char *why;
		if (!tag_schema_valid(tags[i], &why))
			return ct_error_set(err, CT_TAG, nb->path, "invalid tag: %s", why);
		for (size_t j = 0; j < i; j++)
			if (strcmp(tags[i], tags[j]) == 0)
				return ct_error_set(err, CT_TAG, nb->path,
				                    "invalid tag list: \"%.100s\" appears twice", tags[i]);
	}
	if (lists_equal(c->tags, c->ntags, tags, ntags))
		return CT_OK;
	st = install_tags(nb, cell, tags, ntags, err);
	if (st == CT_OK && changed)
		*changed = true;
	return st;
}

static bool hash_fd(int fd, size_t len, bool legacy, uint64_t *out);

uint64_t notebook_hash_legacy(const struct notebook *nb)
{
	uint64_t h = 0;
	if (!nb->released)
		return ct_hash_bytes(nb->data, nb->len);
	return hash_fd(nb->held_fd_, nb->len, true, &h) ? h : 0;
}

uint64_t notebook_hash(const struct notebook *nb)
{
	return nb->released ? nb->hash_ : ct_hash_content(nb->data, nb->len);
}

/* ---- released notebooks: the loaded bytes, read again from the file --- */

enum ct_status notebook_read_bytes(const struct notebook *nb, size_t off, size_t n, char *buf,
                                   struct ct_error *err)
{
	if (off > nb->len || n > nb->len - off)
		return ct_error_set(err, CT_USAGE, nb->path, "read past the loaded bytes");
	if (!nb->released) {
		memcpy(buf, nb->data + off, n);
		return CT_OK;
	}
	while (n) {
		ssize_t r = pread(nb->held_fd_, buf, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ct_error_set(err, CT_IO, nb->path, "read error: %s", strerror(errno));
		if (r == 0)
			return ct_error_set(err, CT_CONFLICT, nb->path,
			                    "the file changed on disk since it was loaded (size)");
		buf += r;
		off += (size_t)r;
		n -= (size_t)r;
	}
	return CT_OK;
}

static bool same_ts(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static bool same_status(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && same_ts(a->st_mtim, b->st_mtim) &&
	       same_ts(a->st_ctim, b->st_ctim);
}

/* Hash of the open file's bytes, as notebook_hash (`legacy`: as
 * ct_hash_bytes); false on a read error or when the size is not `len`. */
static bool hash_fd(int fd, size_t len, bool legacy, uint64_t *out)
{
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		return false;
	uint64_t h = hash_start(len);
	struct hash4 h4;
	hash4_start(&h4, len);
	size_t off = 0;
	bool ok = true;
	while (ok && off < len) {
		size_t want = len - off < CHUNK ? len - off : CHUNK;
		size_t got = 0;
		while (got < want) {
			ssize_t r = pread(fd, buf + got, want - got, (off_t)(off + got));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				ok = false;
				break;
			}
			got += (size_t)r;
		}
		if (!ok)
			break;
		/* CHUNK is a multiple of 32: only the last part has a tail. */
		size_t whole = want & ~(size_t)7;
		if (!legacy && off + want == len)
			h = hash4_end(&h4, buf, want);
		else if (!legacy)
			hash4_blocks(&h4, buf, want);
		else
			h = hash_words(h, buf, whole);
		if (legacy && off + want == len)
			h = hash_end(h, buf + whole, want - whole);
		off += want;
	}
	static const unsigned char none[1];
	if (len == 0)
		h = legacy ? hash_end(h, none, 0) : hash4_end(&h4, none, 0);
	char extra;
	ok = ok && pread(fd, &extra, 1, (off_t)len) == 0;
	free(buf);
	*out = h;
	return ok;
}

enum ct_status notebook_held_check(const struct notebook *nb, struct stat *st,
                                   struct ct_error *err)
{
	struct stat now;
	if (!nb->released) {
		if (st)
			memset(st, 0, sizeof *st);
		return CT_OK;
	}
	if (fstat(nb->held_fd_, &now) != 0)
		return ct_error_set(err, CT_IO, nb->path, "cannot stat: %s", strerror(errno));
	struct stat loaded;
	memset(&loaded, 0, sizeof loaded);
	loaded.st_size = nb->file.size;
	loaded.st_mtim = nb->file.mtime;
	loaded.st_ctim = nb->file.ctime;
	if (!same_status(&now, &loaded)) {
		/* Something wrote to, truncated or changed the attributes of the
		 * file we hold.  Its bytes are still the loaded ones only if they
		 * hash the same, and stay so only once the new ctime is settled
		 * (a write in the same clock tick would not change it again). */
		struct timespec clock;
		clock_gettime(CLOCK_REALTIME_COARSE, &clock);
		uint64_t h;
		struct stat after;
		bool same = (size_t)now.st_size == nb->len && hash_fd(nb->held_fd_, nb->len, false, &h) &&
		            h == nb->hash_ && fstat(nb->held_fd_, &after) == 0 &&
		            same_status(&now, &after);
		if (!same)
			return ct_error_set(err, CT_CONFLICT, nb->path,
			                    "the file was rewritten in place since it was loaded, and "
			                    "celltag did not keep the loaded version: reload it");
		bool settled = now.st_ctim.tv_sec < clock.tv_sec ||
		               (now.st_ctim.tv_sec == clock.tv_sec &&
		                now.st_ctim.tv_nsec < clock.tv_nsec);
		if (!settled)
			return ct_error_set(err, CT_CONFLICT, nb->path,
			                    "the file is being changed on disk right now");
	}
	if (st)
		*st = now;
	return CT_OK;
}

bool notebook_held_same(const struct notebook *nb, const struct stat *st)
{
	struct stat now;
	if (!nb->released)
		return true;
	return fstat(nb->held_fd_, &now) == 0 && same_status(&now, st);
}
