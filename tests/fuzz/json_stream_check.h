/* json_stream_check.h - the scanner over bytes that arrive in parts.
 *
 * A lean load (notebook.c) gives json.c its buffer a window at a time: the
 * scanner must ask for more (json_fill) wherever it reaches the end of the
 * bytes it has, and never read past them.  json_stream_diff scans `data`
 * whole, then again revealing it `part(k)` bytes per request, the bytes not
 * revealed yet being garbage (and, under ASan, poisoned: a read of them is
 * a report), and returns NULL when both scans agree (result, position,
 * error and where, UTF-8 error, style facts), else what differs.
 * Shared by fuzz_notebook_load.c and tests/unit/test_lean.c.
 */
#ifndef CELLTAG_JSON_STREAM_CHECK_H
#define CELLTAG_JSON_STREAM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#if defined(__SANITIZE_ADDRESS__)
#define JSC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSC_ASAN 1
#endif
#endif
#ifdef JSC_ASAN
#include <sanitizer/asan_interface.h>
#define JSC_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define JSC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define JSC_POISON(p, n) ((void)(p), (void)(n))
#define JSC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct jsc_feed {
	const char *data;
	char *buf;
	size_t total;
	unsigned seed;
	size_t calls;
};

static void jsc_more(void *ctx, struct json_scanner *js, size_t need)
{
	struct jsc_feed *f = ctx;
	size_t have = js->len;
	/* Parts of 1 to 13 bytes, or up to `need` when more is asked for. */
	f->seed = f->seed * 1103515245u + 12345u;
	size_t part = 1 + (f->seed >> 16) % 13;
	size_t upto = have + part > need ? have + part : need;
	if (upto > f->total)
		upto = f->total;
	JSC_UNPOISON(f->buf + have, upto - have);
	memcpy(f->buf + have, f->data + have, upto - have);
	js->len = upto;
	f->calls++;
}

/* Scan as a whole notebook file is scanned: an optional BOM, one value,
 * then only whitespace. */
static bool jsc_scan(struct json_scanner *js)
{
	if (json_have(js, 3) && memcmp(js->s, "\xef\xbb\xbf", 3) == 0)
		js->pos = 3;
	if (!json_skip_value(js))
		return false;
	json_skip_ws(js);
	return js->pos >= js->len || json_fail(js, js->pos, "unexpected data");
}

static const char *jsc_diff(const char *data, size_t len, unsigned seed)
{
	struct json_scanner a, b;
	json_init(&a, data, len, 64);
	bool ra = jsc_scan(&a);

	char *buf = malloc(len + 1);
	if (!buf)
		return NULL;
	memset(buf, '"', len + 1);      /* garbage a stray read would trip on */
	JSC_POISON(buf, len + 1);
	struct jsc_feed f = { data, buf, len, seed, 0 };
	json_init(&b, buf, len, 64);
	b.len = 0;
	b.more = jsc_more;
	b.more_ctx = &f;
	bool rb = jsc_scan(&b);
	JSC_UNPOISON(buf, len + 1);
	free(buf);

	if (ra != rb)
		return "result";
	if (a.pos != b.pos)
		return "position";
	if ((a.error == NULL) != (b.error == NULL) ||
	    (a.error && strcmp(a.error, b.error) != 0))
		return "error message";
	if (a.error && a.error_pos != b.error_pos)
		return "error position";
	if (a.utf8_error != b.utf8_error)
		return "utf8_error";
	if (a.saw_high_byte != b.saw_high_byte || a.saw_u_escape_high != b.saw_u_escape_high)
		return "style facts";
	return NULL;
}

#endif
