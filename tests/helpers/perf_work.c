/* perf_work: a calibrated workload for the perf tests: `perf_work UNITS [MIB]` touches MIB MiB of
 * memory (kept until exit), then runs UNITS identical units of a fixed CPU loop. Running k*N units
 * costs k times the CPU of N units, plus the same small start-up cost, so a pair of runs has a
 * known true ratio. Exits 0 (2 on a bad argument). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Iterations of one unit: about 1 ms of CPU on a 2020s x86-64 core. */
#define UNIT_ITERS 600000u

static int parse(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || *s == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long units, mib = 0;
	volatile uint64_t sink;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned char *mem = NULL;

	if (argc < 2 || argc > 3 || parse(argv[1], 1000000, &units) < 0 ||
	    (argc == 3 && parse(argv[2], 65536, &mib) < 0)) {
		fprintf(stderr, "usage: perf_work UNITS [MIB]\n");
		return 2;
	}
	if (mib) {
		size_t n = (size_t)mib << 20;
		mem = malloc(n);
		if (!mem) {
			fprintf(stderr, "perf_work: cannot allocate %lu MiB\n", mib);
			return 1;
		}
		/* Write every page so that it is resident, not just reserved. */
		for (size_t i = 0; i < n; i += 4096)
			mem[i] = (unsigned char)(i >> 12 | 1);
	}
	for (unsigned long u = 0; u < units; u++)
		for (unsigned i = 0; i < UNIT_ITERS; i++) {
			/* A dependent chain: the compiler cannot fold it, the core cannot overlap it. */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
	sink = x + (mem ? mem[4096] : 0);
	(void)sink;
	free(mem);
	return 0;
}
