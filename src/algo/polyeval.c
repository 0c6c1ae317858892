/*
 * Polynomial evaluation over the public BGV API: Paterson-Stockmeyer with
 * power-of-two baby and giant steps, and lookup tables by interpolation.
 *
 * One walk over the coefficients serves as the planner and as the
 * evaluation: with run.dry set it only counts the products, scalar
 * multiplications, depth and levels it would make; without, it makes them.
 * The plan and the evaluation therefore agree by construction, and the
 * stats an evaluation returns are counted at the calls it made.
 *
 * Only public data (the coefficients, the plan, levels) steers branches;
 * the ciphertexts go through lathe_ct_* calls alone.
 */
#include <lathe.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FLINT only for the primality test of the public t */
#include <flint/ulong_extras.h>

#include "core/error.h"

__extension__ typedef unsigned __int128 u128;

/*
 * How much a ciphertext's noise exceeds that of a clean product at its
 * level: MILD (a bit or two) costs a level before the next product but
 * still decrypts; DIRTY (up to log2 t bits: a scalar multiple, or a sum of
 * two terms at one level, one of them multiplied by a ratio of correction
 * factors) costs a level before a product or before decryption.
 */
enum { CLEAN = 0, MILD = 1, DIRTY = 2 };

/* a value of the walk: a public constant, or a ciphertext with its costs */
typedef struct pe_val {
	int is_ct;
	uint64_t c;         /* the constant, in [0, t) (when !is_ct) */
	lathe_ct *ct;       /* owned, or borrowed when `borrowed` (NULL in a dry run) */
	int borrowed;
	unsigned depth;     /* sequential products on the longest path */
	unsigned lv;        /* levels used on the way here (see pe_mul) */
	int dirty;          /* CLEAN, MILD or DIRTY */
} pe_val;

typedef struct pe_run {
	int dry;
	lathe_eval *ev;
	const lathe_ctx *ctx;
	const lathe_ct *x;
	uint64_t t;
	const uint64_t *coeffs;
	unsigned l;         /* baby steps x^1 .. x^k, k = 2^l */
	size_t k;
	pe_val *baby;       /* baby[i] = x^i, 1 <= i <= k (computed on demand) */
	lathe_ct **low;     /* low[i]: baby[i] switched down to a leaf's level (or NULL) */
	pe_val *giant;      /* giant[j] = x^(k 2^j) (giant[0] is baby[k]) */
	unsigned ngiant;
	unsigned have_giant; /* giant[0 .. have_giant) are computed */
	lathe_ct **pool;    /* released temporaries, reused (each allocation zeroes a top-level buffer) */
	size_t npool, cap_pool;
	lathe_polyeval_stats st;
	lathe_status err;
	char what[64];      /* which step failed, for lathe_last_error() */
} pe_run;

static unsigned
umax(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

/* ceil(log2 n) for n >= 1 */
static unsigned
ceil_log2(size_t n)
{
	unsigned r = 0;
	while (((size_t)1 << r) < n)
		r++;
	return r;
}

static int64_t
centered(uint64_t c, uint64_t t)
{
	return c > (t - 1) / 2 ? (int64_t)c - (int64_t)t : (int64_t)c;
}

/* records the first failure with the step that made it */
static lathe_status
fail(pe_run *r, lathe_status s, const char *step)
{
	if (r->err == LATHE_OK) {
		r->err = s;
		snprintf(r->what, sizeof(r->what), "%s", step);
	}
	return s;
}

/* a temporary ciphertext from the pool, or a new one */
static lathe_status
tmp_get(pe_run *r, lathe_ct **ct)
{
	if (r->npool) {
		*ct = r->pool[--r->npool];
		return LATHE_OK;
	}
	lathe_status s = lathe_ct_new(r->ctx, ct);
	return s ? fail(r, s, "a temporary") : LATHE_OK;
}

static void
tmp_put(pe_run *r, lathe_ct *ct)
{
	if (!ct)
		return;
	if (r->npool == r->cap_pool) {
		size_t cap = r->cap_pool ? 2 * r->cap_pool : 16;
		lathe_ct **p = realloc(r->pool, cap * sizeof(*p));
		if (!p) {
			lathe_ct_free(ct);
			return;
		}
		r->pool = p;
		r->cap_pool = cap;
	}
	r->pool[r->npool++] = ct;
}

static void
val_release(pe_run *r, pe_val *v)
{
	if (v->is_ct && !v->borrowed)
		tmp_put(r, v->ct);
	memset(v, 0, sizeof(*v));
}

/* a ciphertext value (a temporary unless dry) */
static lathe_status
val_new_ct(pe_run *r, pe_val *v)
{
	memset(v, 0, sizeof(*v));
	v->is_ct = 1;
	return r->dry ? LATHE_OK : tmp_get(r, &v->ct);
}

/* dst = a * b (relinearized), a new value */
static lathe_status
pe_mul(pe_run *r, pe_val *dst, const pe_val *a, const pe_val *b, const char *step)
{
	lathe_status s = val_new_ct(r, dst);
	if (s)
		return s;
	if (!r->dry && (s = lathe_ct_mul(r->ev, dst->ct, a->ct, b->ct))) {
		val_release(r, dst);
		return fail(r, s, step);
	}
	/* a mild or dirty operand needs one more switch down before the product */
	dst->depth = umax(a->depth, b->depth) + 1;
	dst->lv = umax(a->lv + (a->dirty != CLEAN), b->lv + (b->dirty != CLEAN)) + 1;
	dst->dirty = CLEAN;
	r->st.nonscalar_muls++;
	return LATHE_OK;
}

/*
 * The costs of acc + b, from the noise of the two terms. The one that used
 * fewer levels is switched down to the other's level first (and, when
 * the chain primes are not 1 mod t, multiplied by a ratio of correction
 * factors, up to t/2): two or more levels up, or one level up and not
 * dirty, it keeps its noise well below a product's; one level up and
 * dirty, it comes close (mild). Two terms at the same level make a dirty
 * sum (conservatively: with a ratio of factors on one of them).
 */
static void
sum_costs(pe_val *acc, const pe_val *b)
{
	const pe_val *hi = b->lv > acc->lv ? b : acc, *lo = hi == b ? acc : b;
	int dirty = hi->dirty;
	if (lo->lv == hi->lv)
		dirty = DIRTY;
	else if (lo->lv + 1 == hi->lv && lo->dirty == DIRTY && dirty == CLEAN)
		dirty = MILD;
	acc->depth = umax(acc->depth, b->depth);
	acc->lv = hi->lv;
	acc->dirty = dirty;
}

/*
 * Whether x should be the first operand of a sum with y: the noisier one
 * once both are at one level (the lower level, or at one level the smaller
 * public budget estimate). A sum is taken at the first operand's
 * correction factor, so a ratio of factors (up to t/2), if any, multiplies
 * the noise of the second: it must be the quieter one.
 */
static int
goes_first(const lathe_ct *x, const lathe_ct *y)
{
	unsigned lx = lathe_ct_level(x), ly = lathe_ct_level(y);
	if (lx != ly)
		return lx < ly;
	int bx = 0, by = 0;
	if (lathe_ct_budget_estimate(x, &bx) || lathe_ct_budget_estimate(y, &by))
		return 0;
	return bx < by;
}

/* acc->ct += src (sub: -= src), the noisier of the two first */
static lathe_status
sum_into(pe_run *r, lathe_ct *acc, const lathe_ct *src, int sub)
{
	lathe_status s;
	if (!goes_first(src, acc))
		return sub ? lathe_ct_sub(r->ev, acc, acc, src) : lathe_ct_add(r->ev, acc, acc, src);
	if (!sub)
		return lathe_ct_add(r->ev, acc, src, acc);
	/* acc - src = -(src - acc); negation is exact */
	if ((s = lathe_ct_sub(r->ev, acc, src, acc)))
		return s;
	return lathe_ct_neg(r->ev, acc, acc);
}

/*
 * acc (+)= c * a, c in [0, t) nonzero; acc is made when it is no
 * ciphertext yet. 1 and -1 cost an addition or a subtraction of a_ct (a's
 * ciphertext, possibly switched down to acc's level already); any other c
 * a scalar multiplication of a at its own level, before any switch, which
 * leaves the least noise. Its noise growth (|c| up to t/2, about log2 t
 * bits) makes the term dirty.
 */
static lathe_status
pe_axpy(pe_run *r, pe_val *acc, const pe_val *a, const lathe_ct *a_ct, uint64_t c)
{
	const int64_t cc = centered(c, r->t);
	const int first = !acc->is_ct;
	const int scaled = cc != 1 && cc != -1;
	pe_val term = *a;
	term.borrowed = 1;
	if (scaled) {
		r->st.scalar_muls++;
		term.dirty = DIRTY;
	}
	if (first) {
		lathe_status s = val_new_ct(r, acc);
		if (s)
			return s;
		if (!r->dry) {
			if (scaled)
				s = lathe_ct_mul_scalar(r->ev, acc->ct, a->ct, cc);
			else
				s = cc == 1 ? lathe_ct_copy(acc->ct, a_ct) : lathe_ct_neg(r->ev, acc->ct, a_ct);
		}
		if (s) {
			val_release(r, acc);
			return fail(r, s, scaled ? "a scalar multiplication" : "a copy");
		}
		acc->depth = term.depth;
		acc->lv = term.lv;
		acc->dirty = term.dirty;
		return LATHE_OK;
	}
	if (!r->dry) {
		lathe_status s = LATHE_OK;
		const lathe_ct *src = a_ct;
		lathe_ct *tmp = NULL;
		if (scaled) {
			if ((s = tmp_get(r, &tmp)))
				return s;
			if ((s = lathe_ct_mul_scalar(r->ev, tmp, a->ct, cc))) {
				tmp_put(r, tmp);
				return fail(r, s, "a scalar multiplication");
			}
			src = tmp;
		}
		s = sum_into(r, acc->ct, src, cc == -1);
		tmp_put(r, tmp);
		if (s)
			return fail(r, s, "an addition");
	}
	sum_costs(acc, &term);
	return LATHE_OK;
}

/* acc += b (both ciphertexts) */
static lathe_status
pe_add(pe_run *r, pe_val *acc, const pe_val *b)
{
	lathe_status s;
	if (!r->dry && (s = sum_into(r, acc->ct, b->ct, 0)))
		return fail(r, s, "an addition");
	sum_costs(acc, b);
	return LATHE_OK;
}

/* acc += c, c in [0, t) (acc a ciphertext); a constant adds next to no noise */
static lathe_status
pe_add_const(pe_run *r, pe_val *acc, uint64_t c)
{
	lathe_status s;
	if (c == 0 || r->dry)
		return LATHE_OK;
	if ((s = lathe_ct_add_scalar(r->ev, acc->ct, acc->ct, centered(c, r->t))))
		return fail(r, s, "adding a constant");
	return LATHE_OK;
}

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
		if ((s = pe_mul(r, &r->giant[r->have_giant], g, g, "a giant step")))
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
		const size_t a = (size_t)1 << (ceil_log2(i) - 1);
		const pe_val *pa, *pb;
		lathe_status s;
		if ((s = power(r, a, &pa)) || (s = power(r, i - a, &pb)))
			return s;
		if ((s = pe_mul(r, v, pa, pb, "a baby step")))
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
		if (!r->low[i] && (s = tmp_get(r, &r->low[i])))
			return s;
		if ((s = lathe_ct_mod_switch_to(r->ev, r->low[i], p, level)))
			return fail(r, s, "a modulus switch");
	}
	*out = r->low[i];
	return LATHE_OK;
}

/*
 * The polynomial c[0] + c[1] y + ... + c[deg] y^deg, deg <= k, from the
 * baby steps, highest power first: it used the most levels, so it is the
 * accumulator and every other term is switched down to it.
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
	for (size_t i = deg; i >= 1; i--) {
		if (c[i] == 0)
			continue;
		const int64_t cc = centered(c[i], r->t);
		const lathe_ct *pc = r->baby[i].ct;
		if (!r->dry && (cc == 1 || cc == -1) && (s = power_at(r, i, level, &pc)))
			goto fail;
		if ((s = pe_axpy(r, res, &r->baby[i], pc, c[i])))
			goto fail;
	}
	if (!res->is_ct) {
		res->c = c[0];
		return LATHE_OK;
	}
	if ((s = pe_add_const(r, res, c[0])))
		goto fail;
	return LATHE_OK;
fail:
	val_release(r, res);
	return s;
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
		s = pe_mul(r, &term, g, &hi, "a giant-step product");
	else
		s = pe_axpy(r, &term, g, g->ct, hi.c);
	if (s)
		goto out;
	s = lo.is_ct ? pe_add(r, &term, &lo) : pe_add_const(r, &term, lo.c);
	if (!s) {
		*res = term;
		memset(&term, 0, sizeof(term));
	}
out:
	val_release(r, &term);
	val_release(r, &lo);
	val_release(r, &hi);
	return s;
}

static void
run_clear(pe_run *r)
{
	if (r->baby)
		for (size_t i = 2; i <= r->k; i++)
			val_release(r, &r->baby[i]);
	if (r->low)
		for (size_t i = 0; i <= r->k; i++)
			lathe_ct_free(r->low[i]);
	if (r->giant)
		for (unsigned j = 1; j < r->have_giant; j++)
			val_release(r, &r->giant[j]);
	for (size_t i = 0; i < r->npool; i++)
		lathe_ct_free(r->pool[i]);
	free(r->baby);
	free(r->low);
	free(r->giant);
	free(r->pool);
	r->baby = NULL;
	r->low = NULL;
	r->giant = NULL;
	r->pool = NULL;
	r->npool = r->cap_pool = 0;
}

/*
 * One walk with baby steps 2^l over c[0..n) (trimmed, n >= 2): counts into
 * r->st; *res gets the result, a ciphertext the caller owns (live) or its
 * costs (dry).
 */
static lathe_status
run_walk(pe_run *r, unsigned l, size_t n, pe_val *res)
{
	r->l = l;
	r->k = (size_t)1 << l;
	r->ngiant = ceil_log2(n) + 1;
	r->have_giant = 0;
	memset(&r->st, 0, sizeof(r->st));
	r->err = LATHE_OK;
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

static lathe_status
check_coeffs(const char *fn, uint64_t t, const uint64_t *coeffs, size_t n)
{
	if (!coeffs)
		return lt_fail(LATHE_EINVAL, "%s: argument 'coeffs' is NULL", fn);
	if (n == 0)
		return lt_fail(LATHE_EINVAL, "%s: n_coeffs is 0", fn);
	for (size_t i = 0; i < n; i++)
		if (coeffs[i] >= t)
			return lt_fail(LATHE_EINVAL, "%s: coefficient %zu (%llu) is not below t = %llu", fn, i,
			               (unsigned long long)coeffs[i], (unsigned long long)t);
	return LATHE_OK;
}

/*
 * The plan for c[0..n) (trimmed): the baby-step exponent l in
 * [0, ceil(log2 d)] with the fewest products, then the fewest levels, then
 * the fewest scalar multiplications. Every such l gives depth ceil(log2 d).
 * A constant (n == 1) costs one multiplication by 0.
 */
static lathe_status
plan(uint64_t t, const uint64_t *coeffs, size_t n, unsigned *best_l, lathe_polyeval_stats *best)
{
	memset(best, 0, sizeof(*best));
	*best_l = 0;
	if (n == 1) {
		best->scalar_muls = 1;
		return LATHE_OK;
	}
	const unsigned lmax = ceil_log2(n - 1);
	for (unsigned l = 0; l <= lmax; l++) {
		pe_run r = { 0 };
		r.dry = 1;
		r.t = t;
		r.coeffs = coeffs;
		pe_val res;
		lathe_status s = run_walk(&r, l, n, &res);
		if (s)
			return s;
		const lathe_polyeval_stats *c = &r.st;
		if (l == 0 || c->nonscalar_muls < best->nonscalar_muls ||
		    (c->nonscalar_muls == best->nonscalar_muls &&
		     (c->levels < best->levels || (c->levels == best->levels && c->scalar_muls < best->scalar_muls)))) {
			*best = *c;
			*best_l = l;
		}
	}
	return LATHE_OK;
}

static size_t
trimmed(const uint64_t *coeffs, size_t n)
{
	while (n > 1 && coeffs[n - 1] == 0)
		n--;
	return n;
}

lathe_status
lathe_poly_eval_cost(uint64_t t, const uint64_t *coeffs, size_t n_coeffs, lathe_polyeval_stats *stats)
{
	const char *fn = "lathe_poly_eval_cost";
	if (!stats)
		return lt_fail(LATHE_EINVAL, "%s: argument 'stats' is NULL", fn);
	if (t < 2)
		return lt_fail(LATHE_EINVAL, "%s: t = %llu is below 2", fn, (unsigned long long)t);
	lathe_status s = check_coeffs(fn, t, coeffs, n_coeffs);
	if (s)
		return s;
	unsigned l;
	lathe_polyeval_stats st;
	if ((s = plan(t, coeffs, trimmed(coeffs, n_coeffs), &l, &st)))
		return s;
	*stats = st;
	return LATHE_OK;
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

static lathe_status
poly_eval(const char *fn, lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out, const lathe_ct *x,
          const uint64_t *coeffs, size_t n, lathe_polyeval_stats *stats)
{
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ev' is NULL", fn);
	if (!ctx)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ctx' is NULL", fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!x)
		return lt_fail(LATHE_EINVAL, "%s: argument 'x' is NULL", fn);
	const uint64_t t = lathe_ctx_plain_modulus(ctx);
	lathe_status s = check_coeffs(fn, t, coeffs, n);
	if (s)
		return s;
	if (lathe_ctx_slots(ctx) == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batching (t = %llu is not 1 mod 2N): "
		               "slot-wise evaluation needs batch slots", fn, (unsigned long long)t);
	n = trimmed(coeffs, n);
	unsigned l;
	lathe_polyeval_stats st;
	if ((s = plan(t, coeffs, n, &l, &st)))
		return s;
	if (stats)
		*stats = st;

	pe_run r = { 0 };
	r.ev = ev;
	r.ctx = ctx;
	r.x = x;
	r.t = t;
	r.coeffs = coeffs;
	lathe_ct *res = NULL;
	if (n == 1) {
		/* x * 0 + c_0: a ciphertext of x's context and key pair */
		if ((s = lathe_ct_new(ctx, &res)))
			return s;
		if ((s = lathe_ct_mul_scalar(ev, res, x, 0)) ||
		    (s = lathe_ct_add_scalar(ev, res, res, centered(coeffs[0], t)))) {
			lathe_ct_free(res);
			return s;
		}
		r.st = st;
	} else {
		pe_val v = { 0 };
		if ((s = run_walk(&r, l, n, &v)))
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
	lathe_ct_free(res);
	return s;
}

lathe_status
lathe_poly_eval(lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out, const lathe_ct *x, const uint64_t *coeffs,
                size_t n_coeffs, lathe_polyeval_stats *stats)
{
	return poly_eval("lathe_poly_eval", ev, ctx, out, x, coeffs, n_coeffs, stats);
}

/* ---- interpolation ---- */

static uint64_t
mulmod(uint64_t a, uint64_t b, uint64_t t)
{
	return (uint64_t)(((u128)a * b) % t);
}

static uint64_t
submod(uint64_t a, uint64_t b, uint64_t t)
{
	return a >= b ? a - b : a + (t - b);
}

/* a^(t-2) mod t: the inverse of a != 0 mod the prime t */
static uint64_t
invmod(uint64_t a, uint64_t t)
{
	uint64_t r = 1, e = t - 2;
	while (e) {
		if (e & 1)
			r = mulmod(r, a, t);
		a = mulmod(a, a, t);
		e >>= 1;
	}
	return r;
}

/* v mod t for |v| < t */
static uint64_t
residue(int64_t v, uint64_t t)
{
	return v < 0 ? t - (uint64_t)(-(v + 1)) - 1 : (uint64_t)v;
}

/* the checks of lathe_poly_interpolate; *n gets the number of points */
static lathe_status
check_table(const char *fn, const lathe_ctx *ctx, int64_t lo, int64_t hi, const int64_t *values, size_t *n)
{
	if (!ctx)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ctx' is NULL", fn);
	if (!values)
		return lt_fail(LATHE_EINVAL, "%s: argument 'values' is NULL", fn);
	const uint64_t t = lathe_ctx_plain_modulus(ctx);
	if (!n_is_prime(t))
		return lt_fail(LATHE_EPARAM, "%s: t = %llu is not prime (interpolation divides mod t)", fn,
		               (unsigned long long)t);
	const int64_t ti = (int64_t)t; /* t < 2^60 */
	if (lo > hi)
		return lt_fail(LATHE_EINVAL, "%s: empty range [%lld, %lld]", fn, (long long)lo, (long long)hi);
	if (lo <= -ti || hi >= ti)
		return lt_fail(LATHE_EINVAL, "%s: range [%lld, %lld] not within (-t, t), t = %llu", fn, (long long)lo,
		               (long long)hi, (unsigned long long)t);
	const uint64_t np = (uint64_t)(hi - lo) + 1;
	if (np > t)
		return lt_fail(LATHE_EINVAL, "%s: range [%lld, %lld] has %llu points, more than t = %llu", fn,
		               (long long)lo, (long long)hi, (unsigned long long)np, (unsigned long long)t);
	if (np > SIZE_MAX / sizeof(uint64_t))
		return lt_fail(LATHE_EINVAL, "%s: range of %llu points too large", fn, (unsigned long long)np);
	for (uint64_t i = 0; i < np; i++)
		if (values[i] <= -ti || values[i] >= ti)
			return lt_fail(LATHE_EINVAL, "%s: values[%llu] = %lld not within (-t, t), t = %llu", fn,
			               (unsigned long long)i, (long long)values[i], (unsigned long long)t);
	*n = (size_t)np;
	return LATHE_OK;
}

/* the interpolation proper, on checked arguments: n points lo, lo + 1, ... */
static void
interpolate(uint64_t t, int64_t lo, size_t n, const int64_t *values, uint64_t *coeffs)
{
	for (size_t i = 0; i < n; i++)
		coeffs[i] = residue(values[i], t);
	/*
	 * Divided differences in place: after round j, coeffs[i] (i >= j) is
	 * f[v_{i-j}, ..., v_i]. The points are equally spaced, so the
	 * denominator v_i - v_{i-j} is j (nonzero mod t: j < n <= t).
	 */
	for (size_t j = 1; j < n; j++) {
		const uint64_t inv = invmod(j, t);
		for (size_t i = n - 1; i >= j; i--)
			coeffs[i] = mulmod(submod(coeffs[i], coeffs[i - 1], t), inv, t);
	}
	/*
	 * Newton form a_0 + (y - v_0)(a_1 + (y - v_1)(a_2 + ...)) to the power
	 * basis, innermost factor first: after round j, coeffs[j..n) holds the
	 * power-basis coefficients of a_j + (y - v_j)(a_{j+1} + ...).
	 */
	const uint64_t v0 = residue(lo, t);
	for (size_t j = n - 1; j-- > 0;) {
		const uint64_t v = v0 + j >= t ? v0 + j - t : v0 + j; /* v_j = lo + j mod t */
		for (size_t i = j; i + 1 < n; i++)
			coeffs[i] = submod(coeffs[i], mulmod(v, coeffs[i + 1], t), t);
	}
}

lathe_status
lathe_poly_interpolate(const lathe_ctx *ctx, int64_t lo, int64_t hi, const int64_t *values, uint64_t *coeffs)
{
	const char *fn = "lathe_poly_interpolate";
	size_t n = 0;
	lathe_status s = check_table(fn, ctx, lo, hi, values, &n);
	if (s)
		return s;
	if (!coeffs)
		return lt_fail(LATHE_EINVAL, "%s: argument 'coeffs' is NULL", fn);
	interpolate(lathe_ctx_plain_modulus(ctx), lo, n, values, coeffs);
	return LATHE_OK;
}

lathe_status
lathe_poly_eval_table(lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out, const lathe_ct *x, int64_t lo,
                      int64_t hi, const int64_t *values, lathe_polyeval_stats *stats)
{
	const char *fn = "lathe_poly_eval_table";
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ev' is NULL", fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!x)
		return lt_fail(LATHE_EINVAL, "%s: argument 'x' is NULL", fn);
	size_t n = 0;
	lathe_status s = check_table(fn, ctx, lo, hi, values, &n);
	if (s)
		return s;
	if (lathe_ctx_slots(ctx) == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batching: slot-wise evaluation needs batch slots",
		               fn);
	uint64_t *coeffs = malloc(n * sizeof(uint64_t));
	if (!coeffs)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory for %zu coefficients", fn, n);
	interpolate(lathe_ctx_plain_modulus(ctx), lo, n, values, coeffs);
	s = poly_eval(fn, ev, ctx, out, x, coeffs, n, stats);
	free(coeffs);
	return s;
}
