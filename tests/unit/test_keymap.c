/* test_keymap.c - key names, default bindings, config overrides. */
#include <criterion/criterion.h>

#include <string.h>

#include "keymap.h"

static int key(const char *name)
{
	int k = -1;
	cr_assert(keymap_parse_key(name, &k), "cannot parse '%s'", name);
	return k;
}

Test(keymap, parses_single_characters)
{
	cr_assert_eq(key("j"), 'j');
	cr_assert_eq(key("G"), 'G');
	cr_assert_eq(key("<"), '<');
	cr_assert_eq(key("?"), '?');
	cr_assert_eq(key("é"), 0xe9);
	cr_assert_eq(key("日"), 0x65e5);
}

Test(keymap, parses_named_keys_case_insensitively)
{
	cr_assert_eq(key("<Down>"), CTK_DOWN);
	cr_assert_eq(key("<down>"), CTK_DOWN);
	cr_assert_eq(key("<PgDn>"), CTK_PGDN);
	cr_assert_eq(key("<PageDown>"), CTK_PGDN);
	cr_assert_eq(key("<Enter>"), '\n');
	cr_assert_eq(key("<Esc>"), 27);
	cr_assert_eq(key("<Tab>"), '\t');
	cr_assert_eq(key("<Space>"), ' ');
	cr_assert_eq(key("<BS>"), 127);
	cr_assert_eq(key("<LT>"), '<');
	cr_assert_eq(key("<F1>"), CTK_F1);
	cr_assert_eq(key("<F12>"), CTK_F12);
	cr_assert_eq(key("<C-f>"), 6);
	cr_assert_eq(key("<C-F>"), 6);
	cr_assert_eq(key("<C-r>"), 18);
}

Test(keymap, rejects_bad_names)
{
	const char *bad[] = { "", "jj", "<>", "<Nope>", "<F13>", "<F0>", "<C-1>",
	                      "<C-ab>", "<Down", "\x01", "\xff", NULL };
	for (int i = 0; bad[i]; i++) {
		int k;
		cr_expect_not(keymap_parse_key(bad[i], &k), "accepted '%s'", bad[i]);
	}
}

Test(keymap, names_round_trip)
{
	const char *names[] = { "j", "<Down>", "<PgDn>", "<C-f>", "<Enter>", "<Esc>",
	                        "<Tab>", "<F1>", "<Space>", "<BS>", "<LT>", "é", NULL };
	for (int i = 0; names[i]; i++) {
		char buf[KEYMAP_NAME_MAX];
		int k = key(names[i]);
		keymap_key_name(k, buf, sizeof buf);
		cr_expect_eq(key(buf), k, "%s -> %s", names[i], buf);
	}
	char buf[KEYMAP_NAME_MAX];
	cr_assert_str_eq(keymap_key_name(6, buf, sizeof buf), "<C-f>");
	cr_assert_str_eq(keymap_key_name(CTK_PGUP, buf, sizeof buf), "<PgUp>");
	for (int k = 0; k < 0x20; k++) {       /* every control key */
		int back = -1;
		keymap_key_name(k, buf, sizeof buf);
		cr_expect(keymap_parse_key(buf, &back) && back == k, "%d -> %s", k, buf);
	}
}

Test(keymap, default_bindings_follow_the_issue)
{
	struct keymap km;
	keymap_init(&km);
	struct { const char *k; enum action a; } want[] = {
		{ "j", ACTION_CELL_NEXT }, { "<Down>", ACTION_CELL_NEXT },
		{ "k", ACTION_CELL_PREV }, { "<Up>", ACTION_CELL_PREV },
		{ "<PgDn>", ACTION_PAGE_DOWN }, { "<C-f>", ACTION_PAGE_DOWN },
		{ "<PgUp>", ACTION_PAGE_UP }, { "<C-b>", ACTION_PAGE_UP },
		{ "g", ACTION_FIRST }, { "<Home>", ACTION_FIRST },
		{ "G", ACTION_LAST }, { "<End>", ACTION_LAST },
		{ "<Tab>", ACTION_FOCUS_TOGGLE }, { "t", ACTION_TAG_TOGGLE },
		{ "a", ACTION_TAG_ADD }, { "d", ACTION_TAG_REMOVE },
		{ "e", ACTION_TAG_EDIT }, { "]", ACTION_UNTAGGED_NEXT },
		{ "[", ACTION_UNTAGGED_PREV }, { "/", ACTION_SEARCH },
		{ "n", ACTION_SEARCH_NEXT }, { "N", ACTION_SEARCH_PREV },
		{ "f", ACTION_FILTER_CYCLE }, { "u", ACTION_UNDO },
		{ "<C-r>", ACTION_REDO }, { "w", ACTION_SAVE }, { "<C-s>", ACTION_SAVE },
		{ "q", ACTION_QUIT }, { "<C-c>", ACTION_QUIT }, { "?", ACTION_HELP },
		{ "<F1>", ACTION_HELP }, { "<Enter>", ACTION_OPEN },
		{ "<BS>", ACTION_BACK }, { "<", ACTION_BACK },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect_eq(keymap_lookup(&km, key(want[i].k)), want[i].a,
		             "%s is not %s", want[i].k, action_name(want[i].a));
	cr_assert_eq(keymap_lookup(&km, 'z'), ACTION_NONE);
}

Test(keymap, every_action_has_a_name_help_and_key)
{
	struct keymap km;
	keymap_init(&km);
	for (int a = 1; a < ACTION_COUNT; a++) {
		char keys[256];
		cr_expect_eq(action_from_name(action_name((enum action)a)), a);
		cr_expect(strlen(action_help((enum action)a)) > 5);
		keymap_keys_for(&km, (enum action)a, keys, sizeof keys);
		cr_expect(keys[0], "%s has no default key", action_name((enum action)a));
	}
	cr_assert_eq(action_from_name("no-such-action"), ACTION_NONE);
}

Test(keymap, bind_and_unbind)
{
	struct keymap km;
	char buf[128];
	keymap_init(&km);
	cr_assert(keymap_bind(&km, 'x', ACTION_TAG_TOGGLE));
	cr_assert_eq(keymap_lookup(&km, 'x'), ACTION_TAG_TOGGLE);
	cr_assert_str_eq(keymap_keys_for(&km, ACTION_TAG_TOGGLE, buf, sizeof buf),
	                 "t, x");
	cr_assert(keymap_bind(&km, 't', ACTION_NONE));
	cr_assert_eq(keymap_lookup(&km, 't'), ACTION_NONE);
	cr_assert_str_eq(keymap_keys_for(&km, ACTION_TAG_TOGGLE, buf, sizeof buf), "x");
	cr_assert(keymap_bind(&km, 'j', ACTION_CELL_PREV));   /* rebind */
	cr_assert_eq(keymap_lookup(&km, 'j'), ACTION_CELL_PREV);
}

Test(keymap, config_bindings_apply_and_report_errors)
{
	struct keymap km;
	struct ct_config cfg;
	struct ct_error err;
	struct ct_keybinding kb[] = {
		{ (char *)"x", (char *)"tag-toggle", 3, 5 },
		{ (char *)"<C-t>", (char *)"none", 4, 5 },
		{ (char *)"<Bogus>", (char *)"save", 5, 7 },
	};

	keymap_init(&km);
	config_init_defaults(&cfg);
	cfg.keys = kb;
	cfg.nkeys = 2;
	cfg.source_path = (char *)"config.yaml";
	ct_error_clear(&err);
	cr_assert_eq(keymap_apply_config(&km, &cfg, &err), CT_OK);
	cr_assert_eq(keymap_lookup(&km, 'x'), ACTION_TAG_TOGGLE);

	cfg.nkeys = 3;
	cr_assert_eq(keymap_apply_config(&km, &cfg, &err), CT_CONFIG);
	cr_assert_eq(err.line, 5);
	cr_assert_eq(err.col, 7);
	cr_assert(strstr(err.msg, "<Bogus>"));

	kb[2].key = (char *)"y";
	kb[2].action = (char *)"fly";
	cr_assert_eq(keymap_apply_config(&km, &cfg, &err), CT_CONFIG);
	cr_assert(strstr(err.msg, "unknown action 'fly'"));
}
