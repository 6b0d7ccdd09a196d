/* cmd_grade.c: `grader grade` (a submission named by URL, repository or folder), and what it
 * shares with `grader check` (cmd_check.c): the options, and one grading (session.h) with its
 * summary or JSON on standard output. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "classcat.h"
#include "cli/cli.h"
#include "fetch/fetch.h"
#include "fs.h"
#include "learner.h"
#include "log.h"
#include "measure/timing_lock.h"
#include "num.h"
#include "overrides.h"
#include "progress.h"
#include "report.h"
#include "result.h"
#include "session.h"
#include "spec.h"
#include "views/views.h"
#include "xalloc.h"
#include "banned.h"

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
		"                     later commits are recorded as late (or, when the chapter's\n"
		"                     late policy is a penalty, the newest commit is graded and\n"
		"                     a late one loses points: specs/README.md, late)\n"
		"  --extension TIME   the learner's extension, added to --deadline: a duration\n"
		"                     with a unit, e.g. 36h or 2d\n"
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
		"  --class-catalog FILE  the class's review decisions on answers of exercises 1\n"
		"                     and 3 that the chapter's catalogs do not know, as 'grader\n"
		"                     review' writes them: an accepted name is verified, a rejected\n"
		"                     one earns nothing; its digest is one of the inputs\n"
		"  --overrides FILE   an instructor's overrides of checks (overrides.yaml,\n"
		"                     docs/review.md), applied to the report graded or kept;\n"
		"                     the report keeps the grader's verdict beside each override\n"
		"  --reuse            keep REPORTS/LEARNER/report.json, without grading, when it was\n"
		"                     made from the same inputs: the same commit, specs, sandbox\n"
		"                     profiles, grader, toolchain and options (its \"inputs\" say\n"
		"                     which); 'grader batch' does this unless given --regrade\n"
		"  --token-host HOST  a git host that credentials may be sent to (repeatable; also\n"
		"                     the comma-separated environment variable %s)\n"
		"  --format LIST      the views to make, comma-separated (default: text): text,\n"
		"                     json, github, junit, gradescope, html ('grader show --help'\n"
		"                     says what each is and where it goes)\n"
		"  --out DIR          where the file views go (default: beside the report)\n"
		"  --json             print the report on standard output instead of a summary\n"
		"                     (the same as --format json)\n"
		"  --quiet            print nothing but errors (no progress either)\n"
		"  -v, --verbose      progress as plain lines, even on a terminal, naming each case\n"
		"  -h, --help         this help\n\n"
		"Progress goes to standard error, never to standard output: on a terminal one\n"
		"status line rewritten in place (\"[1/4] ch01-ex4: case 7/23\"), erased before\n"
		"the summary; otherwise (a log file, CI) or with -v, one plain line per stage,\n"
		"and for counts at most one a second. The summary has colour only on a terminal,\n"
		"and never when NO_COLOR is set.\n\n"
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
		"(docs/performance.md, \"The timing lock\").\n\n"
		"With --reuse, GRADER_TOOLCHAIN_HINT (set by 'grader batch' for its workers: the\n"
		"versions of Python, rustc and cargo, one a line) lets an unchanged report be kept\n"
		"without opening a sandbox; a grading always records the sandbox's own versions.\n\n%s",
		FETCH_TOKEN_HOSTS_ENV, FETCH_TOKEN_ENV, FETCH_TOKEN_HOSTS_ENV, TIMING_LOCK_ENV,
		TIMING_LOCK_WAIT_ENV, cli_exit_help);
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
		buf_setlen(&s, s.len - 1);
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
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			c = '_';
		buf_append(out, &c, 1);
	}
	if (out->len > 4 && !strcmp(out->data + out->len - 4, ".git"))
		buf_setlen(out, out->len - 4);
	/* a safe id (learner.h): no leading '.', '_' or '-', at most LEARNER_ID_MAX characters */
	{
		size_t skip = strspn(out->data, "._-");
		if (skip) {
			memmove(out->data, out->data + skip, out->len - skip);
			buf_setlen(out, out->len - skip);
		}
		buf_setlen(out, LEARNER_ID_MAX);
	}
	if (!out->len)
		buf_puts(out, "submission");
	buf_free(&s);
}

void cli_default_work(struct buf *out)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	buf_reset(out);
	if (xdg && *xdg)
		buf_printf(out, "%s/grader", xdg);
	else if (home && *home)
		buf_printf(out, "%s/.cache/grader", home);
	else
		buf_printf(out, "/tmp/grader-%u", (unsigned)getuid());
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

/* The report's verdict as an exit status: its errors' class (ours, or invalid sandbox profiles),
 * else whether the submission reached the pass threshold. */
static int report_status(const struct session_outcome *out)
{
	if (out->report->nerrors)
		return cli_exit_status(out->report_errors);
	return result_passed(out->report) ? EXIT_GRADE_OK : EXIT_GRADE_BELOW;
}

/* What the session's options point to (session_options_from); the caller frees it. */
struct session_strings {
	struct buf data, spec, profiles, learner, work;
	struct spec_chapter *chapter;
	char *class_catalog;  /* --class-catalog's real path */
	struct overrides *ov; /* --overrides, loaded */
	char *hint[3];        /* GRADER_TOOLCHAIN_HINT's lines (NULL: an empty one) */
	const char *hints[3]; /* the same, as session_options.toolchain_hint */
};

/* GRADER_TOOLCHAIN_HINT: three lines, the versions of Python, rustc and cargo (an empty line: not
 * found), as grader batch writes it (toolchain_hint in session.h). */
static void read_toolchain_hint(struct session_strings *s, struct session_options *so)
{
	const char *h = getenv("GRADER_TOOLCHAIN_HINT"), *p;

	if (!h || !*h)
		return;
	p = h;
	for (int i = 0; i < 3; i++) {
		size_t n = strcspn(p, "\n");
		s->hint[i] = n ? xstrndup(p, n) : NULL;
		s->hints[i] = s->hint[i];
		p += n;
		if (*p)
			p++;
	}
	so->toolchain_hint = s->hints;
}

/* The session's options from the command line's: the data folder, the chapter's specs (loaded into
 * s->chapter), the deadline, the learner id, the work folder. Returns 0, or -1 after a message (a
 * usage or spec error). */
static int session_options_from(const struct cli_grade_opts *o, struct session_strings *s,
				struct session_options *so)
{
	struct buf *data = &s->data, *spec = &s->spec, *profiles = &s->profiles, *learner = &s->learner,
		   *work = &s->work;
	struct buf err = BUF_INIT;
	int rc = -1;

	if ((!o->spec || !o->profiles) && cli_data_dir(data) < 0) {
		log_error("cannot find the grader's data (specs/ and sandboxes/): set GRADER_DATA or pass --spec and --profiles");
		goto out;
	}
	if (o->spec)
		buf_puts(spec, o->spec);
	else
		fs_join(spec, data->data, "specs/ch01");
	if (o->profiles)
		buf_puts(profiles, o->profiles);
	else
		fs_join(profiles, data->data, "sandboxes");
	s->chapter = spec_load_chapter(spec->data, &err);
	if (!s->chapter) {
		fprintf(stderr, "%s", err.data);
		log_error("the specs in %s are invalid", spec->data);
		goto out;
	}
	if (o->class_catalog) {
		/* checked before anything is graded: a bad file is the instructor's, exit 2 */
		struct classcat *cc = classcat_load(o->class_catalog, &err);
		if (!cc) {
			fputs(err.data, stderr);
			log_error("--class-catalog %s is not a valid class catalog (docs/review.md)",
				  o->class_catalog);
			goto out;
		}
		classcat_free(cc);
		if (!(s->class_catalog = fs_realpath(o->class_catalog))) {
			log_error("--class-catalog %s: %s", o->class_catalog, strerror(errno));
			goto out;
		}
		so->class_catalog = s->class_catalog;
	}
	if (o->overrides) {
		if (!(s->ov = overrides_load(o->overrides, s->chapter, &err))) {
			fputs(err.data, stderr);
			log_error("--overrides %s is not a valid overrides file (docs/review.md)", o->overrides);
			goto out;
		}
		so->overrides = s->ov;
	} else if (!o->check) {
		/* a report kept from an earlier grading loses the overrides it carried */
		s->ov = overrides_none(s->chapter);
		so->overrides = s->ov;
	}
	if (o->deadline && fetch_parse_deadline(o->deadline, &so->deadline) < 0) {
		log_error("--deadline '%s' is not an ISO 8601 time with an offset (e.g. 2026-12-01T23:59:00+01:00)",
			  o->deadline);
		goto out;
	}
	so->has_deadline = o->deadline != NULL;
	so->deadline_given = o->deadline;
	if (o->extension) {
		double ext;
		if (!o->deadline || num_parse_duration(o->extension, &ext) < 0 || ext < 0 || ext > 366 * 86400.0) {
			log_error(o->deadline ? "--extension '%s' is not a duration with a unit up to a year (e.g. 36h, 2d)"
					      : "--extension '%s' needs a --deadline to extend",
				  o->extension);
			goto out;
		}
		so->deadline += (int64_t)ext;
		so->extension = o->extension;
	}
	if (o->learner) {
		/* a typed id is checked, never rewritten: two ids made safe could become one folder */
		const char *why = learner_id_problem(o->learner);
		if (why) {
			struct buf shown = BUF_INIT;
			learner_id_quote(o->learner, &shown);
			log_error("--learner '%s' is refused: it %s (%s)", shown.data, why, LEARNER_ID_RULE);
			buf_free(&shown);
			goto out;
		}
		buf_puts(learner, o->learner);
	} else {
		learner_from_source(o->root ? o->root : o->source, learner);
	}
	if (learner_id_problem(learner->data)) { /* cannot happen: the derivation makes it safe */
		log_error("cannot derive a learner id from '%s': give one with --learner", o->source);
		goto out;
	}
	if (o->work)
		buf_puts(work, o->work);
	else
		cli_default_work(work);
	so->chapter = s->chapter;
	so->profiles = profiles->data;
	so->learner = learner->data;
	so->work = work->data;
	so->reports = o->reports;
	so->source = o->source;
	so->worktree = o->root;
	so->ref = o->ref;
	so->token_hosts = o->token_hosts;
	so->ntoken_hosts = o->ntoken_hosts;
	so->only = o->only;
	so->no_perf = o->no_perf;
	so->reuse = o->reuse;
	if (o->reuse)
		read_toolchain_hint(s, so);
	so->verbose = o->verbose;
	rc = 0;
out:
	buf_free(&err);
	return rc;
}

/* Colour in a summary: only on a terminal, and never when NO_COLOR is set (no-color.org). */
bool cli_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(no && *no);
}

/* The views --format asks for (the text summary when it asks for none), from the report's tree as
 * it was written (views.h), the chapter's spec saying how Gradescope shows hidden cases. Returns 0,
 * or -1 after a message when a view could not be made or written (the report is written already). */
static int show_views(const struct cli_grade_opts *o, const struct spec_chapter *chapter,
		      const struct session_outcome *out)
{
	struct views_options vo = {0};
	struct buf err = BUF_INIT, dir = BUF_INIT;
	cJSON *tree = NULL;
	int rc = -1;

	vo.set = o->formats ? o->formats : 1u << VIEW_TEXT;
	if (o->quiet)
		vo.set &= ~(1u << VIEW_TEXT);
	if (!vo.set)
		return 0;
	vo.out_dir = o->out;
	if (out->report_path && strrchr(out->report_path, '/')) {
		buf_append(&dir, out->report_path, (size_t)(strrchr(out->report_path, '/') - out->report_path));
		vo.report_dir = dir.data;
	}
	vo.report_path = out->report_path;
	vo.color = cli_color(stdout);
	vo.hidden_visibility = chapter ? chapter->gradescope.hidden_visibility : NULL;
	if (!(tree = report_tree(out->report))) {
		log_error("the report could not be rendered for its views (out of memory)");
		goto out;
	}
	if (views_write(tree, &vo, stdout, &err) < 0) {
		fputs(err.data, stderr);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(tree);
	buf_free(&err);
	buf_free(&dir);
	return rc;
}

int cli_grade_once(const struct cli_grade_opts *o, bool *clean)
{
	struct session_strings s = {
		BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,           BUF_INIT,
		NULL,     NULL,     NULL,     {NULL, NULL, NULL}, {NULL, NULL, NULL}};
	struct session_options so = {0};
	struct session_outcome out = {0};
	int rc = EXIT_USAGE;
	/* What is happening, on stderr only (progress.h); log messages clear its line first. */
	struct progress *pg = progress_new(stderr, progress_mode_for(stderr, o->quiet, o->verbose));

	log_set_hook(progress_log_hook, pg);
	if (session_options_from(o, &s, &so) < 0)
		goto out;
	so.progress = pg;
	if (session_run(&so, &out) < 0 && !out.report) {
		rc = cli_exit_status(out.error);
		goto out;
	}
	if (clean)
		*clean = report_clean(out.report);
	if (out.error != ERROR_NONE) { /* the report could not be written */
		rc = cli_exit_status(out.error);
		goto out;
	}
	rc = report_status(&out);
	if (out.reused && !o->quiet)
		fprintf(stderr, "grader: kept %s: it was made from the same inputs (--reuse)\n", out.report_path);
	if (show_views(o, s.chapter, &out) < 0)
		rc = EXIT_INFRA;
out:
	log_set_hook(NULL, NULL);
	progress_free(pg);
	session_outcome_free(&out);
	spec_chapter_free(s.chapter);
	free(s.class_catalog);
	overrides_free(s.ov);
	buf_free(&s.data);
	buf_free(&s.spec);
	buf_free(&s.profiles);
	buf_free(&s.learner);
	buf_free(&s.work);
	for (int i = 0; i < 3; i++)
		free(s.hint[i]);
	return rc;
}

int cli_grade_parse(int argc, char **argv, struct cli_grade_opts *o)
{
	static const struct option opts[] = {
		{"spec", required_argument, NULL, 's'},
		{"profiles", required_argument, NULL, 'p'},
		{"ref", required_argument, NULL, 'r'},
		{"deadline", required_argument, NULL, 'd'},
		{"learner", required_argument, NULL, 'l'},
		{"reports", required_argument, NULL, 'o'},
		{"work", required_argument, NULL, 'w'},
		{"only", required_argument, NULL, 'e'},
		{"no-perf", no_argument, NULL, 'P'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"token-host", required_argument, NULL, 't'},
		{"watch", no_argument, NULL, 'W'},
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'O'},
		{"reuse", no_argument, NULL, 'R'},
		{"extension", required_argument, NULL, 'x'},
		{"class-catalog", required_argument, NULL, 'C'},
		{"overrides", required_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->spec = optarg;
			break;
		case 'p':
			o->profiles = optarg;
			break;
		case 'r':
			o->ref = optarg;
			break;
		case 'd':
			o->deadline = optarg;
			break;
		case 'l':
			o->learner = optarg;
			break;
		case 'o':
			o->reports = optarg;
			break;
		case 'w':
			o->work = optarg;
			break;
		case 'e':
			o->only = optarg;
			break;
		case 'P':
			o->no_perf = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'W':
			o->watch = true;
			break;
		case 'f': {
			struct buf err = BUF_INIT;
			unsigned set;
			if (views_parse(optarg, &set, &err) < 0) {
				fprintf(stderr, "grader: --format: %s\n", err.data);
				buf_free(&err);
				return -1;
			}
			o->formats |= set;
			break;
		}
		case 'O':
			o->out = optarg;
			break;
		case 'R':
			o->reuse = true;
			break;
		case 'x':
			o->extension = optarg;
			break;
		case 'C':
			o->class_catalog = optarg;
			break;
		case 'V':
			o->overrides = optarg;
			break;
		case 't':
			if (o->ntoken_hosts == sizeof(o->token_hosts) / sizeof(o->token_hosts[0])) {
				fprintf(stderr, "grader: more than %zu --token-host options\n", o->ntoken_hosts);
				return -1;
			}
			o->token_hosts[o->ntoken_hosts++] = optarg;
			break;
		case 'h':
			return 1;
		default:
			return -1;
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
	if (o->json)
		o->formats |= 1u << VIEW_JSON;
	{
		struct views_options vo = {.set = o->formats, .out_dir = o->out, .report_dir = "REPORTS/LEARNER"};
		struct buf err = BUF_INIT;
		int bad = views_check(&vo, &err);
		if (bad < 0)
			fprintf(stderr, "grader: %s\n", err.data);
		buf_free(&err);
		if (bad < 0)
			return -1;
	}
	if (o->watch && (o->formats & ~(1u << VIEW_TEXT))) {
		fprintf(stderr, "grader check: --watch prints summaries for a person, not other --format views\n");
		return -1;
	}
	if (o->check && (o->ref || o->deadline || o->extension || o->reuse || o->overrides)) {
		fprintf(stderr, "grader check: --ref, --deadline, --extension, --reuse and --overrides are for 'grader grade'\n");
		return -1;
	}
	return 0;
}

/* The folder options are made absolute once, here: the sandbox binds only absolute paths, and a
 * relative --work made every grading an infrastructure error after its build. */
int cli_grade_absolute_paths(struct cli_grade_opts *o, char *owned[4])
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

int cli_grade(int argc, char **argv)
{
	struct cli_grade_opts o = {0};
	char *owned[4] = {0};
	int p = cli_grade_parse(argc, argv, &o), rc;

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
	if (cli_grade_absolute_paths(&o, owned) < 0)
		rc = EXIT_USAGE;
	else
		rc = cli_grade_once(&o, NULL);
	for (int i = 0; i < 4; i++)
		free(owned[i]);
	return rc;
}
