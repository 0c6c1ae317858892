/*
 * lathe — thread count for the parallel kernels (NTT, key switching).
 * Results are bit-identical for every thread count.
 */
#ifndef LATHE_THREADS_H
#define LATHE_THREADS_H

#include "common.h"
#include "error.h"

LATHE_BEGIN_DECLS

/*
 * Sets the number of threads lathe's kernels use on the calling thread's
 * subsequent calls (OpenMP). n >= 1; 0 restores the default
 * (OMP_NUM_THREADS, else the number of cores).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_set_threads(int n);

/* The number of threads lathe's kernels will use. */
LATHE_API int lathe_get_threads(void);

/* Name of the arithmetic kernel path in use: "avx2" or "scalar". */
LATHE_API const char *lathe_kernel_name(void);

LATHE_END_DECLS

#endif
