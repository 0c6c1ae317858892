/*
 * Shared by the diabetes examples: the columns of the table (declared
 * ranges and fixed-point scales), the plaintext value of every item of a
 * regression or stats result, and the least-squares reference.
 *
 * Scales. A regression sums products of two columns' integers over all
 * patients, so with rows patients every column's integers must stay at
 * most M = max { M : rows M^2 <= (t - 1) / 2 } in absolute value (550
 * for 442 patients and t = 268042241): column j gets the finest scale
 * that is exact for its data (the smallest power of ten making every
 * value an integer), or, when that would exceed M, the largest scale of
 * the 1-2-5 series that does not. Declared ranges: each column's minimum
 * and maximum over the data set.
 */
#ifndef LATHE_EXAMPLES_CIRCUITS_REGRESSION_H
#define LATHE_EXAMPLES_CIRCUITS_REGRESSION_H

#include "ols.h"
#include "util.h"

/* The largest M with rows * M^2 <= (t - 1) / 2. */
static inline uint64_t
ex_reg_limit(size_t rows, uint64_t t)
{
	uint64_t half = (t - 1) / 2, m = 0;
	while ((m + 1) * (m + 1) * (uint64_t)rows <= half)
		m++;
	return m;
}

/* Columns for every column of d, with the scales described above for `rows` patients in all. */
static inline lathe_column *
ex_reg_columns(const ex_csv *d, size_t rows, uint64_t t)
{
	lathe_column *cols = ex_alloc(d->cols, sizeof(lathe_column));
	double limit = (double)ex_reg_limit(rows, t);
	for (size_t j = 0; j < d->cols; j++) {
		snprintf(cols[j].name, sizeof cols[j].name, "%s", d->names[j]);
		ex_col_range(d, j, &cols[j].lo, &cols[j].hi);
		double m = ex_fabs(cols[j].lo) > ex_fabs(cols[j].hi) ? ex_fabs(cols[j].lo) : ex_fabs(cols[j].hi);
		double exact = ex_col_exact_scale(d, j);
		cols[j].scale = ex_round(m * exact) <= limit ? exact : ex_scale_125(m, limit);
	}
	return cols;
}

static inline void
ex_reg_print_columns(const lathe_column *cols, size_t n)
{
	printf("  %-12s %10s %10s %8s %11s\n", "column", "lo", "hi", "scale", "max |X|");
	for (size_t j = 0; j < n; j++) {
		double m = ex_fabs(cols[j].lo) > ex_fabs(cols[j].hi) ? ex_fabs(cols[j].lo) : ex_fabs(cols[j].hi);
		printf("  %-12s %10.4f %10.4f %8g %11.0f\n", cols[j].name, cols[j].lo, cols[j].hi, cols[j].scale,
		       ex_round(m * cols[j].scale));
	}
}

/* Column index of name among cols[0..n), or -1. */
static inline long
ex_reg_find(const lathe_column *cols, size_t n, const char *name)
{
	for (size_t j = 0; j < n; j++)
		if (strcmp(cols[j].name, name) == 0)
			return (long)j;
	return -1;
}

/*
 * The plaintext value of one aggregate item over rows [r0, r1) of d, with
 * the fixed-point integers of cols (d's columns, same order), and its
 * denominator:
 *   regression: "n", "sx:A", "sxx:A:B", "sy", "sxy:A", "syy" (target y)
 *   stats:      "count", "sum:A", "sumsq:A" over the rows where mask is 1
 * mask NULL: every row. Returns 0, or -1 for a name it does not know.
 */
static inline int
ex_item_reference(const ex_csv *d, const lathe_column *cols, size_t r0, size_t r1, const char *target,
                  const unsigned char *mask, const char *item, int64_t *value, double *den)
{
	char buf[3 * LATHE_NAME_MAX + 8];
	snprintf(buf, sizeof buf, "%s", item);
	char *part[3] = { buf, NULL, NULL };
	size_t np = 1;
	for (char *c = buf; *c && np < 3; c++)
		if (*c == ':') {
			*c = '\0';
			part[np++] = c + 1;
		}
	long a = -1, b = -1, y = target ? ex_reg_find(cols, d->cols, target) : -1;
	const char *kind = part[0];
	if (np >= 2 && (a = ex_reg_find(cols, d->cols, part[1])) < 0)
		return -1;
	if (np == 3 && (b = ex_reg_find(cols, d->cols, part[2])) < 0)
		return -1;
	/* which factors each row contributes: up to two column indices (-1: factor 1) */
	long f1 = -2, f2 = -1;
	if ((strcmp(kind, "n") == 0 || strcmp(kind, "count") == 0) && np == 1)
		f1 = -1;
	else if ((strcmp(kind, "sx") == 0 || strcmp(kind, "sum") == 0) && np == 2)
		f1 = a;
	else if (strcmp(kind, "sxx") == 0 && np == 3)
		f1 = a, f2 = b;
	else if (strcmp(kind, "sumsq") == 0 && np == 2)
		f1 = a, f2 = a;
	else if (strcmp(kind, "sy") == 0 && np == 1 && y >= 0)
		f1 = y;
	else if (strcmp(kind, "sxy") == 0 && np == 2 && y >= 0)
		f1 = a, f2 = y;
	else if (strcmp(kind, "syy") == 0 && np == 1 && y >= 0)
		f1 = y, f2 = y;
	if (f1 == -2)
		return -1;
	int64_t s = 0;
	for (size_t i = r0; i < r1; i++) {
		if (mask && !mask[i])
			continue;
		int64_t p = 1;
		if (f1 >= 0)
			p *= ex_fixed(d->v[i * d->cols + (size_t)f1], cols[f1].scale);
		if (f2 >= 0)
			p *= ex_fixed(d->v[i * d->cols + (size_t)f2], cols[f2].scale);
		s += p;
	}
	*value = s;
	*den = (f1 >= 0 ? cols[f1].scale : 1.0) * (f2 >= 0 ? cols[f2].scale : 1.0);
	return 0;
}

/*
 * Compares every decrypted item of r with its plaintext value over rows
 * [r0, r1) and its denominator with the scales' product; prints the
 * first mismatches. Returns the number of items that differ.
 */
static inline size_t
ex_check_items(const lathe_result *r, const int64_t *vals, const ex_csv *d, const lathe_column *cols, size_t r0,
               size_t r1, const char *target, const unsigned char *mask)
{
	size_t bad = 0, n = lathe_result_items(r);
	for (size_t i = 0; i < n; i++) {
		const char *name = lathe_result_item_name(r, i);
		int64_t want;
		double den;
		if (ex_item_reference(d, cols, r0, r1, target, mask, name, &want, &den)) {
			printf("  CHECK FAILED: unknown item %s\n", name);
			bad++;
			continue;
		}
		double got_den = lathe_result_item_denominator(r, i);
		if (vals[i] != want || ex_fabs(got_den - den) > 1e-12 * den) {
			if (bad < 10)
				printf("  CHECK FAILED: item %s decrypted %lld / %g, plaintext %lld / %g\n", name,
				       (long long)vals[i], got_den, (long long)want, den);
			bad++;
		}
	}
	return bad;
}

/*
 * Least squares with an intercept of column y on columns x[0..k) of d,
 * in double precision (ols.h): on the fixed-point values X / scale
 * (fixed != 0) or on the raw values. coef: k + 1 entries (intercept first).
 * Returns 0, or -1 when the columns are dependent.
 */
static inline int
ex_reg_ols(const ex_csv *d, const lathe_column *cols, const long *x, size_t k, long y, int fixed, double *coef,
           double *r2)
{
	double *A = ex_alloc(d->rows * (k + 1), sizeof(double)), *Y = ex_alloc(d->rows, sizeof(double));
	for (size_t i = 0; i < d->rows; i++) {
		const double *row = d->v + i * d->cols;
		A[i * (k + 1)] = 1.0;
		for (size_t j = 0; j < k; j++) {
			double v = row[x[j]];
			A[i * (k + 1) + 1 + j] = fixed ? (double)ex_fixed(v, cols[x[j]].scale) / cols[x[j]].scale : v;
		}
		Y[i] = fixed ? (double)ex_fixed(row[y], cols[y].scale) / cols[y].scale : row[y];
	}
	int s = ex_lstsq(A, Y, d->rows, k + 1, coef);
	if (s == 0)
		*r2 = ex_r2(A, Y, d->rows, k + 1, coef);
	free(A);
	free(Y);
	return s;
}

/* The largest absolute and relative differences between two coefficient vectors. */
static inline void
ex_coef_diff(const double *a, const double *b, size_t n, double *abs_diff, double *rel_diff)
{
	*abs_diff = *rel_diff = 0;
	for (size_t j = 0; j < n; j++) {
		double e = ex_fabs(a[j] - b[j]), m = ex_fabs(b[j]);
		if (e > *abs_diff)
			*abs_diff = e;
		if (m > 0 && e / m > *rel_diff)
			*rel_diff = e / m;
		else if (m == 0 && e > 0)
			*rel_diff = 1e300;
	}
}

#endif
