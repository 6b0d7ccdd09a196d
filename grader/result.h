/* result.h: the result model every check fills and every view reads:
 * report → exercises → checks, each with a status, points, a message a learner can act on, and
 * the evidence behind it (measurements, excerpts, diagnostics).
 *
 * Evidence is a tree of named values built with the result_ev_* functions; the report module
 * turns the whole model into JSON. Strings given to the model are copied; program output given
 * as evidence text is made valid UTF-8 and truncated (with a flag) on the way in. */
#ifndef GRADER_RESULT_H
#define GRADER_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum result_status {
	RESULT_PASS,
	RESULT_FAIL,
	RESULT_PARTIAL,      /* some of the points */
	RESULT_INCONCLUSIVE, /* the data could not decide (e.g. speed within noise) */
	RESULT_REVIEW,       /* waits for an instructor's review */
	RESULT_SKIPPED,      /* not run, because something it needs failed or is not configured */
	RESULT_ERROR,        /* the grader's own failure (infrastructure), never the learner's */
};

/* Evidence: an opaque tree of named values. */
struct result_ev;

/* An instructor's override of a check (overrides.h): the verdict the grader gave, kept whole, and
 * what replaced it, with why, by whom and when. */
struct result_override {
	enum result_status original_status;
	double original_points;
	char *original_message;
	char *reason, *by, *when;
};

struct result_check {
	char *id;    /* stable machine name, e.g. "build", "correctness" */
	char *title; /* what is checked, for people */
	enum result_status status;
	double points, max_points;
	char *message; /* what happened, one or two sentences */
	char *hint;    /* what to do about it; may be NULL */
	struct result_ev *evidence;
	struct result_override *override; /* NULL, or the instructor's override (status and points
					   * above are then the override's) */
};

struct result_exercise {
	char *id, *title, *kind;
	char *file; /* the submission file the exercise reads first (its manifest or answer file), or NULL */
	enum result_status status;
	double points, max_points;
	char *message; /* NULL, or why the whole exercise could not be graded */
	char **unmet;  /* required checks (the spec's `requires`) that did not pass */
	size_t nunmet;
	struct result_check **checks;
	size_t nchecks;
	double seconds;        /* wall time its grading took */
	double budget_seconds; /* the time it was allowed (0: no budget) */
	bool out_of_time;      /* the budget ran out: what was left is skipped */
};

struct result_submission {
	char *source; /* what the user named: URL, path */
	char *kind;   /* "url", "repository", "directory", "worktree" */
	char *commit, *author, *date, *ref;
	bool late;           /* commits dated after the deadline exist on the ref */
	double late_seconds; /* from the deadline to the newest of them; 0 when none */
	char *deadline;      /* the learner's deadline, extension included (ISO 8601, UTC), or NULL */
	bool graded_commit_late; /* the graded commit is dated after the deadline (late policy penalty) */
	long later_commits;      /* commits dated after the deadline that were not graded */
	char **warnings;
	size_t nwarnings;
	/* grader check: where the checked commit stands against the remote (fetch_status) */
	bool has_push;
	bool detached;      /* HEAD is on no branch */
	char *branch;       /* HEAD's branch, or NULL */
	char *upstream;     /* its upstream ("origin/main"), or NULL when it has none */
	long ahead, behind; /* commits not pushed to the upstream, and commits only the upstream has */
	char *error;        /* why the submission could not be graded at all (no such repository,
			      * too big, refused), or NULL; the learner's side, not the grader's */
};

/* What decided the grading (inputs.h): the same inputs give the same report, so a report whose
 * `key` matches may be reused instead of grading again. All NULL when none was taken (grader
 * check, a submission that could not be fetched). */
struct result_inputs {
	char *key;             /* SHA-256 of everything below, 64 hex digits */
	char *submission;      /* the graded commit id, or "tree:" and the digest of a plain directory */
	char *grader_digest;   /* SHA-256 of the grader's executable */
	char *spec_digest;     /* of the chapter folder (its specs, catalogs and hidden cases) */
	char *profiles_digest; /* of the sandbox profiles folder */
	char *python, *rustc, *cargo; /* the tools' own version lines */
	bool no_perf;
	char *only;      /* --only, or NULL */
	char *deadline;  /* the deadline given (before any extension), ISO 8601 UTC, or NULL */
	char *extension; /* the learner's extension as given ("2d"), or NULL */
	char *class_catalog_digest; /* SHA-256 of --class-catalog's file (part of the key), or NULL */
	char *overrides_digest;     /* SHA-256 of the --overrides file applied (NOT part of the key:
				     * overrides are applied to a kept report), or NULL */
};

struct result_report {
	char *learner;
	char *spec_id;
	struct result_submission submission;
	char *started_at;      /* ISO 8601, UTC */
	double duration;       /* seconds */
	long runs;             /* sandboxed runs the grading made */
	double run_seconds;    /* their wall time: duration - run_seconds is the grader's own */
	double pass_threshold; /* fraction of max points */
	double budget_seconds; /* the learner's time budget (0: none) */
	struct result_inputs inputs;
	double penalty;       /* fraction of the points a late policy takes (0: none) */
	char *penalty_reason; /* why, for people ("2 days late at 10% a day"), or NULL */
	struct result_exercise **exercises;
	size_t nexercises;
	char **errors; /* infrastructure errors */
	size_t nerrors;
};

/* A new empty report (the learner's name copied; NULL allowed); never NULL. */
struct result_report *result_report_new(const char *learner);
void result_report_free(struct result_report *r);
/* Adds an exercise (strings copied) and returns it; never NULL. */
struct result_exercise *result_exercise_add(struct result_report *r, const char *id, const char *title,
					    const char *kind);
/* Adds a check with its maximum points and returns it (never NULL); status starts as
 * RESULT_SKIPPED with 0 points. */
struct result_check *result_check_add(struct result_exercise *e, const char *id, const char *title,
				      double max_points);
/* Sets the outcome of a check. `points` is clamped to [0, max_points]; the message is formatted. */
void result_check_set(struct result_check *c, enum result_status st, double points, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void result_check_hint(struct result_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct result_check *result_check_find(const struct result_exercise *e, const char *id);
/* Adds a warning to the submission / an infrastructure error to the report (formatted). */
void result_warn(struct result_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void result_error(struct result_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records that check `id`, which the spec requires, did not pass: the report cannot pass. */
void result_exercise_unmet(struct result_exercise *e, const char *id);
/* Sums points and derives each exercise's status from its checks. */
void result_finish(struct result_report *r);
/* The points of the exercises, before any late penalty. */
double result_raw_points(const struct result_report *r);
/* The points earned: the raw points less the late penalty (r->penalty of them). */
double result_points(const struct result_report *r);
double result_max_points(const struct result_report *r);
/* Frees an override (NULL allowed). */
void result_override_free(struct result_override *o);
/* Frees the strings of `in` and empties it. */
void result_inputs_free(struct result_inputs *in);
/* True when the points (after any penalty) reach the threshold, every required check passed, and there was no
 * infrastructure error. */
bool result_passed(const struct result_report *r);
/* Replaces *slot with a copy of s (NULL allowed). */
void result_set_str(char **slot, const char *s);

/* "pass", "fail", … as written in reports. */
const char *result_status_name(enum result_status s);
/* The status written `name`; returns -1 for a name that is none. */
int result_status_parse(const char *name, enum result_status *out);

/* Evidence of a check, created on first use. */
struct result_ev *result_check_ev(struct result_check *c);
void result_ev_str(struct result_ev *ev, const char *key, const char *value);
void result_ev_num(struct result_ev *ev, const char *key, double value);
void result_ev_int(struct result_ev *ev, const char *key, long long value);
void result_ev_bool(struct result_ev *ev, const char *key, bool value);
void result_ev_nums(struct result_ev *ev, const char *key, const double *values, size_t n);
/* Program output or other untrusted bytes: made valid UTF-8; when longer than `max` bytes, the
 * head (tail = false) or the tail (tail = true) is kept and "<key>_truncated": true is added. */
void result_ev_text(struct result_ev *ev, const char *key, const char *data, size_t len, size_t max, bool tail);
/* Attaches a tree built by a module that renders its own evidence (a cJSON item, passed as void *
 * so that callers need not know cJSON); takes ownership. */
void result_ev_attach(struct result_ev *ev, const char *key, void *json);
/* A nested group, or a list of groups. */
struct result_ev *result_ev_obj(struct result_ev *ev, const char *key);
struct result_ev *result_ev_list_add(struct result_ev *ev, const char *key);

/* For the report module only: the evidence as the cJSON tree it is built on (borrowed). */
void *result_ev_json(const struct result_ev *ev);

#endif
