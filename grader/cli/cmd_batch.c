/* cmd_batch.c: `grader batch`: grades every learner of a roster, several at once, each in a
 * `grader grade` child process of its own (its own work directory, its own sandbox). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "classcat.h"
#include "clock.h"
#include "cli/cli.h"
#include "fs.h"
#include "learner.h"
#include "num.h"
#include "overrides.h"
#include "progress.h"
#include "sandbox/sandbox.h"
#include "session.h"
#include "spec.h"
#include "summary.h"
#include "xalloc.h"
#include "banned.h"

struct learner {
	char *id, *source, *ref, *extension;
	int line;
	pid_t pid;
	int status;
	struct stat before; /* the report before this grading (st_ino 0: none) */
};

/* What the class has come to so far, for the status line and the last line. */
struct tally {
	size_t done, passed, below, required, not_graded, errors, kept;
};

static volatile sig_atomic_t got_signal; /* SIGINT or SIGTERM received */

/* No SA_RESTART: the wait returns with EINTR, and the loop stops starting learners. */
static void on_signal(int sig)
{
	got_signal = sig;
}

static void help(FILE *f)
{
	fprintf(f, "Usage: grader batch [OPTIONS] ROSTER\n\n"
		   "Grades every learner of ROSTER, a CSV file whose header line names its columns:\n"
		   "  learner,source[,ref][,extension]\n"
		   "(source: a git URL, a local repository or a folder; ref: optional branch, tag or\n"
		   "commit; extension: optional, the learner's extension of --deadline, e.g. 2d or\n"
		   "36h). Lines starting with # are comments. A learner id is 1 to 64 letters,\n"
		   "digits, '.', '_' or '-', starting with a letter or a digit, and names the\n"
		   "learner's folders: an id that is not, or two rows with the same id (in any case),\n"
		   "refuse the roster before anything is graded. Each learner is graded by its own\n"
		   "'grader grade' process into REPORTS/<learner>/report.json; builds and runs of\n"
		   "different learners go in parallel, while timed runs take turns (a lock shared by\n"
		   "every grader of the machine, see 'grader grade --help' for GRADER_TIMING_LOCK) so\n"
		   "that they do not disturb each other's measurements.\n\n"
		   "A learner whose report was made from the same inputs (commit, specs, sandbox\n"
		   "profiles, grader, toolchain, options: 'grader grade --reuse') is not graded\n"
		   "again, so running the same command again after an interruption, or after\n"
		   "changing one learner's repository, grades only what changed. Ctrl-C (SIGINT) or\n"
		   "SIGTERM stops the gradings under way (their reports are not written), removes\n"
		   "their temporary folders and exits with 130 or 143; no report already written is\n"
		   "ever lost. On a terminal a status line shows the progress (done, passed, below\n"
		   "the threshold, failed a required check, not graded, errors, time spent and\n"
		   "left).\n\n"
		   "Options:\n"
		   "  -j, --jobs N       learners graded at once (default 1)\n"
		   "  --shard I/N        grade only part I of N of the roster (I from 1 to N): each\n"
		   "                     learner is in one part, chosen from the learner id alone, so\n"
		   "                     the parts stay the same when the roster is reordered; N\n"
		   "                     machines grading parts 1/N..N/N grade everyone once\n"
		   "  --deadline TIME    as for 'grader grade', for every learner, plus the roster's\n"
		   "                     extension of each\n"
		   "  --regrade          grade every learner again, even when nothing changed\n"
		   "  --class-catalog FILE  the class's review decisions ('grader review'), for\n"
		   "                     every learner; its digest is an input: when it changes,\n"
		   "                     every learner is graded again (docs/review.md)\n"
		   "  --overrides FILE   an instructor's overrides of checks (docs/review.md): applied\n"
		   "                     to every report, graded or kept, and to the class summary;\n"
		   "                     changing it grades nobody again\n"
		   "  --spec DIR, --profiles DIR, --reports DIR, --work DIR, --only EXERCISE,\n"
		   "  --no-perf,\n"
		   "  --token-host HOST  as for 'grader grade'\n"
		   "  -h, --help         this help\n\n"
		   "Exit status: 0 when every learner was graded (whatever their grades), 2 for a bad\n"
		   "roster or options, 3 when any learner hit an infrastructure error, 130 or 143\n"
		   "when interrupted. At the end it writes the class summary of the learners it\n"
		   "graded, as 'grader summary' does, to REPORTS/grades.csv, REPORTS/summary.json\n"
		   "and REPORTS/class.html; to merge the reports of several shards, run\n"
		   "'grader summary --out DIR SHARD_REPORTS...'.\n");
}

static void free_learners(struct learner *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].source);
		free(v[i].ref);
		free(v[i].extension);
	}
	free(v);
}

enum outcome { NOT_GRADED, BELOW, REQUIRED };

/* Why a learner graded with exit status 1 did not pass, from the report: the submission could not
 * be graded at all (it could not be fetched, or it was refused), the points are below the
 * threshold, or a required check failed. Appends the reason for people to `why`. */
static enum outcome why_not_passed(const char *reports, const char *id, struct buf *why)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	cJSON *r = NULL, *ex;
	const cJSON *score;
	enum outcome o = BELOW;

	buf_printf(&path, "%s/%s/report.json", reports, id);
	if (fs_read_file(path.data, 64u << 20, &text) == 0 && text.len &&
	    (r = cJSON_ParseWithLength(text.data, text.len))) {
		score = cJSON_GetObjectItemCaseSensitive(r, "score");
		if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(r, "submission"), "error"))) {
			o = NOT_GRADED;
			buf_puts(why, "not graded: the submission's error (see its report)");
		} else if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(score, "fraction")) + 1e-9 <
			   cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(score, "pass_threshold"))) {
			buf_printf(why, "below the threshold (%.1f%% < %.0f%%)",
				   100 * cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(score, "fraction")),
				   100 * cJSON_GetNumberValue(
						 cJSON_GetObjectItemCaseSensitive(score, "pass_threshold")));
		} else {
			o = REQUIRED;
			buf_puts(why, "not passed: a required check failed");
			cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "exercises"))
			{
				const cJSON *u = cJSON_GetArrayItem(
					cJSON_GetObjectItemCaseSensitive(ex, "unmet_requirements"), 0);
				if (cJSON_IsString(u)) {
					struct buf shown = BUF_INIT;
					learner_id_quote(u->valuestring, &shown); /* written by the grader; shown safely */
					buf_printf(why, " (%s)", shown.data);
					buf_free(&shown);
					break;
				}
			}
		}
	} else {
		buf_puts(why, "not passed (its report cannot be read)");
	}
	cJSON_Delete(r);
	buf_free(&path);
	buf_free(&text);
	return o;
}

/* Parses --shard's "I/N" into the 0-based part `*i` of `*n`. Returns 0, or -1 when it is not. */
static int parse_shard(const char *s, unsigned *i, unsigned *n)
{
	const char *slash = strchr(s, '/');
	char part[16];
	long long a, b;

	if (!slash || (size_t)(slash - s) >= sizeof(part))
		return -1;
	memcpy(part, s, (size_t)(slash - s));
	part[slash - s] = '\0';
	if (num_parse_int(part, 1, 1000, &a) < 0 || num_parse_int(slash + 1, 1, 1000, &b) < 0 || a > b)
		return -1;
	*i = (unsigned)(a - 1);
	*n = (unsigned)b;
	return 0;
}

/* Keeps the learners of part `i` of `n` (learner_shard), in roster order. */
static void keep_shard(struct learner *v, size_t *n, unsigned i, unsigned nshards)
{
	size_t kept = 0;

	for (size_t k = 0; k < *n; k++) {
		if (learner_shard(v[k].id, nshards) == i) {
			v[kept++] = v[k];
		} else {
			free(v[k].id);
			free(v[k].source);
			free(v[k].ref);
			free(v[k].extension);
		}
	}
	*n = kept;
}

enum column { COL_LEARNER, COL_SOURCE, COL_REF, COL_EXTENSION, NCOLUMNS };
static const char *const column_names[NCOLUMNS] = {"learner", "source", "ref", "extension"};

/* Reads the header line into col[] (the field index of each column, -1 when absent). Returns the
 * number of fields, or -1 after a message. */
static int read_header(char *line, int col[NCOLUMNS], const char *path, int lineno, struct buf *err)
{
	int nf = 0;

	for (int c = 0; c < NCOLUMNS; c++)
		col[c] = -1;
	for (char *save = NULL, *f = strtok_r(line, ",", &save); f; f = strtok_r(NULL, ",", &save), nf++) {
		int c = 0;
		while (c < NCOLUMNS && strcmp(f, column_names[c]))
			c++;
		if (c == NCOLUMNS || col[c] >= 0 || nf >= NCOLUMNS) {
			buf_printf(err, "%s:%d: the header names the columns learner,source[,ref][,extension]; '%s' is %s\n",
				   path, lineno, f, c == NCOLUMNS ? "not one of them" : "named twice");
			return -1;
		}
		col[c] = nf;
	}
	if (col[COL_LEARNER] < 0 || col[COL_SOURCE] < 0) {
		buf_printf(err, "%s:%d: the header must name the columns learner and source (learner,source[,ref][,extension])\n",
			   path, lineno);
		return -1;
	}
	return nf;
}

/* Reads the roster. Returns the learners, or NULL with errors ("roster.csv:3: …") in `err`. */
static struct learner *read_roster(const char *path, size_t *n, struct buf *err)
{
	struct buf text = BUF_INIT;
	struct learner *v = NULL;
	char *line, *save = NULL;
	int lineno = 0, bad = 0, col[NCOLUMNS], ncols = 0;
	const char *why;
	double ext;

	*n = 0;
	if (fs_read_file(path, 16u << 20, &text) < 0) {
		buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	for (line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *fields[NCOLUMNS + 1] = {0}, *p = line;
		const char *id, *source, *ref, *extension;
		int nf = 0;
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (!ncols) {
			if ((ncols = read_header(line, col, path, lineno, err)) < 0) {
				bad++;
				break;
			}
			continue;
		}
		if (strchr(line, '"')) {
			buf_printf(err, "%s:%d: quoted fields are not supported: learner ids, sources and refs contain no commas\n",
				   path, lineno);
			bad++;
			continue;
		}
		while (nf <= NCOLUMNS) {
			fields[nf++] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p++ = '\0';
		}
		/* trailing optional columns may be left out */
		if (nf > ncols ||
		    nf <= (col[COL_LEARNER] > col[COL_SOURCE] ? col[COL_LEARNER] : col[COL_SOURCE]) ||
		    !*fields[col[COL_LEARNER]] || !*fields[col[COL_SOURCE]]) {
			buf_printf(err, "%s:%d: expected %d fields as the header names them, with a learner and a source\n",
				   path, lineno, ncols);
			bad++;
			continue;
		}
		id = fields[col[COL_LEARNER]];
		source = fields[col[COL_SOURCE]];
		ref = col[COL_REF] >= 0 && col[COL_REF] < nf && *fields[col[COL_REF]] ? fields[col[COL_REF]]
										      : NULL;
		extension = col[COL_EXTENSION] >= 0 && col[COL_EXTENSION] < nf && *fields[col[COL_EXTENSION]]
				    ? fields[col[COL_EXTENSION]]
				    : NULL;
		/* The id is refused, never rewritten: "teamA/bob" and "teamB/bob" made safe would both be
		 * "bob", one folder and one report for two learners. */
		if ((why = learner_id_problem(id))) {
			struct buf shown = BUF_INIT;
			learner_id_quote(id, &shown);
			buf_printf(err, "%s:%d: learner id '%s' is refused: it %s (%s)\n", path, lineno,
				   shown.data, why, LEARNER_ID_RULE);
			buf_free(&shown);
			bad++;
			continue;
		}
		if (extension && (num_parse_duration(extension, &ext) < 0 || ext < 0 || ext > 366 * 86400.0)) {
			struct buf shown = BUF_INIT;
			learner_id_quote(extension, &shown);
			buf_printf(err, "%s:%d: extension '%s' is not a duration with a unit up to a year (e.g. 36h, 2d)\n",
				   path, lineno, shown.data);
			buf_free(&shown);
			bad++;
			continue;
		}
		for (size_t i = 0; i < *n; i++) {
			if (!strcmp(v[i].id, id)) {
				buf_printf(err, "%s:%d: learner '%s' is listed twice (first on line %d)\n",
					   path, lineno, id, v[i].line);
				bad++;
			} else if (learner_id_same(v[i].id, id)) {
				buf_printf(err,
					   "%s:%d: learner '%s' is listed twice (first on line %d as '%s'; ids that "
					   "differ only in case would share a folder on some file systems)\n",
					   path, lineno, id, v[i].line, v[i].id);
				bad++;
			}
		}
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[*n] = (struct learner){.id = xstrdup(id),
					 .source = xstrdup(source),
					 .ref = ref ? xstrdup(ref) : NULL,
					 .extension = extension ? xstrdup(extension) : NULL,
					 .line = lineno};
		(*n)++;
	}
	buf_free(&text);
	if (!bad && !ncols) {
		buf_printf(err, "%s: the roster has no header line (learner,source[,ref][,extension])\n", path);
		bad++;
	} else if (!bad && *n == 0) {
		buf_printf(err, "%s: the roster lists no learners\n", path);
		bad++;
	}
	if (bad) {
		free_learners(v, *n);
		*n = 0;
		return NULL;
	}
	return v;
}

/* The options every worker gets, as `grader grade` takes them. */
struct pass {
	const char *opt[64][2];
	int n;
};

static void pass_add(struct pass *p, const char *opt, const char *arg)
{
	p->opt[p->n][0] = opt;
	p->opt[p->n++][1] = arg;
}

static const char *pass_get(const struct pass *p, const char *opt)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->opt[i][0], opt))
			return p->opt[i][1];
	return NULL;
}

/* stat() of REPORTS/ID/report.json. */
static int report_stat(const char *reports, const char *id, struct stat *st)
{
	struct buf dir = BUF_INIT, path = BUF_INIT;
	int rc;

	fs_join(&dir, reports, id);
	fs_join(&path, dir.data, "report.json");
	rc = stat(path.data, st);
	buf_free(&dir);
	buf_free(&path);
	return rc;
}

/* The toolchain the workers' sandboxes will find, once for all (GRADER_TOOLCHAIN_HINT, see
 * 'grader grade --help'): a kept learner then costs no sandbox. */
static void toolchain_hint(struct buf *out)
{
	char *v[3];

	sandbox_probe_toolchain(&v[0], &v[1], &v[2]);
	for (int i = 0; i < 3; i++) {
		if (v[i])
			buf_append(out, v[i], strcspn(v[i], "\n"));
		buf_puts(out, "\n");
		free(v[i]);
	}
}

/* Starts the worker that grades `l`. Returns 0, or -1 after a message. */
static int start_worker(struct learner *l, const struct pass *p, bool reuse, const char *hint, const char *reports)
{
	const char *args[24 + 2 * 64];
	int k = 0;

	if (report_stat(reports, l->id, &l->before) < 0)
		memset(&l->before, 0, sizeof(l->before));
	args[k++] = "grader";
	args[k++] = "grade";
	args[k++] = "--quiet";
	if (reuse)
		args[k++] = "--reuse";
	args[k++] = "--learner";
	args[k++] = l->id;
	if (l->ref) {
		args[k++] = "--ref";
		args[k++] = l->ref;
	}
	if (l->extension && pass_get(p, "--deadline")) {
		args[k++] = "--extension";
		args[k++] = l->extension;
	}
	for (int i = 0; i < p->n; i++) {
		args[k++] = p->opt[i][0];
		if (p->opt[i][1])
			args[k++] = p->opt[i][1];
	}
	args[k++] = "--"; /* a source that starts with '-' is a source, not an option */
	args[k++] = l->source;
	args[k] = NULL;
	fflush(NULL);
	l->pid = fork();
	if (l->pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (hint)
			setenv("GRADER_TOOLCHAIN_HINT", hint, 1);
		execv("/proc/self/exe", (char *const *)args);
		_exit(127);
	}
	if (l->pid < 0) {
		fprintf(stderr, "grader batch: cannot start a worker: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether the worker kept the report that was there (grade --reuse): the same file, not a new
 * one renamed over it. */
static bool kept(const struct learner *l, const char *reports)
{
	struct stat st;

	return l->before.st_ino && report_stat(reports, l->id, &st) == 0 && st.st_ino == l->before.st_ino &&
	       st.st_dev == l->before.st_dev && st.st_mtim.tv_sec == l->before.st_mtim.tv_sec &&
	       st.st_mtim.tv_nsec == l->before.st_mtim.tv_nsec;
}

static void format_span(double s, char *out, size_t n)
{
	if (s < 60)
		snprintf(out, n, "%.0fs", s);
	else if (s < 3600)
		snprintf(out, n, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(out, n, "%dh%02dm", (int)s / 3600, (int)s / 60 % 60);
}

/* The status line: done/total, time spent and left first (a narrow terminal cuts the end), then
 * how many passed and the other outcomes that happened ("37/200 done, 4m12s, about 18m left: 30
 * passed, 4 below the threshold, 1 failed a required check, 2 errors"). */
static void show_status(struct progress *pg, const struct tally *t, size_t n, size_t graded, double t0)
{
	char spent[32], left[64] = "";
	double elapsed = clock_now() - t0;
	struct buf line = BUF_INIT;

	if (!pg)
		return;
	format_span(elapsed, spent, sizeof(spent));
	if (graded > 0 && t->done < n) {
		char span[24];
		format_span(elapsed / (double)graded * (double)(n - t->done), span, sizeof(span));
		snprintf(left, sizeof(left), ", about %s left", span);
	}
	buf_printf(&line, "%zu/%zu done, %s%s: %zu passed", t->done, n, spent, left, t->passed);
	if (t->below)
		buf_printf(&line, ", %zu below the threshold", t->below);
	if (t->required)
		buf_printf(&line, ", %zu failed a required check", t->required);
	if (t->not_graded)
		buf_printf(&line, ", %zu not graded", t->not_graded);
	if (t->errors)
		buf_printf(&line, ", %zu error%s", t->errors, t->errors == 1 ? "" : "s");
	progress_stage(pg, "%s", line.data);
	buf_free(&line);
}

/* --class-catalog and --overrides, checked once before any learner is graded (each worker would
 * refuse them): the overrides, loaded against the chapter, go to *ov for the class summary.
 * Returns 0, or -1 after the messages (file:line:col). */
static int check_review_files(const struct pass *p, struct overrides **ov)
{
	const char *cat = pass_get(p, "--class-catalog"), *file = pass_get(p, "--overrides");
	struct buf err = BUF_INIT, spec = BUF_INIT, data = BUF_INIT;
	struct spec_chapter *ch = NULL;
	int rc = -1;

	*ov = NULL;
	if (cat) {
		struct classcat *cc = classcat_load(cat, &err);
		if (!cc) {
			fprintf(stderr, "%sgrader batch: --class-catalog %s is not a valid class catalog (docs/review.md)\n",
				err.data, cat);
			goto out;
		}
		classcat_free(cc);
	}
	if (!file) {
		rc = 0;
		goto out;
	}
	if (pass_get(p, "--spec"))
		buf_puts(&spec, pass_get(p, "--spec"));
	else if (cli_data_dir(&data) == 0)
		fs_join(&spec, data.data, "specs/ch01");
	if (!spec.len || !(ch = spec_load_chapter(spec.data, &err))) {
		fprintf(stderr, "%sgrader batch: --overrides needs the chapter's specs, which did not load\n",
			err.data);
		goto out;
	}
	if (!(*ov = overrides_load(file, ch, &err))) {
		fprintf(stderr, "%sgrader batch: --overrides %s is not a valid overrides file (docs/review.md)\n",
			err.data, file);
		goto out;
	}
	rc = 0;
out:
	spec_chapter_free(ch);
	buf_free(&err);
	buf_free(&spec);
	buf_free(&data);
	return rc;
}

/* The class summary of the learners graded (summary.h): REPORTS/grades.csv, summary.json and
 * class.html, and its short text. A learner whose report is missing (an error before it) is left
 * out. Returns 0, or -1 after a message. */
static int class_summary(const struct learner *v, size_t n, const char *reports, const struct overrides *ov)
{
	char **paths = xcalloc(n ? n : 1, sizeof(*paths));
	struct buf err = BUF_INIT, dir = BUF_INIT, path = BUF_INIT;
	int np = 0, rc = 0;

	for (size_t i = 0; i < n; i++) {
		fs_join(&dir, reports, v[i].id);
		fs_join(&path, dir.data, "report.json");
		if (access(path.data, F_OK) == 0)
			paths[np++] = xstrdup(path.data);
	}
	if (np > 0) {
		printf("\n");
		if (summary_write(paths, np, reports, ov, stdout, &err) != ERROR_NONE) {
			fprintf(stderr, "grader batch: the class summary: %s", err.data);
			rc = -1;
		} else {
			printf("Grade sheet, summary and class page: %s/grades.csv, summary.json, class.html\n",
			       reports);
		}
	}
	for (int i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	buf_free(&err);
	buf_free(&dir);
	buf_free(&path);
	return rc;
}

int cli_batch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"jobs", required_argument, NULL, 'j'},
		{"shard", required_argument, NULL, 'S'},
		{"deadline", required_argument, NULL, 'd'},
		{"spec", required_argument, NULL, 's'},
		{"profiles", required_argument, NULL, 'p'},
		{"reports", required_argument, NULL, 'o'},
		{"work", required_argument, NULL, 'w'},
		{"only", required_argument, NULL, 'e'},
		{"no-perf", no_argument, NULL, 'P'},
		{"token-host", required_argument, NULL, 't'},
		{"regrade", no_argument, NULL, 'R'},
		{"class-catalog", required_argument, NULL, 'C'},
		{"overrides", required_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct pass pass = {0};
	int c, running = 0, rc = EXIT_GRADE_OK, forwarded = 0;
	long long jobs = 1;
	unsigned shard = 0, nshards = 1;
	struct learner *v;
	size_t n, next = 0, graded = 0;
	struct tally t = {0};
	struct buf err = BUF_INIT, work = BUF_INIT, why = BUF_INIT, hint = BUF_INIT;
	const char *reports = "reports"; /* as grader grade's default */
	bool reuse = true;
	struct progress *pg = NULL;
	struct sigaction sa, old_int, old_term;
	double t0 = clock_now();
	struct overrides *ov = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (num_parse_int(optarg, 1, 64, &jobs) < 0) {
				fprintf(stderr, "grader batch: --jobs takes a number from 1 to 64, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (parse_shard(optarg, &shard, &nshards) < 0) {
				fprintf(stderr, "grader batch: --shard takes I/N with 1 <= I <= N <= 1000 (e.g. 2/4), not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'R':
			reuse = false;
			break;
		case 'h':
			help(stdout);
			return EXIT_GRADE_OK;
		case 'd':
		case 's':
		case 'p':
		case 'o':
		case 'w':
		case 'e':
		case 'P':
		case 'C':
		case 'V':
		case 't': {
			static const char *const names[] = {
				"d--deadline",      "s--spec",     "p--profiles", "o--reports",
				"w--work",          "e--only",     "P--no-perf",  "t--token-host",
				"C--class-catalog", "V--overrides"};
			if (pass.n >= 60) {
				fprintf(stderr, "grader batch: too many options\n");
				return EXIT_USAGE;
			}
			for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (names[i][0] == c)
					pass_add(&pass, names[i] + 1, c == 'P' ? NULL : optarg);
			break;
		}
		default:
			help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "grader batch: name exactly one ROSTER file\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	if (pass_get(&pass, "--reports"))
		reports = pass_get(&pass, "--reports");
	if (pass_get(&pass, "--work"))
		buf_puts(&work, pass_get(&pass, "--work"));
	else
		cli_default_work(&work);
	if (check_review_files(&pass, &ov) < 0) {
		buf_free(&work);
		return EXIT_USAGE;
	}
	v = read_roster(argv[optind], &n, &err);
	if (!v) {
		overrides_free(ov);
		fputs(err.data, stderr);
		buf_free(&err);
		buf_free(&work);
		return EXIT_USAGE;
	}
	if (nshards > 1) {
		size_t all = n;
		keep_shard(v, &n, shard, nshards);
		printf("shard %u/%u: %zu of the roster's %zu learners\n", shard + 1, nshards, n, all);
		fflush(stdout);
	}

	if (reuse)
		toolchain_hint(&hint);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (progress_mode_for(stderr, false, false) == PROGRESS_TTY)
		pg = progress_new(stderr, PROGRESS_TTY);
	show_status(pg, &t, n, graded, t0);

	for (;;) {
		int status;
		pid_t pid;

		while (!got_signal && running < jobs && next < n) {
			struct learner *l = &v[next++];
			if (start_worker(l, &pass, reuse, hint.len ? hint.data : NULL, reports) < 0) {
				l->status = -1;
				t.errors++;
				t.done++;
				continue;
			}
			running++;
		}
		if (running == 0)
			break;
		if (got_signal && !forwarded) {
			/* The workers of a terminal's Ctrl-C had it too; a SIGTERM sent to the batch alone
			 * is passed on. Each worker dies with its sandboxes (--die-with-parent). */
			for (size_t i = 0; i < n; i++)
				if (v[i].pid > 0)
					kill(v[i].pid, SIGTERM);
			forwarded = 1;
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			struct learner *l = &v[i];
			const char *what;
			bool same;
			if (l->pid != pid)
				continue;
			l->pid = 0;
			running--;
			l->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			if (got_signal && l->status > 3) {
				session_clean(work.data, reports, l->id); /* its fetch folder, a temp file */
				l->status = -2;
				continue; /* not done: the next run grades it */
			}
			t.done++;
			same = l->status <= 1 && kept(l, reports);
			if (same)
				t.kept++;
			else
				graded++;
			if (l->status == 0) {
				t.passed++;
				what = "passed";
			} else if (l->status == 1) {
				enum outcome o = why_not_passed(reports, l->id, &why);
				what = why.data;
				*(o == NOT_GRADED ? &t.not_graded
				  : o == BELOW    ? &t.below
						  : &t.required) += 1;
			} else {
				t.errors++;
				what = l->status == 2 ? "usage or spec error"
						      : "infrastructure error (see its report)";
			}
			progress_clear(pg);
			printf("%-20s %s%s\n", l->id, what, same ? " (kept: nothing changed)" : "");
			fflush(stdout);
			buf_reset(&why);
			show_status(pg, &t, n, graded, t0);
		}
	}
	progress_free(pg);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (got_signal) {
		fprintf(stderr, "grader batch: interrupted: %zu/%zu graded, run the same command to go on\n",
			t.done, n);
		rc = 128 + got_signal;
	} else {
		printf("%zu learner%s: %zu passed, %zu below the threshold, %zu failed a required check, %zu not "
		       "graded, %zu with errors; %zu kept unchanged from an earlier run\n",
		       n, n == 1 ? "" : "s", t.passed, t.below, t.required, t.not_graded, t.errors, t.kept);
		rc = t.errors ? EXIT_INFRA : EXIT_GRADE_OK;
		if (class_summary(v, n, reports, ov) < 0 && rc == EXIT_GRADE_OK)
			rc = EXIT_INFRA;
	}
	free_learners(v, n);
	overrides_free(ov);
	buf_free(&err);
	buf_free(&work);
	buf_free(&why);
	buf_free(&hint);
	return rc;
}
