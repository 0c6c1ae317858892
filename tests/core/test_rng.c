/*
 * Randomness: seeded expansion equals libsodium's ChaCha20-IETF keystream
 * computed independently, is deterministic, and differs across seeds and
 * streams.
 */
#include <criterion/criterion.h>

#include <string.h>

#include <sodium.h>

#include <lathe.h>

#include "common/util.h"
#include "core/prng.h"

Test(rng, expansion_is_chacha20_keystream)
{
	cr_assert_geq(sodium_init(), 0);
	uint8_t seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	uint8_t nonce[12] = { 0 };
	const uint32_t domain = 0x01020304u;
	const uint64_t index = 0x1122334455667788ull;
	for (int i = 0; i < 4; i++)
		nonce[i] = (uint8_t)(domain >> (8 * i));
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(index >> (8 * i));
	enum { LEN = 3000 };
	static uint8_t ref[LEN], got[LEN];
	crypto_stream_chacha20_ietf(ref, LEN, nonce, seed);
	lt_prng g;
	lt_prng_init(&g, seed, domain, index);
	/* read in uneven pieces: the stream must not depend on the chunking */
	size_t pos = 0, step = 1;
	while (pos < LEN) {
		size_t k = step < LEN - pos ? step : LEN - pos;
		lt_prng_bytes(&g, got + pos, k);
		pos += k;
		step = step * 3 + 1;
	}
	cr_assert_arr_eq(ref, got, LEN);
	lt_prng_clear(&g);
}

Test(rng, public_generator_is_deterministic_from_its_seed)
{
	uint8_t seed[LATHE_SEED_BYTES];
	cr_assert_eq(lathe_seed_random(seed), LATHE_OK);
	lathe_rng *a, *b, *c;
	cr_assert_eq(lathe_rng_new(&a, seed), LATHE_OK);
	cr_assert_eq(lathe_rng_new(&b, seed), LATHE_OK);
	seed[0] ^= 1;
	cr_assert_eq(lathe_rng_new(&c, seed), LATHE_OK);
	uint8_t x[256], y[256], z[256];
	cr_assert_eq(lathe_rng_bytes(a, x, sizeof x), LATHE_OK);
	cr_assert_eq(lathe_rng_bytes(b, y, 100), LATHE_OK);
	cr_assert_eq(lathe_rng_bytes(b, y + 100, 156), LATHE_OK);
	cr_assert_eq(lathe_rng_bytes(c, z, sizeof z), LATHE_OK);
	cr_assert_arr_eq(x, y, sizeof x);
	cr_assert_arr_neq(x, z, sizeof x);
	lathe_rng_free(a);
	lathe_rng_free(b);
	lathe_rng_free(c);
}

Test(rng, os_seeds_differ)
{
	uint8_t s1[LATHE_SEED_BYTES], s2[LATHE_SEED_BYTES];
	cr_assert_eq(lathe_seed_random(s1), LATHE_OK);
	cr_assert_eq(lathe_seed_random(s2), LATHE_OK);
	cr_assert_arr_neq(s1, s2, sizeof s1);
	lathe_rng *r1, *r2;
	cr_assert_eq(lathe_rng_new(&r1, NULL), LATHE_OK);
	cr_assert_eq(lathe_rng_new(&r2, NULL), LATHE_OK);
	uint8_t a[64], b[64];
	cr_assert_eq(lathe_rng_bytes(r1, a, 64), LATHE_OK);
	cr_assert_eq(lathe_rng_bytes(r2, b, 64), LATHE_OK);
	cr_assert_arr_neq(a, b, 64);
	lathe_rng_free(r1);
	lathe_rng_free(r2);
}

Test(rng, streams_differ_by_domain_and_index)
{
	uint8_t seed[32] = { 9 };
	lt_prng g1, g2, g3;
	lt_prng_init(&g1, seed, 1, 5);
	lt_prng_init(&g2, seed, 2, 5);
	lt_prng_init(&g3, seed, 1, 6);
	uint64_t a = lt_prng_u64(&g1), b = lt_prng_u64(&g2), c = lt_prng_u64(&g3);
	cr_assert_neq(a, b);
	cr_assert_neq(a, c);
}
