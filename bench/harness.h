/*
 * lathe-bench harness: warm-up, repeated timed runs, median / min / max,
 * one CSV row per case on stdout:
 *     case,n,level,threads,median_ns,min_ns,max_ns,reps,ns_per_butterfly,cpu_median_ns
 * (ns_per_butterfly only for transforms: median / (N/2 * log2 N * limbs);
 * cpu_median_ns: the median CPU time of the process over a run, all its
 * threads together, beside the wall-clock median).
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

/*
 * Whether a case named `name` is selected by the options: its name starts
 * with the filter (so a full name as --list prints it selects that case).
 */
int bench_selected(const bench_opts *o, const char *name);
/*
 * Whether some case whose name starts with `partial` may be selected (the
 * filter and partial agree on their common length): for skipping the
 * set-up of a group of cases.
 */
int bench_may_select(const bench_opts *o, const char *partial);

/*
 * Times fn(arg) under the options and prints one CSV row (or the name when
 * listing). threads: the OpenMP thread count for this row. butterflies:
 * radix-2 butterflies per call, or 0 when not a transform.
 */
void bench_case(const bench_opts *o, const char *name, size_t n, unsigned level, int threads,
                bench_fn fn, void *arg, double butterflies);
/* The same, with prep(arg) run untimed before every timed call of fn(arg). */
void bench_case_prep(const bench_opts *o, const char *name, size_t n, unsigned level, int threads,
                     bench_fn prep, bench_fn fn, void *arg);

/* Thread counts a case runs with: {1, 2} by default, or {--threads}. */
int bench_thread_list(const bench_opts *o, int *out, int max);

/* Prints the CSV header (not when listing). */
void bench_header(const bench_opts *o);

/* Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);

#endif
