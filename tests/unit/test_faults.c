/* test_faults.c - saving under faults: full disk, file size limit,
 * permissions, vanished folders, symlinks, SIGKILL at every step of a save,
 * changes made by other programs, and two celltag processes racing.
 *
 * Every fault runs in a forked child (so rlimits, privileges, mounts and
 * SIGKILL stay there) that loads, edits and saves, and reports its
 * struct ct_error through a pipe.  The parent then checks the promise of
 * save.h: the notebook on disk is the complete old or the complete new file,
 * never a mix and never empty; no temporary file is left behind (only a
 * SIGKILLed save may leave one, named .NAME.celltag-XXXXXX); the error is one
 * clear line naming the file.
 *
 * Tests run as root in CI: root ignores permission bits, so the permission
 * tests drop to uid/gid 65534 in the child after giving it the files.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "notebook.h"
#include "save.h"
#include "status.h"

#define NOBODY 65534

/* ---- helpers ----------------------------------------------------------- */

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static void faults_setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/celltag-faults-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
	chmod(tmpdir, 0755);
}

static void faults_teardown(void)
{
	if (tmpdir[0])
		nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* "dir/name" in one of a few rotating buffers (enough for one statement
 * and the variables a test keeps). */
static char *path_in(const char *dir, const char *name)
{
	static char bufs[16][4096];
	static int k;
	char tmp[4096];
	char *b = bufs[k++ % 16];
	snprintf(tmp, sizeof tmp, "%s/%s", dir, name);
	memcpy(b, tmp, sizeof tmp);
	return b;
}

/* A notebook in nbformat's layout with `ncells` code cells whose source
 * has about `srclen` bytes; cell 0 has a tags key, the others none. */
static char *make_notebook(size_t ncells, size_t srclen, size_t *len)
{
	size_t cap = 256 + ncells * (srclen + 256);
	char *s = malloc(cap), *p = s;
	cr_assert_not_null(s);
	p += sprintf(p, "{\n \"cells\": [\n");
	for (size_t i = 0; i < ncells; i++) {
		p += sprintf(p, "  {\n   \"cell_type\": \"code\",\n"
		             "   \"execution_count\": null,\n"
		             "   \"id\": \"cell-%zu\",\n   \"metadata\": {%s},\n"
		             "   \"outputs\": [],\n   \"source\": [\n    \"",
		             i, i == 0 ? "\n    \"tags\": [\n     \"old\"\n    ]\n   " : "");
		for (size_t k = 0; k < srclen; k++)
			*p++ = (char)('a' + (i + k) % 26);
		p += sprintf(p, "\"\n   ]\n  }%s\n", i + 1 < ncells ? "," : "");
	}
	p += sprintf(p, " ],\n \"metadata\": {},\n \"nbformat\": 4,\n"
	             " \"nbformat_minor\": 5\n}\n");
	*len = (size_t)(p - s);
	return s;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "fopen %s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *s = malloc(cap);
	size_t r;
	while ((r = fread(s + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			s = realloc(s, cap *= 2);
	}
	fclose(f);
	*len = n;
	return s;
}

static bool file_equals(const char *path, const char *data, size_t len)
{
	size_t n;
	char *s = read_file(path, &n);
	bool eq = s && n == len && memcmp(s, data, len) == 0;
	free(s);
	return eq;
}

/* Names in `dir` other than the expected ones; the leftover celltag temp
 * files (.NAME.celltag-XXXXXX) are counted in *temps when temps != NULL,
 * otherwise they are failures too. */
static int stray_files(const char *dir, const char *const *expected,
                       size_t nexpected, int *temps, char *first, size_t size)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "opendir %s: %s", dir, strerror(errno));
	struct dirent *e;
	int stray = 0;
	if (temps)
		*temps = 0;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		bool ok = false;
		for (size_t i = 0; i < nexpected; i++)
			ok = ok || strcmp(e->d_name, expected[i]) == 0;
		if (ok)
			continue;
		if (temps && fnmatch(".*.celltag-??????", e->d_name, FNM_PERIOD) == 0) {
			(*temps)++;
			continue;
		}
		if (stray++ == 0 && first)
			snprintf(first, size, "%s", e->d_name);
	}
	closedir(d);
	return stray;
}

#define assert_no_strays(dir, ...) do { \
		const char *const exp_[] = { __VA_ARGS__ }; \
		char first_[256] = ""; \
		int n_ = stray_files(dir, exp_, sizeof exp_ / sizeof exp_[0], \
		                     NULL, first_, sizeof first_); \
		cr_assert_eq(n_, 0, "%d unexpected file(s) in %s, e.g. '%s'", \
		             n_, dir, first_); \
	} while (0)

static void remove_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (fnmatch(".*.celltag-??????", e->d_name, FNM_PERIOD) == 0)
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
}

/* What a child reports. */
struct child_report {
	enum ct_status status;
	struct ct_error err;
	int step_reached;       /* last save step seen by the hook, -1 none */
	char note[256];         /* setup problem in the child, "" if none */
};

typedef void (*child_fn)(struct child_report *r, void *ctx);

/* Run fn in a child; return its wait status, fill *r from the pipe. */
static int run_child(child_fn fn, void *ctx, struct child_report *r)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		struct child_report mine;
		memset(&mine, 0, sizeof mine);
		mine.step_reached = -1;
		mine.status = CT_STATUS_COUNT;
		/* The hook may SIGKILL us: report progress as we go. */
		r = &mine;
		fn(r, ctx);
		ssize_t w = write(fds[1], r, sizeof *r);
		(void)w;
		_exit(0);
	}
	close(fds[1]);
	memset(r, 0, sizeof *r);
	r->status = CT_STATUS_COUNT;
	r->step_reached = -1;
	ssize_t n = read(fds[0], r, sizeof *r);
	close(fds[0]);
	int ws;
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	if (n != (ssize_t)sizeof *r)
		r->status = CT_STATUS_COUNT;   /* died before reporting */
	return ws;
}

/* Load `path`, add `tag` to cell 0, save with `opts`. */
static enum ct_status load_tag_save(const char *path, const char *tag,
                                    const struct save_options *opts,
                                    struct ct_error *err)
{
	struct notebook *nb = NULL;
	enum ct_status st = notebook_load(path, &nb, err);
	if (st != CT_OK)
		return st;
	st = notebook_tag_add(nb, 0, tag, NULL, err);
	if (st == CT_OK)
		st = notebook_save(&nb, opts, false, err);
	notebook_free(&nb);
	return st;
}

/* The bytes a successful load+tag+save would write. */
static char *expected_after_tag(const char *path, const char *tag, size_t *len)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	char *out = NULL;
	cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_add(nb, 0, tag, NULL, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_render(nb, &out, len, &err), CT_OK, "%s", err.msg);
	notebook_free(&nb);
	return out;
}

/* Wait until the coarse clock has passed the file's ctime, so a load now
 * finds it settled (notebook.h: nb_fileinfo.ctime_settled): the save then
 * trusts an equal ctime instead of comparing the bytes. */
static void settle(const char *path)
{
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	for (int i = 0; i < 2000; i++) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (now.tv_sec > sb.st_ctim.tv_sec ||
		    (now.tv_sec == sb.st_ctim.tv_sec && now.tv_nsec > sb.st_ctim.tv_nsec))
			return;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	cr_assert_fail("the coarse clock never passed the file's ctime");
}

/* The error of a failed save is one line naming the file. */
static void assert_clear_error(const struct ct_error *e, const char *path)
{
	char buf[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX + 64];
	cr_assert_neq(e->status, CT_OK);
	cr_assert_neq(e->msg[0], '\0', "empty error message");
	cr_assert_null(strchr(e->msg, '\n'), "multi-line message: %s", e->msg);
	cr_assert_str_eq(e->path, path, "error names '%s', not '%s'", e->path,
	                 path);
	ct_error_format(e, buf, sizeof buf);
	cr_assert(strncmp(buf, path, strlen(path)) == 0,
	          "formatted error '%s' does not start with the path", buf);
	(void)buf;
}

struct save_ctx {
	const char *path;
	const char *tag;
	int kill_step;          /* see struct hook_ctx */
	rlim_t fsize;           /* RLIMIT_FSIZE, 0 none */
	bool drop_privs;
	bool force;
};

struct hook_ctx {
	struct child_report *r;
	int kill_step;          /* raise SIGKILL after this step, -1 never */
};

static void step_hook(enum save_step step, void *vctx)
{
	struct hook_ctx *h = vctx;
	h->r->step_reached = (int)step;
	if ((int)step == h->kill_step)
		raise(SIGKILL);
}

static void child_save(struct child_report *r, void *vctx)
{
	struct save_ctx *c = vctx;
	if (c->fsize) {
		struct rlimit rl = { c->fsize, c->fsize };
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			snprintf(r->note, sizeof r->note, "setrlimit: %s", strerror(errno));
	}
	if (c->drop_privs && geteuid() == 0) {
		if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
		    setuid(NOBODY) != 0) {
			snprintf(r->note, sizeof r->note, "drop privileges: %s",
			         strerror(errno));
			return;
		}
	}
	struct hook_ctx h = { r, c->kill_step };
	struct save_options opts = { .force = c->force, .step_hook = step_hook,
	                             .step_ctx = &h };
	r->status = load_tag_save(c->path, c->tag, &opts, &r->err);
}

static struct child_report save_in_child(struct save_ctx *c)
{
	struct child_report r;
	int ws = run_child(child_save, c, &r);
	cr_assert(WIFEXITED(ws) || c->kill_step >= 0,
	          "child died: signal %d", WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
	cr_assert_eq(r.note[0], '\0', "child setup: %s", r.note);
	return r;
}

/* ---- full disk and file size limit ------------------------------------- */

TestSuite(faults, .init = faults_setup, .fini = faults_teardown, .timeout = 60);

Test(faults, rlimit_fsize_during_save)
{
	size_t len;
	char *orig = make_notebook(300, 1000, &len);   /* ~400 KB */
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);

	/* Stop the write halfway (and, separately, at the very first byte),
	 * from memory and, once the file is settled, copied in the kernel. */
	rlim_t limits[] = { len / 2, 1, len - 1, len / 2, 1, len - 1 };
	for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
		if (k == 3)
			settle(nbp);
		struct save_ctx c = { .path = nbp, .tag = "new", .kill_step = -1,
		                      .fsize = limits[k] };
		struct child_report r = save_in_child(&c);
		cr_assert_eq(r.status, CT_WRITE, "limit %lu: status %s (%s)",
		             (unsigned long)limits[k], ct_status_name(r.status),
		             r.err.msg);
		assert_clear_error(&r.err, nbp);
		cr_assert(file_equals(nbp, orig, len),
		          "limit %lu: the original changed", (unsigned long)limits[k]);
		assert_no_strays(tmpdir, "nb.ipynb");
	}
	free(orig);
}

Test(faults, write_fd_to_dev_full)
{
	size_t len;
	char *orig = make_notebook(10, 100, &len);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load_buffer(orig, len, "full.ipynb", &nb, &err), CT_OK);
	int fd = open("/dev/full", O_WRONLY);
	if (fd < 0) {
		notebook_free(&nb);
		free(orig);
		cr_skip_test("skipped: /dev/full: %s", strerror(errno));
	}
	enum ct_status st = notebook_write_fd(nb, fd, "/dev/full", &err);
	close(fd);
	cr_assert_eq(st, CT_WRITE, "status %s", ct_status_name(st));
	cr_assert(strstr(err.msg, "space") != NULL,
	          "message does not say the disk is full: %s", err.msg);
	notebook_free(&nb);
	free(orig);
}

/* A real full file system: a 1 MiB tmpfs mounted in a private mount
 * namespace of this test process (needs CAP_SYS_ADMIN; skipped without). */
Test(faults, disk_full_tmpfs)
{
	char *mnt = path_in(tmpdir, "small");
	cr_assert_eq(mkdir(mnt, 0755), 0);
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", mnt, "tmpfs", 0, "size=1m") != 0) {
		cr_skip_test("skipped: cannot mount a small tmpfs: %s", strerror(errno));
	}
	size_t len;
	char *orig = make_notebook(250, 1000, &len);  /* ~300 KB: two fit */
	char *nbp = path_in(mnt, "nb.ipynb");
	char *fill = path_in(mnt, "filler");
	/* Both ways of writing: from memory, and copied in the kernel from a
	 * settled file (notebook.h: ctime_settled; tmpfs is local). */
	for (int settled = 0; settled < 2; settled++) {
		write_file(nbp, orig, len);
		/* Fill the rest so the temporary copy cannot be written whole. */
		FILE *f = fopen(fill, "wb");
		cr_assert_not_null(f);
		static char zeros[4096];
		while (fwrite(zeros, 1, sizeof zeros, f) == sizeof zeros && fflush(f) == 0)
			;
		fclose(f);
		if (settled)
			settle(nbp);

		struct ct_error err;
		size_t copied = 0;
		struct save_options o = { .copied = &copied };
		enum ct_status st = load_tag_save(nbp, "new", &o, &err);
		cr_assert_eq(st, CT_WRITE, "settled %d: status %s (%s)", settled,
		             ct_status_name(st), err.msg);
		assert_clear_error(&err, nbp);
		cr_assert(strstr(err.msg, "space") != NULL, "message: %s", err.msg);
		cr_assert(file_equals(nbp, orig, len), "settled %d: the original changed", settled);
		assert_no_strays(mnt, "nb.ipynb", "filler");

		/* Once there is room again the same save works. */
		cr_assert_eq(unlink(fill), 0);
		if (settled)
			settle(nbp);
		st = load_tag_save(nbp, "new", &o, &err);
		cr_assert_eq(st, CT_OK, "settled %d: after freeing space: %s", settled, err.msg);
		if (settled)
			cr_assert_gt(copied, len / 2, "tmpfs: the settled save was not copied in the kernel");
		assert_no_strays(mnt, "nb.ipynb");
	}
	umount(mnt);
	free(orig);
}

/* ---- permissions -------------------------------------------------------- */

/* Give the child (uid 65534 when we are root) a read-only folder holding a
 * writable notebook: the temporary file cannot be created. */
Test(faults, folder_not_writable)
{
	size_t len;
	char *orig = make_notebook(5, 50, &len);
	char *dir = path_in(tmpdir, "ro");
	char *nbp = path_in(dir, "nb.ipynb");
	cr_assert_eq(mkdir(dir, 0755), 0);
	write_file(nbp, orig, len);
	if (geteuid() == 0)
		cr_assert_eq(chown(nbp, NOBODY, NOBODY), 0);
	cr_assert_eq(chmod(nbp, 0644), 0);
	cr_assert_eq(chmod(dir, 0555), 0);

	struct save_ctx c = { .path = nbp, .tag = "new", .kill_step = -1,
	                      .drop_privs = true };
	struct child_report r = save_in_child(&c);
	chmod(dir, 0755);
	cr_assert(r.status == CT_WRITE || r.status == CT_READONLY,
	          "status %s (%s)", ct_status_name(r.status), r.err.msg);
	assert_clear_error(&r.err, nbp);
	cr_log_info("folder not writable: %s", r.err.msg);
	cr_assert(strstr(r.err.msg, "ermission") != NULL,
	          "message does not say why: %s", r.err.msg);
	cr_assert(file_equals(nbp, orig, len), "the original changed");
	assert_no_strays(dir, "nb.ipynb");
	free(orig);
}

/* A read-only notebook in a writable folder: a rename would replace it, so
 * celltag must refuse, as the file's mode says. */
Test(faults, file_read_only)
{
	size_t len;
	char *orig = make_notebook(5, 50, &len);
	char *dir = path_in(tmpdir, "rw");
	char *nbp = path_in(dir, "nb.ipynb");
	cr_assert_eq(mkdir(dir, 0755), 0);
	write_file(nbp, orig, len);
	if (geteuid() == 0)
		cr_assert_eq(chown(dir, NOBODY, NOBODY), 0);
	cr_assert_eq(chmod(nbp, 0444), 0);

	struct save_ctx c = { .path = nbp, .tag = "new", .kill_step = -1,
	                      .drop_privs = true };
	struct child_report r = save_in_child(&c);
	cr_assert(r.status == CT_READONLY || r.status == CT_WRITE,
	          "status %s (%s)", ct_status_name(r.status), r.err.msg);
	assert_clear_error(&r.err, nbp);
	cr_assert(file_equals(nbp, orig, len), "the original changed");
	struct stat sb;
	cr_assert_eq(stat(nbp, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0444, "mode changed to %o",
	             sb.st_mode & 07777);
	assert_no_strays(dir, "nb.ipynb");
	free(orig);
}

/* The mode (and owner) of the notebook survive a save. */
Test(faults, mode_kept)
{
	size_t len;
	char *orig = make_notebook(5, 50, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	cr_assert_eq(chmod(nbp, 0640), 0);
	if (geteuid() == 0)
		cr_assert_eq(chown(nbp, NOBODY, NOBODY), 0);
	struct ct_error err;
	cr_assert_eq(load_tag_save(nbp, "new", NULL, &err), CT_OK, "%s", err.msg);
	struct stat sb;
	cr_assert_eq(stat(nbp, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0640, "mode %o", sb.st_mode & 07777);
	if (geteuid() == 0)
		cr_assert(sb.st_uid == NOBODY && sb.st_gid == NOBODY,
		          "owner %d:%d", (int)sb.st_uid, (int)sb.st_gid);
	free(orig);
}

/* ---- the folder or the file vanish -------------------------------------- */

Test(faults, folder_removed_under_us)
{
	size_t len;
	char *orig = make_notebook(5, 50, &len);
	char *dir = path_in(tmpdir, "gone");
	char *nbp = path_in(dir, "nb.ipynb");
	cr_assert_eq(mkdir(dir, 0755), 0);
	write_file(nbp, orig, len);

	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(nbp, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);
	cr_assert_eq(unlink(nbp), 0);
	cr_assert_eq(rmdir(dir), 0);

	enum ct_status st = notebook_save(&nb, NULL, false, &err);
	cr_assert(st == CT_NOTFOUND || st == CT_CONFLICT || st == CT_WRITE ||
	          st == CT_IO, "status %s (%s)", ct_status_name(st), err.msg);
	assert_clear_error(&err, nbp);
	cr_assert_not_null(nb, "the notebook must survive a failed save");
	cr_assert(notebook_modified(nb), "edits lost by a failed save");
	struct stat sb;
	cr_assert_neq(stat(dir, &sb), 0, "the folder was re-created");
	assert_no_strays(tmpdir);
	notebook_free(&nb);
	free(orig);
}

Test(faults, file_removed_under_us)
{
	size_t len;
	char *orig = make_notebook(5, 50, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(nbp, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);
	cr_assert_eq(unlink(nbp), 0);
	enum ct_status st = notebook_save(&nb, NULL, false, &err);
	cr_assert(st == CT_CONFLICT || st == CT_NOTFOUND, "status %s (%s)",
	          ct_status_name(st), err.msg);
	assert_clear_error(&err, nbp);
	assert_no_strays(tmpdir);
	notebook_free(&nb);
	free(orig);
}

/* ---- symlinks ----------------------------------------------------------- */

static void check_symlink_save(const char *link, const char *target,
                               const char *link_text)
{
	size_t len, nlen;
	char *orig = read_file(target, &len);
	char *want = expected_after_tag(link, "new", &nlen);
	struct ct_error err;
	cr_assert_eq(load_tag_save(link, "new", NULL, &err), CT_OK, "%s", err.msg);
	struct stat sb;
	cr_assert_eq(lstat(link, &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode), "%s is no longer a symlink", link);
	char buf[4096];
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_str_eq(buf, link_text, "the link now points to %s", buf);
	cr_assert(file_equals(target, want, nlen), "the target was not written");
	cr_assert(!file_equals(target, orig, len), "nothing changed");
	free(orig);
	free(want);
}

Test(faults, symlink_kept_target_written)
{
	size_t len;
	char *orig = make_notebook(5, 50, &len);
	char *real = path_in(tmpdir, "real");
	char *links = path_in(tmpdir, "links");
	cr_assert_eq(mkdir(real, 0755), 0);
	cr_assert_eq(mkdir(links, 0755), 0);
	char target[4096], link1[4096], link2[4096];
	snprintf(target, sizeof target, "%s/nb.ipynb", real);
	snprintf(link1, sizeof link1, "%s/rel.ipynb", links);
	snprintf(link2, sizeof link2, "%s/chain.ipynb", links);
	write_file(target, orig, len);

	/* relative link into another folder */
	cr_assert_eq(symlink("../real/nb.ipynb", link1), 0);
	check_symlink_save(link1, target, "../real/nb.ipynb");
	/* a chain: link -> link -> file */
	cr_assert_eq(symlink("rel.ipynb", link2), 0);
	write_file(target, orig, len);
	check_symlink_save(link2, target, "rel.ipynb");
	struct stat sb;
	cr_assert_eq(lstat(link1, &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode), "the inner link was replaced");
	/* absolute link */
	char *abs = path_in(links, "abs.ipynb");
	cr_assert_eq(symlink(target, abs), 0);
	write_file(target, orig, len);
	check_symlink_save(abs, target, target);

	assert_no_strays(real, "nb.ipynb");
	assert_no_strays(links, "rel.ipynb", "chain.ipynb", "abs.ipynb");
	free(orig);
}

/* ---- SIGKILL at every step of a save ------------------------------------ */

Test(faults, sigkill_at_every_step)
{
	size_t len, nlen;
	char *orig = make_notebook(300, 1000, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	char *want = expected_after_tag(nbp, "new", &nlen);
	int leftovers = 0, cleaned = 0;

	for (int step = SAVE_STEP_LOCKED; step <= SAVE_STEP_DONE; step++) {
		write_file(nbp, orig, len);
		struct save_ctx c = { .path = nbp, .tag = "new", .kill_step = step };
		struct child_report r;
		int ws = run_child(child_save, &c, &r);
		cr_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL,
		          "step %d: the child was not killed (hook never reached?)",
		          step);

		size_t n;
		char *now = read_file(nbp, &n);
		cr_assert_not_null(now, "step %d: the notebook is gone", step);
		cr_assert_gt(n, 0, "step %d: the notebook is empty", step);
		bool is_old = n == len && memcmp(now, orig, len) == 0;
		bool is_new = n == nlen && memcmp(now, want, nlen) == 0;
		free(now);
		cr_assert(is_old || is_new, "step %d: a mix of old and new", step);
		if (step < SAVE_STEP_RENAMED)
			cr_assert(is_old, "step %d: new content before the rename", step);
		else
			cr_assert(is_new, "step %d: old content after the rename", step);

		const char *exp[] = { "nb.ipynb" };
		int temps;
		char first[256] = "";
		cr_assert_eq(stray_files(tmpdir, exp, 1, &temps, first, sizeof first),
		             0, "step %d: unexpected file '%s'", step, first);
		if (temps == 0)
			continue;
		leftovers++;
		/* Does the next save clean the leftover up? */
		struct ct_error err;
		write_file(nbp, orig, len);
		cr_assert_eq(load_tag_save(nbp, "new", NULL, &err), CT_OK,
		             "step %d: the next save fails: %s", step, err.msg);
		stray_files(tmpdir, exp, 1, &temps, NULL, 0);
		/* save.h step 4: a later save removes what a killed one left */
		cr_expect_eq(temps, 0, "step %d: the next save left %d stale "
		             "temporary file(s)", step, temps);
		if (temps == 0)
			cleaned++;
		else
			remove_temps(tmpdir);
	}
	fprintf(stderr, "faults.sigkill_at_every_step: %d of %d kills left a "
	        "temp file; the next save removed %d of them\n", leftovers,
	        SAVE_STEP_DONE - SAVE_STEP_LOCKED + 1, cleaned);
	free(orig);
	free(want);
}

/* ---- changes by other programs ----------------------------------------- */

enum change { SAME_SIZE_SAME_MTIME, SIZE, MTIME_ONLY, REPLACED, APPENDED };

static void change_file(const char *path, enum change how, size_t at)
{
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	struct timespec times[2] = { sb.st_atim, sb.st_mtim };
	switch (how) {
	case SAME_SIZE_SAME_MTIME: {
		/* one byte of a source string, in place, then the old mtime back */
		int fd = open(path, O_RDWR);
		cr_assert_geq(fd, 0);
		char ch;
		cr_assert_eq(pread(fd, &ch, 1, (off_t)at), 1);
		ch = ch == 'x' ? 'y' : 'x';
		cr_assert_eq(pwrite(fd, &ch, 1, (off_t)at), 1);
		close(fd);
		cr_assert_eq(utimensat(AT_FDCWD, path, times, 0), 0);
		break;
	}
	case SIZE: case APPENDED: {
		FILE *f = fopen(path, "ab");
		fputs(how == SIZE ? " " : "\n", f);
		fclose(f);
		if (how == SIZE)
			cr_assert_eq(utimensat(AT_FDCWD, path, times, 0), 0);
		break;
	}
	case MTIME_ONLY:
		times[1].tv_sec += 1;
		cr_assert_eq(utimensat(AT_FDCWD, path, times, 0), 0);
		break;
	case REPLACED: {
		/* same bytes and times, new inode (an editor's rename-save) */
		size_t n;
		char *s = read_file(path, &n);
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.other", path);
		write_file(tmp, s, n);
		cr_assert_eq(utimensat(AT_FDCWD, tmp, times, 0), 0);
		cr_assert_eq(rename(tmp, path), 0);
		free(s);
		break;
	}
	}
}

static void expect_conflict_when(enum change how, size_t at, const char *what, bool settled)
{
	size_t len;
	char *orig = make_notebook(20, 200, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	if (settled)
		settle(nbp);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(nbp, &nb, &err), CT_OK, "%s", err.msg);
	if (settled)
		cr_assert(nb->file.ctime_settled, "%s: loaded after the clock passed its ctime, "
		          "but not settled", what);
	cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);

	change_file(nbp, how, at);
	size_t clen;
	char *changed = read_file(nbp, &clen);

	cr_assert_eq(notebook_check_disk(nb, &err), CT_CONFLICT,
	             "%s: check_disk did not see it", what);
	enum ct_status st = notebook_save(&nb, NULL, false, &err);
	cr_assert_eq(st, CT_CONFLICT, "%s (offset %zu): status %s", what, at,
	             ct_status_name(st));
	assert_clear_error(&err, nbp);
	cr_assert(file_equals(nbp, changed, clen),
	          "%s: the other program's version was overwritten", what);
	assert_no_strays(tmpdir, "nb.ipynb");

	/* --force overwrites it on purpose. */
	struct save_options force = { .force = true };
	cr_assert_eq(notebook_save(&nb, &force, false, &err), CT_OK,
	             "%s: forced save: %s", what, err.msg);
	assert_no_strays(tmpdir, "nb.ipynb");
	notebook_free(&nb);
	free(orig);
	free(changed);
}

/* Both ways: loaded right after writing (the save compares the bytes) and
 * loaded once settled (the save trusts the ctime, which the change moved). */
static void expect_conflict(enum change how, size_t at, const char *what)
{
	expect_conflict_when(how, at, what, false);
	expect_conflict_when(how, at, what, true);
}

Test(faults, conflict_same_size_same_mtime)
{
	/* Every time, wherever the change is: a few hundred offsets inside
	 * sources (a..z letters) all over the file. */
	size_t len;
	char *probe = make_notebook(20, 200, &len);
	int n = 0;
	for (size_t at = 0; at < len; at += 37) {
		if (probe[at] < 'a' || probe[at] > 'z')
			continue;
		expect_conflict_when(SAME_SIZE_SAME_MTIME, at, "same size and mtime", false);
		if (n % 8 == 0)
			expect_conflict_when(SAME_SIZE_SAME_MTIME, at, "same size and mtime, settled",
			                     true);
		n++;
	}
	cr_assert_gt(n, 50);
	free(probe);
}

/* ---- the settled-ctime save: copied in the kernel, checked by ctime ----- */

struct change_ctx {
	const char *path;
	size_t at;
	int when;               /* save step at which to change the file */
};

static void change_at_step(enum save_step step, void *vctx)
{
	struct change_ctx *c = vctx;
	if ((int)step == c->when)
		change_file(c->path, SAME_SIZE_SAME_MTIME, c->at);
}

/* nb.ipynb, 300 cells (unchanged spans above the 256 KB of a kernel copy),
 * written, settled, loaded; *orig gets its bytes. */
static struct notebook *load_settled(char **orig, size_t *len, char **nbp)
{
	*orig = make_notebook(300, 1000, len);
	*nbp = path_in(tmpdir, "nb.ipynb");
	write_file(*nbp, *orig, *len);
	settle(*nbp);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(*nbp, &nb, &err), CT_OK, "%s", err.msg);
	cr_assert(nb->file.ctime_settled);
	return nb;
}

Test(faults, settled_file_is_copied_in_the_kernel)
{
	size_t len, nlen;
	char *orig, *nbp;
	struct notebook *nb = load_settled(&orig, &len, &nbp);
	char *want = expected_after_tag(nbp, "new", &nlen);
	struct ct_error err;
	cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);
	size_t copied = 0;
	struct save_options o = { .copied = &copied };
	cr_assert_eq(notebook_save(&nb, &o, true, &err), CT_OK, "%s", err.msg);
	cr_assert_gt(copied, len / 2, "only %zu of %zu bytes copied in the kernel", copied, len);
	cr_assert(file_equals(nbp, want, nlen), "the kernel copy wrote other bytes");

	/* Untag the reloaded file, just written so not settled: this save writes
	 * from memory and compares the bytes; the original comes back. */
	cr_assert_eq(notebook_tag_remove(nb, 0, "new", NULL, &err), CT_OK, "%s", err.msg);
	copied = 1;
	nb->file.ctime_settled = false;   /* as on a fast machine: not settled yet */
	cr_assert_eq(notebook_save(&nb, &o, false, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(copied, 0, "not settled, yet %zu bytes were copied from the file", copied);
	cr_assert(file_equals(nbp, orig, len), "tag then untag did not give back the file");
	notebook_free(&nb);
	assert_no_strays(tmpdir, "nb.ipynb");
	free(orig);
	free(want);
}

Test(faults, settled_file_changed_during_the_copy)
{
	/* Another program rewrites a byte in place (same size, old mtime put
	 * back) after the copy from the file started: the ctime moved, so the
	 * save stops with a conflict and the other version stays. */
	for (int when = SAVE_STEP_LOCKED; when <= SAVE_STEP_TEMP_HALF; when++) {
		size_t len;
		char *orig, *nbp;
		struct notebook *nb = load_settled(&orig, &len, &nbp);
		struct ct_error err;
		cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);
		size_t at = len - 5000;
		while (orig[at] < 'a' || orig[at] > 'z')
			at++;
		struct change_ctx c = { nbp, at, when };
		size_t copied = 0;
		struct save_options o = { .step_hook = change_at_step, .step_ctx = &c,
		                          .copied = &copied };
		enum ct_status st = notebook_save(&nb, &o, false, &err);
		cr_assert_eq(st, CT_CONFLICT, "changed at step %d: status %s", when,
		             ct_status_name(st));
		assert_clear_error(&err, nbp);
		if (when == SAVE_STEP_TEMP_HALF)
			cr_assert_gt(copied, 0, "the change did not land during a kernel copy");
		size_t n;
		char *now = read_file(nbp, &n);
		cr_assert(n == len && memcmp(now, orig, len) != 0 && now[at] != orig[at],
		          "step %d: the other program's change was lost", when);
		free(now);
		assert_no_strays(tmpdir, "nb.ipynb");
		notebook_free(&nb);
		free(orig);
	}
}

Test(faults, settled_file_with_new_mode_is_compared_not_refused)
{
	/* chmod moves the ctime but not the bytes: the save falls back to
	 * comparing them, and succeeds. */
	size_t len, nlen;
	char *orig, *nbp;
	struct notebook *nb = load_settled(&orig, &len, &nbp);
	char *want = expected_after_tag(nbp, "new", &nlen);
	struct ct_error err;
	cr_assert_eq(chmod(nbp, 0640), 0);
	cr_assert_eq(notebook_check_disk(nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);
	size_t copied = 1;
	struct save_options o = { .copied = &copied };
	cr_assert_eq(notebook_save(&nb, &o, false, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(copied, 0);
	cr_assert(file_equals(nbp, want, nlen));
	struct stat sb;
	cr_assert_eq(stat(nbp, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0640);
	notebook_free(&nb);
	free(orig);
	free(want);
}

Test(faults, conflict_size_changed)
{
	expect_conflict(SIZE, 0, "size changed, mtime restored");
	expect_conflict(APPENDED, 0, "appended");
}

Test(faults, conflict_mtime_changed)
{
	expect_conflict(MTIME_ONLY, 0, "mtime changed");
}

Test(faults, conflict_replaced_by_rename)
{
	expect_conflict(REPLACED, 0, "replaced by another inode");
}

Test(faults, no_conflict_when_unchanged)
{
	size_t len;
	char *orig = make_notebook(20, 200, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(nbp, &nb, &err), CT_OK);
	cr_assert_eq(notebook_check_disk(nb, &err), CT_OK, "%s", err.msg);
	cr_assert_eq(notebook_tag_add(nb, 0, "new", NULL, &err), CT_OK);
	cr_assert_eq(notebook_save(&nb, NULL, true, &err), CT_OK, "%s", err.msg);
	/* the reloaded baseline is the new file: a second edit saves too */
	cr_assert_not(notebook_modified(nb));
	cr_assert_eq(notebook_tag_add(nb, 1, "two", NULL, &err), CT_OK);
	cr_assert_eq(notebook_save(&nb, NULL, true, &err), CT_OK, "%s", err.msg);
	notebook_free(&nb);
	free(orig);
}

/* ---- two celltag processes at once -------------------------------------- */

static void racer(const char *nbp, const char *tag, int ready_fd, int go_fd,
                  int result_fd)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	enum ct_status st = notebook_load(nbp, &nb, &err);
	if (st == CT_OK)
		st = notebook_tag_add(nb, 0, tag, NULL, &err);
	char c = 'r';
	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) != 1)
		_exit(100);
	if (st == CT_OK)
		st = notebook_save(&nb, NULL, false, &err);
	int code = (int)st;
	if (write(result_fd, &code, sizeof code) != (ssize_t)sizeof code)
		_exit(101);
	notebook_free(&nb);
	_exit(0);
}

Test(faults, two_processes_save_at_once, .timeout = 120)
{
	size_t len, alen, blen;
	char *orig = make_notebook(200, 1000, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	char *want_a = expected_after_tag(nbp, "from-a", &alen);
	char *want_b = expected_after_tag(nbp, "from-b", &blen);
	int a_wins = 0, b_wins = 0;

	for (int round = 0; round < 30; round++) {
		write_file(nbp, orig, len);
		int ready[2], go[2], res[2];
		cr_assert_eq(pipe(ready), 0);
		cr_assert_eq(pipe(go), 0);
		cr_assert_eq(pipe(res), 0);
		fflush(NULL);
		pid_t pa = fork();
		if (pa == 0)
			racer(nbp, "from-a", ready[1], go[0], res[1]);
		pid_t pb = fork();
		if (pb == 0)
			racer(nbp, "from-b", ready[1], go[0], res[1]);
		cr_assert(pa > 0 && pb > 0);
		char buf[2];
		cr_assert_eq(read(ready[0], buf, 1), 1);
		cr_assert_eq(read(ready[0], buf + 1, 1), 1);
		/* both loaded: let them save together */
		cr_assert_eq(write(go[1], "gg", 2), 2);
		int codes[2];
		cr_assert_eq(read(res[0], &codes[0], sizeof codes[0]), (ssize_t)sizeof codes[0]);
		cr_assert_eq(read(res[0], &codes[1], sizeof codes[1]), (ssize_t)sizeof codes[1]);
		int ws;
		waitpid(pa, &ws, 0);
		cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
		waitpid(pb, &ws, 0);
		cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
		for (int k = 0; k < 2; k++) {
			close(ready[k]);
			close(go[k]);
			close(res[k]);
		}

		int ok = (codes[0] == CT_OK) + (codes[1] == CT_OK);
		int conflict = (codes[0] == CT_CONFLICT) + (codes[1] == CT_CONFLICT);
		cr_assert(ok == 1 && conflict == 1,
		          "round %d: statuses %s and %s", round,
		          ct_status_name(codes[0]), ct_status_name(codes[1]));
		size_t n;
		char *now = read_file(nbp, &n);
		bool is_a = n == alen && memcmp(now, want_a, alen) == 0;
		bool is_b = n == blen && memcmp(now, want_b, blen) == 0;
		free(now);
		cr_assert(is_a || is_b, "round %d: torn file", round);
		a_wins += is_a;
		b_wins += is_b;
		assert_no_strays(tmpdir, "nb.ipynb");
	}
	cr_log_info("two processes: a won %d, b won %d of 30", a_wins, b_wins);
	free(orig);
	free(want_a);
	free(want_b);
}

/* ---- memory exhaustion --------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifndef UNDER_ASAN
struct oom_ctx {
	const char *path;
	rlim_t as_limit;
};

static void child_oom(struct child_report *r, void *vctx)
{
	struct oom_ctx *c = vctx;
	struct rlimit rl = { c->as_limit, c->as_limit };
	if (setrlimit(RLIMIT_AS, &rl) != 0) {
		snprintf(r->note, sizeof r->note, "setrlimit: %s", strerror(errno));
		return;
	}
	struct notebook *nb = NULL;
	r->status = notebook_load(c->path, &nb, &r->err);
	if (r->status != CT_OK)
		return;
	r->step_reached = 0;
	r->status = notebook_tag_add(nb, 0, "oom", NULL, &r->err);
	char *out = NULL;
	size_t len;
	if (r->status == CT_OK)
		r->status = notebook_render(nb, &out, &len, &r->err);
	free(out);
	if (r->status == CT_OK)
		r->status = notebook_save(&nb, NULL, true, &r->err);
	notebook_free(&nb);
}
#endif

/* A 40 MB notebook loaded, edited, rendered and saved under address-space
 * limits from far too small to enough: every run ends with CT_OK or a
 * clean CT_NOMEM/CT_TOOBIG/CT_WRITE error, never a crash, and the file on
 * disk is always the old or the new one. */
Test(faults, out_of_memory_everywhere, .timeout = 120)
{
#ifdef UNDER_ASAN
	cr_skip_test("skipped: RLIMIT_AS cannot be used under AddressSanitizer");
#else
	size_t len, nlen;
	char *orig = make_notebook(400, 100000, &len);
	char *nbp = path_in(tmpdir, "nb.ipynb");
	write_file(nbp, orig, len);
	char *want = expected_after_tag(nbp, "oom", &nlen);
	struct rlimit cur;
	cr_assert_eq(getrlimit(RLIMIT_AS, &cur), 0);
	/* the test process's own mappings, as a base */
	size_t base = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		unsigned long pages;
		if (fscanf(f, "%lu", &pages) == 1)
			base = pages * (size_t)sysconf(_SC_PAGESIZE);
		fclose(f);
	}
	int oks = 0, nomems = 0;
	for (size_t extra = 1 << 20; extra <= (size_t)400 << 20; extra += extra / 2) {
		write_file(nbp, orig, len);
		struct oom_ctx c = { nbp, (rlim_t)(base + extra) };
		struct child_report r;
		int ws = run_child(child_oom, &c, &r);
		cr_assert(WIFEXITED(ws), "limit +%zu MB: died (signal %d)", extra >> 20,
		          WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
		cr_assert_eq(r.note[0], '\0', "%s", r.note);
		cr_assert(r.status == CT_OK || r.status == CT_NOMEM ||
		          r.status == CT_TOOBIG || r.status == CT_WRITE ||
		          r.status == CT_IO,
		          "limit +%zu MB: status %s (%s)", extra >> 20,
		          ct_status_name(r.status), r.err.msg);
		if (r.status != CT_OK) {
			assert_clear_error(&r.err, nbp);
			nomems++;
		} else {
			oks++;
		}
		size_t n;
		char *now = read_file(nbp, &n);
		bool is_old = n == len && memcmp(now, orig, len) == 0;
		bool is_new = n == nlen && memcmp(now, want, nlen) == 0;
		free(now);
		cr_assert(is_old || is_new, "limit +%zu MB: file torn", extra >> 20);
		assert_no_strays(tmpdir, "nb.ipynb");
	}
	cr_assert_gt(nomems, 0, "no limit was small enough to fail");
	cr_assert_gt(oks, 0, "no limit was large enough to succeed");
	cr_log_info("out of memory: %d clean failures, %d successes", nomems, oks);
	free(orig);
	free(want);
#endif
}

/* A file above NB_MAX_FILE_SIZE (sparse, no disk used) is refused from its
 * size at once, without reading it. */
/* Bytes this process has read through read(2) and friends so far
 * (/proc/self/io rchar), -1 when the kernel does not say. */
static long long bytes_read_so_far(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	long long v = -1;
	char line[128];
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "rchar: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

Test(faults, file_above_the_size_limit)
{
	char *nbp = path_in(tmpdir, "huge.ipynb");
	int fd = open(nbp, O_CREAT | O_WRONLY, 0644);
	cr_assert_geq(fd, 0);
	if (ftruncate(fd, (off_t)NB_MAX_FILE_SIZE + 1) != 0) {
		cr_log_warn("skipped: cannot make a sparse file: %s", strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	long long before = bytes_read_so_far();
	struct notebook *nb = NULL;
	struct ct_error err;
	enum ct_status st = notebook_load(nbp, &nb, &err);
	long long after = bytes_read_so_far();
	cr_assert_eq(st, CT_TOOBIG, "status %s (%s)", ct_status_name(st), err.msg);
	assert_clear_error(&err, nbp);
	cr_assert_null(nb);
	/* Counted, not timed: the file's bytes were not read. */
	if (before < 0 || after < 0)
		cr_log_warn("no /proc/self/io: the bytes read are not checked");
	else
		cr_assert_lt(after - before, 1 << 20, "%lld bytes read: was the "
		             "file read?", after - before);
}
