/* testutil.h - small helpers shared by the core tests. */
#ifndef CELLTAG_TESTS_TESTUTIL_H
#define CELLTAG_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Wait until a file written now counts as settled: its ctime older than
 * the coarse clock (nb_fileinfo.ctime_settled), as lean loads require. */
void tu_settle(void);
/* Read a whole file (malloc'ed, NUL-terminated); NULL on error. */
char *tu_read(const char *path, size_t *len);
/* Write bytes to path (creating/truncating); false on error. */
bool tu_write(const char *path, const char *data, size_t len);
/* Copy a file; the copy is writable (mode 0644). */
bool tu_copy(const char *from, const char *to);
/* A fresh temporary folder (malloc'ed path). */
char *tu_tmpdir(void);
/* Remove a folder tree made by tu_tmpdir and free the path; NULL is fine. */
void tu_rmtree(char **dir);
/* Join folder and name into a static rotating buffer. */
const char *tu_path(const char *dir, const char *name);
/* Number of entries in a folder, "." and ".." excluded. */
int tu_count_entries(const char *dir);
/* The environment of a reproducible headless editor run with `dir` as its
 * home and state folder: UTF-8, xterm-256color, UTC, no user
 * configuration, colours on, no CELLTAG_SCRIPT. */
void tu_tui_env(const char *dir);

/* CPU seconds this process has used (user + system): for tests that compare
 * the cost of two input sizes, which a busy machine does not skew. */
double tu_cpu_seconds(void);

/* Call fn for every *.ipynb file below dir (hidden entries skipped), in
 * directory order. */
void tu_each_notebook(const char *dir, void (*fn)(const char *path, void *ctx), void *ctx);

/* Corpus folder (../shared/corpus or $CELLTAG_CORPUS), NULL if absent. */
const char *tu_corpus_dir(void);

#endif
