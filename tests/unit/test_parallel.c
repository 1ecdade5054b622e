/* test_parallel.c - core/parallel.c: every item exactly once, any jobs. */
#include <criterion/criterion.h>

#include <stdatomic.h>
#include <stdlib.h>

#include "parallel.h"

struct tally {
	atomic_int *calls;
	size_t n;
	atomic_int out_of_range;
};

static void count(void *ctx, size_t i)
{
	struct tally *t = ctx;
	if (i >= t->n)
		atomic_fetch_add(&t->out_of_range, 1);
	else
		atomic_fetch_add(&t->calls[i], 1);
}

Test(parallel, every_item_once)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 17, 1000, 20000 };
	static const unsigned jobs[] = { 0, 1, 2, 3, 8, 16, 40 };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
			struct tally t = { calloc(sizes[s] + 1, sizeof(atomic_int)),
			                   sizes[s], 0 };
			cr_assert_not_null(t.calls);
			parallel_for(sizes[s], jobs[j], count, &t);
			cr_expect_eq(atomic_load(&t.out_of_range), 0);
			for (size_t i = 0; i < sizes[s]; i++)
				cr_expect_eq(atomic_load(&t.calls[i]), 1,
				             "n %zu jobs %u: item %zu called %d times",
				             sizes[s], jobs[j], i, atomic_load(&t.calls[i]));
			free(t.calls);
		}
	}
}

Test(parallel, jobs_clamped)
{
	cr_expect_eq(parallel_jobs(5, 2), 2);
	cr_expect_eq(parallel_jobs(5, 100), 5);
	cr_expect_eq(parallel_jobs(100, 1000), PARALLEL_MAX_JOBS);
	cr_expect_eq(parallel_jobs(3, 0), 1);
	unsigned n = parallel_jobs(0, 1000);
	cr_expect(n >= 1 && n <= PARALLEL_MAX_JOBS, "%u", n);
}
