/*
 * The overflow bound of the raw modulus switch (internal.h; BOOTSTRAP.md
 * §2 Step 3 and Correction 3): the exact Irwin-Hall tail, as OpenFHE
 * computes it for its sparse encapsulation, in integers. With n = h + 1
 * and z = n/2 - B - 1/2 = (h - 2B)/2,
 *     IH_n(z) = 1/n! sum_{k=0..floor(z)} (-1)^k C(n,k) (z - k)^n
 *             = S / (2^n n!),  S = sum_k (-1)^k C(n,k) (h - 2B - 2k)^n,
 * and the union bound 2^log2_coeffs * 2 IH_n(z) <= 2^-fail_bits reads
 *     S 2^(log2_coeffs + 1 + fail_bits) <= 2^n n!,
 * compared exactly (FLINT integers). The uniform model of a_i / q' on
 * [-1/2, 1/2] is that of the centred residues, exact up to 1/q' per term.
 */
#include <math.h>

#include <flint/fmpz.h>

#include "../core/error.h"
#include "internal.h"

/*
 * S(h, x2) = sum_k (-1)^k C(n,k) (h + 1 - x2 - 2k)^n for the tail
 * P(S >= x), x = x2 / 2 (z = n/2 - x = (h + 1 - x2) / 2); 0 when z <= 0
 */
static void
ih_sum2(fmpz_t S, unsigned h, unsigned x2)
{
	const unsigned n = h + 1;
	fmpz_zero(S);
	if (x2 >= n)
		return;
	fmpz_t c, v;
	fmpz_init(c);
	fmpz_init(v);
	/* k runs while z - k > 0, i.e. 2k < n - x2 */
	for (unsigned k = 0; 2 * k < n - x2; k++) {
		fmpz_bin_uiui(c, n, k);
		fmpz_set_ui(v, n - x2 - 2 * k);
		fmpz_pow_ui(v, v, n);
		fmpz_mul(v, v, c);
		if (k & 1)
			fmpz_sub(S, S, v);
		else
			fmpz_add(S, S, v);
	}
	fmpz_clear(c);
	fmpz_clear(v);
}

/* S for (h, B): the tail P(S >= B + 1/2) */
static void
ih_sum(fmpz_t S, unsigned h, unsigned B)
{
	ih_sum2(S, h, 2 * B + 1);
}

static double
log2_fmpz(const fmpz_t x)
{
	slong ex = 0;
	double d = fmpz_get_d_2exp(&ex, x);
	return log2(d) + (double)ex;
}

double
lt_boot_sum_tail_log2(unsigned h, unsigned x2)
{
	if (h == 0 || h > 2048)
		return NAN;
	const unsigned n = h + 1;
	fmpz_t S, fac;
	fmpz_init(S);
	fmpz_init(fac);
	ih_sum2(S, h, x2);
	fmpz_fac_ui(fac, n);
	const double r = fmpz_is_zero(S) ? -INFINITY : log2_fmpz(S) + 1.0 - (double)n - log2_fmpz(fac);
	fmpz_clear(S);
	fmpz_clear(fac);
	return r;
}

double
lt_boot_overflow_tail_log2(unsigned h, unsigned B)
{
	return lt_boot_sum_tail_log2(h, 2 * B + 1);
}

lathe_status
lt_boot_overflow_bound(unsigned h, unsigned log2_coeffs, unsigned fail_bits, unsigned *B, double *tail_log2)
{
	const char *fn = "lt_boot_overflow_bound";
	if (!B)
		return lt_fail(LATHE_EINVAL, "%s: argument 'B' is NULL", fn);
	if (h == 0 || h > 2048)
		return lt_fail(LATHE_EINVAL, "%s: Hamming weight %u (1 to 2048)", fn, h);
	if (log2_coeffs > 20)
		return lt_fail(LATHE_EINVAL, "%s: 2^%u coefficients (at most 2^20)", fn, log2_coeffs);
	if (fail_bits == 0 || fail_bits > 1024)
		return lt_fail(LATHE_EINVAL, "%s: failure 2^-%u (1 to 1024 bits)", fn, fail_bits);
	const unsigned n = h + 1;
	fmpz_t S, lhs, rhs, fac;
	fmpz_init(S);
	fmpz_init(lhs);
	fmpz_init(rhs);
	fmpz_init(fac);
	fmpz_fac_ui(fac, n);
	fmpz_mul_2exp(rhs, fac, n);
	unsigned b = 0;
	for (;; b++) {
		ih_sum(S, h, b);
		fmpz_mul_2exp(lhs, S, log2_coeffs + 1 + fail_bits);
		if (fmpz_cmp(lhs, rhs) <= 0)
			break;
	}
	*B = b;
	if (tail_log2) {
		/* log2(2^log2_coeffs * 2 S / (2^n n!)); -inf for an empty tail */
		*tail_log2 = fmpz_is_zero(S) ? -INFINITY
		                             : log2_fmpz(S) + (double)log2_coeffs + 1.0 - (double)n - log2_fmpz(fac);
	}
	fmpz_clear(S);
	fmpz_clear(lhs);
	fmpz_clear(rhs);
	fmpz_clear(fac);
	return LATHE_OK;
}

/*
 * The cyclic slots of p = 3 mod 4 (slotmap.c): slot k > 0 ends with
 * J_i1 +- J_i2, i1 = (d/2) k, i2 = N - i1, two roundings of sums of h + 1
 * uniforms each. A residue u of a1 enters both sums when j and j + delta
 * (delta = i2 - i1) are both in the support of s': with D such j, the
 * pair is T + e, |e| <= 1, T a sum of 2(h + 1) - 2D uniforms on
 * [-1/2, 1/2] and D on [-1, 1] (weight 2; a weight 0 only narrows the tail,
 * by Anderson's inequality), so |J_i1 +- J_i2| > B needs |T| >= B.
 *
 * The tail of T, exactly: for n1 uniforms of width 1 and n2 of width 2
 * (n = n1 + n2), the distribution function of a sum of uniforms gives
 *     P(T >= B) = S / (2^n n! 2^n2),
 *     S = sum_{a, b} (-1)^(a+b) C(n1,a) C(n2,b) (n1 + 2 n2 - 2B - 2a - 4b)_+^n.
 * It grows with n2 at fixed n1 + 2 n2: U1 + U2 is more peaked than 2U,
 * and peakedness survives convolution with symmetric unimodal terms
 * (Birnbaum, "On random variables with comparable peakedness", Ann. Math.
 * Statist. 19, 1948), so the largest D allowed bounds all smaller ones.
 */
double
lt_boot_mixed_tail_log2(unsigned n1, unsigned n2, unsigned B)
{
	if (n1 + n2 == 0 || n1 + n2 > 4096)
		return NAN;
	const unsigned n = n1 + n2;
	fmpz_t S, c1, c2, v, fac;
	fmpz_init(S);
	fmpz_init(c1);
	fmpz_init(c2);
	fmpz_init(v);
	fmpz_init(fac);
	const long top = (long)n1 + 2 * (long)n2 - 2 * (long)B;
	for (unsigned a = 0; a <= n1; a++)
		for (unsigned b = 0; b <= n2; b++) {
			const long z = top - 2 * (long)a - 4 * (long)b;
			if (z <= 0)
				continue;
			fmpz_bin_uiui(c1, n1, a);
			fmpz_bin_uiui(c2, n2, b);
			fmpz_set_ui(v, (ulong)z);
			fmpz_pow_ui(v, v, n);
			fmpz_mul(v, v, c1);
			fmpz_mul(v, v, c2);
			if ((a + b) & 1)
				fmpz_sub(S, S, v);
			else
				fmpz_add(S, S, v);
		}
	fmpz_fac_ui(fac, n);
	/* two-sided: 2 P(T >= B) */
	const double r = fmpz_sgn(S) <= 0 ? -INFINITY
	                                  : log2_fmpz(S) + 1.0 - (double)n - (double)n2 - log2_fmpz(fac);
	fmpz_clear(S);
	fmpz_clear(c1);
	fmpz_clear(c2);
	fmpz_clear(v);
	fmpz_clear(fac);
	return r;
}

static double
log2_add(double a, double b)
{
	if (a == -INFINITY)
		return b;
	if (b == -INFINITY)
		return a;
	const double m = a > b ? a : b;
	return m + log2(exp2(a - m) + exp2(b - m));
}

/* log2 of n! and of C(n, k), from lgamma (used only in the upper bound below, with its margin) */
static double
log2_fact(double n)
{
	return lgamma(n + 1) / log(2.0);
}

/*
 * An upper bound on log2 P(D >= M) for one slot, s' of weight h uniform
 * among the supports of N positions: D >= M needs a set A of M support
 * positions with A + delta in the support too. A splits into c open
 * chains j, j + delta, .., (A + delta adds c new positions) and q closed
 * cycles, whole orbits of delta of length L (a power of two, N / gcd(delta, N)).
 * A fixed set of s positions is in the support with probability
 * C(N - s, h - s) / C(N, h) <= (h / N)^s, and there are at most
 * C(N/L, q) C(N, c) C(M - qL - 1, c - 1) such A, so
 *     P(D >= M) <= max_L sum_{q, c} (N/L)^q / q! N^c / c! C(M - qL - 1, c - 1) (h/N)^(M + c).
 */
double
lt_boot_collision_log2(unsigned logn, unsigned h, unsigned M)
{
	if (h == 0 || M == 0)
		return NAN;
	const double lN = (double)logn, lr = log2((double)h) - lN;
	double worst = -INFINITY;
	for (unsigned ll = 1; ll <= logn; ll++) {
		const unsigned L = 1u << ll;
		double acc = -INFINITY;
		for (unsigned q = 0; q * L <= M; q++) {
			const unsigned rest = M - q * L;
			const double lq = (double)q * (lN - (double)ll) - log2_fact(q);
			if (rest == 0) {
				acc = log2_add(acc, lq + (double)M * lr);
				continue;
			}
			for (unsigned c = 1; c <= rest; c++) {
				const double lc = (double)c * lN - log2_fact(c) + log2_fact(rest - 1) - log2_fact(c - 1) -
				                  log2_fact(rest - c);
				acc = log2_add(acc, lq + lc + (double)(M + c) * lr);
			}
		}
		if (acc > worst)
			worst = acc;
	}
	return worst;
}

lathe_status
lt_boot_pair_bound(unsigned logn, unsigned h, unsigned log2_slots, unsigned fail_bits, unsigned *B, unsigned *M,
                   double *tail_log2)
{
	const char *fn = "lt_boot_pair_bound";
	if (!B)
		return lt_fail(LATHE_EINVAL, "%s: argument 'B' is NULL", fn);
	if (h == 0 || h > 2048 || logn > 20 || log2_slots > 20 || fail_bits == 0 || fail_bits > 1024)
		return lt_fail(LATHE_EINVAL, "%s: h = %u, N = 2^%u, 2^%u slots, failure 2^-%u out of range", fn, h, logn,
		               log2_slots, fail_bits);
	/* half the failure to D >= m, with a bit of margin for the floating-point bound; half to the tail */
	const double goal = -(double)fail_bits - 1.0 - (double)log2_slots;
	unsigned m = 1;
	while (m <= 2 * h && !(lt_boot_collision_log2(logn, h, m) <= goal - 1.0))
		m++;
	if (m > 2 * h)
		m = 2 * h + 1; /* D <= 2h always: nothing to bound */
	const unsigned d = m - 1, n1 = 2 * (h + 1) - 2 * d, n2 = d;
	double t = 0;
	unsigned b = 0;
	for (;; b++) {
		t = lt_boot_mixed_tail_log2(n1, n2, b);
		if (t <= goal)
			break;
	}
	*B = b;
	if (M)
		*M = m;
	if (tail_log2)
		*tail_log2 = log2_add(t, m <= 2 * h ? lt_boot_collision_log2(logn, h, m) : -INFINITY) + (double)log2_slots;
	return LATHE_OK;
}
