/* test_config.c - the YAML configuration (core/config.c). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "status.h"

static enum ct_status load_str(struct ct_config *cfg, const char *yaml,
                               struct ct_error *err)
{
	config_init_defaults(cfg);
	ct_error_clear(err);
	return config_load_buffer(cfg, yaml, strlen(yaml), "cfg.yaml", err);
}

/* Expect a CT_CONFIG error at line:col whose message contains `part`. */
static void expect_error(const char *yaml, long line, long col, const char *part)
{
	struct ct_config cfg;
	struct ct_error err;
	enum ct_status st = load_str(&cfg, yaml, &err);

	cr_assert_eq(st, CT_CONFIG, "status %s for:\n%s", ct_status_name(st), yaml);
	cr_expect_eq(err.status, CT_CONFIG);
	cr_expect_str_eq(err.path, "cfg.yaml");
	cr_expect_eq(err.line, line, "line %ld, expected %ld (%s) for:\n%s",
	             err.line, line, err.msg, yaml);
	cr_expect_eq(err.col, col, "col %ld, expected %ld (%s) for:\n%s",
	             err.col, col, err.msg, yaml);
	cr_expect(strstr(err.msg, part) != NULL, "message '%s' lacks '%s'",
	          err.msg, part);
	/* A failed load leaves the defaults. */
	cr_expect_str_eq(cfg.tag_prefix, CT_DEFAULT_TAG_PREFIX);
	cr_expect_null(cfg.owned_);
	config_free(&cfg);
}

Test(config, defaults)
{
	struct ct_config cfg;

	config_init_defaults(&cfg);
	cr_assert_str_eq(cfg.tag_prefix, "assignment:");
	cr_assert_str_eq(cfg.suggestion, "{prefix}{lesson}-exercise-{n}");
	cr_assert_null(cfg.lesson);
	cr_assert_null(cfg.theme);
	cr_assert_null(cfg.exercise_patterns);
	cr_assert_eq(cfg.nexercise_patterns, 0);
	cr_assert_null(cfg.heading_words);
	cr_assert_eq(cfg.nkeys, 0);
	cr_assert_null(cfg.source_path);
	config_free(&cfg);   /* harmless on defaults */
	cr_assert_str_eq(cfg.tag_prefix, "assignment:");
}

Test(config, full_file)
{
	struct ct_config cfg;
	struct ct_error err;

	config_init_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, "tests/data/config/full.yaml", &err), CT_OK,
	             "%s", err.msg);
	cr_assert_str_eq(cfg.tag_prefix, "hw:");
	cr_assert_str_eq(cfg.suggestion, "{prefix}{lesson}-ex-{n}");
	cr_assert_str_eq(cfg.lesson, "lesson-07");
	cr_assert_str_eq(cfg.theme, "monochrome");
	cr_assert_eq(cfg.nexercise_patterns, 2);
	cr_assert_str_eq(cfg.exercise_patterns[0], "YOUR CODE HERE");
	cr_assert_str_eq(cfg.exercise_patterns[1], "TODO: implement");
	cr_assert_eq(cfg.nextra_exercise_patterns, 1);
	cr_assert_str_eq(cfg.extra_exercise_patterns[0], "# your answer");
	cr_assert_eq(cfg.nheading_words, 2);
	cr_assert_str_eq(cfg.heading_words[1], "opgave");
	cr_assert_eq(cfg.nkeys, 3);
	cr_assert_str_eq(cfg.keys[0].key, "<C-s>");
	cr_assert_str_eq(cfg.keys[0].action, "save");
	cr_assert_eq(cfg.keys[0].line, 12);
	cr_assert_eq(cfg.keys[0].col, 3);
	cr_assert_str_eq(cfg.keys[1].key, "x");
	cr_assert_str_eq(cfg.keys[1].action, "tag-toggle");
	cr_assert_eq(cfg.keys[1].line, 13);
	cr_assert_str_eq(cfg.keys[2].key, "<F1>");
	cr_assert_str_eq(cfg.source_path, "tests/data/config/full.yaml");
	config_free(&cfg);
	cr_assert_str_eq(cfg.tag_prefix, "assignment:");
	cr_assert_null(cfg.lesson);
	cr_assert_eq(cfg.nkeys, 0);
}

Test(config, empty_and_comment_only_files_are_defaults)
{
	const char *files[] = { "tests/data/config/empty.yaml",
	                        "tests/data/config/comments.yaml" };

	for (size_t i = 0; i < 2; i++) {
		struct ct_config cfg;
		struct ct_error err;
		config_init_defaults(&cfg);
		cr_assert_eq(config_load(&cfg, files[i], &err), CT_OK, "%s: %s",
		             files[i], err.msg);
		cr_assert_str_eq(cfg.tag_prefix, CT_DEFAULT_TAG_PREFIX);
		cr_assert_str_eq(cfg.suggestion, CT_DEFAULT_SUGGESTION);
		cr_assert_null(cfg.theme);
		cr_assert_str_eq(cfg.source_path, files[i]);
		config_free(&cfg);
	}
	{
		struct ct_config cfg;
		struct ct_error err;
		cr_assert_eq(load_str(&cfg, "~\n", &err), CT_OK);
		cr_assert_str_eq(cfg.tag_prefix, CT_DEFAULT_TAG_PREFIX);
		config_free(&cfg);
	}
}

Test(config, empty_lists_are_not_builtin)
{
	struct ct_config cfg;
	struct ct_error err;

	cr_assert_eq(load_str(&cfg, "exercise_patterns: []\nkeys: {}\n", &err), CT_OK,
	             "%s", err.msg);
	/* NULL means "built-in"; an explicit empty list is a real empty list. */
	cr_assert_not_null(cfg.exercise_patterns);
	cr_assert_eq(cfg.nexercise_patterns, 0);
	cr_assert_null(cfg.heading_words);
	cr_assert_eq(cfg.nkeys, 0);
	config_free(&cfg);
}

Test(config, unknown_key_file)
{
	struct ct_config cfg;
	struct ct_error err;
	const char *path = "tests/data/config/unknown_key.yaml";

	config_init_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, path, &err), CT_CONFIG);
	cr_assert_str_eq(err.path, path);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(err.col, 1);
	cr_assert(strstr(err.msg, "unknown key 'colour'"), "%s", err.msg);
	config_free(&cfg);
}

Test(config, bad_yaml_file)
{
	struct ct_config cfg;
	struct ct_error err;
	char buf[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
	const char *path = "tests/data/config/bad_yaml.yaml";

	config_init_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, path, &err), CT_CONFIG);
	cr_assert_str_eq(err.path, path);
	/* The unclosed flow list of line 2 runs into "theme: dark": libyaml
	 * notices at the ':' of line 3. */
	cr_assert_eq(err.line, 3, "%s", ct_error_format(&err, buf, sizeof buf));
	cr_assert_eq(err.col, 6, "%s", ct_error_format(&err, buf, sizeof buf));
	cr_assert(strstr(err.msg, "invalid YAML"), "%s", err.msg);
	cr_assert(strstr(err.msg, "line 2"), "context line missing: %s", err.msg);
	config_free(&cfg);
}

Test(config, wrong_types)
{
	expect_error("tag_prefix: [a]\n", 1, 13, "'tag_prefix' must be a string, not a list");
	expect_error("tag_prefix:\n", 1, 12, "'tag_prefix' must be a string, not null");
	expect_error("suggestion: {a: 1}\n", 1, 13, "must be a string, not a mapping");
	expect_error("lesson: ~\n", 1, 9, "'lesson' must be a string, not null");
	expect_error("theme: [dark]\n", 1, 8, "'theme' must be a string");
	expect_error("exercise_patterns: YOUR CODE\n", 1, 20,
	             "'exercise_patterns' must be a list, not a string");
	expect_error("extra_exercise_patterns: {a: b}\n", 1, 26, "must be a list, not a mapping");
	expect_error("heading_words:\n  - exercise\n  - [task]\n", 3, 5,
	             "each item of 'heading_words' must be a string, not a list");
	expect_error("heading_words: [exercise, '']\n", 1, 27, "must not be empty");
	expect_error("keys: [save]\n", 1, 7, "'keys' must be a mapping, not a list");
	expect_error("keys:\n  x: [save]\n", 2, 6, "an action name must be a string");
	expect_error("keys:\n  x: ''\n", 2, 6, "must not be empty");
	expect_error("- a\n- b\n", 1, 1, "the configuration must be a mapping, not a list");
	expect_error("just text\n", 1, 1, "the configuration must be a mapping, not a string");
	expect_error("tag_prefix: \"a\\0b\"\n", 1, 13, "NUL");
}

Test(config, keys_and_structure)
{
	expect_error("theme: dark\nlesson: lesson-01\ntheme: light\n", 3, 1,
	             "duplicate key 'theme'");
	expect_error("keys:\n  x: save\n  x: quit\n", 3, 3, "duplicate key 'x'");
	expect_error("? [a, b]\n: c\n", 1, 3, "keys of the configuration must be names");
	expect_error("tag-prefix: x\n", 1, 1, "unknown key 'tag-prefix'");
	expect_error("theme: dark\n---\ntheme: light\n", 2, 1, "only one YAML document");
}

Test(config, bad_yaml_positions)
{
	expect_error("theme: \"dark\n", 2, 1, "invalid YAML");
	expect_error("a: b: c\n", 1, 5, "mapping values are not allowed");
	expect_error("theme: dark\n\ttab: 1\n", 2, 1, "invalid YAML");
	expect_error("theme: *nope\n", 1, 8, "invalid YAML");
	/* Invalid UTF-8 (a lone continuation byte) on line 2, column 8. */
	expect_error("lesson: a\ntheme: \x80x\n", 2, 8, "invalid YAML");
}

Test(config, prefix_validation)
{
	expect_error("tag_prefix: ''\n", 1, 13, "'tag_prefix' must not be empty");
	expect_error("tag_prefix: 'a,b:'\n", 1, 13, "comma");
	expect_error("tag_prefix: 'my tag:'\n", 1, 13, "spaces");
	expect_error("tag_prefix: \"a\\tb\"\n", 1, 13, "spaces");
	expect_error("tag_prefix: \"a\\eb\"\n", 1, 13, "control");
	expect_error("lesson: 'lesson 03'\n", 1, 9, "'lesson' must not contain spaces");

	struct ct_config cfg;
	struct ct_error err;
	cr_assert_eq(load_str(&cfg, "tag_prefix: \"übung:\"\n", &err), CT_OK, "%s", err.msg);
	cr_assert_str_eq(cfg.tag_prefix, "übung:");
	config_free(&cfg);
	/* Numbers keep their text when a string is wanted. */
	cr_assert_eq(load_str(&cfg, "lesson: 03\n", &err), CT_OK, "%s", err.msg);
	cr_assert_str_eq(cfg.lesson, "03");
	config_free(&cfg);
}

Test(config, template_validation)
{
	expect_error("suggestion: '{prefix}{lesson}-exercise'\n", 1, 13, "must contain {n}");
	expect_error("suggestion: '{prefix}{lessons}-{n}'\n", 1, 13,
	             "unknown placeholder '{lessons}'");
	expect_error("suggestion: '{n}-{'\n", 1, 13, "unclosed '{'");
	expect_error("suggestion: '{prefix}ex {n}'\n", 1, 13, "spaces");
	expect_error("suggestion: '{prefix}a,{n}'\n", 1, 13, "comma");

	struct ct_config cfg;
	struct ct_error err;
	cr_assert_eq(load_str(&cfg, "suggestion: 'ex-{n}'\n", &err), CT_OK, "%s", err.msg);
	cr_assert_str_eq(cfg.suggestion, "ex-{n}");
	config_free(&cfg);
	cr_assert_eq(load_str(&cfg, "suggestion: '{lesson}/{n}/{prefix}{n}'\n", &err),
	             CT_OK, "%s", err.msg);
	config_free(&cfg);
}

Test(config, failed_load_keeps_previous_values)
{
	struct ct_config cfg;
	struct ct_error err;
	const char *bad = "theme: solarized\nlesson: [x]\n";

	cr_assert_eq(load_str(&cfg, "theme: dark\nlesson: lesson-02\n", &err), CT_OK);
	cr_assert_eq(config_load_buffer(&cfg, bad, strlen(bad), "b.yaml", &err),
	             CT_CONFIG);
	cr_assert_str_eq(cfg.theme, "dark");
	cr_assert_str_eq(cfg.lesson, "lesson-02");
	cr_assert_str_eq(err.path, "b.yaml");
	config_free(&cfg);
}

Test(config, second_load_layers_over_first)
{
	struct ct_config cfg;
	struct ct_error err;
	const char *second = "theme: light\n";

	cr_assert_eq(load_str(&cfg, "theme: dark\nlesson: lesson-02\n", &err), CT_OK);
	cr_assert_eq(config_load_buffer(&cfg, second, strlen(second), "2.yaml", &err),
	             CT_OK);
	cr_assert_str_eq(cfg.theme, "light");
	/* Kept from the first load: its memory must still be alive. */
	cr_assert_str_eq(cfg.lesson, "lesson-02");
	cr_assert_str_eq(cfg.source_path, "2.yaml");
	config_free(&cfg);   /* frees both loads (LeakSanitizer checks) */
}

/* ---- files and paths ---------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/celltag-config-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void rm_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	cr_expect_eq(system(cmd), 0);
}

Test(config, default_path_xdg_and_home)
{
	char buf[256];

	setenv("HOME", "/home/alice", 1);
	unsetenv("XDG_CONFIG_HOME");
	cr_assert_str_eq(config_default_path(buf, sizeof buf),
	                 "/home/alice/.config/celltag/config.yaml");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	cr_assert_str_eq(config_default_path(buf, sizeof buf),
	                 "/xdg/celltag/config.yaml");
	/* A relative XDG_CONFIG_HOME is invalid per the spec: ignored. */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	cr_assert_str_eq(config_default_path(buf, sizeof buf),
	                 "/home/alice/.config/celltag/config.yaml");
	setenv("XDG_CONFIG_HOME", "", 1);
	cr_assert_str_eq(config_default_path(buf, sizeof buf),
	                 "/home/alice/.config/celltag/config.yaml");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	cr_assert_null(config_default_path(buf, sizeof buf));
	setenv("HOME", "/home/alice", 1);
	cr_assert_null(config_default_path(buf, 10), "too small a buffer");
}

Test(config, load_default_from_xdg, .fini = rm_tree)
{
	struct ct_config cfg;
	struct ct_error err;
	char dir[128], path[160];

	make_tmpdir();
	snprintf(dir, sizeof dir, "%s/celltag", tmpdir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/config.yaml", dir);
	write_file(path, "theme: from-xdg\n");
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	setenv("HOME", "/nonexistent-home", 1);
	config_init_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, NULL, &err), CT_OK, "%s", err.msg);
	cr_assert_str_eq(cfg.theme, "from-xdg");
	cr_assert_str_eq(cfg.source_path, path);
	config_free(&cfg);
}

Test(config, load_default_from_home, .fini = rm_tree)
{
	struct ct_config cfg;
	struct ct_error err;
	char path[160];

	make_tmpdir();
	snprintf(path, sizeof path, "%s/.config", tmpdir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/.config/celltag", tmpdir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/.config/celltag/config.yaml", tmpdir);
	write_file(path, "lesson: lesson-09\nkeys: {q: quit}\n");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", tmpdir, 1);
	config_init_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, NULL, &err), CT_OK, "%s", err.msg);
	cr_assert_str_eq(cfg.lesson, "lesson-09");
	cr_assert_eq(cfg.nkeys, 1);
	cr_assert_eq(cfg.keys[0].line, 2);
	cr_assert_eq(cfg.keys[0].col, 8);
	config_free(&cfg);
}

Test(config, missing_files, .fini = rm_tree)
{
	struct ct_config cfg;
	struct ct_error err;
	char path[160];

	make_tmpdir();
	/* Missing default file: defaults, no error. */
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	config_init_defaults(&cfg);
	ct_error_clear(&err);
	cr_assert_eq(config_load(&cfg, NULL, &err), CT_OK);
	cr_assert_eq(err.status, CT_OK);
	cr_assert_null(cfg.source_path);
	/* No home at all: defaults too. */
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	cr_assert_eq(config_load(&cfg, NULL, &err), CT_OK);
	/* Explicit missing file: an error naming it. */
	snprintf(path, sizeof path, "%s/nope.yaml", tmpdir);
	cr_assert_eq(config_load(&cfg, path, &err), CT_NOTFOUND);
	cr_assert_str_eq(err.path, path);
	/* A directory is not a config file. */
	cr_assert_eq(config_load(&cfg, tmpdir, &err), CT_NOTREG);
	config_free(&cfg);
}

Test(config, broken_default_file_is_an_error, .fini = rm_tree)
{
	struct ct_config cfg;
	struct ct_error err;
	char dir[128], path[160];

	make_tmpdir();
	snprintf(dir, sizeof dir, "%s/celltag", tmpdir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/config.yaml", dir);
	write_file(path, "theme: ok\nbogus: 1\n");
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	config_init_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, NULL, &err), CT_CONFIG);
	cr_assert_str_eq(err.path, path);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(err.col, 1);
	cr_assert_null(cfg.theme);
	config_free(&cfg);
}

Test(config, too_big)
{
	struct ct_config cfg;
	struct ct_error err;
	size_t n = ((size_t)1 << 20) + 1;
	char *big = malloc(n);

	cr_assert_not_null(big);
	memset(big, '#', n);
	config_init_defaults(&cfg);
	cr_assert_eq(config_load_buffer(&cfg, big, n, "big.yaml", &err), CT_TOOBIG);
	free(big);
	config_free(&cfg);
}
