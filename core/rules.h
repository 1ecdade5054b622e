/* rules.h - what a good assignment tag looks like, and the finding codes.
 *
 * An assignment tag is `<prefix><id>` where the prefix comes from the
 * configuration (default "assignment:") and the id is kebab-case: lowercase
 * ASCII letters, digits and single hyphens, no leading or trailing hyphen,
 * 1..RULES_ID_MAX characters.  The conventional id shape is
 * `lesson-<NN>[a-z]-<kind>-<n>` where <NN> has at least two digits, <kind>
 * is exercise, practice, problem, task or challenge, and <n> is a number
 * with optional `-<number>` parts and an optional final letter:
 * `lesson-03-exercise-1`, `lesson-06a-exercise-2`, `lesson-01-practice-1-2`.
 *
 * Every finding celltag can report has a stable code (its name, printed in
 * brackets by `celltag lint` and stable across releases), a severity and a
 * one-line description, all declared once in RULES_CODE_INFO.
 *
 * Nothing here allocates; all returned strings are static.
 */
#ifndef CELLTAG_CORE_RULES_H
#define CELLTAG_CORE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define RULES_ID_MAX 64          /* characters after the prefix */
#define RULES_TAG_MAX 512        /* buffer size fitting any tag we build */

enum rules_severity { RULES_ERROR, RULES_WARNING, RULES_INFO };

/* _(ENUM, "code-name", SEVERITY, "description") */
#define RULES_CODE_INFO(_) \
	_(OK,                   "ok",                   INFO,    "no problem") \
	_(TAG_EMPTY,            "tag-empty",            ERROR,   "empty tag (nbformat requires non-empty tags)") \
	_(TAG_COMMA,            "tag-comma",            ERROR,   "tag contains a comma (not allowed by nbformat)") \
	_(TAG_INVALID,          "tag-invalid",          ERROR,   "tag is not valid UTF-8 text or holds control characters") \
	_(TAG_DUPLICATE,        "tag-duplicate",        ERROR,   "the same tag twice on one cell (nbformat requires unique tags)") \
	_(TAGS_NOT_ARRAY,       "tags-not-array",       ERROR,   "metadata.tags is not an array of strings") \
	_(CELL_READONLY,        "cell-readonly",        ERROR,   "cell metadata cannot be read safely (duplicate keys, no metadata object)") \
	_(ASSIGN_EMPTY,         "assignment-empty",     ERROR,   "nothing after the assignment prefix") \
	_(ASSIGN_UPPERCASE,     "assignment-uppercase", ERROR,   "assignment tag has uppercase letters") \
	_(ASSIGN_SPACE,         "assignment-space",     ERROR,   "assignment tag has spaces") \
	_(ASSIGN_UNDERSCORE,    "assignment-underscore", ERROR,  "assignment tag has underscores") \
	_(ASSIGN_CHARS,         "assignment-chars",     ERROR,   "assignment tag has characters other than a-z, 0-9 and '-'") \
	_(ASSIGN_HYPHEN,        "assignment-hyphen",    ERROR,   "assignment tag has a leading, trailing or double hyphen") \
	_(ASSIGN_LENGTH,        "assignment-length",    ERROR,   "assignment tag id longer than 64 characters") \
	_(ASSIGN_PREFIX_CASE,   "assignment-prefix",    WARNING, "tag looks like an assignment tag but the prefix is spelled differently") \
	_(ASSIGN_MULTIPLE,      "assignment-multiple",  WARNING, "more than one assignment tag on a cell (the platform reads only the first)") \
	_(ASSIGN_DUPLICATE,     "assignment-duplicate", WARNING, "the same assignment tag on two cells") \
	_(ASSIGN_NOT_CODE,      "assignment-not-code",  WARNING, "assignment tag on a markdown or raw cell") \
	_(ASSIGN_LESSON,        "assignment-lesson",    WARNING, "assignment tag names another lesson than the notebook's") \
	_(ASSIGN_SHAPE,         "assignment-shape",     WARNING, "assignment tag does not follow lesson-<id>-<kind>-<n>") \
	_(NOTEBOOK_READONLY,    "notebook-readonly",    WARNING, "notebook cannot be edited safely") \
	_(EXERCISE_UNTAGGED,    "exercise-untagged",    INFO,    "exercise cell without an assignment tag")

enum rules_code {
#define RULES_CODE_ENUM(e, name, sev, desc) RULE_##e,
	RULES_CODE_INFO(RULES_CODE_ENUM)
#undef RULES_CODE_ENUM
	RULE_COUNT
};

/* "tag-empty", ...; "?" for an out-of-range code. */
const char *rules_code_name(enum rules_code code);
const char *rules_code_description(enum rules_code code);
enum rules_severity rules_code_severity(enum rules_code code);
/* "error", "warning", "info". */
const char *rules_severity_name(enum rules_severity sev);
/* Code from its name, RULE_COUNT when unknown. */
enum rules_code rules_code_from_name(const char *name);

/* The configured prefix (cfg may be NULL: the default). */
const char *rules_prefix(const struct ct_config *cfg);

/* True when `tag` starts with the assignment prefix. */
bool rules_is_assignment(const struct ct_config *cfg, const char *tag);

/* Check one tag before it is applied (the TUI prompt, `celltag tag`):
 * nbformat schema first, then, for assignment tags, the id rules and the
 * conventional shape.  Returns RULE_OK, or the first rule broken with *why
 * (may be NULL) set to a static one-line reason.  Only ASSIGN_SHAPE is a
 * warning (the tag is usable); every other non-OK code is an error.  A
 * non-assignment tag is only checked against the schema. */
enum rules_code rules_check_tag(const struct ct_config *cfg, const char *tag,
                                const char **why);

/* Check an assignment id (the part after the prefix) against the kebab-case
 * rules only: RULE_OK or one of the ASSIGN_* error codes. */
enum rules_code rules_check_id(const char *id, size_t len, const char **why);

/* True when a valid id has the conventional shape (see above). */
bool rules_id_conventional(const char *id);

/* Lesson part of an assignment tag: "lesson-03" from
 * "assignment:lesson-03-exercise-1", or the part before "-<kind>-" for
 * unconventional ids ("week2" from "assignment:week2-task-1").  Writes it
 * to buf and returns true; false (buf "") when the tag is not an assignment
 * tag or names no lesson. */
bool rules_tag_lesson(const struct ct_config *cfg, const char *tag,
                      char *buf, size_t size);

#endif
