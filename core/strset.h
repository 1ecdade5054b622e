/* strset.h - a small open-addressing hash map from strings to a size_t,
 * used by lint and suggest to find duplicates in linear time.
 *
 * The set does not copy keys: the caller keeps them alive while the set is
 * used.  strset_free releases only the table.
 */
#ifndef CELLTAG_CORE_STRSET_H
#define CELLTAG_CORE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	const char **keys;
	size_t *values;
	size_t cap, n;
};

/* Room for at least `expected` keys; false on out-of-memory. */
bool strset_init(struct strset *s, size_t expected);
void strset_free(struct strset *s);
/* Insert key -> value unless present.  Returns false on out-of-memory.
 * *found (may be NULL) tells whether the key was already there; the
 * existing value is kept then. */
bool strset_add(struct strset *s, const char *key, size_t value, bool *found);
/* True when present; *value (may be NULL) gets its value. */
bool strset_get(const struct strset *s, const char *key, size_t *value);

#endif
