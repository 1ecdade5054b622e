/* signals.h - signal handling for the editor.
 *
 * Handlers only set flags (async-signal-safe); the main loop looks at them
 * after every key or input timeout:
 *   SIGHUP, SIGTERM  the terminal went away / we are asked to stop: write
 *                    recovery files for unsaved edits, restore, exit;
 *   SIGINT           treated like the quit key (asks when edits are unsaved).
 * Fatal signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) restore the
 * terminal (best effort) and re-raise with the default action, so a crash
 * never leaves the terminal in raw mode.
 * Handlers are installed without SA_RESTART so a blocking read returns.
 */
#ifndef CELLTAG_TUI_SIGNALS_H
#define CELLTAG_TUI_SIGNALS_H

#include <stdbool.h>

/* `restore` is called from the fatal-signal handler (may be NULL). */
void signals_install(void (*restore)(void));
void signals_restore_defaults(void);

/* The pending SIGHUP/SIGTERM number, 0 when none. */
int signals_fatal_pending(void);
/* True once per SIGINT received. */
bool signals_take_interrupt(void);

#endif
