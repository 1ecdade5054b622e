/* highlight.h - a small, fast syntax highlighter for cell previews.
 *
 * Python (code cells, including IPython %magics and !shell lines) and
 * Markdown (markdown cells).  Works one line at a time: the caller splits
 * the source at '\n' and threads an `hl_state` from one line to the next
 * (start with HL_STATE_INIT), which carries triple-quoted strings and
 * backslash-continued strings in Python and fenced code blocks in Markdown.
 * To draw line N without highlighting lines 0..N-1 every frame, keep the
 * state at the start of each line (e.g. computed once per cell).
 *
 * Output is a list of spans with byte offsets into the line, sorted, not
 * overlapping; bytes not covered by a span are HL_TEXT.  Pure functions: no
 * allocation, no global state, O(len).  The input may contain any bytes
 * (spans never split a multi-byte UTF-8 sequence that is valid).
 */
#ifndef CELLTAG_TUI_HIGHLIGHT_H
#define CELLTAG_TUI_HIGHLIGHT_H

#include <stddef.h>
#include <stdint.h>

/* _(NAME, "name") - the token classes. */
#define HL_CLASS_INFO(_) \
	_(TEXT,        "text") \
	_(KEYWORD,     "keyword") \
	_(BUILTIN,     "builtin") \
	_(STRING,      "string") \
	_(COMMENT,     "comment") \
	_(NUMBER,      "number") \
	_(DECORATOR,   "decorator") \
	_(MAGIC,       "magic") \
	_(MD_HEADING,  "md-heading") \
	_(MD_EMPHASIS, "md-emphasis") \
	_(MD_CODE,     "md-code") \
	_(MD_LINK,     "md-link") \
	_(MD_QUOTE,    "md-quote")

enum hl_class {
#define HL_CLASS_ENUM(name, str) HL_##name,
	HL_CLASS_INFO(HL_CLASS_ENUM)
#undef HL_CLASS_ENUM
	HL_CLASS_COUNT
};

enum hl_lang {
	HL_LANG_PLAIN,     /* raw cells, unknown: no spans */
	HL_LANG_PYTHON,
	HL_LANG_MARKDOWN
};

struct hl_span {
	uint32_t start;    /* byte offset in the line */
	uint32_t len;      /* bytes, > 0 */
	enum hl_class cls;
};

/* Opaque between calls; 0 is "start of a cell". */
typedef uint32_t hl_state;
#define HL_STATE_INIT 0u

/* Highlight `line` (`len` bytes, no '\n' needed; a trailing '\n' or "\r\n"
 * is ignored).  `*state` is read as the state at the start of the line and
 * replaced by the state at its end.  At most `cap` spans are written; if
 * more would be needed the rest of the line is left as HL_TEXT, but the
 * state is still computed over the whole line.  Returns the span count. */
size_t highlight_line(enum hl_lang lang, const char *line, size_t len,
                      hl_state *state, struct hl_span *out, size_t cap);

/* Class of byte `off` given the spans of its line (binary search). */
enum hl_class highlight_class_at(const struct hl_span *spans, size_t n,
                                 size_t off);

/* "keyword", ... for a class; "?" when out of range. */
const char *highlight_class_name(enum hl_class c);

/* Language of a cell from its cell_type string ("code", "markdown", ...). */
enum hl_lang highlight_lang_for(const char *cell_type);

#endif
