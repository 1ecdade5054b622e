/* theme.c - theme elements, YAML theme files, colour maths (no curses).
 *
 * Parsing is split from applying (theme_curses.c), as neomutt's color/ does,
 * so the YAML reader and the nearest-colour maths are unit-tested without a
 * terminal.  Themes are parsed once, when the TUI starts.
 */
#include "theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "yamlutil.h"

#ifndef CELLTAG_DATADIR
#define CELLTAG_DATADIR "/usr/local/share/celltag"
#endif

#define THEME_FILE_MAX (1L << 20)   /* a theme is a few KiB */
#define THEME_DEPTH_MAX 8           /* inherits chain */

/* ---- elements ---- */

static const char *const element_names[] = {
#define THEME_ELEMENT_NAME(id, name, fg, bg, attrs, mono, desc) name,
	THEME_ELEMENTS(THEME_ELEMENT_NAME)
#undef THEME_ELEMENT_NAME
};

static const char *const element_descs[] = {
#define THEME_ELEMENT_DESC(id, name, fg, bg, attrs, mono, desc) desc,
	THEME_ELEMENTS(THEME_ELEMENT_DESC)
#undef THEME_ELEMENT_DESC
};

static const struct theme_style default_styles[] = {
#define THEME_ELEMENT_STYLE(id, name, fg, bg, attrs, mono, desc) \
	{ (fg), (bg), (attrs) },
	THEME_ELEMENTS(THEME_ELEMENT_STYLE)
#undef THEME_ELEMENT_STYLE
};

static const unsigned mono_attrs[] = {
#define THEME_ELEMENT_MONO(id, name, fg, bg, attrs, mono, desc) (mono),
	THEME_ELEMENTS(THEME_ELEMENT_MONO)
#undef THEME_ELEMENT_MONO
};

const char *theme_element_name(enum theme_element e)
{
	return (unsigned)e < THEME_ELEMENT_COUNT ? element_names[e] : NULL;
}

const char *theme_element_description(enum theme_element e)
{
	return (unsigned)e < THEME_ELEMENT_COUNT ? element_descs[e] : NULL;
}

int theme_element_by_name(const char *name, size_t len)
{
	for (int i = 0; i < THEME_ELEMENT_COUNT; i++)
		if (strlen(element_names[i]) == len &&
		    memcmp(element_names[i], name, len) == 0)
			return i;
	return -1;
}

enum theme_element theme_element_for_hl(enum hl_class c)
{
	switch (c) {
	case HL_KEYWORD:     return THEME_PREVIEW_KEYWORD;
	case HL_BUILTIN:     return THEME_PREVIEW_BUILTIN;
	case HL_STRING:      return THEME_PREVIEW_STRING;
	case HL_COMMENT:     return THEME_PREVIEW_COMMENT;
	case HL_NUMBER:      return THEME_PREVIEW_NUMBER;
	case HL_DECORATOR:   return THEME_PREVIEW_DECORATOR;
	case HL_MAGIC:       return THEME_PREVIEW_MAGIC;
	case HL_MD_HEADING:  return THEME_PREVIEW_MD_HEADING;
	case HL_MD_EMPHASIS: return THEME_PREVIEW_MD_EMPHASIS;
	case HL_MD_CODE:     return THEME_PREVIEW_MD_CODE;
	case HL_MD_LINK:     return THEME_PREVIEW_MD_LINK;
	case HL_MD_QUOTE:    return THEME_PREVIEW_MD_QUOTE;
	case HL_TEXT:
	case HL_CLASS_COUNT:
	default:             return THEME_PREVIEW_TEXT;
	}
}

static void theme_set_name(struct theme *t, const char *name, size_t len)
{
	if (len >= sizeof t->name)
		len = sizeof t->name - 1;
	memcpy(t->name, name, len);
	t->name[len] = '\0';
}

static bool compute_attrs_only(const struct theme *t)
{
	for (int i = 0; i < THEME_ELEMENT_COUNT; i++)
		if (t->style[i].fg != THEME_DEFAULT ||
		    t->style[i].bg != THEME_DEFAULT)
			return false;
	return true;
}

void theme_init_default(struct theme *t)
{
	memset(t, 0, sizeof *t);
	theme_set_name(t, "default", 7);
	memcpy(t->style, default_styles, sizeof t->style);
	t->attrs_only = false;
}

void theme_init_mono(struct theme *t)
{
	memset(t, 0, sizeof *t);
	theme_set_name(t, "monochrome", 10);
	for (int i = 0; i < THEME_ELEMENT_COUNT; i++) {
		t->style[i].fg = THEME_DEFAULT;
		t->style[i].bg = THEME_DEFAULT;
		t->style[i].attrs = mono_attrs[i];
	}
	t->attrs_only = true;
}

/* ---- colour names ---- */

static const char *const basic_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(s, w, len) == 0;
}

bool theme_color_parse(const char *s, size_t len, theme_color *out)
{
	if (word_is(s, len, "default")) {
		*out = THEME_DEFAULT;
		return true;
	}
	if (word_is(s, len, "grey") || word_is(s, len, "gray")) {
		*out = TC_BBLACK;
		return true;
	}
	int bright = 0;
	const char *p = s;
	size_t n = len;
	if (n > 7 && memcmp(p, "bright-", 7) == 0) {
		bright = 8;
		p += 7;
		n -= 7;
	}
	for (int i = 0; i < 8; i++) {
		if (word_is(p, n, basic_names[i])) {
			*out = i + bright;
			return true;
		}
	}
	if (bright)
		return false;
	if (len > 5 && len <= 8 && memcmp(s, "color", 5) == 0) {
		int v = 0;
		for (size_t i = 5; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v = v * 10 + (s[i] - '0');
		}
		if (v > 255 || (len > 6 && s[5] == '0'))
			return false;                /* no leading zeros */
		*out = v;
		return true;
	}
	if (len == 7 && s[0] == '#') {
		uint32_t v = 0;
		for (size_t i = 1; i < 7; i++) {
			int h = hexval(s[i]);
			if (h < 0)
				return false;
			v = (v << 4) | (uint32_t)h;
		}
		*out = THEME_RGB(v);
		return true;
	}
	return false;
}

char *theme_color_name(theme_color c, char *buf, size_t size)
{
	if (!size)
		return buf;
	if (c == THEME_DEFAULT)
		snprintf(buf, size, "default");
	else if (THEME_IS_RGB(c))
		snprintf(buf, size, "#%06x", (unsigned)(c & 0xffffff));
	else if (c >= 0 && c < 8)
		snprintf(buf, size, "%s", basic_names[c]);
	else if (c >= 8 && c < 16)
		snprintf(buf, size, "bright-%s", basic_names[c - 8]);
	else if (c >= 16 && c < 256)
		snprintf(buf, size, "color%d", (int)c);
	else
		snprintf(buf, size, "?");
	return buf;
}

/* ---- colour maths ---- */

static const uint32_t xterm16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
	0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
	0x00ffff, 0xffffff
};

static const int cube_level[6] = { 0, 95, 135, 175, 215, 255 };

uint32_t theme_index_rgb(int idx)
{
	if (idx < 0 || idx > 255)
		return 0;
	if (idx < 16)
		return xterm16[idx];
	if (idx < 232) {
		int i = idx - 16;
		uint32_t r = (uint32_t)cube_level[i / 36];
		uint32_t g = (uint32_t)cube_level[(i / 6) % 6];
		uint32_t b = (uint32_t)cube_level[i % 6];
		return (r << 16) | (g << 8) | b;
	}
	uint32_t v = (uint32_t)(8 + 10 * (idx - 232));
	return (v << 16) | (v << 8) | v;
}

static long rgb_dist(uint32_t a, uint32_t b)
{
	long dr = (long)((a >> 16) & 0xff) - (long)((b >> 16) & 0xff);
	long dg = (long)((a >> 8) & 0xff) - (long)((b >> 8) & 0xff);
	long db = (long)(a & 0xff) - (long)(b & 0xff);
	return dr * dr + dg * dg + db * db;
}

/* Nearest palette index in [lo, hi] (first one on ties). */
static int nearest(uint32_t rgb, int lo, int hi)
{
	int best = lo;
	long bd = rgb_dist(rgb, theme_index_rgb(lo));
	for (int i = lo + 1; i <= hi; i++) {
		long d = rgb_dist(rgb, theme_index_rgb(i));
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

int theme_rgb_to_256(uint32_t rgb)
{
	/* The first 16 are left out: terminals redefine them freely. */
	return nearest(rgb & 0xffffff, 16, 255);
}

int theme_256_to_16(int idx)
{
	if (idx < 0)
		return -1;
	if (idx < 16)
		return idx;
	if (idx > 255)
		return 7;
	return nearest(theme_index_rgb(idx), 0, 15);
}

int theme_16_to_8(int idx)
{
	if (idx < 0)
		return -1;
	if (idx < 8)
		return idx;
	if (idx == TC_BBLACK)
		return TC_WHITE;
	if (idx < 16)
		return idx - 8;
	return theme_16_to_8(theme_256_to_16(idx));
}

int theme_color_for_terminal(theme_color c, int ncolors)
{
	if (c == THEME_DEFAULT || ncolors < 8)
		return -1;
	int idx = THEME_IS_RGB(c) ? theme_rgb_to_256((uint32_t)c & 0xffffff)
	                          : (int)c;
	if (idx < 0 || idx > 255)
		return -1;
	if (ncolors >= 256)
		return idx;
	idx = theme_256_to_16(idx);
	if (ncolors >= 16)
		return idx;
	return theme_16_to_8(idx);
}

/* ---- YAML ---- */

enum { SET_FG = 1, SET_BG = 2, SET_ATTRS = 4 };

struct override {
	int elem;
	unsigned mask;
	struct theme_style st;
};

/* Where theme_find looks, and how deep the inherits chain is. */
struct resolver {
	const char *user_dir;       /* NULL: not searched */
	const char *data_dir;       /* NULL: not searched */
	int depth;
};

enum level { LEVEL_USER, LEVEL_DATA, LEVEL_BUILTIN, LEVEL_NONE };

static enum ct_status find_at(const char *name, struct resolver *r,
                              enum level from, struct theme *out,
                              struct ct_error *err);

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", TA_BOLD }, { "dim", TA_DIM }, { "underline", TA_UNDERLINE },
	{ "reverse", TA_REVERSE }, { "italic", TA_ITALIC },
	{ "standout", TA_STANDOUT },
};

static enum ct_status parse_attr_word(struct yu_doc *d, yaml_node_t *n,
                                      const char *w, size_t len,
                                      unsigned *bits, struct ct_error *err)
{
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
		if (word_is(w, len, attr_names[i].name)) {
			*bits |= attr_names[i].bit;
			return CT_OK;
		}
	}
	return yu_error(d, n, err,
	                "unknown attribute '%.*s' (bold, dim, underline, "
	                "reverse, italic, standout)",
	                (int)(len > 40 ? 40 : len), w);
}

static enum ct_status parse_attrs(struct yu_doc *d, yaml_node_t *n,
                                  unsigned *bits, struct ct_error *err)
{
	enum ct_status st;
	*bits = 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (size_t i = 0; i < yu_seq_count(n); i++) {
			yaml_node_t *it = yu_seq_item(d, n, i);
			const char *s;
			size_t len;
			st = yu_get_str(d, it, "an attribute", &s, &len, err);
			if (st != CT_OK)
				return st;
			st = parse_attr_word(d, it, s, len, bits, err);
			if (st != CT_OK)
				return st;
		}
		return CT_OK;
	}
	if (yu_kind_of(n) == YU_NULL)
		return CT_OK;                        /* attrs: ~  -> none */
	const char *s;
	size_t len;
	st = yu_get_str(d, n, "'attrs'", &s, &len, err);
	if (st != CT_OK)
		return st;
	/* One name, or several separated by spaces, commas or '|'. */
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == ',' || s[i] == '|'))
			i++;
		size_t j = i;
		while (j < len && s[j] != ' ' && s[j] != ',' && s[j] != '|')
			j++;
		if (j > i) {
			st = parse_attr_word(d, n, s + i, j - i, bits, err);
			if (st != CT_OK)
				return st;
		}
		i = j;
	}
	return CT_OK;
}

static enum ct_status parse_color_node(struct yu_doc *d, yaml_node_t *n,
                                       const char *what, theme_color *c,
                                       struct ct_error *err)
{
	const char *s;
	size_t len;
	enum ct_status st = yu_get_str(d, n, what, &s, &len, err);
	if (st != CT_OK)
		return st;
	if (!theme_color_parse(s, len, c))
		return yu_error(d, n, err,
		                "unknown colour '%.*s' (default, black, red, "
		                "green, yellow, blue, magenta, cyan, white, "
		                "bright-*, color0..color255, #rrggbb)",
		                (int)(len > 40 ? 40 : len), s);
	return CT_OK;
}

static enum ct_status parse_style(struct yu_doc *d, yaml_node_t *n,
                                  const char *ename, struct override *o,
                                  struct ct_error *err)
{
	char what[96];
	snprintf(what, sizeof what, "the style of '%s'", ename);
	enum ct_status st = yu_expect_map(d, n, what, err);
	if (st != CT_OK)
		return st;
	for (size_t i = 0; i < yu_map_count(n); i++) {
		yaml_node_t *k = yu_map_key(d, n, i);
		yaml_node_t *v = yu_map_value(d, n, i);
		const char *key = yu_scalar(k, NULL);
		if (strcmp(key, "fg") == 0) {
			st = parse_color_node(d, v, "'fg'", &o->st.fg, err);
			o->mask |= SET_FG;
		} else if (strcmp(key, "bg") == 0) {
			st = parse_color_node(d, v, "'bg'", &o->st.bg, err);
			o->mask |= SET_BG;
		} else if (strcmp(key, "attrs") == 0) {
			st = parse_attrs(d, v, &o->st.attrs, err);
			o->mask |= SET_ATTRS;
		} else {
			st = yu_error(d, k, err,
			              "unknown style key '%.40s' (fg, bg, attrs)",
			              key);
		}
		if (st != CT_OK)
			return st;
	}
	return CT_OK;
}

/* The file stem of a path: "/a/b/light.yaml" -> "light". */
static void stem_of(const char *path, const char **s, size_t *len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(b + n - 4, ".yml") == 0)
		n -= 4;
	*s = b;
	*len = n;
}

/* Parse `yaml`; `r` resolves `inherits:` (NULL: built-ins only); `level`
 * is where this file was found (inheriting one's own name continues the
 * search after it). */
static enum ct_status parse_theme(const char *yaml, size_t len,
                                  const char *name, struct resolver *r,
                                  enum level level, struct theme *out,
                                  struct ct_error *err)
{
	struct yu_doc d;
	struct override ov[THEME_ELEMENT_COUNT];
	size_t nov = 0;
	const char *tname = NULL, *inherits = NULL;
	size_t tname_len = 0, inherits_len = 0;
	yaml_node_t *inherits_node = NULL;
	enum ct_status st;

	st = yu_doc_load(&d, yaml, len, name, CT_THEME, err);
	if (st != CT_OK) {
		theme_init_default(out);    /* the contract: failure = default */
		return st;
	}
	yaml_node_t *root = yu_root(&d);
	if (root) {
		st = yu_expect_map(&d, root, "a theme", err);
		if (st != CT_OK)
			goto out;
		for (size_t i = 0; i < yu_map_count(root); i++) {
			yaml_node_t *k = yu_map_key(&d, root, i);
			yaml_node_t *v = yu_map_value(&d, root, i);
			const char *key = yu_scalar(k, NULL);
			if (strcmp(key, "name") == 0) {
				st = yu_get_str(&d, v, "'name'", &tname,
				                &tname_len, err);
			} else if (strcmp(key, "description") == 0) {
				const char *ign;
				st = yu_get_str(&d, v, "'description'", &ign,
				                NULL, err);
			} else if (strcmp(key, "inherits") == 0) {
				st = yu_get_str(&d, v, "'inherits'", &inherits,
				                &inherits_len, err);
				inherits_node = v;
			} else if (strcmp(key, "styles") == 0) {
				if (yu_kind_of(v) == YU_NULL)
					continue;    /* "styles:" with nothing */
				st = yu_expect_map(&d, v, "'styles'", err);
				for (size_t j = 0; st == CT_OK &&
				                   j < yu_map_count(v); j++) {
					yaml_node_t *ek = yu_map_key(&d, v, j);
					size_t elen;
					const char *en = yu_scalar(ek, &elen);
					int e = theme_element_by_name(en, elen);
					if (e < 0) {
						st = yu_error(&d, ek, err,
						              "unknown element '%.*s' "
						              "(see celltag-themes(5))",
						              (int)(elen > 40 ? 40 : elen),
						              en);
						break;
					}
					if (nov >= THEME_ELEMENT_COUNT)
						break;       /* duplicates: rejected */
					ov[nov].elem = e;
					ov[nov].mask = 0;
					ov[nov].st = default_styles[e];
					st = parse_style(&d, yu_map_value(&d, v, j),
					                 en, &ov[nov], err);
					nov++;
				}
			} else {
				st = yu_error(&d, k, err,
				              "unknown key '%.40s' (name, description, "
				              "inherits, styles)", key);
			}
			if (st != CT_OK)
				goto out;
		}
	}

	/* The base. */
	if (inherits && inherits_len) {
		char base[THEME_NAME_MAX + 1];
		const char *stem;
		size_t stem_len;
		if (inherits_len > THEME_NAME_MAX ||
		    memchr(inherits, '/', inherits_len)) {
			st = yu_error(&d, inherits_node, err,
			              "'inherits' must be a theme name");
			goto out;
		}
		memcpy(base, inherits, inherits_len);
		base[inherits_len] = '\0';
		stem_of(name, &stem, &stem_len);
		enum level from = LEVEL_USER;
		if (stem_len == inherits_len &&
		    memcmp(stem, inherits, inherits_len) == 0)
			from = level == LEVEL_NONE ? LEVEL_USER : level + 1;
		struct resolver builtin_only = { NULL, NULL, 0 };
		struct resolver *rr = r ? r : &builtin_only;
		if (rr->depth >= THEME_DEPTH_MAX) {
			st = yu_error(&d, inherits_node, err,
			              "themes inherit too deep (a cycle?)");
			goto out;
		}
		rr->depth++;
		st = find_at(base, rr, from, out, err);
		rr->depth--;
		if (st == CT_NOTFOUND) {
			st = yu_error(&d, inherits_node, err,
			              "no theme named '%s' to inherit from", base);
			goto out;
		}
		if (st != CT_OK)
			goto out;
	} else {
		theme_init_default(out);
	}

	for (size_t i = 0; i < nov; i++) {
		struct theme_style *s = &out->style[ov[i].elem];
		if (ov[i].mask & SET_FG)
			s->fg = ov[i].st.fg;
		if (ov[i].mask & SET_BG)
			s->bg = ov[i].st.bg;
		if (ov[i].mask & SET_ATTRS)
			s->attrs = ov[i].st.attrs;
	}
	if (tname && tname_len) {
		theme_set_name(out, tname, tname_len);
	} else {
		const char *stem;
		size_t stem_len;
		stem_of(name, &stem, &stem_len);
		theme_set_name(out, stem, stem_len);
	}
	out->attrs_only = compute_attrs_only(out);
out:
	yu_doc_free(&d);
	if (st != CT_OK)
		theme_init_default(out);
	return st;
}

enum ct_status theme_parse(const char *yaml, size_t len, const char *name,
                           struct theme *out, struct ct_error *err)
{
	return parse_theme(yaml, len, name ? name : "theme", NULL, LEVEL_NONE,
	                   out, err);
}

/* ---- finding ---- */

/* Read a whole file (at most THEME_FILE_MAX).  CT_NOTFOUND when absent. */
static enum ct_status read_file(const char *path, char **data, size_t *len,
                                struct ct_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return CT_NOTFOUND;
		return ct_error_set(err, CT_IO, path, "cannot open theme: %s",
		                    strerror(errno));
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode)) {
		fclose(f);
		return ct_error_set(err, CT_NOTREG, path,
		                    "theme is not a regular file");
	}
	char *buf = malloc((size_t)THEME_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		return ct_error_set(err, CT_NOMEM, path, "out of memory");
	}
	size_t n = fread(buf, 1, (size_t)THEME_FILE_MAX + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return ct_error_set(err, CT_IO, path, "cannot read theme");
	}
	if (n > (size_t)THEME_FILE_MAX) {
		free(buf);
		return ct_error_set(err, CT_TOOBIG, path, "theme file too large");
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return CT_OK;
}

static enum ct_status parse_file(const char *path, struct resolver *r,
                                 enum level level, struct theme *out,
                                 struct ct_error *err)
{
	char *data = NULL;
	size_t len = 0;
	enum ct_status st = read_file(path, &data, &len, err);
	if (st != CT_OK)
		return st;
	st = parse_theme(data, len, path, r, level, out, err);
	free(data);
	return st;
}

static bool valid_name(const char *name)
{
	if (!*name || name[0] == '.' || strlen(name) > THEME_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static enum ct_status find_at(const char *name, struct resolver *r,
                              enum level from, struct theme *out,
                              struct ct_error *err)
{
	char path[4096];
	enum ct_status st;
	const char *dirs[2] = { r->user_dir, r->data_dir };

	for (int lv = from; lv <= LEVEL_DATA; lv++) {
		if (!dirs[lv] || !*dirs[lv])
			continue;
		int n = snprintf(path, sizeof path, "%s/%s.yaml", dirs[lv], name);
		if (n < 0 || (size_t)n >= sizeof path)
			continue;
		st = parse_file(path, r, (enum level)lv, out, err);
		if (st != CT_NOTFOUND)
			return st;
	}
	if (from <= LEVEL_BUILTIN) {
		const char *yaml;
		size_t len;
		if (strcmp(name, "default") == 0) {
			/* themes/default.yaml restates the compiled-in table
			 * (a unit test checks it): skip parsing it, which is
			 * most of the start-up cost of a theme. */
			theme_init_default(out);
			return CT_OK;
		}
		if (theme_builtin_get(name, &yaml, &len)) {
			char bname[THEME_NAME_MAX + 32];
			snprintf(bname, sizeof bname, "(built-in)/%s.yaml", name);
			return parse_theme(yaml, len, bname, r, LEVEL_BUILTIN,
			                   out, err);
		}
	}
	return CT_NOTFOUND;
}

enum ct_status theme_find(const char *name, const char *user_dir,
                          const char *data_dir, struct theme *out,
                          struct ct_error *err)
{
	char udir[4096];
	enum ct_status st;

	if (!name || !*name)
		name = "default";
	if (!user_dir) {
		const char *x = getenv("XDG_CONFIG_HOME");
		const char *h = getenv("HOME");
		if (x && x[0] == '/')
			snprintf(udir, sizeof udir, "%s/celltag/themes", x);
		else if (h && *h)
			snprintf(udir, sizeof udir, "%s/.config/celltag/themes", h);
		else
			udir[0] = '\0';
		user_dir = udir;
	}
	if (!data_dir)
		data_dir = CELLTAG_DATADIR "/themes";
	struct resolver r = { user_dir, data_dir, 0 };

	if (strchr(name, '/')) {
		st = parse_file(name, &r, LEVEL_NONE, out, err);
		if (st == CT_NOTFOUND)
			st = ct_error_set(err, CT_NOTFOUND, name,
			                  "no such theme file");
	} else if (!valid_name(name)) {
		st = ct_error_set(err, CT_NOTFOUND, NULL,
		                  "invalid theme name '%.40s'", name);
	} else {
		st = find_at(name, &r, LEVEL_USER, out, err);
		if (st == CT_NOTFOUND)
			st = ct_error_set(err, CT_NOTFOUND, NULL,
			                  "no theme named '%s' (looked in %s, %s "
			                  "and the built-in themes)", name,
			                  *user_dir ? user_dir : "(no home)",
			                  data_dir);
	}
	if (st != CT_OK)
		theme_init_default(out);
	return st;
}
