/* shrink.c: ddmin over lines with a candidate cache and call/time bounds (see shrink.h). */
#include "shrink.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "xalloc.h"
#include "banned.h"

struct line {
	size_t off, len;
};

struct cache_entry {
	uint64_t h1, h2;
	size_t len;
	int used;
	int fails;
};

/* Everything one shrink needs; no state outlives the call. */
struct shrinker {
	const char *input;
	struct line *lines;
	size_t keep;
	int (*still_fails)(void *ctx, const char *input, size_t len);
	void *ctx;
	double (*clock)(void *ctx);
	size_t max_calls;
	double max_seconds, start;
	struct buf cand; /* never longer than the input, so its maximum (above that) is never hit */
	struct cache_entry *cache;
	size_t cache_cap, cache_used;
	struct shrink_result *out;
};

/* The outcome of testing one candidate. */
enum verdict { PASSES = 0, FAILS = 1, STOP = 2, ABORT = 3 };

static double monotonic_seconds(void *ctx)
{
	(void)ctx;
	return clock_now();
}

/* Two independent 64-bit hashes of the bytes (FNV-1a and a multiply-xorshift). */
static void hash2(const char *s, size_t n, uint64_t *h1, uint64_t *h2)
{
	uint64_t a = 1469598103934665603ULL, b = 0x243F6A8885A308D3ULL;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		a = (a ^ ch) * 1099511628211ULL;
		b = (b ^ ch) * 0x9E3779B97F4A7C15ULL;
		b ^= b >> 29;
	}
	*h1 = a;
	*h2 = b ^ (uint64_t)n;
}

static struct cache_entry *cache_slot(struct shrinker *s, uint64_t h1, uint64_t h2, size_t len)
{
	size_t mask = s->cache_cap - 1, i = (size_t)(h1 ^ (h2 >> 17)) & mask;

	while (s->cache[i].used && !(s->cache[i].h1 == h1 && s->cache[i].h2 == h2 && s->cache[i].len == len))
		i = (i + 1) & mask;
	return &s->cache[i];
}

static void cache_grow(struct shrinker *s)
{
	size_t old_cap = s->cache_cap, cap = old_cap ? old_cap * 2 : 64;
	struct cache_entry *old = s->cache;

	s->cache = xcalloc(cap, sizeof(*s->cache));
	s->cache_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].used)
			*cache_slot(s, old[i].h1, old[i].h2, old[i].len) = old[i];
	free(old);
}

/* Builds the candidate: the kept lines and lines idx[0..n) (ascending), in input order. */
static void build(struct shrinker *s, const size_t *idx, size_t n)
{
	buf_reset(&s->cand);
	for (size_t i = 0; i < s->keep; i++)
		buf_append(&s->cand, s->input + s->lines[i].off, s->lines[i].len);
	for (size_t i = 0; i < n; i++)
		buf_append(&s->cand, s->input + s->lines[idx[i]].off, s->lines[idx[i]].len);
}

/* Builds a candidate and finds its cache slot (used or free). */
static struct cache_entry *lookup(struct shrinker *s, const size_t *idx, size_t n, uint64_t *h1, uint64_t *h2)
{
	build(s, idx, n);
	hash2(s->cand.data, s->cand.len, h1, h2);
	if ((s->cache_used + 1) * 2 > s->cache_cap)
		cache_grow(s);
	return cache_slot(s, *h1, *h2, s->cand.len);
}

static enum verdict test(struct shrinker *s, const size_t *idx, size_t n)
{
	struct cache_entry *e;
	uint64_t h1, h2;
	int rc;

	e = lookup(s, idx, n, &h1, &h2);
	if (e->used) {
		s->out->cache_hits++;
		return e->fails ? FAILS : PASSES;
	}
	if (s->out->calls >= s->max_calls) {
		s->out->status = SHRINK_CALL_LIMIT;
		return STOP;
	}
	if (s->clock(s->ctx) - s->start >= s->max_seconds) {
		s->out->status = SHRINK_TIME_LIMIT;
		return STOP;
	}
	s->out->calls++;
	rc = s->still_fails(s->ctx, s->cand.data, s->cand.len);
	if (rc < 0) {
		s->out->error = rc;
		return ABORT;
	}
	*e = (struct cache_entry){h1, h2, s->cand.len, 1, rc > 0};
	s->cache_used++;
	return rc > 0 ? FAILS : PASSES;
}

/* Splits the input into lines, each with its line feed; a last line may lack one. */
static struct line *split_lines(const char *in, size_t len, size_t *count)
{
	size_t n = 0, k = 0, pos = 0;
	struct line *v;
	const char *nl;

	for (pos = 0; pos < len; n++) {
		nl = memchr(in + pos, '\n', len - pos);
		pos = nl ? (size_t)(nl - in) + 1 : len;
	}
	v = xcalloc(n, sizeof(*v));
	for (pos = 0; pos < len; k++) {
		nl = memchr(in + pos, '\n', len - pos);
		v[k].off = pos;
		pos = nl ? (size_t)(nl - in) + 1 : len;
		v[k].len = pos - v[k].off;
	}
	*count = n;
	return v;
}

/* ddmin on the index set c[0..*cn); on return c holds the smallest failing set found. */
static enum verdict ddmin(struct shrinker *s, size_t *c, size_t *cn, size_t *tmp)
{
	size_t n = 2;
	enum verdict v;

	while (*cn >= 2) {
		size_t size = *cn;
		int reduced = 0;

		if (n > size)
			n = size;
		/* Try each chunk alone, then each complement. */
		for (int pass = 0; pass < 2 && !reduced; pass++) {
			for (size_t i = 0; i < n; i++) {
				size_t lo = i * size / n, hi = (i + 1) * size / n, k = 0;

				if (pass == 0) {
					memcpy(tmp, c + lo, (hi - lo) * sizeof(*c));
					k = hi - lo;
				} else {
					memcpy(tmp, c, lo * sizeof(*c));
					memcpy(tmp + lo, c + hi, (size - hi) * sizeof(*c));
					k = size - (hi - lo);
				}
				v = test(s, tmp, k);
				if (v == STOP || v == ABORT)
					return v;
				if (v == FAILS) {
					memcpy(c, tmp, k * sizeof(*c));
					*cn = k;
					n = pass == 0 ? 2 : (n - 1 > 2 ? n - 1 : 2);
					reduced = 1;
					break;
				}
			}
		}
		if (!reduced) {
			if (n >= size)
				break; /* every single line was tried: 1-minimal */
			n = n * 2 < size ? n * 2 : size;
		}
	}
	if (*cn == 1) {
		/* 1-minimal also means that dropping the last line passes. */
		v = test(s, c, 0);
		if (v == STOP || v == ABORT)
			return v;
		if (v == FAILS)
			*cn = 0;
	}
	return PASSES;
}

int shrink_lines(const char *input, size_t len, int (*still_fails)(void *ctx, const char *input, size_t len),
		 void *ctx, const struct shrink_options *opt, struct shrink_result *out)
{
	struct shrinker s = {.cand = BUF_INIT};
	size_t nlines = 0, cn = 0, *c = NULL, *tmp = NULL;
	enum verdict v = PASSES;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->status = SHRINK_MINIMAL;
	if (!len)
		input = "";
	s.input = input;
	s.still_fails = still_fails;
	s.ctx = ctx;
	s.out = out;
	s.clock = opt && opt->clock ? opt->clock : monotonic_seconds;
	s.max_calls = opt && opt->max_calls ? opt->max_calls : SHRINK_DEFAULT_MAX_CALLS;
	s.max_seconds = opt && opt->max_seconds > 0 ? opt->max_seconds : SHRINK_DEFAULT_MAX_SECONDS;
	s.start = s.clock(ctx);
	s.cand.max = len + 1;
	s.lines = split_lines(input, len, &nlines);
	s.keep = opt ? opt->keep_lines : 0;
	if (s.keep > nlines)
		s.keep = nlines;
	cn = nlines - s.keep;
	c = xcalloc(cn, sizeof(*c));
	tmp = xcalloc(cn, sizeof(*tmp));
	for (size_t i = 0; i < cn; i++)
		c[i] = s.keep + i;
	{
		/* The whole input is known to fail: remember it without a call. */
		uint64_t h1, h2;
		struct cache_entry *e = lookup(&s, c, cn, &h1, &h2);

		*e = (struct cache_entry){h1, h2, s.cand.len, 1, 1};
		s.cache_used++;
	}
	v = ddmin(&s, c, &cn, tmp);
	if (v == ABORT)
		out->status = SHRINK_ABORTED;
	else
		rc = 0;
	build(&s, c, cn);
	out->len = s.cand.len;
	out->lines = s.keep + cn;
	out->input = buf_detach(&s.cand);
	buf_free(&s.cand);
	free(s.cache);
	free(s.lines);
	free(c);
	free(tmp);
	return rc;
}

void shrink_result_free(struct shrink_result *res)
{
	free(res->input);
	memset(res, 0, sizeof(*res));
}

const char *shrink_status_name(enum shrink_status status)
{
	switch (status) {
	case SHRINK_MINIMAL:
		return "minimal";
	case SHRINK_CALL_LIMIT:
		return "call limit";
	case SHRINK_TIME_LIMIT:
		return "time limit";
	case SHRINK_ABORTED:
		return "aborted";
	}
	return "?";
}
