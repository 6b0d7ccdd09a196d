/* spec.h: exercise specs (specs/CHAPTER/NAME.yaml) and learner manifests (ex4/exercise.yaml,
 * ex2/comparison.yaml) as typed structs. specs/README.md documents every key.
 *
 * Loaders collect every error they find, each "file:line:col: message", into `err` and return
 * NULL when there was any. Paths inside a spec are relative to the spec's directory; paths in a
 * manifest are relative to the manifest's directory; loaders keep them as written and refuse
 * absolute paths and `..` components. */
#ifndef GRADER_SPEC_H
#define GRADER_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "outdiff.h"
#include "sandbox/sandbox.h"

enum spec_kind { SPEC_ANSWERS, SPEC_COMPARISON, SPEC_CONVERSION };

struct spec_rubric {
	char *check; /* check id, e.g. "build" */
	double points;
};

struct spec_perf {
	bool enabled;
	bool wall;              /* metric: false = cpu (default), true = wall */
	double require_speedup; /* python / rust, e.g. 2.0 */
	double confidence;      /* e.g. 0.95 */
	int min_runs, max_runs, warmup;
	double budget;              /* seconds for the whole measurement */
	double min_python_cpu;      /* seconds: a benchmark input below it is too small to judge */
	double inconclusive_credit; /* fraction of the points an inconclusive verdict earns */
	double too_small_credit;    /* fraction of the points when the benchmark input is too small */
	double precision;           /* interval half-width / estimate to sample on for; 0 = none */
	bool pin_cpu;
};

struct spec_memory {
	bool enabled;
	double require_ratio; /* rust peak / python peak must be <= this */
};

/* The scaling check (specs/README.md, "scaling"): how each program's CPU time grows with the size
 * of generated inputs, the port's exponent against the original's. */
struct spec_scaling {
	bool enabled;               /* a 'scaling' section, or the rubric names the check */
	double tolerance;           /* how far the port's exponent may exceed the original's, e.g. 0.3 */
	double confidence;          /* of the exponents' intervals, e.g. 0.95 */
	int runs;                   /* rounds at most, each a run of both programs at every size */
	double budget;              /* seconds for the whole measurement */
	double inconclusive_credit; /* fraction of the points an inconclusive verdict earns */
};

struct spec_notes {
	char *file; /* in the submission, e.g. ex4/NOTES.md */
	int min_words;
	char **sections; /* headings that must be present */
	size_t nsections;
	int min_words_per_section; /* words each required section must hold; 0: no minimum */
	int min_names;             /* names of the submission's files, functions or types the notes
				    * must mention (notes.h); 0: none */
};

/* The standard edge inputs of a conversion exercise (specs/README.md, "Edge inputs"), each run on
 * both programs when the spec's `edge_inputs` names it. */
enum spec_edge {
	SPEC_EDGE_EMPTY,
	SPEC_EDGE_ONE_LINE,
	SPEC_EDGE_NO_FINAL_NEWLINE,
	SPEC_EDGE_CRLF,
	SPEC_EDGE_LONG_LINE,
	SPEC_EDGE_NON_ASCII,
	SPEC_EDGE_COUNT
};
#define SPEC_EDGE_ALL ((1u << SPEC_EDGE_COUNT) - 1)

/* How far exercise 2's claims may be from the grader's own figures and still be consistent. */
struct spec_claims {
	double speedup_within;    /* factor around the measured speedup interval, e.g. 2 */
	double memory_within;     /* factor around the measured memory ratio, e.g. 1.5 */
	double loc_within;        /* fraction around the counted source lines of code, e.g. 0.15 */
	int functions_within;     /* functions either side of the count, e.g. 1 */
	double complexity_within; /* fraction around the counted total complexity, e.g. 0.2 */
};

struct spec_answers {
	char *file;     /* in the submission, e.g. ex1/organisations.yaml */
	char *list_key; /* top-level key holding the list, e.g. "organisations" */
	char *name_key; /* the field that names an entry, e.g. "name" or "crate" */
	char **fields;  /* fields every entry must have */
	size_t nfields;
	char *url_key; /* the field that must be an https URL */
	char *catalog; /* catalog file, relative to the spec */
	int min_entries;
	char **sentence_fields; /* fields that describe the entry in a sentence (`sentences.fields`) */
	size_t nsentence_fields;
	int min_words;        /* the fewest words of each of them (`sentences.min_words`) */
	bool parent_distinct; /* an entry and one it is part of (catalog `parent`) count as two */
};

struct spec_exercise {
	char *path; /* the spec file */
	char *id, *title;
	enum spec_kind kind;
	char *manifest; /* in the submission, e.g. ex4/exercise.yaml (comparison, conversion) */
	char *original; /* the Python script every learner converts, fixed by the instructor
				  * (relative to the spec); NULL: each learner converts their own */
	struct sandbox_limits limits;       /* for runs of the programs */
	struct sandbox_limits build_limits; /* for cargo build */
	char *registry; /* a course-provided local registry directory, relative to the spec; or NULL */
	double budget;  /* seconds of wall time for the whole exercise (builds, runs,
				  * measurements); what is left when it runs out is skipped */
	int min_cases;  /* learner's own cases */
	int max_cases;  /* the most learner cases that are run; more are left out */
	char *hidden_cases;      /* directory of hidden cases, relative to the spec; or NULL */
	int max_generated;       /* cap on generated cases a manifest may ask for */
	unsigned allowed_modes;  /* bit (1 << enum outdiff_mode) for every allowed compare mode */
	double max_abs, max_rel; /* the loosest tolerances a manifest may choose */
	int shrink_max_runs;
	double shrink_budget; /* seconds */
	unsigned edge_inputs; /* bit (1 << enum spec_edge) for every standard edge input run */
	struct spec_perf perf;
	struct spec_memory memory;
	struct spec_scaling scaling;
	struct spec_notes notes;
	struct spec_claims claims; /* comparison only */
	struct spec_answers answers;
	struct spec_rubric *rubric;
	size_t nrubric;
	char **requires; /* checks that must pass for the submission to pass, whatever its points */
	size_t nrequires;
};

/* The chapter's `gradescope` section: how `--format gradescope` writes results.json. */
struct spec_gradescope {
	/* When students see the results of hidden cases, a Gradescope visibility: "hidden",
	 * "after_due_date", "after_published" (the default) or "visible". Static: not freed. */
	const char *hidden_visibility;
};

/* What work after the deadline earns (grader grade --deadline). */
struct spec_late {
	/* false ("last-before-deadline", the default): the newest commit dated at or before the
	 * deadline is graded, later ones ignored. true ("penalty"): the newest commit is graded, and a
	 * late one loses `per_day` of its points for each day begun after the deadline, at most
	 * `max`. */
	bool penalty;
	double per_day, max; /* fractions of the points, from 0 to 1 */
};

/* The chapter's `similarity` section: what `grader similarity` flags, and the code given to
 * everyone, whose k-grams are taken out of every learner's fingerprints (fingerprint.h). */
struct spec_similarity {
	double threshold; /* a pair at or above this score is reported (default 0.5) */
	char **starter;   /* files or folders relative to the chapter's folder, checked to exist */
	size_t nstarter;
};

struct spec_chapter {
	char *dir; /* the spec directory */
	char *id, *title;
	double pass_threshold; /* fraction of the maximum points */
	double budget;         /* seconds of wall time for one learner's whole grading */
	struct spec_gradescope gradescope;
	struct spec_late late;
	struct spec_similarity similarity;
	struct spec_exercise **exercises;
	size_t nexercises;
};

/* Loads one exercise spec. */
struct spec_exercise *spec_load_exercise(const char *path, struct buf *err);
/* The same from memory (a spec written in a test, or bytes a fuzzer makes); `path` names it in
 * messages and is where its relative paths start from. */
struct spec_exercise *spec_exercise_from_string(const char *path, const char *data, size_t len, struct buf *err);
void spec_exercise_free(struct spec_exercise *e);
/* Loads a chapter: DIR/chapter.yaml, which lists its exercises' spec files in order. */
struct spec_chapter *spec_load_chapter(const char *dir, struct buf *err);
void spec_chapter_free(struct spec_chapter *c);
/* A path the spec names (relative to the spec's own folder) as a path usable from here, into
 * `out`. */
void spec_resolve(const struct spec_exercise *e, const char *rel, struct buf *out);
/* The points the rubric gives check `id`, or 0 when it does not name it. */
double spec_points(const struct spec_exercise *e, const char *check);
const char *spec_kind_name(enum spec_kind k);
/* The spec's name of an edge input: "empty", "one-line", "no-final-newline", "crlf", "long-line",
 * "non-ascii". */
const char *spec_edge_key(enum spec_edge e);

/* The learner's exercise-4 manifest (docs/manifest-ex4.md). */
struct spec_conversion {
	char *path;          /* the manifest file */
	char *python_script; /* relative to the manifest's directory */
	char *rust_package;
	char *rust_binary; /* NULL: the package's only binary */
	char **args;       /* with "{input}" placeholders */
	size_t nargs;
	bool stdin_input; /* true when no arg holds {input} */
	char *cases;      /* directory of cases */
	enum outdiff_mode mode;
	double abs, rel;
	char **outputs; /* files the programs write in /work, compared too */
	size_t noutputs;
	char *generator; /* NULL or a script */
	int seeds;
	int gen_size;
	char *bench_file;           /* benchmark input file, or NULL */
	int bench_seed, bench_size; /* or a generated benchmark input (bench_size > 0) */
	/* exercise 2 only */
	char *project;
	double claim_speedup, claim_memory_ratio;           /* 0 when not claimed */
	int claim_python_loc, claim_rust_loc;               /* 0 when not claimed */
	int claim_python_functions, claim_rust_functions;   /* -1 when not claimed */
	int claim_python_complexity, claim_rust_complexity; /* 0 when not claimed */
};

/* Loads a manifest and checks it against the exercise's spec (allowed modes, loosest tolerance,
 * generated-case cap). `comparison` selects the exercise-2 format. */
struct spec_conversion *spec_load_conversion(const char *path, const struct spec_exercise *ex,
					     bool comparison, struct buf *err);
/* The same for a learner's manifest `rel` in the submission `dir`: read without following any
 * symbolic link (see fs_open_beneath), named `rel` in messages. */
struct spec_conversion *spec_load_conversion_in(const char *dir, const char *rel,
						const struct spec_exercise *ex, bool comparison,
						struct buf *err);
/* The same from memory; `name` is used in messages. */
struct spec_conversion *spec_conversion_from_string(const char *name, const char *data, size_t len,
						    const struct spec_exercise *ex, bool comparison,
						    struct buf *err);
void spec_conversion_free(struct spec_conversion *m);

/* Checks a learner's answers file (exercises 1 and 3) against its spec: the list, at least
 * `min_entries` entries, every field present and non-empty, sources that sources.h accepts. Returns the number of
 * errors appended to `err`. (The grading of answers against catalogs is the answers module's.) */
int spec_check_answers(const char *path, const struct spec_exercise *ex, struct buf *err);

/* Checks that every path the learner's manifest of `ex` (ex->manifest beneath the submission
 * folder `root`) names is there as the grader will read it: the Python script (unless the spec
 * fixes the original), the Rust package with its Cargo.toml, the cases folder (also the default
 * one when the exercise needs cases), the generator and the benchmark file, each a regular file or
 * folder beneath `root` reached without symbolic links (fs_open_beneath), and, for a conversion,
 * the notes file the spec asks for. Errors are "SHOWN:LINE:COLUMN: message" at the key that names
 * the path (`shown` is how the manifest is named), with "did you mean" for a near name in the same
 * folder. Returns the number of errors (0 also when the manifest does not load: that is reported
 * when it is validated itself). */
int spec_check_manifest_paths(const char *root, const char *shown, const struct spec_exercise *ex,
			      struct buf *err);

/* Validates a path by what it is: a chapter directory (or its chapter.yaml), an exercise spec, a
 * catalog, a learner's manifest or answers file, or a whole submission directory (every learner
 * file the chapter names that is present). `chapter` is needed for learner files (their limits
 * come from the spec) and may be NULL otherwise. A manifest in a submission (the folder, or the
 * file named as .../ex4/exercise.yaml) also has its paths checked (spec_check_manifest_paths). Appends "checked: PATH" lines to `done` and
 * errors to `err`; returns the number of errors, or -1 when the path is not a grader file. */
int spec_validate_path(const char *path, const struct spec_chapter *chapter, struct buf *done, struct buf *err);

#endif
