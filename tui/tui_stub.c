/* tui_stub.c - placeholder until the TUI lands (deleted by then). */
#include <stdio.h>

#include "tui.h"

int tui_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "celltag: the TUI is not built yet\n");
	return 2;
}
