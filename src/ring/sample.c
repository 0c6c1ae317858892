#include "sample.h"

#include <assert.h>
#include <string.h>

#include "../core/mem.h"
#include "modarith.h"

void
lt_sample_uniform(lt_poly *p, const uint8_t seed[LT_SEED_BYTES], uint32_t stream)
{
	assert(p && p->c && p->mod && seed && "uniform sampler: NULL argument or uninitialised polynomial");
	const size_t n = p->n;
	const unsigned k = p->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_sample_uniform_limb(lt_poly_limb(p, i), n, p->mod[i], seed, stream);
}

void
lt_sample_uniform_limb(uint64_t *d, size_t n, const lt_modulus *m, const uint8_t seed[LT_SEED_BYTES],
                       uint32_t stream)
{
	const uint64_t q = m->q;
	const uint64_t mask = (m->bits >= 64) ? ~UINT64_C(0) : (UINT64_C(1) << m->bits) - 1;
	lt_prng g;
	lt_prng_init(&g, seed, LT_DOMAIN_UNIFORM + stream, q);
	uint64_t buf[64];
	size_t have = 0, pos = 0;
	for (size_t j = 0; j < n;) {
		if (pos == have) {
			lt_prng_bytes(&g, buf, sizeof(buf));
			have = sizeof(buf) / sizeof(buf[0]);
			pos = 0;
		}
		/* little-endian words from the keystream */
		uint64_t w = buf[pos++];
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		w &= mask;
		if (w < q)
			d[j++] = w;
	}
	lt_prng_clear(&g);
}

/* floor(x * m / 2^64): a value in [0, m), bias <= m / 2^64. CT: yes. */
static inline uint64_t
scale_u64(uint64_t x, uint64_t m)
{
	return lt_mulhi(x, m);
}

void
lt_sample_ternary(int8_t *s, size_t n, lt_prng *g)
{
	uint64_t buf[64];
	for (size_t j0 = 0; j0 < n; j0 += 64) {
		size_t kn = n - j0 < 64 ? n - j0 : 64;
		lt_prng_bytes(g, buf, kn * sizeof(uint64_t));
		for (size_t k = 0; k < kn; k++)
			s[j0 + k] = (int8_t)((int)scale_u64(buf[k], 3) - 1);
	}
	lt_memzero(buf, sizeof(buf));
}

/* Portable constant-time population count of a 64-bit word. */
static inline unsigned
popcount_ct(uint64_t x)
{
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

void
lt_sample_cbd(int8_t *e, size_t n, lt_prng *g)
{
	const uint64_t m21 = (UINT64_C(1) << LT_CBD_ETA) - 1;
	uint64_t buf[64];
	for (size_t j0 = 0; j0 < n; j0 += 64) {
		size_t kn = n - j0 < 64 ? n - j0 : 64;
		lt_prng_bytes(g, buf, kn * sizeof(uint64_t));
		for (size_t k = 0; k < kn; k++) {
			uint64_t w = buf[k];
			int a = (int)popcount_ct(w & m21);
			int b = (int)popcount_ct((w >> LT_CBD_ETA) & m21);
			e[j0 + k] = (int8_t)(a - b);
		}
	}
	lt_memzero(buf, sizeof(buf));
}

/* -1 (all ones) when a == b, else 0. CT: yes. */
static inline int8_t
eq_mask8(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ b;
	uint64_t nz = (x | ((uint64_t)0 - x)) >> 63; /* 1 when a != b */
	return (int8_t)((int64_t)nz - 1);
}

void
lt_sample_hwt(int8_t *s, size_t n, size_t h, lt_prng *g)
{
	/*
	 * Fisher-Yates restricted to the last h positions: for i = n-h .. n-1,
	 * draw j uniform in [0, i], set s[i] = s[j] and s[j] = +-1. Every read
	 * and write scans the whole array with masks, so the memory trace is
	 * independent of the secret positions.
	 */
	assert(h <= n && "fixed-weight sampler: more nonzero coefficients than coefficients");
	memset(s, 0, n);
	for (size_t i = n - h; i < n; i++) {
		uint64_t r = lt_prng_u64(g);
		uint64_t bit = lt_prng_u64(g) & 1;
		uint64_t j = scale_u64(r, (uint64_t)i + 1);
		int8_t v = (int8_t)(1 - 2 * (int)bit);
		int8_t sj = 0;
		for (size_t t = 0; t <= i; t++)
			sj = (int8_t)(sj | (s[t] & eq_mask8(t, j)));
		/* s[i] is still 0 here; s[i] <- s[j], then s[j] <- v (j may equal i) */
		s[i] = sj;
		for (size_t t = 0; t <= i; t++) {
			int8_t eq = eq_mask8(t, j);
			s[t] = (int8_t)((s[t] & ~eq) | (v & eq));
		}
	}
}
