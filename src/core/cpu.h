/*
 * What this CPU and this build can run, and the kernel path a new ring
 * gets by default. Detection only, as libsodium's runtime.c: the kernel
 * tables themselves, and the choice of one per ring, are the ring
 * layer's (ring/kernels.h).
 */
#ifndef LT_CORE_CPU_H
#define LT_CORE_CPU_H

typedef enum lt_kernel {
	LT_KERNEL_SCALAR = 0, /* portable 64-bit integer kernels, any q < 2^62 */
	LT_KERNEL_AVX2 = 1    /* AVX2+FMA exact-double kernels, q < 2^50 */
} lt_kernel;

/* Whether this CPU runs AVX2 and FMA instructions (0 off x86). CT: n/a. */
int lt_cpu_has_avx2fma(void);

/*
 * The kernel path a new ring gets: LT_KERNEL_SCALAR when the environment
 * variable LATHE_KERNEL is "scalar", when this build has no AVX2 kernels
 * (a non-x86 host, or meson -Davx2=disabled) or when the CPU lacks
 * AVX2+FMA; else LT_KERNEL_AVX2. Reads the environment on every call and
 * keeps no state. CT: n/a (public).
 */
lt_kernel lt_cpu_kernel_default(void);

#endif
