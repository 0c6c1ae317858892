/*
 * Samplers: moments within 5 sigma of the expected values over 2^20 draws,
 * chi-square for uniform residues, exact weight for fixed Hamming weight,
 * determinism from the seed, and the asserted preconditions.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <signal.h>
#include <string.h>

#include "common/util.h"
#include "core/mem.h"
#include "ring/sample.h"

#define DRAWS (1u << 20)

static void
moments(const int8_t *v, size_t n, double *mean, double *m2)
{
	double s = 0, s2 = 0;
	for (size_t i = 0; i < n; i++) {
		s += v[i];
		s2 += (double)v[i] * v[i];
	}
	*mean = s / (double)n;
	*m2 = s2 / (double)n;
}

Test(sample, ternary_moments)
{
	lt_prng g;
	test_prng(&g, 80);
	int8_t *s = lt_alloc(DRAWS);
	lt_sample_ternary(s, DRAWS, &g);
	size_t cnt[3] = { 0 };
	for (size_t i = 0; i < DRAWS; i++) {
		cr_assert(s[i] >= -1 && s[i] <= 1);
		cnt[s[i] + 1]++;
	}
	double mean, m2;
	moments(s, DRAWS, &mean, &m2);
	/* mean 0, var 2/3; E[s^2] = 2/3 with Var(s^2) = 2/9 */
	cr_assert_lt(fabs(mean), 5 * sqrt(2.0 / 3 / DRAWS), "mean %g", mean);
	cr_assert_lt(fabs(m2 - 2.0 / 3), 5 * sqrt(2.0 / 9 / DRAWS), "second moment %g", m2);
	for (int i = 0; i < 3; i++)
		cr_assert_lt(fabs((double)cnt[i] - DRAWS / 3.0), 5 * sqrt(DRAWS * 2.0 / 9), "value %d: %zu", i - 1,
		             cnt[i]);
	lt_free(s);
}

Test(sample, centered_binomial_moments)
{
	lt_prng g;
	test_prng(&g, 81);
	int8_t *e = lt_alloc(DRAWS);
	lt_sample_cbd(e, DRAWS, &g);
	for (size_t i = 0; i < DRAWS; i++)
		cr_assert(e[i] >= -LT_CBD_ETA && e[i] <= LT_CBD_ETA);
	double mean, m2;
	moments(e, DRAWS, &mean, &m2);
	/* eta = 21: variance 10.5 (sigma 3.24 >= 3.19); E[e^4] = 325.5, so Var(e^2) = 215.25 */
	cr_assert_lt(fabs(mean), 5 * sqrt(10.5 / DRAWS), "mean %g", mean);
	cr_assert_lt(fabs(m2 - 10.5), 5 * sqrt(215.25 / DRAWS), "variance %g", m2);
	lt_free(e);
}

Test(sample, fixed_hamming_weight)
{
	lt_prng g;
	test_prng(&g, 82);
	const size_t n = 1024;
	const size_t hs[] = { 0, 1, 64, 192, 1024 };
	for (int hi = 0; hi < 5; hi++) {
		size_t h = hs[hi];
		int8_t *s = lt_alloc(n);
		lt_sample_hwt(s, n, h, &g);
		size_t w = 0;
		for (size_t i = 0; i < n; i++) {
			cr_assert(s[i] >= -1 && s[i] <= 1);
			w += s[i] != 0;
		}
		cr_assert_eq(w, h, "weight %zu, asked %zu", w, h);
		lt_free(s);
	}
	/* positions and signs: over T draws of weight 64 in 256 slots each position is hit
	   with probability 1/4; signs are balanced */
	const size_t m = 256, h = 64, T = 4096;
	size_t hits[256] = { 0 };
	long sign = 0;
	int8_t s[256];
	for (size_t t = 0; t < T; t++) {
		lt_sample_hwt(s, m, h, &g);
		for (size_t i = 0; i < m; i++) {
			hits[i] += s[i] != 0;
			sign += s[i];
		}
	}
	const double p = (double)h / (double)m, dT = (double)T, sd = sqrt(dT * p * (1 - p));
	for (size_t i = 0; i < m; i++)
		cr_assert_lt(fabs((double)hits[i] - dT * p), 5.5 * sd, "position %zu hit %zu times", i, hits[i]);
	cr_assert_lt(fabs((double)sign), 5 * sqrt(dT * (double)h), "sign sum %ld", sign);
}

Test(sample, uniform_chi_square_and_determinism)
{
	static const unsigned bits[] = { 30, 45, 50, 61 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, 14, bits, 4), LATHE_OK);
	const size_t n = r.n;
	uint8_t seed[32] = { 1, 2, 3 };
	lt_poly a, b, c;
	cr_assert_eq(lt_poly_init(&a, n, r.modp, 4), LATHE_OK);
	cr_assert_eq(lt_poly_init(&b, n, r.modp, 4), LATHE_OK);
	cr_assert_eq(lt_poly_init(&c, n, r.modp, 4), LATHE_OK);
	enum { BUCKETS = 256 };
	for (unsigned i = 0; i < 4; i++) {
		double cnt[BUCKETS] = { 0 };
		size_t total = 0;
		for (unsigned rep = 0; rep < DRAWS / n; rep++) {
			seed[31] = (uint8_t)rep;
			lt_sample_uniform(&a, seed, 7);
			const uint64_t *d = lt_poly_limb(&a, i);
			for (size_t j = 0; j < n; j++) {
				cr_assert_lt(d[j], r.mod[i].q);
				cnt[(size_t)(((lt_u128)d[j] * BUCKETS) / r.mod[i].q)]++;
				total++;
			}
		}
		double e = (double)total / BUCKETS, chi = 0;
		for (int k = 0; k < BUCKETS; k++)
			chi += (cnt[k] - e) * (cnt[k] - e) / e;
		/* 255 degrees of freedom: mean 255, sd sqrt(510) */
		cr_assert_lt(chi, 255 + 5 * sqrt(510.0), "limb %u: chi^2 = %g", i, chi);
	}
	/* same seed -> same polynomial; another seed or stream -> another one */
	seed[31] = 0;
	lt_sample_uniform(&a, seed, 7);
	lt_sample_uniform(&b, seed, 7);
	cr_assert_arr_eq(a.c, b.c, 4 * n * 8);
	lt_sample_uniform(&c, seed, 8);
	cr_assert_arr_neq(a.c, c.c, n * 8);
	seed[0] ^= 0x80;
	lt_sample_uniform(&c, seed, 7);
	cr_assert_arr_neq(a.c, c.c, n * 8);
	seed[0] ^= 0x80;
	/* a limb depends on its prime, not on its position in the basis */
	const lt_modulus *rev[4] = { r.modp[3], r.modp[2], r.modp[1], r.modp[0] };
	lt_poly d;
	cr_assert_eq(lt_poly_init(&d, n, rev, 4), LATHE_OK);
	lt_sample_uniform(&d, seed, 7);
	for (unsigned i = 0; i < 4; i++)
		cr_assert_arr_eq(lt_poly_limb(&a, i), lt_poly_limb(&d, 3 - i), n * 8);
	lt_poly_clear(&a);
	lt_poly_clear(&b);
	lt_poly_clear(&c);
	lt_poly_clear(&d);
	lt_ring_clear(&r);
}

Test(sample, secret_samplers_are_deterministic_from_the_stream)
{
	uint8_t seed[32] = { 42 };
	int8_t x[4096], y[4096];
	lt_prng g;
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_ternary(x, 4096, &g);
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_ternary(y, 4096, &g);
	cr_assert_arr_eq(x, y, 4096);
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_cbd(x, 4096, &g);
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_cbd(y, 4096, &g);
	cr_assert_arr_eq(x, y, 4096);
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_hwt(x, 4096, 64, &g);
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_hwt(y, 4096, 64, &g);
	cr_assert_arr_eq(x, y, 4096);
	lt_prng_clear(&g);
}

/*
 * Misuse breaks a sampler's precondition, which an assert catches: these
 * tests exist only when NDEBUG is not defined (debug and debugoptimized
 * builds); release builds compile the asserts out.
 */
#ifndef NDEBUG
Test(sample, uniform_into_null_asserts, .signal = SIGABRT)
{
	uint8_t seed[32] = { 1 };
	lt_sample_uniform(NULL, seed, 7);
}

Test(sample, uniform_from_null_seed_asserts, .signal = SIGABRT)
{
	static const unsigned bits[] = { 50 };
	lt_ring r;
	lt_poly a;
	cr_assert_eq(test_ring(&r, 4, bits, 1), LATHE_OK);
	cr_assert_eq(lt_poly_init(&a, r.n, r.modp, 1), LATHE_OK);
	lt_sample_uniform(&a, NULL, 7);
}

Test(sample, weight_above_length_asserts, .signal = SIGABRT)
{
	uint8_t seed[32] = { 1 };
	int8_t s[16];
	lt_prng g;
	lt_prng_init(&g, seed, 1, 0);
	lt_sample_hwt(s, 16, 17, &g);
}
#endif
