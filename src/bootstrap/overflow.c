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
