/* parallel.c - see parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

unsigned parallel_jobs(unsigned requested, size_t n)
{
	unsigned jobs = requested;
	if (jobs == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = cpus > 0 ? (unsigned)cpus : 1;
	}
	if (jobs > PARALLEL_MAX_JOBS)
		jobs = PARALLEL_MAX_JOBS;
	if (jobs > n)
		jobs = (unsigned)n;
	return jobs ? jobs : 1;
}

struct work {
	atomic_size_t next;             /* next item to hand out */
	size_t n;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void *worker(void *arg)
{
	struct work *w = arg;
	for (;;) {
		size_t i = atomic_fetch_add_explicit(&w->next, 1,
		                                     memory_order_relaxed);
		if (i >= w->n)
			return NULL;
		w->fn(w->ctx, i);
	}
}

void parallel_for(size_t n, unsigned jobs, void (*fn)(void *ctx, size_t i),
                  void *ctx)
{
	struct work w = { .n = n, .fn = fn, .ctx = ctx };
	pthread_t tid[PARALLEL_MAX_JOBS];
	unsigned started = 0;

	atomic_init(&w.next, 0);
	if (jobs > PARALLEL_MAX_JOBS)
		jobs = PARALLEL_MAX_JOBS;
	/* Only start threads when there is more than one item for them. */
	for (unsigned t = 1; t < jobs && n > 1; t++) {
		if (pthread_create(&tid[started], NULL, worker, &w) != 0)
			break;
		started++;
	}
	worker(&w);
	/* pthread_join is also the memory barrier that makes the items'
	 * results visible to the caller. */
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}
