/* status.h - status codes and the caller-owned error struct of libcelltag.
 *
 * Every fallible core call takes a `struct ct_error *err` (may be NULL when
 * the caller does not care) and returns an `enum ct_status`.  There is no
 * global error state: the struct is owned and allocated by the caller, holds
 * no heap memory and never needs freeing.
 */
#ifndef CELLTAG_CORE_STATUS_H
#define CELLTAG_CORE_STATUS_H

#include <stddef.h>

/* _(NAME, "default message") */
#define CT_STATUS_INFO(_) \
	_(OK,        "success") \
	_(NOMEM,     "out of memory") \
	_(IO,        "cannot read file") \
	_(NOTFOUND,  "no such file") \
	_(NOTREG,    "not a regular file") \
	_(TOOBIG,    "file too large") \
	_(SYNTAX,    "invalid JSON") \
	_(UTF8,      "invalid UTF-8") \
	_(FORMAT,    "not a notebook") \
	_(VERSION,   "unsupported nbformat version") \
	_(READONLY,  "notebook is read-only") \
	_(TAG,       "invalid tag") \
	_(CELL,      "no such cell") \
	_(WRITE,     "write failed") \
	_(CONFLICT,  "file changed on disk since it was loaded") \
	_(USAGE,     "usage error") \
	_(CONFIG,    "invalid configuration") \
	_(PLAN,      "invalid plan") \
	_(THEME,     "invalid theme")

enum ct_status {
#define CT_STATUS_ENUM(name, msg) CT_##name,
	CT_STATUS_INFO(CT_STATUS_ENUM)
#undef CT_STATUS_ENUM
	CT_STATUS_COUNT
};

#define CT_ERR_MSG_MAX 512
#define CT_ERR_PATH_MAX 4096

struct ct_error {
	enum ct_status status;
	char msg[CT_ERR_MSG_MAX];   /* one line, no trailing newline, no path */
	char path[CT_ERR_PATH_MAX]; /* file the error is about, "" if none */
	long line;                  /* 1-based, 0 when not applicable */
	long col;                   /* 1-based, in characters, 0 when n/a */
};

/* Short name ("SYNTAX") and default message of a status. */
const char *ct_status_name(enum ct_status s);
const char *ct_status_message(enum ct_status s);

/* Reset `err` to CT_OK with empty fields.  NULL is allowed. */
void ct_error_clear(struct ct_error *err);

/* Fill `err` (if not NULL) and return `status`.  `path` may be NULL.  The
 * message is printf-formatted and truncated to one line. */
enum ct_status ct_error_set(struct ct_error *err, enum ct_status status,
                            const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Same, with a position (line/col 1-based). */
enum ct_status ct_error_set_at(struct ct_error *err, enum ct_status status,
                               const char *path, long line, long col,
                               const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Format as "FILE:LINE:COL: message" (parts omitted when empty/0) into buf.
 * Returns buf. */
char *ct_error_format(const struct ct_error *err, char *buf, size_t size);

#endif
