/*
 * The plan of a polynomial evaluation (polyeval.h): the argument check of
 * the coefficients, and the choice of the baby-step count by a dry walk for
 * each candidate, whose counts lathe_poly_eval_cost reports without a
 * ciphertext or a context.
 */
#include <string.h>

#include "core/error.h"
#include "polyeval.h"

lathe_status
lt_pe_check_coeffs(const char *fn, uint64_t t, const uint64_t *coeffs, size_t n)
{
	if (!coeffs)
		return lt_fail(LATHE_EINVAL, "%s: argument 'coeffs' is NULL", fn);
	if (n == 0)
		return lt_fail(LATHE_EINVAL, "%s: n_coeffs is 0", fn);
	for (size_t i = 0; i < n; i++)
		if (coeffs[i] >= t)
			return lt_fail(LATHE_EINVAL, "%s: coefficient %zu (%llu) is not below t = %llu", fn, i,
			               (unsigned long long)coeffs[i], (unsigned long long)t);
	return LATHE_OK;
}

/*
 * The plan for c[0..n) (trimmed): the baby-step exponent l in
 * [0, ceil(log2 d)] with the fewest products, then the fewest levels, then
 * the fewest scalar multiplications. Every such l gives depth ceil(log2 d).
 * A constant (n == 1) costs one multiplication by 0.
 */
lathe_status
lt_pe_plan(uint64_t t, const uint64_t *coeffs, size_t n, unsigned *best_l, lathe_polyeval_stats *best)
{
	memset(best, 0, sizeof(*best));
	*best_l = 0;
	if (n == 1) {
		best->scalar_muls = 1;
		return LATHE_OK;
	}
	const unsigned lmax = lt_pe_ceil_log2(n - 1);
	for (unsigned l = 0; l <= lmax; l++) {
		pe_run r = { 0 };
		r.dry = 1;
		r.t = t;
		r.coeffs = coeffs;
		pe_val res;
		lathe_status s = lt_pe_run_walk(&r, l, n, &res);
		if (s)
			return s;
		const lathe_polyeval_stats *c = &r.st;
		if (l == 0 || c->nonscalar_muls < best->nonscalar_muls ||
		    (c->nonscalar_muls == best->nonscalar_muls &&
		     (c->levels < best->levels || (c->levels == best->levels && c->scalar_muls < best->scalar_muls)))) {
			*best = *c;
			*best_l = l;
		}
	}
	return LATHE_OK;
}

size_t
lt_pe_trimmed(const uint64_t *coeffs, size_t n)
{
	while (n > 1 && coeffs[n - 1] == 0)
		n--;
	return n;
}

lathe_status
lathe_poly_eval_cost(uint64_t t, const uint64_t *coeffs, size_t n_coeffs, lathe_polyeval_stats *stats)
{
	const char *fn = "lathe_poly_eval_cost";
	if (!stats)
		return lt_fail(LATHE_EINVAL, "%s: argument 'stats' is NULL", fn);
	if (t < 2)
		return lt_fail(LATHE_EINVAL, "%s: t = %llu is below 2", fn, (unsigned long long)t);
	lathe_status s = lt_pe_check_coeffs(fn, t, coeffs, n_coeffs);
	if (s)
		return s;
	unsigned l;
	lathe_polyeval_stats st;
	if ((s = lt_pe_plan(t, coeffs, lt_pe_trimmed(coeffs, n_coeffs), &l, &st)))
		return s;
	*stats = st;
	return LATHE_OK;
}
