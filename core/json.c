/* json.c - strict JSON scanner: validates and locates, never builds trees. */
#include "json.h"

#include <string.h>

void json_init(struct json_scanner *js, const char *s, size_t len, int max_depth)
{
	memset(js, 0, sizeof *js);
	js->s = s;
	js->len = len;
	js->total = len;
	js->max_depth = max_depth;
}

bool json_fill(struct json_scanner *js, size_t need)
{
	if (need <= js->len)
		return true;
	if (!js->more || js->len >= js->total)
		return false;
	js->more(js->more_ctx, js, need < js->total ? need : js->total);
	return need <= js->len;
}

bool json_fail(struct json_scanner *js, size_t pos, const char *msg)
{
	if (!js->error) {
		js->error = msg;
		js->error_pos = pos;
	}
	return false;
}

bool json_expect_failed(struct json_scanner *js, char c)
{
	static const char *const msgs[] = { "expected ':'", "expected ','",
	                                    "expected '{'", "expected '['" };
	const char *m = c == ':' ? msgs[0] : c == ',' ? msgs[1] : c == '{' ? msgs[2] : msgs[3];
	if (js->pos >= js->len)
		m = "unexpected end of file";
	return json_fail(js, js->pos, m);
}

/* Length of a valid UTF-8 sequence at s (1..4), or 0 when invalid.  Rejects
 * overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		if (avail < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xf0) {
		if (avail < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;           /* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0;           /* surrogate */
		return 3;
	}
	if (c < 0xf5) {
		if (avail < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t k = utf8_seq(u + i, len - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Eight bytes with none of: '"', '\\', a control byte, a byte >= 0x80. */
static inline bool word_plain(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = w ^ (ones * '"');
	uint64_t b = w ^ (ones * '\\');
	uint64_t bad = (w & highs) |
	               ((w - ones * 0x20) & ~w & highs) |
	               ((q - ones) & ~q & highs) |
	               ((b - ones) & ~b & highs);
	return bad == 0;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* Position of the first byte at or after p that is '"', '\\', a control
 * byte or >= 0x80 (signed compare: high bytes are negative), 16 at a time. */
static inline size_t skip_plain16(const unsigned char *s, size_t p, size_t n)
{
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i lim = _mm_set1_epi8(0x20);
	while (p + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		                                        _mm_cmpeq_epi8(v, bslash)),
		                           _mm_cmplt_epi8(v, lim));
		int m = _mm_movemask_epi8(bad);
		if (m)
			return p + (size_t)__builtin_ctz((unsigned)m);
		p += 16;
	}
	return p;
}
#endif

/* The general loop of json_scan_string, from p (after `open`, the opening
 * quote, with only plain bytes before p): escapes, UTF-8, errors.  Out of
 * line, so the common case (a plain string) stays small and cheap to call. */
static __attribute__((noinline)) bool scan_string_rest(struct json_scanner *js, size_t open,
                                                       size_t p, size_t *start, size_t *end,
                                                       bool *escaped)
{
	const unsigned char *s = (const unsigned char *)js->s;
	size_t n = js->len;
	bool esc = false;
	for (;;) {
#if defined(__SSE2__)
		p = skip_plain16(s, p, n);
#endif
		while (p + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + p, 8);
			if (!word_plain(w))
				break;
			p += 8;
		}
		if (p >= n) {
			if (json_fill(js, p + 1)) {
				n = js->len;
				continue;
			}
			return json_fail(js, open, "unterminated string");
		}
		unsigned c = s[p];
		if (c == '"') {
			p++;
			break;
		}
		if (c == '\\') {
			esc = true;
			json_have(js, p + 6);       /* the longest escape: backslash, u, 4 digits */
			n = js->len;
			if (p + 1 >= n)
				return json_fail(js, open, "unterminated string");
			unsigned e = s[p + 1];
			if (e == 'u') {
				if (p + 6 > n)
					return json_fail(js, p, "invalid \\u escape");
				int v = 0;
				for (int i = 2; i < 6; i++) {
					int h = hexval(s[p + i]);
					if (h < 0)
						return json_fail(js, p, "invalid \\u escape");
					v = v * 16 + h;
				}
				if (v >= 0x80)
					js->saw_u_escape_high = true;
				p += 6;
			} else if (e == '"' || e == '\\' || e == '/' || e == 'b' ||
			           e == 'f' || e == 'n' || e == 'r' || e == 't') {
				p += 2;
			} else {
				return json_fail(js, p, "invalid escape in string");
			}
			continue;
		}
		if (c < 0x20)
			return json_fail(js, p, "control character in string");
		if (c >= 0x80) {
			json_have(js, p + 4);       /* the longest sequence */
			n = js->len;
			size_t k = utf8_seq(s + p, n - p);
			if (!k) {
				js->utf8_error = !js->error;
				return json_fail(js, p, "invalid UTF-8");
			}
			js->saw_high_byte = true;
			p += k;
			continue;
		}
		p++;
	}
	*start = open;
	*end = p;
	if (escaped)
		*escaped = esc;
	js->pos = p;
	return true;
}

bool json_scan_string(struct json_scanner *js, size_t *start, size_t *end,
                      bool *escaped)
{
	const unsigned char *s = (const unsigned char *)js->s;
	size_t p = js->pos;
	if (!json_have(js, p + 1) || s[p] != '"')
		return json_fail(js, p, "expected a string");
	size_t n = js->len;
	size_t open = p++;
#if defined(__SSE2__)
	p = skip_plain16(s, p, n);
#endif
	while (p < n && s[p] >= 0x20 && s[p] < 0x80 && s[p] != '"' && s[p] != '\\')
		p++;
	if (p >= n || s[p] != '"')
		return scan_string_rest(js, open, p, start, end, escaped);
	*start = open;
	*end = ++p;
	if (escaped)
		*escaped = false;
	js->pos = p;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The byte at p, -1 past the end of the file. */
static int byte_at(struct json_scanner *js, size_t p)
{
	return json_have(js, p + 1) ? (unsigned char)js->s[p] : -1;
}

static size_t skip_digits(struct json_scanner *js, size_t p)
{
	int ch;
	while ((ch = byte_at(js, p)) >= '0' && ch <= '9')
		p++;
	return p;
}

bool json_scan_number(struct json_scanner *js, size_t *start, size_t *end)
{
	size_t p = js->pos, b = p;
	if (byte_at(js, p) == '-')
		p++;
	/* Python's json writes NaN, Infinity and -Infinity; accept them. */
	if (json_have(js, p + 8) && memcmp(js->s + p, "Infinity", 8) == 0) {
		p += 8;
		goto done;
	}
	if (p == b && json_have(js, p + 3) && memcmp(js->s + p, "NaN", 3) == 0) {
		p += 3;
		goto done;
	}
	int ch = byte_at(js, p);
	if (ch < 0 || !is_digit((char)ch))
		return json_fail(js, p, "invalid number");
	if (ch == '0') {
		p++;
		ch = byte_at(js, p);
		if (ch >= 0 && is_digit((char)ch))
			return json_fail(js, b, "invalid number (leading zero)");
	} else {
		p = skip_digits(js, p);
	}
	if (byte_at(js, p) == '.') {
		p++;
		ch = byte_at(js, p);
		if (ch < 0 || !is_digit((char)ch))
			return json_fail(js, b, "invalid number");
		p = skip_digits(js, p);
	}
	ch = byte_at(js, p);
	if (ch == 'e' || ch == 'E') {
		p++;
		ch = byte_at(js, p);
		if (ch == '+' || ch == '-')
			p++;
		ch = byte_at(js, p);
		if (ch < 0 || !is_digit((char)ch))
			return json_fail(js, b, "invalid number");
		p = skip_digits(js, p);
	}
done:
	*start = b;
	*end = p;
	js->pos = p;
	return true;
}

static bool scan_literal(struct json_scanner *js, const char *lit, size_t k)
{
	if (json_have(js, js->pos + k) && memcmp(js->s + js->pos, lit, k) == 0) {
		js->pos += k;
		return true;
	}
	return json_fail(js, js->pos, "invalid literal");
}

bool json_skip_value(struct json_scanner *js)
{
	size_t a, b;
	switch (json_peek(js)) {
	case JSON_STRING:
		return json_scan_string(js, &a, &b, NULL);
	case JSON_NUMBER:
		return json_scan_number(js, &a, &b);
	case JSON_TRUE:
		return scan_literal(js, "true", 4);
	case JSON_FALSE:
		return scan_literal(js, "false", 5);
	case JSON_NULL:
		return scan_literal(js, "null", 4);
	case JSON_OBJECT:
	case JSON_ARRAY: {
		bool obj = js->s[js->pos] == '{';
		char close = obj ? '}' : ']';
		if (++js->depth > js->max_depth)
			return json_fail(js, js->pos, "nesting too deep");
		js->pos++;
		json_skip_ws(js);
		if (js->pos < js->len && js->s[js->pos] == close) {
			js->pos++;
			js->depth--;
			return true;
		}
		for (;;) {
			if (obj) {
				json_skip_ws(js);
				if (!json_scan_string(js, &a, &b, NULL))
					return false;
				if (!json_expect(js, ':'))
					return false;
			}
			if (!json_skip_value(js))
				return false;
			json_skip_ws(js);
			if (js->pos >= js->len)
				return json_fail(js, js->pos, "unexpected end of file");
			char c = js->s[js->pos];
			if (c == ',') {
				js->pos++;
				continue;
			}
			if (c == close) {
				js->pos++;
				break;
			}
			return json_fail(js, js->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		}
		js->depth--;
		return true;
	}
	case JSON_NONE:
	default:
		if (js->pos >= js->len)
			return json_fail(js, js->pos, "unexpected end of file");
		return json_fail(js, js->pos, "expected a value");
	}
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static long hex4(const char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

size_t json_decode_string(const char *s, size_t len, char *out, bool *lossy)
{
	size_t i = 0, o = 0;
	if (lossy)
		*lossy = false;
	while (i < len) {
		const char *bs = memchr(s + i, '\\', len - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : len - i;
		memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i >= len)
			break;
		/* s[i] == '\\'; the scanner validated the escape */
		char e = i + 1 < len ? s[i + 1] : '\\';
		switch (e) {
		case 'b': out[o++] = '\b'; i += 2; break;
		case 'f': out[o++] = '\f'; i += 2; break;
		case 'n': out[o++] = '\n'; i += 2; break;
		case 'r': out[o++] = '\r'; i += 2; break;
		case 't': out[o++] = '\t'; i += 2; break;
		case 'u': {
			long v = i + 6 <= len ? hex4(s + i + 2) : -1;
			if (v < 0) {
				out[o++] = s[i++];
				break;
			}
			i += 6;
			if (v >= 0xd800 && v <= 0xdbff && i + 6 <= len && s[i] == '\\' &&
			    s[i + 1] == 'u') {
				long lo = hex4(s + i + 2);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					i += 6;
					o += put_utf8(out + o, 0x10000 + (((unsigned long)v - 0xd800) << 10) +
					                           ((unsigned long)lo - 0xdc00));
					break;
				}
			}
			if (v >= 0xd800 && v <= 0xdfff) {
				if (lossy)
					*lossy = true;
				v = 0xfffd;
			}
			o += put_utf8(out + o, (unsigned long)v);
			break;
		}
		default: /* '"', '\\', '/' */
			out[o++] = e;
			i += 2;
			break;
		}
	}
	out[o] = '\0';
	return o;
}

void json_position(const char *s, size_t len, size_t pos, long *line, long *col)
{
	long l = 1, c = 1;
	if (pos > len)
		pos = len;
	for (size_t i = 0; i < pos; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if (ch == '\r') {
			if (i + 1 < pos && s[i + 1] == '\n')
				continue;
			if (i + 1 == pos && i + 1 < len && s[i + 1] == '\n') {
				c++;
				continue;
			}
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}
