/* fuzz_cargo.c: cargo's --message-format=json output as build_read_messages() reads it (a build
 * script can print any line there). The first error's position must be a number the report can
 * hold, and the counts must add up to the lines. */
#include "fuzz.h"

#include "build.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct build_result res = {0};
	size_t lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	build_read_messages((const char *)data, size, &res);
	FUZZ_ASSERT(res.nerrors >= 0 && res.nwarnings >= 0);
	FUZZ_ASSERT((size_t)res.nerrors + (size_t)res.nwarnings <= lines);
	FUZZ_ASSERT(res.nerrors > 0 || (!res.file && res.rendered.len == 0));
	build_result_free(&res);
	return 0;
}
