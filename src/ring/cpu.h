/*
 * Deprecated: the process-wide kernel path is gone. Each ring picks its
 * kernel table once, at lt_ring_init (kernels.h); CPU detection is
 * core/cpu.h. This header stays only for bench/bench_ring.c, which saves
 * and restores the path; remove it, cpu.c and their meson.build line once
 * the benchmarks build one ring per path (lt_ring_init_kernels).
 */
#ifndef LT_CPU_H
#define LT_CPU_H

#include "../core/cpu.h"

/* The path new rings get: lt_cpu_kernel_default(). CT: n/a. */
lt_kernel lt_kernel_get(void);

/*
 * Has no effect (no kernel state is process-wide any more): returns
 * lt_kernel_get(). CT: n/a.
 */
lt_kernel lt_kernel_set(lt_kernel k);

#endif
