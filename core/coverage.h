/* coverage.h - how far a course's exercise cells are tagged.
 *
 * One row per notebook: code cells, exercise cells (detect.h), cells with an
 * assignment tag, exercise cells without one, the lint counts (lint.h) and
 * the assignment tag ids (the part after the prefix, in cell order).  Used
 * by `celltag coverage` and the TUI course screen; no curses, no output.
 */
#ifndef CELLTAG_CORE_COVERAGE_H
#define CELLTAG_CORE_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "detect.h"
#include "notebook.h"
#include "status.h"

struct coverage_row {
	char *path;                     /* as given (owned) */
	bool ok;                        /* false: not loaded, see error */
	struct ct_error error;
	size_t cells, code_cells, exercise_cells, tagged_cells;
	size_t untagged_exercises;
	size_t lint_errors, lint_warnings, lint_infos;
	char **tag_ids;                 /* ntag_ids strings (owned block) */
	size_t ntag_ids;
};

struct coverage_totals {
	size_t notebooks, failed;
	size_t code_cells, exercise_cells, tagged_cells, untagged_exercises;
	size_t lint_errors, lint_warnings, lint_infos, tag_ids;
};

/* Fill row from a loaded notebook.  `det` may be NULL (built from cfg);
 * lesson_option is --lesson or NULL.  `path` names the row (NULL:
 * nb->path).  Free with coverage_row_free. */
enum ct_status coverage_scan_notebook(const struct notebook *nb,
                                      const char *path,
                                      const struct ct_config *cfg,
                                      const struct detector *det,
                                      const char *lesson_option,
                                      struct coverage_row *row,
                                      struct ct_error *err);

/* Load `path`, fill row, free the notebook.  When the notebook cannot be
 * loaded row->ok is false, row->path and row->error are set and the load
 * status is returned (err gets the same error).  `det` may be NULL. */
enum ct_status coverage_scan_file_with(const char *path,
                                       const struct ct_config *cfg,
                                       const struct detector *det,
                                       const char *lesson_option,
                                       struct coverage_row *row,
                                       struct ct_error *err);

/* Same with a detector built for this call. */
enum ct_status coverage_scan_file(const char *path,
                                  const struct ct_config *cfg,
                                  struct coverage_row *row,
                                  struct ct_error *err);

void coverage_row_free(struct coverage_row *row);

/* Add a row to the totals (zero-initialise them first). */
void coverage_totals_add(struct coverage_totals *t,
                         const struct coverage_row *row);

#endif
