/*
 * Cohort statistics and regression on the diabetes data set against sums
 * computed here in plain C on the same fixed-point integers; the solve
 * against a double-precision solve of the same data; multi-hospital
 * aggregation (the data set split in three) against the pooled sums; the
 * bounds at and past t/2; every status.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/circ_util.h"

static const char *const DB_NAMES[] = { "age", "sex", "bmi", "bp", "progression" };
#define DB_COLS 5

static void
db_columns(lathe_column *cols)
{
	cols[0] = circ_col("age", 1, 18, 80);
	cols[1] = circ_col("sex", 1, 1, 2);
	cols[2] = circ_col("bmi", 10, 15, 45);
	cols[3] = circ_col("bp", 1, 60, 140);
	cols[4] = circ_col("progression", 1, 20, 350);
}

/* the table of rows [first, first + rows) of the data set */
static lathe_table *
db_table(circ_fix *f, const csv *d, size_t first, size_t rows, double **vals_out)
{
	lathe_column cols[DB_COLS];
	db_columns(cols);
	double *vals = csv_select(d, DB_NAMES, DB_COLS, first, rows);
	lathe_table *t = NULL;
	CIRC_OK(f, lathe_table_encrypt(f->pk, cols, DB_COLS, vals, rows, &t));
	if (vals_out)
		*vals_out = vals;
	else
		free(vals);
	return t;
}

/* plain sums: count of patients meeting the conditions, sum and sum of squares of column j */
typedef struct plain_cond {
	size_t col;
	int ge;
	int64_t T; /* X >= T (ge) or X < T */
} plain_cond;

static int
meets(const double *row, const lathe_column *cols, const plain_cond *pc, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t X = fx(row[pc[i].col], cols[pc[i].col].scale);
		if ((X >= pc[i].T) != pc[i].ge)
			return 0;
	}
	return 1;
}

static void
plain_stats(const double *vals, size_t rows, size_t n_cols, const lathe_column *cols, const plain_cond *pc,
            size_t n_pc, size_t j, int64_t *count, int64_t *sum, int64_t *sumsq)
{
	*count = *sum = *sumsq = 0;
	for (size_t i = 0; i < rows; i++) {
		if (!meets(vals + i * n_cols, cols, pc, n_pc))
			continue;
		int64_t X = fx(vals[i * n_cols + j], cols[j].scale);
		*count += 1;
		*sum += X;
		*sumsq += X * X;
	}
}

/* decrypts every aggregate of r: values[i] for item i */
static int64_t *
decrypt_all(circ_fix *f, const lathe_result *r)
{
	size_t n = lathe_result_items(r);
	int64_t *v = calloc(n, sizeof(int64_t));
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(lathe_result_item_kind(r, i), LATHE_ITEM_AGGREGATE);
		CIRC_OK(f, lathe_result_decrypt(f->sk, r, i, &v[i], 1));
	}
	return v;
}

static int64_t
item(const lathe_result *r, const int64_t *v, const char *name)
{
	long i = lathe_result_find(r, name);
	cr_assert(i >= 0, "no item '%s'", name);
	return v[i];
}

/* the stats result r against the plain sums of columns (indices into cols) */
static void
check_stats(circ_fix *f, const lathe_result *r, const double *vals, size_t rows, const lathe_column *cols,
            size_t n_cols, const size_t *which, size_t n_which, const plain_cond *pc, size_t n_pc)
{
	int64_t *v = decrypt_all(f, r);
	cr_assert_eq(lathe_result_items(r), 1 + 2 * n_which);
	for (size_t c = 0; c < n_which; c++) {
		int64_t count, sum, sumsq;
		plain_stats(vals, rows, n_cols, cols, pc, n_pc, which[c], &count, &sum, &sumsq);
		char name[LATHE_ITEM_NAME_MAX];
		cr_assert_eq(item(r, v, "count"), count, "count %lld, plain %lld [%s]", (long long)item(r, v, "count"),
		             (long long)count, f->desc);
		snprintf(name, sizeof(name), "sum:%s", cols[which[c]].name);
		cr_assert_eq(item(r, v, name), sum, "%s %lld, plain %lld [%s]", name, (long long)item(r, v, name),
		             (long long)sum, f->desc);
		cr_assert_eq(lathe_result_item_denominator(r, (size_t)lathe_result_find(r, name)), cols[which[c]].scale);
		snprintf(name, sizeof(name), "sumsq:%s", cols[which[c]].name);
		cr_assert_eq(item(r, v, name), sumsq, "%s %lld, plain %lld [%s]", name, (long long)item(r, v, name),
		             (long long)sumsq, f->desc);
		if (count == 0)
			continue;
		int64_t n = 0;
		double s = 0, mean = 0, var = 0;
		CIRC_OK(f, lathe_stats_finish(r, v, cols[which[c]].name, &n, &s, &mean, &var));
		double sc = cols[which[c]].scale;
		double pm = (double)sum / sc / (double)count;
		double pv = (double)sumsq / (sc * sc) / (double)count - pm * pm;
		cr_assert_eq(n, count);
		cr_assert(fabs(s - (double)sum / sc) <= 1e-9 * fabs(s) + 1e-12);
		cr_assert(fabs(mean - pm) <= 1e-12 * fabs(pm) + 1e-12, "mean %.17g, plain %.17g", mean, pm);
		cr_assert(fabs(var - pv) <= 1e-9 * fabs(pv) + 1e-9, "variance %.17g, plain %.17g", var, pv);
	}
	free(v);
}

Test(stats, diabetes_all_patients_and_cohorts)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 11);
	csv d;
	csv_load(&d, "diabetes.csv");
	double *vals = NULL;
	lathe_table *t = db_table(&f, &d, 0, d.rows, &vals);
	lathe_column cols[DB_COLS];
	db_columns(cols);
	static const char *const which_names[] = { "bmi", "progression", "bp" };
	const size_t which[] = { 2, 4, 3 };
	lathe_result *r = NULL;

	double t0 = circ_ms();
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 3, NULL, 0, &r));
	double t1 = circ_ms();
	cr_assert_str_eq(lathe_result_circuit(r), "stats");
	cr_assert_eq(lathe_result_bound(r, 0), d.rows);
	cr_assert_eq(lathe_result_bound(r, 2), d.rows * 450 * 450);
	check_stats(&f, r, vals, d.rows, cols, DB_COLS, which, 3, NULL, 0);
	lathe_result_free(r);

	/* age >= 50 and bmi >= 30: X_age >= 50, X_bmi >= ceil(30 * 10) = 300 */
	const lathe_condition conds[] = { { "age", LATHE_GE, 50 }, { "bmi", LATHE_GE, 30 } };
	const plain_cond pc[] = { { 0, 1, 50 }, { 2, 1, 300 } };
	double t2 = circ_ms();
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 2, conds, 2, &r));
	double t3 = circ_ms();
	check_stats(&f, r, vals, d.rows, cols, DB_COLS, which, 2, pc, 2);
	int64_t count, sum, sumsq;
	plain_stats(vals, d.rows, DB_COLS, cols, pc, 2, 2, &count, &sum, &sumsq);
	cr_assert(count > 0 && count < (int64_t)d.rows, "cohort of %lld: the test cannot tell the mask", (long long)count);
	lathe_result_free(r);

	/* one column, and a threshold between two integers: age < 49.5 means X_age < 50 */
	const lathe_condition young[] = { { "age", LATHE_LT, 49.5 } };
	const plain_cond pcy[] = { { 0, 0, 50 } };
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names + 1, 1, young, 1, &r));
	check_stats(&f, r, vals, d.rows, cols, DB_COLS, which + 1, 1, pcy, 1);
	lathe_result_free(r);

	/* nobody (a threshold above the range): count 0 and finish refuses; everybody: the row count */
	const lathe_condition nobody[] = { { "age", LATHE_GE, 90 } };
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 1, nobody, 1, &r));
	int64_t *v = decrypt_all(&f, r);
	cr_assert_eq(v[0], 0);
	cr_assert_eq(v[1], 0);
	cr_assert_eq(v[2], 0);
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_stats_finish(r, v, "bmi", &count, NULL, NULL, NULL));
	cr_assert_eq(count, 0);
	free(v);
	lathe_result_free(r);
	const lathe_condition everybody[] = { { "age", LATHE_GE, 18 } };
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 1, everybody, 1, &r));
	check_stats(&f, r, vals, d.rows, cols, DB_COLS, which, 1, NULL, 0);
	lathe_result_free(r);
	cr_log_info("stats: all patients %.0f ms, two conditions %.0f ms (442 patients, N = 2^12)", t1 - t0, t3 - t2);
	free(vals);
	lathe_table_free(t);
	csv_free(&d);
	circ_fix_clear(&f);
}

/* more patients than slots, conditions on one column (an interval) and on another */
Test(stats, two_chunks_and_an_interval)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 12);
	const size_t rows = f.slots + 100;
	lathe_column cols[2] = { circ_col("g", 1, 0, 7), circ_col("v", 1, -50, 50) };
	double *vals = malloc(rows * 2 * sizeof(double));
	for (size_t i = 0; i < rows; i++) {
		vals[2 * i] = (double)test_rand(&f.g, 8);
		vals[2 * i + 1] = (double)test_rand(&f.g, 101) - 50;
	}
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 2, vals, rows, &t));
	static const char *const which_names[] = { "v" };
	const size_t which[] = { 1 };
	const lathe_condition conds[] = { { "g", LATHE_GE, 2 }, { "v", LATHE_GE, -10 }, { "g", LATHE_LT, 6 } };
	const plain_cond pc[] = { { 0, 1, 2 }, { 1, 1, -10 }, { 0, 0, 6 } };
	lathe_result *r = NULL;
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 1, conds, 3, &r));
	check_stats(&f, r, vals, rows, cols, 2, which, 1, pc, 3);
	lathe_result_free(r);
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 1, NULL, 0, &r));
	check_stats(&f, r, vals, rows, cols, 2, which, 1, NULL, 0);
	lathe_result_free(r);
	free(vals);
	lathe_table_free(t);
	circ_fix_clear(&f);
}

/* ---- regression ---- */

/* a x = b by Gaussian elimination with partial pivoting, in double (n <= 8) */
static void
solve_double(double a[8][8], double *b, size_t n, double *x)
{
	for (size_t c = 0; c < n; c++) {
		size_t p = c;
		for (size_t i = c + 1; i < n; i++)
			if (fabs(a[i][c]) > fabs(a[p][c]))
				p = i;
		for (size_t j = 0; j < n; j++) {
			double tmp = a[c][j];
			a[c][j] = a[p][j];
			a[p][j] = tmp;
		}
		double tb = b[c];
		b[c] = b[p];
		b[p] = tb;
		for (size_t i = c + 1; i < n; i++) {
			double m = a[i][c] / a[c][c];
			for (size_t j = c; j < n; j++)
				a[i][j] -= m * a[c][j];
			b[i] -= m * b[c];
		}
	}
	for (size_t i = n; i-- > 0;) {
		double s = b[i];
		for (size_t j = i + 1; j < n; j++)
			s -= a[i][j] * x[j];
		x[i] = s / a[i][i];
	}
}

/*
 * The regression result r of columns xs (indices into cols) on target y
 * against plain integer sums, and its solve against a double-precision
 * least-squares solve of the fixed-point data (x = X / scale).
 */
static void
check_regression(circ_fix *f, const lathe_result *r, const double *vals, size_t rows, const lathe_column *cols,
                 size_t n_cols, const size_t *xs, size_t p, size_t y)
{
	cr_assert(p <= 7);
	int64_t *v = decrypt_all(f, r);
	cr_assert_eq(lathe_result_items(r), 3 + 2 * p + p * (p + 1) / 2);
	char name[LATHE_ITEM_NAME_MAX];
	int64_t n = (int64_t)rows, sy = 0, syy = 0, sx[8] = { 0 }, sxy[8] = { 0 }, sxx[8][8] = { { 0 } };
	double A[8][8] = { { 0 } }, b[8] = { 0 };
	for (size_t i = 0; i < rows; i++) {
		const double *row = vals + i * n_cols;
		int64_t Y = fx(row[y], cols[y].scale), X[8];
		double xd[8], yd = (double)Y / cols[y].scale;
		xd[0] = 1;
		for (size_t c = 0; c < p; c++) {
			X[c] = fx(row[xs[c]], cols[xs[c]].scale);
			xd[c + 1] = (double)X[c] / cols[xs[c]].scale;
		}
		sy += Y;
		syy += Y * Y;
		for (size_t c = 0; c < p; c++) {
			sx[c] += X[c];
			sxy[c] += X[c] * Y;
			for (size_t e = 0; e < p; e++)
				sxx[c][e] += X[c] * X[e];
		}
		for (size_t c = 0; c <= p; c++) {
			b[c] += xd[c] * yd;
			for (size_t e = 0; e <= p; e++)
				A[c][e] += xd[c] * xd[e];
		}
	}
	cr_assert_eq(item(r, v, "n"), n);
	cr_assert_eq(item(r, v, "sy"), sy, "sy %lld, plain %lld", (long long)item(r, v, "sy"), (long long)sy);
	cr_assert_eq(item(r, v, "syy"), syy, "syy %lld, plain %lld", (long long)item(r, v, "syy"), (long long)syy);
	for (size_t c = 0; c < p; c++) {
		snprintf(name, sizeof(name), "sx:%s", cols[xs[c]].name);
		cr_assert_eq(item(r, v, name), sx[c], "%s [%s]", name, f->desc);
		snprintf(name, sizeof(name), "sxy:%s", cols[xs[c]].name);
		cr_assert_eq(item(r, v, name), sxy[c], "%s [%s]", name, f->desc);
		for (size_t e = c; e < p; e++) {
			snprintf(name, sizeof(name), "sxx:%s:%s", cols[xs[c]].name, cols[xs[e]].name);
			cr_assert_eq(item(r, v, name), sxx[c][e], "%s %lld, plain %lld [%s]", name,
			             (long long)item(r, v, name), (long long)sxx[c][e], f->desc);
			cr_assert_eq(lathe_result_item_denominator(r, (size_t)lathe_result_find(r, name)),
			             cols[xs[c]].scale * cols[xs[e]].scale);
		}
	}
	double coef[8], want[8], r2 = -1;
	double bb[8];
	memcpy(bb, b, sizeof(bb));
	solve_double(A, bb, p + 1, want);
	CIRC_OK(f, lathe_regression_solve(r, v, coef, p + 1, &r2));
	for (size_t c = 0; c <= p; c++)
		cr_assert(fabs(coef[c] - want[c]) <= 1e-7 * (fabs(want[c]) + 1e-3), "coefficient %zu: %.17g, double %.17g",
		          c, coef[c], want[c]);
	/* R^2 = 1 - SSE / SST on the same fixed-point data */
	double ybar = (double)sy / cols[y].scale / (double)n, sse = 0, sst = 0;
	for (size_t i = 0; i < rows; i++) {
		const double *row = vals + i * n_cols;
		double yd = (double)fx(row[y], cols[y].scale) / cols[y].scale, pred = want[0];
		for (size_t c = 0; c < p; c++)
			pred += want[c + 1] * (double)fx(row[xs[c]], cols[xs[c]].scale) / cols[xs[c]].scale;
		sse += (yd - pred) * (yd - pred);
		sst += (yd - ybar) * (yd - ybar);
	}
	cr_assert(fabs(r2 - (1 - sse / sst)) < 1e-9, "R^2 %.17g, double %.17g", r2, 1 - sse / sst);
	cr_log_info("regression: R^2 = %.4f, coefficients %.4g %.4g ...", r2, coef[0], coef[1]);
	free(v);
}

Test(stats, diabetes_regression)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 13);
	csv d;
	csv_load(&d, "diabetes.csv");
	double *vals = NULL;
	lathe_table *t = db_table(&f, &d, 0, d.rows, &vals);
	lathe_column cols[DB_COLS];
	db_columns(cols);
	static const char *const xs_names[] = { "age", "bmi", "bp" };
	const size_t xs[] = { 0, 2, 3 };
	lathe_result *r = NULL;
	double t0 = circ_ms();
	CIRC_OK(&f, lathe_circuit_regression(f.ev, t, xs_names, 3, "progression", &r));
	double t1 = circ_ms();
	cr_assert_str_eq(lathe_result_circuit(r), "regression");
	check_regression(&f, r, vals, d.rows, cols, DB_COLS, xs, 3, 4);
	cr_log_info("regression on 3 columns: %.0f ms (442 patients, N = 2^12)", t1 - t0);
	lathe_result_free(r);
	free(vals);
	lathe_table_free(t);
	csv_free(&d);
	circ_fix_clear(&f);
}

/* three hospitals, one key pair: their results add up to the pooled sums */
Test(stats, three_hospitals)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 14);
	csv d;
	csv_load(&d, "diabetes.csv");
	lathe_column cols[DB_COLS];
	db_columns(cols);
	const size_t parts[4] = { 0, 148, 295, d.rows };
	static const char *const which_names[] = { "bmi", "progression" };
	const size_t which[] = { 2, 4 };
	static const char *const xs_names[] = { "age", "bmi" };
	const size_t xs[] = { 0, 2 };
	const lathe_condition conds[] = { { "age", LATHE_GE, 50 } };
	const plain_cond pc[] = { { 0, 1, 50 } };
	lathe_result *st = NULL, *rg = NULL;
	uint64_t bound0 = 0;
	for (int h = 0; h < 3; h++) {
		lathe_table *t = db_table(&f, &d, parts[h], parts[h + 1] - parts[h], NULL);
		lathe_result *a = NULL, *b = NULL;
		CIRC_OK(&f, lathe_circuit_stats(f.ev, t, which_names, 2, conds, 1, &a));
		CIRC_OK(&f, lathe_circuit_regression(f.ev, t, xs_names, 2, "progression", &b));
		bound0 += lathe_result_bound(a, 2);
		if (h == 0) {
			st = a;
			rg = b;
		} else {
			/* out aliases the first operand: replaced */
			CIRC_OK(&f, lathe_result_add(f.ev, &st, st, a));
			CIRC_OK(&f, lathe_result_add(f.ev, &rg, b, rg));
			lathe_result_free(a);
			lathe_result_free(b);
		}
		lathe_table_free(t);
	}
	cr_assert_eq(lathe_result_rows(st), d.rows);
	cr_assert_eq(lathe_result_bound(st, 2), bound0);
	double *vals = csv_select(&d, DB_NAMES, DB_COLS, 0, d.rows);
	check_stats(&f, st, vals, d.rows, cols, DB_COLS, which, 2, pc, 1);
	check_regression(&f, rg, vals, d.rows, cols, DB_COLS, xs, 2, 4);
	/* results that do not add */
	lathe_result *x = NULL;
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_result_add(f.ev, &x, st, rg));
	cr_assert_null(x);
	free(vals);
	lathe_result_free(st);
	lathe_result_free(rg);
	csv_free(&d);
	circ_fix_clear(&f);
}

/* rows x = +-256 (and y): sumsq, sxx and syy reach (t - 1) / 2 = 2045 * 65536 exactly at 2045 rows */
static lathe_table *
pm256_table(circ_fix *f, size_t rows, double **out)
{
	lathe_column cols[2] = { circ_col("x", 1, -256, 256), circ_col("y", 1, -256, 256) };
	double *vals = malloc(rows * 2 * sizeof(double));
	for (size_t i = 0; i < rows; i++) {
		vals[2 * i] = i % 2 ? 256 : -256;
		vals[2 * i + 1] = i % 3 ? -256 : 256;
	}
	lathe_table *t = NULL;
	CIRC_OK(f, lathe_table_encrypt(f->pk, cols, 2, vals, rows, &t));
	if (out)
		*out = vals;
	else
		free(vals);
	return t;
}

Test(stats, at_and_past_the_bound)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 15);
	cr_assert_eq((f.t - 1) / 2, 2045ull * 65536);
	double *vals = NULL;
	lathe_table *t = pm256_table(&f, 2045, &vals);
	lathe_column cols[2] = { circ_col("x", 1, -256, 256), circ_col("y", 1, -256, 256) };
	static const char *const xn[] = { "x" };
	const size_t which[] = { 0 }, ys = 1;
	lathe_result *r = NULL;
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, xn, 1, NULL, 0, &r));
	cr_assert_eq(lathe_result_bound(r, 2), (f.t - 1) / 2);
	check_stats(&f, r, vals, 2045, cols, 2, which, 1, NULL, 0);
	int64_t sq = 0;
	circ_decrypt(&f, r, "sumsq:x", &sq, 1);
	cr_assert_eq(sq, (int64_t)(f.t - 1) / 2);
	lathe_result_free(r);
	CIRC_OK(&f, lathe_circuit_regression(f.ev, t, xn, 1, "y", &r));
	check_regression(&f, r, vals, 2045, cols, 2, which, 1, ys);
	lathe_result_free(r);
	free(vals);
	lathe_table_free(t);

	/* one patient more: refused before any homomorphic work */
	t = pm256_table(&f, 2046, NULL);
	circ_foreign o;
	circ_foreign_init(&f, &o);
	r = (lathe_result *)&o;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_stats(o.ev, t, xn, 1, NULL, 0, &r));
	cr_assert_null(r);
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_regression(o.ev, t, xn, 1, "y", &r));
	const lathe_condition c[] = { { "y", LATHE_GE, 0 } };
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_stats(o.ev, t, xn, 1, c, 1, &r));
	/* without the squares the sums fit: the foreign evaluator's EMISMATCH shows the work began */
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_stats(o.ev, t, NULL, 0, NULL, 0, &r));
	circ_foreign_free(&o);
	lathe_table_free(t);

	/* sums of results: bounds add up to (t - 1) / 2, and one table more is refused */
	lathe_table *ta = pm256_table(&f, 1022, NULL), *tb = pm256_table(&f, 1023, NULL), *tc = pm256_table(&f, 1, NULL);
	lathe_result *a = NULL, *b = NULL, *cc = NULL, *sum = NULL;
	CIRC_OK(&f, lathe_circuit_stats(f.ev, ta, xn, 1, NULL, 0, &a));
	CIRC_OK(&f, lathe_circuit_stats(f.ev, tb, xn, 1, NULL, 0, &b));
	CIRC_OK(&f, lathe_circuit_stats(f.ev, tc, xn, 1, NULL, 0, &cc));
	CIRC_OK(&f, lathe_result_add(f.ev, &sum, a, b));
	cr_assert_eq(lathe_result_bound(sum, 2), (f.t - 1) / 2);
	circ_decrypt(&f, sum, "sumsq:x", &sq, 1);
	cr_assert_eq(sq, (int64_t)(f.t - 1) / 2);
	int64_t cnt = 0;
	circ_decrypt(&f, sum, "count", &cnt, 1);
	cr_assert_eq(cnt, 2045);
	lathe_result *keep = sum;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_result_add(f.ev, &sum, sum, cc));
	cr_assert_eq(sum, keep, "a failed aliased sum must leave its operand");
	lathe_result *x = NULL;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_result_add(f.ev, &x, cc, sum));
	cr_assert_null(x);
	lathe_result_free(a);
	lathe_result_free(b);
	lathe_result_free(cc);
	lathe_result_free(sum);
	lathe_table_free(ta);
	lathe_table_free(tb);
	lathe_table_free(tc);
	circ_fix_clear(&f);
}

Test(stats, every_status)
{
	circ_fix f;
	circ_fix_params(&f, 10, 268042241, 3, 16);
	lathe_column cols[3] = { circ_col("a", 1, 0, 3), circ_col("b", 1, -3, 3), circ_col("k", 1, 0, 5) };
	const double vals[] = { 1, 2, 5, 3, -3, 5, 0, 1, 5, 2, 2, 5 };
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 3, vals, 4, &t));
	static const char *const ab[] = { "a", "b" }, *const aa[] = { "a", "a" }, *const az[] = { "a", "z" };
	static const char *const ak[] = { "a", "k" };
	lathe_condition cond = { "b", LATHE_GE, 0 };
	lathe_result *r = NULL;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(NULL, t, ab, 2, NULL, 0, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, NULL, ab, 2, NULL, 0, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, ab, 2, NULL, 0, NULL));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, NULL, 2, NULL, 0, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, ab, 2, NULL, 1, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, aa, 2, NULL, 0, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, az, 2, NULL, 0, &r));
	cond.op = 7;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, ab, 2, &cond, 1, &r));
	cond.op = LATHE_GE;
	cond.threshold = NAN;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, ab, 2, &cond, 1, &r));
	cond.threshold = 0;
	cond.column = "zz";
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, ab, 2, &cond, 1, &r));
	cond.column = NULL;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_stats(f.ev, t, ab, 2, &cond, 1, &r));
	cr_assert_null(r);
	/* a condition's table deeper than the chain */
	lathe_column wide = circ_col("w", 1, 0, 1000);
	const double wv[] = { 1, 2 };
	lathe_table *tw = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &wide, 1, wv, 2, &tw));
	lathe_condition cw = { "w", LATHE_GE, 5 };
	CIRC_EXPECT(&f, LATHE_ELEVEL, lathe_circuit_stats(f.ev, tw, NULL, 0, &cw, 1, &r));
	lathe_table_free(tw);
	/* a mask over more integers than this library tabulates */
	wide = circ_col("w", 1, 0, 200000);
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &wide, 1, wv, 2, &tw));
	CIRC_EXPECT(&f, LATHE_EUNSUPPORTED, lathe_circuit_stats(f.ev, tw, NULL, 0, &cw, 1, &r));
	lathe_table_free(tw);
	/* regression arguments */
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_regression(f.ev, t, ab, 0, "k", &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_regression(f.ev, t, ab, 2, NULL, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_regression(f.ev, t, ab, 2, "zz", &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_regression(f.ev, t, ab, 2, "b", &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_regression(f.ev, t, aa, 2, "k", &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_regression(f.ev, t, az, 2, "k", &r));
	circ_fix g;
	circ_fix_params(&g, 10, 268042241, 1, 17);
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_stats(g.ev, t, ab, 2, NULL, 0, &r));
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_regression(g.ev, t, ab, 2, "k", &r));
	circ_fix_clear(&g);

	/* the solve: a constant column is singular; a constant target has no R^2 */
	CIRC_OK(&f, lathe_circuit_regression(f.ev, t, ak, 2, "b", &r));
	int64_t *v = calloc(lathe_result_items(r), sizeof(int64_t));
	for (size_t i = 0; i < lathe_result_items(r); i++)
		CIRC_OK(&f, lathe_result_decrypt(f.sk, r, i, &v[i], 1));
	double coef[3], r2;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_regression_solve(r, v, coef, 3, &r2));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_regression_solve(r, v, coef, 2, &r2));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_regression_solve(NULL, v, coef, 3, &r2));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_stats_finish(r, v, "a", NULL, NULL, NULL, NULL));
	v[1] = 1000; /* beyond sx:a's bound */
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_regression_solve(r, v, coef, 3, &r2));
	free(v);
	lathe_result_free(r);
	static const char *const a1[] = { "a" };
	CIRC_OK(&f, lathe_circuit_regression(f.ev, t, a1, 1, "k", &r));
	v = calloc(lathe_result_items(r), sizeof(int64_t));
	for (size_t i = 0; i < lathe_result_items(r); i++)
		CIRC_OK(&f, lathe_result_decrypt(f.sk, r, i, &v[i], 1));
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_regression_solve(r, v, coef, 2, &r2));
	/* without R^2 the coefficients exist: k = 5 + 0 a */
	CIRC_OK(&f, lathe_regression_solve(r, v, coef, 2, NULL));
	cr_assert(fabs(coef[0] - 5) < 1e-12 && fabs(coef[1]) < 1e-12, "%g %g", coef[0], coef[1]);
	free(v);
	lathe_result_free(r);
	/* stats_finish */
	CIRC_OK(&f, lathe_circuit_stats(f.ev, t, ab, 2, NULL, 0, &r));
	v = calloc(lathe_result_items(r), sizeof(int64_t));
	for (size_t i = 0; i < lathe_result_items(r); i++)
		CIRC_OK(&f, lathe_result_decrypt(f.sk, r, i, &v[i], 1));
	int64_t n;
	double s, mean, var;
	CIRC_OK(&f, lathe_stats_finish(r, v, "b", &n, &s, &mean, &var));
	cr_assert(n == 4 && s == 2 && mean == 0.5 && fabs(var - (4 + 9 + 1 + 4) / 4.0 + 0.25) < 1e-12, "%lld %g %g %g",
	          (long long)n, s, mean, var);
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_stats_finish(r, v, "k", &n, &s, &mean, &var));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_stats_finish(r, NULL, "b", &n, &s, &mean, &var));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_regression_solve(r, v, coef, 3, &r2));
	v[0] = 3; /* inconsistent: 3 sumsq < sum^2 for a */
	v[1] = 6;
	v[2] = 1;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_stats_finish(r, v, "a", &n, &s, &mean, &var));
	free(v);
	lathe_result_free(r);
	lathe_table_free(t);
	circ_fix_clear(&f);
}
