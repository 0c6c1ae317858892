#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

void *
lt_alloc(size_t n)
{
	/* aligned_alloc needs a size that is a multiple of the alignment */
	size_t sz = (n + LT_ALIGN - 1) & ~(size_t)(LT_ALIGN - 1);
	if (sz < n)
		return NULL;
	if (sz == 0)
		sz = LT_ALIGN;
	return aligned_alloc(LT_ALIGN, sz);
}

void *
lt_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *p = lt_alloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void
lt_free(void *p)
{
	free(p);
}

void
lt_memzero(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

void
lt_free_secret(void *p, size_t n)
{
	lt_memzero(p, n);
	free(p);
}
