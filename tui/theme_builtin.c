/* theme_builtin.c - the themes/ folder compiled in (see mk/embed.sh), so
 * the binary works with no theme files installed. */
#include "theme.h"

#include <string.h>

struct builtin_theme {
	const char *name;
	const char *yaml;
	size_t len;
};

#include "builtin_themes.h"

const char *const *theme_builtin_names(void)
{
	return builtin_theme_names;
}

bool theme_builtin_get(const char *name, const char **yaml, size_t *len)
{
	for (size_t i = 0; i < BUILTIN_THEME_COUNT; i++) {
		if (strcmp(builtin_themes[i].name, name) == 0) {
			*yaml = builtin_themes[i].yaml;
			*len = builtin_themes[i].len;
			return true;
		}
	}
	return false;
}
