/* progress.c: the status line of a grading on standard error (see progress.h). */
#include "progress.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

/* A status longer than this is cut before it is made visible: no terminal is this wide. */
#define PROGRESS_MAX_TEXT 1024
/* Plain mode prints a count of the same thing at most this often (seconds). */
#define PROGRESS_PLAIN_INTERVAL 1.0

struct progress {
	FILE *out;
	enum progress_mode mode;
	struct buf prefix; /* "[2/4] ch01-ex2: " while an exercise runs, else empty */
	struct buf line;   /* the visible status, uncut (TTY: what is or was shown) */
	bool shown;        /* TTY: the status line is on the terminal */
	struct buf label;  /* PLAIN: what the last count line counted (prefix and `what`) */
	double label_time; /* PLAIN: when it was printed */
	struct buf last;   /* PLAIN: the last line printed, so that a stage is not repeated */
};

enum progress_mode progress_mode_for(FILE *f, bool quiet, bool verbose)
{
	const char *term = getenv("TERM");
	int fd = f ? fileno(f) : -1;

	if (quiet)
		return PROGRESS_OFF;
	if (verbose)
		return PROGRESS_VERBOSE;
	if (fd < 0 || !isatty(fd) || (term && !strcmp(term, "dumb")))
		return PROGRESS_PLAIN;
	return PROGRESS_TTY;
}

struct progress *progress_new(FILE *out, enum progress_mode mode)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->out = out;
	p->mode = out ? mode : PROGRESS_OFF;
	buf_init(&p->prefix);
	buf_init(&p->line);
	buf_init(&p->label);
	buf_init(&p->last);
	p->label_time = -1e9;
	return p;
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	progress_done(p);
	buf_free(&p->prefix);
	buf_free(&p->line);
	buf_free(&p->label);
	buf_free(&p->last);
	free(p);
}

/* The terminal's width in columns, 80 when it cannot be known. */
static int width(FILE *f)
{
	struct winsize ws;
	int fd = fileno(f);

	if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Columns a character takes: 2 for the East Asian wide ranges (CJK, Hangul, full-width forms,
 * most emoji), else 1. An estimate without the locale's wcwidth(), which only has to keep a cut
 * line from wrapping. */
static int columns(long cp)
{
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/* Bytes of the visible text `s` that fit in `cols` columns, cut between whole characters. */
static size_t fit(const char *s, size_t len, int cols)
{
	size_t at = 0;
	int used = 0;

	while (at < len) {
		long cp;
		size_t n = text_decode(s + at, len - at, &cp);
		int w = cp < 0 ? 1 : columns(cp);
		if (used + w > cols)
			break;
		used += w;
		at += n;
	}
	return at;
}

static void draw(struct progress *p)
{
	struct buf out = BUF_INIT;
	int cols = width(p->out) - 1; /* the last column would make some terminals wrap */

	if (cols < 1)
		cols = 1;
	buf_puts(&out, "\r");
	buf_append(&out, p->line.data, fit(p->line.data, p->line.len, cols));
	buf_puts(&out, "\x1b[K");
	/* one write, so that nothing is drawn half */
	fwrite(out.data, 1, out.len, p->out);
	fflush(p->out);
	p->shown = true;
	buf_free(&out);
}

static void plain_line(struct progress *p)
{
	struct buf out = BUF_INIT;

	buf_puts(&out, "grader: ");
	buf_append(&out, p->line.data, p->line.len);
	buf_puts(&out, "\n");
	fwrite(out.data, 1, out.len, p->out);
	fflush(p->out);
	buf_free(&out);
	buf_reset(&p->last);
	buf_append(&p->last, p->line.data, p->line.len);
}

/* Makes the prefix and `text` the status, visible on one line. */
static void set_line(struct progress *p, const char *text, size_t len)
{
	struct buf raw = BUF_INIT;

	if (len > PROGRESS_MAX_TEXT)
		len = PROGRESS_MAX_TEXT;
	buf_append(&raw, p->prefix.data, p->prefix.len);
	buf_append(&raw, text, len);
	buf_reset(&p->line);
	text_visible(&p->line, raw.data, raw.len, NULL);
	buf_free(&raw);
}

/* Shows `text` as a stage (`what` NULL) or as a count of `what` (`named`: of a named item). */
static void show(struct progress *p, const char *text, size_t len, const char *what, bool named)
{
	if (!p || p->mode == PROGRESS_OFF)
		return;
	set_line(p, text, len);
	if (p->mode == PROGRESS_TTY) {
		draw(p);
		return;
	}
	if (what && !(named && p->mode == PROGRESS_VERBOSE)) {
		/* A count: the first of its kind, then at most one a second. */
		size_t plen = p->prefix.len, wlen = strlen(what);
		bool same = p->label.len == plen + wlen && !memcmp(p->label.data, p->prefix.data, plen) &&
			    !memcmp(p->label.data + plen, what, wlen);
		double t = clock_now();
		if (same && t - p->label_time < PROGRESS_PLAIN_INTERVAL)
			return;
		buf_reset(&p->label);
		buf_append(&p->label, p->prefix.data, plen);
		buf_append(&p->label, what, wlen);
		p->label_time = t;
	} else if (p->last.len == p->line.len && !memcmp(p->last.data, p->line.data, p->line.len)) {
		return; /* the same stage again */
	}
	plain_line(p);
}

void progress_exercise(struct progress *p, int index, int count, const char *id, const char *title)
{
	if (!p)
		return;
	buf_reset(&p->prefix);
	buf_reset(&p->label);
	buf_printf(&p->prefix, "[%d/%d] %s: ", index, count, id ? id : "?");
	show(p, title ? title : "", title ? strlen(title) : 0, NULL, false);
}

void progress_stage(struct progress *p, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	va_list ap;

	if (!p || p->mode == PROGRESS_OFF)
		return;
	va_start(ap, fmt);
	buf_vprintf(&text, fmt, ap);
	va_end(ap);
	show(p, text.data, text.len, NULL, false);
	buf_free(&text);
}

void progress_item(struct progress *p, const char *what, long i, long n, const char *name)
{
	struct buf text = BUF_INIT;

	if (!p || p->mode == PROGRESS_OFF)
		return;
	if (n > 0)
		buf_printf(&text, "%s %ld/%ld", what, i, n);
	else
		buf_printf(&text, "%s %ld", what, i);
	if (name)
		buf_printf(&text, ": %s", name);
	show(p, text.data, text.len, what, name != NULL);
	buf_free(&text);
}

void progress_count(struct progress *p, const char *what, long i, long n)
{
	progress_item(p, what, i, n, NULL);
}

void progress_clear(struct progress *p)
{
	if (!p || p->mode != PROGRESS_TTY || !p->shown)
		return;
	fputs("\r\x1b[K", p->out);
	fflush(p->out);
	p->shown = false;
}

void progress_redraw(struct progress *p)
{
	if (!p || p->mode != PROGRESS_TTY || p->shown || !p->line.len)
		return;
	draw(p);
}

void progress_done(struct progress *p)
{
	if (!p)
		return;
	progress_clear(p);
	buf_reset(&p->line);
	buf_reset(&p->prefix);
	buf_reset(&p->label);
	buf_reset(&p->last);
}

void progress_log_hook(void *arg, bool after)
{
	if (after)
		progress_redraw(arg);
	else
		progress_clear(arg);
}
