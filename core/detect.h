/* detect.h - which code cells are exercises a student must complete.
 *
 * A code cell is an exercise cell when, checked in this order:
 *   nbgrader-solution  metadata.nbgrader marks it as a solution cell;
 *   nbgrader-grade     metadata.nbgrader marks it as a graded cell;
 *   placeholder        its source holds a placeholder pattern (below);
 *   stub-body          a `def`, `for` or `while` body (after an optional
 *                      docstring) is only `pass` or `...`;
 *   heading            the nearest markdown heading above it (any level)
 *                      names an exercise: it holds a heading word
 *                      ("Exercise 3.1", "### Practice: loops") and none of
 *                      example(s), demo(s), demonstration, solution(s);
 *   paragraph          a paragraph of the nearest markdown cells above it
 *                      (the run of markdown cells closest above) begins
 *                      with a heading word followed by a number or
 *                      punctuation: "**Exercise 2.** Write ...", "Task: ";
 *   instruction        it is the first code cell after markdown holding a
 *                      sentence that asks to change it: a task verb (write,
 *                      complete, fill, implement, define, modify, fix,
 *                      change, replace, rewrite, finish, edit) and "cell /
 *                      code / block below" or "following cell / code /
 *                      block", and none of we, let, run, example, demo,
 *                      here ("Modify the definition in the cell below").
 * The heading, paragraph and instruction rules do not fire when the nearest
 * markdown above begins a paragraph with "Example", "For example", "Demo" or
 * "Solution" (a demonstration cell inside an exercise section).  A word
 * like "example" never makes a cell an exercise by itself.
 *
 * Placeholder patterns are matched case-insensitively within one line of
 * the source; a space matches a run of blanks (which may be empty unless
 * the space follows a letter or digit); `*` matches any characters of the
 * line; a pattern that begins (ends) with a letter or a digit must begin
 * (end) at a word boundary.  Built-in patterns:
 *   "YOUR CODE HERE", "# your * here", "YOUR ANSWER HERE",
 *   "raise NotImplementedError", "BEGIN SOLUTION", "# TODO"
 * Config `exercise_patterns` replaces them, `extra_exercise_patterns` adds
 * to them; the stub-body rule is always on.  Built-in heading words:
 * exercise, problem, task, practice, challenge (config `heading_words`
 * replaces them); a word also matches with a final "s" ("Exercises").
 *
 * Exercise numbers: the number written after the heading word of the
 * heading or paragraph that applies ("Exercise 3.1" -> "3-1", "Problem 5a"
 * -> "5a", "Exercise B" -> "b"), or, when the nearest heading names no
 * exercise but starts with a number ("# 5a.", "## 2) Loops"), that number.
 * Dots become hyphens so numbers are kebab-safe; suggest.h drops a leading
 * part equal to the lesson number.
 *
 * Cost: one pass over every cell's source, patterns compiled once per
 * detector (not per cell or per notebook); no allocation per notebook.
 */
#ifndef CELLTAG_CORE_DETECT_H
#define CELLTAG_CORE_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "notebook.h"
#include "status.h"

#define DETECT_NUMBER_MAX 24

/* _(ENUM, "name") */
#define DETECT_REASON_INFO(_) \
	_(NONE,              "none") \
	_(NBGRADER_SOLUTION, "nbgrader-solution") \
	_(NBGRADER_GRADE,    "nbgrader-grade") \
	_(PLACEHOLDER,       "placeholder") \
	_(STUB_BODY,         "stub-body") \
	_(HEADING,           "heading") \
	_(PARAGRAPH,         "paragraph") \
	_(INSTRUCTION,       "instruction")

enum detect_reason {
#define DETECT_REASON_ENUM(e, name) DETECT_##e,
	DETECT_REASON_INFO(DETECT_REASON_ENUM)
#undef DETECT_REASON_ENUM
	DETECT_REASON_COUNT
};

struct detect_result {
	bool is_exercise;
	enum detect_reason reason;      /* DETECT_NONE when not an exercise */
	/* The placeholder pattern that matched, as configured (owned by the
	 * detector), NULL for other reasons. */
	const char *pattern;
	/* Exercise number named above the cell, kebab-case ("3-1"), "" if
	 * none.  Filled for every code cell, exercise or not. */
	char number[DETECT_NUMBER_MAX];
};

struct detector;

/* Compile the patterns and heading words of `cfg` (NULL: built-ins).  The
 * detector copies what it needs: cfg may be freed afterwards.  Free with
 * detector_free.  CT_NOMEM on allocation failure. */
enum ct_status detector_new(const struct ct_config *cfg, struct detector **out,
                            struct ct_error *err);
void detector_free(struct detector **det);

/* Detect every cell of `nb` into out[0 .. nb->ncells-1] (caller-provided).
 * Non-code cells get is_exercise false.  A partial notebook (one cell, see
 * notebook_load_cell) lacks the cells above, which detection reads: every
 * result is then "not an exercise"; detect_notebook_alloc refuses it. */
void detect_notebook(const struct detector *det, const struct notebook *nb,
                     struct detect_result *out);

/* Detect every cell of `nb` into a new array (at least one element; the
 * caller frees *out).  `det` may be NULL: then a detector is built from cfg
 * for this call (callers that detect many notebooks keep one instead).
 * CT_NOMEM. */
enum ct_status detect_notebook_alloc(const struct detector *det,
                                     const struct ct_config *cfg,
                                     const struct notebook *nb,
                                     struct detect_result **out,
                                     struct ct_error *err);

/* "placeholder", ...  */
const char *detect_reason_name(enum detect_reason r);

/* Lower-level pieces, exposed for tests. */
/* True when `src` holds a placeholder; *pattern gets which one. */
bool detect_placeholder(const struct detector *det, const char *src,
                        size_t len, const char **pattern);
/* True when a def/for/while body in `src` is only pass or `...`. */
bool detect_stub_body(const char *src, size_t len);

#endif
