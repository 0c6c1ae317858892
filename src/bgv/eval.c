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
		s = lt_eval_scratch(ev);
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
	lt_free(ev->coef);
	lt_free(ev->dig);
	lt_free((void *)ev->dptr);
	lt_free(ev->rot);
	lt_free(ev->acc0);
	lt_free(ev->acc1);
	lt_free(ev->conv);
	lt_free(ev->tmp);
	lt_free(ev);
}

static lathe_status
ev_eval_set_auto_modswitch(lathe_eval *ev, int on)
{
	LT_CHECK_NULL(ev);
	ev->auto_ms = on != 0;
	return LATHE_OK;
}

/* ---- checks and level management ---- */

static lathe_status
check_ct(const char *fn, const lathe_eval *ev, const lathe_ct *x, const char *name)
{
	if (!x)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, name);
	if (!lt_ctx_same(ev->ctx, x->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: '%s' belongs to another context", fn, name);
	return LATHE_OK;
}

/* an input: of ev's context and, when ev has keys, of their key pair */
static lathe_status
check_in(const char *fn, const lathe_eval *ev, const lathe_ct *x, const char *name)
{
	lathe_status s = check_ct(fn, ev, x, name);
	if (s == LATHE_OK && ev->ek)
		s = lt_keyid_check(fn, name, x->keyid, "the evaluation keys", ev->ek->keyid);
	return s;
}

#define CHECK_IN(fn, x) \
	do { \
		lathe_status s_ = check_in(fn, ev, x, #x); \
		if (s_) \
			return s_; \
	} while (0)

/* two inputs of one operation: of the same key pair */
#define CHECK_PAIR(fn, a, b) \
	do { \
		lathe_status s_ = lt_keyid_check(fn, #a, (a)->keyid, #b, (b)->keyid); \
		if (s_) \
			return s_; \
	} while (0)

#define CHECK_EV(fn) \
	do { \
		if (!ev) \
			return lt_fail(LATHE_EINVAL, "%s: evaluator is NULL", fn); \
	} while (0)

#define CHECK_CT(fn, x) \
	do { \
		lathe_status s_ = check_ct(fn, ev, x, #x); \
		if (s_) \
			return s_; \
	} while (0)

static lathe_status
refuse_noise(const char *fn, const lathe_ctx *c, double noise, unsigned level)
{
	return lt_fail(LATHE_ENOISE, "%s: the result's noise (2^%.1f) would reach Q_%u / 2 = 2^%.1f", fn, noise,
	               level, lt_ctx_logq_half(c, level));
}

static int
too_noisy(const lathe_ctx *c, double noise, unsigned level)
{
	return noise >= lt_ctx_logq_half(c, level);
}

/* copies x into dst (an evaluator temporary) unless it already is dst */
static lathe_status
to_temp(lathe_ct *dst, const lathe_ct *x)
{
	return lathe_ct_copy(dst, x);
}

/* switches x down to `level`, with the evaluator's rotation buffer as scratch */
static lathe_status
drop_to(lathe_eval *ev, lathe_ct *x, unsigned level)
{
	while (x->level > level) {
		lathe_status s = lt_ct_drop_prime(x, ev->rot);
		if (s)
			return s;
	}
	return LATHE_OK;
}

/*
 * The level a multiplication operand is switched down to (FLEXIBLEAUTO-style,
 * KPZ21 §3): while its noise is above the switching floor (one modulus
 * switch's rounding noise plus 2 bits) and a level is left, dropping a prime
 * divides the noise by about that prime, so each product starts from noise
 * near the floor and uses one level of the chain.
 */
static unsigned
mul_level(const lathe_ctx *c, const lathe_ct *x)
{
	unsigned l = x->level;
	double n = x->noise;
	while (l > 0 && n >= lt_noise_ms(c, x->size) + 2) {
		n = lt_noise_after_switch(c, n, l, x->size);
		l--;
	}
	return l;
}

static int64_t
centered_mod(uint64_t v, uint64_t t)
{
	return v > (t - 1) / 2 ? (int64_t)v - (int64_t)t : (int64_t)v;
}

/* multiply every component by the integer c (any form) */
static void
scale_ct(lathe_ct *x, int64_t c)
{
	for (unsigned k = 0; k < x->size; k++) {
		lt_poly p = lt_ct_poly(x, k);
		(void)lt_poly_mul_int(&p, &p, c);
	}
}

static double
log2_abs(int64_t c)
{
	return c == 0 ? -1e9 : log2(fabs((double)c));
}

/*
 * Brings a and b to a common level and correction factor in the evaluator's
 * temporaries; *pa, *pb point at what to use.
 */
static lathe_status
align(lathe_eval *ev, const lathe_ct **pa, const lathe_ct **pb, int for_mul)
{
	const lathe_ctx *c = ev->ctx;
	const lathe_ct *a = *pa, *b = *pb;
	unsigned la = a->level, lb = b->level;
	if (for_mul && ev->auto_ms) {
		la = mul_level(c, a);
		lb = a == b ? la : mul_level(c, b);
	}
	unsigned l = la < lb ? la : lb;
	lathe_status s;
	if (a->level != l || (a == b && for_mul)) {
		if ((s = to_temp(ev->t1, a)) || (s = drop_to(ev, ev->t1, l)))
			return s;
		a = ev->t1;
	}
	if (*pb == *pa) {
		b = a;
	} else if (b->level != l || (!for_mul && b->fac != a->fac)) {
		if ((s = to_temp(ev->t2, b)) || (s = drop_to(ev, ev->t2, l)))
			return s;
		/* sums need equal factors; products just multiply them */
		if (!for_mul && ev->t2->fac != a->fac) {
			/* scale b's message factor to a's: multiply by fa / fb mod t */
			uint64_t r = lt_mulmod(a->fac, n_invmod(ev->t2->fac, c->t), c->t, c->t_br);
			int64_t k = centered_mod(r, c->t);
			scale_ct(ev->t2, k);
			ev->t2->fac = a->fac;
			ev->t2->noise += log2_abs(k);
		}
		b = ev->t2;
	}
	*pa = a;
	*pb = b;
	return LATHE_OK;
}

/* ---- additive operations ---- */

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
	lathe_status s = align(ev, &a, &b, 0);
	if (s)
		return s;
	double noise = lt_log2_add(a->noise, b->noise);
	if (too_noisy(ev->ctx, noise, a->level))
		return refuse_noise(fn, ev->ctx, noise, a->level);
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
				(void)lt_poly_sub(&po, &pa, &pb);
			else
				(void)lt_poly_add(&po, &pa, &pb);
		} else if (k < a->size) {
			lt_poly pa = lt_ct_poly(a, k);
			(void)lt_poly_copy(&po, &pa);
		} else {
			lt_poly pb = lt_ct_poly(b, k);
			if (sub)
				(void)lt_poly_neg(&po, &pb);
			else
				(void)lt_poly_copy(&po, &pb);
		}
	}
	out->size = size;
	out->level = level;
	out->fac = fac;
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, sizeof(id));
	return LATHE_OK;
}

static lathe_status
ev_ct_add(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	return addsub("lathe_ct_add", ev, out, a, b, 0);
}

static lathe_status
ev_ct_sub(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	return addsub("lathe_ct_sub", ev, out, a, b, 1);
}

static lathe_status
ev_ct_neg(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	CHECK_EV("lathe_ct_neg");
	CHECK_CT("lathe_ct_neg", out);
	CHECK_IN("lathe_ct_neg", a);
	lathe_status s = lathe_ct_copy(out, a);
	if (s)
		return s;
	for (unsigned k = 0; k < out->size; k++) {
		lt_poly p = lt_ct_poly(out, k);
		(void)lt_poly_neg(&p, &p);
	}
	out->seeded = 0;
	return LATHE_OK;
}

/* ---- plaintext and scalar operations ---- */

static lathe_status
check_pt(const char *fn, const lathe_eval *ev, const lathe_pt *p)
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
static double
plain_log2_norm(const lathe_ctx *c, const uint64_t *m)
{
	double s = 0;
	for (size_t j = 0; j < c->n; j++)
		s += fabs((double)centered_mod(m[j], c->t));
	return s == 0 ? -1e9 : log2(s);
}

static lathe_status
addsub_plain(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b, int sub)
{
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = check_pt(fn, ev, b);
	if (s)
		return s;
	if ((s = lt_keyid_check(fn, "the ciphertext", a->keyid, "the plaintext", b->keyid)))
		return s;
	uint8_t id[LT_KEYID_BYTES];
	memcpy(id, lt_keyid_pick(a->keyid, b->keyid), sizeof(id));
	const lathe_ctx *c = ev->ctx;
	double noise = lt_log2_add(a->noise, c->nm.plain);
	if (too_noisy(c, noise, a->level))
		return refuse_noise(fn, c, noise, a->level);
	if ((s = lathe_ct_copy(out, a)))
		return s;
	/* c0 +- fac * m: the message is multiplied by fac inside the ciphertext */
	lt_lift_plain(c, ev->coef, b->m, out->fac, out->level);
	lt_poly m = lt_ct_poly(out, 0), c0 = lt_ct_poly(out, 0);
	m.c = ev->coef;
	if (sub)
		(void)lt_poly_sub(&c0, &c0, &m);
	else
		(void)lt_poly_add(&c0, &c0, &m);
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, sizeof(id));
	return LATHE_OK;
}

static lathe_status
ev_ct_add_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	return addsub_plain("lathe_ct_add_plain", ev, out, a, b, 0);
}

static lathe_status
ev_ct_sub_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
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
           unsigned lifted_level, double pn, const uint8_t *pt_keyid)
{
	lathe_status s;
	if ((s = lt_keyid_check(fn, "the ciphertext", a->keyid, "the plaintext", pt_keyid)))
		return s;
	uint8_t id[LT_KEYID_BYTES];
	memcpy(id, lt_keyid_pick(a->keyid, pt_keyid), sizeof(id));
	const lathe_ctx *c = ev->ctx;
	unsigned l = ev->auto_ms ? mul_level(c, a) : a->level;
	if (l > lifted_level) {
		if (!ev->auto_ms)
			return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level %u, the plaintext prepared up to level %u",
			               fn, a->level, lifted_level);
		l = lifted_level;
	}
	const lathe_ct *x = a;
	double noise = a->noise;
	for (unsigned k = a->level; k > l; k--)
		noise = lt_noise_after_switch(c, noise, k, a->size);
	noise = pn < -1e8 ? 0 : noise + pn;
	if (too_noisy(c, noise, l))
		return refuse_noise(fn, c, noise, l);
	if (l != a->level) {
		if ((s = to_temp(ev->t1, a)) || (s = drop_to(ev, ev->t1, l)))
			return s;
		x = ev->t1;
	}
	if ((s = lathe_ct_copy(out, x)))
		return s;
	lt_poly m = lt_ct_poly(out, 0);
	m.c = (uint64_t *)lifted;
	for (unsigned k = 0; k < out->size; k++) {
		lt_poly p = lt_ct_poly(out, k);
		(void)lt_poly_mul(&p, &p, &m);
	}
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, id, sizeof(id));
	return LATHE_OK;
}

static lathe_status
ev_ct_mul_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	const char *fn = "lathe_ct_mul_plain";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = check_pt(fn, ev, b);
	if (s)
		return s;
	const lathe_ctx *c = ev->ctx;
	/* lifted into the evaluator's buffer at the level the product is formed at, no higher */
	const unsigned l = ev->auto_ms ? mul_level(c, a) : a->level;
	lt_lift_plain(c, ev->coef, b->m, 1, l);
	return mul_lifted(fn, ev, out, a, ev->coef, l, plain_log2_norm(c, b->m), b->keyid);
}

/* ---- prepared plaintexts ---- */

struct lathe_prepared_pt {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES];
	unsigned level;              /* lifted over q_0..q_level */
	double log2_norm;            /* log2 of the l1 norm of the centered plaintext */
	uint64_t *m;                 /* (level + 1) limbs, NTT form */
};

lathe_status
lathe_prepared_pt_new(const lathe_pt *pt, unsigned level, lathe_prepared_pt **out)
{
	const char *fn = "lathe_prepared_pt_new";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(pt);
	const lathe_ctx *c = pt->ctx;
	if (level > c->nq - 1)
		return lt_fail(LATHE_ELEVEL, "%s: level %u above the context's top level %u", fn, level, c->nq - 1);
	lathe_prepared_pt *p = lt_calloc(1, sizeof(*p));
	if (p)
		p->m = lt_alloc((size_t)(level + 1) * c->n * sizeof(uint64_t));
	if (!p || !p->m) {
		lt_free(p);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	p->ctx = c;
	p->level = level;
	memcpy(p->keyid, pt->keyid, LT_KEYID_BYTES);
	p->log2_norm = plain_log2_norm(c, pt->m);
	lt_lift_plain(c, p->m, pt->m, 1, level);
	*out = p;
	return LATHE_OK;
}

void
lathe_prepared_pt_free(lathe_prepared_pt *p)
{
	if (!p)
		return;
	lt_free_secret(p->m, (size_t)(p->level + 1) * p->ctx->n * sizeof(uint64_t));
	lt_free_secret(p, sizeof(*p));
}

unsigned
lathe_prepared_pt_level(const lathe_prepared_pt *p)
{
	return p ? p->level : 0;
}

static lathe_status
ev_ct_mul_prepared(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_prepared_pt *b)
{
	const char *fn = "lathe_ct_mul_prepared";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (!b)
		return lt_fail(LATHE_EINVAL, "%s: the prepared plaintext is NULL", fn);
	if (!lt_ctx_same(ev->ctx, b->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the prepared plaintext belongs to another context", fn);
	if (ev->ek) {
		lathe_status s = lt_keyid_check(fn, "the plaintext", b->keyid, "the evaluation keys", ev->ek->keyid);
		if (s)
			return s;
	}
	return mul_lifted(fn, ev, out, a, b->m, b->level, b->log2_norm, b->keyid);
}

static lathe_status
scalar_arg(const char *fn, const lathe_ctx *c, int64_t v, uint64_t *r)
{
	int64_t h = (int64_t)((c->t - 1) / 2);
	if (v < -h || v > (int64_t)(c->t - 1) - h)
		return lt_fail(LATHE_EINVAL, "%s: scalar %lld outside [%lld, %lld]", fn, (long long)v, (long long)-h,
		               (long long)((int64_t)(c->t - 1) - h));
	*r = v < 0 ? (uint64_t)(v + (int64_t)c->t) : (uint64_t)v;
	return LATHE_OK;
}

static lathe_status
ev_ct_add_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	const char *fn = "lathe_ct_add_scalar";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	uint64_t r = 0;
	lathe_status s = scalar_arg(fn, c, v, &r);
	if (s)
		return s;
	int64_t k = centered_mod(lt_mulmod(r, a->fac, c->t, c->t_br), c->t);
	double noise = lt_log2_add(a->noise, log2_abs(k));
	if (too_noisy(c, noise, a->level))
		return refuse_noise(fn, c, noise, a->level);
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

static lathe_status
ev_ct_mul_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	const char *fn = "lathe_ct_mul_scalar";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	uint64_t r = 0;
	lathe_status s = scalar_arg(fn, c, v, &r);
	if (s)
		return s;
	int64_t k = centered_mod(r, c->t);
	double noise = k == 0 ? 0 : a->noise + log2_abs(k);
	if (too_noisy(c, noise, a->level))
		return refuse_noise(fn, c, noise, a->level);
	if ((s = lathe_ct_copy(out, a)))
		return s;
	scale_ct(out, k);
	out->noise = noise;
	out->seeded = 0;
	return LATHE_OK;
}

/* ---- multiplication and relinearization ---- */

static lathe_status
relin_into(lathe_eval *ev, lathe_ct *x)
{
	/* x has 3 components; key switch c2 from s^2 to s */
	const unsigned l = x->level;
	const size_t n = ev->ctx->n;
	uint64_t *c2 = lt_ct_comp(x, 2);
	lt_ks_decompose(ev, c2, l);
	/* the key-switched pair lands in c2's storage and the evaluator's coef buffer */
	uint64_t *d1 = ev->coef;
	(void)n;
	lt_ks_apply(ev, &ev->ek->relin, NULL, l, c2, ev->acc1);
	/* lt_ks_apply wrote d0 into c2 and d1 into acc1's first limbs */
	(void)d1;
	lt_poly c0 = lt_ct_poly(x, 0), c1 = lt_ct_poly(x, 1), p0 = lt_ct_poly(x, 2), p1 = lt_ct_poly(x, 2);
	p1.c = ev->acc1;
	(void)lt_poly_add(&c0, &c0, &p0);
	(void)lt_poly_add(&c1, &c1, &p1);
	x->size = 2;
	x->noise = lt_log2_add(x->noise, lt_noise_ks(ev->ctx));
	x->seeded = 0;
	return LATHE_OK;
}

static lathe_status
need_relin_key(const char *fn, const lathe_eval *ev)
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
	s = align(ev, &a, &b, 1);
	if (s)
		return s;
	double noise = a->noise + b->noise;
	if (relin)
		noise = lt_log2_add(noise, lt_noise_ks(c));
	if (too_noisy(c, noise, a->level)) {
		if (a->level == 0)
			return lt_fail(LATHE_ELEVEL, "%s: no level left (level 0, noise 2^%.1f)", fn, noise);
		return refuse_noise(fn, c, noise, a->level);
	}
	/* a and b are evaluator temporaries or the caller's inputs; out may alias the latter */
	if (a == out || b == out) {
		if (a == out && a != ev->t1) {
			if ((s = to_temp(ev->t1, a)))
				return s;
			if (b == a)
				b = ev->t1;
			a = ev->t1;
		}
		if (b == out && b != ev->t2) {
			if ((s = to_temp(ev->t2, b)))
				return s;
			b = ev->t2;
		}
	}
	if ((s = lt_ct_reserve(out, 3, a->level)))
		return s;
	const unsigned l = a->level;
	out->level = l;
	out->size = 3;
	lt_poly a0 = lt_ct_poly(a, 0), a1 = lt_ct_poly(a, 1), b0 = lt_ct_poly(b, 0), b1 = lt_ct_poly(b, 1);
	lt_poly o0 = lt_ct_poly(out, 0), o1 = lt_ct_poly(out, 1), o2 = lt_ct_poly(out, 2);
	(void)lt_poly_mul(&o0, &a0, &b0);
	(void)lt_poly_mul(&o1, &a0, &b1);
	(void)lt_poly_mac(&o1, &a1, &b0);
	(void)lt_poly_mul(&o2, &a1, &b1);
	out->fac = lt_mulmod(a->fac, b->fac, c->t, c->t_br);
	out->noise = a->noise + b->noise;
	out->seeded = 0;
	memmove(out->keyid, lt_keyid_pick(a->keyid, b->keyid), LT_KEYID_BYTES);
	if (relin)
		return relin_into(ev, out);
	return LATHE_OK;
}

static lathe_status
ev_ct_mul_raw(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	const char *fn = "lathe_ct_mul_raw";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	CHECK_IN(fn, b);
	CHECK_PAIR(fn, a, b);
	return tensor(ev, out, a, b, fn, 0);
}

static lathe_status
ev_ct_mul(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	const char *fn = "lathe_ct_mul";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	CHECK_IN(fn, b);
	CHECK_PAIR(fn, a, b);
	lathe_status s = need_relin_key(fn, ev);
	if (s)
		return s;
	return tensor(ev, out, a, b, fn, 1);
}

static lathe_status
ev_ct_square(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_square";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = need_relin_key(fn, ev);
	if (s)
		return s;
	return tensor(ev, out, a, a, fn, 1);
}

static lathe_status
ev_ct_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_relin";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	lathe_status s = need_relin_key(fn, ev);
	if (s)
		return s;
	if (a->size == 2)
		return lathe_ct_copy(out, a);
	double noise = lt_log2_add(a->noise, lt_noise_ks(ev->ctx));
	if (too_noisy(ev->ctx, noise, a->level))
		return refuse_noise(fn, ev->ctx, noise, a->level);
	if ((s = lathe_ct_copy(out, a)))
		return s;
	return relin_into(ev, out);
}

/* ---- modulus switching ---- */

static lathe_status
ev_ct_mod_switch_to(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, unsigned level)
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
		noise = lt_noise_after_switch(ev->ctx, noise, l, a->size);
	if (too_noisy(ev->ctx, noise, level))
		return refuse_noise(fn, ev->ctx, noise, level);
	lathe_status s = lathe_ct_copy(out, a);
	if (s)
		return s;
	return drop_to(ev, out, level);
}

static lathe_status
ev_ct_mod_switch(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_mod_switch";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (a->level == 0)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level 0", fn);
	return ev_ct_mod_switch_to(ev, out, a, a->level - 1);
}

/* ---- rotations ---- */

static const lt_galois_key *
find_key(const lathe_eval *ev, uint64_t g)
{
	if (!ev->ek)
		return NULL;
	for (size_t i = 0; i < ev->ek->ngal; i++)
		if (ev->ek->gal[i].g == g)
			return &ev->ek->gal[i];
	return NULL;
}

/*
 * out = sigma_g(x) key-switched back to s; x has 2 components. The
 * evaluator holds the decomposition of x's c1 (hoisted: permuted here) or,
 * when `permuted`, of sigma_g(c1) already.
 */
static void
apply_galois(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, const lt_galois_key *gk, int permuted)
{
	const lathe_ctx *c = ev->ctx;
	const unsigned l = x->level;
	const size_t n = c->n;
	/* (d0, d1) straight into out; then c0 = sigma(x c0) + d0 */
	uint64_t *o0 = lt_ct_comp(out, 0), *o1 = lt_ct_comp(out, 1);
	lt_ks_apply(ev, &gk->k, permuted ? NULL : gk->perm, l, o0, o1);
	const uint64_t *x0 = lt_ct_comp(x, 0);
#pragma omp parallel for schedule(static) if (lt_par(l + 1, n))
	for (unsigned i = 0; i <= l; i++) {
		const lt_modulus *m = c->ring.modp[i];
		uint64_t *oi = o0 + (size_t)i * n;
		const uint64_t *xi = x0 + (size_t)i * n;
		for (size_t k = 0; k < n; k++)
			oi[k] = lt_addmod(xi[gk->perm[k]], oi[k], m->q);
	}
	out->level = l;
	out->size = 2;
	out->fac = x->fac;
	out->noise = lt_log2_add(x->noise, lt_noise_ks(c));
	out->seeded = 0;
	memmove(out->keyid, x->keyid, LT_KEYID_BYTES);
}

/* one key switch by Galois key gk, x -> out (out may alias x) */
static lathe_status
rotate_once(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, const lt_galois_key *gk)
{
	lathe_status s;
	if (x == out) {
		if ((s = to_temp(ev->t2, x)))
			return s;
		x = ev->t2;
	}
	/* one rotation: permute c1 (l + 1 limbs) rather than every extended digit */
	const size_t n = ev->ctx->n;
	const uint64_t *c1 = lt_ct_comp(x, 1);
	for (unsigned i = 0; i <= x->level; i++)
		lt_automorph_ntt(ev->rot + (size_t)i * n, c1 + (size_t)i * n, n, gk->perm);
	lt_ks_decompose(ev, ev->rot, x->level);
	if ((s = lt_ct_reserve(out, 2, x->level)))
		return s;
	apply_galois(ev, out, x, gk, 1);
	return LATHE_OK;
}

/* relinearizes a 3-component input into t1 when needed */
static lathe_status
as_two(lathe_eval *ev, const lathe_ct **x, const char *fn)
{
	if ((*x)->size == 2)
		return LATHE_OK;
	lathe_status s = need_relin_key(fn, ev);
	if (s)
		return s;
	if ((s = lathe_ct_copy(ev->t1, *x)))
		return s;
	if ((s = relin_into(ev, ev->t1)))
		return s;
	*x = ev->t1;
	return LATHE_OK;
}

/*
 * Shortest sequence of rotation keys present whose steps sum to k modulo N/2:
 * breadth-first search over Z_{N/2} with the keys' steps as moves. *np = 0
 * when k is out of reach.
 */
static lathe_status
compose_plan(const lathe_eval *ev, long k, const lt_galois_key **plan, size_t *np)
{
	const long half = (long)(ev->ctx->n / 2);
	*np = 0;
	if (!ev->ek || ev->ek->ngal == 0)
		return LATHE_OK;
	int32_t *from = lt_alloc((size_t)half * sizeof(int32_t));
	int32_t *via = lt_alloc((size_t)half * sizeof(int32_t));
	int32_t *queue = lt_alloc((size_t)half * sizeof(int32_t));
	if (!from || !via || !queue) {
		lt_free(from);
		lt_free(via);
		lt_free(queue);
		return lt_fail(LATHE_ENOMEM, "lathe_ct_rotate: out of memory");
	}
	for (long i = 0; i < half; i++)
		from[i] = -1;
	from[0] = 0;
	size_t head = 0, tail = 0;
	queue[tail++] = 0;
	while (head < tail && from[k] < 0) {
		long x = queue[head++];
		for (size_t g = 0; g < ev->ek->ngal; g++) {
			if (!ev->ek->gal[g].rot)
				continue; /* the row swap and -5^k move between rows, not along them */
			int st = ev->ek->gal[g].step;
			long y = (x + st % half + half) % half;
			if (from[y] < 0) {
				from[y] = (int32_t)x;
				via[y] = (int32_t)g;
				queue[tail++] = (int32_t)y;
			}
		}
	}
	if (from[k] >= 0) {
		size_t len = 0;
		for (long y = k; y != 0 && len < 64; y = from[y])
			plan[len++] = &ev->ek->gal[via[y]];
		*np = len < 64 ? len : 0;
	}
	lt_free(from);
	lt_free(via);
	lt_free(queue);
	return LATHE_OK;
}

static lathe_status
ev_ct_rotate(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int steps)
{
	const char *fn = "lathe_ct_rotate";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	if (!c->batching)
		return lt_fail(LATHE_EPARAM, "%s: rotations need batching (t = 1 mod 2N)", fn);
	const long half = (long)(c->n / 2);
	long k = steps % half;
	if (k < 0)
		k += half;
	if (k == 0)
		return lathe_ct_copy(out, a);
	/* plan: the step's own key, else the fewest keys present whose steps add up to k */
	const lt_galois_key *plan[64];
	size_t np = 0;
	const lt_galois_key *own = find_key(ev, lt_galois_elt(c, (int)k));
	if (own) {
		plan[np++] = own;
	} else {
		lathe_status ps = compose_plan(ev, k, plan, &np);
		if (ps)
			return ps;
		if (np == 0)
			return lt_fail(LATHE_ENOKEY, "%s: no Galois key for step %d and none of the keys present compose it",
			               fn, steps);
	}
	lathe_status s = as_two(ev, &a, fn);
	if (s)
		return s;
	double noise = a->noise;
	for (size_t i = 0; i < np; i++)
		noise = lt_log2_add(noise, lt_noise_ks(c));
	if (too_noisy(c, noise, a->level))
		return refuse_noise(fn, c, noise, a->level);
	const lathe_ct *x = a;
	for (size_t i = 0; i < np; i++) {
		if ((s = rotate_once(ev, out, x, plan[i])))
			return s;
		x = out;
	}
	return LATHE_OK;
}

static lathe_status
ev_ct_swap_rows(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_swap_rows";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (!ev->ctx->batching)
		return lt_fail(LATHE_EPARAM, "%s: rotations need batching (t = 1 mod 2N)", fn);
	const lt_galois_key *gk = find_key(ev, 2 * (uint64_t)ev->ctx->n - 1);
	if (!gk)
		return lt_fail(LATHE_ENOKEY, "%s: no row-swap key in the evaluation keys", fn);
	lathe_status s = as_two(ev, &a, fn);
	if (s)
		return s;
	double noise = lt_log2_add(a->noise, lt_noise_ks(ev->ctx));
	if (too_noisy(ev->ctx, noise, a->level))
		return refuse_noise(fn, ev->ctx, noise, a->level);
	return rotate_once(ev, out, a, gk);
}

static lathe_status
ev_ct_automorph(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, uint64_t g)
{
	const char *fn = "lathe_ct_automorph";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (!(g & 1) || g >= 2 * (uint64_t)ev->ctx->n)
		return lt_fail(LATHE_EINVAL, "%s: Galois element %llu is not an odd residue below 2N = %llu", fn,
		               (unsigned long long)g, (unsigned long long)(2 * ev->ctx->n));
	if (g == 1)
		return lathe_ct_copy(out, a);
	const lt_galois_key *gk = find_key(ev, g);
	if (!gk)
		return lt_fail(LATHE_ENOKEY, "%s: no Galois key for element %llu in the evaluation keys", fn,
		               (unsigned long long)g);
	lathe_status s = as_two(ev, &a, fn);
	if (s)
		return s;
	double noise = lt_log2_add(a->noise, lt_noise_ks(ev->ctx));
	if (too_noisy(ev->ctx, noise, a->level))
		return refuse_noise(fn, ev->ctx, noise, a->level);
	return rotate_once(ev, out, a, gk);
}

static lathe_status
ev_ct_rotate_many(lathe_eval *ev, lathe_ct **outs, const lathe_ct *a, const int *steps, size_t n)
{
	const char *fn = "lathe_ct_rotate_many";
	CHECK_EV(fn);
	CHECK_IN(fn, a);
	if (n && (!outs || !steps))
		return lt_fail(LATHE_EINVAL, "%s: outs or steps is NULL", fn);
	const lathe_ctx *c = ev->ctx;
	if (!c->batching)
		return lt_fail(LATHE_EPARAM, "%s: rotations need batching (t = 1 mod 2N)", fn);
	const long half = (long)(c->n / 2);
	for (size_t i = 0; i < n; i++) {
		lathe_status s = check_ct(fn, ev, outs[i], "outs[i]");
		if (s)
			return s;
		long k = steps[i] % half;
		if (k < 0)
			k += half;
		if (k != 0 && !find_key(ev, lt_galois_elt(c, steps[i])))
			return lt_fail(LATHE_ENOKEY, "%s: no Galois key of its own for step %d (hoisting needs one)", fn,
			               steps[i]);
		for (size_t j = 0; j < i; j++)
			if (outs[j] == outs[i])
				return lt_fail(LATHE_EINVAL, "%s: outs[%zu] and outs[%zu] are the same ciphertext", fn, j, i);
	}
	lathe_status s = as_two(ev, &a, fn);
	if (s)
		return s;
	double noise = lt_log2_add(a->noise, lt_noise_ks(c));
	if (too_noisy(c, noise, a->level))
		return refuse_noise(fn, c, noise, a->level);
	/* keep the input out of reach of the outputs */
	if (a != ev->t1) {
		if ((s = to_temp(ev->t1, a)))
			return s;
		a = ev->t1;
	}
	lt_ks_decompose(ev, lt_ct_comp(a, 1), a->level);
	for (size_t i = 0; i < n; i++) {
		long k = steps[i] % half;
		if (k < 0)
			k += half;
		if (k == 0) {
			if ((s = lathe_ct_copy(outs[i], a)))
				return s;
			continue;
		}
		if ((s = lt_ct_reserve(outs[i], 2, a->level)))
			return s;
		apply_galois(ev, outs[i], a, find_key(ev, lt_galois_elt(c, steps[i])), 0);
	}
	return LATHE_OK;
}

/* ---- circuit privacy ---- */

/*
 * Rerandomization parameters, all from public parameters only (never from
 * the input's estimate): the largest input noise accepted, the flooding
 * width, and the level the result lands on.
 */
typedef struct rr_plan {
	double in_max;     /* log2 bound on the input's noise at the target level */
	unsigned flood;    /* E uniform in [-2^flood, 2^flood) */
	double out_noise;  /* the result's public estimate */
	unsigned level;    /* the result's level; nq when the chain is too short */
} rr_plan;

static rr_plan
rr_plan_for(const lathe_ctx *c)
{
	rr_plan p;
	const double logn = (double)c->logn, logt = log2((double)c->t);
	/* a switched-down input sits near the switching floor; scaling its factor to 1 adds up to log2 t */
	p.in_max = lt_noise_ms(c, 2) + logt + 4;
	/*
	 * Statistical distance between t (e + E) and t E for |e_j| <= 2^in_max / t,
	 * summed over N coefficients: <= N 2^in_max / (t 2^(flood+1)) <= 2^-LATHE_RERANDOMIZE_STAT_BITS.
	 */
	p.flood = (unsigned)ceil(p.in_max - logt + logn + LATHE_RERANDOMIZE_STAT_BITS);
	/* canonical norm of t E: 6 sqrt(N Var E) t with Var E = 2^(2 flood) / 3 */
	double fl = logt + p.flood + log2(6 * sqrt((double)c->n / 3));
	p.out_noise = lt_log2_add(fl, lt_log2_add(p.in_max, c->nm.fresh_pk));
	p.level = c->nq;
	for (unsigned l = 0; l < c->nq; l++)
		if (p.out_noise + 1 < lt_ctx_logq_half(c, l)) {
			p.level = l;
			break;
		}
	return p;
}

static lathe_status
ev_ct_rerandomize(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_rerandomize";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	if (!ev->ek || !ev->ek->pk)
		return lt_fail(LATHE_ENOKEY, "%s: the evaluation keys carry no public key (lathe_evalkeys_set_pk)", fn);
	const rr_plan p = rr_plan_for(c);
	if (p.level >= c->nq)
		return lt_fail(LATHE_EPARAM, "%s: the chain (log2 Q = %.0f) is too short for noise flooding (needs %.0f bits)",
		               fn, lt_ctx_logq_half(c, c->nq - 1) + 1, p.out_noise + 2);
	lathe_status s = as_two(ev, &a, fn);
	if (s)
		return s;
	if (a->level < p.level)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level %u, rerandomization needs level %u or above", fn,
		               a->level, p.level);
	/* in t1: switched to the target level, its factor scaled to 1 */
	if (a != ev->t1) {
		if ((s = to_temp(ev->t1, a)))
			return s;
	}
	lathe_ct *x = ev->t1;
	double noise = x->noise;
	uint64_t fac = x->fac;
	for (unsigned l = x->level; l > p.level; l--) {
		noise = lt_noise_after_switch(c, noise, l, 2);
		fac = lt_mulmod(fac, c->qinv_t[l], c->t, c->t_br); /* what lt_ct_drop_prime records */
	}
	uint64_t r = n_invmod(fac, c->t);
	int64_t k = centered_mod(r, c->t);
	noise += log2_abs(k);
	if (noise > p.in_max)
		return lt_fail(LATHE_ENOISE,
		               "%s: the input's noise (2^%.1f at level %u) is above the 2^%.1f that flooding hides", fn, noise,
		               p.level, p.in_max);
	if ((s = drop_to(ev, x, p.level)))
		return s;
	scale_ct(x, k);
	x->fac = 1;
	if ((s = lt_pk_encrypt_into(ev->ek->pk, x, NULL, (int)p.flood, NULL)))
		return s;
	if ((s = lathe_ct_copy(out, x)))
		return s;
	out->noise = p.out_noise;
	out->seeded = 0;
	return LATHE_OK;
}

lathe_status
lt_rerandomize_plan(const lathe_ctx *c, unsigned *level, unsigned *flood_bits, double *out_noise)
{
	rr_plan p = rr_plan_for(c);
	*level = p.level;
	*flood_bits = p.flood;
	*out_noise = p.out_noise;
	return p.level < c->nq ? LATHE_OK : LATHE_EPARAM;
}

/* ---- one call at a time per evaluator ---- */

/*
 * Every evaluator call holds the evaluator's busy flag: a second call that
 * arrives while one runs (another thread sharing the evaluator) is refused
 * with LATHE_EBUSY before it touches anything, instead of racing on the
 * shared scratch and returning a wrong result.
 */
static lathe_status
ev_enter(lathe_eval *ev, const char *fn)
{
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: evaluator is NULL", fn);
	if (atomic_flag_test_and_set_explicit(&ev->busy, memory_order_acquire))
		return lt_fail(LATHE_EBUSY, "%s: the evaluator is in use by another call (use one evaluator per thread)",
		               fn);
	return LATHE_OK;
}

static void
ev_leave(lathe_eval *ev)
{
	atomic_flag_clear_explicit(&ev->busy, memory_order_release);
}

#define GUARDED(fn, call) \
	do { \
		lathe_status g_ = ev_enter(ev, fn); \
		if (g_) \
			return g_; \
		g_ = (call); \
		ev_leave(ev); \
		return g_; \
	} while (0)

lathe_status
lathe_eval_set_auto_modswitch(lathe_eval *ev, int on)
{
	GUARDED("lathe_eval_set_auto_modswitch", ev_eval_set_auto_modswitch(ev, on));
}

lathe_status
lathe_ct_add(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_add", ev_ct_add(ev, out, a, b));
}

lathe_status
lathe_ct_sub(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_sub", ev_ct_sub(ev, out, a, b));
}

lathe_status
lathe_ct_neg(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_neg", ev_ct_neg(ev, out, a));
}

lathe_status
lathe_ct_add_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	GUARDED("lathe_ct_add_plain", ev_ct_add_plain(ev, out, a, b));
}

lathe_status
lathe_ct_sub_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	GUARDED("lathe_ct_sub_plain", ev_ct_sub_plain(ev, out, a, b));
}

lathe_status
lathe_ct_mul_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b)
{
	GUARDED("lathe_ct_mul_plain", ev_ct_mul_plain(ev, out, a, b));
}

lathe_status
lathe_ct_add_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	GUARDED("lathe_ct_add_scalar", ev_ct_add_scalar(ev, out, a, v));
}

lathe_status
lathe_ct_mul_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v)
{
	GUARDED("lathe_ct_mul_scalar", ev_ct_mul_scalar(ev, out, a, v));
}

lathe_status
lathe_ct_mul_raw(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_mul_raw", ev_ct_mul_raw(ev, out, a, b));
}

lathe_status
lathe_ct_mul(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	GUARDED("lathe_ct_mul", ev_ct_mul(ev, out, a, b));
}

lathe_status
lathe_ct_square(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_square", ev_ct_square(ev, out, a));
}

lathe_status
lathe_ct_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_relin", ev_ct_relin(ev, out, a));
}

lathe_status
lathe_ct_mod_switch_to(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, unsigned level)
{
	GUARDED("lathe_ct_mod_switch_to", ev_ct_mod_switch_to(ev, out, a, level));
}

lathe_status
lathe_ct_mod_switch(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_mod_switch", ev_ct_mod_switch(ev, out, a));
}

lathe_status
lathe_ct_rotate(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int steps)
{
	GUARDED("lathe_ct_rotate", ev_ct_rotate(ev, out, a, steps));
}

lathe_status
lathe_ct_swap_rows(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_swap_rows", ev_ct_swap_rows(ev, out, a));
}

lathe_status
lathe_ct_rotate_many(lathe_eval *ev, lathe_ct **outs, const lathe_ct *a, const int *steps, size_t n)
{
	GUARDED("lathe_ct_rotate_many", ev_ct_rotate_many(ev, outs, a, steps, n));
}

lathe_status
lathe_ct_rerandomize(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	GUARDED("lathe_ct_rerandomize", ev_ct_rerandomize(ev, out, a));
}

lathe_status
lathe_ct_automorph(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, uint64_t g)
{
	GUARDED("lathe_ct_automorph", ev_ct_automorph(ev, out, a, g));
}

lathe_status
lathe_ct_mul_prepared(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_prepared_pt *b)
{
	GUARDED("lathe_ct_mul_prepared", ev_ct_mul_prepared(ev, out, a, b));
}
