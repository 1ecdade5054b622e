/* testutil.c - small helpers shared by the core tests. */
#include "testutil.h"

#include <dirent.h>
#include <ftw.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void tu_settle(void)
{
	struct timespec ts = { 0, 40 * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

char *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		if (!r)
			break;
		n += r;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

bool tu_write(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

bool tu_copy(const char *from, const char *to)
{
	size_t n;
	char *d = tu_read(from, &n);
	if (!d)
		return false;
	bool ok = tu_write(to, d, n);
	free(d);
	chmod(to, 0644);
	return ok;
}

char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/celltag-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(char **dir)
{
	if (!dir || !*dir)
		return;
	chmod(*dir, 0700);
	nftw(*dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(*dir);
	*dir = NULL;
}

const char *tu_path(const char *dir, const char *name)
{
	static char bufs[8][4096];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
	return b;
}

int tu_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

const char *tu_corpus_dir(void)
{
	const char *env = getenv("CELLTAG_CORPUS");
	const char *dir = env && *env ? env : "../shared/corpus";
	struct stat st;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}

double tu_cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void tu_tui_env(const char *dir)
{
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TERM", "xterm-256color", 1);
	setenv("HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-celltag-config", 1);
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("TZ", "UTC", 1);
	unsetenv("NO_COLOR");
	unsetenv("CELLTAG_SCRIPT");
	unsetenv("CELLTAG_TIMING");
}

void tu_each_notebook(const char *dir, void (*fn)(const char *path, void *ctx), void *ctx)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	/* names first: fn may open files, and the walk recurses */
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char **more = realloc(names, (n + 1) * sizeof *names);
		size_t need = strlen(dir) + strlen(e->d_name) + 2;
		if (!more || !(more[n] = malloc(need))) {
			names = more ? more : names;
			break;
		}
		names = more;
		snprintf(names[n++], need, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		size_t l = strlen(names[i]);
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
			tu_each_notebook(names[i], fn, ctx);
		else if (l > 6 && strcmp(names[i] + l - 6, ".ipynb") == 0)
			fn(names[i], ctx);
		free(names[i]);
	}
	free(names);
}
