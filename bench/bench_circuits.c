/*
 * Medical circuits (lathe/circuits.h) at the circuits' preset
 * bgv-128-n32768-t268042241, on synthetic tables of the data sets'
 * shapes (the timings depend on the shape, the declared ranges and the
 * scales, not on the values):
 *   linear, linear_enc   569 patients x 30 features (Wisconsin breast
 *                        cancer), a model whose score bound is at most 1000
 *   logistic             the encrypted decision of that model for a full
 *                        ciphertext of patients (rows = slots)
 *   regression           X^T X and X^T y, 442 patients x 10 columns
 *                        (diabetes), every column's integers up to 500
 *   stats                count, sums and squares of 2 columns over 442
 *                        patients under 2 conditions (the diabetes cohort:
 *                        age in [19, 79] x1 >= 50, bmi in [18, 42.2] x10 >= 30)
 * Phases: encrypt (lathe_table_encrypt), eval (the circuit), decrypt
 * (lathe_result_decrypt of every item). Case names
 * circuits/<circuit>/<phase>/rows=R/cols=C. Every case runs a fixed
 * number of repetitions after the harness's warm-up (unless --reps): 20
 * (--quick: 10) for the light ones, 5 (3) for encryption, 2 (1) for the
 * heavy evaluations, which --quick runs on 1 thread only (unless
 * --threads). Beside each row,
 * stderr gets patients per second and bytes sent to the cloud per
 * patient, and the aim the case is measured against (never asserted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>
#include <lathe/circuits.h>

#include "cases.h"

#define OK(x) \
	do { \
		if ((x) != LATHE_OK) { \
			fprintf(stderr, "lathe-bench: %s: %s\n", #x, lathe_last_error()); \
			exit(1); \
		} \
	} while (0)

#define PRESET "bgv-128-n32768-t268042241"
#define MAX_RUNS 4096

typedef struct circ_keys {
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
} circ_keys;

typedef struct circ_case {
	circ_keys *k;
	lathe_column *cols;
	size_t n_cols, rows;
	double *values; /* rows x n_cols */
	lathe_table *tab;
	/* linear, linear_enc, logistic */
	lathe_linear_model model;
	const char **names;
	double *weights;
	lathe_enc_model *em;
	/* regression, stats */
	const char *const *xs;
	size_t n_x;
	const char *target;
	lathe_condition conds[2];
	/* a result to decrypt, and room for its values */
	lathe_result *res;
	int64_t *out;
	/* the duration of every call (for patients per second) */
	uint64_t runs[MAX_RUNS];
	size_t n_runs;
} circ_case;

static void
record(circ_case *c, uint64_t t0)
{
	if (c->n_runs < MAX_RUNS)
		c->runs[c->n_runs++] = bench_now_ns() - t0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* ---- the timed calls ---- */

static void
r_encrypt(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	lathe_table *t;
	OK(lathe_table_encrypt(c->k->pk, c->cols, c->n_cols, c->values, c->rows, &t));
	record(c, t0);
	lathe_table_free(t);
}

static void
keep(circ_case *c, lathe_result *r)
{
	lathe_result_free(c->res);
	c->res = r;
}

static void
r_linear(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	lathe_result *r;
	OK(lathe_circuit_linear(c->k->ev, c->tab, &c->model, &r));
	record(c, t0);
	keep(c, r);
}

static void
r_linear_enc(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	lathe_result *r;
	OK(lathe_circuit_linear_enc(c->k->ev, c->tab, c->em, &r));
	record(c, t0);
	keep(c, r);
}

static void
r_logistic(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	lathe_result *r;
	OK(lathe_circuit_logistic(c->k->ev, c->tab, &c->model, 0.0, 1, &r));
	record(c, t0);
	keep(c, r);
}

static void
r_regression(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	lathe_result *r;
	OK(lathe_circuit_regression(c->k->ev, c->tab, c->xs, c->n_x, c->target, &r));
	record(c, t0);
	keep(c, r);
}

static void
r_stats(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	lathe_result *r;
	OK(lathe_circuit_stats(c->k->ev, c->tab, c->xs, c->n_x, c->conds, 2, &r));
	record(c, t0);
	keep(c, r);
}

/* decrypts every item of the kept result */
static void
r_decrypt(void *p)
{
	circ_case *c = p;
	uint64_t t0 = bench_now_ns();
	size_t n = lathe_result_items(c->res);
	for (size_t i = 0; i < n; i++) {
		size_t m = lathe_result_item_kind(c->res, i) == LATHE_ITEM_PER_PATIENT ? c->rows : 1;
		OK(lathe_result_decrypt(c->k->sk, c->res, i, c->out, m));
	}
	record(c, t0);
}

/* ---- set-up ---- */

/* A deterministic value in [0, 1) for patient i, column j. */
static double
synth(size_t i, size_t j)
{
	uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15u + (uint64_t)j * 0xC2B2AE3D27D4EB4Fu + 0x165667B19E3779F9u;
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9u;
	x ^= x >> 32;
	return (double)(x >> 11) / 9007199254740992.0;
}

static void
case_init(circ_case *c, circ_keys *k, size_t rows, size_t n_cols)
{
	memset(c, 0, sizeof(*c));
	c->k = k;
	c->rows = rows;
	c->n_cols = n_cols;
	c->cols = calloc(n_cols, sizeof(lathe_column));
	c->values = malloc(rows * n_cols * sizeof(double));
	c->out = malloc((rows ? rows : 1) * sizeof(int64_t));
	if (!c->cols || !c->values || !c->out) {
		fprintf(stderr, "lathe-bench: out of memory\n");
		exit(1);
	}
}

/* Columns of values in [lo, hi), rounded to the scale's resolution. */
static void
case_column(circ_case *c, size_t j, const char *name, double lo, double hi, double scale)
{
	snprintf(c->cols[j].name, sizeof c->cols[j].name, "%s", name);
	c->cols[j].lo = lo;
	c->cols[j].hi = hi;
	c->cols[j].scale = scale;
	for (size_t i = 0; i < c->rows; i++) {
		double v = lo + (hi - lo) * synth(i, j);
		c->values[i * c->n_cols + j] = (double)(int64_t)(v * scale) / scale;
	}
}

/*
 * A linear model on the 30 columns: weights of both signs and of
 * several sizes, the intercept at minus half the score's range, and the
 * output scale shrunk until the score's bound is at most 1000 (as the
 * breast-cancer example does).
 */
static void
case_model(circ_case *c)
{
	c->names = calloc(c->n_cols, sizeof(char *));
	c->weights = calloc(c->n_cols, sizeof(double));
	if (!c->names || !c->weights) {
		fprintf(stderr, "lathe-bench: out of memory\n");
		exit(1);
	}
	double mid = 0;
	for (size_t j = 0; j < c->n_cols; j++) {
		c->names[j] = c->cols[j].name;
		c->weights[j] = (j % 2 ? -1.0 : 1.0) * (1.0 + (double)(j % 5)) / c->cols[j].hi;
		mid += c->weights[j] * 0.5 * (c->cols[j].lo + c->cols[j].hi);
	}
	c->model.n = c->n_cols;
	c->model.names = c->names;
	c->model.weights = c->weights;
	c->model.intercept = -mid;
	c->model.out_scale = 100.0;
	int64_t *W = malloc(c->n_cols * sizeof(int64_t)), B;
	uint64_t bound;
	if (!W) {
		fprintf(stderr, "lathe-bench: out of memory\n");
		exit(1);
	}
	for (;;) {
		OK(lathe_linear_fixed(&c->model, c->cols, c->n_cols, W, &B, &bound));
		if (bound <= 1000)
			break;
		c->model.out_scale *= 0.98;
	}
	free(W);
}

static void
case_free(circ_case *c)
{
	lathe_result_free(c->res);
	lathe_enc_model_free(c->em);
	lathe_table_free(c->tab);
	free(c->cols);
	free(c->values);
	free(c->out);
	free(c->names);
	free(c->weights);
}

/* The table of the patients' shape, its size in bytes as sent to the cloud. */
static size_t
case_table(circ_case *c)
{
	OK(lathe_table_encrypt(c->k->pk, c->cols, c->n_cols, c->values, c->rows, &c->tab));
	uint8_t *buf;
	size_t len;
	OK(lathe_table_to_buffer(c->tab, &buf, &len));
	lathe_buffer_free(buf);
	return len;
}

/* ---- running ---- */

typedef struct circ_run {
	const char *phase;
	bench_fn fn;
	int weight;         /* 0: light, 1: about a second, 2: heavy (fewest repetitions) */
	double aim_ns;      /* 0: no aim */
	int aim_threads;    /* the aim holds for this thread count (0: any) */
	const char *aim;
} circ_run;

static void
run_phase(const bench_opts *o, circ_case *c, const char *circuit, const char *shape, const circ_run *r,
          size_t table_bytes, unsigned limbs)
{
	char name[200];
	snprintf(name, sizeof name, "circuits/%s/%s/%s", circuit, r->phase, shape);
	if (!bench_selected(o, name))
		return;
	/*
	 * A fixed number of timed repetitions (--reps, else by weight), so
	 * that the runs recorded here after the harness's warm-up are exactly
	 * the ones its row reports.
	 */
	static const int reps_normal[3] = { 20, 5, 2 }, reps_quick[3] = { 10, 3, 1 };
	bench_opts local = *o;
	if (!local.reps)
		local.reps = (o->quick ? reps_quick : reps_normal)[r->weight];
	int th[2];
	int nth = bench_thread_list(o, th, 2);
	if (r->weight == 2 && o->quick && !o->threads)
		nth = 1; /* --quick: the heavy evaluations on 1 thread only */
	for (int i = 0; i < nth; i++) {
		c->n_runs = 0;
		bench_case(&local, name, lathe_ctx_degree(c->k->ctx), limbs, th[i], r->fn, c, 0);
		size_t reps = (size_t)local.reps;
		if (o->list || c->n_runs < reps || c->n_runs >= MAX_RUNS)
			continue;
		uint64_t *timed = c->runs + (c->n_runs - reps); /* the last reps calls: the harness's timed runs */
		qsort(timed, reps, sizeof(uint64_t), cmp_u64);
		double med = reps & 1 ? (double)timed[reps / 2] : 0.5 * (double)(timed[reps / 2 - 1] + timed[reps / 2]);
		fprintf(stderr, "# %s threads=%d: median %.3f ms, %.0f patients/s, %.1f KiB sent to the cloud per patient",
		        name, th[i], med / 1e6, (double)c->rows / (med / 1e9), (double)table_bytes / (double)c->rows / 1024.0);
		if (r->aim_ns > 0 && (!r->aim_threads || r->aim_threads == th[i]))
			fprintf(stderr, "; aim %s: %s", r->aim, med <= r->aim_ns ? "met" : "NOT met");
		fprintf(stderr, "\n");
	}
}

void
bench_circuits(const bench_opts *o)
{
	if (!bench_may_select(o, "circuits/"))
		return;
	static const char *const reg_x[10] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9" };
	static const char *const stat_x[2] = { "progression", "bp" };
	circ_keys k;
	memset(&k, 0, sizeof(k));
	unsigned limbs = 0;
	size_t slots = 32768;
	if (!o->list) {
		OK(lathe_ctx_new_preset(PRESET, &k.ctx));
		OK(lathe_keygen(k.ctx, &k.sk, &k.pk));
		size_t n;
		unsigned level;
		OK(lathe_circuits_keys(k.ctx, NULL, 0, &n, &level));
		int *steps = malloc((n ? n : 1) * sizeof(int));
		if (!steps) {
			fprintf(stderr, "lathe-bench: out of memory\n");
			exit(1);
		}
		OK(lathe_circuits_keys(k.ctx, steps, n, &n, NULL));
		OK(lathe_evalkeys_new_at(k.ctx, k.sk, steps, n, level, &k.ek));
		free(steps);
		OK(lathe_eval_new(k.ctx, k.ek, &k.ev));
		limbs = lathe_ctx_max_level(k.ctx) + 1;
		slots = lathe_ctx_slots(k.ctx);
		uint8_t *buf;
		size_t len;
		OK(lathe_evalkeys_to_buffer(k.ek, &buf, &len));
		lathe_buffer_free(buf);
		fprintf(stderr, "# circuits: %s, %zu slots, %u chain primes; evaluation keys %zu bytes (sent once: %zu "
		        "Galois keys up to level %u)\n",
		        PRESET, slots, limbs, len, n, level);
	}

	static const circ_run lin_runs[] = {
		{ "encrypt", r_encrypt, 1, 0, 0, NULL },
		{ "eval", r_linear, 0, 50e6, 1, "<= 50 ms on 1 thread" },
		{ "decrypt", r_decrypt, 0, 0, 0, NULL },
	};
	static const circ_run lin_enc_runs[] = {
		{ "eval", r_linear_enc, 0, 50e6, 1, "<= 50 ms on 1 thread" },
		{ "decrypt", r_decrypt, 0, 0, 0, NULL },
	};
	static const circ_run log_runs[] = {
		{ "encrypt", r_encrypt, 1, 0, 0, NULL },
		{ "eval", r_logistic, 2, 10e9, 0, "<= 10 s for a full ciphertext" },
		{ "decrypt", r_decrypt, 0, 0, 0, NULL },
	};
	static const circ_run reg_runs[] = {
		{ "encrypt", r_encrypt, 1, 0, 0, NULL },
		{ "eval", r_regression, 2, 5e9, 0, "<= 5 s" },
		{ "decrypt", r_decrypt, 0, 0, 0, NULL },
	};
	static const circ_run stat_runs[] = {
		{ "eval", r_stats, 2, 0, 0, NULL },
		{ "decrypt", r_decrypt, 0, 0, 0, NULL },
	};
	char shape[64];
	circ_case *c = malloc(sizeof(circ_case));
	if (!c) {
		fprintf(stderr, "lathe-bench: out of memory\n");
		exit(1);
	}

	/* linear and linear_enc: 569 x 30 */
	snprintf(shape, sizeof shape, "rows=569/cols=30");
	if (bench_may_select(o, "circuits/linear")) {
		case_init(c, &k, 569, 30);
		for (size_t j = 0; j < 30; j++) {
			char nm[16];
			snprintf(nm, sizeof nm, "f%zu", j);
			case_column(c, j, nm, 0.0, 10.0 + (double)j, 1.0);
		}
		size_t bytes = 0;
		if (!o->list) {
			case_model(c);
			bytes = case_table(c);
			OK(lathe_enc_model_new(k.pk, &c->model, c->cols, c->n_cols, &c->em));
		}
		for (size_t i = 0; i < sizeof lin_runs / sizeof lin_runs[0]; i++) {
			if (!o->list && lin_runs[i].fn == r_decrypt && !c->res)
				r_linear(c);
			run_phase(o, c, "linear", shape, &lin_runs[i], bytes, limbs);
		}
		keep(c, NULL);
		for (size_t i = 0; i < sizeof lin_enc_runs / sizeof lin_enc_runs[0]; i++) {
			if (!o->list && lin_enc_runs[i].fn == r_decrypt && !c->res)
				r_linear_enc(c);
			run_phase(o, c, "linear_enc", shape, &lin_enc_runs[i], bytes, limbs);
		}
		case_free(c);
	}

	/* logistic: a full ciphertext of patients x 30 */
	snprintf(shape, sizeof shape, "rows=%zu/cols=30", slots);
	if (bench_may_select(o, "circuits/logistic")) {
		case_init(c, &k, slots, 30);
		for (size_t j = 0; j < 30; j++) {
			char nm[16];
			snprintf(nm, sizeof nm, "f%zu", j);
			case_column(c, j, nm, 0.0, 10.0 + (double)j, 1.0);
		}
		size_t bytes = 0;
		if (!o->list) {
			case_model(c);
			bytes = case_table(c);
			unsigned depth, levels;
			uint64_t bound;
			int64_t *W = malloc(30 * sizeof(int64_t)), B;
			if (!W)
				exit(1);
			OK(lathe_linear_fixed(&c->model, c->cols, 30, W, &B, &bound));
			free(W);
			OK(lathe_logistic_cost(bound, &depth, &levels));
			fprintf(stderr, "# circuits/logistic: score bound %llu, decision depth %u, %u levels\n",
			        (unsigned long long)bound, depth, levels);
		}
		for (size_t i = 0; i < sizeof log_runs / sizeof log_runs[0]; i++) {
			if (!o->list && log_runs[i].fn == r_decrypt && !c->res)
				r_logistic(c);
			run_phase(o, c, "logistic", shape, &log_runs[i], bytes, limbs);
		}
		case_free(c);
	}

	/* regression: 442 x (10 + target), integers up to 500 */
	snprintf(shape, sizeof shape, "rows=442/cols=10");
	if (bench_may_select(o, "circuits/regression")) {
		case_init(c, &k, 442, 11);
		for (size_t j = 0; j < 10; j++)
			case_column(c, j, reg_x[j], 0.0, 50.0, 10.0);
		case_column(c, 10, "y", 0.0, 500.0, 1.0);
		c->xs = reg_x;
		c->n_x = 10;
		c->target = "y";
		size_t bytes = 0;
		if (!o->list)
			bytes = case_table(c);
		for (size_t i = 0; i < sizeof reg_runs / sizeof reg_runs[0]; i++) {
			if (!o->list && reg_runs[i].fn == r_decrypt && !c->res)
				r_regression(c);
			run_phase(o, c, "regression", shape, &reg_runs[i], bytes, limbs);
		}
		case_free(c);
	}

	/* stats: 442 patients, 2 conditions, 2 columns */
	snprintf(shape, sizeof shape, "rows=442/cols=2/conds=2");
	if (bench_may_select(o, "circuits/stats")) {
		case_init(c, &k, 442, 4);
		case_column(c, 0, "age", 19.0, 79.0, 1.0);
		case_column(c, 1, "bmi", 18.0, 42.2, 10.0);
		case_column(c, 2, "progression", 25.0, 346.0, 1.0);
		case_column(c, 3, "bp", 62.0, 133.0, 2.0);
		c->xs = stat_x;
		c->n_x = 2;
		c->conds[0] = (lathe_condition){ "age", LATHE_GE, 50.0 };
		c->conds[1] = (lathe_condition){ "bmi", LATHE_GE, 30.0 };
		size_t bytes = 0;
		if (!o->list)
			bytes = case_table(c);
		for (size_t i = 0; i < sizeof stat_runs / sizeof stat_runs[0]; i++) {
			if (!o->list && stat_runs[i].fn == r_decrypt && !c->res)
				r_stats(c);
			run_phase(o, c, "stats", shape, &stat_runs[i], bytes, limbs);
		}
		case_free(c);
	}
	free(c);

	lathe_eval_free(k.ev);
	lathe_evalkeys_free(k.ek);
	lathe_pk_free(k.pk);
	lathe_sk_free(k.sk);
	lathe_ctx_free(k.ctx);
}
