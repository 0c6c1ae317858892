/*
 * lathe-bench: the benchmark harness for parameter sweeps.
 *   lathe-bench [--quick] [--threads T] [--reps R] [--list] [PREFIX]
 * Runs the cases whose names start with PREFIX and prints a CSV header,
 * then one row per case, on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>

#include "cases.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: lathe-bench [--quick] [--threads T] [--reps R] [--list] [PREFIX]\n"
	           "  --quick      fewer, shorter repetitions\n"
	           "  --threads T  run every case with T threads (default: 1 and 2 where it matters)\n"
	           "  --reps R     timed repetitions per case (default: adaptive)\n"
	           "  --list       print the case names and exit\n"
	           "  PREFIX       run only the cases whose names start with PREFIX\n"
	           "Set LATHE_KERNEL=scalar to force the portable kernels.\n");
}

int
main(int argc, char **argv)
{
	bench_opts o = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--quick") == 0) {
			o.quick = 1;
		} else if (strcmp(a, "--list") == 0) {
			o.list = 1;
		} else if ((strcmp(a, "--threads") == 0 || strcmp(a, "--reps") == 0) && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v <= 0 || v > 100000) {
				fprintf(stderr, "lathe-bench: %s needs a positive number\n", a);
				return 2;
			}
			if (a[2] == 't')
				o.threads = (int)v;
			else
				o.reps = (int)v;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "lathe-bench: unknown option %s\n", a);
			usage(stderr);
			return 2;
		} else {
			o.prefix = a;
		}
	}
	if (!o.list)
		fprintf(stderr, "lathe-bench: kernel path %s\n", lathe_kernel_name());
	bench_header(&o);
	bench_ring(&o);
	bench_bgv(&o);
	bench_io(&o);
	bench_circuits(&o);
	bench_mp(&o);
	bench_boot(&o);
	return 0;
}
