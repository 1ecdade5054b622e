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

static inline bool nbc_span_eq(struct nb_span a, struct nb_span b)
{
	return a.start == b.start && a.end == b.end;
}

static inline bool nbc_list_eq(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!nbc_str_eq(a[i], b[i]))
			return false;
	return true;
}

/* NULL when the cells are equal field by field (strings by value), else
 * the name of the first field that differs. */
static inline const char *nbc_cell_diff(const struct nb_cell *a, const struct nb_cell *b)
{
	if (a->index != b->index)
		return "index";
	if (!nbc_str_eq(a->id, b->id))
		return "id";
	if (!nbc_str_eq(a->cell_type, b->cell_type) || a->kind != b->kind)
		return "cell_type";
	if (a->source_len != b->source_len || memcmp(a->source, b->source, a->source_len) != 0)
		return "source";
	if (a->execution_count != b->execution_count)
		return "execution_count";
	if (!nbc_list_eq(a->tags, a->ntags, b->tags, b->ntags))
		return "tags";
	if (!nbc_list_eq(a->loaded_tags, a->nloaded_tags, b->loaded_tags, b->nloaded_tags))
		return "loaded_tags";
	if (a->had_tags_key != b->had_tags_key)
		return "had_tags_key";
	if (!nbc_str_eq(a->readonly_reason, b->readonly_reason))
		return "readonly_reason";
	const struct nb_nbgrader *g = a->nbgrader, *h = b->nbgrader;
	if (!g != !h)
		return "nbgrader";
	if (g && (g->present != h->present || g->solution != h->solution || g->grade != h->grade ||
	          g->locked != h->locked || g->task != h->task ||
	          !nbc_str_eq(g->grade_id, h->grade_id) || !(g->points == h->points)))
		return "nbgrader";
	const struct nb_cell_layout *l = &a->layout, *m = &b->layout;
	if (!nbc_span_eq(l->object, m->object) || !nbc_span_eq(l->metadata_key, m->metadata_key) ||
	    !nbc_span_eq(l->metadata, m->metadata) || l->tags_member != m->tags_member ||
	    l->nmembers != m->nmembers)
		return "layout";
	for (size_t i = 0; i < l->nmembers; i++)
		if (!nbc_span_eq(l->members[i].key, m->members[i].key) ||
		    !nbc_span_eq(l->members[i].value, m->members[i].value) ||
		    !nbc_str_eq(l->members[i].name, m->members[i].name))
			return "layout.members";
	return NULL;
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
