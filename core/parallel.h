/* parallel.h - run independent work items on a few threads.
 *
 * A course scan is a thousand independent notebooks; on a machine with
 * several cores they are loaded and checked side by side (as ncdu 2 scans
 * folders).  The results stay in item order because each item writes only
 * its own slot; the caller prints them afterwards.
 */
#ifndef CELLTAG_CORE_PARALLEL_H
#define CELLTAG_CORE_PARALLEL_H

#include <stddef.h>

#define PARALLEL_MAX_JOBS 16

/* How many threads to use for n items: `requested` when not 0, else one
 * per online CPU; never more than n or PARALLEL_MAX_JOBS, at least 1. */
unsigned parallel_jobs(unsigned requested, size_t n);

/* Call fn(ctx, i) once for every i in [0, n) on up to `jobs` threads, the
 * caller's included; items are handed out in increasing order.  Returns
 * when every call has returned.  fn may only write item i's own data and
 * must treat everything shared as read-only.  When a thread cannot be
 * started the others (at least the caller's) do its share: this never
 * fails. */
void parallel_for(size_t n, unsigned jobs, void (*fn)(void *ctx, size_t i),
                  void *ctx);

#endif
