/* fuzz_answers.c: a learner's answers file (exercises 1 and 3) graded as `grader grade` does
 * (grade_answers() against the chapter's specs and catalogs) and validated as `grader validate`
 * does (spec_check_answers()). The bytes are written once per input to a private folder that the
 * harness made, as ex3/libraries.yaml when they hold the word "libraries" (exercise 3's list),
 * else as ex1/organisations.yaml, and graded against that exercise: each grading loads the
 * exercise's catalog, most of an input's time, so one exercise per input doubles the pace. */
#include "fuzz.h"

#include <fcntl.h>

#include "exercises/answers.h"
#include "result.h"
#include "spec.h"

static struct spec_exercise *ex[2];
static struct buf dir = BUF_INIT, file[2] = {BUF_INIT, BUF_INIT};

static void cleanup(void)
{
	if (dir.len)
		fs_rmtree(dir.data);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const specs[] = {"specs/ch01/ex1.yaml", "specs/ch01/ex3.yaml"};
	struct buf path = BUF_INIT, err = BUF_INIT;

	(void)argc;
	(void)argv;
	for (int i = 0; i < 2; i++) {
		fuzz_path(&path, specs[i]);
		ex[i] = spec_load_exercise(path.data, &err);
		if (!ex[i] || ex[i]->kind != SPEC_ANSWERS) {
			fprintf(stderr, "fuzz_answers: %s is not an answers spec: %s\n", path.data, err.data);
			exit(2);
		}
	}
	if (fs_mkdtemp(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", "grader-fuzz-answers-", &dir) < 0) {
		perror("fuzz_answers: mkdtemp");
		exit(2);
	}
	atexit(cleanup);
	for (int i = 0; i < 2; i++) {
		char *slash;
		fs_join(&file[i], dir.data, ex[i]->answers.file);
		slash = strrchr(file[i].data, '/');
		*slash = '\0';
		fs_mkdirs(file[i].data);
		*slash = '/';
	}
	buf_free(&path);
	buf_free(&err);
	return 0;
}

static void put(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0) {
		perror(path);
		exit(2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int i = memmem(data, size, "libraries", 9) ? 1 : 0;

	{
		struct result_report *r = result_report_new("fuzz");
		struct result_exercise *e = result_exercise_add(r, ex[i]->id, ex[i]->title, "answers");
		struct grade_ctx g = {.submission = dir.data};
		struct buf err = BUF_INIT;

		put(file[i].data, data, size);
		grade_answers(&g, ex[i], e, r);
		result_finish(r);
		FUZZ_ASSERT(e->nchecks == 4);
		for (size_t c = 0; c < e->nchecks; c++) {
			const struct result_check *k = e->checks[c];
			FUZZ_ASSERT(k->points >= 0 && k->points <= k->max_points);
			FUZZ_ASSERT(k->status == RESULT_PASS || k->message); /* anything short of a pass says why */
		}
		FUZZ_ASSERT(e->points >= 0 && e->points <= e->max_points);
		(void)spec_check_answers(file[i].data, ex[i], &err);
		buf_free(&err);
		result_report_free(r);
	}
	return 0;
}
