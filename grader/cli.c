/* cli.c: what the subcommands share: the exit-status help text. */
#include "cli.h"
#include "banned.h"

const char cli_exit_help[] =
	"Exit status:\n"
	"  0  success (grade/check: the submission reached the pass threshold)\n"
	"  1  graded below the pass threshold\n"
	"  2  usage error, or an invalid spec, profile or manifest\n"
	"  3  infrastructure error (sandbox unavailable, clone failed, disk full)\n";
