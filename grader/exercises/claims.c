/* claims.c: exercise 2's claims against the grader's figures (see claims.h). */
#include "exercises/claims.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fs.h"
#include "banned.h"

#define MAX_FILES 1000
#define MAX_FILE_BYTES ((size_t)4 << 20)
#define MAX_DEPTH 16

/* Counts one file's text. `in_block` carries a Rust block comment across lines. */
static void count_text(const char *s, size_t len, enum program_which lang, struct claims_loc *out)
{
	size_t i = 0;
	bool in_block = false;

	while (i < len) {
		size_t end = i;
		bool code = false;

		while (end < len && s[end] != '\n')
			end++;
		for (size_t j = i; j < end && !code; j++) {
			char c = s[j];
			if (in_block) {
				if (c == '*' && j + 1 < end && s[j + 1] == '/') {
					in_block = false;
					j++;
				}
				continue;
			}
			if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
				continue;
			if (lang == PROGRAM_PYTHON && c == '#')
				break;
			if (lang == PROGRAM_RUST && c == '/' && j + 1 < end && s[j + 1] == '/')
				break;
			if (lang == PROGRAM_RUST && c == '/' && j + 1 < end && s[j + 1] == '*') {
				in_block = true;
				j++;
				continue;
			}
			code = true;
		}
		out->lines++;
		if (code)
			out->code++;
		i = end + 1;
	}
}

static bool wanted(const char *name, enum program_which lang)
{
	const char *ext = lang == PROGRAM_PYTHON ? ".py" : ".rs";
	size_t n = strlen(name), e = strlen(ext);

	return n > e && !strcmp(name + n - e, ext);
}

static int count_path(const char *path, enum program_which lang, struct claims_loc *out, int depth, bool top)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		struct buf text = BUF_INIT;
		int rc = 0;

		if (out->files >= MAX_FILES)
			return 0;
		if (fs_read_file(path, MAX_FILE_BYTES, &text) < 0) {
			rc = top ? -1 : 0; /* an unreadable file inside a tree is left out */
		} else {
			count_text(text.data, text.len, lang, out);
			out->files++;
		}
		buf_free(&text);
		return rc;
	}
	if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
		DIR *d = opendir(path);
		struct dirent *e;
		struct buf child = BUF_INIT;

		if (!d)
			return top ? -1 : 0;
		while ((e = readdir(d)) && out->files < MAX_FILES) {
			if (e->d_name[0] == '.')
				continue;
			fs_join(&child, path, e->d_name);
			if (lstat(child.data, &st) < 0)
				continue;
			if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && wanted(e->d_name, lang)))
				count_path(child.data, lang, out, depth + 1, false);
		}
		closedir(d);
		buf_free(&child);
		return 0;
	}
	if (top) {
		errno = S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
		return -1;
	}
	return 0;
}

int claims_count_loc(const char *path, enum program_which lang, struct claims_loc *out)
{
	return count_path(path, lang, out, 0, true);
}

bool claims_ratio_consistent(double claim, double low, double high, double factor)
{
	if (!(claim > 0) || !(low > 0) || !(high >= low) || !(factor >= 1) || !isfinite(claim))
		return false;
	return claim >= low / factor && claim <= high * factor;
}

bool claims_loc_consistent(long long claim, const struct claims_loc *m, double tol)
{
	double lo, hi;

	if (claim <= 0 || m->lines <= 0)
		return false;
	lo = (double)m->code * (1 - tol);
	hi = (double)m->lines * (1 + tol);
	if (lo > (double)m->code - 2)
		lo = (double)m->code - 2;
	if (hi < (double)m->lines + 2)
		hi = (double)m->lines + 2;
	return (double)claim >= lo && (double)claim <= hi;
}
