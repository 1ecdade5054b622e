/* walk.h - the notebooks under a path, in sorted path order.
 *
 * A file argument is taken as it is (whatever its name).  A folder is
 * searched recursively for files ending in ".ipynb", skipping hidden
 * entries (names starting with '.', which covers .ipynb_checkpoints and the
 * ".~name" backups Jupyter writes while saving) and not following symbolic
 * links to folders.  Paths are "<root>/<relative>" (a root given with a
 * trailing '/' does not get a second one) and sorted with strcmp; `rel` is
 * the part relative to the root.
 *
 * Problems are entries too: a missing root or an unreadable folder gives an
 * entry with `error` set (status != CT_OK), in its sorted place, so callers
 * report it instead of dropping it.
 */
#ifndef CELLTAG_CORE_WALK_H
#define CELLTAG_CORE_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct walk_entry {
	char *path;             /* root joined with rel (owned) */
	const char *rel;        /* points into path; the root itself for a
	                         * file argument */
	struct ct_error error;  /* status CT_OK for a notebook to read */
};

struct walk_list {
	struct walk_entry *v;
	size_t n, cap;
	bool root_is_dir;       /* of the last root walked */
};

/* Append the notebooks under `root` to list (zero-initialise it first).
 * The entries of this call are sorted among themselves.  Returns CT_OK, or
 * CT_NOMEM (the only fatal error; other problems become entries). */
enum ct_status walk_collect(const char *root, struct walk_list *list,
                            struct ct_error *err);
void walk_list_free(struct walk_list *list);

/* Sort the entries of every walk_collect call together and drop repeated
 * paths (a file named twice, or found under two of the roots given), so
 * each notebook is read once. */
void walk_list_sort(struct walk_list *list);

/* True for a name the folder walk skips (hidden, ".~" backups). */
bool walk_skip_name(const char *name);

#endif
