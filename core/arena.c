/* arena.c - bump allocator: a notebook's many small strings in few mallocs. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char mem[];
};

struct ct_arena {
	struct arena_chunk *head;
};

#define ARENA_CHUNK_MIN (64 * 1024)

struct ct_arena *arena_new(void)
{
	return calloc(1, sizeof(struct ct_arena));
}

static struct arena_chunk *chunk_new(size_t need)
{
	size_t cap = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;
	if (cap > SIZE_MAX - sizeof(struct arena_chunk))
		return NULL;
	struct arena_chunk *c = malloc(sizeof *c + cap);
	if (!c)
		return NULL;
	c->next = NULL;
	c->used = 0;
	c->cap = cap;
	return c;
}

/* `align` is 16 (any object) or 1 (bytes: a notebook's 50,000 short
 * strings would waste 8 bytes each on average if rounded to 16). */
static void *arena_take(struct ct_arena *a, size_t size, size_t align)
{
	if (!a || size > SIZE_MAX - 15)
		return NULL;
	struct arena_chunk *c = a->head;
	size_t off = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || off > c->cap || c->cap - off < size) {
		/* Big requests get their own chunk behind the head so the head's
		 * free space is not wasted. */
		struct arena_chunk *n = chunk_new(size);
		if (!n)
			return NULL;
		if (c && size > ARENA_CHUNK_MIN / 4) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
		off = 0;
	}
	void *p = c->mem + off;
	c->used = off + size;
	return p;
}

void *arena_alloc(struct ct_arena *a, size_t size)
{
	return arena_take(a, size, 16);
}

void *arena_alloc_bytes(struct ct_arena *a, size_t size)
{
	return arena_take(a, size, 1);
}

void *arena_zalloc(struct ct_arena *a, size_t size)
{
	void *p = arena_alloc(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

char *arena_strndup(struct ct_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = arena_alloc_bytes(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void arena_reset(struct ct_arena *a)
{
	if (!a || !a->head)
		return;
	struct arena_chunk *c = a->head->next;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head->next = NULL;
	a->head->used = 0;
}

void arena_adopt(struct ct_arena *to, struct ct_arena *from)
{
	if (!to || !from || !from->head)
		return;
	/* from's chunks go behind to's head: the head keeps its free space. */
	struct arena_chunk *last = from->head;
	while (last->next)
		last = last->next;
	if (to->head) {
		last->next = to->head->next;
		to->head->next = from->head;
	} else {
		to->head = from->head;
	}
	from->head = NULL;
}

void arena_free(struct ct_arena **a)
{
	if (!a || !*a)
		return;
	struct arena_chunk *c = (*a)->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(*a);
	*a = NULL;
}
