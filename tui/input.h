/* input.h - where keys come from: the terminal, or a --script file.
 *
 * A script (tig's recipe) has one entry per line:
 *   - a key name as keymap_parse_key() reads it ("j", "<Enter>", "<C-r>"),
 *     or a sequence of them on one line ("lesson-03", "ab<Left><BS>");
 *   - a command starting with ':':
 *       :save-display FILE     dump the screen text (trailing blanks cut)
 *       :save-attrs FILE       dump colours and attributes, run-length
 *       :resize COLSxROWS      resize the (headless) screen
 *       :type TEXT             type TEXT literally (no key names)
 *       :click COL ROW         mouse click (0-based), :wheel-up/-down too
 *       :exec CMD              run a shell command (test setup, e.g. to
 *                              change the file on disk)
 *   - blank lines and lines starting with '#' are ignored.
 * At the end of the script the editor quits (discarding edits).
 */
#ifndef CELLTAG_TUI_INPUT_H
#define CELLTAG_TUI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

enum input_kind {
	INPUT_KEY,        /* ev.key holds a key (keymap.h codes) */
	INPUT_MOUSE,      /* ev.mouse* hold a mouse event */
	INPUT_COMMAND,    /* a script command in ev.cmd */
	INPUT_TIMEOUT,    /* nothing typed (look at signal flags) */
	INPUT_EOF         /* end of the script */
};

enum input_mouse { MOUSE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };

struct input_event {
	enum input_kind kind;
	int key;
	enum input_mouse mouse;
	int x, y;
	char cmd[4096];
};

#define INPUT_PENDING_MAX 1024

struct input {
	FILE *script;         /* NULL: the terminal */
	char *path;
	long lineno;
	int pending[INPUT_PENDING_MAX];  /* keys of the current script line */
	size_t npending, next;
};

/* Read keys from a script file.  CT_NOTFOUND/CT_IO when unreadable. */
enum ct_status input_open_script(struct input *in, const char *path,
                                 struct ct_error *err);
void input_open_terminal(struct input *in);
void input_close(struct input *in);

/* Next event.  A script line that is not a valid key sequence is reported
 * as CT_USAGE with its line number. */
enum ct_status input_next(struct input *in, struct input_event *ev,
                          struct ct_error *err);

/* Parse a line of key names into keys; false on a bad name. */
bool input_parse_keys(const char *line, int *keys, size_t cap, size_t *n);

#endif
