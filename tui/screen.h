/* screen.h - the screens as ops tables (tig's view_ops).
 *
 * Each screen draws the app state (app.h) with the display (display.h) and
 * may handle input that needs its geometry (mouse clicks and wheel); keys
 * go to app_key().  Generic code never switches on the screen type: it
 * calls screen_for(app->screen).
 */
#ifndef CELLTAG_TUI_SCREEN_H
#define CELLTAG_TUI_SCREEN_H

#include <stdbool.h>

#include "app.h"
#include "display.h"
#include "input.h"

struct screen_ops {
	const char *name;
	/* Draw the screen's area (rows 0 .. d->rows - 3): */
	void (*draw)(struct app *app, struct display *d);
	/* Handle an input event needing geometry; false when not handled: */
	bool (*handle)(struct app *app, struct display *d,
	               const struct input_event *ev);
	/* Forget cached drawing state (notebook reloaded, screen left): */
	void (*done)(struct app *app);
};

extern const struct screen_ops screen_notebook_ops;
extern const struct screen_ops screen_course_ops;
extern const struct screen_ops screen_help_ops;

const struct screen_ops *screen_for(enum app_screen s);

/* Draw a whole frame: the current screen, the status line, the message
 * line (message, prompt or dialog) and popups.  Does not refresh. */
void screen_draw_frame(struct app *app, struct display *d);

/* Status and message lines, prompt and dialogs (screen_prompt.c). */
void screen_draw_status(struct app *app, struct display *d);
void screen_draw_message(struct app *app, struct display *d);

#endif
