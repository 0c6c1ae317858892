/* Benchmark case groups of lathe-bench; each runs its selected cases. */
#ifndef LT_BENCH_CASES_H
#define LT_BENCH_CASES_H

#include "harness.h"

void bench_ring(const bench_opts *o);
void bench_bgv(const bench_opts *o);
void bench_io(const bench_opts *o);
void bench_circuits(const bench_opts *o);
void bench_boot(const bench_opts *o);
void bench_mp(const bench_opts *o);

#endif
