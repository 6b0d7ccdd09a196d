/* log.c: messages on standard error (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "buf.h"
#include "text.h"
#include "banned.h"

/* A message longer than this is cut (and says so): a log line is not the place for a whole
 * compiler output. */
#define LOG_MAX_MESSAGE 4096

/* See log_set_hook(): a status line to clear before a message and to redraw after it. */
static void (*log_hook)(void *arg, bool after);
static void *log_hook_arg;

void log_set_hook(void (*hook)(void *arg, bool after), void *arg)
{
	log_hook = hook;
	log_hook_arg = arg;
}

__attribute__((format(printf, 2, 0))) static void log_v(const char *level, const char *fmt, va_list ap)
{
	/* Callers interpolate learner text (file names, messages about their code): every line is
	 * shown through text_visible() on one line, so no control sequence reaches the terminal and
	 * no line feed starts a line that looks like the grader's. */
	char msg[LOG_MAX_MESSAGE];
	struct buf line = BUF_INIT;
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t len;
	bool cut;

	if (n < 0)
		return;
	cut = (size_t)n >= sizeof(msg);
	len = cut ? sizeof(msg) - 1 : (size_t)n;
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	/* One fprintf per piece would interleave with other workers' lines; build it first. The
	 * message is cut above, so the line stays far below the buffer's maximum. */
	buf_puts(&line, "grader: ");
	buf_puts(&line, level);
	text_visible(&line, msg, len, NULL);
	if (cut)
		buf_puts(&line, " [cut]");
	buf_puts(&line, "\n");
	if (log_hook)
		log_hook(log_hook_arg, false);
	fwrite(line.data, 1, line.len, stderr);
	if (log_hook)
		log_hook(log_hook_arg, true);
	buf_free(&line);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v("error: ", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v("warning: ", fmt, ap);
	va_end(ap);
}

void log_info(bool verbose, const char *fmt, ...)
{
	va_list ap;
	if (!verbose)
		return;
	va_start(ap, fmt);
	log_v("", fmt, ap);
	va_end(ap);
}
