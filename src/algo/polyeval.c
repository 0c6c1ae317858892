/*
 * Polynomial evaluation on ciphertexts by Paterson and Stockmeyer's
 * baby-step/giant-step method (Paterson, Stockmeyer, SIAM J. Comput. 2(1),
 * 1973; as in Halevi, Shoup, "Bootstrapping for HElib", Eurocrypt 2015,
 * §4): baby steps x^1 .. x^k (k = 2^l) and giant steps x^(k 2^j) computed
 * on demand, the polynomial split recursively as lo + x^G hi down to
 * leaves of degree <= k. The same walk runs dry for the plan
 * (polyeval_cost.c) and live for lathe_poly_eval.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "polyeval.h"
#include "sumorder.h"

static lathe_status power(pe_run *r, size_t i, const pe_val **out);

/* x^(k 2^j), by squaring x^k */
static lathe_status
giant(pe_run *r, unsigned j, const pe_val **out)
{
	lathe_status s;
	if (r->have_giant == 0) {
		const pe_val *xk;
		if ((s = power(r, r->k, &xk)))
			return s;
		r->giant[0] = *xk;
		r->giant[0].borrowed = 1; /* owned by baby[k] */
		r->have_giant = 1;
	}
	while (r->have_giant <= j) {
		const pe_val *g = &r->giant[r->have_giant - 1];
		if ((s = lt_pe_mul(r, &r->giant[r->have_giant], g, g, "a giant step")))
			return s;
		r->have_giant++;
	}
	*out = &r->giant[j];
	return LATHE_OK;
}

/* x^i for 1 <= i <= k: x^a x^(i-a), a the largest power of two below i (depth ceil(log2 i)) */
static lathe_status
power(pe_run *r, size_t i, const pe_val **out)
{
	pe_val *v = &r->baby[i];
	if (!v->is_ct) {
		const size_t a = (size_t)1 << (lt_pe_ceil_log2(i) - 1);
		const pe_val *pa, *pb;
		lathe_status s;
		if ((s = power(r, a, &pa)) || (s = power(r, i - a, &pb)))
			return s;
		if ((s = lt_pe_mul(r, v, pa, pb, "a baby step")))
			return s;
	}
	*out = v;
	return LATHE_OK;
}

/*
 * baby[i] at `level` (<= its own): the sums of a leaf would switch every
 * higher term down once per addition; this does it once per power.
 */
static lathe_status
power_at(pe_run *r, size_t i, unsigned level, const lathe_ct **out)
{
	const lathe_ct *p = r->baby[i].ct;
	if (lathe_ct_level(p) == level) {
		*out = p;
		return LATHE_OK;
	}
	lathe_status s;
	if (!r->low[i] || lathe_ct_level(r->low[i]) != level) {
		if (!r->low[i] && (s = lt_pe_tmp_get(r, &r->low[i])))
			return s;
		if ((s = lathe_ct_mod_switch_to(r->ev, r->low[i], p, level)))
			return lt_pe_fail(r, s, "a modulus switch");
	}
	*out = r->low[i];
	return LATHE_OK;
}

/* acc (a pool temporary or NULL) += src (sub: -= src); takes src over when acc is NULL */
static lathe_status
live_add(pe_run *r, lathe_ct **acc, lathe_ct *src, int sub)
{
	lathe_status s;
	if (!*acc) {
		if (sub && (s = lathe_ct_neg(r->ev, src, src)))
			return lt_pe_fail(r, s, "a negation");
		*acc = src;
		return LATHE_OK;
	}
	if (!lt_sum_goes_first(src, *acc))
		s = sub ? lathe_ct_sub(r->ev, *acc, *acc, src) : lathe_ct_add(r->ev, *acc, *acc, src);
	else if (!sub)
		s = lathe_ct_add(r->ev, *acc, src, *acc);
	else if (!(s = lathe_ct_sub(r->ev, *acc, src, *acc))) /* acc - src = -(src - acc): negation is exact */
		s = lathe_ct_neg(r->ev, *acc, *acc);
	lt_pe_tmp_put(r, src);
	return s ? lt_pe_fail(r, s, "an addition") : LATHE_OK;
}

/* a pool temporary holding cc * baby[i] at baby[i]'s level */
static lathe_status
live_scaled(pe_run *r, size_t i, int64_t cc, lathe_ct **out)
{
	lathe_status s = lt_pe_tmp_get(r, out);
	if (s)
		return s;
	if ((s = lathe_ct_mul_scalar(r->ev, *out, r->baby[i].ct, cc))) {
		lt_pe_tmp_put(r, *out);
		*out = NULL;
		return lt_pe_fail(r, s, "a scalar multiplication");
	}
	return LATHE_OK;
}

/*
 * The leaf's ciphertext, at `level` (the lowest of the powers used). The
 * scaled terms above that level are summed per level of their power, each
 * sum switched down once: the same noise as scaling every term at its own
 * level and switching it down alone (the scaled noise divided by the
 * primes dropped, plus one switch's floor per group instead of per term),
 * at one modulus switch per level instead of one per term. Terms of
 * coefficient +-1 are added from their power switched down once
 * (power_at); scaled terms at the leaf's level are scaled there.
 */
static lathe_status
leaf_live(pe_run *r, const uint64_t *c, size_t deg, unsigned level, lathe_ct **out)
{
	lathe_status s = LATHE_OK;
	lathe_ct *acc = NULL;
	unsigned top = level;
	for (size_t i = 1; i <= deg; i++)
		if (c[i] && lathe_ct_level(r->baby[i].ct) > top)
			top = lathe_ct_level(r->baby[i].ct);
	for (unsigned lv = top; lv > level; lv--) {
		lathe_ct *g = NULL;
		for (size_t i = deg; i >= 1 && !s; i--) {
			const int64_t cc = lt_pe_centered(c[i], r->t);
			if (c[i] == 0 || cc == 1 || cc == -1 || lathe_ct_level(r->baby[i].ct) != lv)
				continue;
			lathe_ct *term;
			if (!(s = live_scaled(r, i, cc, &term)))
				s = live_add(r, &g, term, 0);
		}
		if (!s && g && (s = lathe_ct_mod_switch_to(r->ev, g, g, level)))
			s = lt_pe_fail(r, s, "a modulus switch");
		if (!s && g) {
			s = live_add(r, &acc, g, 0);
			g = NULL;
		}
		lt_pe_tmp_put(r, g);
		if (s)
			break;
	}
	for (size_t i = deg; i >= 1 && !s; i--) {
		const int64_t cc = lt_pe_centered(c[i], r->t);
		if (c[i] == 0)
			continue;
		lathe_ct *term = NULL;
		if (cc == 1 || cc == -1) {
			const lathe_ct *pc = NULL;
			if ((s = power_at(r, i, level, &pc)))
				break;
			if (acc) {
				/* added from the switched power itself, as sum_into does */
				if (!lt_sum_goes_first(pc, acc))
					s = cc == -1 ? lathe_ct_sub(r->ev, acc, acc, pc) : lathe_ct_add(r->ev, acc, acc, pc);
				else if (cc == 1)
					s = lathe_ct_add(r->ev, acc, pc, acc);
				else if (!(s = lathe_ct_sub(r->ev, acc, pc, acc)))
					s = lathe_ct_neg(r->ev, acc, acc);
				if (s)
					s = lt_pe_fail(r, s, "an addition");
				continue;
			}
			if ((s = lt_pe_tmp_get(r, &term)))
				break;
			if ((s = lathe_ct_copy(term, pc))) {
				lt_pe_tmp_put(r, term);
				s = lt_pe_fail(r, s, "a copy");
				break;
			}
		} else if (lathe_ct_level(r->baby[i].ct) == level) {
			if ((s = live_scaled(r, i, cc, &term)))
				break;
		} else {
			continue; /* in a group above */
		}
		s = live_add(r, &acc, term, cc == -1);
	}
	if (s) {
		lt_pe_tmp_put(r, acc);
		return s;
	}
	*out = acc;
	return LATHE_OK;
}

/*
 * The polynomial c[0] + c[1] y + ... + c[deg] y^deg, deg <= k, from the
 * baby steps. Its costs come from the terms in order, highest power
 * first (it used the most levels: the accumulator, every other term
 * switched down to it), as a dry walk counts them; the ciphertext from
 * leaf_live.
 */
static lathe_status
eval_leaf(pe_run *r, pe_val *res, const uint64_t *c, size_t deg)
{
	lathe_status s;
	unsigned level = ~0u;
	memset(res, 0, sizeof(*res));
	for (size_t i = 1; i <= deg; i++) {
		const pe_val *p;
		if (c[i] && (s = power(r, i, &p)))
			return s;
		if (c[i] && !r->dry && lathe_ct_level(p->ct) < level)
			level = lathe_ct_level(p->ct);
	}
	/* the costs (a dry pass over the terms: no ciphertext is touched) */
	const int dry = r->dry;
	r->dry = 1;
	for (size_t i = deg; i >= 1; i--)
		if (c[i] && (s = lt_pe_axpy(r, res, &r->baby[i], NULL, c[i])))
			break;
	r->dry = dry;
	res->ct = NULL;
	if (s)
		return s;
	if (!res->is_ct) {
		res->c = c[0];
		return LATHE_OK;
	}
	if (!dry && (s = leaf_live(r, c, deg, level, &res->ct))) {
		memset(res, 0, sizeof(*res));
		return s;
	}
	if ((s = lt_pe_add_const(r, res, c[0]))) {
		lt_pe_val_release(r, res);
		return s;
	}
	return LATHE_OK;
}

/*
 * The polynomial c[0..n) (n >= 1), as lo + y^G hi with G = k 2^j the
 * largest giant step <= its degree, recursively; a constant comes back as
 * a constant. Depth: ceil(log2 deg) once deg > k (lo and hi have degree
 * < G = 2^(l+j), like y^G itself, and one product joins them).
 */
static lathe_status
eval_rec(pe_run *r, pe_val *res, const uint64_t *c, size_t n)
{
	while (n > 1 && c[n - 1] == 0)
		n--;
	const size_t deg = n - 1;
	if (deg <= r->k)
		return eval_leaf(r, res, c, deg);
	unsigned j = 0;
	while ((r->k << (j + 1)) <= deg)
		j++;
	const size_t G = r->k << j;
	pe_val lo = { 0 }, hi = { 0 }, term = { 0 };
	const pe_val *g;
	lathe_status s;
	/* hi ends in the nonzero c[n - 1]: a ciphertext or a nonzero constant */
	if ((s = eval_rec(r, &lo, c, G)) || (s = eval_rec(r, &hi, c + G, n - G)) || (s = giant(r, j, &g)))
		goto out;
	if (hi.is_ct)
		s = lt_pe_mul(r, &term, g, &hi, "a giant-step product");
	else
		s = lt_pe_axpy(r, &term, g, g->ct, hi.c);
	if (s)
		goto out;
	s = lo.is_ct ? lt_pe_add(r, &term, &lo) : lt_pe_add_const(r, &term, lo.c);
	if (!s) {
		*res = term;
		memset(&term, 0, sizeof(term));
	}
out:
	lt_pe_val_release(r, &term);
	lt_pe_val_release(r, &lo);
	lt_pe_val_release(r, &hi);
	return s;
}

static void
run_clear(pe_run *r)
{
	if (r->baby)
		for (size_t i = 2; i <= r->k; i++)
			lt_pe_val_release(r, &r->baby[i]);
	if (r->low)
		for (size_t i = 0; i <= r->k; i++)
			lt_pe_tmp_put(r, r->low[i]);
	if (r->giant)
		for (unsigned j = 1; j < r->have_giant; j++)
			lt_pe_val_release(r, &r->giant[j]);
	/* the temporaries stay in a caller's pool; a pool of the run's own goes */
	if (r->pool == &r->own)
		lt_pe_pool_clear(&r->own);
	free(r->baby);
	free(r->low);
	free(r->giant);
	r->baby = NULL;
	r->low = NULL;
	r->giant = NULL;
}

/*
 * One walk with baby steps 2^l over c[0..n) (trimmed, n >= 2): counts into
 * r->st; *res gets the result, a ciphertext the caller owns (live) or its
 * costs (dry).
 */
lathe_status
lt_pe_run_walk(pe_run *r, unsigned l, size_t n, pe_val *res)
{
	r->l = l;
	r->k = (size_t)1 << l;
	r->ngiant = lt_pe_ceil_log2(n) + 1;
	r->have_giant = 0;
	memset(&r->st, 0, sizeof(r->st));
	r->err = LATHE_OK;
	if (!r->pool)
		r->pool = &r->own;
	r->baby = calloc(r->k + 1, sizeof(pe_val));
	r->low = r->dry ? NULL : calloc(r->k + 1, sizeof(lathe_ct *));
	r->giant = calloc(r->ngiant, sizeof(pe_val));
	if (!r->baby || (!r->dry && !r->low) || !r->giant) {
		run_clear(r);
		return lt_fail(LATHE_ENOMEM, "lathe_poly_eval: out of memory");
	}
	r->baby[1].is_ct = 1;
	r->baby[1].borrowed = 1;
	r->baby[1].ct = (lathe_ct *)r->x; /* read only: every operation writes a temporary */
	pe_val v;
	lathe_status s = eval_rec(r, &v, r->coeffs, n);
	if (!s) {
		r->st.depth = v.depth;
		r->st.levels = v.lv + (v.dirty == DIRTY);
		/* the result leaves the pool's care */
		*res = v;
	}
	run_clear(r);
	return s;
}

/* prefixes the failing operation's detail with the step of the evaluation */
static lathe_status
pass_on(const char *fn, const pe_run *r, size_t deg, lathe_status s)
{
	char detail[400];
	snprintf(detail, sizeof(detail), "%s", lathe_last_error());
	return lt_fail(s, "%s: %s of the degree-%zu polynomial (baby steps up to x^%zu) failed: %s", fn, r->what,
	               deg, r->k, detail);
}

lathe_status
lt_pe_poly_eval(const char *fn, lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out, const lathe_ct *x,
                const uint64_t *coeffs, size_t n, lathe_polyeval_stats *stats)
{
	return lt_pe_poly_eval_keep(fn, ev, ctx, out, x, coeffs, n, stats, NULL);
}

lathe_status
lt_pe_poly_eval_keep(const char *fn, lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out, const lathe_ct *x,
                     const uint64_t *coeffs, size_t n, lathe_polyeval_stats *stats, lt_pe_pool *keep)
{
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ev' is NULL", fn);
	if (!ctx)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ctx' is NULL", fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!x)
		return lt_fail(LATHE_EINVAL, "%s: argument 'x' is NULL", fn);
	/* the coefficients are mod x's plaintext modulus: the context's t, or p^e inside bootstrapping */
	const uint64_t t = lathe_ct_plain_modulus(x);
	lathe_status s = lt_pe_check_coeffs(fn, t, coeffs, n);
	if (s)
		return s;
	if (lathe_ctx_slots(ctx) == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no slots (t = %llu = 2^r): "
		               "slot-wise evaluation needs batch slots", fn, (unsigned long long)t);
	n = lt_pe_trimmed(coeffs, n);
	unsigned l;
	lathe_polyeval_stats st;
	if ((s = lt_pe_plan(t, coeffs, n, &l, &st)))
		return s;
	if (stats)
		*stats = st;

	pe_run r = { 0 };
	r.ev = ev;
	r.ctx = ctx;
	r.x = x;
	r.t = t;
	r.coeffs = coeffs;
	r.pool = keep;
	lathe_ct *res = NULL;
	if (n == 1) {
		/* x * 0 + c_0: a ciphertext of x's context and key pair */
		if ((s = lathe_ct_new(ctx, &res)))
			return s;
		if ((s = lathe_ct_mul_scalar(ev, res, x, 0)) ||
		    (s = lathe_ct_add_scalar(ev, res, res, lt_pe_centered(coeffs[0], t)))) {
			lathe_ct_free(res);
			return s;
		}
		r.st = st;
	} else {
		pe_val v = { 0 };
		if ((s = lt_pe_run_walk(&r, l, n, &v)))
			return r.err ? pass_on(fn, &r, n - 1, s) : s;
		res = v.ct;
	}
	/* the walk is the plan's: the same numbers, here counted at the calls made */
	if (stats)
		*stats = r.st;
	if ((s = lathe_ct_copy(out, res))) {
		char detail[400];
		snprintf(detail, sizeof(detail), "%s", lathe_last_error());
		s = lt_fail(s, "%s: writing the result to out: %s", fn, detail);
	}
	if (keep)
		lt_pe_pool_put(keep, res);
	else
		lathe_ct_free(res);
	return s;
}

lathe_status
lathe_poly_eval(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, const uint64_t *coeffs, size_t n_coeffs,
                lathe_polyeval_stats *stats)
{
	return lt_pe_poly_eval("lathe_poly_eval", ev, ev ? lathe_eval_ctx(ev) : NULL, out, x, coeffs, n_coeffs, stats);
}
