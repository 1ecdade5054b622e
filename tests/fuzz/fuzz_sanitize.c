/* fuzz_sanitize.c - libFuzzer target: the text sanitiser (tui/sanitize.h).
 *
 * The first three input bytes choose the options (column limit, tab width
 * and start column, plain-escape flags); the rest is the text.
 *
 * Property, for every output form (cells, fitted line, plain escape): the
 * bytes are valid UTF-8 and hold no C0 control (< 0x20, ESC included), no
 * DEL, no C1 control and no code point sanitize_is_unsafe_cp() rejects
 * (bidi overrides, zero-width characters); only the plain form may keep
 * TAB/LF, and only when asked.  Widths add up and stay within the limit;
 * the cells cover the input without gaps or overlaps.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8 decode of one code point; returns its length, 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* The safety property of displayable text. */
static void check_safe(const char *s, size_t n, bool allow_tab,
                       bool allow_nl, const char *what)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(u + i, n - i, &cp);
		FUZZ_CHECK(k > 0, "%s: invalid UTF-8 at %zu (0x%02x)", what, i,
		           u[i]);
		if (cp == '\t')
			FUZZ_CHECK(allow_tab, "%s: TAB at %zu", what, i);
		else if (cp == '\n')
			FUZZ_CHECK(allow_nl, "%s: LF at %zu", what, i);
		else
			FUZZ_CHECK(cp >= 0x20 && cp != 0x7f &&
			           !(cp >= 0x80 && cp <= 0x9f),
			           "%s: control U+%04X at %zu", what, (unsigned)cp,
			           i);
		FUZZ_CHECK(cp < 0x80 || !sanitize_is_unsafe_cp(cp),
		           "%s: unsafe U+%04X at %zu", what, (unsigned)cp, i);
		i += k;
	}
}

#define MAX_CELLS 4096

static void check_cells(const char *s, size_t len, int max_cols,
                        const struct san_opts *opts)
{
	static struct san_cell cells[MAX_CELLS];
	int cols = -1;
	size_t consumed = (size_t)-1;
	size_t n = sanitize_line_ex(s, len, max_cols, opts, cells, MAX_CELLS,
	                            &cols, &consumed);
	FUZZ_CHECK(n <= MAX_CELLS, "%zu cells", n);
	FUZZ_CHECK(consumed <= len, "consumed %zu of %zu", consumed, len);
	int sum = 0;
	size_t end = 0;
	for (size_t i = 0; i < n; i++) {
		const struct san_cell *c = &cells[i];
		FUZZ_CHECK(c->len <= SAN_CELL_BYTES && c->bytes[c->len] == '\0' &&
		           strlen(c->bytes) == c->len, "cell %zu length", i);
		FUZZ_CHECK(c->width >= 1 && c->width <= 10, "cell %zu width %u",
		           i, c->width);
		FUZZ_CHECK(c->src_off == end, "cell %zu starts at %u, want %zu",
		           i, c->src_off, end);
		FUZZ_CHECK(c->src_len >= 1, "cell %zu covers nothing", i);
		end = (size_t)c->src_off + c->src_len;
		check_safe(c->bytes, c->len, false, false, "cell");
		sum += c->width;
	}
	FUZZ_CHECK(end == consumed, "cells end at %zu, consumed %zu", end,
	           consumed);
	FUZZ_CHECK(sum == cols, "widths %d != cols %d", sum, cols);
	if (max_cols >= 0)
		FUZZ_CHECK(cols <= max_cols, "%d cols > %d", cols, max_cols);
	else if (n < MAX_CELLS)
		FUZZ_CHECK(consumed == len, "unlimited line stopped at %zu/%zu",
		           consumed, len);

	/* The iterator gives the same cells as the line form. */
	struct san_iter it;
	struct san_cell c;
	size_t i = 0;
	san_iter_init(&it, s, len, opts);
	while (i < n && san_next(&it, &c)) {
		FUZZ_CHECK(c.len == cells[i].len &&
		           memcmp(c.bytes, cells[i].bytes, c.len) == 0 &&
		           c.src_off == cells[i].src_off,
		           "iterator cell %zu differs", i);
		i++;
	}
	if (max_cols < 0 && n < MAX_CELLS) {
		FUZZ_CHECK(i == n, "iterator gave %zu cells, line %zu", i, n);
		FUZZ_CHECK(!san_next(&it, &c), "iterator runs past the end");
	}
}

static void check_fit(const char *s, size_t len, int max_cols)
{
	char buf[512];
	memset(buf, 'Z', sizeof buf);
	int cols = sanitize_fit(s, len, max_cols, NULL, buf, sizeof buf);
	size_t n = strnlen(buf, sizeof buf);
	FUZZ_CHECK(n < sizeof buf, "fit: not NUL-terminated");
	if (max_cols >= 0)
		FUZZ_CHECK(cols >= 0 && cols <= max_cols, "fit: %d cols > %d",
		           cols, max_cols);
	check_safe(buf, n, false, false, "fit");
	FUZZ_CHECK(sanitize_width(buf, n) == cols, "fit: width %d, says %d",
	           sanitize_width(buf, n), cols);

	cols = sanitize_fit(s, len, max_cols, "~", buf, 40);
	n = strnlen(buf, 40);
	FUZZ_CHECK(n < 40, "fit(40): not NUL-terminated");
	check_safe(buf, n, false, false, "fit40");
}

static void check_plain(const char *s, size_t len, int max_cols,
                        unsigned flags)
{
	size_t need = sanitize_escape_plain(s, len, max_cols, flags, NULL, 0);
	char *full = malloc(need + 1);
	FUZZ_CHECK(full != NULL, "malloc");
	size_t again = sanitize_escape_plain(s, len, max_cols, flags, full,
	                                     need + 1);
	FUZZ_CHECK(again == need, "plain: %zu then %zu", need, again);
	FUZZ_CHECK(strlen(full) == need, "plain: strlen %zu != %zu",
	           strlen(full), need);
	check_safe(full, need, flags & SAN_PLAIN_KEEP_TAB,
	           flags & SAN_PLAIN_KEEP_NL, "plain");
	if (max_cols > 0 && !(flags & (SAN_PLAIN_KEEP_TAB | SAN_PLAIN_KEEP_NL)))
		FUZZ_CHECK(sanitize_width(full, need) <= max_cols,
		           "plain: %d cols > %d", sanitize_width(full, need),
		           max_cols);
	if (max_cols <= 0 && !(flags & SAN_PLAIN_KEEP_NL))
		FUZZ_CHECK(memchr(full, '\n', need) == NULL, "plain: LF");

	/* A short buffer gets a NUL-terminated prefix. */
	char small[16];
	size_t r = sanitize_escape_plain(s, len, max_cols, flags, small,
	                                 sizeof small);
	FUZZ_CHECK(r == need, "plain(16) returns %zu, want %zu", r, need);
	size_t sn = strnlen(small, sizeof small);
	FUZZ_CHECK(sn < sizeof small, "plain(16): not terminated");
	FUZZ_CHECK(sn <= need && memcmp(small, full, sn) == 0,
	           "plain(16) is not a prefix");
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	int max_cols = data[0] == 0xff ? -1 : data[0] % 100;
	struct san_opts opts = {
		.tab_width = (int)(data[1] & 0x1f) - 2,   /* -2..29: clamping */
		.start_col = data[1] >> 5,
	};
	unsigned flags = data[2] & (SAN_PLAIN_KEEP_TAB | SAN_PLAIN_KEEP_NL);
	const char *s = (const char *)data + 3;
	size_t len = size - 3;

	check_cells(s, len, max_cols, &opts);
	check_cells(s, len, -1, NULL);
	check_fit(s, len, max_cols);
	check_plain(s, len, max_cols, flags);
	return 0;
}
