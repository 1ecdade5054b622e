/* save.h - lossless rendering and the atomic, conflict-checked save.
 *
 * notebook_render() produces the bytes of the edited notebook: the loaded
 * bytes with only the changed cells' tag spans replaced (see notebook.h).
 * notebook_save() writes them durably:
 *   1. resolve symlinks (the link stays, its target is written);
 *   2. take an exclusive flock on the target's folder, so two celltag
 *      processes cannot interleave; the loser sees the winner's file and gets
 *      CT_CONFLICT;
 *   3. unless forced, compare the file on disk with the loaded one: identity,
 *      size and mtime first; then, once the new file is written (while the
 *      disk writes it) and before anything is replaced, either the ctime,
 *      when it was settled at load (see nb_fileinfo.ctime_settled), or else
 *      the bytes themselves; any difference is CT_CONFLICT.  A file known
 *      unchanged this way is also the source of the new file's unchanged
 *      spans: they are copied in the kernel (copy_file_range), as cp does;
 *   4. remove temporary files a killed save left for this target (stale:
 *      the lock proves no living save owns them);
 *   5. write a temporary file in the same folder, fsync it, give it the
 *      original mode (and owner when permitted), rename it over the target,
 *      fsync the folder.
 * On any failure the original is untouched and the temporary file removed.
 */
#ifndef CELLTAG_CORE_SAVE_H
#define CELLTAG_CORE_SAVE_H

#include <stdbool.h>
#include <stddef.h>

#include "notebook.h"
#include "status.h"

enum save_step {
	SAVE_STEP_LOCKED,       /* folder locked, identity/size/mtime checked */
	SAVE_STEP_TEMP_OPEN,    /* temporary file created, empty */
	SAVE_STEP_TEMP_HALF,    /* about half of the bytes written */
	SAVE_STEP_TEMP_SYNCED,  /* all written, content checked, fsynced */
	SAVE_STEP_RENAMED,      /* renamed over the target */
	SAVE_STEP_DONE          /* folder fsynced */
};

struct save_options {
	bool force;             /* overwrite even when changed on disk */
	/* Called after each step (test hook, may be NULL). */
	void (*step_hook)(enum save_step step, void *ctx);
	void *step_ctx;
	/* Write here instead of the loaded path (NULL: the loaded path).  With
	 * another path there is no conflict check unless it is the same file. */
	const char *path;
	/* When not NULL, set to the bytes copied from the unchanged file in the
	 * kernel rather than written from memory (for tests and benchmarks). */
	size_t *copied;
	/* When not NULL, called once the new file is written, before it is
	 * compared with the disk, synced and renamed: an error (err filled)
	 * abandons the save, the temporary file removed.  A notebook from
	 * notebook_load_cell_early is only committed once this has called
	 * notebook_check_finish (else CT_USAGE). */
	enum ct_status (*before_commit)(void *ctx, struct notebook *nb, struct ct_error *err);
	void *commit_ctx;
};

/* Render the edited notebook into a new malloc'ed buffer (caller frees
 * *out).  CT_NOMEM on allocation failure. */
enum ct_status notebook_render(const struct notebook *nb, char **out,
                               size_t *len, struct ct_error *err);

/* Size of the rendered notebook without building it. */
size_t notebook_rendered_size(const struct notebook *nb);

/* Write the rendered bytes to an open file descriptor (all of them, retrying
 * short writes).  Used by notebook_save and by tests. */
enum ct_status notebook_write_fd(const struct notebook *nb, int fd,
                                 const char *name, struct ct_error *err);

/* Save atomically as described above.  opts may be NULL (defaults).  On
 * success, when `reload` is true, *nb is replaced by a fresh load of the
 * written file (its new baseline: not modified, new file identity); when
 * false *nb is left as it was (still marked modified).  On failure *nb is
 * unchanged. */
enum ct_status notebook_save(struct notebook **nb,
                             const struct save_options *opts, bool reload,
                             struct ct_error *err);

/* Compare the file on disk with the loaded one: CT_OK when unchanged,
 * CT_CONFLICT (with a message saying what changed) otherwise, or an I/O
 * status. */
enum ct_status notebook_check_disk(const struct notebook *nb,
                                   struct ct_error *err);

#endif
