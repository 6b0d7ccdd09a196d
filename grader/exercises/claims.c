/* claims.c: exercise 2's claims against the grader's figures (see claims.h). */
#include "exercises/claims.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "exercises/complexity.h"
#include "fs.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_FILES 1000
#define MAX_FILE_BYTES ((size_t)4 << 20)
#define MAX_TOTAL_BYTES ((long long)64 << 20)
#define MAX_DEPTH 16
#define MAX_DIR_ENTRIES 10000
#define MAX_NAME_BYTES 64

struct walk {
	enum program_which lang;
	struct claims_code *out;
	long long bytes;
};

static struct claims_fn fn_copy(const char *rel, const char *src, const struct complexity_fn *f)
{
	struct text_safe t = {0};
	struct claims_fn c = {.file = xstrdup(rel), .line = f->line, .cc = f->cc};

	text_safe(src + f->name_off, f->name_len, MAX_NAME_BYTES, TEXT_KEEP_HEAD, &t);
	c.name = t.data;
	return c;
}

static void fn_free(struct claims_fn *f)
{
	free(f->file);
	free(f->name);
	*f = (struct claims_fn){0};
}

/* Keeps `f` among the CLAIMS_TOP most complex functions seen so far (a later function displaces
 * an earlier one only with a higher complexity). */
static void keep_top(struct claims_code *o, const char *rel, const char *src, const struct complexity_fn *f)
{
	size_t at = o->ntop;

	while (at > 0 && o->top[at - 1].cc < f->cc)
		at--;
	if (at >= CLAIMS_TOP)
		return;
	if (o->ntop == CLAIMS_TOP)
		fn_free(&o->top[--o->ntop]);
	memmove(&o->top[at + 1], &o->top[at], (o->ntop - at) * sizeof(o->top[0]));
	o->top[at] = fn_copy(rel, src, f);
	o->ntop++;
}

static void count_text(struct walk *w, const char *rel, const char *src, size_t len)
{
	struct claims_code *o = w->out;
	struct complexity c;

	complexity_count(src, len, w->lang, &c);
	o->lines += c.lines;
	o->sloc += c.sloc;
	o->functions += c.functions;
	o->complexity += c.total;
	if (c.top_decisions > 0)
		o->top_level += 1 + c.top_decisions;
	for (size_t i = 0; i < c.nfns; i++) {
		if (o->nfirst < CLAIMS_FIRST)
			o->first[o->nfirst++] = fn_copy(rel, src, &c.fns[i]);
		keep_top(o, rel, src, &c.fns[i]);
	}
	complexity_free(&c);
}

static bool wanted(const char *name, enum program_which lang)
{
	const char *ext = lang == PROGRAM_PYTHON ? ".py" : ".rs";
	size_t n = strlen(name), e = strlen(ext);

	return n > e && !strcmp(name + n - e, ext);
}

static bool skipped_dir(const char *name)
{
	return name[0] == '.' || !strcmp(name, "vendor") || !strcmp(name, "target") ||
	       !strcmp(name, "__pycache__") || !strcmp(name, "node_modules");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int count_path(struct walk *w, const char *path, const char *rel, int depth, bool top);

static void count_dir(struct walk *w, DIR *d, const char *path, const char *rel, int depth)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct buf child = BUF_INIT, crel = BUF_INIT;

	while ((e = readdir(d)) && n < MAX_DIR_ENTRIES) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		fs_join(&child, path, names[i]);
		buf_reset(&crel);
		if (*rel)
			fs_join(&crel, rel, names[i]);
		else
			buf_puts(&crel, names[i]);
		if (lstat(child.data, &st) == 0 &&
		    ((S_ISDIR(st.st_mode) && !skipped_dir(names[i])) ||
		     (S_ISREG(st.st_mode) && names[i][0] != '.' && wanted(names[i], w->lang))))
			count_path(w, child.data, crel.data, depth + 1, false);
		free(names[i]);
	}
	free(names);
	buf_free(&child);
	buf_free(&crel);
}

static int count_path(struct walk *w, const char *path, const char *rel, int depth, bool top)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		struct buf text = BUF_INIT;
		int rc = 0;

		if (w->out->files >= MAX_FILES || w->bytes + st.st_size > MAX_TOTAL_BYTES) {
			w->out->capped = true;
			return 0;
		}
		if (fs_read_file(path, MAX_FILE_BYTES, &text) < 0) {
			rc = top ? -1 : 0; /* an unreadable file inside a tree is left out */
		} else {
			w->bytes += (long long)text.len;
			count_text(w, rel, text.data, text.len);
			w->out->files++;
		}
		buf_free(&text);
		return rc;
	}
	if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
		DIR *d = opendir(path);

		if (!d)
			return top ? -1 : 0;
		count_dir(w, d, path, rel, depth);
		closedir(d);
		return 0;
	}
	if (top) {
		errno = S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
		return -1;
	}
	return 0;
}

int claims_count_code(const char *path, enum program_which lang, struct claims_code *out)
{
	struct walk w = {.lang = lang, .out = out};

	return count_path(&w, path, "", 0, true);
}

void claims_code_free(struct claims_code *c)
{
	for (size_t i = 0; i < c->ntop; i++)
		fn_free(&c->top[i]);
	for (size_t i = 0; i < c->nfirst; i++)
		fn_free(&c->first[i]);
	*c = (struct claims_code){0};
}

bool claims_ratio_consistent(double claim, double low, double high, double factor)
{
	if (!(claim > 0) || !(low > 0) || !(high >= low) || !(factor >= 1) || !isfinite(claim))
		return false;
	return claim >= low / factor && claim <= high * factor;
}

bool claims_near(long long claim, long long count, double tol, long long floor)
{
	double slack = (double)count * tol;

	if (claim <= 0 || count <= 0)
		return false;
	if (slack < (double)floor)
		slack = (double)floor;
	return fabs((double)claim - (double)count) <= slack + 1e-9;
}

bool claims_functions_consistent(long long claim, long long count, long long within)
{
	if (claim < 0 || count < 0)
		return false;
	return llabs(claim - count) <= within;
}
