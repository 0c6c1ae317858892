/*
 * lathe-bench harness: warm-up, repeated timed runs, median / min / max,
 * one CSV row per case on stdout:
 *     case,n,level,threads,median_ns,min_ns,max_ns,reps,ns_per_butterfly
 * (the last column only for transforms: median / (N/2 * log2 N * limbs)).
 * A benchmark never asserts a time; it prints.
 */
#ifndef LT_BENCH_HARNESS_H
#define LT_BENCH_HARNESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_opts {
	int quick;           /* fewer, shorter repetitions */
	int list;            /* print case names only */
	int threads;         /* 0: each case's own thread counts */
	int reps;            /* 0: adaptive */
	const char *prefix;  /* run cases whose name starts with it (NULL: all) */
} bench_opts;

typedef void (*bench_fn)(void *arg);

/* Whether a case named `name` is selected by the options (prefix filter). */
int bench_selected(const bench_opts *o, const char *name);

/*
 * Times fn(arg) under the options and prints one CSV row (or the name when
 * listing). threads: the OpenMP thread count for this row. butterflies:
 * radix-2 butterflies per call, or 0 when not a transform.
 */
void bench_case(const bench_opts *o, const char *name, size_t n, unsigned level, int threads,
                bench_fn fn, void *arg, double butterflies);

/* Thread counts a case runs with: {1, 2} by default, or {--threads}. */
int bench_thread_list(const bench_opts *o, int *out, int max);

/* Prints the CSV header (not when listing). */
void bench_header(const bench_opts *o);

/* Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);

#endif
