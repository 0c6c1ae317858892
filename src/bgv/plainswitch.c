/*
 * Changing a ciphertext's plaintext modulus between p^r and p^e, the steps
 * thin bootstrapping takes before its homomorphic inner product (scale the
 * message by p^(e-r)) and after digit removal (divide by p), after
 * Gentry, Halevi, Smart, "Better bootstrapping in fully homomorphic
 * encryption" (PKC 2012) and Geelen-Vercauteren (JoC 2023), BOOTSTRAP.md §2.
 * Both multiply every component by a constant mod each q_i: for
 * v = c0 + c1 s (+ c2 s^2), the centered value over Q_l, v = fac m + t E,
 *     p^(e-r) v = p^(e-r) fac m + p^e E     (a message mod p^e),
 *     p^-(e-r) v = v / p^(e-r)              (exact when p^(e-r) | v).
 */
#include <math.h>

#include "../core/error.h"
#include "internal.h"

/* every component times the constant k_i mod q_i (k: a word below each q_i, given per limb) */
static void
scale(lathe_ct *ct, const uint64_t *k)
{
	for (unsigned j = 0; j < ct->size; j++) {
		lt_poly p = lt_ct_poly(ct, j);
		lt_poly_mul_rns(&p, &p, k);
	}
}

/* p^k mod q_i for every limb of ct's level, or its inverse */
static void
powers(const lathe_ct *ct, uint64_t p, unsigned k, int inverse, uint64_t *out)
{
	const lathe_ctx *c = ct->ctx;
	for (unsigned i = 0; i <= ct->level; i++) {
		const lt_modulus *m = c->ring.modp[i];
		uint64_t x = lt_powmod(p % m->q, k, m->q, m->br);
		out[i] = inverse ? lt_invmod(x, m->q, m->br) : x;
	}
}

lathe_status
lt_ct_lift_plainmod(lathe_ct *ct, unsigned to)
{
	const lathe_ctx *c = ct->ctx;
	if (to >= c->npm || c->pm[to].r <= lt_ct_pm(ct)->r)
		return lt_fail(LATHE_EINVAL, "plaintext-modulus lift: modulus %u is not above the ciphertext's", to);
	const unsigned k = c->pm[to].r - lt_ct_pm(ct)->r;
	uint64_t f[LT_MAX_CHAIN];
	powers(ct, c->pm[to].p, k, 0, f);
	scale(ct, f);
	ct->pm = to;
	ct->noise += k * log2((double)c->pm[to].p);
	ct->seeded = 0;
	return LATHE_OK;
}

lathe_status
lt_ct_divide_plainmod(lathe_ct *ct, unsigned to)
{
	const lathe_ctx *c = ct->ctx;
	if (to >= c->npm || c->pm[to].r >= lt_ct_pm(ct)->r)
		return lt_fail(LATHE_EINVAL, "plaintext-modulus division: modulus %u is not below the ciphertext's", to);
	const unsigned k = lt_ct_pm(ct)->r - c->pm[to].r;
	uint64_t f[LT_MAX_CHAIN];
	powers(ct, c->pm[to].p, k, 1, f);
	scale(ct, f);
	ct->pm = to;
	ct->fac %= c->pm[to].t;
	ct->noise -= k * log2((double)c->pm[to].p);
	ct->seeded = 0;
	return LATHE_OK;
}
