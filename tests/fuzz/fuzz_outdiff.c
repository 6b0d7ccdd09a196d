/* fuzz_outdiff.c: every output comparator of outdiff.h. The first byte picks the mode, the second
 * the tolerances and the excerpt size; the rest is split in two halves, the expected output and
 * the actual one. Beyond not crashing, it holds outdiff to its promises: every string of a result
 * is safe text (text_safe() leaves it unchanged), a difference has a message and a kind, exact
 * equality is byte equality, and an output that is valid for its mode equals itself (but for a
 * JSON object with a duplicate key, a difference by design). */
#include "fuzz.h"

#include "outdiff.h"
#include "text.h"

#define NMODES 7

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* A string of a result: NULL, or text that text_safe() would not change. */
static void check_safe(const char *s, size_t max)
{
	struct text_safe t;
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	FUZZ_ASSERT(len <= max);
	text_safe(s, len, len + 1, TEXT_KEEP_HEAD, &t);
	FUZZ_ASSERT(t.len == len && !memcmp(t.data, s, len));
	text_safe_free(&t);
}

static void check_result(const struct outdiff_options *o, const struct outdiff_result *r)
{
	size_t excerpt = o->excerpt_bytes ? o->excerpt_bytes : OUTDIFF_EXCERPT_DEFAULT;

	if (excerpt > OUTDIFF_EXCERPT_MAX)
		excerpt = OUTDIFF_EXCERPT_MAX;
	FUZZ_ASSERT(r->equal == (r->kind == OUTDIFF_SAME));
	if (r->equal)
		return;
	FUZZ_ASSERT(r->message && *r->message);
	FUZZ_ASSERT(r->expected_excerpt && r->actual_excerpt);
	check_safe(r->message, SIZE_MAX);
	check_safe(r->expected_excerpt, excerpt);
	check_safe(r->actual_excerpt, excerpt);
	check_safe(r->csv_column, SIZE_MAX);
	check_safe(r->json_path, SIZE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double tols[4] = {0, 1e-9, 1e-3, 0.5};
	static const size_t excerpts[4] = {0, 1, 16, OUTDIFF_EXCERPT_MAX + 1};
	struct outdiff_options o;
	struct outdiff_result r;
	const char *exp, *act;
	size_t half, elen, alen;

	if (size < 2)
		return 0;
	o = (struct outdiff_options){.mode = (enum outdiff_mode)(data[0] % NMODES),
				     .abs_tol = tols[data[1] & 3],
				     .rel_tol = tols[(data[1] >> 2) & 3],
				     .excerpt_bytes = excerpts[(data[1] >> 4) & 3]};
	data += 2;
	size -= 2;
	half = size / 2;
	exp = (const char *)data;
	elen = half;
	act = (const char *)data + half;
	alen = size - half;

	FUZZ_ASSERT(outdiff_outputs(&o, exp, elen, act, alen, &r) == 0);
	check_result(&o, &r);
	if (o.mode == OUTDIFF_EXACT)
		FUZZ_ASSERT(r.equal == (elen == alen && !memcmp(exp, act, elen)));
	outdiff_result_free(&r);

	/* The expected output against itself: equal, unless it is not valid for the mode, or is
	 * JSON with a key twice in an object, which docs/compare.md makes a difference of shape
	 * (tests/fuzz/regressions/outdiff/json-duplicate-key). */
	FUZZ_ASSERT(outdiff_outputs(&o, exp, elen, exp, elen, &r) == 0);
	check_result(&o, &r);
	FUZZ_ASSERT(r.equal || r.kind == OUTDIFF_INVALID_EXPECTED ||
		    (o.mode == OUTDIFF_JSON && r.kind == OUTDIFF_DIFF_SHAPE &&
		     strstr(r.message, " twice in this object")));
	outdiff_result_free(&r);
	return 0;
}
