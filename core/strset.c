/* strset.c - string hash map (see strset.h). */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

bool strset_init(struct strset *s, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2 + 1)
		cap *= 2;
	s->n = 0;
	s->cap = cap;
	s->keys = calloc(cap, sizeof *s->keys);
	s->values = calloc(cap, sizeof *s->values);
	if (!s->keys || !s->values) {
		strset_free(s);
		return false;
	}
	return true;
}

void strset_free(struct strset *s)
{
	free(s->keys);
	free(s->values);
	s->keys = NULL;
	s->values = NULL;
	s->cap = s->n = 0;
}

static size_t slot(const struct strset *s, const char *key)
{
	size_t i = (size_t)hash_str(key) & (s->cap - 1);
	while (s->keys[i] && strcmp(s->keys[i], key) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static bool grow(struct strset *s)
{
	struct strset bigger;
	if (!strset_init(&bigger, s->cap))
		return false;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		size_t j = slot(&bigger, s->keys[i]);
		bigger.keys[j] = s->keys[i];
		bigger.values[j] = s->values[i];
		bigger.n++;
	}
	strset_free(s);
	*s = bigger;
	return true;
}

bool strset_add(struct strset *s, const char *key, size_t value, bool *found)
{
	if (found)
		*found = false;
	if (!s->keys)
		return false;
	size_t i = slot(s, key);
	if (s->keys[i]) {
		if (found)
			*found = true;
		return true;
	}
	if ((s->n + 1) * 2 > s->cap) {
		if (!grow(s))
			return false;
		i = slot(s, key);
	}
	s->keys[i] = key;
	s->values[i] = value;
	s->n++;
	return true;
}

bool strset_get(const struct strset *s, const char *key, size_t *value)
{
	if (!s->keys)
		return false;
	size_t i = slot(s, key);
	if (!s->keys[i])
		return false;
	if (value)
		*value = s->values[i];
	return true;
}
