/*
 * Collective key generation (Mouchet, Troncoso-Pastoriza, Bossuat,
 * Hubaux, PETS 2021, §4), for BGV: every error is a multiple of the keys'
 * plaintext modulus t, and the key-switching keys are hybrid (Han-Ki
 * 2020), with gadget P g_j (g_j = 1 modulo the primes of digit j, 0
 * modulo the others), as the one-party keys of src/bgv/ksk.c.
 *   CKG: b_i = -a s_i + t e_i, a from the common seed; b = sum b_i.
 *   RTG: b_ij = -a_j s_i + t e_ij + P g_j sigma_g(s_i); b_j = sum_i b_ij.
 *   RKG: round 1 h0_ij = -u_i a_j + P g_j s_i + t e0_ij, h1_ij = s_i a_j +
 *   t e1_ij, summed into (h0_j, h1_j); round 2 r_ij = s_i h0_j + (u_i -
 *   s_i) h1_j + t e2_ij; the key is (sum_i r_ij, h1_j):
 *   sum_i r_ij = -s h1_j + P g_j s^2 + t (s e0 + u e1 + e2).
 */
#include <string.h>

#include <omp.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/sample.h"
#include "../ring/vec.h"
#include "mp.h"

/* the limbs of the key basis q_0..q_(nq-1), P: limb x is the ring's prime x (all nq + np, in the ring's order) */
static size_t
key_words(const lathe_ctx *c)
{
	return (size_t)(c->nq + c->np) * c->n;
}

/*
 * out = sum of the shares' polynomials (all checked alike), limb x modulo
 * mods[x]: the chain's primes for a public key, q_0..q_k, P for a key
 * reaching level k
 */
static void
sum_shares(uint64_t *out, const lathe_share *const *shares, size_t n, unsigned npoly, const lt_modulus *const *mods)
{
	const lathe_share *f = shares[0];
	const lathe_ctx *c = f->ctx;
	const size_t nn = c->n;
	for (unsigned k = 0; k < npoly; k++)
		for (unsigned x = 0; x < f->limbs; x++) {
			uint64_t *o = out + ((size_t)k * f->limbs + x) * nn;
			const uint64_t q = mods[x]->q;
			memcpy(o, lt_mp_share_poly(shares[0], k) + (size_t)x * nn, nn * 8);
			for (size_t i = 1; i < n; i++)
				lt_vec_add(o, o, lt_mp_share_poly(shares[i], k) + (size_t)x * nn, nn, q);
		}
}

/* ---- CKG ---- */

lathe_status
lathe_mp_pk_share(const lathe_party *p, lathe_share **out)
{
	const char *fn = "lathe_mp_pk_share";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	const lathe_ctx *c = p->ctx;
	lathe_share *s;
	lathe_status st = lt_mp_share_new(fn, p, LATHE_SHARE_PK, 1, c->nq, &s);
	if (st)
		return st;
	const size_t n = c->n, w = lt_comp_words(c);
	uint64_t *a = lt_alloc(w * 8), *tmp = lt_alloc(w * 8);
	if (!a || !tmp) {
		lt_free(a);
		lt_free(tmp);
		lathe_share_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	uint8_t aseed[LT_SEED_BYTES];
	lt_mp_derive(aseed, p->crs, "public key", NULL, 0);
	const lt_modulus *const *mp = (const lt_modulus *const *)c->ring.modp;
	lt_poly ap = lt_poly_view(n, c->ring.modp, c->nq, a, 1);
	lt_sample_uniform(&ap, aseed, LT_STREAM_PK);
	lt_prng g;
	lt_mp_prng(&g, p, "public key", NULL, 0);
	/* b_i = t e_i - a s_i */
	st = lt_error_times_t(c, &g, s->w, mp, c->nq);
	lt_prng_clear(&g);
	if (!st) {
		lt_poly b = lt_poly_view(n, c->ring.modp, c->nq, s->w, 1);
		lt_poly sp = lt_poly_view(n, c->ring.modp, c->nq, p->sk->s_ntt, 1);
		lt_poly as = lt_poly_view(n, c->ring.modp, c->nq, tmp, 1);
		lt_poly_mul(&as, &ap, &sp);
		lt_poly_sub(&b, &b, &as);
	}
	lt_free(a);
	lt_free_secret(tmp, w * 8);
	if (st) {
		lathe_share_free(s);
		return st;
	}
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_mp_pk_combine(const lathe_share *const *shares, size_t n, lathe_pk **out)
{
	const char *fn = "lathe_mp_pk_combine";
	LT_CHECK_NULL(out);
	*out = NULL;
	lathe_status st = lt_mp_check_shares(fn, shares, n, LATHE_SHARE_PK);
	if (st)
		return st;
	const lathe_ctx *c = shares[0]->ctx;
	if (shares[0]->limbs != c->nq || shares[0]->npoly != 1)
		return lt_fail(LATHE_EINVAL, "%s: a public-key share of %u limbs", fn, shares[0]->limbs);
	lathe_pk *pk;
	if ((st = lt_pk_alloc(fn, c, &pk)))
		return st;
	lt_mp_derive(pk->seed, shares[0]->crs, "public key", NULL, 0);
	lt_pk_expand(pk);
	sum_shares(pk->b, shares, n, 1, (const lt_modulus *const *)c->ring.modp);
	lt_keyid_compute(pk, pk->keyid);
	*out = pk;
	return LATHE_OK;
}

/* ---- RTG ---- */

/*
 * What a Galois key's uniform part and its errors are drawn for: the
 * element, and the level when below the top (a party's shares of one
 * element at two levels must be independent: with one a and one error
 * their difference would be P (g_j - g'_j) sigma_g(s_i) in the open).
 */
static size_t
galois_label(uint8_t b[12], const lathe_ctx *c, uint64_t g, unsigned level)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(g >> (8 * i));
	if (level == c->nq - 1)
		return 8;
	for (int i = 0; i < 4; i++)
		b[8 + i] = (uint8_t)(level >> (8 * i));
	return 12;
}

lathe_status
lathe_mp_galois_share(const lathe_party *p, uint64_t g, lathe_share **out)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	return lathe_mp_galois_share_at(p, g, p->ctx->nq - 1, out);
}

lathe_status
lathe_mp_galois_share_at(const lathe_party *p, uint64_t g, unsigned level, lathe_share **out)
{
	const char *fn = "lathe_mp_galois_share_at";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	const lathe_ctx *c = p->ctx;
	if (!lt_galois_elt_valid(c, g))
		return lt_fail(LATHE_EINVAL, "%s: g = %llu is not an odd residue in (1, 2N = %llu)", fn,
		               (unsigned long long)g, (unsigned long long)(2 * c->n));
	if (level >= c->nq)
		return lt_fail(LATHE_ELEVEL, "%s: a key at level %u above the top level %u", fn, level, c->nq - 1);
	const size_t words = key_words(c);
	uint64_t *sg = lt_alloc(words * 8);
	uint32_t *perm = lt_alloc(c->n * sizeof(uint32_t));
	if (!sg || !perm) {
		lt_free(sg);
		lt_free(perm);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	/* sigma_g(s_i) over all primes */
	lt_automorph_perm(perm, c->logn, g);
	lt_poly s = lt_poly_view(c->n, c->ring.modp, c->nq + c->np, p->sk->s_ntt, 1);
	lt_poly sgp = lt_poly_view(c->n, c->ring.modp, c->nq + c->np, sg, 1);
	lt_poly_automorph(&sgp, &s, g, perm);
	lt_free(perm);
	uint8_t gb[12];
	const size_t gl = galois_label(gb, c, g, level);
	uint8_t aseed[LT_SEED_BYTES];
	lt_mp_derive(aseed, p->crs, "galois", gb, gl);
	lt_prng pr;
	lt_mp_prng(&pr, p, "galois", gb, gl);
	lt_ksk k;
	lathe_status st = lt_ksk_gen_seeded(p->sk, sg, level, aseed, &pr, &k);
	lt_prng_clear(&pr);
	lt_free_secret(sg, words * 8);
	if (st)
		return st;
	lathe_share *sh;
	const unsigned nd = lt_ks_digits(c, level);
	if ((st = lt_mp_share_new(fn, p, LATHE_SHARE_GALOIS, nd, level + 1 + c->np, &sh))) {
		lt_ksk_clear(c, &k);
		return st;
	}
	sh->g = g;
	sh->level = level;
	memcpy(sh->w, k.b, lt_ksk_words(c, &k) * 8);
	lt_ksk_clear(c, &k);
	*out = sh;
	return LATHE_OK;
}

/* ---- the bundle ---- */

lathe_status
lathe_mp_evalkeys_new(const lathe_pk *pk, lathe_evalkeys **out)
{
	const char *fn = "lathe_mp_evalkeys_new";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(pk);
	lathe_evalkeys *ek = lt_calloc(1, sizeof(*ek));
	if (!ek)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	ek->ctx = pk->ctx;
	memcpy(ek->keyid, pk->keyid, LT_KEYID_BYTES);
	lathe_status st = lt_pk_copy(pk, &ek->pk);
	if (st) {
		lt_free(ek);
		return st;
	}
	*out = ek;
	return LATHE_OK;
}

/* the bundle's public key must come from the shares' common seed */
static lathe_status
check_bundle(const char *fn, const lathe_evalkeys *ek, const lathe_share *f)
{
	if (!lt_ctx_same(ek->ctx, f->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the shares belong to another context than the bundle", fn);
	uint8_t want[LT_SEED_BYTES];
	lt_mp_derive(want, f->crs, "public key", NULL, 0);
	if (!ek->pk || memcmp(ek->pk->seed, want, LT_SEED_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the bundle is not of the collective key of the shares' common seed "
		               "(make it with lathe_mp_evalkeys_new)", fn);
	return LATHE_OK;
}

lathe_status
lathe_mp_galois_combine(lathe_evalkeys *ek, const lathe_share *const *shares, size_t n)
{
	const char *fn = "lathe_mp_galois_combine";
	LT_CHECK_NULL(ek);
	lathe_status st = lt_mp_check_shares(fn, shares, n, LATHE_SHARE_GALOIS);
	if (st || (st = check_bundle(fn, ek, shares[0])))
		return st;
	const lathe_ctx *c = ek->ctx;
	const uint64_t g = shares[0]->g;
	const unsigned level = shares[0]->level;
	if (!lt_galois_elt_valid(c, g) || level >= c->nq || shares[0]->npoly != lt_ks_digits(c, level) ||
	    shares[0]->limbs != level + 1 + c->np)
		return lt_fail(LATHE_EINVAL, "%s: a Galois-key share of a wrong shape", fn);
	if (lathe_evalkeys_has_galois(ek, g))
		return lt_fail(LATHE_EINVAL, "%s: the bundle has the key of Galois element %llu already", fn,
		               (unsigned long long)g);
	lt_galois_key *gal = lt_alloc((ek->ngal + 1) * sizeof(*gal));
	if (!gal)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (ek->ngal)
		memcpy(gal, ek->gal, ek->ngal * sizeof(*gal));
	lt_galois_key *gk = &gal[ek->ngal];
	memset(gk, 0, sizeof(*gk));
	if ((st = lt_galois_key_init(c, gk, g)) || (st = lt_ksk_alloc(fn, c, level, &gk->k))) {
		lt_free(gk->perm);
		lt_free(gal);
		return st;
	}
	uint8_t gb[12];
	lt_mp_derive(gk->k.seed, shares[0]->crs, "galois", gb, galois_label(gb, c, g, level));
	lt_ksk_expand(c, &gk->k);
	sum_shares(gk->k.b, shares, n, shares[0]->npoly, (const lt_modulus *const *)c->qp[level]);
	lt_free(ek->gal);
	ek->gal = gal;
	ek->ngal++;
	return LATHE_OK;
}

/* ---- RKG ---- */

/*
 * What the rounds use of u_i (ternary, from the party's seed, the same in
 * both rounds), NTT form over all primes: -u_i (round 1) in the first
 * key_words words, u_i - s_i (round 2) in the next.
 */
static lathe_status
relin_u_make(const lathe_party *p, uint64_t *nu)
{
	const lathe_ctx *c = p->ctx;
	const size_t n = c->n;
	const unsigned nl = c->nq + c->np;
	int8_t *small = lt_alloc(n);
	if (!small)
		return lt_fail(LATHE_ENOMEM, "relinearization-key share: out of memory");
	lt_prng g;
	lt_mp_prng(&g, p, "relin u", NULL, 0);
	lt_sample_ternary(small, n, &g);
	lt_prng_clear(&g);
	uint64_t *us = nu + key_words(c);
	lt_poly up = lt_poly_view(n, c->ring.modp, nl, nu, 0);
	lt_poly_set_small_ntt(&up, small, 1);
	lt_free_secret(small, n);
	for (unsigned x = 0; x < nl; x++) {
		const size_t o = (size_t)x * n;
		const uint64_t q = c->ring.modp[x]->q;
		lt_vec_sub(us + o, nu + o, p->sk->s_ntt + o, n, q);
		lt_vec_neg(nu + o, nu + o, n, q);
	}
	return LATHE_OK;
}

/*
 * *u = relin_u_make's words, kept by the party (lathe_party.relin_u):
 * made once, by whichever round comes first, and read by the other.
 */
static lathe_status
relin_u(const lathe_party *p, const uint64_t **u)
{
	uint64_t *have = atomic_load(&((lathe_party *)p)->relin_u);
	if (!have) {
		const size_t bytes = 2 * key_words(p->ctx) * 8;
		uint64_t *mine = lt_alloc(bytes);
		if (!mine)
			return lt_fail(LATHE_ENOMEM, "relinearization-key share: out of memory");
		lathe_status st = relin_u_make(p, mine);
		if (st) {
			lt_free_secret(mine, bytes);
			return st;
		}
		/* another thread may have set it meanwhile: to the same value */
		if (atomic_compare_exchange_strong(&((lathe_party *)p)->relin_u, &have, mine))
			have = mine;
		else
			lt_free_secret(mine, bytes);
	}
	*u = have;
	return LATHE_OK;
}

void
lt_mp_party_drop(lathe_party *p)
{
	uint64_t *u = atomic_exchange(&p->relin_u, NULL);
	if (u)
		lt_free_secret(u, 2 * key_words(p->ctx) * 8);
}

lathe_status
lathe_mp_relin_share1(const lathe_party *p, lathe_share **out)
{
	const char *fn = "lathe_mp_relin_share1";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	const lathe_ctx *c = p->ctx;
	const size_t n = c->n;
	const unsigned nl = c->nq + c->np, nd = c->dnum;
	lathe_share *s;
	lathe_status st = lt_mp_share_new(fn, p, LATHE_SHARE_RELIN1, 2 * nd, nl, &s);
	if (st)
		return st;
	/* each thread's limb of a_j and a product: two words per coefficient; the errors of a digit */
	const int nt = lt_par(nl, n) ? omp_get_max_threads() : 1;
	uint64_t *buf = lt_alloc((size_t)nt * 2 * n * 8);
	int8_t *e = lt_alloc(2 * n);
	if (!buf || !e) {
		lt_free(buf);
		lt_free(e);
		lathe_share_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	const uint64_t *u = NULL; /* -u_i */
	st = relin_u(p, &u);
	uint8_t aseed[LT_SEED_BYTES];
	lt_mp_derive(aseed, p->crs, "relin", NULL, 0);
	lt_prng g;
	lt_mp_prng(&g, p, "relin 1", NULL, 0);
	const int64_t t = (int64_t)lt_key_pm(c)->t;
	for (unsigned j = 0; j < nd && !st; j++) {
		uint64_t *h0 = lt_mp_share_poly(s, j), *h1 = lt_mp_share_poly(s, nd + j);
		lt_sample_cbd(e, n, &g);
		lt_sample_cbd(e + n, n, &g);
		unsigned lo, hi;
		lt_ks_digit_range(c, j, c->nq - 1, &lo, &hi);
		/* limb by limb, each written once while it is in cache, a_j's limb made where it is used */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) if (nt > 1)
		for (unsigned x = 0; x < nl; x++) {
			const int me = nt > 1 ? omp_get_thread_num() : 0;
			uint64_t *a = buf + (size_t)me * 2 * n, *tmp = a + n;
			const lt_modulus *m = c->ring.modp[x];
			const size_t o = (size_t)x * n;
			lt_sample_uniform_limb(a, n, m, aseed, LT_STREAM_KSK + j);
			/* h0 = t e0 - u a (+ P s in the digit's primes); h1 = t e1 + s a */
			lt_small_ntt_limb(h0 + o, e, t, n, m);
			lt_small_ntt_limb(h1 + o, e + n, t, n, m);
			lt_vec_mac(h0 + o, a, u + o, n, m);
			if (x >= lo && x < hi) {
				lt_vec_mul_scalar(tmp, p->sk->s_ntt + o, c->p_mod_q[x], n, m);
				lt_vec_add(h0 + o, h0 + o, tmp, n, m->q);
			}
			lt_vec_mac(h1 + o, a, p->sk->s_ntt + o, n, m);
		}
	}
	lt_free_secret(e, 2 * n);
	lt_prng_clear(&g);
	lt_free_secret(buf, (size_t)nt * 2 * n * 8);
	if (st) {
		lathe_share_free(s);
		return st;
	}
	*out = s;
	return LATHE_OK;
}

/*
 * The binding of round 2 to round 1's combination: the BLAKE2b-256
 * checksum of the combination as a file (the last 32 bytes of
 * lathe_share_to_buffer, whose binding field is zero for this kind). A
 * loaded combination takes it from its file's checksum, verified on
 * loading, so a party hashes the 2 dnum polynomials once, not twice.
 */
static lathe_status
bind_sum1(const char *fn, lathe_share *sum1)
{
	uint8_t *buf;
	size_t len;
	memset(sum1->bind, 0, sizeof(sum1->bind));
	lathe_status st = lathe_share_to_buffer(sum1, &buf, &len);
	if (st)
		return lt_fail(st, "%s: %s", fn, lathe_last_error());
	memcpy(sum1->bind, buf + len - sizeof(sum1->bind), sizeof(sum1->bind));
	lathe_buffer_free(buf);
	return LATHE_OK;
}

lathe_status
lathe_mp_relin_combine1(const lathe_share *const *shares, size_t n, lathe_share **sum)
{
	const char *fn = "lathe_mp_relin_combine1";
	LT_CHECK_NULL(sum);
	*sum = NULL;
	lathe_status st = lt_mp_check_shares(fn, shares, n, LATHE_SHARE_RELIN1);
	if (st)
		return st;
	const lathe_ctx *c = shares[0]->ctx;
	if (shares[0]->npoly != 2 * c->dnum || shares[0]->limbs != c->nq + c->np)
		return lt_fail(LATHE_EINVAL, "%s: a round-1 share of a wrong shape", fn);
	lathe_share *s;
	if ((st = lt_mp_share_sum_new(fn, shares[0], LATHE_SHARE_RELIN1_SUM, &s)))
		return st;
	sum_shares(s->w, shares, n, s->npoly, lt_mp_qp(c));
	if ((st = bind_sum1(fn, s))) {
		lathe_share_free(s);
		return st;
	}
	*sum = s;
	return LATHE_OK;
}

/* LATHE_OK when sum1 is a round-1 combination of the party's seed and context */
static lathe_status
check_sum1(const char *fn, const lathe_ctx *c, const uint8_t *crs, const lathe_share *sum1)
{
	if (sum1->kind != LATHE_SHARE_RELIN1_SUM)
		return lt_fail(LATHE_EINVAL, "%s: a %s where the combination of round 1 was expected", fn,
		               lt_mp_kind_name(sum1->kind));
	if (!lt_ctx_same(c, sum1->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: round 1's combination belongs to another context", fn);
	if (memcmp(crs, sum1->crs, LATHE_MP_SEED_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: round 1's combination was made under another common seed", fn);
	if (sum1->npoly != 2 * c->dnum || sum1->limbs != c->nq + c->np || sum1->party != sum1->nparties ||
	    sum1->nparties != c->par.parties)
		return lt_fail(LATHE_EINVAL, "%s: round 1's combination has a wrong shape", fn);
	return LATHE_OK;
}

lathe_status
lathe_mp_relin_share2(const lathe_party *p, const lathe_share *sum1, lathe_share **out)
{
	const char *fn = "lathe_mp_relin_share2";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(sum1);
	const lathe_ctx *c = p->ctx;
	lathe_status st = check_sum1(fn, c, p->crs, sum1);
	if (st)
		return st;
	const size_t n = c->n;
	const unsigned nl = c->nq + c->np, nd = c->dnum;
	lathe_share *s;
	if ((st = lt_mp_share_new(fn, p, LATHE_SHARE_RELIN2, nd, nl, &s)))
		return st;
	memcpy(s->bind, sum1->bind, sizeof(s->bind));
	int8_t *e = lt_alloc(n);
	if (!e) {
		lathe_share_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	const uint64_t *u = NULL;
	st = relin_u(p, &u);
	const uint64_t *us = st ? NULL : u + key_words(c); /* u_i - s_i */
	const int nt = lt_par(nl, n) ? omp_get_max_threads() : 1;
	/* round 2's errors are bound to round 1's combination: another one gets independent errors */
	lt_prng g;
	lt_mp_prng(&g, p, "relin 2", s->bind, sizeof(s->bind));
	const int64_t t = (int64_t)lt_key_pm(c)->t;
	for (unsigned j = 0; j < nd && !st; j++) {
		uint64_t *r = lt_mp_share_poly(s, j);
		const uint64_t *h0 = lt_mp_share_poly(sum1, j), *h1 = lt_mp_share_poly(sum1, nd + j);
		lt_sample_cbd(e, n, &g);
		/* r = t e2 + s_i h0 + (u_i - s_i) h1, limb by limb */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) if (nt > 1)
		for (unsigned x = 0; x < nl; x++) {
			const lt_modulus *m = c->ring.modp[x];
			const size_t o = (size_t)x * n;
			lt_small_ntt_limb(r + o, e, t, n, m);
			lt_vec_mac(r + o, h0 + o, p->sk->s_ntt + o, n, m);
			lt_vec_mac(r + o, h1 + o, us + o, n, m);
		}
	}
	lt_free_secret(e, n);
	lt_prng_clear(&g);
	if (st) {
		lathe_share_free(s);
		return st;
	}
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_mp_relin_combine2(lathe_evalkeys *ek, const lathe_share *sum1, const lathe_share *const *shares, size_t n)
{
	const char *fn = "lathe_mp_relin_combine2";
	LT_CHECK_NULL(ek);
	LT_CHECK_NULL(sum1);
	lathe_status st = lt_mp_check_shares(fn, shares, n, LATHE_SHARE_RELIN2);
	if (st || (st = check_bundle(fn, ek, shares[0])) || (st = check_sum1(fn, ek->ctx, shares[0]->crs, sum1)))
		return st;
	const lathe_ctx *c = ek->ctx;
	if (shares[0]->npoly != c->dnum || shares[0]->limbs != c->nq + c->np)
		return lt_fail(LATHE_EINVAL, "%s: a round-2 share of a wrong shape", fn);
	if (memcmp(sum1->bind, shares[0]->bind, 32) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the round-2 shares were made on another combination of round 1", fn);
	if (ek->has_relin)
		return lt_fail(LATHE_EINVAL, "%s: the bundle has a relinearization key already", fn);
	lt_ksk k;
	if ((st = lt_ksk_alloc(fn, c, c->nq - 1, &k)))
		return st;
	lt_mp_derive(k.seed, shares[0]->crs, "relin", NULL, 0);
	k.a_stored = 1;
	/* a_j = h1_j, b_j = sum_i r_ij */
	memcpy(k.a, lt_mp_share_poly(sum1, c->dnum), (size_t)c->dnum * key_words(c) * 8);
	sum_shares(k.b, shares, n, c->dnum, lt_mp_qp(c));
	ek->relin = k;
	ek->has_relin = 1;
	return LATHE_OK;
}
