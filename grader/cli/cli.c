/* cli.c: what the subcommands share: exit statuses, their help text, the grader's data folder. */
#include "cli/cli.h"

#include <libgen.h>
#include <stdlib.h>
#include <unistd.h>

#include "fs.h"
#include "banned.h"

const char cli_exit_help[] =
	"Exit status:\n"
	"  0  success (grade/check: the submission reached the pass threshold)\n"
	"  1  graded below the pass threshold, or the submission cannot be graded (its error)\n"
	"  2  usage error, or an invalid spec, profile or manifest\n"
	"  3  infrastructure error (sandbox unavailable, clone failed, disk full)\n";

int cli_exit_status(enum error_class cls)
{
	switch (cls) {
	case ERROR_NONE:
		return EXIT_GRADE_OK;
	case ERROR_LEARNER:
		return EXIT_GRADE_BELOW;
	case ERROR_CONFIG:
		return EXIT_USAGE;
	case ERROR_INFRA:
		return EXIT_INFRA;
	}
	return EXIT_INFRA;
}

static int has_data(const char *dir)
{
	struct buf p = BUF_INIT;
	int ok;

	fs_join(&p, dir, "sandboxes");
	ok = fs_is_dir(p.data);
	fs_join(&p, dir, "specs");
	ok = ok && fs_is_dir(p.data);
	buf_free(&p);
	return ok;
}

int cli_data_dir(struct buf *out)
{
	static const char *const rel[] = {"..", "../..", "../share/grader", NULL};
	const char *env = getenv("GRADER_DATA");
	char exe[4096];
	ssize_t n;

	buf_reset(out);
	if (env && *env) {
		if (!has_data(env))
			return -1;
		buf_puts(out, env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (size_t i = 0; rel[i]; i++) {
		struct buf cand = BUF_INIT;
		char *real;
		fs_join(&cand, dirname(exe), rel[i]);
		real = fs_realpath(cand.data);
		buf_free(&cand);
		if (real && has_data(real)) {
			buf_puts(out, real);
			free(real);
			return 0;
		}
		free(real);
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
	}
	return -1;
}
