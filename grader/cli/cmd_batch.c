/* cmd_batch.c: `grader batch`: grades every learner of a roster, several at once, each in a
 * `grader grade` child process of its own (its own work directory, its own sandbox). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "learner.h"
#include "num.h"
#include "xalloc.h"
#include "banned.h"

struct learner {
	char *id, *source, *ref;
	int line;
	pid_t pid;
	int status;
};

static void help(FILE *f)
{
	fprintf(f, "Usage: grader batch [OPTIONS] ROSTER\n\n"
		   "Grades every learner of ROSTER, a CSV file with a header line and the columns\n"
		   "  learner,source[,ref]\n"
		   "(source: a git URL, a local repository or a folder; ref: optional branch, tag or\n"
		   "commit). Lines starting with # are comments. A learner id is 1 to 64 letters,\n"
		   "digits, '.', '_' or '-', starting with a letter or a digit, and names the\n"
		   "learner's folders: an id that is not, or two rows with the same id (in any case),\n"
		   "refuse the roster before anything is graded. Each learner is graded by its own\n"
		   "'grader grade' process into REPORTS/<learner>/report.json; builds and runs of\n"
		   "different learners go in parallel, while timed runs take turns (a lock shared by\n"
		   "every grader of the machine, see 'grader grade --help' for GRADER_TIMING_LOCK) so\n"
		   "that they do not disturb each other's measurements.\n\n"
		   "Options:\n"
		   "  -j, --jobs N       learners graded at once (default 1)\n"
		   "  --shard I/N        grade only part I of N of the roster (I from 1 to N): each\n"
		   "                     learner is in one part, chosen from the learner id alone, so\n"
		   "                     the parts stay the same when the roster is reordered; N\n"
		   "                     machines grading parts 1/N..N/N grade everyone once\n"
		   "  --deadline TIME    as for 'grader grade', for every learner\n"
		   "  --spec DIR, --profiles DIR, --reports DIR, --work DIR, --only EXERCISE,\n"
		   "  --no-perf,\n"
		   "  --token-host HOST  as for 'grader grade'\n"
		   "  -h, --help         this help\n\n"
		   "Exit status: 0 when every learner was graded (whatever their grades), 2 for a bad\n"
		   "roster or options, 3 when any learner hit an infrastructure error. Then run\n"
		   "'grader merge REPORTS' for the grade sheet.\n");
}

static void free_learners(struct learner *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].source);
		free(v[i].ref);
	}
	free(v);
}

/* Whether the learner's report says the submission could not be graded at all (it could not be
 * fetched, or it was refused): then "below the pass threshold" would be misleading. */
static bool not_graded(const char *reports, const char *id)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	cJSON *r = NULL, *sub;
	bool yes = false;

	buf_printf(&path, "%s/%s/report.json", reports, id);
	if (fs_read_file(path.data, 64u << 20, &text) == 0 && text.len &&
	    (r = cJSON_ParseWithLength(text.data, text.len))) {
		sub = cJSON_GetObjectItemCaseSensitive(r, "submission");
		yes = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(sub, "error"));
	}
	cJSON_Delete(r);
	buf_free(&path);
	buf_free(&text);
	return yes;
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
		}
	}
	*n = kept;
}

/* Reads the roster. Returns the learners, or NULL with errors ("roster.csv:3: …") in `err`. */
static struct learner *read_roster(const char *path, size_t *n, struct buf *err)
{
	struct buf text = BUF_INIT;
	struct learner *v = NULL;
	char *line, *save = NULL;
	int lineno = 0, bad = 0;
	bool header = true;
	const char *why;

	*n = 0;
	if (fs_read_file(path, 16u << 20, &text) < 0) {
		buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	for (line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *fields[4] = {0}, *p = line;
		int nf = 0;
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (header) {
			header = false;
			if (strncmp(line, "learner,source", 14)) {
				buf_printf(err, "%s:%d: the header must be 'learner,source' or 'learner,source,ref', not '%s'\n",
					   path, lineno, line);
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
		while (nf < 4) {
			fields[nf++] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < 2 || nf > 3 || !*fields[0] || !*fields[1]) {
			buf_printf(err, "%s:%d: expected learner,source[,ref]\n", path, lineno);
			bad++;
			continue;
		}
		/* The id is refused, never rewritten: "teamA/bob" and "teamB/bob" made safe would both be
		 * "bob", one folder and one report for two learners. */
		if ((why = learner_id_problem(fields[0]))) {
			struct buf shown = BUF_INIT;
			learner_id_quote(fields[0], &shown);
			buf_printf(err, "%s:%d: learner id '%s' is refused: it %s (%s)\n", path, lineno,
				   shown.data, why, LEARNER_ID_RULE);
			buf_free(&shown);
			bad++;
			continue;
		}
		for (size_t i = 0; i < *n; i++) {
			if (!strcmp(v[i].id, fields[0])) {
				buf_printf(err, "%s:%d: learner '%s' is listed twice (first on line %d)\n",
					   path, lineno, fields[0], v[i].line);
				bad++;
			} else if (learner_id_same(v[i].id, fields[0])) {
				buf_printf(err,
					   "%s:%d: learner '%s' is listed twice (first on line %d as '%s'; ids that "
					   "differ only in case would share a folder on some file systems)\n",
					   path, lineno, fields[0], v[i].line, v[i].id);
				bad++;
			}
		}
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[*n] = (struct learner){xstrdup(fields[0]),
					 xstrdup(fields[1]),
					 nf > 2 && *fields[2] ? xstrdup(fields[2]) : NULL,
					 lineno,
					 0,
					 0};
		(*n)++;
	}
	buf_free(&text);
	if (!bad && *n == 0) {
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

int cli_batch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"jobs", required_argument, NULL, 'j'},     {"shard", required_argument, NULL, 'S'},
		{"deadline", required_argument, NULL, 'd'}, {"spec", required_argument, NULL, 's'},
		{"profiles", required_argument, NULL, 'p'}, {"reports", required_argument, NULL, 'o'},
		{"work", required_argument, NULL, 'w'},     {"only", required_argument, NULL, 'e'},
		{"no-perf", no_argument, NULL, 'P'},        {"token-host", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	enum { MAX_PASS = 64 };
	const char *pass[MAX_PASS][2] = {{0}};
	int npass = 0, c, running = 0, infra = 0;
	long long jobs = 1;
	unsigned shard = 0, nshards = 1;
	struct learner *v;
	size_t n, next = 0, done = 0;
	struct buf err = BUF_INIT;
	const char *reports = "reports"; /* as grader grade's default */

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
		case 'd':
			pass[npass][0] = "--deadline";
			pass[npass++][1] = optarg;
			break;
		case 's':
			pass[npass][0] = "--spec";
			pass[npass++][1] = optarg;
			break;
		case 'p':
			pass[npass][0] = "--profiles";
			pass[npass++][1] = optarg;
			break;
		case 'o':
			pass[npass][0] = "--reports";
			pass[npass++][1] = optarg;
			break;
		case 'w':
			pass[npass][0] = "--work";
			pass[npass++][1] = optarg;
			break;
		case 'e':
			pass[npass][0] = "--only";
			pass[npass++][1] = optarg;
			break;
		case 'P':
			pass[npass][0] = "--no-perf";
			pass[npass++][1] = NULL;
			break;
		case 't':
			pass[npass][0] = "--token-host";
			pass[npass++][1] = optarg;
			break;
		case 'h':
			help(stdout);
			return EXIT_GRADE_OK;
		default:
			help(stderr);
			return EXIT_USAGE;
		}
		if (npass >= MAX_PASS - 1) {
			fprintf(stderr, "grader batch: too many options\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "grader batch: name exactly one ROSTER file\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	for (int i = 0; i < npass; i++)
		if (!strcmp(pass[i][0], "--reports"))
			reports = pass[i][1];
	v = read_roster(argv[optind], &n, &err);
	if (!v) {
		fputs(err.data, stderr);
		buf_free(&err);
		return EXIT_USAGE;
	}
	if (nshards > 1) {
		size_t all = n;
		keep_shard(v, &n, shard, nshards);
		printf("shard %u/%u: %zu of the roster's %zu learners\n", shard + 1, nshards, n, all);
		fflush(stdout);
	}
	while (done < n) {
		while (running < jobs && next < n) {
			struct learner *l = &v[next++];
			const char *args[16 + 2 * MAX_PASS];
			int k = 0;
			args[k++] = "grader";
			args[k++] = "grade";
			args[k++] = "--quiet";
			args[k++] = "--learner";
			args[k++] = l->id;
			if (l->ref) {
				args[k++] = "--ref";
				args[k++] = l->ref;
			}
			for (int i = 0; i < npass; i++) {
				args[k++] = pass[i][0];
				if (pass[i][1])
					args[k++] = pass[i][1];
			}
			args[k++] = "--"; /* a source that starts with '-' is a source, not an option */
			args[k++] = l->source;
			args[k] = NULL;
			fflush(NULL);
			l->pid = fork();
			if (l->pid == 0) {
				execv("/proc/self/exe", (char *const *)args);
				_exit(127);
			}
			if (l->pid < 0) {
				fprintf(stderr, "grader batch: cannot start a worker: %s\n", strerror(errno));
				l->status = -1;
				infra++;
				done++;
				continue;
			}
			running++;
		}
		if (running > 0) {
			int status;
			pid_t pid = waitpid(-1, &status, 0);
			if (pid < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (size_t i = 0; i < n; i++) {
				if (v[i].pid != pid)
					continue;
				v[i].status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
				printf("%-20s %s\n", v[i].id,
				       v[i].status == 0   ? "passed"
				       : v[i].status == 1 ? (not_graded(reports, v[i].id)
								     ? "not graded: the submission's error (see its report)"
								     : "below the pass threshold")
				       : v[i].status == 2 ? "usage or spec error"
							  : "infrastructure error (see its report)");
				fflush(stdout);
				if (v[i].status >= 2)
					infra++;
				running--;
				done++;
			}
		}
	}
	printf("%zu learner%s graded, %d with errors\n", n, n == 1 ? "" : "s", infra);
	free_learners(v, n);
	buf_free(&err);
	return infra ? EXIT_INFRA : EXIT_GRADE_OK;
}
