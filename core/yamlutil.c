/* yamlutil.c - helpers over libyaml's document API (see yamlutil.h). */
#include "yamlutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

/* 1-based line and column (in characters) of byte `off` of data. */
static enum ct_status parser_error(const yaml_parser_t *p, const char *data,
                                   size_t len, const char *name,
                                   enum ct_status status,
                                   struct ct_error *err)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	long line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return ct_error_set(err, CT_NOMEM, name, "out of memory reading YAML");
	case YAML_READER_ERROR:
		json_position(data, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			return ct_error_set_at(err, status, name, line, col,
			                       "invalid YAML: %s (byte 0x%02x)",
			                       problem, (unsigned)p->problem_value & 0xffu);
		return ct_error_set_at(err, status, name, line, col,
		                       "invalid YAML: %s", problem);
	default:
		line = (long)p->problem_mark.line + 1;
		col = (long)p->problem_mark.column + 1;
		if (p->context)
			return ct_error_set_at(err, status, name, line, col,
			                       "invalid YAML: %s (%s at line %ld)",
			                       problem, p->context,
			                       (long)p->context_mark.line + 1);
		return ct_error_set_at(err, status, name, line, col,
		                       "invalid YAML: %s", problem);
	}
}

enum ct_status yu_doc_load(struct yu_doc *d, const char *data, size_t len,
                           const char *name, enum ct_status status,
                           struct ct_error *err)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	enum ct_status st = CT_OK;

	memset(d, 0, sizeof *d);
	d->name = name;
	d->status = status;
	if (!yaml_parser_initialize(&parser))
		return ct_error_set(err, CT_NOMEM, name, "out of memory reading YAML");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	/* On failure yaml_parser_load deletes the partial document itself. */
	if (!yaml_parser_load(&parser, &d->doc)) {
		st = parser_error(&parser, data, len, name, status, err);
		goto out;
	}
	d->loaded = true;
	if (!yu_root(d))
		goto out;       /* empty stream: nothing after it */
	memset(&extra, 0, sizeof extra);
	if (!yaml_parser_load(&parser, &extra)) {
		st = parser_error(&parser, data, len, name, status, err);
		goto fail;
	}
	if (yaml_document_get_root_node(&extra)) {
		long line = (long)extra.start_mark.line + 1;
		long col = (long)extra.start_mark.column + 1;
		yaml_document_delete(&extra);
		st = ct_error_set_at(err, status, name, line, col,
		                     "only one YAML document is allowed");
		goto fail;
	}
	yaml_document_delete(&extra);
	goto out;
fail:
	yu_doc_free(d);
out:
	yaml_parser_delete(&parser);
	return st;
}

void yu_doc_free(struct yu_doc *d)
{
	if (d && d->loaded) {
		yaml_document_delete(&d->doc);
		d->loaded = false;
	}
}

yaml_node_t *yu_root(struct yu_doc *d)
{
	if (!d->loaded)
		return NULL;
	return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *yu_node(struct yu_doc *d, int id)
{
	return yaml_document_get_node(&d->doc, id);
}

static bool text_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static bool is_int_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		const char *digits = s[1] == 'x' ? "0123456789abcdefABCDEF" : "01234567";
		s += 2;
		if (!*s)
			return false;
		return strspn(s, digits) == strlen(s);
	}
	return *s && strspn(s, "0123456789") == strlen(s);
}

static bool is_float_text(const char *s)
{
	static const char *const special[] = {
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
		"-.INF", ".nan", ".NaN", ".NAN", NULL
	};
	size_t n;

	if (text_in(s, special))
		return true;
	if (*s == '-' || *s == '+')
		s++;
	n = strspn(s, "0123456789");
	s += n;
	if (*s == '.') {
		size_t m = strspn(s + 1, "0123456789");
		if (n == 0 && m == 0)
			return false;
		s += 1 + m;
	} else if (n == 0) {
		return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!*s || strspn(s, "0123456789") != strlen(s))
			return false;
		return true;
	}
	return *s == '\0';
}

enum yu_kind yu_kind_of(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const bools[] = {
		"true", "True", "TRUE", "false", "False", "FALSE", NULL
	};
	const char *s;

	switch (n->type) {
	case YAML_SEQUENCE_NODE:
		return YU_SEQ;
	case YAML_MAPPING_NODE:
		return YU_MAP;
	case YAML_SCALAR_NODE:
		break;
	default:
		return YU_NULL;
	}
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
	    n->data.scalar.style != YAML_ANY_SCALAR_STYLE)
		return YU_STR;
	s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length)
		return YU_STR;
	if (text_in(s, nulls))
		return YU_NULL;
	if (text_in(s, bools))
		return YU_BOOL;
	if (is_int_text(s))
		return YU_INT;
	if (is_float_text(s))
		return YU_FLOAT;
	return YU_STR;
}

const char *yu_kind_name(enum yu_kind k)
{
	switch (k) {
	case YU_NULL:  return "null";
	case YU_BOOL:  return "a boolean";
	case YU_INT:   return "an integer";
	case YU_FLOAT: return "a number";
	case YU_STR:   return "a string";
	case YU_SEQ:   return "a list";
	case YU_MAP:   return "a mapping";
	}
	return "?";
}

long yu_line(const yaml_node_t *n)
{
	return (long)n->start_mark.line + 1;
}

long yu_col(const yaml_node_t *n)
{
	return (long)n->start_mark.column + 1;
}

enum ct_status yu_error(const struct yu_doc *d, const yaml_node_t *n,
                        struct ct_error *err, const char *fmt, ...)
{
	char msg[CT_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!n)
		return ct_error_set(err, d->status, d->name, "%s", msg);
	return ct_error_set_at(err, d->status, d->name, yu_line(n), yu_col(n),
	                       "%s", msg);
}

const char *yu_scalar(const yaml_node_t *n, size_t *len)
{
	if (len)
		*len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

yaml_node_t *yu_seq_item(struct yu_doc *d, yaml_node_t *seq, size_t i)
{
	return yu_node(d, seq->data.sequence.items.start[i]);
}

yaml_node_t *yu_map_key(struct yu_doc *d, yaml_node_t *map, size_t i)
{
	return yu_node(d, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *yu_map_value(struct yu_doc *d, yaml_node_t *map, size_t i)
{
	return yu_node(d, map->data.mapping.pairs.start[i].value);
}

struct key_ref {
	const yaml_node_t *node;
	size_t order;
};

static int key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	size_t lx = x->node->data.scalar.length, ly = y->node->data.scalar.length;
	int c = memcmp(x->node->data.scalar.value, y->node->data.scalar.value,
	               lx < ly ? lx : ly);

	if (c)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static char *printable_key(const yaml_node_t *n, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n->data.scalar.length && o + 5 < size; i++) {
		unsigned char c = n->data.scalar.value[i];
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

enum ct_status yu_expect_map(struct yu_doc *d, yaml_node_t *n,
                             const char *what, struct ct_error *err)
{
	struct key_ref *refs;
	size_t count;
	char name[128];

	if (n->type != YAML_MAPPING_NODE)
		return yu_error(d, n, err, "%s must be a mapping, not %s", what,
		                yu_kind_name(yu_kind_of(n)));
	count = yu_map_count(n);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *k = yu_map_key(d, n, i);
		if (k->type != YAML_SCALAR_NODE || yu_kind_of(k) == YU_NULL)
			return yu_error(d, k, err, "keys of %s must be names, not %s",
			                what, yu_kind_name(yu_kind_of(k)));
		/* Readers compare keys as C strings. */
		if (strlen((const char *)k->data.scalar.value) != k->data.scalar.length)
			return yu_error(d, k, err, "a key of %s contains a NUL character",
			                what);
	}
	if (count < 2)
		return CT_OK;
	/* Sorted copy, so even a huge hostile mapping costs n log n. */
	refs = malloc(count * sizeof *refs);
	if (!refs)
		return ct_error_set(err, CT_NOMEM, d->name, "out of memory");
	for (size_t i = 0; i < count; i++) {
		refs[i].node = yu_map_key(d, n, i);
		refs[i].order = i;
	}
	qsort(refs, count, sizeof *refs, key_ref_cmp);
	for (size_t i = 1; i < count; i++) {
		const yaml_node_t *a = refs[i - 1].node, *b = refs[i].node;
		if (a->data.scalar.length == b->data.scalar.length &&
		    memcmp(a->data.scalar.value, b->data.scalar.value,
		           a->data.scalar.length) == 0) {
			long first = yu_line(a);
			free(refs);
			return yu_error(d, b, err, "duplicate key '%s' in %s (first at line %ld)",
			                printable_key(b, name, sizeof name), what, first);
		}
	}
	free(refs);
	return CT_OK;
}

enum ct_status yu_expect_seq(struct yu_doc *d, yaml_node_t *n,
                             const char *what, struct ct_error *err)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yu_error(d, n, err, "%s must be a list, not %s", what,
		                yu_kind_name(yu_kind_of(n)));
	return CT_OK;
}

enum ct_status yu_get_str(struct yu_doc *d, yaml_node_t *n, const char *what,
                          const char **s, size_t *len, struct ct_error *err)
{
	enum yu_kind k = yu_kind_of(n);

	if (k == YU_NULL || k == YU_SEQ || k == YU_MAP)
		return yu_error(d, n, err, "%s must be a string, not %s", what,
		                yu_kind_name(k));
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return yu_error(d, n, err, "%s must not contain a NUL character", what);
	*s = (const char *)n->data.scalar.value;
	if (len)
		*len = n->data.scalar.length;
	return CT_OK;
}

enum ct_status yu_get_bool(struct yu_doc *d, yaml_node_t *n, const char *what,
                           bool *b, struct ct_error *err)
{
	enum yu_kind k = yu_kind_of(n);
	const char *s;

	if (k != YU_BOOL)
		return yu_error(d, n, err, "%s must be true or false, not %s", what,
		                yu_kind_name(k));
	s = (const char *)n->data.scalar.value;
	*b = s[0] == 't' || s[0] == 'T';
	return CT_OK;
}

enum ct_status yu_get_index(struct yu_doc *d, yaml_node_t *n, const char *what,
                            size_t *v, struct ct_error *err)
{
	enum yu_kind k = yu_kind_of(n);
	const char *s;
	unsigned long long x;
	char *end;

	if (k != YU_INT)
		return yu_error(d, n, err, "%s must be an integer, not %s", what,
		                yu_kind_name(k));
	s = (const char *)n->data.scalar.value;
	if (s[0] == '-')
		return yu_error(d, n, err, "%s must not be negative", what);
	if (s[0] == '+')
		s++;
	if (strspn(s, "0123456789") != strlen(s))
		return yu_error(d, n, err, "%s must be a decimal integer", what);
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno == ERANGE || x > SIZE_MAX)
		return yu_error(d, n, err, "%s is too large", what);
	*v = (size_t)x;
	return CT_OK;
}

enum ct_status yu_read_file(const char *path, size_t max, char **out,
                                size_t *outlen, struct ct_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	enum ct_status s;

	if (fd < 0) {
		if (errno == ENOENT)
			return ct_error_set(err, CT_NOTFOUND, path, "no such file");
		return ct_error_set(err, CT_IO, path, "cannot open: %s", strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		s = ct_error_set(err, CT_IO, path, "cannot stat: %s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		s = ct_error_set(err, CT_NOTREG, path, "not a regular file");
		goto fail;
	}
	if ((uintmax_t)st.st_size > max) {
		s = ct_error_set(err, CT_TOOBIG, path, "file larger than %zu bytes", max);
		goto fail;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		s = ct_error_set(err, CT_NOMEM, path, "out of memory");
		goto fail;
	}
	/* Read until EOF (the file may have changed size since fstat). */
	for (;;) {
		ssize_t r = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s = ct_error_set(err, CT_IO, path, "read failed: %s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > (size_t)st.st_size) {
			s = ct_error_set(err, CT_IO, path, "file grew while being read");
			goto fail;
		}
	}
	close(fd);
	*out = buf;
	*outlen = len;
	return CT_OK;
fail:
	free(buf);
	close(fd);
	return s;
}

