/*
 * The discrete Gaussian N_Z(0, sigma^2), sigma^2 a positive integer,
 * sampled exactly (Canonne, Kamath, Steinke, "The Discrete Gaussian for
 * Differential Privacy", NeurIPS 2020, Algorithms 1 to 3): Bernoulli
 * trials of exp(-gamma) for rational gamma, a discrete Laplace proposal
 * of scale t = floor(sigma) + 1, and rejection. Integers and rationals
 * only, no floating point; the uniform integers come from a ChaCha20
 * stream by rejection, so every probability is exact.
 *
 * Timing: the rejection loops run a number of times that depends on the
 * random draws, and some on the sample's value (the Laplace proposal's
 * geometric part); docs/multiparty.md says what this leaks.
 */
#include "../core/error.h"
#include "mp.h"

/* uniform in [0, m), m >= 1, exactly: rejection of the top of 2^128 */
static lt_u128
unif(lt_prng *g, lt_u128 m)
{
	const lt_u128 lim = ~(lt_u128)0 - (~(lt_u128)0 % m);
	for (;;) {
		uint64_t w[2];
		lt_prng_bytes(g, w, sizeof(w));
		lt_u128 x = ((lt_u128)w[1] << 64) | w[0];
		if (x < lim)
			return x % m;
	}
}

/* Bernoulli(n / d), 0 <= n <= d, d >= 1 */
static int
bern(lt_prng *g, lt_u128 n, lt_u128 d)
{
	return unif(g, d) < n;
}

/* Bernoulli(exp(-n / d)) for 0 <= n <= d (CKS Algorithm 1, gamma in [0, 1]) */
static int
bern_exp01(lt_prng *g, lt_u128 n, lt_u128 d)
{
	unsigned k = 1;
	/* d k stays below 2^128: d < 2^100 (the callers'), k < 2^20 with overwhelming probability */
	while (bern(g, n, d * k))
		k++;
	return k & 1;
}

/* Bernoulli(exp(-n / d)) for any n >= 0 (CKS Algorithm 1) */
static int
bern_exp(lt_prng *g, lt_u128 n, lt_u128 d)
{
	for (lt_u128 i = n / d; i > 0; i--)
		if (!bern_exp01(g, 1, 1))
			return 0;
	return bern_exp01(g, n % d, d);
}

/* discrete Laplace of scale t, P(x) proportional to exp(-|x| / t) (CKS Algorithm 2, s = t, u = 1) */
static int64_t
laplace(lt_prng *g, uint64_t t)
{
	for (;;) {
		const uint64_t u = (uint64_t)unif(g, t);
		if (!bern_exp(g, u, t))
			continue;
		uint64_t v = 0;
		while (bern_exp(g, 1, 1))
			v++;
		const uint64_t x = u + t * v;
		const int b = bern(g, 1, 2);
		if (b && x == 0)
			continue;
		return b ? -(int64_t)x : (int64_t)x;
	}
}

/* floor(sqrt(x)) */
static uint64_t
isqrt(uint64_t x)
{
	uint64_t r = 0;
	for (uint64_t bit = UINT64_C(1) << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

int64_t
lt_dgauss(lt_prng *g, uint64_t sigma2)
{
	/* t = floor(sigma) + 1; accept Y with probability exp(-(|Y| - sigma^2 / t)^2 / (2 sigma^2)) */
	const uint64_t t = isqrt(sigma2) + 1;
	/* as integers: gamma = (|Y| t - sigma^2)^2 / (2 sigma^2 t^2) */
	const lt_u128 den = (lt_u128)2 * sigma2 * t * t;
	for (;;) {
		const int64_t y = laplace(g, t);
		const uint64_t ay = y < 0 ? (uint64_t)-y : (uint64_t)y;
		const lt_u128 a = (lt_u128)ay * t;
		const lt_u128 diff = a > sigma2 ? a - sigma2 : sigma2 - a;
		if (bern_exp(g, diff * diff, den))
			return y;
	}
}
