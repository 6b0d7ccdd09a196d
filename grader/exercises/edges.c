/* edges.c: the standard edge inputs of exercise 4, derived from the learner's first case (see
 * edges.h). */
#include "exercises/edges.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

const char *edge_title(enum spec_edge e)
{
	static const char *const titles[SPEC_EDGE_COUNT] = {
		[SPEC_EDGE_EMPTY] = "empty input",
		[SPEC_EDGE_ONE_LINE] = "one line",
		[SPEC_EDGE_NO_FINAL_NEWLINE] = "no final newline",
		[SPEC_EDGE_CRLF] = "CRLF line ends",
		[SPEC_EDGE_LONG_LINE] = "a very long line",
		[SPEC_EDGE_NON_ASCII] = "non-ASCII text",
	};
	return (unsigned)e < SPEC_EDGE_COUNT ? titles[e] : "?";
}

bool edge_is_text(const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;
		if (!c)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return false;
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates and code points past U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* The end of the line that starts at `p` (its '\n' included, when there is one). */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl + 1 : end;
}

/* The length of a line without its "\n" or "\r\n". */
static size_t content_len(const char *p, const char *e)
{
	size_t n = (size_t)(e - p);
	if (n && p[n - 1] == '\n')
		n--;
	if (n && p[n - 1] == '\r')
		n--;
	return n;
}

bool edge_has_header(const char *src, size_t len)
{
	const char *end = src + len, *e1;

	if (!src || !len)
		return false;
	e1 = line_end(src, end);
	if (e1 >= end) /* one line only */
		return false;
	for (const char *p = src; p < e1; p++)
		if (*p == ',' || *p == ';' || *p == '\t')
			return true;
	return false;
}

/* The field separator of a CSV-like header: the most frequent of ',', ';' and tab. */
static char header_separator(const char *p, const char *e)
{
	static const char seps[] = {',', ';', '\t'};
	size_t best = 0, count[3] = {0, 0, 0};

	for (; p < e; p++)
		for (size_t i = 0; i < 3; i++)
			count[i] += *p == seps[i];
	for (size_t i = 1; i < 3; i++)
		if (count[i] > count[best])
			best = i;
	return seps[best];
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether the field [p, e) is a number as Python's float() reads one (strtod, blanks around). */
static bool is_number(const char *p, const char *e)
{
	char tmp[64], *stop;
	size_t n;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - p);
	if (!n || n >= sizeof(tmp))
		return false;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	(void)strtod(tmp, &stop);
	return *stop == '\0';
}

/* Where a word of letters ends in the field [p, e): just after its last ASCII letter, when the
 * field holds at least two letters, is not a number and is not quoted; else NULL. */
static const char *text_field(const char *p, const char *e)
{
	const char *last = NULL;
	int letters = 0;

	if (p < e && *p == '"')
		return NULL;
	for (const char *q = p; q < e; q++)
		if (is_alpha(*q)) {
			letters++;
			last = q + 1;
		}
	if (letters < 2 || is_number(p, e))
		return NULL;
	return last;
}

/* The next field of the line [p, e) from `p`: up to `sep`, or (sep 0) a run of non-blanks after
 * blanks. Sets *start and returns the field's end. */
static const char *next_field(const char *p, const char *e, char sep, const char **start)
{
	if (!sep) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		*start = p;
		while (p < e && *p != ' ' && *p != '\t')
			p++;
		return p;
	}
	*start = p;
	while (p < e && *p != sep)
		p++;
	return p;
}

/* One letter (or symbol) outside ASCII for a word, the same for the same word: the suffix is
 * chosen by the word's bytes, so that equal words stay equal. */
static const char *suffix_for(const char *p, const char *e)
{
	static const char *const suffixes[] = {"\xc3\xa9", "\xc3\x9f", "\xe6\x97\xa5\xe6\x9c\xac",
					       "\xf0\x9f\xa6\x80"}; /* é, ß, 日本, 🦀 */
	unsigned h = 0;

	for (; p < e; p++)
		h = h * 31 + (unsigned char)*p;
	return suffixes[h % 4];
}

/* The non-ASCII input: every word of letters in the lines after the header gets a suffix of
 * UTF-8 letters after its last ASCII letter. Returns the count of words changed. */
static size_t make_non_ascii(const char *src, size_t len, struct buf *out)
{
	const char *p = src, *end = src + len;
	bool header = edge_has_header(src, len);
	char sep = 0;
	size_t changed = 0;

	if (header) {
		const char *e1 = line_end(src, end);
		sep = header_separator(src, e1);
		buf_append(out, src, (size_t)(e1 - src));
		p = e1;
	}
	while (p < end) {
		const char *le = line_end(p, end), *ce = p + content_len(p, le), *q = p;
		while (q < ce) {
			const char *fs, *fe = next_field(q, ce, sep, &fs), *at = text_field(fs, fe);
			buf_append(out, q, (size_t)(fs - q));
			if (at) {
				buf_append(out, fs, (size_t)(at - fs));
				buf_puts(out, suffix_for(fs, fe));
				buf_append(out, at, (size_t)(fe - at));
				changed++;
			} else
				buf_append(out, fs, (size_t)(fe - fs));
			q = fe;
			if (sep && q < ce) { /* the separator */
				buf_append(out, q, 1);
				q++;
			}
		}
		buf_append(out, ce, (size_t)(le - ce));
		p = le;
	}
	return changed;
}

/* The long line: the header kept, then the first non-blank line after it made about `target`
 * bytes long: its first word of letters repeated when the case is CSV-like and has one (the
 * columns stay the same), else the whole line repeated with a space between copies. Returns -1
 * when the case has no non-blank line to lengthen. */
static int make_long_line(const char *src, size_t len, size_t target, struct buf *out)
{
	const char *p = src, *end = src + len, *le, *ce;
	bool header = edge_has_header(src, len);
	char sep = 0;
	const char *fs = NULL, *fe = NULL;
	size_t n;

	if (header) {
		const char *e1 = line_end(src, end);
		sep = header_separator(src, e1);
		buf_append(out, src, (size_t)(e1 - src));
		p = e1;
	}
	for (;; p = le) {
		if (p >= end)
			return -1;
		le = line_end(p, end);
		ce = p + content_len(p, le);
		if (ce > p)
			break;
	}
	n = (size_t)(ce - p);
	for (const char *q = p; sep && q < ce && !fs;) {
		const char *s, *e = next_field(q, ce, sep, &s);
		if (text_field(s, e)) {
			fs = s;
			fe = e;
		}
		q = e < ce ? e + 1 : e;
	}
	if (fs && fe > fs) {
		size_t w = (size_t)(fe - fs);
		buf_append(out, p, (size_t)(fe - p));
		for (size_t have = n; have + w <= target; have += w)
			buf_append(out, fs, w);
		buf_append(out, fe, (size_t)(ce - fe));
	} else {
		buf_append(out, p, n);
		for (size_t have = n; have + n + 1 <= target; have += n + 1) {
			buf_puts(out, " ");
			buf_append(out, p, n);
		}
	}
	if (le > ce)
		buf_append(out, ce, (size_t)(le - ce));
	else
		buf_puts(out, "\n");
	return 0;
}

int edge_make(enum spec_edge e, const char *src, size_t len, size_t long_bytes, struct buf *out, struct buf *why)
{
	const char *end = src ? src + len : NULL;

	buf_reset(out);
	if (e == SPEC_EDGE_EMPTY) {
		if (src && !len) {
			buf_puts(why, "it is your first case itself");
			return -1;
		}
		return 0;
	}
	if (!src) {
		buf_puts(why, "you have no case to derive it from");
		return -1;
	}
	if (!edge_is_text(src, len)) {
		buf_puts(why, "your first case is not text (it holds a NUL byte or invalid UTF-8), and this "
			      "edge input is for programs that read lines of text");
		return -1;
	}
	switch (e) {
	case SPEC_EDGE_ONE_LINE:
		buf_append(out, src, (size_t)(line_end(src, end) - src));
		break;
	case SPEC_EDGE_NO_FINAL_NEWLINE: {
		size_t n = len;
		if (n && src[n - 1] == '\n')
			n--;
		if (n && src[n - 1] == '\r' && n < len)
			n--;
		buf_append(out, src, n);
		break;
	}
	case SPEC_EDGE_CRLF:
		for (size_t i = 0; i < len; i++) {
			if (src[i] == '\n' && (i == 0 || src[i - 1] != '\r'))
				buf_puts(out, "\r");
			buf_append(out, src + i, 1);
		}
		break;
	case SPEC_EDGE_LONG_LINE:
		if (make_long_line(src, len, long_bytes, out) < 0) {
			buf_puts(why, "your first case has no line that is not blank, to lengthen");
			return -1;
		}
		break;
	case SPEC_EDGE_NON_ASCII:
		if (!make_non_ascii(src, len, out)) {
			buf_puts(why, "your first case has no word of letters (a text field) to put UTF-8 "
				      "letters in");
			return -1;
		}
		break;
	default:
		buf_puts(why, "unknown edge input");
		return -1;
	}
	if (out->len == len && (!len || !memcmp(out->data, src, len))) {
		buf_puts(why, "it is your first case itself");
		return -1;
	}
	return 0;
}
