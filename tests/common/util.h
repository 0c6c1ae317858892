/*
 * Shared helpers for the test suite: a reproducible seed (printed, and
 * settable with LATHE_TEST_SEED), a trial multiplier (LATHE_TEST_MULT),
 * random words, and rings built from generated primes.
 */
#ifndef LT_TEST_UTIL_H
#define LT_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/prng.h"
#include "ring/ring.h"

/* The run's seed: LATHE_TEST_SEED if set, else random; printed once on stderr. */
uint64_t test_seed(void);

/* Number of trials scaled by LATHE_TEST_MULT (default 1). */
unsigned test_mult(unsigned base);

/* A generator for stream `stream` of the run's seed. */
void test_prng(lt_prng *g, uint32_t stream);

/* Uniform in [0, bound), bound > 0 (tiny bias is irrelevant for tests). */
uint64_t test_rand(lt_prng *g, uint64_t bound);

/* Fills v[0..n) with uniform words in [0, q). */
void test_rand_vec(lt_prng *g, uint64_t *v, size_t n, uint64_t q);

/*
 * Builds ring r of degree 2^logn with k primes whose bit sizes are bits[i],
 * distinct, generated with lt_primes_gen. Returns the status.
 */
int test_ring(lt_ring *r, unsigned logn, const unsigned *bits, unsigned k);

#endif
