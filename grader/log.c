/* log.c: messages on standard error (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include "banned.h"

__attribute__((format(printf, 2, 0)))
static void log_v(const char *level, const char *fmt, va_list ap)
{
	/* One fprintf per piece would interleave with other workers' lines; build it first. */
	char line[4096];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	fprintf(stderr, "grader: %s%s\n", level, line);
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
