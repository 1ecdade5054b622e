/* plan.h - batch tag plans: the engine of `celltag apply`.
 *
 * A plan is a YAML file naming notebooks and, per notebook, steps that
 * select cells and add or remove tags:
 *
 *   notebooks:
 *     - path: lesson_03.ipynb          # relative to the plan's folder
 *       cells:
 *         - index: 4                   # 0-based position
 *           add: [assignment:lesson-03-exercise-1]
 *         - id: a1b2c3                 # nbformat 4.5 cell id
 *           remove: [draft]
 *         - match: "def fizzbuzz"      # substring of the source
 *           add: assignment:lesson-03-exercise-2   # one tag or a list
 *         - regex: "^# Exercise [0-9]+"   # POSIX ERE, ^ $ at line ends
 *           type: markdown             # optional: code, markdown, raw
 *           all: true                  # several matches allowed
 *           add: [exercise]
 *
 * Each step has exactly one selector (index, id, match, regex) and at least
 * one tag to add or remove.  `match` and `regex` must select exactly one
 * cell unless `all: true`; selecting none is always an error.  `type` and
 * `all` only go with `match` and `regex`.  Steps run in order; adding a
 * present tag or removing an absent one changes nothing.  A step may not add
 * and remove the same tag, and a notebook may be named only once.
 *
 * Phases, each all-or-nothing so that an error writes nothing:
 *   plan_parse/plan_load  syntax, schema, tag validity, regexes compiled;
 *   plan_prepare          every notebook loaded, every step resolved and
 *                         applied in memory (notebook files only read);
 *   plan_save             every changed notebook checked on disk (unless
 *                         forced), then saved in plan order.
 * Every plan error is CT_PLAN (or CT_NOMEM) with the plan's FILE:LINE:COL
 * (1-based) of the offending value; errors about a notebook (load, cell not
 * found, read-only cell) quote the notebook's own error in the message.
 *
 * Ownership: a struct plan owns everything reachable from it, notebooks
 * included; plan_free releases it all.
 */
#ifndef CELLTAG_CORE_PLAN_H
#define CELLTAG_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "notebook.h"
#include "save.h"
#include "status.h"

/* Plans are hand-written; anything larger is refused with CT_TOOBIG. */
#define PLAN_MAX_SIZE ((size_t)16 << 20)

enum plan_select { PLAN_BY_INDEX, PLAN_BY_ID, PLAN_BY_MATCH, PLAN_BY_REGEX };

struct plan_tag {
	const char *tag;
	long line, col;             /* where the plan names it */
};

struct plan_step {
	enum plan_select select;
	size_t index;               /* PLAN_BY_INDEX */
	const char *text;           /* id, substring or pattern (NUL-free) */
	bool all;                   /* several matches allowed */
	int kind;                   /* enum nb_cell_kind filter, -1: any */
	struct plan_tag *add;
	size_t nadd;
	struct plan_tag *remove;
	size_t nremove;
	long line, col;             /* the step's mapping */
	long sel_line, sel_col;     /* the selector's value */
	void *regex_;               /* private: compiled regex_t */
};

/* What plan_save did to each notebook. */
enum plan_nb_state {
	PLAN_NB_PENDING,            /* not prepared or not saved yet */
	PLAN_NB_UNCHANGED,          /* no tag changed: never written */
	PLAN_NB_WRITTEN,            /* saved */
	PLAN_NB_FAILED,             /* its save failed (see plan_save's err) */
	PLAN_NB_NOT_WRITTEN         /* changed, but not written: an earlier
	                               failure stopped the plan */
};

struct plan_notebook {
	const char *path;           /* as written in the plan */
	const char *resolved;       /* joined with the plan's folder */
	long line, col;             /* the `path` value */
	struct plan_step *steps;
	size_t nsteps;
	struct notebook *nb;        /* loaded by plan_prepare, else NULL */
	enum plan_nb_state state;
};

struct plan {
	const char *name;           /* plan file name for messages */
	struct plan_notebook *notebooks;
	size_t nnotebooks;
	struct ct_arena *arena;     /* private */
};

/* Parse a plan from memory.  `name` is used in messages (may be NULL);
 * relative notebook paths are joined to `base_dir` (NULL: used as
 * written).  `cfg` (NULL: defaults) gives the tag rules for added tags.  On
 * success *out owns a new plan; on failure *out is NULL. */
enum ct_status plan_parse(const char *data, size_t len, const char *name,
                          const char *base_dir, const struct ct_config *cfg,
                          struct plan **out, struct ct_error *err);

/* Read and parse a plan file; notebook paths are relative to its folder. */
enum ct_status plan_load(const char *path, const struct ct_config *cfg,
                         struct plan **out, struct ct_error *err);

/* Load every notebook and apply every step in memory.  On failure the
 * notebooks loaded so far stay attached (plan_free frees them) but the plan
 * must not be saved. */
enum ct_status plan_prepare(struct plan *p, struct ct_error *err);

/* Save every notebook that plan_prepare changed, in plan order.  opts may
 * be NULL; opts->force skips the conflict checks, opts->step_hook is passed
 * on, opts->path is ignored.  Unless forced, all changed notebooks are
 * first compared with the disk, so a conflict anywhere writes nothing.
 * Stops at the first failed save; each notebook's state then says what
 * happened to it and err describes the failure (CT_WRITE, CT_CONFLICT...). */
enum ct_status plan_save(struct plan *p, const struct save_options *opts,
                         struct ct_error *err);

/* Number of notebooks plan_prepare changed. */
size_t plan_changed_count(const struct plan *p);

/* Free the plan, its notebooks and regexes; *p becomes NULL. */
void plan_free(struct plan **p);

#endif
