/* tui.c - tui_main(): options, start-up, the main loop. */
#include "tui.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "display.h"
#include "dump.h"
#include "input.h"
#include "keymap.h"
#include "screen.h"
#include "signals.h"
#include "theme.h"

#define TUI_EXIT_OK 0
#define TUI_EXIT_USAGE 2
#define TUI_EXIT_INPUT 3

struct tui_opts {
	bool readonly, no_color, help;
	const char *theme, *config, *script;
	int cols, rows;
};

static void usage(FILE *f)
{
	fputs("usage: celltag [options] NOTEBOOK.ipynb|FOLDER...\n"
	      "       celltag COMMAND [options] ...   (see celltag help)\n"
	      "\n"
	      "Open notebooks in the interactive tag editor.\n"
	      "\n"
	      "  -R, --read-only     open for review: no edits, no saves\n"
	      "      --theme NAME    colour theme (default, light, high-contrast,\n"
	      "                      monochrome, or a theme file path)\n"
	      "      --no-color      attributes only (also NO_COLOR=1)\n"
	      "      --config FILE   configuration file (default\n"
	      "                      ~/.config/celltag/config.yaml)\n"
	      "      --script FILE   read keys from FILE (headless; also\n"
	      "                      $CELLTAG_SCRIPT)\n"
	      "      --size WxH      screen size with --script (default 80x24)\n"
	      "  -h, --help          show this help\n"
	      "\n"
	      "Press ? in the editor for the keys.\n", f);
}

static bool parse_size(const char *s, int *cols, int *rows)
{
	char *end;
	long c = strtol(s, &end, 10);
	if (*end != 'x' && *end != 'X')
		return false;
	long r = strtol(end + 1, &end, 10);
	if (*end || c < 10 || r < 3 || c > 1000 || r > 1000)
		return false;
	*cols = (int)c;
	*rows = (int)r;
	return true;
}

static int parse_opts(int argc, char **argv, struct tui_opts *o, int *first)
{
	enum { OPT_THEME = 256, OPT_NO_COLOR, OPT_CONFIG, OPT_SCRIPT, OPT_SIZE };
	static const struct option longopts[] = {
		{ "read-only", no_argument, NULL, 'R' },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "no-colour", no_argument, NULL, OPT_NO_COLOR },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->cols = 80;
	o->rows = 24;
	optind = 0;     /* full reset: tui_main may run more than once (tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+Rh", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': o->readonly = true; break;
		case 'h': o->help = true; break;
		case OPT_THEME: o->theme = optarg; break;
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_CONFIG: o->config = optarg; break;
		case OPT_SCRIPT: o->script = optarg; break;
		case OPT_SIZE:
			if (!parse_size(optarg, &o->cols, &o->rows)) {
				fprintf(stderr, "celltag: bad --size '%s' (want COLSxROWS, "
				        "e.g. 80x24)\n", optarg);
				return TUI_EXIT_USAGE;
			}
			break;
		default:
			fprintf(stderr, "celltag: unknown option '%s'\n",
			        argv[optind - 1]);
			fputs("Try 'celltag --help'.\n", stderr);
			return TUI_EXIT_USAGE;
		}
	}
	*first = optind;
	return TUI_EXIT_OK;
}

/* A script command (input.h).  False when it failed (message set). */
static bool run_command(struct app *app, struct display *d, const char *cmd)
{
	struct ct_error err;
	const char *arg = strchr(cmd, ' ');
	size_t nlen = arg ? (size_t)(arg - cmd) : strlen(cmd);

	ct_error_clear(&err);
	arg = arg ? arg + 1 : "";
#define IS(name) (nlen == strlen(name) && strncmp(cmd, name, nlen) == 0)
	if (IS("save-display") || IS("save-attrs")) {
		enum ct_status st = IS("save-display") ? dump_display(arg, &err)
		                                       : dump_attrs(arg, &err);
		if (st != CT_OK) {
			app_message(app, APP_MSG_ERROR, "%s: %s", arg, err.msg);
			return false;
		}
		return true;
	}
	if (IS("resize")) {
		int cols, rows;
		if (!parse_size(arg, &cols, &rows)) {
			app_message(app, APP_MSG_ERROR, "bad size '%s'", arg);
			return false;
		}
		display_resize(d, cols, rows);
		return true;
	}
	if (IS("click") || IS("wheel-up") || IS("wheel-down")) {
		struct input_event ev;
		memset(&ev, 0, sizeof ev);
		ev.kind = INPUT_MOUSE;
		ev.mouse = IS("click") ? MOUSE_CLICK : IS("wheel-up")
		         ? MOUSE_WHEEL_UP : MOUSE_WHEEL_DOWN;
		if (sscanf(arg, "%d %d", &ev.x, &ev.y) != 2)
			return false;
		screen_for(app->screen)->handle(app, d, &ev);
		return true;
	}
	if (IS("exec")) {
		int rc = system(arg);
		if (rc != 0)
			app_message(app, APP_MSG_ERROR, ":exec failed (%d)", rc);
		return rc == 0;
	}
#undef IS
	app_message(app, APP_MSG_ERROR, "unknown script command ':%.*s'",
	            (int)nlen, cmd);
	return false;
}

/* $CELLTAG_TIMING names a file that gets "first-screen NS [preview N]": the
 * CLOCK_MONOTONIC time the first full screen was on the terminal (for the
 * benchmarks, which know when they started us).  *done: written already. */
static void timing_first_screen(bool *done, size_t preview_cells)
{
	const char *path = getenv("CELLTAG_TIMING");
	if (*done || !path || !*path)
		return;
	*done = true;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	FILE *f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "first-screen %lld", (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
	if (preview_cells)
		fprintf(f, " preview %zu", preview_cells);
	fputc('\n', f);
	fclose(f);
}

/* A notebook this big shows its first cells while the rest is read. */
#define TUI_PREVIEW_MIN ((off_t)16 << 20)

static bool wants_preview(char *const *paths, size_t n)
{
	struct stat st;
	return n == 1 && stat(paths[0], &st) == 0 && S_ISREG(st.st_mode) &&
	       st.st_size >= TUI_PREVIEW_MIN;
}

/* Draw the first screen from the start of the file alone (a throw-away
 * app on notebook_load_preview); notebook_load then reads the whole file,
 * checks it and replaces it.  Keys wait for that. */
static void show_preview(const struct ct_config *cfg, const struct keymap *km, bool ro,
                         struct display *d, const char *path, bool *timed)
{
	struct notebook *nb = NULL;
	struct ct_error err;
	struct stat st;
	if (stat(path, &st) != 0 ||
	    notebook_load_preview(path, d->rows > 0 ? (size_t)d->rows : 1, &nb, &err) != CT_OK)
		return;   /* notebook_load reports what is wrong */
	struct app papp;
	app_init(&papp, cfg, km, ro);
	app_add_notebook(&papp, nb);
	papp.loading = true;
	if (nb->len)
		papp.loading_cells = (size_t)((double)nb->ncells * (double)st.st_size / (double)nb->len);
	app_message(&papp, APP_MSG_INFO, "Reading %.0f MB...", (double)st.st_size / 1e6);
	screen_draw_frame(&papp, d);
	wnoutrefresh(stdscr);
	doupdate();
	timing_first_screen(timed, nb->ncells);
	app_free(&papp);
}

static int main_loop(struct app *app, struct display *d, struct input *in, bool *timed)
{
	struct input_event ev;
	struct ct_error err;

	for (;;) {
		int sig = signals_fatal_pending();
		if (sig) {
			/* The terminal may be gone: keep the edits, touch nothing. */
			size_t n = app_write_recovery(app);
			display_close(d);
			if (n)
				fprintf(stderr, "celltag: unsaved edits of %zu notebook%s "
				        "written to recovery files\n", n, n == 1 ? "" : "s");
			return 128 + sig;
		}
		if (signals_take_interrupt())
			app_quit(app);
		if (app->quit)
			return TUI_EXIT_OK;
		if (app->suspend) {
			app->suspend = false;
			if (!d->headless) {
				/* SIGSTOP cannot be caught, so curses' own handlers stay
				 * out of the way; the terminal is restored around it. */
				def_prog_mode();
				endwin();
				kill(getpid(), SIGSTOP);
				reset_prog_mode();
				clearok(curscr, TRUE);
			}
		}

		screen_draw_frame(app, d);
		wnoutrefresh(stdscr);
		doupdate();
		timing_first_screen(timed, 0);

		ct_error_clear(&err);
		if (input_next(in, &ev, &err) != CT_OK) {
			char buf[1024];
			display_close(d);
			fprintf(stderr, "celltag: %s\n",
			        ct_error_format(&err, buf, sizeof buf));
			return TUI_EXIT_USAGE;
		}
		switch (ev.kind) {
		case INPUT_EOF:
			return TUI_EXIT_OK;   /* end of script: quit, no questions */
		case INPUT_TIMEOUT:
			break;
		case INPUT_COMMAND:
			run_command(app, d, ev.cmd);
			break;
		case INPUT_MOUSE:
			if (app->dialog.kind == APP_DIALOG_NONE &&
			    app->prompt.kind == APP_PROMPT_NONE)
				screen_for(app->screen)->handle(app, d, &ev);
			break;
		case INPUT_KEY:
			if (ev.key == CTK_RESIZE) {
				display_resize(d, COLS, LINES);
				break;
			}
			if (ev.key == CTK_CTRL('L'))
				clearok(curscr, TRUE);
			app_key(app, ev.key);
			break;
		}
	}
}

int tui_main(int argc, char **argv)
{
	struct tui_opts o;
	struct ct_config cfg;
	struct ct_error err;
	struct keymap km;
	struct app app;
	struct theme theme;
	struct display d;
	struct input in;
	char warn[2048] = "";
	char buf[1024];
	int first, rc;
	bool timed = false;             /* $CELLTAG_TIMING written */

	setlocale(LC_ALL, "");
	if ((rc = parse_opts(argc, argv, &o, &first)) != TUI_EXIT_OK)
		return rc;
	if (o.help) {
		usage(stdout);
		return TUI_EXIT_OK;
	}
	if (!o.script) {
		const char *env = getenv("CELLTAG_SCRIPT");
		if (env && *env)
			o.script = env;
	}
	if (first >= argc) {
		fputs("celltag: no notebook given\n", stderr);
		usage(stderr);
		return TUI_EXIT_USAGE;
	}

	config_init_defaults(&cfg);
	ct_error_clear(&err);
	if (config_load(&cfg, o.config, &err) != CT_OK) {
		if (o.config && err.status == CT_NOTFOUND) {
			fprintf(stderr, "celltag: %s\n",
			        ct_error_format(&err, buf, sizeof buf));
			config_free(&cfg);
			return TUI_EXIT_USAGE;
		}
		snprintf(warn, sizeof warn, "config: %s (defaults used)",
		         ct_error_format(&err, buf, sizeof buf));
		config_free(&cfg);
		config_init_defaults(&cfg);
	}
	keymap_init(&km);
	ct_error_clear(&err);
	if (keymap_apply_config(&km, &cfg, &err) != CT_OK)
		snprintf(warn, sizeof warn, "config: %s",
		         ct_error_format(&err, buf, sizeof buf));

	ct_error_clear(&err);
	const char *tname = o.theme ? o.theme : cfg.theme;
	if (theme_find(tname, NULL, NULL, &theme, &err) != CT_OK)
		snprintf(warn, sizeof warn, "theme: %s (default theme used)",
		         ct_error_format(&err, buf, sizeof buf));

	app_init(&app, &cfg, &km, o.readonly);
	/* A big notebook opens the screen first, to show its start while it
	 * loads; anything else loads first, so a bad file never flashes it. */
	bool preview = wants_preview(argv + first, (size_t)(argc - first));
	if (!preview) {
		ct_error_clear(&err);
		if (app_open(&app, argv + first, (size_t)(argc - first), &err) != CT_OK) {
			fprintf(stderr, "celltag: %s\n", ct_error_format(&err, buf, sizeof buf));
			app_free(&app);
			config_free(&cfg);
			return TUI_EXIT_INPUT;
		}
	}

	if (o.script) {
		ct_error_clear(&err);
		if (input_open_script(&in, o.script, &err) != CT_OK) {
			fprintf(stderr, "celltag: %s\n",
			        ct_error_format(&err, buf, sizeof buf));
			app_free(&app);
			config_free(&cfg);
			return TUI_EXIT_USAGE;
		}
	} else
		input_open_terminal(&in);

	signals_install(display_emergency_restore);
	struct display_opts dopts = {
		.headless = o.script != NULL,
		.cols = o.cols, .rows = o.rows,
		.theme = &theme,
		.color_mode = o.no_color ? THEME_COLORS_NEVER : THEME_COLORS_AUTO,
		.mouse = true,
	};
	ct_error_clear(&err);
	if (display_open(&d, &dopts, &err) != CT_OK) {
		fprintf(stderr, "celltag: %s\n", ct_error_format(&err, buf, sizeof buf));
		rc = TUI_EXIT_INPUT;
	} else {
		if (preview) {
			show_preview(&cfg, &km, o.readonly, &d, argv[first], &timed);
			ct_error_clear(&err);
			if (app_open(&app, argv + first, (size_t)(argc - first), &err) != CT_OK) {
				display_close(&d);
				signals_restore_defaults();
				input_close(&in);
				fprintf(stderr, "celltag: %s\n",
				        ct_error_format(&err, buf, sizeof buf));
				app_free(&app);
				config_free(&cfg);
				return TUI_EXIT_INPUT;
			}
		}
		if (warn[0])
			app_message(&app, APP_MSG_ERROR, "%s", warn);
		app_start(&app);
		rc = main_loop(&app, &d, &in, &timed);
		display_close(&d);
	}
	signals_restore_defaults();
	input_close(&in);
	app_free(&app);
	config_free(&cfg);
	return rc;
}
