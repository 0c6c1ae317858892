/*
 * Evaluator operations: additions, plaintext and scalar operations,
 * prepared plaintexts, modulus switching.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/vec.h"
#include "evalcore.h"
#include "internal.h"

/* ---- additive operations ---- */

/*
 * a +- b at one level with different correction factors: b's message is
 * brought to a's factor by k = fa / fb mod t (centered) inside the same
 * pass, out = a +- k b limb by limb, instead of a copy of b, its scaling,
 * and the sum (what lt_ev_align and addsub do otherwise, with the same
 * words and estimate).
 */
static lathe_status
addsub_scaled(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b, int sub,
              const uint8_t *id)
{
	const lathe_ctx *c = ev->ctx;
	const lt_plainmod *pm = lt_ct_pm(a);
	const uint64_t r = lt_mulmod(a->fac, lt_invmod_any(b->fac, pm->t), pm->t, pm->br);
	const int64_t k = lt_centered_mod(r, pm->t);
	const double noise = lt_log2_add(a->noise, b->noise + lt_log2_abs(k));
	if (lt_ev_too_noisy(c, noise, a->level))
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	const unsigned size = a->size > b->size ? a->size : b->size, level = a->level;
	const unsigned asz = a->size, bsz = b->size;
	const uint64_t fac = a->fac;
	const unsigned apm = a->pm;
	lathe_status s;
	/* out may be a or b: room is made keeping what they hold */
	if ((s = lt_ct_reserve(out, size, level)))
		return s;
	const size_t n = c->n;
	/*
	 * (component, limb, half of the limb) triples, one loop (halves: an
	 * odd count of limbs would leave one of two threads idle for the
	 * last); b's component y gives x cx - y cy with cx = 1, cy = -+k
	 */
	const unsigned np = 2 * size * (level + 1);
	const size_t hn = n / 2;
#pragma omp parallel for schedule(static) if (lt_par(np, hn))
	for (unsigned y = 0; y < np; y++) {
		const unsigned x = y / 2, w = x / (level + 1), i = x % (level + 1);
		const size_t off = (size_t)i * n + (y % 2) * hn, len = y % 2 ? n - hn : hn;
		const lt_modulus *m = c->ring.modp[i];
		const uint64_t kq = lt_from_signed(sub ? k : -k, m->q, m->br);
		uint64_t *o = lt_ct_comp(out, w) + off;
		const uint64_t *pa = w < asz ? lt_ct_comp(a, w) + off : NULL;
		const uint64_t *pb = w < bsz ? lt_ct_comp(b, w) + off : NULL;
		if (pa && pb)
			lt_vec_mulsub2(o, pa, 1, pb, kq, len, m);
		else if (pa) {
			if (o != pa)
				memcpy(o, pa, len * sizeof(uint64_t));
		} else {
			lt_vec_mul_scalar(o, pb, lt_negmod(kq, m->q), len, m);
		}
	}
	out->size = size;
	out->level = level;
	out->pm = apm;
	out->fac = fac;
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, LT_KEYID_BYTES);
	return LATHE_OK;
}

static lathe_status
addsub(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b, int sub)
{
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	CHECK_IN(fn, b);
	CHECK_PAIR(fn, a, b);
	uint8_t id[LT_KEYID_BYTES];
	memcpy(id, lt_keyid_pick(a->keyid, b->keyid), sizeof(id));
	if (a != b && a->level == b->level && a->fac != b->fac)
		return addsub_scaled(fn, ev, out, a, b, sub, id);
	lathe_status s = lt_ev_align(ev, &a, &b, 0);
	if (s)
		return s;
	double noise = lt_log2_add(a->noise, b->noise);
	if (lt_ev_too_noisy(ev->ctx, noise, a->level))
		return lt_ev_refuse_noise(fn, ev->ctx, noise, a->level);
	unsigned size = a->size > b->size ? a->size : b->size;
	if ((s = lt_ct_reserve(out, size, a->level)))
		return s;
	const unsigned level = a->level;
	const uint64_t fac = a->fac;
	for (unsigned k = 0; k < size; k++) {
		lt_poly po = lt_ct_poly(out, k);
		po.nlimbs = level + 1;
		if (k < a->size && k < b->size) {
			lt_poly pa = lt_ct_poly(a, k), pb = lt_ct_poly(b, k);
			if (sub)
				lt_poly_sub(&po, &pa, &pb);
			else
				lt_poly_add(&po, &pa, &pb);
		} else if (k < a->size) {
			lt_poly pa = lt_ct_poly(a, k);
			lt_poly_copy(&po, &pa);
		} else {
			lt_poly pb = lt_ct_poly(b, k);
			if (sub)
				lt_poly_neg(&po, &pb);
			else
				lt_poly_copy(&po, &pb);
		}
	}
	out->size = size;
	out->level = level;
	out->pm = a->pm;
	out->fac = fac;
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, sizeof(id));
	return LATHE_OK;
}

lathe_status
lt_ev_ct_add(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	return addsub("lathe_ct_add", ev, out, a, b, 0);
}

lathe_status
lt_ev_ct_sub(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	return addsub("lathe_ct_sub", ev, out, a, b, 1);
}

lathe_status
lt_ev_ct_neg(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	CHECK_EV("lathe_ct_neg");
	CHECK_CT("lathe_ct_neg", out);
	CHECK_IN("lathe_ct_neg", a);
	lathe_status s = lathe_ct_copy(out, a);
	if (s)
		return s;
	for (unsigned k = 0; k < out->size; k++) {
		lt_poly p = lt_ct_poly(out, k);
		lt_poly_neg(&p, &p);
	}
	out->seeded = 0;
	return LATHE_OK;
}

/* ---- plaintext and scalar operations ---- */

lathe_status
lt_ev_check_pt(const char *fn, const lathe_eval *ev, const lathe_pt *p)
{
	if (!p)
		return lt_fail(LATHE_EINVAL, "%s: plaintext is NULL", fn);
	if (!lt_ctx_same(ev->ctx, p->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: plaintext belongs to another context", fn);
	if (ev->ek)
		return lt_keyid_check(fn, "the plaintext", p->keyid, "the evaluation keys", ev->ek->keyid);
	return LATHE_OK;
}

/* log2 of the l1 norm of the centered plaintext: a bound on its canonical norm */
double
lt_plain_log2_norm(const lathe_ctx *c, const lt_plainmod *pm, const uint64_t *m)
{
	/*
	 * exact integer sums of 2^12 coefficients each (below 2^12 t/2 < 2^62
	 * for t < 2^51; larger t: in double), added in order: the same value
	 * for any thread count
	 */
	enum { CH = 4096, NCH = ((size_t)1 << LT_LOGN_MAX) / CH };
	const size_t n = c->n, nch = (n + CH - 1) / CH;
	double part[NCH];
	assert(nch <= NCH);
	const int exact = pm->t < ((uint64_t)1 << 51);
#pragma omp parallel for schedule(static) if (lt_par(2, n))
	for (size_t b = 0; b < nch; b++) {
		const size_t e = (b + 1) * CH < n ? (b + 1) * CH : n;
		uint64_t si = 0;
		double sd = 0;
		for (size_t j = b * CH; j < e; j++) {
			const int64_t v = lt_centered_mod(m[j], pm->t);
			const uint64_t a = (uint64_t)(v < 0 ? -v : v);
			if (exact)
				si += a;
			else
				sd += (double)a;
		}
		part[b] = exact ? (double)si : sd;
	}
	double s = 0;
	for (size_t b = 0; b < nch; b++)
		s += part[b];
	return s == 0 ? -1e9 : log2(s);
}

static lathe_status
addsub_plain(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b, int sub)
{
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = lt_ev_check_pt(fn, ev, b);
	if (s)
		return s;
	CHECK_PAIR(fn, a, b);
	uint8_t id[LT_KEYID_BYTES];
	memcpy(id, lt_keyid_pick(a->keyid, b->keyid), sizeof(id));
	const lathe_ctx *c = ev->ctx;
	const lt_plainmod *pm = lt_ct_pm(a);
	double noise = lt_log2_add(a->noise, pm->nm.plain);
	if (lt_ev_too_noisy(c, noise, a->level))
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	if ((s = lathe_ct_copy(out, a)))
		return s;
	/* c0 +- fac * m: the message is multiplied by fac inside the ciphertext */
	lt_lift_plain(c, pm, ev->lift, b->m, out->fac, out->level);
	lt_poly m = lt_ct_poly(out, 0), c0 = lt_ct_poly(out, 0);
	m.c = ev->lift;
	if (sub)
		lt_poly_sub(&c0, &c0, &m);
	else
		lt_poly_add(&c0, &c0, &m);
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, sizeof(id));
	return LATHE_OK;
}

lathe_status
lt_ev_ct_add_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	return addsub_plain("lathe_ct_add_plain", ev, out, a, b, 0);
}

lathe_status
lt_ev_ct_sub_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	return addsub_plain("lathe_ct_sub_plain", ev, out, a, b, 1);
}

/*
 * out = a * m for a plaintext given lifted in NTT form over the chain's
 * first lifted_level + 1 primes (log2 of its l1 norm: pn). With automatic
 * switching a goes down to the level the product needs, and never above
 * lifted_level.
 */
static lathe_status
mul_lifted(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const uint64_t *lifted,
           unsigned lifted_level, double pn, const uint8_t *pt_keyid, unsigned pt_pm)
{
	lathe_status s;
	if ((s = lt_keyid_check(fn, "the ciphertext", a->keyid, "the plaintext", pt_keyid)))
		return s;
	if (a->pm != pt_pm)
		return lt_fail(LATHE_EMISMATCH, "%s: the ciphertext and the plaintext are under different plaintext moduli "
		                                "(%llu, %llu)", fn, (unsigned long long)lt_ct_pm(a)->t,
		               (unsigned long long)a->ctx->pm[pt_pm].t);
	uint8_t id[LT_KEYID_BYTES];
	memcpy(id, lt_keyid_pick(a->keyid, pt_keyid), sizeof(id));
	const lathe_ctx *c = ev->ctx;
	unsigned l = ev->auto_ms ? lt_ev_mul_level(c, a) : a->level;
	if (l > lifted_level) {
		if (!ev->auto_ms)
			return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level %u, the plaintext prepared up to level %u",
			               fn, a->level, lifted_level);
		l = lifted_level;
	}
	const lathe_ct *x = a;
	double noise = a->noise;
	for (unsigned k = a->level; k > l; k--)
		noise = lt_noise_after_switch(c, lt_ct_pm(a), noise, k, a->size);
	noise = pn < -1e8 ? 0 : noise + pn;
	if (lt_ev_too_noisy(c, noise, l))
		return lt_ev_refuse_noise(fn, c, noise, l);
	if (l != a->level) {
		if ((s = lt_ev_switch_to(ev, ev->t1, a, l)))
			return s;
		x = ev->t1;
	}
	if ((s = lathe_ct_copy(out, x)))
		return s;
	lt_poly m = lt_ct_poly(out, 0);
	m.c = (uint64_t *)lifted;
	for (unsigned k = 0; k < out->size; k++) {
		lt_poly p = lt_ct_poly(out, k);
		lt_poly_mul(&p, &p, &m);
	}
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, sizeof(id));
	return LATHE_OK;
}

lathe_status
lt_ev_ct_mul_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	const char *fn = "lathe_ct_mul_plain";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = lt_ev_check_pt(fn, ev, b);
	if (s)
		return s;
	const lathe_ctx *c = ev->ctx;
	/* lifted into the evaluator's buffer at the level the product is formed at, no higher */
	const unsigned l = ev->auto_ms ? lt_ev_mul_level(c, a) : a->level;
	lt_lift_plain(c, lt_pt_pm(b), ev->lift, b->m, 1, l);
	return mul_lifted(fn, ev, out, a, ev->lift, l, lt_plain_log2_norm(c, lt_pt_pm(b), b->m), b->keyid, b->pm);
}

/* ---- prepared plaintexts (the struct: evalcore.h) ---- */

/* p's fields and limbs from pt at `level` (p->m holds at least level + 1 + np limbs) */
static void
fill_prepared(lathe_prepared_pt *p, const lathe_pt *pt, unsigned level)
{
	const lathe_ctx *c = p->ctx;
	p->level = level;
	memcpy(p->keyid, pt->keyid, LT_KEYID_BYTES);
	p->pm = pt->pm;
	p->log2_norm = lt_plain_log2_norm(c, lt_pt_pm(pt), pt->m);
	/* only the limbs kept: q_0..q_level and P */
	lt_lift_plain_qp(c, lt_pt_pm(pt), p->m, pt->m, level);
}

lathe_status
lathe_prepared_pt_new(const lathe_pt *pt, unsigned level, lathe_prepared_pt **out)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(pt);
	lathe_prepared_pt *p;
	lathe_status s = lt_prepared_pt_alloc(pt->ctx, level, &p);
	if (s)
		return s;
	fill_prepared(p, pt, level);
	*out = p;
	return LATHE_OK;
}

lathe_status
lt_prepared_pt_alloc(const lathe_ctx *c, unsigned level, lathe_prepared_pt **out)
{
	const char *fn = "lathe_prepared_pt_new";
	*out = NULL;
	if (level > c->nq - 1)
		return lt_fail(LATHE_ELEVEL, "%s: level %u above the context's top level %u", fn, level, c->nq - 1);
	const size_t limbs = (size_t)level + 1 + c->np;
	lathe_prepared_pt *p = lt_calloc(1, sizeof(*p));
	if (p)
		p->m = lt_alloc(limbs * c->n * sizeof(uint64_t));
	if (!p || !p->m) {
		if (p)
			lt_free(p->m);
		lt_free(p);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	p->ctx = c;
	p->cap = (unsigned)limbs;
	*out = p;
	return LATHE_OK;
}

lathe_status
lt_prepared_pt_refill_many(lathe_prepared_pt *const *p, const lathe_pt *const *pt, size_t count, unsigned level)
{
	const char *fn = "lt_prepared_pt_refill_many";
	if (!count)
		return LATHE_OK;
	if (!p || !pt)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	for (size_t j = 0; j < count; j++) {
		if (!p[j] || !pt[j])
			return lt_fail(LATHE_EINVAL, "%s: NULL plaintext %zu", fn, j);
		if (!lt_ctx_same(p[j]->ctx, pt[j]->ctx) || !lt_ctx_same(p[j]->ctx, p[0]->ctx))
			return lt_fail(LATHE_EMISMATCH, "%s: plaintext %zu belongs to another context", fn, j);
		if (level > p[j]->ctx->nq - 1 || (size_t)level + 1 + p[j]->ctx->np > p[j]->cap)
			return lt_fail(LATHE_EINVAL, "%s: level %u needs %u limbs, prepared plaintext %zu holds %u", fn,
			               level, level + 1 + p[j]->ctx->np, j, p[j]->cap);
	}
	const lathe_ctx *c = p[0]->ctx;
	const lt_plainmod **pm = lt_alloc(count * sizeof(*pm));
	uint64_t **out = lt_alloc(count * sizeof(*out));
	const uint64_t **m = lt_alloc(count * sizeof(*m));
	if (!pm || !out || !m) {
		lt_free(pm);
		lt_free(out);
		lt_free(m);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	for (size_t j = 0; j < count; j++) {
		lathe_prepared_pt *q = p[j];
		q->level = level;
		memcpy(q->keyid, pt[j]->keyid, LT_KEYID_BYTES);
		q->pm = pt[j]->pm;
		q->log2_norm = lt_plain_log2_norm(c, lt_pt_pm(pt[j]), pt[j]->m);
		pm[j] = lt_pt_pm(pt[j]);
		out[j] = q->m;
		m[j] = pt[j]->m;
	}
	lt_lift_plain_qp_many(c, pm, out, m, count, level);
	lt_free(pm);
	lt_free(out);
	lt_free(m);
	return LATHE_OK;
}

void
lathe_prepared_pt_free(lathe_prepared_pt *p)
{
	if (!p)
		return;
	/* zeroized limb by limb on every thread: N = 2^16 at the top is tens of MB */
	const unsigned limbs = p->cap;
	const size_t n = p->ctx->n;
#pragma omp parallel for schedule(static) if (lt_par(limbs, n))
	for (unsigned i = 0; i < limbs; i++)
		lt_memzero(p->m + (size_t)i * n, n * sizeof(uint64_t));
	lt_free(p->m);
	lt_free_secret(p, sizeof(*p));
}

unsigned
lathe_prepared_pt_level(const lathe_prepared_pt *p)
{
	return p ? p->level : 0;
}

lathe_status
lt_ev_check_prepared(const char *fn, const lathe_eval *ev, const lathe_prepared_pt *b)
{
	if (!b)
		return lt_fail(LATHE_EINVAL, "%s: the prepared plaintext is NULL", fn);
	if (!lt_ctx_same(ev->ctx, b->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the prepared plaintext belongs to another context", fn);
	if (ev->ek)
		return lt_keyid_check(fn, "the plaintext", b->keyid, "the evaluation keys", ev->ek->keyid);
	return LATHE_OK;
}

lathe_status
lt_ev_ct_mul_prepared(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_prepared_pt *b)
{
	const char *fn = "lathe_ct_mul_prepared";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = lt_ev_check_prepared(fn, ev, b);
	if (s)
		return s;
	/* the Q part: the first level + 1 limbs */
	return mul_lifted(fn, ev, out, a, b->m, b->level, b->log2_norm, b->keyid, b->pm);
}

static lathe_status
scalar_arg(const char *fn, const lt_plainmod *pm, int64_t v, uint64_t *r)
{
	const uint64_t t = pm->t;
	int64_t h = (int64_t)((t - 1) / 2);
	if (v < -h || v > (int64_t)(t - 1) - h)
		return lt_fail(LATHE_EINVAL, "%s: scalar %lld outside [%lld, %lld]", fn, (long long)v, (long long)-h,
		               (long long)((int64_t)(t - 1) - h));
	*r = v < 0 ? (uint64_t)(v + (int64_t)t) : (uint64_t)v;
	return LATHE_OK;
}

lathe_status
lt_ev_ct_add_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	const char *fn = "lathe_ct_add_scalar";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	uint64_t r = 0;
	const lt_plainmod *pm = lt_ct_pm(a);
	lathe_status s = scalar_arg(fn, pm, v, &r);
	if (s)
		return s;
	int64_t k = lt_centered_mod(lt_mulmod(r, a->fac, pm->t, pm->br), pm->t);
	double noise = lt_log2_add(a->noise, lt_log2_abs(k));
	if (lt_ev_too_noisy(c, noise, a->level))
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	if ((s = lathe_ct_copy(out, a)))
		return s;
	/* a constant polynomial is the same value at every evaluation point */
	uint64_t *c0 = lt_ct_comp(out, 0);
	for (unsigned i = 0; i <= out->level; i++) {
		const lt_modulus *m = c->ring.modp[i];
		uint64_t kq = lt_from_signed(k, m->q, m->br);
		uint64_t *ci = c0 + (size_t)i * c->n;
		for (size_t j = 0; j < c->n; j++)
			ci[j] = lt_addmod(ci[j], kq, m->q);
	}
	out->noise = noise;
	out->seeded = 0;
	return LATHE_OK;
}

lathe_status
lt_ev_ct_mul_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	const char *fn = "lathe_ct_mul_scalar";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	uint64_t r = 0;
	lathe_status s = scalar_arg(fn, lt_ct_pm(a), v, &r);
	if (s)
		return s;
	int64_t k = lt_centered_mod(r, lt_ct_pm(a)->t);
	double noise = k == 0 ? 0 : a->noise + lt_log2_abs(k);
	if (lt_ev_too_noisy(c, noise, a->level))
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	if (out != a) {
		/* one pass: out = k a, not a copy scaled in place */
		if ((s = lt_ct_reserve_fresh(out, a->size, a->level)))
			return s;
		for (unsigned i = 0; i < a->size; i++) {
			lt_poly po = lt_poly_view(c->n, c->ring.modp, a->level + 1, lt_ct_comp(out, i), 1);
			lt_poly pa = lt_ct_poly(a, i);
			lt_poly_mul_int(&po, &pa, k);
		}
		out->size = a->size;
		out->level = a->level;
		out->pm = a->pm;
		out->fac = a->fac;
		memcpy(out->keyid, a->keyid, sizeof(out->keyid));
	} else {
		lt_ev_scale(out, k);
	}
	out->noise = noise;
	out->seeded = 0;
	return LATHE_OK;
}

/* ---- modulus switching ---- */

lathe_status
lt_ev_ct_mod_switch_to(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, unsigned level)
{
	const char *fn = "lathe_ct_mod_switch_to";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (level > a->level)
		return lt_fail(LATHE_ELEVEL, "%s: cannot switch up from level %u to %u", fn, a->level, level);
	/* the estimate after the switch, checked like every other operation's result */
	double noise = a->noise;
	for (unsigned l = a->level; l > level; l--)
		noise = lt_noise_after_switch(ev->ctx, lt_ct_pm(a), noise, l, a->size);
	if (lt_ev_too_noisy(ev->ctx, noise, level))
		return lt_ev_refuse_noise(fn, ev->ctx, noise, level);
	if (out == a)
		return lt_ev_drop_to(ev, out, level);
	return lt_ev_switch_to(ev, out, a, level);
}

lathe_status
lt_ev_ct_mod_switch(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_mod_switch";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (a->level == 0)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level 0", fn);
	return lt_ev_ct_mod_switch_to(ev, out, a, a->level - 1);
}

