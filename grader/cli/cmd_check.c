/* cmd_check.c: `grader check`: a learner's self-check of their own working tree, once or, with
 * --watch, again whenever a file changes. Each pass is one grading (cli_grade_once, session.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli/cli.h"
#include "fetch/fetch.h"
#include "fs.h"
#include "log.h"
#include "spec.h"
#include "text.h"
#include "watch.h"
#include "banned.h"

static void help_check(FILE *f)
{
	fprintf(f,
		"Usage: grader check [OPTIONS] [DIR]\n\n"
		"Self-check before you hand in: grades the files in your clone exactly as the\n"
		"instructor's grader will, and tells you which of your changes are not committed\n"
		"yet and which commits are not pushed (the instructor grades the remote's commit,\n"
		"not your working tree). DIR (default: the current folder) may be any folder of\n"
		"the clone: the repository's root is found as git finds it, and checked (or, on\n"
		"the way up, the first folder that holds the chapter's files, such as\n"
		"ex4/exercise.yaml). Outside a git repository DIR itself is checked. The report\n"
		"goes to ROOT/.grader/report.json unless --reports says otherwise; .grader/ holds\n"
		"a .gitignore, so that git leaves it out of your commits.\n\n"
		"Options:\n"
		"  --only EXERCISE    check one exercise only (e.g. ex4)\n"
		"  --no-perf          skip the speed and memory measurements (faster)\n"
		"  --watch            check again whenever a file of the repository changes (not\n"
		"                     in .git, .grader, target or git-ignored folders): the fast\n"
		"                     checks first, then, once none fails, speed and memory;\n"
		"                     Ctrl-C stops (exit 130); not with --json\n"
		"  --class-catalog FILE  the class's decisions on names the chapter's catalogs do\n"
		"                     not know, as your instructor gave them (docs/review.md)\n"
		"  --spec DIR, --profiles DIR, --reports DIR, --work DIR, --json, --format LIST,\n"
		"  --out DIR, --quiet,\n"
		"  -v/--verbose       as for 'grader grade'\n"
		"  -h, --help         this help\n\n"
		"While it runs, a status line on standard error says what it is doing (the\n"
		"build, case 7/23, speed and memory run 12/40); plain lines when standard error\n"
		"is not a terminal or with -v, nothing with --quiet.\n\n%s",
		cli_exit_help);
}

/* The chapter's specs for check_root's question, or NULL (then cli_grade_once() reports why). */
static struct spec_chapter *check_chapter(const struct cli_grade_opts *o)
{
	struct buf data = BUF_INIT, spec = BUF_INIT, err = BUF_INIT;
	struct spec_chapter *c = NULL;

	if (o->spec)
		buf_puts(&spec, o->spec);
	else if (cli_data_dir(&data) == 0)
		fs_join(&spec, data.data, "specs/ch01");
	if (spec.len)
		c = spec_load_chapter(spec.data, &err);
	buf_free(&data);
	buf_free(&spec);
	buf_free(&err);
	return c;
}

/* Whether `dir` holds a file the chapter asks a learner for (ex4/exercise.yaml, ex1/...). */
static bool holds_submission(const struct spec_chapter *c, const char *dir)
{
	for (size_t i = 0; c && i < c->nexercises; i++) {
		const struct spec_exercise *e = c->exercises[i];
		const char *f = e->kind == SPEC_ANSWERS ? e->answers.file : e->manifest;
		if (f && fs_exists_beneath(dir, f))
			return true;
	}
	return false;
}

/* grader check: the folder to check, as a real path. DIR inside a git working tree means the
 * nearest folder from DIR up to that tree's root (found as git finds it, fetch_discover_root)
 * that holds the chapter's files (holds_submission), else the root itself: `grader check` run
 * from ex4/ checks the whole submission and writes its report to ROOT/.grader/, never to
 * ex4/.grader/, and a submission kept in a folder of a bigger repository (as
 * submissions/examples/correct in the grader's) is still checked as itself. Outside any
 * repository, DIR itself (the caller warns). Returns NULL after a message when DIR is not a
 * folder. */
static char *check_root(const struct cli_grade_opts *o)
{
	struct buf why = BUF_INIT, up = BUF_INIT;
	char *real = fs_realpath(o->source), *root = NULL;
	struct spec_chapter *c;

	if (!real || !fs_is_dir(real)) {
		log_error("%s: not a folder", o->source);
		free(real);
		return NULL;
	}
	if (fetch_discover_root(real, &root, &why) <= 0 || !strcmp(root, real)) {
		free(root);
		buf_free(&why);
		return real;
	}
	/* root is a real path above real: climb from real until a submission or the root */
	c = check_chapter(o);
	buf_puts(&up, real);
	while (strcmp(up.data, root) && !holds_submission(c, up.data)) {
		char *slash = strrchr(up.data, '/');
		if (!slash || slash == up.data)
			break; /* cannot happen: root is above */
		buf_setlen(&up, (size_t)(slash - up.data));
	}
	if (strcmp(up.data, real)) {
		if (!o->quiet)
			log_info(true, "checking the %s at %s",
				 strcmp(up.data, root) ? "submission" : "repository", up.data);
		free(real);
		real = buf_detach(&up);
	}
	spec_chapter_free(c);
	free(root);
	buf_free(&up);
	buf_free(&why);
	return real;
}

/* ---- grader check --watch ------------------------------------------------------------------ */

#define WATCH_QUIET_MS 300 /* a change counts once nothing more changed for this long */

static volatile sig_atomic_t watch_signal;  /* SIGINT or SIGTERM received */
static volatile sig_atomic_t watch_in_pass; /* a pass is running */

/* Between passes, the loop sees the flag and ends tidily. During a pass (builds, runs, timings),
 * waiting for the pass to end could take a minute: the grader says so and exits at once; its
 * sandboxed programs die with it (--die-with-parent), the timing lock is released with its file
 * descriptor, and the report of the pass is not written (the previous one stays). */
static void watch_on_signal(int sig)
{
	static const char msg[] = "\ngrader: stopped during a check: this check's report was not written\n";

	watch_signal = sig;
	if (watch_in_pass) {
		ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)ignored;
		_exit(128 + sig);
	}
}

/* Prints the line that starts a new round: a rule with the time and what changed. On a terminal
 * the screen is cleared first, so that the newest summary is all there is to read. */
static void watch_rule(const char *what, bool tty)
{
	struct buf shown = BUF_INIT;
	char clock[16];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (what && *what)
		text_visible(&shown, what, strlen(what), NULL); /* a learner's file name */
	if (tty)
		fputs("\033[H\033[2J", stdout);
	printf("──── %s ── %s%s ────\n", clock, shown.len ? shown.data : "checking",
	       shown.len ? " changed" : "");
	fflush(stdout);
	buf_free(&shown);
}

/* watch_skip_fn: a folder git ignores and tracks nothing in (a .venv) is not watched. */
static bool watch_skip_ignored(const char *rel, void *arg)
{
	return fetch_ignore_dir(arg, rel);
}

/* One round of --watch: the fast checks (as with --no-perf), then, when none failed, nothing
 * changed meanwhile and the user did not give --no-perf, the whole check with the measurements. */
static int watch_pass(const struct cli_grade_opts *o, struct watch *w)
{
	struct cli_grade_opts fast = *o;
	bool clean = false;
	int rc;

	fast.no_perf = true;
	watch_in_pass = 1;
	rc = cli_grade_once(&fast, &clean);
	fflush(stdout);
	if (!o->no_perf && rc != EXIT_USAGE) {
		if (clean && watch_pending(w)) {
			if (!o->quiet)
				printf("\nFiles changed during the check: checking again before measuring.\n");
		} else if (clean) {
			if (!o->quiet)
				printf("\nThe fast checks pass: measuring speed and memory...\n\n");
			fflush(stdout);
			rc = cli_grade_once(o, NULL);
		} else if (!o->quiet) {
			printf("\nSpeed and memory are measured once the checks above pass.\n");
		}
	}
	fflush(stdout);
	watch_in_pass = 0;
	return rc;
}

/* grader check --watch: checks, then checks again whenever a file of the repository changes,
 * until SIGINT or SIGTERM (exit 128 + the signal). Leaves out .git, .grader and target folders,
 * folders git ignores and tracks nothing in, and the --work and --reports folders when they are
 * inside the repository. */
static int check_watch(struct cli_grade_opts *o)
{
	static const char *const names[] = {".git", ".grader", "target", NULL};
	struct buf work = BUF_INIT, what = BUF_INIT, err = BUF_INIT;
	const char *paths[3] = {NULL, NULL, NULL};
	char *root, *work_real = NULL, *reports_real = NULL;
	struct sigaction sa;
	struct watch *w = NULL;
	struct fetch_ignore *ignore = NULL;
	bool tty = isatty(STDOUT_FILENO);
	int rc = EXIT_INFRA;

	if (!(root = check_root(o)))
		return EXIT_USAGE;
	o->source = o->root = root; /* found once: later passes do not announce it again */
	if (o->work)
		buf_puts(&work, o->work);
	else
		cli_default_work(&work);
	paths[0] = (work_real = fs_realpath(work.data)) ? work_real : work.data;
	if (o->reports)
		paths[1] = (reports_real = fs_realpath(o->reports)) ? reports_real : o->reports;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watch_on_signal; /* no SA_RESTART: the wait returns on EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* Watch before the first pass, so that a change made during it is seen. */
	ignore = fetch_ignore_open(root);
	w = watch_open(root, names, paths, ignore ? watch_skip_ignored : NULL, ignore, &err);
	if (!w) {
		log_error("--watch: %s", err.data);
		goto out;
	}
	if (tty)
		watch_rule(NULL, tty);
	for (;;) {
		int got;
		rc = watch_pass(o, w);
		if (rc == EXIT_USAGE || watch_signal)
			break;
		if (!o->quiet)
			printf("\nWatching %s for changes (Ctrl-C to stop)\n", root);
		fflush(stdout);
		got = watch_wait(w, WATCH_QUIET_MS, &watch_signal, &what, &err);
		if (got < 0) {
			log_error("--watch: %s", err.data);
			rc = EXIT_INFRA;
			break;
		}
		if (!got)
			break;
		if (!o->quiet)
			watch_rule(what.data, tty);
	}
	if (watch_signal) {
		fprintf(stderr, "\ngrader: stopped watching\n");
		rc = 128 + watch_signal;
	}
out:
	watch_close(w);
	fetch_ignore_close(ignore);
	free(root);
	free(work_real);
	free(reports_real);
	buf_free(&work);
	buf_free(&what);
	buf_free(&err);
	return rc;
}

int cli_check(int argc, char **argv)
{
	struct cli_grade_opts o = {.check = true};
	char *owned[4] = {0}, *root = NULL;
	int p = cli_grade_parse(argc, argv, &o), rc;

	if (p > 0) {
		help_check(stdout);
		return EXIT_GRADE_OK;
	}
	if (p < 0 || argc - optind > 1) {
		help_check(stderr);
		return EXIT_USAGE;
	}
	o.source = optind < argc ? argv[optind] : ".";
	if (cli_grade_absolute_paths(&o, owned) < 0)
		rc = EXIT_USAGE;
	else if (o.watch)
		rc = check_watch(&o);
	else if (!(root = check_root(&o)))
		rc = EXIT_USAGE;
	else {
		o.root = root;
		rc = cli_grade_once(&o, NULL);
	}
	free(root);
	for (int i = 0; i < 4; i++)
		free(owned[i]);
	return rc;
}
