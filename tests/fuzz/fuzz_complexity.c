/* fuzz_complexity.c: the Python and Rust tokenizers of complexity.h (exercise 2's claims), on
 * the same bytes as both languages. Holds complexity_count() to its header: the counts are
 * consistent (sloc <= lines, the kept functions at most the counted ones, in the order of the
 * text, each name inside the text, each cc at least 1, the total the sum it says). */
#include "fuzz.h"

#include "exercises/complexity.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check(const char *src, size_t len, enum program_which lang)
{
	struct complexity c;
	long sum = 0, lines = 0;

	for (size_t i = 0; i < len; i++)
		lines += src[i] == '\n';
	lines += len && src[len - 1] != '\n';
	complexity_count(src, len, lang, &c);
	FUZZ_ASSERT(c.lines == lines);
	FUZZ_ASSERT(c.sloc >= 0 && c.sloc <= c.lines);
	FUZZ_ASSERT(c.functions >= 0 && (size_t)c.functions >= c.nfns && c.nfns <= COMPLEXITY_MAX_FNS);
	FUZZ_ASSERT(c.top_decisions >= 0);
	for (size_t i = 0; i < c.nfns; i++) {
		const struct complexity_fn *f = &c.fns[i];
		FUZZ_ASSERT(f->cc >= 1);
		FUZZ_ASSERT(f->line >= 1 && f->line <= c.lines);
		FUZZ_ASSERT(f->name_off <= len && f->name_len <= len - f->name_off);
		FUZZ_ASSERT(i == 0 || f->line >= c.fns[i - 1].line);
		sum += f->cc;
	}
	if ((size_t)c.functions == c.nfns)
		FUZZ_ASSERT(c.total == sum + (c.top_decisions > 0 ? 1 + c.top_decisions : 0));
	complexity_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, PROGRAM_PYTHON);
	check((const char *)data, size, PROGRAM_RUST);
	return 0;
}
