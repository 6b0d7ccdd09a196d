/* test_base.c: the helpers at the bottom: xalloc, buf, fs, num. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "num.h"
#include "xalloc.h"

static void test_buf_grows_and_keeps_nul(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, "%d,", i), 0);
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.data[b.len - 2], '\0');
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
	assert_true(b.data == buf_slopbuf);
	assert_int_equal(b.len, 0);
}

static void test_buf_refuses_past_max(void **state)
{
	struct buf b = BUF_INIT_MAX(8);
	(void)state;

	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_puts(&b, "9"), -1);
	assert_int_equal(errno, EFBIG);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(buf_printf(&b, "%s", "x"), -1);
	buf_free(&b);
}

static void test_buf_detach(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	(void)state;

	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	buf_puts(&b, "hello");
	s = buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_string_equal(b.data, "");
	free(s);
}

/* The shared empty string is never written or freed: every empty buffer that owns no memory
 * points at it, and a buffer's data is never NULL. */
static void test_buf_empty_is_shared_and_never_null(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT_MAX(4), c;
	(void)state;

	buf_init(&c);
	assert_true(a.data == buf_slopbuf && b.data == buf_slopbuf && c.data == buf_slopbuf);
	assert_int_equal(b.max, 4);
	buf_reset(&a);
	assert_true(a.data == buf_slopbuf);
	assert_int_equal(buf_append(&a, "", 0), 0); /* an empty append allocates: data is writable */
	assert_true(a.data != buf_slopbuf);
	assert_string_equal(a.data, "");
	buf_puts(&a, "x");
	buf_reset(&a);
	assert_string_equal(a.data, "");
	assert_int_equal(buf_printf(&c, "%s", ""), 0);
	assert_true(c.data != buf_slopbuf);
	assert_int_equal(buf_puts(&b, "12345"), -1);
	assert_true(b.data == buf_slopbuf);
	buf_free(&b);
	assert_int_equal(b.max, 4);
	assert_int_equal(buf_slopbuf[0], '\0');
	buf_setlen(&b, 0); /* empty without memory: nothing is written */
	assert_true(b.data == buf_slopbuf);
	buf_puts(&a, "hello");
	buf_setlen(&a, 9);
	assert_string_equal(a.data, "hello");
	buf_setlen(&a, 2);
	assert_int_equal(a.len, 2);
	assert_string_equal(a.data, "he");
	buf_free(&a);
	buf_free(&c);
	buf_free(&c); /* twice is fine */
	assert_true(c.data == buf_slopbuf);
}

/* A zeroed struct (calloc, `= {0}`) is tolerated as an empty buffer by every function. */
static void test_buf_zeroed_struct_is_empty(void **state)
{
	struct buf z;
	char *s;
	(void)state;

	memset(&z, 0, sizeof(z));
	assert_string_equal(buf_str(&z), "");
	s = buf_detach(&z);
	assert_string_equal(s, "");
	free(s);
	assert_string_equal(z.data, "");
	memset(&z, 0, sizeof(z));
	buf_reset(&z);
	assert_string_equal(z.data, "");
	memset(&z, 0, sizeof(z));
	buf_free(&z);
	assert_string_equal(z.data, "");
	memset(&z, 0, sizeof(z));
	buf_setlen(&z, 0);
	assert_string_equal(z.data, "");
	memset(&z, 0, sizeof(z));
	assert_int_equal(buf_printf(&z, "%d", 7), 0);
	assert_string_equal(z.data, "7");
	buf_free(&z);
	memset(&z, 0, sizeof(z));
	assert_int_equal(buf_append(&z, "ab", 2), 0);
	assert_string_equal(z.data, "ab");
	buf_free(&z);
}

static void test_xalloc_copies(void **state)
{
	char *s;
	int *v = NULL;
	(void)state;

	s = xstrndup("hello", 3);
	assert_string_equal(s, "hel");
	free(s);
	s = xstrndup("hi", 10);
	assert_string_equal(s, "hi");
	free(s);
	s = xmemdupz("a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	free(s);
	s = xmemdupz(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	for (int i = 0; i < 100; i++) {
		v = xreallocarray(v, (size_t)i + 1, sizeof(*v));
		v[i] = i;
	}
	assert_int_equal(v[99], 99);
	free(v);
	free(xmalloc(0));
	/* What the test proves: xcalloc(0, n) is valid. */
	/* cppcheck-suppress invalidFunctionArg */
	free(xcalloc(0, 8));
}

/* Running out of memory (here: a size that overflows) ends the process with status 3 and says so. */
static void test_xalloc_out_of_memory_exits_3(void **state)
{
	int fds[2], status;
	char msg[128] = {0};
	pid_t pid;
	(void)state;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		xreallocarray(NULL, SIZE_MAX / 2, 4);
		_exit(0);
	}
	close(fds[1]);
	assert_true(read(fds[0], msg, sizeof(msg) - 1) > 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), XALLOC_EXIT_STATUS);
	assert_int_equal(XALLOC_EXIT_STATUS, 3);
	assert_non_null(strstr(msg, "grader: out of memory ("));
}

static void test_num_parsers(void **state)
{
	long long i;
	double d;
	uint64_t sz;
	(void)state;

	assert_int_equal(num_parse_int("42", 0, 100, &i), 0);
	assert_int_equal(i, 42);
	assert_int_equal(num_parse_int("42x", 0, 100, &i), -1);
	assert_int_equal(num_parse_int(" 4", 0, 100, &i), -1);
	assert_int_equal(num_parse_int("101", 0, 100, &i), -1);
	assert_int_equal(num_parse_int("99999999999999999999", 0, 100, &i), -1);
	assert_int_equal(num_parse_double("1e-3", &d), 0);
	assert_true(d == 0.001);
	assert_int_equal(num_parse_double("nan", &d), -1);
	assert_int_equal(num_parse_double("0x10", &d), -1);
	assert_int_equal(num_parse_double("1e999", &d), -1);
	assert_int_equal(num_parse_duration("250ms", &d), 0);
	assert_true(d == 0.25);
	assert_int_equal(num_parse_duration("2m", &d), 0);
	assert_true(d == 120);
	assert_int_equal(num_parse_duration("10", &d), -1);
	assert_int_equal(num_parse_duration("10 s", &d), -1);
	assert_int_equal(num_parse_duration("ms", &d), -1);
	assert_int_equal(num_parse_size("512MiB", &sz), 0);
	assert_true(sz == 512ULL << 20);
	assert_int_equal(num_parse_size("1GB", &sz), 0);
	assert_true(sz == 1000000000ULL);
	assert_int_equal(num_parse_size("1.5GiB", &sz), -1);
	assert_int_equal(num_parse_size("512", &sz), -1);
	assert_int_equal(num_parse_size("512mib", &sz), -1);
}

static void test_fs_atomic_write_and_bounded_read(void **state)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, data = BUF_INIT;
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "grader-test-", &dir), 0);
	fs_join(&path, dir.data, "a/b/c");
	assert_int_equal(fs_mkdirs(path.data), 0);
	assert_true(fs_is_dir(path.data));
	fs_join(&path, dir.data, "file.json");
	assert_int_equal(fs_write_atomic(path.data, "one", 3), 0);
	assert_int_equal(fs_write_atomic(path.data, "two!", 4), 0);
	assert_int_equal(fs_read_file(path.data, 100, &data), 0);
	assert_string_equal(data.data, "two!");
	buf_reset(&data);
	assert_int_equal(fs_read_file(path.data, 3, &data), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(fs_read_file(dir.data, 100, &data), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(fs_rmtree(dir.data), 0);
	assert_false(fs_is_dir(dir.data));
	assert_int_equal(fs_rmtree(dir.data), 0); /* already gone: fine */
	buf_free(&dir);
	buf_free(&path);
	buf_free(&data);
}

static void test_fs_rmtree_does_not_follow_links(void **state)
{
	struct buf dir = BUF_INIT, outside = BUF_INIT, link = BUF_INIT, keep = BUF_INIT;
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "grader-test-", &dir), 0);
	assert_int_equal(fs_mkdtemp("/tmp", "grader-keep-", &outside), 0);
	fs_join(&keep, outside.data, "precious");
	assert_int_equal(fs_write_atomic(keep.data, "x", 1), 0);
	fs_join(&link, dir.data, "link");
	assert_int_equal(symlink(outside.data, link.data), 0);
	assert_int_equal(fs_rmtree(dir.data), 0);
	assert_true(fs_is_file(keep.data));
	fs_rmtree(outside.data);
	buf_free(&dir);
	buf_free(&outside);
	buf_free(&link);
	buf_free(&keep);
}

static void test_fs_copytree_keeps_times_and_skips(void **state)
{
	struct buf src = BUF_INIT, dst = BUF_INIT, p = BUF_INIT;
	struct stat a, b;
	static const char *const skip[] = {"target", NULL};
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "grader-src-", &src), 0);
	assert_int_equal(fs_mkdtemp("/tmp", "grader-dst-", &dst), 0);
	fs_join(&p, src.data, "src/main.rs");
	fs_mkdirs(src.data);
	fs_join(&p, src.data, "src");
	fs_mkdirs(p.data);
	fs_join(&p, src.data, "src/main.rs");
	assert_int_equal(fs_write_atomic(p.data, "fn main(){}", 11), 0);
	fs_join(&p, src.data, "target");
	fs_mkdirs(p.data);
	assert_int_equal(fs_copytree_except(src.data, dst.data, skip), 0);
	fs_join(&p, src.data, "src/main.rs");
	assert_int_equal(stat(p.data, &a), 0);
	fs_join(&p, dst.data, "src/main.rs");
	assert_int_equal(stat(p.data, &b), 0);
	assert_true(a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec);
	fs_join(&p, dst.data, "target");
	assert_false(fs_is_dir(p.data));
	fs_rmtree(src.data);
	fs_rmtree(dst.data);
	buf_free(&src);
	buf_free(&dst);
	buf_free(&p);
}

static void test_fs_join_and_which(void **state)
{
	struct buf b = BUF_INIT;
	char *sh;
	(void)state;

	fs_join(&b, "/a/", "/b");
	assert_string_equal(b.data, "/a/b");
	fs_join(&b, "a", "b/c");
	assert_string_equal(b.data, "a/b/c");
	fs_join(&b, "/", "x");
	assert_string_equal(b.data, "/x");
	{
		struct buf small = BUF_INIT_MAX(4);
		assert_int_equal(fs_join(&small, "/a", "b"), 0);
		assert_int_equal(fs_join(&small, "/a", "bc"), -1); /* only the cap makes it fail */
		assert_int_equal(errno, EFBIG);
		buf_free(&small);
	}
	sh = fs_which("sh");
	assert_non_null(sh);
	assert_int_equal(sh[0], '/');
	free(sh);
	assert_null(fs_which("no-such-program-here"));
	buf_free(&b);
}

/* Every way out of a directory, checked with openat2 and with the component walk. */
static void beneath_cases(void)
{
	char tmpl[] = "/tmp/test-beneath.XXXXXX";
	char *d = mkdtemp(tmpl);
	struct buf p = BUF_INIT, out = BUF_INIT;
	int fd;

	assert_non_null(d);
	buf_printf(&p, "%s/secret", d);
	assert_int_equal(fs_write_atomic(p.data, "host secret", 11), 0);
	buf_reset(&p), buf_printf(&p, "%s/tree/sub", d);
	assert_int_equal(fs_mkdirs(p.data), 0);
	buf_reset(&p), buf_printf(&p, "%s/tree/sub/ok.txt", d);
	assert_int_equal(fs_write_atomic(p.data, "fine", 4), 0);
	buf_reset(&p), buf_printf(&p, "%s/tree/out.txt", d);
	assert_int_equal(symlink("../secret", p.data), 0);        /* a link that leaves */
	buf_reset(&p), buf_printf(&p, "%s/tree/inside.txt", d);
	assert_int_equal(symlink("sub/ok.txt", p.data), 0);       /* a link that stays: refused too */
	buf_reset(&p), buf_printf(&p, "%s/tree/env", d);
	assert_int_equal(symlink("/proc/self/environ", p.data), 0);
	buf_reset(&p), buf_printf(&p, "%s/tree/up", d);
	assert_int_equal(symlink("..", p.data), 0);               /* a directory link on the way */
	buf_reset(&p), buf_printf(&p, "%s/tree/fifo", d);
	assert_int_equal(mkfifo(p.data, 0600), 0);
	buf_reset(&p), buf_printf(&p, "%s/tree", d);

	assert_int_equal(fs_read_beneath(p.data, "sub/ok.txt", 100, &out), 0);
	assert_string_equal(buf_str(&out), "fine");
	assert_int_equal(fs_read_beneath(p.data, "./sub//ok.txt", 100, &out), 0);
	assert_true(fs_is_file_beneath(p.data, "sub/ok.txt"));
	assert_false(fs_is_file_beneath(p.data, "sub"));
	assert_false(fs_is_file_beneath(p.data, "out.txt"));
	assert_true(fs_exists_beneath(p.data, "sub"));
	assert_true(fs_exists_beneath(p.data, "out.txt"));     /* a link is there, to be refused */
	assert_false(fs_exists_beneath(p.data, "nothing"));
	assert_false(fs_exists_beneath(p.data, "sub/ok.txt/x"));
	buf_reset(&out);
	assert_int_equal(fs_read_beneath(p.data, "out.txt", 100, &out), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(fs_read_beneath(p.data, "inside.txt", 100, &out), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(fs_read_beneath(p.data, "env", 100, &out), -1);
	assert_int_equal(fs_read_beneath(p.data, "up/secret", 100, &out), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(fs_read_beneath(p.data, "../secret", 100, &out), -1);
	assert_int_equal(errno, EXDEV);
	assert_int_equal(fs_read_beneath(p.data, "sub/../../secret", 100, &out), -1);
	assert_int_equal(errno, EXDEV);
	buf_reset(&out), buf_printf(&out, "%s/secret", d);
	assert_int_equal(fs_read_beneath(p.data, out.data, 100, &out), -1); /* absolute */
	assert_int_equal(errno, EXDEV);
	assert_int_equal(fs_read_beneath(p.data, "fifo", 100, &out), -1);    /* and it did not block */
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fs_read_beneath(p.data, "sub", 100, &out), -1);
	assert_int_equal(errno, EISDIR);
	fd = fs_open_beneath(p.data, "sub", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fs_open_beneath(p.data, "up", O_RDONLY | O_DIRECTORY), -1);
	assert_int_equal(fs_rmtree(d), 0);
	buf_free(&p);
	buf_free(&out);
}

static void test_fs_beneath_openat2(void **state)
{
	(void)state;
	unsetenv("GRADER_NO_OPENAT2");
	beneath_cases();
}

static void test_fs_beneath_walk(void **state)
{
	(void)state;
	setenv("GRADER_NO_OPENAT2", "1", 1);
	beneath_cases();
	unsetenv("GRADER_NO_OPENAT2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_keeps_nul),
		cmocka_unit_test(test_buf_refuses_past_max),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_buf_empty_is_shared_and_never_null),
		cmocka_unit_test(test_buf_zeroed_struct_is_empty),
		cmocka_unit_test(test_xalloc_copies),
		cmocka_unit_test(test_xalloc_out_of_memory_exits_3),
		cmocka_unit_test(test_num_parsers),
		cmocka_unit_test(test_fs_atomic_write_and_bounded_read),
		cmocka_unit_test(test_fs_rmtree_does_not_follow_links),
		cmocka_unit_test(test_fs_copytree_keeps_times_and_skips),
		cmocka_unit_test(test_fs_join_and_which),
		cmocka_unit_test(test_fs_beneath_openat2),
		cmocka_unit_test(test_fs_beneath_walk),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
