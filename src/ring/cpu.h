/*
 * Kernel-path selection: chosen once per process from the CPU, or forced
 * with the environment variable LATHE_KERNEL=scalar (or =avx2).
 */
#ifndef LT_CPU_H
#define LT_CPU_H

typedef enum lt_kernel {
	LT_KERNEL_SCALAR = 0,
	LT_KERNEL_AVX2 = 1
} lt_kernel;

/* Whether this CPU runs AVX2 and FMA instructions. */
int lt_cpu_has_avx2fma(void);

/* The process-wide kernel path (first call reads LATHE_KERNEL). */
lt_kernel lt_kernel_get(void);

/*
 * Overrides the kernel path for the whole process (tests and benchmarks).
 * Asking for AVX2 on a CPU without it keeps the scalar path; returns the
 * path now in force. Not thread-safe against concurrent kernels.
 */
lt_kernel lt_kernel_set(lt_kernel k);

#endif
