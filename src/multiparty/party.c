/*
 * Parties and shares (lathe/multiparty.h): a party's secret from its
 * seed, the share objects, the derivations of seeds, and the checks that
 * every combination of shares makes before it adds a word.
 */
#include <math.h>
#include <string.h>

#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/sample.h"
#include "mp.h"

void
lt_mp_derive(uint8_t out[32], const uint8_t key[32], const char *label, const void *data, size_t len)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, 32, 32);
	static const char tag[] = "lathe multiparty v1";
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
	crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
	if (len)
		crypto_generichash_update(&st, (const unsigned char *)data, len);
	crypto_generichash_final(&st, out, 32);
	sodium_memzero(&st, sizeof(st));
}

void
lt_mp_prng(lt_prng *g, const lathe_party *p, const char *label, const void *data, size_t len)
{
	uint8_t k[32];
	lt_mp_derive(k, p->seed, label, data, len);
	lt_prng_init(g, k, LT_DOMAIN_PARTY, 1);
	lt_memzero(k, sizeof(k));
}

const char *
lt_mp_kind_name(lathe_share_kind k)
{
	switch (k) {
	case LATHE_SHARE_PK:
		return "public-key share";
	case LATHE_SHARE_RELIN1:
		return "relinearization-key share of round 1";
	case LATHE_SHARE_RELIN1_SUM:
		return "combination of round 1 of the relinearization key";
	case LATHE_SHARE_RELIN2:
		return "relinearization-key share of round 2";
	case LATHE_SHARE_GALOIS:
		return "Galois-key share";
	case LATHE_SHARE_DECRYPT:
		return "decryption share";
	case LATHE_SHARE_PK_SWITCH:
		return "key-switching share";
	case LATHE_SHARE_DEAL:
		return "Shamir share of a party's secret (a deal)";
	case LATHE_SHARE_DECRYPT_T:
		return "threshold decryption share";
	case LATHE_SHARE_DECRYPT_DP:
		return "decryption share with differentially private noise";
	}
	return "share of an unknown kind";
}

static lathe_status
party_make(const char *fn, const lathe_ctx *ctx, const uint8_t *crs, unsigned index, unsigned nparties,
           const uint8_t *seed, lathe_party **out)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(crs);
	const unsigned np = ctx->par.parties;
	if (np < 2)
		return lt_fail(LATHE_EINVAL, "%s: the context is for one key, not for parties (lathe_params_set_parties)", fn);
	if (nparties != np)
		return lt_fail(LATHE_EINVAL, "%s: %u parties, but the context is for %u", fn, nparties, np);
	if (index >= nparties)
		return lt_fail(LATHE_EINVAL, "%s: party %u of %u (parties are numbered from 0)", fn, index, nparties);
	lathe_party *p = lt_calloc(1, sizeof(*p));
	int8_t *s = lt_alloc(ctx->n);
	if (!p || !s) {
		lt_free(p);
		lt_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	p->ctx = ctx;
	p->index = index;
	p->nparties = nparties;
	memcpy(p->crs, crs, LATHE_MP_SEED_BYTES);
	memcpy(p->seed, seed, LATHE_MP_SEED_BYTES);
	/* s_i ternary, like a one-party secret key */
	lt_prng g;
	lt_mp_prng(&g, p, "secret", NULL, 0);
	lt_sample_ternary(s, ctx->n, &g);
	lt_prng_clear(&g);
	lathe_status st = lt_sk_from_coeffs(ctx, s, &p->sk);
	lt_free_secret(s, ctx->n);
	if (st) {
		lathe_party_free(p);
		return st;
	}
	*out = p;
	return LATHE_OK;
}

lathe_status
lathe_party_new(const lathe_ctx *ctx, const uint8_t crs[LATHE_MP_SEED_BYTES], unsigned index, unsigned nparties,
                lathe_rng *rng, lathe_party **out)
{
	uint8_t seed[LT_SEED_BYTES];
	lt_seed_from(rng, seed);
	lathe_status s = party_make("lathe_party_new", ctx, crs, index, nparties, seed, out);
	lt_memzero(seed, sizeof(seed));
	return s;
}

lathe_status
lathe_party_from_seed(const lathe_ctx *ctx, const uint8_t crs[LATHE_MP_SEED_BYTES], unsigned index,
                      unsigned nparties, const uint8_t seed[LATHE_MP_SEED_BYTES], lathe_party **out)
{
	if (!seed) {
		if (out)
			*out = NULL;
		return lt_fail(LATHE_EINVAL, "lathe_party_from_seed: NULL seed");
	}
	return party_make("lathe_party_from_seed", ctx, crs, index, nparties, seed, out);
}

lathe_status
lathe_party_seed(const lathe_party *p, uint8_t seed[LATHE_MP_SEED_BYTES])
{
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(seed);
	memcpy(seed, p->seed, LATHE_MP_SEED_BYTES);
	return LATHE_OK;
}

void
lathe_party_free(lathe_party *p)
{
	if (!p)
		return;
	lathe_sk_free(p->sk);
	lt_mp_party_drop(p);
	if (p->tpoint)
		lt_free_secret(p->tpoint, lt_comp_words(p->ctx) * 8);
	lt_free_secret(p, sizeof(*p));
}

lathe_status
lathe_party_set_pk(lathe_party *p, const lathe_pk *pk)
{
	const char *fn = "lathe_party_set_pk";
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(pk);
	if (!lt_ctx_same(p->ctx, pk->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the public key belongs to another context", fn);
	uint8_t want[LT_SEED_BYTES];
	lt_mp_derive(want, p->crs, "public key", NULL, 0);
	if (memcmp(want, pk->seed, LT_SEED_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the public key was not combined from shares of this common seed", fn);
	memcpy(p->keyid, pk->keyid, LT_KEYID_BYTES);
	p->has_pk = 1;
	return LATHE_OK;
}

/* ---- shares ---- */

static lathe_status
share_alloc(const char *fn, const lathe_ctx *ctx, unsigned npoly, unsigned limbs, int zero, lathe_share **out)
{
	*out = NULL;
	lathe_share *s = lt_calloc(1, sizeof(*s));
	const size_t words = (size_t)npoly * limbs * ctx->n;
	if (s)
		s->w = zero ? lt_calloc(words ? words : 1, 8) : lt_alloc((words ? words : 1) * 8);
	if (!s || !s->w) {
		if (s)
			lt_free(s->w);
		lt_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	s->ctx = ctx;
	s->npoly = npoly;
	s->limbs = limbs;
	*out = s;
	return LATHE_OK;
}

lathe_status
lt_mp_share_alloc(const char *fn, const lathe_ctx *ctx, unsigned npoly, unsigned limbs, lathe_share **out)
{
	return share_alloc(fn, ctx, npoly, limbs, 1, out);
}

lathe_status
lt_mp_share_new(const char *fn, const lathe_party *p, lathe_share_kind kind, unsigned npoly, unsigned limbs,
                lathe_share **out)
{
	lathe_status st = share_alloc(fn, p->ctx, npoly, limbs, kind != LATHE_SHARE_RELIN1 && kind != LATHE_SHARE_RELIN2, out);
	if (st)
		return st;
	lathe_share *s = *out;
	s->kind = kind;
	s->party = p->index;
	s->nparties = p->nparties;
	memcpy(s->crs, p->crs, LATHE_MP_SEED_BYTES);
	return LATHE_OK;
}

lathe_status
lt_mp_share_sum_new(const char *fn, const lathe_share *src, lathe_share_kind kind, lathe_share **out)
{
	/* every word is written by the sum */
	lathe_status st = share_alloc(fn, src->ctx, src->npoly, src->limbs, 0, out);
	if (st)
		return st;
	lathe_share *s = *out;
	uint64_t *w = s->w;
	*s = *src;
	s->w = w;
	s->kind = kind;
	s->party = src->nparties;
	return LATHE_OK;
}

uint64_t *
lt_mp_share_poly(const lathe_share *s, unsigned i)
{
	return s->w + (size_t)i * s->limbs * s->ctx->n;
}

void
lathe_share_free(lathe_share *s)
{
	if (!s)
		return;
	/*
	 * A deal is secret, and a share of a ciphertext's decryption is its
	 * party's to publish or withhold: zeroized. A share of a key is an
	 * RLWE sample that the protocol publishes whatever happens.
	 */
	switch (s->kind) {
	case LATHE_SHARE_PK:
	case LATHE_SHARE_RELIN1:
	case LATHE_SHARE_RELIN1_SUM:
	case LATHE_SHARE_RELIN2:
	case LATHE_SHARE_GALOIS:
		lt_free(s->w);
		break;
	default:
		lt_free_secret(s->w, (size_t)s->npoly * s->limbs * s->ctx->n * 8);
	}
	lt_free(s);
}

lathe_status
lathe_share_info(const lathe_share *s, lathe_share_kind *kind, unsigned *party, unsigned *nparties)
{
	LT_CHECK_NULL(s);
	if (kind)
		*kind = s->kind;
	if (party)
		*party = s->party;
	if (nparties)
		*nparties = s->nparties;
	return LATHE_OK;
}

lathe_status
lathe_share_galois_element(const lathe_share *s, uint64_t *g)
{
	LT_CHECK_NULL(s);
	LT_CHECK_NULL(g);
	if (s->kind != LATHE_SHARE_GALOIS)
		return lt_fail(LATHE_EINVAL, "lathe_share_galois_element: a %s, not a Galois-key share",
		               lt_mp_kind_name(s->kind));
	*g = s->g;
	return LATHE_OK;
}

lathe_status
lathe_share_level(const lathe_share *s, unsigned *level)
{
	LT_CHECK_NULL(s);
	LT_CHECK_NULL(level);
	const int own = s->kind == LATHE_SHARE_GALOIS || s->kind == LATHE_SHARE_DECRYPT ||
	                s->kind == LATHE_SHARE_DECRYPT_T || s->kind == LATHE_SHARE_DECRYPT_DP ||
	                s->kind == LATHE_SHARE_PK_SWITCH;
	*level = own ? s->level : s->ctx->nq - 1;
	return LATHE_OK;
}

lathe_status
lt_mp_check_shares(const char *fn, const lathe_share *const *shares, size_t n, lathe_share_kind kind)
{
	if (!shares)
		return lt_fail(LATHE_EINVAL, "%s: NULL shares", fn);
	if (n == 0)
		return lt_fail(LATHE_EINVAL, "%s: no shares", fn);
	for (size_t i = 0; i < n; i++)
		if (!shares[i])
			return lt_fail(LATHE_EINVAL, "%s: share %zu is NULL", fn, i);
	const lathe_share *f = shares[0];
	uint64_t seen = 0;
	for (size_t i = 0; i < n; i++) {
		const lathe_share *s = shares[i];
		if (s->kind != kind)
			return lt_fail(LATHE_EINVAL, "%s: share %zu is a %s where a %s was expected", fn, i,
			               lt_mp_kind_name(s->kind), lt_mp_kind_name(kind));
		if (!lt_ctx_same(s->ctx, f->ctx))
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu belongs to another context", fn, i);
		if (memcmp(s->crs, f->crs, LATHE_MP_SEED_BYTES) != 0)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu was made under another common seed", fn, i);
		if (s->nparties != f->nparties)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu is of %u parties, share 0 of %u", fn, i, s->nparties,
			               f->nparties);
		if (s->g != f->g)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu is for %s %#llx, share 0 for %#llx", fn, i,
			               kind == LATHE_SHARE_DEAL       ? "party"
			               : kind == LATHE_SHARE_DECRYPT_T ? "the online set"
			                                               : "Galois element",
			               (unsigned long long)s->g, (unsigned long long)f->g);
		if (s->dp.epsilon != f->dp.epsilon || s->dp.delta != f->dp.delta || s->dp.rho != f->dp.rho ||
		    s->dp.sensitivity != f->dp.sensitivity || s->dp.one_value != f->dp.one_value)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu was made with other privacy parameters than share 0", fn,
			               i);
		if (s->threshold != f->threshold)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu is under threshold %u, share 0 under %u", fn, i,
			               s->threshold, f->threshold);
		if (s->level != f->level || s->npoly != f->npoly || s->limbs != f->limbs)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu is at level %u, share 0 at level %u", fn, i, s->level,
			               f->level);
		if (memcmp(s->bind, f->bind, sizeof(s->bind)) != 0)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu was made for another %s than share 0", fn, i,
			               kind == LATHE_SHARE_RELIN2 ? "combination of round 1" : "ciphertext");
		if (memcmp(s->keyid, f->keyid, sizeof(s->keyid)) != 0)
			return lt_fail(LATHE_EMISMATCH, "%s: share %zu was made for another key than share 0", fn, i);
		if (s->party >= s->nparties)
			return lt_fail(LATHE_EINVAL, "%s: share %zu is of party %u of %u", fn, i, s->party, s->nparties);
		if (seen >> s->party & 1)
			return lt_fail(LATHE_EINVAL, "%s: two shares of party %u", fn, s->party);
		seen |= UINT64_C(1) << s->party;
	}
	/* every party's share, or (threshold decryption) every online party's */
	const uint64_t all = f->nparties >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << f->nparties) - 1;
	const uint64_t want = kind == LATHE_SHARE_DECRYPT_T ? f->g : all;
	if (seen & ~want)
		return lt_fail(LATHE_EINVAL, "%s: a share of a party outside the online set it was made for", fn);
	if (seen != want) {
		unsigned miss = 0;
		while (miss < 64 && ((seen >> miss & 1) || !(want >> miss & 1)))
			miss++;
		return lt_fail(LATHE_EINVAL, "%s: %zu shares, party %u's is missing: %s", fn, n, miss,
		               kind == LATHE_SHARE_DECRYPT_T ? "every online party's is needed (fewer than the threshold "
		                                              "never decrypt)"
		                                            : "every party's is needed");
	}
	if (f->ctx->par.parties != f->nparties)
		return lt_fail(LATHE_EMISMATCH, "%s: shares of %u parties in a context for %u", fn, f->nparties,
		               f->ctx->par.parties);
	return LATHE_OK;
}

unsigned
lt_mp_smudge_bits(const lathe_ctx *c, double noise, uint64_t t)
{
	/* log2 B = lambda + log2 N + ceil(noise - log2 t) + 1 (lathe/multiparty.h) */
	double e = noise - log2((double)t);
	if (e < 0)
		e = 0;
	return LATHE_MP_SMUDGE_BITS + c->logn + (unsigned)ceil(e) + 1;
}
