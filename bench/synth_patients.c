/*
 * Synthetic patients for scale tests: N rows drawn with replacement from
 * the rows of a real table, so that every value lies within the columns'
 * observed ranges (which the circuits declare) and the columns keep their
 * joint distribution.
 *   synth-patients DATA.csv N [SEED] > out.csv
 * The same SEED (default 1) gives the same rows. Exit status 1 on an error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): test data, not secrets */
static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* a uniform index below n, without modulo bias (rejection) */
static size_t
below(uint64_t *s, size_t n)
{
	const uint64_t lim = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = next(s);
	while (x >= lim);
	return (size_t)(x % n);
}

static int
parse_u64(const char *s, const char *what, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "synth-patients: %s '%s': not a non-negative integer\n", what, s);
		return 0;
	}
	*v = x;
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fputs("usage: synth-patients DATA.csv N [SEED] > out.csv\n", stderr);
		return 1;
	}
	uint64_t n, seed = 1;
	if (!parse_u64(argv[2], "N", &n) || (argc == 4 && !parse_u64(argv[3], "SEED", &seed)))
		return 1;
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "synth-patients: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	char **rows = NULL, *line = NULL, *header = NULL;
	size_t nrows = 0, cap = 0, lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		char *copy = strdup(line);
		if (!copy)
			goto oom;
		if (!header) {
			header = copy;
			continue;
		}
		if (nrows == cap) {
			cap = cap ? 2 * cap : 256;
			char **r = realloc(rows, cap * sizeof(*r));
			if (!r) {
				free(copy);
				goto oom;
			}
			rows = r;
		}
		rows[nrows++] = copy;
	}
	if (ferror(f)) {
		fprintf(stderr, "synth-patients: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fclose(f);
	free(line);
	if (!header || nrows == 0) {
		fprintf(stderr, "synth-patients: %s: a header and at least one row are needed\n", argv[1]);
		return 1;
	}
	uint64_t st = seed;
	printf("%s\n", header);
	for (uint64_t i = 0; i < n; i++)
		if (printf("%s\n", rows[below(&st, nrows)]) < 0) {
			fprintf(stderr, "synth-patients: writing: %s\n", strerror(errno));
			return 1;
		}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "synth-patients: writing: %s\n", strerror(errno));
		return 1;
	}
	return 0;
oom:
	fputs("synth-patients: out of memory\n", stderr);
	return 1;
}
