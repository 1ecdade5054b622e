/* save.c - lossless rendering and the durable, conflict-checked save.
 *
 * Rendering walks the cells in file order; for each cell whose tags differ
 * from the loaded ones it emits the original bytes up to the cell's tags
 * span, then the new text, and continues after the span.  Everything else is
 * copied verbatim, so the output differs from the input only in those spans.
 */
#include "save.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- output sinks ----------------------------------------------------- */

struct sink {
	/* memory */
	char *buf;
	size_t len, cap;
	/* file */
	int fd;
	char fbuf[64 * 1024];
	size_t flen;
	size_t written;
	size_t kicked;      /* bytes handed to writeback so far */
	int error;          /* errno of the first failure */
	bool nomem;
	/* Unchanged file on disk holding `base`: big spans of base are copied
	 * from it inside the kernel (copy_file_range), not through our memory.
	 * -1 when not known unchanged. */
	int src_fd;
	const char *base;       /* NULL: released, read from src_fd */
	size_t base_len;
	bool read_error;        /* reading the released bytes failed */
	size_t copied;      /* bytes copied that way */
	/* test hook: report the half-way point */
	size_t half;
	void (*half_cb)(void *);
	void *half_ctx;
};

static bool fd_write_all(int fd, const char *p, size_t n, int *error)
{
	while (n) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*error = errno;
			return false;
		}
		if (r == 0) {
			*error = EIO;
			return false;
		}
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static bool sink_flush(struct sink *k)
{
	if (k->fd < 0 || k->error || !k->flen)
		return !k->error;
	bool ok = fd_write_all(k->fd, k->fbuf, k->flen, &k->error);
	k->flen = 0;
	return ok;
}

/* Start writeback every 2 MB so the final fsync has less left to wait for.
 * Copy and write-out then overlap closely: on this project's ext4 test
 * machine, copy_file_range of 50 MB then fsync took 34 ms (medians) in 2 MB
 * parts each followed by sync_file_range, 44 ms in 16 MB parts, 51 ms in
 * one part (200 MB: 119, 130 and 184 ms). */
#define SINK_KICK ((size_t)2 << 20)

static void sink_kick(struct sink *k)
{
	if (k->fd >= 0 && k->written - k->kicked >= SINK_KICK) {
		sync_file_range(k->fd, (off_t)k->kicked, (off_t)(k->written - k->flen - k->kicked),
		                SYNC_FILE_RANGE_WRITE);
		k->kicked = k->written - k->flen;
	}
}

/* Spans of the loaded bytes at least this long are copied in the kernel, in
 * parts of at most SINK_COPY_PART (so writeback starts and the half-way hook
 * fires as with write). */
#define SINK_COPY_MIN ((size_t)256 << 10)
#define SINK_COPY_PART SINK_KICK

static void sink_put(struct sink *k, const char *p, size_t n);

/* Released notebook (base NULL): read [off, off+n) of src_fd through a
 * buffer.  A short read means the file shrank: the checks after rendering
 * report it; the output is marked failed here. */
static void sink_read_put(struct sink *k, size_t off, size_t n)
{
	char buf[64 * 1024];
	while (n && !k->error && !k->nomem) {
		size_t part = n < sizeof buf ? n : sizeof buf;
		ssize_t r = pread(k->src_fd, buf, part, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			k->error = r < 0 ? errno : EIO;
			k->read_error = true;
			return;
		}
		sink_put(k, buf, (size_t)r);
		off += (size_t)r;
		n -= (size_t)r;
	}
}

static void sink_copy(struct sink *k, size_t off, size_t n);

/* The loaded bytes [off, off+n): from memory, or from the file when the
 * notebook released them. */
static void sink_orig(struct sink *k, size_t off, size_t n)
{
	if (!n)
		return;
	if (k->base)
		sink_put(k, k->base + off, n);
	else if (k->fd >= 0 && !k->error)
		sink_copy(k, off, n);
	else
		sink_read_put(k, off, n);
}

/* Copy base[off, off+n) from src_fd; where the kernel cannot (other file
 * system, old kernel), write the bytes instead. */
static void sink_copy(struct sink *k, size_t off, size_t n)
{
	if (!sink_flush(k))
		return;
	while (n) {
		size_t part = n < SINK_COPY_PART ? n : SINK_COPY_PART;
		loff_t in = (loff_t)off;
		ssize_t r = copy_file_range(k->src_fd, &in, k->fd, NULL, part, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* r == 0: the file is shorter than loaded; the check after
			 * writing reports it.  Errors: fall back to write. */
			if (!k->base) {
				/* released: the file is the only copy */
				if (r == 0) {
					k->error = EIO;
					k->read_error = true;
				} else {
					sink_read_put(k, off, n);
				}
				return;
			}
			k->src_fd = -1;
			sink_put(k, k->base + off, n);
			return;
		}
		size_t before = k->written;
		k->written += (size_t)r;
		k->copied += (size_t)r;
		off += (size_t)r;
		n -= (size_t)r;
		sink_kick(k);
		if (k->half_cb && before < k->half && k->written >= k->half)
			k->half_cb(k->half_ctx);
	}
}

static void sink_put(struct sink *k, const char *p, size_t n)
{
	if (k->error || k->nomem || !n)
		return;
	if (k->fd >= 0 && k->src_fd >= 0 && n >= SINK_COPY_MIN && k->base &&
	    (uintptr_t)p >= (uintptr_t)k->base &&
	    (uintptr_t)p + n <= (uintptr_t)k->base + k->base_len) {
		sink_copy(k, (size_t)(p - k->base), n);
		return;
	}
	size_t before = k->written;
	k->written += n;
	if (k->fd < 0) {
		if (k->len + n > k->cap) {
			size_t ncap = k->cap ? k->cap : 4096;
			while (ncap < k->len + n)
				ncap *= 2;
			char *q = realloc(k->buf, ncap);
			if (!q) {
				k->nomem = true;
				return;
			}
			k->buf = q;
			k->cap = ncap;
		}
		memcpy(k->buf + k->len, p, n);
		k->len += n;
	} else if (n >= sizeof k->fbuf) {
		if (sink_flush(k))
			fd_write_all(k->fd, p, n, &k->error);
	} else {
		if (k->flen + n > sizeof k->fbuf)
			sink_flush(k);
		memcpy(k->fbuf + k->flen, p, n);
		k->flen += n;
	}
	sink_kick(k);
	if (k->half_cb && before < k->half && k->written >= k->half) {
		sink_flush(k);
		k->half_cb(k->half_ctx);
	}
}

static void sink_puts(struct sink *k, const char *s)
{
	sink_put(k, s, strlen(s));
}

/* ---- rendering -------------------------------------------------------- */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The loaded bytes a cell's rendering looks at: all of them (p = data,
 * lo = 0), or for a released notebook the cell object read again (p holds
 * [lo, hi)).  Every offset looked at lies inside the cell object. */
struct view {
	const char *p;
	size_t lo, hi;
};

static char vat(const struct view *v, size_t off)
{
	return v->p[off - v->lo];
}

/* Start of the whitespace run that ends at pos. */
static size_t ws_start(const struct view *v, size_t pos)
{
	while (pos > v->lo && is_ws(vat(v, pos - 1)))
		pos--;
	return pos;
}

static bool has_linebreak(const struct view *v, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (vat(v, i) == '\n' || vat(v, i) == '\r')
			return true;
	return false;
}

/* Indentation of the line holding pos, when pos is its first token. */
static bool line_indent(const struct view *v, size_t pos, size_t *a, size_t *b)
{
	size_t p = pos;
	while (p > v->lo && (vat(v, p - 1) == ' ' || vat(v, p - 1) == '\t'))
		p--;
	if (p > v->lo ? vat(v, p - 1) != '\n' && vat(v, p - 1) != '\r' : v->lo != 0)
		return false;   /* (the start of the file counts as a line start) */
	*a = p;
	*b = pos;
	return true;
}

/* Bytes [a, b) of the view. */
static void put_view(struct sink *k, const struct view *v, size_t a, size_t b)
{
	if (b > a)
		sink_put(k, v->p + (a - v->lo), b - a);
}

/* A JSON string as Python's json.dumps writes it (ensure_ascii as the file
 * does). */
static void put_json_string(struct sink *k, const char *t, bool ascii_only)
{
	static const char hex[] = "0123456789abcdef";
	sink_put(k, "\"", 1);
	const unsigned char *p = (const unsigned char *)t;
	while (*p) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p != '"' && *p != '\\' && !(ascii_only && *p >= 0x80))
			p++;
		sink_put(k, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		unsigned c = *p;
		char esc[13];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			sink_put(k, esc, 2);
			p++;
		} else if (c < 0x20) {
			const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
			                  : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
			if (named) {
				sink_puts(k, named);
			} else {
				char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
				sink_put(k, u, 6);
			}
			p++;
		} else {
			/* non-ASCII in an ensure_ascii file: \uXXXX, surrogate pairs */
			unsigned long cp;
			int n;
			if (c >= 0xf0) { cp = c & 0x07; n = 3; }
			else if (c >= 0xe0) { cp = c & 0x0f; n = 2; }
			else { cp = c & 0x1f; n = 1; }
			p++;
			for (int i = 0; i < n && (*p & 0xc0) == 0x80; i++, p++)
				cp = (cp << 6) | (*p & 0x3f);
			unsigned long units[2];
			int nu = 0;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				units[nu++] = 0xd800 + (cp >> 10);
				units[nu++] = 0xdc00 + (cp & 0x3ff);
			} else {
				units[nu++] = cp;
			}
			for (int i = 0; i < nu; i++) {
				char u[7] = { '\\', 'u', hex[(units[i] >> 12) & 15], hex[(units[i] >> 8) & 15],
				              hex[(units[i] >> 4) & 15], hex[units[i] & 15], 0 };
				sink_put(k, u, 6);
			}
		}
	}
	sink_put(k, "\"", 1);
}

struct layout_ctx {
	const struct notebook *nb;
	const struct view *v;
	const char *nl;          /* line break of this object */
	size_t nl_len;
	bool pretty;
};

static void put_tags_array(struct sink *k, const struct layout_ctx *L, const struct nb_cell *c,
                           size_t mi_a, size_t mi_b, bool extra_unit)
{
	const struct notebook *nb = L->nb;
	if (!c->ntags) {
		sink_put(k, "[]", 2);
		return;
	}
	sink_put(k, "[", 1);
	for (size_t i = 0; i < c->ntags; i++) {
		if (L->pretty) {
			sink_put(k, L->nl, L->nl_len);
			put_view(k, L->v, mi_a, mi_b);
			if (extra_unit)
				sink_puts(k, nb->style.indent);
			sink_puts(k, nb->style.indent);
		} else if (i) {
			/* compact: comma style without its ',' (written below) */
			sink_puts(k, nb->style.comma + 1);
		}
		put_json_string(k, c->tags[i], nb->style.ascii_only);
		if (i + 1 < c->ntags)
			sink_put(k, ",", 1);
	}
	if (L->pretty) {
		sink_put(k, L->nl, L->nl_len);
		put_view(k, L->v, mi_a, mi_b);
		if (extra_unit)
			sink_puts(k, nb->style.indent);
	}
	sink_put(k, "]", 1);
}

static void put_tags_member(struct sink *k, const struct layout_ctx *L, const struct nb_cell *c,
                            size_t mi_a, size_t mi_b, bool extra_unit)
{
	sink_put(k, "\"tags\"", 6);
	sink_puts(k, L->nb->style.colon);
	put_tags_array(k, L, c, mi_a, mi_b, extra_unit);
}

/* First line break in [a, b) of the view, as a pointer and length. */
static void find_nl(const struct view *v, size_t a, size_t b, const char **nl, size_t *n)
{
	for (size_t i = a; i < b; i++) {
		if (vat(v, i) == '\r') {
			*nl = v->p + (i - v->lo);
			*n = i + 1 < b && vat(v, i + 1) == '\n' ? 2 : 1;
			return;
		}
		if (vat(v, i) == '\n') {
			*nl = v->p + (i - v->lo);
			*n = 1;
			return;
		}
	}
}

/* render_cell with the cell's bytes in view. */
static void render_cell_from(struct sink *k, const struct notebook *nb,
                             const struct nb_cell *c, const struct view *v, size_t *prev)
{
	const struct nb_cell_layout *lay = &c->layout;
	struct layout_ctx L = { nb, v, nb->style.newline, strlen(nb->style.newline), false };
	size_t k0 = lay->nmembers;
	if (k0) {
		size_t key0 = lay->members[0].key.start;
		size_t w = ws_start(v, key0);
		L.pretty = has_linebreak(v, w, key0);
		if (L.pretty)
			find_nl(v, w, key0, &L.nl, &L.nl_len);
	} else {
		L.pretty = L.nl_len > 0;
	}
	size_t mi_a = 0, mi_b = 0;

	if (lay->tags_member >= 0 && c->ntags == 0) {
		/* Last tag removed: drop the member and its comma, as Classic
		 * Notebook does; an object left empty is written "{}". */
		size_t j = (size_t)lay->tags_member, a, b;
		if (k0 == 1) {
			sink_orig(k, *prev, lay->metadata.start - *prev);
			sink_put(k, "{}", 2);
			*prev = lay->metadata.end;
			return;
		}
		if (j + 1 < k0) {
			a = lay->members[j].key.start;
			b = lay->members[j + 1].key.start;
		} else {
			a = lay->members[j - 1].value.end;
			b = lay->members[j].value.end;
		}
		sink_orig(k, *prev, a - *prev);
		*prev = b;
		return;
	}
	if (lay->tags_member >= 0) {
		const struct nb_member *m = &lay->members[lay->tags_member];
		if (L.pretty && !line_indent(v, m->key.start, &mi_a, &mi_b))
			mi_a = mi_b = 0;
		sink_orig(k, *prev, m->value.start - *prev);
		put_tags_array(k, &L, c, mi_a, mi_b, false);
		*prev = m->value.end;
		return;
	}
	if (k0 == 0) {
		sink_orig(k, *prev, lay->metadata.start - *prev);
		if (L.pretty) {
			if (!line_indent(v, lay->metadata_key.start, &mi_a, &mi_b))
				mi_a = mi_b = 0;
			sink_put(k, "{", 1);
			sink_put(k, L.nl, L.nl_len);
			put_view(k, v, mi_a, mi_b);
			sink_puts(k, nb->style.indent);
			put_tags_member(k, &L, c, mi_a, mi_b, true);
			sink_put(k, L.nl, L.nl_len);
			put_view(k, v, mi_a, mi_b);
			sink_put(k, "}", 1);
		} else {
			sink_put(k, "{", 1);
			put_tags_member(k, &L, c, 0, 0, false);
			sink_put(k, "}", 1);
		}
		*prev = lay->metadata.end;
		return;
	}
	/* Insert among the members where a sorted-keys writer would put it. */
	size_t i = 0;
	while (i < k0 && strcmp(lay->members[i].name, "tags") < 0)
		i++;
	const char *sep = nb->style.comma + 1;   /* compact: "" or " " */
	if (i < k0) {
		size_t pos = lay->members[i].key.start, w = ws_start(v, pos);
		if (L.pretty && !line_indent(v, pos, &mi_a, &mi_b))
			mi_a = mi_b = 0;
		sink_orig(k, *prev, pos - *prev);
		put_tags_member(k, &L, c, mi_a, mi_b, false);
		sink_put(k, ",", 1);
		if (L.pretty || i > 0)
			put_view(k, v, w, pos);
		else
			sink_puts(k, sep);
		*prev = pos;
	} else {
		const struct nb_member *last = &lay->members[k0 - 1];
		size_t pos = last->value.end, kw = ws_start(v, last->key.start);
		if (L.pretty && !line_indent(v, last->key.start, &mi_a, &mi_b))
			mi_a = mi_b = 0;
		sink_orig(k, *prev, pos - *prev);
		sink_put(k, ",", 1);
		if (L.pretty || k0 > 1)
			put_view(k, v, kw, last->key.start);
		else
			sink_puts(k, sep);
		put_tags_member(k, &L, c, mi_a, mi_b, false);
		*prev = pos;
	}
}

/* Emit the original bytes from *prev up to the edit, then the edit. */
static void render_cell(struct sink *k, const struct notebook *nb, const struct nb_cell *c,
                        size_t *prev)
{
	struct view view = { nb->data, 0, nb->len };
	char *copy = NULL;
	if (nb->released) {
		/* Only this cell's object is looked at: read it again. */
		const struct nb_span *o = &c->layout.object;
		view.lo = o->start;
		view.hi = o->end;
		copy = malloc(o->end - o->start);
		if (!copy) {
			k->nomem = true;
			return;
		}
		if (notebook_read_bytes(nb, o->start, o->end - o->start, copy, NULL) != CT_OK) {
			free(copy);
			k->error = k->error ? k->error : EIO;
			k->read_error = true;
			return;
		}
		view.p = copy;
	}
	render_cell_from(k, nb, c, &view, prev);
	free(copy);
}

static bool tags_changed(const struct nb_cell *c)
{
	if (c->ntags != c->nloaded_tags)
		return true;
	for (size_t i = 0; i < c->ntags; i++)
		if (strcmp(c->tags[i], c->loaded_tags[i]) != 0)
			return true;
	return false;
}

static void render(struct sink *k, const struct notebook *nb)
{
	size_t prev = 0;
	if (nb->nmodified)
		for (size_t i = 0; i < nb->ncells; i++)
			if (tags_changed(&nb->cells[i]))
				render_cell(k, nb, &nb->cells[i], &prev);
	sink_orig(k, prev, nb->len - prev);
}

/* Render into k (its fd set) from the loaded bytes: memory, or for a
 * released notebook the file held open, proven unchanged before and after. */
static enum ct_status render_checked(struct sink *k, const struct notebook *nb,
                                     const char *name, struct ct_error *err)
{
	struct stat held;
	k->src_fd = nb->released ? nb->held_fd_ : -1;
	k->base = nb->data;
	k->base_len = nb->len;
	enum ct_status st = notebook_held_check(nb, &held, err);
	if (st != CT_OK)
		return st;
	render(k, nb);
	if (k->read_error || !notebook_held_same(nb, &held))
		return ct_error_set(err, CT_CONFLICT, name,
		                    "the file changed on disk while it was being read");
	return CT_OK;
}

enum ct_status notebook_render(const struct notebook *nb, char **out, size_t *len,
                               struct ct_error *err)
{
	*out = NULL;
	*len = 0;
	if (nb->preview)
		return ct_error_set(err, CT_USAGE, nb->path, "only the start of the file is loaded");
	struct sink *k = calloc(1, sizeof *k);
	if (!k)
		return ct_error_set(err, CT_NOMEM, nb->path, "out of memory while rendering");
	k->fd = -1;
	enum ct_status st = render_checked(k, nb, nb->path, err);
	if (st != CT_OK) {
		free(k->buf);
		free(k);
		return st;
	}
	if (!k->nomem && !k->buf)
		k->buf = malloc(1);
	if (k->nomem || !k->buf) {
		free(k->buf);
		free(k);
		return ct_error_set(err, CT_NOMEM, nb->path, "out of memory while rendering");
	}
	*out = k->buf;
	*len = k->len;
	free(k);
	return CT_OK;
}

/* Counting sink: size without building. */
size_t notebook_rendered_size(const struct notebook *nb)
{
	char *buf;
	size_t len;
	if (!nb->nmodified)
		return nb->len;
	if (notebook_render(nb, &buf, &len, NULL) != CT_OK)
		return 0;
	free(buf);
	return len;
}

enum ct_status notebook_write_fd(const struct notebook *nb, int fd, const char *name,
                                 struct ct_error *err)
{
	if (nb->preview)
		return ct_error_set(err, CT_USAGE, name, "only the start of the file is loaded");
	struct sink *k = calloc(1, sizeof *k);
	if (!k)
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	k->fd = fd;
	enum ct_status st = render_checked(k, nb, name, err);
	if (st == CT_OK)
		sink_flush(k);
	int e = k->error;
	free(k);
	if (st == CT_OK && e)
		return ct_error_set(err, CT_WRITE, name, "write failed: %s", strerror(e));
	return st;
}

/* ---- disk checks ------------------------------------------------------ */

static bool same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* Cheap part: identity, size and modification time.  `path` is the file
 * looked at, `name` the one errors name (the path the user gave). */
static enum ct_status compare_identity(const struct notebook *nb, const char *path,
                                       const char *name, struct ct_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return ct_error_set(err, CT_CONFLICT, name,
			                    "the file was deleted or moved since it was loaded");
		return ct_error_set(err, CT_IO, name, "cannot stat: %s", strerror(errno));
	}
	if (st.st_dev != nb->file.dev || st.st_ino != nb->file.ino)
		return ct_error_set(err, CT_CONFLICT, name,
		                    "the file was replaced on disk since it was loaded");
	if (st.st_size != nb->file.size)
		return ct_error_set(err, CT_CONFLICT, name,
		                    "the file changed on disk since it was loaded (size %lld, was %lld)",
		                    (long long)st.st_size, (long long)nb->file.size);
	if (!same_time(st.st_mtim, nb->file.mtime))
		return ct_error_set(err, CT_CONFLICT, name,
		                    "the file changed on disk since it was loaded (modification time)");
	return CT_OK;
}

/* The bytes themselves: a change within one timestamp tick, or one whose
 * writer put the old time back, is only visible here. */
static enum ct_status compare_content(const struct notebook *nb, const char *path,
                                      const char *name, struct ct_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ct_error_set(err, CT_IO, name, "cannot open: %s", strerror(errno));
	static const size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	if (!buf) {
		close(fd);
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	}
	size_t off = 0;
	enum ct_status result = CT_OK;
	for (;;) {
		ssize_t r = read(fd, buf, chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			result = ct_error_set(err, CT_IO, name, "read error: %s", strerror(errno));
			break;
		}
		if (r == 0) {
			if (off != nb->len)
				result = ct_error_set(err, CT_CONFLICT, name,
				                      "the file changed on disk since it was loaded (size)");
			break;
		}
		if (off + (size_t)r > nb->len || memcmp(buf, nb->data + off, (size_t)r) != 0) {
			result = ct_error_set(err, CT_CONFLICT, name,
			                      "the file changed on disk since it was loaded (content)");
			break;
		}
		off += (size_t)r;
	}
	free(buf);
	close(fd);
	return result;
}

/* Unchanged since the load, proven without reading the bytes: same inode,
 * size, mtime and a ctime that was settled at load (see notebook.h). */
static bool unchanged_by_ctime(const struct notebook *nb, const struct stat *st)
{
	return nb->file.ctime_settled && st->st_dev == nb->file.dev &&
	       st->st_ino == nb->file.ino && st->st_size == nb->file.size &&
	       same_time(st->st_mtim, nb->file.mtime) && same_time(st->st_ctim, nb->file.ctime);
}

enum ct_status notebook_check_disk(const struct notebook *nb, struct ct_error *err)
{
	if (!nb->from_file)
		return ct_error_set(err, CT_USAGE, nb->path, "not loaded from a file");
	enum ct_status st = compare_identity(nb, nb->path, nb->path, err);
	if (st != CT_OK)
		return st;
	struct stat now;
	if (stat(nb->path, &now) == 0 && unchanged_by_ctime(nb, &now))
		return CT_OK;
	if (nb->released)       /* the path holds the file we hold open */
		return notebook_held_check(nb, NULL, err);
	return compare_content(nb, nb->path, nb->path, err);
}

/* ---- save ------------------------------------------------------------- */

static void step(const struct save_options *o, enum save_step s)
{
	if (o && o->step_hook)
		o->step_hook(s, o->step_ctx);
}

static void half_cb(void *ctx)
{
	step(ctx, SAVE_STEP_TEMP_HALF);
}

/* Resolve the real file to write: symlinks followed, the link itself kept. */
static enum ct_status resolve_target(const char *path, const char *errname, char *out,
                                     size_t size, struct ct_error *err)
{
	char *real = realpath(path, NULL);
	if (real) {
		snprintf(out, size, "%s", real);
		free(real);
		return CT_OK;
	}
	if (errno != ENOENT)
		return ct_error_set(err, CT_WRITE, errname, "cannot resolve path: %s", strerror(errno));
	/* New file (save-as): resolve its folder. */
	char *dcopy = strdup(path), *bcopy = strdup(path);
	if (!dcopy || !bcopy) {
		free(dcopy);
		free(bcopy);
		return ct_error_set(err, CT_NOMEM, errname, "out of memory");
	}
	char *dreal = realpath(dirname(dcopy), NULL);
	enum ct_status st = CT_OK;
	if (!dreal)
		st = ct_error_set(err, CT_WRITE, errname, "cannot write into the folder: %s",
		                  strerror(errno));
	else
		snprintf(out, size, "%s/%s", dreal, basename(bcopy));
	free(dreal);
	free(dcopy);
	free(bcopy);
	return st;
}

/* Remove temporary files a killed celltag left for this target.  Called with
 * the folder lock held: a living saver would hold it, so any such file is
 * stale. */
static void remove_stale_temps(int dirfd, const char *base)
{
	char prefix[PATH_MAX];
	int n = snprintf(prefix, sizeof prefix, ".%s.celltag-", base);
	if (n <= 0 || (size_t)n >= sizeof prefix)
		return;
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, (size_t)n) == 0 && strlen(e->d_name) == (size_t)n + 6)
			unlinkat(dirfd, e->d_name, 0);
	closedir(d);
}

enum ct_status notebook_save(struct notebook **pnb, const struct save_options *opts,
                             bool reload, struct ct_error *err)
{
	struct notebook *nb = *pnb;
	static const struct save_options defaults;
	if (!opts)
		opts = &defaults;
	const char *dest = opts->path ? opts->path : nb->path;
	if (nb->preview)
		return ct_error_set(err, CT_USAGE, nb->path, "only the start of the file is loaded");
	if (!nb->from_file && !opts->path)
		return ct_error_set(err, CT_USAGE, nb->path, "notebook was not loaded from a file");

	int src = -1;           /* the target, when known unchanged (below) */
	char target[PATH_MAX];
	enum ct_status st = resolve_target(dest, dest, target, sizeof target, err);
	if (st != CT_OK)
		return st;
	char dir[PATH_MAX], base[PATH_MAX];
	{
		char tmp1[PATH_MAX], tmp2[PATH_MAX];
		snprintf(tmp1, sizeof tmp1, "%s", target);
		snprintf(tmp2, sizeof tmp2, "%s", target);
		snprintf(dir, sizeof dir, "%s", dirname(tmp1));
		snprintf(base, sizeof base, "%s", basename(tmp2));
	}
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return ct_error_set(err, CT_WRITE, dest, "cannot open the folder %s: %s", dir,
		                    strerror(errno));
	/* Serialise celltag saves in this folder: the second sees the first's
	 * file and reports a conflict instead of silently overwriting it. */
	while (flock(dirfd, LOCK_EX) != 0 && errno == EINTR)
		;
	remove_stale_temps(dirfd, base);

	struct stat tst;
	bool exists = stat(target, &tst) == 0;
	bool same_file = !opts->path ||
	                 (exists && nb->from_file && tst.st_dev == nb->file.dev &&
	                  tst.st_ino == nb->file.ino);
	if (exists && !S_ISREG(tst.st_mode)) {
		st = ct_error_set(err, CT_WRITE, dest, "not a regular file");
		goto out_dir;
	}
	if (exists && (tst.st_mode & 0222) == 0) {
		st = ct_error_set(err, CT_WRITE, dest, "the file is read-only (mode %04o)",
		                  (unsigned)(tst.st_mode & 07777));
		goto out_dir;
	}
	if (exists && access(target, W_OK) != 0) {
		st = ct_error_set(err, CT_WRITE, dest, "permission denied");
		goto out_dir;
	}
	bool check = nb->from_file && same_file && !opts->force;
	if (check && (st = compare_identity(nb, target, dest, err)) != CT_OK)
		goto out_dir;
	/* Known unchanged without reading it: its big unchanged spans are copied
	 * in the kernel and the byte compare is not needed; the ctime is looked
	 * at again once the copy is done. */
	/* Released: the loaded bytes are read from the file held open, after
	 * proving it unchanged (forced or not: they are the only copy). */
	struct stat held;
	if (nb->released && (st = notebook_held_check(nb, &held, err)) != CT_OK)
		goto out_dir;
	if (check && nb->file.ctime_settled && !nb->released) {
		struct stat sst;
		src = open(target, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (src >= 0 && (fstat(src, &sst) != 0 || !unchanged_by_ctime(nb, &sst))) {
			close(src);
			src = -1;
		}
	}
	step(opts, SAVE_STEP_LOCKED);

	char tmpname[PATH_MAX];
	if (snprintf(tmpname, sizeof tmpname, "%s/.%s.celltag-XXXXXX", dir, base) >=
	    (int)sizeof tmpname) {
		st = ct_error_set(err, CT_WRITE, dest, "path too long");
		goto out_dir;
	}
	int fd = mkostemp(tmpname, O_CLOEXEC);
	if (fd < 0) {
		st = ct_error_set(err, CT_WRITE, dest, "cannot create a temporary file in %s: %s", dir,
		                  strerror(errno));
		goto out_dir;
	}
	step(opts, SAVE_STEP_TEMP_OPEN);

	struct sink *k = calloc(1, sizeof *k);
	if (!k) {
		st = ct_error_set(err, CT_NOMEM, dest, "out of memory");
		goto out_tmp;
	}
	k->fd = fd;
	k->src_fd = nb->released ? nb->held_fd_ : src;
	k->base = nb->data;
	k->base_len = nb->len;
	if (opts->step_hook) {
		k->half = nb->len / 2 ? nb->len / 2 : 1;
		k->half_cb = half_cb;
		k->half_ctx = (void *)opts;
	}
	render(k, nb);
	sink_flush(k);
	int werr = k->error;
	bool rerr = k->read_error;
	if (opts->copied)
		*opts->copied = k->copied;
	free(k);
	if (rerr || (nb->released && !notebook_held_same(nb, &held))) {
		st = ct_error_set(err, CT_CONFLICT, dest,
		                  "the file changed on disk while it was being saved");
		goto out_tmp;
	}
	if (werr) {
		st = ct_error_set(err, CT_WRITE, dest, "write failed: %s (original left intact)",
		                  strerror(werr));
		goto out_tmp;
	}
	if (opts->before_commit && (st = opts->before_commit(opts->commit_ctx, nb, err)) != CT_OK)
		goto out_tmp;
	if (nb->early_) {
		st = ct_error_set(err, CT_USAGE, dest,
		                  "the rest of the file was not checked (notebook_check_finish)");
		goto out_tmp;
	}
	/* Let the disk start on the new bytes while the old ones are compared
	 * (still under the lock, still before the rename). */
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (check && nb->released) {
		/* held unchanged (above); the path must still name it */
		if ((st = compare_identity(nb, target, dest, err)) != CT_OK)
			goto out_tmp;
	} else if (check && src >= 0) {
		struct stat sst;
		bool same = fstat(src, &sst) == 0 && unchanged_by_ctime(nb, &sst);
		close(src);
		src = -1;
		st = same ? compare_identity(nb, target, dest, err)
		          : ct_error_set(err, CT_CONFLICT, dest,
		                         "the file changed on disk while it was being saved");
		if (st != CT_OK)
			goto out_tmp;
	} else if (check && (st = compare_content(nb, target, dest, err)) != CT_OK) {
		goto out_tmp;
	}
	mode_t mode = exists ? tst.st_mode & 07777 : (nb->from_file ? nb->file.mode & 07777 : 0644);
	if (fchmod(fd, mode) != 0) {
		st = ct_error_set(err, CT_WRITE, dest, "cannot set the file mode: %s", strerror(errno));
		goto out_tmp;
	}
	if (exists && (tst.st_uid != geteuid() || tst.st_gid != getegid()))
		(void)!fchown(fd, tst.st_uid, tst.st_gid);   /* best effort, as cp -p */
	if (fsync(fd) != 0) {
		st = ct_error_set(err, CT_WRITE, dest, "fsync failed: %s (original left intact)",
		                  strerror(errno));
		goto out_tmp;
	}
	if (close(fd) != 0) {
		fd = -1;
		st = ct_error_set(err, CT_WRITE, dest, "close failed: %s (original left intact)",
		                  strerror(errno));
		goto out_tmp;
	}
	fd = -1;
	step(opts, SAVE_STEP_TEMP_SYNCED);
	if (rename(tmpname, target) != 0) {
		st = ct_error_set(err, CT_WRITE, dest, "cannot replace the file: %s (original left intact)",
		                  strerror(errno));
		goto out_tmp;
	}
	step(opts, SAVE_STEP_RENAMED);
	fsync(dirfd);
	step(opts, SAVE_STEP_DONE);
	close(dirfd);

	if (reload) {
		struct notebook *fresh = NULL;
		struct ct_error e2;
		const char *again = nb->from_file && !opts->path ? nb->path : dest;
		enum ct_status ls = nb->from_file && nb->release_min_ != SIZE_MAX
		                    ? notebook_load_lean(again, nb->release_min_, &fresh, &e2)
		                    : notebook_load(again, &fresh, &e2);
		if (ls != CT_OK)
			return ct_error_set(err, CT_IO, dest, "saved, but reloading failed: %s", e2.msg);
		notebook_free(pnb);
		*pnb = fresh;
	}
	return CT_OK;

out_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmpname);
out_dir:
	if (src >= 0)
		close(src);
	close(dirfd);
	return st;
}
