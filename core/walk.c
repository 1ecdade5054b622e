/* walk.c - recursive notebook search (see walk.h). */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WALK_MAX_DEPTH 64

bool walk_skip_name(const char *name)
{
	return name[0] == '.';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static struct walk_entry *push(struct walk_list *l, const char *path,
                               size_t rel_off)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct walk_entry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	struct walk_entry *e = &l->v[l->n];
	memset(e, 0, sizeof *e);
	if (!(e->path = strdup(path)))
		return NULL;
	e->rel = e->path + rel_off;
	l->n++;
	return e;
}

static enum ct_status walk_dir(const char *dir, size_t rel_off, int depth,
                               struct walk_list *l, struct ct_error *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		struct walk_entry *e = push(l, dir, rel_off);
		if (!e)
			return ct_error_set(err, CT_NOMEM, NULL, "out of memory");
		ct_error_set(&e->error, errno == ENOENT ? CT_NOTFOUND : CT_IO,
		             dir, "cannot read folder: %s", strerror(errno));
		return CT_OK;
	}
	size_t dl = strlen(dir);
	bool slash = dl > 0 && dir[dl - 1] == '/';
	struct dirent *de;
	enum ct_status st = CT_OK;
	while ((de = readdir(d))) {
		if (walk_skip_name(de->d_name))
			continue;
		size_t nl = strlen(de->d_name);
		char *path = malloc(dl + nl + 2);
		if (!path) {
			st = ct_error_set(err, CT_NOMEM, NULL, "out of memory");
			break;
		}
		memcpy(path, dir, dl);
		size_t p = dl;
		if (!slash)
			path[p++] = '/';
		memcpy(path + p, de->d_name, nl + 1);

		bool is_dir = de->d_type == DT_DIR;
		bool is_file = de->d_type == DT_REG || de->d_type == DT_LNK;
		if (de->d_type == DT_UNKNOWN) {
			struct stat sb;
			if (lstat(path, &sb) == 0) {
				is_dir = S_ISDIR(sb.st_mode);
				is_file = !is_dir;
			}
		}
		if (is_dir && depth < WALK_MAX_DEPTH) {
			st = walk_dir(path, rel_off, depth + 1, l, err);
		} else if (is_file && ends_with(de->d_name, ".ipynb")) {
			if (!push(l, path, rel_off))
				st = ct_error_set(err, CT_NOMEM, NULL,
				                  "out of memory");
		}
		free(path);
		if (st != CT_OK)
			break;
	}
	closedir(d);
	return st;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct walk_entry *x = a, *y = b;
	return strcmp(x->path, y->path);
}

enum ct_status walk_collect(const char *root, struct walk_list *list,
                            struct ct_error *err)
{
	size_t start = list->n;
	struct stat sb;
	enum ct_status st = CT_OK;

	list->root_is_dir = false;
	if (stat(root, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		size_t rl = strlen(root);
		list->root_is_dir = true;
		st = walk_dir(root, rl + (rl > 0 && root[rl - 1] != '/'), 0,
		              list, err);
	} else {
		/* A file, or something missing: notebook_load reports it. */
		if (!push(list, root, 0))
			return ct_error_set(err, CT_NOMEM, NULL, "out of memory");
	}
	if (list->n > start)
		qsort(list->v + start, list->n - start, sizeof *list->v,
		      entry_cmp);
	return st;
}

void walk_list_sort(struct walk_list *list)
{
	if (list->n < 2)
		return;
	qsort(list->v, list->n, sizeof *list->v, entry_cmp);
	size_t n = 1;
	for (size_t i = 1; i < list->n; i++) {
		if (strcmp(list->v[i].path, list->v[n - 1].path) == 0)
			free(list->v[i].path);
		else
			list->v[n++] = list->v[i];
	}
	list->n = n;
}

void walk_list_free(struct walk_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i].path);
	free(list->v);
	memset(list, 0, sizeof *list);
}
