/* keymap.c - key names, default bindings, config overrides (keymap.h). */
#include "keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	enum action action;
} action_names[] = {
#define ACTION_NAME(e, name, help) { name, ACTION_##e },
	ACTION_INFO(ACTION_NAME)
#undef ACTION_NAME
};

static const char *const action_helps[ACTION_COUNT] = {
	[ACTION_NONE] = "",
#define ACTION_HELP(e, name, help) [ACTION_##e] = help,
	ACTION_INFO(ACTION_HELP)
#undef ACTION_HELP
};

/* Named keys.  The first name of a key is its canonical name. */
static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Up", CTK_UP }, { "Down", CTK_DOWN }, { "Left", CTK_LEFT },
	{ "Right", CTK_RIGHT }, { "Home", CTK_HOME }, { "End", CTK_END },
	{ "PgUp", CTK_PGUP }, { "PageUp", CTK_PGUP },
	{ "PgDn", CTK_PGDN }, { "PageDown", CTK_PGDN },
	{ "Ins", CTK_INS }, { "Insert", CTK_INS },
	{ "Del", CTK_DEL }, { "Delete", CTK_DEL },
	{ "BS", CTK_BS }, { "Backspace", CTK_BS },
	{ "Enter", CTK_ENTER }, { "Return", CTK_ENTER }, { "CR", CTK_ENTER },
	{ "Esc", CTK_ESC }, { "Escape", CTK_ESC },
	{ "Tab", CTK_TAB }, { "S-Tab", CTK_BTAB }, { "BTab", CTK_BTAB },
	{ "Space", ' ' }, { "LT", '<' }, { "Resize", CTK_RESIZE },
	{ "Mouse", CTK_MOUSE },
};

enum action action_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
		if (strcmp(action_names[i].name, name) == 0)
			return action_names[i].action;
	return ACTION_NONE;
}

const char *action_name(enum action a)
{
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
		if (action_names[i].action == a)
			return action_names[i].name;
	return "none";
}

const char *action_help(enum action a)
{
	return (a >= 0 && a < ACTION_COUNT) ? action_helps[a] : "";
}

/* Decode one UTF-8 character; returns its length or 0 when invalid. */
static size_t utf8_decode(const char *s, int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	int c, n;

	if (u[0] < 0x80) { *cp = u[0]; return u[0] ? 1 : 0; }
	if ((u[0] & 0xe0) == 0xc0) { c = u[0] & 0x1f; n = 2; }
	else if ((u[0] & 0xf0) == 0xe0) { c = u[0] & 0x0f; n = 3; }
	else if ((u[0] & 0xf8) == 0xf0) { c = u[0] & 0x07; n = 4; }
	else return 0;
	for (int i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    (n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000))
		return 0;
	*cp = c;
	return (size_t)n;
}

bool keymap_parse_key(const char *name, int *key)
{
	size_t len = strlen(name);
	int cp;

	if (len == 0)
		return false;
	if (name[0] != '<' || len == 1) {
		size_t n = utf8_decode(name, &cp);
		if (n == 0 || n != len || cp < 0x20 || cp == 0x7f)
			return false;
		*key = cp;
		return true;
	}
	if (name[len - 1] != '>' || len < 3)
		return false;
	char inner[KEYMAP_NAME_MAX];
	if (len - 2 >= sizeof inner)
		return false;
	memcpy(inner, name + 1, len - 2);
	inner[len - 2] = '\0';

	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcasecmp(key_names[i].name, inner) == 0) {
			*key = key_names[i].key;
			return true;
		}
	if ((inner[0] == 'F' || inner[0] == 'f') && inner[1]) {
		char *end;
		long n = strtol(inner + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 12) {
			*key = CTK_F1 + (int)n - 1;
			return true;
		}
		return false;
	}
	if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' &&
	    inner[2] && !inner[3]) {
		int c = (unsigned char)inner[2];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c >= '@' && c <= '_') {
			*key = CTK_CTRL(c);
			return true;
		}
	}
	return false;
}

char *keymap_key_name(int key, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key) {
			snprintf(buf, size, "<%s>", key_names[i].name);
			return buf;
		}
	if (key >= CTK_F1 && key <= CTK_F12)
		snprintf(buf, size, "<F%d>", key - CTK_F1 + 1);
	else if (key >= 1 && key <= 26)
		snprintf(buf, size, "<C-%c>", (char)(key + 'a' - 1));
	else if (key >= 0 && key < 0x20)      /* <C-@> <C-\> <C-]> <C-^> <C-_> */
		snprintf(buf, size, "<C-%c>", (char)(key + '@'));
	else if (key > 0x20 && key < 0x110000 && key != 0x7f) {
		char u[5];
		size_t n = 0;
		if (key < 0x80) u[n++] = (char)key;
		else if (key < 0x800) {
			u[n++] = (char)(0xc0 | (key >> 6));
			u[n++] = (char)(0x80 | (key & 0x3f));
		} else if (key < 0x10000) {
			u[n++] = (char)(0xe0 | (key >> 12));
			u[n++] = (char)(0x80 | ((key >> 6) & 0x3f));
			u[n++] = (char)(0x80 | (key & 0x3f));
		} else {
			u[n++] = (char)(0xf0 | (key >> 18));
			u[n++] = (char)(0x80 | ((key >> 12) & 0x3f));
			u[n++] = (char)(0x80 | ((key >> 6) & 0x3f));
			u[n++] = (char)(0x80 | (key & 0x3f));
		}
		u[n] = '\0';
		snprintf(buf, size, "%s", u);
	} else
		snprintf(buf, size, "<0x%x>", (unsigned)key);
	return buf;
}

/* Default bindings, as key names so that they read like a config file. */
static const struct {
	const char *key;
	enum action action;
} default_bindings[] = {
	{ "j", ACTION_CELL_NEXT }, { "<Down>", ACTION_CELL_NEXT },
	{ "k", ACTION_CELL_PREV }, { "<Up>", ACTION_CELL_PREV },
	{ "<PgDn>", ACTION_PAGE_DOWN }, { "<C-f>", ACTION_PAGE_DOWN },
	{ "<PgUp>", ACTION_PAGE_UP }, { "<C-b>", ACTION_PAGE_UP },
	{ "g", ACTION_FIRST }, { "<Home>", ACTION_FIRST },
	{ "G", ACTION_LAST }, { "<End>", ACTION_LAST },
	{ "<Tab>", ACTION_FOCUS_TOGGLE },
	{ "t", ACTION_TAG_TOGGLE }, { "a", ACTION_TAG_ADD },
	{ "d", ACTION_TAG_REMOVE }, { "e", ACTION_TAG_EDIT },
	{ "]", ACTION_UNTAGGED_NEXT }, { "[", ACTION_UNTAGGED_PREV },
	{ "/", ACTION_SEARCH }, { "n", ACTION_SEARCH_NEXT },
	{ "N", ACTION_SEARCH_PREV }, { "f", ACTION_FILTER_CYCLE },
	{ "u", ACTION_UNDO }, { "<C-r>", ACTION_REDO },
	{ "w", ACTION_SAVE }, { "<C-s>", ACTION_SAVE },
	{ "q", ACTION_QUIT }, { "<C-c>", ACTION_QUIT },
	{ "?", ACTION_HELP }, { "<F1>", ACTION_HELP },
	{ "<Enter>", ACTION_OPEN },
	{ "<BS>", ACTION_BACK }, { "<", ACTION_BACK },
	{ "<C-l>", ACTION_REDRAW },
	{ "<C-z>", ACTION_SUSPEND },
};

void keymap_init(struct keymap *km)
{
	km->n = 0;
	for (size_t i = 0; i < sizeof default_bindings / sizeof default_bindings[0]; i++) {
		int key;
		if (keymap_parse_key(default_bindings[i].key, &key))
			keymap_bind(km, key, default_bindings[i].action);
	}
}

bool keymap_bind(struct keymap *km, int key, enum action action)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key) {
			if (action == ACTION_NONE) {
				memmove(&km->b[i], &km->b[i + 1],
				        (km->n - i - 1) * sizeof km->b[0]);
				km->n--;
			} else
				km->b[i].action = action;
			return true;
		}
	if (action == ACTION_NONE)
		return true;
	if (km->n >= KEYMAP_MAX_BINDINGS)
		return false;
	km->b[km->n].key = key;
	km->b[km->n].action = action;
	km->n++;
	return true;
}

enum action keymap_lookup(const struct keymap *km, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key)
			return km->b[i].action;
	return ACTION_NONE;
}

char *keymap_keys_for(const struct keymap *km, enum action a, char *buf,
                      size_t size)
{
	size_t used = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < km->n; i++) {
		char name[KEYMAP_NAME_MAX];
		if (km->b[i].action != a)
			continue;
		keymap_key_name(km->b[i].key, name, sizeof name);
		int n = snprintf(buf + used, size - used, "%s%s",
		                 used ? ", " : "", name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

enum ct_status keymap_apply_config(struct keymap *km,
                                   const struct ct_config *cfg,
                                   struct ct_error *err)
{
	for (size_t i = 0; i < cfg->nkeys; i++) {
		const struct ct_keybinding *kb = &cfg->keys[i];
		int key;
		enum action a;

		if (!keymap_parse_key(kb->key, &key))
			return ct_error_set_at(err, CT_CONFIG, cfg->source_path,
			                       kb->line, kb->col,
			                       "unknown key name '%s'", kb->key);
		if (strcmp(kb->action, "none") == 0)
			a = ACTION_NONE;
		else if ((a = action_from_name(kb->action)) == ACTION_NONE)
			return ct_error_set_at(err, CT_CONFIG, cfg->source_path,
			                       kb->line, kb->col,
			                       "unknown action '%s'", kb->action);
		if (!keymap_bind(km, key, a))
			return ct_error_set_at(err, CT_CONFIG, cfg->source_path,
			                       kb->line, kb->col,
			                       "too many key bindings");
	}
	return CT_OK;
}
