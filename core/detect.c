/* detect.c - exercise cell detection (see detect.h for the rules). */
#include "detect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char *const builtin_patterns[] = {
	"YOUR CODE HERE",
	"# your * here",
	"YOUR ANSWER HERE",
	"raise NotImplementedError",
	"BEGIN SOLUTION",
	"# TODO",
};

static const char *const builtin_heading_words[] = {
	"exercise", "problem", "task", "practice", "challenge",
};

/* Words that mark a heading or paragraph as a demonstration, not an
 * exercise to complete. */
static const char *const negative_words[] = {
	"example", "examples", "demo", "demos", "demonstration",
	"solution", "solutions",
};

struct pattern {
	const char *orig;       /* as configured (owned copy) */
	char *pat;              /* normalised, lowercase */
	bool word_start, word_end;
};

struct detector {
	struct pattern *patterns;
	size_t npatterns;
	char **words;           /* heading words, lowercase */
	size_t nwords;
	/* first_ok[c]: some pattern can start with byte c (either case, so the
	 * per-byte test of detect_placeholder needs no case folding) */
	bool first_ok[256];
	char *strings;          /* one block holding all copies */
};

const char *detect_reason_name(enum detect_reason r)
{
	static const char *const names[] = {
#define DETECT_REASON_NAME(e, name) name,
		DETECT_REASON_INFO(DETECT_REASON_NAME)
#undef DETECT_REASON_NAME
	};
	return (unsigned)r < DETECT_REASON_COUNT ? names[r] : "?";
}

static unsigned char lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

/* The next run of letters in [*p, end): *w and *n get it, *p moves past
 * it.  False when there is none. */
static bool next_word(const char **p, const char *end, const char **w,
                      size_t *n)
{
	const char *q = *p;
	while (q < end && !is_alpha((unsigned char)*q))
		q++;
	if (q >= end)
		return false;
	*w = q;
	while (q < end && is_alpha((unsigned char)*q))
		q++;
	*n = (size_t)(q - *w);
	*p = q;
	return true;
}

/* c is one of the characters of set (never true for NUL). */
static bool in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* ---- building ---------------------------------------------------------- */

void detector_free(struct detector **det)
{
	if (!det || !*det)
		return;
	free((*det)->patterns);
	free((*det)->words);
	free((*det)->strings);
	free(*det);
	*det = NULL;
}

/* Normalise a pattern into out (room for strlen(in)+1): lowercase, runs of
 * blanks one space, leading/trailing blanks and stars dropped (they mean
 * nothing in a substring search), runs of stars one star. */
static void normalise(const char *in, char *out)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		unsigned char c = lc(*p);
		if (is_blank(c))
			c = ' ';
		if ((c == ' ' || c == '*') && n == 0)
			continue;
		if (c == ' ' && out[n - 1] == ' ')
			continue;
		if (c == '*' && out[n - 1] == '*')
			continue;
		out[n++] = (char)c;
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '*'))
		n--;
	out[n] = '\0';
}

enum ct_status detector_new(const struct ct_config *cfg, struct detector **out,
                            struct ct_error *err)
{
	const char *const *pats = builtin_patterns;
	size_t npats = COUNT(builtin_patterns);
	const char *const *extra = NULL;
	size_t nextra = 0;
	const char *const *words = builtin_heading_words;
	size_t nwords = COUNT(builtin_heading_words);
	struct detector *d;

	*out = NULL;
	if (cfg && (cfg->exercise_patterns || cfg->nexercise_patterns)) {
		pats = cfg->exercise_patterns;
		npats = cfg->nexercise_patterns;
	}
	if (cfg && cfg->extra_exercise_patterns) {
		extra = cfg->extra_exercise_patterns;
		nextra = cfg->nextra_exercise_patterns;
	}
	if (cfg && cfg->heading_words) {
		words = cfg->heading_words;
		nwords = cfg->nheading_words;
	}

	size_t bytes = 0;
	for (size_t i = 0; i < npats; i++)
		bytes += 2 * (strlen(pats[i]) + 1);
	for (size_t i = 0; i < nextra; i++)
		bytes += 2 * (strlen(extra[i]) + 1);
	for (size_t i = 0; i < nwords; i++)
		bytes += strlen(words[i]) + 1;

	d = calloc(1, sizeof *d);
	if (!d)
		goto fail;
	d->patterns = calloc(npats + nextra + 1, sizeof *d->patterns);
	d->words = calloc(nwords + 1, sizeof *d->words);
	d->strings = malloc(bytes + 1);
	if (!d->patterns || !d->words || !d->strings)
		goto fail;

	char *s = d->strings;
	for (size_t i = 0; i < npats + nextra; i++) {
		const char *src = i < npats ? pats[i] : extra[i - npats];
		if (!src)
			continue;
		size_t len = strlen(src);
		struct pattern *p = &d->patterns[d->npatterns];
		p->orig = memcpy(s, src, len + 1);
		s += len + 1;
		p->pat = s;
		normalise(src, s);
		s += len + 1;
		if (!p->pat[0])
			continue;       /* empty pattern: ignored */
		size_t pl = strlen(p->pat);
		p->word_start = is_alnum((unsigned char)p->pat[0]);
		p->word_end = is_alnum((unsigned char)p->pat[pl - 1]);
		unsigned char f = (unsigned char)p->pat[0];
		d->first_ok[f] = true;
		if (f >= 'a' && f <= 'z')
			d->first_ok[f - 'a' + 'A'] = true;
		d->npatterns++;
	}
	for (size_t i = 0; i < nwords; i++) {
		if (!words[i] || !words[i][0])
			continue;
		size_t len = strlen(words[i]);
		for (size_t k = 0; k <= len; k++)
			s[k] = (char)lc((unsigned char)words[i][k]);
		d->words[d->nwords++] = s;
		s += len + 1;
	}
	*out = d;
	return CT_OK;
fail:
	detector_free(&d);
	return ct_error_set(err, CT_NOMEM, NULL, "out of memory");
}

/* ---- placeholders ------------------------------------------------------ */

/* Match pattern p at s (line ends at end).  Returns the end of the match or
 * NULL.  `*` backtracks; blanks in the pattern match any run of blanks. */
static const unsigned char *match_here(const unsigned char *p,
                                       const unsigned char *s,
                                       const unsigned char *end,
                                       bool word_end)
{
	for (;;) {
		if (*p == '\0') {
			if (word_end && s < end && is_alnum(*s))
				return NULL;
			return s;
		}
		if (*p == '*') {
			p++;
			for (const unsigned char *t = s; t <= end; t++) {
				const unsigned char *r = match_here(p, t, end,
				                                    word_end);
				if (r)
					return r;
			}
			return NULL;
		}
		if (*p == ' ') {
			/* After a letter or digit at least one blank ("your *"
			 * must not match "yours"); elsewhere blanks are optional
			 * ("# TODO" matches "#TODO"). */
			bool need = is_alnum(p[-1]);
			p++;
			if (need && (s >= end || !is_blank(*s)))
				return NULL;
			while (s < end && is_blank(*s))
				s++;
			continue;
		}
		if (s >= end || lc(*s) != *p)
			return NULL;
		s++;
		p++;
	}
}

bool detect_placeholder(const struct detector *det, const char *src,
                        size_t len, const char **pattern)
{
	const unsigned char *s = (const unsigned char *)src;
	const unsigned char *end = s + len;
	const unsigned char *line_end = NULL;

	if (pattern)
		*pattern = NULL;
	if (!det || det->npatterns == 0)
		return false;
	for (const unsigned char *p = s; p < end; p++) {
		if (!det->first_ok[*p])
			continue;
		if (!line_end || line_end < p) {
			line_end = memchr(p, '\n', (size_t)(end - p));
			if (!line_end)
				line_end = end;
		}
		bool boundary = p == s || !is_alnum(p[-1]);
		for (size_t i = 0; i < det->npatterns; i++) {
			const struct pattern *pt = &det->patterns[i];
			if ((unsigned char)pt->pat[0] != lc(*p))
				continue;
			if (pt->word_start && !boundary)
				continue;
			if (match_here((const unsigned char *)pt->pat, p,
			               line_end, pt->word_end)) {
				if (pattern)
					*pattern = pt->orig;
				return true;
			}
		}
	}
	return false;
}

/* ---- stub bodies ------------------------------------------------------- */

struct line {
	const char *start, *end;        /* without the line break */
	const char *text;               /* first non-blank */
	size_t indent;
};

static bool next_line(const char **pos, const char *end, struct line *l)
{
	const char *p = *pos;
	if (p >= end)
		return false;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *e = nl ? nl : end;
	l->start = p;
	while (e > p && (e[-1] == '\r' || is_blank((unsigned char)e[-1])))
		e--;
	l->end = e;
	l->indent = 0;
	const char *t = p;
	for (; t < e && is_blank((unsigned char)*t); t++)
		l->indent += *t == '\t' ? 8 - l->indent % 8 : 1;
	l->text = t;
	*pos = nl ? nl + 1 : end;
	return true;
}

static bool line_blank(const struct line *l)
{
	return l->text >= l->end || *l->text == '#';
}

static bool starts_word(const char *t, const char *end, const char *w)
{
	size_t n = strlen(w);
	return (size_t)(end - t) >= n && memcmp(t, w, n) == 0 &&
	       ((size_t)(end - t) == n ||
	        (!is_alnum((unsigned char)t[n]) && t[n] != '_'));
}

/* `pass` or `...` alone (a comment or `;` may follow). */
static bool is_stub_stmt(const char *t, const char *end)
{
	const char *q;
	if (starts_word(t, end, "pass"))
		q = t + 4;
	else if ((size_t)(end - t) >= 3 && memcmp(t, "...", 3) == 0)
		q = t + 3;
	else
		return false;
	while (q < end && (is_blank((unsigned char)*q) || *q == ';'))
		q++;
	return q == end || *q == '#';
}

/* Start of a string literal (optional r/u/b/f prefix): the quote, or NULL. */
static const char *string_start(const char *t, const char *end)
{
	const char *q = t;
	while (q < end && q - t < 2 && in_set(*q, "rRuUbBfF"))
		q++;
	return q < end && (*q == '"' || *q == '\'') ? q : NULL;
}

/* Skip a docstring starting at line l; *pos is after l.  Returns false when
 * l is not a string statement. */
static bool skip_docstring(const struct line *l, const char **pos,
                           const char *end)
{
	const char *q = string_start(l->text, l->end);
	if (!q)
		return false;
	if ((size_t)(l->end - q) >= 3 && q[1] == q[0] && q[2] == q[0]) {
		char delim[4] = { q[0], q[0], q[0], '\0' };
		const char *body = q + 3;
		const char *close = memmem(body, (size_t)(end - body), delim, 3);
		if (!close) {
			*pos = end;
			return true;
		}
		if (close + 3 <= l->end)
			return true;    /* closed on the same line */
		/* continue after the line holding the closing quotes */
		const char *nl = memchr(close, '\n', (size_t)(end - close));
		*pos = nl ? nl + 1 : end;
		return true;
	}
	return true;    /* one-line string */
}

/* Header keyword at the start of a logical line. */
static bool is_block_header(const char *t, const char *end)
{
	if (starts_word(t, end, "async")) {
		t += 5;
		while (t < end && is_blank((unsigned char)*t))
			t++;
	}
	return starts_word(t, end, "def") || starts_word(t, end, "for") ||
	       starts_word(t, end, "while");
}

/* Bytes and lines a def/for/while header may span.  An unbalanced bracket
 * must not make every header scan the rest of the cell (quadratic); with
 * these caps the work per header is bounded by a constant times its line
 * length, so the scan stays linear. */
#define HEADER_MAX_BYTES 1024
#define HEADER_MAX_LINES 16

/* Find the header's colon (bracket depth 0, outside strings) from t; may
 * run over several lines.  Returns the colon or NULL. */
static const char *header_colon(const char *t, const char *end)
{
	int depth = 0, lines = 0;
	if (end - t > HEADER_MAX_BYTES)
		end = t + HEADER_MAX_BYTES;
	for (const char *p = t; p < end; p++) {
		char c = *p;
		if (c == '#') {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				return NULL;
			p = nl;
		} else if (c == '"' || c == '\'') {
			const char *q = p + 1;
			while (q < end && *q != c && *q != '\n')
				q += *q == '\\' ? 2 : 1;
			p = q < end ? q : end - 1;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
		} else if (c == ':' && depth <= 0) {
			return p;
		} else if (c == '\n') {
			if ((depth <= 0 && p[-1] != '\\') ||
			    ++lines >= HEADER_MAX_LINES)
				return NULL;
		}
	}
	return NULL;
}

static bool block_is_stub(const struct line *hdr, const char *end)
{
	const char *colon = header_colon(hdr->text, end);
	if (!colon)
		return false;
	const char *eol = memchr(colon, '\n', (size_t)(end - colon));
	const char *le = eol ? eol : end;
	const char *q = colon + 1;
	while (q < le && (is_blank((unsigned char)*q) || *q == '\r'))
		q++;
	const char *qe = le;
	while (qe > q && (qe[-1] == '\r' || is_blank((unsigned char)qe[-1])))
		qe--;
	if (q < qe && *q != '#')
		return is_stub_stmt(q, qe);     /* `def f(): pass` */

	const char *pos = eol ? eol + 1 : end;
	struct line l;
	bool first = true, stub = false;
	while (next_line(&pos, end, &l)) {
		if (line_blank(&l))
			continue;
		if (l.indent <= hdr->indent)
			break;
		if (first && skip_docstring(&l, &pos, end)) {
			first = false;
			continue;
		}
		first = false;
		if (!is_stub_stmt(l.text, l.end))
			return false;
		stub = true;
	}
	return stub;
}

bool detect_stub_body(const char *src, size_t len)
{
	const char *pos = src, *end = src + len;
	struct line l;
	while (next_line(&pos, end, &l)) {
		if (line_blank(&l) || !is_block_header(l.text, l.end))
			continue;
		if (block_is_stub(&l, end))
			return true;
	}
	return false;
}

/* ---- markdown context -------------------------------------------------- */

struct mdstate {
	bool exercise;          /* names an exercise */
	bool negative;          /* a demonstration paragraph */
	bool instruction;       /* asks to change the code cell below */
	char number[DETECT_NUMBER_MAX];
};

static void state_clear(struct mdstate *s)
{
	s->exercise = false;
	s->negative = false;
	s->instruction = false;
	s->number[0] = '\0';
}

/* Parse a number token at t: digits with .- separated digit groups and an
 * optional lone letter, or a lone uppercase letter.  Writes the kebab form
 * into num; returns false when there is none. */
static bool parse_number(const char *t, const char *end, char *num)
{
	size_t n = 0;
	const char *p = t;
	if (p < end && is_digit((unsigned char)*p)) {
		for (;;) {
			while (p < end && is_digit((unsigned char)*p)) {
				if (n + 1 >= DETECT_NUMBER_MAX)
					return false;
				num[n++] = *p++;
			}
			if (p + 1 < end && (*p == '.' || *p == '-') &&
			    is_digit((unsigned char)p[1])) {
				if (n + 1 >= DETECT_NUMBER_MAX)
					return false;
				num[n++] = '-';
				p++;
				continue;
			}
			break;
		}
		if (p < end && is_alpha((unsigned char)*p) &&
		    (p + 1 >= end || !is_alnum((unsigned char)p[1])) &&
		    n + 1 < DETECT_NUMBER_MAX)
			num[n++] = (char)lc((unsigned char)*p);
		num[n] = '\0';
		return true;
	}
	if (p < end && *p >= 'A' && *p <= 'Z' &&
	    (p + 1 >= end || !is_alnum((unsigned char)p[1]))) {
		num[0] = (char)lc((unsigned char)*p);
		num[1] = '\0';
		return true;
	}
	return false;
}

/* Skip markup before text: blanks, emphasis, quotes, list markers, HTML
 * tags. */
static const char *skip_markup(const char *t, const char *end, bool lists)
{
	for (;;) {
		const char *start = t;
		while (t < end && (is_blank((unsigned char)*t) || *t == '*' ||
		                   *t == '_' || *t == '>' || *t == '~' ||
		                   *t == '`'))
			t++;
		if (t < end && *t == '<') {
			const char *gt = memchr(t, '>', (size_t)(end - t));
			if (gt && gt - t < 200 && (is_alpha((unsigned char)t[1]) ||
			                            t[1] == '/')) {
				t = gt + 1;
				continue;
			}
		}
		if (lists && t < end && (*t == '-' || *t == '+') && t + 1 < end &&
		    is_blank((unsigned char)t[1])) {
			t += 2;
			continue;
		}
		if (t == start)
			return t;
	}
}

/* Is [w, w+n) one of the words (optionally plural)? */
static bool word_in(const char *w, size_t n, const char *const *list,
                    size_t count)
{
	for (size_t i = 0; i < count; i++) {
		/* first letter first: most words of a text start differently */
		if (!n || lc((unsigned char)w[0]) != list[i][0])
			continue;
		size_t l = strlen(list[i]);
		if ((n == l || (n == l + 1 && lc((unsigned char)w[l]) == 's')) &&
		    strncasecmp(w, list[i], l) == 0)
			return true;
	}
	return false;
}

/* Number after a heading word ending at p: skip blanks, markup, '#', then
 * parse. */
static void number_after(const char *p, const char *end, char *num)
{
	while (p < end && (is_blank((unsigned char)*p) || *p == '*' ||
	                   *p == '_' || *p == '#'))
		p++;
	if (!parse_number(p, end, num))
		num[0] = '\0';
}

/* Heading text: does it name an exercise, and which number? */
static void parse_heading(const struct detector *d, const char *t,
                          const char *end, struct mdstate *st)
{
	bool found = false, negative = false;
	const char *p = t, *w;
	size_t n;
	state_clear(st);
	while (next_word(&p, end, &w, &n)) {
		if (word_in(w, n, negative_words, COUNT(negative_words))) {
			negative = true;
		} else if (!found && word_in(w, n, (const char *const *)d->words,
		                             d->nwords)) {
			found = true;
			number_after(p, end, st->number);
		}
	}
	st->exercise = found && !negative;
	if (!found) {
		/* "# 5a.", "## 2) Loops": a numbered section. */
		const char *q = skip_markup(t, end, false);
		char num[DETECT_NUMBER_MAX];
		if (parse_number(q, end, num) && is_digit((unsigned char)*q)) {
			const char *after = q;
			while (after < end && (is_alnum((unsigned char)*after) ||
			                       *after == '.' || *after == '-'))
				after++;
			/* "1." "1)" "1:" "1 Intro" or the end */
			if (after == end || is_blank((unsigned char)after[-1]) ||
			    in_set(after[-1], ".):") || is_blank((unsigned char)*after) ||
			    in_set(*after, ".):"))
				strcpy(st->number, num);
		}
	}
}

/* A paragraph start: does it begin with a heading word (exercise) or a
 * negative word (demonstration)? */
static void parse_paragraph(const struct detector *d, const char *t,
                            const char *end, struct mdstate *st)
{
	t = skip_markup(t, end, true);
	/* "1. ", "2) " list numbers */
	const char *q = t;
	while (q < end && is_digit((unsigned char)*q))
		q++;
	if (q > t && q + 1 < end && (*q == '.' || *q == ')') &&
	    is_blank((unsigned char)q[1]))
		t = skip_markup(q + 1, end, true);

	const char *w = t;
	while (t < end && is_alpha((unsigned char)*t))
		t++;
	size_t n = (size_t)(t - w);
	if (n == 0)
		return;
	if (word_in(w, n, negative_words, COUNT(negative_words)) ||
	    (n == 3 && strncasecmp(w, "for", 3) == 0 && end - t > 8 &&
	     strncasecmp(t + 1, "example", 7) == 0)) {
		st->negative = true;
		st->exercise = false;
		return;
	}
	if (!word_in(w, n, (const char *const *)d->words, d->nwords))
		return;
	/* The word must be a label: followed by a number, punctuation or the
	 * end of the line, not by more prose ("Practice makes perfect"). */
	const char *p = t;
	while (p < end && (is_blank((unsigned char)*p) || *p == '*' ||
	                   *p == '_'))
		p++;
	bool label = p == end || is_digit((unsigned char)*p) ||
	             in_set(*p, ":.)#(-") || (unsigned char)*p == 0xe2 ||
	             (*p >= 'A' && *p <= 'Z' &&
	              (p + 1 == end || !is_alnum((unsigned char)p[1])));
	if (!label)
		return;
	st->exercise = true;
	st->negative = false;
	number_after(t, end, st->number);
}

/* ---- instructions ("Modify the definition in the cell below") ---------- */

static const char *const task_verbs[] = {
	"write", "complete", "fill", "implement", "define", "modify", "fix",
	"change", "replace", "rewrite", "finish", "edit",
};
/* A sentence with one of these shows or runs code rather than asks for it:
 * "In the code cell below, we run...", "Let's define...", "Run the cell
 * below". */
static const char *const not_task_words[] = {
	"we", "let", "run", "example", "demo", "here",
};

static bool word_is(const char *w, size_t n, const char *const *list,
                    size_t count)
{
	if (!n)
		return false;
	for (size_t i = 0; i < count; i++)
		if (lc((unsigned char)w[0]) == list[i][0] && strlen(list[i]) == n &&
		    strncasecmp(w, list[i], n) == 0)
			return true;
	return false;
}

#define WORD_IS(w, n, lit) ((n) == sizeof(lit) - 1 && \
                            strncasecmp((w), (lit), (n)) == 0)

/* Does the sentence [t, end) ask the student to change the code cell below:
 * a task verb and "cell/code/block below" or "following cell/code/block",
 * without a word that marks a demonstration? */
static bool sentence_instructs(const char *t, const char *end)
{
	bool verb = false, ref = false;
	const char *prev = NULL, *prev2 = NULL, *p = t, *w;
	size_t prevn = 0, prev2n = 0, n;
	while (next_word(&p, end, &w, &n)) {
		if (word_is(w, n, not_task_words, COUNT(not_task_words)))
			return false;
		if (word_is(w, n, task_verbs, COUNT(task_verbs)))
			verb = true;
		bool thing = WORD_IS(w, n, "cell") || WORD_IS(w, n, "code") ||
		             WORD_IS(w, n, "block");
		if (thing && ((prev && WORD_IS(prev, prevn, "following")) ||
		              (prev2 && WORD_IS(prev2, prev2n, "following"))))
			ref = true;
		if (WORD_IS(w, n, "below") && prev &&
		    (WORD_IS(prev, prevn, "cell") || WORD_IS(prev, prevn, "code") ||
		     WORD_IS(prev, prevn, "block")))
			ref = true;
		prev2 = prev;
		prev2n = prevn;
		prev = w;
		prevn = n;
	}
	return verb && ref;
}

/* Does [t, end) hold "below" or "following", in any case?  One pass:
 * the line is usually prose of a few dozen bytes. */
static bool mentions_below(const char *t, const char *end)
{
	for (; end - t >= 5; t++) {
		unsigned char c = (unsigned char)(*t | 0x20);
		if (c == 'b' && strncasecmp(t, "below", 5) == 0)
			return true;
		if (c == 'f' && end - t >= 9 && strncasecmp(t, "following", 9) == 0)
			return true;
	}
	return false;
}

/* Any sentence of the line instructs?  A sentence that instructs names
 * "below" or "following"; testing for them first skips the word-by-word
 * reading of nearly every line (it was a tenth of a course scan). */
static bool line_instructs(const char *t, const char *end)
{
	if (!mentions_below(t, end))
		return false;
	const char *s = t;
	for (const char *p = t; p <= end; p++) {
		bool stop = p == end ||
		            ((*p == '.' || *p == '!' || *p == '?' || *p == ';') &&
		             (p + 1 == end || is_blank((unsigned char)p[1])));
		if (!stop)
			continue;
		if (sentence_instructs(s, p))
			return true;
		s = p + 1;
	}
	return false;
}

/* ATX heading ("## text") or HTML heading ("<h2>text"): text start. */
static const char *heading_text(const struct line *l)
{
	const char *t = l->text;
	if (l->indent > 3)
		return NULL;
	if (t < l->end && *t == '#') {
		const char *p = t;
		while (p < l->end && *p == '#')
			p++;
		if (p - t > 6 || (p < l->end && !is_blank((unsigned char)*p)))
			return NULL;
		return p;
	}
	if (l->end - t >= 4 && t[0] == '<' && (t[1] == 'h' || t[1] == 'H') &&
	    t[2] >= '1' && t[2] <= '6' && (t[3] == '>' || t[3] == ' '))
		return t;       /* tags are skipped by the parsers */
	return NULL;
}

/* Update the section (nearest heading) and local (nearest markdown run)
 * states from one markdown cell. */
static void scan_markdown(const struct detector *d, const struct nb_cell *c,
                          struct mdstate *section, struct mdstate *local)
{
	const char *pos = c->source, *end = c->source + c->source_len;
	struct line l;
	bool para_start = true;
	bool in_fence = false;
	while (next_line(&pos, end, &l)) {
		if (l.text >= l.end) {
			para_start = true;
			continue;
		}
		if (l.end - l.text >= 3 && (memcmp(l.text, "```", 3) == 0 ||
		                            memcmp(l.text, "~~~", 3) == 0)) {
			in_fence = !in_fence;
			para_start = false;
			continue;
		}
		if (in_fence)
			continue;
		const char *h = heading_text(&l);
		if (h) {
			parse_heading(d, h, l.end, section);
			state_clear(local);
			para_start = true;
			continue;
		}
		if (para_start)
			parse_paragraph(d, l.text, l.end, local);
		if (line_instructs(l.text, l.end))
			local->instruction = true;
		para_start = false;
	}
}

void detect_notebook(const struct detector *det, const struct notebook *nb,
                     struct detect_result *out)
{
	struct mdstate section, local;
	bool prev_markdown = false;
	bool first_code = false;        /* first code cell after markdown */

	state_clear(&section);
	state_clear(&local);
	if (nb->partial) {
		memset(out, 0, nb->ncells * sizeof *out);
		return;
	}
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		struct detect_result *r = &out[i];
		r->is_exercise = false;
		r->reason = DETECT_NONE;
		r->pattern = NULL;
		r->number[0] = '\0';

		if (c->kind == NB_MARKDOWN) {
			if (!prev_markdown)
				state_clear(&local);
			scan_markdown(det, c, &section, &local);
			prev_markdown = true;
			continue;
		}
		first_code = prev_markdown;
		prev_markdown = false;
		if (c->kind != NB_CODE)
			continue;

		if (local.exercise && local.number[0])
			strcpy(r->number, local.number);
		else
			strcpy(r->number, section.number);

		if (c->nbgrader && c->nbgrader->solution)
			r->reason = DETECT_NBGRADER_SOLUTION;
		else if (c->nbgrader && c->nbgrader->grade)
			r->reason = DETECT_NBGRADER_GRADE;
		else if (detect_placeholder(det, c->source, c->source_len,
		                            &r->pattern))
			r->reason = DETECT_PLACEHOLDER;
		else if (detect_stub_body(c->source, c->source_len))
			r->reason = DETECT_STUB_BODY;
		else if (local.negative)
			r->reason = DETECT_NONE;
		else if (local.exercise)
			r->reason = DETECT_PARAGRAPH;
		else if (section.exercise)
			r->reason = DETECT_HEADING;
		else if (local.instruction && first_code)
			r->reason = DETECT_INSTRUCTION;
		r->is_exercise = r->reason != DETECT_NONE;
	}
}

enum ct_status detect_notebook_alloc(const struct detector *det,
                                     const struct ct_config *cfg,
                                     const struct notebook *nb,
                                     struct detect_result **out,
                                     struct ct_error *err)
{
	struct detector *owned = NULL;
	enum ct_status st;

	*out = NULL;
	if ((st = notebook_require_whole(nb, err)) != CT_OK)
		return st;
	if (!det) {
		if ((st = detector_new(cfg, &owned, err)) != CT_OK)
			return st;
		det = owned;
	}
	*out = calloc(nb->ncells ? nb->ncells : 1, sizeof **out);
	if (*out)
		detect_notebook(det, nb, *out);
	detector_free(&owned);
	if (!*out)
		return ct_error_set(err, CT_NOMEM, NULL, "out of memory");
	return CT_OK;
}
