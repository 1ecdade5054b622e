/* sanitize.c - turn untrusted notebook text into safe display cells.
 *
 * See sanitize.h for the placeholder table.  The decoder is our own (strict
 * UTF-8, Unicode's "maximal subpart" replacement), so what is safe never
 * depends on the locale; only widths of printable characters do.
 */
#include "sanitize.h"

#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#define CP_INVALID 0xffffffffu

/* ---- UTF-8 ---- */

/* Decode one code point from s[0..n) (n >= 1).  Returns the bytes used; on
 * invalid input *cp = CP_INVALID and the count covers the maximal subpart
 * (the lead byte plus the continuation bytes that were still acceptable),
 * at least 1. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t need;
	uint32_t v;
	unsigned char lo = 0x80, hi = 0xbf;  /* range of the 2nd byte */
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;          /* overlong */
		else if (c == 0xed)
			hi = 0x9f;          /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;          /* overlong */
		else if (c == 0xf4)
			hi = 0x8f;          /* > U+10FFFF */
	} else {
		*cp = CP_INVALID;       /* 80..C1, F5..FF */
		return 1;
	}
	size_t i;
	for (i = 1; i <= need; i++) {
		if (i >= n) {
			*cp = CP_INVALID;
			return i;
		}
		unsigned char b = s[i];
		unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xbf;
		if (b < l || b > h) {
			*cp = CP_INVALID;
			return i;
		}
		v = (v << 6) | (b & 0x3f);
	}
	*cp = v;
	return i;
}

/* ---- classification ---- */

bool sanitize_is_unsafe_cp(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return true;                         /* C0, DEL */
	if (cp < 0x80)
		return false;
	if (cp <= 0x9f)
		return true;                         /* C1 */
	switch (cp) {
	case 0x061c:                                 /* Arabic letter mark */
	case 0x180e:                                 /* Mongolian vowel sep. */
	case 0xfeff:                                 /* BOM / ZWNBSP */
		return true;
	default:
		break;
	}
	return (cp >= 0x200b && cp <= 0x200f) ||     /* ZW space..RLM */
	       (cp >= 0x2028 && cp <= 0x202e) ||     /* LS, PS, bidi embed */
	       (cp >= 0x2060 && cp <= 0x206f) ||     /* WJ, invisible ops,
	                                                bidi isolates */
	       (cp >= 0xfff9 && cp <= 0xfffb) ||     /* interlinear annot. */
	       (cp >= 0xe0000 && cp <= 0xe007f);     /* tag characters */
}

struct range {
	uint32_t lo, hi;
};

static bool in_table(uint32_t cp, const struct range *t, size_t n)
{
	size_t a = 0, b = n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (cp < t[m].lo)
			b = m;
		else if (cp > t[m].hi)
			a = m + 1;
		else
			return true;
	}
	return false;
}

/* Built-in widths for non-UTF-8 locales: the common combining ranges and
 * the East Asian Wide/Fullwidth and emoji blocks (after Markus Kuhn's
 * wcwidth, extended for emoji).  Approximate by design; with a UTF-8 locale
 * wcwidth() is used so that we agree with ncurses. */
static const struct range zero_width[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x05bf, 0x05bf},
	{0x05c1, 0x05c2}, {0x05c4, 0x05c5}, {0x05c7, 0x05c7}, {0x0610, 0x061a},
	{0x064b, 0x065f}, {0x0670, 0x0670}, {0x06d6, 0x06dc}, {0x06df, 0x06e4},
	{0x06e7, 0x06e8}, {0x06ea, 0x06ed}, {0x0711, 0x0711}, {0x0730, 0x074a},
	{0x0900, 0x0902}, {0x093a, 0x093a}, {0x093c, 0x093c}, {0x0941, 0x0948},
	{0x094d, 0x094d}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0e31, 0x0e31},
	{0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1160, 0x11ff}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x20d0, 0x20f0}, {0x302a, 0x302d}, {0x3099, 0x309a},
	{0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0x1f3fb, 0x1f3ff},
	{0xe0100, 0xe01ef},
};

static const struct range double_width[] = {
	{0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a}, {0x23e9, 0x23ec},
	{0x23f0, 0x23f0}, {0x23f3, 0x23f3}, {0x25fd, 0x25fe}, {0x2614, 0x2615},
	{0x2648, 0x2653}, {0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
	{0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5}, {0x26ce, 0x26ce},
	{0x26d4, 0x26d4}, {0x26ea, 0x26ea}, {0x26f2, 0x26f3}, {0x26f5, 0x26f5},
	{0x26fa, 0x26fa}, {0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b},
	{0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e}, {0x2753, 0x2755},
	{0x2757, 0x2757}, {0x2795, 0x2797}, {0x27b0, 0x27b0}, {0x27bf, 0x27bf},
	{0x2b1b, 0x2b1c}, {0x2b50, 0x2b50}, {0x2b55, 0x2b55}, {0x2e80, 0x303e},
	{0x3041, 0x3096}, {0x309b, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0xa4cf},
	{0xa960, 0xa97f}, {0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19},
	{0xfe30, 0xfe6f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x16fe0, 0x16fe4},
	{0x17000, 0x18aff}, {0x1b000, 0x1b2ff}, {0x1f004, 0x1f004},
	{0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a},
	{0x1f200, 0x1f202}, {0x1f210, 0x1f23b}, {0x1f240, 0x1f248},
	{0x1f250, 0x1f251}, {0x1f260, 0x1f265}, {0x1f300, 0x1f320},
	{0x1f32d, 0x1f335}, {0x1f337, 0x1f37c}, {0x1f37e, 0x1f393},
	{0x1f3a0, 0x1f3ca}, {0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0},
	{0x1f3f4, 0x1f3f4}, {0x1f3f8, 0x1f3fa}, {0x1f400, 0x1f43e},
	{0x1f440, 0x1f440}, {0x1f442, 0x1f4fc}, {0x1f4ff, 0x1f53d},
	{0x1f54b, 0x1f54e}, {0x1f550, 0x1f567}, {0x1f57a, 0x1f57a},
	{0x1f595, 0x1f596}, {0x1f5a4, 0x1f5a4}, {0x1f5fb, 0x1f64f},
	{0x1f680, 0x1f6c5}, {0x1f6cc, 0x1f6cc}, {0x1f6d0, 0x1f6d2},
	{0x1f6d5, 0x1f6d7}, {0x1f6eb, 0x1f6ec}, {0x1f6f4, 0x1f6fc},
	{0x1f7e0, 0x1f7eb}, {0x1f90c, 0x1f93a}, {0x1f93c, 0x1f945},
	{0x1f947, 0x1f9ff}, {0x1fa70, 0x1faff}, {0x20000, 0x2fffd},
	{0x30000, 0x3fffd},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int table_width(uint32_t cp)
{
	if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		return -1;                           /* noncharacters */
	if (in_table(cp, zero_width, COUNT(zero_width)))
		return 0;
	if (in_table(cp, double_width, COUNT(double_width)))
		return 2;
	return 1;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Width of a safe (not sanitize_is_unsafe_cp) code point. */
static int cp_width(uint32_t cp, bool wc)
{
	if (cp < 0x7f)
		return 1;
	if (wc) {
		int w = wcwidth((wchar_t)cp);
		return w > 2 ? -1 : w;
	}
	return table_width(cp);
}

int sanitize_cp_width(uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    sanitize_is_unsafe_cp(cp))
		return -1;
	return cp_width(cp, locale_is_utf8());
}

/* ---- escape sequences ---- */

/* Length of the escape sequence starting at s[0] (ESC, or the UTF-8 of an
 * 8-bit introducer when `c1` is its code point), swallowing it whole; an
 * unterminated one runs to the end.  `intro` is the bytes of the
 * introducer.  Returns 0 when s[0] is an ESC that starts no sequence. */
static size_t escseq_len(const unsigned char *s, size_t n, size_t intro,
                         unsigned char kind)
{
	size_t i = intro;
	if (kind == '[') {
		/* CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, final
		 * 0x40-0x7E.  Anything else ends it (not included): it is
		 * shown on its own. */
		while (i < n && s[i] >= 0x20 && s[i] <= 0x3f)
			i++;
		if (i < n && s[i] >= 0x40 && s[i] <= 0x7e)
			i++;
		return i;
	}
	if (kind == ']' || kind == 'P' || kind == 'X' || kind == '^' ||
	    kind == '_') {
		/* Control strings (OSC, DCS, SOS, PM, APC) run to BEL, ST
		 * (ESC \), or 8-bit ST (U+009C, C2 9C in UTF-8). */
		while (i < n) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
			if (s[i] == 0xc2 && i + 1 < n && s[i + 1] == 0x9c)
				return i + 2;
			i++;
		}
		return n;
	}
	return i;
}

/* At s[0] == ESC: length of what to swallow (>= 1). */
static size_t esc_len(const unsigned char *s, size_t n)
{
	if (n < 2)
		return 1;
	unsigned char k = s[1];
	if (k == '[' || k == ']' || k == 'P' || k == 'X' || k == '^' ||
	    k == '_')
		return escseq_len(s, n, 2, k);
	if (k >= 0x20 && k <= 0x2f) {
		/* nF: intermediates then one final 0x30-0x7E */
		size_t i = 2;
		while (i < n && s[i] >= 0x20 && s[i] <= 0x2f)
			i++;
		if (i < n && s[i] >= 0x30 && s[i] <= 0x7e)
			i++;
		return i;
	}
	if (k >= 0x30 && k <= 0x7e)
		return 2;                            /* Fp, Fe, Fs: ESC 7, ESC c */
	return 1;                                    /* lone ESC */
}

/* The 8-bit (C1) introducers that start a sequence. */
static unsigned char c1_kind(uint32_t cp)
{
	switch (cp) {
	case 0x9b: return '[';
	case 0x9d: return ']';
	case 0x90: return 'P';
	case 0x98: return 'X';
	case 0x9e: return '^';
	case 0x9f: return '_';
	default: return 0;
	}
}

/* ---- cells ---- */

static const char hexd[] = "0123456789ABCDEF";

/* "<U+XXXX>" (4 to 6 digits) into out; returns its length. */
static size_t fmt_ucode(char *out, uint32_t cp)
{
	char digits[8];
	size_t nd = 0;
	do {
		digits[nd++] = hexd[cp & 0xf];
		cp >>= 4;
	} while (cp && nd < 6);
	while (nd < 4)
		digits[nd++] = '0';
	size_t k = 0;
	out[k++] = '<';
	out[k++] = 'U';
	out[k++] = '+';
	while (nd)
		out[k++] = digits[--nd];
	out[k++] = '>';
	return k;
}

static void cell_set(struct san_cell *c, const char *txt, size_t len,
                     int width, unsigned flags, size_t off, size_t src_len)
{
	memcpy(c->bytes, txt, len);
	c->bytes[len] = '\0';
	c->len = (uint8_t)len;
	c->width = (uint8_t)width;
	c->flags = (uint8_t)flags;
	c->src_off = (uint32_t)off;
	c->src_len = (uint32_t)src_len;
}

static void cell_placeholder_cp(struct san_cell *c, uint32_t cp, size_t off,
                                size_t src_len)
{
	char tmp[16];
	size_t k;
	if (cp < 0x20 || cp == 0x7f) {
		tmp[0] = '^';
		tmp[1] = cp == 0x7f ? '?' : (char)(cp + 0x40);
		k = 2;
	} else {
		k = fmt_ucode(tmp, cp);
	}
	cell_set(c, tmp, k, (int)k, SAN_PLACEHOLDER, off, src_len);
}

void san_iter_init(struct san_iter *it, const char *s, size_t len,
                   const struct san_opts *opts)
{
	it->s = s;
	it->len = len;
	it->pos = 0;
	it->col = opts && opts->start_col > 0 ? opts->start_col : 0;
	int tw = opts ? opts->tab_width : 0;
	if (tw <= 0)
		tw = SAN_TAB_DEFAULT;
	if (tw > SAN_TAB_MAX)
		tw = SAN_TAB_MAX;
	it->tab_width = tw;
	it->ascii = opts && opts->ascii;
	it->wc = !it->ascii && locale_is_utf8();
}

/* Append the combining marks that follow a printable base at it->pos. */
static void take_marks(struct san_iter *it, struct san_cell *c)
{
	const unsigned char *u = (const unsigned char *)it->s;
	while (it->pos < it->len && u[it->pos] >= 0x80) {
		uint32_t cp;
		size_t k = utf8_next(u + it->pos, it->len - it->pos, &cp);
		if (cp == CP_INVALID || sanitize_is_unsafe_cp(cp) ||
		    cp_width(cp, it->wc) != 0)
			break;
		if (c->len + k <= SAN_CELL_BYTES) {
			memcpy(c->bytes + c->len, u + it->pos, k);
			c->len = (uint8_t)(c->len + k);
			c->bytes[c->len] = '\0';
		} else {
			c->flags |= SAN_DROPPED;
		}
		it->pos += k;
		c->src_len += (uint32_t)k;
	}
}

bool san_next(struct san_iter *it, struct san_cell *c)
{
	if (it->pos >= it->len)
		return false;
	const unsigned char *u = (const unsigned char *)it->s;
	size_t off = it->pos;
	unsigned char b = u[off];

	if (b >= 0x20 && b < 0x7f) {                 /* fast path: ASCII */
		c->bytes[0] = (char)b;
		c->bytes[1] = '\0';
		c->len = 1;
		c->width = 1;
		c->flags = 0;
		c->src_off = (uint32_t)off;
		c->src_len = 1;
		it->pos++;
		if (it->pos < it->len && u[it->pos] >= 0x80 && !it->ascii)
			take_marks(it, c);
		it->col += 1;
		return true;
	}
	if (b == '\t') {
		int w = it->tab_width - it->col % it->tab_width;
		cell_set(c, "        ", (size_t)w, w, SAN_TAB, off, 1);
		it->pos++;
		it->col += w;
		return true;
	}
	if (b == 0x1b) {
		size_t k = esc_len(u + off, it->len - off);
		cell_set(c, "^[", 2, 2,
		         SAN_PLACEHOLDER | (k > 1 ? SAN_ESCSEQ : 0), off, k);
		it->pos += k;
		it->col += 2;
		return true;
	}
	if (b < 0x80) {                              /* other C0, DEL */
		cell_placeholder_cp(c, b, off, 1);
		it->pos++;
		it->col += c->width;
		return true;
	}

	uint32_t cp;
	size_t k = utf8_next(u + off, it->len - off, &cp);
	if (cp == CP_INVALID) {
		cell_set(c, "\xef\xbf\xbd", 3, 1, SAN_PLACEHOLDER | SAN_INVALID,
		         off, k);
		it->pos += k;
		it->col += 1;
		return true;
	}
	unsigned char kind = c1_kind(cp);
	if (kind) {
		size_t n = escseq_len(u + off, it->len - off, k, kind);
		cell_set(c, "^[", 2, 2, SAN_PLACEHOLDER | SAN_ESCSEQ, off, n);
		it->pos += n;
		it->col += 2;
		return true;
	}
	if (sanitize_is_unsafe_cp(cp)) {
		cell_placeholder_cp(c, cp, off, k);
		it->pos += k;
		it->col += c->width;
		return true;
	}
	if (it->ascii) {
		cell_set(c, "?", 1, 1, SAN_PLACEHOLDER, off, k);
		it->pos += k;
		it->col += 1;
		return true;
	}
	int w = cp_width(cp, it->wc);
	if (w < 0) {
		cell_placeholder_cp(c, cp, off, k);
		it->pos += k;
		it->col += c->width;
		return true;
	}
	if (w == 0) {
		/* A mark with no base: give it a space to sit on. */
		c->bytes[0] = ' ';
		memcpy(c->bytes + 1, u + off, k);
		c->bytes[k + 1] = '\0';
		c->len = (uint8_t)(k + 1);
		c->width = 1;
		c->flags = 0;
		c->src_off = (uint32_t)off;
		c->src_len = (uint32_t)k;
		it->pos += k;
		take_marks(it, c);
		it->col += 1;
		return true;
	}
	cell_set(c, (const char *)u + off, k, w, w == 2 ? SAN_WIDE : 0, off, k);
	it->pos += k;
	take_marks(it, c);
	it->col += w;
	return true;
}

size_t sanitize_line_ex(const char *s, size_t len, int max_cols,
                        const struct san_opts *opts, struct san_cell *out,
                        size_t cap, int *cols_out, size_t *consumed)
{
	const unsigned char *u = (const unsigned char *)s;
	struct san_iter it;
	san_iter_init(&it, s, len, opts);
	int start = it.col;
	/* Columns still free; INT_MAX-ish when unlimited. */
	long room = max_cols < 0 ? (long)1 << 40 : max_cols;
	size_t n = 0;
	while (n < cap) {
		size_t p = it.pos;
		/* Fast path: printable ASCII not followed by a combining
		 * mark (most of any notebook), in registers. */
		if (p < len && u[p] >= 0x20 && u[p] < 0x7f &&
		    (p + 1 >= len || u[p + 1] < 0x80)) {
			if (room < 1)
				break;
			struct san_cell *c = &out[n++];
			c->bytes[0] = (char)u[p];
			c->bytes[1] = '\0';
			c->len = 1;
			c->width = 1;
			c->flags = 0;
			c->src_off = (uint32_t)p;
			c->src_len = 1;
			it.pos = p + 1;
			it.col++;
			room--;
			continue;
		}
		int col = it.col;
		if (!san_next(&it, &out[n]))
			break;
		if (it.col - col > room) {
			it.pos = p;
			it.col = col;
			break;
		}
		room -= it.col - col;
		n++;
	}
	if (cols_out)
		*cols_out = it.col - start;
	if (consumed)
		*consumed = it.pos;
	return n;
}

size_t sanitize_line(const char *s, size_t len, int max_cols,
                     struct san_cell *out, size_t cap)
{
	return sanitize_line_ex(s, len, max_cols, NULL, out, cap, NULL, NULL);
}

int sanitize_width(const char *s, size_t len)
{
	struct san_iter it;
	struct san_cell c;
	san_iter_init(&it, s, len, NULL);
	while (san_next(&it, &c))
		;
	return it.col;
}

/* True when the cells from `it` on take at most `cols` columns and `bytes`
 * bytes.  Consumes a copy of the iterator. */
static bool rest_fits(struct san_iter it, int cols, size_t bytes)
{
	struct san_cell c;
	int start = it.col;
	size_t b = 0;
	while (san_next(&it, &c)) {
		b += c.len;
		if (it.col - start > cols || b > bytes)
			return false;
	}
	return true;
}

int sanitize_fit(const char *s, size_t len, int max_cols, const char *marker,
                 char *buf, size_t size)
{
	if (!size)
		return 0;
	buf[0] = '\0';
	if (max_cols == 0)
		return 0;
	if (!marker)
		marker = "\xe2\x80\xa6";             /* … */
	size_t mlen = strlen(marker);
	int mw = sanitize_width(marker, mlen);
	/* A marker that is not itself plain and safe is not used as is. */
	if (mw != (int)mlen && !(mlen == 3 && mw == 1 &&
	                         memcmp(marker, "\xe2\x80\xa6", 3) == 0)) {
		marker = "~";
		mlen = 1;
		mw = 1;
	}
	size_t room = size - 1;
	if (max_cols > 0 && mw > max_cols) {     /* no room for a marker */
		mw = 0;
		mlen = 0;
	}
	if (mlen > room) {
		mw = 0;
		mlen = 0;
	}

	struct san_iter it;
	struct san_cell c;
	san_iter_init(&it, s, len, NULL);
	size_t n = 0;
	for (;;) {
		struct san_iter save = it;
		if (!san_next(&it, &c))
			break;
		bool col_ok = max_cols < 0 || it.col <= max_cols - mw;
		bool byte_ok = n + c.len <= room - mlen;
		if (!col_ok || !byte_ok) {
			/* Does everything left fit without a marker? */
			int left_cols = max_cols < 0 ? 1 << 30 : max_cols - save.col;
			if (rest_fits(save, left_cols, room - n)) {
				it = save;
				while (san_next(&it, &c)) {
					memcpy(buf + n, c.bytes, c.len);
					n += c.len;
				}
				buf[n] = '\0';
				return it.col;
			}
			memcpy(buf + n, marker, mlen);
			n += mlen;
			buf[n] = '\0';
			return save.col + mw;
		}
		memcpy(buf + n, c.bytes, c.len);
		n += c.len;
	}
	buf[n] = '\0';
	return it.col;
}

/* ---- plain escaping ---- */

struct out {
	char *buf;
	size_t size, n;       /* n: bytes the full result has so far */
	bool full;            /* stopped writing into buf (kept whole units) */
	FILE *fp;
};

static void out_put(struct out *o, const char *s, size_t k)
{
	if (o->fp) {
		fwrite(s, 1, k, o->fp);
	} else if (o->buf && !o->full) {
		if (o->n + k < o->size) {
			memcpy(o->buf + o->n, s, k);
			o->buf[o->n + k] = '\0';
		} else {
			o->full = true;
		}
	}
	o->n += k;
}

static size_t put_hex(char *tmp, size_t k, unsigned x)
{
	tmp[k++] = '\\';
	tmp[k++] = 'x';
	tmp[k++] = "0123456789abcdef"[(x >> 4) & 0xf];
	tmp[k++] = "0123456789abcdef"[x & 0xf];
	return k;
}

/* One unit of plain output at s[*pos]: its text into tmp (>= 40 bytes),
 * its width into *width.  *base says whether a printable base character
 * precedes (a combining mark may then stay as is); it is updated. */
static size_t plain_unit(const unsigned char *s, size_t len, size_t *pos,
                         unsigned flags, bool wc, bool *base, char *tmp,
                         int *width)
{
	unsigned char b = s[*pos];
	size_t k = 0;
	if (b >= 0x20 && b < 0x7f) {
		tmp[0] = (char)b;
		(*pos)++;
		*width = 1;
		*base = true;
		return 1;
	}
	if (b < 0x80) {
		(*pos)++;
		*base = false;
		if ((b == '\t' && (flags & SAN_PLAIN_KEEP_TAB)) ||
		    (b == '\n' && (flags & SAN_PLAIN_KEEP_NL))) {
			/* Width is not meaningful here; callers keeping
			 * TAB/LF do not rely on column limits. */
			tmp[0] = (char)b;
			*width = b == '\t' ? 1 : 0;
			return 1;
		}
		tmp[k++] = '\\';
		switch (b) {
		case 0x1b: tmp[k++] = 'e'; break;
		case '\t': tmp[k++] = 't'; break;
		case '\n': tmp[k++] = 'n'; break;
		case '\r': tmp[k++] = 'r'; break;
		default: k = put_hex(tmp, 0, b); break;
		}
		*width = (int)k;
		return k;
	}
	uint32_t cp;
	size_t n = utf8_next(s + *pos, len - *pos, &cp);
	if (cp == CP_INVALID) {
		for (size_t i = 0; i < n; i++)
			k = put_hex(tmp, k, s[*pos + i]);
		*pos += n;
		*width = (int)k;
		*base = false;
		return k;
	}
	int w = sanitize_is_unsafe_cp(cp) ? -1 : cp_width(cp, wc);
	if (w < 0 || (w == 0 && !*base)) {
		tmp[k++] = '\\';
		if (cp > 0xffff) {
			tmp[k++] = 'U';
			for (int sh = 28; sh >= 0; sh -= 4)
				tmp[k++] = "0123456789abcdef"[(cp >> sh) & 0xf];
		} else {
			tmp[k++] = 'u';
			for (int sh = 12; sh >= 0; sh -= 4)
				tmp[k++] = "0123456789abcdef"[(cp >> sh) & 0xf];
		}
		*pos += n;
		*width = (int)k;
		*base = false;
		return k;
	}
	memcpy(tmp, s + *pos, n);
	*pos += n;
	*width = w;
	*base = true;
	return n;
}

static void escape_plain(struct out *o, const char *s, size_t len,
                         int max_cols, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	bool wc = locale_is_utf8();
	bool base = false;
	bool checking = max_cols > 0;
	int col = 0;
	size_t pos = 0;
	char tmp[48];
	while (pos < len) {
		size_t at = pos;
		bool base_at = base;
		int w;
		size_t k = plain_unit(u, len, &pos, flags, wc, &base, tmp, &w);
		if (checking && col + w > max_cols - 3) {
			/* Near the limit: does all the rest fit? */
			size_t p = at;
			bool b2 = base_at;
			int c2 = col;
			char t2[48];
			while (p < len && c2 <= max_cols) {
				int w2;
				plain_unit(u, len, &p, flags, wc, &b2, t2, &w2);
				c2 += w2;
			}
			if (p >= len && c2 <= max_cols) {
				checking = false;    /* it does: no marker */
			} else {
				out_put(o, "...", max_cols >= 3 ? 3 :
				        (size_t)max_cols);
				return;
			}
		}
		out_put(o, tmp, k);
		col += w;
	}
}

size_t sanitize_escape_plain(const char *s, size_t len, int max_cols,
                             unsigned flags, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false, NULL };
	if (buf && size)
		buf[0] = '\0';
	escape_plain(&o, s, len, max_cols, flags);
	return o.n;
}

size_t sanitize_escape_plain_fp(FILE *out, const char *s, size_t len,
                                int max_cols, unsigned flags)
{
	struct out o = { NULL, 0, 0, false, out };
	escape_plain(&o, s, len, max_cols, flags);
	return o.n;
}
