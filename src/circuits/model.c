/*
 * Fixed-point linear models: integer weights and intercept for a table's
 * scales, the exact bound on the integer score over the declared box, and
 * models encrypted by their owner.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

#define TWO40 1099511627776.0       /* 2^40 */
#define TWO62 4611686018427387904.0 /* 2^62 */

lathe_status
lt_circ_linear_fixed(const char *fn, const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, int64_t *W,
                     int64_t *b, uint64_t *bound, size_t *idx)
{
	if (!m)
		return lt_fail(LATHE_EINVAL, "%s: argument 'm' is NULL", fn);
	if (!W || !b || !bound)
		return lt_fail(LATHE_EINVAL, "%s: an output (W, b or bound) is NULL", fn);
	if (m->n == 0)
		return lt_fail(LATHE_EINVAL, "%s: the model has no weights", fn);
	if (!m->names || !m->weights)
		return lt_fail(LATHE_EINVAL, "%s: the model's names or weights are NULL", fn);
	lathe_status s = lt_circ_check_columns(fn, cols, n_cols);
	if (s)
		return s;
	if (!isfinite(m->out_scale) || !(m->out_scale > 0) || m->out_scale > TWO40)
		return lt_fail(LATHE_EINVAL, "%s: out_scale %g not in (0, 2^40]", fn, m->out_scale);
	if (!isfinite(m->intercept))
		return lt_fail(LATHE_EINVAL, "%s: intercept %g not finite", fn, m->intercept);
	const double bd = m->intercept * m->out_scale;
	if (!(fabs(bd) < TWO62))
		return lt_fail(LATHE_EINVAL, "%s: intercept %g at out_scale %g exceeds 2^62", fn, m->intercept,
		               m->out_scale);
	const int64_t B = lt_circ_round(bd);
	/* the score's extremes over the box: each term at the end of its column's range that maximizes it */
	lt_i128 hi = B, lo = B;
	int overflow = 0;
	for (size_t i = 0; i < m->n; i++) {
		const char *name = m->names[i];
		long j = lt_circ_find(cols, n_cols, name);
		if (!name || j < 0)
			return lt_fail(LATHE_EINVAL, "%s: weight %zu: unknown column '%s'", fn, i, name ? name : "(null)");
		for (size_t k = 0; k < i; k++)
			if (strcmp(m->names[k], name) == 0)
				return lt_fail(LATHE_EINVAL, "%s: weights %zu and %zu are both on column '%s'", fn, k, i,
				               name);
		const lathe_column *c = &cols[j];
		double w = m->weights[i] * m->out_scale / c->scale;
		if (!isfinite(m->weights[i]) || !(fabs(w) < TWO40 - 0.5))
			return lt_fail(LATHE_EINVAL, "%s: weight %zu (column '%s'): %g * %g / %g is not finite or |W| >= 2^40",
			               fn, i, name, m->weights[i], m->out_scale, c->scale);
		W[i] = lt_circ_round(w);
		if (idx)
			idx[i] = (size_t)j;
		int64_t ilo, ihi;
		lt_circ_col_range(c, &ilo, &ihi);
		/* |W| < 2^40 and |X| < 2^62: each product below 2^102 */
		lt_i128 a = (lt_i128)W[i] * ilo, z = (lt_i128)W[i] * ihi;
		overflow |= __builtin_add_overflow(hi, a > z ? a : z, &hi);
		overflow |= __builtin_add_overflow(lo, a > z ? z : a, &lo);
	}
	*b = B;
	if (overflow) {
		*bound = UINT64_MAX;
		return LATHE_OK;
	}
	lt_u128 ah = hi < 0 ? (lt_u128)(-(hi + 1)) + 1 : (lt_u128)hi;
	lt_u128 al = lo < 0 ? (lt_u128)(-(lo + 1)) + 1 : (lt_u128)lo;
	lt_u128 mx = ah > al ? ah : al;
	*bound = mx > UINT64_MAX ? UINT64_MAX : (uint64_t)mx;
	return LATHE_OK;
}

lathe_status
lathe_linear_fixed(const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, int64_t *W, int64_t *b,
                   uint64_t *bound)
{
	return lt_circ_linear_fixed("lathe_linear_fixed", m, cols, n_cols, W, b, bound, NULL);
}

/* ---- encrypted models ---- */

void
lathe_enc_model_free(lathe_enc_model *m)
{
	if (!m)
		return;
	if (m->w)
		for (size_t i = 0; i < m->n; i++)
			lathe_ct_free(m->w[i]);
	free(m->w);
	lathe_ct_free(m->b);
	free(m->cols);
	free(m);
}

/* ct = an encryption of v in every slot */
static lathe_status
encrypt_constant(const lathe_pk *pk, const lathe_ctx *ctx, lathe_pt *pt, int64_t *slot, int64_t v, lathe_ct **ct)
{
	const size_t S = lathe_ctx_slots(ctx);
	for (size_t i = 0; i < S; i++)
		slot[i] = v;
	lathe_status s = lathe_encode(pt, slot, S);
	if (!s)
		s = lathe_ct_new(ctx, ct);
	if (!s)
		s = lathe_encrypt(pk, *ct, pt);
	return s;
}

lathe_status
lathe_enc_model_new(const lathe_pk *pk, const lathe_linear_model *m, const lathe_column *cols, size_t n_cols,
                    lathe_enc_model **out)
{
	const char *fn = "lathe_enc_model_new";
	if (out)
		*out = NULL;
	if (!pk)
		return lt_fail(LATHE_EINVAL, "%s: argument 'pk' is NULL", fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!m)
		return lt_fail(LATHE_EINVAL, "%s: argument 'm' is NULL", fn);
	const lathe_ctx *ctx = lt_circ_pk_ctx(pk);
	const size_t S = lathe_ctx_slots(ctx);
	if (S == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batch slots", fn);
	if (m->n == 0 || m->n > SIZE_MAX / sizeof(int64_t) / 2)
		return lt_fail(LATHE_EINVAL, "%s: %zu weights", fn, m->n);
	lathe_enc_model *e = calloc(1, sizeof(*e));
	int64_t *W = calloc(m->n, sizeof(int64_t));
	size_t *idx = calloc(m->n, sizeof(size_t));
	int64_t *slot = calloc(S, sizeof(int64_t));
	lathe_pt *pt = NULL;
	lathe_status s = LATHE_OK;
	if (!e || !W || !idx || !slot || !(e->cols = calloc(m->n, sizeof(lathe_column))) ||
	    !(e->w = calloc(m->n, sizeof(lathe_ct *))))
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	int64_t B = 0;
	if (!s) {
		e->ctx = ctx;
		e->n = m->n;
		e->out_scale = m->out_scale;
		s = lt_circ_linear_fixed(fn, m, cols, n_cols, W, &B, &e->bound, idx);
	}
	if (!s && (s = lathe_pk_key_id(pk, e->key_id)))
		s = lt_circ_pass(s, "%s", fn);
	if (!s && (s = lathe_pt_new(ctx, &pt)))
		s = lt_circ_pass(s, "%s", fn);
	for (size_t i = 0; i < m->n && !s; i++) {
		e->cols[i] = cols[idx[i]];
		/* W mod t: the same products mod t, and within what lathe_encode takes */
		if ((s = encrypt_constant(pk, ctx, pt, slot, lt_circ_centered(ctx, W[i]), &e->w[i])))
			s = lt_circ_pass(s, "%s: weight %zu", fn, i);
	}
	if (!s && (s = encrypt_constant(pk, ctx, pt, slot, lt_circ_centered(ctx, B), &e->b)))
		s = lt_circ_pass(s, "%s: intercept", fn);
	lathe_pt_free(pt);
	/* the model is its owner's secret */
	if (W)
		sodium_memzero(W, m->n * sizeof(int64_t));
	if (slot)
		sodium_memzero(slot, S * sizeof(int64_t));
	free(W);
	free(idx);
	free(slot);
	if (s) {
		lathe_enc_model_free(e);
		return s;
	}
	*out = e;
	return LATHE_OK;
}
