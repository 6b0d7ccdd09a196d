/* test_answer_sets.c: grades every labelled answer set of tests/answers/ against the chapter's
 * spec and catalogs, and checks each of its labels (see tests/answers/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exercises/answers.h"
#include "fs.h"
#include "result.h"
#include "spec.h"

#define SETS "tests/answers"

/* Reads the next word of a label line: a quoted string (with \" and \\) or a run of non-spaces.
 * Returns 0 at the end of the line, 1 for a bare word, 2 for a quoted one. */
static int next_word(const char **p, struct buf *out)
{
	const char *s = *p;

	buf_reset(out);
	while (*s == ' ')
		s++;
	if (!*s || *s == '\n')
		return 0;
	if (*s == '"') {
		for (s++; *s && *s != '"' && *s != '\n'; s++) {
			if (*s == '\\' && s[1])
				s++;
			buf_append(out, s, 1);
		}
		if (*s == '"')
			s++;
		buf_str(out);
		*p = s;
		return 2;
	}
	while (*s && *s != ' ' && *s != '\n')
		buf_append(out, s++, 1);
	buf_str(out);
	*p = s;
	return 1;
}

/* Checks one "# expect ..." line against the exercise. Returns the number of failures. */
static int check_label(const char *file, const char *line, struct result_exercise *e)
{
	struct buf w = BUF_INIT;
	const char *p = line;
	struct result_check *c = NULL;
	int bad = 0;

	next_word(&p, &w);
	if (!strcmp(w.data, "total")) {
		next_word(&p, &w);
		if (e->points < atof(w.data) - 1e-6 || e->points > atof(w.data) + 1e-6) {
			print_error("%s: total %.2f, labelled %s\n", file, e->points, w.data);
			bad++;
		}
		buf_free(&w);
		return bad;
	}
	c = result_check_find(e, w.data);
	if (!c) {
		print_error("%s: no check '%s'\n", file, w.data);
		buf_free(&w);
		return 1;
	}
	next_word(&p, &w);
	if (strcmp(result_status_name(c->status), w.data)) {
		print_error("%s: %s is %s, labelled %s (%s)\n", file, c->id,
			    result_status_name(c->status), w.data, c->message);
		bad++;
	}
	for (int kind; (kind = next_word(&p, &w));) {
		if (kind == 2) {
			if (!strstr(c->message, w.data)) {
				print_error("%s: %s's message lacks \"%s\":\n  %s\n", file, c->id,
					    w.data, c->message);
				bad++;
			}
		} else if (c->points < atof(w.data) - 1e-6 || c->points > atof(w.data) + 1e-6) {
			print_error("%s: %s has %.3f points, labelled %s (%s)\n", file, c->id, c->points,
				    w.data, c->message);
			bad++;
		}
	}
	buf_free(&w);
	return bad;
}

/* Grades one labelled set; returns the number of labels it fails, and counts the labels. */
static int grade_set(const char *name, int *labels)
{
	struct buf path = BUF_INIT, text = BUF_INIT, tmp = BUF_INIT, dest = BUF_INIT, err = BUF_INIT,
		   cls = BUF_INIT;
	bool ex1 = !strncmp(name, "ex1-", 4);
	struct spec_exercise *ex =
		spec_load_exercise(ex1 ? "specs/ch01/ex1.yaml" : "specs/ch01/ex3.yaml", &err);
	struct result_report *r = result_report_new("t");
	struct grade_ctx g = {0};
	struct result_exercise *e;
	int bad = 0;

	assert_non_null(ex);
	fs_join(&path, SETS, name);
	assert_int_equal(fs_read_file(path.data, 1 << 20, &text), 0);
	assert_int_equal(fs_mkdtemp("/tmp", "grader-sets-", &tmp), 0);
	fs_join(&dest, tmp.data, ex1 ? "ex1" : "ex3");
	assert_int_equal(fs_mkdirs(dest.data), 0);
	fs_join(&dest, tmp.data, ex1 ? "ex1/organisations.yaml" : "ex3/libraries.yaml");
	assert_int_equal(fs_write_atomic(dest.data, text.data, text.len), 0);
	g.submission = tmp.data;
	for (const char *l = text.data; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, "# class-catalog ", 16)) {
			struct buf rel = BUF_INIT;
			buf_append(&rel, l + 16, strcspn(l + 16, "\n"));
			fs_join(&cls, SETS, rel.data);
			g.class_catalog = cls.data;
			buf_free(&rel);
		}
	e = result_exercise_add(r, ex->id, ex->title, "answers");
	grade_answers(&g, ex, e, r);
	result_finish(r);
	for (const char *l = text.data; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, "# expect ", 9)) {
			(*labels)++;
			bad += check_label(name, l + 9, e);
		}
	fs_rmtree(tmp.data);
	spec_exercise_free(ex);
	result_report_free(r);
	buf_free(&path);
	buf_free(&text);
	buf_free(&tmp);
	buf_free(&dest);
	buf_free(&err);
	buf_free(&cls);
	return bad;
}

static void test_every_set_grades_as_labelled(void **state)
{
	DIR *d = opendir(SETS);
	struct dirent *de;
	int bad = 0, sets = 0, labels = 0;
	(void)state;

	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (strncmp(de->d_name, "ex", 2) || n < 6 || strcmp(de->d_name + n - 5, ".yaml"))
			continue;
		sets++;
		bad += grade_set(de->d_name, &labels);
	}
	closedir(d);
	print_message("%d labelled sets, %d labels\n", sets, labels);
	assert_true(sets >= 12);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_set_grades_as_labelled),
	};
	return cmocka_run_group_tests_name("answer_sets", tests, NULL, NULL);
}
