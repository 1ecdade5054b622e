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
	{ "a / d / l", "Recovered edits: apply, discard, later" },
	{ "j, k, 1-9, <Enter>", "Pick the tag to remove" },
};

enum { LINE_TITLE, LINE_SECTION, LINE_KEY, LINE_BLANK };

/* Produce line `n` of the help text; false past the end. */
static bool help_line(const struct app *app, size_t n, int *kind,
                      char *key, size_t ksize, const char **desc)
{
	size_t i = 0;
	*desc = "";
	key[0] = '\0';
#define LINE(k) if (i++ == n) { *kind = (k); return true; }
	LINE(LINE_SECTION) /* Keys */
	for (int a = 1; a < ACTION_COUNT; a++) {
		if (i++ == n) {
			*kind = LINE_KEY;
			keymap_keys_for(app->km, (enum action)a, key, ksize);
			if (!key[0])
				snprintf(key, ksize, "(unbound)");
			*desc = action_help((enum action)a);
			return true;
		}
	}
	LINE(LINE_BLANK)
	LINE(LINE_TITLE)  /* Prompts */
	for (size_t k = 0; k < sizeof prompt_keys / sizeof prompt_keys[0]; k++)
		if (i++ == n) {
			*kind = LINE_KEY;
			snprintf(key, ksize, "%s", prompt_keys[k][0]);
			*desc = prompt_keys[k][1];
			return true;
		}
	LINE(LINE_BLANK)
	if (i++ == n) {
		*kind = LINE_TITLE + 10;  /* Dialogs */
		return true;
	}
	for (size_t k = 0; k < sizeof dialog_keys / sizeof dialog_keys[0]; k++)
		if (i++ == n) {
			*kind = LINE_KEY;
			snprintf(key, ksize, "%s", dialog_keys[k][0]);
			*desc = dialog_keys[k][1];
			return true;
		}
#undef LINE
	return false;
}

static void help_draw(struct app *app, struct display *d)
{
	int h = d->rows - 2, w = d->cols;
	int kw = w >= 60 ? 22 : w / 3;
	attr_t sec = display_attr(d, THEME_HELP_SECTION);
	size_t total = 0;
	char key[256];
	const char *desc;
	int kind;

	while (help_line(app, total, &kind, key, sizeof key, &desc))
		total++;
	app->help_lines = total;
	app_layout(app, h, 0);
	if (app->help_top + (size_t)h > total)
		app->help_top = total > (size_t)h ? total - (size_t)h : 0;
	for (int r = 0; r < h; r++) {
		size_t n = app->help_top + (size_t)r;
		display_fill(d, r, 0, w, display_attr(d, THEME_HELP_DESC));
		if (!help_line(app, n, &kind, key, sizeof key, &desc))
			continue;
		if (kind == LINE_SECTION)
			display_printf(d, r, 1, w - 1, sec,
			               "Keys (rebind in the config file: keys: { KEY: ACTION })");
		else if (kind == LINE_TITLE)
			display_printf(d, r, 1, w - 1, sec, "Prompts");
		else if (kind == LINE_TITLE + 10)
			display_printf(d, r, 1, w - 1, sec, "Dialogs");
		else if (kind == LINE_KEY) {
			display_text_fit(d, r, 2, kw - 1, key, strlen(key),
			                 display_attr(d, THEME_HELP_KEY));
			display_text_fit(d, r, kw + 2, w - kw - 2, desc, strlen(desc),
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
