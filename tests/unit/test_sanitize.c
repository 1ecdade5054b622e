/* test_sanitize.c - the display sanitiser (tui/sanitize.c).
 *
 * Most tests run in the default "C" locale, where widths come from the
 * built-in table, so results are the same on every machine; the tests that
 * need wcwidth() switch to C.UTF-8 (skipped when it is missing).
 */
#include <criterion/criterion.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"

/* Render the cells of `s` as text, each placeholder in braces:
 * "a\x1b[1mb" -> "a{^[}b".  Returns the columns. */
static int render(const char *s, size_t len, int max_cols,
                  const struct san_opts *o, char *buf, size_t size)
{
	struct san_cell cells[256];
	int cols = -1;
	size_t consumed = 0;
	size_t n = sanitize_line_ex(s, len, max_cols, o, cells, 256, &cols,
	                            &consumed);
	size_t k = 0;
	int sum = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct san_cell *c = &cells[i];
		bool ph = c->flags & SAN_PLACEHOLDER;
		cr_assert_lt(k + c->len + 3, size);
		if (ph)
			buf[k++] = '{';
		memcpy(buf + k, c->bytes, c->len);
		k += c->len;
		if (ph)
			buf[k++] = '}';
		buf[k] = '\0';
		sum += c->width;
		cr_assert_eq(strlen(c->bytes), c->len);
	}
	cr_assert_eq(sum, cols, "widths add up to %d, cols says %d", sum, cols);
	return cols;
}

static void expect_cells(const char *s, size_t len, const char *want,
                         int want_cols)
{
	char buf[1024];
	int cols = render(s, len, -1, NULL, buf, sizeof buf);
	cr_expect_str_eq(buf, want, "input of %zu bytes", len);
	cr_expect_eq(cols, want_cols, "cols %d, want %d for '%s'", cols,
	             want_cols, want);
}

#define EXPECT(lit, want, cols) expect_cells(lit, sizeof(lit) - 1, want, cols)

Test(sanitize, ascii_passes_through)
{
	EXPECT("print('hi') # ok", "print('hi') # ok", 16);
	EXPECT("", "", 0);
}

Test(sanitize, every_c0_control_is_caret_notation)
{
	for (int b = 0; b < 0x20; b++) {
		if (b == '\t' || b == 0x1b)
			continue;
		char in[3] = { 'x', (char)b, 'y' };
		char want[8];
		snprintf(want, sizeof want, "x{^%c}y", b + 0x40);
		expect_cells(in, 3, want, 4);
	}
	EXPECT("\x7f", "{^?}", 2);
	/* NUL inside the text does not end it. */
	EXPECT("a\0b", "a{^@}b", 4);
	EXPECT("\a\b\r", "{^G}{^H}{^M}", 6);
}

Test(sanitize, placeholder_flags_and_spans)
{
	struct san_cell c[8];
	size_t n = sanitize_line("a\x1b[31mb\xff", 8, -1, c, 8);
	cr_assert_eq(n, 4);
	cr_expect_eq(c[0].flags, 0);
	cr_expect_eq(c[1].flags, SAN_PLACEHOLDER | SAN_ESCSEQ);
	cr_expect_eq(c[1].src_off, 1);
	cr_expect_eq(c[1].src_len, 5);
	cr_expect_eq(c[2].src_off, 6);
	cr_expect_eq(c[3].flags, SAN_PLACEHOLDER | SAN_INVALID);
	cr_expect_str_eq(c[3].bytes, "\xef\xbf\xbd");
	cr_expect_eq(c[3].width, 1);
}

Test(sanitize, escape_sequences_are_swallowed_whole)
{
	EXPECT("\x1b[31mred\x1b[0m", "{^[}red{^[}", 7);
	EXPECT("\x1b[?1049h", "{^[}", 2);                /* alt screen */
	/* OSC 52 clipboard write, BEL-terminated. */
	EXPECT("\x1b]52;c;SGVsbG8=\x07" "after", "{^[}after", 7);
	/* OSC 8 hyperlink with ST terminators. */
	EXPECT("\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", "{^[}click{^[}",
	       9);
	/* OSC with 8-bit ST (U+009C). */
	EXPECT("\x1b]0;title\xc2\x9cok", "{^[}ok", 4);
	/* DCS (sixel), SOS, PM, APC. */
	EXPECT("\x1bPq#0;2;0;0;0#0~~\x1b\\x", "{^[}x", 3);
	EXPECT("\x1bXsos\x1b\\\x1b^pm\x1b\\\x1b_apc\x1b\\", "{^[}{^[}{^[}", 6);
	/* nF (charset) and Fp/Fe/Fs two-byte sequences. */
	EXPECT("\x1b(0lqk\x1b(B", "{^[}lqk{^[}", 7);
	EXPECT("\x1b" "c\x1b" "7\x1b" "8", "{^[}{^[}{^[}", 6);
	/* ESC followed by a control: a lone ESC, then the control. */
	EXPECT("\x1b\x01", "{^[}{^A}", 4);
	/* 8-bit CSI and OSC introducers (UTF-8 encoded C1). */
	EXPECT("\xc2\x9b" "31mX", "{^[}X", 3);
	EXPECT("\xc2\x9d" "52;c;QQ==\x07Y", "{^[}Y", 3);
}

Test(sanitize, unterminated_sequences_run_to_the_end)
{
	EXPECT("a\x1b", "a{^[}", 3);
	EXPECT("a\x1b[", "a{^[}", 3);
	EXPECT("a\x1b[12;", "a{^[}", 3);
	EXPECT("a\x1b]0;title never ends", "a{^[}", 3);
	EXPECT("a\x1bP unterminated dcs \x1b", "a{^[}", 3);
	struct san_cell c[4];
	size_t n = sanitize_line("a\x1b]52;c;xx", 10, -1, c, 4);
	cr_assert_eq(n, 2);
	cr_expect_eq(c[1].src_len, 9);
	cr_expect(c[1].flags & SAN_ESCSEQ);
}

Test(sanitize, c1_controls)
{
	for (unsigned cp = 0x80; cp <= 0x9f; cp++) {
		if (cp == 0x90 || cp == 0x98 || cp == 0x9b || cp == 0x9d ||
		    cp == 0x9e || cp == 0x9f)
			continue;                    /* sequence introducers */
		char in[2] = { (char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)) };
		char want[16];
		snprintf(want, sizeof want, "{<U+%04X>}", cp);
		expect_cells(in, 2, want, 8);
	}
}

Test(sanitize, bidi_and_zero_width_characters)
{
	static const unsigned cps[] = {
		0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068,
		0x2069, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfeff,
		0x061c, 0x2028, 0x2029, 0xe0041
	};
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		unsigned cp = cps[i];
		char in[4];
		size_t k;
		if (cp < 0x800) {
			in[0] = (char)(0xc0 | (cp >> 6));
			in[1] = (char)(0x80 | (cp & 0x3f));
			k = 2;
		} else if (cp < 0x10000) {
			in[0] = (char)(0xe0 | (cp >> 12));
			in[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			in[2] = (char)(0x80 | (cp & 0x3f));
			k = 3;
		} else {
			in[0] = (char)(0xf0 | (cp >> 18));
			in[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			in[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			in[3] = (char)(0x80 | (cp & 0x3f));
			k = 4;
		}
		char want[24];
		int n = snprintf(want, sizeof want, "{<U+%04X>}", cp);
		expect_cells(in, k, want, n - 2);
		cr_expect(sanitize_is_unsafe_cp(cp), "U+%04X", cp);
	}
	/* The classic trojan-source line shows its override. */
	EXPECT("x = 1 \xe2\x80\xae# }\xe2\x81\xa6", "x = 1 {<U+202E>}# }{<U+2066>}",
	       25);
}

Test(sanitize, invalid_utf8_maximal_subparts)
{
	EXPECT("\xc0\xaf", "{\xef\xbf\xbd}{\xef\xbf\xbd}", 2);      /* overlong */
	EXPECT("\xe0\x80\xaf", "{\xef\xbf\xbd}{\xef\xbf\xbd}{\xef\xbf\xbd}", 3);
	EXPECT("\xed\xa0\x80", "{\xef\xbf\xbd}{\xef\xbf\xbd}{\xef\xbf\xbd}", 3); /* surrogate */
	EXPECT("\xf4\x90\x80\x80",
	       "{\xef\xbf\xbd}{\xef\xbf\xbd}{\xef\xbf\xbd}{\xef\xbf\xbd}", 4);
	EXPECT("\xff\xfe", "{\xef\xbf\xbd}{\xef\xbf\xbd}", 2);
	/* Truncated sequences: one replacement for the valid prefix. */
	EXPECT("\xe4\xb8", "{\xef\xbf\xbd}", 1);
	EXPECT("\xf0\x9f\x98", "{\xef\xbf\xbd}", 1);
	EXPECT("\xe4\xb8" "a", "{\xef\xbf\xbd}a", 2);
	EXPECT("a\x80" "b", "a{\xef\xbf\xbd}b", 3);
	/* A lone 0x9B byte is not a CSI (invalid UTF-8). */
	EXPECT("\x9b" "31m", "{\xef\xbf\xbd}31m", 4);
}

Test(sanitize, tabs_expand_to_stops)
{
	EXPECT("a\tb", "a   b", 5);
	EXPECT("\t", "    ", 4);
	EXPECT("abcd\tx", "abcd    x", 9);
	EXPECT("\xe4\xb8\xad\tx", "\xe4\xb8\xad  x", 5);     /* after a wide char */
	char buf[64];
	struct san_opts o = { .tab_width = 8 };
	cr_expect_eq(render("a\tb", 3, -1, &o, buf, sizeof buf), 9);
	cr_expect_str_eq(buf, "a       b");
	struct san_opts o2 = { .start_col = 2 };
	cr_expect_eq(render("\tb", 2, -1, &o2, buf, sizeof buf), 3);
	cr_expect_str_eq(buf, "  b");
	struct san_opts big = { .tab_width = 100 };
	cr_expect_eq(render("\t", 1, -1, &big, buf, sizeof buf), SAN_TAB_MAX);
	struct san_cell c;
	cr_assert_eq(sanitize_line("\t", 1, -1, &c, 1), 1);
	cr_expect_eq(c.flags, SAN_TAB);
}

Test(sanitize, wide_and_combining_builtin_table)
{
	EXPECT("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87", 4);  /* 中文 */
	EXPECT("\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!", 3);              /* 😀! */
	EXPECT("\xea\xb0\x80", "\xea\xb0\x80", 2);                        /* 가 */
	EXPECT("e\xcc\x81te\xcc\x81", "e\xcc\x81te\xcc\x81", 3);          /* été */
	struct san_cell c[4];
	size_t n = sanitize_line("e\xcc\x81x", 4, -1, c, 4);
	cr_assert_eq(n, 2);
	cr_expect_eq(c[0].len, 3);
	cr_expect_eq(c[0].width, 1);
	cr_expect_eq(c[0].src_len, 3);
	n = sanitize_line("\xe4\xb8\xad", 3, -1, c, 4);
	cr_assert_eq(n, 1);
	cr_expect_eq(c[0].flags, SAN_WIDE);
	/* A mark with nothing to sit on gets a space. */
	EXPECT("\xcc\x81" "a", " \xcc\x81" "a", 2);
	EXPECT("\x01\xcc\x81", "{^A} \xcc\x81", 3);
}

Test(sanitize, too_many_combining_marks_are_dropped)
{
	char in[1 + 2 * 40];
	in[0] = 'Z';
	for (int i = 0; i < 40; i++) {
		in[1 + 2 * i] = (char)0xcc;
		in[2 + 2 * i] = (char)0x81;
	}
	struct san_cell c[4];
	size_t n = sanitize_line(in, sizeof in, -1, c, 4);
	cr_assert_eq(n, 1);
	cr_expect_eq(c[0].width, 1);
	cr_expect_leq(c[0].len, SAN_CELL_BYTES);
	cr_expect(c[0].flags & SAN_DROPPED);
	cr_expect_eq(c[0].src_len, sizeof in);
}

Test(sanitize, max_cols_never_splits_a_cell)
{
	char buf[256];
	cr_expect_eq(render("ab\xe4\xb8\xad", 5, 3, NULL, buf, sizeof buf), 2);
	cr_expect_str_eq(buf, "ab");
	cr_expect_eq(render("ab\xe4\xb8\xad", 5, 4, NULL, buf, sizeof buf), 4);
	cr_expect_eq(render("a\x1b[1mb", 6, 2, NULL, buf, sizeof buf), 1);
	cr_expect_str_eq(buf, "a");
	cr_expect_eq(render("ab\tc", 4, 3, NULL, buf, sizeof buf), 2);
	cr_expect_eq(render("a\xe2\x80\xae", 4, 8, NULL, buf, sizeof buf), 1);
	cr_expect_eq(render("abc", 3, 0, NULL, buf, sizeof buf), 0);

	struct san_cell c[8];
	int cols;
	size_t consumed;
	size_t n = sanitize_line_ex("ab\xe4\xb8\xad" "cd", 7, 3, NULL, c, 8,
	                            &cols, &consumed);
	cr_expect_eq(n, 2);
	cr_expect_eq(cols, 2);
	cr_expect_eq(consumed, 2);
	/* Capacity limits too. */
	n = sanitize_line_ex("abcdef", 6, -1, NULL, c, 3, &cols, &consumed);
	cr_expect_eq(n, 3);
	cr_expect_eq(consumed, 3);
}

Test(sanitize, iterator_matches_line)
{
	const char *s = "x\x1b[1m\xe4\xb8\xad\t\xcc\x81\xff" "end";
	size_t len = strlen(s);
	struct san_cell line[32], c;
	size_t n = sanitize_line(s, len, -1, line, 32);
	struct san_iter it;
	san_iter_init(&it, s, len, NULL);
	size_t i = 0;
	while (san_next(&it, &c)) {
		cr_assert_lt(i, n);
		cr_expect_str_eq(c.bytes, line[i].bytes);
		cr_expect_eq(c.src_off, line[i].src_off);
		i++;
	}
	cr_expect_eq(i, n);
}

Test(sanitize, width)
{
	cr_expect_eq(sanitize_width("", 0), 0);
	cr_expect_eq(sanitize_width("abc", 3), 3);
	cr_expect_eq(sanitize_width("\xe4\xb8\xad" "a\t", 5), 4);
	cr_expect_eq(sanitize_width("\x1b[31m", 5), 2);
	cr_expect_eq(sanitize_width("\xe2\x80\xae", 3), 8);
}

Test(sanitize, fit_with_marker)
{
	char buf[64];
	cr_expect_eq(sanitize_fit("hello world", 11, 8, NULL, buf, sizeof buf), 8);
	cr_expect_str_eq(buf, "hello w\xe2\x80\xa6");
	cr_expect_eq(sanitize_fit("hello", 5, 5, NULL, buf, sizeof buf), 5);
	cr_expect_str_eq(buf, "hello");
	cr_expect_eq(sanitize_fit("hello!", 6, 5, "~", buf, sizeof buf), 5);
	cr_expect_str_eq(buf, "hell~");
	/* Wide characters are never split. */
	cr_expect_eq(sanitize_fit("\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", 9, 5,
	                          NULL, buf, sizeof buf), 5);
	cr_expect_str_eq(buf, "\xe4\xb8\xad\xe4\xb8\xad\xe2\x80\xa6");
	cr_expect_eq(sanitize_fit("\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", 9, 4,
	                          NULL, buf, sizeof buf), 3);
	cr_expect_str_eq(buf, "\xe4\xb8\xad\xe2\x80\xa6");
	/* Placeholders come out as text. */
	cr_expect_eq(sanitize_fit("a\x1b]52;c;x\x07" "b", 11, -1, NULL, buf,
	                          sizeof buf), 4);
	cr_expect_str_eq(buf, "a^[b");
	/* An unsafe marker is not used. */
	sanitize_fit("abcdef", 6, 3, "\x1b", buf, sizeof buf);
	cr_expect_str_eq(buf, "ab~");
	/* No room at all. */
	cr_expect_eq(sanitize_fit("abc", 3, 0, NULL, buf, sizeof buf), 0);
	cr_expect_str_eq(buf, "");
}

Test(sanitize, fit_respects_the_buffer)
{
	char buf[6];
	memset(buf, 'Z', sizeof buf);
	int cols = sanitize_fit("abcdefgh", 8, -1, NULL, buf, sizeof buf);
	cr_expect_str_eq(buf, "ab\xe2\x80\xa6");
	cr_expect_eq(cols, 3);
	cols = sanitize_fit("abcde", 5, -1, NULL, buf, sizeof buf);
	cr_expect_str_eq(buf, "abcde");
	cr_expect_eq(cols, 5);
	/* A wide char that does not fit in the bytes left is not split. */
	cols = sanitize_fit("ab\xe4\xb8\xad\xe4\xb8\xad", 8, -1, "~", buf,
	                    sizeof buf);
	cr_expect_str_eq(buf, "ab~");
}

Test(sanitize, plain_escapes)
{
	char buf[256];
	const char in[] = "a\x1b[31mb\x07\t\n\r\x7f\xe2\x80\xae\xc2\x85\xff\\n";
	size_t n = sanitize_escape_plain(in, sizeof in - 1, 0, 0, buf, sizeof buf);
	const char *want = "a\\e[31mb\\x07\\t\\n\\r\\x7f\\u202e\\u0085\\xff\\n";
	cr_expect_str_eq(buf, want);
	cr_expect_eq(n, strlen(want));
	sanitize_escape_plain("a\tb\nc", 5, 0,
	                      SAN_PLAIN_KEEP_TAB | SAN_PLAIN_KEEP_NL, buf,
	                      sizeof buf);
	cr_expect_str_eq(buf, "a\tb\nc");
	sanitize_escape_plain("\xf3\xa0\x81\x81", 4, 0, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "\\U000e0041");
	/* Printable UTF-8 stays; a mark without a base is escaped. */
	sanitize_escape_plain("\xc3\xa9t\xc3\xa9 \xe4\xb8\xad", 9, 0, 0, buf,
	                      sizeof buf);
	cr_expect_str_eq(buf, "\xc3\xa9t\xc3\xa9 \xe4\xb8\xad");
	sanitize_escape_plain("\xcc\x81" "e\xcc\x81", 5, 0, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "\\u0301e\xcc\x81");
	sanitize_escape_plain("\xc0\xaf", 2, 0, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "\\xc0\\xaf");
}

Test(sanitize, plain_max_cols_and_short_buffers)
{
	char buf[64];
	sanitize_escape_plain("abcdefghij", 10, 8, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "abcde...");
	sanitize_escape_plain("abcdefghij", 10, 10, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "abcdefghij");
	/* An escape is never cut in half. */
	sanitize_escape_plain("abcd\x1b[m", 7, 8, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "abcd\\e[m");              /* exactly 8 */
	sanitize_escape_plain("abcd\x1b[m", 7, 7, 0, buf, sizeof buf);
	cr_expect_str_eq(buf, "abcd...");
	sanitize_escape_plain("\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", 9, 5, 0,
	                      buf, sizeof buf);
	cr_expect_str_eq(buf, "\xe4\xb8\xad...");
	/* snprintf-like return; the prefix is whole units. */
	char small[6];
	size_t need = sanitize_escape_plain("ab\x1b\x1b", 4, 0, 0, small,
	                                    sizeof small);
	cr_expect_eq(need, 6);
	cr_expect_str_eq(small, "ab\\e");
	cr_expect_eq(sanitize_escape_plain("ab\x1b\x1b", 4, 0, 0, NULL, 0), 6);
}

Test(sanitize, plain_to_stream)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	static const char in[] = "x\x1b]52;c;QQ==\x07y";
	size_t n = sanitize_escape_plain_fp(f, in, sizeof in - 1, 0, 0);
	char buf[64] = { 0 };
	rewind(f);
	size_t got = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	cr_expect_eq(got, n);
	cr_expect_str_eq(buf, "x\\e]52;c;QQ==\\x07y");
}

/* Every output byte sequence is valid UTF-8 without C0, DEL, C1 or unsafe
 * code points. */
static void assert_safe(const char *s, size_t n, const char *what)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char b = u[i];
		cr_assert(b >= 0x20 && b != 0x7f, "%s: byte 0x%02x at %zu", what,
		          b, i);
		if (b < 0x80) {
			i++;
			continue;
		}
		size_t k = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
		cr_assert(b >= 0xc2 && b <= 0xf4 && i + k <= n, "%s: lead 0x%02x",
		          what, b);
		unsigned cp = b & (k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
		for (size_t j = 1; j < k; j++) {
			cr_assert_eq(u[i + j] & 0xc0, 0x80, "%s: continuation",
			             what);
			cp = (cp << 6) | (u[i + j] & 0x3f);
		}
		cr_assert(cp > 0x9f && !(cp >= 0xd800 && cp <= 0xdfff) &&
		          cp <= 0x10ffff && !sanitize_is_unsafe_cp(cp),
		          "%s: U+%04X", what, cp);
		i += k;
	}
}

static void check_all_forms(const char *s, size_t len)
{
	struct san_cell cells[64];
	size_t n = sanitize_line(s, len, -1, cells, 64);
	for (size_t i = 0; i < n; i++)
		assert_safe(cells[i].bytes, cells[i].len, "cell");
	char buf[256];
	sanitize_fit(s, len, 20, NULL, buf, sizeof buf);
	assert_safe(buf, strlen(buf), "fit");
	size_t k = sanitize_escape_plain(s, len, 0, 0, buf, sizeof buf);
	cr_assert_lt(k, sizeof buf);
	assert_safe(buf, k, "plain");
}

Test(sanitize, every_two_byte_input_is_safe)
{
	char in[2];
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b++) {
			in[0] = (char)a;
			in[1] = (char)b;
			check_all_forms(in, 2);
		}
	}
}

Test(sanitize, random_hostile_inputs_are_safe)
{
	static const unsigned char alphabet[] = {
		0x1b, '[', ']', 'P', '\\', 0x07, 0x9b, 0x9c, 0x9d, 0xc2, 0xe2,
		0x80, 0x81, 0xae, 0xa6, 0xef, 0xbb, 0xbf, 0xf0, 0x9f, 0x98, 0xcc,
		'a', '1', ';', '\t', '\n', '\r', 0x00, 0x7f, 0xed, 0xa0, 0xe4,
		0xb8, 0xad, 0xf3, 0xa0, 0x81, 0xff
	};
	unsigned long x = 12345;
	char in[16];
	for (int round = 0; round < 200000; round++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		size_t len = 1 + (x >> 60);
		for (size_t i = 0; i < len; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			in[i] = (char)alphabet[(x >> 33) % sizeof alphabet];
		}
		check_all_forms(in, len);
	}
}

Test(sanitize, ascii_option)
{
	char buf[64];
	struct san_opts o = { .ascii = true };
	cr_expect_eq(render("a\xc3\xa9\xe4\xb8\xad", 6, -1, &o, buf, sizeof buf), 3);
	cr_expect_str_eq(buf, "a{?}{?}");
}

/* With a UTF-8 locale, widths come from wcwidth() (as ncurses sees them). */
Test(sanitize, utf8_locale_uses_wcwidth)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
		cr_skip_test("no C.UTF-8 locale");
	EXPECT("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87", 4);
	EXPECT("e\xcc\x81", "e\xcc\x81", 1);
	EXPECT("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", wcwidth(0x1f600));
	cr_expect_eq(sanitize_cp_width(0x4e2d), 2);
	cr_expect_eq(sanitize_cp_width(0x202e), -1);
	/* A code point the C library calls unprintable is a placeholder. */
	if (wcwidth(0x0378) < 0)
		EXPECT("\xcd\xb8", "{<U+0378>}", 8);
	/* Safety is the same as in the C locale. */
	EXPECT("\x1b]52;c;QQ==\x07\xe2\x80\xae", "{^[}{<U+202E>}", 10);
}
