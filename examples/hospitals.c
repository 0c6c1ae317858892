/*
 * Three hospitals, one pooled regression, no key that decrypts alone:
 *   hospitals [data.csv] [preset] [dp]
 * (default data: data/diabetes.csv; preset bgv-128-n32768-t268042241).
 *
 * Keys shared by parties (lathe/multiparty.h; Mouchet, Troncoso-Pastoriza,
 * Bossuat, Hubaux, PETS 2021). The study's coordinator (this process,
 * which also plays the cloud) draws a public common seed and starts three
 * hospitals as separate processes. They exchange files only, in a
 * temporary directory: each hospital publishes its public-key share and
 * both rounds of its relinearization-key and Galois-key shares; the
 * coordinator combines them into an ordinary public key and
 * evaluation-key bundle. Each hospital encrypts its own slice of the 442
 * diabetes patients (147, 147, 148 consecutive rows) under the collective
 * key; the cloud computes X^T X and X^T y for each (lathe_circuit_regression)
 * and adds the three results; each hospital publishes decryption shares
 * of the pooled result only, and the coordinator combines them. No
 * hospital's secret leaves its process; no one ever holds the key.
 *
 * Without "dp": progression on the 10 other columns, with the declared
 * columns of multi_hospital.c (regression.h). Checks: every pooled
 * aggregate equals the plaintext sum over all patients, and the
 * coefficients solved from them equal, bit for bit, those solved from the
 * plaintext pooled sums.
 *
 * With "dp": each hospital adds discrete Gaussian noise to its decryption
 * shares (lathe_mp_decrypt_share_dp, one value per aggregate) for
 * (epsilon, delta) = (10, 10^-6)-DP of the whole release, rho split evenly
 * over its aggregates; an aggregate's sensitivity is the largest term one
 * patient adds to it, from the declared ranges. Such a release of the 78
 * aggregates of 10 columns would drown them, so this variant regresses
 * progression on bmi, bp and s5_ltg (15 aggregates), each column centered
 * on the middle of its declared range, with scales that leave half of t/2
 * for the noise. Checks: every released aggregate lies
 * within 8 standard deviations of the released noise of the exact sum;
 * the coefficients from the noisy aggregates are printed beside the exact
 * ones.
 *
 * Exit status 0 when all checks hold, 2 when one fails, 1 on an error.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "circuits/regression.h"

#define N_HOSP 3
#define MAX_X 10
#define WAIT_SECONDS 900
#define DP_EPSILON 10.0
#define DP_DELTA 1e-6

static char dir[64];

/* dir/name (one buffer per call site is enough: the result is used at once) */
static const char *
file(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static long
file_size(const char *name)
{
	char b[256];
	struct stat st;
	return stat(file(b, sizeof b, name), &st) == 0 ? (long)st.st_size : -1;
}

/* waits until dir/name exists (the library's saves rename a complete file into place) */
static void
wait_for(const char *name, pid_t parent)
{
	char b[256];
	file(b, sizeof b, name);
	const double t0 = ex_now();
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	while (access(b, F_OK) != 0) {
		if (ex_now() - t0 > WAIT_SECONDS || (parent && getppid() != parent)) {
			fprintf(stderr, "gave up waiting for %s\n", b);
			exit(EX_FAIL_CALL);
		}
		nanosleep(&ts, NULL);
	}
}

/* a marker file, written under another name and renamed into place */
static void
mark(const char *name)
{
	char b[256], t[300];
	file(b, sizeof b, name);
	snprintf(t, sizeof t, "%s.tmp", b);
	FILE *f = fopen(t, "w");
	if (!f || fclose(f) != 0 || rename(t, b) != 0) {
		perror(b);
		exit(EX_FAIL_CALL);
	}
}

static lathe_ctx *
study_ctx(const char *preset)
{
	lathe_params *p;
	lathe_ctx *ctx;
	EX_CHECK(lathe_params_new_preset(preset, &p));
	EX_CHECK(lathe_params_set_parties(p, N_HOSP));
	EX_CHECK(lathe_ctx_new(p, &ctx));
	lathe_params_free(p);
	return ctx;
}

/* the Galois elements of the circuits' sums */
static size_t
galois_elements(const lathe_ctx *ctx, uint64_t *g, size_t cap, unsigned *level)
{
	size_t n;
	EX_CHECK(lathe_circuits_keys(ctx, NULL, 0, &n, NULL));
	if (n > cap) {
		fprintf(stderr, "too many Galois elements\n");
		exit(EX_FAIL_CALL);
	}
	int steps[64];
	EX_CHECK(lathe_circuits_keys(ctx, steps, n, &n, level));
	for (size_t i = 0; i < n; i++)
		EX_CHECK(steps[i] == 0 ? lathe_galois_elt_row_swap(ctx, &g[i]) : lathe_galois_elt_rotation(ctx, steps[i], &g[i]));
	return n;
}

/* the privacy parameters of aggregate i of a release of all of r's aggregates */
static lathe_dp
item_dp(const lathe_result *r, size_t i)
{
	const double L = log(1 / DP_DELTA), rho = (sqrt(L + DP_EPSILON) - sqrt(L)) * (sqrt(L + DP_EPSILON) - sqrt(L));
	lathe_dp dp;
	memset(&dp, 0, sizeof dp);
	dp.rho = rho / (double)lathe_result_items(r);
	/* one patient adds at most bound / rows to it (the bound is rows times the largest term) */
	dp.sensitivity = ceil((double)lathe_result_bound(r, i) / (double)lathe_result_rows(r));
	if (dp.sensitivity < 1)
		dp.sensitivity = 1;
	dp.one_value = 1;
	return dp;
}

/* ---- a hospital ---- */

static int
hospital(unsigned h, const char *preset, const ex_csv *d, const lathe_column *cols, size_t r0, size_t r1, int dp,
         pid_t parent)
{
	char b[256], name[64];
	lathe_ctx *ctx = study_ctx(preset);
	uint8_t crs[LATHE_MP_SEED_BYTES];
	FILE *f = fopen(file(b, sizeof b, "crs"), "rb");
	if (!f || fread(crs, 1, sizeof crs, f) != sizeof crs) {
		perror(b);
		return EX_FAIL_CALL;
	}
	fclose(f);
	lathe_party *p;
	EX_CHECK(lathe_party_new(ctx, crs, h, N_HOSP, NULL, &p));
	/* key generation: the public-key share and round 1 at once (both need only the secret) */
	lathe_share *s;
	EX_CHECK(lathe_mp_pk_share(p, &s));
	snprintf(name, sizeof name, "pk.%u", h);
	EX_CHECK(lathe_share_save(s, file(b, sizeof b, name)));
	lathe_share_free(s);
	EX_CHECK(lathe_mp_relin_share1(p, &s));
	snprintf(name, sizeof name, "relin1.%u", h);
	EX_CHECK(lathe_share_save(s, file(b, sizeof b, name)));
	lathe_share_free(s);
	/* round 2, bound to the collective key */
	wait_for("pk", parent);
	wait_for("relin1.sum", parent);
	lathe_pk *pk;
	lathe_share *sum1;
	EX_CHECK(lathe_pk_load(ctx, file(b, sizeof b, "pk"), &pk));
	EX_CHECK(lathe_party_set_pk(p, pk));
	EX_CHECK(lathe_share_load(ctx, file(b, sizeof b, "relin1.sum"), &sum1));
	EX_CHECK(lathe_mp_relin_share2(p, sum1, &s));
	lathe_share_free(sum1);
	snprintf(name, sizeof name, "relin2.%u", h);
	EX_CHECK(lathe_share_save(s, file(b, sizeof b, name)));
	lathe_share_free(s);
	uint64_t g[64];
	unsigned glevel;
	const size_t ng = galois_elements(ctx, g, 64, &glevel);
	for (size_t k = 0; k < ng; k++) {
		EX_CHECK(lathe_mp_galois_share_at(p, g[k], glevel, &s));
		snprintf(name, sizeof name, "galois.%zu.%u", k, h);
		EX_CHECK(lathe_share_save(s, file(b, sizeof b, name)));
		lathe_share_free(s);
	}
	/* its own patients only, under the collective key */
	lathe_table *t;
	EX_CHECK(lathe_table_encrypt(pk, cols, d->cols, d->v + r0 * d->cols, r1 - r0, &t));
	snprintf(name, sizeof name, "table.%u", h);
	EX_CHECK(lathe_table_save(t, file(b, sizeof b, name)));
	lathe_table_free(t);
	/* decryption shares of the pooled result */
	wait_for("pooled", parent);
	lathe_result *r;
	EX_CHECK(lathe_result_load(ctx, file(b, sizeof b, "pooled"), &r));
	for (size_t i = 0; i < lathe_result_items(r); i++) {
		const lathe_ct *ct = lathe_result_item_ct(r, i, 0);
		if (dp) {
			const lathe_dp pd = item_dp(r, i);
			EX_CHECK(lathe_mp_decrypt_share_dp(p, ct, &pd, &s));
		} else {
			EX_CHECK(lathe_mp_decrypt_share(p, ct, &s));
		}
		snprintf(name, sizeof name, "dec.%zu.%u", i, h);
		EX_CHECK(lathe_share_save(s, file(b, sizeof b, name)));
		lathe_share_free(s);
	}
	snprintf(name, sizeof name, "done.%u", h);
	mark(name);
	lathe_result_free(r);
	lathe_pk_free(pk);
	lathe_party_free(p);
	lathe_ctx_free(ctx);
	return 0;
}

/* ---- the coordinator and cloud ---- */

static pid_t kids[N_HOSP];

/* waits (in the coordinator) until dir/name exists; fails as soon as a hospital has failed */
static void
await(const char *name)
{
	char pb[256];
	file(pb, sizeof pb, name);
	const double t0 = ex_now();
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	while (access(pb, F_OK) != 0) {
		for (unsigned k = 0; k < N_HOSP; k++) {
			int status;
			if (kids[k] > 0 && waitpid(kids[k], &status, WNOHANG) == kids[k]) {
				kids[k] = -1;
				if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
					fprintf(stderr, "hospital %u failed\n", k + 1);
					exit(EX_FAIL_CALL);
				}
			}
		}
		if (ex_now() - t0 > WAIT_SECONDS) {
			fprintf(stderr, "gave up waiting for %s\n", pb);
			exit(EX_FAIL_CALL);
		}
		nanosleep(&ts, NULL);
	}
}

/* the shares dir/prefix.0 ... prefix.(N_HOSP-1), waited for and loaded; *bytes adds their sizes */
static void
load_shares(const lathe_ctx *ctx, const char *prefix, lathe_share **s, long *bytes)
{
	char b[256], name[64];
	for (unsigned h = 0; h < N_HOSP; h++) {
		snprintf(name, sizeof name, "%s.%u", prefix, h);
		await(name);
		EX_CHECK(lathe_share_load(ctx, file(b, sizeof b, name), &s[h]));
		*bytes += file_size(name);
	}
}

static void
free_shares(lathe_share **s)
{
	for (unsigned h = 0; h < N_HOSP; h++)
		lathe_share_free(s[h]);
}

static void
remove_dir(void)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char b[512];
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(b, sizeof b, "%s/%s", dir, e->d_name);
			unlink(b);
		}
	closedir(d);
	rmdir(dir);
}

static void
cleanup(void)
{
	for (unsigned h = 0; h < N_HOSP; h++)
		if (kids[h] > 0) {
			kill(kids[h], SIGTERM);
			waitpid(kids[h], NULL, 0);
		}
	if (dir[0])
		remove_dir();
}

int
main(int argc, char **argv)
{
	static const char *const all_x[MAX_X] = { "age", "sex", "bmi", "bp", "s1_tc",
		                                  "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu" };
	static const char *const dp_x[3] = { "bmi", "bp", "s5_ltg" };
	const char *target = "progression";
	char pathbuf[4096];
	const char *path = ex_data_path(argc, argv, "diabetes.csv", pathbuf, sizeof pathbuf);
	const char *preset = argc > 2 && argv[2][0] ? argv[2] : "bgv-128-n32768-t268042241";
	const int dp = argc > 3 && strcmp(argv[3], "dp") == 0;
	const char *const *xs = dp ? dp_x : all_x;
	const size_t nx = dp ? 3 : MAX_X;
	ex_csv full, d;
	if (ex_csv_load(path, &full))
		return EX_FAIL_CALL;
	/* the columns of the study: the regressors and the target, in that order */
	memset(&d, 0, sizeof d);
	d.rows = full.rows;
	d.cols = nx + 1;
	d.names = ex_alloc(d.cols, sizeof(char *));
	d.v = ex_alloc(d.rows * d.cols, sizeof(double));
	for (size_t j = 0; j < d.cols; j++) {
		const char *nm = j < nx ? xs[j] : target;
		long c = ex_csv_col(&full, nm);
		if (c < 0) {
			fprintf(stderr, "%s: no column %s\n", path, nm);
			return EX_FAIL_CALL;
		}
		d.names[j] = full.names[c];
		for (size_t i = 0; i < d.rows; i++)
			d.v[i * d.cols + j] = full.v[i * full.cols + (size_t)c];
	}
	if (d.rows < N_HOSP) {
		fprintf(stderr, "%s: fewer patients than hospitals\n", path);
		return EX_FAIL_CALL;
	}
	/*
	 * With DP, every column centered on the middle of its declared range (a
	 * public shift each hospital applies before encrypting): the terms one
	 * patient adds, hence the noise, shrink to the half-ranges, and the
	 * normal equations are far better conditioned. The slopes are those of
	 * the data; only the intercept is of the centered data.
	 */
	if (dp)
		for (size_t j = 0; j < d.cols; j++) {
			double lo, hi;
			ex_col_range(&d, j, &lo, &hi);
			const double mid = ex_round((lo + hi) / 2);
			for (size_t i = 0; i < d.rows; i++)
				d.v[i * d.cols + j] -= mid;
		}
	size_t start[N_HOSP + 1];
	for (size_t h = 0; h <= N_HOSP; h++)
		start[h] = h * d.rows / N_HOSP;
	/*
	 * The declared columns the consortium agrees on (regression.h) for the
	 * circuits' t (every circuit preset's); with DP, scales for twice the
	 * patients: the sums keep half of t/2 for the noise.
	 */
	const uint64_t t_plain = 268042241;
	lathe_column *cols = ex_reg_columns(&d, dp ? 2 * d.rows : d.rows, t_plain);
	printf("Three hospitals, keys shared by all of them: %s on %zu columns, %zu patients (%s)%s\n", target, nx, d.rows,
	       path, dp ? ", differentially private release" : "");

	snprintf(dir, sizeof dir, "/tmp/lathe-hospitals-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return EX_FAIL_CALL;
	}
	atexit(cleanup);
	/* the public common seed, agreed before the study (atomically in place: hospitals read it once it exists) */
	if (sodium_init() < 0)
		return EX_FAIL_CALL;
	uint8_t crs[LATHE_MP_SEED_BYTES];
	randombytes_buf(crs, sizeof crs);
	{
		char b[256], tmp[300];
		file(b, sizeof b, "crs");
		snprintf(tmp, sizeof tmp, "%s.tmp", b);
		FILE *f = fopen(tmp, "wb");
		if (!f || fwrite(crs, 1, sizeof crs, f) != sizeof crs || fclose(f) != 0 || rename(tmp, b) != 0) {
			perror(b);
			return EX_FAIL_CALL;
		}
	}
	fflush(stdout);
	const pid_t me = getpid();
	for (unsigned h = 0; h < N_HOSP; h++) {
		kids[h] = fork();
		if (kids[h] < 0) {
			perror("fork");
			return EX_FAIL_CALL;
		}
		if (kids[h] == 0) {
			/* a hospital: its own slice only; _exit, so that the parent's clean-up does not run here */
			fflush(stdout);
			_exit(hospital(h, preset, &d, cols, start[h], start[h + 1], dp, me));
		}
	}
	for (unsigned h = 0; h < N_HOSP; h++)
		printf("  hospital %u: process %ld, patients %zu..%zu (%zu)\n", h + 1, (long)kids[h], start[h],
		       start[h + 1] - 1, start[h + 1] - start[h]);

	/* the context only now: no library thread exists before the hospitals are forked */
	lathe_ctx *ctx = study_ctx(preset);
	ex_print_ctx(preset, ctx);
	if (lathe_ctx_plain_modulus(ctx) != t_plain) {
		fprintf(stderr, "preset %s: t = %llu, the columns were declared for t = %llu\n", preset,
		        (unsigned long long)lathe_ctx_plain_modulus(ctx), (unsigned long long)t_plain);
		return EX_FAIL_CALL;
	}
	char b[256], name[64];
	lathe_share *s[N_HOSP];

	/* ---- keys ---- */
	printf("\ncoordinator: collective keys from the hospitals' shares (each hospital sends, in bytes)\n");
	long bytes = 0;
	double t0 = ex_now();
	load_shares(ctx, "pk", s, &bytes);
	const double t_first = ex_now();
	lathe_pk *pk;
	EX_CHECK(lathe_mp_pk_combine((const lathe_share *const *)s, N_HOSP, &pk));
	free_shares(s);
	EX_CHECK(lathe_pk_save(pk, file(b, sizeof b, "pk")));
	ex_print_time("public key combined", ex_now() - t_first);
	printf("  public-key share: %ld bytes\n", bytes / N_HOSP);
	bytes = 0;
	load_shares(ctx, "relin1", s, &bytes);
	lathe_share *sum1;
	double t1 = ex_now();
	EX_CHECK(lathe_mp_relin_combine1((const lathe_share *const *)s, N_HOSP, &sum1));
	free_shares(s);
	EX_CHECK(lathe_share_save(sum1, file(b, sizeof b, "relin1.sum")));
	ex_print_time("relinearization round 1 combined", ex_now() - t1);
	printf("  relinearization share, round 1: %ld bytes\n", bytes / N_HOSP);
	lathe_evalkeys *ek;
	EX_CHECK(lathe_mp_evalkeys_new(pk, &ek));
	bytes = 0;
	load_shares(ctx, "relin2", s, &bytes);
	t1 = ex_now();
	EX_CHECK(lathe_mp_relin_combine2(ek, sum1, (const lathe_share *const *)s, N_HOSP));
	free_shares(s);
	lathe_share_free(sum1);
	ex_print_time("relinearization round 2 combined", ex_now() - t1);
	printf("  relinearization share, round 2: %ld bytes\n", bytes / N_HOSP);
	uint64_t g[64];
	unsigned glevel;
	const size_t ng = galois_elements(ctx, g, 64, &glevel);
	bytes = 0;
	for (size_t k = 0; k < ng; k++) {
		snprintf(name, sizeof name, "galois.%zu", k);
		load_shares(ctx, name, s, &bytes);
		EX_CHECK(lathe_mp_galois_combine(ek, (const lathe_share *const *)s, N_HOSP));
		free_shares(s);
	}
	printf("  Galois-key shares (%zu keys up to level %u): %ld bytes\n", ng, glevel, bytes / N_HOSP);
	ex_print_time("key generation, from the seed to the bundle", ex_now() - t0);
	ex_print_bytes("evaluation keys (at the cloud)", ex_evalkeys_bytes(ek));

	/* ---- cloud ---- */
	printf("\ncloud (evaluation keys only): the hospitals' encrypted tables\n");
	lathe_eval *ev;
	EX_CHECK(lathe_eval_new(ctx, ek, &ev));
	lathe_result *r[N_HOSP];
	for (unsigned h = 0; h < N_HOSP; h++) {
		snprintf(name, sizeof name, "table.%u", h);
		await(name);
		char pb[256];
		file(pb, sizeof pb, name);
		lathe_table *t;
		EX_CHECK(lathe_table_load(ctx, pb, &t));
		printf("  hospital %u: %zu patients, %ld bytes\n", h + 1, lathe_table_rows(t), file_size(name));
		t1 = ex_now();
		EX_CHECK(lathe_circuit_regression(ev, t, xs, nx, target, &r[h]));
		char what[96];
		snprintf(what, sizeof what, "X^T X, X^T y of hospital %u", h + 1);
		ex_print_time(what, ex_now() - t1);
		lathe_table_free(t);
	}
	lathe_result *partial, *pooled;
	EX_CHECK(lathe_result_add(ev, &partial, r[0], r[1]));
	EX_CHECK(lathe_result_add(ev, &pooled, partial, r[2]));
	EX_CHECK(lathe_result_save(pooled, file(b, sizeof b, "pooled")));
	const size_t n_items = lathe_result_items(pooled);
	printf("  pooled result: %zu aggregates, %ld bytes (to the hospitals)\n", n_items, file_size("pooled"));

	/* ---- collective decryption ---- */
	printf("\ncoordinator: the hospitals' decryption shares of the pooled result\n");
	int64_t *vals = ex_alloc(n_items, sizeof(int64_t)), *plain = ex_alloc(n_items, sizeof(int64_t));
	double *sd = ex_alloc(n_items, sizeof(double));
	lathe_pt *pt;
	EX_CHECK(lathe_pt_new(ctx, &pt));
	bytes = 0;
	t1 = ex_now();
	for (size_t i = 0; i < n_items; i++) {
		snprintf(name, sizeof name, "dec.%zu", i);
		load_shares(ctx, name, s, &bytes);
		const lathe_ct *ct = lathe_result_item_ct(pooled, i, 0);
		uint64_t slack = 0;
		if (dp) {
			lathe_dp_release rel;
			EX_CHECK(lathe_mp_decrypt_combine_dp(ct, (const lathe_share *const *)s, N_HOSP, pt, &rel));
			sd[i] = sqrt(rel.variance);
			slack = (uint64_t)ceil(12 * sd[i]);
			if (i == 0)
				printf("  release: (epsilon, delta) = (%g, %g) over %zu aggregates, each rho = %.4g, %u parties\n",
				       DP_EPSILON, DP_DELTA, n_items, rel.rho, rel.parties);
		} else {
			EX_CHECK(lathe_mp_decrypt_combine(ct, (const lathe_share *const *)s, N_HOSP, pt));
		}
		free_shares(s);
		const lathe_pt *pts[1] = { pt };
		EX_CHECK(lathe_result_item_decode(pooled, i, pts, 1, slack, &vals[i], 1));
	}
	ex_print_time("every decryption combined (after the last share)", ex_now() - t1);
	printf("  decryption shares: %ld bytes per hospital\n", bytes / N_HOSP);
	for (unsigned h = 0; h < N_HOSP; h++) {
		int status;
		if (kids[h] > 0 && waitpid(kids[h], &status, 0) == kids[h]) {
			kids[h] = -1;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "hospital %u failed\n", h + 1);
				return EX_FAIL_CALL;
			}
		}
	}

	/* ---- checks ---- */
	for (size_t i = 0; i < n_items; i++) {
		double den;
		if (ex_item_reference(&d, cols, 0, d.rows, target, NULL, lathe_result_item_name(pooled, i), &plain[i], &den)) {
			fprintf(stderr, "unknown item %s\n", lathe_result_item_name(pooled, i));
			return EX_FAIL_CHECK;
		}
	}
	int fail = 0;
	double coef[MAX_X + 1], r2, cplain[MAX_X + 1], r2plain;
	EX_CHECK(lathe_regression_solve(pooled, plain, cplain, nx + 1, &r2plain));
	lathe_status st = lathe_regression_solve(pooled, vals, coef, nx + 1, &r2);
	if (!dp) {
		size_t bad = ex_check_items(pooled, vals, &d, cols, 0, d.rows, target, NULL);
		printf("  pooled aggregates equal to the plaintext sums over all %zu patients: %zu of %zu\n", d.rows,
		       n_items - bad, n_items);
		EX_CHECK(st);
		size_t same = 0;
		for (size_t j = 0; j <= nx; j++)
			same += memcmp(&coef[j], &cplain[j], sizeof(double)) == 0;
		same += memcmp(&r2, &r2plain, sizeof(double)) == 0;
		printf("  coefficients and R^2 identical to those of the plaintext pooled sums: %zu of %zu\n", same, nx + 2);
		fail = bad != 0 || same != nx + 2;
	} else {
		size_t within = 0;
		printf("\n  %-18s %16s %16s %12s %10s\n", "aggregate", "released", "exact", "noise sd", "|z|");
		for (size_t i = 0; i < n_items; i++) {
			const double z = sd[i] > 0 ? ex_fabs((double)(vals[i] - plain[i])) / sd[i] : 0;
			within += z <= 8;
			printf("  %-18s %16lld %16lld %12.4g %10.2f\n", lathe_result_item_name(pooled, i), (long long)vals[i],
			       (long long)plain[i], sd[i], z);
		}
		printf("  released aggregates within 8 standard deviations of the exact sums: %zu of %zu\n", within, n_items);
		fail = within != n_items;
		if (st)
			printf("  the noisy aggregates give no unique solution (%s): noise can do that\n", lathe_strerror(st));
	}
	if (!dp || !st) {
		printf("\n  %-12s %16s %16s\n", "coefficient", dp ? "released" : "encrypted", "plaintext");
		for (size_t j = 0; j <= nx; j++)
			printf("  %-12s %16.8f %16.8f\n", j ? xs[j - 1] : "intercept", coef[j], cplain[j]);
		printf("  %-12s %16.10f %16.10f\n", "R^2", r2, r2plain);
	}
	printf("%s\n", fail ? "CHECK FAILED" : "all checks passed");

	free(vals);
	free(plain);
	free(sd);
	lathe_pt_free(pt);
	lathe_result_free(pooled);
	lathe_result_free(partial);
	for (unsigned h = 0; h < N_HOSP; h++)
		lathe_result_free(r[h]);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_ctx_free(ctx);
	free(cols);
	free(d.names);
	free(d.v);
	ex_csv_free(&full);
	return fail ? EX_FAIL_CHECK : 0;
}
