/* test_arena.c - the bump allocator (core/arena.c), in particular the two
 * operations a one-cell load relies on: arena_reset drops a cell's strings,
 * arena_adopt hands a kept cell's strings to the notebook.  Under ASan
 * (make asan) a pointer used after its arena is gone, or a chunk never
 * freed, is a failure. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"

Test(arena, allocations_are_aligned_and_distinct)
{
	struct ct_arena *a = arena_new();
	cr_assert_not_null(a);
	char *prev = NULL;
	for (size_t n = 1; n < 300; n += 7) {
		char *p = arena_alloc(a, n);
		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % 16, 0, "%zu bytes not 16-byte aligned", n);
		memset(p, 'x', n);
		cr_assert(p != prev);
		prev = p;
	}
	/* A big request gets a chunk of its own and the small ones go on. */
	char *big = arena_alloc(a, 1 << 20);
	cr_assert_not_null(big);
	memset(big, 'b', 1 << 20);
	char *s = arena_strndup(a, "hello", 5);
	cr_assert_str_eq(s, "hello");
	arena_free(&a);
	cr_assert_null(a);
	arena_free(&a);
}

Test(arena, reset_frees_all_but_keeps_working)
{
	struct ct_arena *a = arena_new();
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 100; i++)
			cr_assert_not_null(arena_strndup(a, "a string of a cell", 18));
		cr_assert_not_null(arena_alloc(a, 200000));  /* a chunk of its own */
		arena_reset(a);
	}
	char *s = arena_strndup(a, "after", 5);
	cr_assert_str_eq(s, "after");
	arena_reset(a);
	arena_reset(a);
	arena_free(&a);
	arena_reset(NULL);
}

Test(arena, adopt_moves_everything_and_pointers_stay_valid)
{
	struct ct_arena *to = arena_new(), *from = arena_new();
	char *kept[64];
	char *mine = arena_strndup(to, "the notebook's own", 18);
	for (int i = 0; i < 64; i++) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "cell string %d", i);
		kept[i] = arena_strndup(from, buf, (size_t)n);
	}
	char *big = arena_alloc(from, 300000);
	memset(big, 'z', 300000);
	arena_adopt(to, from);
	/* `from` is empty, usable, and freeing it frees none of the above. */
	cr_assert_not_null(arena_strndup(from, "scratch", 7));
	arena_free(&from);
	for (int i = 0; i < 64; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "cell string %d", i);
		cr_assert_str_eq(kept[i], buf);
	}
	cr_assert_eq(big[299999], 'z');
	cr_assert_str_eq(mine, "the notebook's own");
	/* Adopting an empty arena, or into an empty one, is fine too. */
	struct ct_arena *empty = arena_new(), *fresh = arena_new();
	arena_adopt(to, empty);
	char *x = arena_strndup(to, "more", 4);
	arena_adopt(fresh, to);
	cr_assert_str_eq(x, "more");
	cr_assert_str_eq(kept[3], "cell string 3");
	arena_free(&empty);
	arena_free(&to);
	arena_free(&fresh);
}
