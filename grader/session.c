/* session.c: one grading of one submission, from its work space to its written report (see
 * session.h). */
#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "fetch/fetch.h"
#include "fingerprint.h"
#include "fs.h"
#include "grade.h"
#include "inputs.h"
#include "log.h"
#include "measure/timing_lock.h"
#include "report.h"
#include "sandbox/sandbox.h"
#include "views/model.h"
#include "banned.h"

/* The folders of one grading (make_workspace, report_folder). */
struct workspace {
	struct buf lwork; /* WORK/LEARNER: private, kept between runs for incremental rebuilds */
	struct buf cache; /* WORK/.grader: the grader's own files */
	struct buf lock;  /* the timing lock's file (timing_lock.h) */
	struct buf state; /* WORK/LEARNER/sandbox: the sandbox's scratch state, fresh each time */
	struct buf report_dir, report_path;
	int lock_fd; /* WORK/LEARNER/.lock, held for the whole grading; -1 before */
};

static void iso_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
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
		result_set_str(&r->submission.date,
			       fetch_format_time(f->commit.time, f->commit.offset, date, sizeof(date)));
	}
	result_set_str(&r->submission.ref, f->ref);
	r->submission.late = f->late;
	r->submission.late_seconds = f->late ? (double)f->late_by : 0;
	if (f->has_deadline)
		result_set_str(&r->submission.deadline, fetch_format_time(f->deadline, 0, date, sizeof(date)));
	r->submission.graded_commit_late = f->graded_late;
	r->submission.later_commits = f->later_commits;
	for (size_t i = 0; i < f->nwarnings; i++)
		result_warn(r, "%s", f->warnings[i]);
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
		result_set_str(&sub->date,
			       fetch_format_time(st->head.time, st->head.offset, date, sizeof(date)));
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
			    changed, changed == 1 ? "" : "s", names.data, changed > 10 ? ", …" : "");
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
			    st->ahead, st->ahead == 1 ? " is" : "s are", st->upstream,
			    st->ahead == 1 ? "it" : "them");
	else if (st->has_head && st->branch && !st->upstream && st->remote)
		result_warn(r, "your branch %s is not pushed to %s (it has no upstream branch): the instructor will not see it (git push -u %s %s)",
			    st->branch, st->remote, st->remote, st->branch);
	if (st->upstream && st->behind)
		result_warn(r, "%s has %zu commit%s that your branch does not (as of your last fetch): the instructor grades %s, so pull them (git pull) and check again",
			    st->upstream, st->behind, st->behind == 1 ? "" : "s", st->upstream);
}

/* Removes from `dir` what a grading killed before its end left there: folders named fetch-*
 * (with `folders`), and files whose name has ".tmp." (fs_write_atomic's temp files). Links and
 * anything else are left alone. Only under the learner's lock. */
static void remove_leftovers(const char *dir, bool folders)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct buf p = BUF_INIT;

	while (d && (e = readdir(d))) {
		struct stat st;
		buf_reset(&p);
		fs_join(&p, dir, e->d_name);
		if (lstat(p.data, &st) < 0)
			continue;
		if (folders && S_ISDIR(st.st_mode) && !strncmp(e->d_name, "fetch-", 6))
			fs_rmtree(p.data);
		else if (S_ISREG(st.st_mode) && strstr(e->d_name, ".tmp."))
			unlink(p.data);
	}
	if (d)
		closedir(d);
	buf_free(&p);
}

/* Takes WORK/LEARNER/.lock: one grading of a learner at a time (another waits, after saying so).
 * Returns 0, or -1 after a message. */
static int lock_learner(const struct session_options *o, struct workspace *ws)
{
	struct buf path = BUF_INIT;
	int rc = -1;

	fs_join(&path, ws->lwork.data, ".lock");
	ws->lock_fd = open(path.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (ws->lock_fd < 0) {
		log_error("cannot open %s: %s", path.data, strerror(errno));
		goto out;
	}
	if (flock(ws->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			log_error("cannot lock %s: %s", path.data, strerror(errno));
			goto out;
		}
		log_warn("another grading of %s is running (it holds %s): waiting for it to end",
			 o->learner, path.data);
		while (flock(ws->lock_fd, LOCK_EX) < 0)
			if (errno != EINTR) {
				log_error("cannot lock %s: %s", path.data, strerror(errno));
				goto out;
			}
	}
	rc = 0;
out:
	buf_free(&path);
	return rc;
}

/* Makes the work space of `o->learner` under `o->work`. Returns 0, or -1 after a message. */
static int make_workspace(const struct session_options *o, struct workspace *ws)
{
	/* Per-learner work space: private, kept between runs for incremental rebuilds. */
	fs_join(&ws->lwork, o->work, o->learner);
	if (fs_mkdirs(ws->lwork.data) < 0 || chmod(o->work, 0700) < 0) {
		log_error("cannot create the work directory %s: %s", ws->lwork.data, strerror(errno));
		return -1;
	}
	if (lock_learner(o, ws) < 0)
		return -1;
	remove_leftovers(ws->lwork.data, true);
	/* The grader's own files live in WORK/.grader, which no learner id can name (ids never start
	 * with a dot): the trivial programs whose start-up is measured. Timed runs take turns on a
	 * lock shared by the whole machine (timing_lock.h). */
	fs_join(&ws->cache, o->work, ".grader");
	if (fs_mkdirs(ws->cache.data) < 0) {
		log_error("cannot create %s: %s", ws->cache.data, strerror(errno));
		return -1;
	}
	timing_lock_path(&ws->lock);
	fs_join(&ws->state, ws->lwork.data, "sandbox");
	fs_rmtree(ws->state.data);
	if (fs_mkdirs(ws->state.data) < 0) {
		log_error("cannot create %s: %s", ws->state.data, strerror(errno));
		return -1;
	}
	return 0;
}

/* Where the report goes (see session_options.reports). Returns 0, or -1 after a message when a
 * working tree's .grader is not a folder. */
static int report_folder(const struct session_options *o, struct workspace *ws)
{
	if (o->reports) {
		fs_join(&ws->report_dir, o->reports, o->learner);
	} else if (o->worktree) {
		struct stat rst;
		fs_join(&ws->report_dir, o->worktree, ".grader");
		/* a link there would have the report written wherever it points (in CI, anywhere the
		 * runner may write) */
		if (lstat(ws->report_dir.data, &rst) == 0 && !S_ISDIR(rst.st_mode)) {
			log_error("%s is not a folder (a symbolic link?): remove it, or name a folder with --reports",
				  ws->report_dir.data);
			return -1;
		}
	} else {
		fs_join(&ws->report_dir, "reports", o->learner);
	}
	fs_join(&ws->report_path, ws->report_dir.data, "report.json");
	remove_leftovers(ws->report_dir.data, false);
	return 0;
}

/* A fetch (or a working tree's scan) that failed. What the learner submitted (no such repository
 * or ref, too big, hostile: fetch_error_class says ERROR_LEARNER) is the submission's failure,
 * graded as nothing; a network, credential or disk problem is ours, a report error (after
 * `prefix`). */
static void record_fetch_error(struct result_report *r, enum fetch_error e, const char *prefix, const char *message)
{
	if (fetch_error_class(e) == ERROR_LEARNER)
		result_set_str(&r->submission.error, message);
	else
		result_error(r, "%s%s", prefix, message);
	log_error("%s", message);
}

/* grader check: records the working tree's status, and scans it as fetch does a plain folder.
 * Returns the tree to grade, or NULL when the scan refused it (recorded). */
static const char *take_worktree(const struct session_options *o, struct result_report *r)
{
	struct fetch_status st = {.message = BUF_INIT};
	struct buf message = BUF_INIT;
	enum fetch_error e;

	result_set_str(&r->submission.source, o->worktree);
	result_set_str(&r->submission.kind, "worktree");
	if (fetch_worktree_status(o->worktree, &st) == 0) {
		record_status(r, &st);
	} else {
		result_warn(r, "%s is not a git repository (%s): the instructor grades a commit of your repository",
			    o->source, st.message.data);
	}
	/* graded in place, as for a plain directory: no link may lead out of it */
	e = fetch_scan_directory(o->worktree, 0, true, &message);
	if (e != FETCH_OK)
		record_fetch_error(r, e, "", message.data);
	fetch_status_free(&st);
	buf_free(&message);
	return e == FETCH_OK ? o->worktree : NULL;
}

/* grader grade: fetches the submission into a fresh WORK/LEARNER/fetch-XXXXXX and records what was
 * found. Returns the tree to grade (fres->tree), or NULL when the fetch failed (recorded). */
static const char *fetch_submission(const struct session_options *o, const struct workspace *ws,
				    struct result_report *r, struct fetch_result *fres)
{
	struct fetch_request freq = {
		.source = o->source,
		.ref = o->ref,
		.has_deadline = o->has_deadline,
		.deadline = o->deadline,
		.grade_tip = o->chapter->late.penalty,
		.parent = ws->lwork.data,
		.token_hosts = o->token_hosts,
		.ntoken_hosts = o->ntoken_hosts,
	};
	struct buf shown = BUF_INIT; /* a password in the URL is not shown */

	fetch_redact(o->source, &shown);
	progress_stage(o->progress, "fetching %s", shown.data);
	buf_free(&shown);
	if (fetch_run(&freq, fres) < 0) {
		result_set_str(&r->submission.source, fres->source ? fres->source : o->source);
		record_fetch_error(r, fres->error, "fetch: ", fres->message.data);
		return NULL;
	}
	record_fetch(r, fres);
	return fres->tree;
}

/* Opens the sandbox; one that cannot be opened is a report error, whose class (error.h) goes to
 * *cls. */
static struct sandbox *open_sandbox(const struct session_options *o, const struct workspace *ws,
				    struct result_report *r, enum error_class *cls)
{
	struct buf err = BUF_INIT;
	enum error_class fault = ERROR_INFRA;
	struct sandbox *sb = sandbox_open(o->profiles, ws->state.data, &fault, &err);

	if (!sb) {
		result_error(r, "sandbox unavailable: %s", err.data);
		log_error("sandbox unavailable: %s", err.data);
		*cls = fault;
	}
	buf_free(&err);
	return sb;
}

/* Records the grading's inputs in r->inputs (inputs.h). A failure only costs the key: the
 * report is then never reused, and the grading goes on. */
static void take_inputs(const struct session_options *o, const struct fetch_result *f, const char *tree,
			const char *const toolchain[3], struct result_report *r)
{
	struct buf err = BUF_INIT;
	char given[40];
	struct inputs_request q = {
		.learner = o->learner,
		.source = o->source,
		.ref = o->ref,
		.commit = f->has_commit ? f->commit.id : NULL,
		.tree = tree,
		.spec_dir = o->chapter->dir,
		.profiles_dir = o->profiles,
		.no_perf = o->no_perf,
		.only = o->only,
		.extension = o->extension,
		.class_catalog = o->class_catalog,
	};

	if (o->deadline_given) {
		int64_t t;
		if (fetch_parse_deadline(o->deadline_given, &t) == 0)
			q.deadline = fetch_format_time(t, 0, given, sizeof(given));
	}
	q.python = toolchain[0];
	q.rustc = toolchain[1];
	q.cargo = toolchain[2];
	if (inputs_take(&q, &r->inputs, &err) < 0)
		log_warn("this report will not be reused: %s", err.data);
	buf_free(&err);
}

static int write_report(const struct session_options *o, const struct workspace *ws,
			const struct result_report *r);

/* The report already written, when o->reuse and its inputs are r's: the model of it, or NULL. */
static struct result_report *reusable(const struct session_options *o, const struct workspace *ws,
				      const struct result_report *r)
{
	struct buf err = BUF_INIT;
	struct result_report *old = NULL;
	void *tree;

	if (!o->reuse || !r->inputs.key || access(ws->report_path.data, F_OK) != 0)
		return NULL;
	tree = report_read(ws->report_path.data, &err);
	if (inputs_report_matches(tree, &r->inputs))
		old = view_model_from_json(tree);
	cJSON_Delete(tree);
	buf_free(&err);
	return old;
}

/* Keeps the report already written when o->reuse and its inputs are r's: out->report is its
 * model. Returns whether it did. */
static bool keep_report(const struct session_options *o, const struct workspace *ws,
			const struct result_report *r, struct session_outcome *out)
{
	struct result_report *old = reusable(o, ws, r);

	if (!old)
		return false;
	log_info(o->verbose, "%s: the inputs are those of the report already written: kept it", o->learner);
	progress_done(o->progress);
	out->report = old;
	out->reused = true;
	out->error = ERROR_NONE;
	if (o->overrides) { /* overrides are not inputs: applied to the kept report, no sandbox */
		bool changed = false;
		overrides_apply(o->overrides, old, &changed);
		if (changed && write_report(o, ws, old) < 0)
			out->error = ERROR_INFRA;
	}
	return true;
}

/* The chapter's late policy (spec.h, struct spec_late): a penalty on a graded commit dated after
 * the deadline, for each day begun. */
static void apply_late_policy(const struct session_options *o, const struct fetch_result *f,
			      struct result_report *r)
{
	const struct spec_late *l = &o->chapter->late;
	double days, fraction;
	struct buf why = BUF_INIT;

	if (!l->penalty || !f->graded_late)
		return;
	days = ceil((double)f->graded_late_by / 86400.0);
	fraction = fmin(l->max, l->per_day * days);
	buf_printf(&why, "the graded commit is %.0f day%s late (a day begun counts) at %g%% a day", days,
		   days == 1 ? "" : "s", l->per_day * 100);
	if (fraction < l->per_day * days)
		buf_printf(&why, ", at most %g%%", l->max * 100);
	r->penalty = fraction;
	result_set_str(&r->penalty_reason, why.data);
	buf_free(&why);
}

/* Grades `tree` into `r` in the sandbox `sb`. */
static void grade_tree(const struct session_options *o, const struct workspace *ws, struct sandbox *sb,
		       const char *tree, struct grade_usage *usage, struct result_report *r)
{
	{
		struct grade_ctx g = {
			.chapter = o->chapter,
			.submission = tree,
			.workdir = ws->lwork.data,
			.report_dir = ws->report_dir.data,
			.sb = sb,
			.only = o->only,
			.no_perf = o->no_perf,
			.verbose = o->verbose,
			.timing_lock = ws->lock.data,
			.cache_dir = ws->cache.data,
			.usage = usage,
			.progress = o->progress,
			.class_catalog = o->class_catalog,
		};
		grade_submission(&g, r);
	}
}

/* Writes the report; for a working tree's own .grader folder, a .gitignore beside it. Returns 0,
 * or -1 after a message. */
static int write_report(const struct session_options *o, const struct workspace *ws,
			const struct result_report *r)
{
	struct buf err = BUF_INIT;
	int rc = report_write(r, ws->report_path.data, &err);

	if (rc < 0)
		log_error("%s", err.data);
	else if (o->worktree && !o->reports) {
		/* The check's own folder is not the learner's work: a .gitignore of "*" inside it keeps it
		 * out of `git status` and out of a careless `git add -A`. */
		struct buf ignore = BUF_INIT;
		fs_join(&ignore, ws->report_dir.data, ".gitignore");
		if (access(ignore.data, F_OK) != 0 && fs_write_atomic(ignore.data, "*\n", 2) < 0)
			log_warn("cannot write %s: %s", ignore.data, strerror(errno));
		buf_free(&ignore);
	}
	buf_free(&err);
	return rc;
}

int session_run(const struct session_options *o, struct session_outcome *out)
{
	struct workspace ws = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, -1};
	struct sandbox *sb = NULL;
	struct fetch_result fres = {.message = BUF_INIT};
	struct grade_usage usage = {0};
	struct result_report *r = NULL;
	const char *tree;
	char started[32];
	double t0 = clock_now();

	iso_now(started, sizeof(started));
	out->error = ERROR_INFRA;
	if (make_workspace(o, &ws) < 0)
		goto out;
	r = result_report_new(o->learner);
	result_set_str(&r->spec_id, o->chapter->id);
	result_set_str(&r->started_at, started);
	r->pass_threshold = o->chapter->pass_threshold;
	if (report_folder(o, &ws) < 0) {
		out->error = ERROR_CONFIG;
		goto out;
	}

	/* What to grade: grader check grades the working tree as it is, and says what is not
	 * committed; grader grade what fetch made of the source. */
	tree = o->worktree ? take_worktree(o, r) : fetch_submission(o, &ws, r, &fres);
	out->report_errors = ERROR_INFRA;
	/* With the toolchain grader batch found, a report whose inputs are unchanged is kept without
	 * opening a sandbox (a kept learner costs a fetch and the digests) */
	if (tree && !o->worktree && o->reuse && o->toolchain_hint) {
		take_inputs(o, &fres, tree, o->toolchain_hint, r);
		if (keep_report(o, &ws, r, out))
			goto out;
	}
	if (tree && (sb = open_sandbox(o, &ws, r, &out->report_errors))) {
		const char *toolchain[3];
		sandbox_toolchain(sb, &toolchain[0], &toolchain[1], &toolchain[2]);
		if (!o->worktree)
			take_inputs(o, &fres, tree, toolchain, r);
		if (keep_report(o, &ws, r, out))
			goto out;
		grade_tree(o, &ws, sb, tree, &usage, r);
		apply_late_policy(o, &fres, r);
	}
	progress_done(o->progress);
	result_finish(r);
	r->duration = clock_now() - t0;
	r->runs = usage.runs;
	r->run_seconds = usage.run_seconds;
	if (o->overrides)
		overrides_apply(o->overrides, r, NULL);
	out->report = r;
	r = NULL;
	if (write_report(o, &ws, out->report) == 0)
		out->error = ERROR_NONE;
	/* for grader similarity, beside the report, while the tree is still there (a warning at worst) */
	if (tree && out->error == ERROR_NONE)
		fingerprint_submission(o->chapter, o->learner, tree, ws.report_dir.data);
out:
	sandbox_close(sb);
	out->report_path = ws.report_path.len ? buf_detach(&ws.report_path) : NULL;
	if (fres.workdir)
		fs_rmtree(fres.workdir);
	fetch_result_free(&fres);
	result_report_free(r);
	buf_free(&ws.lwork);
	buf_free(&ws.cache);
	buf_free(&ws.lock);
	buf_free(&ws.state);
	buf_free(&ws.report_dir);
	buf_free(&ws.report_path);
	if (ws.lock_fd >= 0)
		close(ws.lock_fd);
	return out->error == ERROR_NONE ? 0 : -1;
}

void session_clean(const char *work, const char *reports, const char *learner)
{
	struct buf dir = BUF_INIT, lock = BUF_INIT;
	int fd;

	fs_join(&dir, work, learner);
	fs_join(&lock, dir.data, ".lock");
	fd = open(lock.data, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
		remove_leftovers(dir.data, true);
		fs_join(&dir, reports ? reports : "reports", learner);
		remove_leftovers(dir.data, false);
	}
	if (fd >= 0)
		close(fd);
	buf_free(&dir);
	buf_free(&lock);
}

void session_outcome_free(struct session_outcome *out)
{
	result_report_free(out->report);
	free(out->report_path);
	out->report = NULL;
	out->report_path = NULL;
}
