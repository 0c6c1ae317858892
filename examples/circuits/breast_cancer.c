/*
 * Encrypted breast-cancer risk scoring with logistic regression.
 *   breast_cancer [data.csv] [preset]
 * (default data: data/breast_cancer_wisconsin.csv; preset
 * bgv-128-n32768-t268042241, the circuits' parameters).
 *
 * The model owner trains a logistic regression in the clear on 4/5 of
 * the 569 patients of the Wisconsin diagnostic data set (30 features of a
 * fine-needle aspirate; label malignant 1 / benign 0). The hospital
 * encrypts the other fifth (patients 4, 9, 14, ...: every 5th) under its
 * public key; the cloud, with evaluation keys only, computes each
 * patient's score with the model in the clear (lathe_circuit_linear), with
 * the model encrypted by its owner (lathe_circuit_linear_enc), and the
 * encrypted decision score >= 0 (lathe_circuit_logistic); the hospital
 * decrypts. Checks: every decrypted integer score equals the plaintext
 * fixed-point score B + sum_j W_j X_j (W, B from lathe_linear_fixed, X_j
 * the patient's rounded features), and every decrypted decision equals
 * that score's sign test. Exit status 0 when all hold, 2 when one fails,
 * 1 on an error.
 *
 * Training, deterministic: features standardized with the training
 * split's mean and (population) standard deviation; weights and intercept
 * start at 0; 300 iterations of batch gradient descent on the mean
 * logistic loss plus (lambda / 2) ||w||^2 (lambda = 0.01, intercept not
 * penalized) with learning rate 0.5. The standardization is then folded
 * into the model: w_j / sd_j on the raw feature, b - sum_j w_j mu_j / sd_j.
 *
 * Fixed point. The decision is a lookup table over the score's integer
 * range [-bound, bound], of depth ceil(log2(2 bound)) (lathe_logistic_cost);
 * the bound is kept at most 1000 (depth 11, within the 14 levels of the
 * preset) by the choice of the output scale S. Each integer product W_j X_j then has
 * about S |w_j| max|x_j| units to share between its two factors, and the
 * rounding error of W_j X_j is smallest when both are of the same size:
 * column j's scale is the power of ten nearest sqrt(S |w_j| / max|x_j|).
 * S starts at 1000 / (the real score's bound over the declared ranges)
 * and shrinks by 2% until lathe_linear_fixed's bound is at most 1000.
 * Declared ranges: each feature's minimum and maximum over the data set.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#define N_FEATURES 30
#define TRAIN_ITERS 300
#define TRAIN_RATE 0.5
#define TRAIN_L2 0.01
#define BOUND_AIM 1000u
#define SQRT10 3.16227766016837933200

/* 10^e for -12 <= e <= 12, 10^-k as 1 / 10^k (the double nearest). */
static double
pow10i(int e)
{
	double p = 1.0;
	for (int i = 0; i < (e < 0 ? -e : e); i++)
		p *= 10.0;
	return e < 0 ? 1.0 / p : p;
}

/* The power of ten nearest x > 0 on a log scale, as its exponent, within [-6, 6]. */
static int
pow10_nearest(double x)
{
	int e = 0;
	while (e < 6 && x > pow10i(e) * SQRT10)
		e++;
	while (e > -6 && x < pow10i(e) / SQRT10)
		e--;
	return e;
}

/* The training described above: x is rows x N_FEATURES standardized features, y the labels. */
static void
train_logistic(const double *x, const double *y, size_t rows, double *w, double *b)
{
	double gw[N_FEATURES];
	for (size_t j = 0; j < N_FEATURES; j++)
		w[j] = 0;
	*b = 0;
	for (int it = 0; it < TRAIN_ITERS; it++) {
		double gb = 0;
		for (size_t j = 0; j < N_FEATURES; j++)
			gw[j] = 0;
		for (size_t i = 0; i < rows; i++) {
			const double *xi = x + i * N_FEATURES;
			double z = *b;
			for (size_t j = 0; j < N_FEATURES; j++)
				z += w[j] * xi[j];
			double e = ex_sigmoid(z) - y[i];
			gb += e;
			for (size_t j = 0; j < N_FEATURES; j++)
				gw[j] += e * xi[j];
		}
		*b -= TRAIN_RATE * gb / (double)rows;
		for (size_t j = 0; j < N_FEATURES; j++)
			w[j] -= TRAIN_RATE * (gw[j] / (double)rows + TRAIN_L2 * w[j]);
	}
}

/* the trained model as the lathe command reads it: a header of the columns and intercept, one row of weights */
static int
write_model(const char *path, const ex_csv *d, const double *w, double b)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	for (size_t j = 0; j < N_FEATURES; j++)
		fprintf(f, "%s,", d->names[j]);
	fprintf(f, "intercept\n");
	for (size_t j = 0; j < N_FEATURES; j++)
		fprintf(f, "%.17g,", w[j]);
	fprintf(f, "%.17g\n", b);
	return fclose(f) != 0;
}

/* the test patients (every 5th), every column with the diagnosis last, as the CSV had them */
static int
write_test(const char *path, const ex_csv *d, const size_t *test, size_t n_test)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	for (size_t j = 0; j < d->cols; j++)
		fprintf(f, "%s%s", d->names[j], j + 1 < d->cols ? "," : "\n");
	for (size_t k = 0; k < n_test; k++)
		for (size_t j = 0; j < d->cols; j++)
			fprintf(f, "%.17g%s", d->v[test[k] * d->cols + j], j + 1 < d->cols ? "," : "\n");
	return fclose(f) != 0;
}

int
main(int argc, char **argv)
{
	/*
	 * --write-model M --write-test T --write-scales S [data.csv]: the model
	 * owner's training and fixed-point scales alone, for the lathe command
	 * (S: the column scales as `lathe encrypt --scales` takes them)
	 */
	const char *model_out = NULL, *test_out = NULL, *scales_out = NULL;
	while (argc > 2 && strncmp(argv[1], "--write-", 8) == 0) {
		if (strcmp(argv[1], "--write-model") == 0)
			model_out = argv[2];
		else if (strcmp(argv[1], "--write-test") == 0)
			test_out = argv[2];
		else if (strcmp(argv[1], "--write-scales") == 0)
			scales_out = argv[2];
		else
			break;
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	char pathbuf[4096];
	const char *path = ex_data_path(argc, argv, "breast_cancer_wisconsin.csv", pathbuf, sizeof pathbuf);
	const char *preset = argc > 2 ? argv[2] : "bgv-128-n32768-t268042241";
	ex_csv d;
	if (ex_csv_load(path, &d))
		return EX_FAIL_CALL;
	if (d.cols != N_FEATURES + 1 || strcmp(d.names[N_FEATURES], "malignant") != 0) {
		fprintf(stderr, "%s: expected 30 feature columns and the label 'malignant'\n", path);
		return EX_FAIL_CALL;
	}
	const size_t C = d.cols;
	printf("Breast cancer risk on encrypted patients: logistic regression, %zu patients x %d features (%s)\n", d.rows,
	       N_FEATURES, path);

	/* ---- model owner: split, standardize, train, fold (plaintext) ---- */
	size_t n_test = 0, n_train = 0;
	for (size_t i = 0; i < d.rows; i++)
		n_test += i % 5 == 4;
	n_train = d.rows - n_test;
	size_t *test = ex_alloc(n_test, sizeof(size_t)), *trn = ex_alloc(n_train, sizeof(size_t));
	for (size_t i = 0, a = 0, b = 0; i < d.rows; i++) {
		if (i % 5 == 4)
			test[a++] = i;
		else
			trn[b++] = i;
	}
	double mu[N_FEATURES], sd[N_FEATURES];
	for (size_t j = 0; j < N_FEATURES; j++) {
		double s = 0, ss = 0;
		for (size_t k = 0; k < n_train; k++)
			s += d.v[trn[k] * C + j];
		mu[j] = s / (double)n_train;
		for (size_t k = 0; k < n_train; k++) {
			double e = d.v[trn[k] * C + j] - mu[j];
			ss += e * e;
		}
		sd[j] = ex_sqrt(ss / (double)n_train);
		if (!(sd[j] > 0)) {
			fprintf(stderr, "feature %s is constant on the training split\n", d.names[j]);
			return EX_FAIL_CALL;
		}
	}
	double *z = ex_alloc(n_train * N_FEATURES, sizeof(double)), *ytr = ex_alloc(n_train, sizeof(double));
	for (size_t k = 0; k < n_train; k++) {
		for (size_t j = 0; j < N_FEATURES; j++)
			z[k * N_FEATURES + j] = (d.v[trn[k] * C + j] - mu[j]) / sd[j];
		ytr[k] = d.v[trn[k] * C + N_FEATURES];
	}
	double ws[N_FEATURES], bs;
	double t0 = ex_now();
	train_logistic(z, ytr, n_train, ws, &bs);
	double t_train = ex_now() - t0;
	double w[N_FEATURES], b = bs;
	for (size_t j = 0; j < N_FEATURES; j++) {
		w[j] = ws[j] / sd[j];
		b -= ws[j] * mu[j] / sd[j];
	}
	size_t train_ok = 0;
	for (size_t k = 0; k < n_train; k++) {
		double s = b;
		for (size_t j = 0; j < N_FEATURES; j++)
			s += w[j] * d.v[trn[k] * C + j];
		train_ok += (s >= 0) == (ytr[k] == 1.0);
	}
	printf("\nmodel owner (plaintext): %zu training patients, %zu test patients (every 5th)\n", n_train, n_test);
	printf("  gradient descent: %d iterations, rate %.2f, L2 %.2f: %.1f ms, training accuracy %.2f%%\n", TRAIN_ITERS,
	       TRAIN_RATE, TRAIN_L2, 1e3 * t_train, 100.0 * (double)train_ok / (double)n_train);
	if ((model_out && write_model(model_out, &d, w, b)) || (test_out && write_test(test_out, &d, test, n_test))) {
		fprintf(stderr, "cannot write %s\n", model_out ? model_out : test_out);
		return EX_FAIL_CALL;
	}

	/* ---- fixed point: declared ranges, column scales, output scale ---- */
	lathe_column cols[N_FEATURES];
	const char *names[N_FEATURES];
	double lo[N_FEATURES], hi[N_FEATURES], m[N_FEATURES];
	double top = b, bottom = b;
	for (size_t j = 0; j < N_FEATURES; j++) {
		ex_col_range(&d, j, &lo[j], &hi[j]);
		m[j] = ex_fabs(lo[j]) > ex_fabs(hi[j]) ? ex_fabs(lo[j]) : ex_fabs(hi[j]);
		memset(&cols[j], 0, sizeof(cols[j]));
		snprintf(cols[j].name, sizeof cols[j].name, "%s", d.names[j]);
		cols[j].lo = lo[j];
		cols[j].hi = hi[j];
		names[j] = cols[j].name;
		top += w[j] > 0 ? w[j] * hi[j] : w[j] * lo[j];
		bottom += w[j] > 0 ? w[j] * lo[j] : w[j] * hi[j];
	}
	double real_bound = ex_fabs(top) > ex_fabs(bottom) ? ex_fabs(top) : ex_fabs(bottom);
	lathe_linear_model model = { N_FEATURES, names, w, b, (double)BOUND_AIM / real_bound };
	int64_t W[N_FEATURES], B;
	uint64_t bound = 0;
	int expo[N_FEATURES];
	for (int tries = 0;; tries++) {
		for (size_t j = 0; j < N_FEATURES; j++) {
			expo[j] = w[j] != 0 ? pow10_nearest(ex_sqrt(model.out_scale * ex_fabs(w[j]) / m[j])) : 0;
			cols[j].scale = pow10i(expo[j]);
		}
		EX_CHECK(lathe_linear_fixed(&model, cols, N_FEATURES, W, &B, &bound));
		if (bound <= BOUND_AIM)
			break;
		if (tries == 500) {
			fprintf(stderr, "no output scale gives a score bound of at most %u\n", BOUND_AIM);
			return EX_FAIL_CALL;
		}
		model.out_scale *= 0.98;
	}
	/* the fixed-point form by hand: lathe_linear_fixed must agree with its documented rounding */
	size_t w_disagree = (int64_t)ex_round(b * model.out_scale) != B;
	for (size_t j = 0; j < N_FEATURES; j++)
		w_disagree += (int64_t)ex_round(w[j] * model.out_scale / cols[j].scale) != W[j];
	printf("  fixed point: output scale S = %.4f, score bound %llu (real-valued bound %.2f), intercept B = %lld\n",
	       model.out_scale, (unsigned long long)bound, real_bound, (long long)B);
	printf("  %-24s %10s %10s %6s %6s\n", "feature", "weight", "range hi", "scale", "W");
	for (size_t j = 0; j < N_FEATURES; j++)
		printf("  %-24s %10.5f %10.5g 1e%+d %6lld\n", names[j], w[j], hi[j], expo[j], (long long)W[j]);
	if (scales_out) {
		FILE *f = fopen(scales_out, "w");
		for (size_t j = 0; f && j < N_FEATURES; j++)
			fprintf(f, "%s=%g%s", names[j], cols[j].scale, j + 1 < N_FEATURES ? "," : "\n");
		if (!f || fclose(f) != 0) {
			fprintf(stderr, "cannot write %s\n", scales_out);
			return EX_FAIL_CALL;
		}
	}
	if (model_out || test_out || scales_out)
		return 0;
	unsigned dec_depth, dec_levels;
	EX_CHECK(lathe_logistic_cost(bound, &dec_depth, &dec_levels));
	printf("  decision: lookup table over [-%llu, %llu], depth %u products, %u levels\n", (unsigned long long)bound,
	       (unsigned long long)bound, dec_depth, dec_levels);

	/* plaintext references on the test split: the double model and the fixed-point integers */
	double *xt = ex_alloc(n_test * N_FEATURES, sizeof(double));
	int64_t *ref = ex_alloc(n_test, sizeof(int64_t));
	int *label = ex_alloc(n_test, sizeof(int));
	size_t ok_double = 0, ok_fixed = 0, fixed_vs_double = 0;
	for (size_t k = 0; k < n_test; k++) {
		double s = b;
		int64_t si = B;
		for (size_t j = 0; j < N_FEATURES; j++) {
			double v = d.v[test[k] * C + j];
			xt[k * N_FEATURES + j] = v;
			s += w[j] * v;
			si += W[j] * ex_fixed(v, cols[j].scale);
		}
		ref[k] = si;
		label[k] = d.v[test[k] * C + N_FEATURES] == 1.0;
		ok_double += (s >= 0) == label[k];
		ok_fixed += (si >= 0) == label[k];
		fixed_vs_double += (s >= 0) != (si >= 0);
	}

	/* ---- hospital: keys, encryption ---- */
	printf("\nhospital (data owner):\n");
	lathe_ctx *ctx;
	EX_CHECK(lathe_ctx_new_preset(preset, &ctx));
	ex_print_ctx(preset, ctx);
	printf("  threads: %d, kernels: %s\n", lathe_get_threads(), lathe_kernel_name());
	lathe_sk *sk;
	lathe_pk *pk;
	t0 = ex_now();
	EX_CHECK(lathe_keygen(ctx, &sk, &pk));
	ex_print_time("key generation (secret, public)", ex_now() - t0);
	size_t n_steps;
	unsigned gal_level;
	t0 = ex_now();
	lathe_evalkeys *ek = ex_circuit_keys(ctx, sk, &n_steps, &gal_level);
	char what[128];
	snprintf(what, sizeof what, "evaluation keys (relin + %zu Galois, level %u)", n_steps, gal_level);
	ex_print_time(what, ex_now() - t0);

	/* batch encoding alone, as lathe_table_encrypt does it for each column (for its time) */
	size_t slots = lathe_ctx_slots(ctx);
	size_t chunks = (n_test + slots - 1) / slots;
	int64_t *col_vals = ex_alloc(slots, sizeof(int64_t));
	lathe_pt *pt;
	EX_CHECK(lathe_pt_new(ctx, &pt));
	t0 = ex_now();
	for (size_t j = 0; j < N_FEATURES; j++)
		for (size_t c = 0; c < chunks; c++) {
			size_t n = n_test - c * slots < slots ? n_test - c * slots : slots;
			for (size_t i = 0; i < n; i++)
				col_vals[i] = ex_fixed(xt[(c * slots + i) * N_FEATURES + j], cols[j].scale);
			EX_CHECK(lathe_encode(pt, col_vals, n));
		}
	double t_encode = ex_now() - t0;
	lathe_pt_free(pt);
	free(col_vals);
	ex_print_time("encode (fixed point + batch encoding)", t_encode);
	lathe_table *tab;
	t0 = ex_now();
	EX_CHECK(lathe_table_encrypt(pk, cols, N_FEATURES, xt, n_test, &tab));
	snprintf(what, sizeof what, "encode + encrypt (lathe_table_encrypt, %zu ct)", N_FEATURES * lathe_table_chunks(tab));
	ex_print_time(what, ex_now() - t0);
	size_t tab_bytes = ex_table_bytes(tab);
	ex_print_bytes("public key", ex_pk_bytes(pk));
	ex_print_bytes("evaluation keys (to the cloud, once)", ex_evalkeys_bytes(ek));
	ex_print_bytes("one ciphertext", ex_ct_bytes(lathe_table_ct(tab, 0, 0)));
	ex_print_bytes("encrypted table (to the cloud)", tab_bytes);
	printf("  %-44s %9.1f KiB\n", "per patient", (double)tab_bytes / (double)n_test / 1024.0);

	printf("\nmodel owner: encrypts the model for the table's columns\n");
	lathe_enc_model *em;
	t0 = ex_now();
	EX_CHECK(lathe_enc_model_new(pk, &model, cols, N_FEATURES, &em));
	ex_print_time("encrypt model (31 ciphertexts)", ex_now() - t0);

	/* ---- cloud: evaluation keys and ciphertexts only ---- */
	printf("\ncloud (evaluation keys only):\n");
	lathe_eval *ev;
	EX_CHECK(lathe_eval_new(ctx, ek, &ev));
	lathe_result *r_lin, *r_enc, *r_dec;
	t0 = ex_now();
	EX_CHECK(lathe_circuit_linear(ev, tab, &model, &r_lin));
	ex_print_time("evaluate linear score, model in the clear", ex_now() - t0);
	t0 = ex_now();
	EX_CHECK(lathe_circuit_linear_enc(ev, tab, em, &r_enc));
	ex_print_time("evaluate linear score, encrypted model", ex_now() - t0);
	t0 = ex_now();
	EX_CHECK(lathe_circuit_logistic(ev, tab, &model, 0.0, 1, &r_dec));
	snprintf(what, sizeof what, "evaluate decision score >= 0 (depth %u)", dec_depth);
	ex_print_time(what, ex_now() - t0);
	ex_print_bytes("scores returned (each linear result)", ex_result_bytes(r_lin));
	ex_print_bytes("decisions returned", ex_result_bytes(r_dec));

	/* ---- hospital: decrypt and check ---- */
	printf("\nhospital: decrypts\n");
	int64_t *s_lin = ex_alloc(n_test, sizeof(int64_t)), *s_enc = ex_alloc(n_test, sizeof(int64_t));
	int64_t *dec = ex_alloc(n_test, sizeof(int64_t));
	size_t i_lin = ex_item(r_lin, "score"), i_enc = ex_item(r_enc, "score"), i_dec = ex_item(r_dec, "decision");
	t0 = ex_now();
	EX_CHECK(lathe_result_decrypt(sk, r_lin, i_lin, s_lin, n_test));
	ex_print_time("decrypt scores", ex_now() - t0);
	EX_CHECK(lathe_result_decrypt(sk, r_enc, i_enc, s_enc, n_test));
	t0 = ex_now();
	EX_CHECK(lathe_result_decrypt(sk, r_dec, i_dec, dec, n_test));
	ex_print_time("decrypt decisions", ex_now() - t0);

	size_t bad_lin = 0, bad_enc = 0, bad_dec = 0, ok_enc = 0;
	for (size_t k = 0; k < n_test; k++) {
		bad_lin += s_lin[k] != ref[k];
		bad_enc += s_enc[k] != ref[k];
		bad_dec += dec[k] != (ref[k] >= 0);
		ok_enc += (dec[k] == 1) == label[k];
	}
	int fail = 0;
	if (lathe_result_item_denominator(r_lin, i_lin) != model.out_scale || lathe_result_bound(r_lin, i_lin) != bound)
		fail = 1, printf("  CHECK FAILED: the score item's denominator or bound is not the model's\n");
	if (w_disagree)
		fail = 1, printf("  CHECK FAILED: %zu fixed-point weights differ from round(w S / scale)\n", w_disagree);

	printf("\n  %-8s %-6s %10s %12s %12s %12s %9s\n", "patient", "label", "p(double)", "score double",
	       "score fixed", "decrypted", "decision");
	for (size_t k = 0; k < n_test && k < 8; k++) {
		double s = b;
		for (size_t j = 0; j < N_FEATURES; j++)
			s += w[j] * xt[k * N_FEATURES + j];
		printf("  %-8zu %-6s %10.4f %12.4f %12.4f %12.4f %9lld\n", test[k], label[k] ? "malig." : "benign",
		       ex_sigmoid(s), s, (double)ref[k] / model.out_scale, (double)s_lin[k] / model.out_scale,
		       (long long)dec[k]);
	}
	printf("\n  scores (model in the clear) equal to the fixed-point plaintext scores: %zu of %zu\n", n_test - bad_lin,
	       n_test);
	printf("  scores (encrypted model) equal to the fixed-point plaintext scores:    %zu of %zu\n", n_test - bad_enc,
	       n_test);
	printf("  encrypted decisions equal to the plaintext fixed-point decisions:    %zu of %zu\n", n_test - bad_dec,
	       n_test);
	printf("  accuracy on the %zu test patients: double model %.2f%%, fixed-point model %.2f%%, "
	       "encrypted decision %.2f%%\n",
	       n_test, 100.0 * (double)ok_double / (double)n_test, 100.0 * (double)ok_fixed / (double)n_test,
	       100.0 * (double)ok_enc / (double)n_test);
	printf("  decisions of the fixed-point model that differ from the double model's: %zu\n", fixed_vs_double);
	fail |= bad_lin || bad_enc || bad_dec;
	printf("%s\n", fail ? "CHECK FAILED" : "all checks passed");

	lathe_result_free(r_lin);
	lathe_result_free(r_enc);
	lathe_result_free(r_dec);
	lathe_eval_free(ev);
	lathe_enc_model_free(em);
	lathe_table_free(tab);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	free(s_lin);
	free(s_enc);
	free(dec);
	free(xt);
	free(ref);
	free(label);
	free(z);
	free(ytr);
	free(test);
	free(trn);
	ex_csv_free(&d);
	return fail ? EX_FAIL_CHECK : 0;
}
