/* lesson.h - which lesson a notebook belongs to.
 *
 * A lesson id is kebab-case, conventionally `lesson-<NN>[letter]` with at
 * least two digits.  From a file name (directories are ignored):
 *   lesson_03.ipynb -> lesson-03     Lesson 6a.ipynb -> lesson-06a
 *   lesson_06a.ipynb -> lesson-06a   03 Conditionals.ipynb -> lesson-03
 *   week2/lesson-1.ipynb -> lesson-01   python_ex_3.ipynb -> lesson-03
 * Rules, first that applies: a number after the word "lesson"; a number at
 * the start of the name; the first number in the name.  A letter directly
 * after the digits and not followed by another letter is kept ("6a", but
 * not the "p" of "test4plus").  Leading zeros are dropped, then the number
 * is padded to two digits.  A name without any digit gets the fallback
 * `lesson-<slug of the name>` (at most 40 characters) and the functions
 * report that no lesson number was found.
 *
 * Which lesson a notebook's suggestions use, first that applies:
 * `--lesson` (the `option` argument), config `lesson`, the lesson most used
 * by the notebook's existing assignment tags, the file name.
 */
#ifndef CELLTAG_CORE_LESSON_H
#define CELLTAG_CORE_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "notebook.h"

#define LESSON_MAX 64           /* buffer size for a lesson id */

enum lesson_source {
	LESSON_FROM_OPTION,     /* --lesson */
	LESSON_FROM_CONFIG,     /* config key `lesson` */
	LESSON_FROM_TAGS,       /* existing assignment tags */
	LESSON_FROM_NAME,       /* the file name */
	LESSON_FALLBACK         /* no number anywhere: slug of the name */
};

/* "--lesson", "config", "tags", "file name", "fallback". */
const char *lesson_source_name(enum lesson_source src);

/* Lesson of a file path into buf (size >= LESSON_MAX).  True when the
 * name holds a lesson number; false with the fallback in buf otherwise. */
bool lesson_from_path(const char *path, char *buf, size_t size);

/* Normalise a user-given lesson: "3", "03", "6A", "Lesson 6a", "lesson_3",
 * "lesson-03" -> "lesson-03"/"lesson-06a"; any other text becomes its
 * kebab-case slug ("Week 2" -> "week-2").  False (buf "") when nothing
 * usable is left. */
bool lesson_normalize(const char *in, char *buf, size_t size);

/* The lesson most used by the notebook's assignment tags (first seen wins
 * a tie).  False (buf "") when no tag names a lesson. */
bool lesson_from_tags(const struct notebook *nb, const struct ct_config *cfg,
                      char *buf, size_t size);

/* The lesson for suggestions (see the order above).  `path` may be NULL
 * (then nb->path is used); `option` may be NULL.  Always fills buf. */
enum lesson_source lesson_for_notebook(const struct notebook *nb,
                                       const char *path,
                                       const struct ct_config *cfg,
                                       const char *option,
                                       char *buf, size_t size);

/* The lesson the notebook's tags are expected to name, from outside the
 * tags: option, config, then file name.  False when none is known (a file
 * name without a number). */
bool lesson_expected(const char *path, const struct ct_config *cfg,
                     const char *option, char *buf, size_t size,
                     enum lesson_source *src);

/* Same lesson?  "lesson-3" equals "lesson-03"; other ids compare exactly. */
bool lesson_equal(const char *a, const char *b);

/* The number of a conventional lesson without zero padding and lowercase
 * ("lesson-06a" -> "6a"), into buf.  False for unconventional ids. */
bool lesson_number(const char *lesson, char *buf, size_t size);

#endif
