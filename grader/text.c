/* text.c: safe UTF-8 for reports and terminals, byte budgets, word counts (see text.h). */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"
#include "banned.h"

enum unit_kind { UNIT_PLAIN, UNIT_NUL, UNIT_INVALID, UNIT_CONTROL };

/* One decoded unit of input and the bytes it becomes in safe text. */
struct unit {
	size_t in_len;
	size_t out_len;
	unsigned char out[8];
	enum unit_kind kind;
};

/* True for the characters that reorder or break text without being seen (see text.h). */
static bool is_hidden_format(long cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* True for what text_visible() shows as \uHHHH: the C1 controls and the hidden format characters. */
static bool is_u_escaped(long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || is_hidden_format(cp);
}

/* Writes the 6 ASCII bytes of "\uHHHH" for cp (at most U+FFFF) into out. */
static void u_escape(unsigned char *out, long cp)
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	out[1] = 'u';
	for (int i = 0; i < 4; i++)
		out[2 + i] = (unsigned char)hex[(cp >> (12 - 4 * i)) & 0xF];
}

size_t text_decode(const char *in, size_t len, long *cp)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	long v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* below is overlong */
		else if (c == 0xED)
			hi = 0x9F; /* above are surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90; /* below is overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above is past U+10FFFF */
	} else {
		*cp = -1; /* stray continuation byte, C0/C1 overlong lead, or F5..FF */
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = -1;
			return i; /* the maximal subpart that could still have been valid */
		}
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

static void put_cp3(struct unit *u, long cp)
{
	u->out[0] = (unsigned char)(0xE0 | (cp >> 12));
	u->out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	u->out[2] = (unsigned char)(0x80 | (cp & 0x3F));
	u->out_len = 3;
}

/* Decodes the unit at in[pos] (pos < len) and what it becomes. */
static void next_unit(const char *in, size_t len, size_t pos, struct unit *u)
{
	long cp;

	u->in_len = text_decode(in + pos, len - pos, &cp);
	u->kind = UNIT_PLAIN;
	if (cp < 0) {
		u->kind = UNIT_INVALID;
		put_cp3(u, 0xFFFD);
	} else if (cp == 0) {
		u->kind = UNIT_NUL;
		put_cp3(u, 0x2400);
	} else if (cp == '\r' && pos + 1 < len && in[pos + 1] == '\n') {
		u->out[0] = '\r';
		u->out_len = 1;
	} else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) {
		u->kind = UNIT_CONTROL;
		put_cp3(u, cp == 0x7F ? 0x2421 : 0x2400 + cp);
	} else if (is_u_escaped(cp)) {
		u->kind = UNIT_CONTROL;
		u_escape(u->out, cp);
		u->out_len = 6;
	} else {
		memcpy(u->out, in + pos, u->in_len);
		u->out_len = u->in_len;
	}
}

/* Length of the run at in[pos..end) of bytes that are copied unchanged one for one: printable
 * ASCII, tab and line feed. The common case, so it skips the decoder. */
static size_t plain_run(const char *in, size_t pos, size_t end)
{
	size_t i = pos;

	while (i < end) {
		unsigned char ch = (unsigned char)in[i];

		if (!((ch >= 0x20 && ch < 0x7F) || ch == '\n' || ch == '\t'))
			break;
		i++;
	}
	return i - pos;
}

/* Notes the flags of in[a..b) and adds its safe length to *total. `b` must be a unit boundary. */
static void scan(const char *in, size_t len, size_t a, size_t b, struct text_safe *out, size_t *total)
{
	struct unit u;
	size_t pos = a, run;

	while (pos < b) {
		run = plain_run(in, pos, b);
		pos += run;
		*total += run;
		if (pos >= b)
			break;
		next_unit(in, len, pos, &u);
		if (u.kind == UNIT_NUL)
			out->had_nul = true;
		else if (u.kind == UNIT_INVALID)
			out->had_invalid = true;
		else if (u.kind == UNIT_CONTROL)
			out->had_control = true;
		*total += u.out_len;
		pos += u.in_len;
	}
}

/* Makes in[from..len) safe within max_bytes; the flags cover in[0..len). `from` must be a
 * character boundary (0, or just after a line feed). */
static int safe_core(const char *in, size_t len, size_t from, size_t max_bytes, enum text_keep keep,
		     struct text_safe *out)
{
	struct unit u;
	size_t pos, total = 0, ignored = 0, start = from, used = 0, cap, run;

	memset(out, 0, sizeof(*out));
	scan(in, len, 0, from, out, &ignored);
	scan(in, len, from, len, out, &total);
	if (keep == TEXT_KEEP_TAIL) {
		/* Skip whole units from the front until the rest fits. */
		while (start < len && total > max_bytes) {
			run = plain_run(in, start, len);
			if (run) {
				run = run < total - max_bytes ? run : total - max_bytes;
				start += run;
				total -= run;
				continue;
			}
			next_unit(in, len, start, &u);
			total -= u.out_len;
			start += u.in_len;
		}
	}
	cap = (total < max_bytes ? total : max_bytes) + 1;
	out->data = xmalloc(cap);
	for (pos = start; pos < len;) {
		run = plain_run(in, pos, len);
		if (run) {
			if (run > max_bytes - used)
				run = max_bytes - used;
			memcpy(out->data + used, in + pos, run);
			used += run;
			pos += run;
			if (used == max_bytes)
				break;
			continue;
		}
		next_unit(in, len, pos, &u);
		if (used + u.out_len > max_bytes)
			break;
		memcpy(out->data + used, u.out, u.out_len);
		used += u.out_len;
		pos += u.in_len;
	}
	out->data[used] = '\0';
	out->len = used;
	out->omitted = len - (pos - start);
	out->truncated = out->omitted > 0;
	return 0;
}

int text_safe(const char *in, size_t len, size_t max_bytes, enum text_keep keep, struct text_safe *out)
{
	return safe_core(len ? in : "", len, 0, max_bytes, keep, out);
}

int text_safe_tail_lines(const char *in, size_t len, size_t max_lines, size_t max_bytes, struct text_safe *out)
{
	size_t from = len, end = len, lines = 0;

	if (!len)
		in = "";
	if (end > 0 && in[end - 1] == '\n')
		end--;
	/* Walk back over max_lines line feeds; a line feed is never inside a UTF-8 sequence. */
	from = end;
	if (max_lines == 0) {
		from = len;
	} else {
		while (from > 0) {
			if (in[from - 1] == '\n' && ++lines == max_lines)
				break;
			from--;
		}
	}
	return safe_core(in, len, from, max_bytes, TEXT_KEEP_TAIL, out);
}

int text_visible(struct buf *out, const char *in, size_t len, const char *line_prefix)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos = 0, run, n;
	long cp;
	char esc[8];

	while (pos < len) {
		/* Printable ASCII, the common case, goes in runs. */
		for (run = 0; pos + run < len; run++) {
			unsigned char ch = (unsigned char)in[pos + run];
			if (ch < 0x20 || ch >= 0x7F)
				break;
		}
		if (run && buf_append(out, in + pos, run) < 0)
			return -1;
		pos += run;
		if (pos >= len)
			break;
		n = text_decode(in + pos, len - pos, &cp);
		if (cp < 0) {
			/* Each byte of an invalid sequence, so the bytes can be told apart. */
			for (size_t i = 0; i < n; i++) {
				unsigned char b = (unsigned char)in[pos + i];
				esc[0] = '\\';
				esc[1] = 'x';
				esc[2] = hex[b >> 4];
				esc[3] = hex[b & 0xF];
				if (buf_append(out, esc, 4) < 0)
					return -1;
			}
		} else if (line_prefix && (cp == '\t' || (cp == '\r' && pos + 1 < len && in[pos + 1] == '\n'))) {
			if (buf_append(out, in + pos, 1) < 0)
				return -1;
		} else if (line_prefix && cp == '\n') {
			if (buf_append(out, "\n", 1) < 0 || buf_puts(out, line_prefix) < 0)
				return -1;
		} else if (cp == '\n' || cp == '\t' || cp == '\r') {
			if (buf_puts(out, cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : "\\r") < 0)
				return -1;
		} else if (cp < 0x20 || cp == 0x7F) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[cp >> 4];
			esc[3] = hex[cp & 0xF];
			if (buf_append(out, esc, 4) < 0)
				return -1;
		} else if (is_u_escaped(cp)) {
			u_escape((unsigned char *)esc, cp);
			if (buf_append(out, esc, 6) < 0)
				return -1;
		} else if (buf_append(out, in + pos, n) < 0) {
			return -1;
		}
		pos += n;
	}
	/* An empty text leaves a valid C string behind even in a zeroed struct buf. */
	return buf_append(out, "", 0);
}

void text_safe_free(struct text_safe *t)
{
	free(t->data);
	memset(t, 0, sizeof(*t));
}

static int is_word_cp(long cp)
{
	if (cp < 0)
		return 0;
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF))
		return 0;
	return 1;
}

size_t text_count_words(const char *in, size_t len)
{
	size_t pos = 0, words = 0;
	int in_word = 0;
	long cp;

	while (pos < len) {
		pos += text_decode(in + pos, len - pos, &cp);
		if (is_word_cp(cp)) {
			if (!in_word)
				words++;
			in_word = 1;
		} else {
			in_word = 0;
		}
	}
	return words;
}

size_t text_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), rows[3][65];
	size_t *two = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > 64 || lb > 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t;
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1, best;
			best = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && two[j - 2] + 1 < best)
				best = two[j - 2] + 1;
			cur[j] = best;
		}
		t = two;
		two = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}
