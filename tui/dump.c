/* dump.c - screen dumps for golden tests (dump.h). */
#include "dump.h"

#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void dump_display_fp(FILE *f)
{
	int rows = LINES, cols = COLS;
	size_t cap = (size_t)cols * 8 + 1;
	char *buf = malloc(cap);

	if (!buf)
		return;
	for (int y = 0; y < rows; y++) {
		int n = mvwinnstr(stdscr, y, 0, buf, (int)cap - 1);
		if (n < 0)
			n = 0;
		buf[n] = '\0';
		size_t len = strlen(buf);
		while (len && buf[len - 1] == ' ')
			len--;
		fwrite(buf, 1, len, f);
		fputc('\n', f);
	}
	free(buf);
}

static void put_run(FILE *f, int count, chtype a)
{
	short pair = (short)PAIR_NUMBER(a), fg = -1, bg = -1;

	if (pair > 0)
		pair_content(pair, &fg, &bg);
	fprintf(f, " %dx%d/%d", count, fg, bg);
	if (a & (A_BOLD | A_DIM | A_UNDERLINE | A_REVERSE | A_STANDOUT |
	         A_ITALIC | A_ALTCHARSET)) {
		fputc('+', f);
		if (a & A_BOLD) fputc('B', f);
		if (a & A_DIM) fputc('D', f);
		if (a & A_UNDERLINE) fputc('U', f);
		if (a & A_REVERSE) fputc('R', f);
		if (a & A_STANDOUT) fputc('S', f);
		if (a & A_ITALIC) fputc('I', f);
		if (a & A_ALTCHARSET) fputc('A', f);
	}
}

void dump_attrs_fp(FILE *f)
{
	for (int y = 0; y < LINES; y++) {
		chtype prev = 0;
		int count = 0;
		fprintf(f, "%d:", y);
		for (int x = 0; x < COLS; x++) {
			cchar_t cc;
			attr_t attrs = 0;
			short pair = 0;
			wchar_t wc[CCHARW_MAX + 1];
			chtype a;

			if (mvwin_wch(stdscr, y, x, &cc) == OK)
				getcchar(&cc, wc, &attrs, &pair, NULL);
			a = (attrs & ~A_COLOR & ~A_CHARTEXT) | COLOR_PAIR(pair);
			if (count && a == prev)
				count++;
			else {
				if (count)
					put_run(f, count, prev);
				prev = a;
				count = 1;
			}
		}
		if (count)
			put_run(f, count, prev);
		fputc('\n', f);
	}
}

static enum ct_status dump_to(const char *path, void (*fn)(FILE *),
                              struct ct_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return ct_error_set(err, CT_WRITE, path, "%s", strerror(errno));
	fn(f);
	if (fclose(f) != 0)
		return ct_error_set(err, CT_WRITE, path, "%s", strerror(errno));
	return CT_OK;
}

enum ct_status dump_display(const char *path, struct ct_error *err)
{
	return dump_to(path, dump_display_fp, err);
}

enum ct_status dump_attrs(const char *path, struct ct_error *err)
{
	return dump_to(path, dump_attrs_fp, err);
}
