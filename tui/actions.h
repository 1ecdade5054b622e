/* actions.h - every user action of the editor, declared once.
 *
 * ACTION_INFO(_) gives, per action: the enum suffix, the name used by the
 * configuration file (`keys:`) and by scripts, and the help text shown by
 * the help screen and the man page.  Add an action here and it appears in
 * the enum, the name lookup and the help screen at once (tig's REQ_INFO).
 */
#ifndef CELLTAG_TUI_ACTIONS_H
#define CELLTAG_TUI_ACTIONS_H

/* _(ENUM, "name", "help text") */
#define ACTION_INFO(_) \
	_(CELL_NEXT,      "cell-next",      "Move to the next cell (scroll down in the preview)") \
	_(CELL_PREV,      "cell-prev",      "Move to the previous cell (scroll up in the preview)") \
	_(PAGE_DOWN,      "page-down",      "Move one page down") \
	_(PAGE_UP,        "page-up",        "Move one page up") \
	_(FIRST,          "first",          "Jump to the first cell") \
	_(LAST,           "last",           "Jump to the last cell") \
	_(FOCUS_TOGGLE,   "focus-toggle",   "Switch focus between the cell list and the preview") \
	_(TAG_TOGGLE,     "tag-toggle",     "Remove the assignment tag, or add the suggested one") \
	_(TAG_ADD,        "tag-add",        "Add a tag (with completion)") \
	_(TAG_REMOVE,     "tag-remove",     "Remove a tag of the cell") \
	_(TAG_EDIT,       "tag-edit",       "Edit the cell's whole tag list") \
	_(UNTAGGED_NEXT,  "untagged-next",  "Jump to the next untagged exercise cell") \
	_(UNTAGGED_PREV,  "untagged-prev",  "Jump to the previous untagged exercise cell") \
	_(SEARCH,         "search",         "Search cell sources") \
	_(SEARCH_NEXT,    "search-next",    "Go to the next search match") \
	_(SEARCH_PREV,    "search-prev",    "Go to the previous search match") \
	_(FILTER_CYCLE,   "filter-cycle",   "Cycle the filter: all, exercises, untagged, tagged") \
	_(UNDO,           "undo",           "Undo the last tag edit") \
	_(REDO,           "redo",           "Redo the last undone tag edit") \
	_(SAVE,           "save",           "Save the notebook") \
	_(QUIT,           "quit",           "Close the notebook (to the course) or quit; C-c quits") \
	_(HELP,           "help",           "Show this help") \
	_(OPEN,           "open",           "Open a notebook, or focus the preview (Esc leaves it)") \
	_(BACK,           "back",           "Go back to the course screen") \
	_(REDRAW,         "redraw",         "Redraw the screen") \
	_(SUSPEND,        "suspend",        "Suspend to the shell (fg resumes)")

enum action {
	ACTION_NONE = 0,
#define ACTION_ENUM(e, name, help) ACTION_##e,
	ACTION_INFO(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_COUNT
};

#endif
