/* tui.h - entry point of the interactive editor. */
#ifndef CELLTAG_TUI_TUI_H
#define CELLTAG_TUI_TUI_H

/* Run the TUI with the command line (options and paths; argv[0] is the
 * program).  Returns the process exit status.  Restores the terminal on
 * every path. */
int tui_main(int argc, char **argv);

#endif
