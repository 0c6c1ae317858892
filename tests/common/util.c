#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ring/modarith.h"
#include "ring/primes.h"

static uint64_t seed_value;
static int seed_set;

uint64_t
test_seed(void)
{
	if (!seed_set) {
		const char *env = getenv("LATHE_TEST_SEED");
		if (env && *env) {
			seed_value = strtoull(env, NULL, 0);
		} else {
			if (sodium_init() < 0)
				abort();
			randombytes_buf(&seed_value, sizeof(seed_value));
		}
		seed_set = 1;
		fprintf(stderr, "LATHE_TEST_SEED=%llu\n", (unsigned long long)seed_value);
	}
	return seed_value;
}

unsigned
test_mult(unsigned base)
{
	const char *env = getenv("LATHE_TEST_MULT");
	unsigned m = 1;
	if (env && *env) {
		long v = strtol(env, NULL, 10);
		if (v > 0)
			m = (unsigned)v;
	}
	return base * m;
}

void
test_prng(lt_prng *g, uint32_t stream)
{
	uint8_t key[LT_SEED_BYTES] = { 0 };
	uint64_t s = test_seed();
	memcpy(key, &s, sizeof(s));
	lt_prng_init(g, key, 0x74657374u, stream);
}

uint64_t
test_rand(lt_prng *g, uint64_t bound)
{
	return lt_mulhi(lt_prng_u64(g), bound);
}

void
test_rand_vec(lt_prng *g, uint64_t *v, size_t n, uint64_t q)
{
	for (size_t i = 0; i < n; i++)
		v[i] = test_rand(g, q);
}

int
test_ring(lt_ring *r, unsigned logn, const unsigned *bits, unsigned k)
{
	uint64_t q[LT_MAX_MODULI];
	for (unsigned i = 0; i < k; i++) {
		lathe_status s = lt_primes_gen(&q[i], 1, bits[i], logn, q, i);
		if (s)
			return (int)s;
	}
	return (int)lt_ring_init(r, (size_t)1 << logn, q, k);
}
