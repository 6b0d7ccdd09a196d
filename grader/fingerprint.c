/* fingerprint.c: token fingerprints of Rust and Python sources (see fingerprint.h). */
#include "fingerprint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fs.h"
#include "log.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

const char *const fp_lang_names[FP_NLANGS] = {"rust", "python"};

#define MAX_DEPTH 32
#define MAX_ENTRIES 100000 /* directory entries looked at per walk */
#define MAX_NAME 512       /* bytes of a relative path */

/* ---- tokens ---- */

static const char *const rust_keywords[] = {
	"as",     "async", "await", "break", "const",  "continue", "crate", "dyn",   "else",   "enum",
	"extern", "false", "fn",    "for",   "if",     "impl",     "in",    "let",   "loop",   "match",
	"mod",    "move",  "mut",   "pub",   "ref",    "return",   "self",  "Self",  "static", "struct",
	"super",  "trait", "true",  "type",  "unsafe", "use",      "where", "while", "yield",  NULL};
static const char *const python_keywords[] = {
	"False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
	"class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
	"from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
	"or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield",    NULL};
/* Rust's '<', '>', '&' and '|' are single tokens: rustc splits ">=" and ">>" where generics end
 * (`Vec<f64>= v` is `Vec<f64> = v`) and "&&" or "||" before an operand, so that the spacing a
 * formatter changes would otherwise change the tokens. */
static const char *const rust_ops3[] = {"...", "..=", NULL};
static const char *const rust_ops2[] = {
	"::", "->", "=>", "==", "!=", "+=", "-=", "*=", "/=", "%=", "^=", "..", NULL};
static const char *const python_ops3[] = {"**=", "//=", ">>=", "<<=", "...", NULL};
static const char *const python_ops2[] = {"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=",
					  "*=", "/=", "%=", "&=", "|=", "^=", "->", ":=", "@=", NULL};

struct lexer {
	enum fp_lang lang;
	const char *s;
	size_t n, i;
	int line;
	struct fp_token **toks;
	size_t *ntoks, max;
	struct buf *text;
};

static uint32_t code_of(const char *t, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)t[i]) * 16777619u;
	return h;
}

/* Whether an array grown by doubling from 16 (16, 32, 64, ...) is full at `n` elements. */
static bool grows(size_t n)
{
	return n == 0 || (n >= 16 && !(n & (n - 1)));
}

static void emit(struct lexer *lx, const char *t, size_t n, int line)
{
	if (*lx->ntoks >= lx->max)
		return;
	if (grows(*lx->ntoks))
		*lx->toks = xreallocarray(*lx->toks, *lx->ntoks ? *lx->ntoks * 2 : 16, sizeof(**lx->toks));
	(*lx->toks)[*lx->ntoks].code = code_of(t, n);
	(*lx->toks)[*lx->ntoks].line = line;
	(*lx->ntoks)++;
	if (lx->text) {
		if (lx->text->len)
			buf_puts(lx->text, " ");
		buf_append(lx->text, t, n);
	}
}

static bool ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool ident_char(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int peek(const struct lexer *lx, size_t off)
{
	return lx->i + off < lx->n ? (unsigned char)lx->s[lx->i + off] : -1;
}

/* Advances one byte, counting lines. */
static void step(struct lexer *lx)
{
	if (lx->s[lx->i] == '\n')
		lx->line++;
	lx->i++;
}

static bool in_list(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(*list, w, n))
			return true;
	return false;
}

/* An operator or punctuation: the longest of the language's 3- and 2-character ones, else one
 * byte. */
static void lex_op(struct lexer *lx)
{
	const char *const *ops3 = lx->lang == FP_RUST ? rust_ops3 : python_ops3;
	const char *const *ops2 = lx->lang == FP_RUST ? rust_ops2 : python_ops2;
	size_t len = 1;

	if (lx->i + 3 <= lx->n && in_list(lx->s + lx->i, 3, ops3))
		len = 3;
	else if (lx->i + 2 <= lx->n && in_list(lx->s + lx->i, 2, ops2))
		len = 2;
	emit(lx, lx->s + lx->i, len, lx->line);
	lx->i += len;
}

/* A number: digits, letters (suffixes, hex, exponents), '_', a '.' before a digit, and a sign
 * right after an exponent's 'e'. */
static void lex_number(struct lexer *lx)
{
	int line = lx->line;
	bool hex = peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X');

	while (lx->i < lx->n) {
		int c = peek(lx, 0);
		if (ident_char((unsigned char)c) && c < 0x80)
			lx->i++;
		else if (c == '.' && peek(lx, 1) >= 0 && is_digit((unsigned char)peek(lx, 1)))
			lx->i++;
		else if ((c == '+' || c == '-') && !hex && lx->i > 0 &&
			 (lx->s[lx->i - 1] == 'e' || lx->s[lx->i - 1] == 'E') && peek(lx, 1) >= 0 &&
			 is_digit((unsigned char)peek(lx, 1)))
			lx->i++;
		else
			break;
	}
	emit(lx, "N", 1, line);
}

/* A quoted literal from the opening quote at lx->i to its closing one (a backslash escapes the
 * next byte); `nq` quotes close it (3 for Python's triple quotes); a single-quoted Python string
 * also ends at a line feed (an unterminated one). */
static void skip_quoted(struct lexer *lx, char q, int nq, bool stop_at_newline)
{
	lx->i += (size_t)nq;
	while (lx->i < lx->n) {
		char c = lx->s[lx->i];
		if (c == '\\' && lx->i + 1 < lx->n) {
			lx->i++;
			step(lx);
		} else if (c == q && (nq == 1 || (peek(lx, 1) == q && peek(lx, 2) == q))) {
			lx->i += (size_t)nq;
			return;
		} else if (c == '\n' && stop_at_newline) {
			return;
		} else {
			step(lx);
		}
	}
}

/* Rust: r"..", r#".."#, br##".."## from the first '#' or '"' after the prefix. Returns false
 * when what follows is not a raw string (r#ident is a raw identifier). */
static bool lex_rust_raw(struct lexer *lx, int line)
{
	size_t j = lx->i, hashes = 0;

	while (j < lx->n && lx->s[j] == '#')
		j++, hashes++;
	if (j >= lx->n || lx->s[j] != '"')
		return false;
	lx->i = j + 1;
	while (lx->i < lx->n) {
		if (lx->s[lx->i] == '"') {
			size_t k = 0;
			while (k < hashes && lx->i + 1 + k < lx->n && lx->s[lx->i + 1 + k] == '#')
				k++;
			if (k == hashes) {
				lx->i += 1 + hashes;
				break;
			}
		}
		step(lx);
	}
	emit(lx, "S", 1, line);
	return true;
}

/* Rust at a quote: a char literal ('a', '\n', '\u{1F600}', '\'') or a lifetime or label ('a). */
static void lex_rust_quote(struct lexer *lx)
{
	int line = lx->line;
	long cp;
	size_t cl;

	if (peek(lx, 1) == '\\') { /* '\n', '\'', '\u{1F600}': to the next quote on the line */
		size_t end = lx->i + 3;
		while (end < lx->n && end < lx->i + 16 && lx->s[end] != '\'' && lx->s[end] != '\n')
			end++;
		lx->i = end < lx->n && lx->s[end] == '\'' ? end + 1 : end;
		emit(lx, "S", 1, line);
		return;
	}
	if (lx->i + 1 < lx->n) {
		cl = text_decode(lx->s + lx->i + 1, lx->n - lx->i - 1, &cp);
		if (lx->i + 1 + cl < lx->n && lx->s[lx->i + 1 + cl] == '\'' && lx->s[lx->i + 1] != '\n') {
			lx->i += 2 + cl;
			emit(lx, "S", 1, line);
			return;
		}
	}
	lx->i++;
	if (lx->i < lx->n && ident_start((unsigned char)lx->s[lx->i])) {
		while (lx->i < lx->n && ident_char((unsigned char)lx->s[lx->i]))
			lx->i++;
		emit(lx, "LT", 2, line);
	} else {
		emit(lx, "'", 1, line);
	}
}

static void lex_rust(struct lexer *lx)
{
	while (lx->i < lx->n) {
		unsigned char c = (unsigned char)lx->s[lx->i];
		int line = lx->line;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			step(lx);
		} else if (c == '/' && peek(lx, 1) == '/') {
			while (lx->i < lx->n && lx->s[lx->i] != '\n')
				lx->i++;
		} else if (c == '/' && peek(lx, 1) == '*') {
			int depth = 1;
			lx->i += 2;
			while (lx->i < lx->n && depth > 0) {
				if (lx->s[lx->i] == '/' && peek(lx, 1) == '*')
					depth++, lx->i += 2;
				else if (lx->s[lx->i] == '*' && peek(lx, 1) == '/')
					depth--, lx->i += 2;
				else
					step(lx);
			}
		} else if (ident_start(c)) {
			size_t start = lx->i, len;
			while (lx->i < lx->n && ident_char((unsigned char)lx->s[lx->i]))
				lx->i++;
			len = lx->i - start;
			if ((in_list(lx->s + start, len, (const char *const[]){"r", "br", "cr", NULL})) &&
			    (peek(lx, 0) == '"' || peek(lx, 0) == '#')) {
				if (lex_rust_raw(lx, line))
					continue;
				if (peek(lx, 0) == '#' && len == 1 && peek(lx, 1) >= 0 &&
				    ident_start((unsigned char)peek(lx, 1))) { /* r#ident */
					lx->i++;
					while (lx->i < lx->n && ident_char((unsigned char)lx->s[lx->i]))
						lx->i++;
					emit(lx, "V", 1, line);
					continue;
				}
			}
			if (in_list(lx->s + start, len, (const char *const[]){"b", "c", NULL}) &&
			    peek(lx, 0) == '"') {
				skip_quoted(lx, '"', 1, false);
				emit(lx, "S", 1, line);
			} else if (len == 1 && lx->s[start] == 'b' && peek(lx, 0) == '\'') {
				lex_rust_quote(lx);
			} else if (in_list(lx->s + start, len, rust_keywords)) {
				emit(lx, lx->s + start, len, line);
			} else {
				emit(lx, "V", 1, line);
			}
		} else if (is_digit(c)) {
			lex_number(lx);
		} else if (c == '"') {
			skip_quoted(lx, '"', 1, false);
			emit(lx, "S", 1, line);
		} else if (c == '\'') {
			lex_rust_quote(lx);
		} else {
			lex_op(lx);
		}
	}
}

/* Python: whether only blanks and a comment follow on this line (a string there ends its
 * statement). */
static bool rest_of_line_empty(const struct lexer *lx)
{
	for (size_t j = lx->i; j < lx->n; j++) {
		char c = lx->s[j];
		if (c == '\n' || c == '#')
			return true;
		if (c == '\\' && j + 1 < lx->n && lx->s[j + 1] == '\n')
			return false; /* continued */
		if (c != ' ' && c != '\t' && c != '\r' && c != '\f')
			return false;
	}
	return true;
}

static void lex_python(struct lexer *lx)
{
	static const char *const prefixes[] = {"r", "u", "b", "f", "br", "rb", "fr", "rf", NULL};
	int depth = 0;               /* brackets: a line feed inside them does not end a statement */
	bool statement_start = true; /* nothing emitted yet in this logical line */

	while (lx->i < lx->n) {
		unsigned char c = (unsigned char)lx->s[lx->i];
		int line = lx->line;
		size_t before = *lx->ntoks;
		bool string = false, first = statement_start;

		if (c == '\n') {
			step(lx);
			if (depth == 0)
				statement_start = true;
			continue;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->i++;
			continue;
		} else if (c == '\\' && peek(lx, 1) == '\n') {
			lx->i++;
			step(lx);
			continue;
		} else if (c == '#') {
			while (lx->i < lx->n && lx->s[lx->i] != '\n')
				lx->i++;
			continue;
		} else if (ident_start(c)) {
			size_t start = lx->i, len;
			char low[3] = {0};
			while (lx->i < lx->n && ident_char((unsigned char)lx->s[lx->i]))
				lx->i++;
			len = lx->i - start;
			for (size_t k = 0; k < len && k < 2; k++)
				low[k] = (char)(lx->s[start + k] | 0x20);
			if (len <= 2 && in_list(low, len, prefixes) &&
			    (peek(lx, 0) == '"' || peek(lx, 0) == '\'')) {
				string = true;
			} else if (in_list(lx->s + start, len, python_keywords)) {
				emit(lx, lx->s + start, len, line);
			} else {
				emit(lx, "V", 1, line);
			}
		} else if (is_digit(c) ||
			   (c == '.' && peek(lx, 1) >= 0 && is_digit((unsigned char)peek(lx, 1)))) {
			lex_number(lx);
		} else if (c == '"' || c == '\'') {
			string = true;
		} else {
			if (c == '(' || c == '[' || c == '{')
				depth++;
			else if ((c == ')' || c == ']' || c == '}') && depth > 0)
				depth--;
			lex_op(lx);
		}
		if (string) {
			char q = lx->s[lx->i];
			bool triple = peek(lx, 1) == q && peek(lx, 2) == q;
			skip_quoted(lx, q, triple ? 3 : 1, !triple);
			/* a docstring (a string alone as a statement) is documentation: left out */
			if (!(first && depth == 0 && rest_of_line_empty(lx)))
				emit(lx, "S", 1, line);
		}
		if (*lx->ntoks != before)
			statement_start = false;
		else if (string)
			statement_start = false; /* what follows a docstring on its line is not a new statement */
	}
}

void fp_tokenize(enum fp_lang lang, const char *src, size_t len, struct fp_token **toks, size_t *ntoks,
		 size_t max, struct buf *text)
{
	struct lexer lx = {
		.lang = lang, .s = src, .n = len, .line = 1, .toks = toks, .ntoks = ntoks, .max = max, .text = text};

	if (!len)
		return;
	if (lang == FP_RUST)
		lex_rust(&lx);
	else
		lex_python(&lx);
}

/* ---- winnowing ---- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static void add_print(struct fp_print **out, size_t *nout, uint64_t hash, int file, int line, int last)
{
	if (grows(*nout))
		*out = xreallocarray(*out, *nout ? *nout * 2 : 16, sizeof(**out));
	(*out)[*nout] = (struct fp_print){.hash = hash, .file = file, .line = line, .last = last};
	(*nout)++;
}

void fp_winnow(const struct fp_token *toks, size_t n, int file, int all, struct fp_print **out, size_t *nout)
{
	const size_t k = FINGERPRINT_K, w = FINGERPRINT_WINDOW;
	size_t nh, last = (size_t)-1;
	uint64_t *h;

	if (n < k)
		return;
	nh = n - k + 1;
	h = xcalloc(nh, sizeof(*h));
	for (size_t i = 0; i < nh; i++) {
		uint64_t x = 0x6a09e667f3bcc908ULL;
		for (size_t j = 0; j < k; j++)
			x = mix64(x ^ toks[i + j].code);
		h[i] = x & (((uint64_t)1 << FINGERPRINT_HASH_BITS) - 1);
	}
	if (all) {
		for (size_t i = 0; i < nh; i++)
			add_print(out, nout, h[i], file, toks[i].line, toks[i + k - 1].line);
		free(h);
		return;
	}
	/* every window of w hashes (one window when there are fewer) selects its smallest, the
	 * rightmost of equal ones; a position is recorded once */
	for (size_t s = 0; s + w <= nh || (s == 0 && nh < w); s++) {
		size_t end = s + w < nh ? s + w : nh, m = s;
		for (size_t i = s + 1; i < end; i++)
			if (h[i] <= h[m])
				m = i;
		if (m != last) {
			add_print(out, nout, h[m], file, toks[m].line, toks[m + k - 1].line);
			last = m;
		}
	}
	free(h);
}

/* ---- the walk ---- */

struct walk {
	struct fp_tree *t;
	int all;
	size_t entries, files;
	struct fp_token *toks[FP_NLANGS]; /* scratch */
};

static void skip_file(struct walk *w, const char *rel, const char *reason)
{
	struct buf line = BUF_INIT;

	text_visible(&line, rel, strlen(rel), NULL);
	buf_printf(&line, ": %s", reason);
	w->t->skipped = xreallocarray(w->t->skipped, w->t->nskipped + 1, sizeof(*w->t->skipped));
	w->t->skipped[w->t->nskipped++] = buf_detach(&line);
}

static int lang_of(const char *name)
{
	size_t n = strlen(name);

	if (n > 3 && !strcmp(name + n - 3, ".rs"))
		return FP_RUST;
	if (n > 3 && !strcmp(name + n - 3, ".py"))
		return FP_PYTHON;
	return -1;
}

static bool valid_text(const char *s, size_t n)
{
	long cp;

	if (memchr(s, '\0', n))
		return false;
	for (size_t i = 0; i < n;) {
		i += text_decode(s + i, n - i, &cp);
		if (cp < 0)
			return false;
	}
	return true;
}

/* Fingerprints one opened source file (fd, closed here). */
static void take_file(struct walk *w, int fd, const char *rel, enum fp_lang lang)
{
	struct fp_set *set = &w->t->lang[lang];
	struct buf data = BUF_INIT_MAX(FINGERPRINT_MAX_FILE);
	struct stat st;
	size_t n = 0;
	char chunk[8192];
	ssize_t got;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		skip_file(w, rel, "not a regular file");
		goto out;
	}
	if ((size_t)st.st_size > FINGERPRINT_MAX_FILE) {
		skip_file(w, rel, "larger than 256 KiB");
		goto out;
	}
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || buf_append(&data, chunk, (size_t)got) < 0) {
			skip_file(w, rel, got < 0 ? "cannot be read" : "larger than 256 KiB");
			goto out;
		}
	}
	if (!valid_text(data.data, data.len)) {
		skip_file(w, rel, "not text (a NUL byte or invalid UTF-8)");
		goto out;
	}
	if (set->ntokens >= FINGERPRINT_MAX_TOKENS || w->files >= FINGERPRINT_MAX_FILES) {
		skip_file(w, rel, "past the limit of tokens or files per submission");
		goto out;
	}
	fp_tokenize(lang, data.data, data.len, &w->toks[lang], &n, FINGERPRINT_MAX_TOKENS - set->ntokens, NULL);
	set->files = xreallocarray(set->files, set->nfiles + 1, sizeof(*set->files));
	{
		struct buf shown = BUF_INIT;
		text_visible(&shown, rel, strlen(rel), NULL);
		set->files[set->nfiles] = buf_detach(&shown);
	}
	fp_winnow(w->toks[lang], n, (int)set->nfiles, w->all, &set->prints, &set->nprints);
	set->nfiles++;
	set->ntokens += n;
	w->files++;
	free(w->toks[lang]);
	w->toks[lang] = NULL;
out:
	close(fd);
	buf_free(&data);
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

/* Walks the directory `dfd` (closed here), whose path from the top is `rel` ("" at the top). */
static void walk_dir(struct walk *w, int dfd, const char *rel, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	struct buf path = BUF_INIT;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) && w->entries < MAX_ENTRIES) {
		w->entries++;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int lang, fd;

		buf_reset(&path);
		if (*rel)
			buf_printf(&path, "%s/", rel);
		buf_puts(&path, names[i]);
		if (path.len > MAX_NAME || fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (skipped_dir(names[i]) || depth >= MAX_DEPTH)
				continue;
			fd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				walk_dir(w, fd, path.data, depth + 1);
		} else if ((lang = lang_of(names[i])) >= 0) {
			if (S_ISLNK(st.st_mode)) {
				skip_file(w, path.data, "a symbolic link");
				continue;
			}
			if (!S_ISREG(st.st_mode))
				continue;
			fd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
			if (fd < 0)
				skip_file(w, path.data, "cannot be opened");
			else
				take_file(w, fd, path.data, (enum fp_lang)lang);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&path);
	closedir(d);
}

int fp_tree_scan(const char *dir, int all, struct fp_tree *t, struct buf *err)
{
	struct walk w = {.t = t, .all = all};
	struct stat st;
	int fd = open(dir, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		buf_printf(err, "%s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(&w, fd, "", 0);
	} else {
		const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		int lang = lang_of(base);
		if (lang < 0) {
			close(fd);
			return 0;
		}
		take_file(&w, fd, base, (enum fp_lang)lang);
	}
	for (int l = 0; l < FP_NLANGS; l++)
		free(w.toks[l]);
	return 0;
}

void fp_tree_free(struct fp_tree *t)
{
	for (int l = 0; l < FP_NLANGS; l++) {
		for (size_t i = 0; i < t->lang[l].nfiles; i++)
			free(t->lang[l].files[i]);
		free(t->lang[l].files);
		free(t->lang[l].prints);
	}
	for (size_t i = 0; i < t->nskipped; i++)
		free(t->skipped[i]);
	free(t->skipped);
	memset(t, 0, sizeof(*t));
}

/* ---- fingerprints.json ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Takes out of `set` every fingerprint whose hash is one of the k-grams of `starter`; returns how
 * many. */
static size_t remove_starter(struct fp_set *set, const struct fp_set *starter)
{
	uint64_t *hs;
	size_t kept = 0, removed;

	if (!starter->nprints)
		return 0;
	hs = xcalloc(starter->nprints, sizeof(*hs));
	for (size_t i = 0; i < starter->nprints; i++)
		hs[i] = starter->prints[i].hash;
	qsort(hs, starter->nprints, sizeof(*hs), cmp_u64);
	for (size_t i = 0; i < set->nprints; i++)
		if (!bsearch(&set->prints[i].hash, hs, starter->nprints, sizeof(*hs), cmp_u64))
			set->prints[kept++] = set->prints[i];
	removed = set->nprints - kept;
	set->nprints = kept;
	free(hs);
	return removed;
}

/* Scans one path of code given to everyone into `starter` (every k-gram). */
static void scan_starter(const char *path, struct fp_tree *starter)
{
	struct buf err = BUF_INIT;

	if (fp_tree_scan(path, 1, starter, &err) < 0)
		log_warn("similarity: the starter code %s cannot be read: %s", path, err.data);
	buf_free(&err);
}

static cJSON *set_json(const struct fp_set *set, size_t removed)
{
	cJSON *o = cJSON_CreateObject(), *files = cJSON_AddArrayToObject(o, "files"), *prints;

	for (size_t i = 0; i < set->nfiles; i++)
		cJSON_AddItemToArray(files, cJSON_CreateString(set->files[i]));
	cJSON_AddNumberToObject(o, "tokens", (double)set->ntokens);
	cJSON_AddNumberToObject(o, "starter_removed", (double)removed);
	prints = cJSON_AddArrayToObject(o, "fingerprints");
	for (size_t i = 0; i < set->nprints; i++) {
		const struct fp_print *p = &set->prints[i];
		double v[4] = {(double)p->hash, p->file, p->line, p->last};
		cJSON_AddItemToArray(prints, cJSON_CreateDoubleArray(v, 4));
	}
	return o;
}

int fingerprint_submission(const struct spec_chapter *chapter, const char *learner, const char *tree,
			   const char *report_dir)
{
	struct fp_tree t = {0}, starter = {0};
	struct buf err = BUF_INIT, path = BUF_INIT;
	size_t removed[FP_NLANGS] = {0};
	cJSON *root = NULL, *langs, *skipped;
	char *json = NULL;
	int rc = -1;

	if (fp_tree_scan(tree, 0, &t, &err) < 0) {
		log_warn("similarity: cannot take the fingerprints of %s", err.data);
		goto out;
	}
	for (size_t i = 0; i < chapter->similarity.nstarter; i++) {
		fs_join(&path, chapter->dir, chapter->similarity.starter[i]);
		scan_starter(path.data, &starter);
	}
	for (size_t i = 0; i < chapter->nexercises; i++) {
		if (!chapter->exercises[i]->original)
			continue;
		spec_resolve(chapter->exercises[i], chapter->exercises[i]->original, &path);
		scan_starter(path.data, &starter);
	}
	for (int l = 0; l < FP_NLANGS; l++)
		removed[l] = remove_starter(&t.lang[l], &starter.lang[l]);

	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "schema_version", FINGERPRINTS_SCHEMA_VERSION);
	cJSON_AddStringToObject(root, "kind", "grader-fingerprints");
	cJSON_AddStringToObject(root, "learner", learner);
	cJSON_AddStringToObject(root, "spec_id", chapter->id ? chapter->id : "");
	cJSON_AddNumberToObject(root, "threshold", chapter->similarity.threshold);
	cJSON_AddNumberToObject(root, "k", FINGERPRINT_K);
	cJSON_AddNumberToObject(root, "window", FINGERPRINT_WINDOW);
	langs = cJSON_AddObjectToObject(root, "languages");
	for (int l = 0; l < FP_NLANGS; l++)
		cJSON_AddItemToObject(langs, fp_lang_names[l], set_json(&t.lang[l], removed[l]));
	skipped = cJSON_AddArrayToObject(root, "skipped");
	for (size_t i = 0; i < t.nskipped; i++)
		cJSON_AddItemToArray(skipped, cJSON_CreateString(t.skipped[i]));
	json = cJSON_PrintUnformatted(root);
	fs_join(&path, report_dir, "fingerprints.json");
	if (!json || fs_mkdirs(report_dir) < 0 || fs_write_atomic(path.data, json, strlen(json)) < 0) {
		log_warn("similarity: cannot write %s: %s", path.data, json ? strerror(errno) : "out of memory");
		goto out;
	}
	rc = 0;
out:
	cJSON_free(json);
	cJSON_Delete(root);
	fp_tree_free(&t);
	fp_tree_free(&starter);
	buf_free(&err);
	buf_free(&path);
	return rc;
}
