/*
 * lathe — the run-time configuration: thread count for the parallel
 * kernels (NTT, key switching) and the arithmetic kernel path in use.
 * Results are bit-identical for every thread count and kernel path.
 */
#ifndef LATHE_RUNTIME_H
#define LATHE_RUNTIME_H

#include "common.h"
#include "error.h"

LATHE_BEGIN_DECLS

/* The largest thread count lathe_set_threads accepts. */
#define LATHE_THREADS_MAX 1024

/*
 * Sets the number of threads lathe's kernels use on the calling thread's
 * subsequent calls (OpenMP). 1 <= n <= LATHE_THREADS_MAX; 0 restores the
 * default (OMP_NUM_THREADS when it is in that range, else the number of
 * cores). Errors: LATHE_EINVAL (n < 0 or n > LATHE_THREADS_MAX; the
 * thread count is then unchanged).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_set_threads(int n);

/* The number of threads lathe's kernels will use. */
LATHE_API int lathe_get_threads(void);

/*
 * Name of the arithmetic kernel path a context created now gets: "avx2"
 * (a build with the AVX2 kernels on an AVX2+FMA CPU) or "scalar" (else, or
 * when the environment sets LATHE_KERNEL=scalar). Each context keeps the
 * path it was created with. Never NULL. CT: n/a (public).
 */
LATHE_API const char *lathe_kernel_name(void);

LATHE_END_DECLS

#endif
