/* notes.c: the written-notes check (see notes.h). */
#include "exercises/notes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

void notes_names_free(struct notes_names *names)
{
	for (size_t i = 0; i < names->n; i++)
		free(names->v[i]);
	free(names->v);
	names->v = NULL;
	names->n = 0;
}

static void names_add(struct notes_names *names, const char *s, size_t n)
{
	if (n < 3 || names->n >= NOTES_MAX_NAMES)
		return;
	for (size_t i = 0; i < names->n; i++)
		if (strlen(names->v[i]) == n && !memcmp(names->v[i], s, n))
			return;
	names->v = xreallocarray(names->v, names->n + 1, sizeof(*names->v));
	names->v[names->n] = xmalloc(n + 1);
	memcpy(names->v[names->n], s, n);
	names->v[names->n][n] = '\0';
	names->n++;
}

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

void notes_names_from_source(const char *file, const char *text, size_t len, bool rust, struct notes_names *names)
{
	static const char *const rust_kw[] = {"fn", "struct", "enum", "trait", "type", NULL};
	static const char *const py_kw[] = {"def", "class", NULL};
	const char *const *kw = rust ? rust_kw : py_kw;
	const char *base = strrchr(file, '/');
	size_t i = 0;

	base = base ? base + 1 : file;
	if (strspn(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == strlen(base))
		names_add(names, base, strlen(base)); /* a file name with other bytes is not shown */
	while (i < len) {
		size_t s = i, k;
		bool is_kw = false;
		if (!ident_start(text[i]) || (i && ident_char(text[i - 1]))) {
			i++;
			continue;
		}
		while (i < len && ident_char(text[i]))
			i++;
		for (k = 0; kw[k] && !is_kw; k++)
			is_kw = strlen(kw[k]) == i - s && !memcmp(kw[k], text + s, i - s);
		if (!is_kw)
			continue;
		/* one blank at least, then the name */
		if (i >= len || (text[i] != ' ' && text[i] != '\t'))
			continue;
		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		s = i;
		if (i < len && ident_start(text[i]))
			while (i < len && ident_char(text[i]))
				i++;
		names_add(names, text + s, i - s);
	}
}

bool notes_name_distinct(const char *name)
{
	for (const char *p = name; *p; p++)
		if (*p == '_' || *p == '.' || (*p >= '0' && *p <= '9') || (p > name && *p >= 'A' && *p <= 'Z'))
			return true;
	return false;
}

/* ---- the words of the notes ---- */

struct token {
	const char *s;
	size_t n;
	bool marked; /* in backticks, or right before '(' */
};

static int token_cmp(const void *a, const void *b)
{
	const struct token *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void token_add(struct token **v, size_t *n, size_t *cap, const char *s, size_t len, bool marked)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = (struct token){s, len, marked};
}

/* Every word of the text (runs of letters, digits, '_' and '.', dots at either end left out),
 * and, for a word with dots, each of its parts, sorted. */
static struct token *tokenize(const char *text, size_t len, size_t *count)
{
	struct token *v = NULL;
	size_t n = 0, cap = 0, i = 0;
	bool code = false;

	while (i < len) {
		size_t s, e;
		bool marked;
		if (text[i] == '`') {
			code = !code;
			i++;
			continue;
		}
		if (!ident_char(text[i]) && text[i] != '.') {
			i++;
			continue;
		}
		s = i;
		while (i < len && (ident_char(text[i]) || text[i] == '.'))
			i++;
		e = i;
		while (s < e && text[s] == '.')
			s++;
		while (e > s && text[e - 1] == '.')
			e--;
		if (s == e)
			continue;
		marked = code || (i < len && text[i] == '(');
		token_add(&v, &n, &cap, text + s, e - s, marked);
		if (memchr(text + s, '.', e - s)) {
			for (size_t p = s; p < e;) {
				size_t q = p;
				while (q < e && text[q] != '.')
					q++;
				if (q > p)
					token_add(&v, &n, &cap, text + p, q - p, code || (q == e && marked));
				p = q + 1;
			}
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), token_cmp);
	*count = n;
	return v;
}

size_t notes_mentions(const char *text, size_t len, const struct notes_names *names, struct buf *found)
{
	size_t ntok, count = 0;
	struct token *tok = tokenize(text, len, &ntok);

	for (size_t i = 0; i < names->n; i++) {
		struct token key = {names->v[i], strlen(names->v[i]), false};
		struct token *hit = ntok ? bsearch(&key, tok, ntok, sizeof(*tok), token_cmp) : NULL;
		bool distinct = notes_name_distinct(names->v[i]), ok = false;
		if (!hit)
			continue;
		/* bsearch lands on any of the equal tokens: look at all of them */
		while (hit > tok && !token_cmp(hit - 1, &key))
			hit--;
		for (; hit < tok + ntok && !token_cmp(hit, &key) && !ok; hit++)
			ok = distinct || hit->marked;
		if (ok) {
			buf_printf(found, "%s%s", count ? ", " : "", names->v[i]);
			count++;
		}
	}
	free(tok);
	return count;
}

/* ---- sections ---- */

/* The heading level of a line (1 to 6 for "#" to "######" then a blank or the end), or 0. */
static int heading_level(const char *line, size_t n)
{
	int level = 0;

	while ((size_t)level < n && line[level] == '#')
		level++;
	if (level < 1 || level > 6 || ((size_t)level < n && line[level] != ' ' && line[level] != '\t'))
		return 0;
	return level;
}

long notes_section_words(const char *text, size_t len, const char *heading)
{
	const char *p = text, *end = text + len, *body = NULL;
	int level = 0;
	bool fence = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);
		int h = 0;
		if (n >= 3 && (!memcmp(p, "```", 3) || !memcmp(p, "~~~", 3)))
			fence = !fence;
		else if (!fence)
			h = heading_level(p, n);
		if (h && body && h <= level)
			return (long)text_count_words(body, (size_t)(p - body));
		if (h && !body) {
			struct buf line = BUF_INIT;
			buf_append(&line, p, n);
			if (strcasestr(line.data, heading)) {
				body = nl ? nl + 1 : end;
				level = h;
			}
			buf_free(&line);
		}
		p = nl ? nl + 1 : end;
	}
	return body ? (long)text_count_words(body, (size_t)(end - body)) : -1;
}

/* ---- collecting names from the sources ---- */

struct walk {
	const char *root;
	struct notes_names *names;
	int files;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* The .rs and .py files beneath `rel` (below w->root), reached without links, to a depth of 8. */
static void walk_sources(struct walk *w, const char *rel, int depth)
{
	int fd = fs_open_beneath(w->root, rel, O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)) && n < 4096) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		struct buf child = BUF_INIT, text = BUF_INIT;
		fs_join(&child, rel, names[i]);
		if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* gone: nothing to read */
		} else if (S_ISDIR(st.st_mode)) {
			if (depth < 8 && strcmp(names[i], "target") && strcmp(names[i], "vendor"))
				walk_sources(w, child.data, depth + 1);
		} else if (S_ISREG(st.st_mode) && w->files < NOTES_MAX_SOURCES &&
			   (ends_with(names[i], ".rs") || ends_with(names[i], ".py"))) {
			w->files++;
			if (fs_read_beneath(w->root, child.data, NOTES_MAX_SOURCE, &text) == 0)
				notes_names_from_source(names[i], text.data ? text.data : "", text.len,
							ends_with(names[i], ".rs"), w->names);
		}
		buf_free(&child);
		buf_free(&text);
		free(names[i]);
	}
	free(names);
	closedir(d);
}

/* The names of the code beneath the notes file's folder. */
static void collect_names(const char *submission, const char *notes_file, struct notes_names *names)
{
	char *dir = xstrdup(notes_file);
	struct walk w = {.root = submission, .names = names};

	walk_sources(&w, strchr(notes_file, '/') ? dirname(dir) : ".", 0);
	free(dir);
}

/* ---- the check ---- */

void notes_check(const char *submission, const struct spec_notes *spec, struct result_check *c)
{
	struct buf text = BUF_INIT, missing = BUF_INIT, thin = BUF_INIT, found = BUF_INIT, msg = BUF_INIT;
	struct result_ev *ev = result_check_ev(c);
	struct notes_names names = {0};
	size_t words, present = 0, long_enough = 0, mentioned = 0;
	double points = 0, share;
	int parts = 2;

	if (fs_read_beneath(submission, spec->file, 1 << 20, &text) < 0) {
		result_check_set(c, RESULT_FAIL, 0, "%s: %s", spec->file,
				 errno == ENOENT ? "not found"
				 : errno == ELOOP || errno == EXDEV
					 ? "a symbolic link (the grader reads only regular files in your repository)"
					 : strerror(errno));
		result_check_hint(c, "write %s: the challenges you met converting the script and how you overcame them",
				  spec->file);
		goto out;
	}
	if (!text.data)
		buf_puts(&text, "");
	words = text_count_words(text.data, text.len);
	result_ev_str(ev, "file", spec->file);
	result_ev_int(ev, "words", (long long)words);
	result_ev_int(ev, "min_words", spec->min_words);
	for (size_t i = 0; i < spec->nsections; i++) {
		long sw = notes_section_words(text.data, text.len, spec->sections[i]);
		struct result_ev *se = result_ev_list_add(ev, "sections");
		result_ev_str(se, "heading", spec->sections[i]);
		result_ev_int(se, "words", sw < 0 ? 0 : sw);
		result_ev_bool(se, "present", sw >= 0);
		if (sw < 0) {
			buf_printf(&missing, "%s'%s'", missing.len ? ", " : "", spec->sections[i]);
			continue;
		}
		present++;
		if (sw >= spec->min_words_per_section)
			long_enough++;
		else
			buf_printf(&thin, "%ssection '%s' has %ld word%s, at least %d wanted",
				   thin.len ? "; " : "", spec->sections[i], sw, sw == 1 ? "" : "s",
				   spec->min_words_per_section);
	}
	result_ev_int(ev, "sections_found", (long long)present);
	result_ev_int(ev, "sections_required", (long long)spec->nsections);
	if (spec->min_words_per_section > 0 && spec->nsections)
		parts++;
	if (spec->min_words_per_section > 0)
		result_ev_int(ev, "min_words_per_section", spec->min_words_per_section);
	if (spec->min_names > 0) {
		parts++;
		collect_names(submission, spec->file, &names);
		mentioned = notes_mentions(text.data, text.len, &names, &found);
		result_ev_int(ev, "min_names", spec->min_names);
		result_ev_int(ev, "names_known", (long long)names.n);
		result_ev_str(ev, "names_found", found.data ? found.data : "");
	}
	share = c->max_points / parts;
	if ((int)words >= spec->min_words)
		points += share;
	points += spec->nsections ? share * (double)present / (double)spec->nsections : share;
	if (spec->min_words_per_section > 0 && spec->nsections)
		points += share * (double)long_enough / (double)spec->nsections;
	if (spec->min_names > 0 && (int)mentioned >= spec->min_names)
		points += share;
	if (points >= c->max_points - 1e-9) {
		buf_printf(&msg, "%s: %zu words, every required section present", spec->file, words);
		if (spec->min_names > 0)
			buf_printf(&msg, "; names %zu of your port's files, functions or types", mentioned);
		result_check_set(c, RESULT_PASS, points, "%s", msg.data);
		goto out;
	}
	buf_printf(&msg, "%s: %zu words (at least %d wanted)", spec->file, words, spec->min_words);
	if (missing.len)
		buf_printf(&msg, "; missing section headings: %s", missing.data);
	if (thin.len)
		buf_printf(&msg, "; %s", thin.data);
	if (spec->min_names > 0 && (int)mentioned < spec->min_names) {
		if (!mentioned)
			buf_puts(&msg, "; names none of your port's files, functions or types");
		else
			buf_printf(&msg, "; names %zu of your port's files, functions or types (%s), at least %d wanted",
				   mentioned, found.data, spec->min_names);
		if (names.n) {
			buf_puts(&msg, " (such as ");
			for (size_t i = 0; i < names.n && i < 4; i++)
				buf_printf(&msg, "%s%s", i ? ", " : "", names.v[i]);
			buf_puts(&msg, ")");
		} else
			buf_puts(&msg, " (no .rs or .py file was found beside the notes)");
	}
	result_check_set(c, points > 0 ? RESULT_PARTIAL : RESULT_FAIL, points, "%s", msg.data);
	result_check_hint(c, "use Markdown headings such as '## Challenges' and '## Solutions', describe each "
			     "challenge and how you solved it, and say where in your code (a file, a function, a "
			     "type, in backticks) each one was met");
out:
	notes_names_free(&names);
	buf_free(&text);
	buf_free(&missing);
	buf_free(&thin);
	buf_free(&found);
	buf_free(&msg);
}
