/* test_app.c - the editor's state machine, without curses. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "input.h"
#include "keymap.h"
#include "recovery.h"
#include "suggest.h"
#include "rules_testutil.h"

static struct keymap km;
static struct ct_config cfg;
static struct app app;
static char dir[64];
static char nbpath[128];

/* A writable copy of the fixture in a temp folder. */
static void setup(void)
{
	char cmd[512];
	snprintf(dir, sizeof dir, "/tmp/celltag-app-XXXXXX");
	cr_assert(mkdtemp(dir));
	snprintf(nbpath, sizeof nbpath, "%s/lesson-03.ipynb", dir);
	snprintf(cmd, sizeof cmd, "cp -R tests/data/tui/lesson-03.ipynb "
	         "tests/data/tui/course '%s/'", dir);
	cr_assert_eq(system(cmd), 0);
	setenv("XDG_STATE_HOME", dir, 1);
	keymap_init(&km);
	config_init_defaults(&cfg);
}

static void teardown(void)
{
	char cmd[256];
	app_free(&app);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	system(cmd);
}

TestSuite(app, .init = setup, .fini = teardown);

static void open_path(const char *path, bool readonly)
{
	struct ct_error err;
	char *paths[] = { (char *)path };
	app_init(&app, &cfg, &km, readonly);
	cr_assert_eq(app_open(&app, paths, 1, &err), CT_OK, "%s", err.msg);
	app_layout(&app, 5, 8);
}

static void open_nb(void)
{
	open_path(nbpath, false);
}

/* Feed keys written as a script line ("]t<Enter>"). */
static void keys(const char *line)
{
	int k[256];
	size_t n;
	cr_assert(input_parse_keys(line, k, 256, &n), "bad keys %s", line);
	for (size_t i = 0; i < n; i++)
		app_key(&app, k[i]);
}

static size_t sel(void)
{
	return app_selected_index(&app);
}

static const struct nb_cell *cell(size_t i)
{
	return &app_doc(&app)->nb->cells[i];
}

Test(app, opens_a_notebook_with_counts)
{
	open_nb();
	struct app_doc *doc = app_doc(&app);
	cr_assert_eq(app.screen, APP_SCREEN_NOTEBOOK);
	cr_assert_eq(doc->nb->ncells, 13);
	cr_assert_eq(doc->n_exercise, 4);
	cr_assert_eq(doc->n_tagged, 1);
	cr_assert_eq(doc->n_untagged, 3);
	cr_assert_eq(sel(), 0);
	cr_assert_not(app_doc_dirty(doc));
	size_t len;
	const char *l = app_first_line(doc, 3, &len);
	cr_assert_eq(len, strlen("# YOUR CODE HERE"));
	cr_assert(strncmp(l, "# YOUR CODE HERE", len) == 0);
	cr_assert_eq(app_cell_lines(doc, 7), 8);
}

Test(app, moves_and_pages)
{
	open_nb();
	keys("jjj");
	cr_assert_eq(sel(), 3);
	keys("k");
	cr_assert_eq(sel(), 2);
	keys("G");
	cr_assert_eq(sel(), 12);
	keys("j");
	cr_assert_eq(sel(), 12, "stays on the last cell");
	keys("g");
	cr_assert_eq(sel(), 0);
	keys("k");
	cr_assert_eq(sel(), 0);
	keys("<PgDn>");
	cr_assert_eq(sel(), 4, "a page of 5 rows moves by 4");
	cr_assert(app_doc(&app)->top <= 4 && app_doc(&app)->top + 5 > 4);
	keys("<C-b>");
	cr_assert_eq(sel(), 0);
	keys("<End><Up>");
	cr_assert_eq(sel(), 11);
	cr_assert_eq(app_doc(&app)->top, 8, "selection kept visible");
}

Test(app, tab_moves_focus_and_scrolls_the_preview)
{
	open_nb();
	app_layout(&app, 5, 3);
	keys("jjjjjjj");          /* cell 7: 8 lines */
	cr_assert_eq(sel(), 7);
	keys("<Tab>");
	cr_assert_eq(app.focus, APP_FOCUS_PREVIEW);
	keys("jj");
	cr_assert_eq(sel(), 7, "moves scroll the preview, not the list");
	cr_assert_eq(app_doc(&app)->pscroll, 2);
	keys("G");
	cr_assert_eq(app_doc(&app)->pscroll, 5, "last page: 8 lines - 3 rows");
	keys("g");
	cr_assert_eq(app_doc(&app)->pscroll, 0);
	keys("<Tab>j");
	cr_assert_eq(sel(), 8);
}

Test(app, jumps_to_untagged_exercises_with_wrap)
{
	open_nb();
	keys("]");
	cr_assert_eq(sel(), 3);
	keys("]");
	cr_assert_eq(sel(), 9);
	keys("]");
	cr_assert_eq(sel(), 11);
	keys("]");
	cr_assert_eq(sel(), 3, "wraps");
	cr_assert(strstr(app.msg, "Wrapped"));
	keys("[");
	cr_assert_eq(sel(), 11);
}

Test(app, no_untagged_exercise_says_so)
{
	open_path("tests/data/tui/course/lesson-04.ipynb", false);
	keys("]");
	cr_assert_eq(sel(), 0);
	cr_assert_str_eq(app.msg, "No untagged exercise cells");
}

Test(app, toggle_opens_the_suggestion_and_accepts)
{
	open_nb();
	keys("]t");
	cr_assert_eq(app.prompt.kind, APP_PROMPT_TAG_TOGGLE);
	cr_assert_str_eq(app.prompt.buf, "assignment:lesson-03-exercise-1");
	cr_assert_not(app_doc_dirty(app_doc(&app)), "nothing changes before Enter");
	keys("<Enter>");
	cr_assert_eq(app.prompt.kind, APP_PROMPT_NONE);
	cr_assert(cell_has_tag(cell(3), "assignment:lesson-03-exercise-1"));
	cr_assert(app_doc_dirty(app_doc(&app)));
	cr_assert_eq(app_doc(&app)->n_tagged, 2);
	cr_assert_eq(app_doc(&app)->n_untagged, 2);
	/* t on a tagged cell removes the assignment tag, keeping others. */
	keys("t");
	cr_assert_eq(cell(3)->ntags, 0);
	cr_assert_eq(app_doc(&app)->n_untagged, 3);
	cr_assert_not(app_doc_dirty(app_doc(&app)), "back to the loaded tags");
}

/* `t` looks suggestions up in a plan kept across accepted suggestions;
 * whatever the edits, the prompt must offer what planning the notebook as
 * it is now gives. */
Test(app, toggle_suggestions_follow_every_edit)
{
	struct tcell cells[40];
	char path[256];
	for (size_t i = 0; i < 40; i++)
		cells[i] = i % 5 == 0 ? (struct tcell)TMD(i % 10 ? "## Exercise 2" : "## Exercise 3.1")
		         : i % 7 == 3 ? (struct tcell)TCODE_M("# YOUR CODE HERE",
		                                              "\"tags\": [\"assignment:lesson-03-exercise-2\"]")
		         : (struct tcell)TCODE(i % 3 ? "# YOUR CODE HERE" : "def f():\n    pass");
	char *json = tu_nb_json(cells, 40);
	snprintf(path, sizeof path, "%s/lesson_03.ipynb", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(json, f);
	fclose(f);
	free(json);
	open_path(path, false);
	/* With the prompt open: accept, cancel and undo, edit the suggestion,
	 * accept then untag, undo and redo... */
	static const char *const steps[] = {
		"<Enter>", "<Enter>", "<Esc>u", "<Enter>", "<BS>9<Enter>", "<Enter>", "<Enter>t",
		"<Enter>", "<Esc>uu", "<Esc><C-r>", "<Enter>", "<Enter>", "<Esc>a extra<Enter>",
		"<Enter>", "<Enter>", "<Enter>",
	};
	size_t checked = 0;
	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		keys("]t");
		if (app.prompt.kind != APP_PROMPT_TAG_TOGGLE)
			break;
		char want[RULES_TAG_MAX];
		struct ct_error err;
		cr_assert_eq(suggest_for_cell(app_doc(&app)->nb, sel(), &cfg, NULL, NULL, want,
		                              sizeof want, &err), CT_OK, "%s", err.msg);
		cr_assert_str_eq(app.prompt.buf, want, "step %zu, cell %zu: %s vs %s", s, sel(), app.prompt.buf, want);
		checked++;
		keys(steps[s]);
	}
	cr_assert_geq(checked, 12, "only %zu suggestions checked", checked);
}

Test(app, toggle_prompt_is_editable_and_escape_cancels)
{
	open_nb();
	keys("]t<C-w>");
	cr_assert_str_eq(app.prompt.buf, "");
	keys("<Esc>");
	cr_assert_eq(app.prompt.kind, APP_PROMPT_NONE);
	cr_assert_eq(cell(3)->ntags, 0);
	keys("t<BS>9<Enter>");
	cr_assert(cell_has_tag(cell(3), "assignment:lesson-03-exercise-9"));
}

Test(app, invalid_tags_are_refused_in_the_prompt)
{
	open_nb();
	keys("]a");
	keys("bad,tag<Enter>");
	cr_assert_eq(app.prompt.kind, APP_PROMPT_TAG_ADD, "prompt stays open");
	cr_assert(strstr(app.prompt.error, "comma"), "%s", app.prompt.error);
	cr_assert_eq(cell(3)->ntags, 0);
	keys("<C-u>assignment:Lesson-3<Enter>");
	cr_assert(strstr(app.prompt.error, "assignment-uppercase"), "%s",
	          app.prompt.error);
	keys("<C-u><Enter>");
	cr_assert(strstr(app.prompt.error, "empty"));
	cr_assert_not(app_doc_dirty(app_doc(&app)));
	keys("<C-u>needs-review<Enter>");
	cr_assert(cell_has_tag(cell(3), "needs-review"));
	cr_assert_eq(app.prompt.error[0], '\0');
}

Test(app, add_completes_from_notebook_tags)
{
	open_nb();
	keys("]ahi<Tab>");
	cr_assert_str_eq(app.prompt.buf, "hide-input");
	keys("<C-u>assign<Tab>");
	cr_assert_str_eq(app.prompt.buf, "assignment:lesson-03-exercise-2");
	keys("<C-u>t<Tab>");
	cr_assert_str_eq(app.prompt.buf, "tests");
	keys("<Enter>");
	cr_assert(cell_has_tag(cell(3), "tests"));
}

Test(app, remove_picks_among_several_tags)
{
	open_nb();
	keys("Gk");
	cr_assert_eq(sel(), 11);
	keys("d");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_PICK_TAG);
	cr_assert_eq(app.dialog.nitems, 2);
	keys("j<Enter>");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert_eq(cell(11)->ntags, 1);
	cr_assert_str_eq(cell(11)->tags[0], "tests");
	keys("d");                 /* one tag left: removed at once */
	cr_assert_eq(cell(11)->ntags, 0);
	keys("d");
	cr_assert(strstr(app.msg, "has no tags"));
}

Test(app, edit_replaces_the_whole_list)
{
	open_nb();
	keys("Gk" "e");
	cr_assert_str_eq(app.prompt.buf, "tests, locked");
	keys("<C-u>a , b,c<Enter>");
	cr_assert_eq(cell(11)->ntags, 3);
	cr_assert_str_eq(cell(11)->tags[1], "b");
	keys("e<C-u>x, x<Enter>");
	cr_assert_eq(app.prompt.kind, APP_PROMPT_TAG_EDIT, "duplicates refused");
	cr_assert(strstr(app.prompt.error, "twice"));
	keys("<Esc>");
	cr_assert_eq(cell(11)->ntags, 3);
}

Test(app, undo_redo_whole_history)
{
	open_nb();
	keys("]t<Enter>");             /* 1: cell 3 */
	keys("]t<Enter>");             /* 2: cell 9 */
	keys("Gk" "d1");               /* 3: cell 11 loses "tests" */
	cr_assert_eq(app_doc(&app)->nhist, 3);
	keys("u");
	cr_assert_eq(cell(11)->ntags, 2);
	cr_assert_eq(sel(), 11);
	keys("uu");
	cr_assert_not(app_doc_dirty(app_doc(&app)));
	cr_assert_eq(sel(), 3, "undo selects the cell it changed");
	keys("u");
	cr_assert_str_eq(app.msg, "Nothing to undo");
	keys("<C-r><C-r>");
	cr_assert_eq(cell(3)->ntags, 1);
	cr_assert_eq(cell(9)->ntags, 1);
	cr_assert_eq(cell(11)->ntags, 2);
	/* A new edit drops the redo tail. */
	keys("gjj" "ax<Enter>");
	cr_assert_eq(app_doc(&app)->nhist, 3);
	keys("<C-r>");
	cr_assert_str_eq(app.msg, "Nothing to redo");
	cr_assert_eq(app_doc(&app)->n_untagged, 1);
}

Test(app, filters_keep_the_selection)
{
	open_nb();
	keys("]]");
	cr_assert_eq(sel(), 9);
	keys("f");
	cr_assert_eq(app_doc(&app)->filter, APP_FILTER_EXERCISE);
	cr_assert_eq(app_doc(&app)->nrows, 4);
	cr_assert_eq(sel(), 9);
	keys("f");
	cr_assert_eq(app_doc(&app)->filter, APP_FILTER_UNTAGGED);
	cr_assert_eq(app_doc(&app)->nrows, 3);
	cr_assert_eq(sel(), 9);
	/* Tagging the cell under this filter removes its row. */
	keys("t<Enter>");
	cr_assert_eq(app_doc(&app)->nrows, 2);
	cr_assert_eq(sel(), 11, "the next untagged exercise is selected");
	keys("f");
	cr_assert_eq(app_doc(&app)->filter, APP_FILTER_TAGGED);
	cr_assert_eq(app_doc(&app)->nrows, 4);
	keys("f");
	cr_assert_eq(app_doc(&app)->filter, APP_FILTER_ALL);
	cr_assert_eq(app_doc(&app)->nrows, 13);
}

Test(app, search_is_smartcase_and_wraps)
{
	open_nb();
	keys("/fizzbuzz<Enter>");
	cr_assert_eq(sel(), 8, "markdown mentions `fizzbuzz(n)`");
	keys("n");
	cr_assert_eq(sel(), 9);
	keys("n");
	cr_assert_eq(sel(), 11);
	keys("n");
	cr_assert_eq(sel(), 8);
	cr_assert(strstr(app.msg, "wrapped"));
	keys("N");
	cr_assert_eq(sel(), 11);
	keys("/FizzBuzz<Enter>");       /* a capital: case-sensitive */
	cr_assert_eq(sel(), 8);
	keys("n");
	cr_assert_eq(sel(), 8, "only cell 8 says FizzBuzz");
	keys("/nothing-like-this<Enter>");
	cr_assert(strstr(app.msg, "not found"));
}

Test(app, quit_without_edits_quits)
{
	open_nb();
	keys("q");
	cr_assert(app.quit);
}

Test(app, quit_with_edits_asks)
{
	open_nb();
	keys("]t<Enter>q");
	cr_assert_not(app.quit);
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT);
	keys("c");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert_not(app.quit);
	keys("<C-c>");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT, "Ctrl-C asks like q");
	keys("<Esc>");
	cr_assert_not(app.quit);
	keys("qd");
	cr_assert(app.quit);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

Test(app, save_writes_the_tag_losslessly)
{
	open_nb();
	keys("]t<Enter>w");
	cr_assert(strstr(app.msg, "Saved lesson-03.ipynb"), "%s", app.msg);
	cr_assert_not(app_doc_dirty(app_doc(&app)));
	char *got = slurp(nbpath);
	char *want = slurp("tests/data/tui/lesson-03.expected-tagged.ipynb");
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
	keys("q");
	cr_assert(app.quit, "saved: quits without asking");
}

Test(app, quit_dialog_save_saves_then_quits)
{
	open_nb();
	keys("]t<Enter>qs");
	cr_assert(app.quit);
	char *got = slurp(nbpath);
	cr_assert(strstr(got, "assignment:lesson-03-exercise-1"));
	free(got);
}

static void touch_disk(void)
{
	FILE *f = fopen(nbpath, "a");
	fputs(" ", f);
	fclose(f);
}

Test(app, conflict_cancel_keeps_edits)
{
	open_nb();
	keys("]t<Enter>");
	touch_disk();
	keys("w");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_CONFLICT);
	keys("c");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert(app_doc_dirty(app_doc(&app)));
}

Test(app, conflict_overwrite_saves)
{
	open_nb();
	keys("]t<Enter>");
	touch_disk();
	keys("wo");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert_not(app_doc_dirty(app_doc(&app)));
	char *got = slurp(nbpath);
	cr_assert(strstr(got, "assignment:lesson-03-exercise-1"));
	free(got);
}

Test(app, conflict_reload_asks_then_drops_edits)
{
	open_nb();
	keys("]t<Enter>");
	touch_disk();
	keys("wr");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_RELOAD);
	keys("n");
	cr_assert(app_doc_dirty(app_doc(&app)), "no: edits kept");
	keys("wry");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert_not(app_doc_dirty(app_doc(&app)));
	cr_assert_eq(cell(3)->ntags, 0);
	cr_assert_eq(sel(), 3, "selection kept across the reload");
	keys("u");
	cr_assert_str_eq(app.msg, "Nothing to undo");
}

/* An editor load that does not keep the file's bytes (notebook_load_lean,
 * here for any size): the copy made by setup() must first be older than
 * the clock, as a file being edited is. */
static void open_lean(void)
{
	struct ct_error err;
	char *paths[] = { nbpath };
	struct timespec ts = { 0, 40 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	app_init(&app, &cfg, &km, false);
	app.release_min = 0;
	cr_assert_eq(app_open(&app, paths, 1, &err), CT_OK, "%s", err.msg);
	app_layout(&app, 5, 8);
	cr_assert(app_doc(&app)->nb->released);
}

Test(app, released_notebook_saves_like_any_other)
{
	open_lean();
	keys("]t<Enter>w");
	cr_assert(strstr(app.msg, "Saved lesson-03.ipynb"), "%s", app.msg);
	char *got = slurp(nbpath);
	char *want = slurp("tests/data/tui/lesson-03.expected-tagged.ipynb");
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
}

/* Jupyter writes in place: the bytes a released notebook would copy are
 * gone, so "overwrite" cannot be done; the editor offers to reload the new
 * file and put the edits back on it instead. */
Test(app, rewritten_in_place_offers_reload_and_reapply)
{
	open_lean();
	keys("]t<Enter>");
	touch_disk();
	keys("w");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_CONFLICT);
	keys("o");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_REAPPLY, "%s", app.msg);
	cr_assert(strstr(app.dialog.text, "rewritten in place"), "%s", app.dialog.text);
	keys("c");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert(app_doc_dirty(app_doc(&app)), "cancel keeps the edits");
	cr_assert_eq(cell(3)->ntags, 1);

	keys("wor");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert(strstr(app.msg, "edits reapplied to 1 cell"), "%s", app.msg);
	cr_assert(app_doc_dirty(app_doc(&app)), "reapplied, not saved yet");
	cr_assert_eq(cell(3)->ntags, 1);
	cr_assert_str_eq(cell(3)->tags[0], "assignment:lesson-03-exercise-1");
	keys("w");
	cr_assert(strstr(app.msg, "Saved"), "%s", app.msg);
	/* Both kept: the tag, and the other writer's change (a final space). */
	char *got = slurp(nbpath);
	char *want = slurp("tests/data/tui/lesson-03.expected-tagged.ipynb");
	size_t n = strlen(want);
	cr_assert_eq(strlen(got), n + 1);
	cr_assert(strncmp(got, want, n) == 0 && got[n] == ' ');
	free(got);
	free(want);
}

Test(app, conflict_during_quit_then_overwrite_quits)
{
	open_nb();
	keys("]t<Enter>");
	touch_disk();
	keys("qs");
	cr_assert_not(app.quit);
	cr_assert_eq(app.dialog.kind, APP_DIALOG_CONFLICT);
	keys("o");
	cr_assert(app.quit);
}

Test(app, read_only_refuses_every_edit)
{
	open_path(nbpath, true);
	const char *edits[] = { "]t", "a", "d", "e", "u", "<C-r>", "w" };
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		keys(edits[i]);
		cr_expect_eq(app.prompt.kind, APP_PROMPT_NONE, "%s", edits[i]);
		cr_expect(strstr(app.msg, "Read-only"), "%s: %s", edits[i], app.msg);
	}
	cr_assert_not(app_doc_dirty(app_doc(&app)));
	keys("q");
	cr_assert(app.quit);
}

Test(app, unwritable_file_opens_read_only)
{
	if (geteuid() == 0)
		cr_skip_test("running as root: permissions are not enforced");
	chmod(nbpath, 0444);
	open_nb();
	cr_assert(app_doc(&app)->readonly);
	cr_assert(strstr(app.msg, "no write permission"), "%s", app.msg);
}

Test(app, help_screen_opens_and_closes)
{
	open_nb();
	keys("?");
	cr_assert_eq(app.screen, APP_SCREEN_HELP);
	app.help_lines = 40;
	app_layout(&app, 10, 0);
	keys("jjj");
	cr_assert_eq(app.help_top, 3);
	keys("G");
	cr_assert_eq(app.help_top, 30);
	keys("q");
	cr_assert_eq(app.screen, APP_SCREEN_NOTEBOOK);
	cr_assert_not(app.quit, "q closes help, not the app");
	keys("<F1><Esc>");
	cr_assert_eq(app.screen, APP_SCREEN_NOTEBOOK);
}

Test(app, course_screen_opens_notebooks_and_comes_back)
{
	char course[128];
	snprintf(course, sizeof course, "%s/course", dir);
	open_path(course, false);
	cr_assert_eq(app.screen, APP_SCREEN_COURSE);
	cr_assert_eq(app.ndocs, 3);
	cr_assert_null(app.docs[0].nb, "broken.ipynb sorts first and fails");
	cr_assert(strstr(app.docs[0].load_error, "broken.ipynb"));
	keys("<Enter>");
	cr_assert_eq(app.screen, APP_SCREEN_COURSE);
	cr_assert_eq(app.msg_kind, APP_MSG_ERROR);
	keys("j<Enter>");
	cr_assert_eq(app.screen, APP_SCREEN_NOTEBOOK);
	cr_assert_eq(app.cur, 1);
	keys("]t<Enter>");
	cr_assert_eq(app.docs[1].n_untagged, 2);
	keys("<BS>");
	cr_assert_eq(app.screen, APP_SCREEN_COURSE);
	keys("j<Enter><");
	cr_assert_eq(app.screen, APP_SCREEN_COURSE);
	cr_assert_eq(app.course_sel, 2);
	keys("q");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT);
	keys("s");
	cr_assert(app.quit);
	cr_assert_not(app_doc_dirty(&app.docs[1]));
}

/* The editor opens the notebooks `lint` and `coverage` read (core/walk.c):
 * hidden folders, checkpoints and ".~" backups skipped, a symbolic link to
 * a folder not followed, a file named twice opened once, names relative to
 * the one folder given; a missing path is a row that says why. */
Test(app, course_opens_what_the_cli_reads)
{
	char course[128], cmd[1024];
	snprintf(course, sizeof course, "%s/walk", dir);
	snprintf(cmd, sizeof cmd, "cp -R tests/data/course '%s' && "
	         "ln -s ../walk/week4 '%s/linked'", course, course);
	cr_assert_eq(system(cmd), 0);
	open_path(course, false);
	cr_assert_eq(app.screen, APP_SCREEN_COURSE);
	static const char *const want[] = {
		"Lesson 3a.ipynb", "broken.ipynb", "lesson_01.ipynb",
		"lesson_02.ipynb", "week4/lesson-4.ipynb",
	};
	cr_assert_eq(app.ndocs, 5, "%zu notebooks", app.ndocs);
	for (size_t i = 0; i < 5; i++)
		cr_expect_str_eq(app.docs[i].path + app.docs[i].name_off, want[i]);
	cr_expect_not_null(app.course_root);
	app_free(&app);
	memset(&app, 0, sizeof app);

	/* several paths: a file twice, a missing one */
	char a[256], missing[256];
	snprintf(a, sizeof a, "%s/lesson_01.ipynb", course);
	snprintf(missing, sizeof missing, "%s/nothing.ipynb", course);
	char *paths[] = { a, missing, a };
	struct ct_error err;
	app_init(&app, &cfg, &km, false);
	cr_assert_eq(app_open(&app, paths, 3, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(app.ndocs, 2);
	cr_expect_eq(app.screen, APP_SCREEN_COURSE);
	cr_expect_null(app.course_root);
	cr_expect_str_eq(app.docs[0].path, a);
	cr_expect_not_null(app.docs[0].nb);
	cr_expect_null(app.docs[1].nb);
	cr_expect(strstr(app.docs[1].load_error, "nothing.ipynb") &&
	          strstr(app.docs[1].load_error, "no such file"), "%s",
	          app.docs[1].load_error);
}

Test(app, prompt_line_editing_is_utf8_aware)
{
	struct app_prompt p;
	memset(&p, 0, sizeof p);
	prompt_set(&p, "a\xc3\xa9\xe6\x97\xa5z");   /* aé日z */
	cr_assert_eq(p.cur, p.len);
	prompt_edit_key(&p, CTK_LEFT);
	prompt_edit_key(&p, CTK_LEFT);
	cr_assert_eq(p.cur, 3, "before 日");
	prompt_edit_key(&p, CTK_BS);
	cr_assert_str_eq(p.buf, "a\xe6\x97\xa5z");
	prompt_edit_key(&p, CTK_DEL);
	cr_assert_str_eq(p.buf, "az");
	prompt_edit_key(&p, 0xfc);                   /* ü */
	cr_assert_str_eq(p.buf, "a\xc3\xbcz");
	prompt_edit_key(&p, CTK_CTRL('A'));
	cr_assert_eq(p.cur, 0);
	prompt_edit_key(&p, CTK_RIGHT);
	prompt_edit_key(&p, CTK_RIGHT);
	cr_assert_eq(p.cur, 3);
	prompt_edit_key(&p, CTK_CTRL('K'));
	cr_assert_str_eq(p.buf, "a\xc3\xbc");
	prompt_edit_key(&p, CTK_CTRL('E'));
	prompt_insert(&p, " two words", 10);
	prompt_edit_key(&p, CTK_CTRL('W'));
	cr_assert_str_eq(p.buf, "a\xc3\xbc two ");
	prompt_edit_key(&p, CTK_HOME);
	prompt_edit_key(&p, CTK_END);
	prompt_edit_key(&p, CTK_CTRL('U'));
	cr_assert_str_eq(p.buf, "");
	prompt_edit_key(&p, CTK_BS);
	prompt_edit_key(&p, CTK_LEFT);
	cr_assert_eq(p.cur, 0);
	cr_assert_not(prompt_edit_key(&p, CTK_F1));
}

Test(app, recovery_is_offered_and_applied)
{
	open_nb();
	keys("]t<Enter>");
	cr_assert_eq(app_write_recovery(&app), 1);
	app_free(&app);

	open_nb();
	app_start(&app);
	cr_assert_eq(app.dialog.kind, APP_DIALOG_RECOVERY);
	keys("a");
	cr_assert(cell_has_tag(cell(3), "assignment:lesson-03-exercise-1"));
	cr_assert(app_doc_dirty(app_doc(&app)));
	char buf[512];
	cr_assert_null(recovery_find(nbpath, buf, sizeof buf), "file removed");
	keys("u");
	cr_assert_eq(cell(3)->ntags, 0, "recovered edits are undoable");
}

Test(app, stale_recovery_is_not_applied)
{
	open_nb();
	keys("]t<Enter>");
	cr_assert_eq(app_write_recovery(&app), 1);
	app_free(&app);
	touch_disk();
	open_nb();
	app_start(&app);
	cr_assert_eq(app.dialog.kind, APP_DIALOG_RECOVERY_STALE);
	keys("k");
	cr_assert_eq(cell(3)->ntags, 0);
	char buf[512];
	cr_assert_not_null(recovery_find(nbpath, buf, sizeof buf), "kept");
}

Test(app, mouse_selection_and_scroll)
{
	open_nb();
	app_select_row(&app, 4);
	cr_assert_eq(sel(), 4);
	app_scroll(&app, false, 3);
	cr_assert_eq(sel(), 7);
	app_scroll(&app, false, -100);
	cr_assert_eq(sel(), 0);
}

Test(app, unbound_keys_are_reported)
{
	open_nb();
	keys("z");
	cr_assert(strstr(app.msg, "Unbound key z"));
}

Test(app, search_marks_follow_smartcase)
{
	size_t m[8];
	open_nb();
	snprintf(app.search, sizeof app.search, "ab");
	cr_assert_eq(app_search_marks(&app, "xAbyabab", 8, m, 4), 3);
	cr_assert_eq(m[0], 1);
	cr_assert_eq(m[1], 3);
	cr_assert_eq(m[4], 6);
	snprintf(app.search, sizeof app.search, "Ab");
	cr_assert_eq(app_search_marks(&app, "xAbyabab", 8, m, 4), 1);
	cr_assert_eq(app_search_marks(&app, "xAbyabab", 8, m, 0), 0);
	app.search[0] = '\0';
	cr_assert_eq(app_search_marks(&app, "xAbyabab", 8, m, 4), 0);
}

Test(app, course_rows_are_relative_to_the_folder)
{
	char course[128];
	snprintf(course, sizeof course, "%s/course/", dir);
	open_path(course, false);
	cr_assert_eq(app.ndocs, 3);
	cr_assert_str_eq(app_doc_course_name(&app.docs[1]), "lesson-03.ipynb");
	cr_assert_not_null(app.course_root);
	cr_assert(strstr(app.course_root, "/course") &&
	          app.course_root[strlen(app.course_root) - 1] != '/',
	          "root without the trailing slash: %s", app.course_root);
	/* The reason of a failed load, without the file name the row shows. */
	const char *why = app_doc_load_reason(&app.docs[0]);
	cr_assert_null(strstr(why, "broken.ipynb"), "%s", why);
	cr_assert(strstr(why, "invalid JSON"), "%s", why);
}

Test(app, one_notebook_has_no_course_root)
{
	open_nb();
	cr_assert_null(app.course_root);
	cr_assert_str_eq(app_doc_course_name(app_doc(&app)), nbpath);
}

Test(app, q_in_a_course_notebook_goes_back_and_ctrl_c_quits)
{
	char course[128];
	snprintf(course, sizeof course, "%s/course", dir);
	open_path(course, false);
	keys("j<Enter>]t<Enter>");
	cr_assert(app_doc_dirty(&app.docs[1]));
	keys("q");
	cr_assert_eq(app.screen, APP_SCREEN_COURSE, "q closes the notebook");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_NONE);
	cr_assert_not(app.quit);
	cr_assert(strstr(app.msg, "unsaved"), "says the edits are kept: %s",
	          app.msg);
	cr_assert(app_doc_dirty(&app.docs[1]), "edits kept in memory");
	keys("<Enter><C-c>");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT,
	             "C-c asks to quit even inside a notebook");
	keys("c");
	cr_assert_eq(app.screen, APP_SCREEN_NOTEBOOK);
	keys("q");
	cr_assert_eq(app.screen, APP_SCREEN_COURSE);
	keys("q");
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT, "q on the course asks");
	keys("d");
	cr_assert(app.quit);
}

Test(app, q_on_a_single_notebook_still_quits)
{
	open_nb();
	keys("q");
	cr_assert(app.quit);
}

Test(app, quit_request_from_a_signal_asks_once)
{
	open_nb();
	keys("]t<Enter>");
	app_quit(&app);
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT);
	app_quit(&app);      /* a second SIGINT must not reset the dialog */
	cr_assert_eq(app.dialog.kind, APP_DIALOG_QUIT);
	keys("c");
	cr_assert_not(app.quit);
}

Test(app, enter_focuses_the_preview_and_escape_returns)
{
	open_nb();
	keys("<Enter>");
	cr_assert_eq(app.focus, APP_FOCUS_PREVIEW);
	cr_assert_eq(app.screen, APP_SCREEN_NOTEBOOK);
	size_t cell = sel();
	keys("j");
	cr_assert_eq(sel(), cell, "j scrolls the preview, not the list");
	keys("<Esc>");
	cr_assert_eq(app.focus, APP_FOCUS_LIST);
	keys("j");
	cr_assert_eq(sel(), cell + 1);
}

Test(app, an_assignment_tag_already_used_elsewhere_is_flagged)
{
	open_nb();
	/* Cell 5 has assignment:lesson-03-exercise-2 in the fixture. */
	keys("]a");
	prompt_set(&app.prompt, "assignment:lesson-03-exercise-2");
	keys("<Enter>");
	cr_assert(cell_has_tag(cell(3), "assignment:lesson-03-exercise-2"),
	          "the tag is still added (the user may mean it)");
	cr_assert_eq(app.msg_kind, APP_MSG_WARN);
	cr_assert(strstr(app.msg, "cell 5") &&
	          strstr(app.msg, "assignment-duplicate"), "%s", app.msg);
	/* A fresh one is not flagged. */
	keys("u]t<Enter>");
	cr_assert_eq(app.msg_kind, APP_MSG_INFO, "%s", app.msg);
}
