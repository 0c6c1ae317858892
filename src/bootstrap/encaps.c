/*
 * Step 2's encapsulation key (BOOTSTRAP.md §2 Step 2, Corrections 4 and
 * 5): the key from the main secret s to the sparse secret s' lives
 * exactly on {q_0, P_0}, P_0 = p_0 the first special prime, one digit:
 *     b = -a s' + t e + p_0 s,  a uniform,  mod q_0 and mod p_0,
 * so that the only LWE instance under the sparse secret is one of modulus
 * q_0 p_0 (log2 at most 120 for the 128-bit estimate of h = 64 at
 * N = 2^15), whatever the rest of the context's special primes (Lattigo
 * 6.1.1's fix: a key at a larger modulus weakens s'). The switch lifts c1
 * to p_0, multiplies by (b, a) and divides by p_0 keeping t (ring/tdiv.h):
 *     c1 (b + a s') / p_0 = c1 s + c1 t e / p_0 + rounding.
 * The key's error is a multiple of the user's t = p^r only, not of the
 * keys' p^e: the only ciphertext it switches is Step 2's, under t, and
 * the term c1 t e / p_0 (c1 of size q_0) is what Step 3's guard has to
 * leave room for, so p^e there would ask p_0 for log2 p^(e-r) more bits
 * (p = 65537: p_0 above 2^64).
 */
#include <math.h>
#include <string.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/ntt.h"
#include "../ring/poly.h"
#include "../ring/sample.h"
#include "../ring/vec.h"
#include "internal.h"

void
lt_boot_encaps_clear(lt_boot_encaps_key *k)
{
	if (!k)
		return;
	lt_free(k->b);
	lt_free(k->a);
	for (unsigned i = 0; i < LT_MAX_PLAINMOD; i++)
		lt_tdiv_clear(&k->down[i]);
	memset(k, 0, sizeof(*k));
}

/* k's moduli, limbs and division plans, and a expanded from k->seed */
static lathe_status
encaps_init(const lathe_ctx *c, lt_boot_encaps_key *k, const char *fn)
{
	const size_t n = c->n;
	k->ctx = c;
	k->pm = LT_PM_USER;
	k->mod[0] = c->ring.modp[0];
	k->mod[1] = c->ring.modp[c->nq];
	k->b = lt_alloc(2 * n * 8);
	k->a = lt_alloc(2 * n * 8);
	if (!k->b || !k->a)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	lathe_status s = LATHE_OK;
	for (unsigned i = 0; i < c->npm && !s; i++)
		s = lt_tdiv_init(&k->down[i], &k->mod[0], 1, &k->mod[1], 1, c->pm[i].t);
	if (s)
		return s;
	lt_poly a = lt_poly_view(n, k->mod, 2, k->a, 1);
	lt_sample_uniform(&a, k->seed, LT_STREAM_KSK);
	return LATHE_OK;
}

lathe_status
lt_boot_encaps_gen(const lathe_sk *sk, const lathe_sk *sparse, lt_boot_encaps_key *k, lathe_rng *rng)
{
	const char *fn = "lt_boot_encaps_gen";
	if (!sk || !sparse || !k)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	memset(k, 0, sizeof(*k));
	const lathe_ctx *c = sk->ctx;
	if (sparse->ctx != c)
		return lt_fail(LATHE_EMISMATCH, "%s: the two secrets belong to different contexts", fn);
	if (c->np == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no special prime", fn);
	const size_t n = c->n;
	const unsigned nq = c->nq;
	lt_seed_from(rng, k->seed);
	lathe_status s = encaps_init(c, k, fn);
	uint64_t *as = s ? NULL : lt_alloc(2 * n * 8);
	if (!s && !as)
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (s)
		goto done;
	uint8_t eseed[LT_SEED_BYTES];
	lt_seed_from(rng, eseed);
	lt_prng g;
	lt_prng_init(&g, eseed, LT_DOMAIN_SECRET, 7);
	/* b = t e, t the user's p^r */
	s = lt_error_times(c, &g, k->b, k->mod, 2, c->pm[k->pm].t);
	lt_prng_clear(&g);
	lt_memzero(eseed, sizeof(eseed));
	if (s)
		goto done;
	for (unsigned x = 0; x < 2; x++) {
		const lt_modulus *m = k->mod[x];
		const size_t li = x == 0 ? 0 : nq; /* the secrets' limb of this prime */
		uint64_t *bx = k->b + (size_t)x * n, *ax = as + (size_t)x * n;
		/* b -= a s' */
		lt_vec_mul(ax, k->a + (size_t)x * n, sparse->s_ntt + li * n, n, m);
		lt_vec_sub(bx, bx, ax, n, m->q);
		/* b += p_0 s mod q_0 (0 mod p_0) */
		if (x == 0) {
			lt_vec_mul_scalar(ax, sk->s_ntt, k->mod[1]->q % m->q, n, m);
			lt_vec_add(bx, bx, ax, n, m->q);
		}
	}
done:
	if (as)
		lt_free_secret(as, 2 * n * 8);
	if (s)
		lt_boot_encaps_clear(k);
	return s;
}

lathe_status
lt_boot_encaps_load(const lathe_ctx *c, const uint8_t seed[LT_SEED_BYTES], const uint64_t *b, lt_boot_encaps_key *k)
{
	const char *fn = "lt_boot_encaps_load";
	if (!c || !seed || !b || !k)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	memset(k, 0, sizeof(*k));
	if (c->np == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no special prime", fn);
	memcpy(k->seed, seed, LT_SEED_BYTES);
	lathe_status s = encaps_init(c, k, fn);
	if (s) {
		lt_boot_encaps_clear(k);
		return s;
	}
	memcpy(k->b, b, 2 * c->n * 8);
	return LATHE_OK;
}

lathe_status
lt_boot_encaps(lathe_ct *ct, const lt_boot_encaps_key *k)
{
	const char *fn = "lt_boot_encaps";
	if (!ct || !k || !k->a)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lathe_ctx *c = ct->ctx;
	if (k->ctx != c)
		return lt_fail(LATHE_EMISMATCH, "%s: the key belongs to another context", fn);
	if (ct->level != 0 || ct->size != 2)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext must be at level 0 with 2 components", fn);
	if (ct->pm != k->pm)
		return lt_fail(LATHE_EINVAL, "%s: the key switches ciphertexts under t = %llu only", fn,
		               (unsigned long long)c->pm[k->pm].t);
	const size_t n = c->n;
	const lt_modulus *q0 = k->mod[0], *p0 = k->mod[1];
	uint64_t *w = lt_alloc(6 * n * 8);
	if (!w)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	uint64_t *c1 = w, *u0 = w + 2 * n, *u1 = w + 4 * n;
	/* c1 over {q_0, p_0}: its centred lift from q_0 */
	uint64_t *c0q = lt_ct_comp(ct, 0), *c1q = lt_ct_comp(ct, 1);
	memcpy(c1, c1q, n * 8);
	memcpy(c1 + n, c1q, n * 8);
	lt_ntt_inv(c1 + n, &q0->ntt);
	lt_tdiv_lift_scalar(c1 + n, c1 + n, n, q0->q, p0);
	lt_ntt_fwd(c1 + n, &p0->ntt);
	for (unsigned x = 0; x < 2; x++) {
		lt_vec_mul(u0 + (size_t)x * n, c1 + (size_t)x * n, k->b + (size_t)x * n, n, k->mod[x]);
		lt_vec_mul(u1 + (size_t)x * n, c1 + (size_t)x * n, k->a + (size_t)x * n, n, k->mod[x]);
	}
	/* divided by p_0 keeping the ciphertext's t; c1's copy is the scratch (n words) */
	const lt_tdiv *plan = &k->down[ct->pm];
	lt_rns_tdivide(plan, u0, n, LT_TDIV_B_NTT | LT_TDIV_C_NTT, c1);
	lt_rns_tdivide(plan, u1, n, LT_TDIV_B_NTT | LT_TDIV_C_NTT, c1);
	lt_vec_add(c0q, c0q, u0, n, q0->q);
	memcpy(c1q, u1, n * 8);
	/*
	 * The estimate (noise.c's key-switch model with one digit D = q_0 and
	 * P = p_0): the inner product c1 t e / p_0, 16 sqrt(N/12) sqrt(10.5 N)
	 * q_0 t / p_0, plus the division's rounding, a switch's (x2 margin).
	 */
	const lt_plainmod *pm = lt_ct_pm(ct), *km = &c->pm[k->pm];
	const double N = (double)n;
	const double inner = log2(16 * sqrt(N / 12.0) * sqrt(N * 10.5)) + log2((double)q0->q) + log2((double)km->t) -
	                     log2((double)p0->q);
	ct->noise = lt_log2_add(ct->noise, lt_log2_add(inner, 1 + pm->nm.ms));
	ct->seeded = 0;
	memset(ct->keyid, 0, sizeof(ct->keyid));
	lt_free(w);
	return LATHE_OK;
}
