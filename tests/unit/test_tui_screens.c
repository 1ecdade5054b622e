/* test_tui_screens.c - golden screens of the editor, run in-process.
 *
 * Each tests/screens/NAME.steps is a --script for tui_main() with a header:
 *   # args: --size 80x24 lesson-03.ipynb     (options and paths)
 *   # env: TERM=vt100                         (optional, repeatable)
 *   # dump: display | attrs | both            (default display)
 * The test copies tests/data/tui/ into a temp folder, runs there (so paths
 * in args are relative to it), appends the dump commands to the script and
 * compares the result with tests/screens/NAME.screen (and NAME.attrs) using
 * `diff -u`.  UPDATE_GOLDEN=1 rewrites the goldens instead.
 * Criterion runs each test in its own process, so curses state cannot leak.
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "display.h"
#include "keymap.h"
#include "tui.h"
#include "testutil.h"

static char repo[PATH_MAX];

/* A fresh folder (from the mkdtemp template) holding a copy of
 * tests/data/tui, made the working folder and the editor's home. */
static char *stage_fixtures(char *tmpl, const char *repo_dir)
{
	char cmd[3 * PATH_MAX];
	char *dir = mkdtemp(tmpl);
	cr_assert(dir);
	snprintf(cmd, sizeof cmd, "cp -R '%s/tests/data/tui/.' '%s/'", repo_dir, dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(chdir(dir), 0);
	tu_tui_env(dir);
	return dir;
}

static void run_golden(const char *name)
{
	char steps[PATH_MAX + 64], tmpl[] = "/tmp/celltag-screens-XXXXXX";
	char cmd[3 * PATH_MAX], line[4096];
	char *argv[64];
	char argbuf[4096] = "";
	int argc = 0;
	bool want_display = true, want_attrs = false;

	cr_assert(getcwd(repo, sizeof repo));
	snprintf(steps, sizeof steps, "%s/tests/screens/%s.steps", repo, name);
	FILE *in = fopen(steps, "r");
	cr_assert(in, "missing %s", steps);

	char *dir = stage_fixtures(tmpl, repo);

	FILE *script = fopen("script.keys", "w");
	cr_assert(script);
	while (fgets(line, sizeof line, in)) {
		if (strncmp(line, "# args:", 7) == 0) {
			snprintf(argbuf, sizeof argbuf, "%s", line + 7);
		} else if (strncmp(line, "# env:", 6) == 0) {
			char *kv = line + 6;
			kv += strspn(kv, " ");
			kv[strcspn(kv, "\n")] = '\0';
			char *eq = strchr(kv, '=');
			if (eq) {
				*eq = '\0';
				setenv(kv, eq + 1, 1);
			}
		} else if (strncmp(line, "# dump:", 7) == 0) {
			want_display = strstr(line, "display") || strstr(line, "both");
			want_attrs = strstr(line, "attrs") || strstr(line, "both");
		} else
			fputs(line, script);
	}
	fclose(in);
	if (want_display)
		fprintf(script, ":save-display out.screen\n");
	if (want_attrs)
		fprintf(script, ":save-attrs out.attrs\n");
	fclose(script);

	argv[argc++] = (char *)"celltag";
	argv[argc++] = (char *)"--script";
	argv[argc++] = (char *)"script.keys";
	for (char *tok = strtok(argbuf, " \t\n"); tok && argc < 62;
	     tok = strtok(NULL, " \t\n"))
		argv[argc++] = tok;
	argv[argc] = NULL;

	int rc = tui_main(argc, argv);
	cr_assert_eq(rc, 0, "tui_main returned %d", rc);

	const char *update = getenv("UPDATE_GOLDEN");
	const char *kinds[2] = { want_display ? "screen" : NULL,
	                         want_attrs ? "attrs" : NULL };
	for (int k = 0; k < 2; k++) {
		if (!kinds[k])
			continue;
		char golden[PATH_MAX + 64];
		snprintf(golden, sizeof golden, "%s/tests/screens/%s.%s", repo,
		         name, kinds[k]);
		if (update && *update == '1') {
			snprintf(cmd, sizeof cmd, "cp out.%s '%s'", kinds[k], golden);
			cr_assert_eq(system(cmd), 0);
			continue;
		}
		snprintf(cmd, sizeof cmd, "diff -u '%s' out.%s >&2", golden, kinds[k]);
		cr_expect_eq(system(cmd), 0, "%s.%s differs from the golden "
		             "(UPDATE_GOLDEN=1 to regenerate)", name, kinds[k]);
	}
	cr_assert_eq(chdir(repo), 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	system(cmd);
}

#define GOLDEN(id, name) \
	Test(tui_screens, id, .timeout = 60) { run_golden(name); }

GOLDEN(notebook_80x24, "notebook-80x24")
GOLDEN(notebook_wide, "notebook-wide")
GOLDEN(notebook_narrow, "notebook-40x12")
GOLDEN(notebook_narrow_preview, "notebook-40x12-preview")
GOLDEN(notebook_stacked_60, "notebook-60x20")
GOLDEN(prompt_suggest, "prompt-suggest")
GOLDEN(prompt_invalid_comma, "prompt-invalid-comma")
GOLDEN(prompt_invalid_assignment, "prompt-invalid-assignment")
GOLDEN(prompt_utf8_edit, "prompt-utf8-edit")
GOLDEN(tag_accepted, "tag-accepted")
GOLDEN(tag_undo, "tag-undo")
GOLDEN(filter_untagged, "filter-untagged")
GOLDEN(search, "search")
GOLDEN(readonly, "readonly")
GOLDEN(quit_dialog, "quit-dialog")
GOLDEN(conflict_dialog, "conflict-dialog")
GOLDEN(pick_tag, "pick-tag")
GOLDEN(course, "course")
GOLDEN(course_open, "course-open")
GOLDEN(help, "help")
GOLDEN(hostile, "hostile")
GOLDEN(resize, "resize")
GOLDEN(mouse, "mouse")
GOLDEN(theme_default_color, "theme-default-color")
GOLDEN(theme_default_mono, "theme-default-mono")
GOLDEN(theme_light_color, "theme-light-color")
GOLDEN(theme_light_mono, "theme-light-mono")
GOLDEN(theme_high_contrast_color, "theme-high-contrast-color")
GOLDEN(theme_high_contrast_mono, "theme-high-contrast-mono")
GOLDEN(theme_monochrome_color, "theme-monochrome-color")
GOLDEN(theme_monochrome_mono, "theme-monochrome-mono")
GOLDEN(theme_vt100, "theme-vt100")
GOLDEN(theme_broken, "theme-broken")
GOLDEN(theme_no_color_env, "theme-no-color-env")
GOLDEN(config_rebind, "config-rebind")
GOLDEN(course_narrow, "course-narrow")
GOLDEN(course_wide, "course-wide")
GOLDEN(course_readonly, "course-readonly")
GOLDEN(preview_wrap, "preview-wrap")
GOLDEN(preview_wrap_end, "preview-wrap-end")

/* Run a script (lines joined by '\n') at a size on tests/data/tui/NB and
 * return the screen dump (caller frees). */
static char *run_script_dump(const char *size, const char *nb,
                             const char *script_text)
{
	char tmpl[] = "/tmp/celltag-screens-XXXXXX", cmd[3 * PATH_MAX];
	char here[PATH_MAX];

	cr_assert(getcwd(here, sizeof here));
	char *dir = stage_fixtures(tmpl, here);
	FILE *f = fopen("script.keys", "w");
	cr_assert(f);
	fprintf(f, "%s\n:save-display out.screen\n", script_text);
	fclose(f);
	char *argv[] = { (char *)"celltag", (char *)"--script",
	                 (char *)"script.keys", (char *)"--size", (char *)size,
	                 (char *)nb, NULL };
	cr_assert_eq(tui_main(6, argv), 0);
	f = fopen("out.screen", "r");
	cr_assert(f);
	char *buf = calloc(1, 1 << 20);
	cr_assert(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	cr_assert_eq(chdir(here), 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	system(cmd);
	return buf;
}

/* Coverage percentages round to the nearest (2 of 3 tagged is 67%), and
 * 100% only when every exercise is tagged. */
Test(tui_screens, course_percent_rounds)
{
	char here[PATH_MAX], demo[PATH_MAX + 8];
	cr_assert(getcwd(here, sizeof here));
	snprintf(demo, sizeof demo, "%s/demo", here);
	char *screen = run_script_dump("120x12", demo, "");
	cr_expect(strstr(screen, " 67%"), "%s", screen);
	cr_expect(strstr(screen, " 33%"), "%s", screen);
	cr_expect(!strstr(screen, " 66%"), "%s", screen);
	free(screen);
}

Test(tui_screens, help_lists_every_action_under_a_section, .timeout = 60)
{
	char *screen = run_script_dump("120x200", "lesson-03.ipynb", "?");
	for (int a = 1; a < ACTION_COUNT; a++)
		cr_expect(strstr(screen, action_help((enum action)a)),
		          "help misses action %s", action_name((enum action)a));
	const char *sections[] = { "Moving", "Tagging", "Finding cells",
	                           "Undo and save", "Screens", "Prompts",
	                           "Dialogs", "Symbols", "Configuration" };
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		cr_expect(strstr(screen, sections[i]), "no section %s", sections[i]);
	/* Sections come in that order, and the status line says where we are. */
	cr_expect(strstr(screen, "Moving") < strstr(screen, "Tagging"));
	cr_expect(strstr(screen, "Tagging") < strstr(screen, "Screens"));
	cr_expect(strstr(screen, " Help  lines 1-"), "%s", screen);
	free(screen);
}

/* Rows of a wrapped line, measured without curses (d == NULL). */
static size_t wrap_rows(const char *s, int width, size_t *starts, size_t cap)
{
	size_t len = strlen(s), off = 0, n = 0;
	do {
		if (n < cap)
			starts[n] = off;
		n++;
		off = display_text_row(NULL, 0, 0, width, s, len, off, NULL, 0, 0,
		                       NULL, 0, 0);
	} while (off < len && n < 1000);
	return n;
}

Test(tui_screens, preview_wraps_at_blanks_and_splits_long_words)
{
	size_t st[16];

	cr_assert_eq(wrap_rows("short", 10, st, 16), 1);
	/* "hello world again": breaks after the blanks, never mid-word. */
	cr_assert_eq(wrap_rows("hello world again", 12, st, 16), 2);
	cr_assert_eq(st[1], 12, "second row starts at 'again' (%zu)", st[1]);
	/* The blank that ends a full row is not carried to the next one. */
	cr_assert_eq(wrap_rows("abcdefghij klm", 10, st, 16), 2);
	cr_assert_eq(st[1], 11);
	/* A word longer than half the row is split where the row ends. */
	cr_assert_eq(wrap_rows("ab abcdefghijklmnopq", 10, st, 16), 2);
	cr_assert_eq(st[1], 10);
	/* A placeholder wider than the row (<U+202E> is 8 columns) is skipped,
	 * so wrapping always advances. */
	cr_assert_eq(wrap_rows("\xe2\x80\xae" "ab", 4, st, 16), 2);
	cr_assert_eq(st[1], 3);
}

/* A cell whose first line is a megabyte (minified data) must not make every
 * key press cost a megabyte per visible row: drawing looks at what a row
 * can show.  Before the bound, this script took about 40 s; now well
 * under a second (the limit leaves room for sanitizer builds). */
Test(tui_screens, megabyte_lines_do_not_slow_down_keys, .timeout = 120)
{
	char tmpl[] = "/tmp/celltag-longline-XXXXXX", path[PATH_MAX];
	char *dir = mkdtemp(tmpl);
	cr_assert(dir);
	snprintf(path, sizeof path, "%s/long.ipynb", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("{\"cells\": [", f);
	for (int c = 0; c < 20; c++) {
		fprintf(f, "%s{\"cell_type\": \"code\", \"id\": \"c%d\", "
		        "\"metadata\": {}, \"outputs\": [], \"execution_count\": null, "
		        "\"source\": [\"x = [", c ? ", " : "", c);
		for (int i = 0; i < 150000; i++)
			fprintf(f, "%d,", i);
		fputs("0]\"]}", f);
	}
	fputs("], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}\n", f);
	fclose(f);

	char keys[4096] = "/99999\n<Enter>\n";
	for (int i = 0; i < 50; i++)
		strcat(keys, "j\nk\n");
	strcat(keys, "<Tab>\nG\n<Tab>");
	/* CPU time of this process (tui_main runs in it), not wall time: a
	 * loaded machine must not fail the test. */
	double t0 = tu_cpu_seconds();
	char *screen = run_script_dump("120x40", path, keys);
	double secs = tu_cpu_seconds() - t0;
	cr_expect(strstr(screen, "x = [0,1,2,3"), "%s", screen);
	cr_expect(secs < 10.0, "104 keys took %.1f s of CPU", secs);
	free(screen);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	system(cmd);
}
