/* test_report.c: the result model, its totals and statuses, and its JSON rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "log.h"
#include "report.h"
#include "summary.h"
#include "result.h"
#include "text.h"
#include "version.h"

static struct result_report *sample(void)
{
	struct result_report *r = result_report_new("alice");
	struct result_exercise *e = result_exercise_add(r, "ch01-ex4", "port", "conversion");
	struct result_check *b = result_check_add(e, "build", "builds", 5);
	struct result_check *c = result_check_add(e, "correctness", "agrees", 20);
	struct result_ev *ev;
	double samples[] = {0.5, 0.25};

	r->pass_threshold = 0.6;
	result_check_set(b, RESULT_PASS, 5, "built");
	result_check_set(c, RESULT_FAIL, 15, "1 of 4 cases differ");
	result_check_hint(c, "look at case %d", 3);
	ev = result_check_ev(c);
	result_ev_nums(ev, "samples", samples, 2);
	/* invalid UTF-8 and a NUL from a hostile program's output */
	result_ev_text(ev, "stdout", "ok\xff\xfe\0end", 9, 100, false);
	result_ev_text(ev, "long", "0123456789", 10, 4, true);
	result_ev_str(result_ev_list_add(ev, "cases"), "name", "a");
	result_ev_str(result_ev_list_add(ev, "cases"), "name", "b");
	result_finish(r);
	return r;
}

static void test_totals_and_status(void **state)
{
	struct result_report *r = sample();
	(void)state;

	assert_true(result_points(r) == 20);
	assert_true(result_max_points(r) == 25);
	assert_true(result_passed(r)); /* 20/25 = 0.8 >= 0.6 */
	assert_int_equal(r->exercises[0]->status, RESULT_PARTIAL);
	r->pass_threshold = 0.9;
	assert_false(result_passed(r));
	r->pass_threshold = 0.6;
	result_exercise_unmet(r->exercises[0], "correctness");
	assert_false(result_passed(r)); /* a required check failed: points are not enough */
	free(r->exercises[0]->unmet[0]);
	free(r->exercises[0]->unmet);
	r->exercises[0]->unmet = NULL;
	r->exercises[0]->nunmet = 0;
	assert_true(result_passed(r));
	result_error(r, "sandbox broke");
	assert_false(result_passed(r)); /* an infrastructure error never passes */
	result_report_free(r);
}

static void test_points_are_clamped(void **state)
{
	struct result_report *r = result_report_new("x");
	struct result_exercise *e = result_exercise_add(r, "e", "t", "answers");
	struct result_check *c = result_check_add(e, "count", "t", 3);
	(void)state;

	result_check_set(c, RESULT_PASS, 99, "too many");
	assert_true(c->points == 3);
	result_check_set(c, RESULT_FAIL, -1, "negative");
	assert_true(c->points == 0);
	result_finish(r);
	assert_int_equal(e->status, RESULT_FAIL);
	result_report_free(r);
}

static void test_json_is_valid_and_sanitised(void **state)
{
	struct result_report *r = sample();
	struct buf json = BUF_INIT;
	cJSON *root, *check, *ev;
	const char *out;
	(void)state;

	assert_int_equal(report_to_json(r, &json), 0);
	root = cJSON_ParseWithLength(json.data, json.len);
	assert_non_null(root);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "schema_version")->valueint, REPORT_SCHEMA_VERSION);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "score"), "passed")));
	check = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "exercises"), 0), "checks"), 1);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(check, "status")->valuestring, "fail");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(check, "hint")->valuestring, "look at case 3");
	ev = cJSON_GetObjectItemCaseSensitive(check, "evidence");
	out = cJSON_GetObjectItemCaseSensitive(ev, "stdout")->valuestring;
	assert_non_null(strstr(out, "\xEF\xBF\xBD"));  /* U+FFFD for the bad bytes */
	assert_non_null(strstr(out, "end"));           /* the NUL did not cut the string */
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev, "long_truncated")));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "long")->valuestring, "6789");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "cases")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "samples")), 2);
	cJSON_Delete(root);
	buf_free(&json);
	result_report_free(r);
}

static void test_write_is_atomic_and_reports_errors(void **state)
{
	struct result_report *r = sample();
	struct buf dir = BUF_INIT, path = BUF_INIT, err = BUF_INIT, data = BUF_INIT;
	(void)state;

	fs_mkdtemp("/tmp", "grader-report-", &dir);
	fs_join(&path, dir.data, "alice/report.json");
	assert_int_equal(report_write(r, path.data, &err), 0);
	assert_int_equal(fs_read_file(path.data, 1 << 20, &data), 0);
	assert_non_null(strstr(data.data, "\"learner\":\t\"alice\""));
	/* a path that cannot be written names itself */
	assert_int_equal(report_write(r, "/proc/version/report.json", &err), -1);
	assert_non_null(strstr(err.data, "/proc/version"));
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&err);
	buf_free(&data);
	result_report_free(r);
}

/* ---- learner text in the views ---- */

/* What a hostile learner puts in every string: retitle (OSC), clear (CSI), colour, a line feed
 * and a fake verdict, a raw C1 byte, the UTF-8 of U+009B (CSI), RLO and an isolate. */
#define HOSTILE "\x1B]0;pwned\x07\x1B[2J\x1B[1;32m\n  total    90.0/90.0 (100%, pass at 50%): PASSED" \
		"\x9B" "\xC2\x9B" "1m\xE2\x80\xAE" "DESSAP\xE2\x81\xA6\x7F\r"

static struct result_report *hostile_report(void)
{
	struct result_report *r = result_report_new(HOSTILE);
	struct result_exercise *e = result_exercise_add(r, "ch01-ex4" HOSTILE, "port" HOSTILE, "conversion");
	struct result_check *c = result_check_add(e, "correctness" HOSTILE, "agrees", 20);
	struct result_ev *ev;
	cJSON *raw = cJSON_CreateObject();

	r->pass_threshold = 0.5;
	result_set_str(&r->submission.commit, "0123456789ab" HOSTILE);
	result_set_str(&r->submission.author, "Mallory " HOSTILE);
	result_set_str(&r->submission.error, "refused: " HOSTILE);
	result_set_str(&e->message, "the manifest: " HOSTILE);
	result_warn(r, "commit message: %s", HOSTILE);
	result_exercise_unmet(e, "build" HOSTILE);
	result_check_set(c, RESULT_FAIL, 0, "differs on case %s", HOSTILE);
	result_check_hint(c, "look at %s", HOSTILE);
	result_error(r, "case %s: sandbox", HOSTILE);
	ev = result_check_ev(c);
	result_ev_str(ev, "stdout", HOSTILE);
	/* a tree another module renders itself and attaches as it is, key included */
	cJSON_AddStringToObject(raw, "raw", HOSTILE);
	cJSON_AddStringToObject(raw, "key" HOSTILE, "v");
	result_ev_attach(ev, "diagnostic", raw);
	result_finish(r);
	return r;
}

/* A view's bytes are ASCII, and ESC only starts the grader's own colours. */
static void assert_view_is_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		assert_true(ch < 0x80);
		assert_true(ch >= 0x20 || ch == '\n' || ch == 0x1B); /* ESC: see below */
		assert_true(ch != 0x7F);
	}
	for (const char *p = memchr(s, 0x1B, n); p; p = memchr(p + 1, 0x1B, n - (size_t)(p + 1 - s)))
		assert_true(!strncmp(p, "\x1B[0m", 4) || !strncmp(p, "\x1B[31m", 5) || !strncmp(p, "\x1B[32m", 5) ||
			    !strncmp(p, "\x1B[33m", 5));
}

static void summary_of(const struct result_report *r, bool color, struct buf *out)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	report_print_summary(r, f, color);
	fclose(f);
	buf_append(out, text, n);
	free(text);
}

static size_t count_lines_starting(const char *s, const char *prefix)
{
	size_t k = 0;

	for (const char *p = s; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, prefix, strlen(prefix)))
			k++;
	}
	return k;
}

static void test_summary_shows_learner_text_visibly(void **state)
{
	struct result_report *r = hostile_report();
	(void)state;

	for (int color = 0; color < 2; color++) {
		struct buf out = BUF_INIT;

		summary_of(r, color, &out);
		assert_view_is_clean(out.data, out.len);
		/* one verdict, the grader's; the learner's line feeds start only marked continuations */
		assert_int_equal(count_lines_starting(out.data, "  total"), 1);
		assert_non_null(strstr(out.data, "NOT GRADED (infrastructure error)\n"));
		assert_null(strstr(out.data, "\n  total    90.0"));
		/* every field is shown, with the escapes of text.h */
		assert_non_null(strstr(out.data, "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1;32m\\n  total")); /* learner id */
		assert_non_null(strstr(out.data, " @ 0123456789ab\n"));                          /* commit: 12 */
		assert_non_null(strstr(out.data, "  warning: commit message: \\x1b]0;pwned"));
		assert_non_null(strstr(out.data, "\n    |   total    90.0/90.0 (100%, pass at 50%): PASSED"
						 "\\x9b\\u009b1m\\u202eDESSAP\\u2066\\x7f\\r"));
		assert_non_null(strstr(out.data, "not graded")); /* submission error */
		assert_non_null(strstr(out.data, "refused: \\x1b]0;pwned"));
		assert_non_null(strstr(out.data, "  ch01-ex4\\x1b]0;pwned"));                      /* exercise id */
		assert_non_null(strstr(out.data, "port\\x1b]0;pwned"));                           /* title */
		assert_non_null(strstr(out.data, "           the manifest: \\x1b]0;pwned"));
		assert_non_null(strstr(out.data, "\n           |   total    90.0/90.0"));
		assert_non_null(strstr(out.data, "required to pass: "));
		assert_non_null(strstr(out.data, "build\\x1b]0;pwned"));                          /* unmet */
		assert_non_null(strstr(out.data, "           - correctness\\x1b]0;pwned"));        /* check id */
		assert_non_null(strstr(out.data, "differs on case \\x1b]0;pwned"));
		assert_non_null(strstr(out.data, "\n             |   total    90.0/90.0"));
		assert_non_null(strstr(out.data, "             hint: look at \\x1b]0;pwned"));
		assert_non_null(strstr(out.data, "\n               |   total    90.0/90.0"));
		assert_non_null(strstr(out.data, "  error: case \\x1b]0;pwned"));
		buf_free(&out);
	}
	result_report_free(r);
}

/* Checks every key and string of a parsed tree: no control character but \n and \t, no C1, no
 * bidi character. Returns how many strings it saw. */
static size_t assert_json_strings_clean(const cJSON *item)
{
	size_t seen = 0;

	for (; item; item = item->next) {
		const char *strs[2] = {item->string, cJSON_IsString(item) ? item->valuestring : NULL};
		for (int k = 0; k < 2; k++) {
			const char *t = strs[k];
			size_t pos = 0, n;
			long cp;
			if (!t)
				continue;
			seen++;
			n = strlen(t);
			while (pos < n) {
				pos += text_decode(t + pos, n - pos, &cp);
				assert_true(cp >= 0x20 || cp == '\n' || cp == '\t');
				assert_true(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
				assert_false(cp == 0x061C || cp == 0x200E || cp == 0x200F ||
					     (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
			}
		}
		seen += assert_json_strings_clean(item->child);
	}
	return seen;
}

static void test_json_strings_are_visible(void **state)
{
	struct result_report *r = hostile_report();
	struct buf json = BUF_INIT;
	cJSON *root, *ex, *check, *ev;
	(void)state;

	assert_int_equal(report_to_json(r, &json), 0);
	/* the file: valid UTF-8 with no raw control, C1 or bidi character */
	for (size_t pos = 0; pos < json.len;) {
		long cp;
		pos += text_decode(json.data + pos, json.len - pos, &cp);
		assert_true(cp >= 0x20 || cp == '\n' || cp == '\t');
		assert_true(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
		assert_false(cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
			     (cp >= 0x2066 && cp <= 0x2069));
	}
	assert_null(strstr(json.data, "\\u001b")); /* which `jq -r` would turn back into ESC */
	root = cJSON_ParseWithLength(json.data, json.len);
	assert_non_null(root);
	assert_true(assert_json_strings_clean(root) > 20);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(root, "learner")->valuestring,
			    "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1;32m\n  total    90.0/90.0 (100%, pass at 50%): PASSED"
			    "\\x9b\\u009b1m\\u202eDESSAP\\u2066\\x7f\\r");
	ex = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "exercises"), 0);
	check = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ex, "checks"), 0);
	ev = cJSON_GetObjectItemCaseSensitive(check, "evidence");
	/* program output keeps text_safe()'s pictures (ESC as U+241B, which is fine) */
	assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(ev, "stdout")->valuestring, "\xE2\x90\x9B]0;pwned"));
	assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(ev, "stdout")->valuestring, "\\u202e"));
	ev = cJSON_GetObjectItemCaseSensitive(ev, "diagnostic");
	assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(ev, "raw")->valuestring, "\\x1b[2J"));
	assert_non_null(strstr(ev->child->next->string, "key\\x1b]0;pwned"));
	assert_string_equal(ev->child->next->valuestring, "v");
	/* the model itself is untouched: only the views escape */
	assert_non_null(strchr(r->learner, 0x1B));
	cJSON_Delete(root);
	buf_free(&json);
	result_report_free(r);
}

static void test_sheet_cells_are_visible_and_not_formulas(void **state)
{
	struct result_report *r = result_report_new("=cmd|' /C calc'!A0" HOSTILE);
	struct result_exercise *e = result_exercise_add(r, "@SUM(1)", "t", "answers");
	struct buf dir = BUF_INIT, path = BUF_INIT, forged = BUF_INIT, err = BUF_INIT, csv = BUF_INIT;
	char *paths[3], missing[] = "/nonexistent/\x1B[2J\xE2\x80\xAE.json";
	struct summary *sheet;
	const char *row;
	(void)state;

	result_check_set(result_check_add(e, "c", "t", 1), RESULT_PASS, 1, "ok");
	result_set_str(&r->submission.commit, "+" HOSTILE);
	result_finish(r);
	fs_mkdtemp("/tmp", "grader-sheet-", &dir);
	fs_join(&path, dir.data, "a/report.json");
	assert_int_equal(report_write(r, path.data, &err), 0);
	/* a report written by hand (or by an older grader) with raw controls in its strings */
	fs_join(&forged, dir.data, "b.json");
	{
		const char *text = "{\"schema_version\": 1, \"learner\": \"-\\u001b[2J\xE2\x80\xAE" "b\\nx,y\","
				   " \"submission\": {\"commit\": \"\xC2\x9B" "1m\\r\\t\\\"q\\\"\", \"late\": false},"
				   " \"score\": {\"points\": 1, \"max_points\": 1, \"passed\": true}, \"errors\": [],"
				   " \"spec\": null, \"grader\": {\"version\": \"" GRADER_VERSION "\"},"
				   " \"exercises\": [{\"id\": \"@SUM(1)\", \"points\": 1}]}";
		assert_int_equal(fs_write_atomic(forged.data, text, strlen(text)), 0);
	}
	paths[0] = path.data;
	paths[1] = forged.data;
	paths[2] = missing;
	sheet = summary_new();
	assert_int_equal(summary_read(sheet, paths, 3, &err), SUMMARY_BAD_FILE); /* the third cannot be read */
	assert_int_equal(summary_csv(sheet, &csv), 0);
	summary_free(sheet);
	assert_view_is_clean(csv.data, csv.len);
	assert_int_equal(count_lines_starting(csv.data, ""), 4);       /* header, two rows, the end */
	assert_non_null(strstr(csv.data, ",'@SUM(1),'@SUM(1).c,overridden\n"));    /* header cells */
	row = strchr(csv.data, '\n') + 1; /* sorted by learner: '-' before '=' */
	assert_int_equal(strncmp(row, "\"'-\\x1b[2J\\u202eb\\nx,y\",1,1,", 27), 0); /* the forged one */
	assert_non_null(strstr(row, ",\"\\u009b1m\\r\\t\"\"q\"\"\","));
	row = strchr(row, '\n') + 1;
	assert_int_equal(strncmp(row, "\"'=cmd|' /C calc'!A0\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1;32m\\n  total", 59), 0);
	assert_non_null(strstr(row, ",\"'+\\x1b]0;pwned"));            /* the commit cell, quoted */
	/* the messages name paths visibly */
	assert_view_is_clean(err.data, err.len);
	assert_non_null(strstr(err.data, "/nonexistent/\\x1b[2J\\u202e.json: cannot read"));
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&forged);
	buf_free(&err);
	buf_free(&csv);
	result_report_free(r);
}

/* Every log line is one line of visible text, whatever the caller interpolates. */
static void test_log_lines_are_visible(void **state)
{
	char name[] = "/tmp/grader-log-XXXXXX";
	int fd = mkstemp(name), saved = dup(2);
	struct buf text = BUF_INIT;
	char big[6000];
	(void)state;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	log_error("case %s", HOSTILE);
	log_warn("%s\n", "\xE2\x80\xAE" "trailing line feed");
	log_info(true, "file %s", "\xC2\x9B" "2J");
	log_info(false, "hidden %s", HOSTILE);
	memset(big, 0x1B, sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_error("%s", big);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	assert_int_equal(fs_read_file(name, 1 << 20, &text), 0);
	unlink(name);
	assert_view_is_clean(text.data, text.len);
	assert_null(memchr(text.data, 0x1B, text.len));
	assert_int_equal(count_lines_starting(text.data, "grader: "), 4);
	assert_int_equal(count_lines_starting(text.data, ""), 5); /* 4 lines and the end */
	assert_non_null(strstr(text.data, "grader: error: case \\x1b]0;pwned\\x07\\x1b[2J\\x1b[1;32m\\n  total    90.0/"
					  "90.0 (100%, pass at 50%): PASSED\\x9b\\u009b1m\\u202eDESSAP\\u2066\\x7f\n")); /* a trailing CR is dropped */
	assert_non_null(strstr(text.data, "grader: warning: \\u202etrailing line feed\n"));
	assert_non_null(strstr(text.data, "grader: file \\u009b2J\n"));
	assert_null(strstr(text.data, "hidden"));
	assert_non_null(strstr(text.data, "\\x1b\\x1b [cut]\n"));
	buf_free(&text);
}

/* A report of two exercises whose measured checks passed, with the evidence their graders leave. */
static struct result_report *measured_report(void)
{
	struct result_report *r = result_report_new("bob");
	struct result_exercise *e2 = result_exercise_add(r, "ch01-ex2", "compared", "comparison");
	struct result_exercise *e4 = result_exercise_add(r, "ch01-ex4", "port", "conversion");
	struct result_check *c;
	struct result_ev *ev, *m, *o;

	r->pass_threshold = 0.6;
	c = result_check_add(e2, "speedup_claim", "claim", 2);
	result_check_set(c, RESULT_PASS, 2, "claimed 40x; the grader measured 24x");
	ev = result_check_ev(c);
	result_ev_num(ev, "claimed", 40);
	result_ev_num(ev, "measured", 23.96);
	result_ev_num(ev, "measured_low", 21.89);
	result_ev_num(ev, "measured_high", 26.26);
	c = result_check_add(e2, "memory_claim", "claim", 2);
	result_check_set(c, RESULT_PASS, 2, "claimed 0.17");
	ev = result_check_ev(c);
	result_ev_num(ev, "claimed", 0.17);
	result_ev_num(ev, "measured", 0.16804);
	c = result_check_add(e2, "complexity_claim", "claim", 2);
	result_check_set(c, RESULT_PASS, 2, "consistent");
	ev = result_check_ev(c);
	o = result_ev_obj(ev, "python");
	result_ev_int(o, "lines", 43);
	result_ev_int(o, "claimed", 43);
	o = result_ev_obj(ev, "rust");
	result_ev_int(o, "lines", 53);
	result_ev_int(o, "claimed", 50);

	c = result_check_add(e4, "build", "builds", 5);
	result_check_set(c, RESULT_PASS, 5, "built featreport in 4.5s");
	result_ev_num(result_check_ev(c), "wall_seconds", 4.5);
	c = result_check_add(e4, "python", "compiles", 0);
	result_check_set(c, RESULT_PASS, 0, "compiles");
	c = result_check_add(e4, "correctness", "agrees", 20);
	result_check_set(c, RESULT_PASS, 20, "the Rust port agrees with the Python original on all 23 cases");
	ev = result_check_ev(c);
	result_ev_str(ev, "compare_mode", "lines");
	result_ev_int(ev, "passed", 23);
	result_ev_int(ev, "total", 23);
	c = result_check_add(e4, "performance", "faster", 5);
	result_check_set(c, RESULT_PASS, 5, "Rust took 125 ms ...");
	m = result_ev_obj(result_check_ev(c), "measurement");
	result_ev_str(m, "metric", "cpu");
	o = result_ev_obj(m, "speedup");
	result_ev_num(o, "estimate", 11.6);
	result_ev_num(o, "low", 10.7);
	result_ev_num(o, "high", 12.8);
	o = result_ev_obj(m, "median_cpu");
	result_ev_num(o, "baseline", 0.754);
	result_ev_num(o, "candidate", 0.065);
	c = result_check_add(e4, "memory", "smaller", 5);
	result_check_set(c, RESULT_PASS, 5, "peak memory: ...");
	ev = result_check_ev(c);
	result_ev_int(ev, "rust_peak_bytes", 19 * 1048576 + 300000);
	result_ev_int(ev, "python_peak_bytes", 58 * 1048576);
	c = result_check_add(e4, "scaling", "grows alike", 0);
	result_check_set(c, RESULT_PASS, 0, "Python grows as ...");
	ev = result_check_ev(c);
	result_ev_num(result_ev_obj(ev, "python"), "exponent", 0.9668);
	result_ev_num(result_ev_obj(ev, "rust"), "exponent", 0.8562);
	c = result_check_add(e4, "notes", "notes", 5);
	result_check_set(c, RESULT_FAIL, 0, "ex4/NOTES.md: 20 words, at least 150 are needed");
	result_finish(r);
	return r;
}

static void test_summary_shows_what_was_measured(void **state)
{
	struct result_report *r = measured_report();
	struct buf out = BUF_INIT;
	(void)state;

	summary_of(r, false, &out);
	assert_non_null(strstr(out.data, "\n           - speedup_claim: pass  you claimed 40x; measured 24x (22x\u201326x)\n"));
	assert_non_null(strstr(out.data, "\n           - memory_claim: pass  you claimed a memory ratio of 0.17; measured 0.168\n"));
	assert_non_null(strstr(out.data, "\n           - complexity_claim: pass  you claimed 43 lines of Python and 50 of Rust; "
					 "counted 43 and 53\n"));
	assert_non_null(strstr(out.data, "\n           - correctness: pass  all 23 cases agree (compare: lines)\n"));
	assert_non_null(strstr(out.data, "\n           - performance: pass  Rust is 12x as fast (11x\u201313x), CPU time 65 ms "
					 "vs 754 ms\n"));
	assert_non_null(strstr(out.data, "\n           - memory: pass  peak memory 19 MiB (Rust) vs 58 MiB (Python)\n"));
	assert_non_null(strstr(out.data, "\n           - scaling: pass  time grows as n^0.86 for Rust, n^0.97 for Python\n"));
	/* a failure still shows its message; passing checks without figures share one line */
	assert_non_null(strstr(out.data, "\n           - notes: fail ex4/NOTES.md: 20 words"));
	assert_non_null(strstr(out.data, "\n           passed: build, python\n"));
	assert_null(strstr(out.data, "- build"));
	/* ex2 has no passing check without figures: no "passed:" line there */
	assert_int_equal(count_lines_starting(out.data, "           passed:"), 1);
	buf_free(&out);

	/* a speedup below 1 reads "slower", never "0.5x as fast" */
	result_ev_num(result_ev_obj(result_ev_obj(result_check_ev(result_check_find(r->exercises[1], "performance")),
						  "measurement"), "speedup"), "estimate", 0.5);
	summary_of(r, false, &out);
	assert_non_null(strstr(out.data, "- performance: pass  Rust is 2x slower (ratio 11x\u201313x)"));
	buf_free(&out);
	result_report_free(r);
}

static void test_summary_keeps_indentation(void **state)
{
	struct result_report *r = result_report_new("carol");
	struct result_exercise *e = result_exercise_add(r, "ch01-ex4", "port", "conversion");
	struct result_check *c = result_check_add(e, "build", "builds", 5);
	struct buf out = BUF_INIT;
	(void)state;

	result_check_set(c, RESULT_FAIL, 0, "does not compile:\r\nerror[E0597]: short\n  --> src/main.rs:3:5\n"
					 "   |\n3  |\tlet x;\n\t|\t^ here\n");
	result_check_hint(c, "two lines:\n    indented by four\n");
	result_finish(r);
	summary_of(r, false, &out);
	assert_non_null(strstr(out.data, "- build: fail does not compile:\n"
					 "             | error[E0597]: short\n"
					 "             |   --> src/main.rs:3:5\n"
					 "             |    |\n"
					 "             | 3  |    let x;\n"     /* the tab stops at 8 columns of its line */
					 "             |         |       ^ here\n"
					 "             hint: two lines:\n"
					 "               |     indented by four\n"));
	assert_null(strchr(out.data, '\t'));
	assert_null(strchr(out.data, '\r'));
	buf_free(&out);
	result_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_and_status),
		cmocka_unit_test(test_points_are_clamped),
		cmocka_unit_test(test_json_is_valid_and_sanitised),
		cmocka_unit_test(test_write_is_atomic_and_reports_errors),
		cmocka_unit_test(test_summary_shows_learner_text_visibly),
		cmocka_unit_test(test_json_strings_are_visible),
		cmocka_unit_test(test_sheet_cells_are_visible_and_not_formulas),
		cmocka_unit_test(test_log_lines_are_visible),
		cmocka_unit_test(test_summary_shows_what_was_measured),
		cmocka_unit_test(test_summary_keeps_indentation),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
