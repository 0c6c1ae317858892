/*
 * Three hospitals pool an encrypted regression without pooling their data.
 *   multi_hospital [data.csv] [preset]
 * (default data: data/diabetes.csv; preset bgv-128-n32768-t268042241).
 *
 * A consortium's coordinator holds the secret key and publishes the public
 * key. The 442 diabetes patients are split into three hospitals of 147,
 * 147 and 148 patients (consecutive rows); each encrypts its own rows
 * under the one public key, with the columns the consortium agreed on
 * (declared ranges and scales chosen for the pooled 442 patients, so that
 * the sum of the three results stays below t/2: regression.h). The
 * cloud computes X^T X and X^T y of progression on the 10 other columns
 * for each hospital (lathe_circuit_regression) and adds the three results
 * (lathe_result_add); the coordinator decrypts the pooled aggregates only,
 * never one hospital's.
 *
 * Checks: every pooled aggregate equals the sum over all 442 patients
 * computed in the clear on the fixed-point integers; the coefficients
 * solved from the decrypted aggregates equal, bit for bit, those solved
 * from the plaintext pooled aggregates, and agree to a relative 1e-6 with
 * a double-precision least-squares fit of the pooled fixed-point data.
 * Exit status 0 when all hold, 2 when one fails, 1 on an error.
 */
#define _POSIX_C_SOURCE 200809L
#include "regression.h"

#define N_X 10
#define N_HOSP 3

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
	if (d.rows < N_HOSP) {
		fprintf(stderr, "%s: fewer patients than hospitals\n", path);
		return EX_FAIL_CALL;
	}
	size_t start[N_HOSP + 1];
	for (size_t h = 0; h <= N_HOSP; h++)
		start[h] = h * d.rows / N_HOSP;
	printf("Multi-hospital encrypted regression: %s on %d columns, %d hospitals, %zu patients (%s)\n", target, N_X,
	       N_HOSP, d.rows, path);

	lathe_ctx *ctx;
	EX_CHECK(lathe_ctx_new_preset(preset, &ctx));
	ex_print_ctx(preset, ctx);
	printf("  threads: %d, kernels: %s\n", lathe_get_threads(), lathe_kernel_name());
	lathe_column *cols = ex_reg_columns(&d, d.rows, lathe_ctx_plain_modulus(ctx));

	/* ---- coordinator: one key pair for the consortium ---- */
	printf("\ncoordinator: keys\n");
	lathe_sk *sk;
	lathe_pk *pk;
	double t0 = ex_now();
	EX_CHECK(lathe_keygen(ctx, &sk, &pk));
	ex_print_time("key generation (secret, public)", ex_now() - t0);
	t0 = ex_now();
	lathe_evalkeys *ek = ex_circuit_keys(ctx, sk, NULL, NULL);
	ex_print_time("evaluation keys", ex_now() - t0);
	ex_print_bytes("public key (to each hospital)", ex_pk_bytes(pk));
	ex_print_bytes("evaluation keys (to the cloud, once)", ex_evalkeys_bytes(ek));

	/* ---- hospitals: each encrypts its own patients ---- */
	lathe_table *tab[N_HOSP];
	char what[128];
	for (size_t h = 0; h < N_HOSP; h++) {
		size_t rows = start[h + 1] - start[h];
		printf("\nhospital %zu: patients %zu..%zu (%zu)\n", h + 1, start[h], start[h + 1] - 1, rows);
		t0 = ex_now();
		EX_CHECK(lathe_table_encrypt(pk, cols, d.cols, d.v + start[h] * d.cols, rows, &tab[h]));
		snprintf(what, sizeof what, "encode + encrypt (%zu ct)", d.cols * lathe_table_chunks(tab[h]));
		ex_print_time(what, ex_now() - t0);
		ex_print_bytes("encrypted table (to the cloud)", ex_table_bytes(tab[h]));
	}

	/* ---- cloud: one regression per hospital, then their sum ---- */
	printf("\ncloud (evaluation keys only):\n");
	lathe_eval *ev;
	EX_CHECK(lathe_eval_new(ctx, ek, &ev));
	lathe_result *r[N_HOSP];
	for (size_t h = 0; h < N_HOSP; h++) {
		t0 = ex_now();
		EX_CHECK(lathe_circuit_regression(ev, tab[h], xs, N_X, target, &r[h]));
		snprintf(what, sizeof what, "evaluate X^T X, X^T y of hospital %zu", h + 1);
		ex_print_time(what, ex_now() - t0);
	}
	lathe_result *partial, *pooled;
	t0 = ex_now();
	EX_CHECK(lathe_result_add(ev, &partial, r[0], r[1]));
	EX_CHECK(lathe_result_add(ev, &pooled, partial, r[2]));
	ex_print_time("add the three results", ex_now() - t0);
	size_t n_items = lathe_result_items(pooled);
	size_t i_syy = ex_item(pooled, "syy");
	printf("  bound of syy: hospitals %llu + %llu + %llu, pooled %llu (t/2 = %llu)\n",
	       (unsigned long long)lathe_result_bound(r[0], i_syy), (unsigned long long)lathe_result_bound(r[1], i_syy),
	       (unsigned long long)lathe_result_bound(r[2], i_syy), (unsigned long long)lathe_result_bound(pooled, i_syy),
	       (unsigned long long)(lathe_ctx_plain_modulus(ctx) / 2));
	ex_print_bytes("pooled result (to the coordinator)", ex_result_bytes(pooled));

	/* ---- coordinator: decrypt the pooled aggregates, solve, check ---- */
	printf("\ncoordinator: decrypts the pooled aggregates and solves\n");
	int64_t *vals = ex_alloc(n_items, sizeof(int64_t)), *plain = ex_alloc(n_items, sizeof(int64_t));
	t0 = ex_now();
	for (size_t i = 0; i < n_items; i++)
		EX_CHECK(lathe_result_decrypt(sk, pooled, i, &vals[i], 1));
	ex_print_time("decrypt the aggregates", ex_now() - t0);
	size_t bad = ex_check_items(pooled, vals, &d, cols, 0, d.rows, target, NULL);
	printf("  pooled aggregates equal to the plaintext sums over all %zu patients: %zu of %zu\n", d.rows,
	       n_items - bad, n_items);
	for (size_t i = 0; i < n_items; i++) {
		double den;
		if (ex_item_reference(&d, cols, 0, d.rows, target, NULL, lathe_result_item_name(pooled, i), &plain[i],
		                      &den)) {
			fprintf(stderr, "unknown item %s\n", lathe_result_item_name(pooled, i));
			return EX_FAIL_CHECK;
		}
	}
	double coef[N_X + 1], r2, cplain[N_X + 1], r2plain, cq[N_X + 1], r2q;
	EX_CHECK(lathe_regression_solve(pooled, vals, coef, N_X + 1, &r2));
	EX_CHECK(lathe_regression_solve(pooled, plain, cplain, N_X + 1, &r2plain));
	if (ex_reg_ols(&d, cols, xi, N_X, yi, 1, cq, &r2q)) {
		fprintf(stderr, "the columns are linearly dependent\n");
		return EX_FAIL_CALL;
	}
	size_t same = 0;
	for (size_t j = 0; j <= N_X; j++)
		same += memcmp(&coef[j], &cplain[j], sizeof(double)) == 0;
	same += memcmp(&r2, &r2plain, sizeof(double)) == 0;
	printf("\n  %-12s %16s %16s\n", "coefficient", "encrypted", "pooled QR");
	for (size_t j = 0; j <= N_X; j++)
		printf("  %-12s %16.8f %16.8f\n", j ? xs[j - 1] : "intercept", coef[j], cq[j]);
	printf("  %-12s %16.10f %16.10f\n", "R^2", r2, r2q);
	double da, dr;
	ex_coef_diff(coef, cq, N_X + 1, &da, &dr);
	printf("\n  coefficients and R^2 identical to the solve of the plaintext pooled sums: %zu of %d\n", same,
	       N_X + 2);
	printf("  encrypted vs pooled plaintext QR: largest difference %.3g (relative %.3g), R^2 difference %.3g\n", da,
	       dr, ex_fabs(r2 - r2q));
	int fail = bad != 0 || same != N_X + 2 || !(dr <= 1e-6) || !(ex_fabs(r2 - r2q) <= 1e-9);
	printf("%s\n", fail ? "CHECK FAILED" : "all checks passed");

	free(vals);
	free(plain);
	lathe_result_free(pooled);
	lathe_result_free(partial);
	for (size_t h = 0; h < N_HOSP; h++) {
		lathe_result_free(r[h]);
		lathe_table_free(tab[h]);
	}
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	free(cols);
	ex_csv_free(&d);
	return fail ? EX_FAIL_CHECK : 0;
}
