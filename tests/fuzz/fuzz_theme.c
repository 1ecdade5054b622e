/* fuzz_theme.c - libFuzzer target: theme_parse (tui/theme.h) on any bytes.
 *
 * Properties: a failure is CT_THEME (or CT_NOMEM) with one line naming the
 * buffer and leaves the built-in default theme in *out, as theme.h
 * promises; a success gives a fully valid theme (every colour the default,
 * a palette index or RGB; only known attribute bits; a terminated name),
 * and every colour's canonical name parses back to the same colour.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "status.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ALL_ATTRS (TA_BOLD | TA_DIM | TA_UNDERLINE | TA_REVERSE | TA_ITALIC | \
                   TA_STANDOUT)

static void check_color(theme_color c)
{
	FUZZ_CHECK(c == THEME_DEFAULT || (c >= 0 && c <= 255) ||
	           (THEME_IS_RGB(c) && (c & ~(THEME_RGB_FLAG | 0xffffff)) == 0),
	           "bad colour %d", (int)c);
	char buf[32];
	theme_color back;
	theme_color_name(c, buf, sizeof buf);
	FUZZ_CHECK(theme_color_parse(buf, strlen(buf), &back) && back == c,
	           "colour %d named '%s' does not parse back", (int)c, buf);
	for (int n = 8; n <= 256; n *= 2) {
		int t = theme_color_for_terminal(c, n == 32 ? 16 : n);
		FUZZ_CHECK(t >= -1 && t < (n == 32 ? 16 : n), "colour %d on %d: %d",
		           (int)c, n, t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t, def;
	struct ct_error err;
	memset(&t, 0xa5, sizeof t);
	ct_error_clear(&err);
	enum ct_status st = theme_parse((const char *)data, size, "fuzz.yaml",
	                                &t, &err);
	if (st != CT_OK) {
		FUZZ_CHECK(st == CT_THEME || st == CT_NOMEM, "status %s",
		           ct_status_name(st));
		FUZZ_CHECK_ERROR(&err, st);
		FUZZ_CHECK(strcmp(err.path, "fuzz.yaml") == 0, "path '%s'", err.path);
		theme_init_default(&def);
		FUZZ_CHECK(memcmp(def.style, t.style, sizeof def.style) == 0,
		           "a failed parse did not leave the default theme");
		return 0;
	}
	FUZZ_CHECK(memchr(t.name, '\0', sizeof t.name) != NULL, "name");
	for (int e = 0; e < THEME_ELEMENT_COUNT; e++) {
		check_color(t.style[e].fg);
		check_color(t.style[e].bg);
		FUZZ_CHECK((t.style[e].attrs & ~(unsigned)ALL_ATTRS) == 0,
		           "element %d attrs %#x", e, t.style[e].attrs);
	}
	return 0;
}
