/* fuzz_keymap.c - libFuzzer target: key names and --script files
 * (tui/keymap.h keymap_parse_key, tui/input.h input_parse_keys/input_next).
 *
 * Properties: every key parsed is in range and its canonical name (plain
 * printable text) parses back to the same key; a script is read to its end
 * or to a one-line CT_USAGE error with its line number, never beyond the
 * buffers (a line of keys fills at most INPUT_PENDING_MAX).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "input.h"
#include "keymap.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_key(int key)
{
	FUZZ_CHECK(key >= 0 && key < CTK_MAX, "key %d out of range", key);
	char name[KEYMAP_NAME_MAX];
	keymap_key_name(key, name, sizeof name);
	FUZZ_CHECK(name[0] != '\0', "key %d has no name", key);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f, "key %d: control in name", key);
	int back = -1;
	FUZZ_CHECK(keymap_parse_key(name, &back) && back == key,
	           "key %d named '%s' parses as %d", key, name, back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	char *s = malloc(size + 1);
	FUZZ_CHECK(s != NULL, "malloc");
	memcpy(s, data, size);
	s[size] = '\0';

	int key;
	if (keymap_parse_key(s, &key))
		check_key(key);

	/* each line as a sequence of keys */
	static int keys[INPUT_PENDING_MAX];
	char *save = NULL;
	char *copy = strdup(s);
	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = 0;
		if (input_parse_keys(line, keys, INPUT_PENDING_MAX, &n)) {
			FUZZ_CHECK(n <= INPUT_PENDING_MAX, "%zu keys", n);
			for (size_t i = 0; i < n; i++)
				check_key(keys[i]);
		}
	}
	free(copy);

	/* the whole input as a script */
	struct input in;
	memset(&in, 0, sizeof in);
	in.script = fmemopen(s, size ? size : 1, "r");
	in.path = strdup("fuzz.keys");
	if (in.script) {
		struct input_event ev;
		struct ct_error err;
		for (int i = 0; i < 100000; i++) {
			ct_error_clear(&err);
			enum ct_status st = input_next(&in, &ev, &err);
			if (st != CT_OK) {
				FUZZ_CHECK_ERROR(&err, st);
				FUZZ_CHECK(err.line >= 1, "script error without a line");
				break;
			}
			FUZZ_CHECK(ev.kind != INPUT_TIMEOUT, "timeout from a script");
			if (ev.kind == INPUT_EOF)
				break;
			if (ev.kind == INPUT_KEY)
				check_key(ev.key);
			if (ev.kind == INPUT_COMMAND)
				FUZZ_CHECK(memchr(ev.cmd, '\0', sizeof ev.cmd) != NULL,
				           "command not terminated");
		}
	}
	input_close(&in);
	free(s);
	return 0;
}
