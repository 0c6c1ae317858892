/*
 * Memory: 64-byte-aligned allocation, and zeroizing release for secrets.
 */
#ifndef LT_MEM_H
#define LT_MEM_H

#include <stddef.h>

#define LT_ALIGN 64

/* 64-byte-aligned allocation of n bytes (n may be 0); NULL on failure. */
void *lt_alloc(size_t n);

/* Same, zero-filled. */
void *lt_calloc(size_t count, size_t size);

/* Plain malloc (no alignment) that the failing-allocator hook also covers; free with free(). */
void *lt_malloc(size_t n);

/*
 * Failing-allocator hook for tests (FLINT's memory-function hooks serve the
 * same purpose): after n more successful allocations, every lt_alloc,
 * lt_calloc and lt_malloc fails until the hook is reset with n < 0 (the
 * default: never fail). Shared by all threads; meant for tests that
 * provoke LATHE_ENOMEM on every allocation of an operation.
 */
void lt_mem_fail_after(long n);

/* Frees memory from lt_alloc / lt_calloc. NULL-safe. */
void lt_free(void *p);

/* Zeroizes n bytes (sodium_memzero), then frees. For secret material. */
void lt_free_secret(void *p, size_t n);

/* Zeroizes n bytes in a way the compiler cannot elide. */
void lt_memzero(void *p, size_t n);

#endif
