/*
 * Linear scores per patient: a model in the clear (scalar products), an
 * encrypted model (ciphertext products), and the logistic decision
 * score >= threshold by a lookup table over the score's bounded range.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * out = B + sum_j W_j X_j on chunk k. A weight in the clear is one integer
 * for the whole column, so lathe_ct_mul_scalar (a word product per
 * coefficient, no NTT) is the fastest exact product: a plaintext with W in
 * every slot is the constant polynomial W, the same product at the cost of
 * an encoding and a lift. Columns whose declared range is {0} contribute
 * nothing and are skipped.
 */
static lathe_status
score_chunk(lathe_eval *ev, const lathe_table *t, const size_t *idx, const int64_t *W, size_t n, int64_t B,
            size_t k, lathe_ct *out, lathe_ct *tmp)
{
	const lathe_ctx *ctx = t->ctx;
	lathe_status s = LATHE_OK;
	int started = 0;
	for (size_t j = 0; j < n && !s; j++) {
		if (lt_circ_col_maxabs(&t->cols[idx[j]]) == 0)
			continue;
		const lathe_ct *x = t->cts[idx[j] * t->chunks + k];
		int64_t w = lt_circ_centered(ctx, W[j]);
		if (!started)
			s = lathe_ct_mul_scalar(ev, out, x, w);
		else if (!(s = lathe_ct_mul_scalar(ev, tmp, x, w)))
			s = lathe_ct_add(ev, out, out, tmp);
		started = 1;
	}
	if (!s && !started)
		s = lathe_ct_mul_scalar(ev, out, t->cts[idx[0] * t->chunks + k], 0);
	if (!s)
		s = lathe_ct_add_scalar(ev, out, out, lt_circ_centered(ctx, B));
	return s;
}

/* the fixed-point model on t's columns, and its bound checked against t/2 */
static lathe_status
fixed_model(const char *fn, const lathe_table *t, const lathe_linear_model *m, int64_t **W, size_t **idx,
            int64_t *B, uint64_t *bound)
{
	*W = NULL;
	*idx = NULL;
	if (!m)
		return lt_fail(LATHE_EINVAL, "%s: argument 'm' is NULL", fn);
	if (m->n == 0 || m->n > SIZE_MAX / sizeof(int64_t))
		return lt_fail(LATHE_EINVAL, "%s: the model has %zu weights", fn, m->n);
	*W = calloc(m->n, sizeof(int64_t));
	*idx = calloc(m->n, sizeof(size_t));
	if (!*W || !*idx)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	lathe_status s = lt_circ_linear_fixed(fn, m, t->cols, t->n_cols, *W, B, bound, *idx);
	if (!s)
		s = lt_circ_check_bound(fn, t->ctx, "score", *bound);
	return s;
}

lathe_status
lathe_circuit_linear(lathe_eval *ev, const lathe_table *t, const lathe_linear_model *m, lathe_result **out)
{
	const char *fn = "lathe_circuit_linear";
	if (out)
		*out = NULL;
	lathe_status s = lt_circ_check_eval(fn, ev, t);
	if (s)
		return s;
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	int64_t *W = NULL, B = 0;
	size_t *idx = NULL;
	uint64_t bound = 0;
	lathe_result *r = NULL;
	lathe_ct *tmp = NULL;
	if (!(s = fixed_model(fn, t, m, &W, &idx, &B, &bound)) &&
	    !(s = lt_circ_result_new(t->ctx, "linear", t->rows, 1, t->key_id, &r)) &&
	    !(s = lt_circ_item_set(r, 0, "score", LATHE_ITEM_PER_PATIENT, m->out_scale, bound, 1)))
		s = lathe_ct_new(t->ctx, &tmp);
	for (size_t k = 0; k < t->chunks && !s; k++)
		if ((s = score_chunk(ev, t, idx, W, m->n, B, k, r->items[0].cts[k], tmp)))
			s = lt_circ_pass(s, "%s: chunk %zu", fn, k);
	lathe_ct_free(tmp);
	free(W);
	free(idx);
	if (s) {
		lathe_result_free(r);
		return s;
	}
	*out = r;
	return LATHE_OK;
}

lathe_status
lathe_circuit_linear_enc(lathe_eval *ev, const lathe_table *t, const lathe_enc_model *m, lathe_result **out)
{
	const char *fn = "lathe_circuit_linear_enc";
	if (out)
		*out = NULL;
	lathe_status s = lt_circ_check_eval(fn, ev, t);
	if (s)
		return s;
	if (!out || !m)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !out ? "out" : "m");
	if (m->ctx != t->ctx)
		return lt_fail(LATHE_EMISMATCH, "%s: the model and the table belong to different contexts", fn);
	if (memcmp(m->key_id, t->key_id, LATHE_KEY_ID_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the model and the table are under different key pairs", fn);
	size_t *idx = calloc(m->n, sizeof(size_t));
	if (!idx)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	/* the model's bound holds for the columns it was made for: the table's must be those */
	for (size_t j = 0; j < m->n && !s; j++) {
		const lathe_column *mc = &m->cols[j];
		long c = lt_circ_find(t->cols, t->n_cols, mc->name);
		if (c < 0)
			s = lt_fail(LATHE_EINVAL, "%s: the table has no column '%s'", fn, mc->name);
		else if (t->cols[c].scale != mc->scale || t->cols[c].lo != mc->lo || t->cols[c].hi != mc->hi)
			s = lt_fail(LATHE_EMISMATCH,
			            "%s: column '%s': the table's scale %g and range [%g, %g] are not the model's (%g, [%g, %g])",
			            fn, mc->name, t->cols[c].scale, t->cols[c].lo, t->cols[c].hi, mc->scale, mc->lo, mc->hi);
		else
			idx[j] = (size_t)c;
	}
	if (!s)
		s = lt_circ_check_bound(fn, t->ctx, "score", m->bound);
	lathe_result *r = NULL;
	lathe_ct *tmp = NULL;
	if (!s && !(s = lt_circ_result_new(t->ctx, "linear-enc", t->rows, 1, t->key_id, &r)) &&
	    !(s = lt_circ_item_set(r, 0, "score", LATHE_ITEM_PER_PATIENT, m->out_scale, m->bound, 1)))
		s = lathe_ct_new(t->ctx, &tmp);
	/* the products are summed unrelinearized (3 components) and relinearized once per chunk */
	for (size_t k = 0; k < t->chunks && !s; k++) {
		lathe_ct *acc = r->items[0].cts[k];
		for (size_t j = 0; j < m->n && !s; j++) {
			const lathe_ct *x = t->cts[idx[j] * t->chunks + k];
			if (j == 0)
				s = lathe_ct_mul_raw(ev, acc, x, m->w[j]);
			else if (!(s = lathe_ct_mul_raw(ev, tmp, x, m->w[j])))
				s = lathe_ct_add(ev, acc, acc, tmp);
		}
		if (!s)
			s = lathe_ct_relin(ev, acc, acc);
		if (!s)
			s = lathe_ct_add(ev, acc, acc, m->b);
		if (s)
			s = lt_circ_pass(s, "%s: chunk %zu", fn, k);
	}
	lathe_ct_free(tmp);
	free(idx);
	if (s) {
		lathe_result_free(r);
		return s;
	}
	*out = r;
	return LATHE_OK;
}

/* ---- logistic decision ---- */

/* the plan of a dense polynomial of degree d with generic coefficients (every one a scalar product) */
static lathe_status
dense_plan(uint64_t d, lathe_polyeval_stats *st)
{
	/* 2^61 - 1, a prime above every coefficient: the plan depends only on which are 0, 1 or -1 */
	const uint64_t p = ((uint64_t)1 << 61) - 1;
	uint64_t *c = malloc((size_t)(d + 1) * sizeof(uint64_t));
	if (!c)
		return lt_fail(LATHE_ENOMEM, "lathe_logistic_cost: out of memory");
	for (uint64_t i = 0; i <= d; i++)
		c[i] = 2;
	lathe_status s = lathe_poly_eval_cost(p, c, (size_t)(d + 1), st);
	free(c);
	return s;
}

lathe_status
lathe_logistic_cost(uint64_t bound, unsigned *depth, unsigned *levels)
{
	const char *fn = "lathe_logistic_cost";
	if (!depth && !levels)
		return lt_fail(LATHE_EINVAL, "%s: arguments 'depth' and 'levels' are both NULL", fn);
	if (bound >= LT_CIRC_TABLE_MAX / 2)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: a lookup table of 2 * %llu + 1 points is beyond the %llu this "
		               "library evaluates", fn, (unsigned long long)bound, (unsigned long long)LT_CIRC_TABLE_MAX);
	const uint64_t d = 2 * bound;
	lathe_polyeval_stats st;
	memset(&st, 0, sizeof(st));
	lathe_status s = dense_plan(d, &st);
	if (s)
		return lt_circ_pass(s, "%s", fn);
	if (depth)
		*depth = st.depth;
	/*
	 * The score is a sum of scalar multiples of fresh ciphertexts: noisier
	 * than the fresh x the plan counts from, by up to log2(sum |W_j|) bits;
	 * one more level covers it.
	 */
	if (levels)
		*levels = st.depth ? st.levels + 1 : 0;
	return LATHE_OK;
}

int64_t
lt_circ_threshold(double x, int64_t lo, int64_t hi)
{
	const double c = ceil(x);
	int64_t T;
	if (!(c > -4611686018427387904.0))
		T = lo;
	else if (!(c < 4611686018427387904.0))
		T = hi + 1;
	else
		T = (int64_t)c;
	return T < lo ? lo : T > hi ? hi + 1 : T;
}

lathe_status
lathe_circuit_logistic(lathe_eval *ev, const lathe_table *t, const lathe_linear_model *m, double threshold,
                       int decision_only, lathe_result **out)
{
	const char *fn = "lathe_circuit_logistic";
	if (out)
		*out = NULL;
	lathe_status s = lt_circ_check_eval(fn, ev, t);
	if (s)
		return s;
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!isfinite(threshold))
		return lt_fail(LATHE_EINVAL, "%s: threshold %g not finite", fn, threshold);
	const lathe_ctx *ctx = t->ctx;
	int64_t *W = NULL, B = 0, *tab = NULL;
	size_t *idx = NULL;
	uint64_t bound = 0, *coeffs = NULL;
	lathe_result *r = NULL;
	lathe_ct *score = NULL, *tmp = NULL;
	s = fixed_model(fn, t, m, &W, &idx, &B, &bound);
	/* the table has 2 bound + 1 points, which must be distinct mod t */
	if (!s && bound >= (lathe_ctx_plain_modulus(ctx) - 1) / 2)
		s = lt_fail(LATHE_ERANGE,
		            "%s: the score's bound %llu gives a lookup table of %llu points, not fewer than t = %llu", fn,
		            (unsigned long long)bound, (unsigned long long)(2 * bound + 1),
		            (unsigned long long)lathe_ctx_plain_modulus(ctx));
	if (!s && 2 * bound + 1 > LT_CIRC_TABLE_MAX)
		s = lt_fail(LATHE_EUNSUPPORTED, "%s: a lookup table of %llu points is beyond the %llu this library "
		            "evaluates", fn, (unsigned long long)(2 * bound + 1), (unsigned long long)LT_CIRC_TABLE_MAX);
	/* a chain shorter than the depth cannot serve: refused before any work */
	if (!s && lt_circ_ceil_log2(2 * bound) > lathe_ctx_max_level(ctx))
		s = lt_fail(LATHE_ELEVEL, "%s: the decision needs %u products in sequence, the chain has %u levels "
		            "(lathe_logistic_cost)", fn, lt_circ_ceil_log2(2 * bound), lathe_ctx_max_level(ctx));
	const size_t np = (size_t)(2 * bound + 1);
	if (!s && (!(tab = malloc(np * sizeof(int64_t))) || !(coeffs = malloc(np * sizeof(uint64_t)))))
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (!s) {
		const int64_t lo = -(int64_t)bound, hi = (int64_t)bound;
		const int64_t T = lt_circ_threshold(threshold * m->out_scale, lo, hi);
		for (int64_t v = lo; v <= hi; v++)
			tab[v - lo] = v >= T;
		if ((s = lathe_poly_interpolate(ctx, lo, hi, tab, coeffs)))
			s = lt_circ_pass(s, "%s: the decision's table", fn);
	}
	const size_t dec = decision_only ? 0 : 1;
	if (!s && !(s = lt_circ_result_new(ctx, "logistic", t->rows, dec + 1, t->key_id, &r)) &&
	    (dec == 0 || !(s = lt_circ_item_set(r, 0, "score", LATHE_ITEM_PER_PATIENT, m->out_scale, bound, 1))) &&
	    !(s = lt_circ_item_set(r, dec, "decision", LATHE_ITEM_PER_PATIENT, 1.0, 1, 1)) &&
	    !(s = lathe_ct_new(ctx, &score)))
		s = lathe_ct_new(ctx, &tmp);
	for (size_t k = 0; k < t->chunks && !s; k++) {
		lathe_ct *sc = dec ? r->items[0].cts[k] : score;
		if ((s = score_chunk(ev, t, idx, W, m->n, B, k, sc, tmp)))
			s = lt_circ_pass(s, "%s: chunk %zu: score", fn, k);
		else if ((s = lathe_poly_eval(ev, r->items[dec].cts[k], sc, coeffs, np, NULL)))
			s = lt_circ_pass(s, "%s: chunk %zu: decision (a table of %zu points, depth %u)", fn, k, np,
			                 lt_circ_ceil_log2(2 * bound));
	}
	lathe_ct_free(score);
	lathe_ct_free(tmp);
	free(W);
	free(idx);
	free(tab);
	free(coeffs);
	if (s) {
		lathe_result_free(r);
		return s;
	}
	*out = r;
	return LATHE_OK;
}
