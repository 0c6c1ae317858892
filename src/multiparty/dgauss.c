/*
 * The discrete Gaussian N_Z(0, sigma^2), sigma^2 a positive integer
 * (Canonne, Kamath, Steinke, "The Discrete Gaussian for Differential
 * Privacy", NeurIPS 2020, Algorithms 1 to 3): Bernoulli trials of
 * exp(-gamma) for rational gamma, a discrete Laplace proposal of scale
 * t = floor(sigma) + 1, and rejection. Integers only, no floating point.
 *
 * Constant time. CKS's loops run a number of times that depends on the
 * sample; here every attempt does a fixed amount of work, and only whole
 * attempts repeat. An attempt of a rejection sampler is accepted or not
 * independently of what the accepted attempt holds (the first success of
 * independent trials is independent of its index), so the number of
 * attempts, the one thing the timing shows, says nothing of the sample.
 * Within an attempt:
 *   - a uniform integer in [0, m) is floor(R m / 2^256), R 256 random
 *     bits: within m / 2^256 <= 2^-167 of uniform (m < 2^89 here), by
 *     multiplications and carries only;
 *   - Bernoulli(exp(-k)) for an integer k is R < E_k, E_k = floor(2^256
 *     exp(-k)) (k <= 128, from a table computed once with GMP; k > 128
 *     gives 0, an error below exp(-128) = 2^-184), read by a scan of the
 *     whole table; the Laplace proposal's geometric part V, with
 *     P(V >= k) = exp(-k), is the number of k <= 128 with R < E_k;
 *   - Bernoulli(exp(-gamma)), gamma in [0, 1], is CKS's Algorithm 1
 *     unrolled to 48 trials (it runs past them with probability
 *     1/48! < 2^-203);
 *   - gamma's integer and fractional parts come from a constant-time
 *     long division.
 * Each sample is thus within 2^-160 of N_Z(0, sigma^2) in statistical
 * distance (docs/multiparty.md).
 */
#include <pthread.h>
#include <string.h>

#include <gmp.h>

#include "../core/error.h"
#include "mp.h"

#define EXP_TERMS 129 /* E_0 ... E_128 */
#define BERN01_TRIALS 48

static uint64_t exp_tab[EXP_TERMS][4]; /* E_k = floor(2^256 exp(-k)), little-endian 64-bit limbs */
static pthread_once_t exp_once = PTHREAD_ONCE_INIT;

/*
 * exp(-1) to 320 bits by its series (sum over j <= 80 of (-1)^j 2^320 / j!,
 * each term truncated: an error of at most 81 units of 2^-320), its powers
 * by truncated products (at most k (81 + 1) units for exp(-k)), then cut to
 * 256 bits: E_k is within one unit of 2^-256 of 2^256 exp(-k)
 */
static void
exp_table_init(void)
{
	mpz_t one, e1, term, acc, cur;
	mpz_inits(one, e1, term, acc, cur, NULL);
	mpz_set_ui(one, 1);
	mpz_mul_2exp(one, one, 320);
	mpz_set(term, one);
	mpz_set_ui(acc, 0);
	for (unsigned j = 0; j <= 80; j++) {
		if (j > 0)
			mpz_tdiv_q_ui(term, term, j);
		if (j & 1)
			mpz_sub(acc, acc, term);
		else
			mpz_add(acc, acc, term);
	}
	mpz_set(e1, acc);
	mpz_set(cur, one);
	for (unsigned k = 0; k < EXP_TERMS; k++) {
		if (k > 0) {
			mpz_mul(cur, cur, e1);
			mpz_tdiv_q_2exp(cur, cur, 320);
		}
		mpz_tdiv_q_2exp(acc, cur, 64);
		/* k = 0: exp(0) = 1 is 2^256, one beyond 256 bits: every R is below it, so all ones serves */
		if (k == 0) {
			for (int i = 0; i < 4; i++)
				exp_tab[k][i] = ~UINT64_C(0);
			continue;
		}
		for (int i = 0; i < 4; i++)
			exp_tab[k][i] = mpz_getlimbn(acc, i);
	}
	mpz_clears(one, e1, term, acc, cur, NULL);
}

void
lt_dgauss_exp_table(uint64_t out[][4], unsigned n)
{
	pthread_once(&exp_once, exp_table_init);
	memcpy(out, exp_tab, (n < EXP_TERMS ? n : EXP_TERMS) * sizeof(exp_tab[0]));
}

/* 1 when r < c, 256-bit little-endian, by the borrow of r - c */
static uint64_t
lt256(const uint64_t r[4], const uint64_t c[4])
{
	uint64_t borrow = 0;
	for (int i = 0; i < 4; i++) {
		const lt_u128 d = (lt_u128)r[i] - c[i] - borrow;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	return borrow;
}

/* 1 when a < b (both below 2^127) */
static uint64_t
lt128(lt_u128 a, lt_u128 b)
{
	return (uint64_t)((a - b) >> 127) & 1;
}

static void
draw(lt_prng *g, uint64_t r[4])
{
	lt_prng_bytes(g, r, 32);
}

/* floor(r m / 2^256): uniform in [0, m) within m / 2^256 */
static lt_u128
mulhi(const uint64_t r[4], lt_u128 m)
{
	uint64_t p[6] = { 0 };
	for (int j = 0; j < 2; j++) {
		const uint64_t mj = (uint64_t)(m >> (64 * j));
		uint64_t carry = 0;
		for (int i = 0; i < 4; i++) {
			const lt_u128 x = (lt_u128)r[i] * mj + p[i + j] + carry;
			p[i + j] = (uint64_t)x;
			carry = (uint64_t)(x >> 64);
		}
		p[4 + j] = carry;
	}
	return ((lt_u128)p[5] << 64) | p[4];
}

/* Bernoulli(n / m), 0 <= n <= m < 2^127 */
static uint64_t
bern(lt_prng *g, lt_u128 n, lt_u128 m)
{
	uint64_t r[4];
	draw(g, r);
	return lt128(mulhi(r, m), n);
}

/* Bernoulli(exp(-n / d)) for 0 <= n <= d < 2^89 (CKS Algorithm 1, unrolled) */
static uint64_t
bern_exp01(lt_prng *g, lt_u128 n, lt_u128 d)
{
	uint64_t go = 1, k = 1;
	for (unsigned j = 1; j <= BERN01_TRIALS; j++) {
		go &= bern(g, n, d * j);
		k += go;
	}
	return k & 1;
}

/* Bernoulli(exp(-k)) for an integer k >= 0: 0 for k > 128 */
static uint64_t
bern_exp_int(lt_prng *g, lt_u128 k)
{
	uint64_t r[4], c[4] = { 0, 0, 0, 0 };
	draw(g, r);
	for (unsigned i = 0; i < EXP_TERMS; i++) {
		/* mask all ones when i == k */
		const lt_u128 x = k ^ i;
		const uint64_t z = (uint64_t)(x | (x >> 64));
		const uint64_t m = ((z | (0 - z)) >> 63) - 1;
		for (int w = 0; w < 4; w++)
			c[w] |= exp_tab[i][w] & m;
	}
	return lt256(r, c); /* c stays 0 for k > 128 */
}

/* q = n / d, r = n mod d, for d < 2^126, by a long division without branches */
static void
divmod(lt_u128 n, lt_u128 d, lt_u128 *q, lt_u128 *r)
{
	lt_u128 qq = 0, rr = 0;
	for (int b = 127; b >= 0; b--) {
		rr = (rr << 1) | ((n >> b) & 1);
		const lt_u128 t = rr - d;
		const uint64_t ge = 1 ^ ((uint64_t)(t >> 127) & 1);
		const lt_u128 mask = (lt_u128)0 - ge;
		rr = (rr & ~mask) | (t & mask);
		qq |= (lt_u128)ge << b;
	}
	*q = qq;
	*r = rr;
}

/* Bernoulli(exp(-n / d)) for n < 2^127, 1 <= d < 2^89 */
static uint64_t
bern_exp(lt_prng *g, lt_u128 n, lt_u128 d)
{
	lt_u128 q, r;
	divmod(n, d, &q, &r);
	return bern_exp_int(g, q) & bern_exp01(g, r, d);
}

/*
 * One attempt of the discrete Laplace of scale t (CKS Algorithm 2 with
 * s = t): U uniform in [0, t), accepted with probability exp(-U / t);
 * V with P(V >= k) = exp(-k); X = U + t V; a sign, and X = 0 with the
 * negative sign rejected. Returns whether the attempt is accepted.
 */
static uint64_t
laplace_attempt(lt_prng *g, uint64_t t, int64_t *out)
{
	uint64_t r[4];
	draw(g, r);
	const uint64_t u = (uint64_t)mulhi(r, t);
	uint64_t acc = bern_exp01(g, u, t);
	draw(g, r);
	uint64_t v = 0;
	for (unsigned k = 1; k < EXP_TERMS; k++)
		v += lt256(r, exp_tab[k]);
	const uint64_t x = u + t * v;
	draw(g, r);
	const uint64_t b = r[0] & 1;
	const uint64_t nz = (x | (0 - x)) >> 63; /* 1 when x != 0 */
	acc &= nz | (b ^ 1);
	const uint64_t mask = 0 - b;
	*out = (int64_t)((x ^ mask) - mask);
	memset(r, 0, sizeof(r));
	return acc;
}

/* floor(sqrt(x)), of the public sigma^2 */
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
	pthread_once(&exp_once, exp_table_init);
	/* t = floor(sigma) + 1 (sigma^2 is public): accept Y with probability exp(-(|Y| - sigma^2 / t)^2 / (2 sigma^2)) */
	const uint64_t t = isqrt(sigma2) + 1;
	/* as integers: gamma = (|Y| t - sigma^2)^2 / (2 sigma^2 t^2); den < 2^83 for sigma^2 <= 2^40 */
	const lt_u128 den = (lt_u128)2 * sigma2 * t * t;
	for (;;) {
		int64_t y;
		while (!laplace_attempt(g, t, &y))
			;
		const uint64_t sm = (uint64_t)(y >> 63);
		const uint64_t ay = ((uint64_t)y ^ sm) - sm;
		/* |Y| < 130 t, so |Y| t < 2^49 and the square below 2^98 */
		const lt_u128 a = (lt_u128)ay * t, s2 = sigma2;
		const lt_u128 dm = (lt_u128)0 - lt128(a, s2);
		const lt_u128 diff = ((a - s2) & ~dm) | ((s2 - a) & dm);
		if (bern_exp(g, diff * diff, den))
			return y;
	}
}
