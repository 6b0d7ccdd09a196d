/* session.h: one grading of one submission, from its work space to its written report: fetch it
 * (or take a learner's working tree as it is), decide whose fault a failed fetch is, open the
 * sandbox, grade, and write the report atomically. What `grader grade` and `grader check` run once
 * their options are checked; they print the outcome.
 *
 * One grading of a learner runs at a time: the session holds a lock on WORK/LEARNER/.lock (a
 * second one waits), and first removes what a grading killed before its end left there (its
 * fetch-* folder) and in the report folder (a temp file of an unfinished write). The session prints nothing for a person but
 * through log.h and the progress it is given (progress.h). */
#ifndef GRADER_SESSION_H
#define GRADER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "overrides.h"
#include "progress.h"
#include "result.h"
#include "spec.h"

/* What to grade, and where. Every string and the chapter are borrowed for the call; folders are
 * absolute paths (the sandbox binds only those). */
struct session_options {
	const struct spec_chapter *chapter; /* the chapter's specs, loaded */
	const char *profiles;               /* the sandbox profiles folder */
	const char *learner;  /* a safe learner id (learner.h): names WORK/LEARNER and REPORTS/LEARNER */
	const char *work;     /* the work folder: WORK/LEARNER (builds, kept between runs for fast
				 * regrades), WORK/.grader (the grader's own files) */
	const char *reports;  /* the reports folder, the report going to REPORTS/LEARNER/report.json;
				 * NULL: ./reports, or for a working tree WORKTREE/.grader/report.json
				 * (with a .gitignore there, so that git leaves it out of commits) */
	const char *source;   /* the submission as the user named it: fetched (fetch.h) unless
				 * `worktree` is set; recorded in the report and named in messages */
	const char *worktree; /* grader check: the folder to grade in place (a real path), its git
				 * status recorded as warnings; NULL: fetch `source` */
	const char *ref;      /* fetch: branch, tag or commit; NULL: the default branch */
	bool has_deadline;    /* fetch: grade the newest commit dated at or before `deadline` (or, when
			       * the chapter's late policy is a penalty, the newest commit) */
	int64_t deadline;     /* seconds since the epoch (fetch_parse_deadline), extension included */
	/* the deadline as given, before the extension (for the report's inputs); NULL without one */
	const char *deadline_given;
	const char *extension;          /* the learner's extension as given ("2d"), or NULL */
	const char *const *token_hosts; /* fetch: hosts credentials may go to (fetch.h) */
	size_t ntoken_hosts;
	const char *only; /* grade this exercise only (e.g. ex4); NULL: all */
	bool no_perf;     /* skip the speed and memory measurements */
	/* keep the written report when its inputs are the same (inputs.h): no grading, out->reused
	 * set */
	bool reuse;
	/* with reuse: the versions of Python, rustc and cargo (sandbox_probe_toolchain(), NULL
	 * entries allowed) to decide without opening a sandbox; a grading still takes the sandbox's
	 * own. NULL: open the sandbox to decide */
	const char *const *toolchain_hint;
	const char *class_catalog; /* the class catalog file (classcat.h), an absolute path, checked
				    * by the caller; its digest joins the inputs. NULL: none */
	/* the instructor's overrides (overrides.h), applied to the report graded or kept, which is
	 * written again when that changes it (no sandbox runs for it). NULL: the report as graded */
	const struct overrides *overrides;
	bool verbose;              /* more detail, as grade_ctx's */
	struct progress *progress; /* what the grading is doing (may be NULL); borrowed */
};

/* How it went. Zero it before session_run; free it with session_outcome_free. */
struct session_outcome {
	/* ERROR_NONE: the report was written. ERROR_CONFIG: the report folder is not a folder
	 * (a link?); ERROR_INFRA: the work space could not be made, or the report not written. The
	 * reason was logged (log.h). A submission that could not be fetched or graded is not an
	 * error here: its report says so (submission.error, or the report's errors). */
	enum error_class error;
	struct result_report *report; /* owned; NULL when the grading did not run (an error before it);
				       * set, though not written, when the write failed */
	/* Whose fault the report's errors are, when it has some: ERROR_CONFIG when the sandbox
	 * profiles are invalid (sandbox_open), else ERROR_INFRA. */
	enum error_class report_errors;
	char *report_path; /* owned: where the report is (or was to be) written */
	bool reused;       /* the report already written was kept (session_options.reuse) */
};

/* Grades once, as `o` says; fills `out`. Returns 0, or -1 when out->error is not ERROR_NONE. */
int session_run(const struct session_options *o, struct session_outcome *out);
/* After a grading of `learner` was killed (grader batch interrupted): removes what it left in
 * WORK/LEARNER and REPORTS/LEARNER (`reports` NULL: ./reports), as the next session would, unless
 * a grading of that learner is running. Never fails: what it cannot remove stays for the next. */
void session_clean(const char *work, const char *reports, const char *learner);
/* Frees what `out` holds (not the struct itself). */
void session_outcome_free(struct session_outcome *out);

#endif
