/* lesson.c - lesson of a notebook from its name, tags or options. */
#include "lesson.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

#define SLUG_MAX 40

const char *lesson_source_name(enum lesson_source src)
{
	switch (src) {
	case LESSON_FROM_OPTION: return "--lesson";
	case LESSON_FROM_CONFIG: return "config";
	case LESSON_FROM_TAGS: return "tags";
	case LESSON_FROM_NAME: return "file name";
	case LESSON_FALLBACK: return "fallback";
	}
	return "?";
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Format "lesson-<NN>[x]" from the digits at s (n of them) and an
 * optional letter (0 for none). */
static bool format_number(const char *s, size_t n, char letter, char *buf,
                          size_t size)
{
	while (n > 1 && *s == '0') {
		s++;
		n--;
	}
	if (n > 18)
		return false;
	char num[24];
	memcpy(num, s, n);
	num[n] = '\0';
	int w = snprintf(buf, size, "lesson-%s%s", n < 2 ? "0" : "", num);
	if (w < 0 || (size_t)w + 2 > size)
		return false;
	if (letter) {
		buf[w] = lower(letter);
		buf[w + 1] = '\0';
	}
	return true;
}

/* Number at s (digits then an optional lone letter) into buf. */
static bool number_at(const char *s, const char *end, char *buf, size_t size)
{
	size_t n = 0;
	while (s + n < end && is_digit(s[n]))
		n++;
	if (n == 0)
		return false;
	char letter = 0;
	if (s + n < end && is_alpha(s[n]) &&
	    (s + n + 1 >= end || !is_alpha(s[n + 1])))
		letter = s[n];
	return format_number(s, n, letter, buf, size);
}

/* [s, end) is a number and nothing else: digits, then at most one letter. */
static bool only_number(const char *s, const char *end)
{
	const char *p = s;
	while (p < end && is_digit(*p))
		p++;
	return p > s && (p == end || (p + 1 == end && is_alpha(*p)));
}

/* Kebab slug of [s, end): ASCII letters and digits lowercased, runs of
 * anything else one hyphen. */
static size_t slugify(const char *s, const char *end, char *out, size_t max)
{
	size_t n = 0;
	bool hyphen = false;
	for (; s < end && n < max; s++) {
		if (is_alpha(*s) || is_digit(*s)) {
			if (hyphen && n > 0 && n + 1 < max)
				out[n++] = '-';
			hyphen = false;
			out[n++] = lower(*s);
		} else {
			hyphen = true;
		}
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	return n;
}

/* Find "lesson" (any case) followed by separators and a number. */
static bool after_word(const char *s, const char *end, const char *word,
                       char *buf, size_t size)
{
	size_t wl = strlen(word);
	for (const char *p = s; p + wl <= end; p++) {
		if (strncasecmp(p, word, wl) != 0)
			continue;
		if (p > s && is_alpha(p[-1]))
			continue;
		const char *q = p + wl;
		while (q < end && (*q == ' ' || *q == '_' || *q == '-' ||
		                   *q == '.'))
			q++;
		if (q < end && is_digit(*q))
			return number_at(q, end, buf, size);
	}
	return false;
}

bool lesson_from_path(const char *path, char *buf, size_t size)
{
	if (!buf || size == 0)
		return false;
	buf[0] = '\0';
	if (!path)
		path = "";
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *end = base + strlen(base);
	const char *dot = strrchr(base, '.');
	if (dot && dot > base)
		end = dot;

	if (after_word(base, end, "lesson", buf, size))
		return true;
	const char *p = base;
	while (p < end && *p == ' ')
		p++;
	if (p < end && is_digit(*p) && number_at(p, end, buf, size))
		return true;
	for (p = base; p < end; p++)
		if (is_digit(*p))
			return number_at(p, end, buf, size);

	char slug[SLUG_MAX + 1];
	if (slugify(base, end, slug, SLUG_MAX) == 0)
		strcpy(slug, "x");
	snprintf(buf, size, "lesson-%s", slug);
	return false;
}

bool lesson_normalize(const char *in, char *buf, size_t size)
{
	if (!buf || size == 0)
		return false;
	buf[0] = '\0';
	if (!in)
		return false;
	const char *end = in + strlen(in);
	while (in < end && (*in == ' ' || *in == '\t'))
		in++;
	while (end > in && (end[-1] == ' ' || end[-1] == '\t'))
		end--;

	/* "3", "06a": a bare number. */
	if (only_number(in, end))
		return number_at(in, end, buf, size);
	/* "lesson 6a", "Lesson_03": the word then only the number. */
	if (end - in > 6 && strncasecmp(in, "lesson", 6) == 0) {
		const char *q = in + 6;
		while (q < end && (*q == ' ' || *q == '_' || *q == '-'))
			q++;
		if (only_number(q, end))
			return number_at(q, end, buf, size);
	}
	char slug[LESSON_MAX];
	if (slugify(in, end, slug, sizeof slug - 1) == 0)
		return false;
	if (strlen(slug) >= size)
		return false;
	strcpy(buf, slug);
	return true;
}

#define MAX_DISTINCT 16

bool lesson_from_tags(const struct notebook *nb, const struct ct_config *cfg,
                      char *buf, size_t size)
{
	char seen[MAX_DISTINCT][LESSON_MAX];
	size_t count[MAX_DISTINCT];
	size_t nseen = 0;

	if (buf && size)
		buf[0] = '\0';
	if (!nb || !buf)
		return false;
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		for (size_t t = 0; t < c->ntags; t++) {
			char l[LESSON_MAX];
			if (!rules_tag_lesson(cfg, c->tags[t], l, sizeof l))
				continue;
			size_t k;
			for (k = 0; k < nseen; k++)
				if (strcmp(seen[k], l) == 0)
					break;
			if (k == nseen) {
				if (nseen == MAX_DISTINCT)
					continue;
				strcpy(seen[nseen], l);
				count[nseen++] = 0;
			}
			count[k]++;
		}
	}
	if (nseen == 0)
		return false;
	size_t best = 0;
	for (size_t k = 1; k < nseen; k++)
		if (count[k] > count[best])
			best = k;
	if (strlen(seen[best]) >= size)
		return false;
	strcpy(buf, seen[best]);
	return true;
}

static bool from_config(const struct ct_config *cfg, char *buf, size_t size)
{
	return cfg && cfg->lesson && *cfg->lesson &&
	       lesson_normalize(cfg->lesson, buf, size);
}

enum lesson_source lesson_for_notebook(const struct notebook *nb,
                                       const char *path,
                                       const struct ct_config *cfg,
                                       const char *option,
                                       char *buf, size_t size)
{
	if (!path && nb)
		path = nb->path;
	if (option && *option && lesson_normalize(option, buf, size))
		return LESSON_FROM_OPTION;
	if (from_config(cfg, buf, size))
		return LESSON_FROM_CONFIG;
	if (lesson_from_tags(nb, cfg, buf, size))
		return LESSON_FROM_TAGS;
	return lesson_from_path(path, buf, size) ? LESSON_FROM_NAME
	                                         : LESSON_FALLBACK;
}

/* The suggestion order without a notebook: its tags never count. */
bool lesson_expected(const char *path, const struct ct_config *cfg,
                     const char *option, char *buf, size_t size,
                     enum lesson_source *src)
{
	enum lesson_source s = lesson_for_notebook(NULL, path, cfg, option,
	                                           buf, size);
	if (src)
		*src = s;
	return s != LESSON_FALLBACK;
}

bool lesson_number(const char *lesson, char *buf, size_t size)
{
	if (!buf || size == 0)
		return false;
	buf[0] = '\0';
	if (!lesson || strncmp(lesson, "lesson-", 7) != 0)
		return false;
	const char *p = lesson + 7;
	size_t n = 0;
	while (is_digit(p[n]))
		n++;
	if (n == 0)
		return false;
	size_t len = n;
	if (is_alpha(p[n]))
		len++;
	if (p[len] != '\0')
		return false;
	while (n > 1 && *p == '0') {
		p++;
		n--;
		len--;
	}
	if (len >= size)
		return false;
	for (size_t i = 0; i < len; i++)
		buf[i] = lower(p[i]);
	buf[len] = '\0';
	return true;
}

bool lesson_equal(const char *a, const char *b)
{
	char na[LESSON_MAX], nb[LESSON_MAX];
	if (!a || !b)
		return false;
	if (lesson_number(a, na, sizeof na) && lesson_number(b, nb, sizeof nb))
		return strcmp(na, nb) == 0;
	return strcmp(a, b) == 0;
}
