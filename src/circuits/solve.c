/*
 * Least squares from decrypted sufficient statistics, exactly over the
 * rationals (FLINT fmpq_mat): the normal equations of y ~ 1 + x_1 + ... +
 * x_p on the fixed-point integers, then the coefficients scaled back to real
 * units by the exact rational values of the (double) scales. Public data
 * only: the data owner runs it on decrypted aggregates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>

#include "internal.h"

/* q = d exactly (d finite: d = m 2^e with a 53-bit integer m) */
static void
fmpq_set_double(fmpq_t q, double d)
{
	int e = 0;
	double m = frexp(d, &e);
	fmpq_set_si(q, (slong)ldexp(m, 53), 1);
	e -= 53;
	if (e > 0)
		fmpq_mul_2exp(q, q, (flint_bitcnt_t)e);
	else if (e < 0)
		fmpq_div_2exp(q, q, (flint_bitcnt_t)-e);
}

/* the index of item `name` (a prefix and one or two column names), or -1 */
static long
find2(const lathe_result *r, const char *prefix, const char *a, const char *b)
{
	char name[LATHE_ITEM_NAME_MAX + 8];
	if (b)
		snprintf(name, sizeof(name), "%s:%s:%s", prefix, a, b);
	else if (a)
		snprintf(name, sizeof(name), "%s:%s", prefix, a);
	else
		snprintf(name, sizeof(name), "%s", prefix);
	return lathe_result_find(r, name);
}

lathe_status
lathe_regression_solve(const lathe_result *r, const int64_t *values, double *coef, size_t n_coef, double *r2)
{
	const char *fn = "lathe_regression_solve";
	if (!r || !values || !coef)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !r ? "r" : !values ? "values" : "coef");
	if (strcmp(r->circuit, "regression") != 0)
		return lt_fail(LATHE_EINVAL, "%s: a result of circuit '%s', not 'regression'", fn, r->circuit);
	size_t p = 0;
	while (1 + p < r->n_items && strncmp(r->items[1 + p].name, "sx:", 3) == 0)
		p++;
	if (p == 0 || r->n_items != 3 + 2 * p + p * (p + 1) / 2)
		return lt_fail(LATHE_EINVAL, "%s: the result's items are not those of a regression", fn);
	if (n_coef < p + 1)
		return lt_fail(LATHE_EINVAL, "%s: %zu coefficients, room for %zu", fn, p + 1, n_coef);
	for (size_t i = 0; i < r->n_items; i++) {
		int64_t v = values[i];
		uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
		if (a > r->items[i].bound)
			return lt_fail(LATHE_EINVAL, "%s: value %lld of item '%s' beyond its bound %llu", fn, (long long)v,
			               r->items[i].name, (unsigned long long)r->items[i].bound);
	}
	/* the items by name: n, sx:A, sxx:A:B (A before B), sy, sxy:A, syy */
	long *ix = calloc(p + 1, sizeof(long)), *ixy = calloc(p + 1, sizeof(long));
	long *ixx = calloc((p + 1) * (p + 1), sizeof(long));
	if (!ix || !ixy || !ixx) {
		free(ix);
		free(ixy);
		free(ixx);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	lathe_status s = LATHE_OK;
	const long in = find2(r, "n", NULL, NULL), iy = find2(r, "sy", NULL, NULL), iyy = find2(r, "syy", NULL, NULL);
	if (in < 0 || iy < 0 || iyy < 0)
		s = lt_fail(LATHE_EINVAL, "%s: the result lacks n, sy or syy", fn);
	for (size_t c = 0; c < p && !s; c++) {
		const char *a = r->items[1 + c].name + 3;
		ix[c] = (long)(1 + c);
		ixy[c] = find2(r, "sxy", a, NULL);
		for (size_t d = c; d < p && !s; d++) {
			ixx[c * p + d] = ixx[d * p + c] = find2(r, "sxx", a, r->items[1 + d].name + 3);
			if (ixx[c * p + d] < 0)
				s = lt_fail(LATHE_EINVAL, "%s: the result lacks sxx:%s:%s", fn, a, r->items[1 + d].name + 3);
		}
		if (!s && ixy[c] < 0)
			s = lt_fail(LATHE_EINVAL, "%s: the result lacks sxy:%s", fn, a);
	}
	if (s) {
		free(ix);
		free(ixy);
		free(ixx);
		return s;
	}
	/* A g = b on the integers: A = [n, sx'; sx, Sxx], b = [sy; sxy] */
	const slong m = (slong)p + 1;
	fmpz_mat_t A, B;
	fmpq_mat_t X;
	fmpz_mat_init(A, m, m);
	fmpz_mat_init(B, m, 1);
	fmpq_mat_init(X, m, 1);
	fmpz_set_si(fmpz_mat_entry(A, 0, 0), values[in]);
	for (size_t c = 0; c < p; c++) {
		fmpz_set_si(fmpz_mat_entry(A, 0, (slong)c + 1), values[ix[c]]);
		fmpz_set_si(fmpz_mat_entry(A, (slong)c + 1, 0), values[ix[c]]);
		for (size_t d = 0; d < p; d++)
			fmpz_set_si(fmpz_mat_entry(A, (slong)c + 1, (slong)d + 1), values[ixx[c * p + d]]);
		fmpz_set_si(fmpz_mat_entry(B, (slong)c + 1, 0), values[ixy[c]]);
	}
	fmpz_set_si(fmpz_mat_entry(B, 0, 0), values[iy]);
	if (!fmpq_mat_solve_fmpz_mat(X, A, B))
		s = lt_fail(LATHE_ERANGE, "%s: the normal equations are singular (too few patients, or a column that is "
		            "constant or a combination of others)", fn);
	fmpq_t q, sy, u, sst;
	fmpq_init(q);
	fmpq_init(sy);
	fmpq_init(u);
	fmpq_init(sst);
	if (!s && r2) {
		/* R^2 = (g.b - sy^2 / n) / (syy - sy^2 / n): scale-free, so on the integers */
		fmpq_set_si(u, values[iy], 1);
		fmpq_mul(u, u, u);
		fmpq_set_si(q, values[in], 1);
		fmpq_div(u, u, q);                 /* sy^2 / n */
		fmpq_set_si(sst, values[iyy], 1);
		fmpq_sub(sst, sst, u);             /* total sum of squares */
		if (fmpq_is_zero(sst))
			s = lt_fail(LATHE_ERANGE, "%s: the target is constant: R^2 undefined", fn);
		else {
			fmpq_zero(q);
			for (slong i = 0; i < m; i++) {
				fmpq_t bi;
				fmpq_init(bi);
				fmpq_mul_fmpz(bi, fmpq_mat_entry(X, i, 0), fmpz_mat_entry(B, i, 0));
				fmpq_add(q, q, bi);
				fmpq_clear(bi);
			}
			fmpq_sub(q, q, u);
			fmpq_div(q, q, sst);
			*r2 = fmpq_get_d(q);
		}
	}
	if (!s) {
		/* y = g_0 / s_y + sum_c g_c (s_c / s_y) x_c in real units */
		fmpq_set_double(sy, r->items[iy].denom);
		fmpq_div(q, fmpq_mat_entry(X, 0, 0), sy);
		coef[0] = fmpq_get_d(q);
		for (size_t c = 0; c < p; c++) {
			fmpq_set_double(u, r->items[ix[c]].denom);
			fmpq_mul(q, fmpq_mat_entry(X, (slong)c + 1, 0), u);
			fmpq_div(q, q, sy);
			coef[c + 1] = fmpq_get_d(q);
		}
	}
	fmpq_clear(q);
	fmpq_clear(sy);
	fmpq_clear(u);
	fmpq_clear(sst);
	fmpz_mat_clear(A);
	fmpz_mat_clear(B);
	fmpq_mat_clear(X);
	free(ix);
	free(ixy);
	free(ixx);
	return s;
}
