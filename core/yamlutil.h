/* yamlutil.h - small helpers over libyaml's document API, shared by the
 * config and plan readers.
 *
 * A document is loaded whole with yaml_parser_load (libyaml keeps the start
 * mark of every node, so each later schema error can name FILE:LINE:COL).
 * Scalars are typed the YAML 1.2 core-schema way from their text and style:
 * a quoted scalar is always a string; a plain one may be null (`~`, `null`,
 * empty), a boolean (`true`/`false`), an integer or a float.  Every error
 * goes into the caller's struct ct_error with the status chosen at load
 * (CT_CONFIG, CT_PLAN...) and a 1-based position (libyaml marks are 0-based;
 * columns count characters).
 *
 * Aliases are resolved by libyaml into shared nodes (even cyclic ones); the
 * readers only walk fixed-depth schemas, so neither cycles nor alias bombs
 * can make them loop or blow up.
 *
 * Ownership: struct yu_doc owns the libyaml document; node pointers and
 * scalar texts stay valid until yu_doc_free().
 */
#ifndef CELLTAG_CORE_YAMLUTIL_H
#define CELLTAG_CORE_YAMLUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "status.h"

struct yu_doc {
	yaml_document_t doc;
	bool loaded;             /* doc must be deleted by yu_doc_free */
	const char *name;        /* for messages, not owned, may be NULL */
	enum ct_status status;   /* status of every error about this doc */
};

enum yu_kind { YU_NULL, YU_BOOL, YU_INT, YU_FLOAT, YU_STR, YU_SEQ, YU_MAP };

/* Parse `len` bytes (UTF-8, or UTF-16 with a BOM) holding at most one
 * document.  Syntax errors, reader errors (invalid UTF-8) and a second
 * document are reported with `status` at their position.  On failure the
 * doc holds nothing (yu_doc_free is still allowed). */
enum ct_status yu_doc_load(struct yu_doc *d, const char *data, size_t len,
                           const char *name, enum ct_status status,
                           struct ct_error *err);
void yu_doc_free(struct yu_doc *d);

/* Read a whole regular file of at most `max` bytes into a new malloc'ed
 * buffer (caller frees *out).  CT_NOTFOUND, CT_NOTREG, CT_TOOBIG, CT_IO or
 * CT_NOMEM, with the path in err. */
enum ct_status yu_read_file(const char *path, size_t max, char **out,
                            size_t *outlen, struct ct_error *err);

/* Root node, or NULL when the stream is empty or only comments. */
yaml_node_t *yu_root(struct yu_doc *d);
yaml_node_t *yu_node(struct yu_doc *d, int id);

enum yu_kind yu_kind_of(const yaml_node_t *n);
/* "null", "a boolean", "a number", "a string", "a list", "a mapping". */
const char *yu_kind_name(enum yu_kind k);

long yu_line(const yaml_node_t *n);   /* 1-based */
long yu_col(const yaml_node_t *n);    /* 1-based */

/* Error at node n (or without a position when n is NULL); returns
 * d->status. */
enum ct_status yu_error(const struct yu_doc *d, const yaml_node_t *n,
                        struct ct_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* n must be a mapping whose keys are non-null scalars, each once.  `what`
 * names it in messages ("the plan", "a cell step"). */
enum ct_status yu_expect_map(struct yu_doc *d, yaml_node_t *n,
                             const char *what, struct ct_error *err);
/* n must be a list. */
enum ct_status yu_expect_seq(struct yu_doc *d, yaml_node_t *n,
                             const char *what, struct ct_error *err);

/* Text of a scalar node (NUL-terminated; *len may be NULL). */
const char *yu_scalar(const yaml_node_t *n, size_t *len);

/* Typed getters: `what` names the value ("'tag_prefix'").  yu_get_str
 * accepts any non-null scalar (numbers keep their text) without NUL bytes;
 * *s points into the document. */
enum ct_status yu_get_str(struct yu_doc *d, yaml_node_t *n, const char *what,
                          const char **s, size_t *len, struct ct_error *err);
enum ct_status yu_get_bool(struct yu_doc *d, yaml_node_t *n, const char *what,
                           bool *b, struct ct_error *err);
/* A plain non-negative decimal integer that fits in size_t. */
enum ct_status yu_get_index(struct yu_doc *d, yaml_node_t *n, const char *what,
                            size_t *v, struct ct_error *err);

/* Iteration helpers. */
#define yu_seq_count(n) ((size_t)((n)->data.sequence.items.top - \
                                  (n)->data.sequence.items.start))
#define yu_map_count(n) ((size_t)((n)->data.mapping.pairs.top - \
                                  (n)->data.mapping.pairs.start))
yaml_node_t *yu_seq_item(struct yu_doc *d, yaml_node_t *seq, size_t i);
yaml_node_t *yu_map_key(struct yu_doc *d, yaml_node_t *map, size_t i);
yaml_node_t *yu_map_value(struct yu_doc *d, yaml_node_t *map, size_t i);

#endif
