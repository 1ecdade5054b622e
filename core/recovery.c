/* recovery.c - pending tag edits written when the terminal goes away
 * (recovery.h).  Curses-free; only file I/O. */
#include "recovery.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Version 2: "hash" is notebook_hash; version 1 files (older celltag) are
 * still read, their hash being notebook_hash_legacy. */
#define RECOVERY_MAGIC "celltag-recovery 2"
#define RECOVERY_MAGIC_V1 "celltag-recovery 1"

char *recovery_path_beside(const char *nb_path, char *buf, size_t size)
{
	const char *slash = strrchr(nb_path, '/');
	int n;

	if (slash)
		n = snprintf(buf, size, "%.*s/.%s.celltag-recovery",
		             (int)(slash - nb_path), nb_path, slash + 1);
	else
		n = snprintf(buf, size, ".%s.celltag-recovery", nb_path);
	return (n < 0 || (size_t)n >= size) ? NULL : buf;
}

static const char *state_home(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s", xdg);
	else if (home && home[0])
		n = snprintf(buf, size, "%s/.local/state", home);
	else
		return NULL;
	return (n < 0 || (size_t)n >= size) ? NULL : buf;
}

char *recovery_path_state(const char *nb_path, char *buf, size_t size)
{
	char dir[PATH_MAX], abs[PATH_MAX];
	const char *p = nb_path;
	int n;

	if (!state_home(dir, sizeof dir))
		return NULL;
	if (realpath(nb_path, abs))
		p = abs;
	n = snprintf(buf, size, "%s/celltag/recovery/%016" PRIx64 ".recovery",
	             dir, ct_hash_bytes(p, strlen(p)));
	return (n < 0 || (size_t)n >= size) ? NULL : buf;
}

char *recovery_find(const char *nb_path, char *buf, size_t size)
{
	struct stat st;

	if (recovery_path_beside(nb_path, buf, size) && stat(buf, &st) == 0)
		return buf;
	if (recovery_path_state(nb_path, buf, size) && stat(buf, &st) == 0)
		return buf;
	return NULL;
}

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '%')
			fprintf(f, "%%%02X", c);
		else
			fputc(c, f);
	}
}

static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '%' && r[1] && r[2]) {
			char hex[3] = { r[1], r[2], 0 };
			char *end;
			long v = strtol(hex, &end, 16);
			if (*end == '\0') {
				*w++ = (char)v;
				r += 2;
				continue;
			}
		}
		*w++ = *r;
	}
	*w = '\0';
}

/* Tags differ from the loaded ones: the cell is one of the pending edits. */
static bool cell_edited(const struct nb_cell *c)
{
	bool same = c->ntags == c->nloaded_tags;
	for (size_t t = 0; same && t < c->ntags; t++)
		same = strcmp(c->tags[t], c->loaded_tags[t]) == 0;
	return !same;
}

enum ct_status recovery_write_to(const struct notebook *nb, const char *path,
                                 struct ct_error *err)
{
	char tmp[PATH_MAX], abs[PATH_MAX];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	FILE *f;
	int fd;

	if (n < 0 || (size_t)n >= sizeof tmp)
		return ct_error_set(err, CT_WRITE, path, "path too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return ct_error_set(err, CT_WRITE, path, "%s", strerror(errno));
	}
	fprintf(f, RECOVERY_MAGIC "\npath ");
	put_escaped(f, realpath(nb->path, abs) ? abs : nb->path);
	fprintf(f, "\nhash %016" PRIx64 "\n", notebook_hash(nb));
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		if (!cell_edited(c))
			continue;
		fprintf(f, "cell %zu ", (size_t)c->index);
		if (c->id && c->id[0])
			put_escaped(f, c->id);
		else
			fputc('-', f);
		fprintf(f, " %zu\n", (size_t)c->ntags);
		for (size_t t = 0; t < c->ntags; t++) {
			fputs("tag ", f);
			put_escaped(f, c->tags[t]);
			fputc('\n', f);
		}
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		return ct_error_set(err, CT_WRITE, path, "%s", strerror(errno));
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return ct_error_set(err, CT_WRITE, path, "%s", strerror(errno));
	}
	return CT_OK;
}

static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", dir);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return (mkdir(buf, 0700) != 0 && errno != EEXIST) ? -1 : 0;
}

enum ct_status recovery_write(const struct notebook *nb, char *used,
                              size_t used_size, struct ct_error *err)
{
	char path[PATH_MAX];
	enum ct_status st;

	if (!notebook_modified(nb))
		return CT_OK;
	if (recovery_path_beside(nb->path, path, sizeof path)) {
		st = recovery_write_to(nb, path, NULL);
		if (st == CT_OK)
			goto done;
	}
	if (!recovery_path_state(nb->path, path, sizeof path))
		return ct_error_set(err, CT_WRITE, nb->path,
		                    "no place to write the recovery file");
	{
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			mkdir_p(dir);
		}
	}
	st = recovery_write_to(nb, path, err);
	if (st != CT_OK)
		return st;
done:
	if (used && used_size)
		snprintf(used, used_size, "%s", path);
	return CT_OK;
}

void recovery_free(struct recovery **recp)
{
	struct recovery *rec = recp ? *recp : NULL;
	if (!rec)
		return;
	for (size_t i = 0; i < rec->ncells; i++) {
		for (size_t t = 0; t < rec->cells[i].ntags; t++)
			free(rec->cells[i].tags[t]);
		free(rec->cells[i].tags);
		free(rec->cells[i].id);
	}
	free(rec->cells);
	free(rec->path);
	free(rec);
	*recp = NULL;
}

enum ct_status recovery_from_notebook(const struct notebook *nb, struct recovery **out,
                                      struct ct_error *err)
{
	struct recovery *rec = calloc(1, sizeof *rec);
	*out = NULL;
	if (!rec || !(rec->path = strdup(nb->path)))
		goto nomem;
	rec->hash = notebook_hash(nb);
	rec->version = 2;
	for (size_t i = 0; i < nb->ncells; i++) {
		const struct nb_cell *c = &nb->cells[i];
		if (!cell_edited(c))
			continue;
		struct recovery_cell *cells = realloc(rec->cells, (rec->ncells + 1) * sizeof *cells);
		if (!cells)
			goto nomem;
		rec->cells = cells;
		struct recovery_cell *rc = &cells[rec->ncells++];
		memset(rc, 0, sizeof *rc);
		rc->index = c->index;
		if (c->id && c->id[0] && !(rc->id = strdup(c->id)))
			goto nomem;
		if (c->ntags && !(rc->tags = calloc(c->ntags, sizeof *rc->tags)))
			goto nomem;
		for (; rc->ntags < c->ntags; rc->ntags++)
			if (!(rc->tags[rc->ntags] = strdup(c->tags[rc->ntags])))
				goto nomem;
	}
	*out = rec;
	return CT_OK;
nomem:
	recovery_free(&rec);
	return ct_error_set(err, CT_NOMEM, nb->path, "out of memory");
}

enum ct_status recovery_read(const char *path, struct recovery **out,
                             struct ct_error *err)
{
	FILE *f = fopen(path, "r");
	struct recovery *rec = NULL;
	char *line = NULL;
	size_t cap = 0, lineno = 0, want_tags = 0;
	ssize_t len;
	enum ct_status st = CT_OK;

	*out = NULL;
	if (!f)
		return ct_error_set(err, errno == ENOENT ? CT_NOTFOUND : CT_IO,
		                    path, "%s", strerror(errno));
	rec = calloc(1, sizeof *rec);
	if (!rec) {
		st = ct_error_set(err, CT_NOMEM, path, "out of memory");
		goto fail;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1) {
			rec->version = strcmp(line, RECOVERY_MAGIC) == 0 ? 2
			               : strcmp(line, RECOVERY_MAGIC_V1) == 0 ? 1 : 0;
			if (!rec->version) {
				st = ct_error_set_at(err, CT_FORMAT, path, 1, 1,
				                     "not a celltag recovery file");
				goto fail;
			}
		} else if (strncmp(line, "path ", 5) == 0) {
			free(rec->path);
			rec->path = strdup(line + 5);
			if (!rec->path)
				goto nomem;
			unescape(rec->path);
		} else if (strncmp(line, "hash ", 5) == 0) {
			rec->hash = strtoull(line + 5, NULL, 16);
		} else if (strncmp(line, "cell ", 5) == 0) {
			char id[512];
			size_t idx, nt;
			if (want_tags || sscanf(line + 5, "%zu %511s %zu", &idx, id, &nt) != 3)
				goto syntax;
			struct recovery_cell *cells = realloc(rec->cells,
			        (rec->ncells + 1) * sizeof *cells);
			if (!cells)
				goto nomem;
			rec->cells = cells;
			struct recovery_cell *c = &cells[rec->ncells++];
			memset(c, 0, sizeof *c);
			c->index = idx;
			if (strcmp(id, "-") != 0) {
				if (!(c->id = strdup(id)))
					goto nomem;
				unescape(c->id);
			}
			if (nt > 100000)
				goto syntax;
			if (nt && !(c->tags = calloc(nt, sizeof *c->tags)))
				goto nomem;
			want_tags = nt;
		} else if (strncmp(line, "tag ", 4) == 0) {
			struct recovery_cell *c;
			if (!want_tags || rec->ncells == 0)
				goto syntax;
			c = &rec->cells[rec->ncells - 1];
			if (!(c->tags[c->ntags] = strdup(line + 4)))
				goto nomem;
			unescape(c->tags[c->ntags++]);
			want_tags--;
		} else if (len > 0)
			goto syntax;
	}
	if (lineno == 0 || want_tags || !rec->path)
		goto syntax_eof;
	free(line);
	fclose(f);
	*out = rec;
	return CT_OK;
syntax_eof:
	st = ct_error_set(err, CT_FORMAT, path, "truncated recovery file");
	goto fail;
syntax:
	st = ct_error_set_at(err, CT_FORMAT, path, (long)lineno, 1,
	                     "malformed recovery line");
	goto fail;
nomem:
	st = ct_error_set(err, CT_NOMEM, path, "out of memory");
fail:
	free(line);
	fclose(f);
	recovery_free(&rec);
	return st;
}

bool recovery_matches(const struct recovery *rec, const struct notebook *nb)
{
	return rec->hash == (rec->version == 1 ? notebook_hash_legacy(nb) : notebook_hash(nb));
}

/* Put one recorded tag list back: its cell found by id when recorded,
 * else by index.  *changed tells whether the list changed. */
static enum ct_status apply_cell(const struct recovery_cell *rc, struct notebook *nb,
                                 bool *changed, struct ct_error *err)
{
	size_t idx = rc->index;

	*changed = false;
	if (rc->id) {
		char spec[600];
		snprintf(spec, sizeof spec, "id:%s", rc->id);
		enum ct_status st = notebook_find_cell(nb, spec, &idx, err);
		if (st != CT_OK)
			return st;
	} else if (idx >= nb->ncells)
		return ct_error_set(err, CT_CELL, nb->path, "no cell %zu", idx);
	return notebook_tags_set(nb, idx, (const char *const *)rc->tags, rc->ntags, changed,
	                         err);
}

enum ct_status recovery_apply(const struct recovery *rec, struct notebook *nb,
                              size_t *napplied, struct ct_error *err)
{
	size_t count = 0;
	enum ct_status whole = notebook_require_whole(nb, err);

	if (whole != CT_OK)
		return whole;
	for (size_t i = 0; i < rec->ncells; i++) {
		bool changed;
		enum ct_status st = apply_cell(&rec->cells[i], nb, &changed, err);
		if (st != CT_OK)
			return st;
		count += changed;
	}
	if (napplied)
		*napplied = count;
	return CT_OK;
}

enum ct_status recovery_reapply(const struct recovery *rec, struct notebook *nb,
                                size_t *napplied, size_t *nmissed, struct ct_error *err)
{
	size_t count = 0, missed = 0;
	enum ct_status whole = notebook_require_whole(nb, err);

	if (whole != CT_OK)
		return whole;
	for (size_t i = 0; i < rec->ncells; i++) {
		bool changed;
		struct ct_error e;
		enum ct_status st = apply_cell(&rec->cells[i], nb, &changed, &e);
		if (st == CT_NOMEM)
			return ct_error_set(err, st, nb->path, "%s", e.msg);
		count += st == CT_OK && changed;
		missed += st != CT_OK;
	}
	if (napplied)
		*napplied = count;
	if (nmissed)
		*nmissed = missed;
	return CT_OK;
}
