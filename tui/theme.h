/* theme.h - colour themes: the element list, YAML parsing, colour maths.
 *
 * No curses here (see theme_curses.h for applying a theme), so everything is
 * unit-tested without a terminal.  Themes are parsed only when the TUI
 * starts; CLI subcommands never touch this module.
 *
 * Theme file (YAML, libyaml).  A theme names only what it changes over its
 * base (`inherits`, default "default" = the built-in table below):
 *
 *   name: light                 # optional, informational
 *   description: "..."          # optional
 *   inherits: default           # optional: a built-in or findable theme
 *   styles:
 *     list.cursor: { fg: black, bg: cyan, attrs: [bold] }
 *     preview.comment: { fg: "#808080" }     # fields not given are inherited
 *     status.bar: { attrs: [] }              # attrs replace, [] clears
 *
 * Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-black .. bright-white (also "grey"/"gray" = bright-black),
 * color0 .. color255, #rrggbb.  Attributes: bold, dim, underline, reverse,
 * italic, standout (a list, or one name as a scalar).  Element, colour and
 * attribute names are case-sensitive.  Unknown keys, names or bad YAML are
 * CT_THEME errors with the file:line:col of the offending node.
 *
 * Colour encoding: a theme_color is an int32_t, -1 for the terminal's
 * default, 0..255 for a palette index, THEME_RGB(0xrrggbb) for true colour.
 */
#ifndef CELLTAG_TUI_THEME_H
#define CELLTAG_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "highlight.h"
#include "status.h"

typedef int32_t theme_color;
#define THEME_DEFAULT  ((theme_color)-1)
#define THEME_RGB_FLAG 0x1000000
#define THEME_RGB(x)   ((theme_color)(THEME_RGB_FLAG | ((x) & 0xffffff)))
#define THEME_IS_RGB(c) ((c) >= 0 && ((c) & THEME_RGB_FLAG))

/* Palette indices of the 16 named colours. */
enum {
	TC_BLACK, TC_RED, TC_GREEN, TC_YELLOW, TC_BLUE, TC_MAGENTA, TC_CYAN,
	TC_WHITE, TC_BBLACK, TC_BRED, TC_BGREEN, TC_BYELLOW, TC_BBLUE,
	TC_BMAGENTA, TC_BCYAN, TC_BWHITE
};
#define TC_DEF THEME_DEFAULT

/* Attribute bits (mapped to A_* by theme_curses.c). */
enum theme_attr_bit {
	TA_BOLD      = 1 << 0,
	TA_DIM       = 1 << 1,
	TA_UNDERLINE = 1 << 2,
	TA_REVERSE   = 1 << 3,
	TA_ITALIC    = 1 << 4,
	TA_STANDOUT  = 1 << 5
};
#define TA_NONE 0

/* Every element the screen draws.
 * _(ID, "name", fg, bg, attrs, mono, "what it is")
 * fg/bg/attrs: the built-in "default" theme (dark-terminal friendly).
 * mono: attributes used when colours are unavailable (NO_COLOR, --no-color,
 * no colour support): chosen so that every state stays distinguishable. */
#define THEME_ELEMENTS(_) \
	_(STATUS_BAR,        "status.bar",        TC_BWHITE, TC_BLUE,  TA_NONE,   TA_REVERSE, "status bar (bottom line)") \
	_(STATUS_FILE,       "status.file",       TC_BWHITE, TC_BLUE,  TA_BOLD,   TA_REVERSE | TA_BOLD, "file name in the status bar") \
	_(MSG_INFO,          "message.info",      TC_DEF,    TC_DEF,   TA_NONE,   TA_NONE,    "message line: information") \
	_(MSG_WARNING,       "message.warning",   TC_BYELLOW, TC_DEF,  TA_BOLD,   TA_BOLD,    "message line: warning") \
	_(MSG_ERROR,         "message.error",     TC_BWHITE, TC_RED,   TA_BOLD,   TA_REVERSE | TA_BOLD, "message line: error") \
	_(LIST_NORMAL,       "list.normal",       TC_DEF,    TC_DEF,   TA_NONE,   TA_NONE,    "cell list: a row") \
	_(LIST_CURSOR,       "list.cursor",       TC_BLACK,  TC_CYAN,  TA_NONE,   TA_REVERSE, "cell list: the row under the cursor") \
	_(LIST_MARKED,       "list.marked",       TC_BMAGENTA, TC_DEF, TA_BOLD,   TA_BOLD | TA_UNDERLINE, "cell list: a marked (selected) row") \
	_(LIST_BADGE_CODE,   "list.badge.code",   TC_CYAN,   TC_DEF,   TA_NONE,   TA_BOLD,    "cell list: code cell badge") \
	_(LIST_BADGE_MARKDOWN, "list.badge.markdown", TC_MAGENTA, TC_DEF, TA_NONE, TA_NONE,   "cell list: markdown cell badge") \
	_(LIST_BADGE_RAW,    "list.badge.raw",    TC_YELLOW, TC_DEF,   TA_NONE,   TA_DIM,     "cell list: raw cell badge") \
	_(LIST_MARKDOWN,     "list.markdown",     TC_BBLACK, TC_DEF,   TA_NONE,   TA_DIM,     "cell list: a markdown row (dimmed)") \
	_(LIST_RAW,          "list.raw",          TC_BBLACK, TC_DEF,   TA_NONE,   TA_DIM,     "cell list: a raw row (dimmed)") \
	_(LIST_EXEC_COUNT,   "list.exec-count",   TC_BBLACK, TC_DEF,   TA_NONE,   TA_DIM,     "cell list: execution count [n]") \
	_(LIST_TAG,          "list.tag",          TC_GREEN,  TC_DEF,   TA_NONE,   TA_UNDERLINE, "cell list: a tag chip") \
	_(LIST_ASSIGNMENT_TAG, "list.assignment-tag", TC_BLACK, TC_GREEN, TA_BOLD, TA_BOLD | TA_UNDERLINE, "cell list: an assignment tag chip") \
	_(LIST_UNTAGGED_MARKER, "list.untagged-marker", TC_BYELLOW, TC_DEF, TA_BOLD, TA_BOLD | TA_STANDOUT, "cell list: marker of an untagged exercise") \
	_(LIST_UNTAGGED,     "list.untagged",     TC_YELLOW, TC_DEF,   TA_NONE,   TA_BOLD,    "cell list: row of an untagged exercise") \
	_(LIST_MATCH,        "list.match",        TC_BLACK,  TC_YELLOW, TA_NONE,  TA_UNDERLINE, "cell list: search match") \
	_(PREVIEW_TEXT,      "preview.text",      TC_DEF,    TC_DEF,   TA_NONE,   TA_NONE,    "preview: plain text") \
	_(PREVIEW_KEYWORD,   "preview.keyword",   TC_YELLOW, TC_DEF,   TA_BOLD,   TA_BOLD,    "preview: Python keyword") \
	_(PREVIEW_BUILTIN,   "preview.builtin",   TC_CYAN,   TC_DEF,   TA_NONE,   TA_NONE,    "preview: Python builtin") \
	_(PREVIEW_STRING,    "preview.string",    TC_GREEN,  TC_DEF,   TA_NONE,   TA_NONE,    "preview: string literal") \
	_(PREVIEW_COMMENT,   "preview.comment",   TC_BBLACK, TC_DEF,   TA_NONE,   TA_DIM,     "preview: comment") \
	_(PREVIEW_NUMBER,    "preview.number",    TC_MAGENTA, TC_DEF,  TA_NONE,   TA_NONE,    "preview: number") \
	_(PREVIEW_DECORATOR, "preview.decorator", TC_BMAGENTA, TC_DEF, TA_NONE,   TA_NONE,    "preview: @decorator") \
	_(PREVIEW_MAGIC,     "preview.magic",     TC_BCYAN,  TC_DEF,   TA_NONE,   TA_NONE,    "preview: %magic or !shell line") \
	_(PREVIEW_MD_HEADING, "preview.md-heading", TC_BBLUE, TC_DEF,  TA_BOLD,   TA_BOLD | TA_UNDERLINE, "preview: Markdown heading") \
	_(PREVIEW_MD_EMPHASIS, "preview.md-emphasis", TC_DEF, TC_DEF,  TA_BOLD,   TA_BOLD,    "preview: Markdown *emphasis*") \
	_(PREVIEW_MD_CODE,   "preview.md-code",   TC_BGREEN, TC_DEF,   TA_NONE,   TA_NONE,    "preview: Markdown `code` and fenced blocks") \
	_(PREVIEW_MD_LINK,   "preview.md-link",   TC_BBLUE,  TC_DEF,   TA_UNDERLINE, TA_UNDERLINE, "preview: Markdown [link](url)") \
	_(PREVIEW_MD_QUOTE,  "preview.md-quote",  TC_BBLACK, TC_DEF,   TA_NONE,   TA_DIM,     "preview: Markdown > quote") \
	_(PREVIEW_PLACEHOLDER, "preview.placeholder", TC_BWHITE, TC_RED, TA_NONE, TA_REVERSE, "placeholder for a control character, escape sequence or invalid UTF-8 (everywhere)") \
	_(PREVIEW_LINE_NUMBER, "preview.line-number", TC_BBLACK, TC_DEF, TA_NONE, TA_DIM,     "preview: line numbers") \
	_(PREVIEW_MATCH,     "preview.match",     TC_BLACK,  TC_YELLOW, TA_NONE,  TA_UNDERLINE | TA_BOLD, "preview: search match") \
	_(PROMPT_LABEL,      "prompt.label",      TC_DEF,    TC_DEF,   TA_BOLD,   TA_BOLD,    "prompt: its label (\"Tag: \")") \
	_(PROMPT_TEXT,       "prompt.text",       TC_DEF,    TC_DEF,   TA_NONE,   TA_NONE,    "prompt: text being typed") \
	_(PROMPT_CURSOR,     "prompt.cursor",     TC_BLACK,  TC_WHITE, TA_NONE,   TA_REVERSE, "prompt: the cursor") \
	_(PROMPT_ERROR,      "prompt.error",      TC_BRED,   TC_DEF,   TA_BOLD,   TA_BOLD | TA_UNDERLINE, "prompt: invalid input") \
	_(DIALOG_TEXT,       "dialog.text",       TC_WHITE,  TC_BLUE,  TA_NONE,   TA_NONE,    "dialog: text") \
	_(DIALOG_TITLE,      "dialog.title",      TC_BWHITE, TC_BLUE,  TA_BOLD,   TA_BOLD,    "dialog: title") \
	_(DIALOG_BORDER,     "dialog.border",     TC_BCYAN,  TC_BLUE,  TA_NONE,   TA_NONE,    "dialog: frame") \
	_(DIALOG_SELECTED,   "dialog.selected",   TC_BLACK,  TC_CYAN,  TA_NONE,   TA_REVERSE, "dialog: selected choice") \
	_(HELP_KEY,          "help.key",          TC_BYELLOW, TC_DEF,  TA_BOLD,   TA_BOLD,    "help screen: key name") \
	_(HELP_DESC,         "help.description",  TC_DEF,    TC_DEF,   TA_NONE,   TA_NONE,    "help screen: what a key does") \
	_(HELP_SECTION,      "help.section",      TC_BBLUE,  TC_DEF,   TA_BOLD,   TA_BOLD | TA_UNDERLINE, "help screen: section heading") \
	_(COURSE_ROW,        "course.row",        TC_DEF,    TC_DEF,   TA_NONE,   TA_NONE,    "course screen: a notebook row") \
	_(COURSE_HEADER,     "course.header",     TC_DEF,    TC_DEF,   TA_BOLD | TA_UNDERLINE, TA_UNDERLINE, "course screen: column headers") \
	_(COURSE_CURSOR,     "course.cursor",     TC_BLACK,  TC_CYAN,  TA_NONE,   TA_REVERSE, "course screen: the row under the cursor") \
	_(COURSE_OK,         "course.ok",         TC_GREEN,  TC_DEF,   TA_NONE,   TA_NONE,    "course screen: a good value") \
	_(COURSE_WARN,       "course.warn",       TC_YELLOW, TC_DEF,   TA_BOLD,   TA_BOLD,    "course screen: a value to check") \
	_(COURSE_BAD,        "course.bad",        TC_BRED,   TC_DEF,   TA_BOLD,   TA_BOLD | TA_UNDERLINE, "course screen: a problem") \
	_(BORDER,            "border",            TC_BBLACK, TC_DEF,   TA_NONE,   TA_NONE,    "pane borders and separators") \
	_(TITLE,             "title",             TC_DEF,    TC_DEF,   TA_BOLD,   TA_BOLD,    "pane titles") \
	_(BADGE_READONLY,    "badge.readonly",    TC_BLACK,  TC_YELLOW, TA_NONE,  TA_REVERSE, "read-only badge") \
	_(BADGE_MODIFIED,    "badge.modified",    TC_BYELLOW, TC_DEF,  TA_BOLD,   TA_BOLD,    "modified (unsaved) marker")

enum theme_element {
#define THEME_ELEMENT_ENUM(id, name, fg, bg, attrs, mono, desc) THEME_##id,
	THEME_ELEMENTS(THEME_ELEMENT_ENUM)
#undef THEME_ELEMENT_ENUM
	THEME_ELEMENT_COUNT
};

struct theme_style {
	theme_color fg, bg;
	unsigned attrs;            /* enum theme_attr_bit bits */
};

#define THEME_NAME_MAX 64

/* A fully resolved theme (every element set).  Plain data: copy freely,
 * nothing to free. */
struct theme {
	char name[THEME_NAME_MAX];
	struct theme_style style[THEME_ELEMENT_COUNT];
	/* True when no element uses a colour (fg and bg all default): such a
	 * theme applies as is even without colour support. */
	bool attrs_only;
};

/* Element names ("list.cursor") and descriptions; NULL when out of range.
 * theme_element_by_name returns -1 for an unknown name. */
const char *theme_element_name(enum theme_element e);
const char *theme_element_description(enum theme_element e);
int theme_element_by_name(const char *name, size_t len);

/* The preview element for a highlighter class. */
enum theme_element theme_element_for_hl(enum hl_class c);

/* Fill `t` with the built-in default theme (name "default"). */
void theme_init_default(struct theme *t);
/* The no-colour fallback: the `mono` column as attributes, colours default. */
void theme_init_mono(struct theme *t);

/* Parse a theme from memory.  `name` is the file name used in messages
 * (and the theme's name when the YAML has no `name:`).  `inherits:` may
 * name a built-in theme only (theme_find resolves user/installed ones).
 * On error `*out` is left as the built-in default and err says
 * "NAME:LINE:COL: message" (status CT_THEME). */
enum ct_status theme_parse(const char *yaml, size_t len, const char *name,
                           struct theme *out, struct ct_error *err);

/* Find and parse theme `name`.  If `name` contains a '/', it is a path.
 * Otherwise look for NAME.yaml in, in order:
 *   user_dir  (NULL: $XDG_CONFIG_HOME/celltag/themes, or
 *              ~/.config/celltag/themes),
 *   data_dir  (NULL: CELLTAG_DATADIR "/themes"),
 *   the built-in copies of themes/ (default, light, high-contrast,
 *   monochrome).
 * `inherits:` is resolved the same way (depth-limited, cycles are errors).
 * NULL or "" name means "default".  Errors: CT_NOTFOUND (no such theme),
 * CT_IO, CT_THEME; on any error `*out` is the built-in default, so the
 * caller can report and carry on. */
enum ct_status theme_find(const char *name, const char *user_dir,
                          const char *data_dir, struct theme *out,
                          struct ct_error *err);

/* Names of the built-in themes, NULL-terminated (static storage). */
const char *const *theme_builtin_names(void);
/* The embedded YAML of built-in theme `name`; false when there is none. */
bool theme_builtin_get(const char *name, const char **yaml, size_t *len);

/* ---- Colour maths (no curses; used by theme_curses.c) ---- */

/* Parse a colour name as in theme files; false when unknown. */
bool theme_color_parse(const char *s, size_t len, theme_color *out);
/* Write the canonical name of `c` ("default", "bright-red", "color123",
 * "#12ab34") into buf; returns buf. */
char *theme_color_name(theme_color c, char *buf, size_t size);

/* RGB (0xrrggbb) of a palette index, using the xterm defaults. */
uint32_t theme_index_rgb(int idx);
/* Nearest xterm-256 index (16..255: cube and grey ramp) to an RGB value. */
int theme_rgb_to_256(uint32_t rgb);
/* Nearest of the 16 standard colours to a palette index (0..255). */
int theme_256_to_16(int idx);
/* One of the 8 basic colours for one of the 16 (0..15): a bright colour
 * maps to its base colour, except bright-black (grey) which maps to white,
 * its nearest in RGB (and visible on a dark background). */
int theme_16_to_8(int idx);
/* Map a theme colour to a palette index usable on a terminal with `ncolors`
 * colours (>= 256, 16 or 8): -1 stays -1 (default). */
int theme_color_for_terminal(theme_color c, int ncolors);

#endif
