/* nb_compare.h - deep comparison of two loaded cells, for tests and fuzz
 * targets that check one way of loading against another (a partial load
 * against the full one).  Header-only, no test framework. */
#ifndef CELLTAG_TESTS_NB_COMPARE_H
#define CELLTAG_TESTS_NB_COMPARE_H

#include <stdbool.h>
#include <string.h>

#include "notebook.h"

static inline bool nbc_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* NULL when the cells are equal field by field (strings by value), else
 * the name of the first field that differs (core's notebook_cell_diff). */
static inline const char *nbc_cell_diff(const struct nb_cell *a, const struct nb_cell *b)
{
	return notebook_cell_diff(a, b, false);
}

/* NULL when the notebook-wide parts of the model are equal. */
static inline const char *nbc_notebook_diff(const struct notebook *a, const struct notebook *b)
{
	/* A released notebook (notebook_load_lean) has no bytes in memory: its
	 * hash of the loaded bytes stands for them. */
	if (a->len != b->len ||
	    (a->released || b->released ? notebook_hash(a) != notebook_hash(b)
	                                : memcmp(a->data, b->data, a->len) != 0))
		return "data";
	if (a->nbformat != b->nbformat || a->nbformat_minor != b->nbformat_minor)
		return "nbformat";
	if (a->cells_in_file != b->cells_in_file)
		return "cells_in_file";
	if (memcmp(&a->style, &b->style, sizeof a->style) != 0)
		return "style";
	if (!nbc_str_eq(a->readonly_reason, b->readonly_reason))
		return "readonly_reason";
	return NULL;
}

#endif
