/* cmd_grade.c: `grader grade` (a submission named by URL, repository or directory) and
 * `grader check` (a learner's self-check of their own working tree). */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli/cli.h"
#include "fetch/fetch.h"
#include "fs.h"
#include "grade.h"
#include "learner.h"
#include "log.h"
#include "progress.h"
#include "report.h"
#include "result.h"
#include "sandbox/sandbox.h"
#include "spec.h"
#include "text.h"
#include "measure/timing_lock.h"
#include "watch.h"
#include "banned.h"

struct grade_opts {
	bool check;             /* grader check */
	const char *source;
	const char *spec;
	const char *profiles;
	const char *ref;
	const char *deadline;
	const char *learner;
	const char *reports;
	const char *work;
	const char *only;
	const char *token_hosts[32];
	size_t ntoken_hosts;
	bool no_perf, verbose, quiet, json;
	bool watch;             /* grader check --watch */
};

static void help_grade(FILE *f)
{
	fprintf(f,
		"Usage: grader grade [OPTIONS] SOURCE\n\n"
		"Grades one submission and writes its JSON report to REPORTS/LEARNER/report.json.\n"
		"SOURCE is a git URL (https://, ssh://, git://, file://, user@host:path), a local\n"
		"repository (its committed tree is graded, not the files on disk), or a plain folder\n"
		"(graded as it is, with a warning that there is no commit to record).\n\n"
		"Options:\n"
		"  --ref REF          branch, tag or commit to grade (default: the default branch)\n"
		"  --deadline TIME    grade the newest commit on REF dated no later than TIME\n"
		"                     (ISO 8601 with an offset, e.g. 2026-12-01T23:59:00+01:00);\n"
		"                     later commits are recorded as late\n"
		"  --learner ID       the learner's id: names REPORTS/ID and the work folder WORK/ID;\n"
		"                     1 to 64 letters, digits, '.', '_' or '-', starting with a\n"
		"                     letter or a digit (default: derived from SOURCE's last part)\n"
		"  --spec DIR         the chapter's specs (default: specs/ch01 of the grader's data)\n"
		"  --profiles DIR     the sandbox profiles (default: sandboxes/ of the grader's data)\n"
		"  --reports DIR      where reports go (default: ./reports)\n"
		"  --work DIR         per-learner build and run space, kept for fast regrades\n"
		"                     (default: $XDG_CACHE_HOME/grader or ~/.cache/grader)\n"
		"  --only EXERCISE    grade one exercise only (e.g. ex4)\n"
		"  --no-perf          skip the speed and memory measurements\n"
		"  --token-host HOST  a git host that credentials may be sent to (repeatable; also\n"
		"                     the comma-separated environment variable %s)\n"
		"  --json             print the report on standard output instead of a summary\n"
		"  --quiet            print nothing but errors (no progress either)\n"
		"  -v, --verbose      progress as plain lines, even on a terminal, naming each case\n"
		"  -h, --help         this help\n\n"
		"Progress goes to standard error, never to standard output: on a terminal one\n"
		"status line rewritten in place (\"[1/4] ch01-ex4: case 7/23\"), erased before\n"
		"the summary; otherwise (a log file, CI) or with -v, one plain line per stage,\n"
		"and for counts at most one a second.\n\n"
		"A private repository's token is read from the environment variable %s and\n"
		"sent only to the hosts listed with --token-host or %s, over https (plain\n"
		"http only to a listed loopback address such as 127.0.0.1); it never appears in a\n"
		"report or a message. A host that is not listed and asks for credentials is the\n"
		"submission's error (exit 1, the reason in the report), and receives nothing.\n\n"
		"Timed runs of every grader on this machine, of any user, take turns on one lock\n"
		"file, /run/lock/grader-timing.lock (else in $XDG_RUNTIME_DIR, else /tmp).\n"
		"%s=PATH names another one (\"off\": no lock);\n"
		"%s=SECONDS bounds the wait (default: the measurement's time\n"
		"budget); past it the measurement runs anyway, and the report says so\n"
		"(docs/performance.md, \"The timing lock\").\n\n%s",
		FETCH_TOKEN_HOSTS_ENV, FETCH_TOKEN_ENV, FETCH_TOKEN_HOSTS_ENV, TIMING_LOCK_ENV, TIMING_LOCK_WAIT_ENV,
		cli_exit_help);
}

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
		"  --spec DIR, --profiles DIR, --reports DIR, --work DIR, --json, --quiet,\n"
		"  -v/--verbose       as for 'grader grade'\n"
		"  -h, --help         this help\n\n"
		"While it runs, a status line on standard error says what it is doing (the\n"
		"build, case 7/23, speed and memory run 12/40); plain lines when standard error\n"
		"is not a terminal or with -v, nothing with --quiet.\n\n%s",
		cli_exit_help);
}

/* The learner id from a source: the last path component without ".git", made a safe id
 * (learner.h). Rewriting is fine here, since the user typed no id; but two sources that end alike
 * get one id, so whoever grades several learners into one --work gives --learner. */
static void learner_from_source(const char *source, struct buf *out)
{
	struct buf s = BUF_INIT;
	char *base;

	buf_puts(&s, source);
	while (s.len > 1 && s.data[s.len - 1] == '/')
		s.data[--s.len] = '\0';
	base = strrchr(s.data, '/');
	base = base ? base + 1 : strrchr(s.data, ':') ? strrchr(s.data, ':') + 1 : s.data;
	if (!strcmp(base, ".")) {
		char *real = fs_realpath(source);
		buf_free(&s);
		buf_puts(&s, real ? real : "submission");
		free(real);
		base = strrchr(s.data, '/') ? strrchr(s.data, '/') + 1 : s.data;
	}
	buf_reset(out);
	for (const char *p = base; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			c = '_';
		buf_append(out, &c, 1);
	}
	if (out->len > 4 && !strcmp(out->data + out->len - 4, ".git"))
		out->data[out->len -= 4] = '\0';
	/* a safe id (learner.h): no leading '.', '_' or '-', at most LEARNER_ID_MAX characters */
	{
		size_t skip = strspn(buf_str(out), "._-");
		if (skip) {
			memmove(out->data, out->data + skip, out->len - skip + 1);
			out->len -= skip;
		}
		if (out->len > LEARNER_ID_MAX)
			out->data[out->len = LEARNER_ID_MAX] = '\0';
	}
	if (!out->len)
		buf_puts(out, "submission");
	buf_free(&s);
}

static int default_work(struct buf *out)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	buf_reset(out);
	if (xdg && *xdg)
		return buf_printf(out, "%s/grader", xdg);
	if (home && *home)
		return buf_printf(out, "%s/.cache/grader", home);
	return buf_printf(out, "/tmp/grader-%u", (unsigned)getuid());
}

static void iso_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Records what fetch found in the report's submission section. */
static void record_fetch(struct result_report *r, const struct fetch_result *f)
{
	static const char *const kinds[] = {"url", "repository", "directory"};
	char date[40];

	result_set_str(&r->submission.source, f->source);
	result_set_str(&r->submission.kind, kinds[f->kind]);
	if (f->has_commit) {
		result_set_str(&r->submission.commit, f->commit.id);
		result_set_str(&r->submission.author, f->commit.author);
		result_set_str(&r->submission.date, fetch_format_time(f->commit.time, f->commit.offset, date, sizeof(date)));
	}
	result_set_str(&r->submission.ref, f->ref);
	r->submission.late = f->late;
	r->submission.late_seconds = f->late ? (double)f->late_by : 0;
	for (size_t i = 0; i < f->nwarnings; i++)
		result_warn(r, "%s", f->warnings[i]);
}

/* The chapter's specs for check_root's question, or NULL (then run() reports why). */
static struct spec_chapter *check_chapter(const struct grade_opts *o)
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
static char *check_root(const struct grade_opts *o)
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
		up.len = (size_t)(slash - up.data);
		up.data[up.len] = '\0';
	}
	if (strcmp(up.data, real)) {
		if (!o->quiet)
			log_info(true, "checking the %s at %s", strcmp(up.data, root) ? "submission" : "repository", up.data);
		free(real);
		real = buf_detach(&up);
	}
	spec_chapter_free(c);
	free(root);
	buf_free(&up);
	buf_free(&why);
	return real;
}

/* grader check: what the working tree's status says, as warnings and the report's push record. */
static void record_status(struct result_report *r, const struct fetch_status *st)
{
	struct result_submission *sub = &r->submission;
	/* The check's own report folder is not the learner's change. */
	size_t changed = st->changed, shown = 0;
	struct buf names = BUF_INIT;

	if (st->has_head) {
		char date[40];
		result_set_str(&sub->commit, st->head.id);
		result_set_str(&sub->author, st->head.author);
		result_set_str(&sub->date, fetch_format_time(st->head.time, st->head.offset, date, sizeof(date)));
	} else {
		result_warn(r, "your repository has no commit yet: the instructor grades commits, so commit and push your work");
	}
	for (size_t i = 0; i < st->npaths; i++) {
		/* .grader folders are the check's own (also a submission's inside a bigger repository) */
		if (!strncmp(st->paths[i], ".grader/", 8) || !strcmp(st->paths[i], ".grader") ||
		    strstr(st->paths[i], "/.grader/")) {
			changed--;
			continue;
		}
		if (shown++ < 10)
			buf_printf(&names, "%s%s", names.len ? ", " : "", st->paths[i]);
	}
	if (changed)
		result_warn(r, "%zu file%s changed since your last commit: the instructor will grade the commit, not these changes (%s%s)",
			    changed, changed == 1 ? "" : "s", buf_str(&names), changed > 10 ? ", …" : "");
	buf_free(&names);

	/* The instructor grades what the remote has: compared with the remote-tracking branch, as of
	 * the learner's last fetch or push (no network). */
	sub->has_push = st->has_head || st->detached;
	sub->detached = st->detached;
	result_set_str(&sub->branch, st->branch);
	result_set_str(&sub->upstream, st->upstream);
	sub->ahead = (long)st->ahead;
	sub->behind = (long)st->behind;
	if (st->detached)
		result_warn(r, "HEAD is detached (on no branch): the instructor grades the branch you push, so switch to your branch (git switch main) and commit there");
	else if (st->upstream && st->ahead)
		result_warn(r, "%zu commit%s not pushed to %s: the instructor will not see %s (git push)",
			    st->ahead, st->ahead == 1 ? " is" : "s are", st->upstream, st->ahead == 1 ? "it" : "them");
	else if (st->has_head && st->branch && !st->upstream && st->remote)
		result_warn(r, "your branch %s is not pushed to %s (it has no upstream branch): the instructor will not see it (git push -u %s %s)",
			    st->branch, st->remote, st->remote, st->branch);
	if (st->upstream && st->behind)
		result_warn(r, "%s has %zu commit%s that your branch does not (as of your last fetch): the instructor grades %s, so pull them (git pull) and check again",
			    st->upstream, st->behind, st->behind == 1 ? "" : "s", st->upstream);
}

/* True when no check of `r` failed or erred and the submission was graded: the fast pass of
 * --watch lets the measured pass run. */
static bool report_clean(const struct result_report *r)
{
	if (r->nerrors || r->submission.error)
		return false;
	for (size_t i = 0; i < r->nexercises; i++) {
		const struct result_exercise *e = r->exercises[i];
		if (e->status == RESULT_FAIL || e->status == RESULT_ERROR)
			return false;
		for (size_t j = 0; j < e->nchecks; j++)
			if (e->checks[j]->status == RESULT_FAIL || e->checks[j]->status == RESULT_ERROR)
				return false;
	}
	return true;
}

/* Grades once. `clean` (may be NULL) tells whether the report is clean (report_clean). */
static int run(const struct grade_opts *o, bool *clean)
{
	struct buf data = BUF_INIT, spec = BUF_INIT, profiles = BUF_INIT, err = BUF_INIT,
		   learner = BUF_INIT, work = BUF_INIT, lwork = BUF_INIT, state = BUF_INIT,
		   report_path = BUF_INIT, report_dir = BUF_INIT, json = BUF_INIT, lock = BUF_INIT,
		   cache = BUF_INIT;
	struct spec_chapter *chapter = NULL;
	struct sandbox *sb = NULL;
	struct result_report *r = NULL;
	struct fetch_request freq = {0};
	struct fetch_result fres = {0};
	struct fetch_status st = {0};
	char started[32];
	double t0 = now_seconds();
	struct grade_usage usage = {0};
	int rc = EXIT_INFRA;
	bool fetched = false;
	char *root = NULL;       /* grader check: the folder checked (check_root) */
	const char *source = o->source;
	/* What is happening, on stderr only (progress.h); log messages clear its line first. */
	struct progress *pg = progress_new(stderr, progress_mode_for(stderr, o->quiet, o->verbose));

	log_set_hook(progress_log_hook, pg);
	iso_now(started, sizeof(started));
	if (o->check) {
		if (!(root = check_root(o))) {
			rc = EXIT_USAGE;
			goto out;
		}
		source = root;
	}
	if ((!o->spec || !o->profiles) && cli_data_dir(&data) < 0) {
		log_error("cannot find the grader's data (specs/ and sandboxes/): set GRADER_DATA or pass --spec and --profiles");
		rc = EXIT_USAGE;
		goto out;
	}
	if (o->spec)
		buf_puts(&spec, o->spec);
	else
		fs_join(&spec, data.data, "specs/ch01");
	if (o->profiles)
		buf_puts(&profiles, o->profiles);
	else
		fs_join(&profiles, data.data, "sandboxes");
	chapter = spec_load_chapter(spec.data, &err);
	if (!chapter) {
		fprintf(stderr, "%s", buf_str(&err));
		log_error("the specs in %s are invalid", spec.data);
		rc = EXIT_USAGE;
		goto out;
	}
	if (o->deadline && fetch_parse_deadline(o->deadline, &freq.deadline) < 0) {
		log_error("--deadline '%s' is not an ISO 8601 time with an offset (e.g. 2026-12-01T23:59:00+01:00)", o->deadline);
		rc = EXIT_USAGE;
		goto out;
	}
	freq.has_deadline = o->deadline != NULL;
	if (o->learner) {
		/* a typed id is checked, never rewritten: two ids made safe could become one folder */
		const char *why = learner_id_problem(o->learner);
		if (why) {
			struct buf shown = BUF_INIT;
			learner_id_quote(o->learner, &shown);
			log_error("--learner '%s' is refused: it %s (%s)", buf_str(&shown), why, LEARNER_ID_RULE);
			buf_free(&shown);
			rc = EXIT_USAGE;
			goto out;
		}
		buf_puts(&learner, o->learner);
	} else {
		learner_from_source(source, &learner);
	}
	if (learner_id_problem(learner.data)) { /* cannot happen: the derivation makes it safe */
		log_error("cannot derive a learner id from '%s': give one with --learner", o->source);
		rc = EXIT_USAGE;
		goto out;
	}

	/* Per-learner work space: private, kept between runs for incremental rebuilds. */
	if (o->work)
		buf_puts(&work, o->work);
	else
		default_work(&work);
	fs_join(&lwork, work.data, learner.data);
	if (fs_mkdirs(lwork.data) < 0 || chmod(work.data, 0700) < 0) {
		log_error("cannot create the work directory %s: %s", lwork.data, strerror(errno));
		goto out;
	}
	/* The grader's own files live in WORK/.grader, which no learner id can name (ids never start
	 * with a dot): the trivial programs whose start-up is measured. Timed runs take turns on a
	 * lock shared by the whole machine (timing_lock.h). */
	fs_join(&cache, work.data, ".grader");
	if (fs_mkdirs(cache.data) < 0) {
		log_error("cannot create %s: %s", cache.data, strerror(errno));
		goto out;
	}
	timing_lock_path(&lock);
	fs_join(&state, lwork.data, "sandbox");
	fs_rmtree(state.data);
	if (fs_mkdirs(state.data) < 0) {
		log_error("cannot create %s: %s", state.data, strerror(errno));
		goto out;
	}

	r = result_report_new(learner.data);
	if (!r)
		goto out;
	result_set_str(&r->spec_id, chapter->id);
	result_set_str(&r->started_at, started);
	r->pass_threshold = chapter->pass_threshold;

	if (o->reports)
		fs_join(&report_dir, o->reports, learner.data);
	else if (o->check) {
		struct stat rst;
		fs_join(&report_dir, source, ".grader");
		/* a link there would have the report written wherever it points (in CI, anywhere the
		 * runner may write) */
		if (lstat(report_dir.data, &rst) == 0 && !S_ISDIR(rst.st_mode)) {
			log_error("%s is not a folder (a symbolic link?): remove it, or name a folder with --reports",
				  report_dir.data);
			rc = EXIT_USAGE;
			goto out;
		}
	} else
		fs_join(&report_dir, "reports", learner.data);
	fs_join(&report_path, report_dir.data, "report.json");

	/* What to grade. grader check grades the working tree as it is, and says what is not committed. */
	if (o->check) {
		char *real = root;
		result_set_str(&r->submission.source, real);
		result_set_str(&r->submission.kind, "worktree");
		if (fetch_worktree_status(real, &st) == 0) {
			record_status(r, &st);
		} else {
			result_warn(r, "%s is not a git repository (%s): the instructor grades a commit of your repository",
				    o->source, buf_str(&st.message));
		}
		freq.source = real;
		fres.tree = real;
		fetched = false;
		/* graded in place, as for a plain directory: no link may lead out of it */
		fres.error = fetch_scan_directory(real, 0, true, &fres.message);
		if (fres.error != FETCH_OK) {
			if (fres.error == FETCH_ERR_INFRA)
				result_error(r, "%s", buf_str(&fres.message));
			else
				result_set_str(&r->submission.error, buf_str(&fres.message));
			log_error("%s", buf_str(&fres.message));
		}
		sb = fres.error == FETCH_OK ? sandbox_open(profiles.data, state.data, NULL, &err) : NULL;
		if (sb) {
			struct grade_ctx g = {.chapter = chapter, .submission = real, .workdir = lwork.data,
					      .report_dir = report_dir.data, .sb = sb, .only = o->only,
					      .no_perf = o->no_perf, .verbose = o->verbose,
					      .timing_lock = lock.data, .cache_dir = cache.data,
					      .usage = &usage, .progress = pg};
			grade_submission(&g, r);
		}
		fres.tree = NULL;
	} else {
		freq.source = o->source;
		freq.ref = o->ref;
		freq.parent = lwork.data;
		freq.token_hosts = o->token_hosts;
		freq.ntoken_hosts = o->ntoken_hosts;
		{
			struct buf shown = BUF_INIT; /* a password in the URL is not shown */
			fetch_redact(o->source, &shown);
			progress_stage(pg, "fetching %s", buf_str(&shown));
			buf_free(&shown);
		}
		if (fetch_run(&freq, &fres) < 0) {
			/* What the learner submitted (no such repository or ref, too big, hostile) is
			 * the submission's failure, graded as nothing; a network, credential or disk
			 * problem is ours. */
			bool theirs = fres.error == FETCH_ERR_SOURCE || fres.error == FETCH_ERR_LIMIT ||
				       fres.error == FETCH_ERR_REFUSED;
			result_set_str(&r->submission.source, fres.source ? fres.source : o->source);
			if (theirs)
				result_set_str(&r->submission.error, buf_str(&fres.message));
			else
				result_error(r, "fetch: %s", buf_str(&fres.message));
			log_error("%s", buf_str(&fres.message));
		} else {
			fetched = true;
			record_fetch(r, &fres);
			sb = sandbox_open(profiles.data, state.data, NULL, &err);
			if (sb) {
				struct grade_ctx g = {.chapter = chapter, .submission = fres.tree, .workdir = lwork.data,
						      .report_dir = report_dir.data, .sb = sb, .only = o->only,
						      .no_perf = o->no_perf, .verbose = o->verbose,
					      .timing_lock = lock.data, .cache_dir = cache.data,
					      .usage = &usage, .progress = pg};
				grade_submission(&g, r);
			}
		}
	}
	if (!sb && ((o->check && fres.error == FETCH_OK) || fetched)) {
		result_error(r, "sandbox unavailable: %s", buf_str(&err));
		log_error("sandbox unavailable: %s", buf_str(&err));
	}
	progress_done(pg);
	result_finish(r);
	if (clean)
		*clean = report_clean(r);
	r->duration = now_seconds() - t0;
	r->runs = usage.runs;
	r->run_seconds = usage.run_seconds;
	buf_reset(&err);
	if (report_write(r, report_path.data, &err) < 0) {
		log_error("%s", err.data);
		rc = EXIT_INFRA;
		goto out;
	}
	if (o->check && !o->reports) {
		/* The check's own folder is not the learner's work: a .gitignore of "*" inside it keeps it
		 * out of `git status` and out of a careless `git add -A`. */
		struct buf ignore = BUF_INIT;
		fs_join(&ignore, report_dir.data, ".gitignore");
		if (access(ignore.data, F_OK) != 0 && fs_write_atomic(ignore.data, "*\n", 2) < 0)
			log_warn("cannot write %s: %s", ignore.data, strerror(errno));
		buf_free(&ignore);
	}
	if (o->json) {
		report_to_json(r, &json);
		fputs(buf_str(&json), stdout);
	} else if (!o->quiet) {
		report_print_summary(r, stdout, isatty(STDOUT_FILENO));
		printf("  report   %s\n", report_path.data);
	}
	rc = r->nerrors ? EXIT_INFRA : result_passed(r) ? EXIT_GRADE_OK : EXIT_GRADE_BELOW;
out:
	log_set_hook(NULL, NULL);
	progress_free(pg);
	if (fetched && fres.workdir)
		fs_rmtree(fres.workdir);
	fetch_result_free(&fres);
	fetch_status_free(&st);
	free(root);
	sandbox_close(sb);
	result_report_free(r);
	spec_chapter_free(chapter);
	buf_free(&data);
	buf_free(&spec);
	buf_free(&profiles);
	buf_free(&err);
	buf_free(&learner);
	buf_free(&work);
	buf_free(&lwork);
	buf_free(&state);
	buf_free(&report_path);
	buf_free(&report_dir);
	buf_free(&json);
	buf_free(&lock);
	buf_free(&cache);
	return rc;
}

static int parse(int argc, char **argv, struct grade_opts *o)
{
	static const struct option opts[] = {
		{"spec", required_argument, NULL, 's'},     {"profiles", required_argument, NULL, 'p'},
		{"ref", required_argument, NULL, 'r'},      {"deadline", required_argument, NULL, 'd'},
		{"learner", required_argument, NULL, 'l'},  {"reports", required_argument, NULL, 'o'},
		{"work", required_argument, NULL, 'w'},     {"only", required_argument, NULL, 'e'},
		{"no-perf", no_argument, NULL, 'P'},        {"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"token-host", required_argument, NULL, 't'},
		{"watch", no_argument, NULL, 'W'},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->spec = optarg; break;
		case 'p': o->profiles = optarg; break;
		case 'r': o->ref = optarg; break;
		case 'd': o->deadline = optarg; break;
		case 'l': o->learner = optarg; break;
		case 'o': o->reports = optarg; break;
		case 'w': o->work = optarg; break;
		case 'e': o->only = optarg; break;
		case 'P': o->no_perf = true; break;
		case 'j': o->json = true; break;
		case 'q': o->quiet = true; break;
		case 'v': o->verbose = true; break;
		case 'W': o->watch = true; break;
		case 't':
			if (o->ntoken_hosts == sizeof(o->token_hosts) / sizeof(o->token_hosts[0])) {
				fprintf(stderr, "grader: more than %zu --token-host options\n", o->ntoken_hosts);
				return -1;
			}
			o->token_hosts[o->ntoken_hosts++] = optarg;
			break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (o->watch && !o->check) {
		fprintf(stderr, "grader grade: --watch is for 'grader check'\n");
		return -1;
	}
	if (o->watch && o->json) {
		/* a pass prints a summary for a person; one JSON document per pass would not be one
		 * document on standard output */
		fprintf(stderr, "grader check: --watch prints summaries for a person, not --json (the report of the last pass is in .grader/report.json)\n");
		return -1;
	}
	if (o->check && (o->ref || o->deadline)) {
		fprintf(stderr, "grader check: --ref and --deadline are for 'grader grade'\n");
		return -1;
	}
	return 0;
}

/* Makes the folder options absolute, once, here: the sandbox binds only absolute paths, and a
 * relative --work made every grading an infrastructure error after its build. `owned` keeps the
 * new strings for the caller to free. Returns -1 when the current directory cannot be known. */
static int absolute_paths(struct grade_opts *o, char *owned[4])
{
	const char **fields[4] = {&o->work, &o->reports, &o->spec, &o->profiles};
	char cwd[4096];

	for (int i = 0; i < 4; i++) {
		struct buf b = BUF_INIT;
		owned[i] = NULL;
		if (!*fields[i] || (*fields[i])[0] == '/')
			continue;
		if (!getcwd(cwd, sizeof(cwd))) {
			log_error("cannot find the current directory: %s", strerror(errno));
			return -1;
		}
		fs_join(&b, cwd, *fields[i]);
		owned[i] = buf_detach(&b);
		*fields[i] = owned[i];
	}
	return 0;
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
	printf("──── %s ── %s%s ────\n", clock, shown.len ? buf_str(&shown) : "checking", shown.len ? " changed" : "");
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
static int watch_pass(const struct grade_opts *o, struct watch *w)
{
	struct grade_opts fast = *o;
	bool clean = false;
	int rc;

	fast.no_perf = true;
	watch_in_pass = 1;
	rc = run(&fast, &clean);
	fflush(stdout);
	if (!o->no_perf && rc != EXIT_USAGE) {
		if (clean && watch_pending(w)) {
			if (!o->quiet)
				printf("\nFiles changed during the check: checking again before measuring.\n");
		} else if (clean) {
			if (!o->quiet)
				printf("\nThe fast checks pass: measuring speed and memory...\n\n");
			fflush(stdout);
			rc = run(o, NULL);
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
static int check_watch(struct grade_opts *o)
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
	o->source = root; /* found once: later passes do not announce it again */
	if (o->work)
		buf_puts(&work, o->work);
	else
		default_work(&work);
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
		log_error("--watch: %s", buf_str(&err));
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
			log_error("--watch: %s", buf_str(&err));
			rc = EXIT_INFRA;
			break;
		}
		if (!got)
			break;
		if (!o->quiet)
			watch_rule(buf_str(&what), tty);
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

/* run() (or the watch loop) with the folder options made absolute. */
static int run_absolute(struct grade_opts *o)
{
	char *owned[4] = {0};
	int rc = absolute_paths(o, owned) < 0 ? EXIT_USAGE : o->watch ? check_watch(o) : run(o, NULL);

	for (int i = 0; i < 4; i++)
		free(owned[i]);
	return rc;
}

int cli_grade(int argc, char **argv)
{
	struct grade_opts o = {0};
	int p = parse(argc, argv, &o);

	if (p > 0) {
		help_grade(stdout);
		return EXIT_GRADE_OK;
	}
	if (p < 0 || optind != argc - 1) {
		if (p == 0)
			fprintf(stderr, "grader grade: name exactly one SOURCE (a URL, repository or folder)\n\n");
		help_grade(stderr);
		return EXIT_USAGE;
	}
	o.source = argv[optind];
	return run_absolute(&o);
}

int cli_check(int argc, char **argv)
{
	struct grade_opts o = {.check = true};
	int p = parse(argc, argv, &o);

	if (p > 0) {
		help_check(stdout);
		return EXIT_GRADE_OK;
	}
	if (p < 0 || argc - optind > 1) {
		help_check(stderr);
		return EXIT_USAGE;
	}
	o.source = optind < argc ? argv[optind] : ".";
	return run_absolute(&o);
}
