/* json.h - strict, allocation-free JSON scanning over a byte buffer.
 *
 * The scanner validates as it goes (RFC 8259 plus Python's NaN/Infinity,
 * which nbformat can write; UTF-8 checked inside strings) and only reports
 * where things are; it never builds a tree.  Decoding a string is a separate
 * step, done only for the few strings the model needs.  Errors carry the byte
 * offset; json_position() turns it into line:column.
 */
#ifndef CELLTAG_CORE_JSON_H
#define CELLTAG_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type { JSON_NONE, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER,
                 JSON_TRUE, JSON_FALSE, JSON_NULL };

struct json_scanner {
	const char *s;
	size_t len;                 /* bytes of s readable now */
	size_t pos;
	/* A buffer filled while it is scanned (notebook.c's streamed load):
	 * `total` bytes in all, of which the first `len` are there; at the end
	 * of those the scanner calls more(more_ctx, js, need), which makes at
	 * least [len, need) readable (or all there is) and raises len.
	 * Without `more`, len == total. */
	size_t total;
	void (*more)(void *ctx, struct json_scanner *js, size_t need);
	void *more_ctx;
	int depth;
	int max_depth;
	/* first error: message (static) and byte offset */
	const char *error;
	size_t error_pos;
	bool utf8_error;            /* the error is invalid UTF-8 */
	/* facts gathered while scanning, for style detection */
	bool saw_high_byte;         /* a raw byte >= 0x80 in some string */
	bool saw_u_escape_high;     /* a \uXXXX escape >= 0x80 */
};

void json_init(struct json_scanner *js, const char *s, size_t len, int max_depth);

/* Make bytes up to `need` readable when the file has them (see `more`);
 * false when it has not (the end of the file, or a read failed).  Out of
 * line: it runs once per buffer refill, not per byte. */
bool json_fill(struct json_scanner *js, size_t need);

/* Whether bytes [.., need) are readable, filling when they can be. */
static inline bool json_have(struct json_scanner *js, size_t need)
{
	return need <= js->len || json_fill(js, need);
}

/* The three below run between every two tokens, so they are inline (the
 * parser is in another file); a load of 50,000 small cells spent a third
 * of its instructions calling them. */

/* Skip whitespace (space, tab, LF, CR).  Afterwards pos < len, or pos is
 * the end of the file. */
static inline void json_skip_ws(struct json_scanner *js)
{
	const unsigned char *s = (const unsigned char *)js->s;
	size_t p = js->pos, n = js->len;
	const uint64_t ws = (1ULL << ' ') | (1ULL << '\n') | (1ULL << '\r') | (1ULL << '\t');
	for (;;) {
		while (p < n && s[p] <= ' ' && ((ws >> s[p]) & 1))
			p++;
		if (p < n || !json_fill(js, p + 1))
			break;
		n = js->len;
	}
	js->pos = p;
}

/* Type of the value starting at pos (after whitespace), JSON_NONE at end or
 * on a byte that cannot start a value. */
static inline enum json_type json_peek(struct json_scanner *js)
{
	json_skip_ws(js);
	if (js->pos >= js->len)
		return JSON_NONE;
	switch (js->s[js->pos]) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	case '-': case 'N': case 'I':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JSON_NUMBER;
	default:
		return JSON_NONE;
	}
}

/* The error of json_expect (out of line).  Returns false. */
bool json_expect_failed(struct json_scanner *js, char c);

/* Expect byte c after whitespace; consumes it. */
static inline bool json_expect(struct json_scanner *js, char c)
{
	json_skip_ws(js);
	if (js->pos < js->len && js->s[js->pos] == c) {
		js->pos++;
		return true;
	}
	return json_expect_failed(js, c);
}

/* Scan a string at pos (which must be '"'): on success *start and *end delimit it
 * quotes included, *escaped tells whether it holds a backslash. */
bool json_scan_string(struct json_scanner *js, size_t *start, size_t *end,
                      bool *escaped);

/* Scan and validate any value, nested ones included. */
bool json_skip_value(struct json_scanner *js);

/* Scan a number; *start and *end delimit its lexeme. */
bool json_scan_number(struct json_scanner *js, size_t *start, size_t *end);

/* Record an error at pos (only the first error is kept).  Returns false. */
bool json_fail(struct json_scanner *js, size_t pos, const char *msg);

/* Decode the body of a string (between the quotes, already validated) into
 * out, which must hold at least `len` + 1 bytes.  Returns the decoded length;
 * out is NUL-terminated.  *lossy (may be NULL) is set when a lone surrogate
 * had to become U+FFFD. */
size_t json_decode_string(const char *s, size_t len, char *out, bool *lossy);

/* 1-based line and column (in characters) of byte offset pos.  CRLF, LF and
 * lone CR each end a line. */
void json_position(const char *s, size_t len, size_t pos, long *line, long *col);

/* Validate UTF-8 (for tags given by users).  Returns true when valid. */
bool utf8_valid(const char *s, size_t len);

#endif
