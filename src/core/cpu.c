#include "cpu.h"

#include <stdlib.h>
#include <string.h>

#include <lathe/runtime.h>

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

lt_kernel
lt_cpu_kernel_default(void)
{
	const char *env = getenv("LATHE_KERNEL");
	if (env && strcmp(env, "scalar") == 0)
		return LT_KERNEL_SCALAR;
#ifdef LT_HAVE_AVX2
	if (lt_cpu_has_avx2fma())
		return LT_KERNEL_AVX2;
#endif
	return LT_KERNEL_SCALAR;
}

const char *
lathe_kernel_name(void)
{
	return lt_cpu_kernel_default() == LT_KERNEL_AVX2 ? "avx2" : "scalar";
}
