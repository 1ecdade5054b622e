/* rules_testutil.h - build small notebooks from C strings for the rules,
 * detect, lint, suggest and coverage tests; read what a CLI test wrote. */
#ifndef CELLTAG_TESTS_RULES_TESTUTIL_H
#define CELLTAG_TESTS_RULES_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notebook.h"

/* One cell: type "code", "markdown" or "raw"; source text; metadata as raw
 * JSON members without braces (NULL: none), e.g. "\"tags\": [\"a\"]". */
struct tcell {
	const char *type;
	const char *src;
	const char *meta;
};

#define TCODE(s) { "code", (s), NULL }
#define TMD(s) { "markdown", (s), NULL }
#define TCODE_M(s, m) { "code", (s), (m) }
#define TMD_M(s, m) { "markdown", (s), (m) }

static inline void tu_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Notebook JSON text for the cells (malloc'ed). */
static inline char *tu_nb_json(const struct tcell *cells, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputs("{\"cells\": [", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s{\"cell_type\": \"%s\", \"metadata\": {%s}, "
		        "\"source\": ", i ? ", " : "", cells[i].type,
		        cells[i].meta ? cells[i].meta : "");
		tu_json_str(f, cells[i].src);
		if (strcmp(cells[i].type, "code") == 0)
			fputs(", \"outputs\": [], \"execution_count\": null", f);
		fputc('}', f);
	}
	fputs("], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}\n",
	      f);
	fclose(f);
	return buf;
}

/* Load the cells as a notebook named `name` (the name drives the lesson). */
static inline struct notebook *tu_nb(const char *name,
                                     const struct tcell *cells, size_t n)
{
	char *json = tu_nb_json(cells, n);
	struct notebook *nb = NULL;
	struct ct_error err;
	enum ct_status st = notebook_load_buffer(json, strlen(json), name, &nb,
	                                         &err);
	if (st != CT_OK) {
		fprintf(stderr, "tu_nb: %s: %s\n%s\n", ct_status_name(st),
		        err.msg, json);
		nb = NULL;
	}
	free(json);
	return nb;
}

/* Everything written to a tmpfile() stream (malloc'ed, NUL-terminated);
 * closes f. */
static inline char *tu_stream_text(FILE *f)
{
	long n = ftell(f);
	char *s = malloc((size_t)n + 1);
	rewind(f);
	size_t r = fread(s, 1, (size_t)n, f);
	s[r] = '\0';
	fclose(f);
	return s;
}

#define TU_NB(name, ...) \
	tu_nb((name), (const struct tcell[]){ __VA_ARGS__ }, \
	      sizeof((const struct tcell[]){ __VA_ARGS__ }) / sizeof(struct tcell))

#endif
