/* screen_help.c - every key binding with its description, generated from
 * the action table (actions.h) and the keymap in use. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "keymap.h"

/* Fixed keys of prompts and dialogs (not rebindable). */
static const char *const prompt_keys[][2] = {
	{ "<Enter>", "Accept (an invalid tag is refused with the rule it breaks)" },
	{ "<Esc>, <C-c>", "Cancel" },
	{ "<Left>, <Right>", "Move by one character" },
	{ "<Home>, <C-a>", "Go to the start" },
	{ "<End>, <C-e>", "Go to the end" },
	{ "<BS>, <Del>", "Delete before / under the cursor" },
	{ "<C-u>", "Delete to the start" },
	{ "<C-k>", "Delete to the end" },
	{ "<C-w>", "Delete the word before the cursor" },
	{ "<Tab>", "Complete from the notebook's tags (add prompt)" },
};

static const char *const dialog_keys[][2] = {
	{ "s / d / c", "Quit: save, discard, cancel" },
	{ "o / r / c", "Changed on disk: overwrite, reload, cancel" },
	{ "r / c", "Rewritten in place: reload and reapply edits, cancel" },
	{ "a / d / l", "Recovered edits: apply, discard, later" },
	{ "j, k, 1-9, <Enter>", "Pick the tag to remove" },
};

/* Sections of the key list: each starts at an action of ACTION_INFO (in
 * its order) and runs to the next one, so a new action lands in the
 * section of its neighbours without touching this table. */
static const struct {
	enum action first;
	const char *title;
} key_sections[] = {
	{ ACTION_CELL_NEXT, "Moving" },
	{ ACTION_TAG_TOGGLE, "Tagging" },
	{ ACTION_UNTAGGED_NEXT, "Finding cells" },
	{ ACTION_UNDO, "Undo and save" },
	{ ACTION_QUIT, "Screens" },
};

/* What the symbols of the cell list and status line mean. */
static const char *const legend[][2] = {
	{ "!", "Exercise cell without an assignment tag (also coloured)" },
	{ "<tag>", "A tag; assignment tags have their own colour" },
	{ "[3], [ ]", "Execution count; [ ] when never run" },
	{ "code, md, raw", "Cell type (Markdown and raw rows are dimmed)" },
	{ "[+]", "Unsaved edits (a + on the course screen)" },
	{ "[RO]", "Read-only: no edits, no saves" },
	{ "[untagged]", "The filter in use (f cycles; the list title says it)" },
};

enum line_kind { LINE_SECTION, LINE_KEY, LINE_BLANK };

struct help_line {
	enum line_kind kind;
	char key[256];
	const char *text;       /* section title or description */
};

#define ARRAY_LEN(a) (sizeof (a) / sizeof (a)[0])

/* Produce line `n` of the help text; false past the end.  Lines are
 * generated, not stored: the key list follows the keymap in use. */
static bool help_line(const struct app *app, size_t n, struct help_line *l)
{
	size_t i = 0;

	l->key[0] = '\0';
	l->text = "";
#define SECTION(t) if (i++ == n) { l->kind = LINE_SECTION; l->text = (t); return true; }
#define BLANK() if (i++ == n) { l->kind = LINE_BLANK; return true; }
	for (int a = 1; a < ACTION_COUNT; a++) {
		for (size_t s = 0; s < ARRAY_LEN(key_sections); s++)
			if (key_sections[s].first == (enum action)a) {
				if (s > 0)
					BLANK()
				SECTION(key_sections[s].title)
			}
		if (i++ == n) {
			l->kind = LINE_KEY;
			keymap_keys_for(app->km, (enum action)a, l->key, sizeof l->key);
			if (!l->key[0])
				snprintf(l->key, sizeof l->key, "(unbound)");
			l->text = action_help((enum action)a);
			return true;
		}
	}
	BLANK()
	SECTION("Prompts")
	for (size_t k = 0; k < ARRAY_LEN(prompt_keys); k++)
		if (i++ == n) {
			l->kind = LINE_KEY;
			snprintf(l->key, sizeof l->key, "%s", prompt_keys[k][0]);
			l->text = prompt_keys[k][1];
			return true;
		}
	BLANK()
	SECTION("Dialogs")
	for (size_t k = 0; k < ARRAY_LEN(dialog_keys); k++)
		if (i++ == n) {
			l->kind = LINE_KEY;
			snprintf(l->key, sizeof l->key, "%s", dialog_keys[k][0]);
			l->text = dialog_keys[k][1];
			return true;
		}
	BLANK()
	SECTION("Symbols")
	for (size_t k = 0; k < ARRAY_LEN(legend); k++)
		if (i++ == n) {
			l->kind = LINE_KEY;
			snprintf(l->key, sizeof l->key, "%s", legend[k][0]);
			l->text = legend[k][1];
			return true;
		}
	BLANK()
	SECTION("Configuration")
	if (i++ == n) {
		l->kind = LINE_KEY;
		snprintf(l->key, sizeof l->key, "keys:");
		l->text = "Rebind in config.yaml: keys: { x: tag-toggle, q: none }";
		return true;
	}
#undef SECTION
#undef BLANK
	return false;
}

static void help_draw(struct app *app, struct display *d)
{
	int h = d->rows - 2, w = d->cols;
	int kw = w >= 60 ? 22 : w / 3;
	attr_t sec = display_attr(d, THEME_HELP_SECTION);
	size_t total = 0;
	struct help_line l;

	while (help_line(app, total, &l))
		total++;
	app->help_lines = total;
	app_layout(app, h, 0);
	if (app->help_top + (size_t)h > total)
		app->help_top = total > (size_t)h ? total - (size_t)h : 0;
	for (int r = 0; r < h; r++) {
		size_t n = app->help_top + (size_t)r;
		display_fill(d, r, 0, w, display_attr(d, THEME_HELP_DESC));
		if (!help_line(app, n, &l))
			continue;
		if (l.kind == LINE_SECTION)
			display_text_fit(d, r, 1, w - 1, l.text, strlen(l.text), sec);
		else if (l.kind == LINE_KEY) {
			display_text_fit(d, r, 2, kw - 1, l.key, strlen(l.key),
			                 display_attr(d, THEME_HELP_KEY));
			display_text_fit(d, r, kw + 2, w - kw - 2, l.text, strlen(l.text),
			                 display_attr(d, THEME_HELP_DESC));
		}
	}
}

static bool help_handle(struct app *app, struct display *d,
                        const struct input_event *ev)
{
	(void)d;
	if (ev->kind == INPUT_MOUSE && ev->mouse != MOUSE_CLICK) {
		app_action(app, ev->mouse == MOUSE_WHEEL_UP ? ACTION_CELL_PREV
		                                            : ACTION_CELL_NEXT);
		return true;
	}
	return false;
}

const struct screen_ops screen_help_ops = {
	.name = "help",
	.draw = help_draw,
	.handle = help_handle,
	.done = NULL,
};
