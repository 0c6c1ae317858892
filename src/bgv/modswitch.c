/*
 * BGV modulus switching (Gentry-Halevi-Smart 2012; KPZ21 §3): drop the top
 * primes q_{k+1}..q_l keeping the plaintext congruence mod t,
 *     c' = (c - delta) / C,  C = q_{k+1} ... q_l,  delta = t [t^-1 c]_C,
 * so delta = c mod C and delta = 0 mod t; the message is multiplied by
 * C^-1 mod t, which the ciphertext's correction factor records. The
 * division is the ring's t-preserving kernel (ring/tdiv.h) with the
 * ciphertext's plaintext modulus. Several primes are dropped by one
 * division by their product (the decryption's division, KPZ21 §3): one
 * rounding instead of one per prime, and the inverse NTTs of the primes
 * dropped plus one forward NTT per prime kept, instead of that per prime
 * dropped.
 */
#include <assert.h>
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

size_t
lt_ct_switch_scratch_words(const lathe_ctx *c)
{
	/* the division of up to three components at once, then their C limbs when out of place */
	return (4 * (size_t)c->nq + 1) * c->n;
}

lathe_status
lt_ct_switch_to(lathe_ct *out, const lathe_ct *a, unsigned level, uint64_t *scratch)
{
	const lathe_ctx *c = a->ctx;
	const lt_plainmod *pm = lt_ct_pm(a);
	const unsigned l = a->level;
	if (level > l)
		return lt_fail(LATHE_ELEVEL, "modulus switching: cannot switch up from level %u to %u", l, level);
	if (level == l)
		return lathe_ct_copy(out, a);
	const size_t n = c->n;
	const lt_tdiv *plan = l == level + 1 ? &pm->ms[l] : &pm->msk[(size_t)l * c->nq + level];
	const unsigned flags = LT_TDIV_B_NTT | LT_TDIV_C_NTT, nb = level + 1, nc = l - level;
	lathe_status s;
	if (out != a && (s = lt_ct_reserve(out, a->size, level)))
		return s;
	uint64_t *buf = scratch;
	if (!buf) {
		buf = lt_alloc(lt_ct_switch_scratch_words(c) * 8 + 8);
		if (!buf)
			return lt_fail(LATHE_ENOMEM, "modulus switching: out of memory");
	}
	/*
	 * all components in one division (ring/tdiv.h: the threads share their
	 * limbs); out of place, the C limbs (overwritten by the division) are
	 * copied first, after the division's scratch
	 */
	const unsigned k = a->size;
	assert(k >= 1 && k <= LT_TDIV_MAX_MANY);
	uint64_t *cbuf = buf + lt_tdiv_many_scratch_words(plan, n, flags, k);
	uint64_t *outs[LT_TDIV_MAX_MANY], *xc[LT_TDIV_MAX_MANY];
	const uint64_t *xb[LT_TDIV_MAX_MANY];
	for (unsigned w = 0; w < k; w++) {
		uint64_t *x = (uint64_t *)lt_ct_comp(a, w);
		xb[w] = x;
		if (out == a) {
			outs[w] = x;
			xc[w] = x + (size_t)nb * n;
		} else {
			outs[w] = lt_ct_comp(out, w);
			xc[w] = cbuf + (size_t)w * nc * n;
			lt_limbs_copy(xc[w], x + (size_t)nb * n, nc, n);
		}
	}
	lt_rns_tdivide_many_to(plan, k, outs, xb, xc, n, flags, buf);
	if (!scratch)
		lt_free(buf);
	/* the estimate of switching one prime at a time: one division by their product rounds once */
	double noise = a->noise;
	for (unsigned j = l; j > level; j--)
		noise = lt_noise_after_switch(c, pm, noise, j, a->size);
	if (out != a) {
		out->size = a->size;
		out->pm = a->pm;
		memcpy(out->keyid, a->keyid, sizeof(out->keyid));
	}
	out->level = level;
	out->seeded = 0;
	out->fac = lt_mulmod(a->fac, plan->cinv_t, pm->t, pm->br);
	out->noise = noise;
	return LATHE_OK;
}

lathe_status
lt_ct_drop_prime(lathe_ct *ct, uint64_t *scratch)
{
	return lt_ct_switch_to(ct, ct, ct->level - 1, scratch);
}
