/*
 * Encrypted linear regression: diabetes progression on 10 baseline
 * measurements.
 *   diabetes_regression [data.csv] [preset]
 * (default data: data/diabetes.csv; preset bgv-128-n32768-t268042241).
 *
 * The hospital encrypts its 442 patients (age, sex, BMI, blood pressure,
 * six serum measurements, and the progression one year later) under its
 * public key. The cloud, with evaluation keys only, computes the
 * sufficient statistics of least squares with an intercept: X^T X and
 * X^T y as sums over the patients of the columns' products
 * (lathe_circuit_regression), and returns those aggregates alone. The
 * hospital decrypts them and solves the normal equations exactly over the
 * rationals (lathe_regression_solve).
 *
 * Checks: every decrypted aggregate equals the same sum computed in the
 * clear on the fixed-point integers, and the coefficients agree, to a
 * relative 1e-6, with a double-precision least-squares fit of the same
 * fixed-point data (Householder QR, ols.h). The fit of the raw, unrounded
 * data is printed beside them: what the fixed point costs. Scales and
 * ranges: regression.h. Exit status 0 when all checks hold, 2 when one
 * fails, 1 on an error.
 */
#define _POSIX_C_SOURCE 200809L
#include "regression.h"

#define N_X 10

int
main(int argc, char **argv)
{
	static const char *const xs[N_X] = { "age", "sex", "bmi", "bp", "s1_tc",
		                             "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu" };
	const char *target = "progression";
	char pathbuf[4096];
	const char *path = ex_data_path(argc, argv, "diabetes.csv", pathbuf, sizeof pathbuf);
	const char *preset = argc > 2 ? argv[2] : "bgv-128-n32768-t268042241";
	ex_csv d;
	if (ex_csv_load(path, &d))
		return EX_FAIL_CALL;
	long xi[N_X], yi = ex_csv_col(&d, target);
	for (size_t j = 0; j <= N_X; j++)
		if ((j < N_X ? (xi[j] = ex_csv_col(&d, xs[j])) : yi) < 0) {
			fprintf(stderr, "%s: no column %s\n", path, j < N_X ? xs[j] : target);
			return EX_FAIL_CALL;
		}
	printf("Encrypted least squares: %s on %d columns, %zu patients (%s)\n", target, N_X, d.rows, path);

	lathe_ctx *ctx;
	EX_CHECK(lathe_ctx_new_preset(preset, &ctx));
	ex_print_ctx(preset, ctx);
	printf("  threads: %d, kernels: %s\n", lathe_get_threads(), lathe_kernel_name());
	lathe_column *cols = ex_reg_columns(&d, d.rows, lathe_ctx_plain_modulus(ctx));
	printf("\nfixed point (every product sum over %zu patients stays below t/2: |X| <= %llu):\n", d.rows,
	       (unsigned long long)ex_reg_limit(d.rows, lathe_ctx_plain_modulus(ctx)));
	ex_reg_print_columns(cols, d.cols);

	/* ---- hospital: keys, encryption ---- */
	printf("\nhospital (data owner):\n");
	lathe_sk *sk;
	lathe_pk *pk;
	double t0 = ex_now();
	EX_CHECK(lathe_keygen(ctx, &sk, &pk));
	ex_print_time("key generation (secret, public)", ex_now() - t0);
	size_t n_steps;
	unsigned gal_level;
	t0 = ex_now();
	lathe_evalkeys *ek = ex_circuit_keys(ctx, sk, &n_steps, &gal_level);
	char what[128];
	snprintf(what, sizeof what, "evaluation keys (relin + %zu Galois, level %u)", n_steps, gal_level);
	ex_print_time(what, ex_now() - t0);
	lathe_table *tab;
	t0 = ex_now();
	EX_CHECK(lathe_table_encrypt(pk, cols, d.cols, d.v, d.rows, &tab));
	snprintf(what, sizeof what, "encode + encrypt (lathe_table_encrypt, %zu ct)", d.cols * lathe_table_chunks(tab));
	ex_print_time(what, ex_now() - t0);
	size_t tab_bytes = ex_table_bytes(tab);
	ex_print_bytes("evaluation keys (to the cloud, once)", ex_evalkeys_bytes(ek));
	ex_print_bytes("one ciphertext", ex_ct_bytes(lathe_table_ct(tab, 0, 0)));
	ex_print_bytes("encrypted table (to the cloud)", tab_bytes);
	printf("  %-44s %9.1f KiB\n", "per patient", (double)tab_bytes / (double)d.rows / 1024.0);

	/* ---- cloud ---- */
	printf("\ncloud (evaluation keys only):\n");
	lathe_eval *ev;
	EX_CHECK(lathe_eval_new(ctx, ek, &ev));
	lathe_result *r;
	t0 = ex_now();
	EX_CHECK(lathe_circuit_regression(ev, tab, xs, N_X, target, &r));
	ex_print_time("evaluate X^T X and X^T y", ex_now() - t0);
	size_t n_items = lathe_result_items(r);
	uint64_t max_bound = 0;
	for (size_t i = 0; i < n_items; i++)
		if (lathe_result_bound(r, i) > max_bound)
			max_bound = lathe_result_bound(r, i);
	printf("  %zu aggregates, largest bound %llu (t/2 = %llu)\n", n_items, (unsigned long long)max_bound,
	       (unsigned long long)(lathe_ctx_plain_modulus(ctx) / 2));
	ex_print_bytes("result returned", ex_result_bytes(r));

	/* ---- hospital: decrypt, solve, check ---- */
	printf("\nhospital: decrypts and solves\n");
	int64_t *vals = ex_alloc(n_items, sizeof(int64_t));
	t0 = ex_now();
	for (size_t i = 0; i < n_items; i++)
		EX_CHECK(lathe_result_decrypt(sk, r, i, &vals[i], 1));
	ex_print_time("decrypt the aggregates", ex_now() - t0);
	double coef[N_X + 1], r2;
	t0 = ex_now();
	EX_CHECK(lathe_regression_solve(r, vals, coef, N_X + 1, &r2));
	ex_print_time("solve the normal equations (exact)", ex_now() - t0);

	size_t bad = ex_check_items(r, vals, &d, cols, 0, d.rows, target, NULL);
	printf("  aggregates equal to the plaintext sums of the fixed-point data: %zu of %zu\n", n_items - bad, n_items);
	double cq[N_X + 1], r2q, craw[N_X + 1], r2raw;
	if (ex_reg_ols(&d, cols, xi, N_X, yi, 1, cq, &r2q) || ex_reg_ols(&d, cols, xi, N_X, yi, 0, craw, &r2raw)) {
		fprintf(stderr, "the columns are linearly dependent\n");
		return EX_FAIL_CALL;
	}
	printf("\n  %-12s %16s %16s %16s\n", "coefficient", "encrypted", "plaintext QR", "raw data QR");
	for (size_t j = 0; j <= N_X; j++)
		printf("  %-12s %16.8f %16.8f %16.8f\n", j ? xs[j - 1] : "intercept", coef[j], cq[j], craw[j]);
	printf("  %-12s %16.10f %16.10f %16.10f\n", "R^2", r2, r2q, r2raw);
	double da, dr, qa, qr;
	ex_coef_diff(coef, cq, N_X + 1, &da, &dr);
	ex_coef_diff(cq, craw, N_X + 1, &qa, &qr);
	printf("\n  encrypted vs plaintext QR on the same fixed-point data: largest difference %.3g (relative %.3g), "
	       "R^2 difference %.3g\n",
	       da, dr, ex_fabs(r2 - r2q));
	printf("  fixed-point vs raw data (rounding of the inputs): largest difference %.3g (relative %.3g)\n", qa,
	       qr);
	int fail = bad != 0 || !(dr <= 1e-6) || !(ex_fabs(r2 - r2q) <= 1e-9);
	printf("%s\n", fail ? "CHECK FAILED" : "all checks passed");

	free(vals);
	lathe_result_free(r);
	lathe_eval_free(ev);
	lathe_table_free(tab);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	free(cols);
	ex_csv_free(&d);
	return fail ? EX_FAIL_CHECK : 0;
}
