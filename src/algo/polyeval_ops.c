/*
 * The values of a polynomial-evaluation walk (polyeval.h) and the
 * operations on them: a pool of temporary ciphertexts, products, scaled
 * and plain sums and constants. Each makes its ciphertext operation only
 * in a live walk, and in both kinds of walk updates the value's depth, the
 * levels it used and how much noisier than a clean product it is (CLEAN,
 * MILD, DIRTY): the rules from which the plan and
 * lathe_polyeval_stats.levels come.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "polyeval.h"
#include "sumorder.h"

static unsigned
umax(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

/* records the first failure with the step that made it */
lathe_status
lt_pe_fail(pe_run *r, lathe_status s, const char *step)
{
	if (r->err == LATHE_OK) {
		r->err = s;
		snprintf(r->what, sizeof(r->what), "%s", step);
	}
	return s;
}

lathe_status
lt_pe_pool_get(lt_pe_pool *p, const lathe_ctx *ctx, unsigned level, lathe_ct **out)
{
	if (p->ctx != ctx) {
		lt_pe_pool_clear(p);
		p->ctx = ctx;
	}
	if (p->n) {
		*out = p->ct[--p->n];
		return LATHE_OK;
	}
	return lathe_ct_new_at(ctx, level, out);
}

void
lt_pe_pool_put(lt_pe_pool *p, lathe_ct *ct)
{
	if (!ct)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		lathe_ct **q = realloc(p->ct, cap * sizeof(*q));
		if (!q) {
			lathe_ct_free(ct);
			return;
		}
		p->ct = q;
		p->cap = cap;
	}
	p->ct[p->n++] = ct;
}

void
lt_pe_pool_clear(lt_pe_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		lathe_ct_free(p->ct[i]);
	free(p->ct);
	memset(p, 0, sizeof(*p));
}

/* a temporary ciphertext from the pool, or a new one */
lathe_status
lt_pe_tmp_get(pe_run *r, lathe_ct **ct)
{
	/*
	 * new ones with room for the input's level from the start: every value
	 * of the run is at or below it, so no temporary grows (a growth
	 * allocates, faults in and zeroes a new block: tens of MB at N = 2^16)
	 */
	lathe_status s = lt_pe_pool_get(r->pool, r->ctx, r->x ? lathe_ct_level(r->x) : 0, ct);
	return s ? lt_pe_fail(r, s, "a temporary") : LATHE_OK;
}

void
lt_pe_tmp_put(pe_run *r, lathe_ct *ct)
{
	lt_pe_pool_put(r->pool, ct);
}

void
lt_pe_val_release(pe_run *r, pe_val *v)
{
	if (v->is_ct && !v->borrowed)
		lt_pe_tmp_put(r, v->ct);
	memset(v, 0, sizeof(*v));
}

/* a ciphertext value (a temporary unless dry) */
static lathe_status
val_new_ct(pe_run *r, pe_val *v)
{
	memset(v, 0, sizeof(*v));
	v->is_ct = 1;
	return r->dry ? LATHE_OK : lt_pe_tmp_get(r, &v->ct);
}

/* dst = a * b (relinearized), a new value */
lathe_status
lt_pe_mul(pe_run *r, pe_val *dst, const pe_val *a, const pe_val *b, const char *step)
{
	lathe_status s = val_new_ct(r, dst);
	if (s)
		return s;
	if (!r->dry && (s = lathe_ct_mul(r->ev, dst->ct, a->ct, b->ct))) {
		lt_pe_val_release(r, dst);
		return lt_pe_fail(r, s, step);
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

/* acc->ct += src (sub: -= src), the noisier of the two first */
static lathe_status
sum_into(pe_run *r, lathe_ct *acc, const lathe_ct *src, int sub)
{
	lathe_status s;
	if (!lt_sum_goes_first(src, acc))
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
lathe_status
lt_pe_axpy(pe_run *r, pe_val *acc, const pe_val *a, const lathe_ct *a_ct, uint64_t c)
{
	const int64_t cc = lt_pe_centered(c, r->t);
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
			lt_pe_val_release(r, acc);
			return lt_pe_fail(r, s, scaled ? "a scalar multiplication" : "a copy");
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
			if ((s = lt_pe_tmp_get(r, &tmp)))
				return s;
			if ((s = lathe_ct_mul_scalar(r->ev, tmp, a->ct, cc))) {
				lt_pe_tmp_put(r, tmp);
				return lt_pe_fail(r, s, "a scalar multiplication");
			}
			src = tmp;
		}
		s = sum_into(r, acc->ct, src, cc == -1);
		lt_pe_tmp_put(r, tmp);
		if (s)
			return lt_pe_fail(r, s, "an addition");
	}
	sum_costs(acc, &term);
	return LATHE_OK;
}

/* acc += b (both ciphertexts) */
lathe_status
lt_pe_add(pe_run *r, pe_val *acc, const pe_val *b)
{
	lathe_status s;
	if (!r->dry && (s = sum_into(r, acc->ct, b->ct, 0)))
		return lt_pe_fail(r, s, "an addition");
	sum_costs(acc, b);
	return LATHE_OK;
}

/* acc += c, c in [0, t) (acc a ciphertext); a constant adds next to no noise */
lathe_status
lt_pe_add_const(pe_run *r, pe_val *acc, uint64_t c)
{
	lathe_status s;
	if (c == 0 || r->dry)
		return LATHE_OK;
	if ((s = lathe_ct_add_scalar(r->ev, acc->ct, acc->ct, lt_pe_centered(c, r->t))))
		return lt_pe_fail(r, s, "adding a constant");
	return LATHE_OK;
}
