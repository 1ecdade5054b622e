/* runstat.c - run one command, report its wall time, CPU time and peak RSS.
 *
 * Usage: runstat REPORT_FILE COMMAND [ARG...]
 *
 * Writes "wall_ns utime_us stime_us maxrss_kb exit_status start_ns\n" to
 * REPORT_FILE (start_ns: CLOCK_MONOTONIC just before the fork, so a time the
 * command writes on that clock, like celltag's $CELLTAG_TIMING, can be made
 * relative to its start) and exits with the command's status (128+signal when killed).  Why not
 * wait4() from the Python harness: a child forked from a 16 MB Python keeps
 * the parent's resident pages in its ru_maxrss (the high-water mark survives
 * exec), so every tool would seem to need 16 MB.  Forked from this small
 * program, the peak RSS reported is the command's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long ns_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0->tv_sec) * 1000000000LL +
	       (t1.tv_nsec - t0->tv_nsec);
}

int main(int argc, char **argv)
{
	struct timespec t0;
	struct rusage ru;
	int status, code;
	long long wall;
	pid_t pid;
	FILE *rep;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat REPORT_FILE COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 2;
		}
	}
	wall = ns_since(&t0);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	rep = fopen(argv[1], "w");
	if (!rep) {
		perror("runstat: report file");
		return 2;
	}
	fprintf(rep, "%lld %ld %ld %ld %d %lld\n", wall,
	        (long)ru.ru_utime.tv_sec * 1000000L + (long)ru.ru_utime.tv_usec,
	        (long)ru.ru_stime.tv_sec * 1000000L + (long)ru.ru_stime.tv_usec,
	        ru.ru_maxrss, code, (long long)t0.tv_sec * 1000000000LL + t0.tv_nsec);
	fclose(rep);
	return code;
}
