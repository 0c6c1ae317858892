/*
 * Ciphertexts, encryption and decryption (BGV: c0 + c1 s = fac * m + t e
 * mod Q_l), and the exact noise budget.
 */
#include <math.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/noisemeter.h"
#include "../ring/sample.h"
#include "../ring/vec.h"
#include "internal.h"

lathe_status
lt_ct_alloc(const char *fn, const lathe_ctx *ctx, unsigned size, unsigned level, lathe_ct **out)
{
	*out = NULL;
	lathe_ct *ct = lt_calloc(1, sizeof(*ct));
	if (!ct)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	ct->ctx = ctx;
	ct->level = level;
	ct->size = size;
	ct->pm = LT_PM_USER;
	ct->fac = 1;
	ct->noise = 0;
	lathe_status s = lt_ct_reserve(ct, size, level);
	if (s) {
		lt_free(ct);
		return s;
	}
	*out = ct;
	return LATHE_OK;
}

lathe_status
lathe_ct_new(const lathe_ctx *ctx, lathe_ct **out)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	return lt_ct_alloc("lathe_ct_new", ctx, 2, ctx->nq - 1, out);
}

lathe_status
lathe_ct_new_at(const lathe_ctx *ctx, unsigned level, lathe_ct **out)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	if (level >= ctx->nq)
		return lt_fail(LATHE_ELEVEL, "lathe_ct_new_at: level %u is above the top, %u", level, ctx->nq - 1);
	return lt_ct_alloc("lathe_ct_new_at", ctx, 2, level, out);
}

static lathe_status
reserve(lathe_ct *ct, unsigned size, unsigned level, int keep)
{
	const unsigned limbs = level + 1;
	if (ct->cap >= size && ct->stride >= limbs)
		return LATHE_OK;
	const size_t n = ct->ctx->n;
	const unsigned cap = ct->cap > size ? ct->cap : size;
	const unsigned stride = ct->stride > limbs ? ct->stride : limbs;
	uint64_t *c = lt_calloc((size_t)cap * stride * n, sizeof(uint64_t));
	if (!c)
		return lt_fail(LATHE_ENOMEM, "ciphertext: out of memory for %u components of %u limbs", cap, stride);
	if (ct->c) {
		if (keep)
			for (unsigned i = 0; i < ct->cap; i++)
				lt_limbs_copy(c + (size_t)i * stride * n, ct->c + (size_t)i * ct->stride * n, ct->stride, n);
		lt_free(ct->c);
	}
	ct->c = c;
	ct->cap = cap;
	ct->stride = stride;
	return LATHE_OK;
}

lathe_status
lt_ct_reserve(lathe_ct *ct, unsigned size, unsigned level)
{
	return reserve(ct, size, level, 1);
}

lathe_status
lt_ct_reserve_fresh(lathe_ct *ct, unsigned size, unsigned level)
{
	return reserve(ct, size, level, 0);
}

void
lathe_ct_free(lathe_ct *ct)
{
	if (!ct)
		return;
	lt_free(ct->c);
	lt_free(ct);
}

lathe_status
lathe_ct_copy(lathe_ct *out, const lathe_ct *a)
{
	LT_CHECK_NULL(out);
	LT_CHECK_NULL(a);
	if (!lt_ctx_same(out->ctx, a->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_ct_copy: ciphertexts from different contexts");
	if (out == a)
		return LATHE_OK;
	lathe_status s = lt_ct_reserve_fresh(out, a->size, a->level);
	if (s)
		return s;
	for (unsigned i = 0; i < a->size; i++)
		lt_limbs_copy(lt_ct_comp(out, i), lt_ct_comp(a, i), a->level + 1, a->ctx->n);
	out->size = a->size;
	out->level = a->level;
	out->pm = a->pm;
	out->fac = a->fac;
	out->noise = a->noise;
	out->seeded = a->seeded;
	memcpy(out->seed, a->seed, sizeof(out->seed));
	memcpy(out->keyid, a->keyid, sizeof(out->keyid));
	return LATHE_OK;
}

uint64_t
lathe_ct_plain_modulus(const lathe_ct *ct)
{
	return ct ? lt_ct_pm(ct)->t : 0;
}

unsigned
lathe_ct_level(const lathe_ct *ct)
{
	return ct ? ct->level : 0;
}

unsigned
lathe_ct_size(const lathe_ct *ct)
{
	return ct ? ct->size : 0;
}

static lathe_status
check_pt(const char *fn, const lathe_ctx *ctx, const lathe_pt *pt)
{
	if (!pt)
		return lt_fail(LATHE_EINVAL, "%s: plaintext is NULL", fn);
	if (!lt_ctx_same(ctx, pt->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: plaintext from another context", fn);
	return LATHE_OK;
}

/* c0 = b u + t e0 + m, c1 = a u + t e1 (Gentry's Encrypt in RNS form) */
lathe_status
lathe_encrypt(const lathe_pk *pk, lathe_ct *out, const lathe_pt *pt)
{
	return lathe_encrypt_rng(pk, out, pt, NULL);
}

lathe_status
lathe_encrypt_rng(const lathe_pk *pk, lathe_ct *out, const lathe_pt *pt, lathe_rng *rng)
{
	LT_CHECK_NULL(pk);
	LT_CHECK_NULL(out);
	lathe_status s = check_pt("lathe_encrypt", pk->ctx, pt);
	if (s)
		return s;
	if (!lt_ctx_same(pk->ctx, out->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_encrypt: ciphertext and key from different contexts");
	if ((s = lt_ct_reserve(out, 2, pk->ctx->nq - 1)))
		return s;
	const unsigned pm_old = out->pm;
	out->pm = pt->pm;
	if ((s = lt_pk_encrypt_into(pk, out, pt->m, -1, rng))) {
		out->pm = pm_old;
		return s;
	}
	out->noise = lt_ct_pm(out)->nm.fresh_pk;
	return LATHE_OK;
}

/* c1 = a uniform (from a fresh seed), c0 = -a s + t e + m */
lathe_status
lathe_encrypt_sk(const lathe_sk *sk, lathe_ct *out, const lathe_pt *pt)
{
	return lathe_encrypt_sk_rng(sk, out, pt, NULL);
}

lathe_status
lathe_encrypt_sk_rng(const lathe_sk *sk, lathe_ct *out, const lathe_pt *pt, lathe_rng *rng)
{
	LT_CHECK_NULL(sk);
	LT_CHECK_NULL(out);
	lathe_status s = check_pt("lathe_encrypt_sk", sk->ctx, pt);
	if (s)
		return s;
	if (!lt_ctx_same(sk->ctx, out->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_encrypt_sk: ciphertext and key from different contexts");
	const lathe_ctx *c = sk->ctx;
	const size_t n = c->n, w = lt_comp_words(c);
	const unsigned L = c->nq - 1;
	if ((s = lt_ct_reserve(out, 2, L)))
		return s;
	int8_t *e = lt_alloc(n);
	uint64_t *tmp = lt_alloc(w * 8);
	if (!e || !tmp) {
		lt_free(e);
		lt_free(tmp);
		return lt_fail(LATHE_ENOMEM, "lathe_encrypt_sk: out of memory");
	}
	uint8_t seed[LT_SEED_BYTES], aseed[LT_SEED_BYTES];
	lt_seed_from(rng, seed);
	lt_seed_from(rng, aseed);
	lt_prng g;
	lt_prng_init(&g, seed, LT_DOMAIN_ENCRYPT, 1);
	const lt_modulus *const *mp = c->ring.modp;
	const lt_plainmod *pm = lt_pt_pm(pt);
	out->level = L;
	out->size = 2;
	out->fac = 1;
	out->pm = pt->pm;
	lt_poly c0 = lt_ct_poly(out, 0), c1 = lt_ct_poly(out, 1);
	lt_sample_uniform(&c1, aseed, LT_STREAM_CT);
	lt_sample_cbd(e, n, &g);
	lt_poly_set_small(&c0, e);
	lt_poly_mul_int(&c0, &c0, (int64_t)pm->t);
	lt_poly_to_ntt(&c0);
	lt_poly m = lt_poly_view(n, mp, L + 1, tmp, 1);
	lt_lift_plain(c, pm, tmp, pt->m, 1, L);
	lt_poly_add(&c0, &c0, &m);
	lt_poly sp = lt_poly_view(n, mp, L + 1, sk->s_ntt, 1);
	lt_poly_mul(&m, &c1, &sp);
	lt_poly_sub(&c0, &c0, &m);
	out->noise = pm->nm.fresh_sk;
	out->seeded = 1;
	memcpy(out->seed, aseed, sizeof(aseed));
	memcpy(out->keyid, sk->keyid, sizeof(out->keyid));
	lt_prng_clear(&g);
	lt_memzero(seed, sizeof(seed));
	lt_memzero(aseed, sizeof(aseed));
	lt_free_secret(e, n);
	lt_free_secret(tmp, w * 8);
	return LATHE_OK;
}

/* v = c0 + c1 s (+ c2 s^2) at the ciphertext's level, NTT form, into v (level+1 limbs) */
static void
inner_with_key(const lathe_sk *sk, const lathe_ct *ct, uint64_t *v, uint64_t *tmp)
{
	const lathe_ctx *c = ct->ctx;
	const lt_modulus *const *mp = c->ring.modp;
	lt_poly vp = lt_poly_view(c->n, mp, ct->level + 1, v, 1);
	lt_poly sp = lt_poly_view(c->n, mp, ct->level + 1, sk->s_ntt, 1);
	lt_poly c0 = lt_ct_poly(ct, 0), c1 = lt_ct_poly(ct, 1);
	lt_poly_copy(&vp, &c0);
	lt_poly_mac(&vp, &c1, &sp);
	if (ct->size == 3) {
		lt_poly s2 = lt_poly_view(c->n, mp, ct->level + 1, tmp, 1);
		lt_poly c2 = lt_ct_poly(ct, 2);
		lt_poly_mul(&s2, &sp, &sp);
		lt_poly_mac(&vp, &c2, &s2);
	}
}

static lathe_status
decrypt(const lathe_sk *sk, lathe_pt *out, const lathe_ct *ct, int force)
{
	LT_CHECK_NULL(sk);
	LT_CHECK_NULL(out);
	LT_CHECK_NULL(ct);
	if (!lt_ctx_same(sk->ctx, ct->ctx) || !lt_ctx_same(sk->ctx, out->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_decrypt: key, ciphertext and plaintext from different contexts");
	lathe_status ks = lt_keyid_check("lathe_decrypt", "the ciphertext", ct->keyid, "the secret key", sk->keyid);
	if (ks)
		return ks;
	const lathe_ctx *c = ct->ctx;
	if (!force && ct->noise >= lt_ctx_logq_half(c, ct->level))
		return lt_fail(LATHE_ENOISE,
		               "lathe_decrypt: noise estimate 2^%.1f reaches Q_%u / 2 = 2^%.1f (lathe_decrypt_force tries anyway)",
		               ct->noise, ct->level, lt_ctx_logq_half(c, ct->level));
	/*
	 * v = c0 + c1 s (+ c2 s^2) mod Q_l, then one t-preserving division by
	 * C = q_1 ... q_l (a modulus switch of v itself: KPZ21 §3, HPS19 for the
	 * centered extension): v' = (v - t [t^-1 v]_C) / C mod q_0, whose centered
	 * value is fac C^-1 m mod t.
	 */
	const size_t n = c->n;
	const unsigned l = ct->level;
	const size_t words = (size_t)(l + 1) * n;
	uint64_t *v = lt_alloc(words * 8), *tmp = lt_alloc(((size_t)l + 2) * n * 8);
	if (!v || !tmp) {
		lt_free(v);
		lt_free(tmp);
		return lt_fail(LATHE_ENOMEM, "lathe_decrypt: out of memory");
	}
	inner_with_key(sk, ct, v, tmp);
	lt_free_secret(tmp, ((size_t)l + 2) * n * 8);
	lathe_status s = lt_decrypt_decode("lathe_decrypt", ct, v, out);
	lt_free_secret(v, words * 8);
	if (!s)
		memcpy(out->keyid, sk->keyid, sizeof(out->keyid));
	return s;
}

lathe_status
lt_decrypt_decode(const char *fn, const lathe_ct *ct, uint64_t *v, lathe_pt *out)
{
	const lathe_ctx *c = ct->ctx;
	const size_t n = c->n;
	const unsigned l = ct->level;
	const lt_modulus *const *mp = c->ring.modp;
	lt_poly vp = lt_poly_view(n, mp, l + 1, v, 1);
	lt_poly_to_coeff(&vp);
	const lt_modulus *m0 = mp[0];
	const lt_plainmod *pm = lt_ct_pm(ct);
	uint64_t *v0 = v;
	uint64_t fac = ct->fac;
	if (l > 0) {
		lt_rns_tdivide(&pm->dec[l], v, n, 0, NULL);
		fac = lt_mulmod(fac, pm->dec[l].cinv_t, pm->t, pm->br);
	}
	const uint64_t q0 = m0->q, t = pm->t, half = q0 / 2;
	/*
	 * The real noise, not the public estimate alone (it travels in files):
	 * v0 holds v' = (v - delta) / C mod q0 for the centered v = c0 + c1 s
	 * mod Q_l, and |v| <= C (|v'| + t (1/2 + eps)) by the division's
	 * rounding contract (ring/tdiv.h; eps < 2^-39). So when every
	 * |v'_j| + 2t < q0 / 2^(1 + margin), every |v_j| < Q_l / 2^(1 + margin);
	 * otherwise the ciphertext is refused. A v' that wrapped mod q0 has
	 * |v'| > q0/2 - t/2 and is refused as well. At level 0, v' = v: exact.
	 * Branch-free: only the verdict over all coefficients is revealed.
	 */
	{
		const unsigned sh = 1 + LATHE_DECRYPT_MARGIN_BITS;
		const lt_u128 slack = l > 0 ? (lt_u128)(2 * t) << sh : 0;
		uint64_t bad = 0;
		for (size_t j = 0; j < n; j++) {
			uint64_t x = v0[j];
			uint64_t neg = (uint64_t)0 - ((half - x) >> 63); /* all ones when x > q0/2 */
			uint64_t a = (x & ~neg) | ((q0 - x) & neg);     /* |centered x| */
			lt_u128 lhs = ((lt_u128)a << sh) + slack;
			bad |= (uint64_t)((lhs - q0) >> 127) ^ 1;        /* 1 when lhs >= q0 */
		}
		if (bad)
			return lt_fail(LATHE_ENOISE,
			               "%s: the measured noise leaves less than %d bit%s of margin below Q_%u / 2 "
			               "(the ciphertext is too noisy to decrypt, or its noise estimate was forged)",
			               fn, LATHE_DECRYPT_MARGIN_BITS, LATHE_DECRYPT_MARGIN_BITS == 1 ? "" : "s", l);
	}
	const uint64_t q0t = q0 % t;
	const uint64_t finv = n_invmod(fac % t, t);
	for (size_t j = 0; j < n; j++) {
		uint64_t x = v0[j];
		uint64_t r1 = lt_reduce64(x, t, pm->br);
		uint64_t d = r1 - q0t;                        /* (x - q0) mod t, branch-free */
		uint64_t r2 = d + (t & (uint64_t)-(int64_t)(d >> 63));
		uint64_t neg = (uint64_t)0 - ((half - x) >> 63); /* all ones when x > q0/2 */
		uint64_t r = (r1 & ~neg) | (r2 & neg);
		out->m[j] = lt_mulmod(r, finv, t, pm->br);
	}
	out->pm = ct->pm;
	memcpy(out->keyid, ct->keyid, sizeof(out->keyid));
	return LATHE_OK;
}

lathe_status
lathe_decrypt(const lathe_sk *sk, lathe_pt *out, const lathe_ct *ct)
{
	return decrypt(sk, out, ct, 0);
}

lathe_status
lathe_decrypt_force(const lathe_sk *sk, lathe_pt *out, const lathe_ct *ct)
{
	return decrypt(sk, out, ct, 1);
}

lathe_status
lathe_noise_budget(const lathe_sk *sk, const lathe_ct *ct, int *bits)
{
	LT_CHECK_NULL(sk);
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(bits);
	if (!lt_ctx_same(sk->ctx, ct->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_noise_budget: key and ciphertext from different contexts");
	lathe_status ks = lt_keyid_check("lathe_noise_budget", "the ciphertext", ct->keyid, "the secret key", sk->keyid);
	if (ks)
		return ks;
	const lathe_ctx *c = ct->ctx;
	const lt_noisemeter *meter = &c->meter[ct->level];
	const size_t n = c->n, k = ct->level + 1;
	const size_t sw = meter->scratch_words;
	uint64_t *v = lt_alloc(k * n * 8), *tmp = lt_alloc(k * n * 8), *scratch = lt_alloc(sw * 8);
	if (!v || !tmp || !scratch) {
		lt_free(v);
		lt_free(tmp);
		lt_free(scratch);
		return lt_fail(LATHE_ENOMEM, "lathe_noise_budget: out of memory");
	}
	inner_with_key(sk, ct, v, tmp);
	lt_poly vp = lt_poly_view(n, c->ring.modp, (unsigned)k, v, 1);
	lt_poly_to_coeff(&vp);
	/* exact bit length of max |c0 + c1 s (+ c2 s^2)|, constant-time word arithmetic */
	double lv = lt_noisemeter_log2_max(meter, v, n, scratch);
	if (lv < 0)
		lv = 0;
	double budget = lt_ctx_logq_half(c, ct->level) - lv;
	*bits = budget <= 0 ? 0 : (int)floor(budget);
	lt_free_secret(v, k * n * 8);
	lt_free_secret(tmp, k * n * 8);
	lt_free_secret(scratch, sw * 8);
	return LATHE_OK;
}

lathe_status
lathe_ct_budget_estimate(const lathe_ct *ct, int *bits)
{
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(bits);
	double b = lt_ctx_logq_half(ct->ctx, ct->level) - ct->noise;
	*bits = b <= 0 ? 0 : (int)floor(b);
	return LATHE_OK;
}

/*
 * A public-key encryption of zero, (b u + t (e0 + E), a u + t e1) with u
 * ternary and e0, e1 centered binomial, added to ct at its level, or, when
 * m is given, written over ct as an encryption of m at the top level.
 * flood_bits >= 0 adds E, uniform in [-2^flood_bits, 2^flood_bits) per
 * coefficient, to the c0 error (noise flooding: Gentry 2009, §21;
 * Ducas-Stehlé, "Sanitization of FHE ciphertexts", 2016); E is built from
 * flood_bits + 1 random bits a coefficient, reduced into each limb word by
 * word (no big-integer library: the value is secret).
 * ct has room for 2 components at its level (or the top level with m).
 * LATHE_ENOMEM leaves ct unchanged. CT: yes.
 */
lathe_status
lt_pk_encrypt_into(const lathe_pk *pk, lathe_ct *ct, const uint64_t *m, int flood_bits, lathe_rng *rng)
{
	const lathe_ctx *c = pk->ctx;
	const size_t n = c->n;
	const unsigned l = m ? c->nq - 1 : ct->level, k = l + 1;
	const size_t w = (size_t)k * n;
	int8_t *small = lt_alloc(n);
	uint64_t *u = lt_alloc(w * 8), *e = lt_alloc(w * 8);
	if (!small || !u || !e) {
		lt_free(small);
		lt_free(u);
		lt_free(e);
		return lt_fail(LATHE_ENOMEM, "public-key encryption: out of memory");
	}
	uint8_t seed[LT_SEED_BYTES];
	lt_seed_from(rng, seed);
	lt_prng g;
	lt_prng_init(&g, seed, LT_DOMAIN_ENCRYPT, 0);
	const lt_modulus *const *mp = c->ring.modp;
	if (m) {
		/* (m, 0) at the top level, then the encryption of zero on top */
		ct->level = l;
		ct->size = 2;
		ct->fac = 1;
		lt_lift_plain(c, lt_ct_pm(ct), lt_ct_comp(ct, 0), m, 1, l);
		memset(lt_ct_comp(ct, 1), 0, w * 8);
		memcpy(ct->keyid, pk->keyid, sizeof(ct->keyid));
	}
	lt_poly up = lt_poly_view(n, mp, k, u, 0), ep = lt_poly_view(n, mp, k, e, 0);
	lt_poly c0 = lt_ct_poly(ct, 0), c1 = lt_ct_poly(ct, 1);
	lt_poly b = lt_poly_view(n, mp, k, pk->b, 1), a = lt_poly_view(n, mp, k, pk->a, 1);
	/* u ternary: c0 += b u, c1 += a u */
	lt_sample_ternary(small, n, &g);
	lt_poly_set_small(&up, small);
	lt_poly_to_ntt(&up);
	lt_poly_mac(&c0, &b, &up);
	lt_poly_mac(&c1, &a, &up);
	/* c1 += t e1 */
	lt_sample_cbd(small, n, &g);
	lt_poly_set_small(&ep, small);
	lt_poly_mul_int(&ep, &ep, (int64_t)lt_ct_pm(ct)->t);
	lt_poly_to_ntt(&ep);
	lt_poly_add(&c1, &c1, &ep);
	/* c0 += t (e0 + E) */
	lt_sample_cbd(small, n, &g);
	lt_poly_set_small(&ep, small);
	lathe_status fs = flood_bits < 0 ? LATHE_OK : lt_flood_add(c, &g, e, k, (unsigned)flood_bits);
	if (fs) {
		lt_prng_clear(&g);
		lt_memzero(seed, sizeof(seed));
		lt_free_secret(small, n);
		lt_free_secret(u, w * 8);
		lt_free_secret(e, w * 8);
		return fs;
	}
	lt_poly_mul_int(&ep, &ep, (int64_t)lt_ct_pm(ct)->t);
	lt_poly_to_ntt(&ep);
	lt_poly_add(&c0, &c0, &ep);
	ct->seeded = 0;
	lt_prng_clear(&g);
	lt_memzero(seed, sizeof(seed));
	lt_free_secret(small, n);
	lt_free_secret(u, w * 8);
	lt_free_secret(e, w * 8);
	return LATHE_OK;
}

/* E = r - 2^bits with r uniform in [0, 2^(bits + 1)), reduced into each limb word by word */
lathe_status
lt_flood_add(const lathe_ctx *c, lt_prng *g, uint64_t *out, unsigned k, unsigned bits)
{
	const size_t n = c->n;
	const lt_modulus *const *mp = c->ring.modp;
	const unsigned words = bits / 64 + 1; /* holds bits + 1 bits */
	uint64_t *r = lt_alloc((size_t)words * 8);
	if (!r)
		return lt_fail(LATHE_ENOMEM, "noise flooding: out of memory");
	const unsigned top = (bits + 1) % 64;
	const uint64_t top_mask = top ? (UINT64_C(1) << top) - 1 : ~UINT64_C(0);
	uint64_t r64[LT_MAX_CHAIN + LT_MAX_SPECIAL], off[LT_MAX_CHAIN + LT_MAX_SPECIAL];
	for (unsigned i = 0; i < k; i++) {
		r64[i] = lt_reduce128((lt_u128)1 << 64, mp[i]->q, mp[i]->br); /* 2^64 mod q */
		off[i] = lt_powmod(2, bits, mp[i]->q, mp[i]->br);
	}
	for (size_t j = 0; j < n; j++) {
		lt_prng_bytes(g, r, (size_t)words * 8);
		r[words - 1] &= top_mask;
		for (unsigned i = 0; i < k; i++) {
			const lt_modulus *md = mp[i];
			/* Horner from the top word: x = sum r_w 2^(64 w) mod q */
			uint64_t x = 0;
			for (unsigned wi = words; wi-- > 0;)
				x = lt_addmod(lt_mulmod(x, r64[i], md->q, md->br), lt_reduce64(r[wi], md->q, md->br), md->q);
			x = lt_submod(x, off[i], md->q);
			uint64_t *o = out + (size_t)i * n + j;
			*o = lt_addmod(*o, x, md->q);
		}
	}
	lt_free_secret(r, (size_t)words * 8);
	return LATHE_OK;
}
