/* test_fetch.c: deadlines, dates, known_hosts, error classes, redaction, fetch_run on repositories
 * the test builds, and the scan of directories graded in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fetch/fetch.h"
#include "fs.h"

static void test_deadline_forms(void **state)
{
	int64_t t = 0;
	(void)state;
	/* 2026-12-01T22:59:00Z = 1796165940 */
	assert_int_equal(fetch_parse_deadline("2026-12-01T23:59:00+01:00", &t), 0);
	assert_int_equal(t, 1796165940);
	assert_int_equal(fetch_parse_deadline("2026-12-01T22:59:00Z", &t), 0);
	assert_int_equal(t, 1796165940);
	assert_int_equal(fetch_parse_deadline("2026-12-01 17:59:00.750-0500", &t), 0);
	assert_int_equal(t, 1796165940);
	assert_int_equal(fetch_parse_deadline("2026-12-01T22:59z", &t), 0);
	assert_int_equal(t, 1796165940);
	assert_int_equal(fetch_parse_deadline("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(fetch_parse_deadline("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(fetch_parse_deadline("2024-02-29T12:00:00+00:00", &t), 0);
	assert_int_equal(t, 1709208000);
}

static void test_deadline_refusals(void **state)
{
	static const char *const bad[] = {
		"", "2026-12-01", "2026-12-01T23:59:00", "2026-12-01T23:59:00+1", "2026-13-01T00:00Z",
		"2026-02-29T00:00Z", "2026-04-31T00:00Z", "2026-12-01T24:00Z", "2026-12-01T23:60Z",
		"2026-12-01T23:59:00Zjunk", "2026-12-01T23:59:00+01:00 ", "26-12-01T23:59Z",
		"2026-12-01T23:59:00.Z", "2026-12-01X23:59Z", "2026-12-01T23:59:00+24:00",
	};
	int64_t t = 42;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fetch_parse_deadline(bad[i], &t) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(t, 42);
	}
	assert_int_equal(fetch_parse_deadline(NULL, &t), -1);
}

static void test_format_time(void **state)
{
	char out[40];
	int64_t back;
	(void)state;
	assert_string_equal(fetch_format_time(1796165940, 60, out, sizeof(out)), "2026-12-01T23:59:00+01:00");
	assert_string_equal(fetch_format_time(1796165940, -330, out, sizeof(out)), "2026-12-01T17:29:00-05:30");
	assert_string_equal(fetch_format_time(-1, 0, out, sizeof(out)), "1969-12-31T23:59:59+00:00");
	assert_string_equal(fetch_format_time(4102444800, 0, out, sizeof(out)), "2100-01-01T00:00:00+00:00");
	/* every formatted time parses back to itself */
	for (int64_t t = -86400 * 400; t < 86400LL * 365 * 200; t += 86400 * 37 + 3917) {
		fetch_format_time(t, 135, out, sizeof(out));
		assert_int_equal(fetch_parse_deadline(out, &back), 0);
		assert_int_equal(back, t);
	}
}

/* base64 of the 4 bytes "KEY1" is S0VZMQ==, of "KEY2" S0VZMg== */
static void test_known_hosts(void **state)
{
	const unsigned char k1[] = "KEY1", k2[] = "KEY2";
	const char *kh = "# comment\n"
			 "|1|c2FsdA==|aGFzaA== ssh-ed25519 S0VZMg==\n"
			 "git.example.org,192.0.2.7 ssh-ed25519 S0VZMQ== comment here\n"
			 "@revoked other.example.org ssh-ed25519 S0VZMQ==\n"
			 "[git.example.org]:2222 ssh-ed25519 S0VZMg==\n"
			 "last.example.org ssh-rsa S0VZMg==";
	(void)state;
	assert_true(fetch_known_hosts_match(kh, "git.example.org", 22, k1, 4));
	assert_true(fetch_known_hosts_match(kh, "192.0.2.7", 22, k1, 4));
	assert_false(fetch_known_hosts_match(kh, "git.example.org", 22, k2, 4));   /* wrong key */
	assert_true(fetch_known_hosts_match(kh, "git.example.org", 2222, k2, 4));  /* port form */
	assert_false(fetch_known_hosts_match(kh, "git.example.org", 2222, k1, 4));
	assert_false(fetch_known_hosts_match(kh, "other.example.org", 22, k1, 4)); /* markers unused */
	assert_false(fetch_known_hosts_match(kh, "example.org", 22, k1, 4));       /* no suffix match */
	assert_false(fetch_known_hosts_match(kh, "git.example.org", 22, k1, 3));   /* length matters */
	assert_true(fetch_known_hosts_match(kh, "last.example.org", 22, k2, 4));   /* no final newline */
	assert_false(fetch_known_hosts_match("", "git.example.org", 22, k1, 4));
	/* the reason: listed with this key (1), listed with other keys only (0), not listed (-1) */
	assert_int_equal(fetch_known_hosts_lookup(kh, "git.example.org", 22, k1, 4), 1);
	assert_int_equal(fetch_known_hosts_lookup(kh, "git.example.org", 22, k2, 4), 0);
	assert_int_equal(fetch_known_hosts_lookup(kh, "git.example.org", 2222, k1, 4), 0);
	assert_int_equal(fetch_known_hosts_lookup(kh, "git.example.org", 2200, k1, 4), -1);
	assert_int_equal(fetch_known_hosts_lookup(kh, "other.example.org", 22, k1, 4), -1); /* marker */
	assert_int_equal(fetch_known_hosts_lookup(kh, "example.org", 22, k2, 4), -1);
	/* a host listed twice, the second line with its key: found past the first */
	assert_int_equal(fetch_known_hosts_lookup("h ssh-rsa S0VZMg==\nh ssh-ed25519 S0VZMQ==\n", "h", 22, k1, 4),
			 1);
}

/* Whose fault a failed fetch is: what the learner submitted, or the machine and the network. */
static void test_error_class(void **state)
{
	(void)state;
	assert_int_equal(fetch_error_class(FETCH_OK), ERROR_NONE);
	assert_int_equal(fetch_error_class(FETCH_ERR_SOURCE), ERROR_LEARNER);
	assert_int_equal(fetch_error_class(FETCH_ERR_LIMIT), ERROR_LEARNER);
	assert_int_equal(fetch_error_class(FETCH_ERR_REFUSED), ERROR_LEARNER);
	assert_int_equal(fetch_error_class(FETCH_ERR_TIMEOUT), ERROR_INFRA);
	assert_int_equal(fetch_error_class(FETCH_ERR_AUTH), ERROR_INFRA);
	assert_int_equal(fetch_error_class(FETCH_ERR_NETWORK), ERROR_INFRA);
	assert_int_equal(fetch_error_class(FETCH_ERR_INFRA), ERROR_INFRA);
	/* a value outside the enum (a corrupted frame, say) is never blamed on the learner */
	assert_int_equal(fetch_error_class((enum fetch_error)99), ERROR_INFRA);
}

static void test_redact(void **state)
{
	struct buf out = BUF_INIT;
	(void)state;
	unsetenv(FETCH_TOKEN_ENV);
	assert_int_equal(fetch_redact("clone of https://ada:hunter2@git.example.org/r.git: 401", &out), 0);
	assert_string_equal(buf_str(&out), "clone of https://ada:***@git.example.org/r.git: 401");
	buf_reset(&out);
	fetch_redact("https://ada@host/x and ssh://u:p@h:22/y", &out);
	assert_string_equal(buf_str(&out), "https://ada@host/x and ssh://u:***@h:22/y");
	buf_reset(&out);
	setenv(FETCH_TOKEN_ENV, "s3cr3t-token", 1);
	fetch_redact("token s3cr3t-token twice s3cr3t-token, https://x-access-token:s3cr3t-token@h/", &out);
	assert_null(strstr(buf_str(&out), "s3cr3t"));
	assert_string_equal(buf_str(&out), "token *** twice ***, https://x-access-token:***@h/");
	unsetenv(FETCH_TOKEN_ENV);
	buf_free(&out);
}

/* ---- fetch_run on repositories built with the git command line -------------------------------- */

struct world {
	struct buf dir;
	struct buf repo;
	struct buf dest;
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(buf_str(&cmd));
	buf_free(&cmd);
	return rc;
}

static int world_setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w || fs_mkdtemp("/tmp", "grader-fetch-unit.", &w->dir) < 0)
		return -1;
	fs_join(&w->repo, buf_str(&w->dir), "repo");
	fs_join(&w->dest, buf_str(&w->dir), "dest");
	fs_mkdirs(buf_str(&w->dest));
	if (sh("set -e; export GIT_CONFIG_NOSYSTEM=1 HOME=%s GIT_AUTHOR_NAME=B GIT_AUTHOR_EMAIL=b@x "
	       "GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@x; cd %s; git init -q -b main repo; cd repo; "
	       "mkdir -p a/b; echo one >a/b/f.txt; git add .; "
	       "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -q -m 'first line\n\nbody'; "
	       /* the second commit is written by hand: git would re-encode these bytes */
	       "echo two >a/b/g.txt; git add .; t=$(git write-tree); p=$(git rev-parse HEAD); "
	       "c=$(printf 'tree %%s\\nparent %%s\\nauthor Bad\\001Name <b@x> 1780272000 +0000\\n"
	       "committer C <c@x> 1780272000 +0000\\n\\nmsg \\377\\376 end\\n' $t $p | "
	       "git hash-object -t commit -w --stdin); git update-ref refs/heads/main $c; git reset -q",
	       buf_str(&w->dir), buf_str(&w->dir)) != 0)
		return -1;
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	struct world *w = *state;

	fs_rmtree(buf_str(&w->dir));
	buf_free(&w->dir);
	buf_free(&w->repo);
	buf_free(&w->dest);
	free(w);
	return 0;
}

static bool valid_utf8_no_controls(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		int n = *u < 0x80 ? 1 : (*u & 0xe0) == 0xc0 ? 2 : (*u & 0xf0) == 0xe0 ? 3 : (*u & 0xf8) == 0xf0 ? 4 : 0;
		if (!n || (*u < 0x20) || *u == 0x7f)
			return false;
		for (int i = 1; i < n; i++)
			if ((u[i] & 0xc0) != 0x80)
				return false;
		u += n;
	}
	return true;
}

static void test_fetch_file_url_in_forked_child(void **state)
{
	struct world *w = *state;
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};
	struct buf url = BUF_INIT, p = BUF_INIT;
	cJSON *json;

	buf_printf(&url, "file://%s", buf_str(&w->repo));
	req.source = buf_str(&url);
	req.parent = buf_str(&w->dest);
	req.transfer = FETCH_TRANSFER_FORK;
	if (fetch_run(&req, &res) < 0)
		fail_msg("fetch failed: %s", buf_str(&res.message));
	assert_int_equal(res.kind, FETCH_KIND_URL);
	assert_true(res.has_commit);
	assert_string_equal(res.ref, "refs/heads/main");
	assert_int_equal(res.files, 2);
	assert_int_equal(res.bytes, 8);
	assert_true(res.transfer_bytes > 0);
	/* the hostile bytes of the author and the message never reach a report */
	assert_string_equal(res.commit.author, "Bad Name <b@x>"); /* a control byte becomes a space */
	assert_true(valid_utf8_no_controls(res.commit.author));
	assert_true(valid_utf8_no_controls(res.commit.summary));
	assert_non_null(strstr(res.commit.summary, "\xef\xbf\xbd"));
	assert_int_equal(res.commit.time, 1780272000); /* 2026-06-01T00:00:00Z */
	fs_join(&p, res.tree, "a/b/g.txt");
	assert_true(fs_is_file(buf_str(&p)));
	json = fetch_result_to_json(&res);
	assert_non_null(json);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "kind")), "url");
	cJSON_Delete(json);
	assert_int_equal(fs_rmtree(res.workdir), 0);
	fetch_result_free(&res);
	buf_free(&url);
	buf_free(&p);
}

/* The zero transfer mode must not re-execute a program that is not the grader (this test). */
static void test_fetch_auto_mode_forks_outside_grader(void **state)
{
	struct world *w = *state;
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};
	struct buf url = BUF_INIT;

	buf_printf(&url, "file://%s", buf_str(&w->repo));
	req.source = buf_str(&url);
	req.parent = buf_str(&w->dest);
	if (fetch_run(&req, &res) < 0)
		fail_msg("fetch failed: %s", buf_str(&res.message));
	assert_int_equal(res.files, 2);
	fs_rmtree(res.workdir);
	fetch_result_free(&res);
	buf_free(&url);
}

static void test_fetch_deadline_and_caps(void **state)
{
	struct world *w = *state;
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};

	req.source = buf_str(&w->repo);
	req.parent = buf_str(&w->dest);
	req.has_deadline = true;
	assert_int_equal(fetch_parse_deadline("2026-03-01T00:00:00Z", &req.deadline), 0);
	if (fetch_run(&req, &res) < 0)
		fail_msg("fetch failed: %s", buf_str(&res.message));
	assert_int_equal(res.kind, FETCH_KIND_REPOSITORY);
	assert_string_equal(res.commit.summary, "first line");
	assert_true(res.late);
	assert_int_equal(res.late_by, 92 * 86400); /* 2026-03-01 to 2026-06-01 */
	assert_int_equal(res.files, 1);
	fs_rmtree(res.workdir);
	fetch_result_free(&res);

	/* caps: a.b/ is 2 directories + 2 files = 4 entries */
	memset(&res, 0, sizeof(res));
	req.has_deadline = false;
	req.limits.files = 3;
	assert_int_equal(fetch_run(&req, &res), -1);
	assert_int_equal(res.error, FETCH_ERR_LIMIT);
	assert_non_null(strstr(buf_str(&res.message), "file count limit"));
	assert_null(res.workdir);
	fetch_result_free(&res);

	memset(&res, 0, sizeof(res));
	req.limits.files = 0;
	req.limits.file_bytes = 3;
	assert_int_equal(fetch_run(&req, &res), -1);
	assert_non_null(strstr(buf_str(&res.message), "file 'a/b/f.txt' is 4B, more than 3B (file size limit)"));
	fetch_result_free(&res);

	memset(&res, 0, sizeof(res));
	req.limits.file_bytes = 0;
	req.limits.checkout_bytes = 7;
	assert_int_equal(fetch_run(&req, &res), -1);
	assert_non_null(strstr(buf_str(&res.message), "checkout size limit"));
	fetch_result_free(&res);
}

static void test_fetch_bad_parent(void **state)
{
	struct world *w = *state;
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};
	(void)w;

	req.source = buf_str(&w->repo);
	req.parent = "/nonexistent/grader/parent";
	assert_int_equal(fetch_run(&req, &res), -1);
	assert_int_equal(res.error, FETCH_ERR_INFRA);
	assert_non_null(strstr(buf_str(&res.message), "/nonexistent/grader/parent"));
	fetch_result_free(&res);
}

static void test_worktree_status(void **state)
{
	struct world *w = *state;
	struct fetch_status st = {.message = BUF_INIT};

	assert_int_equal(sh("cd %s && echo changed >a/b/f.txt && echo new >n.txt", buf_str(&w->repo)), 0);
	assert_int_equal(fetch_worktree_status(buf_str(&w->repo), &st), 0);
	assert_true(st.has_head);
	assert_int_equal(st.changed, 2);
	assert_int_equal(st.npaths, 2);
	assert_string_equal(st.paths[0], "a/b/f.txt");
	assert_string_equal(st.paths[1], "n.txt");
	fetch_status_free(&st);
	assert_int_equal(sh("cd %s && git checkout -q -- a && rm n.txt", buf_str(&w->repo)), 0);
	memset(&st, 0, sizeof(st));
	assert_int_equal(fetch_worktree_status(buf_str(&w->repo), &st), 0);
	assert_int_equal(st.changed, 0);
	fetch_status_free(&st);
	memset(&st, 0, sizeof(st));
	assert_int_equal(fetch_worktree_status("/", &st), -1);
	assert_non_null(strstr(buf_str(&st.message), "not inside a git repository"));
	fetch_status_free(&st);
}

/* A plain directory graded in place: links that leave it are refused, links inside are not. */
static void test_scan_directory(void **state)
{
	struct world *w = *state;
	struct buf d = BUF_INIT, msg = BUF_INIT;
	static const struct {
		const char *setup;   /* run in a fresh directory "t" beside the repository */
		enum fetch_error want;
		const char *message; /* a part of the message, or NULL */
	} cases[] = {
		{"echo x >f; ln -s f in; mkdir d; ln -s ../f d/up; ln -s d/up chain", FETCH_OK, NULL},
		{"ln -s nowhere/x dangling", FETCH_OK, NULL},
		{"ln -s /etc/passwd p", FETCH_ERR_REFUSED, "'p' is a symbolic link to '/etc/passwd', outside"},
		{"mkdir d; ln -s ../../repo d/r", FETCH_ERR_REFUSED, "'d/r' is a symbolic link to '../../repo'"},
		{"mkdir e d; ln -s .. e/up; ln -s ../e/up/../repo d/r", FETCH_ERR_REFUSED, "'d/r' is a symbolic link"},
		{"ln -s .. up", FETCH_ERR_REFUSED, "'up' is a symbolic link to '..'"},
		{"ln -s nowhere/../../../x dangling", FETCH_ERR_REFUSED, "'dangling' is a symbolic link"},
		{"ln -s loop loop", FETCH_ERR_REFUSED, "a loop of symbolic links"},
		{"mkfifo pipe", FETCH_ERR_REFUSED, "'pipe' is a named pipe"},
		{"mkdir -p .git sub/.git; ln -s /etc .git/x; ln -s /etc sub/.git/x", FETCH_OK, NULL},
		{"mkdir -p r/target; touch r/Cargo.toml; ln -s /etc r/target/x", FETCH_OK, NULL},
		{"mkdir -p r/target; ln -s /etc r/target/x", FETCH_ERR_REFUSED, "'r/target/x'"},
		{"ln -s /etc target", FETCH_ERR_REFUSED, "'target' is a symbolic link"},
		{"touch a b c d e", FETCH_ERR_LIMIT, "more than 4 files and directories"},
		/* a working tree: what git ignores and does not track is not the submission */
		{"git init -q; echo venv/ >.gitignore; mkdir venv; ln -s /usr/bin/python3 venv/python", FETCH_OK, NULL},
		{"git init -q; echo '*.lnk' >.gitignore; ln -s /etc x.lnk", FETCH_OK, NULL},
		{"git init -q; echo '*.lnk' >.gitignore; ln -s /etc x.lnk; git add -f x.lnk", FETCH_ERR_REFUSED, "'x.lnk'"},
		{"git init -q; echo 'v/' >.gitignore; mkdir v; ln -s /etc v/l; git add -f v/l", FETCH_ERR_REFUSED, "'v/l'"},
		{"git init -q; ln -s /etc untracked", FETCH_ERR_REFUSED, "'untracked'"},
	};
	(void)state;

	fs_join(&d, buf_str(&w->dir), "t");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum fetch_error e;
		fs_rmtree(buf_str(&d));
		assert_int_equal(sh("mkdir %s && cd %s && %s", buf_str(&d), buf_str(&d), cases[i].setup), 0);
		buf_reset(&msg);
		e = fetch_scan_directory(buf_str(&d), strstr(cases[i].setup, "touch a b") ? 4 : 0, true, &msg);
		if (e != cases[i].want || (cases[i].message && !strstr(buf_str(&msg), cases[i].message)))
			fail_msg("case '%s': error %d (wanted %d), message '%s'", cases[i].setup, e, cases[i].want,
				 buf_str(&msg));
	}
	buf_free(&d);
	buf_free(&msg);
}

/* A local repository that borrows objects (alternates) is refused, read in place and by file://. */
static void test_fetch_refuses_alternates(void **state)
{
	struct world *w = *state;
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};
	struct buf borrower = BUF_INIT, url = BUF_INIT;

	fs_join(&borrower, buf_str(&w->dir), "borrower");
	assert_int_equal(sh("set -e; git init -q -b main %s; echo %s/.git/objects >%s/.git/objects/info/alternates; "
			    "git -C %s update-ref refs/heads/main $(git -C %s rev-parse HEAD)",
			    buf_str(&borrower), buf_str(&w->repo), buf_str(&borrower), buf_str(&borrower),
			    buf_str(&w->repo)), 0);
	req.source = buf_str(&borrower);
	req.parent = buf_str(&w->dest);
	assert_int_equal(fetch_run(&req, &res), -1);
	assert_int_equal(res.error, FETCH_ERR_REFUSED);
	assert_non_null(strstr(buf_str(&res.message), "/.git/objects/info/alternates borrows objects"));
	assert_null(res.workdir);
	fetch_result_free(&res);

	memset(&res, 0, sizeof(res));
	buf_printf(&url, "file://%s", buf_str(&borrower));
	req.source = buf_str(&url);
	req.transfer = FETCH_TRANSFER_FORK;
	assert_int_equal(fetch_run(&req, &res), -1);
	assert_int_equal(res.error, FETCH_ERR_REFUSED);
	assert_non_null(strstr(buf_str(&res.message), "alternates"));
	fetch_result_free(&res);
	buf_free(&borrower);
	buf_free(&url);
}

/* Credentials go to listed hosts only: a file:// fetch needs none, and a token host list that
 * names nothing of it changes nothing. (The servers that ask are in tests/e2e/fetch_net.sh.) */
static void test_fetch_token_hosts_do_not_matter_without_a_server(void **state)
{
	struct world *w = *state;
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};
	struct buf url = BUF_INIT;
	const char *hosts[] = {"git.example.edu", "127.0.0.1"};

	buf_printf(&url, "file://%s", buf_str(&w->repo));
	req.source = buf_str(&url);
	req.parent = buf_str(&w->dest);
	req.transfer = FETCH_TRANSFER_FORK;
	req.token_hosts = hosts;
	req.ntoken_hosts = 2;
	setenv(FETCH_TOKEN_HOSTS_ENV, "a.example, b.example", 1);
	if (fetch_run(&req, &res) < 0)
		fail_msg("fetch failed: %s", buf_str(&res.message));
	unsetenv(FETCH_TOKEN_HOSTS_ENV);
	fs_rmtree(res.workdir);
	fetch_result_free(&res);
	buf_free(&url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_forms),
		cmocka_unit_test(test_deadline_refusals),
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_known_hosts),
		cmocka_unit_test(test_error_class),
		cmocka_unit_test(test_redact),
		cmocka_unit_test_setup_teardown(test_fetch_file_url_in_forked_child, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_auto_mode_forks_outside_grader, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_deadline_and_caps, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_bad_parent, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_worktree_status, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_scan_directory, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_refuses_alternates, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_token_hosts_do_not_matter_without_a_server, world_setup, world_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
