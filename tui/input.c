/* input.c - keys from the terminal or a script (input.h). */
#include "input.h"

#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"

enum ct_status input_open_script(struct input *in, const char *path,
                                 struct ct_error *err)
{
	memset(in, 0, sizeof *in);
	in->script = fopen(path, "r");
	if (!in->script)
		return ct_error_set(err, errno == ENOENT ? CT_NOTFOUND : CT_IO,
		                    path, "cannot open script: %s", strerror(errno));
	in->path = strdup(path);
	return CT_OK;
}

void input_open_terminal(struct input *in)
{
	memset(in, 0, sizeof *in);
}

void input_close(struct input *in)
{
	if (in->script)
		fclose(in->script);
	free(in->path);
	memset(in, 0, sizeof *in);
}

bool input_parse_keys(const char *line, int *keys, size_t cap, size_t *n)
{
	*n = 0;
	if (keymap_parse_key(line, &keys[0])) {     /* one key ("<" too) */
		*n = 1;
		return true;
	}
	for (const char *p = line; *p;) {
		char name[KEYMAP_NAME_MAX];
		size_t len;
		const char *close = *p == '<' ? strchr(p, '>') : NULL;

		if (close && (size_t)(close - p + 1) < sizeof name)
			len = (size_t)(close - p + 1);
		else {                                  /* one UTF-8 character */
			len = 1;
			while (((unsigned char)p[len] & 0xc0) == 0x80)
				len++;
		}
		if (len >= sizeof name || *n >= cap)
			return false;
		memcpy(name, p, len);
		name[len] = '\0';
		if (!keymap_parse_key(name, &keys[*n]))
			return false;
		(*n)++;
		p += len;
	}
	return *n > 0;
}

static enum ct_status script_next(struct input *in, struct input_event *ev,
                                  struct ct_error *err)
{
	char line[4096];

	for (;;) {
		if (in->next < in->npending) {
			ev->kind = INPUT_KEY;
			ev->key = in->pending[in->next++];
			return CT_OK;
		}
		if (!fgets(line, sizeof line, in->script)) {
			ev->kind = INPUT_EOF;
			return CT_OK;
		}
		in->lineno++;
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (line[0] == ':' && len > 1) {
			if (strncmp(line, ":type ", 6) == 0) {
				/* Literal text: each UTF-8 character is a key. */
				in->npending = in->next = 0;
				for (const char *p = line + 6; *p && in->npending < INPUT_PENDING_MAX;) {
					char ch[5] = { 0 };
					size_t l = 1;
					while (((unsigned char)p[l] & 0xc0) == 0x80 && l < 4)
						l++;
					memcpy(ch, p, l);
					int k;
					if (keymap_parse_key(ch, &k))
						in->pending[in->npending++] = k;
					p += l;
				}
				continue;
			}
			ev->kind = INPUT_COMMAND;
			snprintf(ev->cmd, sizeof ev->cmd, "%s", line + 1);
			return CT_OK;
		}
		in->next = 0;
		if (!input_parse_keys(line, in->pending, INPUT_PENDING_MAX,
		                      &in->npending))
			return ct_error_set_at(err, CT_USAGE, in->path, in->lineno, 1,
			                       "not a key name: %s", line);
	}
}

static int translate_key(int c)
{
	switch (c) {
	case KEY_UP: return CTK_UP;
	case KEY_DOWN: return CTK_DOWN;
	case KEY_LEFT: return CTK_LEFT;
	case KEY_RIGHT: return CTK_RIGHT;
	case KEY_HOME: case KEY_FIND: return CTK_HOME;
	case KEY_END: case KEY_SELECT: return CTK_END;
	case KEY_PPAGE: return CTK_PGUP;
	case KEY_NPAGE: return CTK_PGDN;
	case KEY_IC: return CTK_INS;
	case KEY_DC: return CTK_DEL;
	case KEY_BTAB: return CTK_BTAB;
	case KEY_BACKSPACE: return CTK_BS;
	case KEY_ENTER: return CTK_ENTER;
	case KEY_RESIZE: return CTK_RESIZE;
	case KEY_MOUSE: return CTK_MOUSE;
	default:
		if (c >= KEY_F(1) && c <= KEY_F(12))
			return CTK_F1 + (c - KEY_F(1));
		return -1;
	}
}

static enum ct_status terminal_next(struct input_event *ev)
{
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == ERR) {
		ev->kind = INPUT_TIMEOUT;
		return CT_OK;
	}
	ev->kind = INPUT_KEY;
	if (r == KEY_CODE_YES) {
		int k = translate_key((int)wc);
		if (k == CTK_MOUSE) {
			MEVENT me;
			if (getmouse(&me) != OK) {
				ev->kind = INPUT_TIMEOUT;
				return CT_OK;
			}
			ev->kind = INPUT_MOUSE;
			ev->x = me.x;
			ev->y = me.y;
			if (me.bstate & BUTTON4_PRESSED)
				ev->mouse = MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
			else if (me.bstate & BUTTON5_PRESSED)
				ev->mouse = MOUSE_WHEEL_DOWN;
#endif
			else
				ev->mouse = MOUSE_CLICK;
			return CT_OK;
		}
		if (k < 0) {
			ev->kind = INPUT_TIMEOUT;   /* a key we do not know: ignore */
			return CT_OK;
		}
		ev->key = k;
		return CT_OK;
	}
	/* Normalise: CR and ^J are Enter, ^H and DEL are Backspace. */
	if (wc == '\r')
		wc = '\n';
	if (wc == 8)
		wc = CTK_BS;
	ev->key = (int)wc;
	return CT_OK;
}

enum ct_status input_next(struct input *in, struct input_event *ev,
                          struct ct_error *err)
{
	ev->cmd[0] = '\0';
	if (in->script)
		return script_next(in, ev, err);
	return terminal_next(ev);
}
