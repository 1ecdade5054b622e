/* arena.h - bump allocator owning a notebook's strings and arrays.
 * Everything allocated from an arena is freed at once by arena_free. */
#ifndef CELLTAG_CORE_ARENA_H
#define CELLTAG_CORE_ARENA_H

#include <stddef.h>

struct ct_arena;

struct ct_arena *arena_new(void);
/* NULL on out-of-memory.  Memory is 16-byte aligned and not zeroed. */
void *arena_alloc(struct ct_arena *a, size_t size);
void *arena_zalloc(struct ct_arena *a, size_t size);
/* Unaligned bytes (strings): no padding between them. */
void *arena_alloc_bytes(struct ct_arena *a, size_t size);
char *arena_strndup(struct ct_arena *a, const char *s, size_t n);
/* Free everything allocated from `a` but keep its first chunk for reuse:
 * pointers into it become invalid.  For scratch arenas used per item. */
void arena_reset(struct ct_arena *a);
/* Move everything allocated from `from` into `to`, leaving `from` empty:
 * the pointers stay valid and are freed with `to`. */
void arena_adopt(struct ct_arena *to, struct ct_arena *from);
void arena_free(struct ct_arena **a);

#endif
