/* complexity.c: SLOC, functions and cyclomatic complexity of a Python or Rust text (see
 * complexity.h for the rules). One pass of a tokenizer per language; what both share (the line
 * marks, the stack of scopes, the functions found) is `struct ctx`. */
#include "exercises/complexity.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

#define MARK_CODE 1
#define MARK_STRING 2 /* Python: a string of the logical line not yet known to be a docstring */
#define MAX_FSTRING_NEST 8
#define MAX_PENDING_MATCH 32

enum scope_kind { SCOPE_FN, SCOPE_MATCH, SCOPE_BLOCK };

struct scope {
	enum scope_kind kind;
	long indent;    /* Python: the indentation of the line that opened it */
	int paren;      /* Rust: the bracket depth at its `{` */
	long decisions; /* SCOPE_FN */
	long arms;      /* SCOPE_MATCH */
	long idx;       /* SCOPE_FN: index in out->fns, or -1 past COMPLEXITY_MAX_FNS */
	int fn_at;      /* the innermost SCOPE_FN at or below it in the stack, or -1 */
};

struct ctx {
	const char *s;
	size_t n;
	long line; /* 1-based line of the scanning position */
	unsigned char *mark;
	long nmark;
	struct complexity *out;
	size_t fncap;
	struct scope sc[COMPLEXITY_MAX_NEST];
	int nsc;
	long overflow; /* Rust: blocks opened past the stack */
};

static bool is_ident(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch >= 0x80;
}

static bool is_ident_start(unsigned char ch)
{
	return is_ident(ch) && !(ch >= '0' && ch <= '9');
}

static bool word_is(const char *w, size_t len, const char *kw)
{
	return strlen(kw) == len && !memcmp(w, kw, len);
}

static void mark_lines(struct ctx *c, long from, long to, unsigned char bits)
{
	for (long l = from; l <= to && l < c->nmark; l++)
		if (l >= 1)
			c->mark[l] |= bits;
}

/* A function found at `line`: counted, and kept in out->fns while there is room. Returns its
 * index in out->fns, or -1. */
static long add_fn(struct ctx *c, size_t name_off, size_t name_len, long line)
{
	struct complexity *o = c->out;

	o->functions++;
	if (o->nfns >= COMPLEXITY_MAX_FNS)
		return -1;
	if (o->nfns == c->fncap) {
		c->fncap = c->fncap ? c->fncap * 2 : 16;
		o->fns = xreallocarray(o->fns, c->fncap, sizeof(*o->fns));
	}
	o->fns[o->nfns] =
		(struct complexity_fn){.name_off = name_off, .name_len = name_len, .line = line, .cc = 1};
	return (long)o->nfns++;
}

/* Pushes a scope; a function that finds no room is finished at once with complexity 1 (its
 * decisions go to the function around it). Returns false when there was no room. */
static bool push(struct ctx *c, struct scope s)
{
	if (c->nsc >= COMPLEXITY_MAX_NEST) {
		if (s.kind == SCOPE_FN)
			c->out->total += 1;
		return false;
	}
	s.fn_at = s.kind == SCOPE_FN ? c->nsc : c->nsc > 0 ? c->sc[c->nsc - 1].fn_at : -1;
	c->sc[c->nsc++] = s;
	return true;
}

/* Adds `k` decision points to the innermost function, or to the top level. */
static void decide(struct ctx *c, long k)
{
	int j = c->nsc > 0 ? c->sc[c->nsc - 1].fn_at : -1;

	if (j >= 0)
		c->sc[j].decisions += k;
	else
		c->out->top_decisions += k;
}

/* Closes the innermost scope: a function's complexity is final, a match's arms are decisions of
 * the function around it. */
static void pop(struct ctx *c)
{
	struct scope s = c->sc[--c->nsc];

	if (s.kind == SCOPE_FN) {
		c->out->total += 1 + s.decisions;
		if (s.idx >= 0)
			c->out->fns[s.idx].cc = 1 + s.decisions;
	} else if (s.kind == SCOPE_MATCH && s.arms > 1) {
		decide(c, s.arms - 1);
	}
}

/* ---- Python ---- */

struct py {
	struct ctx *c;
	size_t line_start; /* offset of the current physical line */
	int depth;         /* open brackets: a line feed inside them does not end the logical line */
	/* the logical line being read */
	int ntok;
	long first_line, indent;
	bool all_str, last_colon, header_def, first_async, is_match, is_case, want_name;
	long name_fn;    /* the function whose name the next token is */
	bool expect_doc; /* the next logical line is first in a module, def or class body */
};

static size_t py_string(struct py *p, size_t i, bool fstr, int nest);

/* Whether the letters before a quote make a string prefix (r, b, u, f, t and their pairs with r);
 * `*fstr` says whether replacement fields follow. */
static bool py_prefix(const char *w, size_t len, bool *fstr)
{
	bool raw = false;

	*fstr = false;
	if (len == 0 || len > 2)
		return false;
	for (size_t k = 0; k < len; k++) {
		switch (w[k]) {
		case 'r':
		case 'R':
			raw = true;
			break;
		case 'f':
		case 'F':
		case 't':
		case 'T':
			*fstr = true;
			break;
		case 'b':
		case 'B':
		case 'u':
		case 'U':
			break;
		default:
			return false;
		}
	}
	return len == 1 || raw;
}

static void py_newline_in_token(struct py *p, size_t i)
{
	p->c->line++;
	p->line_start = i + 1;
}

/* A replacement field of an f-string, from just after its `{`: skipped to just after its `}`
 * (or to the line feed that ends a single-quoted string, or the end). Strings inside it are
 * skipped whole, so that a `}` in one does not end the field. */
static size_t py_field(struct py *p, size_t i, bool triple, int nest)
{
	const char *s = p->c->s;
	size_t n = p->c->n;
	int d = 0;
	bool spec = false;

	while (i < n) {
		char ch = s[i];

		if (ch == '\n') {
			if (!triple)
				return i;
			py_newline_in_token(p, i);
			i++;
		} else if (spec) {
			if (ch == '{' && nest < MAX_FSTRING_NEST)
				i = py_field(p, i + 1, triple, nest + 1);
			else if (ch == '}')
				return i + 1;
			else
				i++;
		} else if ((ch == '\'' || ch == '"') && nest < MAX_FSTRING_NEST) {
			bool f = i > 0 && (s[i - 1] == 'f' || s[i - 1] == 'F' || s[i - 1] == 't' ||
					   s[i - 1] == 'T' || (i > 1 && (s[i - 2] == 'f' || s[i - 2] == 'F')));
			i = py_string(p, i, f, nest + 1);
		} else {
			if (ch == '{' || ch == '(' || ch == '[')
				d++;
			else if (ch == ')' || ch == ']')
				d -= d > 0;
			else if (ch == '}' && d-- == 0)
				return i + 1;
			else if (ch == ':' && d == 0)
				spec = true;
			i++;
		}
	}
	return i;
}

/* A string literal from its opening quote: returns the offset just after it, or the line feed
 * that leaves a single-quoted one unterminated, or the end. Backslashes escape the next byte in
 * raw strings too (as far as finding the end goes, r"\"" is one string). */
static size_t py_string(struct py *p, size_t i, bool fstr, int nest)
{
	const char *s = p->c->s;
	size_t n = p->c->n;
	char q = s[i];
	bool triple = i + 2 < n && s[i + 1] == q && s[i + 2] == q;

	i += triple ? 3 : 1;
	while (i < n) {
		char ch = s[i];

		if (ch == '\\') {
			size_t j = i + 1;

			if (j < n && s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
				j++;
			if (j < n && s[j] == '\n')
				py_newline_in_token(p, j);
			i = j + 1;
		} else if (ch == '\n') {
			if (!triple)
				return i;
			py_newline_in_token(p, i);
			i++;
		} else if (ch == q) {
			if (!triple)
				return i + 1;
			if (i + 2 < n && s[i + 1] == q && s[i + 2] == q)
				return i + 3;
			i++;
		} else if (fstr && ch == '{') {
			if (i + 1 < n && s[i + 1] == '{')
				i += 2;
			else if (nest < MAX_FSTRING_NEST)
				i = py_field(p, i + 1, triple, nest + 1);
			else
				i++;
		} else {
			i++;
		}
	}
	return n;
}

/* At a backslash: the offset after the line feed it escapes (n + 1 at the end of the text), or
 * 0 when it escapes nothing. */
static size_t py_continued(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;

	if (j < n && s[j] == '\r')
		j++;
	if (j >= n)
		return n + 1;
	return s[j] == '\n' ? j + 1 : 0;
}

static long py_column(const struct py *p, size_t at)
{
	long col = 0;

	for (size_t k = p->line_start; k < at; k++) {
		if (p->c->s[k] == '\t')
			col = (col / 8 + 1) * 8;
		else if (p->c->s[k] == '\f')
			col = 0;
		else
			col++;
	}
	return col;
}

static void py_end_logical(struct py *p)
{
	struct ctx *c = p->c;
	bool doc = p->expect_doc && p->all_str;

	for (long l = p->first_line; l <= c->line && l < c->nmark; l++) {
		if (l >= 1 && (c->mark[l] & MARK_STRING)) {
			c->mark[l] &= (unsigned char)~MARK_STRING;
			if (!doc)
				c->mark[l] |= MARK_CODE;
		}
	}
	if (p->last_colon && p->ntok >= 3) {
		if (p->is_match) {
			push(c, (struct scope){.kind = SCOPE_MATCH, .indent = p->indent, .idx = -1});
		} else if (p->is_case && c->nsc > 0 && c->sc[c->nsc - 1].kind == SCOPE_MATCH) {
			c->sc[c->nsc - 1].arms++; /* the arms after the first are decisions, at pop() */
		}
	}
	p->expect_doc = p->header_def && p->last_colon;
	p->ntok = 0;
}

enum tok { TOK_ID, TOK_RAW_ID, TOK_NUM, TOK_STR, TOK_CHAR, TOK_LIFETIME, TOK_OP };

/* A token at `at` of `len` bytes, from `first_line` to the current line; `col` is its column, the
 * logical line's indentation when it is the line's first token. */
static void py_token(struct py *p, enum tok kind, size_t at, size_t len, long first_line, long col)
{
	struct ctx *c = p->c;
	const char *w = c->s + at;

	if (p->ntok == 0) {
		p->indent = col;
		while (c->nsc > 0 && c->sc[c->nsc - 1].indent >= p->indent)
			pop(c);
		p->first_line = first_line;
		p->all_str = true;
		p->header_def = p->first_async = p->is_match = p->is_case = false;
	}
	if (kind == TOK_STR) {
		mark_lines(c, first_line, c->line, MARK_STRING);
	} else {
		mark_lines(c, first_line, first_line, MARK_CODE);
		p->all_str = false;
	}
	if (p->want_name && kind == TOK_ID && p->name_fn >= 0) {
		c->out->fns[p->name_fn].name_off = at;
		c->out->fns[p->name_fn].name_len = len;
	}
	p->want_name = false;
	if (kind == TOK_ID) {
		bool def = word_is(w, len, "def");

		if (p->ntok == 0) {
			p->is_match = word_is(w, len, "match");
			p->is_case = word_is(w, len, "case");
			p->first_async = word_is(w, len, "async");
		}
		if ((def || word_is(w, len, "class")) && (p->ntok == 0 || (p->ntok == 1 && p->first_async)))
			p->header_def = true;
		if (def) {
			long idx = add_fn(c, 0, 0, first_line);

			push(c, (struct scope){.kind = SCOPE_FN, .indent = p->indent, .idx = idx});
			p->want_name = true;
			p->name_fn = idx;
		} else if (word_is(w, len, "if") || word_is(w, len, "elif") || word_is(w, len, "for") ||
			   word_is(w, len, "while") || word_is(w, len, "except") ||
			   word_is(w, len, "and") || word_is(w, len, "or")) {
			decide(c, 1);
		}
	}
	p->last_colon = kind == TOK_OP && *w == ':';
	p->ntok++;
}

static void py_scan(struct ctx *c)
{
	struct py p = {.c = c, .expect_doc = true, .name_fn = -1};
	const char *s = c->s;
	size_t i = 0, n = c->n;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		size_t start = i;
		long l0 = c->line, col = 0;

		if (ch == '\n') {
			if (p.depth == 0 && p.ntok > 0)
				py_end_logical(&p);
			c->line++;
			p.line_start = ++i;
		} else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
			i++;
		} else if (ch == '#') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (ch == '\\' && py_continued(s, n, i)) {
			/* a line continued on the next: its line feed does not end the logical line */
			i = py_continued(s, n, i);
			if (i <= n) {
				c->line++;
				p.line_start = i;
			}
		} else if (ch == '\'' || ch == '"') {
			col = p.ntok == 0 ? py_column(&p, i) : 0; /* before a string moves line_start */
			i = py_string(&p, i, false, 0);
			py_token(&p, TOK_STR, start, i - start, l0, col);
		} else if (is_ident(ch)) {
			size_t j = i;
			bool fstr;

			col = p.ntok == 0 ? py_column(&p, i) : 0;
			while (j < n && is_ident((unsigned char)s[j]))
				j++;
			if (j < n && (s[j] == '\'' || s[j] == '"') && py_prefix(s + i, j - i, &fstr)) {
				i = py_string(&p, j, fstr, 0);
				py_token(&p, TOK_STR, start, i - start, l0, col);
			} else {
				i = j;
				py_token(&p, ch >= '0' && ch <= '9' ? TOK_NUM : TOK_ID, start, i - start,
					 l0, col);
			}
		} else {
			col = p.ntok == 0 ? py_column(&p, i) : 0;
			if (ch == '(' || ch == '[' || ch == '{')
				p.depth++;
			else if ((ch == ')' || ch == ']' || ch == '}') && p.depth > 0)
				p.depth--;
			i++;
			py_token(&p, TOK_OP, start, 1, l0, col);
		}
	}
	if (p.ntok > 0)
		py_end_logical(&p);
	while (c->nsc > 0)
		pop(c);
}

/* ---- Rust ---- */

struct rs {
	struct ctx *c;
	int paren;         /* open ( and [ */
	bool prev_operand; /* the previous token ends an operand: a following && || ? is binary/postfix */
	bool in_impl;      /* between `impl` and its `{` or `;`: a `for` there is not a loop */
	bool want_name;    /* the previous token was `fn` */
	long fn_kw_line;
	bool fn_pending; /* a fn item whose body is the next `{` at depth fn_paren */
	int fn_paren;
	size_t fn_name_off, fn_name_len;
	long fn_line;
	int pend_match[MAX_PENDING_MATCH]; /* depths at which a `match`'s body is awaited */
	int npend;
};

static bool rs_keyword(const char *w, size_t len)
{
	static const char *const kw[] = {
		"as",     "async",  "box", "break", "const", "continue", "dyn",    "else",   "enum",
		"extern", "fn",     "for", "if",    "impl",  "in",       "let",    "loop",   "match",
		"mod",    "move",   "mut", "pub",   "ref",   "return",   "static", "struct", "trait",
		"type",   "unsafe", "use", "where", "while", "yield",    NULL};

	for (size_t k = 0; kw[k]; k++)
		if (word_is(w, len, kw[k]))
			return true;
	return false;
}

static size_t rs_skip_space(const struct ctx *c, size_t i)
{
	while (i < c->n && (c->s[i] == ' ' || c->s[i] == '\t' || c->s[i] == '\r' || c->s[i] == '\n'))
		i++;
	return i;
}

/* A "..." string from just after its quote (escapes as in Rust); returns the offset after it. */
static size_t rs_string(struct ctx *c, size_t i)
{
	while (i < c->n) {
		if (c->s[i] == '\\') {
			if (i + 1 < c->n && c->s[i + 1] == '\n')
				c->line++;
			i += 2;
		} else if (c->s[i] == '"') {
			return i + 1;
		} else {
			c->line += c->s[i] == '\n';
			i++;
		}
	}
	return c->n;
}

/* A raw string from just after its quote, closed by a quote and `hashes` hashes. */
static size_t rs_raw(struct ctx *c, size_t i, size_t hashes)
{
	while (i < c->n) {
		if (c->s[i] == '"') {
			size_t h = 0;

			while (h < hashes && i + 1 + h < c->n && c->s[i + 1 + h] == '#')
				h++;
			if (h == hashes)
				return i + 1 + h;
		}
		c->line += c->s[i] == '\n';
		i++;
	}
	return c->n;
}

static size_t utf8_len(unsigned char lead)
{
	if (lead >= 0xf0 && lead <= 0xf7)
		return 4;
	if (lead >= 0xe0)
		return lead <= 0xef ? 3 : 1;
	if (lead >= 0xc0)
		return 2;
	return 1;
}

/* At a quote: a char literal ('x', '\n', '\u{1F600}', 'é'), whose end it returns, or 0 when the
 * quote starts a lifetime or a label ('a, 'outer). */
static size_t rs_char(const struct ctx *c, size_t i)
{
	const char *s = c->s;
	size_t n = c->n;

	if (i + 1 >= n || s[i + 1] == '\n' || s[i + 1] == '\'')
		return 0;
	if (s[i + 1] == '\\') {
		for (size_t j = i + 3; j < n && j < i + 14 && s[j] != '\n'; j++)
			if (s[j] == '\'')
				return j + 1;
		return 0;
	}
	size_t k = utf8_len((unsigned char)s[i + 1]);
	if (i + 1 + k < n && s[i + 1 + k] == '\'')
		return i + 2 + k;
	return 0;
}

static void rs_open(struct rs *r)
{
	struct ctx *c = r->c;
	struct scope s = {.kind = SCOPE_BLOCK, .paren = r->paren, .idx = -1};

	if (r->fn_pending && r->paren == r->fn_paren) {
		s.kind = SCOPE_FN;
		s.idx = add_fn(c, r->fn_name_off, r->fn_name_len, r->fn_line);
		r->fn_pending = false;
	} else if (r->npend > 0 && r->pend_match[r->npend - 1] == r->paren) {
		s.kind = SCOPE_MATCH;
		r->npend--;
	}
	r->in_impl = false;
	if (!push(c, s))
		c->overflow++;
}

static void rs_close(struct rs *r)
{
	struct ctx *c = r->c;

	if (c->overflow > 0) {
		c->overflow--;
	} else if (c->nsc > 0) {
		r->paren = c->sc[c->nsc - 1].paren;
		pop(c);
	}
}

static void rs_token(struct rs *r, enum tok kind, size_t at, size_t len, long first_line)
{
	struct ctx *c = r->c;
	const char *w = c->s + at;
	bool operand = false;

	mark_lines(c, first_line, c->line, MARK_CODE);
	if (r->want_name && (kind == TOK_ID || kind == TOK_RAW_ID)) {
		r->fn_pending = true;
		r->fn_paren = r->paren;
		r->fn_name_off = at;
		r->fn_name_len = len;
		r->fn_line = r->fn_kw_line;
		r->want_name = false;
		r->prev_operand = false;
		return;
	}
	r->want_name = false;
	switch (kind) {
	case TOK_ID:
		if (!rs_keyword(w, len)) {
			operand = true;
		} else if (word_is(w, len, "fn")) {
			r->want_name = true;
			r->fn_kw_line = first_line;
		} else if (word_is(w, len, "if") || word_is(w, len, "while")) {
			decide(c, 1);
		} else if (word_is(w, len, "for")) {
			size_t j = rs_skip_space(c, at + len);

			if (!r->in_impl && !(j < c->n && c->s[j] == '<'))
				decide(c, 1);
		} else if (word_is(w, len, "match")) {
			if (r->npend < MAX_PENDING_MATCH)
				r->pend_match[r->npend++] = r->paren;
		} else if (word_is(w, len, "impl")) {
			r->in_impl = true;
		}
		break;
	case TOK_RAW_ID:
	case TOK_NUM:
	case TOK_STR:
	case TOK_CHAR:
		operand = true;
		break;
	case TOK_LIFETIME:
		break;
	case TOK_OP:
		if (len == 2 && (w[0] == '&' || w[0] == '|')) {
			if (r->prev_operand)
				decide(c, 1);
		} else if (len == 2 && w[0] == '=') { /* => */
			if (c->nsc > 0 && c->sc[c->nsc - 1].kind == SCOPE_MATCH &&
			    c->sc[c->nsc - 1].paren == r->paren)
				c->sc[c->nsc - 1].arms++;
		} else if (*w == '?') {
			if (r->prev_operand)
				decide(c, 1);
			operand = r->prev_operand;
		} else if (*w == '{') {
			rs_open(r);
		} else if (*w == '}') {
			rs_close(r);
		} else if (*w == ';') {
			if (r->fn_pending && r->paren == r->fn_paren)
				r->fn_pending = false;
			r->in_impl = false;
			while (r->npend > 0 && r->pend_match[r->npend - 1] >= r->paren)
				r->npend--;
		} else if (*w == '(' || *w == '[') {
			r->paren++;
		} else if (*w == ')' || *w == ']') {
			r->paren -= r->paren > 0;
			operand = true;
		}
		break;
	}
	r->prev_operand = operand;
}

static void rs_scan(struct ctx *c)
{
	struct rs r = {.c = c};
	const char *s = c->s;
	size_t i = 0, n = c->n;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		size_t start = i;
		long l0 = c->line;

		if (ch == '\n') {
			c->line++;
			i++;
		} else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
			i++;
		} else if (ch == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (ch == '/' && i + 1 < n && s[i + 1] == '*') {
			long depth = 1;

			for (i += 2; i < n && depth > 0;) {
				if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					c->line += s[i] == '\n';
					i++;
				}
			}
		} else if (ch == '"') {
			i = rs_string(c, i + 1);
			rs_token(&r, TOK_STR, start, i - start, l0);
		} else if (ch == '\'') {
			size_t end = rs_char(c, i);

			if (end) {
				i = end;
				rs_token(&r, TOK_CHAR, start, i - start, l0);
			} else {
				for (i++; i < n && is_ident((unsigned char)s[i]);)
					i++;
				rs_token(&r, i - start > 1 ? TOK_LIFETIME : TOK_OP, start, i - start, l0);
			}
		} else if (is_ident_start(ch)) {
			size_t j = i, h = 0;

			while (j < n && is_ident((unsigned char)s[j]))
				j++;
			bool r_pre = word_is(s + i, j - i, "r") || word_is(s + i, j - i, "br") ||
				     word_is(s + i, j - i, "cr");
			bool q_pre = word_is(s + i, j - i, "b") || word_is(s + i, j - i, "c");
			while (r_pre && j + h < n && s[j + h] == '#')
				h++;
			if (r_pre && j + h < n && s[j + h] == '"') {
				i = rs_raw(c, j + h + 1, h);
				rs_token(&r, TOK_STR, start, i - start, l0);
			} else if (word_is(s + i, j - i, "r") && h == 1 && j + 1 < n &&
				   is_ident_start((unsigned char)s[j + 1])) {
				/* a raw identifier, r#fn: a name, never a keyword */
				for (i = j + 1; i < n && is_ident((unsigned char)s[i]);)
					i++;
				rs_token(&r, TOK_RAW_ID, j + 1, i - (j + 1), l0);
			} else if (q_pre && j < n && s[j] == '"') {
				i = rs_string(c, j + 1);
				rs_token(&r, TOK_STR, start, i - start, l0);
			} else if (word_is(s + i, j - i, "b") && j < n && s[j] == '\'' && rs_char(c, j)) {
				i = rs_char(c, j);
				rs_token(&r, TOK_CHAR, start, i - start, l0);
			} else {
				i = j;
				rs_token(&r, TOK_ID, start, i - start, l0);
			}
		} else if (ch >= '0' && ch <= '9') {
			bool dot = false;

			while (i < n &&
			       (is_ident((unsigned char)s[i]) ||
				(!dot && s[i] == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9'))) {
				dot = dot || s[i] == '.';
				i++;
			}
			rs_token(&r, TOK_NUM, start, i - start, l0);
		} else {
			size_t len = 1;

			if (i + 1 < n && ((ch == '&' && s[i + 1] == '&') || (ch == '|' && s[i + 1] == '|') ||
					  (ch == '=' && s[i + 1] == '>')))
				len = 2;
			i += len;
			rs_token(&r, TOK_OP, start, len, l0);
		}
	}
	while (c->nsc > 0)
		pop(c);
}

void complexity_count(const char *src, size_t len, enum program_which lang, struct complexity *out)
{
	struct ctx *c = xcalloc(1, sizeof(*c));
	long lines = 0;

	*out = (struct complexity){0};
	for (size_t i = 0; i < len; i++)
		lines += src[i] == '\n';
	if (len > 0 && src[len - 1] != '\n')
		lines++;
	out->lines = lines;
	c->s = src ? src : "";
	c->n = src ? len : 0;
	c->line = 1;
	c->nmark = lines + 2;
	c->mark = xcalloc((size_t)c->nmark, 1);
	c->out = out;
	if (lang == PROGRAM_PYTHON)
		py_scan(c);
	else
		rs_scan(c);
	for (long l = 1; l <= lines; l++)
		out->sloc += (c->mark[l] & MARK_CODE) != 0;
	if (out->top_decisions > 0)
		out->total += 1 + out->top_decisions;
	free(c->mark);
	free(c);
}

void complexity_free(struct complexity *c)
{
	free(c->fns);
	*c = (struct complexity){0};
}
