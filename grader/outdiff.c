/* outdiff.c: the output comparators of exercise 4 and their messages (see outdiff.h). */
#include "outdiff.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "num.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

#define NONE ((size_t)-1) /* no place in that output */
#define MSG_MAX 4096      /* bytes of a message */
#define QUOTE_MAX 60      /* bytes of a value quoted in a message */
#define SHOW_MAX 200      /* characters of a line shown in full under a message */
#define PATH_MAX_SHOWN 400

const char *const outdiff_mode_names[] = {
	[OUTDIFF_EXACT] = "exact",
	[OUTDIFF_LINES] = "lines",
	[OUTDIFF_TOKENS] = "tokens",
	[OUTDIFF_NUMERIC] = "numeric",
	[OUTDIFF_UNORDERED_LINES] = "unordered-lines",
	[OUTDIFF_JSON] = "json",
	[OUTDIFF_CSV] = "csv",
	[OUTDIFF_CSV + 1] = NULL,
};
#define N_MODES (sizeof(outdiff_mode_names) / sizeof(outdiff_mode_names[0]) - 1)

int outdiff_mode_parse(const char *name, enum outdiff_mode *mode)
{
	for (size_t i = 0; name && i < N_MODES; i++) {
		if (!strcmp(name, outdiff_mode_names[i])) {
			*mode = (enum outdiff_mode)i;
			return 0;
		}
	}
	return -1;
}

const char *outdiff_mode_name(enum outdiff_mode mode)
{
	return (unsigned)mode < N_MODES ? outdiff_mode_names[mode] : "?";
}

int outdiff_tolerance_parse(const char *s, double *out)
{
	double v;

	if (num_parse_double(s, &v) < 0 || !(v >= 0))
		return -1;
	*out = v == 0 ? 0.0 : v; /* "-0" is 0 */
	return 0;
}

struct side {
	const char *s;
	size_t len;
	const char *who; /* "the expected output" or "the output" */
};

struct ctx {
	const struct outdiff_options *opt;
	struct side e, a;
	struct outdiff_result *r;
	size_t excerpt;
};

/* ---- places, excerpts and quotes ---- */

static int is_cont(const char *s, size_t i)
{
	return ((unsigned char)s[i] & 0xC0) == 0x80;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Moves a byte offset back to the start of the character that holds it. */
static size_t char_start(const char *s, size_t off)
{
	for (int k = 0; k < 3 && off > 0 && is_cont(s, off); k++)
		off--;
	return off;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t pos = 0, chars = 0;
	long cp;

	while (pos < n) {
		pos += text_decode(s + pos, n - pos, &cp);
		chars++;
	}
	return chars;
}

/* 1-based line and column (in characters) of byte `off` of a side. */
static void place_of(const struct side *sd, size_t off, size_t *line, size_t *col)
{
	size_t ln = 1, ls = 0;
	const char *p = sd->s, *nl;

	if (off > sd->len)
		off = sd->len;
	while ((nl = memchr(p, '\n', off - (size_t)(p - sd->s))) != NULL) {
		ln++;
		p = nl + 1;
	}
	ls = (size_t)(p - sd->s);
	*line = ln;
	*col = count_chars(sd->s + ls, off - ls) + 1;
}

/* Safe text of s[0..n) cut to `max` bytes; the work is bounded by `max`, not n. */
static void safe_head(const char *s, size_t n, size_t max, struct text_safe *t)
{
	size_t take = n < max * 4 + 4 ? n : max * 4 + 4;

	text_safe(s, take, max, TEXT_KEEP_HEAD, t);
	if (take < n) {
		t->truncated = true;
		t->omitted += n - take;
	}
}

/* The bounds of the line of `sd` that holds byte `off` (clamped to the end): [*ls, *le), without
 * its line feed. */
static void line_around(const struct side *sd, size_t *off, size_t *ls, size_t *le)
{
	const char *nl;

	if (*off > sd->len)
		*off = sd->len;
	nl = *off ? memrchr(sd->s, '\n', *off) : NULL;
	*ls = nl ? (size_t)(nl - sd->s) + 1 : 0;
	nl = memchr(sd->s + *off, '\n', sd->len - *off);
	*le = nl ? (size_t)(nl - sd->s) : sd->len;
}

/* The line of `sd` around byte `off`, at most `ctx->excerpt` bytes, as malloc'ed safe text. */
static char *excerpt_at(struct ctx *c, const struct side *sd, size_t off)
{
	struct text_safe t;
	size_t ls, le, start;

	if (off == NONE || !sd->len)
		return xstrdup("");
	line_around(sd, &off, &ls, &le);
	if (le > ls && sd->s[le - 1] == '\r')
		le--;
	start = ls;
	if (off - ls > c->excerpt / 3) {
		start = off - c->excerpt / 3;
		while (start < off && is_cont(sd->s, start))
			start++;
	}
	if (start > le)
		start = le;
	safe_head(sd->s + start, le - start, c->excerpt, &t);
	return t.data;
}

#define Q_MARKS 1  /* between double quotes */
#define Q_ESCAPE 2 /* with double quotes and backslashes escaped */

/* Appends s[0..n) to a message, cut to `max` bytes ("…" when cut), with newlines, tabs and
 * carriage returns escaped, and quotes as `flags` say. */
static void quote_n(struct buf *b, const char *s, size_t n, size_t max, int flags)
{
	int with_quotes = flags & Q_MARKS;

	struct text_safe t;

	safe_head(s, n, max, &t);
	if (with_quotes)
		buf_puts(b, "\"");
	for (size_t i = 0; i < t.len; i++) {
		char ch = t.data[i];

		if (ch == '\n')
			buf_puts(b, "\\n");
		else if (ch == '\t')
			buf_puts(b, "\\t");
		else if (ch == '\r')
			buf_puts(b, "\\r");
		else if ((ch == '"' || ch == '\\') && (flags & Q_ESCAPE))
			buf_printf(b, "\\%c", ch);
		else
			buf_append(b, &ch, 1);
	}
	if (t.truncated)
		buf_puts(b, "…");
	if (with_quotes)
		buf_puts(b, "\"");
	text_safe_free(&t);
}

static void quote(struct buf *b, const char *s, size_t n)
{
	quote_n(b, s, n, QUOTE_MAX, Q_MARKS | Q_ESCAPE);
}

/* ---- the two lines of a difference, with a caret ---- */

/* Safe text of s[0..n) with each tab shown as "→", so that a tab takes one column like every
 * other character and the caret can be placed under any character. Sets *chars to the number
 * of characters of the result. */
static void render(struct buf *out, const char *s, size_t n, size_t *chars)
{
	struct text_safe t;
	size_t k = 0;

	text_safe(s, n, n * 3 + 8, TEXT_KEEP_HEAD, &t);
	for (size_t i = 0; i < t.len; i++) {
		if (t.data[i] == '\t')
			buf_puts(out, "\u2192");
		else
			buf_append(out, t.data + i, 1);
		k += !is_cont(t.data, i);
	}
	text_safe_free(&t);
	*chars = k;
}

/* Byte offset in s (valid UTF-8) of character number `ch`, or strlen when there are fewer. */
static size_t char_offset(const char *s, size_t len, size_t ch)
{
	size_t i = 0;

	for (; i < len; i++)
		if (!is_cont(s, i) && ch-- == 0)
			break;
	return i;
}

/* Appends the line of `sd` that holds byte `off` as it is shown under a message: whole when it has
 * at most SHOW_MAX characters, else SHOW_MAX characters around the difference with "…" where it
 * is cut. With `trim` the line's trailing whitespace is left out (the comparator ignored it).
 * Sets *caret to the column (from 0) of the character at `off`. */
static void show_line(struct buf *m, const struct side *sd, size_t off, int trim, size_t *caret)
{
	size_t ls, le, from, to, pc = 0, sc = 0, left, right;
	struct buf pre = BUF_INIT, suf = BUF_INIT;
	int cut_left, cut_right;

	line_around(sd, &off, &ls, &le);
	while (trim && le > off && is_space(sd->s[le - 1]))
		le--;
	/* Every byte shows as at least one character: SHOW_MAX characters need at most 4 bytes each. */
	from = off - ls > 4 * SHOW_MAX ? off - 4 * SHOW_MAX : ls;
	while (from < off && is_cont(sd->s, from))
		from++;
	to = le - off > 4 * SHOW_MAX ? off + 4 * SHOW_MAX : le;
	if (to < le)
		to = char_start(sd->s, to);
	if (to < off)
		to = off;
	render(&pre, sd->s + from, off - from, &pc);
	render(&suf, sd->s + off, to - off, &sc);
	/* Centred on the difference, or using the room one side leaves. */
	left = sc < SHOW_MAX / 2 ? SHOW_MAX - sc : SHOW_MAX / 2;
	if (left > pc)
		left = pc;
	right = sc < SHOW_MAX - left ? sc : SHOW_MAX - left;
	cut_left = left < pc || from > ls;
	cut_right = right < sc || to < le;
	if (cut_left)
		buf_puts(m, "\u2026");
	buf_puts(m, pre.data + char_offset(pre.data, pre.len, pc - left));
	buf_append(m, suf.data, char_offset(suf.data, suf.len, right));
	if (cut_right)
		buf_puts(m, "\u2026");
	*caret = left + (size_t)cut_left;
	buf_free(&pre);
	buf_free(&suf);
}

static void put_caret(struct buf *m, size_t col)
{
	buf_puts(m, "\n            ");
	for (size_t i = 0; i < col; i++)
		buf_puts(m, " ");
	buf_puts(m, "^");
}

/* Appends, after a message, the expected and the actual line of a difference, each on its own
 * line, and a caret under the first character that differs (one caret line under both when the
 * difference is in the same column of both, else one under each):
 *     expected: 11. Dune 8 1.50
 *     got:      11. Zodiac 10 1.50
 *                   ^
 * `eoff` and `aoff` are the byte offsets of the difference in each output. */
static void put_lines(struct ctx *c, struct buf *m, size_t eoff, size_t aoff, int trim)
{
	struct buf el = BUF_INIT, al = BUF_INIT;
	size_t ec = 0, ac = 0;

	show_line(&el, &c->e, eoff, trim, &ec);
	show_line(&al, &c->a, aoff, trim, &ac);
	buf_printf(m, "\n  expected: %s", buf_str(&el));
	if (ec != ac)
		put_caret(m, ec);
	buf_printf(m, "\n  got:      %s", buf_str(&al));
	put_caret(m, ac);
	buf_free(&el);
	buf_free(&al);
}

static void result_clear(struct outdiff_result *r)
{
	free(r->csv_column);
	free(r->json_path);
	free(r->expected_excerpt);
	free(r->actual_excerpt);
	free(r->message);
	memset(r, 0, sizeof(*r));
}

void outdiff_result_free(struct outdiff_result *res)
{
	result_clear(res);
}

/* Sets the positions and excerpts of the result for byte offsets in each side (NONE: no place). */
static void set_place(struct ctx *c, size_t eoff, size_t aoff)
{
	struct outdiff_result *r = c->r;

	r->equal = false;
	if (eoff != NONE)
		place_of(&c->e, eoff, &r->expected_line, &r->expected_column);
	if (aoff != NONE)
		place_of(&c->a, aoff, &r->actual_line, &r->actual_column);
	free(r->expected_excerpt);
	free(r->actual_excerpt);
	r->expected_excerpt = excerpt_at(c, &c->e, eoff);
	r->actual_excerpt = excerpt_at(c, &c->a, aoff);
}

/* Finishes a difference: its kind and its message (taken from `msg`, which is emptied). */
static void set_message(struct ctx *c, enum outdiff_diff kind, struct buf *msg)
{
	c->r->equal = false;
	c->r->kind = kind;
	free(c->r->message);
	c->r->message = buf_detach(msg);
}

/* "line 7, column 12" of the expected side, and of the actual side when it differs. */
static void put_where(struct ctx *c, struct buf *m)
{
	struct outdiff_result *r = c->r;

	buf_printf(m, "line %zu, column %zu", r->expected_line, r->expected_column);
	if (r->actual_line && (r->actual_line != r->expected_line || r->actual_column != r->expected_column))
		buf_printf(m, " (line %zu, column %zu of the output)", r->actual_line, r->actual_column);
}

/* ---- numbers ---- */

static int ieq(const char *s, size_t n, const char *word)
{
	size_t wn = strlen(word);

	if (n != wn)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != word[i])
			return 0;
	return 1;
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Parses a number as Python and Rust print them: [+-] digits [. digits] [e [+-] digits], or
 * nan / inf / infinity in any case. Returns 0, or -1 for anything else. */
static int parse_number(const char *s, size_t n, double *v)
{
	size_t i = 0, d = 0;
	int neg = 0;
	char small[64];
	char *tmp = small;

	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i++;
	}
	if (ieq(s + i, n - i, "nan")) {
		*v = NAN;
		return 0;
	}
	if (ieq(s + i, n - i, "inf") || ieq(s + i, n - i, "infinity")) {
		*v = neg ? -INFINITY : INFINITY;
		return 0;
	}
	while (i < n && is_digit(s[i]))
		i++, d++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i]))
			i++, d++;
	}
	if (!d)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < n && is_digit(s[i]))
			i++, ed++;
		if (!ed)
			return -1;
	}
	if (i != n)
		return -1;
	if (n >= sizeof(small))
		tmp = xmalloc(n + 1);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, NULL); /* out of range gives ±HUGE_VAL or 0: fine for a comparison */
	if (tmp != small)
		free(tmp);
	return 0;
}

/* True for an integer as both languages print one: [+-] digits, nothing else. */
static int is_integer(const char *s, size_t n)
{
	size_t i = n && (s[0] == '+' || s[0] == '-');

	if (i == n)
		return 0;
	for (; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* Two integers are equal when their values are, digit for digit (no tolerance, no rounding
 * through a double: counts, indices and ids must match exactly). */
static int integers_equal(const char *x, size_t xn, const char *y, size_t yn)
{
	int nx = xn && x[0] == '-', ny = yn && y[0] == '-';

	if (xn && (x[0] == '+' || x[0] == '-'))
		x++, xn--;
	if (yn && (y[0] == '+' || y[0] == '-'))
		y++, yn--;
	while (xn > 1 && x[0] == '0')
		x++, xn--;
	while (yn > 1 && y[0] == '0')
		y++, yn--;
	if (xn != yn || memcmp(x, y, xn))
		return 0;
	return nx == ny || (xn == 1 && x[0] == '0'); /* -0 == 0 */
}

static int numbers_close(const struct outdiff_options *opt, double x, double y)
{
	double d;

	if (isnan(x) || isnan(y))
		return isnan(x) && isnan(y);
	if (isinf(x) || isinf(y))
		return x == y;
	d = fabs(x - y);
	return d <= opt->abs_tol || d <= opt->rel_tol * fmax(fabs(x), fabs(y));
}

/* Appends " (difference D > tolerance abs A, rel R)" for two finite numbers. */
static void put_tolerance(struct ctx *c, struct buf *m, double x, double y)
{
	if (isfinite(x) && isfinite(y))
		buf_printf(m, " (difference %.2g > tolerance abs %g, rel %g)", fabs(x - y),
			   c->opt->abs_tol, c->opt->rel_tol);
}

/* Compares two values (tokens or cells). Returns 1 when equal. Otherwise appends "expected X but
 * got Y ..." to `m` and sets *kind. With `numeric`, numbers compare within tolerance. */
static int values_equal(struct ctx *c, const char *x, size_t xn, const char *y, size_t yn, int numeric,
			struct buf *m, enum outdiff_diff *kind)
{
	double vx = 0, vy = 0;
	int nx = 0, ny = 0;

	if (xn == yn && !memcmp(x, y, xn))
		return 1;
	if (numeric) {
		nx = parse_number(x, xn, &vx) == 0;
		ny = parse_number(y, yn, &vy) == 0;
		if (nx && ny && is_integer(x, xn) && is_integer(y, yn)) {
			if (integers_equal(x, xn, y, yn))
				return 1;
		} else if (nx && ny && numbers_close(c->opt, vx, vy)) {
			return 1;
		}
	}
	*kind = OUTDIFF_DIFF_CONTENT;
	if (nx && ny) {
		buf_puts(m, "expected ");
		quote_n(m, x, xn, QUOTE_MAX, 0);
		buf_puts(m, " but got ");
		quote_n(m, y, yn, QUOTE_MAX, 0);
		if (is_integer(x, xn) && is_integer(y, yn))
			buf_puts(m, " (integers are compared exactly)");
		else
			put_tolerance(c, m, vx, vy);
	} else if (nx || ny) {
		*kind = OUTDIFF_DIFF_TYPE;
		buf_puts(m, nx ? "expected the number " : "expected the text ");
		quote_n(m, x, xn, QUOTE_MAX, nx ? 0 : Q_MARKS | Q_ESCAPE);
		buf_puts(m, ny ? " but got the number " : " but got the text ");
		quote_n(m, y, yn, QUOTE_MAX, ny ? 0 : Q_MARKS | Q_ESCAPE);
	} else {
		buf_puts(m, "expected ");
		quote(m, x, xn);
		buf_puts(m, " but got ");
		quote(m, y, yn);
	}
	return 0;
}

/* ---- lines ---- */

struct lines {
	const char *s;
	size_t len, pos, no;
	int done;
};

static void lines_init(struct lines *l, const struct side *sd)
{
	l->s = sd->s;
	l->len = sd->len;
	if (l->len && l->s[l->len - 1] == '\n') {
		l->len--; /* one final newline (LF or CRLF) is not a line of its own */
		if (l->len && l->s[l->len - 1] == '\r')
			l->len--;
	}
	l->pos = l->no = 0;
	l->done = l->len == 0;
}

/* The next line, without its trailing whitespace: offset and length. Returns 0 after the last. */
static int lines_next(struct lines *l, size_t *off, size_t *n)
{
	const char *nl;
	size_t end;

	if (l->done)
		return 0;
	nl = memchr(l->s + l->pos, '\n', l->len - l->pos);
	end = nl ? (size_t)(nl - l->s) : l->len;
	*off = l->pos;
	*n = end - l->pos;
	while (*n && is_space(l->s[*off + *n - 1]))
		(*n)--;
	l->no++;
	if (nl)
		l->pos = end + 1;
	else
		l->done = 1;
	return 1;
}

static size_t lines_rest(struct lines *l)
{
	size_t off, n, k = 0;

	while (lines_next(l, &off, &n))
		k++;
	return k;
}

static int lines_equal_only(const struct side *e, const struct side *a)
{
	struct lines le, la;
	size_t eo, en, ao, an;
	int he, ha;

	lines_init(&le, e);
	lines_init(&la, a);
	for (;;) {
		he = lines_next(&le, &eo, &en);
		ha = lines_next(&la, &ao, &an);
		if (!he || !ha)
			return he == ha;
		if (en != an || memcmp(e->s + eo, a->s + ao, en))
			return 0;
	}
}

/* True when the two outputs hold the same whitespace-separated tokens. */
static int tokens_equal_only(const struct side *e, const struct side *a)
{
	size_t i = 0, j = 0, ti, tj;

	for (;;) {
		while (i < e->len && is_space(e->s[i]))
			i++;
		while (j < a->len && is_space(a->s[j]))
			j++;
		if (i >= e->len || j >= a->len)
			return i >= e->len && j >= a->len;
		for (ti = i; ti < e->len && !is_space(e->s[ti]); ti++)
			;
		for (tj = j; tj < a->len && !is_space(a->s[tj]); tj++)
			;
		if (ti - i != tj - j || memcmp(e->s + i, a->s + j, ti - i))
			return 0;
		i = ti;
		j = tj;
	}
}

/* ": expected "<line>" but got "<line>"" when both lines are short enough to quote whole, else
 * ": the lines differ" (put_lines() shows them in full). */
static void put_two_lines(struct buf *m, const char *e, size_t en, const char *a, size_t an)
{
	if (en > QUOTE_MAX || an > QUOTE_MAX) {
		buf_puts(m, ": the lines differ");
		return;
	}
	buf_puts(m, ": expected ");
	quote(m, e, en);
	buf_puts(m, " but got ");
	quote(m, a, an);
}

/* When the outputs differ only in whitespace, names the mode that would accept them: `lines`
 * (line endings, trailing whitespace, one final newline) for `exact`, else `tokens` (any run of
 * whitespace, blank lines) for `exact` and `lines`. */
static void put_whitespace_hint(struct ctx *c, struct buf *m)
{
	enum outdiff_mode mode = c->opt->mode;

	if (mode == OUTDIFF_EXACT && lines_equal_only(&c->e, &c->a))
		buf_puts(m, " (only line endings or trailing whitespace differ: `compare: lines` would accept this "
			    "output)");
	else if ((mode == OUTDIFF_EXACT || mode == OUTDIFF_LINES) && tokens_equal_only(&c->e, &c->a))
		buf_puts(m, " (only whitespace differs, in runs of spaces or blank lines: `compare: tokens` would "
			    "accept this output)");
}

static void cmp_lines(struct ctx *c)
{
	struct lines le, la;
	struct buf m = BUF_INIT_MAX(MSG_MAX);
	size_t eo = 0, en = 0, ao = 0, an = 0, k;
	int he, ha;

	lines_init(&le, &c->e);
	lines_init(&la, &c->a);
	for (;;) {
		he = lines_next(&le, &eo, &en);
		ha = lines_next(&la, &ao, &an);
		if (!he && !ha)
			return;
		if (he && ha) {
			if (en == an && !memcmp(c->e.s + eo, c->a.s + ao, en))
				continue;
			for (k = 0; k < en && k < an && c->e.s[eo + k] == c->a.s[ao + k]; k++)
				;
			k = char_start(c->e.s + eo, k);
			set_place(c, eo + k, ao + k);
			put_where(c, &m);
			put_two_lines(&m, c->e.s + eo, en, c->a.s + ao, an);
			put_whitespace_hint(c, &m);
			put_lines(c, &m, eo + k, ao + k, 1);
			set_message(c, OUTDIFF_DIFF_CONTENT, &m);
			return;
		}
		if (he) {
			size_t total = le.no + lines_rest(&le);

			set_place(c, eo, NONE);
			buf_printf(&m, "the output has %zu line%s, expected %zu: missing line %zu: ", la.no,
				   la.no == 1 ? "" : "s", total, le.no);
			quote(&m, c->e.s + eo, en);
			put_whitespace_hint(c, &m);
			set_message(c, OUTDIFF_DIFF_MISSING, &m);
		} else {
			size_t total = la.no + lines_rest(&la);

			set_place(c, NONE, ao);
			buf_printf(&m, "the output has %zu line%s, expected %zu: extra line %zu: ", total,
				   total == 1 ? "" : "s", le.no, la.no);
			quote(&m, c->a.s + ao, an);
			put_whitespace_hint(c, &m);
			set_message(c, OUTDIFF_DIFF_EXTRA, &m);
		}
		return;
	}
}

static void cmp_exact(struct ctx *c)
{
	struct buf m = BUF_INIT_MAX(MSG_MAX);
	size_t n = c->e.len < c->a.len ? c->e.len : c->a.len, i = 0;
	const char *x = c->e.s, *y = c->a.s;

	while (i < n && x[i] == y[i])
		i++;
	if (i == c->e.len && i == c->a.len)
		return;
	i = char_start(x, i);
	set_place(c, i == c->e.len ? NONE : i, i == c->a.len ? NONE : i);
	if (i == c->e.len) {
		place_of(&c->a, i, &c->r->actual_line, &c->r->actual_column);
		buf_printf(&m, "line %zu, column %zu: the output goes on after the expected end with ",
			   c->r->actual_line, c->r->actual_column);
		quote(&m, y + i, c->a.len - i);
		c->r->kind = OUTDIFF_DIFF_EXTRA;
	} else if (i == c->a.len) {
		put_where(c, &m);
		buf_puts(&m, ": the output ends here, expected ");
		quote(&m, x + i, c->e.len - i);
		c->r->kind = OUTDIFF_DIFF_MISSING;
	} else {
		const char *el = memrchr(x, '\n', i), *ee = memchr(x + i, '\n', c->e.len - i),
			   *ae = memchr(y + i, '\n', c->a.len - i);
		size_t ls = el ? (size_t)(el - x) + 1 : 0;

		put_where(c, &m);
		put_two_lines(&m, x + ls, (ee ? (size_t)(ee - x) : c->e.len) - ls, y + ls,
			      (ae ? (size_t)(ae - y) : c->a.len) - ls);
		c->r->kind = OUTDIFF_DIFF_CONTENT;
	}
	put_whitespace_hint(c, &m);
	if (c->r->kind == OUTDIFF_DIFF_CONTENT)
		put_lines(c, &m, i, i, 0);
	set_message(c, c->r->kind, &m);
}

/* ---- tokens and numeric ---- */

struct toks {
	const char *s;
	size_t len, pos, count;
};

static int toks_next(struct toks *t, size_t *off, size_t *n)
{
	while (t->pos < t->len && is_space(t->s[t->pos]))
		t->pos++;
	if (t->pos >= t->len)
		return 0;
	*off = t->pos;
	while (t->pos < t->len && !is_space(t->s[t->pos]))
		t->pos++;
	*n = t->pos - *off;
	t->count++;
	return 1;
}

static size_t toks_rest(struct toks *t)
{
	size_t off, n;

	while (toks_next(t, &off, &n))
		;
	return t->count;
}

static void cmp_tokens(struct ctx *c, int numeric)
{
	struct toks te = {c->e.s, c->e.len, 0, 0}, ta = {c->a.s, c->a.len, 0, 0};
	struct buf m = BUF_INIT_MAX(MSG_MAX), what = BUF_INIT_MAX(MSG_MAX);
	size_t eo = 0, en = 0, ao = 0, an = 0;
	enum outdiff_diff kind;
	int he, ha;

	for (;;) {
		he = toks_next(&te, &eo, &en);
		ha = toks_next(&ta, &ao, &an);
		if (!he && !ha)
			return;
		if (he && ha) {
			if (values_equal(c, c->e.s + eo, en, c->a.s + ao, an, numeric, &what, &kind))
				continue;
			set_place(c, eo, ao);
			put_where(c, &m);
			buf_printf(&m, ": %s", buf_str(&what));
			buf_free(&what);
			put_lines(c, &m, eo, ao, 1);
			set_message(c, kind, &m);
			return;
		}
		if (he) {
			size_t have = ta.count, want = toks_rest(&te);

			set_place(c, eo, NONE);
			buf_printf(&m, "the output has %zu token%s, expected %zu: missing ", have,
				   have == 1 ? "" : "s", want);
			quote(&m, c->e.s + eo, en);
			buf_printf(&m, " at line %zu, column %zu of the expected output",
				   c->r->expected_line, c->r->expected_column);
			set_message(c, OUTDIFF_DIFF_MISSING, &m);
		} else {
			size_t want = te.count, have = toks_rest(&ta);

			set_place(c, NONE, ao);
			buf_printf(&m, "the output has %zu token%s, expected %zu: extra ", have,
				   have == 1 ? "" : "s", want);
			quote(&m, c->a.s + ao, an);
			buf_printf(&m, " at line %zu, column %zu of the output", c->r->actual_line,
				   c->r->actual_column);
			set_message(c, OUTDIFF_DIFF_EXTRA, &m);
		}
		return;
	}
}

/* ---- unordered lines ---- */

struct lref {
	uint64_t hash;
	size_t off, len, no;
	const char *s;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int lref_cmp_content(const struct lref *x, const struct lref *y)
{
	int d;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	d = memcmp(x->s + x->off, y->s + y->off, x->len);
	return d;
}

static int lref_cmp(const void *p, const void *q)
{
	const struct lref *x = p, *y = q;
	int d = lref_cmp_content(x, y);

	if (d)
		return d;
	return x->no < y->no ? -1 : x->no > y->no;
}

static struct lref *lines_array(const struct side *sd, size_t *count)
{
	struct lines l;
	size_t off, n, k = 0, cap;
	struct lref *v;

	lines_init(&l, sd);
	cap = lines_rest(&l);
	v = xcalloc(cap ? cap : 1, sizeof(*v));
	lines_init(&l, sd);
	while (lines_next(&l, &off, &n)) {
		v[k] = (struct lref){hash_bytes(sd->s + off, n), off, n, l.no, sd->s};
		k++;
	}
	qsort(v, k, sizeof(*v), lref_cmp);
	*count = k;
	return v;
}

static void cmp_unordered(struct ctx *c)
{
	struct lref *ve, *va, *miss = NULL, *extra = NULL;
	size_t ne = 0, na = 0, i = 0, j = 0, gi, gj, miss_e = 0, miss_a = 0;
	struct buf m = BUF_INIT_MAX(MSG_MAX);

	ve = lines_array(&c->e, &ne);
	va = lines_array(&c->a, &na);
	/* Walk both sorted arrays group by group of equal lines. */
	while (i < ne || j < na) {
		int d = i >= ne ? 1 : j >= na ? -1 : lref_cmp_content(&ve[i], &va[j]);

		gi = i;
		gj = j;
		if (d <= 0)
			while (gi < ne && !lref_cmp_content(&ve[i], &ve[gi]))
				gi++;
		if (d >= 0)
			while (gj < na && !lref_cmp_content(&va[j], &va[gj]))
				gj++;
		if (gi - i > gj - j) {
			/* The first copy that has no partner; copies are sorted by line number. */
			struct lref *x = &ve[i + (gj - j)];

			if (!miss || x->no < miss->no) {
				miss = x;
				miss_e = gi - i;
				miss_a = gj - j;
			}
		} else if (gj - j > gi - i) {
			struct lref *y = &va[j + (gi - i)];

			if (!extra || y->no < extra->no)
				extra = y;
		}
		i = gi;
		j = gj;
	}
	if (!miss && !extra)
		goto out;
	/* extra is set when miss is not (the test above). */
	/* cppcheck-suppress nullPointerRedundantCheck */
	set_place(c, miss ? miss->off : NONE, miss ? NONE : extra->off);
	if (ne != na)
		buf_printf(&m, "the output has %zu line%s, expected %zu; ", na, na == 1 ? "" : "s", ne);
	if (miss) {
		buf_printf(&m, "line %zu of the expected output, ", miss->no);
		quote(&m, c->e.s + miss->off, miss->len);
		if (miss_a)
			buf_printf(&m, ", appears %zu times in the expected output but %zu in the output",
				   miss_e, miss_a);
		else
			buf_puts(&m, ", is not in the output");
		if (extra) {
			buf_printf(&m, ", which has line %zu, ", extra->no);
			quote(&m, c->a.s + extra->off, extra->len);
			buf_puts(&m, ", instead");
		}
		set_message(c, OUTDIFF_DIFF_MISSING, &m);
	} else {
		buf_printf(&m, "line %zu of the output, ", extra->no);
		quote(&m, c->a.s + extra->off, extra->len);
		buf_puts(&m, ", is not in the expected output (or appears there fewer times)");
		set_message(c, OUTDIFF_DIFF_EXTRA, &m);
	}
out:
	buf_free(&m);
	free(ve);
	free(va);
}

/* ---- json ---- */

struct seg {
	const char *key; /* object member name, or NULL for an array index */
	size_t index;
};

struct jctx {
	struct ctx *c;
	struct seg path[CJSON_NESTING_LIMIT + 2];
	size_t depth;
};

static void json_put_string(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch == '\n')
			buf_puts(b, "\\n");
		else if (ch < 0x20)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_append(b, s, 1);
		if (b->len > OUTDIFF_EXCERPT_MAX * 2)
			break;
	}
	buf_puts(b, "\"");
}

static void json_put_number(struct buf *b, double v)
{
	char tmp[40];
	double back;

	snprintf(tmp, sizeof(tmp), "%.15g", v);
	back = strtod(tmp, NULL);
	if (back != v)
		snprintf(tmp, sizeof(tmp), "%.17g", v);
	buf_puts(b, tmp);
}

/* Renders a value compactly, stopping soon after `budget` bytes. */
static void json_render(struct buf *b, const cJSON *it, size_t budget)
{
	const cJSON *ch;

	if (b->len > budget)
		return;
	if (cJSON_IsNull(it)) {
		buf_puts(b, "null");
	} else if (cJSON_IsTrue(it)) {
		buf_puts(b, "true");
	} else if (cJSON_IsFalse(it)) {
		buf_puts(b, "false");
	} else if (cJSON_IsNumber(it)) {
		json_put_number(b, it->valuedouble);
	} else if (cJSON_IsString(it)) {
		json_put_string(b, it->valuestring);
	} else if (cJSON_IsArray(it) || cJSON_IsObject(it)) {
		int obj = cJSON_IsObject(it);

		buf_puts(b, obj ? "{" : "[");
		for (ch = it->child; ch; ch = ch->next) {
			if (b->len > budget)
				return;
			if (ch != it->child)
				buf_puts(b, ",");
			if (obj) {
				json_put_string(b, ch->string ? ch->string : "");
				buf_puts(b, ":");
			}
			json_render(b, ch, budget);
		}
		buf_puts(b, obj ? "}" : "]");
	}
}

static char *json_excerpt(struct ctx *c, const cJSON *it)
{
	struct buf b = BUF_INIT_MAX(OUTDIFF_EXCERPT_MAX * 8);
	struct text_safe t;

	if (it)
		json_render(&b, it, c->excerpt);
	safe_head(b.data, b.len, c->excerpt, &t);
	buf_free(&b);
	return t.data;
}

static int is_alpha_(char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_ident(const char *k)
{
	if (!is_alpha_(*k))
		return 0;
	for (k++; *k; k++)
		if (!is_alpha_(*k) && !is_digit(*k))
			return 0;
	return 1;
}

/* Builds "$.a[3]["odd key"]" from the path stack, eliding the middle of a very long path. */
static char *json_path_string(const struct jctx *j)
{
	struct buf b = BUF_INIT_MAX((size_t)1 << 20);
	struct text_safe t;
	size_t cut = 0;

	buf_puts(&b, "$");
	for (size_t i = 0; i < j->depth; i++) {
		const struct seg *s = &j->path[i];

		if (!s->key) {
			buf_printf(&b, "[%zu]", s->index);
		} else if (is_ident(s->key) && strlen(s->key) <= 64) {
			buf_printf(&b, ".%s", s->key);
		} else {
			buf_puts(&b, "[");
			quote_n(&b, s->key, strlen(s->key), 64, Q_MARKS | Q_ESCAPE);
			buf_puts(&b, "]");
		}
	}
	if (b.len > PATH_MAX_SHOWN) {
		/* Keep the head and the tail, cut at character boundaries. */
		struct buf e = BUF_INIT;
		size_t head = char_start(b.data, PATH_MAX_SHOWN / 3);

		cut = char_start(b.data, b.len - PATH_MAX_SHOWN / 2);
		buf_append(&e, b.data, head);
		buf_puts(&e, "…");
		buf_append(&e, b.data + cut, b.len - cut);
		buf_free(&b);
		b = e;
	}
	text_safe(b.data, b.len, b.len + 8, TEXT_KEEP_HEAD, &t);
	buf_free(&b);
	return t.data;
}

static const char *json_type_name(const cJSON *it)
{
	if (cJSON_IsNull(it))
		return "null";
	if (cJSON_IsBool(it))
		return "a boolean";
	if (cJSON_IsNumber(it))
		return "a number";
	if (cJSON_IsString(it))
		return "a string";
	if (cJSON_IsArray(it))
		return "an array";
	return "an object";
}

/* Records a json difference at the current path; the message is "at PATH: " + what. */
static void json_diff(struct jctx *j, enum outdiff_diff kind, const cJSON *e, const cJSON *a, const char *what)
{
	struct ctx *c = j->c;
	struct buf m = BUF_INIT_MAX(MSG_MAX);

	c->r->equal = false;
	c->r->json_path = json_path_string(j);
	c->r->expected_excerpt = json_excerpt(c, e);
	c->r->actual_excerpt = json_excerpt(c, a);
	buf_printf(&m, "at %s: %s", c->r->json_path, what);
	set_message(c, kind, &m);
}

struct member {
	const cJSON *it;
	size_t pos;
};

static int member_cmp(const void *p, const void *q)
{
	const struct member *x = p, *y = q;
	int d = strcmp(x->it->string, y->it->string);

	if (d)
		return d;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A sorted index of an object's members, so that lookups stay O(log n) in big objects. */
struct index {
	struct member *v;
	size_t n;
};

static void index_build(const cJSON *obj, struct index *ix)
{
	size_t n = 0;

	for (const cJSON *ch = obj->child; ch; ch = ch->next)
		n++;
	ix->n = n;
	ix->v = xreallocarray(NULL, n ? n : 1, sizeof(*ix->v));
	n = 0;
	for (const cJSON *ch = obj->child; ch; ch = ch->next) {
		ix->v[n].it = ch;
		ix->v[n].pos = n;
		n++;
	}
	qsort(ix->v, n, sizeof(*ix->v), member_cmp);
}

/* Small objects are searched with cJSON's own (case-sensitive) getter; big ones by bisection. */
#define SMALL_OBJECT 8

static const cJSON *index_find(const cJSON *obj, const struct index *ix, const char *key)
{
	size_t lo = 0, hi = ix->n;

	if (ix->n <= SMALL_OBJECT)
		return cJSON_GetObjectItemCaseSensitive(obj, key);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(ix->v[mid].it->string, key);

		if (d == 0)
			return ix->v[mid].it;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *index_duplicate(const struct index *ix)
{
	for (size_t i = 1; i < ix->n; i++)
		if (!strcmp(ix->v[i - 1].it->string, ix->v[i].it->string))
			return ix->v[i].it->string;
	return NULL;
}

static int json_cmp(struct jctx *j, const cJSON *e, const cJSON *a);

static int json_cmp_object(struct jctx *j, const cJSON *e, const cJSON *a)
{
	struct index ie = {0}, ia = {0};
	struct buf w = BUF_INIT_MAX(MSG_MAX);
	const cJSON *ch, *other, *extra = NULL;
	const char *dup;
	int rc = 0;

	index_build(e, &ie);
	index_build(a, &ia);
	dup = index_duplicate(&ie);
	if (dup || (dup = index_duplicate(&ia)) != NULL) {
		buf_printf(&w, "%s has the key ",
			   dup == index_duplicate(&ie) ? "the expected output" : "the output");
		quote(&w, dup, strlen(dup));
		buf_puts(&w, " twice in this object");
		json_diff(j, OUTDIFF_DIFF_SHAPE, e, a, buf_str(&w));
		rc = 1;
		goto out;
	}
	for (ch = a->child; ch && !extra; ch = ch->next)
		if (!index_find(e, &ie, ch->string))
			extra = ch;
	for (ch = e->child; ch; ch = ch->next) {
		if (index_find(a, &ia, ch->string))
			continue;
		buf_puts(&w, "the key ");
		quote(&w, ch->string, strlen(ch->string));
		buf_puts(&w, " is missing from the output");
		if (extra) {
			buf_puts(&w, ", which has the key ");
			quote(&w, extra->string, strlen(extra->string));
			buf_puts(&w, " instead");
		}
		json_diff(j, OUTDIFF_DIFF_SHAPE, e, a, buf_str(&w));
		rc = 1;
		goto out;
	}
	if (extra) {
		buf_puts(&w, "the output has the key ");
		quote(&w, extra->string, strlen(extra->string));
		buf_puts(&w, ", which the expected output does not have");
		json_diff(j, OUTDIFF_DIFF_SHAPE, e, a, buf_str(&w));
		rc = 1;
		goto out;
	}
	for (ch = e->child; ch; ch = ch->next) {
		other = index_find(a, &ia, ch->string);
		j->path[j->depth++] = (struct seg){ch->string, 0};
		rc = json_cmp(j, ch, other);
		j->depth--;
		if (rc)
			break;
	}
out:
	buf_free(&w);
	free(ie.v);
	free(ia.v);
	return rc;
}

/* Returns 0 when equal, 1 when a difference was recorded. */
static int json_cmp(struct jctx *j, const cJSON *e, const cJSON *a)
{
	struct buf w = BUF_INIT_MAX(MSG_MAX);
	int rc = 0;

	if (cJSON_IsBool(e) && cJSON_IsBool(a)) {
		if (cJSON_IsTrue(e) == cJSON_IsTrue(a))
			return 0;
		buf_printf(&w, "expected %s but got %s", cJSON_IsTrue(e) ? "true" : "false",
			   cJSON_IsTrue(a) ? "true" : "false");
		json_diff(j, OUTDIFF_DIFF_CONTENT, e, a, buf_str(&w));
		rc = 1;
	} else if ((e->type & 0xFF) != (a->type & 0xFF)) {
		char *xe = json_excerpt(j->c, e), *xa = json_excerpt(j->c, a);

		buf_printf(&w, "expected %s (", json_type_name(e));
		quote_n(&w, xe, strlen(xe), QUOTE_MAX, 0);
		buf_printf(&w, ") but got %s (", json_type_name(a));
		quote_n(&w, xa, strlen(xa), QUOTE_MAX, 0);
		buf_puts(&w, ")");
		free(xe);
		free(xa);
		json_diff(j, OUTDIFF_DIFF_TYPE, e, a, buf_str(&w));
		rc = 1;
	} else if (cJSON_IsNumber(e)) {
		if (numbers_close(j->c->opt, e->valuedouble, a->valuedouble))
			return 0;
		buf_puts(&w, "expected ");
		json_put_number(&w, e->valuedouble);
		buf_puts(&w, " but got ");
		json_put_number(&w, a->valuedouble);
		put_tolerance(j->c, &w, e->valuedouble, a->valuedouble);
		json_diff(j, OUTDIFF_DIFF_CONTENT, e, a, buf_str(&w));
		rc = 1;
	} else if (cJSON_IsString(e)) {
		if (!strcmp(e->valuestring, a->valuestring))
			return 0;
		buf_puts(&w, "expected ");
		quote(&w, e->valuestring, strlen(e->valuestring));
		buf_puts(&w, " but got ");
		quote(&w, a->valuestring, strlen(a->valuestring));
		json_diff(j, OUTDIFF_DIFF_CONTENT, e, a, buf_str(&w));
		rc = 1;
	} else if (cJSON_IsArray(e)) {
		size_t ne = 0, na = 0, i = 0;
		const cJSON *x, *y;

		for (x = e->child; x; x = x->next)
			ne++;
		for (y = a->child; y; y = y->next)
			na++;
		if (ne != na) {
			buf_printf(&w, "expected an array of %zu element%s but got %zu", ne,
				   ne == 1 ? "" : "s", na);
			json_diff(j, OUTDIFF_DIFF_SHAPE, e, a, buf_str(&w));
			rc = 1;
		}
		for (x = e->child, y = a->child; !rc && x && y; x = x->next, y = y->next, i++) {
			j->path[j->depth++] = (struct seg){NULL, i};
			rc = json_cmp(j, x, y);
			j->depth--;
		}
	} else if (cJSON_IsObject(e)) {
		rc = json_cmp_object(j, e, a);
	}
	buf_free(&w);
	return rc;
}

/* Parses one side; on failure records why and returns -1. */
static int json_parse(struct ctx *c, const struct side *sd, int is_expected, cJSON **out)
{
	const char *end = NULL;
	size_t off, k;
	struct buf m = BUF_INIT_MAX(MSG_MAX);
	cJSON *root;

	*out = NULL;
	root = cJSON_ParseWithLengthOpts(sd->len ? sd->s : "", sd->len, &end, 0);
	if (root) {
		off = (size_t)(end - sd->s);
		while (off < sd->len && is_space(sd->s[off]))
			off++;
		if (off == sd->len) {
			*out = root;
			return 0;
		}
		cJSON_Delete(root);
	} else {
		off = end && end >= sd->s && end <= sd->s + sd->len ? (size_t)(end - sd->s) : 0;
	}
	set_place(c, is_expected ? off : NONE, is_expected ? NONE : off);
	for (k = 0; k < sd->len && is_space(sd->s[k]); k++)
		;
	buf_printf(&m, "%s is not valid JSON", is_expected ? "the expected output" : "the output");
	if (k == sd->len) {
		buf_puts(&m, ": it is empty");
	} else {
		size_t line, col;

		place_of(sd, off, &line, &col);
		buf_printf(&m, ": error at line %zu, column %zu", line, col);
		if (root)
			buf_puts(&m, " (text after the JSON value)");
		if (off < sd->len) {
			size_t n = sd->len - off < 20 ? sd->len - off : 20;

			buf_puts(&m, " near ");
			quote(&m, sd->s + off, n);
		}
		if (off < sd->len && (sd->s[off] == 'N' || sd->s[off] == 'I' ||
				      (sd->s[off] == '-' && off + 1 < sd->len && sd->s[off + 1] == 'I')))
			buf_puts(&m, "; NaN and Infinity are not JSON (Python's json.dumps writes them "
				     "unless allow_nan=False)");
	}
	set_message(c, is_expected ? OUTDIFF_INVALID_EXPECTED : OUTDIFF_INVALID_ACTUAL, &m);
	return -1;
}

static void cmp_json(struct ctx *c)
{
	cJSON *e = NULL, *a = NULL;
	struct jctx *j;

	if (json_parse(c, &c->e, 1, &e) < 0 || json_parse(c, &c->a, 0, &a) < 0)
		goto out;
	j = xcalloc(1, sizeof(*j));
	j->c = c;
	json_cmp(j, e, a);
	free(j);
out:
	cJSON_Delete(e);
	cJSON_Delete(a);
}

/* ---- csv ---- */

struct csv {
	const struct side *sd;
	size_t pos;
	int at_start;    /* the next field starts a record */
	struct buf f;    /* the field just read, unquoted */
	size_t cell_off; /* where that field starts */
	size_t rec_off;  /* where the current record starts */
	size_t err_off;
	const char *err;
};

/* Reads the next field. Returns 1 (and *last = whether it ends its record), 0 when no record is
 * left (only at a record start), -1 on a syntax error (err, err_off). */
static int csv_field(struct csv *r, int *last)
{
	const char *s = r->sd->s;
	size_t len = r->sd->len, start;

	buf_reset(&r->f);
	if (r->at_start) {
		if (r->pos >= len)
			return 0;
		r->rec_off = r->pos;
	}
	r->at_start = 0;
	r->cell_off = r->pos;
	*last = 0;
	if (r->pos < len && s[r->pos] == '"') {
		size_t open = r->pos++;

		for (;;) {
			const char *q = memchr(s + r->pos, '"', len - r->pos);

			if (!q) {
				r->err = "a quoted field is never closed";
				r->err_off = open;
				return -1;
			}
			buf_append(&r->f, s + r->pos, (size_t)(q - s) - r->pos);
			r->pos = (size_t)(q - s) + 1;
			if (r->pos < len && s[r->pos] == '"') {
				buf_append(&r->f, "\"", 1);
				r->pos++;
				continue;
			}
			break;
		}
		if (r->pos < len && s[r->pos] == ',') {
			r->pos++;
			return 1;
		}
		if (r->pos >= len || s[r->pos] == '\n' ||
		    (s[r->pos] == '\r' && r->pos + 1 < len && s[r->pos + 1] == '\n')) {
			r->pos += r->pos >= len ? 0 : s[r->pos] == '\n' ? 1 : 2;
			*last = r->at_start = 1;
			return 1;
		}
		r->err = "text follows the closing quote of a field (a quote inside a quoted field "
			 "must be doubled)";
		r->err_off = r->pos;
		return -1;
	}
	start = r->pos;
	while (r->pos < len && s[r->pos] != ',' && s[r->pos] != '\n' &&
	       !(s[r->pos] == '\r' && r->pos + 1 < len && s[r->pos + 1] == '\n'))
		r->pos++;
	buf_append(&r->f, s + start, r->pos - start);
	if (r->pos < len && s[r->pos] == ',') {
		r->pos++;
		return 1;
	}
	r->pos += r->pos >= len ? 0 : s[r->pos] == '\n' ? 1 : 2;
	*last = r->at_start = 1;
	return 1;
}

/* Skips what is left of the current record; returns how many fields it had. */
static size_t csv_rest_of_record(struct csv *r, size_t have)
{
	int last = 0;

	while (!last && csv_field(r, &last) == 1)
		have++;
	return have;
}

/* Counts the records that end from here on (one read in part counts, as its last field ends it). */
static size_t csv_rest_records(struct csv *r)
{
	size_t n = 0;
	int last;

	while (csv_field(r, &last) == 1) {
		if (last)
			n++;
	}
	return n;
}

struct colinfo {
	unsigned char num[2], text[2];
	size_t text_row[2], text_off[2];
};

static void csv_invalid(struct ctx *c, struct csv *r, int is_expected)
{
	struct buf m = BUF_INIT_MAX(MSG_MAX);

	result_clear(c->r);
	set_place(c, is_expected ? r->err_off : NONE, is_expected ? NONE : r->err_off);
	buf_printf(&m, "%s is not valid CSV: line %zu, column %zu: %s",
		   is_expected ? "the expected output" : "the output",
		   is_expected ? c->r->expected_line : c->r->actual_line,
		   is_expected ? c->r->expected_column : c->r->actual_column, r->err);
	set_message(c, is_expected ? OUTDIFF_INVALID_EXPECTED : OUTDIFF_INVALID_ACTUAL, &m);
}

static void put_column(struct buf *m, char **names, size_t nnames, size_t col)
{
	if (col < nnames) {
		buf_puts(m, "column ");
		quote(m, names[col], strlen(names[col]));
	} else {
		buf_printf(m, "column %zu", col + 1);
	}
}

static void set_column(struct ctx *c, char **names, size_t nnames, size_t col)
{
	free(c->r->csv_column);
	c->r->csv_column = NULL;
	if (col < nnames)
		c->r->csv_column = xstrdup(names[col]);
}

/* A CSV comparison under way: both readers, the expected header's names and what each column
 * held on each side (index 0 the expected output, 1 the output). */
struct csvcmp {
	struct ctx *c;
	struct csv re, ra;
	char **names; /* the expected header's cells, as safe text */
	size_t nnames;
	struct colinfo *cols;
	size_t ncols;
	struct buf what; /* the difference of two cells, reused from cell to cell */
	int have_cell_diff;
};

/* One output ran out of records at `row` (xe == 0: the expected one; xe != 0: the actual one);
 * le and la say whether the other side's first field ended its record. */
static void csv_rows_differ(struct csvcmp *k, size_t row, int xe, int le, int la)
{
	struct ctx *c = k->c;
	struct buf m = BUF_INIT_MAX(MSG_MAX);
	size_t have, want, at = xe == 0 ? k->ra.rec_off : k->re.rec_off;

	result_clear(c->r);
	if (xe == 0) {
		have = row - 1 + (la ? 1 : 0) + csv_rest_records(&k->ra);
		want = row - 1;
		set_place(c, NONE, at);
		buf_printf(&m, "the output has %zu row%s, expected %zu: extra row %zu: ", have,
			   have == 1 ? "" : "s", want, row);
		quote(&m, c->r->actual_excerpt, strlen(c->r->actual_excerpt));
		c->r->csv_row = row;
		set_message(c, OUTDIFF_DIFF_EXTRA, &m);
	} else {
		want = row - 1 + (le ? 1 : 0) + csv_rest_records(&k->re);
		have = row - 1;
		set_place(c, at, NONE);
		buf_printf(&m, "the output has %zu row%s, expected %zu: missing row %zu: ", have,
			   have == 1 ? "" : "s", want, row);
		quote(&m, c->r->expected_excerpt, strlen(c->r->expected_excerpt));
		c->r->csv_row = row;
		set_message(c, OUTDIFF_DIFF_MISSING, &m);
	}
	buf_free(&m);
}

/* Compares cell `col` of the headers and keeps the expected one's name. Returns 0, or -1 when
 * the comparison is over (the headers differ). */
static int csv_header_cell(struct csvcmp *k, size_t col)
{
	struct ctx *c = k->c;
	const struct buf *fe = &k->re.f, *fa = &k->ra.f;
	char *name;

	if (fe->len != fa->len || memcmp(fe->data, fa->data, fe->len)) {
		struct buf m = BUF_INIT_MAX(MSG_MAX);

		result_clear(c->r);
		set_place(c, k->re.cell_off, k->ra.cell_off);
		c->r->csv_row = 1;
		buf_printf(&m, "header, column %zu: expected ", col + 1);
		quote(&m, buf_str(fe), fe->len);
		buf_puts(&m, " but got ");
		quote(&m, buf_str(fa), fa->len);
		set_message(c, OUTDIFF_DIFF_SHAPE, &m);
		buf_free(&m);
		return -1;
	}
	name = excerpt_at(c, &(struct side){buf_str(fe), fe->len, NULL}, 0);
	if ((k->nnames & (k->nnames - 1)) == 0) /* 0, 1, 2, 4, ...: double */
		k->names = xreallocarray(k->names, k->nnames ? k->nnames * 2 : 1, sizeof(*k->names));
	k->names[k->nnames++] = name;
	return 0;
}

/* Notes whether cell `col` of `row` holds a number or text on each side (empty cells say
 * nothing). */
static void csv_note_types(struct csvcmp *k, size_t row, size_t col)
{
	double v;

	if (col >= k->ncols) {
		size_t n = k->ncols ? k->ncols * 2 : 16;
		struct colinfo *p;

		while (n <= col)
			n *= 2;
		p = xreallocarray(k->cols, n, sizeof(*k->cols));
		memset(p + k->ncols, 0, (n - k->ncols) * sizeof(*p));
		k->cols = p;
		k->ncols = n;
	}
	for (int s = 0; s < 2; s++) {
		struct csv *r = s ? &k->ra : &k->re;
		struct colinfo *ci = &k->cols[col];

		if (!r->f.len)
			continue;
		if (parse_number(r->f.data, r->f.len, &v) == 0) {
			ci->num[s] = 1;
		} else if (!ci->text[s]) {
			ci->text[s] = 1;
			ci->text_row[s] = row;
			ci->text_off[s] = r->cell_off;
		}
	}
}

/* Compares cell `col` of a record after the header. The first cell that differs is the result
 * unless a difference of shape found later replaces it. */
static void csv_body_cell(struct csvcmp *k, size_t row, size_t col)
{
	struct ctx *c = k->c;
	const struct buf *fe = &k->re.f, *fa = &k->ra.f;
	enum outdiff_diff kind;

	csv_note_types(k, row, col);
	if (!k->have_cell_diff &&
	    !values_equal(c, buf_str(fe), fe->len, buf_str(fa), fa->len, 1, &k->what, &kind)) {
		struct buf m = BUF_INIT_MAX(MSG_MAX);

		k->have_cell_diff = 1;
		set_place(c, k->re.cell_off, k->ra.cell_off);
		c->r->csv_row = row;
		set_column(c, k->names, k->nnames, col);
		buf_printf(&m, "row %zu, ", row);
		put_column(&m, k->names, k->nnames, col);
		buf_printf(&m, " (line %zu, column %zu): %s", c->r->expected_line, c->r->expected_column,
			   buf_str(&k->what));
		set_message(c, kind, &m);
		buf_free(&m);
	}
	buf_reset(&k->what);
}

/* Record `row` ends after field `col` on one side only (le, la: whether it ended on each). */
static void csv_widths_differ(struct csvcmp *k, size_t row, size_t col, int le, int la)
{
	struct ctx *c = k->c;
	struct buf m = BUF_INIT_MAX(MSG_MAX);
	size_t ne = le ? col + 1 : csv_rest_of_record(&k->re, col + 1);
	size_t na = la ? col + 1 : csv_rest_of_record(&k->ra, col + 1);

	result_clear(c->r);
	set_place(c, k->re.rec_off, k->ra.rec_off);
	c->r->csv_row = row;
	if (row == 1)
		buf_printf(&m, "the header of the output has %zu column%s, expected %zu", na,
			   na == 1 ? "" : "s", ne);
	else
		buf_printf(&m, "row %zu (line %zu): the output has %zu column%s, expected %zu", row,
			   c->r->expected_line, na, na == 1 ? "" : "s", ne);
	set_message(c, OUTDIFF_DIFF_SHAPE, &m);
	buf_free(&m);
}

/* Both outputs have the same shape: a column that is numeric on one side and holds text on the
 * other is the likely cause of any cell difference, so it is reported instead. */
static void csv_types_differ(struct csvcmp *k)
{
	struct ctx *c = k->c;

	for (size_t col = 0; col < k->ncols; col++) {
		struct colinfo *ci = &k->cols[col];
		int num_e = ci->num[0] && !ci->text[0], num_a = ci->num[1] && !ci->text[1];
		struct buf m = BUF_INIT_MAX(MSG_MAX);
		struct csv tmp;
		int s, last;

		if (!(num_e && ci->text[1]) && !(num_a && ci->text[0]))
			continue;
		s = num_e ? 1 : 0; /* the side that has text */
		result_clear(c->r);
		set_place(c, s ? NONE : ci->text_off[0], s ? ci->text_off[1] : NONE);
		c->r->csv_row = ci->text_row[s];
		set_column(c, k->names, k->nnames, col);
		put_column(&m, k->names, k->nnames, col);
		buf_printf(&m, " holds numbers in %s but text in %s (row %zu: ", s ? "the expected output" : "the output",
			   s ? "the output" : "the expected output", ci->text_row[s]);
		tmp = (struct csv){.sd = s ? &c->a : &c->e, .pos = ci->text_off[s]};
		if (csv_field(&tmp, &last) == 1)
			quote(&m, buf_str(&tmp.f), tmp.f.len);
		buf_free(&tmp.f);
		buf_puts(&m, ")");
		set_message(c, OUTDIFF_DIFF_TYPE, &m);
		buf_free(&m);
		return;
	}
}

/* Reads both outputs field by field, record by record: the first difference of shape (rows,
 * columns, header) wins over the first cell that differs, which wins over a column's type. */
static void cmp_csv(struct ctx *c)
{
	struct csvcmp k = {.c = c,
			   .re = {.sd = &c->e, .at_start = 1},
			   .ra = {.sd = &c->a, .at_start = 1},
			   .what = BUF_INIT_MAX(MSG_MAX)};
	size_t row = 0, col;
	int le = 0, la = 0, xe, xa;

	for (;;) {
		row++;
		for (col = 0;; col++) {
			xe = csv_field(&k.re, &le);
			xa = csv_field(&k.ra, &la);
			if (xe < 0) {
				csv_invalid(c, &k.re, 1);
				goto out;
			}
			if (xa < 0) {
				csv_invalid(c, &k.ra, 0);
				goto out;
			}
			if (col == 0 && xe == 0 && xa == 0) {
				csv_types_differ(&k);
				goto out;
			}
			if (col == 0 && (xe == 0 || xa == 0)) {
				csv_rows_differ(&k, row, xe, le, la);
				goto out;
			}
			/* Both read a field: compare it. */
			if (row > 1)
				csv_body_cell(&k, row, col);
			else if (csv_header_cell(&k, col) < 0)
				goto out;
			if (le != la) {
				csv_widths_differ(&k, row, col, le, la);
				goto out;
			}
			if (le)
				break;
		}
	}
out:
	for (size_t i = 0; i < k.nnames; i++)
		free(k.names[i]);
	free(k.names);
	free(k.cols);
	buf_free(&k.re.f);
	buf_free(&k.ra.f);
	buf_free(&k.what);
}

/* ---- entry point ---- */

int outdiff_outputs(const struct outdiff_options *opt, const char *expected, size_t elen,
		    const char *actual, size_t alen, struct outdiff_result *res)
{
	struct ctx c = {0};

	memset(res, 0, sizeof(*res));
	res->equal = true;
	if (!opt || (unsigned)opt->mode >= N_MODES || !(opt->abs_tol >= 0) || !(opt->rel_tol >= 0) ||
	    !isfinite(opt->abs_tol) || !isfinite(opt->rel_tol)) {
		res->equal = false;
		errno = EINVAL;
		return -1;
	}
	c.opt = opt;
	c.e = (struct side){elen ? expected : "", elen, "the expected output"};
	c.a = (struct side){alen ? actual : "", alen, "the output"};
	c.r = res;
	c.excerpt = opt->excerpt_bytes ? opt->excerpt_bytes : OUTDIFF_EXCERPT_DEFAULT;
	if (c.excerpt > OUTDIFF_EXCERPT_MAX)
		c.excerpt = OUTDIFF_EXCERPT_MAX;
	switch (opt->mode) {
	case OUTDIFF_EXACT:
		cmp_exact(&c);
		break;
	case OUTDIFF_LINES:
		cmp_lines(&c);
		break;
	case OUTDIFF_TOKENS:
		cmp_tokens(&c, 0);
		break;
	case OUTDIFF_NUMERIC:
		cmp_tokens(&c, 1);
		break;
	case OUTDIFF_UNORDERED_LINES:
		cmp_unordered(&c);
		break;
	case OUTDIFF_JSON:
		cmp_json(&c);
		break;
	case OUTDIFF_CSV:
		cmp_csv(&c);
		break;
	}
	return 0;
}
