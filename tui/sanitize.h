/* sanitize.h - THE way notebook text reaches the screen (and plain output).
 *
 * Notebook text is untrusted: a cell can hold terminal escape sequences
 * (OSC 52 clipboard writes, OSC 8 links, cursor movement), C0/C1 controls,
 * bidi overrides that reorder what the user sees, zero-width characters that
 * hide text, and invalid UTF-8.  Everything drawn from a notebook goes through
 * this module, which turns bytes into display cells that are safe to print
 * and whose widths add up to the columns the terminal will really use.
 *
 * Safety does not depend on the process locale: UTF-8 is decoded here and
 * the output is always valid UTF-8 made of safe code points.  Only the
 * *width* of printable non-ASCII characters depends on it: wcwidth() when
 * the locale's codeset is UTF-8 (so that we agree with ncurses), a built-in
 * table otherwise (results are then the same on every machine).  A code
 * point wcwidth() rejects (< 0) becomes a placeholder.  For terminals that
 * cannot show UTF-8 at all, san_opts.ascii turns every non-ASCII character
 * into a '?' placeholder.
 *
 * Placeholders (every one is ASCII or U+FFFD, flagged SAN_PLACEHOLDER so the
 * drawer can colour it with the "preview.placeholder" style):
 *
 *   input                                   placeholder      width
 *   NUL, C0 controls 0x01-0x1F (not TAB)    ^@ ^A .. ^_      2
 *     e.g. BEL ^G, BS ^H, LF ^J, CR ^M
 *   DEL 0x7F                                ^?               2
 *   ESC alone                               ^[               2
 *   a whole escape sequence                 ^[               2   (+SAN_ESCSEQ)
 *     (ESC [ .. final, ESC ] .. BEL/ST, ESC P/X/^/_ .. ST, ESC + one char;
 *      an unterminated sequence runs to the end of the input; 8-bit CSI/OSC/
 *      DCS introducers U+009B/U+009D/U+0090 swallow their sequence the same
 *      way).  The payload is never shown.
 *   C1 controls U+0080-U+009F               <U+0085>         8
 *   bidi U+202A-202E, U+2066-2069, U+061C,
 *     U+200E/U+200F                         <U+202E>         8
 *   zero-width/format U+200B-U+200F, U+2060-2064, U+FEFF, U+2028, U+2029,
 *     U+FFF9-FFFB, tag characters U+E0000-E007F  <U+200B>     8
 *   code points wcwidth() rejects           <U+XXXX>         len
 *   invalid UTF-8 (overlong, surrogate,
 *     > U+10FFFF, truncated, stray byte):
 *     one U+FFFD per maximal invalid subpart  \xEF\xBF\xBD   1   (+SAN_INVALID)
 *
 * TAB becomes spaces up to the next multiple of the tab width (default 4)
 * and is flagged SAN_TAB.  A combining mark (width 0) joins the cell before it
 * (a mark with no base gets a space as base); marks beyond what a cell holds
 * are dropped (flag SAN_DROPPED on that cell).  Wide characters (CJK, emoji)
 * are one cell of width 2 and are never split: when one does not fit in the
 * remaining columns the line stops before it.  Placeholders and tabs are
 * never split either (the drawer pads the rest of the row with blanks).
 *
 * Everything here is allocation-free, re-entrant and O(len).
 */
#ifndef CELLTAG_TUI_SANITIZE_H
#define CELLTAG_TUI_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SAN_TAB_DEFAULT 4
#define SAN_TAB_MAX 8
/* Bytes a cell can hold: a base character plus a few combining marks, a
 * tab's spaces, or the longest placeholder "<U+10FFFF>" (so width <= 10). */
#define SAN_CELL_BYTES 27

enum san_flag {
	SAN_PLACEHOLDER = 1 << 0, /* stands for something not printable */
	SAN_ESCSEQ      = 1 << 1, /* ... namely a (swallowed) escape sequence */
	SAN_INVALID     = 1 << 2, /* ... namely invalid UTF-8 (U+FFFD shown) */
	SAN_TAB         = 1 << 3, /* expanded tab (spaces) */
	SAN_WIDE        = 1 << 4, /* a double-width character */
	SAN_DROPPED     = 1 << 5  /* combining marks were dropped from it */
};

/* One display cell: print `bytes` (UTF-8, NUL-terminated, `len` bytes) and
 * the cursor moves `width` columns (always >= 1). */
struct san_cell {
	char bytes[SAN_CELL_BYTES + 1];
	uint8_t len;
	uint8_t width;
	uint8_t flags;        /* enum san_flag bits */
	uint32_t src_off;     /* byte offset in the input where it starts */
	uint32_t src_len;     /* input bytes it stands for (sequence, marks) */
};

/* Options; a zeroed struct (or NULL where accepted) means the defaults. */
struct san_opts {
	int tab_width;        /* <= 0: SAN_TAB_DEFAULT; clamped to SAN_TAB_MAX */
	int start_col;        /* column of the first byte, for tab stops (0) */
	bool ascii;           /* non-ASCII printable characters -> '?' */
};

/* Incremental form: one cell per san_next() call.  The iterator keeps
 * pointers into `s`, which must outlive it. */
struct san_iter {
	const char *s;
	size_t len, pos;
	int col;              /* column where the next cell starts */
	int tab_width;
	bool ascii;           /* from san_opts */
	bool wc;              /* locale is UTF-8: widths from wcwidth() */
};

void san_iter_init(struct san_iter *it, const char *s, size_t len,
                   const struct san_opts *opts);
/* Fill `cell` with the next cell; false at the end of the input. */
bool san_next(struct san_iter *it, struct san_cell *cell);

/* Sanitise one line into `out` (capacity `cap` cells), stopping before the
 * first cell that would end beyond `max_cols` columns (max_cols < 0: no
 * limit).  Returns the number of cells written.
 * `*cols_out` (may be NULL) receives the columns they use, and `*consumed`
 * (may be NULL) the input bytes they cover. */
size_t sanitize_line(const char *s, size_t len, int max_cols,
                     struct san_cell *out, size_t cap);
size_t sanitize_line_ex(const char *s, size_t len, int max_cols,
                        const struct san_opts *opts, struct san_cell *out,
                        size_t cap, int *cols_out, size_t *consumed);

/* Columns the sanitised text takes (tabs at the default width, from col 0). */
int sanitize_width(const char *s, size_t len);

/* Write the sanitised text of `s` into `buf` (size `size`, always NUL-
 * terminated when size > 0) using at most `max_cols` columns (< 0: no
 * limit).  If the text does not fit, it is cut at a cell boundary and
 * `marker` (NULL: "…"; use "~" when the terminal is not UTF-8; a marker
 * that is not printable ASCII or "…" is replaced by "~") is appended,
 * the whole staying within max_cols.  Placeholders are written as their
 * plain text (no styling: use the cell API for colour).  Returns the
 * columns used.  Also stops, without splitting a cell, when `buf` is full. */
int sanitize_fit(const char *s, size_t len, int max_cols, const char *marker,
                 char *buf, size_t size);

/* Plain-text escaping for CLI output (no terminal styling available):
 *   ESC -> \e   TAB -> \t   LF -> \n   CR -> \r   other C0, DEL -> \xNN
 *   C1, bidi, zero-width/format chars (the classes above), code points
 *   wcwidth() rejects, and a combining mark with no printable base before
 *   it -> \uXXXX (\UXXXXXXXX above U+FFFF)
 *   invalid UTF-8 -> \xNN per byte;  everything else verbatim (backslash too)
 * Output is UTF-8 whatever the locale (it goes to pipes and files).
 * Escape sequences are not swallowed here: each ESC is escaped and the rest
 * is printable text, so `\e[31m` shows what the cell holds.
 * SAN_PLAIN_KEEP_TAB / SAN_PLAIN_KEEP_NL keep TAB / LF as they are.
 * When max_cols > 0, at most max_cols columns are produced and "..." ends a
 * cut text (within max_cols).  snprintf-like: returns the length the full
 * result needs (excluding NUL); writes at most size-1 bytes plus NUL, cut
 * between escapes/characters (a prefix of the full result). */
enum san_plain_flag {
	SAN_PLAIN_KEEP_TAB = 1 << 0,
	SAN_PLAIN_KEEP_NL  = 1 << 1
};
size_t sanitize_escape_plain(const char *s, size_t len, int max_cols,
                             unsigned flags, char *buf, size_t size);
/* Same, written to a stream (no size limit).  Returns bytes written. */
size_t sanitize_escape_plain_fp(FILE *out, const char *s, size_t len,
                                int max_cols, unsigned flags);

/* Classification used by both forms; exposed for tests and callers that
 * need it.  True when code point `cp` must never be printed as is. */
bool sanitize_is_unsafe_cp(uint32_t cp);

/* Width of a printable code point as this module counts it (0, 1 or 2), or
 * -1 when it is not printable.  Uses wcwidth() in a UTF-8 locale, else the
 * built-in table. */
int sanitize_cp_width(uint32_t cp);

#endif
