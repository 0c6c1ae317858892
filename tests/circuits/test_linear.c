/*
 * Linear scores (model in the clear and encrypted) and the logistic
 * decision on the breast-cancer data set, against the fixed-point model
 * computed here in plain C; the bounds at and past t/2; multi-chunk tables;
 * every status.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/circ_util.h"

__extension__ typedef __int128 i128;

/* the breast-cancer columns of the linear tests, and a coarser table for the decision */
static const char *const BC_NAMES[] = { "radius_worst", "texture_worst", "concave_points_worst", "malignant" };
static const char *const MODEL_NAMES[] = { "radius_worst", "texture_worst", "concave_points_worst" };
static const double MODEL_W[] = { 0.3, 0.15, 30.0 };
#define MODEL_B (-15.0)

static void
bc_columns(lathe_column *cols, int coarse)
{
	cols[0] = circ_col("radius_worst", coarse ? 1 : 10, 5, 40);
	cols[1] = circ_col("texture_worst", coarse ? 1 : 10, 10, 50);
	cols[2] = circ_col("concave_points_worst", coarse ? 100 : 1000, 0, 0.3);
	cols[3] = circ_col("malignant", 1, 0, 1);
}

static lathe_linear_model
bc_model(double out_scale)
{
	lathe_linear_model m = { 3, MODEL_NAMES, MODEL_W, MODEL_B, out_scale };
	return m;
}

/* the fixed-point model in plain C: W_j, B, and each patient's integer score */
static void
plain_model(const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, int64_t *W, int64_t *B)
{
	for (size_t i = 0; i < m->n; i++) {
		size_t j = 0;
		while (strcmp(cols[j].name, m->names[i]) != 0)
			j++;
		cr_assert(j < n_cols);
		W[i] = fx(m->weights[i] * m->out_scale / cols[j].scale, 1.0);
	}
	*B = fx(m->intercept, m->out_scale);
}

/* max over the corners of the box of |B + sum W_j X_j|, by enumeration */
static uint64_t
plain_bound(const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, const int64_t *W, int64_t B)
{
	uint64_t best = 0;
	for (unsigned mask = 0; mask < (1u << m->n); mask++) {
		i128 s = B;
		for (size_t i = 0; i < m->n; i++) {
			size_t j = 0;
			while (strcmp(cols[j].name, m->names[i]) != 0)
				j++;
			cr_assert(j < n_cols);
			double v = (mask >> i & 1) ? cols[j].hi : cols[j].lo;
			s += (i128)W[i] * fx(v, cols[j].scale);
		}
		uint64_t a = (uint64_t)(s < 0 ? -s : s);
		if (a > best)
			best = a;
	}
	return best;
}

static int64_t *
plain_scores(const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, const double *vals, size_t rows,
             const int64_t *W, int64_t B)
{
	int64_t *sc = malloc(rows * sizeof(int64_t));
	for (size_t r = 0; r < rows; r++) {
		int64_t s = B;
		for (size_t i = 0; i < m->n; i++) {
			size_t j = 0;
			while (strcmp(cols[j].name, m->names[i]) != 0)
				j++;
			s += W[i] * fx(vals[r * n_cols + j], cols[j].scale);
		}
		sc[r] = s;
	}
	return sc;
}

static void
check_fixed(circ_fix *f, const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, int64_t *W,
            int64_t *B, uint64_t *bound)
{
	int64_t LW[8], LB = 0;
	uint64_t lbound = 0;
	plain_model(m, cols, n_cols, W, B);
	*bound = plain_bound(m, cols, n_cols, W, *B);
	CIRC_OK(f, lathe_linear_fixed(m, cols, n_cols, LW, &LB, &lbound));
	for (size_t i = 0; i < m->n; i++)
		cr_assert_eq(LW[i], W[i], "W[%zu] = %lld, plain %lld", i, (long long)LW[i], (long long)W[i]);
	cr_assert_eq(LB, *B);
	cr_assert_eq(lbound, *bound, "bound %llu, plain %llu", (unsigned long long)lbound, (unsigned long long)*bound);
}

Test(linear, breast_cancer_clear_and_encrypted_models)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 1);
	csv d;
	csv_load(&d, "breast_cancer_wisconsin.csv");
	lathe_column cols[4];
	bc_columns(cols, 0);
	double *vals = csv_select(&d, BC_NAMES, 4, 0, d.rows);
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 4, vals, d.rows, &t));
	cr_assert_eq(lathe_table_rows(t), 569);
	lathe_linear_model m = bc_model(1000);
	int64_t W[3], B;
	uint64_t bound;
	check_fixed(&f, &m, cols, 4, W, &B, &bound);
	int64_t *want = plain_scores(&m, cols, 4, vals, d.rows, W, B);
	int64_t *got = malloc(d.rows * sizeof(int64_t));

	lathe_result *r = NULL;
	double t0 = circ_ms();
	CIRC_OK(&f, lathe_circuit_linear(f.ev, t, &m, &r));
	double t1 = circ_ms();
	cr_assert_str_eq(lathe_result_circuit(r), "linear");
	cr_assert_eq(lathe_result_items(r), 1);
	cr_assert_str_eq(lathe_result_item_name(r, 0), "score");
	cr_assert_eq(lathe_result_item_kind(r, 0), LATHE_ITEM_PER_PATIENT);
	cr_assert_eq(lathe_result_item_denominator(r, 0), 1000.0);
	cr_assert_eq(lathe_result_bound(r, 0), bound);
	circ_decrypt(&f, r, "score", got, d.rows);
	for (size_t i = 0; i < d.rows; i++)
		cr_assert_eq(got[i], want[i], "patient %zu: score %lld, plain %lld [%s]", i, (long long)got[i],
		             (long long)want[i], f.desc);
	lathe_result_free(r);

	lathe_enc_model *em = NULL;
	CIRC_OK(&f, lathe_enc_model_new(f.pk, &m, cols, 4, &em));
	double t2 = circ_ms();
	CIRC_OK(&f, lathe_circuit_linear_enc(f.ev, t, em, &r));
	double t3 = circ_ms();
	cr_assert_str_eq(lathe_result_circuit(r), "linear-enc");
	cr_assert_eq(lathe_result_bound(r, 0), bound);
	memset(got, 0, d.rows * sizeof(int64_t));
	circ_decrypt(&f, r, "score", got, d.rows);
	for (size_t i = 0; i < d.rows; i++)
		cr_assert_eq(got[i], want[i], "patient %zu: encrypted-model score %lld, plain %lld [%s]", i,
		             (long long)got[i], (long long)want[i], f.desc);
	cr_log_info("linear %.1f ms, linear-enc %.1f ms (569 patients, N = 2^12)", t1 - t0, t3 - t2);
	lathe_result_free(r);
	lathe_enc_model_free(em);
	free(got);
	free(want);
	free(vals);
	lathe_table_free(t);
	csv_free(&d);
	circ_fix_clear(&f);
}

Test(linear, breast_cancer_logistic_decision_for_every_patient)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 2);
	csv d;
	csv_load(&d, "breast_cancer_wisconsin.csv");
	lathe_column cols[4];
	bc_columns(cols, 1);
	double *vals = csv_select(&d, BC_NAMES, 4, 0, d.rows);
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 4, vals, d.rows, &t));
	/* out_scale 10: a score bound of 160, a table of 321 points */
	lathe_linear_model m = bc_model(10);
	int64_t W[3], B;
	uint64_t bound;
	check_fixed(&f, &m, cols, 4, W, &B, &bound);
	cr_assert(bound < 200, "bound %llu", (unsigned long long)bound);
	int64_t *want = plain_scores(&m, cols, 4, vals, d.rows, W, B);
	const double threshold = 0.25;
	const int64_t T = (int64_t)ceil(threshold * m.out_scale);
	lathe_result *r = NULL;
	double t0 = circ_ms();
	CIRC_OK(&f, lathe_circuit_logistic(f.ev, t, &m, threshold, 0, &r));
	double t1 = circ_ms();
	cr_assert_str_eq(lathe_result_circuit(r), "logistic");
	cr_assert_eq(lathe_result_items(r), 2);
	cr_assert_eq(lathe_result_bound(r, 0), bound);
	cr_assert_eq(lathe_result_bound(r, 1), 1);
	cr_assert_eq(lathe_result_item_denominator(r, 1), 1.0);
	int64_t *sc = malloc(d.rows * sizeof(int64_t)), *dec = malloc(d.rows * sizeof(int64_t));
	circ_decrypt(&f, r, "score", sc, d.rows);
	circ_decrypt(&f, r, "decision", dec, d.rows);
	size_t agree = 0, ones = 0;
	for (size_t i = 0; i < d.rows; i++) {
		cr_assert_eq(sc[i], want[i], "patient %zu: score %lld, plain %lld [%s]", i, (long long)sc[i],
		             (long long)want[i], f.desc);
		cr_assert_eq(dec[i], want[i] >= T, "patient %zu: score %lld, decision %lld, plain %d [%s]", i,
		             (long long)want[i], (long long)dec[i], want[i] >= T, f.desc);
		agree += dec[i] == (int64_t)vals[i * 4 + 3];
		ones += (size_t)dec[i];
	}
	cr_assert(ones > 0 && ones < d.rows, "every decision alike: the test cannot tell 0 from 1");
	unsigned depth = 0, levels = 0;
	CIRC_OK(&f, lathe_logistic_cost(bound, &depth, &levels));
	cr_log_info("logistic: bound %llu (depth %u, levels %u) in %.0f ms; %zu of %zu decisions match the labels",
	            (unsigned long long)bound, depth, levels, t1 - t0, agree, d.rows);
	lathe_result_free(r);
	free(sc);
	free(dec);
	free(want);
	free(vals);
	lathe_table_free(t);
	csv_free(&d);
	circ_fix_clear(&f);
}

/* one column x in [-65536, 65536] and the model 2045 x + intercept: bound (t - 1) / 2 exactly */
Test(linear, at_and_past_the_bound)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 3);
	cr_assert_eq(f.t, 268042241);
	lathe_column col = circ_col("x", 1, -65536, 65536);
	const double xs[] = { 65536, -65536, 0, 1, -65535 };
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &col, 1, xs, 5, &t));
	static const char *const names[] = { "x" };
	const double w = 2045;
	lathe_linear_model m = { 1, names, &w, 0.0, 1.0 };
	int64_t W, B;
	uint64_t bound;
	CIRC_OK(&f, lathe_linear_fixed(&m, &col, 1, &W, &B, &bound));
	cr_assert_eq(bound, (f.t - 1) / 2, "bound %llu", (unsigned long long)bound);
	lathe_result *r = NULL;
	lathe_enc_model *em = NULL;
	int64_t got[5];
	CIRC_OK(&f, lathe_circuit_linear(f.ev, t, &m, &r));
	circ_decrypt(&f, r, "score", got, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(got[i], 2045 * (int64_t)xs[i], "x = %g: %lld", xs[i], (long long)got[i]);
	cr_assert_eq(got[0], (int64_t)(f.t - 1) / 2);
	lathe_result_free(r);
	CIRC_OK(&f, lathe_enc_model_new(f.pk, &m, &col, 1, &em));
	CIRC_OK(&f, lathe_circuit_linear_enc(f.ev, t, em, &r));
	circ_decrypt(&f, r, "score", got, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(got[i], 2045 * (int64_t)xs[i], "x = %g: encrypted model %lld", xs[i], (long long)got[i]);
	lathe_result_free(r);
	lathe_enc_model_free(em);

	/* one more: refused before any homomorphic work (an evaluator of another key pair would fail it) */
	circ_foreign o;
	circ_foreign_init(&f, &o);
	m.intercept = 1;
	r = (lathe_result *)&o; /* overwritten with NULL */
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_linear(o.ev, t, &m, &r));
	cr_assert_null(r);
	CIRC_OK(&f, lathe_enc_model_new(f.pk, &m, &col, 1, &em));
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_linear_enc(o.ev, t, em, &r));
	cr_assert_null(r);
	lathe_enc_model_free(em);
	/* and the same circuits on that evaluator do fail with EMISMATCH once in range */
	m.intercept = 0;
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_linear(o.ev, t, &m, &r));
	circ_foreign_free(&o);
	lathe_table_free(t);
	circ_fix_clear(&f);
}

/* t = 257 (thin slots: 128, two rows of 64): the decision's table reaches its limit 2 bound + 1 < t */
Test(linear, logistic_at_and_past_the_bound)
{
	unsigned depth = 0, levels = 0;
	circ_fix tmp = { .desc = "cost" };
	CIRC_OK(&tmp, lathe_logistic_cost(127, &depth, &levels));
	cr_assert_eq(depth, 8, "depth %u for a table of 255 points", depth);
	cr_assert(levels >= depth && levels <= depth + 2, "levels %u", levels);
	/* a chain of the stated levels suffices */
	circ_fix f;
	circ_fix_params(&f, 10, 257, levels, 4);
	cr_assert_eq(f.slots, 128);
	lathe_column col = circ_col("x", 1, -127, 127);
	double xs[255];
	for (int i = 0; i < 255; i++)
		xs[i] = i - 127;
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &col, 1, xs, 255, &t));
	cr_assert_eq(lathe_table_chunks(t), 2);
	static const char *const names[] = { "x" };
	const double w = 1;
	lathe_linear_model m = { 1, names, &w, 0.0, 1.0 };
	lathe_result *r = NULL;
	const double threshold = 3.5; /* ceil(3.5) = 4 */
	CIRC_OK(&f, lathe_circuit_logistic(f.ev, t, &m, threshold, 1, &r));
	cr_assert_eq(lathe_result_items(r), 1);
	cr_assert_str_eq(lathe_result_item_name(r, 0), "decision");
	int64_t dec[255];
	circ_decrypt(&f, r, "decision", dec, 255);
	for (int i = 0; i < 255; i++)
		cr_assert_eq(dec[i], xs[i] >= 4, "x = %g: decision %lld [%s]", xs[i], (long long)dec[i], f.desc);
	lathe_result_free(r);
	lathe_table_free(t);

	/* 2 * 128 + 1 = t points: refused before any work */
	col = circ_col("x", 1, -128, 128);
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &col, 1, xs, 255, &t));
	circ_foreign o;
	circ_foreign_init(&f, &o);
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_logistic(o.ev, t, &m, threshold, 1, &r));
	cr_assert_null(r);
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_logistic(f.ev, t, &m, threshold, 0, &r));
	circ_foreign_free(&o);
	lathe_table_free(t);
	circ_fix_clear(&f);
}

/* a decision deeper than the chain: LATHE_ELEVEL before any work */
Test(linear, logistic_chain_too_short)
{
	circ_fix f;
	circ_fix_params(&f, 10, 257, 3, 5);
	lathe_column col = circ_col("x", 1, -100, 100);
	const double xs[] = { -100, 0, 100 };
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &col, 1, xs, 3, &t));
	static const char *const names[] = { "x" };
	const double w = 1;
	lathe_linear_model m = { 1, names, &w, 0.0, 1.0 };
	lathe_result *r = NULL;
	CIRC_EXPECT(&f, LATHE_ELEVEL, lathe_circuit_logistic(f.ev, t, &m, 0, 1, &r));
	cr_assert_null(r);
	/* a table just within the chain's depth but beyond its noise: a passed-on ELEVEL or ENOISE */
	col = circ_col("x", 1, -4, 4);
	lathe_table *t2 = NULL;
	const double ys[] = { -4, 0, 4 };
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &col, 1, ys, 3, &t2));
	lathe_status s = lathe_circuit_logistic(f.ev, t2, &m, 0, 1, &r);
	if (s == LATHE_OK) {
		int64_t dec[3];
		circ_decrypt(&f, r, "decision", dec, 3);
		for (int i = 0; i < 3; i++)
			cr_assert_eq(dec[i], ys[i] >= 0);
		lathe_result_free(r);
	} else
		cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE, "status %s: %s", lathe_strerror(s), lathe_last_error());
	lathe_table_free(t2);
	lathe_table_free(t);
	circ_fix_clear(&f);
}

/* more patients than slots: two chunks, the second padded */
Test(linear, two_chunks)
{
	circ_fix f;
	circ_fix_preset(&f, CIRC_PRESET, 6);
	const size_t rows = f.slots + 37;
	lathe_column cols[2] = { circ_col("a", 100, -5, 5), circ_col("b", 10, 0, 20) };
	double *vals = malloc(rows * 2 * sizeof(double));
	for (size_t i = 0; i < rows; i++) {
		vals[2 * i] = ((double)test_rand(&f.g, 1001) - 500) / 100;
		vals[2 * i + 1] = (double)test_rand(&f.g, 201) / 10;
	}
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 2, vals, rows, &t));
	cr_assert_eq(lathe_table_chunks(t), 2);
	cr_assert_not_null(lathe_table_ct(t, 1, 1));
	cr_assert_null(lathe_table_ct(t, 1, 2));
	cr_assert_null(lathe_table_ct(t, 2, 0));
	static const char *const names[] = { "b", "a" };
	const double w[] = { -1.25, 3.5 };
	lathe_linear_model m = { 2, names, w, 7.0, 100.0 };
	int64_t W[2], B;
	uint64_t bound;
	check_fixed(&f, &m, cols, 2, W, &B, &bound);
	int64_t *want = plain_scores(&m, cols, 2, vals, rows, W, B);
	int64_t *got = malloc(rows * sizeof(int64_t));
	lathe_result *r = NULL;
	CIRC_OK(&f, lathe_circuit_linear(f.ev, t, &m, &r));
	cr_assert_eq(lathe_result_rows(r), rows);
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_result_decrypt(f.sk, r, 0, got, rows - 1));
	circ_decrypt(&f, r, "score", got, rows);
	for (size_t i = 0; i < rows; i++)
		cr_assert_eq(got[i], want[i], "patient %zu: %lld, plain %lld [%s]", i, (long long)got[i],
		             (long long)want[i], f.desc);
	lathe_result_free(r);
	free(got);
	free(want);
	free(vals);
	lathe_table_free(t);
	circ_fix_clear(&f);
}

Test(linear, every_status)
{
	circ_fix f;
	circ_fix_params(&f, 10, 268042241, 2, 7);
	lathe_column cols[2] = { circ_col("a", 10, 0, 10), circ_col("b", 1, -3, 3) };
	const double vals[] = { 1, 2, 3, -3 };
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 2, vals, 2, &t));
	static const char *const names[] = { "a", "b" };
	static const char *const unknown[] = { "a", "zz" };
	static const char *const twice[] = { "a", "a" };
	double w[] = { 1, 2 };
	lathe_linear_model m = { 2, names, w, 0, 10 };
	lathe_result *r = NULL;
	int64_t W[2], B;
	uint64_t bound;
	lathe_enc_model *em = NULL;

	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(NULL, t, &m, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(f.ev, NULL, &m, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(f.ev, t, NULL, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(f.ev, t, &m, NULL));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_linear_fixed(&m, cols, 2, NULL, &B, &bound));
	m.names = unknown;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(f.ev, t, &m, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_linear_fixed(&m, cols, 2, W, &B, &bound));
	m.names = twice;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_linear_fixed(&m, cols, 2, W, &B, &bound));
	m.names = names;
	m.n = 0;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_linear_fixed(&m, cols, 2, W, &B, &bound));
	m.n = 2;
	w[1] = NAN;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_linear_fixed(&m, cols, 2, W, &B, &bound));
	w[1] = 1.1e11; /* W = 1.1e12 >= 2^40 */
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_linear_fixed(&m, cols, 2, W, &B, &bound));
	w[1] = 1.0e11; /* W = 1e12 < 2^40: fine, but the bound 3e12 is beyond t/2 */
	CIRC_OK(&f, lathe_linear_fixed(&m, cols, 2, W, &B, &bound));
	cr_assert_eq(W[1], 1000000000000LL);
	cr_assert_eq(bound, 3000000000000ULL + 100);
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_linear(f.ev, t, &m, &r));
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_circuit_logistic(f.ev, t, &m, 0, 1, &r));
	w[1] = 2;
	m.out_scale = 0;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(f.ev, t, &m, &r));
	m.out_scale = 10;
	m.intercept = INFINITY;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear(f.ev, t, &m, &r));
	m.intercept = 0;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_logistic(f.ev, t, &m, NAN, 1, &r));
	/* a decision table beyond 2^17 points; no relinearization key */
	lathe_column big = circ_col("a", 1, 0, 70000);
	lathe_table *tb = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &big, 1, vals, 2, &tb));
	const double one = 1;
	lathe_linear_model m1 = { 1, names, &one, 0, 1 };
	CIRC_EXPECT(&f, LATHE_EUNSUPPORTED, lathe_circuit_logistic(f.ev, tb, &m1, 0, 1, &r));
	lathe_table_free(tb);
	lathe_eval *bare = NULL;
	CIRC_OK(&f, lathe_eval_new(f.ctx, NULL, &bare));
	lathe_column small = circ_col("a", 1, -1, 1);
	const double sv[] = { -1, 1 };
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &small, 1, sv, 2, &tb));
	/* a table of 3 points: one product, which needs the relinearization key */
	CIRC_EXPECT(&f, LATHE_ENOKEY, lathe_circuit_logistic(bare, tb, &m1, 0, 1, &r));
	CIRC_OK(&f, lathe_circuit_linear(bare, tb, &m1, &r)); /* no key needed */
	lathe_result_free(r);
	lathe_table_free(tb);
	lathe_eval_free(bare);
	/* a bound that does not fit 64 bits saturates */
	lathe_column huge[1] = { circ_col("a", 1, -4e18, 4e18) };
	const double wh = 1e12 - 1;
	lathe_linear_model mh = { 1, names, &wh, 0, 1 };
	CIRC_OK(&f, lathe_linear_fixed(&mh, huge, 1, W, &B, &bound));
	cr_assert_eq(bound, UINT64_MAX);

	/* encrypted models: another table's columns, another key pair, another context */
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_enc_model_new(NULL, &m, cols, 2, &em));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_enc_model_new(f.pk, &m, cols, 2, NULL));
	lathe_column other[2] = { circ_col("a", 100, 0, 10), circ_col("b", 1, -3, 3) };
	CIRC_OK(&f, lathe_enc_model_new(f.pk, &m, other, 2, &em));
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_linear_enc(f.ev, t, em, &r));
	lathe_enc_model_free(em);
	circ_foreign o;
	circ_foreign_init(&f, &o);
	CIRC_OK(&f, lathe_enc_model_new(o.pk, &m, cols, 2, &em));
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_linear_enc(f.ev, t, em, &r));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuit_linear_enc(f.ev, t, NULL, &r));
	lathe_enc_model_free(em);
	circ_foreign_free(&o);
	circ_fix g;
	circ_fix_params(&g, 10, 268042241, 1, 8);
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_circuit_linear(g.ev, t, &m, &r));
	cr_assert_null(r);
	circ_fix_clear(&g);

	/* logistic costs */
	unsigned depth, levels;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_logistic_cost(10, NULL, NULL));
	CIRC_OK(&f, lathe_logistic_cost(0, &depth, &levels));
	cr_assert_eq(depth, 0);
	CIRC_OK(&f, lathe_logistic_cost(1, &depth, &levels));
	cr_assert_eq(depth, 1);
	CIRC_OK(&f, lathe_logistic_cost(1024, &depth, &levels));
	cr_assert_eq(depth, 11);
	CIRC_EXPECT(&f, LATHE_EUNSUPPORTED, lathe_logistic_cost((uint64_t)1 << 40, &depth, &levels));
	lathe_table_free(t);
	circ_fix_clear(&f);
}
