#include "cpu.h"

#include <stdlib.h>
#include <string.h>

#include <lathe/threads.h>

static int kernel_state = -1; /* -1: not chosen yet */

int
lt_cpu_has_avx2fma(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
	return 0;
#endif
}

static lt_kernel
choose(void)
{
	const char *env = getenv("LATHE_KERNEL");
	if (env && strcmp(env, "scalar") == 0)
		return LT_KERNEL_SCALAR;
	return lt_cpu_has_avx2fma() ? LT_KERNEL_AVX2 : LT_KERNEL_SCALAR;
}

lt_kernel
lt_kernel_get(void)
{
	int k = __atomic_load_n(&kernel_state, __ATOMIC_RELAXED);
	if (k < 0) {
		k = (int)choose();
		__atomic_store_n(&kernel_state, k, __ATOMIC_RELAXED);
	}
	return (lt_kernel)k;
}

lt_kernel
lt_kernel_set(lt_kernel k)
{
	if (k == LT_KERNEL_AVX2 && !lt_cpu_has_avx2fma())
		k = LT_KERNEL_SCALAR;
	__atomic_store_n(&kernel_state, (int)k, __ATOMIC_RELAXED);
	return k;
}

const char *
lathe_kernel_name(void)
{
	return lt_kernel_get() == LT_KERNEL_AVX2 ? "avx2" : "scalar";
}
