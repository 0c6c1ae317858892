#include "mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* allocations left before the hook makes them fail; < 0: never */
static _Atomic long fail_countdown = -1;

void
lt_mem_fail_after(long n)
{
	atomic_store(&fail_countdown, n < 0 ? -1 : n);
}

/* 1 when the hook says this allocation fails */
static int
hook_fails(void)
{
	long c = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
	if (c < 0)
		return 0;
	if (c == 0)
		return 1;
	atomic_fetch_sub(&fail_countdown, 1);
	return 0;
}

void *
lt_malloc(size_t n)
{
	return hook_fails() ? NULL : malloc(n ? n : 1);
}

void *
lt_alloc(size_t n)
{
	if (hook_fails())
		return NULL;
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
	const size_t n = count * size;
	unsigned char *p = lt_alloc(n);
	if (!p)
		return NULL;
	/*
	 * a ciphertext at N = 2^16 is tens of MB: the threads zero (and so
	 * fault in) 1 MiB pieces each, rather than one thread all of it
	 */
	const size_t piece = (size_t)1 << 20, np = (n + piece - 1) / piece;
#pragma omp parallel for schedule(static) if (np >= 8)
	for (size_t i = 0; i < np; i++)
		memset(p + i * piece, 0, i + 1 < np ? piece : n - i * piece);
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
