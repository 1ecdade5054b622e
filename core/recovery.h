/* recovery.h - pending tag edits saved when the terminal goes away.
 *
 * When the editor loses its terminal (SIGHUP, SIGTERM) with unsaved edits,
 * it writes them to a recovery file, never into the notebook.  Opening the
 * notebook again finds the file and offers to apply the edits, which is
 * only safe when the notebook is byte-identical to the one edited (same
 * notebook_hash()).
 *
 * Location: beside the notebook, ".<name>.celltag-recovery" (e.g.
 * "dir/.lesson.ipynb.celltag-recovery"); when that folder is not writable,
 * "$XDG_STATE_HOME/celltag/recovery/<hash of the absolute path>.recovery"
 * (default ~/.local/state).
 *
 * Format (text, one record per line, versioned):
 *   celltag-recovery 2
 *   path <absolute notebook path>
 *   hash <16 hex digits of notebook_hash()>
 * (Version 1, still read, differs only in the hash: notebook_hash_legacy().)
 *   cell <index> <id or "-"> <ntags>
 *   tag <tag>                      (ntags lines follow each "cell")
 * Bytes below 0x20, 0x7f and '%' inside the path, ids and tags are written
 * as %XX.  The whole tag list is written for every modified cell.
 *
 * Ownership: recovery_read() returns a heap struct freed by recovery_free().
 */
#ifndef CELLTAG_CORE_RECOVERY_H
#define CELLTAG_CORE_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notebook.h"
#include "status.h"

struct recovery_cell {
	size_t index;
	char *id;              /* NULL when the cell had none */
	char **tags;
	size_t ntags;
};

struct recovery {
	char *path;            /* notebook path recorded in the file */
	uint64_t hash;         /* notebook_hash() of the notebook edited */
	int version;           /* of the file format: 2, or 1 (legacy hash) */
	struct recovery_cell *cells;
	size_t ncells;
};

/* Path of the recovery file beside the notebook, into buf.  Returns buf or
 * NULL when it does not fit. */
char *recovery_path_beside(const char *nb_path, char *buf, size_t size);

/* Path under $XDG_STATE_HOME (or ~/.local/state); NULL when no home. */
char *recovery_path_state(const char *nb_path, char *buf, size_t size);

/* Find an existing recovery file for the notebook (beside first).  Returns
 * buf, or NULL when there is none. */
char *recovery_find(const char *nb_path, char *buf, size_t size);

/* Write the notebook's pending edits (cells whose tags differ from the
 * loaded ones).  Tries beside the notebook, then the state folder; the
 * path used goes to `used` (may be NULL).  Written to a temporary file and
 * renamed, so a partial file is never left.  CT_OK with nothing written
 * when nothing is modified. */
enum ct_status recovery_write(const struct notebook *nb, char *used,
                              size_t used_size, struct ct_error *err);

/* Same, to an explicit file. */
enum ct_status recovery_write_to(const struct notebook *nb, const char *path,
                                 struct ct_error *err);

enum ct_status recovery_read(const char *path, struct recovery **out,
                             struct ct_error *err);

/* True when `rec` was made from exactly this notebook's bytes. */
bool recovery_matches(const struct recovery *rec, const struct notebook *nb);

/* Apply the tag lists to the notebook (cells found by id when recorded,
 * else by index).  *napplied (may be NULL) counts cells changed.  Stops at
 * the first error. */
enum ct_status recovery_apply(const struct recovery *rec, struct notebook *nb,
                              size_t *napplied, struct ct_error *err);

/* The notebook's pending edits as a recovery, in memory (as
 * recovery_write would record them): to reapply them to a fresh load of a
 * file that changed on disk.  *out is freed with recovery_free. */
enum ct_status recovery_from_notebook(const struct notebook *nb, struct recovery **out,
                                      struct ct_error *err);

/* The same, best effort, for edits made on another version of the file:
 * cells not found, or whose list the file refuses, are skipped and counted
 * in *nmissed (may be NULL).  Fails only on CT_NOMEM or a partial notebook. */
enum ct_status recovery_reapply(const struct recovery *rec, struct notebook *nb,
                                size_t *napplied, size_t *nmissed, struct ct_error *err);

void recovery_free(struct recovery **rec);

#endif
