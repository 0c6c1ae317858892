#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <omp.h>

uint64_t
bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
bench_selected(const bench_opts *o, const char *name)
{
	return !o->prefix || strncmp(name, o->prefix, strlen(o->prefix)) == 0;
}

int
bench_may_select(const bench_opts *o, const char *partial)
{
	if (!o->prefix)
		return 1;
	size_t a = strlen(partial), b = strlen(o->prefix);
	return strncmp(partial, o->prefix, a < b ? a : b) == 0;
}

/* CPU time of the process (all its threads), nanoseconds */
static uint64_t
cpu_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
bench_header(const bench_opts *o)
{
	if (!o->list)
		printf("case,n,level,threads,median_ns,min_ns,max_ns,reps,ns_per_butterfly,cpu_median_ns\n");
}

int
bench_thread_list(const bench_opts *o, int *out, int max)
{
	if (o->threads > 0 || max < 2) {
		out[0] = o->threads > 0 ? o->threads : 1;
		return 1;
	}
	out[0] = 1;
	out[1] = 2;
	return 2;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void
run_case(const bench_opts *o, const char *name, size_t n, unsigned level, int threads, bench_fn prep,
         bench_fn fn, void *arg, double butterflies)
{
	if (!bench_selected(o, name))
		return;
	if (o->list) {
		printf("%s threads=%d\n", name, threads);
		return;
	}
	omp_set_num_threads(threads);
	/* warm-up: at least 2 runs and ~20 ms (5 ms quick) */
	const uint64_t warm_ns = o->quick ? 5000000u : 20000000u;
	uint64_t t0 = bench_now_ns(), one = 0;
	int w = 0;
	do {
		if (prep)
			prep(arg);
		uint64_t s = bench_now_ns();
		fn(arg);
		one = bench_now_ns() - s;
		w++;
	} while (w < 2 || bench_now_ns() - t0 < warm_ns);
	/* repetitions: --reps, else enough for ~0.5 s (0.1 s quick), 5 to 2000 */
	int reps = o->reps;
	if (reps <= 0) {
		double budget = o->quick ? 1e8 : 5e8;
		double r = budget / (double)(one ? one : 1);
		reps = r < 5 ? 5 : r > 2000 ? 2000 : (int)r;
		if (o->quick && reps > 200)
			reps = 200;
	}
	uint64_t *t = malloc((size_t)reps * 2 * sizeof(uint64_t));
	if (!t) {
		fprintf(stderr, "lathe-bench: out of memory\n");
		return;
	}
	uint64_t *cpu = t + reps;
	for (int i = 0; i < reps; i++) {
		if (prep)
			prep(arg);
		uint64_t c = cpu_now_ns(), s = bench_now_ns();
		fn(arg);
		t[i] = bench_now_ns() - s;
		cpu[i] = cpu_now_ns() - c;
	}
	qsort(t, (size_t)reps, sizeof(uint64_t), cmp_u64);
	qsort(cpu, (size_t)reps, sizeof(uint64_t), cmp_u64);
	uint64_t cmed = reps & 1 ? cpu[reps / 2] : (cpu[reps / 2 - 1] + cpu[reps / 2]) / 2;
	uint64_t med = reps & 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
	printf("%s,%zu,%u,%d,%llu,%llu,%llu,%d,", name, n, level, threads, (unsigned long long)med,
	       (unsigned long long)t[0], (unsigned long long)t[reps - 1], reps);
	if (butterflies > 0)
		printf("%.3f", (double)med / butterflies);
	printf(",%llu\n", (unsigned long long)cmed);
	fflush(stdout);
	free(t);
}

void
bench_case(const bench_opts *o, const char *name, size_t n, unsigned level, int threads,
           bench_fn fn, void *arg, double butterflies)
{
	run_case(o, name, n, level, threads, NULL, fn, arg, butterflies);
}

void
bench_case_prep(const bench_opts *o, const char *name, size_t n, unsigned level, int threads,
                bench_fn prep, bench_fn fn, void *arg)
{
	run_case(o, name, n, level, threads, prep, fn, arg, 0);
}
