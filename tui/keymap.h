/* keymap.h - key codes, key names, and bindings from keys to actions.
 *
 * Keys are plain ints, independent of curses so that the app state machine
 * and these tables are testable without a terminal:
 *   - a Unicode code point for a typed character ('j', 'G', 'é');
 *   - control keys as their control code: <C-f> is 6, <Enter> is '\n',
 *     <Tab> '\t', <Esc> 27, <BS> 127 (input.c normalises curses' variants);
 *   - other keys as CTK_* values above the Unicode range.
 *
 * One parser, keymap_parse_key(), reads key names for the configuration
 * file AND for --script files: a single character ("j", "?", "<"), or a
 * name in angle brackets, case-insensitive: <Up> <Down> <Left> <Right>
 * <Home> <End> <PgUp> <PageUp> <PgDn> <PageDown> <Ins> <Del> <BS>
 * <Backspace> <Enter> <Return> <Esc> <Tab> <S-Tab> <Space> <LT> <F1>..<F12>
 * <C-x> (x a letter or one of @[\]^_) and <Resize>.
 *
 * A keymap is data: an array of (key, action) pairs, filled with the
 * defaults by keymap_init() and changed by keymap_bind().  A key has at most
 * one action; an action may have many keys.
 */
#ifndef CELLTAG_TUI_KEYMAP_H
#define CELLTAG_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"
#include "config.h"
#include "status.h"

enum {
	CTK_SPECIAL = 0x110000,
	CTK_UP = CTK_SPECIAL, CTK_DOWN, CTK_LEFT, CTK_RIGHT,
	CTK_HOME, CTK_END, CTK_PGUP, CTK_PGDN, CTK_INS, CTK_DEL, CTK_BTAB,
	CTK_F1, CTK_F12 = CTK_F1 + 11,
	CTK_RESIZE,
	CTK_MOUSE,      /* a mouse event (input.c carries its details) */
	CTK_MAX
};

#define CTK_ENTER '\n'
#define CTK_TAB   '\t'
#define CTK_ESC   27
#define CTK_BS    127
#define CTK_CTRL(c) ((c) & 0x1f)

#define KEYMAP_NAME_MAX 32
#define KEYMAP_MAX_BINDINGS 256

struct keymap_binding {
	int key;
	enum action action;
};

struct keymap {
	struct keymap_binding b[KEYMAP_MAX_BINDINGS];
	size_t n;
};

/* Parse one key name (the whole string).  Returns true and sets *key, or
 * false when `name` is not a key name. */
bool keymap_parse_key(const char *name, int *key);

/* Canonical name of a key ("j", "<C-f>", "<PgDn>") into buf; returns buf. */
char *keymap_key_name(int key, char *buf, size_t size);

/* Action by its name ("cell-next"); ACTION_NONE when unknown. */
enum action action_from_name(const char *name);
const char *action_name(enum action a);
const char *action_help(enum action a);

/* The default bindings. */
void keymap_init(struct keymap *km);

/* Bind `key` to `action` (ACTION_NONE unbinds).  False when the table is
 * full. */
bool keymap_bind(struct keymap *km, int key, enum action action);

/* Action bound to `key`, ACTION_NONE when none. */
enum action keymap_lookup(const struct keymap *km, int key);

/* Names of the keys bound to `a`, separated by ", ", into buf (empty when
 * unbound).  Returns buf. */
char *keymap_keys_for(const struct keymap *km, enum action a, char *buf,
                      size_t size);

/* Apply the configuration's `keys:` bindings.  An unknown key or action
 * name is CT_CONFIG with the file:line:col of the binding; bindings before
 * it stay applied. */
enum ct_status keymap_apply_config(struct keymap *km,
                                   const struct ct_config *cfg,
                                   struct ct_error *err);

#endif
