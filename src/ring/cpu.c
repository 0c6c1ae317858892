/* Deprecated shims of cpu.h (see there). */
#include "cpu.h"

lt_kernel
lt_kernel_get(void)
{
	return lt_cpu_kernel_default();
}

lt_kernel
lt_kernel_set(lt_kernel k)
{
	(void)k;
	return lt_kernel_get();
}
