/* signals.c - flags set by signal handlers (signals.h). */
#include "signals.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

static volatile sig_atomic_t fatal_pending;
static volatile sig_atomic_t interrupt_pending;
static void (*restore_fn)(void);

static void on_stop(int sig)
{
	fatal_pending = sig;
}

static void on_interrupt(int sig)
{
	(void)sig;
	interrupt_pending = 1;
}

static void on_crash(int sig)
{
	/* Not async-signal-safe, but we are dying anyway: the terminal matters
	 * more than the risk of a deadlock in endwin(). */
	if (restore_fn)
		restore_fn();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: let reads return */
	sigaction(sig, &sa, NULL);
}

void signals_install(void (*restore)(void))
{
	restore_fn = restore;
	set(SIGHUP, on_stop);
	set(SIGTERM, on_stop);
	set(SIGINT, on_interrupt);
	set(SIGSEGV, on_crash);
	set(SIGBUS, on_crash);
	set(SIGFPE, on_crash);
	set(SIGILL, on_crash);
	set(SIGABRT, on_crash);
	signal(SIGPIPE, SIG_IGN);
}

void signals_restore_defaults(void)
{
	int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGSEGV, SIGBUS, SIGFPE,
	               SIGILL, SIGABRT, SIGPIPE };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	restore_fn = NULL;
}

int signals_fatal_pending(void)
{
	return fatal_pending;
}

bool signals_take_interrupt(void)
{
	if (!interrupt_pending)
		return false;
	interrupt_pending = 0;
	return true;
}
