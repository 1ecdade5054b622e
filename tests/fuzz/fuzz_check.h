/* fuzz_check.h - assertion helper shared by the libFuzzer targets.
 *
 * A failed property is a finding: print what broke and abort(), so libFuzzer
 * records the input as a crash (crash-<sha1>) exactly as for a sanitizer
 * report.  Only for tests/fuzz/; core/ never aborts.
 */
#ifndef CELLTAG_FUZZ_CHECK_H
#define CELLTAG_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: property failed: %s: ", \
			        __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

/* An error from the core must be one line naming what it is about. */
#define FUZZ_CHECK_ERROR(err, st) \
	do { \
		FUZZ_CHECK((err)->status == (st), "err.status %d != %d", \
		           (int)(err)->status, (int)(st)); \
		FUZZ_CHECK((err)->msg[0] != '\0', "empty message"); \
		FUZZ_CHECK(strchr((err)->msg, '\n') == NULL, \
		           "multi-line message: %s", (err)->msg); \
		FUZZ_CHECK((err)->line >= 0 && (err)->col >= 0, \
		           "negative position %ld:%ld", (err)->line, (err)->col); \
	} while (0)

#endif
