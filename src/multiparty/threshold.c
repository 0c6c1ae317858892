/*
 * T-out-of-N (Mouchet, Bertrand, Hubaux, "An Efficient Threshold
 * Access-Structure for RLWE-Based Multiparty Homomorphic Encryption",
 * J. Cryptology 2023): Shamir sharing (Shamir 1979) of each party's
 * secret over R_Q, evaluated at the points j + 1; the Lagrange
 * coefficients of an online set are in decrypt.c.
 */
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/modarith.h"
#include "mp.h"

/*
 * The coefficient a_d (1 <= d < T) of party p's sharing polynomial: uniform
 * mod each q_k from 128 bits a word (bias below 2^-64), so that no branch
 * depends on the secret words; the same for every recipient.
 */
static void
coefficient(const lathe_party *p, unsigned threshold, unsigned d, uint64_t *out)
{
	const lathe_ctx *c = p->ctx;
	uint8_t info[2] = { (uint8_t)threshold, (uint8_t)d };
	lt_prng g;
	lt_mp_prng(&g, p, "shamir", info, sizeof(info));
	uint64_t w[2];
	for (unsigned k = 0; k < c->nq; k++) {
		const lt_modulus *m = c->ring.modp[k];
		for (size_t j = 0; j < c->n; j++) {
			lt_prng_bytes(&g, w, sizeof(w));
			out[(size_t)k * c->n + j] = lt_reduce128(((lt_u128)w[1] << 64) | w[0], m->q, m->br);
		}
	}
	lt_memzero(w, sizeof(w));
	lt_prng_clear(&g);
}

lathe_status
lathe_mp_deal(const lathe_party *p, unsigned threshold, unsigned to, lathe_share **out)
{
	const char *fn = "lathe_mp_deal";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(p);
	if (threshold < 2 || threshold > p->nparties)
		return lt_fail(LATHE_EINVAL, "%s: threshold %u of %u parties (2 to %u)", fn, threshold, p->nparties,
		               p->nparties);
	if (to >= p->nparties)
		return lt_fail(LATHE_EINVAL, "%s: party %u of %u", fn, to, p->nparties);
	const lathe_ctx *c = p->ctx;
	const size_t n = c->n, w = lt_comp_words(c);
	lathe_share *s;
	lathe_status st = lt_mp_share_new(fn, p, LATHE_SHARE_DEAL, 1, c->nq, &s);
	if (st)
		return st;
	uint64_t *a = lt_alloc(w * 8);
	if (!a) {
		lathe_share_free(s);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	s->g = to;
	s->threshold = threshold;
	/* Horner at alpha = to + 1: acc = (...(a_(T-1) alpha + a_(T-2)) alpha + ...) alpha + s_i */
	const uint64_t alpha = (uint64_t)to + 1;
	for (unsigned d = threshold - 1; d >= 1; d--) {
		coefficient(p, threshold, d, a);
		for (unsigned k = 0; k < c->nq; k++) {
			const lt_modulus *m = c->ring.modp[k];
			uint64_t *acc = s->w + (size_t)k * n;
			const uint64_t *ak = a + (size_t)k * n;
			for (size_t j = 0; j < n; j++)
				acc[j] = lt_addmod(lt_mulmod(acc[j], alpha, m->q, m->br), ak[j], m->q);
		}
	}
	for (unsigned k = 0; k < c->nq; k++) {
		const lt_modulus *m = c->ring.modp[k];
		uint64_t *acc = s->w + (size_t)k * n;
		const uint64_t *sk = p->sk->s_ntt + (size_t)k * n;
		for (size_t j = 0; j < n; j++)
			acc[j] = lt_addmod(lt_mulmod(acc[j], alpha, m->q, m->br), sk[j], m->q);
	}
	lt_free_secret(a, w * 8);
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_party_set_threshold(lathe_party *p, const lathe_share *const *deals, size_t n)
{
	const char *fn = "lathe_party_set_threshold";
	LT_CHECK_NULL(p);
	lathe_status st = lt_mp_check_shares(fn, deals, n, LATHE_SHARE_DEAL);
	if (st)
		return st;
	const lathe_share *f = deals[0];
	const lathe_ctx *c = p->ctx;
	if (!lt_ctx_same(c, f->ctx) || memcmp(p->crs, f->crs, LATHE_MP_SEED_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: deals of another context or common seed", fn);
	if (f->g != p->index)
		return lt_fail(LATHE_EMISMATCH, "%s: deals for party %llu, not for party %u", fn, (unsigned long long)f->g,
		               p->index);
	if (f->threshold < 2 || f->threshold > p->nparties || f->limbs != c->nq || f->npoly != 1)
		return lt_fail(LATHE_EINVAL, "%s: deals of a wrong shape", fn);
	const size_t w = lt_comp_words(c), nn = c->n;
	uint64_t *t = lt_alloc(w * 8);
	if (!t)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	/* t_j = sum_i P_i(j + 1) */
	memcpy(t, deals[0]->w, w * 8);
	for (unsigned k = 0; k < c->nq; k++) {
		const uint64_t q = c->ring.modp[k]->q;
		for (size_t i = 1; i < n; i++) {
			uint64_t *o = t + (size_t)k * nn;
			const uint64_t *x = deals[i]->w + (size_t)k * nn;
			for (size_t j = 0; j < nn; j++)
				o[j] = lt_addmod(o[j], x[j], q);
		}
	}
	if (p->tpoint)
		lt_free_secret(p->tpoint, w * 8);
	p->tpoint = t;
	p->threshold = f->threshold;
	return LATHE_OK;
}
