/* theme_curses.c - apply a theme with ncurses: colour depth, pairs, the
 * monochrome fallback.  The colour maths lives in theme.c (tested without
 * a terminal); this file only talks to curses. */
#include "theme_curses.h"

#include <stdlib.h>
#include <string.h>

#include "theme.h"

/* Pairs live in the attr_t (COLOR_PAIR), which holds 8 bits of pair. */
#define PAIRS_MAX 255

bool theme_colors_allowed(enum theme_color_mode mode)
{
	if (mode == THEME_COLORS_NEVER)
		return false;
	const char *nc = getenv("NO_COLOR");
	return !(nc && *nc);                         /* https://no-color.org */
}

static attr_t to_curses(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & TA_BOLD)
		r |= A_BOLD;
	if (a & TA_DIM)
		r |= A_DIM;
	if (a & TA_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & TA_REVERSE)
		r |= A_REVERSE;
	if (a & TA_STANDOUT)
		r |= A_STANDOUT;
#ifdef A_ITALIC
	if (a & TA_ITALIC)
		r |= A_ITALIC;
#endif
	return r;
}

static void apply_attrs_only(const struct theme *t, struct theme_applied *out)
{
	struct theme mono;
	if (!t->attrs_only) {
		theme_init_mono(&mono);
		t = &mono;
	}
	for (int e = 0; e < THEME_ELEMENT_COUNT; e++)
		out->attr[e] = to_curses(t->style[e].attrs);
	out->ncolors = 0;
	out->npairs = 0;
}

void theme_apply(const struct theme *t, enum theme_color_mode mode,
                 struct theme_applied *out)
{
	struct theme mono;
	short pfg[PAIRS_MAX + 1], pbg[PAIRS_MAX + 1];
	int npairs = 0;

	memset(out, 0, sizeof *out);
	if (!theme_colors_allowed(mode) || !has_colors() ||
	    start_color() == ERR || COLORS < 8 || COLOR_PAIRS < 2) {
		apply_attrs_only(t, out);
		return;
	}
	int ncolors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
	bool defaults = use_default_colors() == OK;
	int max_pairs = COLOR_PAIRS - 1 < PAIRS_MAX ? COLOR_PAIRS - 1 : PAIRS_MAX;
	theme_init_mono(&mono);

	for (int e = 0; e < THEME_ELEMENT_COUNT; e++) {
		const struct theme_style *s = &t->style[e];
		attr_t a = to_curses(s->attrs);
		int fg = theme_color_for_terminal(s->fg, ncolors);
		int bg = theme_color_for_terminal(s->bg, ncolors);
		if (ncolors == 8 && s->fg != THEME_DEFAULT) {
			/* Bright colours on 8-colour terminals: bold. */
			int c16 = THEME_IS_RGB(s->fg)
			          ? theme_256_to_16(theme_rgb_to_256(
			                    (uint32_t)s->fg & 0xffffff))
			          : theme_256_to_16((int)s->fg);
			if (c16 > TC_BBLACK)
				a |= A_BOLD;
		}
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (fg >= 0 && fg == bg) {
			/* Mapping made text invisible: keep the state visible
			 * with the monochrome attributes instead. */
			out->attr[e] = to_curses(mono.style[e].attrs);
			continue;
		}
		if (fg < 0 && bg < 0) {
			out->attr[e] = a;
			continue;
		}
		int p = 0;
		for (int i = 1; i <= npairs; i++) {
			if (pfg[i] == fg && pbg[i] == bg) {
				p = i;
				break;
			}
		}
		if (!p) {
			if (npairs >= max_pairs ||
			    init_pair((short)(npairs + 1), (short)fg,
			              (short)bg) == ERR) {
				out->attr[e] = to_curses(mono.style[e].attrs);
				continue;
			}
			p = ++npairs;
			pfg[p] = (short)fg;
			pbg[p] = (short)bg;
		}
		out->attr[e] = a | (attr_t)COLOR_PAIR(p);
	}
	out->ncolors = ncolors;
	out->npairs = npairs;
}

attr_t theme_attr(const struct theme_applied *a, enum theme_element e)
{
	if (!a || (unsigned)e >= THEME_ELEMENT_COUNT)
		return A_NORMAL;
	return a->attr[e];
}
