/* test_progress.c: unit tests of progress.c: the status line in place on a terminal, plain lines
 * elsewhere, nothing when off, and no-ops on NULL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "progress.h"
#include "text.h"

/* A stream into memory, read back as a string. */
struct mem {
	FILE *f;
	char *data;
	size_t len;
};

static void mem_open(struct mem *m)
{
	m->data = NULL;
	m->len = 0;
	m->f = open_memstream(&m->data, &m->len);
	assert_non_null(m->f);
}

static const char *mem_text(struct mem *m)
{
	fflush(m->f);
	return m->data ? m->data : "";
}

static void mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->data);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + strlen(what), what))
		n++;
	return n;
}

/* Columns of the longest text between a "\r" and the next ESC or "\r": what one draw shows. */
static size_t widest_draw(const char *s)
{
	size_t widest = 0;

	for (const char *p = strchr(s, '\r'); p; p = strchr(p + 1, '\r')) {
		size_t at = 1, cols = 0, len = strcspn(p + 1, "\r\x1b") + 1;
		while (at < len) {
			long cp;
			at += text_decode(p + at, len - at, &cp);
			cols += cp >= 0x3000 && cp <= 0x9FFF ? 2 : 1;
		}
		if (cols > widest)
			widest = cols;
	}
	return widest;
}

static void test_null_is_a_no_op(void **state)
{
	(void)state;
	progress_exercise(NULL, 1, 2, "ch01-ex1", "title");
	progress_stage(NULL, "building %s", "x");
	progress_count(NULL, "case", 1, 3);
	progress_item(NULL, "case", 1, 3, "a.txt");
	progress_clear(NULL);
	progress_redraw(NULL);
	progress_done(NULL);
	progress_log_hook(NULL, false);
	progress_log_hook(NULL, true);
	progress_free(NULL);
	/* no stream: a progress that shows nothing */
	struct progress *p = progress_new(NULL, PROGRESS_TTY);
	progress_stage(p, "nothing");
	progress_free(p);
}

static void test_off_writes_nothing(void **state)
{
	struct mem m;
	struct progress *p;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_OFF);
	assert_non_null(p);
	progress_exercise(p, 1, 1, "ch01-ex4", "Convert");
	progress_stage(p, "building the Rust port");
	for (int i = 1; i <= 5; i++)
		progress_count(p, "case", i, 5);
	progress_clear(p);
	progress_redraw(p);
	progress_done(p);
	progress_free(p);
	assert_string_equal(mem_text(&m), "");
	mem_close(&m);
}

static void test_tty_rewrites_one_line_in_place(void **state)
{
	struct mem m;
	struct progress *p;
	const char *s;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_TTY);
	progress_exercise(p, 2, 4, "ch01-ex2", "Compare a pair");
	progress_stage(p, "building the Rust program");
	progress_count(p, "case", 7, 23);
	s = mem_text(&m);
	assert_string_equal(s, "\r[2/4] ch01-ex2: Compare a pair\x1b[K"
			       "\r[2/4] ch01-ex2: building the Rust program\x1b[K"
			       "\r[2/4] ch01-ex2: case 7/23\x1b[K");
	assert_null(strchr(s, '\n'));
	progress_done(p);
	s = mem_text(&m);
	/* the end erases the line and leaves the cursor at its start */
	assert_true(strlen(s) > 4 && !strcmp(s + strlen(s) - 4, "\r\x1b[K"));
	/* and forgets the exercise */
	progress_stage(p, "writing the report");
	s = mem_text(&m);
	assert_non_null(strstr(s, "\rwriting the report\x1b[K"));
	progress_free(p);
	mem_close(&m);
}

static void test_tty_cuts_to_the_width(void **state)
{
	struct mem m;
	struct progress *p;
	char long_name[300], wide[60 * 3 + 1] = "";

	(void)state;
	for (int i = 0; i < 60; i++)
		memcpy(wide + 3 * i, "\xe6\xbc\xa2", 4); /* U+6F22, two columns each */
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_TTY);
	/* a memory stream has no terminal: 80 columns, of which 79 are used */
	progress_stage(p, "case %s", long_name);
	assert_int_equal(widest_draw(mem_text(&m)), 79);
	/* wide characters count two columns, and are never cut in half */
	progress_stage(p, "%s", wide);
	{
		const char *s = mem_text(&m), *last = strrchr(s, '\r');
		size_t n = strcspn(last + 1, "\x1b");
		assert_int_equal(n % 3, 0); /* whole three-byte characters */
		assert_int_equal(n / 3 * 2, 78);
	}
	progress_free(p);
	mem_close(&m);
}

/* A pseudo-terminal of `cols` columns: the progress writes to its terminal side, the test reads
 * what a terminal would receive from the other side. */
static void pty_open(int cols, int *master, FILE **term)
{
	struct winsize ws = {.ws_row = 24, .ws_col = (unsigned short)cols};
	struct termios t;
	int slave;

	assert_int_equal(openpty(master, &slave, NULL, NULL, &ws), 0);
	/* raw output: what is written is what is read */
	assert_int_equal(tcgetattr(slave, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(slave, TCSANOW, &t), 0);
	*term = fdopen(slave, "w");
	assert_non_null(*term);
}

static size_t pty_read(int master, char *out, size_t cap)
{
	size_t len = 0;
	struct pollfd pfd = {.fd = master, .events = POLLIN};

	while (len + 1 < cap && poll(&pfd, 1, 200) > 0) {
		ssize_t n = read(master, out + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	return len;
}

static void test_tty_uses_the_terminal_width(void **state)
{
	int master;
	FILE *term;
	char got[4096];
	struct progress *p;
	const char *saved = getenv("TERM");
	char *keep = saved ? strdup(saved) : NULL;

	(void)state;
	pty_open(30, &master, &term);
	setenv("TERM", "xterm", 1);
	assert_int_equal(progress_mode_for(term, false, false), PROGRESS_TTY);
	assert_int_equal(progress_mode_for(term, true, false), PROGRESS_OFF);
	assert_int_equal(progress_mode_for(term, false, true), PROGRESS_VERBOSE);
	setenv("TERM", "dumb", 1);
	assert_int_equal(progress_mode_for(term, false, false), PROGRESS_PLAIN);
	if (keep)
		setenv("TERM", keep, 1);
	else
		unsetenv("TERM");
	free(keep);

	p = progress_new(term, PROGRESS_TTY);
	progress_exercise(p, 1, 1, "ch01-ex4", "Convert a Python script to Rust");
	progress_count(p, "measuring speed: run", 12, 40);
	pty_read(master, got, sizeof(got));
	/* 29 of the 30 columns */
	assert_string_equal(got, "\r[1/1] ch01-ex4: Convert a Pyt\x1b[K"
				 "\r[1/1] ch01-ex4: measuring spe\x1b[K");
	progress_free(p);
	fclose(term);
	close(master);
}

static void test_plain_prints_stages_and_throttles_counts(void **state)
{
	struct mem m;
	struct progress *p;
	const char *s;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_PLAIN);
	progress_exercise(p, 1, 1, "ch01-ex4", "Convert a Python script to Rust");
	progress_stage(p, "building the Rust port");
	progress_stage(p, "building the Rust port"); /* the same stage: not repeated */
	for (int i = 1; i <= 23; i++)
		progress_count(p, "case", i, 23);
	for (int i = 1; i <= 40; i++)
		progress_count(p, "measuring speed: run", i, 40);
	progress_done(p);
	s = mem_text(&m);
	/* whole lines, no terminal controls; within a second, one line per counted thing */
	assert_string_equal(s, "grader: [1/1] ch01-ex4: Convert a Python script to Rust\n"
			       "grader: [1/1] ch01-ex4: building the Rust port\n"
			       "grader: [1/1] ch01-ex4: case 1/23\n"
			       "grader: [1/1] ch01-ex4: measuring speed: run 1/40\n");
	progress_free(p);
	mem_close(&m);
}

/* -v: every named item (each case) on a line of its own; anonymous counts still throttled. Without
 * -v, named items are throttled like any count. */
static void test_verbose_names_every_item(void **state)
{
	struct mem m;
	struct progress *p;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_VERBOSE);
	progress_item(p, "case", 1, 2, "ex4/cases/a.txt");
	progress_item(p, "case", 2, 2, "ex4/cases/b.txt");
	for (int i = 1; i <= 40; i++)
		progress_count(p, "run", i, 40);
	assert_string_equal(mem_text(&m), "grader: case 1/2: ex4/cases/a.txt\n"
					  "grader: case 2/2: ex4/cases/b.txt\n"
					  "grader: run 1/40\n");
	progress_free(p);
	mem_close(&m);

	mem_open(&m);
	p = progress_new(m.f, PROGRESS_PLAIN);
	progress_item(p, "case", 1, 2, "ex4/cases/a.txt");
	progress_item(p, "case", 2, 2, "ex4/cases/b.txt");
	assert_string_equal(mem_text(&m), "grader: case 1/2: ex4/cases/a.txt\n");
	progress_free(p);
	mem_close(&m);

	mem_open(&m);
	p = progress_new(m.f, PROGRESS_TTY);
	progress_item(p, "case", 1, 2, "ex4/cases/a.txt");
	assert_string_equal(mem_text(&m), "\rcase 1/2: ex4/cases/a.txt\x1b[K");
	progress_free(p);
	mem_close(&m);
}

static void test_plain_counts_again_after_a_second(void **state)
{
	struct mem m;
	struct progress *p;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_PLAIN);
	progress_count(p, "case", 1, 3);
	progress_count(p, "case", 2, 3);
	sleep(1); /* usleep() takes less than a second (POSIX) */
	usleep(100 * 1000);
	progress_count(p, "case", 3, 3);
	assert_string_equal(mem_text(&m), "grader: case 1/3\ngrader: case 3/3\n");
	progress_free(p);
	mem_close(&m);
}

static void test_learner_text_stays_on_one_visible_line(void **state)
{
	struct mem m;
	struct progress *p;
	const char *s;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_PLAIN);
	progress_stage(p, "case %s", "evil\x1b[2J\ntotal 40/40 PASSED\r\xe2\x80\xae");
	s = mem_text(&m);
	assert_string_equal(s, "grader: case evil\\x1b[2J\\ntotal 40/40 PASSED\\r\\u202e\n");
	progress_free(p);
	mem_close(&m);

	mem_open(&m);
	p = progress_new(m.f, PROGRESS_TTY);
	progress_stage(p, "case %s", "a\x1b]0;title\x07");
	s = mem_text(&m);
	assert_string_equal(s, "\rcase a\\x1b]0;title\\x07\x1b[K");
	progress_free(p);
	mem_close(&m);
}

static void test_clear_and_redraw(void **state)
{
	struct mem m;
	struct progress *p;

	(void)state;
	mem_open(&m);
	p = progress_new(m.f, PROGRESS_TTY);
	progress_clear(p); /* nothing shown yet: nothing to erase */
	progress_redraw(p);
	assert_string_equal(mem_text(&m), "");
	progress_stage(p, "building");
	progress_log_hook(p, false);
	progress_log_hook(p, false); /* already erased */
	progress_log_hook(p, true);
	assert_string_equal(mem_text(&m), "\rbuilding\x1b[K\r\x1b[K\rbuilding\x1b[K");
	progress_free(p);
	mem_close(&m);
}

/* A warning while the status line is shown goes on a line of its own, and the status comes back
 * under it. */
static void test_log_message_is_not_glued_to_the_status(void **state)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	struct progress *p;
	char got[1024];
	size_t n;

	(void)state;
	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(tmp), 2) >= 0);
	p = progress_new(stderr, PROGRESS_TTY);
	log_set_hook(progress_log_hook, p);
	progress_stage(p, "case 3/9");
	log_warn("the cases folder has a link");
	log_set_hook(NULL, NULL);
	progress_free(p);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(got, 1, sizeof(got) - 1, tmp);
	got[n] = '\0';
	fclose(tmp);
	assert_string_equal(got, "\rcase 3/9\x1b[K\r\x1b[K"
				 "grader: warning: the cases folder has a link\n"
				 "\rcase 3/9\x1b[K\r\x1b[K");
	assert_int_equal(count(got, "\n"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_is_a_no_op),
		cmocka_unit_test(test_off_writes_nothing),
		cmocka_unit_test(test_tty_rewrites_one_line_in_place),
		cmocka_unit_test(test_tty_cuts_to_the_width),
		cmocka_unit_test(test_tty_uses_the_terminal_width),
		cmocka_unit_test(test_plain_prints_stages_and_throttles_counts),
		cmocka_unit_test(test_verbose_names_every_item),
		cmocka_unit_test(test_plain_counts_again_after_a_second),
		cmocka_unit_test(test_learner_text_stays_on_one_visible_line),
		cmocka_unit_test(test_clear_and_redraw),
		cmocka_unit_test(test_log_message_is_not_glued_to_the_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
