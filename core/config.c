/* config.c - celltag's YAML configuration (see config.h).
 *
 * The file is parsed whole (yamlutil.h) into a copy of the caller's struct;
 * only when every key is valid is the copy stored, so a failed load leaves
 * the caller's config untouched.  Strings live in an arena per load; a
 * config loaded twice chains the arenas, because values kept from the first
 * load may still point into its arena. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "notebook.h"
#include "yamlutil.h"

/* A config file is a few lines; anything this large is a mistake. */
#define CONFIG_MAX_SIZE ((size_t)1 << 20)

/* What owned_ points to: the arena of the latest load and the record of
 * the previous one. */
struct config_owned {
	struct ct_arena *arena;
	struct config_owned *prev;
};

struct loader {
	struct yu_doc doc;
	struct ct_arena *arena;
	struct ct_config *cfg;      /* the copy being filled */
	struct ct_error *err;
};

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

	/* The XDG spec says relative values are invalid and to be ignored. */
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

static enum ct_status nomem(struct loader *l)
{
	return ct_error_set(l->err, CT_NOMEM, l->doc.name, "out of memory");
}

/* Why a piece of tag text (prefix, lesson, template text) is unusable, or
 * NULL.  Tags get split on whitespace by the classic notebook's tag
 * toolbar and commas are forbidden by the schema, so neither may appear. */
static const char *tag_text_problem(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ',')
			return "must not contain a comma";
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		    c == '\f')
			return "must not contain spaces";
		if (c < 0x20 || c == 0x7f)
			return "must not contain control characters";
	}
	return NULL;
}

/* A non-empty string, copied into the load's arena. */
static enum ct_status get_text(struct loader *l, yaml_node_t *v,
                               const char *what, const char **out)
{
	const char *s;
	size_t len;
	enum ct_status st = yu_get_str(&l->doc, v, what, &s, &len, l->err);

	if (st != CT_OK)
		return st;
	if (len == 0)
		return yu_error(&l->doc, v, l->err, "%s must not be empty", what);
	if (!(*out = arena_strndup(l->arena, s, len)))
		return nomem(l);
	return CT_OK;
}

static enum ct_status get_tag_text(struct loader *l, yaml_node_t *v,
                                   const char *what, const char **out)
{
	const char *s, *why;
	enum ct_status st = get_text(l, v, what, &s);

	if (st != CT_OK)
		return st;
	why = tag_text_problem(s, strlen(s));
	if (!why && !tag_schema_valid(s, &why) && !why)
		why = "is not valid in a tag";
	if (why)
		return yu_error(&l->doc, v, l->err, "%s %s", what, why);
	*out = s;
	return CT_OK;
}

static enum ct_status set_prefix(struct loader *l, yaml_node_t *v)
{
	return get_tag_text(l, v, "'tag_prefix'", &l->cfg->tag_prefix);
}

static enum ct_status set_lesson(struct loader *l, yaml_node_t *v)
{
	return get_tag_text(l, v, "'lesson'", &l->cfg->lesson);
}

static const char *const placeholders[] = { "{prefix}", "{lesson}", "{n}" };

static enum ct_status set_suggestion(struct loader *l, yaml_node_t *v)
{
	const char *s, *why;
	size_t len;
	bool has_n = false;
	enum ct_status st = yu_get_str(&l->doc, v, "'suggestion'", &s, &len, l->err);

	if (st != CT_OK)
		return st;
	for (size_t i = 0; i < len;) {
		size_t p, close;
		if (s[i] != '{') {
			size_t run = strcspn(s + i, "{");
			if ((why = tag_text_problem(s + i, run)))
				return yu_error(&l->doc, v, l->err, "'suggestion' %s", why);
			i += run;
			continue;
		}
		for (p = 0; p < sizeof placeholders / sizeof *placeholders; p++) {
			size_t pl = strlen(placeholders[p]);
			if (strncmp(s + i, placeholders[p], pl) == 0)
				break;
		}
		if (p == sizeof placeholders / sizeof *placeholders) {
			close = strcspn(s + i, "}");
			if (s[i + close] != '}')
				return yu_error(&l->doc, v, l->err,
				                "'suggestion' has an unclosed '{'");
			return yu_error(&l->doc, v, l->err,
			                "'suggestion' has an unknown placeholder '%.*s' "
			                "(allowed: {prefix} {lesson} {n})",
			                (int)(close + 1 > 64 ? 64 : close + 1), s + i);
		}
		if (strcmp(placeholders[p], "{n}") == 0)
			has_n = true;
		i += strlen(placeholders[p]);
	}
	if (!has_n)
		return yu_error(&l->doc, v, l->err,
		                "'suggestion' must contain {n} (the exercise number)");
	if (!(l->cfg->suggestion = arena_strndup(l->arena, s, len)))
		return nomem(l);
	return CT_OK;
}

static enum ct_status set_theme(struct loader *l, yaml_node_t *v)
{
	return get_text(l, v, "'theme'", &l->cfg->theme);
}

/* A list of non-empty strings.  An empty list gives a non-NULL array with
 * count 0 (config.h: NULL means "built-in"). */
static enum ct_status get_string_list(struct loader *l, yaml_node_t *v,
                                      const char *what,
                                      const char *const **out, size_t *count)
{
	char item_what[96];
	const char **arr;
	size_t n;
	enum ct_status st = yu_expect_seq(&l->doc, v, what, l->err);

	if (st != CT_OK)
		return st;
	n = yu_seq_count(v);
	if (!(arr = arena_alloc(l->arena, (n ? n : 1) * sizeof *arr)))
		return nomem(l);
	snprintf(item_what, sizeof item_what, "each item of %s", what);
	for (size_t i = 0; i < n; i++)
		if ((st = get_text(l, yu_seq_item(&l->doc, v, i), item_what,
		                   &arr[i])) != CT_OK)
			return st;
	*out = arr;
	*count = n;
	return CT_OK;
}

static enum ct_status set_patterns(struct loader *l, yaml_node_t *v)
{
	return get_string_list(l, v, "'exercise_patterns'",
	                       &l->cfg->exercise_patterns,
	                       &l->cfg->nexercise_patterns);
}

static enum ct_status set_extra_patterns(struct loader *l, yaml_node_t *v)
{
	return get_string_list(l, v, "'extra_exercise_patterns'",
	                       &l->cfg->extra_exercise_patterns,
	                       &l->cfg->nextra_exercise_patterns);
}

static enum ct_status set_heading_words(struct loader *l, yaml_node_t *v)
{
	return get_string_list(l, v, "'heading_words'", &l->cfg->heading_words,
	                       &l->cfg->nheading_words);
}

static enum ct_status set_keys(struct loader *l, yaml_node_t *v)
{
	struct ct_keybinding *keys;
	size_t n;
	enum ct_status st = yu_expect_map(&l->doc, v, "'keys'", l->err);

	if (st != CT_OK)
		return st;
	n = yu_map_count(v);
	if (!(keys = arena_zalloc(l->arena, (n ? n : 1) * sizeof *keys)))
		return nomem(l);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k = yu_map_key(&l->doc, v, i);
		yaml_node_t *a = yu_map_value(&l->doc, v, i);
		const char *ks, *as;
		size_t klen, alen;
		if ((st = yu_get_str(&l->doc, k, "a key name", &ks, &klen, l->err)))
			return st;
		if ((st = yu_get_str(&l->doc, a, "an action name", &as, &alen, l->err)))
			return st;
		if (alen == 0)
			return yu_error(&l->doc, a, l->err,
			                "the action of key '%s' must not be empty", ks);
		keys[i].key = arena_strndup(l->arena, ks, klen);
		keys[i].action = arena_strndup(l->arena, as, alen);
		if (!keys[i].key || !keys[i].action)
			return nomem(l);
		keys[i].line = yu_line(k);
		keys[i].col = yu_col(k);
	}
	l->cfg->keys = keys;
	l->cfg->nkeys = n;
	return CT_OK;
}

static const struct {
	const char *name;
	enum ct_status (*set)(struct loader *l, yaml_node_t *v);
} config_keys[] = {
	{ "tag_prefix", set_prefix },
	{ "suggestion", set_suggestion },
	{ "lesson", set_lesson },
	{ "theme", set_theme },
	{ "exercise_patterns", set_patterns },
	{ "extra_exercise_patterns", set_extra_patterns },
	{ "heading_words", set_heading_words },
	{ "keys", set_keys },
};

static enum ct_status load_root(struct loader *l)
{
	yaml_node_t *root = yu_root(&l->doc);
	enum ct_status st;

	if (!root || (root->type == YAML_SCALAR_NODE && yu_kind_of(root) == YU_NULL))
		return CT_OK;   /* empty file: defaults */
	if ((st = yu_expect_map(&l->doc, root, "the configuration", l->err)))
		return st;
	for (size_t i = 0; i < yu_map_count(root); i++) {
		yaml_node_t *k = yu_map_key(&l->doc, root, i);
		const char *name = yu_scalar(k, NULL);
		size_t j;
		for (j = 0; j < sizeof config_keys / sizeof *config_keys; j++)
			if (strcmp(name, config_keys[j].name) == 0)
				break;
		if (j == sizeof config_keys / sizeof *config_keys)
			return yu_error(&l->doc, k, l->err,
			                "unknown key '%.64s' (known: tag_prefix, suggestion, "
			                "lesson, theme, exercise_patterns, "
			                "extra_exercise_patterns, heading_words, keys)", name);
		if ((st = config_keys[j].set(l, yu_map_value(&l->doc, root, i))))
			return st;
	}
	return CT_OK;
}

enum ct_status config_load_buffer(struct ct_config *cfg, const char *data,
                                  size_t len, const char *name,
                                  struct ct_error *err)
{
	struct ct_config next = *cfg;
	struct loader l = { .cfg = &next, .err = err };
	struct config_owned *owned;
	enum ct_status st;

	if (len > CONFIG_MAX_SIZE)
		return ct_error_set(err, CT_TOOBIG, name,
		                    "configuration larger than %zu bytes",
		                    CONFIG_MAX_SIZE);
	if (!(l.arena = arena_new()))
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	if (!(owned = arena_zalloc(l.arena, sizeof *owned))) {
		st = ct_error_set(err, CT_NOMEM, name, "out of memory");
		goto fail;
	}
	if ((st = yu_doc_load(&l.doc, data, len, name, CT_CONFIG, err)))
		goto fail;
	if ((st = load_root(&l)))
		goto fail;
	if (name && !(next.source_path = arena_strndup(l.arena, name, strlen(name)))) {
		st = nomem(&l);
		goto fail;
	}
	yu_doc_free(&l.doc);
	owned->arena = l.arena;
	owned->prev = cfg->owned_;
	next.owned_ = owned;
	*cfg = next;
	return CT_OK;
fail:
	yu_doc_free(&l.doc);
	arena_free(&l.arena);
	return st;
}

enum ct_status config_load(struct ct_config *cfg, const char *path,
                           struct ct_error *err)
{
	char buf[CT_ERR_PATH_MAX];
	char *data = NULL;
	size_t len = 0;
	bool is_default = path == NULL;
	enum ct_status st;

	if (is_default && !(path = config_default_path(buf, sizeof buf)))
		return CT_OK;   /* no home: nothing to load */
	st = yu_read_file(path, CONFIG_MAX_SIZE, &data, &len, err);
	if (st == CT_NOTFOUND && is_default) {
		ct_error_clear(err);
		return CT_OK;
	}
	if (st != CT_OK)
		return st;
	st = config_load_buffer(cfg, data, len, path, err);
	free(data);
	return st;
}

void config_free(struct ct_config *cfg)
{
	struct config_owned *o;

	if (!cfg)
		return;
	o = cfg->owned_;
	while (o) {
		struct config_owned *prev = o->prev;
		struct ct_arena *a = o->arena;   /* o lives in a: read first */
		arena_free(&a);
		o = prev;
	}
	config_init_defaults(cfg);
}
