/* main.c: the `grader` command: dispatches to a subcommand (see cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "xalloc.h"
#include "banned.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{"grade", cli_grade, "grade a submission (URL, repository or directory) and write its report"},
	{"check", cli_check, "self-check your own repository before you hand it in"},
	{"batch", cli_batch, "grade a whole class from a roster"},
	{"merge", cli_merge, "merge learners' reports into one grade sheet"},
	{"summary", cli_summary, "a class's grade sheet, summary.json and class page from its reports"},
	{"review", cli_review, "the class's research answers awaiting review; accept or reject them"},
	{"validate", cli_validate, "check specs, sandbox profiles and exercise manifests"},
	{"run", cli_run, "run one command in a sandbox profile and print its measurements"},
	{"fetch", cli_fetch, "fetch a submission as grade would and print the recorded commit"},
	{"show", cli_show, "show written reports as text, JSON, JUnit, GitHub, Gradescope or HTML"},
	{"similarity", cli_similarity, "find learners whose ports are alike (renamed, reformatted, reordered)"},
	{"version", cli_version, "print the versions of the grader and its libraries"},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: grader COMMAND [OPTIONS]\n\n"
		   "Grades chapter 1 of the Rust-for-ML course: builds and runs a learner's Rust port\n"
		   "against its Python original in sandboxes, compares outputs, speed and memory, and\n"
		   "writes a JSON report.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'grader COMMAND --help' for a command's options.\n\n%s", cli_exit_help);
}

int main(int argc, char **argv)
{
	/* cJSON's memory too never runs out: it ends the process as xmalloc does (report.h). */
	cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = xmalloc, .free_fn = free});
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_GRADE_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cli_version(1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "grader: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
