/* cmd_review.c: `grader review`: the class's review queue of research answers, and the decisions on
 * it written to the class catalog (review.h, classcat.h). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "classcat.h"
#include "cli/cli.h"
#include "catalog.h"
#include "fs.h"
#include "review.h"
#include "spec.h"
#include "summary.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_ACTIONS 256

static void help(FILE *f)
{
	fprintf(f, "Usage: grader review [OPTIONS] REPORTS...\n\n"
		   "Lists the answers of the research exercises (1 and 3) that the chapter's catalogs\n"
		   "do not know and that wait for an instructor's review, across the whole class: the\n"
		   "`verified` check's entries with status \"review\" in every REPORTS/*/report.json,\n"
		   "grouped by exercise and normalised name, most learners first:\n"
		   "  Candle Labs \u2014 14 learners (alice, bob, \u2026) [ex1]\n"
		   "with the key, the catalog and the spellings seen. Names the class catalog already\n"
		   "decides are listed apart with the decision (they stay in the reports until the\n"
		   "class is graded again with it). Near misses of a catalog name (status \"suggested\":\n"
		   "the learner must fix them) are listed last, not for review.\n\n"
		   "Decide once per name with --accept or --reject: the decision is written to the\n"
		   "class catalog (--class-catalog FILE, created when missing, written atomically,\n"
		   "earlier decisions kept). Then grade the class again with it:\n"
		   "  grader batch ROSTER --class-catalog FILE\n"
		   "where an accepted name is verified (full credit) and a rejected one earns nothing,\n"
		   "the learner seeing the reason (docs/review.md).\n\n"
		   "Options:\n"
		   "  --class-catalog FILE  the class catalog: its decisions are shown, and written to\n"
		   "                     (required with --accept, --reject and --interactive)\n"
		   "  --accept KEY|NAME  accept a name awaiting review (repeatable): its key (candlelabs)\n"
		   "                     or a spelling of it (\"Candle Labs\")\n"
		   "  --reject KEY|NAME  reject one (repeatable); each needs a --reason after it\n"
		   "  --reason TEXT      why: for the --reject (or --accept) just before it\n"
		   "  --by WHO           who decides (default: $USER, else \"unknown\")\n"
		   "  --force            decide a name that is not awaiting review (a near miss, or a\n"
		   "                     name in no report: then say its --catalog), or change a\n"
		   "                     decision already made\n"
		   "  --catalog NAME     with --force, the catalog (organisations, crates) of a name\n"
		   "                     that is in no report\n"
		   "  --hide-decided     leave the names already decided out of the list\n"
		   "  -i, --interactive  on a terminal, ask for each name awaiting review:\n"
		   "                     [a]ccept, [r]eject (a reason is asked), [l]eave, [q]uit\n"
		   "  --spec DIR         the chapter (default: specs/ch01 of the grader's data): which\n"
		   "                     catalog each exercise uses\n"
		   "  --json             print the queue as JSON: {\"review\": [...], \"suggested\": [...]}\n"
		   "  -h, --help         this help\n\n"
		   "Every name, spelling and learner id is the learners' text, shown escaped.\n\n"
		   "Exit status: 0 success; 2 usage error, a report folder that cannot be read, an\n"
		   "invalid class catalog (FILE:LINE:COLUMN: message), a name not awaiting review\n"
		   "(without --force), or a name both accepted and rejected.\n");
}

struct action {
	const char *what;
	bool accept;
	const char *reason;
};

/* Prints learner text (a name) on one line, escaped. */
static void put(FILE *f, const char *s)
{
	struct buf b = BUF_INIT;

	/* s is never NULL: the analyzer takes getopt_long()'s optarg for NULL even for options that
	 * require an argument. NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	text_visible(&b, s, strlen(s), NULL);
	fputs(b.data ? b.data : "", f);
	buf_free(&b);
}

/* Records one decision for every group `a` names. Returns 0, or -1 after a message. */
static int decide(const struct review *rv, struct classcat *cc, const struct action *a, const char *by,
		  const char *when, bool force, const char *catalog)
{
	size_t idx[16], n = review_find(rv, a->what, force, idx, 16);
	struct buf err = BUF_INIT, key = BUF_INIT;
	int rc = 0;

	if (n == 0 && force && catalog) {
		catalog_normalise(a->what, &key);
		if (!key.len) {
			fprintf(stderr, "grader review: '");
			put(stderr, a->what);
			fprintf(stderr, "' has no letter or digit to make a key of\n");
			rc = -1;
		} else {
			if (classcat_find(cc, catalog, key.data))
				classcat_undecide(cc, catalog, key.data);
			classcat_decide(cc, catalog, a->accept, a->what, key.data, by, when, a->reason, &err);
			printf("%s in %s: ", a->accept ? "accepted" : "rejected", catalog);
			put(stdout, a->what);
			printf(" (key %s; in no report)\n", key.data);
		}
		buf_free(&key);
		return rc;
	}
	if (n == 0) {
		fprintf(stderr, "grader review: '");
		put(stderr, a->what);
		fprintf(stderr, "' is not awaiting review in these reports (give its key or a spelling as listed; "
				"--force decides a near miss, or with --catalog a name in no report)\n");
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct review_group *g = review_group_at(rv, idx[i]);
		const struct classcat_decision *d = classcat_find(cc, g->catalog, g->key);
		if (d && d->accepted != a->accept) {
			if (!force) {
				fprintf(stderr, "grader review: '");
				put(stderr, g->spellings[0]);
				fprintf(stderr, "' is already %s in the class catalog (--force changes the decision)\n",
					d->accepted ? "accepted" : "rejected");
				rc = -1;
				break;
			}
			classcat_undecide(cc, g->catalog, g->key);
		}
		if (classcat_decide(cc, g->catalog, a->accept, g->spellings[0], g->key, by, when,
				    a->reason, &err) < 0) {
			fprintf(stderr, "grader review: %s\n", err.data);
			rc = -1;
			break;
		}
		printf("%s in %s: ", a->accept ? "accepted" : "rejected", g->catalog);
		put(stdout, g->spellings[0]);
		printf(" (key ");
		put(stdout, g->key);
		printf(", %zu learner%s)", g->nlearners, g->nlearners == 1 ? "" : "s");
		if (a->reason) {
			printf(": ");
			put(stdout, a->reason);
		}
		printf("\n");
	}
	buf_free(&err);
	return rc;
}

/* One line from the terminal, without its line feed, into `out`; -1 at the end of input. */
static int ask(const char *prompt, struct buf *out)
{
	char line[1024];

	fputs(prompt, stdout);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return -1;
	line[strcspn(line, "\r\n")] = '\0';
	buf_reset(out);
	buf_puts(out, line);
	return 0;
}

/* --interactive: asks for each group awaiting review; the decisions go to `acts`. */
static int interact(const struct review *rv, const struct classcat *cc, struct action *acts,
		    size_t *nacts, char **owned, size_t *nowned)
{
	struct buf ans = BUF_INIT, reason = BUF_INIT;

	for (size_t i = 0; i < rv->nreview && *nacts < MAX_ACTIONS; i++) {
		const struct review_group *g = &rv->review[i];
		if (classcat_find(cc, g->catalog, g->key))
			continue;
		printf("\n(%zu/%zu) ", i + 1, rv->nreview);
		put(stdout, g->spellings[0]);
		printf(" \u2014 %zu learner%s, key ", g->nlearners, g->nlearners == 1 ? "" : "s");
		put(stdout, g->key);
		printf(", catalog %s\n", g->catalog);
		if (ask("[a]ccept, [r]eject, [l]eave, [q]uit? ", &ans) < 0 || ans.data[0] == 'q')
			break;
		if (ans.data[0] == 'a' || ans.data[0] == 'r') {
			bool accept = ans.data[0] == 'a';
			if (ask(accept ? "reason (optional): " : "reason (required): ", &reason) < 0)
				break;
			if (!accept && !reason.len) {
				printf("a rejection needs a reason: left\n");
				continue;
			}
			owned[(*nowned)++] = xstrdup(g->key);
			acts[*nacts].what = owned[*nowned - 1];
			acts[*nacts].accept = accept;
			acts[*nacts].reason = NULL;
			if (reason.len) {
				owned[(*nowned)++] = xstrdup(reason.data);
				acts[*nacts].reason = owned[*nowned - 1];
			}
			(*nacts)++;
		}
	}
	buf_free(&ans);
	buf_free(&reason);
	return 0;
}

int cli_review(int argc, char **argv)
{
	static const struct option opts[] = {
		{"class-catalog", required_argument, NULL, 'C'},
		{"accept", required_argument, NULL, 'a'},
		{"reject", required_argument, NULL, 'r'},
		{"reason", required_argument, NULL, 'R'},
		{"by", required_argument, NULL, 'b'},
		{"force", no_argument, NULL, 'F'},
		{"catalog", required_argument, NULL, 'c'},
		{"hide-decided", no_argument, NULL, 'H'},
		{"interactive", no_argument, NULL, 'i'},
		{"spec", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static struct action acts[MAX_ACTIONS];
	char *owned[2 * MAX_ACTIONS];
	size_t nacts = 0, nowned = 0;
	const char *catalog_file = NULL, *by = NULL, *catalog = NULL, *spec = NULL;
	bool force = false, hide = false, interactive = false, json = false;
	struct buf err = BUF_INIT, dir = BUF_INIT, data = BUF_INIT;
	struct spec_chapter *ch = NULL;
	struct summary *s = NULL;
	struct review *rv = NULL;
	struct classcat *cc = NULL;
	int c, rc = EXIT_USAGE;
	char when[32];

	optind = 1;
	while ((c = getopt_long(argc, argv, "ih", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
			catalog_file = optarg;
			break;
		case 'a':
		case 'r':
			if (nacts == MAX_ACTIONS) {
				fprintf(stderr, "grader review: more than %d decisions at once\n", MAX_ACTIONS);
				return EXIT_USAGE;
			}
			acts[nacts++] = (struct action){optarg, c == 'a', NULL};
			break;
		case 'R':
			if (!nacts || acts[nacts - 1].reason) {
				fprintf(stderr, "grader review: --reason goes after the --accept or --reject it explains\n");
				return EXIT_USAGE;
			}
			acts[nacts - 1].reason = optarg;
			break;
		case 'b':
			by = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'c':
			catalog = optarg;
			break;
		case 'H':
			hide = true;
			break;
		case 'i':
			interactive = true;
			break;
		case 's':
			spec = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			help(stdout);
			return EXIT_GRADE_OK;
		default:
			help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "grader review: name the class's reports folder (e.g. reports/)\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < nacts; i++) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		if (!acts[i].accept && (!acts[i].reason || !*acts[i].reason)) {
			fprintf(stderr, "grader review: --reject ");
			put(stderr, acts[i].what);
			fprintf(stderr, " needs a --reason after it (the learners see it)\n");
			return EXIT_USAGE;
		}
		catalog_normalise(acts[i].what, &a);
		for (size_t j = 0; j < i; j++) {
			catalog_normalise(acts[j].what, &b);
			if (acts[j].accept != acts[i].accept && a.len && !strcmp(a.data, b.data)) {
				fprintf(stderr, "grader review: ");
				put(stderr, acts[i].what);
				fprintf(stderr, " is both accepted and rejected\n");
				buf_free(&a);
				buf_free(&b);
				return EXIT_USAGE;
			}
		}
		buf_free(&a);
		buf_free(&b);
	}
	if ((nacts || interactive) && !catalog_file) {
		fprintf(stderr, "grader review: say which class catalog the decisions go to: --class-catalog FILE\n");
		return EXIT_USAGE;
	}
	if (interactive && (json || !isatty(STDIN_FILENO))) {
		fprintf(stderr, "grader review: --interactive asks on a terminal (not with --json)\n");
		return EXIT_USAGE;
	}
	if (catalog && !force) {
		fprintf(stderr, "grader review: --catalog is for --force (a name in no report)\n");
		return EXIT_USAGE;
	}
	if (!by) {
		by = getenv("USER");
		if (!by || !*by)
			by = "unknown";
	}
	if (spec)
		buf_puts(&dir, spec);
	else if (cli_data_dir(&data) == 0)
		fs_join(&dir, data.data, "specs/ch01");
	if (!dir.len || !(ch = spec_load_chapter(dir.data, &err))) {
		fprintf(stderr, "%sgrader review: the chapter's specs did not load (--spec DIR)\n", err.data);
		goto out;
	}
	buf_reset(&err);
	if (catalog_file && access(catalog_file, F_OK) == 0) {
		if (!(cc = classcat_load(catalog_file, &err))) {
			fputs(err.data, stderr);
			fprintf(stderr, "grader review: %s is not a valid class catalog (docs/review.md)\n",
				catalog_file);
			goto out;
		}
	} else {
		cc = classcat_new();
	}
	s = summary_new();
	buf_reset(&err);
	{
		enum summary_status st = summary_read(s, argv + optind, argc - optind, &err);
		if (err.len)
			fprintf(stderr, "grader review: %s", err.data);
		if (st == SUMMARY_REFUSED || (st != SUMMARY_OK && !summary_count(s)))
			goto out;
	}
	rv = review_collect(s, ch);
	if (interactive) {
		review_print(rv, cc, true, stdout);
		interact(rv, cc, acts, &nacts, owned, &nowned);
	}
	if (!nacts) {
		if (interactive) {
			rc = EXIT_GRADE_OK;
		} else if (json) {
			cJSON *j = review_json(rv, cc);
			char *text = j ? cJSON_Print(j) : NULL;
			if (text)
				printf("%s\n", text);
			cJSON_free(text);
			cJSON_Delete(j);
			rc = text ? EXIT_GRADE_OK : EXIT_INFRA;
		} else {
			printf("%zu report%s read\n", summary_count(s), summary_count(s) == 1 ? "" : "s");
			review_print(rv, cc, hide, stdout);
			rc = EXIT_GRADE_OK;
		}
		goto out;
	}
	classcat_now(when, sizeof(when));
	for (size_t i = 0; i < nacts; i++)
		if (decide(rv, cc, &acts[i], by, when, force, catalog) < 0)
			goto out; /* nothing written: the command is all or nothing */
	{
		const char **names = xcalloc(ch->nexercises + 1, sizeof(*names));
		struct buf *bufs = xcalloc(ch->nexercises + 1, sizeof(*bufs));
		size_t k = 0;
		for (size_t i = 0; i < ch->nexercises; i++)
			if (ch->exercises[i]->kind == SPEC_ANSWERS) {
				review_catalog_name(ch->exercises[i], &bufs[k]);
				names[k] = bufs[k].data;
				k++;
			}
		buf_reset(&err);
		if (classcat_write(cc, names, catalog_file, &err) < 0) {
			fprintf(stderr, "grader review: %s\n", err.data);
			rc = EXIT_INFRA;
		} else {
			printf("recorded by %s at %s in %s\n", by, when, catalog_file);
			printf("now grade the class again with it: grader batch ROSTER --class-catalog %s ...\n",
			       catalog_file);
			rc = EXIT_GRADE_OK;
		}
		for (size_t i = 0; i < k; i++)
			buf_free(&bufs[i]);
		free(bufs);
		free(names);
	}
out:
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	review_free(rv);
	summary_free(s);
	classcat_free(cc);
	spec_chapter_free(ch);
	buf_free(&err);
	buf_free(&dir);
	buf_free(&data);
	return rc;
}
