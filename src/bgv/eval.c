/*
 * The evaluator: homomorphic operations with automatic level management.
 * Every operation checks its arguments, predicts the noise of its result
 * from the public model, and refuses (LATHE_ENOISE) before touching its
 * output when the result could not decrypt.
 */
#include <math.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/vec.h"
#include "evalcore.h"
#include "internal.h"

lathe_status
lathe_eval_new(const lathe_ctx *ctx, const lathe_evalkeys *ek, lathe_eval **out)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	*out = NULL;
	if (ek && !lt_ctx_same(ctx, ek->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_eval_new: evaluation keys from another context");
	lathe_eval *ev = lt_calloc(1, sizeof(*ev));
	if (!ev)
		return lt_fail(LATHE_ENOMEM, "lathe_eval_new: out of memory");
	ev->ctx = ctx;
	ev->ek = ek;
	ev->auto_ms = 1;
	atomic_flag_clear(&ev->busy);
	lathe_status s = lathe_ct_new(ctx, &ev->t1);
	if (!s)
		s = lathe_ct_new(ctx, &ev->t2);
	if (!s)
		s = lt_ks_ws_init(&ev->ks, ctx);
	if (!s) {
		ev->drop = lt_alloc(lt_ct_switch_scratch_words(ctx) * 8);
		ev->lift = lt_alloc(lt_comp_words(ctx) * 8);
		if (!ev->drop || !ev->lift)
			s = lt_fail(LATHE_ENOMEM, "lathe_eval_new: out of memory");
	}
	if (s) {
		lathe_eval_free(ev);
		return s;
	}
	*out = ev;
	return LATHE_OK;
}

void
lathe_eval_free(lathe_eval *ev)
{
	if (!ev)
		return;
	lathe_ct_free(ev->t1);
	lathe_ct_free(ev->t2);
	lt_ks_ws_clear(&ev->ks);
	lt_free(ev->drop);
	lt_free_secret(ev->lift, lt_comp_words(ev->ctx) * 8);
	if (ev->boot_free)
		ev->boot_free(ev->boot);
	lt_free(ev);
}

const lathe_ctx *
lathe_eval_ctx(const lathe_eval *ev)
{
	return ev ? ev->ctx : NULL;
}

const lathe_evalkeys *
lathe_eval_keys(const lathe_eval *ev)
{
	return ev ? ev->ek : NULL;
}

lathe_status
lt_ev_eval_set_auto_modswitch(lathe_eval *ev, int on)
{
	LT_CHECK_NULL(ev);
	ev->auto_ms = on != 0;
	return LATHE_OK;
}

/* ---- checks and level management ---- */

lathe_status
lt_ev_check_ct(const char *fn, const lathe_eval *ev, const lathe_ct *x, const char *name)
{
	if (!x)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, name);
	if (!lt_ctx_same(ev->ctx, x->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: '%s' belongs to another context", fn, name);
	return LATHE_OK;
}

/* an input: of ev's context and, when ev has keys, of their key pair */
lathe_status
lt_ev_check_in(const char *fn, const lathe_eval *ev, const lathe_ct *x, const char *name)
{
	lathe_status s = lt_ev_check_ct(fn, ev, x, name);
	if (s == LATHE_OK && ev->ek)
		s = lt_keyid_check(fn, name, x->keyid, "the evaluation keys", ev->ek->keyid);
	return s;
}

lathe_status
lt_ev_refuse_noise(const char *fn, const lathe_ctx *c, double noise, unsigned level)
{
	return lt_fail(LATHE_ENOISE, "%s: the result's noise (2^%.1f) would reach Q_%u / 2 = 2^%.1f", fn, noise,
	               level, lt_ctx_logq_half(c, level));
}

int
lt_ev_too_noisy(const lathe_ctx *c, double noise, unsigned level)
{
	return noise >= lt_ctx_logq_half(c, level);
}

/* copies x into dst (an evaluator temporary) unless it already is dst */
lathe_status
lt_ev_to_temp(lathe_ct *dst, const lathe_ct *x)
{
	return lathe_ct_copy(dst, x);
}

/* switches x down to `level`, with the evaluator's drop buffer as scratch */
lathe_status
lt_ev_drop_to(lathe_eval *ev, lathe_ct *x, unsigned level)
{
	if (x->level <= level)
		return LATHE_OK;
	return lt_ct_switch_to(x, x, level, ev->drop);
}

/* dst = x switched down to `level` (x's own when above it), with no copy of the limbs dropped */
lathe_status
lt_ev_switch_to(lathe_eval *ev, lathe_ct *dst, const lathe_ct *x, unsigned level)
{
	return lt_ct_switch_to(dst, x, level < x->level ? level : x->level, ev->drop);
}

/*
 * The level a multiplication operand is switched down to (FLEXIBLEAUTO-style,
 * KPZ21 §3): dropping q_l turns noise n into n' (the quotient's noise plus
 * the switch's rounding) and costs log2 q_l of modulus; it is done while it
 * leaves the product more room, 2 (n - n') > log2 q_l. A fresh ciphertext
 * (noise a few bits above the floor) stays where it is, and its product
 * uses the top prime; a product's noise is brought back near the floor, so
 * each later product uses one level of the chain.
 */
unsigned
lt_ev_mul_level(const lathe_ctx *c, const lathe_ct *x)
{
	unsigned l = x->level;
	double n = x->noise;
	const lt_plainmod *pm = lt_ct_pm(x);
	while (l > 0) {
		double m = lt_noise_after_switch(c, pm, n, l, x->size);
		if (2 * (n - m) <= c->logq[l])
			break;
		n = m;
		l--;
	}
	return l;
}

int64_t
lt_centered_mod(uint64_t v, uint64_t t)
{
	return v > (t - 1) / 2 ? (int64_t)v - (int64_t)t : (int64_t)v;
}

/* multiply every component by the integer c (any form) */
void
lt_ev_scale(lathe_ct *x, int64_t c)
{
	for (unsigned k = 0; k < x->size; k++) {
		lt_poly p = lt_ct_poly(x, k);
		lt_poly_mul_int(&p, &p, c);
	}
}

double
lt_log2_abs(int64_t c)
{
	return c == 0 ? -1e9 : log2(fabs((double)c));
}

/*
 * Brings a and b to a common level and correction factor in the evaluator's
 * temporaries; *pa, *pb point at what to use.
 */
lathe_status
lt_ev_align(lathe_eval *ev, const lathe_ct **pa, const lathe_ct **pb, int for_mul)
{
	const lathe_ctx *c = ev->ctx;
	const lathe_ct *a = *pa, *b = *pb;
	unsigned la = a->level, lb = b->level;
	if (for_mul && ev->auto_ms) {
		la = lt_ev_mul_level(c, a);
		lb = a == b ? la : lt_ev_mul_level(c, b);
	}
	unsigned l = la < lb ? la : lb;
	lathe_status s;
	if (a->level != l || (a == b && for_mul)) {
		if ((s = lt_ev_switch_to(ev, ev->t1, a, l)))
			return s;
		a = ev->t1;
	}
	if (*pb == *pa) {
		b = a;
	} else if (b->level != l || (!for_mul && b->fac != a->fac)) {
		if ((s = lt_ev_switch_to(ev, ev->t2, b, l)))
			return s;
		/* sums need equal factors; products just multiply them */
		if (!for_mul && ev->t2->fac != a->fac) {
			/* scale b's message factor to a's: multiply by fa / fb mod t */
			const lt_plainmod *pm = lt_ct_pm(a);
			uint64_t r = lt_mulmod(a->fac, lt_invmod_any(ev->t2->fac, pm->t), pm->t, pm->br);
			int64_t k = lt_centered_mod(r, pm->t);
			lt_ev_scale(ev->t2, k);
			ev->t2->fac = a->fac;
			ev->t2->noise += lt_log2_abs(k);
		}
		b = ev->t2;
	}
	*pa = a;
	*pb = b;
	return LATHE_OK;
}

/* ---- one call at a time per evaluator ---- */

/*
 * Every evaluator call holds the evaluator's busy flag: a second call that
 * arrives while one runs (another thread sharing the evaluator) is refused
 * with LATHE_EBUSY before it touches anything, instead of racing on the
 * shared scratch and returning a wrong result.
 */
lathe_status
lt_ev_enter(lathe_eval *ev, const char *fn)
{
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: evaluator is NULL", fn);
	if (atomic_flag_test_and_set_explicit(&ev->busy, memory_order_acquire))
		return lt_fail(LATHE_EBUSY, "%s: the evaluator is in use by another call (use one evaluator per thread)",
		               fn);
	return LATHE_OK;
}

void
lt_ev_leave(lathe_eval *ev)
{
	atomic_flag_clear_explicit(&ev->busy, memory_order_release);
}

#define GUARDED(fn, call) \
	do { \
		lathe_status g_ = lt_ev_enter(ev, fn); \
		if (g_) \
			return g_; \
		g_ = (call); \
		lt_ev_leave(ev); \
		return g_; \
	} while (0)

lathe_status
lathe_eval_set_auto_modswitch(lathe_eval *ev, int on)
{
	GUARDED("lathe_eval_set_auto_modswitch", lt_ev_eval_set_auto_modswitch(ev, on));
}

lathe_status
lathe_ct_add(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_add", lt_ev_ct_add(ev, out, a, b));
}

lathe_status
lathe_ct_sub(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_sub", lt_ev_ct_sub(ev, out, a, b));
}

lathe_status
lathe_ct_neg(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_neg", lt_ev_ct_neg(ev, out, a));
}

lathe_status
lathe_ct_add_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	GUARDED("lathe_ct_add_plain", lt_ev_ct_add_plain(ev, out, a, b));
}

lathe_status
lathe_ct_sub_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	GUARDED("lathe_ct_sub_plain", lt_ev_ct_sub_plain(ev, out, a, b));
}

lathe_status
lathe_ct_mul_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	GUARDED("lathe_ct_mul_plain", lt_ev_ct_mul_plain(ev, out, a, b));
}

lathe_status
lathe_ct_add_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	GUARDED("lathe_ct_add_scalar", lt_ev_ct_add_scalar(ev, out, a, v));
}

lathe_status
lathe_ct_mul_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	GUARDED("lathe_ct_mul_scalar", lt_ev_ct_mul_scalar(ev, out, a, v));
}

lathe_status
lathe_ct_mul_raw(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_mul_raw", lt_ev_ct_mul_raw(ev, out, a, b));
}

/*
 * With automatic bootstrapping on (lathe_eval_set_auto_bootstrap), a
 * product whose operands would otherwise land at level 0 takes refreshed
 * copies of them first (the hook is outside the busy guard: bootstrapping
 * is made of evaluator calls).
 */
#define AUTO_BOOT(fn, pa, pb) \
	do { \
		if (ev && ev->boot_auto) { \
			lathe_status b_ = ev->boot_auto(ev, pa, pb, fn); \
			if (b_) \
				return b_; \
		} \
	} while (0)

lathe_status
lathe_ct_mul(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	AUTO_BOOT("lathe_ct_mul", &a, &b);
	GUARDED("lathe_ct_mul", lt_ev_ct_mul(ev, out, a, b));
}

lathe_status
lathe_ct_square(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const lathe_ct *b = a;
	AUTO_BOOT("lathe_ct_square", &a, &b);
	GUARDED("lathe_ct_square", lt_ev_ct_square(ev, out, a));
}

lathe_status
lathe_ct_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_relin", lt_ev_ct_relin(ev, out, a));
}

lathe_status
lathe_ct_mod_switch_to(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, unsigned level)
{
	GUARDED("lathe_ct_mod_switch_to", lt_ev_ct_mod_switch_to(ev, out, a, level));
}

lathe_status
lathe_ct_mod_switch(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_mod_switch", lt_ev_ct_mod_switch(ev, out, a));
}

lathe_status
lathe_ct_rotate(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int steps)
{
	GUARDED("lathe_ct_rotate", lt_ev_ct_rotate(ev, out, a, steps));
}

lathe_status
lathe_ct_swap_rows(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_swap_rows", lt_ev_ct_swap_rows(ev, out, a));
}

lathe_status
lathe_ct_rotate_many(lathe_eval *ev, lathe_ct **outs, const lathe_ct *a, const int *steps, size_t n)
{
	GUARDED("lathe_ct_rotate_many", lt_ev_ct_rotate_many(ev, outs, a, steps, n));
}

lathe_status
lathe_ct_rerandomize(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_rerandomize", lt_ev_ct_rerandomize(ev, out, a));
}

lathe_status
lathe_ct_automorph(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, uint64_t g)
{
	GUARDED("lathe_ct_automorph", lt_ev_ct_automorph(ev, out, a, g));
}

lathe_status
lathe_ct_mul_prepared(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_prepared_pt *b)
{
	GUARDED("lathe_ct_mul_prepared", lt_ev_ct_mul_prepared(ev, out, a, b));
}

lathe_status
lathe_rotset_new(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **out)
{
	if (out)
		*out = NULL;
	GUARDED("lathe_rotset_new", lt_ev_rotset_new(ev, a, steps, n, out));
}

lathe_status
lt_rotset_renew(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **rs)
{
	GUARDED("lathe_rotset_new", lt_ev_rotset_renew(ev, a, steps, n, rs));
}

lathe_status
lathe_rotset_dot(lathe_eval *ev, lathe_ct *out, const lathe_rotset *rs, const lathe_prepared_pt *const *w)
{
	GUARDED("lathe_rotset_dot", lt_ev_rotset_dot(ev, out, rs, w));
}
