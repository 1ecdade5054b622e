/* test_plan.c - batch plans (core/plan.c): parsing, resolving, saving. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notebook.h"
#include "plan.h"
#include "save.h"
#include "status.h"
#include "plan_testutil.h"

static struct plan *parse_ok(const char *yaml)
{
	struct plan *p = NULL;
	struct ct_error err;
	enum ct_status st = plan_parse(yaml, strlen(yaml), "p.yaml", DATA, NULL,
	                               &p, &err);

	cr_assert_eq(st, CT_OK, "%s:%ld:%ld: %s", err.path, err.line, err.col,
	             err.msg);
	cr_assert_not_null(p);
	return p;
}

/* A plan that must fail at parse time with CT_PLAN at line:col. */
static void parse_fails(const char *yaml, long line, long col, const char *part)
{
	struct plan *p = (struct plan *)1;
	struct ct_error err;
	enum ct_status st = plan_parse(yaml, strlen(yaml), "p.yaml", DATA, NULL,
	                               &p, &err);

	cr_assert_eq(st, CT_PLAN, "status %s for:\n%s", ct_status_name(st), yaml);
	cr_assert_null(p);
	cr_expect_str_eq(err.path, "p.yaml");
	cr_expect_eq(err.line, line, "line %ld, expected %ld (%s) for:\n%s",
	             err.line, line, err.msg, yaml);
	cr_expect_eq(err.col, col, "col %ld, expected %ld (%s) for:\n%s",
	             err.col, col, err.msg, yaml);
	cr_expect(strstr(err.msg, part) != NULL, "message '%s' lacks '%s'",
	          err.msg, part);
}

/* A plan that parses but fails in plan_prepare at line:col. */
static void prepare_fails(const char *yaml, long line, long col, const char *part)
{
	struct plan *p = parse_ok(yaml);
	struct ct_error err;
	enum ct_status st = plan_prepare(p, &err);

	cr_expect_eq(st, CT_PLAN, "status %s for:\n%s", ct_status_name(st), yaml);
	cr_expect_str_eq(err.path, "p.yaml");
	cr_expect_eq(err.line, line, "line %ld, expected %ld (%s) for:\n%s",
	             err.line, line, err.msg, yaml);
	cr_expect_eq(err.col, col, "col %ld, expected %ld (%s) for:\n%s",
	             err.col, col, err.msg, yaml);
	cr_expect(strstr(err.msg, part) != NULL, "message '%s' lacks '%s'",
	          err.msg, part);
	plan_free(&p);
	cr_assert_null(p);
}

static const struct nb_cell *cell(const struct plan *p, size_t nb, size_t c)
{
	cr_assert_lt(nb, p->nnotebooks);
	cr_assert_not_null(p->notebooks[nb].nb);
	cr_assert_lt(c, p->notebooks[nb].nb->ncells);
	return &p->notebooks[nb].nb->cells[c];
}

static void expect_tags(const struct nb_cell *c, size_t n, const char *const *tags)
{
	cr_assert_eq(c->ntags, n, "cell %zu has %zu tags, expected %zu", (size_t)c->index,
	             c->ntags, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(c->tags[i], tags[i]);
}

/* ---- parsing ------------------------------------------------------------ */

Test(plan, parse_main_fixture)
{
	struct plan *p = NULL;
	struct ct_error err;
	const struct plan_step *s;

	cr_assert_eq(plan_load(DATA "/main.yaml", NULL, &p, &err), CT_OK, "%s", err.msg);
	cr_assert_str_eq(p->name, DATA "/main.yaml");
	cr_assert_eq(p->nnotebooks, 2);
	cr_assert_str_eq(p->notebooks[0].path, "nb_a.ipynb");
	cr_assert_str_eq(p->notebooks[0].resolved, DATA "/nb_a.ipynb");
	cr_assert_eq(p->notebooks[0].line, 5);
	cr_assert_eq(p->notebooks[0].col, 11);
	cr_assert_eq(p->notebooks[0].nsteps, 4);

	s = &p->notebooks[0].steps[0];
	cr_assert_eq(s->select, PLAN_BY_INDEX);
	cr_assert_eq(s->index, 4);
	cr_assert_eq(s->nadd, 1);
	cr_assert_str_eq(s->add[0].tag, "assignment:lesson-03-exercise-2");
	cr_assert_eq(s->add[0].line, 8);
	cr_assert_eq(s->add[0].col, 15);
	cr_assert_eq(s->line, 7);
	cr_assert_eq(s->col, 9);

	s = &p->notebooks[0].steps[1];
	cr_assert_eq(s->select, PLAN_BY_ID);
	cr_assert_str_eq(s->text, "a1b2c3");
	cr_assert_eq(s->nremove, 1);
	cr_assert_str_eq(s->remove[0].tag, "draft");
	cr_assert_eq(s->nadd, 1, "a single tag without a list");
	cr_assert_str_eq(s->add[0].tag, "assignment:lesson-03-exercise-1");

	s = &p->notebooks[0].steps[2];
	cr_assert_eq(s->select, PLAN_BY_REGEX);
	cr_assert_str_eq(s->text, "^# Exercise [0-9]+");
	cr_assert(s->all);
	cr_assert_eq(s->kind, NB_MARKDOWN);
	cr_assert_not_null(s->regex_);

	s = &p->notebooks[0].steps[3];
	cr_assert_eq(s->select, PLAN_BY_MATCH);
	cr_assert_not(s->all);
	cr_assert_eq(s->kind, -1);
	cr_assert_eq(s->sel_line, 16);
	cr_assert_eq(s->sel_col, 16);

	cr_assert_str_eq(p->notebooks[1].resolved, DATA "/nb_b.ipynb");
	cr_assert_eq(p->notebooks[1].nsteps, 2);
	plan_free(&p);
	cr_assert_null(p);
}

Test(plan, paths_resolve_against_base_dir)
{
	const char *yaml = "notebooks:\n  - {path: a.ipynb, cells: []}\n"
	                   "  - {path: /abs/b.ipynb, cells: []}\n";
	struct plan *p = NULL;
	struct ct_error err;

	cr_assert_eq(plan_parse(yaml, strlen(yaml), "x", "dir/", NULL, &p, &err), CT_OK);
	cr_assert_str_eq(p->notebooks[0].resolved, "dir/a.ipynb");
	cr_assert_str_eq(p->notebooks[1].resolved, "/abs/b.ipynb");
	plan_free(&p);
	cr_assert_eq(plan_parse(yaml, strlen(yaml), "x", NULL, NULL, &p, &err), CT_OK);
	cr_assert_str_eq(p->notebooks[0].resolved, "a.ipynb");
	plan_free(&p);
	cr_assert_eq(plan_parse(yaml, strlen(yaml), "x", "/", NULL, &p, &err), CT_OK);
	cr_assert_str_eq(p->notebooks[0].resolved, "/a.ipynb");
	plan_free(&p);
}

Test(plan, parse_structure_errors)
{
	parse_fails("", 1, 1, "the plan is empty");
	parse_fails("# nothing\n", 1, 1, "the plan is empty");
	parse_fails("- a\n", 1, 1, "the plan must be a mapping, not a list");
	parse_fails("notebook: []\n", 1, 1, "unknown key 'notebook' in the plan");
	parse_fails("version: 1\n", 1, 1, "unknown key 'version'");
	parse_fails("notebooks: {}\n", 1, 12, "'notebooks' must be a list, not a mapping");
	parse_fails("notebooks:\n  - x.ipynb\n", 2, 5,
	            "a notebook entry must be a mapping, not a string");
	parse_fails("notebooks:\n  - cells: []\n", 2, 5, "needs 'path'");
	parse_fails("notebooks:\n  - path: a.ipynb\n", 2, 5, "needs 'cells'");
	parse_fails("notebooks:\n  - path: a.ipynb\n    cels: []\n", 3, 5,
	            "unknown key 'cels' in a notebook entry");
	parse_fails("notebooks:\n  - path: [a]\n    cells: []\n", 2, 11,
	            "'path' must be a string, not a list");
	parse_fails("notebooks:\n  - path: ''\n    cells: []\n", 2, 11, "must not be empty");
	parse_fails("notebooks:\n  - path: a\n    cells: 3\n", 3, 12,
	            "'cells' must be a list, not an integer");
	parse_fails("notebooks:\n  - path: a\n    path: b\n    cells: []\n", 3, 5,
	            "duplicate key 'path'");
}

Test(plan, parse_step_errors)
{
#define NB "notebooks:\n  - path: a.ipynb\n    cells:\n"
	parse_fails(NB "      - add: [x]\n", 4, 9, "needs one of index, id, match or regex");
	parse_fails(NB "      - index: 1\n", 4, 9, "needs 'add' or 'remove'");
	parse_fails(NB "      - index: 1\n        add: []\n", 4, 9, "at least one tag");
	parse_fails(NB "      - index: 1\n        id: x\n        add: [t]\n", 5, 9,
	            "not both 'index' and 'id'");
	parse_fails(NB "      - index: -1\n        add: [t]\n", 4, 16, "must not be negative");
	parse_fails(NB "      - index: '4'\n        add: [t]\n", 4, 16,
	            "'index' must be an integer, not a string");
	parse_fails(NB "      - index: 1.5\n        add: [t]\n", 4, 16, "must be an integer");
	parse_fails(NB "      - index: 0x10\n        add: [t]\n", 4, 16, "decimal");
	parse_fails(NB "      - index: 99999999999999999999999\n        add: [t]\n", 4, 16,
	            "too large");
	parse_fails(NB "      - id: [x]\n        add: [t]\n", 4, 13, "'id' must be a string");
	parse_fails(NB "      - match: ''\n        add: [t]\n", 4, 16, "'match' must not be empty");
	parse_fails(NB "      - regex: 'a('\n        add: [t]\n", 4, 16,
	            "invalid regular expression");
	parse_fails(NB "      - match: x\n        all: yes\n        add: [t]\n", 5, 14,
	            "'all' must be true or false");
	parse_fails(NB "      - index: 2\n        all: true\n        add: [t]\n", 5, 9,
	            "'all' only goes with match or regex");
	parse_fails(NB "      - id: c\n        type: code\n        add: [t]\n", 5, 9,
	            "'type' only goes with match or regex");
	parse_fails(NB "      - match: x\n        type: heading\n        add: [t]\n", 5, 15,
	            "'type' must be code, markdown or raw");
	parse_fails(NB "      - match: x\n        tags: [t]\n", 5, 9,
	            "unknown key 'tags' in a cell step");
	parse_fails(NB "      - match: x\n        add: {a: b}\n", 5, 14,
	            "'add' must be a tag or a list of tags, not a mapping");
	parse_fails(NB "      - match: x\n        add:\n", 5, 13,
	            "'add' must be a tag or a list of tags, not null");
	parse_fails(NB "      - match: x\n        add: [ok, [nested]]\n", 5, 19,
	            "each tag must be a string, not a list");
	parse_fails(NB "      - match: x\n        remove: ['']\n", 5, 18, "must not be empty");
	parse_fails(NB "      - match: x\n        add: [a, b]\n        remove: [c, b]\n",
	            6, 21, "tag 'b' is both added (line 5) and removed");
	parse_fails(NB "      - 4\n", 4, 9, "a cell step must be a mapping, not an integer");
#undef NB
}

Test(plan, parse_tag_validation)
{
#define NB "notebooks:\n  - path: a.ipynb\n    cells:\n      - index: 0\n"
	parse_fails(NB "        add: ['a,b']\n", 5, 15, "invalid tag 'a,b'");
	parse_fails(NB "        add: [\"tab\\there\"]\n", 5, 15, "invalid tag");
	/* Assignment tags follow the rules (rules.h), with the rule code. */
	parse_fails(NB "        add: [ok, 'assignment:Lesson-03-exercise-1']\n", 5, 19,
	            "[assignment-uppercase]");
	parse_fails(NB "        add: ['assignment:lesson_03']\n", 5, 15,
	            "[assignment-underscore]");
	parse_fails(NB "        add: ['assignment:']\n", 5, 15, "[assignment-empty]");

	/* Removal accepts any non-empty text: malformed tags must be removable. */
	struct plan *p = parse_ok(NB "        remove: ['a,b', 'assignment:Bad Tag']\n");
	cr_assert_eq(p->notebooks[0].steps[0].nremove, 2);
	plan_free(&p);
	/* An unconventional but valid assignment id is only a warning: accepted. */
	p = parse_ok(NB "        add: ['assignment:week2-bonus']\n");
	plan_free(&p);
#undef NB
}

Test(plan, parse_yaml_errors)
{
	parse_fails("notebooks:\n  - path: a\n   cells: []\n", 3, 4, "invalid YAML");
	parse_fails("notebooks: [\n", 2, 1, "invalid YAML");
	parse_fails("notebooks: []\n---\nnotebooks: []\n", 2, 1, "only one YAML document");
	parse_fails("notebooks: []\n\"notebooks\\0x\": 1\n", 2, 1, "NUL");
}

Test(plan, parse_with_config_prefix)
{
	const char *yaml = "notebooks:\n  - path: a\n    cells:\n      - index: 0\n"
	                   "        add: ['hw:Bad']\n";
	struct ct_config cfg;
	struct plan *p = NULL;
	struct ct_error err;

	/* With the default prefix, 'hw:Bad' is an ordinary tag. */
	cr_assert_eq(plan_parse(yaml, strlen(yaml), "p", NULL, NULL, &p, &err), CT_OK);
	plan_free(&p);
	config_init_defaults(&cfg);
	cfg.tag_prefix = "hw:";
	cr_assert_eq(plan_parse(yaml, strlen(yaml), "p", NULL, &cfg, &p, &err), CT_PLAN);
	cr_assert_eq(err.line, 5);
	cr_assert(strstr(err.msg, "[assignment-uppercase]"), "%s", err.msg);
}

/* ---- prepare (fixtures are only read) ----------------------------------- */

Test(plan, prepare_main_fixture)
{
	struct plan *p = NULL;
	struct ct_error err;
	static const char *const t_ex2[] = { "assignment:lesson-03-exercise-2" };
	static const char *const t_ex1[] = { "assignment:lesson-03-exercise-1" };
	static const char *const t_prompt[] = { "exercise-prompt" };
	static const char *const t_b1[] = { "assignment:lesson-04-exercise-1" };
	static const char *const t_keep[] = { "keep-me" };

	cr_assert_eq(plan_load(DATA "/main.yaml", NULL, &p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s:%ld:%ld: %s", err.path,
	             err.line, err.col, err.msg);
	expect_tags(cell(p, 0, 0), 0, NULL);
	expect_tags(cell(p, 0, 1), 1, t_prompt);
	expect_tags(cell(p, 0, 2), 1, t_ex1);
	expect_tags(cell(p, 0, 3), 1, t_prompt);
	expect_tags(cell(p, 0, 4), 1, t_ex2);
	expect_tags(cell(p, 0, 5), 0, NULL);
	expect_tags(cell(p, 1, 0), 0, NULL);
	expect_tags(cell(p, 1, 1), 1, t_b1);
	expect_tags(cell(p, 1, 2), 1, t_keep);
	cr_assert_eq(plan_changed_count(p), 2);
	plan_free(&p);
}

Test(plan, prepare_noop_fixture)
{
	struct plan *p = NULL;
	struct ct_error err;

	cr_assert_eq(plan_load(DATA "/noop.yaml", NULL, &p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan_changed_count(p), 0);
	cr_assert_eq(p->notebooks[0].state, PLAN_NB_UNCHANGED);
	plan_free(&p);
}

Test(plan, prepare_selector_errors)
{
#define NB "notebooks:\n  - path: nb_a.ipynb\n    cells:\n"
	prepare_fails(NB "      - index: 6\n        add: [t]\n", 4, 16,
	              "no cell 6 in nb_a.ipynb: it has 6 cells");
	prepare_fails(NB "      - id: zzz\n        add: [t]\n", 4, 13,
	              "no cell with id 'zzz' in nb_a.ipynb");
	prepare_fails(NB "      - match: 'def nothing'\n        add: [t]\n", 4, 16,
	              "no cell of nb_a.ipynb contains \"def nothing\"");
	prepare_fails(NB "      - match: 'YOUR CODE HERE'\n        add: [t]\n", 4, 16,
	              "2 cells of nb_a.ipynb match (cells 2, 4)");
	prepare_fails(NB "      - regex: '^# Exercise'\n        add: [t]\n", 4, 16,
	              "add 'all: true'");
	prepare_fails(NB "      - regex: '^def'\n        type: markdown\n        all: true\n"
	              "        add: [t]\n", 4, 16, "no markdown cell of nb_a.ipynb matches /^def/");
	/* Terminal escapes (C0 and C1) in quoted text are neutralised. */
	prepare_fails(NB "      - match: \"\\e[31m\\u009b2J\u00e9\"\n        add: [t]\n", 4, 16,
	              "contains \"?[31m?2J\u00e9\"");
	/* The regex is anchored per line (REG_NEWLINE): "loops$" ends line 1. */
	struct plan *p = parse_ok(NB "      - regex: 'loops$'\n        add: [t]\n");
	struct ct_error err;
	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(cell(p, 0, 0)->ntags, 1);
	plan_free(&p);
	/* Steps run in order: the second sees the first's edit. */
	p = parse_ok(NB "      - index: 5\n        add: [a, b]\n"
	             "      - index: 5\n        remove: a\n");
	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s", err.msg);
	static const char *const t_b[] = { "b" };
	expect_tags(cell(p, 0, 5), 1, t_b);
	plan_free(&p);
#undef NB
}

Test(plan, prepare_notebook_errors)
{
	prepare_fails("notebooks:\n  - path: missing.ipynb\n    cells: []\n", 2, 11,
	              "cannot load notebook: " DATA "/missing.ipynb");
	prepare_fails("notebooks:\n  - path: nb_broken.ipynb\n    cells: []\n", 2, 11,
	              "cannot load notebook: " DATA "/nb_broken.ipynb:2:");
	/* The same file twice, even under another spelling. */
	prepare_fails("notebooks:\n  - path: nb_b.ipynb\n    cells: []\n"
	              "  - path: ./nb_b.ipynb\n    cells: []\n", 4, 11,
	              "already listed at line 2");
	/* Duplicate ids (invalid, but found in real files): never guess. */
	prepare_fails("notebooks:\n  - path: nb_dupid.ipynb\n    cells:\n"
	              "      - id: dup\n        add: [x]\n", 4, 13,
	              "id 'dup' is not unique in nb_dupid.ipynb (cells 0 and 1)");
	/* A cell whose tags are not a list cannot be edited. */
	prepare_fails("notebooks:\n  - path: nb_readonly.ipynb\n    cells:\n"
	              "      - index: 0\n        add: [x]\n", 5, 15,
	              "cannot add tag in cell 0 of nb_readonly.ipynb");
}

Test(plan, malformed_tags_can_be_removed)
{
	struct plan *p = parse_ok("notebooks:\n  - path: nb_oddtags.ipynb\n    cells:\n"
	                          "      - id: odd\n"
	                          "        remove: ['a,b', 'Assignment:Lesson 3']\n");
	struct ct_error err;
	static const char *const t_keep[] = { "keep" };

	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s", err.msg);
	expect_tags(cell(p, 0, 0), 1, t_keep);
	plan_free(&p);
}

Test(plan, prepare_error_in_second_notebook_keeps_first_unsaved)
{
	const char *yaml = "notebooks:\n  - path: nb_a.ipynb\n    cells:\n"
	                   "      - index: 0\n        add: [x]\n"
	                   "  - path: nb_b.ipynb\n    cells:\n"
	                   "      - index: 9\n        add: [y]\n";
	struct plan *p = parse_ok(yaml);
	struct ct_error err;

	cr_assert_eq(plan_prepare(p, &err), CT_PLAN);
	cr_assert_eq(err.line, 8);
	/* The first notebook was edited in memory only. */
	cr_assert(notebook_modified(p->notebooks[0].nb));
	plan_free(&p);
}

/* ---- save (on temporary copies) ----------------------------------------- */

static void setup_tmp(void)
{
	plan_tmp_setup("plan");
}

static struct plan *load_tmp_plan(void)
{
	struct plan *p = NULL;
	struct ct_error err;
	char path[128];

	snprintf(path, sizeof path, "%s/plan.yaml", tmpdir);
	cr_assert_eq(plan_load(path, NULL, &p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s", err.msg);
	return p;
}

Test(plan, save_writes_changed_notebooks, .init = setup_tmp, .fini = plan_tmp_teardown)
{
	struct plan *p = load_tmp_plan();
	struct ct_error err;
	char a[128], b[128];

	cr_assert_eq(plan_save(p, NULL, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(p->notebooks[0].state, PLAN_NB_WRITTEN);
	cr_assert_eq(p->notebooks[1].state, PLAN_NB_WRITTEN);
	plan_free(&p);
	snprintf(a, sizeof a, "%s/nb_a.ipynb", tmpdir);
	snprintf(b, sizeof b, "%s/nb_b.ipynb", tmpdir);
	expect_same_file(a, DATA "/nb_a.expected.ipynb");
	expect_same_file(b, DATA "/nb_b.expected.ipynb");
}

Test(plan, save_conflict_anywhere_writes_nothing, .init = setup_tmp,
     .fini = plan_tmp_teardown)
{
	struct plan *p = load_tmp_plan();
	struct ct_error err;
	char a[128], b[128];
	FILE *f;

	/* Someone edits the second notebook after the plan loaded it. */
	snprintf(b, sizeof b, "%s/nb_b.ipynb", tmpdir);
	cr_assert_not_null(f = fopen(b, "a"));
	fputs(" ", f);
	fclose(f);
	cr_assert_eq(plan_save(p, NULL, &err), CT_CONFLICT, "%s", err.msg);
	cr_assert_eq(p->notebooks[0].state, PLAN_NB_NOT_WRITTEN);
	cr_assert_eq(p->notebooks[1].state, PLAN_NB_FAILED);
	snprintf(a, sizeof a, "%s/nb_a.ipynb", tmpdir);
	expect_same_file(a, DATA "/nb_a.ipynb");

	/* --force overrides the check. */
	struct save_options so = { .force = true };
	cr_assert_eq(plan_save(p, &so, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(p->notebooks[1].state, PLAN_NB_WRITTEN);
	plan_free(&p);
	expect_same_file(a, DATA "/nb_a.expected.ipynb");
	expect_same_file(b, DATA "/nb_b.expected.ipynb");
}

Test(plan, save_skips_unchanged, .init = setup_tmp, .fini = plan_tmp_teardown)
{
	struct plan *p = NULL;
	struct ct_error err;
	struct stat before, after;
	char path[128], a[128];

	snprintf(path, sizeof path, "%s/noop.yaml", tmpdir);
	copy_file(DATA "/noop.yaml", path);
	snprintf(a, sizeof a, "%s/nb_a.ipynb", tmpdir);
	cr_assert_eq(stat(a, &before), 0);
	cr_assert_eq(plan_load(path, NULL, &p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan_prepare(p, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(plan_save(p, NULL, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(p->notebooks[0].state, PLAN_NB_UNCHANGED);
	plan_free(&p);
	cr_assert_eq(stat(a, &after), 0);
	cr_assert_eq(before.st_ino, after.st_ino, "rewritten (new inode)");
	cr_assert_eq(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	cr_assert_eq(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
}

Test(plan, save_before_prepare_is_refused)
{
	struct plan *p = parse_ok("notebooks:\n  - {path: nb_a.ipynb, cells: []}\n");
	struct ct_error err;

	cr_assert_eq(plan_save(p, NULL, &err), CT_USAGE);
	plan_free(&p);
}

Test(plan, free_null)
{
	struct plan *p = NULL;

	plan_free(&p);
	plan_free(NULL);
}

/* ---- the shared corpus: every editable notebook takes a plan ------------ */

#include <dirent.h>

static const char *corpus_dir(void)
{
	const char *env = getenv("CELLTAG_CORPUS");
	struct stat st;

	if (env && *env)
		return env;
	if (stat("../shared/corpus", &st) == 0 && S_ISDIR(st.st_mode))
		return "../shared/corpus";
	return NULL;
}

/* Append `s` to buf as a YAML double-quoted scalar. */
static void yaml_quote(char *buf, size_t size, const char *s)
{
	size_t o = strlen(buf);

	if (o + 1 < size)
		buf[o++] = '"';
	for (; *s && o + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			buf[o++] = '\\';
		buf[o++] = *s;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

static enum ct_status run_plan_text(const char *yaml, const char *dir,
                                    struct ct_error *err)
{
	struct plan *p = NULL;
	enum ct_status st = plan_parse(yaml, strlen(yaml), "corpus.yaml", dir, NULL,
	                               &p, err);

	if (st == CT_OK)
		st = plan_prepare(p, err);
	if (st == CT_OK)
		st = plan_save(p, NULL, err);
	plan_free(&p);
	return st;
}

/* Add a probe tag to every editable cell of one notebook with a plan, then
 * remove it with another: tags end as they began, nothing else moves. */
static int corpus_one(const char *src, const char *name)
{
	char dst[512], *yaml;
	size_t cap = 1 << 20, o;
	struct notebook *before = NULL, *after = NULL;
	struct ct_error err;
	int edited = 0;

	snprintf(dst, sizeof dst, "%s/%s", tmpdir, name);
	copy_file(src, dst);
	cr_assert_eq(chmod(dst, 0644), 0);   /* the corpus is read-only */
	if (notebook_load(dst, &before, &err) != CT_OK || before->readonly_reason) {
		notebook_free(&before);
		return 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		yaml = malloc(cap);
		cr_assert_not_null(yaml);
		strcpy(yaml, "notebooks:\n  - path: ");
		yaml_quote(yaml, cap, name);
		strcat(yaml, "\n    cells:\n");
		o = strlen(yaml);
		edited = 0;
		for (size_t i = 0; i < before->ncells; i++) {
			if (before->cells[i].readonly_reason)
				continue;
			o += (size_t)snprintf(yaml + o, cap - o,
			                      "      - {index: %zu, %s: celltag-probe}\n",
			                      i, pass ? "remove" : "add");
			edited++;
		}
		if (!edited)
			o += (size_t)snprintf(yaml + o, cap - o, "      []\n");
		cr_assert_lt(o, cap - 1);
		cr_assert_eq(run_plan_text(yaml, tmpdir, &err), CT_OK, "%s: %s:%ld:%ld: %s",
		             name, err.path, err.line, err.col, err.msg);
		free(yaml);
		cr_assert_eq(notebook_load(dst, &after, &err), CT_OK, "%s: %s", name, err.msg);
		cr_assert_eq(after->ncells, before->ncells);
		for (size_t i = 0; i < before->ncells; i++) {
			const struct nb_cell *b = &before->cells[i], *a = &after->cells[i];
			bool probe = pass == 0 && !b->readonly_reason &&
			             !cell_has_tag(b, "celltag-probe");
			cr_assert_eq(a->source_len, b->source_len, "%s cell %zu", name, i);
			cr_assert(memcmp(a->source, b->source, b->source_len) == 0);
			cr_assert_eq(a->ntags, b->ntags + probe, "%s cell %zu", name, i);
			for (size_t t = 0; t < b->ntags; t++)
				cr_assert_str_eq(a->tags[t], b->tags[t], "%s cell %zu", name, i);
			if (probe)
				cr_assert_str_eq(a->tags[b->ntags], "celltag-probe");
		}
		notebook_free(&after);
	}
	notebook_free(&before);
	return edited > 0;
}

Test(plan, corpus_add_then_remove, .init = setup_tmp, .fini = plan_tmp_teardown,
     .timeout = 120)
{
	const char *root = corpus_dir();
	DIR *top, *sub;
	struct dirent *d, *f;
	int files = 0, edited = 0;

	if (!root) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		printf("skipped: corpus not found\n");
		return;
	}
	cr_assert_not_null(top = opendir(root));
	while ((d = readdir(top))) {
		char path[1024];
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", root, d->d_name);
		if (!(sub = opendir(path)))
			continue;
		while ((f = readdir(sub))) {
			size_t n = strlen(f->d_name);
			char src[2048];
			if (n < 7 || strcmp(f->d_name + n - 6, ".ipynb") != 0)
				continue;
			snprintf(src, sizeof src, "%s/%s", path, f->d_name);
			files++;
			edited += corpus_one(src, f->d_name);
		}
		closedir(sub);
	}
	closedir(top);
	cr_log_info("corpus: %d notebooks, %d edited by plans", files, edited);
	cr_assert_gt(files, 0, "no notebook in %s", root);
	/* Most of the corpus is editable; a handful are v3 or broken. */
	cr_assert_gt(edited, files / 2, "only %d of %d notebooks edited", edited, files);
}
