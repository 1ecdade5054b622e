/* test_theme.c - themes: element table, YAML parsing, finding, colour maths
 * (tui/theme.c, no curses) and applying (tui/theme_curses.c, headless
 * newterm). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ftw.h>

#include <curses.h>

#include "status.h"
#include "theme.h"
#include "theme_curses.h"

static enum ct_status parse_str(const char *yaml, struct theme *t,
                                struct ct_error *err)
{
	ct_error_clear(err);
	return theme_parse(yaml, strlen(yaml), "t.yaml", t, err);
}

static bool style_eq(const struct theme_style *a, const struct theme_style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

static void expect_same_styles(const struct theme *a, const struct theme *b)
{
	for (int e = 0; e < THEME_ELEMENT_COUNT; e++)
		cr_expect(style_eq(&a->style[e], &b->style[e]), "element %s differs",
		          theme_element_name(e));
}

static void expect_is_default(const struct theme *t)
{
	struct theme d;
	theme_init_default(&d);
	cr_expect_str_eq(t->name, "default");
	expect_same_styles(t, &d);
}

/* ---- element table ---- */

Test(theme_elements, names_are_unique_and_round_trip)
{
	for (int e = 0; e < THEME_ELEMENT_COUNT; e++) {
		const char *n = theme_element_name(e);
		cr_assert_not_null(n);
		cr_expect_eq(theme_element_by_name(n, strlen(n)), e, "%s", n);
		cr_expect_not_null(theme_element_description(e));
		for (const char *p = n; *p; p++)
			cr_expect((*p >= 'a' && *p <= 'z') || *p == '.' ||
			          *p == '-', "odd character in '%s'", n);
	}
	cr_expect_eq(theme_element_by_name("list.cursr", 10), -1);
	cr_expect_eq(theme_element_by_name("list.cursor", 4), -1);
	cr_expect_null(theme_element_name(THEME_ELEMENT_COUNT));
}

Test(theme_elements, every_highlight_class_has_its_own_element)
{
	bool seen[THEME_ELEMENT_COUNT] = { false };
	cr_expect_eq(theme_element_for_hl(HL_TEXT), THEME_PREVIEW_TEXT);
	for (int c = 1; c < HL_CLASS_COUNT; c++) {
		enum theme_element e = theme_element_for_hl(c);
		cr_expect_neq(e, THEME_PREVIEW_TEXT, "class %s",
		              highlight_class_name(c));
		cr_expect(!seen[e], "class %s shares an element",
		          highlight_class_name(c));
		seen[e] = true;
	}
}

/* Attributes only (no colour): states that share a screen area must not
 * look the same. */
Test(theme_elements, monochrome_keeps_states_apart)
{
	static const enum theme_element groups[][8] = {
		{ THEME_LIST_NORMAL, THEME_LIST_CURSOR, THEME_LIST_MARKED,
		  THEME_LIST_MARKDOWN, THEME_LIST_UNTAGGED, THEME_LIST_MATCH,
		  THEME_ELEMENT_COUNT },
		{ THEME_MSG_INFO, THEME_MSG_WARNING, THEME_MSG_ERROR,
		  THEME_ELEMENT_COUNT },
		{ THEME_COURSE_ROW, THEME_COURSE_CURSOR, THEME_COURSE_HEADER,
		  THEME_ELEMENT_COUNT },
		{ THEME_COURSE_OK, THEME_COURSE_WARN, THEME_COURSE_BAD,
		  THEME_COURSE_CURSOR, THEME_COURSE_HEADER, THEME_ELEMENT_COUNT },
		{ THEME_PREVIEW_TEXT, THEME_PREVIEW_PLACEHOLDER,
		  THEME_PREVIEW_MATCH, THEME_PREVIEW_COMMENT,
		  THEME_PREVIEW_KEYWORD, THEME_ELEMENT_COUNT },
		{ THEME_LIST_TAG, THEME_LIST_ASSIGNMENT_TAG,
		  THEME_LIST_UNTAGGED_MARKER, THEME_ELEMENT_COUNT },
		{ THEME_PROMPT_TEXT, THEME_PROMPT_CURSOR, THEME_PROMPT_ERROR,
		  THEME_ELEMENT_COUNT },
	};
	struct theme m;
	theme_init_mono(&m);
	cr_expect(m.attrs_only);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		for (size_t i = 0; groups[g][i] != THEME_ELEMENT_COUNT; i++)
			for (size_t j = i + 1; groups[g][j] != THEME_ELEMENT_COUNT; j++)
				cr_expect_neq(m.style[groups[g][i]].attrs,
				              m.style[groups[g][j]].attrs,
				              "%s looks like %s",
				              theme_element_name(groups[g][i]),
				              theme_element_name(groups[g][j]));
	/* The cursor row is reverse, so chips on it must not rely on it. */
	cr_expect_eq(m.style[THEME_LIST_CURSOR].attrs, TA_REVERSE);
	cr_expect_eq(m.style[THEME_LIST_ASSIGNMENT_TAG].attrs & TA_REVERSE, 0);
}

/* ---- shipped themes ---- */

Test(theme_builtin, every_shipped_theme_parses)
{
	const char *const *names = theme_builtin_names();
	size_t n = 0;
	for (; names[n]; n++) {
		const char *yaml;
		size_t len;
		struct theme t;
		struct ct_error err;
		cr_assert(theme_builtin_get(names[n], &yaml, &len), "%s", names[n]);
		ct_error_clear(&err);
		enum ct_status st = theme_find(names[n], "/nonexistent",
		                               "/nonexistent", &t, &err);
		cr_expect_eq(st, CT_OK, "%s: %s", names[n], err.msg);
		cr_expect_str_eq(t.name, names[n]);
	}
	cr_expect_geq(n, 4);
	const char *yaml;
	size_t len;
	cr_expect(theme_builtin_get("default", &yaml, &len));
	cr_expect(theme_builtin_get("light", &yaml, &len));
	cr_expect(theme_builtin_get("high-contrast", &yaml, &len));
	cr_expect(theme_builtin_get("monochrome", &yaml, &len));
	cr_expect(!theme_builtin_get("nope", &yaml, &len));
}

Test(theme_builtin, embedded_copies_match_the_files)
{
	const char *const *names = theme_builtin_names();
	for (size_t i = 0; names[i]; i++) {
		char path[256];
		snprintf(path, sizeof path, "themes/%s.yaml", names[i]);
		FILE *f = fopen(path, "rb");
		cr_assert_not_null(f, "%s (tests run from the repo root)", path);
		static char buf[1 << 16];
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		const char *yaml;
		size_t len;
		cr_assert(theme_builtin_get(names[i], &yaml, &len));
		cr_expect_eq(len, n, "%s: %zu vs %zu bytes", names[i], len, n);
		cr_expect(len == n && memcmp(yaml, buf, n) == 0, "%s differs",
		          names[i]);
	}
}

Test(theme_builtin, default_file_restates_the_table)
{
	/* theme_find("default") uses the table without parsing the file,
	 * so parse the embedded file itself here. */
	struct theme t, d;
	struct ct_error err;
	const char *yaml;
	size_t len;
	cr_assert(theme_builtin_get("default", &yaml, &len));
	cr_assert_eq(theme_parse(yaml, len, "default.yaml", &t, &err), CT_OK,
	             "%s", err.msg);
	theme_init_default(&d);
	expect_same_styles(&t, &d);
	cr_expect_str_eq(t.name, "default");
	cr_expect(!t.attrs_only);
}

Test(theme_builtin, monochrome_is_the_mono_column)
{
	struct theme t, m;
	struct ct_error err;
	cr_assert_eq(theme_find("monochrome", "/nonexistent", "/nonexistent",
	                        &t, &err), CT_OK, "%s", err.msg);
	theme_init_mono(&m);
	expect_same_styles(&t, &m);
	cr_expect(t.attrs_only);
}

Test(theme_builtin, light_inherits_default)
{
	struct theme t, d;
	struct ct_error err;
	cr_assert_eq(theme_find("light", "/nonexistent", "/nonexistent", &t,
	                        &err), CT_OK, "%s", err.msg);
	theme_init_default(&d);
	cr_expect_eq(t.style[THEME_LIST_CURSOR].bg, THEME_RGB(0xafd7ff));
	cr_expect(style_eq(&t.style[THEME_STATUS_BAR], &d.style[THEME_STATUS_BAR]));
	cr_expect_str_eq(t.name, "light");
}

/* ---- parsing ---- */

Test(theme_parse, partial_override_keeps_the_rest)
{
	struct theme t, d;
	struct ct_error err;
	cr_assert_eq(parse_str("styles:\n  list.cursor: { fg: red }\n", &t, &err),
	             CT_OK, "%s", err.msg);
	theme_init_default(&d);
	cr_expect_eq(t.style[THEME_LIST_CURSOR].fg, TC_RED);
	cr_expect_eq(t.style[THEME_LIST_CURSOR].bg, d.style[THEME_LIST_CURSOR].bg);
	cr_expect_eq(t.style[THEME_LIST_CURSOR].attrs,
	             d.style[THEME_LIST_CURSOR].attrs);
	cr_expect_str_eq(t.name, "t");           /* from the file name */
}

Test(theme_parse, attrs_forms)
{
	struct theme t;
	struct ct_error err;
	cr_assert_eq(parse_str("styles:\n"
	                       "  status.bar: { attrs: [] }\n"
	                       "  list.tag: { attrs: bold underline }\n"
	                       "  list.cursor: { attrs: [reverse, italic, standout, dim] }\n"
	                       "  title: { attrs: ~ }\n", &t, &err),
	             CT_OK, "%s", err.msg);
	cr_expect_eq(t.style[THEME_STATUS_BAR].attrs, 0);
	cr_expect_eq(t.style[THEME_LIST_TAG].attrs, TA_BOLD | TA_UNDERLINE);
	cr_expect_eq(t.style[THEME_LIST_CURSOR].attrs,
	             TA_REVERSE | TA_ITALIC | TA_STANDOUT | TA_DIM);
	cr_expect_eq(t.style[THEME_TITLE].attrs, 0);
}

Test(theme_parse, name_inherits_and_empty_documents)
{
	struct theme t;
	struct ct_error err;
	cr_assert_eq(parse_str("name: mine\ninherits: monochrome\n"
	                       "styles:\n  list.cursor: { fg: \"#102030\" }\n",
	                       &t, &err), CT_OK, "%s", err.msg);
	cr_expect_str_eq(t.name, "mine");
	cr_expect_eq(t.style[THEME_LIST_CURSOR].fg, THEME_RGB(0x102030));
	cr_expect_eq(t.style[THEME_LIST_CURSOR].attrs, TA_REVERSE);
	cr_expect_eq(t.style[THEME_STATUS_BAR].bg, THEME_DEFAULT);
	cr_expect(!t.attrs_only);                /* it has one colour */

	cr_expect_eq(parse_str("", &t, &err), CT_OK);
	cr_expect_eq(parse_str("# only a comment\n", &t, &err), CT_OK);
	cr_expect_eq(parse_str("styles:\n", &t, &err), CT_OK);
	struct theme d;
	theme_init_default(&d);
	expect_same_styles(&t, &d);
}

struct bad_case {
	const char *file;
	long line, col;
	const char *part;
};

static const struct bad_case bad_cases[] = {
	{ "unknown-element.yaml", 3, 3, "unknown element 'list.cursr'" },
	{ "unknown-colour.yaml", 2, 22, "unknown colour 'redd'" },
	{ "unknown-attr.yaml", 4, 19, "unknown attribute 'blinky'" },
	{ "unknown-key.yaml", 2, 1, "unknown key 'colours'" },
	{ "unknown-style-key.yaml", 2, 27, "unknown style key 'foreground'" },
	{ "bad-yaml.yaml", 3, 13, "invalid YAML" },
	{ "style-not-map.yaml", 2, 16, "must be a mapping" },
	{ "styles-not-map.yaml", 2, 3, "must be a mapping" },
	{ "inherits-missing.yaml", 1, 11, "no theme named 'no-such-theme'" },
	{ "colour-out-of-range.yaml", 2, 22, "unknown colour 'color256'" },
	{ "bad-hex.yaml", 2, 22, "unknown colour '#12345'" },
	{ "duplicate-element.yaml", 3, 3, "list.cursor" },
	{ "not-a-map.yaml", 1, 1, "must be a mapping" },
	{ "invalid-utf8.yaml", 3, 23, "invalid" },
	{ "colour-not-string.yaml", 2, 22, "must be a string" },
};

Test(theme_parse, errors_name_file_line_col)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		char path[256];
		snprintf(path, sizeof path, "tests/data/themes/%s", c->file);
		struct theme t;
		struct ct_error err;
		ct_error_clear(&err);
		enum ct_status st = theme_find(path, "/nonexistent",
		                               "/nonexistent", &t, &err);
		cr_expect_eq(st, CT_THEME, "%s: status %s (%s)", c->file,
		             ct_status_name(st), err.msg);
		cr_expect_str_eq(err.path, path, "%s", c->file);
		cr_expect_eq(err.line, c->line, "%s: line %ld, want %ld (%s)",
		             c->file, err.line, c->line, err.msg);
		cr_expect_eq(err.col, c->col, "%s: col %ld, want %ld (%s)",
		             c->file, err.col, c->col, err.msg);
		cr_expect(strstr(err.msg, c->part) != NULL,
		          "%s: message '%s' lacks '%s'", c->file, err.msg,
		          c->part);
		/* Callers fall back to the default. */
		expect_is_default(&t);
	}
}

Test(theme_parse, error_in_memory_uses_the_given_name)
{
	struct theme t;
	struct ct_error err;
	cr_expect_eq(parse_str("styles:\n  bogus: {}\n", &t, &err), CT_THEME);
	cr_expect_str_eq(err.path, "t.yaml");
	cr_expect_eq(err.line, 2);
	cr_expect_eq(err.col, 3);
	char buf[700];
	ct_error_format(&err, buf, sizeof buf);
	cr_expect(strncmp(buf, "t.yaml:2:3: ", 12) == 0, "%s", buf);
}

/* ---- finding ---- */

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

/* Temporary folders of this test process, removed at exit. */
static char tmp_dirs[4][64];
static int ntmp_dirs;

static void remove_tmp_dirs(void)
{
	for (int i = 0; i < ntmp_dirs; i++)
		nftw(tmp_dirs[i], rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static char *make_dir(void)
{
	cr_assert_lt(ntmp_dirs, 4);
	char *d = tmp_dirs[ntmp_dirs];
	snprintf(d, sizeof tmp_dirs[0], "/tmp/celltag-theme-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	if (ntmp_dirs++ == 0)
		atexit(remove_tmp_dirs);
	return d;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

Test(theme_find, user_dir_then_data_dir_then_builtin)
{
	char *user = make_dir(), *data = make_dir();
	write_file(user, "mine.yaml", "styles:\n  title: { fg: red }\n");
	write_file(data, "mine.yaml", "styles:\n  title: { fg: blue }\n");
	write_file(data, "shipped.yaml", "styles:\n  title: { fg: green }\n");
	struct theme t;
	struct ct_error err;
	cr_assert_eq(theme_find("mine", user, data, &t, &err), CT_OK, "%s",
	             err.msg);
	cr_expect_eq(t.style[THEME_TITLE].fg, TC_RED);
	cr_assert_eq(theme_find("shipped", user, data, &t, &err), CT_OK);
	cr_expect_eq(t.style[THEME_TITLE].fg, TC_GREEN);
	cr_assert_eq(theme_find("light", user, data, &t, &err), CT_OK);
	cr_expect_str_eq(t.name, "light");
	cr_assert_eq(theme_find(NULL, user, data, &t, &err), CT_OK);
	expect_is_default(&t);
}

Test(theme_find, inheriting_own_name_reaches_the_next_level)
{
	char *user = make_dir();
	write_file(user, "light.yaml",
	           "inherits: light\nstyles:\n  title: { fg: red }\n");
	struct theme t;
	struct ct_error err;
	cr_assert_eq(theme_find("light", user, "/nonexistent", &t, &err), CT_OK,
	             "%s", err.msg);
	cr_expect_eq(t.style[THEME_TITLE].fg, TC_RED);
	cr_expect_eq(t.style[THEME_LIST_CURSOR].bg, THEME_RGB(0xafd7ff));
}

Test(theme_find, cycles_and_missing_themes_are_errors)
{
	char *user = make_dir();
	write_file(user, "a.yaml", "inherits: b\n");
	write_file(user, "b.yaml", "inherits: a\n");
	struct theme t;
	struct ct_error err;
	ct_error_clear(&err);
	cr_expect_eq(theme_find("a", user, "/nonexistent", &t, &err), CT_THEME);
	cr_expect(strstr(err.msg, "too deep") != NULL, "%s", err.msg);
	expect_is_default(&t);

	ct_error_clear(&err);
	cr_expect_eq(theme_find("nope", user, "/nonexistent", &t, &err),
	             CT_NOTFOUND);
	cr_expect(strstr(err.msg, "nope") != NULL, "%s", err.msg);
	expect_is_default(&t);
	cr_expect_eq(theme_find("bad name!", user, "/nonexistent", &t, &err),
	             CT_NOTFOUND);
	cr_expect_eq(theme_find(".hidden", user, "/nonexistent", &t, &err),
	             CT_NOTFOUND);
	cr_expect_eq(theme_find("/no/such/file.yaml", user, "/nonexistent", &t,
	                        &err), CT_NOTFOUND);
	/* A folder is not a theme. */
	char sub[512];
	snprintf(sub, sizeof sub, "%s/dir.yaml", user);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_expect_neq(theme_find("dir", user, "/nonexistent", &t, &err), CT_OK);
}

Test(theme_find, xdg_config_home_is_the_user_dir)
{
	char *cfg = make_dir();
	char dir[512];
	snprintf(dir, sizeof dir, "%s/celltag", cfg);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/celltag/themes", cfg);
	cr_assert_eq(mkdir(dir, 0700), 0);
	write_file(dir, "x.yaml", "styles:\n  border: { fg: color42 }\n");
	setenv("XDG_CONFIG_HOME", cfg, 1);
	struct theme t;
	struct ct_error err;
	cr_assert_eq(theme_find("x", NULL, "/nonexistent", &t, &err), CT_OK,
	             "%s", err.msg);
	cr_expect_eq(t.style[THEME_BORDER].fg, 42);
	/* Without XDG_CONFIG_HOME: ~/.config/celltag/themes. */
	unsetenv("XDG_CONFIG_HOME");
	char home[600];
	snprintf(home, sizeof home, "%s/home", cfg);
	cr_assert_eq(mkdir(home, 0700), 0);
	setenv("HOME", home, 1);
	cr_expect_eq(theme_find("x", NULL, "/nonexistent", &t, &err),
	             CT_NOTFOUND);
}

/* ---- colours ---- */

Test(theme_color, names)
{
	static const struct {
		const char *s;
		theme_color c;
	} ok[] = {
		{ "default", THEME_DEFAULT }, { "black", 0 }, { "red", 1 },
		{ "white", 7 }, { "bright-black", 8 }, { "bright-white", 15 },
		{ "grey", 8 }, { "gray", 8 }, { "color0", 0 }, { "color9", 9 },
		{ "color255", 255 }, { "#FfA0b1", THEME_RGB(0xffa0b1) },
		{ "#000000", THEME_RGB(0) },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		theme_color c = 12345;
		cr_expect(theme_color_parse(ok[i].s, strlen(ok[i].s), &c), "%s",
		          ok[i].s);
		cr_expect_eq(c, ok[i].c, "%s", ok[i].s);
	}
	static const char *const bad[] = {
		"Red", "bright-", "bright-grey", "color256", "color01", "color",
		"color-1", "#fff", "#12345g", "#1234567", "", "blue ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		theme_color c;
		cr_expect(!theme_color_parse(bad[i], strlen(bad[i]), &c), "'%s'",
		          bad[i]);
	}
	/* Names round-trip. */
	for (int i = -1; i < 256; i++) {
		char buf[32];
		theme_color c = 999;
		theme_color_name(i, buf, sizeof buf);
		cr_expect(theme_color_parse(buf, strlen(buf), &c), "%s", buf);
		cr_expect_eq(c, i, "%s", buf);
	}
	char buf[32];
	cr_expect_str_eq(theme_color_name(THEME_RGB(0x0a0b0c), buf, sizeof buf),
	                 "#0a0b0c");
}

Test(theme_color, palette)
{
	cr_expect_eq(theme_index_rgb(16), 0x000000);
	cr_expect_eq(theme_index_rgb(21), 0x0000ff);
	cr_expect_eq(theme_index_rgb(196), 0xff0000);
	cr_expect_eq(theme_index_rgb(67), 0x5f87af);
	cr_expect_eq(theme_index_rgb(231), 0xffffff);
	cr_expect_eq(theme_index_rgb(232), 0x080808);
	cr_expect_eq(theme_index_rgb(255), 0xeeeeee);
	cr_expect_eq(theme_index_rgb(9), 0xff0000);
}

Test(theme_color, nearest_256)
{
	cr_expect_eq(theme_rgb_to_256(0xff0000), 196);
	cr_expect_eq(theme_rgb_to_256(0x000000), 16);
	cr_expect_eq(theme_rgb_to_256(0xffffff), 231);
	cr_expect_eq(theme_rgb_to_256(0x5f87af), 67);    /* exact cube */
	cr_expect_eq(theme_rgb_to_256(0x808080), 244);   /* grey ramp */
	cr_expect_eq(theme_rgb_to_256(0x7f7f7f), 244);
	cr_expect_eq(theme_rgb_to_256(0xafd7fe), 153);   /* near cube */
	cr_expect_eq(theme_rgb_to_256(0x121212), 233);
	/* Every palette colour maps to itself (or to a twin). */
	for (int i = 16; i < 256; i++) {
		int j = theme_rgb_to_256(theme_index_rgb(i));
		cr_expect_eq(theme_index_rgb(j), theme_index_rgb(i), "%d -> %d", i, j);
	}
}

Test(theme_color, nearest_16_and_8)
{
	cr_expect_eq(theme_256_to_16(196), TC_BRED);
	cr_expect_eq(theme_256_to_16(16), TC_BLACK);
	cr_expect_eq(theme_256_to_16(231), TC_BWHITE);
	cr_expect_eq(theme_256_to_16(244), TC_BBLACK);
	cr_expect_eq(theme_256_to_16(21), TC_BLUE);
	cr_expect_eq(theme_256_to_16(46), TC_BGREEN);
	cr_expect_eq(theme_256_to_16(5), 5);
	for (int i = 0; i < 16; i++)
		cr_expect_eq(theme_256_to_16(i), i);
	cr_expect_eq(theme_16_to_8(TC_BRED), TC_RED);
	cr_expect_eq(theme_16_to_8(TC_BWHITE), TC_WHITE);
	cr_expect_eq(theme_16_to_8(TC_BBLACK), TC_WHITE);
	cr_expect_eq(theme_16_to_8(TC_YELLOW), TC_YELLOW);
	cr_expect_eq(theme_16_to_8(-1), -1);
}

Test(theme_color, for_terminal)
{
	theme_color red = THEME_RGB(0xff0000);
	cr_expect_eq(theme_color_for_terminal(red, 256), 196);
	cr_expect_eq(theme_color_for_terminal(red, 16), TC_BRED);
	cr_expect_eq(theme_color_for_terminal(red, 8), TC_RED);
	cr_expect_eq(theme_color_for_terminal(red, 0), -1);
	cr_expect_eq(theme_color_for_terminal(THEME_DEFAULT, 256), -1);
	cr_expect_eq(theme_color_for_terminal(TC_BCYAN, 256), TC_BCYAN);
	cr_expect_eq(theme_color_for_terminal(TC_BCYAN, 8), TC_CYAN);
	cr_expect_eq(theme_color_for_terminal(153, 16), TC_WHITE);
	cr_expect_eq(theme_color_for_terminal(153, 32767), 153);
	/* Every shipped theme maps to 8 colours with no invisible text on
	 * an explicit background. */
	const char *const *names = theme_builtin_names();
	for (size_t i = 0; names[i]; i++) {
		struct theme t;
		struct ct_error err;
		cr_assert_eq(theme_find(names[i], "/nonexistent", "/nonexistent",
		                        &t, &err), CT_OK);
		for (int e = 0; e < THEME_ELEMENT_COUNT; e++) {
			for (int n = 8; n <= 256; n *= 2) {
				if (n == 32 || n == 64 || n == 128)
					continue;
				int fg = theme_color_for_terminal(t.style[e].fg, n);
				int bg = theme_color_for_terminal(t.style[e].bg, n);
				cr_expect(fg < 0 || fg != bg, "%s: %s at %d colours",
				          names[i], theme_element_name(e), n);
			}
		}
	}
}

/* ---- curses ---- */

static SCREEN *open_screen(const char *term)
{
	setenv("TERM", term, 1);
	FILE *out = fopen("/dev/null", "w");
	FILE *in = tmpfile();
	cr_assert(out && in);
	SCREEN *s = newterm(term, out, in);
	cr_assert_not_null(s, "newterm(%s)", term);
	set_term(s);
	return s;
}

Test(theme_curses, colours_on_256_colour_terminal)
{
	unsetenv("NO_COLOR");
	open_screen("xterm-256color");
	struct theme t;
	theme_init_default(&t);
	t.style[THEME_TITLE].fg = THEME_RGB(0xff0000);
	struct theme_applied a;
	theme_apply(&t, THEME_COLORS_AUTO, &a);
	cr_expect_eq(a.ncolors, 256);
	cr_expect_gt(a.npairs, 3);
	attr_t cur = theme_attr(&a, THEME_LIST_CURSOR);
	short fg, bg;
	cr_assert_neq(PAIR_NUMBER(cur), 0);
	pair_content((short)PAIR_NUMBER(cur), &fg, &bg);
	cr_expect_eq(fg, COLOR_BLACK);
	cr_expect_eq(bg, COLOR_CYAN);
	attr_t title = theme_attr(&a, THEME_TITLE);
	pair_content((short)PAIR_NUMBER(title), &fg, &bg);
	cr_expect_eq(fg, 196);
	cr_expect_eq(bg, -1);
	cr_expect(title & A_BOLD);
	/* Same colours share a pair. */
	cr_expect_eq(PAIR_NUMBER(theme_attr(&a, THEME_LIST_CURSOR)),
	             PAIR_NUMBER(theme_attr(&a, THEME_COURSE_CURSOR)));
	/* Default on default needs no pair. */
	cr_expect_eq(PAIR_NUMBER(theme_attr(&a, THEME_LIST_NORMAL)), 0);
	endwin();
}

Test(theme_curses, eight_colours_map_down)
{
	unsetenv("NO_COLOR");
	open_screen("xterm");
	struct theme t;
	theme_init_default(&t);
	t.style[THEME_TITLE].fg = THEME_RGB(0xff0000);
	struct theme_applied a;
	theme_apply(&t, THEME_COLORS_AUTO, &a);
	cr_expect_eq(a.ncolors, 8);
	short fg, bg;
	attr_t title = theme_attr(&a, THEME_TITLE);
	pair_content((short)PAIR_NUMBER(title), &fg, &bg);
	cr_expect_eq(fg, COLOR_RED);
	cr_expect(title & A_BOLD);               /* bright -> bold */
	endwin();
}

Test(theme_curses, no_color_env_gives_monochrome)
{
	setenv("NO_COLOR", "1", 1);
	open_screen("xterm-256color");
	struct theme t;
	theme_init_default(&t);
	struct theme_applied a;
	theme_apply(&t, THEME_COLORS_AUTO, &a);
	cr_expect_eq(a.ncolors, 0);
	struct theme m;
	theme_init_mono(&m);
	for (int e = 0; e < THEME_ELEMENT_COUNT; e++)
		cr_expect_eq(PAIR_NUMBER(theme_attr(&a, e)), 0, "%s",
		             theme_element_name(e));
	cr_expect_eq(theme_attr(&a, THEME_LIST_CURSOR), A_REVERSE);
	cr_expect_eq(theme_attr(&a, THEME_MSG_ERROR), A_REVERSE | A_BOLD);
	endwin();
}

Test(theme_curses, never_mode_and_dumb_terminals)
{
	unsetenv("NO_COLOR");
	open_screen("xterm-256color");
	struct theme t;
	theme_init_default(&t);
	struct theme_applied a;
	theme_apply(&t, THEME_COLORS_NEVER, &a);
	cr_expect_eq(a.ncolors, 0);
	cr_expect_eq(theme_attr(&a, THEME_LIST_CURSOR), A_REVERSE);
	endwin();

	cr_expect(!theme_colors_allowed(THEME_COLORS_NEVER));
	cr_expect(theme_colors_allowed(THEME_COLORS_AUTO));
	setenv("NO_COLOR", "", 1);               /* empty: ignored */
	cr_expect(theme_colors_allowed(THEME_COLORS_AUTO));
	setenv("NO_COLOR", "yes", 1);
	cr_expect(!theme_colors_allowed(THEME_COLORS_AUTO));
	cr_expect_eq(theme_attr(NULL, THEME_TITLE), A_NORMAL);
}

static void expect_no_colour_terminal(const char *term)
{
	unsetenv("NO_COLOR");
	open_screen(term);
	struct theme t;
	theme_init_default(&t);
	struct theme_applied a;
	theme_apply(&t, THEME_COLORS_AUTO, &a);
	cr_expect_eq(a.ncolors, 0, "%s", term);
	cr_expect_eq(theme_attr(&a, THEME_LIST_CURSOR), A_REVERSE, "%s", term);
	cr_expect_eq(theme_attr(&a, THEME_LIST_MARKDOWN), A_DIM, "%s", term);
	endwin();
}

Test(theme_curses, dumb_terminal_has_no_colours)
{
	expect_no_colour_terminal("dumb");
}

Test(theme_curses, vt100_has_no_colours)
{
	expect_no_colour_terminal("vt100");
}

Test(theme_curses, attrs_only_theme_applies_as_is)
{
	setenv("NO_COLOR", "1", 1);
	open_screen("xterm-256color");
	struct theme t;
	theme_init_mono(&t);
	t.style[THEME_TITLE].attrs = TA_UNDERLINE;
	struct theme_applied a;
	theme_apply(&t, THEME_COLORS_AUTO, &a);
	cr_expect_eq(theme_attr(&a, THEME_TITLE), A_UNDERLINE);
	endwin();
}
