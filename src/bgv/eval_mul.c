/*
 * Evaluator operations: the tensor product of two ciphertexts and
 * relinearization by hybrid key switching (keyswitch.h), with automatic
 * modulus switching of the operands (KPZ21 §3-4).
 */
#include <string.h>

#include "../core/error.h"
#include "evalcore.h"
#include "internal.h"
#include "keyswitch.h"

/*
 * x has 3 components: c2 is key-switched from s^2 to s, (d0, d1), and
 * x becomes (c0 + d0, c1 + d1). (d0, d1) are the Q parts of the
 * evaluator's accumulator pair, ModDown writing each over its own
 * component; c2 is not written.
 */
/* the same with c2 given apart (l + 1 limbs, read by the decomposition only) */
static lathe_status
relin_c2(lathe_eval *ev, lathe_ct *x, const uint64_t *c2)
{
	const lathe_ctx *c = ev->ctx;
	const unsigned l = x->level;
	uint64_t *acc = ev->ks.acc;
	uint64_t *d0 = lt_ks_acc_comp(c, acc, l, 0), *d1 = lt_ks_acc_comp(c, acc, l, 1);
	lt_ks_decompose(&ev->ks, c2, l);
	lt_ks_inner(&ev->ks, &ev->ek->relin, NULL, l, acc);
	lt_ks_moddown(&ev->ks, lt_ct_pm(x), acc, l, d0, d1);
	lt_poly c0 = lt_ct_poly(x, 0), c1 = lt_ct_poly(x, 1), p0 = lt_ct_poly(x, 0), p1 = lt_ct_poly(x, 1);
	p0.c = d0;
	p1.c = d1;
	lt_poly_add(&c0, &c0, &p0);
	lt_poly_add(&c1, &c1, &p1);
	x->size = 2;
	x->noise = lt_log2_add(x->noise, lt_noise_ks(lt_ct_pm(x)));
	x->seeded = 0;
	return LATHE_OK;
}

lathe_status
lt_ev_relin_into(lathe_eval *ev, lathe_ct *x)
{
	return relin_c2(ev, x, lt_ct_comp(x, 2));
}

lathe_status
lt_ev_need_relin(const char *fn, const lathe_eval *ev)
{
	if (!ev->ek || !ev->ek->has_relin)
		return lt_fail(LATHE_ENOKEY, "%s: the evaluator has no relinearization key", fn);
	return LATHE_OK;
}

/* tensor product of two 2-component ciphertexts at the same level into out */
static lathe_status
tensor(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b, const char *fn, int relin)
{
	const lathe_ctx *c = ev->ctx;
	lathe_status s;
	if (a->size != 2 || b->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: inputs must have 2 components (relinearize first)", fn);
	s = lt_ev_align(ev, &a, &b, 1);
	if (s)
		return s;
	double noise = a->noise + b->noise;
	if (relin)
		noise = lt_log2_add(noise, lt_noise_ks(lt_ct_pm(a)));
	if (lt_ev_too_noisy(c, noise, a->level)) {
		if (a->level == 0)
			return lt_fail(LATHE_ELEVEL, "%s: no level left (level 0, noise 2^%.1f)", fn, noise);
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	}
	/* a and b are evaluator temporaries or the caller's inputs; out may alias the latter */
	if (a == out || b == out) {
		if (a == out && a != ev->t1) {
			if ((s = lt_ev_to_temp(ev->t1, a)))
				return s;
			if (b == a)
				b = ev->t1;
			a = ev->t1;
		}
		if (b == out && b != ev->t2) {
			if ((s = lt_ev_to_temp(ev->t2, b)))
				return s;
			b = ev->t2;
		}
	}
	/*
	 * A relinearized product keeps c2 in the evaluator's drop buffer (free
	 * once the operands are aligned): out needs room for 2 components only.
	 */
	if ((s = lt_ct_reserve_fresh(out, relin ? 2 : 3, a->level)))
		return s;
	const unsigned l = a->level;
	out->level = l;
	out->size = 3;
	lt_poly a0 = lt_ct_poly(a, 0), a1 = lt_ct_poly(a, 1), b0 = lt_ct_poly(b, 0), b1 = lt_ct_poly(b, 1);
	lt_poly o0 = lt_ct_poly(out, 0), o1 = lt_ct_poly(out, 1);
	lt_poly o2 = relin ? lt_poly_view(c->n, c->ring.modp, l + 1, ev->drop, 1) : lt_ct_poly(out, 2);
	lt_poly_mul(&o0, &a0, &b0);
	lt_poly_mul(&o1, &a0, &b1);
	lt_poly_mac(&o1, &a1, &b0);
	lt_poly_mul(&o2, &a1, &b1);
	out->pm = a->pm;
	out->fac = lt_mulmod(a->fac, b->fac, lt_ct_pm(a)->t, lt_ct_pm(a)->br);
	out->noise = a->noise + b->noise;
	out->seeded = 0;
	memmove(out->keyid, lt_keyid_pick(a->keyid, b->keyid), LT_KEYID_BYTES);
	if (relin)
		return relin_c2(ev, out, ev->drop);
	return LATHE_OK;
}

lathe_status
lt_ev_ct_mul_raw(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	const char *fn = "lathe_ct_mul_raw";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	CHECK_IN(fn, b);
	CHECK_PAIR(fn, a, b);
	return tensor(ev, out, a, b, fn, 0);
}

lathe_status
lt_ev_ct_mul(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	const char *fn = "lathe_ct_mul";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	CHECK_IN(fn, b);
	CHECK_PAIR(fn, a, b);
	lathe_status s = lt_ev_need_relin(fn, ev);
	if (s)
		return s;
	return tensor(ev, out, a, b, fn, 1);
}

lathe_status
lt_ev_ct_square(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_square";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = lt_ev_need_relin(fn, ev);
	if (s)
		return s;
	return tensor(ev, out, a, a, fn, 1);
}

lathe_status
lt_ev_ct_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_relin";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = lt_ev_need_relin(fn, ev);
	if (s)
		return s;
	if (a->size == 2)
		return lathe_ct_copy(out, a);
	double noise = lt_log2_add(a->noise, lt_noise_ks(lt_ct_pm(a)));
	if (lt_ev_too_noisy(ev->ctx, noise, a->level))
		return lt_ev_refuse_noise(fn, ev->ctx, noise, a->level);
	if ((s = lathe_ct_copy(out, a)))
		return s;
	return lt_ev_relin_into(ev, out);
}
