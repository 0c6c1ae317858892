#include <lathe/runtime.h>

#include <stdlib.h>

#include <omp.h>

#include "error.h"

lathe_status
lathe_set_threads(int n)
{
	if (n < 0)
		return lt_fail(LATHE_EINVAL, "lathe_set_threads: n = %d is negative", n);
	if (n > LATHE_THREADS_MAX)
		return lt_fail(LATHE_EINVAL, "lathe_set_threads: n = %d is above the limit of %d threads", n,
		               LATHE_THREADS_MAX);
	if (n == 0) {
		const char *env = getenv("OMP_NUM_THREADS");
		long v = env ? strtol(env, NULL, 10) : 0;
		n = v > 0 && v <= LATHE_THREADS_MAX ? (int)v : omp_get_num_procs();
		if (n > LATHE_THREADS_MAX)
			n = LATHE_THREADS_MAX;
	}
	omp_set_num_threads(n);
	return LATHE_OK;
}

int
lathe_get_threads(void)
{
	return omp_get_max_threads();
}
