/*
 * Lookup tables (lathe_poly_interpolate, lathe_poly_eval_table): the values
 * of a function on a range of consecutive integers are interpolated mod
 * the prime t by Newton's divided differences, turned to the power basis,
 * and evaluated by lathe_poly_eval's walk.
 */
#include <stdint.h>
#include <stdlib.h>

/* FLINT only for the primality test of the public t */
#include <flint/ulong_extras.h>

#include "core/error.h"
#include "polyeval.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t
mulmod(uint64_t a, uint64_t b, uint64_t t)
{
	return (uint64_t)(((u128)a * b) % t);
}

static uint64_t
submod(uint64_t a, uint64_t b, uint64_t t)
{
	return a >= b ? a - b : a + (t - b);
}

/* a^(t-2) mod t: the inverse of a != 0 mod the prime t */
static uint64_t
invmod(uint64_t a, uint64_t t)
{
	uint64_t r = 1, e = t - 2;
	while (e) {
		if (e & 1)
			r = mulmod(r, a, t);
		a = mulmod(a, a, t);
		e >>= 1;
	}
	return r;
}

/* v mod t for |v| < t */
static uint64_t
residue(int64_t v, uint64_t t)
{
	return v < 0 ? t - (uint64_t)(-(v + 1)) - 1 : (uint64_t)v;
}

/* the checks of lathe_poly_interpolate; *n gets the number of points */
static lathe_status
check_table(const char *fn, const lathe_ctx *ctx, int64_t lo, int64_t hi, const int64_t *values, size_t *n)
{
	if (!ctx)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ctx' is NULL", fn);
	if (!values)
		return lt_fail(LATHE_EINVAL, "%s: argument 'values' is NULL", fn);
	const uint64_t t = lathe_ctx_plain_modulus(ctx);
	if (!n_is_prime(t))
		return lt_fail(LATHE_EPARAM, "%s: t = %llu is not prime (interpolation divides mod t)", fn,
		               (unsigned long long)t);
	const int64_t ti = (int64_t)t; /* t < 2^60 */
	if (lo > hi)
		return lt_fail(LATHE_EINVAL, "%s: empty range [%lld, %lld]", fn, (long long)lo, (long long)hi);
	if (lo <= -ti || hi >= ti)
		return lt_fail(LATHE_EINVAL, "%s: range [%lld, %lld] not within (-t, t), t = %llu", fn, (long long)lo,
		               (long long)hi, (unsigned long long)t);
	const uint64_t np = (uint64_t)(hi - lo) + 1;
	if (np > t)
		return lt_fail(LATHE_EINVAL, "%s: range [%lld, %lld] has %llu points, more than t = %llu", fn,
		               (long long)lo, (long long)hi, (unsigned long long)np, (unsigned long long)t);
	if (np > SIZE_MAX / sizeof(uint64_t))
		return lt_fail(LATHE_EINVAL, "%s: range of %llu points too large", fn, (unsigned long long)np);
	for (uint64_t i = 0; i < np; i++)
		if (values[i] <= -ti || values[i] >= ti)
			return lt_fail(LATHE_EINVAL, "%s: values[%llu] = %lld not within (-t, t), t = %llu", fn,
			               (unsigned long long)i, (long long)values[i], (unsigned long long)t);
	*n = (size_t)np;
	return LATHE_OK;
}

/* the interpolation proper, on checked arguments: n points lo, lo + 1, ... */
static void
interpolate(uint64_t t, int64_t lo, size_t n, const int64_t *values, uint64_t *coeffs)
{
	for (size_t i = 0; i < n; i++)
		coeffs[i] = residue(values[i], t);
	/*
	 * Divided differences in place: after round j, coeffs[i] (i >= j) is
	 * f[v_{i-j}, ..., v_i]. The points are equally spaced, so the
	 * denominator v_i - v_{i-j} is j (nonzero mod t: j < n <= t).
	 */
	for (size_t j = 1; j < n; j++) {
		const uint64_t inv = invmod(j, t);
		for (size_t i = n - 1; i >= j; i--)
			coeffs[i] = mulmod(submod(coeffs[i], coeffs[i - 1], t), inv, t);
	}
	/*
	 * Newton form a_0 + (y - v_0)(a_1 + (y - v_1)(a_2 + ...)) to the power
	 * basis, innermost factor first: after round j, coeffs[j..n) holds the
	 * power-basis coefficients of a_j + (y - v_j)(a_{j+1} + ...).
	 */
	const uint64_t v0 = residue(lo, t);
	for (size_t j = n - 1; j-- > 0;) {
		const uint64_t v = v0 + j >= t ? v0 + j - t : v0 + j; /* v_j = lo + j mod t */
		for (size_t i = j; i + 1 < n; i++)
			coeffs[i] = submod(coeffs[i], mulmod(v, coeffs[i + 1], t), t);
	}
}

lathe_status
lathe_poly_interpolate(const lathe_ctx *ctx, int64_t lo, int64_t hi, const int64_t *values, uint64_t *coeffs)
{
	const char *fn = "lathe_poly_interpolate";
	size_t n = 0;
	lathe_status s = check_table(fn, ctx, lo, hi, values, &n);
	if (s)
		return s;
	if (!coeffs)
		return lt_fail(LATHE_EINVAL, "%s: argument 'coeffs' is NULL", fn);
	interpolate(lathe_ctx_plain_modulus(ctx), lo, n, values, coeffs);
	return LATHE_OK;
}

lathe_status
lathe_poly_eval_table(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, int64_t lo, int64_t hi, const int64_t *values,
                      lathe_polyeval_stats *stats)
{
	const char *fn = "lathe_poly_eval_table";
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ev' is NULL", fn);
	const lathe_ctx *ctx = lathe_eval_ctx(ev);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!x)
		return lt_fail(LATHE_EINVAL, "%s: argument 'x' is NULL", fn);
	size_t n = 0;
	lathe_status s = check_table(fn, ctx, lo, hi, values, &n);
	if (s)
		return s;
	if (lathe_ctx_slots(ctx) == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no slots (t = 2^r): slot-wise evaluation needs batch slots",
		               fn);
	/* the table is interpolated mod the context's prime t, not mod bootstrapping's p^e (a multiple of it) */
	const uint64_t tx = lathe_ct_plain_modulus(x), tc = lathe_ctx_plain_modulus(ctx);
	if (tx != tc && tx % tc == 0)
		return lt_fail(LATHE_EINVAL, "%s: x is under the plaintext modulus %llu, the table is interpolated mod t = %llu",
		               fn, (unsigned long long)lathe_ct_plain_modulus(x),
		               (unsigned long long)lathe_ctx_plain_modulus(ctx));
	uint64_t *coeffs = malloc(n * sizeof(uint64_t));
	if (!coeffs)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory for %zu coefficients", fn, n);
	interpolate(lathe_ctx_plain_modulus(ctx), lo, n, values, coeffs);
	s = lt_pe_poly_eval(fn, ev, ctx, out, x, coeffs, n, stats);
	free(coeffs);
	return s;
}
