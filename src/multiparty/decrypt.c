/*
 * Collective decryption (Mouchet et al., PETS 2021, §4: CKS to the zero
 * key, PCKS to a recipient's public key), with the smudging noise of
 * lathe/multiparty.h:
 *   CKS:  h_i = s_i c1 + t E_i; c0 + sum h_i = m + t (e + sum E_i).
 *   PCKS: (h0_i, h1_i) = (s_i c1 + u_i b' + t (e0_i + E_i), u_i a' + t e1_i);
 *         (c0 + sum h0_i, sum h1_i) decrypts under the recipient's s'.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/sample.h"
#include "../ring/vec.h"
#include "mp.h"

/* BLAKE2b, keyed by the common seed, of the level, the key, the recipient (or none) and c1's words */
static void
bind_ct(const uint8_t *crs, const lathe_ct *ct, const lathe_pk *to, uint8_t out[32])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, crs, LATHE_MP_SEED_BYTES, 32);
	uint8_t hdr[4 + LT_KEYID_BYTES + LT_KEYID_BYTES] = { 0 };
	for (int i = 0; i < 4; i++)
		hdr[i] = (uint8_t)(ct->level >> (8 * i));
	memcpy(hdr + 4, ct->keyid, LT_KEYID_BYTES);
	if (to)
		memcpy(hdr + 4 + LT_KEYID_BYTES, to->keyid, LT_KEYID_BYTES);
	crypto_generichash_update(&st, hdr, sizeof(hdr));
	const uint64_t *c1 = lt_ct_comp(ct, 1);
	const size_t words = ((size_t)ct->level + 1) * ct->ctx->n;
	uint8_t buf[8 * 256];
	for (size_t i = 0; i < words;) {
		size_t k = 0;
		for (; k < 256 && i < words; k++, i++)
			for (int b = 0; b < 8; b++)
				buf[8 * k + (size_t)b] = (uint8_t)(c1[i] >> (8 * b));
		crypto_generichash_update(&st, buf, 8 * k);
	}
	crypto_generichash_final(&st, out, 32);
}

/* the recipient's terms u_i b' + t e0_i and u_i a' + t e1_i: a bound on what they add to c0' + c1' s', log2 */
static double
pcks_extra(const lathe_ctx *c, uint64_t t, unsigned parties)
{
	const double N = (double)c->n, ve = 10.5, vs = 2.0 / 3.0;
	const double tk = (double)lt_key_pm(c)->t;
	/* u (t_key e'), t e1 s', t e0, for each party */
	const double one = tk * 16 * sqrt(N * ve) * sqrt(N * vs) + (double)t * (16 * sqrt(N * ve) * sqrt(N * vs) +
	                                                                        6 * sqrt(N * ve));
	return log2((double)parties * one);
}

/* the checks of a share of ct by p: its key, components, and room for the smudging noise; *bits, *need */
static lathe_status
check_ct(const char *fn, const lathe_party *p, const lathe_ct *ct, const lathe_pk *to, unsigned count,
         unsigned *bits, double *need)
{
	const lathe_ctx *c = p->ctx;
	if (!lt_ctx_same(c, ct->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the ciphertext belongs to another context", fn);
	if (to && !lt_ctx_same(c, to->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the recipient's key belongs to another context", fn);
	if (!p->has_pk)
		return lt_fail(LATHE_EINVAL, "%s: the party has no collective key yet (lathe_party_set_pk)", fn);
	if (!lt_keyid_set(ct->keyid) || memcmp(ct->keyid, p->keyid, LT_KEYID_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the ciphertext is not under the collective key", fn);
	if (ct->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext has %u components (relinearize first)", fn, ct->size);
	const uint64_t t = lt_ct_pm(ct)->t;
	*bits = lt_mp_smudge_bits(c, ct->noise, t);
	*need = lt_log2_add(ct->noise, log2((double)count) + log2((double)t) + *bits);
	if (to)
		*need = lt_log2_add(*need, pcks_extra(c, t, count));
	const double room = lt_ctx_logq_half(c, ct->level) - LATHE_DECRYPT_MARGIN_BITS;
	if (*need >= room)
		return lt_fail(LATHE_ENOISE, "%s: the smudging noise of %u bits needs a budget the ciphertext lacks: "
		               "2^%.1f with it, room for 2^%.1f at level %u (%d bits of statistical security; decrypt with "
		               "a level or more left)", fn, *bits, *need, room, ct->level, LATHE_MP_SMUDGE_BITS);
	return LATHE_OK;
}

/* out (limbs 0..l, NTT form) += t (e + E), e centered binomial when `err`, E flooding of `bits` bits */
static lathe_status
add_error(const lathe_ctx *c, lt_prng *g, uint64_t *out, unsigned l, int err, unsigned bits, uint64_t t)
{
	const size_t n = c->n, w = ((size_t)l + 1) * n;
	uint64_t *e = lt_calloc(w, 8);
	int8_t *small = lt_alloc(n);
	if (!e || !small) {
		lt_free(e);
		lt_free(small);
		return lt_fail(LATHE_ENOMEM, "multiparty share: out of memory");
	}
	lt_poly ep = lt_poly_view(n, c->ring.modp, l + 1, e, 0);
	if (err) {
		lt_sample_cbd(small, n, g);
		lt_poly_set_small(&ep, small);
	}
	lathe_status st = bits ? lt_flood_add(c, g, e, l + 1, bits) : LATHE_OK;
	if (!st) {
		lt_poly_mul_int(&ep, &ep, (int64_t)t);
		lt_poly_to_ntt(&ep);
		lt_poly o = lt_poly_view(n, c->ring.modp, l + 1, out, 1);
		lt_poly_add(&o, &o, &ep);
	}
	lt_free_secret(e, w * 8);
	lt_free_secret(small, n);
	return st;
}

/* a fresh generator for one share's noise (a decryption share differs every time) */
static void
fresh_prng(lt_prng *g)
{
	uint8_t seed[LT_SEED_BYTES];
	lt_seed_os(seed);
	lt_prng_init(g, seed, LT_DOMAIN_PARTY, 2);
	lt_memzero(seed, sizeof(seed));
}

/*
 * out (limbs 0..l, NTT form) += the plaintext of fac * Z in every slot,
 * Z_j ~ N_Z(0, sigma2): decryption divides by fac, so the slots read
 * m + Z (lathe/multiparty.h)
 */
static lathe_status
add_dp_noise(const lathe_ct *ct, lt_prng *g, uint64_t sigma2, int one_value, uint64_t *out)
{
	const lathe_ctx *c = ct->ctx;
	const lt_plainmod *pm = lt_ct_pm(ct);
	const uint64_t t = pm->t, fac = ct->fac % t;
	const size_t slots = pm->slots.ell, w = ((size_t)ct->level + 1) * c->n;
	uint64_t *z = lt_alloc((slots ? slots : 1) * 8), *lift = lt_alloc(w * 8);
	lathe_pt *pt = NULL;
	lathe_status st = z && lift ? lathe_pt_new(c, &pt) : lt_fail(LATHE_ENOMEM, "DP noise: out of memory");
	if (!st) {
		/* one sample for all slots when they hold one value (lathe_dp.one_value) */
		uint64_t r = 0;
		for (size_t j = 0; j < slots; j++) {
			if (j == 0 || !one_value) {
				/* x mod t without a branch or a division on the secret x */
				const int64_t x = lt_dgauss(g, sigma2);
				const uint64_t sm = (uint64_t)(x >> 63), ax = ((uint64_t)x ^ sm) - sm;
				const uint64_t rp = lt_reduce64(ax, t, pm->br), rn = lt_csub(t - rp, t);
				r = (rp & ~sm) | (rn & sm);
			}
			z[j] = lt_mulmod(r, fac, t, pm->br);
		}
		lt_memzero(&r, sizeof(r));
		st = lathe_encode_u64(pt, z, slots);
	}
	if (!st) {
		pt->pm = ct->pm;
		lt_lift_plain(c, pm, lift, pt->m, 1, ct->level);
		lt_poly o = lt_poly_view(c->n, c->ring.modp, ct->level + 1, out, 1);
		lt_poly d = lt_poly_view(c->n, c->ring.modp, ct->level + 1, lift, 1);
		lt_poly_add(&o, &o, &d);
	}
	if (pt) {
		lt_memzero(pt->m, c->n * 8);
		lathe_pt_free(pt);
	}
	if (z)
		lt_free_secret(z, (slots ? slots : 1) * 8);
	if (lift)
		lt_free_secret(lift, w * 8);
	return st;
}

/* a decryption share, with DP noise when dp is given (sigma2 each party's) */
static lathe_status
cks_share(const char *fn, const lathe_party *p, const lathe_ct *ct, const lathe_dp *dp, uint64_t sigma2,
          lathe_share **out)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(ct);
	unsigned bits = 0;
	double need = 0;
	lathe_status st = check_ct(fn, p, ct, NULL, p->nparties, &bits, &need);
	if (st)
		return st;
	const lathe_ctx *c = p->ctx;
	const unsigned l = ct->level;
	if (dp && !lt_ct_pm(ct)->slots.ell)
		return lt_fail(LATHE_EINVAL, "%s: DP noise goes into slots, and t = 2^r has none", fn);
	/* the DP noise: a plaintext (coefficients below t / 2) from each party */
	if (dp)
		need = lt_log2_add(need, log2((double)p->nparties * (double)c->n * (double)lt_ct_pm(ct)->t / 2));
	if (need >= lt_ctx_logq_half(c, l) - LATHE_DECRYPT_MARGIN_BITS)
		return lt_fail(LATHE_ENOISE, "%s: no budget left for the DP noise at level %u", fn, l);
	lathe_share *s;
	if ((st = lt_mp_share_new(fn, p, dp ? LATHE_SHARE_DECRYPT_DP : LATHE_SHARE_DECRYPT, 1, l + 1, &s)))
		return st;
	s->level = l;
	s->noise = need;
	if (dp) {
		s->dp = *dp;
		s->g = sigma2;
	}
	memcpy(s->keyid, ct->keyid, LT_KEYID_BYTES);
	bind_ct(p->crs, ct, NULL, s->bind);
	/* h = s_i c1 + t E */
	lt_poly h = lt_poly_view(c->n, c->ring.modp, l + 1, s->w, 1);
	lt_poly c1 = lt_ct_poly(ct, 1);
	lt_poly si = lt_poly_view(c->n, c->ring.modp, l + 1, p->sk->s_ntt, 1);
	lt_poly_mul(&h, &c1, &si);
	lt_prng g;
	fresh_prng(&g);
	st = add_error(c, &g, s->w, l, 0, bits, lt_ct_pm(ct)->t);
	if (!st && dp)
		st = add_dp_noise(ct, &g, sigma2, dp->one_value, s->w);
	lt_prng_clear(&g);
	if (st) {
		lathe_share_free(s);
		return st;
	}
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_mp_decrypt_share(const lathe_party *p, const lathe_ct *ct, lathe_share **out)
{
	return cks_share("lathe_mp_decrypt_share", p, ct, NULL, 0, out);
}

lathe_status
lathe_mp_decrypt_share_dp(const lathe_party *p, const lathe_ct *ct, const lathe_dp *dp, lathe_share **out)
{
	const char *fn = "lathe_mp_decrypt_share_dp";
	if (out)
		*out = NULL;
	if (!dp)
		return lt_fail(LATHE_EINVAL, "%s: no privacy parameters (a DP release needs epsilon and delta, or rho, and "
		               "the sensitivity)", fn);
	uint64_t sigma2;
	lathe_status st = lathe_dp_sigma2(dp, &sigma2, NULL);
	if (st) {
		/* the message names lathe_dp_sigma2: copied out of the error buffer before it is rewritten */
		char why[256];
		snprintf(why, sizeof why, "%s", lathe_last_error());
		return lt_fail(st, "%s: %s", fn, why);
	}
	return cks_share(fn, p, ct, dp, sigma2, out);
}

/* the checks of a combination of shares of ct */
static lathe_status
check_combine(const char *fn, const lathe_ct *ct, const lathe_pk *to, const lathe_share *const *shares, size_t n,
              lathe_share_kind kind)
{
	lathe_status st = lt_mp_check_shares(fn, shares, n, kind);
	if (st)
		return st;
	const lathe_share *f = shares[0];
	if (!lt_ctx_same(f->ctx, ct->ctx) || (to && !lt_ctx_same(f->ctx, to->ctx)))
		return lt_fail(LATHE_EMISMATCH, "%s: the shares belong to another context than the ciphertext", fn);
	if (ct->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext has %u components (relinearize first)", fn, ct->size);
	uint8_t b[32];
	bind_ct(f->crs, ct, to, b);
	if (f->level != ct->level || f->limbs != ct->level + 1 || memcmp(b, f->bind, 32) != 0 ||
	    memcmp(f->keyid, ct->keyid, LT_KEYID_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the shares were made for another ciphertext%s", fn,
		               to ? " or recipient" : "");
	return LATHE_OK;
}

static lathe_status
decrypt_combine(const char *fn, const lathe_ct *ct, const lathe_share *const *shares, size_t n, lathe_pt *out,
                lathe_share_kind kind)
{
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(out);
	lathe_status st = check_combine(fn, ct, NULL, shares, n, kind);
	if (st)
		return st;
	if (!lt_ctx_same(out->ctx, ct->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the plaintext belongs to another context", fn);
	const lathe_ctx *c = ct->ctx;
	const unsigned l = ct->level;
	const size_t n0 = c->n, w = ((size_t)l + 1) * n0;
	uint64_t *v = lt_alloc(w * 8);
	if (!v)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	/* v = c0 + sum h_i */
	memcpy(v, lt_ct_comp(ct, 0), w * 8);
	for (unsigned x = 0; x <= l; x++) {
		const uint64_t q = c->ring.modp[x]->q;
		for (size_t i = 0; i < n; i++)
			lt_vec_add(v + (size_t)x * n0, v + (size_t)x * n0, shares[i]->w + (size_t)x * n0, n0, q);
	}
	st = lt_decrypt_decode(fn, ct, v, out);
	lt_free_secret(v, w * 8);
	return st;
}

lathe_status
lathe_mp_decrypt_combine(const lathe_ct *ct, const lathe_share *const *shares, size_t n, lathe_pt *out)
{
	return decrypt_combine("lathe_mp_decrypt_combine", ct, shares, n, out, LATHE_SHARE_DECRYPT);
}

lathe_status
lathe_mp_decrypt_combine_dp(const lathe_ct *ct, const lathe_share *const *shares, size_t n, lathe_pt *out,
                            lathe_dp_release *rel)
{
	const char *fn = "lathe_mp_decrypt_combine_dp";
	LT_CHECK_NULL(rel);
	/* the parameters first (the combination checks that every share has share 0's): nothing is written on error */
	uint64_t s2 = 0;
	double rho = 0;
	if (shares && n && shares[0] && shares[0]->kind == LATHE_SHARE_DECRYPT_DP &&
	    (lathe_dp_sigma2(&shares[0]->dp, &s2, &rho) || s2 != shares[0]->g))
		return lt_fail(LATHE_ECORRUPT, "%s: the shares' sigma^2 does not follow from their parameters", fn);
	lathe_status st = decrypt_combine(fn, ct, shares, n, out, LATHE_SHARE_DECRYPT_DP);
	if (st)
		return st;
	const lathe_share *f = shares[0];
	memset(rel, 0, sizeof(*rel));
	rel->dp = f->dp;
	rel->rho = rho;
	rel->sigma2 = f->g;
	rel->parties = (unsigned)n;
	/* the discrete Gaussian's variance is at most sigma^2 (CKS Corollary 9): the stated figure bounds it */
	rel->variance = (double)n * (double)f->g;
	return LATHE_OK;
}

lathe_status
lathe_mp_decrypt_combine_t(const lathe_ct *ct, const lathe_share *const *shares, size_t n, lathe_pt *out)
{
	return decrypt_combine("lathe_mp_decrypt_combine_t", ct, shares, n, out, LATHE_SHARE_DECRYPT_T);
}

/*
 * lambda_j^S mod q: prod_(k in S, k != j) alpha_k / (alpha_k - alpha_j),
 * alpha = index + 1 (the points differ by less than 64 < q: invertible)
 */
static uint64_t
lagrange(const lt_modulus *m, uint64_t set, unsigned j)
{
	uint64_t num = 1, den = 1;
	const uint64_t q = m->q, aj = (uint64_t)j + 1;
	for (unsigned k = 0; k < 64; k++) {
		if (!(set >> k & 1) || k == j)
			continue;
		const uint64_t ak = (uint64_t)k + 1;
		num = lt_mulmod(num, ak, q, m->br);
		den = lt_mulmod(den, ak > aj ? ak - aj : q - (aj - ak), q, m->br);
	}
	return lt_mulmod(num, lt_invmod(den, q, m->br), q, m->br);
}

lathe_status
lathe_mp_decrypt_share_t(const lathe_party *p, const lathe_ct *ct, const unsigned *online, size_t count,
                         lathe_share **out)
{
	const char *fn = "lathe_mp_decrypt_share_t";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(online);
	if (!p->threshold)
		return lt_fail(LATHE_EINVAL, "%s: the party has no threshold share yet (lathe_party_set_threshold)", fn);
	uint64_t set = 0;
	for (size_t i = 0; i < count; i++) {
		if (online[i] >= p->nparties)
			return lt_fail(LATHE_EINVAL, "%s: online party %u of %u", fn, online[i], p->nparties);
		if (set >> online[i] & 1)
			return lt_fail(LATHE_EINVAL, "%s: party %u online twice", fn, online[i]);
		set |= UINT64_C(1) << online[i];
	}
	if (count < p->threshold)
		return lt_fail(LATHE_EINVAL, "%s: %zu parties online, the threshold is %u: fewer never decrypt", fn, count,
		               p->threshold);
	if (!(set >> p->index & 1))
		return lt_fail(LATHE_EINVAL, "%s: party %u is not among the online parties", fn, p->index);
	unsigned bits = 0;
	double need = 0;
	lathe_status st = check_ct(fn, p, ct, NULL, (unsigned)count, &bits, &need);
	if (st)
		return st;
	const lathe_ctx *c = p->ctx;
	const unsigned l = ct->level;
	lathe_share *s;
	if ((st = lt_mp_share_new(fn, p, LATHE_SHARE_DECRYPT_T, 1, l + 1, &s)))
		return st;
	s->level = l;
	s->noise = need;
	s->g = set;
	s->threshold = p->threshold;
	memcpy(s->keyid, ct->keyid, LT_KEYID_BYTES);
	bind_ct(p->crs, ct, NULL, s->bind);
	/* h = lambda_j t_j c1 + t E */
	uint64_t lam[LT_MAX_CHAIN];
	for (unsigned k = 0; k <= l; k++)
		lam[k] = lagrange(c->ring.modp[k], set, p->index);
	lt_poly h = lt_poly_view(c->n, c->ring.modp, l + 1, s->w, 1);
	lt_poly c1 = lt_ct_poly(ct, 1);
	lt_poly tj = lt_poly_view(c->n, c->ring.modp, l + 1, p->tpoint, 1);
	lt_poly_mul(&h, &c1, &tj);
	lt_poly_mul_rns(&h, &h, lam);
	lt_prng g;
	fresh_prng(&g);
	st = add_error(c, &g, s->w, l, 0, bits, lt_ct_pm(ct)->t);
	lt_prng_clear(&g);
	if (st) {
		lathe_share_free(s);
		return st;
	}
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_mp_pk_switch_share(const lathe_party *p, const lathe_ct *ct, const lathe_pk *to, lathe_share **out)
{
	const char *fn = "lathe_mp_pk_switch_share";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(to);
	unsigned bits = 0;
	double need = 0;
	lathe_status st = check_ct(fn, p, ct, to, p->nparties, &bits, &need);
	if (st)
		return st;
	const lathe_ctx *c = p->ctx;
	const unsigned l = ct->level;
	const size_t n = c->n, w = ((size_t)l + 1) * n;
	lathe_share *s;
	if ((st = lt_mp_share_new(fn, p, LATHE_SHARE_PK_SWITCH, 2, l + 1, &s)))
		return st;
	s->level = l;
	s->noise = need;
	memcpy(s->keyid, ct->keyid, LT_KEYID_BYTES);
	bind_ct(p->crs, ct, to, s->bind);
	uint64_t *u = lt_alloc(w * 8);
	int8_t *small = lt_alloc(n);
	if (!u || !small) {
		lt_free(u);
		lt_free(small);
		lathe_share_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	lt_prng g;
	fresh_prng(&g);
	lt_poly up = lt_poly_view(n, c->ring.modp, l + 1, u, 0);
	lt_sample_ternary(small, n, &g);
	lt_poly_set_small(&up, small);
	lt_poly_to_ntt(&up);
	uint64_t *h0 = lt_mp_share_poly(s, 0), *h1 = lt_mp_share_poly(s, 1);
	lt_poly H0 = lt_poly_view(n, c->ring.modp, l + 1, h0, 1), H1 = lt_poly_view(n, c->ring.modp, l + 1, h1, 1);
	lt_poly c1 = lt_ct_poly(ct, 1);
	lt_poly si = lt_poly_view(n, c->ring.modp, l + 1, p->sk->s_ntt, 1);
	lt_poly b = lt_poly_view(n, c->ring.modp, l + 1, to->b, 1), a = lt_poly_view(n, c->ring.modp, l + 1, to->a, 1);
	/* h0 = s_i c1 + u b' + t (e0 + E), h1 = u a' + t e1 */
	lt_poly_mul(&H0, &c1, &si);
	lt_poly_mac(&H0, &b, &up);
	lt_poly_mul(&H1, &a, &up);
	const uint64_t t = lt_ct_pm(ct)->t;
	st = add_error(c, &g, h0, l, 1, bits, t);
	if (!st)
		st = add_error(c, &g, h1, l, 1, 0, t);
	lt_prng_clear(&g);
	lt_free_secret(u, w * 8);
	lt_free_secret(small, n);
	if (st) {
		lathe_share_free(s);
		return st;
	}
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_mp_pk_switch_combine(const lathe_ct *ct, const lathe_pk *to, const lathe_share *const *shares, size_t n,
                           lathe_ct *out)
{
	const char *fn = "lathe_mp_pk_switch_combine";
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(to);
	LT_CHECK_NULL(out);
	lathe_status st = check_combine(fn, ct, to, shares, n, LATHE_SHARE_PK_SWITCH);
	if (st)
		return st;
	if (!lt_ctx_same(out->ctx, ct->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the output ciphertext belongs to another context", fn);
	const lathe_ctx *c = ct->ctx;
	const unsigned l = ct->level;
	const size_t nn = c->n, w = ((size_t)l + 1) * nn;
	if (out != ct && (st = lt_ct_reserve_fresh(out, 2, l)))
		return st;
	/* c0' = c0 + sum h0_i, c1' = sum h1_i (out may be ct: c0 is read in place, c1 last) */
	uint64_t *o0 = lt_ct_comp(out, 0), *o1 = lt_ct_comp(out, 1);
	if (out != ct)
		memcpy(o0, lt_ct_comp(ct, 0), w * 8);
	memcpy(o1, lt_mp_share_poly(shares[0], 1), w * 8);
	for (unsigned x = 0; x <= l; x++) {
		const uint64_t q = c->ring.modp[x]->q;
		const size_t o = (size_t)x * nn;
		for (size_t i = 0; i < n; i++) {
			lt_vec_add(o0 + o, o0 + o, lt_mp_share_poly(shares[i], 0) + o, nn, q);
			if (i)
				lt_vec_add(o1 + o, o1 + o, lt_mp_share_poly(shares[i], 1) + o, nn, q);
		}
	}
	out->size = 2;
	out->level = l;
	out->pm = ct->pm;
	out->fac = ct->fac;
	out->noise = shares[0]->noise;
	out->seeded = 0;
	memcpy(out->keyid, to->keyid, LT_KEYID_BYTES);
	return LATHE_OK;
}
