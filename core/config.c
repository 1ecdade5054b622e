/* config.c - celltag's YAML configuration (see config.h).
 *
 * Minimal first version: defaults, default path, and a loader that accepts
 * only a missing default file.  The libyaml parser follows. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void config_init_defaults(struct ct_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->tag_prefix = CT_DEFAULT_TAG_PREFIX;
	cfg->suggestion = CT_DEFAULT_SUGGESTION;
}

char *config_default_path(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/celltag/config.yaml", xdg);
	else if (home && home[0])
		n = snprintf(buf, size, "%s/.config/celltag/config.yaml", home);
	else
		return NULL;
	if (n < 0 || (size_t)n >= size)
		return NULL;
	return buf;
}

enum ct_status config_load_buffer(struct ct_config *cfg, const char *data,
                                  size_t len, const char *name,
                                  struct ct_error *err)
{
	(void)cfg; (void)data; (void)len;
	return ct_error_set(err, CT_CONFIG, name, "config parsing not implemented yet");
}

enum ct_status config_load(struct ct_config *cfg, const char *path,
                           struct ct_error *err)
{
	char buf[CT_ERR_PATH_MAX];
	struct stat st;

	if (!path) {
		path = config_default_path(buf, sizeof buf);
		if (!path || (stat(path, &st) != 0 && errno == ENOENT))
			return CT_OK;
	}
	if (stat(path, &st) != 0)
		return ct_error_set(err, CT_NOTFOUND, path, "%s", strerror(errno));
	return config_load_buffer(cfg, "", 0, path, err);
}

void config_free(struct ct_config *cfg)
{
	if (!cfg)
		return;
	config_init_defaults(cfg);
}
