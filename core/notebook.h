/* notebook.h - the notebook model of libcelltag: load, inspect, edit tags.
 *
 * Design (why it is lossless): the loaded file is kept in memory byte for
 * byte.  A strict JSON scanner (json.c) walks it once and records, for every
 * cell, where its object, its `metadata` object, each metadata member and the
 * `tags` member sit in those bytes; outputs are validated but never built into
 * a tree.  A save (save.h) copies the original bytes and replaces only the
 * spans of cells whose tag list differs from the list loaded, rendering the
 * new `tags` member in the file's own style (newline, indent unit, separators,
 * ASCII escaping) and inserting it, when the cell had no `tags` key, at the
 * position a sorted-keys writer (nbformat) would put it.  A cell whose tags are
 * back to what was loaded is written with its original bytes, so no-op saves
 * and tag-then-untag are byte-identical.
 *
 * Empty-list policy: when the last tag is removed, the `tags` member is
 * deleted with its comma (as Classic Notebook 6, the platform's front end,
 * does), so `celltag tag` then `celltag untag` gives back the original file.
 * A cell whose tags end equal to the loaded ones keeps its original bytes, so
 * an untouched `"tags": []` stays as it is.
 *
 * Ownership: a `struct notebook` and everything reachable from it (cells,
 * strings) is owned by the notebook and freed by notebook_free().  Pointers
 * into it stay valid until the notebook is freed or reloaded; tag arrays of a
 * cell are replaced (not freed) by edits, so a pointer to an old tag array
 * stays valid until notebook_free() as well.
 */
#ifndef CELLTAG_CORE_NOTEBOOK_H
#define CELLTAG_CORE_NOTEBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "status.h"

enum nb_cell_kind { NB_CODE, NB_MARKDOWN, NB_RAW, NB_OTHER };

/* [start, end) byte offsets into the loaded file (files are below 4 GiB:
 * NB_MAX_FILE_SIZE, so 32 bits; a cell's model is kept small because an
 * editor holds 50,000 of them). */
struct nb_span {
	uint32_t start, end;
};

/* Where a cell's pieces sit in the loaded bytes.  Internal to the save path
 * but exposed for tests; other modules should not need it. */
struct nb_member {
	struct nb_span key;      /* the key string, quotes included */
	struct nb_span value;    /* the value */
	const char *name;        /* decoded key (arena) */
};

struct nb_cell_layout {
	struct nb_span object;          /* the cell object {...} */
	struct nb_span metadata_key;    /* "metadata" key, quotes included */
	struct nb_span metadata;        /* the metadata object {...} */
	struct nb_member *members;      /* metadata members in file order */
	uint32_t nmembers;
	int32_t tags_member;            /* index into members, -1 if none */
};

struct nb_nbgrader {
	bool present;                   /* metadata.nbgrader is an object */
	bool solution, grade, locked, task;
	const char *grade_id;           /* NULL when absent */
	double points;                  /* 0 when absent */
};

/* An editor keeps 50,000 of these: 32-bit counts and offsets (files are
 * below 4 GiB), fields ordered so that none pads (120 bytes on 64-bit
 * systems). */
struct nb_cell {
	const char *id;                 /* nbformat 4.5 cell id, NULL if absent */
	const char *cell_type;          /* as in the file ("code", "markdown", ...) */
	const char *source;             /* decoded, lines joined, NUL-terminated */
	uint32_t index;                 /* 0-based position in "cells" */
	uint32_t source_len;            /* may hold NUL bytes before source_len */

	/* Tags: current list (edits change it) and the list as loaded. Strings
	 * are UTF-8, NUL-terminated. */
	const char *const *tags;
	const char *const *loaded_tags;
	uint32_t ntags;
	uint32_t nloaded_tags;

	/* NULL when the cell's tags may be edited; otherwise why not (for
	 * example "metadata.tags is not an array of strings"). */
	const char *readonly_reason;

	/* metadata.nbgrader when it is an object, else NULL (owned by the
	 * notebook). */
	const struct nb_nbgrader *nbgrader;
	struct nb_cell_layout layout;
	/* -1 when null or absent (or beyond 32 bits, which no kernel reaches) */
	int32_t execution_count;
	enum nb_cell_kind kind : 8;
	bool had_tags_key : 1;          /* "tags" member present when loaded */
};

/* Style of the file, detected at load; used to render new tags. */
struct nb_style {
	char newline[3];        /* "\n", "\r\n", "\r" or "" (compact file) */
	char indent[9];         /* indent unit: "", " ", "  ", "    ", "\t"... */
	char colon[4];          /* ":" or ": " (between key and value) */
	char comma[4];          /* "," or ", " in compact files */
	bool ascii_only;        /* file escapes non-ASCII as \uXXXX */
	bool final_newline;     /* file ends with a line break */
};

/* File identity at load time, for conflict detection. */
struct nb_fileinfo {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct timespec ctime;
	/* The ctime was older than the clock when the file was opened, on a
	 * local file system (ext4, xfs, btrfs, tmpfs, overlayfs, zfs, f2fs).
	 * Every later write, truncate or rename of the file then gives it
	 * another ctime, which no program can set back, so an equal ctime at
	 * save time proves the bytes unchanged without reading them again
	 * (git's "racy" rule).  When false the save compares the bytes.  As for
	 * git, a program writing through a shared memory mapping is not seen:
	 * the kernel updates the times of such writes lazily. */
	bool ctime_settled;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

struct notebook {
	char *path;                     /* as given to notebook_load */
	char *data;                     /* the loaded bytes (owned) */
	size_t len;
	long nbformat, nbformat_minor;
	struct nb_cell *cells;
	size_t ncells;                  /* cells in `cells` */
	size_t cells_in_file;           /* the file's cells: ncells unless partial */
	struct nb_style style;
	struct nb_fileinfo file;        /* zeroed for notebook_load_buffer */
	bool from_file;

	/* Non-NULL when the notebook as a whole cannot be edited (duplicate
	 * keys, wrong types...); the model is still complete for reading. */
	const char *readonly_reason;

	struct ct_arena *arena;         /* private allocator for the above */
	size_t data_map_len_;           /* private: data is mmapped when > 0 */
	size_t data_dropped_;           /* private: first bytes unmapped (lean) */
	size_t nmodified;               /* cells whose tags differ from loaded */
	bool preview;                   /* from notebook_load_preview: a part */
	bool partial;                   /* from notebook_load_cell: one cell */

	/* From notebook_load_lean: the loaded bytes are not in memory (data is
	 * NULL).  The file stays open (held_fd_) and rendering reads them from
	 * it again, after proving them unchanged (see notebook_load_lean). */
	bool released;
	int held_fd_;                   /* private: the loaded file, or -1 */
	uint64_t hash_;                 /* private: notebook_hash() when released */
	size_t release_min_;            /* private: reloads after a save reuse it */
	/* private: from notebook_load_cell_early, the rest of the file not yet
	 * checked (notebook_check_finish); notebook_save refuses to commit it. */
	bool early_;
};

/* Limits; larger input is refused with CT_TOOBIG (not a crash). */
#define NB_MAX_FILE_SIZE ((size_t)UINT32_MAX) /* 4 GiB - 1: spans are 32-bit */
#define NB_MAX_DEPTH 1000                    /* JSON nesting, as cJSON */

/* Load a notebook file.  On success *out owns a new notebook (free with
 * notebook_free) and CT_OK is returned.  On failure *out is NULL, err names
 * the file and, for syntax/UTF-8 errors, line and column.  The file is only
 * read, never written.  Refuses non-regular files, nbformat != 4. */
enum ct_status notebook_load(const char *path, struct notebook **out,
                             struct ct_error *err);

/* As notebook_load, for an editor that keeps a notebook open: when the file
 * is at least `release_min` bytes and its ctime is settled (nb_fileinfo),
 * the notebook does not keep the file's bytes.  They are given back while
 * the cells are parsed (so the file and the model are not both in memory),
 * the file is kept open, and `released` is set.  Rendering and saving read
 * the bytes again from the open file, which are the loaded ones while its
 * ctime is unchanged (the proof the save already relies on); when the ctime
 * changed they are compared with notebook_hash() of the loaded bytes, and a
 * file rewritten in place with other bytes gives CT_CONFLICT even to a
 * forced save ("the loaded version is gone"): the caller reloads and
 * reapplies its edits (recovery_from_notebook).  A file replaced by rename
 * keeps its loaded bytes readable, so forcing works as for notebook_load.
 * Files below release_min, or not settled, load as with notebook_load.
 * Costs one open file per released notebook; once half the process's
 * limit of open files is in use, notebooks load as with notebook_load. */
#define NB_RELEASE_MIN ((size_t)4 << 20)
enum ct_status notebook_load_lean(const char *path, size_t release_min,
                                  struct notebook **out, struct ct_error *err);

/* For tests: notebook_load_lean that reads, and gives parsed bytes back,
 * every `step` bytes (rounded up to pages; the default is 256 KB). */
enum ct_status notebook_load_lean_step(const char *path, size_t release_min, size_t step,
                                       struct notebook **out, struct ct_error *err);

/* For tests: the same, keeping only the cell `spec` names (NULL: all), with
 * after_read(ctx, bytes read so far) called after each step read, so a
 * test can change the file in the middle of a load. */
struct nb_lean_probe {
	void (*after_read)(void *ctx, size_t filled);
	void *ctx;
};
enum ct_status notebook_load_lean_probe(const char *path, const char *spec, size_t release_min,
                                        size_t step, const struct nb_lean_probe *probe,
                                        struct notebook **out, struct ct_error *err);

/* Read [off, off+n) of the loaded bytes into buf: from memory, or for a
 * released notebook from its file (the caller proves it unchanged, see
 * notebook_held_check).  CT_IO/CT_CONFLICT on a short read. */
enum ct_status notebook_read_bytes(const struct notebook *nb, size_t off, size_t n,
                                   char *buf, struct ct_error *err);

/* For a released notebook: CT_OK when its open file still holds the loaded
 * bytes, with *st (may be NULL) the file's status then (compare it after
 * reading, with notebook_held_same); CT_CONFLICT otherwise.  CT_OK at once
 * when not released. */
enum ct_status notebook_held_check(const struct notebook *nb, struct stat *st,
                                   struct ct_error *err);
/* True when the open file's status still equals *st (not released: true). */
bool notebook_held_same(const struct notebook *nb, const struct stat *st);

/* Same from memory: the bytes are copied; `name` is used in messages (may be
 * NULL).  The result has from_file false and cannot be saved with
 * notebook_save (use notebook_render). */
enum ct_status notebook_load_buffer(const char *data, size_t len,
                                    const char *name, struct notebook **out,
                                    struct ct_error *err);

/* The first cells of a big file, to show while notebook_load reads all of
 * it (an editor's first screen need not wait for 200 MB).  Reads the file's
 * first NB_PREVIEW_FIRST bytes, doubling up to NB_PREVIEW_MAX until at least
 * `min_cells` cells are whole, and keeps the cells complete before the cut.
 * Nothing after the cut is checked: the result has preview set, is
 * read-only, cannot be saved, and must be replaced by notebook_load's.
 * CT_FORMAT when no cell is whole in those bytes. */
#define NB_PREVIEW_FIRST ((size_t)1 << 20)
#define NB_PREVIEW_MAX ((size_t)32 << 20)
enum ct_status notebook_load_preview(const char *path, size_t min_cells,
                                     struct notebook **out, struct ct_error *err);

/* The same from the first `len` bytes of a notebook in memory (copied). */
enum ct_status notebook_preview_buffer(const char *data, size_t len, const char *name,
                                      struct notebook **out, struct ct_error *err);

/* Load a notebook keeping only the cell named by `spec` ("3" or "id:ID",
 * as notebook_find_cell) in the model.  Every cell is still parsed and
 * checked as by notebook_load (same errors, same read-only reasons) and the
 * result saves the same bytes, but the model costs one cell instead of all
 * of them: a command that edits one cell of 50,000 needs no more.  The
 * result has `partial` set; `cells` holds the named cell (none when the
 * spec names no cell: notebook_find_cell then gives the usual error), its
 * `index` is its place in the file, and cells_in_file counts all cells.
 * A partial notebook can be edited, rendered and saved; lint, coverage,
 * detection, suggestions and recovery need notebook_load (they refuse it
 * with CT_USAGE). */
enum ct_status notebook_load_cell(const char *path, const char *spec,
                                  struct notebook **out, struct ct_error *err);

/* notebook_load_cell that, as notebook_load_lean, does not keep the bytes
 * of a settled file of release_min bytes or more: it reads them a step at a
 * time as it parses and keeps the file open to save from (a `tag` of one
 * cell then costs the named cell, not the file).  The same conflict rules as
 * notebook_load_lean: a file rewritten in place since is CT_CONFLICT, even
 * to a forced save. */
enum ct_status notebook_load_cell_lean(const char *path, const char *spec, size_t release_min,
                                       struct notebook **out, struct ct_error *err);

/* notebook_load_cell_lean that does not wait for the whole file.  When the
 * file is read lean and the machine has a second CPU, *out comes back as
 * soon as the named cell is parsed, and a thread loads the whole file again
 * with notebook_load_cell_lean (*check set).  The caller may edit *out and
 * start its save meanwhile (the copy of a big file then overlaps the check
 * of its rest), but must call notebook_check_finish before anything counts:
 * notebook_save refuses to commit until it has (pass notebook_check_finish
 * through save_options.before_commit).  Otherwise (*check NULL) *out is a
 * whole notebook_load_cell_lean, with its errors. */
struct nb_check;
enum ct_status notebook_load_cell_early(const char *path, const char *spec, size_t release_min,
                                        struct notebook **out, struct nb_check **check,
                                        struct ct_error *err);

/* Wait for the check of an early load and free it (*check set to NULL; a
 * NULL *check is CT_OK).  CT_OK: the whole load succeeded and found the same
 * file, cell (as loaded: edits since do not matter), style and notebook
 * flags, so `nb` is what notebook_load_cell_lean gives (it gets the whole
 * file's hash and facts).  Otherwise *differs tells why: false, the whole
 * load failed and err is its error (report it as the load's: nothing may be
 * written); true, it loaded something else (the file changed, or a fact of
 * the whole file such as duplicate keys or its escaping style): drop `nb`
 * and do it again with notebook_load_cell_lean. */
enum ct_status notebook_check_finish(struct nb_check **check, struct notebook *nb,
                                     bool *differs, struct ct_error *err);

/* NULL when two cells are equal field by field (strings by value), else
 * the name of the first field that differs.  With as_loaded, the current
 * tags (edits) are not compared. */
const char *notebook_cell_diff(const struct nb_cell *a, const struct nb_cell *b, bool as_loaded);

/* The same from memory (copied), as notebook_load_buffer. */
enum ct_status notebook_load_buffer_cell(const char *data, size_t len, const char *name,
                                         const char *spec, struct notebook **out,
                                         struct ct_error *err);

/* Free a notebook and set *nb to NULL.  NULL and *nb == NULL are allowed. */
void notebook_free(struct notebook **nb);

/* CT_OK for a whole notebook; CT_USAGE with a message for a partial one
 * (for functions that need every cell). */
enum ct_status notebook_require_whole(const struct notebook *nb, struct ct_error *err);

/* Find a cell from a user spec: "3" (0-based index) or "id:<cell id>";
 * *index gets its position in nb->cells (its place in the file, except in a
 * partial notebook).  CT_CELL with a message when there is no such cell;
 * CT_USAGE on a bad spec. */
enum ct_status notebook_find_cell(const struct notebook *nb, const char *spec,
                                  size_t *index, struct ct_error *err);

/* True when some cell's tags differ from the loaded tags. */
bool notebook_modified(const struct notebook *nb);

/* Schema check of one tag (nbformat: non-empty string without a comma; we
 * also require valid UTF-8 and no control characters).  Returns true when
 * valid; otherwise *why (if non-NULL) gets a static one-line reason. */
bool tag_schema_valid(const char *tag, const char **why);

/* Tag edits.  Each validates against the schema, refuses read-only cells and
 * notebooks (CT_READONLY) and bad indices (CT_CELL).  *changed (may be NULL)
 * tells whether the list changed; adding a present tag or removing an absent
 * one is CT_OK with *changed false. */
enum ct_status notebook_tag_add(struct notebook *nb, size_t cell,
                                const char *tag, bool *changed,
                                struct ct_error *err);
enum ct_status notebook_tag_remove(struct notebook *nb, size_t cell,
                                   const char *tag, bool *changed,
                                   struct ct_error *err);
/* Replace the whole list (invalid tags and duplicates are refused with
 * CT_TAG, except that the list as loaded is always accepted, so an undo can
 * restore a cell whose file had tags the schema refuses). */
enum ct_status notebook_tags_set(struct notebook *nb, size_t cell,
                                 const char *const *tags, size_t ntags,
                                 bool *changed, struct ct_error *err);

/* True when the cell's tag list holds `tag`. */
bool cell_has_tag(const struct nb_cell *cell, const char *tag);

/* Content hash of the loaded bytes (64-bit, not cryptographic), for
 * recovery files. */
uint64_t notebook_hash(const struct notebook *nb);
/* The one-lane hash notebook_hash was before it took four lanes, still in
 * version 1 recovery files; for a released notebook read from the file it
 * holds (0 when that fails). */
uint64_t notebook_hash_legacy(const struct notebook *nb);
/* notebook_hash of bytes in memory. */
uint64_t ct_hash_content(const void *data, size_t len);
/* A one-lane hash of short strings (recovery file names) and the bytes of
 * version 1 recovery files. */
uint64_t ct_hash_bytes(const void *data, size_t len);

#endif
