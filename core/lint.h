/* lint.h - findings about a notebook's tags (see rules.h for the codes).
 *
 * Per cell: nbformat schema errors (tag-empty, tag-comma, tag-invalid,
 * tag-duplicate, tags-not-array, cell-readonly), assignment id errors (assignment-*),
 * warnings (assignment-prefix, -multiple, -duplicate, -not-code, -lesson,
 * -shape) and the info exercise-untagged (with the suggested tag).  Per
 * notebook: notebook-readonly.  Each tag breaks at most one id rule (the
 * first in RULES_CODE_INFO order); shape and lesson are checked only on
 * valid ids.  The lesson check compares a tag's lesson with the lesson of
 * the file name (or --lesson / config `lesson` when given) and is skipped
 * when the name holds no lesson number.
 */
#ifndef CELLTAG_CORE_LINT_H
#define CELLTAG_CORE_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "detect.h"
#include "notebook.h"
#include "rules.h"
#include "status.h"

#define LINT_MSG_MAX 320

struct lint_finding {
	long cell;                      /* 0-based; -1: the whole notebook */
	enum rules_code code;
	enum rules_severity severity;
	char message[LINT_MSG_MAX];     /* one line; may hold tag bytes as
	                                 * found (escape before printing) */
};

struct lint_report {
	struct lint_finding *findings;  /* sorted: cell, severity, code */
	size_t n, cap;
	size_t count[3];                /* by enum rules_severity */
	bool counts_only;               /* set by the caller: only count
	                                 * (no findings, no suggestions) */
};

/* Lint nb, appending to rep (zero-initialise it first; lint several
 * notebooks into separate reports).  `det` is the detection of every cell or
 * NULL (a detector is built from cfg).  The findings of this call are
 * sorted.  With rep->counts_only set, only rep->count[] grows: no finding
 * is stored and no suggestion is built (coverage needs the numbers alone,
 * and building suggestions is a fifth of a course scan).  CT_NOMEM or a
 * suggestion template error. */
enum ct_status lint_notebook(const struct notebook *nb,
                             const struct ct_config *cfg,
                             const struct detect_result *det,
                             const char *lesson_option,
                             struct lint_report *rep, struct ct_error *err);

/* Free the findings and zero the report. */
void lint_report_free(struct lint_report *rep);

/* Number of findings with this code (for tests and summaries). */
size_t lint_count_code(const struct lint_report *rep, enum rules_code code);

#endif
