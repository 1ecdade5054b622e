/* config.h - celltag's configuration (YAML, read with libyaml).
 *
 * File: $XDG_CONFIG_HOME/celltag/config.yaml (default
 * ~/.config/celltag/config.yaml) or an explicit --config FILE.  Schema (all
 * keys optional; unknown keys and wrong types are CT_CONFIG errors with
 * file:line:col):
 *
 *   tag_prefix: "assignment:"              # string
 *   suggestion: "{prefix}{lesson}-exercise-{n}"   # template
 *   lesson: "lesson-03"                    # force the lesson of every file
 *   theme: default                         # TUI theme name
 *   exercise_patterns: [ "YOUR CODE HERE", ... ]   # replace the defaults
 *   extra_exercise_patterns: [ ... ]       # add to the defaults
 *   heading_words: [ exercise, problem, task, practice, challenge ]
 *   keys: { "<C-s>": save, "x": tag-toggle }   # TUI key bindings
 *
 * Ownership: config_load fills a caller-provided struct; strings and arrays
 * inside it are heap-allocated and released by config_free (which resets the
 * struct to defaults-free zero state).  config_init_defaults sets only static
 * strings, so a defaults-only config needs no config_free (calling it is
 * harmless).
 */
#ifndef CELLTAG_CORE_CONFIG_H
#define CELLTAG_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

#define CT_DEFAULT_TAG_PREFIX "assignment:"
#define CT_DEFAULT_SUGGESTION "{prefix}{lesson}-exercise-{n}"

struct ct_keybinding {
	char *key;      /* key name as the keymap parses it: "j", "<C-s>", "<F1>" */
	char *action;   /* action name: "tag-toggle", ... */
	long line, col; /* where it was written, for later error messages */
};

struct ct_config {
	const char *tag_prefix;          /* never NULL after init */
	const char *suggestion;          /* never NULL after init */
	const char *lesson;              /* NULL: from file name */
	const char *theme;               /* NULL: "default" */
	/* NULL with count 0: use the built-in exercise patterns. */
	const char *const *exercise_patterns;
	size_t nexercise_patterns;
	const char *const *extra_exercise_patterns;
	size_t nextra_exercise_patterns;
	const char *const *heading_words; /* NULL: built-in list */
	size_t nheading_words;
	struct ct_keybinding *keys;
	size_t nkeys;
	char *source_path;               /* file it came from, NULL: defaults */
	void *owned_;                    /* private: allocations to free */
};

void config_init_defaults(struct ct_config *cfg);

/* Path of the default config file into buf (uses XDG_CONFIG_HOME / HOME).
 * Returns buf, or NULL when no home is known. */
char *config_default_path(char *buf, size_t size);

/* Load `path` over the defaults.  When `path` is NULL the default path is
 * used and a missing file is not an error.  An explicit missing path is
 * CT_NOTFOUND. */
enum ct_status config_load(struct ct_config *cfg, const char *path,
                           struct ct_error *err);

/* Load from memory (for tests and fuzzing); name is used in messages. */
enum ct_status config_load_buffer(struct ct_config *cfg, const char *data,
                                  size_t len, const char *name,
                                  struct ct_error *err);

void config_free(struct ct_config *cfg);

#endif
