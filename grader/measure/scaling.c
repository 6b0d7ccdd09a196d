/* scaling.c: growth exponents of two programs' cost with input size, and the verdict (scaling.h). */
#include "measure/scaling.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/stats.h"
#include "xalloc.h"
#include "banned.h"

const char *scaling_verdict_name(enum scaling_verdict v)
{
	static const char *const names[] = {"pass", "fail", "inconclusive", "unmeasurable"};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

int scaling_slope(const double *x, const double *y, size_t n, double *slope)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0;

	if (n < 2) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0) || !(y[i] > 0) || !isfinite(x[i]) || !isfinite(y[i])) {
			errno = EINVAL;
			return -1;
		}
		mx += log(x[i]);
		my += log(y[i]);
	}
	mx /= (double)n;
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		double dx = log(x[i]) - mx;
		sxx += dx * dx;
		sxy += dx * (log(y[i]) - my);
	}
	if (!(sxx > 0)) {
		errno = EINVAL;
		return -1;
	}
	*slope = sxy / sxx;
	return 0;
}

/* The distance between two sizes' runs in s->time. */
static size_t stride(const struct scaling_samples *s)
{
	return s->stride ? s->stride : s->runs;
}

static bool samples_ok(const struct scaling_samples *s)
{
	if (!s || s->nsizes < 3 || s->nsizes > SCALING_MAX_SIZES || s->runs < 1 || !s->time ||
	    (s->stride && s->stride < s->runs))
		return false;
	for (size_t i = 0; i < s->nsizes; i++) {
		if (!(s->size[i] > 0) || !isfinite(s->size[i]) || (i && !(s->size[i] > s->size[i - 1])))
			return false;
		for (size_t r = 0; r < s->runs; r++)
			if (!(s->time[i * stride(s) + r] >= 0) || !isfinite(s->time[i * stride(s) + r]))
				return false;
	}
	for (size_t r = 0; s->fixed && r < s->runs; r++)
		if (!(s->fixed[r] >= 0) || !isfinite(s->fixed[r]))
			return false;
	return true;
}

/* 1.4826 x the median absolute deviation: a spread that one wild run does not inflate. */
static double robust_spread(const double *x, size_t n, double *tmp)
{
	double med, mad;

	if (stats_median(x, n, &med) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		tmp[i] = fabs(x[i] - med);
	if (stats_median(tmp, n, &mad) < 0)
		return 0;
	return 1.4826 * mad;
}

/* The slope of one program from each size's level (already drawn); false when a corrected time is
 * <= 0. */
static bool slope_of(const struct scaling_samples *s, const double *level, double fixed, double *slope)
{
	double y[SCALING_MAX_SIZES];

	for (size_t i = 0; i < s->nsizes; i++) {
		y[i] = level[i] - fixed;
		if (!(y[i] > 0))
			return false;
	}
	return scaling_slope(s->size, y, s->nsizes, slope) == 0;
}

/* Draws `runs` values of x with replacement and returns their SCALING_QUANTILE. */
static double draw_level(struct stats_rng *rng, const double *x, size_t runs, double *tmp)
{
	double m = 0;

	for (size_t r = 0; r < runs; r++)
		tmp[r] = x[stats_rng_below(rng, runs)];
	stats_quantile(tmp, runs, SCALING_QUANTILE, &m);
	return m;
}

/* One resample of one program's slope; false when it has no logarithm. */
static bool resample_slope(struct stats_rng *rng, const struct scaling_samples *s, double *tmp, double *slope)
{
	double lvl[SCALING_MAX_SIZES], fixed = 0;

	for (size_t i = 0; i < s->nsizes; i++)
		lvl[i] = draw_level(rng, s->time + i * stride(s), s->runs, tmp);
	if (s->fixed)
		fixed = draw_level(rng, s->fixed, s->runs, tmp);
	return slope_of(s, lvl, fixed, slope);
}

/* The point estimate and the measurability of one program. */
static int fit_point(const struct scaling_samples *s, double *tmp, struct scaling_fit *f)
{
	double spread_small, spread_fixed = 0;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < s->nsizes; i++)
		if (stats_quantile(s->time + i * stride(s), s->runs, SCALING_QUANTILE, &f->level[i]) < 0)
			return -1;
	if (s->fixed && stats_quantile(s->fixed, s->runs, SCALING_QUANTILE, &f->fixed) < 0)
		return -1;
	f->signal = f->level[0] - f->fixed;
	spread_small = robust_spread(s->time, s->runs, tmp);
	if (s->fixed)
		spread_fixed = robust_spread(s->fixed, s->runs, tmp);
	f->noise = spread_small > spread_fixed ? spread_small : spread_fixed;
	f->measurable = f->signal > 0 && f->signal >= f->noise && f->signal >= 0.1 * f->fixed &&
			slope_of(s, f->level, f->fixed, &f->exponent);
	if (!f->measurable)
		f->exponent = NAN;
	f->low = f->high = NAN;
	return 0;
}

int scaling_compare(const struct scaling_samples *base, const struct scaling_samples *cand, double tolerance,
		    double confidence, int resamples, uint64_t seed, struct scaling_outcome *out)
{
	size_t maxruns;
	double *tmp = NULL, *sb = NULL, *sc = NULL, *sd = NULL;
	size_t nb = 0, nc = 0, nd = 0, undefined_b = 0, undefined_c = 0;
	struct stats_rng rng;
	double tail = (1 - confidence) / 2;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!samples_ok(base) || !samples_ok(cand) || !(confidence > 0 && confidence < 1) ||
	    resamples < 100 || !(tolerance >= 0) || !isfinite(tolerance)) {
		errno = EINVAL;
		return -1;
	}
	out->tolerance = tolerance;
	out->confidence = confidence;
	out->resamples = resamples;
	out->seed = seed;
	out->diff = out->diff_low = out->diff_high = NAN;
	maxruns = base->runs > cand->runs ? base->runs : cand->runs;
	tmp = xreallocarray(NULL, maxruns, sizeof(*tmp));
	sb = xreallocarray(NULL, (size_t)resamples, sizeof(*sb));
	sc = xreallocarray(NULL, (size_t)resamples, sizeof(*sc));
	sd = xreallocarray(NULL, (size_t)resamples, sizeof(*sd));
	if (fit_point(base, tmp, &out->base) < 0 || fit_point(cand, tmp, &out->cand) < 0)
		goto out;
	rc = 0;
	if (!out->base.measurable || !out->cand.measurable) {
		out->verdict = SCALING_UNMEASURABLE;
		goto out;
	}
	out->diff = out->cand.exponent - out->base.exponent;
	stats_rng_seed(&rng, seed);
	for (int k = 0; k < resamples; k++) {
		double b, c;
		bool hb = resample_slope(&rng, base, tmp, &b);
		bool hc = resample_slope(&rng, cand, tmp, &c);
		if (hb)
			sb[nb++] = b;
		else
			undefined_b++;
		if (hc)
			sc[nc++] = c;
		else
			undefined_c++;
		if (hb && hc)
			sd[nd++] = c - b;
	}
	/* A resample with no logarithm could have had any slope: when they are more than a tail's
	 * worth, no interval at this confidence can be given. */
	if ((double)undefined_b > tail * resamples) {
		out->base.measurable = false;
	}
	if ((double)undefined_c > tail * resamples) {
		out->cand.measurable = false;
	}
	if (!out->base.measurable || !out->cand.measurable || nd < 2) {
		out->verdict = SCALING_UNMEASURABLE;
		goto out;
	}
	stats_quantile(sb, nb, tail, &out->base.low);
	stats_quantile(sb, nb, 1 - tail, &out->base.high);
	stats_quantile(sc, nc, tail, &out->cand.low);
	stats_quantile(sc, nc, 1 - tail, &out->cand.high);
	stats_quantile(sd, nd, tail, &out->diff_low);
	stats_quantile(sd, nd, 1 - tail, &out->diff_high);
	if (out->diff_low > tolerance)
		out->verdict = SCALING_FAIL;
	else if (out->diff_high < tolerance)
		out->verdict = SCALING_PASS;
	else
		out->verdict = SCALING_INCONCLUSIVE;
out:
	free(tmp);
	free(sb);
	free(sc);
	free(sd);
	return rc;
}

static void fmt_ms(double s, struct buf *out)
{
	if (s >= 1)
		buf_printf(out, "%.2f s", s);
	else
		buf_printf(out, "%.1f ms", s * 1000);
}

void scaling_message(const struct scaling_outcome *o, const char *base_name, const char *cand_name,
		     struct buf *out)
{
	if (o->verdict == SCALING_UNMEASURABLE) {
		const struct scaling_fit *f = !o->base.measurable ? &o->base : &o->cand;
		const char *who = !o->base.measurable ? base_name : cand_name;
		buf_printf(out, "cannot tell how %s grows: at the smallest size its time (", who);
		fmt_ms(f->level[0], out);
		buf_puts(out, ") is too close to its fixed cost (");
		fmt_ms(f->fixed, out);
		buf_puts(out, " on a minimal input, run-to-run spread ");
		fmt_ms(f->noise, out);
		buf_puts(out, ") to measure; a larger benchmark input would make the sizes measurable");
		return;
	}
	buf_printf(out, "%s grows as n^%.2f (%.2f to %.2f), %s as n^%.2f (%.2f to %.2f)", base_name,
		   o->base.exponent, o->base.low, o->base.high, cand_name, o->cand.exponent, o->cand.low,
		   o->cand.high);
	switch (o->verdict) {
	case SCALING_PASS:
		buf_printf(out, ": the difference, %+.2f (%+.2f to %+.2f at %.3g%% confidence), is within the %.2g allowed",
			   o->diff, o->diff_low, o->diff_high, o->confidence * 100, o->tolerance);
		break;
	case SCALING_FAIL:
		buf_printf(out, ": %.2f above the original's (%.2f to %.2f at %.3g%% confidence), more than the %.2g allowed",
			   o->diff, o->diff_low, o->diff_high, o->confidence * 100, o->tolerance);
		break;
	default:
		buf_printf(out,
			   ": the difference, %+.2f (%+.2f to %+.2f at %.3g%% confidence), may or may not exceed "
			   "the %.2g allowed; more runs or larger sizes would decide",
			   o->diff, o->diff_low, o->diff_high, o->confidence * 100, o->tolerance);
		break;
	}
}

const char *scaling_hint(const struct scaling_outcome *o)
{
	if (o->verdict == SCALING_UNMEASURABLE)
		return "make benchmark.generate.size larger, so that an eighth of it takes clearly longer than "
		       "starting the program";
	if (!(o->diff > o->tolerance))
		return NULL;
	/* An n log n step in place of a linear one adds about 0.1 to 0.2 to the exponent over an 8x
	 * span; a search inside a loop adds 0.5 to 1 (a mix of linear and quadratic work reads as
	 * n^1.5 over the span). */
	if (o->diff >= 0.4)
		return "look for a loop that searches a list: Vec::contains, iter().position() or find() inside a "
		       "loop where the original used a set or dict (use HashSet or HashMap), remove(0) or "
		       "insert(0, ..) on a Vec (use VecDeque), or a String or Vec rebuilt or cloned on every step";
	return "look for work that grows a little faster than the input: a sort or a BTreeMap where the "
	       "original used a dict, a sort repeated inside a loop, or a collection cloned on every step";
}
