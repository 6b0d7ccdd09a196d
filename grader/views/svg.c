/* svg.c: the HTML views' markup writer and inline SVG charts (see svg.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "views/svg.h"
#include "views/rjson.h"
#include "banned.h"

/* Marks that tell the two programs apart by shape as well as colour. */
#define COL_PY "#1f5f9e"
#define COL_RS "#b4470f"
#define COL_REQ "#a01c1c"
#define COL_AXIS "#555"
/* Every chart is W user units wide: at 390 px its 13-unit labels still come out at 9 px. */
#define W 480

void svg_puts(struct svg_out *o, const char *s)
{
	if (!o->err && buf_puts(o->b, s))
		o->err = -1;
}

void svg_printf(struct svg_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->err)
		return;
	va_start(ap, fmt);
	if (buf_vprintf(o->b, fmt, ap))
		o->err = -1;
	va_end(ap);
}

void svg_esc_n(struct svg_out *o, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n && !o->err; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;

		switch (c) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				rep = "\xef\xbf\xbd"; /* U+FFFD */
		}
		if (!rep) {
			run++;
			continue;
		}
		if (run && buf_append(o->b, s + i - run, run))
			o->err = -1;
		run = 0;
		svg_puts(o, rep);
	}
	if (run && !o->err && buf_append(o->b, s + n - run, run))
		o->err = -1;
}

void svg_esc(struct svg_out *o, const char *s)
{
	if (s)
		svg_esc_n(o, s, strlen(s));
}

const char *svg_fmt_secs(char *dst, size_t n, double s)
{
	if (s < 1)
		snprintf(dst, n, "%.3g ms", s * 1000);
	else
		snprintf(dst, n, "%.3g s", s);
	return dst;
}

const char *svg_fmt_bytes(char *dst, size_t n, double bytes)
{
	if (bytes >= 1024.0 * 1024 * 1024)
		snprintf(dst, n, "%.3g GiB", bytes / (1024.0 * 1024 * 1024));
	else if (bytes >= 1024.0 * 1024)
		snprintf(dst, n, "%.3g MiB", bytes / (1024.0 * 1024));
	else if (bytes >= 1024)
		snprintf(dst, n, "%.3g KiB", bytes / 1024);
	else
		snprintf(dst, n, "%.0f B", bytes);
	return dst;
}

const char *svg_fmt_times(char *dst, size_t n, double x)
{
	snprintf(dst, n, "%.3gx", x);
	return dst;
}

/* ---- frame and axes ---- */

/* Opens a chart of w x h user units, scaled to the page's width, with its title and description. */
static void open_chart(struct svg_out *o, int w, int h, const char *title, const char *desc)
{
	int id = ++o->ids;

	svg_printf(o,
		   "<figure class=\"chart\"><div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-labelledby=\"chart%d-t chart%d-d\" font-size=\"13\">"
		   "<title id=\"chart%d-t\">",
		   w, h, id, id, id);
	svg_esc(o, title);
	svg_printf(o, "</title><desc id=\"chart%d-d\">", id);
	svg_esc(o, desc);
	svg_puts(o, "</desc>");
}

/* Closes the chart; its description is also the figure's caption, for readers without SVG. */
static void close_chart(struct svg_out *o, const char *caption)
{
	svg_puts(o, "</svg></div><figcaption>");
	svg_esc(o, caption);
	svg_puts(o, "</figcaption></figure>\n");
}

/* A scale from values [lo, hi] to positions [p0, p1], logarithmic or linear. */
struct axis {
	double lo, hi, p0, p1;
	int log;
};

static double pos(const struct axis *a, double v)
{
	double t;

	if (a->log)
		t = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : 0;
	else
		t = (v - a->lo) / (a->hi - a->lo);
	if (!(t >= 0))
		t = 0;
	if (t > 1)
		t = 1;
	return a->p0 + t * (a->p1 - a->p0);
}

/* Ticks of a log axis at 1, 2 and 5 times the powers of ten within [lo, hi]. */
static size_t log_ticks(const struct axis *a, double *ticks, size_t max)
{
	static const double mult[] = {1, 2, 5};
	size_t n = 0;
	int k0 = (int)floor(log10(a->lo)), k1 = (int)ceil(log10(a->hi));

	for (int k = k0; k <= k1 && k - k0 < 40; k++)
		for (size_t m = 0; m < 3 && n < max; m++) {
			double v = mult[m] * pow(10, k);
			if (v >= a->lo * 0.999 && v <= a->hi * 1.001)
				ticks[n++] = v;
		}
	return n;
}

typedef const char *(*fmt_fn)(char *dst, size_t n, double v);

/* A vertical axis at x = x0 with labelled ticks and grid lines to x1. */
static void y_axis(struct svg_out *o, const struct axis *a, double x0, double x1, fmt_fn fmt)
{
	double ticks[64];
	size_t n = log_ticks(a, ticks, 64);
	char t[32];

	svg_printf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_AXIS "\"/>",
		   x0, a->p0, x0, a->p1);
	for (size_t i = 0; i < n; i++) {
		double y = pos(a, ticks[i]);
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
			   x0, y, x1, y, x0 - 4, y + 4, fmt(t, sizeof(t), ticks[i]));
	}
}

/* A horizontal axis at y = y0 with labelled ticks and grid lines up to y1. */
static void x_axis(struct svg_out *o, const struct axis *a, double y0, double y1, fmt_fn fmt)
{
	double ticks[64];
	size_t n = log_ticks(a, ticks, 64);
	char t[32];

	svg_printf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_AXIS "\"/>",
		   a->p0, y0, a->p1, y0);
	for (size_t i = 0; i < n; i++) {
		double x = pos(a, ticks[i]);
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
			   x, y1, x, y0, x, y0 + 15, fmt(t, sizeof(t), ticks[i]));
	}
}

/* Widens [*lo, *hi] (both > 0) by a factor on a log scale, and to at least a factor of 4. */
static void pad_log(double *lo, double *hi, double f)
{
	*lo /= f;
	*hi *= f;
	while (*hi / *lo < 4) {
		*lo /= 1.5;
		*hi *= 1.5;
	}
}

/* ---- performance: every run ---- */

static int is_baseline(const cJSON *sample)
{
	return strcmp(rj_str(sample, "program", ""), "baseline") == 0;
}

/* A run's mark: circle for Python (baseline), square for Rust (candidate), hollow for a warm-up. */
static void mark(struct svg_out *o, int baseline, int hollow, double x, double y)
{
	const char *col = baseline ? COL_PY : COL_RS;
	const char *fill = hollow ? "none" : col;

	if (baseline)
		svg_printf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>",
			   x, y, fill, col);
	else
		svg_printf(o,
			   "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\" stroke=\"%s\" "
			   "stroke-width=\"1.5\"/>",
			   x - 4, y - 4, fill, col);
}

void svg_runs(struct svg_out *o, const cJSON *measurement)
{
	const cJSON *samples = rj_arr(measurement, "samples"), *s;
	const char *metric = strcmp(rj_str(measurement, "metric", "cpu"), "wall") == 0 ? "wall" : "cpu";
	const cJSON *med = rj_obj(measurement, strcmp(metric, "wall") == 0 ? "median_wall" : "median_cpu");
	double lo = INFINITY, hi = 0, mb = rj_num(med, "baseline", 0), mc = rj_num(med, "candidate", 0);
	int n = 0, i = 0;
	char t1[32], t2[32];
	struct buf desc = BUF_INIT;
	struct axis y;
	double x0 = 60, x1 = 320;

	cJSON_ArrayForEach(s, samples)
	{
		double v = rj_num(s, metric, 0);
		n++;
		if (v > 0 && v < 1e9) {
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	}
	if (!(hi > 0) || n > 100000)
		return;
	if (mb > 0)
		lo = fmin(lo, mb), hi = fmax(hi, mb);
	if (mc > 0)
		lo = fmin(lo, mc), hi = fmax(hi, mc);
	pad_log(&lo, &hi, 1.25);
	y = (struct axis){lo, hi, 230, 40, 1};
	buf_printf(&desc, "%s time of each of %d runs in the order they ran (log scale).",
		   strcmp(metric, "wall") == 0 ? "Wall" : "CPU", n);
	if (mb > 0)
		buf_printf(&desc, " Python (baseline, circles): median %s.", svg_fmt_secs(t1, sizeof(t1), mb));
	if (mc > 0)
		buf_printf(&desc, " Rust (candidate, squares): median %s.", svg_fmt_secs(t2, sizeof(t2), mc));
	buf_puts(&desc, " Hollow marks are warm-up runs, not counted.");
	open_chart(o, W, 275, strcmp(metric, "wall") == 0 ? "Wall time of every run" : "CPU time of every run",
		   desc.data);
	y_axis(o, &y, x0, x1, svg_fmt_secs);
	svg_printf(o, "<text x=\"%.0f\" y=\"262\" text-anchor=\"middle\">run, in order (1 to %d)</text>",
		   (x0 + x1) / 2, n);
	/* the legend, in words and shapes */
	mark(o, 1, 0, 66, 16);
	svg_puts(o, "<text x=\"76\" y=\"20\">Python (baseline)</text>");
	mark(o, 0, 0, 208, 16);
	svg_puts(o, "<text x=\"218\" y=\"20\">Rust (candidate)</text>");
	mark(o, 1, 1, 346, 16);
	svg_puts(o, "<text x=\"356\" y=\"20\">hollow: warm-up</text>");
	cJSON_ArrayForEach(s, samples)
	{
		double v = rj_num(s, metric, 0);
		double x = x0 + 10 + (n > 1 ? (x1 - x0 - 20) * i / (n - 1) : 0);
		i++;
		if (v > 0 && v < 1e9)
			mark(o, is_baseline(s), rj_bool(s, "warmup", false), x, pos(&y, v));
	}
	if (mb > 0)
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_PY "\" "
			   "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" y=\"%.1f\">Python median %s</text>",
			   x0, pos(&y, mb), x1, pos(&y, mb), x1 + 6, pos(&y, mb) + 4, t1);
	if (mc > 0)
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_RS "\" "
			   "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" y=\"%.1f\">Rust median %s</text>",
			   x0, pos(&y, mc), x1, pos(&y, mc), x1 + 6, pos(&y, mc) + 4, t2);
	close_chart(o, desc.data);
	buf_free(&desc);
}

/* ---- performance: the speedup against the requirement ---- */

/* How to anchor a label at x in a chart W wide so that it stays inside. */
static const char *anchor(double x)
{
	return x < 120 ? "start" : x > 360 ? "end" : "middle";
}

void svg_speedup(struct svg_out *o, const cJSON *speedup, double required)
{
	double est = rj_num(speedup, "estimate", 0), low = rj_num(speedup, "low", 0);
	double high = rj_num(speedup, "high", 0), conf = rj_num(speedup, "confidence", 0);
	double lo, hi, y = 60;
	char te[32], tl[32], th[32], tr[32];
	struct buf desc = BUF_INIT;
	struct axis x;
	int interval = low > 0 && high >= low && high < 1e12;

	if (!(est > 0 && est < 1e12))
		return;
	lo = hi = est;
	if (interval)
		lo = fmin(lo, low), hi = fmax(hi, high);
	if (required > 0 && required < 1e12)
		lo = fmin(lo, required), hi = fmax(hi, required);
	else
		required = 0;
	pad_log(&lo, &hi, 1.3);
	x = (struct axis){lo, hi, 20, 460, 1};
	buf_printf(&desc, "Measured speedup of Rust over Python: %s", svg_fmt_times(te, sizeof(te), est));
	if (interval)
		buf_printf(&desc, " (interval %s to %s at %.3g%% confidence)",
			   svg_fmt_times(tl, sizeof(tl), low), svg_fmt_times(th, sizeof(th), high), conf * 100);
	if (required > 0)
		buf_printf(&desc, "; required: %s, %s.", svg_fmt_times(tr, sizeof(tr), required),
			   (interval ? low : est) >= required ? "met" : "not met");
	else
		buf_puts(&desc, ".");
	open_chart(o, W, 140, "Speedup against the requirement", desc.data);
	x_axis(o, &x, 100, 30, svg_fmt_times);
	svg_puts(o, "<text x=\"240\" y=\"136\" text-anchor=\"middle\">times faster (log scale)</text>");
	if (interval)
		svg_printf(o,
			   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"" COL_RS "\" "
			   "fill-opacity=\"0.3\" stroke=\"" COL_RS "\"/>",
			   pos(&x, low), y - 7, fmax(pos(&x, high) - pos(&x, low), 1));
	svg_printf(o,
		   "<path d=\"M%.1f %.1f l7 9 l-7 9 l-7 -9 z\" fill=\"" COL_RS "\"/>"
		   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">estimate %s",
		   pos(&x, est), y - 9, pos(&x, est), y + 26, anchor(pos(&x, est)), te);
	if (interval)
		svg_printf(o, " (%s to %s)", tl, th);
	svg_puts(o, "</text>");
	if (required > 0)
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"100\" stroke=\"" COL_REQ "\" "
			   "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
			   "<text x=\"%.1f\" y=\"24\" text-anchor=\"%s\">required %s</text>",
			   pos(&x, required), pos(&x, required), pos(&x, required),
			   anchor(pos(&x, required)), tr);
	close_chart(o, desc.data);
	buf_free(&desc);
}

/* ---- memory ---- */

void svg_memory(struct svg_out *o, const cJSON *evidence)
{
	double py = rj_num(evidence, "python_peak_bytes", 0), rs = rj_num(evidence, "rust_peak_bytes", 0);
	double ratio = rj_num(evidence, "required_ratio", 0), limit = ratio > 0 ? py * ratio : 0;
	char tp[32], tr[32], tl[32];
	struct buf desc = BUF_INIT;
	struct axis x;

	if (!(py > 0 && rs > 0 && py < 1e15 && rs < 1e15) || limit > 1e15)
		return;
	x = (struct axis){0, fmax(fmax(py, rs), limit) * 1.05, 60, 390, 0};
	buf_printf(&desc, "Peak memory: Python %s, Rust %s", svg_fmt_bytes(tp, sizeof(tp), py),
		   svg_fmt_bytes(tr, sizeof(tr), rs));
	if (limit > 0)
		buf_printf(&desc, "; Rust may use at most %.3g times Python's peak (%s): %s.", ratio,
			   svg_fmt_bytes(tl, sizeof(tl), limit), rs <= limit ? "met" : "not met");
	else
		buf_puts(&desc, ".");
	open_chart(o, W, 120, "Peak memory", desc.data);
	svg_printf(o,
		   "<text x=\"74\" y=\"39\" text-anchor=\"end\">Python</text>"
		   "<rect x=\"80\" y=\"26\" width=\"%.1f\" height=\"18\" fill=\"" COL_PY "\"/>"
		   "<text x=\"%.1f\" y=\"39\">%s</text>"
		   "<text x=\"74\" y=\"73\" text-anchor=\"end\">Rust</text>"
		   "<rect x=\"80\" y=\"60\" width=\"%.1f\" height=\"18\" fill=\"" COL_RS "\"/>"
		   "<text x=\"%.1f\" y=\"73\">%s</text>",
		   fmax(pos(&x, py) - 60, 1), pos(&x, py) + 5, tp, fmax(pos(&x, rs) - 60, 1),
		   pos(&x, rs) + 5, tr);
	svg_puts(o, "<line x1=\"80\" y1=\"18\" x2=\"80\" y2=\"88\" stroke=\"" COL_AXIS "\"/>");
	if (limit > 0)
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"52\" x2=\"%.1f\" y2=\"88\" stroke=\"" COL_REQ "\" "
			   "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
			   "<text x=\"%.1f\" y=\"104\" text-anchor=\"middle\">limit for Rust %s</text>",
			   pos(&x, limit), pos(&x, limit), fmin(fmax(pos(&x, limit), 110), 380), tl);
	close_chart(o, desc.data);
	buf_free(&desc);
}

/* ---- a class ---- */

void svg_histogram(struct svg_out *o, const double *fractions, size_t n, double threshold)
{
	size_t bins[10] = {0}, top = 1;
	struct buf desc = BUF_INIT;
	double x0 = 40, w = 42, base = 210, h = 170;

	for (size_t i = 0; i < n; i++) {
		double f = fractions[i];
		int b = f >= 1 ? 9 : f > 0 ? (int)(f * 10) : 0;
		bins[b]++;
	}
	for (int b = 0; b < 10; b++)
		top = bins[b] > top ? bins[b] : top;
	buf_printf(&desc, "Scores of %zu learners in tenths of the maximum:", n);
	for (int b = 0; b < 10; b++)
		buf_printf(&desc, "%s %d-%d%%: %zu", b ? "," : "", b * 10, b * 10 + 10, bins[b]);
	if (threshold >= 0 && threshold <= 1)
		buf_printf(&desc, ". Pass threshold: %.3g%%.", threshold * 100);
	open_chart(o, W, 250, "Score histogram", desc.data);
	svg_printf(o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"" COL_AXIS "\"/>",
		   x0, base, x0 + 10 * w, base);
	for (int b = 0; b < 10; b++) {
		double bh = h * (double)bins[b] / (double)top, x = x0 + b * w;
		if (bins[b])
			svg_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" COL_PY "\"/>",
				   x + 3, base - bh, w - 6, bh);
		svg_printf(o,
			   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>"
			   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%d-%d</text>",
			   x + w / 2, base - bh - 4, bins[b], x + w / 2, base + 15, b * 10, b * 10 + 10);
	}
	svg_printf(o, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">score, %% of the maximum</text>",
		   x0 + 5 * w, base + 34);
	if (threshold >= 0 && threshold <= 1)
		svg_printf(o,
			   "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"" COL_REQ "\" "
			   "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
			   "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">pass %.3g%%</text>",
			   x0 + threshold * 10 * w, x0 + threshold * 10 * w, base,
			   x0 + threshold * 10 * w, threshold * 100);
	close_chart(o, desc.data);
	buf_free(&desc);
}

void svg_strip(struct svg_out *o, const char *const *rows, const double *required, size_t nrows,
	       const struct svg_point *pts, size_t npts)
{
	double lo = INFINITY, hi = 0, top = 40, rh = 46;
	struct buf desc = BUF_INIT;
	struct axis x;
	char t[32];
	int h;

	for (size_t i = 0; i < npts; i++)
		if (pts[i].value > 0 && pts[i].value < 1e12 && pts[i].row < nrows)
			lo = fmin(lo, pts[i].value), hi = fmax(hi, pts[i].value);
	for (size_t r = 0; r < nrows; r++)
		if (required[r] > 0 && required[r] < 1e12)
			lo = fmin(lo, required[r]), hi = fmax(hi, required[r]);
	if (!(hi > 0) || nrows == 0 || nrows > 1000)
		return;
	pad_log(&lo, &hi, 1.3);
	x = (struct axis){lo, hi, 110, 460, 1};
	h = (int)(top + rh * (double)nrows + 40);
	buf_puts(&desc, "Measured speedups of Rust over Python, one dot per learner (log scale).");
	for (size_t r = 0; r < nrows; r++) {
		size_t k = 0;
		for (size_t i = 0; i < npts; i++)
			k += pts[i].row == r;
		buf_printf(&desc, " %s: %zu measured", rows[r], k);
		if (required[r] > 0)
			buf_printf(&desc, ", required %s", svg_fmt_times(t, sizeof(t), required[r]));
		for (size_t i = 0, j = 0; i < npts; i++)
			if (pts[i].row == r)
				buf_printf(&desc, "%s%s", j++ ? ", " : " (",
					   svg_fmt_times(t, sizeof(t), pts[i].value));
		buf_puts(&desc, k ? ")." : ".");
	}
	open_chart(o, W, h, "Measured speedups", desc.data);
	x_axis(o, &x, top + rh * (double)nrows, top - 10, svg_fmt_times);
	svg_printf(o, "<text x=\"285\" y=\"%d\" text-anchor=\"middle\">times faster (log scale)</text>", h - 6);
	for (size_t r = 0; r < nrows; r++) {
		double y = top + rh * ((double)r + 0.5);
		svg_printf(o, "<text x=\"104\" y=\"%.1f\" text-anchor=\"end\">", y + 4);
		svg_esc(o, rows[r]);
		svg_puts(o, "</text>");
		if (required[r] > 0)
			svg_printf(o,
				   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_REQ "\" "
				   "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
				   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">required %s</text>",
				   pos(&x, required[r]), y - 14, pos(&x, required[r]), y + 14,
				   pos(&x, required[r]), y - 16, svg_fmt_times(t, sizeof(t), required[r]));
		for (size_t i = 0; i < npts; i++) {
			if (pts[i].row != r || !(pts[i].value > 0))
				continue;
			svg_printf(o,
				   "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"" COL_RS "\" fill-opacity=\"0.5\" "
				   "stroke=\"" COL_RS "\"><title>",
				   pos(&x, pts[i].value), y);
			svg_esc(o, pts[i].label);
			svg_printf(o, ": %s</title></circle>", svg_fmt_times(t, sizeof(t), pts[i].value));
		}
	}
	close_chart(o, desc.data);
	buf_free(&desc);
}
