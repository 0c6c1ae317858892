/*
 * Statistics of an encrypted cohort: patients aged 50 or more with a BMI
 * of 30 or more, and for contrast those under 50 with the same BMI.
 *   cohort_stats [data.csv] [preset]
 * (default data: data/diabetes.csv; preset bgv-128-n32768-t268042241).
 *
 * The hospital encrypts its 442 diabetes patients under its public key.
 * The cloud, with evaluation keys only, selects the cohort by encrypted
 * comparisons (age >= 50, bmi >= 30: a lookup table over each column's
 * declared integer range gives a 0/1 mask; the masks are multiplied) and
 * sums the count, and the values and squares of progression and blood
 * pressure over the cohort (lathe_circuit_stats); only those aggregates
 * are returned. The hospital decrypts them and finishes the count, sum,
 * mean and variance (lathe_stats_finish).
 *
 * Checks: every decrypted aggregate equals the same sum computed in the
 * clear on the fixed-point integers (the conditions compared as the
 * circuit does, X >= ceil(threshold * scale)), and count, sum, mean and
 * variance equal (to a relative 1e-9) the plaintext statistics of the
 * fixed-point values. Those of the raw values are printed beside them.
 * Scales and ranges: regression.h. Exit status 0 when all checks hold, 2
 * when one fails, 1 on an error.
 */
#define _POSIX_C_SOURCE 200809L
#include "regression.h"

#define N_STAT 2

typedef struct cohort {
	const char *title;
	lathe_condition cond[2];
} cohort;

/* ceil(x) without libm */
static double
ceil_(double x)
{
	return -ex_floor(-x);
}

/* Plaintext count, sum, mean, population variance of column j over mask (fixed-point values or raw). */
static void
plain_stats(const ex_csv *d, const lathe_column *cols, size_t j, const unsigned char *mask, int fixed,
            int64_t *count, double *sum, double *mean, double *var)
{
	int64_t n = 0;
	double s = 0, ss = 0;
	for (size_t i = 0; i < d->rows; i++) {
		if (!mask[i])
			continue;
		double v = d->v[i * d->cols + j];
		if (fixed)
			v = (double)ex_fixed(v, cols[j].scale) / cols[j].scale;
		n++;
		s += v;
	}
	*count = n;
	*sum = s;
	*mean = n ? s / (double)n : 0;
	for (size_t i = 0; i < d->rows; i++) {
		if (!mask[i])
			continue;
		double v = d->v[i * d->cols + j];
		if (fixed)
			v = (double)ex_fixed(v, cols[j].scale) / cols[j].scale;
		ss += (v - *mean) * (v - *mean);
	}
	*var = n ? ss / (double)n : 0;
}

static int
close_(double a, double b)
{
	double m = ex_fabs(b) > 1 ? ex_fabs(b) : 1;
	return ex_fabs(a - b) <= 1e-9 * m;
}

int
main(int argc, char **argv)
{
	static const char *const stat_cols[N_STAT] = { "progression", "bp" };
	const cohort cohorts[] = {
		{ "age >= 50 and bmi >= 30", { { "age", LATHE_GE, 50.0 }, { "bmi", LATHE_GE, 30.0 } } },
		{ "age < 50 and bmi >= 30", { { "age", LATHE_LT, 50.0 }, { "bmi", LATHE_GE, 30.0 } } },
	};
	const size_t n_cohorts = sizeof cohorts / sizeof cohorts[0];
	char pathbuf[4096];
	const char *path = ex_data_path(argc, argv, "diabetes.csv", pathbuf, sizeof pathbuf);
	const char *preset = argc > 2 ? argv[2] : "bgv-128-n32768-t268042241";
	ex_csv d;
	if (ex_csv_load(path, &d))
		return EX_FAIL_CALL;
	const char *need[] = { "age", "bmi", "progression", "bp" };
	for (size_t j = 0; j < 4; j++)
		if (ex_csv_col(&d, need[j]) < 0) {
			fprintf(stderr, "%s: no column %s\n", path, need[j]);
			return EX_FAIL_CALL;
		}
	printf("Encrypted cohort statistics over %zu diabetes patients (%s)\n", d.rows, path);

	lathe_ctx *ctx;
	EX_CHECK(lathe_ctx_new_preset(preset, &ctx));
	ex_print_ctx(preset, ctx);
	printf("  threads: %d, kernels: %s\n", lathe_get_threads(), lathe_kernel_name());
	lathe_column *cols = ex_reg_columns(&d, d.rows, lathe_ctx_plain_modulus(ctx));
	printf("\nfixed point:\n");
	ex_reg_print_columns(cols, d.cols);

	/* ---- hospital ---- */
	printf("\nhospital (data owner):\n");
	lathe_sk *sk;
	lathe_pk *pk;
	double t0 = ex_now();
	EX_CHECK(lathe_keygen(ctx, &sk, &pk));
	ex_print_time("key generation (secret, public)", ex_now() - t0);
	t0 = ex_now();
	lathe_evalkeys *ek = ex_circuit_keys(ctx, sk, NULL, NULL);
	ex_print_time("evaluation keys", ex_now() - t0);
	lathe_table *tab;
	t0 = ex_now();
	EX_CHECK(lathe_table_encrypt(pk, cols, d.cols, d.v, d.rows, &tab));
	char what[128];
	snprintf(what, sizeof what, "encode + encrypt (lathe_table_encrypt, %zu ct)", d.cols * lathe_table_chunks(tab));
	ex_print_time(what, ex_now() - t0);
	size_t tab_bytes = ex_table_bytes(tab);
	ex_print_bytes("evaluation keys (to the cloud, once)", ex_evalkeys_bytes(ek));
	ex_print_bytes("one ciphertext", ex_ct_bytes(lathe_table_ct(tab, 0, 0)));
	ex_print_bytes("encrypted table (to the cloud)", tab_bytes);
	printf("  %-44s %9.1f KiB\n", "per patient", (double)tab_bytes / (double)d.rows / 1024.0);

	lathe_eval *ev;
	EX_CHECK(lathe_eval_new(ctx, ek, &ev));
	unsigned char *mask = ex_alloc(d.rows, 1), *raw_mask = ex_alloc(d.rows, 1);
	int fail = 0;
	for (size_t c = 0; c < n_cohorts; c++) {
		const cohort *co = &cohorts[c];
		printf("\ncohort: %s\n", co->title);
		lathe_result *r;
		t0 = ex_now();
		EX_CHECK(lathe_circuit_stats(ev, tab, stat_cols, N_STAT, co->cond, 2, &r));
		ex_print_time("cloud: evaluate (2 comparisons, sums)", ex_now() - t0);
		ex_print_bytes("cloud: result returned", ex_result_bytes(r));
		size_t n_items = lathe_result_items(r);
		int64_t *vals = ex_alloc(n_items, sizeof(int64_t));
		t0 = ex_now();
		for (size_t i = 0; i < n_items; i++)
			EX_CHECK(lathe_result_decrypt(sk, r, i, &vals[i], 1));
		ex_print_time("hospital: decrypt the aggregates", ex_now() - t0);

		/* the cohort in the clear: on the fixed-point integers as the circuit compares, and on the raw values */
		for (size_t i = 0; i < d.rows; i++) {
			mask[i] = raw_mask[i] = 1;
			for (size_t k = 0; k < 2; k++) {
				size_t j = (size_t)ex_csv_col(&d, co->cond[k].column);
				double v = d.v[i * d.cols + j], thr = co->cond[k].threshold;
				int ge = (double)ex_fixed(v, cols[j].scale) >= ceil_(thr * cols[j].scale);
				mask[i] &= (unsigned char)(co->cond[k].op == LATHE_GE ? ge : !ge);
				raw_mask[i] &= (unsigned char)(co->cond[k].op == LATHE_GE ? v >= thr : v < thr);
			}
		}
		size_t bad = ex_check_items(r, vals, &d, cols, 0, d.rows, NULL, mask);
		printf("  aggregates equal to the plaintext sums over the cohort: %zu of %zu\n", n_items - bad, n_items);
		fail |= bad != 0;

		printf("  %-12s %-10s %6s %12s %12s %12s\n", "column", "", "count", "sum", "mean", "variance");
		for (size_t k = 0; k < N_STAT; k++) {
			int64_t cnt, pcnt, rcnt;
			double sum, mean, var, psum, pmean, pvar, rsum, rmean, rvar;
			EX_CHECK(lathe_stats_finish(r, vals, stat_cols[k], &cnt, &sum, &mean, &var));
			size_t j = (size_t)ex_csv_col(&d, stat_cols[k]);
			plain_stats(&d, cols, j, mask, 1, &pcnt, &psum, &pmean, &pvar);
			plain_stats(&d, cols, j, raw_mask, 0, &rcnt, &rsum, &rmean, &rvar);
			printf("  %-12s %-10s %6lld %12.4f %12.6f %12.6f\n", stat_cols[k], "encrypted", (long long)cnt, sum,
			       mean, var);
			printf("  %-12s %-10s %6lld %12.4f %12.6f %12.6f\n", "", "plaintext", (long long)pcnt, psum, pmean,
			       pvar);
			printf("  %-12s %-10s %6lld %12.4f %12.6f %12.6f\n", "", "raw data", (long long)rcnt, rsum, rmean, rvar);
			if (cnt != pcnt || !close_(sum, psum) || !close_(mean, pmean) || !close_(var, pvar)) {
				printf("  CHECK FAILED: %s statistics differ from the plaintext ones\n", stat_cols[k]);
				fail = 1;
			}
		}
		free(vals);
		lathe_result_free(r);
	}
	printf("%s\n", fail ? "CHECK FAILED" : "all checks passed");

	free(mask);
	free(raw_mask);
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
