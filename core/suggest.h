/* suggest.h - assignment tags to suggest for untagged exercise cells.
 *
 * The tag is the configured template (default
 * "{prefix}{lesson}-exercise-{n}") with {prefix} the tag prefix, {lesson}
 * the notebook's lesson (lesson.h) and {n} the exercise number:
 *   - the number named in the markdown above the cell (detect.h), with a
 *     leading part equal to the lesson number dropped: "Exercise 3.1" in
 *     lesson-03 gives 1, in lesson-04 gives 3-1;
 *   - otherwise the next number, counting from 1 in cell order, whose tag is
 *     neither used in the notebook nor taken by a named exercise.
 * A named number whose tag is taken gets "-2", "-3"... ("1", "1-2", "1-3"
 * for three cells under one "Exercise 3.1" heading).  Suggestions never
 * equal a tag of the notebook or each other.  Cells that already carry an
 * assignment tag, and cells whose tags cannot be edited, get none.
 * Unknown {placeholders} in the template are copied as they are.
 */
#ifndef CELLTAG_CORE_SUGGEST_H
#define CELLTAG_CORE_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "detect.h"
#include "lesson.h"
#include "notebook.h"
#include "rules.h"
#include "status.h"

struct ct_arena;

struct suggestion {
	size_t cell;                    /* index into nb->cells */
	const char *tag;                /* owned by the plan; NULL in a lazy
	                                 * plan: see suggest_plan_tag */
	enum detect_reason reason;      /* why the cell is an exercise */
	bool named;                     /* number came from the markdown */
	uint32_t x_;                    /* private: its number, lazy plans */
};

struct suggest_plan {
	struct suggestion *items;       /* in cell order (owned) */
	size_t n;
	char lesson[LESSON_MAX];
	enum lesson_source lesson_source;
	struct ct_arena *arena_;        /* private: holds the tags */
	char *before_, *after_;         /* private: template around {n} */
	char *numbers_;                 /* private: lazy plans' numbers */
};

/* Suggestions for every untagged exercise cell of nb.  `det` holds the
 * detection of every cell (detect_notebook) or is NULL (then a detector is
 * built from cfg); `lesson_option` is --lesson or NULL.  Free the plan with
 * suggest_plan_free.  CT_NOMEM, or CT_TAG when the template gives an invalid
 * tag (the message says which). */
enum ct_status suggest_notebook(const struct notebook *nb,
                                const struct ct_config *cfg,
                                const struct detect_result *det,
                                const char *lesson_option,
                                struct suggest_plan *plan,
                                struct ct_error *err);
void suggest_plan_free(struct suggest_plan *plan);

/* The same plan without writing out or checking its tags when the template
 * has one {n} (items' tag NULL): what an editor needs, one tag at a time,
 * in a fraction of the time and memory.  Other templates give the full
 * plan.  Errors as suggest_notebook's, except for tags the rules refuse,
 * which suggest_plan_tag reports. */
enum ct_status suggest_notebook_lazy(const struct notebook *nb,
                                     const struct ct_config *cfg,
                                     const struct detect_result *det,
                                     const char *lesson_option,
                                     struct suggest_plan *plan,
                                     struct ct_error *err);

/* The tag of the plan's suggestion s into buf, checked as suggest_notebook
 * checks each: CT_TAG when the rules refuse it or it does not fit. */
enum ct_status suggest_plan_tag(const struct suggest_plan *plan, const struct suggestion *s,
                                const struct ct_config *cfg, char *buf, size_t size,
                                struct ct_error *err);

/* For tests: suggest_notebook by the direct method (every candidate tag
 * written out), which the faster method used otherwise must equal. */
enum ct_status suggest_notebook_direct(const struct notebook *nb,
                                       const struct ct_config *cfg,
                                       const struct detect_result *det,
                                       const char *lesson_option,
                                       struct suggest_plan *plan,
                                       struct ct_error *err);

/* The plan's suggestion for `cell`, NULL when it has none (items are in
 * cell order: a binary search). */
const struct suggestion *suggest_plan_find(const struct suggest_plan *plan, size_t cell);

/* Whether a plan stays exact after the tag of one of its suggestions
 * (`tag`, as suggest_plan_tag gave it) was added to that cell's tags and
 * nothing else changed: then the plan of the edited notebook is the same
 * plan without that suggestion (see suggest.c for why), and an editor can
 * keep using it instead of planning the whole notebook again at every key.
 * False when the tag is not an assignment tag (a template without
 * {prefix}) or names another lesson than the plan's (the notebook's
 * lesson, and so every suggestion, may change). */
bool suggest_plan_survives_accept(const struct suggest_plan *plan, const struct ct_config *cfg,
                                  const char *tag);

/* The tag for one cell (the TUI `t` key): its suggestion from the
 * whole-notebook plan; for a cell that already has an assignment tag, that
 * tag (so `t` can toggle it off); for any other cell (not detected as an
 * exercise) the tag it would get if it were one.  CT_CELL for a bad index,
 * CT_READONLY when the cell's tags cannot be edited. */
enum ct_status suggest_for_cell(const struct notebook *nb, size_t cell,
                                const struct ct_config *cfg,
                                const struct detect_result *det,
                                const char *lesson_option,
                                char *buf, size_t size,
                                struct ct_error *err);

/* Expand a template.  CT_TAG when the result does not fit. */
enum ct_status suggest_expand(const char *tmpl, const char *prefix,
                              const char *lesson, const char *n,
                              char *buf, size_t size, struct ct_error *err);

/* Kebab number for the tag from a detected number and the lesson: drops a
 * leading part equal to the lesson's number ("3-1" in lesson-03 -> "1"). */
void suggest_number(const char *number, const char *lesson, char *buf,
                    size_t size);

/* True when the cell carries a tag with the assignment prefix. */
bool suggest_cell_tagged(const struct nb_cell *c, const struct ct_config *cfg);

#endif
