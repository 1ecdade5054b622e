/* highlight.c - line-at-a-time Python and Markdown highlighting.
 *
 * A hand-written scanner rather than a regex table: it must be allocation-
 * free, O(len) and robust against any bytes (it only ever looks at ASCII;
 * bytes >= 0x80 are treated as identifier characters, so spans never split a
 * UTF-8 sequence).
 *
 * State layout (hl_state):
 *   Python:   bits 0-2 string state (PY_*), 0 = outside any string.
 *   Markdown: bits 0-1 fence character (0 none, 1 '`', 2 '~'),
 *             bits 2-9 fence length.
 */
#include "highlight.h"

#include <string.h>

enum {
	PY_NONE,
	PY_TRIPLE_SQ,     /* inside ''' */
	PY_TRIPLE_DQ,     /* inside """ */
	PY_CONT_SQ,       /* inside '  continued with a backslash */
	PY_CONT_DQ        /* inside "  continued with a backslash */
};

struct spans {
	struct hl_span *out;
	size_t cap, n;
};

static void add(struct spans *sp, size_t start, size_t end, enum hl_class c)
{
	if (end <= start || c == HL_TEXT)
		return;
	if (sp->n > 0) {
		struct hl_span *last = &sp->out[sp->n - 1];
		if (last->cls == c && last->start + last->len == start) {
			last->len += (uint32_t)(end - start);
			return;
		}
	}
	if (sp->n >= sp->cap)
		return;
	sp->out[sp->n].start = (uint32_t)start;
	sp->out[sp->n].len = (uint32_t)(end - start);
	sp->out[sp->n].cls = c;
	sp->n++;
}

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c >= 0x80;
}

static int is_ident(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* ---- Python ---- */

struct word {
	const char *w;
	size_t n;
};
#define W(s) { s, sizeof(s) - 1 }


static const struct word py_keywords[] = {
	W("False"), W("None"), W("True"), W("and"), W("as"), W("assert"),
	W("async"), W("await"), W("break"), W("class"), W("continue"), W("def"),
	W("del"), W("elif"), W("else"), W("except"), W("finally"), W("for"),
	W("from"), W("global"), W("if"), W("import"), W("in"), W("is"),
	W("lambda"), W("nonlocal"), W("not"), W("or"), W("pass"), W("raise"),
	W("return"), W("try"), W("while"), W("with"), W("yield"),
	{ NULL, 0 }
};

static const struct word py_builtins[] = {
	W("__import__"), W("abs"), W("aiter"), W("all"), W("anext"), W("any"),
	W("ascii"), W("bin"), W("bool"), W("breakpoint"), W("bytearray"),
	W("bytes"), W("callable"), W("chr"), W("classmethod"), W("compile"),
	W("complex"), W("delattr"), W("dict"), W("dir"), W("divmod"),
	W("enumerate"), W("eval"), W("exec"), W("filter"), W("float"),
	W("format"), W("frozenset"), W("getattr"), W("globals"), W("hasattr"),
	W("hash"), W("help"), W("hex"), W("id"), W("input"), W("int"),
	W("isinstance"), W("issubclass"), W("iter"), W("len"), W("list"),
	W("locals"), W("map"), W("max"), W("memoryview"), W("min"), W("next"),
	W("object"), W("oct"), W("open"), W("ord"), W("pow"), W("print"),
	W("property"), W("range"), W("repr"), W("reversed"), W("round"), W("set"),
	W("setattr"), W("slice"), W("sorted"), W("staticmethod"), W("str"),
	W("sum"), W("super"), W("tuple"), W("type"), W("vars"), W("zip"),
	W("self"), W("cls"), W("NotImplemented"), W("Ellipsis"), W("__name__"),
	W("__file__"), W("ArithmeticError"), W("AssertionError"),
	W("AttributeError"), W("BaseException"), W("EOFError"), W("Exception"),
	W("FileNotFoundError"), W("ImportError"), W("IndexError"), W("KeyError"),
	W("KeyboardInterrupt"), W("LookupError"), W("MemoryError"),
	W("ModuleNotFoundError"), W("NameError"), W("NotImplementedError"),
	W("OSError"), W("OverflowError"), W("RecursionError"), W("RuntimeError"),
	W("StopIteration"), W("SyntaxError"), W("TypeError"),
	W("UnicodeDecodeError"), W("UnicodeEncodeError"), W("ValueError"),
	W("Warning"), W("ZeroDivisionError"),
	{ NULL, 0 }
};

/* Lookup without strlen: lengths are compile-time (this runs per
 * identifier of every visible line). */
static int in_list(const struct word *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i].w; i++)
		if (list[i].n == n && list[i].w[0] == s[0] &&
		    memcmp(list[i].w, s, n) == 0)
			return 1;
	return 0;
}

/* A string prefix (r, b, u, f, rb, br, fr, rf, any case). */
static int is_str_prefix(const char *s, size_t n)
{
	if (n == 0 || n > 2)
		return 0;
	int r = 0, b = 0, u = 0, f = 0;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case 'r': case 'R': r++; break;
		case 'b': case 'B': b++; break;
		case 'u': case 'U': u++; break;
		case 'f': case 'F': f++; break;
		default: return 0;
		}
	}
	if (n == 1)
		return 1;
	return r == 1 && (b == 1 || f == 1);
}

/* Scan a string body from i; `quote` is ' or ", `triple` whether it is a
 * triple-quoted one.  Returns the end (after the closing quotes, or len)
 * and sets *state to what remains open at the end of the line. */
static size_t py_string_body(const char *s, size_t len, size_t i, char quote,
                             int triple, hl_state *state)
{
	while (i < len) {
		char c = s[i];
		if (c == '\\') {
			if (i + 1 >= len) {
				/* Backslash-newline: the string goes on. */
				if (triple)
					*state = quote == '\'' ? PY_TRIPLE_SQ : PY_TRIPLE_DQ;
				else
					*state = quote == '\'' ? PY_CONT_SQ : PY_CONT_DQ;
				return len;
			}
			i += 2;
			continue;
		}
		if (c == quote) {
			if (!triple) {
				*state = PY_NONE;
				return i + 1;
			}
			if (i + 2 < len && s[i + 1] == quote && s[i + 2] == quote) {
				*state = PY_NONE;
				return i + 3;
			}
		}
		i++;
	}
	if (triple)
		*state = quote == '\'' ? PY_TRIPLE_SQ : PY_TRIPLE_DQ;
	else
		*state = PY_NONE;      /* unterminated: a syntax error; stop */
	return len;
}

static void py_line(const char *s, size_t len, hl_state *state,
                    struct spans *sp)
{
	size_t i = 0;
	hl_state st = *state & 7u;
	if (st != PY_NONE) {
		char q = (st == PY_TRIPLE_SQ || st == PY_CONT_SQ) ? '\'' : '"';
		int triple = st == PY_TRIPLE_SQ || st == PY_TRIPLE_DQ;
		i = py_string_body(s, len, 0, q, triple, &st);
		add(sp, 0, i, HL_STRING);
		if (st != PY_NONE) {
			*state = st;
			return;
		}
	}
	int first = 1;              /* at the first token of the line */
	if (i > 0)
		first = 0;
	unsigned char prev = 0;     /* last non-space character */
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (is_space(c)) {
			i++;
			continue;
		}
		size_t start = i;
		if (c == '#') {
			add(sp, i, len, HL_COMMENT);
			i = len;
			break;
		}
		if (first && (c == '%' || c == '!')) {
			/* IPython magic or shell escape: the whole line. */
			add(sp, i, len, HL_MAGIC);
			i = len;
			break;
		}
		if (first && c == '@') {
			i++;
			while (i < len && (is_ident((unsigned char)s[i]) ||
			                   s[i] == '.'))
				i++;
			add(sp, start, i, HL_DECORATOR);
			first = 0;
			prev = 'a';
			continue;
		}
		first = 0;
		if (is_ident_start(c)) {
			while (i < len && is_ident((unsigned char)s[i]))
				i++;
			size_t n = i - start;
			if (i < len && (s[i] == '\'' || s[i] == '"') &&
			    is_str_prefix(s + start, n)) {
				char q = s[i];
				int triple = i + 2 < len && s[i + 1] == q &&
				             s[i + 2] == q;
				i = py_string_body(s, len, i + (triple ? 3 : 1), q,
				                   triple, &st);
				add(sp, start, i, HL_STRING);
				prev = q;
				continue;
			}
			if (prev != '.') {
				if (in_list(py_keywords, s + start, n))
					add(sp, start, i, HL_KEYWORD);
				else if (in_list(py_builtins, s + start, n))
					add(sp, start, i, HL_BUILTIN);
			}
			prev = 'a';
			continue;
		}
		if (is_digit(c) || (c == '.' && i + 1 < len &&
		                    is_digit((unsigned char)s[i + 1]) &&
		                    !is_ident(prev))) {
			int hex = c == '0' && i + 1 < len &&
			          (s[i + 1] == 'x' || s[i + 1] == 'X');
			i++;
			while (i < len) {
				unsigned char d = (unsigned char)s[i];
				if (is_ident(d) || d == '.') {
					i++;
				} else if ((d == '+' || d == '-') && !hex &&
				           (s[i - 1] == 'e' || s[i - 1] == 'E')) {
					i++;
				} else {
					break;
				}
			}
			add(sp, start, i, HL_NUMBER);
			prev = '0';
			continue;
		}
		if (c == '\'' || c == '"') {
			int triple = i + 2 < len && s[i + 1] == (char)c &&
			             s[i + 2] == (char)c;
			i = py_string_body(s, len, i + (triple ? 3 : 1), (char)c,
			                   triple, &st);
			add(sp, start, i, HL_STRING);
			prev = c;
			continue;
		}
		prev = c;
		i++;
	}
	*state = st;
}

/* ---- Markdown ---- */

#define MD_FENCE_CHAR(st) ((st) & 3u)
#define MD_FENCE_LEN(st)  (((st) >> 2) & 0xffu)

/* If s[i..] starts a fence (3+ ` or ~), its length, else 0. */
static size_t md_fence_run(const char *s, size_t len, size_t i, char ch)
{
	size_t n = 0;
	while (i + n < len && s[i + n] == ch)
		n++;
	return n >= 3 ? n : 0;
}

static size_t md_indent(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && i < 4 && s[i] == ' ')
		i++;
	return i;
}

/* Bounds that keep hostile lines linear: a closing delimiter is looked
 * for at most MD_SCAN_MAX bytes ahead, and inline spans only within the
 * first MD_INLINE_MAX bytes of a line (far beyond any visible column). */
#define MD_SCAN_MAX 512
#define MD_INLINE_MAX 8192

static size_t scan_limit(size_t from, size_t len)
{
	return len - from > MD_SCAN_MAX ? from + MD_SCAN_MAX : len;
}

/* Inline spans: `code`, *emphasis*, **strong**, _emphasis_, [links](url),
 * <autolinks>. */
static void md_inline(const char *s, size_t len, size_t i, struct spans *sp)
{
	if (len > MD_INLINE_MAX)
		len = MD_INLINE_MAX;
	while (i < len) {
		char c = s[i];
		if (c == '\\' && i + 1 < len) {
			i += 2;
			continue;
		}
		if (c == '`') {
			size_t run = 0;
			while (i + run < len && s[i + run] == '`')
				run++;
			/* find a closing run of exactly `run` backticks */
			size_t j = i + run;
			size_t close = 0, lim = scan_limit(j, len);
			while (j < lim) {
				if (s[j] == '`') {
					size_t r = 0;
					while (j + r < len && s[j + r] == '`')
						r++;
					if (r == run) {
						close = j + r;
						break;
					}
					j += r;
				} else {
					j++;
				}
			}
			if (close) {
				add(sp, i, close, HL_MD_CODE);
				i = close;
			} else {
				i += run;
			}
			continue;
		}
		if (c == '*' || c == '_') {
			size_t run = 0;
			while (i + run < len && s[i + run] == c)
				run++;
			size_t body = i + run;
			int left_ok = body < len && !is_space((unsigned char)s[body]);
			if (c == '_' && i > 0 && is_ident((unsigned char)s[i - 1]))
				left_ok = 0;        /* snake_case */
			if (!left_ok || run > 3) {
				i += run;
				continue;
			}
			/* closing run: same char, same length, after non-space */
			size_t j = body, end = 0, lim = scan_limit(body, len);
			while (j < lim) {
				if (s[j] == '\\' && j + 1 < len) {
					j += 2;
					continue;
				}
				if (s[j] == c) {
					size_t r = 0;
					while (j + r < len && s[j + r] == c)
						r++;
					int right_ok = r == run &&
					               !is_space((unsigned char)s[j - 1]);
					if (c == '_' && j + r < len &&
					    is_ident((unsigned char)s[j + r]))
						right_ok = 0;
					if (right_ok) {
						end = j + r;
						break;
					}
					j += r;
					continue;
				}
				j++;
			}
			if (end) {
				add(sp, i, end, HL_MD_EMPHASIS);
				i = end;
			} else {
				i += run;
			}
			continue;
		}
		if (c == '[' || (c == '!' && i + 1 < len && s[i + 1] == '[')) {
			size_t j = i + (c == '!' ? 2 : 1);
			size_t lim = scan_limit(j, len);
			int depth = 1;
			while (j < lim && depth) {
				if (s[j] == '\\' && j + 1 < len)
					j++;
				else if (s[j] == '[')
					depth++;
				else if (s[j] == ']')
					depth--;
				j++;
			}
			if (!depth && j < len && s[j] == '(') {
				size_t k = j + 1, klim = scan_limit(k, len);
				while (k < klim && s[k] != ')')
					k++;
				if (k < klim) {
					add(sp, i, k + 1, HL_MD_LINK);
					i = k + 1;
					continue;
				}
			}
			i++;
			continue;
		}
		if (c == '<') {
			size_t j = i + 1, lim = scan_limit(j, len);
			while (j < lim && s[j] != '>' && s[j] != ' ' && s[j] != '<')
				j++;
			if (j < lim && s[j] == '>' && memchr(s + i, ':', j - i)) {
				add(sp, i, j + 1, HL_MD_LINK);
				i = j + 1;
				continue;
			}
		}
		i++;
	}
}

static void md_line(const char *s, size_t len, hl_state *state,
                    struct spans *sp)
{
	hl_state st = *state;
	size_t ind = md_indent(s, len);
	if (MD_FENCE_CHAR(st)) {
		char ch = MD_FENCE_CHAR(st) == 1 ? '`' : '~';
		add(sp, 0, len, HL_MD_CODE);
		if (ind < 4) {
			size_t run = md_fence_run(s, len, ind, ch);
			size_t k = ind + run;
			while (k < len && is_space((unsigned char)s[k]))
				k++;
			if (run >= MD_FENCE_LEN(st) && k == len)
				st = 0;                      /* closing fence */
		}
		*state = st;
		return;
	}
	if (ind < 4 && ind < len && (s[ind] == '`' || s[ind] == '~')) {
		char ch = s[ind];
		size_t run = md_fence_run(s, len, ind, ch);
		if (run && !(ch == '`' && memchr(s + ind + run, '`',
		                                 len - ind - run))) {
			if (run > 255)
				run = 255;
			*state = (hl_state)((ch == '`' ? 1u : 2u) | (run << 2));
			add(sp, 0, len, HL_MD_CODE);
			return;
		}
	}
	*state = 0;
	if (ind < 4 && ind < len && s[ind] == '#') {
		size_t n = 0;
		while (ind + n < len && s[ind + n] == '#')
			n++;
		if (n <= 6 && (ind + n == len || is_space((unsigned char)s[ind + n]))) {
			add(sp, 0, len, HL_MD_HEADING);
			return;
		}
	}
	if (ind < 4 && ind < len && s[ind] == '>') {
		add(sp, 0, len, HL_MD_QUOTE);
		return;
	}
	md_inline(s, len, ind, sp);
}

/* ---- API ---- */

size_t highlight_line(enum hl_lang lang, const char *line, size_t len,
                      hl_state *state, struct hl_span *out, size_t cap)
{
	struct spans sp = { out, cap, 0 };
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	switch (lang) {
	case HL_LANG_PYTHON:
		py_line(line, len, state, &sp);
		break;
	case HL_LANG_MARKDOWN:
		md_line(line, len, state, &sp);
		break;
	case HL_LANG_PLAIN:
	default:
		*state = HL_STATE_INIT;
		break;
	}
	return sp.n;
}

enum hl_class highlight_class_at(const struct hl_span *spans, size_t n,
                                 size_t off)
{
	size_t a = 0, b = n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (off < spans[m].start)
			b = m;
		else if (off >= (size_t)spans[m].start + spans[m].len)
			a = m + 1;
		else
			return spans[m].cls;
	}
	return HL_TEXT;
}

const char *highlight_class_name(enum hl_class c)
{
	static const char *const names[] = {
#define HL_CLASS_NAME(name, str) str,
		HL_CLASS_INFO(HL_CLASS_NAME)
#undef HL_CLASS_NAME
	};
	if ((unsigned)c >= HL_CLASS_COUNT)
		return "?";
	return names[c];
}

enum hl_lang highlight_lang_for(const char *cell_type)
{
	if (!cell_type)
		return HL_LANG_PLAIN;
	if (strcmp(cell_type, "code") == 0)
		return HL_LANG_PYTHON;
	if (strcmp(cell_type, "markdown") == 0)
		return HL_LANG_MARKDOWN;
	return HL_LANG_PLAIN;
}
