/* test_highlight.c - the Python/Markdown highlighter (tui/highlight.c).
 *
 * Each case gives a line and a class map of the same length, one letter per
 * byte: . text  k keyword  b builtin  s string  c comment  n number
 * d decorator  m magic  h heading  e emphasis  C md code  l link  q quote.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "highlight.h"
#include "testutil.h"

static char letter(enum hl_class c)
{
	switch (c) {
	case HL_KEYWORD:     return 'k';
	case HL_BUILTIN:     return 'b';
	case HL_STRING:      return 's';
	case HL_COMMENT:     return 'c';
	case HL_NUMBER:      return 'n';
	case HL_DECORATOR:   return 'd';
	case HL_MAGIC:       return 'm';
	case HL_MD_HEADING:  return 'h';
	case HL_MD_EMPHASIS: return 'e';
	case HL_MD_CODE:     return 'C';
	case HL_MD_LINK:     return 'l';
	case HL_MD_QUOTE:    return 'q';
	case HL_TEXT:
	case HL_CLASS_COUNT:
	default:             return '.';
	}
}

/* Highlight `line` with *state, return its map in buf. */
static const char *map_of(enum hl_lang lang, const char *line, hl_state *st,
                          char *buf)
{
	struct hl_span sp[64];
	size_t len = strlen(line);
	size_t n = highlight_line(lang, line, len, st, sp, 64);
	uint32_t prev_end = 0;
	for (size_t i = 0; i < n; i++) {
		cr_assert_gt(sp[i].len, 0);
		cr_assert_geq(sp[i].start, prev_end, "spans overlap or unsorted");
		cr_assert_leq(sp[i].start + sp[i].len, len);
		cr_assert_neq(sp[i].cls, HL_TEXT);
		prev_end = sp[i].start + sp[i].len;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = letter(highlight_class_at(sp, n, i));
	buf[len] = '\0';
	return buf;
}

static void check(enum hl_lang lang, const char *const *lines,
                  const char *const *maps, size_t n)
{
	hl_state st = HL_STATE_INIT;
	char buf[512];
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(strlen(lines[i]), strlen(maps[i]),
		             "bad test: map length for '%s'", lines[i]);
		map_of(lang, lines[i], &st, buf);
		cr_expect_str_eq(buf, maps[i], "line %zu: %s", i, lines[i]);
	}
}

#define CHECK(lang, lines, maps) \
	check(lang, lines, maps, sizeof(lines) / sizeof(lines[0]))

Test(highlight, python_keywords_builtins_comments)
{
	static const char *const l[] = {
		"def f(x): return len(x)  # hi",
		"if x is not None and y: pass",
		"x.print(list)",
		"import os, sys",
	};
	static const char *const m[] = {
		"kkk.......kkkkkk.bbb.....cccc",
		"kk...kk.kkk.kkkk.kkk....kkkk",
		"........bbbb.",
		"kkkkkk........",
	};
	CHECK(HL_LANG_PYTHON, l, m);
}

Test(highlight, python_strings_and_prefixes)
{
	static const char *const l[] = {
		"s = 'a' + \"b\\\"c\" + r'\\d' + f\"{x}\" + rb'x'",
		"u = 'it''s' # not a string: '#'",
		"'unterminated",
		"x = 1",
	};
	static const char *const m[] = {
		"....sss...ssssss...sssss...ssssss...sssss",
		"....sssssss.ccccccccccccccccccc",
		"sssssssssssss",
		"....n",
	};
	CHECK(HL_LANG_PYTHON, l, m);
}

Test(highlight, python_triple_quoted_strings_span_lines)
{
	static const char *const l[] = {
		"def f():",
		"    \"\"\"Doc with 'quotes' and # no comment",
		"    still in the docstring",
		"    ends here\"\"\" # comment",
		"x = '''one''' + 2",
		"y = '''",
		"'''",
		"z = 3",
	};
	static const char *const m[] = {
		"kkk.....",
		"....sssssssssssssssssssssssssssssssssssss",
		"ssssssssssssssssssssssssss",
		"ssssssssssssssss.ccccccccc",
		"....sssssssss...n",
		"....sss",
		"sss",
		"....n",
	};
	CHECK(HL_LANG_PYTHON, l, m);
}

Test(highlight, python_state_carries_over)
{
	hl_state st = HL_STATE_INIT;
	struct hl_span sp[8];
	highlight_line(HL_LANG_PYTHON, "a = \"\"\"x", 8, &st, sp, 8);
	cr_expect_neq(st, HL_STATE_INIT);
	hl_state mid = st;
	highlight_line(HL_LANG_PYTHON, "still", 5, &st, sp, 8);
	cr_expect_eq(st, mid);
	highlight_line(HL_LANG_PYTHON, "x\"\"\"", 4, &st, sp, 8);
	cr_expect_eq(st, HL_STATE_INIT);
	/* ''' inside """ does not close it. */
	st = HL_STATE_INIT;
	highlight_line(HL_LANG_PYTHON, "\"\"\"", 3, &st, sp, 8);
	highlight_line(HL_LANG_PYTHON, "'''", 3, &st, sp, 8);
	cr_expect_neq(st, HL_STATE_INIT);
	/* Backslash-continued single-quoted string. */
	static const char *const l[] = { "s = 'abc\\", "def' + 1" };
	static const char *const m[] = { "....sssss", "ssss...n" };
	CHECK(HL_LANG_PYTHON, l, m);
}

Test(highlight, python_numbers)
{
	static const char *const l[] = {
		"a = 0x1F + 1_000 + 1.5e-3 + .5 + 3j + 0b101 + 7",
		"x1 = y2.real",
	};
	static const char *const m[] = {
		"....nnnn...nnnnn...nnnnnn...nn...nn...nnnnn...n",
		"............",
	};
	CHECK(HL_LANG_PYTHON, l, m);
}

Test(highlight, python_decorators_and_magics)
{
	static const char *const l[] = {
		"@app.route(\"/x\")",
		"    @staticmethod",
		"a = b @ c",
		"%matplotlib inline",
		"!pip install numpy",
		"%%time",
	};
	static const char *const m[] = {
		"dddddddddd.ssss.",
		"....ddddddddddddd",
		".........",
		"mmmmmmmmmmmmmmmmmm",
		"mmmmmmmmmmmmmmmmmm",
		"mmmmmm",
	};
	CHECK(HL_LANG_PYTHON, l, m);
}

Test(highlight, python_trailing_newline_ignored)
{
	hl_state st = HL_STATE_INIT;
	struct hl_span sp[4];
	size_t n = highlight_line(HL_LANG_PYTHON, "# c\r\n", 5, &st, sp, 4);
	cr_assert_eq(n, 1);
	cr_expect_eq(sp[0].len, 3);
}

Test(highlight, markdown_headings_emphasis_code_links)
{
	static const char *const l[] = {
		"# Exercise 1",
		"###### six",
		"#hashtag is not a heading",
		"Some *em*, **strong** and `code` here.",
		"snake_case_name and _em_ but not a * b * c",
		"See [the docs](http://x.y/z) or <https://a.b>.",
		"> quoted",
		"``code with ` inside``",
	};
	static const char *const m[] = {
		"hhhhhhhhhhhh",
		"hhhhhhhhhh",
		".........................",
		".....eeee..eeeeeeeeee.....CCCCCC......",
		"....................eeee..................",
		"....llllllllllllllllllllllll....lllllllllllll.",
		"qqqqqqqq",
		"CCCCCCCCCCCCCCCCCCCCCC",
	};
	CHECK(HL_LANG_MARKDOWN, l, m);
}

Test(highlight, markdown_fenced_blocks)
{
	static const char *const l[] = {
		"Text",
		"```python",
		"# not a heading",
		"````",
		"plain text again",
		"~~~~",
		"```",
		"~~~~~",
		"# Heading again",
	};
	static const char *const m[] = {
		"....",
		"CCCCCCCCC",
		"CCCCCCCCCCCCCCC",
		"CCCC",
		"................",
		"CCCC",
		"CCC",
		"CCCCC",
		"hhhhhhhhhhhhhhh",
	};
	/* "````" closes the ``` fence (a longer run is allowed). */
	CHECK(HL_LANG_MARKDOWN, l, m);
}

Test(highlight, plain_has_no_spans)
{
	hl_state st = 77;
	struct hl_span sp[4];
	cr_expect_eq(highlight_line(HL_LANG_PLAIN, "def x", 5, &st, sp, 4), 0);
	cr_expect_eq(st, HL_STATE_INIT);
}

Test(highlight, capacity_is_respected)
{
	hl_state st = HL_STATE_INIT;
	struct hl_span sp[3];
	memset(sp, 0, sizeof sp);
	const char *line = "if if if if if if if if '''";
	size_t n = highlight_line(HL_LANG_PYTHON, line, strlen(line), &st,
	                          sp, 2);
	cr_expect_eq(n, 2);
	cr_expect_eq(sp[2].len, 0);
	/* The state is still computed over the whole line. */
	cr_expect_neq(st, HL_STATE_INIT);
}

Test(highlight, arbitrary_bytes_never_crash)
{
	unsigned long x = 99;
	char line[64];
	for (int r = 0; r < 50000; r++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		size_t len = (x >> 58) & 63;
		for (size_t i = 0; i < len; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			static const char al[] = "'\"#`*_[]()<>@%!\\ \tax1.e~";
			line[i] = (x >> 40) & 1 ? al[(x >> 33) % (sizeof al - 1)]
			                        : (char)(x >> 45);
		}
		hl_state st = (hl_state)(x >> 20);
		struct hl_span sp[16];
		for (int lang = HL_LANG_PYTHON; lang <= HL_LANG_MARKDOWN; lang++) {
			hl_state s2 = st;
			size_t n = highlight_line((enum hl_lang)lang, line, len,
			                          &s2, sp, 16);
			for (size_t i = 0; i < n; i++)
				cr_assert_leq(sp[i].start + sp[i].len, len);
		}
	}
}

Test(highlight, names_and_languages)
{
	cr_expect_str_eq(highlight_class_name(HL_KEYWORD), "keyword");
	cr_expect_str_eq(highlight_class_name(HL_MD_HEADING), "md-heading");
	cr_expect_str_eq(highlight_class_name(HL_CLASS_COUNT), "?");
	cr_expect_eq(highlight_lang_for("code"), HL_LANG_PYTHON);
	cr_expect_eq(highlight_lang_for("markdown"), HL_LANG_MARKDOWN);
	cr_expect_eq(highlight_lang_for("raw"), HL_LANG_PLAIN);
	cr_expect_eq(highlight_lang_for(NULL), HL_LANG_PLAIN);
}

/* Hostile long lines stay linear: unmatched delimiters do not make each
 * opener scan the rest of the line.  No wall-clock bound (speed lives in
 * `make bench`): the CPU time for a line four times longer must grow about
 * four times, not sixteen, which holds on a loaded machine and under ASan. */
static double hostile_cpu_seconds(char *line, size_t len)
{
	static const char *const units[] = { "*a ", "[", "`` `", "_a ", "<a",
	                                     "'\\'", "\"\"\"'" };
	double t0 = tu_cpu_seconds();
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		size_t k = strlen(units[u]);
		for (size_t i = 0; i < len; i++)
			line[i] = units[u][i % k];
		struct hl_span sp[128];
		for (int lang = HL_LANG_PYTHON; lang <= HL_LANG_MARKDOWN; lang++) {
			hl_state st = HL_STATE_INIT;
			highlight_line((enum hl_lang)lang, line, len, &st, sp, 128);
		}
	}
	return tu_cpu_seconds() - t0;
}

Test(highlight, long_hostile_lines_are_linear)
{
	size_t len = 1 << 21;
	char *line = malloc(len);
	cr_assert_not_null(line);
	double small = hostile_cpu_seconds(line, len / 4);
	double big = hostile_cpu_seconds(line, len);
	cr_expect_lt(big, 8.0 * small + 0.05,
	             "4x longer lines cost %.1fx the CPU (%.3f s vs %.3f s): not linear",
	             big / small, big, small);
	free(line);
}
