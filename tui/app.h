/* app.h - the editor's state machine, free of curses.
 *
 * Everything the editor knows lives in `struct app`: the notebooks opened
 * (struct app_doc: model, derived per-cell facts, filtered row list,
 * selection, scroll, undo history, read-only state), the current screen and
 * focus, the search, the prompt's line editor, the open dialog and the
 * message line.  Keys enter through app_key(); the drawing code (screen_*.c)
 * only reads this state, and tells the app its geometry with app_layout()
 * so that paging and scrolling know the page size.
 *
 * Cost per key press is independent of the notebook size for moves and
 * drawing: per-cell facts (first line, exercise flag) are computed once,
 * lazily for previews; counts are updated incrementally on edits.  Only
 * searches, jumps to the next untagged exercise, filter changes and edits
 * under a filter walk the cells.
 *
 * Ownership: the app owns its docs and their notebooks; app_free() releases
 * all.  Pointers returned by accessors stay valid until the next app_key().
 */
#ifndef CELLTAG_TUI_APP_H
#define CELLTAG_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "config.h"
#include "keymap.h"
#include "notebook.h"
#include "status.h"

enum app_screen { APP_SCREEN_NOTEBOOK, APP_SCREEN_COURSE, APP_SCREEN_HELP,
                  APP_SCREEN_COUNT };
enum app_focus { APP_FOCUS_LIST, APP_FOCUS_PREVIEW };
enum app_filter { APP_FILTER_ALL, APP_FILTER_EXERCISE, APP_FILTER_UNTAGGED,
                  APP_FILTER_TAGGED, APP_FILTER_COUNT };
enum app_msg_kind { APP_MSG_NONE, APP_MSG_INFO, APP_MSG_WARN, APP_MSG_ERROR };

enum app_prompt_kind {
	APP_PROMPT_NONE,
	APP_PROMPT_TAG_TOGGLE,   /* pre-filled suggestion; Enter adds */
	APP_PROMPT_TAG_ADD,      /* any tag, Tab completes */
	APP_PROMPT_TAG_EDIT,     /* whole list, comma-separated */
	APP_PROMPT_SEARCH
};

enum app_dialog_kind {
	APP_DIALOG_NONE,
	APP_DIALOG_QUIT,         /* save / discard / cancel */
	APP_DIALOG_CONFLICT,     /* overwrite / reload / cancel */
	APP_DIALOG_RELOAD,       /* confirm dropping edits: yes / no */
	APP_DIALOG_PICK_TAG,     /* choose the tag to remove */
	APP_DIALOG_RECOVERY,     /* apply / discard / later */
	APP_DIALOG_RECOVERY_STALE, /* discard / keep */
	APP_DIALOG_REAPPLY       /* reload and reapply edits / cancel */
};

/* Per-cell facts, computed once (exercise flag at load, first line on
 * first use). */
enum { CELLINFO_LINE = 1, CELLINFO_EXERCISE = 2, CELLINFO_TAGGED = 4,
       CELLINFO_LINES = 8 };
struct app_cellinfo {
	uint32_t first_off, first_len;  /* first non-blank source line */
	uint32_t nlines;                /* source lines (CELLINFO_LINES) */
	uint8_t flags;
	uint8_t reason;                 /* enum detect_reason, at analysis */
};

struct app_edit {
	size_t cell;
	char **before, **after;
	size_t nbefore, nafter;
};

struct detect_result;
struct suggest_plan;

struct app_doc {
	char *path;
	size_t name_off;                /* course screen shows path + name_off */
	struct notebook *nb;            /* NULL when loading failed */
	char load_error[CT_ERR_MSG_MAX + CT_ERR_PATH_MAX];
	/* Detection is not kept (40 bytes a cell): analysis keeps each cell's
	 * exercise flag and reason in `info`, and what needs the whole
	 * detection again (planning, lint after a save) detects again. */
	struct app_cellinfo *info;
	/* Suggested tags, planned once for the whole notebook: `t` looks its
	 * cell up instead of planning again (a pass over every cell).  An
	 * accepted suggestion keeps the plan exact (suggest.h); any other tag
	 * edit clears plan_ok and the next lookup plans again. */
	struct suggest_plan *plan;
	bool *plan_taken;               /* per item: accepted since planned */
	bool plan_ok;
	size_t n_exercise, n_tagged, n_untagged;
	size_t n_lint;                  /* lint errors (course screen) */

	uint32_t *rows;                 /* cells shown under the filter */
	size_t nrows;
	enum app_filter filter;
	size_t sel, top;                /* selected row, first visible row */
	size_t pscroll;                 /* preview: first visible line */

	struct app_edit *hist;          /* undo history of the session */
	size_t nhist, hpos, hcap;       /* entries [0, hpos) are done */

	bool readonly;
	char ro_reason[256];
	bool recovery_checked;
};

#define APP_PROMPT_MAX 1024

struct app_prompt {
	enum app_prompt_kind kind;
	char label[64];
	char buf[APP_PROMPT_MAX];
	size_t len, cur;                /* bytes; cur on a character boundary */
	char error[768];                /* why Enter was refused, "" if none */
	/* Tab completion state. */
	char comp_base[APP_PROMPT_MAX];
	size_t comp_next;
	bool completing;
};

struct app_dialog {
	enum app_dialog_kind kind;
	char text[512];
	size_t doc;
	/* APP_DIALOG_PICK_TAG: the cell's tags (owned by the notebook). */
	const char *const *items;
	size_t nitems, sel, cell;
	bool then_quit;                 /* quitting after this save */
	char recovery_path[4096];
};

struct detector;

struct app {
	const struct ct_config *cfg;
	struct detector *det;           /* built on first use */
	const struct keymap *km;
	bool force_readonly;            /* -R */
	/* Notebooks at least this big are loaded with notebook_load_lean (the
	 * file's bytes are not kept in memory); NB_RELEASE_MIN by default. */
	size_t release_min;

	struct app_doc *docs;
	size_t ndocs, cur;
	bool course;                    /* a course screen exists */
	char *course_root;              /* the one folder given, or NULL */
	size_t course_sel, course_top;

	enum app_screen screen, help_return;
	enum app_focus focus;
	size_t help_top;
	size_t help_lines;               /* set by the help screen's draw */

	int list_rows, preview_rows, page_rows;  /* from app_layout() */
	/* Rows the preview of cell preview_total_cell takes once wrapped (set
	 * by the drawing code; the scroll limit). */
	size_t preview_total, preview_total_cell;

	char search[APP_PROMPT_MAX];

	struct app_prompt prompt;
	struct app_dialog dialog;

	char msg[512];
	enum app_msg_kind msg_kind;
	bool quit;
	bool suspend;                   /* the front end should suspend */
	bool loading;                   /* showing a preview: the rest is being read */
	size_t loading_cells;           /* then: the cells expected in all of it */
};

/* Initialise with a configuration and a keymap (both borrowed, must
 * outlive the app). */
void app_init(struct app *app, const struct ct_config *cfg,
              const struct keymap *km, bool readonly);

/* Open notebooks and folders (searched recursively for *.ipynb, skipping
 * hidden folders, .ipynb_checkpoints and .~* files).  One notebook opens
 * the notebook screen; a folder or several paths the course screen.  A
 * notebook that fails to load is an error when it is the only one, and a
 * row with its error on the course screen otherwise. */
enum ct_status app_open(struct app *app, char *const *paths, size_t npaths,
                        struct ct_error *err);

/* Same for a notebook already in memory (tests). Takes ownership. */
void app_add_notebook(struct app *app, struct notebook *nb);

void app_free(struct app *app);

/* Called once the screen is up: offers pending recovery files as a
 * dialog (single-notebook start). */
void app_start(struct app *app);

/* Handle one key (keymap.h codes). */
void app_key(struct app *app, int key);

/* Quit the whole editor, asking first when edits are unsaved (C-c,
 * SIGINT); unlike ACTION_QUIT it never just closes a notebook. */
void app_quit(struct app *app);

/* Perform one action as if its key was pressed. */
void app_action(struct app *app, enum action a);

/* Geometry from the drawing code: rows of the list and of the preview
 * (0 when hidden).  Clamps scroll positions so the selection is visible. */
void app_layout(struct app *app, int list_rows, int preview_rows);

/* Select the row `row` of the current list (mouse click). */
void app_select_row(struct app *app, size_t row);
/* Scroll the list or the preview by `delta` lines (mouse wheel). */
void app_scroll(struct app *app, bool preview, long delta);

/* Accessors for drawing and tests. */
struct app_doc *app_doc(struct app *app);
const struct nb_cell *app_selected_cell(struct app *app);
size_t app_selected_index(struct app *app);   /* SIZE_MAX when none */
const char *app_first_line(struct app_doc *doc, size_t cell, size_t *len);
size_t app_cell_lines(struct app_doc *doc, size_t cell);
bool app_cell_is_exercise(const struct app_doc *doc, size_t cell);
bool app_cell_is_tagged(const struct app_doc *doc, size_t cell);
/* Why a cell counts as an exercise, for the title ("placeholder 'YOUR
 * CODE HERE'"), into buf; NULL when it does not. */
const char *app_cell_why(struct app *app, const struct app_doc *doc, size_t cell, char *buf,
                         size_t size);
bool app_is_assignment_tag(const struct app *app, const char *tag);
bool app_doc_dirty(const struct app_doc *doc);
bool app_any_dirty(const struct app *app);
const char *app_filter_name(enum app_filter f);
const char *app_doc_name(const struct app_doc *doc);
/* Path relative to the folder it was found in (course screen rows). */
const char *app_doc_course_name(const struct app_doc *doc);
/* Why the notebook failed to load, without the leading file name. */
const char *app_doc_load_reason(const struct app_doc *doc);

/* Byte ranges of the current search pattern in `line` (smart case, as the
 * search itself): up to `cap` pairs start,end in marks.  Returns pairs. */
size_t app_search_marks(const struct app *app, const char *line, size_t len,
                        size_t *marks, size_t cap);

/* Set the message line (printf-style). */
void app_message(struct app *app, enum app_msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write recovery files for every modified notebook (the terminal went
 * away).  Returns how many were written. */
size_t app_write_recovery(struct app *app);

/* Line editor (exposed for tests): insert UTF-8 text at the cursor; edit
 * keys (Left/Right/Home/End/BS/Del/C-a/C-e/C-u/C-w/C-k). Returns true
 * when the key was an editing key. */
void prompt_set(struct app_prompt *p, const char *text);
void prompt_insert(struct app_prompt *p, const char *s, size_t n);
bool prompt_edit_key(struct app_prompt *p, int key);

#endif
